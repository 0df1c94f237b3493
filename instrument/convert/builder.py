"""Assemble a `repp-instrument/1` document from converted questions, keeping it valid as it grows.

Both converters share this: ids made valid and unique, scales shared between questions with the
same points, focus areas created from the names questions use, conditions resolved against the
questions converted so far (so they can only look back), languages collected, and one warning for
every element that was dropped or changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from instrument.checks import RESERVED_ITEM_IDS
from instrument.convert.base import Conversion, ConversionError
from instrument.convert.expressions import Expr, ExpressionError
from instrument.convert.show_if import Stored, Target, as_number, resolve, value_key
from instrument.convert.texts import Localized, finish_texts, joined
from instrument.model import FORMAT, NOT_APPLICABLE

#: Source values read as repp's "not applicable" point rather than as a scored point.
NOT_APPLICABLE_VALUES = frozenset(
    {"na", "n/a", "n_a", "not_applicable", "dk", "dont_know", "don't know", "dontknow"}
)

#: The focus area every scored question goes into when the source names none.
GENERAL_AREA = "general"

_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]+")

#: One source choice: its value and, when the source has one, its label.
Choice = tuple[object, Localized | None]


def make_id(name: str, prefix: str) -> str:
    """Return a valid repp id for a source name: ASCII letters, digits, "_", "-"; letter first."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_ID_CHARS.sub("_", ascii_name).strip("_-")
    if not cleaned:
        return prefix
    return cleaned if cleaned[0].isalpha() else f"{prefix}{cleaned}"


class IdPool:
    """Hand out valid ids, each once: a name taken before gets a numeric suffix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.used: set[str] = set()

    def take(self, name: str) -> str:
        base = make_id(name, self.prefix)
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}_{n}", n + 1
        self.used.add(candidate)
        return candidate


def _frozen(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple((key, _frozen(v)) for key, v in value.items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, Localized):
        return ("text", value.texts)
    assert isinstance(value, Hashable)  # noqa: S101 - documents hold only JSON values and texts
    return value


def _as_int(key: str) -> int | None:
    number = as_number(key)
    if isinstance(number, float):
        return int(number) if number.is_integer() else None
    return number


class Builder:
    """Collect sections, scales and focus areas into one document; see the module docstring."""

    def __init__(self, default_language: str, *, names_ignore_case: bool = False) -> None:
        self.languages: list[str] = [default_language]
        #: SurveyJS matches `{Name}` to a question "name" regardless of case; XLSForm does not.
        self.names_ignore_case = names_ignore_case
        self.warnings: list[str] = []
        #: Every question name in the source, so a condition can say "comes later" or "unknown".
        self.names: set[str] = set()
        self.sections: list[dict[str, Any]] = []
        self._item_ids = IdPool("q")
        # The survey's own form fields: an item may not take their names.
        self._item_ids.used.update(RESERVED_ITEM_IDS)
        self._section_ids = IdPool("section")
        self._area_ids = IdPool("area")
        self._scales: dict[str, dict[str, Any]] = {}
        self._scale_keys: dict[Hashable, str] = {}
        self._areas: dict[str, dict[str, Any]] = {}
        self._targets: dict[str, Target] = {}
        self._dropped: set[str] = set()
        self._likert: list[tuple[dict[str, Any], str]] = []

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # -- texts -----------------------------------------------------------------------------------

    def text(self, translations: Mapping[str, str], owner: str) -> Localized | None:
        """Return a text from translations keyed by repp language code, or None if all are empty."""
        pairs = tuple(
            (lang, text.strip()) for lang, text in translations.items() if text and text.strip()
        )
        if not pairs:
            return None
        for lang, _ in pairs:
            if lang not in self.languages:
                self.languages.append(lang)
        return Localized(pairs, owner)

    def plain(self, text: str, owner: str) -> Localized | None:
        """Return a text written only in the default language."""
        return self.text({self.default_language: text}, owner)

    def english(self, text: str, owner: str) -> Localized:
        """Return a default label ("Other", "Yes"), in English for the author to translate."""
        return Localized((("en", text),), owner)

    def neutral(self, text: str) -> Localized:
        """Return a generated text (a name, a number): the same in every language, never warned."""
        return Localized.neutral(text.strip() or "?")

    def joined(self, first: Localized | None, second: Localized | None) -> Localized | None:
        if first is None or second is None:
            return first or second
        return joined(first, second, self.languages)

    # -- ids -------------------------------------------------------------------------------------

    def item_id(self, name: str, what: str) -> str:
        """Return a unique item id for a source name, warning when it had to change."""
        item_id = self._item_ids.take(name)
        if item_id != name:
            if name in RESERVED_ITEM_IDS:
                why = "that name is reserved for the survey's own form fields"
            elif make_id(name, "q") == name:
                why = "that id is already taken"
            else:
                why = 'repp ids start with a letter and hold only letters, digits, "_" or "-"'

            self.warn(f'{what} gets the id "{item_id}" ({why})')
        return item_id

    def section_id(self, name: str) -> str:
        return self._section_ids.take(name)

    # -- choices and scales --------------------------------------------------------------------

    def options(
        self, choices: Sequence[Choice], owner: str
    ) -> tuple[list[dict[str, Any]], dict[str, Stored]]:
        """Return the options of a choice question and its source-to-option value map."""
        options: list[dict[str, Any]] = []
        values: dict[str, Stored] = {}
        for value, label in choices:
            key = value_key(value)
            if not key:
                self.warn(f"{owner}: a choice without a usable value was dropped")
                continue
            if key in values:
                self.warn(f'{owner}: the choice value "{key}" appears twice; the second is dropped')
                continue
            values[key] = key
            options.append({"value": key, "label": label or self.neutral(key)})
        return options, values

    def scale(self, choices: Sequence[Choice], owner: str) -> tuple[str, dict[str, Stored]] | None:
        """Return a scale id for rating points (shared when identical) and the value map.

        Whole-number values become the point values; any other values are scored 1..k in the
        order given. A value such as "na" or "dont_know" becomes the scale's not-applicable
        choice. Returns None when fewer than two points remain.
        """
        na: tuple[str, Localized | None] | None = None
        entries: list[tuple[str, Localized | None]] = []
        for value, label in choices:
            key = value_key(value)
            if not key:
                self.warn(f"{owner}: a rating point without a usable value was dropped")
                continue
            if key in (k for k, _ in entries) or (na is not None and key == na[0]):
                self.warn(f'{owner}: the value "{key}" appears twice; the second is dropped')
                continue
            if key.lower() in NOT_APPLICABLE_VALUES and na is None:
                na = (key, label)
                continue
            entries.append((key, label))
        if len(entries) < 2:
            return None
        numbers = [_as_int(key) for key, _ in entries]
        points: list[tuple[int, str, Localized | None]]
        whole = [n for n in numbers if n is not None]
        if len(whole) == len(entries) and len(set(whole)) == len(whole):
            points = [(n, key, label) for n, (key, label) in zip(whole, entries, strict=True)]
            if whole != sorted(whole):
                self.warn(
                    f"{owner}: its points are not listed from lowest to highest value; "
                    "repp lists them in increasing order"
                )
                points.sort(key=lambda point: point[0])
        else:
            listed = ", ".join(f'"{key}"' for key, _ in entries)
            self.warn(
                f"{owner}: its values ({listed}) are not distinct whole numbers; they are scored "
                f"1 to {len(entries)} in the order listed"
            )
            points = [(n, key, label) for n, (key, label) in enumerate(entries, 1)]
        scale: dict[str, Any] = {
            "points": [
                {"value": n, "label": label or self.neutral(key)} for n, key, label in points
            ]
        }
        mapping: dict[str, Stored] = {key: n for n, key, _ in points}
        if na is not None:
            scale["not_applicable"] = {"label": na[1] or self.neutral(na[0])}
            mapping[na[0]] = NOT_APPLICABLE
        frozen = _frozen(scale)
        scale_id = self._scale_keys.get(frozen)
        if scale_id is None:
            scale_id = f"scale_{len(self._scales) + 1}"
            self._scale_keys[frozen] = scale_id
            self._scales[scale_id] = scale
        return scale_id, mapping

    # -- focus areas and likert items --------------------------------------------------------

    def focus_area(self, name: str, title: Localized) -> str:
        """Return the id of the focus area a source names, creating it on first use."""
        area = self._areas.get(name)
        if area is None:
            area = {"id": self._area_ids.take(name), "title": title}
            self._areas[name] = area
        return str(area["id"])

    def likert(self, item: dict[str, Any], area: str | None, owner: str) -> None:
        """Note a likert item, scored into `area` (or the general area when the source has none)."""
        if area is not None:
            item["focus_area"] = area
        self._likert.append((item, owner))

    # -- conditions ------------------------------------------------------------------------------

    def register(self, name: str, target: Target) -> None:
        """Make a converted question available to the conditions of later ones."""
        self._targets.setdefault(self._fold(name), target)

    def drop(self, name: str) -> None:
        """Remember a question that was not converted, to explain conditions that refer to it."""
        if self._fold(name) not in self._targets:
            self._dropped.add(self._fold(name))

    def show_if(
        self,
        source: object,
        parse: Callable[[str], Expr],
        *,
        owner: str,
        key: str,
        own: str | None = None,
    ) -> dict[str, Any] | None:
        """Return the `show_if` of a source condition; None (and a warning) if repp can't say it."""
        if source is None or (isinstance(source, str) and not source.strip()):
            return None
        if not isinstance(source, str):
            self.warn(f"{owner}: {key} dropped: it is not a text expression")
            return None

        def lookup(name: str) -> Target:
            target = self._targets.get(self._fold(name))
            if target is not None:
                return target
            if own is not None and self._fold(name) == self._fold(own):
                raise ExpressionError("it refers to the question itself")
            if self._fold(name) in self._dropped:
                raise ExpressionError(f'it refers to question "{name}", which was dropped')
            if self._fold(name) in {self._fold(n) for n in self.names}:
                raise ExpressionError(
                    f'it refers to question "{name}", which comes later (repp conditions may '
                    "only look back)"
                )
            raise ExpressionError(f'there is no question "{name}"')

        try:
            return resolve(parse(source), lookup)
        except ExpressionError as exc:
            self.warn(f'{owner}: {key} "{source.strip()}" dropped: {exc}')
            return None

    def _fold(self, name: str) -> str:
        return name.lower() if self.names_ignore_case else name

    # -- the document ----------------------------------------------------------------------------

    def add_section(self, section: dict[str, Any]) -> None:
        self.sections.append(section)

    def finish(
        self,
        *,
        instrument_id: str,
        version: str,
        title: Localized,
        description: Localized | None,
        no_items: str,
        no_likert: str,
    ) -> Conversion:
        """Return the finished document; raise ConversionError when it cannot be valid."""
        if not self.sections:
            raise ConversionError(no_items)
        if not self._likert:
            raise ConversionError(no_likert)
        if not self._areas:
            title = self.english("General", f'focus area "{GENERAL_AREA}"')
            self._areas[GENERAL_AREA] = {"id": GENERAL_AREA, "title": title}
            for item, _ in self._likert:
                item["focus_area"] = GENERAL_AREA
            self.warn(
                f"no focus areas are named in the source: all {len(self._likert)} rated "
                f'questions are scored in one focus area "{GENERAL_AREA}"'
            )
        else:
            for item, owner in self._likert:
                if "focus_area" not in item:
                    self.warn(f"{owner} names no focus area: it is asked but not scored")
        doc: dict[str, Any] = {
            "format": FORMAT,
            "id": make_id(instrument_id, "instrument"),
            "version": version.strip() or "1",
            "title": title,
        }
        if description is not None:
            doc["description"] = description
        doc["languages"] = list(self.languages)
        doc["scales"] = self._scales
        doc["focus_areas"] = list(self._areas.values())
        doc["sections"] = self.sections
        finished, text_warnings = finish_texts(doc, self.languages)
        return Conversion(finished, tuple(self.warnings + text_warnings))
