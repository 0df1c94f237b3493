"""The Alembic migrations build exactly the schema the models describe, from an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from webapp.db import Database
from webapp.migrate import current_revision, downgrade, head_revision, upgrade
from webapp.models import Base


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    # The `db` fixture's database was built from empty by `upgrade` (see tests/conftest.py).
    assert current_revision(db) == head_revision(db)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_migrating(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_volunteer_offers_survive_the_move_to_a_table_without_rowid(tmp_path: Path) -> None:
    """0002 → 0003 on SQLite rebuilds `volunteers`; every offer is kept, and so is downgrading."""
    database = Database(f"sqlite:///{tmp_path / 'steps.sqlite3'}")
    try:
        upgrade(database, "0002")
        offers = [(f"{n:08d}-0000-4000-8000-000000000000", f"Person {n}") for n in (7, 3, 5)]
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO organizations (slug, name) VALUES ('o', 'O')"))
            for offer_id, name in offers:
                conn.execute(
                    text(
                        "INSERT INTO volunteers (id, organization_id, name, contact) "
                        "VALUES (:id, 1, :name, 'x@example.org')"
                    ),
                    {"id": offer_id, "name": name},
                )
        upgrade(database)
        assert current_revision(database) == head_revision(database)
        with database.engine.connect() as conn:
            with pytest.raises(OperationalError, match="rowid"):
                conn.execute(text("SELECT rowid FROM volunteers")).all()
            kept = conn.execute(text("SELECT id, name FROM volunteers")).all()
            assert [tuple(row) for row in kept] == sorted(offers)
            assert "ix_volunteers_organization_id" in {
                index["name"] for index in inspect(conn).get_indexes("volunteers")
            }
        downgrade(database, "0002")
        with database.engine.connect() as conn:
            assert len(conn.execute(text("SELECT rowid FROM volunteers")).all()) == 3
    finally:
        database.dispose()
