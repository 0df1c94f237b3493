"""The program blueprint and what its pages share: rows of one engagement, form pages, formats."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from flask import Blueprint, abort, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from webapp import clock
from webapp.database import db, db_session
from webapp.errors import DomainError
from webapp.models import User
from webapp.program import labels
from webapp.program.access import ALLOWED, Can
from webapp.program.indicators import Figure, IndicatorSource
from webapp.program.models import Engagement, Indicator
from webapp.program.review import Actor, ReviewAction, ReviewError

bp = Blueprint("program", __name__, static_folder="static", static_url_path="/static")

T = TypeVar("T")


@bp.record_once
def _register_report_section(_state: BlueprintSetupState) -> None:
    """Add the 12-month review to the leadership report (registering twice changes nothing)."""
    from webapp import report_sections
    from webapp.program.report import report_section

    report_sections.register(report_section)


def today() -> dt.date:
    """Return today's date in the program's time zone."""
    return clock.today()


def page_language() -> str:
    return str(get_locale() or "en")


def author() -> User:
    user: User = current_user._get_current_object()
    return user


def child_or_404(model: type[T], row_id: int, engagement: Engagement) -> T:
    """Return the row with this id if it belongs to `engagement`, else abort with 404."""
    row = db_session().get(model, row_id)
    if row is None:
        abort(404)
    owner = (
        row.strategy.engagement_id
        if isinstance(row, Indicator)
        else getattr(row, "engagement_id", None)
    )
    if owner != engagement.id:
        abort(404)
    return row


class _Row(Protocol):
    id: Any


R = TypeVar("R", bound=_Row)


def fresh(session: Session, row: R) -> R:
    """Return `row` read again in `session` (a write transaction's); 404 if it went meanwhile."""
    again = session.get(type(row), row.id)
    if again is None:
        abort(404)
    return again


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a change made through a form returned (an id to redirect to, say)."""

    value: T


def save(form: FlaskForm, change: Callable[[Session], T]) -> Saved[T] | None:
    """Make `change` in one write transaction; None when the program's rules refused it.

    The refusal's reason is added to the form's errors, so the form shown again says why. Return
    plain values from `change` (ids, names): its rows are expired once the transaction commits.
    """
    try:
        with db().transaction() as s:
            return Saved(change(s))
    except DomainError as exc:
        form.form_errors.append(error_text(exc))
        return None


def form_page(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """Render a page with a form: 200 when first shown, 400 when a submission was refused."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def review_error_message(error: ReviewError) -> str:
    """Say why a review move was refused, in the page's language."""
    action = labels.label("action", error.action) if error.action is not None else ""
    state = labels.label("review", error.state) if error.state is not None else ""
    if error.reason == "role":
        return _("Your role cannot do this: %(action)s.", action=action)
    if error.reason == "state" and error.action is ReviewAction.EDIT:
        return _(
            "Reopen it first: what is %(state)s is not changed in place, so that leadership "
            "validates what was submitted.",
            state=state,
        )
    if error.reason == "state":
        return _(
            "This cannot be done now (%(action)s): it is %(state)s.", action=action, state=state
        )
    if error.reason == "comment":
        return _("Write comments saying what should change before returning it.")
    if error.reason == "length":
        return _("The comments are too long.")
    if error.reason == "empty":
        return _("Add at least one indicator before submitting the framework.")
    if error.reason == "bare":
        return _(
            "Every strategy needs at least one indicator before the framework is submitted or "
            "validated. Still without one: %(names)s.",
            names=", ".join(error.subjects),
        )
    return _("This review step is not known.")


def error_text(error: DomainError) -> str:
    """Return what to tell the reader about a refused change."""
    return review_error_message(error) if isinstance(error, ReviewError) else str(error)


def review_error_page(error: ReviewError, back: str) -> tuple[str, int]:
    return render_template(
        "program/refused.html", message=review_error_message(error), back=back
    ), error.status


# -- formats -------------------------------------------------------------------------------------


def fmt_number(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if float(value).is_integer() and digits != 2:
        return str(int(value))
    return f"{value:.{digits}f}"


def fmt_percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def fmt_plain(value: float | None) -> str:
    """A hand-entered value: whole numbers as such, others with two decimals."""
    if value is None or not math.isfinite(value):
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def fmt_value(value: float | None, source: IndicatorSource | str, unit: str | None = None) -> str:
    """Format an indicator value the way its source measures it."""
    source = IndicatorSource(source)
    if value is None:
        return "–"
    if source is IndicatorSource.FOCUS_AREA_FAVORABLE:
        return fmt_percent(value)
    if source is IndicatorSource.MANUAL:
        text = fmt_plain(value)
        return f"{text} {unit}" if unit else text
    return fmt_number(value)


def fmt_figure(figure: Figure, source: IndicatorSource | str, unit: str | None = None) -> str:
    if figure.suppressed:
        return _("suppressed")
    text = fmt_value(figure.value, source, unit)
    if figure.value is not None and figure.n is not None:
        return _("%(value)s (n = %(n)s)", value=text, n=figure.n)
    return text


def fmt_signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}".replace("-", "−")


def fmt_p(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def can(actor: Actor | None, what: str) -> bool:
    return actor is not None and actor in ALLOWED[Can(what)]


@bp.context_processor
def template_helpers() -> dict[str, Any]:
    return {
        "label": labels.label,
        "record_label": lambda t: str(labels.RECORD_TYPE.get(t, t)),
        "date": format_date,
        "datetime": format_datetime,
        "fmt_number": fmt_number,
        "fmt_percent": fmt_percent,
        "fmt_value": fmt_value,
        "fmt_figure": fmt_figure,
        "fmt_signed": fmt_signed,
        "fmt_p": fmt_p,
        "fmt_plain": fmt_plain,
        "can": can,
    }


@bp.app_context_processor
def volunteer_link() -> dict[str, Any]:
    """Let the survey's thank-you page offer the volunteer form of the organization, if it has
    an active engagement. The link names the organization only: nothing of the response."""

    def program_volunteer_link(entry: Any, language: str | None = None) -> str | None:
        from webapp.program.engagements import current_engagement

        wave = getattr(entry, "wave", None)
        if wave is None:
            return None
        if current_engagement(db_session(), wave.organization_id) is None:
            return None
        slug = wave.organization.slug
        return url_for("program.volunteer", org_slug=slug, lang=language or None)

    return {"program_volunteer_link": program_volunteer_link}
