"""A table model over a list of rows (RecordData or compact tuples), described by columns.

The model sorts and filters its own rows in Python: a sort computes each row's key once, and
the filter box matches a lower-case text of each row built on first use. A
QSortFilterProxyModel would call ``data()`` through Python for every comparison instead,
which takes seconds for the 50,000 follow-ups or 25,000 partners of a large portfolio. The
100,000-MoU grid has its own model.
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
    """Rows in a list, columns from ``Column`` descriptions; ``record_type`` names the rows.

    ``set_rows`` replaces every row; ``set_filter_text`` shows only rows whose columns contain
    every word typed (any case, any script); ``sort`` (called by the view's header) keeps the
    order across reloads.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        record_type: str | Callable[[Any], str] = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._all: list[Any] = []
        self._rows: list[Any] = []
        self._texts: list[str] | None = None  # lower-case text of each row, built on demand
        self._words: list[str] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._record_type = record_type

    # ---- rows ------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._all = self._sorted(list(rows))
        self._texts = None
        self._rows = self._filtered()
        self.endResetModel()

    def rows(self) -> list[Any]:
        """The rows shown, in the order shown."""
        return list(self._rows)

    def total(self) -> int:
        """Every row, shown or filtered out."""
        return len(self._all)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: str) -> int:
        """The displayed row of a record, -1 when it is not shown."""
        return next((n for n, item in enumerate(self._rows) if item.id == record_id), -1)

    def record_type_of(self, item: Any) -> str:
        if callable(self._record_type):
            return self._record_type(item)
        return self._record_type or str(getattr(item, "record_type", ""))

    # ---- filter and sort -------------------------------------------------------------------
    def set_filter_text(self, text: str) -> None:
        words = text.casefold().split()
        if words == self._words:
            return
        self.beginResetModel()
        self._words = words
        self._rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[Any]:
        if not self._words:
            return list(self._all)
        if self._texts is None:
            self._texts = [
                " ".join(display_text(c.value(item)) for c in self._columns).casefold()
                for item in self._all
            ]
        words = self._words
        return [
            item for item, text in zip(self._all, self._texts, strict=True)
            if all(w in text for w in words)
        ]  # fmt: skip

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if not 0 <= self._sort_column < len(self._columns):
            return rows
        value = self._columns[self._sort_column].value
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=lambda item: sort_key(value(item)), reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self._rows
        self._all = self._sorted(self._all)
        self._texts = None
        self._rows = self._filtered()
        new_row = {id(item): n for n, item in enumerate(self._rows)}
        before = self.persistentIndexList()
        after = [self.index(new_row[id(old[i.row()])], i.column()) for i in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # ---- Qt model --------------------------------------------------------------------------
    # While a view is destroyed after this model's Python side is gone, Qt may still ask for
    # counts and headings: answer "nothing" rather than raise (getattr below).
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(getattr(self, "_rows", ()))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(getattr(self, "_columns", ()))

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
            columns = getattr(self, "_columns", ())
            return columns[section].title if 0 <= section < len(columns) else None
        return section + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
