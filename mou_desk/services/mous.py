"""MoUs: references, money in rupees, the stage pipeline and its history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.money import Currency, to_inr
from mou_desk.domain.stage_rules import (
    MouFacts,
    StageChange,
    check_milestone,
    check_stage_change,
    check_status_change,
)
from mou_desk.domain.stages import Milestone, Stage, Status
from mou_desk.services import records
from mou_desk.services.common import RecordData, RecordService, to_data
from mou_desk.storage.base import Record
from mou_desk.storage.models import Mou, Partner, StageEvent

#: changed only through change_stage / change_status / set_milestone, which apply the rules
PIPELINE_FIELDS = frozenset(
    {
        "stage",
        "status",
        "stage_since",
        "land_allotted_on",
        "ground_breaking_on",
        "commercial_production_on",
    }
)
MILESTONE_FIELDS = {
    Milestone.LAND_ALLOTTED: "land_allotted_on",
    Milestone.GROUND_BREAKING: "ground_breaking_on",
    Milestone.COMMERCIAL_PRODUCTION: "commercial_production_on",
}


@dataclass(frozen=True)
class StageHistoryRow:
    effective_on: date
    from_stage: Stage | None
    to_stage: Stage
    from_status: Status | None
    to_status: Status
    reason: str
    actor: str


def next_ref(session: Session, year: int) -> str:
    prefix = f"UP-MOU-{year}-"
    last = session.scalar(select(func.max(Mou.ref)).where(Mou.ref.like(prefix + "%")))
    number = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{number:05d}"


class MouService(RecordService):
    record_type = "mou"
    required = ("title",)

    def validate(self, session: Session, values: Mapping[str, Any], record_id: str | None) -> None:
        super().validate(session, values, record_id)
        if record_id is not None and PIPELINE_FIELDS & set(values):
            names = ", ".join(sorted(PIPELINE_FIELDS & set(values)))
            raise ValidationError({"stage": f"Change {names} through a stage or status change."})
        problems: dict[str, str] = {}
        ref = values.get("ref")
        if ref:
            clash = session.scalar(
                select(Mou.id).where(Mou.ref == ref, Mou.id != (record_id or ""))
            )
            if clash:
                problems["ref"] = f"Reference {ref} is already used by another MoU."
        if "currency" in values and values["currency"] not in {c.value for c in Currency}:
            problems["currency"] = f"{values['currency']!r} is not a known currency."
        for name in ("amount", "rate_to_inr", "realised_inr", "proposed_inr"):
            value = values.get(name)
            if value is not None and Decimal(value) < 0:
                problems[name] = "cannot be negative"
        for name in ("proposed_jobs", "realised_jobs"):
            value = values.get(name)
            if value is not None and int(value) < 0:
                problems[name] = "cannot be negative"
        partner = values.get("lead_partner_id")
        if partner and session.get(Partner, partner) is None:
            problems["lead_partner_id"] = "No such partner."
        signed = values.get("signed_on_ours")
        valid_until = values.get("valid_until")
        if signed and valid_until and valid_until < signed:
            problems["valid_until"] = "The MoU cannot expire before it was signed."
        if problems:
            raise ValidationError(problems)

    def prepare(self, session: Session, values: dict[str, Any], current: Record | None) -> None:
        if current is None and not values.get("ref"):
            values["ref"] = next_ref(session, self.db.today().year)
        if not {"amount", "currency", "rate_to_inr"} & set(values):
            return
        amount = values.get("amount", getattr(current, "amount", None))
        currency = values.get("currency", getattr(current, "currency", "INR")) or "INR"
        rate = values.get("rate_to_inr", getattr(current, "rate_to_inr", None))
        if currency == "INR":
            rate = Decimal(1)
            values["rate_to_inr"] = rate
        if amount is None:
            values["proposed_inr"] = None
        elif rate is None:
            raise ValidationError(
                {"rate_to_inr": f"Give the rate from {currency} to INR and its date."}
            )
        else:
            values["proposed_inr"] = to_inr(Decimal(amount), Decimal(rate))
            if "rate_date" not in values and getattr(current, "rate_date", None) is None:
                values["rate_date"] = self.db.today()

    def after_create(self, session: Session, record: Record, values: Mapping[str, Any]) -> None:
        assert isinstance(record, Mou)
        session.add(
            StageEvent(
                mou_id=record.id,
                from_stage=None,
                to_stage=record.stage,
                from_status=None,
                to_status=record.status,
                effective_on=record.stage_since,
                reason="Recorded",
                actor=self.db.clerk,
            )
        )

    def by_ref(self, ref: str) -> RecordData:
        with self.db.read() as session:
            record_id = session.scalar(select(Mou.id).where(Mou.ref == ref))
        if record_id is None:
            raise ValidationError({"ref": f"No MoU has the reference {ref}."})
        return self.get(record_id)

    def change_stage(self, mou_id: str, change: StageChange, base_version: int) -> RecordData:
        """Move an MoU along the pipeline, applying the rules and recording the history."""
        with self.db.write() as session:
            mou = records.get_live(session, "mou", mou_id, lock=True)
            assert isinstance(mou, Mou)
            facts = MouFacts(
                mou.stage,
                mou.status,
                mou.signed_on_ours,
                mou.realised_inr or mou.proposed_inr,
                mou.stage_since,
            )
            check_stage_change(facts, change, self.db.today())
            updates: dict[str, Any] = {"stage": change.to_stage, "stage_since": change.on}
            if change.signed_on is not None:
                updates["signed_on_ours"] = change.signed_on
            if change.investment_inr is not None:
                updates["realised_inr"] = change.investment_inr
            for milestone, on in change.milestones.items():
                updates[MILESTONE_FIELDS[milestone]] = on
            updates["last_activity_on"] = max(change.on, mou.last_activity_on)
            session.add(
                StageEvent(
                    mou_id=mou_id,
                    from_stage=mou.stage,
                    to_stage=change.to_stage,
                    from_status=mou.status,
                    to_status=mou.status,
                    effective_on=change.on,
                    reason=change.reason.strip(),
                    actor=self.db.clerk,
                )
            )
            record = records.update(session, self.actor(), "mou", mou_id, updates, base_version)
            return to_data(session, record)

    def change_status(
        self, mou_id: str, status: Status, reason: str, on: date, base_version: int
    ) -> RecordData:
        with self.db.write() as session:
            mou = records.get_live(session, "mou", mou_id, lock=True)
            assert isinstance(mou, Mou)
            check_status_change(mou.status, status, reason)
            if on > self.db.today():
                raise ValidationError({"date": "A status change cannot be dated in the future."})
            session.add(
                StageEvent(
                    mou_id=mou_id,
                    from_stage=mou.stage,
                    to_stage=mou.stage,
                    from_status=mou.status,
                    to_status=status,
                    effective_on=on,
                    reason=reason.strip(),
                    actor=self.db.clerk,
                )
            )
            updates = {"status": status, "last_activity_on": max(on, mou.last_activity_on)}
            record = records.update(session, self.actor(), "mou", mou_id, updates, base_version)
            return to_data(session, record)

    def set_milestone(
        self, mou_id: str, milestone: Milestone, on: date, base_version: int
    ) -> RecordData:
        with self.db.write() as session:
            mou = records.get_live(session, "mou", mou_id, lock=True)
            assert isinstance(mou, Mou)
            check_milestone(mou.stage, milestone, on, self.db.today())
            updates = {
                MILESTONE_FIELDS[milestone]: on,
                "last_activity_on": max(on, mou.last_activity_on),
            }
            record = records.update(session, self.actor(), "mou", mou_id, updates, base_version)
            return to_data(session, record)

    def stage_history(self, mou_id: str) -> list[StageHistoryRow]:
        with self.db.read() as session:
            events = session.scalars(
                select(StageEvent)
                .where(StageEvent.mou_id == mou_id)
                .order_by(StageEvent.recorded_at, StageEvent.effective_on)
            )
            return [
                StageHistoryRow(
                    e.effective_on,
                    e.from_stage,
                    e.to_stage,
                    e.from_status,
                    e.to_status,
                    e.reason,
                    e.actor,
                )
                for e in events
            ]

    def touch(self, mou_id: str, on: date) -> None:
        """Record activity (a meeting, a follow-up) so the MoU is not flagged stale."""
        with self.db.write() as session:
            mou = records.get_live(session, "mou", mou_id, lock=True)
            assert isinstance(mou, Mou)
            if on > mou.last_activity_on:
                changes = {"last_activity_on": on}
                records.update(session, self.actor(), "mou", mou_id, changes, mou.version)
