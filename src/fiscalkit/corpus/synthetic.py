"""Synthetic corpora: departmental budgets shaped like real ones, with planted errors.

Tests and benchmarks need corpora whose right answer is known. :func:`synthetic_corpus`
renders each generated ledger's figures exactly as a department would print them, then moves
a chosen few off by two or three quanta. :func:`~fiscalkit.corpus.reconcile_corpus` must
name exactly those figures in the errors of its ``ledger`` rule; the errors of other rules
follow from them (a moved 款 no longer sums to its 类).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from fiscalkit import classification
from fiscalkit.corpus.core import I64, PROVINCES, Arr, Corpus, _categorical
from fiscalkit.errors import InvalidValueError
from fiscalkit.ledger import KINDS

__all__ = ["SyntheticCorpus", "synthetic_corpus"]


class SyntheticCorpus(NamedTuple):
    """A generated corpus and the figures planted wrong in it (``doc``, ``id``, values).

    >>> sc = synthetic_corpus(2, lines_per_doc=20, error_rate=0.2)
    >>> list(sc.planted.columns)
    ['doc', 'id', 'printed', 'planted', 'quanta']
    """

    corpus: Corpus
    planted: pd.DataFrame


def synthetic_corpus(n_docs: int, *, lines_per_doc: int = 200, seed: int = 0,
                     error_rate: float = 0.0) -> SyntheticCorpus:
    """A corpus of departmental budgets shaped like real ones, with known planted errors.

    Each document is one department: a ledger of about ``lines_per_doc`` lines (duplicate
    keys merged) over real functional 项 and department economic 款 codes of the shipped
    edition. Personnel lines carry wages under the department's own functional 款 and the
    pension, medical and housing-fund contributions under 208/210/221 with their economic
    homes. Public lines go to 商品和服务支出, project lines mostly to goods and services and
    capital spending. Funds are mostly the general budget. The figures are rendered as
    :func:`~fiscalkit.disclosure.narrate` does and as a department would print them. They are
    rounded half-up to 0.01万元, and shares to whole percent. They give the total; the
    totals by kind with their shares and ``le``; by functional 类 with shares, and 款 and 项;
    by economic 类 and 款; a count of projects; and last year's total, stated as a change in
    万元 and in %, with the derived prior-year figure. So every rule but ``same`` on
    different values has figures to check.

    A fraction ``error_rate`` of the figures that have a ledger selector is moved two or three
    quanta (0.02–0.03万元) up or down. That takes each one outside its rounding interval, so
    the ledger rule must name it in an error. The moved figures are returned in ``planted``.

    Each document's metadata names its entity, year (2021), phase and a province drawn from
    :data:`~fiscalkit.corpus.PROVINCES`, with a region under it. The provinces come from a
    random stream of their own, so the lines and figures of a seed do not depend on them.

    >>> docs = synthetic_corpus(3, lines_per_doc=30, seed=7).corpus.documents
    >>> docs["doc"].tolist(), bool(docs["province"].isin(PROVINCES).all()), docs["year"].tolist()
    (['D00000', 'D00001', 'D00002'], True, [2021, 2021, 2021])
    """
    if n_docs < 1:
        raise InvalidValueError("a synthetic corpus needs at least one document")
    rng = np.random.default_rng(seed)
    lines = _synthetic_lines(rng, n_docs, lines_per_doc)
    figures, planted = _synthetic_figures(rng, lines, n_docs, error_rate)
    views = pd.DataFrame({"doc": [f"D{i:05d}" for i in range(n_docs)], "view": "main"})
    metadata = _synthetic_metadata(np.random.default_rng([seed, 2260]), lines, n_docs)
    return SyntheticCorpus(Corpus(lines, figures, views=views, metadata=metadata), planted)


def _synthetic_metadata(rng: np.random.Generator, lines: pd.DataFrame, n_docs: int
                        ) -> dict[str, dict[str, Any]]:
    """Entity, year, phase and a province (with a region under it) for each document."""
    province = np.asarray(PROVINCES, dtype=object)[rng.integers(0, len(PROVINCES), n_docs)]
    entities = lines["entity"].cat.categories
    out: dict[str, dict[str, Any]] = {}
    for i in range(n_docs):
        p = str(province[i])
        region = p + ("示范区" if p.endswith("市") else "示范市")
        out[f"D{i:05d}"] = {"entity": {"name_zh": str(entities[i]), "region_zh": region},
                            "year": 2021, "phase": "budget", "province": p,
                            "region": region, "unit_of_account": "万元", "currency": "CNY"}
    return out


def _codes(level: str, scheme: str) -> pd.DataFrame:
    f = classification.shipped().frame
    return f[(f["scheme"] == scheme) & (f["level"] == level)].reset_index(drop=True)


def _synthetic_lines(rng: np.random.Generator, n_docs: int, per_doc: int) -> pd.DataFrame:
    fn = _codes("3", "function")["code"].astype(str)
    econ = _codes("2", "economic_department")["code"].astype(str)
    # each department works under one functional 款 and uses up to six of its 项
    kuan, kuan_start, kuan_len = np.unique(fn.str[:5].to_numpy(dtype=object),
                                           return_index=True, return_counts=True)
    fn_codes = fn.to_numpy(dtype=object)
    home = rng.integers(0, len(kuan), n_docs)
    offset = rng.integers(0, 1 << 30, n_docs)
    width = np.minimum(kuan_len[home], rng.integers(2, 7, n_docs))
    draws = per_doc * 2  # oversample: lines with equal keys merge, then keep per_doc
    n = n_docs * draws
    doc = np.repeat(np.arange(n_docs), draws)
    item = (offset[doc] + rng.integers(0, 1 << 30, n) % width[doc]) % kuan_len[home[doc]]
    function = fn_codes[kuan_start[home[doc]] + item]
    by_class = {c: econ[econ.str.startswith(c)].to_numpy(dtype=object)
                for c in ("301", "302", "303", "309", "310", "312", "399")}
    wages = by_class["301"][~np.isin(by_class["301"], ["30108", "30109", "30110", "30111",
                                                       "30113"])]

    def pick(pool: Arr, size: int, skew: float = 1.3) -> Arr:
        w = 1.0 / np.arange(1, len(pool) + 1) ** skew
        out: Arr = pool[rng.choice(len(pool), size, p=w / w.sum())]
        return out

    kind = rng.choice(np.array(["basic.personnel", "basic.public", "project"], dtype=object), n,
                      p=[0.45, 0.25, 0.30])
    economic = np.empty(n, dtype=object)
    personnel = np.flatnonzero(kind == "basic.personnel")
    sub = rng.choice(4, len(personnel), p=[0.7, 0.1, 0.1, 0.1])
    economic[personnel] = np.where(sub == 0, pick(np.concatenate([wages, by_class["303"]]),
                                                  len(personnel), 0.6), "")
    for s_code, (e_code, f_choices) in enumerate(
            [("30108", ["2080505", "2080506"]), ("30110", ["2101101", "2101102"]),
             ("30113", ["2210201"])], start=1):
        rows = personnel[sub == s_code]
        economic[rows] = e_code
        function[rows] = rng.choice(np.array(f_choices, dtype=object), len(rows))
    public = np.flatnonzero(kind == "basic.public")
    economic[public] = pick(by_class["302"], len(public))
    project = np.flatnonzero(kind == "project")
    group = rng.choice(5, len(project), p=[0.5, 0.25, 0.1, 0.1, 0.05])
    for g, cls in enumerate(("302", "310", "309", "312", "399")):
        rows = project[group == g]
        economic[rows] = pick(by_class[cls], len(rows))
    fund = rng.choice(np.array(["general", "special", "govfund"], dtype=object), n,
                      p=[0.85, 0.10, 0.05])
    names = np.array([f"项目{j:03d}" for j in range(draws)], dtype=object)
    project_name = np.where(kind == "project", names[np.arange(n) % draws],
                            np.full(n, None, dtype=object))
    scale = np.select([kind == "basic.personnel", kind == "basic.public"], [14.5, 13.5], 15.0)
    amount = np.maximum(np.exp(rng.normal(scale, 1.1)), 100).astype(np.int64) // 100 * 100
    frame = pd.DataFrame({"doc": doc, "fund": fund, "kind": kind, "function": function,
                          "economic": economic, "project": project_name, "amount": amount})
    frame = frame.groupby(["doc", "fund", "kind", "function", "economic", "project"],
                          dropna=False, sort=True)["amount"].sum().reset_index()
    keep = rng.permutation(len(frame))
    keep = keep[frame["doc"].to_numpy()[keep].argsort(kind="stable")]
    rank = frame.iloc[keep].groupby("doc").cumcount().to_numpy()
    frame = frame.iloc[np.sort(keep[rank < per_doc])].reset_index(drop=True)
    doc_ids = np.array([f"D{i:05d}" for i in range(n_docs)], dtype=object)
    entity = np.array([f"示范市第{i:05d}号预算单位" for i in range(n_docs)], dtype=object)
    d = frame["doc"].to_numpy()
    out = pd.DataFrame({
        "doc": _categorical(d, categories=doc_ids),
        "view": _categorical(np.zeros(len(frame), dtype=np.int64),
                                          categories=["main"]),
        "year": np.full(len(frame), 2021, dtype=np.int64),
        "phase": _categorical(np.zeros(len(frame), dtype=np.int64),
                                           categories=["budget"]),
        "entity": _categorical(d, categories=entity),
    })
    for col in ("fund", "kind", "function", "economic", "project"):
        out[col] = frame[col].astype("category")
    out["amount"] = frame["amount"].to_numpy(dtype=np.int64)
    return out


def _wan(fen: I64) -> tuple[I64, pd.Series]:
    """分 rounded half-up (away from zero) to 0.01万元: the integer count and its text."""
    r = np.sign(fen) * ((np.abs(fen) + 5_000) // 10_000)
    return r, _hundredths(r)


def _hundredths(r: I64) -> pd.Series:
    sign = pd.Series(np.where(r < 0, "-", ""), dtype="str")
    whole = pd.Series(np.abs(r) // 100).astype("str")
    frac = pd.Series(np.abs(r) % 100).astype("str").str.zfill(2)
    return sign + whole + "." + frac


def _share(part: I64, total: I64) -> I64:
    """round half-up of 100·part/total for part ≥ 0, total > 0 (whole percent)."""
    out: I64 = (200 * part + total) // (2 * total)
    return out


def _synthetic_figures(rng: np.random.Generator, lines: pd.DataFrame, n_docs: int,
                       error_rate: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    edition = classification.shipped()
    names = edition.frame["name_zh"].astype(str).to_dict()
    doc = lines["doc"].cat.codes.to_numpy(dtype=np.int64)
    amount = lines["amount"].to_numpy(dtype=np.int64)
    fcode = lines["function"].astype(str)
    ecode = lines["economic"].astype(str)
    kind = lines["kind"].astype(str)
    families: list[pd.DataFrame] = []

    def grouped(key: pd.Series) -> pd.DataFrame:
        g = pd.DataFrame({"doc": doc, "key": key.to_numpy(), "fen": amount}).groupby(
            ["doc", "key"], sort=True)["fen"].sum().reset_index()
        return g

    def family(order: int, doc_codes: I64, ids: pd.Series, labels: pd.Series, value: pd.Series,
               *, unit: str = "万元", precision: str = "0.01", kind: str = "amount",
               selector: pd.Series | str = "", relation: pd.Series | str = "",
               status: str = "stated", year: int = 2021, sub: I64 | None = None) -> None:
        n = len(doc_codes)
        families.append(pd.DataFrame({
            "_doc": doc_codes, "_order": order,
            "_sub": np.arange(n) if sub is None else sub,
            "id": ids.to_numpy(dtype=object), "year": year,
            "label_zh": labels.to_numpy(dtype=object),
            "label_en": "", "value": value.to_numpy(dtype=object), "unit": unit,
            "precision": precision, "kind": kind,
            "selector": selector if isinstance(selector, str) else selector.to_numpy(dtype=object),
            "relation": relation if isinstance(relation, str) else relation.to_numpy(dtype=object),
            "status": status,
            "sentence": (pd.Series(labels.to_numpy(dtype=object), dtype="str")
                         + pd.Series(value.to_numpy(dtype=object), dtype="str") + unit
                         ).to_numpy(dtype=object),
            "note": ""}))

    def children(parent: pd.DataFrame, child: pd.DataFrame, prefix: str, width: int
                 ) -> pd.Series:
        """``sum(prefix.c1, prefix.c2, …)`` of each parent's children in the document."""
        c = child.assign(parent=child["key"].str[:width], cid=prefix + child["key"])
        joined = c.groupby(["doc", "parent"], sort=True)["cid"].agg(", ".join)
        idx = pd.MultiIndex.from_arrays([parent["doc"], parent["key"]])
        out: pd.Series = ("sum(" + joined.reindex(idx).fillna("") + ")").str.replace(
            "sum()", "", regex=False)
        return out.reset_index(drop=True)

    total = np.zeros(n_docs, dtype=np.int64)
    np.add.at(total, doc, amount)
    docs = np.arange(n_docs, dtype=np.int64)
    t_round, t_text = _wan(total)
    by_kind = grouped(kind)
    kinds_rel = ("sum(" + by_kind.assign(k="kind." + by_kind["key"]).groupby("doc")["k"].agg(
        ", ".join) + ")").reindex(docs).fillna("")
    family(0, docs, pd.Series("total", index=docs), pd.Series("支出合计", index=docs), t_text,
           selector="sum(view=main)", relation=kinds_rel.reset_index(drop=True))
    k_doc = by_kind["doc"].to_numpy(dtype=np.int64)
    k_fen = by_kind["fen"].to_numpy(dtype=np.int64)
    k_label = by_kind["key"].map(KINDS)
    family(1, k_doc, "kind." + by_kind["key"], k_label, _wan(k_fen)[1],
           selector="sum(view=main kind=" + by_kind["key"] + ")",
           relation=pd.Series(np.where(by_kind["key"] == "project", "le(total)", ""), dtype="str"))
    family(2, k_doc, "share.kind." + by_kind["key"], k_label + "占比",
           pd.Series(_share(k_fen, total[k_doc])).astype("str"), unit="%", precision="1",
           kind="share", relation="share(kind." + by_kind["key"] + ", total)")
    f1, f2, f3 = grouped(fcode.str[:3]), grouped(fcode.str[:5]), grouped(fcode)
    e1, e2 = grouped(ecode.str[:3]), grouped(ecode)
    for order, (top, mid, prefix) in enumerate(((f1, "function", "function."),
                                                (e1, "economic", "economic.")), start=3):
        rel = "sum(" + top.assign(c=prefix + top["key"]).groupby("doc")["c"].agg(", ".join) \
            + "); same(total)"
        family(order * 10, docs, pd.Series(f"{mid}.total", index=docs),
               pd.Series(f"{mid}合计", index=docs), t_text, relation=rel.reindex(docs)
               .fillna("same(total)").reset_index(drop=True))
    levels = ((31, f1, f2, "function.", 3), (33, f2, f3, "function.", 5), (35, f3, None, "", 0),
              (41, e1, e2, "economic.", 3), (43, e2, None, "", 0))
    for order, table, kids, prefix, width in levels:
        dim = "function" if order < 40 else "economic"
        t_doc = table["doc"].to_numpy(dtype=np.int64)
        fen = table["fen"].to_numpy(dtype=np.int64)
        labels = table["key"].map(names).fillna("")
        relation: pd.Series | str = "" if kids is None else children(table, kids, prefix, width)
        family(order, t_doc, f"{dim}." + table["key"], labels, _wan(fen)[1],
               selector=f"sum(view=main {dim}=" + table["key"] + ")", relation=relation)
        if order == 31:
            family(32, t_doc, f"share.{dim}." + table["key"], labels + "占比",
                   pd.Series(_share(fen, total[t_doc])).astype("str"), unit="%", precision="1",
                   kind="share", relation=f"share({dim}." + table["key"] + ", total)")
    n_projects = np.zeros(n_docs, dtype=np.int64)
    np.add.at(n_projects, doc, (kind == "project").to_numpy(dtype=np.int64))
    family(50, docs, pd.Series("projects.count", index=docs), pd.Series("项目个数", index=docs),
           pd.Series(n_projects).astype("str"), unit="个", precision="1", kind="count",
           selector="count(view=main kind=project)")
    # last year: a stated change (万元 and %), and the prior-year total derived from it
    prior = np.maximum((total * rng.normal(1.0, 0.12, n_docs)).astype(np.int64), 10**6)
    change_round, change_text = _wan(total - prior)
    num = 1000 * (total - prior)
    pct = np.sign(num) * ((2 * np.abs(num) + prior) // (2 * prior))
    pct_text = (pd.Series(np.where(pct < 0, "-", ""), dtype="str")
                + pd.Series(np.abs(pct) // 10).astype("str") + "."
                + pd.Series(np.abs(pct) % 10).astype("str"))
    family(60, docs, pd.Series("total.change", index=docs), pd.Series("比上年增减", index=docs),
           change_text, kind="change", relation="diff(total, total.2020)")
    family(61, docs, pd.Series("total.change_pct", index=docs),
           pd.Series("比上年增减", index=docs), pct_text, unit="%", precision="0.1",
           kind="change", relation="pct_change(total, total.2020)")
    family(62, docs, pd.Series("total.2020", index=docs), pd.Series("上年支出合计", index=docs),
           _hundredths(t_round - change_round), relation="diff(total, total.change)",
           status="derived", year=2020)
    figures = pd.concat(families, ignore_index=True)
    figures = figures.sort_values(["_doc", "_order", "_sub"], kind="stable").reset_index(
        drop=True)
    # planted inconsistencies: selector figures in 万元 moved 2–3 quanta
    candidates = np.flatnonzero((figures["selector"] != "").to_numpy(dtype=bool)
                                & (figures["unit"] == "万元").to_numpy(dtype=bool))
    n_plant = round(error_rate * len(candidates))
    chosen = np.sort(rng.choice(candidates, n_plant, replace=False)) if n_plant else \
        np.zeros(0, dtype=np.int64)
    shift = rng.choice(np.array([-3, -2, 2, 3]), len(chosen))
    before = figures["value"].to_numpy(dtype=object)[chosen]
    hundredths = pd.Series(before, dtype="str").str.replace(".", "", regex=False).astype("int64")
    after = _hundredths(hundredths.to_numpy(dtype=np.int64) + shift).to_numpy(dtype=object)
    values = figures["value"].to_numpy(dtype=object).copy()
    values[chosen] = after
    figures["value"] = values
    doc_ids = np.array([f"D{i:05d}" for i in range(n_docs)], dtype=object)
    figures.insert(0, "doc", pd.Series(_categorical(figures["_doc"].to_numpy(),
                                                    categories=doc_ids)))
    planted = pd.DataFrame({"doc": doc_ids[figures["_doc"].to_numpy()[chosen]],
                            "id": figures["id"].to_numpy(dtype=object)[chosen],
                            "printed": before, "planted": after, "quanta": shift})
    figures = figures.drop(columns=["_doc", "_order", "_sub"])
    return figures, planted
