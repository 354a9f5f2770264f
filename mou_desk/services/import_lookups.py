"""What the names in a workbook refer to, and the proposed change each row read becomes.

Partners and officers are looked up by name (and by their name in their own script), MoUs by
reference; the MoU references are read only when a sheet names one (follow-ups). Rows that
add a partner or an MoU make it known at once, so that later rows of the same workbook may
name it.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from mou_desk.exchange.workbook_convert import Lookups, NameIndex
from mou_desk.exchange.workbook_import import MappedRow
from mou_desk.services.changesets import ProposedChange
from mou_desk.services.database import Database
from mou_desk.services.exports import choice_labels
from mou_desk.storage.base import new_id
from mou_desk.storage.models import Mou, Officer, Partner


def load_lookups(db: Database) -> tuple[Lookups, dict[str, dict[str, str]]]:
    """What workbook names refer to, and the names of ids for showing values."""
    lookups = Lookups(choices=choice_labels())
    deleted_partners = lookups.deleted_partners
    names: dict[str, dict[str, str]] = {"partner": {}, "officer": {}, "mou": {}}
    with db.read() as session:
        connection = session.connection()
        for kind, model, table in (
            ("partner", Partner, lookups.partners),
            ("officer", Officer, lookups.officers),
        ):
            query = select(model.id, model.name, model.name_local, model.deleted_at.is_(None))
            gone = deleted_partners if kind == "partner" else None
            for record_id, name, local, live in connection.execute(query).cursor.fetchall():
                names[kind][record_id] = name
                index = table if live else gone
                if index is None:
                    continue
                index.add(name, record_id)
                if local and local != name:
                    index.add(local, record_id)
        lookups.open_values = _open_values(connection)
    lookups.mous = NameIndex(lambda: _mou_refs(db, names))
    return lookups, names


def _open_values(connection: Connection) -> dict[str, list[str]]:
    """The sectors, districts and policies in use (as listing.distinct_values gives each), read
    in one pass over the MoUs instead of one per list."""
    columns = {"sectors": Mou.sector, "districts": Mou.district, "policies": Mou.policy}
    query = select(*columns.values()).where(Mou.deleted_at.is_(None)).group_by(*columns.values())
    found: list[set[str]] = [set() for _ in columns]
    for values in connection.execute(query).cursor.fetchall():
        for seen, value in zip(found, values, strict=True):
            if value:
                seen.add(str(value))
    return {name: sorted(seen) for name, seen in zip(columns, found, strict=True)}


def _mou_refs(db: Database, names: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(reference, id) of every live MoU; their names for showing values too."""
    with db.read() as session:
        query = select(Mou.ref, Mou.id).where(Mou.deleted_at.is_(None))
        pairs = [(str(ref), str(mou_id)) for ref, mou_id in session.execute(query)]
    names["mou"].update((mou_id, ref) for ref, mou_id in pairs)
    return pairs


def proposed(row: MappedRow, lookups: Lookups, names: dict[str, dict[str, str]]) -> ProposedChange:
    """The change a row read proposes; a row without an id is a new record, given one now."""
    record_id = row.record_id
    values = row.values
    if record_id is None:
        record_id = new_id()
        if row.record_type == "partner" and values.get("name"):
            name = str(values["name"])
            if name in lookups.partners:
                row.errors.setdefault(
                    "name",
                    (
                        f"A partner named '{name}' is already in MoU Desk; to change it, use its "
                        "row from the export (with its ID), or give the new partner another name."
                    ),
                )
            lookups.partners.add(name, record_id)
            local = str(values.get("name_local") or "")
            if local and local != name:
                lookups.partners.add(local, record_id)
            names["partner"][record_id] = name
        elif row.record_type == "mou" and values.get("ref"):
            lookups.mous.add(str(values["ref"]), record_id)
            names["mou"][record_id] = str(values["ref"])
        base = None
    else:
        base = row.version
    return ProposedChange(
        row.record_type,
        record_id,
        base,
        values,
        row.source,
        row.cells,
        row.errors,
        row.alternatives,
        row.reason,
        raw=row.raw,
        checks=row.checks,
    )
