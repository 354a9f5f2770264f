"""The MoU editor: the form, stage and status changes, and the tabs around the MoU.

Saving names the version the clerk started from. If someone saved in between, fields changed on
one side only merge in the service; fields changed on both sides come back as a ConflictError
and the conflict dialog lets the clerk choose, then the choice is saved on top of the current
version. Closing with unsaved changes always asks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import ConflictError, DeskError, ValidationError
from mou_desk.domain.money import Currency, Money, format_inr, format_money
from mou_desk.domain.stages import Stage, Status, days_in_stage
from mou_desk.services.common import RecordData
from mou_desk.services.desk import Desk
from mou_desk.services.fields import decode
from mou_desk.services.listing import distinct_values
from mou_desk.ui.errors import show_error
from mou_desk.ui.mous.conflict_dialog import ConflictDialog
from mou_desk.ui.mous.form import EDITED_FIELDS, MouForm, field_label
from mou_desk.ui.mous.stage_dialog import MilestoneDialog, StageDialog, StatusDialog
from mou_desk.ui.mous.tabs import (
    AttachmentsTab,
    ChangeLogTab,
    FollowUpsTab,
    MeetingsTab,
    StageHistoryTab,
)
from mou_desk.ui.widgets.record_picker import choices_for

NEW_MOU_DEFAULTS: dict[str, Any] = {"currency": "INR", "doc_type": "MoU", "priority": "medium"}


class MouEditor(QDialog):
    """Edits one MoU (or a new one when ``mou_id`` is None)."""

    mou_saved = Signal(str)
    mou_deleted = Signal(str)
    record_activated = Signal(str, str)

    def __init__(
        self, desk: Desk, mou_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mouEditor")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._desk = desk
        self.record: RecordData | None = desk.mous.get(mou_id) if mou_id else None
        self.form = MouForm()
        self._labels: dict[str, dict[str, str]] = {}
        #: the dialog shown while it is open (tests drive it)
        self.conflict_dialog: ConflictDialog | None = None
        self.pipeline_dialog: QDialog | None = None
        self.heading = QLabel()
        self.heading.setObjectName("editorHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.stage_button = QPushButton(self.tr("Change stage…"))
        self.status_button = QPushButton(self.tr("Change status…"))
        self.milestone_button = QPushButton(self.tr("Record milestone…"))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        for button in (self.stage_button, self.status_button, self.milestone_button):
            button.setAutoDefault(False)
            top.addWidget(button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.history_tab = StageHistoryTab(desk)
        self.changes_tab = ChangeLogTab(desk, self.describe_text)
        self.meetings_tab = MeetingsTab(desk)
        self.followups_tab = FollowUpsTab(desk)
        self.attachments_tab = AttachmentsTab(desk)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, self.tr("Details"))
        self.tabs.addTab(self.history_tab, self.tr("Stage history"))
        self.tabs.addTab(self.changes_tab, self.tr("Change log"))
        self.tabs.addTab(self.meetings_tab, self.tr("Meetings"))
        self.tabs.addTab(self.followups_tab, self.tr("Follow-ups"))
        self.tabs.addTab(self.attachments_tab, self.tr("Attachments"))
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.delete_button = QPushButton(self.tr("Move to Trash"))
        self.close_button = QPushButton(self.tr("Close"))
        for button in (self.delete_button, self.close_button):
            button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem_label, 1)
        bottom.addWidget(self.delete_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.stage_button.clicked.connect(self.change_stage)
        self.status_button.clicked.connect(self.change_status)
        self.milestone_button.clicked.connect(self.record_milestone)
        self.form.form_edited.connect(self._on_form_form_edited)
        self.meetings_tab.record_activated.connect(self.record_activated)
        self.followups_tab.record_activated.connect(self.record_activated)
        self._load_choices()
        self._show_record()
        self.resize(1060, 780)

    # -- showing -------------------------------------------------------------------------------

    def _load_choices(self) -> None:
        partners = choices_for(self._desk.partners)
        officers = choices_for(self._desk.officers)
        self._labels = {"partner": dict(partners), "officer": dict(officers)}
        texts = {name: distinct_values(self._desk.db, name)
                 for name in ("sector", "district", "region", "policy")}  # fmt: skip
        self.form.set_choices(partners, officers, texts)

    def _show_record(self) -> None:
        record = self.record
        self.form.load(record.values if record else NEW_MOU_DEFAULTS)
        existing = record is not None
        for button in (self.stage_button, self.status_button, self.delete_button):
            button.setEnabled(existing)
        self.milestone_button.setEnabled(existing and self._stage() == Stage.INVESTMENT)
        for index in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(index, existing)
        if record is None:
            self.setWindowTitle(self.tr("New MoU") + "[*]")
            self.heading.setText(self.tr("<b>New MoU</b> — starts at Discussion; a reference "
                                         "is given when it is first saved."))  # fmt: skip
        else:
            values = record.values
            stage, status = Stage(values["stage"]), Status(values["status"])
            days = days_in_stage(values["stage_since"], self._desk.db.today())
            self.setWindowTitle(f"{values['ref']} — {values['title']}[*]")
            self.heading.setText(self.tr(
                "<b>{ref}</b> · {stage} for {days} days (since {since}) · {status} · "
                "last activity {activity}").format(
                    ref=values["ref"], stage=stage.label, days=days,
                    since=format_date(values["stage_since"]), status=status.label,
                    activity=format_date(values["last_activity_on"])))  # fmt: skip
            for tab in (self.history_tab, self.changes_tab, self.meetings_tab,
                        self.followups_tab, self.attachments_tab):  # fmt: skip
                tab.load(record.id)
        self._show_problems({})

    def _stage(self) -> Stage | None:
        return Stage(self.record.values["stage"]) if self.record else None

    def _show_problems(self, service_problems: dict[str, str], *, strict: bool = False) -> bool:
        problems = self.form.show_problems(service_problems, strict=strict)
        shown = [f"{field_label(n)}: {t}" if n else t for n, t in problems.items()]
        self.problem_label.setText("\n".join(shown[:4]))
        return not problems

    # -- changes -------------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        if self.record is None:
            return self.form.changes(NEW_MOU_DEFAULTS)
        return self.form.changes(self.record.values)

    def is_dirty(self) -> bool:
        return bool(self.changes())

    @Slot()
    def _on_form_form_edited(self) -> None:
        self._show_problems({})
        self.setWindowModified(self.is_dirty())

    @Slot()
    def save(self) -> bool:
        """Save what the clerk changed; True when nothing is left unsaved."""
        if not self._show_problems({}, strict=True):
            return False
        changes = self.changes()
        if not changes and self.record is not None:
            return True
        try:
            saved: RecordData | None
            if self.record is None:
                values = {k: v for k, v in self.form.values().items()
                          if k in EDITED_FIELDS and v not in (None, "", [])}  # fmt: skip
                saved = self._desk.mous.create(values)
            else:
                saved = self._save_changes(self.record, changes)
        except ValidationError as exc:
            self._show_problems(dict(exc.problems), strict=True)
            return False
        except DeskError as exc:
            show_error(self, exc)
            return False
        if saved is None:
            return False
        self.record = saved
        self._show_record()
        self.setWindowModified(False)
        self.mou_saved.emit(saved.id)
        return True

    def _save_changes(self, record: RecordData, changes: dict[str, Any]) -> RecordData | None:
        try:
            return self._desk.mous.update(record.id, changes, record.version)
        except ConflictError as exc:
            if not exc.conflicts:  # the version moved under a concurrent write: start again
                QMessageBox.information(self, self.tr("Changed meanwhile"), str(exc))
                return None
            chosen = self.resolve_conflict(exc)
            if chosen is None:
                return None
            return self._desk.mous.update(record.id, {**changes, **chosen}, exc.current_version)

    def resolve_conflict(self, exc: ConflictError) -> dict[str, Any] | None:
        """Ask the clerk which value to keep for each field; None if they cancel."""
        dialog = ConflictDialog(exc, label_of=field_label, describe=self.describe, parent=self)
        self.conflict_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.conflict_dialog = None
        return dialog.chosen() if accepted else None

    def describe_text(self, name: str, text: str | None) -> str:
        """A change-log value (canonical text) as the clerk reads it."""
        if text is None or not name:
            return text or ""
        try:
            return self.describe(name, decode("mou", name, text))
        except (KeyError, ValueError, ArithmeticError):
            return text

    def describe(self, name: str, value: Any) -> str:
        """A field's value as the clerk reads it."""
        if value is None or value == "" or value == []:
            return ""
        if name in ("lead_partner_id", "nodal_officer_id"):
            kind = "partner" if name == "lead_partner_id" else "officer"
            return self._labels.get(kind, {}).get(value, str(value))
        if name == "partner_ids":
            return ", ".join(self._labels.get("partner", {}).get(v, v) for v in value)
        if isinstance(value, date):
            return format_date(value)
        if isinstance(value, Decimal):
            if name in ("realised_inr", "proposed_inr"):
                return format_inr(value, 2)
            if name == "amount":
                currency = self.record.values.get("currency") if self.record else "INR"
                return format_money(Money(value, Currency(currency or "INR")))
            return f"{value.normalize():f}"
        if isinstance(value, Enum):
            return str(getattr(value, "label", value.value))
        return str(value)

    # -- stage, status, milestones -------------------------------------------------------------

    def _saved_first(self) -> bool:
        """Stage and status changes work on the saved MoU: save pending edits first."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self, self.tr("Save first"),
            self.tr("Save your changes to this MoU before changing its stage or status?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Save and self.save()

    def _run_pipeline_dialog(self, dialog: StageDialog | StatusDialog | MilestoneDialog) -> None:
        self.pipeline_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.pipeline_dialog = None
        if accepted and isinstance(dialog.result_value, RecordData):
            self.record = dialog.result_value
            self._show_record()
            self.mou_saved.emit(self.record.id)

    def stage_dialog(self, target: Stage | None = None) -> StageDialog:
        assert self.record is not None
        record = self.record
        return StageDialog(
            dict(record.values),
            lambda change: self._desk.mous.change_stage(record.id, change, record.version),
            today=self._desk.db.today(), target=target, parent=self,
        )  # fmt: skip

    @Slot()
    def change_stage(self) -> None:
        if self.record is not None and self._saved_first():
            self._run_pipeline_dialog(self.stage_dialog())

    def status_dialog(self) -> StatusDialog:
        assert self.record is not None
        record = self.record
        return StatusDialog(
            dict(record.values),
            lambda r: self._desk.mous.change_status(record.id, r[0], r[1], r[2], record.version),
            today=self._desk.db.today(), parent=self,
        )  # fmt: skip

    @Slot()
    def change_status(self) -> None:
        if self.record is not None and self._saved_first():
            self._run_pipeline_dialog(self.status_dialog())

    @Slot()
    def record_milestone(self) -> None:
        if self.record is None or not self._saved_first():
            return
        record = self.record
        dialog = MilestoneDialog(
            dict(record.values),
            lambda r: self._desk.mous.set_milestone(record.id, r[0], r[1], record.version),
            today=self._desk.db.today(), parent=self,
        )  # fmt: skip
        self._run_pipeline_dialog(dialog)

    # -- deleting and closing ------------------------------------------------------------------

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        if self.record is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Move to Trash"),
            self.tr("Move {0} to the Trash? It can be restored from the Trash.")
            .format(self.record.values["ref"]),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.delete()

    def delete(self) -> None:
        assert self.record is not None
        try:
            self._desk.mous.delete(self.record.id)
        except DeskError as exc:
            show_error(self, exc)
            return
        deleted = self.record.id
        self.record = None
        self.form.load(NEW_MOU_DEFAULTS)
        self.mou_deleted.emit(deleted)
        self.done(QDialog.DialogCode.Accepted)

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved changes (tests replace this)."""
        return QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("This MoU has changes that are not saved. Save them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )  # fmt: skip

    def may_close(self) -> bool:
        """False when the clerk chose to keep editing (or the save failed)."""
        if self.record is None and not self.is_dirty():
            return True
        if not self.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_close():
            event.accept()
        else:
            event.ignore()

    def reject(self) -> None:  # Esc
        if self.may_close():
            super().reject()
