"""Cards painted straight onto the column's list view: cheap for hundreds of cards."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from mou_desk.ui.pipeline.model import CARD_ROLE, card_amount

STALE_COLOR = QColor("#b34700")
STALE_BACKGROUND = QColor("#fff1de")
STAGE_STRIPES = {
    "discussion": QColor("#4f86c6"),
    "proposal": QColor("#7b5cc4"),
    "signing": QColor("#d08a1e"),
    "investment": QColor("#2e8b57"),
}
PAD = 8
GAP = 6  # space between cards


class CardDelegate(QStyledItemDelegate):
    """Ref and days in stage; title in bold; lead partner; ₹ crore; a stale mark when stale."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.height()
        return QSize(200, 4 * line + 2 * PAD + GAP + 6)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card = index.data(CARD_ROLE)
        if card is None:
            return
        row = card.row
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = option.rect.adjusted(4, GAP // 2, -4, -GAP // 2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = (
            palette.color(QPalette.ColorRole.Highlight)
            if selected
            else palette.color(QPalette.ColorRole.Mid)
        )
        painter.setPen(border)
        painter.setBrush(STALE_BACKGROUND if card.stale else palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 5, 5)
        stripe = STAGE_STRIPES.get(row.stage, QColor("#888888"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(stripe)
        painter.drawRoundedRect(QRect(rect.left(), rect.top(), 5, rect.height()), 2, 2)

        text_color = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        line = metrics.height()
        inner = rect.adjusted(PAD + 4, PAD - 2, -PAD, -PAD)
        width = inner.width()

        # line 1: reference, and the stale mark or days in stage on the right
        top = inner.top()
        days = self.tr("{n} d in stage").format(n=card.days_in_stage)
        right = self.tr("STALE · {days}").format(days=days) if card.stale else days
        marked = QFont(font)
        marked.setBold(card.stale)
        painter.setFont(marked)
        painter.setPen(STALE_COLOR if card.stale else muted)
        right_width = QFontMetrics(marked).horizontalAdvance(right)
        painter.drawText(QRect(inner.left(), top, width, line), Qt.AlignmentFlag.AlignRight, right)
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(
            QRect(inner.left(), top, width - right_width - 6, line),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(row.ref, Qt.TextElideMode.ElideRight, width - right_width - 6),
        )
        # line 2: title in bold
        bold = QFont(font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        painter.setFont(bold)
        painter.setPen(text_color)
        painter.drawText(
            QRect(inner.left(), top + line, width, line),
            Qt.AlignmentFlag.AlignLeft,
            bold_metrics.elidedText(row.title, Qt.TextElideMode.ElideRight, width),
        )
        # line 3: lead partner; line 4: proposed investment
        painter.setFont(font)
        painter.drawText(
            QRect(inner.left(), top + 2 * line, width, line),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(row.lead_partner or "—", Qt.TextElideMode.ElideRight, width),
        )
        painter.drawText(
            QRect(inner.left(), top + 3 * line, width, line),
            Qt.AlignmentFlag.AlignLeft,
            card_amount(card) or self.tr("Amount not yet known"),
        )
        painter.restore()
