"""What happened and who did it: stage history, the field-level change log, database facts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mou_desk.domain.stages import Stage, Status
from mou_desk.storage.base import Base, UTCDateTime, long_text, new_id, timestamp, uuid_pk
from mou_desk.storage.models.people import enum_column


class StageEvent(Base):
    """One change of stage or status of an MoU: when (may be back-dated), who and why."""

    __tablename__ = "stage_events"
    __table_args__ = (Index(None, "mou_id", "effective_on"),)

    id: Mapped[uuid_pk]
    mou_id: Mapped[str] = mapped_column(ForeignKey("mous.id"))
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage), default=None)
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    from_status: Mapped[Status | None] = mapped_column(enum_column(Status), default=None)
    to_status: Mapped[Status] = mapped_column(enum_column(Status))
    effective_on: Mapped[date]
    reason: Mapped[long_text]
    actor: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[timestamp]


class ChangeLogEntry(Base):
    """Who changed which field of which record from what to what, when and from where.

    Values are stored in their canonical text form (see services.fields), so that the value a
    field had at any version can be recovered: the base of every three-way merge.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index(None, "record_id", "version"),
        Index(None, "record_type", "at"),
        Index(None, "batch_id"),
        Index(None, "at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int]
    action: Mapped[str] = mapped_column(String(10))  # create, update, delete, restore
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str | None] = mapped_column(Text, default=None)
    new_value: Mapped[str | None] = mapped_column(Text, default=None)
    actor: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin: Mapped[str] = mapped_column(String(200), default="desktop")
    batch_id: Mapped[str | None] = mapped_column(String(36), default=None)


class Meta(Base):
    """Facts about this database: its own id, what it is a replica of, settings shared by all."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
