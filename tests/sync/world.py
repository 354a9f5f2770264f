"""A shared database and replicas, driven by random offline work and syncs (a seeded generator).

Every text a step writes is unique ("t17"), so the value a copy holds names the write it came
from. A write that replaces a value its copy held knowingly supersedes that value's write.
At the end every copy syncs until nothing moves, every kept conflict is decided at random,
and the checks say: all copies identical, no edit lost (each value not superseded and not
final was surfaced in a conflict), no deletion undone without a surfaced conflict or a
restore, no duplicate, and every waiting change taken.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Stage, Status
from mou_desk.services.changeset_sync import DELETED
from mou_desk.services.desk import Desk
from mou_desk.services.sync import create_replica, list_conflicts, resolve, sync
from mou_desk.services.sync.snapshots import read_snapshots, read_versions
from mou_desk.services.sync.status import replica_status
from mou_desk.storage.models import StageEvent, SyncConflict

#: text fields whose every write is unique, tracked for lost edits
TRACKED = {
    "mou": ("title", "notes", "district", "next_action"),
    "partner": ("name", "city"),
    "followup": ("title", "owner"),
    "engagement": ("title", "place"),
}
KINDS = tuple(TRACKED)


@dataclass
class Write:
    record_id: str
    field: str
    value: str
    copy: int
    superseded: bool = False


@dataclass
class Stats:
    steps: int = 0
    syncs: int = 0
    conflicts: int = 0
    writes: int = 0
    deletes: int = 0
    by_op: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class World:
    def __init__(self, shared: Desk, url: str, folder: Path, replicas: int, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.shared = shared
        self.copies: list[Desk] = [shared]
        self.counter = 0
        self.writes: dict[tuple[str, str, str], Write] = {}  # (record, field, value) -> write
        self.deletes: list[tuple[str, int, bool]] = []  # (record, copy, undone by a restore)
        self.surfaced: set[tuple[str, str, str | None, str | None]] = set()
        self.created: set[str] = set()
        self.stats = Stats()
        for i in range(1, replicas + 1):
            path = folder / f"laptop-{i}.sqlite3"
            create_replica(shared.db, url, path)
            self.copies.append(Desk.open(path, clerk=f"Laptop {i}"))

    def close(self) -> None:
        for desk in self.copies[1:]:
            desk.close()

    # ------------------------------------------------------------------ steps

    def text(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def live(self, desk: Desk, kind: str) -> list[Any]:
        return desk.service(kind).all()

    def supersede(self, kind: str, record: Any, names: list[str]) -> None:
        """The values a copy held for these fields, replaced knowingly by its clerk."""
        for name in names:
            if name in TRACKED.get(kind, ()):
                earlier = self.writes.get((record.id, name, str(record.values.get(name))))
                if earlier is not None:
                    earlier.superseded = True
        self.stats.writes += 1

    def track(self, record_id: str, kind: str, values: dict[str, Any], c: int) -> None:
        for name in TRACKED.get(kind, ()):
            value = values.get(name)
            if isinstance(value, str) and value.startswith("t"):
                self.writes[(record_id, name, value)] = Write(record_id, name, value, c)

    def step(self) -> None:
        self.stats.steps += 1
        c = self.rnd.randrange(len(self.copies))
        desk = self.copies[c]
        op = self.rnd.choices(
            ["create", "edit", "delete", "stage", "sync", "restore", "link"],
            weights=[18, 38, 6, 8, 26, 2, 6],
        )[0]
        if op == "sync" and c == 0:
            op = "edit"
        self.stats.by_op[op] += 1
        getattr(self, f"_{op}")(c, desk)

    def _create(self, c: int, desk: Desk) -> None:
        kind = self.rnd.choice(["partner", "mou", "mou", "followup", "engagement"])
        partners = self.live(desk, "partner")
        mous = self.live(desk, "mou")
        if kind != "partner" and not partners:
            kind = "partner"
        if kind in ("followup", "engagement") and not mous:
            kind = "mou"
        values: dict[str, Any]
        if kind == "partner":
            values = {"name": self.text(), "city": self.text()}
        elif kind == "mou":
            values = {
                "title": self.text(),
                "notes": self.text(),
                "district": self.text(),
                "next_action": self.text(),
                "lead_partner_id": self.rnd.choice(partners).id,
                "amount": Decimal(self.rnd.randrange(1, 500)) * 100_000,
                "sector": self.rnd.choice(["Pharma", "EV", "Textiles"]),
            }
        elif kind == "followup":
            values = {
                "title": self.text(),
                "owner": self.text(),
                "due_on": date(2026, 12, self.rnd.randrange(1, 28)),
                "mou_id": self.rnd.choice(mous).id,
            }
        else:
            values = {
                "title": self.text(),
                "place": self.text(),
                "held_on": date(2026, 11, self.rnd.randrange(1, 20)),
                "mou_ids": [m.id for m in self.rnd.sample(mous, min(len(mous), 2))],
                "partner_ids": [p.id for p in self.rnd.sample(partners, min(len(partners), 2))],
            }
        record = desk.service(kind).create(values)
        self.created.add(record.id)
        self.track(record.id, kind, values, c)

    def _edit(self, c: int, desk: Desk) -> None:
        kind = self.rnd.choice(KINDS)
        records = self.live(desk, kind)
        if not records:
            return self._create(c, desk)
        record = self.rnd.choice(records)
        names = self.rnd.sample(TRACKED[kind], self.rnd.randrange(1, 3))
        changes: dict[str, Any] = {name: self.text() for name in names}
        if kind == "mou" and self.rnd.random() < 0.3:
            changes["amount"] = Decimal(self.rnd.randrange(1, 500)) * 100_000
        if kind == "followup" and self.rnd.random() < 0.3:
            changes["done_on"] = None if record.values.get("done_on") else date(2026, 11, 1)
        self.supersede(kind, record, list(changes))
        desk.service(kind).update(record.id, changes, record.version)
        self.track(record.id, kind, changes, c)

    def _link(self, c: int, desk: Desk) -> None:
        mous, partners = self.live(desk, "mou"), self.live(desk, "partner")
        if not mous or not partners:
            return self._create(c, desk)
        mou = self.rnd.choice(mous)
        chosen = [
            p.id
            for p in self.rnd.sample(partners, self.rnd.randrange(0, min(3, len(partners)) + 1))
        ]
        desk.mous.update(mou.id, {"partner_ids": chosen}, mou.version)

    def _delete(self, c: int, desk: Desk) -> None:
        kind = self.rnd.choice(KINDS)
        records = self.live(desk, kind)
        if not records:
            return
        record = self.rnd.choice(records)
        self.supersede(kind, record, list(TRACKED[kind]))  # the deleting clerk saw them go
        desk.service(kind).delete(record.id)
        self.deletes.append((record.id, c, False))
        self.stats.deletes += 1

    def _restore(self, c: int, desk: Desk) -> None:
        kind = self.rnd.choice(KINDS)
        gone = desk.service(kind).all(deleted=True)
        if not gone:
            return
        record = self.rnd.choice(gone)
        desk.service(kind).restore(record.id)
        self.deletes = [(r, k, undone or r == record.id) for r, k, undone in self.deletes]

    def _stage(self, c: int, desk: Desk) -> None:
        mous = self.live(desk, "mou")
        if not mous:
            return
        mou = self.rnd.choice(mous)
        today = desk.db.today()
        if self.rnd.random() < 0.6:
            stage = mou.values["stage"]
            to = Stage.PROPOSAL if stage == Stage.DISCUSSION else Stage.DISCUSSION
            change = StageChange(to, today, reason=f"because {self.text()}")
            desk.mous.change_stage(mou.id, change, mou.version)
        else:
            status = mou.values["status"]
            to_status = Status.ON_HOLD if status == Status.ACTIVE else Status.ACTIVE
            desk.mous.change_status(mou.id, to_status, f"because {self.text()}", today, mou.version)

    def _sync(self, c: int, desk: Desk) -> None:
        sync(desk, upstream=self.shared.db)
        self.stats.syncs += 1
        self.note_conflicts(desk)

    def note_conflicts(self, desk: Desk) -> None:
        with desk.db.read() as session:
            t = SyncConflict.__table__
            rows = session.execute(
                select(t.c.record_id, t.c.field, t.c.mine, t.c.theirs).where(
                    t.c.resolved_at.is_(None)
                )
            ).all()
        for row in rows:
            key = (row[0], row[1], row[2], row[3])
            if key not in self.surfaced:
                self.stats.conflicts += 1
            self.surfaced.add(key)

    # ------------------------------------------------------------------ the end

    def finish(
        self, decide: Callable[[random.Random], str] | None = None, rounds: int = 12
    ) -> None:
        """Sync everyone until nothing moves, deciding every kept conflict on the way."""
        quiet = 0
        for _ in range(rounds):
            moved = 0
            for desk in self.copies[1:]:
                result = sync(desk, upstream=self.shared.db)
                self.stats.syncs += 1
                self.note_conflicts(desk)
                moved += result.pushed + result.pulled + result.conflicts_resolved
            waiting = 0
            for desk in self.copies[1:]:
                for conflict in list_conflicts(desk.db):
                    waiting += 1
                    if conflict.decision is None:
                        choice = decide(self.rnd) if decide else self.rnd.choice(["mine", "theirs"])
                        resolve(desk.db, conflict.id, choice)
            quiet = quiet + 1 if moved == 0 and waiting == 0 else 0
            if quiet >= 2:
                return
        raise AssertionError(f"the copies did not settle in {rounds} rounds of syncs")

    def snapshot(self, desk: Desk) -> dict[str, dict[str, str | None]]:
        out: dict[str, dict[str, str | None]] = {}
        with desk.db.read() as session:
            connection = session.connection()
            for kind in (
                "officer",
                "partner",
                "contact",
                "trip",
                "mou",
                "engagement",
                "followup",
                "attachment",
            ):
                ids = read_versions(connection, kind)
                for rid, snap in read_snapshots(connection, kind, ids).items():
                    out[rid] = {"_type": kind, **snap.values}
        return out

    def events(self, desk: Desk) -> dict[str, tuple[Any, ...]]:
        with desk.db.read() as session:
            t = StageEvent.__table__
            rows = session.execute(
                select(
                    t.c.id, t.c.mou_id, t.c.to_stage, t.c.to_status, t.c.effective_on, t.c.reason
                )
            ).all()
        return {r[0]: tuple(r[1:]) for r in rows}

    def check(self) -> None:
        shots = [self.snapshot(d) for d in self.copies]
        first = shots[0]
        for i, other in enumerate(shots[1:], start=1):
            if other != first:
                diff = sorted(
                    (rid, k, first.get(rid, {}).get(k), other.get(rid, {}).get(k))
                    for rid in set(first) | set(other)
                    for k in set(first.get(rid, {})) | set(other.get(rid, {}))
                    if first.get(rid, {}).get(k) != other.get(rid, {}).get(k)
                )
                raise AssertionError(f"copy {i} differs from the shared database: {diff[:10]}")
        events = [self.events(d) for d in self.copies]
        for i, other in enumerate(events[1:], start=1):
            missing = {k: v for k, v in events[0].items() if k not in other}
            extra = {k: v for k, v in other.items() if k not in events[0]}
            assert other == events[0], f"stage history of copy {i} differs: {missing} {extra}"
        # no duplicate: every record was created once, by one copy
        assert set(first) == self.created | (set(first) - self.created)
        assert len(first) == len(set(first))
        assert self.created <= set(first), "a record made on a copy never arrived"
        for desk in self.copies[1:]:
            status = replica_status(desk)
            assert status is not None and status.local_changes == 0, status
            assert status.conflicts_waiting == 0
        self._check_no_edit_lost(first)
        self._check_no_delete_undone(first)

    def _check_no_edit_lost(self, final: dict[str, dict[str, str | None]]) -> None:
        by_field: dict[tuple[str, str], set[tuple[str | None, str | None]]] = defaultdict(set)
        deleted_conflicts = set()
        for record_id, name, mine, theirs in self.surfaced:
            by_field[(record_id, name)].add((mine, theirs))
            if name == DELETED:
                deleted_conflicts.add(record_id)
        lost = []
        for write in self.writes.values():
            values = final.get(write.record_id)
            if values is None or write.superseded or values.get(write.field) == write.value:
                continue
            seen = any(write.value in pair for pair in by_field[(write.record_id, write.field)])
            if seen or write.record_id in deleted_conflicts:
                continue
            lost.append(write)
        assert not lost, f"{len(lost)} edits lost without a conflict shown, e.g. {lost[:3]}"

    def _check_no_delete_undone(self, final: dict[str, dict[str, str | None]]) -> None:
        deleted_conflicts = {r for r, name, _m, _t in self.surfaced if name == DELETED}
        for record_id, _copy, undone in self.deletes:
            if undone or record_id in deleted_conflicts:
                continue
            assert final[record_id][DELETED] == "1", f"deleted record {record_id} came back"
