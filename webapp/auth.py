"""Sign in and out for CfJJ admins and organization leaders (Flask-Login, argon2id, rate limit)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from webapp.database import db
from webapp.security import (
    DUMMY_HASH,
    LoginLimiter,
    attempt_key,
    hash_password,
    needs_rehash,
    verify_password,
)
from webapp.users import find_user_by_email

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


def _limiter() -> LoginLimiter:
    return LoginLimiter(
        current_app.config["LOGIN_MAX_ATTEMPTS"],
        dt.timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"]),
    )


def _safe_next(target: str | None) -> str:
    """Return `target` when it is a path on this site, else the dashboard."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("dashboard.index")


@bp.get("/")
def home() -> str:
    return render_template("home.html")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | WerkzeugResponse | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    form.email.label.text = _("Email")
    form.password.label.text = _("Password")
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    secret = current_app.config["SECRET_KEY"]
    email = form.email.data.strip().lower()
    keys = [
        attempt_key(secret, "account", email),
        attempt_key(secret, "client", request.remote_addr or "unknown"),
    ]
    now = dt.datetime.now(dt.UTC)
    limiter = _limiter()
    with db().transaction() as s, limiter.attempt(s, keys, now):
        if limiter.blocked(s, keys, now):
            flash(
                _(
                    "Too many failed sign-in attempts. Wait %(minutes)s minutes and try again.",
                    minutes=current_app.config["LOGIN_WINDOW_MINUTES"],
                ),
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        user = find_user_by_email(s, email)
        ok = verify_password(user.password_hash if user else DUMMY_HASH, form.password.data)
        if not (ok and user is not None and user.active):
            limiter.record_failure(s, keys, now)
            flash(_("The email or password is not right."), "error")
            return render_template("auth/login.html", form=form), 401
        limiter.reset(s, keys[:1])
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(form.password.data)
    session.clear()
    login_user(user)
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))
