"""Follow-ups: due, overdue (red) and done in one list; mark done; the start-up notice; .ics."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from mou_desk.services.agenda import startup_notice
from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.ui.followups import notice as notice_module
from mou_desk.ui.followups.editor import FollowUpEditor
from mou_desk.ui.followups.notice import StartupNoticeDialog, show_startup_notice
from mou_desk.ui.followups.view import OVERDUE, FollowUpsView
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.tasks import SyncTaskRunner

DRAFT_MOC = demo_id("followup:draft-moc")  # due 6 days ago
INCUBATION = demo_id("followup:incubation")  # due 20 days ago, Hindi title
NLAB_VISIT = demo_id("followup:nlab-visit")  # due today


@pytest.fixture
def followups(demo_desk: Desk, qtbot) -> FollowUpsView:
    view = FollowUpsView(demo_desk, SyncTaskRunner())
    qtbot.addWidget(view)
    return view


def row_of(view: FollowUpsView, followup_id: str) -> int:
    return view.model.row_of(followup_id)


def test_model_passes_qt_model_tester(followups: FollowUpsView, qtmodeltester) -> None:
    qtmodeltester.check(followups.model)


def test_overdue_follow_ups_are_red_and_say_so(followups: FollowUpsView) -> None:
    row = row_of(followups, DRAFT_MOC)
    assert followups.model.index(row, 1).data() == "Overdue by 6 days"
    colour = followups.model.index(row, 2).data(Qt.ItemDataRole.ForegroundRole).color()
    assert colour == OVERDUE
    today = row_of(followups, NLAB_VISIT)
    assert followups.model.index(today, 1).data() == "Due today"
    assert followups.model.index(today, 3).data() == "UP-JP-2025-002"
    assert followups.model.index(0, 0).data() == (date.today() - timedelta(days=20)).strftime(
        "%d-%m-%Y"
    ), "soonest due first"


def test_mark_done_then_it_moves_to_done(followups: FollowUpsView, demo_desk: Desk, qtbot) -> None:
    followups.select_id(DRAFT_MOC)
    assert followups.done_button.isEnabled() and not followups.reopen_button.isEnabled()
    qtbot.mouseClick(followups.done_button, Qt.MouseButton.LeftButton)
    assert demo_desk.followups.get(DRAFT_MOC)["done_on"] == date.today()
    assert followups.model.row_of(DRAFT_MOC) == -1, "the open list no longer shows it"
    followups.set_showing("done")
    row = row_of(followups, DRAFT_MOC)
    assert followups.model.index(row, 1).data() == f"Done on {date.today():%d-%m-%Y}"
    followups.select_id(DRAFT_MOC)
    qtbot.mouseClick(followups.reopen_button, Qt.MouseButton.LeftButton)
    assert demo_desk.followups.get(DRAFT_MOC)["done_on"] is None


def test_overdue_only_and_all(followups: FollowUpsView, demo_desk: Desk) -> None:
    followups.set_showing("overdue")
    assert {r.id for r in followups.model.rows()} == {DRAFT_MOC, INCUBATION}
    demo_desk.followups.mark_done(
        INCUBATION, date.today(), demo_desk.followups.get(INCUBATION).version
    )
    followups.set_showing("all")
    assert followups.model.rowCount() == 5


def test_several_selected_are_marked_done_together(
    followups: FollowUpsView, demo_desk: Desk
) -> None:
    selection = followups.table.selectionModel()
    followups.select_id(DRAFT_MOC)
    index = followups.model.index(row_of(followups, INCUBATION), 0)
    selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    assert followups.mark_selected_done() == 2
    assert demo_desk.followups.get(INCUBATION)["done_on"] == date.today()


def test_export_selected_writes_a_calendar_with_the_hindi_title(
    followups: FollowUpsView, tmp_path: Path
) -> None:
    followups.select_id(INCUBATION)
    path = followups.export_selected(tmp_path / "follow-ups.ics")
    assert path is not None
    text = path.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert f"UID:{INCUBATION}@mou-desk" in text
    assert "SUMMARY:उत्तर प्रदेश निवेश: share the incubation call draft — UP-JP-2025-005" in text
    assert text.count("BEGIN:VEVENT") == 1


def test_create_a_follow_up_on_an_mou(demo_desk: Desk, qtbot) -> None:
    editor = FollowUpEditor(demo_desk)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.widget("title"), "Send the plot map")
    editor.widget("due_on").set_text("05-01-2099")
    qtbot.keyClicks(editor.widget("owner"), "Inderjit Singh")
    mou = editor.widget("mou_id")
    qtbot.keyClicks(mou.query, "UP-JP-2025-003")
    mou.add(mou.results.item(0).data(Qt.ItemDataRole.UserRole), mou.results.item(0).text())
    assert editor.save()
    saved = demo_desk.followups.get(editor.saved_record.id)
    assert saved["mou_id"] == demo_id("mou:magnets")
    assert saved["due_on"] == date(2099, 1, 5)
    assert saved["owner"] == "Inderjit Singh"


def test_a_follow_up_needs_a_due_date(desk: Desk, qtbot) -> None:
    editor = FollowUpEditor(desk)
    qtbot.addWidget(editor)
    editor.set_value("title", "Call back")
    assert not editor.save()
    assert editor.problem_text("due_on") == "is required"


def test_new_follow_up_from_the_view(followups: FollowUpsView, monkeypatch) -> None:
    def fill(editor: RecordEditor) -> int:
        editor.set_value("title", "Book the hall")
        editor.set_value("due_on", date.today() + timedelta(days=2))
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FollowUpEditor, "exec", fill)
    created = followups.new_record()
    assert created is not None and followups.selected_row().id == created.id
    assert followups.model.index(row_of(followups, created.id), 1).data() == "Due in 2 days"


# ---- start-up notice -------------------------------------------------------------------------


def add(desk: Desk, title: str, days: int) -> str:
    return desk.followups.create({"title": title, "due_on": date.today() + timedelta(days=days)}).id


def test_the_notice_catches_up_the_days_the_app_was_closed(desk: Desk) -> None:
    long_ago = add(desk, "Long overdue", -30)
    friday = add(desk, "Due on Friday", -3)
    saturday = add(desk, "Due on Saturday", -2)
    today = add(desk, "Due today", 0)
    add(desk, "Due tomorrow", 1)
    done = add(desk, "Done already", -1)
    desk.followups.mark_done(done, date.today(), desk.followups.get(done).version)

    notice = startup_notice(desk.db, last_seen=date.today() - timedelta(days=4))
    assert [i.id for i in notice.missed] == [friday, saturday]
    assert [i.id for i in notice.overdue] == [long_ago]
    assert [i.id for i in notice.due_today] == [today]
    assert notice.count == 4

    never = startup_notice(desk.db, last_seen=None)
    assert [i.id for i in never.overdue] == [long_ago, friday, saturday] and not never.missed
    yesterday = startup_notice(desk.db, last_seen=date.today() - timedelta(days=1))
    assert not yesterday.missed and len(yesterday.overdue) == 3


def test_show_startup_notice_lists_every_missed_item(desk: Desk, qtbot, monkeypatch) -> None:
    missed = add(desk, "Due while on the Japan trip — 田中電気株式会社", -5)
    older = add(desk, "Older", -40)
    today = add(desk, "Today: उत्तर प्रदेश", 0)
    shown: list[StartupNoticeDialog] = []

    def capture(dialog: StartupNoticeDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(StartupNoticeDialog, "exec", capture)
    show_startup_notice(desk, None, date.today() - timedelta(days=12))
    [dialog] = shown
    assert set(dialog.listed_ids()) == {missed, older, today}
    groups = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert groups[0] == "Due today (1)"
    assert groups[1].startswith("Fell due while MoU Desk was closed, since")
    assert groups[2] == "Overdue (1)"
    assert "was last opened on" in dialog.findChild(notice_module.QLabel).text()


def test_no_notice_when_nothing_is_due(desk: Desk, monkeypatch) -> None:
    add(desk, "Next week", 7)
    monkeypatch.setattr(
        StartupNoticeDialog, "exec", lambda _self: pytest.fail("no dialog expected")
    )
    show_startup_notice(desk, None, None)
