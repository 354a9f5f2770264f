"""The bar above the MoUs table: search as you type and the filters (stage, status, sector,
district, nodal officer, overdue, stale). It only says what was chosen; the view applies it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from mou_desk.domain.stages import Stage, Status
from mou_desk.services.mou_grid import RowFilter

SEARCH_DELAY_MS = 150


class ChoiceButton(QToolButton):
    """A button with a menu of checkable values; none checked means "any"."""

    choice_changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self._show_text()

    def set_values(self, values: list[tuple[str, str]]) -> None:
        """(value, label) pairs; keeps what was checked when still offered."""
        checked = self.checked_values()
        menu = self.menu()
        menu.clear()
        for value, label in values:
            # Not QAction(label, menu): choosing that overload creates QIcon's Python type
            # (a hundred-odd enum members, ~1.5 ms) before the first frame.
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setData(value)
            action.setChecked(value in checked)
            action.toggled.connect(self._on_action_toggled)
        self._show_text()

    def checked_values(self) -> frozenset[str]:
        return frozenset(str(a.data()) for a in self.menu().actions() if a.isChecked())

    def set_checked_values(self, values: frozenset[str]) -> None:
        for action in self.menu().actions():
            action.blockSignals(True)
            action.setChecked(str(action.data()) in values)
            action.blockSignals(False)
        self._show_text()

    def _show_text(self) -> None:
        labels = [a.text() for a in self.menu().actions() if a.isChecked()]
        if not labels:
            self.setText(self._title)
        elif len(labels) <= 2:
            self.setText(f"{self._title}: {', '.join(labels)}")
        else:
            self.setText(self.tr("{0}: {1} chosen").format(self._title, len(labels)))

    @Slot(bool)
    def _on_action_toggled(self, _checked: bool) -> None:
        self._show_text()
        self.choice_changed.emit()


class FilterBar(QWidget):
    """Emits ``filter_changed`` at once and ``search_changed`` after a pause in typing."""

    filter_changed = Signal(object)  # RowFilter
    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("mouSearch")
        self.search.setPlaceholderText(self.tr("Search MoUs: title, partner (any script), ref…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.stage = ChoiceButton(self.tr("Stage"))
        self.stage.set_values([(s.value, s.label) for s in Stage])
        self.status = ChoiceButton(self.tr("Status"))
        self.status.set_values([(s.value, s.label) for s in Status])
        self.sector = ChoiceButton(self.tr("Sector"))
        self.district = ChoiceButton(self.tr("District"))
        self.officer = ChoiceButton(self.tr("Officer"))
        self.overdue = QCheckBox(self.tr("Overdue"))
        self.overdue.setToolTip(self.tr("Active MoUs whose next action is past its due date"))
        self.stale = QCheckBox(self.tr("Stale"))
        self.stale.setToolTip(self.tr("Active MoUs with no activity for longer than allowed"))
        self.clear_button = QPushButton(self.tr("Clear filters"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 2)
        for widget in (self.stage, self.status, self.sector, self.district, self.officer):
            layout.addWidget(widget)
            widget.choice_changed.connect(self._on_choice_changed)
        layout.addWidget(self.overdue)
        layout.addWidget(self.stale)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.overdue.toggled.connect(self._on_choice_changed)
        self.stale.toggled.connect(self._on_choice_changed)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.search.textChanged.connect(self._on_search_text_changed)
        self._update_clear()

    def set_choices(self, sectors: list[str], districts: list[str], officers: list[str]) -> None:
        self.sector.set_values([(v, v) for v in sectors])
        self.district.set_values([(v, v) for v in districts])
        self.officer.set_values([(v, v) for v in officers])

    def current_filter(self) -> RowFilter:
        return RowFilter(
            stages=self.stage.checked_values(),
            statuses=self.status.checked_values(),
            sectors=self.sector.checked_values(),
            districts=self.district.checked_values(),
            officers=self.officer.checked_values(),
            overdue=self.overdue.isChecked(),
            stale=self.stale.isChecked(),
        )

    def search_text(self) -> str:
        return self.search.text()

    def flush_search(self) -> None:
        """Apply typed search text now instead of after the pause."""
        if self._timer.isActive():
            self._timer.stop()
            self._on_timer_timeout()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(not self.current_filter().is_empty())

    @Slot()
    def _on_choice_changed(self) -> None:
        self._update_clear()
        self.filter_changed.emit(self.current_filter())

    @Slot()
    def _on_clear_button_clicked(self) -> None:
        for button in (self.stage, self.status, self.sector, self.district, self.officer):
            button.set_checked_values(frozenset())
        for box in (self.overdue, self.stale):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self._on_choice_changed()

    @Slot(str)
    def _on_search_text_changed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.search_changed.emit(self.search.text())
