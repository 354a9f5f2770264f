"""Money as exact decimals: read what clerks and finance type, show it the Indian way.

Floats are refused everywhere with ``TypeError``: 0.1 + 0.2 is not 0.3, and a crore is not
approximate. Parsing never guesses: text that could mean two things is refused with a message
that says what is wrong and shows a form that is accepted.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import NamedTuple

from mou_desk.domain.errors import ValidationError

LAKH = Decimal(10**5)
CRORE = Decimal(10**7)
# Far above any real amount (the UP 2023 summit was about ₹ 3.3e13); stops typos such as a pasted
# phone number from turning into a figure that overflows a report.
MAX_AMOUNT = Decimal(10**18)

_EXAMPLES = "e.g. ₹ 1,23,45,678, Rs 12.5 lakh, ₹ 1,200 crore or $ 3 million"


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

# Lower-case markers (symbols and words) that name a currency; a trailing "." is ignored.
_CURRENCY_MARKERS: dict[str, Currency] = {
    **{c.value.lower(): c for c in Currency},
    "₹": Currency.INR,
    "rs": Currency.INR,
    "rupee": Currency.INR,
    "rupees": Currency.INR,
    "¥": Currency.JPY,
    "yen": Currency.JPY,
    "$": Currency.USD,
    "us$": Currency.USD,
    "€": Currency.EUR,
    "euro": Currency.EUR,
    "euros": Currency.EUR,
    "£": Currency.GBP,
    "cn¥": Currency.CNY,
    "rmb": Currency.CNY,
    "₩": Currency.KRW,
    "s$": Currency.SGD,
}


class _Unit(NamedTuple):
    family: str
    power: int


_UNITS: dict[str, _Unit] = {
    **dict.fromkeys(("thousand", "thousands", "k"), _Unit("thousand", 3)),
    **dict.fromkeys(("lakh", "lakhs", "lac", "lacs"), _Unit("lakh", 5)),
    **dict.fromkeys(("crore", "crores", "cr", "crs"), _Unit("crore", 7)),
    **dict.fromkeys(("million", "millions", "mn", "m"), _Unit("million", 6)),
    **dict.fromkeys(("billion", "billions", "bn", "b"), _Unit("billion", 9)),
}
_UNIT_HELP = "thousand (k), lakh (lac), crore (cr), million (mn, m) or billion (bn, b)"

_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<symbol>us\$|s\$|cn¥|[₹¥$€£₩])"
    r"|(?P<number>[0-9.,]*[0-9][0-9.,]*)"
    r"|(?P<word>[^\W\d_]+\.?)"
    r"|(?P<minus>[-\u2010-\u2015\u2212])"
    r"|(?P<other>.)",
    re.DOTALL,
)
_LETTERS_IN_DIGITS_RE = re.compile(r"[0-9][.,]?[^\W\d_]+\.?[.,]?[0-9]")
_PLAIN_NUMBER_RE = re.compile(r"[0-9.,]*[0-9][0-9.,]*")


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


def _group(whole: str, *, indian: bool) -> str:
    """Commas in a string of digits: 1,23,45,678 (Indian) or 12,345,678 (western)."""
    if len(whole) <= 3:
        return whole
    head, tail = whole[:-3], whole[-3:]
    size = 2 if indian else 3
    groups: list[str] = []
    while head:
        groups.insert(0, head[-size:])
        head = head[:-size]
    return ",".join([*groups, tail])


def _format_number(value: Decimal | int, decimals: int, *, indian: bool) -> str:
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")
    rounded = _round(_as_decimal(value), decimals)
    whole, _, fraction = f"{rounded.copy_abs():f}".partition(".")
    text = _group(whole, indian=indian) + (f".{fraction}" if fraction else "")
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


# ---------------------------------------------------------------------------------------------
# Parsing


class _Token(NamedTuple):
    kind: str  # currency, number, unit, minus, unknown, other
    text: str
    currency: Currency | None = None
    unit: _Unit | None = None


def _normalize(text: str) -> str:
    """NFKC folds no-break and thin spaces to spaces, full-width digits to ASCII, ₨ to Rs."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u200b", "").replace("\ufeff", "").strip()


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text.lower()):
        kind, piece = match.lastgroup or "other", match.group()
        if kind == "space":
            continue
        if kind in ("symbol", "word"):
            key = piece.rstrip(".") if kind == "word" else piece
            if key in _CURRENCY_MARKERS:
                tokens.append(_Token("currency", piece, currency=_CURRENCY_MARKERS[key]))
            elif key in _UNITS:
                tokens.append(_Token("unit", piece, unit=_UNITS[key]))
            else:
                tokens.append(_Token("unknown", piece))
        else:
            tokens.append(_Token(kind, piece))
    return tokens


def _parse_number(number: str, shown: str) -> Decimal:
    """The value of digits with optional grouping commas and one decimal point."""
    if number.count(".") > 1:
        raise ValueError(f"'{shown}' has more than one decimal point; {_EXAMPLES}")
    whole, point, fraction = number.partition(".")
    if "," in fraction:
        raise ValueError(f"'{shown}' has a comma after the decimal point; {_EXAMPLES}")
    if point and not fraction:
        raise ValueError(
            f"'{shown}' ends with a decimal point; write the digits after it or leave it out, "
            "e.g. 12 or 12.50"
        )
    if "," in whole and not _is_grouped(whole):
        raise ValueError(
            f"'{shown}' has misplaced commas: group digits the Indian way, e.g. 1,23,45,678, "
            "or the international way, e.g. 12,345,678, or write no commas at all"
        )
    digits = whole.replace(",", "") or "0"
    if len(digits.lstrip("0")) > 19:
        raise ValueError(f"'{shown}' is too large to be a real amount; check for extra digits")
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def _is_grouped(whole: str) -> bool:
    """Indian (1,23,45,678) or western (12,345,678) grouping, with no leading zero."""
    groups = whole.split(",")
    if not all(g.isdigit() for g in groups) or groups[0].startswith("0"):
        return False
    first, middle, last = groups[0], groups[1:-1], groups[-1]
    if len(last) != 3:
        return False
    indian = 1 <= len(first) <= 2 and all(len(g) == 2 for g in middle)
    western = 1 <= len(first) <= 3 and all(len(g) == 3 for g in middle)
    return indian or western


def _read_amount(text: str, default_currency: Currency) -> Money:
    """Parse normalized ``text``; raises ValueError with the clerk's message."""
    if not text:
        raise ValueError(f"Enter an amount, {_EXAMPLES}")
    tokens = _tokenize(text)
    for token in tokens:
        if token.kind == "other":
            raise ValueError(f"'{text}' has an unexpected character '{token.text}'; {_EXAMPLES}")
    if _LETTERS_IN_DIGITS_RE.search(text.lower()):
        raise ValueError(f"'{text}' has letters among its digits; {_EXAMPLES}")
    kinds = [t.kind for t in tokens]
    if "minus" in kinds and ("number" not in kinds or kinds.index("minus") < kinds.index("number")):
        raise ValueError(
            f"'{text}' is negative; investments cannot be negative, write the amount without "
            f"a minus sign, {_EXAMPLES}"
        )
    numbers = [t for t in tokens if t.kind == "number"]
    if not numbers:
        raise ValueError(f"'{text}' has no number; {_EXAMPLES}")
    if len(numbers) > 1:
        raise ValueError(
            f"'{text}' has more than one number; write a single number, with commas between "
            f"digit groups if you like, {_EXAMPLES}"
        )
    for token in tokens:
        if token.kind == "unknown":
            raise ValueError(
                f"'{token.text}' in '{text}' is not a unit or currency we know; units are "
                f"{_UNIT_HELP}; {_EXAMPLES}"
            )
    currencies = {t.currency for t in tokens if t.currency is not None}
    if len(currencies) > 1:
        names = " and ".join(sorted(c.value for c in currencies))
        raise ValueError(f"'{text}' names more than one currency ({names}); keep one, {_EXAMPLES}")
    shape = "".join({"currency": "c", "number": "n", "unit": "u"}.get(k, "?") for k in kinds)
    if "u" in shape.split("n")[0]:
        raise ValueError(f"'{text}' puts the unit before the number; write e.g. ₹ 5 crore")
    if not re.fullmatch(r"c*nu*c*", shape):
        raise ValueError(f"'{text}' is not an amount we can read; {_EXAMPLES}")
    units = [t.unit for t in tokens if t.unit is not None]
    power = _units_power(units, text)
    amount = _shift(_parse_number(numbers[0].text, text), power)
    currency = next(iter(currencies), default_currency)
    return _checked(amount, currency, text)


def _units_power(units: list[_Unit], text: str) -> int:
    if len(units) == 2 and units[0].family in ("lakh", "thousand") and units[1].family == "crore":
        return units[0].power + units[1].power  # "33 lakh crore", "2 thousand crore"
    if len(units) > 1:
        raise ValueError(
            f"'{text}' has more than one unit; use one ({_UNIT_HELP}), or 'lakh crore' / "
            "'thousand crore'"
        )
    return units[0].power if units else 0


def _checked(amount: Decimal, currency: Currency, shown: str) -> Money:
    if not amount.is_finite():
        raise ValueError(f"'{shown}' is not a number; {_EXAMPLES}")
    if amount < 0:
        raise ValueError(f"'{shown}' is negative; investments cannot be negative, {_EXAMPLES}")
    if amount >= MAX_AMOUNT:
        raise ValueError(f"'{shown}' is too large to be a real amount; check for extra digits")
    places = currency.decimals
    exact = _round(amount, places)
    if exact != amount:
        value = f"{amount:f}"
        value = f" ({value} {currency.value})" if len(value) <= 40 and value != shown else ""
        if places:
            rule = (
                f"{currency.value} amounts have at most {places} decimal places "
                "(paise, cents), e.g. 12.50"
            )
        else:
            rule = f"{currency.value} amounts are whole numbers, e.g. 2,000,000"
        raise ValueError(f"'{shown}'{value} is finer than the smallest coin: {rule}")
    return Money(exact.copy_abs(), currency)  # copy_abs turns a -0 into 0


def parse_amount(
    text: str | int | Decimal,
    default_currency: Currency = Currency.INR,
    *,
    field: str = "amount",
) -> Money:
    """Read an amount as people type it: "₹ 1,200 crore", "Rs. 12.5 lakh", "¥ 2,000,000,000",
    "$ 12.5 million", "1,23,456". The currency is ``default_currency`` unless the text names one.

    Raises ValidationError({field: message}) for text that is malformed, ambiguous, negative or
    finer than the currency's smallest unit; TypeError for a float.
    """
    if isinstance(text, float | bool) or not isinstance(text, str | int | Decimal):
        raise TypeError(
            f"parse_amount takes str, int or Decimal, not {type(text).__name__} "
            "(floats are not exact; use Decimal)"
        )
    try:
        if isinstance(text, str):
            return _read_amount(_normalize(text), default_currency)
        return _checked(Decimal(text), default_currency, str(text))
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc


def parse_rate(text: str | Decimal | int, *, field: str = "rate") -> Decimal:
    """An exchange rate (rupees for one unit of the foreign currency): a positive number."""
    if isinstance(text, float | bool) or not isinstance(text, str | int | Decimal):
        raise TypeError(
            f"parse_rate takes str, int or Decimal, not {type(text).__name__} "
            "(floats are not exact; use Decimal)"
        )
    example = "e.g. 83.25 for the dollar or 0.5612 for the yen"
    shown = _normalize(text) if isinstance(text, str) else str(text)
    try:
        if isinstance(text, str):
            if not shown:
                raise ValueError(f"Enter an exchange rate, {example}")
            if shown[0] in "-\u2212":
                raise ValueError(f"'{shown}' is negative; a rate must be more than zero, {example}")
            if not _PLAIN_NUMBER_RE.fullmatch(shown):
                raise ValueError(f"'{shown}' is not a number; {example}")
            rate = _parse_number(shown, shown)
        else:
            rate = Decimal(text)
        if not rate.is_finite():
            raise ValueError(f"'{shown}' is not a number; {example}")
        if rate <= 0:
            raise ValueError(f"'{shown}' is not more than zero; a rate must be positive, {example}")
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc
    return rate
