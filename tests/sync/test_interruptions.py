"""A sync interrupted anywhere leaves both databases consistent; running it again converges.

Two ways: a failure injected between upstream's commit and the replica's (and inside each
transaction), and a sync process killed (SIGKILL) at random SQL statements, on either
database, in the middle of its transactions — as when a laptop is shut or loses the network.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Stage
from mou_desk.services.desk import Desk
from mou_desk.services.sync import absorb as absorb_module
from mou_desk.services.sync import accept as accept_module
from mou_desk.services.sync import create_replica, list_conflicts, resolve, sync
from mou_desk.services.sync import engine as engine_module
from mou_desk.services.sync.status import replica_status
from mou_desk.storage.engine import database_url
from mou_desk.storage.models import StageEvent, SyncBase
from tests.sync.conftest import fresh_shared
from tests.sync.kill_sync import sync_killed_at
from tests.sync.test_sync_basics import snapshot


def prepare(desk: Desk, url: str, folder: Path, changes: int = 6) -> Desk:
    """A replica with changes on both sides: new records, edits, a deletion, stage changes,
    a file, and one field changed on both sides."""
    partner = desk.partners.create({"name": "Tanaka Denki"})
    mous = [
        desk.mous.create({"title": f"MoU {i}", "lead_partner_id": partner.id})
        for i in range(changes)
    ]
    replica_path = folder / "laptop.sqlite3"
    create_replica(desk.db, url, replica_path)
    replica = Desk.open(replica_path, clerk="Laptop")
    for i, mou in enumerate(mous):
        here = replica.mous.get(mou.id)
        replica.mous.update(mou.id, {"notes": f"laptop {i}"}, here.version)
        if i >= 2:
            there = desk.mous.get(mou.id)
            desk.mous.update(mou.id, {"district": f"District {i}"}, there.version)
    replica.mous.create({"title": "Made offline", "lead_partner_id": partner.id})
    desk.mous.create({"title": "Made at the office", "lead_partner_id": partner.id})
    moved = replica.mous.get(mous[0].id)
    replica.mous.change_stage(
        moved.id, StageChange(Stage.PROPOSAL, date.today(), "draft sent"), moved.version
    )
    replica.mous.delete(mous[1].id)
    both = desk.mous.get(mous[2].id)
    desk.mous.update(both.id, {"notes": "office"}, both.version)  # against "laptop 2"
    paper = folder / "signed.pdf"
    paper.write_bytes(b"%PDF signed offline")
    replica.attachments.add_file(paper, mou_id=mous[3].id)
    return replica


def check_consistent(desk: Desk) -> None:
    """Nothing half-written: the file is intact, every reference resolves, every sync base
    names a record."""
    with desk.db.read() as session:
        if desk.db.dialect == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        ids: set[str] = set()
        for kind in ("partner", "mou", "attachment"):
            table = desk.service(kind).record_type
            ids |= {r.id for r in desk.service(table).all() + desk.service(table).all(deleted=True)}
        bases = set(session.scalars(select(SyncBase.record_id)))
    assert bases <= ids | {r.id for r in desk.followups.all() + desk.contacts.all()}


def converged(desk: Desk, replica: Desk, mous: int) -> None:
    """One conflict kept, found once; decided, everything is the same on both sides."""
    (conflict,) = list_conflicts(replica.db)
    assert (conflict.mine, conflict.theirs) == ("laptop 2", "office")
    resolve(replica.db, conflict.id, "mine")
    sync(replica)
    assert list_conflicts(replica.db) == []
    assert snapshot(replica) == snapshot(desk)
    assert len(desk.mous.all()) + len(desk.mous.all(deleted=True)) == mous
    with desk.db.read() as a, replica.db.read() as b:
        events = a.scalar(select(func.count()).select_from(StageEvent))
        assert events == b.scalar(select(func.count()).select_from(StageEvent))
        ids = a.scalars(select(StageEvent.id)).all()
        assert len(ids) == len(set(ids))
    status = replica_status(replica)
    assert status is not None and status.conflicts_waiting == 0 and status.local_changes == 0


@pytest.mark.parametrize(
    ("backend", "where"),
    [
        ("sqlite", "after upstream commits"),
        ("sqlite", "inside upstream"),
        ("sqlite", "inside replica"),
        pytest.param("postgresql", "after upstream commits", marks=pytest.mark.postgres),
    ],
)
def test_a_failure_at_any_point_then_sync_again(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    backend: str,
    where: str,
) -> None:
    url = database_url(tmp_path / "shared.sqlite3")
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    desk = fresh_shared(url)
    request.addfinalizer(desk.close)
    replica = prepare(desk, url, tmp_path)
    before_replica, before_shared = snapshot(replica), snapshot(desk)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("the network went away")

    target = {
        "after upstream commits": (engine_module, "absorb"),
        "inside upstream": (accept_module, "_touch"),
        "inside replica": (absorb_module, "store_bases"),
    }[where]
    with monkeypatch.context() as patch:
        patch.setattr(*target, fail)
        with pytest.raises(ConnectionError):
            sync(replica)
    check_consistent(replica)
    check_consistent(desk)
    assert snapshot(replica) == before_replica  # the replica's transaction never committed
    if where == "inside upstream":
        assert snapshot(desk) == before_shared  # upstream's transaction never committed
    else:
        assert snapshot(desk) != before_shared  # upstream took the changes
    sync(replica)
    sync(replica)
    converged(desk, replica, mous=8)
    replica.close()


def test_a_sync_killed_at_random_statements_converges(
    shared: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, url = shared
    replica = prepare(desk, url, tmp_path)
    replica.close()
    path = tmp_path / "laptop.sqlite3"
    before = snapshot(desk)
    rnd = random.Random(7)
    finished = False
    phases = {"upstream": 0, "replica": 0}  # kills before upstream committed, and after
    for attempt in range(24):
        # among upstream's statements (taking the changes), the replica's (taking the reply
        # in), or anywhere
        on = ("upstream", "replica", None)[attempt % 3]
        limit = {"upstream": rnd.randrange(3, 60), "replica": rnd.randrange(20, 120)}.get(
            on or "", rnd.randrange(3, 300)
        )
        if not sync_killed_at(path, limit, on=on):
            finished = True
            break
        reopened = Desk.open(path, clerk="Laptop")
        check_consistent(reopened)
        check_consistent(desk)
        status = replica_status(reopened)
        reopened.close()
        assert status is not None
        if snapshot(desk) == before:
            phases["upstream"] += 1
        elif status.local_changes:
            phases["replica"] += 1
    assert phases["upstream"] >= 1 and phases["replica"] >= 1, phases
    replica = Desk.open(path, clerk="Laptop")
    if not finished:
        sync(replica)
    sync(replica)
    converged(desk, replica, mous=8)
    replica.close()
