"""Plain results handed to the UI and the command line, and the CRUD shared by every record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mou_desk.domain.errors import NotFoundError, ValidationError
from mou_desk.services import records
from mou_desk.services.database import Database
from mou_desk.services.fields import all_fields, decode, model_of
from mou_desk.storage.base import Record
from mou_desk.storage.models import ChangeLogEntry


@dataclass(frozen=True)
class RecordData:
    """A record detached from any session: its identity, version and field values."""

    record_type: str
    id: str
    version: int
    values: Mapping[str, Any]
    updated_at: datetime | None = None
    updated_by: str = ""
    deleted: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def label(self) -> str:
        for key in ("ref", "name", "title", "file_name"):
            if self.values.get(key):
                return str(self.values[key])
        return self.id


@dataclass(frozen=True)
class ChangeRow:
    at: datetime
    actor: str
    origin: str
    action: str
    field: str
    old: str | None
    new: str | None
    version: int


def to_data(session: Session, record: Record, **extra: Any) -> RecordData:
    text = records.snapshot(session, record)
    values = {name: decode(record.record_type, name, value) for name, value in text.items()}
    return RecordData(
        record_type=record.record_type,
        id=record.id,
        version=record.version,
        values=values,
        updated_at=record.updated_at,
        updated_by=record.updated_by,
        deleted=record.deleted_at is not None,
        extra=extra,
    )


class RecordService:
    """Create, read, update, delete and restore one kind of record, with validation."""

    record_type = ""
    required: tuple[str, ...] = ()

    def __init__(self, db: Database) -> None:
        self.db = db

    def actor(self, batch_id: str | None = None) -> records.Actor:
        return records.Actor(self.db.clerk, self.db.origin, batch_id)

    def validate(self, session: Session, values: Mapping[str, Any], record_id: str | None) -> None:
        """Raise ValidationError naming every bad field; subclasses add their rules."""
        problems = {
            name: "is required"
            for name in self.required
            if name in values and not str(values[name] or "").strip()
        }
        if problems:
            raise ValidationError(problems)

    def prepare(self, session: Session, values: dict[str, Any], current: Record | None) -> None:
        """Derive stored values from what was entered (subclasses: money in INR and such)."""

    def create(self, values: Mapping[str, Any]) -> RecordData:
        data = dict(values)
        missing = {n: "is required" for n in self.required if not str(data.get(n) or "").strip()}
        if missing:
            raise ValidationError(missing)
        with self.db.write() as session:
            self.validate(session, data, None)
            self.prepare(session, data, None)
            record = records.create(session, self.actor(), self.record_type, data)
            self.after_create(session, record, data)
            return to_data(session, record)

    def after_create(self, session: Session, record: Record, values: Mapping[str, Any]) -> None:
        """Hook for records that write more than their own row when born (MoU stage history)."""

    def update(self, record_id: str, changes: Mapping[str, Any], base_version: int) -> RecordData:
        data = dict(changes)
        with self.db.write() as session:
            current = records.get_live(session, self.record_type, record_id, lock=True)
            self.validate(session, data, record_id)
            self.prepare(session, data, current)
            record = records.update(
                session, self.actor(), self.record_type, record_id, data, base_version
            )
            return to_data(session, record)

    def delete(self, record_id: str) -> None:
        with self.db.write() as session:
            records.delete_record(session, self.actor(), self.record_type, record_id)

    def restore(self, record_id: str) -> RecordData:
        with self.db.write() as session:
            return to_data(
                session, records.restore_record(session, self.actor(), self.record_type, record_id)
            )

    def get(self, record_id: str, *, include_deleted: bool = False) -> RecordData:
        with self.db.read() as session:
            record = session.get(model_of(self.record_type), record_id)
            if record is None or (record.deleted_at is not None and not include_deleted):
                raise NotFoundError(self.record_type, record_id)
            return to_data(session, record)

    def all(self, *, deleted: bool = False) -> list[RecordData]:
        model = model_of(self.record_type)
        condition = model.deleted_at.is_not(None) if deleted else model.deleted_at.is_(None)
        with self.db.read() as session:
            return [to_data(session, r) for r in session.scalars(select(model).where(condition))]

    def history(self, record_id: str) -> list[ChangeRow]:
        with self.db.read() as session:
            entries = session.scalars(
                select(ChangeLogEntry)
                .where(ChangeLogEntry.record_id == record_id)
                .order_by(ChangeLogEntry.at, ChangeLogEntry.version)
            )
            return [
                ChangeRow(
                    e.at, e.actor, e.origin, e.action, e.field, e.old_value, e.new_value, e.version
                )
                for e in entries
            ]

    @classmethod
    def fields(cls) -> list[str]:
        return all_fields(cls.record_type)
