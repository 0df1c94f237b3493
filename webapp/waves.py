"""Survey waves: creation, opening and closing, the open link and single-use invitations."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.errors import DomainError
from webapp.models import InstrumentVersion, Invitation, Organization, Response, Wave, WaveStatus

LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
MAX_INVITATIONS = 10_000


def new_slug() -> str:
    """Return a random link slug: 24 random bytes (192 bits), URL-safe."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_wave(
    session: Session,
    organization: Organization,
    version: InstrumentVersion,
    label: str,
    *,
    min_group_size: int = 5,
    expected_headcount: int | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    status: WaveStatus = WaveStatus.DRAFT,
) -> Wave:
    if not LABEL_RE.match(label):
        raise DomainError(
            f"wave label {label!r} must start with a letter or digit and use letters, digits, "
            "spaces, '.', '_' or '-' (max 64)"
        )
    if min_group_size < 3:
        raise DomainError("min_group_size must be at least 3")
    if expected_headcount is not None and expected_headcount < 1:
        raise DomainError("the expected headcount must be at least 1")
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError("the wave closes before it opens")
    clash = session.scalars(
        select(Wave).where(Wave.organization_id == organization.id, Wave.label == label)
    ).first()
    if clash:
        raise DomainError(f"{organization.slug} already has a wave labelled {label!r}")
    wave = Wave(
        organization=organization,
        instrument_version=version,
        label=label,
        status=status,
        min_group_size=min_group_size,
        expected_headcount=expected_headcount,
        opens_on=opens_on,
        closes_on=closes_on,
        link_slug=new_slug(),
    )
    session.add(wave)
    session.flush()
    return wave


def set_status(wave: Wave, status: WaveStatus) -> None:
    if wave.status is WaveStatus.CLOSED and status is WaveStatus.DRAFT:
        raise DomainError("a closed wave cannot go back to draft")
    wave.status = status


def generate_invitations(session: Session, wave: Wave, count: int) -> list[str]:
    """Create `count` single-use invitation tokens; only their hashes are stored."""
    if not 1 <= count <= MAX_INVITATIONS:
        raise DomainError(f"generate between 1 and {MAX_INVITATIONS} invitations at a time")
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    session.add_all(Invitation(wave_id=wave.id, token_hash=token_hash(t)) for t in tokens)
    session.flush()
    return tokens


def find_wave(session: Session, wave_id: int) -> Wave:
    wave = session.get(Wave, wave_id)
    if wave is None:
        raise DomainError(f"no wave {wave_id}")
    return wave


def response_count(session: Session, wave: Wave) -> int:
    return session.scalar(select(func.count()).where(Response.wave_id == wave.id)) or 0


def invitation_counts(session: Session, wave: Wave) -> tuple[int, int]:
    """Return (invitations, used invitations) of a wave."""
    total = session.scalar(select(func.count()).where(Invitation.wave_id == wave.id)) or 0
    used = (
        session.scalar(
            select(func.count()).where(Invitation.wave_id == wave.id, Invitation.used.is_(True))
        )
        or 0
    )
    return total, used


def link_path(wave: Wave) -> str:
    return f"/s/{wave.link_slug}"


def invitation_path(token: str) -> str:
    return f"/i/{token}"
