"""The Jiangsu 2017 department budgets read against values checked by hand (issue #10).

Seven published PDFs in ``jiangsu-2017/`` (under ``../shared/real`` or ``$FISCALKIT_REAL``):
five departments, two of which (省委办公厅, 省政协办公厅) publish the narrative and the tables as
two files, read as a pair with ``read_pdf(narrative, tables_path=tables)``. Every expected value
below was read off the page itself -- the page rendered to an image (``pdftoppm -r 90``) and
looked at, with ``pdftotext -layout`` of the same page as a second look -- never taken from the
reader's output. Pages are the PDF's own page numbers (1-based); in the five files that print
page numbers they are the same as the printed ones. All amounts are in 万元, as printed.

Where the reader gets a hand-checked value wrong, that single case is an ``xfail(strict=True)``
naming the bug; the expected value stays the one printed on the page.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from fiscalkit.disclosure.pdf import ReadResult, read_pdf

REAL = Path(os.environ.get("FISCALKIT_REAL",
                           Path(__file__).resolve().parents[2] / "shared" / "real"))
JIANGSU = REAL / "jiangsu-2017"
D = Decimal

#: What is read, by short name: (narrative or only file, tables file of a pair).
DOCS: dict[str, tuple[str, str | None]] = {
    "jcy": ("2017年省检察院部门预算.pdf", None),  # 省检察院: narrative and tables
    "rd": ("江苏省人大办公厅2017年度预算公开.pdf", None),  # 省人大办公厅: both
    "fy": ("省法院2017年度部门预算公开.pdf", None),  # 省高级法院: both
    "wb": ("江苏省委办公厅2017年部门预算.pdf", "江苏省委办公厅2017年预算公开表格.pdf"),
    "zx": ("江苏省政协办公厅2017年度部门预算.pdf", "江苏省政协办公厅2017年度部门预算公开表.pdf"),
    # the four halves of the two pairs, each read alone
    "wb_text": ("江苏省委办公厅2017年部门预算.pdf", None),
    "wb_tables": ("江苏省委办公厅2017年预算公开表格.pdf", None),
    "zx_text": ("江苏省政协办公厅2017年度部门预算.pdf", None),
    "zx_tables": ("江苏省政协办公厅2017年度部门预算公开表.pdf", None),
}
SINGLE_FILES = ("jcy", "rd", "fy", "wb_text", "wb_tables", "zx_text", "zx_tables")

pytestmark = [pytest.mark.real,
              pytest.mark.skipif(not JIANGSU.is_dir(), reason=f"{JIANGSU} is absent")]


@pytest.fixture(scope="module")
def read() -> Callable[[str], ReadResult]:
    """Each document is read once, on first use, so one unreadable file fails only its tests."""
    @functools.cache
    def load(doc: str) -> ReadResult:
        text, tables = DOCS[doc]
        return read_pdf(JIANGSU / text, tables_path=JIANGSU / tables if tables else None)
    return load


def _norm(text: str) -> str:
    """Compare labels and sentences as printed, whatever the width of brackets or spacing."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"reader bug: {reason}")


# ---------------------------------------------------------------------- every file is read
@pytest.mark.parametrize("doc", [*SINGLE_FILES, "wb", "zx"])
def test_every_pdf_reads_without_error(read: Callable[[str], ReadResult], doc: str) -> None:
    result = read(doc)
    assert Path(result.source).name == DOCS[doc][0]
    has_text = doc not in ("wb_tables", "zx_tables")
    has_tables = doc not in ("wb_text", "zx_text")
    assert bool([f for f in result.disclosure.figures if not f.id.startswith("table.")]) \
        is has_text
    assert bool(result.tables) is has_tables


@pytest.mark.parametrize("doc", ["wb_tables", "zx_tables"])
def test_a_tables_file_says_it_has_no_narrative(read: Callable[[str], ReadResult],
                                                doc: str) -> None:
    result = read(doc)
    assert result.text.strip() == ""
    assert any("no narrative text" in p.message for p in result.problems)


@pytest.mark.parametrize("pair", ["wb", "zx"])
def test_a_pair_reads_as_its_two_halves(read: Callable[[str], ReadResult], pair: str) -> None:
    """The pair's tables are the tables file's, its narrative the narrative file's."""
    both, text, tables = read(pair), read(f"{pair}_text"), read(f"{pair}_tables")
    assert both.tables == tables.tables
    assert [(f.id, f.value, f.unit) for f in both.disclosure.figures
            if not f.id.startswith("table.")] == [
        (f.id, f.value, f.unit) for f in text.disclosure.figures]
    assert dict(both.figure_pages) == dict(text.figure_pages)


def test_a_cover_with_a_text_layer_is_not_called_an_image(
        read: Callable[[str], ReadResult]) -> None:
    assert [str(p) for p in read("jcy").problems if p.severity == "error"] == []


# ---------------------------------------------------------------------- the tables found
# (doc, standard table, pages it is printed on); every table in these files is in 万元.
TABLE_PAGES = [
    # 省检察院: 四 runs over pp. 11-12, 九 over pp. 14-15
    ("jcy", "收支总表", (10,)), ("jcy", "收入总表", (11,)), ("jcy", "支出总表", (11,)),
    ("jcy", "财政拨款收支总表", (11, 12)), ("jcy", "政府性基金预算支出表", (13,)),
    ("jcy", "一般公共预算支出表", (14,)), ("jcy", "一般公共预算基本支出表", (14, 15)),
    ("jcy", "“三公”经费支出表", (16,)),
    # 省人大办公厅: 收支预算总表 pp. 7-9, then 收入预算总表 from p. 9 to p. 10
    ("rd", "收支总表", (7, 8, 9)), ("rd", "收入总表", (9, 10)),
    ("rd", "支出总表", (10,)), ("rd", "财政拨款收支总表", (12,)),
    ("rd", "政府性基金预算支出表", (15,)),
    ("rd", "一般公共预算支出表", (16, 17)), ("rd", "一般公共预算基本支出表", (17, 18)),
    ("rd", "“三公”经费支出表", (20,)),
    # 省委办公厅 tables file: one table a page, none continues over a page break
    ("wb", "收支总表", (1,)), ("wb", "收入总表", (2,)), ("wb", "支出总表", (3,)),
    ("wb", "财政拨款收支总表", (4,)), ("wb", "政府性基金预算支出表", (7,)),
    ("wb", "一般公共预算支出表", (8,)), ("wb", "一般公共预算基本支出表", (9,)),
    ("wb", "“三公”经费支出表", (11,)),
    # 省政协办公厅 tables file: one table a page
    ("zx", "收支总表", (1,)), ("zx", "收入总表", (2,)), ("zx", "支出总表", (3,)),
    ("zx", "财政拨款收支总表", (4,)), ("zx", "政府性基金预算支出表", (7,)),
    ("zx", "一般公共预算支出表", (8,)), ("zx", "一般公共预算基本支出表", (9,)),
    ("zx", "“三公”经费支出表", (11,)),
    # 省高级法院: 一 runs over pp. 11-12, 二 over pp. 12-13, 九 over pp. 15-16
    ("fy", "收支总表", (11, 12)), ("fy", "收入总表", (12, 13)), ("fy", "支出总表", (13,)),
    ("fy", "财政拨款收支总表", (13,)), ("fy", "政府性基金预算支出表", (15,)),
    ("fy", "一般公共预算支出表", (15,)),
    ("fy", "一般公共预算基本支出表", (15, 16)),
    ("fy", "“三公”经费支出表", (17,)),
]


@pytest.mark.parametrize(("doc", "name", "pages"), TABLE_PAGES)
def test_tables_are_found_on_their_pages(read: Callable[[str], ReadResult], doc: str,
                                         name: str, pages: tuple[int, ...]) -> None:
    table = read(doc).table(name)
    assert (table.unit, table.phase, table.pages) == ("万元", "budget", pages)


# ---------------------------------------------------------------------- table rows
def _row(doc: str, table: str, side: str | None, code: str | None, label: str, page: int,
         values: dict[str, str], bug: str | None = None) -> object:
    """One printed row: found by code, or by label (and side, in the two-sided tables)."""
    case = (doc, table, side, code, label, page, {k: D(v) for k, v in values.items()})
    ident = f"{doc}-{table}-{code or label or 'row'}"
    return pytest.param(*case, id=ident, marks=_bug(bug) if bug else ())


ROWS = [
    # ---- 省检察院 (both parts in one file) ----
    # p. 10 收支预算总表: income and the two kinds of expenditure side by side
    _row("jcy", "收支总表", "in", None, "一、财政拨款", 10, {"total": "17981.68"}),
    _row("jcy", "收支总表", "out", None, "四、公共安全支出", 10, {"total": "13656.34"}),
    _row("jcy", "收支总表", "out", None, "一、基本支出", 10, {"total": "12323.48"}),
    _row("jcy", "收支总表", "in", None, "收入合计", 10, {"total": "17996.68"}),
    # p. 11 收入预算总表 (labels: merged group cell / item) and 支出预算总表 (one row)
    _row("jcy", "收入总表", None, None, "其他资金/其他收入", 11, {"total": "15.00"}),
    _row("jcy", "支出总表", None, None, "", 11, {
        "total": "17996.68", "basic": "12323.48", "project": "5533.00",
        "单位预留机动经费": "140.20"}),
    # p. 12: the rest of 财政拨款收支预算总表, begun on p. 11
    _row("jcy", "财政拨款收支总表", "out", None, "二、项目支出", 12, {"total": "5533.00"}),
    _row("jcy", "财政拨款收支总表", "out", None, "支出合计", 12, {"total": "17981.68"}),
    # p. 14 八、一般公共预算支出预算表
    _row("jcy", "一般公共预算支出表", None, None, "合计", 14, {"total": "17981.68"}),
    _row("jcy", "一般公共预算支出表", None, "2040401", "行政运行", 14, {"total": "7968.14"}),
    _row("jcy", "一般公共预算支出表", None, "2210202", "提租补贴", 14, {"total": "1534.94"}),
    # 九、一般公共预算基本支出预算表, p. 14 and its continuation on p. 15
    _row("jcy", "一般公共预算基本支出表", None, None, "合计", 14, {"total": "12308.48"}),
    _row("jcy", "一般公共预算基本支出表", None, "301", "工资福利支出", 14, {"total": "5343.83"}),
    _row("jcy", "一般公共预算基本支出表", None, "30239", "其他交通费用", 15, {"total": "394.96"}),
    _row("jcy", "一般公共预算基本支出表", None, "30312", "提租补贴", 15, {"total": "1534.94"}),
    # p. 16 十一、“三公”经费、会议费、培训费: 1,452.35 584.35 110.00 317.80 50.00 267.80 ...
    _row("jcy", "“三公”经费支出表", None, None, "", 16, {
        "all": "1452.35", "total": "584.35", "abroad": "110.00", "vehicle": "317.80",
        "vehicle_purchase": "50.00", "vehicle_operation": "267.80", "hospitality": "156.55",
        "会议费": "168.00", "培训费": "700.00"}),

    # ---- 省人大办公厅 (both parts in one file) ----
    # pp. 7-9 收支预算总表, drawn with wrapped labels ("一、财政" / "拨款")
    _row("rd", "收支总表", "in", None, "一、财政拨款", 7, {"total": "13649.07"}),
    _row("rd", "收支总表", "out", None, "一、一般公共服务支出", 7, {"total": "10528.33"}),
    _row("rd", "收支总表", "out", None, "一、基本支出", 7, {"total": "7666.68"}),
    _row("rd", "收支总表", "out", None, "八、社会保障和就业支出", 7, {"total": "1608.51"}),
    _row("rd", "收支总表", "out", None, "十八、住房保障支出", 8, {"total": "1512.23"}),
    _row("rd", "收支总表", "in", None, "收入合计", 9, {"total": "13649.07"}),
    _row("rd", "收入总表", None, None, "收入总计", 9, {"total": "13649.07"}),
    # p. 10 支出预算总表; p. 12 财政拨款收支预算总表
    _row("rd", "支出总表", None, None, "", 10, {
        "total": "13649.07", "basic": "7666.68", "project": "5853.96",
        "单位预留机动经费": "128.43"}),
    _row("rd", "财政拨款收支总表", "out", None, "一、基本支出", 12, {"total": "7666.68"}),
    _row("rd", "财政拨款收支总表", "in", None, "收入合计", 12, {"total": "13649.07"}),
    # pp. 16-17 一般公共预算支出预算表, pp. 17-18 一般公共预算基本支出预算表
    _row("rd", "一般公共预算支出表", None, None, "合计", 16, {"total": "13649.07"}),
    _row("rd", "一般公共预算支出表", None, "2010104", "人大会议", 16, {"total": "1305.25"}),
    _row("rd", "一般公共预算支出表", None, "2080504", "未归口管理的行政单位离退休", 17,
         {"total": "1608.51"}),
    _row("rd", "一般公共预算支出表", None, "2210202", "提租补贴", 17, {"total": "1018.01"}),
    _row("rd", "一般公共预算基本支出表", None, None, "合计", 17, {"total": "7666.68"}),
    _row("rd", "一般公共预算基本支出表", None, "30107", "绩效工资", 17, {"total": "8.18"}),
    _row("rd", "一般公共预算基本支出表", None, "30231", "公务用车运行维护费", 18,
         {"total": "183.60"}),
    # p. 20: 2,542.60 833.60 222.50 183.60 0 183.60 427.50 1,305.25 403.75 (购置费 printed 0)
    _row("rd", "“三公”经费支出表", None, None, "", 20, {
        "all": "2542.60", "total": "833.60", "abroad": "222.50", "vehicle": "183.60",
        "vehicle_purchase": "0", "vehicle_operation": "183.60", "hospitality": "427.50",
        "会议费": "1305.25", "培训费": "403.75"}),

    # ---- 省委办公厅: the tables file (no narrative in it), 25 rows; read as the pair ----
    # p. 1 收支预算总表
    _row("wb", "收支总表", "in", None, "一、财政拨款", 1, {"total": "20702.25"}),
    _row("wb", "收支总表", "in", None, "二、财政专户管理资金", 1, {"total": "147.20"}),
    _row("wb", "收支总表", "out", None, "一、一般公共服务支出", 1, {"total": "16992.37"}),
    _row("wb", "收支总表", "out", None, "十八、住房保障支出", 1, {"total": "1856.69"}),
    _row("wb", "收支总表", "out", None, "二、项目支出", 1, {"total": "10688.66"}),
    _row("wb", "收支总表", "in", None, "收入合计", 1, {"total": "20849.45"}),
    _row("wb", "收支总表", "out", None, "支出合计", 1, {"total": "20849.45"}),
    # p. 2 收入预算总表
    _row("wb", "收入总表", None, None, "收入总计", 2, {"total": "20849.45"}),
    _row("wb", "收入总表", None, None, "财政专户管理资金/其他非税收入", 2, {"total": "147.20"}),
    # p. 3 支出预算总表; p. 4 财政拨款收支预算总表 (项目支出 10,541.46 = 10,688.66 - 147.20)
    _row("wb", "支出总表", None, None, "", 3, {
        "total": "20849.45", "basic": "9964.07", "project": "10688.66",
        "单位预留机动经费": "196.72"}),
    _row("wb", "财政拨款收支总表", "out", None, "二、项目支出", 4, {"total": "10541.46"}),
    _row("wb", "财政拨款收支总表", "in", None, "收入合计", 4, {"total": "20702.25"}),
    # p. 7 财政拨款政府性基金支出预算表: only a 合计 row, blank
    _row("wb", "政府性基金预算支出表", None, None, "合计", 7, {}),
    # p. 8 一般公共预算支出预算表
    _row("wb", "一般公共预算支出表", None, None, "合计", 8, {"total": "20702.25"}),
    _row("wb", "一般公共预算支出表", None, "20131", "党委办公厅（室）及相关机构事务", 8,
         {"total": "16845.17"}),
    _row("wb", "一般公共预算支出表", None, "2013102", "一般行政管理事务", 8,
         {"total": "10738.18"}),
    _row("wb", "一般公共预算支出表", None, "2080504", "未归口管理的行政单位离退休", 8,
         {"total": "2000.39"}),
    _row("wb", "一般公共预算支出表", None, "2210201", "住房公积金", 8, {"total": "621.28"}),
    # p. 9 一般公共预算基本支出预算表
    _row("wb", "一般公共预算基本支出表", None, None, "合计", 9, {"total": "9964.07"}),
    _row("wb", "一般公共预算基本支出表", None, "30104", "其他社会保障缴费", 9, {"total": "1.50"}),
    _row("wb", "一般公共预算基本支出表", None, "30216", "培训费", 9, {"total": "25.00"}),
    _row("wb", "一般公共预算基本支出表", None, "30231", "公务用车运行维护费", 9,
         {"total": "411.20"}),
    _row("wb", "一般公共预算基本支出表", None, "303", "对个人和家庭的补助", 9,
         {"total": "3899.25"}),
    _row("wb", "一般公共预算基本支出表", None, "30312", "提租补贴", 9, {"total": "1235.41"}),
    # p. 11: 1,467.70 509.20 70.00 411.20 (购置费 blank) 411.20 28.00 933.50 25.00
    _row("wb", "“三公”经费支出表", None, None, "", 11, {
        "all": "1467.70", "total": "509.20", "abroad": "70.00", "vehicle": "411.20",
        "vehicle_operation": "411.20", "hospitality": "28.00", "会议费": "933.50",
        "培训费": "25.00"}),

    # ---- 省政协办公厅: the tables file (no narrative in it), 24 rows; read as the pair ----
    # p. 1 收支预算总表 (表一)
    _row("zx", "收支总表", "in", None, "一、财政拨款", 1, {"total": "9066.79"}),
    _row("zx", "收支总表", "in", None, "三、其他资金", 1, {"total": "80.00"}),
    _row("zx", "收支总表", "out", None, "一、一般公共服务支出", 1, {"total": "6543.55"}),
    _row("zx", "收支总表", "out", None, "八、社会保障和就业支出", 1, {"total": "1509.72"}),
    _row("zx", "收支总表", "out", None, "三、单位预留机动经费", 1, {"total": "106.84"}),
    _row("zx", "收支总表", "out", None, "支出合计", 1, {"total": "9146.79"}),
    # p. 2 收入预算总表 (表二); the file prints "财政转专户管理资金", sic
    _row("zx", "收入总表", None, None, "收入总计", 2, {"total": "9146.79"}),
    _row("zx", "收入总表", None, None, "其他资金/其他收入", 2, {"total": "80.00"}),
    _row("zx", "收入总表", None, None, "财政转专户管理资金/小计", 2, {}),
    # p. 3 支出预算总表 (表三); p. 4 财政拨款收支预算总表 (表四)
    _row("zx", "支出总表", None, None, "", 3, {
        "total": "9146.79", "basic": "5916.27", "project": "3123.68",
        "单位预留机动经费": "106.84"}),
    _row("zx", "财政拨款收支总表", "out", None, "一、基本支出", 4, {"total": "5836.27"}),
    _row("zx", "财政拨款收支总表", "out", None, "支出合计", 4, {"total": "9066.79"}),
    # p. 8 一般公共预算支出预算表 (表八): 201 is 6,463.55 here (80.00 of 其他资金 aside)
    _row("zx", "一般公共预算支出表", None, None, "合计", 8, {"total": "9066.79"}),
    _row("zx", "一般公共预算支出表", None, "201", "一般公共服务支出", 8, {"total": "6463.55"}),
    _row("zx", "一般公共预算支出表", None, "2010204", "政协会议", 8, {"total": "1027.90"}),
    _row("zx", "一般公共预算支出表", None, "2010299", "其他政协事务支出", 8, {"total": "195.50"}),
    _row("zx", "一般公共预算支出表", None, "22102", "住房改革支出", 8, {"total": "1093.52"}),
    # p. 9 一般公共预算基本支出预算表 (表九)
    _row("zx", "一般公共预算基本支出表", None, None, "合计", 9, {"total": "5836.27"}),
    _row("zx", "一般公共预算基本支出表", None, "30102", "津贴补贴", 9, {"total": "1263.76"}),
    _row("zx", "一般公共预算基本支出表", None, "30215", "会议费", 9, {"total": "66.72"}),
    _row("zx", "一般公共预算基本支出表", None, "30239", "其他交通费用", 9, {"total": "174.92"}),
    _row("zx", "一般公共预算基本支出表", None, "30309", "奖励金", 9, {"total": "0.50"}),
    _row("zx", "一般公共预算基本支出表", None, "30312", "提租补贴", 9, {"total": "751.77"}),
    # p. 11 (表十一): 1,852.32 676.10 76.00 156.60 (购置费 blank) 156.60 443.50 1,094.62 81.60
    _row("zx", "“三公”经费支出表", None, None, "", 11, {
        "all": "1852.32", "total": "676.10", "abroad": "76.00", "vehicle": "156.60",
        "vehicle_operation": "156.60", "hospitality": "443.50", "会议费": "1094.62",
        "培训费": "81.60"}),

    # ---- 省高级法院 (both parts in one file) ----
    # pp. 11-12 一、收支预算总表
    _row("fy", "收支总表", "in", None, "一、财政拨款", 11, {"total": "28849.38"}),
    _row("fy", "收支总表", "out", None, "四、公共安全支出", 12, {"total": "23513.11"}),
    _row("fy", "收支总表", "in", None, "收入合计", 12, {"total": "28849.38"}),
    # pp. 12-13 二、收入预算总表; p. 13 三、支出预算总表 and 四、财政拨款收支预算总表
    _row("fy", "收入总表", None, None, "收入总计", 12, {"total": "28849.38"}),
    _row("fy", "支出总表", None, None, "", 13, {
        "total": "28849.38", "basic": "17123.19", "project": "11543.27",
        "单位预留机动经费": "182.92"}),
    _row("fy", "财政拨款收支总表", "in", None, "一、一般公共预算", 13, {"total": "28849.38"}),
    _row("fy", "财政拨款收支总表", "out", None, "支出合计", 13, {"total": "28849.38"}),
    # p. 15 八、一般公共预算支出预算表
    _row("fy", "一般公共预算支出表", None, None, "合计", 15, {"total": "28849.38"}),
    _row("fy", "一般公共预算支出表", None, "2040504", "案件审判", 15, {"total": "1733.30"}),
    _row("fy", "一般公共预算支出表", None, "2210201", "住房公积金", 15, {"total": "1029.15"}),
    # 九、一般公共预算基本支出预算表: p. 15, continued on p. 16
    _row("fy", "一般公共预算基本支出表", None, None, "合计", 15, {"total": "17123.19"}),
    _row("fy", "一般公共预算基本支出表", None, "30199", "其他工资福利支出", 15,
         {"total": "621.47"}),
    _row("fy", "一般公共预算基本支出表", None, "30205", "水费", 15, {"total": "43.60"}),
    _row("fy", "一般公共预算基本支出表", None, "30206", "电费", 16, {"total": "235.00"}),
    _row("fy", "一般公共预算基本支出表", None, "30312", "提租补贴", 16, {"total": "1959.99"}),
    # p. 17 十一: 2,599.37 670.12 180.00 304.40 (购置费 blank) 304.40 185.72 228.00 1,701.25
    _row("fy", "“三公”经费支出表", None, None, "", 17, {
        "all": "2599.37", "total": "670.12", "abroad": "180.00", "vehicle": "304.40",
        "vehicle_operation": "304.40", "hospitality": "185.72", "会议费": "228.00",
        "培训费": "1701.25"}),
]


@pytest.mark.parametrize(("doc", "table", "side", "code", "label", "page", "values"), ROWS)
def test_table_rows_checked_by_hand(read: Callable[[str], ReadResult], doc: str, table: str,
                                    side: str | None, code: str | None, label: str, page: int,
                                    values: dict[str, Decimal]) -> None:
    rows = [r for r in read(doc).table(table).rows
            if (r.code == code if code else _norm(r.label) == _norm(label))
            and (side is None or r.side == side)]
    assert len(rows) == 1, [(r.page, r.side, r.code, r.label) for r in rows]
    row = rows[0]
    assert (row.page, _norm(row.label), dict(row.values)) == (page, _norm(label), values)


# ---------------------------------------------------------------------- narrative figures
def _fig(doc: str, page: int, value: str, unit: str, kind: str, words: str, *,
         year: int = 2017, bug: str | None = None) -> object:
    """One stated number: its page, value as printed (a decrease signed -), unit, kind (amount,
    change, share, count), words of its sentence naming what it is, and the year it is for."""
    return pytest.param(doc, page, value, unit, kind, words, year,
                        id=f"{doc}-p{page}-{value}{unit}", marks=_bug(bug) if bug else ())


NARRATIVE = [
    # ---- 省检察院, 第三部分 pp. 18-23 ----
    _fig("jcy", 18, "17996.68", "万元", "amount", "收入、支出预算总计"),
    _fig("jcy", 18, "1463.8", "万元", "change", "收、支预算总计各增加"),
    _fig("jcy", 18, "8.85", "%", "change", "收、支预算总计各增加"),
    _fig("jcy", 18, "170.27", "%", "change", "增加9.45万元"),  # 其他资金
    _fig("jcy", 19, "13656.34", "万元", "amount", "公共安全（类）支出"),
    _fig("jcy", 19, "309.03", "万元", "change", "与上年相比增加"),
    # p. 19 prints 12323.46; its tables (pp. 10-11) and p. 19 below say 12,323.48
    _fig("jcy", 19, "12323.46", "万元", "amount", "基本支出预算数为"),
    _fig("jcy", 19, "-20", "万元", "change", "与上年相比减少"),
    _fig("jcy", 19, "-0.36", "%", "change", "与上年相比减少"),
    _fig("jcy", 19, "99.92", "%", "share", "一般公共预算收入"),
    _fig("jcy", 19, "68.48", "%", "share", "基本支出"),
    _fig("jcy", 20, "7968.14", "万元", "amount", "检察（款）行政运行（项）支出"),
    _fig("jcy", 20, "3.92", "%", "change", "行政运行（项）支出"),
    _fig("jcy", 20, "9710.42", "万元", "amount", "人员经费"),  # 六
    _fig("jcy", 21, "9710.42", "万元", "amount", "人员经费"),  # 九
    _fig("jcy", 22, "6032.55", "万元", "amount", "机关运行经费预算支出"),
    _fig("jcy", 22, "129.97", "%", "change", "机关运行经费预算支出"),
    _fig("jcy", 22, "18.85", "%", "share", "因公出国（境）费支出"),
    _fig("jcy", 22, "50", "万元", "amount", "公务用车购置预算支出"),
    _fig("jcy", 23, "156.55", "万元", "amount", "公务接待费预算支出"),
    _fig("jcy", 23, "-29.65", "万元", "change", "本年数小于上年预算数"),
    _fig("jcy", 23, "2889.8", "万元", "amount", "政府采购预算总金额"),

    # ---- 省人大办公厅: p. 6 (部门概况) and 第三部分 pp. 23-29 ----
    _fig("rd", 6, "339", "名", "count", "编制"),
    _fig("rd", 6, "274", "名", "count", "实际在编在职人员"),
    _fig("rd", 23, "13649.07", "万元", "amount", "收入、支出预算总计"),
    _fig("rd", 23, "844.15", "万元", "change", "收、支预算总计各增加"),
    _fig("rd", 23, "6.59", "%", "change", "收、支预算总计各增加"),
    _fig("rd", 23, "10528.33", "万元", "amount", "一般公共服务支出"),
    _fig("rd", 24, "-17.89", "万元", "change", "减少"),
    _fig("rd", 24, "-0.17", "%", "change", "减少"),
    _fig("rd", 24, "1512.23", "万元", "amount", "住房保障支出"),
    _fig("rd", 24, "79.29", "%", "change", "增长"),
    _fig("rd", 24, "56.17", "%", "share", "基本支出"),
    _fig("rd", 24, "0.94", "%", "share", "单位预留机动经费"),
    _fig("rd", 26, "6080.72", "万元", "amount", "人员经费"),  # 六
    _fig("rd", 27, "6080.72", "万元", "amount", "（一）人员经费"),  # 九
    _fig("rd", 28, "5619.31", "万元", "amount", "机关运行经费预算支出"),
    _fig("rd", 28, "254.23", "%", "change", "机关运行经费预算支出"),
    _fig("rd", 28, "8.75", "%", "share", "因公出国（境）费支出"),
    _fig("rd", 29, "1305.25", "万元", "amount", "会议费预算支出"),
    _fig("rd", 29, "-403.75", "万元", "change", "本年数小于上年预算数"),
    _fig("rd", 29, "403.75", "万元", "change", "培训费预算支出"),  # 比上年预算增加 403.75
    _fig("rd", 29, "2188.85", "万元", "amount", "拟购买服务"),

    # ---- 省委办公厅, narrative file pp. 5-12 (its tables are the other file; read as a pair)
    _fig("wb", 5, "20849.45", "万元", "amount", "收入、支出预算总计"),
    _fig("wb", 5, "2043.58", "万元", "change", "收、支预算总计各增加"),
    _fig("wb", 6, "10.87", "%", "change", "收、支预算总计各增加"),  # top of p. 6
    _fig("wb", 6, "147.20", "万元", "amount", "财政专户管理资金收入预算总计"),
    _fig("wb", 6, "16992.37", "万元", "amount", "一般公共服务（类）支出"),
    _fig("wb", 6, "7.62", "%", "change", "增长"),
    _fig("wb", 7, "941.62", "万元", "change", "与上年相比增加"),  # sentence begins on p. 6
    _fig("wb", 7, "10688.66", "万元", "amount", "项目支出预算数为"),
    _fig("wb", 7, "0.71", "%", "share", "财政专户管理资金"),
    _fig("wb", 8, "10738.18", "万元", "amount", "一般行政管理事务（项）支出"),
    _fig("wb", 9, "3.4", "%", "change", "未归口管理的行政单位离退休（项）支出"),
    _fig("wb", 9, "606", "万元", "change", "提租补贴（项）支出"),
    _fig("wb", 9, "7819.47", "万元", "amount", "人员经费"),  # 六
    _fig("wb", 10, "7819.47", "万元", "amount", "人员经费"),  # 九
    _fig("wb", 11, "10101.76", "万元", "amount", "机关运行经费预算支出"),
    _fig("wb", 11, "369.97", "%", "change", "机关运行经费预算支出"),
    _fig("wb", 11, "80.75", "%", "share", "公务用车购置及运行费支出"),
    _fig("wb", 12, "933.50", "万元", "amount", "会议费预算支出"),
    _fig("wb", 12, "496.20", "万元", "amount", "拟购买货物"),

    # ---- 省政协办公厅, narrative file pp. 6-19 (tables in the other file; read as a pair)
    # p. 6: "（2016 年度部门支出预算安排为 8,648.07 万元）" is last year's total
    _fig("zx", 6, "8648.07", "万元", "amount", "2016年度部门支出预算安排为", year=2016),
    _fig("zx", 6, "-108.56", "万元", "change", "一般公共服务支出减少"),
    _fig("zx", 7, "9146.79", "万元", "amount", "收入、支出预算总计"),
    _fig("zx", 7, "5.77", "%", "change", "收、支预算总计各增加"),
    _fig("zx", 7, "6543.55", "万元", "amount", "一般公共服务（类）支出"),
    _fig("zx", 7, "-1.63", "%", "change", "下降"),
    _fig("zx", 8, "1093.52", "万元", "amount", "住房保障（类）支出"),
    _fig("zx", 8, "74.35", "%", "change", "增长"),
    _fig("zx", 8, "0.87", "%", "share", "其他资金"),
    _fig("zx", 9, "34.15", "%", "share", "项目支出"),
    _fig("zx", 9, "3233.03", "万元", "amount", "行政运行（项）支出"),  # 五
    _fig("zx", 13, "3233.03", "万元", "amount", "行政运行（项）支出"),  # 八
    _fig("zx", 10, "4704.35", "万元", "amount", "人员经费"),  # 六
    _fig("zx", 14, "4704.35", "万元", "amount", "人员经费"),  # 九
    _fig("zx", 11, "163", "万元", "amount", "离休费（款）支出"),
    _fig("zx", 17, "3348.98", "万元", "amount", "机关运行经费支出"),
    _fig("zx", 17, "184.81", "%", "change", "机关运行经费支出"),
    _fig("zx", 17, "446", "万元", "amount", "物业管理费（款）支出"),
    # 十 (p. 17) repeats "（2）水费（款）支出 10 万元" of 六 (p. 12) and 九 (p. 16)
    _fig("zx", 17, "10", "万元", "amount", "水费（款）支出"),
    _fig("zx", 19, "443.50", "万元", "amount", "公务接待费预算支出"),
    _fig("zx", 19, "-0.8", "万元", "change", "公务接待费预算支出"),
    _fig("zx", 19, "81.60", "万元", "amount", "培训费预算支出"),
    _fig("zx", 19, "20.40", "%", "share", "货物类政府采购支出预算"),

    # ---- 省高级法院, 第三部分 pp. 19-26 ----
    _fig("fy", 19, "28849.38", "万元", "amount", "收入、支出预算总计"),
    _fig("fy", 19, "1808.29", "万元", "change", "收、支预算总计各增加"),
    _fig("fy", 19, "23513.11", "万元", "amount", "公共安全（类）支出"),
    _fig("fy", 19, "1.78", "%", "change", "增长"),
    _fig("fy", 19, "1051.89", "万元", "change", "与上年相比增加"),  # 住房保障, end of p. 19
    _fig("fy", 20, "54.3", "%", "change", "与上年相比增加"),  # ... and its % on p. 20
    _fig("fy", 20, "17123.19", "万元", "amount", "基本支出预算数为"),
    _fig("fy", 20, "59.35", "%", "share", "基本支出"),
    _fig("fy", 22, "1733.3", "万元", "amount", "案件审判（项）支出"),
    _fig("fy", 22, "-200", "万元", "change", "案件审判（项）支出"),
    _fig("fy", 22, "-10.35", "%", "change", "案件审判（项）支出"),
    _fig("fy", 22, "865.57", "万元", "change", "提租补贴（项）支出"),
    _fig("fy", 23, "13594.82", "万元", "amount", "人员经费"),  # 六
    _fig("fy", 24, "13594.82", "万元", "amount", "人员经费"),  # 九
    _fig("fy", 24, "9193.40", "万元", "amount", "机关运行经费预算支出"),
    _fig("fy", 24, "149.12", "%", "change", "机关运行经费预算支出"),
    _fig("fy", 24, "-161.96", "万元", "change", "按与上年统计口径一致相比"),
    _fig("fy", 25, "27.71", "%", "share", "公务接待费支出"),
    _fig("fy", 25, "1701.25", "万元", "amount", "培训费预算支出"),
    _fig("fy", 26, "500", "万元", "amount", "拟购买工程"),
]


@pytest.mark.parametrize(("doc", "page", "value", "unit", "kind", "words", "year"), NARRATIVE)
def test_narrative_figures_checked_by_hand(read: Callable[[str], ReadResult], doc: str,
                                           page: int, value: str, unit: str, kind: str,
                                           words: str, year: int) -> None:
    result = read(doc)
    same = [f for f in result.disclosure.figures
            if f.status == "stated" and str(f.value) == value and f.unit == unit
            and _norm(words) in _norm(f.sentence)]
    assert same, f"no stated figure {value} {unit} in a sentence with {words!r}"
    found = {(result.figure_pages.get(f.id), f.kind, f.year) for f in same}
    assert (page, kind, year) in found, sorted(found, key=str)
