"""The first screenful of the MoU table, read straight from a SQLite file before the full
stack (SQLAlchemy, migrations) has loaded, so the window paints with real rows at once.

Read-only and best effort: a database that is not a plain SQLite file, or whose schema differs
(an older file about to be upgraded), gives None and the table simply fills a moment later
through services.listing, which remains the one source of truth.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import NamedTuple

from mou_desk.storage.location import SQLITE_MAGIC

# "+" keeps SQLite from choosing the deleted_at index (then sorting every row): it walks the
# reference index instead and stops after ``limit`` rows, in a few milliseconds at 100,000.
_QUERY = """
SELECT m.id, m.ref, m.title, COALESCE(p.name, ''), m.sector, m.district, m.stage, m.status,
       m.stage_since, m.last_activity_on, m.proposed_inr, COALESCE(o.name, ''), m.next_action,
       m.next_action_due, m.version
FROM mous AS m
LEFT JOIN partners AS p ON p.id = m.lead_partner_id
LEFT JOIN officers AS o ON o.id = m.nodal_officer_id
WHERE +m.deleted_at IS NULL
ORDER BY m.ref {direction}
LIMIT ?
"""


class FirstRow(NamedTuple):
    """The same fields, in the same order, as services.listing.MouRow."""

    id: str
    ref: str
    title: str
    lead_partner: str
    sector: str
    district: str
    stage: str
    status: str
    stage_since: date
    last_activity_on: date
    proposed_paise: int | None
    nodal_officer: str
    next_action: str
    next_action_due: date | None
    version: int


def sqlite_file(path_or_url: str) -> Path | None:
    """The file behind a path or a sqlite:/// URL; None for other databases."""
    if path_or_url.startswith("sqlite:///"):
        text = path_or_url[len("sqlite:///") :]
    elif "://" in path_or_url:
        return None
    else:
        text = path_or_url
    return Path(text).expanduser() if text and text != ":memory:" else None


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _row(r: tuple[object, ...], today: date) -> FirstRow:
    return FirstRow(
        str(r[0]),
        str(r[1]),
        str(r[2]),
        str(r[3]),
        str(r[4]),
        str(r[5]),
        str(r[6]),
        str(r[7]),
        _day(r[8]) or today,
        _day(r[9]) or today,
        r[10] if isinstance(r[10], int) else None,
        str(r[11]),
        str(r[12]),
        _day(r[13]),
        int(str(r[14])),
    )


def _plain_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def first_rows(
    path_or_url: str, limit: int = 200, *, descending: bool = False
) -> list[FirstRow] | None:
    """Up to ``limit`` live MoUs in reference order (or its reverse), or None when they cannot
    be read so."""
    path = sqlite_file(path_or_url)
    if path is None or not _plain_sqlite(path):
        return None  # an encrypted file is only ever opened through SQLCipher
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        today = date.today()
        return [
            _row(r, today)
            for r in connection.execute(
                _QUERY.format(direction="DESC" if descending else "ASC"), (limit,)
            ).fetchall()
        ]
    except (sqlite3.Error, ValueError):
        return None
    finally:
        connection.close()
