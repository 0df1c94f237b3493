"""Who may see what: admins everywhere, leaders only their own organization."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])


def admin_required(view: F) -> F:
    """Allow CfJJ admins only; others get 403 (anonymous users go to sign in)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def require_organization(organization_id: int) -> None:
    """Abort with 404 unless the signed-in user may see this organization.

    404 rather than 403, so a leader cannot learn which other organizations exist.
    """
    if not current_user.is_authenticated or not current_user.can_see(organization_id):
        abort(404)
