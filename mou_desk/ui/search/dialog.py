"""Global search (Ctrl+F): every kind of record, in any script; Enter opens the record."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mou_desk.services.desk import Desk
from mou_desk.services.search import SearchHit, search
from mou_desk.ui.trash.model import kind_label

_Index = QModelIndex | QPersistentModelIndex
SEARCH_DELAY_MS = 150


class SearchResultsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit_at(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Kind"), self.tr("Record"), self.tr("Found in"))
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (kind_label(hit.kind), hit.label, hit.snippet)[index.column()]
        return None


class SearchDialog(QDialog):
    """Type to search; arrows move through the results; Enter opens one."""

    record_activated = Signal(str, str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setWindowTitle(self.tr("Search everything"))
        self._desk = desk
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            self.tr("MoUs, partners, contacts, officers, trips, meetings — any script")
        )
        self.query.setClearButtonEnabled(True)
        self.model = SearchResultsModel(self)
        self.results = QTableView()
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().setVisible(False)
        self.results.setWordWrap(False)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 300)
        header.setStretchLastSection(True)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.query.textChanged.connect(self._on_query_text_changed)
        self.query.installEventFilter(self)
        self.results.activated.connect(self._on_results_activated)
        self.resize(820, 480)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(Qt.Key(key))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self.run_search()
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: Qt.Key) -> None:
        count = self.model.rowCount()
        if not count:
            return
        row = self.results.currentIndex().row()
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10,
                Qt.Key.Key_PageUp: -10}[key]  # fmt: skip
        self.results.selectRow(max(0, min(count - 1, row + step)))

    @Slot(str)
    def _on_query_text_changed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def run_search(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        hits = search(self._desk.db, text) if text else []
        self.model.set_hits(hits)
        if hits:
            self.results.selectRow(0)
        if not text:
            self.status.setText("")
        elif hits:
            self.status.setText(
                self.tr("{0} found — Enter opens the selected one").format(len(hits))
            )
        else:
            self.status.setText(self.tr("Nothing found for “{0}”").format(text))

    def open_current(self) -> None:
        hit = self.model.hit_at(self.results.currentIndex().row())
        if hit is not None:
            self.record_activated.emit(hit.kind, hit.record_id)
            self.accept()

    @Slot(QModelIndex)
    def _on_results_activated(self, index: QModelIndex) -> None:
        self.results.selectRow(index.row())
        self.open_current()
