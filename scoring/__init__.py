"""repp scoring: focus-area scores and rankings, comparisons and suppression (pure functions).

Build a `ResponseTable` (from stored answers or a CSV file), then call `score` for every wave and
the comparison, or `score_wave` / `compare` for one wave or one pair. Results are the frozen
objects of `scoring.results`, already suppressed; `docs/methodology.md` gives every formula.
"""

from scoring.errors import ScoringInputError
from scoring.export import report_csv, report_json, rounded, tidy_rows
from scoring.results import (
    Breakdown,
    Comparison,
    ComparisonArea,
    FocusAreaResult,
    GroupFocusArea,
    GroupResult,
    ItemResult,
    ScoreReport,
    WaveResult,
)
from scoring.suppression import DEFAULT_MIN_GROUP_SIZE, SMALLEST_MIN_GROUP_SIZE
from scoring.table import DEFAULT_WAVE, ResponseTable
from scoring.waves import BASELINE, FOLLOWUP, compare, score, score_wave

__all__ = [
    "BASELINE",
    "DEFAULT_MIN_GROUP_SIZE",
    "DEFAULT_WAVE",
    "FOLLOWUP",
    "SMALLEST_MIN_GROUP_SIZE",
    "Breakdown",
    "Comparison",
    "ComparisonArea",
    "FocusAreaResult",
    "GroupFocusArea",
    "GroupResult",
    "ItemResult",
    "ResponseTable",
    "ScoreReport",
    "ScoringInputError",
    "WaveResult",
    "compare",
    "report_csv",
    "report_json",
    "rounded",
    "score",
    "score_wave",
    "tidy_rows",
]
