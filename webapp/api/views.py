"""JSON API: the results of the dashboard pages, for signed-in users of the same organization.

Every results endpoint answers a `repp score` report (`ScoreReportSchema`): the names of the
CLI's JSON, floats rounded alike, suppressed figures null. `/api/waves/<id>/results` holds that
one wave and `"comparison": null`, exactly what the wave page shows;
`/api/organizations/<id>/comparison` holds the baseline and 12-month waves' focus areas (no
items, no breakdowns) and their comparison, exactly what the comparison page shows.

Authorization is the session's, as on the pages: anonymous requests get 401, another
organization's ids 404 (so nobody learns which exist); errors are JSON too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.access import require_organization
from webapp.api.schemas import ScoreReportSchema
from webapp.dashboard.reports import comparison_data, comparison_pair, wave_report
from webapp.database import db_session
from webapp.extensions import csrf
from webapp.instruments import model
from webapp.models import Organization, Wave

bp = Blueprint("api", __name__)
csrf.exempt(bp)

F = TypeVar("F", bound=Callable[..., Any])

_report_schema = ScoreReportSchema()


@bp.errorhandler(HTTPException)
def json_error(exc: HTTPException) -> tuple[WerkzeugResponse, int]:
    status = exc.code or 500
    return jsonify({"error": exc.name, "status": status, "message": exc.description}), status


@bp.after_request
def no_store(response: WerkzeugResponse) -> WerkzeugResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


def signed_in(view: F) -> F:
    """Answer 401 (JSON, no redirect) unless a user is signed in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return jsonify({"error": "Unauthorized", "status": 401}), 401
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _language(languages: tuple[str, ...]) -> str | None:
    wanted = request.args.get("lang")
    return wanted if wanted in languages else None


@bp.get("/health")
def health() -> WerkzeugResponse:
    return jsonify({"status": "ok"})


@bp.get("/waves/<int:wave_id>/results")
@signed_in
def wave_results(wave_id: int) -> WerkzeugResponse:
    session = db_session()
    wave = session.get(Wave, wave_id)
    if wave is None:
        raise NotFound()
    require_organization(wave.organization_id)
    language = _language(model(wave.instrument_version).languages)
    return jsonify(_report_schema.dump(wave_report(session, wave, language)))


@bp.get("/organizations/<int:org_id>/comparison")
@signed_in
def organization_comparison(org_id: int) -> WerkzeugResponse:
    require_organization(org_id)
    session = db_session()
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound()
    pair = comparison_pair(org)
    language = _language(model(pair[0].instrument_version).languages) if pair else None
    data = comparison_data(session, org, language)
    if data is None:
        raise NotFound(
            "no comparison: it needs a 'baseline' and a '12-month' wave of one questionnaire"
        )
    return jsonify(_report_schema.dump(data.report()))
