"""Checks of the curated dataset ``datasets/yindu-zhengwu-2021`` against its source text.

These tests use only the standard library and pandas: they check the *data*, independently
of any fiscalkit implementation — that every quoted sentence is verbatim, that every number
in the text is accounted for, that the ledger views add up, and that the relations between
figures hold exactly where the text is self-consistent (the known contradictions are listed
explicitly below, with their reasons).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO / "datasets" / "yindu-zhengwu-2021"
SHARED_SOURCE = Path(__file__).resolve().parents[2] / "shared/sources/000_7fb428f7a3e7a59d.txt"
CLASSIFICATION = REPO / "src" / "fiscalkit" / "data" / "classification" / "2021"

ENTITY = "殷都区政务服务和大数据利用中心"
NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
RELATION_FNS = {"sum", "share", "diff", "pct_change", "same", "le"}
SELECTOR = re.compile(r"^(sum|count)\(([^()]*)\)$")
CALL = re.compile(r"^([a-z_]+)\(([^()]*)\)$")
WAN = Decimal(10000)  # 元 per 万元

COLUMNS = {
    "ledger.csv": ["view", "year", "phase", "entity", "fund", "kind", "function", "economic",
                   "project", "amount"],
    "figures.csv": ["id", "year", "label_zh", "label_en", "value", "unit", "precision", "kind",
                    "selector", "relation", "status", "sentence", "note"],
    "indicators.csv": ["project", "level1", "level2", "name", "comparator", "target", "unit",
                       "sentence"],
    "not_figures.csv": ["number", "sentence", "reason"],
}

# Relations that do NOT hold on the published values, because the text contradicts itself.
# (figure id, relation call) -> why. Every other relation must hold (see test below).
KNOWN_CONTRADICTIONS = {
    ("gpb.total", "same(income.gpb)"):
        "section 二 gives 一般公共预算 income 400万元; sections 四-六 give 一般公共预算 362.9万元",
    ("gpb.change_pct", "pct_change(gpb.total, gpb.2020)"):
        "-74 on a 2021 base of 362.9 is -16.94%, not the stated -15.6% (which is -74/474)",
    ("projects.total", "le(expenditure.project)"):
        "the six performance projects total 37.3万元, more than 项目支出 37万元 (rounding?)",
    ("project.4.cost", "same(project.4.amount)"):
        "cost indicator 政府购买服务成本17.85万元 vs project funds 17.8万元",
    ("project.6.cost", "same(project.6.amount)"):
        "cost indicator 组建电子政务网络成本3.96万元 vs project funds 4万元",
}

# Figures whose ledger selector does not give the published value. None: every selector
# was written only where the ledger view answers the question exactly (the 400 totals,
# 基本支出 363, 项目支出 37 and the fund-source amounts have no selector for that reason).
KNOWN_SELECTOR_EXCEPTIONS: dict[str, str] = {}

# Indicator targets written with Chinese numerals rather than digits: (target, text in sentence).
CHINESE_NUMERAL_TARGETS = {("1", "一年")}


# ---------------------------------------------------------------------- fixtures
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATASET / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def text() -> str:
    return (DATASET / "source.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return _read("figures.csv")


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return _read("ledger.csv")


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return _read("indicators.csv")


@pytest.fixture(scope="module")
def not_figures() -> pd.DataFrame:
    return _read("not_figures.csv")


@pytest.fixture(scope="module")
def metadata() -> dict:
    return json.loads((DATASET / "metadata.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def values(figures: pd.DataFrame) -> dict[str, Decimal]:
    return {r.id: Decimal(r.value) for r in figures.itertuples()}


def _calls(relation: str) -> list[tuple[str, list[str]]]:
    out = []
    for part in filter(str.strip, relation.split(";")):
        m = CALL.match(part.strip())
        assert m, f"not a relation call: {part!r}"
        out.append((m.group(1), [a.strip() for a in m.group(2).split(",") if a.strip()]))
    return out


def _runs(s: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in NUMBER.finditer(s)]


def _round(value: Decimal, quantum: Decimal) -> Decimal:
    return (value / quantum).quantize(Decimal(1), ROUND_HALF_UP) * quantum


# ---------------------------------------------------------------------- files and provenance
def test_files_and_columns() -> None:
    for name, columns in COLUMNS.items():
        assert list(_read(name).columns) == columns, name
    for name in ("source.txt", "metadata.json", "README.md"):
        assert (DATASET / name).is_file(), name


def test_source_is_byte_identical_to_shared_copy() -> None:
    if not SHARED_SOURCE.exists():
        pytest.skip(f"shared source not present at {SHARED_SOURCE}")
    assert (DATASET / "source.txt").read_bytes() == SHARED_SOURCE.read_bytes()


def test_source_sha256_matches_metadata(metadata: dict) -> None:
    digest = hashlib.sha256((DATASET / "source.txt").read_bytes()).hexdigest()
    assert metadata["source"] == {"file": "source.txt", "sha256": digest}


def test_metadata(metadata: dict, values: dict[str, Decimal]) -> None:
    assert metadata["name"] == DATASET.name
    assert metadata["entity"]["name_zh"] == ENTITY
    assert (metadata["year"], metadata["phase"]) == (2021, "budget")
    assert (metadata["unit_of_account"], metadata["currency"]) == ("万元", "CNY")
    staffing, assets = metadata["staffing"], metadata["assets"]
    assert staffing["establishment"] == values["staff.establishment"] == 40
    assert staffing["in_service"] == values["staff.actual"] == 24
    assert staffing["in_service_shiye"] == values["staff.actual.shiye"] == 24
    assert staffing["retired"] == values["staff.retired"] == 1
    assert metadata["internal_sections"] == values["org.sections"] == 6
    assert assets["vehicles"] == values["assets.vehicles"] == 3
    assert assets["vehicles_general_official"] == values["assets.vehicles.general"]
    assert assets["vehicles_law_enforcement"] == values["assets.vehicles.enforcement"]
    assert assets["vehicles_special_technical"] == values["assets.vehicles.special"]
    assert assets["vehicles_other"] == values["assets.vehicles.other"]
    assert assets["general_equipment_unit_price_over_500k_yuan"] == \
        values["assets.equipment.general"]
    assert assets["special_equipment_unit_value_over_1m_yuan"] == \
        values["assets.equipment.special"]


@pytest.mark.parametrize("name", ["figures.csv", "indicators.csv", "not_figures.csv"])
def test_every_sentence_is_verbatim(name: str, text: str) -> None:
    frame = _read(name)
    missing = [s for s in frame["sentence"] if not s or s not in text]
    assert not missing, f"{name}: sentences not found verbatim in source.txt: {missing}"


# ---------------------------------------------------------------------- figures
def test_figure_ids_unique_and_wellformed(figures: pd.DataFrame) -> None:
    dupes = [i for i, n in Counter(figures["id"]).items() if n > 1]
    assert not dupes
    assert figures["id"].str.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*").all()


def test_figure_fields(figures: pd.DataFrame) -> None:
    assert set(figures["kind"]) <= {"amount", "share", "change", "count"}
    assert set(figures["status"]) <= {"stated", "derived"}
    assert set(figures["unit"]) <= {"万元", "%", "人", "个", "辆", "台（套）", "项"}
    assert figures["year"].isin(["2020", "2021"]).all()
    assert figures["value"].str.fullmatch(r"-?\d+(\.\d+)?").all()
    assert figures["precision"].str.fullmatch(r"1|0\.0*1").all()
    assert (figures["label_zh"] != "").all()
    assert (figures["label_en"] != "").all()
    shares = figures[figures["kind"] == "share"]
    assert (shares["unit"] == "%").all()
    assert (figures.loc[figures["unit"] == "%", "kind"].isin(["share", "change"])).all()
    counts = figures[figures["kind"] == "count"]
    assert counts["unit"].isin(["人", "个", "辆", "台（套）", "项"]).all()


def _quantum(value: str) -> Decimal:
    return Decimal(1).scaleb(min(Decimal(value).as_tuple().exponent, 0))


def test_value_has_exactly_the_decimals_its_precision_implies(figures: pd.DataFrame) -> None:
    for r in figures.itertuples():
        assert _quantum(r.value) == Decimal(r.precision), r.id


def test_stated_value_appears_in_its_sentence(figures: pd.DataFrame) -> None:
    for r in figures[figures["status"] == "stated"].itertuples():
        printed = r.value.lstrip("-")
        assert printed in [n for _, n in _runs(r.sentence)], (r.id, printed, r.sentence)


def test_decreases_are_negative(figures: pd.DataFrame) -> None:
    for r in figures[figures["kind"] == "change"].itertuples():
        if Decimal(r.value) == 0:
            continue
        if any(w in r.sentence for w in ("减少", "下降")):
            assert Decimal(r.value) < 0, r.id


def test_relations_are_wellformed_and_refer_to_known_ids(figures: pd.DataFrame) -> None:
    ids = set(figures["id"])
    arity = {"share": 2, "diff": 2, "pct_change": 2, "same": 1, "le": 1}
    for r in figures.itertuples():
        for fn, args in _calls(r.relation):
            assert fn in RELATION_FNS, (r.id, fn)
            assert args, (r.id, fn)
            assert fn not in arity or len(args) == arity[fn], (r.id, fn, args)
            assert set(args) <= ids, (r.id, set(args) - ids)
            assert r.id not in args, (r.id, "refers to itself")


def test_repeated_statements_link_to_earlier_figures(figures: pd.DataFrame) -> None:
    order = {i: n for n, i in enumerate(figures["id"])}
    for r in figures.itertuples():
        for fn, args in _calls(r.relation):
            if fn == "same":
                assert order[args[0]] < order[r.id], f"{r.id}: same() must point backwards"


def test_derived_figures(figures: pd.DataFrame, values: dict[str, Decimal]) -> None:
    by_id = figures.set_index("id")
    derived = figures[figures["status"] == "derived"]
    assert set(derived["id"]) == {
        "total.2020", "gpb.2020", "govfund.2020", "sangong.2020", "sangong.abroad.2020",
        "sangong.vehicle.purchase.2020", "sangong.vehicle.operation.2020",
        "sangong.hospitality.2020"}
    expected = {"total.2020": "474", "gpb.2020": "436.9", "sangong.2020": "18",
                "sangong.vehicle.operation.2020": "18"}
    for r in derived.itertuples():
        assert r.year == "2020", r.id
        assert r.kind == "amount", r.id
        assert r.note.startswith("derived: "), r.id
        assert Decimal(r.value) == Decimal(expected.get(r.id, "0")), r.id
        (fn, args), *_ = _calls(r.relation)
        assert fn in ("sum", "diff"), r.id
        exact = (sum((values[a] for a in args), Decimal(0)) if fn == "sum"
                 else values[args[0]] - values[args[1]])
        assert exact == Decimal(r.value), r.id
        # precision: the coarsest of its inputs' — unless the exact value has a finer last
        # digit (436.9 from 362.9 and 74), then that digit's quantum, since no value may carry
        # digits finer than its precision
        coarsest = max(Decimal(by_id.loc[a, "precision"]) for a in args)
        assert Decimal(r.precision) == min(coarsest, _quantum(r.value)), r.id
        # sentence: that of the stated change it was derived from, which refers back to it
        changes = [c for c in figures.itertuples() if c.status == "stated"
                   and any(r.id in a for _, a in _calls(c.relation))]
        assert changes, r.id
        assert r.sentence in {c.sentence for c in changes}, r.id


def test_relations_hold_except_known_contradictions(
        figures: pd.DataFrame, values: dict[str, Decimal]) -> None:
    precision = dict(zip(figures["id"], map(Decimal, figures["precision"]), strict=True))
    failing = {}
    for r in figures.itertuples():
        v = values[r.id]
        for fn, args in _calls(r.relation):
            a = [values[x] for x in args]
            if fn == "sum":
                ok = v == sum(a, Decimal(0))
            elif fn == "diff":
                ok = v == a[0] - a[1]
            elif fn == "same":
                ok = v == a[0]
            elif fn == "le":
                ok = v <= a[0]
            elif fn == "share":
                ok = v == _round(a[0] / a[1] * 100, precision[r.id])
            else:  # pct_change: undefined on a zero base
                if a[1] == 0:
                    continue
                ok = v == _round((a[0] - a[1]) / a[1] * 100, precision[r.id])
            if not ok:
                failing[(r.id, f"{fn}({', '.join(args)})")] = v
    assert set(failing) == set(KNOWN_CONTRADICTIONS), (
        f"unexpected: {set(failing) - set(KNOWN_CONTRADICTIONS)}; "
        f"no longer failing: {set(KNOWN_CONTRADICTIONS) - set(failing)}")


def test_gpb_percent_change_contradiction_is_real(values: dict[str, Decimal]) -> None:
    """-15.6% fits -74 on the 400 totals, and does not fit -74 on 362.9 under any rounding."""
    on_total = -74 / Decimal(474) * 100
    on_gpb = -74 / Decimal("436.9") * 100
    assert _round(on_total, Decimal("0.1")) == values["total.change_pct"]
    assert abs(on_gpb - values["gpb.change_pct"]) > 1


# ---------------------------------------------------------------------- the number census
def _claims(figures: pd.DataFrame, indicators: pd.DataFrame, not_figures: pd.DataFrame
            ) -> list[tuple[str, str, str]]:
    """(row label, number, sentence) for every row that claims a digit run of the text."""
    claims = [(f"figures:{r.id}", r.value.lstrip("-"), r.sentence)
              for r in figures.itertuples() if r.status == "stated"]
    # (an indicator whose target is written in Chinese numerals claims no digit run)
    claims += [(f"indicators:{i}", r.target, r.sentence)
               for i, r in enumerate(indicators.itertuples())
               if r.target and r.target in [n for _, n in _runs(r.sentence)]]
    claims += [(f"not_figures:{i}", r.number, r.sentence)
               for i, r in enumerate(not_figures.itertuples())]
    return claims


def _candidates(text: str, runs: dict[int, str], number: str, sentence: str) -> set[int]:
    """Positions in the text of the digit run `number` inside any occurrence of `sentence`."""
    out: set[int] = set()
    start = text.find(sentence)
    while start != -1:
        for offset, n in _runs(sentence):
            if n == number and runs.get(start + offset) == number:
                out.add(start + offset)
        start = text.find(sentence, start + 1)
    return out


def test_every_row_points_at_a_number_in_the_text(
        text: str, figures: pd.DataFrame, indicators: pd.DataFrame,
        not_figures: pd.DataFrame) -> None:
    runs = dict(_runs(text))
    bad = [c for c in _claims(figures, indicators, not_figures)
           if not _candidates(text, runs, c[1], c[2])]
    assert not bad, bad


def test_number_counts_are_covered(text: str, figures: pd.DataFrame, indicators: pd.DataFrame,
                                   not_figures: pd.DataFrame) -> None:
    """For each number string: occurrences in the text <= occurrences accounted for.

    A row accounts for an occurrence of its number in its sentence; rows sharing a
    (number, sentence) pair account for at most as many occurrences as the pair has.
    """
    runs = dict(_runs(text))
    in_text = Counter(runs.values())
    pairs = Counter((n, s) for _, n, s in _claims(figures, indicators, not_figures))
    accounted: Counter[str] = Counter()
    for (number, sentence), k in pairs.items():
        accounted[number] += min(k, len(_candidates(text, runs, number, sentence)))
    short = {n: (c, accounted[n]) for n, c in in_text.items() if accounted[n] < c}
    assert not short, f"number: (in text, accounted): {short}"


def test_every_digit_run_is_accounted_for_by_a_distinct_row(
        text: str, figures: pd.DataFrame, indicators: pd.DataFrame,
        not_figures: pd.DataFrame) -> None:
    """A maximum bipartite matching of text positions to rows covers every digit run.

    Stronger than counting: each occurrence must be claimed by its own row whose sentence
    contains that very occurrence (rows may share an occurrence — e.g. three satisfaction
    indicators with one target — but no occurrence may go unclaimed).
    """
    runs = dict(_runs(text))
    claims = _claims(figures, indicators, not_figures)
    options = {pos: [i for i, (_, n, s) in enumerate(claims)
                     if pos in _candidates(text, runs, n, s)] for pos in runs}
    owner: dict[int, int] = {}  # claim -> position

    def augment(pos: int, seen: set[int]) -> bool:
        for claim in options[pos]:
            if claim in seen:
                continue
            seen.add(claim)
            if claim not in owner or augment(owner[claim], seen):
                owner[claim] = pos
                return True
        return False

    unclaimed = [(pos, runs[pos], text[max(0, pos - 15):pos + 15])
                 for pos in sorted(runs) if not augment(pos, set())]
    assert not unclaimed, unclaimed
    assert len(runs) == 190


def test_not_figures(not_figures: pd.DataFrame, figures: pd.DataFrame) -> None:
    assert (not_figures["reason"] != "").all()
    assert not_figures["number"].str.fullmatch(r"\d+(\.\d+)?").all()
    for r in not_figures.itertuples():
        assert r.number in [n for _, n in _runs(r.sentence)], r
    # a not-figure is never also quoted as a stated figure from the same sentence
    stated = {(f.value.lstrip("-"), f.sentence) for f in figures.itertuples()
              if f.status == "stated"}
    assert not {(r.number, r.sentence) for r in not_figures.itertuples()} & stated


# ---------------------------------------------------------------------- ledger
def test_ledger_lines(ledger: pd.DataFrame, text: str) -> None:
    assert set(ledger["view"]) == {"economic", "function", "projects"}
    assert (ledger["year"] == "2021").all()
    assert (ledger["phase"] == "budget").all()
    assert (ledger["entity"] == ENTITY).all()
    assert ledger["amount"].str.fullmatch(r"\d+\.\d\d").all()
    assert not ledger.duplicated().any()
    eco = ledger[ledger["view"] == "economic"]
    assert (eco["fund"] == "general").all()
    assert (eco[["kind", "function", "project"]] == "").all().all()
    assert eco["economic"].str.fullmatch(r"30[12]\d\d").all()
    fun = ledger[ledger["view"] == "function"]
    assert (fun["fund"] == "general").all()
    assert (fun[["kind", "economic", "project"]] == "").all().all()
    assert sorted(fun["function"]) == ["201", "208", "210", "221"]
    prj = ledger[ledger["view"] == "projects"]
    assert (prj["kind"] == "project").all()
    assert (prj[["fund", "function", "economic"]] == "").all().all()
    assert len(prj) == prj["project"].nunique() == 6
    assert all(p in text for p in prj["project"])
    assert (len(eco), len(fun)) == (14, 4)


def _total(frame: pd.DataFrame) -> Decimal:
    return sum(map(Decimal, frame["amount"]), Decimal(0))


def test_ledger_views_add_up(ledger: pd.DataFrame) -> None:
    eco = ledger[ledger["view"] == "economic"]
    assert _total(eco) == Decimal("3629000.00")
    assert _total(eco[eco["economic"].str.startswith("301")]) == Decimal("2730000.00")
    assert _total(eco[eco["economic"].str.startswith("302")]) == Decimal("899000.00")
    assert _total(ledger[ledger["view"] == "function"]) == Decimal("3629000.00")
    assert _total(ledger[ledger["view"] == "projects"]) == Decimal("373000.00")


def test_ledger_codes_are_in_the_classification(ledger: pd.DataFrame,
                                                figures: pd.DataFrame) -> None:
    economic = pd.read_csv(CLASSIFICATION / "economic_department.csv", dtype=str)
    functional = pd.read_csv(CLASSIFICATION / "functional.csv", dtype=str)
    econ_names = dict(zip(economic["code"], economic["name_zh"], strict=True))
    func_names = dict(zip(functional["code"], functional["name_zh"], strict=True))
    labels = dict(zip(figures["id"], figures["label_zh"], strict=True))
    for code in ledger.loc[ledger["view"] == "economic", "economic"]:
        assert code in econ_names, code
        # the published label starts with the official name (住房公积金支出 ⊃ 住房公积金)
        assert labels[f"gpb.econ.{code}"].startswith(econ_names[code]), code
    for code in ledger.loc[ledger["view"] == "function", "function"]:
        assert code in func_names, code
        assert labels[f"gpb.function.{code}"].replace("（类）", "") == func_names[code], code


def _measure(ledger: pd.DataFrame, selector: str) -> Decimal:
    m = SELECTOR.match(selector)
    assert m, selector
    lines = ledger
    for term in m.group(2).split():
        key, _, value = term.partition("=")
        assert key in ledger.columns, term
        wanted = value.split("|")
        col = lines[key]
        if key in ("function", "economic"):  # a code selects its subtree
            keep = col.map(lambda c, w=wanted: any(c.startswith(x) for x in w) and c != "")
        else:
            keep = col.isin(wanted)
        lines = lines[keep]
    assert len(lines), f"selector {selector} selects nothing"
    return Decimal(len(lines)) if m.group(1) == "count" else _total(lines)


def test_selectors_match_the_ledger(ledger: pd.DataFrame, figures: pd.DataFrame) -> None:
    mismatches = {}
    for r in figures[figures["selector"] != ""].itertuples():
        measured = _measure(ledger, r.selector)
        if r.unit == "万元":
            measured = measured / WAN
        if measured != Decimal(r.value):
            mismatches[r.id] = (measured, r.value)
    assert set(mismatches) == set(KNOWN_SELECTOR_EXCEPTIONS), mismatches


def test_selector_coverage(figures: pd.DataFrame) -> None:
    with_selector = set(figures.loc[figures["selector"] != "", "id"])
    econ = {f"gpb.econ.{c}" for c in ("301", "302", "30101", "30102", "30103", "30107", "30108",
                                      "30110", "30111", "30112", "30113", "30199", "30201",
                                      "30226", "30228", "30231")}
    func = {f"gpb.function.{c}" for c in ("201", "208", "210", "221")}
    projects = {f"project.{n}.amount" for n in range(1, 7)}
    assert econ | func | projects | {"gpb.econ.total", "gpb.function.total", "gpb.total",
                                     "projects.total", "projects.count"} == with_selector
    # figures the ledger cannot answer carry no selector
    for fid in ("income.grand_total", "income.gpb", "expenditure.basic", "expenditure.project",
                "sangong.total", "staff.actual"):
        assert fid not in with_selector


# ---------------------------------------------------------------------- indicators
def test_indicators(indicators: pd.DataFrame, ledger: pd.DataFrame,
                    values: dict[str, Decimal]) -> None:
    projects = list(ledger.loc[ledger["view"] == "projects", "project"])
    assert list(dict.fromkeys(indicators["project"])) == projects
    assert set(indicators["level1"]) <= {"产出", "效益", "满意度", "成本"}
    assert set(indicators["comparator"]) <= {"=", "≥", "≤", "qualitative"}
    assert set(indicators["unit"]) <= {"%", "年", "兆", "条", "套", "人", "个", "万元", ""}
    assert ((indicators["comparator"] == "qualitative") == (indicators["target"] == "")).all()
    assert ((indicators["target"] == "") == (indicators["unit"] == "")).all()
    quantitative = indicators[indicators["target"] != ""]
    assert quantitative["target"].str.fullmatch(r"\d+(\.\d+)?").all()
    assert (quantitative.loc[quantitative["unit"] == "%", "target"].map(Decimal) <= 100).all()
    for r in quantitative.itertuples():
        in_digits = r.target in [n for _, n in _runs(r.sentence)]
        in_words = any(t == r.target and w in r.sentence for t, w in CHINESE_NUMERAL_TARGETS)
        assert in_digits or in_words, r
        assert r.name.replace("（", "").replace("）", "")[:2] in r.sentence, r
    # the cost indicators are also figures, with the same value
    costs = indicators[indicators["level2"] == "成本"]
    assert len(costs) == 4
    assert (costs["level1"] == "产出").all()
    for r in costs.itertuples():
        n = projects.index(r.project) + 1
        assert values[f"project.{n}.cost"] == Decimal(r.target), r.project
        assert r.unit == "万元"
    # the project-1 levels are the text's own labels
    p1 = indicators[indicators["project"] == projects[0]]
    assert set(p1["level2"]) == {"数量指标", "质量指标", "时效指标", "效益指标", "满意度指标"}
    assert len(indicators) == 72
