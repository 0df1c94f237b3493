"""The wave page's results: ranking, items, breakdowns and the gap form; suppression everywhere a
figure leaves (page, CSV, JSON, report); downloads equal the page; a new response shows at once."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.charts import fmt_interval, fmt_mean, fmt_percent, strings
from tests.webapp.test_admin_support import World, make_world, signed_in, visible_text
from tests.webapp.test_dashboard_support import (
    HIDDEN,
    add_responses,
    answers,
    clear_caches,
    groups_of_three_sizes,
    survey_document,
    table_starting,
    without_scripts,
)
from webapp.db import Database


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


def _world(db: Database, rows: list[dict[str, object]] | None = None) -> World:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, groups_of_three_sizes() if rows is None else rows)
    return world


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _r2(value: float | None) -> str:
    return fmt_mean(None if value is None else round(value, 2))


def test_the_wave_page_shows_every_kind_of_result(app: Flask, db: Database) -> None:
    world = _world(db)
    page = signed_in(app, "lead@a.org").get(f"/dashboard/waves/{world.wave_a}")
    assert page.status_code == 200
    text = visible_text(page.text)
    for heading in (
        "Focus areas, first priority first",
        "Answers to each statement",
        "Results by group",
        "Perception gap between two groups",
    ):
        assert heading in text
    # One chart per kind: the ranking, two focus areas' items, one breakdown.
    assert page.text.count('class="repp-chart"') == 4
    assert page.text.count('<script type="application/json"') == 4
    # Charts are drawn by the two external scripts, in that order.
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts == ["/static/vendor/plotly.min.js", "/static/vendor/charts.js"]
    assert "Leaders care." in text
    # Free text never reaches the results; the text question is not an item chart.
    assert "Anything else?" not in text
    ranking = table_starting(page.text, "Focus areas ranked")
    assert ranking[0] == [
        "Rank",
        "Focus area",
        "Respondents (n)",
        "Mean",
        "SD",
        "95% interval",
        "% favorable",
        "Cronbach's alpha",
    ]
    assert [row[:3] for row in ranking[1:]] == [["1", "Culture", "30"], ["2", "Leadership", "30"]]


def test_downloads_hold_exactly_the_figures_of_the_page(app: Flask, db: Database) -> None:
    world = _world(db)
    leader = signed_in(app, "lead@a.org")
    page = leader.get(f"/dashboard/waves/{world.wave_a}").text
    download = leader.get(f"/dashboard/waves/{world.wave_a}/results.json")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    report = json.loads(download.text)
    assert report["instrument"] == {"id": "groups", "version": "1"}
    assert report["comparison"] is None
    (wave,) = report["waves"]
    assert wave["respondents"] == 30
    ui = strings("en")
    ranking = {row[1]: row for row in table_starting(page, "Focus areas ranked")[1:]}
    for area in wave["focus_areas"]:
        row = ranking[area["title"]]
        assert row == [
            str(area["rank"]),
            area["title"],
            str(area["n"]),
            _r2(area["mean"]),
            _r2(area["sd"]),
            fmt_interval(round(area["ci_low"], 2), round(area["ci_high"], 2), ui),
            fmt_percent(round(area["percent_favorable"])),
            _r2(area["cronbach_alpha"]),
        ]
    items = table_starting(page, "Answers to each statement: Leadership")[1:]
    by_text = {row[0]: row for row in items}
    q1 = next(i for i in wave["items"] if i["id"] == "q1")
    assert by_text["Leaders care."][1:3] == [str(q1["n"]), _r2(q1["mean"])]
    counts = [cell.split(" ")[0] for cell in by_text["Leaders care."][3:]]
    assert counts == [str(q1["distribution"][k]) for k in ("1", "2", "3", "4", "5", "na")]
    breakdown = table_starting(page, "Focus-area means by group")
    (unit,) = wave["breakdowns"]
    rows = {row[0]: row for row in breakdown[1:]}
    for group in unit["groups"]:
        row = rows[group["label"]]
        if group["suppressed"]:
            assert row[1] == "–"
            assert set(row[2:]) == {"suppressed"}
        else:
            assert row[1] == str(group["n"])
            assert row[2:] == [_r2(cell["mean"]) for cell in group["focus_areas"]]
    # The CSV says the same as the JSON, in scoring's tidy rows.
    rows_csv = _csv(leader.get(f"/dashboard/waves/{world.wave_a}/results.csv").text)
    means = {
        r["focus_area"]: float(r["value"])
        for r in rows_csv
        if r["section"] == "focus_area" and r["measure"] == "mean"
    }
    assert means == {a["id"]: a["mean"] for a in wave["focus_areas"]}


def test_a_small_group_and_its_complement_are_suppressed_everywhere(
    app: Flask, db: Database
) -> None:
    world = _world(db)
    leader = signed_in(app, "lead@a.org")
    page = leader.get(f"/dashboard/waves/{world.wave_a}").text
    rows = {row[0]: row for row in table_starting(page, "Focus-area means by group")[1:]}
    assert rows["Unit C"] == ["Unit C", "–", "suppressed", "suppressed"]
    assert rows["Unit B"] == ["Unit B", "–", "suppressed", "suppressed"]
    assert rows["Unit A"][1] == "20"
    downloads = {
        "csv": leader.get(f"/dashboard/waves/{world.wave_a}/results.csv").text,
        "json": leader.get(f"/dashboard/waves/{world.wave_a}/results.json").text,
        "api": leader.get(f"/api/waves/{world.wave_a}/results").text,
        "page": visible_text(page),
    }
    for name, text in downloads.items():
        for hidden in HIDDEN.values():
            for shown in (repr(hidden["fa1"]), _r2(hidden["fa1"])):
                assert shown not in text, (name, shown)
        assert not re.search(r"n = [28]\b", text), name
    for row in _csv(downloads["csv"]):
        if row["group"] in HIDDEN:
            assert row["value"] == ("true" if row["measure"] == "suppressed" else ""), row
    report = json.loads(downloads["json"])
    for group in report["waves"][0]["breakdowns"][0]["groups"]:
        if group["value"] in HIDDEN:
            assert group["n"] is None
            assert {c["mean"] for c in group["focus_areas"]} == {None}


def test_a_wave_too_small_shows_no_figure_anywhere(app: Flask, db: Database) -> None:
    world = _world(
        db, [answers("a", 1, 2), answers("a", 5, 5), answers("b", 2, 4), answers(None, 3, 3)]
    )
    leader = signed_in(app, "lead@a.org")
    page = leader.get(f"/dashboard/waves/{world.wave_a}").text
    text = visible_text(page)
    assert "Results appear once at least 5 people have responded." in text
    assert "repp-chart" not in page
    assert "<table" not in page
    assert not re.search(r"\d\.\d", text)
    report = json.loads(leader.get(f"/dashboard/waves/{world.wave_a}/results.json").text)
    api = leader.get(f"/api/waves/{world.wave_a}/results").get_json()
    for data in (report, api):
        (wave,) = data["waves"]
        assert wave["respondents"] == 4
        assert all(a["suppressed"] and a["mean"] is None for a in wave["focus_areas"])
        assert all(i["suppressed"] and i["distribution"] is None for i in wave["items"])
        assert all(g["n"] is None for b in wave["breakdowns"] for g in b["groups"])
    for row in _csv(leader.get(f"/dashboard/waves/{world.wave_a}/results.csv").text):
        if row["measure"] not in ("n", "suppressed", "respondents", "min_group_size"):
            assert row["value"] == "" or row["section"] == "report", row
    report_page = leader.get(f"/dashboard/organizations/{world.org_a}/report").text
    cells = re.findall(r"<td>(.*?)</td>", without_scripts(report_page))
    assert cells, "the report has its tables"
    assert not [c for c in cells if re.fullmatch(r"[−+-]?\d+\.\d+%?", c)]


def test_a_new_response_changes_the_numbers_on_the_next_request(app: Flask, db: Database) -> None:
    world = _world(db)
    leader = signed_in(app, "lead@a.org")
    path = f"/dashboard/waves/{world.wave_a}"
    before = table_starting(leader.get(path).text, "Focus areas ranked")
    api_before = leader.get(f"/api/waves/{world.wave_a}/results").get_json()
    add_responses(db, world.wave_a, [answers("a", 1, 1, 1, 5)] * 3)
    after = table_starting(leader.get(path).text, "Focus areas ranked")
    assert before != after
    assert [row[2] for row in after[1:]] == ["33", "33"]
    api_after = leader.get(f"/api/waves/{world.wave_a}/results").get_json()
    assert api_after["waves"][0]["respondents"] == api_before["waves"][0]["respondents"] + 3


def test_the_gap_chart_compares_two_shown_groups(app: Flask, db: Database) -> None:
    rows = [answers("a", 5, 5, 4, 2) for _ in range(10)] + [
        answers("b", 2, 2, 4, 2) for _ in range(10)
    ]
    world = _world(db, rows)
    leader = signed_in(app, "lead@a.org")
    path = f"/dashboard/waves/{world.wave_a}"
    page = leader.get(path + "?" + urlencode({"gap_by": "unit", "gap_a": "a", "gap_b": "b"})).text
    gap = table_starting(page, "Perception gap: Unit A compared with Unit B")
    assert gap[1] == ["Leadership", "5.00", "2.00", "+3.00"]
    assert gap[2] == ["Culture", "4.00", "4.00", "+0.00"]
    # The form keeps the choice.
    assert '<option value="unit" selected>' in page
    # A group too small for the page cannot be compared with another.
    page = leader.get(path + "?" + urlencode({"gap_by": "unit", "gap_a": "a", "gap_b": "c"})).text
    assert "cannot be compared" in visible_text(page)
    assert "Perception gap:" not in page
    # Only the instrument's demographic items and their options can be chosen.
    for query in (
        {"gap_by": "q1", "gap_a": "1", "gap_b": "2"},
        {"gap_by": "unit", "gap_a": "a", "gap_b": "zzz"},
        {"gap_by": "unit", "gap_a": "a", "gap_b": "a"},
    ):
        response = leader.get(path + "?" + urlencode(query))
        assert response.status_code == 200
        assert "Perception gap:" not in response.text
        assert 'class="notice"' in response.text


def test_instrument_text_is_escaped_on_the_page(app: Flask, db: Database) -> None:
    doc = survey_document()
    doc["focus_areas"][0]["title"] = {"en": "<img src=x onerror=alert(1)>", "es": "<b>x</b>"}
    world = make_world(db, doc)
    add_responses(db, world.wave_a, groups_of_three_sizes())
    page = signed_in(app, "lead@a.org").get(f"/dashboard/waves/{world.wave_a}").text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_page_speaks_the_viewers_language(app: Flask, db: Database) -> None:
    world = _world(db)
    leader = signed_in(app, "lead@a.org")
    page = leader.get(f"/dashboard/waves/{world.wave_a}", headers={"Accept-Language": "es"})
    assert "Liderazgo" in visible_text(page.text)
    report = leader.get(
        f"/dashboard/waves/{world.wave_a}/results.json", headers={"Accept-Language": "es"}
    )
    titles = {a["title"] for a in json.loads(report.text)["waves"][0]["focus_areas"]}
    assert titles == {"Liderazgo", "Cultura"}


QUERY_KEYS = st.sampled_from(["gap_by", "gap_a", "gap_b", "lang", "instrument", "x"]) | st.text(
    max_size=8
)
QUERIES = st.dictionaries(QUERY_KEYS, st.text(max_size=12), max_size=4)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES, which=st.sampled_from(["wave", "comparison", "report", "csv", "json"]))
def test_random_query_strings_never_give_a_500(
    app: Flask, db: Database, query: dict[str, str], which: str
) -> None:
    if not hasattr(app, "_world"):
        world = _world(db)
        app._world = world  # type: ignore[attr-defined]
        app._client = signed_in(app, "admin@cfjj.org")  # type: ignore[attr-defined]
    world, client = app._world, app._client  # type: ignore[attr-defined]
    paths = {
        "wave": f"/dashboard/waves/{world.wave_a}",
        "comparison": f"/dashboard/organizations/{world.org_a}/comparison",
        "report": f"/dashboard/organizations/{world.org_a}/report",
        "csv": f"/dashboard/waves/{world.wave_a}/results.csv",
        "json": f"/dashboard/waves/{world.wave_a}/results.json",
    }
    response = client.get(paths[which] + "?" + urlencode(query))
    assert response.status_code in (200, 404), (which, query, response.status_code)
