"""Rows that come back untouched are counted from their cells, without being read in full.

Each test counts the rows the importer reads in full (turned into values and planned); the
result of the import must be the one a full reading of every row gives.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mou_desk.exchange import workbook_convert
from mou_desk.exchange.workbook_fingerprint import compared_columns, row_fingerprint
from mou_desk.exchange.workbook_layout import MOUS
from mou_desk.services import changesets as cs
from mou_desk.services import imports
from mou_desk.services.demo import load_demo
from mou_desk.services.desk import Desk
from mou_desk.services.exports import export_workbook

REF = "UP-JP-2025-001"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("template")
    desk = Desk.open(folder / "t.sqlite3", clerk="Test Clerk")
    load_demo(desk)
    partner = desk.partners.create({"name": "Tanaka Denki", "name_local": "田中電気株式会社"})
    desk.mous.create(
        {
            "title": "उत्तर प्रदेश battery lab\nsecond line",
            "lead_partner_id": partner.id,
            "amount": "12345678901.25",
            "currency": "INR",
            "notes": '=HYPERLINK("http://evil","click")',
            "next_action_due": dt.date(2026, 2, 28),
        }
    )
    export_workbook(desk.db, folder / "finance.xlsx")
    desk.close()
    return folder / "t.sqlite3", folder / "finance.xlsx"


@pytest.fixture
def desk(template: tuple[Path, Path], tmp_path: Path) -> Iterator[Desk]:
    shutil.copy(template[0], tmp_path / "t.sqlite3")
    opened = Desk.open(tmp_path / "t.sqlite3", clerk="Test Clerk")
    yield opened
    opened.close()


@pytest.fixture
def exported(template: tuple[Path, Path], tmp_path: Path) -> Path:
    return Path(shutil.copy(template[1], tmp_path / "finance.xlsx"))


@pytest.fixture
def read_in_full(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Row numbers of the rows the importer turns into values, as they are read."""
    numbers: list[int] = []
    read = workbook_convert.RowReader.read

    def counted(self: workbook_convert.RowReader, raw: tuple[object, ...], number: int) -> Any:
        numbers.append(number)
        return read(self, raw, number)

    monkeypatch.setattr(workbook_convert.RowReader, "read", counted)
    return numbers


def edited(path: Path, edit: Any) -> Path:
    book = openpyxl.load_workbook(path)
    edit(book)
    target = path.with_name("edited.xlsx")
    book.save(target)
    return target


def cell(book: openpyxl.Workbook, row: int, header: str) -> Any:
    sheet = book["MoUs"]
    column = next(c.column for c in sheet[1] if c.value == header)
    return sheet.cell(row=row, column=column)


def row_of(book: openpyxl.Workbook, ref: str = REF) -> int:
    return next(r[0].row for r in book["MoUs"].iter_rows(min_row=2) if r[0].value == ref)


def test_an_untouched_export_is_counted_without_reading_a_row(
    desk: Desk, exported: Path, read_in_full: list[int]
) -> None:
    result = imports.preview_import(desk.db, exported)
    assert read_in_full == []
    assert result.plan.rows == []
    assert result.plan.unchanged == sum(s.rows for s in result.sheets) > 20


def test_only_the_edited_row_is_read(desk: Desk, exported: Path, read_in_full: list[int]) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        cell(book, row_of(book), "Proposed jobs").value = 1800

    result = imports.preview_import(desk.db, edited(exported, edit))
    (row,) = result.plan.rows
    assert (row.kind, [f.field for f in row.fields]) == (cs.CHANGED, ["proposed_jobs"])
    assert len(read_in_full) == 1


def test_a_cell_that_differs_only_in_form_is_read_and_changes_nothing(
    desk: Desk, exported: Path, read_in_full: list[int]
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        row = row_of(book)
        due = cell(book, row, "Stage since")
        due.value = due.value.strftime("%d-%m-%Y")  # the same date, typed as text
        jobs = cell(book, row, "Proposed jobs")
        jobs.value = f"{jobs.value:,}"  # the same number, typed with a thousands separator

    result = imports.preview_import(desk.db, edited(exported, edit))
    assert len(read_in_full) == 1
    assert result.plan.rows == []


def test_a_row_changed_in_the_database_since_the_export_is_read(
    desk: Desk, exported: Path, read_in_full: list[int]
) -> None:
    mou = desk.mous.by_ref(REF)
    desk.mous.update(mou.id, {"next_action": "Office: call KPIA"}, mou.version)
    untouched = imports.preview_import(desk.db, exported)
    assert len(read_in_full) == 1  # its version is older than the record's
    assert untouched.plan.rows == []  # changed on one side only: the office's value stays

    def edit(book: openpyxl.Workbook) -> None:
        cell(book, row_of(book), "Next action").value = "Finance: check budget"

    (row,) = imports.preview_import(desk.db, edited(exported, edit)).plan.rows
    assert row.kind == cs.CONFLICT
    assert {f.field: f.kind for f in row.fields} == {"next_action": cs.CONFLICT}


def test_a_row_check_typed_over_only_means_the_row_is_read(
    desk: Desk, exported: Path, read_in_full: list[int]
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        cell(book, row_of(book), "Row check").value = 12345

    result = imports.preview_import(desk.db, edited(exported, edit))
    assert len(read_in_full) == 1
    assert result.plan.rows == []


def test_rows_of_an_earlier_export_with_the_first_row_check_are_counted(
    desk: Desk, exported: Path, read_in_full: list[int]
) -> None:
    """Workbooks exported before the current Row check carry a digest of the cells as the
    reader turns them; such a row is still counted once turned, without being planned."""
    columns = [c.header for c in compared_columns(MOUS)]

    def edit(book: openpyxl.Workbook) -> None:
        sheet = book["MoUs"]
        headers = [c.value for c in sheet[1]]
        for number in range(2, sheet.max_row + 1):
            values = {h: sheet.cell(row=number, column=i + 1).value for i, h in enumerate(headers)}
            cells = []
            for header in columns:
                value = values[header]
                if isinstance(value, dt.datetime):
                    value = value.date()
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                cells.append(value)
            cell(book, number, "Row check").value = row_fingerprint(tuple(cells))

    old = edited(exported, edit)
    planned: list[int] = []
    plan = cs.plan

    def counting(db: Any, changes: Any, **kwargs: Any) -> cs.Plan:
        def seen() -> Iterator[cs.ProposedChange]:
            for change in changes:
                planned.append(1)
                yield change

        return plan(db, seen(), **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cs, "plan", counting)
        result = imports.preview_import(desk.db, old)
    assert result.plan.rows == []
    assert planned == [] and read_in_full == []  # turned to check the digest, none read


def test_the_same_record_on_a_later_row_is_refused_naming_the_first(
    desk: Desk, exported: Path
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        sheet = book["MoUs"]
        first = row_of(book)
        sheet.append([c.value for c in sheet[first]])

    result = imports.preview_import(desk.db, edited(exported, edit))
    (row,) = result.plan.rows
    assert row.kind == cs.INVALID
    first = row_of(openpyxl.load_workbook(exported))
    assert f"The same record is also on MoUs!{first}" in " ".join(row.messages())


def test_sheets_read_in_parts_plan_as_when_read_whole(
    desk: Desk, exported: Path, read_in_full: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large sheet is cut into parts parsed side by side (exchange.workbook_reader.parts);
    here every sheet is, each row a part of its own, and the preview is the same."""
    from mou_desk.exchange.workbook_reader import parts

    def edit(book: openpyxl.Workbook) -> None:
        row = row_of(book)
        cell(book, row, "Proposed jobs").value = 1800
        cell(book, row + 1, "Title").value = "उत्तर प्रदेश solar park, phase 2"
        sheet = book["MoUs"]
        sheet.append([c.value for c in sheet[row]])  # the same record twice
        sheet.append(["", "Finance's new project", *([None] * (sheet.max_column - 2))])

    path = edited(exported, edit)
    whole = imports.preview_import(desk.db, path)
    read_whole = list(read_in_full)
    read_in_full.clear()
    monkeypatch.setattr(parts, "SPLIT_FROM", 0)
    monkeypatch.setattr(parts, "PART_BYTES", 1)
    cut: list[str] = []
    cutter = parts.PartCutter.begin

    def begin(self: parts.PartCutter, *args: Any) -> None:
        cut.append(self.name)
        cutter(self, *args)

    monkeypatch.setattr(parts.PartCutter, "begin", begin)
    parted = imports.preview_import(desk.db, path)
    assert "MoUs" in cut and "Partners" in cut
    assert read_in_full == read_whole and len(read_whole) == 4
    assert parted.counts() == whole.counts()
    assert parted.warnings == whole.warnings
    assert parted.sheets == whole.sheets

    def planned(preview: imports.ImportPreview) -> list[Any]:
        return [
            (r.kind, r.source, r.record_type, [(f.field, f.kind, f.theirs) for f in r.fields])
            for r in preview.plan.rows
        ]

    assert planned(parted) == planned(whole)
    kinds = sorted(r.kind for r in parted.plan.rows)
    assert kinds == sorted([cs.CHANGED, cs.CHANGED, cs.INVALID, cs.NEW])


def test_live_versions_read_in_one_step_are_those_read_row_by_row(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import select

    from mou_desk.services import import_unchanged
    from mou_desk.services.fields import model_of

    table = model_of("mou").__table__
    mou = desk.mous.by_ref(REF)
    desk.mous.update(mou.id, {"next_action": "Call"}, mou.version)
    desk.mous.delete(desk.mous.by_ref("UP-JP-2025-002").id)
    query = select(table.c.id, table.c.version).where(table.c.deleted_at.is_(None))
    with desk.db.read() as session:
        expected = {str(i): int(v) for i, v in session.execute(query)}
    assert import_unchanged.live_versions(desk.db, table) == expected
    assert expected[mou.id] == mou.version + 1 and len(expected) >= 5
    monkeypatch.setattr(import_unchanged, "_APART", "-")  # in every id: read row by row
    assert import_unchanged.live_versions(desk.db, table) == expected
