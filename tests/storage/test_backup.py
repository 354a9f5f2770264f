"""Backup and restore: a consistent copy in one step, and a restore that checks before it acts."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.services.desk import Desk
from mou_desk.storage.backup import backup_database, check_backup_file, restore_database
from mou_desk.storage.engine import WRITE_OPTION, database_url, make_engine
from mou_desk.storage.lifecycle import head_revision, open_database, upgrade
from mou_desk.storage.models import Base, Partner

WAIT = 60  # seconds: an upper bound for the helper process, never a measured duration


def ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def integrity(path: Path) -> str:
    with closing(ro(path)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def counts(path: Path) -> dict[str, int]:
    with closing(ro(path)) as conn:
        return {
            t.name: conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
            for t in Base.metadata.sorted_tables
        }


def partner_count(path: Path) -> int:
    with closing(ro(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM partners").fetchone()[0])


def partner_names(path: Path) -> list[str]:
    with closing(ro(path)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM partners ORDER BY name")]


def revision_in(path: Path) -> str:
    with closing(ro(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def live_file(desk: Desk) -> Path:
    database = desk.db.engine.url.database
    assert database is not None
    return Path(database)


def names(desk: Desk) -> list[str]:
    return sorted(p.label for p in desk.partners.all())


def write_partners(path: str, started: Any, seconds: float) -> None:
    """Run in another process: add partners one small transaction at a time."""
    desk = Desk.open(path, clerk="Second clerk")
    try:
        deadline = time.monotonic() + seconds
        i = 0
        while time.monotonic() < deadline or i < 5:
            i += 1
            desk.partners.create({"name": f"Writer partner {i:05d}", "city": "Osaka"})
            started.set()
    finally:
        desk.close()


# --- backup --------------------------------------------------------------------------------


def test_backup_is_an_intact_copy_with_the_same_rows(demo_desk: Desk, tmp_path: Path) -> None:
    destination = tmp_path / "copies" / "desk-backup.sqlite3"
    written = backup_database(demo_desk.db.engine, destination)
    assert written == destination.resolve()
    assert integrity(destination) == "ok"
    assert counts(destination) == counts(live_file(demo_desk))
    assert counts(destination)["mous"] > 0
    assert revision_in(destination) == head_revision()
    assert not list(destination.parent.glob("*.partial"))


def test_backup_can_be_opened_and_searched(demo_desk: Desk, tmp_path: Path) -> None:
    from mou_desk.services.search import search

    destination = backup_database(demo_desk.db.engine, tmp_path / "b.sqlite3")
    copy = Desk.open(destination)
    try:
        assert names(copy) == names(demo_desk)
        partner = demo_desk.partners.all()[0]
        assert any(h.record_id == partner.id for h in search(copy.db, partner.label))
    finally:
        copy.close()


def test_backup_over_an_existing_folder_fails_cleanly(desk: Desk, tmp_path: Path) -> None:
    destination = tmp_path / "taken"
    destination.mkdir()
    (destination / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DatabaseProblem, match="could not be written"):
        backup_database(desk.db.engine, destination)
    assert (destination / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not list(tmp_path.glob("*.partial"))
    assert [p.name for p in destination.iterdir()] == ["keep.txt"]


def test_backup_replaces_an_older_backup_of_the_same_name(desk: Desk, tmp_path: Path) -> None:
    destination = tmp_path / "b.sqlite3"
    backup_database(desk.db.engine, destination)
    desk.partners.create({"name": "Tanaka Electric"})
    backup_database(desk.db.engine, destination)
    assert partner_names(destination) == ["Tanaka Electric"]


def test_backup_while_another_process_writes_is_consistent(desk: Desk, tmp_path: Path) -> None:
    path = live_file(desk)
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    writer = context.Process(target=write_partners, args=(str(path), started, 2.0))
    writer.start()
    try:
        assert started.wait(WAIT), "the writing process never committed"
        checked = 0
        while writer.is_alive() or checked == 0:
            before = len(desk.partners.all())
            destination = backup_database(desk.db.engine, tmp_path / f"during-{checked}.sqlite3")
            after = len(desk.partners.all())
            assert integrity(destination) == "ok"
            assert before <= partner_count(destination) <= after
            copy = Desk.open(destination)
            try:
                assert len(copy.partners.all()) == partner_count(destination)
            finally:
                copy.close()
            checked += 1
    finally:
        writer.join(WAIT)
        if writer.is_alive():
            writer.kill()
    assert writer.exitcode == 0
    assert checked >= 1
    assert not list(tmp_path.glob("*.partial"))


# --- checking a backup ---------------------------------------------------------------------


@pytest.fixture
def backup(demo_desk: Desk, tmp_path: Path) -> Path:
    return backup_database(demo_desk.db.engine, tmp_path / "backups" / "demo.sqlite3")


def test_intact_backup_passes_the_check(backup: Path) -> None:
    assert check_backup_file(backup) == head_revision()


def test_backup_from_a_newer_version_is_refused(backup: Path) -> None:
    with closing(sqlite3.connect(backup)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zz'")
    with pytest.raises(DatabaseProblem, match="newer version"):
        check_backup_file(backup)


def test_missing_or_foreign_backups_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="does not exist"):
        check_backup_file(tmp_path / "nothing.sqlite3")
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("hello", encoding="utf-8")
    with pytest.raises(DatabaseProblem, match="not a MoU Desk database"):
        check_backup_file(text_file)
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(DatabaseProblem, match="not a usable MoU Desk backup"):
        check_backup_file(other)


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def scribble(path: Path) -> None:
    """Overwrite every page after the first with junk, keeping the header and the size."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [truncate, scribble], ids=["truncated", "scribbled"])
def test_damaged_backup_is_refused_and_the_live_database_unchanged(
    demo_desk: Desk, backup: Path, tmp_path: Path, damage: Any
) -> None:
    demo_desk.partners.create({"name": "Added after the backup"})
    before = names(demo_desk)
    live_counts = counts(live_file(demo_desk))
    damage(backup)
    with pytest.raises(DatabaseProblem) as caught:
        restore_database(backup, demo_desk.db.engine)
    assert "nothing was changed" in str(caught.value).lower()
    assert names(demo_desk) == before
    assert counts(live_file(demo_desk)) == live_counts
    assert not list(live_file(demo_desk).parent.glob("*replaced*"))


# --- restore -------------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_replaced_file(
    demo_desk: Desk, backup: Path
) -> None:
    in_backup = names(demo_desk)
    backup_counts = counts(backup)
    demo_desk.partners.create({"name": "Made after the backup"})
    gone = demo_desk.partners.all()[0]
    demo_desk.partners.delete(gone.id)
    replaced_names = names(demo_desk)

    kept = restore_database(backup, demo_desk.db.engine)

    assert names(demo_desk) == in_backup
    assert counts(live_file(demo_desk)) == backup_counts
    assert kept is not None and kept.is_file()
    assert kept.parent == live_file(demo_desk).parent
    assert integrity(kept) == "ok"
    with closing(ro(kept)) as conn:
        kept_live = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM partners WHERE deleted_at IS NULL ORDER BY name"
            )
        ]
    assert kept_live == replaced_names
    assert "Made after the backup" in kept_live
    # The restored database works: search and saves.
    from mou_desk.services.search import search

    assert not any(h.label == "Made after the backup" for h in search(demo_desk.db, "after"))
    restored = demo_desk.partners.get(gone.id)
    demo_desk.partners.update(restored.id, {"city": "Kobe"}, restored.version)
    assert demo_desk.partners.get(gone.id)["city"] == "Kobe"


def test_restore_keeps_the_replaced_file_where_asked(desk: Desk, tmp_path: Path) -> None:
    desk.partners.create({"name": "Link-J"})
    saved = backup_database(desk.db.engine, tmp_path / "b.sqlite3")
    desk.partners.create({"name": "Asahi Intecc"})
    folder = tmp_path / "kept"
    kept = restore_database(saved, desk.db.engine, keep_folder=folder)
    assert kept is not None and kept.parent == folder
    assert partner_names(kept) == ["Asahi Intecc", "Link-J"]
    assert names(desk) == ["Link-J"]


def test_restore_of_an_older_backup_upgrades_it(desk: Desk, tmp_path: Path) -> None:
    old_file = tmp_path / "old.sqlite3"
    old = make_engine(database_url(old_file))
    try:
        upgrade(old, "0001")
        with old.execution_options(**{WRITE_OPTION: True}).begin() as connection:
            connection.execute(
                insert(Partner.__table__).values(
                    id="7e0e6c8e-8f86-4f5e-9b8c-0c7b2d0c2a11", name="NITE NLAB"
                )
            )
        old_backup = backup_database(old, tmp_path / "old-backup.sqlite3")
    finally:
        old.dispose()
    assert check_backup_file(old_backup) == "0001"
    desk.partners.create({"name": "Replaced by the restore"})

    kept = restore_database(old_backup, desk.db.engine)

    assert kept is not None
    assert revision_in(live_file(desk)) == head_revision()
    assert names(desk) == ["NITE NLAB"]
    assert revision_in(old_backup) == "0001", "the backup file itself is not changed"
    with closing(ro(live_file(desk))) as conn:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_partners_name" in indexes
    # A database opened afterwards needs no further upgrade.
    desk.close()
    reopened = open_database(live_file(desk))
    reopened.engine.dispose()
    assert reopened.backup is None


def test_restore_of_a_newer_backup_is_refused(desk: Desk, backup: Path) -> None:
    desk.partners.create({"name": "Made after the backup"})
    before = names(desk)
    with closing(sqlite3.connect(backup)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zz'")
    with pytest.raises(DatabaseProblem, match="newer version"):
        restore_database(backup, desk.db.engine)
    assert names(desk) == before
    assert not list(live_file(desk).parent.glob("*replaced*"))


def test_restore_from_a_copy_moved_elsewhere(desk: Desk, tmp_path: Path) -> None:
    desk.partners.create({"name": "Morabu Hanshin"})
    saved = backup_database(desk.db.engine, tmp_path / "b.sqlite3")
    moved = tmp_path / "usb stick" / "desk backup.sqlite3"
    moved.parent.mkdir()
    shutil.copy(saved, moved)
    desk.partners.delete(desk.partners.all()[0].id)
    restore_database(moved, desk.db.engine)
    assert names(desk) == ["Morabu Hanshin"]


def test_backup_under_a_regular_file_fails_cleanly(desk: Desk, tmp_path: Path) -> None:
    blocker = tmp_path / "reports.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    for destination in (blocker / "b.sqlite3", blocker / "sub" / "b.sqlite3"):
        with pytest.raises(DatabaseProblem, match="could not be written"):
            backup_database(desk.db.engine, destination)
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert not list(tmp_path.rglob("*.partial"))
