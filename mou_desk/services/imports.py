"""Import a workbook: read it safely, map its sheets, plan the changes, apply or revert them.

The workbook is read one sheet at a time (partners first, so that MoU rows can name partners
added on the Partners sheet of the same workbook) and planned as it is read: rows that change
nothing are counted and dropped before they are turned into values, so a 100,000-row workbook
never sits in memory twice (services.import_reading, services.import_unchanged).
Mappings for layouts of finance's own are saved by name in the ``meta`` table
("mapping:<name>", JSON).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import DeskError
from mou_desk.domain.money import format_inr
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_convert import Lookups, RowReader
from mou_desk.exchange.workbook_import import (
    ColumnMapping,
    MappingProblem,
    row_reader,
    sheet_layouts,
)
from mou_desk.exchange.workbook_reader import SheetData, read_workbook, sheet_names
from mou_desk.services import changesets
from mou_desk.services.changesets import ApplyResult, Plan, ProposedChange
from mou_desk.services.database import Database
from mou_desk.services.exports import choice_labels
from mou_desk.services.fields import model_of
from mou_desk.services.import_lookups import load_lookups, proposed
from mou_desk.services.import_reading import SheetFeed, SheetReading
from mou_desk.services.import_unchanged import live_versions
from mou_desk.storage.models import ChangeLogEntry

Progress = Callable[[int, int], None]
MAPPING_PREFIX = "mapping:"
MONEY_FIELDS = frozenset({"proposed_inr", "realised_inr"})
NAMED_FIELDS = {
    "lead_partner_id": "partner",
    "partner_id": "partner",
    "partner_ids": "partner",
    "nodal_officer_id": "officer",
    "mou_id": "mou",
}


@dataclass(frozen=True)
class ImportSheet:
    """A sheet that was imported: where its header is, for messages and the error workbook."""

    name: str
    record_type: str
    header_index: int
    headers: tuple[object, ...]
    rows: int  # data rows read


@dataclass
class ImportPreview:
    path: Path
    plan: Plan
    sheets: list[ImportSheet]
    warnings: list[str]
    mapping: ColumnMapping | None = None
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> id -> name
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=choice_labels)

    @property
    def origin(self) -> str:
        return f"workbook:{self.path.name}"

    def show(self, name: str, value: Any) -> str:
        """A value as a clerk reads it: names, not ids; ₹ and DD-MM-YYYY."""
        if value is None or value == "" or value == []:
            return ""
        kind = NAMED_FIELDS.get(name)
        if kind is not None:
            items = value if isinstance(value, list) else [value]
            return "; ".join(self.names.get(kind, {}).get(str(v), str(v)) for v in items)
        if isinstance(value, datetime):
            return value.strftime("%d-%m-%Y %H:%M")
        if isinstance(value, date):
            return format_date(value)
        if isinstance(value, Decimal) and name in MONEY_FIELDS:
            return format_inr(value, 2)
        if isinstance(value, Decimal):
            return format(value.normalize(), ",f") if value == value.to_integral() else str(value)
        for labels in self.labels.values():
            if str(value) in labels and name in (
                "stage",
                "status",
                "doc_type",
                "priority",
                "kind",
                "currency",
            ):
                return labels[str(value)]
        return str(value)

    def counts(self) -> dict[str, int]:
        counts = self.plan.counts
        return {
            "created": counts[changesets.NEW],
            "updated": counts[changesets.CHANGED],
            "unchanged": counts[changesets.UNCHANGED],
            "conflicts": counts[changesets.CONFLICT],
            "errors": counts[changesets.INVALID],
            "duplicates": counts[changesets.DUPLICATE],
        }


def workbook_sheets(path: Path) -> list[str]:
    """The worksheets of a file (after the safety checks), for the wizard's sheet choice."""
    return sheet_names(Path(path))


def read_sheet(path: Path, name: str) -> SheetData:
    return read_workbook(Path(path), sheets=[name]).sheets[0]


def preview_import(
    db: Database,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ImportPreview:
    """Read and plan a workbook; nothing is written. Raises WorkbookRefused for a file that
    cannot be read and MappingProblem for sheets that cannot be mapped."""
    path = Path(path)
    available = sheet_names(path)
    if mapping is not None:
        name = mapping.sheet or (available[0] if available else "")
        chosen = [(name, wl.LAYOUT_BY_TYPE[mapping.record_type])]
    else:
        chosen = sheet_layouts(available)
        if not chosen:
            listed = ", ".join(f"'{n}'" for n in available) or "none"
            raise MappingProblem(
                f"No sheet of {path.name} is an MoU Desk export (its sheets: {listed}); map its "
                "columns in the import wizard, or import with a saved mapping (--mapping NAME)."
            )
    preview = ImportPreview(path, Plan(), [], [], mapping)
    if mapping is None and wl.ABOUT_SHEET in available:
        _check_about(path, preview.warnings)
    unchanged: Counter[str] = Counter()

    def on_rows(rows: int) -> None:
        if on_progress is not None:
            on_progress(rows, 0)

    found: list[Lookups] = []

    def lookups() -> Lookups:
        """What names refer to: read when a row is first read in full, or while waiting."""
        if not found:
            loaded, preview.names = load_lookups(db)
            found.append(loaded)
        return found[0]

    def changes() -> Iterator[ProposedChange]:
        feed = SheetFeed(path, [name for name, _ in chosen], on_rows, is_cancelled)
        try:
            for at, (_, layout) in enumerate(chosen):
                versions = None
                if at and not feed.ready():  # work that waits for no sheet, while one is parsed
                    lookups()
                    if mapping is None and not feed.ready():
                        versions = live_versions(db, model_of(layout.record_type).__table__)
                parsed = feed.take()
                if at == 0:
                    preview.warnings.extend(parsed.source.warnings)
                sheet = SheetReading(db, parsed, layout, mapping, versions)
                preview.warnings.extend(sheet.warnings)
                reader: RowReader | None = None
                for number, cells, earlier in sheet.rows():
                    if reader is None:
                        reader = row_reader(sheet.mapped, lookups(), preview.warnings)
                    row = reader.read(cells, number)
                    if earlier:
                        row.errors["id"] = (
                            f"The same record is also on {earlier}; keep one of the rows."
                        )
                    yield proposed(row, lookups(), preview.names)
                unchanged[layout.record_type] += sheet.unchanged.count
                mapped = sheet.mapped
                preview.sheets.append(
                    ImportSheet(
                        parsed.name,
                        layout.record_type,
                        mapped.header_index,
                        mapped.headers,
                        sheet.count,
                    )
                )
                del sheet, parsed
        finally:
            feed.close()

    preview.plan = changesets.plan(db, changes(), is_cancelled=is_cancelled)
    for record_type, same in unchanged.items():
        preview.plan.unchanged += same
        preview.plan.unchanged_by_type[record_type] += same
    return preview


def _check_about(path: Path, warnings: list[str]) -> None:
    try:
        rows = read_workbook(path, sheets=[wl.ABOUT_SHEET], max_rows=200).sheets[0].rows
    except DeskError:
        return
    for row in rows:
        if len(row) >= 2 and row[0] == "Format version":
            try:
                version = int(str(row[1]))
            except ValueError:
                continue
            if version > wl.FORMAT_VERSION:
                warnings.append(
                    f"The workbook was made by a newer MoU Desk (format {version}); update MoU "
                    "Desk if columns are reported as not imported."
                )


def apply_import(
    db: Database,
    preview: ImportPreview,
    resolutions: Mapping[tuple[int, str], str] | None = None,
    *,
    apply_rest: bool = False,
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ApplyResult:
    """Apply the previewed plan in one transaction, logged with origin "workbook:<name>"."""
    return changesets.apply(
        db,
        preview.plan,
        resolutions,
        apply_rest=apply_rest,
        origin=preview.origin,
        on_progress=on_progress,
        is_cancelled=is_cancelled,
    )


def revert_import(db: Database, batch_id: str) -> ApplyResult:
    return changesets.revert(db, batch_id)


@dataclass(frozen=True)
class ImportBatch:
    batch_id: str
    origin: str
    at: datetime
    actor: str
    changes: int


def recent_imports(db: Database, limit: int = 20) -> list[ImportBatch]:
    """Applied imports, newest first, for "Undo import"."""
    query = (
        select(
            ChangeLogEntry.batch_id,
            func.min(ChangeLogEntry.origin),
            func.min(ChangeLogEntry.at),
            func.min(ChangeLogEntry.actor),
            func.count(),
        )
        .where(ChangeLogEntry.batch_id.is_not(None), ChangeLogEntry.origin.like("workbook:%"))
        .group_by(ChangeLogEntry.batch_id)
        .order_by(func.min(ChangeLogEntry.at).desc())
        .limit(limit)
    )
    with db.read() as session:
        return [
            ImportBatch(str(batch), origin, at, actor, count)
            for batch, origin, at, actor, count in session.execute(query)
        ]


# Kept here so that callers need one module: mappings and the error workbook live beside it.
from mou_desk.services.import_errors import problem_rows, row_messages, write_errors  # noqa: E402
from mou_desk.services.import_mappings import (  # noqa: E402
    delete_mapping,
    load_mapping,
    mapping_names,
    save_mapping,
)

__all__ = [
    "ImportBatch",
    "ImportPreview",
    "ImportSheet",
    "MappingProblem",
    "apply_import",
    "delete_mapping",
    "load_mapping",
    "mapping_names",
    "preview_import",
    "problem_rows",
    "read_sheet",
    "recent_imports",
    "revert_import",
    "row_messages",
    "save_mapping",
    "workbook_sheets",
    "write_errors",
]
