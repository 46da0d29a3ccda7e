"""Read a disclosure's narrative text — the national template — into a :class:`Disclosure`.

Thousands of departments publish their budgets (部门预算/单位预算) and final accounts
(部门决算/单位决算) in one national template: parts (第一部分 …), sections (一、二、…),
subsections (（一）（二）…) and items (1. 2. / 1、2、), each stating totals and their parts,
shares, year-on-year changes, the “三公” expenses, 机关运行经费, 政府采购, state assets, special
transfers and the performance targets of projects. :func:`parse_text` reads that narrative —
as typed, or as extracted from a PDF — into a :class:`~fiscalkit.disclosure.Disclosure`: ledger
views, every stated figure with its published precision and the relations its phrasing implies,
and the document's metadata.

Why a dedicated reader rather than a pile of regular expressions over the whole text: a number
means nothing without its place. "0万元" is a figure, "2021年" is not, "1、" numbers a list,
"50万元以上" names a category, "如金额为0" is an instruction to whoever filled in the template.
So the reader first rebuilds the text's structure — lines into paragraphs (undoing PDF line
wrapping and page breaks), paragraphs into sections by their headings (or, where a heading is
missing, by what the paragraph talks about), sentences and clauses — and then reads each number
in its clause. Every number ends up in exactly one :class:`Reading`: a figure, an indicator
target, a number it deliberately skips (with the reason), or **unparsed** — and every sentence
holding an unparsed number is listed in :attr:`ParseResult.unparsed` with its position, so
nothing is ever dropped silently.

What the phrasing says becomes relations (see :mod:`fiscalkit.disclosure.model`):

- "X合计400万元，其中：A 300万元；B 100万元" → ``X: sum(A, B)``; a single part → ``A: le(X)``;
  numbered items and "主要包括：" lists nest;
- "占91%" → a share figure ``share(part, whole)``;
- "减少74万元，下降15.6%" → changes ``diff(new, old)`` and ``pct_change(new, old)`` with the
  prior-year value derived (``status = derived``); "持平" and "与上年一致" are a stated change
  of 0, "本年数小于上年预算数29.65万元" a change of −29.65;
- an amount the text dates to another year ("（2016年度…安排为8,648.07万元）") is that year's,
  and a change stated against it derives this year's value (``sum(old, change)``); a change "按
  与上年统计口径一致相比" is of a value on last year's basis, derived the same way;
- "完成年初预算的98%" → ``share(final, budget)``;
- the same classification item stated twice → ``same``; 机关运行经费 items → ``le`` of the
  economic items; 收入合计 ≤ 收入总计; 实有人数 ≤ 编制; project cost indicators ``same`` as the
  project's funds; the “三公” total is the sum of its three items, and its change the sum of theirs.

Amounts may be in 元, 万元 or 亿元; figures keep the unit they were printed in. Text files may
be UTF-8 (with or without BOM), UTF-16 with BOM or GBK/GB18030; :func:`decode` detects which and
refuses — with a :class:`~fiscalkit.errors.ParseError` naming the byte — what decodes in none.

>>> r = parse_text("第二部分\\n某某局2021年度部门预算情况\\n"
...                "一、收入预算总体情况说明\\n"
...                "某某局2021年收入合计400万元，其中：一般公共预算380.5万元，占95.1%；"
...                "政府性基金19.5万元。与2020年相比，收入合计减少10万元，下降2.4%。")
>>> [(f.label_zh, f.printed, f.unit, f"{f.precision}") for f in r.figures][:3]
[('收入合计', '400', '万元', '1'), ('一般公共预算', '380.5', '万元', '0.1'), \
('一般公共预算占比', '95.1', '%', '0.1')]
>>> d = r.disclosure
>>> [[d.figure(a).label_zh for a in c.args] for c in d.figure("income.total").relations]
[['一般公共预算', '政府性基金']]
>>> prior = d.figure("income.total.2020")
>>> prior.label_zh, prior.value, prior.status, str(prior.relations[0])
('2020年收入合计', Decimal('410'), 'derived', 'diff(income.total, income.total.change)')
>>> r.unparsed
()
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd

from fiscalkit import classification
from fiscalkit.disclosure.model import Call, Disclosure, StatedFigure, parse_selector
from fiscalkit.errors import ParseError
from fiscalkit.ledger import COLUMNS, Ledger
from fiscalkit.units import fen_per

__all__ = ["ParseResult", "ParsedProject", "Reading", "Unparsed", "decode", "parse_file",
           "parse_text"]

Use = Literal["figure", "indicator", "skipped", "unparsed"]


# ====================================================================== public results
@dataclass(frozen=True)
class Reading:
    """How one number of the text was read.

    ``start``/``end`` are offsets in the decoded text, ``line``/``column`` 1-based. ``use`` is
    ``figure`` (``detail`` = the figure id), ``indicator`` (``detail`` = the project),
    ``skipped`` (``detail`` = why it is not a figure: a year, list numbering …) or
    ``unparsed`` (``detail`` = why it could not be read).

    >>> r = parse_text("某局2021年部门预算\\n一、收入预算总体情况说明\\n"
    ...                "某局2021年收入合计400万元。")
    >>> for reading in r.readings:
    ...     print(reading.text, reading.line, reading.column, reading.use, reading.detail)
    2021 1 3 skipped year
    2021 3 3 skipped year
    400 3 12 figure income.total
    """

    text: str
    start: int
    end: int
    line: int
    column: int
    use: Use
    detail: str


@dataclass(frozen=True)
class Unparsed:
    """A sentence holding a number the parser did not interpret, with where it is.

    >>> r = parse_text("某局2021年部门预算\\n一、部门职责\\n负责全县约3成的道路养护。")
    >>> (u,) = r.unparsed
    >>> u.sentence, u.line, u.column, u.numbers
    ('负责全县约3成的道路养护', 3, 1, ('3',))
    >>> u.reason
    'in a section the parser does not read (duties)'
    """

    sentence: str
    start: int
    end: int
    line: int
    column: int
    numbers: tuple[str, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"sentence": self.sentence, "start": self.start, "end": self.end,
                "line": self.line, "column": self.column, "numbers": list(self.numbers),
                "reason": self.reason}


@dataclass(frozen=True)
class ParsedProject:
    """A project of the 绩效目标 section: its funds as printed and its indicators.

    >>> r = parse_text("某局2021年部门预算\\n（四）绩效目标设置情况\\n我部门2021年编制绩效目标的"
    ...                "预算项目共1个，预算资金共5万元，分别是：1.网站运维项目，资金5万元，"
    ...                "绩效目标：数量指标-网站安全巡检100%，时效指标-运维时间1年。")
    >>> (project,) = r.projects
    >>> project.name, project.amount, project.unit, project.precision
    ('网站运维项目', Decimal('5'), '万元', Decimal('1'))
    >>> [(i["level2"], i["name"], i["target"], i["unit"]) for i in project.indicators]
    [('数量', '网站安全巡检', '100', '%'), ('时效', '运维时间', '1', '年')]
    """

    name: str
    amount: Decimal | None
    unit: str
    precision: Decimal | None
    sentence: str
    indicators: tuple[Mapping[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (amounts as printed strings)."""
        return {"name": self.name,
                "amount": None if self.amount is None else f"{self.amount:f}",
                "unit": self.unit,
                "precision": None if self.precision is None else f"{self.precision:f}",
                "sentence": self.sentence, "indicators": [dict(i) for i in self.indicators]}


@dataclass(frozen=True)
class ParseResult:
    """What :func:`parse_text` read: the disclosure, and an account of every number.

    ``unparsed`` lists every sentence holding a number that was not interpreted (empty when
    everything was read); ``readings`` says, number by number, how each was read.

    >>> r = parse_text("某局2021年部门预算\\n一、收入预算总体情况说明\\n某局2021年收入合计400万元，"
    ...                "其中：一般公共预算380万元，政府性基金20万元。")
    >>> [(f.id, f.printed) for f in r.figures], r.unparsed
    ([('income.total', '400'), ('income.gpb', '380'), ('income.govfund', '20')], ())
    >>> r.metadata["entity"], r.metadata["year"], r.metadata["phase"]
    ({'name_zh': '某局'}, 2021, 'budget')
    >>> [(x.text, x.detail) for x in r.skipped]
    [('2021', 'year'), ('2021', 'year')]
    >>> r.to_dict()["figures"][0]["relation"]
    'sum(income.gpb, income.govfund)'
    """

    disclosure: Disclosure
    unparsed: tuple[Unparsed, ...]
    readings: tuple[Reading, ...]
    projects: tuple[ParsedProject, ...] = ()
    encoding: str | None = None
    source: str | None = None

    @property
    def figures(self) -> tuple[StatedFigure, ...]:
        """The stated (and derived) figures, in text order."""
        return self.disclosure.figures

    @property
    def metadata(self) -> Mapping[str, Any]:
        """Entity, year, phase, document kind, staffing, assets, projects …"""
        return self.disclosure.metadata

    @property
    def skipped(self) -> tuple[Reading, ...]:
        """The numbers deliberately not read as figures, each with its reason."""
        return tuple(r for r in self.readings if r.use == "skipped")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: metadata, figures, ledger views, projects, unparsed, skipped."""
        where = {r.detail: r for r in self.readings if r.use == "figure"}
        figures = []
        for f in self.figures:
            at = where.get(f.id)
            figures.append({
                "id": f.id, "year": f.year, "label": f.label_zh, "value": f.printed,
                "unit": f.unit, "precision": f"{f.precision:f}", "kind": f.kind,
                "selector": str(f.selector or ""),
                "relation": "; ".join(map(str, f.relations)), "status": f.status,
                "sentence": f.sentence, "note": f.note,
                "position": None if at is None else {"start": at.start, "end": at.end,
                                                     "line": at.line, "column": at.column}})
        ledger = {}
        for name, view in self.disclosure.views.items():
            frame = view.to_frame("元").astype(object)
            ledger[name] = frame.where(frame.notna(), None).to_dict("records")
        return {"source": self.source, "encoding": self.encoding,
                "metadata": dict(self.metadata), "figures": figures, "ledger": ledger,
                "projects": [p.to_dict() for p in self.projects],
                "unparsed": [u.to_dict() for u in self.unparsed],
                "skipped": [{"number": r.text, "start": r.start, "line": r.line,
                             "column": r.column, "reason": r.detail} for r in self.skipped]}


# ====================================================================== decoding
_COMMON_HAN: Final = frozenset("的一是年元和在有中人为万预算支出收入部门单位")


def decode(data: bytes, *, where: str | None = None) -> tuple[str, str]:
    """Decode a text file's bytes; return the text and the encoding it was in.

    Disclosures come as UTF-8 (often with a BOM from Windows editors), occasionally UTF-16,
    and — from older systems — GBK, whose superset GB18030 decodes it. GB18030 accepts many
    byte strings that are not text, so its result must also look like Chinese text (no control
    characters, no unassigned or private-use code points, common characters present); a file
    that decodes in no encoding raises :class:`ParseError` naming the first bad byte, rather
    than coming back as mojibake.

    >>> decode("预算".encode("gbk"))
    ('预算', 'gb18030')
    >>> decode(codecs.BOM_UTF8 + "预算".encode())
    ('预算', 'utf-8-sig')
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as e:
                raise ParseError(f"starts with a {name} byte-order mark but is not {name} "
                                 f"({e.reason})", where=_byte_where(where, e.start)) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise ParseError(
            f"decodes neither as UTF-8 (bad byte at {utf8_error.start}) nor as GBK/GB18030 "
            f"(bad byte at {e.start})", where=_byte_where(where, utf8_error.start)) from None
    bad = _implausible(text)
    if bad is not None:
        raise ParseError(
            f"not UTF-8 (bad byte at {utf8_error.start}), and as GB18030 it reads as mojibake "
            f"({bad})", where=_byte_where(where, utf8_error.start))
    return text, "gb18030"


def _byte_where(where: str | None, offset: int) -> str:
    """Where a decoding error is: the file (when known) and the byte offset."""
    return f"{where}, byte {offset}" if where else f"byte {offset}"


def _implausible(text: str) -> str | None:
    """Why a GB18030 decoding is not Chinese text, or ``None`` when it plausibly is."""
    han = odd = 0
    for ch in text:
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF:
            han += 1
        elif o < 0x20 and ch not in "\t\n\r\f\v":
            return f"control character U+{o:04X}"
        elif (0xE000 <= o <= 0xF8FF or o > 0xFFFF or 0x80 <= o < 0xA0
              or unicodedata.category(ch) in ("Cn", "Co")):
            odd += 1
    if odd > max(2, len(text) // 100):
        return f"{odd} private-use or unassigned characters"
    if han >= 20 and not _COMMON_HAN.intersection(text):
        return "none of the commonest Chinese characters occurs"
    return None


def _check_text(text: str, source: str | None) -> None:
    """Refuse strings that are not text: binary control bytes, lone surrogates, U+FFFD."""
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n\r\f\v") or 0xD800 <= o <= 0xDFFF or o == 0xFFFD:
            line = text.count("\n", 0, i) + 1
            column = i - (text.rfind("\n", 0, i) + 1) + 1
            what = ("a replacement character U+FFFD: the text was decoded with errors"
                    if o == 0xFFFD else f"character U+{o:04X}, which no text document holds")
            raise ParseError(f"offset {i} holds {what}",
                             where=f"{source or '<text>'}, line {line}, column {column}")


# ====================================================================== canonical text
# The reader works on a canonical copy of the text: NFKC (full-width digits and letters to
# ASCII), Chinese punctuation for clause marks (，；：（）！？ — whichever width the document
# used), whitespace removed inside lines (Chinese has none; PDFs add plenty), and line breaks
# that only wrap a paragraph removed. Every canonical character remembers its offset in the
# original, so sentences are always cut from the original text, verbatim.
_TO_CJK: Final = {";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_NEWLINE: Final = re.compile(r"\r\n|[\r\n\f\v\x85\u2028\u2029]")


@functools.lru_cache(maxsize=8192)
def _canon_char(ch: str) -> str:
    """One character in canonical form (cached: a text has few distinct characters)."""
    if ch.isspace():
        return " "
    if unicodedata.category(ch) == "Cf":  # zero-width and formatting characters
        return ""
    n = unicodedata.normalize("NFKC", ch)
    if n != ch and unicodedata.category(ch) == "No" and n.isascii() and n.isdigit():
        return f"（{n}）"  # ① is list numbering, not the digit 1
    return "".join(_TO_CJK.get(c, c) for c in n)


def _canon(text: str) -> str:
    """The canonical form of a short string (labels, names)."""
    return "".join(_canon_char(c) for c in text if not c.isspace())


_DIGITS: Final = frozenset("0123456789")
_WIDE_DIGITS: Final = frozenset("０１２３４５６７８９")


@dataclass(eq=False)
class _Line:
    no: int
    text: str          # canonical, whitespace kept as single spaces
    pos: list[int]     # original offset of each canonical character
    page_break: bool   # a form feed came before this line
    kind: str = "text"

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())

    @property
    def width(self) -> int:
        return len(self.text.replace(" ", ""))


def _lines(text: str) -> list[_Line]:
    """The text's lines in canonical form, each character mapped to its original offset."""
    out: list[_Line] = []
    start, no, page = 0, 1, False
    for m in [*_NEWLINE.finditer(text), None]:
        end = m.start() if m else len(text)
        parts = [_canon_char(c) for c in text[start:end]]
        canon = "".join(parts)
        if len(canon) == end - start and all(len(c) == 1 for c in parts):
            pos = list(range(start, end))      # the usual case: one character for one
        else:
            pos = [start + i for i, c in enumerate(parts) for _ in c]
        out.append(_Line(no, canon, pos, page))
        if m is None:
            break
        page = m.group() in "\f\v"
        start, no = m.end(), no + 1
    return out


# ---------------------------------------------------------------------- line kinds
_NUMBER_TOKEN: Final = re.compile(r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$")
_PAGE_LINE: Final = re.compile(
    r"^(?:[-—–]\s*[0-9]{1,4}\s*[-—–]|第\s*[0-9]{1,4}\s*页(?:\s*[，/]?\s*共\s*[0-9]{1,4}\s*页)?"
    r"|[0-9]{1,4}\s*/\s*[0-9]{1,4})$")
_BARE_INT: Final = re.compile(r"^[0-9]{1,4}$")
#: A contents line: leaders and a page number, or leaders ending a line that is no sentence
#: ("…占XX%……" ends a sentence left unfinished, not a contents line).
_TOC_LINE: Final = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|-{6,})\s*[0-9]+\s*$"
                              r"|^[^，。；：,;]*(?:\.{4,}|…{2,}|·{4,}|-{6,})\s*$")
_UNIT_START: Final = re.compile(
    r"^\s*(?:亿元|万元|千元|元|%|‰|人次|人|名|个|辆|台|套|项|家|所|处|条|户|件|次)")
_SENTENCE_PUNCT: Final = re.compile(r"[，。；：！？]")
_GAP_THEN_NUMBER: Final = re.compile(r"\S\s{2,}[+-]?[0-9][0-9,.]*\s*$")
_UNIT_LINE: Final = re.compile(r"单位\s*：\s*(亿元|万元|千元|元)")
_HEADER_CELL: Final = re.compile(r"\S+(?: \S+)*")


def _classify_lines(lines: list[_Line]) -> None:
    """Mark blank lines, page numbers, tables of contents and flattened table rows."""
    n = len(lines)
    for i, ln in enumerate(lines):
        s = ln.stripped
        if not s:
            ln.kind = "blank"
        elif _PAGE_LINE.match(s) or (_BARE_INT.match(s) and _at_page_edge(lines, i)):
            ln.kind = "page"
        elif _TOC_LINE.search(s):
            ln.kind = "toc"
        elif _is_table_row(ln, lines[i + 1] if i + 1 < n else None):
            ln.kind = "table"


def _at_page_edge(lines: list[_Line], i: int) -> bool:
    """A bare number next to a form feed (only blank lines between) is a page number."""
    j = i + 1
    while j < len(lines) and not lines[j].stripped and not lines[j].page_break:
        j += 1
    if j >= len(lines) or lines[j].page_break:
        return True
    j = i
    while j > 0 and not lines[j].page_break and not lines[j - 1].stripped:
        j -= 1
    return lines[j].page_break or (j == 0 and i > 0)


def _is_table_row(ln: _Line, following: _Line | None) -> bool:
    """A flattened table row: columns apart, the last one a number, no sentence punctuation."""
    s = ln.stripped
    if _SENTENCE_PUNCT.search(s) or (following is not None and _UNIT_START.match(following.text)):
        return False
    tokens = s.split()
    if len(tokens) < 2 or not _NUMBER_TOKEN.match(tokens[-1]):
        return False
    numeric = [t for t in tokens if _NUMBER_TOKEN.match(t)]
    return len(numeric) >= 2 or bool(_GAP_THEN_NUMBER.search(s))


# ---------------------------------------------------------------------- paragraphs
@dataclass(eq=False)
class _Para:
    s: str
    pos: list[int]
    kind: str                     # text, heading, title, table, toc
    line: int
    level: int | None = None
    section: str | None = None
    heading: str = ""             # the heading text (for headings), or the section's
    row: _Line | None = None      # the line of a table row
    header: list[tuple[int, int, str]] = field(default_factory=list)  # table column heads
    table_unit: str | None = None


_MARKER: Final = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}[、.]|（[一二三四五六七八九十]{1,3}）"
    r"|（[0-9]{1,2}）|[0-9]{1,2}[、.](?![0-9]))")
_HARD_END: Final = re.compile(r"[。！？；：]$")
#: A full-width line that starts like a heading and ends like one is a heading, not the first
#: line of a wrapped paragraph.
_HEADING_END: Final = re.compile(r"(?:说明|情况|概况|职责|职能|构成|设置|解释|目录)）?$")


def _paragraphs(lines: list[_Line], text: str) -> tuple[list[_Para], list[_Line]]:
    """Join wrapped lines into paragraphs; table rows and contents lines stand alone."""
    widths = sorted(ln.width for ln in lines if ln.kind == "text" and ln.width >= 6)
    wrap = widths[int(len(widths) * 0.9)] * 0.8 if len(widths) >= 5 else float("inf")
    paras: list[_Para] = []
    pages: list[_Line] = []
    cur: list[_Line] = []
    unit: str | None = None
    header: list[tuple[int, int, str]] = []
    pending_header: list[_Line] = []

    def flush() -> None:
        if cur:
            paras.append(_join(cur, text))
            cur.clear()

    for ln in lines:
        if ln.kind == "blank":
            continue
        if ln.kind == "page":
            pages.append(ln)
            continue
        if ln.kind in ("table", "toc"):
            flush()
            para = _join([ln], text, keep_spaces=ln.kind == "table")
            para.kind = ln.kind
            if ln.kind == "table":
                if pending_header:
                    header = _header(pending_header)
                    pending_header = []
                para.row, para.header, para.table_unit = ln, header, unit
            paras.append(para)
            continue
        m = _UNIT_LINE.search(ln.text)
        if m:
            unit, header, pending_header = m.group(1), [], []
        elif unit is not None and not _SENTENCE_PUNCT.search(ln.stripped) and (
                len(ln.stripped.split()) >= 2):
            pending_header = [*pending_header[-3:], ln]
        if cur and _soft_break(cur[-1], ln, wrap):
            cur.append(ln)
        else:
            flush()
            cur.append(ln)
    flush()
    return paras, pages


def _soft_break(prev: _Line, ln: _Line, wrap: float) -> bool:
    """Whether the break between two text lines only wraps a paragraph (a PDF line break):
    a full line, or a line that stops inside a clause ("主要原因是本部门⏎无公务用车；") where
    a PDF reader took an indented continuation for a new paragraph."""
    if _MARKER.match(ln.stripped):
        return False
    if _MID_CLAUSE.search(prev.stripped) and _IN_SENTENCE.search(prev.stripped) and \
            _CJK.match(ln.stripped) and _is_heading(prev.stripped) is None:
        return True
    return (prev.width >= wrap and not _HARD_END.search(prev.stripped)
            and not (_MARKER.match(prev.stripped) and _HEADING_END.search(prev.stripped))
            and not (ln.indent >= 2 and ln.indent > prev.indent + 1))


#: A line ending inside a clause: after a character, not a mark that could end a paragraph.
_MID_CLAUSE: Final = re.compile(r"[\u4e00-\u9fff，、]$")
#: A line that is a sentence, not a title or a "名称：…" line: it has a clause mark.
_IN_SENTENCE: Final = re.compile(r"[，；]|,(?![0-9])")


def _header(lines: list[_Line]) -> list[tuple[int, int, str]]:
    """Column heads of a table: the text cells of the lines above its first row."""
    cells: list[tuple[int, int, str]] = []
    for ln in lines:
        for m in _HEADER_CELL.finditer(ln.text):
            if not _NUMBER_TOKEN.match(m.group()):
                cells.append((m.start(), m.end(), m.group().replace(" ", "")))
    return cells


def _join(lines: list[_Line], text: str, *, keep_spaces: bool = False) -> _Para:
    """Concatenate lines into canonical paragraph text: whitespace dropped (except between
    two numbers on one line, where it separates them), wrapped lines joined, and each comma
    decided: a thousands separator inside a number, else the clause mark ，. A full-width
    ，is a thousands separator only between full-width digits (“５，３２８．６”): after an
    ASCII digit it is a clause mark (“共3个，120人…” is two numbers)."""
    chars: list[str] = []
    pos: list[int] = []
    for ln in lines:
        t = ln.text
        for i, c in enumerate(t):
            if c == " ":
                if keep_spaces:
                    if chars and chars[-1] != " ":
                        chars.append(" ")
                        pos.append(ln.pos[i])
                    continue
                prev = chars[-1] if chars else ""
                nxt = t[i + 1:].lstrip()[:1]
                numbered = prev in ".、" and len(chars) > 1 and chars[-2] in _DIGITS
                if (prev in _DIGITS or numbered) and nxt in _DIGITS and chars[-1] != " ":
                    chars.append(" ")
                    pos.append(ln.pos[i])
                continue
            chars.append(c)
            pos.append(ln.pos[i])
    while chars and chars[-1] == " ":
        chars.pop()
        pos.pop()
    for i, c in enumerate(chars):
        if c == ",":
            thousands = (i > 0 and chars[i - 1] in _DIGITS and i + 4 <= len(chars)
                         and all(ch in _DIGITS for ch in chars[i + 1:i + 4])
                         and (i + 4 == len(chars) or chars[i + 4] not in _DIGITS)
                         and (text[pos[i]] == "," or text[pos[i - 1]] in _WIDE_DIGITS))
            if not thousands:
                chars[i] = "，"
    return _Para("".join(chars), pos, "text", lines[0].no)


# ====================================================================== sections
_PART: Final = re.compile(r"^第[一二三四五六七八九十]+部分")
_LEVELS: Final = (
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}[、.]")),
    (2, re.compile(r"^（[一二三四五六七八九十]{1,3}）")),
    (3, re.compile(r"^[0-9]{1,2}[、.](?![0-9])")),
    (4, re.compile(r"^（[0-9]{1,2}）")),
)
_TRAILING_NOTE: Final = re.compile(r"（[^（）]*）$")
_CLAUSE_PUNCT: Final = re.compile("[，：；]")
_FIRST_SENTENCE: Final = re.compile("[。；]")
_AMOUNT_IN: Final = re.compile(r"[0-9](?:亿元|万元|千元|元|%)")
_SECTION_WORDS: Final = (
    ("名词解释", "glossary"), ("三公", "sangong"), ("机关运行", "running"),
    ("政府采购", "procurement"), ("绩效", "performance"), ("国有资产", "assets"),
    ("资产占用", "assets"), ("资产占有", "assets"), ("转移支付", "transfers"),
    ("国有资本", "soe"), ("政府性基金", "govfund"), ("经济分类", "economic"),
    ("基本支出", "economic"), ("财政拨款收入支出", "appropriation"),
    ("财政拨款收支", "appropriation"), ("财政拨款支出", "gpb"), ("一般公共预算", "gpb"),
    ("职责", "duties"), ("职能", "duties"), ("工作任务", "duties"), ("机构设置", "organisation"),
    ("单位构成", "organisation"), ("人员情况", "organisation"), ("基本情况", "organisation"),
    ("概况", "organisation"), ("收入支出", "overview"),
    ("收支", "overview"), ("收入", "income"), ("支出", "expenditure"),
    ("其他重要事项", "other"), ("其他相关情况", "other"),
)
#: What a paragraph talks about, when its heading is missing or says otherwise.
_CUES: Final = (
    (re.compile(r"“?三公”?经费"), "sangong"), (re.compile("机关运行经费"), "running"),
    (re.compile("政府采购(?:预算|支出|金额|总额|合同)"), "procurement"),
    (re.compile("绩效目标"), "performance"),
    (re.compile("专项转移支付"), "transfers"), (re.compile("共有车辆|国有资产"), "assets"),
    (re.compile("经济分类"), "economic"),
    (re.compile("编制[0-9]+(?:人|名)|实有在职|在职(?:职工|人员)[0-9]"), "organisation"),
)
_UNREAD_SECTIONS: Final = frozenset({"duties", "glossary"})


def _section_kind(text: str) -> str | None:
    """The section a heading names, by its first keyword (order matters: 三公 before 支出)."""
    for word, kind in _SECTION_WORDS:
        if word in text:
            return kind
    return None


def _is_heading(s: str) -> int | None:
    """The level of a heading paragraph (0 for 第X部分), or ``None`` for content."""
    if _PART.match(s):
        return 0
    for level, rx in _LEVELS:
        m = rx.match(s)
        if m:
            rest = _TRAILING_NOTE.sub("", s[m.end():])   # "…说明（以下各项内容如金额为0…）"
            if (len(rest) <= 45 and not _CLAUSE_PUNCT.search(rest)
                    and "。" not in rest.rstrip("。") and not _AMOUNT_IN.search(rest)):
                return level
            return None
    return None


def _is_title(s: str) -> bool:
    """An unnumbered short line without punctuation or amounts: a part title or table title."""
    return (4 <= len(s) <= 40 and not _SENTENCE_PUNCT.search(s.rstrip("。"))
            and not _AMOUNT_IN.search(s) and _CJK.search(s) is not None
            and not s.startswith(("无", "注")))


def _assign_sections(paras: list[_Para]) -> None:
    """Give every paragraph its section kind: from the deepest heading that names one, or —
    where a heading is missing — from what the paragraph's first clauses talk about."""
    stack: list[tuple[int, str | None, str]] = []
    override: str | None = None
    previous_heading = False
    for p in paras:
        if p.kind in ("table", "toc"):
            p.section = override or _current(stack)
            previous_heading = False
            continue
        level = _is_heading(p.s)
        if level is None and _is_title(p.s):
            if previous_heading and stack:
                lvl, kind, text = stack[-1]
                stack[-1] = (lvl, kind or _section_kind(p.s), text + p.s)
                p.kind, p.level, p.heading = "title", lvl, stack[-1][2]
                p.section = _current(stack)
                continue
            level = 0
            p.kind = "title"
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, _section_kind(p.s), p.s))
            if p.kind != "title":
                p.kind = "heading"
            p.level, p.heading = level, p.s
            p.section = _current(stack)
            override = None
            previous_heading = True
            continue
        previous_heading = False
        current = _current(stack)
        first = "，".join(_FIRST_SENTENCE.split(p.s, maxsplit=1)[0].split("，")[:2])
        if current not in _UNREAD_SECTIONS:
            for rx, kind in _CUES:
                if rx.search(first):
                    if kind != (override or current):
                        override = kind
                    break
        p.section = override or current
        p.heading = stack[-1][2] if stack else ""


def _current(stack: list[tuple[int, str | None, str]]) -> str | None:
    """The kind of the innermost heading that has one."""
    for _level, kind, _text in reversed(stack):
        if kind is not None:
            return kind
    return None


# ====================================================================== numbers in text
_TOKEN: Final = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_NUMBERED_YEAR: Final = re.compile(r"([0-9]{1,2})\.((?:19|20)[0-9]{2})")
_MONEY: Final = ("亿元", "万元", "千元", "元")
_COUNT: Final = ("人次", "台（套）", "批次", "人", "名", "个", "辆", "台", "套", "项", "家", "所",
                 "处", "条", "户", "件", "次", "批", "期", "篇", "座", "间", "本", "册")
_UNIT: Final = re.compile("|".join(map(re.escape, sorted(
    (*_MONEY, "%", "‰", *_COUNT), key=len, reverse=True))))
_CJK: Final = re.compile(r"[\u4e00-\u9fff]")
#: "收、支总计", "收入、支出总计": the head of the last member of a joint subject.
_JOINT_HEAD: Final = re.compile("^(?:收入|支出|收|支)")
#: What separates the thing counted from the words before it: "内设|6个职能科室",
#: "局机关本级及|所属|32个单位" → 所属单位, "政务大厅进驻|39个单位" keeps its verb.
_COUNT_HEAD: Final = re.compile(
    r"包括|以及|和|及|与|、|内设|下设|设有|现有|共有|拥有|等|由|含|共|有")


@dataclass(eq=False)
class _Tok:
    a: int
    b: int             # the number's span in the paragraph's canonical text
    text: str
    unit: str = ""
    ue: int = 0        # end of the unit
    value: Decimal | None = None
    use: Use | None = None
    detail: str = ""

    @property
    def exponent(self) -> int:
        assert self.value is not None
        e = self.value.as_tuple().exponent
        return e if isinstance(e, int) else 0


def _tokens(s: str) -> list[_Tok]:
    """The digit runs of ``s`` with their value (``None`` if malformed or implausibly long) and
    the unit right after them; "4．2025年" is an item number and a year, not 4.2025."""
    out = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(s):
        numbered_year = _NUMBERED_YEAR.fullmatch(m.group())
        if numbered_year and s.startswith("年", m.end()):  # "4．2025年…": an item, then a year
            spans += [(m.start(), m.start() + numbered_year.end(1)),
                      (m.start() + numbered_year.start(2), m.end())]
        else:
            spans.append((m.start(), m.end()))
    for a, b in spans:
        t = _Tok(a, b, s[a:b])
        if _NUMBER_TOKEN.match(t.text) and len(t.text.replace(",", "").split(".")[0]) <= 15 \
                and len(t.text.partition(".")[2]) <= 6:
            t.value = Decimal(t.text.replace(",", ""))
        u = _UNIT.match(s, t.b)
        if u:
            t.unit, t.ue = u.group(), u.end()
        else:
            t.ue = t.b
        out.append(t)
    return out


# ---------------------------------------------------------------------- skip rules
_INSTRUCTION: Final = re.compile(r"如|若|仍需|不涉及|填写|表述|不列|说明到|依次")
_TABLE_NO_BEFORE: Final = re.compile(r"(?:公开|附表|表)$")
_THRESHOLD_AFTER: Final = re.compile(
    r"(?:万元|元|万|亿元|千元)?(?:（含）)?(?:及?以上|及?以下|以内)")
_LIST_BEFORE: Final = re.compile(
    r"(?:^|[，；：。、）]|其中|分别是|分别为|包括|如下|）)$")


def _skip_reason(s: str, t: _Tok, para: _Para) -> str | None:
    """Why a number is not a figure (a year, a list number …), or ``None``.

    Each rule names what the number is, so that the account of the text says why it was
    skipped; a number no rule claims and no figure reads ends up unparsed.
    """
    a, b = t.a, t.b
    before, after = s[max(0, a - 12):a], s[b:b + 12]
    if para.kind == "toc" and t.b == len(s.rstrip()):
        return "table-of-contents page reference"
    if _YEAR_TOKEN.fullmatch(t.text):
        if _YEAR_AFTER.match(after):
            return "year"
        if _OPEN_BRACKET_END.search(before) and _CLOSE_BRACKET.match(after):
            return "document number (year)"
    if _DOC_NO_BEFORE.search(before) and after.startswith("号"):
        return "document number"
    if _SMALL_INT.fullmatch(t.text) and (
            (_MONTH_DAY.match(after) and _DATE_BEFORE.search(before))
            or _MONTH_THEN_DAY.match(after)):
        return "date"
    if before.endswith("第"):
        return "ordinal"
    if len(t.text) <= 3 and not t.unit and (_TABLE_NO_BEFORE.search(before) or
                                            after.startswith("表")):
        return "table number"
    if _OPEN_QUOTE_END.search(before) and _CLOSE_QUOTE.match(after):
        return "quoted code (not an amount)"
    if _PHONE_BEFORE.search(before) or _PHONE_AFTER.match(after):
        return "telephone number"
    if ((t.unit in ("", *_MONEY) and _THRESHOLD_AFTER.match(s, t.b))
            or _THRESHOLD_BEFORE.search(before)):
        return "threshold in a category name"
    if _SMALL_INT.fullmatch(t.text) and not t.unit and (
            _NUMBERING_AFTER.match(after) or (before.endswith("（") and after.startswith("）"))) \
            and _LIST_BEFORE.search(before.removesuffix("（")):
        return "list numbering"
    paren = _enclosing_paren(s, a, b)
    if paren is not None and _INSTRUCTION.search(s, paren[0], paren[1]):
        return "template instruction"
    if (len(t.text) in (3, 5, 7) and t.text[0] in "235" and not t.unit and t.value is not None
            and (_CJK.match(after) or _CODE_BEFORE.search(before))
            and t.text in classification.shipped()):
        return "classification code"
    return None


_YEAR_TOKEN: Final = re.compile(r"(?:19|20)[0-9]{2}")
_YEAR_AFTER: Final = re.compile(r"年|[-—～~至到](?:19|20)[0-9]{2}")
_OPEN_BRACKET_END: Final = re.compile(r"[〔\[【（]$")
_CLOSE_BRACKET: Final = re.compile(r"[〕\]】）]")
_DOC_NO_BEFORE: Final = re.compile(r"[〔\[【（](?:19|20)[0-9]{2}[〕\]】）]第?$")
_SMALL_INT: Final = re.compile(r"[0-9]{1,2}")
_MONTH_DAY: Final = re.compile(r"[月日]")
_DATE_BEFORE: Final = re.compile(r"[年月0-9]$|^$")
_MONTH_THEN_DAY: Final = re.compile(r"月[0-9]{1,2}日")
_OPEN_QUOTE_END: Final = re.compile(r"[“\"「『]$")
_CLOSE_QUOTE: Final = re.compile(r"[”\"」』]")
_PHONE_BEFORE: Final = re.compile(r"[0-9]-$")
_PHONE_AFTER: Final = re.compile(r"-[0-9]{3,}")
_THRESHOLD_BEFORE: Final = re.compile(r"(?:单价|单位价值|价值|原值)$")
_NUMBERING_AFTER: Final = re.compile(r"[、.](?![0-9])")
_CODE_BEFORE: Final = re.compile(r"(?:编码|代码|科目)：?$")


def _enclosing_paren(s: str, a: int, b: int) -> tuple[int, int] | None:
    """The span of the （…） around ``s[a:b]``, if it is inside one."""
    left = s.rfind("（", 0, a)
    if left < 0 or s.rfind("）", left, a) >= 0:
        return None
    right = s.find("）", b)
    return (left, right) if right >= 0 else None


# ====================================================================== labels
_LEAD: Final = re.compile(
    r"^(?:[，、；：。．.\s]|其中|此外|另外|同时|具体(?:情况)?(?:如下)?|分别(?:是|为)|主要包括|包括"
    r"|主要用于(?:以下方面)?|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}、"
    r"|（[一二三四五六七八九十]{1,3}）|（[0-9]{1,2}）|[0-9]{1,2}[、.](?![0-9])"
    r"|截[至止](?:19|20)[0-9]{2}年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?|(?:19|20)[0-9]{2}年度?(?:末|初|底)?"
    r"|本年度|当年|全年|我部门|本部门|我单位|本单位|该部门|该单位|我局|本局|我委|本委|我办|本办"
    r"|我院|本院|我中心|本中心|我馆|本馆|负责管理的|共有|现有|拥有"
    r"|与(?:上年|上年度|上一年度?|去年|(?:19|20)[0-9]{2}年度?)(?:预算|决算)?数?相比)")
#: An organisation named before the year a sentence starts with ("江苏省人大常委会办公厅2017年度…").
_ORG_BEFORE_YEAR: Final = re.compile(
    r"^[^，。；：0-9]{2,30}?(?:厅|局|委员会|中心|院|馆|办公室|政府|法院|检察院|办事处|站|所|队)"
    r"(?=(?:19|20)[0-9]{2}年)")
_TRAIL: Final = re.compile(
    r"(?:为|是|共计|共有|共|合计为|总计为|达到|达|约|安排|总额为|金额为|的)$")
_NOUN: Final = re.compile(r"[^，、；。：（的和及与]+")
_SHARE_OF: Final = re.compile(r"占(?P<w>.*?)(?:的)?(?:比重|比例)?(?:为)?$")
_COMPLETION: Final = re.compile(r"完成(?:年初)?(?:调整)?预算(?:数)?的$|预算(?:执行|完成)率(?:为)?$")
_COMPARE_START: Final = re.compile(r"(?:比|较|与|同比)")
_NEEDS_SUBJECT: Final = re.compile(r"(?:预算数|决算数|支出数|比|较|与|同比)")
_LEVEL: Final = re.compile(r"(?:与|较|比)(?P<y>上年度?|上一年度?|去年|(?:19|20)[0-9]{2}年度?)"
                           r"(?:预算|决算)?数?(?:相比)?(?:基本|保持)?(?P<w>持平|一致)")
#: "与2024年预算一致0万元": the same "no change", with the change printed after it.
_LEVEL_THEN_NUMBER: Final = re.compile(_LEVEL.pattern + "$")
#: "本年数小于上年预算数29.65万元": a change stated as a comparison with an earlier year.
_COMPARED_VERB: Final = re.compile(
    r"(?:本年度?(?:预算|决算)?数?)?(?P<verb>小于|大于|低于|高于|少于|多于|超过)"
    r"(?P<y>上年度?|上一年度?|去年|(?:19|20)[0-9]{2}年度?)(?:预算|决算)?数?$")
#: "按与上年统计口径一致相比": a change on another basis than the figure stated (口径).
_SAME_BASIS: Final = re.compile(r"口径(?:一致|相同)|(?:同|可比)口径")
_EXISTENCE_VERB: Final = re.compile(r"(?:进驻|入驻|内设|下设|设有|现有|共有|拥有)$")
_COMPARATIVE: Final = re.compile(r"(?:小于|大于|低于|高于|超过|不足|多于|少于|以上|以下)$")
_CHANGE_VERB: Final = re.compile(
    r"各?(?P<verb>(?:增加|减少|增长|下降|降低|上升|提高|减幅|增幅|增|减)"
    r"(?:（(?:增加|减少|增长|下降|降低|上升)）)?)了?$")
_NEGATIVE: Final = ("减", "下降", "降低", "小于", "低于", "少于")
_GENERIC: Final = re.compile(
    r"^(?:支出)?(?:年初预算数?|调整预算数?|预算数|决算数?|支出决算数?|完成年初预算|完成预算|执行数"
    r"|预算执行率)$")


class _Labeller:
    """Cleans the text before a number into the figure's label."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(n for n in (_canon(name) for name in names) if n)

    def clean(self, text: str) -> str:
        """The label in ``text``: without what precedes it (everything to a colon, the entity,
        我部门, the year, list numbering, 其中 …) and copulas after it (为, 共, 安排 …)."""
        return self.dated(text)[0]

    def dated(self, text: str) -> tuple[str, int | None]:
        """The label in ``text`` (see :meth:`clean`) and the year it starts with, if any:
        "2016年度部门支出预算安排为" is last year's amount in a 2017 budget."""
        prev = None
        year = None
        while prev != text:
            prev = text
            colon = text.rfind("：")
            if colon >= 0:
                text = text[colon + 1:]
            for name in self.names:
                if text.startswith(name):
                    text = text[len(name):]
                    break
            text = _ORG_BEFORE_YEAR.sub("", text)
            m = _LEAD.match(text)
            if m and m.end():
                y = _LEAD_YEAR.fullmatch(m.group())
                if y:
                    year = int(y.group(1))
                text = text[m.end():]
            text = _TRAIL.sub("", text)
        text = _FUNDS_TAIL.sub("", text)
        return _QUALIFIER.sub("", text.strip("，、；： ")), year


def _core(label: str) -> str:
    """A label reduced for matching a change to the figure it changes: without the year it
    compares with, 各, 支出, 预算/决算/年初/执行数 ("“三公”经费支出预算数比2020年" and
    "“三公”经费预算" are both "“三公”经费")."""
    return _CORE_WORDS.sub("", _CORE_YEAR.sub("", label))


_FUNDS_TAIL: Final = re.compile(r"(?<=经费)支出(?:预算|决算)$")
_LEAD_YEAR: Final = re.compile(r"((?:19|20)[0-9]{2})年度?")
#: "（部门）共有车辆": whose the figure is, said after the entity's name.
_QUALIFIER: Final = re.compile(r"^（(?:部门|单位|本级)）(?=\S)")
_CORE_YEAR: Final = re.compile(
    r"(?:比|较|与)?(?:上年|上年度|(?:19|20)[0-9]{2}年度?)(?:预算|决算)?(?:数)?(?:相比)?")
_CORE_WORDS: Final = re.compile(r"各|支出|预算数?|决算数?|年初|执行数|数$")


# ====================================================================== figures
Kind = Literal["amount", "share", "change", "count"]


@dataclass(eq=False)
class _Fig:
    key: str
    label: str
    value: Decimal
    unit: str
    precision: Decimal
    kind: Kind
    year: int
    section: str
    para: int
    sent: tuple[int, int]       # the sentence's span in the paragraph text
    sentence: str               # cut from the original text
    span: tuple[int, int]       # the number's span in the original text (derived: (-1, -1))
    status: str = "stated"
    note: str = ""
    relations: list[tuple[str, list[_Fig]]] = field(default_factory=list)
    selector: str | None = None
    parts: list[_Fig] = field(default_factory=list)
    whole: _Fig | None = None
    base: _Fig | None = None    # for a change: the figure it changes; for a share: the part
    prior: _Fig | None = None   # for a stated figure: its derived prior-year value
    changes: list[_Fig] = field(default_factory=list)
    econ: str | None = None
    function: str | None = None
    role: str = ""
    subject: str = ""
    prior_year: int | None = None
    dated: bool = False         # an amount the text dates to another year ("2016年度…为…")
    old: _Fig | None = None     # for a change stated against an earlier figure: that figure
    basis: str = ""             # for a change on another basis (口径): the words saying so
    id: str = ""

    def printed(self) -> str:
        return f"{self.value:f}"

    def relate(self, fn: str, args: Sequence[_Fig]) -> None:
        """Add a relation, once, and only between figures in the same unit: the relation
        language compares printed values, so 元 and 万元 cannot be mixed."""
        args = [a for a in args if a is not self]
        if not args or any(a.unit != self.unit and fn not in ("share", "pct_change")
                           for a in args):
            return
        if fn in ("share", "pct_change") and len({a.unit for a in args}) != 1:
            return
        if (fn, args) not in [(f, list(x)) for f, x in self.relations]:
            self.relations.append((fn, list(args)))


def _precision(exponent: int) -> Decimal:
    """The quantum of a number's last printed digit (exponent -2 → 0.01)."""
    return Decimal(1).scaleb(exponent)


@dataclass(frozen=True)
class _Read:
    """A reading in original offsets; the figure's id is known only at the end."""

    start: int
    end: int
    use: Use
    detail: str
    fig: _Fig | None
    sentence_start: int
    sentence_end: int


@dataclass
class _Ctx:
    """Document-level facts every paragraph needs."""

    entity: str
    year: int
    phase: str
    labeller: _Labeller


class _Reader:
    """Reads the paragraphs of one document into figures and readings."""

    def __init__(self, text: str, paras: list[_Para], ctx: _Ctx) -> None:
        self.text = text
        self.paras = paras
        self.ctx = ctx
        self.figs: list[_Fig] = []
        self.readings: list[_Read] = []
        self.projects: list[ParsedProject] = []
        self.project_figs: list[_Fig] = []
        self.indicator_rows: list[dict[str, str]] = []
        self.nil: list[str] = []

    # ------------------------------------------------------------------ helpers
    def orig(self, p: _Para, a: int, b: int) -> tuple[int, int]:
        """Original-text offsets of the canonical span ``p.s[a:b]``."""
        if a >= b:
            return (p.pos[a] if a < len(p.pos) else len(self.text),) * 2
        return p.pos[a], p.pos[b - 1] + 1

    def cut(self, p: _Para, a: int, b: int) -> str:
        """The original text of a canonical span, verbatim (stripped of outer whitespace)."""
        oa, ob = self.orig(p, a, b)
        return self.text[oa:ob].strip()

    def read(self, p: _Para, t: _Tok, use: Use, detail: str, sent: tuple[int, int],
             fig: _Fig | None = None) -> None:
        """Record how a number was read (and mark the token as read)."""
        t.use, t.detail = use, detail
        oa, ob = self.orig(p, t.a, t.b)
        sa, sb = self.orig(p, *sent)
        self.readings.append(_Read(oa, ob, use, detail, fig, sa, sb))

    def new_fig(self, p: _Para, pi: int, t: _Tok, label: str, value: Decimal, unit: str,
                precision: Decimal, kind: Kind, sent: tuple[int, int], *, key: str = "",
                year: int | None = None) -> _Fig:
        """A stated figure read from token ``t``, cut with its sentence from the original."""
        f = _Fig(key=key or (p.section or "text"), label=label, value=value, unit=unit,
                 precision=precision, kind=kind, year=year or self.ctx.year,
                 section=p.section or "", para=pi, sent=sent, sentence=self.cut(p, *sent),
                 span=self.orig(p, t.a, t.b))
        self.figs.append(f)
        self.read(p, t, "figure", "", sent, f)
        return f

    # ------------------------------------------------------------------ the document
    def run(self) -> None:
        """Read every paragraph: table rows, 绩效目标 blocks, or text."""
        for pi, p in enumerate(self.paras):
            if p.kind == "table":
                self.table_row(p, pi)
            elif p.section == "performance" and p.kind == "text":
                self.performance(p, pi)
            else:
                self.paragraph(p, pi, 0, len(p.s))

    # ------------------------------------------------------------------ a paragraph
    def paragraph(self, p: _Para, pi: int, start: int, end: int) -> list[_Fig]:
        """Read the numbers of ``p.s[start:end]`` sentence by sentence, clause by clause;
        then the lists (totals and parts) and the shares' wholes."""
        s = p.s
        toks = [t for t in _tokens(s) if start <= t.a < end]
        sentences = _sentences(s, start, end)
        made: list[_Fig] = []
        asof: int | None = None
        for sent in sentences:
            sa, sb = sent
            stoks = [t for t in toks if sa <= t.a < sb]
            if not stoks:
                self.nil_statement(p, s[sa:sb], sent)
                made.extend(self.level_statement(p, pi, sent, made, []))
                continue
            sfigs: list[_Fig] = []
            for t in stoks:
                reason = _skip_reason(s, t, p)
                if reason is not None:
                    self.read(p, t, "skipped", reason, sent)
            for ca, cb in _clauses(s, sa, sb):
                ctoks = [t for t in stoks if ca <= t.a < cb and t.use is None]
                clause = s[ca:cb]
                year = _asof_year(clause)
                if year is not None and not ctoks:
                    asof = year
                prev_end = ca
                for t in ctoks:
                    f = self.number(p, pi, t, prev_end, ca, cb, sent, sfigs, made, asof)
                    if f is not None:
                        sfigs.append(f)
                        prev_end = t.ue
            made.extend(sfigs)
            made.extend(self.level_statement(p, pi, sent, made, sfigs))
            self.link_changes(sfigs, made)
        self.lists(p, pi, made, start, end)
        self.shares(made)
        return made

    def shares(self, made: list[_Fig]) -> None:
        """A share is of its part's whole, or of the whole it names ("占本年支出合计的")."""
        for f in made:
            if f.role != "share" or f.base is None or f.relations:
                continue
            whole = None
            named = _core(f.subject) if f.subject else ""
            if named:
                for g in reversed(self.figs[:self.figs.index(f)]):
                    if g.kind == "amount" and g.status == "stated" and g.unit == f.base.unit \
                            and g is not f.base and (_core(g.label) == named or named.endswith(
                                _core(g.label)) or _core(g.label).endswith(named)):
                        whole = g
                        break
            elif f.base.whole is not None:
                whole = f.base.whole
            if whole is not None:
                f.relate("share", [f.base, whole])

    def unread(self, p: _Para, t: _Tok, reason: str, sent: tuple[int, int]) -> None:
        """Record a number the parser could not read, and why."""
        self.read(p, t, "unparsed", reason, sent)

    # ------------------------------------------------------------------ one number
    def number(self, p: _Para, pi: int, t: _Tok, prev_end: int, ca: int, cb: int,
               sent: tuple[int, int], sfigs: list[_Fig], made: list[_Fig],
               asof: int | None) -> _Fig | None:
        """Read one number in its clause: a percentage, a change, a count of things ("内设6个
        职能科室") or an amount with the label before it; ``None`` (and an unparsed
        reading) when it is none of these."""
        s = p.s
        section = p.section or ""
        if section in _UNREAD_SECTIONS:
            self.unread(p, t, f"in a section the parser does not read ({section})", sent)
            return None
        if p.kind == "toc":
            self.unread(p, t, "in the table of contents", sent)
            return None
        if t.value is None:
            self.unread(p, t, "not a well-formed number", sent)
            return None
        if not t.unit:
            self.unread(p, t, "a number without a unit", sent)
            return None
        window = s[prev_end:t.a]
        paren = _enclosing_paren(s, t.a, t.b)
        if paren is not None and paren[0] >= prev_end:   # "…相比（2016年度…为8,648.07万元）"
            window = s[paren[0] + 1:t.a]
        if "原因" in s[sent[0]:t.a]:
            self.unread(p, t, "inside an explanation (原因)", sent)
            return None
        value = t.value
        precision = _precision(t.exponent)
        unit = "%" if t.unit == "%" else t.unit
        lab = self.ctx.labeller
        year = asof or self.ctx.year
        if t.unit in ("%", "‰"):
            return self.percent(p, pi, t, window, sent, sfigs, made, year)
        level = _LEVEL_THEN_NUMBER.search(window)
        if level and t.unit in _MONEY:
            return self.level_change(p, pi, t, level, sent, sfigs)
        verb = _CHANGE_VERB.search(window) or _COMPARED_VERB.search(window)
        if verb and t.unit in _MONEY:
            return self.change(p, pi, t, window, verb, sent, sfigs, made)
        if t.unit in _COUNT and t.ue < cb and _CJK.match(s, t.ue) and not s.startswith("的", t.ue):
            noun = _NOUN.match(s, t.ue, cb)
            if noun:
                head = _COUNT_HEAD.split(lab.clean(window.rsplit("的", 1)[-1]))[-1]
                label = head + noun.group()
                t.ue = noun.end()   # the next label starts after the noun
                return self.new_fig(p, pi, t, label, value, unit, precision, "count", sent,
                                    year=year)
        label, dated = lab.dated(window)
        if not label and window == "、" and prev_end > ca and sfigs and sfigs[-1].unit != unit:
            label = sfigs[-1].label  # "国内公务接待62批次、486人次": one subject, two units
        if not label:
            self.unread(p, t, "no label before the number", sent)
            return None
        if _COMPARATIVE.search(label):
            self.unread(p, t, "a comparison the parser does not read", sent)
            return None
        kind: Kind = "count" if t.unit in _COUNT else "amount"
        label = self.generic_subject(label, sfigs, p, sent)
        other_year = kind == "amount" and asof is None and dated not in (None, self.ctx.year)
        if other_year and dated is not None:
            year = dated
        f = self.new_fig(p, pi, t, label, value, unit, precision, kind, sent, year=year)
        f.dated = other_year
        return f

    def generic_subject(self, label: str, sfigs: list[_Fig], p: _Para,
                        sent: tuple[int, int]) -> str:
        """"支出决算为…" after "一般公共预算支出年初预算为…": give the label its subject."""
        if not _GENERIC.match(label):
            return label
        subject = ""
        for f in reversed(sfigs):
            if f.kind in ("amount", "count") and not _GENERIC.match(f.label):
                subject = _strip_generic(f.label)
                break
        if not subject:
            first = _sentences(p.s, 0, len(p.s))[0]
            head = _MARKER.sub("", p.s[first[0]:first[1]])
            if first != sent and not _TOKEN.search(head):
                subject = self.ctx.labeller.clean(head)
        return _merge(subject, label) if subject else label

    # ------------------------------------------------------------------ percentages
    def percent(self, p: _Para, pi: int, t: _Tok, window: str, sent: tuple[int, int],
                sfigs: list[_Fig], made: list[_Fig], year: int) -> _Fig | None:
        """A percentage: a completion rate (完成年初预算的98%), a share (占91%), or a change
        (下降15.6%, whose subject is the change before it in the sentence)."""
        assert t.value is not None
        precision = _precision(t.exponent)
        lab = self.ctx.labeller
        share = _SHARE_OF.search(window)
        verb = _CHANGE_VERB.search(window)
        done = _COMPLETION.search(window)
        if done:
            final = next((f for f in reversed(sfigs) if f.kind == "amount"), None)
            if final is None:
                self.unread(p, t, "a completion rate with no amount before it", sent)
                return None
            budget = None
            for f in reversed(sfigs[:sfigs.index(final)]):
                if f.kind == "share":
                    break
                if f.kind == "amount" and "预算" in f.label:
                    budget = f
                    break
            label = _merge(_strip_generic((budget or final).label), "完成" + (
                "年初预算" if "年初" in window else "预算"))
            f = self.new_fig(p, pi, t, label, t.value, "%", precision, "share", sent, year=year)
            f.base = final
            if budget is not None:
                f.relate("share", [final, budget])
            return f
        if share and not verb:
            part = next((f for f in reversed(sfigs) if f.kind in ("amount", "count")), None)
            if part is None:
                self.unread(p, t, "a share with no amount before it", sent)
                return None
            f = self.new_fig(p, pi, t, part.label + "占比", t.value, "%", precision, "share",
                             sent, year=part.year if part.dated else year)
            f.base, f.role = part, "share"
            f.subject = share.group("w")
            return f
        if verb:
            value = -t.value if verb.group("verb").startswith(_NEGATIVE) else t.value
            value = abs(value) if value == 0 else value
            own = lab.clean(window[:verb.start()])
            subject = own
            base = None
            if not own or _COMPARE_START.match(own):
                prev = next((f for f in reversed(sfigs) if f.kind == "change"), None)
                if prev is not None:
                    subject, base = prev.subject, prev.base
                    own = ""
            if base is None:
                base = self.resolve_base(subject, sfigs, made, p.section or "")
            if not subject and base is not None:
                subject = base.label
            label = _merge(subject, _strip_subject(own, subject) + verb.group("verb"))
            f = self.new_fig(p, pi, t, label, value, "%", precision, "change", sent, year=year)
            f.role, f.base, f.subject = "pct", base, subject
            f.note = _verb_note(verb.group("verb"))
            return f
        label = lab.clean(window)
        if not label or _COMPARATIVE.search(label):
            self.unread(p, t, "a percentage the parser cannot place", sent)
            return None
        label = self.generic_subject(label, sfigs, p, sent)
        return self.new_fig(p, pi, t, label, t.value, "%", precision, "share", sent, year=year)

    # ------------------------------------------------------------------ changes
    def change(self, p: _Para, pi: int, t: _Tok, window: str, verb: re.Match[str],
               sent: tuple[int, int], sfigs: list[_Fig], made: list[_Fig]) -> _Fig:
        """An amount change (减少74万元): its sign from the verb, the figure it changes, and the
        year it compares with; the prior-year value is derived in :meth:`link_changes`."""
        assert t.value is not None
        lab = self.ctx.labeller
        own = lab.clean(window[:verb.start()])
        v = verb.group("verb")
        value = -t.value if v.startswith(_NEGATIVE) else t.value
        value = abs(value) if value == 0 else value
        compared = "y" in verb.re.groupindex   # "本年数小于上年预算数…": the words say the year
        word = window[verb.start("verb"):] if compared else v
        prior_year = (_year_of(verb.group("y"), self.ctx.year) if compared
                      else _prior_year(p.s[sent[0]:t.a], own, self.ctx.year))
        subject = _subject_of(own)
        old = next((g for g in reversed(sfigs) if g.dated and g.year == prior_year
                    and g.unit == t.unit), None) if not subject else None
        base = old or self.resolve_base(subject, sfigs, made, p.section or "")
        if (not subject or _NEEDS_SUBJECT.match(own)) and base:
            label = _merge(base.label, own + word)
            subject = base.label
        else:
            label = own + word
        f = self.new_fig(p, pi, t, label, value, t.unit, _precision(t.exponent), "change", sent)
        f.role, f.base, f.subject, f.old = "change", base, subject, old
        f.note = _verb_note(v)
        f.prior_year = prior_year
        basis = _SAME_BASIS.search(p.s, sent[0], t.a)
        if basis and base is not None:   # the base year's figure is the one stated earlier
            f.basis = basis.group()
            f.old = base.prior if base.prior and base.prior.year == prior_year else None
            f.note = (f"compared on the same basis (统计{f.basis}) as the year before, not with "
                      f"{base.label} as stated")
        return f

    def resolve_base(self, subject: str, sfigs: list[_Fig], made: list[_Fig], section: str
                     ) -> _Fig | None:
        """The figure a change is about: by its subject, else the sentence's first amount,
        else the last amount before it in the paragraph — or, for a paragraph that states
        only the change ("与上年相比增加844.15万元"), the section's last amount."""
        pool = [f for f in [*made, *sfigs] if f.kind in ("amount", "count") and not f.dated]
        if not pool:
            pool = [f for f in self.figs if f.section == section and f.role == ""
                    and f.status == "stated" and f.kind in ("amount", "count")
                    and not f.dated][-1:]
        core = _core(subject)
        if "、" in subject:  # "收、支总计": both totals; the change is recorded on the first
            suffix = _core(_JOINT_HEAD.sub("", subject.rsplit("、", 1)[-1]))
            joint = [f for f in pool if suffix and _core(f.label).endswith(suffix)]
            if joint:
                return joint[0]
        if core:
            for f in reversed(pool):
                if _core(f.label) == core:
                    return f
            if "、" not in subject:
                for f in reversed(pool):
                    fc = _core(f.label)
                    if fc and (fc.endswith(core) or core.endswith(fc)):
                        return f
        first = next((f for f in sfigs if f.kind in ("amount", "count") and not f.dated), None)
        if first is not None:
            return first
        return pool[-1] if pool else None

    def level_statement(self, p: _Para, pi: int, sent: tuple[int, int], made: list[_Fig],
                        sfigs: list[_Fig]) -> list[_Fig]:
        """"与上年持平": a change of 0 stated in words, about the sentence's last amount — or,
        in a sentence of its own ("…1.35万元。比2024年预算持平"), the paragraph's last."""
        text = p.s[sent[0]:sent[1]]
        m = next((x for x in _LEVEL.finditer(text)
                  if not _NUMBER_NEXT.match(text, x.end())), None)   # "一致0万元": a figure
        if not m or _enclosing_paren(p.s, sent[0] + m.start(), sent[0] + m.end()):
            return []
        only = not sfigs and not _TOKEN.search(_YEARS.sub("", text))
        pool = [f for f in sfigs if f.kind in ("amount", "count") and not f.dated
                and f.span[0] < p.pos[sent[0] + m.start()]]
        if not pool and only:
            pool = [f for f in made if f.kind in ("amount", "count") and f.para == pi
                    and not f.dated]
        if not pool:
            return []
        base = pool[-1]
        word = m.group("w")
        f = _Fig(key=base.key, label=base.label + (word if word == "持平" else m.group()),
                 value=Decimal(0) * base.precision, unit=base.unit, precision=base.precision,
                 kind="change", year=base.year, section=p.section or "", para=pi, sent=sent,
                 sentence=self.cut(p, *sent), span=(-1, -1),
                 note=f"stated in words ({word}): no change")
        f.role, f.base, f.subject = "change", base, base.label
        f.prior_year = _year_of(m.group("y"), self.ctx.year)
        self.figs.append(f)
        self.link_changes([f], made)
        return [f]

    def level_change(self, p: _Para, pi: int, t: _Tok, m: re.Match[str], sent: tuple[int, int],
                     sfigs: list[_Fig]) -> _Fig | None:
        """"公务用车购置费0万元，与2024年预算一致0万元": a change of the amount just before it,
        printed after the words that say there is none — so it must be 0."""
        assert t.value is not None
        base = next((f for f in reversed(sfigs) if f.kind == "amount" and not f.dated
                     and f.role == ""), None)
        if base is None:
            self.unread(p, t, f"a change ({m.group('w')}) with no amount before it", sent)
            return None
        if t.value != 0:
            self.unread(p, t, f"a non-zero change printed after {m.group('w')}", sent)
            return None
        f = self.new_fig(p, pi, t, _merge(base.label, m.group()), abs(t.value), t.unit,
                         _precision(t.exponent), "change", sent)
        f.role, f.base, f.subject = "change", base, base.label
        f.prior_year = _year_of(m.group("y"), self.ctx.year)
        f.note = f"stated as {m.group('w')} with the amount of the change"
        return f

    def link_changes(self, sfigs: list[_Fig], made: list[_Fig]) -> None:
        """Derive the prior-year value behind each stated change and relate the three."""
        for f in sfigs:
            if f.role != "change" or f.base is None or f.base.unit != f.unit:
                continue
            if f.old is not None:
                self.derive_current(f, f.old, f.base)
                continue
            if f.basis:
                continue   # on another basis, and the base year's figure is not known
            base = f.base
            prior_year = f.prior_year or self.ctx.year - 1
            value, quantum = _derived(base.value - f.value, base.precision, f.precision)
            label = f"{prior_year}年" + (f.subject if "、" in f.subject else base.label)
            prior = _Fig(key=base.key, label=label, value=value, unit=base.unit,
                         precision=quantum, kind="amount", year=prior_year,
                         section=f.section, para=f.para, sent=f.sent, sentence=f.sentence,
                         span=(-1, -1), status="derived",
                         note=f"derived: {base.printed()} - ({f.printed()}) = {value:f}, "
                              f"from {f.label}{f.printed()}{f.unit}")
            prior.role, prior.base = "prior", base
            f.prior = prior
            f.relate("diff", [base, prior])
            prior.relate("diff", [base, f])
            base.changes.append(f)
            base.prior = base.prior or prior
            self.place_derived(f, base, prior, now=base, then=prior)
        for g in sfigs:
            if g.role == "pct" and g.base is not None and g.base.prior is not None and \
                    not g.relations and g.base.prior.sent == g.sent:
                g.relate("pct_change", [g.base, g.base.prior])

    def derive_current(self, f: _Fig, old: _Fig, base: _Fig) -> None:
        """A change stated against an earlier year's figure — one the text states for that
        year ("（2016年度…为8,648.07万元），增加498.72万元"), or the base year's value behind a
        change on the same basis (口径) as that year — gives this year's value: old + change."""
        value, quantum = _derived(old.value + f.value, old.precision, f.precision)
        what = base.label if base is not old else old.label
        label = f"{f.year}年{what}" + (f"（与上年{f.basis}）" if f.basis else "")
        cur = _Fig(key=base.key, label=label, value=value, unit=old.unit, precision=quantum,
                   kind="amount", year=f.year, section=f.section, para=f.para, sent=f.sent,
                   sentence=f.sentence, span=(-1, -1), status="derived",
                   note=f"derived: {old.printed()} + ({f.printed()}) = {value:f}, "
                        f"from {f.label}{f.printed()}{f.unit}")
        cur.role, cur.base = "current", base
        f.relate("diff", [cur, old])
        cur.relate("sum", [old, f])
        self.place_derived(f, base, cur, now=cur, then=old)

    def place_derived(self, f: _Fig, base: _Fig, new: _Fig, *, now: _Fig, then: _Fig) -> None:
        """Relate the sentence's percentages of ``base`` to the two years (``now`` against
        ``then``) and put ``new`` after the last of them (or after the change ``f``)."""
        pcts = [g for g in self.figs if g.role == "pct" and g.base is base
                and g.sent == f.sent and g.para == f.para]
        for g in pcts:
            g.relate("pct_change", [now, then])
        anchor = max([f, *pcts], key=lambda g: self.figs.index(g))
        self.figs.insert(self.figs.index(anchor) + 1, new)

    # ------------------------------------------------------------------ lists
    def lists(self, p: _Para, pi: int, made: list[_Fig], start: int, end: int) -> None:
        """Totals and their parts: 其中 / 主要包括 / 主要用于以下方面 / a colon after a total /
        numbered items, nested; a list ends with its sentence (。), its parenthesis, a figure
        in another unit, or — after a ；— a non-zero figure once its parts already add up."""
        s = p.s
        events: list[tuple[int, int, str, _Fig | None]] = []
        for f in made:
            if f.para == pi and f.span[0] >= 0 and f.kind in ("amount", "count") and \
                    f.role == "" and not f.dated:
                events.append((_canon_index(p, f.span[0]), 3, "fig", f))
        opener_ends = set()
        for m in _OPENER.finditer(s, start, end):
            events.append((m.start(), 2, "open", None))
            opener_ends.add(m.end())
        for m in _COLON.finditer(s, start, end):
            if m.end() not in opener_ends and \
                    not _REASON_BEFORE.search(s, max(0, m.start() - 4), m.start()):
                events.append((m.start(), 2, "colon", None))
        for m in _ITEM_MARK.finditer(s, start, end):
            events.append((m.start(), 1, "mark:" + _mark_style(m), None))
        for m in _STOPS.finditer(s, start, end):
            events.append((m.start(), 0, "end" if m.group() == "。" else "semi", None))
        events.sort(key=lambda e: (e[0], e[1]))
        stack: list[_Open] = []
        last: _Fig | None = None
        sentence_has_fig = False
        opened_at = -1

        def close_until(pos: int) -> None:
            while stack and stack[-1].until is not None and stack[-1].until < pos:
                stack.pop().close()

        for pos, _order, ev, fig in events:
            close_until(pos)
            if ev == "end":
                while stack:
                    stack.pop().close()
                sentence_has_fig = False
            elif ev == "semi":
                for entry in stack:
                    entry.semicolon = True
            elif ev in ("open", "colon"):
                if ev == "colon" and (not sentence_has_fig or pos == opened_at):
                    continue
                if last is not None and pos != opened_at:
                    paren = _enclosing_paren(s, pos, pos + 1)
                    stack.append(_Open(last, until=paren[1] if paren else None))
                    opened_at = pos
            elif ev.startswith("mark:"):
                style = ev[5:]
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i].style == style:
                        while len(stack) > i + 1:
                            stack.pop().close()
                        break
                else:
                    if stack and stack[-1].style is None and not stack[-1].parts:
                        stack[-1].style = style
            else:
                assert fig is not None
                sentence_has_fig = True
                while stack and (stack[-1].whole.unit != fig.unit
                                 or stack[-1].whole.kind != fig.kind or stack[-1].complete(fig)):
                    stack.pop().close()
                if stack:
                    stack[-1].parts.append(fig)
                    stack[-1].semicolon = False
                last = fig
        while stack:
            stack.pop().close()

    # ------------------------------------------------------------------ nil statements
    def nil_statement(self, p: _Para, text: str, sent: tuple[int, int]) -> None:
        """Remember statements of nothing ("无", "没有…支出"): no number, but not silence."""
        if p.section in _UNREAD_SECTIONS or p.kind != "text":
            return
        if _NIL.search(text):
            self.nil.append(self.cut(p, *sent))

    # ------------------------------------------------------------------ tables
    def table_row(self, p: _Para, pi: int) -> None:
        """A flattened table row: [code] label number… [label number…]; each number a figure
        labelled by its row (and its column head when the table has several columns)."""
        ln = p.row
        assert ln is not None
        cells = [(m.start(), m.end(), m.group()) for m in _CELL.finditer(ln.text)]
        sent = (0, len(p.s))
        k = 0
        while k < len(cells) and _INT_CELL.fullmatch(cells[k][2]):
            k += 1
        shape = tuple(len(c[2]) for c in cells[:k])
        code = "".join(c[2] for c in cells[:k])
        start = 0
        if k < len(cells) and shape in _CODE_SHAPES and code[0] in "235":
            for a, b, _tok in cells[:k]:
                ca = _canon_index(p, ln.pos[a])
                self.read(p, _Tok(ca, ca + b - a, ln.text[a:b]), "skipped",
                          "classification code (table row)", sent)
            start = k
        else:
            code = ""
        label, col, i, several = "", 0, start, False
        while i < len(cells):
            a, b, tok = cells[i]
            if not _NUMBER_TOKEN.match(tok):
                j = i
                while j < len(cells) and not _NUMBER_TOKEN.match(cells[j][2]):
                    j += 1
                label = _ROW_NUMBERING.sub("", _canon("".join(c[2] for c in cells[i:j])))
                for cell_start, _cell_end, cell in cells[i:j]:   # "1.一般公共预算", "（20万以上）"
                    for m in _TOKEN.finditer(cell):
                        ci = _canon_index(p, ln.pos[cell_start + m.start()])
                        self.read(p, _Tok(ci, ci + len(m.group()), m.group()), "skipped",
                                  "part of a table row's label", sent)
                col, i = 0, j
                k = j
                while k < len(cells) and _NUMBER_TOKEN.match(cells[k][2]):
                    k += 1
                several = k - j > 1
                continue
            i += 1
            ca = _canon_index(p, ln.pos[a])
            t = _Tok(ca, ca + b - a, tok)
            whole, _dot, decimals = tok.replace(",", "").lstrip("+-").partition(".")
            if len(whole) <= 15 and len(decimals) <= 6:
                t.value = Decimal(tok.replace(",", ""))
            if not label:
                self.unread(p, t, "a table cell without a row label", sent)
            elif p.table_unit is None:
                self.unread(p, t, "a table without a stated unit (单位：…)", sent)
            elif t.value is None:
                self.unread(p, t, "not a well-formed number", sent)
            else:
                col += 1
                columns = several or _distinct_heads(p.header) >= 2
                head = _column_head(p.header, a, b) if columns else ""
                name = f"{label}｜{head or f'第{col}列'}" if columns else label
                f = self.new_fig(p, pi, t, name, t.value, p.table_unit, _precision(t.exponent),
                                 "amount", sent, key="table")
                f.note = f"table row {code}".strip()

    # ------------------------------------------------------------------ performance targets
    def performance(self, p: _Para, pi: int) -> None:
        """A 绩效目标 paragraph: an introduction (count and total of the projects), read
        like any other text, then one block per project."""
        s = p.s
        toks = _tokens(s)
        blocks = []
        for m in _PROJECT_START.finditer(s):
            header = _project_header(s, m.start(1), toks)
            if header is not None:
                blocks.append((m.start(1), header))
        intro_end = blocks[0][0] if blocks else len(s)
        if intro_end > 0:
            self.paragraph(p, pi, 0, intro_end)
        for k, (a, header) in enumerate(blocks):
            b = blocks[k + 1][0] if k + 1 < len(blocks) else len(s)
            self.project(p, pi, a, b, header, [t for t in toks if a <= t.a < b])

    def project(self, p: _Para, pi: int, a: int, b: int,
                header: tuple[int, int, _Tok | None], toks: list[_Tok]) -> None:
        """One project: its name, its funds (a figure, and a line of the ``projects``
        view), cost indicators (figures ``same`` as the funds), counts of what exists
        ("进驻39个单位"), and the targets as indicators."""
        s = p.s
        mark_end, name_end, amount_tok = header
        first_sent_end = min([i for i in (s.find("；", a, b), s.find("。", a, b)) if i >= 0],
                             default=b)
        sent = (a, first_sent_end if first_sent_end > a else b)
        name = _canon(s[mark_end:name_end]).strip("，：；、 ")
        for t in toks:
            if t.a < mark_end:
                self.read(p, t, "skipped", "list numbering (project)", sent)
        for t in toks:
            if mark_end <= t.a < name_end and t.use is None and t is not amount_tok:
                self.read(p, t, "skipped", "part of a project name", sent)
        number = len(self.projects) + 1
        amount: _Fig | None = None
        if amount_tok is not None:
            t = amount_tok
            assert t.value is not None
            label_text = self.ctx.labeller.clean(s[name_end:t.a])
            label = name + label_text if t.a > name_end else name
            amount = self.new_fig(p, pi, t, label, t.value, t.unit, _precision(t.exponent),
                                  "amount", sent, key=f"project.{number}.amount")
            amount.role = "project"
            rest_start = t.ue
        else:
            rest_start = name_end
        rest = (rest_start, b)
        figs_here: list[_Fig] = []
        for ca, cb in _clauses(s, rest[0], rest[1]):
            sen = _enclosing_sentence(s, ca, a, b)
            for t in [x for x in toks if ca <= x.a < cb and x.use is None]:
                reason = _skip_reason(s, t, p)
                if reason is not None:
                    self.read(p, t, "skipped", reason, sen)
                    continue
                window = s[ca:t.a]
                label = self.ctx.labeller.clean(window)
                if t.value is not None and t.unit in _MONEY and "成本" in label:
                    f = self.new_fig(p, pi, t, label, t.value, t.unit, _precision(t.exponent),
                                     "amount", sen, key=f"project.{number}.cost")
                    f.role = "cost"
                    if amount is not None:
                        f.relate("same", [amount])
                    figs_here.append(f)
                elif (t.value is not None and t.unit in _COUNT and t.ue < cb
                      and _CJK.match(s, t.ue) and "项目介绍" not in s[ca:t.a]
                      and _EXISTENCE_VERB.search(s, ca, t.a)):
                    noun = _NOUN.match(s, t.ue, cb)
                    head = self.ctx.labeller.clean(s[ca:t.a].rsplit("的", 1)[-1])
                    label = head + (noun.group() if noun else "")
                    f = self.new_fig(p, pi, t, label, t.value, t.unit, _precision(t.exponent),
                                     "count", sen, key="project")
                    t.use = "figure"
                    figs_here.append(f)
        inds, _leftovers = _indicators(_THOUSANDS.sub("", s[rest[0]:rest[1]]))
        for ca, cb in _pieces(s, rest[0], rest[1]):
            sen = _enclosing_sentence(s, ca, a, b)
            clause = _THOUSANDS.sub("", s[ca:cb])
            pending = [t for t in toks if ca <= t.a < cb and t.use is None]
            if not pending:
                continue
            hit = any(_overlaps(clause, r["sentence"]) for r in inds)
            if not hit:   # a target the indicator reader left out: read it simply, keep it
                extra, _ = _simple_indicators(clause)
                inds.extend(extra)
                hit = bool(extra)
            for t in pending:
                if hit and t.value is not None:
                    self.read(p, t, "indicator", name, sen)
                else:
                    self.unread(p, t, "a number in the performance targets that no indicator "
                                      "takes", sen)
        for row in inds:
            row["project"] = name
        self.indicator_rows.extend(inds)
        self.projects.append(ParsedProject(
            name=name, amount=None if amount is None else amount.value,
            unit="" if amount is None else amount.unit,
            precision=None if amount is None else amount.precision,
            sentence=self.cut(p, *sent),
            indicators=tuple({k: v for k, v in r.items() if k != "project"} for r in inds)))
        if amount is not None:
            amount.subject = name
            self.project_figs.append(amount)


@dataclass(eq=False)
class _Open:
    """A list being read: its whole, the parts so far, its numbering style."""

    whole: _Fig
    parts: list[_Fig] = field(default_factory=list)
    style: str | None = None
    until: int | None = None      # the end of the parenthesis the list was opened in
    semicolon: bool = False       # a ； since the last part

    def complete(self, f: _Fig) -> bool:
        """After a ；, a non-zero figure cannot be a part once the parts add up already."""
        if self.semicolon and not self.parts:
            return True   # "主要包括：基本工资、津贴补贴…；" listed names, no amounts
        return (self.semicolon and bool(self.parts) and f.value != 0
                and sum((q.value for q in self.parts), Decimal(0)) == self.whole.value)

    def close(self) -> None:
        """Record the list: a sum of two or more parts, or one part ≤ its whole."""
        whole, parts = self.whole, self.parts
        if len(parts) >= 2:
            whole.relate("sum", parts)
        elif len(parts) == 1:
            parts[0].relate("le", [whole])
        if parts:
            whole.parts = list(parts)
            for q in parts:
                q.whole = whole


_COLON: Final = re.compile("：")
_REASON_BEFORE: Final = re.compile("原因")
_STOPS: Final = re.compile("[。；]")
_OPENER: Final = re.compile(
    r"其中[：，]?|主要包括[：]?|主要用于以下方面[：]?|主要用于[：]|包括[：]|分别是[：]?|分别为[：]?"
    r"|具体(?:支出)?情况如下[：]?")
_ITEM_MARK: Final = re.compile(
    r"(?:^|(?<=[，；。：])|(?<=其中))(?:(?P<n>[0-9]{1,2})(?P<ns>[、.])(?![0-9])"
    r"|(?P<c>（[一二三四五六七八九十]{1,3}）)|(?P<p>（[0-9]{1,2}）)"
    r"|(?P<h>[一二三四五六七八九十]{1,3}、))")
_PROJECT_START: Final = re.compile(
    r"(?:^|(?<=[：；。]))\s*((?:[0-9]{1,2}[、.](?![0-9])|（[0-9一二三四五六七八九十]{1,3}）"
    r"|项目[一二三四五六七八九十0-9]{1,3}[：、]))")


def _mark_style(m: re.Match[str]) -> str:
    """The numbering style of an item mark, so that sibling items close nested lists."""
    if m.group("n"):
        return "n" + m.group("ns")
    if m.group("c"):
        return "（一）"
    if m.group("p"):
        return "（1）"
    return "一、"


def _project_header(s: str, a: int, toks: list[_Tok]) -> tuple[int, int, _Tok | None] | None:
    """(end of the marker, end of the name, the funds' number) of a project block, or
    ``None`` if the text at ``a`` does not start one: a name, then its funds within the
    next two clauses ("1.X项目，资金5万元" or "1.X项目5万元"), or at least a name ending
    in 项目."""
    m = _PROJECT_MARK.match(s, a)
    if not m:
        return None
    mark_end = m.end()
    stop = _HEADER_STOP
    end1 = stop.search(s, mark_end)
    name_end = end1.start() if end1 else len(s)
    name = s[mark_end:name_end]
    if not name or len(name) > 60:
        return None
    in_name = [t for t in toks if mark_end <= t.a < name_end and t.unit in _MONEY
               and t.value is not None]
    if in_name and in_name[-1].ue == name_end:
        t = in_name[-1]
        return mark_end, t.a, t
    # the funds: a money amount in the next two clauses
    pos = name_end
    for _ in range(2):
        if pos >= len(s) or s[pos] in "。":
            break
        nxt = stop.search(s, pos + 1)
        cend = nxt.start() if nxt else len(s)
        for t in toks:
            if pos < t.a < cend and t.unit in _MONEY and t.value is not None and \
                    _FUNDS_WORD.search(s, pos, t.a):
                return mark_end, name_end, t
        pos = cend
    if name.endswith("项目"):
        return mark_end, name_end, None
    return None


def _enclosing_sentence(s: str, i: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence (between ；and 。) around position ``i`` within ``[lo, hi)``."""
    a = max(s.rfind("；", lo, i), s.rfind("。", lo, i))
    a = lo if a < 0 else a + 1
    ends = [j for j in (s.find("；", i, hi), s.find("。", i, hi)) if j >= 0]
    return a, min(ends) if ends else hi


def _overlaps(a: str, b: str) -> bool:
    """Whether two clauses are the same text cut differently (one contains the other)."""
    return bool(a) and bool(b) and (a in b or b in a)


_THOUSANDS: Final = re.compile(r"(?<=[0-9]),(?=[0-9]{3})")


def _pieces(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses an indicator reader sees: text between ，；。"""
    out, a = [], start
    for m in _PIECE_STOP.finditer(s, start, end):
        out.append((a, m.start()))
        a = m.end()
    out.append((a, end))
    return [(x, y) for x, y in out if y > x]


_PIECE_STOP: Final = re.compile("[，；。]")


# ---------------------------------------------------------------------- indicators
def _indicators(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """Split a project's target text into indicator rows (project, level1, level2, name,
    comparator, target, unit, sentence); and return what was not understood.

    Uses :func:`fiscalkit.performance.parse_indicators` when it is available (imported here,
    not at module level: :mod:`fiscalkit.performance` imports this package); otherwise, or if
    it refuses the text, a simple split into "name + number + unit" clauses — the numbers
    are accounted for either way, and a target it leaves out is read simply by the caller.
    """
    try:
        from fiscalkit.performance import parse_indicators
    except ImportError:  # pragma: no cover - the module ships with fiscalkit
        return _simple_indicators(text)
    try:
        inds, unparsed = parse_indicators(text)
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError):
        return _simple_indicators(text)
    rows = [{"project": "", "level1": i.level1, "level2": i.level2, "name": i.name,
             "comparator": "qualitative" if i.comparator == "定性" else i.comparator,
             "target": "" if i.target is None else f"{i.target:f}", "unit": i.unit,
             "sentence": i.sentence} for i in inds]
    return rows, list(unparsed)


_SIMPLE: Final = re.compile(
    r"^(?P<name>[^0-9]*?[\u4e00-\u9fff][^0-9]*?)(?P<cmp>[≥≤><]|不低于|不少于|不高于|不超过|达到)?"
    r"(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<unit>[^0-9，；。]{0,4})$")


def _simple_indicators(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """A fallback indicator reader: "name [comparator] number [unit]" clauses (the dimension
    left to :mod:`fiscalkit.performance`)."""
    rows, rest = [], []
    for clause in _PIECE_STOP.split(text):
        m = _SIMPLE.match(clause.strip())
        if m:
            cmp = m.group("cmp") or "="
            rows.append({"project": "", "level1": "", "level2": "",
                         "name": _LABEL_PREFIX.sub("", m.group("name")),
                         "comparator": _SIMPLE_CMP.get(cmp, cmp), "target": m.group("num"),
                         "unit": m.group("unit"), "sentence": clause.strip()})
        elif clause.strip():
            rest.append(clause.strip())
    return rows, rest


_LABEL_PREFIX: Final = re.compile(r"^(?:绩效目标：)?(?:[^：\-—]{2,8}指标[：\-—])?")
_SIMPLE_CMP: Final = {">": "≥", "不低于": "≥", "不少于": "≥", "达到": "≥", "<": "≤", "不高于": "≤",
                      "不超过": "≤"}
_NIL: Final = re.compile(r"(?:没有|未有|无)[^，。；]{0,30}(?:支出|收入|经费|项目|资金|车辆)|^无$")
_PROJECT_MARK: Final = re.compile(r"(?:[0-9]{1,2}[、.](?![0-9])|（[0-9一二三四五六七八九十]{1,3}）"
                                  r"|项目[一二三四五六七八九十0-9]{1,3}[：、])")
_HEADER_STOP: Final = re.compile("[，；。：]")
_FUNDS_WORD: Final = re.compile(r"(?:资金|预算|金额|经费|安排|投入|成本)[^，；。]{0,6}$")
_SENTENCE_END: Final = re.compile("[。；！？]")
_COMMA: Final = re.compile("，")
_ASOF: Final = re.compile(
    r"(?:截[至止])?((?:19|20)[0-9]{2})年(?:[0-9]{1,2}月[0-9]{1,2}日|末|底|年末)?")
_YEAR_IN_LABEL: Final = re.compile(r"(?:19|20)[0-9]{2}(?=年)")
_COMPARED_YEAR: Final = re.compile(r"(?:与|比|较)((?:19|20)[0-9]{2})年")
_COMPARISON_TAIL: Final = re.compile(
    r"(?:预算数|决算数|支出数)?(?:比|较)(?:上年|上年度|(?:19|20)[0-9]{2}年度?)(?:预算|决算)?数?$")
_GENERIC_WORD_END: Final = re.compile(r"(?:年初预算数?|调整预算数?|预算数|决算数?|执行数)$")
_CELL: Final = re.compile(r"\S+")
_INT_CELL: Final = re.compile(r"[0-9]{2,7}")
_CODE_SHAPES: Final = frozenset({(3,), (5,), (7,), (3, 2), (3, 2, 2), (5, 2)})
_ROW_NUMBERING: Final = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[.、](?![0-9])|（[一二三四五六七八九十0-9]{1,3}）)")


# ---------------------------------------------------------------------- text helpers
def _sentences(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the sentences of ``s[start:end]``: between 。；！？ (the dataset's rule)."""
    out = []
    a = start
    for m in _SENTENCE_END.finditer(s, start, end):
        b = m.start()
        if b > a:
            out.append((a, b))
        a = m.end()
    if a < end:
        out.append((a, end))
    return [(x, y) for x, y in out if s[x:y].strip()]


def _clauses(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the clauses (between ，) of ``s[start:end]``."""
    out = []
    a = start
    for m in _COMMA.finditer(s, start, end):
        out.append((a, m.start()))
        a = m.end()
    out.append((a, end))
    return [(x, y) for x, y in out if y > x]


def _asof_year(clause: str) -> int | None:
    """The year of a clause that only dates what follows: "2020年末", "截至2024年8月31日"."""
    m = _ASOF.fullmatch(clause)
    if m and (clause.startswith("截") or clause.endswith(("末", "底", "日"))):
        return int(m.group(1))
    return None


def _prior_year(before: str, label: str, year: int) -> int:
    """The year a change compares with: named in its label ("比2020年") or earlier in its
    sentence ("与2020年相比"), else the year before."""
    m = _YEAR_IN_LABEL.search(label)
    if m:
        return int(m.group())
    m = _COMPARED_YEAR.search(before)
    return int(m.group(1)) if m else year - 1


_NUMBER_NEXT: Final = re.compile(r"[为了]?[0-9]")
_YEARS: Final = re.compile(r"(?:19|20)[0-9]{2}年度?")


def _year_of(words: str, year: int) -> int:
    """The year "上年", "去年" or "2020年度" names, in a document of ``year``."""
    return int(words[:4]) if words[:1] in _DIGITS else year - 1


def _subject_of(own: str) -> str:
    """"公务用车购置费预算数比2020年" → "公务用车购置费": what a change is a change of."""
    return _COMPARISON_TAIL.sub("", own)


def _strip_subject(own: str, subject: str) -> str:
    """``own`` without a leading ``subject``."""
    return own[len(subject):] if subject and own.startswith(subject) else own


def _strip_generic(label: str) -> str:
    """The subject of a budget-or-outturn label: "…支出年初预算" → "…支出"."""
    return _GENERIC_WORD_END.sub("", label) or label


def _merge(subject: str, rest: str) -> str:
    """Join a subject and a label, without doubling a shared word ("支出" + "支出决算")."""
    if not subject:
        return rest
    for k in range(min(len(subject), len(rest)), 0, -1):
        if subject.endswith(rest[:k]) and k >= 2:
            return subject + rest[k:]
    return subject + rest


def _verb_note(verb: str) -> str:
    """A note for the template's 增加（减少） wording, whose sign is ambiguous."""
    if "（" in verb:
        return f"published as {verb} (template wording left in): sign read from the first word"
    return ""


def _derived(exact: Decimal, *precisions: Decimal) -> tuple[Decimal, Decimal]:
    """A derived figure's value and precision: as coarse as the figures it comes from, unless
    the exact result has more digits (then kept exact, never rounded away)."""
    quantum = min(max(precisions), _last_digit(exact))
    return (exact.quantize(quantum) if exact % quantum == 0 else exact), quantum


def _last_digit(value: Decimal) -> Decimal:
    """The quantum of the last significant digit of ``value`` (at most 1)."""
    if value == 0:
        return Decimal(1)
    e = value.normalize().as_tuple().exponent
    return Decimal(1).scaleb(min(0, e if isinstance(e, int) else 0))


def _canon_index(p: _Para, orig: int) -> int:
    """The first canonical position whose original offset is at least ``orig``."""
    lo, hi = 0, len(p.pos)
    while lo < hi:
        mid = (lo + hi) // 2
        if p.pos[mid] < orig:
            lo = mid + 1
        else:
            hi = mid
    return lo


_GENERIC_HEADS: Final = frozenset({"项目", "科目编码", "科目名称", "功能分类", "经济分类", "收入",
                                   "支出", "类", "款", "项", "编码", "名称", "功能分类科目编码",
                                   "经济分类科目编码", "功能分类科目名称", "经济分类科目名称"})


def _distinct_heads(header: list[tuple[int, int, str]]) -> int:
    """How many different column heads name numbers (not "项目", "科目名称", one character)."""
    return len({h[2] for h in header if len(h[2]) > 1 and h[2] not in _GENERIC_HEADS})


def _column_head(header: list[tuple[int, int, str]], a: int, b: int) -> str:
    """The head of the column a number sits in: the header cell nearest above it."""
    if not header:
        return ""
    centre = (a + b) / 2
    best = min(header, key=lambda h: abs((h[0] + h[1]) / 2 - centre))
    if abs((best[0] + best[1]) / 2 - centre) > max(8, (b - a)):
        return ""
    return best[2]


# ====================================================================== classification codes
_FUNCTION_LABEL: Final = re.compile(
    r"(?P<l>[^（）]+?)（类）(?:支出)?(?:(?P<k>[^（）]+?)（款）)?(?:(?P<x>[^（）]+?)（项）)?(?:支出)?")
_LEVEL_MARKS: Final = re.compile(r"（(?:类|款)）")

@functools.lru_cache(maxsize=1)
def _names() -> dict[tuple[str, str], list[tuple[str, int, str | None]]]:
    """(scheme, canonical name) → [(code, level, parent)] from the shipped edition."""
    frame = classification.shipped().frame
    out: dict[tuple[str, str], list[tuple[str, int, str | None]]] = {}
    for code, scheme, level, name, parent in zip(frame["code"], frame["scheme"], frame["level"],
                                                 frame["name_zh"], frame["parent"], strict=True):
        key = (str(scheme), _canon(str(name)))
        out.setdefault(key, []).append((str(code), int(level), str(parent) or None))
    return out


def _lookup(scheme: str, name: str, *, level: int | None = None, parent: str | None = None
            ) -> str | None:
    """The one code of ``scheme`` named ``name`` (also without or with a trailing 支出: the
    text's "住房公积金支出" is the code list's 住房公积金), or ``None`` when not exactly one."""
    names = _names()
    for candidate in (name, name.removesuffix("支出"), name + "支出"):
        rows = [r for r in names.get((scheme, candidate), [])
                if (level is None or r[1] == level) and (parent is None or r[2] == parent)]
        if len(rows) == 1:
            return rows[0][0]
    return None


def _function_code(label: str) -> str | None:
    """The functional code a label names: "一般公共服务（类）支出", "社会保障和就业支出",
    "一般公共服务支出（类）人大事务（款）行政运行（项）"."""
    text = label.strip("“”\"")
    m = _FUNCTION_LABEL.fullmatch(text)
    if m:
        code = _lookup("function", m.group("l"), level=1)
        if code and m.group("k"):
            code = _lookup("function", m.group("k"), level=2, parent=code)
            if code and m.group("x"):
                code = _lookup("function", m.group("x"), level=3, parent=code)
        return code
    return _lookup("function", text, level=1)


def _econ_code(label: str, parent: str | None = None) -> str | None:
    """The economic code a label names: department scheme first, ``parent``'s children first."""
    text = _LEVEL_MARKS.sub("", label.strip("“”\""))
    for scheme in ("economic_department", "economic_government"):
        code = _lookup(scheme, text, parent=parent) or (
            _lookup(scheme, text) if parent is not None else None)
        if code:
            return code
    return None


# ====================================================================== the whole document
class _Document:
    """Relations that span paragraphs, the ledger views and the metadata."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.figs = reader.figs
        self.ctx = reader.ctx

    def stated(self, *, kinds: Sequence[str] = ("amount",)) -> list[_Fig]:
        """The stated figures of some kinds that are not changes, shares or priors."""
        return [f for f in self.figs if f.kind in kinds and f.status == "stated" and
                f.role in ("", "project") and not f.dated]

    def run(self) -> None:
        """Apply the rules that span paragraphs, in an order where each can use the last."""
        self.codes()
        self.sangong()
        self.change_sums()
        self.totals_le()
        self.staffing()
        self.funds()
        self.repeated()
        self.running()
        self.projects()

    # ------------------------------------------------------------------ codes
    def codes(self) -> None:
        """Classification codes from labels: economic in the 经济分类, 三公 and 机关运行经费
        sections, functional elsewhere; table rows get none (their totals often span all
        funds)."""
        for f in self.stated():
            if f.key == "table":
                continue   # a table row states its own totals (often all funds): no codes
            if f.section == "economic":
                parent = f.whole.econ if f.whole is not None else None
                f.econ = _econ_code(f.label, parent)
            elif f.section in ("sangong", "running"):
                f.econ = _econ_code(f.label)
            if f.section not in ("economic", "sangong", "running", "performance", "procurement",
                                 "assets", "transfers", "organisation") and f.econ is None:
                f.function = _function_code(f.label)

    # ------------------------------------------------------------------ 三公
    def sangong(self) -> None:
        """The “三公” total is the sum of its three items (where the text did not say so)."""
        figs = [f for f in self.stated() if f.section == "sangong"]
        total = next((f for f in figs if "三公" in f.label and not (
            self.ctx.phase == "final" and _BUDGET_WORDS.search(f.label))), None)
        if total is None or total.parts:
            return

        def item(pattern: re.Pattern[str]) -> _Fig | None:
            return next((f for f in figs if pattern.match(f.label) and f is not total
                         and "三公" not in f.label), None)

        items = [item(_ABROAD), item(_VEHICLE), item(_HOSPITALITY)]
        if items[1] is None:
            purchase, run = item(_VEHICLE_PURCHASE), item(_VEHICLE_RUNNING)
            items[1:2] = [purchase, run]
        if all(i is not None and i.whole is None for i in items) and not any(
                fn == "sum" for fn, _ in total.relations):
            parts = [i for i in items if i is not None]
            total.relate("sum", parts)
            total.parts = parts

    def change_sums(self) -> None:
        """A total's change is the sum of its parts' changes (and its prior the sum of
        theirs), when every part states one."""
        for whole in self.figs:
            if not whole.parts or not whole.changes:
                continue
            leaves = _changed_leaves(whole)
            if leaves is None:
                continue
            change = next((c for c in whole.changes if c.role == "change"
                           and c.prior is not None), None)
            if change is None or change.prior is None:
                continue
            changes = [next(c for c in leaf.changes if c.role == "change") for leaf in leaves]
            change.relate("sum", changes)
            priors = [c.prior for c in changes]
            if all(p is not None for p in priors):
                change.prior.relate("sum", [p for p in priors if p is not None])

    # ------------------------------------------------------------------ ≤ rules
    def totals_le(self) -> None:
        """收入合计 ≤ 收入总计 (and 支出): this year's income is part of the grand total."""
        figs = self.stated()
        for side in ("收入", "支出"):
            grand = next((f for f in figs if _GRAND_TOTAL[side].fullmatch(f.label)), None)
            if grand is None:
                continue
            for f in figs:
                if _YEAR_TOTAL[side].fullmatch(f.label):
                    f.relate("le", [grand])

    def staffing(self) -> None:
        """实有在职人数 ≤ 编制: staff in post cannot exceed the establishment."""
        counts = self.stated(kinds=("count",))
        for f in counts:
            if f.unit in ("人", "名") and _IN_SERVICE.search(f.label) and "离退休" not in f.label:
                est = next((g for g in counts if g.para == f.para and g.unit == f.unit
                            and g.label.endswith("编制") and g.whole is None
                            and counts.index(g) < counts.index(f)), None)
                if est is not None:
                    f.relate("le", [est])

    # ------------------------------------------------------------------ same
    def funds(self) -> None:
        """The 一般公共预算 (or 政府性基金…) stated again: 收支预算 = income of that fund;
        later 一般公共预算 expenditure totals = the first."""
        figs = self.stated()
        income = {}
        for f in figs:
            if f.whole is not None and _INCOME_TOTAL.search(f.whole.label):
                fund = _fund_of(f.label)
                if fund and fund not in income:
                    income[fund] = f
        for f in figs:
            fund = _fund_of(f.label)
            if fund and "收支" in f.label and fund in income and f is not income[fund]:
                f.relate("same", [income[fund]])
        anchor: _Fig | None = None
        for f in figs:
            if not _GPB_SPENDING.match(f.label) or \
                    f.whole is not None or "基本支出" in f.label:
                continue
            if self.ctx.phase == "final" and _BUDGET_WORDS.search(f.label):
                continue
            if anchor is None:
                anchor = f
                anchor.role = anchor.role or ""
                self.anchor = anchor
            elif f.para != anchor.para:
                f.relate("same", [anchor])

    anchor: _Fig | None = None

    def repeated(self) -> None:
        """The same classification item stated twice: the second is ``same`` as the first."""
        seen: dict[tuple[str, str, str, int], _Fig] = {}
        for f in self.stated():
            if f.section == "running":
                continue
            for dim, code in (("econ", f.econ), ("function", f.function)):
                if code is None:
                    continue
                key = (dim, code, f.unit, f.year)
                first = seen.get(key)
                if first is None:
                    seen[key] = f
                elif first.whole is not f and f.whole is not first:
                    f.relate("same", [first])

    def running(self) -> None:
        """机关运行经费 items are parts of basic spending: each ≤ its economic item."""
        econ = {f.econ: f for f in reversed(self.stated()) if f.section == "economic" and f.econ}
        for f in self.stated():
            if f.section == "running" and f.econ and f.econ in econ and f.whole is not None:
                f.relate("le", [econ[f.econ]])

    # ------------------------------------------------------------------ projects
    def projects(self) -> None:
        """The projects' total is the sum of their funds and part of 项目支出; a 其中 list of the
        total stands for the projects when there are no project blocks."""
        amounts = self.r.project_figs
        figs = self.stated(kinds=("amount", "count"))
        perf = [f for f in figs if f.section == "performance" and f.role == ""]
        count = next((f for f in perf if f.kind == "count" and "项目" in f.label), None)
        total = next((f for f in perf if f.kind == "amount" and f.whole is None), None)
        if not amounts and total is not None and len(total.parts) >= 1:
            for i, part in enumerate(total.parts, start=1):
                part.role, part.subject = "project", part.label
                part.key = f"project.{i}.amount"
                amounts.append(part)
                self.r.projects.append(ParsedProject(part.label, part.value, part.unit,
                                                     part.precision, part.sentence))
        self.project_amounts = amounts
        self.projects_count, self.projects_total = count, total
        if total is not None and amounts:
            total.relate("sum", amounts)
        project_spending = next((f for f in figs if f.section == "expenditure"
                                 and f.label == "项目支出"), None)
        if total is not None and project_spending is not None:
            total.relate("le", [project_spending])

    project_amounts: list[_Fig]
    projects_count: _Fig | None
    projects_total: _Fig | None

    # ------------------------------------------------------------------ ledger views
    def views(self) -> dict[str, Ledger]:
        """The ledger views — ``economic`` (经济分类 款), ``function`` (功能分类), ``basic``
        (人员经费/公用经费) and ``projects`` — and the selectors that measure them."""
        base = {"year": self.ctx.year, "phase": self.ctx.phase, "entity": self.ctx.entity or None}
        views: dict[str, list[dict[str, Any]]] = {"economic": [], "function": [],
                                                  "basic": [], "projects": []}
        econ = [f for f in self.stated() if f.section == "economic" and f.econ]
        for view, figs, dim in (("economic", econ, "economic"),
                                ("function", self.function_items(), "function")):
            chosen = _leaves(figs, dim)
            fund = _view_fund(figs)
            for f in chosen:
                fen = _fen(f)
                if fen is None:
                    continue
                views[view].append({**base, "fund": fund, dim: getattr(f, "econ" if dim ==
                                                                        "economic" else dim),
                                    "amount": fen})
            self.selectors(view, dim, figs, chosen)
        basic = [f for f in self.stated() if f.section == "economic"
                 and _BASIC_KINDS.fullmatch(f.label)]
        seen_kinds: set[str] = set()
        for f in basic:
            kind = "basic.personnel" if f.label == "人员经费" else "basic.public"
            fen = _fen(f)
            if kind in seen_kinds or fen is None:
                continue
            seen_kinds.add(kind)
            views["basic"].append({**base, "fund": _view_fund(basic), "kind": kind,
                                   "amount": fen})
            f.selector = f"sum(view=basic kind={kind})"
        if len(seen_kinds) == 2:
            whole = basic[0].whole
            if whole is not None and whole.selector is None and all(
                    b.whole is whole for b in basic):
                whole.selector = "sum(view=basic)"
        names: set[str] = set()
        for f in self.project_amounts:
            fen = _fen(f)
            name = f.subject
            if fen is None or name in names or not name or _SELECTOR_BREAKERS.search(name):
                continue
            names.add(name)
            views["projects"].append({**base, "kind": "project", "project": name,
                                      "amount": fen})
            f.selector = f"sum(view=projects project={name})"
        if views["projects"]:
            if self.projects_count is not None:
                self.projects_count.selector = "count(view=projects)"
            if self.projects_total is not None:
                self.projects_total.selector = "sum(view=projects)"
        if self.anchor is not None and self.anchor.selector is None and views["function"]:
            self.anchor.selector = "sum(view=function)"
        # one validated ledger, cut into views: building a Ledger has a fixed cost that
        # would dominate the parse if paid once per view
        rows = [r for name in views for r in views[name]]
        if not rows:
            empty = _empty_ledger()
            return dict.fromkeys(("economic", "function", "basic", "projects"), empty)
        everything = Ledger(pd.DataFrame(rows, columns=list(COLUMNS)), unit="分",
                            source="disclosure text")
        return {"economic": everything.select(kind=None, function=None),
                "function": everything.select(kind=None, economic=None),
                "basic": everything.select(kind="basic"),
                "projects": everything.select(kind="project")}

    def function_items(self) -> list[_Fig]:
        """The functional items of the 一般公共预算 section (else any coded ones), budgets aside."""
        coded = [f for f in self.stated() if f.function]
        gpb = [f for f in coded if f.section == "gpb" and not _GENERIC_TAIL.search(f.label)]
        return gpb or [f for f in coded if not _GENERIC_TAIL.search(f.label)]

    def selectors(self, view: str, dim: str, figs: list[_Fig], chosen: list[_Fig]) -> None:
        """Selectors for coded figures and for the total every line of a view descends from."""
        if not chosen:
            return
        attr = "econ" if dim == "economic" else "function"
        codes = {getattr(f, attr) for f in chosen}
        for f in figs:
            code = getattr(f, attr)
            if f.selector is None and code and any(c.startswith(code) for c in codes) and (
                    f in chosen or f.parts):
                f.selector = f"sum(view={view} {dim}={code})"
        wholes = {f.whole for f in chosen if f.whole is not None}
        for w in list(wholes):
            while w.whole is not None and w.whole.selector is None and w.whole.kind == "amount":
                w = w.whole
            if w.selector is None and _covers(w, chosen):
                w.selector = f"sum(view={view})"


_BUDGET_WORDS: Final = re.compile("年初预算|预算数|调整预算")
_ABROAD: Final = re.compile("因公出国")
_VEHICLE: Final = re.compile("公务用?车购置及运行")
_HOSPITALITY: Final = re.compile("公务接待")
_VEHICLE_PURCHASE: Final = re.compile("公务用?车购置(?!及)")
_VEHICLE_RUNNING: Final = re.compile("公务用?车(?:用车)?运行")
_GRAND_TOTAL: Final = {side: re.compile(
    rf"(?:本年)?(?:{side}|收入、?支出|收、?支)(?:预算|决算)?总计")
                       for side in ("收入", "支出")}
_YEAR_TOTAL: Final = {side: re.compile(rf"(?:本年)?{side}(?:预算|决算)?合计")
                      for side in ("收入", "支出")}
_IN_SERVICE: Final = re.compile("实有|在职")
_INCOME_TOTAL: Final = re.compile("收入(?:合计|总计)")
_GPB_SPENDING: Final = re.compile(r"一般公共预算(?:财政拨款)?(?:收支|(?:基本)?支出)")
_BASIC_KINDS: Final = re.compile("人员经费|(?:日常)?公用经费")
_SELECTOR_BREAKERS: Final = re.compile(r"[|\s]")
_VEHICLES: Final = re.compile("(?:共有)?车辆")
@functools.cache
def _empty_ledger() -> Ledger:
    """A view with no lines (ledgers are immutable, so one serves every empty view)."""
    return Ledger(pd.DataFrame(columns=list(COLUMNS)), unit="分", source="disclosure text")


_GENERIC_TAIL: Final = re.compile(r"(?:年初预算数?|调整预算数?|预算数|决算数?|完成(?:年初)?预算)$")


def _covers(whole: _Fig, chosen: list[_Fig]) -> bool:
    """Whether every chosen line descends from ``whole``."""
    def under(f: _Fig) -> bool:
        while f.whole is not None:
            if f.whole is whole:
                return True
            f = f.whole
        return False
    return all(under(f) for f in chosen)


def _leaves(figs: list[_Fig], dim: str) -> list[_Fig]:
    """The figures that are ledger lines: the finest stated codes, each code once."""
    attr = "econ" if dim == "economic" else "function"
    codes = [getattr(f, attr) for f in figs]
    out: list[_Fig] = []
    seen: set[str] = set()
    for f, code in zip(figs, codes, strict=True):
        if code in seen:
            continue
        if any(c != code and c.startswith(code) for c in codes):
            continue
        if any(code.startswith(c) and c != code for c in seen):
            continue
        seen.add(code)
        out.append(f)
    return out


def _view_fund(figs: list[_Fig]) -> str | None:
    """The fund a view's lines are in, from the label of the list they belong to."""
    for f in figs:
        w = f.whole or f
        while w.whole is not None:
            w = w.whole
        fund = _fund_of(w.label)
        if fund:
            return fund
    return None


def _fund_of(label: str) -> str | None:
    """The fund a label names (一般公共预算 → general …), or ``None``."""
    if label.startswith(("一般公共预算", "公共财政")):
        return "general"
    if label.startswith("政府性基金"):
        return "govfund"
    if label.startswith("国有资本经营"):
        return "soe"
    if label.startswith(("专户管理", "财政专户")):
        return "special"
    return None


def _fen(f: _Fig) -> int | None:
    """The figure in whole 分, or ``None`` when it is not money exact to the 分."""
    if f.unit not in _MONEY:
        return None
    fen = f.value * fen_per(f.unit)
    if fen != fen.to_integral_value() or abs(fen) >= 2 ** 62:
        return None
    return int(fen)


def _changed_leaves(whole: _Fig) -> list[_Fig] | None:
    """The parts (recursively) that each state a change, or ``None`` if one does not."""
    out: list[_Fig] = []
    for p in whole.parts:
        if any(c.role == "change" for c in p.changes):
            out.append(p)
        elif p.parts:
            sub = _changed_leaves(p)
            if sub is None:
                return None
            out.extend(sub)
        else:
            return None
    return out


# ====================================================================== metadata
def _assets(figs: list[_Fig], year: int) -> dict[str, Any]:
    """The counts of the assets section: vehicles held (the first statement of them, and its
    categories), and every other count — a list's parts under their whole, so that "购置车辆1辆，
    其中：…其他用车1辆" does not overwrite the 其他用车 held."""
    assets: dict[str, Any] = {}
    entries: dict[int, dict[str, Any]] = {}
    held: _Fig | None = None
    for f in figs:
        if f.section != "assets" or f.kind != "count":
            continue
        if f.year != year:
            assets.setdefault("as_of_year", f.year)
        if held is None and _VEHICLES.fullmatch(f.label):
            held = f
            assets["vehicles"] = int(f.value)
            if f.parts:
                assets["vehicles_by_category"] = {p.label: int(p.value) for p in f.parts}
            continue
        if held is not None and f.whole is held:
            continue
        entry = {"value": f.printed(), "unit": f.unit}
        holder = entries.get(id(f.whole)) if f.whole is not None else None
        siblings = holder.setdefault("parts", {}) if holder is not None else \
            assets.setdefault("other", {})
        key, n = f.label, 1
        while key in siblings:
            n += 1
            key = f"{f.label}（{n}）"
        siblings[key] = entries[id(f)] = entry
    return assets


_TITLE: Final = re.compile(
    r"(?P<entity>[^，。；：\s]*?)(?P<year>(?:19|20)[0-9]{2})年度?(?:区级|市级|县级|省级|州级)?"
    r"(?P<doc>部门|单位)?(?P<phase>预算|决算)")
_NAMED: Final = re.compile(r"(?:预算主管部门|编制部门|编制单位|部门名称|单位名称|预算单位)："
                           r"(?P<e>[^，。；：\s]{2,40}?)(?=单位：|金额单位|[，。；\s]|$)")
_SUBJECT: Final = re.compile(
    r"^(?P<e>[^，。；：0-9]{2,40}?)(?:19|20)[0-9]{2}年度?(?:收入|支出|部门|单位|财政拨款|一般公共)")
_FUND_NAMES: Final = re.compile("一般公共预算|政府性基金预算|国有资本经营预算")
_NOT_ENTITY: Final = re.compile("部分|目录|说明")
_YEAR_WORD: Final = re.compile(r"((?:19|20)[0-9]{2})年")
_UNIT_DOCUMENT: Final = re.compile("单位(?:预算|决算)")


def _context(paras: list[_Para], text: str) -> tuple[str, int, str, str, tuple[str, ...]]:
    """(entity, year, phase, document, other names of the entity) from the titles, headings and
    the subjects of sentences ("某某局2021年收入合计…"): a name stated outright (预算主管部门：…)
    first, then the subject the text repeats, then the title's."""
    titles = [_PART.sub("", p.s) for p in paras if p.kind in ("heading", "title")]
    entity, year, doc = "", 0, ""
    subjects = Counter(m.group("e") for p in paras if p.kind == "text"
                       for m in [_SUBJECT.match(p.s)] if m)
    for t in titles:
        m = _TITLE.search(t)
        if m:
            if not year:
                year = int(m.group("year"))
            if not doc and m.group("doc"):
                doc = m.group("doc")
            e = m.group("entity").removeprefix("关于")
            if not entity and len(e) >= 2 and not _NOT_ENTITY.search(e):
                entity = e
    names = [entity] if entity else []
    common = subjects.most_common(1)
    if common and (common[0][1] >= 2 or not entity):
        entity = common[0][0]
    for p in paras[:40]:
        m = _NAMED.search(p.s)
        if m and m.group("e") not in _MONEY:
            entity = m.group("e")
            break
    names = sorted({*names, *subjects, entity} - {""}, key=len, reverse=True)
    if not year:
        years = _YEAR_WORD.findall(" ".join(p.s for p in paras[:60]))
        year = int(max(set(years), key=years.count)) if years else 0
    heads = _FUND_NAMES.sub("", " ".join(titles))
    phase = "final" if heads.count("决算") > heads.count("预算") else "budget"
    if not doc:
        doc = "单位" if _UNIT_DOCUMENT.search(" ".join(titles) + text[:400]) else "部门"
    return entity, year, phase, doc, tuple(names)


# ====================================================================== ids
#: Readable ids for the template's usual figures: (section or any, label pattern, id).
_CONCEPTS: Final[tuple[tuple[str | None, re.Pattern[str], str], ...]] = tuple(
    (section, re.compile(rx), concept) for section, rx, concept in (
        (None, r"(?:收入、?支出|收、?支)(?:预算|决算)?总计", "grand_total"),
        (None, r"(?:本年)?收入(?:预算|决算)?总计", "income.grand_total"),
        (None, r"(?:本年)?支出(?:预算|决算)?总计", "expenditure.grand_total"),
        (None, r"(?:本年)?收入(?:预算|决算)?合计", "income.total"),
        (None, r"(?:本年)?支出(?:预算|决算)?合计", "expenditure.total"),
        ("income", r"一般公共预算(?:拨款|收入|财政拨款(?:收入)?)?", "income.gpb"),
        ("income", r"政府性基金(?:预算)?(?:拨款|收入|财政拨款(?:收入)?)?", "income.govfund"),
        ("income", r"财政拨款收入", "income.appropriation"),
        ("appropriation", r"政府性基金(?:预算)?收支预算", "govfund.total"),
        ("expenditure", r"基本支出", "expenditure.basic"),
        ("expenditure", r"项目支出", "expenditure.project"),
        ("sangong", r"“?三公”?经费.*", "sangong.total"),
        ("sangong", r"因公出国（境）费.*", "sangong.abroad"),
        ("sangong", r"公务用?车购置及运行.*", "sangong.vehicle"),
        ("sangong", r"公务用?车购置费?", "sangong.vehicle.purchase"),
        ("sangong", r"公务用?车(?:用车)?运行(?:维护)?费", "sangong.vehicle.operation"),
        ("sangong", r"公务接待费.*", "sangong.hospitality"),
        ("running", r"机关运行经费.*", "running.total"),
        ("procurement", r"政府采购(?:预算|支出|金额)?(?:总额|合计)?", "procurement.total"),
        ("transfers", r".*转移支付项目", "transfers.projects"),
        (None, r"(?:共有)?编制", "staff.establishment"),
        (None, r"实有.*|在职(?:职工|人员)", "staff.actual"),
        (None, r"离退休人员?", "staff.retired"),
        ("assets", r"(?:共有)?车辆", "assets.vehicles"),
    ))


def _assign_ids(figs: list[_Fig], doc: _Document) -> None:
    """Readable unique ids: concepts, codes, projects, and the base figure's id for changes."""
    used: set[str] = set()
    counters: dict[str, int] = {}

    def unique(key: str) -> str:
        k, n = key, 1
        while k in used:
            n += 1
            k = f"{key}.{n}"
        used.add(k)
        return k

    for f in figs:
        key = ""
        if f.role == "current" and f.base is not None:
            key = f"{f.base.id}.{f.year if f.base.year != f.year else 'same_basis'}"
        elif f.role == "prior" and f.base is not None:
            key = f"{f.base.id}.{f.year}"
        elif f.role == "change" and f.base is not None:
            key = f"{f.base.id}.change"
        elif f.role == "pct" and f.base is not None:
            key = f"{f.base.id}.change_pct"
        elif f.role == "share" and f.base is not None:
            key = f"{f.base.id}.share"
        elif f is doc.anchor:
            key = "gpb.total"
        elif f.selector in ("sum(view=function)", "sum(view=economic)", "sum(view=basic)"):
            key = {"sum(view=function)": "function.total", "sum(view=economic)": "econ.total",
                   "sum(view=basic)": "basic.total"}[f.selector]
        elif f is doc.projects_count:
            key = "projects.count"
        elif f is doc.projects_total:
            key = "projects.total"
        elif f.key.startswith("project."):
            key = f.key
        elif f.econ and f.section == "economic":
            key = f"econ.{f.econ}"
        elif f.function and f.section == "gpb":
            key = f"function.{f.function}"
        elif f.key == "table":
            counters["table"] = counters.get("table", 0) + 1
            key = f"table.{counters['table']}"
        else:
            for section, rx, concept in _CONCEPTS:
                if (section is None or section == f.section) and rx.fullmatch(f.label) \
                        and f.kind != "change" and concept not in used:
                    key = concept
                    break
        if not key:
            section = f.section or "text"
            counters[section] = counters.get(section, 0) + 1
            key = f"{section}.{counters[section]}"
        f.id = unique(key)


# ====================================================================== entry points
def parse_file(path: str | Path) -> ParseResult:
    """Read a disclosure text file (UTF-8, UTF-8 with BOM, UTF-16 with BOM or GBK/GB18030).

    The encoding is detected (see :func:`decode`); a file that decodes in none raises
    :class:`ParseError` naming the file and byte.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "budget.txt"
    ...     _ = path.write_bytes("某局2021年部门预算\\n某局2021年收入合计400万元。".encode("gbk"))
    ...     r = parse_file(path)
    >>> r.encoding, r.figures[0].label_zh, r.figures[0].value, r.source == str(path)
    ('gb18030', '收入合计', Decimal('400'), True)
    """
    p = Path(path)
    text, encoding = decode(p.read_bytes(), where=str(p))
    return parse_text(text, source=str(p), encoding=encoding)


def parse_text(text: str, *, source: str | None = None, encoding: str | None = None
               ) -> ParseResult:
    """Read a disclosure's narrative into a :class:`ParseResult`.

    ``source`` names the text in errors and metadata. The text may be as typed (one paragraph
    per line) or as extracted from a PDF (wrapped lines, page numbers, form feeds, flattened
    table rows). Raises :class:`ParseError` only for a string that is not text at all (control
    characters, lone surrogates, U+FFFD from a lossy decoding); anything else is read, and what
    could not be read is listed in :attr:`ParseResult.unparsed`.

    >>> r = parse_text("某局2021年部门预算\\n一、支出预算总体情况说明\\n某局2021年支出合计400万元，"
    ...                "其中：基本支出363万元，占91%。")
    >>> [(f.id, f.printed, f.unit, [str(c) for c in f.relations]) for f in r.figures]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('expenditure.total', '400', '万元', []),
     ('expenditure.basic', '363', '万元', ['le(expenditure.total)']),
     ('expenditure.basic.share', '91', '%', ['share(expenditure.basic, expenditure.total)'])]
    >>> parse_text("收入\\x00400万元")     # not text: a NUL byte, as from a binary file
    Traceback (most recent call last):
    ...
    fiscalkit.errors.ParseError: <text>, line 1, column 3: offset 2 holds character U+0000, \
which no text document holds
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text (str), got {type(text).__name__}; use parse_file or "
                         "decode for bytes", where=source)
    _check_text(text, source)
    if text.startswith("\ufeff"):
        text = " " + text[1:]   # keep offsets: the BOM becomes a space
    lines = _lines(text)
    _classify_lines(lines)
    paras, pages = _paragraphs(lines, text)
    _assign_sections(paras)
    entity, year, phase, doc, names = _context(paras, text)
    ctx = _Ctx(entity=entity, year=year, phase=phase, labeller=_Labeller(names))
    reader = _Reader(text, paras, ctx)
    reader.run()
    for ln in pages:
        for m in _TOKEN.finditer(ln.text):
            oa, ob = ln.pos[m.start()], ln.pos[m.end() - 1] + 1
            reader.readings.append(_Read(oa, ob, "skipped", "page number", None, oa, ob))
    document = _Document(reader)
    document.run()
    views = document.views()
    _assign_ids(reader.figs, document)
    figures = tuple(_stated(f) for f in reader.figs)
    metadata = _metadata(reader, document, ctx, doc, source, encoding)
    indicators = pd.DataFrame(reader.indicator_rows,
                              columns=["project", "level1", "level2", "name", "comparator",
                                       "target", "unit", "sentence"])
    readings = tuple(sorted((_reading(text, r) for r in reader.readings),
                            key=lambda r: (r.start, r.end)))
    disclosure = Disclosure(views=views, figures=figures, metadata=metadata,
                            indicators=indicators, source_text=text)
    return ParseResult(disclosure=disclosure, unparsed=_unparsed(text, reader.readings),
                       readings=readings, projects=tuple(reader.projects), encoding=encoding,
                       source=source)


def _stated(f: _Fig) -> StatedFigure:
    """The public, immutable figure."""
    return StatedFigure(
        id=f.id, year=f.year, label_zh=f.label, label_en="", value=f.value, unit=f.unit,
        precision=f.precision, kind=f.kind,
        selector=parse_selector(f.selector) if f.selector else None,
        relations=tuple(Call(fn, tuple(a.id for a in args)) for fn, args in f.relations),
        status=f.status, sentence=f.sentence, note=f.note)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _reading(text: str, r: _Read) -> Reading:
    """The public form of a reading, with the figure's final id."""
    line, column = _line_col(text, r.start)
    return Reading(text[r.start:r.end], r.start, r.end, line, column, r.use,
                   r.fig.id if r.fig is not None else r.detail)


def _unparsed(text: str, readings: list[_Read]) -> tuple[Unparsed, ...]:
    """The sentences holding an unparsed number, each once, in text order."""
    groups: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for r in sorted(readings, key=lambda r: (r.start, r.end)):
        if r.use == "unparsed":
            groups.setdefault((r.sentence_start, r.sentence_end), []).append(
                (text[r.start:r.end], r.detail))
    out = []
    for (sa, sb), items in sorted(groups.items()):
        sentence = text[sa:sb]
        lead = len(sentence) - len(sentence.lstrip())
        sentence = sentence.strip()
        line, column = _line_col(text, sa + lead)
        reasons = list(dict.fromkeys(d for _t, d in items))
        out.append(Unparsed(sentence, sa + lead, sa + lead + len(sentence), line, column,
                            tuple(t for t, _d in items), "; ".join(reasons)))
    return tuple(out)


def _metadata(reader: _Reader, doc: _Document, ctx: _Ctx, document: str, source: str | None,
              encoding: str | None) -> dict[str, Any]:
    """Entity, year, phase, document, unit of account, staffing, assets, organisation, projects."""
    figs = doc.stated(kinds=("amount", "count"))
    money = [f.unit for f in figs if f.unit in _MONEY and f.key != "table"]
    meta: dict[str, Any] = {
        "entity": {"name_zh": ctx.entity},
        "year": ctx.year,
        "phase": ctx.phase,
        "document": "unit" if document == "单位" else "department",
        "document_zh": document + ("决算" if ctx.phase == "final" else "预算"),
        "unit_of_account": max(set(money), key=money.count) if money else "万元",
        "currency": "CNY",
    }
    staffing: dict[str, Any] = {}
    for f in figs:
        if f.kind != "count" or f.unit not in ("人", "名") or f.section == "performance":
            continue
        if f.label.endswith("编制") and f.whole is None and "establishment" not in staffing:
            staffing["establishment"] = int(f.value)
            if f.parts:
                staffing["establishment_by_category"] = {p.label: int(p.value) for p in f.parts}
        elif _IN_SERVICE.search(f.label) and f.whole is None and "in_service" not in staffing:
            staffing["in_service"] = int(f.value)
            if f.parts:
                staffing["in_service_by_category"] = {p.label: int(p.value) for p in f.parts}
        elif "退休" in f.label and "retired" not in staffing:
            staffing["retired"] = int(f.value)
    if staffing:
        meta["staffing"] = staffing
    assets = _assets(figs, ctx.year)
    if assets:
        meta["assets"] = assets
    organisation = {f.label: int(f.value) for f in figs
                    if f.section == "organisation" and f.kind == "count"
                    and f.unit not in ("人", "名")}
    if organisation:
        meta["organisation"] = organisation
    if reader.projects:
        meta["projects"] = [p.to_dict() for p in reader.projects]
    if reader.nil:
        meta["nil_statements"] = reader.nil
    if source:
        meta["source"] = {"file": source, "encoding": encoding}
    return meta
