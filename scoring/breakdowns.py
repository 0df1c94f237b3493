"""Breakdowns: focus-area means per group of a demographic item, with suppression.

Only items the instrument declares `demographic` can break results down. The groups are the
item's options in order, then a group (value None) of the respondents who did not answer it,
when there are any. Groups below min_group_size are hidden, and complementary suppression keeps
the hidden groups' total at 0 or at least min_group_size (see `scoring.suppression`). A group's
focus-area cell is hidden when the group is, or when fewer than min_group_size of its members
have a score in that focus area; the complementary rule then runs on each focus-area column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from instrument.model import SingleChoiceItem
from scoring.focus_areas import AreaScores
from scoring.results import Breakdown, GroupFocusArea, GroupResult
from scoring.suppression import complementary, suppress, too_small
from scoring.table import ResponseTable

#: The code of "did not answer" in a table's choice codes.
UNANSWERED = -1


def breakdown(
    table: ResponseTable,
    item: SingleChoiceItem,
    areas: Sequence[AreaScores],
    min_group_size: int,
    language: str | None,
) -> Breakdown:
    """Return the focus-area means of each group of one demographic item."""
    codes = table.choice_codes(item.id)
    options = len(item.options)
    # Group index per row: the option's position, then "did not answer" last.
    groups = np.where(codes == UNANSWERED, options, codes).astype(np.intp)
    sizes = np.bincount(groups, minlength=options + 1).tolist()
    group_codes = list(range(options)) + ([UNANSWERED] if sizes[options] else [])
    sizes = sizes[: len(group_codes)]
    hidden = suppress(sizes, min_group_size)
    cells: list[list[GroupFocusArea]] = [[] for _ in group_codes]
    for area in areas:
        summaries = area.summaries(groups, len(group_codes))
        cell_sizes = [summary.n for summary in summaries]
        primary = [
            group_hidden or too_small(size, min_group_size)
            for group_hidden, size in zip(hidden, cell_sizes, strict=True)
        ]
        cell_hidden = complementary(cell_sizes, primary, min_group_size)
        for g, summary in enumerate(summaries):
            mean = None if cell_hidden[g] else summary.mean
            cells[g].append(GroupFocusArea(id=area.area.id, mean=mean, suppressed=mean is None))
    results = []
    for g, code in enumerate(group_codes):
        option = item.options[code] if code != UNANSWERED else None
        results.append(
            GroupResult(
                value=None if option is None else option.value,
                label=None if option is None else option.label.get(language),
                n=None if hidden[g] else sizes[g],
                suppressed=hidden[g],
                focus_areas=tuple(cells[g]),
            )
        )
    return Breakdown(by=item.id, groups=tuple(results))
