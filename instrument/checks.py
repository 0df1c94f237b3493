"""Semantic checks: the rules that need the whole document (references, duplicates, order, languages).

They run on the raw document even when its structure has problems, so one run reports everything;
each check therefore guards the shape of what it reads and skips what the schema already reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from instrument.errors import Problem
from instrument.model import ITEM_TYPES, NOT_APPLICABLE, default_favorable
from instrument.paths import PathPart, format_path, owner, show
from instrument.schema import ID_RE, LANGUAGE_RE, is_condition_value, show_key

#: The one name the web survey's forms use beside the item ids (a field per item, named by its id)
#: that an id could take: its own fields start with "_", which no id can.
RESERVED_ITEM_IDS = frozenset({"csrf_token"})


class DuplicateKeyDict(dict[str, Any]):
    """A JSON object that remembers keys it saw more than once (the last value wins)."""

    duplicates: tuple[str, ...] = ()
    #: On the root of a parsed document: whether any object in it had duplicate keys (set by
    #: `instrument.parse_json`); None, unknown, makes the checker look through the whole document.
    nested_duplicates: bool | None = None


def pairs_hook(pairs: list[tuple[str, Any]]) -> DuplicateKeyDict:
    """Build JSON objects, recording duplicate keys instead of silently dropping values."""
    out = DuplicateKeyDict(pairs)
    if len(out) < len(pairs):
        counts: dict[str, int] = {}
        for key, _ in pairs:
            counts[key] = counts.get(key, 0) + 1
        out.duplicates = tuple(key for key, count in counts.items() if count > 1)
    return out


@dataclass(frozen=True)
class _ItemRef:
    """Where an item sits, and what a condition on it may compare with."""

    id: str
    section: int
    order: int
    node: Mapping[str, Any]
    parts: tuple[PathPart, ...]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_map(value: Any) -> TypeGuard[Mapping[str, Any]]:
    # dict first: the Mapping ABC check is slow, and JSON documents hold only dicts.
    return isinstance(value, dict | Mapping)


def _as_map(value: Any) -> Mapping[str, Any]:
    return value if _is_map(value) else {}


class Checker:
    """Collect semantic problems and warnings for one raw document."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        langs = doc.get("languages", ["en"])
        self.languages = [
            lang for lang in _as_list(langs) if isinstance(lang, str) and LANGUAGE_RE.match(lang)
        ] or ["en"]
        self.items: dict[str, _ItemRef] = {}

    def _problem(self, parts: list[PathPart], message: str) -> Problem:
        return Problem(format_path(parts), f"{owner(self.doc, parts)}: {message}", tuple(parts))

    def error(self, parts: list[PathPart], message: str) -> None:
        self.problems.append(self._problem(parts, message))

    def warn(self, parts: list[PathPart], message: str) -> None:
        self.warnings.append(self._problem(parts, message))

    def run(self) -> tuple[list[Problem], list[Problem]]:
        # Only JSON objects built by `pairs_hook` can have had duplicate keys, and
        # `parse_json` records on the root whether any did.
        if isinstance(self.doc, DuplicateKeyDict) and self.doc.nested_duplicates is not False:
            self.check_duplicate_keys(self.doc, [])
        self.check_languages()
        self.check_texts()
        self.check_scales()
        self.check_focus_areas()
        self.check_sections_and_items()
        self.check_conditions()
        self.check_focus_areas_scored()
        return self.problems, self.warnings

    # -- JSON ------------------------------------------------------------------------------------

    def check_duplicate_keys(self, node: Any, parts: list[PathPart]) -> None:
        if isinstance(node, DuplicateKeyDict):
            for key in node.duplicates:
                what = "scale id" if parts == ["scales"] else "key"
                self.error(
                    [*parts, key], f"duplicate {what} {show(key)}; only the last one would count"
                )
        if _is_map(node):
            for key, value in node.items():
                self.check_duplicate_keys(value, [*parts, key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self.check_duplicate_keys(value, [*parts, i])

    # -- languages and TEXT -------------------------------------------------------------------

    def check_languages(self) -> None:
        seen: set[str] = set()
        for i, lang in enumerate(_as_list(self.doc.get("languages"))):
            if not isinstance(lang, str):
                continue
            if lang in seen:
                self.error(["languages", i], f"language {show(lang)} is listed twice")
            seen.add(lang)

    def texts(self) -> Iterator[tuple[list[PathPart], Any]]:
        """Yield the path and value of every TEXT in the document that is present."""
        doc = self.doc
        for key in ("title", "description"):
            if key in doc:
                yield [key], doc[key]
        for sid, scale in _as_map(doc.get("scales")).items():
            scale = _as_map(scale)
            for p, point in enumerate(_as_list(scale.get("points"))):
                if _is_map(point) and "label" in point:
                    yield ["scales", sid, "points", p, "label"], point["label"]
            na = _as_map(scale.get("not_applicable"))
            if "label" in na:
                yield ["scales", sid, "not_applicable", "label"], na["label"]
        for f, area in enumerate(_as_list(doc.get("focus_areas"))):
            yield from _texts_of(area, ["focus_areas", f], ("title", "description"))
        for s, section in enumerate(_as_list(doc.get("sections"))):
            yield from _texts_of(section, ["sections", s], ("title", "intro"))
            for i, item in enumerate(_as_list(_as_map(section).get("items"))):
                base: list[PathPart] = ["sections", s, "items", i]
                yield from _texts_of(item, base, ("text", "help"))
                for o, option in enumerate(_as_list(_as_map(item).get("options"))):
                    yield from _texts_of(option, [*base, "options", o], ("label",))

    def check_texts(self) -> None:
        multi = len(self.languages) > 1
        declared = set(self.languages)
        for parts, value in self.texts():
            if isinstance(value, str):
                if multi and value.strip():
                    self.warn(
                        parts,
                        f"{show(value, 40)} is one plain string for all of "
                        f"{', '.join(self.languages)}; give a translation per language",
                    )
            elif _is_map(value) and value:
                if declared.issubset(value) and declared.issuperset(value):
                    continue
                missing = [lang for lang in self.languages if lang not in value]
                extra = [lang for lang in value if lang not in declared]
                if missing:
                    self.error(
                        parts,
                        f"text {show(value, 50)} is missing language(s) {', '.join(missing)}",
                    )
                if extra:
                    self.error(
                        parts,
                        f"text has language(s) {', '.join(map(show_key, extra))} not declared "
                        f'in "languages" ({", ".join(self.languages)})',
                    )

    # -- scales ----------------------------------------------------------------------------------

    def scale_values(self, scale_id: str) -> list[int]:
        scale = _as_map(_as_map(self.doc.get("scales")).get(scale_id))
        return [
            p["value"]
            for p in _as_list(scale.get("points"))
            if _is_map(p) and _is_int(p.get("value"))
        ]

    def check_scales(self) -> None:
        for sid, scale in _as_map(self.doc.get("scales")).items():
            scale = _as_map(scale)
            points = _as_list(scale.get("points"))
            previous: int | None = None
            for p, point in enumerate(points):
                value = _as_map(point).get("value")
                if not _is_int(value):
                    continue
                if previous is not None and value <= previous:
                    self.error(
                        ["scales", sid, "points", p, "value"],
                        f"point values must strictly increase: {value} follows {previous}",
                    )
                previous = value
            values = self.scale_values(sid)
            for f, fav in enumerate(_as_list(scale.get("favorable"))):
                if _is_int(fav) and fav not in values:
                    self.error(
                        ["scales", sid, "favorable", f],
                        f"favorable value {fav} is not one of the scale's points {values}",
                    )

    # -- focus areas, sections and items ------------------------------------------------------

    def check_focus_areas(self) -> None:
        seen: set[str] = set()
        for f, area in enumerate(_as_list(self.doc.get("focus_areas"))):
            area_id = _as_map(area).get("id")
            if isinstance(area_id, str):
                if area_id in seen:
                    self.error(["focus_areas", f, "id"], f"duplicate focus area id {show(area_id)}")
                seen.add(area_id)

    def focus_area_ids(self) -> set[str]:
        return {
            a["id"]
            for a in _as_list(self.doc.get("focus_areas"))
            if _is_map(a) and isinstance(a.get("id"), str)
        }

    def check_sections_and_items(self) -> None:
        section_ids: set[str] = set()
        scales = _as_map(self.doc.get("scales"))
        areas = self.focus_area_ids()
        order = 0
        for s, section in enumerate(_as_list(self.doc.get("sections"))):
            section = _as_map(section)
            section_id = section.get("id")
            if isinstance(section_id, str):
                if section_id in section_ids:
                    self.error(["sections", s, "id"], f"duplicate section id {show(section_id)}")
                section_ids.add(section_id)
            for i, item in enumerate(_as_list(section.get("items"))):
                item = _as_map(item)
                base: list[PathPart] = ["sections", s, "items", i]
                item_id = item.get("id")
                if isinstance(item_id, str) and item_id in RESERVED_ITEM_IDS:
                    self.error(
                        [*base, "id"],
                        f"item id {show(item_id)} is the name of the survey form's own security "
                        "field; choose another",
                    )
                if isinstance(item_id, str) and ID_RE.match(item_id):
                    if item_id in self.items:
                        first = self.items[item_id]
                        self.error(
                            [*base, "id"],
                            f"duplicate item id {show(item_id)}, first used at "
                            f"{format_path(first.parts)}; item ids must be unique across the "
                            "instrument",
                        )
                    else:
                        self.items[item_id] = _ItemRef(item_id, s, order, item, tuple(base))
                order += 1
                self.check_item(item, base, scales, areas)

    def check_item(
        self,
        item: Mapping[str, Any],
        base: list[PathPart],
        scales: Mapping[str, Any],
        areas: set[str],
    ) -> None:
        kind = item.get("type")
        if kind == "likert":
            scale = item.get("scale")
            if isinstance(scale, str) and ID_RE.match(scale) and scale not in scales:
                known = (
                    ", ".join(sorted(k for k in scales if isinstance(k, str))) or "none are defined"
                )
                self.error([*base, "scale"], f"unknown scale {show(scale)} (scales: {known})")
            area = item.get("focus_area")
            if isinstance(area, str) and ID_RE.match(area) and area not in areas:
                known = ", ".join(sorted(areas)) or "none are defined"
                self.error(
                    [*base, "focus_area"], f"unknown focus area {show(area)} (focus areas: {known})"
                )
        if kind in ("single_choice", "multiple_choice"):
            seen: set[str] = set()
            for o, option in enumerate(_as_list(item.get("options"))):
                value = _as_map(option).get("value")
                if isinstance(value, str):
                    if value in seen:
                        self.error(
                            [*base, "options", o, "value"], f"duplicate option value {show(value)}"
                        )
                    seen.add(value)
        if kind == "number":
            low, high = item.get("min"), item.get("max")
            if _is_number(low) and _is_number(high) and low > high:
                self.error([*base, "min"], f"min {low} is greater than max {high}")
        if (
            kind == "single_choice"
            and item.get("demographic") is True
            and item.get("required") is True
        ):
            self.warn(
                [*base, "required"],
                "demographic items are always optional; required is ignored",
            )

    def check_focus_areas_scored(self) -> None:
        # Every likert item counts, even one whose id is a duplicate or missing (reported
        # already), and so does an item of an unknown type: the author may have mistyped "likert".
        sections = self.doc.get("sections")
        if not _well_formed_sections(sections):
            return  # with items missing, "not scored" would only echo the problem reported there
        scored = set()
        for section in sections:
            for item in section["items"]:
                kind = item.get("type")
                if kind == "likert" or not (isinstance(kind, str) and kind in ITEM_TYPES):
                    area = item.get("focus_area")
                    if isinstance(area, str):
                        scored.add(area)
        for f, area in enumerate(_as_list(self.doc.get("focus_areas"))):
            area_id = _as_map(area).get("id")
            if isinstance(area_id, str) and area_id not in scored:
                self.error(
                    ["focus_areas", f],
                    "no likert item is scored into this focus area (give it items or remove it)",
                )

    # -- conditions ------------------------------------------------------------------------------

    def check_conditions(self) -> None:
        order = 0
        for s, section in enumerate(_as_list(self.doc.get("sections"))):
            section = _as_map(section)
            if "show_if" in section:
                self.check_condition(
                    section["show_if"], ["sections", s, "show_if"], own=None, section=s, order=None
                )
            for i, item in enumerate(_as_list(section.get("items"))):
                item = _as_map(item)
                if "show_if" in item:
                    own = item.get("id") if isinstance(item.get("id"), str) else None
                    self.check_condition(
                        item["show_if"],
                        ["sections", s, "items", i, "show_if"],
                        own=own,
                        section=s,
                        order=order,
                    )
                order += 1

    def check_condition(
        self,
        cond: Any,
        parts: list[PathPart],
        *,
        own: str | None,
        section: int,
        order: int | None,
    ) -> None:
        """Check references of a condition; `order` is the item's position, None for a section."""
        if not _is_map(cond):
            return
        for key in ("all", "any"):
            if key in cond and isinstance(cond[key], list):
                for k, sub in enumerate(cond[key]):
                    self.check_condition(
                        sub, [*parts, key, k], own=own, section=section, order=order
                    )
        if "not" in cond:
            self.check_condition(
                cond["not"], [*parts, "not"], own=own, section=section, order=order
            )
        target = cond.get("item")
        if not isinstance(target, str) or not ID_RE.match(target):
            return
        if target == own:
            self.error([*parts, "item"], f"show_if refers to the item itself ({show(target)})")
            return
        ref = self.items.get(target)
        if ref is None:
            self.error([*parts, "item"], f"show_if refers to unknown item {show(target)}")
            return
        if order is None and ref.section >= section:
            self.error(
                [*parts, "item"],
                f"show_if refers to item {show(target)}, which is not in an earlier section "
                "(a section can only depend on answers already given)",
            )
            return
        if order is not None and ref.order >= order:
            self.error(
                [*parts, "item"],
                f"show_if refers to item {show(target)}, which comes later (forward reference)",
            )
            return
        values: list[Any] = []
        if "equals" in cond:
            values = [(["equals"], cond["equals"])]
        elif "in" in cond and isinstance(cond["in"], list):
            values = [(["in", k], v) for k, v in enumerate(cond["in"])]
        for sub, value in values:
            if not is_condition_value(value):
                continue  # reported by the structure check
            problem = self.comparison_problem(ref, value)
            if problem:
                self.error([*parts, *sub], problem)

    def comparison_problem(self, ref: _ItemRef, value: Any) -> str | None:
        """Explain why an item's answer can never equal `value`, or return None."""
        node = ref.node
        kind = node.get("type")
        if kind in ("single_choice", "multiple_choice"):
            allowed = [o.get("value") for o in _as_list(node.get("options")) if _is_map(o)]
            if not allowed:  # no options at all: reported on the item already
                return None
            if not isinstance(value, str) or value not in allowed:
                return (
                    f"show_if compares item {show(ref.id)} with {show(value)}, which is not one of "
                    f"its option values ({', '.join(show(v) for v in allowed)})"
                )
        elif kind == "likert":
            scale_id = node.get("scale")
            scales = _as_map(self.doc.get("scales"))
            if not isinstance(scale_id, str) or scale_id not in scales:
                return None  # no scale, or an unknown one: reported on the item already
            scale = _as_map(scales[scale_id])
            if not _well_formed_points(scale.get("points")):
                return None  # the scale's points are reported already; its values are unknown
            allowed_values: list[Any] = list(self.scale_values(scale_id))
            if "not_applicable" in scale:
                allowed_values.append(NOT_APPLICABLE)
            if isinstance(value, bool) or value not in allowed_values:
                return (
                    f"show_if compares item {show(ref.id)} with {show(value)}, which is not one of "
                    f"its scale's values ({', '.join(show(v) for v in allowed_values)})"
                )
        elif kind == "number":
            if not _is_number(value):
                return (
                    f"show_if compares number item {show(ref.id)} with {show(value)}, not a number"
                )
        elif kind == "text" and not isinstance(value, str):
            return f"show_if compares text item {show(ref.id)} with {show(value)}, not a string"
        return None


def _texts_of(
    node: Any, base: list[PathPart], keys: tuple[str, ...]
) -> Iterator[tuple[list[PathPart], Any]]:
    if _is_map(node):
        for key in keys:
            if key in node:
                yield [*base, key], node[key]


def _well_formed_points(points: Any) -> bool:
    return (
        isinstance(points, list)
        and len(points) >= 2
        and all(_is_map(p) and _is_int(p.get("value")) for p in points)
    )


def _well_formed_sections(sections: Any) -> TypeGuard[list[Mapping[str, Any]]]:
    """Return whether sections is a non-empty list of sections each holding a list of items."""
    if not isinstance(sections, list) or not sections:
        return False
    for section in sections:
        items = section.get("items") if _is_map(section) else None
        if not isinstance(items, list) or not items or not all(_is_map(i) for i in items):
            return False
    return True


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def favorable_or_default(scale: Mapping[str, Any], values: tuple[int, ...]) -> tuple[int, ...]:
    favorable = scale.get("favorable")
    if isinstance(favorable, list):
        return tuple(sorted(set(favorable)))
    return default_favorable(values)
