"""Offline replicas of the shared database and syncing them back, field by field.

A laptop carries a replica (a SQLite copy, whole or a trip's or a sector's part), works on it
offline exactly as on the shared database, and merges back through the changeset machinery
(services.changesets): the same plan/apply as a workbook import, each change carrying the
values it was based on. Different fields changed on each side merge; the same field changed on
both sides is a conflict that is kept, shown (mine / theirs / original) and decided by a clerk.
Deletions travel as tombstones, stage history, the change log and attached files travel too.

API (Qt-free; the desktop client runs ``sync`` through its task runner)::

    create_replica(source_db, source_url, path, trip=, sector=, passphrase=) -> ReplicaMade
    encryption_available() -> bool                    # can a replica have a passphrase here
    sync(desk, on_progress, is_cancelled, to=None) -> SyncResult
    replica_status(desk) -> ReplicaStatus | None      # None: not a replica
    list_conflicts(db) -> [ConflictView];  resolve(db, conflict_id, "mine" | "theirs")
    export_changes(desk, path) -> Exported;  import_file(desk, path, answer=) -> Imported

How it works: outbox.py (the replica's changes), accept.py (upstream takes them and answers),
absorb.py (the replica takes the answer and moves its sync base), engine.py (both over a
connection), syncfile.py (both by hand, in files), replica.py, scope.py, conflicts.py.

Decisions, and why:

- *The replica keeps all sync state; upstream keeps none.* A replica remembers, per record,
  the versions of both copies when they last agreed (versions are counted per copy, so one
  side's version is no base for the other). Upstream answers any replica from its rows alone,
  so a shared database needs nothing per laptop and a lost laptop leaves nothing behind.
- *The base values come from the replica's own change log*, not a stored copy of every record:
  a 100,000-MoU replica is made by copying tables, with no per-record base to write, and a sync
  reads back only the bases of records that changed (snapshots.py). Only where the base
  differs from the replica's values (a kept conflict) is it stored, as a few fields of JSON.
- *A sync is two transactions, in an order that makes re-running harmless*: upstream commits
  what it takes, then the replica commits what it takes together with its new base. Killed in
  between, the next sync sends the same changes; upstream finds it has them (equal values merge
  to nothing, records are matched by their UUID) — no duplicates, nothing lost.
- *A conflict is kept, never decided by the program*: each side keeps its value, the conflict
  is stored on the replica (mine / theirs / original) until a clerk decides; the decision is
  carried out by the next sync only while the values are still the ones decided on.
  The one exception: a record deleted on both sides takes upstream's field values.
- *Stage history and the change log travel as rows, matched by id*; a record whose history grew
  upstream (a stage event that came with a conflict kept, say) gets a new version there, so
  every other replica fetches it. Copied change-log entries carry version 0: they tell who
  changed what, but never count as this copy's versions.
- *MoU references* numbered offline on two laptops at once: the later one to reach upstream is
  renumbered (next free number of the series) and the clerk is told (refs.py).
"""

from __future__ import annotations

from mou_desk.services.sync.conflicts import ConflictView, list_conflicts, resolve, waiting
from mou_desk.services.sync.engine import SyncResult, sync
from mou_desk.services.sync.replica import ReplicaMade, create_replica, encryption_available
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
    "encryption_available",
    "export_changes",
    "import_file",
    "list_conflicts",
    "replica_status",
    "resolve",
    "sync",
    "waiting",
]
