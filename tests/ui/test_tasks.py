"""The task helper: work off the GUI thread, progress after a delay, Cancel, errors."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from mou_desk.domain.errors import ValidationError
from mou_desk.ui.tasks import SyncTaskRunner, TaskContext, TaskRunner


@pytest.fixture
def runner(qtbot):
    errors: list[BaseException] = []
    tasks = TaskRunner(error_handler=lambda exc, _parent: errors.append(exc), show_after_ms=50)
    tasks.errors = errors  # type: ignore[attr-defined]
    yield tasks
    tasks.cancel_all()
    tasks.wait(5000)


def test_work_runs_on_a_worker_and_the_result_comes_back_on_the_gui_thread(runner, qtbot) -> None:
    seen = {}

    def work(_ctx: TaskContext) -> int:
        seen["worker"] = QThread.currentThread()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["done_thread"] = QThread.currentThread()

    task = runner.run(work, done, label="answer")
    with qtbot.waitSignal(runner.task_finished, timeout=5000):
        pass
    assert seen["result"] == 42
    assert seen["worker"] is not seen["done_thread"]
    assert task.label == "answer"


def test_progress_dialog_appears_late_and_cancel_stops_the_work(runner, qtbot) -> None:
    release = threading.Event()
    progress: list[tuple[int, int, str]] = []
    cancelled = []

    def work(ctx: TaskContext) -> str:
        ctx.on_progress(1, 10, "step one")
        while not ctx.is_cancelled():
            release.wait(0.01)
        ctx.raise_if_cancelled()
        return "never"

    task = runner.run(
        work, lambda _r: pytest.fail("a cancelled task has no result"), label="Importing",
        on_cancelled=lambda: cancelled.append(True),
        on_progress=lambda *a: progress.append(a),
    )  # fmt: skip
    handler = task.findChildren(object)[0] if task.findChildren(object) else None
    qtbot.waitUntil(lambda: handler is not None and handler.dialog() is not None, timeout=5000)
    dialog = handler.dialog()
    assert dialog.labelText() in ("Importing", "step one")
    qtbot.waitUntil(lambda: progress == [(1, 10, "step one")], timeout=5000)
    assert dialog.maximum() == 10
    from PySide6.QtWidgets import QPushButton

    with qtbot.waitSignal(runner.task_finished, timeout=5000):
        dialog.findChild(QPushButton).click()  # the Cancel button
    assert cancelled == [True]
    assert runner.active_count() == 0


def test_quick_work_shows_no_dialog(runner, qtbot) -> None:
    task = runner.run(lambda _ctx: 1, label="quick")
    handlers = task.findChildren(object)
    with qtbot.waitSignal(runner.task_finished, timeout=5000):
        pass
    assert all(h.dialog() is None for h in handlers if hasattr(h, "dialog"))


def test_errors_come_back_to_the_error_handler(runner, qtbot) -> None:
    def work(_ctx: TaskContext) -> None:
        raise ValidationError({"title": "is required"})

    with qtbot.waitSignal(runner.task_finished, timeout=5000):
        runner.run(work, label="failing", quiet=True)
    assert isinstance(runner.errors[0], ValidationError)


def test_on_error_takes_over_and_errors_are_logged(runner, qtbot, tmp_path) -> None:
    from mou_desk.ui.error_log import setup_logging

    log_file = setup_logging(tmp_path / "desk.log")
    caught = []

    def work(_ctx: TaskContext) -> None:
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(runner.task_finished, timeout=5000):
        runner.run(work, on_error=caught.append, quiet=True)
    assert isinstance(caught[0], RuntimeError)
    assert runner.errors == []
    assert "disk on fire" in log_file.read_text(encoding="utf-8")


def test_sync_runner_has_the_same_callbacks() -> None:
    results, errors, progress = [], [], []
    runner = SyncTaskRunner(error_handler=lambda exc, _p: errors.append(exc))

    def work(ctx: TaskContext) -> str:
        ctx.on_progress(3, 3, "done")
        return "ok"

    runner.run(work, results.append, on_progress=lambda *a: progress.append(a))
    runner.run(lambda _ctx: 1 / 0)
    assert results == ["ok"]
    assert progress == [(3, 3, "done")]
    assert isinstance(errors[0], ZeroDivisionError)


def test_error_dialog_has_copyable_details(qtbot) -> None:
    from PySide6.QtGui import QGuiApplication

    from mou_desk.ui.errors import error_dialog

    try:
        raise KeyError("boom")
    except KeyError as exc:
        dialog = error_dialog(None, exc)
    qtbot.addWidget(dialog)
    assert "Something went wrong" in dialog.message_label.text()
    assert "KeyError" in dialog.details.toPlainText()
    dialog.copy_button.click()
    assert "KeyError" in QGuiApplication.clipboard().text()
    clerk = error_dialog(None, ValidationError({"amount": "cannot be negative"}))
    qtbot.addWidget(clerk)
    assert clerk.message_label.text() == "Amount: cannot be negative"
    assert not clerk.details.isVisibleTo(clerk)
    assert not clerk.copy_button.isVisibleTo(clerk)  # nothing to copy beyond the message
    assert dialog.copy_button.isVisibleTo(dialog)
