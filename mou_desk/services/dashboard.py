"""Figures for the dashboard and reports: counts and rupees by stage, sector and district."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, String, func, select, type_coerce

from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage
from mou_desk.services.database import Database
from mou_desk.services.listing import MouFilter, MouRow, list_mous, stale_condition
from mou_desk.storage.models import FollowUp, Mou


@dataclass(frozen=True)
class Bucket:
    key: str
    count: int
    proposed_inr: Decimal


@dataclass(frozen=True)
class FollowUpRow:
    id: str
    title: str
    owner: str
    due_on: date
    mou_id: str | None
    mou_ref: str
    version: int


@dataclass(frozen=True)
class Dashboard:
    by_stage: list[Bucket]
    by_sector: list[Bucket]
    by_district: list[Bucket]
    total: Bucket
    realised_inr: Decimal
    proposed_jobs: int
    realised_jobs: int
    overdue: list[FollowUpRow] = field(default_factory=list)
    upcoming: list[FollowUpRow] = field(default_factory=list)
    #: the stale MoUs quiet for longest (at most ``stale_limit``) and how many there are in all
    stale: list[MouRow] = field(default_factory=list)
    stale_count: int = 0


def _buckets(db: Database, column: object) -> list[Bucket]:
    key = type_coerce(column, String)
    query = (
        select(
            key, func.count(), func.coalesce(func.sum(type_coerce(Mou.proposed_inr, BigInteger)), 0)
        )
        .where(Mou.deleted_at.is_(None))
        .group_by(key)
        .order_by(key)
    )
    with db.read() as session:
        return [
            Bucket(k or "(none)", n, Decimal(int(p)) / 100) for k, n, p in session.execute(query)
        ]


def followups_due(db: Database, *, until: date, overdue_only: bool = False) -> list[FollowUpRow]:
    """Open follow-ups due on or before ``until`` (overdue ones strictly before today)."""
    today = db.today()
    limit = today - timedelta(days=1) if overdue_only else until
    query = (
        select(
            FollowUp.id,
            FollowUp.title,
            FollowUp.owner,
            FollowUp.due_on,
            FollowUp.mou_id,
            Mou.ref,
            FollowUp.version,
        )
        .outerjoin(Mou, Mou.id == FollowUp.mou_id)
        .where(FollowUp.deleted_at.is_(None), FollowUp.done_on.is_(None), FollowUp.due_on <= limit)
        .order_by(FollowUp.due_on, FollowUp.title)
    )
    with db.read() as session:
        return [
            FollowUpRow(i, t, o, d, m, r or "", v) for i, t, o, d, m, r, v in session.execute(query)
        ]


def dashboard(
    db: Database,
    *,
    upcoming_days: int = 14,
    thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS,
    stale_limit: int = 100,
) -> Dashboard:
    today = db.today()
    by_stage = {b.key: b for b in _buckets(db, Mou.stage)}
    stages = [by_stage.get(s.value, Bucket(s.value, 0, Decimal(0))) for s in Stage]
    with db.read() as session:
        count, proposed, realised, jobs, real_jobs = session.execute(  # sums of non-null ints
            select(
                func.count(),
                func.coalesce(func.sum(type_coerce(Mou.proposed_inr, BigInteger)), 0),
                func.coalesce(func.sum(type_coerce(Mou.realised_inr, BigInteger)), 0),
                func.coalesce(func.sum(Mou.proposed_jobs), 0),
                func.coalesce(func.sum(Mou.realised_jobs), 0),
            ).where(Mou.deleted_at.is_(None))
        ).one()
    overdue = followups_due(db, until=today, overdue_only=True)
    upcoming = [
        f
        for f in followups_due(db, until=today + timedelta(days=upcoming_days))
        if f.due_on >= today
    ]
    stale = list_mous(
        db,
        MouFilter(stale=True),
        order_by="last_activity_on",
        thresholds=thresholds,
        limit=stale_limit,
    )
    with db.read() as session:
        condition = stale_condition(db.today(), thresholds)
        stale_count = session.scalar(
            select(func.count()).select_from(Mou).where(Mou.deleted_at.is_(None), condition)
        )
    return Dashboard(
        by_stage=stages,
        by_sector=_buckets(db, Mou.sector),
        by_district=_buckets(db, Mou.district),
        total=Bucket("all", count, Decimal(int(proposed)) / 100),
        realised_inr=Decimal(int(realised)) / 100,
        proposed_jobs=int(jobs or 0),
        realised_jobs=int(real_jobs or 0),
        overdue=overdue,
        upcoming=upcoming,
        stale=stale,
        stale_count=int(stale_count or 0),
    )
