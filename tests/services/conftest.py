"""Service tests run twice: on a SQLite file and on a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mou_desk.services.desk import Desk
from tests.postgres import empty_all_tables, postgres_url  # noqa: F401 - fixture


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    """A migrated, empty database with every service wired to it, on each backend."""
    if request.param == "sqlite":
        opened = Desk.open(tmp_path / "t.sqlite3", clerk="Test Clerk")
    else:
        url = request.getfixturevalue("postgres_url")
        opened = Desk.open(url, clerk="Test Clerk")
        empty_all_tables(opened.db.engine)
    yield opened
    opened.close()
