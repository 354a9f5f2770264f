"""Field widgets shared by the record editors: choice boxes and a picker for lists of linked
records (partners present, MoUs concerned...). Dates use ui.widgets.date_edit.DateEdit.

Every widget offers ``value()`` / ``set_value()`` and a ``changed`` signal, so the editor base
can read, compare and validate fields without knowing their kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

Option = tuple[str, str]  # (id or value, label shown)


class ChoiceBox(QComboBox):
    """A fixed list of (value, label); ``value()`` is the value, "" for the blank choice."""

    changed = Signal()

    def __init__(self, options: Sequence[Option], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_options(options)
        self.currentIndexChanged.connect(self.changed)

    def set_options(self, options: Sequence[Option]) -> None:
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        for value, label in options:
            self.addItem(label, value)
        if current is not None:
            self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def value(self) -> Any:
        data = self.currentData()
        return data if data != "" else None

    def set_value(self, value: Any) -> None:
        key = "" if value is None else (getattr(value, "value", value))
        found = self.findData(key)
        if found < 0 and key != "":
            self.addItem(str(key), key)  # a value no longer offered is kept, not lost
            found = self.count() - 1
        self.setCurrentIndex(max(0, found))


class LinkPicker(QWidget):
    """A list of linked records: the chosen ones above, a search and its results below.

    ``search(text)`` returns options to offer (the picker calls it as the clerk types, so a
    search over 100,000 MoUs stays a bounded SQL query); ``describe(ids)`` gives labels for ids
    already linked. With ``single`` the picker holds at most one record.
    """

    changed = Signal()

    def __init__(
        self,
        search: Callable[[str], list[Option]],
        describe: Callable[[list[str]], dict[str, str]],
        *,
        single: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._describe = describe
        self._single = single
        self.chosen = QListWidget(self)
        self.chosen.setMaximumHeight(70 if single else 110)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Type to find, then double-click or press Add"))
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setMaximumHeight(110)
        self.add_button = QPushButton(self.tr("Add"), self)
        chosen_row = QHBoxLayout()
        chosen_row.addWidget(self.chosen, 1)
        chosen_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(chosen_row)
        layout.addLayout(search_row)
        layout.addWidget(self.results)
        self.query.textChanged.connect(self._on_query_text_changed)
        self.query.returnPressed.connect(self._on_add_button_clicked)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.results.itemDoubleClicked.connect(self._on_results_item_double_clicked)
        self._fill_results("")

    def value(self) -> Any:
        ids = [
            self.chosen.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.chosen.count())
        ]
        if self._single:
            return ids[0] if ids else None
        return ids

    def set_value(self, value: Any) -> None:
        ids = [value] if isinstance(value, str) else list(value or [])
        labels = self._describe(ids) if ids else {}
        self.chosen.clear()
        for record_id in ids:
            self._add_chosen(record_id, labels.get(record_id, record_id))
        self.changed.emit()

    def labels_for(self, ids: list[str]) -> dict[str, str]:
        """Labels of records by id (for showing a conflicting value)."""
        return self._describe(ids) if ids else {}

    def add(self, record_id: str, label: str) -> None:
        if self._single:
            self.chosen.clear()
        elif record_id in self._ids():
            return
        self._add_chosen(record_id, label)
        self.changed.emit()

    def _ids(self) -> list[str]:
        return [
            self.chosen.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.chosen.count())
        ]

    def _add_chosen(self, record_id: str, label: str) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        self.chosen.addItem(item)

    def _fill_results(self, text: str) -> None:
        self.results.clear()
        for record_id, label in self._search(text):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    @Slot(str)
    def _on_query_text_changed(self, text: str) -> None:
        self._fill_results(text)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.add(item.data(Qt.ItemDataRole.UserRole), item.text())

    @Slot(QListWidgetItem)
    def _on_results_item_double_clicked(self, item: QListWidgetItem) -> None:
        self.add(item.data(Qt.ItemDataRole.UserRole), item.text())

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        for item in self.chosen.selectedItems() or ([self.chosen.item(0)] if self._single else []):
            if item is not None:
                self.chosen.takeItem(self.chosen.row(item))
        self.changed.emit()


def filter_options(options: Sequence[Option], text: str, limit: int = 200) -> list[Option]:
    """Options whose label contains every word of ``text`` (any case, any script)."""
    words = text.casefold().split()
    found = [o for o in options if all(w in o[1].casefold() for w in words)]
    return found[:limit]
