"""The kept conflicts as a table: record, field, mine, theirs, original, the decision taken."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from mou_desk.services.sync import ConflictView

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD, FIELD, MINE, THEIRS, ORIGINAL, DECISION = range(6)
CHOSEN = QColor("#dff0d8")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictsModel", text)


def decision_text(decision: str | None) -> str:
    if decision == "mine":
        return _tr("Keep mine (next sync)")
    if decision == "theirs":
        return _tr("Keep theirs (next sync)")
    return _tr("Not decided")


class ConflictsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ConflictView] = []

    def set_rows(self, rows: list[ConflictView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ConflictView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            _tr("Record"),
            _tr("Field"),
            _tr("Mine (this laptop)"),
            _tr("Theirs (shared database)"),
            _tr("Original (before both)"),
            _tr("Decision"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                row.label,
                row.title,
                row.mine,
                row.theirs,
                row.original,
                decision_text(row.decision),
            )
            return values[column] if 0 <= column < len(values) else None
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.BackgroundRole:
            chosen = {MINE: "mine", THEIRS: "theirs"}.get(column)
            if chosen is not None and row.decision == chosen:
                return QBrush(CHOSEN)
        return None
