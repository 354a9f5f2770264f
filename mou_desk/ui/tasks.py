"""The one way the desktop client runs work off the GUI thread.

``tasks.run(work, on_done, label=...)`` calls ``work(ctx)`` on a QThreadPool worker. The work
function calls services (each call is its own transaction with its own session), reports
progress with ``ctx.on_progress(done, total, text)`` and polls ``ctx.is_cancelled()`` (or calls
``ctx.raise_if_cancelled()``). Results, progress and errors come back to the GUI thread through
queued signals. A progress dialog with a Cancel button appears only if the work is still
running after about half a second. Errors are logged and shown with copyable details unless
the caller handles them (``on_error``).

Tests swap in ``SyncTaskRunner``: the same interface, the work done at once on the caller's
thread, so a test needs no waiting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# QtCore.Qt is looked up when used: the first frame must not build the Qt namespace (ui.mous.look)
from PySide6 import QtCore
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

log = logging.getLogger("mou_desk.ui.tasks")

SHOW_PROGRESS_AFTER_MS = 500
_PROGRESS_INTERVAL_S = 0.05


class TaskCancelled(Exception):
    """Raised by work that noticed the clerk pressed Cancel; not an error."""


def _is_cancellation(exc: BaseException) -> bool:
    # Exchange code may raise its own "...Cancelled" exception from its is_cancelled callback.
    return isinstance(exc, TaskCancelled) or type(exc).__name__.endswith("Cancelled")


class TaskContext:
    """What the work function is handed: progress reporting and the cancel flag."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancel = threading.Event()
        self._last_report = 0.0

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelled

    def on_progress(self, done: int, total: int = 0, text: str = "") -> None:
        """Report progress; calls closer together than 50 ms are dropped (except the last)."""
        now = time.monotonic()
        if now - self._last_report < _PROGRESS_INTERVAL_S and done < total:
            return
        self._last_report = now
        self._task.progressed.emit(int(done), int(total), str(text))

    def cancel(self) -> None:
        self._cancel.set()


class Task(QObject):
    """One piece of work; its signals arrive on the GUI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, label: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.context = TaskContext(self)
        self.running = True

    def cancel(self) -> None:
        self.context.cancel()

    def is_cancelled(self) -> bool:
        return self.context.is_cancelled()


class _Worker(QRunnable):
    def __init__(self, task: Task, work: Callable[[TaskContext], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._work = work

    def run(self) -> None:
        task = self._task
        try:
            result = self._work(task.context)
        except BaseException as exc:
            if _is_cancellation(exc):
                task.cancelled.emit()
            else:
                task.failed.emit(exc)
        else:
            task.succeeded.emit(result)
        task.finished.emit()


class TaskRunner(QObject):
    """Runs work on a thread pool and brings results, progress and errors back."""

    task_started = Signal(str)
    task_finished = Signal(str)

    def __init__(
        self,
        parent_widget: QWidget | None = None,
        *,
        error_handler: Callable[[BaseException, QWidget | None], None] | None = None,
        show_after_ms: int = SHOW_PROGRESS_AFTER_MS,
        max_threads: int = 2,
    ) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._error_handler = error_handler
        self._show_after_ms = show_after_ms
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._active: set[Task] = set()
        app = QCoreApplication.instance()
        if app is not None:
            # Python must not shut down under a worker still running Python code: that hangs.
            app.aboutToQuit.connect(self._on_app_about_to_quit)

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.cancel_all()
        self._pool.waitForDone(30_000)

    def set_parent_widget(self, widget: QWidget | None) -> None:
        """Where progress and error dialogs are shown (the main window once it exists)."""
        self._parent_widget = widget

    def run(
        self,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        label: str = "",
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        quiet: bool = False,
        cancellable: bool = True,
    ) -> Task:
        """Start ``work(ctx)``; ``on_done(result)`` runs on the GUI thread when it returns.

        ``quiet`` tasks (background refreshes) never show a progress dialog.
        """
        task = Task(label, self)
        self._connect(task, on_done, on_error, on_cancelled, on_progress)
        self._active.add(task)
        self.task_started.emit(label)
        if not quiet:
            self._arm_progress(task, cancellable)
        self._start(task, work)
        return task

    def _connect(
        self,
        task: Task,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_cancelled: Callable[[], None] | None,
        on_progress: Callable[[int, int, str], None] | None,
    ) -> None:
        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            log.error("Task %r failed", task.label, exc_info=(type(exc), exc, exc.__traceback__))
            if on_error is not None:
                on_error(exc)
            else:
                self.report_error(exc)

        def cancelled() -> None:
            if on_cancelled is not None:
                on_cancelled()

        def finished() -> None:
            task.running = False
            self._active.discard(task)
            self.task_finished.emit(task.label)
            task.deleteLater()

        task.succeeded.connect(done, QtCore.Qt.ConnectionType.QueuedConnection)
        task.failed.connect(failed, QtCore.Qt.ConnectionType.QueuedConnection)
        task.cancelled.connect(cancelled, QtCore.Qt.ConnectionType.QueuedConnection)
        task.finished.connect(finished, QtCore.Qt.ConnectionType.QueuedConnection)
        if on_progress is not None:
            task.progressed.connect(on_progress, QtCore.Qt.ConnectionType.QueuedConnection)

    def _start(self, task: Task, work: Callable[[TaskContext], Any]) -> None:
        self._pool.start(_Worker(task, work))

    def _arm_progress(self, task: Task, cancellable: bool) -> None:
        progress = _ProgressDialogHandler(task, self._parent_widget, cancellable)
        QTimer.singleShot(self._show_after_ms, progress, progress.show_if_running)

    def report_error(self, exc: BaseException) -> None:
        if self._error_handler is not None:
            self._error_handler(exc, self._parent_widget)
            return
        from mou_desk.ui.errors import show_error

        show_error(self._parent_widget, exc, logged=True)

    def active_count(self) -> int:
        return len(self._active)

    def cancel_all(self) -> None:
        for task in list(self._active):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until running work ends (at exit). Results still arrive through the event loop."""
        return self._pool.waitForDone(msecs)


class _ProgressDialogHandler(QObject):
    """Shows a QProgressDialog for a task that is still running after the delay."""

    def __init__(self, task: Task, parent_widget: QWidget | None, cancellable: bool) -> None:
        super().__init__(task)
        self._task = task
        self._parent_widget = parent_widget
        self._cancellable = cancellable
        self._dialog: QProgressDialog | None = None
        self._last = (0, 0, "")
        task.progressed.connect(self._on_task_progressed, QtCore.Qt.ConnectionType.QueuedConnection)
        task.finished.connect(self._on_task_finished, QtCore.Qt.ConnectionType.QueuedConnection)

    @Slot()
    def show_if_running(self) -> None:
        if not self._task.running or self._dialog is not None:
            return
        from PySide6.QtWidgets import QProgressDialog  # only for work that outlasts the delay

        dialog = QProgressDialog(self._parent_widget)
        dialog.setWindowTitle(self.tr("Please wait"))
        dialog.setLabelText(self._task.label or self.tr("Working…"))
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.setCancelButtonText(self.tr("Cancel"))
            dialog.canceled.connect(self._on_dialog_canceled)
        else:
            dialog.setCancelButton(None)
        self._dialog = dialog
        self._apply(*self._last)
        dialog.show()

    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _apply(self, done: int, total: int, text: str) -> None:
        if self._dialog is None:
            return
        if total > 0:
            self._dialog.setRange(0, total)
            self._dialog.setValue(min(done, total))
        else:
            self._dialog.setRange(0, 0)  # busy indicator until the work knows its size
        if text:
            self._dialog.setLabelText(text)

    @Slot(int, int, str)
    def _on_task_progressed(self, done: int, total: int, text: str) -> None:
        self._last = (done, total, text)
        self._apply(done, total, text)

    @Slot()
    def _on_dialog_canceled(self) -> None:
        self._task.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(self.tr("Cancelling…"))
            self._dialog.show()  # stays up until the work has stopped

    @Slot()
    def _on_task_finished(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


class SyncTaskRunner(TaskRunner):
    """Runs the work at once on the calling thread: for tests. Same callbacks, same order."""

    def run(
        self,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        label: str = "",
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        quiet: bool = False,
        cancellable: bool = True,
    ) -> Task:
        task = Task(label, self)
        self._connect_direct(task, on_progress)
        self.task_started.emit(label)
        try:
            result = work(task.context)
        except Exception as exc:
            if _is_cancellation(exc):
                if on_cancelled is not None:
                    on_cancelled()
            else:
                log.error("Task %r failed", label, exc_info=(type(exc), exc, exc.__traceback__))
                if on_error is not None:
                    on_error(exc)
                else:
                    self.report_error(exc)
        else:
            if on_done is not None:
                on_done(result)
        task.running = False
        self.task_finished.emit(label)
        return task

    def _connect_direct(
        self, task: Task, on_progress: Callable[[int, int, str], None] | None
    ) -> None:
        if on_progress is not None:
            task.progressed.connect(on_progress, QtCore.Qt.ConnectionType.DirectConnection)
