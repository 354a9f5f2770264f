"""The reader's entry points: checks, then measuring, then calamine, in that order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from mou_desk.exchange.workbook_reader import parts
from mou_desk.exchange.workbook_reader.csv_reader import read_csv
from mou_desk.exchange.workbook_reader.engine import (
    ParsedSheet,
    choose_sheets,
    open_engine,
    parse_sheet,
    scan_warnings,
    worksheet_names,
)
from mou_desk.exchange.workbook_reader.model import Progress, SheetData, Source, WorkbookData
from mou_desk.exchange.workbook_reader.parted import PartedSheet
from mou_desk.exchange.workbook_reader.parts import PartCutter, PartParser, unpacked_sizes
from mou_desk.exchange.workbook_reader.safety import open_source
from mou_desk.exchange.workbook_reader.sheet_sizes import (
    check_extent,
    measure_ods,
    scan_package_sheet,
    widest,
)


def inspect_workbook(path: Path) -> None:
    """Run the safety checks that need no sheet to be read; raise ``WorkbookRefused`` if any fails.

    Checks the path, the file type, the package (zip bombs, XML entity declarations, missing
    parts, passwords). The per-sheet size checks run in ``read_workbook``.
    """
    open_source(Path(path))


def sheet_names(path: Path) -> list[str]:
    """Names of the worksheets (chart sheets left out), in workbook order, hidden ones included."""
    source = open_source(Path(path))
    if source.kind == "csv":
        return [source.path.stem]
    if source.kind == "ods":
        measure_ods(source, Progress(None, None))
    with open_engine(source) as book:
        return worksheet_names(source, book)


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
    progress = Progress(on_progress, is_cancelled)
    source, parsed = open_workbook(path, sheets=sheets, max_rows=max_rows, progress=progress)
    result: list[SheetData] = []
    notes: list[str] = []
    for sheet in parsed:
        result.append(sheet.materialize())
        notes += sheet.warnings
    progress.finish()
    return WorkbookData(source.path, result, [*source.warnings, *notes])


def open_workbook(
    path: Path,
    *,
    sheets: Sequence[str] | None = None,
    max_rows: int = 1_000_000,
    progress: Progress | None = None,
    in_parts: bool = False,
    part_bytes: int | None = None,
    split_from: int | None = None,
) -> tuple[Source, Iterator[ParsedSheet]]:
    """The checked file, and its chosen sheets one at a time, each measured and parsed when
    it is reached (refusals as ``read_workbook``'s), so that a caller holds as few as it wants.

    The file's own checks run at once; notes for the clerk about the file gather in
    ``Source.warnings``, those about a sheet in its ``ParsedSheet.warnings``. With
    ``in_parts``, an .xlsx sheet of more than ``split_from`` bytes of XML is cut into parts of
    about ``part_bytes`` parsed on worker threads while it is measured (module parts); close
    the iterator when done with it. By default (parts.SPLIT_FROM, parts.PART_BYTES) a part is
    at least four times the shared strings, which calamine reads again for every part, and a
    sheet is cut only into two parts or more.
    """
    if isinstance(sheets, str):
        sheets = [sheets]
    progress = progress or Progress(None, None)
    progress.check()
    source = open_source(Path(path))
    if in_parts and source.kind == "xlsx":
        return source, _sheets_in_parts(
            source,
            sheets,
            max_rows,
            progress,
            part_bytes,
            parts.SPLIT_FROM if split_from is None else split_from,
        )
    return source, _parsed_sheets(source, sheets, max_rows, progress)


def _sheets_in_parts(
    source: Source,
    sheets: Sequence[str] | None,
    max_rows: int,
    progress: Progress,
    part_bytes: int | None,
    split_from: int,
) -> Iterator[ParsedSheet]:
    parser = PartParser(source)
    try:
        sizes = unpacked_sizes(source)
        if part_bytes is None:
            part_bytes = max(parts.PART_BYTES, 4 * parts.shared_strings_size(sizes))
            split_from = max(split_from, part_bytes)

        def cutter(name: str) -> PartCutter | None:
            member = source.sheet_parts.get(name, "")
            if sizes.get(member, 0) <= split_from:
                return None
            return PartCutter(parser, member, name, part_bytes)

        yield from _parsed_sheets(source, sheets, max_rows, progress, cutter)
    except GeneratorExit:  # closed before its end: the parts not yet parsed are not wanted
        parser.close(cancel=True)
        raise
    finally:
        parser.close()  # parts of sheets handed out are still parsed, then the workers end


def _parsed_sheets(
    source: Source,
    sheets: Sequence[str] | None,
    max_rows: int,
    progress: Progress,
    cutter_for: Callable[[str], PartCutter | None] | None = None,
) -> Iterator[ParsedSheet]:
    if source.kind == "csv":
        name = sheets[0] if sheets else source.path.stem
        rows = read_csv(source, name, max_rows, progress).rows
        yield ParsedSheet(source, name, None, None, max_rows, progress, rows=rows)
        return
    # calamine reads every sheet of an .ods when it opens it, so all are measured first
    ods_scans = measure_ods(source, progress) if source.kind == "ods" else {}
    with open_engine(source) as book:
        available = worksheet_names(source, book)
        wanted = choose_sheets(source, available, sheets)
        for name in wanted:
            progress.check()
            if source.kind == "ods":
                scan = ods_scans.get(name) or widest(ods_scans)
            elif source.kind in ("xlsx", "xlsb"):
                cutter = cutter_for(name) if cutter_for is not None else None
                scan = scan_package_sheet(source, name, max_rows, progress, cutter)
                if cutter is not None and cutter.done:
                    check_extent(source, name, scan, max_rows)
                    yield PartedSheet(
                        source, name, None, scan, max_rows, progress,
                        warnings=scan_warnings(name, scan), cutter=cutter,
                    )  # fmt: skip
                    continue
            else:
                scan = None
            if scan is not None:
                check_extent(source, name, scan, max_rows)
            yield parse_sheet(source, book, name, scan, max_rows, progress)
