"""The MoU's fields as a form: widgets in, plain values out, problems shown beside each field.

The form knows how to show and read values; the rules live in the services (which say what is
wrong on save) and in the parsers (money, dates) that check as the clerk types.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mou_desk.services.fields import same
from mou_desk.storage.models.mous import DocType, Priority
from mou_desk.ui.widgets.date_edit import DateEdit, mark_invalid
from mou_desk.ui.widgets.money_edit import MoneyEdit
from mou_desk.ui.widgets.record_picker import Choice, RecordListPicker, RecordPicker

TEXT_FIELDS = ("ref", "title", "next_action", "tags")
COMBO_TEXT_FIELDS = ("sector", "district", "region", "policy")
DATE_FIELDS = ("signed_on_ours", "signed_on_partner", "valid_until", "next_action_due")
JOB_FIELDS = ("proposed_jobs", "realised_jobs")
MONEY_FIELDS = ("amount", "currency", "rate_to_inr", "rate_date")
#: every field the form edits (stage, status and milestones change through their dialogs)
EDITED_FIELDS = (
    *TEXT_FIELDS, *COMBO_TEXT_FIELDS, *DATE_FIELDS, *JOB_FIELDS, *MONEY_FIELDS, "doc_type",
    "priority", "lead_partner_id", "partner_ids", "nodal_officer_id", "realised_inr", "notes",
)  # fmt: skip


# Marked for Qt's string extraction here, translated when shown (the Qt idiom for tables).
FIELD_LABELS: dict[str, object] = {  # QT_TRANSLATE_NOOP is typed as object
    "ref": QT_TRANSLATE_NOOP("MouForm", "Reference"),
    "title": QT_TRANSLATE_NOOP("MouForm", "Title"),
    "doc_type": QT_TRANSLATE_NOOP("MouForm", "Document"),
    "lead_partner_id": QT_TRANSLATE_NOOP("MouForm", "Lead partner"),
    "partner_ids": QT_TRANSLATE_NOOP("MouForm", "Other partners"),
    "sector": QT_TRANSLATE_NOOP("MouForm", "Sector"),
    "district": QT_TRANSLATE_NOOP("MouForm", "District"),
    "region": QT_TRANSLATE_NOOP("MouForm", "Region"),
    "policy": QT_TRANSLATE_NOOP("MouForm", "Incentive policy"),
    "nodal_officer_id": QT_TRANSLATE_NOOP("MouForm", "Nodal officer"),
    "priority": QT_TRANSLATE_NOOP("MouForm", "Priority"),
    "amount": QT_TRANSLATE_NOOP("MouForm", "Proposed investment"),
    "currency": QT_TRANSLATE_NOOP("MouForm", "Currency"),
    "rate_to_inr": QT_TRANSLATE_NOOP("MouForm", "Rate to ₹"),
    "rate_date": QT_TRANSLATE_NOOP("MouForm", "Rate date"),
    "proposed_jobs": QT_TRANSLATE_NOOP("MouForm", "Proposed jobs"),
    "realised_inr": QT_TRANSLATE_NOOP("MouForm", "Realised investment (₹)"),
    "proposed_inr": QT_TRANSLATE_NOOP("MouForm", "Proposed investment (₹)"),
    "realised_jobs": QT_TRANSLATE_NOOP("MouForm", "Realised jobs"),
    "signed_on_ours": QT_TRANSLATE_NOOP("MouForm", "Signed by us"),
    "signed_on_partner": QT_TRANSLATE_NOOP("MouForm", "Signed by partner"),
    "valid_until": QT_TRANSLATE_NOOP("MouForm", "Valid until"),
    "next_action": QT_TRANSLATE_NOOP("MouForm", "Next action"),
    "next_action_due": QT_TRANSLATE_NOOP("MouForm", "Next action due"),
    "tags": QT_TRANSLATE_NOOP("MouForm", "Tags"),
    "notes": QT_TRANSLATE_NOOP("MouForm", "Notes"),
    "stage": QT_TRANSLATE_NOOP("MouForm", "Stage"),
    "status": QT_TRANSLATE_NOOP("MouForm", "Status"),
}


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    if label is None:
        return name.replace("_", " ").capitalize()
    return QCoreApplication.translate("MouForm", str(label))


class MouForm(QWidget):
    """``values()`` are what the form shows; ``changes(saved)`` what differs from a record."""

    form_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widgets: dict[str, QWidget] = {}
        # the same widgets by kind, typed (text and job fields, combos, dates)
        self._lines: dict[str, QLineEdit] = {}
        self._combos: dict[str, QComboBox] = {}
        self._dates: dict[str, DateEdit] = {}
        self._problem_labels: dict[str, QLabel] = {}
        self._service_problems: dict[str, str] = {}
        self._strict = False  # a missing title is pointed out once the clerk starts typing
        for name in TEXT_FIELDS:
            line = QLineEdit()
            line.textEdited.connect(self._on_field_edited)
            self.widgets[name] = self._lines[name] = line
        self.ref.setPlaceholderText(self.tr("Given on first save, e.g. UP-MOU-2025-00001"))
        self._lines["title"].setPlaceholderText(self.tr("Required"))
        for name in COMBO_TEXT_FIELDS:
            combo = QComboBox()
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.editTextChanged.connect(self._on_field_edited)
            self.widgets[name] = self._combos[name] = combo
        for name, enum_cls in (("doc_type", DocType), ("priority", Priority)):
            combo = QComboBox()
            for member in enum_cls:
                combo.addItem(member.value.capitalize() if name == "priority" else member.value,
                              member.value)  # fmt: skip
            combo.currentIndexChanged.connect(self._on_field_edited)
            self.widgets[name] = self._combos[name] = combo
        for name in DATE_FIELDS:
            date_edit = DateEdit()
            date_edit.date_edited.connect(self._on_field_edited)
            self.widgets[name] = self._dates[name] = date_edit
        for name in JOB_FIELDS:
            jobs = QLineEdit()
            jobs.setPlaceholderText(self.tr("e.g. 1,200"))
            jobs.textEdited.connect(self._on_field_edited)
            self.widgets[name] = self._lines[name] = jobs
        self.lead_partner = RecordPicker()
        self.partners = RecordListPicker()
        self.officer = RecordPicker()
        self.money = MoneyEdit()
        self.realised = MoneyEdit(inr_only=True)
        self.notes = QPlainTextEdit()
        self.notes.setMinimumHeight(80)
        self.lead_partner.record_changed.connect(self._on_field_edited)
        self.partners.records_changed.connect(self._on_field_edited)
        self.officer.record_changed.connect(self._on_field_edited)
        self.money.money_edited.connect(self._on_field_edited)
        self.realised.money_edited.connect(self._on_field_edited)
        self.notes.textChanged.connect(self._on_field_edited)
        self.widgets.update({
            "lead_partner_id": self.lead_partner, "partner_ids": self.partners,
            "nodal_officer_id": self.officer, "amount": self.money, "realised_inr": self.realised,
            "notes": self.notes,
        })  # fmt: skip
        self._build()

    @property
    def ref(self) -> QLineEdit:
        return self._lines["ref"]

    def _build(self) -> None:
        what = QGroupBox(self.tr("The MoU"))
        what_form = QFormLayout(what)
        for name in ("ref", "title", "doc_type", "lead_partner_id", "partner_ids", "sector",
                     "priority", "nodal_officer_id"):  # fmt: skip
            self._add_row(what_form, name)
        where = QGroupBox(self.tr("Where and under which policy"))
        where_form = QFormLayout(where)
        for name in ("district", "region", "policy"):
            self._add_row(where_form, name)
        money = QGroupBox(self.tr("Investment and jobs"))
        money_form = QFormLayout(money)
        for name in ("amount", "proposed_jobs", "realised_inr", "realised_jobs"):
            self._add_row(money_form, name)
        dates = QGroupBox(self.tr("Dates and next action"))
        dates_form = QFormLayout(dates)
        for name in ("signed_on_ours", "signed_on_partner", "valid_until", "next_action",
                     "next_action_due", "tags"):  # fmt: skip
            self._add_row(dates_form, name)
        notes = QGroupBox(self.tr("Notes"))
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(self.notes)
        grid = QGridLayout()
        grid.addWidget(what, 0, 0)
        grid.addWidget(money, 0, 1)
        grid.addWidget(where, 1, 0)
        grid.addWidget(dates, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(notes, 1)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Tab moves down each box, left column first, as the clerk reads the form."""
        chain: list[QWidget] = [
            self.widgets[n] for n in ("ref", "title", "doc_type", "lead_partner_id")
        ]
        chain += [self.partners.chosen, self.partners.picker, self.partners.add_button]
        chain += [self.widgets[n] for n in ("sector", "priority", "nodal_officer_id")]
        chain += [self.money.amount, self.money.currency, self.money.rate,
                  self.money.rate_date.line]  # fmt: skip
        chain += [self.widgets["proposed_jobs"], self.realised.amount,
                  self.widgets["realised_jobs"]]  # fmt: skip
        chain += [self.widgets[n] for n in ("district", "region", "policy")]
        for name in (*DATE_FIELDS[:3], "next_action", "next_action_due", "tags"):
            widget = self.widgets[name]
            chain.append(widget.line if isinstance(widget, DateEdit) else widget)
        chain.append(self.notes)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def tab_chain(self) -> list[QWidget]:
        """The widgets Tab visits, in order, starting at the reference (for tests)."""
        start: QWidget = self.ref
        seen: list[QWidget] = [start]
        widget = start.nextInFocusChain()
        while widget is not None and widget is not start and len(seen) < 200:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(self):
                seen.append(widget)
            widget = widget.nextInFocusChain()
        return seen

    def _add_row(self, form: QFormLayout, name: str) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(self.widgets[name])
        problem = QLabel()
        problem.setStyleSheet("color: #b00020;")
        problem.setWordWrap(True)
        problem.hide()
        column.addWidget(problem)
        self._problem_labels[name] = problem
        label = field_label(name) + (" *" if name == "title" else "")
        form.addRow(label, box)

    # -- choices -------------------------------------------------------------------------------

    def set_choices(
        self, partners: list[Choice], officers: list[Choice], texts: Mapping[str, list[str]]
    ) -> None:
        self.lead_partner.set_choices(partners)
        self.partners.set_choices(partners)
        self.officer.set_choices(officers)
        for name, values in texts.items():
            combo = self.widgets[name]
            assert isinstance(combo, QComboBox)
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(values)
            combo.setEditText(current)
            combo.blockSignals(False)

    # -- values --------------------------------------------------------------------------------

    def load(self, values: Mapping[str, Any]) -> None:
        """Show a record's values (or a new MoU's defaults) without counting as an edit."""
        self.blockSignals(True)
        for name in TEXT_FIELDS:
            self._lines[name].setText(str(values.get(name) or ""))
        for name in COMBO_TEXT_FIELDS:
            self._combos[name].setEditText(str(values.get(name) or ""))
        for name in ("doc_type", "priority"):
            combo = self.widgets[name]
            assert isinstance(combo, QComboBox)
            value = values.get(name)
            index = combo.findData(str(getattr(value, "value", value))) if value else 0
            combo.setCurrentIndex(max(0, index))
        for name in DATE_FIELDS:
            self._dates[name].set_date(values.get(name))
        for name in JOB_FIELDS:
            jobs = values.get(name)
            self._lines[name].setText("" if jobs is None else f"{int(jobs):,}")
        self.lead_partner.set_record_id(values.get("lead_partner_id"))
        self.partners.set_record_ids(list(values.get("partner_ids") or []))
        self.officer.set_record_id(values.get("nodal_officer_id"))
        self.money.set_value(
            values.get("amount"), str(values.get("currency") or "INR"),
            values.get("rate_to_inr"), values.get("rate_date"),
        )  # fmt: skip
        self.realised.set_value(values.get("realised_inr"))
        self.notes.setPlainText(str(values.get("notes") or ""))
        self.blockSignals(False)
        self._strict = False
        self.show_problems({})

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            out[name] = self._lines[name].text().strip()
        for name in COMBO_TEXT_FIELDS:
            out[name] = self._combos[name].currentText().strip()
        for name in ("doc_type", "priority"):
            out[name] = self._combos[name].currentData()
        for name in DATE_FIELDS:
            out[name] = self._dates[name].date()
        for name in JOB_FIELDS:
            out[name] = self._jobs(name)[0]
        out["lead_partner_id"] = self.lead_partner.record_id()
        out["partner_ids"] = self.partners.record_ids()
        out["nodal_officer_id"] = self.officer.record_id()
        money = self.money.value()
        out["amount"], out["currency"] = money.amount, money.currency
        out["rate_to_inr"], out["rate_date"] = money.rate, money.rate_date
        if money.amount is None:
            out["rate_to_inr"] = None
        out["realised_inr"] = self.realised.value().amount
        out["notes"] = self.notes.toPlainText()
        return out

    def changes(self, saved: Mapping[str, Any]) -> dict[str, Any]:
        """The fields whose shown value differs from ``saved`` (a record's values)."""
        current = self.values()
        changed = {
            name: value
            for name, value in current.items()
            if not same(_blank_to_none(value), _blank_to_none(saved.get(name)))
        }
        if "rate_date" in changed and current["currency"] == "INR":
            del changed["rate_date"]  # rupees need no rate date; keep what was stored
        if changed.keys() <= {"rate_to_inr"} and current["amount"] is None:
            return {}
        return changed

    def _jobs(self, name: str) -> tuple[int | None, str]:
        text = self._lines[name].text().replace(",", "").replace(" ", "")
        if not text:
            return None, ""
        if not text.isdigit():
            return None, self.tr("Write a whole number of jobs, e.g. 1,200.")
        return int(text), ""

    # -- problems ------------------------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """What the clerk must fix before saving, found as they type."""
        problems: dict[str, str] = {}
        if not self._lines["title"].text().strip():
            problems["title"] = self.tr("Give the MoU a title.")
        for name in DATE_FIELDS:
            problem = self._dates[name].problem()
            if problem:
                problems[name] = problem
        for name in JOB_FIELDS:
            problem = self._jobs(name)[1]
            if problem:
                problems[name] = problem
        for name, picker in (
            ("lead_partner_id", self.lead_partner),
            ("nodal_officer_id", self.officer),
        ):
            if picker.problem():
                problems[name] = picker.problem()
        money = self.money.problems()
        if money:
            problems["amount"] = next(iter(money.values()))
        if self.realised.problems():
            problems["realised_inr"] = next(iter(self.realised.problems().values()))
        return problems

    def show_problems(
        self, service_problems: Mapping[str, str], *, strict: bool = False
    ) -> dict[str, str]:
        """Mark every field with a problem (typed ones and those the service refused)."""
        self._strict = self._strict or strict
        self._service_problems = dict(service_problems)
        problems = {**self.problems(), **self._service_problems}
        if not self._strict and not self._service_problems:
            problems.pop("title", None)
        for name, label in self._problem_labels.items():
            text = problems.get(name, "")
            if name == "amount":
                text = text or problems.get("rate_to_inr", "") or problems.get("currency", "")
            label.setText(text)
            label.setVisible(bool(text))
        for name in (*JOB_FIELDS, "title"):
            mark_invalid(self.widgets[name], problems.get(name, ""))
        return problems

    @Slot()
    def _on_field_edited(self) -> None:
        self._strict = True
        self._service_problems.clear()
        self.show_problems({})
        self.form_edited.emit()


def _blank_to_none(value: Any) -> Any:
    if value == "" or value == []:
        return None
    return value
