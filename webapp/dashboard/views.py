"""Leadership dashboards: aggregates of the user's own organization only.

Leaders see their organization's waves, how many people responded and the results of groups
large enough to keep everyone anonymous; never an answer. Admins see every organization, and
alone see free-text comments. Pages of one organization answer 404 to anyone else.
Importing this module registers every page of the blueprint.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

# Importing the page modules registers their routes on the blueprint.
from webapp.dashboard import organization_pages, wave_pages
from webapp.dashboard.blueprint import bp, instrument_title
from webapp.dashboard.progress import progress_of
from webapp.dashboard.reports import comparison_pair
from webapp.database import db_session
from webapp.models import Organization

__all__ = ["bp", "organization_pages", "wave_pages"]


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
        comparable={org.id for org in orgs if comparison_pair(org) is not None},
    )
