"""The cheaper "does this module use PySide6?" check gives PySide6's own answer."""

from __future__ import annotations

import _sqlite3
import inspect
import os
import sys
import typing
from pathlib import Path
from types import ModuleType

import mou_desk.domain.money
import mou_desk.ui.app
from mou_desk.ui import pyside_import_check


def pyside_answer(module: ModuleType) -> bool:
    """What PySide6's ``_mod_uses_pyside`` answers (shibokensupport/feature.py)."""
    try:
        source = inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False
    return "PySide6" in source


def test_installed_at_ui_import() -> None:
    feature = sys.modules["shibokensupport.feature"]
    assert getattr(feature._mod_uses_pyside, "_mou_desk_cheap_check", False)
    assert pyside_import_check.install() is False  # once is enough


def test_same_answer_as_pyside() -> None:
    asked: list[str] = []

    def original(module: ModuleType) -> bool:
        asked.append(module.__name__)
        return pyside_answer(module)

    check = pyside_import_check.cheap_check(original)
    modules = [mou_desk.ui.app, mou_desk.domain.money, os, typing, inspect, _sqlite3, sys]
    answers = {module.__name__: check(module) for module in modules}
    assert answers == {module.__name__: pyside_answer(module) for module in modules}
    assert answers["mou_desk.ui.app"] is True
    assert answers["mou_desk.domain.money"] is False
    # modules without a .py file (an extension, a built-in) are left to PySide6's own check
    assert asked == ["_sqlite3", "sys"]


def test_unreadable_source_falls_back(tmp_path: Path) -> None:
    module = ModuleType("gone")
    module.__file__ = str(tmp_path / "gone.py")
    check = pyside_import_check.cheap_check(lambda _module: False)
    assert check(module) is False
    written = tmp_path / "uses.py"
    written.write_text("from PySide6.QtCore import QObject  # नमस्ते\n", encoding="utf-8")
    module.__file__ = str(written)
    assert check(module) is True
