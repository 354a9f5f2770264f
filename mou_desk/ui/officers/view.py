"""Our officers: the nodal officers of MoUs and everyone on our side of a meeting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mou_desk.services.common import RecordData
from mou_desk.ui.officers.editor import OfficerEditor
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.records.list_view import RecordListView
from mou_desk.ui.records.table_model import Column


def _value(name: str) -> Any:
    return lambda r: r.values.get(name)


class OfficersView(RecordListView):
    record_type = "officer"

    def columns(self) -> Sequence[Column]:
        return [
            Column(self.tr("Name"), _value("name")),
            Column(self.tr("Own script"), _value("name_local")),
            Column(self.tr("Designation"), _value("designation")),
            Column(self.tr("Organisation"), _value("organisation")),
            Column(self.tr("E-mail"), _value("email")),
            Column(self.tr("Phone"), _value("phone")),
        ]

    def noun(self, count: int) -> str:
        return self.tr("1 officer") if count == 1 else self.tr("{n} officers").format(n=count)

    def make_editor(self, record: RecordData | None) -> RecordEditor:
        return OfficerEditor(self.desk, record, self)
