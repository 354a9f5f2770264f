"""Consistent one-step copies of a database, and restoring one.

SQLite is copied with ``VACUUM INTO`` (one read transaction: a consistent snapshot even while
another process writes). Other databases are copied table by table inside one
REPEATABLE READ transaction into a SQLite file of the same schema.

Encryption (mou_desk.storage.encryption): a copy of an encrypted file is encrypted with the same
passphrase unless told otherwise — an automatic backup never leaves the data readable beside
an encrypted replica. ``backup_database(engine, dest, passphrase="...")`` writes a copy
encrypted with that passphrase (of any database, PostgreSQL too); ``decrypt=True`` writes a
plain copy of an encrypted one. Encrypted files are copied with ``sqlcipher_export`` in one
transaction, plain ones into an encrypted copy table by table.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import DBAPIError

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.storage.bulk import rebuild_search_index
from mou_desk.storage.engine import (
    WRITE_OPTION,
    database_url,
    engine_passphrase,
    make_engine,
    sqlite_path,
)
from mou_desk.storage.location import check_is_sqlite, read_only_uri
from mou_desk.storage.models import Base

COPY_BATCH = 5_000


def backup_database(
    engine: Engine, destination: Path, passphrase: str | None = None, *, decrypt: bool = False
) -> Path:
    """Write a consistent copy of the database to ``destination`` (never half-written).

    ``passphrase``: encrypt the copy with it. None: the copy is encrypted as the database is
    (with its own passphrase), or plain when the database is plain or ``decrypt`` is set.
    """
    destination = destination.expanduser().resolve()
    partial = destination.with_name(destination.name + ".partial")
    source_key = engine_passphrase(engine)
    target_key = passphrase if passphrase is not None else (None if decrypt else source_key)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        if engine.dialect.name == "sqlite" and source_key is not None:
            _export_encrypted(engine, partial, target_key)
        elif target_key is not None:
            _copy_to_sqlite(engine, partial, target_key)
        elif engine.dialect.name == "sqlite":
            # VACUUM INTO cannot run inside a transaction; the raw connection is in autocommit.
            raw = engine.raw_connection()
            try:
                raw.driver_connection.execute("VACUUM INTO ?", (str(partial),))  # type: ignore[union-attr]
            finally:
                raw.close()
        else:
            _copy_to_sqlite(engine, partial)
        partial.replace(destination)
    except DatabaseProblem:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    except _write_errors() as exc:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or getattr(exc, "orig", None) or exc
        raise DatabaseProblem(
            f"The backup could not be written to {destination} ({reason}). Choose another folder."
        ) from exc
    return destination


def _export_encrypted(engine: Engine, partial: Path, passphrase: str | None) -> None:
    """Copy an encrypted SQLite database through its own (keyed) connection."""
    from mou_desk.storage.encryption import export

    raw = engine.raw_connection()
    try:
        export(raw.driver_connection, partial, passphrase)
    finally:
        raw.close()


def _copy_to_sqlite(source: Engine, target_file: Path, passphrase: str | None = None) -> None:
    from mou_desk.storage.lifecycle import upgrade

    target = make_engine(database_url(target_file), passphrase=passphrase)
    try:
        upgrade(target)
        copy_tables(source, target)
    finally:
        target.dispose()


def copy_tables(source: Engine, target: Engine) -> None:
    """Copy every row of every table from one database into another of the same schema.

    The target's rows are replaced: emptied children first, filled parents first, in one
    transaction. On PostgreSQL the counters of integer keys continue after the copied rows.
    """
    snapshot: Engine = source
    if source.dialect.name != "sqlite":
        snapshot = source.execution_options(isolation_level="REPEATABLE READ")
    tables = Base.metadata.sorted_tables
    with (
        snapshot.connect() as reader,
        target.execution_options(**{WRITE_OPTION: True}).begin() as writer,
    ):
        for table in reversed(tables):
            writer.execute(table.delete())
        for table in tables:
            result = reader.execution_options(yield_per=COPY_BATCH).execute(select(table))
            for rows in result.partitions():
                writer.execute(insert(table), [dict(row._mapping) for row in rows])
        if writer.dialect.name == "postgresql":
            _continue_sequences(writer)
        rebuild_search_index(writer)


def _continue_sequences(writer: Connection) -> None:
    for table in Base.metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        writer.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name, "column": column.name},
        )


def check_backup_file(path: Path, passphrase: str | None = None) -> str:
    """Check that a file is an intact MoU Desk backup; return its schema revision.

    ``passphrase``: the backup is encrypted with it.
    """
    from mou_desk.storage.lifecycle import known_revisions

    if not path.is_file():
        raise DatabaseProblem(f"{path} does not exist or is not a file.")
    if passphrase is None:
        check_is_sqlite(path)
    try:
        with closing(_read_only(path, passphrase)) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise DatabaseProblem(
                    f"{path} is damaged ({verdict}). Choose an older backup; nothing was changed."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except _database_errors() as exc:
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


def restore_database(
    backup: Path, engine: Engine, keep_folder: Path | None = None, passphrase: str | None = None
) -> Path | None:
    """Replace the database's contents with a backup's, after checking the backup.

    For SQLite the replaced contents are first kept as a copy beside the database (returned).
    ``passphrase``: the backup's, when it is encrypted; by default the database's own (its
    backups are encrypted with it). A backup made by an older MoU Desk is upgraded on the way;
    the backup file itself is only read.
    """
    from mou_desk.storage.encryption import is_encrypted
    from mou_desk.storage.lifecycle import head_revision, upgrade

    backup = backup.expanduser().resolve()
    key = None
    if is_encrypted(backup):
        key = passphrase if passphrase is not None else engine_passphrase(engine)
    revision = check_backup_file(backup, key)
    kept: Path | None = None
    current = sqlite_path(str(engine.url))
    if current is not None and current.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = keep_folder or current.parent
        kept = backup_database(engine, folder / f"{current.stem}.replaced-{stamp}.sqlite3")
    plain = key is None and engine_passphrase(engine) is None
    if engine.dialect.name == "sqlite" and current is not None and plain:
        _sqlite_restore(backup, engine)
    else:
        with tempfile.TemporaryDirectory(prefix="mou-desk-restore-") as folder_name:
            copy = Path(folder_name) / backup.name
            shutil.copyfile(backup, copy)
            source = make_engine(database_url(copy), passphrase=key)
            try:
                if revision != head_revision():
                    upgrade(source)
                upgrade(engine)
                copy_tables(source, engine)
            finally:
                source.dispose()
    upgrade(engine)
    return kept


def _read_only(path: Path, passphrase: str | None) -> Any:
    if passphrase is None:
        return sqlite3.connect(read_only_uri(path), uri=True)
    from mou_desk.storage.encryption import connect

    return connect(path, passphrase, read_only=True)


def _write_errors() -> tuple[type[Exception], ...]:
    return (OSError, *_database_errors())


def _database_errors() -> tuple[type[Exception], ...]:
    from mou_desk.storage.encryption import driver_errors

    return (sqlite3.DatabaseError, DBAPIError, *driver_errors())


def _sqlite_restore(backup: Path, engine: Engine) -> None:
    """Copy the backup's pages into the live file in one transaction (other readers stay safe)."""
    engine.dispose()
    with closing(sqlite3.connect(read_only_uri(backup), uri=True)) as src:
        raw = engine.raw_connection()
        try:
            target = raw.driver_connection
            assert isinstance(target, sqlite3.Connection)
            src.backup(target)
        finally:
            raw.close()
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
