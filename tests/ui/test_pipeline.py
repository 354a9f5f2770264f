"""The pipeline board: columns by stage, bounded cards, drop -> stage dialog, the table's filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog

from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Stage
from mou_desk.services.demo import demo_id
from mou_desk.services.desk import Desk
from mou_desk.services.listing import MouFilter, list_mous
from mou_desk.services.pipeline import board
from mou_desk.ui.pipeline import view as pipeline_view
from mou_desk.ui.pipeline.model import CARD_ROLE, encode_card
from mou_desk.ui.pipeline.view import PipelineView
from mou_desk.ui.tasks import SyncTaskRunner

NLAB = demo_id("mou:nlab")  # at proposal


class FakeStageDialog:
    """Stands in for the MoU editor's stage dialog: applies the change, or is cancelled."""

    opened: ClassVar[list[tuple[str, Stage | None]]] = []
    accept = True

    def __init__(self, desk: Desk, mou, to_stage: Stage | None, parent) -> None:
        self.desk, self.mou, self.to_stage = desk, mou, to_stage
        FakeStageDialog.opened.append((mou.id, to_stage))

    def exec(self) -> int:
        if not FakeStageDialog.accept:
            return QDialog.DialogCode.Rejected
        change = StageChange(
            self.to_stage, date.today(), "Agreed at the review", signed_on=date(2026, 1, 5)
        )
        self.desk.mous.change_stage(self.mou.id, change, self.mou.version)
        return QDialog.DialogCode.Accepted

    def deleteLater(self) -> None:
        pass


@pytest.fixture
def fake_dialog(monkeypatch) -> type[FakeStageDialog]:
    FakeStageDialog.opened = []
    FakeStageDialog.accept = True
    monkeypatch.setattr(pipeline_view, "StageChangeDialog", FakeStageDialog)
    return FakeStageDialog


@pytest.fixture
def board_view(demo_desk: Desk, qtbot) -> PipelineView:
    view = PipelineView(demo_desk, SyncTaskRunner())
    qtbot.addWidget(view)
    view.resize(1200, 700)
    return view


def ids_in(view: PipelineView, stage: Stage) -> list[str]:
    return [card.row.id for card in view.columns[stage].model.cards()]


def many_mous(desk: Desk, n: int, sector: str = "Textiles") -> None:
    for i in range(n):
        desk.mous.create(
            {"title": f"Unit {i}", "sector": sector, "amount": Decimal(10_000_000 * (i + 1))}
        )


def test_board_service_counts_agree_with_the_mou_list(demo_desk: Desk) -> None:
    many_mous(demo_desk, 7)
    for flt in (MouFilter(), MouFilter(sectors=frozenset({"Textiles"})), MouFilter(stale=True),
                MouFilter(search="magnet")):  # fmt: skip
        columns = board(demo_desk.db, flt, per_stage=3)
        rows = list_mous(demo_desk.db, flt)
        assert sum(c.count for c in columns) == len(rows)
        for column in columns:
            assert column.count == sum(1 for r in rows if r.stage == column.stage.value)
            assert len(column.cards) == min(3, column.count)
            assert column.hidden == column.count - len(column.cards)
            days = [c.days_in_stage for c in column.cards]
            assert days == sorted(days, reverse=True), "longest in stage first"


def test_card_model_passes_qt_model_tester(board_view: PipelineView, qtmodeltester) -> None:
    qtmodeltester.check(board_view.columns[Stage.DISCUSSION].model)
    qtmodeltester.check(board_view.columns[Stage.PROPOSAL].model)


def test_a_column_per_stage_with_counts_and_crore(board_view: PipelineView) -> None:
    assert [c.heading.text() for c in board_view.columns.values()] == [
        "Discussion", "Proposal", "Signing", "Investment"
    ]  # fmt: skip
    signing = board_view.columns[Stage.SIGNING]
    assert signing.summary.text() == "1 MoU · ₹ 1,200.00 crore"
    card = signing.model.index(0).data(CARD_ROLE)
    assert card.row.ref == "UP-JP-2025-001" and card.row.lead_partner.startswith("Kansai")
    assert signing.footer.isHidden()
    tooltip = signing.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "₹ 1,200.00 crore" in tooltip and "days" in tooltip


def test_only_so_many_cards_per_column_and_the_rest_counted(demo_desk: Desk, qtbot) -> None:
    many_mous(demo_desk, 12)
    view = PipelineView(demo_desk, None, per_stage=5)
    qtbot.addWidget(view)
    discussion = view.columns[Stage.DISCUSSION]
    assert discussion.model.rowCount() == 5
    total = len(list_mous(demo_desk.db, MouFilter(stages=frozenset({"discussion"}))))
    assert total == 12 + 2
    assert not discussion.footer.isHidden()
    assert discussion.footer.text() == f"and {total - 5} more — narrow the filter"


def test_dropping_a_card_opens_the_stage_dialog_and_moves_it(
    board_view: PipelineView, demo_desk: Desk, fake_dialog, qtbot
) -> None:
    signing_model = board_view.columns[Stage.SIGNING].model
    data = encode_card(NLAB, "proposal")
    assert signing_model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    with qtbot.waitSignal(board_view.stage_changed) as changed:
        assert not signing_model.dropMimeData(
            data, Qt.DropAction.MoveAction, -1, -1, QModelIndex()
        ), "the model never moves rows itself"
    assert changed.args == [NLAB]
    assert fake_dialog.opened == [(NLAB, Stage.SIGNING)]
    assert demo_desk.mous.get(NLAB)["stage"] == Stage.SIGNING
    assert NLAB in ids_in(board_view, Stage.SIGNING)
    assert NLAB not in ids_in(board_view, Stage.PROPOSAL)


def test_a_card_cannot_be_dropped_on_its_own_column(board_view: PipelineView) -> None:
    proposal = board_view.columns[Stage.PROPOSAL].model
    data = encode_card(NLAB, "proposal")
    assert not proposal.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())


def test_cancelling_the_dialog_leaves_the_card_where_it_was(
    board_view: PipelineView, demo_desk: Desk, fake_dialog
) -> None:
    fake_dialog.accept = False
    assert not board_view.move_card(NLAB, Stage.SIGNING)
    assert demo_desk.mous.get(NLAB)["stage"] == Stage.PROPOSAL
    assert NLAB in ids_in(board_view, Stage.PROPOSAL)


def test_the_table_filter_applies_to_the_board(board_view: PipelineView, demo_desk: Desk) -> None:
    board_view.set_filter(MouFilter(sectors=frozenset({"EV & batteries"})))
    assert ids_in(board_view, Stage.PROPOSAL) == [NLAB]
    assert sum(len(ids_in(board_view, s)) for s in Stage) == 1
    assert "match the MoU table's filter" in board_view.status.text()
    board_view.set_filter(MouFilter())
    assert sum(len(ids_in(board_view, s)) for s in Stage) == 6


def test_stale_cards_are_marked(board_view: PipelineView) -> None:
    cards = [c for s in Stage for c in board_view.columns[s].model.cards()]
    stale = {c.row.ref for c in cards if c.stale}
    assert stale, "the demo portfolio has MoUs without recent activity"
    assert stale == {r.ref for r in list_mous(board_view.desk.db, MouFilter(stale=True))}


def test_opening_a_card_is_reported(board_view: PipelineView, qtbot) -> None:
    column = board_view.columns[Stage.PROPOSAL]
    index = column.model.index(column.model.row_of(NLAB))
    with qtbot.waitSignal(board_view.record_activated) as opened:
        column.list.activated.emit(index)
    assert opened.args == ["mou", NLAB]


def test_cards_are_painted(board_view: PipelineView) -> None:
    board_view.show()
    image = board_view.columns[Stage.PROPOSAL].list.viewport().grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 40) for y in range(0, 60)}
    assert "#7b5cc4" in colours, "the proposal stripe of the first card"


def test_a_moved_card_shows_in_its_new_column_before_the_reload(
    demo_desk: Desk, fake_dialog, qtbot, qtmodeltester
) -> None:
    class SlowRunner:
        """A runner whose work never comes back: only the immediate move is visible."""

        def run(self, work, on_done, **kwargs) -> None:
            self.pending = (work, on_done)

    runner = SlowRunner()
    view = PipelineView(demo_desk, runner)
    qtbot.addWidget(view)
    work, done = runner.pending
    done(work(None))
    proposal, signing = view.columns[Stage.PROPOSAL].model, view.columns[Stage.SIGNING].model
    qtmodeltester.check(signing)
    assert view.move_card(NLAB, Stage.SIGNING)
    assert ids_in(view, Stage.SIGNING)[0] == NLAB
    assert NLAB not in ids_in(view, Stage.PROPOSAL)
    assert signing.index(0).data(CARD_ROLE).days_in_stage == 0
    assert proposal.rowCount() == 1
    assert view.status.text() == "Updating the board…"
