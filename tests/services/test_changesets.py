"""The changeset machinery: plan field by field, apply all or nothing, revert a batch."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Stage
from mou_desk.services import changesets as cs
from mou_desk.services.changesets import ProposedChange
from mou_desk.services.common import RecordData
from mou_desk.services.desk import Desk
from mou_desk.storage.models import ChangeLogEntry, Mou, SearchDoc, StageEvent


@pytest.fixture
def partner(desk: Desk) -> RecordData:
    return desk.partners.create({"name": "Tanaka Denki", "name_local": "田中電気株式会社"})


@pytest.fixture
def mou(desk: Desk, partner: RecordData) -> RecordData:
    return desk.mous.create(
        {
            "title": "Battery testing lab",
            "lead_partner_id": partner.id,
            "amount": Decimal(100),
            "currency": "INR",
            "sector": "EV & batteries",
        }
    )


def change(record: RecordData | None, **values: object) -> ProposedChange:
    if record is None:
        return ProposedChange("mou", None, None, values, "MoUs!9")
    return ProposedChange(record.record_type, record.id, record.version, values, "MoUs!2")


def test_unchanged_row_plans_nothing(desk: Desk, mou: RecordData) -> None:
    plan = cs.plan(desk.db, [change(mou, title="Battery testing lab", amount=Decimal("100.00"))])
    assert plan.counts[cs.UNCHANGED] == 1
    assert plan.rows == []
    assert not plan.has_changes()


def test_changed_fields_show_old_and_new(desk: Desk, mou: RecordData) -> None:
    plan = cs.plan(desk.db, [change(mou, title="Battery lab", amount=Decimal(250))])
    (row,) = plan.rows
    assert row.kind == cs.CHANGED
    changed = {f.field: (f.ours, f.theirs) for f in row.fields}
    assert changed == {
        "title": ("Battery testing lab", "Battery lab"),
        "amount": (Decimal(100), Decimal(250)),
    }


def test_field_changed_on_both_sides_is_a_conflict_others_merge(
    desk: Desk, mou: RecordData
) -> None:
    desk.mous.update(mou.id, {"title": "Battery lab (office)", "sector": "Batteries"}, mou.version)
    proposed = change(
        mou, title="Battery lab (finance)", amount=Decimal(300), sector="EV & batteries"
    )
    plan = cs.plan(desk.db, [proposed])
    (row,) = plan.rows
    assert row.kind == cs.CONFLICT
    by_field = {f.field: f for f in row.fields}
    title = by_field["title"]
    assert (title.kind, title.ours, title.theirs, title.original) == (
        cs.CONFLICT,
        "Battery lab (office)",
        "Battery lab (finance)",
        "Battery testing lab",
    )
    assert by_field["amount"].kind == cs.CHANGED
    assert "sector" not in by_field  # changed in the database only: its value stays


def test_conflicts_refuse_the_apply_and_nothing_is_written(desk: Desk, mou: RecordData) -> None:
    desk.mous.update(mou.id, {"title": "Office title"}, mou.version)
    new_row = change(None, title="Solar park", lead_partner_id=mou["lead_partner_id"])
    plan = cs.plan(desk.db, [change(mou, title="Finance title"), new_row])
    with pytest.raises(cs.ChangesetRefused, match="1 conflicting row"):
        cs.apply(desk.db, plan)
    assert len(desk.mous.all()) == 1
    assert desk.mous.get(mou.id)["title"] == "Office title"


def test_resolutions_keep_ours_or_take_theirs(desk: Desk, mou: RecordData) -> None:
    desk.mous.update(mou.id, {"title": "Office title", "sector": "Office"}, mou.version)
    plan = cs.plan(desk.db, [change(mou, title="Finance title", sector="Finance")])
    (row,) = plan.rows
    result = cs.apply(
        desk.db,
        plan,
        {(row.index, "title"): cs.THEIRS, (row.index, "sector"): cs.OURS},
        origin="workbook:f.xlsx",
    )
    assert (result.created, result.updated) == (0, 1)
    now = desk.mous.get(mou.id)
    assert (now["title"], now["sector"]) == ("Finance title", "Office")


def test_apply_rest_leaves_out_invalid_rows(desk: Desk, mou: RecordData) -> None:
    bad = ProposedChange("mou", mou.id, mou.version, {"title": ""}, "MoUs!2")
    good = change(None, title="Solar park")
    plan = cs.plan(desk.db, [bad, good])
    assert [r.kind for r in plan.rows] == [cs.INVALID, cs.NEW]
    assert "Title cannot be emptied." in plan.rows[0].messages()
    result = cs.apply(desk.db, plan, apply_rest=True, origin="workbook:f.xlsx")
    assert (result.created, result.skipped) == (1, 1)
    assert desk.mous.get(mou.id)["title"] == "Battery testing lab"


def test_every_change_is_logged_with_batch_and_origin(desk: Desk, mou: RecordData) -> None:
    plan = cs.plan(desk.db, [change(mou, amount=Decimal(200)), change(None, title="Solar park")])
    result = cs.apply(desk.db, plan, origin="workbook:finance.xlsx")
    with desk.db.read() as session:
        entries = session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.batch_id == result.batch_id)
        ).all()
    assert {e.origin for e in entries} == {"workbook:finance.xlsx"}
    fields = {(e.record_id == mou.id, e.field) for e in entries}
    assert (True, "amount") in fields and (True, "proposed_inr") in fields
    assert desk.mous.get(mou.id)["proposed_inr"] == Decimal(200)  # derived, as by hand


def test_possible_duplicate_is_flagged_not_created(desk: Desk, mou: RecordData) -> None:
    partner_id = mou["lead_partner_id"]
    plan = cs.plan(
        desk.db,
        [
            change(None, title="Battery Testing Lab.", lead_partner_id=partner_id),
            change(None, title="Battery testing lab, phase 2", lead_partner_id=partner_id),
        ],
    )
    kinds = [r.kind for r in plan.rows]
    assert kinds == [cs.DUPLICATE, cs.NEW]
    assert plan.rows[0].duplicate_of == mou.id
    with pytest.raises(cs.ChangesetRefused, match="possible duplicate"):
        cs.apply(desk.db, plan)
    result = cs.apply(desk.db, plan, {(plan.rows[0].index, cs.ROW): cs.THEIRS})
    assert result.created == 2


def test_new_rows_that_repeat_each_other_are_flagged(desk: Desk, partner: RecordData) -> None:
    rows = [change(None, title="Magnet plant", lead_partner_id=partner.id) for _ in range(2)]
    plan = cs.plan(desk.db, rows)
    assert [r.kind for r in plan.rows] == [cs.NEW, cs.DUPLICATE]


def test_unknown_and_deleted_records_are_invalid(desk: Desk, mou: RecordData) -> None:
    desk.mous.delete(mou.id)
    ghost = ProposedChange("mou", "0" * 36, 1, {"title": "x"}, "MoUs!3")
    plan = cs.plan(desk.db, [change(mou, title="Still here?"), ghost])
    messages = [" ".join(r.messages()) for r in plan.rows]
    assert "deleted in MoU Desk" in messages[0]
    assert "another database" in messages[1]


def test_reference_to_a_missing_partner_is_invalid(desk: Desk, mou: RecordData) -> None:
    plan = cs.plan(desk.db, [change(mou, lead_partner_id="f" * 36)])
    (row,) = plan.rows
    assert row.kind == cs.INVALID
    assert row.field_plan("lead_partner_id").kind == cs.INVALID  # type: ignore[union-attr]


def test_records_created_in_the_same_changeset_can_be_referred_to(desk: Desk) -> None:
    partner = ProposedChange("partner", "p" * 36, None, {"name": "New Co"}, "Partners!2")
    mou = ProposedChange(
        "mou", None, None, {"title": "Plant", "lead_partner_id": "p" * 36}, "MoUs!2"
    )
    plan = cs.plan(desk.db, [partner, mou])
    assert [r.kind for r in plan.rows] == [cs.NEW, cs.NEW]
    cs.apply(desk.db, plan)
    assert desk.mous.all()[0]["lead_partner_id"] == "p" * 36


def test_stage_jump_breaking_the_rules_is_an_invalid_cell(desk: Desk, mou: RecordData) -> None:
    plan = cs.plan(desk.db, [change(mou, stage="signing")])
    (row,) = plan.rows
    assert row.kind == cs.INVALID
    assert "signed" in " ".join(row.messages())


def test_stage_change_follows_the_rules_and_records_history(desk: Desk, mou: RecordData) -> None:
    signed = date.today() - timedelta(days=3)
    proposed = change(mou, stage="signing", signed_on_ours=signed, stage_since=signed)
    plan = cs.plan(desk.db, [proposed])
    assert plan.rows[0].kind == cs.CHANGED
    cs.apply(desk.db, plan, origin="workbook:f.xlsx")
    now = desk.mous.get(mou.id)
    assert (now["stage"], now["stage_since"]) == (Stage.SIGNING, signed)
    with desk.db.read() as session:
        events = session.scalars(select(StageEvent).where(StageEvent.mou_id == mou.id)).all()
    assert sorted(e.to_stage for e in events) == [Stage.DISCUSSION, Stage.SIGNING]


def test_moving_back_needs_a_reason(desk: Desk, mou: RecordData) -> None:
    moved = desk.mous.change_stage(mou.id, StageChange(Stage.PROPOSAL, date.today()), mou.version)
    without = cs.plan(desk.db, [change(moved, stage="discussion")])
    assert "Reason for change" in " ".join(without.rows[0].messages())
    with_reason = ProposedChange(
        "mou",
        moved.id,
        moved.version,
        {"stage": "discussion"},
        "MoUs!2",
        reason="Partner asked to revisit",
    )
    assert cs.plan(desk.db, [with_reason]).rows[0].kind == cs.CHANGED


def test_ambiguous_name_keeps_the_current_record(desk: Desk, mou: RecordData) -> None:
    twin = desk.partners.create({"name": "Tanaka Denki"})
    options = (mou["lead_partner_id"], twin.id)
    keep = ProposedChange(
        "mou",
        mou.id,
        mou.version,
        {"lead_partner_id": options[1]},
        "MoUs!2",
        alternatives={"lead_partner_id": options},
    )
    assert cs.plan(desk.db, [keep]).counts[cs.UNCHANGED] == 1


def test_revert_undoes_a_batch(desk: Desk, mou: RecordData) -> None:
    plan = cs.plan(
        desk.db,
        [change(mou, title="Finance title", amount=Decimal(5)), change(None, title="Solar park")],
    )
    result = cs.apply(desk.db, plan, origin="workbook:f.xlsx")
    cs.revert(desk.db, result.batch_id)
    now = desk.mous.get(mou.id)
    assert (now["title"], now["amount"], now["proposed_inr"]) == (
        "Battery testing lab",
        Decimal(100),
        Decimal(100),
    )
    assert [m.id for m in desk.mous.all()] == [mou.id]
    with pytest.raises(cs.ChangesetRefused, match="already reverted"):
        cs.revert(desk.db, result.batch_id)


def test_revert_refuses_when_a_record_changed_again(desk: Desk, mou: RecordData) -> None:
    result = cs.apply(desk.db, cs.plan(desk.db, [change(mou, title="Finance title")]))
    now = desk.mous.get(mou.id)
    desk.mous.update(mou.id, {"notes": "called them"}, now.version)
    with pytest.raises(cs.ChangesetRefused, match="changed again"):
        cs.revert(desk.db, result.batch_id)
    assert desk.mous.get(mou.id)["title"] == "Finance title"


def test_apply_refuses_if_the_database_moved_after_the_plan(desk: Desk, mou: RecordData) -> None:
    plan = cs.plan(desk.db, [change(mou, title="Finance title")])
    desk.mous.update(mou.id, {"notes": "meanwhile"}, mou.version)
    with pytest.raises(cs.ChangesetRefused, match="after the preview"):
        cs.apply(desk.db, plan)


def test_plan_reads_in_bulk(desk: Desk, partner: RecordData) -> None:
    made = [
        desk.mous.create({"title": f"MoU {i}", "lead_partner_id": partner.id}) for i in range(30)
    ]
    statements: list[str] = []
    from sqlalchemy import event

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(desk.db.engine, "before_cursor_execute", count)
    try:
        plan = cs.plan(desk.db, [change(m, title=m["title"]) for m in made])
    finally:
        event.remove(desk.db.engine, "before_cursor_execute", count)
    assert plan.counts[cs.UNCHANGED] == 30
    assert len(statements) <= 4  # current values, links, references: not one per row


def test_plain_updates_are_searchable_and_versioned(desk: Desk, mou: RecordData) -> None:
    from mou_desk.services.listing import matching_mou_ids

    plan = cs.plan(desk.db, [change(mou, title="Magnet foundry", proposed_jobs=40)])
    cs.apply(desk.db, plan, origin="workbook:f.xlsx")
    now = desk.mous.get(mou.id)
    assert (now.version, now["title"], now["proposed_jobs"]) == (
        mou.version + 1,
        "Magnet foundry",
        40,
    )
    assert matching_mou_ids(desk.db, "foundry") == {mou.id}
    assert not matching_mou_ids(desk.db, "testing lab")
    history = [
        (h.field, h.old, h.new, h.version)
        for h in desk.mous.history(mou.id)
        if h.action == "update"
    ]
    assert ("title", "Battery testing lab", "Magnet foundry", mou.version + 1) in history


def test_bulk_search_documents_read_as_a_save_by_hand_writes_them(
    desk: Desk, partner: RecordData
) -> None:
    from mou_desk.services.changeset_search import mou_bodies
    from mou_desk.storage import search_index

    other = desk.partners.create({"name": "Hayashi Magnets", "name_local": "林磁石"})
    desk.contacts.create(
        {"name": "HAYASHI Yoshikazu", "name_local": "林 義和", "partner_id": other.id}
    )
    desk.contacts.create({"name": "Ito Aki", "partner_id": partner.id})
    linked = desk.mous.create(
        {
            "title": "Rare-earth magnets",
            "lead_partner_id": partner.id,
            "partner_ids": [other.id],
            "notes": "दूसरी बैठक",
            "tags": "magnets",
        }
    )
    alone = desk.mous.create({"title": "Skills centre"})
    gone = desk.mous.create({"title": "Dropped idea"})
    desk.mous.delete(gone.id)
    with desk.db.read() as session:
        ids = [linked.id, alone.id, gone.id]
        expected = {i: search_index._body_of(session, "mou", i) for i in ids}
        assert mou_bodies(session, ids) == expected
    assert "林 義和" in (expected[linked.id] or "") and expected[gone.id] is None


def test_new_mous_are_numbered_as_one_by_one(desk: Desk, partner: RecordData) -> None:
    year = desk.db.today().year
    first = desk.mous.create({"title": "Earlier MoU"})["ref"]
    typed = f"UP-MOU-{year}-00040"
    rows = [
        change(None, title="Plant A", lead_partner_id=partner.id),
        change(None, title="Plant B", lead_partner_id=partner.id, ref=typed),
        change(None, title="Plant C", lead_partner_id=partner.id),
    ]
    result = cs.apply(desk.db, cs.plan(desk.db, rows))
    assert result.created == 3
    with desk.db.read() as session:
        made = {title: ref for title, ref in session.execute(select(Mou.title, Mou.ref))}
    number = int(first.rsplit("-", 1)[1])
    assert made["Plant A"] == f"UP-MOU-{year}-{number + 1:05d}"
    assert made["Plant B"] == typed
    assert made["Plant C"] == f"UP-MOU-{year}-00041"


def test_records_created_by_a_changeset_are_those_made_by_hand(
    desk: Desk, partner: RecordData
) -> None:
    from mou_desk.storage import search_index

    other = desk.partners.create({"name": "Hayashi Magnets", "name_local": "林磁石"})
    desk.contacts.create({"name": "Ito Aki", "partner_id": partner.id})
    values = {
        "title": "Magnet plant",
        "lead_partner_id": partner.id,
        "partner_ids": [other.id],
        "amount": Decimal("2.5"),
        "currency": "USD",
        "rate_to_inr": Decimal("83.1"),
        "sector": "EV & batteries",
        "stage": "proposal",
        "notes": "दूसरी बैठक",
    }
    by_hand = desk.mous.create({**values, "ref": "UP-HAND-1"})
    plan = cs.plan(desk.db, [change(None, **values, ref="UP-BULK-1")])
    (row,) = plan.rows
    assert row.kind == cs.DUPLICATE  # of the one made by hand: created when confirmed
    cs.apply(desk.db, plan, {(row.index, cs.ROW): cs.THEIRS}, origin="workbook:f.xlsx")
    with desk.db.read() as session:
        made = session.scalar(select(Mou.id).where(Mou.ref == "UP-BULK-1"))
        assert made is not None
        events = {
            m: [
                (e.to_stage, e.to_status, e.effective_on, e.reason)
                for e in session.scalars(select(StageEvent).where(StageEvent.mou_id == m))
            ]
            for m in (by_hand.id, made)
        }
        bodies = {m: search_index._body_of(session, "mou", m) for m in (by_hand.id, made)}
        docs = dict(
            session.execute(
                select(SearchDoc.record_id, SearchDoc.body).where(
                    SearchDoc.record_id.in_([by_hand.id, made])
                )
            ).all()
        )
    bulk = desk.mous.get(made)
    assert {**bulk.values, "ref": "?"} == {**by_hand.values, "ref": "?"}
    assert bulk.version == by_hand.version
    assert events[made] == events[by_hand.id]
    assert docs == bodies and docs[made] == (bodies[by_hand.id] or "").replace("HAND", "BULK")

    def logged(record_id: str) -> list[tuple[str, str, str | None, str | None, int]]:
        return sorted(
            (h.action, h.field, h.old, h.new if h.field != "ref" else "?", h.version)
            for h in desk.mous.history(record_id)
        )

    assert logged(made) == logged(by_hand.id)
