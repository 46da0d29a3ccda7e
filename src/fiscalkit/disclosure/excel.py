"""Read the standard tables of a disclosure from a spreadsheet workbook (``.xlsx``, ``.xls``).

Many departments publish the tables of their disclosure as a workbook beside the PDF, one
table a sheet, laid out as printed: a title, a unit line (单位：元 / 万元), one or two header
rows, then the rows. :func:`read_excel` reads them into the same :class:`ReadResult` as
:func:`fiscalkit.disclosure.pdf.read_pdf`: tables, one ledger view per coded table, a stated
figure per filled cell, and the problems.

One table logic, two sources
    Each sheet becomes a "page" of the model :mod:`fiscalkit.disclosure.grid` reads PDFs
    from: rows above the table (title, unit, entity) and notes below it become lines, the
    header and data rows a grid of cells whose geometry is the sheet's rows and columns
    (merged cells span theirs). The same code then recognises the table by its title
    (:func:`classify_title`; the sheet's name stands in when no row holds a title), finds the
    header rows, the code columns (one cell, or separate 类/款/项 cells), the unit, and follows
    a table onto the next sheet when that sheet has no title of its own. The sheet's number
    (first sheet 1) is what ``page`` means in the result, its name is in
    :attr:`PdfTable.sheets <fiscalkit.disclosure.grid.PdfTable.sheets>` and
    :attr:`Problem.sheet <fiscalkit.disclosure.grid.Problem.sheet>`, and a cell that is not an
    amount is reported with its address ("F7").

Numbers are exact
    A spreadsheet stores a number as a binary float: 1234.56 is 1234.5599999999999…
    fiscalkit never keeps the float. It takes the shortest decimal that reads back as the
    same float (Python's ``repr``), rounds it to the 15 significant digits a spreadsheet
    program keeps (which removes the noise of a formula's sum, 0.30000000000000004), and
    states it at the precision the cell's number format shows (``#,##0.00`` → two decimals).
    A cell whose stored value has more decimals than its format shows is read as shown, like
    the printed table, and reported. Text cells ("1,234.56") are read as printed. A formula
    whose value was never saved (a file written by a program, not a spreadsheet) is not
    guessed: it is reported as not an amount.

Hidden rows, columns and sheets are not printed: they are left out and each is reported.
``.xlsx`` is read with openpyxl and ``.xls`` with xlrd (with its formatting, for merged cells
and number formats): both come with the extra ``fiscalkit[excel]``.

>>> _number_text(1234.56, "#,##0.00")
('1234.56', None)
>>> _number_text(0.1 + 0.2, "General")
('0.3', None)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from fiscalkit.disclosure.grid import (
    _CAPTION,
    _NOTE,
    _SENTENCE,
    Problem,
    ReadResult,
    _Cell,
    _combine,
    _Grid,
    _is_amount,
    _join_wrapped,
    _Line,
    _looks_like_title,
    _Page,
    _squash,
    _tables,
    classify_title,
)
from fiscalkit.errors import CorruptFileError, ParseError

__all__ = ["EXCEL_SUFFIXES", "read_excel"]

#: The suffixes :func:`read_excel` reads.
EXCEL_SUFFIXES: Final = (".xlsx", ".xlsm", ".xls")

_COL_W: Final = 60.0  # the width of a column and the height of a row in the page model
_ROW_H: Final = 20.0
_SIZE: Final = 12.0  # the "font size" of a line made from a row
_Box = tuple[float, float, float, float]  # x0, x1, top, bottom


# ---------------------------------------------------------------------- a sheet, read
@dataclass
class _Sheet:
    """One worksheet as text: what each cell shows, its merged ranges, what is hidden."""

    index: int  # 1-based position in the workbook
    name: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col), 1-based
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # problems found while reading cells


def _ref(row: int, col: int) -> str:
    """A cell's address: ``_ref(7, 6)`` is ``"F7"``."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


# ---------------------------------------------------------------------- numbers
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def _format_places(fmt: str | None) -> tuple[int, int] | None:
    """The (fewest, most) decimals a number format shows; ``None`` for General or text.

    >>> _format_places("#,##0.00_ ;[Red]-#,##0.00 "), _format_places("0.0#"), _format_places("0")
    ((2, 2), (1, 2), (0, 0))
    >>> _format_places("General") is None
    True
    """
    if not fmt or fmt.strip().lower() in ("general", "@"):
        return None
    section = _FORMAT_NOISE.sub("", fmt.split(";")[0])
    if not re.search(r"[0#?]", section):
        return None
    m = re.search(r"\.([0#?]*)", section)
    if not m:
        return 0, 0
    return m.group(1).count("0"), len(m.group(1))


def _fifteen(d: Decimal) -> Decimal:
    """``d`` rounded to the 15 significant digits a spreadsheet program keeps."""
    if d == 0:
        return Decimal(0)
    return d.quantize(Decimal(1).scaleb(d.adjusted() - 14), rounding=ROUND_HALF_UP)


def _plain(d: Decimal) -> str:
    """A decimal as plain digits without trailing zeros after the point ("1000", "0.3")."""
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number_text(value: float | int | Decimal, fmt: str | None) -> tuple[str, str | None]:
    """A numeric cell as the text of an exact amount, and a note if the format hides digits.

    The float goes through its shortest round-trip decimal (``repr``), never through
    binary arithmetic; the result is stated at the format's decimals.

    >>> _number_text(1234.56, "0.00"), _number_text(1000.0, "General"), _number_text(6, "00")
    (('1234.56', None), ('1000', None), ('06', None))
    >>> _number_text(1234.5678, "#,##0.00")
    ('1234.57', 'holds 1234.5678 but shows 1234.57: read as shown')
    >>> _number_text(1234.5, "#,##0.00"), _number_text(0.125, "0%")
    (('1234.50', None), ('13%', None))
    """
    if isinstance(value, float):
        try:
            d = Decimal(repr(value))
        except InvalidOperation:  # pragma: no cover - repr of a float is always a decimal
            return repr(value), None
        if not d.is_finite():
            return repr(value), None
        d = _fifteen(d)
    else:
        d = Decimal(value)
    places = _format_places(fmt)
    if fmt and "%" in _FORMAT_NOISE.sub("", fmt.split(";")[0]):
        d = d * 100  # a percentage is shown as one: never an amount of money
        shown = d if places is None else d.quantize(Decimal(1).scaleb(-places[1]),
                                                    rounding=ROUND_HALF_UP)
        return _plain(shown) + "%", None
    if places is None:
        return _plain(d), None
    fewest, most = places
    shown = d.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
    note = None if shown == d else f"holds {_plain(d)} but shows {_plain(shown)}: read as shown"
    text = format(shown, "f")
    if most > fewest and "." in text:  # optional digits (#) show no trailing zeros
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(fewest, "0")
        text = f"{whole}.{frac}" if frac else whole
    digits = _FORMAT_NOISE.sub("", (fmt or "").split(";")[0]).strip()
    if re.fullmatch(r"0{2,}", digits) and re.fullmatch(r"\d+", text):
        text = text.zfill(len(digits))  # "00": a code shown with its leading zero
    return text, note


def _text_of(value: object, fmt: str | None, where: str, notes: list[str]) -> str:
    """What a cell shows, as text the table reader parses (amounts as exact decimals)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | int | Decimal):
        text, note = _number_text(value, fmt)
        if note:
            notes.append(f"{where} {note}")
        return text
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    lines = [x.strip() for x in str(value).splitlines() if x.strip()]
    out = ""
    for x in lines:
        out = _join_wrapped(out, x)
    return out


# ---------------------------------------------------------------------- .xlsx and .xls
def _excel_error(path: Path, e: Exception) -> CorruptFileError:
    return CorruptFileError(f"not a readable workbook, damaged or truncated "
                            f"({type(e).__name__}: {e})", where=str(path))


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"reading spreadsheets needs {module}: pip install 'fiscalkit[excel]'"
                          ) from e


def _xlsx_sheets(path: Path) -> tuple[list[_Sheet], list[str]]:
    """The sheets of an ``.xlsx`` workbook (openpyxl), and the names of hidden sheets."""
    openpyxl = _need("openpyxl")
    try:
        formulas = openpyxl.load_workbook(path, data_only=False)
        values = openpyxl.load_workbook(path, data_only=True) if any(
            c.data_type == "f" for ws in formulas.worksheets for row in ws.iter_rows()
            for c in row) else formulas
    except FileNotFoundError:
        raise
    except Exception as e:  # zipfile, XML and openpyxl's own errors: not a workbook
        raise _excel_error(path, e) from None
    sheets, hidden = [], []
    for index, (ws, fws) in enumerate(zip(values.worksheets, formulas.worksheets, strict=True),
                                      1):
        if ws.sheet_state != "visible":
            hidden.append(ws.title)
            continue
        sheet = _Sheet(index, ws.title)
        for row in ws.iter_rows():
            for c in row:
                value = c.value
                if value is None and values is not formulas:
                    formula = fws.cell(row=c.row, column=c.column).value
                    if isinstance(formula, str) and formula.startswith("="):
                        value = formula  # no saved value: shown as the formula, not read
                        sheet.notes.append(f"{_ref(c.row, c.column)} holds a formula "
                                           f"({formula}) whose value was never saved")
                text = _text_of(value, c.number_format, _ref(c.row, c.column), sheet.notes)
                if text:
                    sheet.texts[(c.row, c.column)] = text
        sheet.merged = [(m.min_row, m.min_col, m.max_row, m.max_col)
                        for m in ws.merged_cells.ranges]
        for dim in ws.column_dimensions.values():
            if dim.hidden:
                sheet.hidden_cols.update(range(dim.min or 1, (dim.max or dim.min or 1) + 1))
        sheet.hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        sheets.append(sheet)
    return sheets, hidden


def _xls_sheets(path: Path) -> tuple[list[_Sheet], list[str]]:
    """The sheets of a legacy ``.xls`` workbook (xlrd, with its formatting)."""
    xlrd = _need("xlrd")
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except FileNotFoundError:
        raise
    except Exception as e:  # xlrd.XLRDError, struct errors, … for a damaged file
        raise _excel_error(path, e) from None
    sheets, hidden = [], []
    for index in range(book.nsheets):
        ws = book.sheet_by_index(index)
        if getattr(ws, "visibility", 0):
            hidden.append(ws.name)
            continue
        sheet = _Sheet(index + 1, ws.name)
        for r in range(ws.nrows):
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                value: object = cell.value
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(cell.value, "#ERROR")
                fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
                text = _text_of(value, fmt.format_str if fmt else None, _ref(r + 1, c + 1),
                                sheet.notes)
                if text:
                    sheet.texts[(r + 1, c + 1)] = text
        sheet.merged = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in ws.merged_cells]
        sheet.hidden_cols = {c + 1 for c, info in ws.colinfo_map.items() if info.hidden}
        sheet.hidden_rows = {r + 1 for r, info in ws.rowinfo_map.items() if info.hidden}
        sheets.append(sheet)
    return sheets, hidden


# ---------------------------------------------------------------------- a sheet as a page
@dataclass(frozen=True)
class _Block:
    """A run of sheet rows: lines (title, unit, notes) or a grid (header and data)."""

    grid: bool
    rows: tuple[int, ...]


def _is_line_row(texts: Sequence[str], in_grid: bool) -> bool:
    """Whether a row is a *line* (title, unit, entity, note) rather than a row of a grid."""
    squashed = [_squash(t) for t in texts]
    titles = [t for t in texts if _looks_like_title(t) and not _is_amount(t)]
    captions = [s for s in squashed if _CAPTION.search(s) and not _SENTENCE.search(s)]
    if not in_grid:
        return len(texts) == 1 or len(titles) + len(captions) == len(texts)
    if len(texts) == 1:
        s = squashed[0]
        return bool(titles or _NOTE.match(s) or _SENTENCE.search(s) or len(s) > 40)
    return bool(captions) and len(titles) + len(captions) == len(texts)


def _blocks(sheet: _Sheet, rows: Sequence[int], starts: Mapping[int, list[int]]) -> list[_Block]:
    """Split the sheet's shown rows into line rows and grid rows."""
    blocks: list[_Block] = []
    current: list[int] = []
    in_grid = False
    for r in rows:
        texts = [sheet.texts[(r, c)] for c in starts.get(r, [])]
        if not texts:
            continue
        line = _is_line_row(texts, in_grid)
        if line == in_grid or not current:
            if current:
                blocks.append(_Block(in_grid, tuple(current)))
            current, in_grid = [], not line
        current.append(r)
    if current:
        blocks.append(_Block(in_grid, tuple(current)))
    return blocks


def _sheet_page(sheet: _Sheet, problems: list[Problem]) -> _Page:
    """A worksheet in the page model: lines for rows outside tables, grids for tables."""
    shown_rows = sorted({r for r, _ in sheet.texts} - sheet.hidden_rows)
    last = max([c for _, c in sheet.texts] + [m[3] for m in sheet.merged], default=0)
    shown_cols = [c for c in range(1, last + 1) if c not in sheet.hidden_cols]
    dropped = [(r, c) for r, c in sheet.texts if r in sheet.hidden_rows or
               c in sheet.hidden_cols]
    if dropped:
        problems.append(Problem(
            f"{len(dropped)} filled cell(s) in hidden rows or columns (e.g. "
            f"{_ref(*min(dropped))}) are not printed: not read", sheet.index, severity="info"))
    # geometry: shown rows one after another (empty rows take no room); shown columns at the
    # same place on every sheet, so that a table continued on the next sheet lines up
    ys = {r: i * _ROW_H for i, r in enumerate(shown_rows)}
    xs = {c: i * _COL_W for i, c in enumerate(shown_cols)}
    spans: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in sheet.merged:
        spans[(r0, c0)] = (r0, c0, r1, c1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
                       if (r, c) != (r0, c0))
    for r, c in sorted(covered & sheet.texts.keys()):
        problems.append(Problem(f"{_ref(r, c)} is hidden under a merged cell: not read",
                                sheet.index, severity="info"))
        del sheet.texts[(r, c)]
    starts: dict[int, list[int]] = {}
    for r, c in sorted(sheet.texts):
        if r in ys and c in xs:
            starts.setdefault(r, []).append(c)
    lines: list[_Line] = []
    grids: list[_Grid] = []

    def box(r: int, c: int) -> _Box | None:
        r0, c0, r1, c1 = spans.get((r, c), (r, c, r, c))
        rs = [ys[x] for x in range(r0, r1 + 1) if x in ys]
        cs = [xs[x] for x in range(c0, c1 + 1) if x in xs]
        if not rs or not cs:
            return None
        return min(cs), max(cs) + _COL_W, min(rs), max(rs) + _ROW_H

    for block in _blocks(sheet, shown_rows, starts):
        if not block.grid:
            for r in block.rows:
                for c in starts[r]:
                    b = box(r, c)
                    if b is not None:
                        lines.append(_Line(sheet.index, sheet.texts[(r, c)], b[0], b[1],
                                           ys[r], ys[r] + _SIZE, _SIZE))
            continue
        grids.append(_block_grid(sheet, block, xs, ys, starts, covered, box))
    if not any(_looks_like_title(ln.text) for ln in lines):
        named = next((t for t in (sheet.name, sheet.name + "表") if _looks_like_title(t)
                      and classify_title(t)), None)
        if named is not None:  # the sheet's name is the table's title
            lines.insert(0, _Line(sheet.index, named, 0.0, _COL_W, -_ROW_H, -_ROW_H + _SIZE,
                                  _SIZE))
        elif grids:
            problems.append(Problem(
                "the sheet has no title (in its first rows or its name): a table on it is read "
                "as the continuation of the table before, if any", sheet.index, severity="info"))
    chars = sum(len(t) for t in sheet.texts.values())
    width = max(len(shown_cols), 1) * _COL_W
    height = max(len(shown_rows), 1) * _ROW_H
    return _Page(sheet.index, width, height, chars, lines, grids, [], sheet.name)


def _block_grid(sheet: _Sheet, block: _Block, xs: Mapping[int, float],
                ys: Mapping[int, float], starts: Mapping[int, Sequence[int]],
                covered: set[tuple[int, int]], box: Callable[[int, int], _Box | None]) -> _Grid:
    """The grid of cells of a run of table rows, empty cells included, merged cells once:
    the columns from the leftmost filled cell to the right end of the rightmost."""
    filled = [b for r in block.rows for c in starts[r] if (b := box(r, c)) is not None]
    left, right = min(b[0] for b in filled), max(b[1] for b in filled)
    cols = [c for c, x in xs.items() if left <= x < right]
    rows: list[list[_Cell]] = []
    for r in block.rows:
        cells = []
        for c in cols:
            if (r, c) in covered:
                continue
            b = box(r, c)
            if b is None:
                continue
            text = sheet.texts.get((r, c), "")
            cells.append(_Cell(b[0], b[1], b[2], b[3], text, (text,) if text else (),
                               _ref(r, c)))
        rows.append(cells)
    top, bottom = ys[block.rows[0]], ys[block.rows[-1]] + _ROW_H
    bounds = sorted(xs[c] for c in cols)
    return _Grid(sheet.index, left, right, top, bottom, rows, [*bounds, right], aligned=True)


# ---------------------------------------------------------------------- reading a workbook
def _sheets(path: Path) -> tuple[list[_Sheet], list[str]]:
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES:
        raise ParseError(f"not a workbook ({suffix or 'no suffix'}): expected "
                         f"{', '.join(EXCEL_SUFFIXES)}", where=str(path))
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    return _xls_sheets(path) if suffix == ".xls" else _xlsx_sheets(path)


def _workbook_pages(path: str | Path, problems: list[Problem]) -> list[_Page]:
    """The sheets of a workbook as pages of the table reader's model (sheet *n* is page *n*).

    Problems met while reading the cells (hidden content, formulas without a saved value,
    digits a number format hides) are appended to ``problems``. For readers that combine a
    workbook's tables with another document (:func:`fiscalkit.disclosure.pdf.read_pdf`'s
    ``tables_path``).

    >>> import pathlib, tempfile
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> wb.active.title = "收支总表"
    >>> wb.active.append(["收入", "金额", "支出", "金额"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb.save(pathlib.Path(tmp, "t.xlsx"))
    ...     pages = _workbook_pages(pathlib.Path(tmp, "t.xlsx"), [])
    >>> [(p.number, p.name, len(p.grids), [ln.text for ln in p.lines]) for p in pages]
    [(1, '收支总表', 1, ['收支总表'])]
    """
    path = Path(path)
    sheets, hidden = _sheets(path)
    for name in hidden:
        problems.append(Problem(f"the sheet {name!r} is hidden: not read", severity="info"))
    pages = []
    for sheet in sheets:
        page = _sheet_page(sheet, problems)
        problems += [Problem(n, sheet.index, severity="warning") for n in sheet.notes]
        pages.append(page)
    if not any(p.chars for p in pages):
        raise ParseError("the workbook has no filled cell", where=str(path))
    return pages


def _name_sheets(problems: Iterable[Problem], pages: Sequence[_Page]) -> list[Problem]:
    """The problems with the name of the sheet each one's page number stands for.

    >>> page = _Page(2, 60.0, 20.0, 4, [], [], [], "表二")
    >>> [str(p) for p in _name_sheets([Problem("no unit", 2, "收支总表")], [page])]
    ["warning: sheet '表二', 收支总表: no unit"]
    """
    names = {p.number: p.name for p in pages}
    return [replace(p, sheet=names[p.page]) if p.page in names and not p.sheet else p
            for p in problems]


def read_excel(path: str | Path) -> ReadResult:
    """Read the standard tables of a disclosure from a workbook (``.xlsx`` or ``.xls``).

    The result is what :func:`fiscalkit.disclosure.pdf.read_pdf` gives for a PDF of the same
    tables, without a narrative: ``tables`` as read (``page`` = the sheet's number), one
    ledger view ``table:<standard name>`` per coded table, a stated figure per filled cell,
    and ``problems``. A file that is not a readable workbook raises
    :class:`~fiscalkit.errors.CorruptFileError`; a missing ``openpyxl``/``xlrd`` raises
    ``ImportError`` naming the extra ``fiscalkit[excel]``.

    >>> import pathlib, tempfile
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> ws = wb.active
    >>> ws.append(["2025年部门一般公共预算支出功能分类预算表"])
    >>> ws.append(["单位：元"])
    >>> ws.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    >>> ws.append(["201", "一般公共服务支出", 1234.56, 1000, 234.56])
    >>> ws.append(["2010101", "行政运行", 1234.56, 1000, 234.56])
    >>> ws.append(["合计", None, 1234.56, 1000, 234.56])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb.save(pathlib.Path(tmp, "gpb.xlsx"))
    ...     result = read_excel(pathlib.Path(tmp, "gpb.xlsx"))
    >>> table = result.table("gpb")
    >>> table.unit, table.total(), table.sheets
    ('元', Decimal('1234.56'), ('Sheet',))
    >>> result.disclosure.views["table:一般公共预算支出表"].frame["amount"].astype(int).tolist()
    [100000, 23456]
    """
    path = Path(path)
    problems: list[Problem] = []
    pages = _workbook_pages(path, problems)
    built, meta = _tables(pages, str(path), problems)
    result = _combine(None, "", [], built, meta, _name_sheets(problems, pages), str(path),
                      kind="workbook")
    return result
