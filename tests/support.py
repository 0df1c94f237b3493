"""Helpers for the web app tests: CSRF tokens from pages, and signing in through the real form."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from webapp.db import Database

TEST_SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery staple"


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form in a page."""
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


class AuthActions:
    """Sign users in and out through the real login form."""

    def __init__(self, client: FlaskClient, database: Database) -> None:
        self.client = client
        self.db = database

    def create(self, email: str, role: str = "admin", org_slug: str | None = None) -> int:
        from webapp.models import Role
        from webapp.organizations import find_organization
        from webapp.users import add_user

        with self.db.transaction() as s:
            org = find_organization(s, org_slug) if org_slug else None
            return add_user(s, email, PASSWORD, Role(role), org).id

    def login(self, email: str, password: str = PASSWORD) -> Any:
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
        )

    def logout(self) -> Any:
        page = self.client.get("/dashboard/")
        return self.client.post("/logout", data={"csrf_token": csrf_token(page.text)})
