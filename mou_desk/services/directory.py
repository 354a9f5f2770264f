"""Partners, their contacts, and our officers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mou_desk.domain.errors import ValidationError
from mou_desk.services.common import RecordData, RecordService, to_data
from mou_desk.storage.models import (
    Contact,
    Engagement,
    Mou,
    Partner,
    engagement_partners,
    mou_partners,
)


class PartnerService(RecordService):
    record_type = "partner"
    required = ("name",)

    def validate(self, session: Session, values: Mapping[str, Any], record_id: str | None) -> None:
        super().validate(session, values, record_id)
        website = str(values.get("website") or "")
        if website and " " in website.strip():
            raise ValidationError({"website": "A web address has no spaces."})

    def contacts(self, partner_id: str) -> list[RecordData]:
        with self.db.read() as session:
            rows = session.scalars(
                select(Contact)
                .where(Contact.partner_id == partner_id, Contact.deleted_at.is_(None))
                .order_by(Contact.name)
            )
            return [to_data(session, c) for c in rows]

    def mous(self, partner_id: str) -> list[RecordData]:
        with self.db.read() as session:
            others = select(mou_partners.c.mou_id).where(mou_partners.c.partner_id == partner_id)
            rows = session.scalars(
                select(Mou)
                .where(or_(Mou.lead_partner_id == partner_id, Mou.id.in_(others)))
                .where(Mou.deleted_at.is_(None))
                .order_by(Mou.ref)
            )
            return [to_data(session, m) for m in rows]

    def engagements(self, partner_id: str) -> list[RecordData]:
        with self.db.read() as session:
            linked = select(engagement_partners.c.engagement_id).where(
                engagement_partners.c.partner_id == partner_id
            )
            rows = session.scalars(
                select(Engagement)
                .where(Engagement.id.in_(linked), Engagement.deleted_at.is_(None))
                .order_by(Engagement.held_on)
            )
            return [to_data(session, e) for e in rows]

    def find_by_name(self, name: str) -> RecordData | None:
        key = " ".join(name.split()).casefold()
        with self.db.read() as session:
            for partner in session.scalars(select(Partner).where(Partner.deleted_at.is_(None))):
                if " ".join(partner.name.split()).casefold() == key:
                    return to_data(session, partner)
        return None


class ContactService(RecordService):
    record_type = "contact"
    required = ("name",)

    def validate(self, session: Session, values: Mapping[str, Any], record_id: str | None) -> None:
        super().validate(session, values, record_id)
        email = str(values.get("email") or "").strip()
        if email and ("@" not in email or " " in email):
            raise ValidationError({"email": f"{email!r} is not an e-mail address."})


class OfficerService(RecordService):
    record_type = "officer"
    required = ("name",)
