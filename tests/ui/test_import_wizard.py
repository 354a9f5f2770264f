"""The import wizard and the export dialog, driven with qtbot (tasks run synchronously)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mou_desk.services import changesets as cs
from mou_desk.services.desk import Desk
from mou_desk.services.exports import export_workbook
from mou_desk.ui.exchange.export_dialog import ExportDialog
from mou_desk.ui.exchange.import_wizard import ImportWizard
from mou_desk.ui.exchange.plan_model import ConflictsModel
from mou_desk.ui.tasks import SyncTaskRunner
from tests.exchange.conftest import write_workbook


def failing_handler(exc: BaseException, _parent: object) -> None:
    raise AssertionError(f"unexpected error dialog: {exc!r}")


@pytest.fixture
def tasks() -> SyncTaskRunner:
    return SyncTaskRunner(error_handler=failing_handler)


@pytest.fixture
def edited(demo_desk: Desk, tmp_path: Path) -> Path:
    """Finance changed two MoUs, one of them also changed in the office: a conflict."""
    path = tmp_path / "finance.xlsx"
    export_workbook(demo_desk.db, path)
    mou = demo_desk.mous.by_ref("UP-JP-2025-001")
    demo_desk.mous.update(mou.id, {"next_action": "Office: call KPIA"}, mou.version)
    book = openpyxl.load_workbook(path)
    sheet = book["MoUs"]
    col = {c.value: c.column for c in sheet[1]}
    sheet.cell(row=2, column=col["Next action"]).value = "Finance: check budget"
    sheet.cell(row=3, column=col["Amount"]).value = 5000000000
    sheet.cell(row=4, column=col["Next action due"]).value = "03/04/2027"  # ambiguous: an error
    book.save(path)
    return path


@pytest.fixture
def wizard(
    qtbot: QtBot, demo_desk: Desk, tasks: SyncTaskRunner, tmp_path: Path
) -> Iterator[ImportWizard]:
    saved: list[Path] = []
    win = ImportWizard(
        demo_desk, tasks, save_path_chooser=lambda p: saved.append(p) or (tmp_path / "errors.xlsx")
    )
    qtbot.addWidget(win)
    win.show()
    yield win


def go_to_preview(qtbot: QtBot, win: ImportWizard, path: Path) -> None:
    win.file_page.path_edit.setText(str(path))
    qtbot.mouseClick(win.button(win.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert win.currentId() == win.MAPPING
    qtbot.mouseClick(win.button(win.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert win.currentId() == win.PREVIEW


def test_models_pass_the_model_tester(
    qtmodeltester: object, wizard: ImportWizard, qtbot: QtBot, edited: Path
) -> None:
    go_to_preview(qtbot, wizard, edited)
    page = wizard.preview_page
    for view in (page.new_view, page.changed_view, page.conflict_view, page.problem_view):
        qtmodeltester.check(view.model())  # type: ignore[attr-defined]


def test_preview_tabs_resolve_conflict_apply_and_undo(
    qtbot: QtBot, wizard: ImportWizard, edited: Path, demo_desk: Desk, tmp_path: Path
) -> None:
    go_to_preview(qtbot, wizard, edited)
    page = wizard.preview_page
    assert "1 changed" in page.summary.text() and "1 with conflicts" in page.summary.text()
    assert page.tabs.tabText(2) == "Conflicts (1)" and page.tabs.tabText(3) == "Errors (1)"
    conflicts = page.conflict_view.model()
    assert isinstance(conflicts, ConflictsModel)
    assert conflicts.index(0, 3).data() == "Office: call KPIA"
    assert conflicts.index(0, 4).data() == "Finance: check budget"
    assert "Share the draft MoC" in conflicts.index(0, 5).data()
    problems = page.problem_view.model()
    assert "ambiguous" in problems.index(0, 2).data()
    apply_button = wizard.button(wizard.WizardButton.NextButton)
    assert apply_button.text() == "Apply" and not apply_button.isEnabled()

    qtbot.mouseClick(page.errors_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "errors.xlsx").exists()
    assert conflicts.setData(conflicts.index(0, ConflictsModel.USE), conflicts.choices[2])
    assert not apply_button.isEnabled()  # the invalid row still blocks
    page.rest_check.setChecked(True)
    assert apply_button.isEnabled()
    with qtbot.waitSignal(wizard.changes_applied):
        qtbot.mouseClick(apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.SUMMARY)
    assert "updated 2" in wizard.summary_page.text.text()
    mou = demo_desk.mous.by_ref("UP-JP-2025-001")
    assert mou["next_action"] == "Finance: check budget"
    assert demo_desk.mous.by_ref("UP-JP-2025-002")["amount"] == Decimal(5000000000)
    assert demo_desk.mous.by_ref("UP-JP-2025-003")["next_action_due"] != dt.date(2027, 4, 3)

    qtbot.mouseClick(wizard.summary_page.undo_button, Qt.MouseButton.LeftButton)
    assert "undone" in wizard.summary_page.text.text()
    assert demo_desk.mous.by_ref("UP-JP-2025-001")["next_action"] == "Office: call KPIA"


def test_keep_all_ours_then_apply(
    qtbot: QtBot, wizard: ImportWizard, edited: Path, demo_desk: Desk
) -> None:
    go_to_preview(qtbot, wizard, edited)
    page = wizard.preview_page
    qtbot.mouseClick(page.keep_all, Qt.MouseButton.LeftButton)
    assert page.conflicts_model is not None and page.conflicts_model.unresolved() == 0
    assert page.resolutions() == {(0, "next_action"): cs.OURS} or all(
        v == cs.OURS for v in page.resolutions().values()
    )


def test_bad_file_message_stays_on_the_first_page(
    qtbot: QtBot, wizard: ImportWizard, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook at all")
    wizard.file_page.path_edit.setText(str(junk))
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == wizard.FILE
    assert "junk.xlsx" in wizard.file_page.message.text()


def test_foreign_layout_is_mapped_saved_and_imported(
    qtbot: QtBot, wizard: ImportWizard, demo_desk: Desk, tmp_path: Path
) -> None:
    path = write_workbook(
        tmp_path / "own.xlsx",
        {
            "Proposals": [
                ("Finance proposals, July 2025",),
                (),
                ("Project", "Company", "Investment (₹ crore)"),
                ("Solar park", "Tanaka Electric Co. Ltd.", 250),
            ]
        },
    )
    wizard.file_page.path_edit.setText(str(path))
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    mapping = wizard.mapping_page
    assert mapping.header_spin.value() == 3
    assert mapping.table.rowCount() == 3
    mapping.set_field("Project", "title")
    mapping.set_field("Company", "lead_partner_id")
    mapping.set_field("Investment (₹ crore)", "_amount_crore")
    mapping.name_edit.setText("Finance proposals")
    qtbot.mouseClick(mapping.save_button, Qt.MouseButton.LeftButton)
    assert "saved" in mapping.message.text()
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.preview_page
    assert "1 new" in page.summary.text()
    with qtbot.waitSignal(wizard.changes_applied):
        qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.SUMMARY)
    made = next(m for m in demo_desk.mous.all() if m["title"] == "Solar park")
    assert made["proposed_inr"] == Decimal("2500000000.00")
    from mou_desk.services.imports import mapping_names

    assert mapping_names(demo_desk.db) == ["Finance proposals"]


def test_export_dialog_writes_the_filtered_workbook(
    qtbot: QtBot, demo_desk: Desk, tasks: SyncTaskRunner, tmp_path: Path
) -> None:
    dialog = ExportDialog(demo_desk, tasks)
    qtbot.addWidget(dialog)
    dialog.file_edit.setText(str(tmp_path / "out.xlsx"))
    dialog.stage_list.item(1).setCheckState(Qt.CheckState.Checked)  # Proposal
    with qtbot.waitSignal(dialog.workbook_written):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Wrote out.xlsx" in dialog.message.text()
    rows = list(
        openpyxl.load_workbook(tmp_path / "out.xlsx")["MoUs"].iter_rows(min_row=2, values_only=True)
    )
    assert rows and {r[7] for r in rows} == {"Proposal"}


def test_screenshots(qtbot: QtBot, wizard: ImportWizard, edited: Path, tmp_path: Path) -> None:
    go_to_preview(qtbot, wizard, edited)
    wizard.preview_page.tabs.setCurrentIndex(2)
    assert not wizard.grab().isNull()
    wizard.grab().save(str(tmp_path / "import-preview.png"))
