"""Cut scenarios: a plan for cutting a budget, written as a value and applied exactly.

A cut plan as a budget office states it ("压减一般性支出, 保工资、保运转, 三公经费再压一半")
is a handful of rules, not a spreadsheet. Written as data — selectors (the criteria of
:meth:`~fiscalkit.Ledger.select`), rates and exact amounts — a plan can be named, saved as
JSON or YAML, combined with another, applied to next year's ledger and compared, while the
arithmetic lives in one audited place.

A :class:`Scenario` is built from operations. *Constraints* hold for every action of their
stage; *actions* run in the order they were added, each on the amounts the previous left:

===============================  ===========================================================
``protect(where)``               never reduced (a ``shift`` may still add to them)
``freeze(where)``                never changed at all
``floor(where, rate=|amount=)``  each line keeps ``rate`` of its amount at the stage's start;
                                 with ``amount``, the selection keeps that total — held line
                                 by line (each keeps the share amount/total, rounded up), so
                                 no order of cuts can take it below
``cut(where, rate=|amount=)``    each eligible line loses ``rate`` of itself, or the lines
                                 lose ``amount`` in total at one uniform rate
``cap(where, amount)``           the selection's total is brought down to at most ``amount``
``shift(source, dest, ...)``     money taken from ``source`` (uniform rate) is added to
                                 ``dest`` in proportion to its lines
``target(total=|cut=|rate=)``    reach a total (or make a cut) of ``within`` (default: all
                                 lines), taking first from the ``priority`` selections in
                                 order, each at a uniform rate up to what it can give, then
                                 from the rest (unless ``only_priority``)
===============================  ===========================================================

``a + b`` merges two scenarios into one stage (the constraints of both bind the actions of
both); ``a.then(b)`` stacks them (``b`` runs on ``a``'s result under its own constraints).

**Exact allocation.** Amounts stay whole 分 (int64). A line's share of a cut is its *quota*
``rate × amount``; every line gets its quota rounded down or up, the total cut is the sum
of the quotas rounded half-up (exactly the amount asked for, for amount cuts and targets),
and the 分 left over go to the largest remainders, ties to the earlier line (Hamilton's
method). A rate cut at the rate :func:`solve` finds for a target therefore allocates exactly
that target, and :func:`sweep` gives, rate by rate, exactly what applying the cut would.
Everything is computed on whole columns with integer arithmetic; no loop runs over lines.

:func:`solve` finds the uniform rate that reaches a target; :func:`sweep` evaluates many
rates in one array computation; :func:`compare` and :func:`waterfall` show results side by
side and as a chart.

**Feasibility.** If an action asks for more than its eligible lines (not protected or frozen,
above their floors) can give, the result says so and by how much — an ``"error"``
:class:`~fiscalkit.findings.Finding` — and is *not applied at all*: ``result.ledger`` is the
baseline and ``result.feasible`` is ``False``. A plan is either carried out or refused.

>>> import fiscalkit as fk
>>> from fiscalkit.scenario import PERSONNEL, Scenario
>>> led = fk.Ledger.from_records([
...     {"year": 2021, "economic": "30101", "amount": "789700.00"},   # 基本工资
...     {"year": 2021, "economic": "30201", "amount": "42000.00"},    # 办公费
...     {"year": 2021, "economic": "30226", "amount": "780000.00"},   # 劳务费
... ])
>>> plan = Scenario("压减10万元", "personnel protected").protect(PERSONNEL).target(cut="10万元")
>>> result = plan.apply(led)
>>> result.feasible, result.deltas("economic")["delta"].tolist()
(True, [0, -510949, -9489051])
>>> Scenario.from_dict(plan.to_dict()) == plan
True
>>> too_much = Scenario().protect(PERSONNEL).target(cut="100万元").apply(led)
>>> too_much.feasible, too_much.ledger is led   # 82.2万元 is all that is not personnel
(False, True)
>>> too_much.findings[0].details["shortfall"]   # 分: 100万元 - 82.2万元
17800000
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pint

from fiscalkit import classification
from fiscalkit.findings import Finding, Report, Severity
from fiscalkit.ledger import CODE_DIMENSIONS, DIMENSIONS, Ledger
from fiscalkit.ledger import Selector as CriterionValue
from fiscalkit.units import fen_per, parse_amount, to_fen

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "PERSONNEL",
    "STATUTORY_CONTRIBUTIONS",
    "Cap",
    "Criteria",
    "Cut",
    "Floor",
    "Freeze",
    "Op",
    "Protect",
    "Scenario",
    "ScenarioResult",
    "Shift",
    "Solution",
    "Target",
    "Where",
    "as_fen",
    "as_rate",
    "compare",
    "solve",
    "sweep",
    "waterfall",
]

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
#: A selector: ledger criteria as :meth:`Ledger.select` takes them, e.g. ``{"economic": "301"}``.
Criteria = Mapping[str, CriterionValue]
#: A rate: a float (read as the simple fraction it stands for), a Fraction, or text like
#: ``"0.156"``, ``"39/250"`` or ``"15.6%"``.
RateLike = float | int | Fraction | Decimal | str
#: An exact amount: int 分, text with a unit like ``"74万元"``, or a pint quantity of money.
AmountLike = int | str | pint.Quantity[Any]

#: 工资福利支出 (department economic 类 301): personnel, the rigid part of a budget.
PERSONNEL: Final[Criteria] = MappingProxyType({"economic": "301"})
#: Statutory social contributions: 机关事业单位基本养老保险缴费 30108, 职工基本医疗保险缴费
#: 30110, 其他社会保障缴费 30112, 住房公积金 30113.
STATUTORY_CONTRIBUTIONS: Final[Criteria] = MappingProxyType(
    {"economic": ("30108", "30110", "30112", "30113")})

_I63: Final = 2**63
#: Largest common denominator of swept rates for the residue-class method.
_Q_MAX: Final = 2**20
#: Elements per chunk of a rates × lines array (a few MB: the passes stay in cache).
_CHUNK: Final = 2**19
#: Elements per chunk of a rates × residue classes array (BLAS likes bigger blocks).
_CHUNK_RESIDUES: Final = 2**21


# ---------------------------------------------------------------------- rates and amounts
def as_rate(value: RateLike) -> Fraction:
    """A rate as an exact fraction.

    A float is read as the simplest fraction (denominator up to 10⁶) within a few units in
    its last place — ``0.156`` is 39/250 and a ``np.linspace`` grid is exact — and otherwise
    as the decimal it prints as. Text may be a decimal, a fraction or a percentage.

    >>> as_rate(0.156), as_rate("15.6%"), as_rate("1/3")
    (Fraction(39, 250), Fraction(39, 250), Fraction(1, 3))
    """
    if isinstance(value, bool):
        raise TypeError("a rate is a number, not a bool")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, float | np.floating):
        return _float_rate(float(value))
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("%", "％")):
            return Fraction(text[:-1].strip()) / 100
        return Fraction(text)
    raise TypeError(f"not a rate: {value!r} (pass a float, Fraction or text like '15.6%')")


def _float_rate(value: float) -> Fraction:
    if not math.isfinite(value):
        raise ValueError(f"a rate must be finite, not {value!r}")
    simple = Fraction(value).limit_denominator(10**6)
    if abs(float(simple) - value) <= 4 * math.ulp(value):
        return simple
    return Fraction(repr(value))


def as_fen(value: AmountLike) -> int:
    """An exact amount in whole 分: int 分, text like ``"74万元"``, or a pint quantity.

    >>> as_fen("74万元"), as_fen(12)
    (74000000, 12)
    """
    if isinstance(value, bool):
        raise TypeError("an amount is a number, not a bool")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, str):
        return int(to_fen(parse_amount(value)))
    if isinstance(value, pint.Quantity):
        return int(to_fen(value))
    raise TypeError(f"not an exact amount: {value!r} (pass int 分 or text like '74万元'; "
                    "floats are not exact)")


def _rate_text(rate: Fraction) -> str:
    """Exact text for a rate: a decimal when it has one, else ``p/q``."""
    den = rate.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return f"{rate.numerator}/{rate.denominator}"
    text = f"{Decimal(rate.numerator) / Decimal(rate.denominator):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount_text(fen: int) -> str:
    sign, fen = ("-" if fen < 0 else ""), abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}元"


def _wan(fen: int) -> str:
    """An amount in 万元 for messages, exact and without trailing zeros."""
    text = f"{(Decimal(fen) / 1_000_000).normalize():f}"
    return f"{text}万元"


def _pct(rate: Fraction) -> str:
    return f"{float(rate) * 100:.4g}%"


def _round_half_up(value: Fraction) -> int:
    """Round half away from zero, as Chinese statistical tables do."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def _check_rate(rate: Fraction, what: str) -> Fraction:
    if not 0 <= rate <= 1:
        raise ValueError(f"{what} must be between 0 and 1 (0% and 100%), not {_pct(rate)}")
    return rate


def _check_amount(fen: int, what: str) -> int:
    if fen < 0:
        raise ValueError(f"{what} must not be negative, not {_amount_text(fen)}")
    return fen


# ---------------------------------------------------------------------- exact integer kernels
def _muldiv(x: npt.NDArray[Any], p: int | npt.NDArray[Any], q: int | npt.NDArray[Any]
            ) -> tuple[I64, I64]:
    """``floor(x·p/q)`` and ``x·p mod q``, exactly, on whole arrays (x ≥ 0, p ≥ 0, q > 0).

    ``p`` and ``q`` are scalars or broadcast against ``x`` (a column of rates over a row of
    lines). Products that fit int64 are divided directly; otherwise a float estimate of the
    quotient is corrected with the exact remainder computed in wrapping int64 arithmetic
    (true whenever the remainder is small, which the estimate's accuracy guarantees).
    """
    xmax = int(x.max(initial=0))
    pmax, qmax = _max_int(p), _max_int(q)
    qmin = _min_int(q)
    if pmax < _I63 and qmax < _I63 and xmax * pmax < _I63:
        quot, rem = np.divmod(x * _int64(p), _int64(q))
        return quot.astype(np.int64, copy=False), rem.astype(np.int64, copy=False)
    if pmax < _I63 and qmax < 2**60 and xmax < 2**52 and xmax * pmax // qmin < 2**51:
        return _muldiv_corrected(x, _int64(p), _int64(q))
    return _muldiv_exact(x, p, q)


def _max_int(v: int | npt.NDArray[Any]) -> int:
    return v if isinstance(v, int) else int(np.max(v))


def _min_int(v: int | npt.NDArray[Any]) -> int:
    return v if isinstance(v, int) else int(np.min(v))


def _int64(v: int | npt.NDArray[Any]) -> Any:
    return np.int64(v) if isinstance(v, int) else np.asarray(v, dtype=np.int64)


def _muldiv_corrected(x: npt.NDArray[Any], p: Any, q: Any) -> tuple[I64, I64]:
    ratio = np.asarray(p, dtype=np.float64) / np.asarray(q, dtype=np.float64)
    estimate = np.floor(x.astype(np.float64) * ratio)
    quot = estimate.astype(np.int64)
    rem = x * p - quot * q  # wraps modulo 2**64; the true value is within a few q of 0
    fix = rem // q
    return (quot + fix).astype(np.int64, copy=False), (rem - fix * q).astype(np.int64, copy=False)


def _muldiv_exact(x: npt.NDArray[Any], p: int | npt.NDArray[Any], q: int | npt.NDArray[Any]
                  ) -> tuple[I64, I64]:
    """Python-integer fallback for products beyond int64 (slow, but exact)."""
    prod = x.astype(object) * (p if isinstance(p, int) else np.asarray(p, dtype=object))
    den = q if isinstance(q, int) else np.asarray(q, dtype=object)
    quot = prod // den  # object arrays have floor division and remainder, not divmod
    return quot.astype(np.int64), (prod - quot * den).astype(np.int64)


def _exact_sum(a: npt.NDArray[Any]) -> int:
    """The exact sum of non-negative int64 values whose total may exceed int64."""
    hi = int((a >> 31).sum())
    lo = int((a & (2**31 - 1)).sum())
    return (hi << 31) + lo


def _add_top(out: I64, rem: npt.NDArray[Any], k: int,
             order: npt.NDArray[Any] | None = None) -> None:
    """Add one 分 (in place) to the ``k`` lines with the largest remainders; ties go to the
    smallest ``order`` (by default, the earlier line). O(n): a partition, not a sort."""
    n = rem.size
    if k <= 0:
        return
    if k >= n:
        out += 1
        return
    v = np.partition(rem, n - k)[n - k]  # the k-th largest remainder
    above = rem > v
    out += above
    ties = np.flatnonzero(rem == v)
    m = k - int(np.count_nonzero(above))  # 1 ≤ m ≤ ties.size
    if m < ties.size:
        ties = ties[:m] if order is None else ties[np.argpartition(order[ties], m - 1)[:m]]
    out[ties] += 1


def _hamilton(base: I64, rem: npt.NDArray[Any], extra: int) -> I64:
    """``base`` plus one 分 on the ``extra`` lines with the largest remainder (ties: first)."""
    out = base.copy()
    _add_top(out, rem, extra)
    return out


def _rate_cut(x: I64, room: I64, rate: Fraction) -> I64:
    """Cut each line by ``rate`` of itself, at most its room; total rounded half-up."""
    base, rem = _muldiv(x, rate.numerator, rate.denominator)
    held = base >= room
    base = np.where(held, room, base)
    rem = np.where(held, 0, rem)
    extra = _round_half_up(Fraction(_exact_sum(rem), rate.denominator))
    return _hamilton(base, rem, extra)


def _waterfill(x: I64, room: I64, amount: int) -> tuple[I64, Fraction]:
    """Cut exactly ``amount`` (≤ room) at one uniform rate r: Σ min(r·x, room) = amount.

    Lines whose room runs out at r are held there (saturated); r is exact. The saturated set
    grows monotonically from a float warm start, checked and completed exactly.
    """
    sat = _warm_start(x, room, amount)
    rate, base, rem, sat = _settle(x, room, amount, sat)
    if (sat & (base < room)).any():  # the warm start over-reached: settle from scratch
        rate, base, rem, sat = _settle(x, room, amount, np.zeros(x.size, dtype=bool))
    base = np.where(sat, room, base)
    rem = np.where(sat, 0, rem)
    return _hamilton(base, rem, amount - int(base.sum())), rate


def _settle(x: I64, room: I64, amount: int, sat: Bools
            ) -> tuple[Fraction, I64, I64, Bools]:
    while True:
        free = int(x[~sat].sum())
        if free == 0:
            sat = np.zeros(x.size, dtype=bool)
            free = int(x.sum())
        rate = Fraction(amount - int(room[sat].sum()), free)
        base, rem = _muldiv(x, rate.numerator, rate.denominator)
        over = ~sat & ((base > room) | ((base == room) & (rem > 0)))
        if not over.any():
            return rate, base, rem, sat
        sat = sat | over


def _warm_start(x: I64, room: I64, amount: int) -> Bools:
    """The lines that are surely saturated, from a float solution (empty without floors)."""
    if not (room < x).any():
        return np.zeros(x.size, dtype=bool)
    t = room / x
    order = np.argsort(t, kind="stable")
    ts, xs, rs = t[order], x[order].astype(float), room[order].astype(float)
    before = np.cumsum(rs) - rs
    after = np.cumsum(xs[::-1])[::-1]
    j = min(int(np.searchsorted(before + ts * after, amount)), x.size - 1)
    estimate = (amount - before[j]) / after[j]
    return np.asarray(t < estimate * (1 - 1e-9), dtype=bool)


# ---------------------------------------------------------------------- selectors
Value = str | int | None


@dataclass(frozen=True)
class Where:
    """A selector: ledger criteria, normalised and hashable. ``Where()`` selects every line.

    Normalising lets two spellings of one selection (``"301"`` and ``["301"]``) be the same
    key, so a scenario compares equal to itself read back from JSON and each mask is
    computed once per stage.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> w = Where.of({"economic": ["30201", "30226"]})
    >>> str(w), w.to_dict(), w.mask(led).tolist()
    ('economic=30201|30226', {'economic': ['30201', '30226']}, [False, True, True])
    >>> Where.of({"economic": "301"}) == Where.of({"economic": ["301"]}), str(Where())
    (True, 'all lines')
    """

    terms: tuple[tuple[str, tuple[Value, ...]], ...] = ()

    @classmethod
    def of(cls, criteria: Criteria | Where | None) -> Where:
        """Normalise a dict of :meth:`Ledger.select` criteria (``None``: every line)."""
        if isinstance(criteria, Where):
            return criteria
        if criteria is None:
            return cls()
        if not isinstance(criteria, Mapping):
            raise TypeError(f"a selector is a dict of ledger criteria such as "
                            f"{{'economic': '301'}}, not {criteria!r}")
        return cls(tuple((dim, _values(dim, wanted)) for dim, wanted in criteria.items()))

    def mask(self, ledger: Ledger) -> Bools:
        """The lines of ``ledger`` this selects."""
        return np.asarray(ledger.mask(**{d: list(v) for d, v in self.terms}), dtype=bool)

    def to_dict(self) -> dict[str, Value | list[Value]]:
        """The plain form: one value, or a list of values, per dimension."""
        return {d: v[0] if len(v) == 1 else list(v) for d, v in self.terms}

    def __str__(self) -> str:
        if not self.terms:
            return "all lines"
        return " ".join(f"{d}={'|'.join('∅' if x is None else str(x) for x in v)}"
                        for d, v in self.terms)


def _values(dim: str, wanted: Any) -> tuple[Value, ...]:
    if dim not in DIMENSIONS:
        raise ValueError(f"no dimension {dim!r} to select on; dimensions are {DIMENSIONS}")
    values = tuple(wanted) if isinstance(wanted, list | tuple) else (wanted,)
    if dim == "year":
        return tuple(None if v is None else int(v) for v in values)
    return tuple(None if v is None else str(v).strip() for v in values)


def _wheres(criteria: Criteria | Where | Sequence[Criteria | Where] | None) -> tuple[Where, ...]:
    if criteria is None:
        return ()
    if isinstance(criteria, Mapping | Where):
        return (Where.of(criteria),)
    return tuple(Where.of(c) for c in criteria)


# ---------------------------------------------------------------------- operations
@dataclass(frozen=True)
class Op:
    """An operation of a scenario. Constraints override :meth:`constrain`, actions :meth:`act`.

    Every operation has a plain form (:meth:`to_dict`), so that a plan can be stored as JSON
    and read back exactly: amounts as text in 元, rates as exact decimals or fractions.

    >>> op = Op.from_dict({"op": "cut", "where": {"economic": "302"}, "rate": "15%"})
    >>> op, str(op)
    (Cut(where=Where(terms=(('economic', ('302',)),)), rate=Fraction(3, 20), amount=None), \
'cut economic=302 by 15%')
    >>> op.to_dict()
    {'op': 'cut', 'where': {'economic': '302'}, 'rate': '0.15'}
    """

    kind: ClassVar[str] = ""
    action: ClassVar[bool] = True

    def constrain(self, stage: _Stage) -> None:
        """Record this constraint on the stage (constraints only)."""

    def act(self, stage: _Stage) -> None:
        """Change the stage's amounts (actions only)."""

    def to_dict(self) -> dict[str, Any]:
        """The plain form: ``{"op": kind, field: value, ...}``, amounts and rates as exact text."""
        out: dict[str, Any] = {"op": self.kind}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None and not (f.name in _OPTIONAL and value == f.default):
                out[f.name] = _plain(f.name, value)
        return out

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Op:
        """Read an operation written by :meth:`to_dict`; unknown ops and keys are errors."""
        kind = data.get("op")
        cls = _OPS.get(str(kind))
        if cls is None:
            raise ValueError(f"unknown scenario operation {kind!r}; known: {sorted(_OPS)}")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names - {"op"}
        if unknown:
            raise ValueError(f"{kind}: unknown key(s) {sorted(unknown)}; expected {sorted(names)}")
        make: Any = cls
        op: Op = make(**{k: _typed(k, v) for k, v in data.items() if k != "op"})
        return op


_OPTIONAL: Final = ("priority", "within", "only_priority")


def _plain(name: str, value: Any) -> Any:
    if isinstance(value, Where):
        return value.to_dict()
    if isinstance(value, Fraction):
        return _rate_text(value)
    if name == "priority":
        return [w.to_dict() for w in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _amount_text(value)
    return value


def _typed(name: str, value: Any) -> Any:
    if name in ("where", "source", "dest", "within"):
        return Where.of(value)
    if name == "priority":
        return tuple(Where.of(w) for w in value)
    if name == "rate":
        return None if value is None else as_rate(value)
    if name in ("amount", "total", "cut"):
        return None if value is None else as_fen(value)
    if name == "only_priority" and not isinstance(value, bool):
        raise ValueError(f"only_priority must be true or false, not {value!r}")
    return value


def _one_of(what: str, **given: object) -> None:
    named = [k for k, v in given.items() if v is not None]
    if len(named) != 1:
        raise ValueError(f"{what} takes exactly one of {', '.join(given)}; got {named or 'none'}")


def _by(rate: Fraction | None, amount: int | None) -> str:
    return _pct(rate) if rate is not None else _wan(amount or 0)


@dataclass(frozen=True)
class Protect(Op):
    """The selected lines are never reduced.

    Written with :meth:`Scenario.protect`; a :class:`Shift` may still add to them.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> Protect(Where.of({"economic": "301"})).to_dict()
    {'op': 'protect', 'where': {'economic': '301'}}
    >>> plan = Scenario().protect({"economic": "301"}).cut(rate="10%")
    >>> plan.apply(led).deltas("economic")["delta"].tolist()   # 分: 30万 and 10万 lose 10%
    [0, -3000000, -1000000]
    """

    where: Where = Where()
    kind: ClassVar[str] = "protect"
    action: ClassVar[bool] = False

    def constrain(self, stage: _Stage) -> None:
        stage.no_cut |= stage.mask(self.where)

    def __str__(self) -> str:
        return f"protect {self.where}"


@dataclass(frozen=True)
class Freeze(Op):
    """The selected lines are never changed: not cut, and not sent money by a shift.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> str(Freeze(Where.of({"economic": "30226"})))
    'freeze economic=30226'
    >>> plan = Scenario().freeze({"economic": "30226"}).cut(rate="10%")
    >>> plan.apply(led).deltas("economic")["delta"].tolist()   # 分: 6万 and 3万 cut
    [-6000000, -3000000, 0]
    """

    where: Where = Where()
    kind: ClassVar[str] = "freeze"
    action: ClassVar[bool] = False

    def constrain(self, stage: _Stage) -> None:
        m = stage.mask(self.where)
        stage.no_cut |= m
        stage.no_add |= m

    def __str__(self) -> str:
        return f"freeze {self.where}"


@dataclass(frozen=True)
class Floor(Op):
    """The selected lines keep at least ``rate`` of themselves, or ``amount`` in total.

    A rate cut that meets a floor is held there, with a warning; an amount cut or a target
    that floors make impossible is refused (see the module docstring).

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> str(Floor(Where.of({"economic": "302"}), rate=as_rate("95%")))
    'floor economic=302 at 95%'
    >>> plan = Scenario().floor({"economic": "302"}, rate="95%").cut(rate="10%")
    >>> plan.apply(led).deltas("economic")["delta"].tolist()   # 30万元 keeps 28.5万元
    [-6000000, -1500000, -500000]
    """

    where: Where = Where()
    rate: Fraction | None = None
    amount: int | None = None
    kind: ClassVar[str] = "floor"
    action: ClassVar[bool] = False

    def __post_init__(self) -> None:
        _one_of("floor", rate=self.rate, amount=self.amount)
        if self.rate is not None:
            _check_rate(self.rate, "a floor rate")
        if self.amount is not None:
            _check_amount(self.amount, "a floor")

    def constrain(self, stage: _Stage) -> None:
        stage.raise_floor(stage.mask(self.where), self.rate, self.amount)

    def __str__(self) -> str:
        return f"floor {self.where} at {_by(self.rate, self.amount)}"


@dataclass(frozen=True)
class Cut(Op):
    """Cut the selected lines by a rate of each, or by an amount in total.

    An amount is cut at one uniform rate over the eligible lines, to the 分.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> Cut(Where.of({"economic": "302"}), amount=as_fen("4万元")).to_dict()
    {'op': 'cut', 'where': {'economic': '302'}, 'amount': '40000.00元'}
    >>> plan = Scenario().cut({"economic": "302"}, amount="4万元")    # 10% of 40万元
    >>> plan.apply(led).deltas("economic")["delta"].tolist()
    [0, -3000000, -1000000]
    """

    where: Where = Where()
    rate: Fraction | None = None
    amount: int | None = None
    kind: ClassVar[str] = "cut"

    def __post_init__(self) -> None:
        _one_of("cut", rate=self.rate, amount=self.amount)
        if self.rate is not None:
            _check_rate(self.rate, "a cut rate")
        if self.amount is not None:
            _check_amount(self.amount, "a cut")

    def act(self, stage: _Stage) -> None:
        mask = stage.mask(self.where)
        if self.rate is not None:
            stage.take_rate(mask, self.rate)
        else:
            stage.take_all(mask, self.amount or 0)

    def __str__(self) -> str:
        return f"cut {self.where} by {_by(self.rate, self.amount)}"


@dataclass(frozen=True)
class Cap(Op):
    """Bring the selection's total down to at most ``amount``.

    The excess is cut at one uniform rate; a selection already within the cap is left as
    it is, with an ``info`` finding.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> str(Cap(Where.of({"economic": "302"}), as_fen("35万元")))
    'cap economic=302 at 35万元'
    >>> result = Scenario().cap({"economic": "302"}, "35万元").apply(led)
    >>> result.deltas("economic")["delta"].tolist()    # 5万元 off 40万元: 12.5% of each
    [0, -3750000, -1250000]
    """

    where: Where = Where()
    amount: int = 0
    kind: ClassVar[str] = "cap"

    def __post_init__(self) -> None:
        _check_amount(self.amount, "a cap")

    def act(self, stage: _Stage) -> None:
        mask = stage.mask(self.where)
        total = int(stage.x[mask].sum())
        if total <= self.amount:
            stage.note("info", "scenario.met", f"already within the cap ({_wan(total)})")
            return
        stage.take_all(mask, total - self.amount)

    def __str__(self) -> str:
        return f"cap {self.where} at {_wan(self.amount)}"


@dataclass(frozen=True)
class Shift(Op):
    """Move money from ``source`` (a rate of it, or an amount) to ``dest``.

    The total is unchanged; the money is added to ``dest`` in proportion to its lines.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> plan = Scenario().shift({"economic": "30226"}, {"economic": "30201"}, amount="2万元")
    >>> str(plan.ops[0])
    'shift 2万元 from economic=30226 to economic=30201'
    >>> result = plan.apply(led)
    >>> result.deltas("economic")["delta"].tolist(), result.delta
    ([0, 2000000, -2000000], 0)
    """

    source: Where = Where()
    dest: Where = Where()
    rate: Fraction | None = None
    amount: int | None = None
    kind: ClassVar[str] = "shift"

    def __post_init__(self) -> None:
        _one_of("shift", rate=self.rate, amount=self.amount)
        if self.rate is not None:
            _check_rate(self.rate, "a shift rate")
        if self.amount is not None:
            _check_amount(self.amount, "a shift")

    def act(self, stage: _Stage) -> None:
        source = stage.mask(self.source)
        dest = stage.mask(self.dest) & ~source & ~stage.no_add
        if not dest.any():
            stage.note("error", "scenario.infeasible", "nowhere to shift to: the destination "
                       "lines are all frozen, or in the source")
            return
        if self.rate is not None:
            moved = stage.take_rate(source, self.rate)
        else:
            moved = stage.take_all(source, self.amount or 0)
        stage.give(dest, moved)

    def __str__(self) -> str:
        return f"shift {_by(self.rate, self.amount)} from {self.source} to {self.dest}"


@dataclass(frozen=True)
class Target(Op):
    """Reach a total (or make a cut) of ``within``, cutting ``priority`` selections first.

    Each priority selection gives at a uniform rate up to what it can, then the rest of
    ``within`` (unless ``only_priority``) gives the remainder.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> plan = Scenario().target(cut="5万元", priority={"economic": "30226"})
    >>> str(plan.ops[0])
    'target: cut 5万元, first from economic=30226'
    >>> plan.apply(led).deltas("economic")["delta"].tolist()   # 劳务费 alone can give 5万元
    [0, 0, -5000000]
    >>> Target(total=as_fen("90万元")).needed(as_fen("100万元"))   # 分 to cut
    10000000
    """

    total: int | None = None
    cut: int | None = None
    rate: Fraction | None = None
    priority: tuple[Where, ...] = ()
    within: Where = Where()
    only_priority: bool = False
    kind: ClassVar[str] = "target"

    def __post_init__(self) -> None:
        _one_of("target", total=self.total, cut=self.cut, rate=self.rate)
        if self.rate is not None:
            _check_rate(self.rate, "a target rate")
        for name in ("total", "cut"):
            if getattr(self, name) is not None:
                _check_amount(getattr(self, name), f"a target {name}")

    def needed(self, current: int) -> int:
        """The cut this target asks of a selection whose total is ``current``."""
        if self.total is not None:
            return current - self.total
        if self.cut is not None:
            return self.cut
        return _round_half_up((self.rate or Fraction(0)) * current)

    def act(self, stage: _Stage) -> None:
        within = stage.mask(self.within)
        need = self.needed(int(stage.x[within].sum()))
        if need <= 0:
            stage.note("info", "scenario.met", "target already met; nothing cut")
            return
        left, claimed = need, np.zeros_like(within)
        for tier in self._tiers(stage, within):
            tier = tier & ~claimed
            claimed |= tier
            left -= stage.take(tier, left)
        stage.settle(need, need - left,
                     "the priority lines" if self.only_priority else "the eligible lines")

    def _tiers(self, stage: _Stage, within: Bools) -> list[Bools]:
        tiers = [stage.mask(w) & within for w in self.priority]
        return tiers if self.only_priority else [*tiers, within]

    def __str__(self) -> str:
        goal = (f"reach {_wan(self.total)}" if self.total is not None
                else f"cut {_by(self.rate, self.cut)}")
        order = "; ".join(str(w) for w in self.priority)
        scope = "" if not self.within.terms else f" of {self.within}"
        first = f", first from {order}" + (" only" if self.only_priority else "") if order else ""
        return f"target: {goal}{scope}{first}"


_OPS: Final[dict[str, type[Op]]] = {
    cls.kind: cls for cls in (Protect, Freeze, Floor, Cut, Cap, Shift, Target)}


# ---------------------------------------------------------------------- applying a stage
class _Stage:
    """The working state of one stage: current amounts, locks and floors (internal)."""

    def __init__(self, ledger: Ledger, amounts: I64, number: int,
                 masks: dict[Where, Bools]) -> None:
        self.ledger = ledger
        self.number = number
        self.base = amounts
        self.x = amounts.copy()
        self.no_cut = np.zeros(amounts.size, dtype=bool)
        self.no_add = np.zeros(amounts.size, dtype=bool)
        self.lo = np.zeros(amounts.size, dtype=np.int64)
        self.findings: list[Finding] = []
        self.current = ""
        self._masks = masks
        self._taken: list[str] = []

    def run(self, ops: Sequence[Op]) -> None:
        for op in ops:
            if not op.action:
                op.constrain(self)
        for step, op in enumerate(ops, 1):
            if op.action:
                self.current = f"stage {self.number}, step {step} ({op})"
                op.act(self)

    def mask(self, where: Where) -> Bools:
        if where not in self._masks:
            self._masks[where] = where.mask(self.ledger)
        return self._masks[where]

    def room(self, mask: Bools) -> I64:
        """What each line of ``mask`` can still give: above its floor, if not protected."""
        ok = mask & ~self.no_cut & (self.x > 0)
        return np.where(ok, np.maximum(self.x - self.lo, 0), 0).astype(np.int64, copy=False)

    def raise_floor(self, mask: Bools, rate: Fraction | None, amount: int | None) -> None:
        idx = np.flatnonzero(mask & (self.base > 0))
        b = self.base[idx]
        if rate is not None:
            num, den = rate.numerator, rate.denominator
        else:
            den = int(b.sum())
            num = min(amount or 0, den)
            if (amount or 0) > den:
                self.note("warning", "scenario.floor",
                          f"floor {_wan(amount or 0)} is above the selection's total "
                          f"{_wan(den)}; its lines are held as they are")
        if den == 0:
            return
        quot, rem = _muldiv(b, num, den)
        self.lo[idx] = np.maximum(self.lo[idx], quot + (rem > 0))

    def take(self, mask: Bools, amount: int) -> int:
        """Cut up to ``amount`` from ``mask`` at one uniform rate; return what was cut."""
        room = self.room(mask)
        done = min(amount, int(room.sum()))
        if done <= 0:
            return 0
        idx = np.flatnonzero(room)
        cut, rate = _waterfill(self.x[idx], room[idx], done)
        self.x[idx] -= cut
        self._taken.append(f"{_wan(done)} from {idx.size} line(s) at a uniform {_pct(rate)}")
        return done

    def take_all(self, mask: Bools, amount: int) -> int:
        """Cut exactly ``amount`` or report by how much the lines fall short."""
        done = self.take(mask, amount)
        self.settle(amount, done, "the eligible lines")
        return done

    def settle(self, needed: int, done: int, source: str) -> None:
        """Note how a cut was allocated — or, if it fell short, that it is infeasible."""
        if done < needed:
            self.fail(needed, done, source)
        elif self._taken:
            self.note("info", "scenario.allocation", "; then ".join(self._taken))
        self._taken = []

    def take_rate(self, mask: Bools, rate: Fraction) -> int:
        """Cut each line of ``mask`` by ``rate`` of itself, floors permitting."""
        wanted = _round_half_up(rate * int(self.x[mask & ~self.no_cut & (self.x > 0)].sum()))
        room = self.room(mask)
        idx = np.flatnonzero(room)
        cut = _rate_cut(self.x[idx], room[idx], rate)
        self.x[idx] -= cut
        done = int(cut.sum())
        if done < wanted:
            self.note("warning", "scenario.floor",
                      f"floors held the cut to {_wan(done)} instead of {_wan(wanted)}",
                      amount=done, wanted=wanted)
        return done

    def give(self, mask: Bools, amount: int) -> None:
        """Add ``amount`` to the lines of ``mask`` in proportion to them (equally if all ≤ 0)."""
        idx = np.flatnonzero(mask)
        weights = np.maximum(self.x[idx], 0)
        if not weights.any():
            weights = np.ones(idx.size, dtype=np.int64)
        quot, rem = _muldiv(weights, amount, int(weights.sum()))
        self.x[idx] += _hamilton(quot, rem, amount - int(quot.sum()))

    def fail(self, needed: int, available: int, source: str) -> None:
        short = needed - available
        self.note("error", "scenario.infeasible",
                  f"needs {_wan(needed)} but {source} (not protected, frozen or at a floor) "
                  f"can give only {_wan(available)}: {_wan(short)} short",
                  needed=needed, available=available, shortfall=short,
                  expected=(Decimal(0), Decimal(available) / 100),
                  actual=Decimal(needed) / 100)

    def note(self, severity: Severity, rule: str, message: str, *,
             expected: tuple[Decimal, Decimal] | None = None, actual: Decimal | None = None,
             **details: Any) -> None:
        where = f"{self.current}: " if self.current else f"stage {self.number}: "
        self.findings.append(Finding(rule, severity, where + message, expected=expected,
                                     actual=actual, details={"stage": self.number, **details}))


# ---------------------------------------------------------------------- scenario
@dataclass(frozen=True)
class Scenario:
    """An immutable cut plan: named stages of operations (see the module docstring).

    Build it with the methods below, each returning a new scenario; compose with ``+``
    (one stage) or :meth:`then` (stacked stages); apply with :meth:`apply`.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> first = Scenario("压减10%", "personnel protected").protect(PERSONNEL).cut(rate="10%")
    >>> plan = first.then(Scenario("cap").cap({"economic": "302"}, "30万元"))
    >>> print(plan)
    压减10%, then cap: personnel protected
      stage 1: protect economic=301
      stage 1: cut all lines by 10%
      stage 2: cap economic=302 at 30万元
    >>> plan.apply(led).deltas("economic", level=1)["amount"].tolist()  # 302: 40 → 36 → 30
    [60000000, 30000000]
    >>> Scenario.from_json(plan.to_json()) == plan
    True
    """

    name: str = ""
    description: str = ""
    stages: tuple[tuple[Op, ...], ...] = ((),)

    # -------------------------------------------------------------- building
    def _add(self, op: Op) -> Scenario:
        stages = self.stages or ((),)
        return dataclasses.replace(self, stages=(*stages[:-1], (*stages[-1], op)))

    def protect(self, where: Criteria | Where) -> Scenario:
        """Never reduce the selected lines (e.g. :data:`PERSONNEL`)."""
        return self._add(Protect(Where.of(where)))

    def freeze(self, where: Criteria | Where) -> Scenario:
        """Leave the selected lines exactly as they are."""
        return self._add(Freeze(Where.of(where)))

    def floor(self, where: Criteria | Where, *, rate: RateLike | None = None,
              amount: AmountLike | None = None) -> Scenario:
        """Keep at least ``rate`` of each selected line, or ``amount`` of their total."""
        return self._add(Floor(Where.of(where), _opt_rate(rate), _opt_fen(amount)))

    def cut(self, where: Criteria | Where | None = None, *, rate: RateLike | None = None,
            amount: AmountLike | None = None) -> Scenario:
        """Cut the selected lines (all, by default) by ``rate`` each or ``amount`` in total."""
        return self._add(Cut(Where.of(where), _opt_rate(rate), _opt_fen(amount)))

    def cap(self, where: Criteria | Where, amount: AmountLike) -> Scenario:
        """Bring the selection's total down to at most ``amount``."""
        return self._add(Cap(Where.of(where), as_fen(amount)))

    def shift(self, source: Criteria | Where, dest: Criteria | Where, *,
              rate: RateLike | None = None, amount: AmountLike | None = None) -> Scenario:
        """Move ``rate`` of the source (or ``amount``) to the destination lines."""
        return self._add(Shift(Where.of(source), Where.of(dest), _opt_rate(rate),
                               _opt_fen(amount)))

    def target(self, *, total: AmountLike | None = None, cut: AmountLike | None = None,
               rate: RateLike | None = None,
               priority: Criteria | Where | Sequence[Criteria | Where] = (),
               within: Criteria | Where | None = None, only_priority: bool = False) -> Scenario:
        """Reach ``total``, or cut ``cut`` (or ``rate`` of the total), priorities first."""
        return self._add(Target(_opt_fen(total), _opt_fen(cut), _opt_rate(rate),
                                _wheres(priority), Where.of(within), only_priority))

    def then(self, other: Scenario | None = None) -> Scenario:
        """Stack: ``other`` (or the operations added next) runs on this scenario's result."""
        if other is None:
            return dataclasses.replace(self, stages=(*self.stages, ()))
        stages = tuple(s for s in (*self.stages, *other.stages) if s) or ((),)
        return Scenario(_join(self.name, other.name, ", then "),
                        _join(self.description, other.description, "\n"), stages)

    def __add__(self, other: Scenario) -> Scenario:
        """Merge into one stage: the constraints of each bind the actions of both."""
        if not isinstance(other, Scenario):
            return NotImplemented
        mine, theirs = self.stages or ((),), other.stages or ((),)
        stages = (*mine[:-1], (*mine[-1], *theirs[0]), *theirs[1:])
        return Scenario(_join(self.name, other.name, " + "),
                        _join(self.description, other.description, "\n"), stages)

    def named(self, name: str, description: str | None = None) -> Scenario:
        """The same plan under another name (and description)."""
        return dataclasses.replace(self, name=name, description=(
            self.description if description is None else description))

    @property
    def ops(self) -> tuple[Op, ...]:
        """All operations, stage after stage."""
        return tuple(op for stage in self.stages for op in stage)

    def __str__(self) -> str:
        head = self.name or "scenario"
        lines = [head + (f": {self.description}" if self.description else "")]
        for i, stage in enumerate(self.stages, 1):
            prefix = f"  stage {i}: " if len(self.stages) > 1 else "  "
            lines.extend(prefix + str(op) for op in stage)
        return "\n".join(lines)

    # -------------------------------------------------------------- applying
    def apply(self, ledger: Ledger) -> ScenarioResult:
        """Apply to ``ledger``: the new ledger, its deltas and findings — or, if any action is
        infeasible, the baseline unchanged with the shortfall as an error finding."""
        if not isinstance(ledger, Ledger):
            raise TypeError(f"apply() takes a Ledger, not {type(ledger).__name__}")
        amounts = ledger.frame["amount"].to_numpy(dtype=np.int64, copy=True)
        masks: dict[Where, Bools] = {}
        findings: list[Finding] = []
        for number, ops in enumerate(self.stages, 1):
            stage = _Stage(ledger, amounts, number, masks)
            stage.run(ops)
            amounts = stage.x
            findings.extend(stage.findings)
        return ScenarioResult.of(self, ledger, amounts, findings)

    # -------------------------------------------------------------- plain forms
    def to_dict(self) -> dict[str, Any]:
        """A plain dict (JSON-ready): name, description and stages of operations."""
        return {"name": self.name, "description": self.description,
                "stages": [[op.to_dict() for op in stage] for stage in self.stages]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Read the form :meth:`to_dict` writes (``ops`` may stand for a single stage)."""
        unknown = set(data) - {"name", "description", "stages", "ops"}
        if unknown:
            raise ValueError(f"unknown scenario key(s) {sorted(unknown)}")
        stages = data.get("stages", [data.get("ops", [])])
        return cls(str(data.get("name", "")), str(data.get("description", "")),
                   tuple(tuple(Op.from_dict(op) for op in stage) for stage in stages) or ((),))

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text (Chinese kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        """Read :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))

    def to_yaml(self) -> str:
        """YAML text, when PyYAML is installed (it is optional; the dict form is the contract)."""
        return str(_yaml().safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False))

    @classmethod
    def from_yaml(cls, text: str) -> Scenario:
        """Read :meth:`to_yaml` output (needs PyYAML)."""
        return cls.from_dict(_yaml().safe_load(text))


def _opt_rate(value: RateLike | None) -> Fraction | None:
    return None if value is None else as_rate(value)


def _opt_fen(value: AmountLike | None) -> int | None:
    return None if value is None else as_fen(value)


def _join(a: str, b: str, sep: str) -> str:
    return sep.join(s for s in (a, b) if s)


def _yaml() -> Any:
    try:
        return importlib.import_module("yaml")
    except ImportError:
        raise ImportError("YAML needs PyYAML (pip install pyyaml); to_dict()/to_json() "
                          "need nothing") from None


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """A scenario applied to a ledger: the new ledger, the findings and the deltas.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> result = Scenario("压减").protect(PERSONNEL).cut(rate="10%").apply(led)
    >>> result
    <ScenarioResult 压减: feasible, delta -4万元, 0 finding(s)>
    >>> result.deltas("economic", level=1)
      economic  baseline    amount    delta  change
    0      301  60000000  60000000        0     0.0
    1      302  40000000  36000000 -4000000    -0.1
    >>> refused = Scenario().protect(PERSONNEL).cut(amount="50万元").apply(led)
    >>> refused.feasible, refused.ledger is refused.baseline, refused.findings[0].details
    (False, True, {'stage': 1, 'needed': 50000000, 'available': 40000000, 'shortfall': 10000000})
    """

    scenario: Scenario
    baseline: Ledger
    ledger: Ledger
    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, scenario: Scenario, baseline: Ledger, amounts: I64,
           findings: Iterable[Finding]) -> ScenarioResult:
        """Wrap the amounts as a ledger — unless a finding is an error: then the baseline."""
        found = tuple(findings)
        if any(f.severity == "error" for f in found):
            return cls(scenario, baseline, baseline, found)
        frame = baseline.frame
        frame["amount"] = amounts
        ledger = Ledger._from_valid(frame, baseline.edition, baseline.source)
        return cls(scenario, baseline, ledger, found)

    @property
    def feasible(self) -> bool:
        """Whether every action could be carried out (else nothing was applied)."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def delta(self) -> int:
        """The change of the total, 分 (negative for a cut)."""
        return int(self.ledger.frame["amount"].sum() - self.baseline.frame["amount"].sum())

    def deltas(self, *dims: str, level: int | Mapping[str, int] | None = None,
               names: bool = False) -> pd.DataFrame:
        """Baseline, amount, delta (分) and relative change by dimension(s), like
        :meth:`Ledger.by`: ``result.deltas("economic", level=1)``."""
        out = self.baseline.by(*dims, level=level, names=names)
        out = out.rename(columns={"amount": "baseline"})
        out["amount"] = self.ledger.by(*dims, level=level)["amount"].to_numpy()
        out["delta"] = out["amount"] - out["baseline"]
        base = out["baseline"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["change"] = np.where(base != 0, out["delta"].to_numpy(dtype=float) / base, np.nan)
        return out

    def lines(self) -> pd.DataFrame:
        """Every line with its baseline, new amount and delta (分)."""
        frame = self.baseline.frame.rename(columns={"amount": "baseline"})
        frame["amount"] = self.ledger.frame["amount"].to_numpy()
        frame["delta"] = frame["amount"] - frame["baseline"]
        return frame

    def report(self) -> Report:
        """The findings as a :class:`~fiscalkit.findings.Report` (one check per action)."""
        checks = sum(op.action for op in self.scenario.ops)
        return Report.of(self.findings, checks, self.scenario.name)

    def __repr__(self) -> str:
        state = "feasible" if self.feasible else "INFEASIBLE, not applied"
        return (f"<ScenarioResult {self.scenario.name or 'scenario'}: {state}, "
                f"delta {_wan(self.delta)}, {len(self.findings)} finding(s)>")


# ---------------------------------------------------------------------- solve
@dataclass(frozen=True, eq=False)
class Solution:
    """The uniform rate that reaches a target, and the exact allocation at that rate.

    ``rate`` is exact (it exceeds 1 when the target is infeasible; ``None`` if nothing can be
    cut); ``scenario`` is the protect-and-cut plan at that rate, ``result`` its application.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> sol = solve(led, cut="6万元", protect=PERSONNEL)    # 6万元 of the 40万元 not protected
    >>> sol.rate, sol.available, sol.allocation.tolist(), sol.feasible
    (Fraction(3, 20), 40000000, [0, 4500000, 1500000], True)
    >>> print(sol.scenario)
    solve: cut 6万元: uniform rate on all lines, protecting economic=301
      protect economic=301
      cut all lines by 15%
    """

    rate: Fraction | None
    cut: int
    available: int
    scenario: Scenario
    result: ScenarioResult

    @property
    def feasible(self) -> bool:
        """Whether the eligible lines can give the cut."""
        return self.result.feasible

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings of applying the plan (an error when infeasible)."""
        return self.result.findings

    @property
    def allocation(self) -> I64:
        """The cut on each line, 分, in line order (zeros when infeasible)."""
        base = self.result.baseline.frame["amount"].to_numpy()
        return np.asarray(base - self.result.ledger.frame["amount"].to_numpy(), dtype=np.int64)


def solve(ledger: Ledger, target: AmountLike | None = None, *, cut: AmountLike | None = None,
          protect: Criteria | Sequence[Criteria] | None = None,
          on: Criteria | None = None) -> Solution:
    """The uniform rate on the unprotected lines (of ``on``) that reaches a target.

    ``target`` is the ledger total to reach; ``cut`` the amount to cut instead. The rate is
    ``cut / eligible total`` as an exact fraction, and the allocation is the rate cut at
    that rate, which hits the target to the 分.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> sol = solve(led, "94万元", protect=PERSONNEL)         # from 100万元: cut 6万元
    >>> sol.cut, sol.rate, sol.result.ledger
    (6000000, Fraction(3, 20), <Ledger: 3 lines, total 940000.00元>)
    >>> too_much = solve(led, cut="50万元", protect=PERSONNEL)  # only 40万元 is eligible
    >>> too_much.rate, too_much.feasible, too_much.findings[0].details["shortfall"]
    (Fraction(5, 4), False, 10000000)
    """
    _one_of("solve", target=target, cut=cut)
    amounts = ledger.frame["amount"].to_numpy()
    need = as_fen(cut) if cut is not None else int(amounts.sum()) - as_fen(target or 0)
    if need < 0:
        raise ValueError(f"solve finds cuts, but the target is {_wan(-need)} above the total")
    protects, scope = _wheres(protect), Where.of(on)
    available = int(amounts[_eligible(ledger, protects, scope)].sum())
    rate = Fraction(need, available) if available else (Fraction(0) if need == 0 else None)
    plan = Scenario(f"solve: cut {_wan(need)}",
                    f"uniform rate on {scope}, protecting {', '.join(map(str, protects)) or '-'}")
    for w in protects:
        plan = plan.protect(w)
    if rate is not None and rate <= 1:
        plan = plan.cut(scope, rate=rate)
    else:
        plan = plan.target(cut=need, within=scope)
    return Solution(rate, need, available, plan, plan.apply(ledger))


def _eligible(ledger: Ledger, protects: Sequence[Where], scope: Where) -> Bools:
    mask = scope.mask(ledger) & (ledger.frame["amount"].to_numpy() > 0)
    for w in protects:
        mask &= ~w.mask(ledger)
    return mask


# ---------------------------------------------------------------------- sweep
def sweep(ledger: Ledger, rates: Iterable[RateLike], *,
          protect: Criteria | Sequence[Criteria] | None = None, on: Criteria | None = None,
          by: str | None = None, level: int | None = None, names: bool = False,
          method: Literal["auto", "residues", "lines"] = "auto") -> pd.DataFrame:
    """Cut the unprotected lines (of ``on``) at many rates at once; totals per rate and group.

    Each rate gives exactly what ``Scenario().protect(...).cut(on, rate=r).apply(ledger)``
    gives, aggregated by ``by`` (rolled up to ``level``). The computation is one array
    computation over rates × lines, chunked; when the rates share a small common
    denominator Q (a grid of percentages, a ``linspace``), lines with the same amount modulo
    Q behave identically, so it runs over rates × residue classes instead (``"residues"``),
    which is the same arithmetic on far fewer columns.

    Returns a tidy frame: ``rate`` (float), ``rate_exact`` (Fraction), the group column
    (when ``by``), ``baseline``, ``amount`` and ``delta`` (int64 分).

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> sweep(led, [0, 0.1, "20%"], protect=PERSONNEL)    # 10% of the 40万元 not protected
       rate rate_exact   baseline     amount    delta
    0   0.0          0  100000000  100000000        0
    1   0.1       1/10  100000000   96000000 -4000000
    2   0.2        1/5  100000000   92000000 -8000000
    >>> sweep(led, [0.1], by="economic", level=1)[["economic", "delta"]]
      economic    delta
    0      301 -6000000
    1      302 -4000000
    """
    fracs = [_check_rate(as_rate(r), "a swept rate") for r in rates]
    amounts = ledger.frame["amount"].to_numpy(dtype=np.int64)
    eligible = _eligible(ledger, _wheres(protect), Where.of(on))
    groups, labels, baseline = _groups(ledger, by, level)
    cuts = _sweep_cuts(amounts[eligible], groups[eligible], len(labels), fracs, method)
    frame = _tidy(fracs, labels, baseline, cuts, by)
    if names and by in CODE_DIMENSIONS:
        codes = frame[by].astype("string")
        pos = list(frame.columns).index(by) + 1
        frame.insert(pos, f"{by}_zh", ledger.edition.names(codes, "zh"))
        frame.insert(pos + 1, f"{by}_en", ledger.edition.names(codes, "en"))
    return frame


def _groups(ledger: Ledger, by: str | None, level: int | None) -> tuple[I64, pd.Index, I64]:
    """Group number of each line, the group labels (sorted, unknown last), group totals."""
    frame = ledger.frame
    amounts = frame["amount"]
    if by is None:
        groups: I64 = np.zeros(len(frame), dtype=np.int64)
        return groups, pd.Index([None], dtype=object), np.array([amounts.sum()], dtype=np.int64)
    if by not in DIMENSIONS:
        raise ValueError(f"no dimension {by!r}; dimensions are {DIMENSIONS}")
    key = frame[by]
    if level is not None and by in CODE_DIMENSIONS:
        key = classification.roll_up(key, level)
    grouped = amounts.groupby(key, observed=True, dropna=False, sort=True)
    totals = grouped.sum()
    numbers: I64 = np.asarray(grouped.ngroup(), dtype=np.int64)
    sums: I64 = totals.to_numpy(dtype=np.int64)
    return numbers, totals.index, sums


def _tidy(fracs: Sequence[Fraction], labels: pd.Index, baseline: I64, cuts: I64,
          by: str | None) -> pd.DataFrame:
    k, g = len(fracs), len(labels)
    columns: dict[str, Any] = {
        "rate": np.repeat(np.array([float(r) for r in fracs], dtype=float), g),
        "rate_exact": np.repeat(_objects(fracs), g),
    }
    if by is not None:
        columns[by] = np.tile(labels.to_numpy(dtype=object), k)
    base = np.tile(baseline, k)
    columns |= {"baseline": base, "amount": base - cuts.ravel(), "delta": -cuts.ravel()}
    frame = pd.DataFrame(columns)
    if by is not None and by != "year":
        frame[by] = frame[by].astype("string")
    return frame


def _sweep_cuts(x: I64, g: I64, n_groups: int, fracs: Sequence[Fraction],
                method: str) -> I64:
    """The cut of each rate in each group (rates × groups, int64 分)."""
    if not fracs or x.size == 0:
        return np.zeros((len(fracs), n_groups), dtype=np.int64)
    total = int(x.sum())
    wanted = [_round_half_up(r * total) for r in fracs]
    q = _common_denominator(fracs)
    if method == "auto":
        method = "residues" if q is not None and _residues_pay(q, x.size, n_groups) else "lines"
    if method == "residues":
        if q is None or x.size * q >= 2**53:
            raise ValueError("the residue method needs rates with a common denominator ≤ 2**20")
        return _ResidueSweep(x, g, n_groups, q).cuts(fracs, wanted)
    if method == "lines":
        return _sweep_lines(x, g, n_groups, fracs, wanted)
    raise ValueError(f"method must be 'auto', 'residues' or 'lines', not {method!r}")


def _common_denominator(fracs: Sequence[Fraction], limit: int = _Q_MAX) -> int | None:
    """The least common denominator of the rates, or ``None`` if it exceeds ``limit``."""
    q = 1
    for r in fracs:
        q = math.lcm(q, r.denominator)
        if q > limit:
            return None
    return q


def _residues_pay(q: int, n: int, n_groups: int) -> bool:
    residues = min(q, n)
    return n * q < 2**53 and residues * n_groups <= 2**24 and q + residues * (n_groups + 8) < 8 * n


def _sweep_lines(x: I64, g: I64, n_groups: int, fracs: Sequence[Fraction],
                 wanted: Sequence[int]) -> I64:
    """Rates × lines, chunked: exact quotas, Hamilton per rate, sums by group."""
    order = np.argsort(g, kind="stable")
    xs, gs = x[order], g[order]
    starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
    out = np.zeros((len(fracs), n_groups), dtype=np.int64)
    common = _common_denominator(fracs, _I63 // max(int(x.max()), 1))
    step = max(1, _CHUNK // x.size)
    for lo in range(0, len(fracs), step):
        chunk = fracs[lo:lo + step]
        base, rem = _rows_muldiv(xs, chunk, common)
        extra = np.array(wanted[lo:lo + step], dtype=np.int64) - base.sum(axis=1)
        for row in np.flatnonzero(extra > 0):
            _add_top(base[row], rem[row], int(extra[row]), order)
        out[lo:lo + len(chunk), gs[starts]] = np.add.reduceat(base, starts, axis=1)
    return out


def _rows_muldiv(xs: I64, chunk: Sequence[Fraction], common: int | None
                 ) -> tuple[I64, I64]:
    """Quotas of a chunk of rates over the lines; one scalar divisor when the rates share a
    denominator small enough for int64 (numpy divides by a scalar several times faster)."""
    if common is not None:
        p = np.array([r.numerator * (common // r.denominator) for r in chunk], dtype=np.int64)
        return _muldiv(xs[None, :], p[:, None], common)
    nums = [r.numerator for r in chunk]
    dens = [r.denominator for r in chunk]
    if max(dens) < _I63:
        p = np.array(nums, dtype=np.int64)[:, None]
        q = np.array(dens, dtype=np.int64)[:, None]
        return _muldiv(xs[None, :], p, q)
    rows = [_muldiv(xs, n, d) for n, d in zip(nums, dens, strict=True)]
    return np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])


class _ResidueSweep:
    """Rates P/Q over lines compressed to residue classes ``amount mod Q`` (internal).

    ``floor(P·x/Q) = P·(x // Q) + floor(P·s/Q)`` and the remainder ``P·s mod Q`` depend on a
    line only through its residue s, so the per-line arithmetic is done once per residue
    class and weighted by how many lines (of each group) share it. Only the lines tied at a
    rate's threshold remainder are looked at individually, to give the last 分 in line order.
    """

    def __init__(self, x: I64, g: I64, n_groups: int, q: int) -> None:
        self.q, self.g, self.n_groups = q, g, n_groups
        whole, residue = np.divmod(x, q)
        present = np.bincount(residue, minlength=q) > 0  # residues are < q: no sort needed
        self.residues = np.flatnonzero(present)
        n_res = self.residues.size
        inverse = (np.cumsum(present) - 1)[residue]
        counts = np.bincount(g * n_res + inverse, minlength=n_groups * n_res)
        self.h_groups = counts.reshape(n_groups, n_res).astype(np.float64).T  # residues × groups
        self.h = self.h_groups.sum(axis=1)
        self.whole = _group_sums(whole, g, n_groups)
        small = inverse.astype(np.uint16) if n_res <= 2**16 else inverse  # radix sort
        self.lines_by_residue = np.argsort(small, kind="stable")
        sizes = np.bincount(inverse, minlength=n_res)
        self.ends = np.cumsum(sizes)
        self.starts = self.ends - sizes

    def cuts(self, fracs: Sequence[Fraction], wanted: Sequence[int]) -> I64:
        p_all = np.array([r.numerator * (self.q // r.denominator) for r in fracs], dtype=np.int64)
        out = np.zeros((len(fracs), self.n_groups), dtype=np.int64)
        step = max(1, _CHUNK_RESIDUES // max(self.q, self.residues.size))
        for lo in range(0, len(fracs), step):
            p = p_all[lo:lo + step]
            out[lo:lo + p.size] = self._chunk(p, np.array(wanted[lo:lo + p.size], dtype=object))
        return out

    def _chunk(self, p: I64, wanted: npt.NDArray[Any]) -> I64:
        """Cuts by group for a chunk of rates P/Q: the rounded-down quotas plus leftover 分."""
        quot, rem = np.divmod(p[:, None] * self.residues[None, :], self.q)
        floors = p * int(self.whole.sum()) + _exact_matmul(quot, self.h[:, None])[:, 0]
        extra = (wanted - floors.astype(object)).astype(np.int64)
        threshold, ties, full = self._threshold(rem, extra)
        at = rem == threshold[:, None]
        units = quot + (rem > threshold[:, None]) + (at & full[:, None])
        cuts = p[:, None] * self.whole[None, :] + _exact_matmul(units, self.h_groups)
        for row in np.flatnonzero(~full):
            cuts[row] += self._first_lines(np.flatnonzero(at[row]), int(ties[row]))
        return cuts

    def _threshold(self, rem: I64, extra: I64) -> tuple[I64, I64, Bools]:
        """Per rate: the smallest remainder that still gets a 分, how many lines at it get
        one, and whether that is all of them (so no line order is needed)."""
        k = rem.shape[0]
        hist = np.bincount((np.arange(k)[:, None] * self.q + rem).ravel(),
                           weights=np.broadcast_to(self.h, rem.shape).ravel(),
                           minlength=k * self.q).reshape(k, self.q)
        from_top = np.cumsum(hist[:, ::-1], axis=1)
        j = np.argmax(from_top >= extra[:, None], axis=1)
        rows = np.arange(k)
        above = np.where(j > 0, from_top[rows, np.maximum(j - 1, 0)], 0).astype(np.int64)
        some = extra > 0
        threshold = np.where(some, self.q - 1 - j, self.q)
        ties = np.where(some, extra - above, 0)
        full = ~some | (ties == hist[rows, np.minimum(threshold, self.q - 1)])
        return threshold, ties, full

    def _first_lines(self, residue_ids: I64, m: int) -> I64:
        """Group counts of the first ``m`` lines (in line order) in these residue classes."""
        lines = self.lines_by_residue[_ranges(self.starts[residue_ids], self.ends[residue_ids])]
        first = np.partition(lines, m - 1)[:m] if m < lines.size else lines
        return np.bincount(self.g[first], minlength=self.n_groups).astype(np.int64, copy=False)


def _objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _group_sums(values: I64, g: I64, n_groups: int) -> I64:
    out = np.zeros(n_groups, dtype=np.int64)
    np.add.at(out, g, values)
    return out


def _exact_matmul(a: npt.NDArray[Any], b: npt.NDArray[np.float64]) -> I64:
    """A product of small non-negative integers through BLAS (exact below 2**53)."""
    return np.rint(a.astype(np.float64) @ b).astype(np.int64)


def _ranges(starts: I64, ends: I64) -> I64:
    """The concatenation of ``range(s, e)`` for each pair, without a Python loop."""
    lengths = ends - starts
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return (offsets + np.arange(int(lengths.sum()))).astype(np.int64, copy=False)


# ---------------------------------------------------------------------- comparison and charts
def compare(baseline: Ledger, *results: ScenarioResult | Ledger, by: str = "economic",
            level: int | None = 1, names: bool = False) -> pd.DataFrame:
    """The baseline and each result side by side by one dimension, with each one's delta.

    Columns: the group (and its names with ``names=True``), ``baseline``, then for each
    result its scenario name (amount, 分) and ``"<name> Δ"``.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> a = Scenario("a").protect(PERSONNEL).cut(rate="10%").apply(led)
    >>> b = Scenario("b").cut(rate="5%").apply(led)
    >>> compare(led, a, b)
      economic  baseline         a      a Δ         b      b Δ
    0      301  60000000  60000000        0  57000000 -3000000
    1      302  40000000  36000000 -4000000  38000000 -2000000
    """
    out = baseline.by(by, level=level, names=names).rename(columns={"amount": "baseline"})
    out[by] = out[by].astype("object")
    for i, res in enumerate(results, 1):
        label = _label(res, i, set(out.columns))
        ledger = res.ledger if isinstance(res, ScenarioResult) else res
        other = ledger.by(by, level=level).rename(columns={"amount": label})
        other[by] = other[by].astype("object")
        out = out.merge(other, on=by, how="outer")
        out[["baseline", label]] = out[["baseline", label]].fillna(0).astype("int64")
        out[f"{label} Δ"] = out[label] - out["baseline"]
    return out


def _label(res: ScenarioResult | Ledger, i: int, taken: set[str]) -> str:
    label = f"scenario {i}"
    if isinstance(res, ScenarioResult):
        label = res.scenario.name or label
        if not res.feasible:
            label += " [infeasible]"
    while label in taken:
        label += f" #{i}"
    return label


def waterfall(result: ScenarioResult, *, by: str = "economic", level: int | None = 1,
              unit: str = "万元", ax: Axes | None = None,
              prefer: Literal["zh", "en"] = "zh", unknown: str | None = None) -> Axes:
    """A waterfall chart from the baseline total through each group's change to the result.

    Labels are Chinese when a CJK font is installed (:func:`fiscalkit.plot.label_column`),
    English otherwise; ``unknown`` names the group of lines whose ``by`` is unknown (e.g.
    projects published without an economic code). Needs matplotlib (optional), imported here.

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records(  # 基本工资 60万元, 办公费 30万元, 劳务费 10万元
    ...     [{"year": 2021, "economic": c, "amount": a}
    ...      for c, a in [("30101", "60"), ("30201", "30"), ("30226", "10")]], unit="万元")
    >>> from matplotlib.figure import Figure
    >>> result = Scenario("压减").protect(PERSONNEL).cut(rate="10%").apply(led)
    >>> ax = waterfall(result, ax=Figure().subplots(), prefer="en")
    >>> [t.get_text() for t in ax.get_xticklabels()]    # 30201 -3万元, 30226 -1万元
    ['baseline', '302 Goods and services', 'scenario']
    >>> [float(p.get_height()) for p in ax.patches]   # 万元: start, the cut, end
    [100.0, 4.0, 96.0]
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from fiscalkit.plot import label_column

    lang: Literal["zh", "en"] = "zh" if label_column(prefer) == "name_zh" else "en"
    steps = result.deltas(by, level=level, names=by in CODE_DIMENSIONS)
    steps = steps[steps["delta"] != 0]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.1 * (len(steps) + 2)), 4.5))
    first, last, down, up = _WORDS[lang]
    deltas = [int(v) for v in steps["delta"]]
    _draw_steps(ax, int(result.baseline.frame["amount"].sum()), deltas, fen_per(unit))
    labels = [first, *_step_labels(steps, by, lang, unknown), last]
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_ylabel(unit)
    ax.set_title(result.scenario.name or "")
    signs = [(_CUT, down, any(v < 0 for v in deltas)), (_RISE, up, any(v > 0 for v in deltas))]
    ax.legend(handles=[Patch(color=c, label=t) for c, t, present in signs if present])
    return ax


_CUT, _RISE = "#c0392b", "#27ae60"


def _draw_steps(ax: Axes, start: int, deltas: Sequence[int], scale: int) -> None:
    """The bars: the start total, one floating bar per change, the end total."""
    ax.bar(0, start / scale, color="#6b7b8c")
    level = start
    for i, delta in enumerate(deltas, 1):
        ax.bar(i, abs(delta) / scale, bottom=min(level, level + delta) / scale,
               color=_CUT if delta < 0 else _RISE)
        level += delta
    ax.bar(len(deltas) + 1, level / scale, color="#2c3e50")


_WORDS: Final = {"zh": ("基线", "方案", "削减", "增加"),
                 "en": ("baseline", "scenario", "cut", "increase")}


def _step_labels(steps: pd.DataFrame, by: str, lang: str, unknown: str | None) -> list[str]:
    codes = steps[by].astype("object").tolist()
    names = steps[f"{by}_{lang}"].tolist() if f"{by}_{lang}" in steps else [""] * len(codes)
    unknown = unknown or ("未分类" if lang == "zh" else "unknown")
    return [unknown if pd.isna(c) else f"{c} {n}" if isinstance(n, str) and n else str(c)
            for c, n in zip(codes, names, strict=True)]
