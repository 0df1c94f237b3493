"""What the admin and dashboard tests share: a small instrument, a world of two organizations,
signed-in clients and the visible text of a page. Its own tests check the helpers themselves.
"""

from __future__ import annotations

import copy
import html
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

import instrument
from tests.support import AuthActions, csrf_token
from webapp.db import Database
from webapp.instruments import add_version
from webapp.models import Organization, Role, User, WaveStatus
from webapp.organizations import add_organization
from webapp.security import hash_password
from webapp.waves import create_wave

PASSWORD = "correct horse battery staple"

MINI: dict[str, Any] = {
    "format": "repp-instrument/1",
    "id": "mini",
    "version": "1",
    "title": "Mini survey",
    "languages": ["en"],
    "scales": {
        "agree": {"points": [{"value": v, "label": f"point {v}"} for v in range(1, 6)]},
    },
    "focus_areas": [{"id": "lead", "title": "Leadership"}],
    "sections": [
        {
            "id": "s1",
            "title": "Section one",
            "items": [
                {
                    "id": "q1",
                    "type": "likert",
                    "text": "Leaders care.",
                    "scale": "agree",
                    "focus_area": "lead",
                },
                {"id": "q2", "type": "text", "text": "Anything else?"},
            ],
        }
    ],
}


def mini_document(**changes: Any) -> dict[str, Any]:
    """Return a fresh copy of the small valid instrument, with top-level keys changed."""
    doc = copy.deepcopy(MINI)
    doc.update(changes)
    return doc


def visible_text(page: str) -> str:
    """Return the text of a page's <main> as a reader sees it: no tags, entities decoded."""
    start, end = page.find("<main"), page.find("</main>")
    body = page[start:end] if start >= 0 and end >= 0 else page
    body = re.sub(r"</?(?:a|code|em|span|strong)\b[^>]*>", "", body)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def post_form(
    client: FlaskClient, page_path: str, action: str, data: dict[str, Any]
) -> TestResponse:
    """Open `page_path` for its CSRF token, then POST `data` to `action`."""
    token = csrf_token(client.get(page_path).text)
    return client.post(action, data={"csrf_token": token, **data})


def upload(
    client: FlaskClient, content: bytes | dict[str, Any], filename: str = "inst.json"
) -> TestResponse:
    """Upload an instrument file through the admin form."""
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    token = csrf_token(client.get("/admin/instruments/upload").text)
    return client.post(
        "/admin/instruments/upload",
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def refusal_problems(response: TestResponse, anchor: str | None, message: str) -> list[str]:
    """Return what is wrong with the page of a refused form (nothing when all is right).

    A refused form answers 400 with an error summary linking to the field (`anchor`) and the
    message; never a 500.
    """
    problems = []
    if response.status_code != 400:
        problems.append(f"status {response.status_code}")
    if 'class="error-summary"' not in response.text:
        problems.append("no error summary")
    if anchor and f'href="{anchor}"' not in response.text:
        problems.append(f"no link to {anchor}")
    if message not in visible_text(response.text):
        problems.append(f"no message {message!r}")
    return problems


@dataclass(frozen=True)
class World:
    """Two organizations, A and B, each with an open wave of the same instrument version."""

    org_a: int
    org_b: int
    version: int
    wave_a: int
    wave_b: int
    admin: int
    leader_a: int
    leader_b: int


@cache
def _password_hash() -> str:
    # Hashing with argon2id is slow on purpose: do it once per test run, not once per user.
    return hash_password(PASSWORD)


def _user(session: Session, email: str, role: Role, org: Organization | None = None) -> User:
    user = User(email=email, password_hash=_password_hash(), role=role, organization=org)
    session.add(user)
    session.flush()
    return user


def make_world(db: Database, document: dict[str, Any] | None = None) -> World:
    inst = instrument.load(document or mini_document())
    with db.transaction() as s:
        org_a = add_organization(s, "org-a", "Organization A", "education")
        org_b = add_organization(s, "org-b", "Organization B", "police")
        version, _ = add_version(s, inst)
        wave_a = create_wave(
            s, org_a, version, "baseline", expected_headcount=8, status=WaveStatus.OPEN
        )
        wave_b = create_wave(s, org_b, version, "baseline", status=WaveStatus.OPEN)
        admin = _user(s, "admin@cfjj.org", Role.ADMIN)
        leader_a = _user(s, "lead@a.org", Role.LEADER, org_a)
        leader_b = _user(s, "lead@b.org", Role.LEADER, org_b)
        return World(
            org_a.id, org_b.id, version.id, wave_a.id, wave_b.id, admin.id, leader_a.id, leader_b.id
        )


def signed_in(app: Flask, email: str) -> FlaskClient:
    """Return a new client signed in as `email` through the real login form."""
    client = app.test_client()
    response = AuthActions(client, app.extensions["repp.db"]).login(email, PASSWORD)
    assert response.status_code == 302, response.text
    return client


# -- the helpers' own checks -----------------------------------------------------------------------


def test_the_small_instrument_is_valid_without_warnings() -> None:
    result = instrument.validate(mini_document())
    assert result.ok, result.problems
    assert result.warnings == ()


def test_visible_text_drops_tags_and_decodes_entities() -> None:
    page = "<main><p>a &lt;b&gt;</p><code>x</code>: y</main>"
    assert visible_text(page).strip() == "a <b> x: y"
