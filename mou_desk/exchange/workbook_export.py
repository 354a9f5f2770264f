"""Write the round-trip workbook with xlsxwriter in constant-memory mode.

Every cell is written as the call for its kind writes it (exchange.workbook_rows makes whole
rows of that XML at once): text as text (so "=HYPERLINK(...)", "+91 ..." or "#N/A" stay text
and never become a formula or an error value), numbers as numbers, dates as serial numbers
shown DD-MM-YYYY. Derived money columns (₹ worked out from amount × rate, ₹ crore) are plain
numbers finance can sum; they are greyed, typing into them is refused by data validation, and
the importer refuses a row where one was changed.
Each row ends with its hidden Row check (exchange.workbook_fingerprint); formats, dropdowns
and the guards of read-only columns are in exchange.workbook_styles.
The workbook is written to a temporary file next to the target and moved into place only
when complete: a cancelled or failed export leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from mou_desk.domain.errors import DeskError
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_layout import SheetLayout
from mou_desk.exchange.workbook_rows import RowSheet, TextRows, write_layout_rows
from mou_desk.exchange.workbook_styles import Formats, decorate

PROGRESS_EVERY: Final = 2_000


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
    worksheets = [book.add_worksheet(s.layout.name, RowSheet) for s in sheets]
    about_sheet = book.add_worksheet(wl.ABOUT_SHEET, RowSheet)
    list_refs = _write_lists(book.add_worksheet(wl.LISTS_SHEET, RowSheet), lists, formats)
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
    sheet: RowSheet, lists: Mapping[str, Sequence[str]], formats: Formats
) -> dict[str, str]:
    """One column per list on the hidden Lists sheet; returns list name -> range reference.

    Written row by row, as constant-memory mode needs (it drops cells of rows written)."""
    columns = [[str(value) for value in lists.get(name, ())] for name in wl.LIST_NAMES]
    TextRows(sheet, [formats.bold] * len(columns)).write(0, wl.LIST_NAMES)
    values = TextRows(sheet, [None] * len(columns))
    for row, texts in enumerate(itertools.zip_longest(*columns), start=1):
        values.write(row, texts)
    refs: dict[str, str] = {}
    for col, (name, column) in enumerate(zip(wl.LIST_NAMES, columns, strict=True)):
        if column:
            letter = xl_col_to_name(col)
            refs[name] = f"={wl.LISTS_SHEET}!${letter}$2:${letter}${len(column) + 1}"
    sheet.hide()
    return refs


def _write_about(sheet: RowSheet, about: Sequence[tuple[str, str]], formats: Formats) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90, formats.wrap)
    rows = TextRows(sheet, [formats.bold, formats.wrap])
    for row, pair in enumerate(about):
        rows.write(row, pair)


def _write_sheet(
    sheet: RowSheet,
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

    cell_formats = [formats.cell(c) for c in columns]
    last = write_layout_rows(sheet, layout, data.rows, cell_formats, tick, PROGRESS_EVERY)
    decorate(sheet, layout, last, list_refs, data.freeze_columns, formats.grey)
    return done + last
