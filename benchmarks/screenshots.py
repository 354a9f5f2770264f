"""Screenshots of every main screen on the sample portfolio, drawn offscreen, for the README.

    python benchmarks/screenshots.py [FOLDER] [--size 1366x800]

FOLDER defaults to resources/screenshots/. The sample portfolio (services.demo) is loaded
into a temporary database and the settings go to a temporary file. Each navigation page is
shown in the real main window (mou_desk/ui/main_window.py); without it, each screen is shown
on its own at the same size. The bundled Noto and IPAex fonts are registered first, so Japanese and Hindi render on
a machine without system CJK or Devanagari fonts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from mou_desk.paths import resources_dir
from mou_desk.services.demo import demo_id, load_demo
from mou_desk.services.desk import Desk

Shot = tuple[str, Callable[[], QWidget]]


def register_fonts() -> list[str]:
    families: list[str] = []
    for path in sorted((resources_dir() / "fonts").glob("*.tt[fc]")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families += QFontDatabase.applicationFontFamilies(font_id)
    if "Noto Sans" in families:
        font = QFont("Noto Sans", 10)
        # Fallbacks for scripts Noto Sans lacks: Devanagari, then Japanese.
        QFont.insertSubstitutions("Noto Sans", ["Noto Sans Devanagari", "IPAexGothic"])
        QApplication.setFont(font)
    return sorted(set(families))


def standalone_screens(desk: Desk, tasks: object) -> list[Shot]:
    """Each screen on its own, selected as a clerk would have it during the day."""
    from mou_desk.ui.contacts.view import ContactsView
    from mou_desk.ui.dashboard.view import DashboardView
    from mou_desk.ui.followups.view import FollowUpsView
    from mou_desk.ui.partners.view import PartnersView
    from mou_desk.ui.pipeline.view import PipelineView
    from mou_desk.ui.trips.view import TripsView

    def partners() -> QWidget:
        view = PartnersView(desk, tasks)
        view.select_id(demo_id("partner:tanaka"))
        return view

    def trips() -> QWidget:
        view = TripsView(desk, tasks)
        view.select_id(demo_id("trip:japan-2025"))
        return view

    shots: list[Shot] = [
        ("01-dashboard", lambda: DashboardView(desk, tasks)),
        ("02-pipeline", lambda: PipelineView(desk, tasks)),
    ]
    try:
        from mou_desk.ui.mous.view import MousView

        shots.append(("03-mous", lambda: MousView(desk, tasks)))  # type: ignore[arg-type]
    except ImportError:
        pass
    shots += [
        ("04-partners", partners),
        ("05-contacts", lambda: ContactsView(desk, tasks)),
        ("06-trips-and-meetings", trips),
        ("07-follow-ups", lambda: FollowUpsView(desk, tasks)),
    ]
    return shots


def dialogs(desk: Desk) -> list[Shot]:
    from mou_desk.services.agenda import startup_notice
    from mou_desk.ui.followups.notice import StartupNoticeDialog
    from mou_desk.ui.trips.meeting_editor import MeetingEditor

    def meeting() -> QWidget:
        return MeetingEditor(desk, desk.engagements.get(demo_id("meeting:tanaka")))

    def notice() -> QWidget:
        last_seen = desk.db.today() - timedelta(days=8)
        return StartupNoticeDialog(startup_notice(desk.db, last_seen))

    shots: list[Shot] = [("20-meeting-editor", meeting), ("21-start-up-notice", notice)]
    try:
        from mou_desk.ui.mous.editor import MouEditor

        shots.insert(0, ("10-mou-editor", lambda: MouEditor(desk, demo_id("mou:magnets"))))
    except ImportError:
        pass
    return shots


def main_window_screens(desk: Desk, tasks: object, settings_file: Path) -> list[Shot] | None:
    """The real main window on each navigation page, as a clerk sees it."""
    try:
        from mou_desk.ui import main_window
        from mou_desk.ui.settings import Settings
    except ImportError:
        return None
    from PySide6.QtCore import QSettings

    settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    window = main_window.MainWindow(desk, tasks, settings)
    selections = {"partners": demo_id("partner:tanaka"), "trips": demo_id("trip:japan-2025")}

    def page(key: str) -> Callable[[], QWidget]:
        def show() -> QWidget:
            view = window.show_page(key)
            if key in selections:
                view.select_id(selections[key])  # type: ignore[attr-defined]
            return window

        return show

    keys = [key for key, _module, _name in main_window.SCREENS]
    return [(f"{n:02d}-{key}", page(key)) for n, key in enumerate(keys, start=1)]


def save(widget: QWidget, folder: Path, name: str, size: QSize) -> Path:
    if isinstance(widget, QDialog) and not name.startswith("10-"):
        widget.adjustSize()
        widget.resize(max(widget.width(), 640), widget.height())
    else:
        widget.resize(size)
    widget.show()
    QApplication.processEvents()  # one pass: layouts and the first paint, nothing to wait for
    path = folder / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"Could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(resources_dir() / "screenshots"))
    parser.add_argument("--size", default="1366x800", help="window size, e.g. 1366x800")
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    size = QSize(int(width), int(height))
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    families = register_fonts()
    from mou_desk.ui.tasks import SyncTaskRunner

    tasks = SyncTaskRunner()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desk.open(Path(tmp) / "screenshots.sqlite3", clerk="Screenshot")
        load_demo(desk)
        settings_file = Path(tmp) / "settings.ini"
        shots = main_window_screens(desk, tasks, settings_file) or standalone_screens(desk, tasks)
        for name, build in shots + dialogs(desk):
            widget = build()
            written.append(save(widget, folder, name, size))
            if widget.isWindow():
                widget.hide()
        desk.close()
    del app
    print(f"{len(written)} screenshots in {folder} (as on {date.today():%d-%m-%Y}); fonts: "
          + ", ".join(families))  # fmt: skip
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
