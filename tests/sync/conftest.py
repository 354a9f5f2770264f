"""Sync tests: a shared database (a SQLite file, or PostgreSQL when a server answers) and
replicas made from it on the test's temp folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mou_desk.services.desk import Desk
from mou_desk.services.sync.state import set_database_id
from mou_desk.storage.base import new_id
from mou_desk.storage.engine import database_url
from tests.postgres import empty_all_tables, postgres_url  # noqa: F401 - fixture

SharedFactory = Callable[[], tuple[Desk, str]]


def fresh_shared(url: str) -> Desk:
    """Open the shared database, emptied, with a new id (as a database made today)."""
    desk = Desk.open(url, clerk="Server Clerk")
    if desk.db.dialect != "sqlite":
        empty_all_tables(desk.db.engine)
        with desk.db.engine.begin() as connection:
            set_database_id(connection, new_id())
    return desk


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Desk, str]]:
    """(the shared database's Desk, its URL) on each backend."""
    if request.param == "sqlite":
        url = database_url(tmp_path / "shared.sqlite3")
    else:
        url = request.getfixturevalue("postgres_url")
    desk = fresh_shared(url)
    yield desk, url
    desk.close()


@pytest.fixture
def shared_sqlite(tmp_path: Path) -> Iterator[tuple[Desk, str]]:
    url = database_url(tmp_path / "shared.sqlite3")
    desk = fresh_shared(url)
    yield desk, url
    desk.close()
