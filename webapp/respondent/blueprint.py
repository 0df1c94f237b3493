"""The respondent blueprint and what holds for every page on it."""

from __future__ import annotations

from flask import Blueprint, g, request

from webapp.extensions import csrf, login_manager

bp = Blueprint("respondent", __name__)
# The respondent forms check their CSRF token themselves (`guard.token_state`): an expired token
# or a lost session must show the page again with the answers kept, not refuse it.
csrf.exempt(bp)


@bp.before_request
def _respondent_request() -> None:
    # Survey pages may be on a shared computer: nothing of them in the browser's cache.
    g.no_store = True
    if not (request.endpoint or "").startswith("respondent.preview"):
        # Respondents are anonymous whoever is signed in. Settling that here also keeps
        # Flask-Login's session protection from touching the session or the remember cookie.
        g._login_user = login_manager.anonymous_user()
