"""Find the header row of a sheet whose table sits below titles, notes or a logo.

Workbooks from finance and from partners often start with a title ("MoU status, July 2025"),
a date line or a blank row before the real column headers. A row is taken as the header
when it has many distinct short text cells, names the columns the importer expects, and is
followed by rows that fill the same columns. Merged titles filled across a row by the
reader count once, because only distinct texts count.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

__all__ = ["find_header_row", "normalise_header"]

_SPACES: Final = re.compile(r"\s+")
_LONGEST_HEADER: Final = 80  # a cell longer than this is a note or a title, not a header
_EXPECTED_WEIGHT: Final = 4.0
_DATA_ROWS_LOOKED_AT: Final = 3


def normalise_header(text: object) -> str:
    """Casefolded header text with punctuation dropped and spaces collapsed.

    "Proposed Investment (₹ crore)*", "proposed  investment ₹ crore" and
    "PROPOSED_INVESTMENT: ₹ CRORE" all give "proposed investment ₹ crore". Full-width forms
    typed on Japanese keyboards are folded to ordinary ones; letters of every script (and
    the combining vowel signs of Hindi) are kept.
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _SPACES.sub(" ", "".join(map(_keep, folded))).strip()


def _keep(char: str) -> str:
    category = unicodedata.category(char)
    if category[0] == "P" or category == "Cc":  # punctuation, newlines and tabs
        return " "
    if category[0] == "C":  # zero-width joiners and other invisible marks
        return ""
    return char


def find_header_row(
    rows: Sequence[tuple[object, ...]],
    expected: Iterable[str] = (),
    scan: int = 30,
) -> int:
    """Index in ``rows`` of the most likely header row among the first ``scan`` rows.

    Returns 0 when no row holds any text (an empty sheet, or one of numbers only).
    """
    wanted = {normalise_header(name) for name in expected} - {""}
    best_index, best_score = 0, 0.0
    limit = min(len(rows), max(scan, 0))
    for index in range(limit):
        labels = _labels(rows[index])
        if not labels:
            continue
        score = float(len(labels))
        if wanted:
            score += _EXPECTED_WEIGHT * len(labels & wanted)
        score += _data_support(rows, index)
        score -= _non_text_cells(rows[index])
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def _labels(row: tuple[object, ...]) -> set[str]:
    """The distinct header-like texts of a row."""
    labels: set[str] = set()
    for value in row:
        if isinstance(value, str) and len(value) <= _LONGEST_HEADER:
            label = normalise_header(value)
            if label and not _is_number_text(label):
                labels.add(label)
    return labels


def _is_number_text(text: str) -> bool:
    return text.replace(" ", "").replace(",", "").replace(".", "").isdigit()


def _non_text_cells(row: tuple[object, ...]) -> int:
    """Numbers, dates and booleans: a header row has none of them."""
    return sum(
        1
        for value in row
        if isinstance(value, int | float | bool | dt.date | dt.time | dt.timedelta)
    )


def _filled_columns(row: tuple[object, ...]) -> set[int]:
    return {
        column
        for column, value in enumerate(row)
        if value is not None and not (isinstance(value, str) and not value.strip())
    }


def _data_support(rows: Sequence[tuple[object, ...]], index: int) -> float:
    """How well the next non-empty rows fill the columns this row names (0 to 2)."""
    header_columns = {
        column
        for column, value in enumerate(rows[index])
        if isinstance(value, str) and normalise_header(value)
    }
    if not header_columns:
        return 0.0
    support = 0.0
    seen = 0
    for row in rows[index + 1 :]:
        filled = _filled_columns(row)
        if not filled:
            continue
        covered = len(filled & header_columns) / len(header_columns)
        outside = len(filled - header_columns) / len(filled)
        support += max(covered - outside, 0.0)
        if any(isinstance(value, int | float | dt.date) for value in row):
            support += 0.5  # typed values below text: the shape of a table
        seen += 1
        if seen == _DATA_ROWS_LOOKED_AT:
            break
    return 2.0 * support / (1.5 * _DATA_ROWS_LOOKED_AT)
