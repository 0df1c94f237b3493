"""Rendered chart markup, kept per process under the same key as the results it draws.

Results are cached by `webapp.results` until a new response arrives; the charts drawn from them
cost more than the scoring itself, so pages keep their markup here under a key that holds the
results' own key (wave, response count, smallest group, languages, instrument hash).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 64

_lock = threading.Lock()
_entries: OrderedDict[Hashable, Any] = OrderedDict()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """Return the value under `key`, computing and keeping it when missing (least recent out)."""
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            value: T = _entries[key]
            return value
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
