"""Cut scenarios: exact allocation, feasibility, solving for a target and vectorised sweeps.

Expected values are worked out by hand (the arithmetic is in the comments) or come from an
independent oracle written here with Python integers and ``fractions`` — never from the
module's own output. Properties are checked on random ledgers that include zero, negative and
very large (10¹³ 分) lines, so the int64-overflow paths of the exact kernels run too.
"""

from __future__ import annotations

import doctest
import json
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import fiscalkit as fk
from fiscalkit import scenario as sc
from fiscalkit.scenario import PERSONNEL, Scenario, compare, solve, sweep

CODES = ["30101", "30102", "30108", "30110", "30113", "30199", "30201", "30226", "30228",
         "30231", "30301", "31002", "39999"]
SELECTORS: list[dict[str, Any]] = [
    {}, {"economic": "301"}, {"economic": "302"}, {"economic": ["30101", "30226"]},
    {"economic": "30231"}, {"project": ["p0", "p1", "p2"]}, {"economic": "3"},
]
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def ledger_of(amounts: Sequence[int], codes: Sequence[str] | None = None) -> fk.Ledger:
    """A ledger with one line per amount (int 分); keys made unique by the project name."""
    n = len(amounts)
    frame = pd.DataFrame({
        "year": np.full(n, 2021, dtype=np.int64),
        "economic": list(codes) if codes is not None else ["30201"] * n,
        "project": [f"p{i}" for i in range(n)],
        "amount": np.array(amounts, dtype=np.int64),
    })
    return fk.Ledger(frame, unit="分")


def amounts_of(ledger: fk.Ledger) -> list[int]:
    return [int(a) for a in ledger.frame["amount"]]


AMOUNT = st.one_of(
    st.integers(0, 1_000),
    st.integers(0, 10**9),
    st.integers(0, 10**13),  # 1000亿元: products overflow int64
    st.sampled_from([0, 1, 5, 100, 333]),
    st.integers(-10**6, -1),
)


@st.composite
def ledgers(draw: st.DrawFn, max_lines: int = 25) -> fk.Ledger:
    n = draw(st.integers(1, max_lines))
    amounts = draw(st.lists(AMOUNT, min_size=n, max_size=n))
    codes = draw(st.lists(st.sampled_from(CODES), min_size=n, max_size=n))
    return ledger_of(amounts, codes)


def eligible(ledger: fk.Ledger, protect: Sequence[dict[str, Any]] = (),
             on: dict[str, Any] | None = None) -> np.ndarray:
    """Oracle for the lines a cut may touch: in ``on``, positive, not protected."""
    mask = ledger.mask(**(on or {})) & (ledger.frame["amount"].to_numpy() > 0)
    for p in protect:
        mask &= ~ledger.mask(**p)
    return mask


# ---------------------------------------------------------------------- hand-computed examples
def test_largest_remainder_by_hand() -> None:
    # Cut 7 分 from lines of 500, 300 and 200 分 (total 1000):
    #   quotas 7×500/1000 = 3.5, 7×300/1000 = 2.1, 7×200/1000 = 1.4
    #   rounded down 3 + 2 + 1 = 6, so 1 分 is left over;
    #   largest remainder: .5 (line 1) > .4 (line 3) > .1 (line 2) → line 1 gets it.
    #   cuts 4, 2, 1 (total 7); new amounts 496, 298, 199.
    led = ledger_of([500, 300, 200])
    result = Scenario().cut(amount=7).apply(led)
    assert amounts_of(result.ledger) == [496, 298, 199]


def test_largest_remainder_ties_go_to_the_earlier_line() -> None:
    # Cut 2 分 from three lines of 100 分: quotas 2/3 each, rounded down 0 + 0 + 0 = 0,
    # 2 分 left over, all remainders equal (2/3) → the first two lines get one each.
    led = ledger_of([100, 100, 100])
    assert amounts_of(Scenario().cut(amount=2).apply(led).ledger) == [99, 99, 100]


def test_rate_cut_total_is_rounded_half_up_then_allocated() -> None:
    # 10% of 5, 5 and 5 分: quotas 0.5 each, total 1.5 → rounded half up to 2 分.
    # Rounded down 0 + 0 + 0, 2 left over, ties → lines 1 and 2.  Cuts 1, 1, 0.
    led = ledger_of([5, 5, 5])
    assert amounts_of(Scenario().cut(rate=0.1).apply(led).ledger) == [4, 4, 5]
    # 15% of 333, 333, 334 分: quotas 49.95, 49.95, 50.1, total exactly 150.
    # Rounded down 49 + 49 + 50 = 148, 2 left over to remainders .95, .95 (not .1).
    # Cuts 50, 50, 50.
    led = ledger_of([333, 333, 334])
    assert amounts_of(Scenario().cut(rate="15%").apply(led).ledger) == [283, 283, 284]


def test_doctest_example_by_hand() -> None:
    # 10万元 = 10,000,000 分 cut from 办公费 4,200,000 分 and 劳务费 78,000,000 分
    # (基本工资 protected); eligible total 82,200,000 分.
    #   办公费 10,000,000 × 4,200,000 / 82,200,000 = 510,948.905… → 510,948
    #   劳务费 10,000,000 × 78,000,000 / 82,200,000 = 9,489,051.094… → 9,489,051
    #   rounded down total 9,999,999 → 1 分 to the larger remainder (.905, 办公费).
    led = fk.Ledger.from_records([
        {"year": 2021, "economic": "30101", "amount": "789700.00"},
        {"year": 2021, "economic": "30201", "amount": "42000.00"},
        {"year": 2021, "economic": "30226", "amount": "780000.00"},
    ])
    result = Scenario().protect(PERSONNEL).target(cut="10万元").apply(led)
    assert result.deltas("economic")["delta"].tolist() == [0, -510_949, -9_489_051]
    assert result.delta == -10_000_000


def test_module_doctests() -> None:
    failures, tests = doctest.testmod(sc, optionflags=doctest.ELLIPSIS)
    assert tests >= 8
    assert failures == 0


# ---------------------------------------------------------------------- rates and amounts
@pytest.mark.parametrize(("value", "expected"), [
    (0.156, Fraction(39, 250)),
    ("0.156", Fraction(39, 250)),
    ("15.6%", Fraction(39, 250)),
    ("39/250", Fraction(39, 250)),
    (Fraction(1, 3), Fraction(1, 3)),
    (1 / 3, Fraction(1, 3)),
    (0, Fraction(0)),
    (float(np.linspace(0, 0.3, 10_000)[7]), Fraction(7, 33_330)),  # 0.3 × 7 / 9999
])
def test_as_rate(value: Any, expected: Fraction) -> None:
    assert sc.as_rate(value) == expected


def test_as_fen_is_exact_and_refuses_floats() -> None:
    assert sc.as_fen("74万元") == 74_000_000
    assert sc.as_fen(fk.parse_amount("0.01元")) == 1
    assert sc.as_fen(12) == 12
    with pytest.raises(TypeError, match="not exact"):
        sc.as_fen(1.5)  # type: ignore[arg-type]
    with pytest.raises(fk.errors.UnitError):
        sc.as_fen("740000")  # no unit: ambiguous


def test_bad_operations_are_errors() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Scenario().cut({}, rate=0.1, amount=5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        Scenario().cut({}, rate=1.5)
    with pytest.raises(ValueError, match="no dimension"):
        Scenario().protect({"economics": "301"})
    with pytest.raises(ValueError, match="unknown scenario operation"):
        Scenario.from_dict({"stages": [[{"op": "slash"}]]})
    with pytest.raises(ValueError, match="unknown key"):
        Scenario.from_dict({"stages": [[{"op": "cut", "rate": "0.1", "wher": {}}]]})


# ---------------------------------------------------------------------- exact kernels
@given(st.lists(st.integers(0, 2**53), min_size=1, max_size=30),
       st.integers(0, 2**62), st.integers(1, 2**62))
@SETTINGS
def test_muldiv_matches_python_integers(xs: list[int], p: int, q: int) -> None:
    expected = [divmod(x * p, q) for x in xs]
    assume(all(e[0] < 2**63 for e in expected))
    quot, rem = sc._muldiv(np.array(xs, dtype=np.int64), p, q)
    assert list(zip(quot.tolist(), rem.tolist(), strict=True)) == expected


@given(st.lists(st.integers(2**40, 2**51), min_size=1, max_size=30),
       st.integers(2**23, 2**40), st.data())
@SETTINGS
def test_muldiv_overflowing_products_at_rates_up_to_one(xs: list[int], p: int,
                                                        data: st.DataObject) -> None:
    # x·p ≥ 2**63 but x·p/q < 2**51: the float estimate corrected by the wrapped remainder
    q = data.draw(st.integers(p, 2**59))
    quot, rem = sc._muldiv(np.array(xs, dtype=np.int64), p, q)
    assert list(zip(quot.tolist(), rem.tolist(), strict=True)) == [divmod(x * p, q) for x in xs]


@given(st.lists(st.integers(1, 10**12), min_size=1, max_size=30), st.data())
@SETTINGS
def test_waterfill_hits_the_amount_at_one_rate(xs: list[int], data: st.DataObject) -> None:
    x = np.array(xs, dtype=np.int64)
    room = np.array([data.draw(st.integers(1, v)) for v in xs], dtype=np.int64)
    amount = data.draw(st.integers(1, int(room.sum())))
    cut, rate = sc._waterfill(x, room, amount)
    assert int(cut.sum()) == amount
    assert (cut <= room).all()
    assert (cut >= 0).all()
    for xi, ri, ci in zip(xs, room.tolist(), cut.tolist(), strict=True):
        quota = min(rate * xi, Fraction(ri))  # Σ min(r·x, room) = amount, each rounded
        assert math.floor(quota) <= ci <= math.ceil(quota)


# ---------------------------------------------------------------------- properties
def build(ops: Sequence[tuple[str, dict[str, Any]]], name: str = "s") -> Scenario:
    s = Scenario(name, "random")
    for method, kwargs in ops:
        s = getattr(s, method)(**kwargs)
    return s


SEL = st.sampled_from(SELECTORS)
RATE = st.one_of(st.fractions(0, 1, max_denominator=1000), st.sampled_from([0.05, 0.156, 1.0]))
CUT_OPS = st.one_of(
    st.builds(lambda w: ("protect", {"where": w}), SEL),
    st.builds(lambda w: ("freeze", {"where": w}), SEL),
    st.builds(lambda w, r: ("floor", {"where": w, "rate": r}), SEL, RATE),
    st.builds(lambda w, r: ("cut", {"where": w, "rate": r}), SEL, RATE),
    st.builds(lambda w, a: ("cut", {"where": w, "amount": a}), SEL, st.integers(0, 10**9)),
    st.builds(lambda w, a: ("cap", {"where": w, "amount": a}), SEL, st.integers(0, 10**10)),
    st.builds(lambda a, p: ("target", {"cut": a, "priority": p}), st.integers(0, 10**9),
              st.lists(SEL, max_size=2)),
)
ANY_OPS = st.one_of(
    CUT_OPS,
    st.builds(lambda s, d, a: ("shift", {"source": s, "dest": d, "amount": a}),
              SEL, SEL, st.integers(0, 10**8)),
    st.builds(lambda s, d, r: ("shift", {"source": s, "dest": d, "rate": r}), SEL, SEL, RATE),
)


@given(ledgers(), st.lists(CUT_OPS, max_size=5))
@SETTINGS
def test_cut_plus_remainder_is_the_original_on_every_line(led: fk.Ledger,
                                                         ops: list[Any]) -> None:
    result = build(ops).apply(led)
    lines = result.lines()
    assert (lines["amount"] - lines["delta"] == lines["baseline"]).all()
    # a cut never raises a line, and never takes a positive line below zero
    assert (lines["delta"] <= 0).all()
    positive = lines["baseline"] > 0
    assert (lines.loc[positive, "amount"] >= 0).all()
    assert (lines.loc[~positive, "delta"] == 0).all()
    assert result.ledger.frame["amount"].dtype == np.int64


@given(ledgers(), st.lists(CUT_OPS, max_size=5), SEL)
@SETTINGS
def test_protected_lines_never_change(led: fk.Ledger, ops: list[Any],
                                      protected: dict[str, Any]) -> None:
    result = build([("protect", {"where": protected}), *ops]).apply(led)
    mask = led.mask(**protected)
    before = led.frame["amount"].to_numpy()[mask]
    after = result.ledger.frame["amount"].to_numpy()[mask]
    assert (before == after).all()


@given(ledgers(), st.lists(ANY_OPS, max_size=5), SEL)
@SETTINGS
def test_frozen_lines_never_change_even_under_shifts(led: fk.Ledger, ops: list[Any],
                                                     frozen: dict[str, Any]) -> None:
    result = build([("freeze", {"where": frozen}), *ops]).apply(led)
    mask = led.mask(**frozen)
    assert (led.frame["amount"].to_numpy()[mask]
            == result.ledger.frame["amount"].to_numpy()[mask]).all()


@given(ledgers(), st.lists(ANY_OPS, max_size=5))
@SETTINGS
def test_shifts_keep_the_total_and_protected_lines_never_decrease(led: fk.Ledger,
                                                                  ops: list[Any]) -> None:
    shifts = [op for op in ops if op[0] == "shift"]
    result = build([("protect", {"where": {"economic": "301"}}), *shifts]).apply(led)
    assert result.delta == 0
    mask = led.mask(economic="301")
    assert (result.ledger.frame["amount"].to_numpy()[mask]
            >= led.frame["amount"].to_numpy()[mask]).all()


def available_oracle(led: fk.Ledger, protect: dict[str, Any], floor: Fraction) -> int:
    """What the unprotected lines can give above a per-line floor rate, in Python integers."""
    total = 0
    for amount, ok in zip(amounts_of(led), eligible(led, [protect]).tolist(), strict=True):
        if ok:
            total += amount - math.ceil(floor * amount)
    return total


@given(ledgers(), SEL, st.fractions(0, 1, max_denominator=20), st.data())
@SETTINGS
def test_target_is_hit_exactly_whenever_feasible(led: fk.Ledger, protect: dict[str, Any],
                                                 floor: Fraction, data: st.DataObject) -> None:
    available = available_oracle(led, protect, floor)
    cut = data.draw(st.integers(0, available + 1_000))
    priority = data.draw(st.lists(SEL, max_size=2))
    plan = (Scenario().protect(protect).floor({}, rate=floor)
            .target(cut=cut, priority=priority))
    result = plan.apply(led)
    assert result.feasible == (cut <= available)
    if result.feasible:
        assert result.delta == -cut
        # floors held, line by line
        lo = [math.ceil(floor * a) for a in amounts_of(led)]
        assert all(new >= low or new == old for new, low, old in
                   zip(amounts_of(result.ledger), lo, amounts_of(led), strict=True))


@given(ledgers(), SEL, st.integers(1, 10**9), st.lists(CUT_OPS, max_size=3))
@SETTINGS
def test_infeasible_targets_are_reported_and_never_half_applied(
        led: fk.Ledger, protect: dict[str, Any], excess: int, before: list[Any]) -> None:
    available = available_oracle(led, protect, Fraction(0))
    plan = build([("protect", {"where": protect})]).cut({}, amount=available + excess)
    result = (build(before) + plan).apply(led)
    assert not result.feasible
    assert result.ledger is led
    errors = [f for f in result.findings if f.severity == "error"]
    assert errors
    assert errors[0].rule == "scenario.infeasible"
    shortfalls = [f.details["shortfall"] for f in errors if "shortfall" in f.details]
    if not before:  # nothing else ran: the shortfall is exactly the excess
        assert shortfalls == [excess]
    assert result.report().errors


@given(st.lists(ANY_OPS, max_size=6), st.lists(ANY_OPS, max_size=3), ledgers())
@SETTINGS
def test_a_scenario_read_back_from_a_dict_applies_identically(
        first: list[Any], second: list[Any], led: fk.Ledger) -> None:
    plan = build(first, "甲").then(build(second, "乙"))
    plain = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    again = Scenario.from_dict(plain)
    assert again == plan
    a, b = plan.apply(led), again.apply(led)
    assert a.ledger == b.ledger
    assert [f.message for f in a.findings] == [f.message for f in b.findings]
    assert Scenario.from_yaml(plan.to_yaml()) == plan
    assert Scenario.from_json(plan.to_json()) == plan


@given(ledgers(max_lines=40), st.lists(SEL, max_size=2),
       st.sampled_from([None, {"economic": "302"}]),
       st.lists(st.one_of(st.integers(0, 200).map(lambda k: Fraction(k, 200)),
                          st.fractions(0, 1, max_denominator=10**7)), min_size=1, max_size=12),
       st.sampled_from(["auto", "lines", "residues"]))
@SETTINGS
def test_sweep_equals_apply_at_each_rate(led: fk.Ledger, protect: list[dict[str, Any]],
                                         on: dict[str, Any] | None, rates: list[Fraction],
                                         method: Any) -> None:
    if method == "residues" and sc._common_denominator(rates) is None:
        method = "lines"
    swept = sweep(led, rates, protect=protect, on=on, by="economic", level=1, method=method)
    for rate in rates:
        plan = Scenario()
        for p in protect:
            plan = plan.protect(p)
        applied = plan.cut(on, rate=rate).apply(led).deltas("economic", level=1)
        mine = swept[swept["rate_exact"] == rate].drop_duplicates("economic")
        assert mine["amount"].tolist() == applied["amount"].tolist()
        assert mine["delta"].tolist() == applied["delta"].tolist()


def test_residue_and_line_sweeps_agree_on_many_ties() -> None:
    # 3,000 lines drawn from a few amounts: thousands of equal remainders at every rate,
    # so which lines get the last 分 is decided by line order, across groups.
    rng = np.random.default_rng(6)
    amounts = rng.choice([7, 13, 100, 250, 999, 10**6 + 3], size=3_000)
    codes = rng.choice(CODES, size=3_000)
    led = ledger_of(amounts.tolist(), codes.tolist())
    rates = [Fraction(k, 400) for k in range(401)]
    a = sweep(led, rates, protect=PERSONNEL, by="economic", method="residues")
    b = sweep(led, rates, protect=PERSONNEL, by="economic", method="lines")
    pd.testing.assert_frame_equal(a, b)
    for k in (1, 77, 133, 200, 399):
        applied = Scenario().protect(PERSONNEL).cut(rate=rates[k]).apply(led)
        assert (a[a["rate_exact"] == rates[k]]["amount"].tolist()
                == applied.deltas("economic")["amount"].tolist())


# ---------------------------------------------------------------------- semantics
def test_plus_shares_constraints_then_does_not() -> None:
    led = ledger_of([100_00, 100_00], ["30101", "30201"])
    protect = Scenario("保工资").protect(PERSONNEL)
    cut = Scenario("一刀切").cut(rate="10%")
    # one stage: the protection binds the cut
    assert amounts_of((protect + cut).apply(led).ledger) == [100_00, 90_00]
    # stacked: the cut runs in its own stage, unprotected
    assert amounts_of(protect.then(cut).apply(led).ledger) == [90_00, 90_00]
    assert (protect + cut).name == "保工资 + 一刀切"


def test_stacked_rates_compound() -> None:
    led = ledger_of([10_000])
    plan = Scenario().cut(rate="10%").then(Scenario().cut(rate="10%"))
    assert amounts_of(plan.apply(led).ledger) == [8_100]


def test_priority_order_decides_where_cuts_fall() -> None:
    # 公务用车 30231 (18万元) goes first and gives all it has; the remaining 1万元 of a
    # 19万元 cut falls on 办公费 and 劳务费 (10万元 each) in proportion: 0.5万元 each.
    led = ledger_of([18_000_000, 10_000_000, 10_000_000], ["30231", "30201", "30226"])
    plan = Scenario().target(cut="19万元", priority=[{"economic": "30231"}])
    assert amounts_of(plan.apply(led).ledger) == [0, 9_500_000, 9_500_000]
    only = Scenario().target(cut="19万元", priority=[{"economic": "30231"}], only_priority=True)
    result = only.apply(led)
    assert not result.feasible
    assert result.findings[0].details["shortfall"] == 1_000_000


def test_floor_on_a_total_holds_line_by_line() -> None:
    # The pair 600 + 400 must keep 800 of its 1000: each line keeps 80%, i.e. 480 and 320,
    # so they can give 120 + 80 = 200; 30231 (no floor) can give all of its 1000.
    led = ledger_of([600, 400, 1_000], ["30201", "30226", "30231"])
    floored = Scenario().floor({"economic": ["30201", "30226"]}, amount=800)
    assert not floored.cut(amount=1_500).apply(led).feasible  # 1500 > 200 + 1000
    # Cutting 1100 at one uniform rate r: min(600r, 120) + min(400r, 80) + 1000r = 1100.
    # For r ≥ 0.2 the pair is at its floor: 200 + 1000r = 1100 → r = 0.9 (≥ 0.2, consistent).
    # Cuts 120, 80, 900 → amounts 480, 320, 100.
    assert amounts_of(floored.cut(amount=1_100).apply(led).ledger) == [480, 320, 100]


def test_cap_cuts_the_excess_only() -> None:
    led = ledger_of([18_000_000, 5_000_000], ["30231", "30201"])
    result = Scenario().cap({"economic": "30231"}, "6万元").apply(led)
    assert amounts_of(result.ledger) == [6_000_000, 5_000_000]
    again = Scenario().cap({"economic": "30231"}, "20万元").apply(led)
    assert again.ledger == led
    assert again.findings[0].rule == "scenario.met"


def test_shift_moves_money_in_proportion() -> None:
    led = ledger_of([1_000, 300, 100], ["30226", "30201", "30228"])
    plan = Scenario().shift({"economic": "30226"}, {"economic": ["30201", "30228"]}, amount=400)
    # 400 taken from 30226; given 300:100 → 300 and 100
    assert amounts_of(plan.apply(led).ledger) == [600, 600, 200]


def test_solve_rate_is_exact_and_reproduces_the_target() -> None:
    led = ledger_of([273_000_000, 4_200_000, 78_000_000, 1_700_000, 6_000_000],
                    ["30101", "30201", "30226", "30228", "30231"])
    sol = solve(led, cut="74万元", protect=PERSONNEL)
    # 74万元 over the 89.9万元 that is not personnel
    assert sol.rate == Fraction(74_000_000, 89_900_000) == Fraction(740, 899)
    assert sol.feasible
    assert int(sol.allocation.sum()) == 74_000_000
    assert (sol.allocation + np.array(amounts_of(sol.result.ledger))
            == np.array(amounts_of(led))).all()
    rate_cut = Scenario().protect(PERSONNEL).cut(rate=sol.rate).apply(led)
    assert rate_cut.ledger == sol.result.ledger
    by_total = solve(led, fk.parse_amount("288.9万元"), protect=PERSONNEL)
    assert by_total.rate == sol.rate
    too_much = solve(led, cut="100万元", protect=PERSONNEL)
    assert not too_much.feasible
    assert too_much.rate == Fraction(1000, 899)
    assert too_much.findings[0].details["shortfall"] == 10_100_000  # 100 - 89.9 万元
    assert not too_much.allocation.any()


@given(ledgers(), SEL, st.data())
@SETTINGS
def test_solve_allocation_rounds_each_quota(led: fk.Ledger, protect: dict[str, Any],
                                            data: st.DataObject) -> None:
    mask = eligible(led, [protect])
    available = sum(a for a, ok in zip(amounts_of(led), mask.tolist(), strict=True) if ok)
    cut = data.draw(st.integers(0, available))
    sol = solve(led, cut=cut, protect=protect)
    assert sol.feasible
    assert int(sol.allocation.sum()) == cut
    for a, ok, c in zip(amounts_of(led), mask.tolist(), sol.allocation.tolist(), strict=True):
        quota = (sol.rate or 0) * a if ok else 0
        assert math.floor(quota) <= c <= math.ceil(quota)


# ---------------------------------------------------------------------- reporting
def test_compare_and_deltas() -> None:
    led = ledger_of([273_000_000, 4_200_000, 78_000_000], ["30101", "30201", "30226"])
    a = Scenario("A").protect(PERSONNEL).target(cut="10万元").apply(led)
    b = Scenario("B").target(cut="1000万元").apply(led)
    table = compare(led, a, b, by="economic", level=1, names=True)
    assert table.columns.tolist() == ["economic", "economic_zh", "economic_en", "baseline",
                                      "A", "A Δ", "B [infeasible]", "B [infeasible] Δ"]
    assert table["A Δ"].sum() == -10_000_000
    assert table["B [infeasible] Δ"].sum() == 0
    deltas = a.deltas("economic", level=1)
    assert deltas["delta"].tolist() == [0, -10_000_000]
    assert deltas["change"].iloc[0] == 0.0


def test_sweep_output_is_tidy() -> None:
    led = ledger_of([100, 200], ["30101", "30201"])
    frame = sweep(led, [0, 0.5, 1], by="economic", level=1, names=True)
    assert frame.columns.tolist() == ["rate", "rate_exact", "economic", "economic_zh",
                                      "economic_en", "baseline", "amount", "delta"]
    assert frame["amount"].tolist() == [100, 200, 50, 100, 0, 0]
    totals = sweep(led, [0.5])
    assert totals["amount"].tolist() == [150]
    assert "economic" not in totals


def test_waterfall_draws_with_labels() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    led = ledger_of([273_000_000, 4_200_000, 78_000_000], ["30101", "30201", "30226"])
    result = Scenario("压减").protect(PERSONNEL).target(cut="10万元").apply(led)
    ax = sc.waterfall(result, by="economic", level=2)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 4  # baseline, two cut lines, result
    assert labels[1].startswith("30201")


def test_yindu_2021_cut_with_personnel_protected() -> None:
    disclosure = pytest.importorskip("fiscalkit.datasets").load("yindu-zhengwu-2021")
    eco = disclosure.views["economic"]
    sol = solve(eco, cut="74万元", protect=PERSONNEL)
    assert sol.feasible
    assert sol.rate == Fraction(740, 899)  # 74 of 89.9万元
    assert not solve(eco, cut="100万元", protect=PERSONNEL).feasible
