"""`repp serve` (production server) and `repp demo` (the main job on the embedded default)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from webapp import clock
from webapp.cli.context import database, ensure_secret, fail, make_app

DEMO_DATABASE = "repp-demo.sqlite3"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Serve repp with gunicorn (no access log: no client addresses, no survey paths)."""
    from webapp.server import serve as run

    app = make_app()
    database(app)
    click.echo(f"repp serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    run(app, host, port, workers)


@click.command()
@click.option("--no-serve", is_flag=True, help="Build the demo data, print the links and stop.")
@click.option("--reset", is_flag=True, help="Empty a REPP_DATABASE_URL database that holds data.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--seed", type=int, default=None, help="Make the synthetic responses repeatable.")
def demo(no_serve: bool, reset: bool, host: str, port: int, workers: int, seed: int | None) -> None:
    """Build the demo organization with a baseline and a 12-month wave, then serve it.

    Uses a fresh SQLite file in the instance folder, or the database REPP_DATABASE_URL names;
    that one is never emptied unless --reset is given.
    """
    from webapp.app import instance_folder
    from webapp.demo import build_demo
    from webapp.migrate import drop_everything, holds_data, upgrade
    from webapp.waves import link_path

    instance = instance_folder(None)
    ensure_secret(instance)
    config: dict[str, object] = {}
    if not os.environ.get("REPP_DATABASE_URL"):
        path = instance / DEMO_DATABASE
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{path}"
    app = make_app(config)
    db = database(app, require_schema=False)
    if holds_data(db):
        if not reset:
            fail(
                "the database in REPP_DATABASE_URL already holds data; the demo will not touch "
                "it. Use --reset to empty it first, or unset REPP_DATABASE_URL to use a fresh "
                "SQLite file."
            )
        drop_everything(db)
    upgrade(db)
    with db.transaction() as s:
        data = build_demo(s, today=clock.today(), seed=seed)
        survey = link_path(data.followup)
    base = f"http://{host}:{port}"
    click.echo(
        "\n".join(
            [
                "",
                "repp demo is ready.",
                f"  database:     {db.url}",
                f"  survey link:  {base}{survey}   (the open 12-month wave)",
                f"  admin:        {base}/login   {data.admin_email} / {data.admin_password}",
                f"  leader:       {base}/login   {data.leader_email} / {data.leader_password}",
                f"  member:       {base}/login   {data.member_email} / {data.member_password}"
                "   (working group)",
                f"  dashboard:    {base}/dashboard/",
                f"  program year: {base}/program/",
                "  (the passwords are printed only this once)",
                "",
                "Other repp commands work on the demo's database with:",
                f"  export REPP_DATABASE_URL={db.url}",
                "  (e.g. repp engagement export --json, repp wave list, repp export WAVE_ID)",
                "",
            ]
        )
    )
    if no_serve:
        return
    from webapp.server import serve as run

    click.echo(f"serving on {base}/ (Ctrl-C stops)", err=True)
    run(app, host, port, workers)
