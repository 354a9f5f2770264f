"""Export the round-trip workbook for finance: which MoUs (stage, sector) and where."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.dates import format_date
from mou_desk.domain.stages import Stage
from mou_desk.services.desk import Desk
from mou_desk.services.exports import ExportFilter, ExportResult, export_workbook
from mou_desk.services.listing import distinct_values
from mou_desk.ui.errors import message_for
from mou_desk.ui.tasks import TaskContext, TaskRunner


def _checklist(name: str) -> QListWidget:
    box = QListWidget()
    box.setObjectName(name)
    box.setMaximumHeight(110)
    return box


class ExportDialog(QDialog):
    """Writes the workbook on the task runner; ``workbook_written(path)`` when done."""

    workbook_written = Signal(str)

    def __init__(self, desk: Desk, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export a workbook for finance"))
        self._desk = desk
        self._tasks = tasks
        self.exported: ExportResult | None = None
        self.stage_list = _checklist("stageList")
        labels = {
            Stage.DISCUSSION: self.tr("Discussion"),
            Stage.PROPOSAL: self.tr("Proposal"),
            Stage.SIGNING: self.tr("Signing"),
            Stage.INVESTMENT: self.tr("Investment"),
        }
        for stage, label in labels.items():
            self._add(self.stage_list, label, stage.value)
        self.sector_list = _checklist("sectorList")
        for sector in distinct_values(desk.db, "sector"):
            self._add(self.sector_list, sector, sector)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = Path(folder or Path.home()) / self.tr("MoUs for finance {0}.xlsx").format(
            format_date(date.today())
        )
        self.file_edit = QLineEdit(str(default))
        self.file_edit.setObjectName("fileEdit")
        self.browse_button = QPushButton(self.tr("Choose…"))
        self.message = QLabel(
            self.tr(
                "Finance edits the white columns and sends the workbook back; the grey ID and "
                "Version columns let MoU Desk merge it with what changed here meanwhile."
            )
        )
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("Stages (none ticked: all)"), self.stage_list)
        form.addRow(self.tr("Sectors (none ticked: all)"), self.sector_list)
        form.addRow(self.tr("Save as"), row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(520)

    @staticmethod
    def _add(box: QListWidget, label: str, value: str) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)

    @staticmethod
    def _ticked(box: QListWidget) -> frozenset[str]:
        return frozenset(
            str(box.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(box.count())
            if box.item(i).checkState() == Qt.CheckState.Checked
        )

    def export_filter(self) -> ExportFilter:
        return ExportFilter(self._ticked(self.stage_list), self._ticked(self.sector_list))

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export a workbook"), self.file_edit.text(), "Excel (*.xlsx)"
        )
        if name:
            self.file_edit.setText(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    @Slot()
    def _on_buttons_accepted(self) -> None:
        path = Path(self.file_edit.text().strip())
        if not path.name:
            self._say(self.tr("Choose where to save the workbook."), error=True)
            return
        db, flt = self._desk.db, self.export_filter()
        written = self.tr("Wrote {0} of {1} rows")

        def work(ctx: TaskContext) -> ExportResult:
            return export_workbook(
                db,
                path,
                flt,
                is_cancelled=ctx.is_cancelled,
                on_progress=lambda done, total: ctx.on_progress(
                    done, total, written.format(f"{done:,}", f"{total:,}")
                ),
            )

        self.export_button.setEnabled(False)
        self._tasks.run(
            work,
            self._on_exported,
            label=self.tr("Writing the workbook"),
            on_error=self._on_failed,
            on_cancelled=self._on_cancelled,
        )

    def _on_exported(self, result: ExportResult) -> None:
        self.exported = result
        self.export_button.setEnabled(True)
        counts = ", ".join(f"{n:,} {name}" for name, n in result.counts.items())
        self._say(self.tr("Wrote {0}: {1}.").format(result.path.name, counts), error=False)
        self.workbook_written.emit(str(result.path))

    def _on_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self._say(message_for(exc), error=True)

    def _on_cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self._say(self.tr("Cancelled; no file was written."), error=False)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet("color: #a8261b;" if error else "")
        self.message.setText(text)
