"""An organization's baseline vs 12-month comparison, its downloads, and the report download."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

import scoring
from scoring.report import render_report
from webapp import report_sections
from webapp.dashboard import content
from webapp.dashboard.blueprint import attachment, bp, page_language, visible_organization
from webapp.dashboard.reports import (
    comparison_data,
    comparison_pair,
    organization_report,
    report_waves,
)
from webapp.dashboard.wave_pages import file_name
from webapp.database import db_session
from webapp.instruments import model
from webapp.models import Organization

#: The report is one file with its scripts and styles inline; it may fetch nothing at all.
REPORT_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)


def _language(org: Organization) -> str:
    pair = comparison_pair(org)
    return page_language(model(pair[0].instrument_version)) if pair else "en"


@bp.get("/organizations/<int:org_id>/comparison")
@login_required
def comparison(org_id: int) -> str:
    session = db_session()
    org = visible_organization(org_id)
    pair = comparison_pair(org)
    data = None
    figures = None
    language = None
    if pair is not None:
        language = page_language(model(pair[0].instrument_version))
        data = comparison_data(session, org, language)
        if data is not None:
            figures = content.comparison_content(session, data, language)
    return render_template(
        "dashboard/comparison.html",
        org=org,
        data=data,
        figures=figures,
        language=language,
    )


def _comparison_report(org_id: int) -> tuple[Organization, scoring.ScoreReport]:
    org = visible_organization(org_id)
    data = comparison_data(db_session(), org, _language(org))
    if data is None:
        abort(404)
    return org, data.report()


@bp.get("/organizations/<int:org_id>/comparison.csv")
@login_required
def comparison_csv(org_id: int) -> WerkzeugResponse:
    org, report = _comparison_report(org_id)
    name = file_name("repp", org.slug, "comparison") + ".csv"
    return attachment(scoring.report_csv(report), "text/csv", name)


@bp.get("/organizations/<int:org_id>/comparison.json")
@login_required
def comparison_json(org_id: int) -> WerkzeugResponse:
    org, report = _comparison_report(org_id)
    name = file_name("repp", org.slug, "comparison") + ".json"
    return attachment(scoring.report_json(report), "application/json", name)


@bp.get("/organizations/<int:org_id>/report")
@login_required
def report(org_id: int) -> WerkzeugResponse:
    """The self-contained HTML report of one instrument's waves, in the viewer's language."""
    session = db_session()
    org = visible_organization(org_id)
    version = request.args.get("instrument", type=int)
    waves = report_waves(org, version)
    if not waves:
        abort(404)
    inst = model(waves[0].instrument_version)
    wanted = request.args.get("lang", "")
    language = wanted if wanted in inst.languages else page_language(inst)
    score_report = organization_report(session, waves, language)
    html = render_report(
        inst,
        score_report,
        organization=org.name,
        language=language,
        extra_sections=report_sections.sections_for(session, org, language),
    )
    name = file_name("repp-report", org.slug, inst.id, language) + ".html"
    response = attachment(html, "text/html", name)
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response
