"""Changing an MoU's stage, its status, or recording a milestone.

Each dialog asks for what the domain rules require and checks the clerk's answers against the
same rules as they type (domain.stages), so the OK button is enabled only for a change the
service will accept. The service still decides: its refusal is shown in the dialog, which stays
open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.errors import DeskError, ValidationError
from mou_desk.domain.stage_rules import (
    MouFacts,
    StageChange,
    check_milestone,
    check_stage_change,
    check_status_change,
)
from mou_desk.domain.stages import Milestone, Stage, Status
from mou_desk.ui.widgets.date_edit import DateEdit
from mou_desk.ui.widgets.money_edit import MoneyEdit

_MILESTONE_FIELDS = {
    Milestone.LAND_ALLOTTED: "land_allotted_on",
    Milestone.GROUND_BREAKING: "ground_breaking_on",
    Milestone.COMMERCIAL_PRODUCTION: "commercial_production_on",
}


def facts_of(values: dict[str, Any]) -> MouFacts:
    """What the stage rules need to know, from an MoU record's values."""
    return MouFacts(
        Stage(values["stage"]), Status(values["status"]), values.get("signed_on_ours"),
        values.get("realised_inr") or values.get("proposed_inr"),
    )  # fmt: skip


class _CheckedDialog(QDialog):
    """A form whose problems are listed under it; OK submits and stays open on refusal."""

    def __init__(self, submit: Callable[[Any], Any], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.result_value: Any = None
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def request(self) -> Any:
        raise NotImplementedError

    def problems(self) -> dict[str, str]:
        raise NotImplementedError

    def _show(self, problems: dict[str, str]) -> None:
        self.problem_label.setText("\n".join(problems.values()))
        self.problem_label.setVisible(bool(problems))
        self.ok_button().setEnabled(not problems)

    @Slot()
    def revalidate(self) -> None:
        self._show(self.problems())

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problems = self.problems()
        if problems:
            self._show(problems)
            return
        try:
            self.result_value = self._submit(self.request())
        except ValidationError as exc:
            self._show(dict(exc.problems))
            self.ok_button().setEnabled(True)
            return
        except DeskError as exc:
            self._show({"": str(exc)})
            self.ok_button().setEnabled(True)
            return
        self.accept()


class StageDialog(_CheckedDialog):
    """Move an MoU to another stage: date, reason, signed date, investment, milestones."""

    def __init__(
        self, values: dict[str, Any], submit: Callable[[StageChange], Any], *,
        today: date, target: Stage | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(submit, parent)
        self._facts = facts_of(values)
        self._today = today
        self.setWindowTitle(self.tr("Change stage — {0}").format(values.get("ref", "")))
        current = QLabel(self.tr("Now at <b>{0}</b> ({1}).").format(
            self._facts.stage.label, self._facts.status.label))  # fmt: skip
        self.stage = QComboBox()
        for stage in Stage:
            self.stage.addItem(stage.label, stage.value)
        following = target or next(
            (s for s in Stage if s.order == self._facts.stage.order + 1), self._facts.stage
        )
        self.stage.setCurrentIndex(self.stage.findData(following.value))
        self.on = DateEdit(required=True)
        self.on.set_date(today)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Needed when moving back"))
        self.signed_on = DateEdit()
        self.signed_on.set_date(values.get("signed_on_ours"))
        self.investment = MoneyEdit(inr_only=True)
        self.investment.set_value(values.get("realised_inr") or values.get("proposed_inr"))
        self.milestone_box = QGroupBox(self.tr("Milestones reached (optional)"))
        milestones = QFormLayout(self.milestone_box)
        self.milestones: dict[Milestone, DateEdit] = {}
        for milestone in Milestone:
            edit = DateEdit()
            edit.set_date(values.get(_MILESTONE_FIELDS[milestone]))
            edit.date_edited.connect(self.revalidate)
            milestones.addRow(milestone.label, edit)
            self.milestones[milestone] = edit
        form = QFormLayout()
        form.addRow(self.tr("Move to"), self.stage)
        form.addRow(self.tr("Effective on"), self.on)
        form.addRow(self.tr("Reason"), self.reason)
        self.signed_label = QLabel(self.tr("Signed on"))
        form.addRow(self.signed_label, self.signed_on)
        self.investment_label = QLabel(self.tr("Investment (₹)"))
        form.addRow(self.investment_label, self.investment)
        layout = QVBoxLayout(self)
        layout.addWidget(current)
        layout.addLayout(form)
        layout.addWidget(self.milestone_box)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.stage.currentIndexChanged.connect(self.revalidate)
        self.on.date_edited.connect(self.revalidate)
        self.reason.textEdited.connect(self.revalidate)
        self.signed_on.date_edited.connect(self.revalidate)
        self.investment.money_edited.connect(self.revalidate)
        self.revalidate()
        self.setMinimumWidth(440)

    def target(self) -> Stage:
        return Stage(self.stage.currentData())

    def request(self) -> StageChange:
        target = self.target()
        investing = target == Stage.INVESTMENT
        milestones: dict[Milestone, date] = {}
        for m, edit in self.milestones.items():
            on = edit.date()
            if on is not None:
                milestones[m] = on
        return StageChange(
            to_stage=target,
            on=self.on.date() or self._today,
            reason=self.reason.text().strip(),
            signed_on=self.signed_on.date() if target.order >= Stage.SIGNING.order else None,
            investment_inr=self.investment.value().amount if investing else None,
            milestones=milestones if investing or self._facts.stage == Stage.INVESTMENT else {},
        )

    def problems(self) -> dict[str, str]:
        target = self.target()
        signing = target.order >= Stage.SIGNING.order
        investing = target == Stage.INVESTMENT
        for widget in (self.signed_label, self.signed_on):
            widget.setVisible(signing)
        for money_widget in (self.investment_label, self.investment):
            money_widget.setVisible(investing)
        self.milestone_box.setVisible(investing)
        moving_back = target.order < self._facts.stage.order
        self.reason.setPlaceholderText(
            self.tr("Required: why is it moving back?") if moving_back else self.tr("Optional")
        )
        problems: dict[str, str] = {}
        for name, edit in (("date", self.on), ("signed_on", self.signed_on)):
            if edit.problem():
                problems[name] = edit.problem()
        problems.update(self.investment.problems())
        if problems:
            return problems
        try:
            check_stage_change(self._facts, self.request(), self._today)
        except ValidationError as exc:
            return dict(exc.problems)
        return {}


class StatusDialog(_CheckedDialog):
    """Put an MoU on hold, drop it, complete it or make it active again."""

    def __init__(
        self, values: dict[str, Any], submit: Callable[[tuple[Status, str, date]], Any], *,
        today: date, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(submit, parent)
        self._current = Status(values["status"])
        self._today = today
        self.setWindowTitle(self.tr("Change status — {0}").format(values.get("ref", "")))
        self.status = QComboBox()
        for status in Status:
            self.status.addItem(status.label, status.value)
        other = next(s for s in Status if s != self._current)
        self.status.setCurrentIndex(self.status.findData(other.value))
        self.on = DateEdit(required=True)
        self.on.set_date(today)
        self.reason = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("Now"), QLabel(self._current.label))
        form.addRow(self.tr("New status"), self.status)
        form.addRow(self.tr("Effective on"), self.on)
        form.addRow(self.tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.status.currentIndexChanged.connect(self.revalidate)
        self.on.date_edited.connect(self.revalidate)
        self.reason.textEdited.connect(self.revalidate)
        self.revalidate()
        self.setMinimumWidth(400)

    def request(self) -> tuple[Status, str, date]:
        return Status(self.status.currentData()), self.reason.text(), self.on.date() or self._today

    def problems(self) -> dict[str, str]:
        if self.on.problem():
            return {"date": self.on.problem()}
        status, reason, _on = self.request()
        needs_reason = status in (Status.DROPPED, Status.ON_HOLD)
        self.reason.setPlaceholderText(self.tr("Required") if needs_reason else self.tr("Optional"))
        try:
            check_status_change(self._current, status, reason)
        except ValidationError as exc:
            return dict(exc.problems)
        return {}


class MilestoneDialog(_CheckedDialog):
    """Record a step of the investment stage (land allotted, ground breaking, production)."""

    def __init__(
        self, values: dict[str, Any], submit: Callable[[tuple[Milestone, date]], Any], *,
        today: date, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(submit, parent)
        self._stage = Stage(values["stage"])
        self._today = today
        self.setWindowTitle(self.tr("Record milestone — {0}").format(values.get("ref", "")))
        self.milestone = QComboBox()
        for milestone in Milestone:
            self.milestone.addItem(milestone.label, milestone.value)
        self.on = DateEdit(required=True)
        self.on.set_date(today)
        form = QFormLayout()
        form.addRow(self.tr("Milestone"), self.milestone)
        form.addRow(self.tr("Reached on"), self.on)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.milestone.currentIndexChanged.connect(self.revalidate)
        self.on.date_edited.connect(self.revalidate)
        self.revalidate()

    def request(self) -> tuple[Milestone, date]:
        return Milestone(self.milestone.currentData()), self.on.date() or self._today

    def problems(self) -> dict[str, str]:
        if self.on.problem():
            return {"date": self.on.problem()}
        milestone, on = self.request()
        try:
            check_milestone(self._stage, milestone, on, self._today)
        except ValidationError as exc:
            return dict(exc.problems)
        return {}


class StageChangeDialog(StageDialog):
    """The stage dialog wired to the service, for screens that hold a record (the board)."""

    def __init__(
        self, desk: Any, mou: Any, to_stage: Stage | None = None, parent: QWidget | None = None
    ) -> None:
        def submit(change: StageChange) -> Any:
            return desk.mous.change_stage(mou.id, change, mou.version)

        super().__init__(
            dict(mou.values), submit, today=desk.db.today(), target=to_stage, parent=parent
        )
