"""Reading a CSV or text file as one sheet: its encoding, its delimiter, Excel's sep= line."""

from __future__ import annotations

import csv
import re
from typing import Final

from mou_desk.exchange.workbook_reader.cells import text_value, trimmed
from mou_desk.exchange.workbook_reader.messages import (
    msg_locked,
    msg_os_error,
    msg_too_many_rows,
)
from mou_desk.exchange.workbook_reader.model import (
    Progress,
    SheetData,
    Source,
    WorkbookRefused,
)


def read_csv(source: Source, name: str, max_rows: int, progress: Progress) -> SheetData:
    with source.path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif head.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        start_rows = progress.rows
        try:
            grid = _parse_csv(source, name, encoding, max_rows, progress)
        except UnicodeError as exc:
            progress.rows = start_rows
            if encoding != encodings[-1]:
                continue
            raise WorkbookRefused(
                f"{source.label} is not readable text (neither UTF-8 nor Windows-1252); save it "
                "from Excel with Save As > CSV UTF-8 and import that copy."
            ) from exc
        if encoding == "cp1252":
            source.warnings.append(
                f"{source.label} is not UTF-8 text, so it was read as Windows-1252 (Western "
                "European); check that names in other scripts look right."
            )
        return SheetData(name, trimmed(grid))
    raise AssertionError("unreachable")  # pragma: no cover


_SEP_LINE: Final = re.compile(r"\Asep=(.)\r?\n")


def _parse_csv(
    source: Source, name: str, encoding: str, max_rows: int, progress: Progress
) -> list[list[object]]:
    grid: list[list[object]] = []
    try:
        with source.path.open("r", encoding=encoding, newline="") as stream:
            sample = stream.read(64 * 1024)
            stream.seek(0)
            declared = _SEP_LINE.match(sample)
            if declared:  # Excel's "sep=;" first line names the delimiter
                delimiter = declared.group(1)
                stream.readline()
            else:
                delimiter = _sniff_delimiter(sample)
            for record in csv.reader(stream, delimiter=delimiter):
                row: list[object] = [text_value(value) for value in record]
                grid.append(row)
                if len(grid) > max_rows and any(value is not None for value in row):
                    raise WorkbookRefused(msg_too_many_rows(source, name, len(grid), max_rows))
                progress.row()
    except csv.Error as exc:
        raise WorkbookRefused(
            f"{source.label} could not be read as CSV text ({exc}); open it in Excel, save it "
            "with Save As > CSV UTF-8 or as .xlsx, and import that copy."
        ) from exc
    except PermissionError as exc:
        raise WorkbookRefused(msg_locked(source.label)) from exc
    except OSError as exc:
        raise WorkbookRefused(msg_os_error(source.label, exc)) from exc
    return grid


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
