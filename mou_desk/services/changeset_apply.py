"""Applying a planned changeset in one transaction (reverting one: changeset_revert).

Every write goes through services.records with an Actor carrying the batch id, so each field
change lands in the change log under that batch and with the changeset's origin
("workbook:finance.xlsx"); services' prepare/after_create hooks keep derived values (₹ from
amount × rate, the first stage event) as they are for a hand-made change. Stage and status
changes write their stage event as MouService.change_stage does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mou_desk.domain.errors import ConflictError, DeskError, ValidationError
from mou_desk.domain.stages import Stage, Status
from mou_desk.services import changeset_bulk as bulk_writes
from mou_desk.services import changeset_sync, records
from mou_desk.services.changeset_create import create_rows
from mou_desk.services.changesets import (
    CHANGED,
    CONFLICT,
    DUPLICATE,
    INVALID,
    NEW,
    OURS,
    ROW,
    THEIRS,
    ApplyResult,
    ChangesetRefused,
    Plan,
    Progress,
    RowPlan,
)
from mou_desk.services.database import Database
from mou_desk.services.desk import Desk
from mou_desk.services.mous import PIPELINE_FIELDS
from mou_desk.storage.base import new_id
from mou_desk.storage.models import Mou, StageEvent

#: records are created in this order, so that what a row points at exists first (a meeting's
#: list of MoUs points at MoUs, so MoUs come before meetings)
TYPE_ORDER = (
    "officer",
    "partner",
    "contact",
    "trip",
    "mou",
    "engagement",
    "followup",
    "attachment",
)


class ApplyCancelled(DeskError):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was written.")


def _summary(blocking: list[RowPlan]) -> str:
    kinds = defaultdict(list)
    for row in blocking:
        kinds[row.kind].append(row)
    parts = []
    names = {CONFLICT: "conflicting", INVALID: "invalid", DUPLICATE: "possible duplicate"}
    for kind in (INVALID, CONFLICT, DUPLICATE):
        rows = kinds.get(kind)
        if rows:
            where = ", ".join(r.source or r.label for r in rows[:5])
            more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
            parts.append(
                f"{len(rows)} {names[kind]} row{'s' if len(rows) != 1 else ''} ({where}{more})"
            )
    return "; ".join(parts)


def writes_of(
    plan: Plan, resolutions: Mapping[tuple[int, str], str]
) -> tuple[list[tuple[RowPlan, dict[str, Any]]], list[RowPlan], int]:
    """(rows to write with their values, rows left out, rows with nothing left to write)."""
    todo: list[tuple[RowPlan, dict[str, Any]]] = []
    blocking: list[RowPlan] = []
    idle = 0
    for row in plan.rows:
        if row.kind == INVALID or (
            row.kind == DUPLICATE and resolutions.get((row.index, ROW)) != THEIRS
        ):
            blocking.append(row)
            continue
        if row.kind in (NEW, DUPLICATE):
            values = {k: v for k, v in row.change.values.items() if v not in (None, "", [])}
            todo.append((row, values))
            continue
        chosen = {
            f.field: resolutions.get((row.index, f.field)) for f in row.fields if f.kind == CONFLICT
        }
        if any(choice not in (OURS, THEIRS) for choice in chosen.values()):
            blocking.append(row)
            continue
        values = {
            f.field: f.theirs
            for f in row.fields
            if f.kind == CHANGED or (f.kind == CONFLICT and chosen[f.field] == THEIRS)
        }
        if values:
            todo.append((row, values))
        else:
            idle += 1
    return todo, blocking, idle


def apply_plan(
    db: Database,
    plan: Plan,
    resolutions: Mapping[tuple[int, str], str],
    *,
    apply_rest: bool,
    origin: str,
    on_progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> ApplyResult:
    with db.write() as session:
        return write_plan(
            session,
            db,
            plan,
            resolutions,
            apply_rest=apply_rest,
            origin=origin,
            on_progress=on_progress,
            is_cancelled=is_cancelled,
        )


def write_plan(
    session: Session,
    db: Database,
    plan: Plan,
    resolutions: Mapping[tuple[int, str], str],
    *,
    apply_rest: bool,
    origin: str,
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ApplyResult:
    """Write the plan in the caller's transaction; a refusal raises ChangesetRefused."""
    todo, blocking, idle = writes_of(plan, resolutions)
    if blocking and not apply_rest:
        raise ChangesetRefused(
            f"Nothing was written: {_summary(blocking)}. Fix or resolve them, or apply the "
            "other rows only."
        )
    batch = new_id()
    actor = records.Actor(db.clerk, origin, batch)
    desk = Desk.for_database(db.as_(origin=origin))
    order = {name: i for i, name in enumerate(TYPE_ORDER)}
    todo.sort(key=lambda item: (order.get(item[0].record_type, 99), item[0].index))
    created: dict[str, int] = defaultdict(int)
    updated: dict[str, int] = defaultdict(int)
    # New records first (what updates point at must exist), then the plain updates in bulk,
    # then the updates that need a record at a time (stage changes, link lists, sync).
    # A sync's rows are written by changeset_sync, one kind of record after another.
    synced = [(r, v) for r, v in todo if r.change.base_values is not None]
    own = [(r, v) for r, v in todo if r.change.base_values is None]
    fresh = [(r, v) for r, v in own if r.kind in (NEW, DUPLICATE)]
    updates = [(r, v) for r, v in own if r.kind not in (NEW, DUPLICATE)]
    plain = [(r, v) for r, v in updates if bulk_writes.plain_update(r, v)]
    rest = [(r, v) for r, v in updates if not bulk_writes.plain_update(r, v)]
    try:
        made = create_rows(
            session,
            desk,
            actor,
            fresh,
            db.today(),
            lambda done: _check(done, len(todo), on_progress, is_cancelled),
        )
        for kind, count in made.items():
            created[kind] += count
        for kind, count in bulk_writes.update_rows(session, desk, actor, plain).items():
            updated[kind] += count
        for done, (row, values) in enumerate(rest, start=len(fresh) + len(plain) + 1):
            _check(done, len(todo), on_progress, is_cancelled)
            _update(session, desk, actor, row, values, db.today())
            updated[row.record_type] += 1
        for kind, (new, changed) in changeset_sync.write_rows(
            session, desk, actor, synced, TYPE_ORDER
        ).items():
            created[kind] += new
            updated[kind] += changed
        session.flush()
    except ConflictError as exc:
        raise ChangesetRefused(
            f"{exc.label} was changed in MoU Desk after the preview ({exc}); nothing was "
            "written. Preview the import again."
        ) from exc
    except ValidationError as exc:
        raise ChangesetRefused(f"Nothing was written: {exc}") from exc
    except IntegrityError as exc:
        detail = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        raise ChangesetRefused(
            f"The database refused the changes ({detail}); nothing was written."
        ) from exc
    if on_progress is not None:
        on_progress(len(todo), len(todo))
    types = set(created) | set(updated)
    return ApplyResult(
        batch_id=batch,
        origin=origin,
        created=sum(created.values()),
        updated=sum(updated.values()),
        skipped=len(blocking),
        unchanged=plan.unchanged + idle,
        by_type={t: (created[t], updated[t]) for t in sorted(types)},
    )


def _check(
    done: int, total: int, on_progress: Progress | None, is_cancelled: Callable[[], bool] | None
) -> None:
    if done % 200 == 0:
        if is_cancelled is not None and is_cancelled():
            raise ApplyCancelled
        if on_progress is not None:
            on_progress(done, total)


def _update(
    session: Session,
    desk: Desk,
    actor: records.Actor,
    row: RowPlan,
    values: dict[str, Any],
    today: date,
) -> None:
    service = desk.service(row.record_type)
    data = dict(values)
    record_id = row.record_id or ""
    current = records.get_live(session, row.record_type, record_id, lock=True)
    if current.version != row.current_version:
        raise ConflictError(row.record_type, record_id, row.label, [], current.version)
    if row.record_type == "mou" and PIPELINE_FIELDS & set(data):
        assert isinstance(current, Mou)
        _stage_event(session, actor, current, data, row.change.reason, today)
    service.prepare(session, data, current)
    records.update(session, actor, row.record_type, record_id, data, current.version)


def _stage_event(
    session: Session,
    actor: records.Actor,
    mou: Mou,
    data: dict[str, Any],
    reason: str,
    today: date,
) -> None:
    """Record a stage or status change as the stage service does."""
    stage = Stage(str(data.get("stage", mou.stage)))
    status = Status(str(data.get("status", mou.status)))
    if stage == mou.stage and status == mou.status:
        return
    on = data.get("stage_since") if stage != mou.stage else None
    on = on or today
    if stage != mou.stage:
        data.setdefault("stage_since", on)
    data["last_activity_on"] = max(on, mou.last_activity_on)
    session.add(
        StageEvent(
            mou_id=mou.id,
            from_stage=mou.stage,
            to_stage=stage,
            from_status=mou.status,
            to_status=status,
            effective_on=on,
            reason=reason.strip() or "Workbook import",
            actor=actor.clerk,
        )
    )
