"""Partners: the list, the editor with validation beside the fields, the partner's detail."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.ui.partners.editor import PartnerEditor
from mou_desk.ui.partners.view import PartnersView
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.tasks import SyncTaskRunner


@pytest.fixture
def partners_view(demo_desk: Desk, qtbot) -> PartnersView:
    view = PartnersView(demo_desk, SyncTaskRunner())
    qtbot.addWidget(view)
    view.resize(1000, 700)
    return view


def save_button(editor: RecordEditor):
    return editor.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_the_models_pass_qt_model_tester(partners_view: PartnersView, qtmodeltester) -> None:
    qtmodeltester.check(partners_view.model)
    partners_view.select_id(demo_id("partner:tanaka"))
    qtmodeltester.check(partners_view.partner_detail.mous.model)


def test_partners_are_listed_with_their_own_script_beside_the_name(
    partners_view: PartnersView,
) -> None:
    names = {
        partners_view.model.index(r, 0).data(): partners_view.model.index(r, 1).data()
        for r in range(partners_view.model.rowCount())
    }
    assert names["Tanaka Electric Co. Ltd."] == "田中電気株式会社"
    assert partners_view.count_label.text() == "6 partners"


def test_the_filter_box_finds_japanese_text(partners_view: PartnersView, qtbot) -> None:
    partners_view.filter_edit.insert("田中")  # QTest.keyClicks types ASCII only
    assert partners_view.model.rowCount() == 1
    assert partners_view.model.index(0, 0).data() == "Tanaka Electric Co. Ltd."
    assert partners_view.count_label.text() == "1 of 6 partners"


def test_create_a_partner_in_the_editor(desk: Desk, qtbot) -> None:
    editor = PartnerEditor(desk)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.widget("name"), "Asahi Intecc Co., Ltd.")
    editor.widget("name_local").insert("朝日インテック株式会社")
    editor.widget("kind").set_value("company")
    qtbot.keyClicks(editor.widget("city"), "Osaka")
    with qtbot.waitSignal(editor.record_saved) as saved:
        qtbot.mouseClick(save_button(editor), Qt.MouseButton.LeftButton)
    partner = desk.partners.get(saved.args[0].id)
    assert partner["name_local"] == "朝日インテック株式会社"
    assert partner["city"] == "Osaka"
    assert editor.result() == QDialog.DialogCode.Accepted


def test_problems_are_shown_beside_their_fields_and_the_dialog_stays_open(
    desk: Desk, qtbot
) -> None:
    editor = PartnerEditor(desk)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.widget("website"), "www example com")
    qtbot.mouseClick(save_button(editor), Qt.MouseButton.LeftButton)
    assert editor.problem_text("name") == "is required"
    editor.set_value("name", "Morabu Hanshin")
    qtbot.mouseClick(save_button(editor), Qt.MouseButton.LeftButton)
    assert editor.problem_text("website") == "A web address has no spaces."
    assert editor.problem_text("name") == ""
    assert editor.isVisible() and desk.partners.all() == []
    editor.hide()  # closing a dirty editor asks first; the test ends here


def test_edit_a_partner_saves_only_what_changed_against_its_version(demo_desk: Desk, qtbot) -> None:
    before = demo_desk.partners.get(demo_id("partner:tanaka"))
    editor = PartnerEditor(demo_desk, before)
    qtbot.addWidget(editor)
    assert editor.collect() == {}
    editor.widget("city").clear()
    qtbot.keyClicks(editor.widget("city"), "Kyoto")
    assert editor.collect() == {"city": "Kyoto"}
    assert editor.save()
    after = demo_desk.partners.get(before.id)
    assert after["city"] == "Kyoto" and after.version == before.version + 1
    changed = {
        row.field for row in demo_desk.partners.history(before.id) if row.version == after.version
    }
    assert changed == {"city"}


def test_a_save_that_raced_another_offers_mine_theirs_original(
    demo_desk: Desk, qtbot, monkeypatch
) -> None:
    from mou_desk.ui.mous.conflict_dialog import THEIRS, ConflictDialog

    partner = demo_desk.partners.get(demo_id("partner:tanaka"))
    editor = PartnerEditor(demo_desk, partner)
    qtbot.addWidget(editor)
    demo_desk.partners.update(partner.id, {"city": "Nagoya"}, partner.version)  # someone else

    shown = []

    def choose_theirs(dialog: ConflictDialog) -> int:
        shown.append(dialog)
        dialog.choose("city", THEIRS)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", choose_theirs)
    editor.set_value("city", "Kyoto")
    editor.set_value("country", "Japan (Honshu)")
    assert editor.save()
    saved = demo_desk.partners.get(partner.id)
    assert shown and saved["city"] == "Nagoya"
    assert saved["country"] == "Japan (Honshu)"


def test_new_partner_from_the_view_is_selected_after_saving(
    partners_view: PartnersView, monkeypatch
) -> None:
    def fill_and_save(editor: RecordEditor) -> int:
        editor.set_value("name", "Kobe Biomedical Innovation Cluster")
        editor.set_value("name_local", "神戸医療産業都市")
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PartnerEditor, "exec", fill_and_save)
    created = partners_view.new_record()
    assert created is not None
    assert partners_view.selected_row().id == created.id
    assert partners_view.count_label.text() == "7 partners"


def test_a_partners_detail_shows_its_contacts_mous_and_meetings(
    partners_view: PartnersView, qtbot
) -> None:
    assert partners_view.select_id(demo_id("partner:tanaka"))
    detail = partners_view.partner_detail
    assert [r["name"] for r in detail.contacts.rows()] == ["Takeo Tanaka"]
    assert [r["ref"] for r in detail.mous.rows()] == ["UP-JP-2025-003"]
    assert detail.meetings.rows(), "the Tanaka meeting of the July 2025 trip"
    assert "田中電気株式会社" in detail.heading.text()
    assert detail.tabs.tabText(1) == "MoUs (1)"
    with qtbot.waitSignal(partners_view.record_activated) as opened:
        detail.mous.open_row(0)
    assert opened.args == ["mou", demo_id("mou:magnets")]


def test_add_a_contact_from_the_partners_detail(partners_view: PartnersView, monkeypatch) -> None:
    from mou_desk.ui.contacts.editor import ContactEditor

    def fill_and_save(editor: RecordEditor) -> int:
        assert editor.widget("partner_id").value() == demo_id("partner:asahi")
        editor.set_value("name", "MIYATA Masahiko")
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ContactEditor, "exec", fill_and_save)
    partners_view.select_id(demo_id("partner:asahi"))
    assert partners_view.add_contact() is not None
    rows = partners_view.partner_detail.contacts.rows()
    assert [r["name"] for r in rows] == ["MIYATA Masahiko"]


def test_delete_moves_the_partner_to_the_trash_after_confirmation(
    partners_view: PartnersView, demo_desk: Desk, monkeypatch
) -> None:
    partners_view.select_id(demo_id("partner:morabu"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not partners_view.delete_selected()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert partners_view.delete_selected()
    assert [p.id for p in demo_desk.partners.all(deleted=True)] == [demo_id("partner:morabu")]
    assert partners_view.count_label.text() == "5 partners"
    demo_desk.partners.restore(demo_id("partner:morabu"))
    partners_view.refresh()
    assert partners_view.count_label.text() == "6 partners"


def test_unsaved_changes_are_not_lost_silently(desk: Desk, qtbot, monkeypatch) -> None:
    editor = PartnerEditor(desk)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_value("name", "Half-typed partner")
    asked = []

    def keep_editing(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(args)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", keep_editing)
    editor.reject()
    assert asked and editor.isVisible()
    editor.hide()


def test_double_click_or_enter_opens_the_partner(partners_view: PartnersView, qtbot) -> None:
    partners_view.select_id(demo_id("partner:kpia"))
    partners_view.table.setFocus()
    with qtbot.waitSignal(partners_view.record_activated) as opened:
        partners_view.table.activated.emit(partners_view.table.currentIndex())
    assert opened.args == ["partner", demo_id("partner:kpia")]


def test_meeting_dates_show_as_dd_mm_yyyy(partners_view: PartnersView) -> None:
    partners_view.select_id(demo_id("partner:kpia"))
    meetings = partners_view.partner_detail.meetings
    shown = meetings.model.index(0, 0).data()
    held = meetings.model.row_at(0)
    assert shown == held["held_on"].strftime("%d-%m-%Y")
    assert isinstance(held["held_on"], date)


def test_sorting_keeps_the_selection_and_survives_a_reload(
    partners_view: PartnersView, qtmodeltester
) -> None:
    qtmodeltester.check(partners_view.model)
    partners_view.select_id(demo_id("partner:nite"))
    partners_view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # city, Tokyo first
    cities = [r["city"] for r in partners_view.model.rows()]
    assert cities == sorted(cities, reverse=True)
    assert partners_view.selected_row().id == demo_id("partner:nite")
    partners_view.refresh()
    assert [r["city"] for r in partners_view.model.rows()] == cities
    assert partners_view.selected_row().id == demo_id("partner:nite")
    partners_view.filter_edit.setText("osaka")
    assert {r["city"] for r in partners_view.model.rows()} == {"Osaka"}
    assert partners_view.model.total() == 6
