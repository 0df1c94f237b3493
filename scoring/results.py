"""The results of scoring: frozen objects whose `to_dict` gives the documented JSON names.

Every figure that leaves `scoring/` leaves through these objects, already suppressed: a suppressed
focus area, item or group carries `suppressed=True` and None in place of its figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FocusAreaResult:
    id: str
    title: str
    n: int | None
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    percent_favorable: float | None
    cronbach_alpha: float | None
    rank: int | None
    suppressed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "n": self.n,
            "mean": self.mean,
            "sd": self.sd,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "percent_favorable": self.percent_favorable,
            "cronbach_alpha": self.cronbach_alpha,
            "rank": self.rank,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class ItemResult:
    """A likert item's raw answers (not reverse-adjusted)."""

    id: str
    n: int | None
    mean: float | None
    #: point value (as a string) -> count, in scale order, then "na" -> explicit not-applicable.
    distribution: dict[str, int] | None
    suppressed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "n": self.n,
            "mean": self.mean,
            "distribution": None if self.distribution is None else dict(self.distribution),
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class GroupFocusArea:
    id: str
    mean: float | None
    suppressed: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "mean": self.mean, "suppressed": self.suppressed}


@dataclass(frozen=True)
class GroupResult:
    """One group of a breakdown: an option of a demographic item, or None for "not answered"."""

    value: str | None
    label: str | None
    n: int | None
    suppressed: bool
    focus_areas: tuple[GroupFocusArea, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "label": self.label,
            "n": self.n,
            "suppressed": self.suppressed,
            "focus_areas": [f.to_dict() for f in self.focus_areas],
        }


@dataclass(frozen=True)
class Breakdown:
    by: str
    groups: tuple[GroupResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "groups": [g.to_dict() for g in self.groups]}


@dataclass(frozen=True)
class WaveResult:
    label: str
    respondents: int
    focus_areas: tuple[FocusAreaResult, ...]
    items: tuple[ItemResult, ...]
    breakdowns: tuple[Breakdown, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "respondents": self.respondents,
            "focus_areas": [f.to_dict() for f in self.focus_areas],
            "items": [i.to_dict() for i in self.items],
            "breakdowns": [b.to_dict() for b in self.breakdowns],
        }

    def focus_area(self, focus_area_id: str) -> FocusAreaResult:
        for area in self.focus_areas:
            if area.id == focus_area_id:
                return area
        raise KeyError(focus_area_id)

    def item(self, item_id: str) -> ItemResult:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class ComparisonArea:
    id: str
    baseline_mean: float | None
    followup_mean: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    hedges_g: float | None
    p_value: float | None
    p_holm: float | None
    suppressed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "baseline_mean": self.baseline_mean,
            "followup_mean": self.followup_mean,
            "difference": self.difference,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "hedges_g": self.hedges_g,
            "p_value": self.p_value,
            "p_holm": self.p_holm,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class Comparison:
    baseline: str
    followup: str
    focus_areas: tuple[ComparisonArea, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "followup": self.followup,
            "focus_areas": [f.to_dict() for f in self.focus_areas],
        }

    def focus_area(self, focus_area_id: str) -> ComparisonArea:
        for area in self.focus_areas:
            if area.id == focus_area_id:
                return area
        raise KeyError(focus_area_id)


@dataclass(frozen=True)
class ScoreReport:
    """Everything `repp score` prints: each wave, and the comparison of two when there is one."""

    instrument_id: str
    instrument_version: str
    min_group_size: int
    waves: tuple[WaveResult, ...]
    comparison: Comparison | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": {"id": self.instrument_id, "version": self.instrument_version},
            "min_group_size": self.min_group_size,
            "waves": [w.to_dict() for w in self.waves],
            "comparison": None if self.comparison is None else self.comparison.to_dict(),
        }

    def wave(self, label: str) -> WaveResult:
        for wave in self.waves:
            if wave.label == label:
                return wave
        raise KeyError(label)
