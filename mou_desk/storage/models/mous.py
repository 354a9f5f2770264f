"""The partnership being tracked, from first talk to money on the ground."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from mou_desk.domain.stages import Stage, Status
from mou_desk.storage.base import Base, ExactDecimal, Paise, Record, long_text
from mou_desk.storage.models.people import enum_column


class DocType(enum.StrEnum):
    MOU = "MoU"
    MOC = "MoC"
    LOI = "LoI"


class Priority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Mou(Record):
    __tablename__ = "mous"
    __table_args__ = (
        Index(None, "stage"),
        Index(None, "sector"),
        Index(None, "district"),
        Index(None, "lead_partner_id"),
        Index(None, "next_action_due"),
    )
    record_type = "mou"

    ref: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    lead_partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), default=None)
    sector: Mapped[str] = mapped_column(String(80), default="")
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.DISCUSSION)
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.ACTIVE)
    doc_type: Mapped[DocType] = mapped_column(enum_column(DocType, 8), default=DocType.MOU)

    # Proposed investment as entered (amount, currency, rate fixed on a date) and in rupees.
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal, default=None)
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    rate_to_inr: Mapped[Decimal | None] = mapped_column(ExactDecimal, default=None)
    rate_date: Mapped[date | None] = mapped_column(default=None)
    proposed_inr: Mapped[Decimal | None] = mapped_column(Paise, default=None)
    proposed_jobs: Mapped[int | None] = mapped_column(default=None)
    realised_inr: Mapped[Decimal | None] = mapped_column(Paise, default=None)
    realised_jobs: Mapped[int | None] = mapped_column(default=None)

    district: Mapped[str] = mapped_column(String(80), default="")
    region: Mapped[str] = mapped_column(String(80), default="")
    policy: Mapped[str] = mapped_column(String(120), default="")
    nodal_officer_id: Mapped[str | None] = mapped_column(ForeignKey("officers.id"), default=None)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority, 8), default=Priority.MEDIUM)

    signed_on_ours: Mapped[date | None] = mapped_column(default=None)
    signed_on_partner: Mapped[date | None] = mapped_column(default=None)
    valid_until: Mapped[date | None] = mapped_column(default=None)
    next_action: Mapped[str] = mapped_column(String(300), default="")
    next_action_due: Mapped[date | None] = mapped_column(default=None)
    tags: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[long_text]

    # Kept in step by the stage service: the grid shows days in stage and stale without joins.
    stage_since: Mapped[date] = mapped_column(default=date.today)
    last_activity_on: Mapped[date] = mapped_column(default=date.today)

    # Milestones of the investment stage.
    land_allotted_on: Mapped[date | None] = mapped_column(default=None)
    ground_breaking_on: Mapped[date | None] = mapped_column(default=None)
    commercial_production_on: Mapped[date | None] = mapped_column(default=None)


# Partners of an MoU besides the lead. The list travels as the MoU's "partner_ids" field.
mou_partners = Table(
    "mou_partners",
    Base.metadata,
    Column("mou_id", ForeignKey("mous.id"), primary_key=True),
    Column("partner_id", ForeignKey("partners.id"), primary_key=True),
)
