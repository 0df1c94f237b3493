"""Indicators: their figures are the scoring module's figures of the baseline and 12-month waves,
suppressed ones stay suppressed (in the summary, the review page and the export), and targets are
met, not met or not measured."""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
import scoring
from tests.webapp.test_admin_support import visible_text
from tests.webapp.test_program_support import PROGRAM_DOC, make_program_world, signed_in
from webapp import clock
from webapp.db import Database
from webapp.program import framework
from webapp.program.blueprint import fmt_number
from webapp.program.indicators import (
    NO_FIGURE,
    Direction,
    Figure,
    IndicatorSource,
    Outcome,
    indicator_figures,
    outcome,
    survey_figure,
)
from webapp.program.models import Engagement, Strategy
from webapp.program.review import Actor
from webapp.program.summary import export, summarize
from webapp.results import clear_cache, comparison, wave_data


@pytest.mark.parametrize(
    ("current", "target", "direction", "expected"),
    [
        (3.2, 3.0, Direction.HIGHER, Outcome.MET),
        (3.0, 3.0, Direction.HIGHER, Outcome.MET),
        (2.99, 3.0, Direction.HIGHER, Outcome.NOT_MET),
        (2.0, 2.5, Direction.LOWER, Outcome.MET),
        (2.5, 2.5, Direction.LOWER, Outcome.MET),
        (2.6, 2.5, Direction.LOWER, Outcome.NOT_MET),
        (None, 3.0, Direction.HIGHER, Outcome.NOT_MEASURED),
        (None, 3.0, Direction.LOWER, Outcome.NOT_MEASURED),
        (0.0, 0.0, Direction.HIGHER, Outcome.MET),
    ],
)
def test_met_not_met_not_measured(
    current: float | None, target: float, direction: Direction, expected: Outcome
) -> None:
    assert outcome(current, target, direction) is expected


@settings(max_examples=150, deadline=None)
@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
)
def test_the_two_directions_mirror_each_other(current: float, target: float) -> None:
    higher = outcome(current, target, Direction.HIGHER)
    lower = outcome(-current, -target, Direction.LOWER)
    assert higher is lower
    assert higher is not Outcome.NOT_MEASURED


def _result(**areas: tuple[float | None, bool]) -> scoring.WaveResult:
    return scoring.WaveResult(
        label="w",
        respondents=9,
        focus_areas=tuple(
            scoring.FocusAreaResult(
                id=area_id,
                title=area_id,
                n=None if suppressed else 9,
                mean=mean,
                sd=None,
                ci_low=None,
                ci_high=None,
                percent_favorable=None if mean is None else mean * 10,
                cronbach_alpha=None,
                rank=None,
                suppressed=suppressed,
            )
            for area_id, (mean, suppressed) in areas.items()
        ),
        items=(scoring.ItemResult("q1", None, None, None, True),),
        breakdowns=(),
    )


def test_survey_figures_read_the_results_and_keep_suppression() -> None:
    result = _result(data=(2.5, False), lead=(None, True))
    assert survey_figure(result, IndicatorSource.FOCUS_AREA_MEAN, "data") == Figure(2.5, 9)
    assert survey_figure(result, IndicatorSource.FOCUS_AREA_FAVORABLE, "data") == Figure(25.0, 9)
    assert survey_figure(result, IndicatorSource.FOCUS_AREA_MEAN, "lead") == Figure(
        None, None, True
    )
    assert survey_figure(result, IndicatorSource.ITEM_MEAN, "q1") == Figure(None, None, True)
    assert survey_figure(result, IndicatorSource.FOCUS_AREA_MEAN, "gone") == NO_FIGURE
    assert survey_figure(None, IndicatorSource.FOCUS_AREA_MEAN, "data") == NO_FIGURE
    assert survey_figure(result, IndicatorSource.MANUAL, None) == NO_FIGURE
    figures = indicator_figures(
        IndicatorSource.FOCUS_AREA_MEAN,
        "lead",
        Direction.HIGHER,
        1.0,
        baseline=result,
        followup=result,
        manual_baseline=4.0,
        manual_current=4.0,
    )
    # Hand-entered values never stand in for a suppressed survey figure.
    assert figures.current.suppressed
    assert figures.outcome is Outcome.NOT_MEASURED


def _add_survey_indicators(db: Database, strategy_id: int) -> None:
    with db.transaction() as s:
        strategy = s.get(Strategy, strategy_id)
        assert strategy is not None
        for source, ref in (
            (IndicatorSource.FOCUS_AREA_FAVORABLE, "data"),
            (IndicatorSource.ITEM_MEAN, "data_2"),
            (IndicatorSource.FOCUS_AREA_MEAN, "lead"),
        ):
            framework.add_indicator(
                s,
                strategy,
                actor=Actor.ADMIN,
                author=None,
                name=f"{source.value} {ref}",
                source=source,
                source_ref=ref,
                direction=Direction.HIGHER,
                target=3,
                owner="Team",
                data_source="Surveys",
                due_on=None,
                unit=None,
                baseline_value=99,  # ignored: survey baselines come from the wave
            )


def test_indicator_figures_equal_the_scoring_modules_figures(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    _add_survey_indicators(db, world.a.strategy)
    clear_cache()
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        assert engagement.baseline_wave is not None
        assert engagement.followup_wave is not None
        summary = summarize(s, engagement, language="en", today=clock.today())
        baseline = wave_data(s, engagement.baseline_wave).result
        followup = wave_data(s, engagement.followup_wave).result
        checked = 0
        for view in summary.indicators:
            row = view.row
            if row.source is IndicatorSource.MANUAL:
                assert view.figures.baseline.value == row.baseline_value
                assert view.figures.current.value == row.current_value
                continue
            for result, figure in (
                (baseline, view.figures.baseline),
                (followup, view.figures.current),
            ):
                if row.source is IndicatorSource.ITEM_MEAN:
                    item = result.item(row.source_ref)
                    assert (figure.value, figure.n) == (item.mean, item.n)
                else:
                    area = result.focus_area(row.source_ref)
                    want = (
                        area.mean
                        if row.source is IndicatorSource.FOCUS_AREA_MEAN
                        else area.percent_favorable
                    )
                    assert (figure.value, figure.n) == (want, area.n)
                assert figure.value is not None
            checked += 1
        assert checked == 5
        # ...and the focus areas beside the choice are the same figures.
        for area in summary.areas:
            fa = baseline.focus_area(area.id)
            assert (area.baseline.mean, area.baseline.ci_low, area.baseline.ci_high) == (
                fa.mean,
                fa.ci_low,
                fa.ci_high,
            )
            assert (area.baseline.percent_favorable, area.baseline.rank) == (
                fa.percent_favorable,
                fa.rank,
            )
            assert area.comparison == comparison(
                s, engagement.baseline_wave, engagement.followup_wave
            ).focus_area(area.id)
        data = export(summary)
        # The export carries the same figures and comparison statistics, rounded as JSON is.
        for exported_area in data["focus_areas"]:
            fa = baseline.focus_area(exported_area["id"])
            assert exported_area["baseline"]["rank"] == fa.rank
            assert exported_area["baseline"]["ci_low"] == round(fa.ci_low, 6)
            compared = comparison(s, engagement.baseline_wave, engagement.followup_wave)
            want = scoring.rounded(compared.focus_area(exported_area["id"]).to_dict())
            for key, value in exported_area["comparison"].items():
                assert value == want[key], key
    exported = {i["name"]: i for s_ in data["strategies"] for i in s_["indicators"]}
    data_mean = next(v for v in summary.indicators if v.row.name == "Data mean")
    assert exported["Data mean"]["baseline"] == round(data_mean.figures.baseline.value, 6)
    assert exported["Data mean"]["current"] == round(data_mean.figures.current.value, 6)
    assert exported["Data mean"]["outcome"] == "met"
    # ...and they are what scoring computes from the stored answers, cache or no cache.
    inst = instrument.load(PROGRAM_DOC)
    for wave_id, figure in (
        (world.a.baseline, data_mean.figures.baseline),
        (world.a.followup, data_mean.figures.current),
    ):
        table = scoring.ResponseTable.from_answers(inst, _answers_of(db, wave_id))
        direct = scoring.score_wave(inst, table, min_group_size=5).focus_area("data")
        assert (figure.value, figure.n) == (direct.mean, direct.n)


def test_suppressed_figures_stay_suppressed_everywhere(app: Flask, db: Database) -> None:
    """A 12-month wave with fewer respondents than the smallest group: nothing of it shows."""
    world = make_program_world(db, followup_count=3, min_group_size=5)
    _add_survey_indicators(db, world.a.strategy)
    clear_cache()
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        summary = summarize(s, engagement, language="en", today=clock.today())
        for view in summary.indicators:
            if view.row.source is IndicatorSource.MANUAL:
                continue
            assert view.figures.current == Figure(None, None, True)
            assert view.figures.outcome is Outcome.NOT_MEASURED
            assert view.figures.baseline.value is not None
        for area in summary.selected:
            assert area.followup.suppressed
            assert area.followup.mean is None
            assert area.comparison is not None
            assert area.comparison.suppressed
        data = export(summary)
    for area in data["focus_areas"]:
        assert area["followup"] == {
            "mean": None,
            "ci_low": None,
            "ci_high": None,
            "percent_favorable": None,
            "n": None,
            "rank": None,
            "suppressed": True,
        }
        assert area["comparison"]["suppressed"] is True
        assert {k: v for k, v in area["comparison"].items() if k != "suppressed"} == dict.fromkeys(
            ("difference", "ci_low", "ci_high", "hedges_g", "p_value", "p_holm")
        )
    for strategy in data["strategies"]:
        for indicator in strategy["indicators"]:
            if indicator["source"] != "manual":
                assert indicator["current"] is None
                assert indicator["outcome"] == "not_measured"

    page = signed_in(app, world.a.leader).get(f"/program/{world.a.engagement}/review")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "suppressed (fewer than 5 respondents)" in text
    # The 12-month means exist in the scoring module's raw tables but never reach the page.
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        assert engagement.followup_wave is not None
        table = wave_data(s, engagement.followup_wave)
        assert table.respondents == 3
    raw = scoring.score_wave(
        table.instrument,
        scoring.ResponseTable.from_answers(
            table.instrument,
            [r for r in _answers_of(db, world.a.followup)],
        ),
        min_group_size=3,
    )
    for area_id in ("data", "lead"):
        mean = raw.focus_area(area_id).mean
        assert mean is not None
        assert f" {fmt_number(mean)} " not in text


def _answers_of(db: Database, wave_id: int) -> list[dict[str, object]]:
    from sqlalchemy import select

    from webapp.models import Response

    with db.session() as s:
        return list(s.scalars(select(Response.answers).where(Response.wave_id == wave_id)))


def test_the_review_page_shows_targets_met_and_not(app: Flask, db: Database) -> None:
    world = make_program_world(db)
    with db.transaction() as s:
        strategy = s.get(Strategy, world.a.strategy)
        assert strategy is not None
        framework.record_progress(
            s,
            strategy.indicators[1],
            author=None,
            status="on_track",
            evidence=None,
            current_value=2,
        )
    clear_cache()
    page = signed_in(app, world.a.leader).get(f"/program/{world.a.engagement}/review")
    text = visible_text(page.text)
    assert "Indicators: 1 target met, 2 not met, 0 not measured." in text
    assert "✓ Target met" in text
    assert "✗ Target not met" in text
    assert "Welch" in text
    assert "Hedges' g" in page.text or "Hedges&#39; g" in page.text
    assert "Holm" in text
    with db.session() as s:
        engagement = s.get(Engagement, world.a.engagement)
        assert engagement is not None
        summary = summarize(s, engagement, language="en", today=clock.today())
    data_area = summary.area("data")
    assert data_area is not None
    assert data_area.comparison is not None
    assert f"{data_area.comparison.difference:+.2f}".replace("-", "−") in text
    assert fmt_number(data_area.followup.mean) in text
