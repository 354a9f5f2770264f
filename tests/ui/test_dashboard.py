"""The dashboard: figures by stage, sector and district, and every item a link."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt

from mou_desk.services.dashboard import dashboard
from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.services.listing import MouFilter
from mou_desk.ui.charts import Bar, BarChart, FunnelChart
from mou_desk.ui.dashboard.view import DashboardView
from mou_desk.ui.tasks import SyncTaskRunner


@pytest.fixture
def dash(demo_desk: Desk, qtbot) -> DashboardView:
    view = DashboardView(demo_desk, SyncTaskRunner())
    qtbot.addWidget(view)
    view.resize(1280, 900)
    view.show()
    return view


def click_row(qtbot, related, row: int) -> None:
    table = related.table
    rect = table.visualRect(related.model.index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_lists_pass_qt_model_tester(dash: DashboardView, qtmodeltester) -> None:
    for related in (dash.overdue, dash.upcoming, dash.stale):
        qtmodeltester.check(related.model)


def test_the_figures_match_the_service(dash: DashboardView, demo_desk: Desk) -> None:
    data = dashboard(demo_desk.db)
    assert dash.tiles["mous"].figure.text() == "6"
    assert dash.tiles["proposed"].figure.text().endswith(" crore")
    funnel = dash.funnel.bars()
    assert [b.label for b in funnel] == ["Discussion", "Proposal", "Signing", "Investment"]
    assert [b.value for b in funnel] == [b.count for b in data.by_stage]
    assert funnel[2].text == "1 MoU\n₹ 1,200.00 crore"
    sectors = dash.sectors.bars()
    assert sectors[0].label == "Pharmaceuticals" and sectors[0].text.startswith("₹ 1,200.00 crore")
    values = [b.value for b in sectors]
    assert values == sorted(values, reverse=True)
    assert {b.label for b in dash.districts.bars()} >= {"Lucknow", "Jhansi", "Lalitpur"}


def test_clicking_an_overdue_follow_up_opens_it(dash: DashboardView, qtbot) -> None:
    rows = dash.overdue.rows()
    assert {r.id for r in rows} == {demo_id("followup:draft-moc"), demo_id("followup:incubation")}
    with qtbot.waitSignal(dash.record_activated) as opened:
        click_row(qtbot, dash.overdue, 0)
    assert opened.args[0] == "followup"
    assert opened.args[1] == dash.overdue.model.row_at(0).id


def test_clicking_a_stale_mou_opens_it(dash: DashboardView, qtbot) -> None:
    assert dash.stale.rows()
    with qtbot.waitSignal(dash.record_activated) as opened:
        click_row(qtbot, dash.stale, 0)
    first = dash.stale.model.row_at(0)
    assert opened.args == ["mou", first.id]


def test_clicking_an_upcoming_follow_up_opens_it(dash: DashboardView, qtbot) -> None:
    with qtbot.waitSignal(dash.record_activated) as opened:
        click_row(qtbot, dash.upcoming, 0)
    assert opened.args[0] == "followup"


def test_clicking_a_bar_asks_for_the_mous_behind_it(dash: DashboardView, qtbot) -> None:
    signing = dash.funnel.row_rect(2).center()
    with qtbot.waitSignal(dash.filter_requested) as asked:
        qtbot.mouseClick(dash.funnel, Qt.MouseButton.LeftButton, pos=signing)
    assert asked.args == [MouFilter(stages=frozenset({"signing"}))]
    with qtbot.waitSignal(dash.filter_requested) as asked:
        qtbot.mouseClick(
            dash.districts, Qt.MouseButton.LeftButton, pos=dash.districts.row_rect(0).center()
        )
    district = dash.districts.bars()[0].label
    assert asked.args == [MouFilter(districts=frozenset({district}))]
    with qtbot.waitSignal(dash.filter_requested) as asked:
        dash.sectors.setFocus()
        qtbot.keyClick(dash.sectors, Qt.Key.Key_Down)
        qtbot.keyClick(dash.sectors, Qt.Key.Key_Return)
    assert asked.args == [MouFilter(sectors=frozenset({dash.sectors.bars()[1].label}))]


def test_the_dashboard_refreshes_after_a_change(dash: DashboardView, demo_desk: Desk) -> None:
    demo_desk.mous.create(
        {"title": "Textile park", "sector": "Textiles", "amount": Decimal(5 * 10**9)}
    )
    dash.refresh()
    assert dash.tiles["mous"].figure.text() == "7"
    assert "Textiles" in {b.label for b in dash.sectors.bars()}


def test_an_empty_database_shows_an_empty_dashboard(desk: Desk, qtbot) -> None:
    view = DashboardView(desk)
    qtbot.addWidget(view)
    assert view.tiles["mous"].figure.text() == "0"
    assert view.sectors.bars() == []
    assert view.overdue.rows() == []
    view.show()
    assert not view.grab().isNull()


def test_charts_paint_their_bars(qtbot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(400, 120)
    chart.set_bars([Bar("a", "Agra", 30, "₹ 3.00 crore"), Bar("b", "Bareilly", 10, "₹ 1.00 crore")])
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, chart.row_rect(0).center().y()).name() for x in range(400)}
    assert "#3b76c4" in colours
    funnel = FunnelChart()
    qtbot.addWidget(funnel)
    funnel.resize(500, 200)
    funnel.set_bars([Bar(s, s, n, f"{n}") for s, n in (("d", 9), ("p", 5), ("s", 2), ("i", 1))])
    image = funnel.grab().toImage()
    centre = funnel.row_rect(0).center()
    assert image.pixelColor(QPoint(funnel.width() // 2, centre.y())).name() == "#4f86c6"
    assert funnel.index_at(funnel.row_rect(3).center().y()) == 3
    assert funnel.index_at(-5) == -1
