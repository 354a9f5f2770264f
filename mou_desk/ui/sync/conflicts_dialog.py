"""The conflicts syncs kept: for each, this laptop's value, the shared database's and the one
both started from; the clerk keeps mine or theirs, and the next sync carries it out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mou_desk.services.desk import Desk
from mou_desk.services.sync import ConflictView, list_conflicts, resolve
from mou_desk.ui.sync.conflicts_model import ConflictsModel
from mou_desk.ui.tasks import TaskContext, TaskRunner


class ConflictsDialog(QDialog):
    """Lists the kept conflicts; ``decided`` after the clerk chose for some of them."""

    decided = Signal(int)
    sync_requested = Signal()

    def __init__(self, desk: Desk, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.tasks = tasks
        self.setObjectName("syncConflicts")
        self.setWindowTitle(self.tr("Conflicts from syncing"))
        self.resize(1040, 460)
        intro = QLabel(
            self.tr(
                "These fields were changed both on this laptop and in the shared database since "
                "the last sync, or a record was deleted on one side and changed on the other. "
                "Nothing was overwritten. Choose which value to keep; the next sync carries "
                "your choice out on both sides."
            )
        )
        intro.setWordWrap(True)
        self.model = ConflictsModel(self)
        self.table = QTableView()
        self.table.setObjectName("conflictsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((230, 110, 170, 185, 165)):
            self.table.setColumnWidth(column, width)
        self.mine_label, self.theirs_label, self.original_label = QLabel(), QLabel(), QLabel()
        details = QFormLayout()
        for title, label in (
            (self.tr("Mine:"), self.mine_label),
            (self.tr("Theirs:"), self.theirs_label),
            (self.tr("Original:"), self.original_label),
        ):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            details.addRow(title, label)
        self.keep_mine = QPushButton(self.tr("Keep &mine"))
        self.keep_theirs = QPushButton(self.tr("Keep &theirs"))
        self.sync_now = QPushButton(self.tr("&Sync now"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.keep_mine, self.keep_theirs):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sync_now, QDialogButtonBox.ButtonRole.ApplyRole)
        self.empty = QLabel(self.tr("No conflicts wait for a decision."))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(details)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.keep_mine.clicked.connect(self._on_keep_mine_clicked)
        self.keep_theirs.clicked.connect(self._on_keep_theirs_clicked)
        self.sync_now.clicked.connect(self._on_sync_now_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self._update_buttons()
        self.reload()

    # -- loading and deciding ------------------------------------------------------------------

    def reload(self) -> None:
        db = self.desk.db

        def work(_ctx: TaskContext) -> list[ConflictView]:
            return list_conflicts(db)

        self.tasks.run(
            work, self._on_conflicts_loaded, label=self.tr("Reading conflicts…"), quiet=True
        )

    def _on_conflicts_loaded(self, rows: list[ConflictView]) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        first = next((i for i, r in enumerate(rows) if r.decision is None), 0 if rows else -1)
        if first >= 0:
            self.table.selectionModel().select(
                self.model.index(first, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._show_details()
        self._update_buttons()

    def selected(self) -> list[ConflictView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [c for r in rows if (c := self.model.row_at(r)) is not None]

    def decide(self, choice: str) -> None:
        chosen = self.selected()
        if not chosen:
            return
        db = self.desk.db
        ids = [c.id for c in chosen]

        def work(_ctx: TaskContext) -> int:
            for conflict_id in ids:
                resolve(db, conflict_id, choice)
            return len(ids)

        self.tasks.run(work, self._on_decided, label=self.tr("Saving your choice…"), quiet=True)

    def _on_decided(self, count: Any) -> None:
        self.decided.emit(int(count))
        self.reload()

    # -- slots ---------------------------------------------------------------------------------

    @Slot()
    def _on_keep_mine_clicked(self) -> None:
        self.decide("mine")

    @Slot()
    def _on_keep_theirs_clicked(self) -> None:
        self.decide("theirs")

    @Slot()
    def _on_sync_now_clicked(self) -> None:
        self.sync_requested.emit()
        self.accept()

    @Slot()
    def _on_table_selection_changed(self) -> None:
        self._show_details()
        self._update_buttons()

    def _show_details(self) -> None:
        chosen = self.selected()
        one = chosen[0] if len(chosen) == 1 else None
        self.mine_label.setText(one.mine if one else "")
        self.theirs_label.setText(one.theirs if one else "")
        self.original_label.setText(one.original if one else "")

    def _update_buttons(self) -> None:
        any_selected = bool(self.selected())
        self.keep_mine.setEnabled(any_selected)
        self.keep_theirs.setEnabled(any_selected)
