"""Opening a database: create at head, upgrade an older one after a backup, refuse the rest.

Whatever is refused is left exactly as it was (same bytes), and a migration that fails half-way
leaves the file at the revision it had, with the clerk's data.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.storage import lifecycle
from mou_desk.storage.engine import database_url, make_engine
from mou_desk.storage.lifecycle import head_revision, open_database, upgrade
from mou_desk.storage.models import Base, Partner

PARTNER_ID = "11111111-2222-4333-8444-555555555555"
PARTNER_NAME = "Kansai Pharmaceutical Industries Association"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revision_in(path: Path) -> str | None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def tables_in(path: Path) -> set[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def partner_names(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM partners ORDER BY name")]


def indexes_in(path: Path) -> set[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}


def make_older_database(path: Path) -> None:
    """A database left at the first schema by an older MoU Desk, holding one partner."""
    engine = make_engine(database_url(path))
    try:
        upgrade(engine, "0001")
        with engine.begin() as connection:
            connection.execute(insert(Partner.__table__).values(id=PARTNER_ID, name=PARTNER_NAME))
    finally:
        engine.dispose()


def dispose_after(opened: lifecycle.OpenedDatabase) -> None:
    opened.engine.dispose()


def break_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on alembic's upgrade does all its work, then something fails before commit."""
    real: Callable[..., Any] = lifecycle.command.upgrade

    def upgrade_then_fail(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise RuntimeError("power cut during the migration")

    monkeypatch.setattr(lifecycle.command, "upgrade", upgrade_then_fail)


def test_new_file_is_created_at_head(tmp_path: Path) -> None:
    path = tmp_path / "new folder" / "desk.sqlite3"
    opened = open_database(path)
    try:
        assert opened.created is True
        assert opened.backup is None
        assert opened.url == database_url(path)
    finally:
        dispose_after(opened)
    assert revision_in(path) == head_revision()
    assert {t.name for t in Base.metadata.sorted_tables} <= tables_in(path)


def test_database_at_head_opens_without_backup_or_change(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    dispose_after(open_database(path))
    opened = open_database(path)
    dispose_after(opened)
    assert opened.created is False
    assert opened.backup is None
    assert list(tmp_path.glob("*before-upgrade*")) == []


def test_older_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    make_older_database(path)
    assert revision_in(path) == "0001"

    opened = open_database(path)
    dispose_after(opened)

    assert opened.created is False
    assert opened.backup is not None
    assert opened.backup.is_file()
    assert opened.backup.parent == tmp_path
    assert "0001" in opened.backup.name
    assert revision_in(opened.backup) == "0001"
    assert partner_names(opened.backup) == [PARTNER_NAME]

    assert revision_in(path) == head_revision()
    assert partner_names(path) == [PARTNER_NAME]
    assert "ix_partners_name" in indexes_in(path)


def test_pre_upgrade_backup_goes_to_the_folder_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    make_older_database(path)
    folder = tmp_path / "backups"
    opened = open_database(path, backup_folder=folder)
    dispose_after(opened)
    assert opened.backup is not None
    assert opened.backup.parent == folder
    assert partner_names(opened.backup) == [PARTNER_NAME]


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    dispose_after(open_database(path))
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zz'")
    before = sha256(path)

    with pytest.raises(DatabaseProblem, match="newer") as caught:
        open_database(path)

    assert "9999zz" in str(caught.value)
    assert sha256(path) == before
    assert revision_in(path) == "9999zz"
    assert list(tmp_path.glob("*before-upgrade*")) == []


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Minutes of the Osaka meeting, 14 July 2025\n" * 20, encoding="utf-8")
    before = sha256(path)
    with pytest.raises(DatabaseProblem, match="not a MoU Desk database"):
        open_database(path)
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_sqlite_file_of_another_program_is_refused_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount TEXT)")
        conn.execute("INSERT INTO invoices (amount) VALUES ('12.50')")

    with pytest.raises(DatabaseProblem, match="not a MoU Desk database"):
        open_database(path)

    assert tables_in(path) == {"invoices"}
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT amount FROM invoices").fetchall() == [("12.50",)]


def test_path_under_a_regular_file_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "reports.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(DatabaseProblem, match="cannot be created"):
        open_database(blocker / "desk.sqlite3")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="is a folder"):
        open_database(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tests run as root, for whom every folder is writable; the one low-level probe that
    # asks the file system is replaced so the refusal path itself is exercised.
    from mou_desk.storage import location

    monkeypatch.setattr(location, "_folder_writable", lambda folder: False)
    with pytest.raises(DatabaseProblem, match="cannot be written"):
        open_database(tmp_path / "desk.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_failed_migration_of_a_new_file_leaves_no_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.sqlite3"
    break_migrations(monkeypatch)
    with pytest.raises(RuntimeError, match="power cut"):
        open_database(path)
    leftover = tables_in(path) if path.exists() else set()
    assert leftover == set(), f"half-made schema left behind: {sorted(leftover)}"


def test_new_file_after_a_failed_migration_opens_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.sqlite3"
    break_migrations(monkeypatch)
    with pytest.raises(RuntimeError):
        open_database(path)
    monkeypatch.undo()
    opened = open_database(path)
    dispose_after(opened)
    assert revision_in(path) == head_revision()


def test_failed_migration_of_an_older_database_keeps_its_revision_and_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.sqlite3"
    make_older_database(path)
    indexes_before = indexes_in(path)
    break_migrations(monkeypatch)

    with pytest.raises(RuntimeError, match="power cut"):
        open_database(path)

    assert revision_in(path) == "0001"
    assert partner_names(path) == [PARTNER_NAME]
    assert indexes_in(path) == indexes_before
    assert "ix_partners_name" not in indexes_in(path)
    # The copy taken before the attempt is there too.
    backups = list(tmp_path.glob("desk.before-upgrade-0001-*.sqlite3"))
    assert len(backups) == 1
    assert partner_names(backups[0]) == [PARTNER_NAME]


def test_sqlite_file_of_another_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:
        # An ordinary SQLite file as other programs leave it: rollback journal, not WAL.
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount TEXT)")
        conn.execute("INSERT INTO invoices (amount) VALUES ('12.50')")
    before = sha256(path)
    with pytest.raises(DatabaseProblem, match="not a MoU Desk database"):
        open_database(path)
    assert sha256(path) == before, "opening a foreign SQLite file changed its bytes"


def test_newer_backup_file_opened_directly_is_refused_untouched(tmp_path: Path) -> None:
    # `mou-desk backup` writes with VACUUM INTO: the copy is in rollback-journal mode.
    live = open_database(tmp_path / "live.sqlite3")
    from mou_desk.storage.backup import backup_database

    copy = backup_database(live.engine, tmp_path / "from-newer.sqlite3")
    live.engine.dispose()
    with closing(sqlite3.connect(copy)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zz'")
    before = sha256(copy)
    with pytest.raises(DatabaseProblem, match="newer"):
        open_database(copy)
    assert sha256(copy) == before, "refusing a newer database changed its bytes"
