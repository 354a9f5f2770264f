"""Sync benchmarks at 100,000 synthetic MoUs in PostgreSQL, each beside a same-run baseline.

    python benchmarks/bench_sync.py [--mous 100000] [--changes 1000] [--pg URL]

- replica: ``create_replica`` of the whole database from PostgreSQL into a new SQLite file;
  baseline: ``backup_database`` of the same database (the raw table-by-table copy of the
  same rows into a SQLite file of the same schema). Also a sector's part, for reference.
- sync down: 1,000 MoUs edited on PostgreSQL, then ``sync`` takes them into the replica;
  baseline: the same 1,000 updates through the services on a copy of the replica's file.
- sync up: 1,000 MoUs edited on the replica, then ``sync`` sends them to PostgreSQL;
  baseline: 1,000 updates applied to PostgreSQL directly through the services
  (MouService.update, one save each, as clerks at the office would).
- sync, nothing to do: what looking for changes costs on a 100,000-MoU replica.

The PostgreSQL server is the one the tests use (127.0.0.1:5432, user postgres, or --pg);
a throwaway database is made and dropped.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mou_desk.services.desk import Desk
from mou_desk.services.sync import create_replica, sync
from mou_desk.services.synthetic import load_synthetic
from mou_desk.storage.backup import backup_database

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def edit_through_services(desk: Desk, ids: list[str], note: str) -> None:
    for mou_id in ids:
        record = desk.mous.get(mou_id)
        desk.mous.update(mou_id, {"notes": f"{note} {mou_id[:8]}"}, record.version)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mous", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000)
    parser.add_argument("--pg", default=SERVER, help="a PostgreSQL server's admin URL")
    args = parser.parse_args()
    name = f"mou_desk_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
    folder = Path(tempfile.mkdtemp(prefix="mou-sync-bench-"))
    rows: list[tuple[str, float, float, str]] = []
    try:
        shared = Desk.open(url, clerk="Office")
        print(f"Loading {args.mous:,} synthetic MoUs into PostgreSQL …", flush=True)
        load_synthetic(shared.db, args.mous, seed=1)
        with shared.db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))

        baseline, _ = timed(lambda: backup_database(shared.db.engine, folder / "backup.sqlite3"))
        replica_path = folder / "replica.sqlite3"
        ours, _ = timed(lambda: create_replica(shared.db, url, replica_path))
        rows.append((f"replica of {args.mous:,} MoUs vs raw copy (backup)", ours, baseline, ""))
        part, made_part = timed(
            lambda: create_replica(
                shared.db, url, folder / "part.sqlite3", sector="Pharmaceuticals"
            )
        )
        rows.append(
            (f"  a sector's part ({made_part.mous:,} MoUs)", part, baseline, "")  # type: ignore[attr-defined]
        )

        replica = Desk.open(replica_path, clerk="Laptop")
        idle, _ = timed(lambda: sync(replica))
        rows.append(("sync with nothing to do", idle, 0.0, "looking for changes"))

        ids = [m.id for m in replica.mous.all()[: args.changes * 2]]
        up_ids, down_ids = ids[: args.changes], ids[args.changes :]

        # down: the same updates through the services on PostgreSQL (the baseline), then
        # taken into the replica by a sync; and once more through the services on a copy of
        # the replica's SQLite file (what the sync's local writes compare with)
        office_direct, _ = timed(lambda: edit_through_services(shared, down_ids, "office"))
        scratch = folder / "scratch.sqlite3"
        shutil.copyfile(replica_path, scratch)
        local = Desk.open(scratch, clerk="Laptop")
        local_direct, _ = timed(lambda: edit_through_services(local, down_ids, "again"))
        local.close()
        down, result = timed(lambda: sync(replica))
        assert result.pulled == args.changes, result  # type: ignore[attr-defined]
        rows.append(
            (f"sync down: {args.changes:,} changes into the replica", down, local_direct,
             "baseline: the same updates through the services on the SQLite replica")
        )  # fmt: skip

        # up: edited on the replica, sent by a sync; baseline: the services on PostgreSQL
        edit_through_services(replica, up_ids, "laptop")
        up, result = timed(lambda: sync(replica))
        assert result.pushed == args.changes, result  # type: ignore[attr-defined]
        rows.append(
            (f"sync up: {args.changes:,} changes to PostgreSQL", up, office_direct,
             "baseline: the same updates through the services on PostgreSQL")
        )  # fmt: skip
        replica.close()
        shared.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\nMoU Desk sync benchmarks — {args.mous:,} MoUs in PostgreSQL\n")
    print(f"{'measure':<48}{'MoU Desk':>11}{'baseline':>11}{'ratio':>8}  note")
    for label, seconds, base, note in rows:
        ratio = f"{seconds / base:>7.2f}x" if base else f"{'':>8}"
        base_text = f"{base:>10.2f}s" if base else f"{'':>11}"
        print(f"{label:<48}{seconds:>10.2f}s{base_text}{ratio}  {note}")


if __name__ == "__main__":
    main()
