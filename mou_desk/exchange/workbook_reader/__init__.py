"""Read any file a clerk picks into plain rows, or refuse it with one sentence saying what to do."""

from mou_desk.exchange.workbook_reader.reader import (
    CANCEL_CHECK_EVERY as CANCEL_CHECK_EVERY,
)
from mou_desk.exchange.workbook_reader.reader import (
    MAX_CELLS as MAX_CELLS,
)
from mou_desk.exchange.workbook_reader.reader import (
    MAX_PARTS as MAX_PARTS,
)
from mou_desk.exchange.workbook_reader.reader import (
    MAX_RATIO as MAX_RATIO,
)
from mou_desk.exchange.workbook_reader.reader import (
    MAX_STRUCTURE_PART as MAX_STRUCTURE_PART,
)
from mou_desk.exchange.workbook_reader.reader import (
    MAX_UNPACKED_BYTES as MAX_UNPACKED_BYTES,
)
from mou_desk.exchange.workbook_reader.reader import (
    PROGRESS_EVERY as PROGRESS_EVERY,
)
from mou_desk.exchange.workbook_reader.reader import (
    RATIO_CHECKED_FROM as RATIO_CHECKED_FROM,
)
from mou_desk.exchange.workbook_reader.reader import (
    ImportCancelled,
    SheetData,
    WorkbookData,
    WorkbookRefused,
    inspect_workbook,
    read_workbook,
    sheet_names,
)

__all__ = [
    "ImportCancelled",
    "SheetData",
    "WorkbookData",
    "WorkbookRefused",
    "inspect_workbook",
    "read_workbook",
    "sheet_names",
]
