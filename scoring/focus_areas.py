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
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from instrument.model import FocusArea, Instrument, LikertItem, Scale
from scoring.results import FocusAreaResult
from scoring.stats import Summary, alpha_from_sums, ratio_summary, t_interval
from scoring.suppression import too_small
from scoring.table import BoolArray, FloatArray, ResponseTable

IntArray = npt.NDArray[np.intp]


def reverse_code(values: FloatArray, scale: Scale) -> FloatArray:
    """Return reverse-scored values: min + max - value (NaN stays NaN)."""
    return np.asarray((scale.min + scale.max) - values, dtype=np.float64)


@dataclass(frozen=True)
class AreaScores:
    """One focus area's reverse-adjusted answers and its respondents' scores in one table.

    A score is a ratio of whole numbers, totals / answered, so its figures are computed exactly
    from per-row sums (see `scoring.stats.ratio_summary`), never by adding rounded scores.
    """

    area: FocusArea
    items: tuple[LikertItem, ...]
    scales: tuple[Scale, ...]
    #: rows × items: reverse-adjusted point values, 0 where the answer is missing
    values: FloatArray
    #: rows: the sum of the respondent's adjusted answers (a whole number) and its square
    totals: FloatArray
    squares: FloatArray
    #: rows: how many of the area's items the respondent answered
    answered: IntArray
    #: rows: how many of the respondent's adjusted answers are in their scale's favorable set
    favorable: IntArray
    #: rows: the respondent's score totals / answered, NaN when they answered fewer than half
    scores: FloatArray
    #: rows: whether the respondent has a score (counts in the area's n)
    scored: BoolArray
    #: rows: whether the respondent answered every item (used for Cronbach's alpha)
    complete: BoolArray

    def summary(self, rows: BoolArray | None = None) -> Summary:
        """Return n, mean and sd of the scores (of some rows only, when given a mask)."""
        if rows is None:
            return self.summaries(np.zeros(self.scored.shape, dtype=np.intp), 1)[0]
        return self.summaries(np.where(rows, 0, -1), 1)[0]

    def summaries(self, groups: IntArray, count: int) -> list[Summary]:
        """Return the summary of the scores in each group 0 .. count - 1 of `groups` (per row)."""
        size = len(self.items) + 1  # bins by the number of answers, 0 .. items
        inside = self.scored & (groups >= 0) & (groups < count)
        key = np.where(inside, groups * size + self.answered, count * size)
        bins = count * size + 1
        counts = np.bincount(key, minlength=bins)[:-1].reshape(count, size)
        totals = np.bincount(key, weights=self.totals, minlength=bins)[:-1].reshape(count, size)
        squares = np.bincount(key, weights=self.squares, minlength=bins)[:-1].reshape(count, size)
        return [ratio_summary(counts[g], totals[g], squares[g]) for g in range(count)]


def rank_keys(*areas: AreaScores) -> tuple[IntArray, ...]:
    """Return each area's scored respondents' scores as whole numbers with the same order and ties.

    The keys of all the areas given are comparable with each other (give both waves of a
    comparison together). A score is a ratio totals / answered; the distinct (total, answered)
    pairs are few, so they are ordered exactly, as fractions, and each score's key is the
    position of its value among them: no larger than the number of respondents, whatever the
    area's length or the scale's values.
    """
    totals = np.concatenate([area.totals[area.scored] for area in areas])
    answered = np.concatenate([area.answered[area.scored] for area in areas])
    bounds = np.cumsum([0] + [int(area.scored.sum()) for area in areas])
    keys = _fraction_positions(totals, answered, max(len(area.items) for area in areas))
    return tuple(keys[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True))


#: Pairs (total, answered) are packed into one int64 below this bound; beyond it, rows are sorted.
_KEY_LIMIT = 2.0**62


def _fraction_positions(totals: FloatArray, answered: IntArray, items: int) -> IntArray:
    """Return the position of each totals / answered among the distinct values, exactly."""
    if not totals.size:
        return np.zeros(0, dtype=np.int64)
    low = float(totals.min())
    if (float(totals.max()) - low + 1) * (items + 1) < _KEY_LIMIT:
        codes = np.asarray(totals - low, dtype=np.int64) * (items + 1) + answered
        distinct, inverse = np.unique(codes, return_inverse=True)
        pairs = [(int(c) // (items + 1) + int(low), int(c) % (items + 1)) for c in distinct]
    else:  # pragma: no cover - totals spanning 2⁶² / items: no scale comes near
        stacked = np.stack([totals, answered.astype(np.float64)], axis=1)
        rows, inverse = np.unique(stacked, axis=0, return_inverse=True)
        pairs = [(int(t), int(a)) for t, a in rows]
    values = [Fraction(total, count) for total, count in pairs]
    position = {value: index for index, value in enumerate(sorted(set(values)))}
    codes_of = np.fromiter((position[v] for v in values), dtype=np.int64, count=len(values))
    return np.asarray(codes_of[inverse.reshape(-1)], dtype=np.int64)


def area_scores(instrument: Instrument, table: ResponseTable) -> tuple[AreaScores, ...]:
    """Return every focus area's respondent scores, in instrument order."""
    return tuple(_area(instrument, table, area) for area in instrument.focus_areas)


def _area(instrument: Instrument, table: ResponseTable, area: FocusArea) -> AreaScores:
    items = instrument.scored_items(area.id)
    scales = tuple(instrument.scale(item.scale) for item in items)
    rows = len(table)
    values = np.empty((rows, len(items)), order="F")
    totals = np.zeros(rows)
    answered = np.zeros(rows, dtype=np.intp)
    favorable = np.zeros(rows, dtype=np.intp)
    for j, (item, scale) in enumerate(zip(items, scales, strict=True)):
        raw = table.likert_column(item.id)
        given = ~np.isnan(raw)
        column = reverse_code(raw, scale) if item.reverse else raw
        values[:, j] = np.where(given, column, 0.0)
        # Each row summed in item order: a respondent's score never depends on other rows.
        totals += values[:, j]
        answered += given
        for value in scale.favorable:
            favorable += column == value  # NaN is never equal: missing is not favorable
    scored = answered * 2 >= len(items)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(scored, totals / answered, np.nan)
    return AreaScores(
        area=area,
        items=items,
        scales=scales,
        values=values,
        totals=totals,
        squares=totals * totals,
        answered=answered,
        favorable=favorable,
        scores=scores,
        scored=scored,
        complete=answered == len(items),
    )


def area_alpha(data: AreaScores) -> float | None:
    """Return Cronbach's alpha over the respondents who answered every item of the area."""
    # Sums over the complete rows (complete respondents are always scored): bin 1 of a
    # weighted count by completeness. Whole numbers, so the sums are exact.
    complete = data.complete.astype(np.intp)

    def total(weights: FloatArray) -> float:
        return float(np.bincount(complete, weights=weights, minlength=2)[1])

    return alpha_from_sums(
        int(np.count_nonzero(complete)),
        [total(data.values[:, j]) for j in range(len(data.items))],
        [total(np.square(data.values[:, j])) for j in range(len(data.items))],
        total(data.totals),
        total(data.squares),
    )


def percent_favorable(data: AreaScores) -> float | None:
    """Return the share (0–100) of the scored respondents' non-missing answers that are favorable.

    An answer is favorable when its reverse-adjusted value is in its scale's favorable set.
    """
    answered = int(data.answered[data.scored].sum())
    if answered == 0:
        return None
    return 100.0 * int(data.favorable[data.scored].sum()) / answered


def area_result(data: AreaScores, min_group_size: int, language: str | None) -> FocusAreaResult:
    """Return a focus area's figures in one wave, suppressed below min_group_size; rank unset."""
    summary = data.summary()
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
        cronbach_alpha=area_alpha(data),
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
