"""Turn the rows of a sheet into typed field values, naming the cell of every problem.

Qt-free and database-free: the names a workbook uses for partners, officers and MoUs are
resolved through :class:`Lookups` the caller fills. Columns are found by header name in any
order (or through a saved :class:`ColumnMapping` for a layout of finance's own); values are
read as finance types them: real dates or DD-MM-YYYY / YYYY-MM-DD text (an ambiguous date is an
error, never a guess), amounts as numbers or text such as "₹ 1,200 crore", dropdown labels in
any case and spacing. A row is never dropped silently: each cell that cannot be read becomes
an error naming its cell, and the row is still returned.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mou_desk.domain.errors import DeskError
from mou_desk.exchange import workbook_convert as convert
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.header_detection import find_header_row
from mou_desk.exchange.workbook_convert import CellError, Lookups
from mou_desk.exchange.workbook_layout import Column, SheetLayout
from mou_desk.exchange.workbook_reader import SheetData

__all__ = [
    "CellError",
    "ColumnMapping",
    "Lookups",
    "MappedRow",
    "MappingProblem",
    "SheetMap",
    "column_letter",
    "data_rows",
    "guess_mapping",
    "map_rows",
    "map_sheet",
    "row_reader",
    "targets",
]


class MappingProblem(DeskError):
    """A sheet cannot be mapped as it is (a required column is missing)."""


@dataclass(frozen=True)
class ColumnMapping:
    """How a sheet of finance's own layout maps to a record kind; saved by name for reuse."""

    record_type: str
    sheet: str = ""
    header_row: int | None = None  # 1-based; None finds it
    columns: Mapping[str, str] = field(default_factory=dict)  # header text -> field ("" = skip)
    name: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "record_type": self.record_type,
                "sheet": self.sheet,
                "header_row": self.header_row,
                "columns": dict(self.columns),
                "name": self.name,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        data = json.loads(text)
        return cls(
            record_type=str(data["record_type"]),
            sheet=str(data.get("sheet") or ""),
            header_row=data.get("header_row"),
            columns=dict(data.get("columns") or {}),
            name=str(data.get("name") or ""),
        )


@dataclass
class MappedRow:
    """One data row read into field values, with where each came from and what was wrong."""

    record_type: str
    sheet: str
    row_number: int  # 1-based, as Excel shows it
    record_id: str | None
    version: int | None
    values: dict[str, Any]
    cells: Mapping[str, str]
    errors: dict[str, str]
    alternatives: dict[str, tuple[str, ...]]
    reason: str
    raw: tuple[object, ...]
    #: read-only columns as read: column field -> (field it shows, value)
    checks: dict[str, tuple[str, Any]] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return f"{self.sheet}!{self.row_number}"


@dataclass(frozen=True)
class SheetMap:
    """Where a sheet's header is and which field each of its columns carries."""

    sheet: str
    layout: SheetLayout
    header_index: int  # 0-based row index of the header
    headers: tuple[object, ...]
    columns: tuple[tuple[int, Column], ...]  # (position, column) for every column read
    warnings: tuple[str, ...] = ()

    def fields(self) -> set[str]:
        return {c.field for _, c in self.columns}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def targets(record_type: str) -> list[Column]:
    """Every column a foreign layout may map to, for this record kind."""
    layout = wl.LAYOUT_BY_TYPE[record_type]
    own = [c for c in layout.columns if c.imported or c.kind in (wl.ID, wl.VERSION, wl.REASON)]
    return own + list(wl.EXTRA_TARGETS.get(record_type, ()))


def _column_for(layout: SheetLayout, header: object) -> Column | None:
    column = layout.column(header)
    if column is None:
        for extra in wl.EXTRA_TARGETS.get(layout.record_type, ()):
            if isinstance(header, str) and wl.header_key(header) in {
                wl.header_key(n) for n in (extra.header, extra.field, *extra.aliases)
            }:
                return extra
    return column


def guess_mapping(sheet: SheetData, record_type: str) -> ColumnMapping:
    """A first guess for the wizard: the header row found and columns matched by name."""
    layout = wl.LAYOUT_BY_TYPE[record_type]
    expected = [name for c in targets(record_type) for name in (c.header, *c.aliases)]
    index = find_header_row(sheet.rows, expected) if sheet.rows else 0
    headers = sheet.rows[index] if sheet.rows else ()
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for value in headers:
        if not isinstance(value, str) or not value.strip():
            continue
        column = _column_for(layout, value)
        if column is not None and not column.checked and column.field not in taken:
            columns[value] = column.field
            taken.add(column.field)
        else:
            columns.setdefault(value, "")
    return ColumnMapping(record_type, sheet.name, index + 1, columns)


def map_sheet(
    sheet: SheetData, layout: SheetLayout, mapping: ColumnMapping | None = None
) -> SheetMap:
    """Find the header row and the columns; raise MappingProblem naming missing columns."""
    rows = sheet.rows
    if not rows:
        raise MappingProblem(f"Sheet '{sheet.name}' is empty; there is nothing to import.")
    if mapping is not None and mapping.header_row:
        index = mapping.header_row - 1
        if index >= len(rows):
            raise MappingProblem(
                f"Sheet '{sheet.name}' has no row {mapping.header_row} for the header."
            )
    else:
        expected = [n for c in layout.columns for n in (c.header, *c.aliases)]
        if mapping is not None:
            expected += list(mapping.columns)
        index = find_header_row(rows, expected)
    headers = rows[index]
    wanted = {wl.header_key(k): v for k, v in mapping.columns.items()} if mapping else None
    every = {c.field: c for c in targets(layout.record_type)}
    found: list[tuple[int, Column]] = []
    warnings: list[str] = []
    taken: dict[str, int] = {}
    for position, header in enumerate(headers):
        if header is None or (isinstance(header, str) and not header.strip()):
            continue
        text = str(header)
        if wanted is not None:
            target = wanted.get(wl.header_key(text), "")
            column = every.get(target) if target else None
        else:
            column = _column_for(layout, text)
        where = f"column {column_letter(position)} ('{text}')"
        if column is None:
            if wl.header_key(text) != "problems":  # the column our error workbook adds
                warnings.append(f"Sheet '{sheet.name}', {where} is not imported.")
            continue
        if column.field in taken:
            warnings.append(
                f"Sheet '{sheet.name}', {where} repeats column "
                f"{column_letter(taken[column.field])}; only the first is read."
            )
            continue
        taken[column.field] = position
        found.append((position, column))
    result = SheetMap(sheet.name, layout, index, headers, tuple(found), tuple(warnings))
    _check_required(result)
    return result


def _check_required(mapped: SheetMap) -> None:
    fields = mapped.fields()
    where = f"Sheet '{mapped.sheet}' (header on row {mapped.header_index + 1})"
    if "id" in fields and "version" not in fields:
        raise MappingProblem(
            f"{where} has an ID column but no Version column; keep both columns of the export."
        )
    if "id" in fields:
        return
    fields |= {"amount"} if fields & {"_amount_crore", "_amount_lakh"} else set()
    missing = [c.header for c in mapped.layout.columns if c.required and c.field not in fields]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise MappingProblem(f"{where} has no {names} column; add it or map a column to it.")


def data_rows(sheet: SheetData, mapped: SheetMap) -> Iterator[tuple[int, tuple[object, ...]]]:
    """(row number as Excel shows it, cells) of every row below the header with a value."""
    positions = [p for p, _ in mapped.columns]
    for index in range(mapped.header_index + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        if all(raw[p] is None for p in positions if p < len(raw)):
            continue
        yield index + 1, raw


def row_reader(mapped: SheetMap, lookups: Lookups, warnings: list[str]) -> convert.RowReader:
    return convert.RowReader(mapped, lookups, warnings)


def map_rows(
    sheet: SheetData, mapped: SheetMap, lookups: Lookups, warnings: list[str]
) -> Iterator[MappedRow]:
    """Every non-empty row below the header, read into field values."""
    reader = convert.RowReader(mapped, lookups, warnings)
    for number, raw in data_rows(sheet, mapped):
        yield reader.read(raw, number)


def sheet_layouts(names: Sequence[str]) -> list[tuple[str, SheetLayout]]:
    """Our sheets among ``names``, in the order records must be created."""
    found = {}
    for name in names:
        layout = wl.layout_for_sheet(name)
        if layout is not None and layout.record_type not in found:
            found[layout.record_type] = (name, layout)
    return [found[l.record_type] for l in wl.LAYOUTS if l.record_type in found]  # noqa: E741
