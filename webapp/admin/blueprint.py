"""The admin blueprint and what its pages share: 404s, full links, form pages."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import format_date, format_percent
from flask_wtf import FlaskForm

from webapp.database import db_session
from webapp.security import MIN_PASSWORD_LENGTH

bp = Blueprint("admin", __name__)

T = TypeVar("T")


def get_or_404(model: type[T], row_id: int) -> T:
    """Return the row with this id (in the request's read session), or abort with 404."""
    row = db_session().get(model, row_id)
    if row is None:
        abort(404)
    return row


def public_url(path: str) -> str:
    """Return the full address of a path on this site: PUBLIC_URL when set, else this host."""
    base = str(current_app.config.get("PUBLIC_URL") or "") or request.host_url
    return base.rstrip("/") + path


def form_page(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """Render a page with a form: 200 when first shown, 400 when a submission was refused."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


@bp.context_processor
def template_helpers() -> dict[str, Any]:
    return {
        "percent": format_percent,
        "date": format_date,
        "min_password_length": MIN_PASSWORD_LENGTH,
    }
