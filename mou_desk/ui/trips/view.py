"""Trips and meetings: delegation trips, and the meetings of the selected trip (or all)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import DeskError
from mou_desk.services.common import RecordData
from mou_desk.services.record_lists import list_records
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.records.list_view import RecordListView
from mou_desk.ui.records.related import RelatedList
from mou_desk.ui.records.table_model import Column
from mou_desk.ui.trips.editor import TripEditor
from mou_desk.ui.trips.meeting_editor import MeetingEditor


def _value(name: str) -> Any:
    return lambda r: r.values.get(name)


class MeetingsPanel(QWidget):
    """Meetings with who was there; New / Edit / Delete act on this list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.list = RelatedList(
            [
                Column(self.tr("Date"), _value("held_on")),
                Column(self.tr("Meeting"), _value("title")),
                Column(self.tr("Kind"), lambda r: str(r.values.get("kind") or "").capitalize()),
                Column(self.tr("Place"), _value("place")),
                Column(self.tr("Partners"), lambda r: r.extra.get("partners", "")),
                Column(self.tr("Trip"), lambda r: r.extra.get("trip", "")),
            ],
            "engagement",
            self,
        )
        self.list.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.new_button = QPushButton(self.tr("New meeting…"), self)
        self.edit_button = QPushButton(self.tr("Edit meeting…"), self)
        self.delete_button = QPushButton(self.tr("Delete meeting"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.heading, 1)
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)

    def selected(self) -> RecordData | None:
        rows = self.list.table.selectionModel().selectedRows()
        return self.list.model.row_at(rows[0].row()) if rows else None


class TripsView(RecordListView):
    """Trips above, their meetings below; with no trip selected every meeting is listed."""

    record_type = "trip"
    _meetings: list[RecordData]

    def columns(self) -> Sequence[Column]:
        return [
            Column(self.tr("Trip"), _value("name")),
            Column(self.tr("Country"), _value("country")),
            Column(self.tr("From"), _value("start_on")),
            Column(self.tr("To"), _value("end_on")),
            Column(self.tr("Meetings"), lambda r: r.extra.get("meetings", 0), align_right=True),
        ]

    def noun(self, count: int) -> str:
        return self.tr("1 trip") if count == 1 else self.tr("{n} trips").format(n=count)

    def loader(self) -> Callable[[], Any]:
        db = self.desk.db

        def load() -> tuple[list[RecordData], list[RecordData]]:
            partners = {p.id: p.label for p in list_records(db, "partner")}
            trips = list_records(db, "trip")
            names = {t.id: t.label for t in trips}
            meetings = [
                replace(m, extra={
                    "partners": ", ".join(partners.get(i, "") for i in m.values["partner_ids"]),
                    "trip": names.get(str(m.values.get("trip_id")), ""),
                })
                for m in list_records(db, "engagement")
            ]  # fmt: skip
            counts = Counter(str(m.values.get("trip_id")) for m in meetings)
            return [replace(t, extra={"meetings": counts[t.id]}) for t in trips], meetings

        return load

    def apply_rows(self, payload: Any) -> None:
        trips, self._meetings = payload
        self.model.set_rows(trips)

    def make_editor(self, record: RecordData | None) -> RecordEditor:
        return TripEditor(self.desk, record, self)

    def detail_stretch(self) -> tuple[int, int]:
        return 1, 2  # a handful of trips, many meetings

    def detail_orientation(self) -> Qt.Orientation:
        return Qt.Orientation.Vertical

    def make_detail(self) -> QWidget:
        self._meetings = []
        self.meetings = MeetingsPanel(self)
        self.meetings.list.record_activated.connect(self.record_activated)
        self.meetings.new_button.clicked.connect(self._on_new_meeting_clicked)
        self.meetings.edit_button.clicked.connect(self._on_edit_meeting_clicked)
        self.meetings.delete_button.clicked.connect(self._on_delete_meeting_clicked)
        return self.meetings

    def show_detail(self, row: Any | None) -> None:
        if row is None:
            shown = self._meetings
            self.meetings.heading.setText(self.tr("All meetings ({n})").format(n=len(shown)))
        else:
            shown = [m for m in self._meetings if m.values.get("trip_id") == row.id]
            dates = " – ".join(
                format_date(d) for d in (row.values.get("start_on"), row.values.get("end_on")) if d
            )
            self.meetings.heading.setText(
                self.tr("Meetings of {trip} {dates} ({n})").format(
                    trip=row.label, dates=f"({dates})" if dates else "", n=len(shown)
                )
            )
        self.meetings.list.set_rows(shown)

    def new_meeting(self) -> RecordData | None:
        trip = self.selected_row()
        initial = {"trip_id": trip.id} if trip is not None else {}
        editor = MeetingEditor(self.desk, None, self, initial=initial)
        return self._run_meeting_editor(editor)

    def edit_meeting(self) -> RecordData | None:
        meeting = self.meetings.selected()
        if meeting is None:
            return None
        try:
            current = self.desk.engagements.get(meeting.id)
        except DeskError:
            self.refresh()
            return None
        return self._run_meeting_editor(MeetingEditor(self.desk, current, self))

    def _run_meeting_editor(self, editor: MeetingEditor) -> RecordData | None:
        if not editor.exec() or editor.saved_record is None:
            return None
        self.refresh()
        return editor.saved_record

    @Slot()
    def _on_new_meeting_clicked(self) -> None:
        self.new_meeting()

    @Slot()
    def _on_edit_meeting_clicked(self) -> None:
        self.edit_meeting()

    @Slot()
    def _on_delete_meeting_clicked(self) -> None:
        meeting = self.meetings.selected()
        if meeting is not None and self.confirm_delete(meeting.label):
            self.desk.engagements.delete(meeting.id)
            self.refresh()
