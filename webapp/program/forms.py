"""The program year's forms (Flask-WTF, each with its CSRF token).

The forms check what a form can know; the services (`engagements`, `framework`, `activity`, ...)
have the last word, their `DomainError` shown as a form error. Choices that come from the
database (organizations, waves, focus areas, strategies) are filled in by the views.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from webapp.program import labels
from webapp.program.models import EngagementStatus, MilestoneStatus, PolicyStatus, ProgressStatus
from webapp.program.text import MAX_NOTES, MAX_TEXT
from webapp.program.workplan import OWNER_ROLES


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """Refuse control characters other than line breaks and tabs."""

    def __init__(self) -> None:
        self.message = _l("Remove the control characters from this text.")

    def __call__(self, form: FlaskForm, field: Any) -> None:
        value = field.data
        if isinstance(value, str) and any(
            unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in value
        ):
            raise ValidationError(self.message)


def optional_id(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


def _text(label: Any, message: Any, *, limit: int = MAX_TEXT) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(message), NoControlCharacters(), Length(max=limit)],
        filters=[_strip],
    )


def _optional_text(label: Any, *, limit: int = MAX_TEXT) -> StringField:
    return StringField(
        label, validators=[Optional(), NoControlCharacters(), Length(max=limit)], filters=[_strip]
    )


def _notes(label: Any, *, required: Any = None) -> TextAreaField:
    first = DataRequired(required) if required else Optional()
    return TextAreaField(
        label,
        validators=[first, NoControlCharacters(), Length(max=MAX_NOTES)],
        filters=[_strip],
    )


def _choices(mapping: dict[str, Any], values: Sequence[str]) -> list[SelectChoice]:
    return [SelectChoice(v, mapping[v]) for v in values]


def _select_id(label: Any) -> SelectField:
    return SelectField(
        label,
        coerce=optional_id,
        validate_choice=True,
        invalid_value_message=_l("Choose from the list."),
        invalid_choice_message=_l("Choose from the list."),
    )


class EngagementForm(FlaskForm):
    organization = SelectField(
        _l("Organization"),
        coerce=optional_id,
        validators=[InputRequired(_l("Choose an organization."))],
        invalid_value_message=_l("Choose an organization from the list."),
        invalid_choice_message=_l("Choose an organization from the list."),
    )
    start_on = DateField(_l("Start date"), validators=[InputRequired(_l("Enter the start date."))])
    facilitator = _text(_l("CfJJ facilitator"), _l("Enter the facilitator's name."))
    template = FileField(_l("Work-plan template (optional JSON file)"))

    def validate_organization(self, field: SelectField) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(_l("Choose an organization."))


class EngagementSettingsForm(FlaskForm):
    facilitator = _text(_l("CfJJ facilitator"), _l("Enter the facilitator's name."))
    status = RadioField(
        _l("Status"),
        choices=_choices(labels.ENGAGEMENT_STATUS, [s.value for s in EngagementStatus]),
        validators=[InputRequired(_l("Choose a status."))],
        invalid_choice_message=_l("Choose a status from the list."),
    )
    baseline_wave = _select_id(_l("Baseline wave"))
    followup_wave = _select_id(_l("12-month wave"))


class MilestoneForm(FlaskForm):
    due_on = DateField(_l("Due date"), validators=[InputRequired(_l("Enter the due date."))])
    status = RadioField(
        _l("Status"),
        choices=_choices(labels.MILESTONE_STATUS, [s.value for s in MilestoneStatus]),
        validators=[InputRequired(_l("Choose a status."))],
        invalid_choice_message=_l("Choose a status from the list."),
    )
    owner_role = SelectField(
        _l("Owner"),
        choices=_choices(labels.OWNER_ROLE, list(OWNER_ROLES)),
        invalid_choice_message=_l("Choose an owner from the list."),
    )
    notes = _notes(_l("Notes (optional)"))


def focus_area_form(area_ids: Sequence[str]) -> type[FlaskForm]:
    """Return a form with a checkbox and a reason for each focus area (`pick_N`, `reason_N`)."""

    class FocusAreasForm(FlaskForm):
        def validate(self, extra_validators: Any = None) -> bool:
            ok = super().validate(extra_validators)
            for index in range(len(area_ids)):
                pick, reason = self[f"pick_{index}"], self[f"reason_{index}"]
                if pick.data and not (reason.data or "").strip():
                    reason.errors.append(_l("Say why the working group takes this focus area on."))
                    ok = False
            return ok

        def chosen(self) -> dict[str, str]:
            return {
                area_id: self[f"reason_{index}"].data or ""
                for index, area_id in enumerate(area_ids)
                if self[f"pick_{index}"].data
            }

    for index, _area_id in enumerate(area_ids):
        setattr(FocusAreasForm, f"pick_{index}", BooleanField(_l("Take this focus area on")))
        setattr(FocusAreasForm, f"reason_{index}", _notes(_l("Why (required when chosen)")))
    return FocusAreasForm


class MemberForm(FlaskForm):
    name = _text(_l("Name"), _l("Enter the member's name."))
    role = _optional_text(_l("Role or job title (optional)"))
    contact = _optional_text(_l("Email or phone (optional)"))


class VolunteerForm(FlaskForm):
    name = _text(_l("Your name"), _l("Enter your name."))
    role = _optional_text(_l("Your role or job title (optional)"))
    contact = _text(_l("Email or phone"), _l("Enter how the working group can reach you."))
    message = _notes(_l("Anything you would like to add (optional)"))
    consent = BooleanField(
        _l(
            "I agree that CfJJ and my organization's leadership may contact me about the working group."
        ),
        validators=[DataRequired(_l("Agree to be contacted, or close this page."))],
    )


class StrategyForm(FlaskForm):
    focus_area = SelectField(
        _l("Focus area"),
        validators=[InputRequired(_l("Choose a focus area."))],
        invalid_choice_message=_l("Choose one of the selected focus areas."),
    )
    title = _text(_l("Strategy"), _l("Enter the strategy."))
    description = _notes(_l("Description (optional)"))
    owner = _optional_text(_l("Owner (a role or team, optional)"))
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])


class StatusForm(FlaskForm):
    status = RadioField(
        _l("Progress"),
        choices=_choices(labels.PROGRESS_STATUS, [s.value for s in ProgressStatus]),
        validators=[InputRequired(_l("Choose a status."))],
        invalid_choice_message=_l("Choose a status from the list."),
    )


class ReviewForm(FlaskForm):
    comment = _notes(_l("Comments (needed to return it)"))


class IndicatorForm(FlaskForm):
    name = _text(_l("Indicator"), _l("Enter the indicator's name."))
    measure = SelectField(
        _l("What it measures"),
        validators=[InputRequired(_l("Choose what the indicator measures."))],
        invalid_choice_message=_l("Choose what the indicator measures from the list."),
    )
    direction = RadioField(
        _l("Direction"),
        choices=_choices(labels.DIRECTION, ["higher", "lower"]),
        default="higher",
        validators=[InputRequired(_l("Choose a direction."))],
        invalid_choice_message=_l("Choose a direction from the list."),
    )
    target = FloatField(
        _l("Target"),
        validators=[InputRequired(_l("Enter the target as a number."))],
    )
    unit = _optional_text(_l("Unit (optional, e.g. policies)"), limit=32)
    baseline_value = FloatField(
        _l("Baseline (hand-entered measures only)"), validators=[Optional()]
    )
    owner = _text(_l("Owner"), _l("Enter who owns this indicator (a role or a team)."))
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])
    data_source = _text(_l("Data source"), _l("Enter where the figure comes from."))

    def validate_target(self, field: FloatField) -> None:
        if field.data is not None and abs(field.data) > 1e9:
            raise ValidationError(_l("Enter a smaller number."))


class ProgressForm(FlaskForm):
    status = RadioField(
        _l("Status"),
        choices=_choices(labels.PROGRESS_STATUS, [s.value for s in ProgressStatus]),
        validators=[InputRequired(_l("Choose a status."))],
        invalid_choice_message=_l("Choose a status from the list."),
    )
    current_value = FloatField(_l("Current value (optional)"), validators=[Optional()])
    evidence = _notes(_l("Evidence notes (optional)"))


def checkin_form(strategy_ids: Sequence[int], indicator_ids: Sequence[int]) -> type[FlaskForm]:
    """Return the check-in form with a status choice per strategy and per indicator."""
    no_change = [SelectChoice("", _l("No change"))]
    statuses = _choices(labels.PROGRESS_STATUS, [s.value for s in ProgressStatus])

    class CheckInForm(FlaskForm):
        held_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
        notes = _notes(_l("Progress notes"), required=_l("Write the progress notes."))

        def changes(self, kind: str, ids: Sequence[int]) -> dict[int, ProgressStatus]:
            out = {}
            for record_id in ids:
                value = self[f"{kind}_{record_id}"].data
                if value:
                    out[record_id] = ProgressStatus(value)
            return out

    for record_id in strategy_ids:
        setattr(
            CheckInForm,
            f"strategy_{record_id}",
            SelectField(_l("Strategy status"), choices=no_change + statuses, default=""),
        )
    for record_id in indicator_ids:
        setattr(
            CheckInForm,
            f"indicator_{record_id}",
            SelectField(_l("Indicator status"), choices=no_change + statuses, default=""),
        )
    return CheckInForm


class TrainingForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    title = _text(_l("Title"), _l("Enter the training's title."))
    audience = _text(_l("Audience"), _l("Enter who the training was for."))
    attended = IntegerField(
        _l("Number attended (optional)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000, message=_l("Enter a number from 0 to 100000.")),
        ],
    )
    strategy = _select_id(_l("Strategy (optional)"))


class PolicyForm(FlaskForm):
    name = _text(_l("Policy"), _l("Enter the policy's name."))
    status = SelectField(
        _l("Status"),
        choices=_choices(labels.POLICY_STATUS, [s.value for s in PolicyStatus]),
        invalid_choice_message=_l("Choose a status from the list."),
    )
    adopted_on = DateField(_l("Date adopted (adopted policies only)"), validators=[Optional()])
    strategy = _select_id(_l("Strategy (optional)"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        field = self.adopted_on
        adopted = self.status.data == PolicyStatus.ADOPTED.value
        if field.errors:
            return ok
        if adopted and field.data is None:
            field.errors.append(_l("Enter the date the policy was adopted."))
            return False
        if not adopted and field.data is not None:
            field.errors.append(_l("Only an adopted policy has a date adopted."))
            return False
        return ok
