"""Asking for the passphrase of an encrypted database file (a laptop's replica, say).

Opening tries without a passphrase first (then with ``$MOU_DESK_PASSPHRASE`` when it is set);
each ``PassphraseProblem`` after that asks the clerk, showing why the last try failed, until
the file opens or the clerk cancels. A wrong passphrase writes nothing to the file.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

ENVIRONMENT = "MOU_DESK_PASSPHRASE"


class PassphraseDialog(QDialog):
    def __init__(self, database: str, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Encrypted database"))
        self.setMinimumWidth(460)
        intro = QLabel(
            self.tr(
                "{0} is encrypted (or it is not a MoU Desk database). "
                "Type its passphrase to open it."
            ).format(database)
        )
        intro.setWordWrap(True)
        self.problem = QLabel(problem)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setVisible(bool(problem))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.passphrase.textChanged.connect(self._on_passphrase_text_changed)
        layout = QVBoxLayout(self)
        for widget in (intro, self.problem, self.passphrase, buttons):
            layout.addWidget(widget)
        self.passphrase.setFocus()

    def _on_passphrase_text_changed(self, text: str) -> None:
        self.open_button.setEnabled(bool(text))


def ask_passphrase(database: str, problem: str = "", parent: QWidget | None = None) -> str | None:
    """The passphrase the clerk typed, or None when they cancelled."""
    dialog = PassphraseDialog(database, problem, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.passphrase.text() or None


class PassphraseTries:
    """The passphrase for each try at opening ``database``: ``current`` for the next try,
    ``after(problem)`` when a try failed with a PassphraseProblem (None: the clerk gave up)."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        self.database = database
        self.parent = parent
        self.current: str | None = None
        self._kept = os.environ.get(ENVIRONMENT) or None

    def after(self, problem: str) -> str | None:
        if self.current is None and self._kept is not None:
            self.current, self._kept = self._kept, None
            return self.current
        # The first refusal (no passphrase yet) speaks of --passphrase; the dialog says it better.
        shown = problem if self.current is not None else ""
        typed = ask_passphrase(self.database, shown, self.parent)
        if typed is not None:
            self.current = typed
        return typed
