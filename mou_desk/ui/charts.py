"""Small charts drawn with QPainter: horizontal bars and the stage funnel.

Enough for a dashboard that a clerk reads at a glance, without shipping QtCharts. Every bar is
a link: clicking it (or Enter on the focused bar) emits ``bar_clicked`` with its key.
Lengths are computed in floating point for pixels only; the figures shown are the exact texts
the caller formatted (₹ crore from domain.money).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

BAR_COLOR = QColor("#3b76c4")
#: discussion, proposal, signing, investment: distinguishable also for red-green colour blindness
STAGE_COLORS = (QColor("#4f86c6"), QColor("#7b5cc4"), QColor("#d08a1e"), QColor("#2e8b57"))


@dataclass(frozen=True)
class Bar:
    """One bar: ``value`` sets its length, ``text`` is the figure shown beside it."""

    key: str
    label: str
    value: Decimal | int
    text: str
    tooltip: str = ""
    color: QColor | None = None


class BarChart(QWidget):
    """Horizontal bars with their labels on the left and their figures on the right."""

    bar_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self._hover = -1
        self._current = -1
        self._empty_text = self.tr("Nothing to show yet.")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover, True)

    # ---- data ------------------------------------------------------------------------------
    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = list(bars)
        self._hover = -1
        self._current = min(self._current, len(self._bars) - 1)
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.update()

    # ---- geometry --------------------------------------------------------------------------
    def row_height(self) -> int:
        return max(22, self.fontMetrics().height() + 10)

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._bars))
        return QSize(420, rows * self.row_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(b.label) for b in self._bars), default=0)
        return min(widest + 12, int(self.width() * 0.38))

    def _text_width(self) -> int:
        metrics = self.fontMetrics()
        lines = (line for b in self._bars for line in b.text.splitlines())
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        return min(widest + 12, int(self.width() * 0.4))

    def row_rect(self, index: int) -> QRect:
        """The whole row of bar ``index`` (label, bar and figure): where a click lands."""
        height = self.row_height()
        return QRect(0, 4 + index * height, self.width(), height)

    def _max_value(self) -> float:
        return float(max((b.value for b in self._bars), default=0) or 1)

    def index_at(self, y: int) -> int:
        index = (y - 4) // self.row_height()
        return index if 0 <= index < len(self._bars) and y >= 4 else -1

    # ---- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if not self._bars:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._empty_text)
            return
        self.paint_bars(painter, palette)
        painter.end()

    def paint_bars(self, painter: QPainter, palette: QPalette) -> None:
        metrics = QFontMetrics(self.font())
        label_width = self._label_width()
        text_width = self._text_width()
        bar_space = max(10, self.width() - label_width - text_width - 8)
        top = self._max_value()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        for index, bar in enumerate(self._bars):
            row = self.row_rect(index)
            self._paint_row_background(painter, palette, index, row)
            label_rect = QRect(row.left() + 4, row.top(), label_width - 8, row.height())
            painter.setPen(text_color)
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_rect.width()),
            )
            length = bar_space * float(bar.value) / top if bar.value else 0.0
            if bar.value and length < 2:
                length = 2.0
            bar_rect = QRectF(label_width, row.top() + 4, length, row.height() - 8)
            painter.setPen(Qt.PenStyle.NoPen)
            color = bar.color or BAR_COLOR
            painter.setBrush(color.lighter(115) if index == self._hover else color)
            painter.drawRoundedRect(bar_rect, 3, 3)
            painter.setPen(text_color)
            text_rect = QRectF(label_width + length + 6, row.top(), text_width, row.height())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, bar.text)

    def _paint_row_background(
        self, painter: QPainter, palette: QPalette, index: int, row: QRect
    ) -> None:
        if index == self._hover:
            painter.fillRect(row, palette.color(QPalette.ColorRole.AlternateBase))
        if index == self._current and self.hasFocus():
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(row.adjusted(1, 0, -2, -1))

    # ---- interaction -----------------------------------------------------------------------
    def click_bar(self, index: int) -> None:
        """Act as if bar ``index`` was clicked."""
        if 0 <= index < len(self._bars) and self._bars[index].key:
            self.bar_clicked.emit(self._bars[index].key)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(int(event.position().y()))
        if index != self._hover:
            self._hover = index
            clickable = index >= 0 and bool(self._bars[index].key)
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
            )
            self.update()
        if index >= 0 and self._bars[index].tooltip:
            QToolTip.showText(event.globalPosition().toPoint(), self._bars[index].tooltip, self)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._hover = -1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            index = self.index_at(int(event.position().y()))
            if index >= 0:
                self._current = index
                self.click_bar(index)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._bars:
            step = 1 if key == Qt.Key.Key_Down else -1
            self._current = max(0, min(len(self._bars) - 1, self._current + step))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.click_bar(self._current)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._current < 0 and self._bars:
            self._current = 0
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)


class FunnelChart(BarChart):
    """The stage funnel: one band per stage, centred, narrowing towards the later stages.

    Band widths follow ``value`` (the MoU count); the label and figure are written on the left
    and right of the band so that even a thin band stays readable.
    """

    def row_height(self) -> int:
        return max(34, self.fontMetrics().height() * 2 + 8)

    def paint_bars(self, painter: QPainter, palette: QPalette) -> None:
        metrics = QFontMetrics(self.font())
        label_width = self._label_width()
        text_width = self._text_width()
        space = max(20, self.width() - label_width - text_width - 16)
        centre = label_width + 8 + space / 2
        top = self._max_value()
        widths = [max(8.0, space * float(b.value) / top) if b.value else 8.0 for b in self._bars]
        text_color = palette.color(QPalette.ColorRole.WindowText)
        for index, bar in enumerate(self._bars):
            row = self.row_rect(index)
            self._paint_row_background(painter, palette, index, row)
            upper = widths[index]
            lower = widths[index + 1] if index + 1 < len(widths) else upper * 0.85
            lower = min(lower, upper)
            y0, y1 = row.top() + 3.0, row.bottom() - 2.0
            path = QPainterPath(QPointF(centre - upper / 2, y0))
            path.lineTo(centre + upper / 2, y0)
            path.lineTo(centre + lower / 2, y1)
            path.lineTo(centre - lower / 2, y1)
            path.closeSubpath()
            color = bar.color or STAGE_COLORS[index % len(STAGE_COLORS)]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color.lighter(115) if index == self._hover else color)
            painter.drawPath(path)
            painter.setPen(text_color)
            label_rect = QRect(row.left() + 4, row.top(), label_width, row.height())
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width),
            )
            text_rect = QRect(self.width() - text_width - 4, row.top(), text_width, row.height())
            painter.drawText(
                text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, bar.text
            )
