"""The MoU grid: compact rows from one SQL query, filtered and sorted in SQL.

Rows are plain tuples of primitives (rupees as integer paise, stages as text), cheap to hold
for 100,000 MoUs and to sort again in memory; no ORM objects are built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, ColumnElement, String, and_, or_, select, type_coerce

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
    "ref": Mou.ref,
    "title": Mou.title,
    "sector": Mou.sector,
    "district": Mou.district,
    "stage": Mou.stage,
    "status": Mou.status,
    "stage_since": Mou.stage_since,
    "proposed_paise": Mou.proposed_inr,
    "next_action": Mou.next_action,
    "next_action_due": Mou.next_action_due,
    "last_activity_on": Mou.last_activity_on,
}


def _raw(column: Any, label: str, kind: Any = String) -> Any:
    return type_coerce(column, kind).label(label)


def _same(value: Any) -> Any:
    return value


def _raw_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def stale_condition(today: date, thresholds: Mapping[Stage, int]) -> ColumnElement[bool]:
    return and_(
        Mou.status == Status.ACTIVE,
        or_(
            *(
                and_(Mou.stage == stage, Mou.last_activity_on < today - timedelta(days=days))
                for stage, days in thresholds.items()
            )
        ),
    )


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
    # Plain columns, no joins: partner and officer names come from two small lookups, and
    # type_coerce keeps SQLAlchemy's per-value converters out of the hot loop.
    query = select(
        Mou.id,
        Mou.ref,
        Mou.title,
        Mou.lead_partner_id,
        Mou.sector,
        Mou.district,
        _raw(Mou.stage, "stage_text"),
        _raw(Mou.status, "status_text"),
        _raw(Mou.stage_since, "since_text"),
        _raw(Mou.last_activity_on, "activity_text"),
        _raw(Mou.proposed_inr, "paise", BigInteger),
        Mou.nodal_officer_id,
        Mou.next_action,
        _raw(Mou.next_action_due, "due_text"),
        Mou.version,
    ).where(Mou.deleted_at.is_not(None) if flt.deleted else Mou.deleted_at.is_(None))
    for values, column in (
        (flt.stages, Mou.stage),
        (flt.statuses, Mou.status),
        (flt.sectors, Mou.sector),
        (flt.districts, Mou.district),
        (flt.officer_ids, Mou.nodal_officer_id),
    ):
        if values:
            query = query.where(type_coerce(column, String).in_(sorted(values)))
    if flt.overdue:
        query = query.where(Mou.next_action_due < today, Mou.status == Status.ACTIVE)
    if flt.stale:
        query = query.where(stale_condition(today, thresholds))
    found = search_index.matching_ids(flt.search, ["mou"], db.dialect)
    if found is not None:
        query = query.where(Mou.id.in_(found))
    if limit is not None:
        query = query.order_by(SORTABLE.get(order_by, Mou.ref)).limit(limit)
    with db.read() as session:
        connection = session.connection()
        # Read the driver's tuples straight from its cursor: building SQLAlchemy Row objects
        # for 100,000 rows costs as much again as the query itself.
        rows = connection.execute(query).cursor.fetchall()
        partners = dict(connection.execute(select(Partner.id, Partner.name)).all())
        officers = dict(connection.execute(select(Officer.id, Officer.name)).all())
    iso = date.fromisoformat if db.dialect == "sqlite" else _same
    pget, oget = partners.get, officers.get
    result = [
        MouRow(
            r[0],
            r[1],
            r[2],
            pget(r[3], ""),
            r[4],
            r[5],
            r[6],
            r[7],
            iso(r[8]),
            iso(r[9]),
            r[10],
            oget(r[11], ""),
            r[12],
            iso(r[13]) if r[13] else None,
            r[14],
        )
        for r in rows
    ]
    sort_rows(result, order_by, descending)
    return result


def sort_key(column: str) -> Callable[[MouRow], Any]:
    """A key that sorts blanks last and text without regard to case."""
    index = MouRow._fields.index(column)

    def key(row: MouRow) -> Any:
        value = row[index]
        if value is None:
            return (1, "")
        return (0, value.casefold() if isinstance(value, str) else value)

    return key


def sort_rows(rows: list[MouRow], column: str, descending: bool = False) -> None:
    """Sort in place (Python's sort over compact rows beats an ORDER BY that reads the table
    in index order)."""
    rows.sort(key=lambda row: row.ref)
    if column != "ref" and column in MouRow._fields:
        rows.sort(key=sort_key(column), reverse=descending)
    elif descending:
        rows.reverse()


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
