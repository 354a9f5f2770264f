"""Sync files refused before anything is applied: an answer on the shared database, an
answer that could not be written afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from mou_desk.domain.errors import UsageError
from mou_desk.services.desk import Desk
from mou_desk.services.sync import encryption_available, export_changes, import_file
from tests.sync.test_sync_basics import make_replica, portfolio, snapshot


def test_an_answer_applied_on_the_shared_database_says_where_it_belongs(
    shared_sqlite: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared_sqlite
    portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    replica.mous.create({"title": "Made offline"})
    changes = tmp_path / "trip.mousync"
    export_changes(replica, changes)
    answer = import_file(desk, changes).answer
    assert answer is not None
    before = snapshot(desk)
    with pytest.raises(UsageError, match="apply it on that replica"):
        import_file(desk, answer)
    assert snapshot(desk) == before
    replica.close()


def test_no_change_is_applied_when_the_answer_cannot_be_written(
    shared_sqlite: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared_sqlite
    portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    made = replica.mous.create({"title": "Made offline"})
    changes = tmp_path / "trip.mousync"
    export_changes(replica, changes)
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    before = snapshot(desk)
    with pytest.raises(UsageError, match=r"cannot be written to .*Nothing was applied"):
        import_file(desk, changes, blocker / "trip.answer.mousync")
    with pytest.raises(UsageError, match="cannot replace the file it answers"):
        import_file(desk, changes, changes)
    assert snapshot(desk) == before
    assert not list(tmp_path.glob("*.partial"))
    done = import_file(desk, changes, tmp_path / "elsewhere.mousync")
    assert done.answer == tmp_path / "elsewhere.mousync" and done.answer.exists()
    assert desk.mous.get(made.id).values["title"] == "Made offline"
    replica.close()


def test_encryption_is_reported_as_the_storage_layer_sees_it() -> None:
    from mou_desk.storage import encryption

    assert encryption_available() is encryption.available()


def test_a_replica_in_a_folder_that_cannot_be_made_is_refused_clearly(
    shared_sqlite: tuple[Desk, str], tmp_path: Path
) -> None:
    from mou_desk.services.sync import create_replica

    desk, url = shared_sqlite
    portfolio(desk)
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    with pytest.raises(UsageError, match=r"cannot be made in .*choose another folder"):
        create_replica(desk.db, url, blocker / "laptop.sqlite3")
    assert blocker.read_text() == "" and not list(tmp_path.glob("*.partial"))


def test_a_sync_file_for_a_folder_that_cannot_be_written_is_refused_clearly(
    shared_sqlite: tuple[Desk, str], tmp_path: Path
) -> None:
    from mou_desk.services.sync import replica_status

    desk, url = shared_sqlite
    portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    replica.mous.create({"title": "Made offline"})
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    with pytest.raises(UsageError, match=r"could not be written .*choose another place"):
        export_changes(replica, blocker / "trip.mousync")
    status = replica_status(replica)
    assert status is not None and status.last_exported_at is None
    replica.close()


def test_the_kind_of_a_sync_file_is_read_from_its_first_line(
    shared_sqlite: tuple[Desk, str], tmp_path: Path
) -> None:
    from mou_desk.services.sync.syncfile import ANSWER, CHANGES, read_kind

    desk, url = shared_sqlite
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3")
    changes = tmp_path / "trip.mousync"
    export_changes(replica, changes)
    answer = import_file(desk, changes).answer
    assert answer is not None
    assert (read_kind(changes), read_kind(answer)) == (CHANGES, ANSWER)
    junk = tmp_path / "junk.mousync"
    junk.write_bytes(b"not gzip")
    assert read_kind(junk) is None and read_kind(tmp_path / "missing.mousync") is None
    replica.close()
