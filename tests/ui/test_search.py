"""Global search: every kind of record, any script, Enter opens."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mou_desk.services.desk import Desk
from mou_desk.services.search import SearchHit
from mou_desk.ui.search.dialog import SearchDialog, SearchResultsModel


def test_results_model_passes_qt_model_tester(qtmodeltester) -> None:
    model = SearchResultsModel()
    model.set_hits([SearchHit("mou", "1", "UP-MOU-1 Magnet plant", "…magnet…"),
                    SearchHit("partner", "2", "Tanaka Electric", "Tanaka | 田中")])  # fmt: skip
    qtmodeltester.check(model, force_py=True)


def test_search_in_japanese_and_open_with_enter(demo_desk: Desk, qtbot) -> None:
    dialog = SearchDialog(demo_desk)
    qtbot.addWidget(dialog)
    dialog.query.setText("田中")
    dialog.run_search()
    assert dialog.model.rowCount() >= 1
    assert "found" in dialog.status.text()
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    row = dialog.results.currentIndex().row()
    expected = dialog.model.hit_at(row)
    with qtbot.waitSignal(dialog.record_activated) as opened:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert opened.args == [expected.kind, expected.record_id]


def test_nothing_found_says_so(desk: Desk, qtbot) -> None:
    dialog = SearchDialog(desk)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.model.modelReset, timeout=2000):
        qtbot.keyClicks(dialog.query, "zzzqqq")
    assert dialog.model.rowCount() == 0
    assert "Nothing found" in dialog.status.text()
