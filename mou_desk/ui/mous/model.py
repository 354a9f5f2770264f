"""The MoUs table model: compact rows held in memory, filtered and sorted without a proxy.

All live MoUs are held as ``MouRow`` tuples (about 100 bytes of Python objects each plus
their strings), kept sorted by the current column; a filter is one pass over them
(services.mou_grid). A search keystroke that only narrows the matches (typing on) looks at the
rows that matched before; a few thousand matches are put in order by their place in the sorted
rows instead of a pass over all of them. Cells are formatted only when the view paints them,
and ``data`` answers the roles it has nothing for at once: painting a screenful asks it
thousands of times.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date
from itertools import compress, count, repeat
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from mou_desk.domain.dates import format_date
from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage
from mou_desk.services.mou_grid import (
    COLUMNS,
    RowFilter,
    filter_rows,
    row_is_overdue,
    row_is_stale,
    sort_rows,
    stale_cutoffs,
)
from mou_desk.ui.mous.look import NUMERIC, OVERDUE_RGB, STALE_RGB, cell_text, column_title

if TYPE_CHECKING:
    from mou_desk.services.listing import MouRow

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

STALE_BACKGROUND = QColor(*STALE_RGB)
OVERDUE_FOREGROUND = QColor(*OVERDUE_RGB)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Roles as plain ints: data() compares them thousands of times per paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ID = int(ID_ROLE)
_ROW = int(ROW_ROLE)
_ANSWERED = frozenset({_DISPLAY, _ALIGNMENT, _BACKGROUND, _FOREGROUND, _FONT, _TOOLTIP, _ID, _ROW})
_DUE = COLUMNS.index("next_action_due")
_ROW_ID = operator.attrgetter("id")
#: below this share of all rows, search matches are ordered by rank instead of a full pass
_FEW_MATCHES = 8
_Index = QModelIndex | QPersistentModelIndex
#: per column, the loaded rows in ascending and in descending order
Orders = dict[str, tuple[list["MouRow"], list["MouRow"]]]


def first_true(flags: Iterable[bool]) -> int:
    """The position of the first true flag, or -1; the loop runs in C (100,000 rows)."""
    return next(compress(count(), flags), -1)


def place_of(row: MouRow, rows: list[MouRow]) -> int:
    """Where ``row`` itself is in ``rows`` (-1 if not there), by identity: ``list.index``
    would compare it field by field with every row before it."""
    return first_true(map(operator.is_, rows, repeat(row)))


class MouTableModel(QAbstractTableModel):
    """Live MoUs as rows; ``sort`` re-sorts the held rows, filters re-select from them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._loaded: list[MouRow] = []  # every loaded row, in reference order
        self._base: list[MouRow] = []  # the same rows sorted by the current column
        self._orders: Orders = {}  # worked out on a worker after a load
        self._ranks: dict[str, int] | None = None  # id -> place in _base
        self._ids: frozenset[str] | set[str] | None = None  # the search's matches
        self._matched: list[MouRow] | None = None  # those of _base, in its order
        self._rows: list[MouRow] = []  # what passes the filters and the search
        self._filter = RowFilter()
        self._sort_column = "ref"
        self._descending = False
        self._today = date.today()
        self._thresholds = dict(DEFAULT_STALE_DAYS)
        self._cutoffs = stale_cutoffs(self._today, self._thresholds)
        self._stale_brush = QBrush(STALE_BACKGROUND)
        self._overdue_brush = QBrush(OVERDUE_FOREGROUND)
        self._overdue_font = QFont()
        self._overdue_font.setBold(True)

    # -- data in -------------------------------------------------------------------------------

    def set_rows(self, rows: list[MouRow], today: date | None = None) -> None:
        """Take a fresh load of every live MoU (as list_mous returns them, in ref order)."""
        if today is not None:
            self._today = today
            self._cutoffs = stale_cutoffs(today, self._thresholds)
        self._loaded = rows
        self._orders = {}
        self._set_base(self._sorted(self._loaded))
        self._refilter()

    def set_filter(self, flt: RowFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self._refilter()

    def set_search_ids(self, ids: frozenset[str] | set[str] | None) -> None:
        """Keep only these MoUs (the search's matches); None shows all."""
        before, matched = self._ids, self._matched
        self._ids = ids
        if ids is None:
            self._matched = None
        elif before is not None and matched is not None and ids <= before:
            if len(ids) == len(before):  # the same matches: the table stays as it is
                return
            # Typing on narrows the matches: only the rows that matched before can match now.
            self._matched = [r for r in matched if r.id in ids]
        else:
            self._matched = self._rows_among(ids)
        self._refilter()

    def set_thresholds(self, thresholds: dict[Stage, int]) -> None:
        self._thresholds = dict(thresholds)
        self._cutoffs = stale_cutoffs(self._today, self._thresholds)
        self._refilter()

    def filter(self) -> RowFilter:
        return self._filter

    def loaded_count(self) -> int:
        return len(self._base)

    def set_orders(self, rows: list[MouRow], orders: Orders) -> None:
        """Sort orders worked out on a worker for ``rows`` (ignored if other rows are held)."""
        if rows is self._loaded:
            self._orders = orders

    def loaded_rows(self) -> list[MouRow]:
        return self._loaded

    def _sorted(self, rows: list[MouRow]) -> list[MouRow]:
        if self._sort_column == "ref" and not self._descending:
            return rows
        order = self._orders.get(self._sort_column)
        if order is not None and rows is self._loaded:
            return order[1] if self._descending else order[0]
        return sort_rows(rows, self._sort_column, descending=self._descending)

    def _set_base(self, base: list[MouRow], *, rank_matches: bool = True) -> None:
        self._base = base
        self._ranks = None
        if self._ids is not None:
            self._matched = self._rows_among(self._ids, rank=rank_matches)

    def _rows_among(self, ids: frozenset[str] | set[str], *, rank: bool = True) -> list[MouRow]:
        """The rows of ``_base`` whose id is in ``ids``, in ``_base``'s order."""
        if not rank or len(ids) * _FEW_MATCHES > len(self._base):
            return [r for r in self._base if r.id in ids]
        if self._ranks is None:  # built once per order, then every search uses it
            self._ranks = {r.id: n for n, r in enumerate(self._base)}
        ranks, base = self._ranks, self._base
        return [base[n] for n in sorted(ranks[i] for i in ids if i in ranks)]

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._select()
        self.endResetModel()

    def _select(self) -> list[MouRow]:
        rows = self._base if self._matched is None else self._matched
        if self._filter.is_empty():
            return rows
        return filter_rows(rows, self._filter, today=self._today, thresholds=self._thresholds)

    # -- Qt model ------------------------------------------------------------------------------
    # flags() is QAbstractTableModel's: enabled and selectable, as the table needs.

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == _DISPLAY:
            return column_title(COLUMNS[section])
        if role == _ALIGNMENT and COLUMNS[section] in NUMERIC:
            return _RIGHT
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED:
            return None
        number = index.row()  # -1 for an invalid index
        if not 0 <= number < len(self._rows):
            return None
        row = self._rows[number]
        if role == _DISPLAY:
            return cell_text(row, COLUMNS[index.column()], self._today)
        if role == _BACKGROUND:
            return self._stale_brush if row_is_stale(row, self._cutoffs) else None
        if role == _ALIGNMENT:
            return _RIGHT if COLUMNS[index.column()] in NUMERIC else None
        if role in (_FOREGROUND, _FONT):
            if index.column() != _DUE or not row_is_overdue(row, self._today):
                return None
            return self._overdue_brush if role == _FOREGROUND else self._overdue_font
        if role == _ID:
            return row.id
        if role == _ROW:
            return row
        return self._tooltip(row)

    def cell(self, number: int, column: int) -> tuple[str, bool, bool, bool] | None:
        """What the table paints in a cell, in one call (ui.mous.table.MouCellDelegate): its
        text, right-aligned, the row's stale background, the overdue mark; None off the rows.
        The same as ``data`` answers role by role."""
        if not 0 <= number < len(self._rows):
            return None
        row = self._rows[number]
        return (
            cell_text(row, COLUMNS[column], self._today),
            COLUMNS[column] in NUMERIC,
            row_is_stale(row, self._cutoffs),
            column == _DUE and row_is_overdue(row, self._today),
        )

    def _tooltip(self, row: MouRow) -> str | None:
        notes = []
        if row_is_overdue(row, self._today):
            notes.append(
                self.tr("Next action overdue since {0}").format(format_date(row.next_action_due))
            )
        if row_is_stale(row, self._cutoffs):
            notes.append(
                self.tr("Stale: no activity since {0}").format(format_date(row.last_activity_on))
            )
        return "\n".join(notes) or None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (COLUMNS[column], descending) == (self._sort_column, self._descending):
            return  # the header asks again when its indicator is set
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [self._rows[i.row()] if i.isValid() else None for i in persistent]
        self._sort_column = COLUMNS[column]
        self._descending = descending
        # Matches are re-selected with one pass: ranking them would need the new order's map.
        self._set_base(self._sorted(self._loaded), rank_matches=False)
        self._rows = self._select()
        if persistent:
            # Few indexes (the current one, the selection): look each row up, not all rows.
            unique = {id(r): r for r in kept if r is not None}
            position: dict[int, int] = {}
            if len(unique) > 20:  # a large selection: one pass over every row
                position = {id(r): n for n, r in enumerate(self._rows) if id(r) in unique}
            for key, row in unique.items():
                if key not in position:
                    position[key] = place_of(row, self._rows)
            moved = [
                self.index(position[id(r)], old.column())
                if r is not None and position.get(id(r), -1) >= 0 else QModelIndex()
                for r, old in zip(kept, persistent, strict=True)
            ]  # fmt: skip
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def sort_state(self) -> tuple[str, bool]:
        return self._sort_column, self._descending

    # -- lookups -------------------------------------------------------------------------------

    def row_at(self, row: int) -> MouRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, mou_id: str) -> int:
        return first_true(map(operator.eq, map(_ROW_ID, self._rows), repeat(mou_id)))
