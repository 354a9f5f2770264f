"""An amount as clerks type it ("₹ 1,200 crore", "12.5 lakh", "$ 3 million"), with its currency
and, for a foreign currency, the rate to rupees and its date. Read by domain.money.parse_amount;
the line under it shows what was understood, in rupees the Indian way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.money import (
    Currency,
    Money,
    format_crore,
    format_inr,
    format_money,
    parse_amount,
    parse_rate,
    to_inr,
)
from mou_desk.ui.widgets.date_edit import DateEdit, mark_invalid


@dataclass(frozen=True)
class MoneyValue:
    amount: Decimal | None
    currency: str
    rate: Decimal | None
    rate_date: date | None


class MoneyEdit(QWidget):
    """Amount, currency, rate and rate date; ``problems()`` maps field name -> message."""

    money_edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, inr_only: bool = False) -> None:
        super().__init__(parent)
        self._inr_only = inr_only
        self._money: Money | None = None
        self._rate: Decimal | None = None
        self._problems: dict[str, str] = {}
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("e.g. ₹ 1,200 crore, 12.5 lakh, $ 3 million"))
        self.amount.setClearButtonEnabled(True)
        self.currency = QComboBox()
        for currency in Currency:
            self.currency.addItem(f"{currency.value} {currency.symbol}".strip(), currency.value)
        self.rate = QLineEdit()
        self.rate.setPlaceholderText(self.tr("₹ for 1 unit, e.g. 0.5612"))
        self.rate_date = DateEdit()
        self.rate_label = QLabel(self.tr("Rate to ₹"))
        self.rate_date_label = QLabel(self.tr("on"))
        self.hint = QLabel()
        self.hint.setObjectName("moneyHint")
        self.hint.setWordWrap(True)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.amount, 0, 0, 1, 3)
        layout.addWidget(self.currency, 0, 3)
        layout.addWidget(self.rate_label, 1, 0)
        layout.addWidget(self.rate, 1, 1)
        layout.addWidget(self.rate_date_label, 1, 2)
        layout.addWidget(self.rate_date, 1, 3)
        layout.addWidget(self.hint, 2, 0, 1, 4)
        layout.setColumnStretch(1, 1)
        self.setFocusProxy(self.amount)
        self.currency.setVisible(not inr_only)
        self.amount.textEdited.connect(self._on_amount_text_edited)
        self.amount.editingFinished.connect(self._on_amount_editing_finished)
        self.currency.currentIndexChanged.connect(self._on_currency_current_index_changed)
        self.rate.textEdited.connect(self._on_rate_text_edited)
        self.rate_date.date_edited.connect(self._on_rate_date_date_edited)
        self._validate()

    # -- values --------------------------------------------------------------------------------

    def set_value(
        self,
        amount: Decimal | None,
        currency: str = "INR",
        rate: Decimal | None = None,
        rate_date: date | None = None,
    ) -> None:
        index = self.currency.findData(currency or "INR")
        self.currency.blockSignals(True)
        self.currency.setCurrentIndex(max(0, index))
        self.currency.blockSignals(False)
        code = self._currency()
        self.amount.setText("" if amount is None else format_money(Money(amount, code)))
        self.rate.setText("" if rate is None or code is Currency.INR else f"{rate.normalize():f}")
        self.rate_date.set_date(rate_date)
        self._validate()

    def value(self) -> MoneyValue:
        code = self._currency()
        amount = self._money.amount if self._money is not None else None
        if code is Currency.INR:
            return MoneyValue(amount, code.value, Decimal(1) if amount is not None else None, None)
        return MoneyValue(amount, code.value, self._rate, self.rate_date.date())

    def inr(self) -> Decimal | None:
        """The amount in rupees, when it can be worked out."""
        value = self.value()
        if value.amount is None or value.rate is None:
            return None
        return to_inr(value.amount, value.rate)

    def problems(self) -> dict[str, str]:
        return dict(self._problems)

    def is_valid(self) -> bool:
        return not self._problems

    def set_amount_text(self, text: str) -> None:
        """As if typed (tests, paste)."""
        self.amount.setText(text)
        self._on_amount_text_edited(text)

    def set_rate_text(self, text: str) -> None:
        self.rate.setText(text)
        self._on_rate_text_edited(text)

    # -- checking ------------------------------------------------------------------------------

    def _currency(self) -> Currency:
        return Currency(self.currency.currentData() or "INR")

    def _validate(self) -> None:
        problems: dict[str, str] = {}
        code = self._currency()
        text = self.amount.text().strip()
        self._money = None
        if text:
            try:
                money = parse_amount(text, code)
            except ValidationError as exc:
                problems["amount"] = next(iter(exc.problems.values()))
            else:
                if money.currency is not code:
                    if self._inr_only:
                        problems["amount"] = self.tr("Enter this amount in rupees.")
                    else:
                        self._set_currency(money.currency)
                        code = money.currency
                if "amount" not in problems:
                    self._money = money
        foreign = code is not Currency.INR
        for widget in (self.rate_label, self.rate, self.rate_date_label, self.rate_date):
            widget.setVisible(foreign and not self._inr_only)
        self._rate = None
        if foreign and self.rate.text().strip():
            try:
                self._rate = parse_rate(self.rate.text())
            except ValidationError as exc:
                problems["rate_to_inr"] = next(iter(exc.problems.values()))
        elif foreign and self._money is not None:
            problems["rate_to_inr"] = self.tr("Give the rate from {0} to ₹.").format(code.value)
        if foreign and self.rate_date.problem():
            problems["rate_date"] = self.rate_date.problem()
        self._problems = problems
        mark_invalid(self.amount, problems.get("amount", ""))
        mark_invalid(self.rate, problems.get("rate_to_inr", "") if self.rate.text() else "")
        self._show_hint()

    def _set_currency(self, currency: Currency) -> None:
        self.currency.blockSignals(True)
        self.currency.setCurrentIndex(max(0, self.currency.findData(currency.value)))
        self.currency.blockSignals(False)

    def _show_hint(self) -> None:
        if self._problems:
            self.hint.show()
            self.hint.setText(next(iter(self._problems.values())))
            self.hint.setStyleSheet("color: #b00020;")
            return
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        if self._money is None:
            self.hint.setText("")
            self.hint.hide()
            return
        self.hint.show()
        rupees = self.inr()
        if rupees is None:
            self.hint.setText(format_money(self._money))
        elif self._money.currency is Currency.INR:
            self.hint.setText(f"{format_inr(rupees, 2)} = {format_crore(rupees)}")
        else:
            self.hint.setText(
                f"{format_money(self._money)} × {self._rate} = "
                f"{format_inr(rupees, 2)} ({format_crore(rupees)})"
            )

    # -- slots ---------------------------------------------------------------------------------

    @Slot(str)
    def _on_amount_text_edited(self, _text: str) -> None:
        self._validate()
        self.money_edited.emit()

    @Slot()
    def _on_amount_editing_finished(self) -> None:
        if self._money is not None:
            shown = format_money(self._money)
            if shown != self.amount.text():
                self.amount.setText(shown)  # show what was understood

    @Slot(int)
    def _on_currency_current_index_changed(self, _index: int) -> None:
        if self._money is not None:
            # The number stays as it was; only the currency named beside it changes.
            self.amount.setText(f"{self._money.amount:f}")
        self._validate()
        self.money_edited.emit()

    @Slot(str)
    def _on_rate_text_edited(self, _text: str) -> None:
        self._validate()
        self.money_edited.emit()

    @Slot()
    def _on_rate_date_date_edited(self) -> None:
        self._validate()
        self.money_edited.emit()
