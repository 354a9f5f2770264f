"""What travels in a sync: the replica's changes (an outbox) and upstream's answer (a reply).

An online sync hands these to the other side in memory; a sync file (syncfile.py) writes the
same objects to disk. Records travel as snapshots in canonical text. Rows that are not
records — stage events, change-log entries, clerks' roles — travel as plain rows, and file
contents once per checksum.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Date, Enum, LargeBinary, Table, insert, select

from mou_desk.services.sync.snapshots import Values
from mou_desk.services.sync.tables import chunks
from mou_desk.storage.base import UTCDateTime

Row = dict[str, Any]


@dataclass(frozen=True)
class OutRecord:
    """A record changed on the replica since the last sync, with what it was based on."""

    record_type: str
    record_id: str
    values: Values
    #: the values when the copies last agreed; None: new since the last sync
    base: Values | None


@dataclass(frozen=True)
class Decision:
    """A clerk's choice on a kept conflict, valid while mine and theirs are still these."""

    record_id: str
    field: str
    choice: str  # "mine" (the replica's value) or "theirs" (upstream's)
    mine: str | None
    theirs: str | None


@dataclass
class Outbox:
    source_id: str  # the replica's database id
    target_id: str  # upstream's database id
    name: str  # how upstream's change log names the replica ("sync:<name>")
    clerk: str
    made_at: datetime
    filter_json: str
    records: list[OutRecord] = field(default_factory=list)
    #: record id -> upstream version the replica last saw (every record it holds)
    known: dict[str, int] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    stage_events: list[Row] = field(default_factory=list)
    change_log: list[Row] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)
    #: checksums of the files the replica holds already
    have_blobs: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class InRecord:
    """A record as upstream holds it after taking the replica's changes."""

    record_type: str
    record_id: str
    version: int
    values: Values


@dataclass
class Reply:
    source_id: str  # upstream's database id
    target_id: str  # the replica's
    made_at: datetime
    records: list[InRecord] = field(default_factory=list)
    #: the replica's values as upstream received them (the outbox), by record id
    sent: dict[str, Values] = field(default_factory=dict)
    stage_events: list[Row] = field(default_factory=list)
    change_log: list[Row] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)
    roles: list[Row] = field(default_factory=list)
    #: what upstream did with the outbox: created, updated, kept conflicts, left out
    pushed: dict[str, int] = field(default_factory=dict)
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------- rows


def read_rows(
    connection: Connection, table: Table, column: str, keys: Iterable[str], *extra: Any
) -> list[Row]:
    """Rows of ``table`` whose ``column`` is one of ``keys`` (and ``extra`` conditions)."""
    rows: list[Row] = []
    for part in chunks(sorted(set(keys))):
        query = select(table).where(table.c[column].in_(part), *extra)
        rows.extend(dict(r._mapping) for r in connection.execute(query))
    return rows


def existing(connection: Connection, table: Table, column: str, keys: Iterable[str]) -> set[Any]:
    found: set[Any] = set()
    for part in chunks(sorted(set(keys))):
        found.update(connection.scalars(select(table.c[column]).where(table.c[column].in_(part))))
    return found


def insert_missing(
    connection: Connection, table: Table, rows: list[Row], key: str = "id", **override: Any
) -> list[Row]:
    """Insert the rows whose ``key`` this database does not have yet; returns those."""
    have = existing(connection, table, key, (r[key] for r in rows))
    new = [{**r, **override} for r in rows if r[key] not in have]
    for part in chunks(new, 1_000):
        connection.execute(insert(table), part)
    return new


def row_to_json(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        if isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        out[name] = value
    return out


def row_from_json(table: Table, data: Mapping[str, Any]) -> Row:
    row: Row = {}
    for name, value in data.items():
        column = table.c.get(name)
        if column is None:
            continue  # a column a newer MoU Desk wrote: left out
        kind = column.type
        if value is not None:
            if isinstance(kind, UTCDateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(kind, Date):
                value = date.fromisoformat(value)
            elif isinstance(kind, Enum) and kind.enum_class is not None:
                value = kind.enum_class(value)
            elif isinstance(kind, LargeBinary):
                value = base64.b64decode(value)
        row[name] = value
    return row
