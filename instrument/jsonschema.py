"""A JSON Schema (draft 2020-12) of `repp-instrument/1`, for editors' completion and inline errors.

It describes structure only; references, duplicates and order are checked by `repp validate`.
The committed copy at `questionnaires/instrument.schema.json` is kept equal to this by a test.
"""

from __future__ import annotations

import json
from typing import Any

from instrument.model import FORMAT, ITEM_TYPES
from instrument.schema import ID_PATTERN, LANGUAGE_PATTERN

SCHEMA_ID = "https://cfjj.org/repp/instrument.schema.json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _object(
    properties: dict[str, Any], required: list[str], description: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if description:
        out["description"] = description
    out["properties"] = properties
    out["required"] = required
    out["additionalProperties"] = False
    return out


def _item(
    kind: str, extra: dict[str, Any], required: list[str], description: str
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": _ref("id"),
        "type": {"const": kind},
        "text": _ref("text"),
        "help": _ref("text"),
        "required": {"type": "boolean", "default": False},
        "show_if": _ref("condition"),
    }
    properties.update(extra)
    return _object(properties, ["id", "type", "text", *required], description)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the instrument format."""
    value = {"type": ["string", "number", "boolean"]}
    options = {
        "type": "array",
        "minItems": 2,
        "items": _object(
            {"value": {"type": "string", "minLength": 1}, "label": _ref("text")}, ["value", "label"]
        ),
    }
    defs: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": 'A letter, then letters, digits, "_" or "-".',
        },
        "text": {
            "description": "One string for every language, or a mapping of language code to string.",
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": LANGUAGE_PATTERN},
                    "additionalProperties": {"type": "string", "minLength": 1},
                },
            ],
        },
        "condition": {
            "description": "When to show a section or item; it may refer only to earlier items.",
            "oneOf": [
                _object({"item": _ref("id"), "equals": value}, ["item", "equals"]),
                _object(
                    {"item": _ref("id"), "in": {"type": "array", "minItems": 1, "items": value}},
                    ["item", "in"],
                ),
                _object({"item": _ref("id"), "answered": {"const": True}}, ["item", "answered"]),
                _object(
                    {"all": {"type": "array", "minItems": 1, "items": _ref("condition")}}, ["all"]
                ),
                _object(
                    {"any": {"type": "array", "minItems": 1, "items": _ref("condition")}}, ["any"]
                ),
                _object({"not": _ref("condition")}, ["not"]),
            ],
        },
        "scale": _object(
            {
                "points": {
                    "type": "array",
                    "minItems": 2,
                    "description": "Answer points, values strictly increasing.",
                    "items": _object(
                        {"value": {"type": "integer"}, "label": _ref("text")}, ["value", "label"]
                    ),
                },
                "not_applicable": _object(
                    {"label": _ref("text")},
                    ["label"],
                    'An optional "Don\'t know" / "N/A" choice, scored as missing.',
                ),
                "favorable": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "integer"},
                    "description": "Point values counted as favorable; default: the top two "
                    "values on scales of 4 or more points, else the top one.",
                },
            },
            ["points"],
        ),
        "focus_area": _object(
            {"id": _ref("id"), "title": _ref("text"), "description": _ref("text")},
            ["id", "title"],
        ),
        "section": _object(
            {
                "id": _ref("id"),
                "title": _ref("text"),
                "intro": _ref("text"),
                "show_if": _ref("condition"),
                "items": {"type": "array", "minItems": 1, "items": _ref("item")},
            },
            ["title", "items"],
        ),
        "item": {"oneOf": [_ref(f"{kind}_item") for kind in ITEM_TYPES]},
        "likert_item": _item(
            "likert",
            {
                "scale": _ref("id"),
                "focus_area": _ref("id"),
                "reverse": {"type": "boolean", "default": False},
            },
            ["scale"],
            "An agreement-style item answered on a scale; scored when it names a focus area.",
        ),
        "single_choice_item": _item(
            "single_choice",
            {"options": options, "demographic": {"type": "boolean", "default": False}},
            ["options"],
            "One option; demographic items are the only breakdowns reports may offer.",
        ),
        "multiple_choice_item": _item(
            "multiple_choice", {"options": options}, ["options"], "Any number of options."
        ),
        "number_item": _item(
            "number",
            {
                "min": {"type": "number"},
                "max": {"type": "number"},
                "integer": {"type": "boolean", "default": False},
            },
            [],
            "A number, optionally bounded.",
        ),
        "text_item": _item(
            "text",
            {"max_length": {"type": "integer", "minimum": 1}},
            [],
            "Free text; never part of scoring output.",
        ),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "repp instrument",
        "description": f"A questionnaire in the {FORMAT} format.",
        "type": "object",
        "properties": {
            "$schema": {"type": "string"},
            "format": {"const": FORMAT},
            "id": _ref("id"),
            "version": {"type": "string", "minLength": 1},
            "title": _ref("text"),
            "description": _ref("text"),
            "languages": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"type": "string", "pattern": LANGUAGE_PATTERN},
                "default": ["en"],
            },
            "scales": {
                "type": "object",
                "propertyNames": _ref("id"),
                "additionalProperties": _ref("scale"),
            },
            "focus_areas": {"type": "array", "minItems": 1, "items": _ref("focus_area")},
            "sections": {"type": "array", "minItems": 1, "items": _ref("section")},
        },
        "required": ["format", "id", "version", "title", "focus_areas", "sections"],
        "additionalProperties": False,
        "$defs": defs,
    }


def json_schema_text() -> str:
    """Return the schema as the text committed at `questionnaires/instrument.schema.json`."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
