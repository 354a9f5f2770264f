"""Choose a report (portfolio, MoU dossier, trip), its filters and language; write and open it.

The PDF is written by ``services.reports.write_report`` on the task runner's worker, with
progress and a Cancel button; a cancelled or failed report leaves no file behind. The
finished file is opened with the system's PDF viewer (``QDesktopServices``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import DeskError
from mou_desk.domain.stages import Stage
from mou_desk.services.desk import Desk
from mou_desk.services.listing import distinct_values
from mou_desk.services.reports import write_report
from mou_desk.ui.errors import message_for
from mou_desk.ui.tasks import TaskContext, TaskRunner


def open_with_system_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportDialog(QDialog):
    """The report and its options; "Create report" writes it and (by default) opens it."""

    report_written = Signal(str)

    def __init__(
        self,
        desk: Desk,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        stale_days: Mapping[Stage, int] | None = None,
        opener: Callable[[Path], None] = open_with_system_viewer,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(self.tr("PDF status report"))
        self._desk = desk
        self._tasks = tasks
        self._stale_days = stale_days
        self._opener = opener
        self._running = False

        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kindBox")
        self.kind_box.addItem(self.tr("Portfolio status report"), "portfolio")
        self.kind_box.addItem(self.tr("MoU dossier (one MoU in full)"), "dossier")
        self.kind_box.addItem(self.tr("Trip report"), "trip")
        self.stage_box = QComboBox()
        self.stage_box.setObjectName("stageBox")
        self.stage_box.addItem(self.tr("All stages"), "")
        for stage, label in self._stage_labels().items():
            self.stage_box.addItem(label, stage.value)
        self.sector_box = QComboBox()
        self.sector_box.setObjectName("sectorBox")
        self.sector_box.addItem(self.tr("All sectors"), "")
        self.mou_edit = QLineEdit()
        self.mou_edit.setObjectName("mouEdit")
        self.mou_edit.setPlaceholderText(self.tr("Reference, e.g. UP-JP-2025-003"))
        self.trip_box = QComboBox()
        self.trip_box.setObjectName("tripBox")
        self.lang_box = QComboBox()
        self.lang_box.setObjectName("langBox")
        self.lang_box.addItem(self.tr("English"), "en")
        self.lang_box.addItem(self.tr("Hindi (हिन्दी)"), "hi")
        self.file_edit = QLineEdit(str(self._default_path("portfolio")))
        self.file_edit.setObjectName("fileEdit")
        self.browse_button = QPushButton(self.tr("Choose…"))
        self.open_check = QCheckBox(self.tr("Open the report when it is ready"))
        self.open_check.setChecked(True)
        self.message_label = QLabel()
        self.message_label.setObjectName("reportMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)
        self.message_label.setStyleSheet("color: #a8261b;")

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("Report"), self.kind_box)
        form.addRow(self.tr("Stage"), self.stage_box)
        form.addRow(self.tr("Sector"), self.sector_box)
        form.addRow(self.tr("MoU"), self.mou_edit)
        form.addRow(self.tr("Trip"), self.trip_box)
        form.addRow(self.tr("Language"), self.lang_box)
        form.addRow(self.tr("Save as"), file_row)
        self._form = form

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.create_button = self.buttons.addButton(
            self.tr("Create report"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("createButton")
        self.create_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.open_check)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        self.kind_box.currentIndexChanged.connect(self._on_kind_box_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._update_fields()
        self.setMinimumWidth(480)
        self._load_choices()

    # -- choices -----------------------------------------------------------------------------
    def _stage_labels(self) -> dict[Stage, str]:
        return {
            Stage.DISCUSSION: self.tr("Discussion"),
            Stage.PROPOSAL: self.tr("Proposal"),
            Stage.SIGNING: self.tr("Signing"),
            Stage.INVESTMENT: self.tr("Investment"),
        }

    def _load_choices(self) -> None:
        """Sectors, MoU references and trips, read on a worker."""
        desk = self._desk

        def work(_ctx: TaskContext) -> tuple[list[str], list[str], list[str]]:
            trips = sorted({t.label for t in desk.trips.all()}, key=str.casefold)
            return distinct_values(desk.db, "sector"), distinct_values(desk.db, "ref"), trips

        self._tasks.run(work, self._on_choices_loaded, label=self.tr("Reading"), quiet=True)

    def _on_choices_loaded(self, result: tuple[list[str], list[str], list[str]]) -> None:
        sectors, refs, trips = result
        for sector in sectors:
            self.sector_box.addItem(sector, sector)
        completer = QCompleter(refs, self.mou_edit)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        completer.setFilterMode(completer.filterMode().MatchContains)
        self.mou_edit.setCompleter(completer)
        for trip in trips:
            self.trip_box.addItem(trip, trip)

    # -- state -------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def _update_fields(self) -> None:
        kind = self.kind()
        for widget, wanted in (
            (self.stage_box, "portfolio"),
            (self.sector_box, "portfolio"),
            (self.mou_edit, "dossier"),
            (self.trip_box, "trip"),
        ):
            self._form.setRowVisible(widget, kind == wanted)
        self.adjustSize()

    def _default_path(self, kind: str) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        names = {
            "portfolio": self.tr("MoU status report"),
            "dossier": self.tr("MoU dossier"),
            "trip": self.tr("Trip report"),
        }
        return Path(folder or Path.home()) / f"{names[kind]} {format_date(date.today())}.pdf"

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def request(self) -> dict[str, Any] | None:
        """What to write, or None (with a message shown) when something is missing."""
        kind = self.kind()
        path = self.file_edit.text().strip()
        if not path:
            self._show_message(self.tr("Choose where to save the report."))
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        values: dict[str, Any] = {"path": Path(path), "kind": kind,
                                  "lang": str(self.lang_box.currentData())}  # fmt: skip
        if kind == "portfolio":
            values["stage"] = self.stage_box.currentData() or None
            values["sector"] = self.sector_box.currentData() or None
        elif kind == "dossier":
            ref = self.mou_edit.text().strip()
            if not ref:
                self._show_message(self.tr("Type the reference of the MoU."))
                return None
            values["mou_ref"] = ref
        else:
            trip = self.trip_box.currentData()
            if not trip:
                self._show_message(self.tr("There is no trip to report on yet."))
                return None
            values["trip_name"] = trip
        return values

    # -- slots -------------------------------------------------------------------------------
    @Slot(int)
    def _on_kind_box_changed(self, _index: int) -> None:
        current = Path(self.file_edit.text())
        defaults = {self._default_path(k).name for k in ("portfolio", "dossier", "trip")}
        if current.name in defaults:  # the clerk has not chosen a name: follow the kind
            self.file_edit.setText(str(current.with_name(self._default_path(self.kind()).name)))
        self._update_fields()
        self._show_message("")

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the report as"), self.file_edit.text(), self.tr("PDF (*.pdf)")
        )
        if path:
            self.file_edit.setText(path)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self._running:
            return
        request = self.request()
        if request is None:
            return
        self._show_message("")
        self._running = True
        self.create_button.setEnabled(False)
        desk, stale_days = self._desk, self._stale_days

        def work(ctx: TaskContext) -> Path:
            return write_report(
                desk, request.pop("path"), **request, stale_days=stale_days,
                on_progress=ctx.on_progress, is_cancelled=ctx.is_cancelled,
            )  # fmt: skip

        self._tasks.run(
            work, self._on_report_done, label=self.tr("Writing the report…"),
            on_error=self._on_report_failed, on_cancelled=self._on_report_cancelled,
        )  # fmt: skip

    def _finish(self) -> None:
        self._running = False
        self.create_button.setEnabled(True)

    def _on_report_done(self, path: Path) -> None:
        self._finish()
        self.report_written.emit(str(path))
        if self.open_check.isChecked():
            self._opener(path)
        self.accept()

    def _on_report_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, DeskError):
            self._show_message(message_for(exc))
        else:
            self._tasks.report_error(exc)

    def _on_report_cancelled(self) -> None:
        self._finish()
        self._show_message(self.tr("Cancelled; no report was written."))
