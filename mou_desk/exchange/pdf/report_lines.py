"""Fast single-line text for report tables and charts, on top of ``text.py``.

``text.draw_string`` costs about 0.1 ms a call (it re-splits the text into script runs
each time), too slow for the 90,000 cells of a 10,000-MoU report. Here the runs are worked
out once per distinct text (cached) and plain ASCII skips the split altogether; runs whose
font is not shaped (Latin, Japanese) are drawn exactly as ``draw_string`` draws them, into
one text object per table; runs that need shaping (Devanagari) go through ``draw_string``.

:func:`wrap` breaks text into lines that fit a width: at spaces, between CJK characters,
and inside an over-long word only between whole clusters (never after a virama, never before
a combining mark), so a Hindi conjunct is never cut in two.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfbase import pdfmetrics

from mou_desk.exchange.pdf.fonts import SANS, SANS_BOLD, register_fonts
from mou_desk.exchange.pdf.text import draw_string, script_of, string_runs, string_width

ELLIPSIS = "…"
_VIRAMA = "\u094d"
_JOINERS = frozenset("\u200c\u200d")


def plain_font(bold: bool) -> str:
    return SANS_BOLD if bold else SANS


_plain_chars: dict[str, bool] = {}


def _is_plain(char: str) -> bool:
    """Latin or neutral, printable, and in both weights of MouSans (e.g. "—", "é", "₹")."""
    known = _plain_chars.get(char)
    if known is None:
        fonts = register_fonts()
        known = (
            script_of(char) in (None, "latin")
            and unicodedata.category(char) not in ("Cc", "Cf", "Mn", "Me", "Zl", "Zp")
            and fonts.has_glyph(SANS, char)
            and fonts.has_glyph(SANS_BOLD, char)
        )
        _plain_chars[char] = known
    return known


def is_plain(text: str) -> bool:
    """True when ``text`` is set in MouSans alone, as ``string_runs`` would set it."""
    if text.isascii():
        return text.isprintable()
    return all(_is_plain(c) for c in text)


@lru_cache(maxsize=200_000)
def runs(text: str, bold: bool = False) -> tuple[tuple[str, str, bool], ...]:
    """``(font, text, shaped)`` runs of ``text``; plain Latin is one MouSans run, no lookup."""
    if not text:
        return ()
    if is_plain(text):
        return ((plain_font(bold), text, False),)
    result = []
    for name, run in string_runs(text, bold):
        shaped = bool(getattr(pdfmetrics.getFont(name), "shaped", False))
        result.append((name, run, shaped))
    return tuple(result)


@lru_cache(maxsize=200_000)
def _width(text: str, size: float, bold: bool) -> float:
    total = 0.0
    for name, run, shaped in runs(text, bold):
        if shaped:
            total += string_width(run, size, bold)
        else:
            total += pdfmetrics.stringWidth(run, name, size)
    return total


@lru_cache(maxsize=400_000)
def width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` drawn on one line (shaping included)."""
    if is_plain(text):
        return float(pdfmetrics.stringWidth(text, plain_font(bold), size))
    return _width(text, size, bold)


def clean(text: str) -> str:
    """Runs of whitespace and control characters become one space."""
    return " ".join(text.split())


def _cluster_breaks(word: str) -> list[int]:
    """Offsets inside ``word`` where it may be cut without splitting a cluster."""
    breaks = []
    for i in range(1, len(word)):
        before, after = word[i - 1], word[i]
        if before == _VIRAMA or before in _JOINERS or after in _JOINERS:
            continue
        if unicodedata.category(after) in ("Mn", "Mc", "Me"):
            continue
        breaks.append(i)
    return breaks


def _split_word(word: str, limit: float, size: float, bold: bool) -> list[str]:
    """Cut a word wider than ``limit`` into pieces that fit, at cluster boundaries.

    A single cluster wider than ``limit`` becomes a piece of its own and overflows a little.
    """
    pieces: list[str] = []
    start = 0
    fits: int | None = None  # the furthest cut from ``start`` that still fits
    for cut in [*_cluster_breaks(word), len(word)]:
        if width(word[start:cut], size, bold) <= limit:
            fits = cut
            continue
        if fits is not None:
            pieces.append(word[start:fits])
            start = fits
        if width(word[start:cut], size, bold) <= limit:
            fits = cut
        else:
            pieces.append(word[start:cut])
            start, fits = cut, None
    if start < len(word):
        pieces.append(word[start:])
    return pieces


def _may_break_before(previous: str, char: str) -> bool:
    """Between two characters of a CJK word: not after an opening bracket, not before
    closing punctuation, a middle dot or a prolonged-sound mark (kinsoku, simplified)."""
    if script_of(char) != "cjk":
        return False
    if unicodedata.category(previous) in ("Ps", "Pi"):
        return False
    return unicodedata.category(char) not in ("Pe", "Pf", "Po", "Lm")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words and CJK characters, each with whether a space precedes it."""
    tokens: list[tuple[str, bool]] = []
    for word in text.split(" "):
        if not word:
            continue
        if is_plain(word) or not any(script_of(c) == "cjk" for c in word):
            tokens.append((word, True))
            continue
        piece, spaced = word[0], True
        for previous, char in pairwise(word):
            if _may_break_before(previous, char):
                tokens.append((piece, spaced))
                piece, spaced = "", False
            piece += char
        tokens.append((piece, spaced))
    return tokens


def wrap(text: str, limit: float, size: float, bold: bool = False, max_lines: int = 0) -> list[str]:
    """Lines of ``text`` no wider than ``limit`` points; ``max_lines`` > 0 ends with "…"."""
    return list(_wrap(text, limit, size, bold, max_lines))


@lru_cache(maxsize=100_000)
def _wrap(text: str, limit: float, size: float, bold: bool, max_lines: int) -> tuple[str, ...]:
    text = clean(text)
    if not text:
        return ()
    if width(text, size, bold) <= limit:
        return (text,)
    lines: list[str] = []
    line = ""
    space = width(" ", size, bold)
    line_width = 0.0
    for token, spaced in _tokens(text):
        token_width = width(token, size, bold)
        gap = space if (spaced and line) else 0.0
        if line and line_width + gap + token_width <= limit:
            line += (" " if spaced else "") + token
            line_width += gap + token_width
            continue
        if line:
            lines.append(line)
        if token_width <= limit:
            line, line_width = token, token_width
            continue
        pieces = _split_word(token, limit, size, bold)
        lines.extend(pieces[:-1])
        line = pieces[-1] if pieces else ""
        line_width = width(line, size, bold)
    if line:
        lines.append(line)
    if max_lines and len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], shorten(lines[max_lines - 1] + " …", limit, size, bold)]
    return tuple(lines)


def shorten(text: str, limit: float, size: float, bold: bool = False) -> str:
    """``text`` cut (at a cluster boundary) and ended with "…" to fit ``limit``."""
    text = clean(text)
    if width(text, size, bold) <= limit:
        return text
    cuts = [0, *_cluster_breaks(text)]
    low, high = 0, len(cuts) - 1
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if width(text[: cuts[mid]].rstrip() + ELLIPSIS, size, bold) <= limit:
            low = mid
        else:
            high = mid - 1
    return text[: cuts[low]].rstrip() + ELLIPSIS


def _rgb(colour: Any) -> tuple[float, float, float]:
    """A colour as an RGB tuple: setting it emits one operator (a Color adds an alpha state)."""
    if isinstance(colour, tuple):
        return colour
    return (colour.red, colour.green, colour.blue)


class LineWriter:
    """Draws many single lines on a canvas with one text object, in reading order.

    Fonts and colours are set only when they change. Call :meth:`line` for each line, then
    :meth:`finish` once to put the text on the canvas.
    """

    def __init__(self, canvas: Any) -> None:
        register_fonts()
        self.canvas = canvas
        self._text = canvas.beginText(0, 0)
        self._font: tuple[str, float] | None = None
        self._colour: tuple[float, float, float] | None = None
        self._colours: dict[int, tuple[float, float, float]] = {}
        self._shaped: list[tuple[float, float, str, float, bool, Any]] = []
        self._used = False

    def line(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        bold: bool = False,
        anchor: str = "left",
        colour: Any = None,
    ) -> None:
        """Draw ``text`` with its baseline at ``y``; ``anchor`` as in ``draw_string``."""
        if not text:
            return
        if anchor == "right":
            x -= width(text, size, bold)
        elif anchor == "centre":
            x -= width(text, size, bold) / 2
        colour = black if colour is None else colour
        rgb = self._colours.get(id(colour))
        if rgb is None:
            rgb = self._colours[id(colour)] = _rgb(colour)
        pieces = runs(text, bold)
        offset = 0.0
        last = len(pieces) - 1
        text_object = self._text
        for n, (name, run, shaped) in enumerate(pieces):
            if shaped:
                self._shaped.append((x + offset, y, run, size, bold, rgb))
                if n < last:
                    offset += string_width(run, size, bold)
                continue
            if rgb != self._colour:
                text_object.setFillColor(rgb)
                self._colour = rgb
            if self._font != (name, size):
                text_object.setFont(name, size)
                self._font = (name, size)
            text_object.setTextOrigin(x + offset, y)
            # _textOut: the origin is set for every run; textOut would also sum the widths
            text_object._textOut(run)
            self._used = True
            if n < last:
                offset += pdfmetrics.stringWidth(run, name, size)

    def finish(self) -> None:
        canvas = self.canvas
        if self._used:
            canvas.drawText(self._text)
        # Shaped runs go through draw_string. One seen before in this document (a status, a
        # heading, "पृष्ठ" in every footer) is drawn once into a form and reused from then on.
        seen: dict[tuple[Any, ...], bool] | None = getattr(canvas, "_mou_shaped_seen", None)
        if seen is None:
            seen = {}
            canvas._mou_shaped_seen = seen
        in_form = getattr(canvas, "_formData", None) is not None
        for x, y, run, size, bold, rgb in self._shaped:
            key = (run, size, bold, rgb)
            if in_form or key not in seen:
                seen[key] = True
                canvas.setFillColor(rgb)
                draw_string(canvas, x, y, run, size, bold)
                continue
            run_width = string_width(run, size, bold)

            def draw(form: Any, run: str = run, size: float = size, bold: bool = bold,
                     rgb: Any = rgb) -> None:  # fmt: skip
                form.setFillColor(rgb)
                draw_string(form, 0, 0, run, size, bold)

            canvas.saveState()
            canvas.translate(x, y)
            box = (-size, -size, run_width + size, 2 * size)
            draw_once(canvas, repr(("shaped", *key)), box, draw)
            canvas.restoreState()
        self._text = self.canvas.beginText(0, 0)
        self._font = self._colour = None
        self._shaped = []
        self._used = False


def draw_once(
    canvas: Any,
    key: str,
    box: tuple[float, float] | tuple[float, float, float, float],
    draw: Callable[[Any], None],
) -> None:
    """Draw what ``draw`` draws at the canvas origin, as a form drawn once per document.

    Text repeated on every page (the page header, a table's header row) is drawn once into
    a PDF form and reused, so its Hindi is shaped once rather than on each of 600 pages.
    ``key`` names the content (equal keys must mean equal drawings); ``box`` is its size
    from the origin, or its (left, bottom, right, top).
    """
    name = "mou" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    if not canvas.hasForm(name):
        left, bottom, right, top = box if len(box) == 4 else (0.0, 0.0, *box)
        canvas.beginForm(name, left, bottom, right, top)
        draw(canvas)
        canvas.endForm()
    canvas.doForm(name)


def draw_lines(
    canvas: Any, items: Sequence[tuple[float, float, str, float, bool, str]], colour: Any = None
) -> None:
    """Draw ``(x, y, text, size, bold, anchor)`` lines in one go."""
    writer = LineWriter(canvas)
    for x, y, text, size, bold, anchor in items:
        writer.line(x, y, text, size, bold, anchor, colour)
    writer.finish()
