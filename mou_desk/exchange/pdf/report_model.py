"""What the report renderers are given: plain, sorted data, no database, no formatting.

The services fill these dataclasses (``mou_desk.services.reports``); the renderers format
money, dates and labels in the report's language. Amounts are exact rupees (Decimal),
dates are dates: nothing here depends on the clock or the language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from mou_desk.exchange.pdf.labels import Lang

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]


@dataclass(frozen=True)
class ReportContext:
    """Facts every report prints in its header and footer."""

    lang: Lang
    as_of: date
    #: when the report was made; None when it is derived from ``as_of`` (reproducible runs)
    generated_at: datetime | None = None
    #: (label key, value) pairs of the filters applied, e.g. ("stage", "proposal")
    filters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Bucket:
    """MoUs of one stage, sector, district or region: how many and how much."""

    key: str
    count: int
    proposed_inr: Decimal


@dataclass(frozen=True)
class Figures:
    """The key figures of a set of MoUs."""

    count: int
    proposed_inr: Decimal
    realised_inr: Decimal
    proposed_jobs: int
    realised_jobs: int
    by_stage: tuple[Bucket, ...]
    by_status: tuple[Bucket, ...]
    by_sector: tuple[Bucket, ...]
    by_district: tuple[Bucket, ...]
    by_region: tuple[Bucket, ...]
    overdue_actions: int
    stale: int
    overdue_followups: int


@dataclass(frozen=True)
class PortfolioRow:
    ref: str
    title: str
    partner: str
    partner_local: str
    sector: str
    district: str
    stage: str
    status: str
    days_in_stage: int
    proposed_inr: Decimal | None
    next_action: str
    next_action_due: date | None
    overdue: bool
    stale: bool


@dataclass(frozen=True)
class FollowUpLine:
    due_on: date
    title: str
    owner: str
    mou_ref: str
    done_on: date | None = None


@dataclass(frozen=True)
class PortfolioReport:
    context: ReportContext
    figures: Figures
    #: sorted by stage (pipeline order), then reference
    rows: tuple[PortfolioRow, ...]
    #: open follow-ups due before the as-of date, oldest first
    overdue_followups: tuple[FollowUpLine, ...]


@dataclass(frozen=True)
class Person:
    name: str
    name_local: str = ""
    designation: str = ""
    organisation: str = ""
    honorific: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PartnerInfo:
    name: str
    name_local: str
    kind: str
    place: str
    lead: bool
    contacts: tuple[Person, ...] = ()
    website: str = ""


@dataclass(frozen=True)
class StageStep:
    on: date
    from_stage: str | None
    to_stage: str
    from_status: str | None
    to_status: str
    reason: str
    actor: str


@dataclass(frozen=True)
class Meeting:
    held_on: date
    title: str
    kind: str
    place: str
    discussion: str
    partners: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    officers: tuple[str, ...] = ()
    mou_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttachmentLine:
    file_name: str
    size: int
    description: str


@dataclass(frozen=True)
class ChangeLine:
    at: datetime
    actor: str
    origin: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class DossierReport:
    context: ReportContext
    ref: str
    title: str
    stage: str
    status: str
    #: (label key, value as text) in display order; money and dates already formatted
    fields: tuple[tuple[str, str], ...]
    notes: str
    partners: tuple[PartnerInfo, ...]
    history: tuple[StageStep, ...]
    meetings: tuple[Meeting, ...]
    followups: tuple[FollowUpLine, ...]
    attachments: tuple[AttachmentLine, ...]
    changes: tuple[ChangeLine, ...]
    overdue: bool = False
    stale: bool = False


@dataclass(frozen=True)
class TouchedMou:
    ref: str
    title: str
    partner: str
    partner_local: str
    stage: str
    status: str
    proposed_inr: Decimal | None
    next_action: str
    next_action_due: date | None


@dataclass(frozen=True)
class TripReport:
    context: ReportContext
    name: str
    country: str
    start_on: date | None
    end_on: date | None
    notes: str
    meetings: tuple[Meeting, ...]
    mous: tuple[TouchedMou, ...]
    followups: tuple[FollowUpLine, ...]
    partner_count: int = 0
