"""Every setting of the desktop client, declared once, read and written through QSettings.

QSettings stores them per user (the registry on Windows). Window geometry, splitter positions
and table column layouts are kept here too, under ``layout/``. The first frame reads settings,
so ``Setting`` is a plain class: a dataclass costs ~0.7 ms to create
(tests/ui/test_start_imports.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, SupportsInt, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from mou_desk import paths
from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage

ORGANIZATION = "MoU Desk"
APPLICATION = "MoU Desk"

T = TypeVar("T", str, int, bool)


class Setting(Generic[T]):
    """A key in QSettings with its default and type."""

    __slots__ = ("default", "key", "kind")
    key: str
    default: T
    kind: type[T]

    def __init__(self, key: str, default: T, kind: type[T]) -> None:
        self.key = key
        self.default = default
        self.kind = kind

    def __repr__(self) -> str:
        return f"Setting({self.key!r}, {self.default!r}, {self.kind.__name__})"


#: database file or URL; empty means the default file in the data folder (applied on restart)
DATABASE: Setting[str] = Setting("database/location", "", str)
#: the clerk's name, recorded in every change; empty means the login name
CLERK: Setting[str] = Setting("clerk/name", "", str)
STALE_DAYS: Mapping[Stage, Setting[int]] = {
    stage: Setting(f"stale/{stage.value}", days, int) for stage, days in DEFAULT_STALE_DAYS.items()
}
#: "off", "exit" (on closing) or "daily" (at the first start of a day)
BACKUP_MODE: Setting[str] = Setting("backup/mode", "daily", str)
BACKUP_KEEP: Setting[int] = Setting("backup/keep", 10, int)
#: empty means the backups folder in the data folder
BACKUP_FOLDER: Setting[str] = Setting("backup/folder", "", str)
#: ISO date-time of the last automatic backup
BACKUP_LAST: Setting[str] = Setting("backup/last", "", str)
#: the screen shown at start (the one shown when the window was last closed)
START_PAGE: Setting[str] = Setting("window/page", "dashboard", str)
#: the MoU table's order when the window was last closed, "<column> asc|desc"; empty if not known
MOUS_SORT: Setting[str] = Setting("mous/sort", "", str)
#: the last day the start-up notice of due follow-ups was shown (days closed are caught up)
NOTICE_LAST: Setting[str] = Setting("followups/notice_last", "", str)

BACKUP_MODES = ("off", "exit", "daily")


class Settings:
    """Typed access to QSettings. Pass a QSettings to use another store (tests)."""

    def __init__(self, store: QSettings | None = None) -> None:
        if store is None:
            # The default format: the registry on Windows; tests switch it to INI in a temp dir.
            store = QSettings(
                QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )
        self.store = store

    def get(self, setting: Setting[T]) -> T:
        raw = self.store.value(setting.key, None)
        if raw is None:
            return setting.default
        try:
            if setting.kind is bool:
                value: Any = raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true")
            elif setting.kind is int:
                if not isinstance(raw, str | bytes | SupportsInt):
                    raise TypeError(raw)  # as int() would: falls back to the default below
                value = int(raw)
            else:
                value = str(raw)
        except (TypeError, ValueError):
            return setting.default
        return value  # type: ignore[no-any-return]

    def set(self, setting: Setting[T], value: T) -> None:
        self.store.setValue(setting.key, value)

    def sync(self) -> None:
        self.store.sync()

    # -- derived values ------------------------------------------------------------------------

    def clerk(self) -> str:
        name = self.get(CLERK).strip()
        if name:
            return name
        import getpass  # not before the first frame: it loads pwd and termios

        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return ""

    def stale_thresholds(self) -> dict[Stage, int]:
        return {stage: max(1, self.get(setting)) for stage, setting in STALE_DAYS.items()}

    def backup_folder(self) -> Path:
        folder = self.get(BACKUP_FOLDER).strip()
        return Path(folder).expanduser() if folder else paths.backups_dir()

    def last_backup(self) -> datetime | None:
        text = self.get(BACKUP_LAST)
        try:
            return datetime.fromisoformat(text) if text else None
        except ValueError:
            return None

    def last_notice(self) -> date | None:
        text = self.get(NOTICE_LAST)
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    # -- layout: geometry, splitters, table headers --------------------------------------------

    def layout(self, name: str) -> QByteArray | None:
        raw = self.store.value(f"layout/{name}", None)
        if isinstance(raw, QByteArray) and not raw.isEmpty():
            return raw
        if isinstance(raw, (bytes, bytearray)) and raw:
            return QByteArray(bytes(raw))
        return None

    def set_layout(self, name: str, state: QByteArray) -> None:
        self.store.setValue(f"layout/{name}", state)

    def value(self, key: str, default: Any = None) -> Any:
        """Free-form keys for views that keep small UI state (e.g. ``mous/visible_columns``)."""
        return self.store.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.store.setValue(key, value)
