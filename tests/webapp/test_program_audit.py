"""The audit trail: every change of the year's records, made through the pages, writes who, what,
which record, the fields from old to new, and when. Survey responses never get an event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.support import csrf_token
from tests.webapp.test_program_support import audit_count, make_program_world, signed_in
from tests.webapp.test_respondent_support import Respondent
from webapp.db import Database
from webapp.models import Draft, Response
from webapp.program import audit
from webapp.program.models import AuditEvent, Engagement, Strategy


def _events_after(db: Database, last_id: int) -> list[AuditEvent]:
    with db.session() as s:
        return list(
            s.scalars(select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id))
        )


def _last_id(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def _post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    token = csrf_token(client.get("/program/").text)
    return client.post(path, data={"csrf_token": token, **data})


def _new_id(db: Database, record_type: str, last_id: int) -> int:
    for event in _events_after(db, last_id):
        if event.record_type == record_type and event.action == "create":
            assert event.record_id is not None
            return event.record_id
    raise AssertionError(f"no {record_type} created")


def test_every_change_through_the_pages_is_audited(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    a = world.a
    e = f"/program/{a.engagement}"
    admin = signed_in(app, world.admin)
    leader = signed_in(app, a.leader)
    member = signed_in(app, a.member)
    clients = {
        "admin": (admin, world.admin),
        "leader": (leader, a.leader),
        "member": (member, a.member),
    }
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    ids: dict[str, int] = {}

    def step(
        role: str, path: str, data: dict[str, Any], expected: set[tuple[str, str]]
    ) -> list[AuditEvent]:
        client, email = clients[role]
        last = _last_id(db)
        response = _post(client, path.format(**ids), data)
        assert response.status_code in (302, 303), (
            path,
            response.status_code,
            response.text[:2000],
        )
        events = _events_after(db, last)
        assert {(ev.record_type, ev.action) for ev in events} == expected, path
        for event in events:
            assert event.user_email == email
            assert event.engagement_id == a.engagement
            assert event.changes, path
            assert event.at.replace(tzinfo=dt.UTC) >= started
            for pair in event.changes.values():
                assert isinstance(pair, list)
                assert len(pair) == 2
        return events

    (event,) = step(
        "admin",
        f"{e}/settings",
        {
            "facilitator": "Kim New",
            "status": "active",
            "baseline_wave": str(a.baseline),
            "followup_wave": str(a.followup),
        },
        {("engagement", "update")},
    )
    assert event.changes == {"facilitator": ["Pat Facilitator", "Kim New"]}
    (event,) = step(
        "admin",
        f"{e}/milestones/{a.milestone}",
        {"due_on": "2025-02-03", "status": "done", "owner_role": "cfjj", "notes": "Held."},
        {("milestone", "update")},
    )
    assert event.changes["status"] == ["not_started", "done"]
    assert event.changes["due_on"] == ["2025-01-29", "2025-02-03"]
    step(
        "member",
        f"{e}/focus-areas",
        {
            "pick_0": "y",
            "reason_0": "Leaders asked again.",
            "pick_1": "y",
            "reason_1": "Lowest at baseline.",
        },
        {("focus_area_selection", "update")},
    )
    step(
        "member",
        f"{e}/working-group",
        {"name": "New Member", "role": "Supervisor", "contact": "new@org-a.org"},
        {("working_group_member", "create")},
    )
    step(
        "member",
        f"{e}/working-group/{a.spare_member}/remove",
        {},
        {("working_group_member", "delete")},
    )
    last = _last_id(db)
    step(
        "member",
        f"{e}/strategies/new",
        {"focus_area": "lead", "title": "Leadership listening sessions", "description": "Monthly."},
        {("strategy", "create")},
    )
    ids["s"] = _new_id(db, "strategy", last)
    (event,) = step(
        "member",
        e + "/strategies/{s}/edit",
        {"focus_area": "lead", "title": "Leadership listening sessions, monthly"},
        {("strategy", "update")},
    )
    assert event.changes["title"] == [
        "Leadership listening sessions",
        "Leadership listening sessions, monthly",
    ]
    step("member", e + "/strategies/{s}/progress", {"status": "on_track"}, {("strategy", "update")})
    last = _last_id(db)
    step(
        "member",
        e + "/strategies/{s}/indicators/new",
        {
            "name": "Listening sessions held",
            "measure": "manual",
            "direction": "higher",
            "target": "10",
            "baseline_value": "0",
            "owner": "Leadership",
            "data_source": "Calendar",
        },
        {("indicator", "create")},
    )
    ids["i"] = _new_id(db, "indicator", last)
    step(
        "member",
        e + "/indicators/{i}/edit",
        {
            "name": "Listening sessions held",
            "measure": "manual",
            "direction": "higher",
            "target": "12",
            "baseline_value": "0",
            "owner": "Leadership",
            "data_source": "Calendar",
        },
        {("indicator", "update")},
    )
    step(
        "member",
        e + "/indicators/{i}/progress",
        {"status": "on_track", "current_value": "5", "evidence": "Minutes."},
        {("indicator", "update")},
    )
    step("member", e + "/strategies/{s}/review", {"action": "submit"}, {("strategy", "submit")})
    (event,) = step(
        "leader",
        e + "/strategies/{s}/review",
        {"action": "return", "comment": "Who attends?"},
        {("strategy", "return")},
    )
    assert event.changes == {
        "review_state": ["submitted", "returned"],
        "review_comment": [None, "Who attends?"],
    }
    step("member", e + "/strategies/{s}/review", {"action": "reopen"}, {("strategy", "reopen")})
    step("member", e + "/strategies/{s}/review", {"action": "submit"}, {("strategy", "submit")})
    step("leader", e + "/strategies/{s}/review", {"action": "validate"}, {("strategy", "validate")})
    step("member", f"{e}/indicators/{a.spare_indicator}/delete", {}, {("indicator", "delete")})
    # Its strategy now has no indicator, and the framework needs one for each: it goes too.
    step(
        "member",
        f"{e}/strategies/{a.spare_strategy}/delete",
        {},
        {("strategy", "delete")},
    )
    step(
        "member",
        f"{e}/framework/review",
        {"action": "submit"},
        {("engagement", "framework_submit")},
    )
    step(
        "leader",
        f"{e}/framework/review",
        {"action": "return", "comment": "Add a target date."},
        {("engagement", "framework_return")},
    )
    # Editing a returned framework takes it back to draft: two events.
    step(
        "member",
        e + "/indicators/{i}/edit",
        {
            "name": "Listening sessions held",
            "measure": "manual",
            "direction": "higher",
            "target": "12",
            "baseline_value": "0",
            "owner": "Leadership",
            "data_source": "Calendar",
            "due_on": "2025-12-31",
        },
        {("engagement", "update"), ("indicator", "update")},
    )
    events = step(
        "member",
        f"{e}/checkins",
        {"held_on": "2025-06-01", "notes": "Mid-year.", f"strategy_{a.strategy}": "at_risk"},
        {("checkin", "create"), ("strategy", "update")},
    )
    checkin = next(ev for ev in events if ev.record_type == "checkin")
    assert checkin.changes["status_changes"][1][0]["to"] == "at_risk"
    last = _last_id(db)
    step(
        "member",
        f"{e}/trainings/new",
        {
            "held_on": "2025-06-02",
            "title": "Listening well",
            "audience": "Managers",
            "attended": "9",
        },
        {("training", "create")},
    )
    ids["t"] = _new_id(db, "training", last)
    step(
        "member",
        e + "/trainings/{t}",
        {
            "held_on": "2025-06-02",
            "title": "Listening well",
            "audience": "Managers",
            "attended": "11",
        },
        {("training", "update")},
    )
    step("member", e + "/trainings/{t}/delete", {}, {("training", "delete")})
    last = _last_id(db)
    step(
        "member",
        f"{e}/policies/new",
        {"name": "Open door policy", "status": "drafting"},
        {("policy", "create")},
    )
    ids["p"] = _new_id(db, "policy", last)
    step(
        "member",
        e + "/policies/{p}",
        {"name": "Open door policy", "status": "adopted", "adopted_on": "2025-07-01"},
        {("policy", "update")},
    )
    step("member", e + "/policies/{p}/delete", {}, {("policy", "delete")})
    step(
        "member",
        f"{e}/volunteers/{a.accept_offer}/accept",
        {},
        {("working_group_member", "create")},
    )

    history = member.get(f"{e}/history")
    assert history.status_code == 200
    assert "Who attends?" in history.text
    assert "Kim New" in history.text


def test_nothing_is_audited_when_nothing_changes(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    member = signed_in(app, world.a.member)
    before = audit_count(db)
    path = f"/program/{world.a.engagement}/strategies/{world.a.strategy}/progress"
    assert _post(member, path, {"status": "not_started"}).status_code == 302
    assert audit_count(db) == before


def test_survey_responses_never_get_an_audit_event(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    before = audit_count(db)
    respondent = Respondent(app.test_client(), f"/s/{world.a.followup_slug}")
    respondent.start()
    respondent.answer({"lead_1": 4, "lead_2": 5, "data_1": 3, "data_2": 2})
    thanks = respondent.answer({"group": "a"})
    assert thanks.request.path.endswith("/thanks")
    assert audit_count(db) == before
    with db.session() as s:
        types = set(s.scalars(select(AuditEvent.record_type)))
    assert types <= set(audit.RECORD_TYPES.values())
    assert "response" not in audit.RECORD_TYPES.values()


@pytest.mark.parametrize("record", [Response(), Draft(), object()])
def test_only_program_records_can_be_audited(record: object) -> None:
    with pytest.raises(TypeError, match="not audited"):
        audit.record_type(record)


def test_events_read_back_for_a_record_and_an_engagement(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.session() as s:
        strategy = s.get(Strategy, world.a.strategy)
        engagement = s.get(Engagement, world.a.engagement)
        assert strategy is not None
        assert engagement is not None
        events = audit.events_of(s, strategy)
        assert [(e.action, e.record_id) for e in events] == [("create", strategy.id)]
        assert events[0].changes["title"] == [None, "Quarterly data reports"]
        trail = audit.trail(s, engagement.id)
        assert trail
        assert {e.engagement_id for e in trail} == {engagement.id}
        assert [e.id for e in trail] == sorted((e.id for e in trail), reverse=True)


def test_deleting_a_strategy_audits_its_indicators_too(app: Flask, db: Database) -> None:
    from webapp.program import framework
    from webapp.program.review import Actor

    world = make_program_world(db)
    last = _last_id(db)
    with db.transaction() as s:
        strategy = s.get(Strategy, world.a.strategy)
        assert strategy is not None
        framework.delete_strategy(s, strategy, actor=Actor.MEMBER, author=None)
    events = _events_after(db, last)
    assert sorted((e.record_type, e.action, e.record_id) for e in events) == [
        ("indicator", "delete", world.a.indicator),
        ("indicator", "delete", world.a.manual),
        ("strategy", "delete", world.a.strategy),
    ]
    assert {e.user_email for e in events} == {audit.SYSTEM}
    named = {e.record_id: e.changes["name"] for e in events if e.record_type == "indicator"}
    assert named == {
        world.a.indicator: ["Data mean", None],
        world.a.manual: ["Reports published", None],
    }
