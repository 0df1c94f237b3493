"""JSON paths (`sections[1].items[3].scale`) and the names of the elements they point into."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from instrument.schema import ID_RE, show_key

PathPart = str | int


def format_path(parts: Sequence[PathPart]) -> str:
    """Return a JSON path: `.key` for id-like keys, `[i]` for indexes, `["key"]` otherwise."""
    out = ""
    for part in parts:
        if isinstance(part, str):
            if ID_RE.match(part):
                out += f".{part}" if out else part
            else:
                out += f"[{show_key(part)}]"
        elif isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:  # a key that is not a string, only possible in a mapping built in Python
            out += f"[{part!r}]"
    return out


def document_order(doc: Any, parts: Sequence[PathPart]) -> tuple[tuple[int, int | str], ...]:
    """Return a sort key putting paths in the order their places appear in the document.

    Keys that the document lacks (a missing required key) sort after the keys it has, by name.
    """
    key: list[tuple[int, int | str]] = []
    node = doc
    for part in parts:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            key.append((0, part))
            node = node[part]
        elif isinstance(node, Mapping) and part in node:
            key.append((0, list(node).index(part)))
            node = node[part]
        else:
            key.append((1, str(part)))
            node = None
    return tuple(key)


def value_at(doc: Any, parts: Sequence[PathPart]) -> Any:
    """Return the value at `parts` in `doc`, or None where the path does not exist."""
    node = doc
    for part in parts:
        in_list = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
        in_map = not isinstance(part, int) and isinstance(node, Mapping) and part in node
        if not (in_list or in_map):
            return None
        node = node[part]
    return node


def show(value: Any, limit: int = 60) -> str:
    """Return a short JSON rendering of an offending value for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: spell it as JSON escapes
        text = json.dumps(value)
    except (TypeError, ValueError, RecursionError):
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
            kind = None
            if parent_key == "items" and len(parents) == 4 and parents[0] == "sections":
                kind = "item"
            elif parent_key == "sections" and len(parents) == 2:
                kind = "section"
            elif parent_key == "focus_areas" and len(parents) == 2:
                kind = "focus area"
            if kind:
                element_id = _id_of(node)
                # An element without a usable id is named by its (0-based) path instead.
                name = (
                    f"{kind} {show(element_id)}"
                    if element_id
                    else f"{kind} at {format_path(parents)}"
                )
        elif parent_key == "scales" and len(parents) == 2:
            name = f"scale {show(part) if isinstance(part, str) else repr(part)}"
        if node is None:
            break
    return name
