"""The main window's screens: their keys, titles and view classes, in navigation order, and
the navigation list that chooses between them. A view's module is imported when the screen is
first shown, so start-up loads none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Signal, Slot
from PySide6.QtWidgets import QFrame, QListWidget, QListWidgetItem, QWidget

if TYPE_CHECKING:
    from mou_desk.services.desk import Desk
    from mou_desk.ui.tasks import TaskRunner

#: (key, module, class) of each screen, in the order of the navigation list
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("dashboard", "mou_desk.ui.dashboard.view", "DashboardView"),
    ("pipeline", "mou_desk.ui.pipeline.view", "PipelineView"),
    ("mous", "mou_desk.ui.mous.view", "MousView"),
    ("partners", "mou_desk.ui.partners.view", "PartnersView"),
    ("contacts", "mou_desk.ui.contacts.view", "ContactsView"),
    ("officers", "mou_desk.ui.officers.view", "OfficersView"),
    ("trips", "mou_desk.ui.trips.view", "TripsView"),
    ("followups", "mou_desk.ui.followups.view", "FollowUpsView"),
    ("trash", "mou_desk.ui.trash.view", "TrashView"),
)
SCREEN_KEYS = tuple(key for key, _module, _name in SCREENS)


def screen_title(key: str) -> str:
    titles = {
        "dashboard": QCoreApplication.translate("MainWindow", "Dashboard"),
        "pipeline": QCoreApplication.translate("MainWindow", "Pipeline"),
        "mous": QCoreApplication.translate("MainWindow", "MoUs"),
        "partners": QCoreApplication.translate("MainWindow", "Partners"),
        "contacts": QCoreApplication.translate("MainWindow", "Contacts"),
        "officers": QCoreApplication.translate("MainWindow", "Officers"),
        "trips": QCoreApplication.translate("MainWindow", "Trips & meetings"),
        "followups": QCoreApplication.translate("MainWindow", "Follow-ups"),
        "trash": QCoreApplication.translate("MainWindow", "Trash"),
    }
    return titles.get(key, key)


def make_screen(key: str, desk: Desk | None, tasks: TaskRunner, parent: QWidget) -> QWidget:
    """Import the screen's view module and build the view."""
    _key, module, name = next(s for s in SCREENS if s[0] == key)
    view_class = getattr(importlib.import_module(module), name)
    widget: QWidget = view_class(desk, tasks, parent)
    widget.setObjectName(widget.objectName() or f"{key}View")
    return widget


class NavigationList(QListWidget):
    """The list of screens down the left of the main window, in SCREEN_KEYS order (a row is
    its screen); Ctrl+1… are shown as tips."""

    #: the clerk chose a screen (not emitted by ``select``)
    screen_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.08)
        self.setFont(font)
        # Roomy rows and no frame without a style sheet (one costs ~6 ms at start-up).
        self.setFrameShape(QFrame.Shape.NoFrame)
        row = QSize(0, self.fontMetrics().height() + 14)
        for number, key in enumerate(SCREEN_KEYS, start=1):
            item = QListWidgetItem(screen_title(key))
            item.setToolTip(self.tr("Ctrl+{0}").format(number) if number < 10 else "")
            item.setSizeHint(row)
            self.addItem(item)
        self.setSpacing(1)
        self.setMinimumWidth(150)
        self.setMaximumWidth(260)
        self.currentRowChanged.connect(self._on_current_row_changed)

    def select(self, key: str) -> None:
        """Show ``key`` as the current screen without emitting ``screen_chosen``."""
        self.blockSignals(True)
        self.setCurrentRow(SCREEN_KEYS.index(key))
        self.blockSignals(False)

    @Slot(int)
    def _on_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(SCREEN_KEYS):
            self.screen_chosen.emit(SCREEN_KEYS[row])
