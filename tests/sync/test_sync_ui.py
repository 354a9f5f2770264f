"""The replica line in the status bar, the Sync action and the conflicts dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from mou_desk.services.desk import Desk
from mou_desk.services.sync import list_conflicts
from mou_desk.ui.sync import SyncUi, install_sync
from mou_desk.ui.sync.conflicts_model import DECISION, MINE, THEIRS
from mou_desk.ui.tasks import SyncTaskRunner
from tests.sync.test_sync_basics import make_replica, portfolio


@pytest.fixture
def laptop(
    shared_sqlite: tuple[Desk, str], tmp_path: Path
) -> Iterator[tuple[Desk, Desk, dict[str, str]]]:
    desk, url = shared_sqlite
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3", clerk="Laptop")
    yield desk, replica, ids
    replica.close()


def window_for(qtbot, desk: Desk | None) -> tuple[QMainWindow, SyncUi]:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1100, 300)
    tasks = SyncTaskRunner(window)
    ui = install_sync(window, tasks, lambda: desk)
    return window, ui


def clash(shared: Desk, replica: Desk, mou_id: str) -> None:
    for copy, text in ((replica, "from the trip"), (shared, "from the office")):
        record = copy.mous.get(mou_id)
        copy.mous.update(mou_id, {"notes": text}, record.version)


def test_the_shared_database_shows_no_replica_line(qtbot, shared_sqlite) -> None:  # type: ignore[no-untyped-def]
    desk, _url = shared_sqlite
    window, ui = window_for(qtbot, desk)
    window.show()
    assert not ui.status_widget.isVisible()
    # the menu is there for what the shared side does: a laptop's sync file, a new replica
    assert ui.menu.menuAction().isVisible()
    assert ui.apply_file_action.isVisible() and ui.replica_action.isVisible()
    for replica_only in (ui.sync_action, ui.conflicts_action, ui.write_file_action):
        assert not replica_only.isVisible() and not replica_only.isEnabled()


def test_the_menu_waits_for_the_database(qtbot) -> None:  # type: ignore[no-untyped-def]
    _window, ui = window_for(qtbot, None)
    assert not ui.menu.menuAction().isVisible()
    assert not any(action.isVisible() for action in ui.menu.actions() if not action.isSeparator())


def test_the_replica_line_says_when_it_was_last_synced(qtbot, laptop) -> None:  # type: ignore[no-untyped-def]
    _shared, replica, _ids = laptop
    window, ui = window_for(qtbot, replica)
    window.show()
    label = ui.status_widget.label.text()
    assert label.startswith("Offline replica — last synced ")
    assert label[-16:-6].count("-") == 2  # DD-MM-YYYY HH:MM
    assert "the whole database" in ui.status_widget.label.toolTip()
    assert ui.status_widget.isVisible() and ui.sync_action.isVisible()
    assert not ui.status_widget.conflicts_button.isVisible()
    assert ui.write_file_action.isVisible() and ui.apply_file_action.isVisible()
    assert not ui.replica_action.isVisible()  # a replica is taken from the shared database


def test_sync_button_syncs_and_shows_the_conflicts(qtbot, laptop, qtmodeltester, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shared, replica, ids = laptop
    window, ui = window_for(qtbot, replica)
    window.show()
    clash(shared, replica, ids["pharma"])
    record = shared.partners.get(ids["partner"])
    shared.partners.update(record.id, {"city": "Kyoto"}, record.version)
    with qtbot.waitSignal(ui.synced) as done:
        qtbot.mouseClick(ui.status_widget.sync_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert result.pulled == 1 and result.conflicts_waiting == 1
    assert replica.partners.get(ids["partner"]).values["city"] == "Kyoto"
    assert "1 conflict(s) wait for your decision" in window.statusBar().currentMessage()
    assert ui.status_widget.conflicts_button.isVisible()
    assert ui.status_widget.conflicts_button.text() == "1 conflict"
    dialog = ui.dialog  # opened on its own: a new conflict to decide
    assert dialog is not None and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    model = dialog.model
    assert model.data(model.index(0, MINE)) == "from the trip"
    assert model.data(model.index(0, THEIRS)) == "from the office"
    assert dialog.mine_label.text() == "from the trip"
    window.grab().save(str(tmp_path / "window.png"))
    dialog.grab().save(str(tmp_path / "conflicts.png"))
    qtbot.mouseClick(dialog.keep_theirs, Qt.MouseButton.LeftButton)
    assert list_conflicts(replica.db)[0].decision == "theirs"
    assert model.data(model.index(0, DECISION)) == "Keep theirs (next sync)"
    assert not ui.status_widget.conflicts_button.isVisible()  # decided: none waiting
    with qtbot.waitSignal(ui.synced):
        qtbot.mouseClick(dialog.sync_now, Qt.MouseButton.LeftButton)
    assert replica.mous.get(ids["pharma"]).values["notes"] == "from the office"
    assert list_conflicts(replica.db) == []


def test_a_failed_sync_is_reported_and_the_button_comes_back(qtbot, laptop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _shared, replica, _ids = laptop
    _window, ui = window_for(qtbot, replica)
    shown: list[BaseException] = []
    monkeypatch.setattr(ui.tasks, "report_error", shown.append)
    monkeypatch.setattr(
        "mou_desk.ui.sync.controller.sync",
        lambda *a, **k: (_ for _ in ()).throw(ConnectionError("no network")),
    )
    ui.start_sync()
    assert isinstance(shown[0], ConnectionError)
    assert ui.status_widget.sync_button.isEnabled() and ui.sync_action.isEnabled()
    assert ui.status_widget.sync_button.text() == "Sync"
