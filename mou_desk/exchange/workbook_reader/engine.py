"""Calling python-calamine: open, list and read sheets, its failures turned into refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

import python_calamine

from mou_desk.exchange.workbook_reader.cells import cell_value, trimmed
from mou_desk.exchange.workbook_reader.merges import fill_merged
from mou_desk.exchange.workbook_reader.messages import (
    count,
    msg_damaged,
    msg_legacy,
    msg_locked,
    msg_password,
    msg_too_many_rows,
    quote,
)
from mou_desk.exchange.workbook_reader.model import (
    CANCEL_CHECK_EVERY,
    Progress,
    SheetData,
    SheetScan,
    Source,
    WorkbookRefused,
)

T = TypeVar("T")


def _is_engine_failure(exc: BaseException) -> bool:
    # A Rust panic inside calamine arrives as pyo3's PanicException, a BaseException.
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _engine_refusal(source: Source, exc: BaseException) -> WorkbookRefused:
    if isinstance(exc, python_calamine.PasswordError):
        return WorkbookRefused(msg_password(source.label))
    if isinstance(exc, PermissionError):
        return WorkbookRefused(msg_locked(source.label))
    if source.kind == "xls":
        return WorkbookRefused(msg_legacy(source.label))
    return WorkbookRefused(msg_damaged(source.label))


def _engine(source: Source, call: Callable[[], T]) -> T:
    """Run one calamine call, turning whatever it raises into a refusal."""
    try:
        return call()
    except BaseException as exc:
        if not _is_engine_failure(exc):
            raise
        raise _engine_refusal(source, exc) from exc


def open_engine(source: Source) -> python_calamine.CalamineWorkbook:
    return _engine(source, lambda: python_calamine.CalamineWorkbook.from_path(str(source.path)))


def worksheet_names(source: Source, book: python_calamine.CalamineWorkbook) -> list[str]:
    metadata = _engine(source, lambda: book.sheets_metadata)
    names = [m.name for m in metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    return names


def choose_sheets(source: Source, available: list[str], wanted: Sequence[str] | None) -> list[str]:
    if wanted is None:
        return list(available)
    chosen: list[str] = []
    for name in wanted:
        if name in available:
            chosen.append(name)
            continue
        folded = [n for n in available if n.strip().casefold() == name.strip().casefold()]
        if len(folded) == 1:
            chosen.append(folded[0])
            continue
        existing = ", ".join(quote(n) for n in available) or "none"
        raise WorkbookRefused(
            f"{source.label} has no sheet named {quote(name)} (its sheets are {existing}); "
            "rename the sheet in Excel or pick one of these."
        )
    return chosen


def _engine_rows(source: Source, sheet: python_calamine.CalamineSheet) -> Iterator[list[Any]]:
    rows = _engine(source, lambda: iter(sheet.iter_rows()))
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            return
        except BaseException as exc:
            if not _is_engine_failure(exc):
                raise
            raise _engine_refusal(source, exc) from exc
        yield raw


@dataclass
class ParsedSheet:
    """A sheet as calamine holds it after parsing, before it is turned into rows.

    ``materialize`` gives the positional rows ``read_workbook`` returns. An importer that reads
    row by row may instead take calamine's own rows from ``raw_rows`` (blank cells as "", whole
    numbers as floats) and turn only the rows it needs with ``row_of``, when ``streamable``
    says that the two give the same rows: no merged areas to fill, no error cells to put back
    and the table starting in column A.
    """

    source: Source
    name: str
    sheet: python_calamine.CalamineSheet | None
    scan: SheetScan | None
    max_rows: int
    progress: Progress
    pad: int = 0
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None = None
    #: the rows of a file calamine does not read (CSV), already turned
    rows: list[tuple[object, ...]] | None = None
    #: notes about this sheet for the clerk (the file's own are in ``source.warnings``)
    warnings: list[str] = field(default_factory=list)

    @property
    def streamable(self) -> bool:
        return (
            self.sheet is not None
            and not self.merged
            and not self.pad
            and not (self.scan is not None and self.scan.errors)
        )

    @property
    def width(self) -> int:
        """The number of columns calamine gives every row."""
        if self.sheet is None:
            return max((len(r) for r in self.rows or ()), default=0)
        return self.pad + _engine(self.source, lambda: self.sheet.width if self.sheet else 0)

    @property
    def height(self) -> int:
        """The number of rows (an upper bound for a sheet not yet turned)."""
        if self.sheet is None:
            return len(self.rows or ())
        return _engine(self.source, lambda: self.sheet.height if self.sheet else 0)

    def raw_rows(self) -> Iterator[list[Any]]:
        """calamine's rows from row 1 on, counted for progress; too many rows are refused."""
        if self.sheet is None:  # counted as the file was read
            yield from map(list, self.rows or ())
            return
        sheet = self.sheet
        yield from self._counted(_engine(self.source, lambda: iter(sheet.iter_rows())))

    def _counted(self, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        # One loop around calamine's iterator (not a generator per layer): a large sheet's rows
        # pass here one by one. Counting and the Cancel check come every thousand rows.
        progress, limit = self.progress, self.max_rows
        number = 0
        while True:
            try:
                batch = list(islice(rows, CANCEL_CHECK_EVERY))
            except BaseException as exc:
                if not _is_engine_failure(exc):
                    raise
                raise _engine_refusal(self.source, exc) from exc
            if not batch:
                return
            number += len(batch)
            if number > limit:
                for at, raw in enumerate(batch, start=number - len(batch) + 1):
                    if at > limit and any(cell_value(v) is not None for v in raw):
                        raise WorkbookRefused(msg_too_many_rows(self.source, self.name, at, limit))
            progress.rows_read(len(batch))
            yield from batch

    def read_once(self) -> None:
        """Promise that the rows streamed from now on are not asked for again (a sheet read in
        parts then lets go of each part once its rows are given)."""

    @staticmethod
    def row_of(raw: Sequence[Any], width: int) -> tuple[object, ...]:
        """One of calamine's rows as ``materialize`` gives it, for a streamable sheet."""
        row = tuple(map(cell_value, raw))
        return row if len(row) >= width else (*row, *((None,) * (width - len(row))))

    def materialize(self) -> SheetData:
        if self.sheet is None:
            return SheetData(self.name, self.rows or [])
        return self._grid(_engine_rows(self.source, self.sheet), self.pad)

    def _grid(self, rows: Iterator[Sequence[Any]], pad_by: int) -> SheetData:
        """The sheet's positional rows from calamine's (each to be shifted ``pad_by`` columns)."""
        pad: list[object] = [None] * pad_by
        grid: list[list[object]] = []
        for raw in rows:
            row = [*pad, *map(cell_value, raw)] if pad else list(map(cell_value, raw))
            grid.append(row)
            if len(grid) > self.max_rows and any(value is not None for value in row):
                raise WorkbookRefused(
                    msg_too_many_rows(self.source, self.name, len(grid), self.max_rows)
                )
            self.progress.row()
        if self.scan is not None:
            for (r, c), text in self.scan.errors.items():
                if r < len(grid) and c < len(grid[r]) and grid[r][c] is None:
                    grid[r][c] = text
        if self.merged:
            filled = fill_merged(grid, self.merged)
            if filled:
                self.warnings.append(
                    f"Sheet {quote(self.name)}: "
                    f"{count(filled, 'merged area was', 'merged areas were')} filled with the "
                    "value of their top-left cell."
                )
        return SheetData(self.name, trimmed(grid))


def scan_warnings(name: str, scan: SheetScan | None) -> list[str]:
    """Notes for the clerk about a sheet, from its scan."""
    if scan is None or not scan.formulas_without_values:
        return []
    return [
        f"Sheet {quote(name)}: "
        f"{count(scan.formulas_without_values, 'formula cell has', 'formula cells have')}"
        " no saved result and read as empty; open the file in Excel, save it, and "
        "import again to read them."
    ]


def parse_sheet(
    source: Source,
    book: python_calamine.CalamineWorkbook,
    name: str,
    scan: SheetScan | None,
    max_rows: int,
    progress: Progress,
) -> ParsedSheet:
    sheet = _engine(source, lambda: book.get_sheet_by_name(name))
    start = _engine(source, lambda: sheet.start)
    merged = _engine(source, lambda: sheet.merged_cell_ranges)
    warnings = scan_warnings(name, scan)
    if scan is not None:
        merged = merged if merged is not None else scan.merges
    # iter_rows() yields every row from row 1, but each row starts at the first used column.
    pad = start[1] if start else 0
    return ParsedSheet(
        source, name, sheet, scan, max_rows, progress, pad, merged, warnings=warnings
    )
