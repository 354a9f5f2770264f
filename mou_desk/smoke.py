"""``mou-desk --smoke-test``: prove a build works, touching nothing of the clerk's.

Opens the main window offscreen the way the desktop client starts (``ui.app.start``) on a
database in a temporary folder, loads the sample portfolio, writes an Excel export and a PDF
report, checks both can be read back, closes the window and returns 0. Any failure prints one
line on stderr and returns 1. Meant for build scripts and CI, not for clerks.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: the whole run must finish within this; a hung start-up counts as a failure
TIMEOUT_MS = 120_000


def run() -> int:
    """Run the smoke test; the process's exit code."""
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="mou-desk-smoke-"))
    saved = {name: os.environ.get(name) for name in ("MOU_DESK_HOME", "MOU_DESK_DB")}
    os.environ["MOU_DESK_HOME"] = str(folder / "home")
    os.environ.pop("MOU_DESK_DB", None)
    try:
        problem = _run_app(folder)
    except Exception as exc:  # the one line below is the whole report
        problem = f"{type(exc).__name__}: {exc}"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(folder, ignore_errors=True)
    if problem:
        print(f"mou-desk smoke test FAILED: {problem}", file=sys.stderr)
        return 1
    print(f"mou-desk smoke test passed in {time.perf_counter() - started:.1f} s")
    return 0


def _run_app(folder: Path) -> str:
    """Start the app on a fresh database in ``folder``; '' when all went well, else why not."""
    from PySide6.QtCore import QSettings, QTimer  # noqa: TID251 - drives the whole app

    from mou_desk import paths
    from mou_desk.ui.app import make_application, start
    from mou_desk.ui.settings import Settings

    # The clerk's own settings (the registry on Windows) stay untouched: an INI file here.
    store = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings = Settings(store)
    app = make_application([sys.argv[0] if sys.argv else "mou-desk"])
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    database = str(paths.default_database())
    window = start(app, database, settings, notice=False)
    outcome: list[str] = []

    def finish(problem: str) -> None:
        if outcome:
            return
        outcome.append(problem)
        window.tasks.cancel_all()
        close_when_idle()

    def close_when_idle() -> None:
        # Background work (counts, the start-up backup) reports back through the event loop;
        # closing before it has would stop to ask whether to abandon it.
        if window.tasks.active_count():
            QTimer.singleShot(20, close_when_idle)
            return
        window.close()
        app.exit(1 if outcome[0] else 0)

    def exercise() -> None:
        try:
            _exercise(window.desk, folder / "out")
        except Exception as exc:  # reported as the one line
            finish(f"{type(exc).__name__}: {exc}")
        else:
            finish("")

    def timed_out() -> None:
        problem = f"the app did not finish within {TIMEOUT_MS // 1000} s"
        if outcome:  # stuck while closing: leave every event loop, dialogs' included
            outcome[0] = outcome[0] or problem
            app.exit(1)
            return
        finish(problem)

    deferred: Callable[[], None] = lambda: QTimer.singleShot(0, exercise)  # noqa: E731
    window.desk_attached.connect(deferred)
    QTimer.singleShot(TIMEOUT_MS, timed_out)
    code = app.exec()
    window.deleteLater()
    if not outcome:
        return f"the app stopped early (exit code {code})"
    return outcome[0]


def _exercise(desk: object, out: Path) -> None:
    """Load the sample portfolio, write an export and a report, and read both back."""
    from openpyxl import load_workbook

    from mou_desk.services.demo import load_demo
    from mou_desk.services.desk import Desk
    from mou_desk.services.exports import export_workbook
    from mou_desk.services.reports import write_report

    if not isinstance(desk, Desk):
        raise RuntimeError("the database did not open")
    result = load_demo(desk)
    if result.created == 0:
        raise RuntimeError("the sample portfolio created no records")
    out.mkdir(parents=True, exist_ok=True)
    workbook_path = export_workbook(desk.db, out / "smoke-export.xlsx").path
    report_path = write_report(desk, out / "smoke-report.pdf")
    for path in (workbook_path, report_path):
        if not path.is_file() or path.stat().st_size == 0:
            raise RuntimeError(f"{path.name} was not written")
    workbook = load_workbook(workbook_path, read_only=True)
    try:
        if not workbook.sheetnames:
            raise RuntimeError(f"{workbook_path.name} has no sheets")
    finally:
        workbook.close()
    with report_path.open("rb") as pdf:
        if pdf.read(4) != b"%PDF":
            raise RuntimeError(f"{report_path.name} is not a PDF")
