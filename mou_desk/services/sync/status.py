"""Whether a database is an offline replica, of what, and when it was last synced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, or_, select

from mou_desk.services.desk import Desk
from mou_desk.services.sync.engine import display_name
from mou_desk.services.sync.state import read_peer
from mou_desk.services.sync.tables import table_of
from mou_desk.storage.models import RECORD_TYPES, SyncBase, SyncConflict, Trip


@dataclass(frozen=True)
class ReplicaStatus:
    upstream: str  # a short name: host/database, or the file name
    url: str  # without its password
    scope: str  # "the whole database", "sector Pharmaceuticals"
    last_synced_at: datetime | None
    last_exported_at: datetime | None
    #: records changed here and not yet taken upstream (or kept in a conflict)
    local_changes: int
    conflicts_waiting: int
    conflicts_decided: int

    def last_synced_text(self) -> str:
        """DD-MM-YYYY HH:MM in this computer's time, or "never"."""
        if self.last_synced_at is None:
            return "never"
        return self.last_synced_at.astimezone().strftime("%d-%m-%Y %H:%M")

    def label(self) -> str:
        return f"offline replica — last synced {self.last_synced_text()}"


def replica_status(desk: Desk) -> ReplicaStatus | None:
    """The replica's state; None when the database is not a replica (the shared one)."""
    with desk.db.read() as session:
        connection = session.connection()
        peer = read_peer(connection)
        if peer is None:
            return None
        trip_name = None
        if peer.filter.trip is not None:
            trip_name = connection.scalar(select(Trip.name).where(Trip.id == peer.filter.trip))
        table = table_of(SyncConflict)
        counts = dict(
            connection.execute(
                select(table.c.decision.is_not(None), func.count())
                .where(table.c.resolved_at.is_(None))
                .group_by(table.c.decision.is_not(None))
            ).all()
        )
        return ReplicaStatus(
            upstream=display_name(peer.url),
            url=peer.url,
            scope=peer.filter.describe(trip_name),
            last_synced_at=peer.last_synced_at,
            last_exported_at=peer.last_exported_at,
            local_changes=local_changes(connection),
            conflicts_waiting=int(counts.get(False, 0)),
            conflicts_decided=int(counts.get(True, 0)),
        )


def local_changes(connection: Connection) -> int:
    """Records new or changed here since the last sync, or still differing from upstream."""
    base = table_of(SyncBase)
    total = 0
    for model in RECORD_TYPES.values():
        table = table_of(model)
        query = (
            select(func.count())
            .select_from(table.outerjoin(base, base.c.record_id == table.c.id))
            .where(
                or_(
                    base.c.record_id.is_(None),
                    base.c.local_version != table.c.version,
                    base.c.base_values.is_not(None),
                )
            )
        )
        total += int(connection.scalar(query) or 0)
    return total
