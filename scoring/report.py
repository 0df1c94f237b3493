"""The leadership report: one self-contained HTML file of a `ScoreReport`, readable offline.

The file holds everything it needs: plotly.js and the drawing script are inlined, the figures are
JSON data blocks, and each chart has its table beside it (also what prints and what a screen
reader reads). Nothing is fetched from another host. All text goes through Jinja2's autoescape;
only the inlined scripts, the chart markup built by `scoring.charts.chart_html` and the callers'
`ReportSection.html` are trusted as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from instrument.model import Instrument
from scoring.charts import (
    Chart,
    WaveCharts,
    chart_html,
    fmt_mean,
    fmt_signed,
    report_comparison_chart,
    resolve_language,
    significant,
    slug,
    strings,
    unique_ids,
    wave_charts,
)
from scoring.results import ScoreReport, WaveResult

#: The report's own words; instrument text comes from the instrument.
REPORT_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "kicker": "Race Equity Partnership Program — report for leadership",
        "instrument": "Instrument {id}, version {version}",
        "contents": "Contents",
        "summary": "Summary",
        "wave": "Wave",
        "respondents": "Respondents",
        "priorities": "First priorities",
        "no_priorities": "No focus area can be shown.",
        "priorities_note": "Rank 1 is the focus area with the lowest mean score: the first priority for the year's work.",
        "significant_changes": "Changes between {baseline} and {followup} that are significant after Holm's adjustment",
        "no_significant_changes": "No change between {baseline} and {followup} is significant after Holm's adjustment.",
        "wave_section": "Results: {wave}",
        "wave_respondents": "{n} respondents.",
        "ranking": "Focus-area ranking",
        "items": "Answers to each statement",
        "breakdowns": "Results by group",
        "comparison": "{baseline} compared with {followup}",
        "methods": "How the scores are computed",
        "suppression": "Privacy and suppression",
        "tables_note": "Each chart has a table beside it with the same figures.",
        "min_group": "Groups of fewer than {n} respondents are not shown.",
    },
    "es": {
        "kicker": "Race Equity Partnership Program — informe para la dirección",
        "instrument": "Instrumento {id}, versión {version}",
        "contents": "Contenido",
        "summary": "Resumen",
        "wave": "Ronda",
        "respondents": "Personas que respondieron",
        "priorities": "Primeras prioridades",
        "no_priorities": "No se puede mostrar ninguna área de enfoque.",
        "priorities_note": "El orden 1 es el área de enfoque con la media más baja: la primera prioridad del trabajo del año.",
        "significant_changes": "Cambios entre {baseline} y {followup} que son significativos tras el ajuste de Holm",
        "no_significant_changes": "Ningún cambio entre {baseline} y {followup} es significativo tras el ajuste de Holm.",
        "wave_section": "Resultados: {wave}",
        "wave_respondents": "{n} personas respondieron.",
        "ranking": "Clasificación de las áreas de enfoque",
        "items": "Respuestas a cada afirmación",
        "breakdowns": "Resultados por grupo",
        "comparison": "{baseline} en comparación con {followup}",
        "methods": "Cómo se calculan las puntuaciones",
        "suppression": "Privacidad y supresión",
        "tables_note": "Cada gráfico tiene al lado una tabla con las mismas cifras.",
        "min_group": "No se muestran los grupos de menos de {n} personas.",
    },
}

#: How many priorities the summary names.
TOP_PRIORITIES = 3


@dataclass(frozen=True)
class ReportSection:
    """A section the caller adds to the report; the caller escapes everything inside `html`."""

    title: str
    html: Markup


@dataclass(frozen=True)
class _Priority:
    rank: int
    title: str
    mean: str


@dataclass(frozen=True)
class _WaveSummary:
    label: str
    respondents: int
    priorities: tuple[_Priority, ...]


@dataclass(frozen=True)
class _Change:
    title: str
    difference: str


def report_strings(language: str) -> Mapping[str, str]:
    """Return the report's headings for a language tag, English when unknown."""
    primary = language.split("-")[0].lower()
    return REPORT_STRINGS.get(primary, REPORT_STRINGS["en"])


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("scoring", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _inline_script(source: str) -> Markup:
    """Return script source safe to place inside <script>: it can no longer close the element."""
    # In JavaScript "<\/" and "</" mean the same inside strings, regexes and comments.
    return Markup(source.replace("</", "<\\/"))  # noqa: S704


@cache
def plotly_js() -> Markup:
    """Return the plotly.js bundle shipped with the plotly package, read once."""
    source = resources.files("plotly") / "package_data" / "plotly.min.js"
    return _inline_script(source.read_text(encoding="utf-8"))


@cache
def charts_js() -> Markup:
    """Return the script that draws `.repp-chart` elements (a copy of webapp/static/js/charts.js)."""
    source = resources.files("scoring") / "templates" / "charts.js"
    return _inline_script(source.read_text(encoding="utf-8"))


def _priorities(instrument: Instrument, wave: WaveResult, language: str) -> tuple[_Priority, ...]:
    shown = sorted(
        (a for a in wave.focus_areas if not a.suppressed and a.rank is not None),
        key=lambda a: a.rank or 0,
    )
    out = []
    for area in shown[:TOP_PRIORITIES]:
        try:
            title = instrument.focus_area(area.id).title.get(language)
        except KeyError:
            title = area.title
        out.append(_Priority(rank=area.rank or 0, title=title, mean=fmt_mean(area.mean)))
    return tuple(out)


def _significant_changes(
    instrument: Instrument, report: ScoreReport, language: str
) -> tuple[_Change, ...]:
    if report.comparison is None:
        return ()
    changes = []
    for area in report.comparison.focus_areas:
        if significant(area):
            try:
                title = instrument.focus_area(area.id).title.get(language)
            except KeyError:
                title = area.id
            changes.append(_Change(title=title, difference=fmt_signed(area.difference)))
    return tuple(changes)


def _unique_charts(waves: list[WaveCharts], comparison: Chart | None) -> list[Chart]:
    everything = [c for w in waves for c in w.all()]
    if comparison is not None:
        everything.append(comparison)
    return unique_ids(everything)


def render_report(
    instrument: Instrument,
    report: ScoreReport,
    *,
    organization: str | None = None,
    language: str | None = None,
    extra_sections: Sequence[ReportSection] = (),
) -> str:
    """Return the report as one self-contained HTML document.

    `language` (default: the instrument's default language) chooses the instrument's text and
    the report's headings. `extra_sections` are appended after the results, before the methods.
    """
    language = resolve_language(instrument, language)
    words = report_strings(language)
    per_wave = [
        wave_charts(instrument, wave, language, min_group_size=report.min_group_size)
        for wave in report.waves
    ]
    comparison_chart = report_comparison_chart(instrument, report, language)
    # Give every chart an id unique in the document, keeping each in its place.
    charts = iter(_unique_charts(per_wave, comparison_chart))
    waves: list[dict[str, Any]] = []
    for group in per_wave:
        waves.append(
            {
                "label": group.wave.label,
                "anchor": f"wave-{slug(group.wave.label)}",
                "respondents": group.wave.respondents,
                "ranking": chart_html(next(charts)),
                "items": [chart_html(next(charts)) for _ in group.items],
                "breakdowns": [chart_html(next(charts)) for _ in group.breakdowns],
            }
        )
    comparison_html = chart_html(next(charts)) if comparison_chart is not None else None

    context: dict[str, Any] = {
        "lang": language,
        "t": words,
        "ui": strings(language),
        "title": instrument.title.get(language),
        "organization": organization,
        "instrument": instrument,
        "min_group_size": report.min_group_size,
        "summary": [
            _WaveSummary(
                label=w.label,
                respondents=w.respondents,
                priorities=_priorities(instrument, w, language),
            )
            for w in report.waves
        ],
        "comparison": report.comparison,
        "comparison_html": comparison_html,
        "changes": _significant_changes(instrument, report, language),
        "waves": waves,
        "extra_sections": [
            {"title": s.title, "html": s.html, "anchor": f"section-{i + 1}"}
            for i, s in enumerate(extra_sections)
        ],
        "methods_template": f"methods.{_methods_language(language)}.html",
        "plotly_js": plotly_js(),
        "charts_js": charts_js(),
    }
    return _environment().get_template("report.html").render(context)


def _methods_language(language: str) -> str:
    primary = language.split("-")[0].lower()
    return primary if primary in REPORT_STRINGS else "en"
