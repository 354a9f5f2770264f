"""One cell read as the value of its kind of column, the way finance types it.

Each converter returns the value or raises :class:`CellError` with a sentence saying what is
wrong and what to type instead. Names (partners, officers, MoU references) are looked up in a
:class:`NameIndex`: the exact text first, then any case and spacing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mou_desk.domain.dates import format_date, parse_date
from mou_desk.domain.errors import ValidationError
from mou_desk.domain.money import Currency, parse_amount, parse_rate
from mou_desk.exchange.header_detection import normalise_header

CURRENCY_ALIASES = {
    "₹": "INR",
    "rs": "INR",
    "rupee": "INR",
    "rupees": "INR",
    "¥": "JPY",
    "yen": "JPY",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
}
NAME_SPLIT = re.compile(r"[;\n]+")
_INTEGER_TEXT = re.compile(r"[0-9][0-9,\s]*")


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def name_key(text: str) -> str:
    return normalise_header(text)


class NameIndex:
    """Names -> ids: the exact text first (what an export wrote), then any case and spacing.

    ``loader`` fills the index the first time it is used: an import whose rows all come back
    unchanged never needs the 100,000 MoU references.
    """

    def __init__(self, loader: Callable[[], Iterable[tuple[str, str]]] | None = None) -> None:
        self.exact: dict[str, list[str]] = {}
        self._loose: dict[str, list[str]] | None = None
        self._loader = loader
        # (text, id) pairs already in ``exact``: thousands of partners may share a name in
        # their own script, and a list scan per name would make filling the index quadratic
        self._pairs: set[tuple[str, str]] = set()

    def _load(self) -> None:
        loader, self._loader = self._loader, None
        if loader is not None:
            for text, record_id in loader():
                self.add(text, record_id)

    def add(self, text: str, record_id: str) -> None:
        if self._loader is not None:
            self._load()
        if (text, record_id) in self._pairs:
            return
        self._pairs.add((text, record_id))
        self.exact.setdefault(text, []).append(record_id)
        if self._loose is not None:
            loose = self._loose.setdefault(name_key(text), [])
            if record_id not in loose:
                loose.append(record_id)

    def find(self, text: str) -> list[str]:
        if self._loader is not None:
            self._load()
        found = self.exact.get(text)
        if found:
            return found
        if self._loose is None:
            loose: dict[str, dict[str, None]] = {}
            for name, ids in self.exact.items():
                loose.setdefault(name_key(name), {}).update(dict.fromkeys(ids))
            self._loose = {key: list(ids) for key, ids in loose.items()}
        return self._loose.get(name_key(text), [])

    def __contains__(self, text: str) -> bool:
        return bool(self.find(text))


@dataclass
class Lookups:
    """What names in a workbook refer to: filled by the caller from the database."""

    partners: NameIndex = field(default_factory=NameIndex)  # name or own-script name -> ids
    officers: NameIndex = field(default_factory=NameIndex)
    mous: NameIndex = field(default_factory=NameIndex)  # reference -> id
    #: partners in the Trash: a name that only they carry is kept if the record has it now
    deleted_partners: NameIndex = field(default_factory=NameIndex)
    #: closed lists: list name -> {stored value: label}
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: open lists (sectors...): list name -> values in use, to keep their spelling
    open_values: Mapping[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Amount:
    """An amount read from text that named its currency ("¥ 2,000,000")."""

    amount: Decimal
    currency: str


def as_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"'{value}' is not a number.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValidationError as exc:
            raise CellError(next(iter(exc.problems.values()))) from exc
    hint = ""
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        # An Excel date whose cell lost its date format reads as a plain number: say which date
        # it would be, but never take it as one.
        serial = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        hint = f" (if it is {format_date(serial)}, give the cell a date format)"
    raise CellError(
        f"'{as_text(value)}' is a number, not a date{hint}; type the date as DD-MM-YYYY, "
        "e.g. 05-07-2025."
    )


def as_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        return int(re.sub(r"[,\s]", "", value))
    raise CellError(f"'{as_text(value)}' is not a whole number.")


def as_amount(value: Any) -> Decimal | Amount | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            money = parse_amount(value, Currency.INR)
            other = parse_amount(value, Currency.USD)
        except ValidationError as exc:
            raise CellError(next(iter(exc.problems.values()))) from exc
        if money.currency == other.currency:  # the text named its currency
            return Amount(money.amount, money.currency.value)
        return money.amount
    try:
        number = as_decimal(value)
    except TypeError:
        raise CellError(f"'{as_text(value)}' is not an amount.") from None
    if number < 0:
        raise CellError(f"'{as_text(value)}' is negative; an amount cannot be.")
    return number


def as_rupees(value: Any) -> Decimal | None:
    result = as_amount(value)
    if isinstance(result, Amount):
        if result.currency != "INR":
            raise CellError(f"'{value}' is in {result.currency}; this column is in rupees.")
        return result.amount
    return result


def as_rate(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return parse_rate(value)
        number = as_decimal(value)
        return parse_rate(number)
    except ValidationError as exc:
        raise CellError(next(iter(exc.problems.values()))) from exc
    except TypeError:
        raise CellError(f"'{as_text(value)}' is not a rate.") from None
