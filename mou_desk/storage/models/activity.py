"""Trips, meetings, follow-ups and attached files."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table
from sqlalchemy.orm import Mapped, deferred, mapped_column

from mou_desk.storage.base import Base, Record, long_text, name_text, short_text
from mou_desk.storage.models.people import enum_column


class EngagementKind(enum.StrEnum):
    MEETING = "meeting"
    VISIT = "visit"
    CALL = "call"
    ROADSHOW = "roadshow"


class Trip(Record):
    """A delegation trip, e.g. "Japan delegation, July 2025"."""

    __tablename__ = "trips"
    record_type = "trip"

    name: Mapped[name_text]
    country: Mapped[str] = mapped_column(String(80), default="")
    start_on: Mapped[date | None] = mapped_column(default=None)
    end_on: Mapped[date | None] = mapped_column(default=None)
    notes: Mapped[long_text]


class Engagement(Record):
    """A meeting, visit, call or roadshow, with who was present and which MoUs it concerns."""

    __tablename__ = "engagements"
    __table_args__ = (Index(None, "trip_id"), Index(None, "held_on"))
    record_type = "engagement"

    trip_id: Mapped[str | None] = mapped_column(ForeignKey("trips.id"), default=None)
    kind: Mapped[EngagementKind] = mapped_column(
        enum_column(EngagementKind), default=EngagementKind.MEETING
    )
    title: Mapped[name_text]
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    discussion: Mapped[long_text]


def _link_table(name: str, other: str) -> Table:
    return Table(
        f"engagement_{name}",
        Base.metadata,
        Column("engagement_id", ForeignKey("engagements.id"), primary_key=True),
        Column(f"{other}_id", ForeignKey(f"{name}.id"), primary_key=True),
    )


# Who was present and what was concerned; each list travels as a field of the engagement.
engagement_partners = _link_table("partners", "partner")
engagement_contacts = _link_table("contacts", "contact")
engagement_officers = _link_table("officers", "officer")
engagement_mous = _link_table("mous", "mou")


class FollowUp(Record):
    """A task with an owner and a due date, on an MoU or a partner."""

    __tablename__ = "followups"
    __table_args__ = (Index(None, "mou_id"), Index(None, "due_on"))
    record_type = "followup"

    mou_id: Mapped[str | None] = mapped_column(ForeignKey("mous.id"), default=None)
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), default=None)
    engagement_id: Mapped[str | None] = mapped_column(ForeignKey("engagements.id"), default=None)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[short_text]
    due_on: Mapped[date]
    done_on: Mapped[date | None] = mapped_column(default=None)
    notes: Mapped[long_text]


class AttachmentBlob(Base):
    """File contents, once per checksum, so that listing attachments never loads the bytes."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class Attachment(Record):
    """A file kept with an MoU or a partner (the signed MoU PDF, a presentation)."""

    __tablename__ = "attachments"
    __table_args__ = (Index(None, "mou_id"),)
    record_type = "attachment"

    mou_id: Mapped[str | None] = mapped_column(ForeignKey("mous.id"), default=None)
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), default=None)
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256"))
    size: Mapped[int]
    description: Mapped[str] = mapped_column(String(300), default="")
