"""fiscalkit: model, reconcile and stress-test public budgets.

One obvious entry point per concept:

- money: :func:`parse_amount`, :func:`format_amount`, :func:`money` (module :mod:`fiscalkit.units`)
- classifications: :mod:`fiscalkit.classification` (``lookup``, ``roll_up``, ``Edition``)
- the ledger: :class:`Ledger`
"""

from fiscalkit import classification, errors, units
from fiscalkit.errors import FiscalkitError
from fiscalkit.ledger import Ledger
from fiscalkit.units import Quantity, format_amount, money, parse_amount, ureg

__all__ = [
    "FiscalkitError",
    "Ledger",
    "Quantity",
    "classification",
    "errors",
    "format_amount",
    "money",
    "parse_amount",
    "units",
    "ureg",
]
__version__ = "0.1.0"
