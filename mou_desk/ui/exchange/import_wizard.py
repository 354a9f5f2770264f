"""Import a workbook: file -> sheet and mapping -> preview (new, changed, conflicts, errors)
-> apply -> summary. Reading, planning and applying run on the task runner, with progress and
Cancel; the rules live in services.imports and services.changesets, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from mou_desk.exchange.workbook_import import ColumnMapping
from mou_desk.services.changesets import ApplyResult
from mou_desk.services.desk import Desk
from mou_desk.services.imports import ImportPreview
from mou_desk.ui.exchange.import_pages import FilePage, MappingPage
from mou_desk.ui.exchange.preview_page import PreviewPage, SummaryPage, default_save_path
from mou_desk.ui.tasks import TaskRunner


class ImportWizard(QWizard):
    """The wizard; ``changes_applied(batch_id)`` tells the screens to refresh ("" after undo)."""

    changes_applied = Signal(str)
    FILE, MAPPING, PREVIEW, SUMMARY = range(4)

    def __init__(
        self,
        desk: Desk,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        path: Path | None = None,
        save_path_chooser: Callable[[Path], Path | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import a workbook"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.desk = desk
        self.tasks = tasks
        self.path = Path()
        self.sheets: list[str] = []
        self.standard: list[str] = []
        self.mapping: ColumnMapping | None = None
        self.preview: ImportPreview | None = None
        self.applied: ApplyResult | None = None
        self._chooser = save_path_chooser
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.summary_page = SummaryPage(self)
        for page_id, page in (
            (self.FILE, self.file_page),
            (self.MAPPING, self.mapping_page),
            (self.PREVIEW, self.preview_page),
            (self.SUMMARY, self.summary_page),
        ):
            self.setPage(page_id, page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(980, 640)
        if path is not None:
            self.file_page.path_edit.setText(str(path))

    def choose_save_path(self, suggested: Path) -> Path | None:
        if self._chooser is not None:
            return self._chooser(suggested)
        return default_save_path(self, suggested)
