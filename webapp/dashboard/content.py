"""What the result pages draw: charts and their tables as markup, built once per result.

The markup of a wave's charts is kept under its results' key plus the page language (the tables'
words), so a page served again costs a count of responses and a template render.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

import instrument
from scoring import charts
from webapp import results
from webapp.dashboard import cache, tables
from webapp.dashboard.reports import ComparisonData
from webapp.models import Wave
from webapp.waves import response_count


@dataclass(frozen=True)
class Figure:
    """One chart under its own heading."""

    heading: str
    html: Markup


@dataclass(frozen=True)
class WaveContent:
    data: results.WaveData
    language: str
    ranking: Markup
    items: tuple[Figure, ...]
    breakdowns: tuple[Figure, ...]

    @property
    def shown(self) -> bool:
        """Whether the wave has enough respondents for any figure at all."""
        return self.data.respondents >= self.data.min_group_size


def figure_html(chart: charts.Chart, table: charts.Table | None = None) -> Markup:
    """Return a chart's drawing area, its figure as a JSON data block and a table beside it.

    Like `scoring.charts.chart_html`, with the table in a scrolling region of its own that the
    keyboard can reach, so a wide table never widens a narrow screen. (The drawing area is an
    image: plotly's toolbar, whose buttons it would hold, is hidden by dashboard.css.)
    """
    table = chart.table if table is None else table
    element_id = f"chart-{chart.id}"
    label = f"{chart.title}. {chart.description}" if chart.description else chart.title
    return Markup(
        '<figure class="repp-figure" id="figure-{id}">'
        '<div class="repp-chart" id="{id}" data-figure="{id}-data" role="img"'
        ' aria-label="{label}"></div>'
        '<script type="application/json" id="{id}-data">{json}</script>'
        '<div class="table-scroll" role="region" tabindex="0" aria-label="{caption}">{table}</div>'
        "</figure>"
    ).format(
        id=element_id,
        label=label,
        # script_json escapes every <, > and &, so the JSON cannot close the element.
        json=Markup(charts.script_json(chart.figure)),  # noqa: S704
        caption=table.caption,
        table=charts.table_html(table),
    )


def _content_key(kind: str, wave: Wave, count: int, language: str) -> tuple[object, ...]:
    return (
        kind,
        wave.id,
        count,
        wave.min_group_size,
        language,
        str(get_locale()),
        wave.instrument_version.content_hash,
    )


def wave_content(session: Session, wave: Wave, language: str) -> WaveContent:
    """Return a wave's results and the markup of its charts (cached until a new response)."""
    count = response_count(session, wave)

    def build() -> WaveContent:
        data = results.wave_data(session, wave, language=language)
        return _build_wave(data, language)

    return cache.cached(_content_key("wave", wave, count, language), build)


def _build_wave(data: results.WaveData, language: str) -> WaveContent:
    inst, wave, min_group = data.instrument, data.result, data.min_group_size
    ranking = charts.ranking_chart(inst, wave, language, min_group_size=min_group)
    ranking_html = figure_html(
        ranking, tables.ranking_table(inst, wave, language, min_group, ranking.title)
    )
    items = []
    for area in inst.focus_areas:
        if not any(r.id == i.id for i in inst.scored_items(area.id) for r in wave.items):
            continue
        chart = charts.items_chart(inst, wave, area.id, language, min_group_size=min_group)
        table = tables.items_table(inst, wave, area.id, language, min_group, chart.title)
        items.append(Figure(area.title.get(language), figure_html(chart, table)))
    unscored = [i for i in inst.likert_items if i.focus_area is None]
    if unscored:
        rest = dataclasses.replace(
            wave, items=tuple(r for r in wave.items if r.id in {i.id for i in unscored})
        )
        chart = charts.items_chart(inst, rest, None, language, min_group_size=min_group)
        table = tables.items_table(inst, rest, None, language, min_group, chart.title)
        items.append(Figure(_("Statements in no focus area"), figure_html(chart, table)))
    breakdowns = []
    for breakdown in wave.breakdowns:
        chart = charts.breakdown_chart(inst, breakdown, language, min_group_size=min_group)
        breakdowns.append(Figure(item_text(inst, breakdown.by, language), figure_html(chart)))
    return WaveContent(data, language, ranking_html, tuple(items), tuple(breakdowns))


def item_text(inst: instrument.Instrument, item_id: str, language: str) -> str:
    return inst.item(item_id).text.get(language) if inst.has_item(item_id) else item_id


@dataclass(frozen=True)
class ComparisonContent:
    chart: Markup
    #: Both waves' ranks and means in one table, side by side.
    side_by_side: Markup
    rankings: tuple[Figure, Figure]


def comparison_content(session: Session, data: ComparisonData, language: str) -> ComparisonContent:
    """Return the comparison chart and both waves' rankings as markup (cached)."""
    counts = (response_count(session, data.baseline), response_count(session, data.followup))
    key = (
        "comparison",
        data.baseline.id,
        data.followup.id,
        counts,
        data.baseline.min_group_size,
        data.followup.min_group_size,
        language,
        str(get_locale()),
        data.instrument.content_hash,
    )
    return cache.cached(key, lambda: _build_comparison(data, language))


def _build_comparison(data: ComparisonData, language: str) -> ComparisonContent:
    inst, min_group = data.instrument, data.min_group_size
    chart = charts.comparison_chart(
        inst,
        data.comparison,
        language,
        min_group_size=min_group,
        baseline=data.baseline_data.result,
        followup=data.followup_data.result,
    )
    table = tables.comparison_table(inst, data.comparison, language, min_group, chart.title)
    rankings = []
    for wave_data in (data.baseline_data, data.followup_data):
        ranking = charts.ranking_chart(
            inst, wave_data.result, language, min_group_size=wave_data.min_group_size
        )
        ranking_table = tables.ranking_table(
            inst, wave_data.result, language, wave_data.min_group_size, ranking.title
        )
        rankings.append(Figure(wave_data.label, figure_html(ranking, ranking_table)))
    side_by_side = tables.rankings_table(
        inst, (data.baseline_data.result, data.followup_data.result), language
    )
    return ComparisonContent(
        figure_html(chart, table),
        Markup(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>'
        ).format(side_by_side.caption, charts.table_html(side_by_side)),
        (rankings[0], rankings[1]),
    )
