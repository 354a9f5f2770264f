"""Creating the new records of a changeset, together, as a record made by hand is created.

New MoUs that came without a reference are numbered first, all at once: MouService would
look up the year's last reference for each of them, a scan of every MoU per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from mou_desk.domain.errors import ValidationError
from mou_desk.services import records
from mou_desk.services.changeset_search import refresh_documents
from mou_desk.services.changesets import RowPlan
from mou_desk.services.desk import Desk
from mou_desk.services.fields import all_fields, coerce, column_fields, link_fields, model_of
from mou_desk.services.mous import next_ref
from mou_desk.storage.base import Record, new_id, utcnow
from mou_desk.storage.models import ChangeLogEntry

Writes = Sequence[tuple[RowPlan, dict[str, Any]]]


def create_rows(
    session: Session,
    desk: Desk,
    actor: records.Actor,
    fresh: Writes,
    today: date,
    tick: Callable[[int], None],
) -> dict[str, int]:
    """Create the rows; returns how many records of each kind were created.

    Each record is written as services.records.create writes it (its row, its links, a
    "create" entry and one per field in the change log, its search document) and its
    service's hooks run as for a record made by hand; but the rows go to the database
    together, a few statements per kind, instead of a flush and a document rebuild per row.
    """
    number_new_mous(session, fresh, today)
    made: list[tuple[RowPlan, Record, dict[str, Any]]] = []
    for done, (row, values) in enumerate(fresh, start=1):
        tick(done)
        record_type = row.record_type
        if made and made[-1][0].record_type != record_type:
            session.flush()  # what this kind points at is in the database first
        service = desk.service(record_type)
        data = dict(values)
        service.prepare(session, data, None)
        unknown = set(data) - set(all_fields(record_type))
        if unknown:
            raise ValidationError({f: "is not a field of this record" for f in sorted(unknown)})
        stored = column_fields(record_type)
        columns = {k: coerce(record_type, k, v) for k, v in data.items() if k in stored}
        record = model_of(record_type)(
            id=row.record_id or new_id(), updated_by=actor.clerk, **columns
        )
        session.add(record)
        made.append((row, record, data))
    if not made:
        return {}
    session.flush()
    _write_links(session, made)
    now = utcnow()
    log: list[dict[str, Any]] = []
    created: dict[str, int] = {}
    for row, record, _ in made:
        entry = {"record_type": row.record_type, "record_id": record.id, "version": record.version,
                 "actor": actor.clerk, "at": now, "origin": actor.origin,
                 "batch_id": actor.batch_id, "action": "create"}  # fmt: skip
        log.append({**entry, "id": new_id(), "field": "", "old_value": None, "new_value": None})
        log.extend(
            {**entry, "id": new_id(), "field": name, "old_value": None, "new_value": value}
            for name, value in records.snapshot(session, record).items()
            if value not in (None, "")
        )
        created[row.record_type] = created.get(row.record_type, 0) + 1
    session.execute(insert(ChangeLogEntry), log)
    for row, record, data in made:
        desk.service(row.record_type).after_create(session, record, data)
    refresh_documents(session, [(row.record_type, record.id) for row, record, _ in made])
    return created


def _write_links(session: Session, made: Sequence[tuple[RowPlan, Record, dict[str, Any]]]) -> None:
    """The link lists of the new records (an MoU's other partners), one statement per list."""
    rows: dict[Any, list[dict[str, str]]] = defaultdict(list)
    for row, record, data in made:
        for link in link_fields(row.record_type):
            if link.name in data:
                rows[link].extend(
                    {link.owner_column: record.id, link.other_column: other}
                    for other in sorted(set(data[link.name]))
                )
    for link, values in rows.items():
        if values:
            session.execute(insert(link.table), values)


def number_new_mous(session: Session, fresh: Writes, today: date) -> None:
    """Give new MoUs without a reference the ones MouService would give them one by one.

    The first is the year's next reference; each further one follows the last given, or a
    later reference typed on a row created before it, as a look-up after each row would find.
    """
    mous = [values for row, values in fresh if row.record_type == "mou"]
    if all(values.get("ref") for values in mous):
        return
    prefix, _, digits = next_ref(session, today.year).rpartition("-")
    width, last = len(digits), int(digits) - 1
    for values in mous:
        ref = str(values.get("ref") or "")
        head, _, tail = ref.rpartition("-")
        if not ref:
            last += 1
            values["ref"] = f"{prefix}-{last:0{width}d}"
        elif head == prefix and tail.isdigit() and len(tail) == width:
            last = max(last, int(tail))
