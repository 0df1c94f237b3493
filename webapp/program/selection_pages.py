"""The focus-area page: the baseline ranking beside the working group's choice and its reasons."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from scoring.charts import chart_html, ranking_chart
from webapp.database import db_session
from webapp.program import selection
from webapp.program.access import Can, allowed, engagement_for
from webapp.program.blueprint import author, bp, fresh, page_language, save, today
from webapp.program.forms import focus_area_form
from webapp.program.summary import summarize


@bp.route("/<int:engagement_id>/focus-areas", methods=["GET", "POST"])
@login_required
def focus_areas(engagement_id: int) -> WerkzeugResponse | str | tuple[str, int]:
    row, actor = engagement_for(engagement_id)
    editing = allowed(actor, Can.PLAN)
    if request.method == "POST" and not editing:
        return render_template(
            "program/refused.html",
            message=_("Your role cannot change the focus areas."),
            back=url_for("program.focus_areas", engagement_id=row.id),
        ), 403
    summary = summarize(db_session(), row, language=page_language(), today=today())
    inst = summary.instrument
    area_ids = [a.id for a in inst.focus_areas] if inst is not None else []
    index = {area_id: i for i, area_id in enumerate(area_ids)}
    form_class = focus_area_form(area_ids)
    initial: dict[str, object] = {}
    for area in summary.areas:
        if area.id in index:
            initial[f"pick_{index[area.id]}"] = area.selected
            initial[f"reason_{index[area.id]}"] = area.reason or ""
    form = form_class(data=None if request.method == "POST" else initial)
    chart = None
    if inst is not None and summary.baseline is not None:
        chart = ranking_chart(
            inst,
            summary.baseline.result,
            summary.language,
            min_group_size=summary.baseline.min_group_size,
        )
    context = {
        "engagement": row,
        "actor": actor,
        "summary": summary,
        "form": form,
        "index": index,
        "chart": chart_html(chart) if chart is not None else None,
        "editing": editing,
    }
    if request.method == "GET" or inst is None:
        status = 400 if request.method == "POST" else 200
        return render_template("program/focus_areas.html", **context), status
    if not form.validate_on_submit():
        return render_template("program/focus_areas.html", **context), 400
    chosen = form.chosen()
    saved = save(
        form, lambda s: selection.select_focus_areas(s, fresh(s, row), chosen, author=author())
    )
    if saved is None:
        return render_template("program/focus_areas.html", **context), 400
    flash(_("The focus areas are saved."), "success")
    return redirect(url_for("program.focus_areas", engagement_id=row.id))
