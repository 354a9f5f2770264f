"""MoU rules through the service: references, money in rupees, stages and their history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Milestone, Stage, Status
from mou_desk.services.desk import Desk


def test_reference_is_made_when_blank_and_must_be_unique(desk: Desk) -> None:
    first = desk.mous.create({"title": "One"})
    second = desk.mous.create({"title": "Two"})
    year = date.today().year
    assert first["ref"] == f"UP-MOU-{year}-00001" and second["ref"] == f"UP-MOU-{year}-00002"
    with pytest.raises(ValidationError) as caught:
        desk.mous.create({"title": "Three", "ref": first["ref"]})
    assert "ref" in caught.value.problems
    assert desk.mous.by_ref(second["ref"]).id == second.id


def test_foreign_amount_is_kept_as_entered_and_in_rupees(desk: Desk) -> None:
    mou = desk.mous.create({
        "title": "Magnets", "amount": Decimal("2000000000"), "currency": "JPY",
        "rate_to_inr": Decimal("0.5712"), "rate_date": date(2025, 7, 30),
    })  # fmt: skip
    assert mou["amount"] == Decimal("2000000000") and mou["currency"] == "JPY"
    assert mou["proposed_inr"] == Decimal("1142400000.00")
    assert mou["rate_date"] == date(2025, 7, 30)
    later = desk.mous.update(mou.id, {"amount": Decimal("3000000000")}, mou.version)
    assert later["proposed_inr"] == Decimal("1713600000.00")  # rate fixed when entered


def test_rupee_amount_has_rate_one_and_foreign_needs_a_rate(desk: Desk) -> None:
    mou = desk.mous.create({"title": "Park", "amount": Decimal("3500000000"), "currency": "INR"})
    assert mou["rate_to_inr"] == Decimal(1) and mou["proposed_inr"] == Decimal("3500000000")
    with pytest.raises(ValidationError) as caught:
        desk.mous.create({"title": "No rate", "amount": Decimal(5), "currency": "USD"})
    assert "rate_to_inr" in caught.value.problems
    with pytest.raises(ValidationError):
        desk.mous.create({"title": "Bad", "currency": "XYZ"})
    with pytest.raises(ValidationError):
        desk.mous.create({"title": "Negative", "amount": Decimal(-5), "currency": "INR"})


def test_stage_and_status_change_only_through_the_rules(desk: Desk) -> None:
    mou = desk.mous.create({"title": "Cluster"})
    with pytest.raises(ValidationError):
        desk.mous.update(mou.id, {"stage": "signing"}, mou.version)


def test_pipeline_walk_records_history_with_dates_reasons_and_clerk(desk: Desk) -> None:
    today = date.today()
    mou = desk.mous.create({"title": "Battery lab", "amount": Decimal(10**9), "currency": "INR",
                            "stage_since": today - timedelta(days=90)})  # fmt: skip
    with pytest.raises(ValidationError) as early:
        desk.mous.change_stage(mou.id, StageChange(Stage.PROPOSAL, today - timedelta(days=91)), 1)
    assert "before" in early.value.problems["date"]
    step = desk.mous.change_stage(
        mou.id, StageChange(Stage.PROPOSAL, today - timedelta(days=40)), mou.version
    )
    assert step["stage"] is Stage.PROPOSAL and step["stage_since"] == today - timedelta(days=40)
    with pytest.raises(ValidationError) as caught:
        desk.mous.change_stage(mou.id, StageChange(Stage.SIGNING, today), step.version)
    assert "signed_on" in caught.value.problems
    signed = desk.mous.change_stage(
        mou.id, StageChange(Stage.SIGNING, today, signed_on=today - timedelta(days=1)), step.version
    )
    assert signed["signed_on_ours"] == today - timedelta(days=1)
    invested = desk.mous.change_stage(
        mou.id,
        StageChange(Stage.INVESTMENT, today, investment_inr=Decimal(5 * 10**8),
                    milestones={Milestone.LAND_ALLOTTED: today}),
        signed.version,
    )  # fmt: skip
    assert invested["realised_inr"] == Decimal(5 * 10**8)
    assert invested["land_allotted_on"] == today
    later = desk.mous.set_milestone(mou.id, Milestone.GROUND_BREAKING, today, invested.version)
    assert later["ground_breaking_on"] == today
    back = desk.mous.change_stage(
        mou.id, StageChange(Stage.SIGNING, today, "Land dispute"), later.version
    )
    history = desk.mous.stage_history(mou.id)
    assert [h.to_stage for h in history] == [
        Stage.DISCUSSION, Stage.PROPOSAL, Stage.SIGNING, Stage.INVESTMENT, Stage.SIGNING
    ]  # fmt: skip
    assert history[-1].reason == "Land dispute" and history[-1].actor == "Test Clerk"
    assert back["stage"] is Stage.SIGNING


def test_status_change_needs_reason_and_closed_mous_do_not_move(desk: Desk) -> None:
    mou = desk.mous.create({"title": "Skills"})
    with pytest.raises(ValidationError):
        desk.mous.change_status(mou.id, Status.DROPPED, "", date.today(), mou.version)
    dropped = desk.mous.change_status(
        mou.id, Status.DROPPED, "Partner withdrew", date.today(), mou.version
    )
    assert dropped["status"] is Status.DROPPED
    with pytest.raises(ValidationError):
        desk.mous.change_stage(mou.id, StageChange(Stage.PROPOSAL, date.today()), dropped.version)
    assert desk.mous.stage_history(mou.id)[-1].to_status is Status.DROPPED


def test_meeting_about_an_mou_counts_as_activity(desk: Desk) -> None:
    old = date.today() - timedelta(days=200)
    mou = desk.mous.create({"title": "Quiet", "stage_since": old, "last_activity_on": old})
    desk.engagements.create({"title": "Call", "held_on": date.today(), "mou_ids": [mou.id]})
    assert desk.mous.get(mou.id)["last_activity_on"] == date.today()


def test_followups_and_attachments(desk: Desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    mou = desk.mous.create({"title": "Docs"})
    task = desk.followups.create({"title": "Send draft", "due_on": date.today(), "mou_id": mou.id})
    done = desk.followups.mark_done(task.id, date.today(), task.version)
    assert done["done_on"] == date.today()
    with pytest.raises(ValidationError):
        desk.followups.mark_done(task.id, date.today() + timedelta(days=1), done.version)
    with pytest.raises(ValidationError):
        desk.followups.create({"title": "No date"})
    signed = tmp_path / "signed MoU.pdf"
    signed.write_bytes(b"%PDF-1.4 signed copy")
    attachment = desk.attachments.add_file(signed, mou_id=mou.id)
    assert attachment["size"] == 20 and len(attachment["sha256"]) == 64
    assert desk.attachments.content(attachment.id).data == b"%PDF-1.4 signed copy"
    assert [a.id for a in desk.attachments.for_mou(mou.id)] == [attachment.id]
