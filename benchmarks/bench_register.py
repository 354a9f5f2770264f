"""Register benchmarks at 100,000 synthetic MoUs, each beside a baseline measured in this run.

    python benchmarks/bench_register.py [--mous 100000] [--orm-sample 5000]

- load: mou_desk's bulk loader vs a raw sqlite3 executemany of the same rows into the same
  schema (both include the search documents and the full-text index) — target <= 1.5x;
  for reference, the ORM's add_all against a raw executemany of the same MoU rows alone.
- grid: services.listing.list_mous (every MoU, the columns the list shows) — target <= 0.5 s;
  baseline: a raw sqlite3 fetchall of the same columns.
- search: a rare word and a Japanese substring through the search index — target <= 50 ms.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from mou_desk.services.database import Database
from mou_desk.services.desk import Desk
from mou_desk.services.listing import list_mous, matching_mou_ids
from mou_desk.services.synthetic import TABLE_ORDER, Portfolio, generate, load_portfolio
from mou_desk.storage.bulk import BULK_MARKER, insert_rows
from mou_desk.storage.models import Base, Mou
from mou_desk.storage.search_index import cjk_grams


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(action) for _ in range(runs))


def native_rows(portfolio: Portfolio) -> dict[str, tuple[str, list[tuple[object, ...]]]]:
    """The same rows as plain tuples with an INSERT for each table (the baseline's input)."""
    out = {}
    tables = dict(portfolio.rows)
    tables["search_docs"] = [
        {"record_id": rid, "kind": kind, "body": body, "body_cjk": cjk_grams(body)}
        for kind, rid, body in portfolio.docs
    ]
    for name in [*TABLE_ORDER, "search_docs"]:
        table = Base.metadata.tables[name]
        columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True)]
        defaults = {c.key: getattr(c.default, "arg", None) for c in columns
                    if c.default is not None and c.default.is_scalar}  # fmt: skip
        rows = [
            tuple(row.get(c.key, defaults.get(c.key)) for c in columns)
            for row in tables.get(name, [])
        ]
        names = ", ".join(c.name for c in columns)
        marks = ", ".join("?" for _ in columns)
        out[name] = (f"INSERT INTO {name} ({names}) VALUES ({marks})", rows)
    return out


def raw_load(path: Path, prepared: dict[str, tuple[str, list[tuple[object, ...]]]]) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO meta(key, value) VALUES (?, '1')", (BULK_MARKER,))
    for sql, rows in prepared.values():
        connection.executemany(sql, rows)
    connection.execute("DELETE FROM meta WHERE key = ?", (BULK_MARKER,))
    connection.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    connection.execute("INSERT INTO search_cjk(search_cjk) VALUES ('rebuild')")
    connection.execute("COMMIT")
    connection.close()


def python_values(row: dict[str, object]) -> dict[str, object]:
    """A storage-form MoU row turned back into the Python values the ORM takes."""
    out: dict[str, object] = {}
    for key, value in row.items():
        if value is None or key in ("version", "proposed_jobs"):
            out[key] = value
        elif key in ("created_at", "updated_at"):
            out[key] = datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
        elif key.endswith(("_on", "_date", "_due", "_since", "_ours")):
            out[key] = date.fromisoformat(str(value))
        elif key in ("proposed_inr", "realised_inr"):
            out[key] = Decimal(int(value)) / 100  # type: ignore[call-overload]
        elif key in ("amount", "rate_to_inr"):
            out[key] = Decimal(str(value))
        else:
            out[key] = value
    return out


def orm_vs_raw(folder: Path, portfolio: Portfolio, sample: int) -> tuple[float, float]:
    """The same MoU rows (and only those) through the ORM's add_all and a raw executemany."""
    mous = portfolio.rows["mous"][:sample]
    ids = {m["lead_partner_id"] for m in mous} | {m["nodal_officer_id"] for m in mous}
    paths = {name: folder / f"{name}.sqlite3" for name in ("orm", "raw-sample")}
    for path in paths.values():
        desk = Desk.open(path)
        with desk.db.write() as session:
            for table in ("officers", "partners"):
                rows = [r for r in portfolio.rows[table] if r["id"] in ids]
                insert_rows(session.connection(), table, rows, native=True)
        desk.close()
    objects = [python_values(row) for row in mous]
    desk = Desk.open(paths["orm"])

    def orm() -> None:
        with Session(desk.db.engine) as session, session.begin():
            session.add_all(Mou(**row) for row in objects)

    orm_seconds = timed(orm)
    desk.close()
    sql, rows = native_rows(Portfolio(rows={"mous": mous}))["mous"]
    connection = sqlite3.connect(paths["raw-sample"], isolation_level=None)

    def raw() -> None:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(sql, rows)
        connection.execute("COMMIT")

    raw_seconds = timed(raw)
    connection.close()
    return orm_seconds, raw_seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mous", type=int, default=100_000)
    parser.add_argument("--orm-sample", type=int, default=5_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mou-bench-"))
    print(f"Generating {args.mous:,} synthetic MoUs ...", flush=True)
    portfolio = generate(args.mous, seed=1)

    ours = Desk.open(folder / "ours.sqlite3")
    baseline_path = folder / "raw.sqlite3"
    Desk.open(baseline_path).close()
    prepared = native_rows(portfolio)
    raw_seconds = timed(lambda: raw_load(baseline_path, prepared))
    our_seconds = timed(lambda: load_portfolio(ours.db, portfolio))
    orm_seconds, raw_sample_seconds = orm_vs_raw(folder, portfolio, args.orm_sample)

    db: Database = ours.db
    list_mous(db)  # warm the page cache as a running client would be
    grid = median_time(lambda: list_mous(db), 5)
    columns = ("id, ref, title, lead_partner_id, sector, district, stage, status, stage_since, "
               "last_activity_on, proposed_inr, nodal_officer_id, next_action, next_action_due, version")  # fmt: skip
    raw = sqlite3.connect(folder / "ours.sqlite3")
    raw_grid = median_time(
        lambda: raw.execute(f"SELECT {columns} FROM mous WHERE deleted_at IS NULL").fetchall(), 5
    )

    searches = {
        "rare word (a reference)": f"UP-SYN-{args.mous * 7 // 9:06d}",
        "rare word (a partner)": "Machinery Co. Ltd. 4321",
        "Japanese substring 電気": "電気",
        "Japanese substring 田中電気": "田中電気",
        "Hindi word प्रोत्साहन": "प्रोत्साहन",
    }
    search_times = {
        label: median_time(lambda q=q: matching_mou_ids(db, q), 21) for label, q in searches.items()
    }
    hits = {label: len(matching_mou_ids(db, q) or ()) for label, q in searches.items()}

    print(f"\nMoU Desk register benchmarks — {args.mous:,} MoUs\n")
    print(f"{'measure':<40}{'MoU Desk':>12}{'baseline':>12}{'ratio':>8}  target")
    print(f"{'load (bulk loader vs raw executemany)':<40}{our_seconds:>11.2f}s{raw_seconds:>11.2f}s"
          f"{our_seconds / raw_seconds:>7.2f}x  <= 1.5x")  # fmt: skip
    label = f"  MoU rows only: ORM add_all ({args.orm_sample:,})"
    print(
        f"{label:<40}{orm_seconds:>11.2f}s{raw_sample_seconds:>11.2f}s{orm_seconds / raw_sample_seconds:>7.2f}x  (why bulk work avoids the ORM)"
    )
    print(
        f"{'grid query, every MoU':<40}{grid:>11.3f}s{raw_grid:>11.3f}s{grid / raw_grid:>7.2f}x  <= 0.5 s"
    )
    for label, seconds in search_times.items():
        print(
            f"{'search: ' + label:<40}{seconds * 1000:>10.1f}ms{'':>12}{'':>8}  <= 50 ms  ({hits[label]:,} hits)"
        )
    ours.close()


if __name__ == "__main__":
    main()
