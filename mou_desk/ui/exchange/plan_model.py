"""Table models over an import plan: the preview wizard's tabs.

Each model holds compact entries (one per new row, per changed field, per conflicting field,
per problem) built once from the plan; values are shown the way the clerk reads them (names,
₹, DD-MM-YYYY) through ``ImportPreview.show``. The conflicts model is editable in one column,
"Use": MoU Desk's value (keep ours) or the workbook's (take theirs). New rows that look like an
existing MoU are checkable: "Create anyway".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from mou_desk.services import changesets as cs
from mou_desk.services.changeset_rules import field_title
from mou_desk.services.changesets import FieldPlan, RowPlan
from mou_desk.services.imports import ImportPreview, row_messages

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
WARN = QColor("#fde2e1")


class _PlanModel(QAbstractTableModel):
    """Rows of strings with a header; subclasses fill ``rows`` and may edit one column."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self.rows: list[list[str]] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None


class NewRowsModel(_PlanModel):
    """New rows; a possible duplicate is left out unless "Create anyway" is ticked."""

    confirmations_changed = Signal()

    def __init__(self, preview: ImportPreview, parent: Any = None) -> None:
        super().__init__(
            [self.tr("Row"), self.tr("Record"), self.tr("Create anyway?"), self.tr("Values")],
            parent,
        )
        self.entries = preview.plan.of_kind(cs.NEW, cs.DUPLICATE)
        self.confirmed: set[int] = set()
        self.notes: list[str] = []
        for row in self.entries:
            values = "; ".join(
                f"{field_title(row.record_type, f.field)}: {preview.show(f.field, f.theirs)}"
                for f in row.fields
                if f.kind == cs.NEW
            )
            note = " ".join(row.problems) if row.kind == cs.DUPLICATE else ""
            self.rows.append([row.source, row.label, note.split(" (")[0], values])
            self.notes.append(note)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == 2 and self.entries[index.row()].kind == cs.DUPLICATE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self.entries[index.row()]
        if row.kind == cs.DUPLICATE:
            if role == Qt.ItemDataRole.CheckStateRole and index.column() == 2:
                checked = row.index in self.confirmed
                return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(WARN)
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
                return self.notes[index.row()]
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 2:
            return False
        row = self.entries[index.row()]
        if row.kind != cs.DUPLICATE:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        (self.confirmed.add if checked else self.confirmed.discard)(row.index)
        self.dataChanged.emit(index, index, [role])
        self.confirmations_changed.emit()
        return True


class ChangesModel(_PlanModel):
    """One line per changed field: what MoU Desk has now, what the workbook brings."""

    def __init__(self, preview: ImportPreview, parent: Any = None) -> None:
        super().__init__(
            [self.tr("Row"), self.tr("Record"), self.tr("Field"), self.tr("Now"), self.tr("New")],
            parent,
        )
        for row in preview.plan.of_kind(cs.CHANGED):
            for f in row.fields:
                if f.kind == cs.CHANGED:
                    self.rows.append(
                        [
                            row.source,
                            row.label,
                            field_title(row.record_type, f.field),
                            preview.show(f.field, f.ours),
                            preview.show(f.field, f.theirs),
                        ]
                    )


class ConflictsModel(_PlanModel):
    """Fields changed both in MoU Desk and in the workbook; the "Use" column resolves each."""

    resolutions_changed = Signal()
    USE = 6

    def __init__(self, preview: ImportPreview, parent: Any = None) -> None:
        super().__init__(
            [
                self.tr("Row"),
                self.tr("Record"),
                self.tr("Field"),
                self.tr("MoU Desk now (mine)"),
                self.tr("Workbook (theirs)"),
                self.tr("Before both (original)"),
                self.tr("Use"),
            ],
            parent,
        )
        self.choices = [
            self.tr("Choose…"),
            self.tr("MoU Desk's value"),
            self.tr("Workbook's value"),
        ]
        self.entries: list[tuple[RowPlan, FieldPlan]] = []
        self.resolutions: dict[tuple[int, str], str] = {}
        for row in preview.plan.of_kind(cs.CONFLICT):
            for f in row.fields:
                if f.kind == cs.CONFLICT:
                    self.entries.append((row, f))
                    self.rows.append(
                        [
                            row.source,
                            row.label,
                            field_title(row.record_type, f.field),
                            preview.show(f.field, f.ours),
                            preview.show(f.field, f.theirs),
                            preview.show(f.field, f.original),
                            "",
                        ]
                    )

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == self.USE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def choice(self, row: int) -> str:
        plan, f = self.entries[row]
        return self.resolutions.get((plan.index, f.field), "")

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if index.column() == self.USE:
            choice = self.choice(index.row())
            if role in (DISPLAY, Qt.ItemDataRole.EditRole):
                return self.choices[{"": 0, cs.OURS: 1, cs.THEIRS: 2}[choice]]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Click to choose which value to keep")
            if role == Qt.ItemDataRole.BackgroundRole and not choice:
                return QBrush(WARN)
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != self.USE or role != Qt.ItemDataRole.EditRole:
            return False
        choice = {
            self.choices[1]: cs.OURS,
            self.choices[2]: cs.THEIRS,
            cs.OURS: cs.OURS,
            cs.THEIRS: cs.THEIRS,
        }.get(str(value), "")
        plan, f = self.entries[index.row()]
        if choice:
            self.resolutions[(plan.index, f.field)] = choice
        else:
            self.resolutions.pop((plan.index, f.field), None)
        self.dataChanged.emit(index, index, [DISPLAY])
        self.resolutions_changed.emit()
        return True

    def resolve_all(self, choice: str) -> None:
        for plan, f in self.entries:
            self.resolutions[(plan.index, f.field)] = choice
        if self.entries:
            first, last = self.index(0, self.USE), self.index(len(self.entries) - 1, self.USE)
            self.dataChanged.emit(first, last, [DISPLAY])
        self.resolutions_changed.emit()

    def unresolved(self) -> int:
        return sum(1 for plan, f in self.entries if (plan.index, f.field) not in self.resolutions)


class ProblemsModel(_PlanModel):
    """One line per problem: which row and cell, and what to do."""

    def __init__(self, preview: ImportPreview, parent: Any = None) -> None:
        super().__init__([self.tr("Row"), self.tr("Record"), self.tr("Problem")], parent)
        for row in preview.plan.of_kind(cs.INVALID):
            for message in row_messages(preview, row):
                self.rows.append([row.source, row.label, message])


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box to pick "MoU Desk's value" or "Workbook's value" in the conflicts table."""

    def __init__(self, choices: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        box.addItems(self._choices[1:])
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        current = str(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(0, editor.findText(current)))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
