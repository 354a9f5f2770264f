"""Rows of an exported workbook that come back untouched: counted, never read cell by cell.

The export writes a hidden "Row check" column: a digest of the row's cells as the reader gives
them back. On import, a row whose cells still give the same digest was not touched in Excel;
if its record is still at the row's version (one query per chunk of rows) the row changes
nothing, and it is counted as unchanged without being read into values or planned. Any doubt
(no check column, a moved or missing column, a newer version, a cell the reader normalises)
only means the row takes the full path.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from sqlalchemy import select

from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_export import row_fingerprint
from mou_desk.exchange.workbook_import import SheetMap
from mou_desk.services.database import Database
from mou_desk.services.fields import model_of

Raw = tuple[object, ...]


class UnchangedRows:
    #: from this many rows on, every version of the table is read at once (one scan beats
    #: a hundred lookups of a thousand ids)
    WHOLE_TABLE = 5_000

    def __init__(self, db: Database, mapped: SheetMap, rows: int = 0) -> None:
        self.db = db
        self.whole_table = rows >= self.WHOLE_TABLE
        self._all_versions: dict[str, int] | None = None
        self.layout = mapped.layout
        where = {c.field: p for p, c in mapped.columns}
        fields = [c.field for c in self.layout.columns if c.kind != wl.CHECK]
        check = next((c.field for c in self.layout.columns if c.kind == wl.CHECK), "")
        self.active = bool(check) and check in where and all(f in where for f in fields)
        self.seen: dict[str, int] = {}  # id -> row number of the first row that named it
        self.counted: set[str] = set()
        if not self.active:
            return
        positions = [where[f] for f in fields]
        self.cells = itemgetter(*positions)
        self.check = where[check]
        self.id_at, self.version_at = where["id"], where["version"]
        self.width = max(*positions, self.check) + 1
        self.table = model_of(self.layout.record_type).__table__

    def split(self, rows: Sequence[tuple[int, Raw]]) -> tuple[list[tuple[int, Raw, str]], int]:
        """(rows to read in full, each with the row its record was already counted on, if any;
        the number of rows that change nothing)."""
        keep: list[tuple[int, Raw, str]] = []
        if not self.active:
            return [(n, raw, self._earlier(n, raw)) for n, raw in rows], 0
        untouched: list[tuple[int, Raw]] = []
        for number, raw in rows:
            if (
                len(raw) >= self.width
                and isinstance(raw[self.check], int)
                and (row_fingerprint(self.cells(raw)) == raw[self.check])
            ):
                untouched.append((number, raw))
            else:
                keep.append((number, raw, self._earlier(number, raw)))
        if not untouched:
            return keep, 0
        versions = self._versions([str(raw[self.id_at]) for _, raw in untouched])
        same = 0
        for number, raw in untouched:
            record_id = str(raw[self.id_at])
            earlier = self._earlier(number, raw)
            if not earlier and versions.get(record_id) == raw[self.version_at]:
                self.counted.add(record_id)
                same += 1
            else:
                keep.append((number, raw, earlier))
        keep.sort(key=lambda item: item[0])
        return keep, same

    def _earlier(self, number: int, raw: Raw) -> str:
        """Where a record named again was counted unchanged before ("" if nowhere)."""
        if not self.active or self.id_at >= len(raw) or not isinstance(raw[self.id_at], str):
            return ""
        record_id = str(raw[self.id_at])
        first = self.seen.setdefault(record_id, number)
        if first != number and record_id in self.counted:
            return f"{self.layout.name}!{first}"
        return ""

    def _versions(self, ids: list[str]) -> dict[str, int]:
        table = self.table
        if self.whole_table:
            if self._all_versions is None:
                query = select(table.c.id, table.c.version).where(table.c.deleted_at.is_(None))
                with self.db.read() as session:
                    self._all_versions = dict(session.connection().execute(query).cursor.fetchall())
            return self._all_versions
        query = select(table.c.id, table.c.version).where(
            table.c.id.in_(ids),
            table.c.deleted_at.is_(None),
        )
        with self.db.read() as session:
            return dict(session.connection().execute(query).cursor.fetchall())
