"""Hand-over without a connection: the changes in a file, the answer in another."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from mou_desk.domain.errors import DeskError, UsageError
from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Stage
from mou_desk.services.desk import Desk
from mou_desk.services.sync import (
    export_changes,
    import_file,
    list_conflicts,
    replica_status,
    resolve,
    sync,
)
from mou_desk.services.sync.syncfile import answer_path
from tests.sync.test_sync_basics import make_replica, portfolio, snapshot


def test_a_round_trip_through_files_converges(shared: tuple[Desk, str], tmp_path: Path) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    mou = replica.mous.get(ids["pharma"])
    replica.mous.update(mou.id, {"notes": "laptop", "title": "API plant II"}, mou.version)
    mou = replica.mous.get(ids["pharma"])
    replica.mous.change_stage(
        mou.id, StageChange(Stage.PROPOSAL, replica.db.today(), "terms sent"), mou.version
    )
    made = replica.mous.create({"title": "Made on the trip"})
    paper = tmp_path / "minutes.pdf"
    paper.write_bytes(b"%PDF minutes")
    replica.attachments.add_file(paper, mou_id=made.id)
    office = desk.mous.get(ids["pharma"])
    desk.mous.update(office.id, {"notes": "office", "district": "Agra"}, office.version)

    changes = tmp_path / "trip.mousync"
    exported = export_changes(replica, changes)
    assert exported.records == 3  # the MoU changed, the new MoU, its file
    with gzip.open(changes, "rt", encoding="utf-8") as lines:
        header = json.loads(lines.readline())
    assert (header["format"], header["kind"], header["version"]) == ("mou-desk-sync", "changes", 1)
    status = replica_status(replica)
    assert status is not None and status.last_exported_at is not None
    assert status.local_changes == 3  # not synced until the answer is taken in

    done = import_file(desk, changes)
    assert done.answer == answer_path(changes) == tmp_path / "trip.answer.mousync"
    assert done.pushed is not None and done.pushed["created"] == 2
    assert desk.mous.get(made.id).values["title"] == "Made on the trip"
    assert desk.attachments.for_mou(made.id)[0].values["file_name"] == "minutes.pdf"
    assert [h.reason for h in desk.mous.stage_history(ids["pharma"])][-1] == "terms sent"

    answer = import_file(replica, done.answer)
    assert answer.result is not None and answer.result.conflicts_new == 1
    assert replica.mous.get(ids["pharma"]).values["district"] == "Agra"
    (conflict,) = list_conflicts(replica.db)
    assert (conflict.mine, conflict.theirs) == ("laptop", "office")
    # taking the same answer in again changes nothing
    again = import_file(replica, done.answer)
    assert again.result is not None and again.result.pulled == 0
    status = replica_status(replica)
    assert status is not None and status.local_changes == 1  # the record with the conflict
    # the decision travels by file too
    resolve(replica.db, conflict.id, "mine")
    second = tmp_path / "second.mousync"
    export_changes(replica, second)
    import_file(replica, import_file(desk, second).answer or Path())
    assert desk.mous.get(ids["pharma"]).values["notes"] == "laptop"
    assert list_conflicts(replica.db) == []
    assert snapshot(replica) == snapshot(desk)
    replica.close()


def test_changes_exported_twice_are_applied_once(shared: tuple[Desk, str], tmp_path: Path) -> None:
    desk, url = shared
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    replica.mous.create({"title": "Made offline"})
    first, second = tmp_path / "one.mousync", tmp_path / "two.mousync"
    export_changes(replica, first)
    export_changes(replica, second)  # the answer to the first never came back
    import_file(desk, first)
    done = import_file(desk, second)
    assert done.pushed is not None and done.pushed["created"] == 0
    import_file(replica, done.answer or Path())
    assert len(desk.mous.all()) == 3 and snapshot(replica) == snapshot(desk)
    # an old answer after a newer online sync is ignored
    record = desk.mous.get(ids["pharma"])
    desk.mous.update(record.id, {"notes": "later"}, record.version)
    sync(replica)
    stale = import_file(replica, answer_path(first))
    assert stale.result is not None and stale.result.pulled == 0
    assert replica.mous.get(ids["pharma"]).values["notes"] == "later"
    replica.close()


def test_damaged_or_misdirected_files_are_refused(shared: tuple[Desk, str], tmp_path: Path) -> None:
    desk, url = shared
    portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    replica.mous.create({"title": "Made offline"})
    changes = tmp_path / "trip.mousync"
    export_changes(replica, changes)
    with gzip.open(changes, "rt", encoding="utf-8") as source:
        lines = source.read().splitlines()
    cut = tmp_path / "cut.mousync"
    with gzip.open(cut, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines[:-2]) + "\n")
    with pytest.raises(UsageError, match="incomplete"):
        import_file(desk, cut)
    junk = tmp_path / "junk.mousync"
    junk.write_bytes(b"not a sync file")
    with pytest.raises(UsageError, match="not a MoU Desk sync file"):
        import_file(desk, junk)
    with pytest.raises(DeskError, match="cannot be synced with itself"):
        import_file(replica, changes)  # changes go to the shared database, not back
    other = Desk.open(tmp_path / "other.sqlite3")
    with pytest.raises(DeskError, match="made from another database"):
        import_file(other, changes)
    assert other.mous.all() == []
    other.close()
    replica.close()
