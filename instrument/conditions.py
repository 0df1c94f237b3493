"""Evaluate `show_if` conditions and work out which sections and items a respondent sees.

Answers are a mapping of item id to answer: an int point value or `NOT_APPLICABLE` (likert), an
option value (single choice), a list of option values (multiple choice), a number or a string.
An item that is hidden counts as unanswered for every later condition, so hiding cascades.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from instrument.model import (
    All,
    Answered,
    AnyOf,
    Condition,
    ConditionValue,
    Equals,
    In,
    Instrument,
    ItemId,
    Not,
)


def is_answered(value: Any) -> bool:
    """Return whether a stored answer counts as given (empty strings and lists do not)."""
    if value is None:
        return False
    if isinstance(value, str | list | tuple | set | frozenset):
        return len(value) > 0
    return True


def _same(answer: Any, value: ConditionValue) -> bool:
    if isinstance(answer, bool) or isinstance(value, bool):
        return isinstance(answer, bool) and isinstance(value, bool) and answer is value
    return bool(answer == value)


def _matches(answer: Any, value: ConditionValue) -> bool:
    if isinstance(answer, list | tuple | set | frozenset):
        return any(_same(a, value) for a in answer)
    return _same(answer, value)


def evaluate(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Return whether a condition holds; for multiple choice, `equals` means "includes"."""
    match condition:
        case Equals(item=item, value=value):
            answer = answers.get(item)
            return is_answered(answer) and _matches(answer, value)
        case In(item=item, values=values):
            answer = answers.get(item)
            return is_answered(answer) and any(_matches(answer, v) for v in values)
        case Answered(item=item):
            return is_answered(answers.get(item))
        case All(conditions=conds):
            return all(evaluate(c, answers) for c in conds)
        case AnyOf(conditions=conds):
            return any(evaluate(c, answers) for c in conds)
        case Not(condition=inner):
            return not evaluate(inner, answers)
    raise TypeError(condition)  # pragma: no cover - the match is exhaustive


@dataclass(frozen=True)
class Visibility:
    """Which sections (by index) and items a respondent sees, given their answers."""

    sections: tuple[int, ...]
    items: frozenset[ItemId]

    def section_visible(self, index: int) -> bool:
        return index in self.sections


def visibility(instrument: Instrument, answers: Mapping[str, Any]) -> Visibility:
    """Evaluate every condition in document order, hiding answers of hidden items as it goes."""
    seen: dict[str, Any] = {}
    sections: list[int] = []
    items: set[ItemId] = set()
    for index, section in enumerate(instrument.sections):
        if section.show_if is not None and not evaluate(section.show_if, seen):
            continue
        sections.append(index)
        for item in section.items:
            if item.show_if is not None and not evaluate(item.show_if, seen):
                continue
            items.add(item.id)
            if item.id in answers:
                seen[item.id] = answers[item.id]
    return Visibility(tuple(sections), frozenset(items))


def prune(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return only the answers to items the respondent sees, in document order."""
    shown = visibility(instrument, answers).items
    return {
        item.id: answers[item.id]
        for item in instrument.items
        if item.id in shown and is_answered(answers.get(item.id))
    }
