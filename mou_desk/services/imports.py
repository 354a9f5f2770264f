"""Import a workbook: read it safely, map its sheets, plan the changes, apply or revert them.

The workbook is read one sheet at a time (partners first, so that MoU rows can name partners
added on the Partners sheet of the same workbook) and planned as it is read: rows that change
nothing are counted and dropped, so a 100,000-row workbook never sits in memory twice.
Mappings for layouts of finance's own are saved by name in the ``meta`` table
("mapping:<name>", JSON).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import DeskError
from mou_desk.domain.money import format_inr
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_convert import Lookups, NameIndex
from mou_desk.exchange.workbook_import import (
    ColumnMapping,
    MappingProblem,
    data_rows,
    map_sheet,
    row_reader,
    sheet_layouts,
)
from mou_desk.exchange.workbook_reader import SheetData, WorkbookData, read_workbook, sheet_names
from mou_desk.services import changesets
from mou_desk.services.changesets import ApplyResult, Plan, ProposedChange
from mou_desk.services.database import Database
from mou_desk.services.exports import choice_labels
from mou_desk.services.import_unchanged import UnchangedRows
from mou_desk.services.listing import distinct_values
from mou_desk.storage.base import new_id
from mou_desk.storage.models import ChangeLogEntry, Mou, Officer, Partner

Progress = Callable[[int, int], None]
MAPPING_PREFIX = "mapping:"
CHUNK = 1_000
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


def load_lookups(db: Database) -> tuple[Lookups, dict[str, dict[str, str]]]:
    """What workbook names refer to, and the names of ids for showing values."""
    lookups = Lookups(choices=choice_labels())
    deleted_partners = lookups.deleted_partners
    names: dict[str, dict[str, str]] = {"partner": {}, "officer": {}, "mou": {}}
    with db.read() as session:
        for kind, model, table in (
            ("partner", Partner, lookups.partners),
            ("officer", Officer, lookups.officers),
        ):
            query = select(model.id, model.name, model.name_local, model.deleted_at.is_(None))
            gone = deleted_partners if kind == "partner" else None
            for record_id, name, local, live in session.execute(query).all():
                names[kind][record_id] = name
                index = table if live else gone
                if index is None:
                    continue
                index.add(name, record_id)
                if local and local != name:
                    index.add(local, record_id)
    lookups.mous = NameIndex(lambda: _mou_refs(db, names))
    lookups.open_values = {
        "sectors": distinct_values(db, "sector"),
        "districts": distinct_values(db, "district"),
        "policies": distinct_values(db, "policy"),
    }
    return lookups, names


def _mou_refs(db: Database, names: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(reference, id) of every live MoU; their names for showing values too."""
    with db.read() as session:
        query = select(Mou.ref, Mou.id).where(Mou.deleted_at.is_(None))
        pairs = [(str(ref), str(mou_id)) for ref, mou_id in session.execute(query)]
    names["mou"].update((mou_id, ref) for ref, mou_id in pairs)
    return pairs


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
    lookups, names = load_lookups(db)
    preview = ImportPreview(path, Plan(), [], [], mapping, names)
    if mapping is None and wl.ABOUT_SHEET in available:
        _check_about(path, preview.warnings)
    read = 0
    unchanged: Counter[str] = Counter()

    def progress(rows: int) -> None:
        if on_progress is not None:
            on_progress(read + rows, 0)

    def changes() -> Iterator[ProposedChange]:
        nonlocal read
        layouts = iter([layout for _, layout in chosen])
        for data in _prefetched(path, [n for n, _ in chosen], progress, is_cancelled):
            preview.warnings.extend(data.warnings)
            sheet = data.sheets[0]
            layout = next(layouts)
            read += len(sheet.rows)
            mapped = map_sheet(sheet, layout, mapping)
            preview.warnings.extend(mapped.warnings)
            reader = row_reader(mapped, lookups, preview.warnings)
            shortcut = UnchangedRows(db, mapped, len(sheet.rows))
            count = 0
            rows = data_rows(sheet, mapped)
            while chunk := list(islice(rows, CHUNK)):
                count += len(chunk)
                keep, same = (
                    shortcut.split(chunk)
                    if mapping is None
                    else ([(n, raw, "") for n, raw in chunk], 0)
                )
                unchanged[layout.record_type] += same
                for number, raw, earlier in keep:
                    row = reader.read(raw, number)
                    if earlier:
                        row.errors["id"] = (
                            f"The same record is also on {earlier}; keep one of the rows."
                        )
                    yield _proposed(row, lookups, names)
            preview.sheets.append(
                ImportSheet(
                    sheet.name, layout.record_type, mapped.header_index, mapped.headers, count
                )
            )
            del sheet, data

    preview.plan = changesets.plan(db, changes(), is_cancelled=is_cancelled)
    for record_type, same in unchanged.items():
        preview.plan.unchanged += same
        preview.plan.unchanged_by_type[record_type] += same
    return preview


def _prefetched(
    path: Path,
    names: list[str],
    on_rows: Callable[[int], None],
    is_cancelled: Callable[[], bool] | None,
) -> Iterator[WorkbookData]:
    """Each sheet read on a helper thread while the one before is planned.

    calamine parses without holding the interpreter lock, so reading the next sheet overlaps
    with mapping and planning this one. At most one sheet waits, ready, beside the one in use.
    """
    ready: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def stopped() -> bool:
        return stop.is_set() or (is_cancelled is not None and is_cancelled())

    def work() -> None:
        try:
            for name in names:
                if stop.is_set():
                    return
                data = read_workbook(path, sheets=[name], on_progress=on_rows, is_cancelled=stopped)
                ready.put((True, data))
        except BaseException as exc:  # handed to the planning thread, which raises it
            ready.put((False, exc))

    thread = threading.Thread(target=work, name="workbook-reader", daemon=True)
    thread.start()
    try:
        for _ in names:
            ok, item = ready.get()
            if not ok:
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.05)
        thread.join()


def _proposed(row: Any, lookups: Lookups, names: dict[str, dict[str, str]]) -> ProposedChange:
    record_id = row.record_id
    values = row.values
    if record_id is None:
        record_id = new_id()
        if row.record_type == "partner" and values.get("name"):
            name = str(values["name"])
            if name in lookups.partners:
                row.errors.setdefault(
                    "name",
                    (
                        f"A partner named '{name}' is already in MoU Desk; to change it, use its "
                        "row from the export (with its ID), or give the new partner another name."
                    ),
                )
            lookups.partners.add(name, record_id)
            local = str(values.get("name_local") or "")
            if local and local != name:
                lookups.partners.add(local, record_id)
            names["partner"][record_id] = name
        elif row.record_type == "mou" and values.get("ref"):
            lookups.mous.add(str(values["ref"]), record_id)
            names["mou"][record_id] = str(values["ref"])
        base = None
    else:
        base = row.version
    return ProposedChange(
        row.record_type,
        record_id,
        base,
        values,
        row.source,
        row.cells,
        row.errors,
        row.alternatives,
        row.reason,
        raw=row.raw,
        checks=row.checks,
    )


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
