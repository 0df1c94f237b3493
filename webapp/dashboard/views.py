"""Leadership dashboards: aggregates of the user's own organization only.

Leaders see their organization's waves and how many people responded; never an answer, never an
item. Admins see every organization. Wave pages check the organization (404 for another's).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_babel import format_date, format_percent, get_locale
from flask_login import current_user, login_required
from sqlalchemy import select

import instrument
from webapp.access import require_organization
from webapp.dashboard.progress import progress_of
from webapp.database import db_session
from webapp.instruments import model
from webapp.models import InstrumentVersion, Organization, Wave

bp = Blueprint("dashboard", __name__)


@bp.context_processor
def template_helpers() -> dict[str, Any]:
    return {"percent": format_percent, "date": format_date}


def instrument_title(row: InstrumentVersion) -> str:
    """Return an instrument's title in the page's language when it has one."""
    try:
        return model(row).title.get(str(get_locale()))
    except instrument.InstrumentError:
        return row.title


@bp.get("/")
@login_required
def index() -> str:
    session = db_session()
    if current_user.is_admin:
        orgs = list(session.scalars(select(Organization).order_by(Organization.name)))
    elif current_user.organization_id is not None:
        own = session.get(Organization, current_user.organization_id)
        orgs = [own] if own is not None else []
    else:
        orgs = []
    waves = [wave for org in orgs for wave in org.waves]
    return render_template(
        "dashboard/index.html",
        orgs=orgs,
        progress=progress_of(session, waves),
        instrument_title=instrument_title,
    )


@bp.get("/waves/<int:wave_id>")
@login_required
def wave(wave_id: int) -> str:
    session = db_session()
    row = session.get(Wave, wave_id)
    if row is None:
        abort(404)
    require_organization(row.organization_id)
    return render_template(
        "dashboard/wave.html",
        wave=row,
        progress=progress_of(session, [row])[row.id],
        title=instrument_title(row.instrument_version),
    )
