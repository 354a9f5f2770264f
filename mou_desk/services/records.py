"""Create, update, delete and restore any record, writing the change log in the same transaction.

Every save names the version it was based on. If someone saved in between, fields changed on
one side only merge; a field changed on both sides raises ConflictError with mine / theirs /
original for each, never a silent overwrite. The same three-way rule serves workbook imports
and sync (services.changesets).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mou_desk.domain.errors import ConflictError, FieldConflict, NotFoundError, ValidationError
from mou_desk.services.fields import (
    all_fields,
    coerce,
    column_fields,
    decode,
    encode,
    link_fields,
    model_of,
)
from mou_desk.storage import search_index
from mou_desk.storage.base import Record, new_id, utcnow
from mou_desk.storage.models import ChangeLogEntry


@dataclass(frozen=True)
class Actor:
    """Who makes a change and from where; changes of one import or sync share a batch id."""

    clerk: str
    origin: str
    batch_id: str | None = None


def label_of(record: Record) -> str:
    for attr in ("ref", "name", "title", "file_name"):
        value = getattr(record, attr, None)
        if value:
            return str(value)
    return record.id


def get_live(session: Session, record_type: str, record_id: str, *, lock: bool = False) -> Record:
    record = session.get(model_of(record_type), record_id, with_for_update=lock or None)
    if record is None or record.deleted_at is not None:
        raise NotFoundError(record_type, record_id)
    return record


def snapshot(session: Session, record: Record) -> dict[str, str | None]:
    """Every field of a record in canonical text."""
    values = {name: encode(getattr(record, name)) for name in column_fields(record.record_type)}
    for link in link_fields(record.record_type):
        ids = session.scalars(
            select(link.table.c[link.other_column]).where(
                link.table.c[link.owner_column] == record.id
            )
        ).all()
        values[link.name] = encode(ids)
    return values


def values_at_version(
    session: Session, record: Record, version: int, fields: list[str]
) -> dict[str, str | None]:
    """What the fields held at an earlier version, recovered from the change log."""
    current = snapshot(session, record)
    result = {f: current.get(f) for f in fields}
    entries = session.scalars(
        select(ChangeLogEntry)
        .where(
            ChangeLogEntry.record_id == record.id,
            ChangeLogEntry.version > version,
            ChangeLogEntry.field.in_(fields),
        )
        .order_by(ChangeLogEntry.version.desc())
    )
    for entry in entries:  # newest first: the oldest change after `version` wins
        result[entry.field] = entry.old_value
    return result


def _log(
    session: Session,
    actor: Actor,
    record: Record,
    action: str,
    field: str = "",
    old: str | None = None,
    new: str | None = None,
) -> None:
    session.add(
        ChangeLogEntry(
            record_type=record.record_type,
            record_id=record.id,
            version=record.version,
            action=action,
            field=field,
            old_value=old,
            new_value=new,
            actor=actor.clerk,
            at=utcnow(),
            origin=actor.origin,
            batch_id=actor.batch_id,
        )
    )


def _check_fields(record_type: str, values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(all_fields(record_type))
    if unknown:
        raise ValidationError({f: "is not a field of this record" for f in sorted(unknown)})


def _set_links(session: Session, record: Record, name: str, ids: list[str]) -> None:
    link = next(lk for lk in link_fields(record.record_type) if lk.name == name)
    session.execute(delete(link.table).where(link.table.c[link.owner_column] == record.id))
    unique = sorted(set(ids))
    if unique:
        session.execute(
            insert(link.table),
            [{link.owner_column: record.id, link.other_column: other} for other in unique],
        )


def create(
    session: Session,
    actor: Actor,
    record_type: str,
    values: Mapping[str, Any],
    record_id: str | None = None,
) -> Record:
    _check_fields(record_type, values)
    model = model_of(record_type)
    columns = {
        k: coerce(record_type, k, v) for k, v in values.items() if k in column_fields(record_type)
    }
    record = model(id=record_id or new_id(), updated_by=actor.clerk, **columns)
    session.add(record)
    session.flush()
    for link in link_fields(record_type):
        if link.name in values:
            _set_links(session, record, link.name, list(values[link.name]))
    _log(session, actor, record, "create")
    for name, value in snapshot(session, record).items():
        if value not in (None, ""):
            _log(session, actor, record, "create", name, None, value)
    search_index.refresh(session, record_type, record.id)
    return record


def update(
    session: Session,
    actor: Actor,
    record_type: str,
    record_id: str,
    changes: Mapping[str, Any],
    base_version: int,
) -> Record:
    """Apply ``changes`` made on top of ``base_version``; merge or raise ConflictError."""
    _check_fields(record_type, changes)
    record = get_live(session, record_type, record_id, lock=True)
    current = snapshot(session, record)
    wanted = {f: encode(coerce(record_type, f, v)) for f, v in changes.items()}
    if record.version != base_version:
        original = values_at_version(session, record, base_version, list(changes))
        conflicts = [
            FieldConflict(
                f,
                decode(record_type, f, wanted[f]),
                decode(record_type, f, current[f]),
                decode(record_type, f, original[f]),
            )
            for f in changes
            # three-way: both sides changed the field since the base, to different values
            if wanted[f] != original[f] != current[f] and wanted[f] != current[f]
        ]
        if conflicts:
            raise ConflictError(record_type, record_id, label_of(record), conflicts, record.version)
        # Fields the clerk did not touch since the base keep what the other save wrote.
        wanted = {f: v for f, v in wanted.items() if v != original[f]}
    changed = {f: v for f, v in wanted.items() if v != current[f]}
    if not changed:
        return record
    for name in changed:
        if name in column_fields(record_type):
            setattr(record, name, decode(record_type, name, changed[name]))
    for link in link_fields(record_type):
        if link.name in changed:
            _set_links(
                session, record, link.name, decode(record_type, link.name, changed[link.name])
            )
    record.updated_at = utcnow()
    record.updated_by = actor.clerk
    _flush(session, record)
    for name, value in changed.items():
        _log(session, actor, record, "update", name, current[name], value)
    search_index.refresh(session, record_type, record.id)
    return record


def delete_record(session: Session, actor: Actor, record_type: str, record_id: str) -> Record:
    """Mark a record deleted (a tombstone that can travel and be undone)."""
    record = get_live(session, record_type, record_id, lock=True)
    record.deleted_at = utcnow()
    record.updated_at = record.deleted_at
    record.updated_by = actor.clerk
    _flush(session, record)
    _log(session, actor, record, "delete")
    search_index.refresh(session, record_type, record.id)
    return record


def restore_record(session: Session, actor: Actor, record_type: str, record_id: str) -> Record:
    record = session.get(model_of(record_type), record_id, with_for_update=True)
    if record is None:
        raise NotFoundError(record_type, record_id)
    if record.deleted_at is None:
        raise ValidationError(f"{label_of(record)} is not in the Trash.")
    record.deleted_at = None
    record.updated_at = utcnow()
    record.updated_by = actor.clerk
    _flush(session, record)
    _log(session, actor, record, "restore")
    search_index.refresh(session, record_type, record.id)
    return record


def _flush(session: Session, record: Record) -> None:
    try:
        session.flush()
    except StaleDataError as exc:  # another connection bumped the version since we read it
        raise ConflictError(record.record_type, record.id, label_of(record), [], -1) from exc
