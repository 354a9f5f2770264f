"""The report dialog: fields per kind, writing on the task runner, errors, cancel, opening."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mou_desk.services.desk import Desk
from mou_desk.ui.reports.dialog import ReportDialog
from mou_desk.ui.tasks import SyncTaskRunner, TaskContext


class CancellingRunner(SyncTaskRunner):
    """Runs the work at once, as if the clerk had pressed Cancel straight away."""

    def run(self, work: Callable[[TaskContext], Any], *args: Any, **kwargs: Any) -> Any:
        def cancelled(ctx: TaskContext) -> Any:
            ctx.cancel()
            return work(ctx)

        return super().run(cancelled, *args, **kwargs)


@pytest.fixture
def opened() -> list[Path]:
    return []


@pytest.fixture
def dialog(qtbot: QtBot, demo_desk: Desk, opened: list[Path], tmp_path: Path) -> ReportDialog:
    widget = ReportDialog(demo_desk, SyncTaskRunner(), opener=opened.append)
    qtbot.addWidget(widget)
    widget.file_edit.setText(str(tmp_path / "report.pdf"))
    widget.show()
    return widget


def _text(path: Path) -> str:
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in PdfReader(path).pages))


def _choose(dialog: ReportDialog, kind: str) -> None:
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(kind))


def test_fields_follow_the_kind_of_report(dialog: ReportDialog) -> None:
    assert dialog.stage_box.isVisible() and dialog.sector_box.isVisible()
    assert not dialog.mou_edit.isVisible() and not dialog.trip_box.isVisible()
    _choose(dialog, "dossier")
    assert dialog.mou_edit.isVisible() and not dialog.stage_box.isVisible()
    _choose(dialog, "trip")
    assert dialog.trip_box.isVisible() and not dialog.mou_edit.isVisible()


def test_choices_come_from_the_register(dialog: ReportDialog) -> None:
    sectors = [dialog.sector_box.itemData(i) for i in range(dialog.sector_box.count())]
    assert sectors[0] == "" and "Rare earth & magnets" in sectors
    assert dialog.trip_box.itemData(0) == "Japan delegation, July 2025"
    completer = dialog.mou_edit.completer()
    assert completer is not None and completer.model().rowCount() == 6


def test_default_file_name_follows_the_kind(qtbot: QtBot, demo_desk: Desk) -> None:
    widget = ReportDialog(demo_desk, SyncTaskRunner(), opener=lambda _p: None)
    qtbot.addWidget(widget)
    assert Path(widget.file_edit.text()).name.startswith("MoU status report")
    _choose(widget, "trip")
    assert Path(widget.file_edit.text()).name.startswith("Trip report")


def test_create_writes_opens_and_closes(
    qtbot: QtBot, dialog: ReportDialog, opened: list[Path], tmp_path: Path
) -> None:
    dialog.stage_box.setCurrentIndex(dialog.stage_box.findData("proposal"))
    dialog.lang_box.setCurrentIndex(dialog.lang_box.findData("hi"))
    with qtbot.waitSignal(dialog.report_written) as written:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "report.pdf"
    assert written.args == [str(target)] and opened == [target]
    assert dialog.result() == ReportDialog.DialogCode.Accepted
    text = _text(target)
    assert "चरण" in text and "UP-JP-2025-002" in text and "UP-JP-2025-003" not in text


def test_dossier_needs_a_known_reference(
    dialog: ReportDialog, opened: list[Path], tmp_path: Path
) -> None:
    _choose(dialog, "dossier")
    dialog.create_button.click()
    assert dialog.message_label.text() == "Type the reference of the MoU."
    dialog.mou_edit.setText("UP-XX-404")
    dialog.create_button.click()
    assert "No MoU has the reference 'UP-XX-404'" in dialog.message_label.text()
    assert dialog.isVisible() and dialog.create_button.isEnabled() and opened == []
    assert not (tmp_path / "report.pdf").exists()
    dialog.open_check.setChecked(False)
    dialog.mou_edit.setText("UP-JP-2025-003")
    dialog.create_button.click()
    assert opened == [] and "Near-net-shape" in _text(tmp_path / "report.pdf")


def test_trip_report_from_the_dialog(dialog: ReportDialog, opened: list[Path]) -> None:
    _choose(dialog, "trip")
    dialog.create_button.click()
    assert len(opened) == 1 and "Meeting with KPIA leadership" in _text(opened[0])


def test_cancel_writes_nothing(
    qtbot: QtBot, demo_desk: Desk, opened: list[Path], tmp_path: Path
) -> None:
    widget = ReportDialog(demo_desk, CancellingRunner(), opener=opened.append)
    qtbot.addWidget(widget)
    widget.file_edit.setText(str(tmp_path / "report"))
    widget.create_button.click()
    assert widget.message_label.text() == "Cancelled; no report was written."
    assert opened == [] and list(tmp_path.glob("report*")) == []
    assert widget.create_button.isEnabled()
