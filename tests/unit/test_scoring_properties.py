"""Properties of scoring that hold for every table: hypothesis generates the responses."""

from __future__ import annotations

import csv
import io
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
from scoring import ResponseTable, ScoreReport, csv_parse, rounded, score
from scoring.focus_areas import reverse_code
from tests.unit.test_scoring_support import (
    AGREE_EN,
    AGREE_ES,
    FIVE,
    LIKERT,
    NA_EN,
    NA_ES,
    ROLE_LABELS,
    ROLES,
    standard,
    table,
)

INSTRUMENT = standard()
SCALE_OF = {item.id: INSTRUMENT.scale(item.scale) for item in INSTRUMENT.likert_items}

agree = st.one_of(st.none(), st.just("na"), st.integers(1, 4))
five = st.one_of(st.none(), st.integers(1, 5))
respondent = st.fixed_dictionaries(
    {
        "wave": st.sampled_from(["baseline", "12-month", "pilot"]),
        "role": st.sampled_from([*ROLES, None]),
        **{item: agree for item in ("q1", "q2", "q3", "q4", "q5", "q7")},
        "q6": five,
    }
)
tables = st.lists(respondent, min_size=0, max_size=60)
sizes = st.integers(3, 6)


def build(rows: list[dict[str, Any]]) -> ResponseTable:
    answers = [{k: v for k, v in r.items() if v is not None and k != "wave"} for r in rows]
    return table(INSTRUMENT, answers, [r["wave"] for r in rows])


def run(rows: list[dict[str, Any]], m: int) -> ScoreReport:
    return score(INSTRUMENT, build(rows), by=["role"], min_group_size=m)


@settings(max_examples=60, deadline=None)
@given(tables, sizes, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows: list[dict[str, Any]], m: int, rnd: random.Random) -> None:
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    first, second = run(rows, m).to_dict(), run(shuffled, m).to_dict()
    # Waves are listed in order of first appearance; everything in them is identical, bit for bit.
    assert sorted(first["waves"], key=lambda w: w["label"]) == sorted(
        second["waves"], key=lambda w: w["label"]
    )
    assert first["comparison"] == second["comparison"]


# -- CSV cells as values or labels ------------------------------------------------------------

LABELS = {
    "agree": [(AGREE_EN[i], AGREE_ES[i]) for i in range(4)],
    "five": [(label, label) for label in FIVE],
}


def _cell(item: str, value: Any, rnd: random.Random) -> str:
    """Write an answer as its value or one of its labels, in a random case, with random spaces."""
    if value is None:
        return rnd.choice(["", " ", "  "])
    if item == "role":
        choices = [value, *ROLE_LABELS[value]]
    elif value == "na":
        choices = ["na", NA_EN, NA_ES]
    else:
        scale = SCALE_OF[item].id
        choices = [str(value), f"{value}.0", *LABELS[scale][value - 1]]
    text = rnd.choice(choices)
    text = rnd.choice([text, text.upper(), text.lower(), text.title(), text.swapcase()])
    return " " * rnd.randint(0, 2) + text + " " * rnd.randint(0, 2)


def write_csv(rows: list[dict[str, Any]], rnd: random.Random) -> str:
    columns = ["wave", "role", *LIKERT]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row["wave"]] + [_cell(c, row[c], rnd) for c in columns[1:]])
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.lists(respondent, min_size=1, max_size=40), sizes, st.randoms(use_true_random=False))
def test_values_and_labels_in_any_language_case_or_spacing_read_the_same(
    rows: list[dict[str, Any]], m: int, rnd: random.Random
) -> None:
    text = write_csv(rows, rnd)
    expected = run(rows, m).to_dict()
    for share in (1.0, -1.0):  # the byte reader codes every cell, or leaves them all to str.split
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(csv_parse, "LONG_SHARE", share)
            parsed, warnings = ResponseTable.from_csv(INSTRUMENT, io.StringIO(text))
        assert warnings == []
        assert score(INSTRUMENT, parsed, by=["role"], min_group_size=m).to_dict() == expected


# -- what every figure satisfies --------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(tables, sizes)
def test_figures_are_sane(rows: list[dict[str, Any]], m: int) -> None:
    report = run(rows, m)
    for published in (report, None):
        data = report.to_dict() if published is None else rounded(report.to_dict())
        for wave in data["waves"]:
            _check_wave(wave, m)
        if data["comparison"] is not None:
            for area in data["comparison"]["focus_areas"]:
                if not area["suppressed"] and area["ci_low"] is not None:
                    assert area["ci_low"] <= area["difference"] <= area["ci_high"]
                if not area["suppressed"]:
                    assert 0 <= area["p_value"] <= area["p_holm"] <= 1


BOUNDS = {"fa1": (1, 4), "fa2": (1, 4), "fa3": (1, 5)}


def _check_wave(wave: dict[str, Any], m: int) -> None:
    visible = [a for a in wave["focus_areas"] if not a["suppressed"]]
    # ranks are a permutation of 1..k over the unsuppressed focus areas, lowest mean first
    assert sorted(a["rank"] for a in visible) == list(range(1, len(visible) + 1))
    by_rank = sorted(visible, key=lambda a: a["rank"])
    assert [a["mean"] for a in by_rank] == sorted(a["mean"] for a in by_rank)
    for area in wave["focus_areas"]:
        if area["suppressed"]:
            assert area["rank"] is None
            continue
        low, high = BOUNDS[area["id"]]
        assert low <= area["mean"] <= high
        assert area["ci_low"] <= area["mean"] <= area["ci_high"]
        assert 0 <= area["percent_favorable"] <= 100
        assert area["sd"] >= 0
        assert area["n"] >= m
    for item in wave["items"]:
        if not item["suppressed"]:
            low, high = (1, 5) if item["id"] == "q6" else (1, 4)
            assert low <= item["mean"] <= high
            counts = [v for k, v in item["distribution"].items() if k != "na"]
            assert sum(counts) == item["n"]
    for split in wave["breakdowns"]:
        for group in split["groups"]:
            for cell in group["focus_areas"]:
                if not cell["suppressed"]:
                    low, high = BOUNDS[cell["id"]]
                    assert low <= cell["mean"] <= high


@pytest.mark.parametrize("scale_id", ["agree", "five"])
def test_reverse_coding_twice_is_the_identity(scale_id: str) -> None:
    scale = INSTRUMENT.scale(scale_id)
    values = np.array([*scale.values, np.nan])
    twice = reverse_code(reverse_code(values, scale), scale)
    np.testing.assert_array_equal(twice, values)
    assert sorted(reverse_code(np.array(scale.values, dtype=float), scale)) == list(scale.values)


@settings(max_examples=100, deadline=None)
@given(st.integers(-5, 5), st.integers(2, 9))
def test_reverse_coding_twice_is_the_identity_on_any_scale(start: int, points: int) -> None:
    doc = {
        "format": "repp-instrument/1",
        "id": "r",
        "version": "1",
        "title": "R",
        "scales": {
            "s": {"points": [{"value": start + 2 * i, "label": f"P{i}"} for i in range(points)]}
        },
        "focus_areas": [{"id": "f", "title": "F"}],
        "sections": [
            {
                "title": "S",
                "items": [
                    {"id": "q", "type": "likert", "text": "Q", "scale": "s", "focus_area": "f"}
                ],
            }
        ],
    }
    scale = instrument.load(doc).scale("s")
    values = np.array(scale.values, dtype=float)
    np.testing.assert_array_equal(reverse_code(reverse_code(values, scale), scale), values)
    np.testing.assert_array_equal(reverse_code(values, scale), values[::-1])


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(0, 1e3))
def test_rounding_keeps_the_mean_inside_its_interval(mean: float, half: float) -> None:
    low, high = mean - half, mean + half
    if low <= mean <= high:
        r = rounded({"low": low, "mean": mean, "high": high})
        assert r["low"] <= r["mean"] <= r["high"]
