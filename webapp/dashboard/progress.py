"""How far a wave has got: counts only (responses against the expected headcount), no answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import Response, Wave


@dataclass(frozen=True)
class Progress:
    """A wave's response count and, when its expected headcount is known, its response rate."""

    responses: int
    expected: int | None

    @property
    def rate(self) -> float | None:
        """Return responses / expected headcount (may pass 1 when the open link travelled)."""
        if not self.expected:
            return None
        return self.responses / self.expected


def response_counts(session: Session, wave_ids: Iterable[int]) -> dict[int, int]:
    """Return the number of responses of each wave in one query (0 for none)."""
    ids = list(wave_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Response.wave_id, func.count())
        .where(Response.wave_id.in_(ids))
        .group_by(Response.wave_id)
    ).all()
    counts = dict.fromkeys(ids, 0)
    counts.update({wave_id: count for wave_id, count in rows})
    return counts


def progress_of(session: Session, waves: Iterable[Wave]) -> dict[int, Progress]:
    """Return the progress of each wave, by wave id."""
    waves = list(waves)
    counts = response_counts(session, (w.id for w in waves))
    return {w.id: Progress(counts[w.id], w.expected_headcount) for w in waves}
