"""Trips, meetings, follow-ups and attachments."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mou_desk.domain.errors import NotFoundError, ValidationError
from mou_desk.services import records
from mou_desk.services.common import RecordData, RecordService, to_data
from mou_desk.storage.models import Attachment, AttachmentBlob, Engagement, FollowUp, Mou

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


class TripService(RecordService):
    record_type = "trip"
    required = ("name",)

    def validate(self, session: Session, values: Mapping[str, Any], record_id: str | None) -> None:
        super().validate(session, values, record_id)
        start, end = values.get("start_on"), values.get("end_on")
        if start and end and end < start:
            raise ValidationError({"end_on": "A trip cannot end before it starts."})

    def engagements(self, trip_id: str) -> list[RecordData]:
        with self.db.read() as session:
            rows = session.scalars(
                select(Engagement)
                .where(Engagement.trip_id == trip_id, Engagement.deleted_at.is_(None))
                .order_by(Engagement.held_on, Engagement.title)
            )
            return [to_data(session, e) for e in rows]


class EngagementService(RecordService):
    record_type = "engagement"
    required = ("title",)

    def validate(self, session: Session, values: Mapping[str, Any], record_id: str | None) -> None:
        super().validate(session, values, record_id)
        if record_id is None and not values.get("held_on"):
            raise ValidationError({"held_on": "A meeting needs its date."})

    def prepare(self, session: Session, values: dict[str, Any], current: Any) -> None:
        # A meeting about an MoU is activity on it: it is no longer stale.
        held_on = values.get("held_on") or getattr(current, "held_on", None)
        for mou_id in values.get("mou_ids") or ():
            mou = session.get(Mou, mou_id)
            if mou is not None and held_on and held_on > mou.last_activity_on:
                changes = {"last_activity_on": held_on}
                records.update(session, self.actor(), "mou", mou_id, changes, mou.version)


class FollowUpService(RecordService):
    record_type = "followup"
    required = ("title",)

    def validate(self, session: Session, values: Mapping[str, Any], record_id: str | None) -> None:
        super().validate(session, values, record_id)
        if record_id is None and not values.get("due_on"):
            raise ValidationError({"due_on": "A follow-up needs a due date."})

    def mark_done(self, followup_id: str, on: date, base_version: int) -> RecordData:
        if on > self.db.today():
            raise ValidationError({"done_on": "A follow-up cannot be done in the future."})
        return self.update(followup_id, {"done_on": on}, base_version)

    def reopen(self, followup_id: str, base_version: int) -> RecordData:
        return self.update(followup_id, {"done_on": None}, base_version)

    def for_mou(self, mou_id: str) -> list[RecordData]:
        with self.db.read() as session:
            rows = session.scalars(
                select(FollowUp)
                .where(FollowUp.mou_id == mou_id, FollowUp.deleted_at.is_(None))
                .order_by(FollowUp.due_on)
            )
            return [to_data(session, f) for f in rows]


@dataclass(frozen=True)
class AttachmentFile:
    file_name: str
    data: bytes
    sha256: str


class AttachmentService(RecordService):
    record_type = "attachment"
    required = ("file_name",)

    def add_file(
        self,
        path: Path,
        *,
        mou_id: str | None = None,
        partner_id: str | None = None,
        description: str = "",
    ) -> RecordData:
        """Keep a copy of a file with its checksum; the original file is only read."""
        try:
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    {"file": f"{path.name} is larger than 200 MB; keep a link instead."}
                )
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError({"file": f"{path} cannot be read ({exc.strerror})."}) from exc
        digest = hashlib.sha256(data).hexdigest()
        with self.db.write() as session:
            if session.get(AttachmentBlob, digest) is None:
                session.add(AttachmentBlob(sha256=digest, size=len(data), data=data))
                session.flush()
            values = {
                "file_name": path.name,
                "sha256": digest,
                "size": len(data),
                "mou_id": mou_id,
                "partner_id": partner_id,
                "description": description,
            }
            record = records.create(session, self.actor(), "attachment", values)
            return to_data(session, record)

    def for_mou(self, mou_id: str) -> list[RecordData]:
        with self.db.read() as session:
            rows = session.scalars(
                select(Attachment)
                .where(Attachment.mou_id == mou_id, Attachment.deleted_at.is_(None))
                .order_by(Attachment.file_name)
            )
            return [to_data(session, a) for a in rows]

    def content(self, attachment_id: str) -> AttachmentFile:
        with self.db.read() as session:
            attachment = session.get(Attachment, attachment_id)
            if attachment is None:
                raise NotFoundError("attachment", attachment_id)
            blob = session.get(AttachmentBlob, attachment.sha256)
            if blob is None:
                raise NotFoundError("attachment file", attachment.sha256)
            data = blob.data
            if hashlib.sha256(data).hexdigest() != attachment.sha256:
                raise ValidationError(
                    {"file": f"{attachment.file_name} is damaged (checksum differs)."}
                )
            return AttachmentFile(attachment.file_name, data, attachment.sha256)
