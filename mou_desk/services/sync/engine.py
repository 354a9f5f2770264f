"""A sync with the upstream database over a connection: send, let upstream apply, take in.

``sync(desk)`` runs the two halves a sync file carries by hand (syncfile.py) one after the
other: the replica's changes go upstream through plan/apply in one upstream transaction, then
upstream's reply comes back through plan/apply in one local transaction that also moves the
sync base. Interrupted between the two commits (the laptop shut, the connection dropped),
upstream holds the changes and the replica is as before; the next sync sends them again,
upstream finds it holds them already (equal values merge to nothing, records are matched by
id) and the reply brings the replica up to date: no duplicates, nothing lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.services.database import Database
from mou_desk.services.desk import Desk
from mou_desk.services.sync.absorb import Absorbed, absorb
from mou_desk.services.sync.accept import SyncCancelled, accept
from mou_desk.services.sync.bundle import Reply
from mou_desk.services.sync.outbox import build_outbox, require_peer
from mou_desk.services.sync.state import database_id, safe_url
from mou_desk.storage.base import utcnow
from mou_desk.storage.engine import database_url, sqlite_path
from mou_desk.storage.lifecycle import open_database

Progress = Callable[[int, int, str], None]
STEPS = 3


@dataclass(frozen=True)
class SyncResult:
    """What a sync did, for the clerk."""

    upstream: str
    pushed_created: int
    pushed_updated: int
    pulled_created: int
    pulled_updated: int
    conflicts_new: int
    conflicts_waiting: int
    conflicts_resolved: int
    renumbered: tuple[tuple[str, str], ...]
    problems: tuple[str, ...]
    finished_at: datetime

    @property
    def pushed(self) -> int:
        return self.pushed_created + self.pushed_updated

    @property
    def pulled(self) -> int:
        return self.pulled_created + self.pulled_updated

    def lines(self) -> list[str]:
        """The result in a few sentences."""
        out = [
            f"Sent {self.pushed:,} change{_s(self.pushed)} to {self.upstream} "
            f"({self.pushed_created:,} new, {self.pushed_updated:,} changed).",
            f"Took in {self.pulled:,} change{_s(self.pulled)} "
            f"({self.pulled_created:,} new, {self.pulled_updated:,} changed).",
        ]
        if self.conflicts_resolved:
            out.append(
                f"{self.conflicts_resolved:,} conflict{_s(self.conflicts_resolved)} settled."
            )
        for old, new in self.renumbered:
            out.append(f"MoU {old} was numbered {new}: {old} was already taken upstream.")
        out.extend(f"Not synced: {problem}" for problem in self.problems)
        if self.conflicts_waiting:
            out.append(
                f"{self.conflicts_waiting:,} conflict{_s(self.conflicts_waiting)} "
                f"({self.conflicts_new:,} new) wait for your decision: list them with "
                "'mou-desk conflicts', decide each with "
                "'mou-desk conflicts resolve ID mine|theirs', then sync again."
            )
        return out


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def result_of(upstream: str, reply: Reply, absorbed: Absorbed) -> SyncResult:
    return SyncResult(
        upstream=upstream,
        pushed_created=reply.pushed.get("created", 0),
        pushed_updated=reply.pushed.get("updated", 0),
        pulled_created=absorbed.created,
        pulled_updated=absorbed.updated,
        conflicts_new=absorbed.conflicts_new,
        conflicts_waiting=absorbed.conflicts_waiting,
        conflicts_resolved=absorbed.conflicts_resolved,
        renumbered=tuple(absorbed.renumbered),
        problems=tuple(absorbed.problems),
        finished_at=utcnow(),
    )


def display_name(url: str) -> str:
    """A short name for a database: its file name, or host and database of a server."""
    path = sqlite_path(url) if "://" in url else Path(url)
    if path is not None:
        return path.name
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}/{parsed.database or ''}"


def replica_name(desk: Desk, replica_id: str) -> str:
    """How upstream's change log names this replica: its file and the start of its id."""
    url = desk.opened.url if desk.opened is not None else str(desk.db.engine.url)
    return f"{display_name(url)} {replica_id[:8]}"


def open_upstream(url: str, clerk: str) -> Database:
    try:
        file = sqlite_path(database_url(url))
        if file is not None and not file.is_file():
            raise DatabaseProblem(f"The shared database {file} does not exist.")
        opened = open_database(url)
    except DatabaseProblem as exc:
        raise DatabaseProblem(
            f"{exc} To sync, the shared database must be reachable; give its address with "
            "--to URL (with the password, or set PGPASSWORD), or hand the changes over in a "
            "sync file (mou-desk sync export).",
            exit_code=1,
        ) from exc
    return Database(opened.engine, clerk=clerk, origin="sync")


def sync(
    desk: Desk,
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    *,
    to: str | None = None,
    upstream: Database | None = None,
) -> SyncResult:
    """Sync the replica ``desk`` with its upstream (or the database at ``to``).

    ``upstream``: the upstream database already open (a caller syncing often keeps it open).
    """

    def step(done: int, text: str) -> None:
        if on_progress is not None:
            on_progress(done, STEPS, text)

    def check() -> None:
        if is_cancelled is not None and is_cancelled():
            raise SyncCancelled

    with desk.db.read() as session:
        peer = require_peer(session.connection())
        replica_id = database_id(session.connection())
    url = to or peer.url
    upstream_name = display_name(safe_url(url))
    step(0, f"Connecting to {upstream_name}…")
    remote = upstream.as_(clerk=desk.db.clerk) if upstream else open_upstream(url, desk.db.clerk)
    try:
        outbox = build_outbox(desk.db, replica_name(desk, replica_id))
        check()
        step(1, f"Sending {len(outbox.records):,} changed records to {upstream_name}…")
        reply = accept(remote, outbox, is_cancelled=is_cancelled)
    finally:
        if upstream is None:
            remote.engine.dispose()
    step(2, f"Taking in {len(reply.records):,} records from {upstream_name}…")
    absorbed = absorb(desk.db, reply, origin=f"sync:{upstream_name}")
    step(3, "Synced.")
    return result_of(upstream_name, reply, absorbed)
