"""The replica's side, second half: take upstream's reply, then remember the new base.

For every record of the reply the three-way base is worked out first. Where upstream took
what the replica sent (its value equals the one sent), that value is the base — so an edit
the clerk made here while the sync ran counts as a change of its own, not a conflict; where it
did not, the old base stays. A record the replica sent as new has what it sent as its base.
The reply's records then go through plan/apply like any changeset (conflicts keep this
side's value unless the clerk decided otherwise), together with their stage events, change
log entries and files, the clerks' roles, the new sync base of every record and the kept
conflicts — one local transaction, so a sync interrupted before it commits leaves the replica
exactly as it was, and running it again finds upstream already holding what was sent.

The new base of a field is the value both copies now hold; where they still differ it stays
the old base, so the difference is looked at again on the next sync: a kept conflict (both
changed since the base), or a change one side has not taken yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from mou_desk.domain.errors import ConflictError
from mou_desk.services import changesets, records
from mou_desk.services.changeset_sync import DELETED
from mou_desk.services.changesets import ChangesetRefused, Plan, ProposedChange
from mou_desk.services.database import Database
from mou_desk.services.sync.accept import ATTEMPTS, SyncCancelled, SyncRefused, resolve_plan
from mou_desk.services.sync.bundle import Decision, InRecord, Reply, existing, insert_missing
from mou_desk.services.sync.outbox import read_decisions, require_peer
from mou_desk.services.sync.refs import free_ref, holders, refs_like
from mou_desk.services.sync.snapshots import (
    Snapshot,
    Values,
    decoded,
    read_all_snapshots,
    read_bases_of,
)
from mou_desk.services.sync.state import BaseRow, database_id, mark_peer, read_bases
from mou_desk.services.sync.state import write_bases as store_bases
from mou_desk.services.sync.tables import chunks, table_of
from mou_desk.storage.base import utcnow
from mou_desk.storage.models import (
    AttachmentBlob,
    ChangeLogEntry,
    ClerkRole,
    Mou,
    StageEvent,
    SyncConflict,
)
from mou_desk.storage.models.access import Role


@dataclass
class Absorbed:
    created: int = 0
    updated: int = 0
    conflicts_new: int = 0
    conflicts_waiting: int = 0
    conflicts_resolved: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Prepared:
    fresh: list[InRecord]
    stars: dict[str, Values]
    changes: list[ProposedChange]
    decisions: list[Decision]
    #: deleted here and upstream: their fields follow upstream's
    tombstones: set[str]


@dataclass(frozen=True)
class _Conflict:
    record_type: str
    label: str
    mine: str | None
    theirs: str | None
    original: str | None


def absorb(
    db: Database,
    reply: Reply,
    *,
    origin: str,
    is_cancelled: Callable[[], bool] | None = None,
) -> Absorbed:
    """Apply upstream's reply to the replica ``db`` (pulling is the program's own work: a
    viewer's replica takes upstream's changes too)."""
    admin = db.with_role(Role.ADMIN)
    for attempt in range(ATTEMPTS):
        prepared = _prepare(admin, reply)
        plan = changesets.plan(admin, prepared.changes, check_rules=False)
        resolutions = resolve_plan(
            plan, prepared.decisions, incoming_is_mine=False, take_incoming=prepared.tombstones
        )
        if is_cancelled is not None and is_cancelled():
            raise SyncCancelled
        try:
            with admin.write() as session:
                return _write(session, admin, reply, prepared, plan, resolutions, origin)
        except ChangesetRefused as exc:
            if isinstance(exc.__cause__, ConflictError) and attempt + 1 < ATTEMPTS:
                continue  # the clerk saved meanwhile: look again
            raise
    raise AssertionError("unreachable")


def three_way_base(
    old: Values | None, sent: Values | None, theirs: Mapping[str, str | None]
) -> Values:
    """The base to merge upstream's values against (see the module docstring)."""
    if old is None:  # no base yet: new here (sent as it was) or new from upstream
        return dict(sent) if sent is not None else {}
    if not old:  # the base is unknown: only what upstream took from us is common
        return {f: v for f, v in theirs.items() if sent is not None and sent.get(f) == v}
    return {
        f: (v if sent is not None and sent.get(f) == v else old.get(f)) for f, v in theirs.items()
    }


def _prepare(db: Database, reply: Reply) -> _Prepared:
    with db.read() as session:
        connection = session.connection()
        peer = require_peer(connection)
        if reply.source_id != peer.database_id or reply.target_id != database_id(connection):
            raise SyncRefused(
                "This answer was written for another replica (or by another database); "
                "nothing was changed."
            )
        wanted: dict[str, list[str]] = defaultdict(list)
        for record in reply.records:
            wanted[record.record_type].append(record.record_id)
        bases = read_bases(connection, (r.record_id for r in reply.records))
        local = read_all_snapshots(connection, wanted)
        base_values = read_bases_of(connection, local, bases)
        decisions = read_decisions(connection)
    fresh = [
        r
        for r in reply.records
        if r.record_id not in bases or bases[r.record_id].remote_version <= r.version
    ]
    stars: dict[str, Values] = {}
    updates: list[ProposedChange] = []
    creates: list[ProposedChange] = []
    for record in fresh:
        mine = local.get(record.record_id)
        star = three_way_base(
            base_values.get(record.record_id), reply.sent.get(record.record_id), record.values
        )
        stars[record.record_id] = star
        if mine is not None and mine.values == record.values:
            continue
        change = ProposedChange(
            record.record_type,
            record.record_id,
            None,
            decoded(record.record_type, record.values),
            source="upstream",
            base_values=star if mine is not None else {},
        )
        (updates if mine is not None else creates).append(change)
    tombstones = {
        r.record_id
        for r in fresh
        if r.values.get(DELETED) == "1" and (mine := local.get(r.record_id)) and mine.deleted
    }
    return _Prepared(fresh, stars, updates + creates, decisions, tombstones)


def _write(
    session: Session,
    db: Database,
    reply: Reply,
    prepared: _Prepared,
    plan: Plan,
    resolutions: dict[tuple[int, str], str],
    origin: str,
) -> Absorbed:
    connection = session.connection()
    done = Absorbed(problems=list(reply.problems), renumbered=list(reply.renumbered))
    done.renumbered += _make_room(session, db, prepared, origin)
    insert_missing(
        connection,
        table_of(AttachmentBlob),
        [{"sha256": sha, "size": len(data), "data": data} for sha, data in reply.blobs.items()],
        key="sha256",
    )
    result = changesets.apply_in(session, db, plan, resolutions, apply_rest=True, origin=origin)
    done.created, done.updated = result.created, result.updated
    done.problems += [
        f"{row.label}: {' '.join(row.messages()) or row.kind}"
        for row in plan.of_kind(changesets.INVALID)
    ]
    events = reply.stage_events
    mous = existing(connection, table_of(Mou), "id", (e["mou_id"] for e in events))
    insert_missing(connection, table_of(StageEvent), [e for e in events if e["mou_id"] in mous])
    insert_missing(connection, table_of(ChangeLogEntry), reply.change_log, version=0)
    _replace_roles(connection, reply)
    wanted: dict[str, list[str]] = defaultdict(list)
    for record in prepared.fresh:
        wanted[record.record_type].append(record.record_id)
    after = read_all_snapshots(connection, wanted)
    bases: dict[str, BaseRow] = {}
    found: dict[tuple[str, str], _Conflict] = {}
    for record in prepared.fresh:
        now = after.get(record.record_id)
        if now is None:
            continue  # not created here (left out): it stays new to this replica
        star = prepared.stars[record.record_id]
        conflicts = _conflicts(record, now, star)
        bases[record.record_id] = BaseRow(
            record.record_type, now.version, record.version, new_base(record, now, star, conflicts)
        )
        for name, conflict in conflicts.items():
            found[(record.record_id, name)] = conflict
    store_bases(connection, bases)
    _bookkeep(connection, found, {r.record_id for r in prepared.fresh}, done)
    mark_peer(connection, last_synced_at=utcnow())
    return done


def new_base(
    record: InRecord, now: Snapshot, star: Values, conflicts: Mapping[str, _Conflict]
) -> Values:
    """The fields whose base differs from this copy's values now (see the module docstring).

    A field both copies now hold alike has that value as its base; one they still hold
    differently keeps the old base and is stored, so the record is looked at again on every
    sync until they agree. A record deleted on one side and edited on the other keeps its
    whole old base while the clerk decides: the edit stays an edit, and the deletion a
    deletion, whatever the two copies do to its fields meanwhile.
    """
    held = DELETED in conflicts
    overrides: Values = {}
    for name, theirs in record.values.items():
        mine = now.values.get(name)
        base = star.get(name) if held or mine != theirs else theirs
        if base != mine or mine != theirs:
            overrides[name] = base
    return overrides


def _conflicts(record: InRecord, now: Snapshot, star: Values) -> dict[str, _Conflict]:
    """Fields changed on both sides to different values; a deletion against an edit."""
    mine, theirs = now.values, record.values
    if mine == theirs:
        return {}

    def conflict(name: str) -> _Conflict:
        return _Conflict(
            record.record_type, now.label, mine.get(name), theirs.get(name), star.get(name)
        )

    deleted_here, deleted_there = mine.get(DELETED) == "1", theirs.get(DELETED) == "1"
    if deleted_here and deleted_there:
        return {}
    if deleted_here != deleted_there:
        was = star.get(DELETED)
        if was not in ("0", "1"):
            return {DELETED: conflict(DELETED)}
        editor = theirs if mine.get(DELETED) != was else mine
        edited = any(v != star.get(f) for f, v in editor.items() if f != DELETED)
        return {DELETED: conflict(DELETED)} if edited else {}
    return {
        name: conflict(name)
        for name, value in theirs.items()
        if mine.get(name) != value and star.get(name) not in (mine.get(name), value)
    }


def _bookkeep(
    connection: Connection,
    found: Mapping[tuple[str, str], _Conflict],
    looked_at: set[str],
    done: Absorbed,
) -> None:
    """Keep every conflict found; close those the records no longer have."""
    table = table_of(SyncConflict)
    now = utcnow()
    open_rows: dict[tuple[str, str], dict[str, object]] = {}
    for part in chunks(sorted(looked_at)):
        query = select(table).where(table.c.record_id.in_(part), table.c.resolved_at.is_(None))
        for found_row in connection.execute(query):
            data = dict(found_row._mapping)
            open_rows[(str(data["record_id"]), str(data["field"]))] = data
    for (record_id, name), conflict in found.items():
        row = open_rows.get((record_id, name))
        values = {"mine": conflict.mine, "theirs": conflict.theirs, "original": conflict.original}
        if row is None:
            connection.execute(
                insert(table).values(
                    record_type=conflict.record_type,
                    record_id=record_id,
                    label=conflict.label[:300],
                    field=name,
                    detected_at=now,
                    **values,
                )
            )
            done.conflicts_new += 1
        elif (row["mine"], row["theirs"]) != (conflict.mine, conflict.theirs):
            # the values moved since: a decision taken on the old ones no longer holds
            connection.execute(
                update(table)
                .where(table.c.id == row["id"])
                .values(decision=None, decided_by="", decided_at=None, **values)
            )
    for key, kept in open_rows.items():
        if key not in found:
            connection.execute(
                update(table)
                .where(table.c.id == kept["id"])
                .values(resolved_at=now, resolution=kept["decision"] or "agreed")
            )
            done.conflicts_resolved += 1
    done.conflicts_waiting = len(
        connection.execute(
            select(table.c.id).where(table.c.resolved_at.is_(None), table.c.decision.is_(None))
        ).all()
    )


def _make_room(
    session: Session, db: Database, prepared: _Prepared, origin: str
) -> list[tuple[str, str]]:
    """A new MoU from upstream whose reference an MoU made here (and not yet taken upstream)
    holds: the one made here takes the next free number."""
    incoming = {
        str(r.values["ref"]): r.record_id
        for r in prepared.fresh
        if r.record_type == "mou" and r.values.get("ref")
    }
    if not incoming:
        return []
    connection = session.connection()
    in_reply = {r.record_id for r in prepared.fresh}
    actor = records.Actor(db.clerk, origin)
    moved: list[tuple[str, str]] = []
    clashes = {
        ref: holder
        for ref, holder in holders(connection, set(incoming)).items()
        if holder != incoming[ref] and holder not in in_reply
    }
    synced = read_bases(connection, clashes.values())
    for ref, holder in clashes.items():
        mou = session.get(Mou, holder)
        if holder in synced or mou is None or mou.deleted_at is not None:
            continue  # upstream knows it: its own rename comes with a later sync
        new = free_ref(ref, refs_like(connection, ref) | set(incoming))
        records.update(session, actor, "mou", holder, {"ref": new}, mou.version)
        moved.append((ref, new))
    return moved


def _replace_roles(connection: Connection, reply: Reply) -> None:
    table = table_of(ClerkRole)
    connection.execute(delete(table))
    if reply.roles:
        connection.execute(insert(table), reply.roles)
