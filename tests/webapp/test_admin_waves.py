"""Admin wave pages: create, open, close, the open link, progress and invitations."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.support import csrf_token
from tests.webapp.test_admin_support import (
    World,
    make_world,
    post_form,
    refusal_problems,
    signed_in,
    visible_text,
)
from webapp import clock
from webapp.db import Database
from webapp.models import Invitation, Response, Wave, WaveStatus
from webapp.waves import token_hash


@pytest.fixture
def world(db: Database) -> World:
    return make_world(db)


@pytest.fixture
def admin(app: Flask, world: World) -> FlaskClient:
    return signed_in(app, "admin@cfjj.org")


def _wave(db: Database, wave_id: int) -> Wave:
    with db.session() as s:
        wave = s.get(Wave, wave_id)
        assert wave is not None
        return wave


def _wave_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Wave)) or 0


def _create(admin: FlaskClient, **fields: Any) -> Any:
    return post_form(admin, "/admin/waves/new", "/admin/waves/new", fields)


def _add_responses(db: Database, wave_id: int, count: int) -> None:
    with db.transaction() as s:
        s.add_all(
            Response(wave_id=wave_id, language="en", submitted_on=clock.today(), answers={})
            for _ in range(count)
        )


def test_the_form_offers_the_configured_minimum_group_size(
    app: Flask, admin: FlaskClient, world: World
) -> None:
    app.config["MIN_GROUP_SIZE"] = 7
    page = admin.get(f"/admin/waves/new?organization={world.org_b}").text
    assert 'name="min_group_size"' in page
    assert 'value="7"' in page
    assert f'<option selected value="{world.org_b}">' in page


def test_create_a_wave(admin: FlaskClient, db: Database, world: World) -> None:
    response = _create(
        admin,
        organization=str(world.org_a),
        instrument_version=str(world.version),
        label="12-month",
        min_group_size="6",
        expected_headcount="40",
        opens_on="2025-03-01",
        closes_on="2025-03-31",
    )
    assert response.status_code == 302
    wave_id = int(response.headers["Location"].rsplit("/", 1)[1])
    wave = _wave(db, wave_id)
    assert (wave.organization_id, wave.instrument_version_id, wave.label) == (
        world.org_a,
        world.version,
        "12-month",
    )
    assert (wave.min_group_size, wave.expected_headcount) == (6, 40)
    assert (wave.opens_on, wave.closes_on) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert wave.status is WaveStatus.DRAFT
    page = admin.get(response.headers["Location"])
    assert "Wave 12-month created." in visible_text(page.text)
    assert f'action="/admin/waves/{wave_id}/open"' in page.text


def test_create_an_open_wave_at_once(admin: FlaskClient, db: Database, world: World) -> None:
    response = _create(
        admin,
        organization=str(world.org_b),
        instrument_version=str(world.version),
        label="pilot",
        min_group_size="5",
        open_now="y",
    )
    assert response.status_code == 302
    wave = _wave(db, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert wave.status is WaveStatus.OPEN
    assert wave.expected_headcount is None


def test_open_close_and_reopen(admin: FlaskClient, db: Database, world: World) -> None:
    page = f"/admin/waves/{world.wave_a}"
    response = post_form(admin, page, f"{page}/close", {})
    assert response.status_code == 302
    assert _wave(db, world.wave_a).status is WaveStatus.CLOSED
    text = admin.get(page).text
    assert "Wave baseline is closed" in visible_text(text)
    assert f'action="{page}/open"' in text
    assert f'action="{page}/close"' not in text
    post_form(admin, page, f"{page}/open", {})
    assert _wave(db, world.wave_a).status is WaveStatus.OPEN
    assert f'action="{page}/close"' in admin.get(page).text
    # The other organization's wave was never touched.
    assert _wave(db, world.wave_b).status is WaveStatus.OPEN


def test_a_draft_wave_is_opened(admin: FlaskClient, db: Database, world: World) -> None:
    response = _create(
        admin,
        organization=str(world.org_a),
        instrument_version=str(world.version),
        label="draft one",
        min_group_size="5",
    )
    page = response.headers["Location"]
    wave_id = int(page.rsplit("/", 1)[1])
    assert _wave(db, wave_id).status is WaveStatus.DRAFT
    post_form(admin, page, f"{page}/open", {})
    assert _wave(db, wave_id).status is WaveStatus.OPEN


def test_the_wave_page_shows_the_full_open_link(
    app: Flask, admin: FlaskClient, db: Database, world: World
) -> None:
    wave = _wave(db, world.wave_a)
    page = admin.get(f"/admin/waves/{world.wave_a}").text
    assert f'value="http://localhost/s/{wave.link_slug}"' in page
    assert 'id="open-link"' in page
    assert "readonly" in page
    app.config["PUBLIC_URL"] = "https://survey.example.org/"
    page = admin.get(f"/admin/waves/{world.wave_a}").text
    assert f'value="https://survey.example.org/s/{wave.link_slug}"' in page


def test_response_count_rate_and_invitation_counts(
    admin: FlaskClient, db: Database, world: World
) -> None:
    _add_responses(db, world.wave_a, 3)
    _add_responses(db, world.wave_b, 1)
    with db.transaction() as s:
        s.add_all(
            Invitation(wave_id=world.wave_a, token_hash=token_hash(f"t{i}"), used=i == 0)
            for i in range(4)
        )
    text = visible_text(admin.get(f"/admin/waves/{world.wave_a}").text)
    assert "Responses 3" in text
    assert "Expected headcount 8" in text
    assert "Response rate 38%" in text  # 3 of 8
    assert "Invitations used 1 of 4" in text
    # Wave B has no expected headcount, so no rate.
    text_b = visible_text(admin.get(f"/admin/waves/{world.wave_b}").text)
    assert "Responses 1" in text_b
    assert "no headcount" in text_b
    listing = visible_text(admin.get("/admin/waves/").text)
    assert "3 8 38%" in listing


def test_invitations_download_as_csv_of_full_links(
    admin: FlaskClient, db: Database, world: World
) -> None:
    page = f"/admin/waves/{world.wave_a}"
    assert "shown only once" in visible_text(admin.get(page).text)
    response = post_form(admin, page, f"{page}/invitations", {"count": "5"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".csv" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 5
    assert list(rows[0]) == ["invitation_link"]
    prefix = "http://localhost/i/"
    assert all(row["invitation_link"].startswith(prefix) for row in rows)
    tokens = [row["invitation_link"].removeprefix(prefix) for row in rows]
    assert len(set(tokens)) == 5
    assert all(len(token) >= 32 for token in tokens)
    with db.session() as s:
        stored = set(
            s.scalars(select(Invitation.token_hash).where(Invitation.wave_id == world.wave_a))
        )
    # The database holds each token's hash, and never the token itself.
    assert stored == {token_hash(token) for token in tokens}
    assert not stored & set(tokens)
    text = visible_text(admin.get(page).text)
    assert "Invitations used 0 of 5" in text


def test_invitation_links_use_the_public_url(app: Flask, admin: FlaskClient, world: World) -> None:
    app.config["PUBLIC_URL"] = "https://survey.example.org"
    page = f"/admin/waves/{world.wave_a}"
    response = post_form(admin, page, f"{page}/invitations", {"count": "2"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert all(r["invitation_link"].startswith("https://survey.example.org/i/") for r in rows)


def test_a_bad_invitation_count_shows_an_error(
    admin: FlaskClient, db: Database, world: World
) -> None:
    page = f"/admin/waves/{world.wave_a}"
    failures = {}
    for count in ["0", "-1", "10001", "abc", "", "2.5"]:
        response = post_form(admin, page, f"{page}/invitations", {"count": count})
        problems = refusal_problems(response, "#count", "")
        if response.mimetype != "text/html":
            problems.append(response.mimetype)
        if problems:
            failures[count] = problems
    assert failures == {}
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Invitation)) == 0


BAD_WAVES = [
    ({"organization": "999"}, "#organization", "Choose an organization from the list."),
    ({"organization": "abc"}, "#organization", "Choose an organization from the list."),
    ({"organization": ""}, "#organization", "Choose an organization."),
    ({"instrument_version": "999"}, "#instrument_version", "Choose an instrument version"),
    ({"min_group_size": "2"}, "#min_group_size", "must be at least 3"),
    ({"min_group_size": ""}, "#min_group_size", "Enter the smallest group size"),
    ({"expected_headcount": "0"}, "#expected_headcount", "at least 1"),
    ({"label": ""}, "#label", "Enter a label"),
    ({"label": "-bad"}, "#label", "Start with a letter or digit"),
    ({"label": "a\x00b"}, "#label", "Remove the control characters"),
    ({"opens_on": "2025-05-01", "closes_on": "2025-04-01"}, "#closes_on", "not be before"),
    ({"opens_on": "yesterday"}, "#opens_on", "Not a valid date"),
]


def test_bad_wave_input_shows_an_error_summary(
    admin: FlaskClient, db: Database, world: World
) -> None:
    valid = {
        "organization": str(world.org_a),
        "instrument_version": str(world.version),
        "label": "follow-up",
        "min_group_size": "5",
    }
    failures = {}
    for change, anchor, message in BAD_WAVES:
        response = _create(admin, **{**valid, **change})
        problems = refusal_problems(response, anchor, message)
        if 'aria-invalid="true"' not in response.text:
            problems.append("no field marked invalid")
        if problems:
            failures[repr(change)] = problems
    assert failures == {}
    assert _wave_count(db) == 2


def test_a_duplicate_label_shows_the_domain_message(
    admin: FlaskClient, db: Database, world: World
) -> None:
    response = _create(
        admin,
        organization=str(world.org_a),
        instrument_version=str(world.version),
        label="baseline",
        min_group_size="5",
    )
    assert response.status_code == 400
    assert "org-a already has a wave labelled 'baseline'" in visible_text(response.text)
    assert 'class="error-summary"' in response.text
    assert _wave_count(db) == 2


def test_a_post_without_csrf_token_is_refused(
    admin: FlaskClient, db: Database, world: World
) -> None:
    response = admin.post(
        "/admin/waves/new",
        data={
            "organization": str(world.org_a),
            "instrument_version": str(world.version),
            "label": "sneaky",
            "min_group_size": "5",
        },
    )
    assert response.status_code == 400
    assert _wave_count(db) == 2
    response = admin.post(f"/admin/waves/{world.wave_a}/close")
    assert response.status_code == 400
    assert _wave(db, world.wave_a).status is WaveStatus.OPEN


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "organization",
                "instrument_version",
                "label",
                "min_group_size",
                "expected_headcount",
                "opens_on",
                "closes_on",
                "open_now",
            ]
        ),
        st.one_of(
            st.text(max_size=70),
            st.integers(-5, 10**12).map(str),
            st.dates().map(str),
        ),
    )
)
def test_any_wave_form_is_a_page_never_a_500(admin: FlaskClient, fields: dict[str, str]) -> None:
    token = csrf_token(admin.get("/admin/waves/new").text)
    response = admin.post("/admin/waves/new", data={"csrf_token": token, **fields})
    assert response.status_code in (302, 400)
