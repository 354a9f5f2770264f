"""The MoU editor driven as a clerk would: create, edit, save, stage and status, tabs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from mou_desk.domain.stages import Stage, Status
from mou_desk.services.desk import Desk
from mou_desk.ui.mous.editor import MouEditor
from mou_desk.ui.mous.stage_dialog import StageChangeDialog


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """A leftover editor closed at teardown must not wait for a click on a modal question."""
    monkeypatch.setattr(MouEditor, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)


@pytest.fixture
def partner_id(desk: Desk) -> str:
    return desk.partners.create(
        {"name": "Asahi Intecc Co., Ltd.", "name_local": "朝日インテック"}
    ).id


def test_create_a_new_mou(desk: Desk, partner_id: str, qtbot) -> None:
    editor = MouEditor(desk)
    qtbot.addWidget(editor)
    assert not editor.is_dirty()
    qtbot.keyClicks(editor.form.widgets["title"], "Medical device plant")
    editor.form.lead_partner.set_record_id(partner_id)
    editor.form.money.set_amount_text("¥ 2,000,000,000")
    assert editor.form.money.value().currency == "JPY"
    assert "rate_to_inr" in editor.form.money.problems()
    editor.form.money.set_rate_text("0.5612")
    assert editor.form.money.problems() == {}
    assert "₹ 1,12,24,00,000.00" in editor.form.money.hint.text()
    editor.form.widgets["next_action_due"].set_text("31-12-2099")
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    with qtbot.waitSignal(editor.mou_saved) as saved:
        qtbot.keyClick(
            editor.form.widgets["title"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )
    record = desk.mous.get(saved.args[0])
    assert record["title"] == "Medical device plant"
    assert record["lead_partner_id"] == partner_id
    assert record["amount"] == Decimal("2000000000")
    assert record["proposed_inr"] == Decimal("1122400000.00")
    assert record["next_action_due"] == date(2099, 12, 31)
    assert record["ref"].startswith("UP-MOU-")
    assert editor.form.ref.text() == record["ref"]
    assert not editor.is_dirty()
    assert editor.tabs.isTabEnabled(1)
    assert editor.history_tab.table.rowCount() == 1


def test_typing_is_checked_as_you_go(desk: Desk, qtbot) -> None:
    editor = MouEditor(desk)
    qtbot.addWidget(editor)
    editor.form.widgets["signed_on_ours"].set_text("03/04/2025")
    problems = editor.form.problems()
    assert "ambiguous" in problems["signed_on_ours"]
    editor.form.money.set_amount_text("12.5.3 crore")
    assert "decimal point" in editor.form.problems()["amount"]
    assert not editor.save()  # nothing is sent while fields are wrong (and no title)
    assert "title" in editor.form.show_problems({}, strict=True)
    assert desk.mous.all() == []


def test_edit_and_save_then_close_asks_before_losing_changes(
    desk: Desk, partner_id: str, qtbot, monkeypatch
) -> None:
    mou = desk.mous.create({"title": "Battery testing lab", "sector": "EV & batteries"})
    editor = MouEditor(desk, mou.id)
    qtbot.addWidget(editor)
    editor.form.widgets["title"].setText("Battery testing laboratory")
    editor.form.widgets["title"].textEdited.emit("Battery testing laboratory")
    editor.form.partners.set_choices([(partner_id, "Asahi")])
    editor.form.partners.add_record(partner_id)
    assert editor.changes() == {"title": "Battery testing laboratory", "partner_ids": [partner_id]}
    # Close: Cancel keeps the editor open, Save saves, Discard drops.
    monkeypatch.setattr(editor, "ask_unsaved", lambda: QMessageBox.StandardButton.Cancel)
    assert not editor.may_close()
    monkeypatch.setattr(editor, "ask_unsaved", lambda: QMessageBox.StandardButton.Save)
    assert editor.may_close()
    saved = desk.mous.get(mou.id)
    assert saved["title"] == "Battery testing laboratory"
    assert saved["partner_ids"] == [partner_id]
    editor.form.widgets["tags"].setText("lab")
    editor.form.widgets["tags"].textEdited.emit("lab")
    monkeypatch.setattr(editor, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard)
    assert editor.may_close()
    assert desk.mous.get(mou.id)["tags"] == ""
    # the change log tab shows who changed what
    editor.changes_tab.load(mou.id)
    texts = {
        editor.changes_tab.table.item(r, 4).text()
        for r in range(editor.changes_tab.table.rowCount())
    }
    assert "Title" in texts


def test_stage_dialog_asks_what_the_rules_require(desk: Desk, qtbot) -> None:
    mou = desk.mous.create({"title": "Magnet plant"})
    editor = MouEditor(desk, mou.id)
    qtbot.addWidget(editor)
    dialog = editor.stage_dialog(Stage.SIGNING)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button().isEnabled()
    assert "signed" in dialog.problem_label.text()
    assert dialog.signed_on.isVisibleTo(dialog)
    assert not dialog.investment.isVisibleTo(dialog)
    dialog.signed_on.set_text(date.today().strftime("%d-%m-%Y"))
    assert dialog.ok_button().isEnabled()
    dialog.stage.setCurrentIndex(dialog.stage.findData("investment"))
    assert "investment amount" in dialog.problem_label.text()
    assert dialog.milestone_box.isVisibleTo(dialog)
    dialog.investment.set_amount_text("₹ 50 crore")
    dialog.milestones[next(iter(dialog.milestones))].set_date(date.today())
    assert dialog.ok_button().isEnabled()
    dialog.ok_button().click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = desk.mous.get(mou.id)
    assert saved["stage"] == Stage.INVESTMENT
    assert saved["realised_inr"] == Decimal("500000000.00")
    assert saved["land_allotted_on"] == date.today()
    # moving back needs a reason
    back = StageChangeDialog(desk, saved, Stage.PROPOSAL)
    qtbot.addWidget(back)
    assert "needs a reason" in back.problem_label.text()
    back.reason.setText("Partner re-negotiating")
    back.reason.textEdited.emit("Partner re-negotiating")
    assert back.ok_button().isEnabled()
    back.ok_button().click()
    assert desk.mous.get(mou.id)["stage"] == Stage.PROPOSAL
    assert [h.reason for h in desk.mous.stage_history(mou.id)][-1] == "Partner re-negotiating"


def test_status_dialog_needs_a_reason_to_hold_or_drop(desk: Desk, qtbot) -> None:
    mou = desk.mous.create({"title": "Skills exchange"})
    editor = MouEditor(desk, mou.id)
    qtbot.addWidget(editor)
    dialog = editor.status_dialog()
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("on hold"))
    assert not dialog.ok_button().isEnabled()
    dialog.reason.setText("Waiting for the partner's board")
    dialog.reason.textEdited.emit("x")
    dialog.on.set_text((date.today() + timedelta(days=2)).strftime("%d-%m-%Y"))
    dialog.ok_button().click()  # the service refuses a future date; the dialog stays open
    assert "future" in dialog.problem_label.text()
    dialog.on.set_date(date.today())
    dialog.ok_button().click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert desk.mous.get(mou.id)["status"] == Status.ON_HOLD


def test_followups_and_attachments_tabs(desk: Desk, qtbot, tmp_path: Path, monkeypatch) -> None:
    mou = desk.mous.create({"title": "Data centre"})
    editor = MouEditor(desk, mou.id)
    qtbot.addWidget(editor)
    tab = editor.followups_tab
    tab.add("Send land options", "Anand", date.today() - timedelta(days=1))
    assert tab.table.rowCount() == 1
    tab.table.selectRow(0)
    tab.done_button.click()
    assert desk.followups.for_mou(mou.id)[0]["done_on"] == date.today()
    pdf = tmp_path / "signed MoU.pdf"
    pdf.write_bytes(b"%PDF-1.4 signed")
    opened = []
    monkeypatch.setattr(
        "mou_desk.ui.mous.tabs.QDesktopServices.openUrl", lambda url: opened.append(url)
    )
    editor.attachments_tab.add_file(pdf)
    table = editor.attachments_tab.table
    assert table.item(0, 0).text() == "signed MoU.pdf"
    assert len(table.item(0, 3).text()) == 64  # the checksum
    table.selectRow(0)
    editor.attachments_tab.open_button.click()
    written = Path(opened[0].toLocalFile())
    assert written.read_bytes() == b"%PDF-1.4 signed"
    assert written.name == "signed MoU.pdf"


def test_tab_order_follows_the_form(desk: Desk, qtbot) -> None:
    editor = MouEditor(desk)
    qtbot.addWidget(editor)
    form = editor.form
    chain = form.tab_chain()
    position = {id(w): n for n, w in enumerate(chain)}
    expected = [form.ref, form.widgets["title"], form.widgets["doc_type"], form.lead_partner,
                form.money.amount, form.widgets["district"],
                form.widgets["signed_on_ours"].line, form.notes]  # fmt: skip
    found = [position[id(w)] for w in expected]
    assert found == sorted(found)
