"""A compact list of related records in a detail area (a partner's contacts, a trip's meetings)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import QHeaderView, QProxyStyle, QStyle, QVBoxLayout, QWidget

from mou_desk.ui.records.list_view import fit_columns, make_table
from mou_desk.ui.records.table_model import ID_ROLE, TYPE_ROLE, Column, RowTableModel


class SingleClickStyle(QProxyStyle):
    """Items open on a single click, like links (the dashboard's lists)."""

    def styleHint(self, hint: QStyle.StyleHint, *args: Any) -> int:
        if hint == QStyle.StyleHint.SH_ItemView_ActivateItemOnSingleClick:
            return 1
        return super().styleHint(hint, *args)


class RelatedList(QWidget):
    """A sortable table of rows; opening one emits ``record_activated(record_type, id)``."""

    record_activated = Signal(str, str)

    def __init__(
        self,
        columns: Sequence[Column],
        record_type: str | Callable[[Any], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._stretch: int | None = None
        self.model = RowTableModel(columns, record_type, self)
        self.table = make_table(self)
        self.table.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.table.activated.connect(self._on_table_activated)

    def open_on_single_click(self) -> None:
        style = SingleClickStyle()
        style.setParent(self.table)
        self.table.setStyle(style)
        self.table.viewport().setCursor(Qt.CursorShape.PointingHandCursor)

    def stretch_column(self, column: int) -> None:
        """Give ``column`` (a title) the room left, eliding it rather than scrolling sideways."""
        self._stretch = column
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table, max_width=160 if self._stretch is not None else 360)
        if self._stretch is not None:
            self.table.horizontalHeader().setSectionResizeMode(
                self._stretch, QHeaderView.ResizeMode.Stretch
            )

    def rows(self) -> list[Any]:
        return self.model.rows()

    def open_row(self, row: int) -> None:
        """Open the row at ``row`` (as displayed), as a double-click would."""
        self._on_table_activated(self.model.index(row, 0))

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.record_activated.emit(index.data(TYPE_ROLE), index.data(ID_ROLE))
