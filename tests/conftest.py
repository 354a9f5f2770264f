"""Shared fixtures. Qt runs offscreen; settings, logs and backups go to the test's temp folder."""

from __future__ import annotations

import os

# Before anything imports Qt: no window system is needed (CI has none).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from mou_desk.services.desk import Desk


@pytest.fixture(autouse=True)
def _private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """MOU_DESK_HOME (logs, backups, default database) in a temp folder, never the clerk's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MOU_DESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """QSettings in INI files under a temp folder, fresh for each test."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    """A fresh, migrated SQLite database with every service wired to it."""
    opened = Desk.open(tmp_path / "t.sqlite3", clerk="Test Clerk")
    yield opened
    opened.close()


@pytest.fixture
def demo_desk(desk: Desk) -> Desk:
    """``desk`` loaded with the sample portfolio drawn from the seeds."""
    from mou_desk.services.demo import load_demo

    load_demo(desk)
    return desk
