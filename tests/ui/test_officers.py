"""Our officers: listed with their names in Devanagari beside them, created and edited."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.ui.officers.editor import OfficerEditor
from mou_desk.ui.officers.view import OfficersView
from mou_desk.ui.records.form import RecordEditor


def test_officers_list_shows_names_in_own_script(demo_desk: Desk, qtbot, qtmodeltester) -> None:
    view = OfficersView(demo_desk)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    view.select_id(demo_id("officer:singh"))
    row = view.table.currentIndex().row()
    assert view.model.index(row, 0).data() == "Inderjit Singh"
    assert view.model.index(row, 1).data() == "इंद्रजीत सिंह"
    assert view.count_label.text() == "4 officers"


def test_create_and_edit_an_officer(demo_desk: Desk, qtbot, monkeypatch) -> None:
    view = OfficersView(demo_desk)
    qtbot.addWidget(view)

    def create(editor: RecordEditor) -> int:
        editor.set_value("name", "Neha Sharma")
        editor.set_value("name_local", "नेहा शर्मा")
        editor.set_value("designation", "Deputy Director")
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(OfficerEditor, "exec", create)
    created = view.new_record()
    assert created is not None and view.selected_row().id == created.id

    def rename(editor: RecordEditor) -> int:
        editor.set_value("designation", "Joint Director")
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(OfficerEditor, "exec", rename)
    edited = view.edit_selected()
    assert edited is not None and edited.version == created.version + 1
    assert demo_desk.officers.get(created.id)["designation"] == "Joint Director"
    assert demo_desk.officers.get(created.id)["name_local"] == "नेहा शर्मा"


def test_an_officer_needs_a_name(desk: Desk, qtbot) -> None:
    editor = OfficerEditor(desk)
    qtbot.addWidget(editor)
    assert not editor.save()
    assert editor.problem_text("name") == "is required"
