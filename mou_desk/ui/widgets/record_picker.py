"""Choosing records (a partner, an officer) by typing part of a name, in any script.

``RecordPicker`` picks one (or none); ``RecordListPicker`` keeps a list (the other partners of an
MoU). Both are given ``(id, label)`` pairs; ``choices_for`` reads them from a service.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mou_desk.services.common import RecordService
from mou_desk.ui.widgets.date_edit import mark_invalid

Choice = tuple[str, str]


def choices_for(service: RecordService) -> list[Choice]:
    """Live records of a kind as (id, label), sorted by label."""
    records = service.all()
    return sorted(((r.id, r.label) for r in records), key=lambda c: c[1].casefold())


class RecordPicker(QComboBox):
    """An editable combo box with completion; ``record_id()`` is None when nothing is chosen."""

    record_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, none_text: str = "") -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._none_text = none_text or self.tr("(none)")
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None  # setEditable(True) above creates the line edit
        line.setPlaceholderText(self.tr("Type to find…"))
        self.set_choices([])
        self.currentIndexChanged.connect(self._on_self_current_index_changed)
        line.editingFinished.connect(self._on_line_editing_finished)

    def set_choices(self, choices: list[Choice]) -> None:
        current = self.record_id() if self.count() else None
        self.blockSignals(True)
        self.clear()
        self.addItem(self._none_text, None)
        for record_id, label in choices:
            self.addItem(label, record_id)
        self.blockSignals(False)
        self.set_record_id(current)

    def record_id(self) -> str | None:
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchExactly)
        if index < 0:
            return None
        value = self.itemData(index)
        return str(value) if value else None

    def set_record_id(self, record_id: str | None) -> None:
        index = self.findData(record_id) if record_id else 0
        self.blockSignals(True)
        self.setCurrentIndex(max(0, index))
        self.blockSignals(False)
        self._check()

    def problem(self) -> str:
        text = self.currentText().strip()
        if text and text != self._none_text and self.findText(text) < 0:
            return self.tr("“{0}” is not in the list; choose one of the suggestions.").format(text)
        return ""

    def _check(self) -> None:
        mark_invalid(self, self.problem())

    @Slot(int)
    def _on_self_current_index_changed(self, _index: int) -> None:
        self._check()
        self.record_changed.emit()

    @Slot()
    def _on_line_editing_finished(self) -> None:
        self._check()
        self.record_changed.emit()


class RecordListPicker(QWidget):
    """A list of chosen records with a picker to add one and a button to remove one."""

    records_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: dict[str, str] = {}
        self.chosen = QListWidget()
        self.chosen.setMaximumHeight(64)
        self.picker = RecordPicker(none_text=" ")
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chosen)
        layout.addLayout(row)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.chosen.itemSelectionChanged.connect(self._on_chosen_item_selection_changed)
        self._on_chosen_item_selection_changed()

    def set_choices(self, choices: list[Choice]) -> None:
        self._labels = dict(choices)
        self.picker.set_choices(choices)

    def record_ids(self) -> list[str]:
        return [
            str(self.chosen.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.chosen.count())
        ]

    def set_record_ids(self, ids: list[str]) -> None:
        self.chosen.clear()
        for record_id in ids:
            self._append(record_id)

    def add_record(self, record_id: str) -> None:
        if record_id not in self.record_ids():
            self._append(record_id)
            self.records_changed.emit()

    def _append(self, record_id: str) -> None:
        item = QListWidgetItem(self._labels.get(record_id, record_id))
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        self.chosen.addItem(item)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        record_id = self.picker.record_id()
        if record_id:
            self.add_record(record_id)
            self.picker.set_record_id(None)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))
        self.records_changed.emit()

    @Slot()
    def _on_chosen_item_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.chosen.selectedItems()))
