"""A sheet parsed in parts (module parts), read as the same sheet parsed whole would be."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from mou_desk.exchange.workbook_reader.engine import (
    ParsedSheet,
    _engine,
    _engine_rows,
    _is_engine_failure,
    open_engine,
)
from mou_desk.exchange.workbook_reader.parts import PartCutter


def _rows_of(sheet: Any) -> list[list[Any]]:
    """A part's rows from its first one holding a value, each from its first column."""
    rows: list[list[Any]] = sheet.to_python(skip_empty_area=True)
    return rows


class _PartFailed(Exception):
    """calamine could not parse a part: the sheet is parsed whole instead."""


_GONE: Future[Any] = Future()
_GONE.set_exception(RuntimeError("this part's rows were given already"))


@dataclass
class PartedSheet(ParsedSheet):
    """A verified .xlsx sheet whose parts are parsed on worker threads.

    Rows come part by part, each part waited for only when it is reached; the sheet's width
    and first column are known without waiting when the cutter saw values in the claim's last
    column and in column A (an export always has both), else once every part is parsed.
    """

    cutter: PartCutter | None = None
    _parts: list[Future[Any]] = field(default_factory=list, repr=False)
    _whole: Any = field(default=None, repr=False)
    _once: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        assert self.cutter is not None
        self._parts = list(self.cutter.parts)
        self.cutter.parts = []
        if self.cutter.merge_cells:
            self.merged = self._merged()

    # ------------------------------------------------------------------ parts

    def _part(self, index: int, *, empty: bool = False) -> Any:
        """Part ``index`` as calamine parsed it; None if it holds no value (unless ``empty``)."""
        try:
            sheet = self._parts[index].result()
        except BaseException as exc:
            if not _is_engine_failure(exc):
                raise
            raise _PartFailed from exc
        return sheet if empty or sheet.start is not None else None

    def _parsed(self) -> list[Any]:
        """Every part that holds a value, waited for; raises _PartFailed."""
        return [s for i in range(len(self._parts)) if (s := self._part(i)) is not None]

    def _whole_sheet(self) -> Any:
        if self._whole is None:
            with open_engine(self.source) as book:
                self._whole = _engine(self.source, lambda: book.get_sheet_by_name(self.name))
        return self._whole

    def _merged(self) -> list[Any]:
        try:
            found = self._part(len(self._parts) - 1, empty=True).merged_cell_ranges
        except _PartFailed:
            whole = self._whole_sheet()
            found = _engine(self.source, lambda: whole.merged_cell_ranges)
        return list(found or ())

    # ------------------------------------------------------------------ the sheet's shape

    def _first_column(self) -> int:
        cutter = self.cutter
        assert cutter is not None
        if cutter.first_column:
            return 0
        try:
            return min((int(s.start[1]) for s in self._parsed()), default=0)
        except _PartFailed:
            start = _engine(self.source, lambda: self._whole_sheet().start)
            return int(start[1]) if start else 0

    @property
    def streamable(self) -> bool:
        return (
            not self.merged
            and not (self.scan is not None and self.scan.errors)
            and self._first_column() == 0
        )

    @property
    def width(self) -> int:
        cutter = self.cutter
        assert cutter is not None
        if cutter.last_column:
            return cutter.cols
        try:
            return max((int(s.end[1]) + 1 for s in self._parsed()), default=0)
        except _PartFailed:
            whole = self._whole_sheet()
            start = _engine(self.source, lambda: whole.start)
            return int(start[1] if start else 0) + int(_engine(self.source, lambda: whole.width))

    @property
    def height(self) -> int:
        assert self.cutter is not None
        return self.cutter.rows

    # ------------------------------------------------------------------ rows

    def read_once(self) -> None:
        self._once = True

    def raw_rows(self) -> Iterator[list[Any]]:
        """calamine's rows from row 1 on, each from column A and as wide as the sheet."""
        yield from self._counted(self._rows(self.width))

    def materialize(self) -> Any:
        return self._grid(self._rows(self.width), 0)

    def _rows(self, width: int) -> Iterator[list[Any]]:
        expected = 0  # index of the next row to give
        for index in range(len(self._parts)):
            try:
                sheet = self._part(index)
            except _PartFailed:
                yield from self._rest_of_whole(expected, width)
                return
            if self._once:  # the part's rows are given once: held no longer than that
                self._parts[index] = _GONE
            if sheet is None:
                continue
            top, left = sheet.start
            rows: list[list[Any]] = _engine(self.source, partial(_rows_of, sheet))
            while expected < top:
                yield [""] * width
                expected += 1
            right = width - left - (len(rows[0]) if rows else 0)
            if left or right > 0:
                before, after = [""] * left, [""] * max(right, 0)
                rows = [[*before, *row, *after] for row in rows]
            expected += len(rows)
            yield from rows
            del rows

    def _rest_of_whole(self, expected: int, width: int) -> Iterator[list[Any]]:
        whole = self._whole_sheet()
        start = _engine(self.source, lambda: whole.start)
        left = start[1] if start else 0
        for at, row in enumerate(_engine_rows(self.source, whole)):
            if at >= expected:
                padded: Sequence[Any] = [*([""] * left), *row] if left else row
                if len(padded) < width:
                    padded = [*padded, *([""] * (width - len(padded)))]
                yield list(padded)
