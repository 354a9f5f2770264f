"""Contacts: people at partners, listed with their partner, created and edited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.ui.contacts.editor import ContactEditor
from mou_desk.ui.contacts.view import ContactsView
from mou_desk.ui.records.form import RecordEditor


@pytest.fixture
def people(demo_desk: Desk, qtbot) -> ContactsView:
    view = ContactsView(demo_desk)
    qtbot.addWidget(view)
    return view


def test_model_passes_qt_model_tester(people: ContactsView, qtmodeltester) -> None:
    qtmodeltester.check(people.model)


def test_contacts_show_their_partner(people: ContactsView) -> None:
    model = people.model
    rows = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(model.rowCount())}
    assert rows["HAYASHI Yoshikazu"] == "Kansai Pharmaceutical Industries Association"
    assert rows["Takeo Tanaka"] == "Tanaka Electric Co. Ltd."


def test_create_a_contact_keeps_the_name_exactly_as_typed(demo_desk: Desk, qtbot) -> None:
    editor = ContactEditor(demo_desk)
    qtbot.addWidget(editor)
    editor.widget("partner_id").set_value(demo_id("partner:nite"))
    qtbot.keyClicks(editor.widget("name"), "OKADA  Kenji")
    editor.widget("name_local").insert("岡田 健二")
    qtbot.keyClicks(editor.widget("email"), "okada@nite.example.jp")
    with qtbot.waitSignal(editor.record_saved) as saved:
        qtbot.mouseClick(
            editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    contact = demo_desk.contacts.get(saved.args[0].id)
    assert contact["name"] == "OKADA  Kenji"
    assert contact["name_local"] == "岡田 健二"
    assert contact["partner_id"] == demo_id("partner:nite")
    assert [c.id for c in demo_desk.partners.contacts(demo_id("partner:nite"))] == [contact.id]


def test_a_bad_email_is_shown_beside_the_email_field(demo_desk: Desk, qtbot) -> None:
    editor = ContactEditor(demo_desk)
    qtbot.addWidget(editor)
    editor.set_value("name", "Someone")
    editor.set_value("email", "someone at nite")
    assert not editor.save()
    assert "is not an e-mail address" in editor.problem_text("email")
    assert editor.problem_text("name") == ""


def test_edit_a_contact_from_the_list(people: ContactsView, demo_desk: Desk, monkeypatch) -> None:
    def change_designation(editor: RecordEditor) -> int:
        assert editor.record is not None and editor.record["name"] == "HAYASHI Yoshikazu"
        editor.set_value("designation", "Executive Director")
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ContactEditor, "exec", change_designation)
    people.select_id(demo_id("contact:hayashi"))
    people.edit_selected()
    assert demo_desk.contacts.get(demo_id("contact:hayashi"))["designation"] == "Executive Director"
    row = people.selected_row()
    assert row.id == demo_id("contact:hayashi") and row["designation"] == "Executive Director"


def test_opening_a_contact_is_reported(people: ContactsView, qtbot) -> None:
    people.select_id(demo_id("contact:hayashi"))
    with qtbot.waitSignal(people.record_activated) as opened:
        people.table.activated.emit(people.table.currentIndex())
    assert opened.args == ["contact", demo_id("contact:hayashi")]
