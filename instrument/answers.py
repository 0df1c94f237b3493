"""Check a respondent's answers against an instrument before they are stored.

The web app's forms check each page as it is posted; this is the last word on a whole response,
so nothing that does not fit the instrument is ever stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from instrument.conditions import is_answered, visibility
from instrument.model import (
    NOT_APPLICABLE,
    AnyItem,
    Instrument,
    LikertItem,
    MultipleChoiceItem,
    NumberItem,
    SingleChoiceItem,
)


def answer_problem(instrument: Instrument, item: AnyItem, value: Any) -> str | None:
    """Return why `value` is not a valid answer to `item`, or None when it is."""
    if isinstance(item, LikertItem):
        scale = instrument.scale(item.scale)
        if value == NOT_APPLICABLE and scale.not_applicable is not None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value not in scale.values:
            return f"{value!r} is not a point of scale {scale.id!r}"
        return None
    if isinstance(item, SingleChoiceItem):
        if value not in item.option_values:
            return f"{value!r} is not one of the options"
        return None
    if isinstance(item, MultipleChoiceItem):
        if not isinstance(value, list | tuple) or not all(v in item.option_values for v in value):
            return f"{value!r} is not a list of the options"
        if len(set(value)) != len(value):
            return "an option is chosen twice"
        return None
    if isinstance(item, NumberItem):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{value!r} is not a number"
        # math.isfinite and float() overflow on huge ints, which are finite and whole anyway.
        if isinstance(value, float) and not math.isfinite(value):
            return f"{value!r} is not a number"
        if item.integer and isinstance(value, float) and not value.is_integer():
            return f"{value!r} is not a whole number"
        if item.min is not None and value < item.min:
            return f"{value!r} is below the minimum {item.min}"
        if item.max is not None and value > item.max:
            return f"{value!r} is above the maximum {item.max}"
        return None
    if not isinstance(value, str):
        return f"{value!r} is not text"
    if item.max_length is not None and len(value) > item.max_length:
        return f"longer than {item.max_length} characters"
    return None


def is_required(item: AnyItem) -> bool:
    """Return whether an item must be answered; demographic items never are."""
    if isinstance(item, SingleChoiceItem) and item.demographic:
        return False
    return item.required


def response_problems(
    instrument: Instrument, answers: Mapping[str, Any], *, check_required: bool = True
) -> dict[str, str]:
    """Return `{item_id: problem}` for a whole response; empty when it may be stored."""
    problems: dict[str, str] = {}
    shown = visibility(instrument, answers).items
    for key, value in answers.items():
        if not instrument.has_item(key):
            problems[key] = "not an item of this instrument"
        elif key not in shown:
            # An empty answer to a hidden item (a blank form field) is no answer at all.
            if is_answered(value):
                problems[key] = "answered although the item is hidden"
        elif is_answered(value):
            problem = answer_problem(instrument, instrument.item(key), value)
            if problem:
                problems[key] = problem
    if check_required:
        for item in instrument.items:
            if item.id in shown and is_required(item) and not is_answered(answers.get(item.id)):
                problems.setdefault(item.id, "required")
    return problems
