"""The Exchange menu: workbooks with finance, PDF reports for leadership, the sample portfolio.

Each action opens its feature's own dialog (ui/exchange, ui/reports) on the window's desk and
task runner; when data changed, every screen is told to refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from mou_desk.ui.main_window import MainWindow


def install_work_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu(QCoreApplication.translate("WorkMenu", "E&xchange"))
    window.import_action = window._action(
        QCoreApplication.translate("WorkMenu", "&Import a workbook from finance…"),
        QKeySequence("Ctrl+I"),
        lambda: open_import_wizard(window),
        menu,
    )
    window.export_action = window._action(
        QCoreApplication.translate("WorkMenu", "&Export a workbook for finance…"),
        QKeySequence("Ctrl+E"),
        lambda: open_export_dialog(window),
        menu,
    )
    menu.addSeparator()
    window.report_action = window._action(
        QCoreApplication.translate("WorkMenu", "PDF status &report…"),
        QKeySequence.StandardKey.Print,
        lambda: open_report_dialog(window),
        menu,
    )
    menu.addSeparator()
    window.demo_action = window._action(
        QCoreApplication.translate("WorkMenu", "Load the &sample portfolio"),
        None,
        lambda: load_sample_portfolio(window),
        menu,
    )
    install_sync_menu(window)


def install_sync_menu(window: MainWindow) -> None:
    """The replica line in the status bar ("offline replica — last synced …") and the Sync
    menu: sync, conflicts, sync files, replicas for a trip (ui/sync)."""
    from mou_desk.ui.sync import install_sync

    window.sync_ui = install_sync(window, window.tasks, lambda: window.desk)
    window.sync_ui.records_changed.connect(lambda: window._mark_changed())
    window.desk_attached.connect(window.sync_ui.refresh)
    window.desk_changed.connect(window.sync_ui.refresh)


def _desk_or_wait(window: MainWindow) -> Any:
    if window.desk is None:
        QMessageBox.information(
            window,
            QCoreApplication.translate("WorkMenu", "MoU Desk"),
            QCoreApplication.translate("WorkMenu", "The database is still opening."),
        )
    return window.desk


def open_import_wizard(window: MainWindow) -> None:
    from mou_desk.ui.exchange.import_wizard import ImportWizard

    if (desk := _desk_or_wait(window)) is None:
        return
    wizard = ImportWizard(desk, window.tasks, window)
    wizard.changes_applied.connect(lambda _batch: window._mark_changed())
    wizard.exec()


def open_export_dialog(window: MainWindow) -> None:
    from mou_desk.ui.exchange.export_dialog import ExportDialog

    if (desk := _desk_or_wait(window)) is None:
        return
    ExportDialog(desk, window.tasks, window).exec()


def open_report_dialog(window: MainWindow) -> None:
    from mou_desk.ui.reports.dialog import ReportDialog

    if (desk := _desk_or_wait(window)) is None:
        return
    ReportDialog(desk, window.tasks, window, stale_days=window.settings.stale_thresholds()).exec()


def load_sample_portfolio(window: MainWindow) -> None:
    """Load the seeds' Japan delegation portfolio (safe to repeat) on the task runner."""
    from mou_desk.services.demo import load_demo

    if (desk := _desk_or_wait(window)) is None:
        return

    def done(result: Any) -> None:
        if result.already_there:
            text = QCoreApplication.translate("WorkMenu", "The sample portfolio is already loaded.")
        else:
            text = QCoreApplication.translate(
                "WorkMenu", "Loaded the sample portfolio ({0} records)."
            ).format(result.created)
        window.statusBar().showMessage(text, 8000)
        window._mark_changed()

    window.tasks.run(
        lambda _ctx: load_demo(desk),
        done,
        label=QCoreApplication.translate("WorkMenu", "Loading the sample portfolio"),
    )
