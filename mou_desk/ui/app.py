"""The composition root: paths -> settings -> one instance per database -> Desk -> main window.

``mou-desk`` with no command calls ``run(db, argv)``. Nothing here imports openpyxl or
reportlab; screens are imported when first shown. What only an error, a second launch or an
encrypted file needs (message boxes, the passphrase dialog, the domain's errors) is imported
where it is used: every import on the way to the first frame would delay it.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from mou_desk import paths
from mou_desk.ui import settings as keys
from mou_desk.ui.main_window import AFTER_FIRST_FRAME_MS, MainWindow
from mou_desk.ui.settings import APPLICATION, ORGANIZATION, Settings
from mou_desk.ui.tasks import TaskContext, TaskRunner

if TYPE_CHECKING:
    from mou_desk.services.desk import Desk
    from mou_desk.ui.passphrase import PassphraseTries

log = logging.getLogger("mou_desk.ui.app")


def make_application(argv: list[str]) -> QApplication:
    """The QApplication with the names QSettings uses, Fusion style, icon and translations.

    High-DPI scale factors pass through unrounded (Qt 6's default policy).
    """
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
        app.setStyle("Fusion")
    else:
        # As a command-line option the style is made inside Qt, when the first widget needs
        # it; app.setStyle() would hand a QStyle to Python, whose enums take a while to build.
        app = QApplication([*argv[:1], "-style", "Fusion", *argv[1:]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("MoU Desk")
    _install_translations(app)
    return app


def set_window_icon(app: QApplication) -> None:
    """MoU Desk's icon on its windows. ``start`` sets it just after the first frame: QIcon's
    Python enums (its hundred-odd theme icons) cost ~2 ms, and the icon is not in the frame."""
    from PySide6.QtGui import QIcon

    icon = paths.resources_dir() / "icons" / "mou-desk.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def _install_translations(app: QApplication) -> None:
    locale = QLocale.system()
    folder = paths.resources_dir() / "translations"
    for name, where in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                        ("mou_desk", str(folder))):  # fmt: skip
        translator = QTranslator(app)
        if translator.load(locale, name, "_", where):
            app.installTranslator(translator)


def choose_database(given: str, settings: Settings) -> str:
    """The database to open: ``--db``/MOU_DESK_DB when given, else the one chosen in Settings.

    The command line passes the default file when the clerk named none; then the Settings
    choice (applied on restart) wins.
    """
    chosen = settings.get(keys.DATABASE).strip()
    default = str(paths.default_database())
    named = given and not (given == default and not os.environ.get("MOU_DESK_DB"))
    if named:
        return given
    return chosen or given or default


def open_desk(database: str, clerk: str) -> Desk | None:
    """Open the database, or tell the clerk why it cannot be opened (never a traceback)."""
    from PySide6.QtWidgets import QMessageBox

    from mou_desk.domain.errors import DeskError
    from mou_desk.services.desk import Desk

    try:
        return Desk.open(database, clerk=clerk, origin="desktop")
    except DeskError as exc:
        log.warning("Cannot open %s: %s", database, exc)
        QMessageBox.critical(None, QApplication.translate("app", "MoU Desk"), str(exc))
        return None


def auto_backup(desk: Desk, settings: Settings, tasks: TaskRunner, *, at_exit: bool) -> None:
    """Write the automatic backup when it is due (on a worker at start, at once on exit)."""
    from mou_desk.domain.errors import DeskError
    from mou_desk.services.auto_backup import backup_due, make_backup

    now = datetime.now()
    if not backup_due(settings.get(keys.BACKUP_MODE), settings.last_backup(), now,
                      at_exit=at_exit):  # fmt: skip
        return
    folder, keep, engine = settings.backup_folder(), settings.get(keys.BACKUP_KEEP), desk.db.engine

    def done(path: Path) -> None:
        settings.set(keys.BACKUP_LAST, now.isoformat(timespec="seconds"))
        settings.sync()
        log.info("Automatic backup written to %s", path)

    if at_exit:
        try:
            done(make_backup(engine, folder, keep, now))
        except (DeskError, OSError) as exc:
            log.error("Automatic backup failed: %s", exc)
        return

    def work(_ctx: TaskContext) -> Path:
        return make_backup(engine, folder, keep, now)

    tasks.run(work, done, quiet=True, label=QApplication.translate("app", "Backing up"))


def start(
    app: QApplication, database: str, settings: Settings, *, notice: bool = True
) -> MainWindow:
    """Show the main window at once, then open the database on a worker and attach it.

    The MoUs screen paints its first rows straight from the file (services.first_rows) while
    SQLAlchemy loads and the database is checked and, if older, upgraded after a backup.
    A database that cannot be opened is explained in a message and the app exits with 2; an
    encrypted one asks for its passphrase (ui.passphrase) until it opens or the clerk cancels.
    """
    from mou_desk.ui.mous.preview import preview_rows

    tasks = TaskRunner()
    window = MainWindow(
        None,
        tasks,
        settings,
        database=database,
        preview=lambda limit: preview_rows(database, settings, limit),
    )
    # Made at the first refusal: most database files are not encrypted.
    passphrases: PassphraseTries | None = None

    def opened(desk: Desk) -> None:
        window.attach_desk(desk)
        if desk.opened is not None and desk.opened.backup is not None:
            window.statusBar().showMessage(
                QApplication.translate(
                    "app", "The database was upgraded; the old copy is kept at {0}"
                ).format(desk.opened.backup), 15000,
            )  # fmt: skip
        if notice:
            QTimer.singleShot(0, window.show_startup_notice)
        QTimer.singleShot(3000, lambda: auto_backup(desk, settings, tasks, at_exit=False))

        def on_quit() -> None:
            tasks.cancel_all()
            tasks.wait(10_000)
            current = window.desk
            if current is None:  # opened() attached it above; the check narrows the type
                return
            auto_backup(current, settings, tasks, at_exit=True)
            current.close()

        app.aboutToQuit.connect(on_quit)

    def failed(exc: BaseException) -> None:
        nonlocal passphrases
        from PySide6.QtWidgets import QMessageBox

        from mou_desk.domain.errors import DeskError, PassphraseProblem

        if not isinstance(exc, DeskError):
            tasks.report_error(exc)
            return
        if isinstance(exc, PassphraseProblem):
            if passphrases is None:
                from mou_desk.ui.passphrase import PassphraseTries

                passphrases = PassphraseTries(database, window)
            if passphrases.after(str(exc)) is not None:
                open_database()
                return
            log.info("No passphrase given for %s; closing", database)
            window.hide()
            app.exit(2)
            return
        log.warning("Cannot open %s: %s", database, exc)
        window.hide()
        QMessageBox.critical(None, QApplication.translate("app", "MoU Desk"), str(exc))
        app.exit(2)

    def open_database() -> None:
        clerk = settings.clerk()
        passphrase = passphrases.current if passphrases is not None else None

        def work(_ctx: TaskContext) -> Desk:
            from mou_desk.services.desk import Desk

            return Desk.open(database, clerk=clerk, origin="desktop", passphrase=passphrase)

        tasks.run(
            work,
            opened,
            on_error=failed,
            quiet=True,
            label=QApplication.translate("app", "Opening"),
        )

    # Opening loads SQLAlchemy and the migrations (most of a second): after the first frame.
    window.first_painted.connect(lambda: QTimer.singleShot(AFTER_FIRST_FRAME_MS, open_database))
    window.first_painted.connect(
        lambda: QTimer.singleShot(AFTER_FIRST_FRAME_MS, lambda: set_window_icon(app))
    )
    window.show()
    return window


def run(db_path_or_url: str, argv: list[str]) -> int:
    """Open the desktop client on a database; the process's exit code."""
    from mou_desk.ui.error_log import install_excepthook, setup_logging
    from mou_desk.ui.single_instance import SingleInstance, instance_key

    setup_logging()
    install_excepthook()
    app = make_application(argv)
    settings = Settings()
    database = choose_database(db_path_or_url, settings)
    single = SingleInstance(instance_key(database))
    if not single.acquire(listen=False):
        if single.forward(list(argv[1:])):
            return 0
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(
            None, app.translate("app", "MoU Desk"),
            app.translate("app", "MoU Desk already has this database open but does not answer. "
                                 "Close it (or wait a moment) and try again."),
        )  # fmt: skip
        return 1
    window = start(app, database, settings)
    single.activation_requested.connect(window.bring_to_front)
    # QtNetwork takes a few milliseconds to load: after the first frame, like the rest of the
    # work that can wait (a launch in between retries for seconds: SingleInstance.forward).
    window.first_painted.connect(lambda: QTimer.singleShot(AFTER_FIRST_FRAME_MS, single.listen))
    code = app.exec()
    single.release()
    return int(code)
