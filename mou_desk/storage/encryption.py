"""A SQLite database file encrypted at rest with a passphrase (SQLCipher), optional.

Off by default. It needs the ``sqlcipher3`` package (``pip install mou-desk[encryption]``,
which brings the ``sqlcipher3-binary`` wheels); without it everything else works and only a
passphrase is refused, with that instruction.

API::

    open_database(path, passphrase=...)            # storage.lifecycle: open or create encrypted
    Desk.open(path, passphrase=...)                # the same, with every service wired
    encrypt_database(path, passphrase)             # a plain file becomes encrypted, in place
    decrypt_database(path, passphrase)             # an encrypted file becomes plain, in place
    change_passphrase(path, old, new)              # the same file under a new passphrase
    is_encrypted(path) -> bool                     # a file without the plain SQLite header
    backup_database(engine, dest, passphrase=...)  # storage.backup: encrypted or plain copies

In-place changes write a complete new file beside the old one (``<name>.rewriting``), check it
(integrity and the number of rows of every table) and only then put it in the old one's place
in one rename, so nothing is ever half-written: interrupted, the old file is still whole and
the new one is simply left out. Close every window and command using the file first (another
process still using it is detected and refused). A wrong passphrase is refused before anything
is touched: the file stays byte-identical.

An encrypted file has no readable header, so it cannot be told apart from any other file of
random bytes: without a passphrase it is refused as "not a MoU Desk database, or encrypted".
The file is only ever opened through sqlcipher3 once encrypted (mixing two SQLite libraries
on one file in one process would break SQLite's locks).
"""

from __future__ import annotations

import os
import sys
from contextlib import closing, suppress
from pathlib import Path
from types import ModuleType
from typing import Any

from mou_desk.domain.errors import DatabaseProblem, PassphraseProblem
from mou_desk.storage.location import SQLITE_MAGIC, read_only_uri

MISSING_PACKAGE = "Encryption needs the sqlcipher3 package: pip install mou-desk[encryption]"
#: how long an in-place rewrite waits for another user of the file before refusing
IN_USE_WAIT_MS = 2_000

_quiet = False


def sqlcipher() -> ModuleType:
    """The sqlcipher3 DB-API module, or a clear refusal when it is not installed."""
    global _quiet
    try:
        import sqlcipher3
    except ImportError as exc:
        raise DatabaseProblem(MISSING_PACKAGE) from exc
    if not _quiet:
        # SQLCipher writes a wrong passphrase's decryption errors to stderr; we say it better.
        with closing(sqlcipher3.connect(":memory:")) as conn:
            conn.execute("PRAGMA cipher_log_level = NONE")
        _quiet = True
    module: ModuleType = sqlcipher3
    return module


def driver_errors() -> tuple[type[Exception], ...]:
    """sqlcipher3's own error classes (they are not sqlite3's), or none without the package."""
    try:
        import sqlcipher3
    except ImportError:
        return ()
    return (sqlcipher3.Error,)


def available() -> bool:
    """True when encryption can be used (sqlcipher3 is installed)."""
    try:
        sqlcipher()
    except DatabaseProblem:
        return False
    return True


def is_encrypted(path: Path) -> bool:
    """True for a non-empty file that lacks the plain SQLite header (encrypted, or not SQLite)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return bool(header) and header != SQLITE_MAGIC


def check_passphrase(passphrase: str) -> str:
    if not passphrase:
        raise DatabaseProblem("The passphrase is empty. Give one of at least one character.")
    return passphrase


def key_pragma(passphrase: str) -> str:
    """``PRAGMA key`` quoted exactly as SQLAlchemy's sqlite+pysqlcipher dialect quotes it."""
    return 'PRAGMA key = "' + passphrase.replace('"', '""') + '"'


def wrong_passphrase(path: Path) -> PassphraseProblem:
    return PassphraseProblem(
        f"The passphrase does not open {path}. Check it and try again; "
        "the file has not been changed."
    )


def connect(path: Path, passphrase: str | None, *, read_only: bool = False) -> Any:
    """A sqlcipher3 connection to ``path`` with its key set and checked (None: a plain file).

    Refuses a wrong passphrase (or a file that is no database) without writing anything.
    """
    module = sqlcipher()
    target = read_only_uri(path) if read_only else path.resolve().as_uri()
    conn = module.connect(target, uri=True, isolation_level=None, timeout=IN_USE_WAIT_MS / 1000)
    try:
        if passphrase is not None:
            conn.execute(key_pragma(check_passphrase(passphrase)))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        conn.close()
        if passphrase is None:
            raise PassphraseProblem(
                f"{path} is not a MoU Desk database, or it is encrypted: give its passphrase "
                "with --passphrase. It has been left as it was."
            ) from exc
        raise wrong_passphrase(path) from exc
    return conn


def peek(path: Path, passphrase: str) -> tuple[str | None, bool]:
    """Schema revision and whether other tables exist, of an encrypted file, read-only."""
    with closing(connect(path, passphrase, read_only=True)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        row = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return (str(row[0]) if row else None), bool(tables - {"alembic_version"})


def encrypt_database(path: Path, passphrase: str) -> None:
    """Encrypt a plain database file in place with ``passphrase``."""
    path = _existing(path)
    if is_encrypted(path):
        raise DatabaseProblem(
            f"{path} is already encrypted (or is not a MoU Desk database); nothing was changed."
        )
    _rewrite(path, None, check_passphrase(passphrase), "encrypted")


def decrypt_database(path: Path, passphrase: str) -> None:
    """Turn an encrypted database file back into a plain one, in place."""
    path = _existing(path)
    if not is_encrypted(path):
        raise DatabaseProblem(f"{path} is not encrypted; nothing was changed.")
    _rewrite(path, check_passphrase(passphrase), None, "decrypted")


def change_passphrase(path: Path, old: str, new: str) -> None:
    """Re-encrypt an encrypted database file under a new passphrase, in place."""
    path = _existing(path)
    if not is_encrypted(path):
        raise DatabaseProblem(f"{path} is not encrypted; encrypt it first. Nothing was changed.")
    _rewrite(path, check_passphrase(old), check_passphrase(new), "re-encrypted")


def export(
    conn: Any, destination: Path, passphrase: str | None, *, sole: bool = False
) -> dict[str, int]:
    """Copy the database of a sqlcipher3 connection to a new file, encrypted or plain (None).

    The copy is one transaction: a consistent snapshot even while another process writes
    (``sole``: an exclusive one, keeping everyone else out). Returns the rows of every table
    as they were copied.
    """
    conn.execute("ATTACH DATABASE ? AS mou_desk_export KEY ?", (str(destination), passphrase or ""))
    try:
        conn.execute("BEGIN EXCLUSIVE" if sole else "BEGIN")
        try:
            counts = _row_counts(conn)
            conn.execute("SELECT sqlcipher_export('mou_desk_export')")
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA mou_desk_export.user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE mou_desk_export")
    return counts


def _existing(path: Path) -> Path:
    path = path.expanduser().resolve()
    if not path.is_file():
        raise DatabaseProblem(f"{path} does not exist or is not a file. Check the path.")
    return path


def _rewrite(path: Path, old: str | None, new: str | None, done: str) -> None:
    module = sqlcipher()
    partial = path.with_name(path.name + ".rewriting")
    with suppress(OSError):
        partial.unlink(missing_ok=True)
    try:
        with closing(connect(path, old)) as conn:
            _refuse_in_use(conn, path)
            counts = export(conn, partial, new, sole=True)
        _check_copy(partial, new, counts)
        _fsync(partial)
        partial.replace(path)
        _fsync_folder(path.parent)
    except DatabaseProblem:
        _discard(partial)
        raise
    except (OSError, module.Error) as exc:
        _discard(partial)
        reason = getattr(exc, "strerror", None) or str(exc)
        if isinstance(exc, PermissionError) or "locked" in reason or "busy" in reason:
            raise _in_use(path) from exc
        raise DatabaseProblem(
            f"{path} could not be {done} ({reason}). It has been left as it was."
        ) from exc


def _refuse_in_use(conn: Any, path: Path) -> None:
    """Refuse while another process has the file open.

    Leaving WAL needs every other connection closed: the reliable test for "in use" (it also
    folds the write-ahead log into the file, which a copy of the file needs anyway).
    """
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlcipher().OperationalError as exc:
        raise _in_use(path) from exc
    if str(mode).lower() != "delete":
        raise _in_use(path)


def _in_use(path: Path) -> DatabaseProblem:
    return DatabaseProblem(
        f"{path} is in use by another MoU Desk window or command. Close it and try again; "
        "the file has not been changed.",
        exit_code=1,
    )


def _row_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type='table' "
            "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {
        name: int(conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0])
        for name in names
    }


def _check_copy(copy: Path, passphrase: str | None, expected: dict[str, int]) -> None:
    with closing(connect(copy, passphrase, read_only=True)) as conn:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        counts = _row_counts(conn)
    if verdict != "ok" or counts != expected:
        raise DatabaseProblem(
            f"The new copy of {copy.with_suffix('')} did not check out ({verdict}); "
            "the database has been left as it was."
        )


def _discard(partial: Path) -> None:
    for leftover in (partial, Path(f"{partial}-journal")):
        with suppress(OSError):
            leftover.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return  # Windows cannot open a folder for fsync; its rename is durable enough
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
