"""Charts of the portfolio report, drawn on the canvas: a stage funnel and bar charts.

Labels may be in any script (district names in Hindi, partner names in Japanese), so every
label is drawn through ``report_lines`` rather than reportlab.graphics' single-font strings.
Amounts arrive as exact Decimals; they are turned into floats only for bar lengths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Flowable

from mou_desk.exchange.pdf.report_lines import LineWriter, shorten
from mou_desk.exchange.pdf.report_lines import width as text_width
from mou_desk.exchange.pdf.report_table import MUTED_INK

STAGE_COLOURS = {
    "discussion": HexColor("#9DB6D3"),
    "proposal": HexColor("#5F8BBF"),
    "signing": HexColor("#2E5E93"),
    "investment": HexColor("#1F7A4D"),
}
BAR = HexColor("#4F7CAC")
TRACK = HexColor("#EEF2F7")
TITLE_INK = HexColor("#1F4E79")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    text: str
    colour: Color | None = None
    #: a second line under the label (count of MoUs, say)
    note: str = ""


def _ratio(value: Decimal, largest: Decimal) -> float:
    if largest <= 0 or value <= 0:
        return 0.0
    return float(value / largest)


class _Chart(Flowable):  # type: ignore[misc]  # reportlab is untyped
    def __init__(self, title: str, width: float, height: float) -> None:
        super().__init__()
        self.title = title
        self.width, self.height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def _title(self, writer: LineWriter) -> float:
        writer.line(
            0, self.height - 10, shorten(self.title, self.width, 9, True), 9, True, colour=TITLE_INK
        )
        return self.height - 18


class BarChart(_Chart):
    """Horizontal bars, largest first as given; label left, value at the bar's end."""

    SLOT = 14.5

    def __init__(self, title: str, bars: Sequence[Bar], width: float) -> None:
        super().__init__(title, width, 22 + self.SLOT * max(len(bars), 1))
        self.bars = list(bars)

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        writer = LineWriter(canvas)
        top = self._title(writer)
        if not self.bars:
            writer.line(0, top - self.SLOT / 2 - 2.5, "—", 7, colour=MUTED_INK)
            writer.finish()
            canvas.restoreState()
            return
        slot = self.SLOT
        size = 7.0
        label_w = min(self.width * 0.36, max(text_width(b.label, size) for b in self.bars) + 6)
        text_w = max(text_width(b.text, size) for b in self.bars) + 6
        bar_x = label_w + 4
        bar_max = max(self.width - bar_x - text_w, 20)
        largest = max(b.value for b in self.bars)
        for i, bar in enumerate(self.bars):
            y = top - (i + 1) * slot
            thickness = slot * 0.62
            canvas.setFillColor(TRACK)
            canvas.rect(bar_x, y + (slot - thickness) / 2, bar_max, thickness, stroke=0, fill=1)
            length = bar_max * _ratio(bar.value, largest)
            if length > 0:
                canvas.setFillColor(bar.colour or BAR)
                canvas.rect(
                    bar_x, y + (slot - thickness) / 2, max(length, 0.8), thickness, stroke=0, fill=1
                )
            baseline = y + slot / 2 - size * 0.35
            writer.line(0, baseline, shorten(bar.label, label_w - 2, size), size)
            writer.line(
                bar_x + length + 3,
                baseline,
                shorten(bar.text, text_w - 4, size),
                size,
                False,
                colour=MUTED_INK,
            )
        writer.finish()
        canvas.restoreState()


class Funnel(_Chart):
    """The pipeline as a funnel: one centred bar per stage, as wide as its share of MoUs."""

    def __init__(self, title: str, bars: Sequence[Bar], width: float, height: float) -> None:
        super().__init__(title, width, height)
        self.bars = list(bars)

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        writer = LineWriter(canvas)
        top = self._title(writer)
        label_w = self.width * 0.34
        area_x = label_w + 6
        area_w = self.width - area_x
        slot = top / max(len(self.bars), 1)
        largest = max((b.value for b in self.bars), default=Decimal(0))
        for i, bar in enumerate(self.bars):
            y = top - (i + 1) * slot
            thickness = slot * 0.78
            share = _ratio(bar.value, largest)
            length = max(area_w * share, 3.0 if bar.value > 0 else 0.0)
            x = area_x + (area_w - length) / 2
            if length:
                canvas.setFillColor(bar.colour or BAR)
                canvas.roundRect(
                    x, y + (slot - thickness) / 2, length, thickness, 2, stroke=0, fill=1
                )
            middle = y + slot / 2
            writer.line(0, middle + 1.5, shorten(bar.label, label_w, 8.5, True), 8.5, True)
            writer.line(0, middle - 8.5, shorten(bar.note, label_w, 7), 7, colour=MUTED_INK)
            inside = length >= 40
            ink = HexColor("#FFFFFF") if inside else MUTED_INK
            x_text = area_x + area_w / 2 if inside else x + length + 4
            writer.line(
                x_text, middle - 3, bar.text, 8.5, True, "centre" if inside else "left", ink
            )
        writer.finish()
        canvas.restoreState()
