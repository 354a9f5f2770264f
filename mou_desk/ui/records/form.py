"""The editor dialog every directory record uses: fields in a form, the service's validation
messages shown beside the fields they concern, saves made against the version that was loaded.

A subclass lists its fields (``field_specs``) and may add a detail area; saving, validation,
conflicts and "discard your changes?" are handled here once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.errors import ConflictError, DeskError, ValidationError
from mou_desk.services.common import RecordData
from mou_desk.services.desk import Desk
from mou_desk.services.fields import same
from mou_desk.ui.mous.conflict_dialog import ConflictDialog
from mou_desk.ui.records.fields import LinkPicker
from mou_desk.ui.records.table_model import display_text
from mou_desk.ui.widgets.date_edit import DateEdit

PROBLEM_STYLE = "color: #b00020;"


@dataclass(frozen=True)
class FieldSpec:
    """A field of the form: the record field it edits, its label and its widget."""

    name: str
    label: str
    widget: QWidget
    required: bool = False
    hint: str = ""
    #: fields with a page go on a tab of that name below the main form (long pickers)
    page: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


def read_widget(widget: QWidget) -> Any:
    if isinstance(widget, DateEdit):
        if widget.problem() and widget.text().strip():
            raise ValidationError({"": widget.problem()})
        return widget.date()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText().strip()
    return widget.value()  # type: ignore[attr-defined]


def write_widget(widget: QWidget, value: Any) -> None:
    if isinstance(widget, DateEdit):
        widget.set_date(value)
    elif isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText("" if value is None else str(value))
    else:
        widget.set_value(value)  # type: ignore[attr-defined]


def changed_signal(widget: QWidget) -> Any:
    if isinstance(widget, DateEdit):
        return widget.date_edited
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    return widget.changed  # type: ignore[attr-defined]


def same_value(a: Any, b: Any) -> bool:
    """Equal as stored: a blank text, no value and an empty list are all "nothing"."""
    blank: tuple[Any, ...] = (None, "", [])
    if a in blank and b in blank:
        return True
    return same(a, b)


def show_conflict(parent: QWidget, conflict: ConflictError) -> None:
    """Tell the clerk someone else saved first; they reload and redo their change."""
    QMessageBox.warning(
        parent,
        parent.tr("Changed by someone else"),
        parent.tr(
            "{label} was changed by someone else while you edited it. Your changes were not "
            "saved. Close this window, open the record again to see the saved values, and "
            "make your change again."
        ).format(label=conflict.label),
    )


class RecordEditor(QDialog):
    """Create (``record`` None) or edit one record of ``record_type``."""

    record_saved = Signal(object)  # RecordData
    record_type = ""

    def __init__(
        self,
        desk: Desk,
        record: RecordData | None = None,
        parent: QWidget | None = None,
        *,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.service = desk.service(self.record_type)
        self.record = record
        self.saved_record: RecordData | None = None
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(PROBLEM_STYLE)
        self.banner.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.pages = QTabWidget(self)
        self._page_forms: dict[str, QFormLayout] = {}
        self.specs: dict[str, FieldSpec] = {}
        self.problems: dict[str, QLabel] = {}
        for spec in self.field_specs():
            self._add_field(spec)
        self.pages.setVisible(bool(self._page_forms))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.pages, 1)
        self.add_below_form(layout)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._load(record.values if record else dict(initial or {}))
        self._loaded = self._read_all()
        self.setWindowTitle(self.window_title())
        self.setMinimumWidth(520)

    # ---- to override ---------------------------------------------------------------------
    def field_specs(self) -> Sequence[FieldSpec]:
        raise NotImplementedError

    def window_title(self) -> str:
        return self.record.label if self.record else self.tr("New record")

    def add_below_form(self, layout: QVBoxLayout) -> None:
        """Room for a subclass to show related records (a partner's contacts...)."""

    # ---- form ------------------------------------------------------------------------------
    def _add_field(self, spec: FieldSpec) -> None:
        problem = QLabel(self)
        problem.setStyleSheet(PROBLEM_STYLE)
        problem.setWordWrap(True)
        problem.hide()
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(spec.widget)
        column.addWidget(problem)
        if spec.hint:
            spec.widget.setToolTip(spec.hint)
        label = spec.label + (" *" if spec.required else "")
        self._form_for(spec.page).addRow(label, box)
        self.specs[spec.name] = spec
        self.problems[spec.name] = problem
        changed_signal(spec.widget).connect(lambda *_, name=spec.name: self._on_field_changed(name))

    def _form_for(self, page: str) -> QFormLayout:
        if not page:
            return self.form
        if page not in self._page_forms:
            holder = QWidget(self.pages)
            self._page_forms[page] = QFormLayout(holder)
            self.pages.addTab(holder, page)
        return self._page_forms[page]

    def widget(self, name: str) -> QWidget:
        return self.specs[name].widget

    def _load(self, values: Mapping[str, Any]) -> None:
        for name, spec in self.specs.items():
            if name in values:
                write_widget(spec.widget, values[name])

    def _read_all(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, spec in self.specs.items():
            try:
                values[name] = read_widget(spec.widget)
            except ValidationError:
                values[name] = None
        return values

    def set_value(self, name: str, value: Any) -> None:
        write_widget(self.specs[name].widget, value)

    def is_dirty(self) -> bool:
        return any(not same_value(v, self._loaded.get(k)) for k, v in self._read_all().items())

    def collect(self) -> dict[str, Any]:
        """Values to save: every field for a new record, only what changed for an existing one."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, spec in self.specs.items():
            try:
                value = read_widget(spec.widget)
            except ValidationError as exc:
                problems[name] = "; ".join(exc.problems.values())
                continue
            if spec.required and (value is None or value == ""):
                problems[name] = self.tr("is required")
            values[name] = value
        if problems:
            raise ValidationError(problems)
        if self.record is None:
            return {k: v for k, v in values.items() if v not in (None, "", [])}
        return {k: v for k, v in values.items() if not same_value(v, self.record.values.get(k))}

    # ---- problems ------------------------------------------------------------------------
    def show_problems(self, problems: Mapping[str, str]) -> None:
        self.clear_problems()
        general = []
        for name, message in problems.items():
            label = self.problems.get(name)
            if label is None:
                general.append(f"{name}: {message}" if name else message)
                continue
            label.setText(message)
            label.show()
        if general:
            self.banner.setText("\n".join(general))
            self.banner.show()
        first = next((n for n in problems if n in self.specs), None)
        if first is not None and self.specs[first].page:
            self.pages.setCurrentIndex(list(self._page_forms).index(self.specs[first].page))
        if first is not None:
            self.specs[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problems(self) -> None:
        for label in self.problems.values():
            label.hide()
        self.banner.hide()

    def problem_text(self, name: str) -> str:
        label = self.problems[name]
        return label.text() if not label.isHidden() else ""

    @Slot()
    def _on_field_changed(self, name: str) -> None:
        label = self.problems[name]
        try:
            read_widget(self.specs[name].widget)
        except ValidationError as exc:
            label.setText("; ".join(exc.problems.values()))
            label.show()
            return
        label.hide()

    # ---- saving --------------------------------------------------------------------------
    def save(self) -> bool:
        """Save through the service; on a refusal show why and keep the dialog open."""
        saved: RecordData | None
        try:
            values = self.collect()
            if self.record is None:
                saved = self.service.create(values)
            elif values:
                saved = self._update(values, self.record.version)
            else:
                saved = self.record
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return False
        except DeskError as exc:
            self.show_problems({"": str(exc)})
            return False
        if saved is None:
            return False
        self.saved_record = saved
        self.record_saved.emit(saved)
        return True

    def _update(self, values: dict[str, Any], base_version: int) -> RecordData | None:
        """Update; when someone saved meanwhile, let the clerk choose field by field."""
        assert self.record is not None
        while True:
            try:
                return self.service.update(self.record.id, values, base_version)
            except ConflictError as exc:
                if not exc.conflicts or exc.current_version < 0:
                    show_conflict(self, exc)
                    return None
                dialog = ConflictDialog(
                    exc, label_of=self.field_label, describe=self.describe_value, parent=self
                )
                accepted = dialog.exec() == QDialog.DialogCode.Accepted
                chosen = dialog.chosen()
                dialog.deleteLater()
                if not accepted:
                    return None
                values = {**values, **chosen}
                base_version = exc.current_version

    def field_label(self, name: str) -> str:
        spec = self.specs.get(name)
        return spec.label if spec is not None else name

    def describe_value(self, name: str, value: Any) -> str:
        """A value as the clerk reads it (a partner's name rather than its id)."""
        spec = self.specs.get(name)
        if spec is not None and isinstance(spec.widget, QComboBox):
            found = spec.widget.findData(getattr(value, "value", value))
            if found >= 0:
                return spec.widget.itemText(found)
        if spec is not None and isinstance(spec.widget, LinkPicker) and value:
            ids = [value] if isinstance(value, str) else list(value)
            labels = spec.widget.labels_for(ids)
            return ", ".join(labels.get(i, i) for i in ids)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return display_text(value)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()

    def reject(self) -> None:
        if self.saved_record is None and self.is_dirty():
            answer = QMessageBox.question(
                self,
                self.tr("Discard changes?"),
                self.tr("You have changed this record. Close without saving?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
