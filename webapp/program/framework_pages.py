"""Strategies and the accountability framework: their pages, forms and leadership review."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

import instrument
from webapp.database import db, db_session
from webapp.program import audit, framework, labels
from webapp.program.access import Can, engagement_for
from webapp.program.blueprint import (
    author,
    bp,
    child_or_404,
    form_page,
    fresh,
    page_language,
    review_error_page,
    save,
    today,
)
from webapp.program.forms import IndicatorForm, ProgressForm, ReviewForm, StatusForm, StrategyForm
from webapp.program.indicators import IndicatorSource
from webapp.program.models import Engagement, Indicator, ProgressStatus, Strategy
from webapp.program.review import Actor, ReviewAction, ReviewError, allowed_actions
from webapp.program.selection import engagement_instrument
from webapp.program.summary import area_title, summarize

RedirectOrPage = WerkzeugResponse | str | tuple[str, int]


@bp.get("/<int:engagement_id>/strategies")
@login_required
def strategies(engagement_id: int) -> str:
    row, actor = engagement_for(engagement_id)
    summary = summarize(db_session(), row, language=page_language(), today=today())
    return render_template(
        "program/strategies.html",
        engagement=row,
        actor=actor,
        summary=summary,
        review_form=ReviewForm(),
        framework_actions=allowed_actions(row.framework_state, actor),
    )


def _area_choices(form: StrategyForm, engagement: Engagement) -> None:
    inst = engagement_instrument(engagement)
    lang = page_language()
    form.focus_area.choices = [
        (area_id, area_title(inst, area_id, lang)) for area_id in engagement.selected_ids
    ]


def _strategy_fields(form: StrategyForm) -> dict[str, Any]:
    return {
        "focus_area_id": form.focus_area.data,
        "title": form.title.data,
        "description": form.description.data,
        "owner": form.owner.data,
        "due_on": form.due_on.data,
    }


@bp.route("/<int:engagement_id>/strategies/new", methods=["GET", "POST"])
@login_required
def new_strategy(engagement_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    form = StrategyForm()
    _area_choices(form, row)
    if request.method == "GET" and request.args.get("focus_area") in row.selected_ids:
        form.focus_area.data = request.args["focus_area"]
    context = {"engagement": row, "actor": actor, "strategy": None}
    if not form.validate_on_submit():
        return form_page("program/strategy_form.html", form, **context)
    saved = save(
        form,
        lambda s: (
            framework.add_strategy(
                s, fresh(s, row), actor=actor, author=author(), **_strategy_fields(form)
            ).id
        ),
    )
    if saved is None:
        return form_page("program/strategy_form.html", form, **context)
    flash(_("The strategy is drafted."), "success")
    return redirect(url_for("program.strategy", engagement_id=row.id, strategy_id=saved.value))


@bp.get("/<int:engagement_id>/strategies/<int:strategy_id>")
@login_required
def strategy(engagement_id: int, strategy_id: int) -> str:
    row, actor = engagement_for(engagement_id)
    target = child_or_404(Strategy, strategy_id, row)
    summary = summarize(db_session(), row, language=page_language(), today=today())
    view = next(s for s in summary.strategies if s.row.id == target.id)
    return render_template(
        "program/strategy.html",
        engagement=row,
        actor=actor,
        summary=summary,
        view=view,
        review_form=ReviewForm(),
        status_form=StatusForm(data={"status": target.status.value}),
        actions=allowed_actions(target.review_state, actor),
        events=audit.events_of(db_session(), target),
    )


@bp.route("/<int:engagement_id>/strategies/<int:strategy_id>/edit", methods=["GET", "POST"])
@login_required
def edit_strategy(engagement_id: int, strategy_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Strategy, strategy_id, row)
    form = StrategyForm(
        data=None
        if request.method == "POST"
        else {
            "focus_area": target.focus_area_id,
            "title": target.title,
            "description": target.description,
            "owner": target.owner,
            "due_on": target.due_on,
        }
    )
    _area_choices(form, row)
    context = {"engagement": row, "actor": actor, "strategy": target}
    if not form.validate_on_submit():
        return form_page("program/strategy_form.html", form, **context)
    saved = save(
        form,
        lambda s: framework.edit_strategy(
            s, fresh(s, target), actor=actor, author=author(), **_strategy_fields(form)
        ),
    )
    if saved is None:
        return form_page("program/strategy_form.html", form, **context)
    flash(_("The strategy is saved."), "success")
    return redirect(url_for("program.strategy", engagement_id=row.id, strategy_id=target.id))


@bp.post("/<int:engagement_id>/strategies/<int:strategy_id>/progress")
@login_required
def strategy_progress(engagement_id: int, strategy_id: int) -> RedirectOrPage:
    row, _actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Strategy, strategy_id, row)
    form = StatusForm()
    back = url_for("program.strategy", engagement_id=row.id, strategy_id=target.id)
    if not form.validate_on_submit():
        return render_template(
            "program/refused.html", message=_("Choose a status from the list."), back=back
        ), 400
    with db().transaction() as s:
        strategy_row = s.get(Strategy, target.id)
        if strategy_row is None:
            abort(404)
        framework.set_strategy_status(
            s, strategy_row, ProgressStatus(form.status.data), author=author()
        )
    flash(_("The strategy's progress is saved."), "success")
    return redirect(back)


def _review_action() -> ReviewAction | None:
    raw = request.form.get("action", "")
    try:
        action = ReviewAction(raw)
    except ValueError:
        return None
    return None if action is ReviewAction.EDIT else action


@bp.post("/<int:engagement_id>/strategies/<int:strategy_id>/review")
@login_required
def review_strategy(engagement_id: int, strategy_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id)
    target = child_or_404(Strategy, strategy_id, row)
    back = url_for("program.strategy", engagement_id=row.id, strategy_id=target.id)
    form = ReviewForm()
    action = _review_action()
    if not form.validate_on_submit() or action is None:
        return render_template(
            "program/refused.html", message=_("This review step is not known."), back=back
        ), 400
    try:
        with db().transaction() as s:
            strategy_row = s.get(Strategy, target.id)
            if strategy_row is None:
                abort(404)
            state = framework.review_strategy(
                s, strategy_row, action, actor=actor, author=author(), comment=form.comment.data
            )
    except ReviewError as exc:
        return review_error_page(exc, back)
    flash(_("The strategy is now: %(state)s.", state=labels.label("review", state)), "success")
    return redirect(back)


@bp.post("/<int:engagement_id>/strategies/<int:strategy_id>/delete")
@login_required
def delete_strategy(engagement_id: int, strategy_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Strategy, strategy_id, row)
    back = url_for("program.strategy", engagement_id=row.id, strategy_id=target.id)
    try:
        with db().transaction() as s:
            strategy_row = s.get(Strategy, target.id)
            if strategy_row is None:
                abort(404)
            framework.delete_strategy(s, strategy_row, actor=actor, author=author())
    except ReviewError as exc:
        return review_error_page(exc, back)
    flash(_("The strategy is deleted."), "success")
    return redirect(url_for("program.strategies", engagement_id=row.id))


# -- indicators ----------------------------------------------------------------------------------


def _measure_choices(engagement: Engagement) -> dict[str, list[tuple[str, str]]]:
    """The choices of what an indicator measures, grouped: by hand, focus areas, statements."""
    inst = engagement_instrument(engagement)
    lang = page_language()
    groups: dict[str, list[tuple[str, str]]] = {
        _("Entered by hand"): [("manual", _("A figure entered by hand (e.g. a count)"))]
    }
    if inst is None:
        return groups
    groups[_("Focus-area mean (survey)")] = [
        (f"focus_area_mean:{a.id}", a.title.get(lang)) for a in inst.focus_areas
    ]
    groups[_("Focus-area percent favorable (survey)")] = [
        (f"focus_area_favorable:{a.id}", a.title.get(lang)) for a in inst.focus_areas
    ]
    groups[_("Statement mean (survey)")] = [
        (f"item_mean:{item.id}", f"{item.id}: {item.text.get(lang)}"[:120])
        for item in inst.items
        if isinstance(item, instrument.LikertItem)
    ]
    return groups


def _split_measure(value: str) -> tuple[IndicatorSource, str | None]:
    source, _sep, ref = value.partition(":")
    return IndicatorSource(source), ref or None


def _indicator_fields(form: IndicatorForm) -> dict[str, Any]:
    source, ref = _split_measure(form.measure.data)
    return {
        "name": form.name.data,
        "source": source,
        "source_ref": ref,
        "direction": form.direction.data,
        "target": form.target.data,
        "owner": form.owner.data,
        "data_source": form.data_source.data,
        "due_on": form.due_on.data,
        "unit": form.unit.data,
        "baseline_value": form.baseline_value.data,
    }


def _indicator_page(
    form: IndicatorForm,
    engagement: Engagement,
    actor: Actor,
    strategy: Strategy,
    indicator: Indicator | None,
) -> tuple[str, int]:
    return form_page(
        "program/indicator_form.html",
        form,
        engagement=engagement,
        actor=actor,
        strategy=strategy,
        indicator=indicator,
    )


@bp.route(
    "/<int:engagement_id>/strategies/<int:strategy_id>/indicators/new", methods=["GET", "POST"]
)
@login_required
def new_indicator(engagement_id: int, strategy_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Strategy, strategy_id, row)
    form = IndicatorForm()
    form.measure.choices = _measure_choices(row)
    if request.method == "GET":
        form.measure.data = f"focus_area_mean:{target.focus_area_id}"
    if not form.validate_on_submit():
        return _indicator_page(form, row, actor, target, None)
    saved = save(
        form,
        lambda s: framework.add_indicator(
            s, fresh(s, target), actor=actor, author=author(), **_indicator_fields(form)
        ),
    )
    if saved is None:
        return _indicator_page(form, row, actor, target, None)
    flash(_("The indicator is added to the framework."), "success")
    return redirect(url_for("program.strategy", engagement_id=row.id, strategy_id=target.id))


@bp.route("/<int:engagement_id>/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit_indicator(engagement_id: int, indicator_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Indicator, indicator_id, row)
    measure = target.source.value + (f":{target.source_ref}" if target.source_ref else "")
    form = IndicatorForm(
        data=None
        if request.method == "POST"
        else {
            "name": target.name,
            "measure": measure,
            "direction": target.direction.value,
            "target": target.target,
            "unit": target.unit,
            "baseline_value": target.baseline_value,
            "owner": target.owner,
            "due_on": target.due_on,
            "data_source": target.data_source,
        }
    )
    form.measure.choices = _measure_choices(row)
    if not form.validate_on_submit():
        return _indicator_page(form, row, actor, target.strategy, target)
    saved = save(
        form,
        lambda s: framework.edit_indicator(
            s, fresh(s, target), actor=actor, author=author(), **_indicator_fields(form)
        ),
    )
    if saved is None:
        return _indicator_page(form, row, actor, target.strategy, target)
    flash(_("The indicator is saved."), "success")
    return redirect(
        url_for("program.strategy", engagement_id=row.id, strategy_id=target.strategy_id)
    )


@bp.route("/<int:engagement_id>/indicators/<int:indicator_id>/progress", methods=["GET", "POST"])
@login_required
def indicator_progress(engagement_id: int, indicator_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Indicator, indicator_id, row)
    form = ProgressForm(
        data=None
        if request.method == "POST"
        else {
            "status": target.status.value,
            "current_value": target.current_value,
            "evidence": target.evidence,
        }
    )
    manual = target.source is IndicatorSource.MANUAL
    if not manual:
        del form.current_value
    context = {"engagement": row, "actor": actor, "indicator": target, "manual": manual}
    if not form.validate_on_submit():
        return form_page("program/indicator_progress.html", form, **context)
    saved = save(
        form,
        lambda s: framework.record_progress(
            s,
            fresh(s, target),
            author=author(),
            status=ProgressStatus(form.status.data),
            evidence=form.evidence.data,
            current_value=form.current_value.data if manual else None,
        ),
    )
    if saved is None:
        return form_page("program/indicator_progress.html", form, **context)
    flash(_("The indicator's progress is saved."), "success")
    return redirect(
        url_for("program.strategy", engagement_id=row.id, strategy_id=target.strategy_id)
    )


@bp.post("/<int:engagement_id>/indicators/<int:indicator_id>/delete")
@login_required
def delete_indicator(engagement_id: int, indicator_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Indicator, indicator_id, row)
    back = url_for("program.strategy", engagement_id=row.id, strategy_id=target.strategy_id)
    try:
        with db().transaction() as s:
            indicator_row = s.get(Indicator, target.id)
            if indicator_row is None:
                abort(404)
            framework.delete_indicator(s, indicator_row, actor=actor, author=author())
    except ReviewError as exc:
        return review_error_page(exc, back)
    flash(_("The indicator is deleted."), "success")
    return redirect(back)


@bp.post("/<int:engagement_id>/framework/review")
@login_required
def review_framework(engagement_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id)
    back = url_for("program.strategies", engagement_id=row.id) + "#framework"
    form = ReviewForm()
    action = _review_action()
    if not form.validate_on_submit() or action is None:
        return render_template(
            "program/refused.html", message=_("This review step is not known."), back=back
        ), 400
    try:
        with db().transaction() as s:
            engagement = s.get(Engagement, row.id)
            assert engagement is not None  # noqa: S101 - engagements are never deleted
            state = framework.review_framework(
                s, engagement, action, actor=actor, author=author(), comment=form.comment.data
            )
    except ReviewError as exc:
        return review_error_page(exc, back)
    flash(_("The framework is now: %(state)s.", state=labels.label("review", state)), "success")
    return redirect(back)
