"""The 12-month review as a section of the leadership report.

`report_section` is a report-section provider: given an organization and the report's language,
it returns the review of the organization's current (else latest) engagement, or nothing when it
has none or has selected no focus area yet. Its HTML comes from the same template the review page
uses, rendered with autoescaping, so everything typed into the program pages arrives escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from scoring.report import ReportSection
from webapp import clock
from webapp.models import Organization
from webapp.program.blueprint import template_helpers
from webapp.program.engagements import current_engagement, engagements_of
from webapp.program.summary import summarize


def report_section(
    session: Session, organization: Organization, language: str
) -> Sequence[ReportSection]:
    """Return the 12-month review of the organization's engagement as report sections."""
    engagement = current_engagement(session, organization.id)
    if engagement is None:
        latest = engagements_of(session, organization.id)
        engagement = latest[0] if latest else None
    if engagement is None or not engagement.selections:
        return []
    with force_locale(language):
        summary = summarize(session, engagement, language=language, today=clock.today())
        body = render_template(
            "program/_report_section.html", summary=summary, **template_helpers()
        )
        title = _("The year's work: the 12-month review")
    # Rendered by Jinja with autoescaping: every value in it is already escaped.
    return [ReportSection(title=title, html=Markup(body))]  # noqa: S704
