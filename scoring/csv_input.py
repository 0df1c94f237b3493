"""Read responses collected elsewhere (paper, other tools) from a CSV file into a `ResponseTable`.

The format: a header row, then one row per respondent. A column per item, named by its id; an
optional `wave` column (several waves in one file; without it every row is in the wave ""). A
likert cell holds a point value or its label in any of the instrument's languages, the
not-applicable label (or "na"), or nothing; a choice cell an option value or label, several
separated by ";"; a number cell a number; text cells are not read. Case and surrounding spaces do
not matter. Unknown columns are reported as warnings and ignored; rows with every cell empty are
skipped with a warning. A cell that fits nothing raises ScoringInputError with its CSV line number
(the header is line 1), column and value.

Speed: `scoring.csv_parse` turns every cell into a small integer code without a Python loop over
cells; each column's distinct texts are then read once here and mapped with numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import numpy.typing as npt

from instrument.model import (
    Instrument,
    LikertItem,
    MultipleChoiceItem,
    NumberItem,
    SingleChoiceItem,
    TextItem,
)
from scoring.cells import (
    LikertReader,
    MultipleChoiceReader,
    NumberReader,
    SingleChoiceReader,
    is_blank,
)
from scoring.csv_parse import Parsed, parse
from scoring.errors import CellError, ScoringInputError
from scoring.table import DEFAULT_WAVE, BoolArray, IntArray, ResponseTable

#: The name of the optional column holding each row's wave label (unless an item has this id).
WAVE_COLUMN = "wave"

_MAX_LISTED = 5
_T = TypeVar("_T")


def read_csv(
    instrument: Instrument, source: str | PathLike[str] | IO[str]
) -> tuple[ResponseTable, list[str]]:
    """Read a CSV of responses; return the table and the warnings (one line each)."""
    parsed = parse(*_read_source(source))
    warnings: list[str] = []
    try:
        columns = _classify(instrument, parsed.header, warnings)
        codes, texts = parsed.encode([j for j, c in enumerate(columns) if c.kind != "ignored"])
        rows = _respondent_rows(parsed, columns, codes, texts, warnings)
        if not rows.size:
            raise ScoringInputError(
                "the CSV file has no responses: every row after the header is empty"
            )
        if rows.size < parsed.rows:
            codes = np.asfortranarray(codes[rows])
        return _Filler(instrument, parsed, columns, codes, rows, texts).table(), warnings
    except ScoringInputError as exc:
        exc.warnings = warnings
        raise


def _read_source(source: str | PathLike[str] | IO[str]) -> tuple[str, bytes | None]:
    """Return the text of a CSV path or text stream (no byte-order mark) and its UTF-8 bytes."""
    if isinstance(source, str | PathLike):
        path = Path(source)
        try:
            data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
        except OSError as exc:
            raise ScoringInputError(f"cannot read {path}: {exc.strerror}") from None
        try:
            return data.decode("utf-8"), data
        except UnicodeDecodeError as exc:
            raise ScoringInputError(
                f"{path} is not UTF-8 text (byte {exc.start}): save the file as UTF-8 CSV"
            ) from None
    text = source.read()
    if not isinstance(text, str):
        raise ScoringInputError("the CSV source must be a text stream, not a binary one")
    text = text.removeprefix("\ufeff")
    try:
        return text, text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: leave the text to the string readers
        return text, None


def _respondent_rows(
    records: Parsed,
    columns: list[_Column],
    codes: IntArray,
    texts: list[str],
    warnings: list[str],
) -> npt.NDArray[np.intp]:
    """Return the rows that are respondents: spreadsheets leave rows with every cell empty."""
    blank = np.fromiter(map(is_blank, texts), dtype=bool, count=len(texts))
    empty: BoolArray = np.asarray(blank[codes].all(axis=1))
    ignored = [j for j, c in enumerate(columns) if c.kind == "ignored"]
    for row in np.flatnonzero(empty):
        if any(not is_blank(records.cell(int(row), j)) for j in ignored):
            empty[row] = False
    if empty.any():
        lines = [records.line(int(r)) for r in np.flatnonzero(empty)]
        shown = ", ".join(map(str, lines[:_MAX_LISTED]))
        more = ", ..." if len(lines) > _MAX_LISTED else ""
        warnings.append(f"skipped {len(lines)} row(s) with no answers (lines {shown}{more})")
    return np.flatnonzero(~empty)


class _Filler:
    """Turn the code matrix into the table's arrays, reading each column's distinct texts once."""

    def __init__(
        self,
        instrument: Instrument,
        records: Parsed,
        columns: list[_Column],
        codes: IntArray,
        rows: npt.NDArray[np.intp],
        texts: list[str],
    ) -> None:
        self.instrument = instrument
        self.records = records
        self.columns = [c for c in columns if c.kind != "ignored"]
        self.codes = codes
        self.rows = rows
        self.texts = texts

    def table(self) -> ResponseTable:
        instrument = self.instrument
        n, size = len(self.rows), len(self.texts)
        likert_items = instrument.likert_items
        singles = [i for i in instrument.items if isinstance(i, SingleChoiceItem)]
        number_items = [i for i in instrument.items if isinstance(i, NumberItem)]
        # Column-major: each column below is written in one contiguous stretch.
        likert = np.full((n, len(likert_items)), np.nan, order="F")
        not_applicable = np.zeros((n, len(likert_items)), dtype=bool, order="F")
        choices = np.full((n, len(singles)), -1, dtype=np.int32, order="F")
        numbers = np.full((n, len(number_items)), np.nan, order="F")
        selections: dict[str, BoolArray] = {
            i.id: np.zeros((n, len(i.options)), dtype=bool)
            for i in instrument.items
            if isinstance(i, MultipleChoiceItem)
        }
        position = {item.id: j for j, item in enumerate(likert_items)}
        position.update({item.id: j for j, item in enumerate(singles)})
        position.update({item.id: j for j, item in enumerate(number_items)})
        wave_labels: tuple[str, ...] = (DEFAULT_WAVE,)
        wave_codes: IntArray = np.zeros(n, dtype=np.int32)
        for j, column in enumerate(self.columns):
            col = self.codes[:, j]
            item = column.item
            if column.kind == "wave":
                wave_labels, wave_codes = _waves(col, dict(self._read(j, _wave_label)))
            elif isinstance(item, LikertItem):
                reader = LikertReader(instrument.scale(item.scale))
                value_lut = np.full(size, np.nan)
                na_lut = np.zeros(size, dtype=bool)
                for code, reading in self._read(j, reader.read):
                    value_lut[code] = reading.value
                    na_lut[code] = reading.not_applicable
                likert[:, position[item.id]] = value_lut[col]
                not_applicable[:, position[item.id]] = na_lut[col]
            elif isinstance(item, SingleChoiceItem):
                choice_lut = np.full(size, -1, dtype=np.int32)
                for code, index in self._read(j, SingleChoiceReader(item).read):
                    choice_lut[code] = index
                choices[:, position[item.id]] = choice_lut[col]
            elif isinstance(item, MultipleChoiceItem):
                chosen_lut = np.zeros((size, len(item.options)), dtype=bool)
                for code, chosen in self._read(j, MultipleChoiceReader(item).read):
                    chosen_lut[code, sorted(chosen)] = True
                selections[item.id] = chosen_lut[col]
            elif isinstance(item, NumberItem):
                number_lut = np.full(size, np.nan)
                for code, number in self._read(j, NumberReader(instrument, item).read):
                    number_lut[code] = number
                numbers[:, position[item.id]] = number_lut[col]
        return ResponseTable.build(
            instrument,
            likert=likert,
            not_applicable=not_applicable,
            choices=choices,
            selections=selections,
            numbers=numbers,
            wave_labels=wave_labels,
            wave_codes=wave_codes,
        )

    def _read(self, column: int, read: Callable[[str], _T]) -> list[tuple[int, _T]]:
        """Return (code, reading) for each distinct text of a column.

        When some texts do not fit, raise ScoringInputError for the one on the earliest row.
        """
        col = self.codes[:, column]
        present = np.flatnonzero(np.bincount(col, minlength=len(self.texts)))
        readings: list[tuple[int, _T]] = []
        problems: dict[int, str] = {}
        for code in map(int, present):
            try:
                readings.append((code, read(self.texts[code])))
            except CellError as exc:
                problems[code] = str(exc)
        if problems:
            bad = np.isin(col, list(problems))
            row = int(np.argmax(bad))
            code = int(col[row])
            raise self._error(column, row, code, problems[code])
        return readings

    def _error(self, column: int, row: int, code: int, problem: str) -> ScoringInputError:
        line = self.records.line(int(self.rows[row]))
        name = self.columns[column].name
        text = self.texts[code]
        if repr(text) not in problem:  # one part of a multiple-choice cell: show the whole cell too
            problem = f"{problem}; the cell reads {text!r}"
        return ScoringInputError(
            f"line {line} (the header is line {self.records.header_line}), "
            f"column {name!r}: {problem}",
            row=line,
            column=name,
            value=text,
        )


# -- reading and parsing ----------------------------------------------------------------------


# -- columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # "item", "wave" or "ignored"
    item: Any = None


def _classify(instrument: Instrument, header: list[str], warnings: list[str]) -> list[_Column]:
    columns: list[_Column] = []
    seen: dict[str, int] = {}
    has_wave_item = instrument.has_item(WAVE_COLUMN)
    for number, raw in enumerate(header, start=1):
        name = raw.strip()
        if name in seen:
            raise ScoringInputError(
                f"the header names column {name!r} twice (columns {seen[name]} and {number})",
                row=1,
                column=name,
            )
        seen[name] = number
        if not name:
            warnings.append(f"column {number} has no name in the header; ignored")
            columns.append(_Column(name, "ignored"))
        elif instrument.has_item(name):
            item = instrument.item(name)
            kind = "ignored" if isinstance(item, TextItem) else "item"
            columns.append(_Column(name, kind, item))
        elif name.casefold() == WAVE_COLUMN and not has_wave_item:
            columns.append(_Column(name, "wave"))
        else:
            warnings.append(
                f"column {name!r} is not an item of instrument {instrument.key}; ignored"
            )
            columns.append(_Column(name, "ignored"))
    missing = [
        item.id
        for item in instrument.items
        if isinstance(item, LikertItem | SingleChoiceItem)
        and (isinstance(item, LikertItem) or item.demographic)
        and item.id not in seen
    ]
    if missing:
        warnings.append(
            f"no column for item(s) {', '.join(missing)}: every answer to them counts as missing"
        )
    return columns


def _wave_label(text: str) -> str:
    label = text.strip()
    if not label:
        raise CellError("the wave label is empty: every row needs one when there is a wave column")
    return label


def _waves(col: IntArray, labels: dict[int, str]) -> tuple[tuple[str, ...], IntArray]:
    """Return the wave labels in order of first appearance and each row's index into them."""
    codes, first = np.unique(col, return_index=True)
    order: dict[str, int] = {}
    for code in codes[np.argsort(first, kind="stable")]:
        order.setdefault(labels[int(code)], len(order))
    lut = np.zeros(int(codes.max()) + 1 if codes.size else 1, dtype=np.int32)
    for code in codes:
        lut[code] = order[labels[int(code)]]
    return tuple(order), lut[col]


__all__ = ["WAVE_COLUMN", "read_csv"]
