"""How the exported sheets look and guard themselves: formats, greyed read-only columns,
dropdowns from the hidden Lists sheet, and the notes Excel shows on a header.

Read-only columns are greyed by one conditional format over the whole column and refused by a
data validation, instead of a style on each of their cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import xlsxwriter

from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_layout import Column, SheetLayout

MAX_ROW: Final = 1_048_575  # Excel's last row (0-based)
# Indian grouping (₹ 1,23,45,678.00); Excel allows two conditions, so amounts of 100 crore and
# more show their leading digits ungrouped (₹ 1234,56,78,901.00): still exact and summable.
INR_FORMAT: Final = (
    '[>=10000000]"₹ "##\\,##\\,##\\,##0.00;[>=100000]"₹ "##\\,##\\,##0.00;"₹ "#,##0.00'
)
CRORE_FORMAT: Final = '#,##0.00" cr"'
DATE_FORMAT: Final = "dd-mm-yyyy"
GREY: Final = "#E7E6E6"


# Kinds written without a cell format: text, dropdown values and plain numbers show as they
# are in General, and a style on every cell costs a tenth of the export's time.
_PLAIN: Final = frozenset(
    {
        wl.TEXT,
        wl.LONG_TEXT,
        wl.PHONE,
        wl.OPEN_CHOICE,
        wl.CHOICE,
        wl.PARTNER,
        wl.PARTNER_LIST,
        wl.OFFICER,
        wl.MOU_REF,
        wl.REASON,
        wl.INT,
        wl.DECIMAL,
    }
)


class Formats:
    """The cell formats of one workbook, made once (xlsxwriter keeps each format it is given)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        head = {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}
        self.header = book.add_format({**head, "bg_color": "#DDEBF7"})
        self.header_grey = book.add_format({**head, "bg_color": "#BFBFBF", "font_color": "#404040"})
        self.by_kind: dict[tuple[str, bool], Any] = {}
        specs: dict[str, dict[str, Any]] = {
            wl.ID: {"num_format": "@"},
            wl.PHONE: {"num_format": "@"},
            wl.TEXT: {},
            wl.LONG_TEXT: {},
            wl.DATE: {"num_format": DATE_FORMAT},
            wl.INT: {"num_format": "0"},
            wl.VERSION: {"num_format": "0"},
            wl.DECIMAL: {"num_format": "General"},
            wl.INR: {"num_format": INR_FORMAT},
            wl.CRORE: {"num_format": CRORE_FORMAT},
        }
        for kind, spec in specs.items():
            self.by_kind[(kind, False)] = book.add_format(spec)
            self.by_kind[(kind, True)] = book.add_format(
                {**spec, "bg_color": GREY, "font_color": "#595959"}
            )
        self.plain = book.add_format({})
        # a conditional format's style: fill and font only (Excel ignores number formats there)
        self.grey = book.add_format({"bg_color": GREY, "font_color": "#595959"})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})

    def column(self, column: Column) -> Any:
        """The column's format: what new cells typed in Excel get (text stays text in ID and
        phone columns, dates show DD-MM-YYYY)."""
        kind = column.kind if (column.kind, False) in self.by_kind else wl.TEXT
        return self.by_kind[(kind, column.readonly)]

    def cell(self, column: Column) -> Any:
        """The format written with each cell: none for the plain kinds; read-only columns are
        greyed by a conditional format over the whole column instead of a style per cell."""
        if column.kind in _PLAIN or column.kind in (wl.ID, wl.VERSION, wl.CHECK):
            return None
        return self.by_kind[(column.kind, False)]


def decorate(
    sheet: Any,
    layout: SheetLayout,
    last: int,
    list_refs: Mapping[str, str],
    freeze: int,
    grey: Any,
) -> None:
    columns = layout.columns
    sheet.freeze_panes(1, freeze)
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    for i, column in enumerate(columns):
        if column.readonly and column.kind != wl.CHECK:
            sheet.conditional_format(1, i, MAX_ROW, i, {"type": "no_blanks", "format": grey})
    for i, column in enumerate(columns):
        if column.note:
            sheet.data_validation(
                0,
                i,
                0,
                i,
                {
                    "validate": "any",
                    "input_title": column.header[:32],
                    "input_message": column.note[:255],
                },
            )
        if column.readonly:
            sheet.data_validation(
                1,
                i,
                MAX_ROW,
                i,
                {
                    "validate": "custom",
                    "value": "=FALSE",
                    "ignore_blank": True,
                    "error_title": "Kept by MoU Desk",
                    "error_message": (
                        f"{column.header} is kept by MoU Desk and is not read back. "
                        "Change the other columns instead."
                    )[:255],
                },
            )
        elif column.choices and column.choices in list_refs:
            closed = column.choices in wl.CLOSED_LISTS
            sheet.data_validation(
                1,
                i,
                MAX_ROW,
                i,
                {
                    "validate": "list",
                    "source": list_refs[column.choices],
                    "error_type": "stop" if closed else "warning",
                    "error_title": column.header[:32],
                    "error_message": (
                        "Pick a value from the list."
                        if closed
                        else "This value is not in the list. Keep it anyway?"
                    ),
                },
            )
