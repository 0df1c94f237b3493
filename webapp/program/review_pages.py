"""The 12-month review and the audit trail of an engagement."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from webapp.database import db_session
from webapp.program import audit
from webapp.program.access import engagement_for
from webapp.program.blueprint import bp, page_language, today
from webapp.program.summary import summarize


@bp.get("/<int:engagement_id>/review")
@login_required
def review(engagement_id: int) -> str:
    row, actor = engagement_for(engagement_id)
    summary = summarize(db_session(), row, language=page_language(), today=today())
    return render_template("program/review.html", engagement=row, actor=actor, summary=summary)


@bp.get("/<int:engagement_id>/history")
@login_required
def history(engagement_id: int) -> str:
    row, actor = engagement_for(engagement_id)
    return render_template(
        "program/history.html",
        engagement=row,
        actor=actor,
        events=audit.trail(db_session(), row.id),
    )
