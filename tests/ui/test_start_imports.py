"""``mou-desk`` loads only what its first frame shows before painting it.

Each module below costs a millisecond or more to import (or, for dataclasses, ~0.7 ms per
class created), none of it is needed to paint the MoU table's first rows, and the start-up
target (benchmarks/bench_gui.py) has no room for it. They load just after the first frame.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mou_desk.services.desk import Desk

NOT_BEFORE_FIRST_FRAME = (
    "dataclasses",  # a dataclass is generated code, compiled as the class is created
    "decimal",  # money's exact arithmetic: the crore column is whole paise (indian_numbers)
    "json",
    "sqlalchemy",  # the database layer loads on a worker while the first frame shows
    "alembic",
    "openpyxl",
    "reportlab",
    "PySide6.QtNetwork",  # the single-instance server listens just after the first frame
    "mou_desk.domain.money",
    "mou_desk.domain.stage_rules",
    "mou_desk.services.desk",
    "mou_desk.ui.errors",
    "mou_desk.ui.passphrase",
)

FIRST_FRAME = """
import sys
import mou_desk.ui.app as desktop

def start(*args, **kwargs):
    window = real_start(*args, **kwargs)

    def painted():
        shown = window.stack.currentWidget()
        print(shown.objectName(), shown.model.rowCount())
        print(*sorted(sys.modules))
        window.hide()
        from PySide6.QtCore import QCoreApplication
        QCoreApplication.exit(0)

    window.first_painted.connect(painted)
    return window

real_start, desktop.start = desktop.start, start
from mou_desk.cli.main import main

sys.exit(main(["--db", sys.argv[1]]))
"""


def test_the_first_frame_imports_none_of_the_heavy_modules(desk: Desk, tmp_path: Path) -> None:
    desk.mous.create({"title": "Rare earth magnet plant 磁石", "sector": "Magnets"})
    env = {
        **os.environ, "QT_QPA_PLATFORM": "offscreen", "MOU_DESK_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "settings"),
    }  # fmt: skip
    seed = (
        "from mou_desk.ui import settings as keys\n"
        "from mou_desk.ui.settings import Settings\n"
        "s = Settings(); s.set(keys.START_PAGE, 'mous'); s.set(keys.BACKUP_MODE, 'off')\n"
        "s.set(keys.NOTICE_LAST, '2999-01-01'); s.sync()\n"
    )
    subprocess.run([sys.executable, "-c", seed], env=env, check=True, timeout=60)
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(desk.opened.url)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    shown, modules = out.stdout.splitlines()[-2:]
    assert shown == "mousPreview 1"
    loaded = set(modules.split())
    assert "mou_desk.ui.main_window" in loaded  # the list is the one printed at the first frame
    assert sorted(loaded.intersection(NOT_BEFORE_FIRST_FRAME)) == []
