"""Reading the standard tables from workbooks (.xlsx via openpyxl, .xls via xlrd).

The workbooks are written here, in ``tmp_path``, with openpyxl from numbers typed below; the
expected values are typed again, independently, in 元 or 万元 and in 分 (worked out by hand:
1,234.56元 = 123,456分; 120.50万元 = 1,205,000元 = 120,500,000分). The ``.xls`` fixture is
written by ``fixtures/excel/make_xls.py`` (xlwt) from the same numbers and committed.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from fiscalkit.disclosure import ReadResult, read_any, read_excel
from fiscalkit.disclosure.excel import _number_text
from fiscalkit.disclosure.pdf import PdfTable
from fiscalkit.errors import CorruptFileError, FiscalkitError, ParseError

openpyxl = pytest.importorskip("openpyxl")

D = Decimal
XLS = Path(__file__).parent / "fixtures" / "excel" / "budget.xls"
TITLE_GPB = "2025年部门一般公共预算支出功能分类预算表"


# ---------------------------------------------------------------------- the workbook
def _summary_sheet(wb: object) -> None:
    """收支总表 in 元: a merged title, the unit line, income | expenditure two-up."""
    ws = wb.active  # type: ignore[attr-defined]
    ws.title = "表1"
    ws["A1"] = "2025年部门收支总表"
    ws.merge_cells("A1:D1")
    ws["A2"] = "编制部门：测试局"
    ws["D2"] = "单位：元"
    ws.append(["收入", None, "支出", None])
    ws.merge_cells("A3:B3")
    ws.merge_cells("C3:D3")
    ws.append(["项目", "预算数", "项目", "预算数"])
    ws.append(["一、一般公共预算拨款收入", 5001358.01, "一、一般公共服务支出", "5,000,123.45"])
    ws.append(["二、政府性基金预算拨款收入", None, "二、社会保障和就业支出", 1234.56])
    ws.append(["收入总计", 5001358.01, "支出总计", 5001358.01])
    for row in ws.iter_rows(min_row=5, min_col=2, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.00"


def _gpb_sheets(wb: object) -> None:
    """一般公共预算支出表 in 元, codes in three columns, continued on a second sheet."""
    ws = wb.create_sheet("表2")  # type: ignore[attr-defined]
    ws["A1"] = TITLE_GPB
    ws.merge_cells("A1:G1")
    ws["G2"] = "单位：元"
    ws["A3"], ws["D3"], ws["E3"] = "科目编码", "科目名称", "一般公共预算支出"
    ws.merge_cells("A3:C3")
    ws.merge_cells("D3:D4")
    ws.merge_cells("E3:G3")
    for col, head in zip("ABCEFG", ("类", "款", "项", "合计", "基本支出", "项目支出"),
                         strict=True):
        ws[f"{col}4"] = head
    ws.append(["201", None, None, "一般公共服务支出", 5000123.45, 3000000, 2000123.45])
    ws.append(["201", "06", None, "财政事务", 5000123.45, 3000000, 2000123.45])
    ws.append(["201", 6, 1, "行政运行", 3000000.0, 3000000, None])  # 款/项 as numbers
    ws["B7"].number_format = "00"
    ws["C7"].number_format = "00"
    ws.append(["201", "06", "02", "一般行政管理事务", "2,000,123.45", None, "2,000,123.45"])
    for row in ws.iter_rows(min_row=5, min_col=5, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"
    more = wb.create_sheet("一般公共预算支出表（续）")  # type: ignore[attr-defined]
    more.append(["208", None, None, "社会保障和就业支出", 1234.56, 1234.56, None])
    more.append(["208", "05", None, "行政事业单位养老支出", 1234.56, 1234.56, None])
    more.append([208, 5, 5, "机关事业单位基本养老保险缴费支出", 1234.56, "1,234.56", "待定"])
    more.append(["合计", None, None, None, 5001358.01, 3001234.56, 2000123.45])
    more.merge_cells("A4:D4")
    for row in more.iter_rows(min_col=5, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"


def _basic_sheet(wb: object) -> None:
    """一般公共预算基本支出表 in 万元, titled only by its sheet's name, codes in one column."""
    ws = wb.create_sheet("一般公共预算基本支出表")  # type: ignore[attr-defined]
    ws["E1"] = "单位：万元"
    ws.append(["科目编码", "科目名称", "合计", "人员经费", "公用经费"])
    ws.append(["301", "工资福利支出", 300, 300, None])
    ws.append([30101, "基本工资", 120.5, 120.5, None])
    ws.append([30102, "津贴补贴", 179.5, 179.5, None])
    ws.append(["302", "商品和服务支出", 199.99, None, 199.99])
    ws.append(["30201", "办公费", 99.99, None, 99.99])
    ws.append(["30211", "差旅费", 100, None, 100])
    ws.append(["合计", None, 499.99, 300, 199.99])
    for row in ws.iter_rows(min_row=3, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "0.00"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wb = openpyxl.Workbook()
    _summary_sheet(wb)
    _gpb_sheets(wb)
    _basic_sheet(wb)
    notes = wb.create_sheet("说明")
    notes["A1"] = "本表为测试用。"
    path = tmp_path_factory.mktemp("excel") / "budget.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def read(workbook: Path) -> ReadResult:
    return read_excel(workbook)


def _rows(table: PdfTable) -> dict[str, dict[str, Decimal]]:
    return {r.code or r.label: dict(r.values) for r in table.rows}


# ---------------------------------------------------------------------- tables and values
GPB = {  # 元, as typed into the sheets above
    "201": {"total": D("5000123.45"), "basic": D("3000000.00"), "project": D("2000123.45")},
    "20106": {"total": D("5000123.45"), "basic": D("3000000.00"), "project": D("2000123.45")},
    "2010601": {"total": D("3000000.00"), "basic": D("3000000.00")},
    "2010602": {"total": D("2000123.45"), "project": D("2000123.45")},
    "208": {"total": D("1234.56"), "basic": D("1234.56")},
    "20805": {"total": D("1234.56"), "basic": D("1234.56")},
    "2080505": {"total": D("1234.56"), "basic": D("1234.56")},  # 项目支出 '待定': not read
    "合计": {"total": D("5001358.01"), "basic": D("3001234.56"), "project": D("2000123.45")},
}
BASIC = {  # 万元
    "301": {"total": D("300.00"), "personnel": D("300.00")},
    "30101": {"total": D("120.50"), "personnel": D("120.50")},
    "30102": {"total": D("179.50"), "personnel": D("179.50")},
    "302": {"total": D("199.99"), "public": D("199.99")},
    "30201": {"total": D("99.99"), "public": D("99.99")},
    "30211": {"total": D("100.00"), "public": D("100.00")},
    "合计": {"total": D("499.99"), "personnel": D("300.00"), "public": D("199.99")},
}


def test_tables_found_by_title_or_sheet_name(read: ReadResult) -> None:
    assert [t.name for t in read.tables] == ["收支总表", "一般公共预算支出表",
                                             "一般公共预算基本支出表"]
    gpb = read.table("gpb")
    assert (gpb.title, gpb.phase, gpb.unit) == (TITLE_GPB, "budget", "元")
    assert gpb.pages == (2, 3)  # the table goes on onto the third sheet
    assert gpb.sheets == ("表2", "一般公共预算支出表（续）")
    basic = read.table("gpb_basic")
    assert (basic.title, basic.unit, basic.sheets) == ("一般公共预算基本支出表", "万元",
                                                       ("一般公共预算基本支出表",))
    assert read.disclosure.metadata["entity"] == "测试局"


def test_every_cell_is_read_exactly(read: ReadResult) -> None:
    assert _rows(read.table("gpb")) == GPB
    assert _rows(read.table("gpb_basic")) == BASIC
    labels = {r.code: r.label for r in read.table("gpb").rows}
    assert labels["2010601"] == "行政运行"  # 款 6 and 项 1 stored as numbers
    assert labels["2080505"] == "机关事业单位基本养老保险缴费支出"


def test_floats_become_exact_fen(read: ReadResult) -> None:
    gpb = read.disclosure.views["table:一般公共预算支出表"].frame
    fen = {(r.function, r.kind): int(r.amount) for r in gpb.itertuples()}
    assert fen == {("2010601", "basic"): 300_000_000, ("2010602", "project"): 200_012_345,
                   ("2080505", "basic"): 123_456}  # 1234.56 stored as a float
    basic = read.disclosure.views["table:一般公共预算基本支出表"].frame
    assert basic.set_index("economic")["amount"].astype(int).to_dict() == {
        "30101": 120_500_000, "30102": 179_500_000, "30201": 99_990_000,
        "30211": 100_000_000}
    fig = read.disclosure.figure("table.gpb_basic.30101")  # 120.5 shown as 0.00
    assert (fig.value, fig.unit, fig.precision) == (D("120.50"), "万元", D("0.01"))
    fig = read.disclosure.figure("table.gpb.2080505")
    assert (fig.value, fig.precision, type(fig.value)) == (D("1234.56"), D("0.01"), Decimal)
    assert fig.note == f"{TITLE_GPB}, sheet '一般公共预算支出表（续）'"


def test_a_blank_cell_is_not_zero(read: ReadResult) -> None:
    row = next(r for r in read.table("gpb").rows if r.code == "2010601")
    assert "project" not in row.values
    ids = {f.id for f in read.disclosure.figures}
    assert "table.gpb.2010601.basic" in ids
    assert "table.gpb.2010601.project" not in ids
    summary = next(r for r in read.table("收支总表").rows if r.label.startswith("二、政府性"))
    assert summary.values == {}


def test_a_cell_that_is_not_a_number_is_reported(read: ReadResult) -> None:
    bad = [p for p in read.problems if "待定" in p.message]
    assert len(bad) == 1
    assert (bad[0].page, bad[0].sheet, bad[0].table) == (3, "一般公共预算支出表（续）",
                                                         "一般公共预算支出表")
    assert "(G3)" in bad[0].message
    assert "2080505" in bad[0].message
    assert str(bad[0]).startswith("warning: sheet '一般公共预算支出表（续）', 一般公共预算支出表:")


def test_the_summary_table_two_up(read: ReadResult) -> None:
    summary = read.table("收支总表")
    assert summary.unit == "元"
    values = {(r.side, r.label): dict(r.values) for r in summary.rows}
    assert values[("in", "一、一般公共预算拨款收入")] == {"total": D("5001358.01")}
    assert values[("out", "一、一般公共服务支出")] == {"total": D("5000123.45")}  # text
    assert values[("out", "二、社会保障和就业支出")] == {"total": D("1234.56")}
    assert values[("in", "收入总计")] == {"total": D("5001358.01")}
    view = read.disclosure.views["table:收支总表"].frame
    assert view.set_index("function")["amount"].astype(int).to_dict() == {
        "201": 500_012_345, "208": 123_456}


def test_the_tables_reconcile_with_themselves(read: ReadResult) -> None:
    from fiscalkit.reconcile import reconcile

    errors = [x for x in reconcile(read.disclosure).findings if x.severity == "error"]
    assert errors == []  # every subtotal and total agrees with the leaf lines


def test_the_notes_sheet_and_no_narrative(read: ReadResult) -> None:
    assert read.text == ""
    assert read.disclosure.metadata["workbook"]["tables"] == [t.name for t in read.tables]
    assert not [p for p in read.problems if p.severity == "error"]


# ---------------------------------------------------------------------- number formats
@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (1234.56, "#,##0.00", "1234.56"),
    (1234.5, "#,##0.00", "1234.50"),
    (3000000.0, "General", "3000000"),
    (0.1 + 0.2, "0.00", "0.30"),  # the float noise of a sum is not a hidden digit
    (7000123.44, "#,##0.00_ ;[Red]-#,##0.00 ", "7000123.44"),
    (-12.5, "0.00;(0.00)", "-12.50"),
    (6, "00", "06"),
    (120.5, "0.0#", "120.5"),
    (1e-2, "General", "0.01"),
])
def test_numbers_are_exact_at_the_format(value: float, fmt: str, expected: str) -> None:
    assert _number_text(value, fmt) == (expected, None)


def test_hidden_digits_are_read_as_shown_and_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年部门支出预算总表"])
    ws.append(["单位：元"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出"])
    ws.append(["201", "一般公共服务支出", 1234.5678, 1234.5678])
    ws["C4"].number_format = "0.00"
    ws.append(["合计", None, "=C4", "=D4"])  # formulas whose value was never saved
    path = tmp_path / "digits.xlsx"
    wb.save(path)
    read = read_excel(path)
    table = read.table("支出总表")
    assert _rows(table)["201"] == {"total": D("1234.57"), "basic": D("1234.5678")}
    messages = [p.message for p in read.problems]
    assert "C4 holds 1234.5678 but shows 1234.57: read as shown" in messages
    assert any("C5" in m and "=C4" in m and "never saved" in m for m in messages)
    assert any("'=C4'" in m and "not an amount" in m for m in messages)  # not guessed
    assert table.total() is None


def test_hidden_rows_are_left_out_and_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年部门支出预算总表"])
    ws.append(["单位：元"])
    ws.append(["科目编码", "科目名称", "合计"])
    ws.append(["201", "一般公共服务支出", 100])
    ws.append(["205", "教育支出", 999])
    ws.append(["合计", None, 100])
    ws.row_dimensions[5].hidden = True
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    read = read_excel(path)
    assert _rows(read.table("支出总表")) == {"201": {"total": D("100")},
                                            "合计": {"total": D("100")}}
    assert any("hidden rows or columns" in p.message and "A5" in p.message
               for p in read.problems)


def test_text_in_an_amount_column_is_reported_even_if_alone(tmp_path: Path) -> None:
    """基本支出 holds only '待定': still an amount column, so the cell is reported."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年部门支出预算总表"])
    ws.append(["单位：元"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出"])
    ws.append(["2010101", "行政运行", 1234.56, "待定"])
    path = tmp_path / "alone.xlsx"
    wb.save(path)
    read = read_excel(path)
    assert _rows(read.table("支出总表")) == {"2010101": {"total": D("1234.56")}}
    assert [p.message for p in read.problems if "待定" in p.message] == [
        "cell '待定' (D4) in row '2010101' is not an amount: not read"]


def test_a_hidden_sheet_is_left_out_and_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "支出总表"
    ws.append(["单位：元"])
    ws.append(["科目编码", "科目名称", "合计"])
    ws.append(["201", "一般公共服务支出", 100])
    draft = wb.create_sheet("草稿")
    draft.append(["2025年部门一般公共预算支出功能分类预算表"])
    draft.sheet_state = "hidden"
    path = tmp_path / "hidden-sheet.xlsx"
    wb.save(path)
    read = read_excel(path)
    assert [t.name for t in read.tables] == ["支出总表"]
    assert "info: the sheet '草稿' is hidden: not read" in [str(p) for p in read.problems]


def test_without_openpyxl_the_error_names_the_extra(workbook: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"fiscalkit\[excel\]"):
        read_excel(workbook)


def test_a_table_without_unit_is_not_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "支出总表"
    ws.append(["科目编码", "科目名称", "合计"])
    ws.append(["201", "一般公共服务支出", 100])
    path = tmp_path / "nounit.xlsx"
    wb.save(path)
    read = read_excel(path)
    assert read.table("支出总表").unit == ""
    assert [str(p) for p in read.problems if p.severity == "error"] == [
        "error: sheet '支出总表', 支出总表: the table states no unit (单位：元/万元): its "
        "amounts are not read"]
    assert not [f for f in read.disclosure.figures if f.id.startswith("table.")]


# ---------------------------------------------------------------------- files and dispatch
def test_read_any_dispatches_workbooks(workbook: Path, tmp_path: Path) -> None:
    assert [t.name for t in read_any(workbook).tables][:2] == ["收支总表", "一般公共预算支出表"]
    narrative = tmp_path / "narrative.txt"
    narrative.write_text("2025年“一般公共服务支出（类）财政事务（款）行政运行（项）”科目300.00万元。\n",
                         encoding="utf-8")
    result = read_any(narrative, tables_path=workbook)  # the text, its tables in a workbook
    stated = next(f for f in result.disclosure.figures if f.value == D("300.00"))
    assert ("table.gpb.2010601@万元",) in [c.args for c in stated.relations]
    assert any(p.sheet == "一般公共预算支出表（续）" for p in result.problems)
    with pytest.raises(ParseError):
        read_any(workbook, tables_path=workbook)


def test_a_damaged_workbook_is_a_typed_error(workbook: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.xlsx"
    data = workbook.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    junk = tmp_path / "junk.xls"
    junk.write_bytes(b"\x00\x01not a workbook" * 50)
    for path in (cut, junk):
        with pytest.raises(CorruptFileError) as caught:
            read_excel(path)
        assert isinstance(caught.value, ParseError)
        assert caught.value.where == str(path)
        assert "not a readable workbook" in str(caught.value)
    with pytest.raises(FiscalkitError):
        read_excel(tmp_path / "budget.ods")
    with pytest.raises(FileNotFoundError):
        read_excel(tmp_path / "missing.xlsx")


# ---------------------------------------------------------------------- .xls
def test_an_xls_workbook_reads_the_same(tmp_path: Path) -> None:
    pytest.importorskip("xlrd")
    read = read_excel(XLS)
    assert [t.name for t in read.tables] == ["一般公共预算支出表", "一般公共预算基本支出表"]
    gpb = read.table("gpb")
    assert (gpb.title, gpb.unit, gpb.sheets) == (TITLE_GPB, "元", ("表2",))
    assert _rows(gpb) == {  # as written by make_xls.py; all numbers are floats in .xls
        "201": {"total": D("5000123.45"), "basic": D("3000000.00"),
                "project": D("2000123.45")},
        "20106": {"total": D("5000123.45"), "basic": D("3000000.00"),
                  "project": D("2000123.45")},
        "2010601": {"total": D("3000000.00"), "basic": D("3000000.00")},
        "2010602": {"total": D("2000123.45"), "project": D("2000123.45")},
        "合计": {"total": D("5000123.45"), "basic": D("3000000.00"),
                 "project": D("2000123.45")},
    }
    assert _rows(read.table("gpb_basic")) == {
        "301": {"total": D("300.00"), "personnel": D("300.00")},
        "30101": {"total": D("120.50"), "personnel": D("120.50")},
        "30102": {"total": D("179.50"), "personnel": D("179.50")},
        "合计": {"total": D("300.00"), "personnel": D("300.00")},
    }
    view = read.disclosure.views["table:一般公共预算支出表"].frame
    assert {(r.function, r.kind): int(r.amount) for r in view.itertuples()} == {
        ("2010601", "basic"): 300_000_000, ("2010602", "project"): 200_012_345}
    copy = tmp_path / "copy.XLS"  # the suffix in capitals dispatches too
    shutil.copy(XLS, copy)
    assert [t.name for t in read_any(copy).tables] == [t.name for t in read.tables]
