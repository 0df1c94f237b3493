"""The volunteer form: offered on the survey's thank-you page, stored on its own, and sharing
nothing with the response given in the same browser session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select

from tests.support import csrf_token
from tests.webapp.test_program_support import make_program_world, signed_in
from tests.webapp.test_respondent_support import Respondent
from webapp.db import Database
from webapp.models import Draft, Response, Submission
from webapp.program.models import AuditEvent, Engagement, EngagementStatus, Volunteer

SESSION_DRAFT = "draft_id"


def _answer_the_survey(client: FlaskClient, slug: str) -> Respondent:
    respondent = Respondent(client, f"/s/{slug}")
    page = respondent.start()
    assert page.status_code == 200
    page = respondent.answer({"lead_1": 4, "lead_2": 5, "data_1": 3, "data_2": 2})
    assert page.status_code == 200
    return respondent


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in inspect(row).mapper.column_attrs}


def _all(db: Database, model: Any) -> list[Any]:
    with db.session() as s:
        return list(s.scalars(select(model)))


def _texts(value: Any) -> set[str]:
    """Every scalar inside a value, as text (JSON answers included)."""
    if isinstance(value, dict):
        return {t for v in value.values() for t in _texts(v)} | {str(k) for k in value}
    if isinstance(value, list | tuple):
        return {t for v in value for t in _texts(v)}
    return {str(value)} if value is not None else set()


def _values(columns: dict[str, Any]) -> set[str]:
    """Every value of a row's columns (or a session's keys), as text."""
    return {t for value in columns.values() for t in _texts(value)}


def test_a_volunteer_offer_shares_nothing_with_the_response(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    before = {r.id for r in _all(db, Response)}
    client = app.test_client()
    respondent = _answer_the_survey(client, world.a.followup_slug)
    thanks = respondent.answer({"group": "a"})
    assert thanks.request.path.endswith("/thanks")
    link = f"/program/volunteer/{world.a.slug}?lang=en"
    assert f'href="{link}" rel="noreferrer"' in thanks.text
    assert world.a.followup_slug not in link

    # A second survey started in the same browser: its draft id sits in the session.
    second = Respondent(client, f"/s/{world.a.followup_slug}")
    second.start()
    with client.session_transaction() as session:
        session_before = dict(session)
    assert SESSION_DRAFT in session_before

    form = client.get(link)
    assert form.status_code == 200
    assert form.headers["Cache-Control"] == "no-store"
    sent = client.post(
        link,
        data={
            "csrf_token": csrf_token(form.text),
            "name": "Robin Volunteer",
            "role": "Caseworker",
            "contact": "robin@org-a.org",
            "message": "Happy to help with the data work.",
            "consent": "y",
        },
    )
    assert sent.status_code == 303
    assert client.get(sent.headers["Location"]).status_code == 200
    with client.session_transaction() as session:
        assert dict(session) == session_before, "the volunteer form changed the survey session"

    responses = [r for r in _all(db, Response) if r.id not in before]
    assert len(responses) == 1
    (response,) = responses
    offers = [v for v in _all(db, Volunteer) if v.name == "Robin Volunteer"]
    assert len(offers) == 1
    (offer,) = offers
    offer_columns = _columns(offer)
    response_columns = _columns(response)
    assert set(offer_columns) == {"id", "organization_id", "name", "role", "contact", "message"}
    assert set(response_columns) == {"id", "wave_id", "language", "submitted_on", "answers"}

    # Nothing equal across the two rows beyond the organization/wave reference and language.
    shared_ok = {"organization_id", "wave_id", "language"}
    offer_values = {k: v for k, v in offer_columns.items() if k not in shared_ok}
    response_values = {k: v for k, v in response_columns.items() if k not in shared_ok}
    for key, value in offer_values.items():
        for other_key, other in response_values.items():
            assert value != other, f"volunteer.{key} equals response.{other_key}"
            assert str(value) not in _texts(other), (
                f"volunteer.{key} is inside response.{other_key}"
            )
    for other in response_values.values():
        assert str(other) not in _values(offer_values)
    # ...nor anything of the survey machinery: drafts, submission markers, the session.
    survey_values = set()
    for model in (Draft, Submission):
        for row in _all(db, model):
            survey_values |= _values(_columns(row))
    survey_values |= _values(session_before)
    assert not (_values(offer_values) & survey_values)
    assert offer.id not in survey_values
    # No date or time of any kind is kept with the offer.
    assert not any(isinstance(v, dt.date) for v in offer_columns.values())
    # The response never gets an audit event; the offer neither.
    assert all(e.record_type != "response" for e in _all(db, AuditEvent))


def test_the_offer_is_listed_for_the_working_group_and_can_be_accepted(
    app: Flask, db: Database
) -> None:
    world = make_program_world(db)
    leader = signed_in(app, world.a.leader)
    page = leader.get(f"/program/{world.a.engagement}/working-group")
    assert "Offer Kept" in page.text
    member = signed_in(app, world.a.member)
    token = csrf_token(member.get(f"/program/{world.a.engagement}/working-group").text)
    accepted = member.post(
        f"/program/{world.a.engagement}/volunteers/{world.a.offer}/accept",
        data={"csrf_token": token},
    )
    assert accepted.status_code == 302
    with db.session() as s:
        assert s.get(Volunteer, world.a.offer) is None
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        assert "Offer Kept" in [m.name for m in engagement.members]


def test_organization_b_sees_only_its_own_offers(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        offer = s.get(Volunteer, world.b.offer)
        assert offer is not None
        offer.name = "Only For B"
    page_a = signed_in(app, world.a.leader).get(f"/program/{world.a.engagement}/working-group")
    page_b = signed_in(app, world.b.leader).get(f"/program/{world.b.engagement}/working-group")
    assert "Only For B" not in page_a.text
    assert "Only For B" in page_b.text


def test_the_form_checks_what_is_typed(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    client = app.test_client()
    path = f"/program/volunteer/{world.a.slug}"
    page = client.get(path)
    refused = client.post(
        path, data={"csrf_token": csrf_token(page.text), "name": " ", "contact": "x\x00y"}
    )
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    for anchor in ("#name", "#contact", "#consent"):
        assert f'href="{anchor}"' in refused.text
    no_token = client.post(path, data={"name": "A", "contact": "b", "consent": "y"})
    assert no_token.status_code == 400
    assert not [v for v in _all(db, Volunteer) if v.name == "A"]


def test_no_offer_without_an_active_engagement(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        engagement.status = EngagementStatus.COMPLETED
    client = app.test_client()
    assert client.get(f"/program/volunteer/{world.a.slug}").status_code == 404
    respondent = _answer_the_survey(client, world.a.followup_slug)
    thanks = respondent.answer({"group": "b"})
    assert thanks.request.path.endswith("/thanks")
    assert "/program/volunteer/" not in thanks.text
