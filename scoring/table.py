"""`ResponseTable`: the responses to one instrument, column by column, in numpy arrays.

A table holds what scoring reads: likert answers as point values (NaN when missing) with a mask of
explicit not-applicable answers, single-choice answers as option indexes (-1 when unanswered),
multiple-choice answers as one boolean column per option, numbers (NaN when unanswered), and a
wave label per row. Free text is never kept. Rows are respondents, in the order given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from os import PathLike
from typing import IO, Any, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

from instrument import NOT_APPLICABLE, answer_problem, is_answered
from instrument.model import (
    AnyItem,
    Instrument,
    MultipleChoiceItem,
    NumberItem,
    SingleChoiceItem,
    TextItem,
)
from scoring.errors import ScoringInputError

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
IntArray: TypeAlias = npt.NDArray[np.int32]

#: The wave label of rows given without one.
DEFAULT_WAVE = ""

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class ResponseTable:
    """The responses to one instrument, one row per respondent; every array is read-only."""

    #: `Instrument.key` and `Instrument.content_hash` of the instrument the table was built for.
    instrument_key: str
    instrument_hash: str
    #: Every likert item, in document order, and its answers: point values, NaN when missing.
    likert_ids: tuple[str, ...]
    likert: FloatArray
    #: True where the answer was the explicit "not applicable" choice (also NaN in `likert`).
    not_applicable: BoolArray
    #: Every single-choice item, in document order, and its answers: option index, -1 unanswered.
    choice_ids: tuple[str, ...]
    choices: IntArray
    #: Every multiple-choice item -> rows × options, True where the option was chosen.
    selections: Mapping[str, BoolArray]
    #: Every number item, in document order, and its answers: NaN when unanswered.
    number_ids: tuple[str, ...]
    numbers: FloatArray
    #: The distinct wave labels in order of first appearance, and each row's index into them.
    wave_labels: tuple[str, ...]
    wave_codes: IntArray

    def __post_init__(self) -> None:
        rows = self.wave_codes.shape[0]
        shapes = {
            "likert": (self.likert.shape, (rows, len(self.likert_ids))),
            "not_applicable": (self.not_applicable.shape, (rows, len(self.likert_ids))),
            "choices": (self.choices.shape, (rows, len(self.choice_ids))),
            "numbers": (self.numbers.shape, (rows, len(self.number_ids))),
        }
        for name, (actual, expected) in shapes.items():
            if actual != expected:
                raise ValueError(f"ResponseTable.{name} has shape {actual}, expected {expected}")
        for name, matrix in self.selections.items():
            if matrix.shape[0] != rows:
                raise ValueError(f"ResponseTable.selections[{name!r}] has {matrix.shape[0]} rows")
        if rows and (self.wave_codes.min() < 0 or self.wave_codes.max() >= len(self.wave_labels)):
            raise ValueError("ResponseTable.wave_codes point outside wave_labels")
        for array in (
            self.likert,
            self.not_applicable,
            self.choices,
            self.numbers,
            self.wave_codes,
            *self.selections.values(),
        ):
            array.flags.writeable = False

    @cached_property
    def _likert_index(self) -> dict[str, int]:
        return {item_id: j for j, item_id in enumerate(self.likert_ids)}

    @cached_property
    def _choice_index(self) -> dict[str, int]:
        return {item_id: j for j, item_id in enumerate(self.choice_ids)}

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_answers(
        cls,
        instrument: Instrument,
        answers: Iterable[Mapping[str, Any]],
        wave: str | Sequence[str] = DEFAULT_WAVE,
    ) -> ResponseTable:
        """Build a table from stored answers (item id -> value), one mapping per respondent.

        Values are checked as the web app stores them (a point value or "na", an option value, a
        list of option values, a number, text); None, "" and [] are unanswered. `wave` is one
        label for every row or one label per row. Raise ScoringInputError naming the row (its
        0-based position in `answers`), the item and the value that does not fit.
        """
        rows = list(answers)
        waves = _wave_per_row(wave, len(rows))
        known = frozenset(item.id for item in instrument.items)
        for index, response in enumerate(rows):
            if known.issuperset(response):
                continue
            key = next(key for key in response if key not in known)
            raise ScoringInputError(
                f"response {index}: {key!r} is not an item of instrument {instrument.key}",
                row=index,
                column=key,
                value=response[key],
            )
        columns = {
            item.id: [response.get(item.id) for response in rows]
            for item in instrument.items
            if not isinstance(item, TextItem)
        }
        likert = instrument.likert_items
        singles = _single_items(instrument)
        multiples = _multiple_items(instrument)
        numbers = _number_items(instrument)
        n = len(rows)
        values = column_major((n, len(likert)), np.nan)
        na = column_major((n, len(likert)), False, bool)
        for j, item in enumerate(likert):
            # A not-applicable answer becomes +inf (no point value can be), then its mask.
            column = np.array(
                _StoredColumn(instrument, item, columns[item.id]).converted(_point_or_inf, np.nan)
            )
            na[:, j] = np.isposinf(column)
            column[na[:, j]] = np.nan
            values[:, j] = column
        choices = column_major((n, len(singles)), -1, np.int32)
        for j, single in enumerate(singles):
            position = {value: k for k, value in enumerate(single.option_values)}
            stored = _StoredColumn(instrument, single, columns[single.id])
            choices[:, j] = stored.converted(position.__getitem__, -1)
        selections: dict[str, BoolArray] = {}
        for multiple in multiples:
            position = {value: k for k, value in enumerate(multiple.option_values)}
            matrix = np.zeros((n, len(multiple.options)), dtype=bool)
            stored = _StoredColumn(instrument, multiple, columns[multiple.id])
            no_options: list[int] = []
            chosen = stored.converted(partial(_positions, position), no_options)
            for i, options in enumerate(chosen):
                matrix[i, options] = True
            selections[multiple.id] = matrix
        number_values = column_major((n, len(numbers)), np.nan)
        for j, number in enumerate(numbers):
            stored = _StoredColumn(instrument, number, columns[number.id])
            number_values[:, j] = stored.converted(float, np.nan)
        labels, codes = encode_waves(waves)
        return cls.build(
            instrument,
            likert=values,
            not_applicable=na,
            choices=choices,
            selections=selections,
            numbers=number_values,
            wave_labels=labels,
            wave_codes=codes,
        )

    @classmethod
    def from_csv(
        cls, instrument: Instrument, source: str | PathLike[str] | IO[str]
    ) -> tuple[ResponseTable, list[str]]:
        """Read a CSV file (a path, or a text stream) of responses; return the table and warnings.

        See `scoring.csv_input` for the format. Raise ScoringInputError naming the CSV line
        (the header is line 1), the column and the value of a cell that fits nothing.
        """
        from scoring.csv_input import read_csv

        return read_csv(instrument, source)

    @classmethod
    def build(
        cls,
        instrument: Instrument,
        *,
        likert: FloatArray,
        not_applicable: BoolArray,
        choices: IntArray,
        selections: Mapping[str, BoolArray],
        numbers: FloatArray,
        wave_labels: tuple[str, ...],
        wave_codes: IntArray,
    ) -> ResponseTable:
        """Assemble a table whose columns follow the instrument's items in document order."""
        return cls(
            instrument_key=instrument.key,
            instrument_hash=instrument.content_hash,
            likert_ids=tuple(item.id for item in instrument.likert_items),
            likert=likert,
            not_applicable=not_applicable,
            choice_ids=tuple(item.id for item in _single_items(instrument)),
            choices=choices,
            selections=dict(selections),
            number_ids=tuple(item.id for item in _number_items(instrument)),
            numbers=numbers,
            wave_labels=wave_labels,
            wave_codes=wave_codes,
        )

    # -- reading --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.wave_codes.shape[0])

    @property
    def waves(self) -> tuple[str, ...]:
        """The wave labels present, in order of first appearance."""
        return self.wave_labels

    def row_waves(self) -> list[str]:
        """Return each row's wave label."""
        return [self.wave_labels[code] for code in self.wave_codes.tolist()]

    def likert_column(self, item_id: str) -> FloatArray:
        """Return a likert item's point values (NaN when unanswered or not applicable)."""
        return self.likert[:, self._likert_index[item_id]]

    def not_applicable_column(self, item_id: str) -> BoolArray:
        return self.not_applicable[:, self._likert_index[item_id]]

    def likert_index(self, item_id: str) -> int:
        return self._likert_index[item_id]

    def choice_codes(self, item_id: str) -> IntArray:
        """Return a single-choice item's answers as option indexes, -1 when unanswered."""
        return self.choices[:, self._choice_index[item_id]]

    def take(self, rows: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> ResponseTable:
        """Return a table of some rows (a boolean mask or indexes); wave labels keep their order."""
        index = np.flatnonzero(rows) if rows.dtype == np.bool_ else np.asarray(rows, dtype=np.intp)
        codes = self.wave_codes[index]
        present = np.flatnonzero(np.bincount(codes, minlength=len(self.wave_labels)))
        labels = tuple(self.wave_labels[int(k)] for k in present)
        remap = np.full(max(len(self.wave_labels), 1), -1, dtype=np.int32)
        remap[present] = np.arange(len(present), dtype=np.int32)
        return ResponseTable(
            instrument_key=self.instrument_key,
            instrument_hash=self.instrument_hash,
            likert_ids=self.likert_ids,
            likert=_take_rows(self.likert, index),
            not_applicable=_take_rows(self.not_applicable, index),
            choice_ids=self.choice_ids,
            choices=_take_rows(self.choices, index),
            selections={k: _take_rows(v, index) for k, v in self.selections.items()},
            number_ids=self.number_ids,
            numbers=_take_rows(self.numbers, index),
            wave_labels=labels,
            wave_codes=remap[codes],
        )

    def wave(self, label: str) -> ResponseTable:
        """Return the rows of one wave."""
        if label not in self.wave_labels:
            known = ", ".join(repr(w) for w in self.wave_labels) or "none"
            raise ScoringInputError(f"no wave {label!r} in the responses (waves: {known})")
        return self.take(self.wave_codes == self.wave_labels.index(label))

    def check_instrument(self, instrument: Instrument) -> None:
        """Raise ScoringInputError unless the table was built for this very instrument."""
        if self.instrument_hash != instrument.content_hash:
            raise ScoringInputError(
                f"the responses were read for instrument {self.instrument_key}, "
                f"not {instrument.key} (or its content differs)"
            )


# -- helpers ----------------------------------------------------------------------------------

_Matrix = TypeVar("_Matrix", bound=np.ndarray[Any, Any])


def _take_rows(matrix: _Matrix, index: npt.NDArray[np.intp]) -> _Matrix:
    """Return some rows of a matrix, column-major: scoring reads tables a column at a time."""
    return np.take(matrix.T, index, axis=1).T  # type: ignore[return-value]


def column_major(shape: tuple[int, int], fill: Any, dtype: Any = np.float64) -> Any:
    """Return a new column-major matrix filled with one value."""
    return np.full(shape, fill, dtype=dtype, order="F")


def _single_items(instrument: Instrument) -> tuple[SingleChoiceItem, ...]:
    return tuple(i for i in instrument.items if isinstance(i, SingleChoiceItem))


def _multiple_items(instrument: Instrument) -> tuple[MultipleChoiceItem, ...]:
    return tuple(i for i in instrument.items if isinstance(i, MultipleChoiceItem))


def _number_items(instrument: Instrument) -> tuple[NumberItem, ...]:
    return tuple(i for i in instrument.items if isinstance(i, NumberItem))


def _wave_per_row(wave: str | Sequence[str], rows: int) -> list[str]:
    if isinstance(wave, str):
        return [wave] * rows
    waves = list(wave)
    if len(waves) != rows:
        raise ScoringInputError(f"{len(waves)} wave labels for {rows} responses")
    for index, label in enumerate(waves):
        if not isinstance(label, str):
            raise ScoringInputError(
                f"response {index}: the wave label {label!r} is not text",
                row=index,
                column="wave",
                value=label,
            )
    return waves


def encode_waves(labels: Sequence[str]) -> tuple[tuple[str, ...], IntArray]:
    """Return the distinct labels in order of first appearance and each row's index into them."""
    order: dict[str, int] = {}
    codes = np.fromiter(
        (order.setdefault(label, len(order)) for label in labels), dtype=np.int32, count=len(labels)
    )
    return tuple(order), codes


class _StoredColumn:
    """One item's stored answers, each distinct answer checked once."""

    def __init__(self, instrument: Instrument, item: AnyItem, answers: list[Any]) -> None:
        self.instrument = instrument
        self.item = item
        self.answers = answers

    def converted(self, convert: Callable[[Any], T], missing: T) -> list[T]:
        """Return `convert(answer)` for each row, `missing` for an unanswered one.

        Each distinct answer is checked and converted once; a bad one raises ScoringInputError
        naming its first row.
        """
        done: dict[tuple[type, Any], T] = {}
        out: list[T] = []
        for row, answer in enumerate(self.answers):
            kind = type(answer)
            key = (kind, answer) if kind in _SCALARS else _cache_key(answer)
            if key is not None and key in done:
                out.append(done[key])
                continue
            value = self._convert(row, answer, convert, missing)
            if key is not None:
                done[key] = value
            out.append(value)
        return out

    def _convert(self, row: int, answer: Any, convert: Callable[[Any], T], missing: T) -> T:
        if not is_answered(answer):
            return missing
        problem = _stored_problem(self.instrument, self.item, answer)
        if problem is not None:
            raise ScoringInputError(
                f"response {row}, item {self.item.id!r}: {problem}",
                row=row,
                column=self.item.id,
                value=answer,
            )
        return convert(answer)


def _positions(position: Mapping[str, int], answer: Iterable[str]) -> list[int]:
    return [position[option] for option in answer]


def _point_or_inf(answer: Any) -> float:
    return math.inf if answer == NOT_APPLICABLE else float(answer)


#: Answer types that always hash, keyed without a check.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _cache_key(answer: Any) -> tuple[type, Any] | None:
    """Return a key telling answers apart by type too (True is not 1), or None if unhashable."""
    key = (type(answer), tuple(answer) if isinstance(answer, list | tuple) else answer)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _stored_problem(instrument: Instrument, item: AnyItem, answer: Any) -> str | None:
    if isinstance(answer, float) and not math.isfinite(answer):
        return f"{answer!r} is not a finite number"
    return answer_problem(instrument, item, answer)


__all__ = ["DEFAULT_WAVE", "ResponseTable", "encode_waves"]
