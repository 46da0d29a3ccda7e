"""fiscalkit: model, reconcile and stress-test public budgets.

One obvious entry point per concept:

- money: :func:`parse_amount`, :func:`format_amount`, :func:`money` (module :mod:`fiscalkit.units`)
- classifications: :mod:`fiscalkit.classification` (``lookup``, ``roll_up``, ``Edition``)
- the ledger: :class:`Ledger`
- disclosures: :class:`Disclosure`, :func:`render_tables` (:mod:`fiscalkit.disclosure`), bundled
  datasets in :mod:`fiscalkit.datasets`
- checks: :func:`~fiscalkit.reconcile.reconcile` → a :class:`~fiscalkit.findings.Report` of findings
- cut scenarios: :mod:`fiscalkit.scenario`; performance targets: :mod:`fiscalkit.performance`;
  interchange: :mod:`fiscalkit.io`;
  charts: :mod:`fiscalkit.plot`

>>> import fiscalkit as fk
>>> report = fk.reconcile(fk.datasets.load(fk.datasets.available()[0]))
>>> report.summary()["checks"] > 0
True
"""

from fiscalkit import (
    classification,
    datasets,
    disclosure,
    errors,
    findings,
    io,
    performance,
    plot,
    quality,
    scenario,
    units,
)
from fiscalkit.disclosure import Disclosure, render_tables
from fiscalkit.errors import FiscalkitError
from fiscalkit.ledger import Ledger
from fiscalkit.reconcile import reconcile
from fiscalkit.units import Quantity, format_amount, money, parse_amount, ureg

__all__ = [
    "Disclosure",
    "FiscalkitError",
    "Ledger",
    "Quantity",
    "classification",
    "datasets",
    "disclosure",
    "errors",
    "findings",
    "format_amount",
    "io",
    "money",
    "parse_amount",
    "performance",
    "plot",
    "quality",
    "reconcile",
    "render_tables",
    "scenario",
    "units",
    "ureg",
]
__version__ = "0.1.0"
