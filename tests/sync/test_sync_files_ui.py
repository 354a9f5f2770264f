"""The Sync menu's hand-over without a connection and its replicas for a trip, driven as a
clerk would: file dialogs and message boxes answered by the test, never blocking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from mou_desk.domain.errors import DeskError
from mou_desk.services import access
from mou_desk.services.desk import Desk
from mou_desk.services.sync import replica_status
from mou_desk.storage.models.access import Role
from mou_desk.ui.errors import ErrorDialog
from mou_desk.ui.sync import SyncUi, install_sync
from mou_desk.ui.tasks import SyncTaskRunner
from tests.sync.test_sync_basics import make_replica, portfolio, snapshot


class Clerk:
    """Answers the file dialogs as told and keeps what the message boxes said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open_file = ""
        self.save_files: list[str | None] = []  # None: accept the name offered
        self.offered: list[str] = []
        self.messages: list[tuple[str, str, str]] = []
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._open)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._save)
        for kind in ("information", "warning"):
            monkeypatch.setattr(QMessageBox, kind, self._message(kind))

    def _open(self, *_args: Any, **_kwargs: Any) -> tuple[str, str]:
        return self.open_file, ""

    def _save(self, _parent: Any, _title: str, offered: str, *_rest: Any) -> tuple[str, str]:
        self.offered.append(offered)
        chosen = self.save_files.pop(0) if self.save_files else ""
        return (offered if chosen is None else chosen), ""

    def _message(self, kind: str) -> Any:
        def show(_parent: Any, title: str, text: str, *_rest: Any) -> QMessageBox.StandardButton:
            self.messages.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    @property
    def last(self) -> str:
        return self.messages[-1][2]


def error_dialogs() -> list[ErrorDialog]:
    windows = QApplication.topLevelWidgets()
    return [w for w in windows if isinstance(w, ErrorDialog) and w.isVisible()]


def only_error() -> ErrorDialog:
    """The one error shown: a message for the clerk, never a traceback."""
    shown = error_dialogs()
    assert len(shown) == 1
    dialog = shown[0]
    assert not dialog.details.isVisible() and "Traceback" not in dialog.message_label.text()
    dialog.close()
    return dialog


@pytest.fixture(autouse=True)
def _no_error_dialogs_left() -> Iterator[None]:
    """Each test sees only the error dialogs it caused (they are top-level windows)."""
    for dialog in error_dialogs():
        dialog.close()
    yield
    for dialog in error_dialogs():
        dialog.close()


@pytest.fixture
def clerk(monkeypatch: pytest.MonkeyPatch) -> Clerk:
    return Clerk(monkeypatch)


@pytest.fixture
def laptop(
    shared_sqlite: tuple[Desk, str], tmp_path: Path
) -> Iterator[tuple[Desk, Desk, dict[str, str]]]:
    desk, url = shared_sqlite
    ids = portfolio(desk)
    replica = make_replica(desk, url, tmp_path / "laptop.sqlite3", clerk="Laptop")
    yield desk, replica, ids
    replica.close()


def window_for(qtbot: QtBot, desk: Desk) -> tuple[QMainWindow, SyncUi]:
    window = QMainWindow()
    qtbot.addWidget(window)
    ui = install_sync(window, SyncTaskRunner(window), lambda: desk)
    return window, ui


def test_a_round_trip_through_sync_files_from_the_menu(
    qtbot: QtBot,
    laptop: tuple[Desk, Desk, dict[str, str]],
    clerk: Clerk,
    tmp_path: Path,
) -> None:
    shared, replica, ids = laptop
    laptop_window, on_laptop = window_for(qtbot, replica)
    _office_window, at_office = window_for(qtbot, shared)
    mou = replica.mous.get(ids["pharma"])
    replica.mous.update(mou.id, {"notes": "agreed in Osaka"}, mou.version)
    made = replica.mous.create({"title": "Made on the trip"})
    partner = shared.partners.get(ids["partner"])
    shared.partners.update(partner.id, {"city": "Kyoto"}, partner.version)

    # on the laptop: write the changes (the name is given without its suffix)
    clerk.save_files = [str(tmp_path / "osaka")]
    on_laptop.write_file_action.trigger()
    changes = tmp_path / "osaka.mousync"
    assert changes.exists() and clerk.offered[0].endswith(".mousync")
    assert "Wrote 2 record(s) changed here" in clerk.last and str(changes) in clerk.last
    assert on_laptop.write_file_action.isEnabled()

    # at the office: apply them, the answer goes where it is offered (next to the file)
    clerk.open_file = str(changes)
    clerk.save_files = [None]
    with qtbot.waitSignal(at_office.records_changed):
        at_office.apply_file_action.trigger()
    answer = tmp_path / "osaka.answer.mousync"
    assert clerk.offered[-1] == str(answer) and answer.exists()
    assert clerk.messages[-1][0] == "information"
    assert "1 new and 1 changed record(s); 0 conflict(s)" in clerk.last
    assert str(answer) in clerk.last
    assert shared.mous.get(ids["pharma"]).values["notes"] == "agreed in Osaka"
    assert shared.mous.get(made.id).values["title"] == "Made on the trip"

    # applied again by mistake: nothing new, said so
    clerk.save_files = [None]
    at_office.apply_file_action.trigger()
    assert "Nothing new to merge" in clerk.last

    # back on the laptop: the answer is taken in like an online sync's reply
    before = replica_status(replica)
    assert before is not None and before.last_synced_at is not None
    clerk.open_file = str(answer)
    with qtbot.waitSignal(on_laptop.records_changed), qtbot.waitSignal(on_laptop.synced):
        on_laptop.apply_file_action.trigger()
    assert "Took in the answer from shared.sqlite3" in clerk.last
    assert laptop_window.statusBar().currentMessage().startswith("Synced through a sync file")
    assert replica.partners.get(ids["partner"]).values["city"] == "Kyoto"
    assert snapshot(replica) == snapshot(shared)
    status = replica_status(replica)
    assert status is not None and status.local_changes == 0
    assert status.last_synced_at is not None and status.last_synced_at > before.last_synced_at
    assert on_laptop.status_widget.label.text().endswith(status.last_synced_text())
    assert error_dialogs() == []


def test_a_laptops_file_refreshes_the_office_windows_screens(
    qtbot: QtBot,
    laptop: tuple[Desk, Desk, dict[str, str]],
    clerk: Clerk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mou_desk.ui.main_window import MainWindow
    from mou_desk.ui.settings import Settings

    shared, replica, _ids = laptop
    replica.mous.create({"title": "Made on the trip"})
    clerk.save_files = [str(tmp_path / "trip.mousync")]
    window_for(qtbot, replica)[1].write_file_action.trigger()
    office = MainWindow(shared, SyncTaskRunner(), Settings(), start_page="dashboard")
    qtbot.addWidget(office)
    changed: list[str] = []
    monkeypatch.setattr(office, "_mark_changed", lambda source="": changed.append(source))
    clerk.open_file = str(tmp_path / "trip.mousync")
    clerk.save_files = [None]
    office.sync_ui.apply_file_action.trigger()
    assert changed == [""]
    assert (tmp_path / "trip.answer.mousync").exists()


def test_bad_files_give_a_message_and_change_nothing(
    qtbot: QtBot,
    laptop: tuple[Desk, Desk, dict[str, str]],
    clerk: Clerk,
    tmp_path: Path,
) -> None:
    shared, replica, _ids = laptop
    _w, on_laptop = window_for(qtbot, replica)
    _w2, at_office = window_for(qtbot, shared)
    replica.mous.create({"title": "Made on the trip"})
    before = snapshot(shared)

    junk = tmp_path / "holiday photos.mousync"
    junk.write_bytes(b"\x89PNG not a sync file")
    clerk.open_file = str(junk)
    clerk.save_files = [None]
    at_office.apply_file_action.trigger()
    assert "is not a MoU Desk sync file" in only_error().message_label.text()
    assert not (tmp_path / "holiday photos.answer.mousync").exists()
    assert at_office.apply_file_action.isEnabled()  # ready for the right file

    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    clerk.save_files = [str(blocker / "trip.mousync")]
    on_laptop.write_file_action.trigger()
    assert "could not be written" in only_error().message_label.text()
    status = replica_status(replica)
    assert status is not None and status.last_exported_at is None

    changes = tmp_path / "trip.mousync"
    clerk.save_files = [str(changes)]
    on_laptop.write_file_action.trigger()
    clerk.open_file = str(changes)
    clerk.save_files = [str(blocker / "trip.answer.mousync")]
    at_office.apply_file_action.trigger()
    assert "Nothing was applied" in only_error().message_label.text()

    on_laptop.apply_file_action.trigger()  # the laptop's own changes, back on the laptop
    assert "cannot be synced with itself" in only_error().message_label.text()

    other = Desk.open(tmp_path / "another department.sqlite3", clerk="Elsewhere")
    _w3, elsewhere = window_for(qtbot, other)
    clerk.save_files = [None]
    elsewhere.apply_file_action.trigger()
    assert "made from another database" in only_error().message_label.text()
    assert other.mous.all() == []
    other.close()

    clerk.save_files = [None]
    at_office.apply_file_action.trigger()
    answer = tmp_path / "trip.answer.mousync"
    after = snapshot(shared)
    clerk.open_file = str(answer)
    at_office.apply_file_action.trigger()  # the answer belongs on the laptop
    assert "apply it on that replica" in only_error().message_label.text()
    assert snapshot(shared) == after != before


def test_a_viewer_is_told_and_nothing_is_applied(
    qtbot: QtBot,
    laptop: tuple[Desk, Desk, dict[str, str]],
    clerk: Clerk,
    tmp_path: Path,
) -> None:
    shared, replica, _ids = laptop
    replica.mous.create({"title": "Made on the trip"})
    changes = tmp_path / "trip.mousync"
    clerk.save_files = [str(changes)]
    window_for(qtbot, replica)[1].write_file_action.trigger()
    access.grant(shared.db, "Server Clerk", Role.ADMIN)
    viewer = Desk.for_database(shared.db.as_(clerk="Visiting Officer"), shared.opened)
    before = snapshot(shared)
    _w, at_office = window_for(qtbot, viewer)
    clerk.open_file = str(changes)
    clerk.save_files = [None]
    at_office.apply_file_action.trigger()
    text = only_error().message_label.text()
    assert "Visiting Officer is a viewer on this database and cannot make changes" in text
    assert snapshot(shared) == before
    assert not (tmp_path / "trip.answer.mousync").exists()


def test_a_viewer_saving_an_mou_sees_the_refusal(
    qtbot: QtBot,
    desk: Desk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mou_desk.ui.mous.editor import MouEditor

    monkeypatch.setattr(MouEditor, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    mou = desk.mous.create({"title": "Battery testing lab"})
    access.grant(desk.db, "Test Clerk", Role.ADMIN)
    viewer = Desk.for_database(desk.db.as_(clerk="Visiting Officer"), desk.opened)
    editor = MouEditor(viewer, mou.id)
    qtbot.addWidget(editor)
    editor.form.widgets["title"].setText("Battery testing laboratory")
    editor.form.widgets["title"].textEdited.emit("Battery testing laboratory")
    assert editor.save() is False
    text = only_error().message_label.text()
    assert "Visiting Officer is a viewer on this database and cannot make changes" in text
    assert "Test Clerk" in text  # who to ask
    assert desk.mous.get(mou.id).values["title"] == "Battery testing lab"
    assert editor.is_dirty()  # the typing is kept


def test_the_replica_dialog_makes_a_sector_replica(
    qtbot: QtBot,
    shared_sqlite: tuple[Desk, str],
    clerk: Clerk,
    tmp_path: Path,
) -> None:
    shared, _url = shared_sqlite
    ids = portfolio(shared)
    _window, at_office = window_for(qtbot, shared)
    at_office.replica_action.trigger()
    dialog = at_office.replica_dialog
    assert dialog is not None and dialog.isVisible()
    assert [dialog.trip_box.itemText(i) for i in range(dialog.trip_box.count())] == [
        "Japan delegation, July 2025"
    ]
    sectors = [dialog.sector_box.itemText(i) for i in range(dialog.sector_box.count())]
    assert sectors == ["Pharmaceuticals", "Textiles"]
    assert not dialog.sector_box.isEnabled()
    dialog.by_sector.setChecked(True)
    assert dialog.sector_box.isEnabled()
    assert dialog.file_edit.text().endswith("MoU Desk replica - Pharmaceuticals.sqlite3")
    dialog.file_edit.setText(str(tmp_path / "pharma laptop"))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    made = tmp_path / "pharma laptop.sqlite3"
    assert made.exists() and not dialog.isVisible()
    title = clerk.messages[-1][1]
    assert title == "Replica made"
    assert f"The replica is ready: {made}" in clerk.last
    assert "the MoUs of the sector Pharmaceuticals: 1 MoU(s)" in clerk.last
    assert f'mou-desk --db "{made}"' in clerk.last and "File > Settings" in clerk.last

    laptop = Desk.open(made, clerk="Laptop")
    status = replica_status(laptop)
    assert status is not None and status.scope == "sector Pharmaceuticals"
    assert [m.id for m in laptop.mous.all()] == [ids["pharma"]]
    _w, on_laptop = window_for(qtbot, laptop)
    on_laptop.window.show()
    assert on_laptop.status_widget.isVisible()
    assert on_laptop.status_widget.label.text().startswith("Offline replica — last synced ")
    assert not on_laptop.replica_action.isVisible() and on_laptop.write_file_action.isVisible()
    laptop.close()


def test_the_replica_dialog_refuses_what_it_cannot_make(
    qtbot: QtBot,
    shared_sqlite: tuple[Desk, str],
    clerk: Clerk,
    tmp_path: Path,
) -> None:
    shared, _url = shared_sqlite
    portfolio(shared)
    _window, at_office = window_for(qtbot, shared)
    dialog = at_office.take_replica()
    assert dialog is not None
    taken = tmp_path / "taken.sqlite3"
    taken.write_text("someone's file")
    dialog.file_edit.setText(str(taken))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "already exists" in dialog.problem.text()
    assert taken.read_text() == "someone's file" and clerk.messages == []
    dialog.file_edit.setText("")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "Choose where to save the replica."
    assert dialog.make_button.isEnabled() and error_dialogs() == []


def test_an_encrypted_replica_needs_the_passphrase_typed_twice(
    qtbot: QtBot,
    shared_sqlite: tuple[Desk, str],
    clerk: Clerk,
    tmp_path: Path,
) -> None:
    from mou_desk.services.sync import encryption_available

    if not encryption_available():
        pytest.skip("the optional sqlcipher3 package is not installed")
    shared, _url = shared_sqlite
    ids = portfolio(shared)
    _window, at_office = window_for(qtbot, shared)
    dialog = at_office.take_replica()
    assert dialog is not None and dialog.encrypt.isEnabled()
    assert not dialog.passphrase.isVisibleTo(dialog)
    dialog.by_trip.setChecked(True)
    dialog.file_edit.setText(str(tmp_path / "trip.sqlite3"))
    dialog.encrypt.setChecked(True)
    assert dialog.passphrase.isVisibleTo(dialog)
    dialog.passphrase.setText("sakura 2025")
    dialog.passphrase_again.setText("sakura 2024")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert "passphrases differ" in dialog.problem.text()
    assert not (tmp_path / "trip.sqlite3").exists()
    dialog.passphrase_again.setText("sakura 2025")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert "It is encrypted" in clerk.last and "the trip Japan delegation, July 2025" in clerk.last
    with pytest.raises(DeskError):
        Desk.open(tmp_path / "trip.sqlite3")
    laptop = Desk.open(tmp_path / "trip.sqlite3", passphrase="sakura 2025")
    assert [m.id for m in laptop.mous.all()] == [ids["textiles"]]
    laptop.close()


def test_without_encryption_the_dialog_says_so(
    qtbot: QtBot,
    shared_sqlite: tuple[Desk, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("mou_desk.ui.sync.replica_dialog.encryption_available", lambda: False)
    shared, _url = shared_sqlite
    _window, at_office = window_for(qtbot, shared)
    dialog = at_office.take_replica()
    assert dialog is not None
    assert not dialog.encrypt.isEnabled() and not dialog.passphrase.isVisibleTo(dialog)
    assert "sqlcipher3" in dialog.encryption_note.text()
    assert not dialog.by_trip.isEnabled()  # an empty database has no trips to choose
    assert dialog.problems() == ""


def test_a_cancelled_replica_leaves_no_file(
    qtbot: QtBot,
    shared_sqlite: tuple[Desk, str],
    clerk: Clerk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mou_desk.ui.tasks import TaskCancelled, TaskContext

    def cancelled(_ctx: TaskContext) -> None:
        raise TaskCancelled  # the clerk pressed Cancel while the tables were being copied

    monkeypatch.setattr(TaskContext, "raise_if_cancelled", cancelled)
    shared, _url = shared_sqlite
    portfolio(shared)
    _window, at_office = window_for(qtbot, shared)
    dialog = at_office.take_replica()
    assert dialog is not None
    dialog.file_edit.setText(str(tmp_path / "trip.sqlite3"))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.text() == "Cancelled; no replica was made."
    assert list(tmp_path.glob("trip.sqlite3*")) == [] and clerk.messages == []
    assert dialog.make_button.isEnabled()
