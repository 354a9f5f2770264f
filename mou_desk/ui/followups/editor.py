"""The follow-up editor: a task with an owner and a due date, on an MoU or a partner.

Done and reopened are not edited here: they go through "Mark done" and "Reopen", which apply
the service's rules (a follow-up cannot be done in the future).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCompleter, QLineEdit, QPlainTextEdit

from mou_desk.services.record_lists import list_records
from mou_desk.ui.records.fields import ChoiceBox, LinkPicker
from mou_desk.ui.records.form import FieldSpec, RecordEditor
from mou_desk.ui.records.options import MouSource, partner_options
from mou_desk.ui.widgets.date_edit import DateEdit


class FollowUpEditor(RecordEditor):
    record_type = "followup"

    def field_specs(self) -> Sequence[FieldSpec]:
        owner = QLineEdit()
        names = sorted({o.label for o in list_records(self.desk.db, "officer")}, key=str.casefold)
        completer = QCompleter(names, owner)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        owner.setCompleter(completer)
        partners = ChoiceBox([("", self.tr("(none)")), *partner_options(self.desk)])
        mous = MouSource(self.desk)
        mou = LinkPicker(mous.search, mous.describe, single=True)
        notes = QPlainTextEdit()
        notes.setMaximumHeight(90)
        return [
            FieldSpec("title", self.tr("What to do"), QLineEdit(), required=True),
            FieldSpec("due_on", self.tr("Due on"), DateEdit(), required=True),
            FieldSpec("owner", self.tr("Owner"), owner),
            FieldSpec("partner_id", self.tr("Partner"), partners),
            FieldSpec("notes", self.tr("Notes"), notes),
            FieldSpec("mou_id", self.tr("MoU"), mou, page=self.tr("MoU concerned")),
        ]

    def window_title(self) -> str:
        if self.record is None:
            return self.tr("New follow-up")
        return self.tr("Follow-up: {title}").format(title=self.record.label)
