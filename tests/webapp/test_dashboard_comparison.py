"""The comparison page (baseline vs 12-month) and its downloads: the same figures everywhere."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from flask import Flask

from scoring.charts import fmt_interval, fmt_mean, fmt_p, fmt_signed, strings
from tests.webapp.test_admin_support import World, make_world, signed_in, visible_text
from tests.webapp.test_dashboard_support import (
    add_responses,
    answers,
    clear_caches,
    groups_of_three_sizes,
    survey_document,
    table_starting,
)
from webapp.db import Database
from webapp.models import Organization
from webapp.waves import create_wave


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


def followup_rows() -> list[dict[str, object]]:
    rows = [answers("a", 5, 5, 5, 1) for _ in range(12)]
    return rows + [answers("b", 3, 4, 2, 4) for _ in range(12)]


def with_followup(db: Database, label: str = "12-month") -> tuple[World, int]:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, groups_of_three_sizes())
    with db.transaction() as s:
        org = s.get(Organization, world.org_a)
        assert org is not None
        wave = create_wave(s, org, org.waves[0].instrument_version, label)
        followup = wave.id
    add_responses(db, followup, followup_rows())
    return world, followup


def _r2(value: float | None, signed: bool = False) -> str:
    shown = None if value is None else round(value, 2)
    return fmt_signed(shown) if signed else fmt_mean(shown)


def test_the_comparison_page_shows_the_change_and_both_rankings(app: Flask, db: Database) -> None:
    world, followup = with_followup(db)
    leader = signed_in(app, "lead@a.org")
    page = leader.get(f"/dashboard/organizations/{world.org_a}/comparison")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Change in each focus area" in text
    assert "Both waves' rankings" in text
    assert page.text.count('class="repp-chart"') == 3
    table = table_starting(page.text, "baseline and 12-month: focus-area means")
    assert table[0] == [
        "Focus area",
        "baseline",
        "12-month",
        "Change",
        "95% interval (Welch)",
        "Hedges' g",
        "p (Mann–Whitney)",
        "p (Holm)",
        "Significant (Holm p < 0.05)",
    ]
    data = json.loads(leader.get(f"/dashboard/organizations/{world.org_a}/comparison.json").text)
    ui = strings("en")
    rows = {row[0]: row for row in table[1:]}
    titles = {"fa1": "Leadership", "fa2": "Culture"}
    for area in data["comparison"]["focus_areas"]:
        assert not area["suppressed"]
        assert rows[titles[area["id"]]][1:] == [
            _r2(area["baseline_mean"]),
            _r2(area["followup_mean"]),
            _r2(area["difference"], signed=True),
            fmt_interval(round(area["ci_low"], 2), round(area["ci_high"], 2), ui, signed=True),
            _r2(area["hedges_g"], signed=True),
            fmt_p(area["p_value"]),
            fmt_p(area["p_holm"]),
            "yes" if area["p_holm"] < 0.05 else "no",
        ]
    # Both rankings, each with the figures of its wave.
    assert [w["label"] for w in data["waves"]] == ["baseline", "12-month"]
    for wave in data["waves"]:
        assert wave["items"] == []
        assert wave["breakdowns"] == []
        ranking = table_starting(page.text, f"Focus areas ranked by mean score: {wave['label']}")
        shown = {row[1]: row[3] for row in ranking[1:]}
        assert shown == {a["title"]: _r2(a["mean"]) for a in wave["focus_areas"]}
    side_by_side = table_starting(page.text, "Rank and mean of each focus area")
    assert side_by_side[0] == [
        "Focus area",
        "Rank in baseline",
        "Mean in baseline",
        "Rank in 12-month",
        "Mean in 12-month",
    ]
    first, second = ({a["id"]: a for a in w["focus_areas"]} for w in data["waves"])
    assert [row[1:] for row in side_by_side[1:]] == [
        [
            str(first[i]["rank"]),
            _r2(first[i]["mean"]),
            str(second[i]["rank"]),
            _r2(second[i]["mean"]),
        ]
        for i in ("fa1", "fa2")
    ]
    tidy = list(
        csv.DictReader(
            io.StringIO(leader.get(f"/dashboard/organizations/{world.org_a}/comparison.csv").text)
        )
    )
    differences = {
        r["focus_area"]: float(r["value"])
        for r in tidy
        if r["section"] == "comparison" and r["measure"] == "difference"
    }
    assert differences == {a["id"]: a["difference"] for a in data["comparison"]["focus_areas"]}
    assert {r["wave"] for r in tidy if r["section"] == "comparison"} == {"baseline vs 12-month"}
    assert f'href="/dashboard/waves/{followup}"' in page.text


def test_without_both_waves_the_page_says_so_and_there_is_nothing_to_download(
    app: Flask, db: Database
) -> None:
    world, _ = with_followup(db, label="6-month")
    leader = signed_in(app, "lead@a.org")
    page = leader.get(f"/dashboard/organizations/{world.org_a}/comparison")
    assert page.status_code == 200
    assert "does not have both yet" in visible_text(page.text)
    assert "repp-chart" not in page.text
    for suffix in ("comparison.csv", "comparison.json"):
        assert leader.get(f"/dashboard/organizations/{world.org_a}/{suffix}").status_code == 404
    api = leader.get(f"/api/organizations/{world.org_a}/comparison")
    assert api.status_code == 404
    assert api.get_json()["status"] == 404


def test_the_dashboard_links_to_the_comparison_when_there_is_one(app: Flask, db: Database) -> None:
    world, _ = with_followup(db)
    page = signed_in(app, "lead@a.org").get("/dashboard/").text
    assert f'href="/dashboard/organizations/{world.org_a}/comparison"' in page
    assert f'href="/dashboard/organizations/{world.org_b}/comparison"' not in page
