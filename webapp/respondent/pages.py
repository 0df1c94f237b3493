"""What a respondent sees: which sections and questions, in what order, and how long it takes.

Conditions are evaluated on the server against the answers of earlier pages. What remains of a
condition that depends on an answer on the same page is kept with its question: the page shows
the question marked as conditional, `survey.js` shows or hides it in place, and the server drops
its answer if the condition fails once the page is posted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

import instrument
from instrument import (
    All,
    Answered,
    AnyItem,
    AnyOf,
    Condition,
    Equals,
    In,
    Instrument,
    LikertItem,
    MultipleChoiceItem,
    Not,
    Section,
    SingleChoiceItem,
)
from instrument.canonical import dump_condition

#: Seconds it takes to answer an item, by type, for the welcome page's estimate.
SECONDS_PER_ITEM = {
    "likert": 10,
    "single_choice": 30,
    "multiple_choice": 30,
    "number": 20,
    "text": 90,
}


@dataclass(frozen=True)
class Question:
    item: AnyItem
    #: The part of the item's condition that depends on this page's answers; None: always shown.
    condition: Condition | None = None

    @property
    def condition_json(self) -> str | None:
        if self.condition is None:
            return None
        return json.dumps(dump_condition(self.condition), separators=(",", ":"))


@dataclass(frozen=True)
class Page:
    """One section as a page: its questions and where it stands among the visible sections."""

    index: int
    section: Section
    questions: tuple[Question, ...]
    number: int
    total: int
    #: No later section can be shown: the page ends with "Submit" rather than "Next".
    last: bool

    @property
    def items(self) -> tuple[AnyItem, ...]:
        return tuple(q.item for q in self.questions)


def reduce_condition(
    condition: Condition, known: Mapping[str, Any], on_page: Collection[str]
) -> bool | Condition:
    """Evaluate what `known` answers decide; return the rest, which refers only to `on_page`."""
    match condition:
        case Equals(item=item) | In(item=item) | Answered(item=item):
            if item in on_page:
                return condition
            return instrument.evaluate(condition, known)
        case All(conditions=conds):
            rest: list[Condition] = []
            for cond in conds:
                reduced = reduce_condition(cond, known, on_page)
                if reduced is False:
                    return False
                if reduced is not True:
                    rest.append(reduced)
            return True if not rest else rest[0] if len(rest) == 1 else All(tuple(rest))
        case AnyOf(conditions=conds):
            rest = []
            for cond in conds:
                reduced = reduce_condition(cond, known, on_page)
                if reduced is True:
                    return True
                if reduced is not False:
                    rest.append(reduced)
            return False if not rest else rest[0] if len(rest) == 1 else AnyOf(tuple(rest))
        case Not(condition=inner):
            reduced = reduce_condition(inner, known, on_page)
            return (not reduced) if isinstance(reduced, bool) else Not(reduced)
    raise TypeError(condition)  # pragma: no cover - the match is exhaustive


def visible_sections(inst: Instrument, answers: Mapping[str, Any]) -> tuple[int, ...]:
    return instrument.visibility(inst, answers).sections


def known_answers(inst: Instrument, index: int, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return the answers given outside section `index` to items the respondent sees."""
    own = {item.id for item in inst.sections[index].items}
    return {k: v for k, v in instrument.prune(inst, answers).items() if k not in own}


def layout(inst: Instrument, index: int, answers: Mapping[str, Any]) -> Page:
    """Lay out section `index` for a respondent whose answers so far are `answers`."""
    section = inst.sections[index]
    known = known_answers(inst, index, answers)
    questions: list[Question] = []
    shown: set[str] = set()
    for item in section.items:
        if item.show_if is None:
            questions.append(Question(item))
        else:
            reduced = reduce_condition(item.show_if, known, shown)
            if reduced is False:
                continue
            questions.append(Question(item, None if reduced is True else reduced))
        shown.add(item.id)
    visible = visible_sections(inst, answers)
    number = visible.index(index) + 1 if index in visible else len(visible)
    last = not any(
        later.show_if is None or reduce_condition(later.show_if, known, shown) is not False
        for later in inst.sections[index + 1 :]
    )
    return Page(index, section, tuple(questions), number, max(len(visible), number), last)


def first_section(inst: Instrument, answers: Mapping[str, Any]) -> int | None:
    visible = visible_sections(inst, answers)
    return visible[0] if visible else None


def next_section(inst: Instrument, index: int, answers: Mapping[str, Any]) -> int | None:
    """Return the first section after `index` the respondent sees, or None: time to submit."""
    return next((i for i in visible_sections(inst, answers) if i > index), None)


def previous_section(inst: Instrument, index: int, answers: Mapping[str, Any]) -> int | None:
    """Return the last section before `index` the respondent sees, or None: the welcome page."""
    earlier = [i for i in visible_sections(inst, answers) if i < index]
    return earlier[-1] if earlier else None


def estimate_minutes(inst: Instrument) -> int:
    """Return the minutes it takes to answer every item, rounded, at least one."""
    seconds = sum(SECONDS_PER_ITEM.get(item.type, 30) for item in inst.items)
    return max(1, math.floor(seconds / 60 + 0.5))


# -- a short note for questions whose condition depends on the same page --------------------------


def _shorten(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _value_label(item: AnyItem, value: Any, inst: Instrument, language: str) -> str:
    if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
        for option in item.options:
            if option.value == value:
                return option.label.get(language)
    if isinstance(item, LikertItem):
        scale = inst.scale(item.scale)
        if value == instrument.NOT_APPLICABLE and scale.not_applicable is not None:
            return scale.not_applicable.get(language)
        if isinstance(value, int) and value in scale.values:
            return scale.label(value, language)
    return str(value)


def condition_note(condition: Condition, inst: Instrument, language: str) -> str:
    """Say in a sentence when a question applies; a general sentence for complex conditions."""
    match condition:
        case Equals(item=item_id, value=value) | In(item=item_id, values=(value,)):
            item = inst.item(item_id)
            return _(
                "Answer only if your answer to “%(question)s” was “%(answer)s”.",
                answer=_value_label(item, value, inst, language),
                question=_shorten(item.text.get(language)),
            )
        case In(item=item_id, values=values):
            item = inst.item(item_id)
            labels = [f"“{_value_label(item, v, inst, language)}”" for v in values]
            return _(
                "Answer only if your answer to “%(question)s” was %(answers)s.",
                answers=format_list(labels, style="or", locale=get_locale() or "en"),
                question=_shorten(item.text.get(language)),
            )
        case Answered(item=item_id):
            return _(
                "Answer only if you answered “%(question)s”.",
                question=_shorten(inst.item(item_id).text.get(language)),
            )
    return _("Answer only if it applies to you, given your answers above.")
