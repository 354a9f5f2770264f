"""Consistent one-step copies of a database, and restoring one.

SQLite is copied with ``VACUUM INTO`` (one read transaction: a consistent snapshot even while
another process writes). Other databases are copied table by table inside one
REPEATABLE READ transaction into a SQLite file of the same schema.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, insert, select, text

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.storage.bulk import rebuild_search_index
from mou_desk.storage.engine import WRITE_OPTION, database_url, make_engine, sqlite_path
from mou_desk.storage.location import check_is_sqlite
from mou_desk.storage.models import Base

COPY_BATCH = 5_000


def backup_database(engine: Engine, destination: Path) -> Path:
    """Write a consistent copy of the database to ``destination`` (never half-written)."""
    destination = destination.expanduser().resolve()
    partial = destination.with_name(destination.name + ".partial")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        if engine.dialect.name == "sqlite":
            # VACUUM INTO cannot run inside a transaction; the raw connection is in autocommit.
            raw = engine.raw_connection()
            try:
                raw.driver_connection.execute("VACUUM INTO ?", (str(partial),))  # type: ignore[union-attr]
            finally:
                raw.close()
        else:
            _copy_to_sqlite(engine, partial)
        partial.replace(destination)
    except (OSError, sqlite3.Error) as exc:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or exc
        raise DatabaseProblem(
            f"The backup could not be written to {destination} ({reason}). Choose another folder."
        ) from exc
    return destination


def _copy_to_sqlite(source: Engine, target_file: Path) -> None:
    from mou_desk.storage.lifecycle import upgrade

    target = make_engine(database_url(target_file))
    try:
        upgrade(target)
        copy_tables(source, target)
    finally:
        target.dispose()


def copy_tables(source: Engine, target: Engine) -> None:
    """Copy every row of every table from one database into an empty one of the same schema."""
    snapshot: Engine = source
    if source.dialect.name != "sqlite":
        snapshot = source.execution_options(isolation_level="REPEATABLE READ")
    with (
        snapshot.connect() as reader,
        target.execution_options(**{WRITE_OPTION: True}).begin() as writer,
    ):
        for table in Base.metadata.sorted_tables:
            writer.execute(table.delete())
            result = reader.execution_options(yield_per=COPY_BATCH).execute(select(table))
            for rows in result.partitions():
                writer.execute(insert(table), [dict(row._mapping) for row in rows])
        rebuild_search_index(writer)


def check_backup_file(path: Path) -> str:
    """Check that a file is an intact MoU Desk backup; return its schema revision."""
    from mou_desk.storage.lifecycle import known_revisions

    if not path.is_file():
        raise DatabaseProblem(f"{path} does not exist or is not a file.")
    check_is_sqlite(path)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise DatabaseProblem(
                    f"{path} is damaged ({verdict}). Choose an older backup; nothing was changed."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(
            f"{path} is not a usable MoU Desk backup ({exc}). Nothing was changed."
        ) from exc
    if row is None:
        raise DatabaseProblem(f"{path} is not a MoU Desk backup. Nothing was changed.")
    revision = str(row[0])
    if revision not in known_revisions():
        raise DatabaseProblem(
            f"{path} was made by a newer version of MoU Desk. Install it to restore this backup."
        )
    return revision


def restore_database(backup: Path, engine: Engine, keep_folder: Path | None = None) -> Path | None:
    """Replace the database's contents with a backup's, after checking the backup.

    For SQLite the replaced contents are first kept as a copy beside the database (returned).
    """
    from mou_desk.storage.lifecycle import upgrade

    backup = backup.expanduser().resolve()
    check_backup_file(backup)
    kept: Path | None = None
    current = sqlite_path(str(engine.url))
    if current is not None and current.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = keep_folder or current.parent
        kept = backup_database(engine, folder / f"{current.stem}.replaced-{stamp}.sqlite3")
    source = make_engine(database_url(backup))
    try:
        if engine.dialect.name == "sqlite" and current is not None:
            _sqlite_restore(backup, engine)
        else:
            upgrade(engine)
            copy_tables(source, engine)
    finally:
        source.dispose()
    upgrade(engine)
    return kept


def _sqlite_restore(backup: Path, engine: Engine) -> None:
    """Copy the backup's pages into the live file in one transaction (other readers stay safe)."""
    engine.dispose()
    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as src:
        raw = engine.raw_connection()
        try:
            target = raw.driver_connection
            assert isinstance(target, sqlite3.Connection)
            src.backup(target)
        finally:
            raw.close()
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
