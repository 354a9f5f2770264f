"""The officer editor: people on our side (department officers, the consul general)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from mou_desk.ui.records.form import FieldSpec, RecordEditor


class OfficerEditor(RecordEditor):
    record_type = "officer"

    def field_specs(self) -> Sequence[FieldSpec]:
        notes = QPlainTextEdit()
        notes.setMaximumHeight(90)
        return [
            FieldSpec("name", self.tr("Name"), QLineEdit(), required=True),
            FieldSpec("name_local", self.tr("Name in own script"), QLineEdit()),
            FieldSpec("designation", self.tr("Designation"), QLineEdit()),
            FieldSpec("organisation", self.tr("Organisation"), QLineEdit()),
            FieldSpec("email", self.tr("E-mail"), QLineEdit()),
            FieldSpec("phone", self.tr("Phone"), QLineEdit()),
            FieldSpec("notes", self.tr("Notes"), notes),
        ]

    def window_title(self) -> str:
        if self.record is None:
            return self.tr("New officer")
        return self.tr("Officer: {name}").format(name=self.record.label)
