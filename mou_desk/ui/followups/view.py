"""Follow-ups: one list of what is due, overdue (in red) and done; mark done; export to Outlook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import ConflictError, DeskError
from mou_desk.services.agenda import Due, FollowUpItem, calendar_events, list_followups
from mou_desk.services.common import RecordData
from mou_desk.services.ics import calendar_bytes
from mou_desk.ui.followups.editor import FollowUpEditor
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.records.list_view import RecordListView
from mou_desk.ui.records.table_model import Column

OVERDUE = QColor("#b00020")
TODAY = QColor("#a85a00")
DONE = QColor("#6b6b6b")

#: what the "Show" box offers: key -> which follow-ups it keeps
SHOW_CHOICES = ("open", "overdue", "done", "all")


class FollowUpsView(RecordListView):
    """Open follow-ups by default, soonest first; overdue ones marked red and labelled."""

    record_type = "followup"

    def __init__(self, desk: Any, tasks: Any = None, parent: QWidget | None = None) -> None:
        self.today = desk.db.today()
        self.show_box = QComboBox()
        self.done_button = QPushButton()
        self.reopen_button = QPushButton()
        self.export_button = QPushButton()
        super().__init__(desk, tasks, parent)
        labels = {
            "open": self.tr("Open: overdue, today and coming"),
            "overdue": self.tr("Overdue only"),
            "done": self.tr("Done"),
            "all": self.tr("All"),
        }
        for key in SHOW_CHOICES:
            self.show_box.addItem(labels[key], key)
        self.done_button.setText(self.tr("Mark done"))
        self.done_button.setToolTip(self.tr("Mark the selected follow-ups done today"))
        self.reopen_button.setText(self.tr("Reopen"))
        self.export_button.setText(self.tr("Export to calendar…"))
        self.export_button.setToolTip(
            self.tr("Save the selected follow-ups as an .ics file that Outlook imports")
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.show_box.currentIndexChanged.connect(self._on_show_box_current_index_changed)
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._update_buttons()

    def action_buttons(self) -> list[QWidget]:
        return [
            self.show_box,
            self.new_button,
            self.edit_button,
            self.done_button,
            self.reopen_button,
            self.delete_button,
            self.export_button,
        ]

    def columns(self) -> Sequence[Column]:
        return [
            Column(self.tr("Due"), lambda r: r.due_on, self._color),
            Column(self.tr("Status"), self.status_text, self._color),
            Column(self.tr("What to do"), lambda r: r.title, self._color, lambda r: r.notes),
            Column(self.tr("Concerns"), lambda r: r.concerns, self._color, lambda r: r.mou_title),
            Column(self.tr("Owner"), lambda r: r.owner, self._color),
        ]

    def noun(self, count: int) -> str:
        return self.tr("1 follow-up") if count == 1 else self.tr("{n} follow-ups").format(n=count)

    def status_text(self, item: FollowUpItem) -> str:
        due = item.due(self.today)
        if due is Due.DONE:
            return self.tr("Done on {date}").format(date=format_date(item.done_on))
        if due is Due.OVERDUE:
            days = (self.today - item.due_on).days
            if days == 1:
                return self.tr("Overdue by 1 day")
            return self.tr("Overdue by {n} days").format(n=days)
        if due is Due.TODAY:
            return self.tr("Due today")
        return self.tr("Due in {n} days").format(n=(item.due_on - self.today).days)

    def _color(self, item: FollowUpItem) -> QColor | None:
        return {Due.OVERDUE: OVERDUE, Due.TODAY: TODAY, Due.DONE: DONE}.get(item.due(self.today))

    def showing(self) -> str:
        return str(self.show_box.currentData() or "open")

    def set_showing(self, key: str) -> None:
        self.show_box.setCurrentIndex(max(0, self.show_box.findData(key)))

    def loader(self) -> Callable[[], Any]:
        db, show = self.desk.db, self.showing()

        def load() -> tuple[date, list[FollowUpItem]]:
            today = db.today()
            items = list_followups(db, include_done=show in ("done", "all"))
            if show == "overdue":
                items = [i for i in items if i.due(today) is Due.OVERDUE]
            elif show == "done":
                items = [i for i in items if i.done_on is not None]
            return today, items

        return load

    def apply_rows(self, payload: Any) -> None:
        self.today, items = payload
        self.model.set_rows(items)

    def make_editor(self, record: RecordData | None) -> RecordEditor:
        return FollowUpEditor(self.desk, record, self)

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if not hasattr(self, "export_button"):
            return
        rows = self.selected_rows()
        self.done_button.setEnabled(any(r.done_on is None for r in rows))
        self.reopen_button.setEnabled(any(r.done_on is not None for r in rows))
        self.export_button.setEnabled(bool(rows))

    # ---- actions ---------------------------------------------------------------------------
    @Slot()
    def mark_selected_done(self, on: date | None = None) -> int:
        """Mark every selected open follow-up done (today unless ``on`` is given)."""
        on = on or self.desk.db.today()
        done = 0
        for item in self.selected_rows():
            if item.done_on is not None:
                continue
            try:
                self.desk.followups.mark_done(item.id, on, item.version)
                done += 1
            except ConflictError as exc:
                QMessageBox.warning(self, self.tr("Changed by someone else"), str(exc))
            except DeskError as exc:
                QMessageBox.warning(self, self.tr("Not marked done"), str(exc))
                break
        self.refresh()
        return done

    @Slot()
    def reopen_selected(self) -> int:
        reopened = 0
        for item in self.selected_rows():
            if item.done_on is None:
                continue
            try:
                self.desk.followups.reopen(item.id, item.version)
                reopened += 1
            except DeskError as exc:
                QMessageBox.warning(self, self.tr("Not reopened"), str(exc))
                break
        self.refresh()
        return reopened

    def export_selected(self, path: Path | None = None) -> Path | None:
        """Write the selected follow-ups as an iCalendar file; asks where when no path is given."""
        items = self.selected_rows()
        if not items:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export follow-ups to a calendar"),
                str(Path.home() / "mou-desk-follow-ups.ics"),
                self.tr("Calendar files (*.ics)"),
            )
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() != ".ics":
                path = path.with_suffix(".ics")
        try:
            path.write_bytes(calendar_bytes(calendar_events(items)))
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Not exported"),
                self.tr("{path} could not be written: {reason}").format(
                    path=path, reason=exc.strerror or exc
                ),
            )
            return None
        return path

    @Slot(int)
    def _on_show_box_current_index_changed(self, _index: int) -> None:
        self.refresh()

    @Slot()
    def _on_done_button_clicked(self) -> None:
        self.mark_selected_done()

    @Slot()
    def _on_reopen_button_clicked(self) -> None:
        self.reopen_selected()

    @Slot()
    def _on_export_button_clicked(self) -> None:
        self.export_selected()
