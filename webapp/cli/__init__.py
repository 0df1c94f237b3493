"""The `repp` command line: one click group, its commands loaded only when they run.

Loading lazily keeps `repp validate` quick and lets each command module import what it needs
(the web app, the database) without every other command paying for it.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

#: command name -> "module:attribute" of a click command or group.
COMMANDS: dict[str, str] = {
    "validate": "webapp.cli.instruments:validate",
    "schema": "webapp.cli.instruments:schema",
    "convert": "webapp.cli.instruments:convert",
    "score": "webapp.cli.score:score",
    "init": "webapp.cli.admin:init",
    "instrument": "webapp.cli.admin:instrument_group",
    "org": "webapp.cli.admin:org_group",
    "wave": "webapp.cli.admin:wave_group",
    "user": "webapp.cli.admin:user_group",
    "export": "webapp.cli.admin:export",
    "serve": "webapp.cli.serve:serve",
    "demo": "webapp.cli.serve:demo",
    "engagement": "webapp.cli.engagement:engagement_group",
}


class ReppGroup(click.Group):
    """A group that imports commands on demand and turns unexpected errors into one clear line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attr = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attr)
            assert isinstance(command, click.Command)  # noqa: S101
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("REPP_DEBUG"):
                raise
            click.echo(f"repp: error: {type(exc).__name__}: {exc}", err=True)
            click.echo("repp: set REPP_DEBUG=1 to see the full traceback", err=True)
            sys.exit(1)


@click.group(cls=ReppGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="repp")
def main() -> None:
    """repp: the Race Equity Partnership Program's survey and assessment engine."""
