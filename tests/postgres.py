"""A throwaway PostgreSQL database for the tests that run on both backends.

The server is the one CI provides at 127.0.0.1:5432 (user postgres, trust authentication);
MOU_DESK_TEST_PG names another. Where none answers the PostgreSQL variants skip with the
reason, except in CI (CI=true), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

ADMIN_URL = os.environ.get(
    "MOU_DESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def server_or_skip() -> None:
    try:
        engine = create_engine(ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except OperationalError as error:
        reason = f"no PostgreSQL server answers at {make_url(ADMIN_URL).render_as_string()}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide one ({error.orig})")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the server for this test session, dropped at the end."""
    server_or_skip()
    name = f"mou_desk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_all_tables(engine: object) -> None:
    from mou_desk.storage.models import Base

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
