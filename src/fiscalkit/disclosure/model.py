"""The disclosure model: ledger views, stated figures and their small expression languages.

A disclosure is two things: the **money**, line by line, and the **claims** the document
makes about it. Disclosures publish the money as several *marginal* tables (spending by
functional class, by economic class, a list of projects) that each cover the same money a
different way, so a :class:`Disclosure` holds named **views**: each view is a
:class:`~fiscalkit.ledger.Ledger` whose lines partition that view's money, and views overlap.

Every number the document states is a row of the **stated-figures table** (see
:data:`FIGURE_COLUMNS`): its value as printed, unit, published precision (the quantum of its
last digit), kind, and what it measures — a ``selector`` on a view of the ledger and/or a
``relation`` to other figures. Both are tiny, closed languages parsed with regular
expressions (nothing from input is ever evaluated as code)::

    selector := ("sum" | "count") "(" term (" " term)* ")"
    term     := key "=" value ("|" value)*          # view=economic economic=301|302
    relation := call (";" call)*
    call     := ("sum" | "share" | "diff" | "pct_change" | "same" | "le") "(" id ("," id)* ")"

``sum(a, b)`` means this figure = a + b; ``share(p, w)`` = p / w × 100; ``diff(a, b)`` = a − b;
``pct_change(new, old)`` = (new − old) / old × 100; ``same(a)`` = a; ``le(a)``: this ≤ a.

"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Final, Literal, TypeVar

import pandas as pd

from fiscalkit.errors import InvalidValueError, MissingColumnError, ParseError
from fiscalkit.ledger import Ledger
from fiscalkit.units import UNITS, fen_per

__all__ = [
    "FIGURE_COLUMNS",
    "FIGURE_KINDS",
    "RELATIONS",
    "Call",
    "Disclosure",
    "Selector",
    "StatedFigure",
    "evaluate",
    "figures_from_frame",
    "parse_relation",
    "parse_selector",
]

#: Columns of a stated-figures table (the ``figures.csv`` of a dataset).
FIGURE_COLUMNS: Final = ("id", "year", "label_zh", "label_en", "value", "unit", "precision",
                         "kind", "selector", "relation", "status", "sentence", "note")
#: What a figure is: an amount of money, a share, a change, or a count.
FIGURE_KINDS: Final = ("amount", "share", "change", "count")
#: The functions of the relation language.
RELATIONS: Final = ("sum", "share", "diff", "pct_change", "same", "le")
_PERCENT: Final = ("%", "％")


#: The exact number types a relation is evaluated in.
Num = TypeVar("Num", Decimal, Fraction)


# ---------------------------------------------------------------------- figure expressions
@dataclass(frozen=True)
class Selector:
    """What a figure measures on the ledger: a statistic over the lines of one view.

    >>> sel = Selector("sum", "economic", {"economic": ("301", "302")})
    >>> str(sel)
    'sum(view=economic economic=301|302)'
    >>> parse_selector(str(sel)) == sel
    True
    """

    stat: Literal["sum", "count"]
    view: str | None
    criteria: Mapping[str, tuple[str, ...]]

    def __str__(self) -> str:
        terms = ([f"view={self.view}"] if self.view else []) + [
            f"{k}={'|'.join(v)}" for k, v in self.criteria.items()]
        return f"{self.stat}({' '.join(terms)})"


@dataclass(frozen=True)
class Call:
    """One relation of a figure to others: ``fn(args…)``.

    >>> str(Call("share", ("expenditure.project", "expenditure.total")))
    'share(expenditure.project, expenditure.total)'
    """

    fn: str
    args: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.fn}({', '.join(self.args)})"


_SELECTOR = re.compile(r"^\s*(sum|count)\((.*)\)\s*$")
_CALL = re.compile(r"^\s*([a-z_]+)\(([^()]*)\)\s*$")


def parse_selector(text: str, *, where: str | None = None) -> Selector:
    """Parse ``sum(view=economic economic=301)``.

    >>> parse_selector("sum(view=economic economic=301|302)")
    Selector(stat='sum', view='economic', criteria={'economic': ('301', '302')})
    >>> parse_selector("count(view=projects)").stat
    'count'
    """
    m = _SELECTOR.match(text)
    if not m:
        raise ParseError(f"not a selector: {text!r} (expected sum(...) or count(...))",
                         where=where)
    view: str | None = None
    criteria: dict[str, tuple[str, ...]] = {}
    for term in m.group(2).split():
        key, sep, value = term.partition("=")
        if not sep or not key or not value:
            raise ParseError(f"selector term {term!r} is not key=value", where=where)
        if key == "view":
            view = value
        else:
            criteria[key] = tuple(value.split("|"))
    stat: Literal["sum", "count"] = "sum" if m.group(1) == "sum" else "count"
    return Selector(stat, view, criteria)


def parse_relation(text: str, *, where: str | None = None) -> tuple[Call, ...]:
    """Parse ``sum(a, b); same(c)`` into calls, refusing unknown functions.

    >>> parse_relation("sum(a, b); same(c)")
    (Call(fn='sum', args=('a', 'b')), Call(fn='same', args=('c',)))
    >>> parse_relation("avg(a, b)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.ParseError: unknown relation 'avg'; known: sum, share, diff, ...
    """
    calls = []
    for part in filter(str.strip, text.split(";")):
        m = _CALL.match(part)
        if not m:
            raise ParseError(f"not a relation: {part.strip()!r}", where=where)
        fn, args = m.group(1), tuple(a.strip() for a in m.group(2).split(",") if a.strip())
        if fn not in RELATIONS:
            raise ParseError(f"unknown relation {fn!r}; known: {', '.join(RELATIONS)}",
                             where=where)
        if not args or (fn in ("share", "diff", "pct_change") and len(args) != 2) or (
                fn in ("same", "le") and len(args) != 1):
            raise ParseError(f"{fn} takes {'2' if fn in ('share', 'diff', 'pct_change') else '1'}"
                             f" argument(s), got {len(args)}: {part.strip()!r}", where=where)
        calls.append(Call(fn, args))
    return tuple(calls)


# ---------------------------------------------------------------------- stated figures
@dataclass(frozen=True)
class StatedFigure:
    """One number the document states, with its published precision and where it came from.

    >>> row = dict.fromkeys(FIGURE_COLUMNS, "") | {
    ...     "id": "gpb", "year": "2021", "label_zh": "一般公共预算收支预算", "value": "362.9",
    ...     "unit": "万元", "kind": "amount", "selector": "sum(view=function)"}
    >>> (fig,) = figures_from_frame(pd.DataFrame([row]))
    >>> fig.precision, fig.interval()
    (Decimal('0.1'), (Decimal('362.85'), Decimal('362.95')))
    >>> fig.round(Decimal("362.949")), fig.is_percent
    (Decimal('362.9'), False)
    """

    id: str
    year: int
    label_zh: str
    label_en: str
    value: Decimal
    unit: str
    precision: Decimal
    kind: str
    selector: Selector | None
    relations: tuple[Call, ...]
    status: str
    sentence: str
    note: str = ""

    @property
    def printed(self) -> str:
        """The value as the document printed it (sign aside)."""
        return f"{self.value:f}"

    @property
    def is_percent(self) -> bool:
        """Shares and percentage changes are stated in %."""
        return self.unit in _PERCENT

    def interval(self) -> tuple[Decimal, Decimal]:
        """The values that round half-up to the printed one: [v − q/2, v + q/2]."""
        half = self.precision / 2
        return self.value - half, self.value + half

    def round(self, value: Decimal) -> Decimal:
        """``value`` rounded half-up (away from zero) to this figure's precision."""
        return (value / self.precision).quantize(Decimal(1), ROUND_HALF_UP) * self.precision


def _decimal(value: Any, where: str) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except ArithmeticError:
        raise InvalidValueError(f"{value!r} is not a number", where=where) from None
    if not d.is_finite():
        raise InvalidValueError(f"{value!r} is not a finite number", where=where)
    return d


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def figures_from_frame(frame: pd.DataFrame, *, source: str = "figures") -> tuple[StatedFigure, ...]:
    """Validate a stated-figures table and turn its rows into :class:`StatedFigure` values.

    An empty ``precision`` is read off the printed value ("362.9" → 0.1).

    >>> rows = [dict.fromkeys(FIGURE_COLUMNS, "") | {"id": i, "year": "2021", "value": v,
    ...                                               "unit": "万元", "kind": "amount"}
    ...         for i, v in (("total", "400"), ("basic", "363"), ("project", "37"))]
    >>> rows[0]["relation"] = "sum(basic, project)"
    >>> figures = figures_from_frame(pd.DataFrame(rows))
    >>> [(f.id, f.printed, f.precision, [str(c) for c in f.relations]) for f in figures]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('total', '400', Decimal('1'), ['sum(basic, project)']),
     ('basic', '363', Decimal('1'), []), ('project', '37', Decimal('1'), [])]
    """
    missing = [c for c in FIGURE_COLUMNS if c not in frame.columns]
    if missing:
        raise MissingColumnError(f"missing column(s) {missing}", where=source)
    out: list[StatedFigure] = []
    seen: set[str] = set()
    for i, row in enumerate(frame.fillna("").astype(str).to_dict("records")):
        where = f"{source}, row {i + 2} ({row['id']})"
        if not row["id"] or row["id"] in seen:
            raise InvalidValueError(f"figure id {row['id']!r} is empty or repeated", where=where)
        seen.add(row["id"])
        if row["kind"] not in FIGURE_KINDS:
            raise InvalidValueError(f"kind {row['kind']!r} is not one of {FIGURE_KINDS}",
                                    where=where)
        value = _decimal(row["value"], where)
        precision = (_decimal(row["precision"], where) if row["precision"].strip()
                     else Decimal(1).scaleb(_exponent(value)))
        if precision <= 0:
            raise InvalidValueError("precision must be positive", where=where)
        if value % precision != 0:
            raise InvalidValueError(
                f"value {row['value']} has digits finer than its precision {row['precision']}",
                where=where)
        out.append(StatedFigure(
            id=row["id"], year=int(_decimal(row["year"], where)), label_zh=row["label_zh"],
            label_en=row["label_en"], value=value, unit=row["unit"],
            precision=precision, kind=row["kind"],
            selector=parse_selector(row["selector"], where=where) if row["selector"] else None,
            relations=parse_relation(row["relation"], where=where), status=row["status"],
            sentence=row["sentence"], note=row["note"]))
    ids = {f.id for f in out}
    for f in out:
        for call in f.relations:
            unknown = [a for a in call.args if a not in ids]
            if unknown:
                raise InvalidValueError(f"relation {call} names unknown figure(s) {unknown}",
                                        where=f"{source} ({f.id})")
    return tuple(out)


# ---------------------------------------------------------------------- the disclosure
@dataclass(frozen=True)
class Disclosure:
    """Ledger views + stated figures + document metadata (entity, year, unit, staffing …).

    >>> import fiscalkit as fk
    >>> from fiscalkit.disclosure import narrate
    >>> led = fk.Ledger.from_records([{"year": 2021, "kind": "basic", "amount": "204000"},
    ...                               {"year": 2021, "kind": "project", "amount": "169000"}])
    >>> d = Disclosure({"main": led}, narrate(led, unit="万元", decimals=0))
    >>> d.recompute()[["id", "published", "recomputed", "differs"]].head(2)
               id published recomputed  differs
    0       total        37       37.3    False
    1  kind.basic        20       20.4    False
    """

    views: Mapping[str, Ledger]
    figures: tuple[StatedFigure, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    indicators: pd.DataFrame | None = None
    source_text: str | None = None

    def __post_init__(self) -> None:
        for f in self.figures:
            if f.selector and f.selector.view and f.selector.view not in self.views:
                raise InvalidValueError(
                    f"figure {f.id} measures view {f.selector.view!r}, which the disclosure "
                    f"lacks (views: {sorted(self.views)})")

    @property
    def name(self) -> str:
        """The dataset name, or the entity and year."""
        return str(self.metadata.get("name") or
                   f"{self.entity} {self.metadata.get('year', '')}".strip())

    @property
    def entity(self) -> str:
        """The entity's Chinese name as published."""
        ent = self.metadata.get("entity", "")
        return str(ent.get("name_zh", "") if isinstance(ent, Mapping) else ent)

    @property
    def ledger(self) -> Ledger:
        """The main view: ``main`` if there is one, else the first."""
        return self.views["main"] if "main" in self.views else next(iter(self.views.values()))

    def figure(self, figure_id: str) -> StatedFigure:
        """A stated figure by id."""
        for f in self.figures:
            if f.id == figure_id:
                return f
        raise KeyError(figure_id)

    def __iter__(self) -> Iterator[StatedFigure]:
        return iter(self.figures)

    def figures_frame(self) -> pd.DataFrame:
        """The stated figures as a table (values as printed)."""
        return pd.DataFrame([{
            "id": f.id, "year": f.year, "label_zh": f.label_zh, "label_en": f.label_en,
            "value": f.printed, "unit": f.unit, "precision": f"{f.precision:f}", "kind": f.kind,
            "selector": str(f.selector or ""), "relation": "; ".join(map(str, f.relations)),
            "status": f.status, "sentence": f.sentence, "note": f.note} for f in self.figures],
            columns=list(FIGURE_COLUMNS))

    def measure(self, selector: Selector, unit: str) -> Decimal:
        """Evaluate a selector on its view, exactly, in ``unit`` (a count ignores the unit)."""
        ledger = self.views[selector.view] if selector.view else self.ledger
        sub = ledger.select(**{k: list(v) for k, v in selector.criteria.items()})
        if selector.stat == "count":
            return Decimal(len(sub))
        return Decimal(int(sub.frame["amount"].sum())) / fen_per(unit)

    def recompute(self) -> pd.DataFrame:
        """Each stated figure beside the value fiscalkit computes for it.

        From the ledger where the figure has a selector; otherwise from its first relation
        over the other figures' *published* values. ``recomputed`` is exact; ``rounded`` is
        it at the published precision; ``differs`` marks a disagreement at that precision.
        """
        values = {f.id: f.value for f in self.figures}
        rows = []
        for f in self.figures:
            exact, basis = self._recompute_one(f, values)
            rounded = f.round(exact) if exact is not None else None
            rows.append({
                "id": f.id, "label_zh": f.label_zh, "label_en": f.label_en, "unit": f.unit,
                "published": f.value, "recomputed": exact, "rounded": rounded, "basis": basis,
                "differs": rounded is not None and rounded != f.value,
                "status": f.status, "sentence": f.sentence})
        return pd.DataFrame(rows)

    def _recompute_one(self, f: StatedFigure, values: Mapping[str, Decimal]
                       ) -> tuple[Decimal | None, str]:
        if f.selector is not None:
            unit = "元" if f.kind == "count" or f.unit not in _money_units() else f.unit
            return self.measure(f.selector, unit), f"ledger: {f.selector}"
        for call in f.relations:
            value = evaluate(call, values)
            if value is not None:
                return value, f"relation: {call}"
        return None, ""


def _money_units() -> tuple[str, ...]:
    return tuple(s for u in UNITS for s in (u.name, *u.spellings))


def evaluate(call: Call, values: Mapping[str, Num]) -> Num | None:
    """The value a relation gives from point values; ``None`` for ``le`` or 0/0.

    Works on Decimals (what a document printed) and on Fractions (the reconciliation's exact
    arithmetic), so the meaning of each relation is written once.

    >>> evaluate(Call("share", ("part", "whole")), {"part": Decimal("37"), "whole": Decimal("400")})
    Decimal('9.2500')
    >>> evaluate(Call("le", ("whole",)), {"whole": Decimal("400")}) is None
    True
    """
    args = [values[a] for a in call.args]
    if call.fn == "sum":
        total = args[0]
        for a in args[1:]:
            total = total + a
        return total
    if call.fn == "same":
        return args[0]
    if call.fn == "diff":
        return args[0] - args[1]
    if call.fn == "share":
        return None if args[1] == 0 else args[0] / args[1] * 100
    if call.fn == "pct_change":
        return None if args[1] == 0 else (args[0] - args[1]) / args[1] * 100
    return None
