"""The Row check: a digest of an exported row's cells, telling an importer the row is untouched.

The export writes, in a hidden last column, a 48-bit digest (a whole number Excel keeps
exactly) of the cells it writes as the workbook reader's engine, python-calamine, gives them
back: text as written, every number as a float, dates as dates, "" for a blank cell. An
importer computes the same digest of a row's cells as calamine gives them, before turning
them into values: when it matches (and the record is still at the row's version), the row was
not touched in Excel. marshal's format 2 writes such cells by value alone, and quickly (dates,
which it does not write, go in as their day numbers).

A cell the export would write differently from what it passes in here only makes its row's
digest differ: that row is then read in full, which is always safe.

Workbooks exported before carry the first digest, :func:`row_fingerprint` (over the cells as
the reader turns them, by repr); an importer still accepts it for rows the new one does not.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any, Literal

from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_layout import CELL_LIMIT, Column, SheetLayout

_MONEY = frozenset({wl.DECIMAL, wl.INR, wl.CRORE})
_NUMBERS = frozenset({wl.INT, wl.VERSION}) | _MONEY


def compared_columns(layout: SheetLayout) -> list[Column]:
    """The columns a Row check covers, in layout order: every one but the check itself."""
    return [c for c in layout.columns if c.kind != wl.CHECK]


class RowDigest:
    """The Row check of a row's cells in calamine's form, the columns found at ``positions``
    (in ``compared_columns`` order; by default where the layout puts them).

    What is digested is (the cells that are not dates, the dates as day numbers): two picks
    and one short list per row, the least an importer can do for each of 100,000 rows.
    """

    def __init__(self, layout: SheetLayout, positions: Sequence[int] | None = None) -> None:
        columns = compared_columns(layout)
        where = list(positions) if positions is not None else list(range(len(columns)))
        self._others = _picker([where[i] for i, c in enumerate(columns) if c.kind != wl.DATE])
        self._dates = _picker([where[i] for i, c in enumerate(columns) if c.kind == wl.DATE])
        self._days = _DayNumbers({"": ""})

    def __call__(self, row: Sequence[Any]) -> int | None:
        """The digest, or None for a cell of a kind it does not cover (a time of day)."""
        days = [v.toordinal() if v.__class__ is date else v for v in self._dates(row)]
        try:
            data = marshal.dumps((self._others(row), days), 2)
        except ValueError:
            return None
        return int.from_bytes(hashlib.blake2b(data, digest_size=6).digest(), "big")

    def many(self, rows: Sequence[Sequence[Any]]) -> list[int | None]:
        """The digest of each row, as a call with the row gives it; worked out for all the rows
        at once, in C loops (an importer checks 100,000 rows this way)."""
        day = self._days.__getitem__
        days = map(list, map(map, repeat(day), map(self._dates, rows)))
        try:
            pairs = zip(map(self._others, rows), days, strict=True)
            data = list(map(marshal.dumps, pairs, repeat(2)))
        except ValueError:  # a cell it does not cover: row by row, that row's digest None
            return list(map(self, rows))
        digests = map(_DIGEST, map(_blake2b_48, data))
        return list(map(int.from_bytes, digests, repeat(_BIG)))


class _DayNumbers(dict[Any, Any]):
    """A date cell's day number, remembered; any other cell (a blank's "") as it is."""

    def __missing__(self, value: Any) -> Any:
        if value.__class__ is date:
            self[value] = day = value.toordinal()
            return day
        return value


_blake2b_48 = partial(hashlib.blake2b, digest_size=6)
_DIGEST = methodcaller("digest")
_BIG: Literal["big"] = "big"


def _picker(positions: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    if len(positions) > 1:
        return itemgetter(*positions)
    if positions:
        at = positions[0]
        return lambda row: (row[at],)
    return lambda row: ()


def with_fingerprints(
    layout: SheetLayout, rows: Iterable[Sequence[Any]]
) -> Iterator[Sequence[Any]]:
    """The rows with their Row check cell (the last column) filled in, and numbers in the form
    they are written and read back: a whole number as int, else a float, or text for more
    digits than a float holds. Rows of a layout without a check column come as they are.

    The cells as the export writes them (exchange.workbook_rows, which works the Row check out
    as it writes; it also cuts a text to Excel's limit in UTF-16 units), for a raw write of the
    same cells to compare with."""
    columns = layout.columns
    if not columns or columns[-1].kind != wl.CHECK:
        yield from rows
        return
    check = len(columns) - 1
    money = [i for i, c in enumerate(columns) if c.kind in _MONEY]
    numbers = [i for i, c in enumerate(columns) if c.kind in _NUMBERS]
    dates = [i for i, c in enumerate(columns) if c.kind == wl.DATE]
    texts = [i for i, c in enumerate(columns[:check]) if c.kind not in _NUMBERS | {wl.DATE}]
    digest = RowDigest(layout)
    for values in rows:
        row = list(values)
        for at in money:
            value = row[at]
            if value is not None:
                number = written_number(value)
                row[at] = int(number) if type(number) is float and number.is_integer() else number
        # the cells as calamine gives them back: "" for a blank, numbers as floats, dates
        cells: list[object] = ["" if v is None else v for v in row[:check]]
        for at in numbers:
            value = cells[at]
            if value.__class__ is int or value.__class__ is Decimal:
                cells[at] = float(value)
        for at in dates:
            value = cells[at]
            if isinstance(value, datetime):
                cells[at] = value.date()
        for at in texts:
            value = cells[at]
            if value != "":
                cells[at] = (value if type(value) is str else str(value))[:CELL_LIMIT]
        row[check] = digest(cells)
        yield row


def row_fingerprint(cells: tuple[object, ...]) -> int:
    """The first Row check: a digest of a row's cells as the reader turns them (str, int, float,
    date or None, by repr). Still accepted on import for workbooks exported with it."""
    digest = hashlib.blake2b(repr(cells).encode(), digest_size=6).digest()
    return int.from_bytes(digest, "big")


def _exact_float(value: Decimal) -> float | None:
    """The float Excel will hold, or None when it would change the amount (over 15 digits)."""
    if len(value.as_tuple().digits) <= 15:  # every such decimal survives a double exactly
        return float(value)
    number = float(value)
    return number if Decimal(repr(number)) == value else None


def written_number(value: Any) -> float | str:
    """A number as the workbook holds it: a float, or text when a float would lose digits."""
    if isinstance(value, float):
        return value
    exact = value if isinstance(value, Decimal) else Decimal(value)
    number = _exact_float(exact)
    return format(exact, "f") if number is None else number
