"""Charts of scoring results: plotly figures, each with a table that says the same in text.

Every chart is a `Chart`: the plotly figure as plain JSON (drawn in the browser by `charts.js`)
and a `Table` with the same numbers, shown beside it for readers who cannot see the chart and for
print. Numbers are rounded once, here, and the figure and the table both show that rounded number.

Suppressed results carry None; a chart never draws them, and it also refuses to draw any figure an
object flagged `suppressed` still carries, so a mistake upstream cannot leak a small group.

Colours are colour-blind safe: Okabe–Ito for categories, a blue–orange diverging ramp for scales,
and every encoding in colour is repeated in text, position or marker shape.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from instrument.model import (
    NOT_APPLICABLE,
    Instrument,
    LikertItem,
    Scale,
    SingleChoiceItem,
)
from scoring.results import (
    Breakdown,
    Comparison,
    ComparisonArea,
    FocusAreaResult,
    GroupResult,
    ItemResult,
    ScoreReport,
    WaveResult,
)

# -- palette -------------------------------------------------------------------------------------

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
#: deficiency. Used for categories (waves, markers).
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The orange arm of the diverging scale, light (near the middle) to dark (the far end);
#: ColorBrewer PuOr's orange half.
DIVERGING_NEGATIVE: tuple[str, ...] = ("#FEE0B6", "#FDB863", "#E08214", "#B35806", "#7F3B08")
#: The blue arm, light to dark; ColorBrewer RdBu's blue half.
DIVERGING_POSITIVE: tuple[str, ...] = ("#D1E5F0", "#92C5DE", "#4393C3", "#2166AC", "#053061")
NEUTRAL = "#BDBDBD"
NOT_APPLICABLE_COLOR = "#8C8C8C"
SUPPRESSED_FILL = "#E3E3E3"
TEXT_COLOR = "#1A1A1A"
MUTED_TEXT = "#555555"
GRID_COLOR = "#E6E6E6"

#: Every colour a chart may use.
PALETTE: frozenset[str] = frozenset(
    {
        *OKABE_ITO.values(),
        *DIVERGING_NEGATIVE,
        *DIVERGING_POSITIVE,
        NEUTRAL,
        NOT_APPLICABLE_COLOR,
        SUPPRESSED_FILL,
        TEXT_COLOR,
        MUTED_TEXT,
        GRID_COLOR,
        "#FFFFFF",
    }
)

#: Heatmap colours: low means orange, the middle of the scale pale, high means blue.
HEATMAP_SCALE: tuple[tuple[float, str], ...] = (
    (0.0, DIVERGING_NEGATIVE[3]),
    (0.25, DIVERGING_NEGATIVE[1]),
    (0.5, "#FFFFFF"),
    (0.75, DIVERGING_POSITIVE[1]),
    (1.0, DIVERGING_POSITIVE[3]),
)

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

#: A change is marked significant when its Holm-adjusted p value is below this.
ALPHA = 0.05

# -- UI strings ----------------------------------------------------------------------------------

#: The few words charts add to the instrument's own text. Instrument text (titles, labels) comes
#: from the instrument in the report's language.
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "ranking_title": "Focus areas ranked by mean score: {wave}",
        "ranking_description": "Horizontal bars of each focus area's mean score with 95% intervals, lowest (first priority) on top.",
        "mean_score": "Mean score",
        "favorable": "{pct} favorable",
        "suppressed_n": "suppressed (fewer than {n} respondents)",
        "suppressed_any": "suppressed (too few respondents)",
        "suppressed": "suppressed",
        "no_answers": "no answers",
        "rank": "Rank",
        "focus_area": "Focus area",
        "respondents": "Respondents",
        "mean": "Mean",
        "interval": "95% interval",
        "pct_favorable": "% favorable",
        "items_title": "Answers to each statement: {area} ({wave})",
        "items_title_all": "Answers to each statement ({wave})",
        "items_description": "Diverging stacked bars: disagreement to the left of zero, agreement to the right, the middle answer split across zero; not applicable shown apart on the right.",
        "percent_of_answers": "Percent of answers",
        "not_applicable": "Not applicable",
        "item": "Statement",
        "answers": "Answers",
        "reverse": "reverse-scored",
        "items_note": "Percentages are of all answers given to the statement, including not applicable.",
        "comparison_title": "{baseline} and {followup}: focus-area means",
        "comparison_description": "Dot plot of each focus area's mean in both waves, and the change with its 95% interval; significant changes are drawn as stars.",
        "change": "Change ({followup} − {baseline})",
        "change_axis": "{followup} − {baseline}",
        "to": "to",
        "change_panel": "Change with 95% interval",
        "significant": "Significant change (Holm-adjusted p < 0.05)",
        "not_significant": "Change not significant",
        "hedges_g": "Hedges' g",
        "p_holm": "p (Holm)",
        "significant_column": "Significant",
        "yes": "yes",
        "no": "no",
        "breakdown_title": "Focus-area means by group: {item}",
        "breakdown_description": "Heat map of each group's mean per focus area; the number is written in each cell, suppressed cells are grey and marked S.",
        "group": "Group",
        "not_answered": "Not answered",
        "s_note": "S = suppressed (fewer than {n} respondents)",
        "s_note_any": "S = suppressed (too few respondents)",
        "gap_title": "Perception gap: {a} compared with {b}",
        "gap_description": "Bars of the difference between the two groups' means per focus area; right of zero means the first group rates the area higher.",
        "gap_axis": "Difference of means ({a} − {b})",
        "gap_difference": "Difference",
        "gap_omitted": "Focus areas where either group is suppressed are left out.",
    },
    "es": {
        "ranking_title": "Áreas de enfoque ordenadas por puntuación media: {wave}",
        "ranking_description": "Barras horizontales con la puntuación media de cada área de enfoque e intervalos del 95%; la más baja (primera prioridad) arriba.",
        "mean_score": "Puntuación media",
        "favorable": "{pct} favorable",
        "suppressed_n": "oculto (menos de {n} personas)",
        "suppressed_any": "oculto (muy pocas personas)",
        "suppressed": "oculto",
        "no_answers": "sin respuestas",
        "rank": "Orden",
        "focus_area": "Área de enfoque",
        "respondents": "Personas",
        "mean": "Media",
        "interval": "Intervalo del 95%",
        "pct_favorable": "% favorable",
        "items_title": "Respuestas a cada afirmación: {area} ({wave})",
        "items_title_all": "Respuestas a cada afirmación ({wave})",
        "items_description": "Barras apiladas divergentes: el desacuerdo a la izquierda del cero, el acuerdo a la derecha, la respuesta intermedia dividida en el cero; «no aplica» aparte a la derecha.",
        "percent_of_answers": "Porcentaje de respuestas",
        "not_applicable": "No aplica",
        "item": "Afirmación",
        "answers": "Respuestas",
        "reverse": "puntuación invertida",
        "items_note": "Los porcentajes son de todas las respuestas a la afirmación, incluida «no aplica».",
        "comparison_title": "{baseline} y {followup}: medias por área de enfoque",
        "comparison_description": "Gráfico de puntos con la media de cada área de enfoque en ambas rondas y el cambio con su intervalo del 95%; los cambios significativos se dibujan como estrellas.",
        "change": "Cambio ({followup} − {baseline})",
        "change_axis": "{followup} − {baseline}",
        "to": "a",
        "change_panel": "Cambio con intervalo del 95%",
        "significant": "Cambio significativo (p ajustada por Holm < 0.05)",
        "not_significant": "Cambio no significativo",
        "hedges_g": "g de Hedges",
        "p_holm": "p (Holm)",
        "significant_column": "Significativo",
        "yes": "sí",
        "no": "no",
        "breakdown_title": "Medias por área de enfoque según grupo: {item}",
        "breakdown_description": "Mapa de calor con la media de cada grupo por área de enfoque; el número aparece en cada celda y las celdas ocultas son grises y llevan una S.",
        "group": "Grupo",
        "not_answered": "Sin respuesta",
        "s_note": "S = oculto (menos de {n} personas)",
        "s_note_any": "S = oculto (muy pocas personas)",
        "gap_title": "Brecha de percepción: {a} en comparación con {b}",
        "gap_description": "Barras con la diferencia entre las medias de los dos grupos por área de enfoque; a la derecha del cero, el primer grupo valora más el área.",
        "gap_axis": "Diferencia de medias ({a} − {b})",
        "gap_difference": "Diferencia",
        "gap_omitted": "Se omiten las áreas de enfoque en las que cualquiera de los grupos está oculto.",
    },
}


def strings(language: str | None) -> Mapping[str, str]:
    """Return the UI strings for a language tag ("es", "es-419" ...), English when unknown."""
    primary = (language or "en").split("-")[0].lower()
    return STRINGS.get(primary, STRINGS["en"])


def resolve_language(instrument: Instrument, language: str | None) -> str:
    """Return `language` when the instrument has it, else the instrument's default language."""
    if language is not None and language in instrument.languages:
        return language
    return instrument.default_language


# -- the chart objects ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """The text alternative of a chart: every row a tuple of display strings."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "caption": self.caption,
            "headers": list(self.headers),
            "rows": [list(r) for r in self.rows],
        }


@dataclass(frozen=True)
class Chart:
    """One chart: a stable id (safe in HTML ids), its title, plotly JSON and its table."""

    id: str
    title: str
    figure: dict[str, Any] = field(compare=False)
    table: Table
    #: A one-sentence description of the chart's form, for `aria-label`.
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "figure": self.figure,
            "table": self.table.to_dict(),
        }


# -- small helpers -------------------------------------------------------------------------------


def slug(text: str) -> str:
    """Return an HTML-id-safe slug; text that had to change gets a short hash, so slugs differ."""
    cleaned = re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-")
    if cleaned == text and cleaned:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
    return f"{cleaned}-{digest}" if cleaned else digest


def _plot_text(text: str) -> str:
    """Escape text for plotly, which reads a few HTML tags and entities in labels."""
    return html.escape(text, quote=False)


def _wrap(text: str, width: int = 42, lines: int = 3) -> str:
    """Return escaped text wrapped onto at most `lines` plotly lines."""
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = [
            *parts[: lines - 1],
            textwrap.shorten(" ".join(parts[lines - 1 :]), width, placeholder=" …"),
        ]
    return "<br>".join(_plot_text(p) for p in parts)


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _round(value: float | None, digits: int) -> float | None:
    value = _finite(value)
    return None if value is None else round(value, digits)


def fmt_mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def fmt_signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}".replace("-", "−")


def fmt_percent(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}%"


def fmt_interval(
    low: float | None, high: float | None, ui: Mapping[str, str], *, signed: bool = False
) -> str:
    if low is None or high is None:
        return "–"
    show = fmt_signed if signed else fmt_mean
    return f"{show(low)} {ui['to']} {show(high)}"


def fmt_p(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _suppressed_label(ui: Mapping[str, str], min_group_size: int | None) -> str:
    if min_group_size is None:
        return ui["suppressed_any"]
    return ui["suppressed_n"].format(n=min_group_size)


def _area_title(instrument: Instrument, area_id: str, fallback: str, language: str) -> str:
    try:
        return instrument.focus_area(area_id).title.get(language)
    except KeyError:
        return fallback or area_id


def _scale_range(instrument: Instrument, focus_area_ids: Iterable[str]) -> tuple[float, float]:
    """Return the lowest and highest point of the scales scored into these focus areas."""
    scales = {
        item.scale for area_id in focus_area_ids for item in instrument.scored_items(area_id)
    } or {s.id for s in instrument.scales}
    lows, highs = [], []
    for scale_id in scales:
        scale = instrument.scale(scale_id)
        lows.append(scale.min)
        highs.append(scale.max)
    if not lows:
        return 1.0, 5.0
    return float(min(lows)), float(max(highs))


@cache
def _template() -> go.layout.Template:
    return go.layout.Template(
        layout={
            "colorway": list(OKABE_ITO.values()),
            "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOR},
            "paper_bgcolor": "#FFFFFF",
            "plot_bgcolor": "#FFFFFF",
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 14}},
            "xaxis": {"gridcolor": GRID_COLOR, "linecolor": MUTED_TEXT, "automargin": True},
            "yaxis": {"gridcolor": GRID_COLOR, "linecolor": MUTED_TEXT, "automargin": True},
        }
    )


def _layout(title: str, height: int, **layout: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "template": _template(),
        "title": {
            "text": _plot_text(title),
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 14, "l": 4},
            "font": {"size": 17},
        },
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 70, "b": 60},
    }
    base.update(layout)
    return base


def _bottom_legend() -> dict[str, Any]:
    """A legend along the bottom edge of the figure, under the x-axis title."""
    return {
        "orientation": "h",
        "x": 0,
        "xref": "container",
        "y": 0,
        "yref": "container",
        "yanchor": "bottom",
        "traceorder": "normal",
    }


def _to_json(figure: go.Figure) -> dict[str, Any]:
    """Return the figure as plain JSON types (no numpy, no NaN)."""
    data: dict[str, Any] = json.loads(pio.to_json(figure, validate=False, engine="json"))
    return data


def _category_axis(ids: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """A y axis of categories by id (ids are unique, titles may not be), labelled, top to bottom."""
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(ids),
        "tickmode": "array",
        "tickvals": list(ids),
        "ticktext": list(labels),
        "autorange": "reversed",
        "showgrid": False,
        "automargin": True,
    }


def _note(
    x: float | str,
    y: float | str,
    text: str,
    *,
    color: str = TEXT_COLOR,
    size: int = 14,
    xref: str = "x",
    yref: str = "y",
    **extra: Any,
) -> dict[str, Any]:
    """Return an annotation of already-escaped text, without an arrow."""
    return {
        "x": x,
        "y": y,
        "xref": xref,
        "yref": yref,
        "text": text,
        "showarrow": False,
        "font": {"color": color, "size": size},
        **extra,
    }


def _state_note(x: float, y: str, state: str, **extra: Any) -> dict[str, Any]:
    """Return the note written where a suppressed (or empty) row would have had its figure."""
    return _note(x, y, f"<i>{_plot_text(state)}</i>", color=MUTED_TEXT, size=13, **extra)


def _suppressed_cell(column: int, row: int) -> dict[str, Any]:
    """Return a grey rectangle over a heat-map cell, so a gap never reads as a colour."""
    return {
        "type": "rect",
        "xref": "x",
        "yref": "y",
        "x0": column - 0.5,
        "x1": column + 0.5,
        "y0": row - 0.5,
        "y1": row + 0.5,
        "fillcolor": SUPPRESSED_FILL,
        "line": {"color": "#FFFFFF", "width": 2},
        "layer": "above",
    }


# -- focus-area ranking --------------------------------------------------------------------------


def _shown(area: FocusAreaResult) -> bool:
    return not area.suppressed and _finite(area.mean) is not None


def _ranking_order(instrument: Instrument, wave: WaveResult) -> list[FocusAreaResult]:
    """Shown areas by rank (rank 1 first), then areas without a figure, in instrument order."""
    position: dict[str, int] = {fa.id: i for i, fa in enumerate(instrument.focus_areas)}
    fallback = len(position)

    def key(pair: tuple[int, FocusAreaResult]) -> tuple[bool, float, float, int, int]:
        index, area = pair
        shown = _shown(area)
        rank = area.rank if shown and area.rank is not None else math.inf
        mean = area.mean if shown and area.mean is not None else math.inf
        return (not shown, rank, mean, position.get(area.id, fallback), index)

    return [area for _, area in sorted(enumerate(wave.focus_areas), key=key)]


def ranking_chart(
    instrument: Instrument,
    wave: WaveResult,
    language: str | None = None,
    *,
    min_group_size: int | None = None,
) -> Chart:
    """Return the focus areas as horizontal bars, first priority on top, with 95% intervals."""
    language = resolve_language(instrument, language)
    ui = strings(language)
    title = ui["ranking_title"].format(wave=wave.label)
    areas = _ranking_order(instrument, wave)
    low, high = _scale_range(instrument, [a.id for a in areas])
    suppressed_text = _suppressed_label(ui, min_group_size)

    ids: list[str] = []
    labels: list[str] = []
    hover: list[str] = []
    xs: list[float | None] = []
    plus: list[float | None] = []
    minus: list[float | None] = []
    annotations: list[dict[str, Any]] = []
    rows: list[tuple[str, ...]] = []
    for area in areas:
        name = _area_title(instrument, area.id, area.title, language)
        ids.append(area.id)
        if not _shown(area):
            state = suppressed_text if area.suppressed else ui["no_answers"]
            labels.append(_wrap(name, 36))
            xs.append(None)
            plus.append(None)
            minus.append(None)
            hover.append(_plot_text(f"{name}: {state}"))
            annotations.append(_state_note(low, area.id, state, xanchor="left", xshift=6))
            rows.append(("–", name, "–", state, "–", "–"))
            continue
        mean = _round(area.mean, 2)
        ci_low, ci_high = _round(area.ci_low, 2), _round(area.ci_high, 2)
        favorable = _round(area.percent_favorable, 0)
        rank = f"{area.rank}" if area.rank is not None else "–"
        labels.append(_wrap(f"{rank}. {name}" if area.rank is not None else name, 36))
        xs.append(mean)
        plus.append(None if ci_high is None or mean is None else round(ci_high - mean, 2))
        minus.append(None if ci_low is None or mean is None else round(mean - ci_low, 2))
        interval = fmt_interval(ci_low, ci_high, ui)
        hover.append(
            _plot_text(
                f"{name}: {ui['mean'].lower()} {fmt_mean(mean)}, {ui['interval']} {interval}"
            )
        )
        if favorable is not None:
            text = _plot_text(ui["favorable"].format(pct=fmt_percent(favorable)))
            annotations.append(
                _note(1, area.id, text, xref="paper", xanchor="left", xshift=8, size=13)
            )
        rows.append(
            (
                rank,
                name,
                "–" if area.n is None else str(area.n),
                fmt_mean(mean),
                interval,
                fmt_percent(favorable),
            )
        )

    figure = go.Figure(
        go.Bar(
            x=xs,
            y=ids,
            orientation="h",
            name=ui["mean_score"],
            marker={"color": OKABE_ITO["blue"]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": plus,
                "arrayminus": minus,
                "color": TEXT_COLOR,
                "thickness": 1.5,
                "width": 6,
            },
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        ),
        layout=_layout(
            title,
            height=130 + 46 * max(len(ids), 1),
            showlegend=False,
            margin={"l": 10, "r": 130, "t": 70, "b": 60},
            xaxis={
                "title": {"text": _plot_text(ui["mean_score"])},
                "range": [low, high],
                "dtick": 1,
                "zeroline": False,
            },
            yaxis=_category_axis(ids, labels),
            annotations=annotations,
            bargap=0.35,
        ),
    )
    table = Table(
        caption=title,
        headers=(
            ui["rank"],
            ui["focus_area"],
            ui["respondents"],
            ui["mean"],
            ui["interval"],
            ui["pct_favorable"],
        ),
        rows=tuple(rows),
    )
    return Chart(
        id=f"ranking-{slug(wave.label)}",
        title=title,
        figure=_to_json(figure),
        table=table,
        description=ui["ranking_description"],
    )


# -- diverging stacked bars per likert item --------------------------------------------------------


def _ramp(colors: tuple[str, ...], count: int) -> list[str]:
    """Pick `count` colours from a light-to-dark ramp, spread out, lightest near the middle."""
    if count <= 0:
        return []
    chosen = {1: [2], 2: [1, 3], 3: [1, 2, 3], 4: [1, 2, 3, 4]}.get(count)
    if chosen is None:
        last = len(colors) - 1
        chosen = [round(i * last / (count - 1)) for i in range(count)]
    return [colors[i] for i in chosen]


@dataclass(frozen=True)
class _Segment:
    """One stacked piece of the diverging bar: a scale point, or half of the middle point."""

    scale: str
    value: int
    label: str
    side: int  # -1 left of zero, +1 right of zero
    half: bool  # the middle point, split across zero
    color: str
    order: int  # legend order: scale order


def _segments(scale: Scale, language: str) -> list[_Segment]:
    """Return a scale's segments in stacking order (each side from zero outwards)."""
    points = scale.points
    n = len(points)
    negative = points[: n // 2]
    positive = points[(n + 1) // 2 :]
    middle = points[n // 2] if n % 2 else None
    neg_colors = _ramp(DIVERGING_NEGATIVE, len(negative))
    pos_colors = _ramp(DIVERGING_POSITIVE, len(positive))
    order = {p.value: i for i, p in enumerate(points)}
    out: list[_Segment] = []

    def seg(point_value: int, side: int, half: bool, color: str) -> _Segment:
        return _Segment(
            scale=scale.id,
            value=point_value,
            label=scale.label(point_value, language),
            side=side,
            half=half,
            color=color,
            order=order[point_value],
        )

    if middle is not None:
        out.append(seg(middle.value, -1, True, NEUTRAL))
    for distance, point in enumerate(reversed(negative)):
        out.append(seg(point.value, -1, False, neg_colors[distance]))
    if middle is not None:
        out.append(seg(middle.value, 1, True, NEUTRAL))
    for distance, point in enumerate(positive):
        out.append(seg(point.value, 1, False, pos_colors[distance]))
    return out


def _item_rows(
    instrument: Instrument, wave: WaveResult, focus_area_id: str | None
) -> list[tuple[LikertItem, ItemResult]]:
    results = {r.id: r for r in wave.items}
    items = (
        instrument.scored_items(focus_area_id)
        if focus_area_id is not None
        else instrument.likert_items
    )
    return [(item, results[item.id]) for item in items if item.id in results]


def _percentages(result: ItemResult, scale: Scale) -> tuple[dict[int, float], float | None, int]:
    """Return point value -> percent, the not-applicable percent and the number of answers."""
    distribution = result.distribution or {}
    counts = {p.value: max(int(distribution.get(str(p.value), 0)), 0) for p in scale.points}
    na = max(int(distribution.get(NOT_APPLICABLE, 0)), 0)
    total = sum(counts.values()) + na
    if total == 0:
        return {}, None, 0
    percents = {value: round(100 * count / total, 1) for value, count in counts.items()}
    return percents, round(100 * na / total, 1), total


def items_chart(
    instrument: Instrument,
    wave: WaveResult,
    focus_area_id: str | None = None,
    language: str | None = None,
    *,
    min_group_size: int | None = None,
) -> Chart:
    """Return diverging stacked bars of each likert item's answers (raw, not reverse-adjusted).

    Negative points sit left of zero, positive points right; the middle point of an odd scale is
    split in half across zero. Not applicable is drawn apart, on its own axis to the right.
    Percentages are of all answers to the item, not-applicable included, so a row sums to 100.
    """
    language = resolve_language(instrument, language)
    ui = strings(language)
    if focus_area_id is None:
        title = ui["items_title_all"].format(wave=wave.label)
    else:
        area_title = _area_title(instrument, focus_area_id, focus_area_id, language)
        title = ui["items_title"].format(area=area_title, wave=wave.label)
    pairs = _item_rows(instrument, wave, focus_area_id)
    suppressed_text = _suppressed_label(ui, min_group_size)

    scales: list[Scale] = []
    for item, _ in pairs:
        scale = instrument.scale(item.scale)
        if scale not in scales:
            scales.append(scale)
    segments = {s.id: _segments(s, language) for s in scales}
    # Table columns: every distinct point label, in scale order of first appearance.
    columns: list[str] = []
    for scale in scales:
        for point in scale.points:
            label = point.label.get(language)
            if label not in columns:
                columns.append(label)
    na_label = next(
        (s.not_applicable.get(language) for s in scales if s.not_applicable is not None),
        ui["not_applicable"],
    )

    ids = [item.id for item, _ in pairs]
    labels: list[str] = []
    # (scale id, point value, side) -> x per row
    values: dict[tuple[str, int, int], list[float | None]] = {
        (seg.scale, seg.value, seg.side): [None] * len(pairs)
        for segs in segments.values()
        for seg in segs
    }
    na_values: list[float | None] = [None] * len(pairs)
    annotations: list[dict[str, Any]] = []
    rows: list[tuple[str, ...]] = []
    left_extent, right_extent, na_extent = 0.0, 0.0, 0.0
    for row, (item, result) in enumerate(pairs):
        scale = instrument.scale(item.scale)
        text = item.text.get(language)
        label = f"{text} ({ui['reverse']})" if item.reverse else text
        labels.append(_wrap(label, 36, 4))
        percents: dict[int, float] = {}
        na_pct: float | None = None
        total = 0
        if not result.suppressed:
            percents, na_pct, total = _percentages(result, scale)
        if result.suppressed or total == 0:
            state = suppressed_text if result.suppressed else ui["no_answers"]
            annotations.append(_state_note(0, item.id, state, bgcolor="#FFFFFF"))
            rows.append((label, state, *("–" for _ in columns), "–"))
            continue
        left, right = 0.0, 0.0
        for seg in segments[scale.id]:
            pct = percents[seg.value]
            x = round(pct / 2, 2) if seg.half else pct
            values[(seg.scale, seg.value, seg.side)][row] = seg.side * x
            if seg.side < 0:
                left += x
            else:
                right += x
        na_values[row] = na_pct
        left_extent, right_extent = max(left_extent, left), max(right_extent, right)
        na_extent = max(na_extent, na_pct or 0.0)
        by_label = {scale.label(v, language): p for v, p in percents.items()}
        rows.append(
            (
                label,
                str(total),
                *(fmt_percent(by_label[c], 1) if c in by_label else "–" for c in columns),
                fmt_percent(na_pct, 1),
            )
        )

    traces: list[go.Bar] = []
    legend_seen: set[str] = set()
    for scale in scales:
        for seg in segments[scale.id]:
            xs = values[(seg.scale, seg.value, seg.side)]
            if all(x is None for x in xs):
                continue
            shown_pct = [None if x is None else abs(x) * (2 if seg.half else 1) for x in xs]
            first = seg.label not in legend_seen
            legend_seen.add(seg.label)
            traces.append(
                go.Bar(
                    x=xs,
                    y=ids,
                    orientation="h",
                    name=_plot_text(seg.label),
                    legendgroup=_plot_text(seg.label),
                    showlegend=first,
                    legendrank=100 + 10 * seg.order,
                    marker={"color": seg.color, "line": {"color": "#FFFFFF", "width": 0.5}},
                    text=None
                    if seg.half
                    else [None if p is None else f"{p:.0f}%" for p in shown_pct],
                    textposition="inside",
                    insidetextanchor="middle",
                    textangle=0,
                    customdata=[
                        None if p is None else f"{_plot_text(seg.label)}: {p:.1f}%"
                        for p in shown_pct
                    ],
                    hovertemplate="%{customdata}<extra></extra>",
                )
            )
    # "Not applicable" gets its own axis when the scale offers it or someone gave it anyway.
    show_na = any(s.not_applicable is not None for s in scales) or na_extent > 0
    if not show_na:
        rows = [row[:-1] for row in rows]
    if show_na and any(x is not None for x in na_values):
        traces.append(
            go.Bar(
                x=na_values,
                y=ids,
                orientation="h",
                xaxis="x2",
                yaxis="y",
                name=_plot_text(na_label),
                legendrank=1000,
                marker={"color": NOT_APPLICABLE_COLOR},
                text=[None if p is None else f"{p:.0f}%" for p in na_values],
                textposition="outside",
                cliponaxis=False,
                customdata=[
                    None if p is None else f"{_plot_text(na_label)}: {p:.1f}%" for p in na_values
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )

    reach = max(left_extent, right_extent, 10.0)
    bound = min(100.0, math.ceil((reach + 5) / 10) * 10)
    step = 50 if bound > 50 else (25 if bound > 30 else 10)
    ticks = [v for v in range(-int(bound), int(bound) + 1, step)]
    na_bound = max(20.0, math.ceil((na_extent + 10) / 10) * 10)
    figure = go.Figure(
        traces,
        layout=_layout(
            title,
            height=230 + 60 * max(len(ids), 1),
            barmode="relative",
            bargap=0.3,
            legend=_bottom_legend(),
            margin={"l": 10, "r": 20, "t": 70, "b": 150},
            uniformtext={"minsize": 10, "mode": "hide"},
            xaxis={
                "domain": [0.0, 0.78 if show_na else 1.0],
                "range": [-bound, bound],
                "tickmode": "array",
                "tickvals": ticks,
                "ticktext": [f"{abs(v)}%" for v in ticks],
                "zeroline": True,
                "zerolinecolor": TEXT_COLOR,
                "zerolinewidth": 1.5,
                "title": {"text": _plot_text(ui["percent_of_answers"])},
            },
            yaxis=_category_axis(ids, labels),
            annotations=annotations,
        ),
    )
    if show_na:
        figure.update_layout(
            xaxis2={
                "domain": [0.86, 1.0],
                "range": [0, na_bound],
                "anchor": "y",
                "tickmode": "array",
                "tickvals": [0, na_bound],
                "ticktext": ["0%", f"{na_bound:.0f}%"],
                "title": {"text": _plot_text(na_label)},
                "showgrid": True,
                "gridcolor": GRID_COLOR,
            }
        )
    table = Table(
        caption=f"{title}. {ui['items_note']}",
        headers=(ui["item"], ui["answers"], *columns, *([na_label] if show_na else [])),
        rows=tuple(rows),
    )
    suffix = "all" if focus_area_id is None else slug(focus_area_id)
    return Chart(
        id=f"items-{slug(wave.label)}-{suffix}",
        title=title,
        figure=_to_json(figure),
        table=table,
        description=ui["items_description"],
    )


# -- baseline vs 12-month ------------------------------------------------------------------------


#: The two panels of the comparison: means on the left, the change on the right.
MEANS_DOMAIN = (0.0, 0.53)
CHANGE_DOMAIN = (0.58, 1.0)


def _comparable(area: ComparisonArea) -> bool:
    return not area.suppressed and (
        _finite(area.baseline_mean) is not None or _finite(area.followup_mean) is not None
    )


def significant(area: ComparisonArea) -> bool:
    """Return whether a change is significant after Holm's adjustment (and shown)."""
    return (
        not area.suppressed
        and area.p_holm is not None
        and _finite(area.difference) is not None
        and area.p_holm < ALPHA
    )


def _wave_interval(wave: WaveResult | None, area_id: str) -> tuple[float | None, float | None]:
    if wave is None:
        return None, None
    try:
        area = wave.focus_area(area_id)
    except KeyError:
        return None, None
    if not _shown(area):
        return None, None
    return _round(area.ci_low, 2), _round(area.ci_high, 2)


def comparison_chart(
    instrument: Instrument,
    comparison: Comparison,
    language: str | None = None,
    *,
    min_group_size: int | None = None,
    baseline: WaveResult | None = None,
    followup: WaveResult | None = None,
) -> Chart:
    """Return a dumbbell of each focus area's two means beside the change and its interval.

    The left panel joins the baseline and follow-up means (with each wave's 95% interval when the
    wave results are given); the right panel shows the difference with its Welch 95% interval.
    Changes significant after Holm's adjustment are stars and named so in the legend and table.
    """
    language = resolve_language(instrument, language)
    ui = strings(language)
    title = ui["comparison_title"].format(
        baseline=comparison.baseline, followup=comparison.followup
    )
    change_label = ui["change"].format(baseline=comparison.baseline, followup=comparison.followup)
    suppressed_text = _suppressed_label(ui, min_group_size)
    areas = list(comparison.focus_areas)
    low, high = _scale_range(instrument, [a.id for a in areas])

    ids = [a.id for a in areas]
    labels: list[str] = []
    line_x: list[float | None] = []
    line_y: list[str | None] = []
    points: dict[str, dict[str, list[Any]]] = {
        key: {"x": [], "y": [], "plus": [], "minus": [], "hover": []}
        for key in ("baseline", "followup", "plain", "star")
    }
    annotations: list[dict[str, Any]] = []
    rows: list[tuple[str, ...]] = []
    for area in areas:
        name = _area_title(instrument, area.id, area.id, language)
        labels.append(_wrap(name, 36))
        if not _comparable(area):
            state = suppressed_text if area.suppressed else ui["no_answers"]
            annotations.append(_state_note((low + high) / 2, area.id, state))
            rows.append((name, state, "–", "–", "–", "–", "–", "–"))
            continue
        before, after = _round(area.baseline_mean, 2), _round(area.followup_mean, 2)
        difference = _round(area.difference, 2)
        ci_low, ci_high = _round(area.ci_low, 2), _round(area.ci_high, 2)
        g, p_holm = _round(area.hedges_g, 2), _finite(area.p_holm)
        for key, mean, wave in (("baseline", before, baseline), ("followup", after, followup)):
            if mean is None:
                continue
            w_low, w_high = _wave_interval(wave, area.id)
            bucket = points[key]
            bucket["x"].append(mean)
            bucket["y"].append(area.id)
            bucket["plus"].append(None if w_high is None else round(w_high - mean, 2))
            bucket["minus"].append(None if w_low is None else round(mean - w_low, 2))
            label = comparison.baseline if key == "baseline" else comparison.followup
            bucket["hover"].append(_plot_text(f"{name} — {label}: {fmt_mean(mean)}"))
        if before is not None and after is not None:
            line_x += [before, after, None]
            line_y += [area.id, area.id, None]
        is_significant = significant(area)
        interval = fmt_interval(ci_low, ci_high, ui, signed=True)
        if difference is not None:
            bucket = points["star" if is_significant else "plain"]
            bucket["x"].append(difference)
            bucket["y"].append(area.id)
            bucket["plus"].append(None if ci_high is None else round(ci_high - difference, 2))
            bucket["minus"].append(None if ci_low is None else round(difference - ci_low, 2))
            bucket["hover"].append(
                _plot_text(
                    f"{name}: {fmt_signed(difference)} ({ui['interval']} {interval}), "
                    f"{ui['p_holm']} {fmt_p(p_holm)}"
                )
            )
        rows.append(
            (
                name,
                fmt_mean(before),
                fmt_mean(after),
                fmt_signed(difference),
                interval,
                fmt_signed(g),
                fmt_p(p_holm),
                ui["yes"] if is_significant else ui["no"],
            )
        )

    styles = {
        "baseline": (_plot_text(comparison.baseline), "circle", OKABE_ITO["orange"], 12, "x"),
        "followup": (_plot_text(comparison.followup), "diamond", OKABE_ITO["blue"], 12, "x"),
        "plain": (_plot_text(ui["not_significant"]), "circle", OKABE_ITO["black"], 10, "x2"),
        "star": (_plot_text(ui["significant"]), "star", OKABE_ITO["vermillion"], 17, "x2"),
    }
    data: list[go.Scatter] = [
        go.Scatter(
            x=line_x,
            y=line_y,
            mode="lines",
            line={"color": NEUTRAL, "width": 3},
            hoverinfo="skip",
            showlegend=False,
        )
    ]
    for key, (name, symbol, color, size, axis) in styles.items():
        bucket = points[key]
        data.append(
            go.Scatter(
                x=bucket["x"],
                y=bucket["y"],
                xaxis=axis,
                yaxis="y" if axis == "x" else "y2",
                mode="markers",
                name=name,
                marker={
                    "symbol": symbol,
                    "color": color,
                    "size": size,
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": bucket["plus"],
                    "arrayminus": bucket["minus"],
                    "color": color,
                    "thickness": 1.5,
                    "width": 5,
                },
                customdata=bucket["hover"],
                hovertemplate="%{customdata}<extra></extra>",
                # Both significance entries stay in the legend, so the key is always there.
                showlegend=True,
            )
        )
    ends = [
        abs(bucket["x"][i] + sign * (spread[i] or 0.0))
        for bucket in (points["plain"], points["star"])
        for sign, spread in ((1, bucket["plus"]), (-1, bucket["minus"]))
        for i in range(len(bucket["x"]))
    ]
    bound = math.ceil(max([*ends, 0.5]) * 4 + 1) / 4
    panel_titles = [
        _note(
            0.5,
            1,
            _plot_text(text),
            xref=f"{axis} domain",
            yref="paper",
            yanchor="bottom",
            yshift=6,
            size=15,
        )
        for axis, text in (("x", ui["mean_score"]), ("x2", ui["change_panel"]))
    ]
    change_axis = ui["change_axis"].format(
        baseline=comparison.baseline, followup=comparison.followup
    )
    figure = go.Figure(
        data,
        layout=_layout(
            title,
            height=200 + 46 * max(len(ids), 1),
            legend=_bottom_legend(),
            margin={"l": 10, "r": 20, "t": 90, "b": 170},
            annotations=[*panel_titles, *annotations],
            xaxis={
                "domain": list(MEANS_DOMAIN),
                "range": [low - 0.2, high + 0.2],
                "dtick": 1,
                "zeroline": False,
            },
            xaxis2={
                "domain": list(CHANGE_DOMAIN),
                "anchor": "y2",
                "range": [-bound, bound],
                "zeroline": True,
                "zerolinecolor": TEXT_COLOR,
                "zerolinewidth": 1.5,
                "title": {"text": _plot_text(change_axis)},
            },
            yaxis=_category_axis(ids, labels),
            yaxis2={
                "anchor": "x2",
                "matches": "y",
                "type": "category",
                "categoryorder": "array",
                "categoryarray": ids,
                "autorange": "reversed",
                "showticklabels": False,
                "showgrid": True,
            },
        ),
    )
    table = Table(
        caption=title,
        headers=(
            ui["focus_area"],
            comparison.baseline,
            comparison.followup,
            change_label,
            ui["interval"],
            ui["hedges_g"],
            ui["p_holm"],
            ui["significant_column"],
        ),
        rows=tuple(rows),
    )
    return Chart(
        id=f"comparison-{slug(comparison.baseline)}-{slug(comparison.followup)}",
        title=title,
        figure=_to_json(figure),
        table=table,
        description=ui["comparison_description"],
    )


# -- breakdown heatmap and perception gap ------------------------------------------------------------


def group_label(
    instrument: Instrument, breakdown_by: str, group: GroupResult, language: str
) -> str:
    """Return a group's label: the option's label in `language`, "Not answered" for None."""
    ui = strings(language)
    if group.value is None:
        return ui["not_answered"]
    if instrument.has_item(breakdown_by):
        item = instrument.item(breakdown_by)
        if isinstance(item, SingleChoiceItem):
            for option in item.options:
                if option.value == group.value:
                    return option.label.get(language)
    return group.label or group.value


def _breakdown_title(instrument: Instrument, breakdown: Breakdown, language: str) -> str:
    if instrument.has_item(breakdown.by):
        return instrument.item(breakdown.by).text.get(language)
    return breakdown.by


def _group_cells(group: GroupResult) -> dict[str, float | None]:
    """Return focus area id -> mean for cells that may be shown; suppressed cells are absent."""
    if group.suppressed:
        return {}
    return {cell.id: _finite(cell.mean) for cell in group.focus_areas if not cell.suppressed}


def _breakdown_area_ids(instrument: Instrument, breakdown: Breakdown) -> list[str]:
    seen: list[str] = []
    for group in breakdown.groups:
        for cell in group.focus_areas:
            if cell.id not in seen:
                seen.append(cell.id)
    order: dict[str, int] = {fa.id: i for i, fa in enumerate(instrument.focus_areas)}
    return sorted(seen, key=lambda i: (order.get(i, len(order)), seen.index(i)))


def breakdown_chart(
    instrument: Instrument,
    breakdown: Breakdown,
    language: str | None = None,
    *,
    min_group_size: int | None = None,
    wave_label: str | None = None,
) -> Chart:
    """Return a heat map of each group's mean per focus area; suppressed cells are grey "S"."""
    language = resolve_language(instrument, language)
    ui = strings(language)
    title = ui["breakdown_title"].format(item=_breakdown_title(instrument, breakdown, language))
    if wave_label is not None:
        title = f"{title} ({wave_label})"
    area_ids = _breakdown_area_ids(instrument, breakdown)
    area_names = [_area_title(instrument, a, a, language) for a in area_ids]
    low, high = _scale_range(instrument, area_ids)
    groups = list(breakdown.groups)

    z: list[list[float | None]] = []
    hover: list[list[str]] = []
    annotations: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    rows: list[tuple[str, ...]] = []
    row_labels: list[str] = []
    for r, group in enumerate(groups):
        label = group_label(instrument, breakdown.by, group, language)
        shown_n = None if group.suppressed or group.n is None else group.n
        row_labels.append(_wrap(label if shown_n is None else f"{label} (n = {shown_n})", 36))
        cells = _group_cells(group)
        z_row: list[float | None] = []
        row_cells: list[str] = []
        for c, area_id in enumerate(area_ids):
            value = _round(cells.get(area_id), 2)
            if area_id not in cells:
                z_row.append(None)
                row_cells.append(ui["suppressed"])
                shapes.append(_suppressed_cell(c, r))
                text, color = "<b>S</b>", MUTED_TEXT
            elif value is None:
                z_row.append(None)
                row_cells.append(ui["no_answers"])
                text, color = "–", MUTED_TEXT
            else:
                z_row.append(value)
                row_cells.append(fmt_mean(value))
                position = (value - low) / (high - low) if high > low else 0.5
                text = fmt_mean(value)
                color = "#FFFFFF" if position < 0.15 or position > 0.85 else TEXT_COLOR
            annotations.append(_note(c, r, text, color=color))
        z.append(z_row)
        hover.append(
            [
                _plot_text(f"{label} — {area}: {cell}")
                for area, cell in zip(area_names, row_cells, strict=True)
            ]
        )
        rows.append((label, "–" if shown_n is None else str(shown_n), *row_cells))

    note = ui["s_note"].format(n=min_group_size) if min_group_size is not None else ui["s_note_any"]
    annotations.append(
        _note(
            0,
            1,
            _plot_text(note),
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            yshift=8,
            color=MUTED_TEXT,
            size=13,
        )
    )
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(len(area_ids))),
            y=list(range(len(groups))),
            zmin=low,
            zmax=high,
            colorscale=[list(stop) for stop in HEATMAP_SCALE],
            xgap=2,
            ygap=2,
            hoverongaps=False,
            colorbar={"title": {"text": _plot_text(ui["mean"])}, "thickness": 14},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        ),
        layout=_layout(
            title,
            height=260 + 48 * max(len(groups), 1),
            margin={"l": 10, "r": 20, "t": 80, "b": 40},
            xaxis={
                "tickmode": "array",
                "tickvals": list(range(len(area_ids))),
                "ticktext": [_wrap(n, 30, 1) for n in area_names],
                "tickangle": -35,
                "side": "bottom",
                "showgrid": False,
                "zeroline": False,
                "range": [-0.5, len(area_ids) - 0.5],
            },
            yaxis={
                "tickmode": "array",
                "tickvals": list(range(len(groups))),
                "ticktext": row_labels,
                "autorange": "reversed",
                "showgrid": False,
                "zeroline": False,
            },
            annotations=annotations,
            shapes=shapes,
        ),
    )
    table = Table(
        caption=f"{title}. {note}",
        headers=(ui["group"], ui["respondents"], *area_names),
        rows=tuple(rows),
    )
    prefix = "breakdown" if wave_label is None else f"breakdown-{slug(wave_label)}"
    return Chart(
        id=f"{prefix}-{slug(breakdown.by)}",
        title=title,
        figure=_to_json(figure),
        table=table,
        description=ui["breakdown_description"],
    )


def _find_group(breakdown: Breakdown, value: str | None) -> GroupResult | None:
    return next((g for g in breakdown.groups if g.value == value), None)


def gap_chart(
    instrument: Instrument,
    breakdown: Breakdown,
    group_a: str | None,
    group_b: str | None,
    language: str | None = None,
    *,
    wave_label: str | None = None,
) -> Chart | None:
    """Return group A's mean minus group B's per focus area, or None when nothing can be shown.

    Groups are option values (None for "not answered"). A focus area is drawn only where both
    groups' cells are shown; a group absent from the breakdown or wholly suppressed gives None.
    The difference is of the unrounded means, rounded once.
    """
    language = resolve_language(instrument, language)
    ui = strings(language)
    first, second = _find_group(breakdown, group_a), _find_group(breakdown, group_b)
    if first is None or second is None:
        return None
    a_cells, b_cells = _group_cells(first), _group_cells(second)
    a_name = group_label(instrument, breakdown.by, first, language)
    b_name = group_label(instrument, breakdown.by, second, language)
    ids, labels, diffs, colors, hover = [], [], [], [], []
    rows: list[tuple[str, ...]] = []
    for area_id in _breakdown_area_ids(instrument, breakdown):
        a_mean, b_mean = a_cells.get(area_id), b_cells.get(area_id)
        if a_mean is None or b_mean is None:
            continue
        name = _area_title(instrument, area_id, area_id, language)
        difference = round(a_mean - b_mean, 2)
        ids.append(area_id)
        labels.append(_wrap(name, 36))
        diffs.append(difference)
        colors.append(OKABE_ITO["blue"] if difference >= 0 else OKABE_ITO["orange"])
        hover.append(_plot_text(f"{name}: {fmt_signed(difference)}"))
        rows.append(
            (name, fmt_mean(round(a_mean, 2)), fmt_mean(round(b_mean, 2)), fmt_signed(difference))
        )
    if not ids:
        return None
    title = ui["gap_title"].format(a=a_name, b=b_name)
    if wave_label is not None:
        title = f"{title} ({wave_label})"
    reach = max([abs(d) for d in diffs] + [0.5])
    bound = math.ceil(reach * 4 + 1) / 4
    figure = go.Figure(
        go.Bar(
            x=diffs,
            y=ids,
            orientation="h",
            marker={"color": colors},
            text=[fmt_signed(d) for d in diffs],
            textposition="outside",
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        ),
        layout=_layout(
            title,
            height=150 + 44 * len(ids),
            showlegend=False,
            xaxis={
                "range": [-bound, bound],
                "zeroline": True,
                "zerolinecolor": TEXT_COLOR,
                "zerolinewidth": 1.5,
                "title": {"text": _plot_text(ui["gap_axis"].format(a=a_name, b=b_name))},
            },
            yaxis=_category_axis(ids, labels),
            bargap=0.4,
        ),
    )
    table = Table(
        caption=f"{title}. {ui['gap_omitted']}",
        headers=(ui["focus_area"], a_name, b_name, ui["gap_difference"]),
        rows=tuple(rows),
    )
    prefix = "gap" if wave_label is None else f"gap-{slug(wave_label)}"
    return Chart(
        id=f"{prefix}-{slug(breakdown.by)}-{slug(str(group_a))}-{slug(str(group_b))}",
        title=title,
        figure=_to_json(figure),
        table=table,
        description=ui["gap_description"],
    )


def binary_groups(breakdown: Breakdown) -> tuple[str, str] | None:
    """Return the two answered groups of a two-way breakdown (e.g. staff of color / white staff)."""
    answered = [g.value for g in breakdown.groups if g.value is not None]
    if len(answered) != 2:
        return None
    return answered[0], answered[1]


# -- everything for a report ---------------------------------------------------------------------


@dataclass(frozen=True)
class WaveCharts:
    """The charts of one wave, by kind, in reading order."""

    wave: WaveResult
    ranking: Chart
    items: tuple[Chart, ...]
    breakdowns: tuple[Chart, ...]

    def all(self) -> list[Chart]:
        return [self.ranking, *self.items, *self.breakdowns]


def wave_charts(
    instrument: Instrument,
    wave: WaveResult,
    language: str | None = None,
    *,
    min_group_size: int | None = None,
) -> WaveCharts:
    """Return a wave's ranking, item charts (one per focus area, then unscored) and breakdowns."""
    items: list[Chart] = []
    scored: set[str] = set()
    for area in instrument.focus_areas:
        area_items = _item_rows(instrument, wave, area.id)
        scored.update(item.id for item, _ in area_items)
        if area_items:
            items.append(
                items_chart(instrument, wave, area.id, language, min_group_size=min_group_size)
            )
    rest = [item for item, _ in _item_rows(instrument, wave, None) if item.id not in scored]
    if rest:
        unscored = WaveResult(
            label=wave.label,
            respondents=wave.respondents,
            focus_areas=(),
            items=tuple(r for r in wave.items if r.id in {i.id for i in rest}),
            breakdowns=(),
        )
        items.append(
            items_chart(instrument, unscored, None, language, min_group_size=min_group_size)
        )
    breakdowns: list[Chart] = []
    for breakdown in wave.breakdowns:
        breakdowns.append(
            breakdown_chart(
                instrument,
                breakdown,
                language,
                min_group_size=min_group_size,
                wave_label=wave.label,
            )
        )
        pair = binary_groups(breakdown)
        if pair is not None:
            gap = gap_chart(instrument, breakdown, *pair, language, wave_label=wave.label)
            if gap is not None:
                breakdowns.append(gap)
    return WaveCharts(
        wave=wave,
        ranking=ranking_chart(instrument, wave, language, min_group_size=min_group_size),
        items=tuple(items),
        breakdowns=tuple(breakdowns),
    )


def report_comparison_chart(
    instrument: Instrument, report: ScoreReport, language: str | None = None
) -> Chart | None:
    """Return the comparison chart of a report, with each wave's intervals, or None."""
    comparison = report.comparison
    if comparison is None:
        return None
    waves = {w.label: w for w in report.waves}
    return comparison_chart(
        instrument,
        comparison,
        language,
        min_group_size=report.min_group_size,
        baseline=waves.get(comparison.baseline),
        followup=waves.get(comparison.followup),
    )


def unique_ids(charts: Iterable[Chart]) -> list[Chart]:
    """Return the charts with ids made unique by a numeric suffix where two collide."""
    seen: set[str] = set()
    out: list[Chart] = []
    for chart in charts:
        chart_id, n = chart.id, 1
        while chart_id in seen:
            n += 1
            chart_id = f"{chart.id}-{n}"
        seen.add(chart_id)
        out.append(chart if chart_id == chart.id else replace(chart, id=chart_id))
    return out


def charts_for_report(
    instrument: Instrument, report: ScoreReport, language: str | None = None
) -> list[Chart]:
    """Return every chart of a report in reading order: each wave, then the comparison."""
    charts: list[Chart] = []
    for wave in report.waves:
        charts += wave_charts(
            instrument, wave, language, min_group_size=report.min_group_size
        ).all()
    comparison = report_comparison_chart(instrument, report, language)
    if comparison is not None:
        charts.append(comparison)
    return unique_ids(charts)


# -- HTML ----------------------------------------------------------------------------------------

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: Any) -> str:
    """Return JSON safe inside a <script> element: no <, > or & can end it or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_ESCAPES)


def table_html(table: Table) -> Markup:
    """Return the table as HTML: a caption, column headers, and each row headed by its first cell."""
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in table.headers)
    body = Markup("").join(
        Markup("<tr>{}{}</tr>").format(
            Markup('<th scope="row">{}</th>').format(row[0]) if row else "",
            Markup("").join(Markup("<td>{}</td>").format(cell) for cell in row[1:]),
        )
        for row in table.rows
    )
    return Markup(
        '<table class="repp-table"><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table>"
    ).format(table.caption, head, body)


def chart_html(chart: Chart) -> Markup:
    """Return a chart's drawing area, its figure as a JSON data block, and its table.

    No inline script: `charts.js` draws every `.repp-chart` from the JSON block its
    `data-figure` names, so pages work under a Content-Security-Policy without 'unsafe-inline'.
    """
    element_id = f"chart-{chart.id}"
    return Markup(
        '<figure class="repp-figure" id="figure-{id}">'
        '<div class="repp-chart" id="{id}" data-figure="{id}-data" role="img" aria-label="{label}"></div>'
        '<script type="application/json" id="{id}-data">{json}</script>'
        "{table}</figure>"
    ).format(
        id=element_id,
        label=f"{chart.title}. {chart.description}" if chart.description else chart.title,
        # script_json escapes every <, > and &, so the JSON cannot close the element.
        json=Markup(script_json(chart.figure)),  # noqa: S704
        table=table_html(chart.table),
    )
