"""The start-up notice: what is overdue or due today, including what fell due while closed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.dates import format_date
from mou_desk.services.agenda import FollowUpItem, StartupNotice, startup_notice
from mou_desk.services.desk import Desk

OVERDUE_COLOR = QColor("#b00020")


class StartupNoticeDialog(QDialog):
    """Groups: due today, fell due while MoU Desk was closed, overdue from before."""

    def __init__(self, notice: StartupNotice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notice = notice
        self._listed: list[str] = []
        self.setWindowTitle(self.tr("Follow-ups needing attention"))
        intro = QLabel(self)
        intro.setWordWrap(True)
        if notice.last_seen is not None and (notice.today - notice.last_seen).days > 1:
            intro.setText(
                self.tr(
                    "MoU Desk was last opened on {date}. Everything that fell due since then "
                    "is listed below, with what is due today and what is still overdue."
                ).format(date=format_date(notice.last_seen))
            )
        else:
            intro.setText(self.tr("These follow-ups are due today or overdue."))
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(
            [self.tr("Due"), self.tr("What to do"), self.tr("Concerns"), self.tr("Owner")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self._add_group(self.tr("Due today ({n})"), notice.due_today, None)
        if notice.missed:
            title = self.tr("Fell due while MoU Desk was closed, since {date} ({n})")
            self._add_group(title, notice.missed, OVERDUE_COLOR, format_date(notice.last_seen))
        self._add_group(self.tr("Overdue ({n})"), notice.overdue, OVERDUE_COLOR)
        self.tree.expandAll()
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def _add_group(
        self, title: str, items: list[FollowUpItem], color: QColor | None, since: str = ""
    ) -> None:
        if not items:
            return
        group = QTreeWidgetItem(self.tree, [title.format(n=len(items), date=since)])
        group.setFirstColumnSpanned(True)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for item in items:
            row = QTreeWidgetItem(
                group, [format_date(item.due_on), item.title, item.concerns, item.owner]
            )
            row.setData(0, Qt.ItemDataRole.UserRole, item.id)
            self._listed.append(item.id)
            if color is not None:
                for column in range(4):
                    row.setForeground(column, QBrush(color))

    def listed_ids(self) -> list[str]:
        return list(self._listed)


def show_startup_notice(desk: Desk, parent: QWidget | None, last_seen: date | None) -> None:
    """Show what is overdue or due today, caught up since ``last_seen``; nothing to show, no dialog.

    The caller stores today's date as the new ``last_seen`` once the notice has been shown.
    """
    notice = startup_notice(desk.db, last_seen)
    if notice.empty:
        return
    dialog = StartupNoticeDialog(notice, parent)
    dialog.exec()
    dialog.deleteLater()
