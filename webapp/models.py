"""The database model (SQLAlchemy 2.0, typed).

Anonymity is designed into these tables: a response carries a random id, its wave, its language,
the date it was submitted (never a time of day) and the answers, and nothing else. Nothing links a
response to an invitation, a draft, a submission marker, a user or a request.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, str: String(255)}


class WaveStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEADER = "leader"
    #: A member of an organization's internal working group (the program year's records only).
    MEMBER = "member"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


def new_uuid() -> str:
    return str(uuid.uuid4())


class InstrumentVersion(Base):
    """One immutable version of an instrument: the canonical JSON and its content hash."""

    __tablename__ = "instrument_versions"
    __table_args__ = (UniqueConstraint("instrument_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    title: Mapped[str]
    content_hash: Mapped[str] = mapped_column(String(80))
    document: Mapped[dict[str, Any]]

    waves: Mapped[list[Wave]] = relationship(back_populates="instrument_version")

    @property
    def key(self) -> str:
        return f"{self.instrument_id}@{self.version}"


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str]
    sector: Mapped[str | None] = mapped_column(String(64))

    waves: Mapped[list[Wave]] = relationship(back_populates="organization", order_by="Wave.id")


class Wave(Base):
    """One administration of an instrument in an organization (e.g. `baseline`, `12-month`)."""

    __tablename__ = "waves"
    __table_args__ = (
        UniqueConstraint("organization_id", "label"),
        CheckConstraint("min_group_size >= 3", name="min_group_size_at_least_3"),
        CheckConstraint(
            "expected_headcount IS NULL OR expected_headcount > 0", name="headcount_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_versions.id"))
    label: Mapped[str] = mapped_column(String(64))
    status: Mapped[WaveStatus] = mapped_column(
        _enum(WaveStatus, "wave_status"), default=WaveStatus.DRAFT
    )
    opens_on: Mapped[dt.date | None] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    min_group_size: Mapped[int] = mapped_column(Integer, default=5)
    expected_headcount: Mapped[int | None] = mapped_column(Integer)
    # The open link's random slug (at least 128 bits).
    link_slug: Mapped[str] = mapped_column(String(64), unique=True)

    organization: Mapped[Organization] = relationship(back_populates="waves")
    instrument_version: Mapped[InstrumentVersion] = relationship(back_populates="waves")

    def accepting(self, today: dt.date) -> bool:
        """Return whether the wave takes responses on `today`."""
        if self.status is not WaveStatus.OPEN:
            return False
        if self.opens_on is not None and today < self.opens_on:
            return False
        return not (self.closes_on is not None and today > self.closes_on)


class Invitation(Base):
    """A single-use link. Only whether it was used is recorded: no response, no time."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    # sha256 of the token; the token itself is shown once, when the invitations are generated.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class Response(Base):
    """One submitted questionnaire. Random id; a date without time of day; the answers."""

    __tablename__ = "responses"
    # SQLite would otherwise number rows as they arrive (a hidden rowid): stored in the order of
    # their random ids instead, a table reveals nothing of who answered first.
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]]


class Submission(Base):
    """A marker that a form's submission id was stored, so a repeated POST stores nothing.

    It holds a hash of the submission id and the wave, and nothing that points to the response.
    """

    __tablename__ = "submissions"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)


class Draft(Base):
    """Answers between pages, under a random id; deleted when the response is stored."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]]
    # The furthest section index reached, so "resume" returns there.
    page: Mapped[int] = mapped_column(Integer, default=0)
    submission_id: Mapped[str] = mapped_column(String(64))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"))
    # A date, never a time of day.
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    organization: Mapped[Organization | None] = relationship()

    # Flask-Login's protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def can_see(self, organization_id: int) -> bool:
        return self.is_admin or self.organization_id == organization_id


class LoginAttempt(Base):
    """Failed logins per key (a keyed hash of an account or a client) in a time window.

    Kept in the database so the limit holds across server workers. Admin logins only: survey
    respondents never log in and nothing of theirs is here.
    """

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    failures: Mapped[int] = mapped_column(Integer, default=0)
