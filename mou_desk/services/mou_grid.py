"""Filtering and sorting the compact MoU rows held by the desktop table, in plain Python.

The table loads every live MoU once (services.listing.list_mous) and then filters and sorts the
held rows here: a click on a filter costs one pass over at most 100,000 tuples, no query, and
every column's order is worked out once after a load. The rules match the SQL ones in
listing.py (overdue: an active MoU whose next action is past due; stale: an active MoU with no
activity for longer than its stage's threshold).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage, Status

if TYPE_CHECKING:  # the rows' type only: importing listing would load SQLAlchemy at start-up
    from mou_desk.services.listing import MouRow

_ACTIVE = Status.ACTIVE.value
_STAGE_ORDER = {stage.value: stage.order for stage in Stage}
_STATUS_ORDER = {status.value: index for index, status in enumerate(Status)}

#: the table's columns, in their default order
COLUMNS = (
    "ref", "title", "lead_partner", "sector", "district", "stage", "status", "days_in_stage",
    "crore", "nodal_officer", "next_action", "next_action_due",
)  # fmt: skip


class RowFilter(NamedTuple):
    """What the clerk chose in the filter bar; empty sets mean "any".

    A NamedTuple, not a dataclass: this module is on the way to the first frame (the preview's
    columns and marks), where a dataclass costs ~0.7 ms to create.
    """

    stages: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    officers: frozenset[str] = frozenset()  # nodal officers' names, as the rows hold them
    overdue: bool = False
    stale: bool = False

    def is_empty(self) -> bool:
        return self == RowFilter()


def stale_cutoffs(
    today: date, thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS
) -> dict[str, date]:
    """Per stage, the last-activity date before which an active MoU is stale."""
    return {stage.value: today - timedelta(days=days) for stage, days in thresholds.items()}


def row_is_stale(row: MouRow, cutoffs: Mapping[str, date]) -> bool:
    cutoff = cutoffs.get(row.stage)
    return row.status == _ACTIVE and cutoff is not None and row.last_activity_on < cutoff


def row_is_overdue(row: MouRow, today: date) -> bool:
    due = row.next_action_due
    return row.status == _ACTIVE and due is not None and due < today


def days_in_stage(row: MouRow, today: date) -> int:
    return max(0, (today - row.stage_since).days)


def filter_rows(
    rows: Iterable[MouRow],
    flt: RowFilter,
    *,
    today: date,
    thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS,
) -> list[MouRow]:
    """The rows that pass every chosen filter (the search is the table model's own).

    Order is kept, so rows sorted once stay sorted however the filters change.
    """
    result = list(rows)
    for values, index in (
        (flt.stages, 6), (flt.statuses, 7), (flt.sectors, 4), (flt.districts, 5),
        (flt.officers, 11),
    ):  # fmt: skip
        if values:
            result = [r for r in result if r[index] in values]
    if flt.overdue:
        result = [r for r in result if row_is_overdue(r, today)]
    if flt.stale:
        cutoffs = stale_cutoffs(today, thresholds)
        result = [r for r in result if row_is_stale(r, cutoffs)]
    return result


def _text(index: int) -> Callable[[MouRow], Any]:
    return lambda r: str(r[index]).casefold()


def _optional(index: int) -> Callable[[MouRow], Any]:
    # Rows without a value sort after those with one (before them when descending).
    return lambda r: (r[index] is None, r[index] or 0)


def sort_key(column: str) -> Callable[[MouRow], Any]:
    """The key that sorts rows by a table column (what the clerk sees, not the stored text)."""
    keys: dict[str, Callable[[MouRow], Any]] = {
        "ref": lambda r: r.ref,
        "title": _text(2),
        "lead_partner": _text(3),
        "sector": _text(4),
        "district": _text(5),
        "stage": lambda r: _STAGE_ORDER.get(r.stage, 99),
        "status": lambda r: _STATUS_ORDER.get(r.status, 99),
        # More days in stage = an earlier stage_since.
        "days_in_stage": lambda r: -r.stage_since.toordinal(),
        "crore": _optional(10),
        "nodal_officer": _text(11),
        "next_action": _text(12),
        "next_action_due": lambda r: (
            r.next_action_due is None,
            r.next_action_due.toordinal() if r.next_action_due else 0,
        ),
    }
    if column not in keys:
        raise KeyError(column)
    return keys[column]


def sorted_both_ways(rows: Sequence[MouRow], column: str) -> tuple[list[MouRow], list[MouRow]]:
    """``rows`` in ascending and in descending order of ``column``, as ``sort_rows`` gives them.

    Rows with equal values keep their order in both (the reference order when loaded so).
    Worked out for every column after a load, a click on a header then only swaps lists.
    """
    key = sort_key(column)
    keys = [key(r) for r in rows]
    positions = sorted(range(len(keys)), key=keys.__getitem__)
    ascending = [rows[i] for i in positions]
    descending: list[MouRow] = []
    end = len(positions)
    while end:  # the groups of equal values from the last, each in its own order
        start = end - 1
        value = keys[positions[start]]
        while start and keys[positions[start - 1]] == value:
            start -= 1
        descending.extend(ascending[start:end])
        end = start
    return ascending, descending


def sort_rows(rows: Iterable[MouRow], column: str, *, descending: bool = False) -> list[MouRow]:
    """Rows sorted by ``column``; ties keep their order (the reference order when loaded so)."""
    return sorted(rows, key=sort_key(column), reverse=descending)


def worth_searching(text: str) -> bool:
    """False while every word is one or two Latin letters: such text matches nearly every MoU
    and would only slow the table down; Japanese and Chinese words of one or two characters
    are real words and are searched.
    """
    words = text.split()
    return any(len(w) >= 3 or any(_is_cjk(ch) for ch in w) for w in words)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF66 <= code <= 0xFF9F
    )
