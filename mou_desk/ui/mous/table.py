"""How the MoU table looks: shared by the MoUs screen and its start-up preview."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from mou_desk.services.mou_grid import COLUMNS
from mou_desk.ui.mous.model import OVERDUE_FOREGROUND, STALE_BACKGROUND, MouTableModel

WIDTHS = {
    "ref": 125, "title": 250, "lead_partner": 180, "sector": 125, "district": 115, "stage": 80,
    "status": 70, "days_in_stage": 95, "crore": 75, "nodal_officer": 140, "next_action": 190,
    "next_action_due": 85,
}  # fmt: skip

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay


class MouCellDelegate(QStyledItemDelegate):
    """Fills a cell's style option from ``MouTableModel.cell`` in one call.

    The stock delegate asks the model for seven roles per cell, each a call from C++ into
    Python: with a screenful of 27 rows by 12 columns that was half of a repaint, and a repaint
    follows every search keystroke and every sort. The option gets what the stock delegate
    would put there from ``data`` (text, alignment, stale background, overdue colour and bold).
    """

    def __init__(self, model: MouTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._stale = QBrush(STALE_BACKGROUND)
        self._overdue = QBrush(OVERDUE_FOREGROUND)
        self._sizing = False

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        cell = self._model.cell(index.row(), index.column())
        if cell is None:
            super().initStyleOption(option, index)
            return
        text, right, stale, overdue = cell
        if isinstance(index, QModelIndex):
            option.index = index
        option.text = text.replace("\n", "\u2028") if "\n" in text else text
        if self._sizing:  # painting looks at the text itself; measuring wants the flag
            option.features |= _HAS_DISPLAY
        if right:
            option.displayAlignment = _RIGHT
        if stale:
            option.backgroundBrush = self._stale
        if overdue:
            font = QFont(option.font)
            font.setBold(True)
            option.font = font
            option.fontMetrics = QFontMetrics(font)
            palette = QPalette(option.palette)
            palette.setBrush(QPalette.ColorRole.Text, self._overdue)
            option.palette = palette
        option.styleObject = None  # type: ignore[assignment]  # no animations, as the stock one

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> Any:
        self._sizing = True
        try:
            return super().sizeHint(option, index)
        finally:
            self._sizing = False


def configure_mou_table(table: QTableView) -> QByteArray:
    """Row selection, fixed row heights (no per-row measuring at 100,000 rows), movable
    columns with default widths, cells of its MouTableModel painted by ``MouCellDelegate``;
    returns the header's default state (for "Reset columns").
    """
    model = table.model()
    if isinstance(model, MouTableModel):
        table.setItemDelegate(MouCellDelegate(model, table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    header.setSortIndicatorShown(True)
    for number, column in enumerate(COLUMNS):
        table.setColumnWidth(number, WIDTHS.get(column, 120))
    default = header.saveState()
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    return default
