"""Admin pages for partner organizations: list, create, detail with waves and users."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.access import admin_required
from webapp.admin.blueprint import bp, form_page, get_or_404
from webapp.admin.forms import OrganizationForm, sector_label
from webapp.dashboard.progress import progress_of
from webapp.database import db, db_session
from webapp.errors import DomainError
from webapp.models import Organization, User, Wave
from webapp.organizations import add_organization


@bp.get("/organizations/")
@admin_required
def organizations() -> str:
    session = db_session()
    orgs = session.scalars(select(Organization).order_by(Organization.name)).all()
    wave_counts = dict(
        session.execute(
            select(Wave.organization_id, func.count()).group_by(Wave.organization_id)
        ).all()
    )
    user_counts = dict(
        session.execute(
            select(User.organization_id, func.count())
            .where(User.organization_id.is_not(None))
            .group_by(User.organization_id)
        ).all()
    )
    return render_template(
        "admin/organizations.html",
        orgs=orgs,
        wave_counts=wave_counts,
        user_counts=user_counts,
        sector_label=sector_label,
    )


@bp.route("/organizations/new", methods=["GET", "POST"])
@admin_required
def new_organization() -> WerkzeugResponse | tuple[str, int]:
    form = OrganizationForm()
    if not form.validate_on_submit():
        return form_page("admin/organization_new.html", form)
    try:
        with db().transaction() as s:
            org = add_organization(s, form.slug.data, form.name.data, form.sector.data or None)
            org_id, name = org.id, org.name
    except DomainError as exc:
        form.form_errors.append(str(exc))
        return form_page("admin/organization_new.html", form)
    flash(_("Organization %(name)s added.", name=name), "success")
    return redirect(url_for("admin.organization", org_id=org_id))


@bp.get("/organizations/<int:org_id>")
@admin_required
def organization(org_id: int) -> str:
    org = get_or_404(Organization, org_id)
    session = db_session()
    users = session.scalars(
        select(User).where(User.organization_id == org.id).order_by(User.email)
    ).all()
    return render_template(
        "admin/organization.html",
        org=org,
        progress=progress_of(session, org.waves),
        users=users,
        sector_label=sector_label,
    )
