"""Write the round-trip workbook with xlsxwriter in constant-memory mode.

Every cell is written with the call for its kind: text with ``write_string`` (so "=HYPERLINK(...)",
"+91 ..." or "#N/A" stay text and never become a formula or an error value), numbers with
``write_number``, dates as serial numbers shown DD-MM-YYYY. Derived money columns (₹ worked out
from amount × rate, ₹ crore) are plain numbers finance can sum; they are greyed, typing into
them is refused by data validation, and the importer refuses a row where one was changed.
The workbook is written to a temporary file next to the target and moved into place only
when complete: a cancelled or failed export leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any, Final

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from mou_desk.domain.errors import DeskError
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_layout import CELL_LIMIT, Column, SheetLayout

PROGRESS_EVERY: Final = 2_000
MAX_ROW: Final = 1_048_575  # Excel's last row (0-based)
_EPOCH: Final = date(1899, 12, 30).toordinal()
# Indian grouping (₹ 1,23,45,678.00); Excel allows two conditions, so amounts of 100 crore and
# more show their leading digits ungrouped (₹ 1234,56,78,901.00): still exact and summable.
INR_FORMAT: Final = (
    '[>=10000000]"₹ "##\\,##\\,##\\,##0.00;[>=100000]"₹ "##\\,##\\,##0.00;"₹ "#,##0.00'
)
CRORE_FORMAT: Final = '#,##0.00" cr"'
DATE_FORMAT: Final = "dd-mm-yyyy"
GREY: Final = "#E7E6E6"


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
    formats = _Formats(book)
    worksheets = [book.add_worksheet(s.layout.name) for s in sheets]
    about_sheet = book.add_worksheet(wl.ABOUT_SHEET)
    list_refs = _write_lists(book.add_worksheet(wl.LISTS_SHEET), lists, formats)
    done = 0
    try:
        for worksheet, sheet in zip(worksheets, sheets, strict=True):
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


# Kinds written without a cell format: text, dropdown values and plain numbers show as they
# are in General, and a style on every cell costs a tenth of the export's time.
_PLAIN: Final = frozenset(
    {
        wl.TEXT,
        wl.LONG_TEXT,
        wl.PHONE,
        wl.OPEN_CHOICE,
        wl.CHOICE,
        wl.PARTNER,
        wl.PARTNER_LIST,
        wl.OFFICER,
        wl.MOU_REF,
        wl.REASON,
        wl.INT,
        wl.DECIMAL,
    }
)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        head = {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}
        self.header = book.add_format({**head, "bg_color": "#DDEBF7"})
        self.header_grey = book.add_format({**head, "bg_color": "#BFBFBF", "font_color": "#404040"})
        self.by_kind: dict[tuple[str, bool], Any] = {}
        specs: dict[str, dict[str, Any]] = {
            wl.ID: {"num_format": "@"},
            wl.PHONE: {"num_format": "@"},
            wl.TEXT: {},
            wl.LONG_TEXT: {},
            wl.DATE: {"num_format": DATE_FORMAT},
            wl.INT: {"num_format": "0"},
            wl.VERSION: {"num_format": "0"},
            wl.DECIMAL: {"num_format": "General"},
            wl.INR: {"num_format": INR_FORMAT},
            wl.CRORE: {"num_format": CRORE_FORMAT},
        }
        for kind, spec in specs.items():
            self.by_kind[(kind, False)] = book.add_format(spec)
            self.by_kind[(kind, True)] = book.add_format(
                {**spec, "bg_color": GREY, "font_color": "#595959"}
            )
        self.plain = book.add_format({})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})

    def column(self, column: Column) -> Any:
        """The column's format: what new cells typed in Excel get (text stays text in ID and
        phone columns, dates show DD-MM-YYYY)."""
        kind = column.kind if (column.kind, False) in self.by_kind else wl.TEXT
        return self.by_kind[(kind, column.readonly)]

    def cell(self, column: Column) -> Any:
        """The format written with each cell (none for the plain kinds)."""
        if column.kind == wl.CHECK or (column.kind in _PLAIN and not column.readonly):
            return None
        return self.column(column)


def _write_lists(
    sheet: Any, lists: Mapping[str, Sequence[str]], formats: _Formats
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


def _write_about(sheet: Any, about: Sequence[tuple[str, str]], formats: _Formats) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90, formats.wrap)
    for row, (key, value) in enumerate(about):
        sheet.write_string(row, 0, key, formats.bold)
        sheet.write_string(row, 1, _clip(value), formats.wrap)


def _write_sheet(
    sheet: Any,
    data: SheetRows,
    formats: _Formats,
    list_refs: Mapping[str, str],
    done: int,
    total: int,
    on_progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> int:
    layout = data.layout
    columns = layout.columns
    writers = [_writer(sheet, c, formats.cell(c), i) for i, c in enumerate(columns)]
    check = next((i for i, c in enumerate(columns) if c.kind == wl.CHECK), None)
    shown = [i for i, c in enumerate(columns) if c.kind != wl.CHECK]
    cells_of = itemgetter(*shown)
    # Cells come back as they were given except numbers (floats, whole ones as int).
    numbers = [
        (j, columns[i].kind)
        for j, i in enumerate(shown)
        if columns[i].kind in (wl.DECIMAL, wl.INR, wl.CRORE)
    ]
    for i, column in enumerate(columns):
        head = formats.header_grey if column.readonly else formats.header
        sheet.write_string(0, i, column.header, head)
        hidden = {"hidden": True} if column.kind == wl.CHECK else {}
        sheet.set_column(i, i, column.width, formats.column(column), hidden)
    sheet.set_row(0, 32)
    last = 0
    for last, values in enumerate(data.rows, start=1):
        if check is not None:
            cells = list(cells_of(values))
            for j, kind in numbers:
                cells[j] = read_back(kind, cells[j])
            values = list(values)
            values[check] = row_fingerprint(tuple(cells))
        for write, value in zip(writers, values, strict=True):
            if write is not None:
                write(last, value)
        if last % PROGRESS_EVERY == 0:
            if is_cancelled is not None and is_cancelled():
                raise ExportCancelled
            if on_progress is not None:
                on_progress(done + last, total)
    _decorate(sheet, layout, last, list_refs, data.freeze_columns)
    return done + last


def _decorate(
    sheet: Any, layout: SheetLayout, last: int, list_refs: Mapping[str, str], freeze: int
) -> None:
    columns = layout.columns
    sheet.freeze_panes(1, freeze)
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    for i, column in enumerate(columns):
        if column.note:
            sheet.data_validation(
                0,
                i,
                0,
                i,
                {
                    "validate": "any",
                    "input_title": column.header[:32],
                    "input_message": column.note[:255],
                },
            )
        if column.readonly:
            sheet.data_validation(
                1,
                i,
                MAX_ROW,
                i,
                {
                    "validate": "custom",
                    "value": "=FALSE",
                    "ignore_blank": True,
                    "error_title": "Kept by MoU Desk",
                    "error_message": (
                        f"{column.header} is kept by MoU Desk and is not read back. "
                        "Change the other columns instead."
                    )[:255],
                },
            )
        elif column.choices and column.choices in list_refs:
            closed = column.choices in wl.CLOSED_LISTS
            sheet.data_validation(
                1,
                i,
                MAX_ROW,
                i,
                {
                    "validate": "list",
                    "source": list_refs[column.choices],
                    "error_type": "stop" if closed else "warning",
                    "error_title": column.header[:32],
                    "error_message": (
                        "Pick a value from the list."
                        if closed
                        else "This value is not in the list. Keep it anyway?"
                    ),
                },
            )


_NEVER: Final = object()  # a cell value no reader returns


def row_fingerprint(cells: tuple[object, ...]) -> int:
    """A short digest of a row's cells as the reader gives them back.

    Written to the hidden Row check column; on import a row whose cells still give the same
    digest was not touched since the export. Cells are str, int, float, date or None, whose
    repr is stable across runs; a cell the reader would change makes the digest differ, which
    only means the row is read in full. 48 bits: a whole number Excel keeps exactly.
    """
    digest = hashlib.blake2b(repr(cells).encode(), digest_size=6).digest()
    return int.from_bytes(digest, "big")


def read_back_for(kind: str) -> Callable[[Any], Any] | None:
    """``read_back`` for one kind of column; None where a value comes back as it is."""
    if kind in (wl.DATE, wl.INT, wl.VERSION):
        return None
    return lambda value: read_back(kind, value)


def read_back(kind: str, value: Any) -> Any:
    """What the workbook reader gives back for a cell this module wrote from ``value``.

    Lets an importer see that a row is exactly as exported (and skip reading it into values)
    by comparing cells. Text the reader would change (line ends, whitespace only) maps to a
    value no cell equals, so such rows are read in full.
    """
    if value is None or value == "":
        return None
    if kind in (wl.DATE,):
        return value.date() if isinstance(value, datetime) else value
    if kind in (wl.INT, wl.VERSION):
        return value
    if kind in (wl.DECIMAL, wl.INR, wl.CRORE):
        exact = Decimal(value)
        number = _exact_float(exact)
        if number is None:
            return format(exact, "f")
        return int(number) if number.is_integer() else number
    text = value if isinstance(value, str) else str(value)
    if len(text) > CELL_LIMIT or text.isspace() or "\r" in text or "_x" in text:
        return _NEVER
    return text


def _clip(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT]


def _serial(value: date) -> int:
    if isinstance(value, datetime):
        value = value.date()
    return value.toordinal() - _EPOCH


def _exact_float(value: Decimal) -> float | None:
    """The float Excel will hold, or None when it would change the amount (over 15 digits)."""
    number = float(value)
    return number if Decimal(repr(number)) == value else None


def _writer(sheet: Any, column: Column, fmt: Any, col: int) -> Callable[[int, Any], None] | None:
    # The row/column forms without the decorator that also accepts "A1" notation: a tenth of
    # the time per cell at 100,000 rows. Same checks and output; public ones if they go away.
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    kind = column.kind
    if kind in (wl.DATE,):

        def date_cell(row: int, value: Any) -> None:
            if value is not None:
                write_number(row, col, _serial(value), fmt)

        return date_cell
    if kind in (wl.INT, wl.VERSION, wl.CHECK):

        def int_cell(row: int, value: Any) -> None:
            if value is not None:
                write_number(row, col, value, fmt)

        return int_cell
    if kind in (wl.DECIMAL, wl.INR, wl.CRORE):

        def number_cell(row: int, value: Any) -> None:
            if value is None:
                return
            number = _exact_float(Decimal(value))
            if number is None:  # keep every digit: text is read back exactly
                write_string(row, col, format(Decimal(value), "f"), fmt)
            else:
                write_number(row, col, number, fmt)

        return number_cell

    def text_cell(row: int, value: Any) -> None:
        if value is not None and value != "":
            text = value if isinstance(value, str) else str(value)
            write_string(row, col, text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT], fmt)

    return text_cell
