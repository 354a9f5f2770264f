"""What is due, as the main window tells it: the status bar's count of overdue and due-today
follow-ups, and the once-a-day start-up notice (ui.followups.notice) that catches up the days
MoU Desk was closed.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from mou_desk.ui import settings as keys
from mou_desk.ui.settings import Settings
from mou_desk.ui.tasks import TaskContext, TaskRunner

if TYPE_CHECKING:
    from mou_desk.services.desk import Desk


class DueFollowUpsLabel(QLabel):
    """ "Follow-ups: 2 overdue, 1 due today", red while anything is overdue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The height of a line from the start: the status bar keeps its height when the
        # counts come, and the screen above it does not move. (The colour is set through the
        # palette: a style sheet would make the label taller.)
        self.setMinimumHeight(self.fontMetrics().height())

    def count(self, desk: Desk, tasks: TaskRunner) -> None:
        """Count overdue and due-today follow-ups on a worker, then show the counts."""
        from mou_desk.services.dashboard import followups_due

        db = desk.db

        def work(_ctx: TaskContext) -> tuple[int, int]:
            today = db.today()
            due = followups_due(db, until=today)
            overdue = sum(1 for f in due if f.due_on < today)
            return overdue, len(due) - overdue

        tasks.run(work, self.show_counts, quiet=True, label=self.tr("Follow-ups"))

    def show_counts(self, counts: tuple[int, int]) -> None:
        overdue, today = counts
        from PySide6.QtGui import QColor, QPalette

        from mou_desk.ui.mous.look import OVERDUE_RGB  # the MoU table's overdue colour

        palette = QPalette()  # nothing set: the window's colours
        if overdue:
            palette.setColor(QPalette.ColorRole.WindowText, QColor(*OVERDUE_RGB))
        self.setPalette(palette)
        if not overdue and not today:
            self.setText(self.tr("No follow-ups due today"))
            return
        self.setText(self.tr("Follow-ups: {0} overdue, {1} due today").format(overdue, today))


def show_startup_notice(desk: Desk, settings: Settings, parent: QWidget) -> None:
    """Once a day: what is overdue or due today, including days the app was closed."""
    today = date.today()
    last = settings.last_notice()
    if last == today:
        return
    try:
        notice = importlib.import_module("mou_desk.ui.followups.notice")
    except ImportError:
        return
    notice.show_startup_notice(desk, parent, last)
    settings.set(keys.NOTICE_LAST, today.isoformat())
