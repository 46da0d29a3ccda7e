"""Performance targets: the model, the parser, the audit of the 2021 Yindu targets, the
self-evaluation scoring (national and a regional profile) and the PEFA PI-1/2/3 scores.

Every expected number below is worked by hand from the cited rule, with the arithmetic in a
comment; none was copied from the code's output.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalkit import datasets
from fiscalkit.errors import InvalidValueError, MissingColumnError
from fiscalkit.findings import Finding, Report
from fiscalkit.performance import (
    BudgetLine,
    Indicator,
    Project,
    Qualitative,
    ScoringRules,
    YearOutturn,
    aggregate_ratio,
    audit,
    available_rules,
    classify,
    composition_variance,
    contingency_share,
    infer_direction,
    m1,
    m2,
    parse_indicators,
    pi1,
    pi2,
    pi3,
    place_names,
    projects_from_disclosure,
    projects_from_frame,
    saturation_table,
    score,
)

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "sources" / "000_7fb428f7a3e7a59d.txt"
DATASET = "yindu-zhengwu-2021"

# The 绩效目标 phrases of the 2021 text, verbatim (第二部分 九（四）).
P1 = ("数量指标-网站安全防护部署100%，网站安全巡检100%，网站安全漏洞分析100%，机房安全巡检100%；"
      "质量指标-网站安全使用率100%，网站维护专项技术服务率100%，安全巡检100%，时效指标-网站安全运维"
      "时间一年；效益指标-提高网站安全运行，安全巡检、安全建设、提高抗击各种威胁功能、保证政府网站安全"
      "运行100%；满意度指标-单位满意度、业务科室满意度、工作人员满意度100%。")
P2 = ("办公用品100%电话、插排100%，免费文印100%，办公用品合格率100%，促进单位业务正常办理100%，"
      "优化大厅办理事务配备100%，工作人员满意度100%，进驻大厅各单位满意度100%。")
P3 = ("政府网络的日常维护，全区网络通畅率100%，服务器等设备的维修死亡率100%，网络安全使用率100%，"
      "网络维护100%，检测率100%，运行维护时间1年，政府购买网络维护成本4万元，网络安全覆盖率100%，"
      "提高政府通畅率100%，单位满意度100%，上级领导满意度100%。")
P4 = ("互联网专线接入100兆7条，提供端到端的综合性服务100%，提供租用互联网专线、保证互联专线正常运行"
      "100%，负责互联网专线日常维护100%，租用互联网专线1年，政府购买服务成本17.85万元，保证政府网站"
      "高效运行，提高财政资金使用效益100%。保障政府网络通畅100%，区政府满意度100%，单位满意度100%。")
P5 = ("租用净饮水设备3套，满足150人的用水，净饮水合格率100%，净饮水设备水质保值率100%，净饮水售后"
      "服务率100%，饮水设备租赁期1年，政府购买服务成本1.5万元，优化政务大厅办事群众、企业及工作人员"
      "用水健康100%，为便民大厅办事群众、企业及工作人员用水提供优质服务100%，办事群众饮用安全水满意度"
      "100%，企业及工作人员饮用安全水满意度100%。")
P6 = ("绩效目标：提供100兆电路组建电子政务网络100%，调配好预备所在大楼内配线室至机房的通信线路"
      "100%，负责用户端设备的正常维护和管理100%，保障电路的正常运行100%，广宁县网络正常使用1年，组建电子"
      "政务网络成本3.96万元，提高政务大厅网络使用效益100%，提高办事群众优质服务100%，本单位领导满意"
      "程度100%，服务群众满意度100%。")
PHRASES = {"政府网站安全运行维护费项目": (P1, "5万元"), "政务大厅运转经费项目": (P2, "5万元"),
           "政府网络维护费项目": (P3, "4万元"), "区政府7条光纤网络租赁费项目": (P4, "17.8万元"),
           "便民大厅公共服务设施租赁费项目": (P5, "1.5万元"),
           "政务大厅光纤网络及备用线路服务费项目": (P6, "4万元")}


def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8") if SOURCE.exists() else \
        (datasets.root() / DATASET / "source.txt").read_text(encoding="utf-8")


def test_the_phrases_are_verbatim() -> None:
    text = source_text()
    for phrase, _ in PHRASES.values():
        assert phrase in text


# ---------------------------------------------------------------------- the model


def test_direction_is_inferred_from_the_name() -> None:
    assert infer_direction("服务器等设备的维修死亡率") == "lower"
    assert infer_direction("系统故障率") == "lower"
    assert infer_direction("群众投诉率") == "lower"
    assert infer_direction("投诉处理率") == "higher"        # dealing with complaints
    assert infer_direction("故障排除率") == "higher"
    assert infer_direction("不合格率") == "lower"
    assert infer_direction("合格率") == "higher"
    assert infer_direction("政府购买服务成本") == "lower"
    assert infer_direction("资金", "万元") == "lower"         # money is a cost
    ind = Indicator("差错率", "产出", "质量", "≤", Decimal("1"), "%")
    assert ind.direction == "lower"
    assert ind.reverse
    assert Indicator("差错率", direction="higher").direction == "higher"   # explicit wins


def test_indicator_is_immutable_and_validated() -> None:
    ind = Indicator("网络通畅率", "产出", "质量", "≥", Decimal("99"), "%")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ind.name = "x"  # type: ignore[misc]
    with pytest.raises(InvalidValueError):
        Indicator("x", comparator=">>")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Indicator("x", target=99)  # type: ignore[arg-type]
    assert ind.printed == "≥99%"
    assert Indicator("x", target=Decimal("17.85"), unit="万元").printed == "17.85万元"


def test_classification_keywords() -> None:
    assert classify("单位满意度") == ("满意度", "服务对象满意度")
    assert classify("组建电子政务网络成本", "万元") == ("产出", "成本")
    assert classify("饮水设备租赁期", "年") == ("产出", "时效")
    assert classify("办公用品合格率", "%") == ("产出", "质量")
    assert classify("促进单位业务正常办理", "%") == ("效益", "社会效益")
    assert classify("提高财政资金使用经济收益") == ("效益", "经济效益")
    assert classify("租用净饮水设备", "套") == ("产出", "数量")
    assert classify("提高网站安全运行", level1="效益") == ("效益", "社会效益")


def test_projects_from_frame_reads_the_dataset_format() -> None:
    frame = pd.DataFrame([
        {"project": "P", "level1": "产出", "level2": "数量指标", "name": "网站安全巡检",
         "comparator": "=", "target": "100", "unit": "%", "sentence": "网站安全巡检100%"},
        {"project": "P", "level1": "效益", "level2": "效益指标", "name": "提高网站安全运行",
         "comparator": "qualitative", "target": "", "unit": "",
         "sentence": "效益指标-提高网站安全运行"},
        {"project": "Q", "level1": "", "level2": "", "name": "净饮水合格率",
         "comparator": "≥", "target": "95", "unit": "%", "sentence": "净饮水合格率≥95%"},
    ])
    p, q = projects_from_frame(frame, budgets={"P": "17.8万元", "Q": Decimal("15000")})
    assert [i.level2 for i in p.indicators] == ["数量", "效益"]     # "指标" suffix dropped
    assert p.indicators[1].comparator == "定性"
    assert p.indicators[1].target is None
    assert (p.budget, p.budget_precision) == (Decimal("178000"), Decimal("1000"))
    assert q.indicators[0].level1 == "产出"
    assert q.indicators[0].level2 == "质量"
    assert (q.budget, q.budget_precision) == (Decimal("15000"), None)
    with pytest.raises(MissingColumnError):
        projects_from_frame(frame.drop(columns="sentence"))
    with pytest.raises(InvalidValueError, match="row 2"):
        projects_from_frame(frame.assign(target=["abc", "", "95"]))


def test_projects_from_the_bundled_dataset() -> None:
    d = datasets.load(DATASET)
    projects = projects_from_disclosure(d)
    budgets = {p.name: (p.budget, p.budget_precision, p.budget_text) for p in projects}
    # 资金 5, 5, 4, 17.8, 1.5, 4 万元 (ledger in 元), precision from figures.csv
    assert budgets["区政府7条光纤网络租赁费项目"] == (Decimal("178000"), Decimal("1000"),
                                                     "17.8万元")
    assert budgets["政务大厅光纤网络及备用线路服务费项目"] == (Decimal("40000"), Decimal("10000"),
                                                           "4万元")
    assert len(projects) == 6
    assert sum(len(p.indicators) for p in projects) == len(d.indicators)   # nothing dropped


# ---------------------------------------------------------------------- parse_indicators


def triples(inds: list[Indicator]) -> list[tuple[str, str, str, str, str]]:
    return [(i.level1, i.level2, i.name, "" if i.target is None else f"{i.target:f}", i.unit)
            for i in inds]


def test_parse_the_labelled_phrase_of_project_1() -> None:
    inds, unparsed = parse_indicators(P1)
    assert unparsed == []
    assert triples(inds) == [
        ("产出", "数量", "网站安全防护部署", "100", "%"),
        ("产出", "数量", "网站安全巡检", "100", "%"),
        ("产出", "数量", "网站安全漏洞分析", "100", "%"),
        ("产出", "数量", "机房安全巡检", "100", "%"),
        ("产出", "质量", "网站安全使用率", "100", "%"),
        ("产出", "质量", "网站维护专项技术服务率", "100", "%"),
        ("产出", "质量", "安全巡检", "100", "%"),
        ("产出", "时效", "网站安全运维时间", "1", "年"),           # 一年, label after a comma
        ("效益", "社会效益", "提高网站安全运行", "", ""),          # no value: qualitative
        ("效益", "社会效益", "安全巡检", "100", "%"),              # a 、-list shares 100%
        ("效益", "社会效益", "安全建设", "100", "%"),
        ("效益", "社会效益", "提高抗击各种威胁功能", "100", "%"),
        ("效益", "社会效益", "保证政府网站安全运行", "100", "%"),
        ("满意度", "服务对象满意度", "单位满意度", "100", "%"),
        ("满意度", "服务对象满意度", "业务科室满意度", "100", "%"),
        ("满意度", "服务对象满意度", "工作人员满意度", "100", "%"),
    ]
    assert inds[8].comparator == "定性"
    # each indicator cites the clause it came from, verbatim
    assert inds[14].sentence == "满意度指标-单位满意度、业务科室满意度、工作人员满意度100%"
    assert all(i.sentence in P1 for i in inds)


def test_parse_unlabelled_phrases_and_report_what_is_not_understood() -> None:
    inds, unparsed = parse_indicators(P2)
    # "办公用品100%电话、插排100%" lacks a comma: split after the percentage, then the 、-list
    assert [i.name for i in inds[:4]] == ["办公用品", "电话", "插排", "免费文印"]
    assert unparsed == []
    inds, unparsed = parse_indicators(P3)
    assert unparsed == ["政府网络的日常维护"]                  # a description, returned
    death = next(i for i in inds if "死亡率" in i.name)
    assert (death.name, death.direction, death.sentence) == (
        "服务器等设备的维修死亡率", "lower", "服务器等设备的维修死亡率100%")
    cost = next(i for i in inds if i.is_cost)
    assert (cost.name, cost.target, cost.unit, cost.direction) == (
        "政府购买网络维护成本", Decimal("4"), "万元", "lower")
    inds, _ = parse_indicators(P4)
    assert ("产出", "数量", "互联网专线接入100兆", "7", "条") in triples(inds)
    assert ("产出", "成本", "政府购买服务成本", "17.85", "万元") in triples(inds)
    assert ("效益", "社会效益", "保证政府网站高效运行", "", "") in triples(inds)
    inds, _ = parse_indicators(P5)
    # the 、-list inside one name is not split ("办事群众、企业及工作人员")
    assert "优化政务大厅办事群众、企业及工作人员用水健康" in [i.name for i in inds]
    assert ("产出", "数量", "满足150人的用水", "150", "人") in triples(inds)
    inds, unparsed = parse_indicators(P6)
    assert inds[0].name == "提供100兆电路组建电子政务网络"        # "绩效目标：" skipped
    assert ("产出", "时效", "广宁县网络正常使用", "1", "年") in triples(inds)


def test_parse_keeps_budget_statements_and_titles_out_of_the_targets() -> None:
    inds, unparsed = parse_indicators("政府网络维护费项目，资金4万元；" + P3)
    assert unparsed[:2] == ["政府网络维护费项目", "资金4万元"]
    assert [i.name for i in inds if i.is_cost] == ["政府购买网络维护成本"]


def test_parse_comparators_and_numerals() -> None:
    inds, unparsed = parse_indicators(
        "满意度≥90%，验收合格率不低于95%，故障修复时间3天以内，差错率≤1%，培训人数200人以上，"
        "建设周期半年，维护期两年，服务时长十二个月")
    assert unparsed == []
    got = [(i.name, i.comparator, f"{i.target:f}", i.unit) for i in inds]
    assert got == [("满意度", "≥", "90", "%"), ("验收合格率", "≥", "95", "%"),
                   ("故障修复时间", "≤", "3", "天"), ("差错率", "≤", "1", "%"),
                   ("培训人数", "≥", "200", "人"), ("建设周期", "=", "0.5", "年"),
                   ("维护期", "=", "2", "年"), ("服务时长", "=", "12", "个月")]
    assert parse_indicators("全年成本控制在４万元")[0][0].target == Decimal("4")  # full width


def test_parse_sentence_override() -> None:
    inds, _ = parse_indicators("单位满意度100%", sentence="整句")
    assert inds[0].sentence == "整句"


def test_place_names() -> None:
    assert place_names("广宁县网络正常使用1年") == ["广宁县"]
    assert place_names("聘用第三方负责安阳市殷都区人民政府网站安全运维服务") == ["安阳市", "殷都区"]
    assert place_names("全区网络通畅率100%，县级以上政府，根据省、市要求，区政府满意度") == []


# ---------------------------------------------------------------------- the audit on 2021


def by_rule(report: Report, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]


@pytest.fixture(scope="module")
def report_2021() -> Report:
    return audit(datasets.load(DATASET))


def test_audit_2021_finds_the_failure_rate_targeted_at_100(report_2021: Report) -> None:
    (f,) = by_rule(report_2021, "target.direction")
    assert f.severity == "error"
    assert f.figures[0].label == "服务器等设备的维修死亡率"
    assert f.figures[0].source == "服务器等设备的维修死亡率100%"
    assert f.details["project"] == "政府网络维护费项目"


def test_audit_2021_finds_another_county(report_2021: Report) -> None:
    (f,) = by_rule(report_2021, "target.other_jurisdiction")
    assert f.details["place"] == "广宁县"
    assert f.details["project"] == "政务大厅光纤网络及备用线路服务费项目"
    assert f.figures[0].source == "广宁县网络正常使用1年"


def test_audit_2021_compares_cost_with_budget_at_published_precision(
        report_2021: Report) -> None:
    found = {f.details["project"]: f for f in by_rule(report_2021, "target.cost_mismatch")}
    # projects 3 (4 = 4万元) and 5 (1.5 = 1.5万元) agree exactly; 1 and 2 have no cost target
    assert set(found) == {"区政府7条光纤网络租赁费项目", "政务大厅光纤网络及备用线路服务费项目"}
    p4 = found["区政府7条光纤网络租赁费项目"]
    # 17.85万元 = 178500元; the budget "17.8万元" has last digit 0.1万元 = 1000元, so it stands
    # for amounts rounding half-up to it: [177500, 178500) = [177500, 178499.99] in whole 分.
    # 178500 rounds to 17.9万元: no rounding of the budget reconciles them → error.
    assert p4.severity == "error"
    assert p4.expected == (Decimal("177500"), Decimal("178499.99"))
    assert p4.actual == Decimal("178500")
    assert [r.source for r in p4.figures] == ["政府购买服务成本17.85万元",
                                              "4、区政府7条光纤网络租赁费项目，资金17.8万元"]
    p6 = found["政务大厅光纤网络及备用线路服务费项目"]
    # 3.96万元 = 39600元 against "4万元" (last digit 1万元): [35000, 44999.99] holds 39600,
    # so they agree only if the budget was rounded; exactly they differ by 0.04万元 → warning.
    assert p6.severity == "warning"
    assert p6.actual == Decimal("39600")
    assert p6.details["difference"] == Decimal("-0.04")
    assert p6.figures[0].source == "组建电子政务网络成本3.96万元"


def test_audit_2021_saturation_and_satisfaction(report_2021: Report) -> None:
    sat = {f.details["project"]: f for f in by_rule(report_2021, "target.saturated")}
    assert len(sat) == 6
    assert all(f.severity == "warning" for f in sat.values())
    # project 1: 16 indicators, 15 with a value (提高网站安全运行 has none), all but
    # 网站安全运维时间一年 at 100% → 14 of 15
    p1 = sat["政府网站安全运行维护费项目"].details
    assert (p1["saturated"], p1["quantified"], p1["share"]) == (14, 15, Fraction(14, 15))
    table = saturation_table(projects_from_disclosure(datasets.load(DATASET)))
    assert (table["share_100"] >= 0.5).all()
    satisfaction = by_rule(report_2021, "target.satisfaction_100")
    assert len(satisfaction) == 6          # every project targets 100% satisfaction
    assert sum(len(f.figures) for f in satisfaction) == 13
    assert all(r.value == "100%" for f in satisfaction for r in f.figures)


def test_audit_2021_missing_dimensions_and_unmeasurable(report_2021: Report) -> None:
    missing = {f.details["project"]: f.details["missing"]
               for f in by_rule(report_2021, "target.missing_dimension")}
    assert missing == {"政府网站安全运行维护费项目": ("产出/成本",),
                       "政务大厅运转经费项目": ("产出/时效", "产出/成本")}
    unmeasurable = {f.figures[0].label for f in by_rule(report_2021, "target.unmeasurable")}
    assert {"提高网站安全运行", "保证政府网站高效运行"} <= unmeasurable   # no value at all
    assert {"提高财政资金使用效益", "提高办事群众优质服务"} <= unmeasurable  # 100% of an aim
    assert "网站安全使用率" not in unmeasurable


def test_every_finding_cites_text_of_the_source(report_2021: Report) -> None:
    text = source_text()
    for f in report_2021.findings:
        for ref in f.figures:
            assert ref.source, (f.rule, ref)
            assert ref.source in text, (f.rule, ref)
    assert report_2021.checks > len(report_2021.findings)
    assert report_2021.to_json()          # serialises (Chinese kept)


def test_audit_from_the_source_text_alone_agrees() -> None:
    # independent of the curated indicators.csv: parse the published phrases
    projects = [Project.with_budget(name, parse_indicators(text)[0], budget)
                for name, (text, budget) in PHRASES.items()]
    report = audit(projects, jurisdiction=("河南省", "安阳市", "殷都区"))
    rules = {(f.rule, f.severity) for f in report.findings}
    assert ("target.direction", "error") in rules
    assert ("target.cost_mismatch", "error") in rules
    assert ("target.cost_mismatch", "warning") in rules
    assert [f.details["place"] for f in by_rule(report, "target.other_jurisdiction")] == ["广宁县"]
    # without a jurisdiction the place rule does not run
    assert not by_rule(audit(projects), "target.other_jurisdiction")


def test_audit_rules_on_small_cases() -> None:
    good = Project("good", (
        Indicator("培训人数", "产出", "数量", "≥", Decimal("200"), "人"),
        Indicator("验收合格率", "产出", "质量", "≥", Decimal("95"), "%"),
        Indicator("完成时间", "产出", "时效", "≤", Decimal("6"), "个月"),
        Indicator("项目总成本", "产出", "成本", "≤", Decimal("10"), "万元"),
        Indicator("就业人数增加", "效益", "社会效益", "≥", Decimal("50"), "人"),
        Indicator("服务对象满意度", "满意度", "服务对象满意度", "≥", Decimal("90"), "%"),
    ), budget=Decimal("100000"), budget_precision=Decimal("10000"), budget_text="10万元")
    assert audit([good]).findings == ()
    bad = Project("bad", (
        Indicator("差错率", "产出", "质量", "≥", Decimal("5"), "%"),          # ≥ on a reverse
        Indicator("受理率", "产出", "质量", "≤", Decimal("90"), "%"),          # ≤ on a positive
        Indicator("覆盖率", "产出", "数量", "=", Decimal("120"), "%"),         # > 100%
        Indicator("单项成本", "产出", "成本", "≤", Decimal("6"), "万元"),
        Indicator("总成本", "产出", "成本", "≤", Decimal("5"), "万元"),         # 6 + 5 > 10
    ), budget=Decimal("100000"))
    report = audit([bad])
    got = sorted((f.rule, f.severity) for f in report.findings)
    assert got == [("target.cost_mismatch", "error"), ("target.direction", "error"),
                   ("target.direction", "warning"), ("target.missing_dimension", "warning"),
                   ("target.percent_range", "error")]


# ---------------------------------------------------------------------- self-evaluation scoring


def project(*inds: Indicator, budget: str = "40000") -> Project:
    return Project("P", inds, budget=Decimal(budget))


OUT = Indicator("网络通畅率", "产出", "质量", "≥", Decimal("100"), "%")
BEN = Indicator("提高服务效率", "效益", "社会效益", "定性")
SAT = Indicator("服务对象满意度", "满意度", "服务对象满意度", "≥", Decimal("90"), "%")


def test_rules_are_data_with_sources() -> None:
    assert {"national-2020", "regional-2020-20pt", "pefa-2016"} <= set(available_rules())
    national = ScoringRules.load("national-2020")
    assert "财预〔2020〕10号" in national.source
    assert national.weights == {"产出": 50, "效益": 30, "满意度": 10}
    assert national.execution_weight == 10
    assert all(k in national.status for k in ("weights", "grades", "execution"))
    regional = ScoringRules.load("regional-2020-20pt")
    assert regional.execution_weight == 20
    assert regional.weights is None
    assert regional.indicator_total == 80
    with pytest.raises(InvalidValueError, match="no parameter file"):
        ScoringRules.load("nowhere")


def test_national_score_worked_example() -> None:
    fail = Indicator("故障率", "产出", "质量", "≤", Decimal("2"), "%")   # reverse
    p = project(Indicator("网络通畅率", "产出", "质量", "≥", Decimal("98"), "%"), fail, BEN, SAT)
    ev = score(p, {"网络通畅率": "94.08", "故障率": "2.5",
                   "提高服务效率": Qualitative("部分达成年度指标并具有一定效果", "0.7"),
                   "服务对象满意度": "95"}, executed="3.6万元")
    # 预算执行率 36000 / 40000 = 0.9              → 10 × 0.9        =  9
    # 产出 50 split over 2 indicators = 25 each
    #   通畅率 94.08 of ≥98 (positive)             → 25 × 94.08/98   = 24   (94.08/98 = 0.96)
    #   故障率 2.5 against ≤2 (reverse)            → 25 × 2/2.5      = 20
    # 效益 30: 定性, middle tier at 70%            → 30 × 0.7        = 21
    # 满意度 10: 95 ≥ 90, met                      → 10
    # total 9 + 24 + 20 + 21 + 10 = 84 → 良 (80 ≤ 84 < 90)
    assert ev.execution_rate == Fraction(9, 10)
    assert [s.points for s in ev.indicators] == [24, 20, 21, 10]
    assert ev.total == 84
    assert ev.grade == "良"
    assert ev.by_level1() == {"预算执行率": 9, "产出": 44, "效益": 21, "满意度": 10}
    assert list(ev.to_frame()["points"]) == [Decimal("9.00"), Decimal("24.00"), Decimal("20.00"),
                                            Decimal("21.00"), Decimal("10.00")]


@pytest.mark.parametrize(("actual", "total", "grade"), [
    # one indicator per 一级; 效益 and 满意度 met (30 + 10), execution 100% (10), so
    # total = 50 + 50 × actual/100:
    ("80", Fraction(90), "优"),                    # 50 + 40    = 90     → 优 (lower bound in)
    ("79.98", Fraction(8999, 100), "良"),          # 50 + 39.99 = 89.99  → 良
    ("60", Fraction(80), "良"),                    # 50 + 30    = 80     → 良
    ("59.98", Fraction(7999, 100), "中"),          # 50 + 29.99 = 79.99  → 中
    ("20", Fraction(60), "中"),                    # 50 + 10    = 60     → 中
    ("19.98", Fraction(5999, 100), "差"),          # 50 + 9.99  = 59.99  → 差
])
def test_grade_thresholds_are_lower_bound_inclusive(actual: str, total: Fraction,
                                                    grade: str) -> None:
    ev = score(project(OUT, BEN, SAT), [actual, Qualitative(0), "90"], executed="40000")
    assert (ev.total, ev.grade) == (total, grade)


def test_execution_rate_above_100_is_capped_and_noted() -> None:
    ev = score(project(OUT, BEN, SAT), ["100", Qualitative(0), "90"], executed="44000")
    # 44000 / 40000 = 1.1, capped at 1 → 10; indicators 50 + 30 + 10 → 100
    assert ev.execution_rate == Fraction(11, 10)
    assert ev.execution_points == 10
    assert ev.total == 100
    assert ev.grade == "优"
    assert any("capped" in n for n in ev.notes)


def test_qualitative_share_must_lie_in_its_tier() -> None:
    p = project(OUT, BEN, SAT)
    with pytest.raises(InvalidValueError, match="outside tier"):
        score(p, ["100", Qualitative("部分达成年度指标并具有一定效果", "0.5"), "90"],
              executed="40000")   # national middle tier is 60–80%
    with pytest.raises(InvalidValueError, match="Qualitative"):
        score(p, ["100", "1", "90"], executed="40000")
    with pytest.raises(InvalidValueError, match="no outturn"):
        score(p, {"网络通畅率": "100"}, executed="40000")


def test_regional_20_point_profile_worked_example() -> None:
    fail = Indicator("故障率", "产出", "质量", "≤", Decimal("2"), "%")
    p = project(OUT, fail, BEN)
    actuals = ["80", "4", Qualitative("部分达成年度指标并具有一定效果", "0.5")]
    with pytest.raises(InvalidValueError, match="per-indicator weights"):
        score(p, actuals, executed="38000", rules="regional-2020-20pt")
    ev = score(p, actuals, executed="38000", rules="regional-2020-20pt", weights=["40", "30", "10"])
    # 执行率 38000/40000 = 0.95                    → 20 × 0.95 = 19
    # 通畅率 80 of ≥100, weight 40                 → 40 × 80/100 = 32
    # 故障率 4 against ≤2 (reverse, A/B), weight 30 → 30 × 2/4   = 15
    # 定性 middle tier is 50–80% here; 0.5, weight 10 → 10 × 0.5 = 5
    # total 19 + 32 + 15 + 5 = 71 → 中
    assert [s.points for s in ev.indicators] == [32, 15, 5]
    assert ev.execution_points == 19
    assert ev.total == 71
    assert ev.grade == "中"
    with pytest.raises(InvalidValueError, match="sum to"):
        score(p, actuals, executed="38000", rules="regional-2020-20pt", weights=["40", "30", "9"])


def test_reverse_rule_linear_to_twice() -> None:
    rules = dataclasses.replace(ScoringRules.load(), reverse="linear_to_twice")
    fail = Indicator("故障率", "产出", "质量", "≤", Decimal("2"), "%")
    ev = score(project(fail, BEN, SAT), ["3", Qualitative(0), "90"], executed="40000",
               rules=rules)
    # 故障率 3 against ≤2: full at 2, 0 at 4 → 50 × (2 − 3/2) = 25
    assert ev.indicators[0].points == 25


@settings(max_examples=200, deadline=None)
@given(target=st.decimals(min_value=1, max_value=1000, places=2),
       actual=st.decimals(min_value=0, max_value=5000, places=2),
       rev_actual=st.decimals(min_value=0, max_value=5000, places=2),
       sat=st.decimals(min_value=0, max_value=100, places=1),
       tier=st.integers(0, 2), executed=st.integers(0, 100_000))
def test_score_is_within_0_and_100(target: Decimal, actual: Decimal, rev_actual: Decimal,
                                   sat: Decimal, tier: int, executed: int) -> None:
    p = project(Indicator("产量", "产出", "数量", "≥", target, "个"),
                Indicator("故障率", "产出", "质量", "≤", target, "%"), BEN,
                Indicator("满意度", "满意度", "服务对象满意度", "≥", Decimal("90"), "%"))
    ev = score(p, [actual, rev_actual, Qualitative(tier), sat], executed=executed)
    assert 0 <= ev.total <= 100
    assert all(0 <= s.points <= s.weight for s in ev.indicators)


# ---------------------------------------------------------------------- PEFA


def year(y: int, *lines: tuple[str, int | str, int | str] | tuple[str, int | str, int | str, str]
         ) -> YearOutturn:
    return YearOutturn(y, tuple(BudgetLine.of(*line) for line in lines))  # type: ignore[arg-type]


def total_only(y: int, budget: int | str, outturn: int | str) -> YearOutturn:
    return year(y, ("total", budget, outturn))


@pytest.mark.parametrize(("outturns", "grade"), [
    # PI-1: outturn / original budget (budget 100 each year); two of the last three years
    (("105", "95", "130"), "A"),          # 105% and 95% are within 95–105% inclusive
    (("110", "90", "100"), "B"),          # only 100% is A; all three within 90–110%
    (("115", "85", "200"), "C"),          # 115% and 85% are within 85–115% inclusive
    (("115.01", "84.99", "100"), "D"),    # only one year within 85–115%
    (("100", "100", "150"), "A"),         # one outlier year is allowed
    (("100", "150", "150"), "D"),
])
def test_pi1_thresholds_at_5_10_15_percent(outturns: tuple[str, str, str], grade: str) -> None:
    years = [total_only(2019 + i, 100, o) for i, o in enumerate(outturns)]
    assert pi1(years).score == grade


def test_pi1_uses_the_last_three_years_and_needs_two() -> None:
    years = [total_only(2017, 100, 200), total_only(2018, 100, 200),
             total_only(2019, 100, 100), total_only(2020, 100, 100), total_only(2021, 100, 150)]
    s = pi1(years)
    assert s.score == "A"                   # 2019, 2020 at 100%; 2017–18 ignored
    assert s.dimensions[0].notes == ("using the last 3 of 5 years supplied",)
    assert pi1([total_only(2021, 100, 100)]).score == "D"     # D* aggregates as D
    assert pi1([total_only(2021, 100, 100)]).dimensions[0].score == "D*"


def fy2021() -> YearOutturn:
    return year(2021,
                # five functional heads, budget 1000, outturn 1100
                ("教育", 400, 460), ("卫生", 300, 300), ("交通", 150, 180),
                ("农业", 100, 90), ("一般公共服务", 50, 70),
                ("预备费", 60, 30, "contingency"), ("利息", 40, 40, "interest"))


def test_pi2_composition_variance_worked_example() -> None:
    y = fy2021()
    # 2.1 measures the five heads only (contingency and interest excluded):
    #   scale = 1100 / 1000 = 1.1; adjusted budgets 440, 330, 165, 110, 55 (sum 1100)
    #   |460−440| + |300−330| + |180−165| + |90−110| + |70−55| = 20+30+15+20+15 = 100
    #   variance = 100 / 1100 = 1/11 ≈ 9.09%  → B band (< 10%)
    assert composition_variance(y) == Fraction(1, 11)
    # PI-1 aggregate: budget 1000 + 60 + 40 = 1100, outturn 1100 + 30 + 40 = 1170
    assert aggregate_ratio(y) == Fraction(1170, 1100)
    # 2.3: charged to the contingency vote 30 of the original budget 1100 = 3/110 ≈ 2.73%
    assert contingency_share(y) == Fraction(3, 110)
    # the contingency line does not move 2.1
    other = YearOutturn(2021, tuple(dataclasses.replace(x, outturn=Fraction(0))
                                    if x.kind == "contingency" else x for x in y.lines))
    assert composition_variance(other) == Fraction(1, 11)


def test_pi2_three_years_m1() -> None:
    fn = [
        # 2019: 500/500 → 560/440: scale 1, deviations 60 + 60 = 120 of 1000 = 12% (C)
        #       contingency 50 budgeted, 50 charged: 50 / 1050 = 1/21
        year(2019, ("甲", 500, 560), ("乙", 500, 440), ("预备费", 50, 50, "contingency")),
        # 2020: 500/500 → 510/490: 10 + 10 = 20 of 1000 = 2% (A); contingency 40 / 1050 = 4/105
        year(2020, ("甲", 500, 510), ("乙", 500, 490), ("预备费", 50, 40, "contingency")),
        fy2021(),                                  # 1/11 ≈ 9.09% (B); 3/110
    ]
    eco = [
        # 2019: 600/400 → 615/385 (+ interest 100/100): lines and interest measured,
        #       budget 1100 outturn 1100 → deviations 15 + 15 + 0 = 30 of 1100 ≈ 2.73% (A)
        year(2019, ("21", 600, 615), ("22", 400, 385), ("24", 100, 100, "interest")),
        # 2020: 600/400 → 612/388: 12 + 12 = 24 of 1000 = 2.4% (A)
        year(2020, ("21", 600, 612), ("22", 400, 388)),
        # 2021: budget 500, 300, 100, interest 100 (1000); outturn 520, 360, 110, 110 (1100)
        #       scale 1.1: adjusted 550, 330, 110, 110 → 30 + 30 + 0 + 0 = 60 / 1100 = 3/55
        #       ≈ 5.45% (B)
        year(2021, ("21", 500, 520), ("22", 300, 360), ("28", 100, 110),
             ("24", 100, 110, "interest")),
    ]
    assert composition_variance(eco[2], ("line", "interest")) == Fraction(3, 55)
    s = pi2(fn, eco)
    d = {x.id: x for x in s.dimensions}
    # 2.1: below 5% only in 2020 (one year); below 10% in 2020 and 2021 → B
    assert d["2.1"].score == "B"
    assert dict(d["2.1"].values) == {2019: Fraction(3, 25), 2020: Fraction(1, 50),
                                     2021: Fraction(1, 11)}
    # 2.2: below 5% in 2019 and 2020 → A
    assert d["2.2"].score == "A"
    # 2.3: mean of 1/21, 4/105, 3/110 = (110 + 88 + 63)/2310 / 3 = 87/2310 ≈ 3.77% → B (3–6%)
    assert d["2.3"].score == "B"
    assert d["2.3"].basis == "average 3.77%"
    # M1 (weakest link): lowest B, another dimension higher → B+
    assert (s.method, s.score) == ("M1", "B+")
    frame = s.to_frame()
    assert len(frame) == 9
    assert set(frame["indicator_score"]) == {"B+"}


@pytest.mark.parametrize(("charged", "grade"), [
    # 2.3 with a budget of 100 (90 + contingency 10) and the same charge each year
    ("2.99", "A"), ("3", "B"), ("6", "B"), ("6.01", "C"), ("9.99", "C"), ("10", "D"),
])
def test_pi2_contingency_bands(charged: str, grade: str) -> None:
    years = [year(y, ("甲", 90, 90), ("预备费", 10, charged, "contingency"))
             for y in (2019, 2020, 2021)]
    assert {d.id: d.score for d in pi2(years).dimensions}["2.3"] == grade


def test_pi2_boundaries_and_missing_data() -> None:
    # 500/500 → 525/475: 25 + 25 = 50 of 1000 = exactly 5%: "less than 5%" fails → B
    five = [year(y, ("甲", 500, 525), ("乙", 500, 475), ("预备费", 10, 0, "contingency"))
            for y in (2019, 2020, 2021)]
    s = pi2(five)
    d = {x.id: x.score for x in s.dimensions}
    assert d == {"2.1": "B", "2.2": "D*", "2.3": "A"}     # no economic breakdown: D*
    assert s.score == "D+"                                   # D* counts as D in M1
    # only two years of contingency data: 2.3 needs all three
    assert {x.id: x.score for x in pi2(five[1:]).dimensions}["2.3"] == "D*"
    # no contingency line at all: 2.3 not applicable, noted as unverified
    plain = [year(y, ("甲", 500, 500), ("乙", 500, 500)) for y in (2019, 2020, 2021)]
    assert {x.id: x.score for x in pi2(plain, plain).dimensions}["2.3"] == "NA"
    assert pi2(plain, plain).score == "A"


def test_pi2_suspense_above_10_percent_scores_d() -> None:
    years = [year(y, ("甲", 500, 500), ("乙", 500, 500), ("暂付", 0, 101, "suspense"),
                  ("预备费", 10, 0, "contingency")) for y in (2019, 2020, 2021)]
    # suspense 101 > 10% of spending 1000 → 2.1 and 2.2 D (2.1 would otherwise be A)
    d = {x.id: x for x in pi2(years, years).dimensions}
    assert d["2.1"].score == "D"
    assert d["2.2"].score == "D"
    assert "suspense" in d["2.1"].notes[-1]


def test_pi3_revenue_worked_example() -> None:
    rev = [
        # 2019: 800/200 → 824/206: ratio 1030/1000 = 103% (A); scale 1.03, adjusted 824/206,
        #       variance 0 (A). Borrowing 100 → 300 is excluded from both.
        year(2019, ("税收", 800, 824), ("赠款", 200, 206), ("借款", 100, 300, "excluded")),
        # 2020: 800/200 → 760/240: ratio 100% (A); 40 + 40 = 80 of 1000 = 8% (B)
        year(2020, ("税收", 800, 760), ("赠款", 200, 240)),
        # 2021: 800/200 → 900/100: ratio 100% (A); 100 + 100 = 200 of 1000 = 20% (D)
        year(2021, ("税收", 800, 900), ("赠款", 200, 100)),
    ]
    s = pi3(rev)
    d = {x.id: x.score for x in s.dimensions}
    # 3.1 A; 3.2: <5% only 2019, <10% in 2019 and 2020 → B; M2 table: A with B → B+
    assert d == {"3.1": "A", "3.2": "B"}
    assert (s.method, s.score) == ("M2", "B+")


@pytest.mark.parametrize(("outturns", "grade"), [
    # 3.1 is asymmetric: A 97–106%, B 94–112%, C 92–116%, inclusive, two of three years
    (("106", "97", "130"), "A"),
    (("107", "96", "130"), "B"),
    (("112", "94", "130"), "B"),
    (("116", "92", "130"), "C"),
    (("116.01", "91.99", "100"), "D"),
])
def test_pi3_aggregate_revenue_bands(outturns: tuple[str, str, str], grade: str) -> None:
    years = [total_only(2019 + i, 100, o) for i, o in enumerate(outturns)]
    assert {d.id: d.score for d in pi3(years).dimensions}["3.1"] == grade


def test_m1_and_m2() -> None:
    assert m1(["B", "A", "C"]) == "C+"
    assert m1(["A", "A"]) == "A"
    assert m1(["D*", "B"]) == "D+"
    assert m1(["NA", "B"]) == "B"
    assert m1(["NA"]) == "NA"
    # the two-dimension table of the reference notes (order does not matter)
    assert [m2(p) for p in (["D", "D"], ["D", "C"], ["D", "B"], ["D", "A"], ["C", "C"],
                            ["B", "C"], ["A", "C"], ["B", "B"], ["A", "B"], ["A", "A"])] == [
        "D", "D+", "C", "C+", "C", "C+", "B", "B", "B+", "A"]
    assert m2(["D*", "A"]) == "C+"
    with pytest.raises(InvalidValueError, match="3 dimensions"):
        m2(["A", "B", "C"])
    assert m2(["A", "B", "C"], table={"ABC": "B"}) == "B"


def lines_strategy() -> st.SearchStrategy[list[tuple[int, int]]]:
    return st.lists(st.tuples(st.integers(1, 10**9), st.integers(0, 10**9)), min_size=5,
                    max_size=12).filter(lambda xs: sum(o for _, o in xs) > 0)


@settings(max_examples=200, deadline=None)
@given(lines=lines_strategy(), k=st.fractions(min_value=Fraction(1, 1000), max_value=1000),
       contingency=st.tuples(st.integers(0, 10**8), st.integers(0, 10**8)))
def test_composition_variance_is_scale_free(lines: list[tuple[int, int]], k: Fraction,
                                            contingency: tuple[int, int]) -> None:
    def build(scale: Fraction) -> YearOutturn:
        body = tuple(BudgetLine(f"l{i}", b * scale, o * scale) for i, (b, o) in enumerate(lines))
        cont = BudgetLine("预备费", contingency[0] * scale, contingency[1] * scale, "contingency")
        return YearOutturn(2021, (*body, cont))
    v = composition_variance(build(Fraction(1)))
    assert v == composition_variance(build(k))            # the unit of account is irrelevant
    assert 0 <= v <= 2                                      # Σ|o − a| ≤ Σo + Σa = 2 Σa
    assert contingency_share(build(Fraction(1))) == contingency_share(build(k))
    # outturn exactly proportional to budget → no composition variance
    proportional = YearOutturn(2021, tuple(BudgetLine(f"l{i}", Fraction(b), Fraction(b) * k)
                                           for i, (b, _) in enumerate(lines)))
    assert composition_variance(proportional) == 0


def test_outturn_table_input_and_bad_amounts() -> None:
    frame = pd.DataFrame({"year": [2021, 2021, 2021], "name": ["甲", "乙", "预备费"],
                          "budget": ["500", "500.50", "10"], "outturn": ["510", "490.50", "5"],
                          "kind": ["line", "line", "contingency"]})
    (y,) = YearOutturn.from_frame(frame)
    assert contingency_share(y) == Fraction(5, Fraction("1010.5"))
    with pytest.raises(InvalidValueError, match="exact"):
        BudgetLine.of("x", 1.5, 2)  # type: ignore[arg-type]
    assert BudgetLine.of("x", "3万元", "29999.99").budget == 30000      # 3万元 in 元
    with pytest.raises(InvalidValueError):
        BudgetLine.of("x", 1, 1, "reserve")  # type: ignore[arg-type]
