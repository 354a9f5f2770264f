"""Where a SQLite file may live: never on a network share, never where it cannot be written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.storage import location
from mou_desk.storage.location import (
    _mount_type,
    check_is_sqlite,
    check_sqlite_file,
    is_network_path,
)

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda1 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
fileserver:/export/invest /mnt/invest nfs4 rw,relatime,vers=4.2 0 0
//fileserver/shared /mnt/shared cifs rw,relatime,vers=3.0 0 0
/dev/sdb1 /mnt/shared/local-disk ext4 rw,relatime 0 0
//fileserver/with\\040space /mnt/with\\040space cifs rw 0 0
laptop:/home /mnt/sshfs fuse.sshfs rw 0 0
"""


@pytest.fixture
def fake_mounts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve MOUNTS as /proc/mounts; every other file is read as usual.

    location._mount_type reads /proc/mounts through Path.read_text and takes no argument
    for the text, so only that one path is answered from the table above.
    """
    real = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if str(self) == "/proc/mounts":
            return MOUNTS
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)


@pytest.mark.parametrize(
    "text",
    [
        "\\\\server\\share\\x.sqlite3",
        "//server/share/x.sqlite3",
        "\\\\192.168.1.20\\invest\\mou desk\\register.sqlite3",
    ],
)
def test_unc_paths_are_network_paths(text: str) -> None:
    assert is_network_path(Path(text)) is True


def test_a_local_temporary_folder_is_not_a_network_path(tmp_path: Path) -> None:
    assert is_network_path(tmp_path / "desk.sqlite3") is False


@pytest.mark.usefixtures("fake_mounts")
@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/mnt/invest/desk.sqlite3", "nfs4"),
        ("/mnt/invest", "nfs4"),
        ("/mnt/shared/mou/desk.sqlite3", "cifs"),
        ("/mnt/shared/local-disk/desk.sqlite3", "ext4"),  # the deepest mount point wins
        ("/mnt/with space/desk.sqlite3", "cifs"),  # \040 in /proc/mounts is a space
        ("/mnt/sshfs/desk.sqlite3", "fuse.sshfs"),
        ("/mnt/investments/desk.sqlite3", "ext4"),  # a longer name is not inside /mnt/invest
        ("/home/clerk/desk.sqlite3", "ext4"),
    ],
)
def test_mount_type_is_read_from_proc_mounts(path: str, kind: str) -> None:
    assert _mount_type(Path(path)) == kind


@pytest.mark.usefixtures("fake_mounts")
@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/mnt/invest/desk.sqlite3", True),
        ("/mnt/shared/mou/desk.sqlite3", True),
        ("/mnt/sshfs/desk.sqlite3", True),
        ("/mnt/shared/local-disk/desk.sqlite3", False),
        ("/home/clerk/desk.sqlite3", False),
    ],
)
def test_network_mounts_are_network_paths(path: str, network: bool) -> None:
    assert is_network_path(Path(path)) is network


def test_mount_type_is_empty_when_proc_mounts_cannot_be_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if str(self) == "/proc/mounts":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    assert _mount_type(Path("/mnt/invest/desk.sqlite3")) == ""


@pytest.mark.usefixtures("fake_mounts")
def test_database_on_an_nfs_mount_is_refused_with_what_to_do() -> None:
    path = Path("/mnt/invest/mou-desk/desk.sqlite3")
    with pytest.raises(DatabaseProblem) as caught:
        check_sqlite_file(path)
    message = str(caught.value)
    assert "network drive" in message
    assert "Keep the file on this computer" in message
    assert "PostgreSQL" in message and "--db" in message
    assert not Path("/mnt/invest").exists(), "nothing may be created on the share"


@pytest.mark.parametrize("text", ["\\\\server\\share\\x.sqlite3", "//server/share/x.sqlite3"])
def test_database_on_a_unc_path_is_refused(text: str) -> None:
    with pytest.raises(DatabaseProblem, match="network drive"):
        check_sqlite_file(Path(text))


def test_new_file_in_a_new_folder_is_accepted_and_the_folder_made(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "desk.sqlite3"
    check_sqlite_file(path)
    assert path.parent.is_dir()
    assert not path.exists(), "the check creates the folder, never the file"
    assert [p.name for p in path.parent.iterdir()] == [], "the write probe is cleaned up"


def test_missing_file_is_refused_when_it_must_exist(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="does not exist"):
        check_sqlite_file(tmp_path / "gone.sqlite3", must_exist=True)


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="is a folder"):
        check_sqlite_file(tmp_path)


def test_parent_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "register.xlsx"
    blocker.write_bytes(b"PK\x03\x04")
    with pytest.raises(DatabaseProblem, match="cannot be created"):
        check_sqlite_file(blocker / "desk.sqlite3")
    assert blocker.read_bytes() == b"PK\x03\x04"


def test_read_only_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(location.SQLITE_MAGIC + bytes(84))
    real_access = location.os.access

    def access(target: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        # Root may write anything, so chmod cannot make this file read-only for the test;
        # os.access answers "no" for this one file only.
        if Path(target) == path and mode & location.os.W_OK:
            return False
        return real_access(target, mode, *args, **kwargs)

    monkeypatch.setattr(location.os, "access", access)
    with pytest.raises(DatabaseProblem, match="cannot be written"):
        check_sqlite_file(path)


def test_unwritable_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root may write to any folder; the probe that creates a temporary file is made to fail
    # the way it does for a clerk without rights.
    import tempfile

    real = tempfile.NamedTemporaryFile

    def refuse(*args: Any, **kwargs: Any) -> Any:
        if Path(kwargs.get("dir", "")) == tmp_path:
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(DatabaseProblem, match="cannot be written"):
        check_sqlite_file(tmp_path / "desk.sqlite3")


def test_non_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(DatabaseProblem, match="not a MoU Desk database"):
        check_is_sqlite(path)


def test_empty_file_counts_as_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    path.touch()
    check_is_sqlite(path)
    check_sqlite_file(path)
