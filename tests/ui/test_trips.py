"""Trips and meetings: a trip's meetings, the meeting editor with who was there, validation."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.tasks import SyncTaskRunner
from mou_desk.ui.trips.editor import TripEditor
from mou_desk.ui.trips.meeting_editor import MeetingEditor
from mou_desk.ui.trips.view import TripsView

TRIP = demo_id("trip:japan-2025")


@pytest.fixture
def trips(demo_desk: Desk, qtbot) -> TripsView:
    view = TripsView(demo_desk, SyncTaskRunner())
    qtbot.addWidget(view)
    return view


def meeting_titles(view: TripsView) -> set[str]:
    return {r["title"] for r in view.meetings.list.rows()}


def test_models_pass_qt_model_tester(trips: TripsView, qtmodeltester) -> None:
    qtmodeltester.check(trips.model)
    trips.select_id(TRIP)
    qtmodeltester.check(trips.meetings.list.model)


def test_a_trip_shows_its_meetings_and_no_trip_shows_them_all(trips: TripsView) -> None:
    assert trips.model.index(0, 4).data() == "5"
    assert trips.model.index(0, 2).data() == "27-07-2025"
    assert len(meeting_titles(trips)) == 7
    assert "All meetings (7)" in trips.meetings.heading.text()
    trips.select_id(TRIP)
    titles = meeting_titles(trips)
    assert len(titles) == 5 and "Meeting with Tanaka Electric" in titles
    assert "Video call with NLAB on the testing protocol" not in titles
    assert "Japan delegation, July 2025" in trips.meetings.heading.text()


def test_create_a_meeting_with_who_was_there_and_the_mous_it_concerns(
    demo_desk: Desk, qtbot
) -> None:
    editor = MeetingEditor(demo_desk, None, initial={"trip_id": TRIP})
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.widget("title"), "Follow-up lunch with Tanaka Electric")
    editor.widget("held_on").set_text("31-07-2025")
    editor.widget("place").setText("Tokyo")
    partners = editor.widget("partner_ids")
    qtbot.keyClicks(partners.query, "tanaka")
    assert partners.results.count() == 1
    qtbot.mouseClick(partners.add_button, Qt.MouseButton.LeftButton)
    officers = editor.widget("officer_ids")
    qtbot.keyClicks(officers.query, "anand")
    officers.add(
        officers.results.item(0).data(Qt.ItemDataRole.UserRole), officers.results.item(0).text()
    )
    mous = editor.widget("mou_ids")
    qtbot.keyClicks(mous.query, "magnet")
    assert mous.results.count() == 1 and mous.results.item(0).text().startswith("UP-JP-2025-003")
    mous.add(mous.results.item(0).data(Qt.ItemDataRole.UserRole), mous.results.item(0).text())
    assert editor.save()
    meeting = demo_desk.engagements.get(editor.saved_record.id)
    assert meeting["trip_id"] == TRIP
    assert meeting["held_on"] == date(2025, 7, 31)
    assert meeting["partner_ids"] == [demo_id("partner:tanaka")]
    assert meeting["officer_ids"] == [demo_id("officer:anand")]
    assert meeting["mou_ids"] == [demo_id("mou:magnets")]
    assert meeting.id in {e.id for e in demo_desk.partners.engagements(demo_id("partner:tanaka"))}


def test_a_meeting_needs_a_real_date(demo_desk: Desk, qtbot) -> None:
    editor = MeetingEditor(demo_desk)
    qtbot.addWidget(editor)
    editor.set_value("title", "Roadshow")
    editor.widget("held_on").set_text("31-02-2025")
    assert editor.problem_text("held_on"), "shown as the clerk types"
    assert not editor.save()
    assert editor.problem_text("held_on")
    editor.widget("held_on").set_text("")
    assert not editor.save()
    assert editor.problem_text("held_on") == "is required"


def test_a_trip_cannot_end_before_it_starts(desk: Desk, qtbot) -> None:
    editor = TripEditor(desk)
    qtbot.addWidget(editor)
    editor.set_value("name", "Korea roadshow")
    editor.set_value("start_on", date(2025, 10, 10))
    editor.set_value("end_on", date(2025, 10, 1))
    assert not editor.save()
    assert editor.problem_text("end_on") == "A trip cannot end before it starts."


def test_a_linked_person_can_be_removed_again(demo_desk: Desk, qtbot) -> None:
    meeting = demo_desk.engagements.get(demo_id("meeting:kpia"))
    editor = MeetingEditor(demo_desk, meeting)
    qtbot.addWidget(editor)
    officers = editor.widget("officer_ids")
    assert len(officers.value()) == 3
    officers.chosen.setCurrentRow(0)
    officers.chosen.item(0).setSelected(True)
    removed = officers.chosen.item(0).data(Qt.ItemDataRole.UserRole)
    officers.remove_button.click()
    assert editor.collect() == {"officer_ids": [i for i in meeting["officer_ids"] if i != removed]}
    assert editor.save()
    assert len(demo_desk.engagements.get(meeting.id)["officer_ids"]) == 2


def test_new_meeting_from_the_view_belongs_to_the_selected_trip(
    trips: TripsView, monkeypatch
) -> None:
    def fill(editor: RecordEditor) -> int:
        assert editor.widget("trip_id").value() == TRIP
        editor.set_value("title", "Farewell dinner")
        editor.set_value("held_on", date(2025, 8, 1))
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MeetingEditor, "exec", fill)
    trips.select_id(TRIP)
    assert trips.new_meeting() is not None
    assert "Farewell dinner" in meeting_titles(trips)
    assert trips.model.index(0, 4).data() == "6"


def test_delete_a_meeting_after_confirmation(
    trips: TripsView, demo_desk: Desk, monkeypatch
) -> None:
    trips.select_id(TRIP)
    table = trips.meetings.list.table
    table.selectRow(0)
    doomed = trips.meetings.selected()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    trips.meetings.delete_button.click()
    assert doomed.id in {e.id for e in demo_desk.engagements.all(deleted=True)}
    assert doomed["title"] not in meeting_titles(trips)


def test_conflicting_values_are_described_as_the_clerk_reads_them(demo_desk: Desk, qtbot) -> None:
    editor = MeetingEditor(demo_desk, demo_desk.engagements.get(demo_id("meeting:tanaka")))
    qtbot.addWidget(editor)
    tanaka = demo_id("partner:tanaka")
    assert (
        editor.describe_value("partner_ids", [tanaka])
        == "Tanaka Electric Co. Ltd. (田中電気株式会社)"
    )
    assert editor.describe_value("kind", "call") == "Call"
    assert editor.describe_value("held_on", date(2025, 7, 30)) == "30-07-2025"
    assert editor.field_label("mou_ids") == "MoUs"


def test_the_mou_picker_waits_for_a_word_worth_searching(demo_desk: Desk) -> None:
    from mou_desk.ui.records.options import MouSource

    source = MouSource(demo_desk)
    assert len(source.search("")) == 6
    assert source.search("ma") == []
    assert [label for _, label in source.search("magnet")] == [
        "UP-JP-2025-003 — Near-net-shape rare-earth magnet plant"
    ]
    assert [i for i, _ in source.search("田中")] == [demo_id("mou:magnets")], "by its partner"
