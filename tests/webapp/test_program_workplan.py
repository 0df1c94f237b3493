"""The work plan: the template and its checks, due dates from the start date, overdue milestones,
the timeline chart, and editing milestones."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.charts import PALETTE, chart_html
from tests.support import csrf_token
from tests.webapp.test_program_support import make_program_world, signed_in
from webapp import clock
from webapp.db import Database
from webapp.program import workplan
from webapp.program.charts import STATUS_MARKERS, TimelineEntry, TimelineWords, timeline_chart
from webapp.program.models import Engagement, Milestone, MilestoneStatus

BUNDLED = json.loads(
    (Path(workplan.__file__).parent / workplan.BUNDLED_FILE).read_text(encoding="utf-8")
)


def doc(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BUNDLED)
    data.update(changes)
    return data


# -- the template --------------------------------------------------------------------------------


def test_the_bundled_template_mirrors_the_program() -> None:
    template = workplan.load()
    assert [p.id for p in template.phases] == ["assessment", "action"]
    assert [m.key for m in template.milestones] == [
        "kickoff",
        "baseline_assessment",
        "focus_area_selection",
        "working_group",
        "strategies_drafted",
        "leadership_review",
        "trainings_and_policies",
        "followup_assessment",
        "twelve_month_review",
    ]
    phases = {m.key: m.phase for m in template.milestones}
    assert {k for k, p in phases.items() if p == "assessment"} == {
        "kickoff",
        "baseline_assessment",
        "focus_area_selection",
        "working_group",
    }
    links = {m.key: m.link for m in template.milestones}
    assert links["baseline_assessment"] == "baseline_wave"
    assert links["followup_assessment"] == "followup_wave"
    assert links["focus_area_selection"] == "focus_area_selection"
    assert all("es" in m.name for m in template.milestones)


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d.update(format="repp-workplan/9"), "format", "must be"),
        (lambda d: d.pop("id"), "id", "required"),
        (lambda d: d.update(id="Not A Key"), "id", "lower-case"),
        (lambda d: d.update(extra=1), "extra", "unknown field"),
        (lambda d: d["title"].pop("en"), "title", "English"),
        (lambda d: d.update(phases=[]), "phases", "non-empty"),
        (lambda d: d["phases"][1].update(end_month=2), "phases[1].end_month", "before start_month"),
        (lambda d: d["phases"][0].update(id="action"), "phases[1].id", "duplicate"),
        (lambda d: d.update(milestones="none"), "milestones", "non-empty list"),
        (
            lambda d: d["milestones"][2].update(phase="later"),
            "milestones[2].phase",
            "unknown phase",
        ),
        (
            lambda d: d["milestones"][0].update(owner="Ms Smith"),
            "milestones[0].owner",
            "owner role",
        ),
        (
            lambda d: d["milestones"][0].update(link="somewhere"),
            "milestones[0].link",
            "unknown link",
        ),
        (lambda d: d["milestones"][1].update(due_days=3), "milestones[1]", "exactly one"),
        (lambda d: d["milestones"][0].pop("due_days"), "milestones[0]", "exactly one"),
        (
            lambda d: d["milestones"][1].update(due_month=0),
            "milestones[1].due_month",
            "whole number",
        ),
        (
            lambda d: d["milestones"][0].update(due_days=True),
            "milestones[0].due_days",
            "whole number",
        ),
        (lambda d: d["milestones"][3].update(key="kickoff"), "milestones[3].key", "duplicate"),
        (lambda d: d["milestones"][0]["name"].update(en=""), "milestones[0].name.en", "non-empty"),
        (lambda d: d["milestones"][0].update(notes="x"), "milestones[0].notes", "unknown field"),
        (lambda d: d["milestones"].append(7), "milestones[9]", "must be an object"),
    ],
)
def test_template_problems_name_their_place(change: Any, path: str, message: str) -> None:
    data = doc()
    change(data)
    with pytest.raises(workplan.WorkplanError) as raised:
        workplan.parse(data)
    assert any(p.path == path and message in p.message for p in raised.value.problems), (
        raised.value.problems
    )


def test_every_problem_is_reported_at_once() -> None:
    data = doc(format="x")
    data["milestones"][0]["owner"] = "nobody"
    data["milestones"][4]["due_month"] = 99
    with pytest.raises(workplan.WorkplanError) as raised:
        workplan.parse(data)
    assert set(raised.value.messages) == {
        "format",
        "milestones[0].owner",
        "milestones[4].due_month",
    }
    assert str(raised.value).startswith("3 problems:")


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "not valid JSON"), ("[]", "must be a JSON object"), (b"\xff\xfe", "not valid JSON")],
)
def test_files_that_are_not_templates(text: str | bytes, message: str) -> None:
    with pytest.raises(workplan.WorkplanError) as raised:
        workplan.loads(text)
    assert message in str(raised.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(workplan.WorkplanError, match="cannot read"):
        workplan.load(tmp_path / "nope.json")


def test_a_template_file_adapted_for_an_organization(tmp_path: Path) -> None:
    data = doc(id="harborview-year", version="2")
    data["milestones"] = data["milestones"][:2]
    data["milestones"][1]["due_days"] = 90
    del data["milestones"][1]["due_month"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    template = workplan.load(path)
    assert (template.id, template.version, len(template.milestones)) == ("harborview-year", "2", 2)
    assert workplan.due_date(template.milestones[1], dt.date(2025, 3, 1)) == dt.date(2025, 5, 30)


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 1, 15), 1, dt.date(2025, 2, 15)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 5), -13, dt.date(2024, 11, 5)),
        (dt.date(2025, 3, 31), 0, dt.date(2025, 3, 31)),
    ],
)
def test_adding_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert workplan.add_months(start, months) == expected


def test_due_dates_from_the_start_date() -> None:
    template = workplan.load()
    start = dt.date(2025, 1, 15)
    due = {m.key: workplan.due_date(m, start) for m in template.milestones}
    assert due["kickoff"] == dt.date(2025, 1, 29)  # 14 days
    assert due["baseline_assessment"] == dt.date(2025, 3, 14)  # end of month 2
    assert due["strategies_drafted"] == dt.date(2025, 5, 14)  # end of month 4
    assert due["followup_assessment"] == dt.date(2025, 12, 21)  # 340 days: before the review
    assert due["twelve_month_review"] == dt.date(2026, 1, 14)  # end of month 12
    starts = {m.key: workplan.start_date(template, m, start) for m in template.milestones}
    assert starts["kickoff"] == start
    assert starts["leadership_review"] == dt.date(2025, 3, 15)  # the action phase, month 3


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_the_bundled_plan_keeps_each_milestone_in_its_phase_and_in_program_order(
    start: dt.date,
) -> None:
    template = workplan.load()
    phases = {phase.id: phase for phase in template.phases}
    due = [workplan.due_date(m, start) for m in template.milestones]
    for milestone, day in zip(template.milestones, due, strict=True):
        phase = phases[milestone.phase]
        assert workplan.month_start(start, phase.start_month) <= day, milestone.key
        assert day <= workplan.month_end(start, phase.end_month), milestone.key
    assert due == sorted(due)  # the follow-up survey comes before the 12-month review


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    st.integers(min_value=1, max_value=workplan.MAX_MONTHS),
)
def test_program_months_tile_the_calendar(start: dt.date, month: int) -> None:
    """Month N ends the day before month N+1 starts, and every month follows the last."""
    end = workplan.month_end(start, month)
    assert end + dt.timedelta(days=1) == workplan.month_start(start, month + 1)
    assert workplan.month_start(start, month) <= end
    assert 28 <= (end - workplan.month_start(start, month)).days + 1 <= 31


# -- overdue and the timeline --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (dt.date(2025, 6, 9), MilestoneStatus.NOT_STARTED, True),
        (dt.date(2025, 6, 9), MilestoneStatus.IN_PROGRESS, True),
        (dt.date(2025, 6, 9), MilestoneStatus.DONE, False),
        (dt.date(2025, 6, 9), MilestoneStatus.SKIPPED, False),
        (dt.date(2025, 6, 10), MilestoneStatus.NOT_STARTED, False),  # due today is not late yet
        (dt.date(2025, 6, 11), MilestoneStatus.IN_PROGRESS, False),
    ],
)
def test_overdue_means_due_before_today_and_not_done(
    due: dt.date, status: MilestoneStatus, overdue: bool
) -> None:
    milestone = Milestone(due_on=due, status=status)
    assert milestone.overdue(dt.date(2025, 6, 10)) is overdue


WORDS = TimelineWords(
    title="Timeline",
    description="Bars and markers.",
    today="Today",
    overdue="Overdue",
    yes="Yes",
    no="No",
    due="Due",
    milestone="Milestone",
    phase="Phase",
    owner="Owner",
    status="Status",
    statuses={
        "not_started": "Not started",
        "in_progress": "In progress",
        "done": "Done",
        "skipped": "Skipped",
    },
)


def _entry(key: str, due: dt.date, status: str, overdue: bool) -> TimelineEntry:
    return TimelineEntry(
        key=key,
        name=f"Milestone <{key}>",
        phase="Phase",
        owner="CfJJ",
        starts_on=dt.date(2025, 1, 1),
        due_on=due,
        status=status,
        status_label=WORDS.statuses[status],
        overdue=overdue,
    )


def test_the_timeline_marks_today_and_overdue_items_by_shape_and_text() -> None:
    today = dt.date(2025, 6, 10)
    entries = [
        _entry("a", dt.date(2025, 2, 1), "done", False),
        _entry("b", dt.date(2025, 5, 1), "in_progress", True),
        _entry("c", dt.date(2025, 9, 1), "not_started", False),
    ]
    chart = timeline_chart("timeline-1", entries, today, WORDS)
    figure = chart.figure
    (line,) = figure["layout"]["shapes"]
    assert (line["x0"], line["x1"], line["yref"]) == ("2025-06-10", "2025-06-10", "paper")
    assert "Today" in figure["layout"]["annotations"][0]["text"]
    overdue = [t for t in figure["data"] if t.get("name") == "Overdue"]
    assert len(overdue) == 1
    assert overdue[0]["y"] == ["b"]
    assert overdue[0]["marker"]["symbol"] != STATUS_MARKERS["in_progress"][0]
    assert overdue[0]["text"] == ["<b>Overdue</b>"]
    symbols = {t["name"]: t["marker"]["symbol"] for t in figure["data"] if "marker" in t}
    assert len(set(symbols.values())) == len(symbols)
    assert figure["layout"]["yaxis"]["categoryarray"] == ["a", "b", "c"]
    assert figure["layout"]["yaxis"]["ticktext"][0] == "Milestone &lt;a&gt;"
    assert chart.table.rows[1][-1] == "Yes"
    assert [r[-1] for r in chart.table.rows] == ["No", "Yes", "No"]
    colors = {t["marker"]["color"] for t in figure["data"] if "marker" in t}
    assert colors <= PALETTE
    html = chart_html(chart)
    assert "<caption>Timeline. Today: 2025-06-10.</caption>" in html
    assert "Milestone &lt;b&gt;" in html


# -- the work plan in the app --------------------------------------------------------------------


def test_an_engagement_gets_its_milestones_from_the_template(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        template = workplan.load()
        assert [m.key for m in engagement.milestones] == [m.key for m in template.milestones]
        for row, item in zip(engagement.milestones, template.milestones, strict=True):
            assert row.due_on == workplan.due_date(item, engagement.start_on)
            assert row.owner_role == item.owner
            assert row.status is MilestoneStatus.NOT_STARTED


def test_an_admin_edits_a_milestone_and_the_page_marks_overdue(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    admin = signed_in(app, world.admin)
    path = f"/program/{world.a.engagement}/milestones/{world.a.milestone}"
    page = admin.get(path)
    refused = admin.post(path, data={"csrf_token": csrf_token(page.text), "due_on": "soon"})
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    yesterday = clock.today() - dt.timedelta(days=1)
    saved = admin.post(
        path,
        data={
            "csrf_token": csrf_token(page.text),
            "due_on": yesterday.isoformat(),
            "status": "in_progress",
            "owner_role": "leadership",
            "notes": "Moved to the board meeting.",
        },
    )
    assert saved.status_code == 302
    with db.session() as s:
        row = s.get(Milestone, world.a.milestone)
        assert row is not None
        assert (row.due_on, row.status, row.owner_role) == (
            yesterday,
            MilestoneStatus.IN_PROGRESS,
            "leadership",
        )
    overview = signed_in(app, world.a.leader).get(f"/program/{world.a.engagement}/")
    assert overview.status_code == 200
    assert 'class="is-overdue"' in overview.text
    assert "Moved to the board meeting." in overview.text
    assert 'class="repp-chart"' in overview.text
    # The chart's table says the same: a row with "Yes" under "Overdue".
    assert "<td>Yes</td>" in overview.text


def test_the_new_engagement_page_takes_a_template_file(app: Flask, db: Database) -> None:
    import io

    world = make_program_world(db)
    admin = signed_in(app, world.admin)
    page = admin.get("/program/new")
    bad = doc()
    bad["milestones"][0]["owner"] = "nobody"
    refused = admin.post(
        "/program/new",
        data={
            "csrf_token": csrf_token(page.text),
            "organization": str(world.a.org),
            "start_on": "2026-01-05",
            "facilitator": "Pat",
            "template": (io.BytesIO(json.dumps(bad).encode()), "plan.json"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "milestones[0].owner" in refused.text
    good = doc(id="short-year")
    good["milestones"] = good["milestones"][:3]
    created = admin.post(
        "/program/new",
        data={
            "csrf_token": csrf_token(page.text),
            "organization": str(world.a.org),
            "start_on": "2026-01-05",
            "facilitator": "Pat",
            "template": (io.BytesIO(json.dumps(good).encode()), "plan.json"),
        },
        content_type="multipart/form-data",
    )
    assert created.status_code == 302
    with db.session() as s:
        from sqlalchemy import select

        newest = s.scalars(select(Engagement).order_by(Engagement.id.desc())).first()
        assert newest is not None
        assert (newest.template_id, len(newest.milestones)) == ("short-year", 3)
        assert newest.milestones[0].due_on == dt.date(2026, 1, 19)
