"""Focus-area and item figures of one wave, computed by hand on small tables."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
from scoring import FocusAreaResult, ScoringInputError, score_wave
from scoring.focus_areas import _fraction_positions, area_scores, rank_keys, ranked, reverse_code
from tests.unit.test_scoring_support import LIKERT, likert_rows, one_area_doc, standard, table

NA = "na"
T975_3 = 3.182446305284263  # t(0.975, 3), from printed tables

# The hand-worked table (standard instrument; q2 is reverse-scored, 5 - value).
#            q1   q2   q3     q4    q5    q6    q7
MATRIX: list[list[Any]] = [
    [4, 1, 4, 3, 3, 5, 2],  # fa1 4, 4, 4 -> 4;     fa2 3;   fa3 5
    [3, 2, 3, 2, NA, 4, NA],  # fa1 3, 3, 3 -> 3;     fa2 2;   fa3 4
    [2, NA, None, 1, 2, 3, 1],  # fa1 1 of 3 answered: out;  fa2 1.5; fa3 3
    [1, 4, 2, 4, 4, None, 4],  # fa1 1, 1, 2 -> 4/3;  fa2 4;   fa3 out
    [4, 3, None, None, None, 1, 3],  # fa1 4, 2 -> 3;  fa2 out;  fa3 1
]

EXPECTED_AREAS = {
    # id: (n, mean, variance, percent favorable, alpha, rank)
    "fa1": (4, 17 / 6, 11 / 9, 100 * 7 / 11, 48 / 49, 2),
    "fa2": (4, 2.625, 3.6875 / 3, 100 * 4 / 7, 18 / 19, 1),
    "fa3": (4, 3.25, 8.75 / 3, 25.0, None, 3),
}

EXPECTED_ITEMS = {
    # id: (n, mean, distribution)
    "q1": (5, 2.8, {"1": 1, "2": 1, "3": 1, "4": 2, "na": 0}),
    "q2": (4, 2.5, {"1": 1, "2": 1, "3": 1, "4": 1, "na": 1}),
    "q3": (3, 3.0, {"1": 0, "2": 1, "3": 1, "4": 1, "na": 0}),
    "q4": (4, 2.5, {"1": 1, "2": 1, "3": 1, "4": 1, "na": 0}),
    "q5": (3, 3.0, {"1": 0, "2": 1, "3": 1, "4": 1, "na": 1}),
    "q6": (4, 3.25, {"1": 1, "2": 0, "3": 1, "4": 1, "5": 1, "na": 0}),
    "q7": (4, 2.5, {"1": 1, "2": 1, "3": 1, "4": 1, "na": 1}),
}


@pytest.fixture(scope="module")
def worked() -> Any:
    inst = standard()
    return score_wave(inst, table(inst, likert_rows(LIKERT, MATRIX)), label="w", min_group_size=3)


@pytest.mark.parametrize("area_id", sorted(EXPECTED_AREAS))
def test_focus_area_figures_by_hand(worked: Any, area_id: str) -> None:
    n, mean, variance, favorable, alpha, rank = EXPECTED_AREAS[area_id]
    result = worked.focus_area(area_id)
    sd = math.sqrt(variance)
    half = T975_3 * sd / math.sqrt(n)
    assert result.n == n
    assert result.mean == pytest.approx(mean)
    assert result.sd == pytest.approx(sd)
    assert result.ci_low == pytest.approx(mean - half)
    assert result.ci_high == pytest.approx(mean + half)
    assert result.percent_favorable == pytest.approx(favorable)
    assert result.cronbach_alpha == (None if alpha is None else pytest.approx(alpha))
    assert result.rank == rank
    assert result.suppressed is False


@pytest.mark.parametrize("item_id", sorted(EXPECTED_ITEMS))
def test_item_figures_by_hand(worked: Any, item_id: str) -> None:
    n, mean, distribution = EXPECTED_ITEMS[item_id]
    result = worked.item(item_id)
    assert (result.n, result.suppressed) == (n, False)
    assert result.mean == pytest.approx(mean)
    assert result.distribution == distribution
    assert list(result.distribution) == list(distribution)  # scale order, then "na"


def test_wave_shape(worked: Any) -> None:
    assert worked.label == "w"
    assert worked.respondents == 5
    assert [a.id for a in worked.focus_areas] == ["fa1", "fa2", "fa3"]
    assert [a.title for a in worked.focus_areas] == ["Leadership", "Data", "Voice"]
    assert [i.id for i in worked.items] == list(LIKERT)
    assert worked.breakdowns == ()


def test_titles_in_another_language() -> None:
    inst = standard()
    result = score_wave(
        inst, table(inst, likert_rows(LIKERT, MATRIX)), language="es", min_group_size=3
    )
    assert [a.title for a in result.focus_areas] == ["Liderazgo", "Datos", "Voz"]
    with pytest.raises(ScoringInputError, match="no language 'fr'"):
        score_wave(inst, table(inst, []), language="fr")


@pytest.mark.parametrize(
    ("min_group_size", "hidden_areas", "hidden_items"),
    [
        (3, set(), set()),
        (4, set(), {"q3", "q5"}),
        (5, {"fa1", "fa2", "fa3"}, {"q2", "q3", "q4", "q5", "q6", "q7"}),
    ],
)
def test_suppression_by_n(
    min_group_size: int, hidden_areas: set[str], hidden_items: set[str]
) -> None:
    inst = standard()
    result = score_wave(
        inst, table(inst, likert_rows(LIKERT, MATRIX)), min_group_size=min_group_size
    )
    for area in result.focus_areas:
        assert area.suppressed is (area.id in hidden_areas)
        if area.suppressed:
            assert area.n == EXPECTED_AREAS[area.id][0]  # the count stays; every figure goes
            figures = (area.mean, area.sd, area.ci_low, area.ci_high, area.percent_favorable)
            assert figures == (None,) * 5
            assert (area.cronbach_alpha, area.rank) == (None, None)
    for item in result.items:
        assert item.suppressed is (item.id in hidden_items)
        if item.suppressed:
            assert item.n == EXPECTED_ITEMS[item.id][0]
            assert (item.mean, item.distribution) == (None, None)
    visible_ranks = sorted(a.rank for a in result.focus_areas if a.rank is not None)
    assert visible_ranks == list(range(1, len(visible_ranks) + 1))


# -- the half-answered rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "answered", "scored"),
    [
        (1, 1, True),
        (1, 0, False),
        (2, 1, True),
        (3, 2, True),
        (3, 1, False),
        (4, 2, True),
        (4, 1, False),
        (5, 3, True),
        (5, 2, False),
        (6, 3, True),
    ],
)
def test_half_answered_rule(items: int, answered: int, scored: bool) -> None:
    inst = instrument.load(one_area_doc(items))
    answers = {f"i{j}": 2 for j in range(1, answered + 1)}
    data = area_scores(inst, table(inst, [answers]))[0]
    assert bool(data.scored[0]) is scored
    assert (data.scores[0] == 2.0) if scored else math.isnan(data.scores[0])


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        # not applicable counts as missing: 2 of 4 answered, mean of those
        ({"i1": 4, "i2": NA, "i3": NA, "i4": 1}, 2.5),
        # reverse item i2 (5 - value): 4, 5-1=4, 4 -> 4
        ({"i1": 4, "i2": 1, "i3": 4}, 4.0),
        # 3 of 4 answered, one reversed: (3 + (5-4) + 2) / 3 = 2
        ({"i1": 3, "i2": 4, "i4": 2}, 2.0),
        # only not-applicable answers: not scored
        ({"i1": NA, "i2": NA, "i3": NA, "i4": NA}, None),
    ],
)
def test_respondent_score(answers: dict[str, Any], score: float | None) -> None:
    inst = instrument.load(one_area_doc(4, reverse=[2]))
    data = area_scores(inst, table(inst, [answers]))[0]
    if score is None:
        assert not data.scored[0]
    else:
        assert data.scores[0] == pytest.approx(score)


def test_reverse_code_on_a_scale() -> None:
    scale = standard().scale("agree")
    values = np.array([1.0, 2.0, 3.0, 4.0, np.nan])
    reversed_ = reverse_code(values, scale)
    assert reversed_[:4].tolist() == [4.0, 3.0, 2.0, 1.0]
    assert math.isnan(reversed_[4])
    assert [scale.reverse(v) for v in scale.values] == reversed_[:4].astype(int).tolist()


def test_percent_favorable_uses_reverse_adjusted_values() -> None:
    # Answering 1 to a reverse item is favorable (it counts as 4); 4 to it is not.
    inst = instrument.load(one_area_doc(2, reverse=[2]))
    rows = [{"i1": 4, "i2": 1}] * 3 + [{"i1": 1, "i2": 4}] * 2
    result = score_wave(inst, table(inst, rows), min_group_size=3).focus_areas[0]
    assert result.percent_favorable == pytest.approx(60.0)


def test_items_outside_any_focus_area_are_reported_but_not_scored(worked: Any) -> None:
    inst = standard()
    assert worked.item("q7").n == 4
    assert all(item.id != "q7" for area in inst.focus_areas for item in inst.scored_items(area.id))


# -- ranks ------------------------------------------------------------------------------------


def _area(index: int, mean: float | None) -> FocusAreaResult:
    return FocusAreaResult(
        id=f"fa{index}",
        title="",
        n=None if mean is None else 10,
        mean=mean,
        sd=None,
        ci_low=None,
        ci_high=None,
        percent_favorable=None,
        cronbach_alpha=None,
        rank=None,
        suppressed=mean is None,
    )


@pytest.mark.parametrize(
    ("means", "ranks"),
    [
        ([3.0, 2.0, 4.0], [2, 1, 3]),
        # ties keep instrument order
        ([2.5, 2.5, 2.5], [1, 2, 3]),
        ([3.0, 2.0, 3.0, 2.0], [3, 1, 4, 2]),
        # suppressed areas get no rank and leave no gap
        ([None, 3.0, 1.0], [None, 2, 1]),
        ([2.0, None, 2.0, None], [1, None, 2, None]),
        ([None, None], [None, None]),
    ],
)
def test_ranks(means: list[float | None], ranks: list[int | None]) -> None:
    results = ranked([_area(i, m) for i, m in enumerate(means)])
    assert [r.rank for r in results] == ranks


def test_tied_means_rank_in_instrument_order_end_to_end() -> None:
    inst = standard()
    # Every area averages 2.5 for everyone: q2 is reversed, so 2 -> 3 and 3 -> 2.
    rows = [{"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 3, "q6": 2}] * 2
    rows += [{"q1": 3, "q2": 3, "q3": 2, "q4": 3, "q5": 2, "q6": 3}] * 2
    result = score_wave(inst, table(inst, rows), min_group_size=3)
    assert [a.mean for a in result.focus_areas] == [2.5, 2.5, 2.5]
    assert [a.rank for a in result.focus_areas] == [1, 2, 3]


# -- the public checks ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 1, 2, -5, True, 2.5, "5", None])
def test_min_group_size_must_be_a_whole_number_of_at_least_3(bad: Any) -> None:
    inst = standard()
    with pytest.raises(ValueError, match="min_group_size"):
        score_wave(inst, table(inst, []), min_group_size=bad)


def test_empty_wave_is_all_suppressed() -> None:
    inst = standard()
    result = score_wave(inst, table(inst, []))
    assert result.respondents == 0
    assert all(a.suppressed and a.n == 0 for a in result.focus_areas)
    assert all(i.suppressed and i.n == 0 for i in result.items)


def test_a_table_of_another_instrument_is_refused() -> None:
    other_doc = one_area_doc(2)
    other = instrument.load(other_doc)
    with pytest.raises(ScoringInputError, match="read for instrument one@1"):
        score_wave(standard(), table(other, []))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([None, NA, 1, 2, 3, 4]), min_size=5, max_size=5), max_size=30
    ),
    st.lists(
        st.lists(st.sampled_from([None, NA, 1, 2, 3, 4]), min_size=5, max_size=5), max_size=30
    ),
)
def test_rank_keys_order_scores_exactly_across_waves(
    first: list[list[Any]], second: list[list[Any]]
) -> None:
    inst = instrument.load(one_area_doc(5, reverse=[2]))
    ids = [f"i{j}" for j in range(1, 6)]
    areas = [area_scores(inst, table(inst, likert_rows(ids, m)))[0] for m in (first, second)]
    keys = np.concatenate(rank_keys(*areas))
    totals = np.concatenate([a.totals[a.scored] for a in areas])
    answered = np.concatenate([a.answered[a.scored] for a in areas])
    exact = _fraction_positions(totals, answered, 5)  # the path long areas take
    scores = [
        Fraction(int(a.totals[r]), int(a.answered[r]))
        for a in areas
        for r in np.flatnonzero(a.scored)
    ]
    assert len(keys) == len(scores)
    for i in range(len(keys)):
        for j in range(len(keys)):
            assert (keys[i] < keys[j]) == (scores[i] < scores[j])
            assert (keys[i] == keys[j]) == (scores[i] == scores[j])
            assert (exact[i] < exact[j]) == (scores[i] < scores[j])
            assert (exact[i] == exact[j]) == (scores[i] == scores[j])


def test_rank_keys_stay_small_for_long_areas_and_wide_scales() -> None:
    """43 items (lcm(1..43) overflows 64 bits) on a 1..100000 scale: keys are positions."""
    doc = one_area_doc(43)
    doc["scales"]["s"]["points"] = [
        {"value": 1, "label": "low"},
        {"value": 100_000, "label": "high"},
    ]
    inst = instrument.load(doc)
    ids = [f"i{j}" for j in range(1, 44)]
    rows = [[100_000] * k + [1] * (43 - k) for k in range(0, 44, 3)]
    rows.append([None] * 20 + [100_000] * 23)  # 23 answers: a score with another denominator
    area = area_scores(inst, table(inst, likert_rows(ids, rows)))[0]
    (keys,) = rank_keys(area)
    scores = area.scores[area.scored]
    assert keys.max() < len(keys)
    assert list(np.argsort(keys, kind="stable")) == list(np.argsort(scores, kind="stable"))
