"""Upstream's side: take a replica's changes through plan/apply, then answer with a reply.

The replica's records are planned against upstream with the base values they carry
(services.changeset_sync): fields changed only on the replica are written, fields changed on
both sides stay as upstream has them (the conflict is kept on the replica, where the clerk
decides it), unless the clerk already decided it and the values are still those decided on.
The records, their stage events, change-log entries and files are committed in one
transaction. The reply is then read in one snapshot: upstream's present state of every record
the replica sent and of every record in the replica's scope whose version moved since the
replica last saw it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from mou_desk.domain.errors import ConflictError, DeskError
from mou_desk.services import changesets
from mou_desk.services.changeset_apply import writes_of
from mou_desk.services.changeset_sync import text_of
from mou_desk.services.changesets import (
    CONFLICT,
    DUPLICATE,
    INVALID,
    OURS,
    THEIRS,
    ChangesetRefused,
    Plan,
    ProposedChange,
)
from mou_desk.services.database import Database
from mou_desk.services.sync.bundle import (
    Decision,
    InRecord,
    Outbox,
    Reply,
    Row,
    existing,
    insert_missing,
    read_rows,
)
from mou_desk.services.sync.refs import free_ref, holders, refs_like
from mou_desk.services.sync.scope import ScopeFilter, references, scope_ids
from mou_desk.services.sync.snapshots import (
    Snapshot,
    decoded,
    read_snapshots,
    read_versions,
    record_types,
)
from mou_desk.services.sync.state import database_id
from mou_desk.services.sync.tables import table_of
from mou_desk.storage.base import utcnow
from mou_desk.storage.models import (
    RECORD_TYPES,
    Attachment,
    AttachmentBlob,
    ChangeLogEntry,
    ClerkRole,
    Mou,
    StageEvent,
)

#: a save by another clerk between planning and writing: plan again, this many times at most
ATTEMPTS = 3


class SyncRefused(DeskError):
    """The two databases cannot be synced as asked; nothing was changed."""


def check_pair(here: str, outbox: Outbox) -> None:
    if here == outbox.source_id:
        raise SyncRefused("A database cannot be synced with itself; nothing was changed.")
    if here != outbox.target_id:
        raise SyncRefused(
            "This replica was made from another database (its id is "
            f"{outbox.target_id}, this one's is {here}); nothing was changed. Sync it with the "
            "database it was made from."
        )


def accept(
    db: Database, outbox: Outbox, *, is_cancelled: Callable[[], bool] | None = None
) -> Reply:
    """Apply the outbox to upstream ``db`` and return the reply for the replica."""
    with db.read() as session:
        check_pair(database_id(session.connection()), outbox)
        renames = _renumber(session.connection(), outbox)
    origin = f"sync:{outbox.name}"
    changes = [
        ProposedChange(
            record.record_type,
            record.record_id,
            None,
            decoded(record.record_type, _renamed(record.values, renames.get(record.record_id))),
            source=outbox.name,
            base_values=record.base if record.base is not None else {},
        )
        for record in outbox.records
    ]
    pushed: dict[str, int] = {}
    plan = Plan()
    for attempt in range(ATTEMPTS):
        plan = changesets.plan(db, changes, check_rules=False)
        resolutions = resolve_plan(plan, outbox.decisions, incoming_is_mine=True)
        if is_cancelled is not None and is_cancelled():
            raise SyncCancelled
        try:
            pushed = _write(db, plan, resolutions, outbox, origin)
            break
        except ChangesetRefused as exc:
            if isinstance(exc.__cause__, ConflictError) and attempt + 1 < ATTEMPTS:
                continue
            raise
    reply = _reply(db, outbox)
    reply.pushed = pushed
    reply.renumbered = [
        (str(r.values.get("ref")), renames[r.record_id])
        for r in outbox.records
        if r.record_id in renames and r.values.get("ref") != renames[r.record_id]
    ]
    reply.problems = [
        f"{row.label}: {' '.join(row.messages()) or row.kind}"
        for row in plan.of_kind(INVALID, DUPLICATE)
    ]
    return reply


class SyncCancelled(DeskError):
    def __init__(self) -> None:
        super().__init__("The sync was cancelled before anything was written.")


def resolve_plan(
    plan: Plan,
    decisions: list[Decision],
    *,
    incoming_is_mine: bool,
    take_incoming: Collection[str] = (),
) -> dict[tuple[int, str], str]:
    """Every conflict keeps this side's value, unless the clerk decided it on these values.

    ``take_incoming``: records whose conflicts take the incoming values without asking
    (deleted on both sides: a tombstone's fields are nobody's work any more).
    """
    decided = {(d.record_id, d.field): d for d in decisions}
    out: dict[tuple[int, str], str] = {}
    for row in plan.rows:
        for fp in row.fields:
            if fp.kind != CONFLICT:
                continue
            choice = THEIRS if row.record_id in take_incoming else OURS
            decision = decided.get((row.record_id or "", fp.field))
            if decision is not None:
                ours, theirs = text_of(fp.field, fp.ours), text_of(fp.field, fp.theirs)
                mine, other = (theirs, ours) if incoming_is_mine else (ours, theirs)
                if (mine, other) == (decision.mine, decision.theirs):
                    wants_incoming = (decision.choice == "mine") == incoming_is_mine
                    choice = THEIRS if wants_incoming else OURS
            out[(row.index, fp.field)] = choice
    return out


def _renamed(values: dict[str, str | None], ref: str | None) -> dict[str, str | None]:
    return values if ref is None else {**values, "ref": ref}


def _renumber(connection: Connection, outbox: Outbox) -> dict[str, str]:
    """New MoUs whose reference upstream gave to another MoU: record id -> the ref to use."""
    new = {
        r.record_id: str(r.values["ref"])
        for r in outbox.records
        if r.record_type == "mou" and r.base is None and r.values.get("ref")
    }
    if not new:
        return {}
    held = holders(connection, set(new.values()))
    here = dict(connection.execute(select(Mou.id, Mou.ref).where(Mou.id.in_(list(new)))).all())
    used = set(held) | {str(r.values.get("ref")) for r in outbox.records if r.record_type == "mou"}
    renames: dict[str, str] = {}
    for record_id, ref in new.items():
        holder = held.get(ref)
        if holder is None or holder == record_id:
            continue
        if record_id in here:  # sent before, renumbered then: keep that number
            renames[record_id] = str(here[record_id])
            continue
        used |= refs_like(connection, ref)
        renames[record_id] = free_ref(ref, used)
        used.add(renames[record_id])
    return renames


def _write(
    db: Database,
    plan: Plan,
    resolutions: dict[tuple[int, str], str],
    outbox: Outbox,
    origin: str,
) -> dict[str, int]:
    events, log = table_of(StageEvent), table_of(ChangeLogEntry)
    blobs = table_of(AttachmentBlob)
    with db.read() as session:
        connection = session.connection()
        missing = _missing(connection, events, outbox.stage_events, "id")
        missing += _missing(connection, log, outbox.change_log, "id")
        missing += len(set(outbox.blobs) - existing(connection, blobs, "sha256", outbox.blobs))
    counts = dict(plan.counts)
    todo, _left_out, _idle = writes_of(plan, resolutions)
    if not todo and not missing:
        return {"created": 0, "updated": 0, "conflicts": counts[CONFLICT], "left_out": 0}
    with db.write() as session:
        connection = session.connection()
        insert_missing(
            connection,
            blobs,
            [
                {"sha256": sha, "size": len(data), "data": data}
                for sha, data in outbox.blobs.items()
            ],
            key="sha256",
        )
        result = changesets.apply_in(session, db, plan, resolutions, apply_rest=True, origin=origin)
        mous = existing(connection, table_of(Mou), "id", (e["mou_id"] for e in outbox.stage_events))
        arrived = insert_missing(
            connection, events, [e for e in outbox.stage_events if e["mou_id"] in mous]
        )
        entries = insert_missing(connection, log, outbox.change_log, version=0)
        _touch(
            session,
            {("mou", e["mou_id"]) for e in arrived}
            | {(e["record_type"], e["record_id"]) for e in entries},
        )
    return {
        "created": result.created,
        "updated": result.updated,
        "conflicts": counts[CONFLICT],
        "left_out": result.skipped,
    }


def _touch(session: Session, touched: set[tuple[str, str]]) -> None:
    """Records whose history grew here count as changed, so every replica fetches it.

    A replica's stage event or change-log entry may arrive with no change to its record (the
    same stage reached on both sides, a conflict kept): without a new version the other
    replicas would never be sent it.
    """
    for record_type, record_id in sorted(touched):
        if record_type not in RECORD_TYPES:
            continue
        record = session.get(RECORD_TYPES[record_type], record_id)
        if record is not None:
            record.updated_at = utcnow()
    session.flush()


def _missing(connection: Connection, table: Table, rows: list[Row], key: str) -> int:
    keys = {row[key] for row in rows}
    return len(keys - existing(connection, table, key, keys))


@contextmanager
def snapshot(db: Database) -> Iterator[Connection]:
    """One consistent read of the whole database (REPEATABLE READ on a server)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as connection, connection.begin():
        yield connection


def _reply(db: Database, outbox: Outbox) -> Reply:
    sent = {r.record_id for r in outbox.records}
    reply = Reply(source_id=outbox.target_id, target_id=outbox.source_id, made_at=utcnow())
    reply.sent = {r.record_id: dict(r.values) for r in outbox.records}
    with snapshot(db) as connection:
        scope = scope_ids(connection, ScopeFilter.from_json(outbox.filter_json))
        wanted: dict[str, list[str]] = defaultdict(list)
        for record_type in record_types():
            if scope is None:
                versions = read_versions(connection, record_type)
            else:
                ids = scope[record_type] | set(outbox.known) | sent
                versions = read_versions(connection, record_type, ids)
            for rid, version in versions.items():
                if rid in sent or outbox.known.get(rid) != version:
                    wanted[record_type].append(rid)
        held = set(outbox.known) | sent
        while wanted:
            found = [
                snap
                for record_type, chosen in wanted.items()
                for snap in read_snapshots(connection, record_type, chosen).values()
            ]
            for snap in found:
                reply.records.append(
                    InRecord(snap.record_type, snap.record_id, snap.version, snap.values)
                )
                held.add(snap.record_id)
            # a partial replica also gets what those records point at and it does not hold
            wanted = _pointed_at(found, held) if scope is not None else {}
        _history(connection, reply, outbox)
    return reply


def _pointed_at(snapshots: list[Snapshot], held: set[str]) -> dict[str, list[str]]:
    missing: dict[str, set[str]] = defaultdict(set)
    for snap in snapshots:
        for name, target in references(snap.record_type).items():
            for rid in (snap.values.get(name) or "").split(","):
                if rid and rid not in held:
                    missing[target].add(rid)
    return {record_type: sorted(ids) for record_type, ids in missing.items()}


def _history(connection: Connection, reply: Reply, outbox: Outbox) -> None:
    every = [r.record_id for r in reply.records]
    mous = [r.record_id for r in reply.records if r.record_type == "mou"]
    reply.stage_events = read_rows(connection, table_of(StageEvent), "mou_id", mous)
    log = table_of(ChangeLogEntry)
    reply.change_log = read_rows(connection, log, "record_id", every, ~log.c.origin.like("sync:%"))
    shas = {
        str(r.values.get("sha256"))
        for r in reply.records
        if r.record_type == Attachment.record_type and r.values.get("sha256")
    } - outbox.have_blobs
    for row in read_rows(connection, table_of(AttachmentBlob), "sha256", shas):
        reply.blobs[row["sha256"]] = row["data"]
    reply.roles = [dict(r._mapping) for r in connection.execute(select(table_of(ClerkRole)))]
