"""The transparency audit: completeness, required explanations, common slips, the combined
report, its HTML page and its command line.

Expected values were worked out by reading the texts, not copied from the code's output:
the 2021 Yindu narrative was read section by section against the budget template (it has
every narrative section and none of the eight standard tables); the two fixture documents
in ``fixtures/quality/`` are the same synthetic budget, once clean and once with one slip of
each kind planted (see the comments). Each slip rule has a text where it must fire and one
where it must not. The tests marked ``real`` read the published PDFs in
``../shared/real`` (or ``$FISCALKIT_REAL``); their expected results were checked by hand
with ``pdftotext -layout`` (comments say what was seen). The browser test renders the page
in headless Chromium (Debian: ``apt-get install -y chromium``) and is skipped without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fiscalkit import datasets
from fiscalkit.disclosure import Disclosure
from fiscalkit.errors import FiscalkitError, InvalidValueError
from fiscalkit.quality import (
    AuditReport,
    Document,
    TemplateRules,
    as_document,
    audit_all,
    available_rules,
    cli_audit,
    completeness,
    explanations,
    load_document,
    pdf_text,
    render_html,
    select_rules,
    slips,
)

HERE = Path(__file__).parent
FIX = HERE / "fixtures" / "quality"
CLEAN = FIX / "budget-complete-2021.txt"
PLANTED = FIX / "budget-slips-2021.txt"
YINDU_TEXT = HERE.parent / "datasets" / "yindu-zhengwu-2021" / "source.txt"
PDF_FIXTURE = HERE / "fixtures" / "pdf" / "budget.pdf"
REAL = Path(os.environ.get("FISCALKIT_REAL",
                           Path(__file__).resolve().parents[2] / "shared" / "real"))

#: The eight standard tables of the budget template, by rule-file id.
EIGHT_TABLES = ["summary", "income", "expenditure", "appropriation", "gpb", "gpb_basic",
                "sangong", "govfund"]


@pytest.fixture(scope="module")
def yindu() -> Disclosure:
    return datasets.load("yindu-zhengwu-2021")


@pytest.fixture(scope="module")
def yindu_audit(yindu: Disclosure) -> AuditReport:
    return audit_all(yindu)


def rules_of(report: object) -> set[str]:
    return {f.rule for f in getattr(report, "findings", ())}


# ====================================================================== rule files
def test_every_shipped_rule_file_loads_with_sources_and_statuses() -> None:
    names = available_rules()
    assert {"budget-2021", "final-2021", "jiangsu-budget-2017", "shanghai-budget-2025",
            "shanghai-final-2024"} <= set(names)
    for name in names:
        r = TemplateRules.load(name)
        assert r.phase in ("budget", "final")
        assert r.basis
        for el in r.elements:
            assert el.source in r.sources
            assert el.patterns
        assert {e.kind for e in r.explanations} <= {"change", "outturn"}
    # no requirement is verified offline: a missing element is never an error by default
    assert all(el.status != "verified" for n in names for el in TemplateRules.load(n).elements)


def test_a_variant_extends_replaces_and_drops() -> None:
    national, jiangsu = TemplateRules.load("budget-2021"), TemplateRules.load("jiangsu-budget-2017")
    ids = {e.id for e in jiangsu.sections}
    assert {"tasks", "basis", "approp_basic"} <= ids          # added
    assert "assets" not in ids
    assert "performance" not in ids
    assert len(jiangsu.tables) == 12
    assert len(national.tables) == 9
    shanghai = TemplateRules.load("shanghai-budget-2025")
    # "sections/gpb" drops the section only: the table with the same id stays
    assert "gpb" not in {e.id for e in shanghai.sections}
    assert "gpb" in {e.id for e in shanghai.tables}
    assert next(t for t in shanghai.tables if t.id == "soe").required  # replaced: required here


@pytest.mark.parametrize(("phase", "text", "year", "expected"), [
    ("budget", "上海市普陀区财政局 2025年部门预算", 2025, "shanghai-budget-2025"),
    ("budget", "上海市普陀区财政局 2021年部门预算", 2021, "budget-2021"),   # no 2021 variant
    ("budget", "江苏省委办公厅2017年度部门预算", 2017, "jiangsu-budget-2017"),
    ("final", "上海市XX局2024年度部门决算", 2024, "shanghai-final-2024"),
    ("final", "江临市卫生健康委员会2021年度部门决算", 2021, "final-2021"),
    (None, "某某局", None, "budget-2021"),
])
def test_rules_are_selected_by_phase_region_and_year(phase: str | None, text: str,
                                                      year: int | None, expected: str) -> None:
    assert select_rules(phase, text, year).id == expected


def _write(tmp_path: Path, body: dict[str, object], name: str = "r.json") -> Path:
    base: dict[str, object] = {"id": "t", "title": "t", "phase": "budget",
                               "sources": {"s": {"title": "x", "status": "observed"}}}
    p = tmp_path / name
    p.write_text(json.dumps({**base, **body}, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.mark.parametrize(("body", "message"), [
    ({"sections": [{"id": "a", "name": "a", "patterns": ["x"], "source": "s",
                    "status": "sure"}]}, "status"),
    ({"sections": [{"id": "a", "name": "a", "patterns": ["(x"], "source": "s",
                    "status": "observed"}]}, "bad pattern"),
    ({"sections": [{"id": "a", "name": "a", "patterns": ["x"], "source": "nowhere",
                    "status": "observed"}]}, "unknown source"),
    ({"phase": "forecast"}, "phase"),
])
def test_a_bad_rule_file_is_a_typed_error_naming_the_file(tmp_path: Path,
                                                          body: dict[str, object],
                                                          message: str) -> None:
    p = _write(tmp_path, body)
    with pytest.raises(InvalidValueError, match=message) as e:
        TemplateRules.load(p)
    assert str(p) in str(e.value)


def test_rule_files_extending_each_other_in_a_cycle_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, {"extends": str(tmp_path / "b.json")}, "a.json")
    _write(tmp_path, {"extends": str(tmp_path / "a.json")}, "b.json")
    with pytest.raises(InvalidValueError, match="cycle"):
        TemplateRules.load(tmp_path / "a.json")


def test_an_unknown_rule_name_is_a_fiscalkit_error() -> None:
    with pytest.raises(FiscalkitError, match="budget-2021"):
        TemplateRules.load("budget-1999")


# ====================================================================== completeness
def test_yindu_2021_has_every_section_and_none_of_the_eight_tables(yindu: Disclosure) -> None:
    # Read by hand: 第一部分 一 职责, 二 单位构成; 第二部分 一…九 (收支总体, 收入, 支出,
    # 财政拨款, 一般公共预算, 经济分类, 政府性基金, 三公, 其他: 机关运行经费, 政府采购, 国有资本,
    # 绩效目标, 国有资产, 专项转移支付); 第三部分 名词解释. No table at all: the text is narrative.
    # Statements: 政府性基金 "我部门2021年没有政府性基金预算拨款安排的支出", 国有资本
    # "我单位未有国有资本金经营收支"; 三公 (6万元) and 机关运行经费 (89.9万元) have money.
    report = completeness(yindu)
    assert report.rules == "budget-2021"
    assert [e.id for e in report.missing] == EIGHT_TABLES
    assert all(e.kind == "table" for e in report.missing)
    assert (report.present_count, report.required) == (17, 25)     # 15 sections + 2 statements
    assert report.score == Fraction(17, 25)
    assert str(report.score_percent) == "68.0"
    counted = {r.element.id for r in report.results if r.counted}
    assert "sangong_empty" not in counted
    assert "running_empty" not in counted
    assert {f.severity for f in report.findings} == {"warning", "info"}  # info: optional soe
    assert report.to_dict()["completeness"]["missing"] == EIGHT_TABLES
    assert report.to_text().startswith("Completeness 68.0% (17 of 25 required elements)")


def test_the_yindu_text_alone_gives_the_same_completeness(yindu: Disclosure) -> None:
    from_text = completeness(YINDU_TEXT.read_text(encoding="utf-8"))
    assert [e.id for e in from_text.missing] == [e.id for e in completeness(yindu).missing]


def test_the_clean_fixture_is_complete() -> None:
    report = completeness(load_document(CLEAN))
    assert report.score == 1
    assert report.missing == ()
    assert not [f for f in report.findings if f.severity != "info"]


def test_a_section_listed_only_in_the_contents_is_missing() -> None:
    text = ("某某局2021年部门预算\n目录\n一、部门职责\n二、名词解释\n\n"
            "一、部门职责\n负责某某工作，统筹某某事务。\n")
    report = completeness(text, rules="budget-2021")
    assert "duties" not in {e.id for e in report.missing}
    assert "glossary" in {e.id for e in report.missing}


def test_a_title_quoted_in_a_sentence_is_not_a_table() -> None:
    quoted = "某某局2021年部门预算\n本表数据应与《部门收支总表》一致，单位：万元。\n"
    printed = "某某局2021年部门预算\n部门收支总表\n单位：万元\n收入 400.00 支出 400.00\n"
    assert "summary" in {e.id for e in completeness(quoted, rules="budget-2021").missing}
    assert "summary" not in {e.id for e in completeness(printed, rules="budget-2021").missing}


def test_an_empty_line_statement_is_required_only_when_the_line_shows_no_money() -> None:
    none = "某某局2021年部门预算\n某某局2021年收入合计400万元。\n"
    money = "某某局2021年部门预算\n某某局2021年政府性基金收入12.5万元。\n"
    said = "某某局2021年部门预算\n本部门2021年没有政府性基金预算拨款安排的支出。\n"
    assert "govfund_empty" in {e.id for e in completeness(none).missing}
    assert "govfund_empty" not in {r.element.id for r in completeness(money).results
                                   if r.counted}
    assert "govfund_empty" not in {e.id for e in completeness(said).missing}


def test_a_missing_verified_requirement_is_an_error(tmp_path: Path) -> None:
    p = _write(tmp_path, {"sections": [
        {"id": "glossary", "name": "名词解释", "patterns": ["名词解释"], "source": "s",
         "status": "verified"},
        {"id": "duties", "name": "职责", "patterns": ["职责"], "source": "s",
         "status": "observed"}]})
    report = completeness("某某局2021年部门预算\n一、职责\n负责。", rules=p)
    assert [(f.severity, f.details["element"]) for f in report.findings] == [
        ("error", "glossary")]


# ====================================================================== explanations
@pytest.mark.parametrize("text", [
    "一、收支总体情况\n某局2021年收入合计400万元，比上年增加10万元，主要原因是人员调资。",
    "一、收支总体情况\n某局2021年收入合计400万元，比上年增加10万元，增长2.6%。主要原因：调资。",
    # the reason after the items of the same paragraph (Shanghai's layout)
    "一、编制说明\n收入预算400万元，比2024年预算增加10万元；事业收入0万元。\n"
    "财政拨款收入增加的主要原因是项目调整。",
    # a total restated before its items, explained at the item (same change, same section)
    "一、三公经费\n“三公”经费预算为6万元，比上年减少2万元。其中：\n（一）公务用车运行费6万元，"
    "比上年减少2万元，主要原因是压减支出。",
    "一、收支总体情况\n某局2021年收入合计400万元，比上年增加0万元，增长0%。",     # zero
    "一、收支总体情况\n某局2021年收入合计400万元，与上年持平。",
])
def test_an_explained_or_zero_change_passes(text: str) -> None:
    report = explanations(text, rules="budget-2021")
    assert report.findings == ()


def test_a_change_without_reason_is_a_warning_citing_its_sentence() -> None:
    text = ("一、收支总体情况\n某局2021年收入合计400万元，比上年增加10万元，增长2.6%。\n"
            "二、支出情况\n支出合计400万元，比上年增加12万元。主要原因是人员调资。")
    (f,) = explanations(text, rules="budget-2021").findings
    assert (f.rule, f.severity) == ("explanation.change", "warning")
    assert f.details["sentence"] == "某局2021年收入合计400万元，比上年增加10万元，增长2.6%。"
    assert "增加10万元，增长2.6%" in f.message
    assert {r.value for r in f.figures} == {"10", "2.6"}


def test_a_change_explained_only_in_another_section_is_a_note() -> None:
    text = ("一、收支总体情况\n收入合计400万元，比上年增加10万元，主要原因是调资。\n"
            "二、财政拨款\n财政拨款收入400万元，比上年增加10万元。")
    (f,) = explanations(text, rules="budget-2021").findings
    assert f.severity == "info"
    assert "another section" in f.message


def test_an_outturn_different_from_the_budget_needs_a_reason() -> None:
    bare = ("（三）具体情况\n1.行政运行（项）。年初预算为100万元，支出决算为120万元，"
            "完成年初预算的120%。")
    given = bare + "决算数大于年初预算数的主要原因是人员调资。"
    equal = ("（三）具体情况\n1.行政运行（项）。年初预算为100万元，支出决算为100万元，"
             "完成年初预算的100%。")
    (f,) = explanations(bare, rules="final-2021").findings
    assert (f.rule, f.severity) == ("explanation.outturn", "warning")
    assert explanations(given, rules="final-2021").findings == ()
    assert explanations(equal, rules="final-2021").findings == ()
    assert explanations(bare, rules="budget-2021").findings == ()  # budgets have no outturn


def test_every_change_in_the_yindu_text_is_explained(yindu: Disclosure) -> None:
    # 一: −74 / −15.6% 主要原因; 四: −74 / −15.6% 主要原因; 八: −12 原因：压减支出; (二) −12
    # 主要原因; the three changes of 0 need none.
    report = explanations(yindu)
    assert report.findings == ()
    assert report.checks == 4


# ====================================================================== slips: fire / quiet
HEAD = "殷都区某某中心2021年部门预算\n"
SLIP_CASES = [
    # (rule, severity, text where it fires, text where it must not)
    ("unit_factor", "slip.unit_factor", "warning",
     HEAD + "殷都区某某中心2021年支出合计500万元，其中：基本支出480元，项目支出20万元。",
     HEAD + "殷都区某某中心2021年支出合计500万元，其中：基本支出4,800,000元，项目支出20万元。"),
    ("unit_factor", "slip.unit_factor", "warning",
     HEAD + "殷都区某某中心2021年收入合计500万元，其中：财政拨款收入4,800,000万元，"
            "其他收入20万元。",
     HEAD + "殷都区某某中心2021年收入合计500万元，其中：财政拨款收入480万元，其他收入20万元。"),
    ("code_name", "slip.code_name", "error",          # 行政单位医疗 is 2101101's name
     HEAD + "一般公共预算支出表\n单位：万元\n2210201 行政单位医疗 30.00\n",
     HEAD + "一般公共预算支出表\n单位：万元\n2210201 住房公积金（项） 30.00\n"),
    ("code_name", "slip.code_name", "warning",        # a name of no code: likely, not certain
     HEAD + "一般公共预算支出表\n单位：万元\n2210201 医疗保险 30.00\n",
     HEAD + "一般公共预算支出表\n单位：万元\n208 社会保障和就业支出 90.00\n"),
    ("code_name", "slip.code_name", "error",          # 30311 moved to 代缴社会保险费 in 2018
     "某局2021年部门预算\n基本支出表\n单位：万元\n30311 住房公积金 784.22\n",
     "某局2017年部门预算\n基本支出表\n单位：万元\n30311 住房公积金 784.22\n"),
    ("purpose", "slip.purpose", "warning",
     HEAD + "住房公积金（项）30万元，主要用于缴纳职工基本医疗保险费。",
     HEAD + "住房公积金（项）30万元，主要用于为在职职工缴纳住房公积金。"
            "公务用车运行维护费6万元，主要用于保障机构正常运转。"),
    ("entity_name", "slip.entity_name", "warning",
     "江临县农业农村局2021年部门预算\n一、收入预算总体情况说明\n江临县林业局2021年收入合计400万元。",
     "江临县农业农村局2021年部门预算\n一、收入预算总体情况说明\n农业农村局2021年收入合计400万元。"),
    ("entity_name", "slip.entity_name", "warning",
     "江临县农业农村局2021年部门预算\n部门收支总表\n编制部门：江临县林业局\n单位：万元\n",
     "江临县农业农村局2021年部门预算\n部门收支总表\n编制部门：江临县农业农村局\n单位：万元\n"),
    ("other_jurisdiction", "slip.other_jurisdiction", "warning",
     HEAD + "保障电路的正常运行100%，广宁县网络正常使用1年。",
     HEAD + "负责安阳市殷都区人民政府网站安全运维，全区网络通畅率100%，落实省委、市委部署。"),
    ("completion_zero_base", "slip.completion_zero_base", "error",
     HEAD + "1.行政运行（项）。年初预算为0万元，支出决算为5万元，完成年初预算的100%。",
     HEAD + "1.行政运行（项）。年初预算为0万元，支出决算为5万元，"
            "决算数大于预算数的主要原因是追加。"),
    ("empty_notes", "slip.empty_note_with_numbers", "error",
     HEAD + "政府性基金预算支出表\n单位：万元\n2120101 城市公用设施 12.50\n"
            "注：本部门没有政府性基金预算拨款安排的支出，故本表为空表。\n",
     HEAD + "政府性基金预算支出表\n单位：万元\n合计\n"
            "注：本部门没有政府性基金预算拨款安排的支出，故本表为空表。\n"),
    ("empty_notes", "slip.empty_note_mismatch", "warning",
     HEAD + "国有资本经营预算支出表\n单位：万元\n合计\n"
            "注：本部门没有政府性基金预算拨款安排的支出，故本表为空表。\n",
     HEAD + "国有资本经营预算支出表\n单位：万元\n合计\n"
            "注：本部门没有国有资本经营预算拨款安排的支出，故本表为空表。\n"),
    ("leftover", "slip.leftover", "warning",
     HEAD + "九、其他重要事项的情况说明（以下各项内容如金额为0，仍需进行说明）",
     HEAD + "九、其他重要事项的情况说明"),
    ("leftover", "slip.leftover", "warning",
     HEAD + "公务接待费预算数比2020年增加（减少）0万元。",
     HEAD + "公务接待费预算数比2020年减少2万元，主要原因是压减支出。"),
    ("leftover", "slip.leftover", "warning",
     HEAD + "截至2020年末，殷都区某某中心共有车辆XX辆。",
     HEAD + "截至2020年末，殷都区某某中心共有车辆3辆。"),
    ("running_costs", "slip.running_costs_shiye", "warning",
     HEAD + "殷都区某某中心属正科级事业单位。\n殷都区某某中心2021年机关运行经费支出预算89.9万元。",
     HEAD + "殷都区某某中心为参照公务员法管理的事业单位。\n"
            "殷都区某某中心2021年机关运行经费支出预算89.9万元。"),
    ("numbering", "slip.numbering", "info",
     HEAD + "一、主要职责\n负责政务服务工作。\n10、负责电子政务建设。\n11、负责网站运行维护。",
     HEAD + "一、主要职责\n预算项目分别是：1.网站运维项目；\n2、大厅运转项目；\n3、网络维护项目。"),
]


@pytest.mark.parametrize(("name", "rule", "severity", "fires", "quiet"), SLIP_CASES,
                         ids=[f"{c[1]}-{c[2]}-{i}" for i, c in enumerate(SLIP_CASES)])
def test_each_slip_rule_fires_on_its_fixture_and_not_on_its_twin(
        name: str, rule: str, severity: str, fires: str, quiet: str) -> None:
    found = [f for f in slips(fires, only=[name]).findings if f.rule == rule]
    assert found, f"{rule} did not fire"
    assert {f.severity for f in found} == {severity}
    assert all(f.figures and f.figures[0].source for f in found)  # each cites its text
    assert not [f for f in slips(quiet, only=[name]).findings if f.rule == rule]


def test_the_slips_fixture_fires_each_planted_slip_once() -> None:
    # budget-slips-2021.txt is budget-complete-2021.txt with: duties numbered 3–5; the unit
    # called a 事业单位 (which states 机关运行经费); 基本支出 850.60 "元"; 增加（减少） and no
    # reason for the 40.60 change; 住房公积金 "用于…医疗保险"; 江临县林业局 in one sentence;
    # 广宁县; the instruction （以下各项…说明）; XX vehicles; "2210201 医疗保险"; a 空表 note
    # under the 三公 table that has numbers; the 政府性基金 note under the 国有资本 table.
    report = audit_all(PLANTED)
    fired = sorted((f.rule, f.severity) for f in report.findings)
    assert fired == sorted([
        ("slip.numbering", "info"), ("slip.running_costs_shiye", "warning"),
        ("slip.unit_factor", "warning"), ("slip.leftover", "warning"),
        ("explanation.change", "warning"), ("slip.purpose", "warning"),
        ("slip.entity_name", "warning"), ("slip.other_jurisdiction", "warning"),
        ("slip.leftover", "warning"), ("slip.leftover", "warning"),
        ("slip.code_name", "warning"), ("slip.empty_note_with_numbers", "error"),
        ("slip.empty_note_mismatch", "warning")])


def test_the_clean_fixture_fires_nothing() -> None:
    report = audit_all(CLEAN)
    assert report.findings == ()
    assert report.checks > 50
    assert report.completeness is not None
    assert report.completeness.score == 1


def test_the_2021_yindu_slips_are_found(yindu: Disclosure) -> None:
    # the oddities of the dataset README, checked by hand against the text
    report = slips(yindu)
    by_rule: dict[str, list[str]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f.details.get("place") or f.details.get("text")
                                              or f.message)
    assert by_rule["slip.other_jurisdiction"] == ["广宁县"]          # README 9
    assert sorted(by_rule["slip.leftover"]) == sorted([               # README 12
        "增加（减少）", "增加（减少）", "（以下各项内容如金额为0，仍需进行说明）"])
    assert len(by_rule["slip.running_costs_shiye"]) == 1              # README 6
    assert by_rule["slip.numbering"] == ["a numbered list starts at 10 (10, 11, 12)"]  # 10
    assert set(by_rule) == {"slip.other_jurisdiction", "slip.leftover",
                            "slip.running_costs_shiye", "slip.numbering"}


# ====================================================================== the whole audit
def test_audit_all_of_yindu_combines_every_check(yindu_audit: AuditReport) -> None:
    parts = yindu_audit.parts
    assert list(parts) == ["Reconciliation", "Target-quality audit",
                           "Completeness (budget-2021)", "Required explanations",
                           "Common slips"]
    assert parts["Reconciliation"]["error"] == 2
    assert parts["Target-quality audit"]["error"] == 2
    assert yindu_audit.checks == sum(p["checks"] for p in parts.values())
    # 广宁县 is reported once: by the target audit, which found it first
    places = [(f.rule, f.details.get("place")) for f in yindu_audit.findings
              if f.details.get("place")]
    assert places == [("target.other_jurisdiction", "广宁县")]
    assert [f.severity for f in yindu_audit.findings][:4] == ["error"] * 4
    assert yindu_audit.completeness is not None
    assert str(yindu_audit.completeness.score_percent) == "68.0"
    data = json.loads(yindu_audit.to_json())
    assert data["completeness"]["missing"] == EIGHT_TABLES
    assert data["summary"]["error"] == 4
    assert "details" in data["findings"][0]
    assert yindu_audit.to_text().startswith("Completeness 68.0%")


def test_audit_all_of_the_yindu_text_file_finds_guangning() -> None:
    report = audit_all(YINDU_TEXT)
    assert any(f.details.get("place") == "广宁县" for f in report.findings)
    assert "slip.running_costs_shiye" in rules_of(report)


def test_as_document_accepts_what_callers_have(yindu: Disclosure) -> None:
    text = YINDU_TEXT.read_text(encoding="utf-8")
    for obj in (yindu, text, YINDU_TEXT, as_document(yindu)):
        doc = as_document(obj)
        assert isinstance(doc, Document)
        assert doc.entity == "殷都区政务服务和大数据利用中心"
    with pytest.raises(TypeError):
        as_document(42)


def test_the_pdf_fixture_is_audited_with_its_tables_and_narrative() -> None:
    doc = load_document(PDF_FIXTURE)
    assert (doc.entity, doc.year, doc.phase) == ("测试局", 2025, "budget")
    assert {t.name for t in doc.tables} == {"一般公共预算支出表", "一般公共预算基本支出表"}
    report = completeness(doc)
    present = {r.element.id for r in report.results if r.present and r.element.kind == "table"}
    assert present == {"gpb", "gpb_basic"}
    # "比2024年预算增加12.34万元" is stated with no reason
    (change,) = explanations(doc).findings
    assert "12.34" in change.message
    for engine in ("pdfplumber", "auto"):
        assert "一般公共预算支出功能分类预算表" in "".join(pdf_text(PDF_FIXTURE,
                                                                  engine=engine).split())


# ====================================================================== HTML
class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if a.get("href"):
            self.hrefs.append(str(a["href"]))
        if a.get("class"):
            self.classes.append(str(a["class"]))


def test_render_html_marks_figures_and_links_findings(yindu_audit: AuditReport) -> None:
    page = render_html(yindu_audit, yindu_audit.document)
    p = _Collect()
    p.feed(page)
    assert len(p.ids) == len(set(p.ids))                               # ids are unique
    assert all(h[1:] in p.ids for h in p.hrefs if h.startswith("#"))   # every link lands
    assert "script" not in p.tags
    assert '<meta charset="utf-8">' in page
    assert "Noto Sans CJK SC" in page
    assert "Microsoft YaHei" in page
    assert len([i for i in p.ids if i.startswith("finding-")]) == len(yindu_audit.findings)
    # gpb.total 362.9 contradicts income.gpb 400 (README 1): both marked contradicted
    assert 'id="fig-gpb.total"' in page
    assert "fig contradicted" in p.classes
    assert "fig consistent" in p.classes
    cited = [c for c in p.classes if c.startswith("cited ")]
    assert {"cited error", "cited warning", "cited info"} <= set(cited)
    # the 广宁县 sentence is anchored and links back to its finding
    n = next(i for i, f in enumerate(yindu_audit.findings, 1)
             if f.details.get("place") == "广宁县")
    assert f'href="#finding-{n}"' in page


def test_render_html_of_a_pdf_shows_narrative_and_pages() -> None:
    report = audit_all(PDF_FIXTURE)
    page = render_html(report)
    assert "Narrative (as read)" in page
    assert "Pages (as extracted)" in page
    assert 'class="fig ' in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed "
                    "(Debian: apt-get update && apt-get install -y chromium)")
def test_the_page_renders_in_a_headless_browser(yindu_audit: AuditReport,
                                                tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    page.write_text(render_html(yindu_audit), encoding="utf-8")
    png = tmp_path / "audit.png"
    exe = _chromium()
    assert exe is not None
    base = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*base, "--dump-dom", page.as_uri()], capture_output=True,
                         timeout=120, check=True).stdout.decode("utf-8")
    assert 'id="finding-1"' in dom
    assert 'class="finding error"' in dom
    assert 'class="fig contradicted"' in dom
    assert '<mark class="cited' in dom
    assert "广宁县" in dom
    subprocess.run([*base, f"--screenshot={png}", "--window-size=1200,2000", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert png.exists()
    assert png.stat().st_size > 20_000
    from PIL import Image

    with Image.open(png) as img:
        rgb = img.convert("RGB")
        assert rgb.size == (1200, 2000)
        colours = rgb.getcolors(maxcolors=1 << 20)
        assert colours is not None
        assert len(colours) > 100
        # the red of an error finding's border or label is on the first screen
        reds = [c for _, c in colours
                if isinstance(c, tuple) and c[0] > 150 and c[1] < 80 and c[2] < 80]
        assert reds


# ====================================================================== command line
def test_cli_audit_exit_codes_and_formats(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_audit([str(CLEAN)]) == 0
    assert "Completeness 100.0%" in capsys.readouterr().out
    assert cli_audit([str(PLANTED), "--format", "json"]) == 1   # the empty-note error
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["error"] == 1
    assert data["completeness"]["score"] == 1.0
    out = tmp_path / "yindu.html"
    assert cli_audit(["yindu-zhengwu-2021", "--format", "html", "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cli_audit([str(tmp_path / "missing.pdf")]) == 2
    assert "fiscalkit audit:" in capsys.readouterr().err
    assert cli_audit([str(CLEAN), "--format", "xml"]) == 2
    (tmp_path / "notes.doc").write_text("x", encoding="utf-8")
    assert cli_audit([str(tmp_path / "notes.doc")]) == 2
    assert cli_audit([str(CLEAN), "--rules", "budget-1999"]) == 2


# ====================================================================== real PDFs
#: (file, tables PDF or None, rules chosen, missing element ids against them, the national
#: file's missing ids). Checked by hand with pdftotext -layout:
#: - Jiangsu 2017: every file has the 4 sections of 第一部分, 12 tables and 12 情况说明 (人大
#:   calls one 政府性基金基本支出预算表情况说明, missed by the national pattern); none has
#:   国有资产 or 绩效目标 (not in the 2017 provincial template) nor a word on 国有资本经营.
#: - Shanghai 2025: 普陀区财政局's note under its empty 国有资本经营 table speaks of 政府性基金
#:   (copied from the table before); 上海市财政局 prints both empty tables with no note.
#: - the 2024 template has everything (it is the template).
_JS = "jiangsu-2017/"
_SH = "shanghai-2025/"
_N_SH = ["overview", "income", "expenditure", "appropriation", "gpb", "gpb_basic", "govfund"]
REAL_EXPECTED: list[tuple[str, str | None, str, list[str], list[str]]] = [
    (_JS + "江苏省委办公厅2017年部门预算.pdf", _JS + "江苏省委办公厅2017年预算公开表格.pdf",
     "jiangsu-budget-2017", [], ["assets", "performance", "soe_empty"]),
    (_JS + "江苏省政协办公厅2017年度部门预算.pdf",
     _JS + "江苏省政协办公厅2017年度部门预算公开表.pdf",
     "jiangsu-budget-2017", [], ["assets", "performance", "soe_empty"]),
    (_JS + "2017年省检察院部门预算.pdf", None, "jiangsu-budget-2017", [],
     ["assets", "performance", "soe_empty"]),
    (_JS + "江苏省人大办公厅2017年度预算公开.pdf", None, "jiangsu-budget-2017", [],
     ["govfund", "assets", "performance", "soe_empty"]),
    (_JS + "省法院2017年度部门预算公开.pdf", None, "jiangsu-budget-2017", [],
     ["assets", "performance", "soe_empty"]),
    (_SH + "上海市普陀区万里街道办事处2025年部门预算.pdf", None, "shanghai-budget-2025", [], _N_SH),
    (_SH + "上海市普陀区财政局部门25年预算.pdf", None, "shanghai-budget-2025", ["soe_empty"],
     _N_SH),
    (_SH + "上海市财政局25年预算.pdf", None, "shanghai-budget-2025",
     ["govfund_empty", "soe_empty"], _N_SH),
    ("templates/上海市部门决算模板2024.pdf", None, "shanghai-final-2024", [], []),
]
#: The two table-only PDFs read alone: every narrative element is missing.
TABLES_ONLY = [_JS + "江苏省委办公厅2017年预算公开表格.pdf",
               _JS + "江苏省政协办公厅2017年度部门预算公开表.pdf"]


def _load(job: tuple[str, str | None]) -> Document:
    main, tables = job
    return load_document(REAL / main, REAL / tables if tables else None)


@pytest.fixture(scope="module")
def real_docs() -> dict[str, Document]:
    if not REAL.is_dir():
        pytest.skip(f"the real disclosures are not at {REAL}")
    jobs = [(e[0], e[1]) for e in REAL_EXPECTED] + [(t, None) for t in TABLES_ONLY]
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        docs = list(pool.map(_load, jobs))
    return {job[0]: d for job, d in zip(jobs, docs, strict=True)}


@pytest.mark.real
def test_every_real_pdf_is_read(real_docs: dict[str, Document]) -> None:
    listed = {p.relative_to(REAL).as_posix() for p in REAL.glob("*/*.pdf")}
    assert listed == {e[0] for e in REAL_EXPECTED} | set(TABLES_ONLY)


@pytest.mark.real
@pytest.mark.parametrize(("name", "tables", "rules", "missing", "national"), REAL_EXPECTED,
                         ids=[Path(e[0]).stem for e in REAL_EXPECTED])
def test_real_pdf_completeness(real_docs: dict[str, Document], name: str, tables: str | None,
                               rules: str, missing: list[str], national: list[str]) -> None:
    doc = real_docs[name]
    report = completeness(doc)
    print(f"\n{name}: {report.headline()}; missing {[e.id for e in report.missing]}")
    assert report.rules == rules
    assert [e.id for e in report.missing] == missing
    assert report.score == Fraction(report.required - len(missing), report.required)
    base = "final-2021" if doc.phase == "final" else "budget-2021"
    versus_national = completeness(doc, rules=base)
    print(f"  {versus_national.headline()}; missing {[e.id for e in versus_national.missing]}")
    assert [e.id for e in versus_national.missing] == national


@pytest.mark.real
@pytest.mark.parametrize("name", TABLES_ONLY, ids=[Path(t).stem for t in TABLES_ONLY])
def test_a_real_tables_pdf_alone_has_tables_but_no_narrative(real_docs: dict[str, Document],
                                                             name: str) -> None:
    report = completeness(real_docs[name], rules="jiangsu-budget-2017")
    missing = {(e.kind, e.id) for e in report.missing}
    print(f"\n{name}: {report.headline()}")
    assert not {i for k, i in missing if k == "table"}         # all twelve tables are there
    assert {i for k, i in missing if k == "section"} >= {"duties", "structure", "glossary"}


@pytest.mark.real
def test_real_slips_found_by_hand(real_docs: dict[str, Document]) -> None:
    putuo = slips(real_docs[_SH + "上海市普陀区财政局部门25年预算.pdf"])
    assert [(f.rule, f.details["table"]) for f in putuo.findings] == [
        ("slip.empty_note_mismatch", "2025年部门国有资本经营预算支出功能分类预算表")]
    template = slips(real_docs["templates/上海市部门决算模板2024.pdf"])
    kinds = {f.details.get("kind") for f in template.findings if f.rule == "slip.leftover"}
    assert kinds == {"placeholder", "unmade_choice", "instruction_note", "instruction_text"}
    for name in (e[0] for e in REAL_EXPECTED[:8]):   # no false alarm on the published files
        report = slips(real_docs[name])
        assert not report.errors, (name, [f.message for f in report.errors])
