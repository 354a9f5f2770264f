"""How the MoU table looks: shared by the MoUs screen and its start-up preview."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from mou_desk.services.mou_grid import COLUMNS

WIDTHS = {
    "ref": 125, "title": 250, "lead_partner": 180, "sector": 125, "district": 115, "stage": 80,
    "status": 70, "days_in_stage": 95, "crore": 75, "nodal_officer": 140, "next_action": 190,
    "next_action_due": 85,
}  # fmt: skip


def configure_mou_table(table: QTableView) -> QByteArray:
    """Row selection, fixed row heights (no per-row measuring at 100,000 rows), movable
    columns with default widths; returns the header's default state (for "Reset columns").
    """
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    header.setSortIndicatorShown(True)
    for number, column in enumerate(COLUMNS):
        table.setColumnWidth(number, WIDTHS.get(column, 120))
    default = header.saveState()
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    return default
