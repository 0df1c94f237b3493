"""`repp engagement create` and `repp engagement export`, the same figures as the pages, and the
12-month review as a section of the leadership report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask_babel import format_date

from tests.support import PASSWORD, TEST_SECRET
from tests.webapp.test_admin_support import visible_text
from tests.webapp.test_program_support import ProgramWorld, make_program_world, signed_in
from webapp import clock, report_sections
from webapp.cli import main
from webapp.db import Database
from webapp.models import Organization
from webapp.program import framework, workplan
from webapp.program.blueprint import fmt_number, fmt_percent, fmt_value
from webapp.program.models import Engagement, Strategy
from webapp.program.report import report_section
from webapp.program.review import Actor
from webapp.results import clear_cache, wave_data


@pytest.fixture
def repp(tmp_path: Path, database_url: str) -> Any:
    env = {
        "REPP_SECRET_KEY": TEST_SECRET,
        "REPP_DATABASE_URL": database_url,
        "REPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "REPP_PASSWORD": PASSWORD,
    }
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return run


def _export(repp: Any, *args: str) -> list[dict[str, Any]]:
    result = repp("engagement", "export", *args, "--json")
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_the_export_has_the_documented_shape(app: Flask, db: Database, repp: Any) -> None:
    make_program_world(db)
    clear_cache()
    every = _export(repp)
    # Newest start first, then the newest engagement.
    assert [e["organization"] for e in every] == ["org-b", "org-a"]
    (one,) = _export(repp, "org-a")
    assert {
        "organization",
        "start",
        "facilitator",
        "status",
        "milestones",
        "focus_areas",
        "strategies",
        "checkins",
    } <= set(one)
    assert (one["organization"], one["start"], one["facilitator"], one["status"]) == (
        "org-a",
        "2025-01-15",
        "Pat Facilitator",
        "active",
    )
    assert len(one["milestones"]) == len(workplan.load().milestones)
    for milestone in one["milestones"]:
        assert {"name", "due", "status"} <= set(milestone)
        dt.date.fromisoformat(milestone["due"])
    assert [a["id"] for a in one["focus_areas"]] == ["lead", "data"]
    for area in one["focus_areas"]:
        assert {"id", "title", "reason", "baseline", "followup"} <= set(area)
        for wave in ("baseline", "followup"):
            assert {"mean", "percent_favorable", "n"} <= set(area[wave])
    strategies = {s["title"]: s for s in one["strategies"]}
    assert set(strategies) == {"Quarterly data reports", "A strategy to delete"}
    main_strategy = strategies["Quarterly data reports"]
    assert (main_strategy["focus_area"], main_strategy["status"]) == ("data", "not_started")
    for indicator in main_strategy["indicators"]:
        assert {"name", "owner", "target", "baseline", "current", "due", "status"} <= set(indicator)
    assert [i["name"] for i in main_strategy["indicators"]] == ["Data mean", "Reports published"]
    (checkin,) = one["checkins"]
    assert checkin == {"date": "2025-04-01", "notes": "First check.", "status_changes": []}


def test_the_export_says_what_the_pages_show(app: Flask, db: Database, repp: Any) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        strategy = s.get(Strategy, world.a.strategy)
        assert strategy is not None
        framework.record_progress(
            s, strategy.indicators[1], author=None, status="at_risk", evidence=None, current_value=3
        )
    clear_cache()
    (one,) = _export(repp, "org-a")
    leader = signed_in(app, world.a.leader)
    e = f"/program/{world.a.engagement}"
    work_plan = visible_text(leader.get(f"{e}/").text)
    review = visible_text(leader.get(f"{e}/review").text)
    strategies = visible_text(leader.get(f"{e}/strategies").text)
    checkins = visible_text(leader.get(f"{e}/checkins").text)
    with app.test_request_context():
        for milestone in one["milestones"]:
            assert milestone["name"] in work_plan
            assert format_date(dt.date.fromisoformat(milestone["due"])) in work_plan
    for area in one["focus_areas"]:
        assert area["title"] in review
        assert area["reason"] in review
        assert fmt_number(area["baseline"]["mean"]) in review
        assert fmt_number(area["followup"]["mean"]) in review
        assert fmt_percent(area["followup"]["percent_favorable"]) in review
    outcome_words = {
        "met": "Target met",
        "not_met": "Target not met",
        "not_measured": "Not measured",
    }
    for strategy in one["strategies"]:
        assert strategy["title"] in strategies
        for indicator in strategy["indicators"]:
            assert indicator["name"] in review
            for key in ("baseline", "current"):
                if indicator[key] is not None:
                    shown = fmt_value(indicator[key], indicator["source"], indicator["unit"])
                    assert shown in review, (indicator["name"], key, shown)
                    assert shown in strategies
            assert fmt_value(indicator["target"], indicator["source"], indicator["unit"]) in review
            assert outcome_words[indicator["outcome"]] in review
    by_name = {i["name"]: i for s in one["strategies"] for i in s["indicators"]}
    assert (by_name["Reports published"]["current"], by_name["Reports published"]["outcome"]) == (
        3,
        "not_met",
    )
    assert by_name["Data mean"]["outcome"] == "met"
    for checkin in one["checkins"]:
        assert checkin["notes"] in checkins
    # The survey figures are the scoring module's.
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        assert engagement.baseline_wave is not None
        baseline = wave_data(s, engagement.baseline_wave).result.focus_area("data")
    assert by_name["Data mean"]["baseline"] == round(baseline.mean or 0, 6)
    assert by_name["Data mean"]["baseline_n"] == baseline.n


def test_create_an_engagement_from_the_command_line(
    app: Flask, db: Database, repp: Any, tmp_path: Path
) -> None:
    make_program_world(db)
    result = repp(
        "engagement", "create", "org-a", "--start", "2026-02-01", "--facilitator", "Lee", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["organization"], data["start"], data["facilitator"]) == (
        "org-a",
        "2026-02-01",
        "Lee",
    )
    assert data["milestones"][0] == {
        "key": "kickoff",
        "name": "Leadership kickoff meeting: expectations, timeline and work plan",
        "phase": "assessment",
        "owner": "cfjj",
        "due": "2026-02-15",
        "status": "not_started",
        "overdue": dt.date(2026, 2, 15) < clock.today(),
    }
    assert data["baseline_wave"] == "baseline"
    assert data["followup_wave"] == "12-month"
    assert len(_export(repp, "org-a")) == 2


def test_create_refuses_a_bad_template_with_its_problems(
    app: Flask, db: Database, repp: Any, tmp_path: Path
) -> None:
    make_program_world(db)
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps({"format": "repp-workplan/1", "id": "x"}), encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "engagement",
            "create",
            "org-a",
            "--start",
            "2026-02-01",
            "--facilitator",
            "Lee",
            "--template",
            str(bad),
        ],
        env={"REPP_DATABASE_URL": "sqlite:///unused.sqlite3", "REPP_SECRET_KEY": TEST_SECRET},
    )
    assert result.exit_code == 1
    assert f"{bad}: version: required" in result.stderr
    assert f"{bad}: milestones: must be a non-empty list" in result.stderr
    unknown = repp(
        "engagement", "create", "nobody", "--start", "2026-02-01", "--facilitator", "Lee"
    )
    assert unknown.exit_code == 1
    assert "no organization 'nobody'" in unknown.stderr


def test_the_text_export_names_the_indicators(app: Flask, db: Database, repp: Any) -> None:
    make_program_world(db)
    result = repp("engagement", "export", "org-b")
    assert result.exit_code == 0, result.output
    assert "org-b: started 2025-01-15, active, facilitator Pat Facilitator" in result.stdout
    assert "Data mean: baseline" in result.stdout
    assert "check-ins: 1" in result.stdout


# -- the report section --------------------------------------------------------------------------


def _section_html(app: Flask, db: Database, world: ProgramWorld, org_id: int) -> list[Any]:
    with app.test_request_context(), db.session() as s:
        org = s.get(Organization, org_id)
        assert org is not None
        return list(report_section(s, org, "en"))


def test_the_report_section_is_registered_and_escaped(app: Flask, db: Database) -> None:
    assert report_section in report_sections.providers()
    world = make_program_world(db)
    with db.transaction() as s:
        strategy = s.get(Strategy, world.a.strategy)
        assert strategy is not None
        framework.edit_strategy(
            s,
            strategy,
            actor=Actor.ADMIN,
            author=None,
            focus_area_id="data",
            title="<script>alert('x')</script> & reports",
            description=None,
            owner=None,
            due_on=None,
        )
    clear_cache()
    (section,) = _section_html(app, db, world, world.a.org)
    assert section.title == "The year's work: the 12-month review"
    html = str(section.html)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; reports" in html
    assert "Data mean" in html
    assert "Target met" in html
    assert "Welch" in html
    assert "<caption>" in html


def test_no_section_without_an_engagement_or_a_selection(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        engagement = s.get(Engagement, world.b.engagement)
        assert engagement is not None
        for strategy in list(engagement.strategies):
            framework.delete_strategy(s, strategy, actor=Actor.ADMIN, author=None)
        for selection in list(engagement.selections):
            engagement.selections.remove(selection)
            s.delete(selection)
    assert _section_html(app, db, world, world.b.org) == []


def test_the_leadership_report_carries_the_review(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    clear_cache()
    leader = signed_in(app, world.a.leader)
    report = leader.get(f"/dashboard/organizations/{world.a.org}/report")
    assert report.status_code == 200
    assert "The year&#39;s work: the 12-month review" in report.text
    assert "Data mean" in report.text
