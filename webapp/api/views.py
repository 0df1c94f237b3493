"""JSON API."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)


@bp.get("/health")
def health() -> WerkzeugResponse:
    return jsonify({"status": "ok"})
