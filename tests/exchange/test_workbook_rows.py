"""Rows written whole (exchange.workbook_rows) are the bytes xlsxwriter writes for the same cells.

Each test writes the same cells twice, with the same formats: once through the rows written
whole, once cell by cell with write_string/write_number as the export used to, and compares the
worksheet XML byte for byte. A new xlsxwriter that writes cells differently fails here first
(its version is pinned in packaging/*.lock).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
import xlsxwriter
from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate
from xlsxwriter.xmlwriter import XMLwriter

from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_fingerprint import RowDigest, written_number
from mou_desk.exchange.workbook_layout import CELL_LIMIT, Column, SheetLayout
from mou_desk.exchange.workbook_rows import (
    EPOCH,
    CellXml,
    RowSheet,
    TextRows,
    write_layout_rows,
)
from mou_desk.exchange.workbook_styles import Formats

OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}

LAYOUT = SheetLayout(
    "Rows",
    "test",
    (
        Column("Text", "text", wl.TEXT),
        Column("Phone", "phone", wl.PHONE),
        Column("Date", "date", wl.DATE),
        Column("Count", "count", wl.INT),
        Column("Amount", "amount", wl.DECIMAL),
        Column("Proposed ₹", "inr", wl.INR, readonly=True),
        Column("₹ crore", "crore", wl.CRORE, readonly=True),
        Column("ID", "id", wl.ID, readonly=True),
        Column("Version", "version", wl.VERSION, readonly=True),
        Column("Row check", "_check", wl.CHECK, readonly=True),
    ),
)

TEXTS: list[Any] = [
    "plain",
    "Tata & Sons <India> Ltd.",
    'say "hi" and it\'s done',
    "&amp; already",
    "\x01start",
    "end\x1f",
    "mid\x00dle\x08\x0b\x0c\r",
    "tab\there",
    "line\nbreak",
    "\ttabbed",
    "trailing ",
    " leading",
    " ",
    "\u00a0non-breaking",
    "ideographic\u3000",
    "next line\x85",
    "del\x7f",
    "_x0041_",
    "_X00aF_ and _x12G4_ and _x004_",
    "snake_case_name",
    "non\ufffechar\uffff",
    "田中電気株式会社",
    "उत्तर प्रदेश निवेश",
    "जॉन\u200d",  # ends with a zero-width joiner (not printable, not white space)
    "emoji 🙂 ok",
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+91 98765 43210",
    "#N/A",
    "@SUM(A1)",
    42,
    "x" * CELL_LIMIT,
    "é" * (CELL_LIMIT + 5),
    "🙂" * 20_000,  # over Excel's limit in UTF-16 units, not in characters
    "a" * (CELL_LIMIT - 1) + "🙂",
]
NUMBERS: list[Any] = [
    0,
    1,
    -1,
    2**53 + 1,
    10**20,
    -(10**17),
    Decimal("1.50"),
    True,
]
AMOUNTS: list[Any] = [
    0.0,
    -0.0,
    0.1,
    1 / 3,
    -2.5,
    1e-300,
    5e-324,
    1.7976931348623157e308,
    123456789.123456789,
    1e16,
    12345678901234567.0,
    1e15 + 0.3,
    Decimal("12.5"),
    Decimal("12345678901234567.89"),  # more digits than a float holds: written as text
    7,
]
DATES: list[Any] = [
    dt.date(2026, 2, 10),
    dt.datetime(2026, 2, 10, 13, 5),
    dt.date(1899, 12, 31),
    dt.date(1900, 3, 1),
    dt.date(9999, 12, 31),
]


def tricky_rows() -> list[list[Any]]:
    count = max(len(TEXTS), len(NUMBERS), len(AMOUNTS), len(DATES))
    rows = []
    for i in range(count):
        rows.append(
            [
                TEXTS[i % len(TEXTS)],
                TEXTS[(i * 7 + 3) % len(TEXTS)] if i % 3 else None,
                DATES[i % len(DATES)] if i % 4 else None,
                NUMBERS[i % len(NUMBERS)],
                AMOUNTS[i % len(AMOUNTS)],
                AMOUNTS[(i + 5) % len(AMOUNTS)] if i % 2 else "",
                AMOUNTS[(i + 9) % len(AMOUNTS)],
                f"id-{i:04d}",
                i + 1,
                None,
            ]
        )
    rows.insert(3, [None, "", None, None, "", None, None, None, None, None])  # only the Row check
    rows.insert(5, ["a short row", None, dt.date(2025, 7, 14)])
    rows.append(["the last", "+91 1", dt.date(2025, 1, 1), 3, 1.5, 2.5, 0.5, "id-last", 9, None])
    return rows


def fixed_formats(book: xlsxwriter.Workbook) -> Formats:
    """The export's formats, their style numbers taken before any cell is written: which
    number a format gets depends on which cell first uses it, and the two ways use them in
    different orders (the same styles either way)."""
    formats = Formats(book)
    for fmt in (
        formats.header,
        formats.header_grey,
        *formats.by_kind.values(),
        formats.plain,
        formats.bold,
        formats.wrap,
    ):
        fmt._get_xf_index()
    return formats


def layout_book(path: Path, sheet_class: type | None) -> tuple[Any, Any, Formats]:
    """A book with the Rows sheet set up as the export sets its sheets up."""
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    formats = fixed_formats(book)
    sheet = book.add_worksheet(LAYOUT.name, sheet_class)
    for i, column in enumerate(LAYOUT.columns):
        head = formats.header_grey if column.readonly else formats.header
        sheet.write_string(0, i, column.header, head)
        hidden = {"hidden": True} if column.kind == wl.CHECK else {}
        sheet.set_column(i, i, column.width, formats.column(column), hidden)
    sheet.set_row(0, 32)
    return book, sheet, formats


def write_cell_by_cell(sheet: Any, rows: Sequence[Sequence[Any]], formats: Formats) -> None:
    """The rows as the export wrote them before, with xlsxwriter's calls for each cell."""
    columns = LAYOUT.columns
    cell_formats = [formats.cell(c) for c in columns]
    digest = RowDigest(LAYOUT)
    for row, values in enumerate(rows, start=1):
        cells: list[object] = [""] * (len(columns) - 1)
        for col, (column, value) in enumerate(zip(columns[:-1], values, strict=False)):
            fmt = cell_formats[col]
            if value is None or value == "":
                continue
            if column.kind == wl.DATE:
                day = value.date() if isinstance(value, dt.datetime) else value
                sheet.write_number(row, col, day.toordinal() - EPOCH, fmt)
                cells[col] = day
            elif column.kind in (wl.INT, wl.VERSION):
                sheet.write_number(row, col, value, fmt)
                cells[col] = float(value)
            elif column.kind in (wl.DECIMAL, wl.INR, wl.CRORE):
                number = value if type(value) is float else written_number(value)
                if isinstance(number, str):
                    sheet.write_string(row, col, number, fmt)
                else:
                    sheet.write_number(row, col, number, fmt)
                cells[col] = number
            else:
                text = str(value)[:CELL_LIMIT]
                sheet.write_string(row, col, text, fmt)
                if _utf16_len(text) > CELL_LIMIT:  # as xlsxwriter cuts it, and calamine reads it
                    text = _utf16_truncate(text, CELL_LIMIT)
                cells[col] = text
        sheet.write_number(row, len(columns) - 1, digest(cells), cell_formats[-1])


def sheet_xml(path: Path, number: int = 1) -> bytes:
    with zipfile.ZipFile(path) as book:
        return book.read(f"xl/worksheets/sheet{number}.xml")


def assert_same_xml(expected: Path, written: Path, sheets: int = 1) -> None:
    for number in range(1, sheets + 1):
        want, got = sheet_xml(expected, number), sheet_xml(written, number)
        if want != got:
            at = next(
                (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
                min(len(want), len(got)),
            )
            pytest.fail(
                f"sheet{number}.xml differs at byte {at}:\n"
                f"xlsxwriter: {want[max(0, at - 120) : at + 120]!r}\n"
                f"rows:       {got[max(0, at - 120) : at + 120]!r}"
            )
    with zipfile.ZipFile(expected) as a, zipfile.ZipFile(written) as b:
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")


def test_layout_rows_are_the_bytes_xlsxwriter_writes(tmp_path: Path) -> None:
    rows = tricky_rows()
    book, sheet, formats = layout_book(tmp_path / "cells.xlsx", None)
    write_cell_by_cell(sheet, rows, formats)
    book.close()

    book, sheet, formats = layout_book(tmp_path / "rows.xlsx", RowSheet)
    ticks: list[int] = []
    cell_formats = [formats.cell(c) for c in LAYOUT.columns]
    last = write_layout_rows(sheet, LAYOUT, rows, cell_formats, ticks.append, 10)
    book.close()

    assert last == len(rows)
    assert ticks == list(range(10, len(rows) + 1, 10))
    assert_same_xml(tmp_path / "cells.xlsx", tmp_path / "rows.xlsx")
    xml = sheet_xml(tmp_path / "rows.xlsx")
    assert b'<dimension ref="A1:J' in xml
    assert b"_x005F_x0041_" in xml and b"_x0001_" in xml and b'xml:space="preserve"' in xml


#: written as xlsxwriter writes them, but read back otherwise: floats that need 17 digits
#: (xlsxwriter writes 16), the largest float (its 16 digits round up past it), non-characters
#: (calamine leaves their _xFFFE_ escapes), days before 1 March 1900 (Excel counts a 29 February
#: 1900). Their rows' Row checks differ: such rows are read in full.
NOT_READ_BACK_AS_WRITTEN: set[object] = {
    dt.date(1899, 12, 31),
    123456789.123456789,
    12345678901234567.0,
    1e15 + 0.3,
    1.7976931348623157e308,
    "non\ufffechar\uffff",
}


def test_row_checks_are_of_the_cells_calamine_reads_back(tmp_path: Path) -> None:
    rows = [
        [
            None if isinstance(v, str | float | dt.date) and v in NOT_READ_BACK_AS_WRITTEN else v
            for v in row
        ]
        for row in tricky_rows()
    ]
    book, sheet, formats = layout_book(tmp_path / "rows.xlsx", RowSheet)
    cell_formats = [formats.cell(c) for c in LAYOUT.columns]
    write_layout_rows(sheet, LAYOUT, rows, cell_formats, lambda _: None, 1000)
    book.close()
    read = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "rows.xlsx"))
    written = read.get_sheet_by_name(LAYOUT.name).to_python()[1:]
    digest = RowDigest(LAYOUT)
    assert len(written) == len(rows)
    for row in written:
        cells = [row[i] for i in range(len(LAYOUT.columns) - 1)]
        assert digest(cells) == row[-1], row[:2]


def test_text_rows_are_the_bytes_xlsxwriter_writes(tmp_path: Path) -> None:
    """Cells with a format, with their column's, with none; blanks left out; a row of blanks
    not written at all; the first row at the top of the sheet."""
    texts = [t if isinstance(t, str) else str(t) for t in TEXTS]
    rows: list[list[str | None]] = [
        [texts[i], texts[-i - 1], None if i % 5 else "", texts[(i * 3) % len(texts)]]
        for i in range(len(texts))
    ]
    rows.insert(4, [None, "", None, None])

    def setup(path: Path, sheet_class: type | None) -> tuple[Any, Any, list[Any]]:
        book = xlsxwriter.Workbook(str(path), OPTIONS)
        formats = fixed_formats(book)
        sheet = book.add_worksheet("Texts", sheet_class)
        sheet.set_column(1, 1, 90, formats.wrap)
        sheet.set_column(3, 3, 20, formats.bold)
        return book, sheet, [formats.bold, None, formats.wrap, None]

    book, sheet, cell_formats = setup(tmp_path / "cells.xlsx", None)
    for row, texts_of_row in enumerate(rows):
        for col, text in enumerate(texts_of_row):
            if text:
                sheet.write_string(row, col, text[:CELL_LIMIT], cell_formats[col])
    book.close()

    book, sheet, cell_formats = setup(tmp_path / "rows.xlsx", RowSheet)
    writer = TextRows(sheet, cell_formats)
    for row, texts_of_row in enumerate(rows):
        writer.write(row, texts_of_row)
    book.close()
    assert_same_xml(tmp_path / "cells.xlsx", tmp_path / "rows.xlsx")


def test_rows_written_whole_and_cell_by_cell_mix(tmp_path: Path) -> None:
    """Cells written one by one before, between and after rows written whole land in their rows
    (the dimension covers them all); cells of a row already written are dropped, as xlsxwriter
    drops them."""

    def write(path: Path, whole: bool) -> None:
        book = xlsxwriter.Workbook(str(path), OPTIONS)
        sheet = book.add_worksheet("Mixed", RowSheet if whole else None)
        sheet.write_string(0, 2, "first")
        sheet.write_number(0, 5, 1.5)
        for row in (1, 2, 5):
            if whole:
                cell = CellXml(sheet, 1, None)
                sheet.write_row_xml(row, 1, 1, cell.text_cell(str(row + 1), f"row {row}"))
            else:
                sheet.write_string(row, 1, f"row {row}")
            if row == 2:
                sheet.write_string(row, 0, "dropped: the row is written")  # only when whole
                sheet.write_string(row + 1, 3, "next row")
        sheet.write_string(9, 0, "after")
        book.close()

    write(tmp_path / "cells.xlsx", whole=False)
    write(tmp_path / "rows.xlsx", whole=True)
    want = sheet_xml(tmp_path / "cells.xlsx").replace(
        b'<c r="A3" t="inlineStr"><is><t>dropped: the row is written</t></is></c>', b""
    )
    assert want == sheet_xml(tmp_path / "rows.xlsx")


def test_rows_out_of_order_are_refused(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "order.xlsx"), OPTIONS)
    sheet = book.add_worksheet("Order", RowSheet)
    cell = CellXml(sheet, 0, None)
    sheet.write_row_xml(3, 0, 0, cell.text_cell("4", "four"))
    with pytest.raises(ValueError, match="after rows already written"):
        sheet.write_row_xml(2, 0, 0, cell.text_cell("3", "three"))
    sheet.write_string(4, 0, "five")
    with pytest.raises(ValueError, match="after rows already written"):
        sheet.write_row_xml(4, 0, 0, cell.text_cell("5", "again"))
    sheet.set_row(6, 30)
    with pytest.raises(ValueError, match="row formatting"):
        sheet.write_row_xml(6, 0, 0, cell.text_cell("7", "seven"))
    book.close()


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_not_a_number_is_refused_as_xlsxwriter_refuses_it(tmp_path: Path, number: float) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "nan.xlsx"), OPTIONS)
    sheet = book.add_worksheet("Numbers", RowSheet)
    with pytest.raises(TypeError):
        sheet.write_number(0, 0, number)
    with pytest.raises(TypeError):
        CellXml(sheet, 0, None).number_cell("1", number)
    book.close()


@pytest.mark.parametrize(
    "text",
    [
        "<r>x</r>",
        "<r><t>a</t></r></is><f>1+1</f><is><r><t>b</t></r>",
        '<r><t>=HYPERLINK("http://x","y")</t></r>',
    ],
)
def test_text_that_looks_like_a_rich_string_stays_text(tmp_path: Path, text: str) -> None:
    """xlsxwriter writes such a string into the sheet unescaped (its own rich strings start
    so): a cell could carry a formula in. Written whole, it is escaped like any text."""
    path = tmp_path / "rich.xlsx"
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    sheet = book.add_worksheet("Rich", RowSheet)
    TextRows(sheet, [None]).write(0, [text])
    book.close()
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"<is><t>{escaped}</t></is>".encode() in sheet_xml(path)
    read = python_calamine.CalamineWorkbook.from_path(str(path))
    assert read.get_sheet_by_name("Rich").to_python() == [[text]]
    cell = openpyxl.load_workbook(path)["Rich"]["A1"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_texts_taken_as_they_are_need_no_escaping() -> None:
    """Over every character: xlsxwriter's escaping leaves one the quick test lets through as it
    is (escaping is character by character but for "_xHHHH_", and "_" is never let through),
    and one str.isspace does not take for white space needs no xml:space at either end."""
    from mou_desk.exchange.workbook_rows import _MAY_NEED_ESCAPING

    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    let_through = "".join(c for c in chars if _MAY_NEED_ESCAPING(c) is None)
    assert "_" not in let_through and "&" not in let_through
    escaped = XMLwriter._escape_control_characters(let_through)
    assert XMLwriter._escape_data(XMLwriter(), escaped) == let_through
    assert not any(_preserve_whitespace(c) for c in chars if not c.isspace())


def test_number_cells_as_xlsxwriter_formats_them(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "numbers.xlsx"), OPTIONS)
    sheet = book.add_worksheet("Numbers", RowSheet)
    cell = CellXml(sheet, 27, None)
    assert cell.number_cell("9", -0.0) == '<c r="AB9"><v>-0</v></c>'
    assert cell.number_cell("9", 10**20) == '<c r="AB9"><v>1E+20</v></c>'
    assert cell.number_cell("9", 1 / 3) == '<c r="AB9"><v>0.3333333333333333</v></c>'
    assert cell.number_cell("9", 5e-324) == '<c r="AB9"><v>4.940656458412465E-324</v></c>'
    book.close()
