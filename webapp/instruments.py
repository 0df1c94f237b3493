"""Instrument versions in the database: added once, immutable once a wave uses them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import instrument
from webapp.errors import DomainError
from webapp.models import InstrumentVersion, Wave


def add_version(session: Session, inst: instrument.Instrument) -> tuple[InstrumentVersion, bool]:
    """Store an instrument version; return it and whether it was new.

    Adding the same id and version again with the same content is a no-op. Different content
    under an existing id and version replaces it only while no wave uses it; after that, a changed
    document must be a new version.
    """
    existing = session.scalars(
        select(InstrumentVersion).where(
            InstrumentVersion.instrument_id == inst.id, InstrumentVersion.version == inst.version
        )
    ).first()
    if existing is not None:
        if existing.content_hash == inst.content_hash:
            return existing, False
        used = session.scalar(
            select(func.count()).select_from(Wave).where(Wave.instrument_version_id == existing.id)
        )
        if used:
            raise DomainError(
                f"{inst.key} is already used by {used} wave(s) and its content differs: "
                'a changed document must be a new version (change "version")'
            )
        _fill(existing, inst)
        return existing, True
    row = InstrumentVersion(instrument_id=inst.id, version=inst.version)
    _fill(row, inst)
    session.add(row)
    session.flush()
    return row, True


def _fill(row: InstrumentVersion, inst: instrument.Instrument) -> None:
    row.title = inst.title.get()
    row.content_hash = inst.content_hash
    row.document = instrument.dump(inst)


def find_version(session: Session, spec: str) -> InstrumentVersion:
    """Find `ID@VERSION`, or the newest version of `ID` (the last added)."""
    instrument_id, _, version = spec.partition("@")
    query = select(InstrumentVersion).where(InstrumentVersion.instrument_id == instrument_id)
    if version:
        query = query.where(InstrumentVersion.version == version)
    row = session.scalars(query.order_by(InstrumentVersion.id.desc())).first()
    if row is None:
        raise DomainError(f"no instrument {spec!r}; add it first")
    return row


_cache: dict[str, instrument.Instrument] = {}


def model(row: InstrumentVersion) -> instrument.Instrument:
    """Return the typed instrument of a stored version (cached by content hash)."""
    cached = _cache.get(row.content_hash)
    if cached is None:
        cached = instrument.load(row.document)
        _cache[row.content_hash] = cached
    return cached
