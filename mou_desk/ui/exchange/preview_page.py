"""The import wizard's preview (tabs: new, changed, conflicts, errors), apply and summary.

The workbook is read and planned on the task runner (progress, Cancel); nothing is written
until "Apply". Conflicts are resolved field by field (MoU Desk's value or the workbook's);
possible duplicates are left out unless confirmed; invalid rows can be left out with the
"apply the other rows" box, or written to an error workbook for finance to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from mou_desk.services import changesets as cs
from mou_desk.services import imports
from mou_desk.services.changesets import ApplyResult
from mou_desk.services.imports import ImportPreview
from mou_desk.ui.errors import message_for
from mou_desk.ui.exchange.plan_model import (
    ChangesModel,
    ChoiceDelegate,
    ConflictsModel,
    NewRowsModel,
    ProblemsModel,
)
from mou_desk.ui.tasks import TaskContext

if TYPE_CHECKING:
    from mou_desk.ui.exchange.import_wizard import ImportWizard

ERROR_STYLE = "color: #a8261b;"


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    return view


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.preview: ImportPreview | None = None
        self.applying = False
        self.setTitle(self.tr("Check the changes"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Apply"))
        self.summary = QLabel()
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("previewTabs")
        self.new_view = _table("newTable")
        self.changed_view = _table("changedTable")
        self.conflict_view = _table("conflictTable")
        self.problem_view = _table("problemTable")
        for view, label in (
            (self.new_view, self.tr("New")),
            (self.changed_view, self.tr("Changed")),
            (self.conflict_view, self.tr("Conflicts")),
            (self.problem_view, self.tr("Errors")),
        ):
            self.tabs.addTab(view, label)
        self.keep_all = QPushButton(self.tr("Keep all MoU Desk values"))
        self.keep_all.setObjectName("keepAllButton")
        self.take_all = QPushButton(self.tr("Take all workbook values"))
        self.take_all.setObjectName("takeAllButton")
        self.errors_button = QPushButton(self.tr("Save error workbook…"))
        self.errors_button.setObjectName("errorsButton")
        self.rest_check = QCheckBox(self.tr("Apply the other rows; leave out those with problems"))
        self.rest_check.setObjectName("restCheck")
        self.message = QLabel()
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_all)
        buttons.addWidget(self.take_all)
        buttons.addStretch(1)
        buttons.addWidget(self.errors_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.rest_check)
        layout.addWidget(self.message)
        self.keep_all.clicked.connect(self._on_keep_all_clicked)
        self.take_all.clicked.connect(self._on_take_all_clicked)
        self.errors_button.clicked.connect(self._on_errors_button_clicked)
        self.rest_check.toggled.connect(self._on_rest_check_toggled)
        self.new_model: NewRowsModel | None = None
        self.conflicts_model: ConflictsModel | None = None

    # -- planning ------------------------------------------------------------------------------

    def initializePage(self) -> None:
        self.preview = None
        self.applying = False
        self._show(None)
        self.summary.setText(self.tr("Reading and checking {0}…").format(self._wizard.path.name))
        db, path, mapping = self._wizard.desk.db, self._wizard.path, self._wizard.mapping
        read = self.tr("Read {0} rows")

        def work(ctx: TaskContext) -> ImportPreview:
            def progress(rows: int, _total: int) -> None:
                ctx.on_progress(rows, 0, read.format(f"{rows:,}"))

            return imports.preview_import(
                db, path, mapping, on_progress=progress, is_cancelled=ctx.is_cancelled
            )

        self._wizard.tasks.run(
            work,
            self._on_previewed,
            label=self.tr("Checking the workbook"),
            on_error=self._on_failed,
            on_cancelled=self._on_cancelled,
        )

    def _on_previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        self._wizard.preview = preview
        self._show(preview)

    def _on_failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("The workbook cannot be imported as it is."))
        self._say(message_for(exc), error=True)

    def _on_cancelled(self) -> None:
        self.summary.setText(self.tr("Cancelled; nothing was read or changed."))

    def _show(self, preview: ImportPreview | None) -> None:
        if preview is None:
            for view in (self.new_view, self.changed_view, self.conflict_view, self.problem_view):
                view.setModel(None)
            self.new_model = self.conflicts_model = None
            self.message.clear()
            self.completeChanged.emit()
            return
        self.new_model = NewRowsModel(preview, self)
        self.conflicts_model = ConflictsModel(preview, self)
        changes, problems = ChangesModel(preview, self), ProblemsModel(preview, self)
        self.new_view.setModel(self.new_model)
        self.changed_view.setModel(changes)
        self.conflict_view.setModel(self.conflicts_model)
        self.conflict_view.setItemDelegateForColumn(
            ConflictsModel.USE, ChoiceDelegate(self.conflicts_model.choices, self.conflict_view)
        )
        self.problem_view.setModel(problems)
        self.conflict_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        counts = preview.counts()
        for tab, count in enumerate(
            (
                counts["created"] + counts["duplicates"],
                len(changes.rows),
                len(self.conflicts_model.rows),
                len(problems.rows),
            )
        ):
            self.tabs.setTabText(tab, self.tabs.tabText(tab).split(" (")[0] + f" ({count:,})")
        self.summary.setText(
            self.tr(
                "{0}: {1} new, {2} changed, {3} unchanged; {4} with conflicts, {5} with errors, "
                "{6} possible duplicates."
            ).format(
                preview.path.name,
                *(
                    f"{counts[k]:,}"
                    for k in (
                        "created",
                        "updated",
                        "unchanged",
                        "conflicts",
                        "errors",
                        "duplicates",
                    )
                ),
            )
        )
        if preview.warnings:
            self._say("\n".join(preview.warnings[:5]), error=False)
        self.new_model.confirmations_changed.connect(self.completeChanged)
        self.conflicts_model.resolutions_changed.connect(self.completeChanged)
        for button in (self.keep_all, self.take_all):
            button.setEnabled(bool(self.conflicts_model.entries))
        self.errors_button.setEnabled(bool(preview.plan.blocking))
        first = next(
            (i for i, n in ((2, len(self.conflicts_model.rows)), (3, len(problems.rows))) if n), 0
        )
        self.tabs.setCurrentIndex(first or (1 if changes.rows else 0))
        for view in (self.new_view, self.changed_view, self.conflict_view, self.problem_view):
            view.resizeColumnsToContents()
        self.completeChanged.emit()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    # -- decisions -----------------------------------------------------------------------------

    def resolutions(self) -> dict[tuple[int, str], str]:
        chosen: dict[tuple[int, str], str] = {}
        if self.conflicts_model is not None:
            chosen.update(self.conflicts_model.resolutions)
        if self.new_model is not None:
            chosen.update({(index, cs.ROW): cs.THEIRS for index in self.new_model.confirmed})
        return chosen

    def left_out(self) -> int:
        """Rows that would stay out of the apply as things stand."""
        if self.preview is None:
            return 0
        chosen = self.resolutions()
        from mou_desk.services.changeset_apply import writes_of

        return len(writes_of(self.preview.plan, chosen)[1])

    def isComplete(self) -> bool:
        if self.preview is None or self.applying:
            return False
        return self.left_out() == 0 or self.rest_check.isChecked()

    @Slot()
    def _on_keep_all_clicked(self) -> None:
        if self.conflicts_model is not None:
            self.conflicts_model.resolve_all(cs.OURS)

    @Slot()
    def _on_take_all_clicked(self) -> None:
        if self.conflicts_model is not None:
            self.conflicts_model.resolve_all(cs.THEIRS)

    @Slot(bool)
    def _on_rest_check_toggled(self, _on: bool) -> None:
        self.completeChanged.emit()

    @Slot()
    def _on_errors_button_clicked(self) -> None:
        if self.preview is None:
            return
        suggested = self.preview.path.with_name(self.preview.path.stem + " - errors.xlsx")
        chosen = self._wizard.choose_save_path(suggested)
        if chosen is None:
            return
        try:
            count = imports.write_errors(self.preview, chosen)
        except Exception as exc:
            self._say(message_for(exc), error=True)
            return
        self._say(
            self.tr("{0} rows with problems written to {1}.").format(count, chosen.name),
            error=False,
        )

    # -- applying ------------------------------------------------------------------------------

    def validatePage(self) -> bool:
        if self._wizard.applied is not None:
            return True
        if self.preview is None or self.applying:
            return False
        self.applying = True
        self.completeChanged.emit()
        db, preview = self._wizard.desk.db, self.preview
        chosen, rest = self.resolutions(), self.rest_check.isChecked()

        def work(ctx: TaskContext) -> ApplyResult:
            return imports.apply_import(
                db,
                preview,
                chosen,
                apply_rest=rest,
                on_progress=lambda done, total: ctx.on_progress(done, total, ""),
                is_cancelled=ctx.is_cancelled,
            )

        self._wizard.tasks.run(
            work,
            self._on_applied,
            label=self.tr("Applying the changes"),
            on_error=self._on_apply_failed,
            on_cancelled=self._on_apply_cancelled,
        )
        return False

    def _on_applied(self, result: ApplyResult) -> None:
        self._wizard.applied = result
        self.applying = False
        self._wizard.changes_applied.emit(result.batch_id)
        QTimer.singleShot(0, self._wizard, self._wizard.next)  # not after the wizard is gone

    def _on_apply_failed(self, exc: BaseException) -> None:
        self.applying = False
        self._say(message_for(exc), error=True)
        self.completeChanged.emit()

    def _on_apply_cancelled(self) -> None:
        self.applying = False
        self._say(self.tr("Cancelled; nothing was written."), error=False)
        self.completeChanged.emit()


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Done"))
        self.text = QLabel()
        self.text.setObjectName("summaryText")
        self.text.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo this import"))
        self.undo_button.setObjectName("undoButton")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)

    def initializePage(self) -> None:
        result = self._wizard.applied
        if result is None:
            return
        self.undo_button.setEnabled(bool(result.created or result.updated))
        self.text.setText(
            self.tr(
                "Created {0} and updated {1} records; {2} rows left out, {3} unchanged.\n"
                "Every change is in the history as coming from {4}, and can be undone together."
            ).format(
                result.created,
                result.updated,
                result.skipped,
                f"{result.unchanged:,}",
                self._wizard.path.name,
            )
        )

    @Slot()
    def _on_undo_button_clicked(self) -> None:
        result = self._wizard.applied
        if result is None:
            return
        db = self._wizard.desk.db

        def work(_ctx: TaskContext) -> Any:
            return imports.revert_import(db, result.batch_id)

        self.undo_button.setEnabled(False)
        self._wizard.tasks.run(
            work,
            self._on_undone,
            label=self.tr("Undoing the import"),
            on_error=self._on_undo_failed,
        )

    def _on_undone(self, _result: Any) -> None:
        self.text.setText(self.tr("The import was undone: its records are back as they were."))
        self._wizard.changes_applied.emit("")

    def _on_undo_failed(self, exc: BaseException) -> None:
        self.text.setText(message_for(exc))
        self.undo_button.setEnabled(True)


def default_save_path(parent: Any, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Save the error workbook"), str(suggested), "Excel (*.xlsx)"
    )
    return Path(name) if name else None
