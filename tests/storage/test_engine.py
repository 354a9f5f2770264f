"""The SQLite engine: WAL, foreign keys, and writers that queue instead of failing.

Database.write() begins IMMEDIATE: it takes the write lock at BEGIN and waits for it (busy
timeout). A deferred BEGIN would read first and fail with "database is locked" when it then
tried to write after another clerk's save, which is what these tests rule out.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from mou_desk.services.database import Database
from mou_desk.storage.engine import (
    BUSY_TIMEOUT_MS,
    database_url,
    is_sqlite,
    make_engine,
    sqlite_path,
)
from mou_desk.storage.lifecycle import open_database
from mou_desk.storage.models import Contact, Meta

WAIT = 10  # seconds: an upper bound on waiting for a thread, never a measured duration


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    opened = open_database(tmp_path / "desk.sqlite3")
    yield Database(opened.engine, clerk="Test Clerk")
    opened.engine.dispose()


def meta_keys(db: Database) -> list[str]:
    with db.read() as session:
        return sorted(session.scalars(select(Meta.key)))


def test_database_url_of_a_path_and_of_a_url(tmp_path: Path) -> None:
    url = database_url(tmp_path / "desk.sqlite3")
    assert url.startswith("sqlite:///")
    assert sqlite_path(url) == (tmp_path / "desk.sqlite3").resolve()
    assert is_sqlite(url)
    pg = "postgresql+psycopg://clerk@db.example/mou"
    assert database_url(pg) == pg
    assert not is_sqlite(pg)
    assert sqlite_path(pg) is None
    assert sqlite_path("sqlite:///:memory:") is None


def test_file_database_uses_wal_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(
            insert(Contact.__table__).values(
                id="c-1", name="TANAKA Hiroshi", partner_id="no-such-partner"
            )
        )


def test_in_memory_database_gets_foreign_keys_too() -> None:
    engine = make_engine("sqlite:///:memory:")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_write_transaction_holds_the_write_lock_from_its_first_statement(
    tmp_path: Path, db: Database
) -> None:
    """Even before it writes anything, a write() blocks every other writer."""
    other = sqlite3.connect(tmp_path / "desk.sqlite3", timeout=0, isolation_level=None)
    with closing(other):
        with db.write() as session:
            session.execute(select(func.count()).select_from(Meta)).scalar()  # a read only
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once write() has committed
        other.execute("ROLLBACK")


def test_read_transaction_takes_no_write_lock(tmp_path: Path, db: Database) -> None:
    other = sqlite3.connect(tmp_path / "desk.sqlite3", timeout=0, isolation_level=None)
    with closing(other), db.read() as session:
        session.execute(select(func.count()).select_from(Meta)).scalar()
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")


def begins_of(engine: Engine) -> tuple[list[tuple[str, str]], threading.Event, Any]:
    """Record which thread issued which BEGIN; set the event when the second thread begins."""
    seen: list[tuple[str, str]] = []
    begun = threading.Event()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("BEGIN"):
            seen.append((threading.current_thread().name, statement))
            if threading.current_thread().name == "second":
                begun.set()

    event.listen(engine, "before_cursor_execute", before)
    return seen, begun, before


def test_second_writer_waits_for_the_first_and_then_succeeds(db: Database) -> None:
    seen, second_begins, listener = begins_of(db.engine)
    first_holds = threading.Event()
    release_first = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with db.write() as session:
                session.execute(insert(Meta).values(key="first", value="1"))
                session.flush()
                first_holds.set()
                if not release_first.wait(WAIT):
                    raise TimeoutError("the test never released the first writer")
            outcome["first"] = "committed"
        except BaseException as exc:
            first_holds.set()
            outcome["first"] = exc

    def second() -> None:
        try:
            with db.write() as session:
                # What this transaction sees proves when it began: after the first committed.
                outcome["second saw"] = sorted(session.scalars(select(Meta.key)))
                session.execute(insert(Meta).values(key="second", value="2"))
            outcome["second"] = "committed"
        except BaseException as exc:
            outcome["second"] = exc

    one = threading.Thread(target=first, name="first")
    two = threading.Thread(target=second, name="second")
    try:
        one.start()
        assert first_holds.wait(WAIT)
        assert outcome.get("first") is None, outcome
        two.start()
        assert second_begins.wait(WAIT), f"second writer never began: {seen}"
        two.join(0.3)
        assert two.is_alive(), f"second writer did not wait for the lock: {outcome}"
    finally:
        release_first.set()
        one.join(WAIT)
        two.join(WAIT)
        event.remove(db.engine, "before_cursor_execute", listener)

    assert not one.is_alive() and not two.is_alive()
    assert outcome["first"] == "committed"
    assert outcome["second"] == "committed", outcome["second"]
    assert "first" in outcome["second saw"]
    assert {"first", "second"} <= set(meta_keys(db))
    assert ("second", "BEGIN IMMEDIATE") in seen


def test_reader_is_not_blocked_by_an_open_write_transaction(db: Database) -> None:
    holds = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with db.write() as session:
                session.execute(insert(Meta).values(key="pending", value="1"))
                session.flush()
                holds.set()
                release.wait(WAIT)
        except BaseException as exc:
            errors.append(exc)
            holds.set()

    thread = threading.Thread(target=writer, name="writer")
    thread.start()
    try:
        assert holds.wait(WAIT)
        # In WAL a reader sees the last committed state at once; it would otherwise wait the
        # whole busy timeout and fail.
        with db.read() as session:
            keys = sorted(session.scalars(select(Meta.key)))
        assert "pending" not in keys
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM meta")).scalar() == len(keys)
    finally:
        release.set()
        thread.join(WAIT)
    assert errors == []
    assert "pending" in meta_keys(db)


def test_a_write_that_fails_is_rolled_back(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as session:
        session.execute(insert(Meta).values(key="half", value="1"))
        session.flush()
        raise RuntimeError("validation failed after the first insert")
    assert "half" not in meta_keys(db)
