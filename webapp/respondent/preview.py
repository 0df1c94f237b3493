"""The admin preview: any stored instrument version exactly as respondents see it.

The same templates and forms as the respondent pages, with a banner. Answers travel from page to
page in a hidden field of the form and nowhere else: the preview never creates a draft, a
submission marker or a response.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

import instrument
from instrument import Instrument
from webapp.access import admin_required
from webapp.database import db_session
from webapp.instruments import model
from webapp.models import InstrumentVersion
from webapp.respondent import pages
from webapp.respondent.blueprint import bp
from webapp.respondent.forms import (
    ACTION_FIELD,
    PREVIEW_CONTROLS,
    PREVIEW_FIELD,
    SectionForm,
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
    language = browser_language(inst)
    set_language(language)
    return welcome_page(
        None,
        inst,
        language,
        min_group_size=current_app.config["MIN_GROUP_SIZE"],
        preview_version=version_id,
    )


@bp.route("/preview/<int:version_id>/<int:number>", methods=["GET", "POST"])
@admin_required
def preview_page(version_id: int, number: int) -> WerkzeugResponse | str | tuple[str, int]:
    """A section as a respondent sees it; answers travel in the form, nothing is stored."""
    inst = _preview_version(version_id)
    language = browser_language(inst)
    set_language(language)
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
        return section_page(
            entry=None,
            inst=inst,
            language=language,
            page=layout,
            form=form,
            form_action=url_for(
                "respondent.preview_page", version_id=version_id, number=at + 1, lang=language
            ),
            hidden={PREVIEW_FIELD: json.dumps(answers, ensure_ascii=False)},
            preview=True,
            **extra,
        )

    if request.method == "GET":
        return show(index, {})
    state = token_state()
    if state is TokenState.BAD or request.files:
        return bad_request("preview token")
    answers = _preview_answers(inst, request.form.get(PREVIEW_FIELD))
    layout = pages.layout(inst, index, answers)
    form_class = section_form(inst, index, language, layout.items)
    problem = malformed(form_class, request.form, PREVIEW_CONTROLS)
    if problem:
        return bad_request(problem)
    form = form_class(formdata=request.form)
    if state is TokenState.STALE:
        return show(index, answers, form, stale=True)
    action = request.form.get(ACTION_FIELD, "next")
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
        **context(
            None,
            inst,
            language,
            min_group_size=current_app.config["MIN_GROUP_SIZE"],
            preview=True,
            preview_version=version_id,
            preview_problems=instrument.response_problems(inst, instrument.prune(inst, merged)),
        ),
    )
