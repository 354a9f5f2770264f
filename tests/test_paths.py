"""The clerk's data folder on each platform (the folders platformdirs used to give)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mou_desk import paths


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("MOU_DESK_HOME", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    return tmp_path / "home"


def test_mou_desk_home_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOU_DESK_HOME", str(tmp_path / "elsewhere"))
    assert paths.data_dir() == tmp_path / "elsewhere"
    assert paths.default_database() == tmp_path / "elsewhere" / "mou-desk.sqlite3"


def test_windows_local_app_data(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(home / "AppData" / "Local"))
    assert paths.data_dir() == home / "AppData" / "Local" / "MoU Desk"
    monkeypatch.delenv("LOCALAPPDATA")
    assert paths.data_dir() == home / "AppData" / "Local" / "MoU Desk"


def test_macos_application_support(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert paths.data_dir() == home / "Library" / "Application Support" / "MoU Desk"


def test_linux_xdg_data_home(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "MoU Desk"
    monkeypatch.setenv("XDG_DATA_HOME", "  ")  # set but blank: the default, as the spec says
    assert paths.data_dir() == home / ".local" / "share" / "MoU Desk"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert paths.backups_dir() == home / ".local" / "share" / "MoU Desk" / "backups"
