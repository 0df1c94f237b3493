"""Rendered chart markup, kept per process under the same key as the results it draws.

Results are cached by `webapp.results` until a new response arrives; the charts drawn from them
cost more than the scoring itself, so pages keep their markup here under a key that holds the
results' own key (wave, response count, smallest group, languages, instrument hash).
`webapp.results.clear_cache()` empties this cache too.
"""

from __future__ import annotations

from webapp.results import LruCache

MAX_ENTRIES = 64

_charts = LruCache(MAX_ENTRIES)

cached = _charts.get_or_compute
clear = _charts.clear
