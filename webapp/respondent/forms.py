"""The WTForms form of a section page, built from the instrument by one function.

Every question's field is named after its item id. Which questions must be answered depends on
the answers (an item hidden by `show_if` is neither required nor kept) and on the button pressed
("Save and finish later" and "Back" require nothing), so the form is checked with `check`, given
the answers of the other pages. Values a browser cannot send (an unknown field, an option that is
not offered) are refused before the form is built, by `malformed`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation

try:  # WTForms 3.3 wants choices as SelectChoice; older versions take (value, label) pairs.
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3
    SelectChoice = None

import instrument
from instrument import (
    NOT_APPLICABLE,
    AnyItem,
    Instrument,
    LikertItem,
    MultipleChoiceItem,
    NumberItem,
    SingleChoiceItem,
    TextItem,
)
from webapp.respondent.pages import Page, condition_note

#: Form fields that are not questions, on a respondent's page and on the preview's. They start
#: with "_", which no item id can (an id starts with a letter), so any id is free for a question;
#: only Flask-WTF's "csrf_token" is reserved by the instrument checks.
ACTION_FIELD = "_action"
DRAFT_FIELD = "_draft"
SUBMISSION_FIELD = "_submission"
PREVIEW_FIELD = "_preview"
RESPONDENT_CONTROLS = frozenset({"csrf_token", ACTION_FIELD, DRAFT_FIELD, SUBMISSION_FIELD})
PREVIEW_CONTROLS = frozenset({"csrf_token", ACTION_FIELD, PREVIEW_FIELD})
CONTROL_FIELDS = RESPONDENT_CONTROLS | PREVIEW_CONTROLS
ACTIONS = ("next", "back", "save", "submit")
#: Attribute prefix of question fields, so an item id never shadows a form method ("data").
PREFIX = "q_"
#: More digits than this is not a number anyone means (and would overflow a float).
MAX_NUMBER_LENGTH = 30

_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\Z")
_THOUSANDS_RE = re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}\Z")
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# -- parsing ----------------------------------------------------------------------------------------


def parse_number(raw: str, *, integer: bool) -> int | float:
    """Read a number as people type it ("12", "2.5", "2,5", " -3 "); raise ValueError(message)."""
    text = "".join(raw.split()).replace("\u2212", "-")
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValueError(_("Enter a smaller number"))
    if not _NUMBER_RE.match(text):
        if integer:
            raise ValueError(_("Enter a whole number, like 12"))
        raise ValueError(_("Enter a number, like 12 or 2.5"))
    if integer:
        if "." in text or "," in text:
            raise ValueError(_("Enter a whole number, like 12, without a point or comma"))
        return int(text)
    if _THOUSANDS_RE.match(text):
        raise ValueError(
            _("Write the number without a comma between thousands, like 1500 (or 2.5 for decimals)")
        )
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(_("Enter a smaller number"))
    return int(value) if value.is_integer() else value


def normalize_text(raw: str) -> str:
    """Return typed text as stored: one kind of line break, no control characters, trimmed.

    Browsers count a line break as one character for `maxlength` but send two (CR LF).
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS_RE.sub("", text).strip()


def format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


# -- fields -----------------------------------------------------------------------------------------


class NumberField(StringField):
    """A text input read with `parse_number`; keeps what was typed for the page shown again."""

    def __init__(self, *args: Any, integer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.integer = integer
        self.typed: str | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.typed = str(valuelist[0]) if valuelist else ""
        self.data = None
        if self.typed.strip():
            self.data = parse_number(self.typed, integer=self.integer)

    def _value(self) -> str:
        if self.typed is not None:
            return self.typed
        return "" if self.data is None else format_number(self.data)


class TextField(TextAreaField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = normalize_text(str(valuelist[0])) if valuelist else ""


def _has_answer(field: Field) -> bool:
    if isinstance(field, NumberField):
        return bool(field.typed and field.typed.strip()) or field.data is not None
    return instrument.is_answered(field.data)


def _required_message(item: AnyItem) -> str:
    if isinstance(item, MultipleChoiceItem):
        return _("Choose at least one option")
    if isinstance(item, NumberItem):
        return _("Enter a number")
    if isinstance(item, TextItem):
        return _("Enter your answer")
    return _("Choose an answer")


def _only_if_shown(form: SectionForm, field: Field) -> None:
    """Skip every check of a question its condition hides; its answer is dropped."""
    if field.name not in form.shown:
        field.errors[:] = []
        raise StopValidation()


def _answered_if_required(item: AnyItem) -> Any:
    required = instrument.is_required(item)

    def check(form: SectionForm, field: Field) -> None:
        if _has_answer(field):
            return
        field.errors[:] = []
        if required and form.require:
            raise StopValidation(_required_message(item))
        raise StopValidation()

    return check


def _within_bounds(item: NumberItem) -> Any:
    def check(form: SectionForm, field: Field) -> None:
        value = field.data
        if value is None:
            return
        low, high = item.min, item.max
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                message = _(
                    "Enter a number between %(min)s and %(max)s",
                    min=format_decimal(low),
                    max=format_decimal(high),
                )
            elif low is not None:
                message = _("Enter a number of at least %(min)s", min=format_decimal(low))
            else:
                message = _("Enter a number of at most %(max)s", max=format_decimal(high))
            raise StopValidation(message)

    return check


def _not_too_long(item: TextItem) -> Any:
    def check(form: SectionForm, field: Field) -> None:
        if item.max_length is not None and len(field.data or "") > item.max_length:
            raise StopValidation(
                _(
                    "Your answer must be %(max)s characters or fewer (it has %(count)s)",
                    max=item.max_length,
                    count=len(field.data or ""),
                )
            )

    return check


# -- the form ---------------------------------------------------------------------------------------


class SectionForm(FlaskForm):
    """Base of every section form; `section_form` makes the subclasses."""

    class Meta:
        # The respondent views check the CSRF token themselves, to keep answers on expiry.
        csrf = False

    instrument: ClassVar[Instrument]
    language: ClassVar[str]
    section_index: ClassVar[int]
    item_ids: ClassVar[tuple[str, ...]]

    shown: frozenset[str] = frozenset()
    require: bool = False

    def field(self, item_id: str) -> Field:
        return self._fields[PREFIX + item_id]

    def given(self) -> dict[str, Any]:
        """Return the typed answers on this page, whether or not their questions are shown."""
        out: dict[str, Any] = {}
        for item_id in self.item_ids:
            field = self.field(item_id)
            if field.process_errors or not instrument.is_answered(field.data):
                continue
            item = self.instrument.item(item_id)
            if isinstance(item, LikertItem) and field.data != NOT_APPLICABLE:
                out[item_id] = int(field.data)
            elif isinstance(item, MultipleChoiceItem):
                out[item_id] = [v for v in item.option_values if v in field.data]
            else:
                out[item_id] = field.data
        return out

    def check(self, known: Mapping[str, Any], *, require: bool) -> bool:
        """Validate against the other pages' answers `known`; `require` required answers."""
        self.require = require
        self.shown = frozenset(
            instrument.visibility(self.instrument, {**known, **self.given()}).items
        )
        return self.validate()

    def answers(self) -> dict[str, Any]:
        """Return the answers to keep: given, valid, and to questions that are shown."""
        return {
            k: v for k, v in self.given().items() if k in self.shown and not self.field(k).errors
        }

    def error(self, item_id: str) -> str | None:
        errors = self.field(item_id).errors
        return str(errors[0]) if errors else None

    def error_list(self) -> list[tuple[str, str]]:
        """Return `(item_id, message)` for every question with an error, in page order."""
        return [(i, msg) for i in self.item_ids if (msg := self.error(i)) is not None]


def _choices(item: AnyItem, inst: Instrument, language: str) -> list[tuple[str, str]]:
    if isinstance(item, LikertItem):
        scale = inst.scale(item.scale)
        choices = [(str(p.value), p.label.get(language)) for p in scale.points]
        if scale.not_applicable is not None:
            choices.append((NOT_APPLICABLE, scale.not_applicable.get(language)))
        return choices
    if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
        return [(o.value, o.label.get(language)) for o in item.options]
    return []


def _field_choices(item: AnyItem, inst: Instrument, language: str) -> list[Any]:
    pairs = _choices(item, inst, language)
    if SelectChoice is None:  # pragma: no cover - WTForms < 3.3
        return pairs
    return [SelectChoice(value, label) for value, label in pairs]


def _make_field(item: AnyItem, inst: Instrument, language: str) -> Any:
    label = item.text.get(language)
    validators: list[Any] = [_only_if_shown, _answered_if_required(item)]
    if isinstance(item, LikertItem | SingleChoiceItem):
        return RadioField(
            label,
            choices=_field_choices(item, inst, language),
            validators=validators,
            validate_choice=False,
            name=item.id,
        )
    if isinstance(item, MultipleChoiceItem):
        return SelectMultipleField(
            label,
            choices=_field_choices(item, inst, language),
            validators=validators,
            validate_choice=False,
            name=item.id,
        )
    if isinstance(item, NumberItem):
        validators.append(_within_bounds(item))
        return NumberField(label, validators=validators, integer=item.integer, name=item.id)
    validators.append(_not_too_long(item))
    return TextField(label, validators=validators, name=item.id)


def section_form(
    inst: Instrument, section_index: int, language: str, visible_items: tuple[AnyItem, ...]
) -> type[SectionForm]:
    """Return the form class of section `section_index` showing `visible_items`."""
    attrs: dict[str, Any] = {
        "instrument": inst,
        "language": language,
        "section_index": section_index,
        "item_ids": tuple(item.id for item in visible_items),
    }
    for item in visible_items:
        attrs[PREFIX + item.id] = _make_field(item, inst, language)
    return type(f"Section{section_index}Form", (SectionForm,), attrs)


def initial_data(form_class: type[SectionForm], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return a draft's answers as the `data` a form class takes for its first showing."""
    out: dict[str, Any] = {}
    for item_id in form_class.item_ids:
        if item_id not in answers:
            continue
        value = answers[item_id]
        item = form_class.instrument.item(item_id)
        if isinstance(item, LikertItem):
            value = str(value)
        out[PREFIX + item_id] = value
    return out


def malformed(
    form_class: type[SectionForm],
    formdata: MultiDict[str, Any],
    controls: frozenset[str] = RESPONDENT_CONTROLS,
) -> str | None:
    """Return why a posted page is not what this page's form can send, or None when it is.

    Fields of the section's other items (hidden when the page was drawn) are allowed and ignored:
    an answer elsewhere may have hidden them since.
    """
    inst = form_class.instrument
    section_items = {item.id for item in inst.sections[form_class.section_index].items}
    if section_items & CONTROL_FIELDS:
        return f"item ids clash with form fields: {sorted(section_items & CONTROL_FIELDS)}"
    shown = set(form_class.item_ids)
    for key in formdata:
        values = formdata.getlist(key)
        if key in controls:
            if len(values) != 1:
                return f"{key} sent {len(values)} times"
            if key == ACTION_FIELD and values[0] not in ACTIONS:
                return "unknown action"
            continue
        if not isinstance(key, str) or key not in section_items:
            # (A multipart part with a broken name arrives named None.)
            return f"unknown field {str(key)[:40]!r}"
        if key not in shown:
            continue
        item = inst.item(key)
        offered = {value for value, _label in _choices(item, inst, form_class.language)}
        if isinstance(item, MultipleChoiceItem):
            if len(set(values)) != len(values) or not set(values) <= offered:
                return f"{key}: not a set of the options"
        elif len(values) != 1:
            return f"{key} sent {len(values)} times"
        elif offered and values[0] not in offered:
            return f"{key}: not one of the options"
    return None


# -- what the templates draw ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    id: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class QuestionView:
    """One question as the templates draw it; element ids derive from the item id."""

    id: str
    type: str
    text: str
    help: str | None
    required: bool
    demographic: bool
    choices: tuple[Choice, ...]
    #: Choices drawn apart from the scale: a likert item's "Don't know".
    apart: tuple[Choice, ...]
    value: str
    error: str | None
    condition_json: str | None
    note: str | None
    input_mode: str
    max_length: int | None

    @property
    def is_choice(self) -> bool:
        return self.type in ("likert", "single_choice", "multiple_choice")

    @property
    def input_type(self) -> str:
        return "checkbox" if self.type == "multiple_choice" else "radio"

    @property
    def described_by(self) -> str:
        """The ids of the note, hint and error, for `aria-describedby`."""
        ids = []
        if self.note:
            ids.append(f"{self.id}.note")
        if self.help:
            ids.append(f"{self.id}.hint")
        if self.max_length:
            ids.append(f"{self.id}.limit")
        if self.error:
            ids.append(f"{self.id}.error")
        return " ".join(ids)


def _choice_id(item_id: str, position: int) -> str:
    # The first input carries the item id itself, so "#<item id>" (the error summary's link)
    # focuses the question. A dot cannot occur in an item id, so the others never clash.
    return item_id if position == 0 else f"{item_id}.{position}"


def question_views(form: SectionForm, page: Page) -> list[QuestionView]:
    inst, language = form.instrument, form.language
    views = []
    for question in page.questions:
        item = question.item
        field = form.field(item.id)
        choices = _choices(item, inst, language)
        data = field.data
        selected = set(data) if isinstance(data, list) else {data} if data is not None else set()
        drawn = tuple(
            Choice(_choice_id(item.id, n), value, label, value in selected)
            for n, (value, label) in enumerate(choices)
        )
        apart: tuple[Choice, ...] = ()
        if isinstance(item, LikertItem) and drawn and drawn[-1].value == NOT_APPLICABLE:
            drawn, apart = drawn[:-1], drawn[-1:]
        views.append(
            QuestionView(
                id=item.id,
                type=item.type,
                text=item.text.get(language),
                help=item.help.get(language) if item.help else None,
                required=instrument.is_required(item),
                demographic=isinstance(item, SingleChoiceItem) and item.demographic,
                choices=drawn,
                apart=apart,
                value="" if drawn or apart else field._value(),
                error=form.error(item.id),
                condition_json=question.condition_json,
                note=(
                    condition_note(question.condition, inst, language)
                    if question.condition is not None
                    else None
                ),
                input_mode=(
                    "numeric"
                    if isinstance(item, NumberItem) and item.integer and (item.min or 0) >= 0
                    else "decimal"
                ),
                max_length=item.max_length if isinstance(item, TextItem) else None,
            )
        )
    return views
