"""Several processes editing one record at once: every save lands, none is lost (SQLite and
PostgreSQL alike)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from mou_desk.domain.errors import ConflictError
from mou_desk.services.desk import Desk

WORKERS = 4
INCREMENTS = 8


def add_lines(path: str, mou_id: str, clerk: str) -> int:
    """Read-modify-write the same field with a line of one's own; on a conflict, reload and
    try again, as a clerk does after the conflict dialog."""
    desk = Desk.open(path, clerk=clerk)
    conflicts = 0
    try:
        for n in range(INCREMENTS):
            while True:
                mou = desk.mous.get(mou_id)
                notes = mou["notes"] + f"{clerk} line {n}\n"
                try:
                    desk.mous.update(mou_id, {"notes": notes}, mou.version)
                    break
                except ConflictError:
                    conflicts += 1
    finally:
        desk.close()
    return conflicts


def test_concurrent_processes_lose_no_update(desk: Desk, tmp_path: Path) -> None:
    mou = desk.mous.create({"title": "Contended"})
    path = desk.db.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        pool.starmap(add_lines, [(path, mou.id, f"clerk {i}") for i in range(WORKERS)])
    final = desk.mous.get(mou.id)
    lines = final["notes"].splitlines()
    expected = {f"clerk {i} line {n}" for i in range(WORKERS) for n in range(INCREMENTS)}
    assert set(lines) == expected and len(lines) == len(expected)  # every save landed once
    assert final.version == 1 + WORKERS * INCREMENTS
    clerks = {row.actor for row in desk.mous.history(mou.id) if row.field == "notes"}
    assert {f"clerk {i}" for i in range(WORKERS)} <= clerks


def save_notes(path: str, mou_id: str, base_version: int, text: str) -> str:
    desk = Desk.open(path, clerk=text)
    try:
        desk.mous.update(mou_id, {"notes": text}, base_version)
        return "saved"
    except ConflictError as error:
        return "conflict:" + ",".join(c.field for c in error.conflicts)
    finally:
        desk.close()


def test_two_clerks_saving_the_same_field_from_the_same_version(desk: Desk, tmp_path: Path) -> None:
    mou = desk.mous.create({"title": "Race", "notes": "original"})
    path = desk.db.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        outcomes = pool.starmap(
            save_notes, [(path, mou.id, mou.version, t) for t in ("mine", "theirs")]
        )
    assert sorted(outcomes) == ["conflict:notes", "saved"]
    assert desk.mous.get(mou.id)["notes"] in {"mine", "theirs"}
