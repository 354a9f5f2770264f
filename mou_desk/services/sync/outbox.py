"""The replica's side, first half: gather what changed here since the last sync.

A record is sent when its version moved since its sync base, when it has no base (new
here), or when its base still differs from it (a kept conflict, a change upstream has not
taken yet): those are looked at again on every sync until both copies agree.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, or_, select

from mou_desk.domain.errors import DeskError
from mou_desk.services.database import Database
from mou_desk.services.sync.bundle import Decision, Outbox, OutRecord, read_rows
from mou_desk.services.sync.snapshots import (
    read_bases_of,
    read_snapshots,
    record_types,
)
from mou_desk.services.sync.state import Peer, database_id, read_bases, read_peer
from mou_desk.services.sync.tables import table_of
from mou_desk.storage.base import utcnow
from mou_desk.storage.models import (
    RECORD_TYPES,
    AttachmentBlob,
    ChangeLogEntry,
    StageEvent,
    SyncBase,
    SyncConflict,
)

#: local rows written this long before the last sync are sent again (clock steps, slow commits)
RESEND_MARGIN = timedelta(days=1)


class NotAReplica(DeskError):
    def __init__(self) -> None:
        super().__init__(
            "This database is not a replica, so there is nothing to sync. Make a replica of the "
            "shared database with: mou-desk replica create --from URL FILE"
        )


def require_peer(connection: Connection) -> Peer:
    peer = read_peer(connection)
    if peer is None:
        raise NotAReplica
    return peer


def build_outbox(db: Database, name: str) -> Outbox:
    """Everything the replica has to send upstream, read in one transaction."""
    with db.read() as session:
        connection = session.connection()
        peer = require_peer(connection)
        base = table_of(SyncBase)
        known = connection.execute(select(base.c.record_id, base.c.remote_version)).all()
        outbox = Outbox(
            source_id=database_id(connection),
            target_id=peer.database_id,
            name=name,
            clerk=db.clerk,
            made_at=utcnow(),
            filter_json=peer.filter.to_json(),
            known=dict(known),
        )
        for record_type in record_types():
            changed = changed_ids(connection, record_type)
            if not changed:
                continue
            snapshots = read_snapshots(connection, record_type, changed)
            bases = read_bases(connection, changed)
            base_values = read_bases_of(connection, snapshots, bases)
            for rid, snap in snapshots.items():
                outbox.records.append(
                    OutRecord(record_type, rid, snap.values, base_values.get(rid))
                )
        outbox.decisions = read_decisions(connection)
        _history(connection, outbox, peer)
        _files(connection, outbox)
    return outbox


def changed_ids(connection: Connection, record_type: str) -> list[str]:
    """Records new here, changed since their sync base, or still differing from upstream."""
    table, base = table_of(RECORD_TYPES[record_type]), table_of(SyncBase)
    query = (
        select(table.c.id)
        .select_from(table.outerjoin(base, base.c.record_id == table.c.id))
        .where(
            or_(
                base.c.record_id.is_(None),
                base.c.local_version != table.c.version,
                base.c.base_values.is_not(None),
            )
        )
    )
    return list(connection.scalars(query).all())


def read_decisions(connection: Connection) -> list[Decision]:
    """The clerk's decisions on kept conflicts, not carried out yet."""
    table = table_of(SyncConflict)
    query = select(
        table.c.record_id, table.c.field, table.c.decision, table.c.mine, table.c.theirs
    ).where(table.c.resolved_at.is_(None), table.c.decision.is_not(None))
    return [Decision(*row) for row in connection.execute(query)]


def _history(connection: Connection, outbox: Outbox, peer: Peer) -> None:
    """Stage events and change-log entries written here since the last sync."""
    since = (peer.last_synced_at or peer.created_at) - RESEND_MARGIN
    ids = [r.record_id for r in outbox.records]
    mou_ids = [r.record_id for r in outbox.records if r.record_type == "mou"]
    events = table_of(StageEvent)
    outbox.stage_events = read_rows(
        connection, events, "mou_id", mou_ids, events.c.recorded_at >= since
    )
    log = table_of(ChangeLogEntry)
    outbox.change_log = read_rows(
        connection,
        log,
        "record_id",
        ids,
        log.c.version > 0,  # entries that came from upstream carry version 0
        log.c.at >= since,
        ~log.c.origin.like("sync:%"),
    )


def _files(connection: Connection, outbox: Outbox) -> None:
    """The contents of files attached here, for records upstream may not have yet."""
    blobs = table_of(AttachmentBlob)
    outbox.have_blobs = set(connection.scalars(select(blobs.c.sha256)))
    wanted = set()
    for record in outbox.records:
        if record.record_type != "attachment":
            continue
        sha = record.values.get("sha256")
        if sha and (record.base is None or record.base.get("sha256") != sha):
            wanted.add(sha)
    for row in read_rows(connection, blobs, "sha256", wanted):
        outbox.blobs[row["sha256"]] = row["data"]
