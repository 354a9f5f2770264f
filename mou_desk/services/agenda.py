"""The clerk's agenda: follow-ups as compact rows, the start-up notice and calendar export.

Rows come from one SQL query (no ORM objects), so the list stays quick however many
follow-ups a large portfolio carries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce

from mou_desk.domain.dates import format_date
from mou_desk.services.database import Database
from mou_desk.services.ics import CalendarEvent
from mou_desk.services.listing import as_date
from mou_desk.storage.models import FollowUp, Mou, Partner


class Due(StrEnum):
    """Where a follow-up stands on a given day."""

    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"
    DONE = "done"


class FollowUpItem(NamedTuple):
    id: str
    title: str
    owner: str
    due_on: date
    done_on: date | None
    mou_id: str | None
    mou_ref: str
    mou_title: str
    partner_id: str | None
    partner_name: str
    partner_name_local: str
    notes: str
    version: int

    def due(self, today: date) -> Due:
        if self.done_on is not None:
            return Due.DONE
        if self.due_on < today:
            return Due.OVERDUE
        return Due.TODAY if self.due_on == today else Due.UPCOMING

    @property
    def concerns(self) -> str:
        """What the follow-up is about, as a clerk reads it: the MoU ref or the partner."""
        if self.mou_ref:
            return self.mou_ref
        if self.partner_name_local:
            return f"{self.partner_name} ({self.partner_name_local})"
        return self.partner_name


def list_followups(
    db: Database, *, include_done: bool = True, until: date | None = None
) -> list[FollowUpItem]:
    """Live follow-ups, soonest due first; ``until`` keeps only those due on or before it."""
    query = (
        select(
            FollowUp.id,
            FollowUp.title,
            FollowUp.owner,
            type_coerce(FollowUp.due_on, String),
            type_coerce(FollowUp.done_on, String),
            FollowUp.mou_id,
            Mou.ref,
            Mou.title,
            FollowUp.partner_id,
            Partner.name,
            Partner.name_local,
            FollowUp.notes,
            FollowUp.version,
        )
        .outerjoin(Mou, Mou.id == FollowUp.mou_id)
        .outerjoin(Partner, Partner.id == FollowUp.partner_id)
        .where(FollowUp.deleted_at.is_(None))
        .order_by(FollowUp.due_on, FollowUp.title)
    )
    if not include_done:
        query = query.where(FollowUp.done_on.is_(None))
    if until is not None:
        query = query.where(FollowUp.due_on <= until)
    with db.read() as session:
        rows = session.execute(query).all()
    items = []
    for r in rows:
        due_on = as_date(r[3])
        assert due_on is not None
        items.append(
            FollowUpItem(
                r[0],
                r[1],
                r[2] or "",
                due_on,
                as_date(r[4]),
                r[5],
                r[6] or "",
                r[7] or "",
                r[8],
                r[9] or "",
                r[10] or "",
                r[11] or "",
                r[12],
            )
        )
    return items


@dataclass(frozen=True)
class StartupNotice:
    """What the clerk must see on opening: nothing that fell due while the app was closed is lost.

    ``missed`` fell due after the last time the app was seen and before today; ``overdue``
    fell due earlier still (and is still open); ``today`` is due today.
    """

    today: date
    last_seen: date | None
    missed: list[FollowUpItem]
    overdue: list[FollowUpItem]
    due_today: list[FollowUpItem]

    @property
    def empty(self) -> bool:
        return not (self.missed or self.overdue or self.due_today)

    @property
    def count(self) -> int:
        return len(self.missed) + len(self.overdue) + len(self.due_today)


def startup_notice(
    db: Database, last_seen: date | None, today: date | None = None
) -> StartupNotice:
    """Every open follow-up due on or before today, split by when it fell due.

    Selecting "due on or before today" rather than "due today" is what catches up the days
    the app was closed: a weekend or a trip abroad never hides a follow-up.
    """
    today = today or db.today()
    open_items = list_followups(db, include_done=False, until=today)
    missed, overdue, due_today = [], [], []
    for item in open_items:
        if item.due_on == today:
            due_today.append(item)
        elif last_seen is not None and item.due_on > last_seen:
            missed.append(item)
        else:
            overdue.append(item)
    return StartupNotice(today, last_seen, missed, overdue, due_today)


def calendar_events(items: Iterable[FollowUpItem]) -> list[CalendarEvent]:
    """All-day events for follow-ups, with the MoU reference and owner in the description."""
    events = []
    for item in items:
        lines = []
        if item.mou_ref:
            lines.append(f"MoU {item.mou_ref}: {item.mou_title}".rstrip(": "))
        if item.partner_name:
            local = f" ({item.partner_name_local})" if item.partner_name_local else ""
            lines.append(f"Partner: {item.partner_name}{local}")
        if item.owner:
            lines.append(f"Owner: {item.owner}")
        lines.append(f"Due: {format_date(item.due_on)}")
        if item.notes:
            lines += ["", item.notes]
        summary = f"{item.title} — {item.mou_ref}" if item.mou_ref else item.title
        events.append(
            CalendarEvent(
                uid=item.id,
                on=item.due_on,
                summary=summary,
                description="\n".join(lines),
                categories=("MoU Desk",),
            )
        )
    return events
