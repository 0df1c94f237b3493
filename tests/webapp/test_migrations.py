"""The Alembic migrations build exactly the schema the models describe, from an empty database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from webapp.db import Database
from webapp.migrate import current_revision, head_revision
from webapp.models import Base


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    # The `db` fixture's database was built from empty by `upgrade` (see tests/conftest.py).
    assert current_revision(db) == head_revision(db)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_migrating(db: Database) -> None:
    from sqlalchemy import inspect

    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
