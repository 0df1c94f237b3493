"""The request's database access: `db()` for the app's Database, `db_session()` for reads."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from webapp.db import Database


def db() -> Database:
    database: Database = current_app.extensions["repp.db"]
    return database


def db_session() -> Session:
    """Return the request's read session, created on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = db().session()
    session: Session = g.db_session
    return session
