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
from typing import Any

import xlsxwriter

from mou_desk.exchange.workbook_export import ExportFailed
from mou_desk.exchange.workbook_layout import CELL_LIMIT
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
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
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
        ws = book.add_worksheet(sheet.name[:31])
        width = max(len(sheet.headers), *(len(r.values) for r in sheet.rows))
        for col in range(width):
            value = sheet.headers[col] if col < len(sheet.headers) else None
            ws.write_string(0, col, "" if value is None else str(value), header)
            ws.set_column(col, col, 16)
        ws.write_string(0, width, PROBLEMS_HEADER, problem_head)
        ws.set_column(width, width, 80)
        ws.freeze_panes(1, 0)
        for r, item in enumerate(sheet.rows, start=1):
            for col in range(width):
                value = item.values[col] if col < len(item.values) else None
                wrong = col in item.bad_columns
                _cell(
                    ws,
                    r,
                    col,
                    value,
                    bad if wrong else plain,
                    bad_dates if wrong else dates,
                    stamps,
                )
            text = "\n".join(item.messages)
            ws.write_string(r, width, text[:CELL_LIMIT], wrap)
        ws.autofilter(0, 0, len(sheet.rows), width)
        total += len(sheet.rows)
    book.close()
    return total


def _cell(
    ws: Any, row: int, col: int, value: object, fmt: object, date_fmt: object, stamp_fmt: object
) -> None:
    write = ws  # an xlsxwriter worksheet
    if value is None:
        if fmt is not None:
            write.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool):
        write.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        write.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        write.write_datetime(row, col, value.replace(tzinfo=None), stamp_fmt)
    elif isinstance(value, dt.date):
        write.write_datetime(row, col, value, date_fmt)
    else:
        write.write_string(row, col, str(value)[:CELL_LIMIT], fmt)
