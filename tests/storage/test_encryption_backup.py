"""Backups of encrypted and plain files: encrypted unless asked otherwise, restorable both ways."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.services.desk import Desk
from mou_desk.services.search import search
from mou_desk.storage.backup import backup_database, check_backup_file, restore_database
from mou_desk.storage.encryption import is_encrypted
from mou_desk.storage.lifecycle import head_revision

SECRET = "Hamamatsu-Suzuki-गोपनीय"
PASS = "tea garden 7"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def titles(desk: Desk) -> list[str]:
    return sorted(m["title"] for m in desk.mous.all())


def opened(path: Path, passphrase: str | None = None) -> list[str]:
    desk = Desk.open(path, passphrase=passphrase)
    try:
        return titles(desk)
    finally:
        desk.close()


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[Desk]:
    desk = Desk.open(tmp_path / "laptop.sqlite3", clerk="Ravi Kumar", passphrase=PASS)
    desk.mous.create({"title": f"Two-wheeler plant {SECRET}"})
    desk.partners.create({"name": "Suzuki Motor"})
    yield desk
    desk.close()  # again, where the test closed it already: harmless


@pytest.fixture
def plain(tmp_path: Path) -> Iterator[Desk]:
    desk = Desk.open(tmp_path / "office.sqlite3", clerk="Ravi Kumar")
    desk.mous.create({"title": f"Two-wheeler plant {SECRET}"})
    yield desk
    desk.close()


def test_a_backup_of_an_encrypted_file_is_encrypted_with_the_same_passphrase(
    encrypted: Desk, tmp_path: Path
) -> None:
    path = backup_database(encrypted.db.engine, tmp_path / "backups" / "auto.sqlite3")
    encrypted.close()
    assert is_encrypted(path) and SECRET.encode() not in path.read_bytes()
    assert check_backup_file(path, PASS) == head_revision()
    with pytest.raises(DatabaseProblem, match="or it is encrypted: give its passphrase"):
        check_backup_file(path)
    assert opened(path, PASS) == [f"Two-wheeler plant {SECRET}"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["auto.sqlite3"]


def test_a_plain_copy_of_an_encrypted_file_on_request(encrypted: Desk, tmp_path: Path) -> None:
    path = backup_database(encrypted.db.engine, tmp_path / "for-office.sqlite3", decrypt=True)
    encrypted.close()
    assert not is_encrypted(path)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM partners").fetchone()[0] == 1
    desk = Desk.open(path)
    try:
        assert titles(desk) == [f"Two-wheeler plant {SECRET}"] and search(desk.db, "Hamamatsu")
    finally:
        desk.close()


def test_a_copy_under_another_passphrase(encrypted: Desk, tmp_path: Path) -> None:
    path = backup_database(encrypted.db.engine, tmp_path / "handover.sqlite3", passphrase="x y")
    encrypted.close()
    with pytest.raises(DatabaseProblem, match="The passphrase does not open"):
        opened(path, PASS)
    assert opened(path, "x y") == [f"Two-wheeler plant {SECRET}"]


def test_an_encrypted_copy_of_a_plain_file(plain: Desk, tmp_path: Path) -> None:
    path = backup_database(plain.db.engine, tmp_path / "trip.sqlite3", passphrase=PASS)
    plain.close()
    assert is_encrypted(path) and SECRET.encode() not in path.read_bytes()
    desk = Desk.open(path, passphrase=PASS)
    try:
        assert titles(desk) == [f"Two-wheeler plant {SECRET}"]
        assert search(desk.db, "Hamamatsu")
    finally:
        desk.close()


def test_restore_of_an_encrypted_backup_into_a_plain_file(
    encrypted: Desk, plain: Desk, tmp_path: Path
) -> None:
    backup = backup_database(encrypted.db.engine, tmp_path / "b.sqlite3")
    encrypted.close()
    plain.mous.create({"title": "Only in the office"})
    before = sha256(backup)
    with pytest.raises(DatabaseProblem, match="or it is encrypted: give its passphrase"):
        restore_database(backup, plain.db.engine)  # the plain file has no passphrase to try
    kept = restore_database(backup, plain.db.engine, passphrase=PASS)
    assert titles(plain) == [f"Two-wheeler plant {SECRET}"]
    assert [p.label for p in plain.partners.all()] == ["Suzuki Motor"]
    assert sha256(backup) == before
    plain.close()
    assert kept is not None and not is_encrypted(kept)
    assert opened(kept) == sorted([f"Two-wheeler plant {SECRET}", "Only in the office"])


def test_restore_of_its_own_backup_into_an_encrypted_file(encrypted: Desk, tmp_path: Path) -> None:
    backup = backup_database(encrypted.db.engine, tmp_path / "b.sqlite3")
    encrypted.mous.create({"title": "After the backup"})
    kept = restore_database(backup, encrypted.db.engine)  # its own passphrase opens it
    assert titles(encrypted) == [f"Two-wheeler plant {SECRET}"]
    encrypted.mous.create({"title": "After the restore"})
    assert len(search(encrypted.db, "restore")) == 1
    encrypted.close()
    assert kept is not None and is_encrypted(kept)  # the replaced data stays encrypted
    assert "After the backup" in opened(kept, PASS)


def test_restore_of_a_plain_backup_into_an_encrypted_file(
    encrypted: Desk, plain: Desk, tmp_path: Path
) -> None:
    plain.mous.create({"title": "From the office"})
    backup = backup_database(plain.db.engine, tmp_path / "office-backup.sqlite3")
    plain.close()
    restore_database(backup, encrypted.db.engine)
    assert titles(encrypted) == sorted([f"Two-wheeler plant {SECRET}", "From the office"])
    database = encrypted.db.engine.url.database
    encrypted.close()
    assert database is not None and is_encrypted(Path(database))


def test_a_failed_backup_leaves_no_partial_file(encrypted: Desk, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(DatabaseProblem, match="The backup could not be written"):
        backup_database(encrypted.db.engine, blocker / "b.sqlite3")
    (tmp_path / "taken.sqlite3").mkdir()
    with pytest.raises(DatabaseProblem, match="The backup could not be written"):
        backup_database(encrypted.db.engine, tmp_path / "taken.sqlite3", decrypt=True)
    encrypted.close()
    assert not list(tmp_path.glob("*.partial"))
