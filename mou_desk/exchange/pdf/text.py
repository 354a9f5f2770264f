"""Mixed-script text for the PDF reports: English, Hindi and Japanese on one line.

Text is cut into runs by script and each run is set in the font that has its glyphs:
Devanagari in MouDeva, Japanese (kana, kanji, CJK punctuation, fullwidth forms) in MouJP,
everything else in MouSans. Characters without a script of their own (spaces, digits,
punctuation, ₹) join a neighbouring run, so a run breaks only where the script does:
an opening bracket or quote joins the run after it, anything else the run before it. A
character the chosen font lacks falls back to the first font that has it (₹ is not in
IPAex Gothic, so after Japanese it is set in MouSans).

Use :func:`paragraph` (or :func:`markup` with a shaping style) for flowing text and
:func:`draw_string` for single lines on a canvas (headers, footers, chart labels).
Build documents with ``invariant=True`` so the same data gives the same PDF bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any, Literal, TypeVar
from xml.sax.saxutils import escape

from reportlab.lib.fonts import ps2tt
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus import Paragraph

from mou_desk.exchange.pdf.fonts import (
    DEVA,
    DEVA_BOLD,
    JP,
    SANS,
    SANS_BOLD,
    Script,
    register_fonts,
)

Anchor = Literal["left", "right", "centre"]

_DEVA_RANGES = ((0x0900, 0x097F), (0x1CD0, 0x1CFF), (0xA8E0, 0xA8FF))
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x2FF0, 0x30FF),  # ideographic description, CJK symbols and punctuation, kana
    (0x3190, 0x33FF),  # kanbun, strokes, katakana extension, enclosed CJK, ㍿ and friends
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_OPENING = frozenset(("Ps", "Pi"))  # opening brackets and quotes lean on what follows
_INVISIBLE = frozenset(("Mn", "Cf"))  # marks and format characters
_QUOTES = {'"': "&quot;", "'": "&#39;"}
_ANCHORS = ("left", "right", "centre")
_K = TypeVar("_K")


def script_of(char: str) -> Script | None:
    """The script a character belongs to, or None for spaces, digits, punctuation, symbols."""
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _DEVA_RANGES):
        return "deva"
    if any(lo <= code <= hi for lo, hi in _CJK_RANGES):
        return "cjk"
    if unicodedata.category(char).startswith("L"):
        return "latin"
    return None


def _clean(text: str) -> str:
    """Control characters (tabs, line breaks, Excel's vertical tab) become spaces."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def script_runs(text: str) -> list[tuple[Script, str]]:
    """Split ``text`` into maximal runs of one script, neutral characters included."""
    scripts: list[Script | None] = []
    for char in text:
        script = script_of(char)
        if script is None and unicodedata.category(char).startswith("M") and scripts:
            script = scripts[-1]  # a combining mark stays with its base character
        scripts.append(script)
    following: list[Script | None] = [None] * len(scripts)
    upcoming: Script | None = None
    for i in range(len(scripts) - 1, -1, -1):
        following[i] = upcoming
        upcoming = scripts[i] or upcoming
    resolved: list[Script] = []
    last: Script | None = None  # the script of the latest letter
    for i, (char, script) in enumerate(zip(text, scripts, strict=True)):
        if script is None:
            if unicodedata.category(char) in _OPENING:
                script = following[i] or last or "latin"
            else:
                script = last or following[i] or "latin"
        else:
            last = script
        resolved.append(script)
    return _merge(zip(resolved, text, strict=True))


def _merge(pairs: Iterable[tuple[_K, str]]) -> list[tuple[_K, str]]:
    """Join consecutive characters with the same key into one run."""
    return [(key, "".join(c for _, c in group)) for key, group in groupby(pairs, itemgetter(0))]


def string_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """``(font name, text)`` runs for drawing ``text`` on one line, in order.

    Control characters become spaces; an invisible character that no font has is dropped.
    """
    fonts = register_fonts()
    text = _clean(text)
    fallbacks = (SANS_BOLD if bold else SANS, DEVA_BOLD if bold else DEVA, JP)
    pairs: list[tuple[str, str]] = []
    for script, run in script_runs(text):
        preferred = fonts.for_script(script, bold)
        for char in run:
            name: str | None = preferred
            if not fonts.has_glyph(preferred, char):
                name = next((f for f in fallbacks if fonts.has_glyph(f, char)), None)
            if name is None and unicodedata.category(char) in _INVISIBLE:
                continue  # e.g. a variation selector no font knows: drawing it adds a box
            pairs.append((name or preferred, char))
    return _merge(pairs)


def markup(text: str, bold: bool = False) -> str:
    """reportlab Paragraph markup for plain ``text``: escaped, with a font per script run.

    Latin runs inherit the paragraph style's font (``<b>`` when ``bold``); Devanagari
    and Japanese runs name their font explicitly (``MouDeva-Bold`` when ``bold``). Wrap
    the result in nothing that sets a font: an outer ``<b>`` does not reach into the
    ``<font>`` runs, so pass ``bold=True`` instead.
    """
    parts: list[str] = []
    for name, run in string_runs(text, bold):
        escaped = escape(run, _QUOTES)
        if name in (SANS, SANS_BOLD):
            parts.append(f"<b>{escaped}</b>" if bold else escaped)
        else:
            parts.append(f'<font name="{name}">{escaped}</font>')
    return "".join(parts)


def _is_bold(font_name: str) -> bool:
    try:
        return bool(ps2tt(font_name)[1])
    except ValueError:  # a font without a registered family
        return False


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain ``text`` in ``style``, with every script in its font and shaped.

    The style's boldness carries over to Hindi runs. A style that does not turn shaping on,
    or whose font is not MouSans/MouSans-Bold (Helvetica, say, which has no ₹), is replaced
    by a child style that does and is, keeping everything else. Text with Hindi is not
    cut inside words (``splitLongWords=0``).
    """
    register_fonts()
    bold = _is_bold(style.fontName)
    changes: dict[str, Any] = {}
    if style.fontName not in (SANS, SANS_BOLD):
        changes["fontName"] = SANS_BOLD if bold else SANS
    if not style.shaping:
        changes["shaping"] = 1
    if style.splitLongWords and any(script_of(c) == "deva" for c in text):
        # reportlab cuts an over-long shaped word between glyphs and garbles it; a long
        # Hindi word had better overflow its column a little.
        changes["splitLongWords"] = 0
    if changes:
        style = ParagraphStyle(f"{style.name}+mou", parent=style, **changes)
    return Paragraph(markup(text, bold), style)


def _shaped(run: str, font_name: str, size: float) -> tuple[str, float]:
    """The run ready for a text object (shaped if its font wants it) and its width.

    reportlab's canvas only shapes when rlbidi is installed, so this shapes directly.
    """
    font = pdfmetrics.getFont(font_name)
    if getattr(font, "shaped", False):
        shaped = shapeStr(run, font_name, size)
        data = getattr(shaped, "__shapeData__", None)
        if data is not None:
            return shaped, sum(d.x_advance for d in data) * size / 1000
    return run, float(pdfmetrics.stringWidth(run, font_name, size))


def string_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` as :func:`draw_string` draws it (shaping included)."""
    return sum(_shaped(run, name, size)[1] for name, run in string_runs(text, bold))


def draw_string(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    bold: bool = False,
    anchor: Anchor = "left",
) -> float:
    """Draw ``text`` on one line with its baseline at ``y``; return its width in points.

    ``anchor`` says whether ``x`` is the left end, the right end or the centre of the
    line. The canvas's own font setting is left as it was.
    """
    if anchor not in _ANCHORS:
        raise ValueError(f"anchor must be one of {_ANCHORS}, not {anchor!r}")
    runs = [(name, *_shaped(run, name, size)) for name, run in string_runs(text, bold)]
    total = sum(width for _, _, width in runs)
    start = x - {"left": 0.0, "right": total, "centre": total / 2}[anchor]
    if not runs:
        return 0.0
    text_object = canvas.beginText(start, y)
    offset = 0.0
    for name, shaped, width in runs:
        text_object.setTextOrigin(start + offset, y)
        text_object.setFont(name, size)
        text_object.textOut(shaped)
        offset += width
    canvas.drawText(text_object)
    return total
