"""Calling python-calamine: open, list and read sheets, its failures turned into refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
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


def read_sheet(
    source: Source,
    book: python_calamine.CalamineWorkbook,
    name: str,
    scan: SheetScan | None,
    max_rows: int,
    progress: Progress,
) -> SheetData:
    sheet = _engine(source, lambda: book.get_sheet_by_name(name))
    start = _engine(source, lambda: sheet.start)
    merged = _engine(source, lambda: sheet.merged_cell_ranges)
    # iter_rows() yields every row from row 1, but each row starts at the first used column.
    pad: list[object] = [None] * (start[1] if start else 0)
    grid: list[list[object]] = []
    for raw in _engine_rows(source, sheet):
        row = [*pad, *map(cell_value, raw)] if pad else list(map(cell_value, raw))
        grid.append(row)
        if len(grid) > max_rows and any(value is not None for value in row):
            raise WorkbookRefused(msg_too_many_rows(source, name, len(grid), max_rows))
        progress.row()
    if scan is not None:
        for (r, c), text in scan.errors.items():
            if r < len(grid) and c < len(grid[r]) and grid[r][c] is None:
                grid[r][c] = text
        if scan.formulas_without_values:
            source.warnings.append(
                f"Sheet {quote(name)}: "
                f"{count(scan.formulas_without_values, 'formula cell has', 'formula cells have')}"
                " no saved result and read as empty; open the file in Excel, save it, and "
                "import again to read them."
            )
        merged = merged if merged is not None else scan.merges
    if merged:
        filled = fill_merged(grid, merged)
        if filled:
            source.warnings.append(
                f"Sheet {quote(name)}: {count(filled, 'merged area was', 'merged areas were')}"
                " filled with the value of their top-left cell."
            )
    return SheetData(name, trimmed(grid))
