"""`repp demo` builds the whole program year: a work plan in progress, two focus areas, strategies
and indicators under review, check-ins, trainings and policies, and a review with targets met and
not met, whatever the seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from tests.support import csrf_token
from tests.webapp.test_admin_support import visible_text
from webapp import clock
from webapp.cli import main
from webapp.db import Database
from webapp.demo import build_demo
from webapp.models import Role, User
from webapp.program.models import Engagement, MilestoneStatus
from webapp.program.review import ReviewState
from webapp.program.summary import summarize
from webapp.results import clear_cache


@pytest.mark.parametrize("seed", [1, 2])
def test_the_demo_year(app: Flask, db: Database, seed: int) -> None:
    today = clock.today()
    with db.transaction() as s:
        data = build_demo(s, today=today, seed=seed)
        credentials = (data.member_email, data.member_password)
    clear_cache()
    with db.session() as s:
        member = s.scalars(select(User).where(User.email == credentials[0])).one()
        assert member.role is Role.MEMBER
        (engagement,) = s.scalars(select(Engagement))
        assert 380 <= (today - engagement.start_on).days <= 400
        statuses = {m.key: m.status for m in engagement.milestones}
        assert statuses["kickoff"] is MilestoneStatus.DONE
        assert statuses["baseline_assessment"] is MilestoneStatus.DONE
        assert statuses["twelve_month_review"] is MilestoneStatus.NOT_STARTED
        review = next(m for m in engagement.milestones if m.key == "twelve_month_review")
        assert today <= review.due_on <= today + dt.timedelta(days=31)
        followup = next(m for m in engagement.milestones if m.key == "followup_assessment")
        assert followup.due_on < review.due_on  # the survey closes before the year is reviewed
        assert engagement.selected_ids == ["data", "engagement"]
        assert all(s_.reason for s_ in engagement.selections)
        assert len(engagement.strategies) == 4
        assert {s_.focus_area_id for s_ in engagement.strategies} == {"data", "engagement"}
        assert all(1 <= len(s_.indicators) <= 3 for s_ in engagement.strategies)
        sources = {i.source.value for i in engagement.indicators}
        assert {"manual", "focus_area_mean", "item_mean", "focus_area_favorable"} <= sources
        states = [s_.review_state for s_ in engagement.strategies]
        assert states.count(ReviewState.VALIDATED) == 2
        assert states.count(ReviewState.SUBMITTED) == 1
        (returned,) = [
            s_ for s_ in engagement.strategies if s_.review_state is ReviewState.RETURNED
        ]
        assert returned.review_comment
        assert engagement.framework_state is ReviewState.VALIDATED
        assert len(engagement.checkins) >= 3
        assert any(c.status_changes for c in engagement.checkins)
        assert all(c.held_on <= today for c in engagement.checkins)
        assert len(engagement.trainings) >= 2
        assert len(engagement.policies) >= 2
        assert len(engagement.members) >= 3
        summary = summarize(s, engagement, language="en", today=today)
        counts = summary.outcome_counts
        assert counts["met"] >= 2
        assert counts["not_met"] >= 2
        assert summary.overdue, "the demo shows an overdue milestone"

    # The leader sees it on the review page.
    client = app.test_client()
    page = client.get("/login")
    signed = client.post(
        "/login",
        data={
            "email": data.leader_email,
            "password": data.leader_password,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert signed.status_code == 302
    text = visible_text(client.get(f"/program/{engagement.id}/review").text)
    assert "✓ Target met" in text
    assert "✗ Target not met" in text


def test_repp_demo_prints_the_member_account(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    result = CliRunner().invoke(
        main, ["demo", "--no-serve", "--seed", "3"], env={"REPP_INSTANCE_PATH": str(instance)}
    )
    assert result.exit_code == 0, result.output
    assert "member:" in result.stdout
    assert "workinggroup@harborview.example" in result.stdout
    assert "/program/" in result.stdout
    export = CliRunner().invoke(
        main,
        ["engagement", "export", "demo", "--json"],
        env={
            "REPP_INSTANCE_PATH": str(instance),
            "REPP_DATABASE_URL": f"sqlite:///{instance / 'repp-demo.sqlite3'}",
        },
    )
    assert export.exit_code == 0, export.output
    assert '"organization": "demo"' in export.stdout
