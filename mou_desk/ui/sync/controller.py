"""The Sync menu and the replica line in the status bar, wired to the sync services.

Syncing runs on the task runner (progress after half a second, Cancel works until upstream
starts writing); the window is told when records came in (``records_changed``) so its screens
refresh. On a replica the menu syncs, shows the conflicts and writes or applies sync files
(ui/sync/sync_files.py); on the shared database (not a replica) the replica line is hidden and
the menu applies a laptop's sync file or takes a replica for a trip (ui/sync/replica_dialog.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from mou_desk.services.desk import Desk
from mou_desk.services.sync import Imported, ReplicaStatus, SyncResult, replica_status, sync
from mou_desk.ui.sync.conflicts_dialog import ConflictsDialog
from mou_desk.ui.sync.replica_dialog import ReplicaDialog
from mou_desk.ui.sync.status_widget import ReplicaStatusWidget
from mou_desk.ui.sync.sync_files import SyncFiles
from mou_desk.ui.tasks import TaskContext, TaskRunner

MESSAGE_MS = 15_000


class SyncUi(QObject):
    """What ``install_sync`` adds to a main window."""

    #: a sync finished (the SyncResult): records may have come in
    synced = Signal(object)
    #: records here may have changed (a sync, a sync file applied): screens should refresh
    records_changed = Signal()

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
        self._busy = False
        self._known = False  # whether the open database's kind (replica or not) is known yet
        self.status: ReplicaStatus | None = None
        self.status_widget = ReplicaStatusWidget(window)
        window.statusBar().addPermanentWidget(self.status_widget)
        self.menu = menu or window.menuBar().addMenu(self.tr("S&ync"))
        self._own_menu = menu is None
        self.sync_action = QAction(self.tr("&Sync with the shared database"), window)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.conflicts_action = QAction(self.tr("&Conflicts from syncing…"), window)
        self.write_file_action = QAction(self.tr("&Write a sync file…"), window)
        self.write_file_action.setStatusTip(
            self.tr("This laptop's changes in a file, for the office to apply without a connection")
        )
        self.apply_file_action = QAction(self.tr("&Apply a sync file…"), window)
        self.apply_file_action.setStatusTip(
            self.tr("A laptop's changes (at the office), or the office's answer (on the laptop)")
        )
        self.replica_action = QAction(self.tr("&Take a replica for a trip…"), window)
        self.replica_action.setStatusTip(
            self.tr("Copy this database, or a trip's or a sector's part, for a laptop")
        )
        for action in (
            self.sync_action, self.conflicts_action, None,
            self.write_file_action, self.apply_file_action, None, self.replica_action,
        ):  # fmt: skip
            if action is None:
                self.menu.addSeparator()
                continue
            self.menu.addAction(action)
            window.addAction(action)
        self.sync_action.triggered.connect(self._on_sync_action_triggered)
        self.conflicts_action.triggered.connect(self._on_conflicts_action_triggered)
        self.write_file_action.triggered.connect(self._on_write_file_action_triggered)
        self.apply_file_action.triggered.connect(self._on_apply_file_action_triggered)
        self.replica_action.triggered.connect(self._on_replica_action_triggered)
        self.files = SyncFiles(window, tasks)
        self.files.started.connect(lambda: self._set_busy(True))
        self.files.finished.connect(self._finish)
        self.files.applied.connect(self._on_files_applied)
        self.replica_dialog: ReplicaDialog | None = None
        self.status_widget.sync_clicked.connect(self.start_sync)
        self.status_widget.conflicts_clicked.connect(self.open_conflicts)
        self.dialog: ConflictsDialog | None = None
        self._show(None)

    # -- state ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the replica's state on a worker and show it (hidden when not a replica)."""
        desk = self._desk()
        if desk is None:
            self._known = False
            self._show(None)
            return

        def work(_ctx: TaskContext) -> ReplicaStatus | None:
            return replica_status(desk)

        self.tasks.run(
            work, self._on_status_read, label=self.tr("Reading the replica's state…"), quiet=True
        )

    def _on_status_read(self, status: ReplicaStatus | None) -> None:
        self._known = True
        self._show(status)

    def _show(self, status: Any) -> None:
        """Replica-only actions on a replica, shared-only ones on the shared database; none
        while the database is not open yet."""
        self.status = status
        self.status_widget.show_status(status)
        is_replica = status is not None
        is_shared = self._known and not is_replica
        for action, shown in (
            (self.sync_action, is_replica),
            (self.conflicts_action, is_replica),
            (self.write_file_action, is_replica),
            (self.apply_file_action, self._known),
            (self.replica_action, is_shared),
        ):
            action.setVisible(shown)
            action.setEnabled(shown and not self._busy)
        if self._own_menu:
            self.menu.menuAction().setVisible(self._known)

    def _set_busy(self, busy: bool) -> None:
        """One sync or sync file at a time: their actions wait while one runs."""
        self._busy = busy
        self.status_widget.set_busy(busy)
        for action in (self.sync_action, self.write_file_action, self.apply_file_action):
            action.setEnabled(action.isVisible() and not busy)

    # -- syncing -------------------------------------------------------------------------------

    @Slot()
    def start_sync(self) -> None:
        desk = self._desk()
        if desk is None or self._busy:
            return
        self._set_busy(True)

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
        self._set_busy(False)
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
        self.records_changed.emit()
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

    # -- sync files and replicas ---------------------------------------------------------------

    @Slot()
    def write_sync_file(self) -> None:
        desk = self._desk()
        if desk is not None and not self._busy:
            self.files.write(desk)

    @Slot()
    def apply_sync_file(self) -> None:
        desk = self._desk()
        if desk is not None and not self._busy:
            self.files.apply(desk, on_replica=self.status is not None)

    def _on_files_applied(self, imported: Imported) -> None:
        self.records_changed.emit()
        if imported.result is not None:
            self.synced.emit(imported.result)
            if imported.result.conflicts_new:
                self.open_conflicts()

    @Slot()
    def take_replica(self) -> ReplicaDialog | None:
        desk = self._desk()
        if desk is None:
            return None
        if self.replica_dialog is None:
            dialog = ReplicaDialog(desk, self.tasks, self.window)
            dialog.finished.connect(self._on_replica_dialog_finished)
            self.replica_dialog = dialog
        self.replica_dialog.open()
        return self.replica_dialog

    def _on_replica_dialog_finished(self, _result: int) -> None:
        if self.replica_dialog is not None:
            self.replica_dialog.deleteLater()
            self.replica_dialog = None

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

    @Slot()
    def _on_write_file_action_triggered(self) -> None:
        self.write_sync_file()

    @Slot()
    def _on_apply_file_action_triggered(self) -> None:
        self.apply_sync_file()

    @Slot()
    def _on_replica_action_triggered(self) -> None:
        self.take_replica()


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
