"""A laptop replica encrypted at rest: opening, refusing, encrypting and decrypting in place."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from mou_desk.domain.errors import DatabaseProblem, PassphraseProblem
from mou_desk.services.desk import Desk
from mou_desk.services.search import search
from mou_desk.storage import encryption
from mou_desk.storage.encryption import (
    MISSING_PACKAGE,
    change_passphrase,
    decrypt_database,
    encrypt_database,
    is_encrypted,
)
from mou_desk.storage.engine import database_url, make_engine
from mou_desk.storage.lifecycle import downgrade, head_revision, open_database
from mou_desk.storage.location import SQLITE_MAGIC

SECRET = "Kurosawa-Tanaka-Ōsaka-गोपनीय"
PASS = "monsoon \"quoted\" 'single' मानसून 2025"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def titles(desk: Desk) -> list[str]:
    return sorted(m["title"] for m in desk.mous.all())


def make_replica(path: Path, passphrase: str | None) -> None:
    desk = Desk.open(path, clerk="Ravi Kumar", passphrase=passphrase)
    try:
        mou = desk.mous.create({"title": f"Battery plant {SECRET}", "sector": "Electronics"})
        desk.partners.create({"name": f"Partner {SECRET}", "city": "Osaka"})
        desk.mous.update(mou.id, {"district": "Noida"}, mou.version)
    finally:
        desk.close()


@pytest.fixture
def replica(tmp_path: Path) -> Path:
    path = tmp_path / "laptop.sqlite3"
    make_replica(path, PASS)
    return path


def test_an_encrypted_replica_holds_no_readable_text(tmp_path: Path, replica: Path) -> None:
    plain = tmp_path / "plain.sqlite3"
    make_replica(plain, None)
    assert SECRET.encode() in plain.read_bytes()  # the control: a plain file shows it
    assert listing(tmp_path) == ["laptop.sqlite3", "plain.sqlite3"]
    assert SECRET.encode() not in replica.read_bytes()
    assert not replica.read_bytes().startswith(SQLITE_MAGIC) and is_encrypted(replica)
    assert not is_encrypted(plain)


def test_an_encrypted_replica_works_like_any_database(replica: Path) -> None:
    desk = Desk.open(replica, clerk="Meena Verma", passphrase=PASS)
    try:
        assert titles(desk) == [f"Battery plant {SECRET}"]
        assert [h.label for h in search(desk.db, "Kurosawa")]  # FTS5 inside SQLCipher
        with desk.db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA cipher_version")).scalar()
        # open in the middle of writing: the write-ahead log is encrypted too
        desk.mous.create({"title": f"Second {SECRET}"})
        wal = replica.with_name(replica.name + "-wal")
        assert wal.exists() and SECRET.encode() not in wal.read_bytes()
        found: list[list[str]] = []
        worker = threading.Thread(target=lambda: found.append(titles(desk)))
        worker.start()
        worker.join()
        assert len(found[0]) == 2  # a pool of connections, usable from a worker thread
        assert desk.opened is not None and desk.opened.url == database_url(replica)
        assert PASS not in repr(desk.db.engine) and PASS not in str(desk.db.engine.url)
    finally:
        desk.close()


def test_a_wrong_passphrase_is_refused_and_the_file_is_left_byte_identical(replica: Path) -> None:
    before, files = sha256(replica), listing(replica.parent)
    with pytest.raises(DatabaseProblem) as caught:
        Desk.open(replica, passphrase="monsoon")
    assert str(caught.value) == (
        f"The passphrase does not open {replica}. Check it and try again; "
        "the file has not been changed."
    )
    assert sha256(replica) == before and listing(replica.parent) == files


def test_no_passphrase_for_an_encrypted_file_says_to_give_one(replica: Path) -> None:
    before = sha256(replica)
    with pytest.raises(DatabaseProblem) as caught:
        open_database(replica)
    assert "is not a MoU Desk database, or it is encrypted: give its passphrase with " in str(
        caught.value
    )
    assert sha256(replica) == before and listing(replica.parent) == ["laptop.sqlite3"]


def test_only_a_file_of_whole_pages_is_taken_for_an_encrypted_one(tmp_path: Path) -> None:
    """The desktop asks for a passphrase on PassphraseProblem; a text file is no reason to."""
    noise, text_file = tmp_path / "noise.sqlite3", tmp_path / "notes.sqlite3"
    noise.write_bytes(hashlib.sha256(b"seed").digest() * 128)  # 4,096 bytes of noise
    text_file.write_text("Minutes of the Osaka meeting\n" * 10, encoding="utf-8")
    with pytest.raises(PassphraseProblem):
        open_database(noise)
    with pytest.raises(DatabaseProblem) as caught:
        open_database(text_file)
    assert not isinstance(caught.value, PassphraseProblem)
    assert str(caught.value) == (
        f"{text_file} is not a MoU Desk database. Check that you chose the right file; "
        "it has been left as it was."
    )


def test_a_passphrase_for_a_plain_file_is_refused_untouched(tmp_path: Path) -> None:
    plain = tmp_path / "plain.sqlite3"
    make_replica(plain, None)
    before = sha256(plain)
    with pytest.raises(DatabaseProblem, match="is not encrypted, so it opens without a pass"):
        open_database(plain, passphrase=PASS)
    assert sha256(plain) == before


def test_an_empty_passphrase_and_a_server_database_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="passphrase is empty"):
        open_database(tmp_path / "new.sqlite3", passphrase="")
    with pytest.raises(DatabaseProblem, match="is a server database"):
        make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/x", passphrase=PASS)


def test_encrypt_and_decrypt_in_place_keep_every_row(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    make_replica(path, None)
    desk = Desk.open(path)
    history_before = desk.mous.history(desk.mous.all()[0].id)
    desk.close()

    encrypt_database(path, PASS)
    assert is_encrypted(path) and SECRET.encode() not in path.read_bytes()
    assert listing(tmp_path) == ["desk.sqlite3"]
    desk = Desk.open(path, passphrase=PASS)
    assert titles(desk) == [f"Battery plant {SECRET}"]
    assert desk.mous.history(desk.mous.all()[0].id) == history_before
    assert [p.label for p in desk.partners.all()] == [f"Partner {SECRET}"]
    desk.close()

    decrypt_database(path, PASS)
    assert path.read_bytes().startswith(SQLITE_MAGIC) and listing(tmp_path) == ["desk.sqlite3"]
    desk = Desk.open(path)
    assert titles(desk) == [f"Battery plant {SECRET}"] and search(desk.db, "Kurosawa")
    desk.close()


def test_decrypt_with_a_wrong_passphrase_changes_nothing(replica: Path) -> None:
    before = sha256(replica)
    with pytest.raises(DatabaseProblem, match="The passphrase does not open"):
        decrypt_database(replica, "wrong")
    with pytest.raises(DatabaseProblem, match="The passphrase does not open"):
        change_passphrase(replica, "wrong", "new")
    assert sha256(replica) == before and listing(replica.parent) == ["laptop.sqlite3"]


def test_encrypting_twice_or_decrypting_a_plain_file_is_refused(
    tmp_path: Path, replica: Path
) -> None:
    before = sha256(replica)
    with pytest.raises(DatabaseProblem, match="already encrypted"):
        encrypt_database(replica, PASS)
    assert sha256(replica) == before
    plain = tmp_path / "plain.sqlite3"
    make_replica(plain, None)
    with pytest.raises(DatabaseProblem, match="is not encrypted; nothing was changed"):
        decrypt_database(plain, PASS)
    with pytest.raises(DatabaseProblem, match="does not exist"):
        encrypt_database(tmp_path / "missing.sqlite3", PASS)


def test_change_passphrase(replica: Path) -> None:
    change_passphrase(replica, PASS, "new words")
    with pytest.raises(DatabaseProblem, match="The passphrase does not open"):
        open_database(replica, passphrase=PASS)
    desk = Desk.open(replica, passphrase="new words")
    assert titles(desk) == [f"Battery plant {SECRET}"]
    desk.close()


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Path]:
    """A plain database held open by another process (a desktop window on it)."""
    path = tmp_path / "busy.sqlite3"
    make_replica(path, None)
    code = (
        "import sys\nfrom mou_desk.services.desk import Desk\n"
        f"desk = Desk.open({str(path)!r})\ndesk.mous.all()\n"
        "print('ready', flush=True)\nsys.stdin.readline()\ndesk.close()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        yield path
        process.communicate("\n", timeout=60)


def test_a_file_in_use_by_another_process_is_not_rewritten(holder: Path) -> None:
    with pytest.raises(DatabaseProblem) as caught:
        encrypt_database(holder, PASS)
    assert "is in use by another MoU Desk window or command" in str(caught.value)
    assert not is_encrypted(holder)
    assert not holder.with_name(holder.name + ".rewriting").exists()


def test_a_rewrite_that_fails_at_the_end_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.sqlite3"
    make_replica(path, None)

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(DatabaseProblem):
        encrypt_database(path, PASS)
    monkeypatch.undo()
    assert listing(tmp_path) == ["desk.sqlite3"] and not is_encrypted(path)
    desk = Desk.open(path)
    assert titles(desk) == [f"Battery plant {SECRET}"]
    desk.close()


def test_a_copy_that_does_not_check_out_is_thrown_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.sqlite3"
    make_replica(path, None)
    real = encryption._row_counts

    def short_by_one(conn: object, schema: str = "main") -> dict[str, int]:
        counts = real(conn, schema)
        if "mou_desk_export" in str(conn.execute("PRAGMA database_list").fetchall()):  # type: ignore[attr-defined]
            return counts  # counting the source while the copy is made
        return {**counts, "mous": counts["mous"] - 1}

    monkeypatch.setattr(encryption, "_row_counts", short_by_one)
    with pytest.raises(DatabaseProblem, match="did not check out"):
        encrypt_database(path, PASS)
    assert listing(tmp_path) == ["desk.sqlite3"] and not is_encrypted(path)


def test_an_older_encrypted_replica_is_upgraded_with_an_encrypted_backup(replica: Path) -> None:
    engine = make_engine(database_url(replica), passphrase=PASS)
    downgrade(engine, "0002")
    engine.dispose()
    opened = open_database(replica, passphrase=PASS)
    opened.engine.dispose()
    assert opened.backup is not None and is_encrypted(opened.backup)
    assert SECRET.encode() not in opened.backup.read_bytes()
    kept = Desk.open(opened.backup, passphrase=PASS)  # the backup opens with the passphrase
    assert titles(kept) == [f"Battery plant {SECRET}"]
    kept.close()
    check = make_engine(database_url(replica), passphrase=PASS)
    with check.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    check.dispose()
    assert version == head_revision()


def test_without_sqlcipher3_encryption_is_refused_and_plain_files_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # import sqlcipher3 -> ImportError
    assert not encryption.available()
    with pytest.raises(DatabaseProblem) as caught:
        Desk.open(tmp_path / "new.sqlite3", passphrase=PASS)
    assert str(caught.value) == MISSING_PACKAGE
    assert str(caught.value) == (
        "Encryption needs the sqlcipher3 package: pip install mou-desk[encryption]"
    )
    plain = tmp_path / "plain.sqlite3"
    make_replica(plain, None)
    with pytest.raises(DatabaseProblem, match="needs the sqlcipher3 package"):
        encrypt_database(plain, PASS)
    assert not is_encrypted(plain) and listing(tmp_path) == ["plain.sqlite3"]


@pytest.mark.parametrize("passphrase", [None, PASS])
def test_a_folder_named_with_a_hash_holds_databases_safely(
    tmp_path: Path, passphrase: str | None
) -> None:
    folder = tmp_path / "MoU #2 100%"
    folder.mkdir()
    path = folder / "laptop.sqlite3"
    make_replica(path, passphrase)
    engine = make_engine(database_url(path), passphrase=passphrase)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999zz'"))
    engine.dispose()
    before = sha256(path)
    with pytest.raises(DatabaseProblem, match="written by a newer version"):
        open_database(path, passphrase=passphrase)  # the file itself was looked at
    assert sha256(path) == before and listing(tmp_path) == ["MoU #2 100%"]
