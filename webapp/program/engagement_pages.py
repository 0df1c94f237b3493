"""Engagement pages: the list, a new engagement (CfJJ), its work plan and timeline, its settings
and its milestones (CfJJ).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from scoring.charts import Chart, chart_html
from webapp.access import admin_required
from webapp.database import db_session
from webapp.errors import DomainError
from webapp.models import Organization, Wave
from webapp.program import engagements, labels, workplan
from webapp.program.access import Can, engagement_for
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
from webapp.program.charts import TimelineEntry, TimelineWords, timeline_chart
from webapp.program.forms import EngagementForm, EngagementSettingsForm, MilestoneForm
from webapp.program.models import Engagement, EngagementStatus, Milestone, MilestoneStatus
from webapp.program.summary import YearSummary, summarize
from webapp.program.text import MAX_NOTES

#: The largest template file accepted on the page.
MAX_TEMPLATE_BYTES = 256 * 1024


@bp.get("/")
@login_required
def index() -> str:
    session = db_session()
    if current_user.is_admin:
        rows = engagements.engagements_of(session)
    elif current_user.organization_id is not None:
        rows = engagements.engagements_of(session, current_user.organization_id)
    else:
        rows = []
    return render_template("program/index.html", engagements=rows, today=today())


def _organization_choices(form: EngagementForm) -> None:
    form.organization.choices = [SelectChoice("", _("Choose an organization"))] + [
        SelectChoice(str(o.id), f"{o.name} ({o.slug})")
        for o in db_session().scalars(select(Organization).order_by(Organization.name))
    ]


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_engagement() -> WerkzeugResponse | tuple[str, int]:
    form = EngagementForm()
    _organization_choices(form)
    if request.method == "GET":
        form.organization.data = request.args.get("organization", type=int)
        form.start_on.data = form.start_on.data or today()
    if not form.validate_on_submit():
        return form_page("program/engagement_new.html", form, problems=[])
    template = None
    upload = form.template.data
    if upload is not None and getattr(upload, "filename", ""):
        raw = upload.read(MAX_TEMPLATE_BYTES + 1)
        if len(raw) > MAX_TEMPLATE_BYTES:
            form.template.errors = [_("The template file is larger than any work plan needs.")]
            return form_page("program/engagement_new.html", form, problems=[])
        try:
            template = workplan.loads(raw)
        except workplan.WorkplanError as exc:
            form.template.errors = [_("The template is not valid: see the problems listed.")]
            return form_page("program/engagement_new.html", form, problems=exc.problems)

    def create(s: Session) -> int:
        org = s.get(Organization, form.organization.data)
        if org is None:
            raise DomainError(_("This organization no longer exists."))
        return engagements.create_engagement(
            s, org, form.start_on.data, form.facilitator.data, template, author=author()
        ).id

    saved = save(form, create)
    if saved is None:
        return form_page("program/engagement_new.html", form, problems=[])
    flash(_("The engagement and its work plan are created."), "success")
    return redirect(url_for("program.engagement", engagement_id=saved.value))


def timeline_words() -> TimelineWords:
    return TimelineWords(
        title=_("Work plan timeline"),
        description=_(
            "Each milestone is a bar from the start of its phase to its due date, with a marker "
            "on the due date whose shape shows its status; a dashed line marks today and overdue "
            "milestones are marked Overdue."
        ),
        today=_("Today"),
        overdue=_("Overdue"),
        yes=_("Yes"),
        no=_("No"),
        due=_("Due"),
        milestone=_("Milestone"),
        phase=_("Phase"),
        owner=_("Owner"),
        status=_("Status"),
        statuses={k: str(v) for k, v in labels.MILESTONE_STATUS.items()},
    )


def timeline(summary: YearSummary) -> Chart:
    """Return the work plan's timeline chart."""
    entries = [
        TimelineEntry(
            key=m.row.key,
            name=m.name,
            phase=m.phase_name,
            owner=labels.label("owner", m.owner_role),
            starts_on=m.row.starts_on,
            due_on=m.row.due_on,
            status=m.row.status.value,
            status_label=labels.label("milestone", m.row.status),
            overdue=m.overdue,
        )
        for m in summary.milestones
    ]
    return timeline_chart(
        f"timeline-{summary.engagement.id}",
        entries,
        summary.today,
        timeline_words(),
        date_format=lambda d: format_date(d, "medium"),
    )


def milestone_link(engagement: Engagement, link: str | None) -> str | None:
    """Return where a milestone's link leads in the app, if anywhere."""
    if link == "baseline_wave" and engagement.baseline_wave_id:
        return url_for("dashboard.wave", wave_id=engagement.baseline_wave_id)
    if link == "followup_wave" and engagement.followup_wave_id:
        return url_for("dashboard.wave", wave_id=engagement.followup_wave_id)
    endpoints = {
        "focus_area_selection": "program.focus_areas",
        "working_group": "program.working_group",
        "strategies": "program.strategies",
        "checkins": "program.checkins",
        "activity_log": "program.log",
        "twelve_month_review": "program.review",
    }
    endpoint = endpoints.get(link or "")
    return url_for(endpoint, engagement_id=engagement.id) if endpoint else None


@bp.get("/<int:engagement_id>/")
@login_required
def engagement(engagement_id: int) -> str:
    row, actor = engagement_for(engagement_id)
    summary = summarize(db_session(), row, language=page_language(), today=today())
    return render_template(
        "program/engagement.html",
        engagement=row,
        actor=actor,
        summary=summary,
        chart=chart_html(timeline(summary)),
        milestone_link=milestone_link,
    )


def _wave_choices(form: EngagementSettingsForm, engagement: Engagement) -> None:
    waves = db_session().scalars(
        select(Wave).where(Wave.organization_id == engagement.organization_id).order_by(Wave.id)
    )
    choices = [SelectChoice("", _("None"))] + [SelectChoice(str(w.id), w.label) for w in waves]
    form.baseline_wave.choices = list(choices)
    form.followup_wave.choices = list(choices)


@bp.route("/<int:engagement_id>/settings", methods=["GET", "POST"])
@login_required
def edit_engagement(engagement_id: int) -> WerkzeugResponse | tuple[str, int]:
    row, actor = engagement_for(engagement_id, Can.MANAGE)
    form = EngagementSettingsForm(
        data=None
        if request.method == "POST"
        else {
            "facilitator": row.facilitator,
            "status": row.status.value,
            "baseline_wave": row.baseline_wave_id,
            "followup_wave": row.followup_wave_id,
        }
    )
    _wave_choices(form, row)
    context = {"engagement": row, "actor": actor}
    if not form.validate_on_submit():
        return form_page("program/engagement_edit.html", form, **context)

    def update(s: Session) -> None:
        baseline = s.get(Wave, form.baseline_wave.data) if form.baseline_wave.data else None
        followup = s.get(Wave, form.followup_wave.data) if form.followup_wave.data else None
        engagements.update_engagement(
            s,
            fresh(s, row),
            author=author(),
            facilitator=form.facilitator.data,
            status=EngagementStatus(form.status.data),
            baseline_wave=baseline,
            followup_wave=followup,
        )

    if save(form, update) is None:
        return form_page("program/engagement_edit.html", form, **context)
    flash(_("The engagement's settings are saved."), "success")
    return redirect(url_for("program.engagement", engagement_id=row.id))


@bp.route("/<int:engagement_id>/milestones/<int:milestone_id>", methods=["GET", "POST"])
@login_required
def edit_milestone(engagement_id: int, milestone_id: int) -> WerkzeugResponse | tuple[str, int]:
    row, actor = engagement_for(engagement_id, Can.MANAGE)
    milestone = child_or_404(Milestone, milestone_id, row)
    form = MilestoneForm(
        data=None
        if request.method == "POST"
        else {
            "due_on": milestone.due_on,
            "status": milestone.status.value,
            "owner_role": milestone.owner_role,
            "notes": milestone.notes,
        }
    )
    context = {
        "engagement": row,
        "actor": actor,
        "milestone": milestone,
        "name": workplan.text(milestone.name, page_language()),
        "max_notes": MAX_NOTES,
    }
    if not form.validate_on_submit():
        return form_page("program/milestone_edit.html", form, **context)
    saved = save(
        form,
        lambda s: engagements.update_milestone(
            s,
            fresh(s, milestone),
            author=author(),
            due_on=form.due_on.data,
            status=MilestoneStatus(form.status.data),
            owner_role=form.owner_role.data,
            notes=form.notes.data,
        ),
    )
    if saved is None:
        return form_page("program/milestone_edit.html", form, **context)
    flash(_("The milestone is saved."), "success")
    return redirect(url_for("program.engagement", engagement_id=row.id) + "#work-plan")
