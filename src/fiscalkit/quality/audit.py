"""The whole transparency audit in one report, and its command line.

:func:`audit_all` runs, on one disclosure, everything fiscalkit checks: the reconciliation
of the stated figures (:func:`fiscalkit.reconcile.reconcile`), the audit of the performance
targets (:func:`fiscalkit.performance.audit`), completeness against the template, the
required explanations and the common slips — and returns one :class:`AuditReport`, errors
first, with the completeness score on top. A place name that the target audit already
reported is not reported again by the text-wide jurisdiction rule.

:func:`cli_audit` implements ``fiscalkit audit PATH [--format text|json|html]``: exit 0 when
no finding is an error, 1 when some are, 2 on bad input or usage. The ``fiscalkit`` command
line registers it as a subcommand that passes its remaining arguments through, e.g. in
``fiscalkit/cli.py``::

    a = sub.add_parser("audit", help="transparency audit of a disclosure (PDF, text or "
                       "dataset folder); exit 1 on an error finding", add_help=False)
    a.add_argument("args", nargs=argparse.REMAINDER)
    a.set_defaults(func=lambda ns: cli_audit(ns.args))

>>> from fiscalkit import datasets
>>> report = audit_all(datasets.load(datasets.available()[0]))
>>> report.title, str(report.completeness.score_percent)
('Transparency audit', '68.0')
>>> sorted({f.rule for f in report.findings if f.rule.startswith("slip.")})[:3]
['slip.leftover', 'slip.numbering', 'slip.running_costs_shiye']
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from fiscalkit.disclosure.model import Disclosure
from fiscalkit.errors import FiscalkitError
from fiscalkit.findings import Finding, Report
from fiscalkit.quality.completeness import (
    CompletenessReport,
    completeness,
    rules_for,
    sort_findings,
)
from fiscalkit.quality.document import Document, as_document, load_document
from fiscalkit.quality.explanations import explanations
from fiscalkit.quality.rules import TemplateRules
from fiscalkit.quality.slips import slips

__all__ = ["AuditReport", "audit_all", "cli_audit"]


@dataclass(frozen=True)
class AuditReport(Report):
    """The findings of every check on one disclosure, with the completeness report and the
    audited document (for :func:`~fiscalkit.quality.render.render_html`).

    ``parts`` keeps each check's own summary, so a reader can tell "no finding" from "not
    checked"; the text and JSON forms lead with the completeness score.

    >>> text = ("某局2021年部门预算\\n一、部门职责\\n负责某某工作。\\n二、收入预算总体情况说明\\n"
    ...         "某局2021年收入合计400万元，其中：一般公共预算380万元，政府性基金30万元。")
    >>> report = audit_all(as_document(text), rules="budget-2021")   # 380 + 30 is not 400
    >>> report.errors[0].rule, report.parts["Reconciliation"]["error"]
    ('sum', 1)
    >>> print(report.to_text().split("\\n[1]")[0])     # doctest: +ELLIPSIS
    Completeness 7.7% (2 of 26 required elements) against budget-2021
      missing: 机构设置 / 预算单位构成 (structure); ...
      Reconciliation: 1 checks, 1 errors, 0 warnings, 0 notes
      Target-quality audit: 0 checks, 0 errors, 0 warnings, 0 notes
      Completeness (budget-2021): 27 checks, 0 errors, 24 warnings, 1 notes
      Required explanations: 0 checks, 0 errors, 0 warnings, 0 notes
      Common slips: 10 checks, 0 errors, 0 warnings, 0 notes
    Transparency audit of 某局 2021: 38 checks, 1 errors, 24 warnings, 1 notes, 12 passed
    ...
    >>> sorted(report.to_dict())
    ['completeness', 'findings', 'parts', 'subject', 'summary', 'title']
    """

    completeness: CompletenessReport | None = None
    parts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    document: Document | None = field(default=None, repr=False, compare=False)

    def to_text(self, *, sources: bool = True) -> str:
        """The report as text, headed by the completeness score and the checks run."""
        head = []
        if self.completeness is not None:
            head.append(self.completeness.headline())
            missing = self.completeness.missing
            if missing:
                head.append("  missing: " + "; ".join(e.name for e in missing))
        for title, s in self.parts.items():
            head.append(f"  {title}: {s['checks']} checks, {s['error']} errors, "
                        f"{s['warning']} warnings, {s['info']} notes")
        return "\n".join([*head, super().to_text(sources=sources)])

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``title, subject, findings`` (each with its ``details``), ``summary``,
        ``parts`` (summary per check) and ``completeness``."""
        out = super().to_dict()
        out["findings"] = [{**f.to_dict(), "details": _jsonable(f.details)}
                           for f in self.findings]
        out["parts"] = {k: dict(v) for k, v in self.parts.items()}
        out["completeness"] = (self.completeness.completeness_dict()
                               if self.completeness is not None else None)
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | Fraction):
        return float(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _document(path_or_disclosure: Any, tables_path: str | Path | None) -> Document:
    if isinstance(path_or_disclosure, str | os.PathLike):
        p = Path(path_or_disclosure)
        if not p.exists() and isinstance(path_or_disclosure, str) and os.sep not in str(p):
            from fiscalkit import datasets

            if p.name in datasets.available():
                return as_document(datasets.load(p.name))
        return load_document(p, tables_path)
    return as_document(path_or_disclosure)


def audit_all(path_or_disclosure: Any, *, rules: TemplateRules | str | Path | None = None,
              tables_path: str | Path | None = None) -> AuditReport:
    """Run the reconciliation, the target audit and the transparency checks together.

    ``path_or_disclosure`` is a path (PDF, ``.txt``, dataset folder, or the name of a
    bundled dataset), a :class:`~fiscalkit.disclosure.Disclosure`, a reader result or a
    :class:`~fiscalkit.quality.document.Document`. ``rules`` picks the template rules
    (default: chosen from the document); ``tables_path`` is a second PDF holding the tables.
    Bad input raises :class:`~fiscalkit.errors.FiscalkitError` or ``OSError``.

    >>> from fiscalkit import datasets
    >>> report = audit_all(datasets.available()[0])      # a bundled dataset, by name
    >>> report.summary()["error"], list(report.parts)[:2]
    (4, ['Reconciliation', 'Target-quality audit'])
    """
    doc = _document(path_or_disclosure, tables_path)
    r = rules_for(doc, rules)
    parts: list[Report] = []
    d = doc.disclosure
    if isinstance(d, Disclosure):
        from fiscalkit.performance import audit
        from fiscalkit.reconcile import reconcile

        parts.append(reconcile(d))
        try:
            parts.append(audit(d))
        except FiscalkitError as e:  # indicators the target audit cannot read
            parts.append(Report.of([Finding("target.unreadable", "info",
                                            f"the performance targets could not be audited: {e}")],
                                   1, d.name, title="Target-quality audit"))
    comp = completeness(doc, r)
    parts.extend([comp, explanations(doc, r), slips(doc, r)])
    flagged = {str(f.details.get("place")) for p in parts for f in p.findings
               if f.rule == "target.other_jurisdiction"}
    findings: list[Finding] = []
    for p in parts:
        findings.extend(f for f in p.findings if not (
            f.rule == "slip.other_jurisdiction" and str(f.details.get("place")) in flagged))
    return AuditReport(sort_findings(findings), sum(p.checks for p in parts), doc.name,
                       "Transparency audit", completeness=comp,
                       parts={p.title: p.summary() for p in parts}, document=doc)


# ---------------------------------------------------------------------- command line
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fiscalkit audit",
        description="Transparency audit of a budget disclosure: reconciliation, performance "
                    "targets, completeness against the template, required explanations and "
                    "common slips. Exit 0: no error finding; 1: error findings; 2: bad input.")
    p.add_argument("path", help="a disclosure PDF, a .txt file, a dataset folder or the name "
                                "of a bundled dataset")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument("--rules", default=None,
                   help="template rules: a shipped name (budget-2021, final-2021, …) or a "
                        "JSON file (default: chosen from the document)")
    p.add_argument("--tables", default=None, help="a second PDF holding the tables")
    p.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    return p


def cli_audit(argv: Sequence[str] | None = None) -> int:
    """``fiscalkit audit PATH [--format text|json|html] [--rules R] [--tables PDF] [-o FILE]``.

    Returns the exit code: 0 no error finding, 1 error findings, 2 bad input or usage.

    >>> cli_audit(["/no/such/file.pdf"])
    2
    """
    parser = _parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return 0 if e.code in (0, None) else 2
    try:
        report = audit_all(args.path, rules=args.rules, tables_path=args.tables)
        if args.format == "json":
            out = report.to_json()
        elif args.format == "html":
            from fiscalkit.quality.render import render_html

            out = render_html(report, report.document)
        else:
            out = report.to_text()
        if args.output:
            Path(args.output).write_text(out, encoding="utf-8")
        else:
            sys.stdout.write(out if out.endswith("\n") else out + "\n")
    except (FiscalkitError, OSError, UnicodeDecodeError) as e:
        print(f"fiscalkit audit: {e}", file=sys.stderr)
        return 2
    return 1 if report.errors else 0
