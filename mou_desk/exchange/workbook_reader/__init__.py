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

An importer that reads a large sheet row by row takes it from ``open_workbook`` instead: one
sheet parsed at a time, calamine's own rows streamed, only the rows it needs turned. Asked
to, it cuts a large .xlsx sheet, as the size check verifies it, into parts that worker
threads parse side by side (``parts``, ``parted``); the rows are those of the whole sheet.

Rows are positional: ``rows[i]`` is spreadsheet row ``i + 1`` and ``rows[i][j]`` is column
``j`` (0 = A), so an importer can name the cell a clerk sees. Leading empty rows and columns
are kept for that reason; trailing ones are trimmed and every row has the same width.
Cell values are ``str``, ``int`` (whole numbers), ``float``, ``bool``, ``datetime.date``
(dates, and date-times at midnight), ``datetime.datetime``, ``datetime.time``,
``datetime.timedelta`` (durations) or ``None``. Numbers stay binary floats here; money columns
are turned into exact decimals by the importer (``Decimal(repr(value))`` gives the shortest
decimal that the float stands for). Merged areas are filled with their top-left value, so a
header spread over two columns or a district merged down several rows reads on every row.

This package never writes to the file it reads (the parts of a large sheet go through a
private temporary folder, each file deleted once parsed), and imports no Qt.

Modules: ``reader`` (the entry points), ``safety`` (checks before parsing), ``sheet_sizes``,
``xlsx_sizes`` and ``xlsb`` (measuring sheets before calamine), ``engine`` (calling calamine),
``parts`` and ``parted`` (a large sheet parsed in parts),
``csv_reader``, ``cells`` (value normalisation), ``merges``, ``messages`` (the refusals) and
``model`` (limits, result types, progress).
"""

from mou_desk.exchange.workbook_reader.engine import ParsedSheet

# The limits stay readable as package attributes (tests read MAX_CELLS), outside __all__ as before.
from mou_desk.exchange.workbook_reader.model import (
    CANCEL_CHECK_EVERY as CANCEL_CHECK_EVERY,
)
from mou_desk.exchange.workbook_reader.model import (
    MAX_CELLS as MAX_CELLS,
)
from mou_desk.exchange.workbook_reader.model import (
    MAX_PARTS as MAX_PARTS,
)
from mou_desk.exchange.workbook_reader.model import (
    MAX_RATIO as MAX_RATIO,
)
from mou_desk.exchange.workbook_reader.model import (
    MAX_STRUCTURE_PART as MAX_STRUCTURE_PART,
)
from mou_desk.exchange.workbook_reader.model import (
    MAX_UNPACKED_BYTES as MAX_UNPACKED_BYTES,
)
from mou_desk.exchange.workbook_reader.model import (
    PROGRESS_EVERY as PROGRESS_EVERY,
)
from mou_desk.exchange.workbook_reader.model import (
    RATIO_CHECKED_FROM as RATIO_CHECKED_FROM,
)
from mou_desk.exchange.workbook_reader.model import (
    ImportCancelled,
    SheetData,
    WorkbookData,
    WorkbookRefused,
)
from mou_desk.exchange.workbook_reader.reader import (
    inspect_workbook,
    open_workbook,
    read_workbook,
    sheet_names,
)

__all__ = [
    "ImportCancelled",
    "ParsedSheet",
    "SheetData",
    "WorkbookData",
    "WorkbookRefused",
    "inspect_workbook",
    "open_workbook",
    "read_workbook",
    "sheet_names",
]
