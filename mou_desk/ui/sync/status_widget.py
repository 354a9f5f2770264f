"""The status bar's replica line: "offline replica — last synced DD-MM-YYYY HH:MM", a Sync
button, and the conflicts waiting for a decision. Hidden on the shared database."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from mou_desk.services.sync import ReplicaStatus

#: a calm amber pill: noticeable at a glance, not an alarm
PILL = (
    "QLabel#replicaLabel { background: #fff4d6; color: #5c4400; border: 1px solid #e0c36a;"
    " border-radius: 8px; padding: 1px 8px; }"
)
CONFLICTS = "QToolButton#replicaConflicts { color: #a12a1f; font-weight: bold; }"


class ReplicaStatusWidget(QWidget):
    """Shows ``ReplicaStatus``; says when the clerk asks to sync or to see the conflicts."""

    sync_clicked = Signal()
    conflicts_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replicaStatus")
        self.label = QLabel()
        self.label.setObjectName("replicaLabel")
        self.label.setStyleSheet(PILL)
        self.sync_button = QToolButton()
        self.sync_button.setObjectName("replicaSync")
        self.sync_button.setText(self.tr("Sync"))
        self.sync_button.setToolTip(self.tr("Send this laptop's changes and take in the others'"))
        self.sync_button.setAutoRaise(True)
        self.conflicts_button = QToolButton()
        self.conflicts_button.setObjectName("replicaConflicts")
        self.conflicts_button.setStyleSheet(CONFLICTS)
        self.conflicts_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.conflicts_button)
        layout.addWidget(self.sync_button)
        self.sync_button.clicked.connect(self._on_sync_button_clicked)
        self.conflicts_button.clicked.connect(self._on_conflicts_button_clicked)
        self.status: ReplicaStatus | None = None
        self.show_status(None)

    def show_status(self, status: ReplicaStatus | None) -> None:
        self.status = status
        if status is None:
            self.hide()
            return
        self.label.setText(
            self.tr("Offline replica — last synced {0}").format(status.last_synced_text())
        )
        changes = (
            self.tr("{0} record(s) changed here since, not yet sent.").format(status.local_changes)
            if status.local_changes
            else self.tr("Nothing changed here since.")
        )
        self.label.setToolTip(
            self.tr("A copy of {0} ({1}) for working offline.").format(status.url, status.scope)
            + "\n"
            + changes
        )
        waiting = status.conflicts_waiting
        self.conflicts_button.setText(
            self.tr("1 conflict") if waiting == 1 else self.tr("{0} conflicts").format(waiting)
        )
        self.conflicts_button.setToolTip(self.tr("Changed here and elsewhere: choose what to keep"))
        self.conflicts_button.setVisible(waiting > 0)
        self.show()

    def set_busy(self, busy: bool) -> None:
        self.sync_button.setEnabled(not busy)
        if busy:
            self.sync_button.setText(self.tr("Syncing…"))
        else:
            self.sync_button.setText(self.tr("Sync"))

    @Slot()
    def _on_sync_button_clicked(self) -> None:
        self.sync_clicked.emit()

    @Slot()
    def _on_conflicts_button_clicked(self) -> None:
        self.conflicts_clicked.emit()
