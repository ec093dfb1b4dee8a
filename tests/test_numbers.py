from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpiledger.numbers import NumberError, fmt, parse_percent, plain, round_half_up, to_decimal


def test_to_decimal_keeps_float_as_written():
    assert to_decimal(1.1) == Decimal("1.1")
    assert to_decimal(3) == Decimal(3)
    assert to_decimal("2.50") == Decimal("2.50")


@pytest.mark.parametrize("bad", [True, None, "abc", float("inf"), float("nan"), [1]])
def test_to_decimal_refuses(bad):
    with pytest.raises(NumberError):
        to_decimal(bad)


def test_parse_percent():
    assert parse_percent("92.5%") == Decimal("0.925")
    assert parse_percent("100%") == Decimal(1)
    assert parse_percent("75 ％") == Decimal("0.75")
    with pytest.raises(NumberError):
        parse_percent("92")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [("2.675", 2, "2.68"), ("0.125", 2, "0.13"), ("2.665", 2, "2.67"), ("0.5", 0, "1"),
     ("-2.5", 0, "-3"), ("87.5", 2, "87.50"), ("-0.001", 2, "0.00")],
)
def test_round_half_up_never_bankers(value, places, expected):
    assert fmt(Decimal(value), places) == expected


def test_plain():
    assert plain(Decimal("35")) == "35"
    assert plain(Decimal("7.50")) == "7.5"
    assert plain(Decimal("1E+2")) == "100"


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3))
def test_round_half_up_within_half_unit(d):
    r = round_half_up(d, 2)
    assert abs(r - d) <= Decimal("0.005")


def test_equal_numbers_share_one_text_whatever_their_scale_or_sign() -> None:
    """fmt and plain are cached by value: 1.0 and 1.00 (equal, and equal hashes) must give
    the text each would get alone, and a cached zero never turns into "-0.00"."""
    assert fmt(Decimal("1.0")) == fmt(Decimal("1.00")) == "1.00"
    assert fmt(Decimal("-0.001")) == fmt(Decimal("0")) == fmt(Decimal("-0")) == "0.00"
    assert fmt(Decimal("0.125"), 2) == "0.13" and fmt(Decimal("0.125"), 1) == "0.1"
    assert fmt(Decimal("2.675")) is fmt(Decimal("2.6750"))  # one text kept, not two
    assert plain(Decimal("7.50")) == plain(Decimal("7.5")) == "7.5"
    assert plain(Decimal("35.0")) == plain(Decimal("35")) == "35"
    # plain writes a zero's sign as given: equal numbers, two texts, in either order
    assert (plain(Decimal("0")), plain(Decimal("-0"))) == ("0", "-0")
    assert (plain(Decimal("-0.0")), plain(Decimal("0.0"))) == ("-0", "0")
    assert fmt(Decimal("NaN")) == "NaN"
