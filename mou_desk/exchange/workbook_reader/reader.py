"""Read any file a clerk picks into plain rows, or refuse it with one sentence saying what to do.

Safety comes before parsing. A package (.xlsx, .xlsm, .xlsb, .ods) is checked for zip bombs
(declared sizes and ratios in the central directory), XML entity declarations (the prolog of
every XML part goes through defusedxml), missing parts and passwords; an OLE2 file is told apart
as an encrypted workbook or a legacy .xls. Then each sheet's cell extent is measured from its
own XML or records before python-calamine reads it: calamine allocates the whole rectangle from
A1 to the farthest value in one piece and aborts the process (not an exception) when that is too
large, so a 2 KB file with values in A1 and XFD1048576 would otherwise kill the application
(calamine issue #693). The scan also recovers what calamine drops: the text of error cells
(#DIV/0!, #REF!), which it returns as empty strings, and formulas that have no saved result.
A legacy .xls is not measured: its format caps a sheet at 65,536 x 256 cells, which calamine
can hold; an .ods is measured whole before calamine opens it, since calamine loads every
sheet of an .ods at once.

Rows are positional: ``rows[i]`` is spreadsheet row ``i + 1`` and ``rows[i][j]`` is column
``j`` (0 = A), so an importer can name the cell a clerk sees. Leading empty rows and columns
are kept for that reason; trailing ones are trimmed and every row has the same width.
Cell values are ``str``, ``int`` (whole numbers), ``float``, ``bool``, ``datetime.date``
(dates, and date-times at midnight), ``datetime.datetime``, ``datetime.time``,
``datetime.timedelta`` (durations) or ``None``. Numbers stay binary floats here; money columns
are turned into exact decimals by the importer (``Decimal(repr(value))`` gives the shortest
decimal that the float stands for). Merged areas are filled with their top-left value, so a
header spread over two columns or a district merged down several rows reads on every row.

This module never writes, not even to the file it reads, and imports no Qt.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Final, TypeVar
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

import python_calamine
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from mou_desk.domain.errors import DeskError

__all__ = [
    "ImportCancelled",
    "SheetData",
    "WorkbookData",
    "WorkbookRefused",
    "inspect_workbook",
    "read_workbook",
    "sheet_names",
]

# Limits. A real workbook of 100,000 MoUs unpacks to well under 100 MB.
MAX_UNPACKED_BYTES: Final = 500 * 1024 * 1024
MAX_RATIO: Final = 200  # compression ratio of one part...
RATIO_CHECKED_FROM: Final = 10 * 1024 * 1024  # ...once it unpacks to more than this
MAX_PARTS: Final = 10_000
MAX_STRUCTURE_PART: Final = 20 * 1024 * 1024  # workbook.xml and the .rels files
MAX_CELLS: Final = 25_000_000  # calamine holds a sheet as a dense grid of 32-byte cells
PROGRESS_EVERY: Final = 5_000
CANCEL_CHECK_EVERY: Final = 1_000
_CHUNK: Final = 1 << 20

_ZIP_MAGIC: Final = b"PK"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_SUFFIXES: Final = frozenset({".csv", ".txt", ".tsv"})
_ODS_MIMETYPE: Final = b"application/vnd.oasis.opendocument.spreadsheet"

T = TypeVar("T")


class WorkbookRefused(DeskError):
    """The file cannot be read as it is; the message is one sentence saying why and what to do."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        self.message = " ".join(part.strip() for part in message.splitlines() if part.strip())
        super().__init__(self.message)


class ImportCancelled(DeskError):
    """The clerk pressed Cancel while the workbook was being read."""

    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was read or changed.")


@dataclass(frozen=True)
class SheetData:
    """One sheet as positional rows (``rows[i]`` is spreadsheet row ``i + 1``)."""

    name: str
    rows: list[tuple[object, ...]]


@dataclass(frozen=True)
class WorkbookData:
    """The sheets that were read, in the order asked for, and notes for the clerk."""

    path: Path
    sheets: list[SheetData]
    warnings: list[str]

    def sheet(self, name: str) -> SheetData:
        """The sheet called ``name``; ``KeyError`` if it was not read."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)


# ----------------------------------------------------------------------------- public API


def inspect_workbook(path: Path) -> None:
    """Run the safety checks that need no sheet to be read; raise ``WorkbookRefused`` if any fails.

    Checks the path, the file type, the package (zip bombs, XML entity declarations, missing
    parts, passwords). The per-sheet size checks run in ``read_workbook``.
    """
    _open_source(Path(path))


def sheet_names(path: Path) -> list[str]:
    """Names of the worksheets (chart sheets left out), in workbook order, hidden ones included."""
    source = _open_source(Path(path))
    if source.kind == "csv":
        return [source.path.stem]
    if source.kind == "ods":
        _measure_ods(source, _Progress(None, None))
    with _open_engine(source) as book:
        return _worksheet_names(source, book)


def read_workbook(
    path: Path,
    *,
    sheets: Sequence[str] | None = None,
    max_rows: int = 1_000_000,
    on_progress: Callable[[int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> WorkbookData:
    """Read the chosen sheets (all worksheets by default) into plain rows.

    ``max_rows`` applies to each sheet. ``on_progress`` receives the number of rows read so
    far, about every 5,000 rows and once at the end; ``is_cancelled`` is polled and makes the
    read stop with ``ImportCancelled``. A CSV file holds one sheet: it is returned under the
    first name asked for, else under the file's name without its extension.
    """
    if isinstance(sheets, str):
        sheets = [sheets]
    progress = _Progress(on_progress, is_cancelled)
    progress.check()
    source = _open_source(Path(path))
    if source.kind == "csv":
        name = sheets[0] if sheets else source.path.stem
        sheet = _read_csv(source, name, max_rows, progress)
        progress.finish()
        return WorkbookData(source.path, [sheet], source.warnings)
    # calamine reads every sheet of an .ods when it opens it, so all are measured first
    ods_scans = _measure_ods(source, progress) if source.kind == "ods" else {}
    with _open_engine(source) as book:
        available = _worksheet_names(source, book)
        wanted = _choose_sheets(source, available, sheets)
        result: list[SheetData] = []
        for name in wanted:
            progress.check()
            if source.kind == "ods":
                scan = ods_scans.get(name) or _widest(ods_scans)
            elif source.kind in ("xlsx", "xlsb"):
                scan = _scan_package_sheet(source, name, max_rows, progress)
            else:
                scan = None
            if scan is not None:
                _check_extent(source, name, scan, max_rows)
            result.append(_read_sheet(source, book, name, scan, max_rows, progress))
    progress.finish()
    return WorkbookData(source.path, result, source.warnings)


# ----------------------------------------------------------------------------- messages


def _msg_damaged(label: str) -> str:
    return (
        f"{label} is damaged or was not fully copied; ask for it again, or open it in Excel, "
        "save a new copy and import that."
    )


def _msg_password(label: str) -> str:
    return (
        f"{label} is protected with a password; open it in Excel, File > Info > Protect "
        "Workbook > Encrypt with Password, clear the password, save, and import again."
    )


def _msg_not_workbook(label: str, head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")) or b"<table" in start[:2048]:
        return (
            f"{label} is a web page saved with an Excel file name, not a real workbook; open "
            "it in Excel, save it as an Excel Workbook (.xlsx), and import that copy."
        )
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in start:
        return (
            f"{label} is an old Excel 2003 XML spreadsheet; open it in Excel, save it as an "
            "Excel Workbook (.xlsx), and import that copy."
        )
    if start.startswith(b"%pdf"):
        return f"{label} is a PDF document, not a workbook; ask the sender for the Excel file."
    return (
        f"{label} is not an Excel workbook (.xlsx, .xlsm, .xlsb, .xls), OpenDocument "
        "spreadsheet (.ods) or CSV file; pick the workbook itself, or open the file in Excel "
        "and save it as an Excel Workbook (.xlsx)."
    )


def _msg_bomb(label: str, what: str) -> str:
    return (
        f"{label} {what}, far more than any workbook holds, so it was not opened (it may be a "
        "malicious file); ask the sender to save it again from Excel and send the new copy."
    )


def _msg_entities(label: str) -> str:
    return (
        f"{label} contains XML entity declarations, which Excel never writes and which can be "
        "used to exhaust memory, so it was not opened; ask the sender to save it again from "
        "Excel as .xlsx."
    )


def _msg_incomplete(label: str, part: str) -> str:
    return (
        f"{label} is not a complete workbook (its part {part} is missing); ask for the file "
        "again, or open it in Excel and save a new copy."
    )


def _msg_legacy(label: str) -> str:
    return (
        f"{label} is an old-format Excel file (.xls) that could not be read; open it in Excel, "
        "save it as an Excel Workbook (.xlsx), and import that copy."
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _quote(name: str) -> str:
    return f'"{name}"'


# ----------------------------------------------------------------------------- progress


class _Progress:
    """Counts rows across sheets, reports them now and then, and polls for Cancel."""

    def __init__(
        self,
        on_progress: Callable[[int], None] | None,
        is_cancelled: Callable[[], bool] | None,
    ) -> None:
        self._on_progress = on_progress
        self._is_cancelled = is_cancelled
        self.rows = 0

    def check(self) -> None:
        if self._is_cancelled is not None and self._is_cancelled():
            raise ImportCancelled()

    def row(self) -> None:
        self.rows += 1
        if self.rows % CANCEL_CHECK_EVERY == 0:
            self.check()
            if self.rows % PROGRESS_EVERY == 0 and self._on_progress is not None:
                self._on_progress(self.rows)

    def finish(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.rows)


# ----------------------------------------------------------------------------- the source


@dataclass
class _Source:
    """A file that passed the safety checks, and what they learnt about it."""

    path: Path
    label: str
    kind: str  # "xlsx" (also .xlsm), "xlsb", "ods", "xls" or "csv"
    sheet_parts: dict[str, str] = field(default_factory=dict)  # worksheet -> zip member
    warnings: list[str] = field(default_factory=list)


def _open_source(path: Path) -> _Source:
    label = _quote(path.name or str(path))
    _check_file(path, label)
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except PermissionError as exc:
        raise WorkbookRefused(_msg_locked(label)) from exc
    except OSError as exc:
        raise WorkbookRefused(_msg_os_error(label, exc)) from exc
    if head.startswith(_ZIP_MAGIC):
        return _check_package(path, label)
    if head.startswith(_OLE_MAGIC):
        return _check_ole(path, label, head)
    if path.suffix.lower() in _CSV_SUFFIXES and _looks_like_text(head):
        return _Source(path, label, "csv")
    raise WorkbookRefused(_msg_not_workbook(label, head))


def _msg_locked(label: str) -> str:
    return (
        f"{label} cannot be read because you lack permission or another program has it locked; "
        "close it in Excel (or ask for access) and import again."
    )


def _msg_os_error(label: str, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return (
        f"{label} cannot be read ({reason}); copy it to a folder on this computer and import "
        "it from there."
    )


def _check_file(path: Path, label: str) -> None:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise WorkbookRefused(
            f"{_quote(str(path))} was not found; check that the file is still there and pick "
            "it again."
        ) from exc
    except PermissionError as exc:
        raise WorkbookRefused(_msg_locked(label)) from exc
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else None
        raise WorkbookRefused(
            f"{label} cannot be opened ({reason or 'the name is not valid'}); pick the file "
            "again from a folder on this computer."
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        raise WorkbookRefused(
            f"{label} is a folder, not a workbook; open the folder and pick the workbook inside."
        )
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookRefused(_msg_not_workbook(label, b""))
    if info.st_size == 0:
        raise WorkbookRefused(
            f"{label} is empty (0 bytes), probably because it was not fully copied or "
            "downloaded; ask for the file again."
        )


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head


# ----------------------------------------------------------------------------- OLE2 files


def _check_ole(path: Path, label: str, head: bytes) -> _Source:
    """Tell an encrypted .xlsx from a legacy .xls (or a Word file) without trusting its header."""
    size = path.stat().st_size
    try:
        (major, order, shift, mini_shift) = struct.unpack_from("<HHHH", head, 26)
        (n_fat, first_dir) = struct.unpack_from("<II", head, 44)
        (n_mini_fat,) = struct.unpack_from("<I", head, 64)
        (n_difat,) = struct.unpack_from("<I", head, 72)
    except struct.error as exc:
        raise WorkbookRefused(_msg_damaged(label)) from exc
    # calamine sizes allocations by these header fields before reading a sector
    # (calamine issues #550, #714): refuse headers that do not fit the file.
    sector = 1 << shift if shift in (9, 12) else 0
    sectors_in_file = (size - 512) // sector + 1 if sector else 0
    if (
        major not in (3, 4)
        or order != 0xFFFE
        or not sector
        or mini_shift != 6
        or max(n_fat, n_mini_fat, n_difat) > sectors_in_file
        or (first_dir != 0xFFFFFFFE and first_dir > sectors_in_file)
    ):
        raise WorkbookRefused(_msg_damaged(label))
    names = _ole_stream_names(path, label)
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise WorkbookRefused(_msg_password(label))
    if "Workbook" in names or "Book" in names:
        return _Source(path, label, "xls")
    raise WorkbookRefused(_msg_not_workbook(label, b""))


_OLE_NAMES: Final = {
    name: name.encode("utf-16-le")
    for name in ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book")
}


def _ole_stream_names(path: Path, label: str) -> set[str]:
    """Which of the names that matter occur in the file (directory entries are UTF-16)."""
    found: set[str] = set()
    overlap = max(len(encoded) for encoded in _OLE_NAMES.values())
    tail = b""
    try:
        with path.open("rb") as stream:
            while block := stream.read(_CHUNK):
                data = tail + block
                found.update(name for name, enc in _OLE_NAMES.items() if enc in data)
                tail = data[-overlap:]
    except OSError as exc:
        raise WorkbookRefused(_msg_os_error(label, exc)) from exc
    return found


# ----------------------------------------------------------------------------- zip packages


def _check_package(path: Path, label: str) -> _Source:
    try:
        with zipfile.ZipFile(path) as package:
            return _check_open_package(path, label, package)
    except WorkbookRefused:
        raise
    except PermissionError as exc:
        raise WorkbookRefused(_msg_locked(label)) from exc
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ValueError,
        KeyError,
    ) as exc:
        raise WorkbookRefused(_msg_damaged(label)) from exc
    except NotImplementedError as exc:  # a compression method Excel never uses
        raise WorkbookRefused(_msg_damaged(label)) from exc
    except OSError as exc:
        raise WorkbookRefused(_msg_damaged(label)) from exc


def _check_open_package(path: Path, label: str, package: zipfile.ZipFile) -> _Source:
    infos = package.infolist()
    if len(infos) > MAX_PARTS:
        raise WorkbookRefused(_msg_bomb(label, f"holds {len(infos):,} parts"))
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise WorkbookRefused(_msg_bomb(label, f"unpacks to {total // (1024 * 1024):,} MB"))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise WorkbookRefused(
                _msg_bomb(label, f"has a part that unpacks {int(ratio):,} times larger")
            )
        if info.flag_bits & 0x1:
            raise WorkbookRefused(_msg_password(label))
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            _check_xml_prolog(package, info, label)
    # Some Windows tools write "xl\\workbook.xml"; calamine accepts it, and so do we.
    names = {_normalised(info.filename): info.filename for info in infos}
    if "mimetype" in names or "content.xml" in names:
        return _check_ods(path, label, package, names)
    return _check_ooxml(path, label, package, names)


def _check_xml_prolog(package: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> None:
    """Parse the part up to its root element with defusedxml: a DTD or entity is refused."""
    try:
        with package.open(info) as stream:
            for _event, _element in SafeET.iterparse(
                stream, events=("start",), forbid_dtd=True, forbid_entities=True
            ):
                break
    except DefusedXmlException as exc:
        raise WorkbookRefused(_msg_entities(label)) from exc
    except ParseError:
        return  # not well-formed: calamine will say so if it needs this part


def _read_structure_part(package: zipfile.ZipFile, name: str, label: str) -> Element:
    """Parse a small XML part (workbook, relationships) completely, with defusedxml."""
    info = package.getinfo(name)
    if info.file_size > MAX_STRUCTURE_PART:
        raise WorkbookRefused(_msg_bomb(label, f"has a {info.file_size:,}-byte part {name}"))
    try:
        root: Element = SafeET.fromstring(package.read(info), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise WorkbookRefused(_msg_entities(label)) from exc
    except ParseError as exc:
        raise WorkbookRefused(_msg_damaged(label)) from exc
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(
    package: zipfile.ZipFile, names: dict[str, str], part: str, label: str
) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, normalised target name) of ``part`` ("" for the package)."""
    folder, _, base = part.rpartition("/")
    rels_name = _find_member(
        names, f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    )
    if rels_name is None:
        return {}
    result: dict[str, tuple[str, str]] = {}
    for element in _read_structure_part(package, rels_name, label):
        if _local(element.tag) != "Relationship":
            continue
        target = element.get("Target", "")
        if element.get("TargetMode", "").lower() == "external" or not target:
            continue
        result[element.get("Id", "")] = (element.get("Type", ""), _resolve(folder, target))
    return result


def _normalised(name: str) -> str:
    return name.replace("\\", "/").lstrip("/")


def _resolve(folder: str, target: str) -> str:
    target = target.replace("\\", "/")
    joined = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
    parts: list[str] = []
    for piece in PurePosixPath(joined).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", "/", ""):
            parts.append(piece)
    return "/".join(parts)


def _find_member(names: dict[str, str], wanted: str) -> str | None:
    """The zip member whose normalised name is ``wanted``, matched without regard to case."""
    for candidate in dict.fromkeys((wanted, unquote(wanted))):  # part names may be %-encoded
        if candidate in names:
            return names[candidate]
        folded = candidate.casefold()
        found = next((member for key, member in names.items() if key.casefold() == folded), None)
        if found is not None:
            return found
    return None


def _check_ooxml(
    path: Path, label: str, package: zipfile.ZipFile, names: dict[str, str]
) -> _Source:
    main: str | None = None
    for rel_type, target in _relationships(package, names, "", label).values():
        if rel_type.endswith("/officeDocument"):
            main = target
            break
    if main is None:
        main = next((p for p in ("xl/workbook.xml", "xl/workbook.bin") if p in names), None)
    if main is None:
        if any(name.startswith(("word/", "ppt/")) for name in names):
            raise WorkbookRefused(_msg_not_workbook(label, b""))
        raise WorkbookRefused(_msg_incomplete(label, "xl/workbook.xml"))
    if main.startswith(("word/", "ppt/")):
        raise WorkbookRefused(
            f"{label} is a Word or PowerPoint document, not an Excel workbook; pick the "
            "workbook itself."
        )
    member = _find_member(names, main)
    if member is None:
        raise WorkbookRefused(_msg_incomplete(label, main))
    kind = "xlsb" if member.lower().endswith(".bin") else "xlsx"
    rels = _relationships(package, names, main, label)
    if kind == "xlsx":
        listed = _ooxml_sheets(_read_structure_part(package, member, label))
    else:
        listed = _xlsb_sheets(package.read(member), label)
    source = _Source(path, label, kind)
    for sheet_name, rel_id in listed:
        rel_type, target = rels.get(rel_id, ("", ""))
        if not rel_type.endswith("/worksheet"):
            continue  # chart sheets, dialog sheets and macro sheets hold no rows
        part = _find_member(names, target)
        if part is None:
            raise WorkbookRefused(_msg_incomplete(label, target or f"of sheet {sheet_name}"))
        source.sheet_parts[sheet_name] = part
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        source.warnings.append(
            f"{label} contains macros; MoU Desk reads only the cell values and never runs them."
        )
    return source


def _ooxml_sheets(workbook: Element) -> list[tuple[str, str]]:
    listed: list[tuple[str, str]] = []
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((value for key, value in element.attrib.items() if key.endswith("}id")), "")
        listed.append((element.get("name", ""), rel_id))
    return listed


def _check_ods(path: Path, label: str, package: zipfile.ZipFile, names: dict[str, str]) -> _Source:
    if "mimetype" in names:
        mimetype = package.read(names["mimetype"])[:200].strip()
        if mimetype != _ODS_MIMETYPE:
            raise WorkbookRefused(_msg_not_workbook(label, b""))
    if "content.xml" not in names:
        raise WorkbookRefused(_msg_incomplete(label, "content.xml"))
    return _Source(path, label, "ods")


# ----------------------------------------------------------------------------- calamine


def _is_engine_failure(exc: BaseException) -> bool:
    # A Rust panic inside calamine arrives as pyo3's PanicException, a BaseException.
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _engine_refusal(source: _Source, exc: BaseException) -> WorkbookRefused:
    if isinstance(exc, python_calamine.PasswordError):
        return WorkbookRefused(_msg_password(source.label))
    if isinstance(exc, PermissionError):
        return WorkbookRefused(_msg_locked(source.label))
    if source.kind == "xls":
        return WorkbookRefused(_msg_legacy(source.label))
    return WorkbookRefused(_msg_damaged(source.label))


def _engine(source: _Source, call: Callable[[], T]) -> T:
    """Run one calamine call, turning whatever it raises into a refusal."""
    try:
        return call()
    except BaseException as exc:
        if not _is_engine_failure(exc):
            raise
        raise _engine_refusal(source, exc) from exc


def _open_engine(source: _Source) -> python_calamine.CalamineWorkbook:
    return _engine(source, lambda: python_calamine.CalamineWorkbook.from_path(str(source.path)))


def _worksheet_names(source: _Source, book: python_calamine.CalamineWorkbook) -> list[str]:
    metadata = _engine(source, lambda: book.sheets_metadata)
    names = [m.name for m in metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    return names


def _choose_sheets(
    source: _Source, available: list[str], wanted: Sequence[str] | None
) -> list[str]:
    if wanted is None:
        return list(available)
    chosen: list[str] = []
    for name in wanted:
        if name in available:
            chosen.append(name)
            continue
        folded = [n for n in available if n.strip().casefold() == name.strip().casefold()]
        if len(folded) == 1:
            chosen.append(folded[0])
            continue
        existing = ", ".join(_quote(n) for n in available) or "none"
        raise WorkbookRefused(
            f"{source.label} has no sheet named {_quote(name)} (its sheets are {existing}); "
            "rename the sheet in Excel or pick one of these."
        )
    return chosen


def _engine_rows(source: _Source, sheet: python_calamine.CalamineSheet) -> Iterator[list[Any]]:
    rows = _engine(source, lambda: iter(sheet.iter_rows()))
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            return
        except BaseException as exc:
            if not _is_engine_failure(exc):
                raise
            raise _engine_refusal(source, exc) from exc
        yield raw


def _read_sheet(
    source: _Source,
    book: python_calamine.CalamineWorkbook,
    name: str,
    scan: _SheetScan | None,
    max_rows: int,
    progress: _Progress,
) -> SheetData:
    sheet = _engine(source, lambda: book.get_sheet_by_name(name))
    start = _engine(source, lambda: sheet.start)
    merged = _engine(source, lambda: sheet.merged_cell_ranges)
    # iter_rows() yields every row from row 1, but each row starts at the first used column.
    pad: list[object] = [None] * (start[1] if start else 0)
    grid: list[list[object]] = []
    for raw in _engine_rows(source, sheet):
        row = [*pad, *map(_cell, raw)] if pad else list(map(_cell, raw))
        grid.append(row)
        if len(grid) > max_rows and any(value is not None for value in row):
            raise WorkbookRefused(_msg_too_many_rows(source, name, len(grid), max_rows))
        progress.row()
    if scan is not None:
        for (r, c), text in scan.errors.items():
            if r < len(grid) and c < len(grid[r]) and grid[r][c] is None:
                grid[r][c] = text
        if scan.formulas_without_values:
            source.warnings.append(
                f"Sheet {_quote(name)}: "
                f"{_count(scan.formulas_without_values, 'formula cell has', 'formula cells have')}"
                " no saved result and read as empty; open the file in Excel, save it, and "
                "import again to read them."
            )
        merged = merged if merged is not None else scan.merges
    if merged:
        filled = _fill_merged(grid, merged)
        if filled:
            source.warnings.append(
                f"Sheet {_quote(name)}: {_count(filled, 'merged area was', 'merged areas were')}"
                " filled with the value of their top-left cell."
            )
    return SheetData(name, _trimmed(grid))


def _msg_too_many_rows(source: _Source, name: str, rows: int, max_rows: int) -> str:
    return (
        f"Sheet {_quote(name)} in {source.label} has data down to row {rows:,}, more than the "
        f"{max_rows:,} rows one import can take; delete any stray cells below your table or "
        "split the sheet into smaller workbooks, save, and import again."
    )


_CR_ESCAPE: Final = "_x000D_"


def _text(value: str) -> str | None:
    if not value or value.isspace():
        return None
    if "\r" in value or _CR_ESCAPE in value:
        value = value.replace(_CR_ESCAPE, "\r").replace("\r\n", "\n").replace("\r", "\n")
    return value


def _cell(value: object) -> object:
    if isinstance(value, str):  # the common case, kept free of a further call
        if not value or value.isspace():
            return None
        if "\r" in value or _CR_ESCAPE in value:
            return _text(value)
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date()
    return value


def _fill_merged(
    grid: list[list[object]], merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> int:
    """Give every empty cell of a merged area its top-left value; return the areas filled."""
    budget = sum(len(row) for row in grid) * 2  # overlapping areas cannot make this quadratic
    filled = 0
    for (top, left), (bottom, right) in merged:
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        if value is None:
            continue
        last_row = min(bottom, len(grid) - 1)
        area = (last_row - top + 1) * (right - left + 1)
        if area > budget:
            break
        budget -= area
        filled += 1
        for r in range(top, last_row + 1):
            row = grid[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                if row[c] is None:
                    row[c] = value
    return filled


def _trimmed(grid: list[list[object]]) -> list[tuple[object, ...]]:
    """Drop trailing empty rows and columns; pad every row to the same width."""
    last = len(grid) - 1
    while last >= 0 and all(value is None for value in grid[last]):
        last -= 1
    rows = grid[: last + 1]
    width = 0
    for row in rows:
        for j in range(len(row) - 1, width - 1, -1):
            if row[j] is not None:
                width = j + 1
                break
    padding: tuple[object, ...] = ()
    result: list[tuple[object, ...]] = []
    for row in rows:
        if len(row) >= width:
            result.append(tuple(row[:width]))
        else:
            padding = (None,) * (width - len(row))
            result.append((*row, *padding))
    return result


# ----------------------------------------------------------------------------- extent scans


@dataclass
class _SheetScan:
    """What a sheet holds, learnt from its XML or records before calamine reads it."""

    rows: int = 0  # one past the last row index holding a value
    cols: int = 0  # one past the last column index holding a value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas_without_values: int = 0
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + char - 64
    return index - 1


def _check_extent(
    source: _Source, name: str, scan: _SheetScan, max_rows: int | None, cells: int = MAX_CELLS
) -> None:
    if max_rows is not None and scan.rows > max_rows:
        raise WorkbookRefused(_msg_too_many_rows(source, name, scan.rows, max_rows))
    if scan.rows * scan.cols > cells or scan.cols > 16_384:
        far = f"{_column_letters(scan.cols - 1)}{scan.rows}"
        raise WorkbookRefused(
            f"Sheet {_quote(name)} in {source.label} reaches as far as column "
            f"{_column_letters(scan.cols - 1)} and row {scan.rows:,} (cell {far}), too large "
            "to read; delete the stray cells right of and below your table in Excel, save, "
            "and import again."
        )


def _measure_ods(source: _Source, progress: _Progress) -> dict[str, _SheetScan]:
    """Scan every table and refuse before calamine builds them all in memory at once."""
    scans = _scan_ods(source, progress)
    budget = MAX_CELLS
    for name, scan in scans.items():
        _check_extent(source, name, scan, None, budget)
        budget -= scan.rows * scan.cols
    return scans


def _widest(scans: dict[str, _SheetScan]) -> _SheetScan:
    """A stand-in for a sheet the scan did not name: as large as the largest one."""
    return _SheetScan(
        rows=max((s.rows for s in scans.values()), default=0),
        cols=max((s.cols for s in scans.values()), default=0),
    )


def _scan_package_sheet(
    source: _Source, name: str, max_rows: int, progress: _Progress
) -> _SheetScan:
    part = source.sheet_parts.get(name)
    if part is None:  # calamine lists a sheet the workbook part does not: never guess its size
        raise WorkbookRefused(_msg_damaged(source.label))
    try:
        with zipfile.ZipFile(source.path) as package, package.open(part) as stream:
            if source.kind == "xlsb":
                return _scan_xlsb_sheet(stream.read(), source.label)
            return _scan_xlsx_sheet(stream, max_rows, progress)
    except (DeskError, KeyboardInterrupt):
        raise
    except PermissionError as exc:
        raise WorkbookRefused(_msg_locked(source.label)) from exc
    except Exception as exc:  # CRC errors, truncated data, bad lengths: all mean damage
        raise WorkbookRefused(_msg_damaged(source.label)) from exc


# Cell tags as nearly every producer writes them: r first, double quotes, upper-case letters.
# A sheet written otherwise is measured by walking every tag instead (_exact_extent).
_STRICT_REF: Final = rb'([A-Z]{1,3})([0-9]{1,7})"'
_ERROR_CELL: Final = re.compile(
    rb"<(?:[\w.-]+:)?c(\s[^>]*?\bt\s*=\s*[\"']e[\"'][^>]*)>(.*?)</(?:[\w.-]+:)?c>", re.S
)
_ERROR_VALUE: Final = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")
_R_ATTR: Final = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([A-Za-z]*)([0-9]*)[\"']")
_ROOT: Final = re.compile(rb"<([\w.-]+:)?(?:worksheet|dialogsheet|macrosheet)\b")
_TAG: Final = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")


class _XlsxLayout:
    """Byte patterns for one sheet part, built for the namespace prefix it uses (often none)."""

    def __init__(self, first_block: bytes) -> None:
        root = _ROOT.search(first_block)
        self.prefix = p = (root.group(1) or b"") if root else b""
        self.cell_end = b"</" + p + b"c>"
        self.r_first = b"<" + p + b'c r="'
        # value cells only: a self-closing cell is formatted but empty, and calamine skips it
        self.value_refs = re.compile(re.escape(self.r_first) + _STRICT_REF + rb"[^>]*(?<!/)>")
        self.formula = b"<" + p + b"f"
        self.formula_ends = (b"</" + p + b"f>" + self.cell_end, b"/>" + self.cell_end)
        self.empty_ends = (b"<" + p + b"v/>" + self.cell_end, b"<" + p + b"is/>" + self.cell_end)
        self.dimension = re.compile(
            b"<" + re.escape(p) + rb'dimension\s+ref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"'
        )

    def suspect(self, rows: int | None = None, cols: int = 0) -> re.Pattern[bytes]:
        """Matches a cell tag that is irregular (group "odd") or outside A1:(cols, rows).

        Irregular means r is not the first attribute in the strict form, or is missing.
        """
        tag = b"<" + re.escape(self.prefix) + b"c"
        odd = rb'(?P<odd>(?=[\s/>])(?! r="[A-Z]{1,3}[0-9]{1,7}"))'
        if rows is None:
            return re.compile(tag + odd)
        letters = _greater(_column_letters(cols - 1), "A", "Z").encode()
        digits = _greater(str(rows), "0", "9").encode()
        beyond = b' r="(?:(?:' + letters + b")[0-9]|[A-Z]+(?:" + digits + b')")'
        return re.compile(tag + b"(?:" + odd + b"|" + beyond + b")")


def _greater(text: str, low: str, high: str) -> str:
    """A regex for the strings over [low-high] that sort after ``text`` as numbers do."""
    size = len(text)
    options = [f"[{low}-{high}]{{{size + 1},}}"]
    for i, char in enumerate(text):
        if char < high:
            options.append(
                f"{text[:i]}[{chr(ord(char) + 1)}-{high}][{low}-{high}]{{{size - i - 1}}}"
            )
    return "|".join(options)


def _xml_chunks(
    stream: IO[bytes], first: bytes, cell_end: bytes, progress: _Progress
) -> Iterator[bytes]:
    """The part in pieces of about 1 MB, each ending just after a cell."""
    tail, block = b"", first
    while True:
        data = tail + block
        if not block:
            yield data
            return
        cut = data.rfind(cell_end)
        cut = cut + len(cell_end) if cut >= 0 else data.rfind(b"<")
        if cut <= 0:
            cut = len(data)
        yield data[:cut]
        tail = data[cut:]
        progress.check()
        block = stream.read(_CHUNK)


def _scan_xlsx_sheet(
    stream: IO[bytes], max_rows: int, progress: _Progress, trust_dimension: bool = True
) -> _SheetScan:
    """Measure the sheet from its XML: trust but verify <dimension>, else find the farthest cell.

    Verifying costs one regex search per megabyte that matches nothing in an honest file;
    measuring needs a match per cell, about three times slower.
    """
    first = stream.read(_CHUNK)
    layout = _XlsxLayout(first)
    scan = _SheetScan()
    suspect = layout.suspect()
    verifying = False
    claimed = layout.dimension.search(first) if trust_dimension else None
    if claimed:
        rows, cols = int(claimed.group(2)), _column_index(claimed.group(1)) + 1
        if rows <= max_rows and rows * cols <= MAX_CELLS:
            suspect, verifying = layout.suspect(rows, cols), True
            scan.rows, scan.cols = rows, cols
    irregular = False
    max_row = max_col = -1
    for chunk in _xml_chunks(stream, first, layout.cell_end, progress):
        if not irregular and (found := suspect.search(chunk)):
            if found.group("odd") is None:  # a cell outside the claimed dimension: measure
                stream.seek(0)
                return _scan_xlsx_sheet(stream, max_rows, progress, trust_dimension=False)
            irregular = True
        if not irregular and not verifying and (refs := layout.value_refs.findall(chunk)):
            letters, digits = zip(*refs, strict=True)
            max_col = max(max_col, *map(_column_index, set(letters)))
            max_row = max(max_row, max(map(int, set(digits))) - 1)
        if b't="e"' in chunk or b"t='e'" in chunk:
            _collect_errors(chunk, scan.errors)
        if layout.formula in chunk:  # <f>..</f></c> or <f .../></c>: a result never saved
            scan.formulas_without_values += sum(map(chunk.count, layout.formula_ends)) - sum(
                map(chunk.count, layout.empty_ends)
            )
    if irregular:
        stream.seek(0)
        max_row, max_col = _exact_extent(stream, progress)
    if irregular or not verifying:
        scan.rows, scan.cols = max_row + 1, max_col + 1
    return scan


def _collect_errors(chunk: bytes, errors: dict[tuple[int, int], str]) -> None:
    for match in _ERROR_CELL.finditer(chunk):
        ref = _R_ATTR.search(match.group(1))
        value = _ERROR_VALUE.search(match.group(2))
        if ref is None or value is None or not ref.group(1) or not ref.group(2):
            continue
        position = (int(ref.group(2)) - 1, _column_index(ref.group(1)))
        errors[position] = html.unescape(value.group(1).decode("utf-8", "replace")).strip()


def _exact_extent(stream: IO[bytes], progress: _Progress) -> tuple[int, int]:
    """Walk every row and cell tag as calamine does, for sheets whose cells omit r."""
    row = col = -1
    max_row = max_col = -1
    tail = b""
    while True:
        progress.check()
        block = stream.read(_CHUNK)
        data = tail + block
        cut = data.rfind(b"<") if block else len(data)
        chunk, tail = data[:cut], data[cut:]
        for match in _TAG.finditer(chunk):
            kind, attrs = match.group(1), match.group(2)
            ref = _R_ATTR.search(attrs)
            if kind == b"row":
                row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
                col = -1
                continue
            if ref and ref.group(1):
                col = _column_index(ref.group(1))
                cell_row = int(ref.group(2)) - 1 if ref.group(2) else row
            else:
                col, cell_row = col + 1, row
            if not attrs.endswith(b"/"):
                max_row, max_col = max(max_row, cell_row), max(max_col, col)
        if not block:
            return max_row, max_col


_XLSB_ERRORS: Final = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_XLSB_ROW: Final = 0
_XLSB_VALUE_CELLS: Final = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 62})
_XLSB_ERROR_CELLS: Final = frozenset({3, 11})
_XLSB_BUNDLE_SHEET: Final = 156


def _xlsb_records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(record type, payload start, payload end) of each BIFF12 record."""
    pos, end = 0, len(data)
    while pos < end:
        kind = data[pos] & 0x7F
        if data[pos] & 0x80:
            pos += 1
            kind |= (data[pos] & 0x7F) << 7
        pos += 1
        size = shift = 0
        for _ in range(4):
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if pos + size > end:
            raise ValueError("record runs past the end of the part")
        yield kind, pos, pos + size
        pos += size


def _scan_xlsb_sheet(data: bytes, label: str) -> _SheetScan:
    scan = _SheetScan()
    row = max_row = max_col = -1
    try:
        for kind, start, end in _xlsb_records(data):
            if kind == _XLSB_ROW and end - start >= 4:
                (row,) = struct.unpack_from("<I", data, start)
            elif kind in _XLSB_VALUE_CELLS and end - start >= 4:
                (col,) = struct.unpack_from("<I", data, start)
                max_row, max_col = max(max_row, row), max(max_col, col)
                if kind in _XLSB_ERROR_CELLS and end - start >= 9:
                    scan.errors[(row, col)] = _XLSB_ERRORS.get(data[start + 8], "#VALUE!")
    except (IndexError, ValueError, struct.error) as exc:
        raise WorkbookRefused(_msg_damaged(label)) from exc
    scan.rows, scan.cols = max_row + 1, max_col + 1
    return scan


def _xlsb_sheets(data: bytes, label: str) -> list[tuple[str, str]]:
    """(sheet name, relationship id) from the BrtBundleSh records of xl/workbook.bin."""

    def wide_string(pos: int) -> tuple[str, int]:
        (length,) = struct.unpack_from("<I", data, pos)
        if length == 0xFFFFFFFF:
            return "", pos + 4
        text = data[pos + 4 : pos + 4 + 2 * length]
        if len(text) != 2 * length:
            raise ValueError("string runs past its record")
        return text.decode("utf-16-le"), pos + 4 + 2 * length

    listed: list[tuple[str, str]] = []
    try:
        for kind, start, _end in _xlsb_records(data):
            if kind == _XLSB_BUNDLE_SHEET:
                rel_id, pos = wide_string(start + 8)
                name, _ = wide_string(pos)
                listed.append((name, rel_id))
    except (IndexError, ValueError, struct.error, UnicodeDecodeError) as exc:
        raise WorkbookRefused(_msg_damaged(label)) from exc
    return listed


_ODS_TAG: Final = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_ATTR: Final = re.compile(rb"(?:^|\s)(?:[\w.-]+:)?([\w-]+)\s*=\s*[\"']([^\"']*)[\"']")


def _scan_ods(source: _Source, progress: _Progress) -> dict[str, _SheetScan]:
    """Extents and merged areas of every table in content.xml, repeats included."""
    try:
        with zipfile.ZipFile(source.path) as package, package.open("content.xml") as stream:
            return _scan_ods_content(stream, progress)
    except (DeskError, KeyboardInterrupt):
        raise
    except PermissionError as exc:
        raise WorkbookRefused(_msg_locked(source.label)) from exc
    except Exception as exc:
        raise WorkbookRefused(_msg_damaged(source.label)) from exc


def _scan_ods_content(stream: IO[bytes], progress: _Progress) -> dict[str, _SheetScan]:
    scans: dict[str, _SheetScan] = {}
    scan = _SheetScan()
    row = col = row_span = 0
    row_last_col = -1
    tail = b""
    while True:
        progress.check()
        block = stream.read(_CHUNK)
        data = tail + block
        cut = data.rfind(b"<") if block else len(data)
        chunk, tail = data[:cut], data[cut:]
        for closing, name, raw_attrs, empty in _ODS_TAG.findall(chunk):
            if closing:
                if name == b"table-row":
                    if row_last_col >= 0:
                        scan.rows = max(scan.rows, row + row_span)
                        scan.cols = max(scan.cols, row_last_col + 1)
                    row += row_span
                continue
            attrs = {key: value for key, value in _ODS_ATTR.findall(raw_attrs)}
            if name == b"table":
                scan = _SheetScan()
                scans[html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))] = scan
                row = 0
            elif name == b"table-row":
                row_span = int(attrs.get(b"number-rows-repeated", b"1") or 1)
                col, row_last_col = 0, -1
                if empty:
                    row += row_span
            else:
                repeat = int(attrs.get(b"number-columns-repeated", b"1") or 1)
                if b"value-type" in attrs or (not empty and name == b"table-cell"):
                    row_last_col = col + repeat - 1
                spans = (
                    int(attrs.get(b"number-rows-spanned", b"1") or 1),
                    int(attrs.get(b"number-columns-spanned", b"1") or 1),
                )
                if name == b"table-cell" and spans != (1, 1):
                    scan.merges.append(((row, col), (row + spans[0] - 1, col + spans[1] - 1)))
                col += repeat
        if not block:
            return scans


# ----------------------------------------------------------------------------- CSV


def _read_csv(source: _Source, name: str, max_rows: int, progress: _Progress) -> SheetData:
    with source.path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif head.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        start_rows = progress.rows
        try:
            grid = _parse_csv(source, name, encoding, max_rows, progress)
        except UnicodeError as exc:
            progress.rows = start_rows
            if encoding != encodings[-1]:
                continue
            raise WorkbookRefused(
                f"{source.label} is not readable text (neither UTF-8 nor Windows-1252); save it "
                "from Excel with Save As > CSV UTF-8 and import that copy."
            ) from exc
        if encoding == "cp1252":
            source.warnings.append(
                f"{source.label} is not UTF-8 text, so it was read as Windows-1252 (Western "
                "European); check that names in other scripts look right."
            )
        return SheetData(name, _trimmed(grid))
    raise AssertionError("unreachable")  # pragma: no cover


_SEP_LINE: Final = re.compile(r"\Asep=(.)\r?\n")


def _parse_csv(
    source: _Source, name: str, encoding: str, max_rows: int, progress: _Progress
) -> list[list[object]]:
    grid: list[list[object]] = []
    try:
        with source.path.open("r", encoding=encoding, newline="") as stream:
            sample = stream.read(64 * 1024)
            stream.seek(0)
            declared = _SEP_LINE.match(sample)
            if declared:  # Excel's "sep=;" first line names the delimiter
                delimiter = declared.group(1)
                stream.readline()
            else:
                delimiter = _sniff_delimiter(sample)
            for record in csv.reader(stream, delimiter=delimiter):
                row: list[object] = [_text(value) for value in record]
                grid.append(row)
                if len(grid) > max_rows and any(value is not None for value in row):
                    raise WorkbookRefused(_msg_too_many_rows(source, name, len(grid), max_rows))
                progress.row()
    except csv.Error as exc:
        raise WorkbookRefused(
            f"{source.label} could not be read as CSV text ({exc}); open it in Excel, save it "
            "with Save As > CSV UTF-8 or as .xlsx, and import that copy."
        ) from exc
    except PermissionError as exc:
        raise WorkbookRefused(_msg_locked(source.label)) from exc
    except OSError as exc:
        raise WorkbookRefused(_msg_os_error(source.label, exc)) from exc
    return grid


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
