"""The MoU table of the MoUs screen: its one-call cell delegate and its set-up (ui.mous.look
holds what the start-up preview shares with it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from mou_desk.ui.mous.look import set_up_table
from mou_desk.ui.mous.model import OVERDUE_FOREGROUND, STALE_BACKGROUND, MouTableModel

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
    """The look shared with the preview (ui.mous.look), cells of its MouTableModel painted by
    ``MouCellDelegate``, sorted by reference; returns the header's default state (for "Reset
    columns").
    """
    model = table.model()
    if isinstance(model, MouTableModel):
        table.setItemDelegate(MouCellDelegate(model, table))
    set_up_table(table)
    header = table.horizontalHeader()
    header.setSortIndicatorShown(True)
    default = header.saveState()
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    return default
