"""Guard against a Qt binding that leaks references to None (PySide6 6.12.0 on Python 3.11).

Every void Qt call there took one reference from None; after a few thousand calls the
interpreter aborts with "none_dealloc". Tests hold enough references to None never to reach
zero, so the check counts them instead of waiting for the crash.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(2_000):
        label.setText(str(number))
    after = sys.getrefcount(None)
    assert before - after < 100, f"Qt calls lost {before - after} references to None"
