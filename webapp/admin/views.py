"""Admin pages (CfJJ staff only)."""

from __future__ import annotations

from flask import Blueprint, render_template

from webapp.access import admin_required

bp = Blueprint("admin", __name__)


@bp.get("/")
@admin_required
def index() -> str:
    return render_template("admin/index.html")
