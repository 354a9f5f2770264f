"""Opening a database: refuse what cannot be opened safely, migrate an older one after a backup.

The schema is owned by alembic. Migrations run in one transaction (SQLite DDL is
transactional), so a failed migration leaves the file exactly as it was.

A SQLite file may be encrypted with a passphrase (``open_database(path, passphrase=...)``,
see mou_desk.storage.encryption): a new file is then created encrypted, an existing one must
be encrypted with that passphrase. A wrong passphrase is refused before anything is written.
"""

from __future__ import annotations

import importlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.storage.engine import WRITE_OPTION, database_url, make_engine, sqlite_path
from mou_desk.storage.location import check_sqlite_file, read_only_uri


def migrations_dir() -> Path:
    """The alembic scripts: migrations/ in a checkout, mou_desk.migrations when installed."""
    checkout = Path(__file__).resolve().parents[2] / "migrations"
    if (checkout / "env.py").is_file():
        return checkout
    module = importlib.import_module("mou_desk.migrations")
    return Path(str(module.__file__)).parent


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class OpenedDatabase:
    url: str
    engine: Engine
    #: where the pre-migration copy went, when an older database was upgraded
    backup: Path | None = None
    created: bool = False


def open_database(
    path_or_url: str | Path, *, backup_folder: Path | None = None, passphrase: str | None = None
) -> OpenedDatabase:
    """Open (creating or upgrading as needed) the database a clerk chose.

    ``passphrase``: the file is encrypted (or is created so) with it; None opens a plain file.
    """
    url = database_url(path_or_url)
    file = sqlite_path(url)
    if file is not None:
        check_sqlite_file(file, encrypted=passphrase is not None)
        if file.exists() and file.stat().st_size:
            # Look before the engine connects: its WAL pragma rewrites the file's header.
            _refuse_unusable(*_peek(file, passphrase), str(file))
    engine = make_engine(url, passphrase=passphrase)
    try:
        revision, has_tables = _inspect(engine)
        _refuse_unusable(revision, has_tables, str(file or url))
        backup = None
        if revision != head_revision():
            if revision is not None and file is not None:
                from mou_desk.storage.backup import backup_database

                folder = backup_folder or file.parent
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                backup = folder / f"{file.stem}.before-upgrade-{revision}-{stamp}.sqlite3"
                backup_database(engine, backup)
            upgrade(engine)
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise DatabaseProblem(
            f"The database {file or url} cannot be opened: {_reason(exc)}. "
            "Check the path or address, and that you may use it."
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return OpenedDatabase(url=url, engine=engine, backup=backup, created=revision is None)


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def _refuse_unusable(revision: str | None, has_tables: bool, where: str) -> None:
    if revision is not None and revision not in known_revisions():
        raise DatabaseProblem(
            f"This database was written by a newer version of MoU Desk (schema {revision}). "
            "Install the newer MoU Desk to open it; it has been left untouched."
        )
    if revision is None and has_tables:
        raise DatabaseProblem(
            f"{where} holds tables that are not a MoU Desk database. "
            "Choose another file; it has been left untouched."
        )


def _peek(file: Path, passphrase: str | None) -> tuple[str | None, bool]:
    if passphrase is None:
        return _peek_sqlite(file)
    from mou_desk.storage.encryption import is_encrypted, peek

    if not is_encrypted(file):
        raise DatabaseProblem(
            f"{file} is not encrypted, so it opens without a passphrase. To protect it with "
            "one, encrypt it (mou-desk encrypt). It has been left as it was."
        )
    return peek(file, passphrase)


def _peek_sqlite(file: Path) -> tuple[str | None, bool]:
    """Schema revision and whether other tables exist, read without changing a byte."""
    try:
        with closing(sqlite3.connect(read_only_uri(file), uri=True)) as conn:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            row = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(
            f"{file} cannot be opened as a database ({exc}). It has been left untouched."
        ) from exc
    return (str(row[0]) if row else None), bool(tables - {"alembic_version"})


#: FTS5 tables and the PostgreSQL trigram index are made by hand-written SQL in the migrations,
#: so autogenerate and ``alembic check`` must not see them.
UNMODELLED_PREFIXES = ("search_fts", "search_cjk", "ix_search_docs_body_trgm")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (name and name.startswith(UNMODELLED_PREFIXES))


def _inspect(engine: Engine) -> tuple[str | None, bool]:
    with engine.connect() as connection:
        revision = current_revision(connection)
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    return revision, bool(tables)


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)) or exc.__class__.__name__
    return text.splitlines()[0]
