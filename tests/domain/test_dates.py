"""Dates: shown as DD-MM-YYYY, read without ever guessing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mou_desk.domain.dates import format_date, parse_date
from mou_desk.domain.errors import ValidationError

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
dates_1900_2100 = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def refusal(value: Any, **kwargs: Any) -> str:
    with pytest.raises(ValidationError) as info:
        parse_date(value, **kwargs)
    assert set(info.value.problems) == {kwargs.get("field", "date")}
    return next(iter(info.value.problems.values()))


# --- format_date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2025, 7, 5), "05-07-2025"),
        (date(2025, 12, 31), "31-12-2025"),
        (date(1900, 1, 1), "01-01-1900"),
        (date(999, 3, 4), "04-03-0999"),
        (datetime(2025, 7, 5, 23, 59), "05-07-2025"),
        (None, ""),
    ],
)
def test_format_date(value: date | None, expected: str) -> None:
    assert format_date(value) == expected


# --- parse_date: values that are not text ------------------------------------------------------


def test_parse_date_passes_dates_through() -> None:
    assert parse_date(date(2025, 7, 5)) == date(2025, 7, 5)


def test_parse_date_takes_the_date_of_a_datetime() -> None:
    result = parse_date(datetime(2025, 7, 5, 23, 59, 59))
    assert result == date(2025, 7, 5)
    assert type(result) is date


def test_parse_date_keeps_the_written_date_of_an_aware_datetime() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    assert parse_date(datetime(2025, 7, 5, 1, 0, tzinfo=ist)) == date(2025, 7, 5)
    assert parse_date(datetime(2025, 7, 5, 23, 0, tzinfo=UTC)) == date(2025, 7, 5)


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0", "\t\n"])
def test_parse_date_blank_is_none(value: str | None) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize("value", [45843, 45843.0, b"05-07-2025", ["05-07-2025"]])
def test_parse_date_refuses_other_types(value: Any) -> None:
    with pytest.raises(TypeError):
        parse_date(value)


# --- parse_date: accepted text -----------------------------------------------------------------

JULY_5 = date(2025, 7, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05-07-2025", JULY_5),
        ("5-7-2025", JULY_5),
        ("05-7-2025", JULY_5),
        ("05.07.2025", JULY_5),
        ("5.7.2025", JULY_5),
        (" 05-07-2025 ", JULY_5),
        ("\u00a005-07-2025\u00a0", JULY_5),
        ("05 - 07 - 2025", JULY_5),
        ("03-04-2025", date(2025, 4, 3)),  # dashes are always day first: no ambiguity
        ("31-12-2025", date(2025, 12, 31)),
        ("29-02-2024", date(2024, 2, 29)),
        # ISO
        ("2025-07-05", JULY_5),
        ("2025-7-5", JULY_5),
        ("2025/07/05", JULY_5),
        ("2025.07.05", JULY_5),
        ("2025-07-05T10:30:00", JULY_5),
        ("2025-07-05T10:30", JULY_5),
        ("2025-07-05T23:59:59.123456", JULY_5),
        ("2025-07-05T10:30:00Z", JULY_5),
        ("2025-07-05T10:30:00+05:30", JULY_5),
        ("2025-07-05 00:00:00", JULY_5),
        ("2025-07-05t10:30:00", JULY_5),
        # slashes when they can only be day first
        ("13/04/2025", date(2025, 4, 13)),
        ("31/12/2025", date(2025, 12, 31)),
        ("03/03/2025", date(2025, 3, 3)),
        ("12/12/2025", date(2025, 12, 12)),
        ("25/7/2025", date(2025, 7, 25)),
        # month names
        ("5 July 2025", JULY_5),
        ("05 July 2025", JULY_5),
        ("5 july 2025", JULY_5),
        ("5 JULY 2025", JULY_5),
        ("5 Jul 2025", JULY_5),
        ("05-Jul-2025", JULY_5),
        ("5-jul-2025", JULY_5),
        ("05.Jul.2025", JULY_5),
        ("05 Jul. 2025", JULY_5),
        ("5th July 2025", JULY_5),
        ("5 July, 2025", JULY_5),
        ("05Jul2025", JULY_5),
        ("July 5, 2025", JULY_5),
        ("July 5 2025", JULY_5),
        ("Jul 5, 2025", JULY_5),
        ("July 5th, 2025", JULY_5),
        ("1st Sept 2025", date(2025, 9, 1)),
        ("2nd Sep 2025", date(2025, 9, 2)),
        ("3rd May 2025", date(2025, 5, 3)),
        ("29 Feb 2024", date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_name_and_abbreviation(month: int) -> None:
    name = MONTHS[month - 1]
    assert parse_date(f"15 {name} 2025") == date(2025, month, 15)
    assert parse_date(f"15-{name[:3]}-2025") == date(2025, month, 15)
    assert parse_date(f"{name} 15, 2025") == date(2025, month, 15)


# --- parse_date: refused text ------------------------------------------------------------------


def test_ambiguous_slash_date_has_the_exact_message() -> None:
    assert refusal("03/04/2025") == (
        "'03/04/2025' is ambiguous: write it as DD-MM-YYYY, e.g. 03-04-2025"
    )


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("03/04/2025", "03-04-2025"),
        ("3/4/2025", "03-04-2025"),
        ("12/01/2025", "12-01-2025"),
        ("01/12/2025", "01-12-2025"),
    ],
)
def test_slash_dates_that_could_be_us_style_are_refused(text: str, example: str) -> None:
    message = refusal(text)
    assert "ambiguous" in message
    assert f"e.g. {example}" in message


def test_us_style_slash_date_is_refused_with_a_hint() -> None:
    message = refusal("04/13/2025")
    assert "there is no month 13" in message
    assert "13-04-2025" in message


@pytest.mark.parametrize(
    "text", ["05-07-25", "5.7.25", "05/07/25", "03/04/25", "5 July 25", "05-Jul-25", "July 5, 25"]
)
def test_two_digit_years_are_refused(text: str) -> None:
    message = refusal(text)
    assert "two-digit year" in message
    assert "e.g. 05-07-2025" in message


@pytest.mark.parametrize("text", ["05-07-202", "05-07-20255", "5 July 202"])
def test_years_that_are_not_four_digits_are_refused(text: str) -> None:
    assert "four-digit year" in refusal(text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31-02-2025", "not a real date: February 2025 has 28 days"),
        ("29-02-2023", "February 2023 has 28 days"),
        ("30-02-2024", "February 2024 has 29 days"),
        ("31-04-2025", "April 2025 has 30 days"),
        ("00-01-2025", "January 2025 has 31 days"),
        ("32-01-2025", "January 2025 has 31 days"),
        ("15-13-2025", "there is no month 13"),
        ("15-00-2025", "there is no month 0"),
        ("2025-02-30", "February 2025 has 28 days"),
        ("2025-13-01", "there is no month 13"),
        ("31/02/2025", "February 2025 has 28 days"),
        ("31 Feb 2025", "February 2025 has 28 days"),
        ("February 30, 2025", "February 2025 has 28 days"),
        ("01-01-0000", "there is no year 0"),
    ],
)
def test_dates_not_on_the_calendar_are_refused(text: str, fragment: str) -> None:
    message = refusal(text)
    assert fragment in message
    assert f"'{text}'" in message


@pytest.mark.parametrize("text", ["2025-07-05T25:00", "2025-07-05T10:60", "2025-07-05T10:30:61"])
def test_iso_with_an_invalid_time_is_refused(text: str) -> None:
    assert "invalid time" in refusal(text)


@pytest.mark.parametrize("text", ["5 Jly 2025", "05-Juli-2025", "Sunday 5, 2025"])
def test_unknown_month_names_are_refused(text: str) -> None:
    assert "is not a month name" in refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow",
        "45843",  # an Excel serial number: a date cell should arrive as a date, not as text
        "05072025",
        "2025",
        "July 2025",
        "05-07",
        "05-07/2025",
        "05 07 2025",
        "05-07-2025 10:30",
        "2025-07-05T",
        "5 July 2025 and 6 July 2025",
        "05–07–2025",
        "-05-07-2025",
    ],
)
def test_unreadable_text_names_the_accepted_forms(text: str) -> None:
    message = refusal(text)
    assert "is not a date we can read" in message
    assert "DD-MM-YYYY (e.g. 05-07-2025)" in message
    assert "YYYY-MM-DD" in message
    assert "5 July 2025" in message


def test_refusal_uses_the_field_name_given() -> None:
    assert "ambiguous" in refusal("03/04/2025", field="signed_on")


# --- round trips -------------------------------------------------------------------------------


@settings(max_examples=300)
@given(dates_1900_2100)
def test_format_date_round_trip(d: date) -> None:
    assert parse_date(format_date(d)) == d


@settings(max_examples=200)
@given(dates_1900_2100)
def test_iso_round_trip(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(datetime(d.year, d.month, d.day, 12).isoformat()) == d


@settings(max_examples=200)
@given(dates_1900_2100)
def test_month_name_round_trip(d: date) -> None:
    name = MONTHS[d.month - 1]
    assert parse_date(f"{d.day} {name} {d.year}") == d
    assert parse_date(f"{d.day:02d}-{name[:3]}-{d.year}") == d
    assert parse_date(f"{name} {d.day}, {d.year}") == d


@settings(max_examples=200)
@given(dates_1900_2100)
def test_slash_dates_are_read_only_when_unambiguous(d: date) -> None:
    text = f"{d.day:02d}/{d.month:02d}/{d.year}"
    if d.day > 12 or d.day == d.month:
        assert parse_date(text) == d
    else:
        assert "ambiguous" in refusal(text)
