"""The app factory: settings, extensions, blueprints, headers and error pages; no side effects.

It never prompts, touches the network or migrates: `repp init` creates and upgrades the schema.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, request, send_file, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.config import load_config
from webapp.db import Database
from webapp.extensions import babel, csrf, login_manager

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")

# No inline script or style, nothing from another host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure unless the request is for localhost."""

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = str(app.config.get("COOKIE_SECURE", "auto")).lower()
        if setting != "auto":
            return setting == "true"
        host = (request.host or "").rsplit(":", 1)[0] if request else ""
        return host not in LOCAL_HOSTS


def instance_folder(config: Mapping[str, Any] | None) -> Path:
    """Return the instance folder: the config's, `REPP_INSTANCE_PATH`, or ./instance."""
    raw = (config or {}).get("INSTANCE_PATH") or os.environ.get("REPP_INSTANCE_PATH") or "instance"
    return Path(raw).resolve()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the web app from defaults, `REPP_*` environment variables and `config`."""
    instance_path = instance_folder(config)
    app = Flask("webapp", instance_path=str(instance_path))
    app.config.update(load_config(instance_path, overrides=config))
    app.config["INSTANCE_PATH"] = str(instance_path)
    app.session_interface = SessionInterface()
    app.extensions["repp.db"] = Database(
        app.config["DATABASE_URL"], echo=app.config["DATABASE_ECHO"]
    )

    csrf.init_app(app)
    _init_login(app)
    _init_babel(app)
    _register_blueprints(app)
    _register_errors(app)
    app.after_request(_security_headers)
    app.teardown_appcontext(_close_session)
    app.add_url_rule("/static/vendor/plotly.min.js", "plotly_js", _plotly_js)
    app.add_url_rule("/static/vendor/charts.js", "charts_js", _charts_js)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.jinja_env.globals["languages"] = [
        lang.strip() for lang in app.config["LANGUAGES"].split(",")
    ]
    app.jinja_env.globals["get_locale"] = get_locale
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    return app


def _init_login(app: Flask) -> None:
    from webapp.database import db_session
    from webapp.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db_session().get(User, int(user_id))
        return user if user is not None and user.active else None


def _init_babel(app: Flask) -> None:
    from webapp.i18n import select_locale

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(resources.files("webapp") / "translations"),
    )


def _register_blueprints(app: Flask) -> None:
    from webapp.admin.views import bp as admin_bp
    from webapp.api.views import bp as api_bp
    from webapp.auth import bp as auth_bp
    from webapp.dashboard.views import bp as dashboard_bp
    from webapp.program.views import bp as program_bp
    from webapp.respondent.views import bp as respondent_bp

    app.register_blueprint(respondent_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(program_bp, url_prefix="/program")


def _register_errors(app: Flask) -> None:
    from webapp.error_pages import register

    register(app)


def _security_headers(response: WerkzeugResponse) -> WerkzeugResponse:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # same-origin, not no-referrer: Flask-WTF's HTTPS referrer check needs our own referrer.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if getattr(g, "no_store", False):
        # Survey pages may be on a shared computer: keep answers out of the browser's cache.
        headers["Cache-Control"] = "no-store"
    return response


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def _favicon() -> WerkzeugResponse:
    return redirect(url_for("static", filename="favicon.svg"), code=301)


def _plotly_js() -> WerkzeugResponse:
    path = resources.files("plotly") / "package_data" / "plotly.min.js"
    return send_file(str(path), mimetype="text/javascript", max_age=7 * 24 * 3600)


def _charts_js() -> WerkzeugResponse:
    # The report inlines the same file, so pages and report draw charts the same way.
    path = resources.files("scoring") / "templates" / "charts.js"
    return send_file(str(path), mimetype="text/javascript", max_age=3600)
