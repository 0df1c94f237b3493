"""How a cell of text (a CSV cell) reads as an answer to one item.

Every reader normalizes the text the same way (surrounding and repeated whitespace dropped,
case folded) and accepts an item's stored values as well as its labels in any of the instrument's
languages. A text that could mean two different answers is refused rather than guessed.
Readers are called once per distinct text of a column, never once per cell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from instrument import NOT_APPLICABLE, answer_problem
from instrument.model import (
    Instrument,
    LikertItem,
    MultipleChoiceItem,
    NumberItem,
    Option,
    Scale,
    SingleChoiceItem,
)
from scoring.errors import CellError

#: Separates the choices of a multiple-choice cell.
CHOICE_SEPARATOR = ";"


def normalize(text: str) -> str:
    """Return text with surrounding and repeated whitespace removed and case folded."""
    return " ".join(text.split()).casefold()


def is_blank(text: str) -> bool:
    return not text.strip()


def _as_whole_number(key: str) -> int | None:
    """Return the whole number a text spells ("4", "+4", "4.0"), or None."""
    try:
        number = float(key)
    except ValueError:
        return None
    if not math.isfinite(number) or not number.is_integer():
        return None
    return int(number)


@dataclass
class _Keys:
    """Normalized text -> meaning, remembering texts that mean two different things."""

    meanings: dict[str, object] = field(default_factory=dict)
    ambiguous: dict[str, list[object]] = field(default_factory=dict)

    def add(self, text: str, meaning: object) -> None:
        key = normalize(text)
        if key in self.ambiguous:
            if meaning not in self.ambiguous[key]:
                self.ambiguous[key].append(meaning)
        elif key in self.meanings and self.meanings[key] != meaning:
            self.ambiguous[key] = [self.meanings.pop(key), meaning]
        else:
            self.meanings[key] = meaning


@dataclass(frozen=True)
class LikertReading:
    """A likert cell: its point value, or NaN with `not_applicable` telling the two missings apart."""

    value: float
    not_applicable: bool


class LikertReader:
    """Read a likert cell: a point value, a point label, the not-applicable label, or blank."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        keys = _Keys()
        for point in scale.points:
            for _, text in point.label.translations:
                keys.add(text, point.value)
        if scale.not_applicable is not None:
            keys.add(NOT_APPLICABLE, NOT_APPLICABLE)
            for _, text in scale.not_applicable.translations:
                keys.add(text, NOT_APPLICABLE)
        self.keys = keys

    def read(self, text: str) -> LikertReading:
        key = normalize(text)
        if not key:
            return LikertReading(math.nan, False)
        number = _as_whole_number(key)
        label_meaning = self.keys.meanings.get(key)
        if number is not None:
            if label_meaning is not None and label_meaning != number:
                raise CellError(
                    f"{text!r} is ambiguous: point value {number} and the label of "
                    f"{_meaning_name(label_meaning)} of scale {self.scale.id!r}"
                )
            if number in self.scale.values:
                return LikertReading(float(number), False)
            raise CellError(
                f"{text!r} is not a point of scale {self.scale.id!r} ({self._expected()})"
            )
        if key in self.keys.ambiguous:
            meanings = ", ".join(_meaning_name(m) for m in self.keys.ambiguous[key])
            raise CellError(f"{text!r} is ambiguous in scale {self.scale.id!r}: {meanings}")
        if label_meaning == NOT_APPLICABLE:
            return LikertReading(math.nan, True)
        if isinstance(label_meaning, int):
            return LikertReading(float(label_meaning), False)
        raise CellError(f"{text!r} is not a point of scale {self.scale.id!r} ({self._expected()})")

    def _expected(self) -> str:
        scale = self.scale
        first = scale.points[0].label.get()
        parts = [
            f"expected a point value {', '.join(map(str, scale.values))}",
            f"a label such as {first!r}",
        ]
        if scale.not_applicable is not None:
            parts.append(f"{scale.not_applicable.get()!r}")
        parts.append("or nothing")
        return ", ".join(parts)


def _meaning_name(meaning: object) -> str:
    return "not applicable" if meaning == NOT_APPLICABLE else f"point {meaning}"


class ChoiceReader:
    """Read one option of a choice item: its value (exactly, then in any case) or its label."""

    def __init__(self, item_id: str, options: tuple[Option, ...]) -> None:
        self.item_id = item_id
        self.options = options
        self.exact = {option.value.strip(): index for index, option in enumerate(options)}
        self.values = _Keys()
        self.labels = _Keys()
        for index, option in enumerate(options):
            self.values.add(option.value, index)
            for _, text in option.label.translations:
                self.labels.add(text, index)

    def read_option(self, text: str) -> int | None:
        """Return the option index a text names, None when blank; raise CellError otherwise."""
        stripped = text.strip()
        if not stripped:
            return None
        if stripped in self.exact:
            return self.exact[stripped]
        key = normalize(text)
        for keys in (self.values, self.labels):
            if key in keys.meanings:
                meaning = keys.meanings[key]
                assert isinstance(meaning, int)  # noqa: S101 - option indexes only
                return meaning
            if key in keys.ambiguous:
                names = ", ".join(
                    repr(self.options[int(str(m))].value) for m in keys.ambiguous[key]
                )
                raise CellError(f"{text!r} is ambiguous: it could be option {names}")
        raise CellError(f"{text!r} is not an option of {self.item_id!r} ({self._expected()})")

    def _expected(self) -> str:
        values = ", ".join(repr(o.value) for o in self.options)
        return f"expected one of {values}, an option label, or nothing"


class SingleChoiceReader(ChoiceReader):
    def __init__(self, item: SingleChoiceItem) -> None:
        super().__init__(item.id, item.options)

    def read(self, text: str) -> int:
        """Return the option index, or -1 when blank."""
        index = self.read_option(text)
        return -1 if index is None else index


class MultipleChoiceReader(ChoiceReader):
    def __init__(self, item: MultipleChoiceItem) -> None:
        super().__init__(item.id, item.options)

    def read(self, text: str) -> frozenset[int]:
        """Return the chosen option indexes: the whole text as one option, else split on `;`."""
        try:
            single = self.read_option(text)
        except CellError:
            single = None
            parts: Iterable[str] = text.split(CHOICE_SEPARATOR)
        else:
            return frozenset() if single is None else frozenset({single})
        chosen = {self.read_option(part) for part in parts}
        return frozenset(index for index in chosen if index is not None)


class NumberReader:
    def __init__(self, instrument: Instrument, item: NumberItem) -> None:
        self.instrument = instrument
        self.item = item

    def read(self, text: str) -> float:
        """Return the number, NaN when blank; raise CellError when it is not a fitting number."""
        stripped = text.strip()
        if not stripped:
            return math.nan
        try:
            number = float(stripped)
        except ValueError:
            raise CellError(f"{text!r} is not a number") from None
        value: float | int = int(number) if number.is_integer() else number
        problem = (
            answer_problem(self.instrument, self.item, value)
            if math.isfinite(number)
            else (f"{text!r} is not a number")
        )
        if problem is not None:
            raise CellError(problem)
        return number


def likert_reader(instrument: Instrument, item: LikertItem) -> LikertReader:
    return LikertReader(instrument.scale(item.scale))
