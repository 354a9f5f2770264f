"""Measuring an .xlsx sheet from its XML, and finding the error cells calamine reads as empty."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Final

from mou_desk.exchange.workbook_reader.cells import column_index, column_letters
from mou_desk.exchange.workbook_reader.model import CHUNK, MAX_CELLS, Progress, SheetScan

if TYPE_CHECKING:
    from mou_desk.exchange.workbook_reader.parts import PartCutter

# Cell tags as nearly every producer writes them: r first, double quotes, upper-case letters.
# A sheet written otherwise is measured by walking every tag instead (_exact_extent).
_STRICT_REF: Final = rb'([A-Z]{1,3})([0-9]{1,7})"'
_ERROR_CELL: Final = re.compile(
    rb"<(?:[\w.-]+:)?c(\s[^>]*?\bt\s*=\s*[\"']e[\"'][^>]*)>(.*?)</(?:[\w.-]+:)?c>", re.S
)
_ERROR_VALUE: Final = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")
#: t="e" or t='e' somewhere: one pass over a chunk instead of two
_MAY_HOLD_ERRORS: Final = re.compile(rb"t=[\"']e[\"']").search
_R_ATTR: Final = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([A-Za-z]*)([0-9]*)[\"']")
_ROOT: Final = re.compile(rb"<([\w.-]+:)?(?:worksheet|dialogsheet|macrosheet)\b")
_TAG: Final = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")


class _XlsxLayout:
    """Byte patterns for one sheet part, built for the namespace prefix it uses (often none)."""

    def __init__(self, first_block: bytes) -> None:
        root = _ROOT.search(first_block)
        self.prefix = p = (root.group(1) or b"") if root else b""
        self.cell_end = b"</" + p + b"c>"
        self.r_first = b"<" + p + b'c r="'
        # value cells only: a self-closing cell is formatted but empty, and calamine skips it
        self.value_refs = re.compile(re.escape(self.r_first) + _STRICT_REF + rb"[^>]*(?<!/)>")
        self.formula = b"<" + p + b"f"
        self.formula_ends = (b"</" + p + b"f>" + self.cell_end, b"/>" + self.cell_end)
        self.empty_ends = (b"<" + p + b"v/>" + self.cell_end, b"<" + p + b"is/>" + self.cell_end)
        self.dimension = re.compile(
            b"<" + re.escape(p) + rb'dimension\s+ref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"'
        )
        self._strict = re.compile(re.escape(self.r_first) + _STRICT_REF)

    def suspect(self, rows: int | None = None, cols: int = 0) -> re.Pattern[bytes]:
        """Matches a cell tag that is irregular or, given an extent, outside A1:(cols, rows).

        Irregular means r is not the first attribute in the strict form, or is missing. With an
        extent, one negative look-ahead says "not a strict reference inside it": an honest
        sheet costs a single failed test per cell; :meth:`is_odd` tells the two apart on a hit.
        """
        tag = b"<" + re.escape(self.prefix) + b"c(?=[\\s/>])"
        if rows is None:
            return re.compile(tag + rb'(?! r="[A-Z]{1,3}[0-9]{1,7}")')
        letters = _at_most(column_letters(cols - 1), "A", "Z").encode()
        digits = _at_most(str(rows), "0", "9").encode()
        return re.compile(tag + b'(?! r="(?:' + letters + b")(?:" + digits + b')")')

    def is_odd(self, chunk: bytes, at: int) -> bool:
        """Whether the cell tag found at ``at`` is irregular (else it lies outside the extent)."""
        return self._strict.match(chunk, at) is None


def _at_most(text: str, low: str, high: str) -> str:
    """A regex for the strings over [low-high] that sort at or before ``text`` as numbers do.

    Shorter strings always do; of the same length, those that are smaller at their first
    difference, and ``text`` itself.
    """
    size = len(text)
    options = [f"[{low}-{high}]{{1,{size - 1}}}"] if size > 1 else []
    for i, char in enumerate(text):
        if char > low:
            options.append(
                f"{text[:i]}[{low}-{chr(ord(char) - 1)}][{low}-{high}]{{{size - i - 1}}}"
            )
    options.append(text)
    return "|".join(options)


def _xml_chunks(
    stream: IO[bytes], first: bytes, cell_end: bytes, progress: Progress
) -> Iterator[bytes]:
    """The part in pieces of about 1 MB, each ending just after a cell."""
    tail, block = b"", first
    while True:
        data = tail + block
        if not block:
            yield data
            return
        cut = data.rfind(cell_end)
        cut = cut + len(cell_end) if cut >= 0 else data.rfind(b"<")
        if cut <= 0:
            cut = len(data)
        yield data[:cut]
        tail = data[cut:]
        progress.check()
        block = stream.read(CHUNK)


def scan_xlsx_sheet(
    stream: IO[bytes],
    max_rows: int,
    progress: Progress,
    trust_dimension: bool = True,
    cutter: PartCutter | None = None,
) -> SheetScan:
    """Measure the sheet from its XML: trust but verify <dimension>, else find the farthest cell.

    Verifying costs one regex search per megabyte that matches nothing in an honest file;
    measuring needs a match per cell, about three times slower. While a claim is verified,
    ``cutter`` gets each verified piece of the XML (module parts); it is abandoned otherwise.
    """
    first = stream.read(CHUNK)
    layout = _XlsxLayout(first)
    scan = SheetScan()
    suspect = layout.suspect()
    verifying = False
    claimed = layout.dimension.search(first) if trust_dimension else None
    if claimed:
        rows, cols = int(claimed.group(2)), column_index(claimed.group(1)) + 1
        if rows <= max_rows and rows * cols <= MAX_CELLS:
            suspect, verifying = layout.suspect(rows, cols), True
            scan.rows, scan.cols = rows, cols
    if cutter is not None:
        if verifying and scan.cols > 0:
            cutter.begin(layout.prefix, scan.rows, scan.cols)
        else:
            cutter.abandon()
    irregular = False
    max_row = max_col = -1
    for chunk in _xml_chunks(stream, first, layout.cell_end, progress):
        if not irregular and (found := suspect.search(chunk)):
            if cutter is not None:
                cutter.abandon()
            if verifying and not layout.is_odd(chunk, found.start()):  # outside the claim
                stream.seek(0)
                return scan_xlsx_sheet(stream, max_rows, progress, trust_dimension=False)
            irregular = True
        if cutter is not None:
            cutter.feed(chunk)
        if not irregular and not verifying and (refs := layout.value_refs.findall(chunk)):
            letters, digits = zip(*refs, strict=True)
            max_col = max(max_col, *map(column_index, set(letters)))
            max_row = max(max_row, max(map(int, set(digits))) - 1)
        if _MAY_HOLD_ERRORS(chunk):
            _collect_errors(chunk, scan.errors)
        if layout.formula in chunk:  # <f>..</f></c> or <f .../></c>: a result never saved
            scan.formulas_without_values += sum(map(chunk.count, layout.formula_ends)) - sum(
                map(chunk.count, layout.empty_ends)
            )
    if cutter is not None:
        cutter.finish()
    if irregular:
        stream.seek(0)
        max_row, max_col = _exact_extent(stream, progress)
    if irregular or not verifying:
        scan.rows, scan.cols = max_row + 1, max_col + 1
    return scan


def _collect_errors(chunk: bytes, errors: dict[tuple[int, int], str]) -> None:
    for match in _ERROR_CELL.finditer(chunk):
        ref = _R_ATTR.search(match.group(1))
        value = _ERROR_VALUE.search(match.group(2))
        if ref is None or value is None or not ref.group(1) or not ref.group(2):
            continue
        position = (int(ref.group(2)) - 1, column_index(ref.group(1)))
        errors[position] = html.unescape(value.group(1).decode("utf-8", "replace")).strip()


def _exact_extent(stream: IO[bytes], progress: Progress) -> tuple[int, int]:
    """Walk every row and cell tag as calamine does, for sheets whose cells omit r."""
    row = col = -1
    max_row = max_col = -1
    tail = b""
    while True:
        progress.check()
        block = stream.read(CHUNK)
        data = tail + block
        cut = data.rfind(b"<") if block else len(data)
        chunk, tail = data[:cut], data[cut:]
        for match in _TAG.finditer(chunk):
            kind, attrs = match.group(1), match.group(2)
            ref = _R_ATTR.search(attrs)
            if kind == b"row":
                row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
                col = -1
                continue
            if ref and ref.group(1):
                col = column_index(ref.group(1))
                cell_row = int(ref.group(2)) - 1 if ref.group(2) else row
            else:
                col, cell_row = col + 1, row
            if not attrs.endswith(b"/"):
                max_row, max_col = max(max_row, cell_row), max(max_col, col)
        if not block:
            return max_row, max_col
