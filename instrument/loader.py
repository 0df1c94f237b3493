"""`load`: turn a JSON file, JSON text or a mapping into a validated `Instrument`.

Structure is checked by the marshmallow schemas, meaning by `instrument.checks`; both always run,
so an author sees every problem of a document at once.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from instrument import schema
from instrument.checks import Checker, favorable_or_default, pairs_hook
from instrument.errors import InstrumentError, Problem
from instrument.model import (
    All,
    Answered,
    AnyItem,
    AnyOf,
    Condition,
    Equals,
    FocusArea,
    FocusAreaId,
    In,
    Instrument,
    ItemId,
    Language,
    LikertItem,
    MultipleChoiceItem,
    Not,
    NumberItem,
    Option,
    Point,
    Scale,
    ScaleId,
    Section,
    SectionId,
    SingleChoiceItem,
    Text,
    TextItem,
)
from instrument.paths import PathPart, format_path, owner, show, value_at
from instrument.schema import ITEM_SCHEMAS, InstrumentSchema

Source = str | os.PathLike[str] | Mapping[str, Any]


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one document: the instrument when valid, problems and warnings."""

    instrument: Instrument | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.instrument is not None


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text, remembering duplicate keys; raise InstrumentError with line and column."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InstrumentError(
                [Problem("", f"not UTF-8 text (byte {exc.start}): save the file as UTF-8")]
            ) from None
    try:
        return json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InstrumentError([Problem(where, f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise InstrumentError([Problem("", "not valid JSON: nested too deeply")]) from None


def read_document(source: Source) -> Any:
    """Return the raw document of a path or mapping, raising InstrumentError if it can't be read."""
    if isinstance(source, Mapping):
        return source
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InstrumentError([Problem("", f"cannot read {path}: {exc.strerror}")]) from None
    return parse_json(data)


def validate(source: Source) -> Validation:
    """Validate a document, returning every problem and warning instead of raising on the first."""
    try:
        doc = read_document(source)
    except InstrumentError as exc:
        return Validation(None, exc.problems, ())
    return validate_document(doc)


def validate_document(doc: Any) -> Validation:
    if not isinstance(doc, Mapping):
        problem = Problem("", f"an instrument must be a JSON object, got {show(doc)}")
        return Validation(None, (problem,), ())
    try:
        structural = _structure_problems(doc)
        semantic, warnings = Checker(doc).run()
    except RecursionError:
        return Validation(None, (Problem("", "the document is nested too deeply"),), ())
    problems = tuple(sorted(set(structural + semantic), key=_natural))
    warnings_sorted = tuple(sorted(set(warnings), key=_natural))
    if problems:
        return Validation(None, problems, warnings_sorted)
    return Validation(build(doc), (), warnings_sorted)


def load(source: Source) -> Instrument:
    """Return the validated `Instrument` of a JSON file path or a mapping; raise InstrumentError."""
    result = validate(source)
    if result.instrument is None:
        raise InstrumentError(result.problems)
    return result.instrument


def loads(text: str | bytes) -> Instrument:
    """Return the validated `Instrument` of JSON text; raise InstrumentError."""
    return load(parse_json(text))


# -- structural problems ------------------------------------------------------------------------


def _structure_problems(doc: Mapping[str, Any]) -> list[Problem]:
    try:
        InstrumentSchema().load(doc)
    except ValidationError as exc:
        problems: list[Problem] = []
        _flatten(doc, exc.messages, [], problems)
        return problems
    return []


def _flatten(doc: Any, messages: Any, parts: list[PathPart], out: list[Problem]) -> None:
    if isinstance(messages, Mapping):
        for key, sub in messages.items():
            if key == "_schema":
                _flatten(doc, sub, parts, out)
            else:
                _flatten(doc, sub, [*parts, key], out)
        return
    if isinstance(messages, list):
        for message in messages:
            if isinstance(message, Mapping | list):
                _flatten(doc, message, parts, out)
            else:
                out.append(_structural_problem(doc, parts, str(message)))


def _parent_value(doc: Any, parts: list[PathPart]) -> Any:
    return value_at(doc, parts[:-1])


def _structural_problem(doc: Any, parts: list[PathPart], message: str) -> Problem:
    path = format_path(parts)
    where = owner(doc, parts)
    key = parts[-1] if parts else None
    name = f'"{key}"' if isinstance(key, str) else "entry"
    value = value_at(doc, parts)
    if message == "Unknown field." and isinstance(key, str):
        return Problem(path, f"{where}: {_unknown_key(doc, parts, key)}")
    if message == "Missing data for required field.":
        return Problem(path, f"{where}: {name} is required")
    if message == "Invalid input type.":
        return Problem(path, f"{where}: must be a JSON object, got {show(value)}")
    if message.startswith("Not a valid list"):
        return Problem(path, f"{where}: {name} must be a list, got {show(value)}")
    if message.startswith("Not a valid string"):
        return Problem(path, f"{where}: {name} must be a string, got {show(value)}")
    if message.startswith("Field may not be null"):
        return Problem(path, f"{where}: {name} must not be null")
    if isinstance(value, list | Mapping) or value is None:
        return Problem(path, f"{where}: {name} {message}")
    return Problem(path, f"{where}: {name} {message}, got {show(value)}")


def _unknown_key(doc: Any, parts: list[PathPart], key: str) -> str:
    parent = _parent_value(doc, parts)
    kind = parent.get("type") if isinstance(parent, Mapping) else None
    is_item = len(parts) >= 5 and parts[-3] == "items" and kind in ITEM_SCHEMAS
    if is_item:
        owners = [t for t, schema in ITEM_SCHEMAS.items() if key in schema().fields]
        if owners:
            return (
                f'unknown key "{key}": it applies only to {" and ".join(owners)} items, not {kind}'
            )
        candidates = list(ITEM_SCHEMAS[str(kind)]().fields)
    else:
        candidates = _known_keys(parts)
    hint = difflib.get_close_matches(key, candidates, n=1)
    return f'unknown key "{key}"' + (f' (did you mean "{hint[0]}"?)' if hint else "")


def _known_keys(parts: list[PathPart]) -> list[str]:
    names = [p for p in parts[:-1] if isinstance(p, str)]
    last = names[-1] if names else None
    table: dict[str | None, type[Any]] = {
        None: schema.InstrumentSchema,
        "focus_areas": schema.FocusAreaSchema,
        "sections": schema.SectionSchema,
        "points": schema.PointSchema,
        "not_applicable": schema.NotApplicableSchema,
        "options": schema.OptionSchema,
    }
    if len(names) == 2 and names[0] == "scales":
        return list(schema.ScaleSchema().fields)
    found = table.get(last)
    return list(found().fields) if found else []


def _natural(problem: Problem) -> tuple[tuple[int | str, ...], str]:
    """Sort problems by path with indexes compared as numbers (items[2] before items[10])."""
    parts = re.split(r"(\d+)", problem.path)
    return tuple(int(p) if p.isdigit() else p for p in parts), problem.message


# -- building the model ---------------------------------------------------------------------------


def build(doc: Mapping[str, Any]) -> Instrument:
    """Build the model from a document that passed validation."""
    languages = tuple(Language(lang) for lang in doc.get("languages", ["en"]))

    def text(value: Any) -> Text:
        return Text.of(value, languages)

    def optional_text(value: Any) -> Text | None:
        return None if value is None else text(value)

    scales = []
    for scale_id, raw in doc.get("scales", {}).items():
        points = tuple(Point(p["value"], text(p["label"])) for p in raw["points"])
        values = tuple(p.value for p in points)
        na = raw.get("not_applicable")
        scales.append(
            Scale(
                id=ScaleId(scale_id),
                points=points,
                not_applicable=None if na is None else text(na["label"]),
                favorable=favorable_or_default(raw, values),
            )
        )

    areas = tuple(
        FocusArea(
            id=FocusAreaId(a["id"]),
            title=text(a["title"]),
            description=optional_text(a.get("description")),
        )
        for a in doc["focus_areas"]
    )

    def options(raw: Any) -> tuple[Option, ...]:
        return tuple(Option(o["value"], text(o["label"])) for o in raw)

    def item(raw: Mapping[str, Any]) -> AnyItem:
        common: dict[str, Any] = {
            "id": ItemId(raw["id"]),
            "text": text(raw["text"]),
            "help": optional_text(raw.get("help")),
            "required": raw.get("required", False),
            "show_if": condition(raw.get("show_if")),
        }
        kind = raw["type"]
        if kind == "likert":
            area = raw.get("focus_area")
            return LikertItem(
                **common,
                scale=ScaleId(raw["scale"]),
                focus_area=None if area is None else FocusAreaId(area),
                reverse=raw.get("reverse", False),
            )
        if kind == "single_choice":
            return SingleChoiceItem(
                **common, options=options(raw["options"]), demographic=raw.get("demographic", False)
            )
        if kind == "multiple_choice":
            return MultipleChoiceItem(**common, options=options(raw["options"]))
        if kind == "number":
            return NumberItem(
                **common,
                min=_number(raw.get("min")),
                max=_number(raw.get("max")),
                integer=raw.get("integer", False),
            )
        return TextItem(**common, max_length=raw.get("max_length"))

    sections = tuple(
        Section(
            id=None if s.get("id") is None else SectionId(s["id"]),
            title=text(s["title"]),
            items=tuple(item(i) for i in s["items"]),
            intro=optional_text(s.get("intro")),
            show_if=condition(s.get("show_if")),
        )
        for s in doc["sections"]
    )
    return Instrument(
        id=doc["id"],
        version=doc["version"],
        title=text(doc["title"]),
        description=optional_text(doc.get("description")),
        languages=languages,
        scales=tuple(scales),
        focus_areas=areas,
        sections=sections,
    )


def condition(raw: Any) -> Condition | None:
    """Build a condition from its validated JSON form."""
    if raw is None:
        return None
    if "all" in raw:
        return All(tuple(_required_condition(c) for c in raw["all"]))
    if "any" in raw:
        return AnyOf(tuple(_required_condition(c) for c in raw["any"]))
    if "not" in raw:
        return Not(_required_condition(raw["not"]))
    item = ItemId(raw["item"])
    if "equals" in raw:
        return Equals(item, _number(raw["equals"]))
    if "in" in raw:
        return In(item, tuple(_number(v) for v in raw["in"]))
    return Answered(item)


def _number(value: Any) -> Any:
    """Write whole floats as ints, so 1 and 1.0 are one value with one canonical form."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _required_condition(raw: Any) -> Condition:
    cond = condition(raw)
    assert cond is not None  # noqa: S101 - validated documents have no null conditions
    return cond
