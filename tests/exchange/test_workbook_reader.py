"""The workbook reader: what it returns for good files and how it refuses bad ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from mou_desk.domain.errors import DeskError
from mou_desk.exchange.header_detection import find_header_row, normalise_header
from mou_desk.exchange.workbook_reader import (
    MAX_CELLS,
    ImportCancelled,
    SheetData,
    WorkbookData,
    WorkbookRefused,
    inspect_workbook,
    read_workbook,
    sheet_names,
)

MakeXlsx = Callable[..., Path]


def refusal(path: Path, **kwargs: object) -> str:
    """Read ``path`` expecting a refusal; return its message after checking its form."""
    with pytest.raises(WorkbookRefused) as caught:
        read_workbook(path, **kwargs)  # type: ignore[arg-type]
    assert type(caught.value) is WorkbookRefused
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    assert caught.value.exit_code == 2
    assert "Traceback" not in message
    return message


# ----------------------------------------------------------------------------- good files


def test_reads_rows_positionally_with_typed_values(mou_xlsx: Path) -> None:
    data = read_workbook(mou_xlsx)

    assert isinstance(data, WorkbookData)
    assert data.path == mou_xlsx
    assert [s.name for s in data.sheets] == ["MoUs", "Notes"]
    rows = data.sheet("MoUs").rows
    assert rows[0] == ("MoU status, Japan delegation July 2025", None, None, None, None, None)
    assert rows[1] == (None,) * 6
    assert rows[2][0] == "Reference"
    assert rows[3] == (
        "UP/2025/001",
        "Battery testing lab",
        "田中電気株式会社",
        "proposal",
        125000000,
        dt.date(2025, 7, 14),
    )
    assert type(rows[3][4]) is int
    assert type(rows[3][5]) is dt.date
    assert rows[4][4] == 98765432.5
    assert rows[5] == ("UP/2025/003", "उत्तर प्रदेश skills", "JSDA", "discussion", None, None)
    assert len({len(row) for row in rows}) == 1
    assert data.warnings == []


def test_chosen_sheets_come_back_in_the_order_asked(mou_xlsx: Path) -> None:
    data = read_workbook(mou_xlsx, sheets=["Notes", "MoUs"])
    assert [s.name for s in data.sheets] == ["Notes", "MoUs"]
    assert data.sheets[0] == SheetData("Notes", [("free text",)])


def test_sheet_names_match_case_and_spaces_loosely(mou_xlsx: Path) -> None:
    assert [s.name for s in read_workbook(mou_xlsx, sheets=[" mous "]).sheets] == ["MoUs"]
    assert [s.name for s in read_workbook(mou_xlsx, sheets="Notes").sheets] == ["Notes"]


def test_missing_sheet_names_the_sheets_that_exist(mou_xlsx: Path) -> None:
    message = refusal(mou_xlsx, sheets=["Finance"])
    assert '"Finance"' in message
    assert '"MoUs", "Notes"' in message


def test_sheet_names_lists_worksheets(mou_xlsx: Path) -> None:
    assert sheet_names(mou_xlsx) == ["MoUs", "Notes"]


def test_values_are_converted(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(
        "values.xlsx",
        {
            "S": [
                (
                    1.0,
                    2.5,
                    -0.0,
                    True,
                    dt.datetime(2025, 7, 14, 0, 0),
                    dt.datetime(2025, 7, 14, 10, 30),
                    "  ",
                    "a\r\nb",
                )
            ]
        },
    )
    (row,) = read_workbook(path).sheets[0].rows
    assert row[:4] == (1, 2.5, 0, True)
    assert type(row[0]) is int and type(row[3]) is bool
    assert row[4] == dt.date(2025, 7, 14) and type(row[4]) is dt.date
    assert row[5] == dt.datetime(2025, 7, 14, 10, 30)
    assert row[6] is None  # blank text is an empty cell
    assert row[7] == "a\nb"


def test_trailing_empty_rows_and_columns_are_trimmed_leading_ones_kept(
    with_sheet_xml: Callable[[str, str], Path], sheet_part: Callable[..., str]
) -> None:
    body = (
        '<row r="3"><c r="C3" t="inlineStr"><is><t>x</t></is></c><c r="F3" s="1"/></row>'
        '<row r="4"><c r="D4"><v>5</v></c></row><row r="9"><c r="A9" s="1"/></row>'
    )
    rows = read_workbook(with_sheet_xml("c3.xlsx", sheet_part(body))).sheets[0].rows
    assert rows == [
        (None, None, None, None),
        (None, None, None, None),
        (None, None, "x", None),
        (None, None, None, 5),
    ]


def test_cells_without_r_attributes_are_placed_in_order(
    with_sheet_xml: Callable[[str, str], Path], sheet_part: Callable[..., str]
) -> None:
    body = (
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row r="3"><c><v>3</v></c><c r="D3"><v>4</v></c><c><v>5</v></c></row>'
    )
    rows = read_workbook(with_sheet_xml("nor.xlsx", sheet_part(body))).sheets[0].rows
    assert rows == [(1, 2, None, None, None), (None,) * 5, (3, None, None, 4, 5)]


def test_error_cells_read_as_their_text_not_as_empty(
    with_sheet_xml: Callable[[str, str], Path], sheet_part: Callable[..., str]
) -> None:
    body = (
        '<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="B1" t="e"><v>#REF!</v></c><c r="C1"><v>7</v></c></row>'
    )
    rows = read_workbook(with_sheet_xml("err.xlsx", sheet_part(body, "A1:C1"))).sheets[0].rows
    assert rows == [("#DIV/0!", "#REF!", 7)]


def test_formulas_without_saved_results_are_reported(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx("formulas.xlsx", {"S": [(1, 2, "=A1+B1")]})
    data = read_workbook(path)
    assert data.sheets[0].rows == [(1, 2)]
    assert data.warnings == [
        'Sheet "S": 1 formula cell has no saved result and read as empty; open the file in '
        "Excel, save it, and import again to read them."
    ]


def test_merged_cells_are_filled_with_the_top_left_value(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "MoUs"
    sheet.append(["Ref", "Proposed investment", None, "District"])
    sheet.append([None, "Amount", "Currency", None])
    sheet.append(["UP/1", 5, "JPY", "Lucknow"])
    sheet.append(["UP/2", 6, "INR", None])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("D3:D4")
    path = tmp_path / "merged.xlsx"
    book.save(path)

    data = read_workbook(path)
    assert data.sheets[0].rows == [
        ("Ref", "Proposed investment", "Proposed investment", "District"),
        ("Ref", "Amount", "Currency", None),
        ("UP/1", 5, "JPY", "Lucknow"),
        ("UP/2", 6, "INR", "Lucknow"),
    ]
    assert data.warnings == [
        'Sheet "MoUs": 3 merged areas were filled with the value of their top-left cell.'
    ]


def test_empty_workbook_gives_empty_rows(make_xlsx: MakeXlsx) -> None:
    data = read_workbook(make_xlsx("empty.xlsx", {"A": [], "B": [()]}))
    assert data.sheets == [SheetData("A", []), SheetData("B", [])]


def test_progress_is_reported_and_cancel_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("MoUs")
    for index in range(12_001):
        sheet.write_row(index, 0, [f"UP/{index}", index])
    book.close()

    seen: list[int] = []
    data = read_workbook(path, on_progress=seen.append)
    assert len(data.sheets[0].rows) == 12_001
    assert seen == [5_000, 10_000, 12_001]

    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(ImportCancelled) as caught:
        read_workbook(path, is_cancelled=cancelled)
    assert isinstance(caught.value, DeskError)
    assert "cancelled" in str(caught.value)


def test_row_limit_is_enforced_with_the_limit_in_the_message(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx("rows.xlsx", {"MoUs": [(i,) for i in range(10)]})
    message = refusal(path, max_rows=5)
    assert "5 rows" in message and "row 10" in message
    assert len(read_workbook(path, max_rows=10).sheets[0].rows) == 10


def test_read_only_file_is_not_modified(mou_xlsx: Path) -> None:
    mou_xlsx.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = (hashlib.sha256(mou_xlsx.read_bytes()).hexdigest(), mou_xlsx.stat().st_mtime_ns)
    try:
        inspect_workbook(mou_xlsx)
        sheet_names(mou_xlsx)
        read_workbook(mou_xlsx)
    finally:
        after = (hashlib.sha256(mou_xlsx.read_bytes()).hexdigest(), mou_xlsx.stat().st_mtime_ns)
        mou_xlsx.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert after == before
    assert sorted(p.name for p in mou_xlsx.parent.iterdir()) == ["mous.xlsx"]


# ----------------------------------------------------------------------------- other formats


def test_ods_is_read_with_merged_cells_filled(make_ods: Callable[..., Path]) -> None:
    data = read_workbook(make_ods("mous.ods"))
    assert data.sheets[0].name == "MoUs"
    assert data.sheets[0].rows == [
        ("Proposed investment", "Proposed investment", "District"),
        (1250000, dt.date(2025, 7, 14), "उत्तर प्रदेश"),
    ]


def test_ods_with_a_value_repeated_down_the_whole_sheet_is_refused(
    make_ods: Callable[..., Path],
) -> None:
    huge = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="200" office:value-type="float" office:value="1"/>'
        "</table:table-row>"
    )
    message = refusal(make_ods("huge.ods", huge), max_rows=2_000_000)
    assert "too large" in message


def test_bad_ods_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.ods"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "not a complete workbook" in refusal(path)


def test_xlsb_is_read_with_error_cells(make_xlsb: Callable[..., Path]) -> None:
    path = make_xlsb(
        "mous.xlsb",
        {0: {0: "Ref", 1: "Amount"}, 1: {0: "UP/1", 1: 1250000.0}, 2: {0: "UP/2", 1: ("e", 7)}},
    )
    assert sheet_names(path) == ["MoUs"]
    assert read_workbook(path).sheets == [
        SheetData("MoUs", [("Ref", "Amount"), ("UP/1", 1250000), ("UP/2", "#DIV/0!")])
    ]


def test_xlsb_with_far_away_cells_is_refused(make_xlsb: Callable[..., Path]) -> None:
    path = make_xlsb("far.xlsb", {0: {0: 1.0}, 1_048_575: {16_383: 2.0}})
    assert "too large" in refusal(path, max_rows=2_000_000)
    assert "1,000,000 rows" in refusal(path)


def test_damaged_xlsb_records(make_xlsb: Callable[..., Path], tmp_path: Path) -> None:
    good = make_xlsb("good.xlsb", {0: {0: "Ref"}})
    with zipfile.ZipFile(good) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    parts["xl/worksheets/sheet1.bin"] = parts["xl/worksheets/sheet1.bin"][:-3] + b"\x85\xff"
    path = tmp_path / "cut.xlsb"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    assert "damaged" in refusal(path)


def test_csv_in_utf8_with_japanese_and_hindi(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_text(
        'Partner,State,Amount\n田中電気株式会社,उत्तर प्रदेश,1250000\n"Shin-Etsu, Ltd.",Tokyo,\n',
        encoding="utf-8",
    )
    data = read_workbook(path)
    assert data.sheets == [
        SheetData(
            "partners",
            [
                ("Partner", "State", "Amount"),
                ("田中電気株式会社", "उत्तर प्रदेश", "1250000"),
                ("Shin-Etsu, Ltd.", "Tokyo", None),
            ],
        )
    ]
    assert data.warnings == []


def test_csv_with_bom_semicolons_and_excel_sep_line(tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffRef;Title\nUP/1;Magnets\n".encode())
    assert read_workbook(bom).sheets[0].rows == [("Ref", "Title"), ("UP/1", "Magnets")]
    sep = tmp_path / "sep.csv"
    sep.write_text("sep=|\nRef|Title\nUP/1|a, b\n", encoding="utf-8")
    assert read_workbook(sep, sheets=["MoUs"]).sheets[0] == SheetData(
        "MoUs", [("Ref", "Title"), ("UP/1", "a, b")]
    )


def test_csv_in_windows_1252_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "finance.csv"
    path.write_bytes("Partner,Amount\nSociété Générale,€ 1 000\n".encode("cp1252"))
    data = read_workbook(path)
    assert data.sheets[0].rows == [("Partner", "Amount"), ("Société Générale", "€ 1 000")]
    assert "Windows-1252" in data.warnings[0]


def test_csv_in_utf16_as_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Ref\tPartner\nUP/1\t田中\n".encode("utf-16"))
    assert read_workbook(path).sheets[0].rows == [("Ref", "Partner"), ("UP/1", "田中")]


def test_csv_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("".join(f"{i}\n" for i in range(20)), encoding="utf-8")
    assert "10 rows" in refusal(path, max_rows=10)


def test_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x00\x01\x02garbage\x00" * 100)
    assert "is not an Excel workbook" in refusal(path)


def test_legacy_xls_that_cannot_be_read_asks_for_xlsx(fake_xls: Path) -> None:
    message = refusal(fake_xls)
    assert "old-format Excel file (.xls)" in message and ".xlsx" in message


def test_encrypted_workbook_asks_to_clear_the_password(encrypted_ooxml: Path) -> None:
    message = refusal(encrypted_ooxml)
    assert "password" in message and "Encrypt with Password" in message


def test_word_97_document_is_not_a_workbook(word97_doc: Path) -> None:
    assert "is not an Excel workbook" in refusal(word97_doc)


def test_web_page_named_xls(html_as_xls: Path) -> None:
    assert "web page" in refusal(html_as_xls)


# ----------------------------------------------------------------------------- bad files


def test_zip_bomb_is_refused_before_reading(zip_bomb: Path) -> None:
    message = refusal(zip_bomb)
    assert "600 MB" in message and "malicious" in message
    with pytest.raises(WorkbookRefused):
        inspect_workbook(zip_bomb)


def test_compression_ratio_bomb_is_refused(ratio_bomb: Path) -> None:
    assert "times larger" in refusal(ratio_bomb)


def test_forged_sizes_are_refused(forged_sizes: Path) -> None:
    assert "malicious" in refusal(forged_sizes)


def test_billion_laughs_is_refused(xml_bomb: Path) -> None:
    assert "entity declarations" in refusal(xml_bomb)


def test_entities_in_any_part_are_refused(entity_in_docprops: Path) -> None:
    assert "entity declarations" in refusal(entity_in_docprops)


def test_truncated_file_is_damaged(truncated_xlsx: Path) -> None:
    assert "damaged or was not fully copied" in refusal(truncated_xlsx)


def test_random_bytes_are_not_a_workbook(random_xlsx: Path) -> None:
    assert "is not an Excel workbook" in refusal(random_xlsx)


def test_missing_workbook_part(missing_workbook_part: Path) -> None:
    assert "not a complete workbook" in refusal(missing_workbook_part)


def test_word_document_renamed_to_xlsx(word_document: Path) -> None:
    assert "Word" in refusal(word_document)


def test_corrupt_sheet_part_is_damaged(mou_xlsx: Path, tmp_path: Path) -> None:
    data = bytearray(mou_xlsx.read_bytes())
    with zipfile.ZipFile(mou_xlsx) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start : start + 40] = bytes(40)
    path = tmp_path / "crc.xlsx"
    path.write_bytes(bytes(data))
    assert "damaged" in refusal(path)


@pytest.mark.parametrize(
    ("body", "dimension", "prefix"),
    [
        pytest.param(
            '<row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
            None,
            "",
            id="corners",
        ),
        pytest.param(
            '<row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
            "A1:B2",
            "",
            id="lying-dimension",
        ),
        pytest.param(
            '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>'
            '<row r="9000"><c r="A9000"><v>3</v></c></row>',
            "A1:A9000",
            "",
            id="far-column",
        ),
        pytest.param(
            "<row r='1'><c r='A1'><v>1</v></c></row>"
            "<row r='1048576'><c t='n' r='XFD1048576'><v>2</v></c></row>",
            None,
            "",
            id="single-quotes-r-last",
        ),
        pytest.param(
            '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="XFD1"><x:v>2</x:v></x:c></x:row>'
            '<x:row r="5000"><x:c r="B5000"><x:v>1</x:v></x:c></x:row>',
            None,
            "x",
            id="prefixed",
        ),
        pytest.param(
            '<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c><v>2</v></c></row>',
            None,
            "",
            id="no-r",
        ),
    ],
)
def test_far_away_cells_are_refused_instead_of_crashing(
    with_sheet_xml: Callable[[str, str], Path],
    sheet_part: Callable[..., str],
    body: str,
    dimension: str | None,
    prefix: str,
) -> None:
    # calamine would allocate the whole A1:XFD1048576 grid and abort the process.
    path = with_sheet_xml("far.xlsx", sheet_part(body, dimension, prefix))
    message = refusal(path, max_rows=2_000_000)
    assert "too large" in message and "stray cells" in message
    assert MAX_CELLS < 1_048_576 * 16_384


def test_far_away_formatting_alone_is_harmless(
    with_sheet_xml: Callable[[str, str], Path], sheet_part: Callable[..., str]
) -> None:
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = with_sheet_xml("styled.xlsx", sheet_part(body, "A1:XFD1048576"))
    assert read_workbook(path).sheets[0].rows == [(1,)]


def test_file_not_found(tmp_path: Path) -> None:
    message = refusal(tmp_path / "gone.xlsx")
    assert "was not found" in message and "gone.xlsx" in message


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mous.xlsx"
    folder.mkdir()
    assert "is a folder" in refusal(folder)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.touch()
    assert "is empty (0 bytes)" in refusal(path)


def test_unreadable_file(mou_xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permission bits do not stop root, so the refusal of the operating system is simulated.
    real_open = Path.open

    def locked(self: Path, *args: object, **kwargs: object) -> object:
        if self == mou_xlsx:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", locked)
    assert "permission" in refusal(mou_xlsx)


def test_refusal_is_one_line_even_with_odd_sheet_names() -> None:
    error = WorkbookRefused("first line\nsecond line\r\n third")
    assert str(error) == "first line second line third"
    assert error.exit_code == 2
    assert isinstance(error, DeskError)


# ----------------------------------------------------------------------------- header rows


def test_header_is_found_below_a_title(mou_xlsx: Path) -> None:
    rows = read_workbook(mou_xlsx).sheet("MoUs").rows
    assert find_header_row(rows) == 2
    assert find_header_row(rows, expected=["reference", "TITLE", "Stage"]) == 2


def test_merged_title_across_the_row_does_not_win() -> None:
    title = ("MoU status",) * 6
    header = ("Ref", "Title", "Partner", "Stage", "Amount", "Date")
    data = ("UP/1", "Lab", "Tanaka", "proposal", 5, dt.date(2025, 1, 1))
    assert find_header_row([title, (None,) * 6, header, data, data]) == 2


def test_expected_names_break_ties() -> None:
    first = ("Prepared by", "Finance", None)
    header = ("Ref", "Amount", "Due")
    data = ("UP/1", 5, dt.date(2025, 1, 1))
    assert find_header_row([first, header, data], expected=["Ref", "Due"]) == 1


def test_no_text_means_row_zero() -> None:
    assert find_header_row([]) == 0
    assert find_header_row([(1, 2), (3, 4)]) == 0


def test_scan_limits_the_rows_looked_at() -> None:
    rows = [(None,)] * 40 + [("Ref", "Title")]
    assert find_header_row(rows, scan=30) == 0
    assert find_header_row(rows, scan=50) == 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Proposed Investment (₹ crore)*", "proposed investment ₹ crore"),
        ("PROPOSED_INVESTMENT:\n ₹  CRORE", "proposed investment ₹ crore"),
        ("ＭｏＵ　Ｒｅｆ", "mou ref"),
        ("  उत्तर   प्रदेश ", "उत्तर प्रदेश"),
        ("Signed on:", "signed on"),
        (None, ""),
        (2025, "2025"),
    ],
)
def test_normalise_header(text: object, expected: str) -> None:
    assert normalise_header(text) == expected
