"""Every workbook of the wild corpus is read or refused in one sentence; nothing else escapes.

The corpus (shared/wild-xlsx, MIT licensed) holds workbooks from many producers: Excel,
LibreOffice, openpyxl, Apache POI, Chinese and Korean office suites, hand-made packages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from mou_desk.exchange.header_detection import find_header_row
from mou_desk.exchange.workbook_reader import (
    WorkbookData,
    WorkbookRefused,
    open_workbook,
    read_workbook,
    sheet_names,
)

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "wild-xlsx"
FILES = sorted(CORPUS.glob("*.xls*"))
MISSING = (
    f"The wild workbook corpus was not found at {CORPUS}; the repository must be cloned next "
    "to the shared/ folder that holds wild-xlsx/."
)

# What the corpus is known to contain that cannot be read; everything else must be.
REFUSED = {
    "issue252.xlsx": "damaged",  # a part longer than its declared size (bad CRC)
    "pass_protected.xlsx": "password",  # an encrypted OOXML package inside OLE2
}


def corpus_file(name: str) -> Path:
    assert CORPUS.is_dir(), MISSING
    return CORPUS / name


def read(name: str) -> WorkbookData:
    return read_workbook(corpus_file(name))


def test_corpus_is_present() -> None:
    assert CORPUS.is_dir(), MISSING
    assert len(FILES) >= 60, f"only {len(FILES)} workbooks in {CORPUS}"


@pytest.mark.parametrize("path", FILES or [CORPUS / "missing"], ids=lambda p: p.name)
def test_every_file_is_read_or_refused_in_one_sentence(path: Path) -> None:
    assert CORPUS.is_dir(), MISSING
    try:
        data = read_workbook(path)
    except WorkbookRefused as refusal:
        assert type(refusal) is WorkbookRefused
        message = str(refusal)
        assert len(message.splitlines()) == 1
        assert message.startswith(f'"{path.name}" ')
        assert path.name in REFUSED, f"unexpected refusal: {message}"
        assert REFUSED[path.name] in message
        return
    assert type(data) is WorkbookData
    assert path.name not in REFUSED
    for sheet in data.sheets:
        widths = {len(row) for row in sheet.rows}
        assert len(widths) <= 1, f"{sheet.name}: rows of unequal width"
        if sheet.rows:
            assert any(value is not None for value in sheet.rows[-1])
            assert any(row[-1] is not None for row in sheet.rows)
        for row in sheet.rows:
            for value in row:
                assert not (isinstance(value, str) and (value == "" or "_x000D_" in value))
                assert not (isinstance(value, float) and value.is_integer())
    assert all(len(w.splitlines()) == 1 for w in data.warnings)


def test_the_corpus_yields_the_expected_refusals() -> None:
    refused = {}
    for path in FILES:
        try:
            read_workbook(path)
        except WorkbookRefused as refusal:
            refused[path.name] = str(refusal)
    assert sorted(refused) == sorted(REFUSED)


def test_password_protected_file_says_how_to_clear_the_password() -> None:
    with pytest.raises(WorkbookRefused) as caught:
        read("pass_protected.xlsx")
    message = str(caught.value)
    assert "password" in message
    assert "File > Info > Protect Workbook > Encrypt with Password" in message


def test_dates_of_the_1904_system_match_the_1900_system() -> None:
    expected = openpyxl.load_workbook(corpus_file("date_1904.xlsx")).active
    assert expected is not None
    truth = [row[0] for row in expected.iter_rows(values_only=True)]
    assert truth[:2] == [dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 2)]

    for name in ("date_1904.xlsx", "date.xlsx"):
        rows = read(name).sheets[0].rows
        assert rows[0] == (dt.date(2021, 1, 1), 15)
        assert rows[1] == (dt.date(2021, 1, 2), 16)
        assert rows[2] == (dt.timedelta(days=10, seconds=54610), 17)  # a [h]:mm:ss duration


def test_iso_dates_and_times() -> None:
    rows = read("date_iso.xlsx").sheets[0].rows
    assert rows[0] == (dt.date(2021, 1, 1),)
    assert rows[1] == (dt.datetime(2021, 1, 1, 10, 10, 10),)
    assert rows[2] == (dt.time(10, 10, 10),)


def test_header_row_is_found_below_title_rows() -> None:
    rows = read("header-row.xlsx").sheets[0].rows
    index = find_header_row(rows)
    assert index == 8
    assert rows[index] == ("Columns", "Column A", "Column B", "Column C")
    assert rows[index + 1] == ("put data here", 1, 2, 3)
    assert find_header_row(rows, expected=["column a", "COLUMN  B"]) == 8


def test_header_in_the_middle_of_a_sheet() -> None:
    rows = read("temperature-in-middle.xlsx").sheets[0].rows
    assert find_header_row(rows) == 3
    assert rows[3] == (None, "label", "value")
    assert rows[4] == (None, "celsius", 22.2222)


def test_merged_header_cells_are_filled() -> None:
    data = read("merge_cells.xlsx")
    assert data.sheets[0].rows == [
        ("Row Merge", "Row Merge", "Not Merged"),
        ("Column Merge", "Chunk Merged", "Chunk Merged"),
    ]
    assert data.warnings == [
        'Sheet "Sheet1": 3 merged areas were filled with the value of their top-left cell.'
    ]


def test_merged_title_does_not_hide_the_header() -> None:
    rows = read("minimal_package.xlsx").sheets[0].rows
    assert rows[0][0] == rows[0][35] == "ARREST BOOKINGS for 01/30/17"
    assert find_header_row(rows) == 2
    assert rows[2][:3] == ("BKG_NUM", "BKG_DT", "BKG_TM")


@pytest.mark.parametrize("name", ["has_x000D_.xlsx", "has_x000D_inline.xlsx"])
def test_carriage_return_escapes_are_gone(name: str) -> None:
    assert read(name).sheets[0].rows == [("ABC\nDEF",)]


def test_empty_sheet_gives_no_rows() -> None:
    data = read("empty_sheet.xlsx")
    assert [(s.name, s.rows) for s in data.sheets] == [("Sheet1", [])]


def test_error_cells_keep_their_text() -> None:
    rows = read("errors.xlsx").sheet("Feuil1").rows
    assert [row[0] for row in rows] == [
        "#DIV/0!",
        "#NAME?",
        "#VALUE!",
        "#NULL!",
        "#REF!",
        "#NUM!",
        "#N/A",
    ]


def test_hidden_sheets_are_listed_chart_sheets_are_not() -> None:
    assert sheet_names(corpus_file("any_sheets.xlsx")) == ["Visible", "Hidden", "VeryHidden"]


def test_backslash_paths_from_windows_tools() -> None:
    rows = read("issue_530.xlsx").sheets[0].rows
    assert rows[0][:2] == ("报表导出人：", "于国栋")
    assert find_header_row(rows) == 3


def test_strict_ooxml_and_absolute_part_paths() -> None:
    assert read("strict_iso_paths.xlsx").sheets[0].rows[0][:2] == ("Item", "Thickness")
    assert read("table_with_absolute_paths.xlsx").sheets[0].rows[:2] == [
        ("Item", "Name"),
        (100, "North"),
    ]


def test_macro_workbook_is_read_with_a_warning() -> None:
    data = read("vba.xlsm")
    assert [s.name for s in data.sheets] == ["Sheet1", "Sheet2", "Sheet3"]
    assert data.warnings == [
        '"vba.xlsm" contains macros; MoU Desk reads only the cell values and never runs them.'
    ]


def test_whitespace_is_kept_inside_text_but_blank_cells_are_empty() -> None:
    rows = read("whitespace_trim.xlsx").sheet("SharedStrings").rows
    assert rows[0] == ("trimmed value", "  preserved value  ", None, "clean text")
    assert rows[2] == ("日期 时间", None, None, None)


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if p.name not in REFUSED] or [CORPUS / "missing"],
    ids=lambda p: p.name,
)
def test_streamed_rows_are_the_rows_read_whole(path: Path) -> None:
    """An importer streaming calamine's rows and turning them one by one gets the same rows
    as read_workbook, wherever the sheet says it can be streamed."""
    assert CORPUS.is_dir(), MISSING
    whole = read_workbook(path)
    _, parsed = open_workbook(path)
    for sheet, expected in zip(parsed, whole.sheets, strict=True):
        if not sheet.streamable:
            continue
        width = sheet.width
        rows = [sheet.row_of(raw, width) for raw in sheet.raw_rows()]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        used = max((i + 1 for row in rows for i, v in enumerate(row) if v is not None), default=0)
        assert [row[:used] for row in rows] == expected.rows, sheet.name
