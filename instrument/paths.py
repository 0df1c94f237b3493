"""JSON paths (`sections[1].items[3].scale`) and the names of the elements they point into."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from instrument.schema import ID_RE

PathPart = str | int


def format_path(parts: Sequence[PathPart]) -> str:
    """Return a JSON path: `.key` for id-like keys, `[i]` for indexes, `["key"]` otherwise."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif ID_RE.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def value_at(doc: Any, parts: Sequence[PathPart]) -> Any:
    """Return the value at `parts` in `doc`, or None where the path does not exist."""
    node = doc
    for part in parts:
        in_list = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
        in_map = isinstance(part, str) and isinstance(node, Mapping) and part in node
        if not (in_list or in_map):
            return None
        node = node[part]
    return node


def show(value: Any, limit: int = 60) -> str:
    """Return a short JSON rendering of an offending value for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _id_of(node: Any) -> str | None:
    if isinstance(node, Mapping):
        value = node.get("id")
        if isinstance(value, str):
            return value
    return None


def owner(doc: Any, parts: Sequence[PathPart]) -> str:
    """Name the innermost element (item, section, scale, focus area, instrument) a path is inside."""
    name = "instrument"
    doc_id = _id_of(doc)
    if doc_id:
        name = f"instrument {show(doc_id)}"
    node: Any = doc
    parents: list[PathPart] = []
    for part in parts:
        parent_key = parents[-1] if parents else None
        node = value_at(node, [part])
        parents.append(part)
        if isinstance(part, int):
            if parent_key == "items" and len(parents) >= 4:
                item_id = _id_of(node)
                name = f"item {show(item_id)}" if item_id else f"item {part + 1} of this section"
            elif parent_key == "sections" and len(parents) == 2:
                section_id = _id_of(node)
                name = f"section {show(section_id)}" if section_id else f"section {part + 1}"
            elif parent_key == "focus_areas" and len(parents) == 2:
                area_id = _id_of(node)
                name = f"focus area {show(area_id)}" if area_id else f"focus area {part + 1}"
        elif parent_key == "scales" and len(parents) == 2:
            name = f"scale {show(part)}"
        if node is None:
            break
    return name
