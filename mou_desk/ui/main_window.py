"""The main window: the screens with their navigation, global search, editors, and the
window's remembered layout. Screens are built the first time they are shown.

At start-up the window shows before the database is open (``desk=None``): the MoUs screen
paints its first rows from a preview, and what needs the database (the screens, the Exchange
and Sync menus, the follow-up counts) comes once ``attach_desk`` is called.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# QtCore.Qt is looked up when used: the first frame must not build the Qt namespace (ui.mous.look)
from PySide6 import QtCore
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QStackedWidget, QWidget

from mou_desk.domain.stages import DEFAULT_STALE_DAYS
from mou_desk.ui import settings as keys
from mou_desk.ui.due_notice import DueFollowUpsLabel, show_startup_notice
from mou_desk.ui.screens import SCREEN_KEYS, SCREENS, NavigationList, make_screen, screen_title
from mou_desk.ui.settings import Settings
from mou_desk.ui.tasks import TaskRunner
from mou_desk.ui.window_layout import restore_window_layout, save_window_layout
from mou_desk.ui.window_menus import add_action, add_main_menus, fill_main_menus

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent

    from mou_desk.services.desk import Desk

__all__ = ["SCREENS", "MainWindow", "screen_title"]

#: work that can wait starts this long after the first frame, so the frame is drawn and shown
#: in full before that work competes for the interpreter
AFTER_FIRST_FRAME_MS = 30


class MainWindow(QMainWindow):
    """Holds the screens; opens editors when a screen or the search asks for a record."""

    desk_changed = Signal()
    #: the database is open and the screens are live (after a start with ``desk=None``)
    desk_attached = Signal()

    desk: Desk | None
    file_menu: QMenu
    go_menu: QMenu
    # the File menu's actions, created by ui.window_menus.fill_main_menus
    new_action: QAction
    search_action: QAction
    # the Exchange menu's actions, created by ui.work_menu.install_work_menu
    import_action: QAction
    export_action: QAction
    report_action: QAction
    demo_action: QAction
    #: the replica line and Sync menu (ui.sync), added by ui.work_menu
    sync_ui: Any

    def __init__(
        self, desk: Desk | None, tasks: TaskRunner, settings: Settings,
        parent: QWidget | None = None, *, start_page: str | None = None, database: str = "",
        preview: Callable[[int], Any] | None = None,
    ) -> None:  # fmt: skip
        """``desk`` may be None while the database opens (``attach_desk`` follows); meanwhile
        the MoUs screen shows ``preview(n)``, its first n rows, and other screens a notice.
        """
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.desk = desk
        self._database = database
        self._preview = preview
        self._placeholders: dict[str, QWidget] = {}
        self._painted = False
        self._work_menu_installed = False
        self.tasks = tasks
        self.settings = settings
        self.editors: dict[str, Any] = {}
        self.views: dict[str, QWidget] = {}
        self._stale_views: set[str] = set()
        tasks.set_parent_widget(self)
        self._update_title()
        self.nav = NavigationList()
        self.stack = QStackedWidget()
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 1100])
        self.setCentralWidget(self.splitter)
        self.notice_label = DueFollowUpsLabel()
        self.statusBar().addPermanentWidget(self.notice_label)
        add_main_menus(self)
        self._menus_filled = False
        if desk is not None:
            self._finish_menus()
        self.nav.screen_chosen.connect(self.show_page)
        restore_window_layout(self)
        page = start_page or settings.get(keys.START_PAGE)
        self.show_page(page if page in SCREEN_KEYS else "dashboard")

    # -- building ------------------------------------------------------------------------------

    def _finish_menus(self) -> None:
        """The File and Go menus' items (just after the first frame: see ui.window_menus);
        the Exchange and Sync menus (ui.work_menu) once there is a database. The sync part
        loads the database layer (SQLAlchemy), so a window opened before its database gets
        them on attach."""
        if not self._menus_filled:
            self._menus_filled = True
            fill_main_menus(self)
        if self.desk is None or self._work_menu_installed:
            return
        self._work_menu_installed = True
        from mou_desk.ui.work_menu import install_work_menu

        install_work_menu(self)

    def _action(self, text: str, shortcut: Any, slot: Callable[[], Any], menu: Any) -> QAction:
        """An action in ``menu`` with a window-wide shortcut (used by ui.work_menu too)."""
        return add_action(self, text, shortcut, slot, menu)

    def _update_title(self) -> None:
        where = self._database
        if self.desk is not None and self.desk.opened is not None:
            where = self.desk.opened.url
        if where.startswith("sqlite:///"):
            where = where[len("sqlite:///") :]
        self.setWindowTitle(self.tr("MoU Desk — {0}").format(where) if where else "MoU Desk")

    # -- screens -------------------------------------------------------------------------------

    def view(self, key: str) -> QWidget:
        """The screen for ``key``, built on first use."""
        if key not in self.views:
            widget = make_screen(key, self.desk, self.tasks, self)
            self.views[key] = widget
            self.stack.addWidget(widget)
            self._wire(key, widget)
        return self.views[key]

    def _wire(self, key: str, widget: QWidget) -> None:
        signal = getattr(widget, "record_activated", None)
        if signal is not None:
            signal.connect(self.open_record)
        restore = getattr(widget, "restore_state", None)
        if restore is not None:
            restore(self.settings)
        thresholds = getattr(widget, "set_thresholds", None)
        chosen = self.settings.stale_thresholds()
        if thresholds is not None and chosen != dict(DEFAULT_STALE_DAYS):
            thresholds(chosen)
        if key == "mous":
            widget.new_mou_requested.connect(self.new_mou)  # type: ignore[attr-defined]
            widget.mous_deleted.connect(lambda _ids: self._mark_changed("mous"))  # type: ignore[attr-defined]
            widget.filter_applied.connect(self._on_mous_filter_applied)  # type: ignore[attr-defined]
        if key == "pipeline":
            if "mous" in self.views:
                widget.set_filter(self.views["mous"].mou_filter())  # type: ignore[attr-defined]
            stage_changed = getattr(widget, "stage_changed", None)
            if stage_changed is not None:
                stage_changed.connect(lambda _id: self._mark_changed("pipeline"))
        if key == "trash":
            widget.records_restored.connect(lambda _r: self._mark_changed("trash"))  # type: ignore[attr-defined]

    def _placeholder(self, key: str) -> QWidget:
        """What a screen shows while the database opens."""
        if key not in self._placeholders:
            widget: QWidget
            if key == "mous":
                from mou_desk.ui.mous.preview import MousPreview, rows_to_fill

                rows = self._preview(rows_to_fill(self)) if self._preview is not None else None
                widget = MousPreview(
                    rows or [], self.settings.layout("mous/header"),
                    thresholds=self.settings.stale_thresholds(),
                )  # fmt: skip
            else:
                widget = QLabel(self.tr("Opening the database…"))
                widget.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            self._placeholders[key] = widget
            self.stack.addWidget(widget)
        return self._placeholders[key]

    def attach_desk(self, desk: Desk) -> None:
        """The database is open: the screens replace their placeholders."""
        key = self.current_page() or "dashboard"
        self.desk = desk
        self._update_title()
        self.show_page(key)
        for widget in self._placeholders.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._placeholders.clear()
        self.update_notice()
        self.desk_attached.emit()
        self._finish_menus()

    def show_page(self, key: str) -> QWidget:
        if self.desk is None:
            placeholder = self._placeholder(key)
            self.stack.setCurrentWidget(placeholder)
            self.nav.select(key)
            return placeholder
        widget = self.view(key)
        self.stack.setCurrentWidget(widget)
        self.nav.select(key)
        if key in self._stale_views:
            self._stale_views.discard(key)
            getattr(widget, "refresh", lambda: None)()
        return widget

    def current_page(self) -> str:
        for key, widget in (*self.views.items(), *self._placeholders.items()):
            if widget is self.stack.currentWidget():
                return key
        return ""

    @Slot()
    def refresh_current(self) -> None:
        widget = self.stack.currentWidget()
        if widget is not None:
            getattr(widget, "refresh", lambda: None)()

    def _mark_changed(self, source: str = "") -> None:
        """Data changed: refresh the shown screen now, the others when next shown."""
        current = self.current_page()
        for key, widget in self.views.items():
            if key == source:
                continue
            if key == current:
                getattr(widget, "refresh", lambda: None)()
            else:
                self._stale_views.add(key)
        self.update_notice()

    @Slot(object)
    def _on_mous_filter_applied(self, flt: object) -> None:
        pipeline = self.views.get("pipeline")
        if pipeline is not None:
            pipeline.set_filter(flt)  # type: ignore[attr-defined]

    # -- records -------------------------------------------------------------------------------

    @Slot(str, str)
    def open_record(self, record_type: str, record_id: str) -> None:
        if self.desk is None:
            return
        if record_type == "mou":
            self.open_mou(record_id)
            return
        try:
            editors = importlib.import_module("mou_desk.ui.editors")
        except ImportError:
            self.statusBar().showMessage(self.tr("No editor for this kind of record yet."), 5000)
            return
        if editors.open_record_editor(self.desk, record_type, record_id, self):
            self._mark_changed()

    def open_mou(self, mou_id: str | None) -> Any:
        """Open (or bring forward) the editor of an MoU; None opens a new one."""
        from mou_desk.domain.errors import DeskError
        from mou_desk.ui.errors import show_error
        from mou_desk.ui.mous.editor import MouEditor

        if self.desk is None:
            return None
        if mou_id and mou_id in self.editors:
            editor = self.editors[mou_id]
            editor.showNormal()
            editor.raise_()
            editor.activateWindow()
            return editor
        try:
            editor = MouEditor(self.desk, mou_id, self)
        except DeskError as exc:
            show_error(self, exc)
            return None
        editor.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        key = mou_id or f"new-{id(editor)}"
        self.editors[key] = editor
        editor.finished.connect(lambda _r, k=key: self.editors.pop(k, None))
        editor.mou_saved.connect(lambda _id: self._mark_changed())
        editor.mou_deleted.connect(lambda _id: self._mark_changed())
        editor.record_activated.connect(self.open_record)
        geometry = self.settings.layout("editor/geometry")
        if geometry is not None:
            editor.restoreGeometry(geometry)
        editor.finished.connect(
            lambda _r, e=editor: self.settings.set_layout("editor/geometry", e.saveGeometry())
        )
        editor.show()
        return editor

    @Slot()
    def new_mou(self) -> Any:
        return self.open_mou(None)

    @Slot()
    def open_search(self) -> Any:
        from mou_desk.ui.search.dialog import SearchDialog

        if self.desk is None:
            return None
        dialog = SearchDialog(self.desk, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_activated.connect(self.open_record)
        dialog.open()
        dialog.query.setFocus()
        self.search_dialog = dialog
        return dialog

    @Slot()
    def open_settings(self) -> None:
        from mou_desk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        old_clerk = self.settings.clerk()
        old_database = self.settings.get(keys.DATABASE)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(old_clerk)
        if self.settings.get(keys.DATABASE) != old_database:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(
                self, self.tr("Database"),
                self.tr("MoU Desk will open the chosen database when it next starts."),
            )  # fmt: skip

    def apply_settings(self, old_clerk: str = "") -> None:
        """Use changed settings at once (the database changes on the next start)."""
        thresholds = self.settings.stale_thresholds()
        for widget in self.views.values():
            setter = getattr(widget, "set_thresholds", None)
            if setter is not None:
                setter(thresholds)
        clerk = self.settings.clerk()
        if clerk != old_clerk and self.desk is not None:
            from mou_desk.services.desk import Desk

            self.set_desk(Desk.for_database(self.desk.db.as_(clerk=clerk), self.desk.opened))

    def set_desk(self, desk: Desk) -> None:
        """Work with another Desk (the clerk's name changed): screens are rebuilt."""
        current = self.current_page() or "dashboard"
        self.save_layout()
        self.desk = desk
        for widget in self.views.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.views.clear()
        self._stale_views.clear()
        self.show_page(current)
        self.desk_changed.emit()

    # -- notices and layout --------------------------------------------------------------------

    def update_notice(self) -> None:
        """Count overdue and due-today follow-ups for the status bar (on a worker)."""
        if self.desk is not None:
            self.notice_label.count(self.desk, self.tasks)

    def show_startup_notice(self) -> None:
        """Once a day: what is overdue or due today, including days the app was closed."""
        if self.desk is not None:
            show_startup_notice(self.desk, self.settings, self)

    def save_layout(self) -> None:
        save_window_layout(self)

    @Slot(list)
    def bring_to_front(self, _arguments: list[str] | None = None) -> None:
        """Another launch asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        for editor in list(self.editors.values()):
            if not editor.may_close():
                event.ignore()
                editor.raise_()
                return
        if self.tasks.active_count():
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self, self.tr("Work in progress"),
                self.tr("Some work is still running. Stop it and close MoU Desk?"),
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.tasks.cancel_all()
            self.tasks.wait(10_000)
        for editor in list(self.editors.values()):
            editor.setWindowModified(False)
            editor.done(0)
        self.save_layout()
        event.accept()

    #: the window has painted once (start-up continues from there)
    first_painted = Signal()

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)
            QTimer.singleShot(0, self.update_notice)
            QTimer.singleShot(AFTER_FIRST_FRAME_MS, self._finish_menus)
