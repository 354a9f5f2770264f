"""Money: parsing what clerks type, Indian formatting, exact conversion, round trips."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mou_desk.domain.errors import ValidationError
from mou_desk.domain.money import (
    Currency,
    Money,
    crore,
    format_crore,
    format_grouped_indian,
    format_grouped_western,
    format_inr,
    format_inr_short,
    format_lakh,
    format_money,
    paise_to_rupees,
    parse_amount,
    parse_rate,
    rupees_to_paise,
    to_inr,
)

D = Decimal
INR, JPY, USD, EUR = Currency.INR, Currency.JPY, Currency.USD, Currency.EUR


def refusal(text: Any, **kwargs: Any) -> str:
    """The clerk's message for text that parse_amount refuses."""
    with pytest.raises(ValidationError) as info:
        parse_amount(text, **kwargs)
    assert set(info.value.problems) == {kwargs.get("field", "amount")}
    return next(iter(info.value.problems.values()))


# --- Currency and Money ------------------------------------------------------------------------


def test_currency_values_are_iso_codes() -> None:
    assert [c.value for c in Currency] == [
        "INR", "JPY", "USD", "EUR", "GBP", "CNY", "KRW", "SGD", "AED",
    ]  # fmt: skip
    assert Currency("JPY") is Currency.JPY
    assert str(Currency.USD) == "USD"


@pytest.mark.parametrize(
    ("currency", "symbol"),
    [
        (Currency.INR, "₹"),
        (Currency.JPY, "¥"),
        (Currency.USD, "$"),
        (Currency.EUR, "€"),
        (Currency.GBP, "£"),
        (Currency.CNY, "CNY"),
        (Currency.KRW, "KRW"),
        (Currency.SGD, "SGD"),
        (Currency.AED, "AED"),
    ],
)
def test_currency_symbol(currency: Currency, symbol: str) -> None:
    assert currency.symbol == symbol


def test_currency_decimals() -> None:
    assert Currency.JPY.decimals == 0
    assert Currency.KRW.decimals == 0
    assert Currency.INR.decimals == 2
    assert Currency.USD.decimals == 2


def test_money_is_frozen_and_compares_by_value() -> None:
    m = Money(D("5.00"), INR)
    assert m == Money(D("5"), INR)
    assert hash(m) == hash(Money(D("5"), INR))
    assert m != Money(D("5"), USD)
    with pytest.raises(AttributeError):
        m.amount = D(6)  # type: ignore[misc]


@pytest.mark.parametrize("amount", [5.0, 5, "5"])
def test_money_refuses_anything_but_decimal(amount: Any) -> None:
    with pytest.raises(TypeError):
        Money(amount, INR)


def test_money_refuses_a_plain_string_currency() -> None:
    with pytest.raises(TypeError):
        Money(D(5), "INR")  # type: ignore[arg-type]


def test_money_str_is_format_money() -> None:
    assert str(Money(D("1250000"), INR)) == "₹ 12,50,000"


# --- parse_amount: accepted forms --------------------------------------------------------------

ACCEPTED: list[tuple[str, str, Currency]] = [
    # units in Indian words
    ("₹ 1,200 crore", "12000000000", INR),
    ("Rs. 12.5 lakh", "1250000", INR),
    ("Rs 5 cr", "50000000", INR),
    ("INR 3.2 Cr.", "32000000", INR),
    ("5 crores", "50000000", INR),
    ("5 crs", "50000000", INR),
    ("5 Crore", "50000000", INR),
    ("2 lakhs", "200000", INR),
    ("2 lac", "200000", INR),
    ("2 lacs", "200000", INR),
    ("2.75 LAKH", "275000", INR),
    ("₹33 lakh crore", "33000000000000", INR),
    ("2 thousand crore", "20000000000", INR),
    ("₹5cr", "50000000", INR),
    (".5 cr", "5000000", INR),
    ("0.01 crore", "100000", INR),
    ("1.2345678 crore", "12345678", INR),
    # grouping
    ("1,23,456", "123456", INR),
    ("1,234,567", "1234567", INR),
    ("12345678", "12345678", INR),
    ("12,34,56,789.50", "123456789.50", INR),
    ("1,23,45,678", "12345678", INR),
    ("1,234", "1234", INR),
    ("12,345", "12345", INR),
    ("123,456,789", "123456789", INR),
    ("0", "0", INR),
    ("0.5", "0.50", INR),
    ("007", "7", INR),
    # currencies
    ("¥ 2,000,000,000", "2000000000", JPY),
    ("JPY 2,000,000,000", "2000000000", JPY),
    ("¥2,000,000,000", "2000000000", JPY),
    ("2,000,000,000 yen", "2000000000", JPY),
    ("$ 12.5 million", "12500000", USD),
    ("US$ 12.5 million", "12500000", USD),
    ("USD 3 mn", "3000000", USD),
    ("usd 3 Mn.", "3000000", USD),
    ("€ 1.5 m", "1500000", EUR),
    ("EUR 1.5 M", "1500000", EUR),
    ("£ 250,000", "250000", Currency.GBP),
    ("CNY 1,000", "1000", Currency.CNY),
    ("RMB 1,000", "1000", Currency.CNY),
    ("KRW 5 billion", "5000000000", Currency.KRW),
    ("₩ 5 bn", "5000000000", Currency.KRW),
    ("SGD 2.5 million", "2500000", Currency.SGD),
    ("S$ 2.5 million", "2500000", Currency.SGD),
    ("AED 7 million", "7000000", Currency.AED),
    ("5 crore INR", "50000000", INR),
    ("₹ 5 crore INR", "50000000", INR),
    ("12 rupees", "12", INR),
    ("₨ 500", "500", INR),
    ("Rs.12", "12", INR),
    # western units without a currency take the default (INR)
    ("2 billion", "2000000000", INR),
    ("2 bn", "2000000000", INR),
    ("2b", "2000000000", INR),
    ("1.5k", "1500", INR),
    ("1.5 K", "1500", INR),
    ("3 thousand", "3000", INR),
    ("3 million", "3000000", INR),
    # spaces of every kind
    ("  ₹ 1,200 crore  ", "12000000000", INR),
    ("\u00a0₹\u00a01,200\u00a0crore\u00a0", "12000000000", INR),
    ("₹\u202f1,200\u2009crore\t", "12000000000", INR),
    ("\ufeff1,200", "1200", INR),
    ("１，２００", "1200", INR),  # full-width digits typed with a Japanese keyboard
]


@pytest.mark.parametrize(("text", "amount", "currency"), ACCEPTED)
def test_parse_amount_accepts(text: str, amount: str, currency: Currency) -> None:
    assert parse_amount(text) == Money(D(amount), currency)


def test_parse_amount_largest_accepted_amount() -> None:
    largest = "9,99,99,99,99,99,99,99,999.99"
    assert parse_amount(largest).amount == D("999999999999999999.99")


def test_parse_amount_uses_default_currency_only_when_none_is_written() -> None:
    assert parse_amount("2,000,000", Currency.JPY) == Money(D(2000000), JPY)
    assert parse_amount("$ 5", Currency.JPY) == Money(D(5), USD)


def test_parse_amount_result_is_quantized_to_the_currency() -> None:
    inr = parse_amount("Rs. 12.5 lakh").amount
    assert str(inr) == "1250000.00"
    assert str(parse_amount("JPY 2.5 million").amount) == "2500000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, Money(D(0), INR)),
        (123456, Money(D(123456), INR)),
        (D("12.5"), Money(D("12.50"), INR)),
        (D("-0"), Money(D(0), INR)),
    ],
)
def test_parse_amount_accepts_int_and_decimal(value: int | Decimal, expected: Money) -> None:
    result = parse_amount(value)
    assert result == expected
    assert not result.amount.is_signed()


# --- parse_amount: refused forms ---------------------------------------------------------------

REFUSED: list[tuple[str, str]] = [
    ("1,2,3", "misplaced commas"),
    ("12,34", "misplaced commas"),
    ("1,23,4567", "misplaced commas"),
    ("1,000,0000", "misplaced commas"),
    ("1,234,56,789", "misplaced commas"),
    ("123,45,678", "misplaced commas"),
    ("0,123", "misplaced commas"),
    ("1,,234", "misplaced commas"),
    (",123", "misplaced commas"),
    ("1,234,", "misplaced commas"),
    ("5 zillion", "'zillion' in '5 zillion' is not a unit or currency we know"),
    ("5 L", "is not a unit or currency"),
    ("5 dollars", "is not a unit or currency"),
    ("₹ $5", "more than one currency (INR and USD)"),
    ("Rs 5 USD", "more than one currency"),
    ("¥ 5 EUR", "more than one currency"),
    ("", "Enter an amount"),
    ("   ", "Enter an amount"),
    ("\u00a0", "Enter an amount"),
    ("12a5", "letters among its digits"),
    ("1O,000", "letters among its digits"),
    ("1e5", "letters among its digits"),
    ("1.2.3", "more than one decimal point"),
    ("1.234.567,50", "more than one decimal point"),
    ("12.34,5", "comma after the decimal point"),
    ("5.", "ends with a decimal point"),
    ("-5", "negative"),
    ("−5 crore", "negative"),
    ("₹ -5", "negative"),
    ("-₹ 5", "negative"),
    ("12 345", "more than one number"),
    ("5 crore 20 lakh", "more than one number"),
    ("5-10 crore", "more than one number"),
    ("Rs", "has no number"),
    ("crore", "has no number"),
    ("crore 5", "unit before the number"),
    ("5 lakh million", "more than one unit"),
    ("5 crore lakh", "more than one unit"),
    ("5 ₹ crore", "not an amount we can read"),
    ("5 -", "not an amount we can read"),
    ("(5)", "unexpected character '('"),
    ("5%", "unexpected character '%'"),
    ("+5", "unexpected character '+'"),
    ("12.345", "at most 2 decimal places"),
    ("1.2345678912 crore", "at most 2 decimal places"),
    ("JPY 1.5", "JPY amounts are whole numbers"),
    ("¥ 12.5", "JPY amounts are whole numbers"),
    ("KRW 0.5", "KRW amounts are whole numbers"),
    ("1 billion billion", "more than one unit"),
    ("1000000000 billion", "too large"),
    ("1000000000000000000", "too large"),
    ("1" * 25, "too large"),
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED)
def test_parse_amount_refuses(text: str, fragment: str) -> None:
    assert fragment in refusal(text)


@pytest.mark.parametrize(
    "text", ["5 zillion", "1,2,3", "12a5", "", "₹ $5", "1.2.3", "-5", "12 345", "Rs"]
)
def test_refusals_show_an_accepted_example(text: str) -> None:
    message = refusal(text)
    assert "e.g." in message
    assert text.strip() == "" or f"'{text}'" in message


def test_refusal_uses_the_field_name_given() -> None:
    assert "misplaced commas" in refusal("1,2,3", field="proposed_amount")


@pytest.mark.parametrize("value", [-1, D("-0.01"), D("-5")])
def test_parse_amount_refuses_negative_numbers(value: int | Decimal) -> None:
    assert "negative" in refusal(value)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity"), D("sNaN")])
def test_parse_amount_refuses_decimals_that_are_not_numbers(value: Decimal) -> None:
    assert "not a number" in refusal(value)


def test_parse_amount_refuses_decimal_finer_than_paise() -> None:
    assert "at most 2 decimal places" in refusal(D("1.005"))
    assert "whole numbers" in refusal(D("1.5"), default_currency=Currency.JPY)


@pytest.mark.parametrize("value", [5.0, 1e7, float("nan"), True, None, [5], b"5"])
def test_parse_amount_refuses_floats_and_other_types(value: Any) -> None:
    with pytest.raises(TypeError):
        parse_amount(value)


# --- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (5, 0, "5"),
        (999, 0, "999"),
        (1000, 0, "1,000"),
        (99999, 0, "99,999"),
        (100000, 0, "1,00,000"),
        (12345678, 0, "1,23,45,678"),
        (123456789012, 0, "1,23,45,67,89,012"),
        (D("12345678.9"), 2, "1,23,45,678.90"),
        (D("12345678.005"), 2, "1,23,45,678.01"),
        (D("0.5"), 0, "1"),
        (D("2.5"), 0, "3"),
        (D("-2.5"), 0, "-3"),
        (-12345678, 0, "-1,23,45,678"),
        (D("-0.001"), 2, "0.00"),
        (D("1E+3"), 0, "1,000"),
        (
            D("12345678901234567890123456789012"),
            0,
            "1,23,45,67,89,01,23,45,67,89,01,23,45,67,89,012",
        ),
    ],
)
def test_format_grouped_indian(value: Decimal | int, decimals: int, expected: str) -> None:
    assert format_grouped_indian(value, decimals) == expected


def test_format_grouped_western() -> None:
    assert format_grouped_western(D("1234567.5"), 2) == "1,234,567.50"
    assert format_grouped_western(123) == "123"
    assert format_grouped_western(-1234) == "-1,234"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12345678, 0, "₹ 1,23,45,678"),
        (D("12345678.50"), 2, "₹ 1,23,45,678.50"),
        (D("12345678.50"), 0, "₹ 1,23,45,679"),
        (D("-1234.567"), 2, "-₹ 1,234.57"),
        (0, 0, "₹ 0"),
    ],
)
def test_format_inr(value: Decimal | int, decimals: int, expected: str) -> None:
    assert format_inr(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (D("123456789"), 2, "₹ 12.35 crore"),
        (D("123450000"), 2, "₹ 12.35 crore"),  # half-up, not banker's rounding
        (D("12000000000"), 2, "₹ 1,200.00 crore"),
        (D("33000000000000"), 0, "₹ 33,00,000 crore"),
        (D("10000000"), 2, "₹ 1.00 crore"),
        (D("5000"), 2, "₹ 0.00 crore"),
        (D("123456789.12"), 7, "₹ 12.3456789 crore"),
        (D("-123456789"), 2, "-₹ 12.35 crore"),
    ],
)
def test_format_crore(value: Decimal, digits: int, expected: str) -> None:
    assert format_crore(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1250000"), "₹ 12.50 lakh"),
        (D("100000"), "₹ 1.00 lakh"),
        (D("12345678"), "₹ 123.46 lakh"),
    ],
)
def test_format_lakh(value: Decimal, expected: str) -> None:
    assert format_lakh(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("123456789"), "₹ 12.35 crore"),
        (D("10000000"), "₹ 1.00 crore"),
        (D("9999999.99"), "₹ 1.00 crore"),  # not "₹ 100.00 lakh"
        (D("1250000"), "₹ 12.50 lakh"),
        (D("100000"), "₹ 1.00 lakh"),
        (D("99999.60"), "₹ 1.00 lakh"),  # not "₹ 1,00,000"
        (D("99999.40"), "₹ 99,999"),
        (D("5000"), "₹ 5,000"),
        (0, "₹ 0"),
        (D("-123456789"), "-₹ 12.35 crore"),
        (D("-250000"), "-₹ 2.50 lakh"),
    ],
)
def test_format_inr_short(value: Decimal | int, expected: str) -> None:
    assert format_inr_short(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("123456789"), D("12.35")),
        (D("123450000"), D("12.35")),
        (D("12000000000"), D("1200.00")),
        (D("0"), D("0.00")),
        (D("-123450000"), D("-12.35")),
    ],
)
def test_crore(value: Decimal, expected: Decimal) -> None:
    result = crore(value)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("money", "expected"),
    [
        (Money(D("12345678"), INR), "₹ 1,23,45,678"),
        (Money(D("12345678.00"), INR), "₹ 1,23,45,678"),
        (Money(D("12345678.50"), INR), "₹ 1,23,45,678.50"),
        (Money(D("12345678.999"), INR), "₹ 1,23,45,679"),
        (Money(D("2000000000"), JPY), "¥ 2,000,000,000"),
        (Money(D("2000000000.4"), JPY), "¥ 2,000,000,000"),
        (Money(D("12500000"), USD), "$ 12,500,000"),
        (Money(D("12500000.5"), USD), "$ 12,500,000.50"),
        (Money(D("1500000"), EUR), "€ 1,500,000"),
        (Money(D("250000.25"), Currency.GBP), "£ 250,000.25"),
        (Money(D("1000"), Currency.CNY), "CNY 1,000"),
        (Money(D("5000000000"), Currency.KRW), "KRW 5,000,000,000"),
        (Money(D("1000.10"), Currency.SGD), "SGD 1,000.10"),
        (Money(D("7000000"), Currency.AED), "AED 7,000,000"),
    ],
)
def test_format_money(money: Money, expected: str) -> None:
    assert format_money(money) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: format_grouped_indian(1.5),  # type: ignore[arg-type]
        lambda: format_inr(1e7),  # type: ignore[arg-type]
        lambda: format_crore(1e7),  # type: ignore[arg-type]
        lambda: format_lakh(1e5),  # type: ignore[arg-type]
        lambda: format_inr_short(1e5),  # type: ignore[arg-type]
        lambda: crore(1e7),  # type: ignore[arg-type]
        lambda: to_inr(1.5, D(83)),  # type: ignore[arg-type]
        lambda: to_inr(D(1), 83.2),  # type: ignore[arg-type]
        lambda: rupees_to_paise(1.05),  # type: ignore[arg-type]
        lambda: paise_to_rupees(1.0),  # type: ignore[arg-type]
        lambda: paise_to_rupees(D(1)),  # type: ignore[arg-type]
        lambda: format_inr(True),
    ],
)
def test_floats_are_refused_everywhere(call: Any) -> None:
    with pytest.raises(TypeError):
        call()


def test_formatting_refuses_non_finite_and_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_inr(D("NaN"))
    with pytest.raises(ValueError):
        format_inr(D(5), -1)


# --- conversion --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        (D("12500000"), D("83.25"), D("1040625000.00")),
        (D("2000000000"), D("0.5612"), D("1122400000.00")),
        (D("1"), D("0.005"), D("0.01")),  # half-up
        (D("1"), D("0.0049"), D("0.00")),
        (D("12.5"), D("83.256"), D("1040.70")),
        (D("99999999999999999.99"), D("123.4567891234"), D("12345678912339999998.77")),
        (7, 3, D("21.00")),
    ],
)
def test_to_inr(amount: Decimal, rate: Decimal, expected: Decimal) -> None:
    result = to_inr(amount, rate)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("rupees", "paise"),
    [
        (D("1.23"), 123),
        (D("1.005"), 101),
        (D("1.0049"), 100),
        (D("0"), 0),
        (D("12345678901234567.89"), 1234567890123456789),
        (D("-1.005"), -101),
        (5, 500),
    ],
)
def test_rupees_to_paise(rupees: Decimal, paise: int) -> None:
    assert rupees_to_paise(rupees) == paise


def test_paise_to_rupees() -> None:
    assert paise_to_rupees(12345) == D("123.45")
    assert str(paise_to_rupees(100)) == "1.00"
    assert str(paise_to_rupees(0)) == "0.00"
    assert paise_to_rupees(-5) == D("-0.05")
    assert paise_to_rupees(1234567890123456789012345) == D("12345678901234567890123.45")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("83.25", D("83.25")),
        (" 0.5612 ", D("0.5612")),
        ("1,234.5", D("1234.5")),
        ("1", D("1")),
        (D("83.25"), D("83.25")),
        (83, D("83")),
    ],
)
def test_parse_rate_accepts(text: str | Decimal | int, expected: Decimal) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        (0, "more than zero"),
        (D(0), "more than zero"),
        ("-83", "negative"),
        (-83, "more than zero"),
        ("", "Enter an exchange rate"),
        ("abc", "not a number"),
        ("83,25", "misplaced commas"),
        ("8.3.2", "more than one decimal point"),
        ("₹ 83", "not a number"),
        (D("NaN"), "not a number"),
        (D("Infinity"), "not a number"),
    ],
)
def test_parse_rate_refuses(text: str | Decimal | int, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_rate(text)
    assert fragment in info.value.problems["rate"]
    assert "e.g." in info.value.problems["rate"]


def test_parse_rate_refuses_floats() -> None:
    with pytest.raises(TypeError):
        parse_rate(83.25)  # type: ignore[arg-type]


# --- round trips -------------------------------------------------------------------------------

two_places = st.decimals(
    min_value=0, max_value=D("999999999999999.99"), places=2, allow_nan=False, allow_infinity=False
)
whole = st.decimals(min_value=0, max_value=10**15, places=0, allow_nan=False, allow_infinity=False)


@settings(max_examples=300)
@given(two_places)
def test_format_inr_round_trip(value: Decimal) -> None:
    assert parse_amount(format_inr(value, 2)).amount == value


@settings(max_examples=300)
@given(whole)
def test_format_crore_round_trip_whole_rupees(value: Decimal) -> None:
    assert parse_amount(format_crore(value, digits=7)).amount == value


@settings(max_examples=300)
@given(two_places)
def test_format_crore_round_trip_with_paise(value: Decimal) -> None:
    # A paisa is 1e-9 crore: nine digits after the point are needed to keep it.
    assert parse_amount(format_crore(value, digits=9)).amount == value


def test_format_crore_with_seven_digits_drops_paise() -> None:
    assert format_crore(D("0.01"), digits=7) == "₹ 0.0000000 crore"


@settings(max_examples=300)
@given(two_places)
def test_format_lakh_round_trip(value: Decimal) -> None:
    assert parse_amount(format_lakh(value, digits=7)).amount == value


@settings(max_examples=300)
@given(two_places)
def test_western_grouping_round_trip(value: Decimal) -> None:
    assert parse_amount(format_grouped_western(value, 2)).amount == value


@settings(max_examples=300)
@given(st.sampled_from(list(Currency)), two_places, whole)
def test_format_money_round_trip(
    currency: Currency, fractional: Decimal, integral: Decimal
) -> None:
    value = integral if currency.decimals == 0 else fractional
    money = Money(value, currency)
    assert parse_amount(format_money(money)) == money


@settings(max_examples=300)
@given(two_places)
def test_paise_round_trip(value: Decimal) -> None:
    assert paise_to_rupees(rupees_to_paise(value)) == value


@settings(max_examples=200)
@given(two_places)
def test_crore_agrees_with_format_crore(value: Decimal) -> None:
    assert format_crore(value) == "₹ " + format_grouped_indian(crore(value), 2) + " crore"
