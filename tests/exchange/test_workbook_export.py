"""The exported workbook read back with openpyxl (and LibreOffice when installed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_export import ExportCancelled, ExportFailed
from mou_desk.services.demo import load_demo
from mou_desk.services.desk import Desk
from mou_desk.services.exports import ExportFilter, export_workbook
from tests.exchange.conftest import libreoffice_csv, needs_libreoffice

INJECTIONS = [
    '=HYPERLINK("http://x","y")',
    "+91 98765 43210",
    "-2+3",
    "@SUM(A1)",
    "#N/A",
    "\tTabbed",
    "=1+1",
    "#DIV/0!",
]


@pytest.fixture
def exported(desk: Desk, tmp_path: Path) -> Path:
    load_demo(desk)
    partner = desk.partners.create(
        {
            "name": INJECTIONS[0],
            "name_local": "田中電気株式会社",
            "country": "Japan",
            "notes": "उत्तर प्रदेश निवेश",
        }
    )
    desk.contacts.create(
        {
            "name": "HAYASHI Yoshikazu",
            "name_local": "林 義一",
            "phone": "+91 98765 43210",
            "partner_id": partner.id,
        }
    )
    desk.mous.create(
        {
            "title": "=1+1",
            "lead_partner_id": partner.id,
            "notes": "#N/A",
            "amount": Decimal("12.5"),
            "currency": "INR",
            "tags": "@risk",
        }
    )
    path = tmp_path / "out.xlsx"
    export_workbook(desk.db, path)
    return path


def header_index(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def test_sheets_headers_and_hidden_lists(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["MoUs", "Partners", "Contacts", "Follow-ups", "About", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    assert [c.value for c in book["MoUs"][1]] == wl.MOUS.headers
    for name in ("MoUs", "Partners", "Contacts", "Follow-ups"):
        sheet = book[name]
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
        assert sheet.auto_filter.ref is not None
        assert sheet.column_dimensions["B"].width > 10


def test_about_sheet_says_when_who_where_and_format(exported: Path) -> None:
    about = dict(openpyxl.load_workbook(exported)["About"].iter_rows(values_only=True))
    assert about["Exported by"] == "Test Clerk"
    assert about["Format version"] == str(wl.FORMAT_VERSION)
    assert str(about["Database"]).endswith("t.sqlite3")
    assert about["Filters"].startswith("none")
    assert dt.datetime.strptime(about["Exported on"][:16], "%d-%m-%Y %H:%M")


def test_values_are_excel_native(exported: Path) -> None:
    sheet = openpyxl.load_workbook(exported)["MoUs"]
    col = header_index(sheet)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[col["Amount"] - 1].value == 12000000000)
    since = row[col["Stage since"] - 1]
    assert isinstance(since.value, dt.datetime) and since.number_format == "dd-mm-yyyy"
    proposed = row[col["Proposed ₹"] - 1]
    assert proposed.data_type == "n" and "₹" in proposed.number_format
    assert row[col["Proposed ₹ crore"] - 1].value == pytest.approx(1200)
    identity = row[col["ID"] - 1]
    assert identity.data_type == "s"
    greyed = {str(r.sqref).split(":")[0] for r in sheet.conditional_formatting}
    letter = openpyxl.utils.get_column_letter
    assert {f"{letter(col[h])}2" for h in ("ID", "Version", "Proposed ₹")} <= greyed
    assert isinstance(row[col["Version"] - 1].value, int)
    assert row[col["Stage"] - 1].value == "Signing"  # labels, as in the dropdown


def test_dropdowns_for_lists(exported: Path) -> None:
    sheet = openpyxl.load_workbook(exported)["MoUs"]
    col = header_index(sheet)
    by_column: dict[str, str] = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list":
            first = str(validation.sqref).split(":")[0]
            by_column[first.rstrip("0123456789")] = validation.formula1
    letters = {h: openpyxl.utils.get_column_letter(i) for h, i in col.items()}
    for header in ("Stage", "Status", "Sector", "District", "Currency", "Policy"):
        assert by_column[letters[header]].startswith("Lists!")
    lists = openpyxl.load_workbook(exported)["Lists"]
    names = [c.value for c in lists[1]]
    stages = [r[names.index("stages")] for r in lists.iter_rows(min_row=2, values_only=True)]
    assert stages[:4] == ["Discussion", "Proposal", "Signing", "Investment"]


def test_every_list_is_on_the_lists_sheet(exported: Path) -> None:
    """Each list whole in its own column (constant-memory mode drops cells written after a
    later row: the sheet is written row by row), and each dropdown's range covers it."""
    from mou_desk.services.exports import choice_labels

    book = openpyxl.load_workbook(exported)
    columns = list(zip(*book["Lists"].iter_rows(values_only=True), strict=True))
    lists = {c[0]: [v for v in c[1:] if v is not None] for c in columns}
    assert list(lists) == list(wl.LIST_NAMES)
    for name, labels in choice_labels().items():
        assert lists[name] == list(labels.values())
    for name in ("sectors", "districts", "officers", "partners"):
        assert lists[name], name
    assert INJECTIONS[0] in lists["partners"]
    for validation in book["MoUs"].data_validations.dataValidation:
        if validation.type == "list":
            cells = book["Lists"][validation.formula1.split("!")[1].replace("$", "")]
            name = book["Lists"].cell(1, cells[0][0].column).value
            assert [row[0].value for row in cells] == lists[name], validation.formula1


def test_ids_are_guarded_against_edits(exported: Path) -> None:
    sheet = openpyxl.load_workbook(exported)["MoUs"]
    custom = [v for v in sheet.data_validations.dataValidation if v.type == "custom"]
    guarded = " ".join(str(v.sqref) for v in custom)
    letters = {h: openpyxl.utils.get_column_letter(i) for h, i in header_index(sheet).items()}
    for header in ("ID", "Version", "Proposed ₹", "Last activity"):
        assert f"{letters[header]}2:" in guarded


def test_formula_injection_and_error_literals_stay_text(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    cells = [c for s in ("MoUs", "Partners", "Contacts") for r in book[s].iter_rows() for c in r]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for value in ("=1+1", "#N/A", "@risk", INJECTIONS[0], "+91 98765 43210"):
        assert texts[value].data_type == "s", value
    assert not any(c.data_type in ("f", "e") for c in cells)


def test_japanese_and_hindi_intact(exported: Path) -> None:
    values = {
        c
        for r in openpyxl.load_workbook(exported)["Partners"].iter_rows(values_only=True)
        for c in r
    }
    assert {"田中電気株式会社", "उत्तर प्रदेश निवेश"} <= values


def test_filters_export_the_matching_mous_and_their_people(desk: Desk, tmp_path: Path) -> None:
    load_demo(desk)
    path = tmp_path / "signing.xlsx"
    result = export_workbook(desk.db, path, ExportFilter(stages=frozenset({"signing"})))
    book = openpyxl.load_workbook(path)
    stages = {r[7] for r in book["MoUs"].iter_rows(min_row=2, values_only=True)}
    assert stages == {"Signing"}
    assert result.counts["MoUs"] == book["MoUs"].max_row - 1
    assert result.counts["Partners"] <= 6
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Filters"] == "stage signing"


def test_cancelled_export_leaves_no_file(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mou_desk.exchange import workbook_export

    load_demo(desk)
    monkeypatch.setattr(workbook_export, "PROGRESS_EVERY", 1)
    path = tmp_path / "big.xlsx"
    with pytest.raises(ExportCancelled):
        export_workbook(desk.db, path, is_cancelled=lambda: True)
    assert list(tmp_path.glob("*.xlsx")) == []


def test_unwritable_target_is_a_clear_error(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="Cannot write in"):
        export_workbook(desk.db, tmp_path / "missing" / "out.xlsx")


@needs_libreoffice
def test_libreoffice_opens_it_without_repair(exported: Path, tmp_path: Path) -> None:
    shown = libreoffice_csv(exported, tmp_path)
    mous = (shown / "out-MoUs.csv").read_text(encoding="utf-8")
    assert "=1+1" in mous and "Bio-Innovation Cluster" in mous
    assert "₹ 1200,00,00,000.00" in mous and "1,200.00 cr" in mous  # as shown: Indian grouping
    assert "10-02-2026" in mous  # dates shown DD-MM-YYYY
    partners = (shown / "out-Partners.csv").read_text(encoding="utf-8")
    assert "田中電気株式会社" in partners and "उत्तर प्रदेश निवेश" in partners


def test_row_checks_are_those_of_the_cells_written(desk: Desk, exported: Path) -> None:
    """The Row check the writer works out as it writes is the one with_fingerprints gives for
    the same rows (the benchmark's raw write uses those), and calamine's reading of the cells
    gives it back."""
    import python_calamine

    from mou_desk.exchange.workbook_fingerprint import RowDigest, with_fingerprints
    from mou_desk.services.exports import collect_sheets

    book = python_calamine.CalamineWorkbook.from_path(str(exported))
    for sheet in collect_sheets(desk.db):
        written = book.get_sheet_by_name(sheet.layout.name).to_python()[1:]
        expected = [row[-1] for row in with_fingerprints(sheet.layout, sheet.rows)]
        assert sorted(int(row[-1]) for row in written) == sorted(expected)
        digest = RowDigest(sheet.layout)
        assert [digest(row) for row in written] == [row[-1] for row in written]
