"""When a save raced another: for each field changed on both sides, the clerk picks mine,
theirs (what is saved now) or the original (what both started from).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.errors import ConflictError, FieldConflict

MINE, THEIRS, ORIGINAL = 0, 1, 2


class ConflictDialog(QDialog):
    """``chosen()`` maps each conflicting field to the value picked for it."""

    def __init__(
        self,
        error: ConflictError,
        *,
        label_of: Callable[[str], str],
        describe: Callable[[str, Any], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._conflicts: list[FieldConflict] = list(error.conflicts)
        self._groups: list[QButtonGroup] = []
        self.setWindowTitle(self.tr("Someone else saved this MoU meanwhile"))
        intro = QLabel(
            self.tr(
                "{0} was changed by someone else while you were editing it. For each field "
                "below, choose which value to keep. Your other changes are kept as they are."
            ).format(error.label)
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        headings = (self.tr("Field"), self.tr("Mine (what I typed)"),
                    self.tr("Theirs (saved now)"), self.tr("Original (before both)"))  # fmt: skip
        for column, text in enumerate(headings):
            heading = QLabel(f"<b>{text}</b>")
            grid.addWidget(heading, 0, column)
        for row, conflict in enumerate(self._conflicts, start=1):
            grid.addWidget(QLabel(label_of(conflict.field)), row, 0)
            group = QButtonGroup(self)
            for column, value in enumerate((conflict.mine, conflict.theirs, conflict.original)):
                text = describe(conflict.field, value) or self.tr("(empty)")
                button = QRadioButton(_elided(text))
                button.setToolTip(text)
                button.setObjectName(f"{conflict.field}:{column}")
                group.addButton(button, column)
                grid.addWidget(button, row, column + 1)
            group.button(MINE).setChecked(True)
            self._groups.append(group)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        grid.setVerticalSpacing(10)
        grid.setRowStretch(len(self._conflicts) + 1, 1)  # rows stay together at the top
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save my choices"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(980, min(560, 200 + 40 * len(self._conflicts)))

    def choose(self, field: str, which: int) -> None:
        for conflict, group in zip(self._conflicts, self._groups, strict=True):
            if conflict.field == field:
                group.button(which).setChecked(True)

    def chosen(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for conflict, group in zip(self._conflicts, self._groups, strict=True):
            which = group.checkedId()
            result[conflict.field] = (conflict.mine, conflict.theirs, conflict.original)[which]
        return result


def _elided(text: str, limit: int = 34) -> str:
    """Long values are cut for the radio button; the tooltip shows them whole."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
