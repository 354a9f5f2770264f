"""The MoUs table: model checked by Qt's model tester, sorting, filters and search."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from mou_desk.services.desk import Desk
from mou_desk.services.listing import list_mous
from mou_desk.services.mou_grid import COLUMNS, RowFilter, sort_rows
from mou_desk.ui.mous.model import MouTableModel
from mou_desk.ui.mous.view import MousView
from mou_desk.ui.tasks import SyncTaskRunner


def _portfolio(desk: Desk) -> None:
    tanaka = desk.partners.create({"name": "Tanaka Electric Co. Ltd.", "name_local": "田中電気"})
    kpia = desk.partners.create({"name": "Kansai Pharmaceutical Industries Association"})
    officer = desk.officers.create({"name": "Vijay Kiran Anand"})
    today = date.today()
    desk.mous.create({
        "title": "Rare earth magnet plant", "lead_partner_id": tanaka.id, "sector": "Magnets",
        "district": "Jhansi", "amount": Decimal("1200"), "currency": "INR",
        "nodal_officer_id": officer.id, "next_action": "Send land options",
        "next_action_due": today - timedelta(days=3),
    })  # fmt: skip
    desk.mous.create({
        "title": "Bio-innovation cluster", "lead_partner_id": kpia.id, "sector": "Pharmaceuticals",
        "district": "Lucknow", "amount": Decimal("250000000"), "currency": "INR",
        "next_action_due": today + timedelta(days=10),
    })  # fmt: skip
    stale = desk.mous.create({"title": "Skills exchange", "sector": "Skills", "district": "Kanpur"})
    # Last activity long ago: stale in discussion (60 days).
    with desk.db.write() as session:
        from mou_desk.storage.models import Mou

        session.get(Mou, stale.id).last_activity_on = today - timedelta(days=200)


@pytest.fixture
def loaded(desk: Desk) -> Desk:
    _portfolio(desk)
    return desk


def test_model_passes_qt_model_tester(loaded: Desk, qtmodeltester) -> None:
    model = MouTableModel()
    model.set_rows(list_mous(loaded.db))
    qtmodeltester.check(model, force_py=True)
    model.set_filter(RowFilter(stale=True))
    qtmodeltester.check(model, force_py=True)


def test_model_shows_crore_overdue_and_stale(loaded: Desk) -> None:
    model = MouTableModel()
    model.set_rows(list_mous(loaded.db))
    titles = [model.index(r, COLUMNS.index("title")).data() for r in range(model.rowCount())]
    assert sorted(titles) == [
        "Bio-innovation cluster",
        "Rare earth magnet plant",
        "Skills exchange",
    ]
    bio = titles.index("Bio-innovation cluster")
    assert model.index(bio, COLUMNS.index("crore")).data() == "25.00"
    magnet = titles.index("Rare earth magnet plant")
    due = model.index(magnet, COLUMNS.index("next_action_due"))
    assert due.data(Qt.ItemDataRole.ForegroundRole) is not None  # overdue marked
    assert "overdue" in due.data(Qt.ItemDataRole.ToolTipRole)
    skills = titles.index("Skills exchange")
    assert model.index(skills, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # stale
    assert model.index(bio, 0).data(Qt.ItemDataRole.BackgroundRole) is None


@pytest.mark.parametrize("column", COLUMNS)
def test_every_column_sorts_both_ways(loaded: Desk, column: str) -> None:
    model = MouTableModel()
    model.set_rows(list_mous(loaded.db))
    number = COLUMNS.index(column)
    model.sort(number, Qt.SortOrder.AscendingOrder)
    ascending = [model.row_at(r).id for r in range(model.rowCount())]
    model.sort(number, Qt.SortOrder.DescendingOrder)
    descending = [model.row_at(r).id for r in range(model.rowCount())]
    expected = [r.id for r in sort_rows(list_mous(loaded.db), column)]
    assert ascending == expected
    assert sorted(descending) == sorted(ascending)


def test_view_filters_and_searches(loaded: Desk, qtbot) -> None:
    view = MousView(loaded, SyncTaskRunner())
    qtbot.addWidget(view)
    assert view.model.rowCount() == 3
    view.filter_bar.overdue.setChecked(True)
    assert view.model.rowCount() == 1
    assert "1 of 3" in view.count_label.text()
    view.filter_bar.overdue.setChecked(False)
    view.filter_bar.stale.setChecked(True)
    assert [view.model.row_at(0).title] == ["Skills exchange"]
    view.filter_bar.clear_button.click()
    assert view.model.rowCount() == 3
    # search as you type: debounced, then the held rows are narrowed by the matching ids
    with qtbot.waitSignal(view.filter_bar.search_changed, timeout=2000):
        qtbot.keyClicks(view.filter_bar.search, "Tanaka")
    assert [view.model.row_at(0).title] == ["Rare earth magnet plant"]
    with qtbot.waitSignal(view.filter_bar.search_changed, timeout=2000):
        view.filter_bar.search.setText("田中")  # Japanese, as pasted
    assert [view.model.row_at(0).title] == ["Rare earth magnet plant"]
    assert view.model.rowCount() == 1
    view.search("pharmaceutical")
    assert [view.model.row_at(0).title] == ["Bio-innovation cluster"]
    view.search("")
    assert view.model.rowCount() == 3


def test_view_stage_filter_and_activation(loaded: Desk, qtbot) -> None:
    view = MousView(loaded, SyncTaskRunner())
    qtbot.addWidget(view)
    actions = {a.data(): a for a in view.filter_bar.district.menu().actions()}
    actions["Lucknow"].setChecked(True)
    assert view.model.rowCount() == 1
    assert view.filter_bar.district.text() == "District: Lucknow"
    with qtbot.waitSignal(view.record_activated) as blocker:
        view.table.activated.emit(view.model.index(0, 1))
    assert blocker.args == ["mou", view.model.row_at(0).id]


def test_delete_moves_to_trash(loaded: Desk, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    view = MousView(loaded, SyncTaskRunner())
    qtbot.addWidget(view)
    view.table.selectRow(0)
    victim = view.selected_ids()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.delete_selected()
    assert view.model.rowCount() == 2
    assert [r.id for r in loaded.mous.all(deleted=True)] == victim


def test_columns_can_be_hidden_and_moved_and_kept(loaded: Desk, qtbot) -> None:
    from mou_desk.ui.settings import Settings

    settings = Settings()
    view = MousView(loaded, SyncTaskRunner())
    qtbot.addWidget(view)
    header = view.table.horizontalHeader()
    sector = COLUMNS.index("sector")
    menu = view.column_menu()
    next(a for a in menu.actions() if a.text() == "Sector").setChecked(False)
    assert header.isSectionHidden(sector)
    header.moveSection(header.visualIndex(COLUMNS.index("stage")), 0)
    view.table.sortByColumn(COLUMNS.index("district"), Qt.SortOrder.DescendingOrder)
    view.save_state(settings)
    again = MousView(loaded, SyncTaskRunner())
    qtbot.addWidget(again)
    again.restore_state(settings)
    other = again.table.horizontalHeader()
    assert other.isSectionHidden(sector)
    assert other.logicalIndex(0) == COLUMNS.index("stage")
    assert again.model.sort_state() == ("district", True)


def test_sorting_with_orders_worked_out_after_loading(loaded: Desk, qtbot) -> None:
    view = MousView(loaded, SyncTaskRunner())
    qtbot.addWidget(view)
    assert set(view.model._orders) >= set(COLUMNS) - {"ref"}
    rows = list_mous(loaded.db)
    for column in COLUMNS:
        for descending in (False, True):
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            view.table.sortByColumn(COLUMNS.index(column), order)
            shown = [view.model.row_at(r).id for r in range(view.model.rowCount())]
            assert shown == [r.id for r in sort_rows(rows, column, descending=descending)]


def test_search_narrowing_and_ranking_give_the_rows_a_full_pass_gives(loaded: Desk) -> None:
    for n in range(40):
        sector = "Textiles" if n % 3 else "Magnets"
        loaded.mous.create({"title": f"Extra {n:02d}", "sector": sector})
    model = MouTableModel()
    model.set_rows(list_mous(loaded.db))
    all_ids = [model.row_at(r).id for r in range(model.rowCount())]

    def expected(ids: set[str]) -> list[str]:
        return [i for i in all_ids if i in ids]

    def shown() -> list[str]:
        return [model.row_at(r).id for r in range(model.rowCount())]

    wide = set(all_ids[::2])
    for ids in (wide, set(all_ids[::4]), set(all_ids[::8]), set(all_ids[1::2]), set(all_ids[:3])):
        model.set_search_ids(ids)  # narrower, narrower, then other rows: each a fresh answer
        assert shown() == expected(ids)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.set_search_ids(set(all_ids[:3]))  # the same matches: the table is left alone
    assert resets == [] and shown() == expected(set(all_ids[:3]))
    model.sort(COLUMNS.index("title"), Qt.SortOrder.DescendingOrder)
    by_title = [r.id for r in sort_rows(list_mous(loaded.db), "title", descending=True)]
    assert shown() == [i for i in by_title if i in set(all_ids[:3])]
    few = set(by_title[5:9])
    model.set_search_ids(few)  # a few matches are ranked by their place in the sorted rows
    assert shown() == [i for i in by_title if i in few]
    model.set_filter(RowFilter(sectors=frozenset({"Textiles"})))
    model.set_search_ids(set(by_title))
    assert shown() == [r.id for r in sort_rows(list_mous(loaded.db), "title", descending=True)
                       if r.sector == "Textiles"]  # fmt: skip
    model.set_search_ids(None)
    assert model.rowCount() == len([r for r in list_mous(loaded.db) if r.sector == "Textiles"])


def test_cells_paint_as_the_stock_delegate_paints_them(loaded: Desk, qtbot) -> None:
    """MouCellDelegate fills the style option from one call; the pixels are the stock ones."""
    from PySide6.QtWidgets import QStyledItemDelegate, QTableView

    from mou_desk.ui.mous.table import MouCellDelegate, configure_mou_table

    loaded.mous.create({"title": "Two lines\nof title", "sector": "Skills"})
    model = MouTableModel()
    model.set_rows(list_mous(loaded.db))
    stale = [r for r in range(model.rowCount()) if model.cell(r, 0)[2]]
    due = COLUMNS.index("next_action_due")
    overdue = [r for r in range(model.rowCount()) if model.cell(r, due)[3]]
    assert stale and overdue  # both marks are on screen
    images = []
    for stock in (False, True):
        table = QTableView()
        qtbot.addWidget(table)
        table.setModel(model)
        configure_mou_table(table)
        assert isinstance(table.itemDelegate(), MouCellDelegate)
        if stock:
            table.setItemDelegate(QStyledItemDelegate(table))
        for number in range(len(COLUMNS)):
            table.setColumnWidth(number, 90)
        table.resize(1200, 300)
        table.selectRow(overdue[0])
        table.show()
        qtbot.waitExposed(table)
        images.append(table.grab().toImage())
        widths = [table.sizeHintForColumn(n) for n in range(len(COLUMNS))]
        images.append(widths)
    assert images[0] == images[2]
    assert images[1] == images[3]  # column auto-fit measures the same text
