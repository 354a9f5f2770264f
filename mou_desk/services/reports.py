"""PDF status reports: gather the figures from the services, then hand them to the renderers.

``write_report`` is the one entry point for the command line, the desktop client and tests.
It checks the request, gathers plain dataclasses (``exchange.pdf.report_model``), renders
to a temporary file beside the destination and renames it into place, so a cancelled or
failed run never leaves half a PDF behind.

Time: everything that depends on "today" (days in stage, overdue, stale) is computed for the
``as_of`` date. With ``as_of`` given, the "generated" line shows that date too, so the same
data and as-of date give the same PDF bytes; without it, today and the current time are used.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import IO, NamedTuple

from sqlalchemy import BigInteger, String, select, type_coerce

from mou_desk.domain.errors import UsageError
from mou_desk.domain.money import paise_to_rupees
from mou_desk.domain.stages import (
    DEFAULT_STALE_DAYS,
    Stage,
    Status,
    days_in_stage,
    is_stale,
    parse_stage,
)
from mou_desk.exchange.pdf import report_dossier, report_portfolio, report_trip
from mou_desk.exchange.pdf.labels import LANGS, Lang
from mou_desk.exchange.pdf.report_model import (
    Bucket,
    CancelledFn,
    Figures,
    FollowUpLine,
    PortfolioReport,
    PortfolioRow,
    ProgressFn,
    ReportContext,
)
from mou_desk.exchange.pdf.report_table import ReportCancelled
from mou_desk.services.dashboard import followups_due
from mou_desk.services.database import Database
from mou_desk.services.desk import Desk
from mou_desk.services.listing import MouFilter, distinct_values, list_mous
from mou_desk.services.report_records import ReportInputError, dossier_report, trip_report
from mou_desk.storage.models import Mou, Partner

KINDS = ("portfolio", "dossier", "trip")

__all__ = ["KINDS", "ReportCancelled", "ReportInputError", "ReportUsageError", "write_report"]


class ReportUsageError(UsageError):
    """The report was asked for wrongly (a missing --mou, an unknown kind): exit code 2."""


def write_report(
    desk: Desk,
    path: str | Path,
    kind: str = "portfolio",
    stage: str | None = None,
    sector: str | None = None,
    mou_ref: str | None = None,
    trip_name: str | None = None,
    lang: str = "en",
    as_of: date | None = None,
    on_progress: ProgressFn | None = None,
    is_cancelled: CancelledFn | None = None,
    stale_days: Mapping[Stage, int] | None = None,
) -> Path:
    """Write the report to ``path`` (replacing it) and return the path.

    Raises ReportUsageError or ReportInputError with a message for the clerk, and
    ReportCancelled when ``is_cancelled`` returned True (nothing is written then).
    ``stale_days`` are the days without activity after which an MoU counts as stale, per
    stage (the clerk's setting; the defaults of ``domain.stages`` otherwise).
    """
    target = _check_target(Path(path))
    language = _check_lang(lang)
    if kind not in KINDS:
        raise ReportUsageError(f"Unknown report kind {kind!r}; choose one of {', '.join(KINDS)}.")
    if kind != "portfolio" and (stage or sector):
        raise ReportUsageError("Stage and sector filter the portfolio report only.")
    context = ReportContext(
        lang=language,
        as_of=as_of or desk.db.today(),
        generated_at=None if as_of is not None else datetime.now().replace(microsecond=0),
    )
    progress = on_progress or (lambda done, total, text: None)
    progress(0, 0, "")
    render: Callable[[IO[bytes]], object]
    if kind == "portfolio":
        report = portfolio_report(desk, context, stage=stage, sector=sector, stale_days=stale_days)
        render = partial(
            report_portfolio.render_portfolio,
            report,
            on_progress=on_progress,
            is_cancelled=is_cancelled,
        )
    elif kind == "dossier":
        if not mou_ref:
            raise ReportUsageError("The dossier needs the MoU's reference (--mou REF).")
        dossier = dossier_report(desk, context, mou_ref, stale_days=stale_days)
        render = partial(report_dossier.render_dossier, dossier, is_cancelled=is_cancelled)
    else:
        if not trip_name:
            raise ReportUsageError("The trip report needs the trip's name (--trip NAME).")
        trip = trip_report(desk, context, trip_name)
        render = partial(report_trip.render_trip, trip, is_cancelled=is_cancelled)
    _stop_if(is_cancelled)
    _write_atomically(target, render)
    return target


def _stop_if(is_cancelled: CancelledFn | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise ReportCancelled


def _check_lang(lang: str) -> Lang:
    for known in LANGS:
        if lang == known:
            return known
    raise ReportUsageError(f"Unknown report language {lang!r}; choose en (English) or hi (Hindi).")


def _check_target(path: Path) -> Path:
    path = path.expanduser()
    if path.is_dir():
        raise ReportUsageError(f"{path} is a folder; give the name of the PDF file to write.")
    if not path.parent.is_dir():
        raise ReportUsageError(f"The folder {path.parent} does not exist.")
    return path.absolute()


def _write_atomically(target: Path, render: Callable[[IO[bytes]], object]) -> None:
    """Render into a temporary file in the target's folder, then rename it into place."""
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept on success
            dir=target.parent, prefix=f".{target.stem}-", suffix=".pdf.part", delete=False
        )
    except OSError as exc:
        raise ReportInputError(
            f"Cannot write in {target.parent} ({exc.strerror}). Choose another folder."
        ) from exc
    temp = Path(handle.name)
    try:
        with handle:
            render(handle)
        temp.replace(target)
    except PermissionError as exc:
        raise ReportInputError(
            f"{target.name} cannot be replaced: it may be open in a PDF viewer, or the folder "
            "is read-only. Close the file and try again."
        ) from exc
    except OSError as exc:
        raise ReportInputError(f"{target} could not be written ({exc.strerror}).") from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


# -- the portfolio ---------------------------------------------------------------------------
class _Extra(NamedTuple):
    partner_local: str
    region: str
    realised_paise: int
    proposed_jobs: int
    realised_jobs: int


def _extras(db: Database, flt: MouFilter) -> dict[str, _Extra]:
    """What the MoU grid rows lack: the partner's own-script name, region, realised figures."""
    query = (
        select(
            Mou.id,
            type_coerce(Partner.name_local, String),
            Mou.region,
            type_coerce(Mou.realised_inr, BigInteger),
            Mou.proposed_jobs,
            Mou.realised_jobs,
        )
        .outerjoin(Partner, Partner.id == Mou.lead_partner_id)
        .where(Mou.deleted_at.is_(None))
    )
    if flt.stages:
        query = query.where(type_coerce(Mou.stage, String).in_(sorted(flt.stages)))
    if flt.sectors:
        query = query.where(Mou.sector.in_(sorted(flt.sectors)))
    with db.read() as session:
        rows = session.connection().execute(query).all()
    return {r[0]: _Extra(r[1] or "", r[2] or "", r[3] or 0, r[4] or 0, r[5] or 0) for r in rows}


def _match_sector(db: Database, sector: str) -> str:
    known = distinct_values(db, "sector")
    wanted = " ".join(sector.split()).casefold()
    for value in known:
        if value.casefold() == wanted:
            return value
    shown = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
    raise ReportInputError(f"No MoU has the sector {sector!r}. Sectors in use: {shown or 'none'}.")


def _buckets(
    pairs: Iterable[tuple[str, int]], order: Iterable[str] | None = None
) -> tuple[Bucket, ...]:
    counts: Counter[str] = Counter()
    paise: Counter[str] = Counter()
    for key, amount in pairs:
        counts[key] += 1
        paise[key] += amount
    keys = list(order) if order is not None else sorted(counts)
    return tuple(Bucket(k, counts[k], paise_to_rupees(paise[k])) for k in keys)


def portfolio_report(
    desk: Desk,
    context: ReportContext,
    *,
    stage: str | None = None,
    sector: str | None = None,
    stale_days: Mapping[Stage, int] | None = None,
) -> PortfolioReport:
    """The portfolio's figures, rows and overdue follow-ups as of ``context.as_of``."""
    db = desk.db
    filters: list[tuple[str, str]] = []
    stages: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    if stage:
        stages = frozenset({parse_stage(stage).value})
        filters.append(("stage", next(iter(stages))))
    if sector:
        matched = _match_sector(db, sector)
        sectors = frozenset({matched})
        filters.append(("sector", matched))
    flt = MouFilter(stages=stages, sectors=sectors)
    grid = list_mous(db, flt, order_by="ref")
    extras = _extras(db, flt)
    today = context.as_of
    thresholds = stale_days or DEFAULT_STALE_DAYS
    order = {s.value: s.order for s in Stage}
    rows: list[PortfolioRow] = []
    for r in grid:
        extra = extras.get(r.id) or _Extra("", "", 0, 0, 0)
        current = Stage(r.stage)
        active = r.status == Status.ACTIVE.value
        rows.append(
            PortfolioRow(
                ref=r.ref,
                title=r.title,
                partner=r.lead_partner,
                partner_local=extra.partner_local,
                sector=r.sector,
                district=r.district,
                stage=r.stage,
                status=r.status,
                days_in_stage=days_in_stage(r.stage_since, today),
                proposed_inr=None
                if r.proposed_paise is None
                else paise_to_rupees(r.proposed_paise),
                next_action=r.next_action,
                next_action_due=r.next_action_due,
                overdue=active and r.next_action_due is not None and r.next_action_due < today,
                stale=is_stale(current, Status(r.status), r.last_activity_on, today, thresholds),
            )
        )
    rows.sort(key=lambda row: (order.get(row.stage, 99), row.ref))
    ids = {r.id for r in grid}
    followups = [
        FollowUpLine(f.due_on, f.title, f.owner, f.mou_ref)
        for f in followups_due(db, until=today - timedelta(days=1))
        if (f.mou_id in ids) or (f.mou_id is None and not filters)
    ]
    followups.sort(key=lambda f: (f.due_on, f.mou_ref, f.title, f.owner))
    paise = [(r.id, r.proposed_paise or 0) for r in grid]
    figures = Figures(
        count=len(grid),
        proposed_inr=paise_to_rupees(sum(p for _, p in paise)),
        realised_inr=paise_to_rupees(sum(e.realised_paise for i, e in extras.items() if i in ids)),
        proposed_jobs=sum(e.proposed_jobs for i, e in extras.items() if i in ids),
        realised_jobs=sum(e.realised_jobs for i, e in extras.items() if i in ids),
        by_stage=_buckets(
            ((r.stage, p) for r, (_, p) in zip(grid, paise, strict=True)),
            [s.value for s in Stage] if not stages else sorted(stages),
        ),
        by_status=tuple(
            b for b in _buckets(((r.status, 0) for r in grid), [s.value for s in Status]) if b.count
        ),
        by_sector=_buckets((r.sector, p) for r, (_, p) in zip(grid, paise, strict=True)),
        by_district=_buckets((r.district, p) for r, (_, p) in zip(grid, paise, strict=True)),
        by_region=_buckets(
            ((extras[r.id].region if r.id in extras else ""), p)
            for r, (_, p) in zip(grid, paise, strict=True)
        ),
        overdue_actions=sum(1 for r in rows if r.overdue),
        stale=sum(1 for r in rows if r.stale),
        overdue_followups=len(followups),
    )
    return PortfolioReport(
        context=ReportContext(context.lang, context.as_of, context.generated_at, tuple(filters)),
        figures=figures,
        rows=tuple(rows),
        overdue_followups=tuple(followups),
    )
