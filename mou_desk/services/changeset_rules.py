"""The rules a proposed row must keep: the services' own validation, references and stages.

Called by the planner for new and changed rows only. Every problem is returned as
field -> message (the field may be "" for the row as a whole), never raised, so that all the
problems of a workbook can be shown at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy.orm import Session

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.stage_rules import (
    MouFacts,
    StageChange,
    check_milestone,
    check_stage_change,
    check_status_change,
)
from mou_desk.domain.stages import Milestone, Stage, Status
from mou_desk.services.common import RecordService
from mou_desk.services.mous import MILESTONE_FIELDS, PIPELINE_FIELDS
from mou_desk.storage.base import Record

#: names the stage rules use for what is not a field, mapped to the field a clerk fixes
PROBLEM_FIELDS: Mapping[str, str] = {
    "date": "stage_since",
    "reason": "stage",
    "investment": "realised_inr",
    "signed_on": "signed_on_ours",
    **{m.value: f for m, f in MILESTONE_FIELDS.items()},
}
REASON_HINT = " Write why in the row's 'Reason for change' column."
#: stands in for the reference a new MoU is given when it is written
UNNUMBERED = "(new)"


def field_title(record_type: str, name: str) -> str:
    """The name a clerk knows a field by: its workbook header ("Valid until")."""
    from mou_desk.exchange.workbook_layout import LAYOUT_BY_TYPE

    layout = LAYOUT_BY_TYPE.get(record_type)
    for column in layout.columns if layout else ():
        if column.field == name:
            return column.header
    return name.removesuffix("_id").replace("_", " ").capitalize()


def service_problems(
    session: Session,
    service: RecordService,
    values: Mapping[str, Any],
    record_id: str | None,
    current: Mapping[str, Any] | None,
) -> dict[str, str]:
    """What the record's service would refuse (required fields, formats, derived money)."""
    problems: dict[str, str] = {}
    if record_id is None:
        for name in service.required:
            if not str(values.get(name) or "").strip():
                problems[name] = "is required for a new row"
    else:
        for name in service.required:
            if name in values and not str(values[name] or "").strip():
                problems[name] = "cannot be emptied"
    checked = {k: v for k, v in values.items() if k not in PIPELINE_FIELDS or record_id is None}
    try:
        service.validate(session, checked, record_id)
    except ValidationError as exc:
        problems.update({k: v for k, v in exc.problems.items() if k not in problems})
    prepared = dict(values)
    if record_id is None and service.record_type == "mou" and not prepared.get("ref"):
        # MouService.prepare numbers a new MoU by looking up the year's last reference (a scan
        # of every MoU); the number is given when the row is written, checking needs none.
        prepared["ref"] = UNNUMBERED
    try:
        now = None if current is None else cast(Record, SimpleNamespace(**current))
        service.prepare(session, prepared, now)
    except ValidationError as exc:
        problems.update({k: v for k, v in exc.problems.items() if k not in problems})
    except (ArithmeticError, ValueError, TypeError) as exc:
        problems.setdefault("", f"The values cannot be combined: {exc}")
    return problems


def _stage(value: Any) -> Stage:
    return value if isinstance(value, Stage) else Stage(str(value))


def _status(value: Any) -> Status:
    return value if isinstance(value, Status) else Status(str(value))


def pipeline_problems(
    changed: Mapping[str, Any], current: Mapping[str, Any], reason: str, today: date
) -> dict[str, str]:
    """Stage, status and milestone changes of an existing MoU, under the stage rules."""
    problems: dict[str, str] = {}
    try:
        stage = _stage(current["stage"])
        status = _status(current["status"])
        new_stage = _stage(changed["stage"]) if "stage" in changed else None
        new_status = _status(changed["status"]) if "status" in changed else None
    except ValueError as exc:
        return {"stage": str(exc)}
    if "stage_since" in changed and new_stage is None:
        problems["stage_since"] = (
            "Stage since changes only together with the stage; put back the old date, or "
            "change the stage too."
        )
    signed = changed.get("signed_on_ours", current.get("signed_on_ours"))
    money = changed.get("realised_inr", current.get("realised_inr")) or current.get("proposed_inr")
    reactivating = new_status in (Status.ACTIVE, Status.ON_HOLD) and status in (
        Status.DROPPED,
        Status.COMPLETED,
    )
    if new_status is not None and (reactivating or new_stage is None):
        problems.update(_status_problems(status, new_status, reason))
        status = new_status
        new_status = None
    if new_stage is not None:
        change = StageChange(
            to_stage=new_stage,
            on=changed.get("stage_since") or today,
            reason=reason,
            signed_on=changed.get("signed_on_ours"),
            investment_inr=changed.get("realised_inr"),
        )
        facts = MouFacts(stage, status, signed, Decimal(money) if money is not None else None)
        try:
            check_stage_change(facts, change, today)
        except ValidationError as exc:
            for key, message in exc.problems.items():
                hint = REASON_HINT if key == "reason" else ""
                problems.setdefault(PROBLEM_FIELDS.get(key, key), message + hint)
        stage = new_stage
    if new_status is not None:
        problems.update(_status_problems(status, new_status, reason))
    for milestone, name in MILESTONE_FIELDS.items():
        on = changed.get(name)
        if name in changed and on is not None:
            try:
                check_milestone(stage, Milestone(milestone), on, today)
            except ValidationError as exc:
                for message in exc.problems.values():
                    problems.setdefault(name, message)
    return problems


def _status_problems(current: Status, new: Status, reason: str) -> dict[str, str]:
    try:
        check_status_change(current, new, reason)
    except ValidationError as exc:
        return {
            "status": " ".join(
                message + (REASON_HINT if key == "reason" else "")
                for key, message in exc.problems.items()
            )
        }
    return {}
