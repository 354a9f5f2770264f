"""Set-based writes for the plain updates of a changeset (most of a workbook import).

A plain update changes ordinary fields of a record whose version is the one planned: no link
lists, no stage or status (those need their stage events, see changeset_apply). Such rows are
written with one UPDATE ... WHERE id = ? AND version = ? per set of changed fields (executemany)
and one INSERT of all their change-log entries, carrying the batch id; a row whose version
moved meanwhile makes the whole apply fail. Derived values come from the services' own
``prepare`` (₹ from amount × rate), and the search documents of records whose searchable
text changed are rebuilt as a hand-made save would (MoUs' in bulk, changeset_search).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from mou_desk.domain.errors import ConflictError
from mou_desk.services import records
from mou_desk.services.changeset_search import refresh_documents
from mou_desk.services.changesets import CHANGED, CONFLICT, RowPlan
from mou_desk.services.desk import Desk
from mou_desk.services.fields import coerce, column_fields, encode, link_fields, model_of
from mou_desk.services.mous import PIPELINE_FIELDS
from mou_desk.storage.base import Record, new_id, utcnow
from mou_desk.storage.models import ChangeLogEntry

#: fields whose change leaves every search document as it was
UNSEARCHED: Mapping[str, frozenset[str]] = {
    "mou": frozenset({
        "amount", "currency", "rate_to_inr", "rate_date", "proposed_inr", "proposed_jobs",
        "realised_inr", "realised_jobs", "region", "nodal_officer_id", "priority", "doc_type",
        "signed_on_ours", "signed_on_partner", "valid_until", "next_action_due",
        "last_activity_on",
    }),
    "followup": frozenset(column_fields("followup")),
    "partner": frozenset({"website"}),
    "contact": frozenset({"phone", "notes"}),
}  # fmt: skip


def plain_update(row: RowPlan, values: Mapping[str, Any]) -> bool:
    if row.kind not in (CHANGED, CONFLICT) or row.current is None or not row.record_id:
        return False
    links = {lk.name for lk in link_fields(row.record_type)}
    return not (links & set(values)) and not (
        row.record_type == "mou" and PIPELINE_FIELDS & set(values)
    )


def update_rows(
    session: Session,
    desk: Desk,
    actor: records.Actor,
    rows: Sequence[tuple[RowPlan, Mapping[str, Any]]],
) -> dict[str, int]:
    """Write the rows; returns how many records of each kind were updated."""
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[RowPlan, dict[str, Any]]]] = defaultdict(
        list
    )
    for row, values in rows:
        changed = _changes(session, desk, row, values)
        if changed:
            groups[(row.record_type, tuple(sorted(changed)))].append((row, changed))
    now = utcnow()
    log: list[dict[str, Any]] = []
    counts: dict[str, int] = defaultdict(int)
    refresh: list[tuple[str, str]] = []
    for (record_type, names), members in groups.items():
        table: Any = model_of(record_type).__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
            .values(
                {
                    **{name: bindparam(f"v_{name}") for name in names},
                    "version": table.c.version + 1,
                    "updated_at": bindparam("_at"),
                    "updated_by": bindparam("_by"),
                }
            )
        )
        parameters = [
            {
                **{f"v_{k}": v for k, v in changed.items()},
                **{"_id": row.record_id, "_version": row.current_version},
                **{"_at": now, "_by": actor.clerk},
            }
            for row, changed in members
        ]  # fmt: skip
        done = session.connection().execute(statement, parameters)
        if done.rowcount != len(members):
            first = members[0][0]
            raise ConflictError(record_type, first.record_id or "", "A record", [], -1)
        counts[record_type] += len(members)
        quiet = UNSEARCHED.get(record_type, frozenset())
        for row, changed in members:
            version = (row.current_version or 0) + 1
            current = row.current or {}
            log.extend(
                {"id": new_id(), "record_type": record_type, "record_id": row.record_id,
                 "version": version, "action": "update", "field": name,
                 "old_value": encode(current.get(name)), "new_value": encode(value),
                 "actor": actor.clerk, "at": now, "origin": actor.origin,
                 "batch_id": actor.batch_id}
                for name, value in changed.items()
            )  # fmt: skip
            if set(changed) - quiet:
                refresh.append((record_type, row.record_id or ""))
    if log:
        session.execute(insert(ChangeLogEntry), log)
    if refresh:
        session.expire_all()
        refresh_documents(session, refresh)
    return counts


def _changes(
    session: Session, desk: Desk, row: RowPlan, values: Mapping[str, Any]
) -> dict[str, Any]:
    """The fields to write, with what the service derives from them, as column values."""
    current = dict(row.current or {})
    data = dict(values)
    service = desk.service(row.record_type)
    service.prepare(session, data, cast(Record, SimpleNamespace(**current)))
    out: dict[str, Any] = {}
    for name, value in data.items():
        typed = coerce(row.record_type, name, value)
        if encode(typed) != encode(current.get(name)):
            out[name] = typed
    return out
