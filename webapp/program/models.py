"""The program year's tables: an engagement, its work plan, focus areas, strategies, indicators,
check-ins, trainings, policies, working group, volunteer offers and the audit trail.

None of these tables points to a response, a draft, a submission or an invitation, and nothing
here is written when a survey is answered. A volunteer offer is stored apart from any response:
a random id, the organization and what the person typed, with no time, session or survey key.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models import Base, Organization, Wave, new_uuid
from webapp.program.indicators import Direction, IndicatorSource
from webapp.program.review import ReviewState


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


class EngagementStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"


class MilestoneStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"

    @property
    def closed(self) -> bool:
        """Done or skipped: nothing is left to do, so it is never overdue."""
        return self in (MilestoneStatus.DONE, MilestoneStatus.SKIPPED)


class ProgressStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"


class PolicyStatus(enum.StrEnum):
    PROPOSED = "proposed"
    DRAFTING = "drafting"
    IN_REVIEW = "in_review"
    ADOPTED = "adopted"


class Engagement(Base):
    """One organization's partnership year with CfJJ."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    start_on: Mapped[dt.date] = mapped_column(Date)
    facilitator: Mapped[str]
    status: Mapped[EngagementStatus] = mapped_column(
        _enum(EngagementStatus, "engagement_status"), default=EngagementStatus.ACTIVE
    )
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(50))
    baseline_wave_id: Mapped[int | None] = mapped_column(
        ForeignKey("waves.id", ondelete="SET NULL")
    )
    followup_wave_id: Mapped[int | None] = mapped_column(
        ForeignKey("waves.id", ondelete="SET NULL")
    )
    #: The accountability framework (the set of this engagement's indicators) under review.
    framework_state: Mapped[ReviewState] = mapped_column(
        _enum(ReviewState, "review_state"), default=ReviewState.DRAFT
    )
    framework_comment: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship()
    baseline_wave: Mapped[Wave | None] = relationship(foreign_keys=[baseline_wave_id])
    followup_wave: Mapped[Wave | None] = relationship(foreign_keys=[followup_wave_id])
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="engagement", order_by="Milestone.position", cascade="all, delete-orphan"
    )
    selections: Mapped[list[FocusAreaSelection]] = relationship(
        back_populates="engagement",
        order_by="FocusAreaSelection.position",
        cascade="all, delete-orphan",
    )
    strategies: Mapped[list[Strategy]] = relationship(
        back_populates="engagement", order_by="Strategy.id", cascade="all, delete-orphan"
    )
    checkins: Mapped[list[CheckIn]] = relationship(
        back_populates="engagement",
        order_by=lambda: (CheckIn.held_on, CheckIn.id),
        cascade="all, delete-orphan",
    )
    trainings: Mapped[list[Training]] = relationship(
        back_populates="engagement",
        order_by=lambda: (Training.held_on, Training.id),
        cascade="all, delete-orphan",
    )
    policies: Mapped[list[Policy]] = relationship(
        back_populates="engagement", order_by="Policy.id", cascade="all, delete-orphan"
    )
    members: Mapped[list[WorkingGroupMember]] = relationship(
        back_populates="engagement",
        order_by="WorkingGroupMember.name",
        cascade="all, delete-orphan",
    )

    @property
    def selected_ids(self) -> list[str]:
        return [s.focus_area_id for s in self.selections]

    @property
    def indicators(self) -> list[Indicator]:
        return [i for s in self.strategies for i in s.indicators]


class Milestone(Base):
    """A step of the work plan: made from the template, then a row of its own."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("engagement_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    #: The name by language, from the template.
    name: Mapped[dict[str, Any]]
    phase: Mapped[str] = mapped_column(String(64))
    phase_name: Mapped[dict[str, Any]]
    starts_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[MilestoneStatus] = mapped_column(
        _enum(MilestoneStatus, "milestone_status"), default=MilestoneStatus.NOT_STARTED
    )
    #: A role (cfjj, leadership, working_group, all_staff), never a person.
    owner_role: Mapped[str] = mapped_column(String(32))
    link: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)

    engagement: Mapped[Engagement] = relationship(back_populates="milestones")

    def overdue(self, today: dt.date) -> bool:
        """Due before today and neither done nor skipped."""
        return self.due_on < today and not self.status.closed


class FocusAreaSelection(Base):
    """A focus area the working group takes on, and why."""

    __tablename__ = "focus_area_selections"
    __table_args__ = (UniqueConstraint("engagement_id", "focus_area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    focus_area_id: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    engagement: Mapped[Engagement] = relationship(back_populates="selections")


class Strategy(Base):
    __tablename__ = "strategies"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    focus_area_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str]
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None]
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ProgressStatus] = mapped_column(
        _enum(ProgressStatus, "progress_status"), default=ProgressStatus.NOT_STARTED
    )
    review_state: Mapped[ReviewState] = mapped_column(
        _enum(ReviewState, "review_state"), default=ReviewState.DRAFT
    )
    #: The comments of the last return, kept until the strategy is validated.
    review_comment: Mapped[str | None] = mapped_column(Text)

    engagement: Mapped[Engagement] = relationship(back_populates="strategies")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="strategy", order_by="Indicator.id", cascade="all, delete-orphan"
    )


class Indicator(Base):
    """A measure of a strategy's progress, with its target: one row of the framework."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint(
            "source = 'manual' OR source_ref IS NOT NULL", name="survey_indicator_has_source"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("strategies.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str]
    source: Mapped[IndicatorSource] = mapped_column(_enum(IndicatorSource, "indicator_source"))
    #: A focus area id or an item id for survey sources; None when entered by hand.
    source_ref: Mapped[str | None] = mapped_column(String(100))
    direction: Mapped[Direction] = mapped_column(
        _enum(Direction, "indicator_direction"), default=Direction.HIGHER
    )
    unit: Mapped[str | None] = mapped_column(String(32))
    #: Hand-entered indicators only; survey figures are always read from the scored waves.
    baseline_value: Mapped[float | None] = mapped_column(Float)
    current_value: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    owner: Mapped[str]
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    data_source: Mapped[str]
    status: Mapped[ProgressStatus] = mapped_column(
        _enum(ProgressStatus, "progress_status"), default=ProgressStatus.NOT_STARTED
    )
    evidence: Mapped[str | None] = mapped_column(Text)

    strategy: Mapped[Strategy] = relationship(back_populates="indicators")


class CheckIn(Base):
    """A dated accountability check: progress notes and the status changes made at it."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text)
    #: [{"record": "strategy"|"indicator", "id", "name", "from", "to"}]
    status_changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    engagement: Mapped[Engagement] = relationship(back_populates="checkins")


class Training(Base):
    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint("attended IS NULL OR attended >= 0", name="attended_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    strategy_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategies.id", ondelete="SET NULL")
    )
    held_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str]
    audience: Mapped[str]
    attended: Mapped[int | None] = mapped_column(Integer)

    engagement: Mapped[Engagement] = relationship(back_populates="trainings")
    strategy: Mapped[Strategy | None] = relationship()


class Policy(Base):
    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    strategy_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategies.id", ondelete="SET NULL")
    )
    name: Mapped[str]
    status: Mapped[PolicyStatus] = mapped_column(
        _enum(PolicyStatus, "policy_status"), default=PolicyStatus.PROPOSED
    )
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)

    engagement: Mapped[Engagement] = relationship(back_populates="policies")
    strategy: Mapped[Strategy | None] = relationship()


class WorkingGroupMember(Base):
    """A member of the organization's internal working group; nothing to do with any response."""

    __tablename__ = "working_group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str]
    role: Mapped[str | None]
    contact: Mapped[str | None]

    engagement: Mapped[Engagement] = relationship(back_populates="members")


class Volunteer(Base):
    """An offer to join the working group, made on its own form.

    Random id, the organization, and what the person typed. No date or time, no session, draft,
    submission or response id: nothing that could be matched to a survey response.
    """

    __tablename__ = "volunteers"
    # As for responses: no SQLite rowid numbering offers in the order they were made.
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str]
    role: Mapped[str | None]
    contact: Mapped[str]
    message: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Who changed which program record, how, and when. Survey data never appears here."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Kept as text too, so the trail still reads if the account changes.
    user_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int | None] = mapped_column(Integer)
    #: {field: [old, new]}
    changes: Mapped[dict[str, Any]]
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
