"""Making a replica: a local SQLite copy of the shared database, whole or a part, for the road.

The rows are copied table by table from one consistent read of upstream (REPEATABLE READ on
a server) in bulk — executemany of whole batches, as a backup is made — never record by record
through the services: a 100,000-MoU replica is a copy, not 100,000 saves. The copy goes to
``FILE.partial`` and is renamed into place only when complete, so an interrupted copy never
leaves a half replica behind.

The replica then records its upstream (sync_peers) and a sync base for every record: the
versions are those copied, and the base values are the replica's own rows as they are (the
base is recovered from the replica's change log later, see snapshots.py), so no per-record
base needs writing at all. The replica gets its own database id; upstream's is kept as the
peer's, and a sync with any other database is refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, Table, select

from mou_desk.domain.errors import UsageError
from mou_desk.services.database import Database
from mou_desk.services.sync.accept import snapshot
from mou_desk.services.sync.scope import ScopeFilter, resolve_filter, scope_ids
from mou_desk.services.sync.state import database_id, seed_bases, write_peer
from mou_desk.services.sync.tables import chunks, table_of
from mou_desk.storage import bulk, encryption
from mou_desk.storage.base import utcnow
from mou_desk.storage.engine import WRITE_OPTION
from mou_desk.storage.lifecycle import open_database
from mou_desk.storage.models import RECORD_TYPES, Base
from mou_desk.storage.models.sync import DATABASE_ID_KEY

Progress = Callable[[int, int, str], None]
BATCH = 5_000
#: never copied: this database's own facts and sync state, and what is rebuilt here
SKIPPED = {"sync_peers", "sync_base", "sync_conflicts", "alembic_version"}
#: owner table of each link table, and its owner column
LINKS = {
    "mou_partners": ("mou", "mou_id"),
    "engagement_partners": ("engagement", "engagement_id"),
    "engagement_contacts": ("engagement", "engagement_id"),
    "engagement_officers": ("engagement", "engagement_id"),
    "engagement_mous": ("engagement", "engagement_id"),
}


@dataclass(frozen=True)
class ReplicaMade:
    path: Path
    records: dict[str, int]
    filter: ScopeFilter
    seconds: float

    @property
    def mous(self) -> int:
        return self.records.get("mou", 0)


def create_replica(
    source: Database,
    source_url: str,
    destination: Path,
    *,
    trip: str | None = None,
    sector: str | None = None,
    passphrase: str | None = None,
    on_progress: Progress | None = None,
) -> ReplicaMade:
    """Copy ``source`` (whole, or the MoUs of a trip and/or a sector) to a new replica file."""
    started = time.perf_counter()
    destination = destination.expanduser().resolve()
    if destination.exists():
        raise UsageError(
            f"{destination} already exists; choose a new file name for the replica (or delete "
            "the old one first)."
        )
    partial = destination.with_name(destination.name + ".partial")
    with source.read() as session:
        flt = resolve_filter(session.connection(), trip, sector)
    try:
        for leftover in _files_of(partial):
            leftover.unlink(missing_ok=True)
        opened = open_database(partial, passphrase=passphrase)
    except OSError as exc:
        raise UsageError(
            f"The replica cannot be made in {destination.parent} ({exc.strerror}); choose "
            "another folder."
        ) from exc
    try:
        counts = _copy(source, opened.engine, flt, source_url, on_progress)
        _checkpoint(opened.engine)
    except BaseException:
        opened.engine.dispose()
        for leftover in _files_of(partial):
            with suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise
    opened.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.replace(destination)
    return ReplicaMade(destination, counts, flt, time.perf_counter() - started)


def encryption_available() -> bool:
    """Whether a replica can be encrypted with a passphrase here (the sqlcipher3 package)."""
    return encryption.available()


def _files_of(path: Path) -> list[Path]:
    return [path, Path(str(path) + "-wal"), Path(str(path) + "-shm")]


def _checkpoint(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _copy(
    source: Database,
    target: Engine,
    flt: ScopeFilter,
    source_url: str,
    on_progress: Progress | None,
) -> dict[str, int]:
    tables = [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]
    meta = Base.metadata.tables["meta"]
    counts: dict[str, int] = {}
    with (
        snapshot(source) as reader,
        target.execution_options(**{WRITE_OPTION: True}).begin() as writer,
    ):
        remote_id = database_id(reader)
        scope = scope_ids(reader, flt)
        # the full-text index is built once at the end, not row by row (see storage.bulk)
        writer.execute(meta.insert().values(key=bulk.BULK_MARKER, value="1"))
        for done, table in enumerate(tables):
            if on_progress is not None:
                on_progress(done, len(tables), f"Copying {table.name.replace('_', ' ')}…")
            copied = _copy_table(reader, writer, table, scope)
            record_type = next(
                (t for t, m in RECORD_TYPES.items() if m.__tablename__ == table.name), None
            )
            if record_type is not None:
                counts[record_type] = copied
        writer.execute(meta.delete().where(meta.c.key == bulk.BULK_MARKER))
        seed_bases(writer, [(t, m.__tablename__) for t, m in RECORD_TYPES.items()])
        write_peer(writer, source_url, remote_id, flt, utcnow())
        bulk.rebuild_search_index(writer)
    if on_progress is not None:
        on_progress(len(tables), len(tables), "Replica made.")
    return counts


def _copy_table(
    reader: Connection, writer: Connection, table: Table, scope: dict[str, set[str]] | None
) -> int:
    name = table.name
    if name == "meta":  # the replica keeps its own id
        skipped = (DATABASE_ID_KEY, bulk.BULK_MARKER)
        return _stream(reader, writer, table, [select(table).where(table.c.key.not_in(skipped))])
    if scope is None:
        return _stream(reader, writer, table, [select(table)])
    keys, column = _keys(name, table, scope, reader)
    if keys is None:
        return _stream(reader, writer, table, [select(table)])
    queries = [select(table).where(table.c[column].in_(part)) for part in chunks(sorted(keys))]
    return _stream(reader, writer, table, queries)


def _keys(
    name: str, table: Table, scope: dict[str, set[str]], reader: Connection
) -> tuple[set[str] | None, str]:
    """Which rows of a table a partial replica holds: (keys, column); None: every row."""
    by_table = {m.__tablename__: t for t, m in RECORD_TYPES.items()}
    if name in by_table:
        return scope[by_table[name]], "id"
    if name in LINKS:
        owner, column = LINKS[name]
        return scope[owner], column
    if name == "stage_events":
        return scope["mou"], "mou_id"
    if name == "change_log":
        return {rid for ids in scope.values() for rid in ids}, "record_id"
    if name == "search_docs":
        return {rid for ids in scope.values() for rid in ids}, "record_id"
    if name == "attachment_blobs":
        attachments = table_of(RECORD_TYPES["attachment"])
        shas: set[str] = set()
        for part in chunks(sorted(scope["attachment"])):
            shas.update(
                reader.scalars(select(attachments.c.sha256).where(attachments.c.id.in_(part)))
            )
        return shas, "sha256"
    return None, ""


def _stream(
    reader: Connection, writer: Connection, table: Table, queries: list[Select[Any]]
) -> int:
    count = 0
    for query in queries:
        result = reader.execution_options(yield_per=BATCH).execute(query)
        for rows in result.partitions():
            count += bulk.insert_rows(writer, table.name, (dict(r._mapping) for r in rows))
    return count
