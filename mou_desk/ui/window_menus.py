"""The main window's File and Go menus and their shortcuts (Ctrl+N, Ctrl+F, Ctrl+1…).

The menus are in the first frame, empty; their items are added just after it
(``fill_main_menus``): setting the first shortcut creates PySide6's ``Qt`` namespace enums,
about 25 ms, and QAction and QKeySequence are imported only then. The Exchange and Sync menus
are added by ui.work_menu once the database is open.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from mou_desk import paths
from mou_desk.ui.screens import SCREEN_KEYS, screen_title

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QWidget

    from mou_desk.ui.main_window import MainWindow


def add_action(
    window: QWidget, text: str, shortcut: Any, slot: Callable[[], Any], menu: QMenu
) -> QAction:
    """An action in ``menu`` whose shortcut works anywhere in ``window``."""
    from PySide6.QtGui import QAction

    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


def add_main_menus(window: MainWindow) -> None:
    """The File and Go menus, still empty."""
    window.file_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&File"))
    window.go_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Go"))


def fill_main_menus(window: MainWindow) -> None:
    """File (new MoU, search, settings, log folder, quit) and Go (every screen, refresh)."""
    from PySide6.QtGui import QKeySequence

    file_menu = window.file_menu
    window.new_action = add_action(
        window, QCoreApplication.translate("MainWindow", "&New MoU"),
        QKeySequence.StandardKey.New, window.new_mou, file_menu,
    )  # fmt: skip
    window.search_action = add_action(
        window, QCoreApplication.translate("MainWindow", "&Search everything…"),
        QKeySequence.StandardKey.Find, window.open_search, file_menu,
    )  # fmt: skip
    file_menu.addSeparator()
    add_action(
        window, QCoreApplication.translate("MainWindow", "Se&ttings…"),
        QKeySequence.StandardKey.Preferences, window.open_settings, file_menu,
    )  # fmt: skip
    add_action(
        window, QCoreApplication.translate("MainWindow", "Open the &log folder"), None,
        open_log_folder, file_menu,
    )  # fmt: skip
    file_menu.addSeparator()
    add_action(
        window, QCoreApplication.translate("MainWindow", "&Quit"),
        QKeySequence.StandardKey.Quit, window.close, file_menu,
    )  # fmt: skip
    go_menu = window.go_menu
    for number, key in enumerate(SCREEN_KEYS, start=1):
        shortcut = QKeySequence(f"Ctrl+{number}") if number < 10 else None
        add_action(window, screen_title(key), shortcut, partial(window.show_page, key), go_menu)
    go_menu.addSeparator()
    add_action(
        window, QCoreApplication.translate("MainWindow", "&Refresh"),
        QKeySequence.StandardKey.Refresh, window.refresh_current, go_menu,
    )  # fmt: skip


def open_log_folder() -> None:
    # Imported here: QUrl's Python enums cost a few milliseconds before the first frame.
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_file().parent)))
