"""Create and upgrade the schema with Alembic (`repp init`); never called by the app factory."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from webapp.db import Database


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("webapp") / "migrations"))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to `revision` (default: the newest)."""
    config = alembic_config(database)
    database.ensure_directory()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database: Database, revision: str) -> None:
    """Take the schema back to `revision` (for testing the migrations both ways)."""
    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(database: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database)).get_current_head()


def is_current(database: Database) -> bool:
    return current_revision(database) == head_revision(database)


def holds_data(database: Database) -> bool:
    """Return whether the database has any repp table with rows in it."""
    from sqlalchemy import MetaData, select

    metadata = MetaData()
    metadata.reflect(database.engine)
    with database.engine.connect() as connection:
        for name in ("organizations", "instrument_versions", "responses", "users"):
            table = metadata.tables.get(name)
            if (
                table is not None
                and connection.execute(select(1).select_from(table).limit(1)).first()
            ):
                return True
    return False


def drop_everything(database: Database) -> None:
    """Drop every table (the demo's --reset), including Alembic's version table."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(database.engine)
    metadata.drop_all(database.engine)
