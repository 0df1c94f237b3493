"""Respondent pages: welcome, one page per section, save and resume, thank-you.

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
import hmac
import logging
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, session
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

import instrument
from instrument import Instrument
from webapp import drafts
from webapp.database import db, db_session
from webapp.models import Draft, Wave, WaveStatus
from webapp.respondent import pages
from webapp.respondent import preview as _preview  # noqa: F401 - its routes join the blueprint
from webapp.respondent.blueprint import bp
from webapp.respondent.entry import Entry, find_entry
from webapp.respondent.forms import (
    ACTION_FIELD,
    DRAFT_FIELD,
    SUBMISSION_FIELD,
    initial_data,
    malformed,
    section_form,
)
from webapp.respondent.guard import TokenState, bad_request, token_state
from webapp.respondent.rendering import (
    browser_language,
    context,
    section_page,
    set_language,
    welcome_page,
)
from webapp.responses import Outcome, already_submitted, store_response

log = logging.getLogger(__name__)

__all__ = ["bp"]

SESSION_DRAFT = "draft_id"
RedirectOrPage = WerkzeugResponse | str | tuple[str, int]


# -- pages that explain a state ---------------------------------------------------------------------


def _closed_page(entry: Entry, wave: Wave, draft: Draft | None) -> tuple[str, int]:
    """The page for a wave that takes no answers (yet); a draft is kept for when it reopens."""
    today = drafts.today()
    not_yet = wave.status is WaveStatus.DRAFT or (
        wave.status is WaveStatus.OPEN and wave.opens_on is not None and today < wave.opens_on
    )
    language = g.get("language") or entry.inst.default_language
    return render_template(
        "respondent/closed.html",
        **context(
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
    return render_template("respondent/used.html", **context(entry, entry.inst, language)), 200


def _gate(entry: Entry, draft: Draft | None = None) -> tuple[str, int] | None:
    """Return the page for a wave that takes no answers or a used invitation, else None."""
    if not entry.wave.accepting(drafts.today()):
        return _closed_page(entry, entry.wave, draft)
    if entry.invitation_used:
        return _used_page(entry)
    return None


def _gone(entry: Entry) -> tuple[str, int]:
    """The page for saved answers that expired, were submitted or never existed."""
    language = g.get("language") or browser_language(entry.inst)
    set_language(language)
    return render_template(
        "respondent/gone.html",
        **context(entry, entry.inst, language, days=current_app.config["DRAFT_DAYS"]),
    ), 404


def _thanks_redirect(entry: Entry, language: str | None) -> WerkzeugResponse:
    return redirect(entry.url("thanks", lang=language) if language else entry.url("thanks"), 303)


# -- welcome ----------------------------------------------------------------------------------------


def _session_draft(entry: Entry) -> Draft | None:
    """Return this entry's unexpired draft named by the session cookie, if any."""
    draft = drafts.find_draft(db_session(), session.get(SESSION_DRAFT))
    if draft is None or not entry.owns(draft) or drafts.is_expired(draft, drafts.today()):
        return None
    return draft


@bp.get("/<any(s,i):kind>/<key>")
def welcome(kind: str, key: str) -> RedirectOrPage:
    entry = find_entry(kind, key)
    draft = _session_draft(entry)
    language = browser_language(entry.inst)
    set_language(language)
    gate = _gate(entry, draft)
    if gate is not None:
        return gate
    continue_url = None
    if draft is not None:
        continue_url = entry.url("page", number=_reachable(entry.inst, draft, draft.page) + 1)
    return welcome_page(
        entry,
        entry.inst,
        language,
        min_group_size=entry.wave.min_group_size,
        continue_url=continue_url,
    )


@bp.post("/<any(s,i):kind>/<key>")
def start(kind: str, key: str) -> RedirectOrPage:
    """Start a new draft in the chosen language and go to the first section."""
    entry = find_entry(kind, key)
    form = request.form
    state = token_state()
    if state is TokenState.BAD:
        return bad_request("token")
    if request.files or set(form) - {"csrf_token", "language", "action"}:
        return bad_request("unknown fields on the welcome form")
    if any(len(form.getlist(k)) != 1 for k in form):
        return bad_request("a welcome field sent twice")
    language = form.get("language", entry.inst.default_language)
    if language not in entry.inst.languages:
        return bad_request("language not offered")
    set_language(language)
    gate = _gate(entry)
    if gate is not None:
        return gate
    if state is TokenState.STALE:
        return welcome_page(
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
    entry = find_entry(kind, key)
    draft = drafts.find_draft(db_session(), draft_id)
    if draft is None or not entry.owns(draft) or drafts.is_expired(draft, drafts.today()):
        return _gone(entry)
    set_language(draft.language)
    gate = _gate(entry, draft)
    if gate is not None:
        return gate
    session[SESSION_DRAFT] = draft.id
    return redirect(entry.url("page", number=_reachable(entry.inst, draft, draft.page) + 1), 303)


@bp.get("/<any(s,i):kind>/<key>/thanks")
def thanks(kind: str, key: str) -> str:
    entry = find_entry(kind, key)
    language = browser_language(entry.inst)
    set_language(language)
    return render_template(
        "respondent/thanks.html",
        **context(entry, entry.inst, language, min_group_size=entry.wave.min_group_size),
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
    return {DRAFT_FIELD: draft.id, SUBMISSION_FIELD: draft.submission_id}


@bp.get("/<any(s,i):kind>/<key>/page/<int:number>")
def page(kind: str, key: str, number: int) -> RedirectOrPage:
    entry = find_entry(kind, key)
    draft = drafts.find_draft(db_session(), session.get(SESSION_DRAFT))
    if draft is None or not entry.owns(draft):
        return redirect(entry.url("welcome"), 303)
    if drafts.is_expired(draft, drafts.today()):
        return _gone(entry)
    set_language(draft.language)
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
    return section_page(
        entry=entry,
        inst=inst,
        language=draft.language,
        page=layout,
        form=form,
        form_action=entry.url("page", number=number, lang=draft.language),
        hidden=_section_hidden(draft),
    )


def _posted_draft(entry: Entry) -> Draft | None:
    """Find the draft by the form's hidden id, else by the session cookie."""
    s = db_session()
    for draft_id in (request.form.get(DRAFT_FIELD), session.get(SESSION_DRAFT)):
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
    entry = find_entry(kind, key)
    formdata = request.form
    if request.files:
        return bad_request("files sent")
    state = token_state()
    if state is TokenState.BAD:
        return bad_request("token")
    submission_id = formdata.get(SUBMISSION_FIELD)
    if not drafts.is_random_id(submission_id) or not (
        DRAFT_FIELD not in formdata or drafts.is_random_id(formdata.get(DRAFT_FIELD))
    ):
        return bad_request("no submission id or draft id")
    assert submission_id is not None  # noqa: S101 - checked just above
    if already_submitted(db_session(), submission_id):
        # A second click, or a retry after a timeout: the response is stored; say thanks again.
        if session.get(SESSION_DRAFT) == formdata.get(DRAFT_FIELD):
            session.pop(SESSION_DRAFT, None)
        asked = request.args.get("lang")
        return _thanks_redirect(entry, asked if asked in entry.inst.languages else None)
    draft = _posted_draft(entry)
    if draft is None or drafts.is_expired(draft, drafts.today()):
        return _gone(entry)
    if not hmac.compare_digest(draft.submission_id, submission_id):
        return bad_request("submission id does not belong to the draft")
    set_language(draft.language)
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
        return bad_request(problem)
    form = form_class(formdata=formdata)

    def again(**extra: Any) -> str:
        return section_page(
            entry=entry,
            inst=inst,
            language=draft.language,
            page=layout,
            form=form,
            # The language rides along so that a repeated final POST thanks in it too.
            form_action=entry.url("page", number=number, lang=draft.language),
            hidden=_section_hidden(draft),
            **extra,
        )

    if state is TokenState.STALE:
        session[SESSION_DRAFT] = draft.id
        return again(stale=True)
    action = formdata.get(ACTION_FIELD, "next")
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
            **context(
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
    return bad_request("the response does not fit the instrument")


def _public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return str(base).rstrip("/") + path
