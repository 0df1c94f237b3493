"""The canonical JSON form of an instrument and its content hash.

`dump` writes every text as a full language mapping, every default explicitly where it carries
meaning (a scale's favorable set) and nothing else, so two documents that mean the same thing dump
to the same bytes and share a hash however they were written.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from instrument.model import (
    FORMAT,
    All,
    Answered,
    AnyItem,
    AnyOf,
    Condition,
    Equals,
    In,
    Instrument,
    LikertItem,
    MultipleChoiceItem,
    Not,
    NumberItem,
    Option,
    SingleChoiceItem,
    Text,
    TextItem,
)


def dump_text(text: Text) -> dict[str, str]:
    return text.as_dict()


def dump_condition(cond: Condition) -> dict[str, Any]:
    match cond:
        case Equals(item=item, value=value):
            return {"item": item, "equals": value}
        case In(item=item, values=values):
            return {"item": item, "in": list(values)}
        case Answered(item=item):
            return {"item": item, "answered": True}
        case All(conditions=conds):
            return {"all": [dump_condition(c) for c in conds]}
        case AnyOf(conditions=conds):
            return {"any": [dump_condition(c) for c in conds]}
        case Not(condition=inner):
            return {"not": dump_condition(inner)}
    raise TypeError(cond)  # pragma: no cover - the match is exhaustive


def _options(options: tuple[Option, ...]) -> list[dict[str, Any]]:
    return [{"value": o.value, "label": dump_text(o.label)} for o in options]


def dump_item(item: AnyItem) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "type": item.type, "text": dump_text(item.text)}
    if item.help is not None:
        out["help"] = dump_text(item.help)
    if item.required:
        out["required"] = True
    if item.show_if is not None:
        out["show_if"] = dump_condition(item.show_if)
    if isinstance(item, LikertItem):
        out["scale"] = item.scale
        if item.focus_area is not None:
            out["focus_area"] = item.focus_area
        if item.reverse:
            out["reverse"] = True
    elif isinstance(item, SingleChoiceItem):
        out["options"] = _options(item.options)
        if item.demographic:
            out["demographic"] = True
    elif isinstance(item, MultipleChoiceItem):
        out["options"] = _options(item.options)
    elif isinstance(item, NumberItem):
        if item.min is not None:
            out["min"] = item.min
        if item.max is not None:
            out["max"] = item.max
        if item.integer:
            out["integer"] = True
    elif isinstance(item, TextItem) and item.max_length is not None:
        out["max_length"] = item.max_length
    return out


def dump(instrument: Instrument) -> dict[str, Any]:
    """Return the canonical `repp-instrument/1` document of an instrument."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "id": instrument.id,
        "version": instrument.version,
        "title": dump_text(instrument.title),
    }
    if instrument.description is not None:
        out["description"] = dump_text(instrument.description)
    out["languages"] = list(instrument.languages)
    scales: dict[str, Any] = {}
    for scale in instrument.scales:
        raw: dict[str, Any] = {
            "points": [{"value": p.value, "label": dump_text(p.label)} for p in scale.points],
            "favorable": list(scale.favorable),
        }
        if scale.not_applicable is not None:
            raw["not_applicable"] = {"label": dump_text(scale.not_applicable)}
        scales[scale.id] = raw
    out["scales"] = scales
    out["focus_areas"] = []
    for area in instrument.focus_areas:
        area_out: dict[str, Any] = {"id": area.id, "title": dump_text(area.title)}
        if area.description is not None:
            area_out["description"] = dump_text(area.description)
        out["focus_areas"].append(area_out)
    out["sections"] = []
    for section in instrument.sections:
        section_out: dict[str, Any] = {}
        if section.id is not None:
            section_out["id"] = section.id
        section_out["title"] = dump_text(section.title)
        if section.intro is not None:
            section_out["intro"] = dump_text(section.intro)
        if section.show_if is not None:
            section_out["show_if"] = dump_condition(section.show_if)
        section_out["items"] = [dump_item(i) for i in section.items]
        out["sections"].append(section_out)
    return out


def canonical_json(instrument: Instrument) -> str:
    """Return the canonical JSON text: sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(dump(instrument), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(instrument: Instrument) -> str:
    """Return `sha256:<hex>` of the canonical JSON."""
    digest = hashlib.sha256(canonical_json(instrument).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


def pretty_json(instrument: Instrument) -> str:
    """Return the canonical document indented for people, keys in document order."""
    return json.dumps(dump(instrument), indent=2, ensure_ascii=False) + "\n"
