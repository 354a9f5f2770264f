"""The pipeline board: a column per stage, a card per MoU; drag a card to change its stage.

A drop opens the same stage dialog as the MoU editor, which asks for what the rules need
(date, reason, signed date, amount). Each column shows at most ``per_stage`` cards, the
longest in their stage first, and says how many more the filter leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.errors import DeskError
from mou_desk.domain.money import format_crore, format_grouped_indian, paise_to_rupees
from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage
from mou_desk.services.desk import Desk
from mou_desk.services.listing import MouFilter
from mou_desk.services.pipeline import DEFAULT_CARDS_PER_STAGE, StageColumn, board
from mou_desk.ui.mous.stage_dialog import StageChangeDialog
from mou_desk.ui.pipeline.delegate import CardDelegate
from mou_desk.ui.pipeline.model import ID_ROLE, StageCardModel


class StageColumnWidget(QFrame):
    """Heading with count and ₹ crore, the cards, and the "and N more" footer."""

    def __init__(self, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.summary = QLabel(self)
        self.model = StageCardModel(stage, self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(CardDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDropIndicatorShown(False)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setAccessibleName(stage.label)
        self.footer = QLabel(self)
        self.footer.setWordWrap(True)
        self.footer.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.footer)

    def show_column(self, column: StageColumn) -> None:
        self.model.set_column(column)
        self.heading.setText(column.stage.label)
        count = format_grouped_indian(column.count)
        amount = format_crore(paise_to_rupees(column.proposed_paise))
        mous = self.tr("1 MoU") if column.count == 1 else self.tr("{n} MoUs").format(n=count)
        self.summary.setText(f"{mous} · {amount}")
        if column.hidden > 0:
            self.footer.setText(
                self.tr("and {n} more — narrow the filter").format(
                    n=format_grouped_indian(column.hidden)
                )
            )
            self.footer.show()
        else:
            self.footer.hide()


class PipelineView(QWidget):
    """The board; ``set_filter`` applies the MoU table's filter here too."""

    record_activated = Signal(str, str)
    stage_changed = Signal(str)  # mou id, after the dialog applied a change

    def __init__(
        self,
        desk: Desk,
        tasks: Any = None,
        parent: QWidget | None = None,
        *,
        per_stage: int = DEFAULT_CARDS_PER_STAGE,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.tasks = tasks
        self.per_stage = per_stage
        self.filter = MouFilter()
        self.thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS
        self.board_columns: list[StageColumn] = []
        self._generation = 0
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.columns: dict[Stage, StageColumnWidget] = {}
        row = QHBoxLayout()
        for stage in Stage:
            column = StageColumnWidget(stage, self)
            column.model.card_dropped.connect(self._on_model_card_dropped)
            column.list.activated.connect(self._on_list_activated)
            column.list.customContextMenuRequested.connect(
                lambda pos, c=column: self._on_list_context_menu_requested(c, pos)
            )
            self.columns[stage] = column
            row.addWidget(column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(row, 1)
        self.refresh()

    # ---- inputs ------------------------------------------------------------------------------
    @Slot(object)
    def set_filter(self, flt: MouFilter) -> None:
        """Show the MoUs the table's filter selects; a stage filter empties the other columns."""
        self.filter = flt
        self.refresh()

    def set_thresholds(self, thresholds: Mapping[Stage, int]) -> None:
        self.thresholds = dict(thresholds)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        db, flt, per_stage, thresholds = self.desk.db, self.filter, self.per_stage, self.thresholds

        def work(_ctx: object = None) -> list[StageColumn]:
            return board(db, flt, per_stage=per_stage, thresholds=thresholds)

        def done(columns: list[StageColumn]) -> None:
            if generation == self._generation:
                self.show_board(columns)

        if self.tasks is None:
            done(work())
            return
        self.status.setText(self.tr("Updating the board…"))
        self.tasks.run(work, done, label=self.tr("Updating the board"), quiet=True)

    def show_board(self, columns: list[StageColumn]) -> None:
        self.board_columns = columns
        for column in columns:
            self.columns[column.stage].show_column(column)
        total = sum(c.count for c in columns)
        filtered = self.filter != MouFilter()
        text = self.tr("{n} MoUs").format(n=format_grouped_indian(total))
        if filtered:
            text = self.tr("{n} MoUs match the MoU table's filter").format(
                n=format_grouped_indian(total)
            )
        hint = self.tr("Drag a card to another column to change its stage.")
        self.status.setText(f"{text}. {hint}")

    # ---- moving cards ------------------------------------------------------------------------
    def move_card(self, mou_id: str, to_stage: Stage) -> bool:
        """Change an MoU's stage through the stage dialog; True if the clerk applied it."""
        try:
            mou = self.desk.mous.get(mou_id)
        except DeskError as exc:
            QMessageBox.warning(self, self.tr("Cannot move"), str(exc))
            self.refresh()
            return False
        if mou.values.get("stage") == to_stage:
            return False
        dialog = StageChangeDialog(self.desk, mou, to_stage, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return False
        self._show_moved(mou_id, to_stage)
        self.refresh()
        self.stage_changed.emit(mou_id)
        return True

    def _show_moved(self, mou_id: str, to_stage: Stage) -> None:
        """Move the card at once; the reload that follows (off the GUI thread) confirms it."""
        for column in self.columns.values():
            card = column.model.take_card(mou_id)
            if card is not None:
                moved = replace(
                    card, row=card.row._replace(stage=to_stage.value), days_in_stage=0, stale=False
                )
                self.columns[to_stage].model.put_card(moved)
                return

    @Slot(str, str)
    def _on_model_card_dropped(self, mou_id: str, stage: str) -> None:
        # After the drag's own event loop has ended: a modal dialog inside a drop is fragile.
        QTimer.singleShot(0, lambda: self.move_card(mou_id, Stage(stage)))

    @Slot(QModelIndex)
    def _on_list_activated(self, index: QModelIndex) -> None:
        self.record_activated.emit("mou", index.data(ID_ROLE))

    def _on_list_context_menu_requested(self, column: StageColumnWidget, pos: QPoint) -> None:
        index = column.list.indexAt(pos)
        if not index.isValid():
            return
        mou_id = index.data(ID_ROLE)
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.record_activated.emit("mou", mou_id))
        move = menu.addMenu(self.tr("Move to"))
        for stage in Stage:
            action = move.addAction(stage.label, partial(self.move_card, mou_id, stage))
            action.setEnabled(stage != column.stage)
        menu.exec(column.list.viewport().mapToGlobal(pos))
