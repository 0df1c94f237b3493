"""Scoring results for stored waves, computed once and cached until a new response arrives.

Rows are turned into a `scoring.ResponseTable` here, at the edge of the web app; everything
after that is the pure scoring module. The cache is per process and keyed by what changes a
result: the wave, its response count (responses are only ever added), its smallest group, the
language and the breakdowns. A new response changes the count, so the next request recomputes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

import instrument
import scoring
from webapp.instruments import model
from webapp.models import Response, Wave
from webapp.waves import response_count

T = TypeVar("T")

MAX_ENTRIES = 256
_all_caches: list[LruCache] = []


class LruCache:
    """A small thread-safe LRU cache; `clear_cache()` empties every one of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        _all_caches.append(self)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                value: T = self._data[key]
                return value
        value = compute()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_cache = LruCache(MAX_ENTRIES)


def clear_cache() -> None:
    """Empty the results cache and every cache built on it (the dashboards' charts)."""
    for cache in _all_caches:
        cache.clear()


@dataclass(frozen=True)
class WaveData:
    """One wave's instrument, response count and scored results."""

    wave_id: int
    label: str
    instrument: instrument.Instrument
    respondents: int
    min_group_size: int
    result: scoring.WaveResult


def _answers(session: Session, wave: Wave) -> list[dict[str, Any]]:
    return list(session.scalars(select(Response.answers).where(Response.wave_id == wave.id)))


def wave_table(session: Session, wave: Wave) -> scoring.ResponseTable:
    """Return a wave's stored answers as a scoring table."""
    inst = model(wave.instrument_version)
    return scoring.ResponseTable.from_answers(inst, _answers(session, wave), wave=wave.label)


def _table_cached(session: Session, wave: Wave, count: int) -> scoring.ResponseTable:
    key = ("table", wave.id, count, wave.instrument_version.content_hash)
    return _cache.get_or_compute(key, lambda: wave_table(session, wave))


def wave_data(
    session: Session,
    wave: Wave,
    *,
    language: str | None = None,
    by: Sequence[str] | None = None,
) -> WaveData:
    """Score a wave (cached); `by` defaults to every demographic item of its instrument."""
    inst = model(wave.instrument_version)
    count = response_count(session, wave)
    lang = language if language in inst.languages else inst.default_language
    breakdowns = tuple(item.id for item in inst.demographic_items) if by is None else tuple(by)
    key = ("wave", wave.id, count, wave.min_group_size, lang, breakdowns, inst.content_hash)

    def compute() -> WaveData:
        table = _table_cached(session, wave, count)
        result = scoring.score_wave(
            inst,
            table,
            label=wave.label,
            min_group_size=wave.min_group_size,
            by=breakdowns,
            language=lang,
        )
        return WaveData(wave.id, wave.label, inst, count, wave.min_group_size, result)

    return _cache.get_or_compute(key, compute)


def comparison(session: Session, baseline: Wave, followup: Wave) -> scoring.Comparison | None:
    """Compare two waves of the same instrument (cached); None when the instruments differ.

    The stricter of the two waves' smallest-group settings applies to both.
    """
    if baseline.instrument_version.content_hash != followup.instrument_version.content_hash:
        return None
    inst = model(baseline.instrument_version)
    counts = (response_count(session, baseline), response_count(session, followup))
    min_group = max(baseline.min_group_size, followup.min_group_size)
    key = ("compare", baseline.id, followup.id, counts, min_group, inst.content_hash)

    def compute() -> scoring.Comparison:
        return scoring.compare(
            inst,
            _table_cached(session, baseline, counts[0]),
            _table_cached(session, followup, counts[1]),
            min_group_size=min_group,
            baseline_label=baseline.label,
            followup_label=followup.label,
        )

    return _cache.get_or_compute(key, compute)


def score_report(
    session: Session,
    waves: Sequence[Wave],
    *,
    language: str | None = None,
    baseline: Wave | None = None,
    followup: Wave | None = None,
) -> scoring.ScoreReport:
    """Assemble a ScoreReport of stored waves (same instrument) for downloads and the report."""
    if not waves:
        raise ValueError("a report needs at least one wave")
    inst = model(waves[0].instrument_version)
    results = tuple(wave_data(session, w, language=language).result for w in waves)
    compared = (
        comparison(session, baseline, followup) if baseline is not None and followup else None
    )
    return scoring.ScoreReport(
        instrument_id=inst.id,
        instrument_version=inst.version,
        min_group_size=max(w.min_group_size for w in waves),
        waves=results,
        comparison=compared,
    )


def baseline_and_followup(waves: Sequence[Wave]) -> tuple[Wave, Wave] | None:
    """Pick an organization's baseline and 12-month waves by label, when both exist."""
    by_label = {w.label: w for w in waves}
    baseline = by_label.get(scoring.BASELINE)
    followup = by_label.get(scoring.FOLLOWUP)
    if baseline is None or followup is None:
        return None
    return baseline, followup
