"""Storing a response: all or nothing, once per submission id, with nothing that points back.

One write transaction stores the response, the submission marker (a hash of the form's random
submission id), marks the invitation used and deletes the draft. The marker's primary key makes a
repeated or concurrent POST of the same form store nothing: the later transaction either sees the
marker or fails on it and is rolled back whole.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

import instrument
from webapp.db import Database
from webapp.instruments import model
from webapp.models import Draft, Invitation, Response, Submission, Wave, new_uuid

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    STORED = "stored"
    #: This submission id was stored before: show the same thank-you page, store nothing.
    ALREADY_STORED = "already_stored"
    CLOSED = "closed"
    INVITATION_USED = "invitation_used"
    INVALID = "invalid"


@dataclass(frozen=True)
class StoreResult:
    outcome: Outcome
    #: `{item_id: problem}` when the answers do not fit the instrument.
    problems: Mapping[str, str] = field(default_factory=dict)


def submission_key(submission_id: str) -> str:
    """Return the stored form of a submission id: its sha256, so the marker names nothing."""
    return hashlib.sha256(submission_id.encode()).hexdigest()


def already_submitted(session: Session, submission_id: str) -> bool:
    return session.get(Submission, submission_key(submission_id)) is not None


def store_response(
    database: Database,
    *,
    wave_id: int,
    language: str,
    answers: Mapping[str, Any],
    submission_id: str,
    on: dt.date,
    invitation_id: int | None = None,
    draft_id: str | None = None,
) -> StoreResult:
    """Store one response, pruned to the items the respondent saw, or say why not."""
    try:
        with database.transaction() as session:
            result = _store(
                session,
                wave_id=wave_id,
                language=language,
                answers=answers,
                submission_id=submission_id,
                on=on,
                invitation_id=invitation_id,
                draft_id=draft_id,
            )
    except IntegrityError:
        # PostgreSQL: a concurrent transaction with the same submission id committed first and
        # this one failed on the marker's key. Anything else is a real error.
        with database.session() as session:
            if already_submitted(session, submission_id):
                return StoreResult(Outcome.ALREADY_STORED)
        raise
    if result.outcome is Outcome.STORED and invitation_id is not None and not database.is_sqlite:
        try:
            _rewrite_invitation(database, invitation_id)
        except SQLAlchemyError:
            # The response is stored; only the unlinking stamp is missing. Not the respondent's
            # problem: they see their thank-you page.
            log.exception("could not rewrite a used invitation")
    return result


def _store(
    session: Session,
    *,
    wave_id: int,
    language: str,
    answers: Mapping[str, Any],
    submission_id: str,
    on: dt.date,
    invitation_id: int | None,
    draft_id: str | None,
) -> StoreResult:
    key = submission_key(submission_id)
    if session.get(Submission, key) is not None:
        return StoreResult(Outcome.ALREADY_STORED)
    wave = session.get(Wave, wave_id)
    if wave is None or not wave.accepting(on):
        return StoreResult(Outcome.CLOSED)
    inst = model(wave.instrument_version)
    if language not in inst.languages:
        return StoreResult(Outcome.INVALID, {"language": f"{language!r} is not offered"})
    kept = instrument.prune(inst, answers)
    problems = instrument.response_problems(inst, kept)
    if problems:
        return StoreResult(Outcome.INVALID, problems)
    invitation = None
    if invitation_id is not None:
        # FOR UPDATE: two drafts of one invitation (two devices) cannot both be stored.
        invitation = session.scalars(
            select(Invitation).where(Invitation.id == invitation_id).with_for_update()
        ).first()
        if invitation is None or invitation.wave_id != wave.id:
            return StoreResult(Outcome.INVALID, {"invitation": "not an invitation of this wave"})
        if invitation.used:
            return StoreResult(Outcome.INVITATION_USED)
    session.add(Submission(key_hash=key, wave_id=wave.id))
    # Flushed first: a concurrent duplicate fails here, before anything else is written.
    session.flush()
    session.add(
        Response(id=new_uuid(), wave_id=wave.id, language=language, submitted_on=on, answers=kept)
    )
    if invitation is not None:
        invitation.used = True
    if draft_id is not None:
        session.execute(
            delete(Draft).where(Draft.id == draft_id).execution_options(synchronize_session=False)
        )
    return StoreResult(Outcome.STORED)


def _rewrite_invitation(database: Database, invitation_id: int) -> None:
    """Write the invitation's row again in a transaction of its own.

    PostgreSQL stamps every row version with the id of the transaction that wrote it (`xmin`);
    rows written together share it. Rewriting the invitation later gives its live row a stamp
    of its own, so the system columns do not pair an invitation with the response it led to.
    """
    with database.transaction() as session:
        session.execute(update(Invitation).where(Invitation.id == invitation_id).values(used=True))
