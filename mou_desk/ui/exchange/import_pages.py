"""The first two pages of the import wizard: the file, then the sheet and its columns.

A workbook exported by MoU Desk is recognised by its sheets and needs no mapping. For a layout
of finance's own, the clerk picks the sheet and what its rows are, checks the header row found
(titles above the table are skipped) and says which field each column carries; the mapping can
be saved by name and used again (also by ``mou-desk import --mapping NAME``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from mou_desk.domain.errors import DeskError
from mou_desk.exchange.workbook_import import ColumnMapping, guess_mapping, sheet_layouts, targets
from mou_desk.exchange.workbook_reader import SheetData
from mou_desk.services import imports
from mou_desk.ui.errors import message_for
from mou_desk.ui.tasks import TaskContext

if TYPE_CHECKING:
    from mou_desk.ui.exchange.import_wizard import ImportWizard

ERROR_STYLE = "color: #a8261b;"


def kinds() -> list[tuple[str, str]]:
    from PySide6.QtCore import QCoreApplication

    return [
        ("mou", QCoreApplication.translate("ImportWizard", "MoUs")),
        ("partner", QCoreApplication.translate("ImportWizard", "Partners")),
        ("contact", QCoreApplication.translate("ImportWizard", "Contacts")),
        ("followup", QCoreApplication.translate("ImportWizard", "Follow-ups")),
    ]


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Choose the workbook"))
        self.setSubTitle(
            self.tr(
                "An export from MoU Desk that finance edited, or a workbook in a layout of its own "
                "(.xlsx, .xlsm, .ods or .csv). The file itself is never changed."
            )
        )
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("pathEdit")
        self.browse_button = QPushButton(self.tr("Choose…"))
        self.message = QLabel()
        self.message.setObjectName("fileMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.path_edit.textChanged.connect(self._on_path_edit_text_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    @Slot(str)
    def _on_path_edit_text_changed(self, _text: str) -> None:
        self.message.clear()
        self.completeChanged.emit()

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a workbook"),
            self.path_edit.text(),
            self.tr("Workbooks (*.xlsx *.xlsm *.xlsb *.ods *.csv);;All files (*)"),
        )
        if name:
            self.path_edit.setText(name)

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip())
        try:
            sheets = imports.workbook_sheets(path)
        except DeskError as exc:
            self.message.setText(message_for(exc))
            return False
        if not sheets:
            self.message.setText(self.tr("The workbook has no sheets to import."))
            return False
        self._wizard.path = path
        self._wizard.sheets = sheets
        self._wizard.standard = [name for name, _ in sheet_layouts(sheets)]
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.sheet_data: SheetData | None = None
        self.setTitle(self.tr("Sheet and columns"))
        self.standard_label = QLabel()
        self.standard_label.setObjectName("standardLabel")
        self.standard_label.setWordWrap(True)
        self.custom_check = QCheckBox(self.tr("Map the columns myself instead"))
        self.custom_check.setObjectName("customCheck")
        self.sheet_box = QComboBox()
        self.sheet_box.setObjectName("sheetBox")
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kindBox")
        for key, label in kinds():
            self.kind_box.addItem(label, key)
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("headerSpin")
        self.header_spin.setRange(1, 1000)
        self.saved_box = QComboBox()
        self.saved_box.setObjectName("savedBox")
        self.use_button = QPushButton(self.tr("Use"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("mappingName")
        self.name_edit.setPlaceholderText(self.tr("Name, e.g. Finance proposals"))
        self.save_button = QPushButton(self.tr("Save mapping"))
        self.save_button.setObjectName("saveMappingButton")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("columnsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Column in the workbook"), self.tr("First value"), self.tr("MoU Desk field")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("mappingMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Sheet"), self.sheet_box)
        form.addRow(self.tr("Its rows are"), self.kind_box)
        form.addRow(self.tr("Header on row"), self.header_spin)
        saved = QHBoxLayout()
        saved.addWidget(self.saved_box, 1)
        saved.addWidget(self.use_button)
        form.addRow(self.tr("Saved mapping"), saved)
        save = QHBoxLayout()
        save.addWidget(self.name_edit, 1)
        save.addWidget(self.save_button)
        form.addRow(self.tr("Save as"), save)
        self.mapping_area = QWidget()
        area = QVBoxLayout(self.mapping_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.addLayout(form)
        area.addWidget(self.table, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.standard_label)
        layout.addWidget(self.custom_check)
        layout.addWidget(self.mapping_area, 1)
        layout.addWidget(self.message)
        self._controls = [
            self.sheet_box,
            self.kind_box,
            self.header_spin,
            self.saved_box,
            self.use_button,
            self.name_edit,
            self.save_button,
            self.table,
        ]

        self.custom_check.toggled.connect(self._on_custom_check_toggled)
        self.sheet_box.currentIndexChanged.connect(self._on_sheet_box_changed)
        self.kind_box.currentIndexChanged.connect(self._on_kind_box_changed)
        self.header_spin.valueChanged.connect(self._on_header_spin_changed)
        self.use_button.clicked.connect(self._on_use_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)

    # -- filling -------------------------------------------------------------------------------

    def initializePage(self) -> None:
        wizard = self._wizard
        standard = bool(wizard.standard)
        self.standard_label.setVisible(standard)
        self.custom_check.setVisible(standard)
        self.custom_check.setChecked(False)
        if standard:
            self.standard_label.setText(
                self.tr(
                    "This is an MoU Desk export (sheets {0}): rows are matched by their ID and "
                    "columns by their headers, in any order."
                ).format(", ".join(wizard.standard))
            )
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        self.sheet_box.addItems(wizard.sheets)
        self.sheet_box.blockSignals(False)
        self.saved_box.clear()
        self.saved_box.addItems(imports.mapping_names(wizard.desk.db))
        self._enable(not standard)
        if not standard:
            self._read_sheet()

    def _enable(self, on: bool) -> None:
        self.mapping_area.setVisible(on)
        for widget in self._controls:
            widget.setEnabled(on)
        self.use_button.setEnabled(on and self.saved_box.count() > 0)

    @Slot(bool)
    def _on_custom_check_toggled(self, on: bool) -> None:
        self._enable(on)
        if on and self.sheet_data is None:
            self._read_sheet()

    def _read_sheet(self) -> None:
        name = self.sheet_box.currentText()
        path = self._wizard.path
        self.message.setText(self.tr("Reading sheet {0}…").format(name))

        def work(ctx: TaskContext) -> SheetData:
            return imports.read_sheet(path, name)

        self._wizard.tasks.run(
            work,
            self._on_sheet_read,
            label=self.tr("Reading the sheet"),
            on_error=self._on_read_failed,
        )

    def _on_sheet_read(self, sheet: SheetData) -> None:
        self.sheet_data = sheet
        self.message.clear()
        self._guess()

    def _on_read_failed(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message_for(exc))

    def _guess(self) -> None:
        if self.sheet_data is None:
            return
        guess = guess_mapping(self.sheet_data, self.kind())
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(guess.header_row or 1)
        self.header_spin.blockSignals(False)
        self._fill_table(guess.columns)

    def _fill_table(self, chosen: Mapping[str, str]) -> None:
        rows = self.sheet_data.rows if self.sheet_data else []
        index = self.header_spin.value() - 1
        headers = rows[index] if index < len(rows) else ()
        options = [("", self.tr("— not imported —"))] + [
            (c.field, c.header) for c in targets(self.kind())
        ]
        self.table.setRowCount(0)
        for position, header in enumerate(headers):
            if header is None or not str(header).strip():
                continue
            sample = next(
                (
                    r[position]
                    for r in rows[index + 1 :]
                    if position < len(r) and r[position] is not None
                ),
                "",
            )
            line = self.table.rowCount()
            self.table.insertRow(line)
            self.table.setItem(line, 0, QTableWidgetItem(str(header)))
            self.table.setItem(line, 1, QTableWidgetItem(str(sample)))
            box = QComboBox()
            for field, label in options:
                box.addItem(label, field)
            box.setCurrentIndex(max(0, box.findData(chosen.get(str(header), ""))))
            self.table.setCellWidget(line, 2, box)

    # -- reading the choices -------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def mapping(self, name: str = "") -> ColumnMapping:
        columns: dict[str, str] = {}
        for line in range(self.table.rowCount()):
            header = self._header(line)
            box: Any = self.table.cellWidget(line, 2)
            columns[header] = str(box.currentData() or "")
        return ColumnMapping(
            self.kind(), self.sheet_box.currentText(), self.header_spin.value(), columns, name
        )

    def _header(self, line: int) -> str:
        item = self.table.item(line, 0)
        return item.text() if item is not None else ""

    def set_field(self, header: str, field: str) -> None:
        """Map one column (the wizard's tests and a saved mapping use it)."""
        for line in range(self.table.rowCount()):
            if self._header(line) == header:
                box: Any = self.table.cellWidget(line, 2)
                box.setCurrentIndex(max(0, box.findData(field)))

    @Slot(int)
    def _on_sheet_box_changed(self, _index: int) -> None:
        self.sheet_data = None
        if self.custom_check.isChecked() or not self._wizard.standard:
            self._read_sheet()

    @Slot(int)
    def _on_kind_box_changed(self, _index: int) -> None:
        self._guess()

    @Slot(int)
    def _on_header_spin_changed(self, _value: int) -> None:
        self._fill_table(self.mapping().columns if self.table.rowCount() else {})

    @Slot()
    def _on_use_button_clicked(self) -> None:
        try:
            saved = imports.load_mapping(self._wizard.desk.db, self.saved_box.currentText())
        except DeskError as exc:
            self.message.setText(message_for(exc))
            return
        self.kind_box.blockSignals(True)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(saved.record_type)))
        self.kind_box.blockSignals(False)
        if saved.header_row:
            self.header_spin.blockSignals(True)
            self.header_spin.setValue(saved.header_row)
            self.header_spin.blockSignals(False)
        self._fill_table(dict(saved.columns))
        self.name_edit.setText(saved.name)

    @Slot()
    def _on_save_button_clicked(self) -> None:
        try:
            imports.save_mapping(self._wizard.desk.db, self.mapping(self.name_edit.text()))
        except DeskError as exc:
            self.message.setText(message_for(exc))
            return
        name = self.name_edit.text().strip()
        if self.saved_box.findText(name) < 0:
            self.saved_box.addItem(name)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Mapping “{0}” saved.").format(name))

    def validatePage(self) -> bool:
        if self._wizard.standard and not self.custom_check.isChecked():
            self._wizard.mapping = None
            return True
        mapping = self.mapping()
        if not any(mapping.columns.values()):
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(self.tr("Choose the field of at least one column."))
            return False
        self._wizard.mapping = mapping
        return True
