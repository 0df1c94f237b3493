"""Fixtures for the unit tests: a valid instrument document to start from, and helpers to change it.

`minimal_doc()` returns a fresh, valid `repp-instrument/1` document every time it is called, so a
test may mutate it freely. It is small but has one of everything a rule can be about:

    scales:      agree (1-4, with "Don't know")
    focus areas: fa1 (scored by q1, q6), fa2 (scored by q7, q8)
    sections[0] "s1": q1 likert, q2 single_choice (yes/no, demographic), q3 multiple_choice (a/b/c),
                      q4 number (0-100, whole), q5 text (shown if q2 == "yes")
    sections[1] "s2": shown if q1 is answered; q6 likert reverse, q7 likert, q8 likert
                      (q8 shown unless q7 is 1 or 2)

Two focus areas each scored twice means a mutation of one item's reference causes exactly one
problem, which lets the validation tests insist on exactly one.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

Doc = dict[str, Any]


def text(value: str, languages: Sequence[str]) -> Any:
    """Return TEXT: a plain string for one language, a full mapping for several."""
    if len(languages) == 1:
        return value
    return {lang: value if i == 0 else f"{value} [{lang}]" for i, lang in enumerate(languages)}


def build_minimal(languages: Sequence[str] = ("en",)) -> Doc:
    """Return a fresh valid document (see the module docstring) in the given languages."""

    def t(value: str) -> Any:
        return text(value, languages)

    def options(*values: str) -> list[dict[str, Any]]:
        return [{"value": v, "label": t(v.capitalize())} for v in values]

    doc: Doc = {
        "format": "repp-instrument/1",
        "id": "demo",
        "version": "2024-1",
        "title": t("Organizational self-assessment"),
        "description": t("A short demonstration instrument."),
        "scales": {
            "agree": {
                "points": [
                    {"value": 1, "label": t("Strongly disagree")},
                    {"value": 2, "label": t("Disagree")},
                    {"value": 3, "label": t("Agree")},
                    {"value": 4, "label": t("Strongly agree")},
                ],
                "not_applicable": {"label": t("Don't know")},
            }
        },
        "focus_areas": [
            {"id": "fa1", "title": t("Leadership"), "description": t("Who leads the work.")},
            {"id": "fa2", "title": t("Data")},
        ],
        "sections": [
            {
                "id": "s1",
                "title": t("About you"),
                "intro": t("A few questions first."),
                "items": [
                    {
                        "id": "q1",
                        "type": "likert",
                        "text": t("Leaders talk about race equity."),
                        "scale": "agree",
                        "focus_area": "fa1",
                        "required": True,
                    },
                    {
                        "id": "q2",
                        "type": "single_choice",
                        "text": t("Do you work with youth directly?"),
                        "options": options("yes", "no"),
                        "demographic": True,
                    },
                    {
                        "id": "q3",
                        "type": "multiple_choice",
                        "text": t("Which programs do you work in?"),
                        "help": t("Choose every one that applies."),
                        "options": options("a", "b", "c"),
                    },
                    {
                        "id": "q4",
                        "type": "number",
                        "text": t("Years at the organization"),
                        "min": 0,
                        "max": 100,
                        "integer": True,
                    },
                    {
                        "id": "q5",
                        "type": "text",
                        "text": t("What do you do with youth?"),
                        "max_length": 200,
                        "show_if": {"item": "q2", "equals": "yes"},
                    },
                ],
            },
            {
                "id": "s2",
                "title": t("Practice"),
                "show_if": {"item": "q1", "answered": True},
                "items": [
                    {
                        "id": "q6",
                        "type": "likert",
                        "text": t("Equity work is an afterthought here."),
                        "scale": "agree",
                        "focus_area": "fa1",
                        "reverse": True,
                    },
                    {
                        "id": "q7",
                        "type": "likert",
                        "text": t("We collect data by race."),
                        "scale": "agree",
                        "focus_area": "fa2",
                    },
                    {
                        "id": "q8",
                        "type": "likert",
                        "text": t("We share that data."),
                        "scale": "agree",
                        "focus_area": "fa2",
                        "show_if": {"not": {"item": "q7", "in": [1, 2]}},
                    },
                ],
            },
        ],
    }
    if len(languages) > 1 or tuple(languages) != ("en",):
        doc["languages"] = list(languages)
    return copy.deepcopy(doc)


@pytest.fixture
def minimal_doc() -> Callable[..., Doc]:
    """Return the factory: `minimal_doc()` or `minimal_doc(("en", "es"))`, fresh each call."""
    return build_minimal


def item(doc: Doc, item_id: str) -> dict[str, Any]:
    """Return the item with this id, to change it in place."""
    for section in doc["sections"]:
        for it in section["items"]:
            if it.get("id") == item_id:
                return it
    raise KeyError(item_id)


def section(doc: Doc, section_id: str) -> dict[str, Any]:
    for sec in doc["sections"]:
        if sec.get("id") == section_id:
            return sec
    raise KeyError(section_id)


_PART = re.compile(r'\.?([A-Za-z][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def path_parts(path: str) -> list[str | int]:
    """Split a problem path such as `sections[1].items[3].scale` into keys and indexes."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = _PART.match(path, pos)
        assert match, f"cannot parse path {path!r} at {pos}"
        name, index, quoted = match.groups()
        parts.append(name if name else int(index) if index else json.loads(quoted))
        pos = match.end()
    return parts


MISSING = object()


def resolve(doc: Any, path: str) -> Any:
    """Return the value a problem path points at, or MISSING."""
    return resolve_parts(doc, path_parts(path))


def resolve_parts(doc: Any, parts: Sequence[str | int]) -> Any:
    node = doc
    for part in parts:
        in_list = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
        in_dict = isinstance(part, str) and isinstance(node, dict) and part in node
        if not (in_list or in_dict):
            return MISSING
        node = node[part]
    return node


#: One change to a document: ("set", PATH, VALUE), ("del", PATH) or ("append", PATH, VALUE).
Edit = tuple[Any, ...]


def apply(doc: Doc, edits: Sequence[Edit]) -> Doc:
    """Apply edits addressed by problem-style paths (`sections[0].items[1].options`) in place."""
    for op, path, *value in edits:
        *parent_path, last = path_parts(path)
        parent: Any = doc
        for part in parent_path:
            parent = parent[part]
        if op == "set":
            parent[last] = value[0]
        elif op == "del":
            del parent[last]
        elif op == "append":
            parent[last].append(value[0])
        else:
            raise ValueError(op)
    return doc


class Docs:
    """Helpers to build and change documents, as a fixture (`docs.item(doc, "q1")`...)."""

    minimal = staticmethod(build_minimal)
    item = staticmethod(item)
    section = staticmethod(section)
    text = staticmethod(text)
    resolve = staticmethod(resolve)
    resolve_parts = staticmethod(resolve_parts)
    MISSING = MISSING
    apply = staticmethod(apply)
    path_parts = staticmethod(path_parts)

    @staticmethod
    def write(tmp_path: Path, name: str, doc: Any) -> Path:
        """Write a document (or raw text/bytes) to a file and return its path."""
        path = tmp_path / name
        if isinstance(doc, bytes):
            path.write_bytes(doc)
        elif isinstance(doc, str):
            path.write_text(doc, encoding="utf-8")
        else:
            path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        return path


@pytest.fixture
def docs() -> type[Docs]:
    return Docs
