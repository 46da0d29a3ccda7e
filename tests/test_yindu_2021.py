"""The bundled 2021 disclosure: tables rendered from its ledger, figures recomputed, findings.

Expected numbers here are typed from the source text (datasets/yindu-zhengwu-2021/source.txt),
not from fiscalkit's output; the golden files pin the full rendering, and these assertions
are the hand check that the golden numbers are the text's.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from fiscalkit import datasets
from fiscalkit.cli import main
from fiscalkit.disclosure import Disclosure, render_tables
from fiscalkit.reconcile import estimate_crosstab, reconcile

NAME = "yindu-zhengwu-2021"


@pytest.fixture(scope="module")
def d() -> Disclosure:
    return datasets.load(NAME)


def cells(table: pd.DataFrame, key: str, column: str) -> dict[str, Decimal]:
    return dict(zip(table[key].astype(str), table[column], strict=True))


def test_general_budget_by_function_is_the_texts(d: Disclosure) -> None:
    # 五、…一般公共服务（类）支出296.9万元…社会保障和就业支出23万元；
    # 卫生健康支出20万元；住房保障（类）支出23万元
    table = render_tables(d)["一般公共预算支出表"]
    got = cells(table, "科目编码", "合计")
    assert got["合计"] == Decimal("362.90")
    assert {k: got[k] for k in ("201", "208", "210", "221")} == {
        "201": Decimal("296.90"), "208": Decimal("23.00"), "210": Decimal("20.00"),
        "221": Decimal("23.00")}
    assert list(table["科目名称"][1:]) == ["一般公共服务支出", "社会保障和就业支出",
                                        "卫生健康支出", "住房保障支出"]


def test_basic_expenditure_by_economic_item_is_the_texts(d: Disclosure) -> None:
    # 六、…工资福利支出273万元；…基本工资78.97万元、津贴补贴16.51万元、奖金65.11万元、
    # 绩效工资38.42万元、…养老保险缴费22.18万元、…医疗保险缴费10.12万元、
    # 公务员医疗补助缴费8.59万元、
    # 其他社会保障缴费1.94万元、住房公积金支出23.16万元；其他工资福利支出8万元；
    # 商品和服务支出89.9万元…办公费4.2万元、劳务费78万元、工会经费1.7万元、公务用车运行维护费6万元
    table = render_tables(d)["一般公共预算基本支出表"]
    got = cells(table, "科目编码", "合计")
    text = {"合计": "362.9", "301": "273", "30101": "78.97", "30102": "16.51", "30103": "65.11",
            "30107": "38.42", "30108": "22.18", "30110": "10.12", "30111": "8.59",
            "30112": "1.94", "30113": "23.16", "30199": "8", "302": "89.9", "30201": "4.2",
            "30226": "78", "30228": "1.7", "30231": "6"}
    assert got == {k: Decimal(v).quantize(Decimal("0.01")) for k, v in text.items()}


def test_sangong_table_is_the_texts(d: Disclosure) -> None:
    # 八、“三公”经费预算为6万元：出国0、公务用车购置0、公务用车运行维护费6、公务接待0
    got = cells(render_tables(d)["“三公”经费支出表"], "项目", "预算数")
    assert got == {"合计": Decimal("6.00"), "因公出国（境）费": Decimal("0.00"),
                   "公务用车购置费": Decimal("0.00"), "公务用车运行维护费": Decimal("6.00"),
                   "公务接待费": Decimal("0.00")}


def test_no_government_fund_spending(d: Disclosure) -> None:
    # 七、我部门2021年没有政府性基金预算拨款安排的支出。
    table = render_tables(d)["政府性基金预算支出表"]
    assert table["合计"].tolist() == [Decimal("0.00")]


def test_rendered_tables_golden(d: Disclosure, data_regression: Any) -> None:
    tables = {name: table.astype(str).to_dict("records")
              for name, table in render_tables(d).items()}
    data_regression.check(tables)


def test_reconciliation_finds_exactly_the_contradictions(d: Disclosure) -> None:
    """Checked by hand against the text:

    errors   - 一般公共预算 400万元 (二、收入) vs 一般公共预算收支预算 362.9万元 (四、): the same
               quantity, 37.1 apart — about the 37万元 of project spending;
             - "减少74万元，下降15.6%" applied to 362.9: 74 / (362.9 + 74) = 16.94%, not 15.6%
               (15.6% is right only for the 400 total: 74 / 474 = 15.61%).
    warnings - the six projects total 37.3万元 but 项目支出 is "37万元" (holds only if rounded);
             - project 4 costs 17.85万元 against a budget of 17.8万元, project 6 3.96 against 4;
             - 住房公积金 23.16万元 cannot all sit in 221 住房保障 stated as 23万元.
    """
    report = reconcile(d)
    errors = sorted((f.rule, f.figures[0].id) for f in report.errors)
    assert errors == [("pct_change", "gpb.change_pct"), ("same", "gpb.total")]
    warnings = sorted((f.rule, f.figures[0].id if f.figures else "") for f in report.warnings)
    assert warnings == [("home", "gpb.econ.30113"), ("le", "projects.total"),
                        ("same", "project.4.cost"),
                        ("same", "project.6.cost")]
    gap = next(f for f in report.errors if f.rule == "same")
    assert "expenditure.project" in gap.explanation


def test_crosstab_flags_the_housing_fund(d: Disclosure) -> None:
    ct = estimate_crosstab(d)
    assert not ct.converged
    assert any("30113" in f.message for f in ct.report.findings)
    # the structural zero holds: no housing fund outside 221
    assert ct.table.loc[["201", "208", "210"], "30113"].sum() == 0


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_reproduce_json_lists_every_figure(d: Disclosure) -> None:
    code, out = run("reproduce", NAME, "--format", "json")
    assert code == 0
    data = json.loads(out)
    ids = [f["id"] for f in data["figures"]]
    assert ids == [f.id for f in d.figures]
    by_id = {f["id"]: f for f in data["figures"]}
    assert by_id["gpb.econ.30101"]["published"] == "78.97"
    assert by_id["gpb.econ.30101"]["recomputed"] == "78.97"
    assert by_id["gpb.change_pct"]["differs"] is True


def test_reconcile_cli_json_and_exit_code(d: Disclosure) -> None:
    code, out = run("reconcile", NAME, "--format", "json")
    assert code == 1  # the disclosure contradicts itself
    data = json.loads(out)
    assert data["summary"]["error"] == 2
    for f in data["findings"]:
        assert set(f) >= {"rule", "severity", "message", "figures", "expected", "actual"}


def test_reconcile_cli_bad_input_exits_2(tmp_path: Any) -> None:
    code, _ = run("reconcile", str(tmp_path / "nowhere"))
    assert code == 2


def test_reproduce_text_runs(d: Disclosure) -> None:
    code, out = run("reproduce")
    assert code == 0
    assert "一般公共预算支出表" in out
    assert "ERROR" in out


def test_crosstab_checks_items_that_share_a_home(d: Disclosure) -> None:
    # 30110 (10.12) and 30111 (8.59) both belong in 210; a 210 of 15万元 cannot hold their
    # 18.71 together, although each alone would fit.
    import fiscalkit as fk

    fn = fk.Ledger.from_records([
        {"year": 2021, "fund": "general", "function": c, "amount": a}
        for c, a in (("201", "2999000.00"), ("208", "230000.00"), ("210", "150000.00"),
                     ("221", "250000.00"))])
    ct = estimate_crosstab(Disclosure(views={"economic": d.views["economic"], "function": fn}))
    (finding,) = ct.report.findings
    assert "30110, 30111" in finding.message
    assert finding.actual == Decimal(15)
    assert finding.expected == (Decimal("18.71"), None)
