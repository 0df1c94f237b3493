"""The typed, immutable model of a `repp-instrument/1` document.

Everything outside this package reads instruments through these classes; they are built only by
`instrument.load`, after validation, so code holding an `Instrument` may rely on every reference in
it being resolved (scales exist, focus areas exist, conditions point backwards).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NewType, TypeAlias

FORMAT = "repp-instrument/1"

#: The answer stored for a likert item's "Don't know" / "N/A" choice.
NOT_APPLICABLE = "na"

ItemId = NewType("ItemId", str)
SectionId = NewType("SectionId", str)
ScaleId = NewType("ScaleId", str)
FocusAreaId = NewType("FocusAreaId", str)
Language = NewType("Language", str)

ItemType = Literal["likert", "single_choice", "multiple_choice", "number", "text"]
ITEM_TYPES: tuple[ItemType, ...] = ("likert", "single_choice", "multiple_choice", "number", "text")

#: A value a condition compares with: an option value, a point value or a number.
ConditionValue: TypeAlias = str | int | float | bool
#: One stored answer: a point value or NOT_APPLICABLE (likert), an option value (single choice),
#: a list of option values (multiple choice), a number, or a string (text).
Answer: TypeAlias = int | float | str | tuple[str, ...] | list[str]


@dataclass(frozen=True)
class Text:
    """A piece of text in every language of its instrument, in the instrument's language order."""

    translations: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, value: str | Mapping[str, str], languages: tuple[str, ...]) -> Text:
        """Build from a plain string (same text everywhere) or a language mapping."""
        if isinstance(value, str):
            return cls(tuple((lang, value) for lang in languages))
        return cls(tuple((lang, value[lang]) for lang in languages if lang in value))

    def get(self, language: str | None = None) -> str:
        """Return the text in `language`, falling back to the instrument's default language."""
        for lang, text in self.translations:
            if lang == language:
                return text
        return self.translations[0][1] if self.translations else ""

    def __str__(self) -> str:
        return self.get()

    def as_dict(self) -> dict[str, str]:
        return dict(self.translations)


@dataclass(frozen=True)
class Point:
    value: int
    label: Text


@dataclass(frozen=True)
class Scale:
    id: ScaleId
    points: tuple[Point, ...]
    not_applicable: Text | None
    favorable: tuple[int, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(p.value for p in self.points)

    @property
    def min(self) -> int:
        return self.points[0].value

    @property
    def max(self) -> int:
        return self.points[-1].value

    def reverse(self, value: int) -> int:
        """Return the reverse-scored value: the point as far from the top as `value` is from the bottom.

        On evenly spaced scales this is min + max - value. On uneven ones (0, 1, 3) a point still
        maps to a point (0 <-> 3, 1 <-> 1); a value between points is reflected as min + max - value.
        """
        values = self.values
        if value in values:
            return values[len(values) - 1 - values.index(value)]
        return self.min + self.max - value

    def label(self, value: int, language: str | None = None) -> str:
        for point in self.points:
            if point.value == value:
                return point.label.get(language)
        raise KeyError(value)


def default_favorable(values: tuple[int, ...]) -> tuple[int, ...]:
    """Return the default favorable set: the top two values of 4+ point scales, else the top one."""
    return values[-2:] if len(values) >= 4 else values[-1:]


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Equals:
    item: ItemId
    value: ConditionValue


@dataclass(frozen=True)
class In:
    item: ItemId
    values: tuple[ConditionValue, ...]


@dataclass(frozen=True)
class Answered:
    item: ItemId


@dataclass(frozen=True)
class All:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition: TypeAlias = Equals | In | Answered | All | AnyOf | Not


def condition_items(condition: Condition) -> Iterator[ItemId]:
    """Yield every item id a condition refers to."""
    match condition:
        case Equals(item=item) | In(item=item) | Answered(item=item):
            yield item
        case All(conditions=conds) | AnyOf(conditions=conds):
            for cond in conds:
                yield from condition_items(cond)
        case Not(condition=cond):
            yield from condition_items(cond)


@dataclass(frozen=True, kw_only=True)
class Item:
    id: ItemId
    text: Text
    help: Text | None = None
    required: bool = False
    show_if: Condition | None = None

    type: ItemType = field(init=False, default="text")


@dataclass(frozen=True, kw_only=True)
class LikertItem(Item):
    scale: ScaleId
    focus_area: FocusAreaId | None = None
    reverse: bool = False

    type: ItemType = field(init=False, default="likert")


@dataclass(frozen=True, kw_only=True)
class SingleChoiceItem(Item):
    options: tuple[Option, ...] = ()
    demographic: bool = False

    type: ItemType = field(init=False, default="single_choice")

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True, kw_only=True)
class MultipleChoiceItem(Item):
    options: tuple[Option, ...] = ()

    type: ItemType = field(init=False, default="multiple_choice")

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True, kw_only=True)
class NumberItem(Item):
    min: float | None = None
    max: float | None = None
    integer: bool = False

    type: ItemType = field(init=False, default="number")


@dataclass(frozen=True, kw_only=True)
class TextItem(Item):
    max_length: int | None = None

    type: ItemType = field(init=False, default="text")


AnyItem: TypeAlias = LikertItem | SingleChoiceItem | MultipleChoiceItem | NumberItem | TextItem
ChoiceItem: TypeAlias = SingleChoiceItem | MultipleChoiceItem


@dataclass(frozen=True)
class FocusArea:
    id: FocusAreaId
    title: Text
    description: Text | None = None


@dataclass(frozen=True)
class Section:
    id: SectionId | None
    title: Text
    items: tuple[AnyItem, ...]
    intro: Text | None = None
    show_if: Condition | None = None


@dataclass(frozen=True)
class Instrument:
    """One immutable version of a questionnaire."""

    id: str
    version: str
    title: Text
    languages: tuple[Language, ...]
    scales: tuple[Scale, ...]  # sorted by id: in the document they are a mapping, unordered
    focus_areas: tuple[FocusArea, ...]
    sections: tuple[Section, ...]
    description: Text | None = None

    @property
    def default_language(self) -> Language:
        return self.languages[0]

    @cached_property
    def items(self) -> tuple[AnyItem, ...]:
        """Every item, in document order."""
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def _items_by_id(self) -> dict[str, AnyItem]:
        return {item.id: item for item in self.items}

    def item(self, item_id: str) -> AnyItem:
        return self._items_by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(scale_id)

    def focus_area(self, focus_area_id: str) -> FocusArea:
        for area in self.focus_areas:
            if area.id == focus_area_id:
                return area
        raise KeyError(focus_area_id)

    @cached_property
    def likert_items(self) -> tuple[LikertItem, ...]:
        return tuple(i for i in self.items if isinstance(i, LikertItem))

    @cached_property
    def _scored_by_area(self) -> dict[str, tuple[LikertItem, ...]]:
        grouped: dict[str, list[LikertItem]] = {}
        for item in self.likert_items:
            if item.focus_area is not None:
                grouped.setdefault(item.focus_area, []).append(item)
        return {area: tuple(items) for area, items in grouped.items()}

    def scored_items(self, focus_area_id: str) -> tuple[LikertItem, ...]:
        """Return the likert items scored into a focus area, in document order."""
        return self._scored_by_area.get(focus_area_id, ())

    @property
    def demographic_items(self) -> tuple[SingleChoiceItem, ...]:
        return tuple(i for i in self.items if isinstance(i, SingleChoiceItem) and i.demographic)

    @cached_property
    def content_hash(self) -> str:
        """Return the sha256 of the canonical JSON: equal meaning, equal hash."""
        from instrument.canonical import content_hash

        return content_hash(self)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"
