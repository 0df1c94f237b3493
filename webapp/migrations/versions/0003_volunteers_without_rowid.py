"""Volunteer offers kept without SQLite's rowid

Revision ID: 0003
Revises: 0002

SQLite numbers a table's rows as they arrive (a hidden rowid), so the volunteers table told the
order in which offers were made. Like responses, it is now a WITHOUT ROWID table, stored in the
order of its random ids. PostgreSQL has no such column: nothing changes there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = "id, organization_id, name, role, contact, message"


def _rebuild(*, with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "volunteers_rebuilt",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=255), nullable=True),
        sa.Column("contact", sa.String(length=255), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        f"INSERT INTO volunteers_rebuilt ({_COLUMNS}) "  # noqa: S608 - fixed column names
        f"SELECT {_COLUMNS} FROM volunteers ORDER BY id"
    )
    op.drop_index("ix_volunteers_organization_id", table_name="volunteers")
    op.drop_table("volunteers")
    op.rename_table("volunteers_rebuilt", "volunteers")
    op.create_index("ix_volunteers_organization_id", "volunteers", ["organization_id"])


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
