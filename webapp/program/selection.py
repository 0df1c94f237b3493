"""Focus-area selection: which focus areas the working group takes on, and why.

The choices are focus areas of the instrument the engagement's baseline wave used; a focus area
that already has strategies cannot be dropped (delete its strategies first).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

import instrument
from webapp.errors import DomainError
from webapp.instruments import model
from webapp.program import audit
from webapp.program.audit import Author
from webapp.program.models import Engagement, FocusAreaSelection
from webapp.program.text import MAX_NOTES, required_text

SELECTION_FIELDS = ("focus_area_id", "reason", "position")


def engagement_instrument(engagement: Engagement) -> instrument.Instrument | None:
    """Return the instrument of the engagement's baseline wave (else its 12-month wave)."""
    wave = engagement.baseline_wave or engagement.followup_wave
    return model(wave.instrument_version) if wave is not None else None


def select_focus_areas(
    session: Session,
    engagement: Engagement,
    chosen: Mapping[str, str],
    *,
    author: Author | None,
) -> None:
    """Make `chosen` (focus area id -> reason) the engagement's selection."""
    inst = engagement_instrument(engagement)
    if inst is None:
        raise DomainError("link a baseline wave to this engagement before choosing focus areas")
    order = {area.id: i for i, area in enumerate(inst.focus_areas)}
    unknown = sorted(set(chosen) - set(order))
    if unknown:
        raise DomainError(f"not focus areas of {inst.id}: {', '.join(unknown)}")
    reasons = {
        area_id: required_text(reason, f"the reason for {area_id}", limit=MAX_NOTES)
        for area_id, reason in chosen.items()
    }
    in_use = {s.focus_area_id for s in engagement.strategies}
    existing = {s.focus_area_id: s for s in engagement.selections}
    dropped = sorted((set(existing) - set(reasons)) & in_use)
    if dropped:
        raise DomainError(
            f"focus areas with strategies cannot be dropped: {', '.join(dropped)}; "
            "delete their strategies first"
        )
    for area_id, row in existing.items():
        if area_id not in reasons:
            audit.deleted(session, author, row, SELECTION_FIELDS)
            engagement.selections.remove(row)
            session.delete(row)
    for area_id in sorted(reasons, key=order.__getitem__):
        row = existing.get(area_id)
        if row is None:
            row = FocusAreaSelection(
                engagement_id=engagement.id,
                focus_area_id=area_id,
                reason=reasons[area_id],
                position=order[area_id],
            )
            engagement.selections.append(row)
            session.flush()
            audit.created(session, author, row, SELECTION_FIELDS)
        else:
            audit.changed(
                session, author, row, {"reason": reasons[area_id], "position": order[area_id]}
            )
    session.flush()
