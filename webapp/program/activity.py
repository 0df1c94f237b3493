"""Check-ins (CfJJ's accountability checks) and the log of trainings and policies.

A check-in is dated, holds progress notes, and records the status changes made at it: each
change is applied to its strategy or indicator (and audited) and kept on the check-in as
`{"record", "id", "name", "from", "to"}`. Check-ins are an accountability record: they are
added, never edited or deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from webapp.errors import DomainError
from webapp.program import audit
from webapp.program.audit import Author
from webapp.program.models import (
    CheckIn,
    Engagement,
    Indicator,
    Policy,
    PolicyStatus,
    ProgressStatus,
    Strategy,
    Training,
)
from webapp.program.text import MAX_NOTES, required_text

CHECKIN_FIELDS = ("held_on", "notes", "status_changes")
TRAINING_FIELDS = ("held_on", "title", "audience", "attended", "strategy_id")
POLICY_FIELDS = ("name", "status", "adopted_on", "strategy_id")
MAX_ATTENDED = 100_000


def record_checkin(
    session: Session,
    engagement: Engagement,
    *,
    author: Author | None,
    held_on: dt.date,
    notes: str,
    strategy_status: Mapping[int, ProgressStatus] | None = None,
    indicator_status: Mapping[int, ProgressStatus] | None = None,
) -> CheckIn:
    """Record a check-in and apply the status changes made at it."""
    text = required_text(notes, "the check-in notes", limit=MAX_NOTES)
    strategies = {s.id: s for s in engagement.strategies}
    indicators = {i.id: i for i in engagement.indicators}
    wanted: list[tuple[str, Strategy | Indicator, ProgressStatus]] = []
    for kind, rows, asked in (
        ("strategy", strategies, strategy_status or {}),
        ("indicator", indicators, indicator_status or {}),
    ):
        for record_id, status in asked.items():
            row = rows.get(record_id)
            if row is None:
                raise DomainError(f"no {kind} {record_id} in this engagement")
            wanted.append((kind, row, ProgressStatus(status)))
    changes: list[dict[str, Any]] = []
    for kind, row, status in wanted:
        before = row.status
        if audit.changed(session, author, row, {"status": status}):
            name = row.title if isinstance(row, Strategy) else row.name
            changes.append(
                {
                    "record": kind,
                    "id": row.id,
                    "name": name,
                    "from": before.value,
                    "to": status.value,
                }
            )
    checkin = CheckIn(
        engagement_id=engagement.id, held_on=held_on, notes=text, status_changes=changes
    )
    engagement.checkins.append(checkin)
    session.flush()
    audit.created(session, author, checkin, CHECKIN_FIELDS)
    return checkin


def _strategy_id(engagement: Engagement, strategy_id: int | None) -> int | None:
    if strategy_id is None:
        return None
    if strategy_id not in {s.id for s in engagement.strategies}:
        raise DomainError("link a strategy of this engagement")
    return strategy_id


def _attended(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_ATTENDED:
        raise DomainError(f"the number attended must be between 0 and {MAX_ATTENDED}")
    return value


def _training_values(
    engagement: Engagement,
    *,
    held_on: dt.date,
    title: str,
    audience: str,
    attended: int | None,
    strategy_id: int | None,
) -> dict[str, Any]:
    return {
        "held_on": held_on,
        "title": required_text(title, "the training's title"),
        "audience": required_text(audience, "the audience"),
        "attended": _attended(attended),
        "strategy_id": _strategy_id(engagement, strategy_id),
    }


def add_training(
    session: Session, engagement: Engagement, *, author: Author | None, **fields: Any
) -> Training:
    training = Training(engagement_id=engagement.id, **_training_values(engagement, **fields))
    engagement.trainings.append(training)
    session.flush()
    audit.created(session, author, training, TRAINING_FIELDS)
    return training


def edit_training(
    session: Session, training: Training, *, author: Author | None, **fields: Any
) -> dict[str, list[Any]]:
    return audit.changed(session, author, training, _training_values(training.engagement, **fields))


def delete_training(session: Session, training: Training, *, author: Author | None) -> None:
    audit.deleted(session, author, training, TRAINING_FIELDS)
    training.engagement.trainings.remove(training)
    session.delete(training)
    session.flush()


def _policy_values(
    engagement: Engagement,
    *,
    name: str,
    status: PolicyStatus | str,
    adopted_on: dt.date | None,
    strategy_id: int | None,
) -> dict[str, Any]:
    status = PolicyStatus(status)
    if status is PolicyStatus.ADOPTED and adopted_on is None:
        raise DomainError("give the date the policy was adopted")
    if status is not PolicyStatus.ADOPTED and adopted_on is not None:
        raise DomainError("only an adopted policy has a date adopted")
    return {
        "name": required_text(name, "the policy's name"),
        "status": status,
        "adopted_on": adopted_on,
        "strategy_id": _strategy_id(engagement, strategy_id),
    }


def add_policy(
    session: Session, engagement: Engagement, *, author: Author | None, **fields: Any
) -> Policy:
    policy = Policy(engagement_id=engagement.id, **_policy_values(engagement, **fields))
    engagement.policies.append(policy)
    session.flush()
    audit.created(session, author, policy, POLICY_FIELDS)
    return policy


def edit_policy(
    session: Session, policy: Policy, *, author: Author | None, **fields: Any
) -> dict[str, list[Any]]:
    return audit.changed(session, author, policy, _policy_values(policy.engagement, **fields))


def delete_policy(session: Session, policy: Policy, *, author: Author | None) -> None:
    audit.deleted(session, author, policy, POLICY_FIELDS)
    policy.engagement.policies.remove(policy)
    session.delete(policy)
    session.flush()
