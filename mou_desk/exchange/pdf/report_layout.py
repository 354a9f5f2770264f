"""What every report shares: page frames, header, footer with "page X / Y", styles.

The footer needs the page count, known only at the end, so pages are held back by
:class:`_NumberedCanvas` (reportlab's usual recipe) and stamped when the document is saved.
Documents are built with ``invariant=True`` and the generated-at time comes from the report
context, so the same data and as-of date give the same bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
)

from mou_desk.domain.dates import format_date
from mou_desk.exchange.pdf.fonts import DEVA, DEVA_BOLD, SANS, SANS_BOLD, register_fonts
from mou_desk.exchange.pdf.labels import Labels
from mou_desk.exchange.pdf.report_lines import LineWriter, draw_once, shorten, wrap
from mou_desk.exchange.pdf.report_lines import width as text_width
from mou_desk.exchange.pdf.report_model import ReportContext
from mou_desk.exchange.pdf.report_table import MUTED_INK
from mou_desk.exchange.pdf.text import paragraph

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 14 * mm
HEADER_H = 13 * mm
FOOTER_H = 10 * mm
TOP = MARGIN + HEADER_H - 2 * mm
BOTTOM = MARGIN + FOOTER_H - 2 * mm
FRAME_PAD = 6.0  # reportlab's default frame padding
ACCENT = HexColor("#1F4E79")
INK = black

STYLES = {
    "title": ParagraphStyle(
        "title", fontName=SANS_BOLD, fontSize=17, leading=22, textColor=ACCENT, spaceAfter=2
    ),
    "subtitle": ParagraphStyle(
        "subtitle", fontName=SANS, fontSize=9.5, leading=13, textColor=MUTED_INK, spaceAfter=6
    ),
    "h1": ParagraphStyle(
        "h1",
        fontName=SANS_BOLD,
        fontSize=12.5,
        leading=16,
        textColor=ACCENT,
        spaceBefore=8,
        spaceAfter=4,
    ),
    "h2": ParagraphStyle(
        "h2",
        fontName=SANS_BOLD,
        fontSize=10,
        leading=13,
        textColor=INK,
        spaceBefore=7,
        spaceAfter=3,
    ),
    "body": ParagraphStyle("body", fontName=SANS, fontSize=9, leading=12.5),
    "small": ParagraphStyle(
        "small", fontName=SANS, fontSize=7.5, leading=10, textColor=MUTED_INK, spaceAfter=3
    ),
}


def generated_text(context: ReportContext, labels: Labels) -> str:
    """ "Generated on 22-11-2026 14:05", or the as-of date alone for a reproducible run."""
    when = context.generated_at
    if when is None:
        stamp = format_date(context.as_of)
    else:
        stamp = f"{format_date(when.date())} {when:%H:%M}"
    return labels("generated_on", when=stamp)


def filters_text(context: ReportContext, labels: Labels) -> str:
    if not context.filters:
        return labels["filters.none"]
    parts = []
    for key, value in context.filters:
        shown = labels.stage(value) if key == "stage" else value
        parts.append(f"{labels[key]}: {shown}")
    return "; ".join(parts)


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (any script) in one of :data:`STYLES`."""
    return paragraph(text, STYLES[style])


def heading(text: str, level: int = 1, room: float = 90) -> list[Flowable]:
    """A heading that is never left alone at the foot of a page."""
    return [CondPageBreak(room), para(text, f"h{level}")]


class FigureStrip(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Key figures in boxes: a large value over a small label (up to two lines)."""

    def __init__(self, items: Sequence[tuple[str, str]], width: float, height: float = 46):
        super().__init__()
        self.items = list(items)
        self.width, self.height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        gap = 6.0
        count = max(len(self.items), 1)
        box = (self.width - gap * (count - 1)) / count
        canvas.saveState()
        canvas.setStrokeColor(HexColor("#C9D3E0"))
        canvas.setFillColor(HexColor("#F3F6FA"))
        writer = LineWriter(canvas)
        for i, (value, label) in enumerate(self.items):
            x = i * (box + gap)
            canvas.roundRect(x, 0, box, self.height, 3, stroke=1, fill=1)
            size = 14.0
            while size > 8 and text_width(value, size, True) > box - 8:
                size -= 0.5
            writer.line(
                x + box / 2,
                self.height - 20,
                shorten(value, box - 8, size, True),
                size,
                True,
                "centre",
                ACCENT,
            )
            lines = wrap(label, box - 8, 7, max_lines=2)
            for n, line in enumerate(lines):
                y = 15 - n * 8.5 if len(lines) > 1 else 11
                writer.line(x + box / 2, y, line, 7, False, "centre", MUTED_INK)
        writer.finish()
        canvas.restoreState()


@dataclass(frozen=True)
class Page:
    """What the header and footer print on every page."""

    title: str
    department: str
    as_of: str
    generated: str
    confidential: str
    page_label: Callable[[int, int], str]


def _draw_header(canvas: Canvas, page: Page, width: float, height: float) -> None:
    """Department, title and as-of date over a rule: the same on every page, drawn once."""
    top = height - MARGIN + 6 * mm

    def draw(form: Canvas) -> None:
        writer = LineWriter(form)
        right = width - MARGIN
        title_w = min(260.0, (right - MARGIN) * 0.4)
        dept_w = right - MARGIN - title_w - 12
        for n, line in enumerate(wrap(page.department, dept_w, 7.5, True, 2)):
            writer.line(MARGIN, top - n * 9, line, 7.5, True, colour=ACCENT)
        writer.line(right, top, shorten(page.title, title_w, 7.5, True), 7.5, True, "right")
        writer.line(right, top - 10, page.as_of, 7, False, "right", MUTED_INK)
        writer.finish()
        form.setStrokeColor(ACCENT)
        form.setLineWidth(0.8)
        form.line(MARGIN, top - 16, right, top - 16)

    key = repr(("header", page.department, page.title, page.as_of, width, height))
    canvas.saveState()
    draw_once(canvas, key, (width, height), draw)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, page: Page, number: int, total: int) -> None:
    width, height = canvas._pagesize
    y = MARGIN - 6 * mm

    def draw(form: Canvas) -> None:
        form.setStrokeColor(HexColor("#C9D3E0"))
        form.setLineWidth(0.5)
        form.line(MARGIN, y + 9, width - MARGIN, y + 9)
        writer = LineWriter(form)
        writer.line(MARGIN, y, page.generated, 7, False, colour=MUTED_INK)
        writer.line(width / 2, y, page.confidential, 7, True, "centre", MUTED_INK)
        writer.finish()

    canvas.saveState()
    key = repr(("footer", page.generated, page.confidential, width, height))
    draw_once(canvas, key, (width, height), draw)
    writer = LineWriter(canvas)
    writer.line(width - MARGIN, y, page.page_label(number, total), 7.5, True, "right")
    writer.finish()
    canvas.restoreState()


def _numbered_canvas(page: Page) -> type[Canvas]:
    class _NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds pages back until the end so each footer can say "page X / Y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                _draw_footer(self, page, self._pageNumber, total)
                Canvas.showPage(self)
            self._held = []
            Canvas.save(self)

    return _NumberedCanvas


def frame_height(pagesize: tuple[float, float]) -> float:
    """The height a flowable gets at the top of an empty frame."""
    return float(pagesize[1] - TOP - BOTTOM - 2 * FRAME_PAD)


def frame_width(pagesize: tuple[float, float]) -> float:
    return float(pagesize[0] - 2 * MARGIN - 2 * FRAME_PAD)


def build(
    target: str | IO[bytes],
    story: list[Flowable],
    *,
    page: Page,
    pagesize: tuple[float, float],
    subject: str,
    lang: str = "en",
) -> int:
    """Lay out ``story`` on pages with the header and footer; returns the page count."""
    with _build_lock:
        _forget_learned_glyph_text()
        return _build(target, story, page=page, pagesize=pagesize, subject=subject, lang=lang)


_build_lock = threading.Lock()


def _forget_learned_glyph_text() -> None:
    """Work around ``fonts.ReportFont`` learning glyph texts across documents.

    ReportFont learns, process-wide and in the order texts happen to be shaped, which
    characters each unencoded Devanagari glyph stands for, and a glyph whose cluster held
    two unknown glyphs gets the whole cluster's text. So the ToUnicode map of the same
    report differed between a fresh process and one that had rendered other Hindi text
    first (e.g. one glyph mapped to "ज़ि" in one run and to "ि" in another). Starting every
    document from an empty memory makes the map depend on this document alone: every
    Devanagari run is shaped again while the pages are drawn, in page order.
    """
    for name in (DEVA, DEVA_BOLD):
        font = pdfmetrics.getFont(name)
        lock = getattr(font, "_text_lock", None)
        if lock is None or not hasattr(font, "_glyph_text"):
            continue
        with lock:
            font._glyph_text.clear()
            font._unresolved.clear()


_pinned = False


def prepare_fonts() -> None:
    """Register the fonts, and number Devanagari's unencoded glyphs in a fixed order.

    reportlab gives each glyph that has no code point of its own (conjuncts, half forms)
    the next free private-use code the first time HarfBuzz produces it, so the codes
    depended on what the process had shaped before; a glyph whose text could not be
    learned shows that code in the PDF's ToUnicode map, and the same report differed
    between processes. Numbering every such glyph once, in glyph order, before anything
    is shaped makes the codes a property of the font. Call before laying out a report.
    """
    global _pinned
    register_fonts()
    with _build_lock:
        if _pinned:
            return
        for name in (DEVA, DEVA_BOLD):
            font = pdfmetrics.getFont(name)
            try:
                hb_font = font.hbFont(10)
                face = font.face
                for gid in range(face.numGlyphs):
                    if gid not in face.glyphToChar:
                        advance = hb_font.get_glyph_h_advance(gid)
                        font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, advance)
            except (AttributeError, AssertionError):  # another reportlab: leave it be
                continue
        _pinned = True


def _build(
    target: str | IO[bytes],
    story: list[Flowable],
    *,
    page: Page,
    pagesize: tuple[float, float],
    subject: str,
    lang: str,
) -> int:
    register_fonts()
    width, height = pagesize
    doc = BaseDocTemplate(
        target,
        pagesize=pagesize,
        invariant=True,
        title=page.title,
        author=page.department,
        subject=subject,
        creator="MoU Desk",
        producer="MoU Desk (ReportLab)",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        lang=lang,
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", showBoundary=0
    )

    def on_page(canvas: Canvas, _doc: Any) -> None:
        _draw_header(canvas, page, width, height)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(story, canvasmaker=_numbered_canvas(page))
    return int(doc.page)


def spacer(height: float = 6) -> Spacer:
    return Spacer(1, height)
