"""Export, edit as finance does (openpyxl standing in for Excel), import: exactly the edits."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mou_desk.domain.stages import Stage
from mou_desk.services import changesets as cs
from mou_desk.services import imports
from mou_desk.services.demo import load_demo
from mou_desk.services.desk import Desk
from mou_desk.services.exports import export_workbook

Edit = Callable[[openpyxl.Workbook], None]
TRICKY = [
    '=HYPERLINK("http://evil","click")',
    "+91 98765 43210",
    "-1",
    "@SUM(A1:A2)",
    "#N/A",
    "\tindented",
    "田中電気株式会社",
    "उत्तर प्रदेश निवेश प्रोत्साहन",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample portfolio and its export, made once; each test works on copies."""
    folder = tmp_path_factory.mktemp("template")
    desk = Desk.open(folder / "t.sqlite3", clerk="Test Clerk")
    load_demo(desk)
    export_workbook(desk.db, folder / "finance.xlsx")
    desk.close()
    return folder / "t.sqlite3", folder / "finance.xlsx"


@pytest.fixture
def demo_desk(template: tuple[Path, Path], tmp_path: Path) -> Iterator[Desk]:
    shutil.copy(template[0], tmp_path / "t.sqlite3")
    desk = Desk.open(tmp_path / "t.sqlite3", clerk="Test Clerk")
    yield desk
    desk.close()


@pytest.fixture
def exported(template: tuple[Path, Path], tmp_path: Path) -> Path:
    return Path(shutil.copy(template[1], tmp_path / "finance.xlsx"))


def edited(path: Path, edit: Edit, name: str = "edited.xlsx") -> Path:
    book = openpyxl.load_workbook(path)
    edit(book)
    target = path.with_name(name)
    book.save(target)
    return target


def cell(book: openpyxl.Workbook, sheet: str, row: int, header: str) -> Any:
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    return ws.cell(row=row, column=column)


def row_of(book: openpyxl.Workbook, ref: str) -> int:
    for row in book["MoUs"].iter_rows(min_row=2):
        if row[0].value == ref:
            return row[0].row
    raise KeyError(ref)


def preview(desk: Desk, path: Path) -> imports.ImportPreview:
    return imports.preview_import(desk.db, path)


def test_export_then_import_unchanged_gives_zero_changes(demo_desk: Desk, exported: Path) -> None:
    result = preview(demo_desk, exported)
    assert result.counts() == {
        "created": 0,
        "updated": 0,
        "unchanged": 19,
        "conflicts": 0,
        "errors": 0,
        "duplicates": 0,
    }
    assert result.warnings == []
    resaved = edited(exported, lambda book: None)  # through openpyxl: same again
    assert preview(demo_desk, resaved).plan.rows == []


@pytest.mark.parametrize(
    ("header", "typed", "field", "expected"),
    [
        ("Title", "Bio-Innovation Cluster, phase I", "title", "Bio-Innovation Cluster, phase I"),
        ("Amount", "₹ 1,250 crore", "amount", Decimal("12500000000")),
        ("Amount", 13000000000, "amount", Decimal("13000000000")),
        ("Next action due", "05-01-2027", "next_action_due", dt.date(2027, 1, 5)),
        ("Next action due", "2027-01-06", "next_action_due", dt.date(2027, 1, 6)),
        ("Next action due", dt.datetime(2027, 1, 7), "next_action_due", dt.date(2027, 1, 7)),
        ("Priority", "  low ", "priority", "low"),
        ("Sector", "pharmaceuticals", "sector", None),  # the spelling in use: no change
        ("Proposed jobs", "1,600", "proposed_jobs", 1600),
        ("Realised ₹", "Rs. 12.5 lakh", "realised_inr", Decimal("1250000")),
        ("Nodal officer", "inderjit singh", "nodal_officer_id", "officer"),
    ],
)
def test_each_kind_of_edit_gives_exactly_that_change(
    demo_desk: Desk, exported: Path, header: str, typed: object, field: str, expected: object
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        cell(book, "MoUs", row_of(book, "UP-JP-2025-001"), header).value = typed

    result = preview(demo_desk, edited(exported, edit))
    if expected is None:
        assert result.plan.rows == []
        return
    (row,) = result.plan.rows
    assert row.kind == cs.CHANGED, row.messages()
    (change,) = row.fields
    assert change.field == field
    if expected == "officer":
        assert result.show(field, change.theirs) == "Inderjit Singh"
    else:
        assert change.theirs == expected


def test_applied_edit_lands_with_the_workbook_as_origin(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        cell(book, "MoUs", row_of(book, "UP-JP-2025-002"), "Amount").value = 5000000000

    result = preview(demo_desk, edited(exported, edit))
    applied = imports.apply_import(demo_desk.db, result)
    assert applied.updated == 1
    mou = demo_desk.mous.by_ref("UP-JP-2025-002")
    assert mou["amount"] == Decimal(5000000000)
    assert mou["proposed_inr"] == Decimal("2856000000.00")  # 5e9 JPY × 0.5712
    history = demo_desk.mous.history(mou.id)
    assert {h.origin for h in history if h.field == "amount"} >= {"workbook:edited.xlsx"}
    assert imports.recent_imports(demo_desk.db)[0].batch_id == applied.batch_id
    imports.revert_import(demo_desk.db, applied.batch_id)
    assert demo_desk.mous.by_ref("UP-JP-2025-002")["amount"] == Decimal(4500000000)


def test_new_rows_and_new_partner_in_the_same_workbook(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        partners = book["Partners"]
        partners.append(["Osaka Robotics KK", "大阪ロボティクス株式会社", "Company", "Japan"])
        mous = book["MoUs"]
        row = mous.max_row + 1
        cell(book, "MoUs", row, "Title").value = "Robot assembly line"
        cell(book, "MoUs", row, "Lead partner").value = "大阪ロボティクス株式会社"
        cell(book, "MoUs", row, "Amount").value = "¥ 2,000,000,000"
        cell(book, "MoUs", row, "Rate to ₹").value = 0.57
        cell(book, "MoUs", row, "Stage").value = "PROPOSAL"

    result = preview(demo_desk, edited(exported, edit))
    assert result.counts()["created"] == 2, [r.messages() for r in result.plan.rows]
    imports.apply_import(demo_desk.db, result)
    mou = next(m for m in demo_desk.mous.all() if m["title"] == "Robot assembly line")
    assert (mou["currency"], mou["proposed_inr"], mou["stage"]) == (
        "JPY",
        Decimal("1140000000.00"),
        Stage.PROPOSAL,
    )
    assert demo_desk.partners.get(mou["lead_partner_id"])["name"] == "Osaka Robotics KK"


def test_field_level_conflict_with_the_office(demo_desk: Desk, exported: Path) -> None:
    mou = demo_desk.mous.by_ref("UP-JP-2025-001")
    demo_desk.mous.update(
        mou.id, {"next_action": "Office: call KPIA", "tags": "priority"}, mou.version
    )

    def edit(book: openpyxl.Workbook) -> None:
        row = row_of(book, "UP-JP-2025-001")
        cell(book, "MoUs", row, "Next action").value = "Finance: check budget"
        cell(book, "MoUs", row, "Proposed jobs").value = 1800

    result = preview(demo_desk, edited(exported, edit))
    (row,) = result.plan.rows
    kinds = {f.field: f.kind for f in row.fields}
    assert kinds == {"next_action": cs.CONFLICT, "proposed_jobs": cs.CHANGED}
    conflict = row.field_plan("next_action")
    assert (
        conflict is not None
        and conflict.original == "Share the draft MoC with KPIA's Director General"
    )
    with pytest.raises(cs.ChangesetRefused):
        imports.apply_import(demo_desk.db, result)
    imports.apply_import(demo_desk.db, result, {(row.index, "next_action"): cs.OURS})
    now = demo_desk.mous.get(mou.id)
    assert (now["next_action"], now["proposed_jobs"], now["tags"]) == (
        "Office: call KPIA",
        1800,
        "priority",
    )


def test_possible_duplicate_row_is_flagged(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        row = book["MoUs"].max_row + 1
        cell(book, "MoUs", row, "Title").value = "Bio Innovation Cluster with KPIA member companies"
        cell(
            book, "MoUs", row, "Lead partner"
        ).value = "Kansai Pharmaceutical Industries Association"

    result = preview(demo_desk, edited(exported, edit))
    (row,) = result.plan.rows
    assert row.kind == cs.DUPLICATE
    assert "UP-JP-2025-001" in " ".join(row.messages())


def test_tricky_text_round_trips_as_text(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        for offset, text in enumerate(TRICKY[:6]):
            target = cell(book, "MoUs", 2 + offset, "Notes")
            target.value = text
            target.data_type = "s"

    imports.apply_import(demo_desk.db, preview(demo_desk, edited(exported, edit)))
    notes = {m["notes"] for m in demo_desk.mous.all()}
    assert set(TRICKY[:6]) <= notes
    again = edited(exported, lambda book: None, "second.xlsx")
    export_workbook(demo_desk.db, again)
    assert preview(demo_desk, again).plan.rows == []  # they come back exactly


def test_japanese_and_hindi_round_trip(demo_desk: Desk, tmp_path: Path) -> None:
    partner = demo_desk.partners.create({"name": "Tanaka", "name_local": TRICKY[6]})
    demo_desk.mous.create({"title": TRICKY[7], "lead_partner_id": partner.id})
    path = tmp_path / "scripts.xlsx"
    export_workbook(demo_desk.db, path)
    assert preview(demo_desk, path).plan.rows == []
    book = openpyxl.load_workbook(path)
    texts = {
        c for s in ("MoUs", "Partners") for r in book[s].iter_rows(values_only=True) for c in r
    }
    assert {TRICKY[6], TRICKY[7]} <= texts


@pytest.mark.parametrize(
    ("header", "typed", "says"),
    [
        ("Stage since", "03/04/2026", "ambiguous"),
        ("Next action due", "31-02-2027", "February 2027 has 28 days"),
        ("Amount", "about 5 crore", "not"),
        ("Stage", "Negotiation", "is not a Stage"),
        ("Lead partner", "Nobody Ltd", "No partner is named"),
        ("Proposed jobs", "many", "not a whole number"),
        ("Proposed ₹", 1, "kept by MoU Desk"),
        ("Stage", "Discussion", "Reason for change"),
        ("Version", None, "Version is empty"),
        ("Status", None, "cannot be left empty"),
    ],
)
def test_bad_cells_are_named_with_what_to_do(
    demo_desk: Desk, exported: Path, tmp_path: Path, header: str, typed: object, says: str
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        cell(book, "MoUs", row_of(book, "UP-JP-2025-001"), header).value = typed

    result = preview(demo_desk, edited(exported, edit))
    (row,) = result.plan.rows
    assert row.kind == cs.INVALID
    messages = " ".join(imports.row_messages(result, row))
    assert says in messages
    assert row.source == f"MoUs!{2}"
    errors = tmp_path / "errors.xlsx"
    assert imports.write_errors(result, errors) == 1
    sheet = openpyxl.load_workbook(errors)["MoUs"]
    assert sheet.cell(row=1, column=sheet.max_column).value == "Problems"
    assert says in sheet.cell(row=2, column=sheet.max_column).value


def test_error_workbook_can_be_fixed_and_imported(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        row = row_of(book, "UP-JP-2025-002")
        cell(book, "MoUs", row, "Next action due").value = "3/4/2027"
        cell(book, "MoUs", row_of(book, "UP-JP-2025-003"), "Tags").value = "fine"

    result = preview(demo_desk, edited(exported, edit))
    errors = exported.with_name("errors.xlsx")
    imports.write_errors(result, errors)
    imports.apply_import(demo_desk.db, result, apply_rest=True)
    fixed = edited(
        errors,
        lambda b: setattr(cell(b, "MoUs", 2, "Next action due"), "value", "03-04-2027"),
        "fixed.xlsx",
    )
    again = preview(demo_desk, fixed)
    assert [r.kind for r in again.plan.rows] == [cs.CHANGED]
    assert any("not imported" not in w for w in again.warnings) or again.warnings == []


def test_columns_in_any_order_extra_ignored_with_a_warning(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        sheet = book["MoUs"]
        sheet.move_range("A1:A7", cols=sheet.max_column + 1)  # Reference moved to the far right
        sheet.cell(row=1, column=sheet.max_column + 1).value = "Finance remarks"
        cell(book, "MoUs", 2, "Finance remarks").value = "ok"

    result = preview(demo_desk, edited(exported, edit))
    assert result.plan.rows == []
    assert any("Finance remarks" in w and "not imported" in w for w in result.warnings)


def test_missing_required_column_is_named(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        sheet = book["MoUs"]
        for column in sorted(
            (c.column for c in sheet[1] if c.value in ("ID", "Title")), reverse=True
        ):
            sheet.delete_cols(column)

    with pytest.raises(imports.MappingProblem, match="no 'Title' column"):
        preview(demo_desk, edited(exported, edit))


def test_same_record_twice_is_refused(demo_desk: Desk, exported: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        sheet = book["MoUs"]
        sheet.append([c.value for c in sheet[2]])

    result = preview(demo_desk, edited(exported, edit))
    (row,) = result.plan.rows
    assert "also on MoUs!2" in " ".join(row.messages())


def test_importer_never_writes_to_the_file_it_reads(demo_desk: Desk, exported: Path) -> None:
    before = exported.read_bytes()
    exported.chmod(0o444)
    result = preview(demo_desk, exported)
    imports.apply_import(demo_desk.db, result)
    assert exported.read_bytes() == before
