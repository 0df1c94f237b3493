"""The dashboard blueprint and what its pages share: finding rows, the page language, files."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g
from flask_babel import format_date, format_percent, get_locale

import instrument
from webapp.access import require_organization
from webapp.database import db_session
from webapp.instruments import model
from webapp.models import InstrumentVersion, Organization, Wave

bp = Blueprint("dashboard", __name__)


@bp.context_processor
def template_helpers() -> dict[str, Any]:
    return {"percent": format_percent, "date": format_date}


@bp.before_request
def keep_out_of_caches() -> None:
    # Results of one organization, and comments: not for a shared computer's browser cache.
    g.no_store = True


def instrument_title(row: InstrumentVersion) -> str:
    """Return an instrument's title in the page's language when it has one."""
    try:
        return model(row).title.get(str(get_locale()))
    except instrument.InstrumentError:
        return row.title


def page_language(inst: instrument.Instrument) -> str:
    """Return the page's language when the instrument speaks it, else the instrument's default."""
    locale = str(get_locale())
    return locale if locale in inst.languages else inst.default_language


def visible_wave(wave_id: int) -> Wave:
    """Return a wave the signed-in user may see, or abort with 404."""
    wave = db_session().get(Wave, wave_id)
    if wave is None:
        abort(404)
    require_organization(wave.organization_id)
    return wave


def visible_organization(org_id: int) -> Organization:
    """Return an organization the signed-in user may see, or abort with 404."""
    require_organization(org_id)
    org = db_session().get(Organization, org_id)
    if org is None:
        abort(404)
    return org


def attachment(body: str, mimetype: str, filename: str) -> Response:
    """Return `body` as a file to save, never to display in place."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
