"""The MoUs screen's start-up preview: the same pixels as the real table, its rows in the order
the table was left in, and a first frame that never builds PySide6's Qt namespace."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from mou_desk.services.desk import Desk
from mou_desk.services.first_rows import first_rows
from mou_desk.services.listing import list_mous
from mou_desk.services.mou_grid import COLUMNS
from mou_desk.ui import settings as keys
from mou_desk.ui.main_window import MainWindow
from mou_desk.ui.mous import look, preview
from mou_desk.ui.mous.model import MouTableModel
from mou_desk.ui.mous.preview import PREVIEW_ROWS, MousPreview, preview_model, preview_rows
from mou_desk.ui.mous.table import configure_mou_table
from mou_desk.ui.settings import Settings
from mou_desk.ui.tasks import SyncTaskRunner


def _marked_portfolio(desk: Desk) -> None:
    """MoUs with every mark the table paints: stale, overdue (bold red), crore, Japanese."""
    today = date.today()
    partner = desk.partners.create({"name": "Tanaka Electric Co. Ltd.", "name_local": "田中電気"})
    desk.mous.create({
        "title": "Rare earth magnet plant 磁石", "lead_partner_id": partner.id, "sector": "Magnets",
        "district": "Jhansi", "amount": Decimal("1200"), "currency": "INR",
        "next_action": "Send land options", "next_action_due": today - timedelta(days=3),
    })  # fmt: skip
    desk.mous.create({
        "title": "Bio-innovation cluster", "sector": "Pharmaceuticals", "district": "Lucknow",
        "amount": Decimal("250000000"), "currency": "INR",
        "next_action_due": today + timedelta(days=10),
    })  # fmt: skip
    stale = desk.mous.create({"title": "Skills exchange", "sector": "Skills"})
    with desk.db.write() as session:
        from mou_desk.storage.models import Mou

        session.get(Mou, stale.id).last_activity_on = today - timedelta(days=200)


def test_the_integers_the_preview_passes_are_qt_s_own() -> None:
    assert (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value == look.RIGHT_ALIGNED
    assert Qt.ItemDataRole.FontRole.value == look.FONT_ROLE
    assert Qt.ItemDataRole.TextAlignmentRole.value == look.ALIGNMENT_ROLE
    assert Qt.ItemDataRole.BackgroundRole.value == look.BACKGROUND_ROLE
    assert Qt.ItemDataRole.ForegroundRole.value == look.FOREGROUND_ROLE


def test_the_preview_paints_what_the_table_paints(desk: Desk, qtbot) -> None:
    _marked_portfolio(desk)
    rows = list_mous(desk.db)
    today = date.today()
    real = MouTableModel()
    real.set_rows(rows, today=today)
    preview = preview_model(rows, today)
    marks = [real.cell(r, c) for r in range(real.rowCount()) for c in range(len(COLUMNS))]
    assert any(m[2] for m in marks if m) and any(m[3] for m in marks if m)  # stale and overdue
    images = []
    for model in (real, preview):
        table = QTableView()
        qtbot.addWidget(table)
        table.setModel(model)
        configure_mou_table(table)
        table.horizontalHeader().setSortIndicatorShown(False)
        table.resize(1500, 200)
        table.selectRow(1)
        table.show()
        qtbot.waitExposed(table)
        images.append(table.grab().toImage())
    assert images[0] == images[1]


def test_the_preview_shows_the_first_rows_in_the_table_s_order(desk: Desk, qtbot) -> None:
    for number in range(5):
        desk.mous.create({"title": f"Project {number}", "sector": "Textiles"})
    database = desk.opened.url
    settings = Settings()
    ascending = [r.ref for r in preview_rows(database, settings) or []]
    assert ascending == sorted(ascending) and len(ascending) == 5
    settings.set(keys.MOUS_SORT, "ref desc")
    assert [r.ref for r in preview_rows(database, settings) or []] == ascending[::-1]
    settings.set(keys.MOUS_SORT, "title asc")
    assert preview_rows(database, settings) is None  # the first rows by reference would mislead
    settings.set(keys.MOUS_SORT, "")
    table = QTableView()
    qtbot.addWidget(table)
    settings.set_layout("mous/header", table.horizontalHeader().saveState())
    assert preview_rows(database, settings) is None  # a layout saved without its order
    assert first_rows(database, 2, descending=True) == (first_rows(database) or [])[::-1][:2]
    shown = MousPreview([], None)
    qtbot.addWidget(shown)
    assert shown.model.rowCount() == 0 and shown.model.columnCount() == len(COLUMNS)


def test_the_table_keeps_its_order_for_the_next_preview(desk: Desk, qtbot) -> None:
    from mou_desk.ui.mous.view import MousView
    from mou_desk.ui.tasks import SyncTaskRunner

    view = MousView(desk, SyncTaskRunner())
    qtbot.addWidget(view)
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    settings = Settings()
    view.save_state(settings)
    assert settings.get(keys.MOUS_SORT) == "ref desc"
    view.table.sortByColumn(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    view.save_state(settings)
    assert settings.get(keys.MOUS_SORT) == "title asc"


def test_the_preview_reads_a_screenful_of_rows(desk: Desk, qtbot) -> None:
    """As many rows as the table can show on the window's screen (maximized, say), and no
    more: each one is read and built before the first frame."""
    asked: list[int] = []
    window = MainWindow(
        None, SyncTaskRunner(), Settings(), start_page="mous",
        preview=lambda limit: asked.append(limit) or [],
    )  # fmt: skip
    qtbot.addWidget(window)
    tallest = max(window.height(), window.screen().availableGeometry().height())
    assert len(asked) == 1
    assert asked[0] * look.row_height(window) >= tallest  # the last one partly shown
    assert (asked[0] - 2) * look.row_height(window) < tallest
    assert asked[0] <= PREVIEW_ROWS
    window.resize(window.width(), 20 * look.row_height(window) * PREVIEW_ROWS)
    assert preview.rows_to_fill(window) == PREVIEW_ROWS


def test_the_first_frame_never_builds_the_qt_namespace(desk: Desk, tmp_path) -> None:
    """Creating PySide6's Qt namespace (a hundred-odd Python enums) costs more than the rest
    of the first frame; everything up to it must go without (ui.mous.look)."""
    _marked_portfolio(desk)
    code = (
        "import sys\n"
        "import PySide6.QtCore as QtCore\n"
        "from PySide6.QtCore import QTimer\n"
        "from mou_desk.ui.app import make_application, start\n"
        "from mou_desk.ui import settings as keys\n"
        "from mou_desk.ui.settings import Settings\n"
        "app = make_application(sys.argv[:1])\n"
        "settings = Settings()\n"
        "settings.set(keys.START_PAGE, 'mous')\n"
        "settings.set(keys.BACKUP_MODE, 'off')\n"
        "window = start(app, sys.argv[1], settings, notice=False)\n"
        "def painted():\n"
        "    shown = window.stack.currentWidget()\n"
        "    print(shown.objectName(), shown.model.rowCount(), 'Qt' in vars(QtCore), flush=True)\n"
        "    window.hide()\n"
        "    app.exit(0)\n"
        "window.first_painted.connect(painted)\n"
        "app.exec()\n"
    )
    env = {
        **os.environ, "QT_QPA_PLATFORM": "offscreen", "MOU_DESK_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "settings"),  # not the clerk's own settings
    }  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", code, desk.opened.url],
        capture_output=True, text=True, check=True, env=env, timeout=120,
    )  # fmt: skip
    assert out.stdout.split() == ["mousPreview", "3", "False"]


def test_the_table_still_shapes_hindi(qtbot) -> None:
    """set_up_table lays Latin text out unshaped (PreferNoShaping: no kerning); Devanagari needs
    shaping (conjuncts, vowel signs) and must come out exactly as with full shaping."""
    from PySide6.QtGui import QFont, QFontDatabase, QImage, QStandardItem, QStandardItemModel

    from mou_desk import paths

    QFontDatabase.addApplicationFont(
        str(paths.resources_dir() / "fonts" / "NotoSansDevanagari-Regular.ttf")
    )
    assert QFontDatabase.families(QFontDatabase.WritingSystem.Devanagari)

    def drawn(text: str, unshaped: bool) -> QImage:
        model = QStandardItemModel(1, 1)
        model.setItem(0, 0, QStandardItem(text))
        table = QTableView()
        qtbot.addWidget(table)
        table.setModel(model)
        look.set_up_table(table)
        if not unshaped:
            font = table.font()
            font.setStyleStrategy(QFont.StyleStrategy.PreferDefault)
            table.setFont(font)
        assert (table.font().styleStrategy() == QFont.StyleStrategy.PreferNoShaping) is unshaped
        table.setColumnWidth(0, 400)
        table.resize(440, 120)
        return table.viewport().grab().toImage()

    hindi = "हिन्दी प्रस्ताव — क्षि त्र श्री"
    assert drawn(hindi, unshaped=True) == drawn(hindi, unshaped=False)
    latin = "AVAWAY Tanaka"  # kerning pairs: the setting is in effect
    assert drawn(latin, unshaped=True) != drawn(latin, unshaped=False)
