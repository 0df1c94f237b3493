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
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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

    @contextmanager
    def attempt(self, session: Session, keys: list[str], now: dt.datetime) -> Iterator[None]:
        """Hold the keys' rows for one sign-in attempt: locked inside, tidied on the way out.

        Concurrent attempts on one key count one after another: without the lock, parallel
        requests would all read the same count and all be checked against the password (and
        their inserts would collide). SQLite's write transactions are serialized already.
        """
        self._lock(session, keys, now)
        yield
        self._release(session, keys)

    def _lock(self, session: Session, keys: list[str], now: dt.datetime) -> None:
        """Give each key a row and lock the rows (in key order) until the transaction ends."""
        ordered = sorted(set(keys))
        insert = (
            postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        session.execute(
            insert(LoginAttempt)
            .values([{"key": key, "window_start": now, "failures": 0} for key in ordered])
            .on_conflict_do_nothing(index_elements=["key"])
        )
        session.execute(
            select(LoginAttempt)
            .where(LoginAttempt.key.in_(ordered))
            .order_by(LoginAttempt.key)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()

    def _release(self, session: Session, keys: list[str]) -> None:
        """Drop the rows `_lock` made that hold no failure, so the table keeps failures only."""
        session.execute(
            delete(LoginAttempt).where(LoginAttempt.key.in_(keys), LoginAttempt.failures == 0)
        )

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
