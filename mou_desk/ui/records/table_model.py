"""A small table model over a list of rows (RecordData or compact tuples), described by columns.

Fine for lists of hundreds or a few thousand rows (partners, contacts, trips, follow-ups); the
100,000-MoU grid has its own model. Sorting and the filter box go through a
QSortFilterProxyModel (``make_proxy``), which is quick at this size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from mou_desk.domain.dates import format_date

ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
TYPE_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its heading, how to read a row's value, and optional colour and tooltip."""

    title: str
    value: Callable[[Any], Any]
    color: Callable[[Any], QColor | None] | None = None
    tooltip: Callable[[Any], str] | None = None
    align_right: bool = False


def display_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    if hasattr(value, "label") and not isinstance(value, str):
        return str(value.label)
    return str(value)


def sort_key(value: Any) -> Any:
    """Dates and numbers sort as themselves, text without regard to case; blanks go last."""
    if value is None or value == "":
        return "\uffff"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return f"{int(value):020d}" if value >= 0 else str(value)
    return display_text(value).casefold()


class RowTableModel(QAbstractTableModel):
    """Rows in a list, columns from ``Column`` descriptions; ``record_type`` names the rows."""

    def __init__(
        self,
        columns: Sequence[Column],
        record_type: str | Callable[[Any], str] = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._record_type = record_type

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: str) -> int:
        for number, item in enumerate(self._rows):
            if item.id == record_id:
                return number
        return -1

    def record_type_of(self, item: Any) -> str:
        if callable(self._record_type):
            return self._record_type(item)
        return self._record_type or str(getattr(item, "record_type", ""))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column.value(item))
        if role == SORT_ROLE:
            return sort_key(column.value(item))
        if role == ID_ROLE:
            return str(item.id)
        if role == TYPE_ROLE:
            return self.record_type_of(item)
        if role == ROW_ROLE:
            return item
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            color = column.color(item)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section].title
            return None
        return section + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def make_proxy(model: RowTableModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    """A proxy that filters on every column, ignoring case, and sorts by each column's key."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortRole(SORT_ROLE)
    return proxy
