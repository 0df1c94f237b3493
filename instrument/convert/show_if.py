"""Turn a parsed source condition into a repp `show_if`, against the questions converted so far.

A `Target` is what a condition may know about a converted question: its repp id, its type and,
for choice and likert items, which repp value each source value became. Every comparison is
checked against it, so a `show_if` produced here only ever compares with values the item can hold.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from instrument.convert.expressions import Compare, Constant, Expr, ExpressionError, Junction

#: The repp value a converted item stores: an option value, a point value or "na".
Stored = str | int


@dataclass(frozen=True)
class Target:
    """A converted question a condition can refer to."""

    id: str
    kind: str  # an item type, or "matrix" for a whole SurveyJS matrix
    #: Source value (as `value_key` spells it) -> the repp value, for choice and likert items.
    values: Mapping[str, Stored] | None = None
    #: The option that means "yes" for a SurveyJS boolean (so `{consent}` alone can be read).
    true_value: str | None = None
    rows: tuple[Target, ...] = field(default=())


Lookup = Callable[[str], Target]

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_ORDER: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def value_key(value: object) -> str | None:
    """Spell a source value the one way options and conditions match it (1, 1.0 and "1" agree)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**100 else None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value.strip()
    return None


def as_number(value: object) -> int | float | None:
    """Return a finite number for a number or a numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 10**100 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        text = value.strip()
        number = float(text) if "." in text else int(text)
        return as_number(number)
    return None


def resolve(expr: Expr, lookup: Lookup) -> dict[str, Any]:
    """Return the `show_if` of a parsed condition; raise ExpressionError when repp can't say it."""
    if isinstance(expr, Junction):
        return {expr.op: [resolve(part, lookup) for part in expr.parts]}
    if isinstance(expr, Compare):
        return _compare(expr, lookup(expr.name))
    return {"not": resolve(expr.inner, lookup)}


def _compare(cond: Compare, target: Target) -> dict[str, Any]:
    op = cond.op
    if op in ("eq", "ne") and (cond.value is None or cond.value == ""):
        op = "empty" if op == "eq" else "notempty"
    if target.kind == "matrix":
        return _matrix(cond.name, op, target)
    if op == "notempty":
        return {"item": target.id, "answered": True}
    if op == "empty":
        return {"not": {"item": target.id, "answered": True}}
    if op == "truthy":
        if target.true_value is None:
            raise ExpressionError(f'question "{cond.name}" on its own is not a condition')
        return {"item": target.id, "equals": target.true_value}
    if op in ("eq", "ne"):
        if target.kind == "multiple_choice":
            raise ExpressionError(
                f'"=" on multiple-choice question "{cond.name}" compares the whole selection; '
                "repp can only test whether a choice is included"
            )
        equals = {"item": target.id, "equals": _value(cond.name, target, cond.value)}
        return equals if op == "eq" else {"not": equals}
    if op in ("anyof", "noneof", "allof"):
        return _list(cond, target)
    if op in ("contains", "notcontains", "selected"):
        # selected() also reads a select_one, which may have become a single choice or a likert.
        allowed = ("multiple_choice", "single_choice", "likert") if op == "selected" else ()
        if target.kind != "multiple_choice" and target.kind not in allowed:
            raise ExpressionError(f'"{op}" needs a multiple-choice question, not "{cond.name}"')
        equals = {"item": target.id, "equals": _value(cond.name, target, cond.value)}
        return {"not": equals} if op == "notcontains" else equals
    if op in _ORDER:
        return _ordered(cond, target)
    raise ExpressionError(f'the operator "{op}" is not supported')  # pragma: no cover


def _matrix(name: str, op: str, target: Target) -> dict[str, Any]:
    if op not in ("empty", "notempty") or not target.rows:
        raise ExpressionError(
            f'it tests matrix "{name}" as a whole; compare one of its rows ({{{name}.ROW}})'
        )
    answered = [{"item": row.id, "answered": True} for row in target.rows]
    anyone = answered[0] if len(answered) == 1 else {"any": answered}
    return anyone if op == "notempty" else {"not": anyone}


def _list(cond: Compare, target: Target) -> dict[str, Any]:
    raw = cond.value if isinstance(cond.value, tuple) else (cond.value,)
    if not raw:
        raise ExpressionError("it compares with an empty list")
    values: list[Any] = []
    for item in raw:
        value = _value(cond.name, target, item)
        if value not in values:
            values.append(value)
    if cond.op == "allof":
        each = [{"item": target.id, "equals": v} for v in values]
        return each[0] if len(each) == 1 else {"all": each}
    within = {"item": target.id, "in": values}
    return within if cond.op == "anyof" else {"not": within}


def _value(name: str, target: Target, value: Constant | tuple[Constant, ...]) -> Any:
    if isinstance(value, tuple):
        raise ExpressionError("it compares with a list where one value is expected")
    if target.values is not None:
        key = value_key(value)
        if key is None or key not in target.values:
            known = ", ".join(f'"{k}"' for k in target.values)
            raise ExpressionError(
                f'it compares question "{name}" with {_show(value)}, which is not one of its '
                f"values ({known})"
            )
        return target.values[key]
    if target.kind == "number":
        number = as_number(value)
        if number is None:
            raise ExpressionError(
                f'it compares number question "{name}" with {_show(value)}, not a number'
            )
        return number
    if isinstance(value, str):
        return value
    key = value_key(value)
    if key is None or isinstance(value, bool):
        raise ExpressionError(f'it compares text question "{name}" with {_show(value)}')
    return key


def _ordered(cond: Compare, target: Target) -> dict[str, Any]:
    bound = as_number(cond.value)
    if target.values is None or target.kind not in ("likert", "single_choice"):
        raise ExpressionError(
            "repp conditions cannot compare with <, >, <= or >= (only with the values of a "
            "rating or a single-choice question)"
        )
    if bound is None:
        raise ExpressionError(f"it compares with {_show(cond.value)}, not a number")
    test = _ORDER[cond.op]
    matches: list[Stored] = []
    for key, stored in target.values.items():
        number = as_number(key)
        if number is not None and test(number, bound) and stored not in matches:
            matches.append(stored)
    if not matches:
        raise ExpressionError(f'no answer to question "{cond.name}" can ever satisfy it')
    return {"item": target.id, "in": matches}


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
