"""Rows of an exported workbook that come back untouched: counted, never read cell by cell.

The export writes a hidden Row check in every row: a digest of its cells as the reader's
engine gives them back (exchange.workbook_fingerprint). A row whose cells, as calamine gives
them, still give that digest was not touched in Excel; if its record is still at the row's
version it proposes nothing and is counted as unchanged without being converted, validated
or planned. The versions come from one query per chunk of rows, or one for the whole table
when the sheet is large. Rows of a workbook exported with the first digest (over the cells as
the reader turns them) are checked against it once turned, as before.

Any doubt (no check column, a moved or missing column, a newer version, a cell the digest does
not cover) only means the row takes the full path. A record named on two rows is counted on
the first only; the later row is read in full and refused with a message naming the first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress
from operator import and_, eq, itemgetter
from typing import Any

from sqlalchemy import func, select

from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_fingerprint import RowDigest, compared_columns, row_fingerprint
from mou_desk.exchange.workbook_import import SheetMap
from mou_desk.services.database import Database
from mou_desk.services.fields import model_of

Row = tuple[object, ...]


class UnchangedRows:
    #: from this many rows on, every version of the table is read at once (one scan beats
    #: a hundred lookups of a thousand ids)
    WHOLE_TABLE = 5_000

    def __init__(
        self,
        db: Database,
        mapped: SheetMap,
        width: int,
        rows: int,
        *,
        enabled: bool = True,
        versions: dict[str, int] | None = None,
    ) -> None:
        """``versions``: those of every live record of the kind, if read already."""
        self.db = db
        self.sheet = mapped.sheet
        self.whole_table = rows >= self.WHOLE_TABLE or versions is not None
        self._all_versions = versions
        self.count = 0  # rows counted as unchanged
        self.seen: dict[str, int] = {}  # id -> number of the first row that named it
        self.counted: set[str] = set()
        layout = mapped.layout
        where = {c.field: p for p, c in mapped.columns}
        columns = compared_columns(layout)
        check = next((c.field for c in layout.columns if c.kind == wl.CHECK), "")
        self.active = (
            enabled and bool(check) and check in where and all(c.field in where for c in columns)
        )
        if not self.active:
            return
        positions = [where[c.field] for c in columns]
        self.cells = itemgetter(*positions)
        self.digest = RowDigest(layout, positions)
        self.check_at = where[check]
        self.id_at, self.version_at = where["id"], where["version"]
        self.id_of, self.version_of = itemgetter(self.id_at), itemgetter(self.version_at)
        self.check_of = itemgetter(self.check_at)
        self.active = max(*positions, self.check_at) < width
        self.table: Any = model_of(layout.record_type).__table__

    def split(
        self, rows: Sequence[tuple[int, Sequence[Any]]], turn: Callable[[Sequence[Any]], Row]
    ) -> list[tuple[int, Row, str]]:
        """The rows to read in full, turned by ``turn``, each with the row its record was
        counted on before ("" if none); the others are counted in ``count``.

        The untouched rows are told in C loops over the whole chunk (ids, first sightings,
        versions, digests); only the rows left over are looked at one by one."""
        if not self.active:
            return [(number, turn(raw), "") for number, raw in rows]
        numbers = [number for number, _ in rows]
        raws = [raw for _, raw in rows]
        ids = list(map(self.id_of, raws))
        versions = self._versions(ids)
        firsts = list(map(self.seen.setdefault, ids, numbers))
        current = map(eq, map(versions.get, ids), map(self.version_of, raws))
        untouched = map(eq, self.digest.many(raws), map(self.check_of, raws))
        counted = list(map(and_, map(eq, firsts, numbers), map(and_, current, untouched)))
        found = sum(counted)
        self.count += found
        self.counted.update(compress(ids, counted))
        if found == len(rows):
            return []
        keep: list[tuple[int, Row, str]] = []
        for number, raw, record_id, first, done in zip(
            numbers, raws, ids, firsts, counted, strict=True
        ):
            if done:
                continue
            row = turn(raw)
            if record_id.__class__ is not str or not record_id:
                keep.append((number, row, ""))
                continue
            version = versions.get(record_id)
            at_version = version is not None and raw[self.version_at] == version
            if first == number and at_version and self._first_digest(row):
                self.counted.add(record_id)
                self.count += 1
                continue
            again = first != number and record_id in self.counted
            keep.append((number, row, f"{self.sheet}!{first}" if again else ""))
        return keep

    def _first_digest(self, row: Row) -> bool:
        """The Row check of a workbook exported before the current digest."""
        check = row[self.check_at]
        return isinstance(check, int) and row_fingerprint(self.cells(row)) == check

    def _versions(self, cells: list[Any]) -> dict[str, int]:
        """The live versions of the records whose ids are among ``cells`` (or of all)."""
        table = self.table
        if self.whole_table:
            if self._all_versions is None:
                self._all_versions = live_versions(self.db, self.table)
            return self._all_versions
        ids = [i for i in cells if i.__class__ is str and i]
        if not ids:
            return {}
        query = select(table.c.id, table.c.version).where(
            table.c.id.in_(ids), table.c.deleted_at.is_(None)
        )
        with self.db.read() as session:
            return dict(session.connection().execute(query).cursor.fetchall())


def live_versions(db: Database, table: Any) -> dict[str, int]:
    """id -> version of every live record of a table.

    On SQLite the pairs come as two long texts from one step of the query: Python's sqlite3
    lets go of the interpreter lock for each row it steps to, and while the workbook is
    parsed on other threads, taking it back for each of 100,000 rows cost more than the query.
    """
    live = table.c.deleted_at.is_(None)
    with db.read() as session:
        connection = session.connection()
        if db.dialect == "sqlite":
            packed = select(
                func.group_concat(table.c.id, _APART), func.group_concat(table.c.version, _APART)
            ).where(live)
            ids, versions = connection.execute(packed).one()
            if ids is None:
                return {}
            ids, versions = ids.split(_APART), versions.split(_APART)
            if len(ids) == len(versions):  # else an id holds the separator: row by row
                return dict(zip(ids, map(int, versions), strict=True))
        query = select(table.c.id, table.c.version).where(live)
        return dict(connection.execute(query).cursor.fetchall())


_APART = "\x1f"  # the unit separator, in no record id
