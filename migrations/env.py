"""Alembic environment: run against the connection the app hands over, or a -x db=... URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from mou_desk.storage.engine import WRITE_OPTION, database_url, make_engine
from mou_desk.storage.lifecycle import include_name
from mou_desk.storage.models import Base


def run_on(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild tables; foreign keys are checked at commit instead.
        connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        transactional_ddl=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("MOU_DESK_DB")
    if not url:
        raise SystemExit("Pass the database: alembic -x db=PATH_OR_URL ...")
    engine = make_engine(database_url(url)).execution_options(**{WRITE_OPTION: True})
    with engine.begin() as conn:
        run_on(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported.")
main()
