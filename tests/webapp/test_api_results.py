"""The results API: the names of `repp score`'s JSON, the dashboard's authorization (401 JSON for
anonymous requests, 404 for another organization) and its suppression."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

import instrument
import scoring
from tests.webapp.test_admin_support import make_world, signed_in
from tests.webapp.test_dashboard_comparison import followup_rows, with_followup
from tests.webapp.test_dashboard_support import (
    add_responses,
    clear_caches,
    groups_of_three_sizes,
    survey_document,
)
from webapp.api.schemas import ScoreReportSchema
from webapp.dashboard.reports import focus_areas_only
from webapp.db import Database

API_ROUTES = {"api.health", "api.wave_results", "api.organization_comparison"}


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


def _cli(rows: list[dict[str, Any]], labels: list[str]) -> dict[str, Any]:
    """Return what `repp score` prints for these answers (every demographic item broken down)."""
    inst = instrument.load(survey_document())
    table = scoring.ResponseTable.from_answers(inst, rows, wave=labels)
    report = scoring.score(inst, table, by=["unit"], min_group_size=5)
    data: dict[str, Any] = json.loads(scoring.report_json(report))
    return data


def test_every_api_route_is_checked_here(app: Flask) -> None:
    served = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert served == API_ROUTES


def test_a_wave_has_the_names_and_figures_of_the_cli(app: Flask, db: Database) -> None:
    world = make_world(db, survey_document())
    rows = groups_of_three_sizes()
    add_responses(db, world.wave_a, rows)
    response = signed_in(app, "lead@a.org").get(f"/api/waves/{world.wave_a}/results")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == _cli(rows, ["baseline"] * len(rows))


def test_the_comparison_has_the_names_and_figures_of_the_cli(app: Flask, db: Database) -> None:
    world, _ = with_followup(db)
    baseline, followup = groups_of_three_sizes(), followup_rows()
    response = signed_in(app, "lead@a.org").get(f"/api/organizations/{world.org_a}/comparison")
    assert response.status_code == 200
    expected = _cli(
        baseline + followup, ["baseline"] * len(baseline) + ["12-month"] * len(followup)
    )
    for wave in expected["waves"]:
        wave["items"], wave["breakdowns"] = [], []
    assert response.get_json() == expected


def test_the_schema_dumps_what_report_json_writes() -> None:
    inst = instrument.load(survey_document())
    rows = groups_of_three_sizes()
    table = scoring.ResponseTable.from_answers(inst, rows, wave="w")
    report = scoring.score(inst, table, by=["unit"], min_group_size=5)
    assert ScoreReportSchema().dump(report) == json.loads(scoring.report_json(report))
    small = scoring.ResponseTable.from_answers(inst, rows[:4], wave="w")
    tiny = scoring.score(inst, small, by=["unit"], min_group_size=5)
    assert ScoreReportSchema().dump(tiny) == json.loads(scoring.report_json(tiny))
    trimmed = scoring.ScoreReport(
        report.instrument_id,
        report.instrument_version,
        5,
        (focus_areas_only(report.waves[0]),),
        None,
    )
    assert ScoreReportSchema().dump(trimmed)["waves"][0]["items"] == []


def test_anonymous_requests_get_401_json(app: Flask, db: Database) -> None:
    world, _ = with_followup(db)
    client = app.test_client()
    for path in (
        f"/api/waves/{world.wave_a}/results",
        f"/api/organizations/{world.org_a}/comparison",
    ):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.get_json()["status"] == 401
        assert "Location" not in response.headers
    assert client.get("/api/health").status_code == 200


def test_other_organizations_are_404_json(app: Flask, db: Database) -> None:
    world, _ = with_followup(db)
    leader_b = signed_in(app, "lead@b.org")
    for path in (
        f"/api/waves/{world.wave_a}/results",
        f"/api/organizations/{world.org_a}/comparison",
        "/api/waves/999/results",
        "/api/organizations/999/comparison",
    ):
        response = leader_b.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["status"] == 404
        assert "baseline" not in response.text
    assert leader_b.get(f"/api/waves/{world.wave_b}/results").status_code == 200
    admin = signed_in(app, "admin@cfjj.org")
    assert admin.get(f"/api/waves/{world.wave_a}/results").status_code == 200
    assert admin.get(f"/api/organizations/{world.org_a}/comparison").status_code == 200


def test_the_api_suppresses_like_the_pages(app: Flask, db: Database) -> None:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, groups_of_three_sizes()[:4])
    data = signed_in(app, "lead@a.org").get(f"/api/waves/{world.wave_a}/results").get_json()
    (wave,) = data["waves"]
    assert all(a["mean"] is None and a["suppressed"] for a in wave["focus_areas"])
    assert all(i["distribution"] is None for i in wave["items"])


def test_the_api_answers_in_a_chosen_language(app: Flask, db: Database) -> None:
    world = make_world(db, survey_document())
    add_responses(db, world.wave_a, groups_of_three_sizes())
    leader = signed_in(app, "lead@a.org")
    spanish = leader.get(f"/api/waves/{world.wave_a}/results?lang=es").get_json()
    assert {a["title"] for a in spanish["waves"][0]["focus_areas"]} == {"Liderazgo", "Cultura"}
    unknown = leader.get(f"/api/waves/{world.wave_a}/results?lang=xx").get_json()
    assert {a["title"] for a in unknown["waves"][0]["focus_areas"]} == {"Leadership", "Culture"}
