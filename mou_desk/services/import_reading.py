"""Reading the sheets of an import: parsed on a helper thread, rows compared before they are read.

calamine parses a sheet without holding the interpreter lock, so a helper thread checks,
measures and parses the next sheet while the import reads and plans this one; a large sheet
is cut into parts as it is measured, parsed by worker threads side by side (module
exchange.workbook_reader.parts). Two sheets are held, the one being read and the next, and
more only while those waiting come to little XML (AHEAD_BYTES).

A sheet that can be streamed (no merged areas, no error cells, the table from column A) is
read from calamine's own rows: rows untouched since the export are counted from their cells
as calamine gives them (services.import_unchanged) and only the others are turned into
values, so the sheet is never held twice. Any other sheet, and a layout of finance's own, is
read whole first, as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any

from mou_desk.exchange.workbook_import import ColumnMapping, data_rows, map_sheet
from mou_desk.exchange.workbook_layout import SheetLayout
from mou_desk.exchange.workbook_reader import ParsedSheet, SheetData, open_workbook
from mou_desk.exchange.workbook_reader.model import Progress
from mou_desk.exchange.workbook_reader.parts import sheet_sizes
from mou_desk.services.database import Database
from mou_desk.services.import_unchanged import UnchangedRows

#: rows turned before the header is looked for: it is sought among the first 30, each with
#: the 3 rows below it
HEAD_ROWS = 40
CHUNK = 1_000
#: sheets of up to this much XML in all may be held beyond the next one
AHEAD_BYTES = 48 * 1024 * 1024

Row = tuple[object, ...]


class SheetFeed:
    """The chosen sheets, each checked, measured and parsed on a helper thread ahead of the one
    being read: the next one always, more while the sheets held come to little XML (a small
    Partners sheet does not keep a large MoUs sheet from being started)."""

    def __init__(
        self,
        path: Path,
        names: list[str],
        on_rows: Callable[[int], None] | None,
        is_cancelled: Callable[[], bool] | None,
    ) -> None:
        self._ready: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self._turn = threading.Condition()
        self._held: list[int] = []  # XML bytes of each sheet handed out and not done with
        self._taken = 0
        self._stop = threading.Event()

        def stopped() -> bool:
            return self._stop.is_set() or (is_cancelled is not None and is_cancelled())

        self.progress = Progress(on_rows, stopped)
        self._thread = threading.Thread(
            target=self._work, args=(path, names), name="workbook-reader", daemon=True
        )
        self._thread.start()

    def _work(self, path: Path, names: list[str]) -> None:
        sheets: Iterator[ParsedSheet] | None = None
        try:
            source, sheets = open_workbook(
                path, sheets=names, progress=self.progress, in_parts=True
            )
            sizes = sheet_sizes(source)
            for parsed in sheets:  # the next sheet is parsed when the loop comes round
                with self._turn:
                    self._held.append(sizes.get(parsed.name, AHEAD_BYTES + 1))
                self._ready.put((True, parsed))
                with self._turn:
                    self._turn.wait_for(self._may_go_on)
                if self._stop.is_set():
                    return
        except BaseException as exc:  # handed to the reading thread, which raises it
            self._ready.put((False, exc))
        finally:
            if isinstance(sheets, Generator):
                sheets.close()  # stops the workers parsing parts of sheets (module parts)

    def _may_go_on(self) -> bool:
        held = self._held
        return self._stop.is_set() or len(held) <= 1 or sum(held) <= AHEAD_BYTES

    def ready(self) -> bool:
        """Whether the next sheet is parsed (or its failure known) already."""
        return not self._ready.empty()

    def take(self) -> ParsedSheet:
        """The next sheet, parsed; the one read before it is done with."""
        ok, item = self._ready.get()
        if not ok:
            raise item
        with self._turn:
            if self._taken:
                self._held.pop(0)
            self._taken += 1
            self._turn.notify_all()
        return item  # type: ignore[no-any-return]

    def close(self) -> None:
        self._stop.set()
        with self._turn:
            self._turn.notify_all()
        self._thread.join()


class SheetReading:
    """One sheet of an import: its header found, then the rows to read in full handed out.

    ``count`` is every data row (not blank) of the sheet once read; ``unchanged.count`` the
    rows among them left out because they change nothing.
    """

    def __init__(
        self,
        db: Database,
        parsed: ParsedSheet,
        layout: SheetLayout,
        mapping: ColumnMapping | None,
        versions: dict[str, int] | None = None,
    ) -> None:
        self.parsed = parsed
        self._read = 0
        self._head: list[list[Any]] = []
        self._raw: Iterator[list[Any]] | None = None
        self._data: SheetData | None = None
        self.width = parsed.width
        if mapping is None and parsed.streamable:
            self._raw = parsed.raw_rows()
            self._head = list(islice(self._raw, HEAD_ROWS))
            head = [parsed.row_of(raw, self.width) for raw in self._head]
            if any(any(v is not None for v in row) for row in head):
                mapped = map_sheet(SheetData(parsed.name, head), layout, mapping)
                if head[mapped.header_index][-1] is not None:  # as wide as read whole
                    parsed.read_once()  # what was streamed is not read again
                    self.mapped = mapped
                    self.unchanged = UnchangedRows(
                        db, mapped, self.width, parsed.height, versions=versions
                    )
                    return
            self._raw = None  # trailing blank columns or rows only: read whole instead
        self._data = parsed.materialize()
        self.mapped = map_sheet(self._data, layout, mapping)
        self.width = len(self.mapped.headers)
        self.unchanged = UnchangedRows(
            db,
            self.mapped,
            self.width,
            len(self._data.rows),
            enabled=mapping is None,
            versions=versions,
        )

    @property
    def warnings(self) -> list[str]:
        return [*self.parsed.warnings, *self.mapped.warnings]

    @property
    def count(self) -> int:
        return self._read + self.unchanged.count

    def rows(self) -> Iterator[tuple[int, Row, str]]:
        """(row number, cells, where the record was counted before) of each row to read."""
        if self._data is not None:
            rows: Iterator[tuple[int, Any]] = data_rows(self._data, self.mapped)
            while chunk := list(islice(rows, CHUNK)):
                for item in self.unchanged.split(chunk, _as_it_is):
                    self._read += 1
                    yield item
            return
        assert self._raw is not None
        positions = [p for p, _ in self.mapped.columns]
        row_of, width = self.parsed.row_of, self.width

        def turn(raw: Sequence[Any]) -> Row:
            return row_of(raw, width)

        numbered = enumerate(chain(self._head, self._raw), start=1)
        self._head = []
        for _ in range(self.mapped.header_index + 1):
            next(numbered, None)
        while chunk := list(islice(numbered, CHUNK)):
            for number, row, earlier in self.unchanged.split(chunk, turn):
                if all(row[p] is None for p in positions):
                    continue
                self._read += 1
                yield number, row, earlier


def _as_it_is(row: Sequence[Any]) -> Row:
    return tuple(row)
