"""The desktop opens an encrypted replica by asking for its passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QMessageBox

from mou_desk.services.desk import Desk
from mou_desk.ui import passphrase
from mou_desk.ui.passphrase import PassphraseDialog, PassphraseTries
from mou_desk.ui.settings import Settings


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "laptop.sqlite3"
    desk = Desk.open(str(path), clerk="Laptop Clerk", passphrase="monsoon 2025")
    desk.mous.create({"title": "Rare-earth magnet plant, Noida"})
    desk.close()
    return path


def quiet_settings() -> Settings:
    from mou_desk.ui import settings as keys

    settings = Settings()
    settings.set(keys.BACKUP_MODE, "off")
    return settings


def answers(monkeypatch: pytest.MonkeyPatch, typed: list[str | None]) -> list[str]:
    """Make the dialog answer ``typed`` in turn; returns the problems it was shown."""
    shown: list[str] = []

    def ask(database: str, problem: str = "", parent: object = None) -> str | None:
        shown.append(problem)
        return typed.pop(0)

    monkeypatch.setattr(passphrase, "ask_passphrase", ask)
    return shown


def test_the_dialog_opens_only_with_a_passphrase_typed(qtbot) -> None:
    dialog = PassphraseDialog("laptop.sqlite3", "The passphrase does not open laptop.sqlite3.")
    qtbot.addWidget(dialog)
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.open_button.isEnabled()
    assert not dialog.problem.isHidden() and "does not open" in dialog.problem.text()
    qtbot.keyClicks(dialog.passphrase, "monsoon")
    assert dialog.open_button.isEnabled()
    assert PassphraseDialog("x.sqlite3").problem.isHidden()


def test_the_kept_passphrase_is_tried_before_the_clerk_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(passphrase.ENVIRONMENT, "kept")
    shown = answers(monkeypatch, ["typed"])
    tries = PassphraseTries("laptop.sqlite3")
    assert tries.current is None
    assert tries.after("encrypted") == "kept" and shown == []
    assert tries.after("The passphrase does not open it.") == "typed"
    assert shown == ["The passphrase does not open it."]


def test_start_asks_until_the_passphrase_opens_the_replica(
    encrypted: Path, qtbot, qapp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mou_desk.ui.app import start

    monkeypatch.delenv(passphrase.ENVIRONMENT, raising=False)
    before = encrypted.read_bytes()
    shown = answers(monkeypatch, ["wrong", "monsoon 2025"])
    window = start(qapp, str(encrypted), quiet_settings(), notice=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.desk_attached, timeout=30_000):
        pass
    assert shown == [
        "",
        f"The passphrase does not open {encrypted}. Check it and try again; "
        "the file has not been changed.",
    ]
    assert [m["title"] for m in window.desk.mous.all()] == ["Rare-earth magnet plant, Noida"]
    window.tasks.wait(10_000)
    assert encrypted.read_bytes()[:16] == before[:16]  # still encrypted: no plain header


def test_cancelling_the_passphrase_closes_without_a_message(
    encrypted: Path, qtbot, qapp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mou_desk.ui.app import start

    monkeypatch.delenv(passphrase.ENVIRONMENT, raising=False)
    before = encrypted.read_bytes()
    shown = answers(monkeypatch, [None])
    messages, codes = [], []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: messages.append(a[2]))
    monkeypatch.setattr(qapp, "exit", lambda code=0: codes.append(code))
    window = start(qapp, str(encrypted), quiet_settings(), notice=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(codes), timeout=30_000)
    assert shown == [""] and codes == [2] and messages == []
    assert encrypted.read_bytes() == before
    window.tasks.wait(10_000)
