"""Reconciliation: which published figures agree, and which contradict each other or the ledger.

Every stated figure carries its published precision, so "37万元" stands for the interval
[36.5, 37.5] and "82%" for [81.5, 82.5]. Each check is run under two readings:

- **exact** — every figure means exactly what it prints (trailing zeros dropped);
- **rounded** — every figure may have been rounded half-up at its last printed digit.

A check that fails under the rounded reading is an **error**: the figures contradict each
other however they were rounded. One that holds only under the rounded reading is a
**warning** naming the difference and which figures' rounding can absorb it — "363" for a
ledger's 362.9 is such a case, and so is "37" for six projects totalling 37.3. Shares and
percentage changes are rounded by nature, so for them the rounded reading of the figure
itself is the exact one. Intervals propagate through sums, differences and ratios with exact
rational arithmetic; no tolerance is ever typed in.

Rules (each a small function returning findings):

==============  ==========================================================================
rule            checks that
==============  ==========================================================================
``ledger``      a figure with a selector equals the ledger's value
``sum``         a total equals the sum of its parts
``share``       a share equals part / whole
``diff``        a change equals the difference of the two years
``pct_change``  a percentage change equals (new − old) / old
``same``        the same quantity stated in two places agrees
``le``          a part does not exceed its whole
``home``        a heuristic: an economic item sits under its functional home (housing fund
                under 221 住房保障, pensions under 208, medical contributions under 210)
==============  ==========================================================================

>>> from fiscalkit import datasets
>>> report = reconcile(datasets.load(datasets.available()[0]))
>>> report.checks > 0
True
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from importlib import resources
from typing import Final

import numpy as np
import pandas as pd

from fiscalkit.disclosure.model import Call, Disclosure, StatedFigure, evaluate
from fiscalkit.findings import FigureRef, Finding, Report, Severity
from fiscalkit.units import UNITS, fen_per

__all__ = ["CrossTab", "Interval", "estimate_crosstab", "reconcile"]

_MONEY_UNITS: Final = frozenset(s for u in UNITS for s in (u.name, *u.spellings))


@dataclass(frozen=True)
class Interval:
    """A closed interval of exact rationals.

    >>> thirty_seven = Interval(Fraction(73, 2), Fraction(75, 2))   # "37" printed to the unit
    >>> (thirty_seven + thirty_seven).decimals()
    (Decimal('73'), Decimal('75'))
    >>> thirty_seven.meets(Interval.point(Fraction(373, 10)))       # 37.3 rounds to 37
    True
    """

    lo: Fraction
    hi: Fraction

    @classmethod
    def point(cls, v: Fraction) -> Interval:
        return cls(v, v)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, k: Fraction) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def divide(self, other: Interval) -> Interval | None:
        """self / other, or ``None`` when ``other`` may be zero."""
        if other.lo <= 0 <= other.hi:
            return None
        q = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(q), max(q))

    def meets(self, other: Interval) -> bool:
        """Whether some value lies in both, taking the ends as rounding cells do.

        A published figure covers a half-open cell ([v − q/2, v + q/2) for v ≥ 0, mirrored
        below zero), and sums, differences and ratios of cells are open where a cell is. Two
        cells that merely touch therefore share no value: "6" and "7" cannot be one number.
        """
        return self.lo < other.hi and other.lo < self.hi

    def contains(self, v: Fraction) -> bool:
        return self.lo <= v <= self.hi

    def decimals(self) -> tuple[Decimal | None, Decimal | None]:
        return _dec(self.lo), _dec(self.hi)


def _dec(v: Fraction) -> Decimal:
    """An exact rational as a Decimal: exact when it terminates, else to 10 places."""
    with localcontext() as ctx:
        ctx.prec = max(60, len(str(abs(v.numerator))) + 20)
        d = Decimal(v.numerator) / Decimal(v.denominator)
        if d == d.to_integral_value():
            return d.quantize(Decimal(1))
        return d.quantize(Decimal("1e-10")).normalize()


def _txt(v: Fraction | Decimal) -> str:
    """A number for a message: exact when short, else to four decimals (data stay exact)."""
    d = _dec(v) if isinstance(v, Fraction) else v
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        d = d.quantize(Decimal("1e-4")).normalize()
    return f"{d:f}"


def _frac(d: Decimal) -> Fraction:
    return Fraction(d)


class _Figures:
    """Exact values and rounding intervals of a disclosure's figures, in common units.

    Money is held in 分 whatever unit it was printed in, so a relation between a text figure
    in 万元 and a table figure in 元 compares like with like; ``scale`` turns a value back
    into the unit its figure was printed in.
    """

    def __init__(self, figures: Sequence[StatedFigure]) -> None:
        self.by_id = {f.id: f for f in figures}
        self.point: dict[str, Fraction] = {}
        self.interval: dict[str, Interval] = {}
        self.scale: dict[str, int] = {}
        for f in figures:
            k = fen_per(f.unit) if f.unit in _MONEY_UNITS else 1
            self.scale[f.id] = k
            v = _frac(f.value) * k
            self.point[f.id] = v
            half = _frac(f.precision) * k / 2
            self.interval[f.id] = Interval(v - half, v + half)
        # derived figures are as uncertain as what they were derived from
        for f in figures:
            if f.status == "derived" and f.relations:
                iv = _relation_interval(f.relations[0], self)
                if iv is not None:
                    self.interval[f.id] = iv

    def show(self, fid: str, value: Fraction) -> Decimal:
        """A value in common units shown in the unit figure ``fid`` was printed in."""
        return _dec(value / self.scale[fid])

    def shown(self, fid: str, iv: Interval) -> Interval:
        """An interval in common units, in the unit figure ``fid`` was printed in."""
        return iv.scale(Fraction(1, self.scale[fid]))

    def ref(self, fid: str) -> FigureRef:
        f = self.by_id[fid]
        return FigureRef(fid, f.label_zh, f.printed, f.unit, f.sentence)


def _relation_interval(call: Call, figs: _Figures) -> Interval | None:
    ivs = [figs.interval[a] for a in call.args]
    if call.fn == "sum":
        total = ivs[0]
        for iv in ivs[1:]:
            total = total + iv
        return total
    if call.fn == "same":
        return ivs[0]
    if call.fn == "diff":
        return ivs[0] - ivs[1]
    if call.fn == "share":
        q = ivs[0].divide(ivs[1])
        return None if q is None else q.scale(Fraction(100))
    if call.fn == "pct_change":
        q = (ivs[0] - ivs[1]).divide(ivs[1])
        return None if q is None else q.scale(Fraction(100))
    return None


def _relation_point(call: Call, figs: _Figures) -> Fraction | None:
    return evaluate(call, figs.point)


def _rounded_by_nature(f: StatedFigure) -> bool:
    """Shares and percentages are never exact: their own rounding is the exact reading."""
    return f.kind == "share" or f.unit in ("%", "％")


def _round(f: StatedFigure, v: Fraction) -> Fraction:
    q = _frac(f.precision)
    n = v / q
    r = Fraction(int(abs(n) + Fraction(1, 2))) * (1 if n >= 0 else -1)
    return r * q


# ---------------------------------------------------------------------- explanations
def _explain_gap(gap: Fraction, fid: str, figs: _Figures, exclude: Iterable[str],
                 slack: Fraction) -> str:
    """Name stated figures (or a pair of them) equal to ``gap`` within rounding.

    ``gap`` and ``slack`` are in common units (分 for money). Pairs are found by bisection
    over the sorted amounts, so a disclosure with a thousand figures stays fast.
    """
    f0 = figs.by_id[fid]
    if gap == 0 or f0.unit not in _MONEY_UNITS:
        return ""
    skip = set(exclude)
    pool = sorted(
        ((figs.point[f.id], _frac(f.precision) * figs.scale[f.id] / 2, f)
         for f in figs.by_id.values()
         if f.unit in _MONEY_UNITS and f.kind == "amount" and f.value > 0 and f.id not in skip
         and f.status == "stated"), key=lambda t: t[0])
    target = abs(gap)
    widest = max((h for _, h, _ in pool), default=Fraction(0))
    values = [v for v, _, _ in pool]
    hits = [f"{f.id} {f.label_zh} {f.printed}{f.unit}" for v, h, f in _near(
        pool, values, target, slack + widest) if abs(v - target) <= slack + h]
    if not hits:
        for i, (va, ha, a) in enumerate(pool):
            for vb, hb, b in _near(pool[i + 1:], values[i + 1:], target - va,
                                   slack + ha + widest):
                if abs(va + vb - target) <= slack + ha + hb:
                    hits.append(f"{a.id} + {b.id} ({a.printed}{a.unit} + {b.printed}{b.unit})")
            if len(hits) >= 3:
                break
    if not hits:
        return ""
    return (f"the gap of {_txt(figs.show(fid, target))}{f0.unit} equals " + " or ".join(hits[:3])
            + " within rounding")


def _misprint(f: StatedFigure, exact: Fraction) -> str:
    """Say so when the printed value is ``exact`` truncated, or has a digit slipped in.

    Both are common in real files: a department that cuts 87.708 to "87.70" instead of
    rounding it to 87.71, or types "887.36" for 87.36. The finding stays an error (the printed
    figure is wrong either way); the explanation tells the reader which slip it looks like.
    ``exact`` is in the figure's own unit.
    """
    q = _frac(f.precision)
    if q <= 0 or f.kind != "amount":
        return ""
    cut = int(exact / q) * q  # int() cuts towards zero
    value = _frac(f.value)
    if cut == value and _round(f, exact) != value:
        return (f"{_txt(exact)}{f.unit} cut (not rounded) to its printed digits is "
                f"{f.printed}: the document truncates")
    digits = f.printed.replace(",", "").lstrip("-")
    target = f"{_dec(abs(_round(f, exact))).quantize(f.precision):f}"
    for i in range(len(digits)):
        if digits[i].isdigit() and digits[:i] + digits[i + 1:] == target:
            return (f"{f.printed} with its digit {digits[i]!r} (position {i + 1}) left out "
                    f"reads {target}, the value expected: a slipped key")
    return ""


def _near(pool: Sequence[tuple[Fraction, Fraction, StatedFigure]], values: Sequence[Fraction],
          centre: Fraction, radius: Fraction
          ) -> Sequence[tuple[Fraction, Fraction, StatedFigure]]:
    """The entries of a value-sorted pool within ``radius`` of ``centre``."""
    return pool[bisect.bisect_left(values, centre - radius):
                bisect.bisect_right(values, centre + radius)]


def _absorbers(gap: Fraction, ids: Sequence[str], figs: _Figures) -> str:
    """Which figures' rounding could absorb a difference, and by how much each."""
    names = [f"{i} (±{figs.by_id[i].precision / 2}{figs.by_id[i].unit})" for i in ids
             if _frac(figs.by_id[i].precision) * figs.scale[i] / 2 >= abs(gap) or len(ids) <= 2]
    if not names:
        names = [f"{i} (±{figs.by_id[i].precision / 2})" for i in ids]
    return ", ".join(names)


# ---------------------------------------------------------------------- rules
def _finding(rule: str, severity: Severity, message: str, ids: Sequence[str], figs: _Figures,
             expected: Interval | tuple[None, Fraction] | None, actual: Fraction | None,
             explanation: str = "") -> Finding:
    k = Fraction(1, figs.scale[ids[0]])
    if isinstance(expected, tuple):
        bounds: tuple[Decimal | None, Decimal | None] | None = (None, _dec(expected[1] * k))
    else:
        bounds = None if expected is None else expected.scale(k).decimals()
    return Finding(rule=rule, severity=severity, message=message,
                   figures=tuple(figs.ref(i) for i in dict.fromkeys(ids)),
                   expected=bounds,
                   actual=None if actual is None else _dec(actual * k), explanation=explanation)


def check_ledger(d: Disclosure, figs: _Figures) -> Iterator[Finding | None]:
    """Rule ``ledger``: a figure with a selector against the exact ledger value."""
    for f in d.figures:
        if f.selector is None:
            continue
        unit = f.unit if f.unit in _MONEY_UNITS else "元"
        actual = _frac(d.measure(f.selector, unit))  # in the figure's own unit
        k = figs.scale[f.id]
        value = _frac(f.value)
        label = f"{f.id} {f.label_zh} = {f.printed}{f.unit}"
        agrees_rounded = _round(f, actual) == value
        if actual == value or (_rounded_by_nature(f) and agrees_rounded):
            yield None
            continue
        gap = value - actual
        if agrees_rounded:
            yield _finding("ledger", "warning",
                           f"{label} agrees with the ledger's {_txt(actual)}{f.unit} only if "
                           f"it was rounded (by {_txt(abs(gap))}{f.unit})", [f.id], figs,
                           figs.interval[f.id], actual * k)
        else:
            why = (_misprint(f, actual)
                   or _explain_gap(gap * k, f.id, figs, [f.id], _frac(f.precision) * k / 2))
            yield _finding("ledger", "error",
                           f"{label} but the ledger ({f.selector}) gives {_txt(actual)}{f.unit}: "
                           f"off by {_txt(gap)}{f.unit}, outside its rounding", [f.id], figs,
                           figs.interval[f.id], actual * k, why)


def check_relations(d: Disclosure, figs: _Figures) -> Iterator[Finding | None]:
    """Rules ``sum``, ``share``, ``diff``, ``pct_change``, ``same`` and ``le``."""
    for f in d.figures:
        if f.status == "derived":
            continue  # a derived figure is defined by its relation; nothing to check
        for call in f.relations:
            yield _check_call(f, call, figs)


_VERB: Final = {"sum": "the sum of", "share": "the share", "diff": "the difference",
                "pct_change": "the change", "same": "the same figure as", "le": "at most"}


def _check_call(f: StatedFigure, call: Call, figs: _Figures) -> Finding | None:
    ids = [f.id, *call.args]
    own = figs.interval[f.id]
    v = figs.point[f.id]
    label = f"{f.id} {f.label_zh} = {f.printed}{f.unit}"
    args = ", ".join(f"{a} {figs.by_id[a].printed}{figs.by_id[a].unit}" for a in call.args)
    if call.fn == "le":
        bound = figs.point[call.args[0]]
        if v <= bound:
            return None
        severity: Severity = "warning" if own.lo < figs.interval[call.args[0]].hi else "error"
        return _finding("le", severity, f"{label} exceeds {call.args[0]} "
                        f"{figs.by_id[call.args[0]].printed}{figs.by_id[call.args[0]].unit}, "
                        "the whole it belongs to", ids, figs,
                        (None, figs.interval[call.args[0]].hi), v)
    point = _relation_point(call, figs)
    interval = _relation_interval(call, figs)
    if point is None or interval is None:
        return _finding(call.fn, "info", f"{label}: {call} cannot be checked (division by zero)",
                        ids, figs, None, None)
    exact_ok = point == v or (_rounded_by_nature(f) and _round(f, point) == v)
    if exact_ok:
        return None
    gap = v - point
    shown = figs.shown(f.id, interval)
    if own.meets(interval):
        value = _txt(figs.show(f.id, point))
        return _finding(call.fn, "warning",
                        f"{label} agrees with {_VERB[call.fn]} {call} = {value} "
                        f"only if figures were rounded (difference {_txt(figs.show(f.id, gap))}; "
                        f"roundings that can absorb it: {_absorbers(gap, ids, figs)})",
                        ids, figs, interval, v)
    why = ((_misprint(f, point / figs.scale[f.id]) if call.fn == "same" else "")
           or _explain_gap(gap, f.id, figs, ids, (own.hi - own.lo + interval.hi - interval.lo) / 2))
    return _finding(call.fn, "error",
                    f"{label} contradicts {call} over ({args}) = {_txt(figs.show(f.id, point))}: "
                    f"difference {_txt(figs.show(f.id, gap))}{f.unit} is outside every rounding "
                    f"(allowed [{_txt(shown.lo)}, {_txt(shown.hi)}])",
                    ids, figs, interval, v, why)


# ---------------------------------------------------------------------- cross-classification
def _homes() -> pd.DataFrame:
    path = resources.files("fiscalkit") / "data" / "reconcile" / "homes.csv"
    with resources.as_file(path) as p:
        return pd.read_csv(p, dtype=str, keep_default_na=False)


def _measuring(d: Disclosure, dim: str, codes: Sequence[str]) -> tuple[FigureRef, ...]:
    """The stated figures whose selector measures exactly ``codes`` (or some of them) of ``dim``."""
    wanted = set(codes)
    return tuple(
        FigureRef(f.id, f.label_zh, f.printed, f.unit, f.sentence) for f in d.figures
        if f.selector is not None and set(f.selector.criteria) == {dim}
        and set(f.selector.criteria[dim]) <= wanted)


def check_homes(d: Disclosure) -> Iterator[Finding | None]:
    """Rule ``home`` (heuristic, so warnings): economic items within their functional home.

    Line by line where a view states both codes; across views where one view states the
    economic breakdown and another the functional one, the home class must be at least as
    large as the items that belong in it (ledger amounts are exact, so no rounding enters;
    the finding cites the stated figures for both sides, whose rounding may explain it).
    """
    econ_views = [v for v in d.views.values() if v.frame["economic"].notna().any()]
    fn_views = [v for v in d.views.values() if v.frame["function"].notna().any()]
    for row in _homes().itertuples(index=False):
        econ_codes = str(row.economic).split("|")
        home_code = str(row.function)
        for view in d.views.values():
            lines = view.select(economic=econ_codes).frame
            both = lines[lines["function"].notna()]
            if both.empty:
                continue
            stray = both[~both["function"].astype("string").str.startswith(home_code)]
            yield None if stray.empty else Finding(
                "home", "warning",
                f"{row.name_zh} ({row.economic}) booked under function "
                f"{', '.join(map(str, stray['function'].unique()))}, "
                f"expected under {home_code} {row.function_zh}", explanation=str(row.note))
        for ev, fv in itertools.product(econ_views, fn_views):
            if ev is fv:
                continue
            items = int(ev.select(economic=econ_codes).frame["amount"].sum())
            home = int(fv.select(function=home_code).frame["amount"].sum())
            if items == 0:
                continue
            if items <= home:
                yield None
                continue
            home_figures = _measuring(d, "function", [home_code])
            yield Finding(
                "home", "warning",
                f"{row.name_zh} ({row.economic}) totals {_wan(items)}万元 in the economic "
                f"breakdown but its home class {home_code} {row.function_zh} holds only "
                f"{_wan(home)}万元: some of it is classified elsewhere, or a figure is rounded "
                f"({row.note})",
                figures=(*_measuring(d, "economic", econ_codes), *home_figures),
                expected=(Decimal(items) / fen_per("万元"), None),
                actual=Decimal(home) / fen_per("万元"),
                explanation=_rounded_home(d, home_figures, items - home))


def _rounded_home(d: Disclosure, home_figures: Sequence[FigureRef], short_fen: int) -> str:
    """Name the home-class figure whose published rounding could hide the shortfall."""
    for ref in home_figures:
        f = d.figure(ref.id)
        if f.unit in _MONEY_UNITS and Fraction(short_fen, fen_per(f.unit)) < _frac(f.precision) / 2:
            return (f"{f.id} {f.label_zh} was published as {f.printed}{f.unit}, to "
                    f"{f.precision}{f.unit}: the class may hold the items' full amount rounded "
                    "down")
    return ""


def _wan(fen: int) -> str:
    return f"{Decimal(fen) / fen_per('万元'):f}"


# ---------------------------------------------------------------------- entry point
def reconcile(disclosure: Disclosure) -> Report:
    """Run every rule on a disclosure and collect the findings with the count of checks run.

    Figures published from a ledger at 万元 (37 = 20 + 17 for 20.4 + 16.9) agree only if
    rounded: warnings. A figure no rounding explains is an error.

    >>> from dataclasses import replace
    >>> import fiscalkit as fk
    >>> from fiscalkit.disclosure import narrate
    >>> led = fk.Ledger.from_records([{"year": 2021, "kind": "basic", "amount": "204000"},
    ...                               {"year": 2021, "kind": "project", "amount": "169000"}])
    >>> figures = narrate(led, unit="万元", decimals=0)
    >>> reconcile(Disclosure({"main": led}, figures)).summary()
    {'checks': 6, 'findings': 5, 'error': 0, 'warning': 5, 'info': 0, 'passed': 1}
    >>> wrong = tuple(replace(f, value=Decimal(40)) if f.id == "total" else f for f in figures)
    >>> error = reconcile(Disclosure({"main": led}, wrong)).errors[0]
    >>> error.rule, error.expected, error.actual
    ('ledger', (Decimal('39.5'), Decimal('40.5')), Decimal('37.3'))
    """
    figs = _Figures(disclosure.figures)
    results: list[Finding | None] = [
        *check_ledger(disclosure, figs),
        *check_relations(disclosure, figs),
        *check_homes(disclosure),
    ]
    findings = [r for r in results if r is not None]
    return Report.of(findings, checks=len(results), subject=disclosure.name,
                     title="Reconciliation")



# ---------------------------------------------------------------------- cross-tab estimate
@dataclass(frozen=True)
class CrossTab:
    """An estimated function × economic table (元, floats: an estimate, not a stated amount).

    >>> import fiscalkit as fk
    >>> by_function = fk.Ledger.from_records([{"year": 2021, "function": "201", "amount": "90"},
    ...                                       {"year": 2021, "function": "221", "amount": "30"}])
    >>> by_economic = fk.Ledger.from_records([
    ...     {"year": 2021, "economic": "30101", "amount": "90"},
    ...     {"year": 2021, "economic": "30113", "amount": "20"},   # 住房公积金: home 221
    ...     {"year": 2021, "economic": "30201", "amount": "10"}])
    >>> ct = estimate_crosstab(Disclosure({"function": by_function, "economic": by_economic}))
    >>> ct.converged, ct.report.summary()["findings"]
    (True, 0)
    >>> ct.table.round(2)
         30101  30113  30201
    201   81.0    0.0    9.0
    221    9.0   20.0    1.0
    >>> bool(ct.structural_zeros.loc["201", "30113"])
    True
    """

    table: pd.DataFrame
    structural_zeros: pd.DataFrame
    iterations: int
    converged: bool
    report: Report


def estimate_crosstab(disclosure: Disclosure, *, function_level: int = 1,
                      economic_level: int = 2, max_iter: int = 10_000,
                      tol: float = 1e-9) -> CrossTab:
    """Estimate the function × economic cross-tab from the two published marginals.

    Iterative proportional fitting (alternately scaling rows and columns of a seed table to
    the marginal totals) from a uniform seed with **structural zeros**: an economic item
    with a known functional home (``data/reconcile/homes.csv``: housing fund → 221,
    pension contributions → 208, medical → 210) gets nothing outside it. Where the
    marginals cannot both be met under those zeros — a home class smaller than the items
    that must sit in it — IPF cannot converge; the report says where and by how much.

    >>> from fiscalkit import datasets
    >>> ct = estimate_crosstab(datasets.load(datasets.available()[0]))
    >>> ct.table.shape, ct.converged         # 住房公积金 23.16万元 > 221 住房保障 23万元
    ((4, 14), False)
    >>> [f.rule for f in ct.report.warnings]
    ['crosstab']
    """
    by_fn = _marginal(disclosure, "function", function_level)
    by_ec = _marginal(disclosure, "economic", economic_level)
    rows, cols = by_fn.index.tolist(), by_ec.index.tolist()
    allowed = pd.DataFrame(True, index=rows, columns=cols)
    for home in _homes().itertuples(index=False):
        for code in str(home.economic).split("|"):
            targets = [c for c in cols if c.startswith(code) or code.startswith(c)]
            for c in targets:
                allowed.loc[[r for r in rows if not r.startswith(str(home.function))], c] = False
    seed = allowed.to_numpy(dtype=float)
    r_target = by_fn.to_numpy(dtype=float)
    c_target = by_ec.to_numpy(dtype=float)
    table, iterations, converged = _ipf(seed, r_target, c_target, max_iter, tol)
    findings = list(_crosstab_findings(table, allowed, by_fn, by_ec, converged, iterations))
    estimate = pd.DataFrame(table / 100, index=rows, columns=cols)  # 分 → 元
    return CrossTab(estimate, ~allowed, iterations, converged,
                    Report.of(findings, checks=len(rows) + len(cols), subject=disclosure.name,
                              title="Cross-tab estimate"))


def _marginal(d: Disclosure, dim: str, level: int) -> pd.Series:
    views = [v for v in d.views.values() if v.frame[dim].notna().any()]
    if not views:
        return pd.Series(dtype="int64")
    view = max(views, key=lambda v: int(v.frame.loc[v.frame[dim].notna(), "amount"].sum()))
    by = view.by(dim, level=level).dropna()
    return pd.Series(by["amount"].to_numpy(), index=by[dim].astype(str).to_numpy())


def _ipf(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, max_iter: int, tol: float
         ) -> tuple[np.ndarray, int, bool]:
    m = seed.copy()
    scale = max(rows.sum(), 1.0)
    for i in range(1, max_iter + 1):
        rs = m.sum(axis=1)
        m *= np.divide(rows, rs, out=np.zeros_like(rows), where=rs > 0)[:, None]
        cs = m.sum(axis=0)
        m *= np.divide(cols, cs, out=np.zeros_like(cols), where=cs > 0)[None, :]
        if np.abs(m.sum(axis=1) - rows).max() / scale < tol:
            return m, i, True
    return m, max_iter, False


def _crosstab_findings(table: np.ndarray, allowed: pd.DataFrame, by_fn: pd.Series,
                       by_ec: pd.Series, converged: bool, iterations: int) -> Iterator[Finding]:
    if by_fn.sum() != by_ec.sum():
        yield Finding("crosstab", "warning",
                      f"the functional breakdown totals {_wan(int(by_fn.sum()))}万元 but the "
                      f"economic one {_wan(int(by_ec.sum()))}万元: the estimate cannot meet both")
    # Items restricted to the same classes compete for the same room: check each pattern
    # of allowed classes against every item confined within it (not item by item).
    patterns = {tuple(allowed.index[allowed[c].to_numpy()]) for c in allowed.columns}
    infeasible = False
    for homes in sorted(patterns):
        if len(homes) == len(allowed.index):
            continue
        inside = [c for c in allowed.columns
                  if set(allowed.index[allowed[c].to_numpy()]) <= set(homes)]
        room = int(by_fn[list(homes)].sum())
        need = int(by_ec[inside].sum())
        if need > room:
            infeasible = True
            yield Finding(
                "crosstab", "warning",
                f"economic {', '.join(inside)} need {_wan(need)}万元 inside "
                f"{', '.join(homes)} but the functional breakdown gives "
                f"{'that class' if len(homes) == 1 else 'those classes'} only {_wan(room)}万元 "
                f"(short by {_wan(need - room)}万元): the marginals cannot be reconciled "
                "under the known homes, unless a figure was rounded",
                expected=(Decimal(need) / fen_per("万元"), None),
                actual=Decimal(room) / fen_per("万元"))
    if not converged and not infeasible and by_fn.sum() == by_ec.sum():
        residual = float(np.abs(table.sum(axis=1) - by_fn.to_numpy(dtype=float)).max()) / 100
        yield Finding("crosstab", "info",
                      f"the fit did not converge in {iterations} iterations (largest row "
                      f"residual {residual:.2f}元) although the marginals look feasible: "
                      "raise max_iter")
