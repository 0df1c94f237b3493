"""The work plan's timeline: a plotly figure of the milestones, with a table that says the same.

One row per milestone, first on top: a bar from the start of its phase to its due date and a
marker on the due date whose shape says its status; today is a vertical line. An overdue
milestone gets a diamond and the word written beside it — never colour alone — and the table
beside the chart (`scoring.charts.chart_html`) has an "Overdue" column. The words are passed in,
already translated, so this module needs no Flask and no database.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from scoring.charts import FONT_FAMILY, GRID_COLOR, MUTED_TEXT, OKABE_ITO, TEXT_COLOR, Chart, Table

#: Status -> (marker symbol, colour). Shapes differ, so the status reads without colour.
STATUS_MARKERS: dict[str, tuple[str, str]] = {
    "not_started": ("circle-open", TEXT_COLOR),
    "in_progress": ("triangle-right", OKABE_ITO["blue"]),
    "done": ("circle", OKABE_ITO["bluish_green"]),
    "skipped": ("x", MUTED_TEXT),
}
OVERDUE_MARK = ("diamond-open", OKABE_ITO["vermillion"])
SPAN_COLOR = "#D1E5F0"


@dataclass(frozen=True)
class TimelineEntry:
    key: str
    name: str
    phase: str
    owner: str
    starts_on: dt.date
    due_on: dt.date
    status: str
    status_label: str
    overdue: bool


@dataclass(frozen=True)
class TimelineWords:
    """The chart's words in the reader's language."""

    title: str
    description: str
    today: str
    overdue: str
    yes: str
    no: str
    due: str
    milestone: str
    phase: str
    owner: str
    status: str
    #: status value -> label, for the legend.
    statuses: Mapping[str, str]


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _wrap(value: str, width: int = 34) -> str:
    parts = textwrap.wrap(value, width) or [""]
    if len(parts) > 3:
        parts = [*parts[:2], textwrap.shorten(" ".join(parts[2:]), width, placeholder=" …")]
    return "<br>".join(_text(p) for p in parts)


def timeline_chart(
    chart_id: str,
    entries: Sequence[TimelineEntry],
    today: dt.date,
    words: TimelineWords,
    *,
    date_format: Any = None,
) -> Chart:
    """Return the timeline of `entries` with today marked; `date_format` formats table dates."""
    show = date_format or (lambda d: d.isoformat())
    keys = [e.key for e in entries]
    span_x: list[str | None] = []
    span_y: list[str | None] = []
    for entry in entries:
        first = min(entry.starts_on, entry.due_on)
        span_x += [first.isoformat(), entry.due_on.isoformat(), None]
        span_y += [entry.key, entry.key, None]
    traces: list[go.Scatter] = [
        go.Scatter(
            x=span_x,
            y=span_y,
            mode="lines",
            line={"color": SPAN_COLOR, "width": 10},
            hoverinfo="skip",
            showlegend=False,
            connectgaps=False,
        )
    ]
    for status, (symbol, color) in STATUS_MARKERS.items():
        group = [e for e in entries if e.status == status]
        if not group:
            continue
        traces.append(
            go.Scatter(
                x=[e.due_on.isoformat() for e in group],
                y=[e.key for e in group],
                mode="markers",
                name=_text(words.statuses.get(status, status)),
                marker={
                    "symbol": symbol,
                    "size": 14,
                    "color": color,
                    "line": {"width": 2, "color": color},
                },
                customdata=[
                    _text(f"{e.name}: {words.due} {show(e.due_on)}, {e.status_label}")
                    for e in group
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    late = [e for e in entries if e.overdue]
    if late:
        symbol, color = OVERDUE_MARK
        traces.append(
            go.Scatter(
                x=[e.due_on.isoformat() for e in late],
                y=[e.key for e in late],
                mode="markers+text",
                name=_text(words.overdue),
                marker={
                    "symbol": symbol,
                    "size": 24,
                    "color": color,
                    "line": {"width": 2.5, "color": color},
                },
                text=[f"<b>{_text(words.overdue)}</b>" for _ in late],
                textposition="middle left",
                textfont={"color": color, "size": 13},
                cliponaxis=False,
                hoverinfo="skip",
            )
        )
    dates = [d for e in entries for d in (e.starts_on, e.due_on)] + [today]
    low = min(dates) - dt.timedelta(days=21)
    high = max(dates) + dt.timedelta(days=21)
    figure = go.Figure(
        traces,
        layout={
            "title": {
                "text": _text(words.title),
                "x": 0,
                "xanchor": "left",
                "xref": "container",
                "pad": {"l": 4},
                "font": {"size": 17},
            },
            "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOR},
            "paper_bgcolor": "#FFFFFF",
            "plot_bgcolor": "#FFFFFF",
            "height": 170 + 46 * len(entries),
            "margin": {"l": 10, "r": 20, "t": 70, "b": 60},
            "xaxis": {
                "type": "date",
                "range": [low.isoformat(), high.isoformat()],
                "gridcolor": GRID_COLOR,
                "linecolor": MUTED_TEXT,
                "automargin": True,
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": keys,
                "tickmode": "array",
                "tickvals": keys,
                "ticktext": [_wrap(e.name) for e in entries],
                "autorange": "reversed",
                "showgrid": False,
                "automargin": True,
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": today.isoformat(),
                    "x1": today.isoformat(),
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": TEXT_COLOR, "width": 2, "dash": "dash"},
                }
            ],
            "annotations": [
                {
                    "x": today.isoformat(),
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "xanchor": "right",
                    "text": f"<b>{_text(words.today)}</b> {_text(show(today))}",
                    "showarrow": False,
                    "font": {"color": TEXT_COLOR, "size": 13},
                }
            ],
            "legend": {
                "orientation": "h",
                "x": 0,
                "xref": "container",
                "y": 0,
                "yref": "container",
                "yanchor": "bottom",
            },
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 14}},
        },
    )
    table = Table(
        caption=f"{words.title}. {words.today}: {show(today)}.",
        headers=(words.milestone, words.phase, words.owner, words.due, words.status, words.overdue),
        rows=tuple(
            (
                e.name,
                e.phase,
                e.owner,
                show(e.due_on),
                e.status_label,
                words.yes if e.overdue else words.no,
            )
            for e in entries
        ),
    )
    data: dict[str, Any] = json.loads(pio.to_json(figure, validate=False, engine="json"))
    return Chart(
        id=chart_id,
        title=words.title,
        figure=data,
        table=table,
        description=words.description,
    )
