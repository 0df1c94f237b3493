"""The admin forms (Flask-WTF, so every one carries a CSRF token).

Choices that come from the database (organizations, instrument versions) are filled in by the
views; the forms check only what a form can know, and the domain modules (`webapp.waves`,
`webapp.users`, ...) have the last word, their `DomainError` shown as a form error.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from webapp.models import Role
from webapp.organizations import SECTORS, SLUG_RE
from webapp.security import MIN_PASSWORD_LENGTH
from webapp.users import EMAIL_RE
from webapp.waves import LABEL_RE, MAX_INVITATIONS

SECTOR_LABELS = {
    "child-welfare": _l("Child welfare"),
    "education": _l("Education"),
    "police": _l("Police"),
    "juvenile-justice": _l("Juvenile justice"),
    "other": _l("Other"),
}

ROLE_LABELS = {
    Role.ADMIN.value: _l("CfJJ admin (sees and manages everything)"),
    Role.LEADER.value: _l("Organization leader (sees aggregates of one organization)"),
    Role.MEMBER.value: _l("Working-group member (edits the program year of one organization)"),
}


class PrintableText:
    """Refuse control characters (a NUL cannot even be stored in PostgreSQL)."""

    def __init__(self) -> None:
        self.message = _l("Remove the control characters from this text.")

    def __call__(self, form: FlaskForm, field: Any) -> None:
        value = field.data
        if isinstance(value, str) and any(unicodedata.category(c) == "Cc" for c in value):
            raise ValidationError(self.message)


def sector_label(sector: str | None) -> str:
    """Return the display name of a sector (the stored value when it has none)."""
    if not sector:
        return str(_l("Not stated"))
    return str(SECTOR_LABELS.get(sector, sector))


def optional_id(value: Any) -> int | None:
    """Coerce a select's value to an id; the empty choice is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


class InstrumentUploadForm(FlaskForm):
    file = FileField(
        _l("Instrument file (JSON)"),
        validators=[FileRequired(_l("Choose a JSON file to upload."))],
    )


class BundledInstrumentForm(FlaskForm):
    questionnaire = SelectField(
        _l("Bundled questionnaire"),
        validators=[DataRequired(_l("Choose a questionnaire."))],
        invalid_choice_message=_l("Choose a questionnaire from the list."),
    )


class OrganizationForm(FlaskForm):
    slug = StringField(
        _l("Short name (slug)"),
        validators=[
            DataRequired(_l("Enter a short name.")),
            PrintableText(),
            Regexp(
                SLUG_RE,
                message=_l(
                    "Use lower-case letters, digits and dashes, starting with a letter or digit "
                    "(at most 64)."
                ),
            ),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter the organization's name.")),
            PrintableText(),
            Length(max=255),
        ],
    )
    sector = SelectField(
        _l("Sector"),
        choices=[
            SelectChoice("", _l("Not stated")),
            *(SelectChoice(s, SECTOR_LABELS.get(s, s)) for s in SECTORS),
        ],
        default="",
        invalid_choice_message=_l("Choose a sector from the list."),
    )


class WaveForm(FlaskForm):
    organization = SelectField(
        _l("Organization"),
        coerce=optional_id,
        validators=[InputRequired(_l("Choose an organization."))],
        invalid_value_message=_l("Choose an organization from the list."),
        invalid_choice_message=_l("Choose an organization from the list."),
    )
    instrument_version = SelectField(
        _l("Instrument version"),
        coerce=optional_id,
        validators=[InputRequired(_l("Choose an instrument version."))],
        invalid_value_message=_l("Choose an instrument version from the list."),
        invalid_choice_message=_l("Choose an instrument version from the list."),
    )
    label = StringField(
        _l("Label"),
        validators=[
            DataRequired(_l("Enter a label, for example baseline or 12-month.")),
            PrintableText(),
            Regexp(
                LABEL_RE,
                message=_l(
                    "Start with a letter or digit and use letters, digits, spaces, '.', '_' or "
                    "'-' (at most 64)."
                ),
            ),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    min_group_size = IntegerField(
        _l("Smallest group shown"),
        validators=[
            InputRequired(_l("Enter the smallest group size, 3 or more.")),
            NumberRange(min=3, message=_l("The smallest group shown must be at least 3.")),
        ],
    )
    expected_headcount = IntegerField(
        _l("Expected headcount (optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("The expected headcount must be at least 1.")),
        ],
    )
    opens_on = DateField(_l("Opens on (optional)"), validators=[Optional()])
    closes_on = DateField(_l("Closes on (optional)"), validators=[Optional()])
    open_now = BooleanField(_l("Open the wave now (otherwise it starts as a draft)"))

    def validate_organization(self, field: SelectField) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(_l("Choose an organization."))

    def validate_instrument_version(self, field: SelectField) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(_l("Choose an instrument version."))

    def validate_closes_on(self, field: DateField) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date must not be before the opening date."))


class InvitationsForm(FlaskForm):
    count = IntegerField(
        _l("Number of invitations"),
        validators=[
            InputRequired(_l("Enter how many invitations to generate.")),
            NumberRange(
                min=1,
                max=MAX_INVITATIONS,
                message=_l(
                    "Generate between %(low)s and %(high)s invitations at a time.",
                    low=1,
                    high=MAX_INVITATIONS,
                ),
            ),
        ],
    )


class UserForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter an email address.")),
            PrintableText(),
            Length(max=254),
            Regexp(EMAIL_RE, message=_l("Enter an email address like name@example.org.")),
        ],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
    )
    role = RadioField(
        _l("Role"),
        choices=[SelectChoice(r.value, ROLE_LABELS[r.value]) for r in Role],
        invalid_choice_message=_l("Choose a role from the list."),
        default=Role.LEADER.value,
        validators=[InputRequired(_l("Choose a role."))],
    )
    organization = SelectField(
        _l("Organization (leaders only)"),
        coerce=optional_id,
        invalid_value_message=_l("Choose an organization from the list."),
        invalid_choice_message=_l("Choose an organization from the list."),
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[
            DataRequired(_l("Enter an initial password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1024,
                message=_l("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )

    def validate_organization(self, field: SelectField) -> None:
        if field.errors:
            return
        if self.role.data == Role.LEADER.value and field.data is None:
            raise ValidationError(_l("A leader belongs to one organization: choose it."))
        if self.role.data == Role.ADMIN.value and field.data is not None:
            raise ValidationError(
                _l("Admins belong to CfJJ, not to an organization: choose “None”.")
            )
