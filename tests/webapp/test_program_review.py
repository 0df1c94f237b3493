"""Leadership review: the state machine on its own (every state, action and role), then on
strategies and the framework in the database and through the pages."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import csrf_token
from tests.webapp.test_admin_support import visible_text
from tests.webapp.test_program_support import make_program_world, signed_in
from webapp.db import Database
from webapp.program import audit, framework
from webapp.program.indicators import Direction, IndicatorSource
from webapp.program.models import Engagement, Strategy
from webapp.program.review import (
    Actor,
    ReviewAction,
    ReviewError,
    ReviewState,
    allowed_actions,
    editable,
    transition,
)

D, S, V, R = ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.VALIDATED, ReviewState.RETURNED
ADMIN, LEADER, MEMBER = Actor.ADMIN, Actor.LEADER, Actor.MEMBER

#: Every allowed move, by hand: (state, action, role) -> new state.
ALLOWED = {
    (D, ReviewAction.SUBMIT, ADMIN): S,
    (D, ReviewAction.SUBMIT, MEMBER): S,
    (S, ReviewAction.VALIDATE, ADMIN): V,
    (S, ReviewAction.VALIDATE, LEADER): V,
    (S, ReviewAction.RETURN, ADMIN): R,
    (S, ReviewAction.RETURN, LEADER): R,
    (S, ReviewAction.REOPEN, ADMIN): D,
    (S, ReviewAction.REOPEN, MEMBER): D,
    (V, ReviewAction.REOPEN, ADMIN): D,
    (V, ReviewAction.REOPEN, MEMBER): D,
    (R, ReviewAction.REOPEN, ADMIN): D,
    (R, ReviewAction.REOPEN, MEMBER): D,
    (D, ReviewAction.EDIT, ADMIN): D,
    (D, ReviewAction.EDIT, MEMBER): D,
    (R, ReviewAction.EDIT, ADMIN): D,
    (R, ReviewAction.EDIT, MEMBER): D,
}
#: Roles that may never make a move, whatever the state: 403.
NEVER = {
    ReviewAction.SUBMIT: {LEADER},
    ReviewAction.VALIDATE: {MEMBER},
    ReviewAction.RETURN: {MEMBER},
    ReviewAction.REOPEN: {LEADER},
    ReviewAction.EDIT: {LEADER},
}
CASES = list(itertools.product(ReviewState, ReviewAction, Actor))


def expected(state: ReviewState, action: ReviewAction, actor: Actor) -> ReviewState | int:
    if (state, action, actor) in ALLOWED:
        return ALLOWED[(state, action, actor)]
    return 403 if actor in NEVER[action] else 400


def test_the_table_covers_every_state_action_and_role() -> None:
    assert len(CASES) == 4 * 5 * 3
    outcomes = [expected(*case) for case in CASES]
    assert outcomes.count(403) == 4 * 5
    assert sum(isinstance(o, ReviewState) for o in outcomes) == len(ALLOWED)


@pytest.mark.parametrize(("state", "action", "actor"), CASES, ids=lambda v: str(v))
def test_every_state_action_and_role(
    state: ReviewState, action: ReviewAction, actor: Actor
) -> None:
    want = expected(state, action, actor)
    if isinstance(want, ReviewState):
        move = transition(state, action, actor, "Please name the policies.")
        assert (move.source, move.target, move.action) == (state, want, action)
        assert move.comment == (
            "Please name the policies." if action is ReviewAction.RETURN else None
        )
    else:
        with pytest.raises(ReviewError) as raised:
            transition(state, action, actor, "Please name the policies.")
        assert raised.value.status == want
        assert raised.value.reason == ("role" if want == 403 else "state")
        assert str(raised.value)


@pytest.mark.parametrize("comment", [None, "", "   \n "])
def test_returning_needs_comments(comment: str | None) -> None:
    with pytest.raises(ReviewError) as raised:
        transition(S, ReviewAction.RETURN, LEADER, comment)
    assert (raised.value.status, raised.value.reason) == (400, "comment")


def test_comments_are_trimmed_and_bounded() -> None:
    assert transition(S, "return", "leader", "  Name them.  ").comment == "Name them."
    with pytest.raises(ReviewError) as raised:
        transition(S, ReviewAction.RETURN, LEADER, "x" * 4001)
    assert raised.value.reason == "length"


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [("sent", "submit", "member"), ("draft", "approve", "leader"), ("draft", "submit", "owner")],
)
def test_unknown_values_are_a_400(state: str, action: str, actor: str) -> None:
    with pytest.raises(ReviewError) as raised:
        transition(state, action, actor)
    assert (raised.value.status, raised.value.reason) == (400, "value")


@pytest.mark.parametrize(("state", "actor"), list(itertools.product(ReviewState, Actor)))
def test_the_offered_moves_are_the_allowed_ones(state: ReviewState, actor: Actor) -> None:
    offered = set(allowed_actions(state, actor))
    allowed = {
        action
        for action in ReviewAction
        if action is not ReviewAction.EDIT and (state, action, actor) in ALLOWED
    }
    assert offered == allowed
    assert editable(state) == (state in (D, R))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ReviewAction), st.sampled_from(Actor)), max_size=30))
def test_only_leadership_validates_and_only_what_was_submitted(
    moves: list[tuple[ReviewAction, Actor]],
) -> None:
    state = D
    for action, actor in moves:
        try:
            move = transition(state, action, actor, "comments")
        except ReviewError:
            continue
        if move.target is V:
            assert actor in (LEADER, ADMIN)
            assert state is S
        if actor is LEADER:
            assert move.action in (ReviewAction.VALIDATE, ReviewAction.RETURN)
        state = move.target
    assert state in ReviewState


# -- strategies and the framework in the database --------------------------------------------------


def test_a_strategy_goes_through_review_with_an_audit_trail(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        strategy = s.get(Strategy, world.a.strategy)
        assert strategy is not None
        assert framework.review_strategy(s, strategy, "submit", actor=MEMBER, author=None) is S
        with pytest.raises(ReviewError):
            framework.edit_strategy(
                s,
                strategy,
                actor=MEMBER,
                author=None,
                focus_area_id="data",
                title="Changed while submitted",
                description=None,
                owner=None,
                due_on=None,
            )
        framework.review_strategy(
            s, strategy, "return", actor=LEADER, author=None, comment="Name the reports."
        )
        assert (strategy.review_state, strategy.review_comment) == (R, "Name the reports.")
        changes = framework.edit_strategy(
            s,
            strategy,
            actor=MEMBER,
            author=None,
            focus_area_id="data",
            title="Quarterly data reports to the board",
            description=None,
            owner=None,
            due_on=None,
        )
        assert changes["review_state"] == [R, D]
        framework.review_strategy(s, strategy, "submit", actor=MEMBER, author=None)
        framework.review_strategy(s, strategy, "validate", actor=LEADER, author=None)
        assert (strategy.review_state, strategy.review_comment) == (V, None)
        events = audit.events_of(s, strategy)
    moves = [(e.action, e.changes.get("review_state")) for e in events if e.action != "create"]
    assert moves == [
        ("submit", ["draft", "submitted"]),
        ("return", ["submitted", "returned"]),
        ("update", ["returned", "draft"]),
        ("submit", ["draft", "submitted"]),
        ("validate", ["submitted", "validated"]),
    ]
    assert events[2].changes["review_comment"] == [None, "Name the reports."]


def test_the_framework_is_one_record_under_review(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    fields = {
        "name": "Another indicator",
        "source": IndicatorSource.MANUAL,
        "source_ref": None,
        "direction": Direction.HIGHER,
        "target": 3,
        "owner": "Team",
        "data_source": "Tracker",
        "due_on": None,
        "unit": None,
        "baseline_value": 0,
    }
    with db.transaction() as s:
        engagement = s.get(Engagement, world.a.engagement)
        strategy = s.get(Strategy, world.a.strategy)
        assert engagement is not None
        assert strategy is not None
        framework.review_framework(s, engagement, "submit", actor=MEMBER, author=None)
        with pytest.raises(ReviewError) as raised:
            framework.add_indicator(s, strategy, actor=MEMBER, author=None, **fields)
        assert raised.value.status == 400
        framework.review_framework(s, engagement, "validate", actor=ADMIN, author=None)
        with pytest.raises(ReviewError):
            framework.delete_indicator(s, strategy.indicators[0], actor=MEMBER, author=None)
        # Progress is recorded whatever the review state.
        framework.record_progress(
            s,
            strategy.indicators[1],
            author=None,
            status="on_track",
            evidence="Two so far.",
            current_value=2,
        )
        framework.review_framework(s, engagement, "reopen", actor=MEMBER, author=None)
        framework.add_indicator(s, strategy, actor=MEMBER, author=None, **fields)
        assert engagement.framework_state is D
        assert len(engagement.indicators) == 4


def test_an_empty_framework_cannot_be_submitted(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        for strategy in list(engagement.strategies):
            framework.delete_strategy(s, strategy, actor=ADMIN, author=None)
        with pytest.raises(ReviewError) as raised:
            framework.review_framework(s, engagement, "submit", actor=MEMBER, author=None)
    assert raised.value.reason == "empty"


def test_every_strategy_needs_an_indicator_before_the_framework_is_submitted_or_validated(
    app: Flask, db: Database
) -> None:
    world = make_program_world(db)
    path = f"/program/{world.a.engagement}/framework/review"
    member = signed_in(app, world.a.member)
    leader = signed_in(app, world.a.leader)
    with db.transaction() as s:
        engagement = s.get(Engagement, world.a.engagement)
        spare = s.get(Strategy, world.a.spare_strategy)
        assert engagement is not None
        assert spare is not None
        framework.delete_indicator(s, spare.indicators[0], actor=MEMBER, author=None)
        with pytest.raises(ReviewError) as raised:
            framework.review_framework(s, engagement, "submit", actor=MEMBER, author=None)
    assert raised.value.reason == "bare"
    assert raised.value.subjects == ("A strategy to delete",)
    refused = _post(member, path, action="submit")
    assert refused.status_code == 400
    assert "Still without one: A strategy to delete." in visible_text(refused.text)
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        assert engagement.framework_state is D

    # A strategy added after submission holds up validation the same way.
    with db.transaction() as s:
        engagement = s.get(Engagement, world.a.engagement)
        spare = s.get(Strategy, world.a.spare_strategy)
        assert engagement is not None
        assert spare is not None
        framework.delete_strategy(s, spare, actor=MEMBER, author=None)
        framework.review_framework(s, engagement, "submit", actor=MEMBER, author=None)
        framework.add_strategy(
            s,
            engagement,
            actor=MEMBER,
            author=None,
            focus_area_id="lead",
            title="Late strategy",
            description="Added after submission.",
            owner="Team",
            due_on=None,
        )
    refused = _post(leader, path, action="validate")
    assert refused.status_code == 400
    assert "Late strategy" in visible_text(refused.text)


# -- through the pages ---------------------------------------------------------------------------------


def _post(client: FlaskClient, path: str, **data: str) -> Any:
    token = csrf_token(client.get("/program/").text)
    return client.post(path, data={"csrf_token": token, **data})


def _state(db: Database, strategy_id: int) -> ReviewState:
    with db.session() as s:
        row = s.get(Strategy, strategy_id)
        assert row is not None
        return row.review_state


def test_pages_refuse_invalid_moves_with_400_or_403_and_a_message(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    path = f"/program/{world.a.engagement}/strategies/{world.a.strategy}/review"
    leader = signed_in(app, world.a.leader)
    member = signed_in(app, world.a.member)

    refused = _post(leader, path, action="validate")
    assert refused.status_code == 400  # a draft cannot be validated
    assert "it is Draft" in refused.text
    refused = _post(leader, path, action="submit")
    assert refused.status_code == 403
    assert "Your role cannot do this" in refused.text
    assert _post(member, path, action="submit").status_code == 302
    refused = _post(member, path, action="validate")
    assert refused.status_code == 403
    refused = _post(leader, path, action="return", comment="  ")
    assert refused.status_code == 400
    assert "Write comments" in refused.text
    assert _post(leader, path, action="approve").status_code == 400
    assert _state(db, world.a.strategy) is S

    assert _post(leader, path, action="return", comment="Name the reports.").status_code == 302
    assert _state(db, world.a.strategy) is R
    page = member.get(f"/program/{world.a.engagement}/strategies/{world.a.strategy}")
    assert "Name the reports." in page.text
    assert _post(member, path, action="reopen").status_code == 302
    assert _post(member, path, action="submit").status_code == 302
    assert _post(leader, path, action="validate").status_code == 302
    assert _state(db, world.a.strategy) is V


def test_the_framework_review_through_its_page(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    path = f"/program/{world.a.engagement}/framework/review"
    leader = signed_in(app, world.a.leader)
    member = signed_in(app, world.a.member)
    assert _post(member, path, action="submit").status_code == 302
    page = leader.get(f"/program/{world.a.engagement}/strategies")
    assert 'value="validate"' in page.text
    assert 'value="return"' in page.text
    assert _post(leader, path, action="validate").status_code == 302
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        assert engagement.framework_state is V
    edit = member.get(f"/program/{world.a.engagement}/indicators/{world.a.indicator}/edit")
    assert edit.status_code == 200
    refused = member.post(
        f"/program/{world.a.engagement}/indicators/{world.a.indicator}/edit",
        data={
            "csrf_token": csrf_token(edit.text),
            "name": "Renamed",
            "measure": "focus_area_mean:data",
            "direction": "higher",
            "target": "3.5",
            "owner": "Team",
            "data_source": "Surveys",
        },
    )
    assert refused.status_code == 400
    assert "Reopen it first" in refused.text, visible_text(refused.text)
