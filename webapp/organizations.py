"""Partner organizations."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.errors import DomainError
from webapp.models import Organization

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
SECTORS = ("child-welfare", "education", "police", "juvenile-justice", "other")


def add_organization(
    session: Session, slug: str, name: str, sector: str | None = None
) -> Organization:
    if not SLUG_RE.match(slug):
        raise DomainError(
            f"organization slug {slug!r} must be lower-case letters, digits and dashes (max 64)"
        )
    if not name.strip():
        raise DomainError("an organization needs a name")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise DomainError("an organization name cannot hold control characters")
    if sector is not None and sector not in SECTORS:
        raise DomainError(f"sector {sector!r} is not one of {', '.join(SECTORS)}")
    if session.scalars(select(Organization).where(Organization.slug == slug)).first():
        raise DomainError(f"organization {slug!r} already exists")
    org = Organization(slug=slug, name=name.strip(), sector=sector)
    session.add(org)
    session.flush()
    return org


def find_organization(session: Session, slug: str) -> Organization:
    org = session.scalars(select(Organization).where(Organization.slug == slug)).first()
    if org is None:
        raise DomainError(f"no organization {slug!r}; add it first")
    return org
