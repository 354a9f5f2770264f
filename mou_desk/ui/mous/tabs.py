"""The MoU editor's other tabs: stage history, change log, meetings, follow-ups, attachments."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import DeskError
from mou_desk.services.desk import Desk
from mou_desk.services.mou_links import meetings_for_mou
from mou_desk.ui.mous.form import field_label
from mou_desk.ui.widgets.date_edit import DateEdit

_ID = Qt.ItemDataRole.UserRole


def _table(headings: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setHorizontalHeaderLabels(headings)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[str | None, Sequence[str]]]) -> None:
    table.setRowCount(len(rows))
    for number, (record_id, cells) in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(_ID, record_id)
            item.setToolTip(text if len(text) > 40 else "")
            table.setItem(number, column, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(table.columnCount() - 1):
        if header.sectionSize(column) > 320:
            header.resizeSection(column, 320)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


def _selected_id(table: QTableWidget) -> str | None:
    items = table.selectedItems()
    return str(items[0].data(_ID)) if items and items[0].data(_ID) else None


def _shown(text: str | None) -> str:
    """Change-log values are canonical text: show dates as DD-MM-YYYY."""
    if text is None:
        return ""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return format_date(date.fromisoformat(text))
        except ValueError:
            return text
    return text


def _when(at: datetime) -> str:
    local = at.astimezone() if at.tzinfo else at
    return f"{format_date(local.date())} {local:%H:%M}"


class StageHistoryTab(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.table = _table([self.tr("On"), self.tr("From"), self.tr("To"), self.tr("Status"),
                             self.tr("Reason"), self.tr("By")])  # fmt: skip
        QVBoxLayout(self).addWidget(self.table)

    def load(self, mou_id: str) -> None:
        rows = []
        for event in self._desk.mous.stage_history(mou_id):
            status = event.to_status.label
            if event.from_status is not None and event.from_status != event.to_status:
                status = f"{event.from_status.label} → {event.to_status.label}"
            rows.append((None, [
                format_date(event.effective_on),
                event.from_stage.label if event.from_stage else "",
                event.to_stage.label, status, event.reason, event.actor,
            ]))  # fmt: skip
        _fill(self.table, rows)


class ChangeLogTab(QWidget):
    def __init__(
        self, desk: Desk, describe: Callable[[str, str | None], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._desk = desk
        self._describe = describe or (lambda _field, text: _shown(text))
        self.table = _table([
            self.tr("When"), self.tr("Who"), self.tr("From where"), self.tr("What"),
            self.tr("Field"), self.tr("Was"), self.tr("Now"),
        ])  # fmt: skip
        QVBoxLayout(self).addWidget(self.table)

    def load(self, mou_id: str) -> None:
        rows = [
            (
                None,
                [
                    _when(c.at),
                    c.actor,
                    c.origin,
                    c.action,
                    field_label(c.field) if c.field else "",
                    self._describe(c.field, c.old),
                    self._describe(c.field, c.new),
                ],
            )
            for c in reversed(self._desk.mous.history(mou_id))
        ]
        _fill(self.table, rows)


class MeetingsTab(QWidget):
    record_activated = Signal(str, str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.table = _table([self.tr("On"), self.tr("Kind"), self.tr("Meeting"), self.tr("Place")])
        QVBoxLayout(self).addWidget(self.table)
        self.table.itemActivated.connect(self._on_table_item_activated)

    def load(self, mou_id: str) -> None:
        rows = [
            (
                m.id,
                [
                    format_date(m["held_on"]),
                    str(getattr(m["kind"], "value", m["kind"])),
                    m["title"],
                    m["place"],
                ],
            )
            for m in meetings_for_mou(self._desk.db, mou_id)
        ]
        _fill(self.table, rows)

    @Slot(QTableWidgetItem)
    def _on_table_item_activated(self, item: QTableWidgetItem) -> None:
        if item.data(_ID):
            self.record_activated.emit("engagement", str(item.data(_ID)))


class FollowUpsTab(QWidget):
    record_activated = Signal(str, str)
    followups_changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._mou_id = ""
        self._versions: dict[str, int] = {}
        self.table = _table([self.tr("Due"), self.tr("What to do"), self.tr("Owner"),
                             self.tr("Done on")])  # fmt: skip
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("New follow-up, e.g. Send land options"))
        self.owner = QLineEdit()
        self.owner.setPlaceholderText(self.tr("Owner"))
        self.due = DateEdit()
        self.add_button = QPushButton(self.tr("Add"))
        self.done_button = QPushButton(self.tr("Mark done"))
        adder = QHBoxLayout()
        adder.addWidget(self.title, 3)
        adder.addWidget(self.owner, 1)
        adder.addWidget(self.due)
        adder.addWidget(self.add_button)
        adder.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(adder)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.table.itemActivated.connect(self._on_table_item_activated)

    def load(self, mou_id: str) -> None:
        self._mou_id = mou_id
        today = self._desk.db.today()
        followups = self._desk.followups.for_mou(mou_id)
        self._versions = {f.id: f.version for f in followups}
        _fill(self.table, [
            (f.id, [format_date(f["due_on"]), f["title"], f["owner"], format_date(f["done_on"])])
            for f in followups
        ])  # fmt: skip
        for number, f in enumerate(followups):
            if f["done_on"] is None and f["due_on"] < today:
                for column in range(self.table.columnCount()):
                    item = self.table.item(number, column)
                    if item is not None:  # _fill created every cell; None only if out of range
                        item.setForeground(Qt.GlobalColor.darkRed)
                first = self.table.item(number, 0)
                if first is not None:
                    first.setToolTip(self.tr("Overdue"))

    def add(self, title: str, owner: str, due: date | None) -> None:
        from mou_desk.ui.errors import show_error

        try:
            self._desk.followups.create(
                {"mou_id": self._mou_id, "title": title, "owner": owner, "due_on": due}
            )
        except DeskError as exc:
            show_error(self, exc)
            return
        self.title.clear()
        self.due.set_date(None)
        self.load(self._mou_id)
        self.followups_changed.emit()

    def mark_done(self, followup_id: str) -> None:
        from mou_desk.ui.errors import show_error

        try:
            self._desk.followups.mark_done(
                followup_id, self._desk.db.today(), self._versions[followup_id]
            )
        except DeskError as exc:
            show_error(self, exc)
        self.load(self._mou_id)
        self.followups_changed.emit()

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.add(self.title.text().strip(), self.owner.text().strip(), self.due.date())

    @Slot()
    def _on_done_button_clicked(self) -> None:
        followup_id = _selected_id(self.table)
        if followup_id:
            self.mark_done(followup_id)

    @Slot(QTableWidgetItem)
    def _on_table_item_activated(self, item: QTableWidgetItem) -> None:
        if item.data(_ID):
            self.record_activated.emit("followup", str(item.data(_ID)))


class AttachmentsTab(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._mou_id = ""
        self.table = _table([self.tr("File"), self.tr("Size"), self.tr("Description"),
                             self.tr("SHA-256 checksum")])  # fmt: skip
        self.add_button = QPushButton(self.tr("Add file…"))
        self.open_button = QPushButton(self.tr("Open"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.itemActivated.connect(self._on_open_button_clicked)

    def load(self, mou_id: str) -> None:
        self._mou_id = mou_id
        _fill(self.table, [
            (a.id, [a["file_name"], _size(a["size"]), a["description"], a["sha256"]])
            for a in self._desk.attachments.for_mou(mou_id)
        ])  # fmt: skip

    def add_file(self, path: Path) -> None:
        from mou_desk.ui.errors import show_error

        try:
            self._desk.attachments.add_file(path, mou_id=self._mou_id)
        except DeskError as exc:
            show_error(self, exc)
        self.load(self._mou_id)

    def open_attachment(self, attachment_id: str) -> Path | None:
        """Write the kept copy to a temp folder and open it with the system's viewer."""
        from mou_desk.ui.errors import show_error

        try:
            kept = self._desk.attachments.content(attachment_id)
        except DeskError as exc:
            show_error(self, exc)
            return None
        folder = Path(tempfile.mkdtemp(prefix="mou-desk-"))
        target = folder / Path(kept.file_name).name
        target.write_bytes(kept.data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    @Slot()
    def _on_add_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Attach a file"))
        if name:
            self.add_file(Path(name))

    @Slot()
    def _on_open_button_clicked(self, *_args: Any) -> None:
        attachment_id = _selected_id(self.table)
        if attachment_id:
            self.open_attachment(attachment_id)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"
