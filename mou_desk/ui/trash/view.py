"""The Trash: records of every kind that were deleted, and restoring them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mou_desk.services.desk import Desk
from mou_desk.ui.tasks import TaskContext, TaskRunner
from mou_desk.ui.trash.model import TrashModel, TrashRow

KINDS = ("mou", "partner", "contact", "officer", "trip", "engagement", "followup", "attachment")


class TrashView(QWidget):
    record_activated = Signal(str, str)
    #: records were restored: (record_type, record_id) pairs
    records_restored = Signal(list)

    def __init__(self, desk: Desk, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashView")
        self._desk = desk
        self._tasks = tasks
        self.model = TrashModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 110)
        self.table.setColumnWidth(1, 420)
        self.table.setColumnWidth(2, 140)
        self.table.setAlternatingRowColors(True)
        self.intro = QLabel(self.tr("Deleted records stay here until restored."))
        self.restore_button = QPushButton(self.tr("Restore"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.intro, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self.restore_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        desk = self._desk

        def work(ctx: TaskContext) -> list[TrashRow]:
            rows = []
            for kind in KINDS:
                ctx.raise_if_cancelled()
                for record in desk.service(kind).all(deleted=True):
                    rows.append(
                        TrashRow(
                            kind, record.id, record.label, record.updated_at, record.updated_by
                        )
                    )
            return rows

        self._tasks.run(work, self._on_loaded, label=self.tr("Reading the Trash"), quiet=True)

    def _on_loaded(self, rows: list[TrashRow]) -> None:
        self.model.set_rows(rows)
        count = len(rows)
        self.intro.setText(
            self.tr("The Trash is empty.") if not count
            else self.tr("{0} deleted record(s). Select and press Restore to bring them back.")
            .format(count)
        )  # fmt: skip

    def selected_rows(self) -> list[TrashRow]:
        numbers = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r for r in (self.model.row_at(n) for n in numbers) if r is not None]

    @Slot()
    def _on_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.table.selectionModel().hasSelection())

    @Slot()
    def restore_selected(self) -> None:
        chosen = [(r.kind, r.id) for r in self.selected_rows()]
        if not chosen:
            return
        desk = self._desk

        def work(ctx: TaskContext) -> list[tuple[str, str]]:
            for number, (kind, record_id) in enumerate(chosen):
                desk.service(kind).restore(record_id)
                ctx.on_progress(number + 1, len(chosen))
            return chosen

        self._tasks.run(work, self._on_restored, label=self.tr("Restoring"))

    def _on_restored(self, restored: list[tuple[str, str]]) -> None:
        self.records_restored.emit([list(pair) for pair in restored])
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_rows():
            self.restore_selected()
            return
        super().keyPressEvent(event)
