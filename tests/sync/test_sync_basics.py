"""Replicas and sync, one behaviour at a time, on a SQLite and a PostgreSQL shared database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mou_desk.domain.errors import DeskError, PermissionDenied
from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Stage
from mou_desk.services import access
from mou_desk.services.desk import Desk
from mou_desk.services.search import search
from mou_desk.services.sync import (
    create_replica,
    list_conflicts,
    replica_status,
    resolve,
    sync,
)
from mou_desk.services.sync.outbox import NotAReplica
from mou_desk.services.sync.state import database_id
from mou_desk.storage.models import ChangeLogEntry, StageEvent, SyncBase


def make_replica(shared: Desk, url: str, path: Path, clerk: str = "Laptop", **filters: str) -> Desk:
    create_replica(shared.db, url, path, **filters)
    return Desk.open(path, clerk=clerk)


def portfolio(desk: Desk) -> dict[str, str]:
    """A small portfolio: two sectors, a trip with a meeting, a follow-up, a contact."""
    partner = desk.partners.create({"name": "Tanaka Denki", "name_local": "田中電気"})
    other = desk.partners.create({"name": "Osaka Textiles"})
    desk.contacts.create({"name": "TANAKA Hiroshi", "partner_id": partner.id})
    pharma = desk.mous.create(
        {"title": "API plant", "lead_partner_id": partner.id, "sector": "Pharmaceuticals",
         "amount": Decimal(120), "currency": "INR"}
    )  # fmt: skip
    textiles = desk.mous.create(
        {"title": "Weaving cluster", "lead_partner_id": other.id, "sector": "Textiles"}
    )
    trip = desk.trips.create({"name": "Japan delegation, July 2025"})
    meeting = desk.engagements.create(
        {"title": "Meeting in Osaka", "held_on": date(2025, 7, 3), "trip_id": trip.id,
         "mou_ids": [textiles.id], "partner_ids": [other.id]}
    )  # fmt: skip
    desk.followups.create(
        {"title": "Send the draft", "due_on": date(2026, 1, 5), "mou_id": pharma.id}
    )
    return {
        "partner": partner.id,
        "other": other.id,
        "pharma": pharma.id,
        "textiles": textiles.id,
        "trip": trip.id,
        "meeting": meeting.id,
    }


def snapshot(desk: Desk) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for kind in ("partner", "contact", "mou", "trip", "engagement", "followup", "attachment"):
        service = desk.service(kind)
        for record in service.all() + service.all(deleted=True):
            out[record.id] = {**record.values, "deleted": record.deleted}
    return out


def test_a_whole_replica_holds_everything_and_knows_its_upstream(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    assert snapshot(replica) == snapshot(desk)
    with replica.db.read() as session, desk.db.read() as other:
        assert database_id(session.connection()) != database_id(other.connection())
        bases = session.scalar(select(func.count()).select_from(SyncBase))
        assert bases == len(snapshot(desk))
        events = session.scalar(select(func.count()).select_from(StageEvent))
        assert events == other.scalar(select(func.count()).select_from(StageEvent))
    status = replica_status(replica)
    assert status is not None and status.scope == "the whole database"
    assert status.label().startswith("offline replica — last synced ")
    assert status.local_changes == 0 and status.conflicts_waiting == 0
    assert replica_status(desk) is None
    # the copied search index answers, in any script
    assert {h.record_id for h in search(replica.db, "田中")} >= {ids["partner"]}
    replica.close()


def test_a_sector_replica_holds_its_mous_and_what_they_need(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "pharma.sqlite3", sector="pharmaceuticals")
    held = snapshot(replica)
    assert ids["pharma"] in held and ids["partner"] in held
    assert ids["textiles"] not in held and ids["other"] not in held
    assert len(replica.followups.all()) == 1 and len(replica.contacts.all()) == 1
    # a new MoU of the sector made upstream arrives; one of another sector does not
    new = desk.mous.create({"title": "Vaccine line", "sector": "Pharmaceuticals"})
    outside = desk.mous.create({"title": "Dye works", "sector": "Textiles"})
    sync(replica)
    held = snapshot(replica)
    assert new.id in held and outside.id not in held
    replica.close()


def test_a_record_leaving_the_sector_brings_what_it_now_points_at(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "pharma.sqlite3", sector="Pharmaceuticals")
    assert ids["other"] not in snapshot(replica)
    mou = desk.mous.get(ids["pharma"])
    desk.mous.update(
        mou.id, {"sector": "Textiles", "lead_partner_id": ids["other"]}, mou.version
    )  # out of the replica's sector, now led by a partner the replica never held
    result = sync(replica)
    assert result.problems == ()
    moved = replica.mous.get(ids["pharma"])
    assert (moved.values["sector"], moved.values["lead_partner_id"]) == ("Textiles", ids["other"])
    assert replica.partners.get(ids["other"]).values["name"] == "Osaka Textiles"
    replica.close()


def test_a_trip_replica_holds_the_trips_meetings_and_their_mous(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "trip.sqlite3", trip="japan delegation, july 2025")
    held = snapshot(replica)
    assert {ids["textiles"], ids["meeting"], ids["other"], ids["trip"]} <= set(held)
    assert ids["pharma"] not in held
    status = replica_status(replica)
    assert status is not None and "Japan delegation" in status.scope
    replica.close()


def test_unknown_trip_or_sector_is_refused_with_the_choices(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    portfolio(desk)
    with pytest.raises(DeskError, match="Sectors: Pharmaceuticals; Textiles"):
        create_replica(desk.db, url, tmp_path / "x.sqlite3", sector="Steel")
    with pytest.raises(DeskError, match="no trip is called"):
        create_replica(desk.db, url, tmp_path / "x.sqlite3", trip="Moon")
    assert not (tmp_path / "x.sqlite3").exists()


def test_different_fields_merge_and_the_same_field_is_kept_as_a_conflict(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    mine = replica.mous.get(ids["pharma"])
    replica.mous.update(mine.id, {"title": "API plant, phase 1", "notes": "laptop"}, mine.version)
    theirs = desk.mous.get(ids["pharma"])
    desk.mous.update(theirs.id, {"district": "Lucknow", "notes": "office"}, theirs.version)

    result = sync(replica)
    assert result.conflicts_new == 1 and result.conflicts_waiting == 1
    assert any("wait for your decision" in line for line in result.lines())
    for copy in (desk, replica):
        values = copy.mous.get(ids["pharma"]).values
        assert values["title"] == "API plant, phase 1" and values["district"] == "Lucknow"
    assert desk.mous.get(ids["pharma"]).values["notes"] == "office"  # nobody decided yet
    assert replica.mous.get(ids["pharma"]).values["notes"] == "laptop"
    (conflict,) = list_conflicts(replica.db)
    assert (conflict.field, conflict.mine, conflict.theirs, conflict.original) == (
        "notes",
        "laptop",
        "office",
        "(empty)",
    )
    assert conflict.label.startswith("UP-MOU-") and conflict.title == "Notes"
    # a second sync keeps it, does not duplicate it, and changes nothing
    again = sync(replica)
    assert again.conflicts_new == 0 and again.conflicts_waiting == 1 and again.pushed == 0
    resolve(replica.db, conflict.short_id, "mine")
    assert list_conflicts(replica.db)[0].decision == "mine"
    done = sync(replica)
    assert done.conflicts_resolved == 1 and done.conflicts_waiting == 0
    assert desk.mous.get(ids["pharma"]).values["notes"] == "laptop"
    assert list_conflicts(replica.db) == []
    assert snapshot(replica) == snapshot(desk)
    replica.close()


def test_choosing_theirs_takes_the_shared_value(shared: tuple[Desk, str], tmp_path: Path) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    for copy, text in ((replica, "mine"), (desk, "theirs")):
        record = copy.partners.get(ids["partner"])
        copy.partners.update(record.id, {"city": text}, record.version)
    sync(replica)
    (conflict,) = list_conflicts(replica.db)
    resolve(replica.db, conflict.id, "theirs")
    sync(replica)
    assert replica.partners.get(ids["partner"]).values["city"] == "theirs"
    assert snapshot(replica) == snapshot(desk)
    replica.close()


def test_a_decision_on_values_that_moved_since_is_asked_again(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    for copy, text in ((replica, "mine"), (desk, "theirs")):
        record = copy.partners.get(ids["partner"])
        copy.partners.update(record.id, {"city": text}, record.version)
    sync(replica)
    (conflict,) = list_conflicts(replica.db)
    resolve(replica.db, conflict.id, "mine")
    record = desk.partners.get(ids["partner"])
    desk.partners.update(record.id, {"city": "theirs, later"}, record.version)
    result = sync(replica)
    assert result.conflicts_waiting == 1
    (again,) = list_conflicts(replica.db)
    assert (again.decision, again.theirs) == (None, "theirs, later")
    assert desk.partners.get(ids["partner"]).values["city"] == "theirs, later"
    replica.close()


def test_deletions_travel_and_a_delete_against_an_edit_is_a_conflict(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    replica.followups.delete(replica.followups.all()[0].id)  # nobody else touched it
    replica.mous.delete(ids["textiles"])
    textiles = desk.mous.get(ids["textiles"])
    desk.mous.update(textiles.id, {"notes": "edited at the office"}, textiles.version)

    result = sync(replica)
    assert desk.followups.all() == []  # the plain deletion travelled
    assert desk.mous.get(ids["textiles"]).values["notes"] == "edited at the office"
    (conflict,) = list_conflicts(replica.db)
    assert (conflict.field, conflict.mine, conflict.theirs) == ("deleted", "deleted", "kept")
    assert result.conflicts_waiting == 1
    resolve(replica.db, conflict.id, "theirs")  # keep the edited MoU
    sync(replica)
    restored = replica.mous.get(ids["textiles"])
    assert restored.values["notes"] == "edited at the office" and not restored.deleted
    assert snapshot(replica) == snapshot(desk)
    replica.close()


def test_an_edit_against_a_delete_upstream_keeps_the_deletion_when_chosen(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    record = replica.partners.get(ids["other"])
    replica.partners.update(record.id, {"city": "Kobe"}, record.version)
    desk.partners.delete(ids["other"])
    sync(replica)
    (conflict,) = list_conflicts(replica.db)
    assert (conflict.mine, conflict.theirs) == ("kept", "deleted")
    resolve(replica.db, conflict.id, "theirs")
    sync(replica)
    assert replica.partners.get(ids["other"], include_deleted=True).deleted
    assert snapshot(replica) == snapshot(desk)  # the tombstones hold the same values
    replica.close()


def test_stage_history_and_the_change_log_travel_both_ways_once(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    mou = replica.mous.get(ids["pharma"])
    replica.mous.change_stage(
        mou.id, StageChange(Stage.PROPOSAL, replica.db.today(), "draft sent"), mou.version
    )
    other = desk.mous.get(ids["textiles"])
    desk.mous.change_stage(
        other.id, StageChange(Stage.PROPOSAL, desk.db.today(), "asked for terms"), other.version
    )
    sync(replica)
    sync(replica)
    for copy in (desk, replica):
        history = copy.mous.stage_history(ids["pharma"])
        assert [h.reason for h in history] == ["Recorded", "draft sent"]
        assert [h.reason for h in copy.mous.stage_history(ids["textiles"])] == [
            "Recorded",
            "asked for terms",
        ]

    # who changed the stage, and where, travels with the change: the laptop's own entry is
    # in the shared database's change log and the office's in the laptop's (as copies, with
    # version 0, so they never count as this copy's versions)
    def entries(copy: Desk, record_id: str) -> set[tuple[str, str, int]]:
        with copy.db.read() as session:
            rows = session.execute(
                select(ChangeLogEntry.actor, ChangeLogEntry.origin, ChangeLogEntry.version).where(
                    ChangeLogEntry.record_id == record_id, ChangeLogEntry.field == "stage"
                )
            )
            return {(a, o, v) for a, o, v in rows}

    assert ("Laptop", "desktop", 0) in entries(desk, ids["pharma"])
    assert ("Server Clerk", "desktop", 0) in entries(replica, ids["textiles"])
    replica.close()


def test_attached_files_travel(shared: tuple[Desk, str], tmp_path: Path) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(b"%PDF-1.4 signed on the trip")
    added = replica.attachments.add_file(signed, mou_id=ids["pharma"])
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"presentation made at the office")
    office = desk.attachments.add_file(deck, mou_id=ids["pharma"])
    sync(replica)
    assert desk.attachments.content(added.id).data == signed.read_bytes()
    assert replica.attachments.content(office.id).data == deck.read_bytes()
    replica.close()


def test_mous_numbered_on_two_laptops_get_distinct_references(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    portfolio(desk)
    first = make_replica(desk, url, tmp_path / "one.sqlite3", clerk="One")
    second = make_replica(desk, url, tmp_path / "two.sqlite3", clerk="Two")
    a = first.mous.create({"title": "Made on laptop one"})
    b = second.mous.create({"title": "Made on laptop two"})
    assert a.values["ref"] == b.values["ref"]
    sync(first)
    result = sync(second)
    assert result.renumbered == ((b.values["ref"], result.renumbered[0][1]),)
    assert any("already taken" in line for line in result.lines())
    sync(first)
    refs = {m.values["ref"] for m in desk.mous.all()}
    assert len(refs) == len(desk.mous.all())
    for copy in (first, second):
        assert snapshot(copy) == snapshot(desk)
    first.close()
    second.close()


def test_a_viewer_replica_takes_changes_in_but_cannot_send(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    ids = portfolio(desk)
    admin = Desk.for_database(desk.db.as_(clerk="Asha Admin"))
    access.grant(admin.db, "Asha Admin", "admin")
    access.grant(admin.db, "Vijay Viewer", "viewer")
    replica = make_replica(desk, url, tmp_path / "viewer.sqlite3", clerk="Vijay Viewer")
    record = admin.mous.get(ids["pharma"])
    admin.mous.update(record.id, {"notes": "office"}, record.version)
    result = sync(replica)
    assert result.pulled == 1
    assert replica.mous.get(ids["pharma"]).values["notes"] == "office"
    with pytest.raises(PermissionDenied):
        replica.mous.update(ids["pharma"], {"notes": "no"}, replica.mous.get(ids["pharma"]).version)
    replica.close()


def test_sync_refuses_what_is_not_a_replica_and_another_database(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    with pytest.raises(NotAReplica, match="replica create"):
        sync(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    stranger = Desk.open(tmp_path / "stranger.sqlite3")
    with pytest.raises(DeskError, match="made from another database"):
        sync(replica, to=str(tmp_path / "stranger.sqlite3"))
    stranger.close()
    replica.close()


def test_an_encrypted_replica_syncs(shared_sqlite: tuple[Desk, str], tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    desk, url = shared_sqlite
    ids = portfolio(desk)
    path = tmp_path / "secret.sqlite3"
    create_replica(desk.db, url, path, passphrase="Osaka 2025")
    assert not path.read_bytes().startswith(b"SQLite format 3")
    replica = Desk.open(path, clerk="Laptop", passphrase="Osaka 2025")
    record = replica.mous.get(ids["pharma"])
    replica.mous.update(record.id, {"notes": "encrypted laptop"}, record.version)
    sync(replica)
    assert desk.mous.get(ids["pharma"]).values["notes"] == "encrypted laptop"
    replica.close()
