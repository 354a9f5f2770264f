"""Two clerks save the same MoU: the second sees mine / theirs / original and chooses."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QRadioButton

from mou_desk.domain.errors import ConflictError
from mou_desk.services.desk import Desk
from mou_desk.ui.mous.conflict_dialog import MINE, ORIGINAL, THEIRS, ConflictDialog
from mou_desk.ui.mous.editor import MouEditor


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MouEditor, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)


def _type(editor: MouEditor, name: str, text: str) -> None:
    widget = editor.form.widgets[name]
    widget.setText(text)
    widget.textEdited.emit(text)


def test_conflict_dialog_lets_the_clerk_choose(
    desk: Desk, tmp_path: Path, qtbot, monkeypatch
) -> None:
    mou = desk.mous.create({"title": "Battery lab", "next_action": "Call NITE", "tags": "ev"})
    editor = MouEditor(desk, mou.id)
    qtbot.addWidget(editor)
    _type(editor, "title", "Battery testing lab (mine)")
    _type(editor, "next_action", "Send draft (mine)")
    editor.form.notes.setPlainText("Only I wrote notes")
    # Another clerk, through a second connection to the same file, saves first.
    other = Desk.open(tmp_path / "t.sqlite3", clerk="Other Clerk")
    try:
        other.mous.update(mou.id, {"title": "Battery lab (theirs)",
                                   "next_action": "Visit Osaka (theirs)", "tags": "ev,jp"},
                          mou.version)  # fmt: skip
    finally:
        other.close()

    seen = {}

    def choose(dialog: ConflictDialog) -> int:
        seen["fields"] = [c.field for c in dialog._conflicts]
        seen["texts"] = {b.objectName(): b.text() for b in dialog.findChildren(QRadioButton)}
        dialog.choose("title", THEIRS)
        dialog.choose("next_action", ORIGINAL)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", choose)
    assert editor.save()
    assert sorted(seen["fields"]) == ["next_action", "title"]
    assert seen["texts"]["title:0"] == "Battery testing lab (mine)"
    assert seen["texts"]["title:1"] == "Battery lab (theirs)"
    assert seen["texts"]["title:2"] == "Battery lab"
    saved = desk.mous.get(mou.id)
    assert saved["title"] == "Battery lab (theirs)"
    assert saved["next_action"] == "Call NITE"  # the original, as chosen
    assert saved["notes"] == "Only I wrote notes"  # my change on a field nobody else touched
    assert saved["tags"] == "ev,jp"  # their change on a field I did not touch
    assert editor.form.widgets["tags"].text() == "ev,jp"
    assert not editor.is_dirty()


def test_cancelling_the_conflict_keeps_my_edits(
    desk: Desk, tmp_path: Path, qtbot, monkeypatch
) -> None:
    mou = desk.mous.create({"title": "Magnet plant"})
    editor = MouEditor(desk, mou.id)
    qtbot.addWidget(editor)
    _type(editor, "title", "Magnet plant (mine)")
    desk.mous.update(mou.id, {"title": "Magnet plant (theirs)"}, mou.version)
    monkeypatch.setattr(ConflictDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert not editor.save()
    assert editor.form.widgets["title"].text() == "Magnet plant (mine)"
    assert editor.is_dirty()
    assert desk.mous.get(mou.id)["title"] == "Magnet plant (theirs)"


def test_conflict_dialog_defaults_to_mine(qtbot) -> None:
    from mou_desk.domain.errors import FieldConflict

    error = ConflictError("mou", "1", "UP-MOU-1", [FieldConflict("title", "a", "b", "c")], 5)
    dialog = ConflictDialog(error, label_of=str.title, describe=lambda _f, v: str(v))
    qtbot.addWidget(dialog)
    assert dialog.chosen() == {"title": "a"}
    dialog.choose("title", ORIGINAL)
    assert dialog.chosen() == {"title": "c"}
    dialog.choose("title", MINE)
    assert dialog.chosen() == {"title": "a"}
