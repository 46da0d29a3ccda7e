"""Reconciliation rules: each with a case that holds and one that fails, plus the properties
that make a reconciler trustworthy (right-by-construction figures never raise an error; a
figure moved outside its rounding interval always does, naming that figure)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalkit as fk
from fiscalkit.disclosure import Disclosure, StatedFigure, figures_from_frame, narrate
from fiscalkit.reconcile import Interval, reconcile

# ---------------------------------------------------------------------- helpers


def figures(rows: list[dict[str, str]]) -> tuple[StatedFigure, ...]:
    base = {"year": "2021", "label_zh": "", "label_en": "", "unit": "万元", "kind": "amount",
            "selector": "", "relation": "", "status": "stated", "sentence": "", "note": ""}
    return figures_from_frame(pd.DataFrame([{**base, "precision": "", **r} for r in rows]))


def disclosure(rows: list[dict[str, str]], lines: list[dict[str, object]] | None = None
               ) -> Disclosure:
    ledger = fk.Ledger.from_records(lines or [{"year": 2021, "amount": "0"}])
    return Disclosure({"main": ledger}, figures(rows), {"name": "test"})


def rules(report: fk.findings.Report, severity: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.rule, tuple(r.id for r in f.figures)) for f in report.findings
            if f.severity == severity]


# ---------------------------------------------------------------------- intervals


def test_interval_arithmetic_is_exact() -> None:
    a = Interval(Fraction(1, 10), Fraction(2, 10))
    b = Interval(Fraction(2, 10), Fraction(3, 10))
    assert (a + b) == Interval(Fraction(3, 10), Fraction(5, 10))
    assert (a - b) == Interval(Fraction(-2, 10), Fraction(0))
    assert a.divide(Interval(Fraction(-1), Fraction(1))) is None
    assert a.divide(b) == Interval(Fraction(1, 3), Fraction(1))


# ---------------------------------------------------------------------- rule: sum


def test_sum_exact_passes() -> None:
    d = disclosure([{"id": "t", "value": "400", "relation": "sum(a, b)"},
                    {"id": "a", "value": "363"}, {"id": "b", "value": "37"}])
    assert reconcile(d).findings == ()


def test_sum_within_rounding_is_a_warning_naming_the_difference() -> None:
    # 0.1 precision parts 362.9 + 37.3 = 400.2 against a total printed as "400":
    # only consistent if the total was rounded from [399.5, 400.5].
    d = disclosure([{"id": "t", "value": "400", "relation": "sum(a, b)"},
                    {"id": "a", "value": "362.9"},
                    {"id": "b", "value": "37.3"}])
    report = reconcile(d)
    assert rules(report, "warning") == [("sum", ("t", "a", "b"))]
    assert "-0.2" in report.warnings[0].message
    assert rules(report, "error") == []


def test_sum_outside_rounding_is_an_error_with_the_gap_explained() -> None:
    # 362.9 stated as the total of parts 273 + 89.9 = 362.9 is fine; 400 against the same
    # parts is 37.1 off, far beyond ±0.5 + ±0.5 + ±0.05, and 37 is another stated figure.
    d = disclosure([{"id": "t", "value": "400", "relation": "sum(a, b)"},
                    {"id": "a", "value": "273"}, {"id": "b", "value": "89.9"},
                    {"id": "proj", "value": "37", "label_zh": "项目支出"}])
    report = reconcile(d)
    assert rules(report, "error") == [("sum", ("t", "a", "b"))]
    assert "proj" in report.errors[0].explanation


# ---------------------------------------------------------------------- rule: share


def test_share_rounded_by_nature_passes() -> None:
    # 296.9 / 362.9 = 81.81…% → 82%
    d = disclosure([{"id": "s", "value": "82", "unit": "%", "kind": "share",
                     "relation": "share(p, w)"},
                    {"id": "p", "value": "296.9"},
                    {"id": "w", "value": "362.9"}])
    assert reconcile(d).findings == ()


def test_share_wrong_is_an_error() -> None:
    # 20 / 362.9 = 5.51% can never be 8%, however 20 and 362.9 were rounded.
    d = disclosure([{"id": "s", "value": "8", "unit": "%", "kind": "share",
                     "relation": "share(p, w)"},
                    {"id": "p", "value": "20"}, {"id": "w", "value": "362.9"}])
    assert rules(reconcile(d), "error") == [("share", ("s", "p", "w"))]


def test_share_needing_rounded_inputs_is_a_warning() -> None:
    # 23 / 362.9 = 6.338% → 6%, but stated as 7%: only if 23 was rounded up from < 23.5
    # would 23.5/362.85 = 6.476% ... still 6. So pick a boundary: 24.5/362.9 = 6.751 → 7;
    # stated part "24" exact gives 6.61% → 7%: passes; "24" with 6% is the warning case:
    # 24/362.9 = 6.613 → 7 exact-reading fails, 23.5/362.95 = 6.47 → 6 rounded-reading holds.
    d = disclosure([{"id": "s", "value": "6", "unit": "%", "kind": "share",
                     "relation": "share(p, w)"},
                    {"id": "p", "value": "24"}, {"id": "w", "value": "362.9"}])
    report = reconcile(d)
    assert rules(report, "warning") == [("share", ("s", "p", "w"))]


# ---------------------------------------------------------------------- diff / pct_change


def test_pct_change_consistent_and_contradicted() -> None:
    # 74 / 474 = 15.61% → "15.6" holds; 74 / 436.9 = 16.94% contradicts "15.6".
    rows = [{"id": "new", "value": "400"}, {"id": "old", "value": "474"},
            {"id": "new2", "value": "362.9"},
            {"id": "old2", "value": "436.9"},
            {"id": "p1", "value": "-15.6", "unit": "%", "kind": "change",
             "relation": "pct_change(new, old)"},
            {"id": "p2", "value": "-15.6", "unit": "%", "kind": "change",
             "relation": "pct_change(new2, old2)"}]
    report = reconcile(disclosure(rows))
    assert rules(report, "error") == [("pct_change", ("p2", "new2", "old2"))]
    assert not rules(report, "warning")


def test_diff_exact_and_error() -> None:
    rows = [{"id": "a", "value": "6"}, {"id": "b", "value": "18"},
            {"id": "ok", "value": "-12", "kind": "change", "relation": "diff(a, b)"},
            {"id": "bad", "value": "-14", "kind": "change", "relation": "diff(a, b)"}]
    report = reconcile(disclosure(rows))
    assert rules(report, "error") == [("diff", ("bad", "a", "b"))]


# ---------------------------------------------------------------------- same / le


def test_same_figure_in_two_places() -> None:
    rows = [{"id": "a", "value": "6"}, {"id": "b", "value": "6", "relation": "same(a)"},
            {"id": "c", "value": "6.2", "relation": "same(a)"},
            {"id": "d", "value": "7", "relation": "same(a)"}]
    report = reconcile(disclosure(rows))
    assert rules(report, "warning") == [("same", ("c", "a"))]
    assert rules(report, "error") == [("same", ("d", "a"))]


def test_part_never_exceeds_whole() -> None:
    rows = [{"id": "whole", "value": "6"}, {"id": "ok", "value": "6", "relation": "le(whole)"},
            {"id": "bad", "value": "8", "relation": "le(whole)"}]
    assert rules(reconcile(disclosure(rows)), "error") == [("le", ("bad", "whole"))]


# ---------------------------------------------------------------------- ledger / counts


LINES = [
    {"year": 2021, "fund": "general", "economic": "30101", "function": "2010350",
     "amount": "789700.00"},
    {"year": 2021, "fund": "general", "economic": "30113", "function": "2210201",
     "amount": "231600.00"},
    {"year": 2021, "kind": "project", "project": "A", "amount": "50000"},
    {"year": 2021, "kind": "project", "project": "B", "amount": "40000"},
]


def test_ledger_rule_exact_rounded_and_wrong() -> None:
    rows = [
        {"id": "exact", "value": "78.97", "selector": "sum(economic=30101)"},
        {"id": "rounded", "value": "79", "selector": "sum(economic=30101)"},
        {"id": "wrong", "value": "80", "selector": "sum(economic=30101)"},
        {"id": "n", "value": "2", "unit": "个", "kind": "count",
         "selector": "count(kind=project)"},
        {"id": "n_bad", "value": "6", "unit": "个", "kind": "count",
         "selector": "count(kind=project)"},
    ]
    report = reconcile(disclosure(rows, LINES))
    assert rules(report, "warning") == [("ledger", ("rounded",))]
    assert sorted(rules(report, "error")) == [("ledger", ("n_bad",)), ("ledger", ("wrong",))]


def test_home_rule_line_level() -> None:
    lines = [{"year": 2021, "economic": "30113", "function": "2010350", "amount": "1"}]
    report = reconcile(disclosure([{"id": "x", "value": "0"}], lines))
    homes = [f for f in report.findings if f.rule == "home"]
    assert len(homes) == 1
    assert homes[0].severity == "warning"
    assert "221" in homes[0].message


def test_home_rule_passes_when_at_home() -> None:
    report = reconcile(disclosure([{"id": "x", "value": "0"}], LINES))
    assert not [f for f in report.findings if f.rule == "home"]


def test_report_json_shape() -> None:
    rows = [{"id": "a", "value": "6"}, {"id": "d", "value": "7", "relation": "same(a)"}]
    data = json.loads(reconcile(disclosure(rows)).to_json())
    finding = data["findings"][0]
    assert set(finding) >= {"rule", "severity", "message", "figures", "expected", "actual"}
    assert finding["figures"][0].keys() >= {"id", "label", "value", "unit", "source"}
    assert finding["expected"] == [5.5, 6.5]
    assert finding["actual"] == 7
    assert data["summary"]["error"] == 1


# ---------------------------------------------------------------------- properties

_FUNCTIONS = ["2010101", "2010350", "20103", "2080505", "2101102", "2210201", "201", "208"]
_ECONOMIC = ["30101", "30102", "30108", "30113", "30201", "30226", "30231", "302", "31002"]


@st.composite
def ledgers(draw: st.DrawFn) -> fk.Ledger:
    n = draw(st.integers(1, 12))
    lines = []
    for i in range(n):
        lines.append({
            "year": 2021, "fund": "general",
            "kind": draw(st.sampled_from(["basic", "basic.personnel", "basic.public", "project"])),
            "function": draw(st.sampled_from(_FUNCTIONS)),
            "economic": draw(st.sampled_from(_ECONOMIC)),
            "project": f"p{i}",
            "amount": str(draw(st.integers(1, 10**10))),
        })
    return fk.Ledger.from_frame(pd.DataFrame(lines), unit="分")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.integers(0, 4), st.integers(0, 2), st.sampled_from(["元", "万元"]))
def test_figures_rendered_from_any_ledger_never_raise_an_error(
        ledger: fk.Ledger, decimals: int, share_decimals: int, unit: str) -> None:
    d = Disclosure({"main": ledger}, narrate(ledger, unit=unit, decimals=decimals,
                                              share_decimals=share_decimals), {})
    report = reconcile(d)
    assert report.checks > 0
    assert report.errors == (), report.to_text()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.integers(0, 3), st.data())
def test_a_figure_moved_outside_its_rounding_is_an_error_naming_it(
        ledger: fk.Ledger, decimals: int, data: st.DataObject) -> None:
    figs = list(narrate(ledger, unit="万元", decimals=decimals))
    candidates = [i for i, f in enumerate(figs) if f.selector is not None]
    i = data.draw(st.sampled_from(candidates))
    f = figs[i]
    # two quanta away: the true value is then at least 1.5 quanta from what is printed
    shift = f.precision * data.draw(st.sampled_from([-3, -2, 2, 3]))
    figs[i] = StatedFigure(f.id, f.year, f.label_zh, f.label_en, f.value + shift, f.unit,
                           f.precision, f.kind, f.selector, f.relations, f.status, f.sentence)
    report = reconcile(Disclosure({"main": ledger}, tuple(figs), {}))
    named = {r.id for e in report.errors for r in e.figures}
    assert f.id in named, report.to_text()


def test_decimal_values_keep_published_digits() -> None:
    (f,) = figures([{"id": "a", "value": "362.90"}])
    assert f.value == Decimal("362.90")
    assert f.interval() == (Decimal("362.895"), Decimal("362.905"))


@pytest.mark.parametrize(("text", "error"), [
    ("sum(view=a b)", "key=value"), ("total(view=a)", "not a selector")])
def test_bad_selector_is_a_typed_error(text: str, error: str) -> None:
    with pytest.raises(fk.errors.ParseError, match=error):
        figures([{"id": "a", "value": "1", "selector": text}])


@pytest.mark.parametrize(("text", "error"), [
    ("eval(a)", "unknown relation"), ("share(a)", "2 argument"), ("sum(a, zz)", "unknown figure")])
def test_bad_relation_is_a_typed_error(text: str, error: str) -> None:
    with pytest.raises(fk.FiscalkitError, match=error):
        figures([{"id": "a", "value": "1", "relation": text}])


def test_relations_compare_money_across_units() -> None:
    # 887.36万元 in the text is 8,873,600元; a table's 8,873,617.00元 rounds to it (warning),
    # while 873,617.00元 (a slip of a factor of ten) cannot (error).
    rows = [{"id": "table", "value": "8873617.00", "unit": "元"},
            {"id": "table_slip", "value": "873617.00", "unit": "元"},
            {"id": "text", "value": "887.36", "relation": "same(table)"},
            {"id": "text_slip", "value": "887.36", "relation": "same(table_slip)"},
            {"id": "exact", "value": "887.3617", "relation": "same(table)"}]
    report = reconcile(disclosure(rows))
    assert rules(report, "warning") == [("same", ("text", "table"))]
    assert rules(report, "error") == [("same", ("text_slip", "table_slip"))]
    # the finding speaks in the unit the figure was printed in
    (error,) = report.errors
    assert error.actual == Decimal("887.36")
    # 873,617.00元 stands for [873,616.995, 873,617.005]元
    assert error.expected == (Decimal("87.3616995"), Decimal("87.3617005"))


# ---------------------------------------------------------------------- misprint explanations


@pytest.mark.parametrize(("text", "table", "says"), [
    # 877,080.00元 = 87.708万元: rounded half-up "87.71", cut "87.70" (普陀区财政局 2025, p. 7)
    ("87.70", "877080.00", "cut (not rounded) to its printed digits is 87.70"),
    # 873,617.00元 = 87.3617万元 → "87.36"; printed "887.36": one key pressed twice
    ("887.36", "873617.00", "digit '8' (position 1) left out reads 87.36"),
    # 877,080.00元 printed "87.80": neither a cut nor a slipped digit, so no such claim
    ("87.80", "877080.00", None),
])
def test_a_misprinted_figure_is_explained(text: str, table: str, says: str | None) -> None:
    d = disclosure([{"id": "text.x", "value": text, "relation": "same(table.x)"},
                    {"id": "table.x", "value": table, "unit": "元"}])
    (finding,) = reconcile(d).errors
    assert finding.rule == "same"
    if says is None:
        assert "truncates" not in finding.explanation
        assert "slipped" not in finding.explanation
    else:
        assert says in finding.explanation


def test_a_cut_ledger_total_is_explained() -> None:
    # the ledger holds 12,375元 + 10,000元 = 2.2375万元: "2.23" is it cut, rounding gives 2.24
    d = disclosure([{"id": "t", "value": "2.23", "selector": "sum()"}],
                   [{"year": 2021, "function": "201", "amount": "12375"},
                    {"year": 2021, "function": "205", "amount": "10000"}])
    (finding,) = reconcile(d).errors
    assert finding.rule == "ledger"
    assert "the document truncates" in finding.explanation
