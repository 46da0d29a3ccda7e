"""Required explanations: every change the template asks about has a stated reason.

The template does not only ask *how much* a line changed: "与上年相比增加（减少）××万元，增长
（下降）××%。主要原因：……" — each year-on-year change, and in final accounts each difference
between the budget and the outturn ("决算数大于（小于）预算数的主要原因"), must come with its
reason. A number without its reason is the commonest way a disclosure complies in form and
says nothing, so :func:`explanations` finds every stated change and reports those that no
reason follows.

A change is a number after a verb of change (增加, 减少, 增长, 下降 …) in a sentence that
compares with another year (比…, 与…相比, 较上年 …). It counts as explained when a reason
marker (主要原因, 原因：, 由于, 主要是, 受…影响 …) appears in its sentence or later in the same
item — up to the next heading or enumerated item — because templates often give one reason
for the pair "增加X万元，增长Y%" or for several lines at once. A change of zero ("持平",
"增加0万元") needs no reason (“预决算持平的不用说明变动原因”).

>>> report = explanations("一、收支总体情况\\n某局2021年收入合计400万元，比上年增加10万元。\\n"
...                       "二、支出情况\\n支出合计400万元，比上年增加12万元。主要原因是人员调资。")
>>> [(f.rule, f.severity, f.message) for f in report.findings]
[('explanation.change', 'warning', '某局2021年收入合计400万元，比上年增加10万元: no reason is \
given for the change')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from fiscalkit.findings import FigureRef, Finding, Report, Severity
from fiscalkit.quality._text import Sentence, amount, squash
from fiscalkit.quality.completeness import rules_for
from fiscalkit.quality.document import Document, as_document
from fiscalkit.quality.rules import ExplanationRule, TemplateRules
from fiscalkit.units import fen_per

__all__ = ["Change", "Outturn", "changes", "explanations", "outturns"]

_NUM: Final = r"[0-9][0-9,]*(?:\.[0-9]+)?"
_CHANGE: Final = re.compile(
    r"(?P<verb>增加|减少|增长|下降|上升|降低|节约|压减|缩减|核减|减|增)"
    r"(?:（(?:增加|减少|增长|下降|上升|降低)）)?了?"
    rf"(?P<num>{_NUM})(?P<unit>亿元|万元|千元|元|个百分点|%)")
_COMPARE: Final = re.compile(r"比|较|与[^。；]{0,40}?(?:相比|比较)|同比|环比|上年|上一年|去年")
_REASON: Final = re.compile(
    r"原因|由于|因为|主要是|主要系|系因|源于|受[^。；]{1,30}?影响|所致|导致|缘于")
_OUTTURN: Final = re.compile(
    rf"年初预算(?:数)?(?:为|是)?(?P<b>{_NUM})(?P<bu>亿元|万元|千元|元)[^。]{{0,60}}?"
    rf"决算(?:数)?(?:为|是)?(?P<f>{_NUM})(?P<fu>亿元|万元|千元|元)")
_ONLY_COMPARISON: Final = re.compile(
    r"^(?:与|同|比|较)?(?:上年|上一年|去年|[0-9]{4}年度?)(?:预算|决算)?(?:数)?(?:相比|比较)?")
_TOP: Final = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_COMPLETION: Final = re.compile(rf"完成(?:了)?(?:年初)?(?:预算|调整预算)的?(?P<r>{_NUM})%")


@dataclass(frozen=True)
class Change:
    """A stated change: its sentence, subject (the clause before the verb), verb, amount.

    ``index`` is the sentence's place in :attr:`Document.sentences`, ``section`` the number
    of the top-level heading it falls under; ``explained`` says whether a reason follows.

    >>> doc = as_document("一、收入\\n收入合计400万元，比上年增加10万元。")
    >>> (change,) = changes(doc)
    >>> change.subject, change.verb, change.value, change.unit, change.section
    ('收入合计400万元，比上年', '增加', Decimal('10'), '万元', 1)
    >>> change.printed, change.explained, change.sentence.text
    ('增加10万元', False, '收入合计400万元，比上年增加10万元。')
    """

    sentence: Sentence
    index: int
    subject: str
    verb: str
    value: Decimal
    unit: str
    printed: str
    explained: bool
    section: int = 0


@dataclass(frozen=True)
class Outturn:
    """A budget-vs-outturn statement: 年初预算 b, 决算 f, the completion rate if stated.

    >>> doc = as_document("年初预算为100万元，支出决算为1,200,000元，完成年初预算的120%。")
    >>> (o,) = outturns(doc)
    >>> o.budget, o.budget_unit, o.final, o.final_unit, o.rate, o.explained
    (Decimal('100'), '万元', Decimal('1200000'), '元', Decimal('120'), False)
    >>> o.differs                                   # 100万元 ≠ 120万元
    True
    """

    sentence: Sentence
    index: int
    budget: Decimal
    budget_unit: str
    final: Decimal
    final_unit: str
    rate: Decimal | None
    explained: bool

    @property
    def differs(self) -> bool:
        """Whether the outturn differs from the budget (compared in 元)."""
        return (self.budget * fen_per(self.budget_unit)) != (self.final * fen_per(self.final_unit))


def _window_has_reason(sentences: Sequence[Sentence], i: int) -> bool:
    if _REASON.search(sentences[i].flat):
        return True
    for s in sentences[i + 1:]:
        if s.heading or s.enumerated:
            return False
        if _REASON.search(s.flat):
            return True
    return False


def _subject(flat: str, verb_at: int) -> str:
    head = flat[:verb_at]
    clauses = [c for c in re.split(r"[，：；]", head) if c]
    if not clauses:
        return ""
    last = clauses[-1]
    if len(clauses) > 1 and (len(last) < 4 or _ONLY_COMPARISON.match(last)):
        last = clauses[-2] + "，" + last
    return last[-40:]


def changes(doc: Document) -> list[Change]:
    """Every year-on-year change the text states, with whether a reason follows.

    >>> doc = as_document("收入合计400万元，与上年相比增加10万元，增长2.6%。主要原因：调资。")
    >>> [(c.verb, str(c.value), c.unit, c.explained) for c in changes(doc)]
    [('增加', '10', '万元', True), ('增长', '2.6', '%', True)]
    """
    out: list[Change] = []
    sentences = doc.sentences
    section = 0
    for i, s in enumerate(sentences):
        if doc.in_toc(s.start):
            continue
        if s.heading and _TOP.match(s.flat):
            section += 1
        explained: bool | None = None
        for m in _CHANGE.finditer(s.flat):
            if not _COMPARE.search(s.flat, 0, m.start()):
                continue
            value = amount(m.group("num"))
            if value is None:
                continue
            if explained is None:
                explained = _window_has_reason(sentences, i)
            out.append(Change(s, i, _subject(s.flat, m.start()), m.group("verb"), value,
                              m.group("unit"), m.group(0), explained, section))
    return out


def outturns(doc: Document) -> list[Outturn]:
    """Every "年初预算为b，决算为f（，完成年初预算的r%）" statement.

    >>> doc = as_document("年初预算为0万元，支出决算为5万元，完成年初预算的100%。")
    >>> [(str(o.budget), str(o.final), str(o.rate), o.differs) for o in outturns(doc)]
    [('0', '5', '100', True)]
    """
    out: list[Outturn] = []
    sentences = doc.sentences
    for i, s in enumerate(sentences):
        for m in _OUTTURN.finditer(s.flat):
            b, f = amount(m.group("b")), amount(m.group("f"))
            if b is None or f is None:
                continue
            rate_m = _COMPLETION.search(s.flat, m.end(), m.end() + 40)
            rate = amount(rate_m.group("r")) if rate_m else None
            out.append(Outturn(s, i, b, m.group("bu"), f, m.group("fu"), rate,
                               _window_has_reason(sentences, i)))
    return out


def _figure_for(doc: Document, sentence: Sentence, value: Decimal, kinds: tuple[str, ...]
                ) -> FigureRef | None:
    d = doc.disclosure
    if d is None:
        return None
    for f in d.figures:
        if f.kind in kinds and abs(f.value) == value and f.sentence and (
                _squash(f.sentence) in sentence.flat or sentence.flat in _squash(f.sentence)):
            return FigureRef(f.id, f.label_zh, f.printed, f.unit, f.sentence)
    return None


def _squash(text: str) -> str:
    return squash(text)


def _applies(rule: ExplanationRule, sentence: Sentence) -> bool:
    return not rule.subjects or any(p.search(sentence.flat) for p in rule.subjects)


def _severity(rule: ExplanationRule) -> Severity:
    return "error" if rule.status == "verified" else "warning"


def _change_finding(doc: Document, r: TemplateRules, rule: ExplanationRule,
                    group: Sequence[Change], elsewhere: bool) -> Finding:
    sentence = group[0].sentence
    refs = tuple(_figure_for(doc, sentence, c.value, ("change",)) or FigureRef(
        f"text@{sentence.start}", c.subject or "change", f"{c.value:f}", c.unit,
        sentence.text) for c in group)
    stated = "，".join(f"{c.verb}{c.value:f}{c.unit}" for c in group)
    if elsewhere:
        return Finding(
            "explanation.change", "info",
            f"{group[0].subject}{stated}: no reason here; the same change is explained in "
            "another section",
            figures=tuple(dict.fromkeys(refs)),
            explanation=(f"{r.id} asks for the reason in each section; a reader of this "
                         "section has to find it elsewhere"),
            details={"sentence": sentence.text, "start": sentence.start, "end": sentence.end,
                     "rule": rule.id})
    return Finding(
        "explanation.change", _severity(rule),
        f"{group[0].subject}{stated}: no reason is given for the change",
        figures=tuple(dict.fromkeys(refs)),
        explanation=(f"{r.id} asks for the main reason of each change "
                     f"({rule.status}; {rule.note or rule.name})"),
        details={"sentence": sentence.text, "start": sentence.start, "end": sentence.end,
                 "rule": rule.id})


def explanations(disclosure_or_text: Any, rules: TemplateRules | str | Path | None = None
                 ) -> Report:
    """Report each change the template requires to be explained but that has no reason.

    Rules: ``explanation.change`` — a non-zero year-on-year change with no reason;
    ``explanation.outturn`` (final accounts) — an outturn different from the budget with no
    reason. Both are warnings: the requirement is known from the template's wording, not
    from a verified rule text. Each finding cites the sentence (and the figure, when the
    reader found it).

    >>> text = "（三）具体情况\\n年初预算为100万元，支出决算为120万元，完成年初预算的120%。"
    >>> [f.rule for f in explanations(text, rules="final-2021").findings]
    ['explanation.outturn']
    """
    doc = as_document(disclosure_or_text)
    r = rules_for(doc, rules)
    findings: list[Finding] = []
    checks = 0
    for rule in r.explanations:
        if rule.kind == "change":
            found = [c for c in changes(doc) if c.value != 0 and _applies(rule, c.sentence)]
            reasons: dict[tuple[Decimal, str], set[int]] = {}
            for c in found:
                if c.explained:
                    reasons.setdefault((c.value, c.unit), set()).add(c.section)
            by_sentence: dict[int, list[Change]] = {}
            for c in found:
                by_sentence.setdefault(c.index, []).append(c)
            for group in by_sentence.values():
                checks += 1
                if group[0].explained:
                    continue
                sections = set().union(*(reasons.get((c.value, c.unit), set()) for c in group))
                if group[0].section in sections:
                    continue  # the same change, explained elsewhere in this section
                findings.append(_change_finding(doc, r, rule, group, bool(sections)))
        else:
            for o in outturns(doc):
                if not o.differs or not _applies(rule, o.sentence):
                    continue
                checks += 1
                if o.explained:
                    continue
                ref = _figure_for(doc, o.sentence, o.final, ("amount",)) or FigureRef(
                    f"text@{o.sentence.start}", "支出决算", f"{o.final:f}", o.final_unit,
                    o.sentence.text)
                findings.append(Finding(
                    "explanation.outturn", _severity(rule),
                    f"outturn {o.final:f}{o.final_unit} differs from the budget "
                    f"{o.budget:f}{o.budget_unit}, and no reason is given",
                    figures=(ref,),
                    explanation=(f"{r.id} asks why the outturn differs from the budget "
                                 f"({rule.status}; {rule.note or rule.name})"),
                    details={"sentence": o.sentence.text, "start": o.sentence.start,
                             "end": o.sentence.end, "rule": rule.id}))
    unique: dict[tuple[str, str, str], Finding] = {}
    for f in findings:  # a page printed twice states its changes twice
        unique.setdefault((f.rule, f.message, _squash(str(f.details.get("sentence", "")))), f)
    return Report.of(unique.values(), checks, doc.name, title="Required explanations")
