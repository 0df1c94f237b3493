"""Drafts: a respondent's answers between pages, kept server-side under a random id.

The browser holds only the draft's id (in the session cookie, in the form, or in a resume link).
A draft carries dates and never a time of day; it lives `DRAFT_DAYS` days after its last save,
is deleted in the same transaction that stores its response, and expired drafts are purged
whenever a new draft is created.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from webapp import clock
from webapp.models import Draft

#: `secrets.token_urlsafe(24)`: 24 random bytes, 32 URL-safe characters.
RANDOM_ID_RE = re.compile(r"[A-Za-z0-9_-]{32}\Z")


def today() -> dt.date:
    """Return today's date: the only notion of time a respondent's data ever carries."""
    return clock.today()


def new_random_id() -> str:
    """Return a random id for a draft or a submission (192 bits)."""
    return secrets.token_urlsafe(24)


def is_random_id(value: object) -> bool:
    """Return whether `value` has the shape of an id from `new_random_id`."""
    return isinstance(value, str) and RANDOM_ID_RE.match(value) is not None


def expiry(on: dt.date, days: int) -> dt.date:
    """Return the last day a draft saved on `on` may be resumed."""
    return on + dt.timedelta(days=days)


def is_expired(draft: Draft, on: dt.date) -> bool:
    return draft.expires_on < on


def create_draft(
    session: Session,
    wave_id: int,
    language: str,
    *,
    on: dt.date,
    days: int,
    invitation_id: int | None = None,
) -> Draft:
    """Create an empty draft with its own random submission id; purge expired drafts first."""
    purge_expired_drafts(session, on)
    draft = Draft(
        id=new_random_id(),
        wave_id=wave_id,
        language=language,
        answers={},
        page=0,
        submission_id=new_random_id(),
        invitation_id=invitation_id,
        expires_on=expiry(on, days),
    )
    session.add(draft)
    session.flush()
    return draft


def find_draft(session: Session, draft_id: object) -> Draft | None:
    """Return the draft with this id (expired or not), or None; malformed ids find nothing."""
    if not is_random_id(draft_id):
        return None
    return session.get(Draft, draft_id)


def save_draft(
    draft: Draft, answers: Mapping[str, Any], *, page: int, on: dt.date, days: int
) -> None:
    """Replace the draft's answers, remember the furthest page reached and extend its life."""
    draft.answers = dict(answers)
    draft.page = max(draft.page, page)
    draft.expires_on = expiry(on, days)


def purge_expired_drafts(session: Session, today: dt.date) -> int:
    """Delete every draft that expired before `today`; return how many were deleted."""
    result = session.execute(
        delete(Draft).where(Draft.expires_on < today).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
