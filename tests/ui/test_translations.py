"""Every user-visible string can be translated: Qt's extractor finds them all.

pyside6-lupdate only recognises ``self.tr(...)``, ``QCoreApplication.translate(...)`` and
``QT_TRANSLATE_NOOP(...)`` spelled out; an alias such as ``tr = QCoreApplication.translate``
makes it take the context for the text, so the real text is never offered to a translator.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "mou_desk" / "ui"
TRANSLATE_NAMES = {"translate", "tr"}


def ui_sources() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def aliases_of_translate(path: Path) -> list[str]:
    """``name = X.translate`` / ``name = self.tr`` assignments: text behind them is lost."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        value = node.value if isinstance(node, ast.Assign) else None
        if isinstance(value, ast.Attribute) and value.attr in TRANSLATE_NAMES:
            found.append(f"{path.relative_to(UI.parent.parent)}:{node.lineno}")
    return found


def test_no_module_aliases_qt_translation_functions() -> None:
    offenders = [where for path in ui_sources() for where in aliases_of_translate(path)]
    assert offenders == []


def test_aliases_are_detected() -> None:
    """The check above can fail: it sees the alias pattern the extractor cannot follow."""
    sample = UI.parent.parent / "tests" / "ui" / "_alias_sample.py"
    sample.write_text("tr = QCoreApplication.translate\nx = tr('Ctx', 'Text')\n")
    try:
        assert aliases_of_translate(sample) == ["tests/ui/_alias_sample.py:1"]
    finally:
        sample.unlink()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    ts = tmp_path_factory.mktemp("ts") / "mou_desk.ts"
    listing = ts.with_suffix(".lst")
    listing.write_text("\n".join(str(p) for p in ui_sources()), encoding="utf-8")
    done = subprocess.run(
        [str(lupdate), f"@{listing}", "-ts", str(ts)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in root.iter("context")
        for message in context.iter("message")
    }


@pytest.mark.parametrize(
    ("context", "text"),
    [
        ("MouForm", "Lead partner"),
        ("MouForm", "Realised investment (₹)"),
        ("MainWindow", "Trips & meetings"),
        ("ImportWizard", "Follow-ups"),
    ],
)
def test_labels_built_in_tables_reach_the_translator(
    extracted: set[tuple[str, str]], context: str, text: str
) -> None:
    assert (context, text) in extracted


def test_no_context_name_was_taken_for_a_text(extracted: set[tuple[str, str]]) -> None:
    contexts = {context for context, _ in extracted}
    assert sorted(text for _, text in extracted if text in contexts) == []


def test_every_text_is_filed_under_a_context(extracted: set[tuple[str, str]]) -> None:
    """A text with no context (``tr`` wrappers, ``window.tr`` from outside the class) is
    looked up at run time under a context the translation file does not have."""
    assert sorted(text for context, text in extracted if not context) == []
