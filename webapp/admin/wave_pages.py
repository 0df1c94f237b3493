"""Admin pages for survey waves: create, open, close, the open link and invitations."""

from __future__ import annotations

import csv
import io
import re

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from webapp.access import admin_required
from webapp.admin.blueprint import bp, form_page, get_or_404, public_url
from webapp.admin.forms import InvitationsForm, WaveForm
from webapp.dashboard.progress import Progress, progress_of
from webapp.database import db, db_session
from webapp.errors import DomainError
from webapp.models import InstrumentVersion, Organization, Wave, WaveStatus
from webapp.waves import (
    create_wave,
    generate_invitations,
    invitation_counts,
    invitation_path,
    link_path,
    set_status,
)

#: The column of the invitations CSV, named for mail merge.
INVITATION_COLUMN = "invitation_link"


@bp.get("/waves/")
@admin_required
def waves() -> str:
    session = db_session()
    rows = session.scalars(select(Wave).order_by(Wave.id.desc())).all()
    return render_template("admin/waves.html", waves=rows, progress=progress_of(session, rows))


def _wave_choices(form: WaveForm) -> None:
    session = db_session()
    form.organization.choices = [SelectChoice("", _("Choose an organization"))] + [
        SelectChoice(str(o.id), f"{o.name} ({o.slug})")
        for o in session.scalars(select(Organization).order_by(Organization.name))
    ]
    form.instrument_version.choices = [SelectChoice("", _("Choose an instrument version"))] + [
        SelectChoice(str(v.id), f"{v.title} ({v.key})")
        for v in session.scalars(
            select(InstrumentVersion).order_by(
                InstrumentVersion.instrument_id, InstrumentVersion.id.desc()
            )
        )
    ]


@bp.route("/waves/new", methods=["GET", "POST"])
@admin_required
def new_wave() -> WerkzeugResponse | tuple[str, int]:
    form = WaveForm()
    _wave_choices(form)
    if request.method == "GET":
        form.min_group_size.data = int(current_app.config["MIN_GROUP_SIZE"])
        preselect = request.args.get("organization", type=int)
        if preselect is not None:
            form.organization.data = preselect
    if not form.validate_on_submit():
        return form_page("admin/wave_new.html", form)
    try:
        with db().transaction() as s:
            org = s.get(Organization, form.organization.data)
            version = s.get(InstrumentVersion, form.instrument_version.data)
            if org is None or version is None:  # deleted since the choices were read
                raise DomainError(_("The organization or instrument version no longer exists."))
            wave = create_wave(
                s,
                org,
                version,
                form.label.data,
                min_group_size=form.min_group_size.data,
                expected_headcount=form.expected_headcount.data,
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                status=WaveStatus.OPEN if form.open_now.data else WaveStatus.DRAFT,
            )
            wave_id, label = wave.id, wave.label
    except DomainError as exc:
        form.form_errors.append(str(exc))
        return form_page("admin/wave_new.html", form)
    flash(_("Wave %(label)s created.", label=label), "success")
    return redirect(url_for("admin.wave", wave_id=wave_id))


def _wave_page(wave: Wave, form: InvitationsForm, status: int) -> tuple[str, int]:
    session = db_session()
    total, used = invitation_counts(session, wave)
    progress: Progress = progress_of(session, [wave])[wave.id]
    return (
        render_template(
            "admin/wave.html",
            wave=wave,
            progress=progress,
            invitations_total=total,
            invitations_used=used,
            open_link=public_url(link_path(wave)),
            form=form,
        ),
        status,
    )


@bp.get("/waves/<int:wave_id>")
@admin_required
def wave(wave_id: int) -> tuple[str, int]:
    return _wave_page(get_or_404(Wave, wave_id), InvitationsForm(formdata=None), 200)


def _change_status(wave_id: int, status: WaveStatus) -> WerkzeugResponse:
    get_or_404(Wave, wave_id)
    try:
        with db().transaction() as s:
            wave = s.get(Wave, wave_id)
            if wave is None:
                raise DomainError(_("This wave no longer exists."))
            set_status(wave, status)
            label = wave.label
    except DomainError as exc:
        flash(str(exc), "error")
    else:
        if status is WaveStatus.OPEN:
            flash(_("Wave %(label)s is open: it takes responses.", label=label), "success")
        else:
            flash(
                _("Wave %(label)s is closed: it takes no more responses.", label=label), "success"
            )
    return redirect(url_for("admin.wave", wave_id=wave_id))


@bp.post("/waves/<int:wave_id>/open")
@admin_required
def open_wave(wave_id: int) -> WerkzeugResponse:
    return _change_status(wave_id, WaveStatus.OPEN)


@bp.post("/waves/<int:wave_id>/close")
@admin_required
def close_wave(wave_id: int) -> WerkzeugResponse:
    return _change_status(wave_id, WaveStatus.CLOSED)


def _file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "wave"


@bp.post("/waves/<int:wave_id>/invitations")
@admin_required
def wave_invitations(wave_id: int) -> WerkzeugResponse | tuple[str, int]:
    wave = get_or_404(Wave, wave_id)
    form = InvitationsForm()
    if not form.validate_on_submit():
        return _wave_page(wave, form, 400)
    try:
        with db().transaction() as s:
            locked = s.get(Wave, wave_id)
            if locked is None:
                raise DomainError(_("This wave no longer exists."))
            tokens = generate_invitations(s, locked, form.count.data)
    except DomainError as exc:
        form.form_errors.append(str(exc))
        return _wave_page(wave, form, 400)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([INVITATION_COLUMN])
    writer.writerows([public_url(invitation_path(token))] for token in tokens)
    filename = f"invitations-{_file_part(wave.organization.slug)}-{_file_part(wave.label)}.csv"
    # The tokens exist only in this response: keep it out of every cache.
    g.no_store = True
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
