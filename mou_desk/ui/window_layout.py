"""The main window's remembered layout: size and position, the navigation splitter, the screen
shown last, and each screen's own state (column order and widths...), kept in Settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mou_desk.ui import settings as keys

if TYPE_CHECKING:
    from mou_desk.ui.main_window import MainWindow

DEFAULT_SIZE = (1280, 800)


def restore_window_layout(window: MainWindow) -> None:
    geometry = window.settings.layout("main/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    splitter = window.settings.layout("main/splitter")
    if splitter is not None:
        window.splitter.restoreState(splitter)


def save_window_layout(window: MainWindow) -> None:
    settings = window.settings
    settings.set_layout("main/geometry", window.saveGeometry())
    settings.set_layout("main/splitter", window.splitter.saveState())
    page = window.current_page()
    if page:
        settings.set(keys.START_PAGE, page)
    for widget in window.views.values():
        save = getattr(widget, "save_state", None)
        if save is not None:
            save(settings)
    settings.sync()
