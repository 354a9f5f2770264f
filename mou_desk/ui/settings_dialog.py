"""The Settings dialog: database, the clerk's name, stale thresholds, automatic backups."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mou_desk import paths
from mou_desk.domain.stages import Stage
from mou_desk.ui import settings as keys
from mou_desk.ui.settings import Settings


class SettingsDialog(QDialog):
    """Reads the settings when opened and writes them on OK."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        # Database
        self.database = QLineEdit(settings.get(keys.DATABASE))
        self.database.setPlaceholderText(str(paths.default_database()))
        self.database.setToolTip(
            self.tr("A database file, or an address such as postgresql://server/mou_desk")
        )
        browse_db = QPushButton(self.tr("Browse…"))
        browse_db.clicked.connect(self._on_browse_db_clicked)
        db_row = QHBoxLayout()
        db_row.addWidget(self.database, 1)
        db_row.addWidget(browse_db)
        db_box = QGroupBox(self.tr("Database"))
        db_form = QFormLayout(db_box)
        db_form.addRow(self.tr("File or address"), db_row)
        note = QLabel(self.tr("A new database is opened when MoU Desk next starts."))
        note.setStyleSheet("color: palette(placeholder-text);")
        db_form.addRow("", note)
        # Clerk
        self.clerk = QLineEdit(settings.get(keys.CLERK))
        self.clerk.setPlaceholderText(settings.clerk())
        clerk_box = QGroupBox(self.tr("You"))
        clerk_form = QFormLayout(clerk_box)
        clerk_form.addRow(self.tr("Your name (kept in every change)"), self.clerk)
        # Stale thresholds
        stale_box = QGroupBox(
            self.tr("An active MoU is stale after this many days without activity")
        )
        stale_form = QFormLayout(stale_box)
        self.stale: dict[Stage, QSpinBox] = {}
        for stage, setting in keys.STALE_DAYS.items():
            spin = QSpinBox()
            spin.setRange(1, 3650)
            spin.setSuffix(self.tr(" days"))
            spin.setValue(settings.get(setting))
            stale_form.addRow(stage.label, spin)
            self.stale[stage] = spin
        # Backups
        self.backup_mode = QComboBox()
        modes = (
            ("off", self.tr("Off")),
            ("exit", self.tr("Every time MoU Desk closes")),
            ("daily", self.tr("Once a day, at the first start")),
        )
        for mode, label in modes:
            self.backup_mode.addItem(label, mode)
        self.backup_mode.setCurrentIndex(
            max(0, self.backup_mode.findData(settings.get(keys.BACKUP_MODE)))
        )
        self.backup_keep = QSpinBox()
        self.backup_keep.setRange(1, 365)
        self.backup_keep.setValue(settings.get(keys.BACKUP_KEEP))
        self.backup_folder = QLineEdit(settings.get(keys.BACKUP_FOLDER))
        self.backup_folder.setPlaceholderText(str(paths.backups_dir()))
        browse_folder = QPushButton(self.tr("Browse…"))
        browse_folder.clicked.connect(self._on_browse_folder_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(browse_folder)
        backup_box = QGroupBox(self.tr("Automatic backup"))
        backup_form = QFormLayout(backup_box)
        backup_form.addRow(self.tr("Back up"), self.backup_mode)
        backup_form.addRow(self.tr("Keep the last"), self.backup_keep)
        backup_form.addRow(self.tr("In folder"), folder_row)
        last = settings.last_backup()
        backup_form.addRow(self.tr("Last backup"), QLabel(
            last.strftime("%d-%m-%Y %H:%M") if last else self.tr("never")))  # fmt: skip
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (db_box, clerk_box, stale_box, backup_box):
            layout.addWidget(box)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def database_changed(self) -> bool:
        return self.database.text().strip() != self._settings.get(keys.DATABASE)

    def apply(self) -> None:
        """Write what the dialog shows."""
        settings = self._settings
        settings.set(keys.DATABASE, self.database.text().strip())
        settings.set(keys.CLERK, self.clerk.text().strip())
        for stage, spin in self.stale.items():
            settings.set(keys.STALE_DAYS[stage], spin.value())
        settings.set(keys.BACKUP_MODE, str(self.backup_mode.currentData()))
        settings.set(keys.BACKUP_KEEP, self.backup_keep.value())
        settings.set(keys.BACKUP_FOLDER, self.backup_folder.text().strip())
        settings.sync()

    def accept(self) -> None:
        self.apply()
        super().accept()

    @Slot()
    def _on_browse_db_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Choose or create a database"), self.database.text(),
            self.tr("MoU Desk database (*.sqlite3 *.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if name:
            self.database.setText(name)

    @Slot()
    def _on_browse_folder_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Backup folder"), self.backup_folder.text()
        )
        if folder:
            self.backup_folder.setText(folder)
