"""Comparing two waves: the baseline and a follow-up, as independent (unpaired) samples.

Responses are anonymous, so nobody can be matched across waves: each focus area compares the
respondent scores of one wave with those of the other. A focus area suppressed in either wave is
not compared. The figures, all on respondent focus-area scores: the two means, their difference
(follow-up minus baseline) with a Welch 95% interval, Hedges' g, the two-sided Mann–Whitney U
p-value (normal approximation, tie and continuity corrected), and the Holm-adjusted p-value
across the compared focus areas.
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring.focus_areas import AreaScores, rank_keys
from scoring.results import Comparison, ComparisonArea
from scoring.stats import hedges_g, holm, mann_whitney_p, welch
from scoring.suppression import too_small


def compare_areas(
    baseline: Sequence[AreaScores],
    followup: Sequence[AreaScores],
    min_group_size: int,
    baseline_label: str,
    followup_label: str,
) -> Comparison:
    """Return the comparison of two waves' focus areas (both in instrument order)."""
    rows: list[ComparisonArea] = []
    p_values: dict[int, float] = {}
    for index, (before, after) in enumerate(zip(baseline, followup, strict=True)):
        first, second = before.summary(), after.summary()
        test = welch(first, second)
        if too_small(first.n, min_group_size) or too_small(second.n, min_group_size) or not test:
            rows.append(_suppressed(before.area.id))
            continue
        p_value = mann_whitney_p(*rank_keys(before, after))
        if p_value is not None:
            p_values[index] = p_value
        rows.append(
            ComparisonArea(
                id=before.area.id,
                baseline_mean=first.mean,
                followup_mean=second.mean,
                difference=test.difference,
                ci_low=test.ci_low,
                ci_high=test.ci_high,
                hedges_g=hedges_g(first, second),
                p_value=p_value,
                p_holm=None,
                suppressed=False,
            )
        )
    adjusted = dict(zip(p_values, holm(list(p_values.values())), strict=True))
    final = tuple(
        _with_holm(row, adjusted[i]) if i in adjusted else row for i, row in enumerate(rows)
    )
    return Comparison(baseline=baseline_label, followup=followup_label, focus_areas=final)


def _suppressed(area_id: str) -> ComparisonArea:
    return ComparisonArea(
        id=area_id,
        baseline_mean=None,
        followup_mean=None,
        difference=None,
        ci_low=None,
        ci_high=None,
        hedges_g=None,
        p_value=None,
        p_holm=None,
        suppressed=True,
    )


def _with_holm(row: ComparisonArea, p_holm: float) -> ComparisonArea:
    from dataclasses import replace

    return replace(row, p_holm=p_holm)
