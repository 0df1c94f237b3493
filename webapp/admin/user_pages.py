"""Admin pages for accounts: list, create, deactivate and reactivate."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from webapp.access import admin_required
from webapp.admin.blueprint import bp, form_page, get_or_404
from webapp.admin.forms import UserForm
from webapp.database import db, db_session
from webapp.errors import DomainError
from webapp.models import Organization, Role, User
from webapp.users import add_user


@bp.get("/users/")
@admin_required
def users() -> str:
    rows = db_session().scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("admin/users.html", users=rows)


def _organization_choices(form: UserForm) -> None:
    form.organization.choices = [SelectChoice("", _("None (CfJJ admin)"))] + [
        SelectChoice(str(o.id), f"{o.name} ({o.slug})")
        for o in db_session().scalars(select(Organization).order_by(Organization.name))
    ]


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user() -> WerkzeugResponse | tuple[str, int]:
    form = UserForm()
    _organization_choices(form)
    if request.method == "GET":
        preselect = request.args.get("organization", type=int)
        if preselect is not None:
            form.organization.data = preselect
    if not form.validate_on_submit():
        return form_page("admin/user_new.html", form)
    try:
        with db().transaction() as s:
            org = None
            if form.organization.data is not None:
                org = s.get(Organization, form.organization.data)
                if org is None:  # deleted since the choices were read
                    raise DomainError(_("This organization no longer exists."))
            user = add_user(s, form.email.data, form.password.data, Role(form.role.data), org)
            email = user.email
    except DomainError as exc:
        form.form_errors.append(str(exc))
        return form_page("admin/user_new.html", form)
    flash(_("User %(email)s added.", email=email), "success")
    return redirect(url_for("admin.users"))


def _set_active(user_id: int, active: bool) -> WerkzeugResponse:
    email = get_or_404(User, user_id).email
    if not active and user_id == current_user.id:
        # Deactivating oneself would sign one out for good, perhaps the last admin.
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users"))
    with db().transaction() as s:
        user = s.get(User, user_id)
        if user is not None:
            user.active = active
    if active:
        flash(_("%(email)s can sign in again.", email=email), "success")
    else:
        flash(_("%(email)s is deactivated and can no longer sign in.", email=email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
def deactivate_user(user_id: int) -> WerkzeugResponse:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
def reactivate_user(user_id: int) -> WerkzeugResponse:
    return _set_active(user_id, True)
