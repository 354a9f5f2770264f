"""Deleting moves records to the Trash; restoring brings them back."""

from __future__ import annotations

from mou_desk.services.desk import Desk
from mou_desk.ui.tasks import SyncTaskRunner
from mou_desk.ui.trash.model import TrashModel, TrashRow
from mou_desk.ui.trash.view import TrashView


def test_trash_model_passes_qt_model_tester(qtmodeltester) -> None:
    model = TrashModel()
    model.set_rows([TrashRow("mou", "1", "UP-MOU-2025-00001", None, "Clerk"),
                    TrashRow("partner", "2", "Tanaka Electric", None, "Clerk")])  # fmt: skip
    qtmodeltester.check(model, force_py=True)


def test_trash_lists_every_kind_and_restores(desk: Desk, qtbot) -> None:
    partner = desk.partners.create({"name": "Morabu Hanshin"})
    mou = desk.mous.create({"title": "Skills exchange", "lead_partner_id": partner.id})
    desk.partners.delete(partner.id)
    desk.mous.delete(mou.id)
    view = TrashView(desk, SyncTaskRunner())
    qtbot.addWidget(view)
    kinds = {view.model.row_at(r).kind for r in range(view.model.rowCount())}
    assert kinds == {"mou", "partner"}
    assert "2 deleted" in view.intro.text()
    assert not view.restore_button.isEnabled()
    row = next(r for r in range(view.model.rowCount()) if view.model.row_at(r).kind == "mou")
    view.table.selectRow(row)
    assert view.restore_button.isEnabled()
    with qtbot.waitSignal(view.records_restored) as restored:
        view.restore_button.click()
    assert restored.args == [[["mou", mou.id]]]
    assert desk.mous.get(mou.id)["title"] == "Skills exchange"
    assert view.model.rowCount() == 1


def test_deleting_from_the_editor_then_restoring(desk: Desk, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from mou_desk.ui.mous.editor import MouEditor

    mou = desk.mous.create({"title": "Data centre park"})
    editor = MouEditor(desk, mou.id)
    qtbot.addWidget(editor)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(editor.mou_deleted):
        editor.delete_button.click()
    assert desk.mous.all() == []
    view = TrashView(desk, SyncTaskRunner())
    qtbot.addWidget(view)
    view.table.selectRow(0)
    view.restore_selected()
    assert [m.id for m in desk.mous.all()] == [mou.id]
