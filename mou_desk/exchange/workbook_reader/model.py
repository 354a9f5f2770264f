"""Limits, result types, refusals and progress counting shared by every part of the reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from mou_desk.domain.errors import DeskError

# Limits. A real workbook of 100,000 MoUs unpacks to well under 100 MB.
MAX_UNPACKED_BYTES: Final = 500 * 1024 * 1024
MAX_RATIO: Final = 200  # compression ratio of one part...
RATIO_CHECKED_FROM: Final = 10 * 1024 * 1024  # ...once it unpacks to more than this
MAX_PARTS: Final = 10_000
MAX_STRUCTURE_PART: Final = 20 * 1024 * 1024  # workbook.xml and the .rels files
MAX_CELLS: Final = 25_000_000  # calamine holds a sheet as a dense grid of 32-byte cells
PROGRESS_EVERY: Final = 5_000
CANCEL_CHECK_EVERY: Final = 1_000
CHUNK: Final = 1 << 20  # bytes read from a part at a time


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


class Progress:
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

    def rows_read(self, count: int) -> None:
        """``count`` rows at once (a streaming reader's batch): counted, reported, Cancel polled."""
        before, self.rows = self.rows, self.rows + count
        self.check()
        crossed = before // PROGRESS_EVERY != self.rows // PROGRESS_EVERY
        if crossed and self._on_progress is not None:
            self._on_progress(self.rows)

    def finish(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.rows)


@dataclass
class Source:
    """A file that passed the safety checks, and what they learnt about it."""

    path: Path
    label: str
    kind: str  # "xlsx" (also .xlsm), "xlsb", "ods", "xls" or "csv"
    sheet_parts: dict[str, str] = field(default_factory=dict)  # worksheet -> zip member
    warnings: list[str] = field(default_factory=list)


@dataclass
class SheetScan:
    """What a sheet holds, learnt from its XML or records before calamine reads it."""

    rows: int = 0  # one past the last row index holding a value
    cols: int = 0  # one past the last column index holding a value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas_without_values: int = 0
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
