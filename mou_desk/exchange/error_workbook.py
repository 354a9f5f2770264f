"""The error workbook: the rows that could not be imported, as they were, with what is wrong.

Each sheet repeats the imported sheet's header and the problem rows cell for cell (text stays
text, dates stay dates), marks the cells at fault in red and adds a "Problems" column saying
what is wrong in which cell. Finance fixes the red cells and sends the workbook back: it
imports like the original (the Problems column is ignored).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format

from mou_desk.exchange.workbook_export import ExportFailed
from mou_desk.exchange.workbook_rows import CellXml, RowSheet, within_limit
from mou_desk.exchange.workbook_styles import DATE_FORMAT

PROBLEMS_HEADER = "Problems"
README_SHEET = "Read me"


@dataclass
class ErrorRow:
    values: tuple[object, ...]
    messages: list[str]
    bad_columns: set[int] = field(default_factory=set)


@dataclass
class ErrorSheet:
    name: str
    headers: tuple[object, ...]
    rows: list[ErrorRow]


def write_error_workbook(path: Path, sheets: Sequence[ErrorSheet], source_name: str) -> int:
    """Write the problem rows of every sheet to ``path``; returns the number of rows."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path()
    try:
        descriptor, name = tempfile.mkstemp(prefix=".~errors-", suffix=".xlsx", dir=folder)
        os.close(descriptor)
    except OSError as exc:
        raise ExportFailed(f"Cannot write in {folder}: {exc.strerror or exc}.") from exc
    temp = Path(name)
    try:
        count = _write(temp, sheets, source_name)
        temp.replace(path)
    except OSError as exc:
        raise ExportFailed(
            f"{path.name} could not be written ({exc.strerror or exc}); if it is open in "
            "Excel, close it and try again."
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return count


def _write(temp: Path, sheets: Sequence[ErrorSheet], source_name: str) -> int:
    book = xlsxwriter.Workbook(
        str(temp),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True})
    problem_head = book.add_format({"bold": True, "bg_color": "#F4B084", "bottom": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "font_color": "#9C0006"})
    plain, bad = book.add_format({}), book.add_format({"bg_color": "#FFC7CE"})
    dates = book.add_format({"num_format": DATE_FORMAT})
    bad_dates = book.add_format({"num_format": DATE_FORMAT, "bg_color": "#FFC7CE"})
    stamps = book.add_format({"num_format": "dd-mm-yyyy hh:mm"})
    total = 0
    readme = book.add_worksheet(README_SHEET)
    readme.set_column(0, 0, 100)
    lines = [
        f"Rows of {source_name} that MoU Desk could not import.",
        "Cells in red are wrong; the Problems column says why. Fix them and import this "
        "workbook again: the rows already imported are not in it.",
        "Do not change the ID and Version columns.",
    ]
    for row, line in enumerate(lines):
        readme.write_string(row, 0, line)
    for sheet in sheets:
        if not sheet.rows:
            continue
        ws = book.add_worksheet(sheet.name[:31], RowSheet)
        width = max(len(sheet.headers), *(len(r.values) for r in sheet.rows))
        ws.set_column(0, width - 1, 16)
        ws.set_column(width, width, 80)
        ws.freeze_panes(1, 0)
        cells = _Cells(ws)
        head = [sheet.headers[c] if c < len(sheet.headers) else None for c in range(width)]
        titles = ["" if v is None else str(v) for v in head]
        cells.write_row(0, [*((t, header) for t in titles), (PROBLEMS_HEADER, problem_head)])
        for r, item in enumerate(sheet.rows, start=1):
            written: list[tuple[object, Format]] = []
            for col in range(width):
                value = item.values[col] if col < len(item.values) else None
                wrong = col in item.bad_columns
                if isinstance(value, dt.datetime):
                    written.append((value.replace(tzinfo=None), stamps))
                elif isinstance(value, dt.date):
                    written.append((value, bad_dates if wrong else dates))
                else:
                    written.append((value, bad if wrong else plain))
            written.append(("\n".join(item.messages), wrap))
            cells.write_row(r, written)
        ws.autofilter(0, 0, len(sheet.rows), width)
        total += len(sheet.rows)
    book.close()
    return total


class _Cells:
    """A sheet's rows written whole (exchange.workbook_rows): texts escaped as any other text.

    xlsxwriter writes a string that starts ``<r>`` and ends ``</r>`` unescaped, taking it for
    a rich string of its own; a cell of finance's workbook could so carry markup into this one.
    """

    def __init__(self, sheet: RowSheet) -> None:
        self._sheet = sheet
        self._xml: dict[tuple[int, int], CellXml] = {}

    def write_row(self, row: int, cells: Sequence[tuple[object, Format]]) -> None:
        number = str(row + 1)
        parts = [self._cell(number, col, value, fmt) for col, (value, fmt) in enumerate(cells)]
        self._sheet.write_row_xml(row, 0, len(cells) - 1, "".join(parts))

    def _cell(self, number: str, col: int, value: object, fmt: Format) -> str:
        xml = self._xml.get((col, id(fmt)))
        if xml is None:
            xml = self._xml[(col, id(fmt))] = CellXml(self._sheet, col, fmt)
        style = self._sheet.style(col, fmt)
        if value is None or value == "":
            return f'{xml.opening}{number}"{style}/>'
        if isinstance(value, bool):
            return f'{xml.opening}{number}"{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return xml.number_cell(number, value)
        if isinstance(value, dt.date):  # a date-time as its day and fraction, as written
            return xml.number_cell(number, self._sheet._convert_date_time(value))
        return xml.text_cell(number, within_limit(str(value)))
