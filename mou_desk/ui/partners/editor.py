"""The partner editor: an organisation, its name in its own script, kind and place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from mou_desk.storage.models.people import PartnerKind
from mou_desk.ui.records.fields import ChoiceBox
from mou_desk.ui.records.form import FieldSpec, RecordEditor


class PartnerEditor(RecordEditor):
    record_type = "partner"

    def field_specs(self) -> Sequence[FieldSpec]:
        local = QLineEdit()
        local.setPlaceholderText(self.tr("e.g. 田中電気株式会社"))
        notes = QPlainTextEdit()
        notes.setMaximumHeight(90)
        kinds = [(k.value, self.kind_label(k)) for k in PartnerKind]
        return [
            FieldSpec("name", self.tr("Name"), QLineEdit(), required=True),
            FieldSpec(
                "name_local",
                self.tr("Name in own script"),
                local,
                hint=self.tr("As the partner writes it (Japanese, Hindi...)"),
            ),
            FieldSpec("kind", self.tr("Kind"), ChoiceBox(kinds)),
            FieldSpec("country", self.tr("Country"), QLineEdit()),
            FieldSpec("city", self.tr("City"), QLineEdit()),
            FieldSpec("website", self.tr("Website"), QLineEdit()),
            FieldSpec(
                "sectors",
                self.tr("Sectors"),
                QLineEdit(),
                hint=self.tr("Comma-separated, e.g. Pharmaceuticals, Medical devices"),
            ),
            FieldSpec("notes", self.tr("Notes"), notes),
        ]

    def kind_label(self, kind: PartnerKind) -> str:
        labels = {
            PartnerKind.COMPANY: self.tr("Company"),
            PartnerKind.INDUSTRY_ASSOCIATION: self.tr("Industry association"),
            PartnerKind.GOVERNMENT_BODY: self.tr("Government body"),
            PartnerKind.RESEARCH_INSTITUTE: self.tr("Research institute"),
            PartnerKind.UNIVERSITY: self.tr("University"),
            PartnerKind.NETWORK: self.tr("Network"),
        }
        return labels[kind]

    def window_title(self) -> str:
        if self.record is None:
            return self.tr("New partner")
        return self.tr("Partner: {name}").format(name=self.record.label)
