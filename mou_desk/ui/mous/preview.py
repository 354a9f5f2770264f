"""The MoUs screen as it first appears: its first rows, read before the database is fully open.

It looks like the MoUs screen (same columns, widths, order, text and marks, from the saved
layout) but takes no input; the real screen replaces it as soon as the database is open.
Its cells sit in a QStandardItemModel painted by Qt's own delegate, so drawing the first frame
calls no Python per cell and never touches PySide6's ``Qt`` namespace (see ui.mous.look).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage
from mou_desk.services.first_rows import FirstRow, first_rows
from mou_desk.services.mou_grid import COLUMNS, row_is_overdue, row_is_stale, stale_cutoffs
from mou_desk.ui import settings as keys
from mou_desk.ui.mous.filter_bar import FilterBar
from mou_desk.ui.mous.look import (
    ALIGNMENT_ROLE,
    BACKGROUND_ROLE,
    FONT_ROLE,
    FOREGROUND_ROLE,
    NUMERIC,
    OVERDUE_RGB,
    RIGHT_ALIGNED,
    STALE_RGB,
    cell_text,
    column_title,
    row_height,
    set_up_table,
)
from mou_desk.ui.settings import Settings

if TYPE_CHECKING:
    from mou_desk.services.listing import MouRow

#: the most rows put in the preview (a screenful on a tall screen: see ``rows_to_fill``)
PREVIEW_ROWS = 80


def preview_model(
    rows: Sequence[MouRow],
    today: date,
    thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS,
    parent: Any = None,
) -> QStandardItemModel:
    """The rows' cells as MouTableModel shows them: text, right-aligned numbers, the stale
    background and the overdue mark."""
    rows = rows[:PREVIEW_ROWS]
    model = QStandardItemModel(0, len(COLUMNS), parent)
    for number, column in enumerate(COLUMNS):
        head = QStandardItem(column_title(column))
        if column in NUMERIC:
            head.setData(RIGHT_ALIGNED, ALIGNMENT_ROLE)
        model.setHorizontalHeaderItem(number, head)
    # Colours, not brushes: the view makes them brushes; QBrush() would load the Qt enums.
    stale = QColor.fromRgb(*STALE_RGB)
    overdue = QColor.fromRgb(*OVERDUE_RGB)
    bold = QFont()
    bold.setBold(True)
    cutoffs = stale_cutoffs(today, thresholds)
    due = COLUMNS.index("next_action_due")
    for row in rows:
        is_stale = row_is_stale(row, cutoffs)
        items = []
        for c, column in enumerate(COLUMNS):
            item = QStandardItem(cell_text(row, column, today))
            if column in NUMERIC:
                item.setData(RIGHT_ALIGNED, ALIGNMENT_ROLE)
            if is_stale:
                item.setData(stale, BACKGROUND_ROLE)
            if c == due and row_is_overdue(row, today):
                item.setData(overdue, FOREGROUND_ROLE)
                item.setData(bold, FONT_ROLE)
            items.append(item)
        model.appendRow(items)  # one call a row, not one a cell
    return model


def rows_to_fill(window: QWidget) -> int:
    """Rows enough for the table at the tallest it can be on the window's screen (the window
    may be maximized at once), at most PREVIEW_ROWS: each row not shown is read and built for
    nothing before the first frame."""
    screen = window.screen()
    tallest = max(window.height(), screen.availableGeometry().height() if screen else 0)
    return max(1, min(PREVIEW_ROWS, tallest // row_height(window) + 1))


def preview_rows(
    database: str, settings: Settings, limit: int = PREVIEW_ROWS
) -> list[FirstRow] | None:
    """The first rows in the order the MoU table was left in, read straight from the file
    (services.first_rows); None when they cannot be had before the database opens: the file is
    not plain SQLite, or the table was sorted by a column other than the reference."""
    order = settings.get(keys.MOUS_SORT) or (
        "ref asc" if settings.layout("mous/header") is None else ""
    )  # a layout saved without its order (an older version) tells nothing about it
    if order not in ("ref asc", "ref desc"):
        return None
    return first_rows(database, limit, descending=order == "ref desc")


class MousPreview(QWidget):
    def __init__(
        self,
        rows: Sequence[MouRow],
        header_state: Any = None,
        parent: QWidget | None = None,
        *,
        thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mousPreview")
        self.filter_bar = FilterBar()
        self.filter_bar.setEnabled(False)
        self.model = preview_model(rows, date.today(), thresholds, self)
        self.table = QTableView()
        self.table.setObjectName("mouTable")
        self.table.setModel(self.model)
        set_up_table(self.table)
        if header_state is not None:
            self.table.horizontalHeader().restoreState(header_state)
        self.count_label = QLabel(self.tr("Opening the database…"))
        # The screen's buttons, greyed: the table keeps its height when the screen replaces it.
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        for text in (
            QCoreApplication.translate("MousView", "New MoU"),
            QCoreApplication.translate("MousView", "Open"),
            QCoreApplication.translate("MousView", "Move to Trash"),
        ):
            button = QPushButton(text)
            button.setEnabled(False)
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
