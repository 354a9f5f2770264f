"""The MoUs screen as it first appears: its first rows, read before the database is fully open.

It looks like the MoUs screen (same columns, widths, order and sort, from the saved layout) but
takes no input; the real screen replaces it as soon as the database is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from mou_desk.ui.mous.filter_bar import FilterBar
from mou_desk.ui.mous.model import MouTableModel
from mou_desk.ui.mous.table import configure_mou_table


class MousPreview(QWidget):
    def __init__(
        self, rows: Sequence[Any], header_state: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mousPreview")
        self.filter_bar = FilterBar()
        self.filter_bar.setEnabled(False)
        self.model = MouTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("mouTable")
        self.table.setModel(self.model)
        configure_mou_table(self.table)
        header = self.table.horizontalHeader()
        if header_state is not None:
            header.restoreState(header_state)
        self.model.set_rows(list(rows))
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.count_label = QLabel(self.tr("Opening the database…"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
