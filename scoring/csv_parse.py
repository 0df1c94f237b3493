"""Split CSV text into a header and a matrix of cell codes, fast, remembering where each row was.

`parse` returns a `Parsed`: the header, the number of data rows, the line each row starts on
(blank lines and line breaks inside quoted cells counted) and `encode`, which turns the cells of
chosen columns into a rows × columns matrix of small integer codes plus the text of each code.
Equal texts get equal codes, so the caller interprets each distinct text once.

Three readers, chosen by what the file holds, give the same result:

- a plain file (no quote character, no blank line, mostly one-character cells, as tools write
  point values) is split on its bytes with numpy: a one-character cell is coded by its byte,
  without a Python string, and only longer cells of the columns asked for go through a
  dictionary;
- another file without quotes is split with `str.split`, which reads it exactly as the csv module
  would and several times faster, a chunk of rows at a time, each cell coded with one dictionary
  lookup in C (`map` over the bound `__getitem__`);
- anything quoted goes through the csv module, a chunk of rows at a time, coded the same way.

Working a chunk at a time keeps memory to a small multiple of the file's size.
Blank lines are skipped (they are not respondents); the header is the first non-blank line.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import methodcaller
from typing import TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

from scoring.errors import ScoringInputError

IntArray: TypeAlias = npt.NDArray[np.int32]


_K = TypeVar("_K", bound=Hashable)


class _Codes(dict[_K, int]):
    """Key -> a dense code from `start`, handing out the next code to each new key."""

    def __init__(self, start: int = 0) -> None:
        super().__init__()
        self.start = start

    def __missing__(self, key: _K) -> int:
        code = self[key] = self.start + len(self)
        return code


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: millions of new strings and lists, and no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Parsed(ABC):
    """A parsed CSV file: its header and data rows."""

    header: list[str]
    rows: int

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    @abstractmethod
    def header_line(self) -> int:
        """Return the 1-based line of the header."""

    @abstractmethod
    def line(self, row: int) -> int:
        """Return the 1-based line on which a data row starts."""

    @abstractmethod
    def cell(self, row: int, column: int) -> str:
        """Return the text of one cell."""

    @abstractmethod
    def encode(self, columns: Sequence[int]) -> tuple[IntArray, list[str]]:
        """Return a column-major rows × columns matrix of codes and each code's text."""

    def check_widths(self, widths: Iterable[int]) -> None:
        """Raise ScoringInputError at the first row whose number of cells is not the header's."""
        for row, width in enumerate(widths):
            if width != self.width:
                line = self.line(row)
                raise ScoringInputError(
                    f"line {line} has {width} cells but the header has {self.width} columns "
                    f"(the header is line {self.header_line})",
                    row=line,
                )

    def check_not_empty(self) -> None:
        if not self.rows:
            raise ScoringInputError(
                "the CSV file has a header but no responses: expected one row per respondent "
                "after the header"
            )


def parse(text: str, data: bytes | None = None) -> Parsed:
    """Parse CSV text; `data`, the same text in UTF-8, lets a plain file use the byte reader."""
    if '"' not in text:
        plain = text.replace("\r\n", "\n") if "\r" in text else text
        if "\r" not in plain:
            if data is not None:
                parsed = _ByteRecords.parse(text, plain, data)
                if parsed is not None:
                    return parsed
            return _parse_plain(text, plain)
    return _parse_quoted(text)


# -- the string readers -----------------------------------------------------------------------


#: Rows split and coded at a time by the string readers: memory stays bounded by a chunk.
_ROWS_PER_CHUNK = 8192


class _Records(Parsed):
    """What the two string readers share: where each row is in the file."""

    def __init__(
        self, text: str, header: list[str], header_record: int, row_records: list[int] | None
    ) -> None:
        self.text = text
        self.header = header
        #: the record number (0-based, blank lines included) of the header and of each data row;
        #: None when the rows directly follow the header
        self.header_record = header_record
        self.row_records = row_records
        self.rows = 0
        self._starts: list[int] | None = None

    @property
    def header_line(self) -> int:
        return self._line_of_record(self.header_record)

    def line(self, row: int) -> int:
        if self.row_records is None:
            return self._line_of_record(self.header_record + 1 + row)
        return self._line_of_record(self.row_records[row])

    def _line_of_record(self, record: int) -> int:
        # Records and lines coincide unless a quoted cell spans lines; only then count again.
        if '"' not in self.text:
            return record + 1
        if self._starts is None:
            reader = csv.reader(io.StringIO(self.text, newline=""), strict=False)
            starts: list[int] = []
            previous = 0
            for _ in reader:
                starts.append(previous + 1)
                previous = reader.line_num
            self._starts = starts
        return self._starts[record]


class _LineRecords(_Records):
    """A file without quotes: its data lines, split into cells a chunk of rows at a time."""

    lines: list[str]

    def cell(self, row: int, column: int) -> str:
        return self.lines[row].split(",")[column]

    def encode(self, columns: Sequence[int]) -> tuple[IntArray, list[str]]:
        chosen = set(columns)
        if list(columns) != sorted(chosen):
            raise ValueError("columns must be given in increasing order")
        mask = [j in chosen for j in range(self.width)]
        codes: _Codes[str] = _Codes()
        out = np.empty((self.rows, len(chosen)), dtype=np.int32, order="F")
        with _no_gc():
            for first in range(0, self.rows, _ROWS_PER_CHUNK):
                block = self.lines[first : first + _ROWS_PER_CHUNK]
                cells: Iterable[str] = ",".join(block).split(",")
                if not all(mask):
                    cells = itertools.compress(cells, itertools.cycle(mask))
                flat = np.fromiter(
                    map(codes.__getitem__, cells), dtype=np.int32, count=len(block) * len(chosen)
                )
                out[first : first + len(block)] = flat.reshape(len(block), len(chosen))
        return out, list(codes)


class _CsvRecords(_Records):
    """A file with quotes, read by the csv module, every cell coded as it is read."""

    codes: IntArray
    texts: list[str]

    def cell(self, row: int, column: int) -> str:
        return self.texts[int(self.codes[row, column])]

    def encode(self, columns: Sequence[int]) -> tuple[IntArray, list[str]]:
        return np.asfortranarray(self.codes[:, list(columns)]), self.texts


def _parse_plain(text: str, plain: str) -> _LineRecords:
    lines = plain.split("\n")
    if lines[-1] == "":
        lines.pop()
    header_record = _header_record(lines)
    data = lines[header_record + 1 :]
    row_records = None
    if "" in data:  # blank lines are not respondents; remember where the others were
        row_records = [header_record + 1 + i for i, line in enumerate(data) if line]
        data = [line for line in data if line]
    records = _LineRecords(text, lines[header_record].split(","), header_record, row_records)
    records.lines = data
    records.rows = len(data)
    records.check_not_empty()
    if set(map(methodcaller("count", ","), data)) != {records.width - 1}:
        records.check_widths(line.count(",") + 1 for line in data)
    return records


def _parse_quoted(text: str) -> _CsvRecords:
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    codes: _Codes[str] = _Codes()
    blocks: list[IntArray] = []
    records: _CsvRecords | None = None
    row_records: list[int] = []
    seen = 0  # records read so far, blank ones included
    with _no_gc():
        while True:
            try:
                chunk = list(itertools.islice(reader, _ROWS_PER_CHUNK))
            except csv.Error as exc:
                raise ScoringInputError(f"line {reader.line_num}: not valid CSV: {exc}") from None
            if not chunk:
                break
            first, seen = seen, seen + len(chunk)
            rows = [(first + i, row) for i, row in enumerate(chunk) if row]
            if records is None and rows:
                (header_record, header), rows = rows[0], rows[1:]
                records = _CsvRecords(text, header, header_record, row_records)
            if records is None:
                continue
            for record, row in rows:
                if len(row) != records.width:
                    line = records._line_of_record(record)
                    raise ScoringInputError(
                        f"line {line} has {len(row)} cells but the header has {records.width} "
                        f"columns (the header is line {records.header_line})",
                        row=line,
                    )
            row_records.extend(record for record, _ in rows)
            cells = itertools.chain.from_iterable(row for _, row in rows)
            flat = np.fromiter(
                map(codes.__getitem__, cells), dtype=np.int32, count=len(rows) * records.width
            )
            blocks.append(flat.reshape(len(rows), records.width))
    if records is None:
        _header_record([])  # raises: the file is empty
        raise AssertionError("unreachable")  # pragma: no cover
    records.rows = len(row_records)
    records.check_not_empty()
    records.codes = np.concatenate(blocks) if blocks else np.zeros((0, records.width), np.int32)
    records.texts = list(codes)
    return records


def _header_record(records: Sequence[object]) -> int:
    for index, record in enumerate(records):
        if record:
            return index
    raise ScoringInputError(
        "the CSV file is empty: expected a header row naming the item columns "
        "(and optionally a wave column), then one row per respondent"
    )


# -- the byte reader --------------------------------------------------------------------------

#: Above this share of longer cells (among the columns asked for) str.split is faster.
LONG_SHARE = 0.4
_NEWLINE, _COMMA = 10, 44
#: Byte reader codes: 0 is the empty text, 1 + b the one-byte text chr(b), then longer texts.
_FIRST_LONG = 129


class _ByteRecords(Parsed):
    """A plain file split on its bytes: the end of every data cell, in file order."""

    def __init__(
        self, text: str, plain: str, data: bytes, header: list[str], ends: npt.NDArray[np.int64]
    ) -> None:
        self.text, self.plain, self.data = text, plain, data
        self.header = header
        self.rows = (ends.size - len(header)) // len(header)
        # every cell starts just after the separator that ends the cell before it
        self.ends = ends[len(header) :]
        self.starts = ends[len(header) - 1 : -1] + 1

    @classmethod
    def parse(cls, text: str, plain: str, data: bytes) -> _ByteRecords | None:
        """Return the byte reader's records, or None when the file has blank lines."""
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
        if not data.endswith(b"\n"):
            data += b"\n"
        raw = np.frombuffer(data, dtype=np.uint8)
        newline = raw == _NEWLINE
        ends = np.flatnonzero(newline | (raw == _COMMA))
        line_ends = np.flatnonzero(newline[ends])  # the index of each line's last cell
        per_line = np.diff(line_ends, prepend=-1)
        # A blank line is a line of one empty cell: a newline right after a newline (or first).
        if newline[0] or bool(np.any(newline[ends[line_ends[:-1]] + 1])):
            return None
        header = plain.split("\n", 1)[0].split(",")
        records = cls(text, plain, data, header, ends)
        if np.any(per_line[1:] != len(header)):
            records.check_widths(int(width) for width in per_line[1:])
        records.check_not_empty()
        return records

    @property
    def header_line(self) -> int:
        return 1

    def line(self, row: int) -> int:
        return row + 2  # no blank lines and no quoted line breaks, or this reader is not used

    def cell(self, row: int, column: int) -> str:
        index = row * self.width + column
        return self.data[int(self.starts[index]) : int(self.ends[index])].decode("utf-8")

    def encode(self, columns: Sequence[int]) -> tuple[IntArray, list[str]]:
        raw = np.frombuffer(self.data, dtype=np.uint8)
        lengths = self.ends - self.starts
        wanted = np.zeros(self.width, dtype=bool)
        wanted[list(columns)] = True
        long = np.flatnonzero((lengths > 1) & np.tile(wanted, self.rows))
        if long.size > LONG_SHARE * self.rows * len(columns):
            return _parse_plain(self.text, self.plain).encode(columns)
        codes = np.where(lengths == 1, raw[self.starts].astype(np.int32) + 1, 0).astype(np.int32)
        longer: _Codes[bytes] = _Codes(_FIRST_LONG)
        if long.size:
            data = self.data
            spans = zip(self.starts[long].tolist(), self.ends[long].tolist(), strict=True)
            with _no_gc():
                cells = [data[start:end] for start, end in spans]
                codes[long] = np.fromiter(
                    map(longer.__getitem__, cells), dtype=np.int32, count=long.size
                )
        texts = ["", *map(chr, range(_FIRST_LONG - 1))]
        texts += [key.decode("utf-8") for key in longer]
        matrix = codes.reshape(self.rows, self.width)[:, list(columns)]
        return np.asfortranarray(matrix), texts
