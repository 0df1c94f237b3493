"""The working group page, and the public form where staff offer to join the working group.

The volunteer form is its own page with its own request and storage: it reads nothing of the
survey (no draft, no session key of the respondent pages) and stores only what the person types,
so an offer made right after answering the survey cannot be matched to the response.
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.database import db, db_session
from webapp.models import Organization
from webapp.program import people
from webapp.program.access import Can, allowed, engagement_for
from webapp.program.blueprint import author, bp, form_page, fresh, save
from webapp.program.engagements import current_engagement
from webapp.program.forms import MemberForm, VolunteerForm
from webapp.program.models import Engagement, Volunteer, WorkingGroupMember


def _page(engagement: Engagement, actor: object, form: MemberForm) -> tuple[str, int]:
    offers = people.offers_for(db_session(), engagement.organization_id)
    return form_page(
        "program/working_group.html", form, engagement=engagement, actor=actor, offers=offers
    )


@bp.route("/<int:engagement_id>/working-group", methods=["GET", "POST"])
@login_required
def working_group(engagement_id: int) -> WerkzeugResponse | tuple[str, int]:
    row, actor = engagement_for(engagement_id)
    form = MemberForm()
    if request.method == "POST":
        if not allowed(actor, Can.PLAN):
            abort(403)
        if form.validate_on_submit():
            saved = save(
                form,
                lambda s: (
                    people.add_member(
                        s,
                        fresh(s, row),
                        author=author(),
                        name=form.name.data,
                        role=form.role.data,
                        contact=form.contact.data,
                    ).name
                ),
            )
            if saved is None:
                return _page(row, actor, form)
            flash(_("%(name)s joined the working group.", name=saved.value), "success")
            return redirect(url_for("program.working_group", engagement_id=row.id))
    return _page(row, actor, form)


def _member_or_404(engagement: Engagement, member_id: int) -> int:
    member = db_session().get(WorkingGroupMember, member_id)
    if member is None or member.engagement_id != engagement.id:
        abort(404)
    return member.id


@bp.post("/<int:engagement_id>/working-group/<int:member_id>/remove")
@login_required
def remove_member(engagement_id: int, member_id: int) -> WerkzeugResponse:
    row, _actor = engagement_for(engagement_id, Can.PLAN)
    target = _member_or_404(row, member_id)
    with db().transaction() as s:
        member = s.get(WorkingGroupMember, target)
        if member is not None:
            people.remove_member(s, member, author=author())
    flash(_("The member is removed from the working group."), "success")
    return redirect(url_for("program.working_group", engagement_id=row.id))


def _offer_or_404(engagement: Engagement, offer_id: str) -> str:
    offer = db_session().get(Volunteer, offer_id)
    if offer is None or offer.organization_id != engagement.organization_id:
        abort(404)
    return offer.id


@bp.post("/<int:engagement_id>/volunteers/<offer_id>/accept")
@login_required
def accept_volunteer(engagement_id: int, offer_id: str) -> WerkzeugResponse:
    row, _actor = engagement_for(engagement_id, Can.PLAN)
    target = _offer_or_404(row, offer_id)
    with db().transaction() as s:
        engagement, offer = s.get(Engagement, row.id), s.get(Volunteer, target)
        if engagement is not None and offer is not None:
            people.accept_offer(s, engagement, offer, author=author())
    flash(_("The volunteer joined the working group."), "success")
    return redirect(url_for("program.working_group", engagement_id=row.id))


@bp.post("/<int:engagement_id>/volunteers/<offer_id>/discard")
@login_required
def discard_volunteer(engagement_id: int, offer_id: str) -> WerkzeugResponse:
    row, _actor = engagement_for(engagement_id, Can.PLAN)
    target = _offer_or_404(row, offer_id)
    with db().transaction() as s:
        offer = s.get(Volunteer, target)
        if offer is not None:
            people.discard_offer(s, offer)
    flash(_("The offer is deleted."), "success")
    return redirect(url_for("program.working_group", engagement_id=row.id))


# -- the public volunteer form -------------------------------------------------------------------


def _volunteer_organization(org_slug: str) -> Organization:
    """Return the organization, if it has an active engagement; else 404."""
    # Like the survey pages: not kept in the browser's cache on a shared computer.
    g.no_store = True
    language = request.args.get("lang")
    languages = [lang.strip() for lang in current_app.config["LANGUAGES"].split(",")]
    if language in languages:
        g.language = language
    session = db_session()
    org = session.scalars(select(Organization).where(Organization.slug == org_slug)).first()
    if org is None or current_engagement(session, org.id) is None:
        abort(404)
    return org


@bp.route("/volunteer/<org_slug>", methods=["GET", "POST"])
def volunteer(org_slug: str) -> WerkzeugResponse | tuple[str, int]:
    org = _volunteer_organization(org_slug)
    form = VolunteerForm()
    if not form.validate_on_submit():
        return form_page("program/volunteer.html", form, organization=org)
    saved = save(
        form,
        lambda s: people.offer_to_volunteer(
            s,
            fresh(s, org),
            name=form.name.data,
            role=form.role.data,
            contact=form.contact.data,
            message=form.message.data,
        ),
    )
    if saved is None:
        return form_page("program/volunteer.html", form, organization=org)
    return redirect(
        url_for("program.volunteer_thanks", org_slug=org.slug, lang=g.get("language")), 303
    )


@bp.get("/volunteer/<org_slug>/thanks")
def volunteer_thanks(org_slug: str) -> str:
    org = _volunteer_organization(org_slug)
    return render_template("program/volunteer_thanks.html", organization=org)
