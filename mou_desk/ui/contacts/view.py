"""Contacts: the people we know at partners."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from mou_desk.services.common import RecordData
from mou_desk.services.record_lists import list_records
from mou_desk.ui.contacts.editor import ContactEditor
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.records.list_view import RecordListView
from mou_desk.ui.records.table_model import Column


def _value(name: str) -> Any:
    return lambda r: r.values.get(name)


class ContactsView(RecordListView):
    """Contacts with their partner's name beside them (our officers have their own screen)."""

    record_type = "contact"

    def columns(self) -> Sequence[Column]:
        return [
            Column(self.tr("Name"), _value("name")),
            Column(self.tr("Own script"), _value("name_local")),
            Column(self.tr("Honorific"), _value("honorific")),
            Column(self.tr("Designation"), _value("designation")),
            Column(self.tr("Partner"), lambda r: r.extra.get("partner", "")),
            Column(self.tr("E-mail"), _value("email")),
            Column(self.tr("Phone"), _value("phone")),
        ]

    def loader(self) -> Callable[[], Any]:
        db = self.desk.db

        def load() -> list[RecordData]:
            partners = {p.id: p.label for p in list_records(db, "partner")}
            return [
                replace(c, extra={"partner": partners.get(str(c.values.get("partner_id")), "")})
                for c in list_records(db, "contact")
            ]

        return load

    def noun(self, count: int) -> str:
        return self.tr("1 contact") if count == 1 else self.tr("{n} contacts").format(n=count)

    def make_editor(self, record: RecordData | None) -> RecordEditor:
        return ContactEditor(self.desk, record, self)
