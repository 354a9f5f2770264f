"""The Sync menu and the replica line in the status bar, wired to the sync services.

Syncing runs on the task runner (progress after half a second, Cancel works until upstream
starts writing); the window is told when records came in (``synced``) so its screens refresh.
On the shared database (not a replica) the line and the menu are hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from mou_desk.services.desk import Desk
from mou_desk.services.sync import ReplicaStatus, SyncResult, replica_status, sync
from mou_desk.ui.sync.conflicts_dialog import ConflictsDialog
from mou_desk.ui.sync.status_widget import ReplicaStatusWidget
from mou_desk.ui.tasks import TaskContext, TaskRunner

MESSAGE_MS = 15_000


class SyncUi(QObject):
    """What ``install_sync`` adds to a main window."""

    #: a sync finished (the SyncResult): records may have come in
    synced = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        tasks: TaskRunner,
        desk: Callable[[], Desk | None],
        menu: QMenu | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = tasks
        self._desk = desk
        self._syncing = False
        self.status_widget = ReplicaStatusWidget(window)
        window.statusBar().addPermanentWidget(self.status_widget)
        self.menu = menu or window.menuBar().addMenu(self.tr("S&ync"))
        self._own_menu = menu is None
        self.sync_action = QAction(self.tr("&Sync with the shared database"), window)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.conflicts_action = QAction(self.tr("&Conflicts from syncing…"), window)
        for action in (self.sync_action, self.conflicts_action):
            self.menu.addAction(action)
            window.addAction(action)
        self.sync_action.triggered.connect(self._on_sync_action_triggered)
        self.conflicts_action.triggered.connect(self._on_conflicts_action_triggered)
        self.status_widget.sync_clicked.connect(self.start_sync)
        self.status_widget.conflicts_clicked.connect(self.open_conflicts)
        self.dialog: ConflictsDialog | None = None
        self._show(None)

    # -- state ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the replica's state on a worker and show it (hidden when not a replica)."""
        desk = self._desk()
        if desk is None:
            self._show(None)
            return

        def work(_ctx: TaskContext) -> ReplicaStatus | None:
            return replica_status(desk)

        self.tasks.run(work, self._show, label=self.tr("Reading the replica's state…"), quiet=True)

    def _show(self, status: Any) -> None:
        self.status_widget.show_status(status)
        is_replica = status is not None
        for action in (self.sync_action, self.conflicts_action):
            action.setVisible(is_replica)
            action.setEnabled(is_replica and not self._syncing)
        if self._own_menu:
            self.menu.menuAction().setVisible(is_replica)

    # -- syncing -------------------------------------------------------------------------------

    @Slot()
    def start_sync(self) -> None:
        desk = self._desk()
        if desk is None or self._syncing:
            return
        self._syncing = True
        self.status_widget.set_busy(True)
        self.sync_action.setEnabled(False)

        def work(ctx: TaskContext) -> SyncResult:
            return sync(desk, ctx.on_progress, ctx.is_cancelled)

        self.tasks.run(
            work,
            self._on_sync_done,
            label=self.tr("Syncing with the shared database…"),
            on_error=self._on_sync_failed,
            on_cancelled=self._on_sync_cancelled,
        )

    def _finish(self) -> None:
        self._syncing = False
        self.status_widget.set_busy(False)
        self.sync_action.setEnabled(True)
        self.refresh()

    def _on_sync_done(self, result: SyncResult) -> None:
        self._finish()
        text = self.tr("Synced: sent {0}, took in {1}.").format(result.pushed, result.pulled)
        if result.conflicts_waiting:
            text += " " + self.tr("{0} conflict(s) wait for your decision.").format(
                result.conflicts_waiting
            )
        if result.problems:
            text += " " + self.tr("{0} record(s) could not be synced.").format(len(result.problems))
        self.window.statusBar().showMessage(text, MESSAGE_MS)
        self.synced.emit(result)
        if result.conflicts_new:
            self.open_conflicts()

    def _on_sync_failed(self, error: BaseException) -> None:
        self._finish()
        self.tasks.report_error(error)

    def _on_sync_cancelled(self) -> None:
        self._finish()
        self.window.statusBar().showMessage(
            self.tr("Sync cancelled; nothing was half-written. Sync again when ready."),
            MESSAGE_MS,
        )

    # -- conflicts -----------------------------------------------------------------------------

    @Slot()
    def open_conflicts(self) -> None:
        desk = self._desk()
        if desk is None:
            return
        if self.dialog is None:
            self.dialog = ConflictsDialog(desk, self.tasks, self.window)
            self.dialog.decided.connect(lambda _count: self.refresh())
            self.dialog.sync_requested.connect(self.start_sync)
            self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.show()
        self.dialog.raise_()

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    @Slot()
    def _on_sync_action_triggered(self) -> None:
        self.start_sync()

    @Slot()
    def _on_conflicts_action_triggered(self) -> None:
        self.open_conflicts()


def install_sync(
    window: QMainWindow,
    tasks: TaskRunner,
    desk: Callable[[], Desk | None],
    menu: QMenu | None = None,
) -> SyncUi:
    """Add the replica line to ``window``'s status bar and the Sync actions to ``menu``
    (a Sync menu of their own by default), then show the replica's state."""
    ui = SyncUi(window, tasks, desk, menu)
    ui.refresh()
    return ui
