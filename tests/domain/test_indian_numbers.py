"""The integer crore figure agrees with money's exact Decimal formatting, to the paisa."""

from __future__ import annotations

import random

import pytest

from mou_desk.domain.indian_numbers import crore_figure, group_digits
from mou_desk.domain.money import crore, format_grouped_indian, paise_to_rupees


def decimal_figure(paise: int) -> str:
    return format_grouped_indian(crore(paise_to_rupees(paise)), 2)


@pytest.mark.parametrize(
    ("paise", "shown"),
    [
        (0, "0.00"),
        (4_999_999, "0.00"),  # just under half a hundredth of a crore
        (5_000_000, "0.01"),  # half rounds up
        (-5_000_000, "-0.01"),  # and away from zero below it
        (-4_999_999, "0.00"),  # what rounds to nothing has no sign
        (10**9, "1.00"),  # one crore
        (123_456_789_012_345, "1,23,456.79"),
        (-(10**18), "-1,00,00,00,000.00"),
    ],
)
def test_crore_figure(paise: int, shown: str) -> None:
    assert crore_figure(paise) == shown
    assert decimal_figure(paise) == shown


def test_crore_figure_matches_decimal_formatting() -> None:
    rng = random.Random(20261123)
    samples = [rng.randrange(-(10**16), 10**16) for _ in range(5000)]
    samples += [n * 5_000_000 + d for n in range(-50, 50) for d in (-1, 0, 1)]  # every tie
    for paise in samples:
        assert crore_figure(paise) == decimal_figure(paise), paise


def test_group_digits() -> None:
    assert group_digits("1") == "1"
    assert group_digits("123") == "123"
    assert group_digits("1234") == "1,234"
    assert group_digits("12345678") == "1,23,45,678"
    assert group_digits("12345678", indian=False) == "12,345,678"
