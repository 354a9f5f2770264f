"""A date field shown DD-MM-YYYY, checked as the clerk types, with a calendar popup.

Text is read by domain.dates.parse_date (which never guesses between day and month); a date
field may be left empty unless it is marked required. QDateEdit cannot be empty, hence this.
"""

from __future__ import annotations

import datetime
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from mou_desk.domain.dates import format_date, parse_date
from mou_desk.domain.errors import ValidationError

INVALID_STYLE = "border: 1px solid #b00020; background: #fff3f3;"


def mark_invalid(widget: QWidget, problem: str, hint: str = "") -> None:
    """Red border and the problem as tooltip; clears both when ``problem`` is empty."""
    widget.setStyleSheet(INVALID_STYLE if problem else "")
    widget.setToolTip(problem or hint)
    widget.setProperty("invalid", bool(problem))


class DateEdit(QWidget):
    """``date()`` is the date typed (None when empty or not readable); ``problem()`` says why."""

    date_edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, required: bool = False) -> None:
        super().__init__(parent)
        self._required = required
        self._date: date | None = None
        self._problem = ""
        self.line = QLineEdit()
        self.line.setPlaceholderText(self.tr("DD-MM-YYYY"))
        self.line.setClearButtonEnabled(True)
        self.line.setMaxLength(40)
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("00-00-00000") + 36)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▾")
        self.calendar_button.setToolTip(self.tr("Choose a date on the calendar"))
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        menu = QMenu(self.calendar_button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._on_menu_about_to_show)
        self._menu = menu
        self.calendar_button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.calendar_button)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._on_line_text_edited)
        self.line.editingFinished.connect(self._on_line_editing_finished)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        self._validate()

    def date(self) -> date | None:
        return self._date

    def set_date(self, value: datetime.date | None) -> None:
        self.line.setText(format_date(value))
        self._validate()

    def text(self) -> str:
        return self.line.text()

    def set_text(self, text: str) -> None:
        """As if typed: validates and emits ``date_edited``."""
        self.line.setText(text)
        self._on_line_text_edited(text)

    def problem(self) -> str:
        return self._problem

    def is_valid(self) -> bool:
        return not self._problem

    def set_required(self, required: bool) -> None:
        self._required = required
        self._validate()

    def _validate(self) -> None:
        text = self.line.text()
        try:
            self._date = parse_date(text)
            self._problem = ""
        except ValidationError as exc:
            self._date = None
            self._problem = next(iter(exc.problems.values()))
        if self._date is None and not self._problem and self._required:
            self._problem = self.tr("Enter a date, e.g. 05-07-2025.")
        mark_invalid(self.line, self._problem if text or self._required else "")

    @Slot(str)
    def _on_line_text_edited(self, _text: str) -> None:
        self._validate()
        self.date_edited.emit()

    @Slot()
    def _on_line_editing_finished(self) -> None:
        if self._date is not None and self.line.text() != format_date(self._date):
            self.line.setText(format_date(self._date))  # show what was understood

    @Slot()
    def _on_menu_about_to_show(self) -> None:
        shown = self._date or date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))

    @Slot(QDate)
    def _on_calendar_clicked(self, chosen: QDate) -> None:
        self.set_date(datetime.date(chosen.year(), chosen.month(), chosen.day()))
        self._menu.close()
        self.date_edited.emit()
