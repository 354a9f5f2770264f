"""Take a replica for a trip: a copy of the shared database (whole, a trip's MoUs or a
sector's) in a new file for a laptop, optionally encrypted with a passphrase.

The same as ``mou-desk replica create --from URL FILE [--trip T] [--sector S] [--passphrase]``:
the copy runs on the task runner (Cancel stops it between tables and leaves no file behind),
then the clerk is told where the file is and how to open it.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.errors import DeskError
from mou_desk.services.desk import Desk
from mou_desk.services.listing import distinct_values
from mou_desk.services.sync import ReplicaMade, create_replica, encryption_available
from mou_desk.ui.errors import message_for
from mou_desk.ui.sync.sync_files import documents_folder
from mou_desk.ui.tasks import TaskContext, TaskRunner

SUFFIX = ".sqlite3"
ERROR_STYLE = "color: #a8261b;"
#: characters a file name on Windows cannot hold
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def file_name_for(scope: str) -> str:
    """A file name for a replica of ``scope`` (a trip's or a sector's name, or "")."""
    cleaned = " ".join(UNSAFE.sub(" ", scope).split()).strip(" .")
    return f"MoU Desk replica{' - ' + cleaned if cleaned else ''}{SUFFIX}"


class ReplicaDialog(QDialog):
    """Chooses the file, the part and the passphrase; ``replica_made`` (a ReplicaMade) after."""

    replica_made = Signal(object)

    def __init__(self, desk: Desk, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replicaDialog")
        self.setWindowTitle(self.tr("Take a replica for a trip"))
        self.desk = desk
        self.tasks = tasks
        self.made: ReplicaMade | None = None
        intro = QLabel(
            self.tr(
                "A replica is a copy of this database in a file for a laptop. MoU Desk works on "
                "it offline exactly as here; back at the office, Sync sends its changes and takes "
                "in everyone else's (or hand them over in a sync file)."
            )
        )
        intro.setWordWrap(True)
        self.whole = QRadioButton(self.tr("The &whole database"))
        self.by_trip = QRadioButton(self.tr("The MoUs of a &trip:"))
        self.by_sector = QRadioButton(self.tr("The MoUs of a s&ector:"))
        self.trip_box = QComboBox()
        self.trip_box.setObjectName("tripBox")
        self.trip_box.setAccessibleName(self.tr("Trip"))
        self.sector_box = QComboBox()
        self.sector_box.setObjectName("sectorBox")
        self.sector_box.setAccessibleName(self.tr("Sector"))
        self.scope = QButtonGroup(self)
        for button in (self.whole, self.by_trip, self.by_sector):
            self.scope.addButton(button)
        self.whole.setChecked(True)
        scope_grid = QGridLayout()
        scope_grid.addWidget(self.whole, 0, 0, 1, 2)
        scope_grid.addWidget(self.by_trip, 1, 0)
        scope_grid.addWidget(self.trip_box, 1, 1)
        scope_grid.addWidget(self.by_sector, 2, 0)
        scope_grid.addWidget(self.sector_box, 2, 1)
        scope_grid.setColumnStretch(1, 1)
        scope_note = QLabel(
            self.tr(
                "A trip's or a sector's replica also holds what its MoUs need: their partners "
                "and contacts, meetings, follow-ups and attached files."
            )
        )
        scope_note.setWordWrap(True)
        scope_note.setStyleSheet("color: palette(placeholder-text);")
        scope_grid.addWidget(scope_note, 3, 0, 1, 2)
        scope_group = QGroupBox(self.tr("What to take"))
        scope_group.setLayout(scope_grid)

        self._suggested = str(documents_folder() / file_name_for(""))
        self.file_edit = QLineEdit(self._suggested)
        self.file_edit.setObjectName("replicaFile")
        self.file_edit.setAccessibleName(self.tr("Replica file"))
        self.browse_button = QPushButton(self.tr("Choose…"))
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)

        self.encrypt = QCheckBox(self.tr("Encrypt the replica with a &passphrase"))
        self.passphrase = QLineEdit()
        self.passphrase_again = QLineEdit()
        for edit, name in (
            (self.passphrase, self.tr("Passphrase")),
            (self.passphrase_again, self.tr("The same passphrase again")),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(name)
            edit.setAccessibleName(name)
        self.encryption_note = QLabel()
        self.encryption_note.setWordWrap(True)
        self.secret = QFormLayout()
        self.secret.addRow(self.encrypt)
        self.secret.addRow(self.tr("Passphrase:"), self.passphrase)
        self.secret.addRow(self.tr("Again:"), self.passphrase_again)
        self.secret.addRow(self.encryption_note)
        secret_group = QGroupBox(self.tr("Protection if the laptop is lost"))
        secret_group.setLayout(self.secret)
        self.can_encrypt = encryption_available()
        self._show_encryption()

        self.problem = QLabel()
        self.problem.setObjectName("replicaProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.make_button = self.buttons.addButton(
            self.tr("&Make the replica"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.make_button.setObjectName("makeReplica")
        form = QFormLayout()
        form.addRow(self.tr("Replica file:"), file_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scope_group)
        layout.addLayout(form)
        layout.addWidget(secret_group)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)

        self.scope.buttonToggled.connect(self._on_scope_button_toggled)
        self.trip_box.currentIndexChanged.connect(self._on_choice_changed)
        self.sector_box.currentIndexChanged.connect(self._on_choice_changed)
        self.encrypt.toggled.connect(self._on_encrypt_toggled)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._load_choices()

    # -- choices -------------------------------------------------------------------------------

    def _load_choices(self) -> None:
        """Fill the trip and sector pickers from the database (on a worker)."""
        desk = self.desk

        def work(_ctx: TaskContext) -> tuple[list[tuple[str, str]], list[str]]:
            trips = sorted(
                ((trip.label, trip.id) for trip in desk.trips.all()),
                key=lambda pair: pair[0].casefold(),
            )
            return trips, distinct_values(desk.db, "sector")

        self.by_trip.setEnabled(False)
        self.by_sector.setEnabled(False)
        self.tasks.run(
            work, self._on_choices_loaded, label=self.tr("Reading trips and sectors…"), quiet=True
        )

    def _on_choices_loaded(self, choices: tuple[list[tuple[str, str]], list[str]]) -> None:
        trips, sectors = choices
        for name, trip_id in trips:
            self.trip_box.addItem(name, trip_id)
        for sector in sectors:
            self.sector_box.addItem(sector, sector)
        self.by_trip.setEnabled(bool(trips))
        self.by_sector.setEnabled(bool(sectors))
        if not trips:
            self.trip_box.setPlaceholderText(self.tr("No trips in this database"))
        if not sectors:
            self.sector_box.setPlaceholderText(self.tr("No MoU has a sector yet"))
        self._show_scope()

    def _show_scope(self) -> None:
        self.trip_box.setEnabled(self.by_trip.isChecked())
        self.sector_box.setEnabled(self.by_sector.isChecked())
        # follow the scope in the suggested name until the clerk names the file themselves
        if self.file_edit.text() == self._suggested:
            self._suggested = str(
                Path(self._suggested).with_name(file_name_for(self._scope_name()))
            )
            self.file_edit.setText(self._suggested)

    def _scope_name(self) -> str:
        if self.by_trip.isChecked():
            return self.trip_box.currentText()
        if self.by_sector.isChecked():
            return self.sector_box.currentText()
        return ""

    def _show_encryption(self) -> None:
        on = self.can_encrypt and self.encrypt.isChecked()
        self.encrypt.setEnabled(self.can_encrypt)
        self.secret.setRowVisible(self.passphrase, on)
        self.secret.setRowVisible(self.passphrase_again, on)
        if not self.can_encrypt:
            self.encryption_note.setText(
                self.tr(
                    "Encryption is not available on this computer (it needs the sqlcipher3 "
                    "package: pip install mou-desk[encryption]); the replica will be a plain file."
                )
            )
        elif on:
            self.encryption_note.setText(
                self.tr(
                    "Without the passphrase nobody can open the replica, you included: it cannot "
                    "be recovered, so keep it safe."
                )
            )
        else:
            self.encryption_note.setText(
                self.tr("Off: anyone with the laptop's files can read the replica.")
            )

    # -- making the replica --------------------------------------------------------------------

    def problems(self) -> str:
        """What stops the replica from being made as chosen ("" when nothing does)."""
        if not self.file_edit.text().strip():
            return self.tr("Choose where to save the replica.")
        if self.by_trip.isChecked() and self.trip_box.currentIndex() < 0:
            return self.tr("Choose the trip.")
        if self.by_sector.isChecked() and self.sector_box.currentIndex() < 0:
            return self.tr("Choose the sector.")
        if self.can_encrypt and self.encrypt.isChecked():
            if not self.passphrase.text():
                return self.tr("Type the passphrase twice, or untick the encryption.")
            if self.passphrase.text() != self.passphrase_again.text():
                return self.tr("The two passphrases differ; type them again.")
        return ""

    def replica_path(self) -> Path:
        path = Path(self.file_edit.text().strip()).expanduser()
        return path if path.suffix else path.with_name(path.name + SUFFIX)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problem = self.problems()
        self._say(problem)
        if problem:
            return
        desk = self.desk
        url = desk.opened.url if desk.opened is not None else str(desk.db.engine.url)
        path = self.replica_path()
        trip = self.trip_box.currentData() if self.by_trip.isChecked() else None
        sector = self.sector_box.currentData() if self.by_sector.isChecked() else None
        passphrase = (
            self.passphrase.text() if self.can_encrypt and self.encrypt.isChecked() else None
        )

        def work(ctx: TaskContext) -> ReplicaMade:
            def progress(done: int, total: int, text: str) -> None:
                ctx.raise_if_cancelled()  # between tables: the half-made copy is removed
                ctx.on_progress(done, total, text)

            return create_replica(
                desk.db, url, path, trip=trip, sector=sector, passphrase=passphrase,
                on_progress=progress,
            )  # fmt: skip

        self._set_working(True)
        self.tasks.run(
            work,
            self._on_made,
            label=self.tr("Making the replica…"),
            on_error=self._on_failed,
            on_cancelled=self._on_cancelled,
        )

    def _on_made(self, made: ReplicaMade) -> None:
        self._set_working(False)
        self.made = made
        self.replica_made.emit(made)
        self.accept()
        QMessageBox.information(self.parentWidget(), self.tr("Replica made"), self.made_text(made))

    def made_text(self, made: ReplicaMade) -> str:
        if made.filter.whole:
            scope = self.tr("the whole database")
        elif made.filter.trip is not None:
            scope = self.tr("the MoUs of the trip {0}").format(self.trip_box.currentText())
        else:
            scope = self.tr("the MoUs of the sector {0}").format(made.filter.sector)
        total = sum(made.records.values())
        parts = [
            self.tr("The replica is ready: {0}").format(made.path),
            self.tr("It holds {0}: {1} MoU(s) and {2} other record(s).").format(
                scope, made.mous, total - made.mous
            ),
            self.tr(
                "To work on it offline, copy it to the laptop and open it there: choose it as "
                "the database in File > Settings… (MoU Desk opens it when it next starts), or "
                'start MoU Desk with  mou-desk --db "{0}"'
            ).format(made.path),
        ]
        if self.can_encrypt and self.encrypt.isChecked():
            parts.append(self.tr("It is encrypted: opening it asks for its passphrase."))
        parts.append(
            self.tr(
                "Back at the office, Sync > Sync with the shared database sends its changes "
                "here; without a connection, Sync > Write a sync file… on the laptop."
            )
        )
        return "\n\n".join(parts)

    def _on_failed(self, error: BaseException) -> None:
        self._set_working(False)
        if isinstance(error, DeskError):
            self._say(message_for(error))
        else:
            self.tasks.report_error(error)

    def _on_cancelled(self) -> None:
        self._set_working(False)
        self._say(self.tr("Cancelled; no replica was made."))

    def _set_working(self, working: bool) -> None:
        for widget in (self.make_button, self.browse_button, self.file_edit, self.encrypt):
            widget.setEnabled(not working)
        if not working:
            self.encrypt.setEnabled(self.can_encrypt)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    # -- slots ---------------------------------------------------------------------------------

    @Slot(QAbstractButton, bool)
    def _on_scope_button_toggled(self, _button: QAbstractButton, _checked: bool) -> None:
        self._show_scope()

    @Slot(int)
    def _on_choice_changed(self, _index: int) -> None:
        self._show_scope()

    @Slot(bool)
    def _on_encrypt_toggled(self, _on: bool) -> None:
        self._show_encryption()

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the replica as"),
            self.file_edit.text(),
            self.tr("MoU Desk databases (*.sqlite3);;All files (*)"),
        )
        if name:
            self.file_edit.setText(name)
