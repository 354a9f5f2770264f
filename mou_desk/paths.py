"""Where MoU Desk keeps its files. Every path the app uses is derived here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "MoU Desk"


def data_dir() -> Path:
    """The clerk's data folder; MOU_DESK_HOME overrides it.

    Windows: %LOCALAPPDATA%\\MoU Desk (on this machine only: a roaming profile would carry a
    database between desks). macOS: ~/Library/Application Support/MoU Desk. Elsewhere:
    $XDG_DATA_HOME/MoU Desk, else ~/.local/share/MoU Desk. These are the folders platformdirs
    gave; three lines do it without the dependency, whose import cost ~3 ms at start-up.
    """
    override = os.environ.get("MOU_DESK_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "").strip()
        base = Path(local) if local else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / APP_NAME


def default_database() -> Path:
    return data_dir() / "mou-desk.sqlite3"


def backups_dir() -> Path:
    return data_dir() / "backups"


def log_file() -> Path:
    return data_dir() / "mou-desk.log"


def resources_dir() -> Path:
    """Fonts, icons and translations: beside the package in a checkout or a frozen bundle."""
    override = os.environ.get("MOU_DESK_RESOURCES")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"
