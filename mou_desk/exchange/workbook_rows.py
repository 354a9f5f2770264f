"""Whole rows of worksheet XML, made from per-column templates: the bytes xlsxwriter writes.

In constant-memory mode xlsxwriter spends most of an export's time on each cell: a tuple, a
style lookup, an attribute list, three regular expressions and a write. A sheet's cells follow a
few patterns known before the first row (a column's letter, its style, text or number), so
:class:`RowSheet` takes a whole row of cell XML at once and the writers here make it from those
patterns, escaping a text only when it holds something to escape.

The XML is what xlsxwriter writes for the same ``write_string``/``write_number`` calls with the
same formats, byte for byte (tests/exchange/test_workbook_rows.py holds that for the pinned
version), but for one deliberate difference: xlsxwriter writes a string that starts ``<r>`` and
ends ``</r>`` unescaped, taking it for a rich string of its own making, so such a cell could
carry XML (a formula) into the sheet; here it is text like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from math import isfinite
from typing import Any, Final

from xlsxwriter.format import Format
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.xmlwriter import XMLwriter

from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_fingerprint import RowDigest, written_number
from mou_desk.exchange.workbook_layout import CELL_LIMIT, Column, SheetLayout

EPOCH: Final = date(1899, 12, 30).toordinal()
#: Excel's limit is in UTF-16 units: a text this long or shorter is within it however written
_SURELY_WITHIN: Final = CELL_LIMIT // 2
#: a character that may need escaping: & < >, control characters but tab and newline, the two
#: non-characters, and "_" (a text like "_x0041_" is escaped as "_x005F_x0041_")
_MAY_NEED_ESCAPING: Final = re.compile("[&<>_\x00-\x08\x0b-\x1f\ufffe\uffff]").search
_TEXT_END: Final = "</t></is></c>"
_NUMBER_END: Final = "</v></c>"


class RowSheet(Worksheet):  # type: ignore[misc]  # xlsxwriter has no type information
    """A constant-memory worksheet that also takes a whole row of cell XML at once.

    Made by ``Workbook.add_worksheet(name, RowSheet)``; cells may still be written one by one
    (the header) before the rows written whole.
    """

    # xlsxwriter's own state that a row written whole keeps up to date
    previous_row: int  # the row whose cells xlsxwriter still holds (constant-memory mode)
    dim_rowmin: int | None
    dim_rowmax: int | None
    dim_colmin: int | None
    dim_colmax: int | None

    def style(self, col: int, cell_format: Format | None) -> str:
        """The style attribute of a cell of ``col`` written with ``cell_format``: its own
        format's, else its column's (set_column comes first), as xlsxwriter picks it."""
        if cell_format is None:
            info = self.col_info.get(col)
            cell_format = None if info is None else info.column_format
        return "" if cell_format is None else f' s="{cell_format._get_xf_index()}"'

    def write_row_xml(self, row: int, first_col: int, last_col: int, cells: str) -> None:
        """Write row ``row`` (0-based), its cells from ``first_col`` to ``last_col`` given as
        ``cells``, their XML. Rows come in order; cells of earlier rows still waiting in
        xlsxwriter are written first, and cells later written into this row one by one are
        dropped, as xlsxwriter drops those of rows it has written."""
        if row < self.previous_row or self.table.get(row):
            raise ValueError(f"row {row + 1} comes after rows already written")
        if row in self.row_info:
            raise ValueError(f"row {row + 1} has row formatting: write its cells one by one")
        if not 0 <= first_col <= last_col < self.xls_colmax or row >= self.xls_rowmax:
            raise ValueError(f"row {row + 1}, columns {first_col}-{last_col}: outside the sheet")
        if row > self.previous_row:
            self._write_single_row(row)  # the cells written one by one before
        self.previous_row = row + 1
        if self.dim_rowmin is None or row < self.dim_rowmin:
            self.dim_rowmin = row
        if self.dim_rowmax is None or row > self.dim_rowmax:
            self.dim_rowmax = row
        if self.dim_colmin is None or first_col < self.dim_colmin:
            self.dim_colmin = first_col
        if self.dim_colmax is None or last_col > self.dim_colmax:
            self.dim_colmax = last_col
        if self.default_row_height == self.original_row_height and self.excel_version == 2007:
            self.fh.write(f'<row r="{row + 1}">{cells}</row>')
        else:
            self._write_row(row, None)
            self.fh.write(f"{cells}</row>")


class CellXml:
    """One column's cell templates: ``<c r="`` + letter, then the row number, then the rest."""

    __slots__ = ("number", "opening", "preserved_text", "text")

    def __init__(self, sheet: RowSheet, col: int, cell_format: Format | None) -> None:
        style = sheet.style(col, cell_format)
        self.opening = f'<c r="{xl_col_to_name(col)}'
        self.text = f'"{style} t="inlineStr"><is><t>'
        self.preserved_text = f'"{style} t="inlineStr"><is><t xml:space="preserve">'
        self.number = f'"{style}><v>'

    def text_cell(self, row_number: str, text: str) -> str:
        """A text cell (``text`` within Excel's limit) of the row numbered ``row_number``."""
        if (
            text
            and _MAY_NEED_ESCAPING(text) is None
            and not text[0].isspace()
            and not text[-1].isspace()
        ):
            return f"{self.opening}{row_number}{self.text}{text}{_TEXT_END}"
        return self.escaped_text_cell(row_number, text)

    def escaped_text_cell(self, row_number: str, text: str) -> str:
        """xlsxwriter's way with an inline string: control characters become _xHHHH_ (and a
        literal _xHHHH_ has its "_" escaped), leading or trailing white space is kept with
        xml:space="preserve", & < > become entities (quotes stay as they are)."""
        text = XMLwriter._escape_control_characters(text)
        middle = self.preserved_text if _preserve_whitespace(text) else self.text
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f"{self.opening}{row_number}{middle}{text}{_TEXT_END}"

    def number_cell(self, row_number: str, number: Any) -> str:
        """A number cell, written as xlsxwriter's write_number writes it (%.16G)."""
        if number.__class__ is not int and not isfinite(number):
            raise TypeError("NAN/INF not supported in write_number()")
        return f"{self.opening}{row_number}{self.number}{number:.16G}{_NUMBER_END}"


def within_limit(text: str) -> str:
    """``text`` cut to Excel's limit, in characters (ours) and in UTF-16 units (xlsxwriter's,
    which counts a character beyond U+FFFF as two)."""
    if len(text) > CELL_LIMIT:
        text = text[:CELL_LIMIT]
    if len(text.encode("utf-16-le", "surrogatepass")) // 2 <= CELL_LIMIT:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > CELL_LIMIT:
            return text[:index]
    return text


class TextRows:
    """Rows of text cells, a cell format per column; a blank (None or "") is not written."""

    def __init__(self, sheet: RowSheet, formats: Sequence[Format | None]) -> None:
        self._sheet = sheet
        self._columns = [CellXml(sheet, col, fmt) for col, fmt in enumerate(formats)]

    def write(self, row: int, texts: Iterable[str | None]) -> None:
        row_number = str(row + 1)
        parts: list[str] = []
        first = last = -1
        for col, (cell, text) in enumerate(zip(self._columns, texts, strict=False)):
            if text is None or text == "":
                continue
            if len(text) > _SURELY_WITHIN:
                text = within_limit(text)
            parts.append(cell.text_cell(row_number, text))
            if first < 0:
                first = col
            last = col
        if parts:
            self._sheet.write_row_xml(row, first, last, "".join(parts))


_TEXT, _NUMBER, _DATE, _MONEY = range(4)


def _how(column: Column) -> int:
    if column.kind == wl.DATE:
        return _DATE
    if column.kind in (wl.INT, wl.VERSION, wl.CHECK):
        return _NUMBER
    if column.kind in (wl.DECIMAL, wl.INR, wl.CRORE):
        return _MONEY
    return _TEXT


def write_layout_rows(
    sheet: RowSheet,
    layout: SheetLayout,
    rows: Iterable[Sequence[Any]],
    cell_formats: Sequence[Format | None],
    tick: Callable[[int], None],
    every: int,
) -> int:
    """Write ``rows`` (one value per layout column) from the sheet's second row on, each cell
    as the call for its kind would (text stays text, numbers and dates are numbers), and each
    row's Row check, calling ``tick`` with the rows written so far after every ``every``
    rows; returns the last row written.

    The Row check is worked out from the cells as they are written, in the form calamine
    gives them back ("" for a blank, numbers as floats, dates as dates; workbook_fingerprint).
    One loop, the usual text inline: at 100,000 rows every step per cell counts.
    """
    columns = layout.columns
    check = len(columns) - 1 if columns and columns[-1].kind == wl.CHECK else -1
    digest = RowDigest(layout) if check >= 0 else None
    check_cell = CellXml(sheet, check, cell_formats[check]) if check >= 0 else None
    plan = [
        (col, _how(c), CellXml(sheet, col, cell_formats[col]))
        for col, c in enumerate(columns)
        if col != check
    ]
    width = len(plan)
    may_need_escaping = _MAY_NEED_ESCAPING
    last = 0
    for last, values in enumerate(rows, start=1):
        row_number = str(last + 1)
        cells: list[object] = [""] * width
        parts: list[str] = []
        first = final = -1
        for (col, how, xml), value in zip(plan, values, strict=False):
            if value is None or value == "":
                continue
            if how == _TEXT:
                text = value if value.__class__ is str else str(value)
                if len(text) > _SURELY_WITHIN:
                    text = within_limit(text)
                cells[col] = text
                if (
                    text
                    and may_need_escaping(text) is None
                    and not text[0].isspace()
                    and not text[-1].isspace()
                ):
                    parts.append(f"{xml.opening}{row_number}{xml.text}{text}{_TEXT_END}")
                else:
                    parts.append(xml.escaped_text_cell(row_number, text))
            elif how == _NUMBER:
                parts.append(xml.number_cell(row_number, value))
                cells[col] = float(value)
            elif how == _DATE:
                day = value.date() if isinstance(value, datetime) else value
                parts.append(
                    f"{xml.opening}{row_number}{xml.number}{day.toordinal() - EPOCH}{_NUMBER_END}"
                )
                cells[col] = day
            else:
                number = value if value.__class__ is float else written_number(value)
                if number.__class__ is str:  # keep every digit: text is read back exactly
                    parts.append(xml.text_cell(row_number, number))
                else:
                    parts.append(xml.number_cell(row_number, number))
                cells[col] = number
            if first < 0:
                first = col
            final = col
        if check_cell is not None and digest is not None:
            row_check = digest(cells)
            if row_check is not None:  # a cell the digest does not cover: read in full
                parts.append(
                    f"{check_cell.opening}{row_number}{check_cell.number}{row_check}{_NUMBER_END}"
                )
                final = check
                if first < 0:
                    first = check
        if parts:
            sheet.write_row_xml(last, first, final, "".join(parts))
        if last % every == 0:
            tick(last)
    return last
