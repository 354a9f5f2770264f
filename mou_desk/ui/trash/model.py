"""Deleted records of every kind, newest deletion first."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from mou_desk.domain.dates import format_date

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


class TrashRow(NamedTuple):
    kind: str
    id: str
    label: str
    deleted_at: datetime | None
    deleted_by: str


def kind_label(kind: str) -> str:
    labels = {
        "mou": QCoreApplication.translate("kinds", "MoU"),
        "partner": QCoreApplication.translate("kinds", "Partner"),
        "contact": QCoreApplication.translate("kinds", "Contact"),
        "officer": QCoreApplication.translate("kinds", "Officer"),
        "trip": QCoreApplication.translate("kinds", "Trip"),
        "engagement": QCoreApplication.translate("kinds", "Meeting"),
        "followup": QCoreApplication.translate("kinds", "Follow-up"),
        "attachment": QCoreApplication.translate("kinds", "Attachment"),
    }
    return labels.get(kind, kind)


class TrashModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TrashRow] = []

    def set_rows(self, rows: list[TrashRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: r.deleted_at or datetime.min, reverse=True)
        self.endResetModel()

    def row_at(self, row: int) -> TrashRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Kind"), self.tr("Record"), self.tr("Deleted on"), self.tr("By"))
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role == KIND_ROLE:
            return row.kind
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return kind_label(row.kind)
        if column == 1:
            return row.label
        if column == 2:
            if row.deleted_at is None:
                return ""
            local = row.deleted_at.astimezone() if row.deleted_at.tzinfo else row.deleted_at
            return f"{format_date(local.date())} {local:%H:%M}"
        return row.deleted_by
