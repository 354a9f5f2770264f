"""Changes from another copy of the database: three-way merge against explicit base values.

A :class:`~mou_desk.services.changesets.ProposedChange` with ``base_values`` comes from a sync
(mou_desk.services.sync): ``values`` is the sender's whole record, ``base_values`` the canonical
text of every field when the two copies last agreed, plus the pseudo-field ``deleted`` ("1" or
"0"). Versions are counted separately in each copy, so the base cannot be a version here.
An empty ``base_values`` means the copies share no ancestor for the record (made on both).

Planning compares canonical text exactly (a sync carries stored values, not what a person
typed, so "Osaka " differs from "Osaka"):

- a field changed on the sender only is *changed*; on this side only, it stays;
- changed on both sides to different values, it is a *conflict* (never decided silently);
- a deletion (or restore) travels as the field ``deleted``; a deletion against an edit the
  other side made since the base is a conflict on ``deleted``, and the sender's edits of a
  record deleted here wait with it (a tombstone is never edited).

Applying trusts what the peer already checked and derived: new records are written with the
values they came with (no defaults filled in, no "Recorded" stage event — stage history travels
as its own rows); updates work out derived money again on the merged MoU (amount from one
side, rate from the other). Other services' hooks (a meeting touching its MoUs) are not run:
their effects on other records travel as those records' own changes. A deletion arriving
here makes the tombstone hold the sender's values, so both copies' tombstones are alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy.orm import Session

from mou_desk.domain.errors import ConflictError
from mou_desk.services import records
from mou_desk.services.changesets import (
    CHANGED,
    CONFLICT,
    NEW,
    FieldPlan,
    ProposedChange,
    RowPlan,
)
from mou_desk.services.desk import Desk
from mou_desk.services.fields import decode, encode, model_of
from mou_desk.storage.base import Record

#: the pseudo-field of a tombstone: True when the record is deleted
DELETED: Final = "deleted"
CONFLICT_MESSAGE: Final = "Changed on both sides since the last sync; choose which value to keep."
DELETE_MESSAGE: Final = (
    "Deleted on one side and changed on the other since the last sync; choose whether to "
    "keep the record."
)


def is_sync(change: ProposedChange) -> bool:
    return change.base_values is not None


def text_of(name: str, value: Any) -> str | None:
    """The canonical text of a field value; ``deleted`` is "1" or "0"."""
    if name == DELETED:
        return "1" if value else "0"
    return encode(value)


def value_of(record_type: str, name: str, text: str | None) -> Any:
    """The value a canonical text stands for (``deleted``: a bool, or None when unknown)."""
    if name == DELETED:
        return None if text is None else text == "1"
    return decode(record_type, name, text)


def compare(change: ProposedChange, ours: Mapping[str, Any]) -> list[FieldPlan]:
    """Field plans of a sync row against this database's values ``ours`` (with ``deleted``)."""
    record_type = change.record_type
    base = change.base_values or {}
    plans: list[FieldPlan] = []
    for name, theirs in change.values.items():
        if name == DELETED or name not in ours:
            continue
        mine = ours[name]
        t, o, b = text_of(name, theirs), text_of(name, mine), base.get(name)
        if t in (o, b):
            continue  # the same, or changed on this side only: this side's value stays
        original = value_of(record_type, name, b)
        kind = CHANGED if o == b else CONFLICT
        message = CONFLICT_MESSAGE if kind == CONFLICT else ""
        plans.append(FieldPlan(name, kind, mine, theirs, original, message))
    tombstone = _tombstone(change, ours, base, plans)
    if tombstone is not None:
        plans.append(tombstone)
    return plans


def _tombstone(
    change: ProposedChange,
    ours: Mapping[str, Any],
    base: Mapping[str, str | None],
    plans: list[FieldPlan],
) -> FieldPlan | None:
    here = bool(ours[DELETED])
    there = bool(change.values.get(DELETED, here))
    if there == here:
        return None
    known = base.get(DELETED)
    was = None if known is None else known == "1"

    def plan(kind: str, message: str = "") -> FieldPlan:
        return FieldPlan(DELETED, kind, here, there, was, message)

    if was is None:
        return plan(CONFLICT, DELETE_MESSAGE)
    if there != was:  # the sender deleted (or restored) it since the base
        edited_here = any(
            text_of(name, ours[name]) != base.get(name)
            for name in change.values
            if name != DELETED and name in ours
        )
        return plan(CONFLICT, DELETE_MESSAGE) if there and edited_here else plan(CHANGED)
    # edited there since the base, whether or not this tombstone happens to hold the same
    # value: both copies must judge the same pair of changes alike
    edited_there = any(
        text_of(name, value) != base.get(name)
        for name, value in change.values.items()
        if name != DELETED and name in ours
    )
    if here and edited_there:  # deleted here, edited there
        return plan(CONFLICT, DELETE_MESSAGE)
    return None  # deleted or restored here only: it stays so


def write_rows(
    session: Session,
    desk: Desk,
    actor: records.Actor,
    rows: Sequence[tuple[RowPlan, Mapping[str, Any]]],
    type_order: Sequence[str],
) -> dict[str, tuple[int, int]]:
    """Write a sync's rows; returns record type -> (created, updated).

    Kind by kind in ``type_order`` (what a record points at is written before it); within a
    kind, updates before new records, so that an MoU renumbered upstream frees its reference
    before the MoU that took it there arrives.
    """
    order = {name: i for i, name in enumerate(type_order)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, values in sorted(
        rows,
        key=lambda item: (order.get(item[0].record_type, 99), item[0].kind == NEW, item[0].index),
    ):
        if row.kind == NEW:
            create(session, actor, row)
            counts[row.record_type][0] += 1
        else:
            update(session, desk, actor, row, values)
            counts[row.record_type][1] += 1
    return {kind: (new, changed) for kind, (new, changed) in counts.items()}


def create(session: Session, actor: records.Actor, row: RowPlan) -> None:
    """Write a record new to this copy with the values it came with (and its tombstone)."""
    values = {k: v for k, v in row.change.values.items() if k != DELETED}
    record = records.create(session, actor, row.record_type, values, record_id=row.record_id)
    if row.change.values.get(DELETED):
        records.delete_record(session, actor, row.record_type, record.id)


def update(
    session: Session, desk: Desk, actor: records.Actor, row: RowPlan, values: Mapping[str, Any]
) -> None:
    """Write the chosen fields of a sync row; a deletion or restore comes first.

    A record deleted here takes the sender's values first, so both tombstones hold the same;
    a record deleted on both sides is kept alike the same way. Edits from a sender that
    still has the record wait while this side's deletion is kept.
    """
    record_id = row.record_id or ""
    record = session.get(model_of(row.record_type), record_id, with_for_update=True)
    if record is None or record.version != row.current_version:
        current = -1 if record is None else record.version
        raise ConflictError(row.record_type, record_id, row.label, [], current)
    data = dict(values)
    deleted = data.pop(DELETED, None)
    if deleted is True:
        if record.deleted_at is None:
            _take(session, actor, row, record, _sender_values(session, row, record))
            records.delete_record(session, actor, row.record_type, record_id)
        return
    if record.deleted_at is not None:
        if deleted is False:
            records.restore_record(session, actor, row.record_type, record_id)
        elif row.change.values.get(DELETED) and data:  # deleted on both sides
            records.restore_record(session, actor, row.record_type, record_id)
            _take(session, actor, row, record, data)
            records.delete_record(session, actor, row.record_type, record_id)
            return
        else:
            return  # the deletion here was kept: the sender's edits wait with it
    if data and row.record_type == "mou":
        desk.service("mou").prepare(session, data, record)
    _take(session, actor, row, record, data)


def _sender_values(session: Session, row: RowPlan, record: Record) -> dict[str, Any]:
    """The sender's values of every field where this copy differs (a tombstone to match)."""
    here = records.snapshot(session, record)
    return {
        name: value
        for name, value in row.change.values.items()
        if name != DELETED and name in here and text_of(name, value) != here[name]
    }


def _take(
    session: Session, actor: records.Actor, row: RowPlan, record: Record, data: Mapping[str, Any]
) -> None:
    if data:
        records.update(session, actor, row.record_type, record.id, data, record.version)
