"""Importing workbooks that are not our export: foreign layouts, mappings, bad files, the corpus."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from mou_desk.domain.errors import DeskError
from mou_desk.exchange.workbook_import import ColumnMapping, guess_mapping
from mou_desk.exchange.workbook_reader import WorkbookRefused
from mou_desk.services import changesets as cs
from mou_desk.services import imports
from mou_desk.services.desk import Desk
from tests.exchange.conftest import MOU_HEADER, MOU_ROWS, write_workbook

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "wild-xlsx"
WILD = sorted(CORPUS.glob("*.xls*"))


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    opened = Desk.open(tmp_path / "t.sqlite3", clerk="Test Clerk")
    for name, local in (("Tanaka Denki", "田中電気株式会社"), ("Shin-Etsu", ""), ("JSDA", "")):
        opened.partners.create({"name": name, "name_local": local})
    yield opened
    opened.close()


@pytest.fixture
def finance_layout(tmp_path: Path) -> Path:
    """Finance's own sheet: a title above the header, its own column names, crore amounts."""
    rows = [
        ("Investment proposals — Japan, July 2025",),
        (),
        ("Project", "Company", "Stage", "Investment (₹ crore)", "Signed on", "Remarks"),
        ("Battery testing lab", "田中電気株式会社", " Proposal ", 125, dt.date(2025, 7, 14), "x"),
        ("Rare-earth magnets", "shin-etsu", "SIGNING", "1,200", "14-07-2025", ""),
        ("Skills", "JSDA", "discussion", None, None, None),
    ]
    return write_workbook(tmp_path / "finance.xlsx", {"Proposals": rows})


def mapping_for(path: Path) -> ColumnMapping:
    sheet = imports.read_sheet(path, imports.workbook_sheets(path)[0])
    guess = guess_mapping(sheet, "mou")
    columns = dict(guess.columns)
    columns.update(
        {
            "Project": "title",
            "Company": "lead_partner_id",
            "Investment (₹ crore)": "_amount_crore",
            "Signed on": "signed_on_ours",
        }
    )
    return ColumnMapping("mou", sheet.name, guess.header_row, columns, "finance proposals")


def test_guess_finds_the_header_below_the_title(finance_layout: Path) -> None:
    sheet = imports.read_sheet(finance_layout, "Proposals")
    guess = guess_mapping(sheet, "mou")
    assert guess.header_row == 3
    assert guess.columns["Stage"] == "stage"
    assert guess.columns["Remarks"] == ""


def test_foreign_layout_through_a_mapping(desk: Desk, finance_layout: Path) -> None:
    result = imports.preview_import(desk.db, finance_layout, mapping_for(finance_layout))
    assert result.counts()["created"] == 3, [r.messages() for r in result.plan.rows]
    imports.apply_import(desk.db, result)
    made = {m["title"]: m for m in desk.mous.all()}
    assert made["Battery testing lab"]["proposed_inr"] == Decimal("1250000000.00")
    assert made["Rare-earth magnets"]["amount"] == Decimal("12000000000")
    assert made["Rare-earth magnets"]["signed_on_ours"] == dt.date(2025, 7, 14)
    assert made["Skills"]["stage"].value == "discussion"
    assert desk.partners.get(made["Rare-earth magnets"]["lead_partner_id"])["name"] == "Shin-Etsu"


def test_mappings_are_saved_by_name(desk: Desk, finance_layout: Path) -> None:
    mapping = mapping_for(finance_layout)
    imports.save_mapping(desk.db, mapping)
    assert imports.mapping_names(desk.db) == ["finance proposals"]
    assert imports.load_mapping(desk.db, "finance proposals") == mapping
    imports.delete_mapping(desk.db, "finance proposals")
    with pytest.raises(imports.MappingProblem, match="No mapping is saved as"):
        imports.load_mapping(desk.db, "finance proposals")


def test_sheet_without_our_layout_asks_for_a_mapping(desk: Desk, finance_layout: Path) -> None:
    with pytest.raises(imports.MappingProblem, match="map its columns"):
        imports.preview_import(desk.db, finance_layout)


def test_our_sheet_name_with_a_title_row_and_known_headers(desk: Desk, mou_xlsx: Path) -> None:
    result = imports.preview_import(desk.db, mou_xlsx)
    rows = result.plan.rows
    assert [r.source for r in rows] == ["MoUs!4", "MoUs!5", "MoUs!6"]
    assert "Proposed ₹ is worked out" in " ".join(rows[0].messages())  # use Amount instead
    assert rows[2].kind == cs.NEW


def test_reader_fixture_layout_maps_by_header_names(desk: Desk, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "mous.xlsx", {"MoUs": [MOU_HEADER, *MOU_ROWS]})
    mapping = ColumnMapping(
        "mou",
        "MoUs",
        None,
        {
            "Reference": "ref",
            "Title": "title",
            "Lead partner": "lead_partner_id",
            "Stage": "stage",
            "Proposed (INR)": "amount",
            "Signed on": "signed_on_ours",
        },
    )
    result = imports.preview_import(desk.db, path, mapping)
    kinds = [r.kind for r in result.plan.rows]
    assert kinds == [cs.NEW, cs.NEW, cs.NEW], [r.messages() for r in result.plan.rows]


@pytest.mark.parametrize(
    "bad",
    [
        "zip_bomb",
        "xml_bomb",
        "encrypted_ooxml",
        "truncated_xlsx",
        "random_xlsx",
        "word_document",
        "fake_xls",
        "missing_workbook_part",
        "html_as_xls",
        "ratio_bomb",
        "forged_sizes",
    ],
)
def test_bad_files_are_refused_in_one_line(
    desk: Desk, bad: str, request: pytest.FixtureRequest
) -> None:
    path: Path = request.getfixturevalue(bad)
    before = path.read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        imports.preview_import(desk.db, path)
    assert len(str(refused.value).splitlines()) == 1
    assert refused.value.exit_code == 2
    assert path.read_bytes() == before
    assert desk.mous.all() == []


def test_password_message_says_how_to_remove_it(desk: Desk, encrypted_ooxml: Path) -> None:
    with pytest.raises(WorkbookRefused, match="clear the password"):
        imports.preview_import(desk.db, encrypted_ooxml)


def test_csv_in_our_layout_is_imported(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "mous.csv"
    path.write_text("Title,Lead partner,Amount\nSolar park,Tanaka Denki,₹ 5 crore\n", "utf-8")
    mapping = ColumnMapping(
        "mou", "", None, {"Title": "title", "Lead partner": "lead_partner_id", "Amount": "amount"}
    )
    result = imports.preview_import(desk.db, path, mapping)
    (row,) = result.plan.rows
    assert row.kind == cs.NEW and row.change.values["amount"] == Decimal(50000000)


def test_empty_sheet_is_a_clear_message(desk: Desk, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "empty.xlsx", {"MoUs": []})
    with pytest.raises(DeskError, match="empty"):
        imports.preview_import(desk.db, path)


def test_cancel_stops_the_import(desk: Desk, finance_layout: Path) -> None:
    with pytest.raises(DeskError, match="cancelled"):
        imports.preview_import(
            desk.db, finance_layout, mapping_for(finance_layout), is_cancelled=lambda: True
        )


@pytest.mark.skipif(not WILD, reason="the wild corpus is not next to the repository")
def test_the_wild_corpus_imports_what_it_can_map_or_says_why(desk: Desk) -> None:
    outcomes: dict[str, str] = {}
    for path in WILD:
        try:
            names = imports.workbook_sheets(path)
            sheet = imports.read_sheet(path, names[0])
            if not sheet.rows:
                raise imports.MappingProblem(f"Sheet '{sheet.name}' is empty.")
            mapping = guess_mapping(sheet, "mou")
            columns = dict(mapping.columns)
            first = next((h for h in columns if h), None)
            if first is not None and "title" not in columns.values():
                columns[first] = "title"  # map something, as a clerk would in the wizard
            mapping = ColumnMapping("mou", sheet.name, mapping.header_row, columns)
            result = imports.preview_import(desk.db, path, mapping)
            outcomes[path.name] = f"planned {result.plan.total}"
        except DeskError as refusal:  # anything else is a bug and fails the test
            message = str(refusal)
            assert message and len(message.splitlines()) == 1, (path.name, message)
            outcomes[path.name] = f"refused: {message}"
    planned = [name for name, outcome in outcomes.items() if outcome.startswith("planned")]
    assert len(planned) >= len(WILD) // 2, outcomes
    assert desk.mous.all() == []  # previews write nothing
