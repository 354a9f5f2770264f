"""Records in canonical text, read in bulk, and the base of a record recovered from the change log.

A snapshot holds every field of a record as services.fields encodes it (the form the change
log keeps), link lists included, plus the pseudo-field ``deleted`` ("1"/"0"). Two copies hold
the same record exactly when their snapshots are equal.

The base of a record is this copy's snapshot at the sync base's local version: the change log
of this copy gives the old value of every field changed since (each change is logged with the
version it made), so the base need not be stored for every record of a 100,000-MoU replica.
Entries copied from another database carry version 0 and never count here. Should a version
between the base and now have no entry (a change written around the services), the base is
unknown and every difference becomes a conflict rather than a silent overwrite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select

from mou_desk.services.changeset_sync import DELETED, value_of
from mou_desk.services.fields import column_fields, encode, link_fields, model_of
from mou_desk.services.sync.state import BaseRow
from mou_desk.services.sync.tables import chunks, table_of
from mou_desk.storage.models import RECORD_TYPES, ChangeLogEntry

Values = dict[str, str | None]


@dataclass(frozen=True)
class Snapshot:
    record_type: str
    record_id: str
    version: int
    values: Values

    @property
    def deleted(self) -> bool:
        return self.values.get(DELETED) == "1"

    def decoded(self) -> dict[str, object]:
        """The values as the record's columns hold them (what a ProposedChange carries)."""
        return decoded(self.record_type, self.values)

    @property
    def label(self) -> str:
        """How a clerk knows the record: an MoU by reference and title, others by name."""
        if self.record_type == "mou" and self.values.get("ref"):
            return f"{self.values['ref']} — {self.values.get('title') or ''}".rstrip(" —")
        for key in ("ref", "name", "title", "file_name"):
            if self.values.get(key):
                return str(self.values[key])
        return self.record_id


def decoded(record_type: str, values: Mapping[str, str | None]) -> dict[str, object]:
    return {name: value_of(record_type, name, text) for name, text in values.items()}


def record_types() -> list[str]:
    return list(RECORD_TYPES)


def read_versions(
    connection: Connection, record_type: str, ids: Iterable[str] | None = None
) -> dict[str, int]:
    """id -> version of the records of one kind (all of them, or those of ``ids``)."""
    table = table_of(model_of(record_type))
    query = select(table.c.id, table.c.version)
    if ids is None:
        return dict(connection.execute(query).all())
    found: dict[str, int] = {}
    for part in chunks(ids):
        found.update(connection.execute(query.where(table.c.id.in_(part))).all())
    return found


def read_snapshots(
    connection: Connection, record_type: str, ids: Iterable[str]
) -> dict[str, Snapshot]:
    """Snapshots of the records of one kind with these ids (those that exist)."""
    table = table_of(model_of(record_type))
    names = column_fields(record_type)
    columns = [table.c[n] for n in names]
    links = link_fields(record_type)
    found: dict[str, Snapshot] = {}
    for part in chunks(ids):
        linked: dict[str, dict[str, list[str]]] = {}
        for link in links:
            owner, other = link.table.c[link.owner_column], link.table.c[link.other_column]
            lists: dict[str, list[str]] = defaultdict(list)
            for key, value in connection.execute(select(owner, other).where(owner.in_(part))):
                lists[key].append(value)
            linked[link.name] = lists
        query = select(table.c.id, table.c.version, table.c.deleted_at, *columns).where(
            table.c.id.in_(part)
        )
        for row in connection.execute(query):
            values: Values = {
                name: encode(value) for name, value in zip(names, row[3:], strict=True)
            }
            for name, lists in linked.items():
                values[name] = encode(lists.get(row[0], []))
            values[DELETED] = "1" if row[2] is not None else "0"
            found[row[0]] = Snapshot(record_type, row[0], row[1], values)
    return found


def read_all_snapshots(
    connection: Connection, wanted: Mapping[str, Iterable[str]]
) -> dict[str, Snapshot]:
    """Snapshots of every record named in ``wanted`` (record type -> ids), by id."""
    found: dict[str, Snapshot] = {}
    for record_type, ids in wanted.items():
        found.update(read_snapshots(connection, record_type, ids))
    return found


def read_bases_of(
    connection: Connection, snapshots: Mapping[str, Snapshot], bases: Mapping[str, BaseRow]
) -> dict[str, Values]:
    """The base values of each record that has a sync base (and a snapshot here).

    An empty mapping stands for "no common base" (see the module docstring).
    """
    wanted = {rid: bases[rid] for rid in snapshots if rid in bases}
    result: dict[str, Values] = {rid: dict(snapshots[rid].values) for rid in wanted}
    moved = [rid for rid, row in wanted.items() if snapshots[rid].version != row.local_version]
    seen: dict[str, set[int]] = defaultdict(set)
    log = table_of(ChangeLogEntry)
    for part in chunks(moved):
        query = (
            select(log.c.record_id, log.c.version, log.c.action, log.c.field, log.c.old_value)
            .where(log.c.record_id.in_(part), log.c.version > 0)
            .order_by(log.c.version.desc())
        )
        for record_id, version, action, name, old in connection.execute(query):
            if version <= wanted[record_id].local_version:
                continue
            seen[record_id].add(version)
            values = result[record_id]
            if name:
                if name in values:
                    values[name] = old  # newest first: the oldest change after the base wins
            elif action == "delete":
                values[DELETED] = "0"
            elif action == "restore":
                values[DELETED] = "1"
    for record_id in moved:
        expected = set(range(wanted[record_id].local_version + 1, snapshots[record_id].version + 1))
        if not expected <= seen[record_id]:
            result[record_id] = {}
    for record_id, row in wanted.items():
        if result[record_id] and row.overrides:
            result[record_id].update(row.overrides)
    return result
