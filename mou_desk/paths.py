"""Where MoU Desk keeps its files. Every path the app uses is derived here."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "MoU Desk"


def data_dir() -> Path:
    """The clerk's data folder (%LOCALAPPDATA%\\MoU Desk on Windows); MOU_DESK_HOME overrides."""
    override = os.environ.get("MOU_DESK_HOME")
    if override:
        return Path(override)
    # Imported here: platformdirs costs ~4 ms, and the first frame needs no data folder.
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


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
