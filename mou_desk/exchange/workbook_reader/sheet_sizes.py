"""Measuring each sheet before calamine reads it, and refusing one too large to hold."""

from __future__ import annotations

import html
import re
import zipfile
from typing import IO, TYPE_CHECKING, Final

from mou_desk.domain.errors import DeskError
from mou_desk.exchange.workbook_reader.cells import column_letters
from mou_desk.exchange.workbook_reader.messages import (
    msg_damaged,
    msg_locked,
    msg_too_many_rows,
    quote,
)
from mou_desk.exchange.workbook_reader.model import (
    CHUNK,
    MAX_CELLS,
    Progress,
    SheetScan,
    Source,
    WorkbookRefused,
)
from mou_desk.exchange.workbook_reader.xlsb import scan_xlsb_sheet
from mou_desk.exchange.workbook_reader.xlsx_sizes import scan_xlsx_sheet

if TYPE_CHECKING:
    from mou_desk.exchange.workbook_reader.parts import PartCutter


def check_extent(
    source: Source, name: str, scan: SheetScan, max_rows: int | None, cells: int = MAX_CELLS
) -> None:
    if max_rows is not None and scan.rows > max_rows:
        raise WorkbookRefused(msg_too_many_rows(source, name, scan.rows, max_rows))
    if scan.rows * scan.cols > cells or scan.cols > 16_384:
        far = f"{column_letters(scan.cols - 1)}{scan.rows}"
        raise WorkbookRefused(
            f"Sheet {quote(name)} in {source.label} reaches as far as column "
            f"{column_letters(scan.cols - 1)} and row {scan.rows:,} (cell {far}), too large "
            "to read; delete the stray cells right of and below your table in Excel, save, "
            "and import again."
        )


def measure_ods(source: Source, progress: Progress) -> dict[str, SheetScan]:
    """Scan every table and refuse before calamine builds them all in memory at once."""
    scans = _scan_ods(source, progress)
    budget = MAX_CELLS
    for name, scan in scans.items():
        check_extent(source, name, scan, None, budget)
        budget -= scan.rows * scan.cols
    return scans


def widest(scans: dict[str, SheetScan]) -> SheetScan:
    """A stand-in for a sheet the scan did not name: as large as the largest one."""
    return SheetScan(
        rows=max((s.rows for s in scans.values()), default=0),
        cols=max((s.cols for s in scans.values()), default=0),
    )


def scan_package_sheet(
    source: Source,
    name: str,
    max_rows: int,
    progress: Progress,
    cutter: PartCutter | None = None,
) -> SheetScan:
    """Measure a sheet of a package; ``cutter`` (an .xlsx sheet only) cuts it into parts."""
    part = source.sheet_parts.get(name)
    if part is None:  # calamine lists a sheet the workbook part does not: never guess its size
        raise WorkbookRefused(msg_damaged(source.label))
    try:
        with zipfile.ZipFile(source.path) as package, package.open(part) as stream:
            if source.kind == "xlsb":
                return scan_xlsb_sheet(stream.read(), source.label)
            return scan_xlsx_sheet(stream, max_rows, progress, cutter=cutter)
    except (DeskError, KeyboardInterrupt):
        raise
    except PermissionError as exc:
        raise WorkbookRefused(msg_locked(source.label)) from exc
    except Exception as exc:  # CRC errors, truncated data, bad lengths: all mean damage
        raise WorkbookRefused(msg_damaged(source.label)) from exc


_ODS_TAG: Final = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_ATTR: Final = re.compile(rb"(?:^|\s)(?:[\w.-]+:)?([\w-]+)\s*=\s*[\"']([^\"']*)[\"']")


def _scan_ods(source: Source, progress: Progress) -> dict[str, SheetScan]:
    """Extents and merged areas of every table in content.xml, repeats included."""
    try:
        with zipfile.ZipFile(source.path) as package, package.open("content.xml") as stream:
            return _scan_ods_content(stream, progress)
    except (DeskError, KeyboardInterrupt):
        raise
    except PermissionError as exc:
        raise WorkbookRefused(msg_locked(source.label)) from exc
    except Exception as exc:
        raise WorkbookRefused(msg_damaged(source.label)) from exc


def _scan_ods_content(stream: IO[bytes], progress: Progress) -> dict[str, SheetScan]:
    scans: dict[str, SheetScan] = {}
    scan = SheetScan()
    row = col = row_span = 0
    row_last_col = -1
    tail = b""
    while True:
        progress.check()
        block = stream.read(CHUNK)
        data = tail + block
        cut = data.rfind(b"<") if block else len(data)
        chunk, tail = data[:cut], data[cut:]
        for closing, name, raw_attrs, empty in _ODS_TAG.findall(chunk):
            if closing:
                if name == b"table-row":
                    if row_last_col >= 0:
                        scan.rows = max(scan.rows, row + row_span)
                        scan.cols = max(scan.cols, row_last_col + 1)
                    row += row_span
                continue
            attrs = {key: value for key, value in _ODS_ATTR.findall(raw_attrs)}
            if name == b"table":
                scan = SheetScan()
                scans[html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))] = scan
                row = 0
            elif name == b"table-row":
                row_span = int(attrs.get(b"number-rows-repeated", b"1") or 1)
                col, row_last_col = 0, -1
                if empty:
                    row += row_span
            else:
                repeat = int(attrs.get(b"number-columns-repeated", b"1") or 1)
                if b"value-type" in attrs or (not empty and name == b"table-cell"):
                    row_last_col = col + repeat - 1
                spans = (
                    int(attrs.get(b"number-rows-spanned", b"1") or 1),
                    int(attrs.get(b"number-columns-spanned", b"1") or 1),
                )
                if name == b"table-cell" and spans != (1, 1):
                    scan.merges.append(((row, col), (row + spans[0] - 1, col + spans[1] - 1)))
                col += repeat
        if not block:
            return scans
