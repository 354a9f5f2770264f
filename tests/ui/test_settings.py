"""Settings are declared once, kept across restarts, and applied."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings

from mou_desk.domain.stages import Stage
from mou_desk.services.auto_backup import automatic_backups, backup_due, make_backup
from mou_desk.services.desk import Desk
from mou_desk.ui import settings as keys
from mou_desk.ui.settings import Settings
from mou_desk.ui.settings_dialog import SettingsDialog


def test_defaults_and_typed_values() -> None:
    settings = Settings()
    assert settings.get(keys.BACKUP_MODE) == "daily"
    assert settings.stale_thresholds()[Stage.PROPOSAL] == 45
    settings.set(keys.BACKUP_KEEP, 3)
    assert Settings().get(keys.BACKUP_KEEP) == 3


def test_settings_dialog_values_survive_a_restart(qtbot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.clerk.setText("Priya Verma")
    dialog.database.setText(str(tmp_path / "shared.sqlite3"))
    dialog.stale[Stage.SIGNING].setValue(21)
    dialog.backup_mode.setCurrentIndex(dialog.backup_mode.findData("exit"))
    dialog.backup_keep.setValue(4)
    dialog.backup_folder.setText(str(tmp_path / "backups"))
    assert dialog.database_changed()
    dialog.accept()
    # "restart": a brand-new QSettings object reads the same store
    again = Settings(QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope,
                               keys.ORGANIZATION, keys.APPLICATION))  # fmt: skip
    assert again.clerk() == "Priya Verma"
    assert again.get(keys.DATABASE) == str(tmp_path / "shared.sqlite3")
    assert again.stale_thresholds()[Stage.SIGNING] == 21
    assert again.get(keys.BACKUP_MODE) == "exit"
    assert again.get(keys.BACKUP_KEEP) == 4
    assert again.backup_folder() == tmp_path / "backups"
    reopened = SettingsDialog(again)
    qtbot.addWidget(reopened)
    assert reopened.clerk.text() == "Priya Verma"
    assert reopened.stale[Stage.SIGNING].value() == 21


def test_clerk_name_is_recorded_in_history_after_the_change(demo_desk: Desk, qtbot) -> None:
    from mou_desk.ui.main_window import MainWindow
    from mou_desk.ui.tasks import SyncTaskRunner

    settings = Settings()
    window = MainWindow(demo_desk, SyncTaskRunner(), settings, start_page="mous")
    qtbot.addWidget(window)
    settings.set(keys.CLERK, "Priya Verma")
    settings.set(keys.STALE_DAYS[Stage.DISCUSSION], 1)
    window.apply_settings(old_clerk="Test Clerk")
    assert window.desk.db.clerk == "Priya Verma"
    mou = window.desk.mous.create({"title": "Recorded by Priya"})
    assert window.desk.mous.history(mou.id)[0].actor == "Priya Verma"
    assert window.view("mous").model._thresholds[Stage.DISCUSSION] == 1


def test_automatic_backups_when_due_and_only_the_last_n_kept(desk: Desk, tmp_path: Path) -> None:
    now = datetime(2026, 3, 1, 9, 0, 0)
    assert backup_due("daily", None, now, at_exit=False)
    assert not backup_due("daily", now - timedelta(hours=2), now, at_exit=False)
    assert backup_due("daily", now - timedelta(days=1), now, at_exit=False)
    assert backup_due("exit", now, now, at_exit=True)
    assert not backup_due("exit", None, now, at_exit=False)
    assert not backup_due("off", None, now, at_exit=True)
    folder = tmp_path / "backups"
    for minute in range(4):
        make_backup(desk.db.engine, folder, 2, now + timedelta(minutes=minute))
    kept = automatic_backups(folder)
    assert [p.name for p in kept] == [
        "mou-desk-auto-20260301-090200.sqlite3", "mou-desk-auto-20260301-090300.sqlite3",
    ]  # fmt: skip
    assert kept[0].read_bytes().startswith(b"SQLite format 3")


def test_auto_backup_from_the_app_records_when(desk: Desk, tmp_path: Path) -> None:
    from mou_desk.ui.app import auto_backup
    from mou_desk.ui.tasks import SyncTaskRunner

    settings = Settings()
    settings.set(keys.BACKUP_FOLDER, str(tmp_path / "b"))
    settings.set(keys.BACKUP_MODE, "exit")
    auto_backup(desk, settings, SyncTaskRunner(), at_exit=False)
    assert automatic_backups(tmp_path / "b") == []
    auto_backup(desk, settings, SyncTaskRunner(), at_exit=True)
    assert len(automatic_backups(tmp_path / "b")) == 1
    assert settings.last_backup() is not None
