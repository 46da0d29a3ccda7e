"""Read a published budget disclosure (部门预算/决算公开) from its PDF.

A disclosure PDF holds two things fiscalkit models separately: the **narrative** (情况说明),
whose sentences state figures, and the **standard tables** of the national template, whose
rows state the money line by line. :func:`read_pdf` reads both into one
:class:`~fiscalkit.disclosure.Disclosure`, so that :func:`fiscalkit.reconcile.reconcile`
checks the text against the tables and every table against itself.

Why pdfplumber
    It is pure Python (pdfminer.six underneath, no system library or Java runtime to
    install), it exposes every character with its position and every ruling line, and its
    table finder turns the ruled grids these documents are printed from (Excel, WPS, Word)
    into cells, with merged cells kept apart from empty ones. Position is what the reader
    needs: which page a sentence is on, where the running header ends, which header spans
    which column. It is slow (0.05 to 0.25 s a page, nearly all of it pdfminer parsing the
    page's content; ``benchmarks/bench_pdf.py`` measures it), which is acceptable for
    documents of twenty to forty pages.

The narrative
    Text outside the table grids is read line by line, page furniture is dropped (page
    numbers, running headers and footers repeated on several pages, table-of-contents
    leaders, the captions of tables), lines are re-joined across line and page breaks
    (Chinese lines join without a space, a word hyphenated at a line end is re-joined, a
    number split at a line end is re-joined), and paragraphs are kept apart where a line is
    short or the next is indented. Content that a spreadsheet printout repeats at the top of
    the next page (clipped on one page, printed again on the next) is read once. The text
    goes to :func:`fiscalkit.disclosure.text.parse_text`; each figure it states keeps its
    sentence and gets its page number in ``note`` (``"p. 7"``) and in
    :attr:`ReadResult.figure_pages`.

The tables
    Each page becomes lines and ruled grids of cells; :mod:`fiscalkit.disclosure.grid`, which
    the workbook reader (:mod:`fiscalkit.disclosure.excel`) shares, finds the standard tables
    among them by title, reads them across page breaks in the unit they state, builds a ledger
    view and a stated figure per printed cell, and links the narrative's amounts to the
    tables' figures with ``same(...)``.

Not a PDF, or a scan
    A file pdfminer cannot open (truncated, damaged, not a PDF at all) raises
    :class:`~fiscalkit.errors.CorruptFileError`; a PDF none of whose pages has a text layer
    (a scan) raises :class:`~fiscalkit.errors.NoTextLayerError`, since only OCR could read it.
    Both are subclasses of :class:`~fiscalkit.errors.ParseError`, so a corpus run that catches
    :class:`~fiscalkit.errors.FiscalkitError` per file records them and goes on. A document
    with *some* scanned pages is read, and each such page is an error in
    :attr:`ReadResult.problems`.

Wiring: the command line calls :func:`read_any`, which dispatches on the file suffix
(``.pdf`` here, ``.xlsx``/``.xls`` to :func:`fiscalkit.disclosure.excel.read_excel`,
``.txt``/``.text`` to :func:`fiscalkit.disclosure.text.parse_file`, with the tables of a
separate PDF or workbook when ``tables_path`` is given) and always returns a
:class:`ReadResult`.

>>> classify_title("2025年部门一般公共预算支出功能分类预算表")
('一般公共预算支出表', 'budget')
>>> parse_cell("1,234.50")
Decimal('1234.50')
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fiscalkit.disclosure.excel import EXCEL_SUFFIXES, _name_sheets, _workbook_pages
from fiscalkit.disclosure.grid import (
    _ENUM,
    _TOC_LINE,
    STANDARD_TABLES,
    PdfTable,
    Problem,
    ReadResult,
    TableRow,
    _Built,
    _Cell,
    _combine,
    _final_accounts,
    _Grid,
    _Image,
    _is_amount,
    _join_wrapped,
    _Line,
    _looks_like_title,
    _Page,
    _squash,
    _tables,
    _year,
    classify_title,
    parse_cell,
)
from fiscalkit.errors import CorruptFileError, FiscalkitError, NoTextLayerError, ParseError

if TYPE_CHECKING:
    from fiscalkit.disclosure.text import ParseResult

__all__ = [
    "STANDARD_TABLES",
    "PdfTable",
    "Problem",
    "ReadResult",
    "TableRow",
    "classify_title",
    "parse_cell",
    "read_any",
    "read_pdf",
]


# ---------------------------------------------------------------------- page content
def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for p in parts:
        out = _join_wrapped(out, p)
    return _words_text(out.split(" ")) if " " in out else out


def _words_text(words: Sequence[str]) -> str:
    """Words of one line as text: a space only between two ASCII letters or digits."""
    out = ""
    for w in words:
        if not w:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and w[0].isascii() and w[0].isalnum():
            out += " " + w
        else:
            out += w
    return out


def _lines_of(words: Sequence[Mapping[str, Any]], page: int,
              grids: Sequence[_Grid]) -> list[_Line]:
    """Group words into lines by their vertical position, left to right."""
    lines: list[list[Mapping[str, Any]]] = []
    for w in sorted(words, key=lambda w: (round(float(w["top"]), 1), float(w["x0"]))):
        size = float(w["bottom"]) - float(w["top"])
        for line in lines:
            ref = line[0]
            if abs(float(ref["top"]) - float(w["top"])) <= 0.5 * max(size, 1.0) and abs(
                    float(ref["bottom"]) - float(w["bottom"])) <= 0.6 * max(size, 1.0):
                line.append(w)
                break
        else:
            lines.append([w])
    out = []
    for line in lines:
        line.sort(key=lambda w: float(w["x0"]))
        x0 = min(float(w["x0"]) for w in line)
        x1 = max(float(w["x1"]) for w in line)
        top = min(float(w["top"]) for w in line)
        bottom = max(float(w["bottom"]) for w in line)
        size = statistics.median(float(w["bottom"]) - float(w["top"]) for w in line)
        cy = (top + bottom) / 2
        in_grid = any(g.x0 - 1 <= (x0 + x1) / 2 <= g.x1 + 1 and g.top - 1 <= cy <= g.bottom + 1
                      for g in grids)
        out.append(_Line(page, _words_text([str(w["text"]) for w in line]), x0, x1, top,
                         bottom, size, in_grid))
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out


def _grids_of(tables: Iterable[Any], page: int) -> list[_Grid]:
    grids = []
    for t in tables:
        texts = t.extract()
        rows: list[list[_Cell]] = []
        xs: set[float] = set()
        for row, row_texts in zip(t.rows, texts, strict=True):
            cells = []
            for bbox, text in zip(row.cells, row_texts, strict=True):
                if bbox is None:
                    continue
                x0, top, x1, bottom = (float(v) for v in bbox)
                xs.add(round(x0, 1))
                lines = tuple(x.strip() for x in (text or "").split("\n") if x.strip())
                cells.append(_Cell(x0, x1, top, bottom, _cell_text(text), lines))
            rows.append(cells)
        x0, top, x1, bottom = (float(v) for v in t.bbox)
        if sum(len(r) for r in rows) < 2:
            continue
        grids.append(_Grid(page, x0, x1, top, bottom, rows, [*sorted(xs), x1]))
    return grids


def _edge_rows(grid: _Grid, words: Sequence[Mapping[str, Any]]) -> set[int]:
    """Add to a grid the row printed just above or below it without its ruling line (a
    continuation page whose top border is missing): words in one line, touching the grid,
    whose cells under the grid's columns read as a table row (a code or label and amounts).
    Returns the positions in ``words`` of the words taken."""
    taken: set[int] = set()
    if not words or not grid.rows:
        return taken
    size = statistics.median(float(w["bottom"]) - float(w["top"]) for w in words)
    for edge in ("top", "bottom"):
        ref = grid.rows[0] if edge == "top" else grid.rows[-1]
        if not ref:
            continue
        near = [w for w in words if grid.x0 - 1 <= (float(w["x0"]) + float(w["x1"])) / 2
                <= grid.x1 + 1 and (0 <= grid.top - float(w["bottom"]) <= 1.2 * size
                                    if edge == "top" else
                                    0 <= float(w["top"]) - grid.bottom <= 1.2 * size)]
        if not near:
            continue
        band = min(near, key=lambda w: abs(float(w["bottom"]) - grid.top) if edge == "top"
                   else abs(float(w["top"]) - grid.bottom))
        line = [w for w in near if abs(float(w["top"]) - float(band["top"])) <= 0.5 * size]
        top = min(float(w["top"]) for w in line) - 1
        bottom = max(float(w["bottom"]) for w in line) + 1
        cells = []
        for c in ref:
            inside = [str(w["text"]) for w in sorted(line, key=lambda w: float(w["x0"]))
                      if c.x0 <= (float(w["x0"]) + float(w["x1"])) / 2 <= c.x1]
            text = _words_text(inside)
            cells.append(_Cell(c.x0, c.x1, top, bottom, text, (text,) if text else ()))
        if sum(len(c.text) for c in cells) != sum(len(str(w["text"])) for w in line) or \
                not _is_table_row([c.text for c in cells]):
            continue
        if edge == "top":
            grid.rows.insert(0, cells)
            grid.top = top
        else:
            grid.rows.append(cells)
            grid.bottom = bottom
        taken |= {i for i, w in enumerate(words) if any(w is x for x in line)}
    return taken


def _is_table_row(texts: Sequence[str]) -> bool:
    """Whether the texts of a line, cell by cell, read as one row of a table: an amount with
    decimals, no sentence and no title."""
    filled = [t for t in texts if t]
    return len(filled) >= 2 and any(_is_amount(t) and "." in t for t in filled) and not any(
        re.search(r"[，。；：:]", t) or _looks_like_title(t) for t in filled)


def _read_page(number: int, page: Any) -> _Page:
    width, height = float(page.width), float(page.height)
    try:
        visible = page.within_bbox(page.bbox)  # content outside the page box is not printed
    except ValueError:
        visible = page
    grids = _grids_of(visible.find_tables(), number)
    words = visible.extract_words(x_tolerance=2, y_tolerance=2, keep_blank_chars=False)
    used: list[Mapping[str, Any]] = []
    for g in grids:
        free = [w for w in words if not any(w is x for x in used)]
        used += [free[i] for i in _edge_rows(g, free)]  # a row joins one grid only
    lines = _lines_of(words, number, grids)
    area = max(width * height, 1.0)
    images = []
    for im in visible.images:
        share = (float(im["x1"]) - float(im["x0"])) * (float(im["bottom"]) - float(im["top"]))
        if share / area >= 0.05:
            images.append(_Image(number, float(im["top"]), float(im["bottom"]), share / area))
    return _Page(number, width, height, len(visible.chars), lines, grids, images)


# ---------------------------------------------------------------------- page furniture
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_\s]*\d{1,4}[-—–－_\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"\d+\s*/\s*\d+|[-—–－]?\s*[ivxlcIVXLC]+\s*[-—–－]?|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE)


def _mark_furniture(pages: Sequence[_Page]) -> None:
    """Mark page numbers and running headers/footers (text repeated in the top or bottom band
    of several pages) as furniture; table titles are never furniture."""
    keyed: list[tuple[_Line, str]] = []
    for page in pages:
        for ln in page.lines:
            edge = ln.top < 0.1 * page.height or ln.bottom > 0.9 * page.height
            if ln.in_grid:
                continue
            text = _squash(ln.text)
            if (ln.top < 0.12 * page.height or ln.bottom > 0.85 * page.height) and \
                    _PAGE_NUMBER.match(text):
                ln.furniture = True
            elif edge:
                key = re.sub(r"\d+", "#", text)
                keyed.append((ln, key))
    seen: dict[str, set[int]] = {}
    for ln, key in keyed:
        seen.setdefault(key, set()).add(ln.page)
    threshold = max(3, len(pages) // 4)
    for ln, key in keyed:
        if len(seen[key]) >= threshold and classify_title(ln.text) is None:
            ln.furniture = True



# ---------------------------------------------------------------------- the narrative
_TABLE_LABEL = re.compile(r"^附?表[一二三四五六七八九十\d]+[:：.．、]?$")  # "表一" over a title
_TERMINAL = ("。", "；", "！", "？", "：", ".", ";", ":", "!", "?")


def _narrative_lines(pages: Sequence[_Page], problems: list[Problem]) -> list[_Line]:
    """The narrative's lines in reading order, without furniture, tables and their captions,
    and without content a printout repeats at the top of the next page."""
    out: list[_Line] = []
    previous: list[_Line] = []
    for page in pages:
        if page.is_image:
            previous = []
            continue
        lines = [ln for ln in page.lines if not (ln.in_grid or ln.furniture or ln.owned)
                 and not _TOC_LINE.search(ln.text) and not _TABLE_LABEL.match(_squash(ln.text))]
        k = _repeated_head(previous, lines)
        if k:
            problems.append(Problem(f"{k} line(s) at the top repeat the end of the page before "
                                    "(a clipped printout): read once", page.number,
                                    severity="info"))
            lines = lines[k:]
        out += lines
        previous = lines if lines else previous
    return out


def _repeated_head(before: Sequence[_Line], lines: Sequence[_Line]) -> int:
    best = 0
    for k in range(1, min(len(before), len(lines)) + 1):
        if [ln.text for ln in before[-k:]] == [ln.text for ln in lines[:k]] and \
                sum(len(ln.text) for ln in lines[:k]) >= 20:
            best = k
    return best


def _margins(lines: Sequence[_Line]) -> dict[int, tuple[float, float]]:
    """Left and right text margins of each page, from the lines of pages of the same width."""
    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    out: dict[int, tuple[float, float]] = {}
    for page, lns in by_page.items():
        x0s = sorted(ln.x0 for ln in lns)
        x1s = sorted(ln.x1 for ln in lns)
        left = x0s[len(x0s) // 10] if len(x0s) >= 5 else x0s[0]
        right = x1s[-1 - len(x1s) // 10] if len(x1s) >= 5 else x1s[-1]
        out[page] = (left, right)
    return out


def _breaks(a: _Line, b: _Line, margins: Mapping[int, tuple[float, float]],
            gap: float) -> bool:
    """Whether a paragraph ends between line ``a`` and the next line ``b``."""
    size = max(a.size, b.size, 1.0)
    left_b = margins[b.page][0]
    right_a = margins[a.page][1]
    if a.page == b.page and b.top - a.bottom > gap + 0.8 * size:
        return True
    if b.x0 > left_b + 0.8 * size:
        return True
    if a.x1 < right_a - 2 * size:
        return True
    return a.text.rstrip().endswith(_TERMINAL) and bool(_ENUM.match(b.text))


def _narrative(pages: Sequence[_Page], problems: list[Problem]
               ) -> tuple[str, list[tuple[int, int]]]:
    """The narrative as text (one paragraph a line) and where each page starts in it."""
    lines = _narrative_lines(pages, problems)
    if not lines:
        return "", []
    margins = _margins(lines)
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(lines)
            if a.page == b.page and b.top > a.bottom]
    gap = statistics.median(gaps) if gaps else 0.0
    text = ""
    starts: list[tuple[int, int]] = []
    for i, ln in enumerate(lines):
        piece = ln.text.strip()
        if i and _breaks(lines[i - 1], ln, margins, gap):
            text += "\n"
            joined = text + piece
        else:
            joined = _join_wrapped(text, piece)
        offset = len(joined) - len(piece)
        if not starts or starts[-1][1] != ln.page:
            starts.append((offset, ln.page))
        text = joined
    return text, starts


# ---------------------------------------------------------------------- reading a file
def _load(path: Path, problems: list[Problem]) -> list[_Page]:
    """The pages of a PDF, read; a file that is not a readable PDF, or has no text at all,
    raises (a typed :class:`~fiscalkit.errors.ParseError`), a page that fails is a problem."""
    import pdfplumber

    pages: list[_Page] = []
    failed: list[str] = []
    try:
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)  # pdfminer parses the page tree here: it may fail too
            for number, page in enumerate(pdf.pages, 1):
                try:
                    pages.append(_read_page(number, page))
                except Exception as e:  # a damaged page: say so and read the rest
                    failed.append(f"{type(e).__name__}: {e}")
                    problems.append(Problem(f"the page could not be read ({failed[-1]})",
                                            number, severity="error"))
                finally:
                    page.close()
    except FileNotFoundError:
        raise
    except Exception as e:  # pdfminer raises its own zoo for a file that is not a PDF
        raise CorruptFileError(f"not a readable PDF, damaged or truncated ({type(e).__name__}: "
                               f"{e})", where=str(path)) from None
    if not pages:
        why = (f"none of its {count} page(s) could be read ({failed[0]})" if failed else
               "no page found, damaged or truncated")
        raise CorruptFileError(f"not a readable PDF: {why}", where=str(path))
    if not any(p.chars and not p.is_image for p in pages):
        scans = sum(p.is_image for p in pages)
        raise NoTextLayerError(
            f"no page of the PDF has a text layer ({len(pages)} page(s), {scans} of them "
            "images of a page): a scanned document needs OCR before it can be read",
            where=str(path))
    _mark_furniture(pages)
    return pages



def read_pdf(path: str | Path, tables_path: str | Path | None = None) -> ReadResult:
    """Read a disclosure PDF — narrative and standard tables — into one disclosure.

    ``tables_path`` names a second PDF, or a workbook (``.xlsx``/``.xls``), holding the tables
    when a department publishes them apart (the narrative's own PDF is searched for tables
    too). The result's ``disclosure``
    has the narrative parser's views and figures plus one view ``table:<standard name>`` per
    coded table and a figure for every printed cell (ids ``table.<key>.<code or row>[.<column>]``,
    e.g. ``table.gpb.2010601.basic``); a narrative figure that states a table's quantity is
    linked to it with ``same(...)``. ``problems`` lists what could not be read. A file that is
    not a readable PDF raises :class:`~fiscalkit.errors.CorruptFileError`, a scan without a
    text layer :class:`~fiscalkit.errors.NoTextLayerError`.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     damaged = pathlib.Path(tmp, "budget.pdf")
    ...     _ = damaged.write_bytes(b"%PDF-1.7 cut short")
    ...     read_pdf(damaged)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.CorruptFileError: ...budget.pdf: not a readable PDF, damaged or truncated ...
    """
    path = Path(path)
    problems: list[Problem] = []
    pages = _load(path, problems)
    built, meta = _tables(pages, str(path), problems)  # first: it marks titles and captions
    text, starts = _narrative(pages, problems)
    if tables_path is not None:
        tpath = Path(tables_path)
        year = next((f.year for b in built for f in b.figures), None) or _year([], pages)
        more, tmeta = _tables_file(tpath, problems, year, _final_accounts(pages))
        names = {b.table.name for b in built}
        for b in more:
            if b.table.name in names:
                problems.append(Problem(f"{tpath.name} repeats this table: the first read is "
                                        "kept", b.table.pages[0], b.table.name, "warning"))
                continue
            built.append(b)
        meta = {**tmeta, **meta}
    parsed = _parse_narrative(text, str(path), problems)
    return _combine(parsed, text, starts, built, meta, problems, str(path))


def _tables_file(path: Path, problems: list[Problem], year: int | None, final: bool | None
                 ) -> tuple[list[_Built], dict[str, str]]:
    """The tables of a separate file, a PDF or a workbook (whose problems name their sheet)."""
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return _tables(_load(path, problems), str(path), problems, year, final)
    found: list[Problem] = []
    pages = _workbook_pages(path, found)
    built, meta = _tables(pages, str(path), found, year, final)
    problems += _name_sheets(found, pages)
    return built, meta


def _parse_narrative(text: str, source: str, problems: list[Problem]) -> ParseResult | None:
    if not text.strip():
        problems.append(Problem("no narrative text found", severity="warning"))
        return None
    try:
        from fiscalkit.disclosure.text import parse_text
    except ImportError as e:
        problems.append(Problem(f"the narrative parser is not available ({e}): only the "
                                "tables are read", severity="error"))
        return None
    try:
        return parse_text(text, source=source)
    except FiscalkitError as e:
        problems.append(Problem(f"the narrative could not be parsed: {e}", severity="error"))
        return None


def read_any(path: str | Path, tables_path: str | Path | None = None) -> ReadResult:
    """Read a disclosure from a PDF, a workbook or a text file, by its suffix: the command
    line's entry.

    ``.pdf`` goes to :func:`read_pdf`; ``.xlsx``/``.xls`` to
    :func:`fiscalkit.disclosure.excel.read_excel` (a workbook holds its own tables, so it
    takes no ``tables_path``); ``.txt``/``.text`` to
    :func:`fiscalkit.disclosure.text.parse_file`, with the tables of ``tables_path`` (a PDF or
    a workbook) added when given. The result is always a :class:`ReadResult`.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     note = pathlib.Path(tmp, "note.txt")
    ...     _ = note.write_text("2025年收入预算700.01万元。", encoding="utf-8")
    ...     result = read_any(note)
    >>> [(f.value, f.unit) for f in result.disclosure.figures], result.tables
    ([(Decimal('700.01'), '万元')], ())
    >>> read_any("budget.docx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.ParseError: budget.docx: cannot read .docx: expected .pdf, .xlsx, ...
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(p, tables_path)
    if suffix in EXCEL_SUFFIXES:
        if tables_path is not None:
            raise ParseError("a workbook holds its own tables: read it without tables_path",
                             where=str(p))
        from fiscalkit.disclosure.excel import read_excel

        return read_excel(p)
    if suffix not in (".txt", ".text"):
        raise ParseError(f"cannot read {suffix or 'a file without suffix'}: expected .pdf, "
                         ".xlsx, .xls, .xlsm, .txt or .text", where=str(p))
    from fiscalkit.disclosure.text import parse_file

    parsed = parse_file(p)
    problems: list[Problem] = []
    built: list[_Built] = []
    meta: dict[str, str] = {}
    if tables_path is not None:
        year = next((f.year for f in parsed.disclosure.figures if f.year), None)
        final = parsed.disclosure.metadata.get("phase") == "final"
        built, meta = _tables_file(Path(tables_path), problems, year, final or None)
    text = parsed.disclosure.source_text or ""
    return _combine(parsed, text, [], built, meta, problems, str(p))
