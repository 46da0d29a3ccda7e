"""Text plumbing shared by the quality checks: one canonical form, a flat view, sentences.

Disclosures come typed, extracted by pdfplumber or by pdftotext: the same sentence may carry
full-width or ASCII digits and brackets, and be broken across lines and pages. Every check
therefore matches on one **flat** view of the text — full-width digits and letters made ASCII,
ASCII ``( ) : ;`` made full-width (so rule files can write Chinese punctuation literally and
keep ``(`` for regex groups), and whitespace dropped except between two ASCII letters or
digits (so "2017 年" becomes "2017年" but "2,021.18 20805" stays two numbers). The flat view
keeps a map back to the original offsets, so a finding always cites the text as printed.

>>> flat = Flat.of("收入 400 万元（含 12 项）\\n合计:  400")
>>> flat.text
'收入400万元（含12项）合计：400'
>>> flat.original(0, 7)
(0, 9)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

__all__ = ["Flat", "Sentence", "amount", "canon", "lines_of", "sentences_of", "squash"]

_CANON: Final = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "％": "%", "．": ".", "＊": "*", "(": "（", ")": "）", ":": "：", ";": "；",
     "\u00a0": " ", "\u3000": " ", "\ufeff": " "})


def canon(text: str) -> str:
    """The canonical form: same length as ``text``, so offsets carry over unchanged.

    >>> canon("２０２１年(预算):１２％")
    '2021年（预算）：12%'
    """
    return text.translate(_CANON)


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class Flat:
    """The canonical text without whitespace, with each character's original offset.

    Patterns match the flat text; ``index`` maps every flat character back to the text as
    printed, so a finding can quote the original.

    >>> flat = Flat.of("收入 400 万元")
    >>> flat.text, flat.index
    ('收入400万元', (0, 1, 3, 4, 5, 7, 8))
    >>> flat.original(2, 5)          # the flat "400" is characters 3-5 of the original
    (3, 6)
    """

    text: str
    index: tuple[int, ...]
    length: int

    @classmethod
    def of(cls, text: str) -> Flat:
        """Flatten ``text`` (canonicalising it first)."""
        c = canon(text)
        out: list[str] = []
        index: list[int] = []
        n = len(c)
        i = 0
        while i < n:
            ch = c[i]
            if ch.isspace():
                j = i
                while j < n and c[j].isspace():
                    j += 1
                if out and j < n and _alnum(out[-1]) and _alnum(c[j]):
                    out.append(" ")
                    index.append(i)
                i = j
                continue
            out.append(ch)
            index.append(i)
            i += 1
        return cls("".join(out), tuple(index), len(text))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the flat span ``[start, end)``."""
        if not self.index:
            return 0, 0
        if start >= len(self.index):
            return self.length, self.length
        if end <= start:
            return self.index[start], self.index[start]
        return self.index[start], self.index[min(end, len(self.index)) - 1] + 1


def squash(text: str) -> str:
    """The flat form of a short string (what a pattern sees).

    >>> squash(" 一、 收入 预算\\n情况说明 ")
    '一、收入预算情况说明'
    """
    return Flat.of(text).text


# ---------------------------------------------------------------------- lines and sentences
_HEADING: Final = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.]|"
    r"[（(]\s*[一二三四五六七八九十]+\s*[）)]|[0-9]{1,2}\s*[、.．](?![0-9])|目\s*录)")
_ENUMERATED: Final = _HEADING
_STOP: Final = "。！？；"
_SOFT_END: Final = "，、：（“"


@dataclass(frozen=True)
class Sentence:
    """A sentence of the text: its original span, its text as printed, its flat form.

    ``heading`` marks a short enumerated line without a full stop ("一、收入预算情况说明");
    ``enumerated`` marks any sentence that starts with an enumerator (a heading or an item).

    >>> heading, body = sentences_of("一、概况\\n收入 400 万元。")
    >>> heading.text, heading.heading, heading.enumerated
    ('一、概况', True, True)
    >>> body.start, body.end, body.text, body.flat, body.heading
    (5, 15, '收入 400 万元。', '收入400万元。', False)
    """

    start: int
    end: int
    text: str
    flat: str
    heading: bool
    enumerated: bool


def lines_of(text: str) -> list[tuple[int, str]]:
    """The lines of ``text`` with their start offsets (line breaks of any kind).

    >>> lines_of("a\\r\\nb\\fc")
    [(0, 'a'), (3, 'b'), (5, 'c')]
    """
    out: list[tuple[int, str]] = []
    start = 0
    for m in re.finditer(r"\r\n|[\r\n\f\v\u2028\u2029]", text):
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return out


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    return bool(_HEADING.match(s)) and len(s) <= 40 and not any(c in s for c in _STOP + "，")


def sentences_of(text: str) -> list[Sentence]:
    """Split ``text`` into sentences: at 。！？； and at line breaks that end a paragraph.

    A line break ends a paragraph when the next line starts with an enumerator, when the
    line before is a heading, is blank, or ends a sentence; otherwise (PDF line wrapping)
    the lines are one paragraph.

    >>> text = "一、概况\\n某局2021年收入合计400万元，与上年相比\\n增加10万元。主要原因：调资。"
    >>> [s.text for s in sentences_of(text)]
    ['一、概况', '某局2021年收入合计400万元，与上年相比\\n增加10万元。', '主要原因：调资。']
    >>> [s.heading for s in sentences_of("一、概况\\n收入400万元。")]
    [True, False]
    """
    blocks: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    prev = ""
    for start, line in lines_of(text):
        end = start + len(line)
        stripped = line.strip()
        if not stripped:
            if cur:
                blocks.append(cur)
            cur, prev = None, ""
            continue
        breaks = (cur is None or bool(_ENUMERATED.match(stripped)) or _is_heading_line(prev)
                  or prev.rstrip()[-1:] in _STOP
                  or (len(prev.strip()) <= 12 and prev.rstrip()[-1:] not in _SOFT_END))
        if breaks:
            if cur:
                blocks.append(cur)
            cur = (start, end)
        else:
            assert cur is not None
            cur = (cur[0], end)
        prev = line
    if cur:
        blocks.append(cur)
    out: list[Sentence] = []
    for a, b in blocks:
        seg_start = a
        for i in range(a, b):
            if text[i] in _STOP or i == b - 1:
                out.extend(_sentence(text, seg_start, i + 1))
                seg_start = i + 1
    return out


def _sentence(text: str, a: int, b: int) -> list[Sentence]:
    raw = text[a:b]
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    a, b = a + lead, b - trail
    if a >= b:
        return []
    s = text[a:b]
    flat = squash(s)
    enumerated = bool(_ENUMERATED.match(s))
    heading = enumerated and len(flat) <= 40 and not any(c in flat for c in _STOP + "，")
    return [Sentence(a, b, s, flat, heading, enumerated)]


# ---------------------------------------------------------------------- amounts
_NUMBER: Final = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$|^[0-9]+(?:\.[0-9]+)?$")


def amount(text: str) -> Decimal | None:
    """A printed number as an exact Decimal (thousands separators allowed), or ``None``.

    >>> amount("3,121.42"), amount("0.00"), amount("1,23")
    (Decimal('3121.42'), Decimal('0.00'), None)
    """
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
