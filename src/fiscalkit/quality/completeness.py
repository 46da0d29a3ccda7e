"""Completeness: which sections, standard tables and empty-table statements a disclosure has.

A disclosure can be arithmetically perfect and still hide most of the budget: the national
template asks for the standard tables, a section explaining each, and — when a line has no
money — an explicit statement that it has none ("本部门没有政府性基金预算拨款安排的支出"),
so that a reader can tell "nothing" from "not published". :func:`completeness` checks a
document against the rules of its template version (:mod:`fiscalkit.quality.rules`) and
reports a **score** — the share of required elements present — and one finding per missing
element, citing where the requirement comes from and how sure it is.

A section counts when one of its patterns occurs outside the table of contents (a contents
entry names a section without being it). A table counts when the PDF reader recognised it,
or when its title stands on a line of its own, outside the contents, followed within a few
lines by a table header ("单位：万元", "编制部门：…") — a title quoted in a sentence
("应与《部门收支总表》一致") is not a table. A statement is required only when the line it
concerns has no money: no non-zero figure, table cell or "…N万元" says otherwise.

>>> report = completeness("某某局2021年部门预算\\n一、部门职责\\n负责某某工作。",
...                       rules="budget-2021")
>>> report.required, report.present_count, str(report.score_percent)
(27, 1, '3.7')
>>> "收支总表 (budget summary)" in [e.name for e in report.missing]
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

from fiscalkit.findings import SEVERITIES, Finding, Report, Severity
from fiscalkit.quality._text import amount, squash
from fiscalkit.quality.document import Document, as_document
from fiscalkit.quality.rules import Element, TemplateRules, select_rules

__all__ = ["CompletenessReport", "ElementResult", "completeness", "rules_for", "sort_findings"]


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Errors first, then warnings, then notes, stable within each (as ``Report.of``).

    >>> from fiscalkit.findings import Finding
    >>> found = [Finding("a", "info", "style"), Finding("b", "error", "contradiction"),
    ...          Finding("c", "warning", "likely"), Finding("d", "error", "another")]
    >>> [f.rule for f in sort_findings(found)]
    ['b', 'd', 'c', 'a']
    """
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return tuple(sorted(findings, key=lambda f: order[f.severity]))


@dataclass(frozen=True)
class ElementResult:
    """One element checked: present or not, whether it counts, and the evidence.

    >>> report = completeness("某某局2021年部门预算\\n一、部门职责\\n负责某某工作。",
    ...                       rules="budget-2021")
    >>> duties = report.results[0]
    >>> duties.element.id, duties.present, duties.counted, duties.evidence
    ('duties', True, True, '部门职责')
    >>> [r.element.id for r in report.results if not r.counted]   # optional, or the line has money
    ['soe']
    """

    element: Element
    present: bool
    counted: bool
    evidence: str = ""
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.element.id, "kind": self.element.kind, "name": self.element.name,
                "present": self.present, "counted": self.counted, "evidence": self.evidence,
                "status": self.element.status, "source": self.element.source,
                "reason": self.reason}


@dataclass(frozen=True)
class CompletenessReport(Report):
    """A :class:`~fiscalkit.findings.Report` with the completeness score and the elements.

    The score is exact (a fraction); its percent is rounded half-up for display.

    >>> report = completeness("某某局2021年部门预算\\n一、部门职责\\n负责某某工作。",
    ...                       rules="budget-2021")
    >>> report.score, str(report.score_percent), [e.id for e in report.present]
    (Fraction(1, 27), '3.7', ['duties'])
    >>> report.headline()
    'Completeness 3.7% (1 of 27 required elements) against budget-2021'
    >>> report.completeness_dict()["missing"][:3]
    ['structure', 'overview', 'income']
    """

    rules: str = ""
    rules_title: str = ""
    results: tuple[ElementResult, ...] = ()

    @property
    def required(self) -> int:
        """How many elements are required of this document."""
        return sum(1 for r in self.results if r.counted)

    @property
    def present_count(self) -> int:
        """How many required elements are present."""
        return sum(1 for r in self.results if r.counted and r.present)

    @property
    def score(self) -> Fraction:
        """The share of required elements present (1 when nothing is required)."""
        return Fraction(self.present_count, self.required) if self.required else Fraction(1)

    @property
    def score_percent(self) -> Decimal:
        """The score in percent, rounded half-up to one decimal."""
        return (Decimal(self.score.numerator) * 100 / Decimal(self.score.denominator)
                ).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def missing(self) -> tuple[Element, ...]:
        """The required elements not found, in rule-file order."""
        return tuple(r.element for r in self.results if r.counted and not r.present)

    @property
    def present(self) -> tuple[Element, ...]:
        """The required elements found."""
        return tuple(r.element for r in self.results if r.counted and r.present)

    def headline(self) -> str:
        """One line: score, counts and the rules used."""
        return (f"Completeness {self.score_percent}% ({self.present_count} of {self.required} "
                f"required elements) against {self.rules}")

    def to_text(self, *, sources: bool = True) -> str:
        """The report as text, headed by the completeness score."""
        return f"{self.headline()}\n{super().to_text(sources=sources)}"

    def to_dict(self) -> dict[str, Any]:
        """The report's JSON form plus ``completeness``: score, rules, every element."""
        out = super().to_dict()
        out["completeness"] = self.completeness_dict()
        return out

    def completeness_dict(self) -> dict[str, Any]:
        """``{"rules", "score", "present", "required", "missing", "elements"}``."""
        return {"rules": self.rules, "rules_title": self.rules_title,
                "score": float(self.score), "score_percent": float(self.score_percent),
                "present": self.present_count, "required": self.required,
                "missing": [e.id for e in self.missing],
                "elements": [r.to_dict() for r in self.results]}


def rules_for(doc: Document, rules: TemplateRules | str | Path | None) -> TemplateRules:
    """The rules to apply: those given (object, name or path), else :func:`select_rules`.

    >>> doc = as_document("某局2021年部门决算\\n一、部门职责")
    >>> rules_for(doc, None).id, rules_for(doc, "budget-2021").id   # chosen, or as given
    ('final-2021', 'budget-2021')
    """
    if isinstance(rules, TemplateRules):
        return rules
    if rules is not None:
        return TemplateRules.load(rules)
    return select_rules(doc.phase, f"{doc.cover} {doc.entity} {doc.region}", doc.year)


# ---------------------------------------------------------------------- finding elements


def _outside_toc(doc: Document, matches: Iterable[re.Match[str]]) -> re.Match[str] | None:
    for m in matches:
        if not doc.in_toc(doc.flat.original(m.start(), m.end())[0]):
            return m
    return None


def _find_section(doc: Document, el: Element) -> tuple[bool, str]:
    m = _outside_toc(doc, el.finditer(doc.flat.text))
    return (True, _context(doc, m)) if m else (False, "")


def _find_table(doc: Document, el: Element) -> tuple[bool, str]:
    for t in doc.tables:
        if (el.standard and t.name == el.standard) or el.search(_flat_title(t.title)):
            return True, f"read by the PDF reader: {t.title}"
    for tt in doc.text_tables:
        if el.search(tt.title):
            return True, f"title in the text: {tt.title}"
    return False, ""


def _flat_title(title: str) -> str:
    return squash(title)


_LINE_AMOUNT_TAIL: Final = (r"[^。；，0-9]{0,30}?(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)"
                            r"(?P<unit>亿元|万元|千元|元)")


@functools.cache
def _line_amount(line: re.Pattern[str]) -> re.Pattern[str]:
    """A line's label followed by its first amount (compiled once per label pattern)."""
    return re.compile(f"(?:{line.pattern}){_LINE_AMOUNT_TAIL}")


def _line_has_money(doc: Document, el: Element) -> str:
    """Evidence that the line of a statement has money (``""`` when none was found)."""
    d = doc.disclosure
    if d is not None:
        for f in d.figures:
            if (f.kind == "amount" and f.status == "stated" and f.value != 0
                    and any(p.search(f.label_zh) for p in el.line)
                    and not f.label_zh.startswith(("上年", "20"))):
                return f"figure {f.id} {f.label_zh} = {f.printed}{f.unit}"
    for t in doc.tables:
        if t.has_amounts and any(p.search(_flat_title(t.title)) for p in el.line):
            return f"table {t.title} has amounts"
    for tt in doc.text_tables:
        if any(p.search(tt.title) for p in el.line) and (cells := tt.amounts()):
            return f"table {tt.title} prints {cells[0]}"
    for p in el.line:
        for m in _line_amount(p).finditer(doc.flat.text):
            if amount(m.group("num")):
                return _context(doc, m)
    return ""


def _context(doc: Document, m: re.Match[str]) -> str:
    a, b = doc.flat.original(m.start(), m.end())
    return doc.text[a:b]


def completeness(disclosure_or_text: Any, rules: TemplateRules | str | Path | None = None
                 ) -> CompletenessReport:
    """Check a disclosure against its template: score and missing elements.

    ``disclosure_or_text`` is anything :func:`~fiscalkit.quality.document.as_document`
    accepts. ``rules`` names a rule file (``"budget-2021"``), a path, or a
    :class:`~fiscalkit.quality.rules.TemplateRules`; by default the regional variant for the
    document's region and year, else the national file of its phase.

    Findings: ``completeness.section``, ``completeness.table``, ``completeness.statement``
    — a ``warning`` per missing required element (``error`` only for a ``verified``
    requirement), ``info`` for a missing optional one.

    >>> from fiscalkit import datasets
    >>> report = completeness(datasets.load(datasets.available()[0]))
    >>> report.headline()
    'Completeness 68.0% (17 of 25 required elements) against budget-2021'
    >>> [e.id for e in report.missing][:3]
    ['summary', 'income', 'expenditure']
    """
    doc = as_document(disclosure_or_text)
    r = rules_for(doc, rules)
    results: list[ElementResult] = []
    for el in r.sections:
        present, evidence = _find_section(doc, el)
        results.append(ElementResult(el, present, el.required, evidence))
    for el in r.tables:
        present, evidence = _find_table(doc, el)
        results.append(ElementResult(el, present, el.required, evidence))
    for el in r.statements:
        m = _outside_toc(doc, el.finditer(doc.flat.text))
        money = _line_has_money(doc, el)
        reason = (f"not required: the line has money ({money})" if money
                  else "required: no non-zero amount is stated for this line")
        results.append(ElementResult(el, m is not None, el.required and not money,
                                     _context(doc, m) if m else "", reason))
    findings = [_finding(res, r) for res in results if not res.present
                and (res.counted or not res.element.required)]
    # an optional element is a check too: it gives an info finding when absent
    checks = sum(1 for x in results if x.counted or not x.element.required)
    return CompletenessReport(sort_findings(findings), checks,
                              doc.name, f"Completeness ({r.id})", rules=r.id,
                              rules_title=r.title, results=tuple(results))


_KIND_WORD: Final = {"section": "section", "table": "standard table",
                     "statement": "empty-line statement"}


def _finding(res: ElementResult, rules: TemplateRules) -> Finding:
    el = res.element
    src = rules.source(el)
    severity: Severity = ("info" if not el.required
                          else "error" if el.status == "verified" else "warning")
    what = _KIND_WORD[el.kind]
    message = f"missing {what}: {el.name}"
    if el.kind == "statement":
        message += " (the line shows no money, so the template asks to say so)"
    explanation = (f"{'required' if el.required else 'optional'} in {rules.id}; requirement "
                   f"{el.status}, source '{src.key}' (see the rule file)")
    if el.note:
        explanation += f"; {el.note}"
    return Finding(f"completeness.{el.kind}", severity, message, explanation=explanation,
                   details={"element": el.id, "kind": el.kind, "rules": rules.id,
                            "status": el.status, "source": src.title})
