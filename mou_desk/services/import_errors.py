"""What is wrong with the rows of an import: one sentence per cell, and the error workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mou_desk.exchange.error_workbook import ErrorRow, ErrorSheet, write_error_workbook
from mou_desk.services import changesets
from mou_desk.services.changeset_rules import field_title
from mou_desk.services.changesets import RowPlan

if TYPE_CHECKING:
    from mou_desk.services.imports import ImportPreview


def problem_rows(preview: ImportPreview) -> list[RowPlan]:
    return preview.plan.blocking


def _short(cell: str) -> str:
    return cell.rsplit("!", 1)[-1]


def row_messages(preview: ImportPreview, row: RowPlan) -> list[str]:
    """What is wrong with a row, one sentence per cell: for the error list and workbook."""
    out = list(row.problems)
    for fp in row.fields:
        where = (
            f"{_short(fp.cell)} ({field_title(row.record_type, fp.field)})"
            if fp.cell
            else (field_title(row.record_type, fp.field))
        )
        if fp.kind == changesets.INVALID:
            out.append(f"{where}: {fp.message}")
        elif fp.kind == changesets.CONFLICT:
            ours, theirs = preview.show(fp.field, fp.ours), preview.show(fp.field, fp.theirs)
            was = preview.show(fp.field, fp.original)
            out.append(
                f"{where}: changed in MoU Desk to '{ours}' (was '{was}') and here to "
                f"'{theirs}'; type '{ours}' to keep MoU Desk's value, or resolve it in "
                "MoU Desk's import wizard."
            )
    return out


def write_errors(preview: ImportPreview, path: Path) -> int:
    """Write the error workbook (the problem rows as read, with a Problems column)."""
    by_sheet: dict[str, ErrorSheet] = {
        s.name: ErrorSheet(s.name, s.headers, []) for s in preview.sheets
    }
    for row in preview.plan.blocking:
        sheet_name = row.source.rsplit("!", 1)[0]
        sheet = by_sheet.get(sheet_name)
        if sheet is None:
            continue
        bad = {
            _column_index(_short(fp.cell))
            for fp in row.fields
            if fp.cell and fp.kind in (changesets.INVALID, changesets.CONFLICT)
        }
        sheet.rows.append(ErrorRow(row.change.raw, row_messages(preview, row), bad))
    return write_error_workbook(Path(path), list(by_sheet.values()), preview.path.name)


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1
