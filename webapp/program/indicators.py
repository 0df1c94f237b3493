"""Indicator figures: where an indicator's baseline and follow-up values come from, and whether
its target was met.

A survey-sourced indicator reads the scoring module's own figures for the engagement's baseline
and 12-month waves (`scoring.WaveResult`): a focus area's mean or percent favorable, or an item's
mean. Nothing is recomputed here, so the figures are the scoring module's, suppression included:
a suppressed figure is None and stays None. A hand-entered indicator (a count of policies
reviewed, say) carries its baseline and its current value itself.

Met / not met / not measured: an indicator is measured when it has a follow-up value (survey: the
12-month wave's figure; by hand: a recorded current value); it is met when that value reaches
the target in the indicator's direction (at least the target when higher is better, at most when
lower is better). No Flask, no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import scoring


class IndicatorSource(enum.StrEnum):
    FOCUS_AREA_MEAN = "focus_area_mean"
    FOCUS_AREA_FAVORABLE = "focus_area_favorable"
    ITEM_MEAN = "item_mean"
    MANUAL = "manual"

    @property
    def from_survey(self) -> bool:
        return self is not IndicatorSource.MANUAL

    @property
    def needs_focus_area(self) -> bool:
        return self in (IndicatorSource.FOCUS_AREA_MEAN, IndicatorSource.FOCUS_AREA_FAVORABLE)


class Direction(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Outcome(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURED = "not_measured"


@dataclass(frozen=True)
class Figure:
    """One value with the number of respondents behind it (None for hand-entered values)."""

    value: float | None
    n: int | None = None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed


NO_FIGURE = Figure(None)


def survey_figure(
    result: scoring.WaveResult | None, source: IndicatorSource, ref: str | None
) -> Figure:
    """Return a survey indicator's figure in one wave's results (nothing when there is none)."""
    if result is None or ref is None or not source.from_survey:
        return NO_FIGURE
    try:
        if source is IndicatorSource.ITEM_MEAN:
            item = result.item(ref)
            if item.suppressed:
                return Figure(None, None, True)
            return Figure(item.mean, item.n)
        area = result.focus_area(ref)
    except KeyError:
        return NO_FIGURE
    if area.suppressed:
        return Figure(None, None, True)
    value = area.mean if source is IndicatorSource.FOCUS_AREA_MEAN else area.percent_favorable
    return Figure(value, area.n)


def outcome(current: float | None, target: float | None, direction: Direction) -> Outcome:
    """Return whether a follow-up value meets its target."""
    if current is None or target is None:
        return Outcome.NOT_MEASURED
    reached = current >= target if direction is Direction.HIGHER else current <= target
    return Outcome.MET if reached else Outcome.NOT_MET


@dataclass(frozen=True)
class IndicatorFigures:
    baseline: Figure
    #: The follow-up value: the 12-month wave's figure, or the recorded current value.
    current: Figure
    outcome: Outcome


def indicator_figures(
    source: IndicatorSource,
    ref: str | None,
    direction: Direction,
    target: float | None,
    *,
    baseline: scoring.WaveResult | None,
    followup: scoring.WaveResult | None,
    manual_baseline: float | None = None,
    manual_current: float | None = None,
) -> IndicatorFigures:
    """Return an indicator's baseline, follow-up value and outcome."""
    if source.from_survey:
        first = survey_figure(baseline, source, ref)
        now = survey_figure(followup, source, ref)
    else:
        first, now = Figure(manual_baseline), Figure(manual_current)
    return IndicatorFigures(first, now, outcome(now.value, target, direction))
