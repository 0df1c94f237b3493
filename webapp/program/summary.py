"""One engagement's year at a glance: what the pages show and what `repp engagement export` prints.

`summarize` reads the engagement's rows and scores its baseline and 12-month waves through
`webapp.results` (cached; the scoring module's own figures, already suppressed), and returns
frozen view objects. The pages render them; `export` turns them into JSON. Both read the same
objects, so the CLI prints what a leader sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

import instrument
import scoring
from webapp.program import workplan
from webapp.program.indicators import (
    IndicatorFigures,
    IndicatorSource,
    Outcome,
    indicator_figures,
)
from webapp.program.models import (
    CheckIn,
    Engagement,
    Indicator,
    Milestone,
    Policy,
    Strategy,
    Training,
)
from webapp.program.selection import engagement_instrument
from webapp.results import WaveData, comparison, wave_data


@dataclass(frozen=True)
class AreaFigures:
    """A focus area's figures in one wave; all None when suppressed or not measured."""

    mean: float | None
    ci_low: float | None
    ci_high: float | None
    percent_favorable: float | None
    n: int | None
    rank: int | None
    suppressed: bool

    @classmethod
    def of(cls, data: WaveData | None, area_id: str) -> AreaFigures:
        if data is None:
            return NOT_MEASURED
        try:
            area = data.result.focus_area(area_id)
        except KeyError:
            return NOT_MEASURED
        if area.suppressed:
            return cls(None, None, None, None, None, None, True)
        return cls(
            area.mean,
            area.ci_low,
            area.ci_high,
            area.percent_favorable,
            area.n,
            area.rank,
            False,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "percent_favorable": self.percent_favorable,
            "n": self.n,
            "suppressed": self.suppressed,
        }


NOT_MEASURED = AreaFigures(None, None, None, None, None, None, False)


@dataclass(frozen=True)
class Gap:
    """The widest difference between two groups' means in one focus area, at baseline."""

    by: str
    high: str
    low: str
    difference: float


@dataclass(frozen=True)
class AreaView:
    id: str
    title: str
    baseline: AreaFigures
    followup: AreaFigures
    gap: Gap | None
    selected: bool
    reason: str | None
    comparison: scoring.ComparisonArea | None


@dataclass(frozen=True)
class MilestoneView:
    row: Milestone
    name: str
    phase_name: str
    owner_role: str
    overdue: bool


@dataclass(frozen=True)
class IndicatorView:
    row: Indicator
    #: What the indicator measures, in words: a focus area's or an item's title.
    measures: str | None
    figures: IndicatorFigures


@dataclass(frozen=True)
class StrategyView:
    row: Strategy
    area_title: str
    indicators: tuple[IndicatorView, ...]


@dataclass(frozen=True)
class YearSummary:
    engagement: Engagement
    language: str
    today: dt.date
    instrument: instrument.Instrument | None
    baseline: WaveData | None
    followup: WaveData | None
    comparison: scoring.Comparison | None
    min_group_size: int | None
    milestones: tuple[MilestoneView, ...]
    #: Every focus area, first priority (lowest baseline mean) first.
    areas: tuple[AreaView, ...]
    #: The selected focus areas, in selection order.
    selected: tuple[AreaView, ...]
    strategies: tuple[StrategyView, ...]

    @property
    def checkins(self) -> list[CheckIn]:
        return list(self.engagement.checkins)

    @property
    def trainings(self) -> list[Training]:
        return list(self.engagement.trainings)

    @property
    def policies(self) -> list[Policy]:
        return list(self.engagement.policies)

    @property
    def overdue(self) -> list[MilestoneView]:
        return [m for m in self.milestones if m.overdue]

    @property
    def indicators(self) -> list[IndicatorView]:
        return [i for s in self.strategies for i in s.indicators]

    @property
    def outcome_counts(self) -> dict[str, int]:
        """Return how many indicators met their target, did not, or are not measured."""
        counts = dict.fromkeys((o.value for o in Outcome), 0)
        for view in self.indicators:
            counts[view.figures.outcome.value] += 1
        return counts

    def area(self, area_id: str) -> AreaView | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def strategies_of(self, area_id: str) -> list[StrategyView]:
        return [s for s in self.strategies if s.row.focus_area_id == area_id]


def area_title(inst: instrument.Instrument | None, area_id: str, language: str) -> str:
    if inst is not None:
        try:
            return inst.focus_area(area_id).title.get(language)
        except KeyError:
            pass
    return area_id


def _group_name(inst: instrument.Instrument, by: str, value: str, language: str) -> str:
    item = inst.item(by) if inst.has_item(by) else None
    if isinstance(item, instrument.SingleChoiceItem):
        for option in item.options:
            if option.value == value:
                return option.label.get(language)
    return value


def widest_gap(
    inst: instrument.Instrument, result: scoring.WaveResult, area_id: str, language: str
) -> Gap | None:
    """Return the widest gap between two shown groups' means in a focus area, over breakdowns.

    Only groups and cells the scoring module shows take part (suppressed ones never do), and the
    group of people who did not answer is left out: it is not a group of anyone's identity.
    """
    best: Gap | None = None
    for breakdown in result.breakdowns:
        means: list[tuple[float, str]] = []
        for group in breakdown.groups:
            if group.suppressed or group.value is None:
                continue
            for cell in group.focus_areas:
                if cell.id == area_id and not cell.suppressed and cell.mean is not None:
                    means.append((cell.mean, group.value))
        if len(means) < 2:
            continue
        high, low = max(means), min(means)
        difference = high[0] - low[0]
        if best is None or difference > best.difference:
            by = (
                inst.item(breakdown.by).text.get(language)
                if inst.has_item(breakdown.by)
                else breakdown.by
            )
            best = Gap(
                by,
                _group_name(inst, breakdown.by, high[1], language),
                _group_name(inst, breakdown.by, low[1], language),
                difference,
            )
    return best


def _measures(inst: instrument.Instrument | None, row: Indicator, language: str) -> str | None:
    if row.source_ref is None:
        return None
    if row.source is IndicatorSource.ITEM_MEAN:
        if inst is not None and inst.has_item(row.source_ref):
            return inst.item(row.source_ref).text.get(language)
        return row.source_ref
    return area_title(inst, row.source_ref, language)


def _ranked(areas: list[AreaView]) -> list[AreaView]:
    """Shown areas by baseline rank, then the rest in instrument order."""

    def key(pair: tuple[int, AreaView]) -> tuple[bool, int, int]:
        index, area = pair
        rank = area.baseline.rank
        return (rank is None, rank if rank is not None else 0, index)

    return [area for _, area in sorted(enumerate(areas), key=key)]


def summarize(
    session: Session, engagement: Engagement, *, language: str | None = None, today: dt.date
) -> YearSummary:
    """Read an engagement and score its waves; return what its pages show."""
    inst = engagement_instrument(engagement)
    lang = language if inst is None or language in inst.languages else None
    if lang is None:
        lang = inst.default_language if inst is not None else (language or "en")
    baseline_wave, followup_wave = engagement.baseline_wave, engagement.followup_wave
    baseline = wave_data(session, baseline_wave, language=lang) if baseline_wave else None
    followup = wave_data(session, followup_wave, language=lang) if followup_wave else None
    compared = (
        comparison(session, baseline_wave, followup_wave)
        if baseline_wave is not None and followup_wave is not None
        else None
    )
    min_group = max(
        [w.min_group_size for w in (baseline_wave, followup_wave) if w is not None], default=None
    )
    reasons = {s.focus_area_id: s.reason for s in engagement.selections}

    areas: list[AreaView] = []
    area_ids = [a.id for a in inst.focus_areas] if inst is not None else list(reasons)
    for area_id in area_ids:
        compared_area = None
        if compared is not None:
            try:
                compared_area = compared.focus_area(area_id)
            except KeyError:
                compared_area = None
        areas.append(
            AreaView(
                id=area_id,
                title=area_title(inst, area_id, lang),
                baseline=AreaFigures.of(baseline, area_id),
                followup=AreaFigures.of(followup, area_id),
                gap=(
                    widest_gap(inst, baseline.result, area_id, lang)
                    if inst is not None and baseline is not None
                    else None
                ),
                selected=area_id in reasons,
                reason=reasons.get(area_id),
                comparison=compared_area,
            )
        )
    by_id = {a.id: a for a in areas}
    selected = tuple(
        by_id[s.focus_area_id] for s in engagement.selections if s.focus_area_id in by_id
    )

    strategies = []
    for strategy in engagement.strategies:
        indicators = tuple(
            IndicatorView(
                row=row,
                measures=_measures(inst, row, lang),
                figures=indicator_figures(
                    row.source,
                    row.source_ref,
                    row.direction,
                    row.target,
                    baseline=baseline.result if baseline is not None else None,
                    followup=followup.result if followup is not None else None,
                    manual_baseline=row.baseline_value,
                    manual_current=row.current_value,
                ),
            )
            for row in strategy.indicators
        )
        strategies.append(
            StrategyView(strategy, area_title(inst, strategy.focus_area_id, lang), indicators)
        )

    milestones = tuple(
        MilestoneView(
            row=m,
            name=workplan.text(m.name, lang),
            phase_name=workplan.text(m.phase_name, lang),
            owner_role=m.owner_role,
            overdue=m.overdue(today),
        )
        for m in engagement.milestones
    )
    return YearSummary(
        engagement=engagement,
        language=lang,
        today=today,
        instrument=inst,
        baseline=baseline,
        followup=followup,
        comparison=compared,
        min_group_size=min_group,
        milestones=milestones,
        areas=tuple(_ranked(areas)),
        selected=selected,
        strategies=tuple(strategies),
    )


# -- export --------------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _figure(area: AreaFigures) -> dict[str, Any]:
    return {
        "mean": area.mean,
        "ci_low": area.ci_low,
        "ci_high": area.ci_high,
        "percent_favorable": area.percent_favorable,
        "n": area.n,
        "rank": area.rank,
        "suppressed": area.suppressed,
    }


def _comparison(area: scoring.ComparisonArea | None) -> dict[str, Any] | None:
    """The 12-month review's statistics for a focus area: `repp score`'s names, without the means."""
    if area is None:
        return None
    keys = ("difference", "ci_low", "ci_high", "hedges_g", "p_value", "p_holm", "suppressed")
    figures = area.to_dict()
    return {key: figures[key] for key in keys}


def _gap(gap: Gap | None) -> dict[str, Any] | None:
    if gap is None:
        return None
    return {"by": gap.by, "high": gap.high, "low": gap.low, "difference": gap.difference}


def _indicator(view: IndicatorView) -> dict[str, Any]:
    row, figures = view.row, view.figures
    return {
        "name": row.name,
        "owner": row.owner,
        "source": row.source.value,
        "source_ref": row.source_ref,
        "direction": row.direction.value,
        "unit": row.unit,
        "target": row.target,
        "baseline": figures.baseline.value,
        "baseline_n": figures.baseline.n,
        "current": figures.current.value,
        "current_n": figures.current.n,
        "suppressed": figures.baseline.suppressed or figures.current.suppressed,
        "due": _date(row.due_on),
        "status": row.status.value,
        "outcome": figures.outcome.value,
        "data_source": row.data_source,
        "evidence": row.evidence,
    }


def export(summary: YearSummary) -> dict[str, Any]:
    """Return an engagement as JSON (floats rounded as every repp JSON output rounds them)."""
    engagement = summary.engagement
    data = {
        "id": engagement.id,
        "organization": engagement.organization.slug,
        "organization_name": engagement.organization.name,
        "start": _date(engagement.start_on),
        "facilitator": engagement.facilitator,
        "status": engagement.status.value,
        "template": {"id": engagement.template_id, "version": engagement.template_version},
        "baseline_wave": engagement.baseline_wave.label if engagement.baseline_wave else None,
        "followup_wave": engagement.followup_wave.label if engagement.followup_wave else None,
        "milestones": [
            {
                "key": m.row.key,
                "name": m.name,
                "phase": m.row.phase,
                "owner": m.owner_role,
                "due": _date(m.row.due_on),
                "status": m.row.status.value,
                "overdue": m.overdue,
            }
            for m in summary.milestones
        ],
        "focus_areas": [
            {
                "id": area.id,
                "title": area.title,
                "reason": area.reason,
                "baseline": _figure(area.baseline),
                "followup": _figure(area.followup),
                "comparison": _comparison(area.comparison),
                "baseline_gap": _gap(area.gap),
            }
            for area in summary.selected
        ],
        "framework": {
            "review_state": engagement.framework_state.value,
            "comment": engagement.framework_comment,
        },
        "strategies": [
            {
                "title": s.row.title,
                "focus_area": s.row.focus_area_id,
                "status": s.row.status.value,
                "review_state": s.row.review_state.value,
                "review_comment": s.row.review_comment,
                "owner": s.row.owner,
                "due": _date(s.row.due_on),
                "indicators": [_indicator(i) for i in s.indicators],
            }
            for s in summary.strategies
        ],
        "checkins": [
            {"date": _date(c.held_on), "notes": c.notes, "status_changes": list(c.status_changes)}
            for c in summary.checkins
        ],
        "trainings": [
            {
                "date": _date(t.held_on),
                "title": t.title,
                "audience": t.audience,
                "attended": t.attended,
                "strategy": t.strategy.title if t.strategy else None,
            }
            for t in summary.trainings
        ],
        "policies": [
            {
                "name": p.name,
                "status": p.status.value,
                "adopted": _date(p.adopted_on),
                "strategy": p.strategy.title if p.strategy else None,
            }
            for p in summary.policies
        ],
    }
    rounded: dict[str, Any] = scoring.rounded(data)
    return rounded
