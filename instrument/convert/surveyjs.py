"""Convert a SurveyJS survey (its JSON definition) into a `repp-instrument/1` document.

Pages become sections and questions become items (see `HANDLED` for the mapping); panels are
flattened into their page. A custom `focusArea` property on a rating, matrix, radiogroup or
dropdown question names the focus area it is scored into. Whatever repp cannot represent is
dropped with a warning naming it. `convert_survey` is pure; `from_surveyjs` reads the file.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from instrument.convert.base import Conversion, ConversionError
from instrument.convert.builder import Builder, Choice
from instrument.convert.expressions import parse_surveyjs
from instrument.convert.show_if import Target, as_number, value_key
from instrument.convert.texts import Localized, language_code, without_surrogates

#: Question types repp cannot hold, and why (said in the warning).
UNSUPPORTED: dict[str, str] = {
    "html": "repp has no html element",
    "expression": "repp does not compute values",
    "image": "repp has no image element",
    "file": "repp does not take file uploads",
    "signaturepad": "repp does not take signatures",
    "ranking": "repp has no ranking question",
    "imagepicker": "repp has no picture choices",
    "matrixdropdown": "repp has no multi-column matrix",
    "matrixdynamic": "repp has no multi-column matrix",
    "paneldynamic": "repp has no repeating panel",
    "multipletext": "repp has no multiple-text question",
}

#: Question properties that carry logic repp does not have.
LOGIC_PROPERTIES = (
    "enableIf",
    "requiredIf",
    "setValueIf",
    "setValueExpression",
    "resetValueIf",
    "defaultValueExpression",
    "choicesVisibleIf",
    "choicesEnableIf",
    "rowsVisibleIf",
    "columnsVisibleIf",
    "validators",
)

#: Survey properties that carry logic or pages repp does not have.
SURVEY_LOGIC = (
    "triggers",
    "calculatedValues",
    "completedHtml",
    "completedHtmlOnCondition",
    "navigateToUrlOnCondition",
)

#: The extra choices a choice question can switch on: flags, value, label property, label.
SPECIAL_CHOICES = (
    (("showOtherItem", "hasOther"), "other", "otherText", "Other"),
    (("showNoneItem", "hasNone"), "none", "noneText", "None"),
    (("showRefuseItem",), "refused", "refuseText", "Refuse to answer"),
    (("showDontKnowItem",), "dontknow", "dontKnowText", "Don't know"),
)

_SURROGATES_REPLACED = (
    'some text holds lone surrogates (such as "\\ud800"), which are not Unicode text; '
    "each was replaced by \ufffd"
)

#: A generated rating scale with more points than this becomes a number question instead.
MAX_RATING_POINTS = 21

#: Input types of a `text` question that ask for a number.
NUMBER_INPUTS = ("number", "range")

#: Types whose `focusArea` is read (the others warn that it is ignored).
SCORED_TYPES = ("rating", "matrix", "radiogroup", "dropdown")


def from_surveyjs(path: Path) -> Conversion:
    """Convert the SurveyJS JSON file at `path`; raise ConversionError if it can't be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"cannot read the file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConversionError(
            f"not UTF-8 text (byte {exc.start}): a SurveyJS survey is a JSON file"
        ) from None
    try:
        survey = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConversionError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ConversionError(f"not valid JSON: {exc}") from None
    return convert_survey(survey, name=path.stem)


def convert_survey(survey: Any, name: str = "survey") -> Conversion:
    """Convert a parsed SurveyJS survey; `name` (the file's stem) becomes the instrument id."""
    if not isinstance(survey, Mapping):
        raise ConversionError(
            f"a SurveyJS survey is a JSON object with pages or elements, not {_kind(survey)}"
        )
    try:
        cleaned, changed = without_surrogates(survey)
        converter = _Survey(cleaned, name)
        if changed:
            converter.b.warn(_SURROGATES_REPLACED)
        return converter.convert()
    except RecursionError:
        raise ConversionError("the survey is nested too deeply to convert") from None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return (
        "a number"
        if isinstance(value, int | float) and not isinstance(value, bool)
        else "true/false"
    )


def _name(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    key = value_key(value)
    return key if key is not None and not isinstance(value, bool) else ""


def _elements(container: Mapping[str, Any]) -> list[Any]:
    for key in ("elements", "questions"):
        found = container.get(key)
        if isinstance(found, list):
            return found
    return []


def _questions(containers: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Yield every element inside the containers that is not a panel, panels searched too."""
    for container in containers:
        for element in _elements(container):
            if not isinstance(element, Mapping):
                continue
            if _type(element) == "panel":
                yield from _questions([element])
            else:
                yield element


def _type(element: Mapping[str, Any]) -> str:
    raw = element.get("type")
    return raw.strip().lower() if isinstance(raw, str) else ""


def _hidden(element: Mapping[str, Any]) -> bool:
    """Whether an element is switched off for good (`visible: false` and no visibleIf)."""
    return element.get("visible") is False and not element.get("visibleIf")


class _Survey:
    """One conversion: walks pages and elements in order, feeding the builder."""

    def __init__(self, survey: Mapping[str, Any], name: str) -> None:
        self.survey = survey
        self.name = name or "survey"
        locale = survey.get("locale")
        code = language_code(locale) if isinstance(locale, str) and locale.strip() else None
        self.b = Builder(code or "en", names_ignore_case=True)
        if isinstance(locale, str) and locale.strip() and code is None:
            self.b.warn(f'the survey locale "{locale}" is not a language code; English is assumed')
        self.bad_languages: set[str] = set()
        self.questions = 0

    # -- texts -----------------------------------------------------------------------------------

    def text(self, value: Any, owner: str) -> Localized | None:
        """Read a SurveyJS string: plain (the survey's locale) or `{"default": ..., "es": ...}`."""
        if isinstance(value, str):
            return self.b.plain(value, owner)
        if isinstance(value, int | float) and not isinstance(value, bool):
            key = value_key(value)
            return self.b.plain(key, owner) if key else None
        if not isinstance(value, Mapping):
            return None
        translations: dict[str, str] = {}
        default = value.get("default")
        if isinstance(default, str) and default.strip():
            translations[self.b.default_language] = default
        for key, text in value.items():
            if key == "default" or not isinstance(text, str) or not text.strip():
                continue
            lang = language_code(str(key))
            if lang is None:
                if key not in self.bad_languages:
                    self.bad_languages.add(str(key))
                    self.b.warn(
                        f'{owner}: text in "{key}" dropped: not a language code (such as "es")'
                    )
                continue
            translations.setdefault(lang, text)
        return self.b.text(translations, owner)

    # -- the survey ------------------------------------------------------------------------------

    def convert(self) -> Conversion:
        pages = self.pages()
        self.b.names = set(self.all_names(pages))
        self.questions = sum(1 for _ in _questions(pages))
        for number, page in enumerate(pages, 1):
            self.page(page, number)
        for key in SURVEY_LOGIC:
            if self.survey.get(key):
                self.b.warn(f'the survey\'s "{key}" dropped: repp cannot represent it')
        title = self.text(self.survey.get("title"), "the survey title")
        dropped = (
            "it has no questions"
            if self.questions == 0
            else "none of its questions can be held by repp (see the warnings)"
        )
        return self.b.finish(
            instrument_id=self.name,
            version="1",
            title=title or self.b.neutral(self.name),
            description=self.text(self.survey.get("description"), "the survey description"),
            no_items=f"nothing to convert: {dropped}",
            no_likert=(
                "a repp instrument needs at least one rating or matrix question (or a "
                "radiogroup or dropdown with a focusArea) to score, and this survey has none"
            ),
        )

    def pages(self) -> list[Mapping[str, Any]]:
        pages = self.survey.get("pages")
        if isinstance(pages, list) and pages:
            out = []
            for number, page in enumerate(pages, 1):
                if isinstance(page, Mapping):
                    out.append(page)
                else:
                    self.b.warn(f"page {number} dropped: it is not a JSON object")
            return out
        elements = _elements(self.survey)
        if elements:
            return [{"name": "page1", "elements": elements}]
        raise ConversionError(
            'nothing to convert: the survey has no "pages" and no "elements" (is this a '
            "SurveyJS survey?)"
        )

    def all_names(self, containers: list[Mapping[str, Any]]) -> Iterator[str]:
        """Yield the name of every question (and `matrix.row`) inside the containers."""
        for element in _questions(containers):
            name = _name(element.get("name"))
            if name:
                yield name
                rows = element.get("rows")
                for row in rows if isinstance(rows, list) else []:
                    row_value = row.get("value") if isinstance(row, Mapping) else row
                    yield f"{name}.{value_key(row_value)}"

    def page(self, page: Mapping[str, Any], number: int) -> None:
        name = _name(page.get("name")) or f"page{number}"
        owner = f'page "{name}"'
        if _hidden(page):
            self.b.warn(f"{owner} dropped: it is hidden (visible: false)")
            for nested in self.all_names([page]):
                self.b.drop(nested)
            return
        title = self.text(page.get("title"), owner) or self.b.neutral(name)
        intro = self.text(page.get("description"), owner)
        show_if = self.b.show_if(
            page.get("visibleIf"), parse_surveyjs, owner=owner, key="visibleIf"
        )
        items: list[dict[str, Any]] = []
        for element in _elements(page):
            items.extend(self.element(element, owner))
        if not items:
            self.b.warn(f"{owner} dropped: it has no question repp can hold")
            return
        section: dict[str, Any] = {"id": self.b.section_id(name), "title": title}
        if intro is not None:
            section["intro"] = intro
        if show_if is not None:
            section["show_if"] = show_if
        section["items"] = items
        self.b.add_section(section)

    # -- elements --------------------------------------------------------------------------------

    def element(self, element: Any, where: str) -> list[dict[str, Any]]:
        if not isinstance(element, Mapping):
            self.b.warn(f"{where}: an element that is not a JSON object was dropped")
            return []
        raw_type = element.get("type")
        kind = _type(element)
        if kind == "panel":
            return self.panel(element, where)
        name = _name(element.get("name"))
        label = f'question "{name}"' if name else f"a {kind or 'untyped'} question in {where}"
        handler = self.handlers().get(kind)
        if handler is None:
            reason = UNSUPPORTED.get(kind) or (
                f'repp has no "{raw_type}" question' if kind else "it has no type"
            )
            shown = f" ({raw_type})" if kind else ""
            self.b.warn(f"{label}{shown} dropped: {reason}")
            self.b.drop(name)
            return []
        if _hidden(element):
            self.b.warn(f"{label} dropped: it is hidden (visible: false)")
            self.b.drop(name)
            return []
        logic = [key for key in LOGIC_PROPERTIES if element.get(key)]
        if logic:
            self.b.warn(f"{label}: {', '.join(logic)} dropped: repp cannot represent them")
        if element.get("focusArea") and kind not in SCORED_TYPES:
            self.b.warn(f"{label}: focusArea ignored: only rated questions are scored")
        return handler(element, name, label)

    def handlers(self) -> dict[str, Callable[[Mapping[str, Any], str, str], list[dict[str, Any]]]]:
        return {
            "radiogroup": self.single_choice,
            "dropdown": self.single_choice,
            "checkbox": self.multiple_choice,
            "tagbox": self.multiple_choice,
            "boolean": self.boolean,
            "rating": self.rating,
            "matrix": self.matrix,
            "text": self.text_question,
            "comment": self.text_question,
        }

    def panel(self, panel: Mapping[str, Any], where: str) -> list[dict[str, Any]]:
        name = _name(panel.get("name"))
        owner = f'panel "{name}"' if name else f"a panel in {where}"
        if _hidden(panel):
            self.b.warn(f"{owner} dropped: it is hidden (visible: false)")
            for nested in self.all_names([panel]):
                self.b.drop(nested)
            return []
        lost = [key for key in ("title", "description", "visibleIf") if panel.get(key)]
        lost += [key for key in LOGIC_PROPERTIES if panel.get(key)]
        if lost:
            self.b.warn(
                f"{owner}: its questions join {where}; its {', '.join(lost)} dropped "
                "(repp has no panels)"
            )
        items: list[dict[str, Any]] = []
        for element in _elements(panel):
            items.extend(self.element(element, where))
        return items

    def base(
        self, element: Mapping[str, Any], name: str, label: str, show_if: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Return the id, text, help, required and show_if every item has."""
        item_id = self.b.item_id(name, label)
        item: dict[str, Any] = {
            "id": item_id,
            "type": "text",
            "text": self.text(element.get("title"), label) or self.b.neutral(name or item_id),
        }
        help_text = self.text(element.get("description"), label)
        if help_text is not None:
            item["help"] = help_text
        if element.get("isRequired") is True:
            item["required"] = True
        if show_if is not None:
            item["show_if"] = show_if
        return item

    def condition(self, element: Mapping[str, Any], name: str, label: str) -> dict[str, Any] | None:
        return self.b.show_if(
            element.get("visibleIf"), parse_surveyjs, owner=label, key="visibleIf", own=name
        )

    def choices(self, element: Mapping[str, Any], label: str) -> list[Choice]:
        """Return a question's choices, with the extra ones (Other, None, ...) it switches on."""
        raw = element.get("choices")
        out = self.labelled(raw, label)
        if isinstance(raw, list) and any(
            isinstance(c, Mapping) and (c.get("visibleIf") or c.get("enableIf")) for c in raw
        ):
            self.b.warn(f"{label}: the conditions on its choices dropped: every choice is shown")
        for flags, value, text_key, default_label in SPECIAL_CHOICES:
            if any(element.get(flag) is True for flag in flags):
                text = self.text(element.get(text_key), label) or self.b.english(
                    default_label, label
                )
                out.append((value, text))
                if value == "other":
                    self.b.warn(
                        f'{label}: the "Other" choice is kept, but not its comment box '
                        "(repp has no per-choice text)"
                    )
        return out

    def choice_item(
        self, element: Mapping[str, Any], name: str, label: str, kind: str
    ) -> list[dict[str, Any]]:
        show_if = self.condition(element, name, label)
        choices = self.choices(element, label)
        if kind == "single_choice" and element.get("focusArea"):
            scored = self.likert(element, name, label, show_if, choices)
            if scored:
                return scored
        options, values = self.b.options(choices, label)
        if len(options) < 2:
            source = (
                " (they come from a web service or another question)"
                if (element.get("choicesByUrl") or element.get("choicesFromQuestion"))
                else ""
            )
            self.b.warn(f"{label} dropped: it offers fewer than 2 choices{source}")
            self.b.drop(name)
            return []
        item = self.base(element, name, label, show_if)
        item["type"] = kind
        item["options"] = options
        self.b.register(name, Target(item["id"], kind, values))
        return [item]

    def single_choice(
        self, element: Mapping[str, Any], name: str, label: str
    ) -> list[dict[str, Any]]:
        return self.choice_item(element, name, label, "single_choice")

    def multiple_choice(
        self, element: Mapping[str, Any], name: str, label: str
    ) -> list[dict[str, Any]]:
        return self.choice_item(element, name, label, "multiple_choice")

    def likert(
        self,
        element: Mapping[str, Any],
        name: str,
        label: str,
        show_if: dict[str, Any] | None,
        choices: list[Choice],
    ) -> list[dict[str, Any]]:
        """Convert a radiogroup or dropdown with a focusArea into a likert item, if it can be."""
        title = self.area_title(element, label)
        if title is None:
            return []
        scaled = self.b.scale(choices, label)
        if scaled is None:
            self.b.warn(f"{label}: focusArea ignored: it needs at least 2 choices to be scored")
            return []
        scale_id, mapping = scaled
        item = self.base(element, name, label, show_if)
        item["type"] = "likert"
        item["scale"] = scale_id
        self.b.likert(item, self.b.focus_area(title.first(self.b.languages), title), label)
        self.b.register(name, Target(item["id"], "likert", mapping))
        return [item]

    def boolean(self, element: Mapping[str, Any], name: str, label: str) -> list[dict[str, Any]]:
        show_if = self.condition(element, name, label)
        yes = value_key(element.get("valueTrue")) or "true"
        no = value_key(element.get("valueFalse")) or "false"
        if yes == no:
            yes, no = "true", "false"
        item = self.base(element, name, label, show_if)
        item["type"] = "single_choice"
        item["options"] = [
            {
                "value": yes,
                "label": self.text(element.get("labelTrue"), label) or self.b.english("Yes", label),
            },
            {
                "value": no,
                "label": self.text(element.get("labelFalse"), label) or self.b.english("No", label),
            },
        ]
        values = {"true": yes, "false": no, yes: yes, no: no}
        self.b.register(name, Target(item["id"], "single_choice", values, true_value=yes))
        return [item]

    def area_title(self, element: Mapping[str, Any], label: str) -> Localized | None:
        """Return the title of the focus area a question names, or None (warning if unusable)."""
        raw = element.get("focusArea")
        if raw is None or raw == "":
            return None
        owner = f'focus area "{raw}"' if isinstance(raw, str) else f"the focus area of {label}"
        title = self.text(raw, owner)
        if title is None:
            self.b.warn(f"{label}: focusArea ignored: it is not a name")
        return title

    def area(self, element: Mapping[str, Any], label: str) -> str | None:
        """Return the id of the focus area a question names (created on first use), or None."""
        title = self.area_title(element, label)
        return None if title is None else self.b.focus_area(title.first(self.b.languages), title)

    def rating(self, element: Mapping[str, Any], name: str, label: str) -> list[dict[str, Any]]:
        show_if = self.condition(element, name, label)
        listed = element.get("rateValues")
        choices: list[Choice]
        if isinstance(listed, list) and listed and element.get("autoGenerate") is not True:
            choices = []
            for value in listed:
                if isinstance(value, Mapping):
                    choices.append((value.get("value"), self.text(value.get("text"), label)))
                else:
                    choices.append((value, None))
        else:
            first, step, total = _rate_range(element)
            if total > MAX_RATING_POINTS:
                last = _tidy(first + step * (total - 1))
                return self.wide_rating(element, name, label, show_if, (first, last, total))
            choices = [(_tidy(first + step * i), None) for i in range(total)]
        if choices:
            for index, key in ((0, "minRateDescription"), (-1, "maxRateDescription")):
                description = self.text(element.get(key), label)
                value, text = choices[index]
                if description is not None and text is None:
                    choices[index] = (value, description)
        scaled = self.b.scale(choices, label)
        if scaled is None:
            self.b.warn(f"{label} dropped: its rating scale has fewer than 2 points")
            self.b.drop(name)
            return []
        scale_id, mapping = scaled
        item = self.base(element, name, label, show_if)
        item["type"] = "likert"
        item["scale"] = scale_id
        self.b.likert(item, self.area(element, label), label)
        self.b.register(name, Target(item["id"], "likert", mapping))
        return [item]

    def wide_rating(
        self,
        element: Mapping[str, Any],
        name: str,
        label: str,
        show_if: dict[str, Any] | None,
        bounds: tuple[int | float, int | float, int],
    ) -> list[dict[str, Any]]:
        first, last, total = bounds
        self.b.warn(
            f"{label}: its rating runs from {first} to {last} ({total} points); it becomes a "
            "number question, which is not scored"
        )
        item = self.base(element, name, label, show_if)
        item["type"] = "number"
        item["min"], item["max"] = _tidy(first), last
        self.b.register(name, Target(item["id"], "number"))
        return [item]

    def matrix(self, element: Mapping[str, Any], name: str, label: str) -> list[dict[str, Any]]:
        show_if = self.condition(element, name, label)
        columns = self.labelled(element.get("columns"), label)
        rows: list[tuple[str, Localized | None]] = []
        for value, text in self.labelled(element.get("rows"), label):
            key = value_key(value)
            if not key or key in (k for k, _ in rows):
                self.b.warn(f"{label}: a row without a usable, unique value was dropped")
                continue
            rows.append((key, text))
        if not rows:
            self.b.warn(f"{label} (matrix) dropped: it has no rows")
            self.b.drop(name)
            return []
        scaled = self.b.scale(columns, label)
        if scaled is None:
            self.b.warn(f"{label} (matrix) dropped: it has fewer than 2 columns")
            self.b.drop(name)
            return []
        scale_id, mapping = scaled
        stem = self.b.joined(
            self.text(element.get("title"), label), self.text(element.get("description"), label)
        )
        required = element.get("isAllRowRequired") is True
        if element.get("isRequired") is True and not required:
            self.b.warn(
                f"{label}: isRequired asks for at least one row, which repp cannot say; its rows "
                "are optional (set isAllRowRequired to require every row)"
            )
        area = self.area(element, label)
        items: list[dict[str, Any]] = []
        for key, text in rows:
            row_label = f'row "{key}" of matrix "{name}"'
            item: dict[str, Any] = {
                "id": self.b.item_id(f"{name}_{key}", row_label),
                "type": "likert",
                "text": text or self.b.neutral(key),
                "scale": scale_id,
            }
            if stem is not None:
                item["help"] = stem
            if required:
                item["required"] = True
            if show_if is not None:
                item["show_if"] = copy.deepcopy(show_if)
            self.b.likert(item, area, row_label)
            self.b.register(f"{name}.{key}", Target(item["id"], "likert", mapping))
            items.append(item)
        rows_targets = tuple(Target(item["id"], "likert", mapping) for item in items)
        self.b.register(name, Target(name, "matrix", rows=rows_targets))
        return items

    def labelled(self, raw: Any, label: str) -> list[Choice]:
        """Read SurveyJS item values: plain values or `{"value": ..., "text": ...}` objects."""
        out: list[Choice] = []
        for entry in raw if isinstance(raw, list) else []:
            if isinstance(entry, Mapping):
                out.append((entry.get("value"), self.text(entry.get("text"), label)))
            else:
                out.append((entry, None))
        return out

    def text_question(
        self, element: Mapping[str, Any], name: str, label: str
    ) -> list[dict[str, Any]]:
        show_if = self.condition(element, name, label)
        raw_input = element.get("inputType")
        input_type = raw_input.strip().lower() if isinstance(raw_input, str) else "text"
        item = self.base(element, name, label, show_if)
        if element.get("type") != "comment" and input_type in NUMBER_INPUTS:
            item["type"] = "number"
            low, high = as_number(element.get("min")), as_number(element.get("max"))
            if low is not None and high is not None and low > high:
                self.b.warn(f"{label}: min {low} is above max {high}; both dropped")
                low = high = None
            if low is not None:
                item["min"] = low
            if high is not None:
                item["max"] = high
            self.b.register(name, Target(item["id"], "number"))
            return [item]
        if input_type not in ("text", ""):
            self.b.warn(f'{label}: input type "{raw_input}" becomes a free-text answer')
        max_length = element.get("maxLength")
        if isinstance(max_length, int) and not isinstance(max_length, bool) and max_length > 0:
            item["max_length"] = max_length
        self.b.register(name, Target(item["id"], "text"))
        return [item]


def _rate_range(element: Mapping[str, Any]) -> tuple[int | float, int | float, int]:
    """Return the first generated rate value, the step and the number of values, as SurveyJS does.

    Values run from rateMin to rateMax by rateStep; rateCount stands in for whichever end is
    missing; the defaults are 1 to 5 by 1.
    """
    step = as_number(element.get("rateStep")) or 1
    if step <= 0:
        step = 1
    count_raw = element.get("rateCount")
    count = (
        count_raw
        if isinstance(count_raw, int) and not isinstance(count_raw, bool) and count_raw > 0
        else None
    )
    low, high = as_number(element.get("rateMin")), as_number(element.get("rateMax"))
    if low is None and high is None:
        low = 1
        high = 1 + step * (count - 1) if count else 5
    elif high is None:
        assert low is not None  # noqa: S101 - the branch above covers both missing
        high = low + step * (count - 1) if count else 5
    elif low is None:
        low = high - step * (count - 1) if count else 1
    span = (high - low) / step
    if not math.isfinite(span) or span < 0:
        return low, step, 0
    return low, step, math.floor(span + 1e-9) + 1


def _tidy(value: float | int) -> int | float:
    """Round away float noise (0.1 * 3) and write whole numbers as ints."""
    rounded = round(value, 9)
    return int(rounded) if float(rounded).is_integer() else rounded
