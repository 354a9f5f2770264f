"""Where errors go from the start: the log file in the clerk's data folder, and the hook that
logs an uncaught error and shows it (ui.errors) instead of letting Qt abort or print a
traceback. Kept apart from the dialogs so that start-up loads none of them.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from mou_desk import paths

log = logging.getLogger("mou_desk.ui")

_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_file: Path | None = None) -> Path | None:
    """Write warnings and errors to the log file in the user's data folder (once per process)."""
    target = log_file or paths.log_file()
    root = logging.getLogger("mou_desk")
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == target:
            return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(target, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return target


def install_excepthook() -> None:
    """Log uncaught exceptions and show them instead of letting Qt abort or print a traceback."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        log.error("Uncaught error", exc_info=(kind, exc, tb))
        if QApplication.instance() is not None:
            from mou_desk.ui.errors import show_error

            show_error(QApplication.activeWindow(), exc, logged=True)

    sys.excepthook = hook
