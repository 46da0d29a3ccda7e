"""Hand-verified readings of the Shanghai real PDFs (issue #10).

Every PDF of ``shanghai-2025/`` and ``templates/`` in ``../shared/real`` (or ``$FISCALKIT_REAL``)
is read by :func:`fiscalkit.disclosure.read_pdf`. Each 2025 budget is checked against at least
ten figures of its narrative and ten rows of its tables, spread over the tables and pages (rows
of continuation pages, total rows, an empty table). The final-accounts template states no real
figure, so for it the checks are that its "XX" placeholders are not read as numbers and that its
tables' structure — titles, units, codes and names — is recognised (see its section below).

How the expected values were obtained: each page cited in a comment was rendered to PNG
(``pdftoppm -r 80``) and looked at, and read again in ``pdftotext -layout``; the values below
were typed from those pages, *not* copied from the reader's output. Amounts are written as the
page prints them without the thousands separators (so ``"16231840.80"`` keeps its two
decimals); a changed amount printed "减少990万元" is written ``"-990"``. Table cells the page
leaves blank are absent from the expected rows; a printed ``0`` or ``0.00`` is present.

Column keys are the reader's names for the printed headers: 合计 ``total``, 基本支出 ``basic``,
项目支出 ``project``, 人员经费 ``personnel``, 公用经费 ``public``, 财政拨款收入
``appropriation``, 事业收入 ``business``, 事业单位经营收入 ``operating``, 其他收入 ``other``,
一般公共预算 ``general``; in “三公” tables 因公出国(境)费 ``abroad``, 公务接待费 ``hospitality``,
机关运行经费 ``admin``.

The publishers' own slips are kept as printed (the reader must return what is printed):
上海市财政局 p. 17 prints 302 商品和服务支出 24,840,779 where its items add to 24,840,778;
万里街道 p. 23 prints 21201 城乡社区管理事务 94,995,790 where its items add to 94,995,789;
普陀区财政局 p. 7 states 行政单位离退休 87.70万元 where its tables print 877,080.00元.

Cases the reader gets wrong are kept with their hand-verified expectation and marked
``xfail(strict=True)`` with the reason, so that a fix turns them into passes.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from fiscalkit.disclosure.model import StatedFigure
from fiscalkit.disclosure.pdf import ReadResult, TableRow, read_pdf

REAL = Path(os.environ.get("FISCALKIT_REAL",
                           Path(__file__).resolve().parents[2] / "shared" / "real"))
FILES = {
    "finance": REAL / "shanghai-2025" / "上海市财政局25年预算.pdf",
    "putuo": REAL / "shanghai-2025" / "上海市普陀区财政局部门25年预算.pdf",
    "wanli": REAL / "shanghai-2025" / "上海市普陀区万里街道办事处2025年部门预算.pdf",
    "template": REAL / "templates" / "上海市部门决算模板2024.pdf",
}
D = Decimal

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(not all(p.is_file() for p in FILES.values()),
                       reason=f"the Shanghai PDFs in {REAL} are absent"),
]


def _squash(text: str) -> str:
    """NFKC without whitespace: full-width and half-width brackets, letter-spaced text alike."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def read() -> Callable[[str], ReadResult]:
    """Each PDF is read once per module, on first use."""
    cache: dict[str, ReadResult] = {}

    def get(doc: str) -> ReadResult:
        if doc not in cache:
            cache[doc] = read_pdf(FILES[doc])
        return cache[doc]
    return get


# ---------------------------------------------------------------------- narrative figures
@dataclass(frozen=True)
class Fig:
    """A figure the narrative states: where, the number as printed, and what it measures."""

    doc: str
    page: int
    printed: str
    unit: str
    concept: str  # words of the document naming the quantity (a substring of the label)
    sentence: str  # a substring of the sentence, as it reads with line breaks undone
    kind: str = "amount"

    def __str__(self) -> str:
        return f"{self.doc}-p{self.page}-{self.concept}-{self.printed}{self.unit}"


FIGURES = [
    # 上海市财政局 p. 4 (机构设置)
    Fig("finance", 4, "22", "个", "内设机构", "上海市财政局设22个内设机构", "count"),
    # p. 6 (2025年单位预算编制说明)
    Fig("finance", 6, "17192", "万元", "收入预算", "上海市财政局收入预算17,192万元"),
    Fig("finance", 6, "17192", "万元", "财政拨款收入", "其中：财政拨款收入17,192万元"),
    Fig("finance", 6, "-990", "万元", "比2024年预算减少",
        "财政拨款收入17,192万元，比2024年预算减少990万元", "change"),
    Fig("finance", 6, "0", "万元", "事业收入", "事业收入0万元"),
    Fig("finance", 6, "12789", "万元", "一般公共服务支出", "“一般公共服务支出”科目12,789万元"),
    Fig("finance", 6, "1756", "万元", "社会保障和就业支出", "“社会保障和就业支出”科目1,756万元"),
    Fig("finance", 6, "467", "万元", "卫生健康支出", "“卫生健康支出”科目467万元"),
    Fig("finance", 6, "2180", "万元", "住房保障支出", "“住房保障支出”科目2,180万元"),
    # p. 21 (其他相关情况说明)
    Fig("finance", 21, "346.30", "万元", "“三公”经费预算数", "“三公”经费预算数为346.30万元"),
    Fig("finance", 21, "288.70", "万元", "因公出国（境）费", "因公出国（境）费288.70万元"),
    Fig("finance", 21, "0.00", "万元", "公务用车购置费", "公务用车购置费0.00万元"),
    Fig("finance", 21, "25.40", "万元", "公务接待费", "公务接待费25.40万元"),
    Fig("finance", 21, "2517.78", "万元", "机关运行经费", "机关运行经费预算为2,517.78万元"),
    Fig("finance", 21, "1708.03", "万元", "政府采购预算", "本单位政府采购预算1,708.03万元"),
    Fig("finance", 21, "42.50", "万元", "政府采购货物预算", "政府采购货物预算42.50万元"),
    # "政府采购服务预算" ends one line, "1,665.53万元。" begins the next
    Fig("finance", 21, "1665.53", "万元", "政府采购服务预算", "政府采购服务预算1,665.53万元"),
    Fig("finance", 21, "12", "个", "编报绩效目标的项目", "编报绩效目标的项目共12个", "count"),
    Fig("finance", 21, "4222.51", "万元", "项目预算资金", "涉及项目预算资金4,222.51万元"),
    Fig("finance", 21, "0", "辆", "车辆", "上海市财政局共有车辆0辆", "count"),
    # "（不含车辆）1" ends one line, "台（套）。" begins the next
    Fig("finance", 21, "1", "台（套）", "以上设备",
        "单价100万元（含）以上设备（不含车辆）1台（套）", "count"),
    # 普陀区财政局 p. 5 (机构设置)
    Fig("putuo", 5, "0", "家", "下属预算单位", "下属0家预算单位", "count"),
    Fig("putuo", 5, "1", "家", "行政单位", "行政单位1家", "count"),
    # p. 7 (2025年部门预算编制说明); items 7-11 are printed again at the top of p. 8
    Fig("putuo", 7, "3121.42", "万元", "收入预算", "上海市普陀区财政局收入预算3,121.42万元"),
    # "比2024年预算增加" ends one line, "107.62万元；" begins the next
    Fig("putuo", 7, "107.62", "万元", "比2024年预算增加",
        "财政拨款收入3,121.42万元，比2024年预算增加107.62万元", "change"),
    Fig("putuo", 7, "0", "万元", "政府性基金拨款支出预算", "政府性基金拨款支出预算0万元"),
    Fig("putuo", 7, "1623.18", "万元", "行政运行", "行政运行（项）”1,623.18万元"),
    Fig("putuo", 7, "87.70", "万元", "行政单位离退休", "行政单位离退休（项）”87.70万元"),
    # "…缴费支出 （项）" ends one line, "”174.83万元，" begins the next
    Fig("putuo", 7, "174.83", "万元", "基本养老保险缴费支出", "（项）”174.83万元"),
    Fig("putuo", 7, "0.96", "万元", "其它行政事业单位养老支出", "（项）”0.96万元"),
    Fig("putuo", 7, "268.77", "万元", "购房补贴", "购房补贴（项）”268.77万元"),
    # p. 22 (其他相关情况说明)
    Fig("putuo", 22, "0.95", "万元", "“三公”经费预算数", "“三公”经费预算数为0.95万元"),
    Fig("putuo", 22, "0.95", "万元", "公务接待费", "公务接待费0.95万元"),
    Fig("putuo", 22, "229.43", "万元", "机关运行经费", "机关运行经费预算为229.43万元"),
    Fig("putuo", 22, "117.00", "万元", "政府采购预算", "本单位政府采购预算117.00万元"),
    Fig("putuo", 22, "100.00", "万元", "政府采购服务预算", "政府采购服务预算100.00万元"),
    Fig("putuo", 22, "4", "个", "编报绩效目标的项目", "编报绩效目标的项目共4个", "count"),
    Fig("putuo", 22, "598.46", "万元", "项目预算资金", "涉及项目预算资金598.46万元"),
    # printed letter-spaced: "援 滇 干 部 工 作 经 费 3.00 万 元 。"
    Fig("putuo", 22, "3.00", "万元", "援滇干部工作经费", "援滇干部工作经费3.00万元"),
    # p. 24 (项目经费情况说明): 10万元 here, 10.00万元 on p. 22
    Fig("putuo", 24, "10", "万元", "财政业务费", "财政业务费10万元"),
    # 万里街道 p. 4 (机构设置), printed "下属 5 家预算单位"
    Fig("wanli", 4, "5", "家", "下属预算单位", "下属5家预算单位", "count"),
    Fig("wanli", 4, "4", "家", "事业单位", "事业单位4家", "count"),
    # p. 6 (2025年部门预算编制说明); "比2024年预算增加" / "3,355.65万元" across a line break
    Fig("wanli", 6, "18976.76", "万元", "收入预算", "万里街道办事处收入预算18,976.76万元"),
    Fig("wanli", 6, "3355.65", "万元", "比2024年预算增加",
        "财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元", "change"),
    Fig("wanli", 6, "0.00", "万元", "事业收入", "事业收入0.00万元"),
    Fig("wanli", 6, "43.83", "万元", "专项普查活动", "专项普查活动（项）”科目43.83万元"),
    # p. 7
    Fig("wanli", 7, "25.93", "万元", "行政单位离退休", "行政单位离退休（项）”科目25.93万元"),
    Fig("wanli", 7, "757.44", "万元", "其他社会保障和就业支出", "（项）”科目757.44万元"),
    # p. 8: printed without thousands separators
    Fig("wanli", 8, "5312.11", "万元", "其他城乡社区管理事务支出", "（项）”科目5312.11万元"),
    Fig("wanli", 8, "217.72", "万元", "其他城乡社区住宅支出", "（项）”科目217.72万元"),
    # p. 30 (其他相关情况说明)
    Fig("wanli", 30, "37.91", "万元", "“三公”经费预算数", "“三公”经费预算数为37.91万元"),
    Fig("wanli", 30, "-10", "万元", "“三公”经费预算数",
        "“三公”经费预算数为37.91万元，比2024年预算减少10万元", "change"),
    Fig("wanli", 30, "15", "万元", "公务用车购置费", "公务用车购置费15万元"),
    Fig("wanli", 30, "21.56", "万元", "公务用车运行费", "公务用车运行费21.56万元"),
    Fig("wanli", 30, "1.35", "万元", "公务接待费", "公务接待费1.35万元"),
    Fig("wanli", 30, "464.64", "万元", "机关运行经费", "机关运行经费预算为464.64万元"),
    Fig("wanli", 30, "4821.20", "万元", "政府采购预算", "本部门政府采购预算4821.20万元"),
    Fig("wanli", 30, "3780.72", "万元", "政府采购工程预算", "政府采购工程预算3780.72万元"),
    Fig("wanli", 30, "1928.48", "万元", "面向中小企业预留", "预算金额1928.48万元"),
    # "…项目预算为1349.94" ends one line, "万元。" begins the next
    Fig("wanli", 30, "1349.94", "万元", "小型和微型企业", "政府采购项目预算为1349.94万元"),
    Fig("wanli", 30, "49", "个", "编报绩效目标的项目", "编报绩效目标的项目49个", "count"),
    Fig("wanli", 30, "8825.98", "万元", "项目预算资金", "涉及项目预算资金8825.98万元"),
    Fig("wanli", 30, "8", "辆", "共有车辆", "共有车辆8辆", "count"),
    Fig("wanli", 30, "1", "辆", "购置车辆", "2025年部门预算安排购置车辆1辆", "count"),
    # p. 31 (项目经费情况说明)
    Fig("wanli", 31, "15", "万元", "第一季度用款计划", "第一季度用款计划15万元"),
]


def _matches(f: StatedFigure, case: Fig) -> bool:
    return (f.status == "stated" and f.kind == case.kind and f.value == D(case.printed)
            and _squash(f.unit) == _squash(case.unit)
            and _squash(case.concept) in _squash(f.label_zh)
            and _squash(case.sentence) in _squash(f.sentence))


@pytest.mark.parametrize("case", FIGURES, ids=str)
def test_narrative_figure(read: Callable[[str], ReadResult], case: Fig) -> None:
    result = read(case.doc)
    found = [f for f in result.disclosure.figures if _matches(f, case)]
    # once, on its page: a paragraph a printout repeats at the top of the next page is read once
    assert [result.figure_pages.get(f.id) for f in found] == [case.page], found
    (fig,) = found
    assert fig.printed == case.printed  # the digits as printed: 0.00 is not 0
    assert f"p. {case.page}" in fig.note


def test_each_document_states_at_least_ten_checked_figures() -> None:
    for doc in ("finance", "putuo", "wanli"):
        assert sum(c.doc == doc for c in FIGURES) >= 10, doc


@pytest.mark.parametrize(("doc", "value", "words"), [
    ("finance", "100", "单价100万元"),  # p. 21 "单价100万元（含）以上设备": a category
    ("putuo", "100", "单价100万"),  # p. 22 "单价100万（含）以上设备" and "单价100万元（含）"
    ("wanli", "100", "单价100万元"),  # p. 30, the same
    ("wanli", "4000.6", "4000.6平方米"),  # p. 31 "用地面积约为4000.6平方米": not money
    ("wanli", "1", "新增1辆"),  # p. 30 "主要原因是2025年新增1辆公务用车购置": an explanation
])
def test_numbers_that_are_not_figures(read: Callable[[str], ReadResult], doc: str, value: str,
                                      words: str) -> None:
    assert not [f for f in read(doc).disclosure.figures
                if f.value == D(value) and words in _squash(f.sentence)]


def test_numbers_left_unread_are_reported(read: Callable[[str], ReadResult]) -> None:
    # 上海市财政局 p. 6: "政府性基金拨款支出预算为0" — printed without a unit
    unparsed = [u.sentence for u in read("finance").unparsed]
    assert any("政府性基金拨款支出预算为0" in s for s in unparsed)
    # 万里街道 p. 31: "用地面积约为4000.6平方米"
    assert any("4000.6" in u.numbers for u in read("wanli").unparsed)


def test_putuo_vehicle_parts(read: Callable[[str], ReadResult]) -> None:
    # 普陀区财政局 p. 22: "（二）公务车购置及运行费0万元，其中：公务用车购置费0万元，与2024年预算
    # 一致0万元，…；公务车用车运行费0万元，与2024年预算一致0万元，…" — its parts are the two fees
    d = read("putuo").disclosure
    whole = next(f for f in d.figures if f.label_zh == "公务车购置及运行费")
    (parts,) = [c.args for c in whole.relations if c.fn == "sum"]
    assert sorted(d.figure(a).label_zh for a in parts) == ["公务用车购置费", "公务车用车运行费"]


def test_wanli_vehicles_held_in_metadata(read: Callable[[str], ReadResult]) -> None:
    # 万里街道 p. 30: "共有车辆8辆，其中：…其他用车8辆"; "安排购置车辆1辆，其中：…其他用车1辆"
    assets = read("wanli").disclosure.metadata["assets"]
    assert assets["vehicles"] == 8
    assert assets["vehicles_by_category"]["其他用车"] == 8


# ---------------------------------------------------------------------- table rows
@dataclass(frozen=True)
class Row:
    """A table row as printed: table, page, code (None where the row has none), name, amounts."""

    doc: str
    table: str
    page: int
    code: str | None
    name: str
    values: dict[str, str] = field(hash=False)
    side: str = ""  # "in"/"out" for the two halves of a 收支总表

    def __str__(self) -> str:
        return f"{self.doc}-p{self.page}-{self.table}-{self.code or self.name or 'row'}"


SUMMARY, INCOME, EXPENDITURE, APPROPRIATION = "收支总表", "收入总表", "支出总表", "财政拨款收支总表"
GPB, BASIC, SANGONG, GOVFUND = ("一般公共预算支出表", "一般公共预算基本支出表", "“三公”经费支出表",
                                "政府性基金预算支出表")

ROWS = [
    # ---- 上海市财政局, 单位：元 (“三公” 万元)
    # p. 7, 财务收支预算总表: the 支出 half prints 合计 / 人员经费 / 公用经费 / 项目支出
    Row("finance", SUMMARY, 7, "208", "二、社会保障和就业支出", {
        "total": "17560320", "personnel": "15714000", "public": "646320", "project": "1200000"},
        "out"),
    Row("finance", SUMMARY, 7, None, "1、一般公共预算资金", {"total": "171915169"}, "in"),
    Row("finance", SUMMARY, 7, None, "支出总计", {
        "total": "171915169", "personnel": "102464260", "public": "25177779",
        "project": "44273130"}, "out"),
    # p. 8 and p. 9 (the continuation repeats the header, not the title)
    Row("finance", INCOME, 8, "2080599", "其他行政事业单位养老支出",
        {"total": "50400", "appropriation": "50400"}),
    Row("finance", INCOME, 9, "2109999", "其他卫生健康支出",
        {"total": "48000", "appropriation": "48000"}),
    Row("finance", EXPENDITURE, 10, "2010605", "财政国库业务",
        {"total": "14111000", "project": "14111000"}),
    Row("finance", EXPENDITURE, 11, "210", "卫生健康支出",
        {"total": "4668000", "basic": "4620000", "project": "48000"}),
    Row("finance", APPROPRIATION, 12, "221", "四、住房保障支出",
        {"total": "21800000", "general": "21800000"}, "out"),
    Row("finance", GPB, 14, "2210203", "购房补贴", {"total": "11800000", "basic": "11800000"}),
    Row("finance", GOVFUND, 15, None, "合计", {}),  # an empty table: its 合计 row states nothing
    # pp. 17-19, 基本支出表 over three pages (pp. 18-19 repeat the header, not the title)
    Row("finance", BASIC, 17, "30102", "津贴补贴", {"total": "57583760", "personnel": "57583760"}),
    Row("finance", BASIC, 17, "302", "商品和服务支出", {"total": "24840779", "public": "24840779"}),
    Row("finance", BASIC, 18, "30209", "物业管理费", {"total": "9265733", "public": "9265733"}),
    Row("finance", BASIC, 18, "30212", "因公出国（境）费用",
        {"total": "2887000", "public": "2887000"}),
    Row("finance", BASIC, 19, "310", "资本性支出", {"total": "337000", "public": "337000"}),
    # ---- 普陀区财政局, 单位：元 to the 分 (“三公” 万元)
    Row("putuo", SUMMARY, 9, "221", "四、住房保障支出", {"total": "4736957.00"}, "out"),
    Row("putuo", INCOME, 10, "2010607", "信息化建设",
        {"total": "1666600.00", "appropriation": "1666600.00"}),
    Row("putuo", INCOME, 11, "2210203", "购房补贴",
        {"total": "2687760.00", "appropriation": "2687760.00"}),
    Row("putuo", INCOME, 11, None, "合计",
        {"total": "31214205.80", "appropriation": "31214205.80"}),
    Row("putuo", EXPENDITURE, 13, "22102", "住房改革支出",
        {"total": "4736957.00", "basic": "4736957.00"}),
    Row("putuo", APPROPRIATION, 14, "210", "三、卫生健康支出",
        {"total": "782164.00", "general": "782164.00"}, "out"),
    Row("putuo", GPB, 15, "2080501", "行政单位离退休",
        {"total": "877080.00", "basic": "877080.00"}),
    Row("putuo", GPB, 15, "2010608", "财政委托业务支出",
        {"total": "4188000.00", "project": "4188000.00"}),
    # p. 16: the 款 row whose 类 (210) is the last row of p. 15
    Row("putuo", GPB, 16, "21011", "行政事业单位医疗",
        {"total": "782164.00", "basic": "782164.00"}),
    Row("putuo", BASIC, 19, "30112", "其他社会保障缴费",
        {"total": "28428.00", "personnel": "28428.00", "public": "0.00"}),
    Row("putuo", BASIC, 20, "30227", "委托业务费",
        {"total": "100000.00", "personnel": "0.00", "public": "100000.00"}),
    Row("putuo", BASIC, 20, "310", "资本性支出",
        {"total": "90000.00", "personnel": "0.00", "public": "90000.00"}),
    # p. 21: 合计 0.95, 因公出国 blank, 公务接待费 0.95, 公务用车 blank ×3, 机关运行经费 229.43
    Row("putuo", SANGONG, 21, None, "",
        {"total": "0.95", "hospitality": "0.95", "admin": "229.43"}),
    # ---- 万里街道, 单位：元, zeros printed as 0 (“三公” 万元)
    Row("wanli", SUMMARY, 9, "212", "八、城乡社区支出", {"total": "154369326"}, "out"),
    Row("wanli", INCOME, 10, "2010507", "专项普查活动", {
        "total": "438300", "appropriation": "438300", "business": "0", "operating": "0",
        "other": "0"}),
    # p. 13, the fourth page of 收入总表
    Row("wanli", INCOME, 13, "2120199", "其他城乡社区管理事务支出", {
        "total": "53121126", "appropriation": "53121126", "business": "0", "operating": "0",
        "other": "0"}),
    Row("wanli", INCOME, 13, None, "合计", {
        "total": "189767551", "appropriation": "189767551", "business": "0", "operating": "0",
        "other": "0"}),
    Row("wanli", EXPENDITURE, 16, "2080502", "事业单位离退休",
        {"total": "85260", "basic": "85260", "project": "0"}),
    Row("wanli", EXPENDITURE, 17, "2120101", "行政运行",
        {"total": "17887739", "basic": "17737739", "project": "150000"}),
    Row("wanli", APPROPRIATION, 19, "212", "八、城乡社区支出",
        {"total": "154369326", "general": "154369326"}, "out"),
    Row("wanli", GPB, 21, "208", "社会保障和就业支出",
        {"total": "16091895", "basic": "13755695", "project": "2336200"}),
    Row("wanli", GPB, 22, "20899", "其他社会保障和就业支出",
        {"total": "7574422", "basic": "6166222", "project": "1408200"}),
    Row("wanli", GPB, 23, "21201", "城乡社区管理事务",
        {"total": "94995790", "basic": "77381546", "project": "17614243"}),
    Row("wanli", GPB, 24, "2210399", "其他城乡社区住宅支出",
        {"total": "2177200", "basic": "0", "project": "2177200"}),
    Row("wanli", BASIC, 27, "30107", "绩效工资",
        {"total": "11610630", "personnel": "11610630", "public": "0"}),
    # p. 28 continues 基本支出表 with neither title nor header
    Row("wanli", BASIC, 28, "30214", "租赁费",
        {"total": "581200", "personnel": "0", "public": "581200"}),
    Row("wanli", BASIC, 28, "303", "对个人和家庭的补助",
        {"total": "275460", "personnel": "275460", "public": "0"}),
    Row("wanli", GOVFUND, 25, None, "合计", {}),
]


def _find(result: ReadResult, case: Row) -> list[TableRow]:
    rows = result.table(case.table).rows
    return [r for r in rows if (r.code == case.code if case.code else
                                r.code is None and _squash(r.label) == _squash(case.name))
            and (not case.side or r.side == case.side)]


def _check_row(result: ReadResult, case: Row) -> None:
    (row,) = _find(result, case)
    assert (row.page, _squash(row.label)) == (case.page, _squash(case.name))
    assert {k: str(v) for k, v in row.values.items()} == case.values


@pytest.mark.parametrize("case", ROWS, ids=str)
def test_table_row(read: Callable[[str], ReadResult], case: Row) -> None:
    _check_row(read(case.doc), case)


def test_each_document_has_at_least_ten_checked_rows() -> None:
    for doc in ("finance", "putuo", "wanli", "template"):
        rows = [c for c in ROWS + TEMPLATE_ROWS if c.doc == doc]
        assert len(rows) >= 10, doc
        assert len({c.table for c in rows}) >= 4, doc


@pytest.mark.parametrize("doc", ["finance", "putuo", "wanli"])
def test_every_table_is_in_yuan_but_sangong_in_wan_yuan(read: Callable[[str], ReadResult],
                                                        doc: str) -> None:
    # each table's header says "单位：元", the “三公” table's "单位:万元"
    units = {t.name: t.unit for t in read(doc).tables}
    assert units.pop(SANGONG) == "万元"
    assert set(units.values()) == {"元"}


# ---------------------------------------------------------------------- the template
# The 2024 final-accounts template prints "XX"/"XXX" where a department fills in numbers, and
# its tables are empty grids. Its narrative has no real figure at all: the only numbers are
# years (2024, 2023), a date (2024年12月31日), item numbers (1、2、) and the category
# "单价100万元（含）以上设备" — so the figure checks here are that nothing is read as a
# number, and the table checks are the structure: titles, units, codes and names.

TEMPLATE_TABLES = [  # (standard table, title as printed, pages), pp. 5-13, all "单位：万元"
    (SUMMARY, "收入支出决算总表", (5,)),
    (INCOME, "收入决算表", (6,)),
    (EXPENDITURE, "支出决算表", (7,)),
    (APPROPRIATION, "财政拨款收入支出决算总表", (8, 9)),
    (GPB, "一般公共预算财政拨款支出决算表", (10,)),
    (BASIC, "一般公共预算财政拨款基本支出决算表", (11,)),
    (SANGONG, "财政拨款“三公”经费支出决算表", (12,)),
    (GOVFUND, "政府性基金预算财政拨款收入支出决算表", (13,)),
]


def test_template_tables_found(read: Callable[[str], ReadResult]) -> None:
    result = read("template")
    assert [(t.name, _squash(t.title), t.pages) for t in result.tables] == [
        (n, _squash(title), pages) for n, title, pages in TEMPLATE_TABLES]
    assert all((t.phase, t.unit) == ("final", "万元") for t in result.tables)
    # p. 14, 国有资本经营预算财政拨款收入支出决算表, is outside the eight: named, not read
    assert any("国有资本经营预算财政拨款收入支出决算表" in p.message and p.page == 14
               for p in result.problems)
    assert not [p for p in result.problems if p.severity == "error"]


def test_template_metadata(read: Callable[[str], ReadResult]) -> None:
    # p. 1: "上海市 XX 局 / 2024 年度部门决算"
    d = read("template").disclosure
    assert (d.entity, d.metadata["year"], d.metadata["phase"]) == ("上海市XX局", 2024, "final")


def test_template_placeholders_are_not_numbers(read: Callable[[str], ReadResult]) -> None:
    result = read("template")
    assert result.disclosure.figures == ()  # neither narrative nor table figures
    assert all(not r.values for t in result.tables for r in t.rows)
    assert all(len(v) == 0 for k, v in result.disclosure.views.items() if k.startswith("table:"))
    # p. 15: the placeholders are kept as the text printed them
    text = _squash(result.text)
    assert _squash("上海市XX局2024年度收入支出总计XXX万元") in text
    assert _squash("收入支出总计增加（减少）XXX万元，增长（下降）XX%") in text


@pytest.mark.parametrize(("table", "headers"), [
    # p. 6 收入决算表 and p. 7 支出决算表, the amount columns left to right
    (INCOME, ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
              "附属单位上缴收入", "其他收入"]),
    (EXPENDITURE, ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                   "对附属单位补助支出"]),
    (GPB, ["合计", "基本支出", "项目支出"]),  # p. 10
])
def test_template_column_headers(read: Callable[[str], ReadResult], table: str,
                                 headers: list[str]) -> None:
    assert [_squash(h) for h in read("template").table(table).columns.values()] == headers


TEMPLATE_ROWS: list[Row] = [
    # p. 6 收入决算表 (no amounts anywhere: every expected row is empty)
    Row("template", INCOME, 6, None, "合计", {}),
    Row("template", INCOME, 6, "205", "教育支出", {}),
    Row("template", INCOME, 6, "20502", "普通教育", {}),
    Row("template", INCOME, 6, "2050205", "高等教育", {}),
    Row("template", INCOME, 6, "207", "文化旅游体育与传媒支出", {}),
    # the name wraps: "其他文化旅游体育与传媒支" / "出"
    Row("template", INCOME, 6, "20799", "其他文化旅游体育与传媒支出", {}),
    # p. 7 支出决算表
    Row("template", EXPENDITURE, 7, "2050205", "高等教育", {}),
    Row("template", EXPENDITURE, 7, "20799", "其他文化旅游体育与传媒支出", {}),
    # p. 10 一般公共预算财政拨款支出决算表; 207's name wraps: "文化旅游体育" / "与传媒支出"
    Row("template", GPB, 10, "207", "文化旅游体育与传媒支出", {}),
    Row("template", GPB, 10, "20799", "其他文化旅游体育与传媒支出", {}),
    Row("template", GPB, 10, None, "合计", {}),
    # p. 11 基本支出决算表: two code/name/amount blocks side by side
    Row("template", BASIC, 11, "30108", "机关事业单位基本养老保险缴费", {}),  # wraps
    Row("template", BASIC, 11, "30212", "因公出国（境）费用", {}),
    Row("template", BASIC, 11, "30399", "其他对个人和家庭的补助", {}),
    Row("template", BASIC, 11, "31007", "信息网络及软件购置更新", {}),  # wraps
    Row("template", BASIC, 11, "31099", "其他资本性支出", {}),
    Row("template", BASIC, 11, None, "人员经费合计", {}),
    Row("template", BASIC, 11, None, "公用经费合计", {}),
    # p. 5 收入支出决算总表 and pp. 8-9 财政拨款收入支出决算总表
    Row("template", SUMMARY, 5, None, "一、一般公共预算财政拨款收入", {}, "in"),
    Row("template", SUMMARY, 5, "221", "十九、住房保障支出", {}, "out"),
    Row("template", SUMMARY, 5, None, "本年收入合计", {}, "in"),
    Row("template", APPROPRIATION, 8, "201", "一、一般公共服务支出", {}, "out"),
    Row("template", APPROPRIATION, 9, "217", "十六、金融支出", {}, "out"),  # the continuation
]


@pytest.mark.parametrize("case", TEMPLATE_ROWS, ids=str)
def test_template_row(read: Callable[[str], ReadResult], case: Row) -> None:
    _check_row(read("template"), case)


# p. 11, read off the page block by block: 301 …, 303 … (left); 302 …, 310 … (right)
_LEFT = [["301", "01", "02", "03", "06", "07", "08", "09", "10", "11", "12", "13", "14", "99"],
         ["303", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "99"]]
_RIGHT = [["302", "01", "02", "03", "04", "05", "06", "07", "08", "09", "11", "12", "13", "14",
           "15", "16", "17", "18", "24", "25", "26", "27", "28", "29", "31", "39", "40", "99"],
          ["310", "01", "02", "03", "07", "13", "19", "21", "22", "99"]]
TEMPLATE_ECONOMIC = [c if i == 0 else block[0] + c
                     for block in _LEFT + _RIGHT for i, c in enumerate(block)]


def test_template_every_economic_code_is_a_row(read: Callable[[str], ReadResult]) -> None:
    rows = read("template").table(BASIC).rows
    assert len(TEMPLATE_ECONOMIC) == 65
    assert sorted(r.code for r in rows if r.code) == sorted(TEMPLATE_ECONOMIC)
    assert [r.label for r in rows if not r.code] == ["人员经费合计", "公用经费合计"]


@pytest.mark.parametrize("printed", [
    # p. 15: "本年收入合计 XXX 万元，其中：财政拨款收入 XXX 万元，占" / "XX%；事业收入 XXX 万元，
    # 占 XX%；经营收入 XXX 万元，占 XX%……" / "（不涉及的不列）"
    "XX%；事业收入XXX万元，占XX%；经营收入XXX万元，占XX%……",
    # pp. 16-17: "一般公共预算财政拨款基本支出 XXX 万元。其中：人员经费" / "XXX 万元，主要包括：
    # 基本工资、津贴补贴、奖金……其他对个" / "人和家庭的补助（不涉及的不列）"
    "人员经费XXX万元，主要包括：基本工资、津贴补贴、奖金……其他对个人和家庭的补助",
    # p. 19: "…本部门建立了如下预算绩效管理制度：XXXX（制度名称）、XXXX（制" /
    # "度名称）……，建立了XXXX的预算绩效管理工作机制；全过程绩"
    "XXXX（制度名称）……，建立了XXXX的预算绩效管理工作机制",
])
def test_template_lines_with_an_ellipsis_are_kept(read: Callable[[str], ReadResult],
                                                  printed: str) -> None:
    assert _squash(printed) in _squash(read("template").text)
