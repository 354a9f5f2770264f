"""Planning a changeset in bulk: a few set-based queries per chunk of rows, not one per row.

For each chunk the current values of every referenced record are read in one query per record
kind (plus one for link fields); rows whose values all equal the database's are counted and
dropped at once by comparing whole tuples. Only rows that differ are looked at field by field,
and only rows based on an older version read the change log (again in one query) to recover
the values they were based on. The database's side and how values compare are in
changeset_values, the field-by-field judgement in changeset_fields, the rules in
changeset_rules and the checks of the whole plan in changeset_checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mou_desk.domain.errors import DeskError
from mou_desk.services import changeset_rules as rules
from mou_desk.services.changeset_checks import (
    check_references,
    find_duplicates,
    foreign_keys,
    label,
    mark,
    row_kind,
)
from mou_desk.services.changeset_fields import compare_fields, new_fields
from mou_desk.services.changeset_sync import compare as sync_compare
from mou_desk.services.changeset_sync import is_sync
from mou_desk.services.changeset_values import CurrentRows, close
from mou_desk.services.changesets import (
    CHANGED,
    CONFLICT,
    INVALID,
    NEW,
    UNCHANGED,
    Plan,
    Progress,
    ProposedChange,
    RowPlan,
)
from mou_desk.services.database import Database
from mou_desk.services.desk import Desk
from mou_desk.services.fields import decode
from mou_desk.services.mous import PIPELINE_FIELDS
from mou_desk.storage.base import new_id
from mou_desk.storage.models import ChangeLogEntry

CHUNK = 1_000


class PlanCancelled(DeskError):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was changed.")


def _batched(items: Iterable[ProposedChange], size: int) -> Iterator[list[ProposedChange]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Planner:
    def __init__(self, db: Database, *, check_rules: bool = True) -> None:
        self.db = db
        self.check_rules = check_rules
        self.today = db.today()
        self.desk = Desk.for_database(db)
        self.plan = Plan()
        self.index = 0
        self.seen: dict[str, str] = {}  # record id -> source of the row that named it
        self.pending: dict[str, set[str]] = defaultdict(set)  # type -> ids created here
        self.refs: dict[str, str] = {}  # MoU reference -> source, among incoming rows
        self._getters: dict[tuple[str, tuple[str, ...]], tuple[Any, Any]] = {}

    def run(
        self,
        changes: Iterable[ProposedChange],
        on_progress: Progress | None,
        is_cancelled: Callable[[], bool] | None,
    ) -> Plan:
        with self.db.read() as session:
            self.session = session
            for chunk in _batched(changes, CHUNK):
                if is_cancelled is not None and is_cancelled():
                    raise PlanCancelled
                self._chunk(session, chunk)
                if on_progress is not None:
                    on_progress(self.index, 0)
            check_references(session, self.plan, self.pending)
            find_duplicates(session, self.plan)
        return self.plan

    # ------------------------------------------------------------------ chunks

    def _chunk(self, session: Session, chunk: list[ProposedChange]) -> None:
        by_type: dict[str, list[tuple[int, ProposedChange]]] = defaultdict(list)
        for change in chunk:
            by_type[change.record_type].append((self.index, change))
            self.index += 1
        rows: list[RowPlan] = []
        for record_type, items in by_type.items():
            ids = [c.record_id for _, c in items if c.record_id]
            current = CurrentRows(session, record_type, ids)
            moved: list[tuple[int, ProposedChange]] = []
            for index, change in items:
                row = self._quick(index, change, current, moved)
                if row is not None:
                    rows.append(row)
            originals = self._originals(session, record_type, moved, current)
            for index, change in moved:
                rows.append(self._compare(session, index, change, current, originals))
        rows.sort(key=lambda r: r.index)
        for row in rows:
            if row.kind == UNCHANGED:
                self.plan.unchanged += 1
                self.plan.unchanged_by_type[row.record_type] += 1
            else:
                self.plan.rows.append(row)

    def _getter(self, record_type: str, keys: tuple[str, ...], current: CurrentRows) -> Any:
        cached = self._getters.get((record_type, keys))
        if cached is None:
            positions = [current.position[k] for k in keys]
            if len(keys) == 1:
                cached = (lambda v, k=keys[0]: (v[k],), lambda t, p=positions[0]: (t[p],))
            else:
                cached = (itemgetter(*keys), itemgetter(*positions))
            self._getters[(record_type, keys)] = cached
        return cached

    def _quick(
        self,
        index: int,
        change: ProposedChange,
        current: CurrentRows,
        moved: list[tuple[int, ProposedChange]],
    ) -> RowPlan | None:
        """Classify a row that needs no change log; queue it in ``moved`` otherwise."""
        record_id = change.record_id
        if record_id is not None:
            other = self.seen.get(record_id)
            if other is not None:
                return self._invalid(
                    index, change, f"The same record is also on {other}; keep one of the rows."
                )
            self.seen[record_id] = change.source
        found = current.rows.get(record_id) if record_id else None
        if found is None:
            if record_id is not None and change.base_version is not None:
                return self._invalid(
                    index,
                    change,
                    (
                        "No record with this ID is in this database: the row may come from another "
                        "database's export. Clear its ID and Version to add it as a new row."
                    ),
                )
            return self._new(index, change)
        version, deleted, values = found
        if deleted and not is_sync(change):
            return self._invalid(
                index,
                change,
                (
                    "This record was deleted in MoU Desk since the export; restore it from the "
                    "Trash first, or delete the row."
                ),
                version,
            )
        base = version if change.base_version is None else change.base_version
        if base > version:
            return self._invalid(
                index,
                change,
                (
                    f"Version {base} is newer than the database's ({version}): this workbook was "
                    "not exported from this database."
                ),
                version,
            )
        keys = tuple(change.values)
        if unknown := [k for k in keys if k not in current.position]:
            return self._invalid(index, change, f"Unknown fields: {', '.join(unknown)}.", version)
        if base == version and not change.errors and not change.alternatives:
            theirs, ours = self._getter(change.record_type, keys, current)
            if theirs(change.values) == ours(values) and (
                not change.checks or self._checks_pass(change, current, values)
            ):
                return RowPlan(index, change, UNCHANGED, [], "", record_id, version)
        if base != version:
            moved.append((index, change))
            return None
        if is_sync(change):
            return self._sync_row(index, change, current)
        return self._compare_with(index, change, current, {})

    def _sync_row(self, index: int, change: ProposedChange, current: CurrentRows) -> RowPlan:
        """A change from another copy: three-way against its base values, no rules re-run."""
        record_id = change.record_id or ""
        ours = current.values(record_id)
        fields = sync_compare(change, ours)
        row = RowPlan(index, change, UNCHANGED, fields, label(change, ours), record_id)
        row.current_version = current.rows[record_id][0]
        row.kind = row_kind(row)
        return row

    @staticmethod
    def _checks_pass(change: ProposedChange, current: CurrentRows, values: tuple[Any, ...]) -> bool:
        position = current.position
        for target, value in change.checks.values():
            if value is None or target not in position:
                continue
            now = values[position[target]]
            if value != now and not close(value, now):
                return False
        return True

    def _originals(
        self,
        session: Session,
        record_type: str,
        moved: list[tuple[int, ProposedChange]],
        current: CurrentRows,
    ) -> dict[str, dict[str, Any]]:
        """Values at each moved row's base version, from the change log, in one query."""
        if not moved:
            return {}
        base = {c.record_id: c.base_version for _, c in moved}
        query = (
            select(
                ChangeLogEntry.record_id,
                ChangeLogEntry.version,
                ChangeLogEntry.field,
                ChangeLogEntry.old_value,
            )
            .where(
                ChangeLogEntry.record_id.in_(list(base)),
                ChangeLogEntry.version > min(v or 0 for v in base.values()),
                ChangeLogEntry.field != "",
            )
            .order_by(ChangeLogEntry.version.desc())
        )
        out: dict[str, dict[str, Any]] = defaultdict(dict)
        for record_id, version, name, old in session.execute(query):
            if version > (base[record_id] or 0) and name in current.position:
                out[record_id][name] = decode(record_type, name, old)  # oldest wins
        return out

    def _compare(
        self,
        session: Session,
        index: int,
        change: ProposedChange,
        current: CurrentRows,
        originals: Mapping[str, Mapping[str, Any]],
    ) -> RowPlan:
        return self._compare_with(index, change, current, originals.get(change.record_id or ""))

    def _compare_with(
        self,
        index: int,
        change: ProposedChange,
        current: CurrentRows,
        original: Mapping[str, Any] | None,
    ) -> RowPlan:
        record_id = change.record_id or ""
        version = current.rows[record_id][0]
        ours_all = current.values(record_id)
        fields = compare_fields(change, ours_all, original)
        row = RowPlan(index, change, UNCHANGED, fields, label(change, ours_all), record_id, version)
        changed = {f.field: f.theirs for f in fields if f.kind in (CHANGED, CONFLICT)}
        if changed:
            row.current = ours_all
            self._rules(row, changed, ours_all)
        row.kind = row_kind(row)
        return row

    # ------------------------------------------------------------------ new and invalid

    def _invalid(
        self, index: int, change: ProposedChange, message: str, version: int | None = None
    ) -> RowPlan:
        return RowPlan(
            index, change, INVALID, [], label(change, None), change.record_id, version, [message]
        )

    def _new(self, index: int, change: ProposedChange) -> RowPlan:
        record_id = change.record_id or new_id()
        row = RowPlan(index, change, NEW, new_fields(change), label(change, None), record_id)
        self.pending[change.record_type].add(record_id)
        self._rules(row, dict(change.values), None)
        row.kind = row_kind(row)
        return row

    # ------------------------------------------------------------------ rules

    def _rules(
        self, row: RowPlan, changed: dict[str, Any], current: Mapping[str, Any] | None
    ) -> None:
        record_type = row.record_type
        if is_sync(row.change):
            return  # the peer's services checked it; merged combinations are not re-judged
        if row.kind != NEW and record_type == "mou" and self.check_rules and current:
            pipeline = {k: v for k, v in changed.items() if k in PIPELINE_FIELDS}
            if pipeline:
                merged = {**changed}
                for name, message in rules.pipeline_problems(
                    merged, current, row.change.reason, self.today
                ).items():
                    mark(row, name, message)
        foreign = foreign_keys(record_type)
        checked = {k: v for k, v in changed.items() if k not in foreign}
        try:
            service = self.desk.service(record_type)
        except KeyError:
            return
        problems = rules.service_problems(
            self.session, service, checked, None if row.kind == NEW else row.record_id, current
        )
        for name, message in problems.items():
            mark(row, name, message)
        ref = changed.get("ref") if record_type == "mou" else None
        if ref:
            other = self.refs.get(str(ref))
            if other is not None:
                mark(row, "ref", f"Reference {ref} is also used on {other}.")
            self.refs[str(ref)] = row.source or f"row {row.index + 1}"
