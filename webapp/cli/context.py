"""What the database commands share: the app, its database, and clear failures."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask

from webapp.config import SECRET_FILE, ConfigError
from webapp.db import Database
from webapp.errors import DomainError


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"repp: {message}", err=True)
    sys.exit(code)


def ensure_secret(instance_path: Path) -> None:
    """Write a random secret key to the instance folder unless one exists or the env gives one."""
    import os

    if os.environ.get("REPP_SECRET_KEY"):
        return
    secret_file = instance_path / SECRET_FILE
    if secret_file.exists():
        return
    instance_path.mkdir(parents=True, exist_ok=True)
    secret_file.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
    secret_file.chmod(0o600)


def make_app(config: dict[str, Any] | None = None) -> Flask:
    from webapp.app import create_app

    try:
        return create_app(config)
    except ConfigError as exc:
        fail(str(exc))


def database(app: Flask, *, require_schema: bool = True) -> Database:
    from webapp.migrate import is_current

    db: Database = app.extensions["repp.db"]
    # Close pooled connections when the command ends, not whenever the collector gets to them.
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(db.dispose)
    if require_schema:
        try:
            current = is_current(db)
        except Exception as exc:  # noqa: BLE001 - any connection failure gets the same advice
            fail(
                f"cannot reach the database ({type(exc).__name__}: {exc}); check REPP_DATABASE_URL"
            )
        if not current:
            fail("the database schema is missing or out of date: run `repp init` first")
    return db


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def domain_errors() -> Any:
    """A context manager turning DomainError into a one-line failure."""
    from contextlib import contextmanager

    @contextmanager
    def _guard() -> Any:
        try:
            yield
        except DomainError as exc:
            fail(str(exc))

    return _guard()
