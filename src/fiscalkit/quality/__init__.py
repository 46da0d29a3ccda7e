"""Disclosure quality beyond arithmetic: a transparency audit.

The reconciliation (:mod:`fiscalkit.reconcile`) asks whether the published figures agree.
A disclosure can pass it and still tell the reader little: sections and standard tables
left out, changes stated without their reasons, the template's instructions left in, text
copied from another unit. This package checks those, reporting with the same
:class:`~fiscalkit.findings.Finding` values as every other check:

- :func:`completeness` — required sections, standard tables and empty-line statements of the
  template version (rules as data, :mod:`fiscalkit.quality.rules`), with a score;
- :func:`explanations` — each year-on-year change and each budget-vs-outturn difference has
  its stated reason;
- :func:`slips` — small rules for common mistakes (:mod:`fiscalkit.quality.slips`);
- :func:`audit_all` — all of the above plus the reconciliation and the target audit, in one
  report; :func:`render_html` — the text with each figure and finding marked;
  :func:`cli_audit` — ``fiscalkit audit PATH [--format text|json|html]``.

Severity is one policy throughout: **error** only where the text contradicts itself or the
template unambiguously (a verified requirement), **warning** for a likely problem, **info**
for style.

>>> from fiscalkit import datasets
>>> d = datasets.load(datasets.available()[0])
>>> completeness(d).missing[0].name
'收支总表 (budget summary)'
>>> [f.details["place"] for f in slips(d).findings if f.rule == "slip.other_jurisdiction"]
['广宁县']
"""

from fiscalkit.quality.audit import AuditReport, audit_all, cli_audit
from fiscalkit.quality.completeness import CompletenessReport, ElementResult, completeness
from fiscalkit.quality.document import Document, TableInfo, as_document, load_document, pdf_text
from fiscalkit.quality.explanations import explanations
from fiscalkit.quality.render import render_html
from fiscalkit.quality.rules import TemplateRules, available_rules, select_rules
from fiscalkit.quality.slips import slips

__all__ = [
    "AuditReport",
    "CompletenessReport",
    "Document",
    "ElementResult",
    "TableInfo",
    "TemplateRules",
    "as_document",
    "audit_all",
    "available_rules",
    "cli_audit",
    "completeness",
    "explanations",
    "load_document",
    "pdf_text",
    "render_html",
    "select_rules",
    "slips",
]
