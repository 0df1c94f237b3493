"""Admin pages (CfJJ staff only): the home page; importing this module registers every page."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from webapp.access import admin_required

# Importing the page modules registers their routes on the blueprint.
from webapp.admin import instrument_pages, organization_pages, user_pages, wave_pages
from webapp.admin.blueprint import bp
from webapp.dashboard.progress import progress_of
from webapp.database import db_session
from webapp.models import InstrumentVersion, Organization, User, Wave, WaveStatus

__all__ = ["bp", "instrument_pages", "organization_pages", "user_pages", "wave_pages"]


@bp.get("/")
@admin_required
def index() -> str:
    session = db_session()
    by_status = dict(session.execute(select(Wave.status, func.count()).group_by(Wave.status)).all())
    open_waves = session.scalars(
        select(Wave).where(Wave.status == WaveStatus.OPEN).order_by(Wave.id)
    ).all()
    counts = {
        "instruments": session.scalar(select(func.count()).select_from(InstrumentVersion)) or 0,
        "organizations": session.scalar(select(func.count()).select_from(Organization)) or 0,
        "users": session.scalar(select(func.count()).where(User.active.is_(True))) or 0,
        "waves": sum(by_status.values()),
        "open": by_status.get(WaveStatus.OPEN, 0),
        "draft": by_status.get(WaveStatus.DRAFT, 0),
        "closed": by_status.get(WaveStatus.CLOSED, 0),
    }
    return render_template(
        "admin/index.html",
        counts=counts,
        open_waves=open_waves,
        progress=progress_of(session, open_waves),
    )
