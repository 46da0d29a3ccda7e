"""The national template's standard tables and narrative figures, rendered from a ledger.

:func:`render_tables` turns a ledger (or, for a :class:`~fiscalkit.disclosure.Disclosure`, the
view that states each table's dimension for the most money) back into 收支总表, 收入总表,
支出总表, 财政拨款收支总表, 一般公共预算支出表, 一般公共预算基本支出表, "三公"经费支出表 and
政府性基金预算支出表. :func:`narrate` renders the narrative's figures from a ledger at a chosen
published precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import numpy as np
import pandas as pd

from fiscalkit import classification
from fiscalkit.disclosure.model import Call, Disclosure, Selector, StatedFigure
from fiscalkit.ledger import FUNDS, Ledger
from fiscalkit.units import fen_per

__all__ = ["SANGONG", "TABLES", "TableSpec", "narrate", "render_tables"]


# ---------------------------------------------------------------------- standard tables
@dataclass(frozen=True)
class TableSpec:
    """One standard table of the national template and the ledger dimension it needs.

    >>> TABLES[0]  # doctest: +NORMALIZE_WHITESPACE
    TableSpec(name_zh='收支总表', name_en='Budget summary (income and expenditure)',
              needs='function')
    """

    name_zh: str
    name_en: str
    needs: str


#: The eight standard tables, in the order the template prints them.
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


def _hierarchy(ledger: Ledger, dim: str, columns: pd.Series, max_level: int) -> pd.DataFrame:
    """Rows for every 类/款/项 present (each at its own level), one column per group.

    A line counts at every level its code reaches: 2010350 in 201, 20103 and 2010350; a line
    coded only to its 类 counts in the 类 alone. Lines without a code form the row 未分类.
    """
    df = ledger.frame
    codes = df[dim].astype("string")
    lengths = {1: 3, 2: 5, 3: 7}
    parts = []
    for level in range(1, max_level + 1):
        n = lengths[level]
        keep = (codes.str.len() >= n).fillna(False).to_numpy()
        rolled = codes.str[:n]
        frame = pd.DataFrame({"code": rolled[keep], "amount": df["amount"][keep]})
        frame["group"] = columns[keep]
        parts.append(frame)
    unknown = codes.isna().to_numpy()
    if unknown.any():
        parts.append(pd.DataFrame({"code": "未分类", "amount": df["amount"][unknown],
                                   "group": columns[unknown]}))
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index="code", columns="group", values="amount", aggfunc="sum",
                            fill_value=0).astype("int64")
    wide.insert(0, "合计", wide.sum(axis=1))
    return wide


def _coded_table(ledger: Ledger, dim: str, columns: pd.Series, unit: str,
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

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records([
    ...     {"year": 2021, "fund": "general", "kind": "basic.personnel", "function": "2010350",
    ...      "economic": "30101", "amount": "789700"},
    ...     {"year": 2021, "fund": "general", "kind": "project", "function": "2010350",
    ...      "economic": "30226", "amount": "178000"}])
    >>> tables = render_tables(led, unit="万元")
    >>> tables["一般公共预算支出表"][["科目编码", "合计", "基本支出", "项目支出"]]
          科目编码     合计   基本支出   项目支出
    0       合计  96.77  78.97  17.80
    1      201  96.77  78.97  17.80
    2    20103  96.77  78.97  17.80
    3  2010350  96.77  78.97  17.80
    >>> tables["一般公共预算支出表"]["科目名称"].tolist()[1:]
    ['一般公共服务支出', '政府办公厅（室）及相关机构事务', '事业运行']
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
        "收入预算数": [*(_fmt(i[1], unit, decimals)[0] if i[0] else "" for i in income),
                  _fmt(total, unit, decimals)[0]],
        "支出项目": [s[0] for s in spend] + ["支出总计"],
        "支出预算数": [*(_fmt(s[1], unit, decimals)[0] if s[0] else "" for s in spend),
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

    >>> import fiscalkit as fk
    >>> led = fk.Ledger.from_records([{"year": 2021, "kind": "basic", "amount": "204000"},
    ...                               {"year": 2021, "kind": "project", "amount": "169000"}])
    >>> [(f.id, f.printed, f.unit) for f in narrate(led, unit="万元", decimals=1)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('total', '37.3', '万元'), ('kind.basic', '20.4', '万元'), ('share.kind.basic', '55', '%'),
     ('kind.project', '16.9', '万元'), ('share.kind.project', '45', '%')]
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
    # the narrative states 基本支出 and 项目支出: sub-kinds count in their top kind, as the
    # selector ``kind=basic`` does
    frame_kinds = ledger.frame
    top = frame_kinds["kind"].astype("string").str.split(".").str[0]
    by_kind = (frame_kinds.assign(kind=top).groupby("kind", dropna=False, sort=True)["amount"]
               .sum().reset_index())
    by_fn = ledger.by("function", level=1)
    by_ec1 = ledger.by("economic", level=1)
    by_ec2 = ledger.by("economic", level=2)

    def parts(prefix: str, by: pd.DataFrame, dim: str) -> list[str]:
        return [f"{prefix}.{c}" for c in by[dim] if pd.notna(c)]

    kinds = [(k, int(a)) for k, a in zip(by_kind["kind"], by_kind["amount"], strict=True)
             if pd.notna(k)]
    main_rel: tuple[Call, ...] = ()
    if kinds and len(kinds) == len(by_kind):
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
