"""Comparing two waves, and choosing which two `score` compares."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sp

import instrument
from scoring import ResponseTable, ScoringInputError, compare, score
from scoring.stats import holm, t_quantile
from tests.unit.test_scoring_support import one_area_doc, standard, table


def single_item_tables(
    baseline: list[int], followup: list[int]
) -> tuple[instrument.Instrument, ResponseTable, ResponseTable]:
    """One focus area of one item: each respondent's score is their answer."""
    inst = instrument.load(one_area_doc(1))
    return (
        inst,
        table(inst, [{"i1": v} for v in baseline]),
        table(inst, [{"i1": v} for v in followup]),
    )


def test_comparison_by_hand() -> None:
    inst, before, after = single_item_tables([1, 2, 3], [2, 3, 4, 4])
    result = compare(inst, before, after, min_group_size=3)
    assert (result.baseline, result.followup) == ("baseline", "12-month")
    (area,) = result.focus_areas
    # x̄ = 2 (var 1), ȳ = 13/4 (var 0.91666…); se² = 1/3 + 11/48 = 27/48
    se = math.sqrt(1 / 3 + 11 / 48)
    df = (27 / 48) ** 2 / ((1 / 3) ** 2 / 2 + (11 / 48) ** 2 / 3)
    half = t_quantile(0.975, df) * se
    assert area.baseline_mean == pytest.approx(2.0)
    assert area.followup_mean == pytest.approx(3.25)
    assert area.difference == pytest.approx(1.25)
    assert (area.ci_low, area.ci_high) == pytest.approx((1.25 - half, 1.25 + half))
    # s_p² = (2·1 + 3·11/12) / 5 = 0.95; J = 1 − 3/(4·7 − 9) = 16/19
    assert area.hedges_g == pytest.approx(1.25 / math.sqrt(0.95) * 16 / 19)
    # ranks of 1 2 2 3 3 4 4: 1, 2.5, 2.5, 4.5, 4.5, 6.5, 6.5; R₁ = 8, U₁ = 2;
    # ties 2, 2, 2: Σ(t³ − t) = 18; σ² = 12/12 · (8 − 18/42); z = (4 − ½)/σ
    z = 3.5 / math.sqrt(8 - 18 / 42)
    assert area.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert area.p_holm == area.p_value  # one compared area
    assert area.suppressed is False


@pytest.mark.parametrize(
    ("baseline", "followup", "m", "suppressed"),
    [
        ([1, 2, 3], [2, 3, 4], 3, False),
        ([1, 2, 3], [2, 3, 4], 4, True),
        ([1, 2, 3, 4, 4], [2, 3], 3, True),
        ([1, 2], [2, 3, 4, 4, 4], 3, True),
    ],
)
def test_suppressed_when_either_wave_is(
    baseline: list[int], followup: list[int], m: int, suppressed: bool
) -> None:
    inst, before, after = single_item_tables(baseline, followup)
    (area,) = compare(inst, before, after, min_group_size=m).focus_areas
    assert area.suppressed is suppressed
    figures = (area.baseline_mean, area.followup_mean, area.difference, area.ci_low)
    figures += (area.ci_high, area.hedges_g, area.p_value, area.p_holm)
    assert all(f is None for f in figures) is suppressed


def test_no_spread_in_either_wave() -> None:
    inst, before, after = single_item_tables([2, 2, 2], [2, 2, 2])
    (area,) = compare(inst, before, after, min_group_size=3).focus_areas
    assert (area.difference, area.ci_low, area.ci_high, area.hedges_g) == (0.0, None, None, None)
    assert area.p_value == 1.0


def test_holm_runs_over_the_compared_focus_areas_only() -> None:
    inst = standard()
    before_rows = [{"q1": 1, "q3": 1, "q4": 1, "q6": 1}] * 4 + [
        {"q1": 2, "q3": 2, "q4": 2, "q6": 2}
    ] * 4
    after_rows = [{"q1": 3, "q3": 3, "q4": 2, "q6": 4}] * 4 + [{"q1": 4, "q3": 4, "q4": 1}] * 4
    result = compare(inst, table(inst, before_rows), table(inst, after_rows), min_group_size=5)
    fa1, fa2, fa3 = result.focus_areas
    assert fa3.suppressed  # only 4 follow-up scores
    assert not fa1.suppressed
    assert not fa2.suppressed
    assert fa1.p_value is not None
    assert fa2.p_value is not None
    assert [fa1.p_holm, fa2.p_holm] == pytest.approx(holm([fa1.p_value, fa2.p_value]))
    assert fa3.p_holm is None


samples = st.lists(st.integers(1, 4), min_size=3, max_size=25)


@settings(max_examples=100, deadline=None)
@given(samples, samples)
def test_comparison_matches_scipy(baseline: list[int], followup: list[int]) -> None:
    inst, before, after = single_item_tables(baseline, followup)
    (area,) = compare(inst, before, after, min_group_size=3).focus_areas
    assert area.difference == pytest.approx(
        sum(followup) / len(followup) - sum(baseline) / len(baseline)
    )
    mwu = sp.mannwhitneyu(followup, baseline, method="asymptotic", use_continuity=True)
    assert area.p_value == pytest.approx(mwu.pvalue, rel=1e-9, abs=1e-15)
    if area.ci_low is None:
        assert len(set(baseline)) == 1
        assert len(set(followup)) == 1
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        interval = sp.ttest_ind(followup, baseline, equal_var=False).confidence_interval()
    assert area.ci_low == pytest.approx(interval.low, rel=1e-9, abs=1e-12)
    assert area.ci_high == pytest.approx(interval.high, rel=1e-9, abs=1e-12)
    assert area.ci_low <= area.difference <= area.ci_high


def test_a_long_focus_area_on_a_wide_scale_compares_like_scipy() -> None:
    """45 items on a 1..100000 scale, some skipped: scores with many denominators, huge values."""
    doc = one_area_doc(45)
    doc["scales"]["s"]["points"] = [{"value": v, "label": f"P{v}"} for v in (1, 7, 100_000)]
    inst = instrument.load(doc)
    rng = np.random.default_rng(7)

    def wave(high: float) -> list[dict[str, Any]]:
        rows = []
        for _ in range(40):
            values = rng.choice([1, 7, 100_000], size=45, p=[1 - high - 0.2, 0.2, high])
            skipped = rng.choice(45, size=int(rng.integers(0, 20)), replace=False)
            rows.append({f"i{j + 1}": int(v) for j, v in enumerate(values) if j not in skipped})
        return rows

    before, after = wave(0.2), wave(0.5)
    (area,) = compare(inst, table(inst, before), table(inst, after), min_group_size=5).focus_areas

    def scores(rows: list[dict[str, Any]]) -> list[float]:
        return [sum(r.values()) / len(r) for r in rows if len(r) * 2 >= 45]

    mwu = sp.mannwhitneyu(scores(after), scores(before), method="asymptotic", use_continuity=True)
    assert area.p_value == pytest.approx(mwu.pvalue, rel=1e-9, abs=1e-15)
    assert area.p_value < 0.05


# -- which waves score() compares --------------------------------------------------------------


def waves_table(labels: list[str]) -> tuple[instrument.Instrument, ResponseTable]:
    inst = instrument.load(one_area_doc(1))
    rows = [{"i1": 1 + (i % 4)} for i in range(len(labels))]
    return inst, table(inst, rows, labels)


@pytest.mark.parametrize(
    ("labels", "baseline", "followup", "expected"),
    [
        (["baseline"] * 5 + ["12-month"] * 5, None, None, ("baseline", "12-month")),
        (["12-month"] * 5 + ["baseline"] * 5, None, None, ("baseline", "12-month")),
        (["baseline"] * 5 + ["6-month"] * 5, None, None, None),
        (["pre"] * 5 + ["post"] * 5, "pre", "post", ("pre", "post")),
        (
            ["baseline", "12-month", "24-month"] * 5,
            "12-month",
            "24-month",
            ("12-month", "24-month"),
        ),
        ([""] * 5, None, None, None),
    ],
)
def test_which_waves_are_compared(
    labels: list[str], baseline: str | None, followup: str | None, expected: tuple[str, str] | None
) -> None:
    inst, data = waves_table(labels)
    report = score(inst, data, baseline=baseline, followup=followup)
    assert [w.label for w in report.waves] == list(dict.fromkeys(labels))
    if expected is None:
        assert report.comparison is None
    else:
        assert report.comparison is not None
        assert (report.comparison.baseline, report.comparison.followup) == expected


@pytest.mark.parametrize(
    ("baseline", "followup", "message"),
    [
        (
            "pre",
            "12-month",
            "no baseline wave 'pre' in the responses \\(waves: 'baseline', '12-month'\\)",
        ),
        ("baseline", "post", "no follow-up wave 'post'"),
        ("baseline", None, "name both the baseline and the follow-up"),
        (None, "12-month", "name both"),
        ("baseline", "baseline", "the same wave"),
    ],
)
def test_bad_comparison_labels(baseline: str | None, followup: str | None, message: str) -> None:
    inst, data = waves_table(["baseline"] * 5 + ["12-month"] * 5)
    with pytest.raises(ScoringInputError, match=message):
        score(inst, data, baseline=baseline, followup=followup)


def test_score_compares_the_waves_it_scored() -> None:
    inst, data = waves_table(["baseline"] * 6 + ["12-month"] * 6)
    report = score(inst, data)
    assert report.comparison is not None
    direct = compare(inst, data.wave("baseline"), data.wave("12-month"))
    assert report.comparison == direct


def test_report_shape() -> None:
    inst, data = waves_table(["baseline"] * 6 + ["12-month"] * 6)
    report: Any = score(inst, data, by=["g"], min_group_size=3).to_dict()
    assert list(report) == ["instrument", "min_group_size", "waves", "comparison"]
    assert report["instrument"] == {"id": "one", "version": "1"}
    assert report["min_group_size"] == 3
    assert [w["respondents"] for w in report["waves"]] == [6, 6]
