"""Admin pages for instruments: upload a file, add a bundled questionnaire, list, detail."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

import instrument
import questionnaires
from webapp.access import admin_required
from webapp.admin.blueprint import bp, form_page, get_or_404
from webapp.admin.forms import BundledInstrumentForm, InstrumentUploadForm
from webapp.database import db, db_session
from webapp.errors import DomainError
from webapp.instruments import add_version, model
from webapp.models import InstrumentVersion, Wave


@dataclass(frozen=True)
class Outcome:
    """What storing a valid instrument did: `added`, `replaced` or `present` (already there)."""

    version_id: int
    key: str
    title: str
    result: str


@cache
def _bundled(questionnaire_id: str) -> instrument.Instrument:
    # The bundled files ship with the code: they cannot change while the process runs.
    return questionnaires.load(questionnaire_id)


def bundled_choices() -> list[SelectChoice]:
    choices = []
    for questionnaire_id in questionnaires.list_bundled():
        inst = _bundled(questionnaire_id)
        choices.append(SelectChoice(questionnaire_id, f"{inst.title.get()} ({inst.key})"))
    return choices


def bundled_form() -> BundledInstrumentForm:
    form = BundledInstrumentForm()
    form.questionnaire.choices = bundled_choices()
    return form


def store(session: Session, inst: instrument.Instrument) -> Outcome:
    """Store a valid instrument as a version; raise DomainError if a wave holds it unchanged."""
    before = session.scalars(
        select(InstrumentVersion.content_hash).where(
            InstrumentVersion.instrument_id == inst.id, InstrumentVersion.version == inst.version
        )
    ).first()
    row, new = add_version(session, inst)
    if not new:
        result = "present"
    elif before is not None:
        result = "replaced"
    else:
        result = "added"
    return Outcome(row.id, row.key, row.title, result)


def outcome_message(outcome: Outcome) -> str:
    if outcome.result == "present":
        return _("%(key)s: already present (the same content is stored).", key=outcome.key)
    if outcome.result == "replaced":
        return _(
            "%(key)s: replaced (no wave used the earlier content of this version).",
            key=outcome.key,
        )
    return _("%(key)s: added.", key=outcome.key)


def wave_counts(session: Session) -> dict[int, int]:
    """Return how many waves use each instrument version."""
    rows = session.execute(
        select(Wave.instrument_version_id, func.count()).group_by(Wave.instrument_version_id)
    ).all()
    return {version_id: count for version_id, count in rows}


def typed(row: InstrumentVersion) -> instrument.Instrument | None:
    """Return a stored version's instrument, or None if it no longer passes validation."""
    try:
        return model(row)
    except instrument.InstrumentError:
        return None


def short_hash(content_hash: str) -> str:
    return content_hash.partition(":")[2][:12] or content_hash[:12]


def _list_page(bundled: BundledInstrumentForm | None = None, status: int = 200) -> tuple[str, int]:
    session = db_session()
    rows = session.scalars(
        select(InstrumentVersion).order_by(InstrumentVersion.instrument_id, InstrumentVersion.id)
    ).all()
    return (
        render_template(
            "admin/instruments.html",
            rows=rows,
            typed={row.id: typed(row) for row in rows},
            waves=wave_counts(session),
            short_hash=short_hash,
            bundled_form=bundled or bundled_form(),
        ),
        status,
    )


@bp.get("/instruments/")
@admin_required
def instruments() -> tuple[str, int]:
    return _list_page()


@bp.post("/instruments/bundled")
@admin_required
def add_bundled() -> WerkzeugResponse | tuple[str, int]:
    form = bundled_form()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    inst = _bundled(form.questionnaire.data)
    try:
        with db().transaction() as s:
            outcome = store(s, inst)
    except DomainError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.instruments"))
    flash(outcome_message(outcome), "success")
    return redirect(url_for("admin.instrument_version", version_id=outcome.version_id))


@bp.route("/instruments/upload", methods=["GET", "POST"])
@admin_required
def upload_instrument() -> tuple[str, int]:
    form = InstrumentUploadForm()
    if not form.validate_on_submit():
        return form_page("admin/instrument_upload.html", form)
    upload = form.file.data
    filename = upload.filename or "upload.json"
    try:
        document = instrument.parse_json(upload.read())
    except instrument.InstrumentError as exc:
        result = instrument.Validation(None, exc.problems, ())
    else:
        result = instrument.validate(document)
    if result.instrument is None:
        return form_page(
            "admin/instrument_upload.html",
            form,
            filename=filename,
            problems=result.problems,
            warnings=result.warnings,
        )
    try:
        with db().transaction() as s:
            outcome = store(s, result.instrument)
    except DomainError as exc:
        form.form_errors.append(str(exc))
        return form_page(
            "admin/instrument_upload.html", form, filename=filename, warnings=result.warnings
        )
    # A fresh form, so the page is ready for the next file.
    return render_template(
        "admin/instrument_upload.html",
        form=InstrumentUploadForm(formdata=None),
        filename=filename,
        warnings=result.warnings,
        outcome=outcome,
        message=outcome_message(outcome),
    ), 200


@bp.get("/instruments/<int:version_id>")
@admin_required
def instrument_version(version_id: int) -> str:
    row = get_or_404(InstrumentVersion, version_id)
    session = db_session()
    waves = session.scalars(
        select(Wave).where(Wave.instrument_version_id == row.id).order_by(Wave.id)
    ).all()
    return render_template(
        "admin/instrument_version.html",
        row=row,
        inst=typed(row),
        waves=waves,
        short_hash=short_hash,
    )
