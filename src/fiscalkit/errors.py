"""Typed exceptions for bad input.

fiscalkit separates two things: *bad input* (a malformed code, a non-numeric amount, a
missing column) raises one of these exceptions, naming the place it came from; *well-formed
but inconsistent* input (figures that do not add up) is never an exception but a
:class:`fiscalkit.findings.Finding`. Every exception derives from :class:`FiscalkitError`
so a caller embedding fiscalkit can catch the whole family in one clause.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CurrencyError",
    "DuplicateKeyError",
    "FiscalkitError",
    "InvalidAmountError",
    "InvalidValueError",
    "MalformedCodeError",
    "MissingColumnError",
    "ParseError",
    "UnexpectedColumnError",
    "UnitError",
    "UnknownCodeError",
    "UnknownCodeWarning",
]


class FiscalkitError(Exception):
    """Base class of every error fiscalkit raises for bad input.

    ``where`` names the place (a file, a row, a column, a sentence) so that a user with a
    thousand files can find the one line that is wrong.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ParseError(FiscalkitError, ValueError):
    """Text that could not be read as what it claims to be (an amount, a code, a sentence)."""


class UnitError(FiscalkitError, ValueError):
    """An unknown unit, or a unit of the wrong dimension (a percentage where money is due)."""


class CurrencyError(UnitError):
    """A conversion between currencies without an explicit exchange rate."""


class InvalidAmountError(FiscalkitError, ValueError):
    """An amount that is not a finite number exact to the 分 (fen)."""


class InvalidValueError(FiscalkitError, ValueError):
    """A value outside its controlled vocabulary (an unknown phase, fund or kind)."""


class MissingColumnError(FiscalkitError, KeyError):
    """A table lacks a column its schema requires."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class UnexpectedColumnError(MissingColumnError):
    """A table has a column its schema does not know: usually a misspelt (so missing) column.

    A subclass of :class:`MissingColumnError`, which schema checks raised for it before.
    """


class DuplicateKeyError(FiscalkitError, ValueError):
    """Two ledger lines with the same key: their amounts would be counted twice."""


class MalformedCodeError(FiscalkitError, ValueError):
    """A classification code that is not of any scheme's shape (digits and length)."""


class UnknownCodeError(FiscalkitError, KeyError):
    """A well-formed code, or a name, that the classification edition does not contain.

    ``suggestions`` holds the nearest valid codes so a typo is one look away from its fix.
    """

    def __init__(
        self, message: str, *, suggestions: Sequence[str] = (), where: str | None = None
    ) -> None:
        self.suggestions = tuple(suggestions)
        if self.suggestions:
            message = f"{message}; did you mean {', '.join(self.suggestions)}?"
        super().__init__(message, where=where)

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownCodeWarning(UserWarning):
    """A well-formed code missing from the shipped edition: kept, as the edition is incomplete."""
