"""The trip editor: a delegation trip with its dates."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from mou_desk.ui.records.form import FieldSpec, RecordEditor
from mou_desk.ui.widgets.date_edit import DateEdit


class TripEditor(RecordEditor):
    record_type = "trip"

    def field_specs(self) -> Sequence[FieldSpec]:
        name = QLineEdit()
        name.setPlaceholderText(self.tr("e.g. Japan delegation, July 2025"))
        notes = QPlainTextEdit()
        notes.setMaximumHeight(90)
        return [
            FieldSpec("name", self.tr("Name"), name, required=True),
            FieldSpec("country", self.tr("Country"), QLineEdit()),
            FieldSpec("start_on", self.tr("Starts on"), DateEdit()),
            FieldSpec("end_on", self.tr("Ends on"), DateEdit()),
            FieldSpec("notes", self.tr("Notes"), notes),
        ]

    def window_title(self) -> str:
        if self.record is None:
            return self.tr("New trip")
        return self.tr("Trip: {name}").format(name=self.record.label)
