"""Engagements: create one from a work-plan template, find them, change their settings and
milestones. Every change is audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import scoring
from webapp.errors import DomainError
from webapp.models import Organization, Wave
from webapp.program import audit, workplan
from webapp.program.audit import Author
from webapp.program.models import (
    Engagement,
    EngagementStatus,
    Milestone,
    MilestoneStatus,
)
from webapp.program.text import MAX_NOTES, clean_text, required_text

ENGAGEMENT_FIELDS = (
    "organization_id",
    "start_on",
    "facilitator",
    "status",
    "template_id",
    "template_version",
    "baseline_wave_id",
    "followup_wave_id",
)
MILESTONE_FIELDS = ("key", "phase", "starts_on", "due_on", "status", "owner_role", "link", "notes")


def find_engagement(session: Session, engagement_id: int) -> Engagement:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise DomainError(f"no engagement {engagement_id}")
    return engagement


def engagements_of(session: Session, organization_id: int | None = None) -> list[Engagement]:
    """Return every engagement (or one organization's), newest start first."""
    query = select(Engagement).order_by(Engagement.start_on.desc(), Engagement.id.desc())
    if organization_id is not None:
        query = query.where(Engagement.organization_id == organization_id)
    return list(session.scalars(query))


def current_engagement(session: Session, organization_id: int) -> Engagement | None:
    """Return an organization's most recent active engagement, if any."""
    for engagement in engagements_of(session, organization_id):
        if engagement.status is EngagementStatus.ACTIVE:
            return engagement
    return None


def _wave_by_label(waves: Sequence[Wave], label: str) -> Wave | None:
    return next((w for w in waves if w.label == label), None)


def check_wave(engagement: Engagement | None, organization_id: int, wave: Wave | None) -> None:
    if wave is not None and wave.organization_id != organization_id:
        raise DomainError("a wave of another organization cannot be linked to this engagement")


def create_engagement(
    session: Session,
    organization: Organization,
    start: dt.date,
    facilitator: str,
    template: workplan.Template | None = None,
    *,
    author: Author | None = None,
) -> Engagement:
    """Create an engagement with its work plan from `template` (the bundled one by default).

    The organization's waves labelled `baseline` and `12-month` are linked when they exist.
    """
    template = template or workplan.load()
    name = required_text(facilitator, "the facilitator's name")
    engagement = Engagement(
        organization_id=organization.id,
        start_on=start,
        facilitator=name,
        status=EngagementStatus.ACTIVE,
        template_id=template.id,
        template_version=template.version,
    )
    waves = list(session.scalars(select(Wave).where(Wave.organization_id == organization.id)))
    baseline = _wave_by_label(waves, scoring.BASELINE)
    followup = _wave_by_label(waves, scoring.FOLLOWUP)
    engagement.baseline_wave_id = baseline.id if baseline else None
    engagement.followup_wave_id = followup.id if followup else None
    session.add(engagement)
    session.flush()
    audit.created(session, author, engagement, ENGAGEMENT_FIELDS)
    for position, item in enumerate(template.milestones):
        phase = template.phase(item.phase)
        milestone = Milestone(
            engagement_id=engagement.id,
            position=position,
            key=item.key,
            name=dict(item.name),
            phase=phase.id,
            phase_name=dict(phase.name),
            starts_on=workplan.start_date(template, item, start),
            due_on=workplan.due_date(item, start),
            status=MilestoneStatus.NOT_STARTED,
            owner_role=item.owner,
            link=item.link,
        )
        session.add(milestone)
        session.flush()
        audit.created(session, author, milestone, MILESTONE_FIELDS)
    session.refresh(engagement)
    return engagement


def update_engagement(
    session: Session,
    engagement: Engagement,
    *,
    author: Author | None,
    facilitator: str,
    status: EngagementStatus,
    baseline_wave: Wave | None,
    followup_wave: Wave | None,
) -> dict[str, list[Any]]:
    """Change an engagement's facilitator, status and linked waves."""
    for wave in (baseline_wave, followup_wave):
        check_wave(engagement, engagement.organization_id, wave)
    if (
        baseline_wave is not None
        and followup_wave is not None
        and baseline_wave.id == followup_wave.id
    ):
        raise DomainError("the baseline and the 12-month wave must be different waves")
    return audit.changed(
        session,
        author,
        engagement,
        {
            "facilitator": required_text(facilitator, "the facilitator's name"),
            "status": EngagementStatus(status),
            "baseline_wave_id": baseline_wave.id if baseline_wave else None,
            "followup_wave_id": followup_wave.id if followup_wave else None,
        },
    )


def update_milestone(
    session: Session,
    milestone: Milestone,
    *,
    author: Author | None,
    due_on: dt.date,
    status: MilestoneStatus,
    owner_role: str,
    notes: str | None,
) -> dict[str, list[Any]]:
    """Change a milestone's due date, status, owner role and notes."""
    if owner_role not in workplan.OWNER_ROLES:
        raise DomainError(
            f"owner role {owner_role!r} is not one of {', '.join(workplan.OWNER_ROLES)}"
        )
    return audit.changed(
        session,
        author,
        milestone,
        {
            "due_on": due_on,
            "status": MilestoneStatus(status),
            "owner_role": owner_role,
            "notes": clean_text(notes, "the notes", limit=MAX_NOTES, required=False),
        },
    )


def set_milestone_status(
    session: Session,
    engagement: Engagement,
    key: str,
    status: MilestoneStatus,
    author: Author | None,
) -> None:
    """Set the status of the milestone with `key`, if the work plan has one."""
    for milestone in engagement.milestones:
        if milestone.key == key:
            audit.changed(session, author, milestone, {"status": status})
