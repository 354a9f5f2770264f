"""Cell values and addresses: calamine's values made plain, trimmed grids, column letters."""

from __future__ import annotations

import datetime as dt
from typing import Final

_CR_ESCAPE: Final = "_x000D_"


def text_value(value: str) -> str | None:
    if not value or value.isspace():
        return None
    if "\r" in value or _CR_ESCAPE in value:
        value = value.replace(_CR_ESCAPE, "\r").replace("\r\n", "\n").replace("\r", "\n")
    return value


def cell_value(value: object) -> object:
    if isinstance(value, str):  # the common case, kept free of a further call
        if not value or value.isspace():
            return None
        if "\r" in value or _CR_ESCAPE in value:
            return text_value(value)
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date()
    return value


def trimmed(grid: list[list[object]]) -> list[tuple[object, ...]]:
    """Drop trailing empty rows and columns; pad every row to the same width."""
    last = len(grid) - 1
    while last >= 0 and all(value is None for value in grid[last]):
        last -= 1
    rows = grid[: last + 1]
    width = 0
    for row in rows:
        for j in range(len(row) - 1, width - 1, -1):
            if row[j] is not None:
                width = j + 1
                break
    padding: tuple[object, ...] = ()
    result: list[tuple[object, ...]] = []
    for row in rows:
        if len(row) >= width:
            result.append(tuple(row[:width]))
        else:
            padding = (None,) * (width - len(row))
            result.append((*row, *padding))
    return result


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: bytes) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + char - 64
    return index - 1
