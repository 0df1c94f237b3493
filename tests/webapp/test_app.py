"""The app factory, configuration, headers and the sign-in flow."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import app_config
from tests.support import TEST_SECRET, AuthActions, csrf_token
from webapp.app import create_app
from webapp.config import ConfigError, load_config
from webapp.models import LoginAttempt


def test_config_comes_from_defaults_then_environment_then_overrides(tmp_path: Path) -> None:
    env = {"REPP_SECRET_KEY": TEST_SECRET, "REPP_MIN_GROUP_SIZE": "7", "REPP_DATABASE_ECHO": "yes"}
    config = load_config(tmp_path, overrides={"MIN_GROUP_SIZE": 9}, environ=env)
    assert config["MIN_GROUP_SIZE"] == 9
    assert config["DATABASE_ECHO"] is True
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'repp.sqlite3'}"
    assert load_config(tmp_path, environ=env)["MIN_GROUP_SIZE"] == 7


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({}, "REPP_SECRET_KEY"),
        ({"REPP_SECRET_KEY": "short"}, "REPP_SECRET_KEY"),
        ({"REPP_SECRET_KEY": TEST_SECRET, "REPP_DATABASE_URL": "mysql://x"}, "REPP_DATABASE_URL"),
        ({"REPP_SECRET_KEY": TEST_SECRET, "REPP_MIN_GROUP_SIZE": "2"}, "REPP_MIN_GROUP_SIZE"),
        ({"REPP_SECRET_KEY": TEST_SECRET, "REPP_MIN_GROUP_SIZE": "five"}, "whole number"),
        ({"REPP_SECRET_KEY": TEST_SECRET, "REPP_TESTING": "maybe"}, "true or false"),
    ],
)
def test_bad_configuration_fails_fast_naming_the_setting(
    tmp_path: Path, env: dict[str, str], fragment: str
) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_config(tmp_path, environ=env)


def test_the_factory_has_no_side_effects(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    create_app({"SECRET_KEY": TEST_SECRET, "INSTANCE_PATH": str(instance)})
    # No database file, no folder, no migration: `repp init` does that.
    assert not instance.exists()


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_plotly_is_served_by_the_app(client: FlaskClient) -> None:
    with client.get("/static/vendor/plotly.min.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert b"plotly" in response.get_data()[:2000].lower()


def test_unknown_page_is_a_readable_404(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_sign_in_and_out(auth: AuthActions, client: FlaskClient) -> None:
    auth.create("admin@cfjj.org")
    response = auth.login("admin@cfjj.org")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    auth.logout()
    assert client.get("/admin/").status_code == 302


def test_wrong_password_is_refused(auth: AuthActions) -> None:
    auth.create("admin@cfjj.org")
    response = auth.login("admin@cfjj.org", "wrong password here")
    assert response.status_code == 401
    assert "not right" in response.text


def test_login_attempts_are_limited_across_workers(app: Flask, auth: AuthActions) -> None:
    auth.create("admin@cfjj.org")
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    for _ in range(limit):
        assert auth.login("admin@cfjj.org", "wrong password here").status_code == 401
    # Even the right password is refused now; the count lives in the database, so a second
    # app (another worker) on the same database sees it too.
    assert auth.login("admin@cfjj.org").status_code == 429
    other = app.test_client()
    other_auth = AuthActions(other, app.extensions["repp.db"])
    assert other_auth.login("admin@cfjj.org").status_code == 429


def test_parallel_wrong_passwords_are_counted_one_after_another(
    app: Flask, auth: AuthActions
) -> None:
    """Parallel attempts on one account: only the limit's worth reach the password check."""
    auth.create("admin@cfjj.org")
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    # Each client gets its form (and token) first, so the posts themselves run together.
    clients = [AuthActions(app.test_client(), app.extensions["repp.db"]) for _ in range(12)]
    pages = [c.client.get("/login") for c in clients]
    start = threading.Barrier(len(clients))

    def attempt(index: int) -> int:
        actions = clients[index]
        start.wait()
        response = actions.client.post(
            "/login",
            data={
                "email": "admin@cfjj.org",
                "password": "wrong password here",
                "csrf_token": csrf_token(pages[index].text),
            },
        )
        return response.status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = sorted(pool.map(attempt, range(len(clients))))
    assert statuses == [401] * limit + [429] * (len(clients) - limit)
    with app.extensions["repp.db"].session() as s:
        rows = s.scalars(select(LoginAttempt)).all()
    assert sorted(row.failures for row in rows) == [limit, limit]  # the account and the client


def test_a_successful_login_leaves_no_rows_behind(app: Flask, auth: AuthActions) -> None:
    auth.create("admin@cfjj.org")
    assert auth.login("admin@cfjj.org").status_code == 302
    with app.extensions["repp.db"].session() as s:
        assert s.scalars(select(LoginAttempt)).all() == []


def test_behind_a_trusted_proxy_the_forwarded_client_is_the_key(
    tmp_path: Path, database_url: str
) -> None:
    seen: list[str | None] = []
    for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        app = create_app(app_config(tmp_path, database_url, PROXY_HOPS=hops))
        app.add_url_rule("/whoami", "whoami", lambda: seen.append(request.remote_addr) or "")
        app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"})
        app.extensions["repp.db"].dispose()
        assert seen.pop() == expected


def test_session_cookie_flags(auth: AuthActions, client: FlaskClient) -> None:
    auth.create("admin@cfjj.org")
    response = auth.login("admin@cfjj.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    # The test client's host is localhost: not Secure there; Secure everywhere else.
    assert "Secure" not in cookie
    page = client.get("/login", base_url="https://repp.example.org")
    assert page.status_code == 200
    remote = page.headers["Set-Cookie"]
    assert remote.startswith("repp_session=")
    assert "; Secure" in remote
    assert "HttpOnly" in remote
    assert "SameSite=Lax" in remote


def test_a_leader_cannot_open_admin_pages(auth: AuthActions, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    from webapp.organizations import add_organization

    with db.transaction() as s:
        add_organization(s, "org-a", "Org A")
    auth.create("lead@a.org", role="leader", org_slug="org-a")
    auth.login("lead@a.org")
    assert client.get("/admin/").status_code == 403


def test_dates_follow_the_configured_time_zone(tmp_path: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from webapp import clock

    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        app = create_app(
            {"SECRET_KEY": TEST_SECRET, "INSTANCE_PATH": str(tmp_path), "TIMEZONE": zone}
        )
        with app.app_context():
            assert clock.today() == dt.datetime.now(ZoneInfo(zone)).date()
    with pytest.raises(ConfigError, match="REPP_TIMEZONE"):
        load_config(
            tmp_path, environ={"REPP_SECRET_KEY": TEST_SECRET, "REPP_TIMEZONE": "Mars/Olympus"}
        )


def test_the_chart_script_is_the_one_the_report_inlines(client: FlaskClient) -> None:
    from importlib import resources

    with client.get("/static/vendor/charts.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        packaged = resources.files("scoring") / "templates" / "charts.js"
        assert response.get_data() == packaged.read_bytes()
