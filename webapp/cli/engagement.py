"""`repp engagement`: start an organization's program year and export what the pages show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from webapp.cli.context import database, domain_errors, echo_json, fail, make_app


@click.group("engagement")
def engagement_group() -> None:
    """Program years: an organization's engagement with CfJJ."""


@engagement_group.command("create")
@click.argument("org")
@click.option(
    "--start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day (YYYY-MM-DD)."
)
@click.option("--facilitator", required=True, help="The CfJJ facilitator's name.")
@click.option(
    "--template",
    "template_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A work-plan template (JSON); the program's standard year by default.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the engagement as JSON.")
def engagement_create(
    org: str, start: dt.datetime, facilitator: str, template_file: Path | None, as_json: bool
) -> None:
    """Start ORG's program year with its work plan (milestones due from the start date)."""
    from webapp import clock
    from webapp.organizations import find_organization
    from webapp.program import workplan
    from webapp.program.engagements import create_engagement
    from webapp.program.summary import export, summarize

    try:
        template = workplan.load(template_file)
    except workplan.WorkplanError as exc:
        for problem in exc.problems:
            click.echo(f"{template_file or workplan.BUNDLED_FILE}: {problem}", err=True)
        fail("the work-plan template is not valid")
    db = database(make_app())
    with domain_errors(), db.transaction() as s:
        engagement = create_engagement(
            s, find_organization(s, org), start.date(), facilitator, template
        )
        data = export(summarize(s, engagement, today=clock.today()))
    if as_json:
        echo_json(data)
        return
    click.echo(f"engagement {data['id']} for {org} starts {data['start']}:")
    for milestone in data["milestones"]:
        click.echo(f"  {milestone['due']}  {milestone['name']}")


@engagement_group.command("export")
@click.argument("org", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the full export).")
@click.option("--language", default=None, help="Language of titles and names (default: en).")
def engagement_export(org: str | None, as_json: bool, language: str | None) -> None:
    """Print every engagement (or ORG's): milestones, focus areas, strategies, check-ins."""
    from webapp import clock
    from webapp.organizations import find_organization
    from webapp.program.engagements import engagements_of
    from webapp.program.summary import export, summarize

    db = database(make_app())
    with domain_errors(), db.session() as s:
        organization_id = find_organization(s, org).id if org else None
        data = [
            export(summarize(s, engagement, language=language, today=clock.today()))
            for engagement in engagements_of(s, organization_id)
        ]
    if as_json:
        echo_json(data)
        return
    if not data:
        click.echo("no engagement")
    for item in data:
        click.echo(
            f"{item['organization']}: started {item['start']}, {item['status']}, "
            f"facilitator {item['facilitator']}"
        )
        overdue = sum(1 for m in item["milestones"] if m["overdue"])
        click.echo(f"  milestones: {len(item['milestones'])} ({overdue} overdue)")
        for area in item["focus_areas"]:
            click.echo(f"  focus area {area['id']}: {area['title']}")
        for strategy in item["strategies"]:
            click.echo(
                f"  strategy: {strategy['title']} [{strategy['status']}, {strategy['review_state']}]"
            )
            for indicator in strategy["indicators"]:
                click.echo(
                    f"    {indicator['name']}: baseline {indicator['baseline']}, "
                    f"target {indicator['target']}, current {indicator['current']} "
                    f"({indicator['outcome']})"
                )
        click.echo(f"  check-ins: {len(item['checkins'])}")
