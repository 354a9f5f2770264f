"""The meeting editor: when and where, who was there on both sides, which MoUs it concerns."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from mou_desk.storage.models.activity import EngagementKind
from mou_desk.ui.records.fields import ChoiceBox, LinkPicker
from mou_desk.ui.records.form import FieldSpec, RecordEditor
from mou_desk.ui.records.options import (
    MouSource,
    SmallListSource,
    contact_options,
    officer_options,
    partner_options,
    trip_options,
)
from mou_desk.ui.widgets.date_edit import DateEdit


class MeetingEditor(RecordEditor):
    """An engagement: a meeting, visit, call or roadshow, possibly part of a trip."""

    record_type = "engagement"

    def field_specs(self) -> Sequence[FieldSpec]:
        trips = ChoiceBox([("", self.tr("(not part of a trip)")), *trip_options(self.desk)])
        kinds = ChoiceBox([(k.value, k.value.capitalize()) for k in EngagementKind])
        discussion = QPlainTextEdit()
        discussion.setMaximumHeight(110)
        discussion.setPlaceholderText(self.tr("What was discussed and agreed"))
        partners = SmallListSource(partner_options(self.desk))
        contacts = SmallListSource(contact_options(self.desk))
        officers = SmallListSource(officer_options(self.desk))
        mous = MouSource(self.desk)
        return [
            FieldSpec("title", self.tr("Title"), QLineEdit(), required=True),
            FieldSpec("held_on", self.tr("Date"), DateEdit(), required=True),
            FieldSpec("kind", self.tr("Kind"), kinds),
            FieldSpec("trip_id", self.tr("Trip"), trips),
            FieldSpec("place", self.tr("Place"), QLineEdit()),
            FieldSpec("discussion", self.tr("Discussion"), discussion),
            FieldSpec(
                "partner_ids",
                self.tr("Partners"),
                LinkPicker(partners.search, partners.describe),
                page=self.tr("Partners present"),
            ),
            FieldSpec(
                "contact_ids",
                self.tr("Their people"),
                LinkPicker(contacts.search, contacts.describe),
                page=self.tr("Their people"),
            ),
            FieldSpec(
                "officer_ids",
                self.tr("Our officers"),
                LinkPicker(officers.search, officers.describe),
                page=self.tr("Our officers"),
            ),
            FieldSpec(
                "mou_ids",
                self.tr("MoUs"),
                LinkPicker(mous.search, mous.describe),
                page=self.tr("MoUs concerned"),
            ),
        ]

    def window_title(self) -> str:
        if self.record is None:
            return self.tr("New meeting")
        return self.tr("Meeting: {title}").format(title=self.record.label)
