"""Check-ins, and the log of trainings and policies."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from webapp.database import db, db_session
from webapp.program import activity
from webapp.program.access import Can, allowed, engagement_for
from webapp.program.blueprint import (
    author,
    bp,
    child_or_404,
    form_page,
    fresh,
    page_language,
    save,
    today,
)
from webapp.program.forms import PolicyForm, TrainingForm, checkin_form
from webapp.program.models import Engagement, Policy, PolicyStatus, Training
from webapp.program.summary import summarize

RedirectOrPage = WerkzeugResponse | str | tuple[str, int]


@bp.route("/<int:engagement_id>/checkins", methods=["GET", "POST"])
@login_required
def checkins(engagement_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id)
    strategy_ids = [s.id for s in row.strategies]
    indicator_ids = [i.id for i in row.indicators]
    form = checkin_form(strategy_ids, indicator_ids)()
    if request.method == "GET":
        form.held_on.data = today()
    summary = summarize(db_session(), row, language=page_language(), today=today())
    context = {"engagement": row, "actor": actor, "summary": summary}
    if request.method == "POST":
        if not allowed(actor, Can.PLAN):
            abort(403)
        if form.validate_on_submit():
            saved = save(
                form,
                lambda s: activity.record_checkin(
                    s,
                    fresh(s, row),
                    author=author(),
                    held_on=form.held_on.data,
                    notes=form.notes.data,
                    strategy_status=form.changes("strategy", strategy_ids),
                    indicator_status=form.changes("indicator", indicator_ids),
                ),
            )
            if saved is None:
                return form_page("program/checkins.html", form, **context)
            flash(_("The check-in is recorded."), "success")
            return redirect(url_for("program.checkins", engagement_id=row.id))
    return form_page("program/checkins.html", form, **context)


@bp.get("/<int:engagement_id>/log")
@login_required
def log(engagement_id: int) -> str:
    row, actor = engagement_for(engagement_id)
    return render_template("program/log.html", engagement=row, actor=actor)


def _strategy_choices(form: TrainingForm | PolicyForm, engagement: Engagement) -> None:
    form.strategy.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(str(s.id), s.title) for s in engagement.strategies
    ]


def _training_fields(form: TrainingForm) -> dict[str, Any]:
    return {
        "held_on": form.held_on.data,
        "title": form.title.data,
        "audience": form.audience.data,
        "attended": form.attended.data,
        "strategy_id": form.strategy.data,
    }


def _policy_fields(form: PolicyForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "status": PolicyStatus(form.status.data),
        "adopted_on": form.adopted_on.data,
        "strategy_id": form.strategy.data,
    }


def _log_url(engagement: Engagement, anchor: str) -> str:
    return url_for("program.log", engagement_id=engagement.id) + anchor


@bp.route("/<int:engagement_id>/trainings/new", methods=["GET", "POST"])
@login_required
def new_training(engagement_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    form = TrainingForm()
    _strategy_choices(form, row)
    context = {"engagement": row, "actor": actor, "training": None}
    if not form.validate_on_submit():
        return form_page("program/training_form.html", form, **context)
    fields = _training_fields(form)
    saved = save(form, lambda s: activity.add_training(s, fresh(s, row), author=author(), **fields))
    if saved is None:
        return form_page("program/training_form.html", form, **context)
    flash(_("The training is logged."), "success")
    return redirect(_log_url(row, "#trainings"))


@bp.route("/<int:engagement_id>/trainings/<int:training_id>", methods=["GET", "POST"])
@login_required
def edit_training(engagement_id: int, training_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Training, training_id, row)
    form = TrainingForm(
        data=None
        if request.method == "POST"
        else {
            "held_on": target.held_on,
            "title": target.title,
            "audience": target.audience,
            "attended": target.attended,
            "strategy": target.strategy_id,
        }
    )
    _strategy_choices(form, row)
    context = {"engagement": row, "actor": actor, "training": target}
    if not form.validate_on_submit():
        return form_page("program/training_form.html", form, **context)
    fields = _training_fields(form)
    saved = save(
        form, lambda s: activity.edit_training(s, fresh(s, target), author=author(), **fields)
    )
    if saved is None:
        return form_page("program/training_form.html", form, **context)
    flash(_("The training is saved."), "success")
    return redirect(_log_url(row, "#trainings"))


@bp.post("/<int:engagement_id>/trainings/<int:training_id>/delete")
@login_required
def delete_training(engagement_id: int, training_id: int) -> WerkzeugResponse:
    row, _actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Training, training_id, row)
    with db().transaction() as s:
        training = s.get(Training, target.id)
        if training is not None:
            activity.delete_training(s, training, author=author())
    flash(_("The training is deleted from the log."), "success")
    return redirect(_log_url(row, "#trainings"))


@bp.route("/<int:engagement_id>/policies/new", methods=["GET", "POST"])
@login_required
def new_policy(engagement_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    form = PolicyForm()
    _strategy_choices(form, row)
    context = {"engagement": row, "actor": actor, "policy": None}
    if not form.validate_on_submit():
        return form_page("program/policy_form.html", form, **context)
    fields = _policy_fields(form)
    saved = save(form, lambda s: activity.add_policy(s, fresh(s, row), author=author(), **fields))
    if saved is None:
        return form_page("program/policy_form.html", form, **context)
    flash(_("The policy is logged."), "success")
    return redirect(_log_url(row, "#policies"))


@bp.route("/<int:engagement_id>/policies/<int:policy_id>", methods=["GET", "POST"])
@login_required
def edit_policy(engagement_id: int, policy_id: int) -> RedirectOrPage:
    row, actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Policy, policy_id, row)
    form = PolicyForm(
        data=None
        if request.method == "POST"
        else {
            "name": target.name,
            "status": target.status.value,
            "adopted_on": target.adopted_on,
            "strategy": target.strategy_id,
        }
    )
    _strategy_choices(form, row)
    context = {"engagement": row, "actor": actor, "policy": target}
    if not form.validate_on_submit():
        return form_page("program/policy_form.html", form, **context)
    fields = _policy_fields(form)
    saved = save(
        form, lambda s: activity.edit_policy(s, fresh(s, target), author=author(), **fields)
    )
    if saved is None:
        return form_page("program/policy_form.html", form, **context)
    flash(_("The policy is saved."), "success")
    return redirect(_log_url(row, "#policies"))


@bp.post("/<int:engagement_id>/policies/<int:policy_id>/delete")
@login_required
def delete_policy(engagement_id: int, policy_id: int) -> WerkzeugResponse:
    row, _actor = engagement_for(engagement_id, Can.PLAN)
    target = child_or_404(Policy, policy_id, row)
    with db().transaction() as s:
        policy = s.get(Policy, target.id)
        if policy is not None:
            activity.delete_policy(s, policy, author=author())
    flash(_("The policy is deleted from the log."), "success")
    return redirect(_log_url(row, "#policies"))
