"""Report fonts and mixed-script text: runs, escaping, shaping, and what a PDF reader gets back.

Text is read back with pypdf (always) and pdftotext (when poppler is installed). What each
extractor reliably returns for shaped Hindi:

* pypdf returns every word exactly, except that a vowel sign drawn before its consonant
  (ि in निवेश) comes out in drawing order (िनवेश); the test words avoid that sign.
* pdftotext also sometimes splits a word after a vowel sign sitting just before the next
  letter (प्रदे श): poppler takes the two close glyph origins for a duplicated glyph. So
  its Hindi is compared with the spaces removed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.fonts import tt2ps
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from mou_desk.exchange.pdf import fonts
from mou_desk.exchange.pdf.fonts import FontsMissingError, fonts_dir, register_fonts
from mou_desk.exchange.pdf.text import (
    draw_string,
    markup,
    paragraph,
    script_runs,
    string_runs,
    string_width,
)

ASSOCIATION = "Kansai Pharmaceutical Industries Association (関西医薬品協会)"
COMPANY = "田中電気株式会社"
STATE = "उत्तर प्रदेश निवेश प्रोत्साहन"
WORDS = "प्रस्ताव क्षमता उत्तम"
RUPEES = "₹ 1,23,45,678"
HINDI_WORDS = ["उत्तर", "प्रदेश", "प्रोत्साहन", "प्रस्ताव", "क्षमता", "उत्तम"]
PUA = re.compile("[\ue000-\uf8ff]")


def _style(font: str = "MouSans", size: float = 11) -> ParagraphStyle:
    return ParagraphStyle(f"test-{font}", fontName=font, fontSize=size, leading=size * 1.5)


def _sample_pdf() -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, invariant=True, title="MoU status")
    body, heading = _style(), _style("MouSans-Bold", 14)

    def footer(canvas: Any, _doc: Any) -> None:
        draw_string(canvas, 40, 30, "पृष्ठ 1 — 田中電気株式会社", 8)
        draw_string(canvas, 550, 30, RUPEES, 8, bold=True, anchor="right")

    story = [
        paragraph(STATE, heading),
        *(paragraph(t, body) for t in (ASSOCIATION, COMPANY, STATE, WORDS, RUPEES)),
        paragraph("MoU-प्रस्ताव TDK株式会社 (A & B <C>)", body),
        Spacer(1, 12),
        Table([[paragraph(COMPANY, body), paragraph(WORDS, body)]], colWidths=[60, 200]),
    ]
    doc.build(story, onFirstPage=footer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    path.write_bytes(_sample_pdf())
    return path


@pytest.fixture(scope="module")
def pypdf_text(sample_pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(sample_pdf).pages)


# -- fonts --------------------------------------------------------------------------------
def test_register_fonts_is_idempotent_and_registers_families() -> None:
    first = register_fonts()
    assert register_fonts() is first
    names = set(pdfmetrics.getRegisteredFontNames())
    assert {"MouSans", "MouSans-Bold", "MouDeva", "MouDeva-Bold", "MouJP"} <= names
    assert tt2ps("mousans", 1, 0) == "MouSans-Bold"
    assert tt2ps("moudeva", 1, 0) == "MouDeva-Bold"
    assert first.for_script("deva", bold=True) == "MouDeva-Bold"
    assert first.for_script("cjk", bold=True) == "MouJP"


def test_fonts_ship_with_licences_and_cover_their_scripts() -> None:
    directory = fonts_dir()
    for name in ("OFL.txt", "IPA_Font_License_Agreement_v1.0.txt", "README.md"):
        assert (directory / name).is_file()
    font_set = register_fonts()
    assert font_set.has_glyph("MouSans", "₹")
    assert font_set.has_glyph("MouDeva", "क")
    assert font_set.has_glyph("MouJP", "株")
    assert not font_set.has_glyph("MouJP", "₹")


def test_fonts_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(fonts.RESOURCES_ENV, str(tmp_path))
    with pytest.raises(FontsMissingError, match="MOU_DESK_RESOURCES"):
        fonts_dir()
    shutil.copytree(Path(__file__).resolve().parents[3] / "resources" / "fonts", tmp_path / "fonts")
    assert fonts_dir() == tmp_path / "fonts"


# -- runs and markup ----------------------------------------------------------------------
def test_script_runs_keep_neutral_characters_with_their_neighbours() -> None:
    assert script_runs(ASSOCIATION) == [
        ("latin", "Kansai Pharmaceutical Industries Association "),
        ("cjk", "(関西医薬品協会)"),
    ]
    assert script_runs("उत्तर प्रदेश, 2025 (UP)") == [
        ("deva", "उत्तर प्रदेश, 2025 "),
        ("latin", "(UP)"),
    ]
    assert script_runs(RUPEES) == [("latin", RUPEES)]
    assert script_runs("") == []
    assert script_runs("Cafe\u0301 の") == [("latin", "Cafe\u0301 "), ("cjk", "の")]
    assert script_runs("「テスト」ＡＢＣ") == [("cjk", "「テスト」ＡＢＣ")]


def test_string_runs_fall_back_to_a_font_that_has_the_glyph() -> None:
    assert string_runs("株式会社 ₹ 5") == [
        ("MouJP", "株式会社 "),
        ("MouSans", "₹"),
        ("MouJP", " 5"),
    ]
    assert string_runs("उत्तर\tप्रदेश", bold=True) == [("MouDeva-Bold", "उत्तर प्रदेश")]


def test_markup_escapes_and_switches_fonts() -> None:
    assert markup("A & B <C>") == "A &amp; B &lt;C&gt;"
    assert markup("\"q\" 'x'") == "&quot;q&quot; &#39;x&#39;"
    assert markup(COMPANY) == '<font name="MouJP">田中電気株式会社</font>'
    assert markup("MoU प्रस्ताव", bold=True) == ('<b>MoU </b><font name="MouDeva-Bold">प्रस्ताव</font>')


def test_paragraph_keeps_special_characters_literal() -> None:
    para = paragraph("A & B <C> \"q\" 'x'", _style())
    assert para.getPlainText() == "A & B <C> \"q\" 'x'"


def test_paragraph_shapes_hindi_but_not_japanese() -> None:
    para = paragraph(f"{WORDS} {COMPANY} MoU-प्रस्ताव", _style("Helvetica"))
    assert para.style.fontName == "MouSans"
    assert para.style.shaping
    para.wrap(500, 100)
    frags = [(f.fontName, f.text) for line in para.blPara.lines for f in line.words]
    deva = "".join(text for name, text in frags if name == "MouDeva")
    japanese = "".join(text for name, text in frags if name == "MouJP")
    assert PUA.search(deva), "conjuncts should be replaced by shaped glyphs"
    assert "्" not in deva, "no virama should be left visible in these words"
    assert japanese.strip() == COMPANY


def test_string_width_uses_shaped_widths() -> None:
    font_size = 10
    unshaped = pdfmetrics.stringWidth("क्ष", "MouDeva", font_size)
    assert 0 < string_width("क्ष", font_size) < unshaped
    assert string_width("", font_size) == 0


@pytest.mark.parametrize(("anchor", "shift"), [("left", 0.0), ("right", 1.0), ("centre", 0.5)])
def test_draw_string_anchors(anchor: Any, shift: float) -> None:
    canvas = Canvas(io.BytesIO(), invariant=True, pageCompression=0)
    text = "Nodal officer: श्री राम 田中"
    width = draw_string(canvas, 300, 100, text, 9, anchor=anchor)
    assert width == pytest.approx(string_width(text, 9))
    start = 300 - shift * width
    content = canvas.getpdfdata().decode("latin-1")
    assert f"1 0 0 1 {fp_str(start)} 100 Tm" in content


def test_draw_string_rejects_an_unknown_anchor() -> None:
    with pytest.raises(ValueError, match="anchor"):
        draw_string(Canvas(io.BytesIO()), 0, 0, "x", 9, anchor="middle")  # type: ignore[arg-type]


# -- the PDF as a reader sees it ----------------------------------------------------------
def test_pdf_text_is_searchable_with_pypdf(pypdf_text: str) -> None:
    assert COMPANY in pypdf_text
    assert "株式会社" in pypdf_text
    assert "㍿" not in pypdf_text
    assert "関西医薬品協会" in pypdf_text
    assert "Kansai Pharmaceutical Industries Association" in pypdf_text
    assert RUPEES in pypdf_text
    assert "A & B <C>" in pypdf_text
    for word in HINDI_WORDS:
        assert word in pypdf_text
    assert not PUA.search(pypdf_text), "every shaped glyph should map back to text"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text_is_searchable_with_pdftotext(sample_pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(sample_pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert COMPANY in text
    assert "㍿" not in text
    assert "Kansai Pharmaceutical Industries Association" in text
    assert RUPEES in text
    joined = re.sub(r"\s+", "", text)
    for word in HINDI_WORDS:
        assert word in joined
    assert not PUA.search(text)


def test_same_input_gives_same_bytes() -> None:
    assert _sample_pdf() == _sample_pdf()
