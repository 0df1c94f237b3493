"""The bundled questionnaires: JSON data shipped with repp, read through importlib.resources."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import instrument

#: Files in this package that are not instruments.
_NOT_INSTRUMENTS = {"instrument.schema.json"}


def _instrument_files() -> list[resources.abc.Traversable]:
    root = resources.files(__name__)
    return sorted(
        (f for f in root.iterdir() if f.name.endswith(".json") and f.name not in _NOT_INSTRUMENTS),
        key=lambda f: f.name,
    )


def list_bundled() -> list[str]:
    """Return the ids of the bundled instruments, sorted."""
    return [f.name.removesuffix(".json") for f in _instrument_files()]


def read(instrument_id: str) -> dict[str, Any]:
    """Return the raw JSON document of a bundled instrument."""
    for f in _instrument_files():
        if f.name == f"{instrument_id}.json":
            data: dict[str, Any] = json.loads(f.read_text(encoding="utf-8"))
            return data
    raise KeyError(f"no bundled instrument {instrument_id!r}; bundled: {', '.join(list_bundled())}")


def load(instrument_id: str) -> instrument.Instrument:
    """Return a bundled instrument, validated."""
    return instrument.load(read(instrument_id))
