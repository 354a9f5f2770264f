"""The stage pipeline (discussion -> proposal -> signing -> investment) and the status beside it:
the names, their order, and how long an MoU has been in its stage and whether it is stale
("stale" comes from the last activity, time in stage from the last stage change).

What a stage or status change needs is in stage_rules. This module is on the way to the
desktop's first frame (the MoU table shows stages), so the rules' request types, dataclasses at
~0.7 ms each to create, live there (tests/ui/test_start_imports.py).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date

from mou_desk.domain.errors import ValidationError


class Stage(enum.StrEnum):
    DISCUSSION = "discussion"
    PROPOSAL = "proposal"
    SIGNING = "signing"
    INVESTMENT = "investment"

    @property
    def order(self) -> int:
        return list(Stage).index(self)

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Status(enum.StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on hold"
    DROPPED = "dropped"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Milestone(enum.StrEnum):
    """Steps of the investment stage, each recorded with its date."""

    LAND_ALLOTTED = "land_allotted"
    GROUND_BREAKING = "ground_breaking"
    COMMERCIAL_PRODUCTION = "commercial_production"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


DEFAULT_STALE_DAYS: Mapping[Stage, int] = {
    Stage.DISCUSSION: 60,
    Stage.PROPOSAL: 45,
    Stage.SIGNING: 30,
    Stage.INVESTMENT: 90,
}


def parse_stage(text: str) -> Stage:
    """Accept a stage as a clerk types it: any case and spacing."""
    key = " ".join(str(text).split()).lower()
    for stage in Stage:
        if key in (stage.value, stage.label.lower()):
            return stage
    names = ", ".join(s.value for s in Stage)
    raise ValidationError({"stage": f"{text!r} is not a stage; use one of {names}."})


def parse_status(text: str) -> Status:
    key = " ".join(str(text).replace("_", " ").replace("-", " ").split()).lower()
    for status in Status:
        if key == status.value:
            return status
    names = ", ".join(s.value for s in Status)
    raise ValidationError({"status": f"{text!r} is not a status; use one of {names}."})


def days_in_stage(stage_since: date, today: date) -> int:
    return max(0, (today - stage_since).days)


def is_stale(
    stage: Stage,
    status: Status,
    last_activity: date,
    today: date,
    thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS,
) -> bool:
    """Active MoUs with no activity for longer than their stage's threshold are stale."""
    if status != Status.ACTIVE:
        return False
    return (today - last_activity).days > thresholds[stage]
