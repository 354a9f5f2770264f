"""Creating the new records of a changeset, in the order what they point at needs.

Each record goes through services.records (change log, search document) and its service's
``prepare`` / ``after_create`` hooks, as a record made by hand does. New MoUs that came without
a reference are numbered first, all at once: MouService would look up the year's last
reference for each of them, a scan of every MoU per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mou_desk.services import records
from mou_desk.services.changesets import RowPlan
from mou_desk.services.desk import Desk
from mou_desk.services.mous import next_ref

Writes = Sequence[tuple[RowPlan, dict[str, Any]]]


def create_rows(
    session: Session,
    desk: Desk,
    actor: records.Actor,
    fresh: Writes,
    today: date,
    tick: Callable[[int], None],
) -> dict[str, int]:
    """Create the rows in order; returns how many records of each kind were created."""
    number_new_mous(session, fresh, today)
    created: dict[str, int] = {}
    for done, (row, values) in enumerate(fresh, start=1):
        tick(done)
        service = desk.service(row.record_type)
        data = dict(values)
        service.prepare(session, data, None)
        record = records.create(session, actor, row.record_type, data, record_id=row.record_id)
        service.after_create(session, record, data)
        created[row.record_type] = created.get(row.record_type, 0) + 1
    return created


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
