"""The shared table reader (grid.py) and the PDF page model, on small grids built by hand.

Each test stands for one class of fault found in real files (Jiangsu 2017, the Shanghai 2024
final-accounts template): the grids below copy the shape of the printed table (cell borders,
merged cells, where the text sits), not its numbers, and the expected rows are what the
printed table says.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from fiscalkit.disclosure.grid import (
    _TOC_LINE,
    _assemble,
    _build,
    _Cell,
    _combine,
    _Grid,
    _grid_caption,
    _header_split,
    _Image,
    _Line,
    _Page,
    _read_rows,
    _sangong_key,
    _split_at_titles,
    classify_title,
)
from fiscalkit.disclosure.grid import Problem as GridProblem
from fiscalkit.disclosure.pdf import _edge_rows, _narrative_lines
from fiscalkit.disclosure.text import parse_text

D = Decimal


def _row(top: float, *cells: tuple[float, float, str]) -> list[_Cell]:
    return [_Cell(x0, x1, top, top + 10, text, (text,) if text else ()) for x0, x1, text in cells]


def _grid(rows: list[list[_Cell]], page: int = 1) -> _Grid:
    xs = sorted({round(c.x0, 1) for row in rows for c in row})
    x1 = max(c.x1 for row in rows for c in row)
    return _Grid(page, xs[0], x1, rows[0][0].top, rows[-1][0].bottom, rows, [*xs, x1])


def _line(page: int, text: str, top: float, x0: float = 60.0) -> _Line:
    return _Line(page, text, x0, x0 + 12 * len(text), top, top + 10, 10.0)


def _page(number: int, lines: list[_Line], grids: list[_Grid]) -> _Page:
    return _Page(number, 600, 800, 500, lines, grids, [])


# ---------------------------------------------------------------------- titles
@pytest.mark.parametrize(("title", "expected"), [
    # 省政协 2017: a qualifier after 表
    ("“三公”经费、会议费、培训费支出预算表（一般公共预算）", ("“三公”经费支出表", "budget")),
    ("十一、“三公”经费、会议费、培训费支出预算表(一般公共预算)", ("“三公”经费支出表", "budget")),
    ("部门收支总表（续）", ("收支总表", "budget")),
    ("2025年部门收入预算总表（单位：万元）", ("收入总表", "budget")),
    # a qualifier does not make another table's title one of the eight
    ("国有资本经营预算支出表（一般公共预算）", None),
])
def test_titles_with_a_qualifier_after_the_last_word(title: str, expected: object) -> None:
    assert classify_title(title) == expected


def test_a_title_wrapped_inside_its_cell_is_found() -> None:
    """省人大 p. 20: the title's cell prints '…支出预算' / '表' on two lines."""
    cell = _Cell(0, 500, 0, 30, "“三公”经费、会议费、培训费支出预算表",
                 ("“三公”经费、会议费、培训费支出预算", "表"))
    grid = _Grid(1, 0, 500, 0, 60, [[cell], _row(30, (0, 250, "合计"), (250, 500, "培训费")),
                                    _row(45, (0, 250, "1.00"), (250, 500, "1.00"))], [0, 250, 500])
    title, _, _, rows = _grid_caption(grid)
    assert (title, rows) == ("“三公”经费、会议费、培训费支出预算表", 1)


# ---------------------------------------------------------------------- contents lines
@pytest.mark.parametrize(("line", "is_contents"), [
    ("一、部门主要职能 ……………………………………………………", True),  # 普陀 p. 2: no page number
    ("1. 2025年部门财务收支预算总表 ……………… 12", True),
    ("二、收入预算表............................3", True),
    ("二、收入预算表......3", True),  # short leaders, but to a page number
    # the template's narrative (pp. 15-19): an ellipsis inside a sentence
    ("XX%；事业收入XXX万元，占XX%；经营收入XXX万元，占XX%……", False),
    ("人员经费XXX万元，主要包括：基本工资、津贴补贴、奖金……其他对个人和家庭的补助", False),
    ("XXXX（制度名称）……，建立了XXXX的预算绩效管理工作机制", False),
    ("支出合计为2,000万元……（不涉及的不列）", False),
])
def test_contents_lines_against_an_ellipsis_in_a_sentence(line: str, is_contents: bool) -> None:
    assert bool(_TOC_LINE.search(line)) is is_contents


def test_narrative_keeps_an_ellipsis_and_drops_a_table_label() -> None:
    """The template's '……' lines are narrative; 省政协's '表一' over a title is not."""
    lines = [_line(1, "表一", 100),
             _line(1, "主要包括：基本工资、津贴补贴、奖金……其他对个人和家庭的补助。", 130),
             _line(1, "一、部门主要职能 ……………………………………………………", 160)]
    kept = _narrative_lines([_page(1, lines, [])], [])
    assert [ln.text for ln in kept] == [
        "主要包括：基本工资、津贴补贴、奖金……其他对个人和家庭的补助。"]


# ---------------------------------------------------------------------- header and data
def _summary_rows() -> list[list[_Cell]]:
    """An empty 收支总表 as the Shanghai template prints it (p. 5): no amount anywhere."""
    cols = ((0, 150), (150, 200), (200, 350), (350, 400))
    texts = [("收入", "", "支出", ""), ("项目", "决算数", "项目", "决算数"),
             ("一、一般公共预算财政拨款收入", "", "一、一般公共服务支出", ""),
             ("二、政府性基金预算财政拨款收入", "", "二、外交支出", ""),
             ("", "", "十九、住房保障支出", ""),
             ("本年收入合计", "", "本年支出合计", ""),
             ("总计", "", "总计", "")]
    rows = [_row(10.0 * i, *((a, b, t) for (a, b), t in zip(cols, r, strict=True)))
            for i, r in enumerate(texts)]
    rows[0] = _row(0, (0, 200, "收入"), (200, 400, "支出"))  # merged across 项目 and 决算数
    return rows


def test_an_empty_summary_table_is_rows_not_header() -> None:
    rows = _summary_rows()
    assert _header_split(rows) == 2


def test_an_empty_summary_table_reads_its_rows_and_sides() -> None:
    title = _line(1, "收入支出决算总表", 0)
    unit = _line(1, "单位：万元", 15, x0=300)
    grid = _grid([[replace_top(c, 30) for c in row] for row in _summary_rows()])
    problems: list[GridProblem] = []
    (pending,) = _assemble([_page(1, [title, unit], [grid])], problems)
    built = _build(pending, 2024, "t", problems)
    assert built is not None
    table = built.table
    assert [(r.side, r.code, r.label, dict(r.values)) for r in table.rows] == [
        ("in", None, "一、一般公共预算财政拨款收入", {}),
        ("out", "201", "一、一般公共服务支出", {}),
        ("in", None, "二、政府性基金预算财政拨款收入", {}), ("out", "202", "二、外交支出", {}),
        ("out", "221", "十九、住房保障支出", {}),
        ("in", None, "本年收入合计", {}), ("out", None, "本年支出合计", {}),
        ("in", None, "总计", {}), ("out", None, "总计", {})]
    assert built.figures == []  # blank cells state nothing


def replace_top(cell: _Cell, by: float) -> _Cell:
    return _Cell(cell.x0, cell.x1, cell.top + by, cell.bottom + by, cell.text, cell.lines)


# ---------------------------------------------------------------------- columns
def test_slivers_between_misaligned_borders_are_not_columns() -> None:
    """省法院 收支总表: Word draws 5-point slivers beside every column; the merged header cells
    over them gave the slivers a header, so an amount column came out as two."""
    rows = [
        _row(0, (62, 211, "收入"), (211, 387, "支出")),
        _row(10, (62, 155, "项目名称"), (155, 160, ""), (160, 165, ""), (165, 206, "金额"),
             (206, 211, ""), (211, 326, "功能科目名称"), (326, 331, ""), (331, 337, ""),
             (337, 382, "金额"), (382, 387, "")),
        _row(20, (62, 155, "一、财政拨款"), (155, 160, ""), (160, 165, ""), (165, 206, "28,849.38"),
             (206, 211, ""), (211, 326, "四、公共安全支出"), (326, 331, ""), (331, 337, ""),
             (337, 382, "23,513.11"), (382, 387, "")),
    ]
    problems: list[GridProblem] = []
    (pending,) = _assemble([_page(1, [_line(1, "部门收支预算总表", -40),
                                      _line(1, "单位：万元", -20, x0=400)], [_grid(rows)])],
                           problems)
    read = _read_rows(pending, problems)
    assert read is not None
    layout, _ = read
    assert [(c.path, c.role) for c in layout] == [
        (("收入", "项目名称"), "label"), (("收入", "金额"), "amount"),
        (("支出", "功能科目名称"), "label"), (("支出", "金额"), "amount")]
    built = _build(pending, 2017, "t", problems)
    assert built is not None
    assert [(r.side, r.label, dict(r.values)) for r in built.table.rows] == [
        ("in", "一、财政拨款", {"total": D("28849.38")}),
        ("out", "四、公共安全支出", {"total": D("23513.11")})]


@pytest.mark.parametrize(("path", "key"), [
    (["“三公”经费", "因公出国", "(境)费"], "abroad"),
    (["“三公”经费", "公务用车购置及运行维护费", "公务用车运", "行维护费"], "vehicle_operation"),
    (["“三公”经费", "公务接", "待费"], "hospitality"),
    (["“三公”经费", "公务用车购置及运行维护费", "公务用车", "购置费"], "vehicle_purchase"),
    (["“三公”经费", "小计"], "total"),
    (["会议费"], None),
])
def test_a_sangong_header_wrapped_over_two_rows(path: list[str], key: str | None) -> None:
    """省法院 p. 17: '因公出国' / '（境）费' and '公务接' / '待费' in two ruled rows."""
    assert _sangong_key(path) == key


# ---------------------------------------------------------------------- pages and continuations
def test_two_tables_in_one_frame_are_cut_at_the_second_title() -> None:
    """省人大 p. 9: 收支预算总表 ends and 收入预算总表 begins inside one ruled frame."""
    rows = [_row(0, (58, 207, "收入合计"), (207, 421, "13,649.07")),
            [_Cell(58, 538, 10, 20, "收入预算总表")],
            _row(20, (58, 192, "部门："), (192, 353, "某办公厅"), (353, 538, "单位：万元")),
            _row(30, (58, 353, "项目名称"), (353, 538, "金额")),
            _row(40, (58, 353, "收入总计"), (353, 538, "13,649.07"))]
    first, second = _split_at_titles(_grid(rows))
    assert [c.text for c in first.rows[0]] == ["收入合计", "13,649.07"]
    assert len(first.rows) == 1
    assert (second.top, [c.text for c in second.rows[0]]) == (10, ["收入预算总表"])
    assert _grid_caption(second)[:2] == ("收入预算总表", ["万元"])


def test_a_continuation_of_empty_rows_is_data_not_a_new_header() -> None:
    """省法院 收入预算总表: p. 13 goes on with items that print no amount (事业收入 …)."""
    head = _grid([_row(0, (57, 235, "项目名称"), (235, 457, ""), (457, 538, "金额")),
                  _row(10, (57, 457, "收入总计"), (457, 538, "28,849.38")),
                  _row(20, (57, 235, "其他资金"), (235, 457, "小计"), (457, 538, ""))], page=1)
    rest = _grid([_row(0, (57, 235, ""), (235, 457, "事业收入"), (457, 538, "")),
                  _row(10, (57, 235, ""), (235, 457, "经营收入"), (457, 538, ""))], page=2)
    problems: list[GridProblem] = []
    pages = [_page(1, [_line(1, "部门收入预算总表", -40), _line(1, "单位：万元", -20, x0=400)],
                   [head]), _page(2, [], [rest])]
    (pending,) = _assemble(pages, problems)
    built = _build(pending, 2017, "t", problems)
    assert built is not None
    assert [(r.page, r.label, dict(r.values)) for r in built.table.rows] == [
        (1, "收入总计", {"total": D("28849.38")}), (1, "其他资金/小计", {}),
        (2, "事业收入", {}), (2, "经营收入", {})]
    assert [p for p in problems if p.severity != "info"] == []


def test_a_row_printed_above_the_frame_is_part_of_the_grid() -> None:
    """省法院 p. 16: the continuation's first row (30206 电费 235.00) has no top border."""
    grid = _grid([_row(88, (62, 211, "30207"), (211, 389, "邮电费"), (389, 537, "105.00"))])
    words = [{"text": t, "x0": x0, "x1": x0 + 25, "top": 74.4, "bottom": 84.3}
             for t, x0 in (("30206", 67.0), ("电费", 216.7), ("235.00", 501.9))]
    words += [{"text": "单位：万元", "x0": 450.0, "x1": 500.0, "top": 40.0, "bottom": 50.0}]
    assert _edge_rows(grid, words) == {0, 1, 2}  # the words taken: not for another grid
    assert [[c.text for c in row] for row in grid.rows] == [["30206", "电费", "235.00"],
                                                            ["30207", "邮电费", "105.00"]]
    assert grid.top < 74.4


def test_a_line_that_is_not_a_row_stays_out_of_the_grid() -> None:
    grid = _grid([_row(88, (62, 211, "30207"), (211, 389, "邮电费"), (389, 537, "105.00"))])
    words = [{"text": "单位：万元", "x0": 450.0, "x1": 500.0, "top": 74.0, "bottom": 84.0}]
    assert _edge_rows(grid, words) == set()
    assert len(grid.rows) == 1


def test_a_grid_with_no_title_and_nothing_to_continue_is_reported() -> None:
    """What cannot be placed in a table is said, not dropped: after a standard table, as a
    warning."""
    gpb = _grid([_row(0, (0, 100, "科目编码"), (100, 300, "科目名称"), (300, 400, "金额")),
                 _row(10, (0, 100, "2010101"), (100, 300, "行政运行"), (300, 400, "5.00"))])
    loose = _grid([_row(0, (0, 100, "2010102"), (100, 300, "一般行政管理事务"),
                        (300, 400, "1.00"))], page=2)
    problems: list[GridProblem] = []
    pages = [_page(1, [_line(1, "一般公共预算支出表", -40), _line(1, "单位：万元", -20, x0=400)],
                   [gpb]), _page(2, [_line(2, "十、机关运行经费安排情况", -30)], [loose])]
    pendings = _assemble(pages, problems)
    assert len(pendings) == 1
    assert [(p.page, p.severity) for p in problems] == [(2, "warning")]
    assert "no title above it (after 一般公共预算支出表, p. 1)" in problems[0].message


def test_a_cover_title_over_a_picture_is_text_not_a_scan() -> None:
    """省检察院 p. 1: 17 characters of title over a JPEG covering half the page."""
    picture = [_Image(1, 72, 680, 0.54)]
    title = [_line(1, "江苏省人民检察院", 215), _line(1, "2017年部门预算", 461)]
    cover = _Page(1, 600, 800, 17, title, [], picture)
    scan = _Page(2, 600, 800, 3, [_line(2, "- 2 -", 780)], [], picture)
    assert (cover.is_image, scan.is_image) == (False, True)


# ---------------------------------------------------------------------- figures' pages
def test_a_sentence_printed_twice_gives_each_figure_its_own_page() -> None:
    """The 财政拨款 and 一般公共预算 sections repeat each other word for word (Jiangsu 2017)."""
    sentence = "2021年一般公共预算基本支出中，人员经费300万元，主要包括基本工资。"
    text = (f"某局2021年部门预算\n六、一般公共预算基本支出情况说明\n{sentence}\n"
            f"九、财政拨款基本支出情况说明\n{sentence}\n")
    parsed = parse_text(text)
    assert [f.printed for f in parsed.figures] == ["300", "300"]
    result = _combine(parsed, text, [(0, 1), (text.index("九"), 2)], [], {}, [], "t")
    assert sorted(result.figure_pages.values()) == [1, 2]


def test_a_wrapped_cell_end_above_a_continuation_does_not_end_the_table() -> None:
    """省法院 p. 18: '置更新' (the end of a cell wrapped over the page break) is printed above
    the continuation's frame; the table goes on, and the lost words are reported."""
    head = _grid([_row(0, (0, 100, "科目编码"), (100, 300, "科目名称"), (300, 400, "金额")),
                  _row(10, (0, 100, "2010101"), (100, 300, "行政运行"), (300, 400, "5.00"))])
    rest = _grid([_row(20, (0, 100, "2010102"), (100, 300, "一般行政管理事务"),
                       (300, 400, "1.00"))], page=2)
    problems: list[GridProblem] = []
    pages = [_page(1, [_line(1, "一般公共预算支出表", -40), _line(1, "单位：万元", -20, x0=400)],
                   [head]), _page(2, [_line(2, "置更新", 5)], [rest])]
    (pending,) = _assemble(pages, problems)
    assert [g.page for g in pending.grids] == [1, 2]
    assert [(p.page, p.severity) for p in problems] == [(2, "warning")]
    assert "'置更新'" in problems[0].message
