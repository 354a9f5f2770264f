"""What a replica keeps about its upstream, read and written in the caller's transaction.

The database id (meta ``database_id``), the peer row, and the sync base of each record: the
local and remote versions when the two copies last agreed, and the fields whose base differs
from this copy's values at that local version (JSON, see storage.models.sync.SyncBase).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.engine import make_url

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.services.sync.scope import ScopeFilter
from mou_desk.services.sync.tables import chunks, table_of
from mou_desk.storage.models import Meta, SyncBase, SyncPeer
from mou_desk.storage.models.sync import DATABASE_ID_KEY


def database_id(connection: Connection) -> str:
    """This database's own id (written by migration 0004)."""
    value = connection.scalar(select(Meta.value).where(Meta.key == DATABASE_ID_KEY))
    if not value:
        raise DatabaseProblem(
            "This database has no id; open it once with this MoU Desk so that it is upgraded."
        )
    return str(value)


def set_database_id(connection: Connection, value: str) -> None:
    connection.execute(delete(Meta).where(Meta.key == DATABASE_ID_KEY))
    connection.execute(insert(Meta).values(key=DATABASE_ID_KEY, value=value))


def safe_url(url: str) -> str:
    """A database address without its password, fit to keep and to show."""
    if "://" not in url:
        return url
    return make_url(url).set(password=None).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Peer:
    id: str
    url: str
    database_id: str
    filter: ScopeFilter
    created_at: datetime
    last_synced_at: datetime | None
    last_exported_at: datetime | None


def read_peer(connection: Connection) -> Peer | None:
    row = connection.execute(select(SyncPeer).order_by(SyncPeer.created_at).limit(1)).first()
    if row is None:
        return None
    peer = row._mapping
    return Peer(
        id=peer["id"],
        url=peer["url"],
        database_id=peer["database_id"],
        filter=ScopeFilter.from_json(peer["filter"]),
        created_at=peer["created_at"],
        last_synced_at=peer["last_synced_at"],
        last_exported_at=peer["last_exported_at"],
    )


def write_peer(
    connection: Connection, url: str, remote_id: str, flt: ScopeFilter, synced_at: datetime
) -> None:
    connection.execute(delete(SyncPeer))
    connection.execute(
        insert(SyncPeer).values(
            url=safe_url(url),
            database_id=remote_id,
            filter=flt.to_json(),
            created_at=synced_at,
            last_synced_at=synced_at,
        )
    )


def mark_peer(connection: Connection, **values: Any) -> None:
    connection.execute(update(SyncPeer).values(**values))


@dataclass(frozen=True)
class BaseRow:
    record_type: str
    local_version: int
    remote_version: int
    #: fields whose base differs from this copy's values at local_version
    overrides: Mapping[str, str | None] = field(default_factory=dict)


def read_bases(connection: Connection, ids: Iterable[str] | None = None) -> dict[str, BaseRow]:
    table = table_of(SyncBase)
    columns = (
        table.c.record_id,
        table.c.record_type,
        table.c.local_version,
        table.c.remote_version,
        table.c.base_values,
    )
    found: dict[str, BaseRow] = {}
    queries = (
        [select(*columns)]
        if ids is None
        else [select(*columns).where(table.c.record_id.in_(part)) for part in chunks(ids)]
    )
    for query in queries:
        for record_id, record_type, local, remote, values in connection.execute(query).all():
            overrides = json.loads(values) if values else {}
            found[record_id] = BaseRow(record_type, local, remote, overrides)
    return found


def write_bases(connection: Connection, rows: Mapping[str, BaseRow]) -> None:
    """Replace the sync base of these records."""
    table = table_of(SyncBase)
    ids = list(rows)
    for part in chunks(ids):
        connection.execute(delete(table).where(table.c.record_id.in_(part)))
    payload = [
        {
            "record_id": record_id,
            "record_type": row.record_type,
            "local_version": row.local_version,
            "remote_version": row.remote_version,
            "base_values": json.dumps(dict(row.overrides), sort_keys=True)
            if row.overrides
            else None,
        }
        for record_id, row in rows.items()
    ]
    for batch in chunks(payload, 2_000):
        connection.execute(insert(table), batch)


def seed_bases(connection: Connection, tables: Sequence[tuple[str, str]]) -> None:
    """A fresh replica: every record's base is itself, at the version it was copied with."""
    for record_type, table_name in tables:
        connection.exec_driver_sql(
            "INSERT INTO sync_base (record_id, record_type, local_version, remote_version, "
            f"base_values) SELECT id, '{record_type}', version, version, NULL FROM {table_name}"
        )
