"""The tables beside the dashboard's charts: every figure of the page, in text.

Scoring's charts carry a table each; the dashboard shows fuller ones where its pages promise
more (Cronbach's alpha and the SD in the ranking, counts and means of items, the unadjusted p of
a comparison). Numbers are rounded as in the charts: two decimals, percentages whole in the
ranking and to one decimal for items.
"""

from __future__ import annotations

import math

from flask_babel import gettext as _

import instrument
import scoring
from scoring.charts import (
    Table,
    fmt_interval,
    fmt_mean,
    fmt_p,
    fmt_percent,
    fmt_signed,
    significant,
    strings,
)

DASH = "–"


def _r(value: float | None, digits: int = 2) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def _count(value: int | None) -> str:
    return DASH if value is None else str(value)


def suppressed_text(min_group_size: int) -> str:
    return str(_("suppressed (fewer than %(n)s respondents)", n=min_group_size))


def ranking_order(
    inst: instrument.Instrument, wave: scoring.WaveResult
) -> list[scoring.FocusAreaResult]:
    """Return shown focus areas by rank (first priority first), then the rest in instrument order."""
    position: dict[str, int] = {fa.id: i for i, fa in enumerate(inst.focus_areas)}

    def key(area: scoring.FocusAreaResult) -> tuple[bool, float, int]:
        shown = not area.suppressed and area.rank is not None and area.mean is not None
        rank = float(area.rank) if shown and area.rank is not None else math.inf
        return (not shown, rank, position.get(area.id, len(position)))

    return sorted(wave.focus_areas, key=key)


def area_title(inst: instrument.Instrument, area_id: str, language: str, fallback: str = "") -> str:
    try:
        return inst.focus_area(area_id).title.get(language)
    except KeyError:
        return fallback or area_id


def ranking_table(
    inst: instrument.Instrument,
    wave: scoring.WaveResult,
    language: str,
    min_group_size: int,
    caption: str,
) -> Table:
    """Return every figure of each focus area, first priority first."""
    ui = strings(language)
    rows = []
    for area in ranking_order(inst, wave):
        name = area_title(inst, area.id, language, area.title)
        if area.suppressed or area.mean is None:
            state = suppressed_text(min_group_size) if area.suppressed else _("no answers")
            rows.append((DASH, name, _count(area.n), state, DASH, DASH, DASH, DASH))
            continue
        rows.append(
            (
                _count(area.rank),
                name,
                _count(area.n),
                fmt_mean(_r(area.mean)),
                fmt_mean(_r(area.sd)),
                fmt_interval(_r(area.ci_low), _r(area.ci_high), ui),
                fmt_percent(_r(area.percent_favorable, 0)),
                fmt_mean(_r(area.cronbach_alpha)),
            )
        )
    return Table(
        caption=caption,
        headers=(
            _("Rank"),
            _("Focus area"),
            _("Respondents (n)"),
            _("Mean"),
            _("SD"),
            _("95% interval"),
            _("% favorable"),
            _("Cronbach's alpha"),
        ),
        rows=tuple(rows),
    )


def _scale_columns(scales: list[instrument.Scale], language: str) -> list[str]:
    columns: list[str] = []
    for scale in scales:
        for point in scale.points:
            label = point.label.get(language)
            if label not in columns:
                columns.append(label)
    return columns


def items_table(
    inst: instrument.Instrument,
    wave: scoring.WaveResult,
    focus_area_id: str | None,
    language: str,
    min_group_size: int,
    caption: str,
) -> Table:
    """Return each statement's n, mean and the count (and share) of every answer."""
    results = {r.id: r for r in wave.items}
    items = inst.scored_items(focus_area_id) if focus_area_id is not None else inst.likert_items
    pairs = [(item, results[item.id]) for item in items if item.id in results]
    scales: list[instrument.Scale] = []
    for item, _result in pairs:
        scale = inst.scale(item.scale)
        if scale not in scales:
            scales.append(scale)
    columns = _scale_columns(scales, language)
    na_label = next(
        (s.not_applicable.get(language) for s in scales if s.not_applicable is not None), None
    )
    rows = []
    for item, result in pairs:
        scale = inst.scale(item.scale)
        text = item.text.get(language)
        if item.reverse:
            text = _("%(text)s (reverse-scored)", text=text)
        if result.suppressed or result.distribution is None:
            state = suppressed_text(min_group_size) if result.suppressed else _("no answers")
            cells = [DASH] * (len(columns) + (na_label is not None))
            rows.append((text, _count(result.n), state, *cells))
            continue
        distribution = result.distribution
        total = sum(distribution.values())
        by_label = {
            scale.label(p.value, language): distribution.get(str(p.value), 0) for p in scale.points
        }

        def cell(count: int | None, total: int = total) -> str:
            if count is None:
                return DASH
            share = fmt_percent(_r(100 * count / total, 1), 1) if total else DASH
            return f"{count} ({share})"

        na = [cell(distribution.get(instrument.NOT_APPLICABLE, 0))] if na_label else []
        rows.append(
            (
                text,
                _count(result.n),
                fmt_mean(_r(result.mean)),
                *(cell(by_label.get(c)) for c in columns),
                *na,
            )
        )
    headers = (
        _("Statement"),
        _("Answers (n)"),
        _("Mean"),
        *columns,
        *([na_label] if na_label else []),
    )
    note = _(
        "n and the mean leave out not applicable; each answer's share is of all answers, "
        "not applicable included."
    )
    return Table(caption=f"{caption}. {note}", headers=headers, rows=tuple(rows))


def comparison_table(
    inst: instrument.Instrument,
    comparison: scoring.Comparison,
    language: str,
    min_group_size: int,
    caption: str,
) -> Table:
    """Return each focus area's means, change, Welch interval, Hedges' g, p and Holm's p."""
    ui = strings(language)
    rows = []
    for area in comparison.focus_areas:
        name = area_title(inst, area.id, language)
        if area.suppressed:
            rows.append((name, suppressed_text(min_group_size), *([DASH] * 7)))
            continue
        rows.append(
            (
                name,
                fmt_mean(_r(area.baseline_mean)),
                fmt_mean(_r(area.followup_mean)),
                fmt_signed(_r(area.difference)),
                fmt_interval(_r(area.ci_low), _r(area.ci_high), ui, signed=True),
                fmt_signed(_r(area.hedges_g)),
                fmt_p(area.p_value),
                fmt_p(area.p_holm),
                _("yes") if significant(area) else _("no"),
            )
        )
    return Table(
        caption=caption,
        headers=(
            _("Focus area"),
            comparison.baseline,
            comparison.followup,
            _("Change"),
            _("95% interval (Welch)"),
            _("Hedges' g"),
            _("p (Mann–Whitney)"),
            _("p (Holm)"),
            _("Significant (Holm p < 0.05)"),
        ),
        rows=tuple(rows),
    )


def rankings_table(
    inst: instrument.Instrument,
    waves: tuple[scoring.WaveResult, scoring.WaveResult],
    language: str,
) -> Table:
    """Return each focus area's rank and mean in two waves, side by side, in instrument order."""
    results = [{a.id: a for a in wave.focus_areas} for wave in waves]
    ids = [fa.id for fa in inst.focus_areas if any(fa.id in r for r in results)]
    rows = []
    for area_id in ids:
        cells: list[str] = []
        for by_id in results:
            area = by_id.get(area_id)
            if area is None or area.suppressed or area.mean is None:
                state = _("suppressed") if area is not None and area.suppressed else DASH
                cells += [DASH, state]
            else:
                cells += [_count(area.rank), fmt_mean(_r(area.mean))]
        rows.append((area_title(inst, area_id, language), *cells))
    first, second = waves[0].label, waves[1].label
    return Table(
        caption=_("Rank and mean of each focus area in %(a)s and %(b)s", a=first, b=second),
        headers=(
            _("Focus area"),
            _("Rank in %(wave)s", wave=first),
            _("Mean in %(wave)s", wave=first),
            _("Rank in %(wave)s", wave=second),
            _("Mean in %(wave)s", wave=second),
        ),
        rows=tuple(rows),
    )
