"""Backup and restore against a real PostgreSQL server: the shared database to a file and back.

Skips where no server answers, except in CI (see tests/postgres.py).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mou_desk.domain.errors import DatabaseProblem, PermissionDenied
from mou_desk.services import access
from mou_desk.services.access import Role
from mou_desk.services.demo import load_demo
from mou_desk.services.desk import Desk
from mou_desk.services.search import search
from mou_desk.storage.backup import backup_database, check_backup_file, restore_database
from mou_desk.storage.encryption import is_encrypted
from mou_desk.storage.engine import database_url, make_engine
from mou_desk.storage.lifecycle import downgrade, head_revision
from mou_desk.storage.models import Base
from tests.postgres import empty_all_tables, postgres_url  # noqa: F401 - fixture

pytestmark = pytest.mark.postgres

Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table, in a stable order: two equal snapshots hold the same data."""
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def shared(postgres_url: str) -> Iterator[Desk]:  # noqa: F811 - the fixture
    """The department's shared database, emptied, with the sample portfolio and an admin."""
    desk = Desk.open(postgres_url, clerk="Ravi Kumar")
    empty_all_tables(desk.db.engine)
    load_demo(desk)
    access.grant(desk.db, "Ravi Kumar", Role.ADMIN)
    access.grant(desk.db, "Meena Verma", Role.CLERK)
    yield desk
    desk.close()


def test_backup_of_the_shared_database_is_a_complete_sqlite_file(
    shared: Desk, tmp_path: Path
) -> None:
    path = backup_database(shared.db.engine, tmp_path / "shared-backup.sqlite3")
    assert check_backup_file(path) == head_revision()
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy = make_engine(database_url(path))
    try:
        assert snapshot(copy) == snapshot(shared.db.engine)
        assert sum(len(rows) for rows in snapshot(copy).values()) > 100
    finally:
        copy.dispose()
    laptop = Desk.open(path, clerk="Meena Verma")
    try:
        assert laptop.db.role is Role.CLERK  # the roles travel with the copy
        mou = laptop.mous.all()[0]
        assert search(laptop.db, mou["title"].split()[0])  # the full-text index was rebuilt
        assert laptop.mous.history(mou.id) == shared.mous.history(mou.id)
    finally:
        laptop.close()


def test_restore_of_a_file_replaces_the_shared_database_and_work_goes_on(
    shared: Desk, tmp_path: Path
) -> None:
    backup = backup_database(shared.db.engine, tmp_path / "before.sqlite3")
    expected = snapshot(shared.db.engine)
    before = sha256(backup)
    # work after the backup, to be undone by the restore
    later = shared.partners.create({"name": "Written after the backup", "city": "Kobe"})
    first = shared.mous.all()[0]
    shared.mous.delete(first.id)

    assert restore_database(backup, shared.db.engine) is None  # nothing to keep on a server
    assert snapshot(shared.db.engine) == expected
    assert sha256(backup) == before  # the backup was only read
    assert shared.mous.get(first.id).id == first.id
    assert later.id not in {p.id for p in shared.partners.all()}
    # new records after a restore: the server's counters continue after the restored rows
    fresh = shared.mous.create({"title": "Semiconductor fab after restore"})
    assert {h.record_id for h in search(shared.db, "Semiconductor fab")} >= {fresh.id}


def test_restore_onto_a_new_empty_server_continues_its_counters(
    shared: Desk, tmp_path: Path
) -> None:
    backup = backup_database(shared.db.engine, tmp_path / "before.sqlite3")
    expected = snapshot(shared.db.engine)
    empty_all_tables(shared.db.engine)  # a new server: every counter starts again at 1
    restore_database(backup, shared.db.engine)
    assert snapshot(shared.db.engine) == expected
    for i in range(3):
        shared.partners.create({"name": f"New partner {i}"})
    assert len(search(shared.db, "New partner")) == 3


def test_restore_of_an_older_backup_onto_the_server(shared: Desk, tmp_path: Path) -> None:
    old = backup_database(shared.db.engine, tmp_path / "old.sqlite3")
    engine = make_engine(database_url(old))
    downgrade(engine, "0002")  # as made by the MoU Desk before roles existed
    engine.dispose()
    titles = sorted(m["title"] for m in shared.mous.all())
    shared.mous.create({"title": "Only on the server"})

    restore_database(old, shared.db.engine)
    assert sorted(m["title"] for m in shared.mous.all()) == titles
    assert access.list_roles(shared.db) == []  # that backup had no roles: everyone is admin


def test_an_encrypted_backup_of_the_server_and_its_restore(shared: Desk, tmp_path: Path) -> None:
    expected = snapshot(shared.db.engine)
    path = backup_database(shared.db.engine, tmp_path / "trip.sqlite3", passphrase="Osaka 2025")
    assert is_encrypted(path)
    with pytest.raises(DatabaseProblem, match="or it is encrypted"):
        check_backup_file(path)
    assert check_backup_file(path, "Osaka 2025") == head_revision()
    before = sha256(path)
    with pytest.raises(DatabaseProblem, match="The passphrase does not open"):
        restore_database(path, shared.db.engine, passphrase="Kyoto")
    assert snapshot(shared.db.engine) == expected and sha256(path) == before

    shared.partners.create({"name": "Gone after the restore"})
    restore_database(path, shared.db.engine, passphrase="Osaka 2025")
    assert snapshot(shared.db.engine) == expected


def test_roles_are_enforced_on_the_server(shared: Desk) -> None:
    viewer = Desk.open(str(shared.db.engine.url.render_as_string(False)), clerk="Anil Rao")
    try:
        assert viewer.db.role is Role.VIEWER
        with pytest.raises(PermissionDenied, match="ask an admin \\(Ravi Kumar\\)"):
            viewer.partners.create({"name": "Refused"})
        with pytest.raises(PermissionDenied, match="Only an admin can restore a backup"):
            access.require(viewer.db, Role.ADMIN, "restore a backup onto this database")
    finally:
        viewer.close()
    clerk = Desk.for_database(shared.db.as_(clerk="meena verma"))
    assert clerk.partners.create({"name": "Allowed"})["name"] == "Allowed"
