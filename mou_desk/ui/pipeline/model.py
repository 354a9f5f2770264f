"""One board column's cards: a list model over at most a few hundred compact rows.

Cards are painted by ``CardDelegate``; dragging one carries its id and stage, and a drop on
another column is reported through ``card_dropped`` (the model itself never moves rows: the
stage changes through the stage dialog, then the board reloads).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from mou_desk.domain.dates import format_date
from mou_desk.domain.money import format_crore, paise_to_rupees
from mou_desk.domain.stages import Stage
from mou_desk.services.pipeline import Card, StageColumn

CARD_MIME = "application/x-mou-desk-card"
CARD_ROLE = Qt.ItemDataRole.UserRole + 10
ID_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


def card_amount(card: Card) -> str:
    paise = card.row.proposed_paise
    return format_crore(paise_to_rupees(int(paise))) if paise is not None else ""


def encode_card(mou_id: str, stage: str) -> QMimeData:
    data = QMimeData()
    data.setData(CARD_MIME, QByteArray(f"{mou_id}\t{stage}".encode()))
    return data


def decode_card(data: QMimeData) -> tuple[str, str] | None:
    if not data.hasFormat(CARD_MIME):
        return None
    text = bytes(data.data(CARD_MIME).data()).decode()
    mou_id, _, stage = text.partition("\t")
    return (mou_id, stage) if mou_id and stage else None


class StageCardModel(QAbstractListModel):
    """The cards of one stage, in the order the board service gives them."""

    card_dropped = Signal(str, str)  # mou id, this column's stage

    def __init__(self, stage: Stage, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._cards: list[Card] = []

    def set_column(self, column: StageColumn) -> None:
        self.beginResetModel()
        self._cards = list(column.cards)
        self.endResetModel()

    def cards(self) -> list[Card]:
        return list(self._cards)

    def take_card(self, mou_id: str) -> Card | None:
        """Remove a card (it moved to another column) and return it."""
        row = self.row_of(mou_id)
        if row < 0:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        card = self._cards.pop(row)
        self.endRemoveRows()
        return card

    def put_card(self, card: Card) -> None:
        """Show a card that just arrived in this column at the top."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._cards.insert(0, card)
        self.endInsertRows()

    def row_of(self, mou_id: str) -> int:
        return next((i for i, c in enumerate(self._cards) if c.row.id == mou_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.row.title
        if role == CARD_ROLE:
            return card
        if role == ID_ROLE:
            return card.row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(card)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{card.row.ref} {card.row.title}, {card.row.lead_partner}"
        return None

    def _tooltip(self, card: Card) -> str:
        row = card.row
        lines = [
            f"{row.ref} — {row.title}",
            row.lead_partner,
            card_amount(card),
            self.tr("In {stage} since {date} ({n} days)").format(
                stage=Stage(row.stage).label,
                date=format_date(row.stage_since),
                n=card.days_in_stage,
            ),
        ]
        if card.stale:
            lines.append(
                self.tr("Stale: no activity since {date}").format(
                    date=format_date(row.last_activity_on)
                )
            )
        if row.next_action:
            due = f" ({format_date(row.next_action_due)})" if row.next_action_due else ""
            lines.append(self.tr("Next: {action}").format(action=row.next_action) + due)
        return "\n".join(line for line in lines if line)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )

    # ---- drag and drop -----------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [CARD_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        index = next(i for i in indexes if i.isValid())
        return encode_card(self._cards[index.row()].row.id, self.stage.value)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        card = decode_card(data)
        return card is not None and card[1] != self.stage.value

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        card = decode_card(data)
        if card is None or card[1] == self.stage.value:
            return False
        self.card_dropped.emit(card[0], self.stage.value)
        # False: the source view must not remove the card; the board reloads after the dialog.
        return False
