"""The program pages' forms: what each refuses and says, what each role is offered, and never a
500 whatever is posted."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import csrf_token
from tests.webapp.test_admin_support import visible_text
from tests.webapp.test_program_support import make_program_world, signed_in
from webapp.db import Database
from webapp.program.models import Engagement, Indicator, Policy, ProgressStatus, Strategy


def _post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    token = csrf_token(client.get("/program/").text)
    return client.post(path, data={"csrf_token": token, **data})


def _refused(response: Any, *messages: str) -> None:
    assert response.status_code == 400, response.text[:1500]
    assert 'class="error-summary"' in response.text
    text = visible_text(response.text)
    for message in messages:
        assert message in text, message


def test_focus_areas_need_reasons_and_keep_areas_with_strategies(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    member = signed_in(app, world.a.member)
    path = f"/program/{world.a.engagement}/focus-areas"
    page = member.get(path)
    assert page.status_code == 200
    assert "<legend>Leadership</legend>" in page.text
    _refused(
        _post(member, path, {"pick_0": "y", "reason_0": "ok", "pick_1": "y", "reason_1": " "}),
        "Say why the working group takes this focus area on.",
    )
    _refused(
        _post(member, path, {"pick_1": "y", "reason_1": "Only data."}),
        "focus areas with strategies cannot be dropped: lead",
    )
    leader_page = signed_in(app, world.a.leader).get(path).text
    assert 'name="pick_0"' not in leader_page
    assert "Lowest at baseline." in leader_page


def test_strategies_belong_to_a_selected_focus_area(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
    member = signed_in(app, world.a.member)
    path = f"/program/{world.a.engagement}/strategies/new"
    _refused(
        _post(member, path, {"focus_area": "culture", "title": "X"}),
        "Choose one of the selected focus areas.",
    )
    _refused(_post(member, path, {"focus_area": "data", "title": ""}), "Enter the strategy.")
    created = _post(
        member, path, {"focus_area": "data", "title": "Data champions", "due_on": "2025-09-30"}
    )
    assert created.status_code == 302
    page = member.get(created.headers["Location"])
    assert "Data champions" in page.text
    assert "Submit for leadership review" in page.text
    assert "Validate" not in visible_text(page.text).replace("Validated", "")


def test_indicator_forms(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    member = signed_in(app, world.a.member)
    path = f"/program/{world.a.engagement}/strategies/{world.a.strategy}/indicators/new"
    page = member.get(path)
    assert '<option selected value="focus_area_mean:data">' in page.text
    assert "<optgroup" in page.text
    base = {"name": "N", "direction": "higher", "target": "3", "owner": "O", "data_source": "D"}
    _refused(
        _post(member, path, {**base, "measure": "item_mean:nope"}),
        "Choose what the indicator measures from the list.",
    )
    _refused(
        _post(member, path, {**base, "measure": "manual", "target": "many"}),
        "Not a valid float value.",
    )
    _refused(
        _post(member, path, {**base, "measure": "manual", "target": "1e12"}),
        "Enter a smaller number.",
    )
    ok = _post(member, path, {**base, "measure": "item_mean:data_1", "baseline_value": "9"})
    assert ok.status_code == 302
    with db.session() as s:
        strategy = s.get(Strategy, world.a.strategy)
        assert strategy is not None
        added = strategy.indicators[-1]
        assert (added.source.value, added.source_ref, added.baseline_value) == (
            "item_mean",
            "data_1",
            None,
        )
    progress = f"/program/{world.a.engagement}/indicators/{world.a.indicator}/progress"
    survey_page = member.get(progress).text
    assert 'name="current_value"' not in survey_page
    assert _post(member, progress, {"status": "on_track", "current_value": "5"}).status_code == 302
    with db.session() as s:
        row = s.get(Indicator, world.a.indicator)
        assert row is not None
        assert (row.status, row.current_value) == (ProgressStatus.ON_TRACK, None)
    manual = f"/program/{world.a.engagement}/indicators/{world.a.manual}/progress"
    assert 'name="current_value"' in member.get(manual).text
    assert (
        _post(
            member, manual, {"status": "at_risk", "current_value": "2", "evidence": "Two."}
        ).status_code
        == 302
    )


def test_policies_have_a_date_only_when_adopted(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    member = signed_in(app, world.a.member)
    path = f"/program/{world.a.engagement}/policies/{world.a.policy}"
    _refused(
        _post(member, path, {"name": "P", "status": "adopted"}),
        "Enter the date the policy was adopted.",
    )
    _refused(
        _post(member, path, {"name": "P", "status": "drafting", "adopted_on": "2025-03-01"}),
        "Only an adopted policy has a date adopted.",
    )
    _refused(
        _post(
            member,
            f"/program/{world.a.engagement}/policies/new",
            {"name": "P", "status": "drafting", "strategy": str(world.b.strategy)},
        ),
        "Choose from the list.",
    )
    assert (
        _post(
            member, path, {"name": "P", "status": "adopted", "adopted_on": "2025-03-01"}
        ).status_code
        == 302
    )
    with db.session() as s:
        policy = s.get(Policy, world.a.policy)
        assert policy is not None
        assert policy.status.value == "adopted"


def test_trainings_count_people_from_zero(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    member = signed_in(app, world.a.member)
    path = f"/program/{world.a.engagement}/trainings/new"
    base = {"held_on": "2025-05-05", "title": "T", "audience": "All staff"}
    _refused(_post(member, path, {**base, "attended": "-1"}), "Enter a number from 0 to 100000.")
    assert _post(member, path, {**base, "attended": "0"}).status_code == 302
    log = visible_text(member.get(f"/program/{world.a.engagement}/log").text)
    assert "All staff" in log


def test_a_checkin_records_notes_and_status_changes(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    member = signed_in(app, world.a.member)
    path = f"/program/{world.a.engagement}/checkins"
    _refused(
        _post(member, path, {"held_on": "2025-06-01", "notes": ""}), "Write the progress notes."
    )
    _refused(
        _post(
            member,
            path,
            {"held_on": "2025-06-01", "notes": "N", f"indicator_{world.a.manual}": "great"},
        ),
    )
    saved = _post(
        member,
        path,
        {
            "held_on": "2025-06-01",
            "notes": "Reports behind schedule.",
            f"indicator_{world.a.manual}": "at_risk",
            f"strategy_{world.a.strategy}": "not_started",  # no change: not recorded
        },
    )
    assert saved.status_code == 302
    page = visible_text(signed_in(app, world.a.leader).get(path).text)
    assert "Reports behind schedule." in page
    assert "Indicator “Reports published”: Not started → At risk" in page
    assert "Strategy “Quarterly data reports”" not in page
    assert 'name="notes"' not in signed_in(app, world.a.leader).get(path).text


def test_each_role_is_offered_what_it_may_do(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    e = f"/program/{world.a.engagement}"
    pages = {
        role: signed_in(app, email).get(f"{e}/").text
        for role, email in (
            ("admin", world.admin),
            ("leader", world.a.leader),
            ("member", world.a.member),
        )
    }
    assert "/settings" in pages["admin"]
    assert "/settings" not in pages["leader"]
    assert "/settings" not in pages["member"]
    assert f"{e}/milestones/" in pages["admin"]
    assert f"{e}/milestones/" not in pages["member"]
    strategy_pages = {
        role: signed_in(app, email).get(f"{e}/strategies/{world.a.strategy}").text
        for role, email in (("leader", world.a.leader), ("member", world.a.member))
    }
    assert "Edit the strategy" in strategy_pages["member"]
    assert "Edit the strategy" not in strategy_pages["leader"]
    assert 'value="submit"' in strategy_pages["member"]
    assert 'value="submit"' not in strategy_pages["leader"]


FORMS = [
    "/program/{e}/focus-areas",
    "/program/{e}/working-group",
    "/program/{e}/strategies/new",
    "/program/{e}/strategies/{s}/edit",
    "/program/{e}/strategies/{s}/progress",
    "/program/{e}/strategies/{s}/review",
    "/program/{e}/strategies/{s}/indicators/new",
    "/program/{e}/indicators/{i}/edit",
    "/program/{e}/indicators/{m}/progress",
    "/program/{e}/framework/review",
    "/program/{e}/checkins",
    "/program/{e}/trainings/new",
    "/program/{e}/policies/new",
    "/program/{e}/settings",
    "/program/{e}/milestones/{ms}",
    "/program/volunteer/org-a",
]
FIELDS = [
    "name",
    "title",
    "focus_area",
    "measure",
    "target",
    "direction",
    "status",
    "action",
    "comment",
    "held_on",
    "notes",
    "attended",
    "adopted_on",
    "due_on",
    "current_value",
    "baseline_value",
    "pick_0",
    "reason_0",
    "strategy",
    "facilitator",
    "baseline_wave",
    "owner_role",
    "consent",
    "contact",
    "audience",
    "data_source",
    "owner",
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "y",
            "data",
            "lead",
            "manual",
            "submit",
            "validate",
            "2025-13-40",
            "-1",
            "1e309",
            "nan",
            "focus_area_mean:data",
            "item_mean:x",
            "adopted",
            "99999",
        ]
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(FORMS),
    st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8),
)
def test_no_post_is_ever_a_500(app: Flask, db: Database, form: str, data: dict[str, str]) -> None:
    world = _world(app, db)
    path = form.format(
        e=world.a.engagement,
        s=world.a.strategy,
        i=world.a.indicator,
        m=world.a.manual,
        ms=world.a.milestone,
    )
    client = _admin(app, world)
    response = _post(client, path, data)
    assert response.status_code in (200, 302, 303, 400, 403, 404), (
        path,
        data,
        response.status_code,
    )


_cache: dict[int, Any] = {}


def _world(app: Flask, db: Database) -> Any:
    # One world per app (per backend): hypothesis calls the test many times with one fixture.
    key = id(app)
    if key not in _cache:
        _cache.clear()
        _cache[key] = make_program_world(db)
    return _cache[key]


def _admin(app: Flask, world: Any) -> FlaskClient:
    key = ("admin", id(app))
    if key not in _cache:
        _cache[key] = signed_in(app, world.admin)  # type: ignore[index]
    return _cache[key]  # type: ignore[index]


@pytest.fixture(autouse=True)
def _forget_worlds() -> Any:
    yield
    _cache.clear()
