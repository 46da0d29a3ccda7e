"""A published budget disclosure: ledger views, stated figures, metadata — and its standard tables.

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

:func:`render_tables` turns a ledger (or a disclosure's best view for each table) back into
the national template's standard tables, in the published unit and precision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from fiscalkit import classification
from fiscalkit.errors import InvalidValueError, MissingColumnError, ParseError
from fiscalkit.ledger import Ledger
from fiscalkit.units import fen_per

__all__ = [
    "FIGURE_COLUMNS",
    "RELATIONS",
    "TABLES",
    "Call",
    "Disclosure",
    "Selector",
    "StatedFigure",
    "narrate",
    "parse_relation",
    "parse_selector",
    "render_tables",
]

FIGURE_COLUMNS: Final = ("id", "year", "label_zh", "label_en", "value", "unit", "precision",
                         "kind", "selector", "relation", "status", "sentence", "note")
FIGURE_KINDS: Final = ("amount", "share", "change", "count")
RELATIONS: Final = ("sum", "share", "diff", "pct_change", "same", "le")
_PERCENT: Final = ("%", "％")


# ---------------------------------------------------------------------- figure expressions
@dataclass(frozen=True)
class Selector:
    """What a figure measures on the ledger: a statistic over the lines of one view."""

    stat: Literal["sum", "count"]
    view: str | None
    criteria: Mapping[str, tuple[str, ...]]

    def __str__(self) -> str:
        terms = ([f"view={self.view}"] if self.view else []) + [
            f"{k}={'|'.join(v)}" for k, v in self.criteria.items()]
        return f"{self.stat}({' '.join(terms)})"


@dataclass(frozen=True)
class Call:
    """One relation of a figure to others: ``fn(args…)``."""

    fn: str
    args: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.fn}({', '.join(self.args)})"


_SELECTOR = re.compile(r"^\s*(sum|count)\((.*)\)\s*$")
_CALL = re.compile(r"^\s*([a-z_]+)\(([^()]*)\)\s*$")


def parse_selector(text: str, *, where: str | None = None) -> Selector:
    """Parse ``sum(view=economic economic=301)``."""
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
    """Parse ``sum(a, b); same(c)`` into calls, refusing unknown functions."""
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
    """One number the document states, with its published precision and where it came from."""

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
    """Ledger views + stated figures + document metadata (entity, year, unit, staffing …)."""

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
        return self.views.get("main") or next(iter(self.views.values()))

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
    from fiscalkit.units import UNITS
    return tuple(s for u in UNITS for s in (u.name, *u.spellings))


def evaluate(call: Call, values: Mapping[str, Decimal]) -> Decimal | None:
    """The exact value a relation gives from point values; ``None`` for ``le`` or 0/0."""
    args = [values[a] for a in call.args]
    if call.fn == "sum":
        return sum(args, Decimal(0))
    if call.fn == "same":
        return args[0]
    if call.fn == "diff":
        return args[0] - args[1]
    if call.fn == "share":
        return None if args[1] == 0 else args[0] / args[1] * 100
    if call.fn == "pct_change":
        return None if args[1] == 0 else (args[0] - args[1]) / args[1] * 100
    return None


# ---------------------------------------------------------------------- standard tables
@dataclass(frozen=True)
class TableSpec:
    """One standard table of the national template and the ledger dimension it needs."""

    name_zh: str
    name_en: str
    needs: str


TABLES: Final[tuple[TableSpec, ...]] = (
    TableSpec("收支总表", "Budget summary (income and expenditure)", "function"),
    TableSpec("收入总表", "Income summary by fund", "fund"),
    TableSpec("支出总表", "Expenditure summary by function", "function"),
    TableSpec("财政拨款收支总表", "Fiscal appropriations summary", "function"),
    TableSpec("一般公共预算支出表", "General public budget expenditure by function", "function"),
    TableSpec("一般公共预算基本支出表", "General public budget basic expenditure by economic class",
              "economic"),
    TableSpec("“三公”经费支出表", "“Three public” expenses", "economic"),
    TableSpec("政府性基金预算支出表", "Government fund budget expenditure by function", "function"),
)

#: "三公" items and the economic 款 that hold them (部门预算支出经济分类).
SANGONG: Final = (
    ("因公出国（境）费", "Official travel abroad", ("30212",)),
    ("公务用车购置费", "Official vehicle purchase", ("31013",)),
    ("公务用车运行维护费", "Official vehicle operation", ("30231",)),
    ("公务接待费", "Official hospitality", ("30217",)),
)
_APPROPRIATION_FUNDS: Final = ("general", "govfund", "soe")


def _fmt(fen: np.ndarray | int, unit: str, decimals: int) -> list[Decimal]:
    q = Decimal(1).scaleb(-decimals)
    factor = fen_per(unit)
    return [(Decimal(int(v)) / factor).quantize(q, ROUND_HALF_UP)
            for v in np.atleast_1d(np.asarray(fen, dtype=np.int64))]


def _kind_group(kind: pd.Series) -> pd.Series:
    s = kind.astype("string")
    return pd.Series(np.select([s.str.startswith("basic").fillna(False).to_numpy(),
                                (s == "project").fillna(False).to_numpy()],
                               ["基本支出", "项目支出"], "未区分"), index=kind.index)


def _hierarchy(ledger: Ledger, dim: str, columns: pd.Series | None, max_level: int
               ) -> pd.DataFrame:
    """Rows for every 类/款/项 present (each at its own level), with column groups."""
    df = ledger.frame
    codes = df[dim].astype("string")
    lengths = {1: 3, 2: 5, 3: 7}
    parts = []
    for level in range(1, max_level + 1):
        n = lengths[level]
        keep = (codes.str.len() >= n).fillna(False).to_numpy()
        rolled = codes.str[:n]
        frame = pd.DataFrame({"code": rolled[keep], "amount": df["amount"][keep]})
        frame["group"] = columns[keep] if columns is not None else "合计"
        parts.append(frame)
    unknown = codes.isna().to_numpy()
    if unknown.any():
        parts.append(pd.DataFrame({"code": "未分类", "amount": df["amount"][unknown],
                                   "group": columns[unknown] if columns is not None else "合计"}))
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index="code", columns="group", values="amount", aggfunc="sum",
                            fill_value=0).astype("int64")
    wide.insert(0, "合计", wide.sum(axis=1) if columns is not None else wide.pop("合计"))
    return wide


def _coded_table(ledger: Ledger, dim: str, columns: pd.Series | None, unit: str,
                 decimals: int, max_level: int, edition: classification.Edition
                 ) -> pd.DataFrame:
    if len(ledger) == 0:
        return pd.DataFrame({"科目编码": ["合计"], "科目名称": [""], "name_en": ["Total"],
                             "合计": _fmt(0, unit, decimals)})
    wide = _hierarchy(ledger, dim, columns, max_level)
    total = wide.loc[[c for c in wide.index if c == "未分类" or len(c) == 3]].sum()
    body = pd.concat([pd.DataFrame([total], index=["合计"]), wide])
    codes = pd.Series(body.index, dtype="string")
    out = pd.DataFrame({
        "科目编码": body.index,
        "科目名称": edition.names(codes, "zh").fillna("").to_numpy(),
        "name_en": edition.names(codes, "en").fillna("").to_numpy()})
    out.loc[0, "name_en"] = "Total"
    unstated = out["科目编码"] == "未分类"
    out.loc[unstated, ["科目名称", "name_en"]] = ["（未列明科目）", "(code not stated)"]
    for col in body.columns:
        out[str(col)] = pd.Series(_fmt(body[col].to_numpy(), unit, decimals), dtype=object)
    return out


def render_tables(source: Ledger | Disclosure, *, unit: str = "万元", decimals: int = 2,
                  max_level: int = 3) -> dict[str, pd.DataFrame]:
    """The national template's standard tables, from a ledger or a disclosure's views.

    Amounts are :class:`~decimal.Decimal` in ``unit`` rounded half-up to ``decimals``.
    Money never disappears from a table: lines whose kind (basic/project) or code the source
    does not state are shown in a column ``未区分`` or a row ``未分类`` rather than dropped.
    Given a :class:`Disclosure`, each table is drawn from the view that states the dimension
    the table needs for the most money.
    """
    tables: dict[str, pd.DataFrame] = {}
    for spec in TABLES:
        ledger = _best_view(source, spec.needs)
        tables[spec.name_zh] = _render(spec, ledger, unit, decimals, max_level)
    return tables


def _best_view(source: Ledger | Disclosure, dim: str) -> Ledger:
    if isinstance(source, Ledger):
        return source

    def known(led: Ledger) -> tuple[int, int]:
        f = led.frame
        return int(f.loc[f[dim].notna(), "amount"].sum()), int(f["amount"].sum())

    return max(source.views.values(), key=known)


def _render(spec: TableSpec, ledger: Ledger, unit: str, decimals: int, max_level: int
            ) -> pd.DataFrame:
    edition = ledger.edition
    if spec.name_zh == "收入总表":
        by = ledger.by("fund")
        fund_col = by["fund"].astype("string").fillna("unknown")
        row = {"单位名称": ", ".join(map(str, ledger.frame["entity"].dropna().unique())) or "合计",
               "合计": _fmt(int(by["amount"].sum()), unit, decimals)[0]}
        from fiscalkit.ledger import FUNDS
        for code, name in FUNDS.items():
            row[name] = _fmt(int(by.loc[fund_col == code, "amount"].sum()), unit, decimals)[0]
        unknown = int(by.loc[fund_col == "unknown", "amount"].sum())
        if unknown:
            row["未列明资金来源"] = _fmt(unknown, unit, decimals)[0]
        return pd.DataFrame([row])
    if spec.name_zh == "收支总表":
        return _summary(ledger, unit, decimals, funds=None)
    if spec.name_zh == "财政拨款收支总表":
        return _summary(ledger, unit, decimals, funds=_APPROPRIATION_FUNDS)
    if spec.name_zh == "“三公”经费支出表":
        return _sangong(ledger, unit, decimals)
    if spec.name_zh == "一般公共预算基本支出表":
        sub = ledger.select(fund="general", kind=["basic", None])
        kinds = sub.frame["kind"].astype("string")
        groups = pd.Series(np.select(
            [(kinds == "basic.personnel").fillna(False).to_numpy(),
             (kinds == "basic.public").fillna(False).to_numpy(),
             (kinds == "basic").fillna(False).to_numpy()],
            ["人员经费", "公用经费", "基本支出（未分）"], "未区分"))
        return _coded_table(sub, "economic", groups, unit, decimals, 2, edition)
    fund_of = {"一般公共预算支出表": "general", "政府性基金预算支出表": "govfund"}
    fund = fund_of.get(spec.name_zh)
    chosen = ledger.select(fund=fund) if fund else ledger
    return _coded_table(chosen, "function", _kind_group(chosen.frame["kind"]), unit, decimals,
                        max_level, edition)


def _summary(ledger: Ledger, unit: str, decimals: int, funds: tuple[str, ...] | None
             ) -> pd.DataFrame:
    from fiscalkit.ledger import FUNDS
    sub = ledger.select(fund=list(funds)) if funds else ledger
    by_fund = sub.by("fund")
    income = [(FUNDS.get(str(f), "未列明资金来源") if pd.notna(f) else "未列明资金来源", int(a))
              for f, a in zip(by_fund["fund"], by_fund["amount"], strict=True)]
    by_fn = sub.by("function", level=1, names=True)
    spend = [(str(n) if pd.notna(n) else "未列明功能科目", int(a))
             for n, a in zip(by_fn["function_zh"], by_fn["amount"], strict=True)]
    n = max(len(income), len(spend))
    income += [("", 0)] * (n - len(income))
    spend += [("", 0)] * (n - len(spend))
    total = int(sub.frame["amount"].sum())
    return pd.DataFrame({
        "收入项目": [i[0] for i in income] + ["收入总计"],
        "收入预算数": [*(_fmt(i[1], unit, decimals)[0] if i[0] else None for i in income),
                  _fmt(total, unit, decimals)[0]],
        "支出项目": [s[0] for s in spend] + ["支出总计"],
        "支出预算数": [*(_fmt(s[1], unit, decimals)[0] if s[0] else None for s in spend),
                  _fmt(total, unit, decimals)[0]],
    })


def _sangong(ledger: Ledger, unit: str, decimals: int) -> pd.DataFrame:
    rows = []
    for name_zh, name_en, codes in SANGONG:
        fen = int(ledger.select(economic=list(codes)).frame["amount"].sum())
        rows.append((name_zh, name_en, fen))
    total = sum(r[2] for r in rows)
    return pd.DataFrame({
        "项目": ["合计", *(r[0] for r in rows)],
        "name_en": ["Total", *(r[1] for r in rows)],
        "预算数": _fmt(np.array([total, *(r[2] for r in rows)]), unit, decimals),
    })


# ---------------------------------------------------------------------- narrative figures
def narrate(ledger: Ledger, *, unit: str = "万元", decimals: int = 2, share_decimals: int = 0,
            view: str = "main", year: int | None = None) -> tuple[StatedFigure, ...]:
    """The narrative's figures, computed from a ledger and published at a given precision.

    The template's text states the total, the totals by basic/project, by functional 类
    with their shares, and by economic 类 and 款. This renders those figures from any
    ledger, rounded half-up as a department would publish them, each with the selector and
    relations that say what it measures — so a disclosure built from a ledger can be
    reconciled, and a reconciler can be tested on figures that are right by construction.
    """
    q = Decimal(1).scaleb(-decimals)
    sq = Decimal(1).scaleb(-share_decimals)
    factor = fen_per(unit)
    yr = year if year is not None else (int(ledger.frame["year"].iloc[0]) if len(ledger) else 0)
    figs: list[StatedFigure] = []

    def amount(fid: str, label: str, fen: int, sel: Selector, rel: tuple[Call, ...] = ()
               ) -> None:
        value = (Decimal(fen) / factor).quantize(q, ROUND_HALF_UP)
        figs.append(StatedFigure(fid, yr, label, label, value, unit, q, "amount", sel, rel,
                                 "stated", f"{label}{value}{unit}"))

    def share(fid: str, label: str, part: str, part_fen: int, total_fen: int) -> None:
        if total_fen == 0:
            return
        value = (Decimal(part_fen) / Decimal(total_fen) * 100).quantize(sq, ROUND_HALF_UP)
        figs.append(StatedFigure(fid, yr, label, label, value, "%", sq, "share", None,
                                 (Call("share", (part, "total")),), "stated",
                                 f"{label}占{value}%"))

    frame = ledger.frame
    total = int(frame["amount"].sum())
    by_kind = ledger.by("kind")
    by_fn = ledger.by("function", level=1)
    by_ec1 = ledger.by("economic", level=1)
    by_ec2 = ledger.by("economic", level=2)

    def parts(prefix: str, by: pd.DataFrame, dim: str) -> list[str]:
        return [f"{prefix}.{c}" for c in by[dim] if pd.notna(c)]

    kinds = [(k, int(a)) for k, a in zip(by_kind["kind"], by_kind["amount"], strict=True)
             if pd.notna(k)]
    main_rel: tuple[Call, ...] = ()
    if len(kinds) == len(by_kind):
        main_rel = (Call("sum", tuple(f"kind.{k}" for k, _ in kinds)),)
    amount("total", "支出合计", total, Selector("sum", view, {}), main_rel)
    for k, fen in kinds:
        amount(f"kind.{k}", str(k), fen, Selector("sum", view, {"kind": (str(k),)}))
        share(f"share.kind.{k}", f"{k}占比", f"kind.{k}", fen, total)
    for by, dim, prefix in ((by_fn, "function", "function"), (by_ec1, "economic", "economic")):
        codes = parts(prefix, by, dim)
        if len(codes) == len(by) and codes:
            figs.append(StatedFigure(f"{prefix}.total", yr, f"{prefix}合计", f"{prefix} total",
                                     figs[0].value, unit, q, "amount", None,
                                     (Call("sum", tuple(codes)), Call("same", ("total",))),
                                     "stated", "合计"))
        for c, a in zip(by[dim], by["amount"], strict=True):
            if pd.isna(c):
                continue
            amount(f"{prefix}.{c}", str(c), int(a), Selector("sum", view, {dim: (str(c),)}))
            if dim == "function":
                share(f"share.{prefix}.{c}", f"{c}占比", f"{prefix}.{c}", int(a), total)
    for c1 in by_ec1["economic"].dropna():
        sub = by_ec2[by_ec2["economic"].astype("string").str.startswith(str(c1)).fillna(False)]
        kids = [c for c in sub["economic"] if len(str(c)) == 5]
        if not kids:
            continue
        for c, a in zip(sub["economic"], sub["amount"], strict=True):
            if len(str(c)) == 5:
                amount(f"economic.{c}", str(c), int(a),
                       Selector("sum", view, {"economic": (str(c),)}))
        only_kids = len(kids) == len(sub)
        if only_kids:
            parent = next(i for i, f in enumerate(figs) if f.id == f"economic.{c1}")
            f = figs[parent]
            figs[parent] = StatedFigure(f.id, f.year, f.label_zh, f.label_en, f.value, f.unit,
                                        f.precision, f.kind, f.selector,
                                        (Call("sum", tuple(f"economic.{k}" for k in kids)),),
                                        f.status, f.sentence)
    return tuple(figs)
