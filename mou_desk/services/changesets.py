"""Changesets: a set of proposed changes, planned field by field, shown, then applied at once.

A workbook import and a sync between two databases are the same operation (DESIGN.md). Each
:class:`ProposedChange` names a record (or none, for a new one), the version it was based on
and the values it wants. :func:`plan` compares them with the database in bulk and classifies
every row and field:

- *new*: no record yet (no id, or an id the database has never seen and no base version);
- *unchanged*: nothing differs (also when only the database changed since the base);
- *changed*: fields changed on the incoming side only (old -> new); they merge cleanly;
- *conflict*: a field changed both in the database since the base version and on the
  incoming side, to different values (the base comes from the change log);
- *invalid*: a value breaks a rule (an unreadable date, an unknown partner, a stage jump);
- *possible duplicate*: a new MoU that looks like an existing one (same lead partner,
  near-identical title); flagged, never created silently.

In a conflict "ours" is the database's current value and "theirs" the incoming one;
"original" is the value at the base version. :func:`apply` writes a plan in one transaction
(all or nothing) with every change logged under one batch id, and :func:`revert` undoes an
applied batch as long as none of its records was changed again afterwards.

A sync between two copies of the database uses the same machinery: its changes carry
``base_values`` (the values when the copies last agreed) instead of a version, since versions
are counted per copy; see services.changeset_sync. :func:`apply_in` writes a plan inside a
transaction the caller holds, so that a sync commits its records, their stage history and its
own bookkeeping together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy.orm import Session

from mou_desk.domain.errors import DeskError
from mou_desk.services.database import Database

NEW: Final = "new"
CHANGED: Final = "changed"
UNCHANGED: Final = "unchanged"
CONFLICT: Final = "conflict"
INVALID: Final = "invalid"
DUPLICATE: Final = "possible-duplicate"
ROW_KINDS: Final = (NEW, CHANGED, UNCHANGED, CONFLICT, INVALID, DUPLICATE)
#: the key of a row-level resolution (a possible duplicate: "theirs" creates it anyway)
ROW: Final = ""

OURS: Final = "ours"
THEIRS: Final = "theirs"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ProposedChange:
    """One incoming row: which record, based on which version, wanting which values."""

    record_type: str
    record_id: str | None
    base_version: int | None
    values: Mapping[str, Any]
    #: where the row came from, for messages ("MoUs!12", "peer laptop-3")
    source: str = ""
    #: field -> where its value came from ("MoUs!N12"), so a message can name the cell
    cells: Mapping[str, str] = field(default_factory=dict)
    #: field -> problem found while reading the value (an unreadable date)
    errors: Mapping[str, str] = field(default_factory=dict)
    #: field -> the ids an ambiguous value could mean; the current one is kept if among them
    alternatives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: why the stage or status changed (moving back, dropping and holding need one)
    reason: str = ""
    #: how to name the row to a person when it has no reference yet
    label: str = ""
    #: the incoming row as read, so that an error workbook can repeat it
    raw: tuple[object, ...] = ()
    #: read-only values shown to the other side: key -> (field, value as it came back). A
    #: value that differs from the field's value at the base version was typed over: invalid.
    checks: Mapping[str, tuple[str, Any]] = field(default_factory=dict)
    #: a sync: the canonical text of every field (and "deleted") when the two copies last
    #: agreed, used instead of ``base_version``; {} when they share no base. None: not a sync.
    base_values: Mapping[str, str | None] | None = None


@dataclass(frozen=True)
class FieldPlan:
    field: str
    kind: str  # new, changed, conflict or invalid
    ours: Any = None  # the database's value now
    theirs: Any = None  # the incoming value
    original: Any = None  # the value at the base version
    message: str = ""
    cell: str = ""


@dataclass
class RowPlan:
    index: int  # position in the incoming changes
    change: ProposedChange
    kind: str
    fields: list[FieldPlan]
    label: str
    record_id: str | None = None  # the record written (pre-assigned for new rows)
    current_version: int | None = None
    problems: list[str] = field(default_factory=list)  # row-level messages
    duplicate_of: str | None = None
    #: every field's value in the database when planned (rows with changes only)
    current: Mapping[str, Any] | None = field(default=None, repr=False)

    @property
    def record_type(self) -> str:
        return self.change.record_type

    @property
    def source(self) -> str:
        return self.change.source

    def field_plan(self, name: str) -> FieldPlan | None:
        return next((f for f in self.fields if f.field == name), None)

    def messages(self) -> list[str]:
        """Every problem of the row, each naming its cell when known."""
        out = list(self.problems)
        for f in self.fields:
            if f.kind in (INVALID, CONFLICT) and f.message:
                out.append(f"{f.cell}: {f.message}" if f.cell else f.message)
        return out


@dataclass
class Plan:
    """Every incoming row that is not unchanged, in input order, and counts of all."""

    rows: list[RowPlan] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    #: how many rows of each record type were unchanged
    unchanged_by_type: Counter[str] = field(default_factory=Counter)

    def of_kind(self, *kinds: str) -> list[RowPlan]:
        return [r for r in self.rows if r.kind in kinds]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.kind for r in self.rows)
        return {kind: (self.unchanged if kind == UNCHANGED else found[kind]) for kind in ROW_KINDS}

    @property
    def total(self) -> int:
        return len(self.rows) + self.unchanged

    @property
    def blocking(self) -> list[RowPlan]:
        """Rows that stop an all-or-nothing apply until resolved."""
        return self.of_kind(CONFLICT, INVALID, DUPLICATE)

    def has_changes(self) -> bool:
        return any(r.kind in (NEW, CHANGED) for r in self.rows)


@dataclass(frozen=True)
class ApplyResult:
    batch_id: str
    origin: str
    created: int
    updated: int
    skipped: int  # rows left out: invalid, unresolved conflicts, duplicates
    unchanged: int
    by_type: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # type -> (new, upd)


class ChangesetRefused(DeskError):
    """The changeset cannot be applied as it is; nothing was written."""


Resolutions = Mapping[tuple[int, str], str]


def plan(
    db: Database,
    changes: Iterable[ProposedChange],
    *,
    check_rules: bool = True,
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Plan:
    """Classify ``changes`` against the database, reading it in a few set-based queries.

    ``check_rules`` applies the stage rules to stage and status changes (a workbook); a sync
    from a peer that already applied them may turn it off.
    """
    from mou_desk.services.changeset_plan import Planner

    return Planner(db, check_rules=check_rules).run(changes, on_progress, is_cancelled)


def apply(
    db: Database,
    plan: Plan,
    resolutions: Resolutions | None = None,
    *,
    apply_rest: bool = False,
    origin: str = "changeset",
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ApplyResult:
    """Write the plan in one transaction, or nothing.

    ``resolutions`` maps (row index, field) to "ours" (keep the database's value) or "theirs"
    (take the incoming one); (row index, "") = "theirs" creates a possible duplicate anyway.
    Unresolved conflicts, invalid rows and duplicates refuse the whole apply with
    ChangesetRefused, unless ``apply_rest``: then those rows are left out and the rest written.
    """
    from mou_desk.services.changeset_apply import apply_plan

    return apply_plan(
        db,
        plan,
        resolutions or {},
        apply_rest=apply_rest,
        origin=origin,
        on_progress=on_progress,
        is_cancelled=is_cancelled,
    )


def apply_in(
    session: Session,
    db: Database,
    plan: Plan,
    resolutions: Resolutions | None = None,
    *,
    apply_rest: bool = False,
    origin: str = "changeset",
) -> ApplyResult:
    """:func:`apply` inside the caller's write transaction (``session`` from ``db.write()``).

    Refusals raise ChangesetRefused; the caller's transaction then rolls everything back.
    """
    from mou_desk.services.changeset_apply import write_plan

    return write_plan(session, db, plan, resolutions or {}, apply_rest=apply_rest, origin=origin)


def revert(db: Database, batch_id: str) -> ApplyResult:
    """Undo an applied batch: created records go to the Trash, changed fields get their old
    values back. Refused, with nothing changed, if a record was changed again afterwards."""
    from mou_desk.services.changeset_revert import revert_batch

    return revert_batch(db, batch_id)
