"""Database commands for CfJJ staff: init, instruments, organizations, waves, users, export."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click
from sqlalchemy import select

import instrument as instrument_pkg
from webapp.cli.context import database, domain_errors, echo_json, ensure_secret, fail, make_app
from webapp.models import InstrumentVersion, Organization, Role, Wave, WaveStatus


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the revision as JSON.")
def init(as_json: bool) -> None:
    """Create or upgrade the database schema (and a secret key for the embedded default)."""
    from webapp.app import instance_folder
    from webapp.migrate import head_revision, upgrade

    ensure_secret(instance_folder(None))
    app = make_app()
    db = database(app, require_schema=False)
    upgrade(db)
    if as_json:
        echo_json({"revision": head_revision(db)})
    else:
        click.echo(f"database ready at revision {head_revision(db)}")


# -- instruments ---------------------------------------------------------------------------------


@click.group("instrument")
def instrument_group() -> None:
    """Instrument versions in the database."""


@instrument_group.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def instrument_add(file: Path, as_json: bool) -> None:
    """Validate FILE and store it as an instrument version."""
    from webapp.instruments import add_version

    result = instrument_pkg.validate(file)
    for warning in result.warnings:
        click.echo(f"{file}: {warning.path}: warning: {warning.message}", err=True)
    if result.instrument is None:
        for problem in result.problems:
            click.echo(f"{file}: {problem}", err=True)
        sys.exit(1)
    db = database(make_app())
    with domain_errors(), db.transaction() as s:
        row, new = add_version(s, result.instrument)
        data = {
            "id": row.instrument_id,
            "version": row.version,
            "content_hash": row.content_hash,
            "added": new,
        }
    if as_json:
        echo_json(data)
    else:
        click.echo(f"{data['id']}@{data['version']}: {'added' if new else 'already present'}")


@instrument_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def instrument_list(as_json: bool) -> None:
    """List instrument versions."""
    db = database(make_app())
    with db.session() as s:
        rows = [
            {
                "id": r.instrument_id,
                "version": r.version,
                "title": r.title,
                "content_hash": r.content_hash,
            }
            for r in s.scalars(select(InstrumentVersion).order_by(InstrumentVersion.id))
        ]
    if as_json:
        echo_json(rows)
    else:
        for r in rows:
            click.echo(f"{r['id']}@{r['version']}  {r['title']}")


# -- organizations -------------------------------------------------------------------------------


@click.group("org")
def org_group() -> None:
    """Partner organizations."""


@org_group.command("add")
@click.argument("slug")
@click.option("--name", required=True, help="The organization's name.")
@click.option("--sector", help="child-welfare, education, police, juvenile-justice or other.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def org_add(slug: str, name: str, sector: str | None, as_json: bool) -> None:
    """Add an organization."""
    from webapp.organizations import add_organization

    db = database(make_app())
    with domain_errors(), db.transaction() as s:
        org = add_organization(s, slug, name, sector)
        data = {"id": org.id, "slug": org.slug, "name": org.name, "sector": org.sector}
    if as_json:
        echo_json(data)
    else:
        click.echo(f"organization {slug} added")


@org_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def org_list(as_json: bool) -> None:
    """List organizations."""
    db = database(make_app())
    with db.session() as s:
        rows = [
            {"slug": o.slug, "name": o.name, "sector": o.sector}
            for o in s.scalars(select(Organization).order_by(Organization.slug))
        ]
    if as_json:
        echo_json(rows)
    else:
        for r in rows:
            click.echo(f"{r['slug']}  {r['name']}  {r['sector'] or ''}".rstrip())


# -- waves ---------------------------------------------------------------------------------------


def _wave_data(wave: Wave, invitations: list[str] | None = None) -> dict[str, object]:
    from webapp.waves import invitation_path, link_path

    data: dict[str, object] = {
        "id": wave.id,
        "organization": wave.organization.slug,
        "instrument": wave.instrument_version.key,
        "label": wave.label,
        "status": wave.status.value,
        "min_group_size": wave.min_group_size,
        "expected_headcount": wave.expected_headcount,
        "link": link_path(wave),
    }
    if invitations is not None:
        data["invitations"] = [invitation_path(t) for t in invitations]
    return data


@click.group("wave")
def wave_group() -> None:
    """Survey waves."""


@wave_group.command("create")
@click.argument("org")
@click.option("--instrument", "instrument_spec", required=True, help="ID or ID@VERSION.")
@click.option("--label", required=True, help="e.g. baseline or 12-month.")
@click.option(
    "--tokens", type=click.IntRange(0, 10_000), default=0, help="Invitations to generate."
)
@click.option(
    "--min-group",
    type=click.IntRange(3, None),
    default=None,
    help="Smallest group shown (default 5).",
)
@click.option(
    "--headcount", type=click.IntRange(1, None), default=None, help="Expected respondents."
)
@click.option(
    "--opens", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (YYYY-MM-DD)."
)
@click.option(
    "--closes", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (YYYY-MM-DD)."
)
@click.option("--json", "as_json", is_flag=True, help="Print id, link and invitations as JSON.")
def wave_create(
    org: str,
    instrument_spec: str,
    label: str,
    tokens: int,
    min_group: int | None,
    headcount: int | None,
    opens: dt.datetime | None,
    closes: dt.datetime | None,
    as_json: bool,
) -> None:
    """Create an open wave of ORG's survey and print its link (and invitations)."""
    from webapp.instruments import find_version
    from webapp.organizations import find_organization
    from webapp.waves import create_wave, generate_invitations

    app = make_app()
    db = database(app)
    with domain_errors(), db.transaction() as s:
        wave = create_wave(
            s,
            find_organization(s, org),
            find_version(s, instrument_spec),
            label,
            min_group_size=min_group or app.config["MIN_GROUP_SIZE"],
            expected_headcount=headcount,
            opens_on=opens.date() if opens else None,
            closes_on=closes.date() if closes else None,
            status=WaveStatus.OPEN,
        )
        invitations = generate_invitations(s, wave, tokens) if tokens else []
        data = _wave_data(wave, invitations)
    if as_json:
        echo_json({"id": data["id"], "link": data["link"], "invitations": data["invitations"]})
        return
    click.echo(f"wave {data['id']} ({label}) is open: {data['link']}")
    for path in data["invitations"]:  # type: ignore[attr-defined]
        click.echo(path)


def _set_wave_status(wave_id: int, status: WaveStatus, as_json: bool) -> None:
    from webapp.waves import find_wave, response_count, set_status

    db = database(make_app())
    with domain_errors(), db.transaction() as s:
        wave = find_wave(s, wave_id)
        set_status(wave, status)
        data = _wave_data(wave)
        data["responses"] = response_count(s, wave)
    if as_json:
        echo_json(data)
    else:
        click.echo(f"wave {wave_id} {status.value}")


@wave_group.command("close")
@click.argument("wave_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the wave as JSON.")
def wave_close(wave_id: int, as_json: bool) -> None:
    """Close a wave: it takes no more responses."""
    _set_wave_status(wave_id, WaveStatus.CLOSED, as_json)


@wave_group.command("open")
@click.argument("wave_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the wave as JSON.")
def wave_open(wave_id: int, as_json: bool) -> None:
    """Open (or reopen) a wave."""
    _set_wave_status(wave_id, WaveStatus.OPEN, as_json)


@wave_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def wave_list(as_json: bool) -> None:
    """List waves with their response counts."""
    from webapp.waves import response_count

    db = database(make_app())
    with db.session() as s:
        rows = []
        for wave in s.scalars(select(Wave).order_by(Wave.id)):
            data = _wave_data(wave)
            data["responses"] = response_count(s, wave)
            rows.append(data)
    if as_json:
        echo_json(rows)
    else:
        for r in rows:
            click.echo(
                f"{r['id']}  {r['organization']}  {r['label']}  {r['status']}  "
                f"{r['responses']} responses  {r['link']}"
            )


# -- users ---------------------------------------------------------------------------------------


@click.group("user")
def user_group() -> None:
    """Accounts for CfJJ admins, organization leaders and working-group members."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--org", help="The leader's or working-group member's organization (slug).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def user_add(email: str, role: str, org: str | None, as_json: bool) -> None:
    """Add a user; the password comes from REPP_PASSWORD, else a prompt."""
    from webapp.organizations import find_organization
    from webapp.users import add_user

    password = os.environ.get("REPP_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            fail("set REPP_PASSWORD or run in a terminal to be asked for the password")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = database(make_app())
    with domain_errors(), db.transaction() as s:
        organization = find_organization(s, org) if org else None
        user = add_user(s, email, password, Role(role), organization)
        data = {"id": user.id, "email": user.email, "role": user.role.value, "organization": org}
    if as_json:
        echo_json(data)
    else:
        click.echo(f"user {data['email']} ({role}) added")


# -- export --------------------------------------------------------------------------------------


@click.command()
@click.argument("wave_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def export(wave_id: int, output: Path | None) -> None:
    """Export a wave's responses as CSV (rows shuffled), in the format `repp score` reads."""
    from webapp.exports import export_wave
    from webapp.waves import find_wave

    db = database(make_app())
    with domain_errors(), db.session() as s:
        wave = find_wave(s, wave_id)
        if output is None:
            count = export_wave(s, wave, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                count = export_wave(s, wave, out)
    click.echo(f"{count} responses exported", err=True)
