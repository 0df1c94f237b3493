"""The public entry points: score one wave, compare two, or score every wave of a table.

Every figure leaves through `scoring.results`, already suppressed: nothing here returns a number
about fewer than `min_group_size` respondents (at least 3; 5 by default).
"""

from __future__ import annotations

from collections.abc import Sequence

from instrument.model import Instrument, SingleChoiceItem
from scoring.breakdowns import breakdown
from scoring.comparison import compare_areas
from scoring.errors import ScoringInputError
from scoring.focus_areas import AreaScores, area_result, area_scores, ranked
from scoring.items import item_result
from scoring.results import Comparison, ScoreReport, WaveResult
from scoring.suppression import DEFAULT_MIN_GROUP_SIZE, check_min_group_size
from scoring.table import DEFAULT_WAVE, ResponseTable

#: The wave labels compared by default, when both are present.
BASELINE = "baseline"
FOLLOWUP = "12-month"


def score_wave(
    instrument: Instrument,
    table: ResponseTable,
    *,
    label: str = DEFAULT_WAVE,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    by: Sequence[str] = (),
    language: str | None = None,
) -> WaveResult:
    """Score one wave: every row of `table` belongs to it.

    `by` names demographic items to break the focus areas down by; `language` picks the titles and
    labels (the instrument's default language when None).
    """
    min_group_size = check_min_group_size(min_group_size)
    table.check_instrument(instrument)
    by_items = demographic_items(instrument, by)
    language = check_language(instrument, language)
    result, _ = _score_wave(instrument, table, label, min_group_size, by_items, language)
    return result


def compare(
    instrument: Instrument,
    baseline_table: ResponseTable,
    followup_table: ResponseTable,
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    baseline_label: str = BASELINE,
    followup_label: str = FOLLOWUP,
) -> Comparison:
    """Compare two waves' focus areas as independent samples (follow-up minus baseline)."""
    min_group_size = check_min_group_size(min_group_size)
    baseline_table.check_instrument(instrument)
    followup_table.check_instrument(instrument)
    return compare_areas(
        area_scores(instrument, baseline_table),
        area_scores(instrument, followup_table),
        min_group_size,
        baseline_label,
        followup_label,
    )


def score(
    instrument: Instrument,
    table: ResponseTable,
    *,
    by: Sequence[str] = (),
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    baseline: str | None = None,
    followup: str | None = None,
    language: str | None = None,
) -> ScoreReport:
    """Score every wave of a table (in order of first appearance) and compare two of them.

    The comparison: `baseline` and `followup` name the two waves; without them, the waves
    "baseline" and "12-month" when both are present; otherwise there is none.
    """
    min_group_size = check_min_group_size(min_group_size)
    table.check_instrument(instrument)
    by_items = demographic_items(instrument, by)
    language = check_language(instrument, language)
    pair = _comparison_labels(table.waves, baseline, followup)
    waves: list[WaveResult] = []
    areas: dict[str, tuple[AreaScores, ...]] = {}
    for label in table.waves:
        rows = table.wave(label) if len(table.waves) > 1 else table
        result, areas[label] = _score_wave(
            instrument, rows, label, min_group_size, by_items, language
        )
        waves.append(result)
    comparison = None
    if pair is not None:
        first, second = pair
        comparison = compare_areas(areas[first], areas[second], min_group_size, first, second)
    return ScoreReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        min_group_size=min_group_size,
        waves=tuple(waves),
        comparison=comparison,
    )


# -- checks -----------------------------------------------------------------------------------


def demographic_items(instrument: Instrument, by: Sequence[str]) -> tuple[SingleChoiceItem, ...]:
    """Return the items named by `by`; raise ScoringInputError unless each is demographic."""
    if isinstance(by, str):
        by = (by,)
    items: list[SingleChoiceItem] = []
    declared = ", ".join(i.id for i in instrument.demographic_items) or "none"
    for item_id in dict.fromkeys(by):
        if not instrument.has_item(item_id):
            raise ScoringInputError(
                f"cannot break down by {item_id!r}: the instrument has no such item; "
                "disaggregation is declared in the instrument, never ad hoc "
                f"(demographic items: {declared})",
                column=item_id,
            )
        item = instrument.item(item_id)
        if not (isinstance(item, SingleChoiceItem) and item.demographic):
            raise ScoringInputError(
                f"cannot break down by {item_id!r}: it is not a demographic item; "
                "disaggregation is declared in the instrument, never ad hoc "
                f"(demographic items: {declared})",
                column=item_id,
            )
        items.append(item)
    return tuple(items)


def check_language(instrument: Instrument, language: str | None) -> str:
    """Return the language to label results in; raise ScoringInputError if the instrument lacks it."""
    if language is None:
        return instrument.default_language
    if language not in instrument.languages:
        raise ScoringInputError(
            f"the instrument has no language {language!r} ({', '.join(instrument.languages)})"
        )
    return language


def _comparison_labels(
    waves: Sequence[str], baseline: str | None, followup: str | None
) -> tuple[str, str] | None:
    if baseline is None and followup is None:
        if BASELINE in waves and FOLLOWUP in waves:
            return BASELINE, FOLLOWUP
        return None
    known = ", ".join(repr(w) for w in waves) or "none"
    if baseline is None or followup is None:
        raise ScoringInputError(
            f"to compare two waves name both the baseline and the follow-up wave (waves: {known})"
        )
    for role, label in (("baseline", baseline), ("follow-up", followup)):
        if label not in waves:
            raise ScoringInputError(f"no {role} wave {label!r} in the responses (waves: {known})")
    if baseline == followup:
        raise ScoringInputError(f"the baseline and the follow-up are the same wave {baseline!r}")
    return baseline, followup


def _score_wave(
    instrument: Instrument,
    table: ResponseTable,
    label: str,
    min_group_size: int,
    by: Sequence[SingleChoiceItem],
    language: str,
) -> tuple[WaveResult, tuple[AreaScores, ...]]:
    areas = area_scores(instrument, table)
    focus_areas = ranked([area_result(area, min_group_size, language) for area in areas])
    items = tuple(
        item_result(instrument, table, item, min_group_size) for item in instrument.likert_items
    )
    breakdowns = tuple(breakdown(table, item, areas, min_group_size, language) for item in by)
    result = WaveResult(
        label=label,
        respondents=len(table),
        focus_areas=focus_areas,
        items=items,
        breakdowns=breakdowns,
    )
    return result, areas
