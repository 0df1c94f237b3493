"""The figures each page shows, as `scoring.ScoreReport`s: what downloads and the API hand out.

A wave page shows one whole `WaveResult`; the comparison page shows the comparison and both
waves' focus areas (no items, no breakdowns). Both come from the cached results of
`webapp.results`, already suppressed, and leave through scoring's own JSON and CSV writers, so
their names are those of `repp score`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy.orm import Session

import instrument
import scoring
from webapp import results
from webapp.instruments import model
from webapp.models import Organization, Wave


def wave_report(session: Session, wave: Wave, language: str | None = None) -> scoring.ScoreReport:
    """Return one wave's results as a report of one wave and no comparison."""
    data = results.wave_data(session, wave, language=language)
    return scoring.ScoreReport(
        instrument_id=data.instrument.id,
        instrument_version=data.instrument.version,
        min_group_size=data.min_group_size,
        waves=(data.result,),
        comparison=None,
    )


@dataclass(frozen=True)
class ComparisonData:
    """An organization's baseline and 12-month waves, their results and their comparison."""

    instrument: instrument.Instrument
    baseline: Wave
    followup: Wave
    baseline_data: results.WaveData
    followup_data: results.WaveData
    comparison: scoring.Comparison

    @property
    def min_group_size(self) -> int:
        return max(self.baseline.min_group_size, self.followup.min_group_size)

    def report(self) -> scoring.ScoreReport:
        """Return what the comparison page shows: both rankings and the comparison."""
        return scoring.ScoreReport(
            instrument_id=self.instrument.id,
            instrument_version=self.instrument.version,
            min_group_size=self.min_group_size,
            waves=(
                focus_areas_only(self.baseline_data.result),
                focus_areas_only(self.followup_data.result),
            ),
            comparison=self.comparison,
        )


def focus_areas_only(wave: scoring.WaveResult) -> scoring.WaveResult:
    """Return a wave's result without its items and breakdowns."""
    return dataclasses.replace(wave, items=(), breakdowns=())


def comparison_pair(org: Organization) -> tuple[Wave, Wave] | None:
    """Return the organization's baseline and 12-month waves of one instrument, if it has them."""
    pair = results.baseline_and_followup(org.waves)
    if pair is None:
        return None
    baseline, followup = pair
    if baseline.instrument_version.content_hash != followup.instrument_version.content_hash:
        return None
    return pair


def comparison_data(
    session: Session, org: Organization, language: str | None = None
) -> ComparisonData | None:
    """Return the organization's comparison, or None when it has no comparable pair of waves."""
    pair = comparison_pair(org)
    if pair is None:
        return None
    baseline, followup = pair
    compared = results.comparison(session, baseline, followup)
    if compared is None:
        return None
    return ComparisonData(
        instrument=model(baseline.instrument_version),
        baseline=baseline,
        followup=followup,
        baseline_data=results.wave_data(session, baseline, language=language),
        followup_data=results.wave_data(session, followup, language=language),
        comparison=compared,
    )


def report_waves(org: Organization, version_id: int | None) -> list[Wave]:
    """Return the organization's waves of one instrument version (default: its latest wave's)."""
    if not org.waves:
        return []
    if version_id is None:
        pair = comparison_pair(org)
        version_id = (pair[1] if pair else org.waves[-1]).instrument_version_id
    return [w for w in org.waves if w.instrument_version_id == version_id]


def organization_report(
    session: Session, waves: list[Wave], language: str | None = None
) -> scoring.ScoreReport:
    """Return every wave of one instrument with, when both exist, baseline vs 12-month."""
    pair = results.baseline_and_followup(waves)
    baseline, followup = pair if pair is not None else (None, None)
    return results.score_report(
        session, waves, language=language, baseline=baseline, followup=followup
    )
