"""Automatic backups: when one is due, writing it with a dated name, keeping the last N."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from mou_desk.storage.backup import backup_database

PREFIX = "mou-desk-auto-"
SUFFIX = ".sqlite3"


def backup_due(mode: str, last: datetime | None, now: datetime, *, at_exit: bool) -> bool:
    """``mode`` is "off", "exit" (every time the app closes) or "daily" (once a calendar day)."""
    if mode == "exit":
        return at_exit
    if mode == "daily":
        return last is None or last.date() < now.date()
    return False


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in a folder, oldest first (the name sorts by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def make_backup(engine: Engine, folder: Path, keep: int, now: datetime) -> Path:
    """Write a consistent copy named for ``now`` and delete all but the newest ``keep``."""
    target = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    backup_database(engine, target)
    for old in automatic_backups(folder)[: -max(1, keep)]:
        old.unlink(missing_ok=True)
    return target
