"""Checks before any parsing: file type, zip bombs, XML entities, missing parts, passwords."""

from __future__ import annotations

import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Final
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from mou_desk.exchange.workbook_reader.messages import (
    msg_bomb,
    msg_damaged,
    msg_entities,
    msg_incomplete,
    msg_locked,
    msg_not_workbook,
    msg_os_error,
    msg_password,
    quote,
)
from mou_desk.exchange.workbook_reader.model import (
    CHUNK,
    MAX_PARTS,
    MAX_RATIO,
    MAX_STRUCTURE_PART,
    MAX_UNPACKED_BYTES,
    RATIO_CHECKED_FROM,
    Source,
    WorkbookRefused,
)
from mou_desk.exchange.workbook_reader.xlsb import xlsb_sheets

_ZIP_MAGIC: Final = b"PK"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_SUFFIXES: Final = frozenset({".csv", ".txt", ".tsv"})
_ODS_MIMETYPE: Final = b"application/vnd.oasis.opendocument.spreadsheet"


def open_source(path: Path) -> Source:
    """Tell the file's type from its first bytes and run the checks for that type."""
    label = quote(path.name or str(path))
    _check_file(path, label)
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except PermissionError as exc:
        raise WorkbookRefused(msg_locked(label)) from exc
    except OSError as exc:
        raise WorkbookRefused(msg_os_error(label, exc)) from exc
    if head.startswith(_ZIP_MAGIC):
        return _check_package(path, label)
    if head.startswith(_OLE_MAGIC):
        return _check_ole(path, label, head)
    if path.suffix.lower() in _CSV_SUFFIXES and _looks_like_text(head):
        return Source(path, label, "csv")
    raise WorkbookRefused(msg_not_workbook(label, head))


def _check_file(path: Path, label: str) -> None:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise WorkbookRefused(
            f"{quote(str(path))} was not found; check that the file is still there and pick "
            "it again."
        ) from exc
    except PermissionError as exc:
        raise WorkbookRefused(msg_locked(label)) from exc
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
        raise WorkbookRefused(msg_not_workbook(label, b""))
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


def _check_ole(path: Path, label: str, head: bytes) -> Source:
    """Tell an encrypted .xlsx from a legacy .xls (or a Word file) without trusting its header."""
    size = path.stat().st_size
    try:
        (major, order, shift, mini_shift) = struct.unpack_from("<HHHH", head, 26)
        (n_fat, first_dir) = struct.unpack_from("<II", head, 44)
        (n_mini_fat,) = struct.unpack_from("<I", head, 64)
        (n_difat,) = struct.unpack_from("<I", head, 72)
    except struct.error as exc:
        raise WorkbookRefused(msg_damaged(label)) from exc
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
        raise WorkbookRefused(msg_damaged(label))
    names = _ole_stream_names(path, label)
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise WorkbookRefused(msg_password(label))
    if "Workbook" in names or "Book" in names:
        return Source(path, label, "xls")
    raise WorkbookRefused(msg_not_workbook(label, b""))


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
            while block := stream.read(CHUNK):
                data = tail + block
                found.update(name for name, enc in _OLE_NAMES.items() if enc in data)
                tail = data[-overlap:]
    except OSError as exc:
        raise WorkbookRefused(msg_os_error(label, exc)) from exc
    return found


# ----------------------------------------------------------------------------- zip packages


def _check_package(path: Path, label: str) -> Source:
    try:
        with zipfile.ZipFile(path) as package:
            return _check_open_package(path, label, package)
    except WorkbookRefused:
        raise
    except PermissionError as exc:
        raise WorkbookRefused(msg_locked(label)) from exc
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ValueError,
        KeyError,
    ) as exc:
        raise WorkbookRefused(msg_damaged(label)) from exc
    except NotImplementedError as exc:  # a compression method Excel never uses
        raise WorkbookRefused(msg_damaged(label)) from exc
    except OSError as exc:
        raise WorkbookRefused(msg_damaged(label)) from exc


def _check_open_package(path: Path, label: str, package: zipfile.ZipFile) -> Source:
    infos = package.infolist()
    if len(infos) > MAX_PARTS:
        raise WorkbookRefused(msg_bomb(label, f"holds {len(infos):,} parts"))
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise WorkbookRefused(msg_bomb(label, f"unpacks to {total // (1024 * 1024):,} MB"))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise WorkbookRefused(
                msg_bomb(label, f"has a part that unpacks {int(ratio):,} times larger")
            )
        if info.flag_bits & 0x1:
            raise WorkbookRefused(msg_password(label))
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
        raise WorkbookRefused(msg_entities(label)) from exc
    except ParseError:
        return  # not well-formed: calamine will say so if it needs this part


def _read_structure_part(package: zipfile.ZipFile, name: str, label: str) -> Element:
    """Parse a small XML part (workbook, relationships) completely, with defusedxml."""
    info = package.getinfo(name)
    if info.file_size > MAX_STRUCTURE_PART:
        raise WorkbookRefused(msg_bomb(label, f"has a {info.file_size:,}-byte part {name}"))
    try:
        root: Element = SafeET.fromstring(package.read(info), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise WorkbookRefused(msg_entities(label)) from exc
    except ParseError as exc:
        raise WorkbookRefused(msg_damaged(label)) from exc
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


def _check_ooxml(path: Path, label: str, package: zipfile.ZipFile, names: dict[str, str]) -> Source:
    main: str | None = None
    for rel_type, target in _relationships(package, names, "", label).values():
        if rel_type.endswith("/officeDocument"):
            main = target
            break
    if main is None:
        main = next((p for p in ("xl/workbook.xml", "xl/workbook.bin") if p in names), None)
    if main is None:
        if any(name.startswith(("word/", "ppt/")) for name in names):
            raise WorkbookRefused(msg_not_workbook(label, b""))
        raise WorkbookRefused(msg_incomplete(label, "xl/workbook.xml"))
    if main.startswith(("word/", "ppt/")):
        raise WorkbookRefused(
            f"{label} is a Word or PowerPoint document, not an Excel workbook; pick the "
            "workbook itself."
        )
    member = _find_member(names, main)
    if member is None:
        raise WorkbookRefused(msg_incomplete(label, main))
    kind = "xlsb" if member.lower().endswith(".bin") else "xlsx"
    rels = _relationships(package, names, main, label)
    if kind == "xlsx":
        listed = _ooxml_sheets(_read_structure_part(package, member, label))
    else:
        listed = xlsb_sheets(package.read(member), label)
    source = Source(path, label, kind)
    for sheet_name, rel_id in listed:
        rel_type, target = rels.get(rel_id, ("", ""))
        if not rel_type.endswith("/worksheet"):
            continue  # chart sheets, dialog sheets and macro sheets hold no rows
        part = _find_member(names, target)
        if part is None:
            raise WorkbookRefused(msg_incomplete(label, target or f"of sheet {sheet_name}"))
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


def _check_ods(path: Path, label: str, package: zipfile.ZipFile, names: dict[str, str]) -> Source:
    if "mimetype" in names:
        mimetype = package.read(names["mimetype"])[:200].strip()
        if mimetype != _ODS_MIMETYPE:
            raise WorkbookRefused(msg_not_workbook(label, b""))
    if "content.xml" not in names:
        raise WorkbookRefused(msg_incomplete(label, "content.xml"))
    return Source(path, label, "ods")
