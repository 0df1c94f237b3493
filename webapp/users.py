"""Accounts: CfJJ admins, organization leaders and working-group members."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.errors import DomainError
from webapp.models import Organization, Role, User
from webapp.security import hash_password, password_problem

EMAIL_RE = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def add_user(
    session: Session,
    email: str,
    password: str,
    role: Role,
    organization: Organization | None = None,
) -> User:
    email = normalize_email(email)
    if not EMAIL_RE.match(email):
        raise DomainError(f"{email!r} is not an email address")
    problem = password_problem(password)
    if problem:
        raise DomainError(problem)
    if role is Role.ADMIN and organization is not None:
        raise DomainError(
            "admins belong to CfJJ, not to an organization: leave the organization out"
        )
    if role is not Role.ADMIN and organization is None:
        raise DomainError(f"a {role.value} belongs to one organization: choose it")
    if session.scalars(select(User).where(func.lower(User.email) == email)).first():
        raise DomainError(f"a user {email} already exists")
    user = User(
        email=email, password_hash=hash_password(password), role=role, organization=organization
    )
    session.add(user)
    session.flush()
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == normalize_email(email))).first()
