"""Passwords (argon2id) and the login rate limit.

Werkzeug's default scrypt parameters are below OWASP's minimum, so passwords are hashed with
argon2id through argon2-cffi. Failed logins are counted in the database, so the limit holds
across server workers and restarts; the keys are keyed hashes, so the table holds no address
or email in the clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from webapp.models import LoginAttempt

# OWASP's first recommended argon2id configuration: m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


# A hash to verify against when the account does not exist, so timing does not reveal accounts.
DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def password_problem(password: str) -> str | None:
    """Return why a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    return None


def attempt_key(secret: str, kind: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


class LoginLimiter:
    """Allow at most `max_failures` failed logins per key in a window of `window` length."""

    def __init__(self, max_failures: int, window: dt.timedelta) -> None:
        self.max_failures = max_failures
        self.window = window

    def blocked(self, session: Session, keys: list[str], now: dt.datetime) -> bool:
        for key in keys:
            row = session.get(LoginAttempt, key)
            if row is None:
                continue
            if _aware(row.window_start) + self.window <= now:
                continue
            if row.failures >= self.max_failures:
                return True
        return False

    def record_failure(self, session: Session, keys: list[str], now: dt.datetime) -> None:
        for key in keys:
            row = session.get(LoginAttempt, key)
            if row is None:
                session.add(LoginAttempt(key=key, window_start=now, failures=1))
            elif _aware(row.window_start) + self.window <= now:
                row.window_start = now
                row.failures = 1
            else:
                row.failures += 1

    def reset(self, session: Session, keys: list[str]) -> None:
        for key in keys:
            row = session.get(LoginAttempt, key)
            if row is not None:
                session.delete(row)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes; everything here is stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
