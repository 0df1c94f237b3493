"""`load`: turn a JSON file, JSON text or a mapping into a validated `Instrument`.

Structure is checked by the marshmallow schemas, meaning by `instrument.checks`; both always run,
so an author sees every problem of a document at once.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError

from instrument import schema
from instrument.checks import Checker, DuplicateKeyDict, favorable_or_default, pairs_hook
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
from instrument.paths import PathPart, document_order, format_path, owner, show, value_at
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
    found_duplicates = False

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found_duplicates
        out = dict(pairs)  # plain dicts are quicker to build; most objects have no duplicates
        if len(out) == len(pairs):
            return out
        found_duplicates = True
        return pairs_hook(pairs)

    try:
        doc = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InstrumentError([Problem(where, f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise InstrumentError([Problem("", "not valid JSON: nested too deeply")]) from None
    except ValueError as exc:  # Python refuses integers of more than 4,300 digits
        del exc
        raise InstrumentError(
            [Problem("", "not valid JSON: a number has more digits than can be read (4,300)")]
        ) from None
    if isinstance(doc, dict):
        # Tell the checker whether it needs to look for duplicate keys below the root.
        if not isinstance(doc, DuplicateKeyDict):
            doc = DuplicateKeyDict(doc)
        doc.nested_duplicates = found_duplicates
    return doc


def read_document(source: Source) -> Any:
    """Return the raw document of a path or mapping, raising InstrumentError if it can't be read.

    Anything that is neither a path nor a mapping is returned as is, for `validate_document` to
    reject with a clear problem rather than a TypeError.
    """
    if not isinstance(source, str | os.PathLike):
        return source
    if isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        raise InstrumentError(
            [Problem("", "load() takes a path or a mapping, not JSON text: use instrument.loads()")]
        )
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InstrumentError([Problem("", f"cannot read {path}: {reason}")]) from None
    except ValueError as exc:  # e.g. a NUL character in the name
        raise InstrumentError([Problem("", f"cannot read {str(path)!r}: {exc}")]) from None
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
        return Validation(None, (_too_deep(doc),), ())
    problems = _in_document_order(doc, structural + semantic)
    warnings_sorted = _in_document_order(doc, warnings)
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
    result = validate_document(parse_json(text))
    if result.instrument is None:
        raise InstrumentError(result.problems)
    return result.instrument


# -- structural problems ------------------------------------------------------------------------

#: Nothing in a real instrument comes near this depth (a condition nests a few levels at most).
MAX_DEPTH = 100


def _too_deep(doc: Any) -> Problem:
    """Return the problem of a document too deep to check, at the element where that starts."""
    stack: list[tuple[tuple[PathPart, ...], Any]] = [((), doc)]
    while stack:
        parts, node = stack.pop()
        if len(parts) > MAX_DEPTH:
            # Name the path down to where the nesting starts; the rest is the same over and over.
            start = list(parts[:8])
            return Problem(
                format_path(start),
                f"{owner(doc, start)}: nested more than {MAX_DEPTH} levels deep",
                tuple(start),
            )
        if isinstance(node, Mapping):
            stack.extend(((*parts, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*parts, i), v) for i, v in enumerate(node))
    # Not deep itself: the stack was already deep when validation began.
    return Problem("", "the document is nested too deeply to check")


def _structure_problems(doc: Mapping[str, Any]) -> list[Problem]:
    try:
        schema.schema_instance(InstrumentSchema).load(doc)
    except ValidationError as exc:
        problems: list[Problem] = []
        _flatten(doc, exc.messages, [], problems)
        return problems
    return []


def _in_document_order(doc: Any, problems: list[Problem]) -> tuple[Problem, ...]:
    """Drop repeated problems and sort the rest by where they are in the document."""
    unique = dict.fromkeys(problems)
    return tuple(sorted(unique, key=lambda p: (document_order(doc, p.parts), p.message)))


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


def _structural_problem(doc: Any, parts: list[PathPart], message: str) -> Problem:
    where = owner(doc, parts)
    value = value_at(doc, parts)
    text = _structural_message(doc, parts, message, value)
    return Problem(format_path(parts), f"{where}: {text}", tuple(parts))


def _name(parts: list[PathPart]) -> str:
    """Name the key a problem is about: `"scale"`, or `"options[2]"` for a list entry."""
    if not parts:
        return "the document"
    key = parts[-1]
    if isinstance(key, str):
        return schema.show_key(key)
    if isinstance(key, int) and len(parts) >= 2 and isinstance(parts[-2], str):
        return schema.show_key(f"{parts[-2]}[{key}]")
    return f"entry {key!r}"


def _structural_message(doc: Any, parts: list[PathPart], message: str, value: Any) -> str:
    name = _name(parts)
    key = parts[-1] if parts else None
    if message == "Unknown field.":
        if isinstance(key, str):
            return _unknown_key(doc, parts, key)
        return f"unknown key {key!r} (keys must be strings)"
    if message == schema.NOT_AN_ID and len(parts) == 2 and parts[0] == "scales":
        return f"scale id {schema.show_key(key)} {message}"
    if message == "Missing data for required field.":
        return f"{name} is required"
    if message == "Invalid input type.":
        return f"{name} must be a JSON object, got {show(value)}"
    if message.startswith("Not a valid list"):
        return f"{name} must be a list, got {show(value)}"
    if message.startswith("Not a valid string"):
        return f"{name} must be a string, got {show(value)}"
    if message.startswith("Field may not be null"):
        return f"{name} must not be null"
    if value is None:  # missing, or null
        return f"{name} {message}"
    return f"{name} {message}, got {show(value)}"


def _unknown_key(doc: Any, parts: list[PathPart], key: str) -> str:
    parent = value_at(doc, parts[:-1])
    kind = parent.get("type") if isinstance(parent, Mapping) else None
    is_item = len(parts) >= 5 and parts[-3] == "items" and isinstance(kind, str)
    if is_item and kind in ITEM_SCHEMAS:
        owners = [t for t, cls in ITEM_SCHEMAS.items() if key in _keys_of(cls)]
        if owners:
            return (
                f"unknown key {schema.show_key(key)}: it applies only to "
                f"{' and '.join(owners)} items, not {kind}"
            )
        candidates = _keys_of(ITEM_SCHEMAS[str(kind)])
    else:
        candidates = _known_keys(parts)
    hint = difflib.get_close_matches(key, candidates, n=1)
    return f"unknown key {schema.show_key(key)}" + (f' (did you mean "{hint[0]}"?)' if hint else "")


def _known_keys(parts: list[PathPart]) -> list[str]:
    names = [p for p in parts[:-1] if isinstance(p, str)]
    last = names[-1] if names else None
    table: dict[str | None, type[Schema]] = {
        None: schema.InstrumentSchema,
        "focus_areas": schema.FocusAreaSchema,
        "sections": schema.SectionSchema,
        "points": schema.PointSchema,
        "not_applicable": schema.NotApplicableSchema,
        "options": schema.OptionSchema,
    }
    if len(names) == 2 and names[0] == "scales":
        return _keys_of(schema.ScaleSchema)
    found = table.get(last)
    return _keys_of(found) if found else []


def _keys_of(cls: type[Schema]) -> list[str]:
    """Return the JSON keys a schema knows."""
    fields = schema.schema_instance(cls).fields
    return [field.data_key or name for name, field in fields.items()]


# -- building the model ---------------------------------------------------------------------------


def build(doc: Mapping[str, Any]) -> Instrument:
    """Build the model from a document that passed validation."""
    languages = tuple(Language(lang) for lang in doc.get("languages", ["en"]))

    def text(value: Any) -> Text:
        return Text.of(value, languages)

    def optional_text(value: Any) -> Text | None:
        return None if value is None else text(value)

    scales = []
    # `scales` is a mapping: its order means nothing, so the model keeps scales sorted by id and
    # documents that differ only in that order load to equal instruments.
    for scale_id, raw in sorted(doc.get("scales", {}).items()):
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
