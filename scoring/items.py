"""Item figures: each likert item's answers as respondents gave them (not reverse-adjusted)."""

from __future__ import annotations

import numpy as np

from instrument import NOT_APPLICABLE
from instrument.model import Instrument, LikertItem
from scoring.results import ItemResult
from scoring.suppression import too_small
from scoring.table import ResponseTable


def item_result(
    instrument: Instrument, table: ResponseTable, item: LikertItem, min_group_size: int
) -> ItemResult:
    """Return n (non-missing answers), mean and the count of each point and of "na".

    The item is suppressed, its mean and distribution hidden, when n < min_group_size.
    """
    scale = instrument.scale(item.scale)
    values = table.likert_column(item.id)
    answered = values[~np.isnan(values)]
    n = int(answered.size)
    if too_small(n, min_group_size):
        return ItemResult(id=item.id, n=n, mean=None, distribution=None, suppressed=True)
    counts = np.bincount(
        (answered - scale.min).astype(np.intp), minlength=scale.max - scale.min + 1
    )
    distribution = {str(value): int(counts[value - scale.min]) for value in scale.values}
    distribution[NOT_APPLICABLE] = int(np.count_nonzero(table.not_applicable_column(item.id)))
    # Point values are whole numbers, so the sum is exact whatever the order of the rows.
    mean = float(answered.sum()) / n
    return ItemResult(id=item.id, n=n, mean=mean, distribution=distribution, suppressed=False)
