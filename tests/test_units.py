"""Exact, unit-aware money: parsing, formatting, rounding, currencies.

Expected values are worked out by hand from the unit definitions (1 元 = 100 分, 1 角 = 10 分,
1 千元 = 10^3 元, 1 万元 = 10^4 元, 1 亿元 = 10^8 元) or come from an independent oracle
(``decimal`` / ``fractions`` arithmetic), never from fiscalkit's own output.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fiscalkit as fk
from fiscalkit import units
from fiscalkit.errors import (
    CurrencyError,
    FiscalkitError,
    InvalidAmountError,
    ParseError,
    UnitError,
)

#: 分 per unit, written out from the definitions rather than read from fiscalkit.
FEN_PER = {
    "分": 1,
    "角": 10,
    "元": 100,
    "千元": 100 * 10**3,
    "万元": 100 * 10**4,
    "亿元": 100 * 10**8,
}
#: decimals that print a unit exactly to the 分
FULL_DECIMALS = {"分": 0, "角": 1, "元": 2, "千元": 5, "万元": 6, "亿元": 10}


def fen(q: pint.Quantity) -> int:
    """Magnitude in 分, checking the quantity really is in 分 with an int magnitude."""
    assert str(q.units) == "fen"
    assert isinstance(q.magnitude, int)
    return q.magnitude


# ---------------------------------------------------------------------------- parsing
def test_same_amount_in_two_units_is_equal() -> None:
    assert fk.parse_amount("78.97万元") == fk.parse_amount("789700元")
    assert fen(fk.parse_amount("78.97万元")) == 78_970_000


def test_decimal_sum_is_exact() -> None:
    # 0.1 + 0.2 != 0.3 in binary floating point; here it must hold exactly
    assert 0.1 + 0.2 != 0.3
    total = fk.parse_amount("0.1万元") + fk.parse_amount("0.2万元")
    assert total == fk.parse_amount("0.3万元")
    assert fen(total) == 300_000


@pytest.mark.parametrize(
    ("text", "expected_fen"),
    [
        ("1.5亿元", 15_000_000_000),  # 1.5 × 10^8 元
        ("400 万元", 400_000_000),  # space between number and unit
        ("７８.９７万元", 78_970_000),  # full-width digits
        ("７８．９７万元", 78_970_000),  # full-width point too
        ("３千元", 300_000),
        ("12.5千元", 1_250_000),
        ("5角", 50),
        ("7分", 7),
        ("0.01元", 1),
        ("1.000001万元", 1_000_001),  # 0.000001 万元 = 0.01 元
        ("1,234.56元", 123_456),  # thousands separators
        ("-12.5万元", -12_500_000),
        ("+3元", 300),
        ("  2元  ", 200),
        ("12 yuan", 1_200),  # ASCII spellings
        ("1.5 wan_yuan", 1_500_000),
        ("1.5wanyuan", 1_500_000),
        ("2 CNY", 200),
        ("2 RMB", 200),
        ("3 qian_yuan", 300_000),
        ("0.25 yi_yuan", 2_500_000_000),
        ("7 fen", 7),
        ("3 jiao", 30),
    ],
)
def test_parse_amount(text: str, expected_fen: int) -> None:
    assert fen(fk.parse_amount(text)) == expected_fen


def test_default_unit() -> None:
    assert fen(fk.parse_amount("12.5", default_unit="万元")) == 12_500_000
    # a printed unit wins over the default
    assert fen(fk.parse_amount("12.5元", default_unit="万元")) == 1_250


@pytest.mark.parametrize(
    ("text", "quantum"),
    [
        ("37万元", 1_000_000),  # last digit is 1 万元
        ("362.9万元", 100_000),  # 0.1 万元
        ("362.94万元", 10_000),  # 0.01 万元 = 100 元
        ("1.50元", 1),
        ("1.5亿元", 1_000_000_000),  # 0.1 亿元 = 10^7 元
    ],
)
def test_parse_figure_quantum(text: str, quantum: int) -> None:
    _, q = units.parse_figure(text)
    assert q == quantum


@pytest.mark.parametrize(
    ("unit", "fen_per"),
    [("分", 1), ("角", 10), ("元", 100), ("yuan", 100), ("CNY", 100), ("千元", 100_000),
     ("万元", 1_000_000), ("wan_yuan", 1_000_000), ("亿元", 10_000_000_000)],
)
def test_fen_per(unit: str, fen_per: int) -> None:
    assert units.fen_per(unit) == fen_per


@pytest.mark.parametrize("text", ["abc", "", "万元", "12..5万元", "1.2.3元", "--5元", "1 2元"])
def test_unreadable_text_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        fk.parse_amount(text, default_unit="元")


@pytest.mark.parametrize("text", ["12 kg", "12 美元", "12 USD", "12 %", "12 万美元"])
def test_unknown_or_foreign_unit_is_a_unit_error(text: str) -> None:
    with pytest.raises(UnitError):
        fk.parse_amount(text)


def test_missing_unit_without_default_is_a_unit_error() -> None:
    with pytest.raises(UnitError, match="no unit"):
        fk.parse_amount("12.5")


@pytest.mark.parametrize("text", ["0.001元", "0.0000001万元", "1.5分", "0.15角", "1.0000001万元"])
def test_finer_than_fen_is_an_invalid_amount(text: str) -> None:
    with pytest.raises(InvalidAmountError, match="分"):
        fk.parse_amount(text)


def test_trailing_zeros_below_the_fen_are_exact() -> None:
    # 1.2300 元 is still exact to the 分
    assert fen(fk.parse_amount("1.2300元")) == 123


def test_errors_name_the_place_and_share_a_base() -> None:
    with pytest.raises(ParseError) as info:
        fk.parse_amount("n/a", where="表3, 第2行")
    assert str(info.value).startswith("表3, 第2行: ")
    assert info.value.where == "表3, 第2行"
    for cls in (ParseError, UnitError, CurrencyError, InvalidAmountError):
        assert issubclass(cls, FiscalkitError)
        assert issubclass(cls, ValueError)


def test_money() -> None:
    assert fk.money("78.97", "万元") == fk.parse_amount("78.97万元")
    assert fen(fk.money(5)) == 500
    assert fen(fk.money(Decimal("0.3"), "万元")) == 300_000
    with pytest.raises(InvalidAmountError, match="float"):
        fk.money(0.1, "元")  # type: ignore[arg-type]
    with pytest.raises(InvalidAmountError):
        fk.money("0.001")
    with pytest.raises(UnitError):
        fk.money("1", "kg")


# ---------------------------------------------------------------------------- formatting
@pytest.mark.parametrize(
    ("text", "unit", "decimals", "expected"),
    [
        ("17.85万元", "万元", 1, "17.9"),  # x.x5 rounds up
        ("17.84万元", "万元", 1, "17.8"),
        ("17.849999万元", "万元", 1, "17.8"),
        ("-17.85万元", "万元", 1, "-17.9"),  # negative half: away from zero
        ("-17.84万元", "万元", 1, "-17.8"),
        ("0.05元", "元", 1, "0.1"),
        ("-0.05元", "元", 1, "-0.1"),
        ("2.5元", "元", 0, "3"),  # Python's round(2.5) would give 2
        ("-2.5元", "元", 0, "-3"),
        ("0.45元", "元", 1, "0.5"),  # 0.45 has no exact binary float; no drift here
        ("1.005万元", "万元", 2, "1.01"),
        ("362.94万元", "万元", 2, "362.94"),
        ("362.94万元", "元", 2, "3629400.00"),
        ("1.5亿元", "万元", 0, "15000"),
        ("5分", "元", 2, "0.05"),
        ("5分", "角", 0, "1"),
        ("-5分", "角", 0, "-1"),
        ("0元", "万元", 2, "0.00"),
    ],
)
def test_format_amount_rounds_half_up(text: str, unit: str, decimals: int, expected: str) -> None:
    assert fk.format_amount(fk.parse_amount(text), unit, decimals=decimals) == expected


def test_format_amount_with_unit_and_int_fen() -> None:
    assert fk.format_amount(fk.parse_amount("78.97万元"), "万元", with_unit=True) == "78.97万元"
    assert fk.format_amount(12_345, "元") == "123.45"  # an int is whole 分
    assert fk.format_amount(np.int64(-12_345), "元") == "-123.45"


def test_round_half_up_examples() -> None:
    got = units.round_half_up([1_250_000, 1_249_999, -1_250_000, -1_249_999, 0, 50, -50], 100)
    assert got.tolist() == [1_250_000, 1_250_000, -1_250_000, -1_250_000, 0, 100, -100]
    assert units.round_half_up([149, 150, -150, -151], 100).tolist() == [100, 200, -200, -200]
    assert units.round_half_up([7], 1).tolist() == [7]
    with pytest.raises(ValueError, match="quantum"):
        units.round_half_up([1], 0)


# ---------------------------------------------------------------------------- currencies
def test_yuan_and_dollars_are_different_dimensions() -> None:
    with pytest.raises(pint.DimensionalityError):
        fk.Quantity(1, "元").to("USD")
    with pytest.raises(pint.DimensionalityError):
        fk.Quantity(1, "USD").to("fen")


def test_exchange_with_an_explicit_rate() -> None:
    dollars = units.exchange(fk.parse_amount("100元"), fk.Quantity(0.14, "USD/CNY"))
    assert dollars.check("[currency_usd]")
    assert dollars.to("USD").magnitude == pytest.approx(14.0)
    yuan = units.exchange(fk.Quantity(10, "USD"), fk.Quantity(7, "CNY/USD"))
    assert yuan.check("[currency_cny]")
    assert yuan.to("元").magnitude == pytest.approx(70.0)


@pytest.mark.parametrize("rate", [0.14, "0.14"])
def test_exchange_refuses_a_rate_without_currencies(rate: object) -> None:
    with pytest.raises(CurrencyError):
        units.exchange(fk.parse_amount("100元"), rate)  # type: ignore[arg-type]


def test_exchange_refuses_a_rate_that_stays_in_the_same_currency() -> None:
    with pytest.raises(CurrencyError):
        units.exchange(fk.parse_amount("100元"), fk.Quantity(2, "CNY/CNY"))
    with pytest.raises(CurrencyError):
        units.exchange(fk.parse_amount("100元"), fk.Quantity(2, "USD/USD"))
    with pytest.raises(CurrencyError):
        units.exchange(fk.parse_amount("100元"), fk.Quantity(2, "USD"))  # USD·CNY


def test_to_fen() -> None:
    assert units.to_fen(fk.Quantity(3, "角")) == 30
    assert units.to_fen(fk.Quantity(7, "jiao")) == 70  # 0.1 yuan / 0.01 yuan in floats is 10.0…02
    assert units.to_fen(fk.Quantity(2, "亿元")) == 20_000_000_000
    arr = units.to_fen(fk.Quantity(np.array([1, -2], dtype=np.int64), "万元"))
    assert arr.dtype == np.int64
    assert arr.tolist() == [1_000_000, -2_000_000]


def test_to_fen_refuses_dollars_other_dimensions_and_floats() -> None:
    with pytest.raises(CurrencyError):
        units.to_fen(fk.Quantity(1, "USD"))
    with pytest.raises(UnitError) as info:
        units.to_fen(fk.Quantity(5, "percent"))
    assert not isinstance(info.value, CurrencyError)
    with pytest.raises(InvalidAmountError):
        units.to_fen(fk.Quantity(0.5, "元"))
    with pytest.raises(InvalidAmountError):
        units.to_fen(fk.Quantity(np.array([0.5]), "元"))
    with pytest.raises(CurrencyError):
        fk.format_amount(fk.Quantity(1, "USD"))


# ---------------------------------------------------------------------------- properties
any_fen = st.integers(min_value=-(10**15), max_value=10**15)
any_unit = st.sampled_from(sorted(FEN_PER))


@settings(max_examples=300)
@given(amount=any_fen, unit=any_unit)
def test_round_trip_at_full_precision(amount: int, unit: str) -> None:
    q = fk.Quantity(amount, "fen")
    text = fk.format_amount(q, unit, decimals=FULL_DECIMALS[unit])
    assert fk.parse_amount(text, default_unit=unit) == q
    assert fk.parse_amount(text + unit) == q
    # exactness oracle: the printed decimal equals amount / (分 per unit)
    assert Fraction(Decimal(text)) == Fraction(amount, FEN_PER[unit])


@settings(max_examples=300)
@given(amount=any_fen, unit=any_unit, data=st.data())
def test_coarser_format_is_within_half_a_quantum(amount: int, unit: str,
                                                 data: st.DataObject) -> None:
    decimals = data.draw(st.integers(min_value=0, max_value=FULL_DECIMALS[unit]))
    text = fk.format_amount(amount, unit, decimals=decimals)
    parsed, quantum = units.parse_figure(text + unit)
    assert quantum == FEN_PER[unit] // 10**decimals
    back = fen(parsed)
    assert back % quantum == 0
    assert 2 * abs(back - amount) <= quantum
    # and it is the half-up neighbour: exactly half a quantum goes away from zero
    if 2 * abs(back - amount) == quantum:
        assert abs(back) > abs(amount)


@settings(max_examples=300)
@given(amount=any_fen, unit=any_unit, decimals=st.integers(min_value=0, max_value=8))
def test_format_amount_matches_a_fraction_oracle(amount: int, unit: str, decimals: int) -> None:
    exact = Fraction(amount, FEN_PER[unit]) * 10**decimals
    magnitude = (abs(exact) + Fraction(1, 2)).__floor__()  # half-up on the magnitude
    scaled = magnitude if exact >= 0 else -magnitude
    expected = Decimal(scaled).scaleb(-decimals)
    assert Decimal(fk.format_amount(amount, unit, decimals=decimals)) == expected


@settings(max_examples=300)
@given(amounts=st.lists(any_fen, max_size=20), quantum=st.integers(min_value=1, max_value=10**12))
def test_round_half_up_matches_decimal(amounts: list[int], quantum: int) -> None:
    expected = [
        int((Decimal(a) / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * quantum
        for a in amounts
    ]
    assert units.round_half_up(np.array(amounts, dtype=np.int64), quantum).tolist() == expected


@settings(max_examples=100)
@given(a=any_fen, b=any_fen, unit=any_unit)
def test_sums_of_parsed_amounts_are_exact(a: int, b: int, unit: str) -> None:
    ta = fk.format_amount(a, unit, decimals=FULL_DECIMALS[unit], with_unit=True)
    tb = fk.format_amount(b, unit, decimals=FULL_DECIMALS[unit], with_unit=True)
    assert fen(fk.parse_amount(ta) + fk.parse_amount(tb)) == a + b
