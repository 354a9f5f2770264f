"""The main window and the composition root: navigation, editors, search, single instance."""

from __future__ import annotations

import os
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mou_desk.services.desk import Desk
from mou_desk.ui.main_window import SCREENS, MainWindow
from mou_desk.ui.mous.editor import MouEditor
from mou_desk.ui.settings import Settings
from mou_desk.ui.single_instance import SingleInstance, instance_key
from mou_desk.ui.tasks import SyncTaskRunner


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MouEditor, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)


@pytest.fixture
def window(demo_desk: Desk, qtbot) -> MainWindow:
    win = MainWindow(demo_desk, SyncTaskRunner(), Settings(), start_page="mous")
    qtbot.addWidget(win)
    return win


def test_every_screen_opens(window: MainWindow) -> None:
    for key, _module, _name in SCREENS:
        widget = window.show_page(key)
        assert window.stack.currentWidget() is widget
        assert window.current_page() == key
        assert hasattr(widget, "record_activated")
    assert window.nav.count() == len(SCREENS)


def test_new_mou_from_ctrl_n_is_listed_after_save(window: MainWindow, qtbot) -> None:
    window.show()
    qtbot.waitExposed(window)
    mous = window.show_page("mous")
    before = mous.model.loaded_count()
    window.new_action.trigger()
    editor = next(e for e in window.editors.values())
    editor.form.widgets["title"].setText("Hydrogen valley")
    editor.form.widgets["title"].textEdited.emit("Hydrogen valley")
    assert editor.save()
    assert mous.model.loaded_count() == before + 1
    mous.search("Hydrogen")
    assert mous.model.rowCount() == 1
    # opening the same MoU again brings its editor forward instead of a second one
    mou_id = mous.model.row_at(0).id
    first = window.open_mou(mou_id)
    assert window.open_mou(mou_id) is first


def test_global_search_opens_the_record(window: MainWindow, qtbot, monkeypatch) -> None:
    dialog = window.open_search()
    qtbot.keyClicks(dialog.query, "Tanaka")
    dialog.run_search()
    assert dialog.model.rowCount() >= 1
    kinds = {dialog.model.hit_at(r).kind for r in range(dialog.model.rowCount())}
    assert "partner" in kinds
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.hit_at(r).kind == "mou")
    dialog.results.selectRow(row)
    opened = []
    monkeypatch.setattr(window, "open_mou", lambda mou_id: opened.append(mou_id))
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert opened == [dialog.model.hit_at(row).record_id]


def test_other_records_open_through_the_editors_module(window: MainWindow, monkeypatch) -> None:
    calls = []
    import mou_desk.ui.editors as editors

    monkeypatch.setattr(editors, "open_record_editor", lambda *a: calls.append(a[1:3]) or False)
    partner = window.desk.partners.all()[0]
    window.open_record("partner", partner.id)
    assert calls == [("partner", partner.id)]


def test_layout_is_remembered(demo_desk: Desk, qtbot) -> None:
    settings = Settings()
    first = MainWindow(demo_desk, SyncTaskRunner(), settings, start_page="partners")
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.splitter.setSizes([220, 480])
    first.save_layout()
    again = MainWindow(demo_desk, SyncTaskRunner(), Settings())
    qtbot.addWidget(again)
    assert again.current_page() == "partners"
    assert again.size().width() == 700
    assert again.splitter.sizes()[0] == 220


def test_status_bar_counts_due_followups(window: MainWindow) -> None:
    window.update_notice()
    text = window.notice_label.text()
    assert "overdue" in text or "No follow-ups" in text


def test_due_count_is_red_while_overdue_and_keeps_the_status_bar_still(qtbot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from mou_desk.ui.due_notice import DueFollowUpsLabel

    label = DueFollowUpsLabel()
    qtbot.addWidget(label)
    normal = label.palette().color(QPalette.ColorRole.WindowText)
    before = max(label.sizeHint().height(), label.minimumHeight())
    label.show_counts((2, 1))
    assert label.text() == "Follow-ups: 2 overdue, 1 due today"
    assert label.palette().color(QPalette.ColorRole.WindowText) == QColor(176, 0, 32)
    assert label.sizeHint().height() == before
    label.show_counts((0, 3))
    assert label.palette().color(QPalette.ColorRole.WindowText) == normal
    label.show_counts((0, 0))
    assert label.text() == "No follow-ups due today"
    assert label.sizeHint().height() == before


def test_second_launch_is_forwarded_to_the_first(qtbot, tmp_path) -> None:
    key = instance_key(tmp_path / "db.sqlite3")
    assert key == instance_key(str(tmp_path / "db.sqlite3"))
    first = SingleInstance(key)
    assert first.acquire()
    try:
        second = SingleInstance(key)
        assert not second.acquire()
        with qtbot.waitSignal(first.activation_requested, timeout=5000) as received:
            assert second.forward(["--db", "x"])
        assert received.args == [["--db", "x"]]
    finally:
        first.release()
    third = SingleInstance(key)
    assert third.acquire()  # released: the next launch becomes the first
    third.release()


def test_choose_database_prefers_the_command_line(monkeypatch, tmp_path) -> None:
    from mou_desk import paths
    from mou_desk.ui import settings as keys
    from mou_desk.ui.app import choose_database

    settings = Settings()
    default = str(paths.default_database())
    assert choose_database(default, settings) == default
    settings.set(keys.DATABASE, str(tmp_path / "chosen.sqlite3"))
    monkeypatch.delenv("MOU_DESK_DB", raising=False)
    assert choose_database(default, settings) == str(tmp_path / "chosen.sqlite3")
    assert choose_database("/elsewhere.sqlite3", settings) == "/elsewhere.sqlite3"


def test_a_database_that_cannot_be_opened_is_a_message_not_a_traceback(
    qtbot, tmp_path, monkeypatch
) -> None:
    from mou_desk.ui.app import open_desk

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_text("hello, this is not SQLite")
    assert open_desk(str(bad), "Clerk") is None
    assert shown and "Traceback" not in shown[0]


def test_startup_does_not_import_excel_or_pdf_libraries() -> None:
    import subprocess

    code = (
        "import sys, mou_desk.ui.app, mou_desk.ui.main_window, mou_desk.ui.mous.view;"
        "print(sorted(m for m in ('openpyxl', 'reportlab') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_window_shows_before_the_database_layer_loads(tmp_path) -> None:
    """Everything up to the first frame (window, menus, MoUs preview) runs without SQLAlchemy:
    loading it is what the database opening on a worker does meanwhile."""
    import subprocess

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from mou_desk.ui.main_window import MainWindow\n"
        "from mou_desk.ui.settings import Settings\n"
        "from mou_desk.ui.tasks import TaskRunner\n"
        "app = QApplication([])\n"
        "window = MainWindow(None, TaskRunner(), Settings(), start_page='mous',\n"
        "                    preview=lambda _rows: None)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOU_DESK_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


def test_start_paints_the_first_rows_then_attaches_the_database(
    demo_desk: Desk, qtbot, qapp
) -> None:
    from mou_desk.ui import settings as keys
    from mou_desk.ui.app import start

    settings = Settings()
    settings.set(keys.START_PAGE, "mous")
    settings.set(keys.BACKUP_MODE, "off")
    database = demo_desk.opened.url
    window = start(qapp, database, settings, notice=False)
    qtbot.addWidget(window)
    preview = window.stack.currentWidget()
    assert preview.objectName() == "mousPreview"
    assert preview.model.rowCount() == len(demo_desk.mous.all())
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&File" in menus and "E&xchange" not in menus
    with qtbot.waitSignal(window.desk_attached, timeout=20_000):
        pass
    # the Exchange and Sync menus come with the database
    assert "E&xchange" in [a.text() for a in window.menuBar().actions()]
    assert window.import_action.text() and window.sync_ui is not None
    live = window.stack.currentWidget()
    assert live.objectName() == "mousView"
    assert window.desk.db.clerk == settings.clerk()
    with qtbot.waitSignal(live.rows_loaded, timeout=20_000):
        live.refresh()
    assert live.model.rowCount() == len(demo_desk.mous.all())
    window.tasks.wait(10_000)


def test_start_explains_a_database_it_cannot_open(qtbot, qapp, tmp_path, monkeypatch) -> None:
    from mou_desk.ui.app import start

    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_text("hello, this is not SQLite")
    shown, codes = [], []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(qapp, "exit", lambda code=0: codes.append(code))
    window = start(qapp, str(bad), Settings(), notice=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(codes), timeout=20_000)
    assert codes == [2]
    assert "Traceback" not in shown[0]
    window.tasks.wait(10_000)
