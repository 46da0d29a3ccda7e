"""Findings and reports: how every check in fiscalkit says what it found.

Like beancount's error objects, a check never stops at the first problem and never prints
and forgets: it returns :class:`Finding` values, each carrying the rule, a severity, an
English message, the published figures involved (with their Chinese labels and the sentence
each came from), the interval the arithmetic allows and the value it got. A :class:`Report`
collects them with the count of checks run, so "no findings" is distinguishable from "no
checks", and renders as text, a DataFrame or JSON.

This module imports nothing else from fiscalkit, so readers, the reconciliation and the
performance audit can all report the same way.

>>> f = Finding("sum", "error", "parts do not add up", expected=(Decimal("10"), Decimal("10")),
...             actual=Decimal("11"))
>>> Report((f,), checks=3).summary()
{'checks': 3, 'findings': 1, 'error': 1, 'warning': 0, 'info': 0, 'passed': 2}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

__all__ = ["SEVERITIES", "FigureRef", "Finding", "Report", "Severity"]

#: How serious a finding is: a contradiction, a doubt, or a note.
Severity = Literal["error", "warning", "info"]
#: The severities, most serious first (the order of a report).
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class FigureRef:
    """A published figure as a finding cites it: id, Chinese label, value as printed, source.

    >>> FigureRef("income.gpb", "一般公共预算", "400", "万元").to_dict()["label"]
    '一般公共预算'
    """

    id: str
    label: str
    value: str
    unit: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        """The JSON form: ``{"id", "label", "value", "unit", "source"}``."""
        return {"id": self.id, "label": self.label, "value": self.value, "unit": self.unit,
                "source": self.source}


@dataclass(frozen=True)
class Finding:
    """One thing a check found.

    ``expected`` is the closed interval the check allowed; ``None`` on a side means that side
    is open (a part must be at most its whole: ``(None, whole)``).

    >>> f = Finding("same", "error", "362.9 contradicts 400",
    ...             figures=(FigureRef("income.gpb", "一般公共预算", "400", "万元"),),
    ...             expected=(Decimal("399.5"), Decimal("400.5")), actual=Decimal("362.9"))
    >>> f.to_dict()["expected"], f.to_dict()["actual"]
    ([399.5, 400.5], 362.9)
    >>> Finding("same", "fatal", "?")
    Traceback (most recent call last):
    ...
    ValueError: severity must be one of ('error', 'warning', 'info'), not 'fatal'
    """

    rule: str
    severity: Severity
    message: str
    figures: tuple[FigureRef, ...] = ()
    expected: tuple[Decimal | None, Decimal | None] | None = None
    actual: Decimal | None = None
    explanation: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented for ``fiscalkit reconcile --format json``."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "figures": [f.to_dict() for f in self.figures],
            "expected": None if self.expected is None else [
                None if v is None else _num(v) for v in self.expected],
            "actual": None if self.actual is None else _num(self.actual),
            "explanation": self.explanation,
        }


def _num(v: Decimal) -> float | int:
    """Decimals to JSON numbers: integers stay integers."""
    return int(v) if v == v.to_integral_value() else float(v)


@dataclass(frozen=True)
class Report:
    """The findings of a run of checks, with how many checks ran.

    >>> report = Report.of([Finding("le", "warning", "a part exceeds its whole"),
    ...                     Finding("sum", "error", "parts do not add up")], checks=5,
    ...                    subject="demo")
    >>> [f.severity for f in report.findings]  # errors first
    ['error', 'warning']
    >>> print(report.to_text())
    Checks of demo: 5 checks, 1 errors, 1 warnings, 0 notes, 3 passed
    =================================================================
    [1] ERROR sum: parts do not add up
    [2] WARNING le: a part exceeds its whole
    """

    findings: tuple[Finding, ...] = ()
    checks: int = 0
    subject: str = ""
    title: str = "Checks"

    @classmethod
    def of(cls, findings: Iterable[Finding], checks: int, subject: str = "",
           title: str = "Checks") -> Report:
        """Collect findings, errors first, then warnings, then info (stable within each)."""
        order = {s: i for i, s in enumerate(SEVERITIES)}
        return cls(tuple(sorted(findings, key=lambda f: order[f.severity])), checks, subject,
                   title)

    def __add__(self, other: Report) -> Report:
        """Both reports' findings in one, e.g. a reconciliation and a target audit."""
        title = self.title if self.title == other.title else f"{self.title} + {other.title}"
        return Report.of((*self.findings, *other.findings), self.checks + other.checks,
                         self.subject or other.subject, title)

    def by_severity(self, severity: Severity) -> tuple[Finding, ...]:
        """The findings of one severity."""
        return tuple(f for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Contradictions that hold even with every figure read as rounded."""
        return self.by_severity("error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Agreements that need some figure to have been rounded, and heuristic doubts."""
        return self.by_severity("warning")

    def summary(self) -> dict[str, int]:
        """Counts: checks run, findings by severity and checks passed."""
        counts: dict[str, int] = {s: len(self.by_severity(s)) for s in SEVERITIES}
        failed_checks = len(self.findings)
        return {"checks": self.checks, "findings": failed_checks, **counts,
                "passed": max(self.checks - failed_checks, 0)}

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: rule, severity, message, figure ids, expected, actual."""
        rows = [{
            "rule": f.rule, "severity": f.severity, "message": f.message,
            "figures": ", ".join(r.id for r in f.figures),
            "expected_lo": _float(f.expected[0]) if f.expected else None,
            "expected_hi": _float(f.expected[1]) if f.expected else None,
            "actual": None if f.actual is None else float(f.actual),
            "explanation": f.explanation,
        } for f in self.findings]
        return pd.DataFrame(rows, columns=["rule", "severity", "message", "figures",
                                           "expected_lo", "expected_hi", "actual", "explanation"])

    def to_dict(self) -> dict[str, Any]:
        """``{"findings": [...], "summary": {...}}``."""
        return {"title": self.title, "subject": self.subject,
                "findings": [f.to_dict() for f in self.findings],
                "summary": self.summary()}

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON (UTF-8, Chinese kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_text(self, *, sources: bool = True) -> str:
        """A human-readable report, one block per finding."""
        s = self.summary()
        head = (f"{self.title}{' of ' + self.subject if self.subject else ''}: "
                f"{s['checks']} checks, {s['error']} errors, {s['warning']} warnings, "
                f"{s['info']} notes, {s['passed']} passed")
        lines = [head, "=" * min(len(head), 100)]
        for i, f in enumerate(self.findings, 1):
            lines.append(f"[{i}] {f.severity.upper()} {f.rule}: {f.message}")
            if f.expected is not None:
                lines.append(f"    expected {_fmt_interval(f.expected)}, "
                             f"actual {_fmt(f.actual)}")
            if f.explanation:
                lines.append(f"    likely: {f.explanation}")
            for r in f.figures:
                src = f"  ← {r.source}" if sources and r.source else ""
                lines.append(f"    · {r.id} {r.label} = {r.value}{r.unit}{src}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def _float(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _fmt_interval(iv: tuple[Decimal | None, Decimal | None]) -> str:
    lo, hi = iv
    if lo is None and hi is None:
        return "any value"
    if lo is None:
        return f"≤ {_fmt(hi)}"
    if hi is None:
        return f"≥ {_fmt(lo)}"
    return f"[{_fmt(lo)}, {_fmt(hi)}]"


def _fmt(v: Decimal | None) -> str:
    """A number for the text report: at most four decimals (the data keep every digit)."""
    if v is None:
        return "—"
    if v == v.to_integral_value():
        return f"{v.normalize():f}"
    exponent = v.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        v = v.quantize(Decimal("1e-4"))
    return f"{v:f}".rstrip("0")
