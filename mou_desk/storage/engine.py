"""The engine factory: SQLite with WAL and foreign keys, or any SQLAlchemy URL (PostgreSQL).

A SQLite file may be encrypted (``make_engine(url, passphrase=...)``): the engine then uses
SQLAlchemy's ``sqlite+pysqlcipher`` dialect, which sets ``PRAGMA key`` first on every new
connection, before the pragmas below (see mou_desk.storage.encryption).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from mou_desk.domain.errors import DatabaseProblem

BUSY_TIMEOUT_MS = 15_000
#: execution option that makes a SQLite transaction take the write lock at BEGIN
WRITE_OPTION = "mou_desk_write"
ENCRYPTED_DRIVER = "sqlite+pysqlcipher"


def database_url(path_or_url: str | Path) -> str:
    """Turn what a clerk passes to --db (a file path or a URL) into a SQLAlchemy URL."""
    text = str(path_or_url)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve()).replace("\\", "/")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def engine_passphrase(engine: Engine) -> str | None:
    """The passphrase an engine opens its encrypted SQLite file with (None: not encrypted)."""
    if engine.url.drivername != ENCRYPTED_DRIVER:
        return None
    return engine.url.password or None


def make_engine(url: str, *, passphrase: str | None = None, **kwargs: Any) -> Engine:
    """Create the engine for a URL; SQLite gets WAL, foreign keys and IMMEDIATE writes.

    With a passphrase the SQLite file is opened (or created) encrypted with SQLCipher.
    """
    if not is_sqlite(url):
        if passphrase is not None:
            raise DatabaseProblem(
                "Only a database file on this computer (SQLite) can be encrypted with a "
                f"passphrase; {make_url(url).render_as_string()} is a server database."
            )
        return create_engine(url, pool_pre_ping=True, **kwargs)

    target: str | URL = url
    if passphrase is not None:
        from mou_desk.storage.encryption import check_passphrase, sqlcipher

        sqlcipher()
        target = make_url(url).set(
            drivername=ENCRYPTED_DRIVER, password=check_passphrase(passphrase)
        )
        # The dialect's default pool keeps one connection per thread; files want a real pool.
        kwargs.setdefault("poolclass", QueuePool)
    engine = create_engine(target, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's own BEGIN is deferred and late).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if sqlite_path(url) is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the lock up front and waits for it (busy timeout) instead of failing
        # half-way with "database is locked" when it first writes.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
