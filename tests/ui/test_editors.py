"""open_record_editor: the editor for any record the main window is asked to open."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.ui import editors
from mou_desk.ui.editors import EDITORS, editor_for, open_record_editor
from mou_desk.ui.records.form import RecordEditor

KEYS = {
    "partner": "partner:kpia", "contact": "contact:hayashi", "officer": "officer:anand",
    "trip": "trip:japan-2025", "engagement": "meeting:kpia", "followup": "followup:ground",
}  # fmt: skip


@pytest.mark.parametrize("record_type", sorted(EDITORS))
def test_every_kind_opens_in_its_editor_with_its_values(
    demo_desk: Desk, record_type: str, qtbot
) -> None:
    editor = editor_for(demo_desk, record_type, demo_id(KEYS[record_type]))
    assert editor is not None
    qtbot.addWidget(editor)
    assert editor.record is not None and editor.record.id == demo_id(KEYS[record_type])
    assert editor.collect() == {}, "an editor opened and saved unchanged changes nothing"
    assert not editor.is_dirty()


def test_saving_reports_true_and_cancelling_false(demo_desk: Desk, monkeypatch) -> None:
    def save(editor: RecordEditor) -> int:
        editor.set_value("phone", "+81 6 0000 0000")
        assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RecordEditor, "exec", save)
    assert open_record_editor(demo_desk, "contact", demo_id("contact:hayashi"), None)
    assert demo_desk.contacts.get(demo_id("contact:hayashi"))["phone"] == "+81 6 0000 0000"
    monkeypatch.setattr(RecordEditor, "exec", lambda _e: QDialog.DialogCode.Rejected)
    assert not open_record_editor(demo_desk, "trip", demo_id("trip:japan-2025"), None)


def test_mous_and_missing_records_are_not_opened_here(demo_desk: Desk, monkeypatch) -> None:
    assert not open_record_editor(demo_desk, "mou", demo_id("mou:nlab"), None)
    warned = []
    monkeypatch.setattr(editors.QMessageBox, "warning", lambda *a: warned.append(a))
    assert not open_record_editor(demo_desk, "partner", "no-such-id", None)
    assert warned and "No partner" in warned[0][2]
