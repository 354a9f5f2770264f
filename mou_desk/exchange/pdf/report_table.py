"""A light table flowable for the reports: laid out once, drawn straight onto the canvas.

reportlab's ``Table`` handles spans, nested flowables and styles per cell, and pays for it:
about 35 µs a cell even with plain strings, and superlinear time when one ``LongTable``
holds thousands of rows. A report table needs none of that. :class:`GridTable` takes rows of
text, wraps each cell once (:func:`report_lines.wrap`, any script), and draws a page of rows
with one text object. Long tables are cut into chunks (:func:`chunked`) so each page split
only walks one chunk; the header row repeats on every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Flowable

from mou_desk.exchange.pdf.report_lines import LineWriter, draw_once, wrap

HEADER_FILL = HexColor("#E4E8EE")
RULE = HexColor("#B8C0CC")
OVERDUE_FILL = HexColor("#FBE3E1")
STALE_FILL = HexColor("#FDF1D6")
OVERDUE_INK = HexColor("#A8261B")
STALE_INK = HexColor("#8A5A00")
MUTED_INK = HexColor("#5A6270")

CHUNK_ROWS = 250


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "left"  # left, right or centre
    max_lines: int = 6


@dataclass(frozen=True)
class Row:
    """One row: a text per column ("\\n" starts a new line), with optional marks."""

    cells: Sequence[str]
    fill: Color | None = None
    bold: frozenset[int] = frozenset()
    ink: dict[int, Color] = field(default_factory=dict)
    #: columns whose text after the first "\n" is printed in grey (a name in its own script)
    muted_tail: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TableStyle:
    size: float = 7.5
    leading: float = 9.2
    pad_x: float = 3.0
    pad_y: float = 2.6
    header_size: float = 7.5


@dataclass(frozen=True)
class _Laid:
    height: float
    lines: tuple[tuple[str, ...], ...]
    row: Row
    #: per column, how many lines the text before the first "\n" took
    heads: tuple[int, ...] = ()


class Ticker:
    """Progress and cancellation while pages are drawn: ``tick(rows)`` after each part."""

    def __init__(
        self,
        total: int,
        on_progress: Callable[[int, int, str], None] | None = None,
        is_cancelled: Callable[[], bool] | None = None,
        text: str = "",
    ) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.on_progress = on_progress
        self.is_cancelled = is_cancelled
        self.text = text

    def check(self) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise ReportCancelled

    def tick(self, rows: int) -> None:
        self.check()
        self.done = min(self.total, self.done + rows)
        if self.on_progress is not None:
            self.on_progress(self.done, self.total, self.text)


class ReportCancelled(Exception):
    """The clerk cancelled the report; nothing was written."""


def _lay_out(columns: Sequence[Column], row: Row, style: TableStyle, bold_all: bool) -> _Laid:
    lines: list[tuple[str, ...]] = []
    heads: list[int] = []
    for index, (column, text) in enumerate(zip(columns, row.cells, strict=True)):
        limit = column.width - 2 * style.pad_x
        bold = bold_all or index in row.bold
        cell: list[str] = []
        for number, part in enumerate(str(text).split("\n")):
            cell.extend(wrap(part, limit, style.size, bold))
            if number == 0:
                heads.append(len(cell))
        if column.max_lines and len(cell) > column.max_lines:
            cell = cell[: column.max_lines - 1] + wrap(
                " ".join(cell[column.max_lines - 1 :]), limit, style.size, bold, max_lines=1
            )
        lines.append(tuple(cell))
    count = max((len(c) for c in lines), default=1) or 1
    return _Laid(count * style.leading + 2 * style.pad_y, tuple(lines), row, tuple(heads))


class GridTable(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Rows under a header that repeats after every page break."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[Row] | Sequence[_Laid],
        *,
        style: TableStyle | None = None,
        header: bool = True,
        frame_height: float = 0.0,
        ticker: Ticker | None = None,
        _laid_header: _Laid | None = None,
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.style = style or TableStyle()
        items = list(rows)
        if items and isinstance(items[0], Row):
            items = [_lay_out(self.columns, r, self.style, False) for r in items]  # type: ignore[arg-type]
        self.laid: list[_Laid] = items  # type: ignore[assignment]
        self.header = _laid_header or _lay_out(
            self.columns, Row([c.title for c in self.columns]), self.style, True
        )
        self.show_header = header
        self.frame_height = frame_height
        self.ticker = ticker
        self.width = sum(c.width for c in self.columns)
        self._heights = list(accumulate(r.height for r in self.laid))
        self._at_top = False

    def _header_height(self) -> float:
        return self.header.height if (self.show_header or self._at_top) else 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._at_top = bool(self.frame_height) and avail_height >= self.frame_height - 1
        body = self._heights[-1] if self._heights else 0.0
        self.height = self._header_height() + body
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[GridTable]:
        self.wrap(avail_width, avail_height)
        room = avail_height - self._header_height()
        fit = 0
        while fit < len(self._heights) and self._heights[fit] <= room:
            fit += 1
        if fit == 0:
            return []
        if fit == len(self.laid):
            return [self]
        first = self._copy(self.laid[:fit], self.show_header or self._at_top)
        rest = self._copy(self.laid[fit:], True)
        return [first, rest]

    def _copy(self, laid: list[_Laid], header: bool) -> GridTable:
        return GridTable(
            self.columns,
            laid,
            style=self.style,
            header=header,
            frame_height=self.frame_height,
            ticker=self.ticker,
            _laid_header=self.header,
        )

    def draw(self) -> None:
        if self.ticker is not None:
            self.ticker.check()
        canvas = self.canv
        canvas.saveState()
        xs = list(accumulate((c.width for c in self.columns), initial=0.0))
        top = self.height
        if self._header_height():
            top -= self.header.height
            self._draw_header(canvas, xs, top)
        self._draw_rows(canvas, [(laid, False) for laid in self.laid], xs, top)
        canvas.restoreState()
        if self.ticker is not None:
            self.ticker.tick(len(self.laid))

    def _draw_header(self, canvas: Any, xs: list[float], bottom: float) -> None:
        """The header row, the same on every page: drawn once per document as a form."""
        header = self.header
        key = repr(("grid-header", [(c.title, c.width, c.align) for c in self.columns],
                    self.style, header.lines))  # fmt: skip

        def draw(form: Any) -> None:
            self._draw_rows(form, [(header, True)], xs, header.height)

        canvas.saveState()
        canvas.translate(0, bottom)
        draw_once(canvas, key, (self.width, header.height), draw)
        canvas.restoreState()

    def _draw_rows(
        self, canvas: Any, rows: list[tuple[_Laid, bool]], xs: list[float], top: float
    ) -> None:
        """Fills first, then rules, then all the text in one text object."""
        y = top
        for laid, is_header in rows:
            fill = HEADER_FILL if is_header else laid.row.fill
            if fill is not None:
                canvas.setFillColor(fill)
                canvas.rect(0, y - laid.height, self.width, laid.height, stroke=0, fill=1)
            y -= laid.height
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        rules: list[tuple[float, float, float, float]] = [(0.0, top, self.width, top)]
        y = top
        for laid, _ in rows:
            y -= laid.height
            rules.append((0.0, y, self.width, y))
        rules += [(x, top, x, y) for x in xs]
        canvas.lines(rules)
        writer = LineWriter(canvas)
        style = self.style
        y = top
        for laid, is_header in rows:
            self._draw_row(writer, laid, is_header, xs, y, style)
            y -= laid.height
        writer.finish()

    def _draw_row(
        self,
        writer: LineWriter,
        laid: _Laid,
        is_header: bool,
        xs: list[float],
        top: float,
        style: TableStyle,
    ) -> None:
        row = laid.row
        muted = row.muted_tail
        for index, (column, lines) in enumerate(zip(self.columns, laid.lines, strict=True)):
            bold = is_header or index in row.bold
            head = laid.heads[index] if index in muted else len(lines)
            ink: Any = row.ink.get(index)
            if column.align == "right":
                x, anchor = xs[index + 1] - style.pad_x, "right"
            elif column.align == "centre":
                x, anchor = (xs[index] + xs[index + 1]) / 2, "centre"
            else:
                x, anchor = xs[index] + style.pad_x, "left"
            baseline = top - style.pad_y - style.size * 0.95
            for number, line in enumerate(lines):
                colour = MUTED_INK if number >= head else ink
                writer.line(x, baseline, line, style.size, bold, anchor, colour)
                baseline -= style.leading


def chunked(
    columns: Sequence[Column],
    rows: Sequence[Row],
    *,
    style: TableStyle | None = None,
    frame_height: float = 0.0,
    ticker: Ticker | None = None,
    size: int = CHUNK_ROWS,
) -> list[GridTable]:
    """Tables of at most ``size`` rows that read as one (the header shows once per page)."""
    return [
        GridTable(
            columns,
            rows[start : start + size],
            style=style,
            header=start == 0,
            frame_height=frame_height,
            ticker=ticker,
        )
        for start in range(0, len(rows), size)
    ]
