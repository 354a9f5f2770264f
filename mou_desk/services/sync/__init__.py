"""Offline replicas of the shared database and syncing them back, field by field.

A laptop carries a replica (a SQLite copy, whole or a trip's or a sector's part), works on it
offline exactly as on the shared database, and merges back through the changeset machinery
(services.changesets): the same plan/apply as a workbook import, each change carrying the
values it was based on. Different fields changed on each side merge; the same field changed on
both sides is a conflict that is kept, shown (mine / theirs / original) and decided by a clerk.
Deletions travel as tombstones, stage history, the change log and attached files travel too.

API (Qt-free; the desktop client runs ``sync`` through its task runner)::

    create_replica(source_db, source_url, path, trip=, sector=, passphrase=) -> ReplicaMade
    sync(desk, on_progress, is_cancelled, to=None) -> SyncResult
    replica_status(desk) -> ReplicaStatus | None      # None: not a replica
    list_conflicts(db) -> [ConflictView];  resolve(db, conflict_id, "mine" | "theirs")
    export_changes(desk, path) -> Exported;  import_file(desk, path) -> Imported

How it works: outbox.py (the replica's changes), accept.py (upstream takes them and answers),
absorb.py (the replica takes the answer and moves its sync base), engine.py (both over a
connection), syncfile.py (both by hand, in files), replica.py, scope.py, conflicts.py.
"""

from __future__ import annotations

from mou_desk.services.sync.conflicts import ConflictView, list_conflicts, resolve, waiting
from mou_desk.services.sync.engine import SyncResult, sync
from mou_desk.services.sync.replica import ReplicaMade, create_replica
from mou_desk.services.sync.status import ReplicaStatus, replica_status
from mou_desk.services.sync.syncfile import Exported, Imported, export_changes, import_file

__all__ = [
    "ConflictView",
    "Exported",
    "Imported",
    "ReplicaMade",
    "ReplicaStatus",
    "SyncResult",
    "create_replica",
    "export_changes",
    "import_file",
    "list_conflicts",
    "replica_status",
    "resolve",
    "sync",
    "waiting",
]
