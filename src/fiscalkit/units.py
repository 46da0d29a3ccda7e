"""Exact, unit-aware money.

Budget tables are published to the 分 (0.01 元) and their sums must reconcile exactly, so an
amount is stored as an **integer number of 分** (int64 in ledger columns). pint supplies the
units and their dimensions: one registry, a ``[currency_cny]`` dimension with 元 as the
reference unit and 分, 角, 千元, 万元, 亿元 beside it, and a separate ``[currency_usd]``
dimension so that converting yuan to dollars without a rate is a ``DimensionalityError``
rather than a silent 1:1.

A parsed amount is a :class:`pint.Quantity` whose magnitude is a Python ``int`` of 分. Two
such quantities compare and add exactly (``0.1万元 + 0.2万元 == 0.3万元``). Conversions to
other units for display go through :func:`format_amount`, which rounds half-up (四舍五入,
half away from zero) with integer arithmetic, as Chinese statistical tables do.

>>> import fiscalkit as fk
>>> fk.parse_amount("78.97万元") == fk.parse_amount("789700元")
True
>>> fk.format_amount(fk.parse_amount("362.94万元"), "万元", decimals=1)
'362.9'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final, cast

import numpy as np
import numpy.typing as npt
import pint

from fiscalkit.errors import CurrencyError, InvalidAmountError, ParseError, UnitError

__all__ = [
    "FEN",
    "UNITS",
    "CurrencyUnit",
    "Quantity",
    "exchange",
    "fen_per",
    "format_amount",
    "money",
    "parse_amount",
    "parse_figure",
    "round_half_up",
    "to_fen",
    "ureg",
]


@dataclass(frozen=True)
class CurrencyUnit:
    """One Chinese currency unit: how many 分 it holds and how it may be spelled.

    >>> UNITS[4]
    CurrencyUnit(name='wan_yuan', fen=1000000, spellings=('万元', 'wanyuan', '10k_yuan'))
    """

    name: str
    fen: int
    spellings: tuple[str, ...]


#: The currency units, the single source for both the pint definitions and the parser.
UNITS: Final[tuple[CurrencyUnit, ...]] = (
    CurrencyUnit("fen", 1, ("分",)),
    CurrencyUnit("jiao", 10, ("角",)),
    CurrencyUnit("yuan", 100, ("元", "CNY", "RMB", "人民币", "人民币元")),
    CurrencyUnit("thousand_yuan", 100_000, ("千元", "qian_yuan", "kCNY")),
    CurrencyUnit("wan_yuan", 1_000_000, ("万元", "wanyuan", "10k_yuan")),
    CurrencyUnit("yi_yuan", 10_000_000_000, ("亿元", "yiyuan", "100m_yuan")),
)

#: The pint name of the unit amounts are stored in (分).
FEN: Final = "fen"

#: The unit registry: 分/角/元/千元/万元/亿元 in ``[currency_cny]``, USD in ``[currency_usd]``.
ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(filename=None)
ureg.define("yuan = [currency_cny] = 元 = CNY = RMB = 人民币 = 人民币元")
for _u in UNITS:
    if _u.name != "yuan":
        _aliases = " = ".join(s for s in _u.spellings if s.isidentifier())
        ureg.define(
            f"{_u.name} = {Decimal(_u.fen) / 100} * yuan" + (f" = {_aliases}" if _aliases else "")
        )
ureg.define("usd = [currency_usd] = USD = 美元")
ureg.define("percent = 0.01 = % = pct")
Quantity = ureg.Quantity

_FACTORS: Final[dict[str, int]] = {
    spelling: u.fen for u in UNITS for spelling in (u.name, *u.spellings)
}


def fen_per(unit: str) -> int:
    """How many 分 one ``unit`` holds (exactly): ``fen_per("万元") == 1_000_000``.

    >>> fen_per("万元"), fen_per("角"), fen_per("RMB")
    (1000000, 10, 100)
    """
    unit = _normalise(unit).strip()
    try:
        return _FACTORS[unit]
    except KeyError:
        raise UnitError(
            f"unknown currency unit {unit!r}; known: {', '.join(sorted(_FACTORS))}"
        ) from None


def _normalise(text: str) -> str:
    """Full-width digits, punctuation and spaces to ASCII (NFKC).

    Thousands separators (commas) are left to the amount pattern, which accepts them only in
    groups of three.
    """
    return unicodedata.normalize("NFKC", text)


_AMOUNT = re.compile(
    r"^\s*(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>[^\d\s.,+-][^\s]*)?\s*$"
)


def _decimal(number: str, where: str | None) -> Decimal:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        raise ParseError(f"not a number: {number!r}", where=where) from None
    if not value.is_finite():
        raise ParseError(f"not a finite number: {number!r}", where=where)
    return value


def _exact_fen(value: Decimal, factor: int, text: str, where: str | None) -> int:
    fen = value * factor
    if fen != fen.to_integral_value():
        raise InvalidAmountError(
            f"{text!r} is not exact to the 分 (0.01元); amounts are stored as whole 分",
            where=where,
        )
    return int(fen)


def parse_figure(text: str, *, default_unit: str | None = None, where: str | None = None
                 ) -> tuple[pint.Quantity[Any], int]:
    """Parse a published amount and the quantum (in 分) of its last printed digit.

    The quantum is what makes reconciliation rounding-aware: "37万元" has quantum 1万元
    (1,000,000 分), "362.9万元" has 0.1万元.

    >>> q, quantum = parse_figure("362.9万元")
    >>> q.magnitude, quantum
    (362900000, 100000)
    """
    text_n = _normalise(text)
    m = _AMOUNT.match(text_n)
    if not m:
        raise ParseError(f"not an amount: {text!r}", where=where)
    unit = m.group("unit") or default_unit
    if unit is None:
        raise UnitError(f"amount {text!r} has no unit and no default unit was given", where=where)
    try:
        factor = fen_per(unit)
    except UnitError as e:
        raise UnitError(f"{e} (in {text!r})", where=where) from None
    value = _decimal(m.group("num"), where)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    quantum = Decimal(factor).scaleb(exponent)
    return (
        ureg.Quantity(_exact_fen(value, factor, text, where), FEN),
        max(1, int(quantum)),
    )


def parse_amount(text: str, *, default_unit: str | None = None, where: str | None = None
                 ) -> pint.Quantity[Any]:
    """Parse "78.97万元", "1.5亿元", "400 万元", "７８.９７万元" into an exact amount.

    The result is a pint quantity of whole 分, so that equal amounts written in different
    units compare equal and sums never drift.

    >>> parse_amount("0.1万元") + parse_amount("0.2万元") == parse_amount("0.3万元")
    True
    >>> parse_amount("1.5亿元").magnitude
    15000000000
    """
    return parse_figure(text, default_unit=default_unit, where=where)[0]


def money(value: int | str | Decimal, unit: str = "元") -> pint.Quantity[Any]:
    """An exact amount from a number and a unit: ``money("78.97", "万元")``.

    Floats are refused: they cannot say whether 0.1 meant 0.1.

    >>> money("78.97", "万元") == parse_amount("78.97万元")
    True
    >>> money(0.1)
    Traceback (most recent call last):
    ...
    fiscalkit.errors.InvalidAmountError: float 0.1 is not an exact amount; pass a str or Decimal
    """
    if isinstance(value, float):
        raise InvalidAmountError(f"float {value!r} is not an exact amount; pass a str or Decimal")
    dec = value if isinstance(value, Decimal) else _decimal(str(value), None)
    return ureg.Quantity(_exact_fen(dec, fen_per(unit), f"{value}{unit}", None), FEN)


def to_fen(q: pint.Quantity[Any]) -> Any:
    """The magnitude of a CNY quantity in whole 分 (int, or an int64 array), exactly.

    Refuses quantities of another dimension (a percentage, US dollars) and magnitudes that
    are not whole 分.

    >>> to_fen(Quantity(3, "万元"))
    3000000
    >>> to_fen(Quantity(5, "USD"))
    Traceback (most recent call last):
    ...
    fiscalkit.errors.CurrencyError: 5 usd is not in yuan; convert with an explicit rate (exchange)
    """
    if not q.check("[currency_cny]"):
        if q.check("[currency_usd]"):
            raise CurrencyError(f"{q} is not in yuan; convert with an explicit rate (exchange)")
        raise UnitError(f"{q} is not an amount of money")
    unit = str(q.units)
    mag = q.magnitude
    if unit == FEN and _is_integral(mag):
        return mag
    factor = _factor(q)
    if isinstance(mag, np.ndarray):
        if not np.issubdtype(mag.dtype, np.integer):
            raise InvalidAmountError(f"array of {mag.dtype} is not exact; store whole 分 as int64")
        if factor != factor.to_integral_value():
            raise InvalidAmountError(f"cannot convert {unit} to whole 分 exactly")
        return mag.astype(np.int64) * int(factor)
    if isinstance(mag, float):
        raise InvalidAmountError(f"float magnitude {mag!r} is not an exact amount")
    return _exact_fen(Decimal(mag) * factor, 1, str(q), None)


def _factor(q: pint.Quantity[Any]) -> Decimal:
    """分 per unit of ``q``: exact for the named units, through pint for compound ones."""
    exact = _FACTORS.get(str(q.units))
    if exact is not None:
        return Decimal(exact)
    # A compound unit (万元/1000, say): pint's float factor, trusted only to 12 digits.
    return Decimal(str(ureg.Quantity(1, q.units).to(FEN).magnitude)).quantize(
        Decimal("1e-12")).normalize()


def _is_integral(mag: Any) -> bool:
    if isinstance(mag, np.ndarray):
        return bool(np.issubdtype(mag.dtype, np.integer))
    return isinstance(mag, int | np.integer)


def round_half_up(fen: npt.ArrayLike, quantum: int) -> npt.NDArray[np.int64]:
    """Round whole-分 amounts to a multiple of ``quantum`` 分, half away from zero.

    Integer arithmetic on whole arrays: the rounding a published table applies, with no
    float in between.

    >>> round_half_up([1_250_000, 1_249_999, -1_250_000], 100_000).tolist()
    [1300000, 1200000, -1300000]
    """
    if quantum < 1:
        raise ValueError(f"quantum must be a positive number of 分, not {quantum!r}")
    a = np.asarray(fen, dtype=np.int64)
    sign = np.sign(a)
    rounded: npt.NDArray[np.int64] = sign * ((np.abs(a) * 2 + quantum) // (2 * quantum)) * quantum
    return rounded


def format_amount(q: pint.Quantity[Any] | int, unit: str = "元", decimals: int = 2, *,
                  with_unit: bool = False) -> str:
    """Format an amount in ``unit`` with ``decimals`` places, rounded half-up.

    >>> format_amount(parse_amount("17.85万元"), "万元", decimals=1)
    '17.9'
    >>> format_amount(parse_amount("78.97万元"), "万元", with_unit=True)
    '78.97万元'
    """
    fen = int(q) if isinstance(q, int | np.integer) else int(to_fen(q))
    value = (Decimal(fen) / fen_per(unit)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{value:f}"
    return f"{text}{unit}" if with_unit else text


def exchange(q: pint.Quantity[Any], rate: pint.Quantity[Any]) -> pint.Quantity[Any]:
    """Convert between currencies through an explicit ``rate``, e.g. ``Quantity(0.14, "USD/CNY")``.

    Currencies are distinct dimensions, so ``q.to("USD")`` raises; this is the only door.

    >>> round(exchange(parse_amount("100元"), Quantity(0.14, "USD/CNY")).to("USD").magnitude, 6)
    14.0
    """
    amount = ureg.Quantity(to_fen(q), FEN).to("yuan") if q.check("[currency_cny]") else q
    if not isinstance(rate, ureg.Quantity):
        raise CurrencyError(f"rate {rate!r} has no units; write it as Quantity(0.14, 'USD/CNY')")
    result = amount * rate
    dims = result.dimensionality
    currencies = [d for d in dims if d.startswith("[currency_")]
    if (len(currencies) != 1 or dims[currencies[0]] != 1 or len(dims) != 1
            or currencies[0] in q.dimensionality):
        raise CurrencyError(f"rate {rate} does not convert {q.units} into one other currency")
    return cast("pint.Quantity[Any]", result.to_reduced_units())
