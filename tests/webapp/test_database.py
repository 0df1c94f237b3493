"""The SQLite settings that keep several server workers from losing writes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import event, text

from webapp.db import Database
from webapp.migrate import upgrade
from webapp.models import Organization


def _statements(database: Database) -> list[str]:
    seen: list[str] = []

    @event.listens_for(database.engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    return seen


def test_writes_take_the_lock_up_front_and_reads_do_not(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        upgrade(database)
        seen = _statements(database)
        with database.transaction() as s:
            s.add(Organization(slug="a", name="A"))
        assert "BEGIN IMMEDIATE" in seen
        seen.clear()
        with database.session() as s:
            s.execute(text("SELECT count(*) FROM organizations")).scalar()
        assert "BEGIN" in seen
        assert "BEGIN IMMEDIATE" not in seen
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()


def test_concurrent_read_then_write_transactions_all_commit(tmp_path: Path) -> None:
    """Many writers that read before they write: none fails with "database is locked"."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    setup = Database(url)
    upgrade(setup)
    setup.dispose()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        # A database of its own per thread, as separate server workers would have.
        database = Database(url)
        try:
            for i in range(10):
                with database.transaction() as s:
                    count = s.execute(text("SELECT count(*) FROM organizations")).scalar()
                    s.add(Organization(slug=f"w{n}-{i}", name=f"after {count}"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = Database(url)
    try:
        with check.session() as s:
            assert s.execute(text("SELECT count(*) FROM organizations")).scalar() == 80
    finally:
        check.dispose()


def test_a_forked_child_opens_its_own_connections(database_url: str) -> None:
    """After a fork (gunicorn --preload) the child's pool starts empty: no connection is shared."""
    database = Database(database_url)
    try:
        with database.session() as s:
            s.execute(text("SELECT 1")).scalar()
        parent_pool = database.engine.pool
        assert parent_pool.checkedin() == 1  # the parent keeps a pooled connection
        pid = os.fork()
        if pid == 0:  # the child: report through the exit status only
            try:
                fresh = (
                    database.engine.pool is not parent_pool or database.engine.pool.checkedin() == 0
                )
                with database.session() as s:
                    works = s.execute(text("SELECT 1")).scalar() == 1
                os._exit(0 if fresh and works else 1)
            except BaseException:  # noqa: BLE001 - anything at all fails the child
                os._exit(2)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        with database.session() as s:  # the parent's own connection still works
            assert s.execute(text("SELECT 1")).scalar() == 1
    finally:
        database.dispose()
