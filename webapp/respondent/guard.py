"""What a POST must carry to be taken: a token of ours, from our own site, in a form of ours.

The blueprint is exempt from the app-wide CSRFProtect so that a token that merely aged, or whose
session cookie was lost, shows the page again with the answers kept instead of refusing it. A
missing, invalid or mismatched token, or a request a browser marks as cross-site, is refused.
"""

from __future__ import annotations

import enum
import logging
from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import ValidationError

from webapp.error_pages import error_page

log = logging.getLogger(__name__)


class TokenState(enum.Enum):
    VALID = "valid"
    #: Expired, or the session holding its secret is gone: show the page again, answers kept.
    STALE = "stale"
    BAD = "bad"


def same_site_request() -> bool:
    """Refuse what a browser marks as coming from another site (a forged cross-site POST)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    # Host only: behind a TLS proxy the scheme Flask sees may differ from the browser's.
    return origin is None or urlsplit(origin).netloc == request.host


def signed_by_us(token: str) -> bool:
    """Return whether a token carries this app's signature, however old (as Flask-WTF signs)."""
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    serializer = URLSafeTimedSerializer(secret, salt="wtf-csrf-token")
    try:
        serializer.loads(token)
    except BadData:
        return False
    return True


def token_state() -> TokenState:
    """Judge the posted form's CSRF token."""
    if not same_site_request():
        return TokenState.BAD
    token = request.form.get("csrf_token", "")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        # Flask-WTF says why only in its message.
        reason = str(exc.args[0]) if exc.args else ""
        if "expired" in reason:
            return TokenState.STALE
        if "session token is missing" in reason:
            return TokenState.STALE if signed_by_us(token) else TokenState.BAD
        return TokenState.BAD
    return TokenState.VALID


def bad_request(reason: str) -> tuple[str, int]:
    """The readable 400 page for a POST no form of ours sends; nothing was stored."""
    log.info("respondent form refused: %s", reason)
    return error_page(
        400,
        _("This form could not be accepted"),
        _(
            "What was sent does not fit this survey's form, so nothing was stored. "
            "Go back, reload the page and try again."
        ),
    )
