"""Random offline work on three laptops and the shared database, synced in random order.

Each interleaving is a seeded sequence of creates, edits, link changes, deletions, restores,
stage and status changes and syncs, ended by everyone syncing and every conflict decided
(tests/sync/world.py says what is checked). The default suite runs 34 (three in a row on the
same copies for SQLite, two for PostgreSQL); ``-m slow`` runs 1,000 longer ones (set
MOU_DESK_SYNC_STATS=FILE to collect figures).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from mou_desk.services.desk import Desk
from tests.sync.world import World

STEPS = 15


def run_world(
    shared: tuple[Desk, str], folder: Path, seed: int, steps: int = STEPS, rounds: int = 1
) -> World:
    """``rounds`` interleavings on the same copies, each ending with everyone synced, every
    conflict decided and the checks passed."""
    desk, url = shared
    world = World(desk, url, folder, replicas=3, seed=seed)
    try:
        for _ in range(rounds):
            for _ in range(steps):
                world.step()
            world.finish()
            world.check()
    finally:
        world.close()
    return world


@pytest.mark.parametrize("seed", range(10))
def test_random_offline_work_converges_on_sqlite(
    shared_sqlite: tuple[Desk, str], tmp_path: Path, seed: int
) -> None:
    run_world(shared_sqlite, tmp_path, seed, rounds=3)


@pytest.mark.postgres
@pytest.mark.parametrize("seed", range(100, 102))
def test_random_offline_work_converges_on_postgresql(
    postgres_url: str, tmp_path: Path, seed: int
) -> None:
    from tests.sync.conftest import fresh_shared

    desk = fresh_shared(postgres_url)
    try:
        run_world((desk, postgres_url), tmp_path, seed, rounds=2)
    finally:
        desk.close()


@pytest.mark.slow
@pytest.mark.timeout(1800)  # one interleaving takes ~4 s alone, minutes on a loaded machine
@pytest.mark.parametrize("seed", range(1_000, 2_000))
def test_a_thousand_interleavings(
    shared_sqlite: tuple[Desk, str], tmp_path: Path, seed: int
) -> None:
    started = time.perf_counter()
    world = run_world(shared_sqlite, tmp_path, seed, steps=60)
    target = os.environ.get("MOU_DESK_SYNC_STATS")
    if target:
        stats = world.stats
        line = {
            "seed": seed,
            "seconds": round(time.perf_counter() - started, 3),
            "steps": stats.steps,
            "syncs": stats.syncs,
            "conflicts": stats.conflicts,
            "deletes": stats.deletes,
            "writes": stats.writes,
            "records": len(world.created),
        }
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
