"""Partners: the organisations we talk to, and from each its contacts, MoUs and meetings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from mou_desk.domain.money import format_crore
from mou_desk.services.common import RecordData
from mou_desk.ui.contacts.editor import ContactEditor
from mou_desk.ui.partners.editor import PartnerEditor
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.records.list_view import RecordListView
from mou_desk.ui.records.related import RelatedList
from mou_desk.ui.records.table_model import Column


def _value(name: str) -> Any:
    return lambda r: r.values.get(name)


def _crore(record: RecordData) -> str:
    amount = record.values.get("proposed_inr")
    return format_crore(amount) if amount is not None else ""


class PartnerDetail(QWidget):
    """The selected partner: who we know there, the MoUs with it and the meetings held."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.tabs = QTabWidget(self)
        self.contacts = RelatedList(
            [
                Column(self.tr("Name"), _value("name")),
                Column(self.tr("Own script"), _value("name_local")),
                Column(self.tr("Designation"), _value("designation")),
                Column(self.tr("E-mail"), _value("email")),
            ],
            "contact",
            self,
        )
        self.mous = RelatedList(
            [
                Column(self.tr("Ref"), _value("ref")),
                Column(self.tr("Title"), _value("title")),
                Column(self.tr("Stage"), _value("stage")),
                Column(self.tr("Status"), _value("status")),
                Column(self.tr("₹ crore"), _crore, align_right=True),
            ],
            "mou",
            self,
        )
        self.meetings = RelatedList(
            [
                Column(self.tr("Date"), _value("held_on")),
                Column(self.tr("Meeting"), _value("title")),
                Column(self.tr("Kind"), _value("kind")),
                Column(self.tr("Place"), _value("place")),
            ],
            "engagement",
            self,
        )
        self.add_contact_button = QPushButton(self.tr("Add contact…"), self)
        contacts_page = QWidget(self)
        page_layout = QVBoxLayout(contacts_page)
        page_layout.addWidget(self.contacts, 1)
        page_layout.addWidget(self.add_contact_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(contacts_page, "")
        self.tabs.addTab(self.mous, "")
        self.tabs.addTab(self.meetings, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.tabs, 1)
        self.show_partner(None, [], [], [])

    def show_partner(
        self,
        partner: RecordData | None,
        contacts: list[RecordData],
        mous: list[RecordData],
        meetings: list[RecordData],
    ) -> None:
        self.setEnabled(partner is not None)
        if partner is None:
            self.heading.setText(
                self.tr("Select a partner to see its contacts, MoUs and meetings.")
            )
            self.facts.clear()
        else:
            values = partner.values
            local = str(values.get("name_local") or "")
            self.heading.setText(partner.label + (f"  {local}" if local else ""))
            kind = getattr(values.get("kind"), "value", values.get("kind") or "")
            place = ", ".join(str(p) for p in (values.get("city"), values.get("country")) if p)
            facts = [
                str(kind).capitalize(),
                place,
                str(values.get("sectors") or ""),
                str(values.get("website") or ""),
            ]
            self.facts.setText(" · ".join(f for f in facts if f))
        self.contacts.set_rows(contacts)
        self.mous.set_rows(mous)
        self.meetings.set_rows(meetings)
        self.tabs.setTabText(0, self.tr("Contacts ({n})").format(n=len(contacts)))
        self.tabs.setTabText(1, self.tr("MoUs ({n})").format(n=len(mous)))
        self.tabs.setTabText(2, self.tr("Meetings ({n})").format(n=len(meetings)))


class PartnersView(RecordListView):
    record_type = "partner"

    def columns(self) -> Sequence[Column]:
        return [
            Column(self.tr("Name"), _value("name")),
            Column(self.tr("Own script"), _value("name_local")),
            Column(self.tr("Kind"), lambda r: str(r.values.get("kind") or "").capitalize()),
            Column(self.tr("Country"), _value("country")),
            Column(self.tr("City"), _value("city")),
            Column(self.tr("Sectors"), _value("sectors")),
        ]

    def noun(self, count: int) -> str:
        return self.tr("1 partner") if count == 1 else self.tr("{n} partners").format(n=count)

    def make_editor(self, record: RecordData | None) -> RecordEditor:
        return PartnerEditor(self.desk, record, self)

    def make_detail(self) -> QWidget:
        self.partner_detail = PartnerDetail(self)
        for related in (
            self.partner_detail.contacts,
            self.partner_detail.mous,
            self.partner_detail.meetings,
        ):
            related.record_activated.connect(self.record_activated)
        self.partner_detail.add_contact_button.clicked.connect(self._on_add_contact_button_clicked)
        return self.partner_detail

    def detail_orientation(self) -> Qt.Orientation:
        return Qt.Orientation.Vertical

    def show_detail(self, row: Any | None) -> None:
        if row is None:
            self.partner_detail.show_partner(None, [], [], [])
            return
        partners = self.desk.partners
        self.partner_detail.show_partner(
            row, partners.contacts(row.id), partners.mous(row.id), partners.engagements(row.id)
        )

    @Slot()
    def _on_add_contact_button_clicked(self) -> None:
        self.add_contact()

    def add_contact(self) -> RecordData | None:
        """A new contact at the selected partner."""
        partner = self.selected_row()
        if partner is None:
            return None
        editor = ContactEditor(self.desk, None, self, initial={"partner_id": partner.id})
        if not editor.exec() or editor.saved_record is None:
            return None
        self.show_detail(partner)
        return editor.saved_record
