"""The dashboard's first page and wave pages: counts of one's own organization, never answers."""

from __future__ import annotations

from flask import Flask

import questionnaires
from tests.support import AuthActions
from tests.webapp.test_admin_support import PASSWORD, make_world, signed_in, visible_text
from webapp import clock
from webapp.db import Database
from webapp.instruments import add_version
from webapp.models import Organization, Response, Role, User, WaveStatus
from webapp.security import hash_password
from webapp.waves import create_wave

SECRET_ANSWER = "an answer only its author should ever read"


def _add_responses(db: Database, wave_id: int, count: int) -> None:
    with db.transaction() as s:
        s.add_all(
            Response(
                wave_id=wave_id,
                language="en",
                submitted_on=clock.today(),
                answers={"q1": 4, "q2": SECRET_ANSWER},
            )
            for _ in range(count)
        )


def test_a_leader_sees_only_their_organization(app: Flask, db: Database) -> None:
    world = make_world(db)
    _add_responses(db, world.wave_a, 2)
    _add_responses(db, world.wave_b, 5)
    leader = signed_in(app, "lead@a.org")
    response = leader.get("/dashboard/")
    assert response.status_code == 200
    text = visible_text(response.text)
    assert "Organization A" in text
    # Wave, questionnaire, status, responses, expected headcount, rate.
    assert "baseline Mini survey Open 2 8 25%" in text
    assert "Organization B" not in text
    assert f'href="/dashboard/waves/{world.wave_a}"' in response.text
    assert f'href="/dashboard/waves/{world.wave_b}"' not in response.text
    assert "/admin/" not in response.text


def test_an_admin_sees_every_organization(app: Flask, db: Database) -> None:
    world = make_world(db)
    _add_responses(db, world.wave_b, 5)
    admin = signed_in(app, "admin@cfjj.org")
    response = admin.get("/dashboard/")
    text = visible_text(response.text)
    assert "Organization A" in text
    assert "Organization B" in text
    assert "baseline Mini survey Open 5 not set no headcount" in text
    assert f'href="/dashboard/waves/{world.wave_b}"' in response.text


def test_the_wave_page_shows_counts_and_a_place_for_results(app: Flask, db: Database) -> None:
    world = make_world(db)
    _add_responses(db, world.wave_a, 6)
    leader = signed_in(app, "lead@a.org")
    response = leader.get(f"/dashboard/waves/{world.wave_a}")
    assert response.status_code == 200
    text = visible_text(response.text)
    assert "Organization A · baseline" in text
    assert "Responses 6" in text
    assert "Expected headcount 8" in text
    assert "Response rate 75%" in text
    assert 'id="results"' in response.text
    assert "fewer than 5 people" in text
    # Leaders get no link to the admin pages.
    assert "/admin/waves/" not in response.text


def test_dashboards_never_show_answers(app: Flask, db: Database) -> None:
    """Aggregates only: statements appear in item charts, free-text answers never."""
    world = make_world(db)
    _add_responses(db, world.wave_a, 12)
    for email in ("lead@a.org", "admin@cfjj.org"):
        client = signed_in(app, email)
        for path in ("/dashboard/", f"/dashboard/waves/{world.wave_a}"):
            page = client.get(path).text
            assert SECRET_ANSWER not in page, (email, path)
            # The text question is not scored, so it is not on a results page either.
            assert "Anything else?" not in page, (email, path)
    page = signed_in(app, "lead@a.org").get(f"/dashboard/waves/{world.wave_a}").text
    assert "Leaders care." in page


def test_closed_and_draft_waves_show_their_status(app: Flask, db: Database) -> None:
    world = make_world(db)
    with db.transaction() as s:
        org = s.get(Organization, world.org_a)
        assert org is not None
        version = org.waves[0].instrument_version
        create_wave(s, org, version, "later", status=WaveStatus.DRAFT)
        org.waves[0].status = WaveStatus.CLOSED
    text = visible_text(signed_in(app, "lead@a.org").get("/dashboard/").text)
    assert "baseline Mini survey Closed" in text
    assert "later Mini survey Draft" in text


def test_the_questionnaire_title_follows_the_page_language(app: Flask, db: Database) -> None:
    world = make_world(db)
    inst = questionnaires.load("repp-org-self-assessment")
    with db.transaction() as s:
        version, _ = add_version(s, inst)
        org = s.get(Organization, world.org_a)
        assert org is not None
        wave = create_wave(s, org, version, "bilingual")
        wave_id = wave.id
    leader = signed_in(app, "lead@a.org")
    english = visible_text(leader.get(f"/dashboard/waves/{wave_id}").text)
    spanish = visible_text(
        leader.get(f"/dashboard/waves/{wave_id}", headers={"Accept-Language": "es"}).text
    )
    assert inst.title.get("en") in english
    assert inst.title.get("es") in spanish


def test_a_leader_without_an_organization_sees_no_waves(app: Flask, db: Database) -> None:
    make_world(db)
    with db.transaction() as s:
        s.add(
            User(
                email="orphan@a.org",
                password_hash=hash_password(PASSWORD),
                role=Role.LEADER,
                organization=None,
            )
        )
    client = signed_in(app, "orphan@a.org")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    text = visible_text(response.text)
    assert "not linked to an organization" in text
    assert "Organization A" not in text


def test_an_admin_without_organizations_is_told_what_to_do(app: Flask, auth: AuthActions) -> None:
    auth.create("admin@cfjj.org")
    client = signed_in(app, "admin@cfjj.org")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert 'href="/admin/organizations/new"' in response.text
