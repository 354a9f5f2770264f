"""Report text: runs, widths and line breaking in every script; the labels of both languages."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mou_desk.exchange.pdf.fonts import register_fonts
from mou_desk.exchange.pdf.labels import EN, HI, labels_for, missing_keys
from mou_desk.exchange.pdf.report_lines import clean, runs, shorten, width, wrap
from mou_desk.exchange.pdf.text import string_runs, string_width

SAMPLES = [
    "Tanaka Electric Co. Ltd.",
    "Textiles cluster — Sato Precision (₹ 12.5 crore, café)",
    "Kansai Pharmaceutical Industries Association (関西医薬品協会)",
    "田中電気株式会社",
    "उत्तर प्रदेश निवेश प्रोत्साहन",
    "MoU-प्रस्ताव TDK株式会社 (A & B <C>)",
]


@pytest.fixture(autouse=True, scope="module")
def _fonts() -> None:
    register_fonts()


@pytest.mark.parametrize("text", SAMPLES)
def test_runs_and_widths_agree_with_the_text_layer(text: str) -> None:
    for bold in (False, True):
        assert [(name, run) for name, run, _ in runs(text, bold)] == string_runs(text, bold)
        assert width(text, 8, bold) == pytest.approx(string_width(text, 8, bold), abs=1e-6)


def test_plain_text_is_one_sans_run() -> None:
    assert runs("Review progress — ₹ 5") == (("MouSans", "Review progress — ₹ 5", False),)
    assert runs("Crore", True) == (("MouSans-Bold", "Crore", False),)
    assert runs("") == ()


def test_wrap_breaks_latin_at_spaces_and_keeps_short_text_whole() -> None:
    text = "Rare earth & magnets training institute — Takahashi Materials Co. Ltd."
    lines = wrap(text, 100, 7)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(width(line, 7) <= 100 for line in lines)
    assert wrap("Lucknow", 100, 7) == ["Lucknow"]
    assert wrap("  a \t b\n c  ", 100, 7) == ["a b c"]
    assert wrap("", 100, 7) == []


def test_wrap_breaks_japanese_between_characters_but_not_after_an_opening_bracket() -> None:
    lines = wrap("Kansai Pharmaceutical Industries Association (関西医薬品協会)", 60, 7)
    assert (
        "".join(lines).replace(" ", "")
        == "KansaiPharmaceuticalIndustriesAssociation(関西医薬品協会)"
    )
    assert all(not line.endswith("(") for line in lines)
    assert all(width(line, 7) <= 60 for line in lines)


def test_wrap_never_cuts_a_devanagari_cluster() -> None:
    word = "प्रोत्साहनप्रोत्साहनप्रोत्साहन"
    pieces = wrap(word, 30, 7)
    assert len(pieces) > 1 and "".join(pieces) == word
    for piece in pieces:
        assert not piece.endswith("\u094d")  # never after a virama
        assert unicodedata.category(piece[0]) not in ("Mn", "Mc")  # never before a sign


def test_max_lines_ends_with_an_ellipsis() -> None:
    lines = wrap("word " * 60, 80, 7, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert width(lines[-1], 7) <= 80
    assert shorten("Kansai Pharmaceutical Industries Association", 60, 7).endswith("…")
    assert shorten("Short", 60, 7) == "Short"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab कि्षत्र田中株式会社 —₹,"), max_size=40))
def test_wrap_keeps_every_character(text: str) -> None:
    lines = wrap(text, 40, 7)
    assert "".join(lines).replace(" ", "") == clean(text).replace(" ", "")


def test_both_languages_have_every_label() -> None:
    assert missing_keys() == {}
    assert set(EN) == set(HI)
    hi = labels_for("hi")
    assert hi["stage"] == "चरण"
    assert hi["crore_col"] == "₹ करोड़"
    assert hi["investment_crore"] == "निवेश (₹ करोड़)"
    assert hi.stage("signing") == "हस्ताक्षर"
    assert hi("page", page=2, pages=9) == "पृष्ठ 2 / 9"
    assert labels_for("en")("page", page=1, pages=3) == "Page 1 / 3"
    with pytest.raises(ValueError, match="no labels"):
        labels_for("fr")  # type: ignore[arg-type]
