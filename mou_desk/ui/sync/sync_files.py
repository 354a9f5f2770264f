"""Hand-over without a connection, from the Sync menu.

On a laptop's replica, "Write a sync file…" puts its changes since the last sync in a
``.mousync`` file. At the office, "Apply a sync file…" on the shared database applies it and
writes the answer (next to it by default, as ``mou-desk sync import`` does); back on the laptop
the same action takes the answer in, exactly as an online sync takes its reply. The work runs
on the task runner; a refused file (not a sync file, one for another database, an answer on
the shared database) is shown as its message and changes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from mou_desk.services.desk import Desk
from mou_desk.services.sync import Exported, Imported, export_changes, import_file
from mou_desk.services.sync.syncfile import CHANGES, SUFFIX, answer_path, read_kind
from mou_desk.ui.tasks import TaskContext, TaskRunner

MESSAGE_MS = 15_000


def with_suffix(text: str) -> Path:
    """The chosen file, named ….mousync whatever the file dialog left of the name."""
    path = Path(text)
    return path if path.name.lower().endswith(SUFFIX) else path.with_name(path.name + SUFFIX)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class SyncFiles(QObject):
    """Writes and applies sync files for ``window``; one piece of work at a time.

    ``started`` and ``finished`` frame each piece of work (``finished`` comes whatever the
    outcome); ``applied`` (the ``Imported``) says records may have changed here.
    """

    started = Signal()
    finished = Signal()
    applied = Signal(object)

    def __init__(self, window: QMainWindow, tasks: TaskRunner) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = tasks
        self.folder: Path | None = None  # where the last file was chosen

    def _file_filter(self) -> str:
        return self.tr("MoU Desk sync files (*.mousync);;All files (*)")

    def _start_folder(self) -> Path:
        return self.folder or documents_folder()

    # -- writing -------------------------------------------------------------------------------

    def write(self, desk: Desk) -> bool:
        """Ask where, then write the replica's changes there; False when the clerk cancelled."""
        stem = Path(desk.opened.url).stem if desk.opened is not None else "replica"
        suggested = self._start_folder() / f"{stem} {date.today():%d-%m-%Y}{SUFFIX}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self.window, self.tr("Write a sync file"), str(suggested), self._file_filter()
        )
        if not chosen:
            return False
        path = with_suffix(chosen)
        self.folder = path.parent

        def work(_ctx: TaskContext) -> Exported:
            return export_changes(desk, path)

        self.started.emit()
        self.tasks.run(
            work,
            self._on_written,
            label=self.tr("Writing the sync file…"),
            on_error=self._on_failed,
            cancellable=False,  # a few seconds at most, and written whole or not at all
        )
        return True

    def _on_written(self, exported: Exported) -> None:
        self.finished.emit()
        self.window.statusBar().showMessage(
            self.tr("Wrote {0} changed record(s) to {1}.").format(
                exported.records, exported.path.name
            ),
            MESSAGE_MS,
        )
        QMessageBox.information(
            self.window, self.tr("Sync file written"), self.written_text(exported)
        )

    def written_text(self, exported: Exported) -> str:
        if exported.records:
            first = self.tr("Wrote {0} record(s) changed here since the last sync to {1}.").format(
                exported.records, exported.path
            )
        else:
            first = self.tr(
                "Nothing changed here since the last sync; {0} still brings back what changed "
                "in the shared database."
            ).format(exported.path)
        return "\n\n".join(
            (
                first,
                self.tr(
                    "At the office, Sync > Apply a sync file… applies it to the shared database "
                    "and writes an answer file. Bring the answer back and apply it here the same "
                    "way; until then these changes count as not yet synced."
                ),
            )
        )

    # -- applying ------------------------------------------------------------------------------

    def apply(self, desk: Desk, *, on_replica: bool) -> bool:
        """Ask for a sync file (and, on the shared database, where its answer goes), then apply
        it; False when the clerk cancelled a file dialog."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Apply a sync file"),
            str(self._start_folder()),
            self._file_filter(),
        )
        if not chosen:
            return False
        path = Path(chosen)
        self.folder = path.parent
        answer: Path | None = None
        # a laptop's changes on the shared database: where the answer goes (any other file is
        # refused when applied, with what is wrong)
        if not on_replica and read_kind(path) == CHANGES:
            target, _filter = QFileDialog.getSaveFileName(
                self.window,
                self.tr("Where to write the answer for the laptop"),
                str(answer_path(path)),
                self._file_filter(),
            )
            if not target:
                return False
            answer = with_suffix(target)

        def work(ctx: TaskContext) -> Imported:
            return import_file(desk, path, answer, is_cancelled=ctx.is_cancelled)

        self.started.emit()
        self.tasks.run(
            work,
            self._on_applied,
            label=self.tr("Applying {0}…").format(path.name),
            on_error=self._on_failed,
            on_cancelled=self._on_cancelled,
        )
        return True

    def _on_applied(self, imported: Imported) -> None:
        self.finished.emit()
        self.applied.emit(imported)
        if imported.result is not None:
            short = self.tr("Synced through a sync file: sent {0}, took in {1}.").format(
                imported.result.pushed, imported.result.pulled
            )
        else:
            name = imported.answer.name if imported.answer is not None else ""
            short = self.tr("Applied the laptop's changes; its answer is {0}.").format(name)
        self.window.statusBar().showMessage(short, MESSAGE_MS)
        text = self.applied_text(imported)
        title = self.tr("Sync file applied")
        if imported.problems:
            QMessageBox.warning(self.window, title, text)
        else:
            QMessageBox.information(self.window, title, text)

    def applied_text(self, imported: Imported) -> str:
        """What applying the file did, in a few sentences for the clerk."""
        lines: list[str] = []
        if imported.result is not None:  # the answer, taken in on the replica
            result = imported.result
            lines.append(
                self.tr(
                    "Took in the answer from {0}: {1} of the changes sent from here were taken "
                    "there; {2} new and {3} changed record(s) came in."
                ).format(
                    result.upstream, result.pushed, result.pulled_created, result.pulled_updated
                )
            )
            if result.conflicts_resolved:
                lines.append(self.tr("{0} conflict(s) settled.").format(result.conflicts_resolved))
            for old, new in result.renumbered:
                lines.append(
                    self.tr("MoU {0} is now {1}: {0} was already taken in the shared database.")
                    .format(old, new)
                )  # fmt: skip
            if result.conflicts_waiting:
                lines.append(
                    self.tr(
                        "{0} conflict(s) wait for your decision: Sync > Conflicts from syncing…"
                    ).format(result.conflicts_waiting)
                )
        else:  # a laptop's changes, applied on the shared database
            pushed = imported.pushed or {}
            created, updated = pushed.get("created", 0), pushed.get("updated", 0)
            conflicts = pushed.get("conflicts", 0)
            if created or updated or conflicts:
                lines.append(
                    self.tr(
                        "Merged the laptop's changes: {0} new and {1} changed record(s); {2} "
                        "conflict(s) kept for the laptop's clerk to decide."
                    ).format(created, updated, conflicts)
                )
            else:
                lines.append(self.tr("Nothing new to merge: these changes were here already."))
            lines.append(
                self.tr(
                    "The answer is in {0}. Give it back to the laptop, where Sync > Apply a sync "
                    "file… takes it in."
                ).format(imported.answer)
            )
        lines.extend(self.tr("Not applied: {0}").format(p) for p in imported.problems)
        return "\n\n".join(lines)

    # -- outcomes ------------------------------------------------------------------------------

    def _on_failed(self, error: BaseException) -> None:
        self.finished.emit()
        self.tasks.report_error(error)

    def _on_cancelled(self) -> None:
        self.finished.emit()
        self.window.statusBar().showMessage(self.tr("Cancelled; nothing was applied."), MESSAGE_MS)
