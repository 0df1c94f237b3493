"""A wave's results page, its downloads (CSV and JSON) and, for admins, its free-text comments."""

from __future__ import annotations

import re

from flask import current_app, render_template, request
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

import scoring
from webapp.access import admin_required
from webapp.dashboard import comments, content, gap
from webapp.dashboard.blueprint import (
    attachment,
    bp,
    instrument_title,
    page_language,
    visible_wave,
)
from webapp.dashboard.progress import progress_of
from webapp.dashboard.reports import wave_report
from webapp.database import db_session
from webapp.instruments import model
from webapp.models import Wave
from webapp.waves import response_count


def file_name(*parts: str) -> str:
    """Return a file name safe in a Content-Disposition header: letters, digits, '.', '_', '-'."""
    joined = "-".join(re.sub(r"[^A-Za-z0-9._-]+", "_", p).strip("_") or "x" for p in parts)
    return joined[:120]


def _wave_file(wave: Wave, extension: str) -> str:
    return file_name("repp", wave.organization.slug, wave.label) + f".{extension}"


@bp.get("/waves/<int:wave_id>")
@login_required
def wave(wave_id: int) -> str:
    session = db_session()
    row = visible_wave(wave_id)
    inst = model(row.instrument_version)
    language = page_language(inst)
    count = response_count(session, row)
    shown = count >= row.min_group_size
    results = content.wave_content(session, row, language) if shown else None
    gap_form = (
        gap.gap_form(inst, results.data.result, language, request.args)
        if results is not None
        else None
    )
    return render_template(
        "dashboard/wave.html",
        wave=row,
        progress=progress_of(session, [row])[row.id],
        title=instrument_title(row.instrument_version),
        results=results,
        gap=gap_form,
        language=language,
    )


@bp.get("/waves/<int:wave_id>/results.csv")
@login_required
def wave_csv(wave_id: int) -> WerkzeugResponse:
    row = visible_wave(wave_id)
    language = page_language(model(row.instrument_version))
    report = wave_report(db_session(), row, language)
    return attachment(scoring.report_csv(report), "text/csv", _wave_file(row, "csv"))


@bp.get("/waves/<int:wave_id>/results.json")
@login_required
def wave_json(wave_id: int) -> WerkzeugResponse:
    row = visible_wave(wave_id)
    language = page_language(model(row.instrument_version))
    report = wave_report(db_session(), row, language)
    return attachment(scoring.report_json(report), "application/json", _wave_file(row, "json"))


@bp.get("/waves/<int:wave_id>/comments")
@admin_required
def wave_comments(wave_id: int) -> str:
    session = db_session()
    row = visible_wave(wave_id)
    inst = model(row.instrument_version)
    language = page_language(inst)
    minimum = int(current_app.config["MIN_RESPONSES_FOR_TEXT"])
    count = response_count(session, row)
    questions = comments.comments(session, row, language) if count >= minimum else None
    return render_template(
        "dashboard/comments.html",
        wave=row,
        count=count,
        minimum=minimum,
        questions=questions,
    )
