"""Reading amounts and exchange rates as clerks and finance type them, without guessing.

Text that could mean two things is refused with a message that says what is wrong and shows a
form that is accepted. This module imports ``Currency``, ``Money`` and the exact rounding
helpers from ``money``, never the other way round at import time: ``money`` re-exports
``parse_amount`` and ``parse_rate`` lazily, so either module can be imported first.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import NamedTuple

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.money import MAX_AMOUNT, Currency, Money, _round, _shift

_EXAMPLES = "e.g. ₹ 1,23,45,678, Rs 12.5 lakh, ₹ 1,200 crore or $ 3 million"

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
