"""How the MoU table looks, for the MoUs screen and for its start-up preview: column titles and
widths, the text of a cell, and the table's settings.

This module is on the path to the first frame, which must not touch PySide6's ``Qt``
namespace: creating its hundred-odd Python enums costs about 25 ms, more than the rest of the
first frame's own work. It therefore passes Qt's flags and roles as the integers the C++ side
takes (tests/ui/test_mous_table.py checks them against the enums).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from mou_desk.domain.dates import format_date
from mou_desk.domain.indian_numbers import crore_figure
from mou_desk.domain.stages import Stage, Status
from mou_desk.services.mou_grid import COLUMNS, days_in_stage

if TYPE_CHECKING:
    from mou_desk.services.listing import MouRow

#: Qt::AlignRight | Qt::AlignVCenter
RIGHT_ALIGNED = 0x0002 | 0x0080
#: Qt::ItemDataRole values
FONT_ROLE, ALIGNMENT_ROLE, BACKGROUND_ROLE, FOREGROUND_ROLE = 6, 7, 8, 9

WIDTHS = {
    "ref": 125, "title": 250, "lead_partner": 180, "sector": 125, "district": 115, "stage": 80,
    "status": 70, "days_in_stage": 95, "crore": 75, "nodal_officer": 140, "next_action": 190,
    "next_action_due": 85,
}  # fmt: skip
NUMERIC = frozenset({"days_in_stage", "crore"})
STALE_RGB = (255, 243, 205)
OVERDUE_RGB = (176, 0, 32)

_STAGE_LABELS = {s.value: s.label for s in Stage}
_STATUS_LABELS = {s.value: s.label for s in Status}


def column_title(column: str) -> str:
    titles = {
        "ref": QCoreApplication.translate("MouColumns", "Ref"),
        "title": QCoreApplication.translate("MouColumns", "Title"),
        "lead_partner": QCoreApplication.translate("MouColumns", "Lead partner"),
        "sector": QCoreApplication.translate("MouColumns", "Sector"),
        "district": QCoreApplication.translate("MouColumns", "District"),
        "stage": QCoreApplication.translate("MouColumns", "Stage"),
        "status": QCoreApplication.translate("MouColumns", "Status"),
        "days_in_stage": QCoreApplication.translate("MouColumns", "Days in stage"),
        "crore": QCoreApplication.translate("MouColumns", "₹ crore"),
        "nodal_officer": QCoreApplication.translate("MouColumns", "Nodal officer"),
        "next_action": QCoreApplication.translate("MouColumns", "Next action"),
        "next_action_due": QCoreApplication.translate("MouColumns", "Due"),
    }
    return titles[column]


def cell_text(row: MouRow, column: str, today: date) -> str:
    """What a cell of the table shows for ``row``."""
    if column == "stage":
        return _STAGE_LABELS.get(row.stage, row.stage)
    if column == "status":
        return _STATUS_LABELS.get(row.status, row.status)
    if column == "days_in_stage":
        return str(days_in_stage(row, today))
    if column == "crore":
        if row.proposed_paise is None:
            return ""
        return crore_figure(row.proposed_paise)
    if column == "next_action_due":
        return format_date(row.next_action_due)
    value = getattr(row, column)
    return "" if value is None else str(value)


def row_height(widget: QWidget) -> int:
    """The height of the table's rows, in pixels, for the widget's font."""
    return widget.fontMetrics().height() + 8


def set_up_table(table: QTableView) -> None:
    """Row selection, no editing, fixed row heights (no per-row measuring at 100,000 rows),
    movable columns with their default widths, text laid out without needless shaping."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    # Latin text is laid out without shaping (no kerning or ligatures), as a spreadsheet
    # shows it: about a fifth of the cost of drawing the table. Scripts that need shaping
    # (Devanagari) are still shaped; tests/ui/test_mous_preview.py checks Hindi is unchanged.
    font = table.font()
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    table.setFont(font)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(row_height(table))
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    for number, column in enumerate(COLUMNS):
        table.setColumnWidth(number, WIDTHS.get(column, 120))
