"""The raw export (admins only, from the CLI): responses as the CSV that `repp score` reads."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import instrument
from webapp.instruments import model
from webapp.models import Response, Wave


def cell(inst: instrument.Instrument, item: instrument.AnyItem, value: Any) -> str:
    """Write one answer as `repp score` reads it: values, the N/A label, `;`-joined choices."""
    if value is None:
        return ""
    if isinstance(item, instrument.LikertItem) and value == instrument.NOT_APPLICABLE:
        label = inst.scale(item.scale).not_applicable
        return label.get() if label is not None else ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def write_csv(
    inst: instrument.Instrument,
    rows: Iterable[tuple[str, Mapping[str, Any]]],
    out: io.TextIOBase | Any,
) -> int:
    """Write `(wave label, answers)` rows with a header; return how many were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["wave", *(item.id for item in inst.items)])
    count = 0
    for label, answers in rows:
        writer.writerow([label, *(cell(inst, item, answers.get(item.id)) for item in inst.items)])
        count += 1
    return count


def export_wave(session: Session, wave: Wave, out: Any, *, rng: random.Random | None = None) -> int:
    """Write a wave's responses, shuffled so the order reveals nothing; return the count."""
    inst = model(wave.instrument_version)
    answers = list(session.scalars(select(Response.answers).where(Response.wave_id == wave.id)))
    (rng or random.SystemRandom()).shuffle(answers)
    return write_csv(inst, ((wave.label, a) for a in answers), out)
