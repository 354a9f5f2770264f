"""A large sheet cut into parts parsed side by side reads exactly as the sheet parsed whole.

The reader cuts a sheet into parts only above some MB of XML; these tests cut every sheet,
into parts as small as one row, so that every workbook of the wild corpus and every odd case
(merged areas, error cells, rows left out, a table not starting in A) goes through the parts.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from mou_desk.exchange.workbook_reader import (
    ParsedSheet,
    SheetData,
    WorkbookRefused,
    open_workbook,
    read_workbook,
)
from mou_desk.exchange.workbook_reader import parts as reader_parts
from mou_desk.exchange.workbook_reader.parted import PartedSheet

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "wild-xlsx"
REFUSED = {"issue252.xlsx", "pass_protected.xlsx"}
FILES = [p for p in sorted(CORPUS.glob("*.xls*")) if p.name not in REFUSED]


def streamed(sheet: ParsedSheet) -> list[tuple[object, ...]]:
    """The sheet's rows as an importer streaming them gets them, trailing blanks dropped."""
    width = sheet.width
    rows = [sheet.row_of(raw, width) for raw in sheet.raw_rows()]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    used = max((i + 1 for row in rows for i, v in enumerate(row) if v is not None), default=0)
    return [row[:used] for row in rows]


def in_parts(path: Path, part_bytes: int) -> Iterator[ParsedSheet]:
    _, sheets = open_workbook(path, in_parts=True, part_bytes=part_bytes, split_from=0)
    return sheets


def assert_read_alike(path: Path, part_bytes: int) -> int:
    """Every sheet read in parts gives read_workbook's rows; returns how many were cut."""
    whole = read_workbook(path)
    cut = 0
    sheets = in_parts(path, part_bytes)
    for sheet, expected in zip(sheets, whole.sheets, strict=True):
        assert sheet.name == expected.name
        if isinstance(sheet, PartedSheet):
            cut += 1
            assert sheet.materialize() == expected, sheet.name
        if sheet.streamable:
            assert streamed(sheet) == expected.rows, sheet.name
        elif isinstance(sheet, PartedSheet):
            assert sheet.materialize().rows == expected.rows
    return cut


@pytest.mark.parametrize("part_bytes", [1, 3_000])
@pytest.mark.parametrize("path", FILES or [CORPUS / "missing"], ids=lambda p: p.name)
def test_wild_workbooks_read_in_parts_as_whole(path: Path, part_bytes: int) -> None:
    assert CORPUS.is_dir(), f"the wild corpus is missing at {CORPUS}"
    assert_read_alike(path, part_bytes)


def test_the_corpus_is_mostly_cut_into_parts() -> None:
    assert CORPUS.is_dir()
    assert sum(assert_read_alike(path, 1) for path in FILES) >= 50


def _export_like(path: Path, rows: int) -> Path:
    """An export-like sheet (inline strings, dates, numbers, a blank row and a gap)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    dates = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet = book.add_worksheet("MoUs")
    sheet.write_row(0, 0, ["Reference", "Title", "Amount", "Signed on", "Notes", "Row check"])
    for r in range(1, rows + 1):
        if r % 97 == 0:
            continue  # a row left out: the rows after it keep their numbers
        sheet.write(r, 0, f"UP-{r:05d}")
        sheet.write(r, 1, f"Project {r} — उत्तर प्रदेश" if r % 3 else "")
        sheet.write(r, 2, r * 1000.5)
        sheet.write_datetime(r, 3, dt.date(2025, 1, 1) + dt.timedelta(days=r), dates)
        if r % 5 == 0:
            sheet.write(r, 4, "  kept as typed  ")
        sheet.write(r, 5, 10_000 + r)
    book.add_worksheet("Notes").write(0, 0, "free text")
    book.close()
    return path


def test_a_large_sheet_in_many_parts(tmp_path: Path) -> None:
    path = _export_like(tmp_path / "export.xlsx", 3_000)
    whole = read_workbook(path)
    sheets = in_parts(path, 20_000)
    sheet = next(sheets)
    assert isinstance(sheet, PartedSheet)
    assert len(sheet._parts) > 5
    assert sheet.streamable and sheet.width == 6
    assert streamed(sheet) == whole.sheets[0].rows
    assert [s.rows for s in [sheet.materialize(), *[s.materialize() for s in sheets]]] == [
        s.rows for s in whole.sheets
    ]


def test_parts_go_through_a_private_folder_removed_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export_like(tmp_path / "export.xlsx", 2_000)
    scratch = tmp_path / "temp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    sheets = in_parts(path, 10_000)
    rows = [streamed(sheet) for sheet in sheets]
    assert rows[0] == read_workbook(path).sheets[0].rows
    assert not list(scratch.iterdir())


def test_a_part_calamine_refuses_is_read_from_the_whole_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export_like(tmp_path / "export.xlsx", 2_000)
    submit = reader_parts.PartParser.submit
    count = [0]

    def failing_third(self: reader_parts.PartParser, part: Path, name: str) -> Future[Any]:
        count[0] += 1
        if count[0] != 3:
            return submit(self, part, name)
        part.unlink()
        failed: Future[Any] = Future()
        failed.set_exception(ValueError("calamine: XML error"))
        return failed

    monkeypatch.setattr(reader_parts.PartParser, "submit", failing_third)
    sheet = next(in_parts(path, 10_000))
    assert isinstance(sheet, PartedSheet) and count[0] > 3
    assert streamed(sheet) == read_workbook(path).sheets[0].rows


def test_a_damaged_sheet_is_refused_as_when_read_whole(
    tmp_path: Path, with_sheet_xml: Callable[[str, str], Path], sheet_part: Callable[..., str]
) -> None:
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>'
        for r in range(1, 400)
    )
    broken = with_sheet_xml(
        "broken.xlsx", sheet_part(body + "<row r='400'><c r=\"A400\"><v>1<", "A1:A400")
    )
    with pytest.raises(WorkbookRefused) as whole:
        read_workbook(broken)
    with pytest.raises(WorkbookRefused) as parted:
        for sheet in in_parts(broken, 500):
            sheet.materialize()
    assert str(parted.value) == str(whole.value)


def test_a_cell_outside_the_claimed_dimension_stops_the_cutting(
    with_sheet_xml: Callable[[str, str], Path], sheet_part: Callable[..., str]
) -> None:
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 300))
    body += '<row r="300"><c r="C300"><v>3</v></c></row>'
    path = with_sheet_xml("outside.xlsx", sheet_part(body, "A1:A300"))
    sheet = next(in_parts(path, 200))
    assert not isinstance(sheet, PartedSheet)
    assert sheet.materialize() == read_workbook(path).sheets[0]


def test_parts_without_values_in_the_claimed_last_column(
    with_sheet_xml: Callable[[str, str], Path], sheet_part: Callable[..., str]
) -> None:
    """A claim wider than the values (formatted empty cells): the width is waited for."""
    body = "".join(
        f'<row r="{r}"><c r="B{r}"><v>{r}</v></c><c r="D{r}" s="1"/></row>' for r in range(2, 300)
    )
    path = with_sheet_xml("wide.xlsx", sheet_part(body, "A1:D300"))
    sheet = next(in_parts(path, 300))
    assert isinstance(sheet, PartedSheet)
    expected = read_workbook(path).sheets[0]
    assert sheet.materialize() == expected
    assert sheet.streamable is False  # the table starts in B, as read whole
    assert expected.rows[0] == (None, None) and expected.rows[1] == (None, 2)


def test_the_support_parts_leave_out_other_sheets_and_media(tmp_path: Path) -> None:
    path = _export_like(tmp_path / "export.xlsx", 10)
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("xl/media/image1.png", b"\x89PNG" + b"0" * 1000)
    source_sheets = open_workbook(path, in_parts=True, split_from=0)
    source, sheets = source_sheets
    parser = reader_parts.PartParser(source)
    try:
        support = parser.support()
    finally:
        parser.close()
    assert "xl/workbook.xml" in support and "xl/styles.xml" in support
    assert not any(name.startswith(("xl/worksheets/", "xl/media/")) for name in support)
    assert [s.name for s in sheets] == ["MoUs", "Notes"]


def test_sheet_data_reads_the_same_rows(tmp_path: Path) -> None:
    path = _export_like(tmp_path / "export.xlsx", 500)
    sheets = in_parts(path, 5_000)
    got = [s.materialize() for s in sheets]
    assert got == read_workbook(path).sheets
    assert all(isinstance(s, SheetData) for s in got)


def test_parts_are_at_least_four_times_the_shared_strings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """calamine reads the shared strings again for every part: by default a part is at least
    four times their size, and a sheet that would make a single part is parsed whole."""
    import xlsxwriter

    path = tmp_path / "shared.xlsx"
    book = xlsxwriter.Workbook(str(path))  # shared strings, as Excel saves
    sheet = book.add_worksheet("Sheet")
    for r in range(3_000):
        sheet.write_row(r, 0, [f"{r} {'x' * 40}", r, f"note {r % 7}"])
    book.close()
    monkeypatch.setattr(reader_parts, "SPLIT_FROM", 0)
    monkeypatch.setattr(reader_parts, "PART_BYTES", 1)
    with zipfile.ZipFile(path) as package:
        shared = package.getinfo("xl/sharedStrings.xml").file_size
        sheet_size = package.getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_size < 4 * shared
    _, sheets = open_workbook(path, in_parts=True)
    (sheet,) = list(sheets)
    assert not isinstance(sheet, PartedSheet)
    monkeypatch.setattr(reader_parts, "PART_BYTES", sheet_size // 3)
    monkeypatch.setattr(reader_parts, "shared_strings_size", lambda sizes: 0)
    _, sheets = open_workbook(path, in_parts=True)
    (sheet,) = list(sheets)
    assert isinstance(sheet, PartedSheet) and len(sheet._parts) >= 3
    assert sheet.materialize() == read_workbook(path).sheets[0]


def test_no_room_for_parts_means_the_sheet_is_parsed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export_like(tmp_path / "export.xlsx", 2_000)

    def no_room(*args: Any, **kwargs: Any) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", no_room)
    sheet = next(in_parts(path, 10_000))
    assert not isinstance(sheet, PartedSheet)
    assert streamed(sheet) == read_workbook(path).sheets[0].rows


def test_cancel_while_a_sheet_is_cut_leaves_no_part_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mou_desk.exchange.workbook_reader.model import ImportCancelled, Progress

    path = _export_like(tmp_path / "export.xlsx", 3_000)
    scratch = tmp_path / "temp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    checks = [0]

    def cancelled() -> bool:
        checks[0] += 1
        return checks[0] > 3

    _, sheets = open_workbook(
        path, in_parts=True, part_bytes=5_000, split_from=0, progress=Progress(None, cancelled)
    )
    with pytest.raises(ImportCancelled):
        for sheet in sheets:
            list(sheet.raw_rows())
    assert isinstance(sheets, Generator)
    sheets.close()
    assert not list(scratch.iterdir())
