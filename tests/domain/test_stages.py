"""Every rule of the stage pipeline, pinned down."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.stage_rules import (
    MouFacts,
    StageChange,
    check_milestone,
    check_stage_change,
    check_status_change,
)
from mou_desk.domain.stages import (
    DEFAULT_STALE_DAYS,
    Milestone,
    Stage,
    Status,
    days_in_stage,
    is_stale,
    parse_stage,
    parse_status,
)

TODAY = date(2026, 11, 22)


def facts(
    stage: Stage = Stage.DISCUSSION, status: Status = Status.ACTIVE, **kw: object
) -> MouFacts:
    return MouFacts(stage, status, **kw)  # type: ignore[arg-type]


def problems(f: MouFacts, change: StageChange) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        check_stage_change(f, change, TODAY)
    return caught.value.problems


def test_forward_move_needs_no_reason() -> None:
    check_stage_change(facts(), StageChange(Stage.PROPOSAL, TODAY), TODAY)


def test_back_dating_is_allowed_but_the_future_is_not() -> None:
    check_stage_change(facts(), StageChange(Stage.PROPOSAL, TODAY - timedelta(days=300)), TODAY)
    assert "date" in problems(facts(), StageChange(Stage.PROPOSAL, TODAY + timedelta(days=1)))


def test_moving_back_needs_a_reason() -> None:
    current = facts(Stage.SIGNING, signed_on=date(2026, 1, 1))
    assert "reason" in problems(current, StageChange(Stage.PROPOSAL, TODAY, "  "))
    check_stage_change(current, StageChange(Stage.PROPOSAL, TODAY, "Terms reopened"), TODAY)


def test_change_cannot_predate_the_current_stage() -> None:
    current = facts(Stage.PROPOSAL, stage_since=date(2026, 5, 1))
    assert "date" in problems(
        current, StageChange(Stage.SIGNING, date(2026, 4, 30), signed_on=TODAY)
    )
    check_stage_change(
        current, StageChange(Stage.SIGNING, date(2026, 5, 1), signed_on=TODAY), TODAY
    )


def test_same_stage_is_refused() -> None:
    assert "stage" in problems(facts(Stage.PROPOSAL), StageChange(Stage.PROPOSAL, TODAY))


def test_signing_needs_the_signed_date() -> None:
    found = problems(facts(Stage.PROPOSAL), StageChange(Stage.SIGNING, TODAY))
    assert "signed" in found["signed_on"]
    check_stage_change(
        facts(Stage.PROPOSAL), StageChange(Stage.SIGNING, TODAY, signed_on=TODAY), TODAY
    )


def test_signed_date_cannot_be_in_the_future() -> None:
    change = StageChange(Stage.SIGNING, TODAY, signed_on=TODAY + timedelta(days=3))
    assert "signed_on" in problems(facts(Stage.PROPOSAL), change)


def test_investment_needs_an_amount_and_a_signed_date() -> None:
    found = problems(facts(Stage.PROPOSAL), StageChange(Stage.INVESTMENT, TODAY))
    assert {"investment", "signed_on"} <= set(found)
    signed = facts(Stage.SIGNING, signed_on=date(2026, 2, 1))
    assert "investment" in problems(signed, StageChange(Stage.INVESTMENT, TODAY))
    ok = StageChange(Stage.INVESTMENT, TODAY, investment_inr=Decimal("1000000"))
    check_stage_change(signed, ok, TODAY)


def test_investment_amount_already_known_suffices() -> None:
    known = facts(Stage.SIGNING, signed_on=date(2026, 2, 1), investment_inr=Decimal(5))
    check_stage_change(known, StageChange(Stage.INVESTMENT, TODAY), TODAY)


def test_milestones_belong_to_investment_and_not_the_future() -> None:
    signed = facts(Stage.SIGNING, signed_on=date(2026, 2, 1), investment_inr=Decimal(5))
    future = {Milestone.LAND_ALLOTTED: TODAY + timedelta(days=1)}
    assert "land_allotted" in problems(
        signed, StageChange(Stage.INVESTMENT, TODAY, milestones=future)
    )
    early = {Milestone.GROUND_BREAKING: TODAY}
    assert "ground_breaking" in problems(
        facts(), StageChange(Stage.PROPOSAL, TODAY, milestones=early)
    )
    with pytest.raises(ValidationError):
        check_milestone(Stage.SIGNING, Milestone.COMMERCIAL_PRODUCTION, TODAY, TODAY)
    check_milestone(Stage.INVESTMENT, Milestone.COMMERCIAL_PRODUCTION, TODAY, TODAY)


@pytest.mark.parametrize("status", [Status.DROPPED, Status.COMPLETED])
def test_closed_mous_do_not_move(status: Status) -> None:
    assert "status" in problems(facts(status=status), StageChange(Stage.PROPOSAL, TODAY))


def test_dropping_or_holding_needs_a_reason() -> None:
    for status in (Status.DROPPED, Status.ON_HOLD):
        with pytest.raises(ValidationError):
            check_status_change(Status.ACTIVE, status, "")
        check_status_change(Status.ACTIVE, status, "Partner withdrew")
    check_status_change(Status.ON_HOLD, Status.ACTIVE, "")
    with pytest.raises(ValidationError):
        check_status_change(Status.ACTIVE, Status.ACTIVE, "x")


def test_every_problem_is_reported_at_once() -> None:
    found = problems(facts(Stage.PROPOSAL), StageChange(Stage.INVESTMENT, TODAY + timedelta(1)))
    assert {"date", "signed_on", "investment"} <= set(found)


def test_time_in_stage_and_stale_thresholds() -> None:
    assert days_in_stage(TODAY - timedelta(days=12), TODAY) == 12
    assert days_in_stage(TODAY + timedelta(days=2), TODAY) == 0
    assert DEFAULT_STALE_DAYS == {
        Stage.DISCUSSION: 60, Stage.PROPOSAL: 45, Stage.SIGNING: 30, Stage.INVESTMENT: 90
    }  # fmt: skip
    for stage, days in DEFAULT_STALE_DAYS.items():
        assert not is_stale(stage, Status.ACTIVE, TODAY - timedelta(days=days), TODAY)
        assert is_stale(stage, Status.ACTIVE, TODAY - timedelta(days=days + 1), TODAY)
    assert not is_stale(Stage.PROPOSAL, Status.ON_HOLD, date(2020, 1, 1), TODAY)
    custom = {**DEFAULT_STALE_DAYS, Stage.PROPOSAL: 10}
    assert is_stale(Stage.PROPOSAL, Status.ACTIVE, TODAY - timedelta(days=11), TODAY, custom)


@pytest.mark.parametrize("text", ["proposal", " Proposal ", "PROPOSAL"])
def test_parse_stage_any_case(text: str) -> None:
    assert parse_stage(text) is Stage.PROPOSAL


def test_parse_refuses_unknown_values() -> None:
    with pytest.raises(ValidationError):
        parse_stage("negotiation")
    assert parse_status("on_hold") is Status.ON_HOLD
    assert parse_status("On Hold") is Status.ON_HOLD
    with pytest.raises(ValidationError):
        parse_status("paused")
