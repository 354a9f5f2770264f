"""Write the round-trip workbook with xlsxwriter in constant-memory mode.

Every cell is written with the call for its kind: text with ``write_string`` (so "=HYPERLINK(...)",
"+91 ..." or "#N/A" stay text and never become a formula or an error value), numbers with
``write_number``, dates as serial numbers shown DD-MM-YYYY. Derived money columns (₹ worked out
from amount × rate, ₹ crore) are plain numbers finance can sum; they are greyed, typing into
them is refused by data validation, and the importer refuses a row where one was changed.
Each row ends with its hidden Row check (exchange.workbook_fingerprint); formats, dropdowns
and the guards of read-only columns are in exchange.workbook_styles.
The workbook is written to a temporary file next to the target and moved into place only
when complete: a cancelled or failed export leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from mou_desk.domain.errors import DeskError
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_fingerprint import RowDigest, written_number
from mou_desk.exchange.workbook_layout import CELL_LIMIT, Column, SheetLayout
from mou_desk.exchange.workbook_styles import Formats, decorate

PROGRESS_EVERY: Final = 2_000
_EPOCH: Final = date(1899, 12, 30).toordinal()


class ExportCancelled(DeskError):
    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


class ExportFailed(DeskError):
    """The workbook could not be written (folder missing, file open in Excel, disk full)."""

    exit_code = 2


@dataclass(frozen=True)
class SheetRows:
    """Rows for one sheet: one value per layout column, in order (labels and names, not ids)."""

    layout: SheetLayout
    rows: Iterable[Sequence[Any]]
    count: int
    freeze_columns: int = 0
    #: the rows are still being read (on another thread): write the other sheets first
    deferred: bool = False


Progress = Callable[[int, int], None]


def write_workbook(
    path: Path,
    sheets: Sequence[SheetRows],
    lists: Mapping[str, Sequence[str]],
    about: Sequence[tuple[str, str]],
    *,
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> None:
    """Write ``sheets``, the About sheet and the hidden Lists sheet to ``path`` (xlsx)."""
    path = Path(path)
    total = sum(s.count for s in sheets)
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".~export-", suffix=".xlsx", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise ExportFailed(f"Cannot write in {folder}: {exc.strerror or exc}.") from exc
    temp = Path(temp_name)
    try:
        _write(temp, sheets, lists, about, total, on_progress, is_cancelled)
        temp.replace(path)
    except PermissionError as exc:
        raise ExportFailed(
            f"{path.name} cannot be written: it may be open in Excel. Close it and try again."
        ) from exc
    except OSError as exc:
        raise ExportFailed(f"{path.name} could not be written: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _write(
    temp: Path,
    sheets: Sequence[SheetRows],
    lists: Mapping[str, Sequence[str]],
    about: Sequence[tuple[str, str]],
    total: int,
    on_progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> None:
    book = xlsxwriter.Workbook(
        str(temp),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "tmpdir": str(temp.parent),
        },
    )
    book.set_properties({"title": "MoU Desk export", "comments": f"format {wl.FORMAT_VERSION}"})
    formats = Formats(book)
    worksheets = [book.add_worksheet(s.layout.name) for s in sheets]
    about_sheet = book.add_worksheet(wl.ABOUT_SHEET)
    list_refs = _write_lists(book.add_worksheet(wl.LISTS_SHEET), lists, formats)
    done = 0
    try:
        # Sheets may be written in any order in constant-memory mode; their order in the
        # workbook is the order they were added.
        pairs = sorted(zip(worksheets, sheets, strict=True), key=lambda pair: pair[1].deferred)
        for worksheet, sheet in pairs:
            done = _write_sheet(
                worksheet, sheet, formats, list_refs, done, total, on_progress, is_cancelled
            )
        _write_about(about_sheet, about, formats)
        worksheets[0].activate() if worksheets else about_sheet.activate()
    except BaseException:
        with contextlib.suppress(Exception):
            book.close()
        raise
    book.close()
    if on_progress is not None:
        on_progress(total, total)


def _write_lists(
    sheet: Any, lists: Mapping[str, Sequence[str]], formats: Formats
) -> dict[str, str]:
    """One column per list on the hidden Lists sheet; returns list name -> range reference."""
    refs: dict[str, str] = {}
    for col, name in enumerate(wl.LIST_NAMES):
        sheet.write_string(0, col, name, formats.bold)
        values = list(lists.get(name, ()))
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, col, _clip(str(value)))
        if values:
            letter = xl_col_to_name(col)
            refs[name] = f"={wl.LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    sheet.hide()
    return refs


def _write_about(sheet: Any, about: Sequence[tuple[str, str]], formats: Formats) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90, formats.wrap)
    for row, (key, value) in enumerate(about):
        sheet.write_string(row, 0, key, formats.bold)
        sheet.write_string(row, 1, _clip(value), formats.wrap)


def _write_sheet(
    sheet: Any,
    data: SheetRows,
    formats: Formats,
    list_refs: Mapping[str, str],
    done: int,
    total: int,
    on_progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> int:
    layout = data.layout
    columns = layout.columns
    for i, column in enumerate(columns):
        head = formats.header_grey if column.readonly else formats.header
        sheet.write_string(0, i, column.header, head)
        hidden = {"hidden": True} if column.kind == wl.CHECK else {}
        sheet.set_column(i, i, column.width, formats.column(column), hidden)
    sheet.set_row(0, 32)

    def tick(last: int) -> None:
        if is_cancelled is not None and is_cancelled():
            raise ExportCancelled
        if on_progress is not None:
            on_progress(done + last, total)

    last = _write_rows(sheet, layout, data.rows, [formats.cell(c) for c in columns], tick)
    decorate(sheet, layout, last, list_refs, data.freeze_columns, formats.grey)
    return done + last


def _clip(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT]


_TEXT, _NUMBER, _DATE, _MONEY = range(4)


def _how(column: Column) -> int:
    if column.kind == wl.DATE:
        return _DATE
    if column.kind in (wl.INT, wl.VERSION, wl.CHECK):
        return _NUMBER
    if column.kind in (wl.DECIMAL, wl.INR, wl.CRORE):
        return _MONEY
    return _TEXT


def _write_rows(
    sheet: Any,
    layout: SheetLayout,
    rows: Iterable[Sequence[Any]],
    cell_formats: Sequence[Any],
    tick: Callable[[int], None],
) -> int:
    """Write the cells row by row with the call for each kind, and each row's Row check;
    returns the last row written.

    One loop with the dispatch inline (no call per empty cell): at 100,000 rows the Python
    around xlsxwriter's own work is what an export can save. The Row check is worked out
    from the cells as they are written, put in the form calamine gives them back ("" for a
    blank, numbers as floats, dates as dates; exchange.workbook_fingerprint).
    """
    # The row/column forms without the decorator that also accepts "A1" notation; same
    # checks and output (the public ones if they ever go away).
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    columns = layout.columns
    check = len(columns) - 1 if columns and columns[-1].kind == wl.CHECK else -1
    digest = RowDigest(layout) if check >= 0 else None
    plan = [(col, _how(c), cell_formats[col]) for col, c in enumerate(columns) if col != check]
    width = len(plan)
    epoch = _EPOCH
    last = 0
    for last, values in enumerate(rows, start=1):
        cells: list[object] = [""] * width
        for (col, how, fmt), value in zip(plan, values, strict=False):
            if value is None or value == "":
                continue
            if how == _TEXT:
                text = value if type(value) is str else str(value)
                if len(text) > CELL_LIMIT:
                    text = text[:CELL_LIMIT]
                write_string(last, col, text, fmt)
                cells[col] = text
            elif how == _NUMBER:
                write_number(last, col, value, fmt)
                cells[col] = float(value)
            elif how == _DATE:
                day = value.date() if isinstance(value, datetime) else value
                write_number(last, col, day.toordinal() - epoch, fmt)
                cells[col] = day
            else:
                number = value if type(value) is float else written_number(value)
                if type(number) is str:  # keep every digit: text is read back exactly
                    write_string(last, col, number, fmt)
                else:
                    write_number(last, col, number, fmt)
                cells[col] = number
        if digest is not None:
            write_number(last, check, digest(cells), None)
        if last % PROGRESS_EVERY == 0:
            tick(last)
    return last
