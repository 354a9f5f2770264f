"""BIFF12 records of an .xlsb: the sheet list of workbook.bin and each sheet's extent."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Final

from mou_desk.exchange.workbook_reader.messages import msg_damaged
from mou_desk.exchange.workbook_reader.model import SheetScan, WorkbookRefused

_XLSB_ERRORS: Final = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_XLSB_ROW: Final = 0
_XLSB_VALUE_CELLS: Final = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 62})
_XLSB_ERROR_CELLS: Final = frozenset({3, 11})
_XLSB_BUNDLE_SHEET: Final = 156


def _xlsb_records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(record type, payload start, payload end) of each BIFF12 record."""
    pos, end = 0, len(data)
    while pos < end:
        kind = data[pos] & 0x7F
        if data[pos] & 0x80:
            pos += 1
            kind |= (data[pos] & 0x7F) << 7
        pos += 1
        size = shift = 0
        for _ in range(4):
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if pos + size > end:
            raise ValueError("record runs past the end of the part")
        yield kind, pos, pos + size
        pos += size


def scan_xlsb_sheet(data: bytes, label: str) -> SheetScan:
    scan = SheetScan()
    row = max_row = max_col = -1
    try:
        for kind, start, end in _xlsb_records(data):
            if kind == _XLSB_ROW and end - start >= 4:
                (row,) = struct.unpack_from("<I", data, start)
            elif kind in _XLSB_VALUE_CELLS and end - start >= 4:
                (col,) = struct.unpack_from("<I", data, start)
                max_row, max_col = max(max_row, row), max(max_col, col)
                if kind in _XLSB_ERROR_CELLS and end - start >= 9:
                    scan.errors[(row, col)] = _XLSB_ERRORS.get(data[start + 8], "#VALUE!")
    except (IndexError, ValueError, struct.error) as exc:
        raise WorkbookRefused(msg_damaged(label)) from exc
    scan.rows, scan.cols = max_row + 1, max_col + 1
    return scan


def xlsb_sheets(data: bytes, label: str) -> list[tuple[str, str]]:
    """(sheet name, relationship id) from the BrtBundleSh records of xl/workbook.bin."""

    def wide_string(pos: int) -> tuple[str, int]:
        (length,) = struct.unpack_from("<I", data, pos)
        if length == 0xFFFFFFFF:
            return "", pos + 4
        text = data[pos + 4 : pos + 4 + 2 * length]
        if len(text) != 2 * length:
            raise ValueError("string runs past its record")
        return text.decode("utf-16-le"), pos + 4 + 2 * length

    listed: list[tuple[str, str]] = []
    try:
        for kind, start, _end in _xlsb_records(data):
            if kind == _XLSB_BUNDLE_SHEET:
                rel_id, pos = wide_string(start + 8)
                name, _ = wide_string(pos)
                listed.append((name, rel_id))
    except (IndexError, ValueError, struct.error, UnicodeDecodeError) as exc:
        raise WorkbookRefused(msg_damaged(label)) from exc
    return listed
