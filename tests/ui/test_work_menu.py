"""The Exchange menu reaches the import wizard, export, reports and the sample portfolio."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from mou_desk.services.desk import Desk
from mou_desk.services.listing import list_mous


def make_window(desk: Desk, qtbot: QtBot) -> Any:
    from mou_desk.ui.main_window import MainWindow
    from mou_desk.ui.settings import Settings
    from mou_desk.ui.tasks import SyncTaskRunner

    window = MainWindow(desk, SyncTaskRunner(), Settings(), start_page="mous")
    qtbot.addWidget(window)
    return window


def test_load_sample_portfolio_from_the_menu(desk: Desk, qtbot: QtBot) -> None:
    window = make_window(desk, qtbot)
    assert window.demo_action.text()
    window.demo_action.trigger()
    assert len(list_mous(desk.db)) == 6
    assert "Loaded the sample portfolio" in window.statusBar().currentMessage()
    window.demo_action.trigger()  # a second time changes nothing
    assert "already" in window.statusBar().currentMessage()
    assert len(list_mous(desk.db)) == 6


@pytest.mark.parametrize(
    ("action", "dialog"),
    [
        ("import_action", "mou_desk.ui.exchange.import_wizard.ImportWizard"),
        ("export_action", "mou_desk.ui.exchange.export_dialog.ExportDialog"),
        ("report_action", "mou_desk.ui.reports.dialog.ReportDialog"),
    ],
)
def test_menu_actions_open_their_dialogs(
    desk: Desk, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, action: str, dialog: str
) -> None:
    module_name, class_name = dialog.rsplit(".", 1)
    module = __import__(module_name, fromlist=[class_name])
    opened: list[str] = []
    monkeypatch.setattr(getattr(module, class_name), "exec", lambda self: opened.append(class_name))
    window = make_window(desk, qtbot)
    getattr(window, action).trigger()
    assert opened == [class_name]


def test_the_window_has_the_sync_menu_and_the_replica_line(desk: Desk, qtbot: QtBot) -> None:
    window = make_window(desk, qtbot)
    assert window.sync_ui.sync_action.text()
    assert window.sync_ui.status_widget is not None
