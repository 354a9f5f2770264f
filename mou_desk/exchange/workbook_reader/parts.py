"""A large .xlsx sheet cut into parts as it is measured, the parts parsed side by side.

calamine parses a sheet on one core, and only after unpacking it again. The size check reads
every byte of the sheet's XML anyway (xlsx_sizes), so a streaming importer has it cut the XML,
as each piece is verified, into parts of a few tens of MB at row boundaries. Each part is a
small workbook in a temporary file, deleted once parsed: the parts calamine opens a workbook
with (workbook, styles, shared strings, relationships) and the sheet's own XML head, a slice
of its rows and its closing tags, stored unpacked. Worker threads parse the parts while the
sheet is still being measured and while the importer reads the parts before them; calamine
keeps every cell's address, so each part's rows stand where they stood in the whole sheet.

Only a sheet whose <dimension> claim was verified is cut (every cell then lies inside it, so a
part is as safe to parse as the whole). Anything unusual (a cell outside the claim, a tag
without its address) stops the cutting; the sheet is then parsed whole as before. A part that
calamine cannot parse makes the rest of the sheet come from a parse of the whole sheet.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import threading
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import python_calamine

from mou_desk.exchange.workbook_reader.cells import column_letters
from mou_desk.exchange.workbook_reader.model import Source

#: a sheet whose XML unpacks to more than this is cut into parts...
SPLIT_FROM: Final = 20 * 1024 * 1024
#: ...of about this many bytes of XML each
PART_BYTES: Final = 24 * 1024 * 1024
PARSERS: Final = 2

# Parts of a package calamine never reads to give a sheet's cells: not copied into the parts.
_LEFT_OUT: Final = (
    "xl/worksheets/",
    "xl/chartsheets/",
    "xl/macrosheets/",
    "xl/dialogsheets/",
    "xl/media/",
    "xl/drawings/",
    "xl/charts/",
    "xl/embeddings/",
    "xl/pivotcache/",
    "xl/pivottables/",
    "xl/printersettings/",
    "xl/externallinks/",
    "xl/activex/",
    "xl/ctrlprops/",
    "xl/tables/",
    "xl/querytables/",
    "xl/threadedcomments/",
    "xl/persons/",
    "xl/richdata/",
    "xl/comments",
    "xl/calcchain.xml",
    "xl/vbaproject.bin",
    "customxml/",
    "docprops/",
)


def _left_out(name: str) -> bool:
    return name.replace("\\", "/").lstrip("/").lower().startswith(_LEFT_OUT)


class PartParser:
    """Worker threads parsing the parts of a workbook's sheets; at most one part waits.

    Each part is written to a file of its own in a private temporary folder (calamine reads a
    file without holding the interpreter lock, a Python file object only with it) and deleted
    as soon as calamine has parsed it.
    """

    def __init__(self, source: Source, workers: int = PARSERS) -> None:
        self.source = source
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="workbook-part")
        self._room = threading.BoundedSemaphore(workers + 1)
        self._support: dict[str, bytes] | None = None
        self._folder: Path | None = None
        self._count = 0
        self._closed = False

    def support(self) -> dict[str, bytes]:
        """The package's parts every part workbook carries (read once)."""
        if self._support is None:
            with zipfile.ZipFile(self.source.path) as package:
                self._support = {
                    info.filename: package.read(info)
                    for info in package.infolist()
                    if not info.is_dir() and not _left_out(info.filename)
                }
        return self._support

    def new_file(self) -> Path:
        """A path for the next part's workbook."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="mou-desk-parts-"))
        self._count += 1
        return self._folder / f"{self._count}.part"

    def submit(self, path: Path, name: str) -> Future[Any]:
        """Parse sheet ``name`` of the part workbook at ``path`` (then deleted); waits while
        another part waits already."""
        self._room.acquire()

        def parse() -> Any:
            try:
                with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
                    return book.get_sheet_by_name(name)
            finally:
                self._room.release()
                self._remove(path)

        try:
            return self._pool.submit(parse)
        except BaseException:
            self._room.release()
            self._remove(path)
            raise

    def _remove(self, path: Path) -> None:
        with contextlib.suppress(OSError):  # held by a virus scanner: the folder goes at close
            path.unlink(missing_ok=True)
        if self._closed and self._folder is not None:
            with contextlib.suppress(OSError):  # parts still being parsed remove it last
                self._folder.rmdir()

    def close(self, *, cancel: bool = False) -> None:
        """No more parts; with ``cancel``, those not started are dropped and the rest awaited."""
        self._closed = True
        self._pool.shutdown(wait=cancel, cancel_futures=cancel)
        if self._folder is not None:
            if cancel:
                shutil.rmtree(self._folder, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    self._folder.rmdir()


class PartCutter:
    """Cuts one sheet's XML, fed piece by piece as it is verified, into parsed parts.

    ``parts`` holds a future per part (a calamine sheet); ``first_column`` and ``last_column``
    say whether a value was seen in column A and in the last column of the verified claim
    (then the whole sheet starts in A, or ends in that column, without waiting for the parts).
    """

    def __init__(self, parser: PartParser, member: str, name: str, part_bytes: int = PART_BYTES):
        self.parser = parser
        self.member = member
        self.name = name
        self.part_bytes = part_bytes
        self.parts: list[Future[Any]] = []
        self.active = False
        self.done = False
        self.first_column = self.last_column = False
        self.merge_cells = False  # the sheet has a <mergeCell> (after its rows: in the last part)
        self.rows = self.cols = 0
        self._head: bytes | None = None
        self._pieces: list[bytes] = []
        self._size = 0

    def begin(self, prefix: bytes, rows: int, cols: int) -> None:
        """Start cutting a sheet whose cells all lie in A1:(cols, rows), tags named ``prefix``."""
        p = re.escape(prefix)
        self.rows, self.cols = rows, cols
        self._sheet_data = re.compile(b"<" + p + rb"sheetData(?=[\s>/])[^>]*>")
        self._dimension = re.compile(b"<" + p + rb"dimension(?=[\s>/])[^>]*>")
        self._row = re.compile(b"<" + p + rb"row(?=[\s>/])")
        self._close = b"</" + prefix + b"sheetData></" + prefix + b"worksheet>"
        self._merge_cell = b"<" + prefix + b"mergeCell"
        value = b"(?:<" + p + rb"v>[^<]|<" + p + rb"is><" + p + rb"t(?:\s[^>]*)?>[^<])"

        def holding(letters: bytes) -> re.Pattern[bytes]:
            return re.compile(b"<" + p + b'c r="' + letters + rb'[0-9]+"[^>]*(?<!/)>' + value)

        self._in_first = holding(b"A")
        self._in_last = holding(column_letters(cols - 1).encode())
        self.active = True

    def feed(self, chunk: bytes) -> None:
        """The next piece of the sheet's XML, verified; a part is handed over when big enough."""
        if not self.active:
            return
        body = chunk
        if self._head is None:
            found = self._sheet_data.search(chunk)
            if found is None or found.group().endswith(b"/>"):
                self.abandon()
                return
            self._head = self._dimension.sub(b"", chunk[: found.end()])
            body = chunk[found.end() :]
        if not self.first_column and self._in_first.search(body):
            self.first_column = True
        if not self.last_column and self._in_last.search(body):
            self.last_column = True
        while self.active:  # cut at the first row that starts once the part is big enough
            wanted = max(self.part_bytes - self._size, 0)
            row = self._row.search(body, wanted) if wanted <= len(body) else None
            if row is None:
                break
            self._pieces.append(body[: row.start()])
            self._hand_over(last=False)
            body = body[row.start() :]
        if self.active:
            self._pieces.append(body)
            self._size += len(body)

    def finish(self) -> None:
        """The sheet's last piece was fed: its rest (closing tags included) is the last part."""
        if self.active and self._head is not None:
            self.merge_cells = any(self._merge_cell in piece for piece in self._pieces)
            self._hand_over(last=True)
            self.done = self.active
        self.active = False

    def abandon(self) -> None:
        """Stop cutting: the sheet will be parsed whole."""
        self.active = False
        for part in self.parts:
            part.cancel()
        self.parts = []
        self._pieces = []

    def _hand_over(self, *, last: bool) -> None:
        assert self._head is not None
        path: Path | None = None
        try:
            path = self.parser.new_file()
            with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as package:
                for name, data in self.parser.support().items():
                    package.writestr(name, data)
                with package.open(self.member, "w", force_zip64=True) as sheet:
                    sheet.write(self._head)
                    for piece in self._pieces:
                        sheet.write(piece)
                    if not last:
                        sheet.write(self._close)
        except OSError:  # no room or no right to write there: the sheet is parsed whole
            if path is not None:
                path.unlink(missing_ok=True)
            self.abandon()
            return
        self._pieces, self._size = [], 0
        self.parts.append(self.parser.submit(path, self.name))


def unpacked_sizes(source: Source) -> dict[str, int]:
    """Each member of the package and the bytes it unpacks to."""
    with zipfile.ZipFile(source.path) as package:
        return {info.filename: info.file_size for info in package.infolist()}


def sheet_sizes(source: Source) -> dict[str, int]:
    """The bytes of XML (or records) each worksheet of a package unpacks to; {} for others."""
    if source.kind not in ("xlsx", "xlsb"):
        return {}
    sizes = unpacked_sizes(source)
    return {name: sizes.get(member, 0) for name, member in source.sheet_parts.items()}


def shared_strings_size(sizes: dict[str, int]) -> int:
    """The bytes the package's shared strings unpack to (each part workbook carries them)."""
    return sum(
        size
        for name, size in sizes.items()
        if name.replace("\\", "/").lower().rsplit("/", 1)[-1] == "sharedstrings.xml"
    )
