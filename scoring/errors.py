"""The one error type of scoring: input that cannot be scored as given."""

from __future__ import annotations


class ScoringInputError(ValueError):
    """Responses or options that do not fit the instrument.

    When the problem is one cell, `row` says where (a CSV line number for `from_csv`, the 0-based
    position in `answers` for `from_answers`), `column` names the column or item id and `value` is
    the offending value as given. `warnings` holds what the reader had noticed before it stopped
    (unknown columns, say), so a caller can show them beside the error.
    """

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.row = row
        self.column = column
        self.value = value
        self.warnings: list[str] = []


class CellError(ValueError):
    """Why one value does not fit its item; the caller adds where it was found."""
