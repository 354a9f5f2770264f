"""The report fonts: where they are, registering them with reportlab, and shaping per font.

Five TrueType fonts ship in ``resources/fonts`` (see its README for sources and licences):
Noto Sans for Latin text, digits and ₹; Noto Sans Devanagari for Hindi; IPAex Gothic for
Japanese. reportlab cannot embed CFF-flavoured OpenType (Noto Sans CJK), hence IPAex.

reportlab (>= 4.4, with uharfbuzz) shapes text word by word, and two of its habits break
our mixed-script lines, so :func:`register_fonts` narrows its word shaper (see
:func:`_shape_frag_word`):

* a word that changes font mid-way, such as ``(関西医薬品協会)`` set as Latin ``(`` plus
  Japanese, is shaped entirely with its first font and then crashes or prints wrong glyphs;
* the default ``liga``/``dlig`` features turn 株式会社 into the single glyph ㍿, which is no
  longer searchable.

With the hook each same-font stretch of a word is shaped on its own, and only where a
font asks for it: Devanagari (conjuncts such as प्र, क्ष, त्त need HarfBuzz) is shaped;
Latin and Japanese are set glyph by glyph, so no ligature can swallow their letters.

Shaped Devanagari uses glyphs (conjuncts, half forms) that have no Unicode code point of
their own. reportlab gives them private-use code points, so text copied from the PDF would
be garbage. :class:`ReportFont` learns, while shaping, which characters each such glyph
stands for and writes that into the PDF's ToUnicode map, so ``उत्तर`` extracts as
``उत्तर``. (Vowel signs that are drawn before their consonant, like ि, still come out in
visual order: PDF text extraction reads glyphs in drawing order.)
"""

from __future__ import annotations

import importlib.resources
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph as rl_paragraph

from mou_desk.domain.errors import DeskError

SANS = "MouSans"
SANS_BOLD = "MouSans-Bold"
DEVA = "MouDeva"
DEVA_BOLD = "MouDeva-Bold"
JP = "MouJP"

Script = Literal["latin", "deva", "cjk"]

#: Environment variable naming a folder that holds ``fonts/`` (installed or frozen builds).
RESOURCES_ENV = "MOU_DESK_RESOURCES"

# name -> (file, shaped with HarfBuzz?)
_FONT_FILES: dict[str, tuple[str, bool]] = {
    SANS: ("NotoSans-Regular.ttf", False),
    SANS_BOLD: ("NotoSans-Bold.ttf", False),
    DEVA: ("NotoSansDevanagari-Regular.ttf", True),
    DEVA_BOLD: ("NotoSansDevanagari-Bold.ttf", True),
    JP: ("ipaexg.ttf", False),
}

_PUA_FIRST, _PUA_LAST = 0xE000, 0xF8FF  # where reportlab parks glyphs without a code point


class FontsMissingError(DeskError):
    """The bundled report fonts cannot be found, so no PDF can be written."""

    exit_code = 2

    def __init__(self, searched: Sequence[Path]) -> None:
        places = "; ".join(str(p) for p in searched)
        super().__init__(
            f"The report fonts are missing (looked in: {places}). Reinstall MoU Desk, or set "
            f"{RESOURCES_ENV} to the folder that contains the 'fonts' folder."
        )
        self.searched = list(searched)


@dataclass(frozen=True)
class FontSet:
    """The registered report fonts: their reportlab names and which characters each covers."""

    directory: Path
    sans: str = SANS
    sans_bold: str = SANS_BOLD
    deva: str = DEVA
    deva_bold: str = DEVA_BOLD
    jp: str = JP
    coverage: Mapping[str, frozenset[int]] = field(default_factory=dict, repr=False, compare=False)

    def for_script(self, script: Script, bold: bool = False) -> str:
        """The font name for text of ``script``; Japanese has one weight only."""
        if script == "deva":
            return self.deva_bold if bold else self.deva
        if script == "cjk":
            return self.jp
        return self.sans_bold if bold else self.sans

    def has_glyph(self, font_name: str, char: str) -> bool:
        return ord(char) in self.coverage.get(font_name, frozenset())


def fonts_dir() -> Path:
    """The folder holding the report fonts.

    Looked up in order: ``$MOU_DESK_RESOURCES/fonts`` (if the variable is set, it is the only
    place searched), ``resources/fonts`` beside the ``mou_desk`` package (a source checkout,
    or a PyInstaller bundle that puts ``resources`` next to ``mou_desk``), and
    ``mou_desk/resources/fonts`` as package data.
    """
    env = os.environ.get(RESOURCES_ENV)
    if env:
        candidates = [Path(env) / "fonts"]
    else:
        candidates = [Path(__file__).resolve().parents[3] / "resources" / "fonts"]
        packaged = importlib.resources.files("mou_desk") / "resources" / "fonts"
        if isinstance(packaged, Path):
            candidates.append(packaged)
    for candidate in candidates:
        if all((candidate / name).is_file() for name, _ in _FONT_FILES.values()):
            return candidate
    raise FontsMissingError(candidates)


_lock = threading.Lock()
_font_set: FontSet | None = None


def register_fonts() -> FontSet:
    """Register the report fonts with reportlab (once per process) and return their names.

    Families are registered so ``<b>`` in paragraph markup picks ``MouSans-Bold`` and
    ``MouDeva-Bold``; there is no italic, and IPAex Gothic has a single weight.
    """
    global _font_set
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        if _font_set is not None and registered.issuperset(_FONT_FILES):
            return _font_set
        directory = fonts_dir()
        coverage: dict[str, frozenset[int]] = {}
        for name, (filename, shaped) in _FONT_FILES.items():
            font = pdfmetrics.getFont(name) if name in registered else None
            if not isinstance(font, ReportFont):
                font = ReportFont(name, directory / filename, shaped=shaped)
                pdfmetrics.registerFont(font)
            coverage[name] = font.cmap_chars
        for family, regular, bold in ((SANS, SANS, SANS_BOLD), (DEVA, DEVA, DEVA_BOLD)):
            pdfmetrics.registerFontFamily(
                family, normal=regular, bold=bold, italic=regular, boldItalic=bold
            )
        pdfmetrics.registerFontFamily(JP, normal=JP, bold=JP, italic=JP, boldItalic=JP)
        _install_shaping_hook()
        _font_set = FontSet(directory=directory, coverage=coverage)
        return _font_set


class ReportFont(ttfonts.TTFont):  # type: ignore[misc]  # reportlab is untyped
    """A TrueType font that knows whether to shape, and gives shaped glyphs their text."""

    def __init__(self, name: str, path: Path, *, shaped: bool) -> None:
        # reportlab shapes a Paragraph only if its style's font is "shapable", so all say
        # yes; whether a run of this font is really shaped is ``shaped`` (see the hook).
        super().__init__(name, str(path), shapable=True)
        self.shaped = shaped
        self.cmap_chars: frozenset[int] = frozenset(self.face.charToGlyph)
        self._glyph_text: dict[int, str] = {}
        self._unresolved: list[tuple[tuple[str, ...], str]] = []
        self._text_lock = threading.Lock()

    # -- learning what each unencoded glyph stands for ------------------------------------
    def learn(self, text: str, pieces: Iterable[Sequence[Any]]) -> None:
        """Record the characters behind private-use glyphs from one shaped piece of ``text``.

        HarfBuzz reports for each glyph the index of its cluster in ``text``. Within a
        cluster, the characters of encoded glyphs are known; what is left over belongs to
        the one private-use glyph of the cluster. Clusters with several new glyphs wait
        until the others are known from elsewhere.
        """
        glyphs: list[tuple[str, int]] = []
        for piece in pieces:
            shaped = piece[1]
            data = getattr(shaped, "__shapeData__", None)
            if data is None:
                return
            glyphs.extend((char, d.cluster) for char, d in zip(shaped, data, strict=False))
        starts = sorted({c for _, c in glyphs if 0 <= c < len(text)})
        ends = [*starts[1:], len(text)]
        spans = {a: text[a:b] for a, b in zip(starts, ends, strict=True)}
        clusters: dict[int, list[str]] = {}
        for char, cluster in glyphs:
            if cluster in spans:
                clusters.setdefault(cluster, []).append(char)
        with self._text_lock:
            for cluster, chars in clusters.items():
                if any(self._is_private(c) for c in chars):
                    key = (tuple(chars), spans[cluster])
                    if not self._resolve(*key, final=False):
                        self._unresolved.append(key)
            progress = True
            while progress and self._unresolved:
                waiting = self._unresolved
                self._unresolved = [k for k in waiting if not self._resolve(*k, final=False)]
                progress = len(self._unresolved) < len(waiting)

    def _is_private(self, char: str) -> bool:
        code = ord(char)
        return _PUA_FIRST <= code <= _PUA_LAST and code not in self.cmap_chars

    def _resolve(self, chars: tuple[str, ...], span: str, *, final: bool) -> bool:
        rest = span
        unknown: list[int] = []
        for char in chars:
            if not self._is_private(char):
                rest = rest.replace(char, "", 1)
            elif ord(char) in self._glyph_text:
                rest = rest.replace(self._glyph_text[ord(char)], "", 1)
            else:
                unknown.append(ord(char))
        if not unknown:
            return True
        if len(unknown) == 1 or final:
            if rest:
                self._glyph_text[unknown[0]] = rest
            return True
        return False

    def glyph_text(self, code: int) -> str:
        """The text a code point in this font's subsets stands for in the ToUnicode map."""
        if not (_PUA_FIRST <= code <= _PUA_LAST) or code in self.cmap_chars:
            return chr(code)
        with self._text_lock:
            if code not in self._glyph_text:
                for key in self._unresolved:
                    self._resolve(*key, final=True)
                self._unresolved = []
            return self._glyph_text.get(code, chr(code))

    # -- writing the PDF -------------------------------------------------------------------
    def addObjects(self, doc: Any) -> None:
        """Add the font subsets as reportlab does, then replace their ToUnicode maps."""
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = b"".join((ttfonts.SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            base_name = base.decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base_name)
            if stream is not None:
                stream.content = _to_unicode_cmap(base_name, [self.glyph_text(c) for c in subset])


def _to_unicode_cmap(name: str, texts: Sequence[str]) -> str:
    """A ToUnicode CMap mapping code ``i`` to ``texts[i]`` (several characters allowed)."""
    entries = [
        f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>"
        for code, text in enumerate(texts)
        if text and text != "\x00"
    ]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{max(len(texts) - 1, 0):02X}>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # the PDF spec allows 100 entries per block
        block = entries[start : start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


# -- shaping hook ---------------------------------------------------------------------------
_original_shape_frag_word = ttfonts.shapeFragWord


def _install_shaping_hook() -> None:
    """Route reportlab's word shaper (paragraphs and ``shapeStr``) through ours; idempotent."""
    ttfonts.shapeFragWord = _shape_frag_word
    rl_paragraph.shapeFragWord = _shape_frag_word


def _wants_shaping(font: Any) -> bool:
    if isinstance(font, ReportFont):
        return font.shaped
    return bool(getattr(font, "shapable", False))  # other TTFonts: reportlab's own rule


def _shape_frag_word(word: Any, features: Any = None, force: bool = False) -> Any:
    """Shape a reportlab "frag word" (``[width, (frag, text), ...]``) one font at a time.

    Same-font stretches are shaped separately with their own font, and only if that font
    wants shaping; inline specials (images, anchors) are left in place untouched.
    """
    if isinstance(word, ttfonts.ShapedFragWord) or len(word) < 2:
        return word
    kwargs: dict[str, Any] = {"force": force}
    if features is not None:
        kwargs["features"] = features

    segments: list[list[Any]] = []
    for piece in word[1:]:
        frag = piece[0]
        special = hasattr(frag, "cbDefn")
        last = segments[-1] if segments else None
        if (
            last is not None
            and not special
            and not hasattr(last[0][0], "cbDefn")
            and last[0][0].fontName == frag.fontName
        ):
            last.append(piece)
        else:
            segments.append([piece])

    fonts = [
        None if hasattr(s[0][0], "cbDefn") else pdfmetrics.getFont(s[0][0].fontName)
        for s in segments
    ]
    if len(segments) == 1 and fonts[0] is not None and not isinstance(fonts[0], ReportFont):
        return _original_shape_frag_word(word, **kwargs)  # unchanged behaviour for other fonts

    pieces: list[Any] = []
    delta = 0.0
    changed = False
    for segment, font in zip(segments, fonts, strict=True):
        if font is None or not _wants_shaping(font):
            pieces.extend(segment)
            continue
        width = sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in segment)
        request = [width, *segment]
        result = _original_shape_frag_word(request, **kwargs)
        if result is request:
            pieces.extend(segment)
            continue
        changed = True
        delta += result[0] - width
        pieces.extend(result[1:])
        if isinstance(font, ReportFont):
            font.learn("".join(s for _, s in segment), result[1:])
    if not changed:
        return word
    return ttfonts.makeShapedFragWord(word)([word[0] + delta, *pieces])
