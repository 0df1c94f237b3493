"""The perception-gap form: two groups of one demographic item, chosen by the viewer.

Only the instrument's demographic items and their options can be chosen (disaggregation is
declared in the instrument, never ad hoc), and the chart is drawn only for focus areas where
both groups are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

import instrument
import scoring
from scoring import charts
from webapp.dashboard.content import figure_html

#: Query-string names of the form's fields.
FIELDS = ("gap_by", "gap_a", "gap_b")


@dataclass(frozen=True)
class Choice:
    """One demographic item and its options, as the form offers them."""

    id: str
    text: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class GapForm:
    choices: tuple[Choice, ...]
    by: str | None
    a: str | None
    b: str | None
    #: Why the chosen groups give no chart; None when a chart was drawn or nothing was asked.
    problem: str | None
    chart: Markup | None

    @property
    def asked(self) -> bool:
        return self.by is not None


def choices(inst: instrument.Instrument, language: str) -> tuple[Choice, ...]:
    return tuple(
        Choice(
            item.id,
            item.text.get(language),
            tuple((o.value, o.label.get(language)) for o in item.options),
        )
        for item in inst.demographic_items
    )


def _arg(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name)
    return value if isinstance(value, str) and value != "" else None


def gap_form(
    inst: instrument.Instrument,
    wave: scoring.WaveResult,
    language: str,
    args: Mapping[str, str],
) -> GapForm:
    """Read the form from the query string and draw the chart when the choice allows it."""
    offered = choices(inst, language)
    by, a, b = (_arg(args, name) for name in FIELDS)
    if by is None and a is None and b is None:
        return GapForm(offered, None, None, None, None, None)
    choice = next((c for c in offered if c.id == by), None)
    if choice is None:
        return GapForm(offered, None, None, None, _("Choose one of the listed items."), None)
    values = {value for value, _label in choice.options}
    a = a if a in values else None
    b = b if b in values else None
    if a is None or b is None:
        problem = _("Choose two groups of %(item)s.", item=choice.text)
        return GapForm(offered, by, a, b, problem, None)
    if a == b:
        return GapForm(offered, by, a, b, _("Choose two different groups."), None)
    breakdown = next((x for x in wave.breakdowns if x.by == by), None)
    chart = None
    if breakdown is not None:
        chart = charts.gap_chart(inst, breakdown, a, b, language)
    if chart is None:
        problem = _(
            "These two groups cannot be compared: at least one of them is too small to be shown."
        )
        return GapForm(offered, by, a, b, problem, None)
    return GapForm(offered, by, a, b, None, figure_html(chart))
