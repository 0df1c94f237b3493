"""Shared fixtures: `app`, `client`, `db` on SQLite and, with REPP_TEST_DATABASE_URL, PostgreSQL.

Every test that uses `app` runs once per backend. The schema is built by the Alembic migrations
once per backend and test run; each test then starts from empty tables.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from tests.support import TEST_SECRET, AuthActions
from webapp.app import create_app
from webapp.db import Database
from webapp.migrate import upgrade
from webapp.results import clear_cache

PG_ENV = "REPP_TEST_DATABASE_URL"


def _a_zone_whose_date_is_not_the_machines() -> str | None:
    """Return a time zone where today is not the machine's today, if one of the widest is.

    Survey dates follow REPP_TIMEZONE, never the machine's clock. Tests run in such a zone, so
    code (or a test) that reads the machine's date where it should read `webapp.clock` fails on
    every run, not only on runs late in the evening.
    """
    machine = dt.date.today()
    for name in ("Etc/GMT+12", "Pacific/Kiritimati"):  # UTC-12 and UTC+14
        if dt.datetime.now(ZoneInfo(name)).date() != machine:
            return name
    return None


if "REPP_TIMEZONE" not in os.environ and (_zone := _a_zone_whose_date_is_not_the_machines()):
    os.environ["REPP_TIMEZONE"] = _zone


def _backends() -> list[str]:
    backends = ["sqlite"]
    if os.environ.get(PG_ENV):
        backends.append("postgresql")
    elif os.environ.get("CI") == "true":
        raise pytest.UsageError(
            f"CI=true needs {PG_ENV}: database tests must run on PostgreSQL too"
        )
    return backends


BACKENDS = _backends()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, migrated once, dropped at the end."""
    base = os.environ[PG_ENV]
    name = f"repp_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    database = Database(url)
    upgrade(database)
    database.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_truncate(postgres_url: str) -> Iterator[Callable[[], None]]:
    """Empty every table of the test database in one statement (table names looked up once)."""
    engine = create_engine(postgres_url)
    metadata = MetaData()
    metadata.reflect(engine)
    names = [t.name for t in metadata.sorted_tables if t.name != "alembic_version"]
    statement = text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")

    def truncate() -> None:
        with engine.begin() as conn:
            conn.execute(statement)

    yield truncate
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "repp.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    request.getfixturevalue("postgres_truncate")()
    return url


def app_config(tmp_path: Path, database_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        **extra,
    }


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    # Results are cached per process by wave id; ids repeat from one test database to the next.
    clear_cache()
    application = create_app(app_config(tmp_path, database_url))
    yield application
    application.extensions["repp.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Database:
    database: Database = app.extensions["repp.db"]
    return database


@pytest.fixture
def auth(client: FlaskClient, db: Database) -> AuthActions:
    return AuthActions(client, db)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under CI=true nothing may skip: a missing browser, Node.js or library fails the run."""
    report = yield
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"
    return report
