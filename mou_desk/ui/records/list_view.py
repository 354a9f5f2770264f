"""A screen listing one kind of record: a filter box, New / Edit / Delete, and a detail area.

Partners, contacts, officers, trips and follow-ups are read whole (off the GUI thread when a
task runner is given); the model sorts and filters them itself (table_model). Opening a row
(double-click or Enter) emits ``record_activated``; the main window opens the record, as it
does from the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.errors import DeskError
from mou_desk.services.common import RecordData
from mou_desk.services.desk import Desk
from mou_desk.services.record_lists import list_records
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.records.table_model import ID_ROLE, ROW_ROLE, Column, RowTableModel


def make_table(parent: QWidget | None = None) -> QTableView:
    """A read-only, sortable table with whole-row selection, as every list here uses."""
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    header.setResizeContentsPrecision(200)  # size columns from the first rows, not all
    return table


def fit_columns(table: QTableView, max_width: int = 360) -> None:
    """Size columns to their contents (Qt looks at the first rows only), within a limit."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    last = header.count() - 1 if header.stretchLastSection() else header.count()
    for column in range(last):
        if header.sectionSize(column) > max_width:
            header.resizeSection(column, max_width)


class RecordListView(QWidget):
    """Base of the directory screens; subclasses give columns, rows, an editor and a detail."""

    record_activated = Signal(str, str)
    record_type = ""

    def __init__(self, desk: Desk, tasks: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.tasks = tasks
        self._generation = 0
        self.model = RowTableModel(self.columns(), self.record_type, self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter (any column, any script)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(220)
        self.count_label = QLabel(self)
        self.new_button = QPushButton(self.tr("New…"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setToolTip(self.tr("Move to the Trash (it can be restored from there)"))
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        delete_action = QAction(self.tr("Delete"), self.table)
        delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(delete_action)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        for button in self.action_buttons():
            bar.addWidget(button)
        self.splitter = QSplitter(self.detail_orientation(), self)
        self.splitter.addWidget(self.table)
        self.detail = self.make_detail()
        if self.detail is not None:
            self.splitter.addWidget(self.detail)
            table_share, detail_share = self.detail_stretch()
            self.splitter.setStretchFactor(0, table_share)
            self.splitter.setStretchFactor(1, detail_share)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        delete_action.triggered.connect(self._on_delete_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.refresh()

    # ---- to override -----------------------------------------------------------------------
    def columns(self) -> Sequence[Column]:
        raise NotImplementedError

    def loader(self) -> Callable[[], Any]:
        """A function that reads the rows; it runs off the GUI thread, so it captures what
        it needs from widgets here and touches no widget itself."""
        db, record_type = self.desk.db, self.record_type
        return lambda: list_records(db, record_type)

    def apply_rows(self, payload: Any) -> None:
        """Show what ``loader`` read (on the GUI thread)."""
        self.model.set_rows(payload)

    def make_editor(self, record: RecordData | None) -> RecordEditor:
        raise NotImplementedError

    def make_detail(self) -> QWidget | None:
        return None

    def show_detail(self, row: Any | None) -> None:
        """Fill the detail area for the selected row (None when nothing is selected)."""

    def detail_orientation(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def detail_stretch(self) -> tuple[int, int]:
        """How the splitter shares space between the list and the detail."""
        return 3, 2

    def action_buttons(self) -> list[QWidget]:
        return [self.new_button, self.edit_button, self.delete_button]

    def noun(self, count: int) -> str:
        return self.tr("1 record") if count == 1 else self.tr("{n} records").format(n=count)

    # ---- selection -------------------------------------------------------------------------
    def selected_rows(self) -> list[Any]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(ROW_ROLE) for index in rows]

    def selected_row(self) -> Any | None:
        rows = self.selected_rows()
        return rows[0] if rows else None

    def select_id(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    # ---- actions ---------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Read the records again, keeping the selection where it was."""
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        """Read the records (off the GUI thread with a task runner), then select ``select_id``
        or what was selected before."""
        self._generation += 1
        generation = self._generation
        current = self.selected_row()
        wanted = select_id or (current.id if current is not None else None)

        def done(payload: Any) -> None:
            if generation == self._generation:  # a later reload supersedes this one
                self._show_rows(payload, wanted)

        load = self.loader()
        if self.tasks is None:
            done(load())
            return
        self.count_label.setText(self.tr("Loading…"))
        self.tasks.run(lambda _ctx: load(), done, label=self.tr("Loading"), quiet=True)

    def _show_rows(self, payload: Any, select_id: str | None) -> None:
        self.apply_rows(payload)
        fit_columns(self.table)
        self._update_count()
        if select_id is not None and self.select_id(select_id):
            return
        self.show_detail(None)
        self._update_buttons()

    def open_editor(self, record: RecordData | None, **initial: Any) -> RecordData | None:
        """Show the editor; after a save, reload and select the saved record."""
        editor = self.make_editor(record)
        for name, value in initial.items():
            editor.set_value(name, value)
        accepted = editor.exec() == QDialog.DialogCode.Accepted
        editor.deleteLater()
        if not accepted or editor.saved_record is None:
            return None
        self.reload(select_id=editor.saved_record.id)
        return editor.saved_record

    @Slot()
    def new_record(self) -> RecordData | None:
        return self.open_editor(None)

    @Slot()
    def edit_selected(self) -> RecordData | None:
        row = self.selected_row()
        if row is None:
            return None
        try:
            record = self.desk.service(self.record_type).get(row.id)
        except DeskError as exc:
            QMessageBox.warning(self, self.tr("Cannot open"), str(exc))
            self.refresh()
            return None
        return self.open_editor(record)

    @Slot()
    def delete_selected(self) -> bool:
        """Move the selected records to the Trash after the clerk confirms."""
        rows = self.selected_rows()
        if not rows:
            return False
        names = ", ".join(self.label_of(r) for r in rows[:5]) + ("…" if len(rows) > 5 else "")
        if not self.confirm_delete(names):
            return False
        service = self.desk.service(self.record_type)
        try:
            for row in rows:
                service.delete(row.id)
        except DeskError as exc:
            QMessageBox.warning(self, self.tr("Not deleted"), str(exc))
        self.refresh()
        return True

    def confirm_delete(self, names: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Move to Trash?"),
            self.tr("Move {names} to the Trash? You can restore it from the Trash.").format(
                names=names
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def label_of(self, row: Any) -> str:
        return str(getattr(row, "label", None) or getattr(row, "title", "") or row.id)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        text = (
            self.noun(total)
            if shown == total
            else self.tr("{shown} of {total}").format(shown=shown, total=self.noun(total))
        )
        self.count_label.setText(text)

    def _update_buttons(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    @Slot(str)
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.model.set_filter_text(text)
        self._update_count()

    @Slot()
    def _on_new_button_clicked(self) -> None:
        self.new_record()

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        self.edit_selected()

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        self.record_activated.emit(self.record_type, index.data(ID_ROLE))

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, *_: object) -> None:
        self._update_buttons()
        self.show_detail(self.selected_row())
