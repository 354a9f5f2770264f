"""The MoUs table model: compact rows held in memory, filtered and sorted without a proxy.

All live MoUs are held as ``MouRow`` tuples (about 100 bytes of Python objects each plus
their strings), kept sorted by the current column; a filter or a search keystroke is one pass
over them (services.mou_grid). Cells are formatted only when the view paints them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from mou_desk.domain.dates import format_date
from mou_desk.domain.money import crore, format_grouped_indian, paise_to_rupees
from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage, Status
from mou_desk.services.mou_grid import (
    COLUMNS,
    RowFilter,
    days_in_stage,
    filter_rows,
    row_is_overdue,
    row_is_stale,
    sort_rows,
    stale_cutoffs,
)

if TYPE_CHECKING:
    from mou_desk.services.listing import MouRow

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_NUMERIC = frozenset({"days_in_stage", "crore"})
_STALE_BACKGROUND = QColor(255, 243, 205)
_OVERDUE_FOREGROUND = QColor(176, 0, 32)
_Index = QModelIndex | QPersistentModelIndex
#: per column, row positions in ascending and descending order
Orders = dict[str, tuple[list[int], list[int]]]


def column_title(column: str) -> str:
    titles = {
        "ref": QCoreApplication.translate("MouColumns", "Ref"),
        "title": QCoreApplication.translate("MouColumns", "Title"),
        "lead_partner": QCoreApplication.translate("MouColumns", "Lead partner"),
        "sector": QCoreApplication.translate("MouColumns", "Sector"),
        "district": QCoreApplication.translate("MouColumns", "District"),
        "stage": QCoreApplication.translate("MouColumns", "Stage"),
        "status": QCoreApplication.translate("MouColumns", "Status"),
        "days_in_stage": QCoreApplication.translate("MouColumns", "Days in stage"),
        "crore": QCoreApplication.translate("MouColumns", "₹ crore"),
        "nodal_officer": QCoreApplication.translate("MouColumns", "Nodal officer"),
        "next_action": QCoreApplication.translate("MouColumns", "Next action"),
        "next_action_due": QCoreApplication.translate("MouColumns", "Due"),
    }
    return titles[column]


class MouTableModel(QAbstractTableModel):
    """Live MoUs as rows; ``sort`` re-sorts the held rows, filters re-select from them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._loaded: list[MouRow] = []  # every loaded row, in reference order
        self._base: list[MouRow] = []  # the same rows sorted by the current column
        self._orders: Orders = {}  # worked out on a worker after a load
        self._rows: list[MouRow] = []  # what passes the filters and the search
        self._filter = RowFilter()
        self._ids: set[str] | None = None
        self._sort_column = "ref"
        self._descending = False
        self._today = date.today()
        self._thresholds = dict(DEFAULT_STALE_DAYS)
        self._cutoffs = stale_cutoffs(self._today, self._thresholds)
        self._stage_labels = {s.value: s.label for s in Stage}
        self._status_labels = {s.value: s.label for s in Status}

    # -- data in -------------------------------------------------------------------------------

    def set_rows(self, rows: list[MouRow], today: date | None = None) -> None:
        """Take a fresh load of every live MoU (as list_mous returns them, in ref order)."""
        if today is not None:
            self._today = today
            self._cutoffs = stale_cutoffs(today, self._thresholds)
        self._loaded = rows
        self._orders = {}
        self._base = self._sorted(self._loaded)
        self._refilter()

    def set_filter(self, flt: RowFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self._refilter()

    def set_search_ids(self, ids: set[str] | None) -> None:
        """Keep only these MoUs (the search's matches); None shows all."""
        self._ids = ids
        self._refilter()

    def set_thresholds(self, thresholds: dict[Stage, int]) -> None:
        self._thresholds = dict(thresholds)
        self._cutoffs = stale_cutoffs(self._today, self._thresholds)
        self._refilter()

    def filter(self) -> RowFilter:
        return self._filter

    def loaded_count(self) -> int:
        return len(self._base)

    def set_orders(
        self, rows: list[MouRow], orders: dict[str, tuple[list[int], list[int]]]
    ) -> None:
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
            positions = order[1] if self._descending else order[0]
            return [rows[i] for i in positions]
        return sort_rows(rows, self._sort_column, descending=self._descending)

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._select()
        self.endResetModel()

    def _select(self) -> list[MouRow]:
        if self._filter.is_empty() and self._ids is None:
            return self._base
        return filter_rows(
            self._base, self._filter, today=self._today, thresholds=self._thresholds, ids=self._ids
        )

    # -- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and row_is_stale(row, self._cutoffs):
            return QBrush(_STALE_BACKGROUND)
        if column == "next_action_due" and row_is_overdue(row, self._today):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(_OVERDUE_FOREGROUND)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    def _display(self, row: MouRow, column: str) -> str:
        if column == "stage":
            return self._stage_labels.get(row.stage, row.stage)
        if column == "status":
            return self._status_labels.get(row.status, row.status)
        if column == "days_in_stage":
            return str(days_in_stage(row, self._today))
        if column == "crore":
            if row.proposed_paise is None:
                return ""
            return format_grouped_indian(crore(paise_to_rupees(row.proposed_paise)), 2)
        if column == "next_action_due":
            return format_date(row.next_action_due)
        value = getattr(row, column)
        return "" if value is None else str(value)

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
        self._base = self._sorted(self._loaded)
        self._rows = self._select()
        if persistent:
            # Few indexes (the current one, the selection): look each row up, not all rows.
            unique = {id(r): r for r in kept if r is not None}
            position: dict[int, int] = {}
            if len(unique) > 20:  # a large selection: one pass over every row
                position = {id(r): n for n, r in enumerate(self._rows) if id(r) in unique}
            for key, row in unique.items():
                if key not in position:
                    try:
                        position[key] = self._rows.index(row)
                    except ValueError:
                        position[key] = -1
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
        for number, row in enumerate(self._rows):
            if row.id == mou_id:
                return number
        return -1
