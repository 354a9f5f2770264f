"""Checks on where a SQLite file lives, made before anything is opened or written."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mou_desk.domain.errors import DatabaseProblem, PassphraseProblem

SQLITE_MAGIC = b"SQLite format 3\x00"
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "fuse.sshfs",
        "afs",
        "ncpfs",
        "9p",
        "davfs",
        "fuse.davfs",
    }
)


def is_network_path(path: Path) -> bool:
    """True for UNC paths, mapped network drives (Windows) and NFS/SMB mounts (elsewhere)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        import ctypes

        drive = os.path.splitdrive(str(path.resolve()))[0]
        if drive:
            drive_remote = 4
            return int(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")) == drive_remote
        return False
    return _mount_type(path) in NETWORK_FILESYSTEMS


def _mount_type(path: Path, mounts_text: str | None = None) -> str:
    """The file system type of the mount holding ``path`` (from /proc/mounts by default)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8")
        except OSError:
            return ""
    lines = mounts_text.splitlines()
    target = str(path.resolve())
    best, best_type = "", ""
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def check_sqlite_file(path: Path, *, must_exist: bool = False, encrypted: bool = False) -> None:
    """Refuse a location where a SQLite database would be damaged or cannot be written.

    ``encrypted``: the file is opened with a passphrase, so it has no plain SQLite header.
    """
    if is_network_path(path):
        raise DatabaseProblem(
            f"{path} is on a network drive. A database file shared over the network gets "
            "damaged when two computers write to it. Keep the file on this computer, or ask "
            "for the department's shared PostgreSQL database and open it with --db URL."
        )
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder. Give the path of a database file inside it.")
    if path.exists():
        if not encrypted:
            check_is_sqlite(path)
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseProblem(
                f"{path} cannot be written (read-only or owned by someone else). Copy it to "
                "a folder of your own, or ask IT to give you write access."
            )
    elif must_exist:
        raise DatabaseProblem(f"{path} does not exist. Check the path.")
    folder = path.parent
    if not path.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseProblem(
                f"The folder {folder} cannot be created ({exc.strerror}). Choose another place."
            ) from exc
    if not _folder_writable(folder):
        raise DatabaseProblem(
            f"The folder {folder} cannot be written. SQLite needs to write beside the database "
            "file; choose a folder of your own (for example in Documents)."
        )


def read_only_uri(path: Path) -> str:
    """A SQLite URI opening ``path`` read-only; '#', '?' and '%' in folder names are escaped."""
    return path.resolve().as_uri() + "?mode=ro"


def may_be_encrypted(path: Path) -> bool:
    """An encrypted database is whole pages (512 bytes to 64 KiB) of what looks like noise;
    a file of another length is something else, so no passphrase is asked for it."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size > 0 and size % 512 == 0


def check_is_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseProblem(f"{path} cannot be read ({exc.strerror}).") from exc
    if header and header != SQLITE_MAGIC:
        if not may_be_encrypted(path):
            raise DatabaseProblem(
                f"{path} is not a MoU Desk database. Check that you chose the right file; "
                "it has been left as it was."
            )
        raise PassphraseProblem(
            f"{path} is not a MoU Desk database, or it is encrypted: give its passphrase "
            "with --passphrase. Check that you chose the right file; it has been left as it was."
        )


def _folder_writable(folder: Path) -> bool:
    import tempfile  # here: the desktop reads this module before its first frame

    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".mou-desk-probe-"):
            return True
    except OSError:
        return False
