"""Dates are shown as DD-MM-YYYY and read without guessing.

"03/04/2025" is 3 April in Lucknow and 4 March in a US-made spreadsheet, and "05-07-25" could be
1925 or 2025: such text is refused with a message that shows the form to use instead.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import cache

from mou_desk.domain.errors import ValidationError

ACCEPTED_FORMS = (
    "DD-MM-YYYY (e.g. 05-07-2025), DD.MM.YYYY, YYYY-MM-DD, 5 July 2025, 05-Jul-2025 or July 5, 2025"
)

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}

# The readers' patterns, compiled on first use (_pattern): the desktop shows dates in its first
# frame but reads none, and compiling these costs about 1 ms.
_YEAR_FIRST = (
    r"(?i)(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?))?"
)
_TIME = r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?.*"
_DAY_FIRST = (
    r"(?P<day>[0-9]{1,2})\s*(?P<sep>[-/.])\s*(?P<month>[0-9]{1,2})\s*(?P=sep)\s*(?P<year>[0-9]+)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_SEPARATORS = r"[\s\-./,]"
_DAY_MONTH_NAME = (
    rf"(?i)(?P<day>[0-9]{{1,2}}){_ORDINAL}{_SEPARATORS}*(?P<name>[^\W\d_]+)\.?"
    rf"{_SEPARATORS}*(?P<year>[0-9]+)"
)
_MONTH_NAME_DAY = (
    rf"(?i)(?P<name>[^\W\d_]+)\.?{_SEPARATORS}*(?P<day>[0-9]{{1,2}}){_ORDINAL}"
    rf"{_SEPARATORS}+(?P<year>[0-9]+)"
)


@cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def format_date(d: date | None) -> str:
    """``05-07-2025``; an empty string for no date."""
    if d is None:
        return ""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def parse_date(value: str | date | datetime | None, *, field: str = "date") -> date | None:
    """A date from a date, a datetime (its date) or text; None for None or blank text.

    Text may be DD-MM-YYYY, DD.MM.YYYY, D-M-YYYY, YYYY-MM-DD (with an optional ISO time), a
    month name ("5 July 2025", "05-Jul-2025", "July 5, 2025"), or DD/MM/YYYY when it cannot be
    read the US way too. Anything else raises ValidationError({field: message}).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"parse_date takes str, date or None, not {type(value).__name__}")
    text = unicodedata.normalize("NFKC", value).replace("\u200b", "").replace("\ufeff", "").strip()
    if not text:
        return None
    try:
        for reader in (_read_year_first, _read_day_first, _read_month_name):
            result = reader(text)
            if result is not None:
                return result
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc
    raise ValidationError({field: f"'{text}' is not a date we can read; write {ACCEPTED_FORMS}"})


def _make_date(text: str, year_digits: str, month: int, day: int) -> date:
    """The date, or ValueError saying why the text does not name a real one."""
    if len(year_digits) == 2:
        raise ValueError(
            f"'{text}' has a two-digit year, which could be 19{year_digits} or 20{year_digits}; "
            "write the year in full, e.g. 05-07-2025"
        )
    if len(year_digits) != 4:
        raise ValueError(f"'{text}' does not have a four-digit year; write e.g. 05-07-2025")
    year = int(year_digits)
    if year == 0:
        raise ValueError(f"'{text}' is not a real date: there is no year 0")
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a real date: there is no month {month}")
    import calendar  # here: the desktop formats dates before its first frame, never parses

    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {days} days"
        )
    return date(year, month, day)


def _read_year_first(text: str) -> date | None:
    match = _pattern(_YEAR_FIRST).fullmatch(text)
    if match is None:
        return None
    result = _make_date(text, match["year"], int(match["month"]), int(match["day"]))
    if match["time"]:
        time = _pattern(_TIME).fullmatch(match["time"])
        if (
            time is None
            or int(time["hour"]) > 23
            or int(time["minute"]) > 59
            or (time["second"] is not None and int(time["second"]) > 59)
        ):
            raise ValueError(f"'{text}' has an invalid time; write the date alone, e.g. 2025-07-05")
    return result


def _read_day_first(text: str) -> date | None:
    match = _pattern(_DAY_FIRST).fullmatch(text)
    if match is None:
        return None
    day, month, year = int(match["day"]), int(match["month"]), match["year"]
    if match["sep"] == "/" and len(year) == 4:
        if month > 12 and day <= 12:
            import calendar

            raise ValueError(
                f"'{text}' is not a DD/MM/YYYY date: there is no month {month}. Write "
                f"DD-MM-YYYY, e.g. {month:02d}-{day:02d}-{year} if you mean "
                f"{month} {calendar.month_name[day]} {year}"
            )
        if day <= 12 and day != month:
            raise ValueError(
                f"'{text}' is ambiguous: write it as DD-MM-YYYY, e.g. {day:02d}-{month:02d}-{year}"
            )
    return _make_date(text, year, month, day)


def _read_month_name(text: str) -> date | None:
    match = _pattern(_DAY_MONTH_NAME).fullmatch(text) or _pattern(_MONTH_NAME_DAY).fullmatch(text)
    if match is None:
        return None
    name = match["name"]
    month = _MONTHS.get(name.lower())
    if month is None:
        raise ValueError(
            f"'{text}': '{name}' is not a month name; write e.g. 5 July 2025 or 05-07-2025"
        )
    return _make_date(text, match["year"], month, int(match["day"]))
