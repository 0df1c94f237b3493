"""Respondent pages: welcome, one page per section, save and resume, thank-you; and the preview.

The survey is reached by a wave's open link (`/s/<slug>`) or a single-use invitation
(`/i/<token>`); both lead through the same pages. Answers between pages live in a Draft; the
session cookie holds only its id (and the CSRF token), and every form carries the draft id and the
draft's random submission id, so a lost cookie or an expired token costs nothing and a repeated
final POST stores once. Nothing about the request (address, browser, time of day) is kept.

Status codes: pages that explain a state (closed wave, used invitation, resubmit after an expired
token, validation errors) are 200; a saved draft that cannot be found is 404; a POST that no form
of ours could have sent is 400. A POST whose token expired or whose session was lost is shown
again with its answers (200, nothing saved) and a request to send it once more.
"""

from __future__ import annotations

import datetime as dt
import enum
import hmac
import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import flask_babel
from babel import Locale, UnknownLocaleError
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import ValidationError

import instrument
from instrument import Instrument
from webapp import drafts
from webapp.access import admin_required
from webapp.database import db, db_session
from webapp.error_pages import error_page
from webapp.extensions import csrf, login_manager
from webapp.instruments import model
from webapp.models import Draft, InstrumentVersion, Invitation, Organization, Wave, WaveStatus
from webapp.respondent import pages
from webapp.respondent.forms import (
    PREVIEW_CONTROLS,
    SectionForm,
    initial_data,
    malformed,
    question_views,
    section_form,
)
from webapp.responses import Outcome, already_submitted, store_response
from webapp.waves import token_hash

log = logging.getLogger(__name__)

bp = Blueprint("respondent", __name__)
# The respondent forms check their CSRF token themselves (`_token_state`): an expired token or a
# lost session must show the page again with the answers kept, not refuse it.
csrf.exempt(bp)

#: Link slugs and invitation tokens are URL-safe random strings.
KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,64}\Z")
SESSION_DRAFT = "draft_id"
Page = pages.Page
RedirectOrPage = WerkzeugResponse | str | tuple[str, int]


@bp.before_request
def _respondent_request() -> None:
    # Survey pages may be on a shared computer: nothing of them in the browser's cache.
    g.no_store = True
    if not (request.endpoint or "").startswith("respondent.preview"):
        # Respondents are anonymous whoever is signed in. Settling that here also keeps
        # Flask-Login's session protection from touching the session or the remember cookie.
        g._login_user = login_manager.anonymous_user()


# -- where a respondent came in ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """The link a respondent followed: the wave's open link ("s") or an invitation ("i")."""

    kind: str
    key: str
    wave: Wave
    organization: str
    inst: Instrument
    invitation_id: int | None = None
    invitation_used: bool = False

    def url(self, endpoint: str, **values: Any) -> str:
        return url_for(f"respondent.{endpoint}", kind=self.kind, key=self.key, **values)

    def owns(self, draft: Draft) -> bool:
        return draft.wave_id == self.wave.id and draft.invitation_id == self.invitation_id


def _entry(kind: str, key: str) -> Entry:
    if not KEY_RE.match(key):
        abort(404)
    s = db_session()
    invitation = None
    if kind == "s":
        wave = s.scalars(select(Wave).where(Wave.link_slug == key)).first()
    else:
        invitation = s.scalars(
            select(Invitation).where(Invitation.token_hash == token_hash(key))
        ).first()
        wave = s.get(Wave, invitation.wave_id) if invitation is not None else None
    if wave is None:
        abort(404)
    organization = s.get(Organization, wave.organization_id)
    return Entry(
        kind=kind,
        key=key,
        wave=wave,
        organization=organization.name if organization else "",
        inst=model(wave.instrument_version),
        invitation_id=invitation.id if invitation is not None else None,
        invitation_used=bool(invitation is not None and invitation.used),
    )


# -- language ---------------------------------------------------------------------------------------


def _set_language(language: str) -> None:
    """Speak `language` on this page: Flask-Babel's strings and the instrument's texts."""
    g.language = language
    flask_babel.refresh()


def _browser_language(inst: Instrument) -> str:
    """Return `?lang=` if the instrument has it, else the browser's best match, else the default."""
    asked = request.args.get("lang")
    if asked in inst.languages:
        return str(asked)
    return request.accept_languages.best_match(list(inst.languages)) or inst.default_language


def language_name(code: str) -> str:
    """Return a language's name in that language ("Español"), or the code."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:] if name else code


# -- CSRF -------------------------------------------------------------------------------------------


class TokenState(enum.Enum):
    VALID = "valid"
    #: Expired, or the session holding its secret is gone: show the page again, answers kept.
    STALE = "stale"
    BAD = "bad"


def _same_site_request() -> bool:
    """Refuse what a browser marks as coming from another site (a forged cross-site POST)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    # Host only: behind a TLS proxy the scheme Flask sees may differ from the browser's.
    return origin is None or urlsplit(origin).netloc == request.host


def _signed_by_us(token: str) -> bool:
    """Return whether a token carries this app's signature, however old (as Flask-WTF signs)."""
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    serializer = URLSafeTimedSerializer(secret, salt="wtf-csrf-token")
    try:
        serializer.loads(token)
    except BadData:
        return False
    return True


def _token_state() -> TokenState:
    if not _same_site_request():
        return TokenState.BAD
    token = request.form.get("csrf_token", "")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        reason = str(exc.args[0]) if exc.args else ""
        if "expired" in reason:
            return TokenState.STALE
        if "session token is missing" in reason:
            return TokenState.STALE if _signed_by_us(token) else TokenState.BAD
        return TokenState.BAD
    return TokenState.VALID


def _bad_request(reason: str) -> tuple[str, int]:
    log.info("respondent form refused: %s", reason)
    return error_page(
        400,
        _("This form could not be accepted"),
        _(
            "What was sent does not fit this survey's form, so nothing was stored. "
            "Go back, reload the page and try again."
        ),
    )


# -- shared pages -----------------------------------------------------------------------------------


def _context(entry: Entry | None, inst: Instrument, language: str, **extra: Any) -> dict[str, Any]:
    return {
        "entry": entry,
        "inst": inst,
        "language": language,
        "page_language": language,
        "survey_title": inst.title.get(language),
        "organization": entry.organization if entry else "",
        **extra,
    }


def _closed_page(entry: Entry, wave: Wave, draft: Draft | None) -> tuple[str, int]:
    """The page for a wave that takes no answers (yet); a draft is kept for when it reopens."""
    today = drafts.today()
    not_yet = wave.status is WaveStatus.DRAFT or (
        wave.status is WaveStatus.OPEN and wave.opens_on is not None and today < wave.opens_on
    )
    language = g.get("language") or entry.inst.default_language
    return render_template(
        "respondent/closed.html",
        **_context(
            entry,
            entry.inst,
            language,
            not_yet=not_yet,
            opens_on=wave.opens_on if not_yet and wave.status is WaveStatus.OPEN else None,
            kept_until=draft.expires_on if draft is not None else None,
        ),
    ), 200


def _used_page(entry: Entry) -> tuple[str, int]:
    language = g.get("language") or entry.inst.default_language
    return render_template("respondent/used.html", **_context(entry, entry.inst, language)), 200


def _gate(entry: Entry, draft: Draft | None = None) -> tuple[str, int] | None:
    """Return the page for a wave that takes no answers or a used invitation, else None."""
    if not entry.wave.accepting(drafts.today()):
        return _closed_page(entry, entry.wave, draft)
    if entry.invitation_used:
        return _used_page(entry)
    return None


def _gone(entry: Entry) -> tuple[str, int]:
    """The page for saved answers that expired, were submitted or never existed."""
    language = g.get("language") or _browser_language(entry.inst)
    _set_language(language)
    return render_template(
        "respondent/gone.html",
        **_context(entry, entry.inst, language, days=current_app.config["DRAFT_DAYS"]),
    ), 404


def _thanks_redirect(entry: Entry, language: str | None) -> WerkzeugResponse:
    return redirect(entry.url("thanks", lang=language) if language else entry.url("thanks"), 303)


def _welcome_page(
    entry: Entry | None,
    inst: Instrument,
    language: str,
    *,
    min_group_size: int,
    continue_url: str | None = None,
    stale: bool = False,
    preview_version: int | None = None,
) -> str:

    def switch(lang: str) -> str:
        if entry is None:
            return url_for("respondent.preview", version_id=preview_version, lang=lang)
        return entry.url("welcome", lang=lang)

    return render_template(
        "respondent/welcome.html",
        **_context(
            entry,
            inst,
            language,
            description=inst.description.get(language) if inst.description else None,
            minutes=pages.estimate_minutes(inst),
            languages=[(code, language_name(code), switch(code)) for code in inst.languages],
            min_group_size=min_group_size,
            continue_url=continue_url,
            stale=stale,
            preview=preview_version is not None,
            preview_version=preview_version,
            first_number=(pages.first_section(inst, {}) or 0) + 1,
        ),
    )


def _render_section(
    *,
    entry: Entry | None,
    inst: Instrument,
    language: str,
    page: Page,
    form: SectionForm,
    form_action: str,
    hidden: dict[str, str],
    stale: bool = False,
    notice: str | None = None,
    preview: bool = False,
) -> str:
    questions = question_views(form, page)
    errors = [(q.id, q.error, _shorten(q.text)) for q in questions if q.error]
    return render_template(
        "respondent/section.html",
        **_context(
            entry,
            inst,
            language,
            page=page,
            section_title=page.section.title.get(language),
            intro=page.section.intro.get(language) if page.section.intro else None,
            questions=questions,
            errors=errors,
            form_action=form_action,
            hidden=hidden,
            stale=stale,
            notice=notice,
            preview=preview,
        ),
    )


def _shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- welcome ----------------------------------------------------------------------------------------


def _session_draft(entry: Entry) -> Draft | None:
    """Return this entry's unexpired draft named by the session cookie, if any."""
    draft = drafts.find_draft(db_session(), session.get(SESSION_DRAFT))
    if draft is None or not entry.owns(draft) or drafts.is_expired(draft, drafts.today()):
        return None
    return draft


@bp.get("/<any(s,i):kind>/<key>")
def welcome(kind: str, key: str) -> RedirectOrPage:
    entry = _entry(kind, key)
    draft = _session_draft(entry)
    language = _browser_language(entry.inst)
    _set_language(language)
    gate = _gate(entry, draft)
    if gate is not None:
        return gate
    continue_url = None
    if draft is not None:
        continue_url = entry.url("page", number=_reachable(entry.inst, draft, draft.page) + 1)
    return _welcome_page(
        entry,
        entry.inst,
        language,
        min_group_size=entry.wave.min_group_size,
        continue_url=continue_url,
    )


@bp.post("/<any(s,i):kind>/<key>")
def start(kind: str, key: str) -> RedirectOrPage:
    """Start a new draft in the chosen language and go to the first section."""
    entry = _entry(kind, key)
    form = request.form
    state = _token_state()
    if state is TokenState.BAD:
        return _bad_request("token")
    if request.files or set(form) - {"csrf_token", "language", "action"}:
        return _bad_request("unknown fields on the welcome form")
    if any(len(form.getlist(k)) != 1 for k in form):
        return _bad_request("a welcome field sent twice")
    language = form.get("language", entry.inst.default_language)
    if language not in entry.inst.languages:
        return _bad_request("language not offered")
    _set_language(language)
    gate = _gate(entry)
    if gate is not None:
        return gate
    if state is TokenState.STALE:
        return _welcome_page(
            entry, entry.inst, language, min_group_size=entry.wave.min_group_size, stale=True
        )
    with db().transaction() as s:
        draft = drafts.create_draft(
            s,
            entry.wave.id,
            language,
            on=drafts.today(),
            days=current_app.config["DRAFT_DAYS"],
            invitation_id=entry.invitation_id,
        )
        draft_id = draft.id
    session[SESSION_DRAFT] = draft_id
    first = pages.first_section(entry.inst, {}) or 0
    return redirect(entry.url("page", number=first + 1), 303)


@bp.get("/<any(s,i):kind>/<key>/resume/<draft_id>")
def resume(kind: str, key: str, draft_id: str) -> RedirectOrPage:
    """Continue a saved draft from its resume link, on any device."""
    entry = _entry(kind, key)
    draft = drafts.find_draft(db_session(), draft_id)
    if draft is None or not entry.owns(draft) or drafts.is_expired(draft, drafts.today()):
        return _gone(entry)
    _set_language(draft.language)
    gate = _gate(entry, draft)
    if gate is not None:
        return gate
    session[SESSION_DRAFT] = draft.id
    return redirect(entry.url("page", number=_reachable(entry.inst, draft, draft.page) + 1), 303)


@bp.get("/<any(s,i):kind>/<key>/thanks")
def thanks(kind: str, key: str) -> str:
    entry = _entry(kind, key)
    language = _browser_language(entry.inst)
    _set_language(language)
    return render_template(
        "respondent/thanks.html",
        **_context(entry, entry.inst, language, min_group_size=entry.wave.min_group_size),
    )


# -- section pages ----------------------------------------------------------------------------------


def _reachable(inst: Instrument, draft: Draft, index: int) -> int:
    """Return `index` if the respondent may be there, else the furthest section they may be."""
    visible = pages.visible_sections(inst, draft.answers)
    if index in visible and index <= draft.page:
        return index
    allowed = [i for i in visible if i <= draft.page]
    if allowed:
        return allowed[-1]
    return visible[0] if visible else 0


def _section_hidden(draft: Draft) -> dict[str, str]:
    return {"draft_id": draft.id, "submission_id": draft.submission_id}


@bp.get("/<any(s,i):kind>/<key>/page/<int:number>")
def page(kind: str, key: str, number: int) -> RedirectOrPage:
    entry = _entry(kind, key)
    draft = drafts.find_draft(db_session(), session.get(SESSION_DRAFT))
    if draft is None or not entry.owns(draft):
        return redirect(entry.url("welcome"), 303)
    if drafts.is_expired(draft, drafts.today()):
        return _gone(entry)
    _set_language(draft.language)
    gate = _gate(entry, draft)
    if gate is not None:
        return gate
    inst = entry.inst
    index = number - 1
    if not 0 <= index < len(inst.sections):
        abort(404)
    target = _reachable(inst, draft, index)
    if target != index:
        return redirect(entry.url("page", number=target + 1), 303)
    layout = pages.layout(inst, index, draft.answers)
    form_class = section_form(inst, index, draft.language, layout.items)
    form = form_class(formdata=None, data=initial_data(form_class, draft.answers))
    return _render_section(
        entry=entry,
        inst=inst,
        language=draft.language,
        page=layout,
        form=form,
        form_action=entry.url("page", number=number),
        hidden=_section_hidden(draft),
    )


def _posted_draft(entry: Entry) -> Draft | None:
    """Find the draft by the form's hidden id, else by the session cookie."""
    s = db_session()
    for draft_id in (request.form.get("draft_id"), session.get(SESSION_DRAFT)):
        draft = drafts.find_draft(s, draft_id)
        if draft is not None and entry.owns(draft):
            return draft
    return None


def _save(draft: Draft, answers: dict[str, Any], *, page: int) -> dt.date | None:
    """Write a draft's answers and return its new expiry date; None when it is gone.

    A draft is gone when it was submitted from another tab or purged. `draft` itself, read in
    the request's read session, is left untouched.
    """
    with db().transaction() as s:
        row = s.get(Draft, draft.id)
        if row is None:
            return None
        drafts.save_draft(
            row, answers, page=page, on=drafts.today(), days=current_app.config["DRAFT_DAYS"]
        )
        expires_on = row.expires_on
    session[SESSION_DRAFT] = draft.id
    return expires_on


def _draft_vanished(entry: Entry, draft: Draft) -> WerkzeugResponse | tuple[str, int]:
    with db().session() as s:
        if already_submitted(s, draft.submission_id):
            session.pop(SESSION_DRAFT, None)
            return _thanks_redirect(entry, draft.language)
    return _gone(entry)


@bp.post("/<any(s,i):kind>/<key>/page/<int:number>")
def post_page(kind: str, key: str, number: int) -> RedirectOrPage:
    entry = _entry(kind, key)
    formdata = request.form
    if request.files:
        return _bad_request("files sent")
    state = _token_state()
    if state is TokenState.BAD:
        return _bad_request("token")
    submission_id = formdata.get("submission_id")
    if not drafts.is_random_id(submission_id) or not (
        "draft_id" not in formdata or drafts.is_random_id(formdata.get("draft_id"))
    ):
        return _bad_request("no submission id or draft id")
    assert submission_id is not None  # noqa: S101 - checked just above
    if already_submitted(db_session(), submission_id):
        # A second click, or a retry after a timeout: the response is stored; say thanks again.
        if session.get(SESSION_DRAFT) == formdata.get("draft_id"):
            session.pop(SESSION_DRAFT, None)
        return _thanks_redirect(entry, None)
    draft = _posted_draft(entry)
    if draft is None or drafts.is_expired(draft, drafts.today()):
        return _gone(entry)
    if not hmac.compare_digest(draft.submission_id, submission_id):
        return _bad_request("submission id does not belong to the draft")
    _set_language(draft.language)
    gate = _gate(entry, draft)
    if gate is not None:
        return gate
    inst = entry.inst
    index = number - 1
    if not 0 <= index < len(inst.sections):
        abort(404)
    target = _reachable(inst, draft, index)
    if target != index:
        return redirect(entry.url("page", number=target + 1), 303)

    layout = pages.layout(inst, index, draft.answers)
    form_class = section_form(inst, index, draft.language, layout.items)
    problem = malformed(form_class, formdata)
    if problem:
        return _bad_request(problem)
    form = form_class(formdata=formdata)

    def again(**extra: Any) -> str:
        return _render_section(
            entry=entry,
            inst=inst,
            language=draft.language,
            page=layout,
            form=form,
            form_action=entry.url("page", number=number),
            hidden=_section_hidden(draft),
            **extra,
        )

    if state is TokenState.STALE:
        session[SESSION_DRAFT] = draft.id
        return again(stale=True)
    action = formdata.get("action", "next")
    known = pages.known_answers(inst, index, draft.answers)
    if not form.check(known, require=action in ("next", "submit")):
        return again()
    own = {item.id for item in inst.sections[index].items}
    merged = {k: v for k, v in draft.answers.items() if k not in own} | form.answers()

    if action == "save":
        expires_on = _save(draft, merged, page=index)
        if expires_on is None:
            return _draft_vanished(entry, draft)
        return render_template(
            "respondent/saved.html",
            **_context(
                entry,
                inst,
                draft.language,
                resume_url=_public_url(entry.url("resume", draft_id=draft.id)),
                continue_url=entry.url("page", number=number),
                expires_on=expires_on,
            ),
        )
    if action == "back":
        if not _save(draft, merged, page=index):
            return _draft_vanished(entry, draft)
        previous = pages.previous_section(inst, index, merged)
        if previous is None:
            return redirect(entry.url("welcome", lang=draft.language), 303)
        return redirect(entry.url("page", number=previous + 1), 303)
    following = pages.next_section(inst, index, merged)
    if following is not None:
        if not _save(draft, merged, page=following):
            return _draft_vanished(entry, draft)
        return redirect(entry.url("page", number=following + 1), 303)
    return _finish(entry, draft, merged, index)


def _finish(entry: Entry, draft: Draft, answers: dict[str, Any], index: int) -> RedirectOrPage:
    """Store the response (all or nothing, once) and say thanks."""
    inst = entry.inst
    kept = instrument.prune(inst, answers)
    problems = instrument.response_problems(inst, kept)
    if problems:
        # A required answer on an earlier page is missing (changed in another tab since):
        # keep what is here and send the respondent to that page.
        if not _save(draft, answers, page=index):
            return _draft_vanished(entry, draft)
        flash(_("Some answers are still needed. Check this page, then continue."), "error")
        bad = [i for i, s in enumerate(inst.sections) if any(it.id in problems for it in s.items)]
        return redirect(entry.url("page", number=(bad[0] if bad else index) + 1), 303)
    result = store_response(
        db(),
        wave_id=entry.wave.id,
        language=draft.language,
        answers=kept,
        submission_id=draft.submission_id,
        on=drafts.today(),
        invitation_id=draft.invitation_id,
        draft_id=draft.id,
    )
    if result.outcome in (Outcome.STORED, Outcome.ALREADY_STORED):
        session.pop(SESSION_DRAFT, None)
        return _thanks_redirect(entry, draft.language)
    if result.outcome is Outcome.CLOSED:
        # The wave closed while this page was open: the draft stays, in case it reopens.
        with db().session() as s:
            wave = s.get(Wave, entry.wave.id)
        return _closed_page(entry, wave or entry.wave, draft)
    if result.outcome is Outcome.INVITATION_USED:
        return _used_page(entry)
    log.warning("a checked response was refused on storing: %s", sorted(result.problems))
    return _bad_request("the response does not fit the instrument")


def _public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return str(base).rstrip("/") + path


# -- preview (admins) -------------------------------------------------------------------------------


def _preview_version(version_id: int) -> Instrument:
    row = db_session().get(InstrumentVersion, version_id)
    if row is None:
        abort(404)
    return model(row)


def _preview_answers(inst: Instrument, raw: str | None) -> dict[str, Any]:
    """Read the answers a preview carries from page to page; drop whatever does not fit."""
    try:
        data = json.loads(raw or "{}")
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if not (isinstance(key, str) and inst.has_item(key) and instrument.is_answered(value)):
            continue
        try:
            if instrument.answer_problem(inst, inst.item(key), value) is None:
                kept[key] = value
        except TypeError:
            continue
    return kept


@bp.get("/preview/<int:version_id>")
@admin_required
def preview(version_id: int) -> str:
    inst = _preview_version(version_id)
    language = _browser_language(inst)
    _set_language(language)
    return _welcome_page(
        None,
        inst,
        language,
        min_group_size=current_app.config["MIN_GROUP_SIZE"],
        preview_version=version_id,
    )


@bp.route("/preview/<int:version_id>/<int:number>", methods=["GET", "POST"])
@admin_required
def preview_page(version_id: int, number: int) -> RedirectOrPage:
    """A section as a respondent sees it; answers travel in the form, nothing is stored."""
    inst = _preview_version(version_id)
    language = _browser_language(inst)
    _set_language(language)
    index = number - 1
    if not 0 <= index < len(inst.sections):
        abort(404)

    def show(
        at: int, answers: dict[str, Any], form: SectionForm | None = None, **extra: Any
    ) -> str:
        layout = pages.layout(inst, at, answers)
        if form is None:
            form_class = section_form(inst, at, language, layout.items)
            form = form_class(formdata=None, data=initial_data(form_class, answers))
        return _render_section(
            entry=None,
            inst=inst,
            language=language,
            page=layout,
            form=form,
            form_action=url_for(
                "respondent.preview_page", version_id=version_id, number=at + 1, lang=language
            ),
            hidden={"preview_answers": json.dumps(answers, ensure_ascii=False)},
            preview=True,
            **extra,
        )

    if request.method == "GET":
        return show(index, {})
    state = _token_state()
    if state is TokenState.BAD or request.files:
        return _bad_request("preview token")
    answers = _preview_answers(inst, request.form.get("preview_answers"))
    layout = pages.layout(inst, index, answers)
    form_class = section_form(inst, index, language, layout.items)
    problem = malformed(form_class, request.form, PREVIEW_CONTROLS)
    if problem:
        return _bad_request(problem)
    form = form_class(formdata=request.form)
    if state is TokenState.STALE:
        return show(index, answers, form, stale=True)
    action = request.form.get("action", "next")
    known = pages.known_answers(inst, index, answers)
    if not form.check(known, require=action in ("next", "submit")):
        return show(index, answers, form)
    own = {item.id for item in inst.sections[index].items}
    merged = {k: v for k, v in answers.items() if k not in own} | form.answers()
    if action == "save":
        return show(
            index, merged, notice=_("In the preview, “Save and finish later” saves nothing.")
        )
    if action == "back":
        previous = pages.previous_section(inst, index, merged)
        if previous is None:
            return redirect(url_for("respondent.preview", version_id=version_id, lang=language))
        return show(previous, merged)
    following = pages.next_section(inst, index, merged)
    if following is not None:
        return show(following, merged)
    return render_template(
        "respondent/thanks.html",
        **_context(
            None,
            inst,
            language,
            min_group_size=current_app.config["MIN_GROUP_SIZE"],
            preview=True,
            preview_version=version_id,
            preview_problems=instrument.response_problems(inst, instrument.prune(inst, merged)),
        ),
    )
