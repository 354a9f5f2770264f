"""Checks of a whole plan, and the helpers that mark a row's problems.

Every id a planned row points at must be a live record or one the changeset creates (a sync
may also point at a record in the Trash: it exists, and its deletion travels on its own); a
new MoU that looks like an existing one is flagged as a possible duplicate, never created
silently (a sync's new records are the other copy's records, never duplicates).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mou_desk.services import changeset_rules as rules
from mou_desk.services.changeset_sync import is_sync
from mou_desk.services.changesets import (
    CHANGED,
    CONFLICT,
    DUPLICATE,
    INVALID,
    NEW,
    UNCHANGED,
    FieldPlan,
    Plan,
    ProposedChange,
    RowPlan,
)
from mou_desk.services.fields import model_of
from mou_desk.storage.models import Mou

CHUNK = 1_000
DUPLICATE_RATIO = 0.9


def normal_title(title: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def check_references(session: Session, plan: Plan, pending: Mapping[str, set[str]]) -> None:
    """Every id a row points at must be a live record, or one this changeset creates."""
    wanted: dict[tuple[str, str], list[tuple[RowPlan, str]]] = defaultdict(list)
    for row in plan.rows:
        if row.kind not in (NEW, CHANGED, DUPLICATE):
            continue
        for name, target in foreign_keys(row.record_type).items():
            fp = row.field_plan(name)
            if fp is not None and fp.kind in (NEW, CHANGED) and fp.theirs:
                wanted[(target, str(fp.theirs))].append((row, name))
    by_target: dict[str, set[str]] = defaultdict(set)
    for target, value in wanted:
        if value not in pending[target]:
            by_target[target].add(value)
    live: set[tuple[str, str]] = set()
    kept: set[tuple[str, str]] = set()  # in the Trash: a sync may still point at them
    for target, ids in by_target.items():
        table = model_of(target).__table__
        id_list = sorted(ids)
        for start in range(0, len(id_list), CHUNK):
            part = id_list[start : start + CHUNK]
            query = select(table.c.id, table.c.deleted_at.is_(None)).where(table.c.id.in_(part))
            for rid, alive in session.execute(query):
                (live if alive else kept).add((target, rid))
    for (target, value), uses in wanted.items():
        if value in pending[target] or (target, value) in live:
            continue
        for row, name in uses:
            if (target, value) in kept and is_sync(row.change):
                continue
            mark(row, name, f"No such {target} (it may have been deleted).")
            row.kind = row_kind(row)


def find_duplicates(session: Session, plan: Plan) -> None:
    """New MoUs with the same lead partner and a near-identical title as another MoU."""
    candidates = [
        r
        for r in plan.rows
        if r.kind == NEW
        and r.record_type == "mou"
        and not is_sync(r.change)
        and r.change.values.get("lead_partner_id")
        and r.change.values.get("title")
    ]
    if not candidates:
        return
    partners = sorted({str(r.change.values["lead_partner_id"]) for r in candidates})
    existing: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for start in range(0, len(partners), CHUNK):
        query = select(Mou.id, Mou.ref, Mou.title, Mou.lead_partner_id).where(
            Mou.lead_partner_id.in_(partners[start : start + CHUNK]), Mou.deleted_at.is_(None)
        )
        for mou_id, ref, title, partner in session.execute(query):
            existing[str(partner)].append((mou_id, ref, normal_title(title)))
    for row in candidates:
        partner = str(row.change.values["lead_partner_id"])
        title = normal_title(str(row.change.values["title"]))
        for other_id, other_ref, other_title in existing[partner]:
            if near(title, other_title):
                row.kind = DUPLICATE
                row.duplicate_of = other_id
                row.problems.append(
                    f"Looks like {other_ref} (same lead partner, near-identical title); "
                    "it is not created unless you confirm it is a different MoU."
                )
                break
        existing[partner].append((row.record_id or "", row.source or "another row", title))


def near(a: str, b: str) -> bool:
    if a == b:
        return True
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False  # "Phase 1" and "Phase 2" are two MoUs
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= DUPLICATE_RATIO and matcher.ratio() >= DUPLICATE_RATIO


_FOREIGN: dict[str, dict[str, str]] = {}


def foreign_keys(record_type: str) -> dict[str, str]:
    """field -> record type it points at (lead_partner_id -> partner)."""
    if record_type not in _FOREIGN:
        from mou_desk.storage.models import RECORD_TYPES

        tables = {m.__tablename__: t for t, m in RECORD_TYPES.items()}
        found: dict[str, str] = {}
        for column in model_of(record_type).__table__.columns:
            for fk in column.foreign_keys:
                target = tables.get(fk.column.table.name)
                if target is not None:
                    found[column.key] = target
        _FOREIGN[record_type] = found
    return _FOREIGN[record_type]


def mark(row: RowPlan, name: str, message: str) -> None:
    """Make a field of the row invalid (or note a row-level problem)."""
    name = rules.PROBLEM_FIELDS.get(name, name) if name not in row.change.values else name
    for i, fp in enumerate(row.fields):
        if fp.field == name:
            if fp.kind != INVALID:
                row.fields[i] = FieldPlan(
                    name,
                    INVALID,
                    fp.ours,
                    fp.theirs,
                    fp.original,
                    sentence(row, name, message),
                    fp.cell,
                )
            return
    if name in row.change.values or name in row.change.cells:
        row.fields.append(
            FieldPlan(
                name,
                INVALID,
                None,
                row.change.values.get(name),
                None,
                sentence(row, name, message),
                row.change.cells.get(name, ""),
            )
        )
    else:
        row.problems.append(sentence(row, name, message) if name else message)


def sentence(row: RowPlan, name: str, message: str) -> str:
    if message[:1].islower():
        return f"{rules.field_title(row.record_type, name)} {message}."
    return message


def row_kind(row: RowPlan) -> str:
    kinds = {f.kind for f in row.fields}
    if (row.problems and row.kind != DUPLICATE) or INVALID in kinds:
        return INVALID
    if CONFLICT in kinds:
        return CONFLICT
    if row.kind in (NEW, DUPLICATE):
        return row.kind
    return CHANGED if CHANGED in kinds else UNCHANGED


def label(change: ProposedChange, current: Mapping[str, Any] | None) -> str:
    for key in ("ref", "name", "title"):
        value = (current or {}).get(key) or change.values.get(key)
        if value:
            return str(value)
    return change.label or change.source or (change.record_id or "")
