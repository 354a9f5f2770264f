"""The contact editor: a person at a partner, with the name kept exactly as typed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from mou_desk.ui.records.fields import ChoiceBox
from mou_desk.ui.records.form import FieldSpec, RecordEditor
from mou_desk.ui.records.options import partner_options


class ContactEditor(RecordEditor):
    record_type = "contact"

    def field_specs(self) -> Sequence[FieldSpec]:
        partners = ChoiceBox([("", self.tr("(no partner)")), *partner_options(self.desk)])
        name = QLineEdit()
        name.setPlaceholderText(self.tr("As written, e.g. HAYASHI Yoshikazu"))
        local = QLineEdit()
        local.setPlaceholderText(self.tr("e.g. 林 義一"))
        notes = QPlainTextEdit()
        notes.setMaximumHeight(90)
        return [
            FieldSpec("partner_id", self.tr("Partner"), partners),
            FieldSpec(
                "name",
                self.tr("Name"),
                name,
                required=True,
                hint=self.tr("Kept exactly as typed: family name first stays first."),
            ),
            FieldSpec("name_local", self.tr("Name in own script"), local),
            FieldSpec("honorific", self.tr("Honorific"), QLineEdit()),
            FieldSpec("designation", self.tr("Designation"), QLineEdit()),
            FieldSpec("email", self.tr("E-mail"), QLineEdit()),
            FieldSpec("phone", self.tr("Phone"), QLineEdit()),
            FieldSpec("notes", self.tr("Notes"), notes),
        ]

    def window_title(self) -> str:
        if self.record is None:
            return self.tr("New contact")
        return self.tr("Contact: {name}").format(name=self.record.label)
