"""Focus-area scores: each respondent's score, and the figures of a focus area in one wave.

Missing data: a likert answer of "not applicable" and an unanswered item are both missing. A
reverse-scored item counts as `min + max - value` of its scale. A respondent's focus-area score is
the mean of their non-missing (reverse-adjusted) items in the area, computed only when they
answered at least half of the area's items (answered × 2 ≥ items); otherwise the respondent is
left out of that focus area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from instrument.model import FocusArea, Instrument, LikertItem, Scale
from scoring.results import FocusAreaResult
from scoring.stats import cronbach_alpha, summarize, t_interval
from scoring.suppression import too_small
from scoring.table import BoolArray, FloatArray, ResponseTable


def reverse_code(values: FloatArray, scale: Scale) -> FloatArray:
    """Return reverse-scored values: min + max - value (NaN stays NaN)."""
    return np.asarray((scale.min + scale.max) - values, dtype=np.float64)


@dataclass(frozen=True)
class AreaScores:
    """One focus area's reverse-adjusted answers and its respondents' scores in one table."""

    area: FocusArea
    items: tuple[LikertItem, ...]
    scales: tuple[Scale, ...]
    #: rows × items: reverse-adjusted point values, NaN when missing
    adjusted: FloatArray
    #: rows: the respondent's score, NaN when they answered fewer than half of the items
    scores: FloatArray
    #: rows: whether the respondent has a score (counts in the area's n)
    scored: BoolArray
    #: rows: whether the respondent answered every item (used for Cronbach's alpha)
    complete: BoolArray

    def scores_of(self, rows: BoolArray | None = None) -> FloatArray:
        """Return the scores of the scored respondents, of some rows only when given a mask."""
        mask = self.scored if rows is None else self.scored & rows
        return np.asarray(self.scores[mask])


def area_scores(instrument: Instrument, table: ResponseTable) -> tuple[AreaScores, ...]:
    """Return every focus area's respondent scores, in instrument order."""
    return tuple(_area(instrument, table, area) for area in instrument.focus_areas)


def _area(instrument: Instrument, table: ResponseTable, area: FocusArea) -> AreaScores:
    items = instrument.scored_items(area.id)
    scales = tuple(instrument.scale(item.scale) for item in items)
    adjusted = np.empty((len(table), len(items)))
    for j, (item, scale) in enumerate(zip(items, scales, strict=True)):
        raw = table.likert_column(item.id)
        adjusted[:, j] = reverse_code(raw, scale) if item.reverse else raw
    present = ~np.isnan(adjusted)
    answered = present.sum(axis=1)
    scored = answered * 2 >= len(items)
    # Sum each row in item order: a respondent's score never depends on other rows.
    totals = np.where(present, adjusted, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(scored, totals / answered, np.nan)
    return AreaScores(
        area=area,
        items=items,
        scales=scales,
        adjusted=adjusted,
        scores=scores,
        scored=scored,
        complete=answered == len(items),
    )


def percent_favorable(data: AreaScores) -> float | None:
    """Return the share (0–100) of the scored respondents' non-missing answers that are favorable.

    An answer is favorable when its reverse-adjusted value is in its scale's favorable set.
    """
    values = data.adjusted[data.scored]
    answered = int((~np.isnan(values)).sum())
    if answered == 0:
        return None
    favorable = sum(
        int(np.isin(values[:, j], scale.favorable).sum()) for j, scale in enumerate(data.scales)
    )
    return 100.0 * favorable / answered


def area_result(data: AreaScores, min_group_size: int, language: str | None) -> FocusAreaResult:
    """Return a focus area's figures in one wave, suppressed below min_group_size; rank unset."""
    summary = summarize(data.scores_of())
    title = data.area.title.get(language)
    if too_small(summary.n, min_group_size) or summary.mean is None:
        return FocusAreaResult(
            id=data.area.id,
            title=title,
            n=summary.n,
            mean=None,
            sd=None,
            ci_low=None,
            ci_high=None,
            percent_favorable=None,
            cronbach_alpha=None,
            rank=None,
            suppressed=True,
        )
    interval = t_interval(summary)
    return FocusAreaResult(
        id=data.area.id,
        title=title,
        n=summary.n,
        mean=summary.mean,
        sd=summary.sd,
        ci_low=None if interval is None else interval[0],
        ci_high=None if interval is None else interval[1],
        percent_favorable=percent_favorable(data),
        cronbach_alpha=cronbach_alpha(data.adjusted[data.complete & data.scored]),
        rank=None,
        suppressed=False,
    )


def ranked(results: Sequence[FocusAreaResult]) -> tuple[FocusAreaResult, ...]:
    """Return the results with ranks: 1 = lowest mean; ties keep instrument order; none if hidden."""
    visible = [i for i, r in enumerate(results) if not r.suppressed and r.mean is not None]
    order = sorted(visible, key=lambda i: (results[i].mean, i))
    rank_of = {index: position + 1 for position, index in enumerate(order)}
    return tuple(_with_rank(r, rank_of.get(i)) for i, r in enumerate(results))


def _with_rank(result: FocusAreaResult, rank: int | None) -> FocusAreaResult:
    from dataclasses import replace

    return replace(result, rank=rank)
