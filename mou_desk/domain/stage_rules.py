"""What a stage or status change needs, each rule pinned down in tests/domain/test_stages.py:
- a stage change records its date (back-dating allowed, the future never), who and why;
- moving back, dropping or putting on hold needs a reason;
- reaching signing needs the signed date; reaching investment needs an investment amount;
- milestones belong to the investment stage and are never dated in the future.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.stages import Milestone, Stage, Status


@dataclass(frozen=True)
class MouFacts:
    """What the stage rules need to know about an MoU."""

    stage: Stage
    status: Status
    signed_on: date | None = None
    investment_inr: Decimal | None = None
    #: when the current stage began; a change cannot be dated before it
    stage_since: date | None = None


@dataclass(frozen=True)
class StageChange:
    """A request to move an MoU to a stage (and possibly a status) on a date, for a reason."""

    to_stage: Stage
    on: date
    reason: str = ""
    signed_on: date | None = None
    investment_inr: Decimal | None = None
    milestones: Mapping[Milestone, date] = field(default_factory=dict)


def check_stage_change(facts: MouFacts, change: StageChange, today: date) -> None:
    """Raise ValidationError naming every rule the change breaks."""
    problems: dict[str, str] = {}
    if change.on > today:
        problems["date"] = "A stage change cannot be dated in the future."
    elif facts.stage_since is not None and change.on < facts.stage_since:
        problems["date"] = (
            f"The MoU reached {facts.stage.label} on {facts.stage_since:%d-%m-%Y}; "
            "the change cannot be dated before that."
        )
    if change.to_stage == facts.stage:
        problems["stage"] = f"The MoU is already at {facts.stage.label}."
    moving_back = change.to_stage.order < facts.stage.order
    if moving_back and not change.reason.strip():
        problems["reason"] = (
            f"Moving back from {facts.stage.label} to {change.to_stage.label} needs a reason."
        )
    if facts.status in (Status.DROPPED, Status.COMPLETED):
        problems["status"] = (
            f"The MoU is {facts.status.value}; reactivate it before changing its stage."
        )
    reaches_signing = change.to_stage.order >= Stage.SIGNING.order
    signed_on = change.signed_on or facts.signed_on
    if reaches_signing and signed_on is None:
        problems["signed_on"] = "Reaching signing needs the date the MoU was signed."
    if signed_on is not None and signed_on > today:
        problems["signed_on"] = "The signed date cannot be in the future."
    if change.to_stage == Stage.INVESTMENT:
        amount = (
            change.investment_inr if change.investment_inr is not None else facts.investment_inr
        )
        if amount is None or amount <= 0:
            problems["investment"] = "Reaching investment needs the investment amount."
    for milestone, on in change.milestones.items():
        if change.to_stage != Stage.INVESTMENT and facts.stage != Stage.INVESTMENT:
            problems[milestone.value] = "Milestones belong to the investment stage."
        elif on > today:
            problems[milestone.value] = f"{milestone.label} cannot be dated in the future."
    if problems:
        raise ValidationError(problems)


def check_status_change(current: Status, new: Status, reason: str) -> None:
    if new == current:
        raise ValidationError({"status": f"The MoU is already {current.value}."})
    if new in (Status.DROPPED, Status.ON_HOLD) and not reason.strip():
        raise ValidationError({"reason": f"Marking an MoU {new.value} needs a reason."})


def check_milestone(stage: Stage, milestone: Milestone, on: date, today: date) -> None:
    if stage != Stage.INVESTMENT:
        raise ValidationError({milestone.value: "Milestones belong to the investment stage."})
    if on > today:
        raise ValidationError({milestone.value: f"{milestone.label} cannot be in the future."})
