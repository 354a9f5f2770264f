"""The error workbook gives back finance's cells exactly, whatever text they hold.

xlsxwriter writes a string that starts ``<r>`` and ends ``</r>`` unescaped (it takes it for a
rich string of its own), so a cell from finance's workbook could break the error workbook or
carry markup into it; the error workbook writes every text escaped.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from mou_desk.exchange.error_workbook import (
    PROBLEMS_HEADER,
    README_SHEET,
    ErrorRow,
    ErrorSheet,
    write_error_workbook,
)
from mou_desk.exchange.workbook_reader import read_workbook
from tests.exchange.conftest import libreoffice_csv, needs_libreoffice

MARKUP = "<r><t>a</t></r></si><si><t>x</t></r>"
TEXTS = [
    MARKUP,
    "<r></r>",
    "<r>plain</r>",
    "  <r>spaced</r>  ",
    "<r><rPr><b/></rPr><t>bold?</t></r>",
    "a & b < c > d \"quoted\" 'single'",
    "_x0041_ stays as typed",
    "tab\there, line\nbreak",
    '=HYPERLINK("http://evil","click")',
    "田中電気株式会社 — उत्तर प्रदेश",
]
HEADERS = ("Reference", MARKUP, "Signed on", "Due at", "Jobs", "Active")


@pytest.fixture
def errors(tmp_path: Path) -> Path:
    rows = [
        ErrorRow(
            (f"UP-{i}", text, dt.date(2025, 7, 14), dt.datetime(2025, 7, 14, 9, 30), i, i % 2 == 0),
            [f"Title: {text}", "Stage: is not a Stage"],
            {1},
        )
        for i, text in enumerate(TEXTS)
    ]
    rows.append(ErrorRow(("UP-none", None, None, None, None, None), [MARKUP], set()))
    path = tmp_path / "errors.xlsx"
    assert write_error_workbook(path, [ErrorSheet("MoUs", HEADERS, rows)], MARKUP) == len(rows)
    return path


def test_texts_read_back_exactly_with_openpyxl(errors: Path) -> None:
    book = openpyxl.load_workbook(errors)
    assert book.sheetnames == [README_SHEET, "MoUs"]
    sheet = book["MoUs"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*HEADERS, PROBLEMS_HEADER)
    for text, row in zip(TEXTS, rows[1:], strict=False):
        # openpyxl does not undo Excel's _x005F_ escape in an inline string (Excel, LibreOffice
        # and calamine do): a text holding a literal _xHHHH_ is checked with calamine below
        if "_x0041_" not in text:
            assert row[1] == text
            assert row[6] == f"Title: {text}\nStage: is not a Stage"
        assert row[2] == dt.datetime(2025, 7, 14) and row[3] == dt.datetime(2025, 7, 14, 9, 30)
    assert rows[len(TEXTS) + 1] == ("UP-none", None, None, None, None, None, MARKUP)
    assert rows[2][4:6] == (1, False)
    assert sheet.cell(row=2, column=2).fill.fgColor.rgb.endswith("FFC7CE")  # the bad cell
    assert book[README_SHEET]["A1"].value == f"Rows of {MARKUP} that MoU Desk could not import."


def test_texts_read_back_exactly_with_calamine(errors: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(errors))
    rows = book.get_sheet_by_name("MoUs").to_python()
    assert rows[0] == [*HEADERS, PROBLEMS_HEADER]
    assert [row[1] for row in rows[1 : len(TEXTS) + 1]] == TEXTS
    assert [row[6] for row in rows[1 : len(TEXTS) + 1]] == [
        f"Title: {text}\nStage: is not a Stage" for text in TEXTS
    ]
    assert rows[1][2] == dt.date(2025, 7, 14)
    assert rows[-1][6] == MARKUP
    sheet = read_workbook(errors).sheet("MoUs")  # as an import reads it back
    assert [row[1] for row in sheet.rows[1 : len(TEXTS) + 1]] == [
        t if t.strip() else None for t in TEXTS
    ]


def test_the_package_holds_no_markup_from_a_cell(errors: Path) -> None:
    import zipfile

    with zipfile.ZipFile(errors) as package:
        parts = {name: package.read(name).decode("utf-8") for name in package.namelist()}
    assert all("<si><t>x</t>" not in xml for xml in parts.values())
    sheet = next(xml for name, xml in parts.items() if name.endswith("sheet2.xml"))
    assert "&lt;r&gt;&lt;t&gt;a&lt;/t&gt;&lt;/r&gt;&lt;/si&gt;" in sheet


@needs_libreoffice
def test_libreoffice_opens_it_and_shows_the_texts(errors: Path, tmp_path: Path) -> None:
    shown = libreoffice_csv(errors, tmp_path)
    mous = (shown / "errors-MoUs.csv").read_text(encoding="utf-8")
    assert MARKUP in mous and "<r><rPr><b/></rPr><t>bold?</t></r>" in mous
    assert "田中電気株式会社 — उत्तर प्रदेश" in mous and "14-07-2025" in mous
