"""Money as exact decimals: the currencies, the Money type, Indian formatting and conversion.

Floats are refused everywhere with ``TypeError``: 0.1 + 0.2 is not 0.3, and a crore is not
approximate. Reading what clerks type lives in ``money_parsing`` (``parse_amount``,
``parse_rate``); both are also importable from here, as they always were.

Why the re-export is lazy: ``money_parsing`` needs ``Currency``, ``Money`` and the exact
rounding helpers at import time, so it imports this module. Importing it back at the bottom of
this module would fail whenever ``money_parsing`` is the first of the two to be imported (it
would still be half-initialised when this module asks it for ``parse_amount``). So the
dependency runs one way, ``money_parsing -> money``, and the two names are fetched on first use
through a module ``__getattr__`` (PEP 562); type checkers see an ordinary import.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING

from mou_desk.domain.indian_numbers import group_digits

if TYPE_CHECKING:
    from mou_desk.domain.money_parsing import parse_amount as parse_amount
    from mou_desk.domain.money_parsing import parse_rate as parse_rate

LAKH = Decimal(10**5)
CRORE = Decimal(10**7)
# Far above any real amount (the UP 2023 summit was about ₹ 3.3e13); stops typos such as a pasted
# phone number from turning into a figure that overflows a report.
MAX_AMOUNT = Decimal(10**18)


class Currency(enum.StrEnum):
    """Currencies MoUs are signed in; the value is the ISO 4217 code."""

    INR = "INR"
    JPY = "JPY"
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"
    CNY = "CNY"
    KRW = "KRW"
    SGD = "SGD"
    AED = "AED"

    @property
    def symbol(self) -> str:
        """The sign shown before an amount: ₹, ¥, $, €, £, else the ISO code."""
        return _SYMBOLS.get(self, self.value)

    @property
    def decimals(self) -> int:
        """Digits after the point: 2 (paise, cents), 0 for yen and won (no minor unit)."""
        return 0 if self in (Currency.JPY, Currency.KRW) else 2


_SYMBOLS: dict[Currency, str] = {
    Currency.INR: "₹",
    Currency.JPY: "¥",
    Currency.USD: "$",
    Currency.EUR: "€",
    Currency.GBP: "£",
}


@dataclass(frozen=True)
class Money:
    """An exact amount in one currency."""

    amount: Decimal
    currency: Currency

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money.amount must be a Decimal, not {type(self.amount).__name__}")
        if not isinstance(self.currency, Currency):
            raise TypeError(
                f"Money.currency must be a Currency, not {type(self.currency).__name__}"
            )

    def __str__(self) -> str:
        return format_money(self)


# ---------------------------------------------------------------------------------------------
# Exact arithmetic helpers


def _as_decimal(value: Decimal | int, what: str = "value") -> Decimal:
    """A finite Decimal from a Decimal or an int; floats and bools are programming errors."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(
            f"{what} must be a Decimal or an int, not {type(value).__name__} "
            "(floats are not exact; use Decimal)"
        )
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, not {result}")
    return result


def _round(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, exactly whatever its size."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 3)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _shift(value: Decimal, places: int) -> Decimal:
    """``value`` times 10**places, exactly (``scaleb`` would round to the context precision)."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # pragma: no cover - callers pass finite values
        raise ValueError(f"{value} is not a finite number")
    return Decimal((sign, digits, exponent + places))


def _format_number(value: Decimal | int, decimals: int, *, indian: bool) -> str:
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")
    rounded = _round(_as_decimal(value), decimals)
    whole, _, fraction = f"{rounded.copy_abs():f}".partition(".")
    text = group_digits(whole, indian=indian) + (f".{fraction}" if fraction else "")
    return f"-{text}" if rounded < 0 else text  # a rounded -0.001 shows as 0, not -0


def _with_symbol(symbol: str, number: str) -> str:
    if number.startswith("-"):
        return f"-{symbol} {number[1:]}"
    return f"{symbol} {number}"


# ---------------------------------------------------------------------------------------------
# Formatting


def format_grouped_indian(value: Decimal | int, decimals: int = 0) -> str:
    """``1,23,45,678``: rounded half-up to ``decimals``, negative with a leading "-"."""
    return _format_number(value, decimals, indian=True)


def format_grouped_western(value: Decimal | int, decimals: int = 0) -> str:
    """``12,345,678``: the grouping used for foreign currencies."""
    return _format_number(value, decimals, indian=False)


def format_inr(value: Decimal | int, decimals: int = 0) -> str:
    """``₹ 1,23,45,678`` (rounded half-up to ``decimals``)."""
    return _with_symbol("₹", format_grouped_indian(value, decimals))


def crore(value: Decimal | int) -> Decimal:
    """Rupees in crore, rounded half-up to 0.01, for tables and totals."""
    return _round(_shift(_as_decimal(value), -7), 2)


def format_crore(value: Decimal | int, digits: int = 2) -> str:
    """``₹ 12.35 crore``."""
    shifted = _shift(_as_decimal(value), -7)
    return _with_symbol("₹", format_grouped_indian(shifted, digits)) + " crore"


def format_lakh(value: Decimal | int, digits: int = 2) -> str:
    """``₹ 12.50 lakh``."""
    shifted = _shift(_as_decimal(value), -5)
    return _with_symbol("₹", format_grouped_indian(shifted, digits)) + " lakh"


def format_inr_short(value: Decimal | int, digits: int = 2) -> str:
    """Crore from 1 crore, lakh from 1 lakh, else whole rupees: what a busy reader wants.

    The unit is chosen on the rounded figure, so ₹ 99,99,999.99 reads "₹ 1.00 crore" rather
    than "₹ 100.00 lakh".
    """
    amount = _as_decimal(value)
    if abs(_round(_shift(amount, -5), digits)) >= 100:
        return format_crore(amount, digits)
    if abs(_round(amount, 0)) >= LAKH:
        return format_lakh(amount, digits)
    return format_inr(amount)


def format_money(money: Money) -> str:
    """``₹ 1,23,45,678.50`` for rupees (paise only when there are some); foreign amounts use
    western grouping and their symbol: ``¥ 2,000,000,000``, ``$ 12,500,000.50``, ``SGD 1,000``.
    """
    currency = money.currency
    decimals = currency.decimals
    if decimals and _round(money.amount, decimals) == _round(money.amount, 0):
        decimals = 0
    if currency is Currency.INR:
        return format_inr(money.amount, decimals)
    return _with_symbol(currency.symbol, format_grouped_western(money.amount, decimals))


# ---------------------------------------------------------------------------------------------
# Conversion


def to_inr(amount: Decimal | int, rate: Decimal | int) -> Decimal:
    """``amount`` × ``rate`` in rupees, rounded half-up to the paisa."""
    a, r = _as_decimal(amount, "amount"), _as_decimal(rate, "rate")
    with localcontext() as ctx:
        # Enough digits for the product to be exact before the single rounding to paise.
        ctx.prec = max(28, len(a.as_tuple().digits) + len(r.as_tuple().digits) + 2)
        product = a * r
    return _round(product, 2)


def rupees_to_paise(value: Decimal | int) -> int:
    """Whole paise in ``value`` rupees, rounded half-up."""
    return int(_shift(_round(_as_decimal(value), 2), 2))


def paise_to_rupees(paise: int) -> Decimal:
    """Rupees for ``paise``, exact, with two decimal places."""
    if isinstance(paise, bool) or not isinstance(paise, int):
        raise TypeError(f"paise must be an int, not {type(paise).__name__}")
    return _shift(Decimal(paise), -2)


_PARSING_NAMES = frozenset({"parse_amount", "parse_rate"})


def __getattr__(name: str) -> object:
    """``parse_amount`` and ``parse_rate``, imported from ``money_parsing`` on first use."""
    if name in _PARSING_NAMES:
        from mou_desk.domain import money_parsing

        value = getattr(money_parsing, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
