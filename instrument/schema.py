"""marshmallow schemas for the structure of a `repp-instrument/1` document.

These check shapes and types only: which keys exist, what type each value has. Rules that need the
whole document (references, duplicates, order, languages) live in `instrument.checks`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from instrument.model import FORMAT, ITEM_TYPES

# The patterns are written for JSON Schema, where `$` means the end of the string. In Python `$`
# also matches before a final newline, so the compiled forms end in `\Z` ("q1\n" is no id).
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
ID_RE = re.compile(ID_PATTERN.removesuffix("$") + r"\Z")
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
LANGUAGE_RE = re.compile(LANGUAGE_PATTERN.removesuffix("$") + r"\Z")

NOT_AN_ID = 'must start with a letter, then only letters, digits, "_" or "-"'

SchemaT = TypeVar("SchemaT", bound=Schema)


@cache
def schema_instance(schema: type[SchemaT]) -> SchemaT:
    """Return one shared instance of a schema; building one per item would dominate load time."""
    return schema()


class StrictBool(fields.Field):  # type: ignore[type-arg]
    """A JSON boolean, and nothing that merely looks like one ("true", 1)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value


class StrictInt(fields.Field):  # type: ignore[type-arg]
    """A JSON integer (1, not 1.0, "1" or true)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("must be a whole number")
        return value


class StrictNumber(fields.Field):  # type: ignore[type-arg]
    """A finite JSON number."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("must be a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError("must be a finite number")
        return value


def is_unicode(text: str) -> bool:
    """Return whether a string is Unicode text that UTF-8 can hold (no lone surrogate)."""
    # JSON can spell lone surrogates ("\ud800"), which no UTF-8 file, database or hash can hold.
    if text.isascii():  # the common case, answered without encoding
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


NOT_UNICODE = 'must be Unicode text, without lone surrogates such as "\\ud800"'


class StrictString(fields.Field):  # type: ignore[type-arg]
    """A non-empty JSON string."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError("must be a string")
        if not value.strip():
            raise ValidationError("must not be empty")
        if not is_unicode(value):
            raise ValidationError(NOT_UNICODE)
        return value


class IdField(StrictString):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not ID_RE.match(text):
            raise ValidationError(NOT_AN_ID)
        return text


class TextField(fields.Field):  # type: ignore[type-arg]
    """TEXT: a plain string, or a mapping of language code to string."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                raise ValidationError("must not be empty")
            if not is_unicode(value):
                raise ValidationError(NOT_UNICODE)
            return value
        if not isinstance(value, Mapping):
            raise ValidationError(
                'must be a string or a mapping such as {"en": "...", "es": "..."}'
            )
        if not value:
            raise ValidationError("must hold at least one language")
        errors: dict[str, list[str]] = {}
        for lang, text in value.items():
            if not isinstance(text, str):
                errors[lang] = ["must be a string"]
            elif not text.strip():
                errors[lang] = ["must not be empty"]
            elif not is_unicode(text):
                errors[lang] = [NOT_UNICODE]
        if errors:
            raise ValidationError(errors)
        return dict(value)


CONDITION_SHAPES = (
    '{"item": ID, "equals": VALUE}, {"item": ID, "in": [VALUE, ...]}, {"item": ID, "answered": true}, '
    '{"all": [...]}, {"any": [...]} or {"not": CONDITION}'
)


def show_key(key: Any) -> str:
    """Return a mapping key as written in JSON (keys of mappings built in Python may be anything)."""
    if isinstance(key, str):
        # JSON escapes keep a key with a newline or a lone surrogate on one printable line.
        text = json.dumps(key, ensure_ascii=False)
        return text if is_unicode(text) else json.dumps(key)
    return repr(key)


def is_condition_value(value: Any) -> bool:
    """Return whether a value may appear in a condition: a string, a finite number, a boolean."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return is_unicode(value)
    return isinstance(value, int | bool)


def condition_errors(value: Any) -> dict[str, Any] | list[str]:
    """Return the structural errors of a COND, nested by key, or an empty dict."""
    if not isinstance(value, Mapping):
        return [f"a condition must be one of {CONDITION_SHAPES}"]
    keys = set(value)
    if keys in ({"all"}, {"any"}):
        (key,) = keys
        conds = value[key]
        if not isinstance(conds, list) or not conds:
            return {key: ["must be a non-empty list of conditions"]}
        nested = {i: errs for i, c in enumerate(conds) if (errs := condition_errors(c))}
        return {key: nested} if nested else {}
    if keys == {"not"}:
        errs = condition_errors(value["not"])
        return {"not": errs} if errs else {}
    if "item" in keys and len(keys) == 2 and keys & {"equals", "in", "answered"}:
        errors: dict[str, Any] = {}
        item = value["item"]
        if not isinstance(item, str) or not ID_RE.match(item):
            errors["item"] = ["must be an item id"]
        if "equals" in keys and not is_condition_value(value["equals"]):
            errors["equals"] = ["must be a string, number or boolean"]
        if "in" in keys:
            values = value["in"]
            if not isinstance(values, list) or not values:
                errors["in"] = ["must be a non-empty list of values"]
            elif not all(is_condition_value(v) for v in values):
                errors["in"] = ["must hold only strings, numbers or booleans"]
        if "answered" in keys and value["answered"] is not True:
            errors["answered"] = ["must be true"]
        return errors
    got = ", ".join(sorted(show_key(k) for k in keys)) or "none"
    return [f"a condition must be one of {CONDITION_SHAPES}; got keys {got}"]


class ConditionField(fields.Field):  # type: ignore[type-arg]
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        errors = condition_errors(value)
        if errors:
            raise ValidationError(errors)
        return value


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PointSchema(_Strict):
    value = StrictInt(required=True)
    label = TextField(required=True)


class NotApplicableSchema(_Strict):
    label = TextField(required=True)


class ScaleSchema(_Strict):
    points = fields.List(
        fields.Nested(PointSchema),
        required=True,
        validate=validate.Length(min=2, error="must have at least 2 points"),
    )
    not_applicable = fields.Nested(NotApplicableSchema)
    favorable = fields.List(
        StrictInt(), validate=validate.Length(min=1, error="must list at least one value")
    )


class ScalesField(fields.Field):  # type: ignore[type-arg]
    """`{SCALE_ID: SCALE}`, with errors keyed by the scale id (not marshmallow's key/value split)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValidationError(
                'must be a mapping of scale id to scale, such as {"agree": {...}}'
            )
        errors: dict[str, Any] = {}
        out: dict[str, Any] = {}
        for key, scale in value.items():
            if not isinstance(key, str) or not ID_RE.match(key):
                errors[key] = [NOT_AN_ID]
                continue
            try:
                out[key] = schema_instance(ScaleSchema).load(scale)
            except ValidationError as exc:
                errors[key] = exc.messages
        if errors:
            raise ValidationError(errors)
        return out


class FocusAreaSchema(_Strict):
    id = IdField(required=True)
    title = TextField(required=True)
    description = TextField()


class OptionSchema(_Strict):
    value = StrictString(required=True)
    label = TextField(required=True)


def _options() -> fields.List:  # type: ignore[type-arg]
    return fields.List(
        fields.Nested(OptionSchema),
        required=True,
        validate=validate.Length(min=2, error="must offer at least 2 options"),
    )


class ItemSchema(_Strict):
    id = IdField(required=True)
    type = StrictString(required=True)
    text = TextField(required=True)
    help = TextField()
    required = StrictBool()
    show_if = ConditionField()


class LikertItemSchema(ItemSchema):
    scale = IdField(required=True)
    focus_area = IdField()
    reverse = StrictBool()


class SingleChoiceItemSchema(ItemSchema):
    options = _options()
    demographic = StrictBool()


class MultipleChoiceItemSchema(ItemSchema):
    options = _options()


class NumberItemSchema(ItemSchema):
    min = StrictNumber()
    max = StrictNumber()
    integer = StrictBool()


class TextItemSchema(ItemSchema):
    max_length = StrictInt(validate=validate.Range(min=1, error="must be at least 1"))


ITEM_SCHEMAS: dict[str, type[ItemSchema]] = {
    "likert": LikertItemSchema,
    "single_choice": SingleChoiceItemSchema,
    "multiple_choice": MultipleChoiceItemSchema,
    "number": NumberItemSchema,
    "text": TextItemSchema,
}
assert tuple(ITEM_SCHEMAS) == ITEM_TYPES  # noqa: S101 - a guard against the two lists drifting


class ItemField(fields.Field):  # type: ignore[type-arg]
    """An ITEM, checked against the schema of its `type`."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValidationError("must be a JSON object (an item)")
        item_type = value.get("type")
        if item_type is None:
            raise ValidationError({"type": [f"is required (one of {', '.join(ITEM_TYPES)})"]})
        if not isinstance(item_type, str) or item_type not in ITEM_SCHEMAS:
            raise ValidationError(
                {"type": [f"is not a known item type (expected one of {', '.join(ITEM_TYPES)})"]}
            )
        schema_instance(ITEM_SCHEMAS[item_type]).load(value)
        # The loaded copy is not used (the model is built from the document), so let it go now
        # rather than keep thousands of them alive until the whole document is loaded.
        return value


class SectionSchema(_Strict):
    id = IdField()
    title = TextField(required=True)
    intro = TextField()
    show_if = ConditionField()
    items = fields.List(
        ItemField(),
        required=True,
        validate=validate.Length(min=1, error="must hold at least one item"),
    )


class InstrumentSchema(_Strict):
    # Lets authors point their editor at instrument.schema.json; it carries no meaning here.
    json_schema = StrictString(data_key="$schema")
    format = fields.String(
        required=True,
        validate=validate.Equal(FORMAT, error=f'must be "{FORMAT}"'),
    )
    id = IdField(required=True)
    version = StrictString(required=True)
    title = TextField(required=True)
    description = TextField()
    languages = fields.List(
        StrictString(
            validate=validate.Regexp(LANGUAGE_RE, error="must be a language code such as en or es")
        ),
        validate=validate.Length(min=1, error="must list at least one language"),
    )
    scales = ScalesField()
    focus_areas = fields.List(
        fields.Nested(FocusAreaSchema),
        required=True,
        validate=validate.Length(min=1, error="must hold at least one focus area"),
    )
    sections = fields.List(
        fields.Nested(SectionSchema),
        required=True,
        validate=validate.Length(min=1, error="must hold at least one section"),
    )
