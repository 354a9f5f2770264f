"""The MoU grid: compact rows from one SQL query, filtered and sorted in SQL.

Rows are plain tuples of primitives (rupees as integer paise, stages as text), cheap to hold
for 100,000 MoUs and to sort again in memory; no ORM objects are built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, ColumnElement, String, and_, or_, select, type_coerce
from sqlalchemy.orm import aliased

from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage, Status
from mou_desk.services.database import Database
from mou_desk.storage import search_index
from mou_desk.storage.models import Mou, Officer, Partner


class MouRow(NamedTuple):
    id: str
    ref: str
    title: str
    lead_partner: str
    sector: str
    district: str
    stage: str
    status: str
    stage_since: date
    last_activity_on: date
    proposed_paise: int | None
    nodal_officer: str
    next_action: str
    next_action_due: date | None
    version: int


@dataclass(frozen=True)
class MouFilter:
    stages: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    officer_ids: frozenset[str] = frozenset()
    overdue: bool = False
    stale: bool = False
    search: str = ""
    deleted: bool = False


SORTABLE: Mapping[str, Any] = {
    "ref": Mou.ref, "title": Mou.title, "sector": Mou.sector, "district": Mou.district,
    "stage": Mou.stage, "status": Mou.status, "stage_since": Mou.stage_since,
    "proposed_paise": Mou.proposed_inr, "next_action": Mou.next_action,
    "next_action_due": Mou.next_action_due, "last_activity_on": Mou.last_activity_on,
}  # fmt: skip

_lead = aliased(Partner)
_officer = aliased(Officer)


def _raw(column: Any, label: str, kind: Any = String) -> Any:
    return type_coerce(column, kind).label(label)


def _raw_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def stale_condition(today: date, thresholds: Mapping[Stage, int]) -> ColumnElement[bool]:
    return and_(
        Mou.status == Status.ACTIVE,
        or_(*(
            and_(Mou.stage == stage, Mou.last_activity_on < today - timedelta(days=days))
            for stage, days in thresholds.items()
        )),
    )  # fmt: skip


def list_mous(
    db: Database,
    flt: MouFilter = MouFilter(),
    *,
    order_by: str = "ref",
    descending: bool = False,
    thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS,
    limit: int | None = None,
) -> list[MouRow]:
    today = db.today()
    # type_coerce keeps SQLAlchemy's per-value converters out of the hot loop.
    query = (
        select(
            Mou.id,
            Mou.ref,
            Mou.title,
            _raw(_lead.name, "lead_name"),
            Mou.sector,
            Mou.district,
            _raw(Mou.stage, "stage_text"),
            _raw(Mou.status, "status_text"),
            _raw(Mou.stage_since, "since_text"),
            _raw(Mou.last_activity_on, "activity_text"),
            _raw(Mou.proposed_inr, "paise", BigInteger),
            _raw(_officer.name, "officer_name"),
            Mou.next_action,
            _raw(Mou.next_action_due, "due_text"),
            Mou.version,
        )  # fmt: skip
        .outerjoin(_lead, _lead.id == Mou.lead_partner_id)
        .outerjoin(_officer, _officer.id == Mou.nodal_officer_id)
        .where(Mou.deleted_at.is_not(None) if flt.deleted else Mou.deleted_at.is_(None))
    )
    for values, column in (
        (flt.stages, Mou.stage), (flt.statuses, Mou.status), (flt.sectors, Mou.sector),
        (flt.districts, Mou.district), (flt.officer_ids, Mou.nodal_officer_id),
    ):  # fmt: skip
        if values:
            query = query.where(type_coerce(column, String).in_(sorted(values)))
    if flt.overdue:
        query = query.where(Mou.next_action_due < today, Mou.status == Status.ACTIVE)
    if flt.stale:
        query = query.where(stale_condition(today, thresholds))
    found = search_index.matching_ids(flt.search, ["mou"], db.dialect)
    if found is not None:
        query = query.where(Mou.id.in_(found))
    column = SORTABLE.get(order_by, Mou.ref)
    query = query.order_by(column.desc() if descending else column, Mou.ref)
    if limit is not None:
        query = query.limit(limit)
    with db.read() as session:
        rows = session.connection().execute(query).all()
    make = MouRow._make
    return [
        make(
            (
                r[0],
                r[1],
                r[2],
                r[3] or "",
                r[4],
                r[5],
                r[6],
                r[7],
                _raw_date(r[8]),
                _raw_date(r[9]),
                r[10],
                r[11] or "",
                r[12],
                _raw_date(r[13]),
                r[14],
            )
        )  # fmt: skip
        for r in rows
    ]


def matching_mou_ids(db: Database, text: str) -> set[str] | None:
    """Ids of live MoUs whose text contains every word; None when the text is blank."""
    found = search_index.matching_ids(text, ["mou"], db.dialect)
    if found is None:
        return None
    with db.read() as session:
        return set(session.scalars(found))


def distinct_values(db: Database, column: str) -> list[str]:
    """The values in use for a filter list (sector, district, policy...)."""
    col = getattr(Mou, column)
    with db.read() as session:
        values = session.scalars(
            select(col).where(Mou.deleted_at.is_(None), col != "").distinct().order_by(col)
        )
        return [str(v) for v in values]


def as_date(value: Any) -> date | None:
    return _raw_date(value)
