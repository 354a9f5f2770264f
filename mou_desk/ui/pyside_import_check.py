"""A cheaper answer to the question PySide6 asks of every module imported after it.

PySide6 (since 6.4, PYSIDE-2029) wraps ``import``: the first time a module is imported after
PySide6, it decides whether that module "uses PySide6" (for its optional ``__feature__``
switches) by calling ``inspect.getsource(module)`` and searching the text for "PySide6". That
reads, decodes and splits every line of the module's source and keeps the lines in
``linecache`` for the life of the process. For the first frame that is some 4 ms of
stdlib and MoU Desk modules; when the database opens it is SQLAlchemy's and alembic's few
hundred modules, about 0.2 s of the wait before the screens are live.

``install()`` swaps in a check with the same answer for a ``.py`` file: the raw bytes of the
file searched for ``b"PySide6"`` (the name is ASCII, so bytes and decoded text agree). Every
other module (built-in, extension, source-less) still gets PySide6's own check. MoU Desk uses
no ``__feature__`` switch, and the answer is the same either way; if a PySide6 release drops
or renames the private function, ``install()`` leaves PySide6 alone.

This module imports nothing but ``sys`` before the swap: each import here would be checked
the slow way.
"""

import sys

TYPE_CHECKING = False  # typing itself would be checked the slow way (120 KB of source)
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

_MARK = "_mou_desk_cheap_check"


def install() -> bool:
    """Use the cheaper check from now on; False when there is nothing (left) to replace."""
    import PySide6.QtCore  # noqa: F401  (loads PySide6's support package, which holds the check)

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original) or getattr(original, _MARK, False):
        return False
    feature._mod_uses_pyside = cheap_check(original)  # type: ignore[attr-defined]
    return True


def cheap_check(original: "Callable[[ModuleType], bool]") -> "Callable[[ModuleType], bool]":
    def mod_uses_pyside(module: "ModuleType") -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:  # noqa: PTH123  (pathlib would be checked)
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    setattr(mod_uses_pyside, _MARK, True)
    return mod_uses_pyside
