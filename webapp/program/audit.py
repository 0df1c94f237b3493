"""The audit trail of the program year's records: who changed what, from what to what, and when.

Every create, update, delete and review move of an engagement record goes through `created`,
`changed`, `deleted` or `moved`, which write an `AuditEvent` in the same transaction as the
change. Only the record types named in `RECORD_TYPES` can be audited: survey responses, drafts
and anything else of a respondent's are refused, so they can never acquire a trail.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.program.models import (
    AuditEvent,
    CheckIn,
    Engagement,
    FocusAreaSelection,
    Indicator,
    Milestone,
    Policy,
    Strategy,
    Training,
    WorkingGroupMember,
)

#: The audited record types, by class; nothing else can be audited.
RECORD_TYPES: dict[type, str] = {
    Engagement: "engagement",
    Milestone: "milestone",
    FocusAreaSelection: "focus_area_selection",
    Strategy: "strategy",
    Indicator: "indicator",
    CheckIn: "checkin",
    Training: "training",
    Policy: "policy",
    WorkingGroupMember: "working_group_member",
}

#: Shown as the author of changes made by the system (the demo), not by a signed-in person.
SYSTEM = "repp"


class Author(Protocol):
    """Who changes something: a signed-in user (`id`, `email`)."""

    @property
    def id(self) -> int: ...

    @property
    def email(self) -> str: ...


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def plain(value: Any) -> Any:
    """Return a value as JSON: dates as ISO text, enums as their value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def record_type(record: object) -> str:
    """Return the audit name of a record; refuse anything that is not a program record."""
    name = RECORD_TYPES.get(type(record))
    if name is None:
        raise TypeError(f"{type(record).__name__} records are not audited")
    return name


def _engagement_id(record: object) -> int | None:
    if isinstance(record, Engagement):
        return record.id
    if isinstance(record, Indicator):
        return record.strategy.engagement_id
    value = getattr(record, "engagement_id", None)
    return int(value) if value is not None else None


def _write(
    session: Session,
    author: Author | None,
    action: str,
    record: object,
    changes: Mapping[str, Any],
    *,
    record_id: int | None = None,
) -> AuditEvent:
    name = record_type(record)
    session.flush()
    event = AuditEvent(
        engagement_id=_engagement_id(record),
        user_id=author.id if author is not None else None,
        user_email=author.email if author is not None else SYSTEM,
        action=action,
        record_type=name,
        record_id=record_id if record_id is not None else getattr(record, "id", None),
        changes=plain(dict(changes)),
        at=now(),
    )
    session.add(event)
    return event


def created(
    session: Session, author: Author | None, record: object, fields: Iterable[str]
) -> AuditEvent:
    """Record that `record` was created with these fields' values."""
    session.flush()
    return _write(
        session, author, "create", record, {f: [None, getattr(record, f)] for f in fields}
    )


def deleted(
    session: Session, author: Author | None, record: object, fields: Iterable[str]
) -> AuditEvent:
    """Record that `record` is being deleted (call before `session.delete`)."""
    return _write(
        session, author, "delete", record, {f: [getattr(record, f), None] for f in fields}
    )


def apply(record: object, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `record`; return the fields that changed as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(record, field)
        if old != new:
            setattr(record, field, new)
            changes[field] = [old, new]
    return changes


def changed(
    session: Session,
    author: Author | None,
    record: object,
    values: Mapping[str, Any],
    *,
    action: str = "update",
) -> dict[str, list[Any]]:
    """Set `values` on `record` and record the fields that changed (nothing when none did)."""
    changes = apply(record, values)
    if changes:
        _write(session, author, action, record, changes)
    return changes


def moved(
    session: Session,
    author: Author | None,
    record: object,
    action: str,
    changes: Mapping[str, list[Any]],
) -> AuditEvent:
    """Record a review move (submit, validate, return, reopen) and what it changed."""
    return _write(session, author, action, record, changes)


def trail(session: Session, engagement_id: int, limit: int = 500) -> list[AuditEvent]:
    """Return an engagement's audit events, newest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.engagement_id == engagement_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def events_of(session: Session, record: object) -> list[AuditEvent]:
    """Return one record's audit events, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.record_type == record_type(record),
                AuditEvent.record_id == getattr(record, "id", None),
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
