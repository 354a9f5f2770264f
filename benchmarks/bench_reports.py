"""Benchmark of the PDF portfolio report against the targets of issue 5.

Targets: 1,000 MoUs <= 1.5 s, 10,000 MoUs <= 6 s, memory <= 300 MB. Each measurement runs
in a fresh child process (imports done, fonts not yet loaded: what a clerk's first report
costs), which reports its wall time, CPU time and peak resident memory. Baselines measured
in the same run, on the same rows:

* ``giant LongTable``: the MoU table as ONE reportlab LongTable of plain strings in
  Helvetica (no fonts per script, no wrapping, no charts): the superlinear layout;
* ``chunked LongTables``: the same plain table cut into LongTables of 250 rows.

Usage: python benchmarks/bench_reports.py [--sizes 1000 10000] [--no-giant] [--lang en]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {1000: 1.5, 10000: 6.0}
MEMORY_TARGET_MB = 300

_CHILD = r"""
import io, json, resource, sys, time
from datetime import date
sys.path.insert(0, sys.argv[1])
mode, db_path, out, lang = sys.argv[2:6]
from mou_desk.services.desk import Desk
from mou_desk.services.reports import write_report
from mou_desk.services.listing import list_mous
desk = Desk.open(db_path)
as_of = date(2026, 11, 1)
wall, cpu = time.perf_counter(), time.process_time()
if mode == "report":
    write_report(desk, out, lang=lang, as_of=as_of)
else:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import LongTable, SimpleDocTemplate
    rows = [[r.ref, r.title, r.lead_partner, r.sector, r.district,
             str((as_of - r.stage_since).days), str(r.proposed_paise or ""), r.next_action,
             str(r.next_action_due or "")] for r in list_mous(desk.db)]
    style = [("FONT", (0, 0), (-1, -1), "Helvetica", 7), ("GRID", (0, 0), (-1, -1), 0.25, "grey")]
    widths = [78, 165, 128, 78, 68, 40, 54, 96, 50]
    if mode == "giant":
        story = [LongTable(rows, colWidths=widths, repeatRows=0, style=style)]
    else:
        story = [LongTable(rows[i:i + 250], colWidths=widths, style=style)
                 for i in range(0, len(rows), 250)]
    SimpleDocTemplate(out, pagesize=landscape(A4), invariant=True).build(story)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from pypdf import PdfReader
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": rss, "pages": len(PdfReader(out).pages)}))
"""


def _measure(mode: str, db: Path, out: Path, lang: str = "en") -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), mode, str(db), str(out), lang],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _database(folder: Path, n: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from mou_desk.services.desk import Desk
    from mou_desk.services.synthetic import load_synthetic

    path = folder / f"synthetic-{n}.sqlite3"
    desk = Desk.open(path, clerk="bench")
    started = time.perf_counter()
    load_synthetic(desk.db, n)
    desk.close()
    print(f"  built {n:,} MoUs in {time.perf_counter() - started:.1f} s")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--lang", choices=("en", "hi"), default="en")
    parser.add_argument("--no-giant", action="store_true", help="skip the giant-table baseline")
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        for n in args.sizes:
            db = _database(folder, n)
            report = _measure("report", db, folder / "report.pdf", args.lang)
            target = TARGETS.get(n)
            verdict = "" if target is None else ("ok" if report["wall"] <= target else "SLOW")
            memory = "ok" if report["rss_mb"] <= MEMORY_TARGET_MB else "OVER"
            lines.append(
                f"{n:>7,} MoUs  report ({args.lang})   {report['wall']:6.2f} s wall "
                f"{report['cpu']:6.2f} s cpu  {report['rss_mb']:5.0f} MB  "
                f"{report['pages']:5d} pages   target {target or '-'} s: {verdict}; "
                f"{MEMORY_TARGET_MB} MB: {memory}"
            )
            modes = ["chunked"] + ([] if args.no_giant else ["giant"])
            for mode in modes:
                base = _measure(mode, db, folder / f"{mode}.pdf")
                name = "giant LongTable" if mode == "giant" else "chunked LongTables"
                lines.append(
                    f"{'':>12} baseline: {name:<19} {base['wall']:6.2f} s wall "
                    f"{base['cpu']:6.2f} s cpu  {base['rss_mb']:5.0f} MB  {base['pages']:5d} pages"
                )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
