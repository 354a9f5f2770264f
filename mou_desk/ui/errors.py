"""Errors shown to the clerk: a message to act on, details that can be copied, and a log file.

A DeskError carries a message written for a clerk and is shown as it is. Anything else is a
fault in the program: the clerk sees a plain sentence, the log file's path, and the details
(the traceback) in a box they can copy into an e-mail to IT. The log file and the hook for
uncaught errors are set up by ui.error_log.
"""

from __future__ import annotations

import logging
import traceback

# QtCore.Qt is looked up when used: the first frame must not build the Qt namespace (ui.mous.look)
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mou_desk import paths
from mou_desk.domain.errors import DeskError, ValidationError

log = logging.getLogger("mou_desk.ui")


def message_for(exc: BaseException) -> str:
    """The sentence a clerk sees for an error."""
    if isinstance(exc, ValidationError):
        return "\n".join(
            f"{_field_label(name)}: {text}" if name else text for name, text in exc.problems.items()
        )
    if isinstance(exc, DeskError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return QCoreApplication.translate(
            "errors", "The computer ran out of memory. Close other programs and try again."
        )
    if isinstance(exc, OSError):
        return QCoreApplication.translate("errors", "A file could not be used: {0}").format(
            exc.strerror or exc
        )
    return QCoreApplication.translate(
        "errors",
        "Something went wrong inside MoU Desk. Your saved work is safe. "
        "If it happens again, send the details below to IT.",
    )


def _field_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def details_for(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class ErrorDialog(QDialog):
    """A clear message, the log file's location and copyable details."""

    def __init__(
        self, message: str, details: str = "", parent: QWidget | None = None, *, title: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("MoU Desk — problem"))
        self.setObjectName("errorDialog")
        layout = QVBoxLayout(self)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout.addWidget(self.message_label)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setVisible(bool(details))
        self.details.setMinimumHeight(160)
        layout.addWidget(self.details)
        log_path = paths.log_file()
        self.log_label = QLabel(self.tr("Details are also written to {0}").format(log_path))
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setVisible(bool(details))
        layout.addWidget(self.log_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setVisible(bool(details))  # after addButton, which shows it
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(560, 360 if details else 160)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        text = f"{self.message_label.text()}\n\n{self.details.toPlainText()}"
        QGuiApplication.clipboard().setText(text)


def error_dialog(parent: QWidget | None, exc: BaseException) -> ErrorDialog:
    """The dialog for ``exc``: clerk-facing errors without details, faults with them."""
    clerk_facing = isinstance(exc, DeskError)
    details = "" if clerk_facing else details_for(exc)
    return ErrorDialog(message_for(exc), details, parent)


#: dialogs kept alive while shown (they are opened non-modally to never block an event loop)
_open_dialogs: list[ErrorDialog] = []


def show_error(parent: QWidget | None, exc: BaseException, *, logged: bool = False) -> ErrorDialog:
    """Log and show an error without blocking (QDialog.open, not exec)."""
    if not logged and not isinstance(exc, DeskError):
        log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    dialog = error_dialog(parent, exc)
    dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.append(dialog)
    dialog.destroyed.connect(lambda *_: _forget(dialog))
    dialog.open()
    return dialog


def _forget(dialog: ErrorDialog) -> None:
    if dialog in _open_dialogs:
        _open_dialogs.remove(dialog)
