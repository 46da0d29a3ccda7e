"""The standard tables from a grid of cells: shared by the PDF and the workbook readers.

A reader turns its source into pages of lines (text outside tables: titles, unit lines,
notes) and grids of cells (a PDF's ruled tables, a worksheet's used range), in the model below
(:class:`_Page`, :class:`_Line`, :class:`_Grid`, :class:`_Cell`). Everything after that is
the same whatever the source, and lives here.

The tables
    A table is recognised by its title (:func:`classify_title`) in the variants real files
    print ("部门收支总表", "2025年部门收支总体情况表", "一般公共预算支出功能分类预算表",
    "财政拨款收入支出决算总表" …); it is read across page breaks (a continuation page may
    repeat the header or not), its rows keyed by classification code (one 3/5/7-digit cell, or
    separate 类/款/项 cells) and name, its amounts in the unit it states ("单位：元",
    "单位：万元"). Each coded table becomes a ledger view ``table:<standard name>`` whose lines
    are its leaf rows split by the columns that partition them (基本支出/项目支出, 人员经费/
    公用经费, or fund sources), and every printed cell becomes a stated figure whose selector
    measures that view — so the reconciliation checks each subtotal, each total and each row
    total against the lines. A blank cell states nothing (no figure; no money in a line).

Text against tables
    A narrative amount that states a table's quantity — matched by the classification code
    the narrative parser gave it, by its "类/款/项" names, or by label and value — gets a
    relation ``same(<table figure>)``. Relations compare printed values, so where the text is
    in 万元 and the table in 元 the link goes to a *companion* figure ``<id>@万元``: the table
    figure restated exactly in the text's unit (status ``derived``), which the reconciliation
    then checks with the text's rounding.

Never a guessed number
    A table whose unit is not stated, a page that is an image, a cell that is not a number,
    a continuation whose columns cannot be aligned: each is reported in
    :attr:`ReadResult.problems` and its numbers are left out.

>>> classify_title("2025年部门一般公共预算支出功能分类预算表")
('一般公共预算支出表', 'budget')
>>> parse_cell("1,234.50")
Decimal('1234.50')
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import warnings
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import pandas as pd

from fiscalkit import classification
from fiscalkit.disclosure.model import Call, Disclosure, Selector, StatedFigure
from fiscalkit.disclosure.tables import TABLES
from fiscalkit.errors import FiscalkitError, ParseError
from fiscalkit.ledger import Ledger
from fiscalkit.units import fen_per

if TYPE_CHECKING:
    from fiscalkit.disclosure.text import ParseResult, Unparsed

__all__ = [
    "STANDARD_TABLES",
    "PdfTable",
    "Problem",
    "ReadResult",
    "TableRow",
    "classify_title",
    "parse_cell",
]

Phase = Literal["budget", "final"]
Severity = Literal["error", "warning", "info"]

#: Standard table name → (ASCII key used in figure ids, name in English).
STANDARD_TABLES: Final[Mapping[str, tuple[str, str]]] = {
    spec.name_zh: (key, spec.name_en) for spec, key in zip(TABLES, (
        "summary", "income", "expenditure", "appropriation", "gpb", "gpb_basic", "sangong",
        "govfund"), strict=True)}
_SUMMARY, _INCOME, _EXPENDITURE, _APPROPRIATION, _GPB, _GPB_BASIC, _SANGONG, _GOVFUND = (
    spec.name_zh for spec in TABLES)


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class Problem:
    """Something the reader could not read, or read with a caveat; its numbers are left out.

    ``page`` is the page of a PDF, or the number of a workbook's sheet (first sheet 1), whose
    name is then ``sheet``.

    >>> str(Problem("cell '待定' in row '201' is not an amount: not read", 3, "一般公共预算支出表"))
    "warning: p. 3, 一般公共预算支出表: cell '待定' in row '201' is not an amount: not read"
    >>> str(Problem("the table states no unit", 2, "收支总表", "error", sheet="表1"))
    "error: sheet '表1', 收支总表: the table states no unit"
    """

    message: str
    page: int | None = None
    table: str | None = None
    severity: Severity = "warning"
    sheet: str | None = None

    def __str__(self) -> str:
        place = f"sheet {self.sheet!r}" if self.sheet else f"p. {self.page}" if self.page else ""
        where = ", ".join(x for x in (place, self.table or "") if x)
        return f"{self.severity}: {where + ': ' if where else ''}{self.message}"


@dataclass(frozen=True)
class TableRow:
    """One row of a table as printed: its code (if any), label, and amounts by column key.

    A blank cell has no key in ``values``: it states nothing, which is not zero.

    >>> row = TableRow(2, "2010601", "行政运行", {"total": Decimal("300.00"),
    ...                                        "basic": Decimal("300.00")}, "201 06 01 行政运行 …")
    >>> row.values.get("project") is None
    True
    """

    page: int
    code: str | None
    label: str
    values: Mapping[str, Decimal]
    printed: str
    side: str = ""


@dataclass(frozen=True)
class PdfTable:
    """One standard table read from a PDF (or a workbook), in the unit it states.

    >>> t = PdfTable("一般公共预算支出表", "2025年一般公共预算支出表", "budget", "元", (3,),
    ...              {"total": "合计"}, (TableRow(3, None, "合计", {"total": Decimal("7.5")}, ""),))
    >>> t.key, t.view, t.total()
    ('gpb', 'table:一般公共预算支出表', Decimal('7.5'))
    """

    name: str
    title: str
    phase: Phase
    unit: str
    pages: tuple[int, ...]
    columns: Mapping[str, str]
    rows: tuple[TableRow, ...]
    dimension: Literal["function", "economic"] | None = None
    sheets: tuple[str, ...] = ()  # for a workbook: the names of the sheets ``pages`` numbers

    def place(self, page: int) -> str:
        """Where page ``page`` of the table is, as a reader would look for it.

        >>> t = PdfTable("收支总表", "部门收支总表", "budget", "元", (1,), {}, ())
        >>> t.place(1), replace(t, sheets=("表一",)).place(1)
        ('p. 1', "sheet '表一'")
        """
        if self.sheets and page in self.pages:
            return f"sheet {self.sheets[self.pages.index(page)]!r}"
        return f"p. {page}"

    @property
    def key(self) -> str:
        """The ASCII key of the table in figure ids (``gpb`` for 一般公共预算支出表)."""
        return STANDARD_TABLES[self.name][0]

    @property
    def view(self) -> str:
        """The name of the ledger view built from this table."""
        return f"table:{self.name}"

    def total(self, column: str = "total") -> Decimal | None:
        """The table's total row value in ``column`` (``None`` if not printed)."""
        for row in self.rows:
            if row.code is None and _TOTAL_LABEL.match(_squash(row.label)):
                return row.values.get(column)
        return None

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame: page, code, label, then one column per amount column."""
        return pd.DataFrame([{"page": r.page, "code": r.code, "label": r.label, **r.values}
                             for r in self.rows],
                            columns=["page", "code", "label", *self.columns])


@dataclass(frozen=True)
class ReadResult:
    """What :func:`read_pdf` read: the disclosure, and what it could not read.

    Like the narrative parser's result it has ``disclosure`` and ``unparsed``; it adds the
    tables as read, the problems, the narrative text and the page of every narrative figure.
    :func:`fiscalkit.disclosure.read_excel` gives the same, without a narrative.

    >>> result = ReadResult(Disclosure(views={}, figures=()), problems=(Problem("no unit"),))
    >>> result.tables, [str(p) for p in result.problems]
    ((), ['warning: no unit'])
    """

    disclosure: Disclosure
    unparsed: tuple[Unparsed, ...] = ()
    tables: tuple[PdfTable, ...] = ()
    problems: tuple[Problem, ...] = ()
    text: str = ""
    figure_pages: Mapping[str, int] = field(default_factory=dict)
    source: str = ""

    def table(self, name: str) -> PdfTable:
        """A table by its standard name (or ASCII key)."""
        for t in self.tables:
            if name in (t.name, t.key):
                return t
        raise KeyError(name)


# ---------------------------------------------------------------------- small text helpers
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _squash(text: str) -> str:
    """NFKC without any whitespace: how labels and titles are compared."""
    return re.sub(r"\s+", "", _nfkc(text))


_AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PAREN_NEGATIVE = re.compile(r"^\((\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)$")
_BLANK_CELL: Final = frozenset({"", "-", "--", "—", "——", "/", "－", "…", "...", "......", "……"})
_PLACEHOLDER = re.compile(r"[.…·/\-—－]+")  # a template's "… / …" row: it states nothing
_UNIT = re.compile(r"单位\s*[:：]\s*(?:人民币)?\s*(亿元|万元|千元|元)(?![\u4e00-\u9fff])")
_TOTAL_LABEL = re.compile(
    r"^(?:合计|总计|小计|(?:本年|当年)?(?:收入|支出)?(?:合计|总计|小计)|"
    r"(?:人员经费|公用经费)合计)$")
_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
                   r"\d+\s*[、.．](?!\d)|[①-⑳])\s*")
_TOP_ENUM = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")
_SUB_ENUM = re.compile(r"^\s*(?:\d+\s*[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[）)])")
_YEAR = re.compile(r"(20\d{2})\s*年")


def parse_cell(text: str | None) -> Decimal | None:
    """A table cell as an exact amount: ``None`` for a blank (or dash) cell.

    Thousands separators must group by three; a cell that is not a number raises
    :class:`~fiscalkit.errors.ParseError` — the reader reports it rather than guess.

    >>> parse_cell("31,214,205.80"), parse_cell(""), parse_cell("-")
    (Decimal('31214205.80'), None, None)
    """
    if text is None:
        return None
    s = _squash(text).replace("−", "-")
    if s in _BLANK_CELL:
        return None
    m = _PAREN_NEGATIVE.match(s)
    if m:
        s = "-" + s[1:-1]
    if not _AMOUNT.match(s):
        raise ParseError(f"not an amount: {text!r}")
    return Decimal(s.replace(",", ""))


def _is_amount(text: str | None) -> bool:
    if text is None:
        return False
    s = _squash(text).replace("−", "-")
    return bool(_AMOUNT.match(s) or _PAREN_NEGATIVE.match(s))


def _slug(label: str) -> str:
    """A label usable inside a figure id (no spaces, parentheses, commas or semicolons)."""
    s = _ENUM.sub("", _squash(label))
    return re.sub(r"[()（）,，;；:：=|\"“”'‘’]", "", s) or "row"


# ---------------------------------------------------------------------- titles
_TITLE_PREFIX = re.compile(r"^(?:附?表\s*[一二三四五六七八九十\d]+[、.．:：\s-]*|\d+\s*[.．、]\s*|"
                           r"[一二三四五六七八九十]+\s*[、.．]\s*)")
_TITLE_SUFFIX = re.compile(r"(?:[（(]续表?[）)]|续表|[（(]续[）)])$")
# a qualifier after the title's last word ("…支出预算表（一般公共预算）") reads as part of it
_TITLE_QUALIFIER = re.compile(r"^(.+)表[（(]([^（）()]{1,20})[）)]$")
_LEADERS = re.compile(r"(?:…|\.{3,}|·{3,}|-{4,}).*$")


def _title_text(line: str) -> str:
    """A line reduced to what a title would be: enumerators, leaders, 续 and spaces dropped."""
    s = _squash(line)
    s = _LEADERS.sub("", s)
    s = re.sub(r"\d+$", "", s) if _LEADERS.search(_squash(line)) else s
    s = _TITLE_PREFIX.sub("", s)
    s = _TITLE_SUFFIX.sub("", s)
    m = _TITLE_QUALIFIER.match(s)
    if m is None:
        return s
    unit = re.search(r"单位|[:：]", m.group(2))  # "（单位：万元）" says nothing of the table
    return f"{m.group(1)}表" if unit else f"{m.group(1)}{m.group(2)}表"


def _looks_like_title(line: str) -> bool:
    s = _title_text(line)
    return (2 < len(s) <= 60 and s.endswith("表") and not re.search(r"[，。；！？,;]", s)
            and not s.startswith(("注", "说明", "备注")))


def classify_title(title: str) -> tuple[str, Phase] | None:
    """The standard table a printed title names, and whether it is a budget or final account.

    Titles vary by region and year ("部门收支总表", "财务收支预算总表", "收入支出决算总表",
    "2025年部门收支总体情况表"); the rules look for the words that tell the eight tables
    apart and ignore the year, entity and "部门/单位" decoration. Titles of tables outside
    the eight (国有资本经营预算, 机关运行经费, Jiangsu's 财政拨款支出预算表 …) give ``None``.

    >>> classify_title("一般公共预算基本支出部门预算经济分类预算表")
    ('一般公共预算基本支出表', 'budget')
    >>> classify_title("财政拨款收入支出决算总表")
    ('财政拨款收支总表', 'final')
    >>> classify_title("2025年单位“三公”经费和机关运行经费预算表")
    ('“三公”经费支出表', 'budget')
    >>> classify_title("国有资本经营预算支出功能分类预算表") is None
    True
    >>> classify_title("“三公”经费、会议费、培训费支出预算表（一般公共预算）")
    ('“三公”经费支出表', 'budget')
    """
    t = _title_text(title)
    if not t.endswith("表"):
        return None
    phase: Phase = "final" if "决算" in t else "budget"
    both = "收支" in t or "收入支出" in t
    name: str | None = None
    if "三公" in t:
        name = _SANGONG
    elif "机关运行" in t or "国有资本经营" in t or "项目支出" in t:
        name = None
    elif "政府性基金" in t and "支出" in t:
        name = _GOVFUND
    elif "一般公共预算" in t and "基本支出" in t:
        name = _GPB_BASIC
    elif "一般公共预算" in t and "支出" in t:
        name = _GPB
    elif "财政拨款" in t and both and "总" in t:
        name = _APPROPRIATION
    elif "财政拨款" in t:
        name = None
    elif both and "总" in t:
        name = _SUMMARY
    elif "收入" in t and "支出" not in t and re.search(r"总|决算表$|情况表$", t):
        name = _INCOME
    elif "支出" in t and "收入" not in t and "基本支出" not in t and re.search(
            r"总|决算表$|情况表$", t):
        name = _EXPENDITURE
    return (name, phase) if name else None


# ---------------------------------------------------------------------- page content
@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    in_grid: bool = False
    furniture: bool = False
    owned: bool = False  # a table's title, caption or note: not narrative


@dataclass(frozen=True)
class _Cell:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    lines: tuple[str, ...] = ()  # the cell's text line by line, as printed
    ref: str = ""  # where the cell is in its source, when it has an address ("F7")

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Grid:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    rows: list[list[_Cell]]
    xs: list[float]  # column boundaries
    ruled: bool = True
    aligned: bool = False  # columns are a sheet's own: a continuation lines up by its letters


@dataclass(frozen=True)
class _Image:
    page: int
    top: float
    bottom: float
    share: float  # of the page area


@dataclass
class _Page:
    number: int
    width: float
    height: float
    chars: int
    lines: list[_Line]
    grids: list[_Grid]
    images: list[_Image]
    name: str = ""  # a worksheet's name

    @property
    def is_image(self) -> bool:
        """No text layer but a picture covering much of the page: a scan. Words printed over a
        picture (a cover's title on a background image) are a text layer; a page number
        stamped on a scan is not.

        >>> cover = _Page(1, 600, 800, 17, [_Line(1, "2017年部门预算", 0, 100, 400, 420, 20)],
        ...               [], [_Image(1, 70, 680, 0.54)])
        >>> cover.is_image, replace(cover, lines=[_Line(1, "- 3 -", 0, 9, 780, 790, 9)]).is_image
        (False, True)
        """
        if self.chars >= 20 or sum(i.share for i in self.images) < 0.3:
            return False
        return not any(sum(ch.isalpha() for ch in ln.text) >= 2 for ln in self.lines)


def _join_wrapped(a: str, b: str) -> str:
    """Join two pieces of text broken at a line end, the way the printed text reads.

    >>> _join_wrapped("比2024年预算增加", "107.62万元")
    '比2024年预算增加107.62万元'
    >>> _join_wrapped("infor-", "mation"), _join_wrapped("budget", "line")
    ('information', 'budget line')
    """
    if not a or not b:
        return a + b
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and a[-2].isascii() and b[0].islower():
        return a[:-1] + b
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        if (a[-1].isdigit() or a[-1] in ".,") and b[0].isdigit():
            return a + b
        return a + " " + b
    return a + b



# A line of a table of contents: a long run of leaders, or leaders running to a page number.
# One "……" inside a sentence is an ellipsis, not a leader.
_TOC_LINE = re.compile(r"(?:…{4,}|\.{8,}|·{8,}|(?:…{2,}|\.{6,}|·{6,})\s*\d{1,3}\s*$)")


# ---------------------------------------------------------------------- table assembly
_CAPTION = re.compile(r"单位\s*[:：]|^(?:编制|填报|预算|主管)?(?:单位|部门)(?:名称)?\s*[:：]|"
                      r"^附?表\s*[一二三四五六七八九十\d]+$")
_NOTE = re.compile(r"^(?:注|说明|备注|附注)\s*\d*\s*[:：]?")
_SENTENCE = re.compile(r"[，。；！？]")


@dataclass
class _Pending:
    title: str
    name: str | None
    phase: Phase
    page: int
    units: list[tuple[str, int]] = field(default_factory=list)
    grids: list[_Grid] = field(default_factory=list)
    body: list[_Line] = field(default_factory=list)  # unruled rows under the title
    entity: str = ""
    last_bottom: float = 0.0


def _units_in(text: str) -> list[str]:
    return [m.group(1) for m in _UNIT.finditer(_squash(text))]


def _entity_in(text: str) -> str:
    m = re.search(r"(?:编制|预算|主管)?(?:单位|部门)(?:名称)?\s*[:：]\s*(.+?)"
                  r"(?:\s+(?:金额)?单位\s*[:：].*)?$", _nfkc(text).strip())
    name = m.group(1).strip() if m else ""
    return "" if not name or _UNIT.search("单位:" + name) else re.sub(r"\s+", "", name)


def _grid_caption(grid: _Grid) -> tuple[str, list[str], str, int]:
    """A title, units and entity printed inside the top rows of a grid (Jiangsu style), and
    how many rows they take."""
    title, units, entity, n = "", [], "", 0
    for row in grid.rows[:4]:
        texts = [c.text for c in row if c.text]
        if not texts:
            n += 1
            continue
        joined = " ".join(texts)
        if any(_is_amount(t) for t in texts):
            break
        pieces = [x for c in row for x in (c.lines or (c.text,)) if x]
        heads = [t for t in texts if _looks_like_title(t)] or [
            t for t in pieces if _looks_like_title(t)]  # a cell's title may wrap
        found_units = _units_in(joined) or [u for t in pieces for u in _units_in(t)]
        if heads or found_units or any(_CAPTION.search(_squash(t)) for t in texts):
            if heads and not title:
                title = heads[0]
            units += found_units
            entity = entity or next((e for t in pieces if (e := _entity_in(t))), "")
            n += 1
            continue
        break
    return title, units, entity, n


def _title_lines(lines: Sequence[_Line]) -> dict[int, str]:
    """Index of each line that is a table title → the title (a title may wrap onto a second,
    short line)."""
    out: dict[int, str] = {}
    for i, ln in enumerate(lines):
        if ln.in_grid or ln.furniture:
            continue
        if _looks_like_title(ln.text) and not _TOC_LINE.search(ln.text):
            out[i] = ln.text
        elif i + 1 < len(lines) and not lines[i + 1].in_grid and \
                len(_squash(lines[i + 1].text)) <= 6 and not _SENTENCE.search(ln.text):
            joined = ln.text + lines[i + 1].text
            if _looks_like_title(joined) and classify_title(joined):
                out[i] = joined
                lines[i + 1].owned = True
    return out


def _split_at_titles(grid: _Grid) -> list[_Grid]:
    """A grid cut where a row below its top holds only a table's title: two tables printed one
    under the other in one ruled frame, the second's title in a cell across the frame.

    >>> cells = lambda top, *texts: [_Cell(60.0 * i, 60.0 * i + 60, top, top + 10, t)
    ...                              for i, t in enumerate(texts)]
    >>> title = [_Cell(0, 120, 10, 20, "收入预算总表")]
    >>> grid = _Grid(1, 0, 120, 0, 40, [cells(0, "收入合计", "5.00"), title,
    ...     cells(20, "项目名称", "金额"), cells(30, "收入总计", "5.00")], [0, 60, 120])
    >>> [[c.text for c in part.rows[0]] for part in _split_at_titles(grid)]
    [['收入合计', '5.00'], ['收入预算总表']]
    """
    cuts = [i for i, row in enumerate(grid.rows) if i > 0 and _title_row(row, grid)]
    if not cuts:
        return [grid]
    parts = []
    for a, b in itertools.pairwise([0, *cuts, len(grid.rows)]):
        rows = grid.rows[a:b]
        cells = [c for row in rows for c in row]
        if not cells:
            continue
        xs = sorted({round(c.x0, 1) for c in cells})
        parts.append(replace(grid, top=min(c.top for c in cells),
                             bottom=max(c.bottom for c in cells), rows=rows,
                             xs=[*xs, grid.x1] if not grid.aligned else grid.xs))
    return parts


def _title_row(row: Sequence[_Cell], grid: _Grid) -> bool:
    """A row of one cell across most of the grid holding a standard table's title (not a
    line of a table of contents)."""
    cells = [c for c in row if c.text]
    if len(cells) != 1 or cells[0].x1 - cells[0].x0 < 0.6 * (grid.x1 - grid.x0):
        return False
    text = cells[0].text
    return _looks_like_title(text) and not _TOC_LINE.search(text) and \
        classify_title(text) is not None


def _orphan(grid: _Grid, before: _Pending | None, problems: list[Problem]) -> None:
    """Report a grid of amounts with no title above it and no table open to continue: a
    warning when it may hold part of a standard table (it follows one, or has codes), else a
    note (a list of units, the rest of a table outside the eight)."""
    texts = [_squash(c.text) for row in grid.rows for c in row if c.text]
    if not any(_is_amount(t) for t in texts):
        return
    standard = before is not None and before.name is not None
    after = f" (after {before.name}, p. {before.page})" if standard and before else ""
    coded = any(_FULL_CODE.match(t) and len(t) >= 5 for t in texts)
    problems.append(Problem(f"a table with amounts but no title above it{after}, not the "
                            "continuation of a table: not read", grid.page,
                            severity="warning" if standard or coded else "info"))


def _assemble(pages: Sequence[_Page], problems: list[Problem]) -> list[_Pending]:
    """Walk the pages in reading order and collect each titled table's grids across pages."""
    done: list[_Pending] = []
    current: _Pending | None = None

    def finish() -> None:
        nonlocal current
        if current is not None and (current.grids or current.body):
            done.append(current)
        current = None

    for page in pages:
        if page.is_image:
            where = f" (table {current.name} is not finished)" if current and current.name else ""
            problems.append(Problem(f"the page is an image without a text layer{where}: "
                                    "nothing on it is read", page.number, current.name if
                                    current else None, "error"))
            finish()
            continue
        titles = _title_lines(page.lines)
        items: list[tuple[float, int, Any]] = []
        for i, ln in enumerate(page.lines):
            if not ln.in_grid and not ln.furniture and not (ln.owned and i not in titles):
                items.append((ln.top, 1, (i, ln)))
        for g in (part for whole in page.grids for part in _split_at_titles(whole)):
            items.append((g.top, 0, g))
        for picture in page.images:
            items.append((picture.top, 2, picture))
        items.sort(key=lambda it: (it[0], it[1]))
        for n, (_, kind, item) in enumerate(items):
            if kind == 0:
                grid: _Grid = item
                gtitle, gunits, gentity, _ = _grid_caption(grid)
                if gtitle and not (current and not current.grids and current.name and
                                   classify_title(gtitle) == (current.name, current.phase)):
                    finish()
                    std = classify_title(gtitle)
                    current = _Pending(gtitle, std[0] if std else None,
                                       std[1] if std else "budget", page.number)
                if current is None:
                    _orphan(grid, done[-1] if done else None, problems)
                    continue
                current.units += [(u, page.number) for u in gunits]
                current.entity = current.entity or gentity
                current.grids.append(grid)
            elif kind == 2:
                if current is not None and current.name and not current.grids:
                    problems.append(Problem(
                        f"the table under the title {current.title!r} is an image: not read",
                        page.number, current.name, "error"))
                    current = None
                elif current is not None and current.name:
                    problems.append(Problem(
                        "an image follows the table on this page; if the table continues in "
                        "it, that part is not read", page.number, current.name, "warning"))
            else:
                i, ln = item
                if i in titles:
                    std = classify_title(titles[i])
                    if current and current.grids and current.name and std == (
                            current.name, current.phase) and (
                            _TITLE_SUFFIX.search(_squash(titles[i])) or (
                                _title_text(titles[i]) == _title_text(current.title)
                                and current.grids[-1].page == page.number - 1)):
                        ln.owned = True  # "（续）", or the title repeated: the table goes on
                        continue
                    finish()
                    current = _Pending(titles[i], std[0] if std else None,
                                       std[1] if std else "budget", page.number,
                                       last_bottom=ln.bottom)
                    ln.owned = True
                    continue
                text = _squash(ln.text)
                if current is None:
                    continue
                if _CAPTION.search(text) and not _SENTENCE.search(text):
                    current.units += [(u, page.number) for u in _units_in(text)]
                    current.entity = current.entity or _entity_in(ln.text)
                    ln.owned = True
                    current.last_bottom = ln.bottom
                elif _NOTE.match(text) and (current.grids or current.body):
                    ln.owned = True
                elif _TOC_LINE.search(ln.text):
                    finish()
                elif not current.grids and not _SENTENCE.search(text) and any(
                        _is_amount(w) for w in _nfkc(ln.text).split()):
                    current.body.append(ln)
                    ln.owned = True
                elif not current.grids and not current.body and len(text) <= 30 and \
                        not _SENTENCE.search(text) and page.number == current.page and \
                        ln.top - current.last_bottom < 3 * ln.size:
                    ln.owned = True  # a header line of an unruled table, or a subtitle
                    current.last_bottom = ln.bottom
                elif n == 0 and _cell_fragment(ln, current, items[1:2]):
                    ln.owned = True
                    problems.append(Problem(
                        f"the text {ln.text.strip()!r} above the continuation is outside its "
                        "ruled cells (the end of a wrapped cell?): not read", page.number,
                        current.name, "warning" if current.name else "info"))
                else:
                    finish()
    finish()
    return done


def _cell_fragment(ln: _Line, current: _Pending, after: Sequence[tuple[float, int, Any]]
                   ) -> bool:
    """Whether the first line of a page is the end of a cell wrapped over the page break,
    printed outside the continuation's ruled frame (省法院 p. 18, "置更新"): a few words, no
    sentence, no amount, just above an untitled grid, while a table from the page before is
    open. Such a line must not end the table."""
    text = _squash(ln.text)
    if not current.grids or current.grids[-1].page != ln.page - 1 or not after:
        return False
    top, kind, grid = after[0]
    if kind != 0 or len(text) > 12 or _SENTENCE.search(text) or _is_amount(text) or \
            _ENUM.match(text) or _looks_like_title(text):
        return False
    return top - ln.bottom < 2 * ln.size and not _grid_caption(grid)[0]


# ---------------------------------------------------------------------- grid → rows
Role = Literal["code", "label", "amount"]


@dataclass
class _Col:
    x0: float
    x1: float
    path: tuple[str, ...]
    role: Role

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


_CODE_HEAD = re.compile(r"编码|代码|^[类款项]$")
_LABEL_HEAD = re.compile(r"名称$|^(?:收入|支出)?项目$|^科目$")
_CODE_CELL = re.compile(r"^\d{2,7}$")
_AMOUNT_HEAD = re.compile(r"^(?:合计|总计|小计|基本支出|项目支出|人员经费|公用经费)$")
_FULL_CODE = re.compile(r"^(?:2\d{2}(?:\d{2}){0,2}|[35]\d{2}(?:\d{2})?)$")


def _is_data_row(row: Sequence[_Cell]) -> bool:
    texts = [c.text for c in row if c.text]
    if not texts:
        return False
    if any(_is_amount(t) and not _CODE_CELL.match(_squash(t)) for t in texts):
        return True
    first = _squash(texts[0])
    if _FULL_CODE.match(first) and len(first) >= 3:
        return True
    if _ENUM.match(first) and _ENUM.sub("", first) and not _looks_like_title(first):
        return True  # an enumerated item ("一、一般公共服务支出"): no header is numbered
    totals = [_ENUM.sub("", _squash(t)) for t in texts]
    if all(_TOTAL_LABEL.match(t) for t in totals):
        # "合计" alone, or a total of each side ("本年收入合计 | 本年支出合计"); a header's
        # "合计" sits beside the columns it adds up
        return len(texts) == 1 or any(re.search(r"收入|支出", t) for t in totals)
    return False


def _header_split(rows: Sequence[Sequence[_Cell]]) -> int:
    """How many rows at the top are header rows (before the first data row).

    >>> def row(*texts: str) -> list[_Cell]:
    ...     return [_Cell(100.0 * i, 100.0 * i + 90, 0, 10, t) for i, t in enumerate(texts)]
    >>> _header_split([row("项目", "决算数", "项目", "决算数"),
    ...                row("一、一般公共预算财政拨款收入", "", "一、一般公共服务支出", ""),
    ...                row("本年收入合计", "", "本年支出合计", "")])
    1
    """
    for i, row in enumerate(rows):
        if _is_data_row(row):
            return i
    return len(rows)


def _repeated_header(rows: Sequence[Sequence[_Cell]], labels: set[str]) -> int:
    """How many rows at the top of a continuation repeat the header of the part before: rows
    whose every text is one of its header ``labels``. A continuation whose rows print no
    amount (a run of empty items) is data, not a new header.

    >>> row = lambda *texts: [_Cell(10.0 * i, 10.0 * i + 9, 0, 9, t) for i, t in enumerate(texts)]
    >>> _repeated_header([row("科目名称", "金额"), row("事业收入", "")], {"科目名称", "金额"})
    1
    >>> _repeated_header([row("事业收入", ""), row("经营收入", "")], {"科目名称", "金额"})
    0
    """
    n = 0
    for i, row in enumerate(rows):
        texts = [_squash(c.text) for c in row if c.text]
        if texts and not all(t in labels for t in texts):
            break
        if texts:
            n = i + 1
    return n


def _covers(cell: _Cell, col: _Col) -> bool:
    return cell.x0 - 1 <= col.cx <= cell.x1 + 1


def _layout(grid: _Grid, header: Sequence[Sequence[_Cell]], data: Sequence[Sequence[_Cell]]
            ) -> list[_Col]:
    """The columns of a grid: x-range, header path (labels top-down), role."""
    cols: list[_Col] = []
    for x0, x1 in itertools.pairwise(grid.xs):
        if x1 - x0 < 1:
            continue
        col = _Col(x0, x1, (), "amount")
        path: list[str] = []
        for row in header:
            for c in row:
                label = _squash(c.text)
                if label and _covers(c, col) and (not path or path[-1] != label):
                    path.append(label)
        col.path = tuple(path)
        texts = [c.text for row in data for c in row if c.text and _covers(c, col)]
        if not path and (not texts or (header and x1 - x0 < 10)):
            continue  # a sliver between misaligned cell borders (Word tables)
        if not grid.aligned and x1 - x0 < _SLIVER and not _holds_text(grid, x0, x1):
            continue  # too narrow to print in: every cell over it spans a wider column too
        col.role = _role(col.path, texts)
        if cols and path and cols[-1].path == col.path and cols[-1].role == col.role:
            cols[-1].x1 = x1  # one column split by a misaligned border
            continue
        cols.append(col)
    # codes sit left of the first label column
    first_label = next((i for i, c in enumerate(cols) if c.role == "label"), None)
    for i, column in enumerate(cols):
        if column.role == "code" and first_label is not None and i > first_label and not any(
                _CODE_HEAD.search(p) for p in column.path):
            column.role = "amount"
    return cols


_SLIVER: Final = 10.0  # points: narrower than one printed digit and its padding


def _holds_text(grid: _Grid, x0: float, x1: float) -> bool:
    """Whether some cell with text lies within ``x0..x1`` (a narrow column really printed in,
    not a sliver left between the borders of cells merged differently in different rows)."""
    return any(c.text and c.x0 >= x0 - 1 and c.x1 <= x1 + 1 for row in grid.rows for c in row)


def _role(path: Sequence[str], texts: Sequence[str]) -> Role:
    leaf = path[-1] if path else ""
    if path and (any(_CODE_HEAD.search(p) for p in path) and not _LABEL_HEAD.search(leaf)):
        return "code"
    if path and _LABEL_HEAD.search(leaf):
        return "label"
    if _AMOUNT_HEAD.match(leaf):
        return "amount"  # whatever it holds: a cell there that is not a number is reported
    filled = [_squash(t) for t in texts if _squash(t) not in _BLANK_CELL]
    if not filled:
        return "amount"
    numeric = sum(1 for t in filled if _is_amount(t))
    codes = sum(1 for t in filled if _FULL_CODE.match(t) or t in ("…",))
    if not path and codes == len(filled):
        return "code"
    if numeric * 2 < len(filled):
        return "label"
    return "amount"


def _groups(cols: Sequence[_Col]) -> list[int]:
    """Each column's side of a table printed two-up: a code or label column that follows an
    amount column starts a new group."""
    out, group, last = [], 0, None
    for c in cols:
        if c.role != "amount" and last == "amount":
            group += 1
        out.append(group)
        last = c.role
    return out


@dataclass
class _Segment:
    page: int
    code_parts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    label_col: int = -1
    values: dict[int, str] = field(default_factory=dict)
    printed: list[str] = field(default_factory=list)
    refs: dict[int, str] = field(default_factory=dict)


def _segments(row: Sequence[_Cell], cols: Sequence[_Col], page: int,
              carried: dict[int, _Cell], problems: list[Problem], table: str | None
              ) -> list[_Segment]:
    """Split one grid row into logical rows: a new one starts at a code or label column that
    follows an amount column (tables printed two-up: 收入 | 支出)."""
    by_col: dict[int, str] = {}
    refs: dict[int, str] = {}
    for cell in row:
        covered = [i for i, c in enumerate(cols) if _covers(cell, c)]
        if not covered:
            near = min(range(len(cols)), key=lambda i: abs(cols[i].cx - cell.cx), default=None)
            if near is None or not cell.text:
                continue
            covered = [near]
        if len(covered) > 1:
            if _is_amount(cell.text):
                amounts = [i for i in covered if cols[i].role == "amount"]
                if len(amounts) > 1 and cell.text:
                    problems.append(Problem(f"the amount {cell.text!r} spans several columns: "
                                            "not read", page, table))
                    continue
                covered = amounts or covered[:1]
            else:
                labels = [i for i in covered if cols[i].role == "label"]
                covered = labels[:1] or covered[:1]
        i = covered[0]
        if cols[i].role == "label" and cell.bottom - cell.top > 0:
            carried[i] = cell
        if cell.text:
            by_col[i] = _join_wrapped(by_col.get(i, ""), cell.text)
            refs.setdefault(i, cell.ref)
    if not by_col:
        return []  # nothing printed in the row itself: a merged cell above is not a new row
    top = min((c.top for c in row), default=0.0)
    bottom = max((c.bottom for c in row), default=0.0)
    for i, cell in list(carried.items()):  # a label cell merged downwards labels this row too
        if i not in by_col and cell.top < (top + bottom) / 2 < cell.bottom and cell.text:
            by_col[i] = cell.text
    groups = _groups(cols)
    segments: list[_Segment] = []
    seg = _Segment(page)
    group = -1
    for i in sorted(by_col):
        role, text = cols[i].role, by_col[i]
        if groups[i] != group and role in ("code", "label") and (seg.values or group >= 0):
            segments.append(seg)
            seg = _Segment(page)
        group = max(group, groups[i])
        if role == "code":
            seg.code_parts.append(_squash(text))
        elif role == "label":
            seg.labels.append(text)
            if seg.label_col < 0:
                seg.label_col = i
        else:
            seg.values[i] = text
            if refs.get(i):
                seg.refs[i] = refs[i]
        seg.printed.append(text)
    segments.append(seg)
    return [s for s in segments if s.code_parts or s.labels or s.values]


# ---------------------------------------------------------------------- columns → meaning
@dataclass
class _ColSpec:
    key: str
    label: str
    total: bool = False
    part: bool = False
    criteria: dict[str, str] | None = None  # what a selector may ask of the view
    dims: dict[str, str] = field(default_factory=dict)  # what its lines carry
    group: int = 0


_KIND_COLUMNS: Final = (
    ("人员经费", "personnel", "basic.personnel"),
    ("公用经费", "public", "basic.public"),
    ("基本支出", "basic", "basic"),
    ("项目支出", "project", "project"),
)
_FUND_COLUMNS: Final = (
    (r"一般公共预算", "general", "general"),
    (r"政府性基金", "govfund", "govfund"),
    (r"国有资本经营", "soe", "soe"),
    (r"财政专户|专户管理", "special", "special"),
    (r"^事业收入$", "business", "unit"),
    (r"经营收入", "operating", "unit"),
    (r"上级补助", "upper", "unit"),
    (r"附属单位上缴", "affiliated", "unit"),
    (r"单位资金", "unit", "unit"),
    (r"^其他(?:收入|资金)$", "other", "other"),
    (r"财政拨款", "appropriation", None),
)
_OUT_OF_SCOPE = re.compile(r"结转|结余|上年|年初|年末|上缴上级|对附属单位补助")
_MEASURE = re.compile(r"^(?:\d{4}年)?(预算数|决算数|执行数|预算|决算)$")


def _column_specs(cols: Sequence[_Col], table: str) -> dict[int, _ColSpec]:
    """What each amount column measures: a total, a kind or fund part, or something else."""
    expenditure = table in (_EXPENDITURE, _GPB, _GPB_BASIC, _GOVFUND)
    specs: dict[int, _ColSpec] = {}
    group = 0
    last_role: Role | None = None
    seen_total: set[int] = set()
    for i, col in enumerate(cols):
        if col.role != "amount":
            if last_role == "amount":
                group += 1
            last_role = col.role
            continue
        last_role = "amount"
        path = [p for p in col.path if p not in ("项目",)]
        leaf = path[-1] if path else ""
        label = "/".join(col.path)
        key = (_sangong_key(path) if table == _SANGONG else None) or (
            _slug(leaf) if leaf else f"c{i}")
        if table == _SANGONG and (m := _measure(path)):
            key = f"{key}.{m}"
        spec = _ColSpec(key, label, group=group)
        if _OUT_OF_SCOPE.search(label) or (expenditure and re.search(r"本年收入|^收入$", leaf)) \
                or (table == _INCOME and "本年支出" in label):
            pass
        elif (kind := next((k for k in _KIND_COLUMNS if k[0] in leaf), None)) is not None \
                and table != _INCOME:
            spec.key, spec.part, spec.criteria = kind[1], True, {"kind": kind[2]}
            spec.dims = dict(spec.criteria)
        elif (fund := next((f for f in _FUND_COLUMNS if re.search(f[0], leaf)), None)) \
                is not None and table not in (_GPB, _GPB_BASIC, _GOVFUND) and not re.search(
                    r"合计|总计|小计", leaf):
            spec.key, spec.part = fund[1], True
            spec.criteria = {"fund": fund[2]} if fund[2] else None
            spec.dims = dict(spec.criteria or {})
        elif table == _SANGONG:
            pass
        elif group not in seen_total:
            seen_total.add(group)
            spec.key, spec.total, spec.criteria = "total", True, {}
        specs[i] = spec
    # a basic column beside personnel/public columns is their subtotal, not a part
    for g in {s.group for s in specs.values()}:
        in_group = [s for s in specs.values() if s.group == g]
        keys = {s.key for s in in_group}
        for s in in_group:
            if s.key == "basic" and keys & {"personnel", "public"}:
                s.part = False
        crit = Counter(tuple(sorted(s.criteria.items())) for s in in_group
                       if s.part and s.criteria)
        for s in in_group:  # two columns of one fund: neither can be measured alone
            if s.part and s.criteria and crit[tuple(sorted(s.criteria.items()))] > 1:
                s.criteria = None
        used: Counter[str] = Counter()
        for s in in_group:
            used[s.key] += 1
            if used[s.key] > 1:
                s.key = f"{s.key}_{used[s.key]}"
    return specs


# ---------------------------------------------------------------------- rows of a table
@dataclass
class _Raw:
    """A logical row before figures: as read, with column indices."""

    page: int
    code: str | None
    label: str
    values: dict[int, Decimal]
    printed: str
    label_col: int
    grid_row: int


def _read_rows(p: _Pending, problems: list[Problem]
               ) -> tuple[list[_Col], list[_Raw]] | None:
    """Read the grids of one table into logical rows, aligning header-less continuations
    with the columns of the part before."""
    layout: list[_Col] | None = None
    raws: list[_Raw] = []
    grid_row = 0
    labels: set[str] = set()  # the header's texts, which a continuation may repeat
    for grid in p.grids:
        skip = _grid_caption(grid)[3]
        body = grid.rows[skip:]
        h = _header_split(body) if layout is None else _repeated_header(body, labels)
        header, data = body[:h], body[h:]
        if layout is None:
            labels = {_squash(c.text) for row in header for c in row if c.text}
            layout = _layout(grid, header, data)
        else:  # a continuation keeps the columns' meaning (the rows' indices refer to it)
            fresh = _layout(grid, header, data)
            if len(fresh) == len(layout) and all(
                    a.role == b.role or b.role != "code" for a, b in zip(fresh, layout,
                                                                          strict=True)):
                layout = [_Col(f.x0, f.x1, old.path, old.role)
                          for f, old in zip(fresh, layout, strict=True)]
            if _misaligned(data, layout, tolerant=grid.aligned):
                problems.append(Problem(
                    "a continuation whose columns do not line up with the part before (text "
                    "where amounts belong): this part is not read",
                    grid.page, p.name, "error"))
                continue
        if not any(c.role == "amount" for c in layout):
            problems.append(Problem("no amount columns found", grid.page, p.name))
            continue
        carried: dict[int, _Cell] = {}
        for row in data:
            grid_row += 1
            for seg in _segments(row, layout, grid.page, carried, problems, p.name):
                raw = _raw_row(seg, grid_row, problems, p.name)
                if raw is None:
                    continue
                prev = next((r for r in reversed(raws) if r.label_col == raw.label_col), None)
                if prev is not None and not raw.values and raw.code is None and \
                        _continues(raw.label, prev, layout):
                    prev.label = _join_wrapped(prev.label, raw.label)
                    prev.printed = prev.printed + raw.label
                    continue
                raws.append(raw)
    if layout is None:
        return None
    return layout, raws


def _misaligned(data: Sequence[Sequence[_Cell]], layout: Sequence[_Col],
                tolerant: bool = False) -> bool:
    """Whether text that is not an amount falls into an amount column, or an amount into a
    code column: the sign of a layout applied to a grid it does not describe. ``tolerant``
    (a sheet's columns, aligned by their letters) lets a few such cells through, to be
    reported one by one, as long as most amount cells hold amounts."""
    wrong = right = 0
    for row in data:
        for cell in row:
            text = _squash(cell.text)
            if not text or text in _BLANK_CELL:
                continue
            roles = {c.role for c in layout if _covers(cell, c)}
            if roles == {"amount"}:
                if _is_amount(text):
                    right += 1
                elif not tolerant:
                    return True
                else:
                    wrong += 1
            if roles == {"code"} and not re.fullmatch(r"\d+", text):
                return True
    return wrong > right


def _continues(fragment: str, prev: _Raw, layout: Sequence[_Col]) -> bool:
    """Whether a row holding only text is the wrapped end of the previous row's label."""
    s = _squash(fragment)
    before = _squash(prev.label)
    if _TOTAL_LABEL.match(s) and not _TOTAL_LABEL.match(before):
        return bool(_TOTAL_LABEL.match(before + s))  # "当年收入" / "小计" over a page break
    if not s or _ENUM.match(fragment) or _TOTAL_LABEL.match(s) or _FULL_CODE.match(s) or \
            _PLACEHOLDER.fullmatch(s):
        return False  # a placeholder row ("… / …") is not the end of a label
    if any(c.role == "code" for c in layout):
        return True
    complete = re.search(r"(?:支出|收入|资金|计|费|金|预算|补贴|[）)])$", _squash(prev.label))
    return len(s) <= 4 and not complete


def _padded_parts(parts: Sequence[str]) -> list[str]:
    """Code parts from separate 类/款/项 cells, a 款 or 项 written without its leading zero
    (a spreadsheet's number 6 for "06") padded back to two digits.

    >>> _padded_parts(["201", "6", "1"]), _padded_parts(["201", "06"]), _padded_parts(["2010601"])
    (['201', '06', '01'], ['201', '06'], ['2010601'])
    """
    if len(parts) < 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 3 or any(
            len(p) > 2 for p in parts[1:]):
        return list(parts)
    return [parts[0], *(p.zfill(2) for p in parts[1:])]


def _raw_row(seg: _Segment, grid_row: int, problems: list[Problem], table: str | None
             ) -> _Raw | None:
    label = "/".join(x for x in (_squash(t) for t in seg.labels)
                     if x and x not in _BLANK_CELL and not _PLACEHOLDER.fullmatch(x))
    code: str | None = None
    digits = "".join(_padded_parts(seg.code_parts))
    if digits and digits not in _BLANK_CELL and not _PLACEHOLDER.fullmatch(digits):
        if re.fullmatch(r"\d+", digits) and _FULL_CODE.match(digits):
            code = digits
        elif re.fullmatch(r"\d+", digits):
            problems.append(Problem(f"{digits!r} is not a classification code; row {label!r} "
                                    "kept without a code", seg.page, table, "warning"))
        elif not label:
            label = digits
    if code is None and label:
        m = re.match(r"^(\d{3}(?:\d{2}){0,2})(?!\d)\s*(.*)$", label)
        if m and _FULL_CODE.match(m.group(1)) and m.group(2):
            code, label = m.group(1), m.group(2)
    values: dict[int, Decimal] = {}
    for i, text in seg.values.items():
        try:
            value = parse_cell(text)
        except ParseError:
            at = f" ({seg.refs[i]})" if seg.refs.get(i) else ""
            problems.append(Problem(f"cell {text!r}{at} in row {code or label!r} is not an "
                                    "amount: not read", seg.page, table, "warning"))
            continue
        if value is not None:
            values[i] = value
    if code is None and not label and not values:
        return None
    return _Raw(seg.page, code, label, values, " ".join(seg.printed), seg.label_col, grid_row)


# ---------------------------------------------------------------------- figures and views
#: 类 names of earlier editions that the shipped (2021) edition renamed.
_OLD_CLASS_NAMES: Final = {
    "医疗卫生与计划生育支出": "210", "医疗卫生支出": "210", "文化体育与传媒支出": "207",
    "国土海洋气象等支出": "220", "国土资源气象等支出": "220", "资源勘探信息等支出": "215",
    "资源勘探电力信息等支出": "215", "城乡社区事务": "212", "文化旅游体育与传媒": "207",
}
_GRAND_TOTAL = re.compile(r"^(?:合计|总计|(?:本年|当年)?(?:收入|支出)?(?:合计|总计))$")


def _class_code(label: str) -> str | None:
    """The functional 类 a summary-table row names ("一、一般公共服务支出" → 201)."""
    name = _ENUM.sub("", _squash(label))
    if name in _OLD_CLASS_NAMES:
        return _OLD_CLASS_NAMES[name]
    try:
        code = classification.shipped().lookup(name, scheme="function")
    except (FiscalkitError, KeyError):
        return None
    return code.code if code.level == 1 else None


def _sangong_key(path: Sequence[str]) -> str | None:
    """The key of a 三公 column (or row) by its header path.

    A header wrapped over two ruled rows ("公务接" / "待费") is read as one name when its last
    piece names nothing by itself.

    >>> _sangong_key(["“三公”经费", "公务接", "待费"]), _sangong_key(["“三公”经费", "小计"])
    ('hospitality', 'total')
    """
    key = _sangong_leaf_key(path)
    parts = [p for p in path if not _MEASURE.match(p)]
    if key is None and len(parts) >= 2:
        joined = _sangong_leaf_key([*parts[:-2], parts[-2] + parts[-1]])
        if joined in ("admin", "abroad", "hospitality", "vehicle_purchase", "vehicle_operation"):
            return joined
    return key


def _sangong_leaf_key(path: Sequence[str]) -> str | None:
    """The key named by the path's last label (and, for a 合计/小计, the labels above it)."""
    parts = [p for p in path if not _MEASURE.match(p)]
    leaf = parts[-1] if parts else ""
    whole = "/".join(parts)
    if "机关运行" in leaf:
        return "admin"
    if "因公出国" in leaf:
        return "abroad"
    if "接待" in leaf:
        return "hospitality"
    if "购置" in leaf and "运行" not in leaf:
        return "vehicle_purchase"
    if "运行" in leaf and "购置" not in leaf:
        return "vehicle_operation"
    if leaf in ("合计", "总计", "小计"):
        if "公务用车" in whole:
            return "vehicle"
        return "total" if "三公" in whole else "all"
    if "公务用车" in leaf:
        return "vehicle"
    if "三公" in leaf:
        return "total"
    return None


def _measure(path: Sequence[str]) -> str:
    m = _MEASURE.match(path[-1]) if path else None
    if not m:
        return ""
    return "final" if "决" in m.group(1) or "执行" in m.group(1) else "budget"


def _precision(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


@dataclass
class _Built:
    table: PdfTable
    view: Ledger | None
    figures: list[StatedFigure]


class _Figures:
    """Collects one table's figures with unique ids."""

    def __init__(self, table: PdfTable, year: int, source: str) -> None:
        self.table, self.year, self.source = table, year, source
        self.items: list[StatedFigure] = []
        self.ids: set[str] = set()

    def add(self, fid: str, label: str, value: Decimal, *, row: TableRow,
            selector: Selector | None = None, relations: tuple[Call, ...] = ()) -> str:
        base, n = fid, 1
        while fid in self.ids:
            n += 1
            fid = f"{base}#{n}"
        self.ids.add(fid)
        self.items.append(StatedFigure(
            id=fid, year=self.year, label_zh=label,
            label_en=f"{STANDARD_TABLES[self.table.name][1]}: {fid.split('.', 2)[-1]}",
            value=value, unit=self.table.unit, precision=_precision(value), kind="amount",
            selector=selector, relations=relations, status="stated", sentence=row.printed,
            note=f"{self.table.title}, {self.table.place(row.page)}"))
        return fid

    def relate(self, fid: str, call: Call) -> None:
        for i, f in enumerate(self.items):
            if f.id == fid:
                self.items[i] = replace(f, relations=(*f.relations, call))


def _build(p: _Pending, year: int, source: str, problems: list[Problem],
           sheets: Mapping[int, str] | None = None) -> _Built | None:
    assert p.name is not None
    read = _read_rows(p, problems)
    if read is None:
        return None
    layout, raws = read
    specs = _column_specs(layout, p.name)
    units = sorted({u for u, _ in p.units})
    unit = units[0] if len(units) == 1 else ""
    if not units:
        problems.append(Problem("the table states no unit (单位：元/万元): its amounts are not "
                                "read", p.page, p.name, "error"))
    elif len(units) > 1:
        problems.append(Problem(f"the table states several units {units}: its amounts are not "
                                "read", p.page, p.name, "error"))
    pages = tuple(sorted({g.page for g in p.grids} | {ln.page for ln in p.body}))
    coded = any(r.code for r in raws)
    dims_seen = {"function" if r.code[0] == "2" else "economic" for r in raws if r.code}
    dimension: Literal["function", "economic"] | None = None
    if len(dims_seen) == 1:
        dimension = "function" if "function" in dims_seen else "economic"
    elif len(dims_seen) > 1:
        problems.append(Problem("the table mixes functional and economic codes; no view built",
                                p.page, p.name))
    label_paths = {i: c.path for i, c in enumerate(layout)}
    summary = p.name in (_SUMMARY, _APPROPRIATION)
    rows: list[TableRow] = []
    for r in raws:
        side = ""
        path = "/".join(label_paths.get(r.label_col, ()))
        if "收入" in path:
            side = "in"
        elif "支出" in path:
            side = "out"
        code = r.code
        if summary and code is None and side != "in" and r.label:
            code = _class_code(r.label)
        values = {specs[i].key: v for i, v in r.values.items() if i in specs}
        rows.append(TableRow(r.page, code, r.label, values, r.printed, side))
    columns: dict[str, str] = {}
    for spec in specs.values():  # a table printed two-up has a 合计 on each side
        columns[spec.key] = " | ".join(filter(None, (columns.get(spec.key), spec.label)))
    table = PdfTable(p.name, _squash(p.title), p.phase, unit, pages, columns, tuple(rows),
                     dimension if coded else ("function" if summary else None),
                     tuple(sheets.get(n, "") for n in pages) if sheets else ())
    if not unit:
        return _Built(table, None, [])
    if coded and dimension is not None:
        return _coded(table, raws, specs, year, source, problems)
    if summary:
        return _summary(table, raws, specs, year, source, problems)
    return _plain(table, raws, specs, layout, year, source)


def _fixed_dims(name: str) -> dict[str, str]:
    return {_GPB: {"fund": "general"}, _GPB_BASIC: {"fund": "general"},
            _GOVFUND: {"fund": "govfund"}}.get(name, {})


def _ledger(table: PdfTable, lines: Mapping[tuple[tuple[str, str], ...], Decimal], year: int,
            source: str, problems: list[Problem]) -> Ledger | None:
    records = [{"year": year, "phase": table.phase, **dict(key), "amount": f"{amount:f}"}
               for key, amount in lines.items() if amount != 0]
    if not records:
        records = []
    frame = pd.DataFrame.from_records(records, columns=None if records else ["year", "amount"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ledger = Ledger(frame, unit=table.unit, source=f"{source} [{table.title}]")
        except FiscalkitError as e:
            problems.append(Problem(f"its rows do not make a ledger: {e}", table.pages[0],
                                    table.name, "error"))
            return None
    for w in caught:
        problems.append(Problem(str(w.message), table.pages[0], table.name, "info"))
    return ledger


def _line_columns(specs: Mapping[int, _ColSpec], raws: Sequence[_Raw], group: int | None = None
                  ) -> list[int]:
    """The columns whose amounts make the lines: the parts if any is printed, else the total."""
    chosen = {i: s for i, s in specs.items() if group is None or s.group == group}
    parts = [i for i, s in chosen.items() if s.part]
    if parts and any(i in r.values for r in raws for i in parts):
        return parts
    return [i for i, s in chosen.items() if s.total]


def _coded(table: PdfTable, raws: Sequence[_Raw], specs: Mapping[int, _ColSpec], year: int,
           source: str, problems: list[Problem]) -> _Built:
    dim = table.dimension
    assert dim is not None
    fixed = _fixed_dims(table.name)
    codes = [r.code for r in raws if r.code]
    first: dict[str, _Raw] = {}
    for r in raws:
        if r.code is None:
            continue
        if r.code in first:
            same = first[r.code].values == r.values
            problems.append(Problem(
                f"code {r.code} appears twice" + (" with the same amounts: read once" if same
                                                  else " with different amounts: the first "
                                                  "is in the view, both are figures"),
                r.page, table.name, "info" if same else "warning"))
            continue
        first[r.code] = r
    leaves = {c for c in first if not any(o != c and o.startswith(c) for o in codes)}
    line_cols = _line_columns(specs, raws)
    lines: dict[tuple[tuple[str, str], ...], Decimal] = {}
    for code in sorted(leaves):
        r = first[code]
        for i in line_cols:
            if i not in r.values:
                continue
            dims = {**fixed, dim: code, **specs[i].dims}
            if table.name == _GPB_BASIC:
                dims.setdefault("kind", "basic")
            key = tuple(sorted(dims.items()))
            lines[key] = lines.get(key, Decimal(0)) + r.values[i]
    for r in raws:
        if r.code is None and r.values and not _TOTAL_LABEL.match(_squash(r.label)):
            problems.append(Problem(f"row {r.label!r} has no code: its amounts are figures "
                                    "but not lines of the view", r.page, table.name, "info"))
    ledger = _ledger(table, lines, year, source, problems)
    figs = _Figures(table, year, source)
    seen_total = False
    for r, row in zip(raws, table.rows, strict=True):
        label = _squash(r.label)
        is_total = r.code is None and bool(_GRAND_TOTAL.match(label)) and not seen_total
        seen_total = seen_total or is_total
        rid = r.code or ("total" if is_total else _slug(r.label))
        measurable = ledger is not None and (is_total or (r.code is not None and
                                                          first.get(r.code) is r))
        for i, value in r.values.items():
            spec = specs.get(i)
            if spec is None:
                continue
            selector = None
            if measurable and spec.criteria is not None:
                crit: dict[str, tuple[str, ...]] = {dim: (r.code,)} if r.code else {}
                crit.update({k: (v,) for k, v in spec.criteria.items()})
                selector = Selector("sum", table.view, crit)
            suffix = "" if spec.key == "total" else f".{spec.key}"
            name = f"{r.label}" + ("" if spec.key == "total" else f"（{spec.label}）")
            figs.add(f"table.{table.key}.{rid}{suffix}", name, value, row=row,
                     selector=selector)
    return _Built(table, ledger, figs.items)


def _summary(table: PdfTable, raws: Sequence[_Raw], specs: Mapping[int, _ColSpec], year: int,
             source: str, problems: list[Problem]) -> _Built:
    """收支总表 and 财政拨款收支总表: labelled rows on two sides; the expenditure rows that name
    a functional 类 make the view, the totals are checked as sums of their items."""
    lines: dict[tuple[tuple[str, str], ...], Decimal] = {}
    for r, row in zip(raws, table.rows, strict=True):
        if row.code and row.side != "in":
            group = next((specs[i].group for i in r.values if i in specs), None)
            for i in _line_columns(specs, raws, group):
                if i in r.values:
                    key = tuple(sorted({"function": row.code, **specs[i].dims}.items()))
                    lines[key] = lines.get(key, Decimal(0)) + r.values[i]
        elif row.side != "in" and r.values and not _TOTAL_LABEL.match(_squash(r.label)) \
                and re.search(r"支出$", _squash(r.label)) and table.name == _SUMMARY:
            problems.append(Problem(f"expenditure row {r.label!r} names no known functional "
                                    "class: not a line of the view", r.page, table.name, "info"))
    ledger = _ledger(table, lines, year, source, problems) if lines else None
    figs = _Figures(table, year, source)
    ids: list[dict[str, str]] = []
    for r, row in zip(raws, table.rows, strict=True):
        got: dict[str, str] = {}
        rid = row.code if row.code and row.side != "in" else \
            f"{row.side or 'row'}.{_slug(r.label)}"
        for i, value in r.values.items():
            spec = specs.get(i)
            if spec is None:
                continue
            selector = None
            if ledger is not None and row.code and row.side != "in" and spec.criteria is not None:
                selector = Selector("sum", table.view, {
                    "function": (row.code,), **{k: (v,) for k, v in spec.criteria.items()}})
            suffix = "" if spec.key == "total" else f".{spec.key}"
            got[spec.key] = figs.add(f"table.{table.key}.{rid}{suffix}", r.label, value,
                                     row=row, selector=selector)
        ids.append(got)
    _sum_relations(raws, ids, figs)
    return _Built(table, ledger, figs.items)


def _sum_relations(raws: Sequence[_Raw], ids: Sequence[Mapping[str, str]], figs: _Figures
                   ) -> None:
    """Totals of labelled rows as sums: each list of items down one label column sums to the
    first total below it; later totals (总计) add the rows between (结转, 结余) to it; a
    top-level item (一、) with sub-items (1. …) is their sum."""
    for col in sorted({r.label_col for r in raws}):
        seq = [(r, ids[k]) for k, r in enumerate(raws) if r.label_col == col]
        has_top = any(_TOP_ENUM.match(r.label) for r, _ in seq)
        items: list[Mapping[str, str]] = []
        subs: list[tuple[Mapping[str, str], list[Mapping[str, str]]]] = []
        carry: list[Mapping[str, str]] = []
        last_total: Mapping[str, str] | None = None
        for r, got in seq:
            label = _squash(r.label)
            if _TOTAL_LABEL.match(_ENUM.sub("", label)):
                if last_total is None:
                    for key, fid in got.items():
                        parts = [g[key] for g in items if key in g]
                        if parts:
                            figs.relate(fid, Call("sum", tuple(parts)))
                else:
                    for key, fid in got.items():
                        parts = [g[key] for g in (last_total, *carry) if key in g]
                        if parts and key in last_total:
                            figs.relate(fid, Call("sum", tuple(parts)))
                last_total, carry = got, []
                continue
            if last_total is not None:
                if not _ENUM.match(r.label):
                    carry.append(got)
                continue
            if _TOP_ENUM.match(r.label) or not has_top:
                items.append(got)
                subs.append((got, []))
            elif _SUB_ENUM.match(r.label) and subs:
                subs[-1][1].append(got)
            else:
                items.append(got)
        for top, children in subs:
            for key, fid in top.items():
                parts = [g[key] for g in children if key in g]
                if parts:
                    figs.relate(fid, Call("sum", tuple(parts)))


def _plain(table: PdfTable, raws: Sequence[_Raw], specs: Mapping[int, _ColSpec],
           layout: Sequence[_Col], year: int, source: str) -> _Built:
    """Tables without codes ("三公", Jiangsu's one-row 支出总表, labelled 收入总表): every printed
    cell a figure; a 合计/小计 column is the sum of the columns under the same header."""
    figs = _Figures(table, year, source)
    sangong = table.name == _SANGONG
    for n, (r, row) in enumerate(zip(raws, table.rows, strict=True)):
        got: dict[tuple[str, ...], str] = {}
        for i, value in r.values.items():
            if i not in specs:
                continue
            path = layout[i].path
            key = (_sangong_key(path) if sangong else None) or specs[i].key
            if r.label:
                lkey = _sangong_key([r.label]) if sangong else None
                key = lkey or _slug(r.label) + ("" if specs[i].key == "total" else
                                               f".{specs[i].key}")
            measure = _measure(path)
            if measure and not key.endswith(measure):
                key = f"{key}.{measure}"
            if len(raws) > 1 and not r.label:
                key = f"{key}.r{n + 1}"
            label = r.label or "/".join(path)
            got[path] = figs.add(f"table.{table.key}.{key}", label, value, row=row)
        if not r.label:
            _tree_relations(got, figs)
    return _Built(table, None, figs.items)


def _tree_relations(got: Mapping[tuple[str, ...], str], figs: _Figures) -> None:
    """A 合计/小计 column is the sum of the columns beside it under the same header."""
    totals = ("合计", "小计", "总计")
    by_measure: dict[str, dict[tuple[str, ...], str]] = {}
    for path, fid in got.items():
        m = _measure(path)
        core = tuple(path[:-1]) if m else tuple(path)
        by_measure.setdefault(m, {})[core] = fid
    for cols in by_measure.values():
        for core, fid in cols.items():
            if not core or core[-1] not in totals:
                continue
            parent = core[:-1]
            parts: list[str] = []
            for other, ofid in cols.items():
                if other == core or other[:len(parent)] != parent or len(other) <= len(parent):
                    continue
                rest = other[len(parent):]
                head = other[:len(parent) + 1]
                subtotal = any(o[:len(parent) + 1] == head and o[-1] in totals for o in cols)
                if (len(rest) == 1 and rest[0] not in totals) or (
                        len(rest) == 2 and (rest[1] in totals or not subtotal)):
                    parts.append(ofid)
            if parts:
                figs.relate(fid, Call("sum", tuple(parts)))


# ---------------------------------------------------------------------- reading the tables
def _year(pendings: Sequence[_Pending], pages: Sequence[_Page]) -> int | None:
    years = Counter(int(m.group(1)) for p in pendings for m in _YEAR.finditer(_squash(p.title)))
    if not years:
        for page in pages[:3]:
            for ln in page.lines:
                years.update(int(m.group(1)) for m in _YEAR.finditer(_squash(ln.text)))
    return years.most_common(1)[0][0] if years else None


def _final_accounts(pages: Sequence[_Page]) -> bool:
    """Whether the cover calls the document final accounts (决算) rather than a budget."""
    cover = "".join(_squash(ln.text) for page in pages[:2] for ln in page.lines[:8])
    return "决算" in cover and not re.search(r"(?:部门|单位)预算(?!执行)", cover)


def _tables(pages: Sequence[_Page], source: str, problems: list[Problem],
            year_hint: int | None = None, final: bool | None = None
            ) -> tuple[list[_Built], dict[str, str]]:
    pendings = _assemble(pages, problems)
    final = _final_accounts(pages) if final is None else final
    for p in pendings:
        if final and p.phase == "budget" and "预算" not in _squash(p.title):
            p.phase = "final"
    titled = Counter(int(m.group(1)) for p in pendings for m in _YEAR.finditer(_squash(p.title)))
    year = (titled.most_common(1)[0][0] if titled else None) or year_hint or _year(pendings,
                                                                                  pages)
    if year is None and any(p.name for p in pendings):
        problems.append(Problem("no year (20xx年) found in the titles or the first pages; "
                                "tables are read with year 0", severity="warning"))
    built: list[_Built] = []
    meta: dict[str, str] = {}
    for p in pendings:
        if p.name is None:
            if p.grids:
                problems.append(Problem(f"{_squash(p.title)!r} is not one of the standard "
                                        "tables: not read", p.page, severity="info"))
            continue
        if not p.grids and p.body:
            problems.append(Problem("the table has no ruling lines and could not be read as a "
                                    "grid: not read", p.page, p.name, "error"))
            continue
        b = _build(p, year or 0, source, problems, {pg.number: pg.name for pg in pages
                                                    if pg.name})
        if b is None:
            continue
        if any(x.table.name == b.table.name for x in built):
            problems.append(Problem("a second table of this name: its figures are kept, its "
                                    "view is not", p.page, p.name, "warning"))
            b = _Built(b.table, None, [replace(f, id=f"{f.id}@p{p.page}", selector=None)
                                       for f in b.figures])
        built.append(b)
        if p.entity and "entity" not in meta:
            meta["entity"] = p.entity
    return built, meta


def _page_at(starts: Sequence[tuple[int, int]], offset: int) -> int | None:
    if not starts:
        return None
    i = bisect_right([s for s, _ in starts], offset) - 1
    return starts[max(i, 0)][1]


# ---------------------------------------------------------------------- text ↔ tables
_MONEY_UNITS: Final = ("元", "万元", "亿元", "千元")
_LINK_ORDER: Final = (_GPB, _EXPENDITURE, _APPROPRIATION, _SUMMARY, _INCOME, _GPB_BASIC, _GOVFUND,
                      _SANGONG)


def _canon_label(label: str) -> str:
    s = _ENUM.sub("", _squash(label))
    s = re.sub(r"[“”\"'‘’]|[（(](?:类|款|项)[）)]|科目$", "", s)
    s = re.sub(r"^(?:本年|当年)", "", s)
    m = re.fullmatch(r"(收入|支出)(?:预算|决算)?(?:数)?(?:合计|总计|小计)?", s)
    if m:
        return f"{m.group(1)}合计"
    return s


def _converted(value: Decimal, unit: str, to: str) -> Decimal:
    return value * fen_per(unit) / fen_per(to)


def _agrees(t: StatedFigure, n: StatedFigure) -> bool:
    """Whether table figure ``t``, rounded as narrative figure ``n`` is printed, gives ``n``."""
    exact = _converted(t.value, t.unit, n.unit)
    return n.round(exact) == n.value


@dataclass(frozen=True)
class _Target:
    figure: StatedFigure
    table: PdfTable
    code: str | None
    column: str
    label: str
    chain: tuple[str, ...] = ()  # names of the code's 类, 款, 项 as the table prints them


def _name(text: str) -> str:
    return _ENUM.sub("", _squash(text)).replace("其它", "其他")


def _class_path(label: str) -> tuple[str, ...]:
    """The names in a narrative label ("“一般公共服务支出（类）财政事务（款）行政运行（项）”")."""
    s = re.sub(r"[“”\"'‘’]|科目$", "", _squash(label))
    if not re.search(r"[（(](?:类|款|项)[）)]", s):
        return ()
    names = [_name(x) for x in re.split(r"[（(](?:类|款|项)[）)]", s)]
    return tuple(x for x in names if x)


def _targets(built: Sequence[_Built]) -> list[_Target]:
    out = []
    order = {name: i for i, name in enumerate(_LINK_ORDER)}
    for b in sorted(built, key=lambda b: order.get(b.table.name, 99)):
        names = {r.code: _name(r.label) for r in b.table.rows if r.code}
        for f in b.figures:
            parts = f.id.split(".")
            column = "total" if len(parts) <= 3 or (
                parts[2] in ("in", "out", "row") and len(parts) <= 4) else parts[-1]
            code = parts[2] if len(parts) > 2 and _FULL_CODE.match(parts[2]) else None
            label = f.label_zh
            if b.table.name == _SANGONG:
                label = "三公." + (parts[2] if len(parts) > 2 else "")
            chain = tuple(names.get(code[:n], "") for n in (3, 5, 7) if code and len(code) >= n)
            out.append(_Target(f, b.table, code, column, _canon_label(label), chain))
    return out


def _by_label_order(t: _Target) -> int:
    """For a match by label, the summary tables state the quantities the text names first."""
    order = (_SUMMARY, _APPROPRIATION, _INCOME, _EXPENDITURE, _GPB, _SANGONG, _GPB_BASIC,
             _GOVFUND)
    return order.index(t.table.name) if t.table.name in order else 99


def _narrative_code(f: StatedFigure) -> str | None:
    if f.selector is None:
        return None
    for dim in ("function", "economic"):
        codes = f.selector.criteria.get(dim)
        if codes and len(codes) == 1:
            return codes[0]
    return None


def _link(text_figs: Sequence[StatedFigure], built: Sequence[_Built]
          ) -> tuple[list[StatedFigure], list[StatedFigure]]:
    """Give each narrative amount that states a table's quantity a ``same(...)`` relation to it:
    matched by classification code (whatever the value, so a contradiction shows), or by label
    and value. Where the units differ, the table figure is restated exactly in the narrative's
    unit as a derived companion figure, because relations compare printed values."""
    targets = _targets(built)
    out: list[StatedFigure] = []
    companions: dict[str, StatedFigure] = {}
    for n in text_figs:
        if n.kind != "amount" or n.status != "stated" or n.unit not in _MONEY_UNITS:
            out.append(n)
            continue
        code = _narrative_code(n)
        label = _canon_label(n.label_zh)
        if "三公" in label or any(k in label for k in ("因公出国", "公务用车", "公务接待",
                                                       "机关运行")):
            key = _sangong_key([n.label_zh.replace("“三公”经费", "合计")]) if "三公" not in \
                label else "total"
            label = f"三公.{key}"
        same_year = [t for t in targets if t.figure.year == n.year and t.column == "total"]
        chosen = None
        if code:
            coded = [t for t in same_year if t.code == code]
            chosen = next((t for t in coded if _agrees(t.figure, n)), coded[0] if coded else None)
        path = _class_path(n.label_zh)
        if chosen is None and path:
            named = [t for t in same_year if t.chain and t.chain[-len(path):] == path]
            chosen = next((t for t in named if _agrees(t.figure, n)), named[0] if named else None)
            chosen = chosen or next((t for t in same_year if t.chain and t.chain[-1] == path[-1]
                                     and _agrees(t.figure, n)), None)
        if chosen is None:
            chosen = next((t for t in sorted(same_year, key=_by_label_order)
                           if t.label == label and _agrees(t.figure, n)), None)
        if chosen is None:
            out.append(n)
            continue
        t = chosen.figure
        target_id = t.id
        if t.unit != n.unit:
            target_id = f"{t.id}@{n.unit}"
            if target_id not in companions:
                companions[target_id] = StatedFigure(
                    id=target_id, year=t.year, label_zh=t.label_zh, label_en=t.label_en,
                    value=_converted(t.value, t.unit, n.unit), unit=n.unit,
                    precision=_converted(t.precision, t.unit, n.unit), kind="amount",
                    selector=None, relations=(), status="derived", sentence=t.sentence,
                    note=f"{t.id} ({t.printed}{t.unit}) restated exactly in {n.unit}")
        out.append(replace(n, relations=(*n.relations, Call("same", (target_id,)))))
    return out, list(companions.values())


class _Locator:
    """Find a figure's sentence (and its number) in the narrative despite the parser's
    normalisation of punctuation and spacing."""

    def __init__(self, text: str) -> None:
        self.index: list[int] = []
        chars: list[str] = []
        for i, ch in enumerate(text):
            for c in _squash(ch):
                chars.append(c)
                self.index.append(i)
        self.flat = "".join(chars)

    def find(self, sentence: str, printed: str) -> int | None:
        s = _squash(sentence)
        if not s:
            return None
        at = self.flat.find(s)
        if at < 0:
            return None
        digits = printed.lstrip("-")
        pattern = re.escape(digits).replace(r"\.", r"\.")
        number = re.compile(r"(?<![\d.,])" + r",?".join(pattern) + r"(?![\d])")
        m = number.search(self.flat, at, at + len(s))
        pos = m.start() if m else at
        return self.index[pos]


def _figure_offsets(parsed: ParseResult | None) -> dict[str, int]:
    """Where in the text each stated figure's number was read, by figure id: the parser's own
    offsets, so that a sentence printed twice gives each copy's figure its own place."""
    out: dict[str, int] = {}
    for reading in parsed.readings if parsed else ():
        if reading.use == "figure":
            out.setdefault(reading.detail, reading.start)
    return out


def _combine(parsed: ParseResult | None, text: str, starts: Sequence[tuple[int, int]],
             built: Sequence[_Built], meta: Mapping[str, str], problems: list[Problem],
             source: str, kind: str = "pdf") -> ReadResult:
    views: dict[str, Ledger] = dict(parsed.disclosure.views) if parsed else {}
    text_figs = list(parsed.disclosure.figures) if parsed else []
    locate = _Locator(text)
    pages: dict[str, int] = {}
    at = _figure_offsets(parsed)
    for i, f in enumerate(text_figs):
        offset = at.get(f.id)
        if offset is None:  # a derived figure: where its sentence is
            offset = locate.find(f.sentence, f.printed)
        page = _page_at(starts, offset) if offset is not None else None
        if page is not None:
            pages[f.id] = page
            text_figs[i] = replace(f, note=f"{f.note}; p. {page}" if f.note else f"p. {page}")
    taken = {f.id for f in text_figs}
    for b in built:
        if b.view is not None:
            views[b.table.view] = b.view
    final: list[_Built] = []
    for b in built:
        figs = []
        for f in b.figures:
            if f.selector is not None and f.selector.view not in views:
                f = replace(f, selector=None)
            if f.id in taken:
                f = replace(f, id=f"pdf.{f.id}")
            figs.append(f)
        final.append(_Built(b.table, b.view, figs))
    linked, companions = _link(text_figs, final)
    metadata: dict[str, Any] = dict(parsed.disclosure.metadata) if parsed else {}
    for k, v in meta.items():
        metadata.setdefault(k, v)
    metadata.setdefault("source", source)
    metadata[kind] = {"file": source, "tables": [b.table.name for b in final],
                       "problems": len(problems)}
    disclosure = Disclosure(views=views,
                            figures=(*linked, *(f for b in final for f in b.figures),
                                     *companions),
                            metadata=metadata,
                            indicators=parsed.disclosure.indicators if parsed else None,
                            source_text=text)
    return ReadResult(disclosure, parsed.unparsed if parsed else (),
                      tuple(b.table for b in built), tuple(problems), text, pages, source)
