"""What every converter returns, and the error for input it cannot read at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ConversionError(ValueError):
    """The source cannot be converted at all (not JSON, not a workbook, no questions)."""


@dataclass(frozen=True)
class Conversion:
    """A `repp-instrument/1` document and one warning per element that was dropped or changed."""

    document: dict[str, Any]
    warnings: tuple[str, ...] = field(default=())
