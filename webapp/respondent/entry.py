"""Where a respondent came in: a wave's open link (`/s/<slug>`) or an invitation (`/i/<token>`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import abort, url_for
from sqlalchemy import select

from instrument import Instrument
from webapp.database import db_session
from webapp.instruments import model
from webapp.models import Draft, Invitation, Organization, Wave
from webapp.waves import token_hash

#: Link slugs and invitation tokens are URL-safe random strings.
KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,64}\Z")


@dataclass(frozen=True)
class Entry:
    """The link a respondent followed; every page of the survey is under it."""

    #: "s": the wave's open link; "i": an invitation.
    kind: str
    key: str
    wave: Wave
    organization: str
    inst: Instrument
    invitation_id: int | None = None
    invitation_used: bool = False

    def url(self, endpoint: str, **values: Any) -> str:
        return url_for(f"respondent.{endpoint}", kind=self.kind, key=self.key, **values)

    def owns(self, draft: Draft) -> bool:
        """Return whether a draft was started through this link."""
        return draft.wave_id == self.wave.id and draft.invitation_id == self.invitation_id


def find_entry(kind: str, key: str) -> Entry:
    """Return the entry of a link, or abort with 404."""
    if not KEY_RE.match(key):
        abort(404)
    s = db_session()
    invitation = None
    if kind == "s":
        wave = s.scalars(select(Wave).where(Wave.link_slug == key)).first()
    else:
        invitation = s.scalars(
            select(Invitation).where(Invitation.token_hash == token_hash(key))
        ).first()
        wave = s.get(Wave, invitation.wave_id) if invitation is not None else None
    if wave is None:
        abort(404)
    organization = s.get(Organization, wave.organization_id)
    return Entry(
        kind=kind,
        key=key,
        wave=wave,
        organization=organization.name if organization else "",
        inst=model(wave.instrument_version),
        invitation_id=invitation.id if invitation is not None else None,
        invitation_used=bool(invitation is not None and invitation.used),
    )
