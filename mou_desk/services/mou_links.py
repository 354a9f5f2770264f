"""What the MoU editor shows beside the MoU itself: the meetings that concern it."""

from __future__ import annotations

from sqlalchemy import select

from mou_desk.services.common import RecordData, to_data
from mou_desk.services.database import Database
from mou_desk.storage.models import Engagement, engagement_mous


def meetings_for_mou(db: Database, mou_id: str) -> list[RecordData]:
    """Live meetings, visits and calls that concern an MoU, oldest first."""
    linked = select(engagement_mous.c.engagement_id).where(engagement_mous.c.mou_id == mou_id)
    with db.read() as session:
        rows = session.scalars(
            select(Engagement)
            .where(Engagement.id.in_(linked), Engagement.deleted_at.is_(None))
            .order_by(Engagement.held_on, Engagement.title)
        )
        return [to_data(session, e) for e in rows]
