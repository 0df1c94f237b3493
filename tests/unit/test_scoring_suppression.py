"""Suppression and breakdowns: no figure about fewer than min_group_size respondents, even by subtraction.

The property, precisely. A breakdown publishes the wave's respondents R and each visible group's
n; subtraction gives only H = R − Σ visible n, the total of the hidden groups. Unless every group
is hidden (then the breakdown says nothing beyond R itself), complementary suppression guarantees
H = 0 or H ≥ min_group_size. So subtraction never yields the size of a hidden group of
1 .. min_group_size − 1: when such a group exists, H is larger than it (another hidden group is
non-empty too), and when H = 0 every hidden group is empty. The same holds for each focus-area
column of a breakdown, counting the respondents behind each cell's mean.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import instrument
from scoring import ScoringInputError, WaveResult, score_wave
from scoring.focus_areas import area_scores
from scoring.suppression import check_min_group_size, complementary, suppress
from tests.unit.test_scoring_support import one_area_doc, standard, table

# -- the rule on its own ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "m", "hidden"),
    [
        ([], 5, []),
        ([10, 10, 10], 5, [False, False, False]),
        # one hidden group of 3: the smallest visible one goes too; on a tie, the later one
        ([10, 3, 10], 5, [False, True, True]),
        ([12, 3, 10], 5, [False, True, True]),
        ([10, 3, 12], 5, [True, True, False]),
        # hidden groups already total 5
        ([10, 2, 3, 10], 5, [False, True, True, False]),
        # empty groups are hidden but reveal nobody: no complement needed
        ([0, 10, 12], 5, [True, False, False]),
        ([1, 5, 6], 5, [True, True, False]),
        ([4, 4], 5, [True, True]),
        ([4, 100], 5, [True, True]),
        ([1, 7, 7], 3, [True, False, True]),
        ([1, 0, 1, 9, 3], 5, [True, True, True, False, True]),
        # visible groups hold at least m, so one complement is always enough, even if it is
        # the last visible group
        ([2, 0, 9], 3, [True, True, True]),
        ([5, 5, 5], 5, [False, False, False]),
    ],
)
def test_suppress(sizes: list[int], m: int, hidden: list[bool]) -> None:
    assert suppress(sizes, m) == hidden


def test_complementary_keeps_what_is_already_hidden() -> None:
    assert complementary([9, 3, 9], [False, True, False], 5) == [False, True, True]
    assert complementary([9, 9, 9], [False, True, False], 5) == [False, True, False]
    assert complementary([9, 9, 9], [False, False, False], 5) == [False, False, False]


@pytest.mark.parametrize("m", [3, 4, 5])
def test_subtraction_never_reveals_a_small_hidden_group_exhaustively(m: int) -> None:
    for sizes in itertools.product(range(0, 2 * m + 2), repeat=3):
        _check_partition(list(sizes), suppress(list(sizes), m), m)


def _check_partition(sizes: list[int], hidden: list[bool], m: int) -> None:
    hidden_total = sum(s for s, h in zip(sizes, hidden, strict=True) if h)
    if all(hidden):
        return  # nothing visible: the breakdown tells no more than the wave's own count
    assert hidden_total == 0 or hidden_total >= m, (sizes, hidden)
    for size, is_hidden in zip(sizes, hidden, strict=True):
        assert is_hidden or size >= m
        if is_hidden and 0 < size < m:
            assert hidden_total > size, (sizes, hidden)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=8), st.integers(3, 10))
def test_subtraction_never_reveals_a_small_hidden_group(sizes: list[int], m: int) -> None:
    _check_partition(sizes, suppress(sizes, m), m)


@pytest.mark.parametrize("m", [3, 5, 10])
def test_check_min_group_size_accepts_three_and_more(m: int) -> None:
    assert check_min_group_size(m) == m


# -- breakdowns, by hand ----------------------------------------------------------------------


def _rows(role: str | None, fa1: tuple[int, int], q4: int | None, q6: int | None) -> dict[str, Any]:
    row: dict[str, Any] = {"q1": fa1[0], "q3": fa1[1]}
    if role is not None:
        row["role"] = role
    if q4 is not None:
        row["q4"] = q4
    if q6 is not None:
        row["q6"] = q6
    return row


HAND_ROWS = [
    _rows("staff", (4, 4), 1, 5),
    _rows("staff", (4, 2), 2, 4),
    _rows("staff", (2, 2), 3, None),
    _rows("staff", (3, 3), 4, None),
    _rows("supervisor", (1, 1), 4, 5),
    _rows("supervisor", (2, 2), 4, 5),
    _rows("supervisor", (3, 3), 4, 5),
    _rows("leader", (4, 4), 1, 1),
    _rows(None, (1, 1), 2, 2),
    _rows(None, (1, 1), 2, 2),
]


def test_breakdown_by_hand() -> None:
    inst = standard()
    result = score_wave(inst, table(inst, HAND_ROWS), by=["role"], min_group_size=3)
    (split,) = result.breakdowns
    assert split.by == "role"
    shown = [
        (g.value, g.label, g.n, g.suppressed, [(c.id, c.mean, c.suppressed) for c in g.focus_areas])
        for g in split.groups
    ]
    assert shown == [
        # staff: fa1 4, 3, 2, 3; fa2 1..4; fa3 only 2 answered -> hidden cell
        (
            "staff",
            "Staff",
            4,
            False,
            [("fa1", 3.0, False), ("fa2", 2.5, False), ("fa3", None, True)],
        ),
        (
            "supervisor",
            "Supervisor",
            3,
            False,
            [("fa1", 2.0, False), ("fa2", 4.0, False), ("fa3", 5.0, False)],
        ),
        # leader (1) and not answered (2) are hidden; together they hold 3
        (
            "leader",
            "Leader",
            None,
            True,
            [("fa1", None, True), ("fa2", None, True), ("fa3", None, True)],
        ),
        (None, None, None, True, [("fa1", None, True), ("fa2", None, True), ("fa3", None, True)]),
    ]


def test_breakdown_labels_follow_the_language() -> None:
    inst = standard()
    result = score_wave(inst, table(inst, HAND_ROWS), by=["role"], min_group_size=3, language="es")
    assert [g.label for g in result.breakdowns[0].groups] == [
        "Personal",
        "Supervisora",
        "Líder",
        None,
    ]


def test_group_level_complementary_suppression() -> None:
    inst = standard()
    rows = [{"role": "staff", "q4": 1}] * 6 + [{"role": "supervisor", "q4": 2}] * 6
    rows += [{"role": "leader", "q4": 3}] * 2
    groups = score_wave(inst, table(inst, rows), by=["role"], min_group_size=3).breakdowns[0].groups
    # leader (2) is hidden; staff and supervisor tie at 6, so the later one is hidden with it
    assert [(g.value, g.n, g.suppressed) for g in groups] == [
        ("staff", 6, False),
        ("supervisor", None, True),
        ("leader", None, True),
    ]
    assert groups[0].focus_areas[1].mean == 1.0


def test_cell_level_complementary_suppression() -> None:
    inst = standard()
    rows = [{"role": "staff", "q4": 1, "q6": 2}] * 5
    rows += [{"role": "supervisor", "q4": 2, "q6": 3}] * 2 + [{"role": "supervisor", "q4": 2}] * 2
    rows += [{"role": "leader", "q4": 3, "q6": 4}] * 3
    groups = score_wave(inst, table(inst, rows), by=["role"], min_group_size=3).breakdowns[0].groups
    assert [g.n for g in groups] == [5, 4, 3]
    # fa3 cells hold 5, 2 and 3: the supervisors' 2 are hidden, and so is the smallest other cell
    assert [g.focus_areas[2].mean for g in groups] == [2.0, None, None]
    assert [g.focus_areas[1].mean for g in groups] == [1.0, 2.0, 3.0]


def test_no_unanswered_group_when_everyone_answered() -> None:
    inst = standard()
    rows = [{"role": "staff", "q4": 1}] * 5
    groups = score_wave(inst, table(inst, rows), by=["role"]).breakdowns[0].groups
    assert [g.value for g in groups] == ["staff", "supervisor", "leader"]
    assert [g.n for g in groups] == [5, None, None]  # empty groups are hidden, revealing nobody


@pytest.mark.parametrize(
    ("by", "message"),
    [
        (
            ["site"],
            "'site': it is not a demographic item; disaggregation is declared in the instrument, never ad hoc",
        ),
        (["q1"], "'q1': it is not a demographic item"),
        (
            ["nope"],
            "'nope': the instrument has no such item; disaggregation is declared in the instrument, never ad hoc .*demographic items: role",
        ),
    ],
)
def test_breakdowns_only_by_declared_demographic_items(by: list[str], message: str) -> None:
    inst = standard()
    with pytest.raises(ScoringInputError, match=message):
        score_wave(inst, table(inst, HAND_ROWS), by=by)


def test_the_same_item_twice_is_one_breakdown() -> None:
    inst = standard()
    result = score_wave(inst, table(inst, HAND_ROWS), by=["role", "role"], min_group_size=3)
    assert len(result.breakdowns) == 1


# -- the property on whole waves ---------------------------------------------------------------

GROUPS = ["a", "b", "c", "d", None]
answers = st.one_of(st.none(), st.just("na"), st.integers(1, 4))
ONE_AREA = instrument.load(one_area_doc(3, reverse=[3]))
respondent = st.fixed_dictionaries(
    {"g": st.sampled_from(GROUPS), "i1": answers, "i2": answers, "i3": answers}
)


@settings(max_examples=150, deadline=None)
@given(st.lists(respondent, max_size=40), st.integers(3, 6))
def test_no_output_reveals_a_small_group(rows: list[dict[str, Any]], m: int) -> None:
    inst = ONE_AREA
    clean = [{k: v for k, v in row.items() if v is not None} for row in rows]
    data = table(inst, clean)
    result = score_wave(inst, data, by=["g"], min_group_size=m)
    _assert_nothing_small(result, m)
    codes = data.choice_codes("g")
    scored = area_scores(inst, data)[0].scored
    (split,) = result.breakdowns
    group_codes = [0, 1, 2, 3] + ([-1] if (codes == -1).any() else [])
    assert len(split.groups) == len(group_codes)
    true_sizes = [int((codes == c).sum()) for c in group_codes]
    hidden = [g.suppressed for g in split.groups]
    for g, size in zip(split.groups, true_sizes, strict=True):
        assert g.n is None or g.n == size
    visible_total = sum(g.n for g in split.groups if g.n is not None)
    _check_partition(true_sizes, hidden, m)
    if not all(hidden):
        assert result.respondents - visible_total in {0} | set(range(m, len(rows) + 1))
    cell_sizes = [int(((codes == c) & scored).sum()) for c in group_codes]
    cell_hidden = [g.focus_areas[0].suppressed for g in split.groups]
    _check_partition(cell_sizes, cell_hidden, m)


def _assert_nothing_small(result: WaveResult, m: int) -> None:
    for area in result.focus_areas:
        if area.suppressed:
            assert area.mean is area.sd is area.ci_low is area.ci_high is None
            assert area.percent_favorable is area.cronbach_alpha is area.rank is None
        else:
            assert area.n is not None
            assert area.n >= m
    for item in result.items:
        if item.suppressed:
            assert item.mean is item.distribution is None
        else:
            assert item.n is not None
            assert item.n >= m
    for split in result.breakdowns:
        for group in split.groups:
            if group.suppressed:
                assert group.n is None
                assert all(c.suppressed and c.mean is None for c in group.focus_areas)
            else:
                assert group.n is not None
                assert group.n >= m
            for cell in group.focus_areas:
                assert cell.suppressed is (cell.mean is None)


def test_hand_breakdown_meets_the_property() -> None:
    inst = standard()
    result = score_wave(inst, table(inst, HAND_ROWS), by=["role"], min_group_size=3)
    _assert_nothing_small(result, 3)
    codes = np.array([0, 0, 0, 0, 1, 1, 1, 2, -1, -1])
    sizes = [int((codes == c).sum()) for c in (0, 1, 2, -1)]
    _check_partition(sizes, [g.suppressed for g in result.breakdowns[0].groups], 3)
