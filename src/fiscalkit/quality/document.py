"""What the transparency checks read: a disclosure's full text, its figures and its tables.

The reconciliation needs figures; a transparency audit needs more: the *whole* text a reader
sees — headings, table titles, the notes printed under empty tables, page headers — because a
missing section or a stale "本表为空表" is a property of the document, not of any figure. A
:class:`Document` bundles that text with the :class:`~fiscalkit.disclosure.Disclosure` read
from it (when a reader could read one) and the standard tables a PDF reader found.

:func:`as_document` accepts whatever a caller has — a ``Document``, a ``Disclosure``, the
result of :func:`fiscalkit.disclosure.text.parse_text` or of the PDF reader, a string of text
or a path — so every check takes the same argument. A ``str`` is always *text*; pass a
:class:`pathlib.Path` for a file.

>>> doc = as_document("某某局2021年部门预算\\n一、收入预算总体情况说明\\n"
...                   "某某局2021年收入合计400万元。")
>>> doc.phase, doc.year, doc.entity
('budget', 2021, '某某局')
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from fiscalkit.disclosure.model import Disclosure
from fiscalkit.errors import FiscalkitError, ParseError
from fiscalkit.quality._text import Flat, Sentence, lines_of, sentences_of

__all__ = ["Document", "Phase", "TableInfo", "TextTable", "as_document", "load_document",
           "pdf_text"]

Phase = Literal["budget", "final"]


@dataclass(frozen=True)
class TableInfo:
    """A table a reader found: its standard name (if it is one), printed title, amounts.

    ``has_amounts`` says whether any printed cell is a non-zero amount; ``rows`` are the
    (code, label) pairs as printed, for the code-name check. :func:`tables_of` makes them
    from a PDF reader's result; a table counts toward completeness by its ``name``.

    >>> info = TableInfo("收支总表", "部门收支总表", True, (("201", "一般公共服务支出"),))
    >>> doc = Document("某局2021年部门预算", tables=(info,))
    >>> from fiscalkit.quality.completeness import completeness
    >>> [e.id for e in completeness(doc).present]
    ['summary']
    """

    name: str | None
    title: str
    has_amounts: bool
    rows: tuple[tuple[str | None, str], ...] = ()


@dataclass(frozen=True)
class TextTable:
    """A table as it appears in the text: its title (flat), span and body lines.

    Found by :attr:`Document.text_tables` in text without table structure (a ``.txt``
    file, a PDF's extracted text), so that notes under tables can be checked.

    >>> doc = Document("某局2021年部门预算\\n政府性基金预算支出表\\n单位：万元\\n"
    ...                "2120101 城市公用设施 12.50\\n注：本表为空表。\\n")
    >>> (table,) = doc.text_tables
    >>> table.title, table.body
    ('政府性基金预算支出表', ('单位：万元', '2120101 城市公用设施 12.50', '注：本表为空表。'))
    >>> table.amounts()          # the code 2120101 is not an amount
    ['12.50']
    """

    title: str
    start: int
    end: int
    body: tuple[str, ...]

    def amounts(self, *, before: re.Pattern[str] | None = None) -> list[str]:
        """The non-zero amounts printed in the body (cells with a decimal point or
        thousands separators, so that codes, years and page numbers are not amounts),
        up to the first line ``before`` matches."""
        out: list[str] = []
        for line in self.body:
            if before is not None and before.search("".join(line.split())):
                break
            for a in _CELL_AMOUNT.findall(line):
                if any(c in "123456789" for c in a):
                    out.append(a)
        return out


@dataclass(frozen=True)
class Document:
    """A disclosure as the quality checks see it.

    ``text`` is everything a reader sees (for a PDF: every page's text, tables included);
    ``disclosure`` the figures and views a reader could read (``None`` when none could);
    ``tables`` the tables a PDF reader recognised; ``metadata`` overrides what is inferred
    from the text (``phase``, ``year``, ``entity``, ``unit_type``, ``region``).

    For a PDF the text is two parts: the narrative as the PDF reader rebuilt it (sentences
    re-joined across lines and pages; ``text[:narrative_end]``, the :attr:`body`), then
    every page as extracted (titles, table cells, the notes under tables, headers).
    Sentence rules read the body; completeness, tables and notes read everything.

    >>> doc = Document("某局2021年部门预算\\n一、收入预算总体情况说明\\n收入合计400万元。")
    >>> doc.phase, doc.year, [s.heading for s in doc.sentences]
    ('budget', 2021, [False, True, False])
    """

    text: str
    disclosure: Disclosure | None = None
    tables: tuple[TableInfo, ...] = ()
    source: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    narrative_end: int = 0

    # ------------------------------------------------------------------ views of the text
    @functools.cached_property
    def flat(self) -> Flat:
        """The flat view of the text (see :mod:`fiscalkit.quality._text`)."""
        return Flat.of(self.text)

    @property
    def body(self) -> str:
        """The running text: the narrative part of a PDF, else the whole text. (Text
        extracted page by page wraps sentences at every line and page; the PDF reader's
        narrative has them re-joined, so sentence rules read that.)"""
        return self.text[:self.narrative_end] if self.narrative_end else self.text

    @functools.cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences of the running text (:attr:`body`), in order."""
        return tuple(sentences_of(self.body))

    @functools.cached_property
    def toc(self) -> tuple[tuple[int, int], ...]:
        """The original spans of the tables of contents (one per part of the text).

        Entries of a table of contents name sections and tables without being them, so the
        completeness check ignores matches inside it.
        """
        spans = []
        cut = self.narrative_end
        for offset, part in ((0, self.text[:cut]), (cut, self.text[cut:])) if cut else (
                (0, self.text),):
            a, b = _toc_span(part)
            if b > a:
                spans.append((a + offset, b + offset))
        return tuple(spans)

    @functools.cached_property
    def covers(self) -> tuple[str, ...]:
        """The first lines of the text (up to 300 characters, flat): title and entity; for a
        PDF also those of the first page as extracted (the reader drops running headers)."""
        first = [Flat.of(self.body[:3000]).text[:300]]
        if self.narrative_end:
            first.append(Flat.of(self.text[self.narrative_end:self.narrative_end + 3000]
                                 ).text[:300])
        return tuple(first)

    @property
    def cover(self) -> str:
        """The covers joined (see :attr:`covers`)."""
        return "\n".join(self.covers)

    # ------------------------------------------------------------------ what it is about
    def _meta(self, key: str) -> Any:
        if key in self.metadata:
            return self.metadata[key]
        if self.disclosure is not None:
            return self.disclosure.metadata.get(key)
        return None

    @functools.cached_property
    def phase(self) -> Phase | None:
        """``budget`` (预算) or ``final`` (决算), from the metadata or the title."""
        value = self._meta("phase")
        if value in ("budget", "final"):
            return "final" if value == "final" else "budget"
        m = _PHASE.search(self.cover)
        if m:
            return "final" if m.group(1) == "决算" else "budget"
        return None

    @functools.cached_property
    def year(self) -> int | None:
        """The year the disclosure is about."""
        value = self._meta("year")
        if isinstance(value, int) and value > 0:
            return value
        if isinstance(value, str) and value.isdigit() and int(value) > 0:
            return int(value)
        m = _YEAR.search(self.cover) or _YEAR.search(self.flat.text[:3000])
        return int(m.group(1)) if m else None

    @functools.cached_property
    def entity(self) -> str:
        """The entity's name as published (metadata, else the cover)."""
        value = self._meta("entity")
        if isinstance(value, Mapping):
            value = value.get("name_zh", "")
        if isinstance(value, str) and value:
            return value
        for cover in self.covers:
            for pattern in (_COVER_ENTITY, _TITLE_ENTITY):
                m = pattern.search(cover)
                if m:
                    return m.group(1)
        return ""

    @functools.cached_property
    def region(self) -> str:
        """The jurisdiction as the metadata gives it ("河南省安阳市青山区"), or ``""``."""
        for key in ("region", "region_zh", "jurisdiction"):
            value = self._meta(key)
            if isinstance(value, str) and value:
                return value
        ent = self._meta("entity")
        if isinstance(ent, Mapping):
            for key in ("region_zh", "region", "jurisdiction"):
                if isinstance(ent.get(key), str) and ent[key]:
                    return str(ent[key])
        return ""

    @functools.cached_property
    def unit_type(self) -> str:
        """事业单位, 行政单位, 参公 … from the metadata or the text's own description."""
        ent = self._meta("entity")
        if isinstance(ent, Mapping) and isinstance(ent.get("unit_type"), str):
            return str(ent["unit_type"])
        value = self._meta("unit_type")
        if isinstance(value, str) and value:
            return value
        subjects = ["本单位", "我单位", "本部门", "我部门", "本中心", "我中心"]
        if self.entity:
            subjects.insert(0, re.escape(self.entity))
        rx = re.compile(rf"(?:{'|'.join(subjects)})" + _UNIT_TYPE.pattern)
        m = rx.search(self.before_glossary[:6000])
        return m.group(1) if m else ""

    @functools.cached_property
    def before_glossary(self) -> str:
        """The flat text before the glossary (名词解释), whose definitions name every unit
        type and every fund, so that descriptions of the unit itself are not confused with
        them."""
        for m in _GLOSSARY.finditer(self.flat.text):
            if not self.in_toc(self.flat.original(m.start(), m.end())[0]):
                return self.flat.text[:m.start()]
        return self.flat.text

    @functools.cached_property
    def text_tables(self) -> tuple[TextTable, ...]:
        """The tables as printed in the text: a title line ending in 表 (outside the
        contents) followed within six lines by a table header (单位：, 部门：, 编制单位：),
        and its lines up to the next title or the first sentence (。) — the note under
        it, if any, is the last line."""
        lines = [(a, line) for a, line in lines_of(self.text)]
        titles: list[tuple[int, int, str]] = []
        i = 0
        while i < len(lines):
            start, line = lines[i]
            flat = "".join(line.split())
            nxt = "".join(lines[i + 1][1].split()) if i + 1 < len(lines) else ""
            joined = 1
            if not flat.endswith("表") and nxt.endswith("表") and len(nxt) <= 6:
                flat, joined = flat + nxt, 2
            flat = _TITLE_TAIL.sub("", flat)
            if (_TITLE_LINE.match(flat) and not self.in_toc(start)
                    and any(_TABLE_HEAD.search(x) for _, x in lines[i + joined:i + joined + 6])):
                titles.append((i, i + joined, flat))
                i += joined
                continue
            i += 1
        out: list[TextTable] = []
        for k, (a, b, title) in enumerate(titles):
            end_line = titles[k + 1][0] if k + 1 < len(titles) else min(len(lines), b + 600)
            body: list[str] = []
            for j in range(b, end_line):  # up to the first sentence (a note, or narrative)
                body.append(lines[j][1].strip())
                if "。" in lines[j][1]:
                    end_line = j + 1
                    break
            end = lines[end_line][0] if end_line < len(lines) else len(self.text)
            out.append(TextTable(title, lines[a][0], end, tuple(body)))
        return tuple(out)

    @property
    def name(self) -> str:
        """A short name for reports: the disclosure's name, else the entity and year."""
        if self.disclosure is not None and self.disclosure.metadata.get("name"):
            return str(self.disclosure.metadata["name"])
        base = f"{self.entity} {self.year or ''}".strip()
        return base or Path(self.source).name or "disclosure"

    def in_toc(self, start: int) -> bool:
        """Whether the original offset ``start`` lies in a table of contents."""
        return any(a <= start < b for a, b in self.toc)


_PHASE: Final = re.compile(r"(决算|预算)")
_TITLE_LINE: Final = re.compile(r"^[^。，；：:]{2,60}表$")
_TITLE_TAIL: Final = re.compile(r"(?:[（(]续表?[）)]|续表|[（(][^（）()]{1,12}[）)])$")
_TABLE_HEAD: Final = re.compile(r"单位\s*[：:]|部门\s*[：:]|编制(?:部门|单位)|金额单位")
_CELL_AMOUNT: Final = re.compile(r"(?<![0-9.,])(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|"
                                 r"[0-9]+\.[0-9]{1,2})(?![0-9.,%])")
_GLOSSARY: Final = re.compile(r"名词解释|名称解释")
_YEAR: Final = re.compile(r"((?:19|20)[0-9]{2})年度?")
_COVER_ENTITY: Final = re.compile(
    r"(?:预算主管部门|编制部门|编制单位|部门名称|单位名称|部门)：([\u4e00-\u9fff（）]{2,40}?)"
    r"(?=[0-9]|单位：|目录|$|[一二三四五六七八九十]、|第[一二三四五六七八九十]部分)")
_TITLE_ENTITY: Final = re.compile(
    r"^(?:第[一二三四五六七八九十]部分)?([\u4e00-\u9fff（）]{2,40}?)(?:[0-9]{4}年度?)?"
    r"(?:部门|单位)(?:预算|决算)")
_UNIT_TYPE: Final = re.compile(
    r"[^。；，]{0,6}?(?:属|为|是)[^。；，]{0,12}?"
    r"(参照公务员法管理的事业单位|参公事业单位|事业单位|行政单位|行政机关)")


def _toc_span(text: str) -> tuple[int, int]:
    lines = lines_of(text)
    first = None
    for i, (_, line) in enumerate(lines[:80]):
        s = "".join(line.split())
        if s in ("目录", "目次"):
            first = i + 1
            break
        if s == "目":
            j = i + 1
            while j < len(lines) and not lines[j][1].strip():
                j += 1
            if j < len(lines) and lines[j][1].strip() == "录":
                first = j + 1
                break
    if first is None:
        return 0, 0
    seen: set[str] = set()
    end = first
    for i in range(first, min(len(lines), first + 120)):
        key = _TOC_KEY.sub("", "".join(lines[i][1].split())).rstrip("。")
        end = i
        if not key:
            continue
        enumerated = bool(_TOC_ENTRY.match(key))
        if key in seen:  # the body repeats a heading of the contents
            break
        if not enumerated and len(key) > 12:  # the body's first heading or sentence
            break
        if enumerated and (len(key) > 45 or any(c in key for c in "。，；")):
            break
        seen.add(key)
    else:
        end = min(len(lines), first + 120)
    start = lines[first - 1][0]
    stop = lines[end][0] if end < len(lines) else len(text)
    return start, stop


_TOC_ENTRY: Final = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.]|（[一二三四五六七八九十]+）|"
    r"[0-9]{1,2}[、.．])")
_TOC_KEY: Final = re.compile(r"(?:…|\.{3,}|·{3,}|-{4,}|—\s*[0-9]+\s*—)+[0-9]*$|^[0-9]+$")


# ---------------------------------------------------------------------- building documents
def as_document(obj: Any) -> Document:
    """A :class:`Document` from a Document, Disclosure, reader result, text or path.

    ``str`` is text (it is parsed with :func:`fiscalkit.disclosure.text.parse_text` when that
    reader is available); an ``os.PathLike`` is a file or dataset folder
    (:func:`load_document`). A reader result is anything with a ``disclosure`` attribute;
    its ``text`` and ``tables`` are used when present.

    >>> from fiscalkit import datasets
    >>> doc = as_document(datasets.load(datasets.available()[0]))
    >>> doc.phase, doc.unit_type
    ('budget', '事业单位')
    """
    if isinstance(obj, Document):
        return obj
    if isinstance(obj, Disclosure):
        return Document(obj.source_text or "", obj, source=_source_of(obj))
    if isinstance(obj, os.PathLike):
        return load_document(Path(os.fspath(obj)))
    if isinstance(obj, str):
        return Document(obj, _parse(obj))
    disclosure = getattr(obj, "disclosure", None)
    if isinstance(disclosure, Disclosure):
        text = getattr(obj, "text", None) or disclosure.source_text or ""
        return Document(str(text), disclosure, tables_of(obj),
                        source=str(getattr(obj, "source", None) or _source_of(disclosure)))
    raise TypeError(f"cannot audit a {type(obj).__name__}: expected a Disclosure, a reader "
                    "result, text (str) or a path (pathlib.Path)")


def _source_of(d: Disclosure) -> str:
    src = d.metadata.get("source")
    if isinstance(src, Mapping):
        return str(src.get("file", ""))
    return str(src or d.metadata.get("name", ""))


def _parse(text: str) -> Disclosure | None:
    try:
        from fiscalkit.disclosure.text import parse_text
    except ImportError:  # pragma: no cover - the reader ships with fiscalkit
        return None
    try:
        return parse_text(text).disclosure
    except (FiscalkitError, ValueError):
        return None


def tables_of(result: Any) -> tuple[TableInfo, ...]:
    """The tables of a PDF reader's result as :class:`TableInfo` (defensively: any object
    with ``name``, ``title`` and ``rows`` of ``code``/``label``/``values``)."""
    out: list[TableInfo] = []
    for t in getattr(result, "tables", ()) or ():
        rows: list[tuple[str | None, str]] = []
        has = False
        for r in getattr(t, "rows", ()) or ():
            code = getattr(r, "code", None)
            rows.append((str(code) if code else None, str(getattr(r, "label", ""))))
            values = getattr(r, "values", {}) or {}
            if isinstance(values, Mapping) and any(v for v in values.values()):
                has = True
        name = getattr(t, "name", None)
        out.append(TableInfo(str(name) if name else None, str(getattr(t, "title", "")), has,
                             tuple(rows)))
    return tuple(out)


def pdf_text(path: str | Path, *, engine: Literal["auto", "pdftotext", "pdfplumber"] = "auto"
             ) -> str:
    """Every page's text, tables included, pages separated by form feeds.

    ``auto`` uses poppler's ``pdftotext`` when it is installed (fifty times faster) and
    pdfplumber otherwise; both give the words the checks look for (titles, notes,
    sentences), in slightly different line layouts. A file that is not a readable PDF
    raises :class:`~fiscalkit.errors.ParseError`.

    A one-page PDF written by hand (no cross-reference table: both engines rebuild it):

    >>> import tempfile
    >>> pdf = (b"%PDF-1.4\\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\\n"
    ...        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\\n"
    ...        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources"
    ...        b"<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>endobj\\n"
    ...        b"4 0 obj<</Length 53>>stream\\nBT /F1 12 Tf 20 50 Td (Budget 2021: income 400) Tj"
    ...        b" ET\\nendstream endobj\\ntrailer<</Root 1 0 R>>\\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "page.pdf"
    ...     _ = path.write_bytes(pdf)
    ...     [pdf_text(path, engine=e).split() for e in ("auto", "pdfplumber")]
    [['Budget', '2021:', 'income', '400'], ['Budget', '2021:', 'income', '400']]
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"no such file: {p}")
    exe = shutil.which("pdftotext") if engine in ("auto", "pdftotext") else None
    if exe:
        try:
            done = subprocess.run([exe, "-q", "-layout", "-enc", "UTF-8", str(p), "-"],
                                  capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired):
            done = None
        if done is not None and done.returncode == 0:
            return done.stdout.decode("utf-8", errors="replace")
        if engine == "pdftotext":
            raise ParseError("pdftotext could not read the file", where=str(p))
    elif engine == "pdftotext":
        raise ParseError("pdftotext is not installed", where=str(p))
    import pdfplumber

    try:
        with pdfplumber.open(str(p)) as pdf:
            return "\f".join((page.extract_text() or "") for page in pdf.pages)
    except Exception as e:  # pdfminer raises many unrelated types for a broken file
        raise ParseError(f"not a readable PDF ({type(e).__name__}: {e})", where=str(p)) from e


def load_document(path: str | Path, tables_path: str | Path | None = None, *,
                  engine: Literal["auto", "pdftotext", "pdfplumber"] = "auto") -> Document:
    """Read a disclosure for auditing: a PDF, a text file or a dataset folder.

    A PDF is read twice: by :func:`fiscalkit.disclosure.pdf.read_pdf` for its figures and
    standard tables, and by :func:`pdf_text` for its full text (the PDF reader keeps only the
    narrative; titles and the notes under tables are what completeness looks for).
    ``tables_path`` names a second PDF with the tables, as some departments publish them.
    Bad input raises a :class:`~fiscalkit.errors.FiscalkitError` or ``OSError``.

    >>> from fiscalkit import datasets
    >>> doc = load_document(datasets.root() / datasets.available()[0])
    >>> doc.name == datasets.available()[0], len(doc.sentences) > 50
    (True, True)
    """
    p = Path(path)
    if p.is_dir():
        from fiscalkit import datasets

        d = datasets.load_folder(p)
        return Document(d.source_text or "", d, source=str(p))
    if not p.exists():
        raise FileNotFoundError(f"no such file or folder: {p}")
    suffix = p.suffix.lower()
    tp = Path(tables_path) if tables_path is not None else None
    if suffix == ".pdf":
        result = _read_pdf(p, tp)
        texts = [pdf_text(p, engine=engine)]
        if tp is not None:
            texts.append(pdf_text(tp, engine=engine))
        text = "\f".join(texts)
        if result is None:
            return Document(text, _parse(text), source=str(p))
        disclosure = getattr(result, "disclosure", None)
        narrative = str(getattr(result, "text", "") or "")
        if narrative.strip():
            narrative += "\n\f\n"
            text = narrative + text
        return Document(text, disclosure if isinstance(disclosure, Disclosure) else None,
                        tables_of(result), source=str(p), narrative_end=len(narrative))
    if suffix in _WORKBOOK:
        result = _read_any(p, tp) if tp is not None else _read_workbook(p)
        disclosure = getattr(result, "disclosure", None)
        return Document(str(getattr(result, "text", "") or ""),
                        disclosure if isinstance(disclosure, Disclosure) else None,
                        tables_of(result), source=str(p))
    if suffix in (".txt", ".text"):
        from fiscalkit.disclosure.text import decode, parse_text

        text, encoding = decode(p.read_bytes(), where=str(p))
        parsed = parse_text(text, source=str(p), encoding=encoding)
        tables: tuple[TableInfo, ...] = ()
        if tp is not None:
            result = _read_any(p, tp)
            tables = tables_of(result) if result is not None else ()
            if tp.suffix.lower() == ".pdf":
                text = text + "\f" + pdf_text(tp, engine=engine)
        return Document(text, parsed.disclosure, tables, source=str(p))
    raise ParseError(f"cannot audit {suffix or 'a file without suffix'}: expected .pdf, .txt, "
                     ".text, a workbook (.xlsx, .xls) or a dataset folder", where=str(p))


def _read_pdf(path: Path, tables_path: Path | None) -> Any:
    try:
        from fiscalkit.disclosure.pdf import read_pdf
    except ImportError:  # pragma: no cover - the PDF reader ships with fiscalkit
        return None
    return read_pdf(path, tables_path)


#: Workbooks hold the standard tables only: they are audited without a narrative.
_WORKBOOK = (".xlsx", ".xlsm", ".xls")


def _read_workbook(path: Path) -> Any:
    from fiscalkit.disclosure.excel import read_excel

    return read_excel(path)


def _read_any(path: Path, tables_path: Path) -> Any:
    try:
        from fiscalkit.disclosure.pdf import read_any
    except ImportError:  # pragma: no cover
        return None
    return read_any(path, tables_path)

