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
    "CorruptFileError",
    "CurrencyError",
    "DuplicateKeyError",
    "FiscalkitError",
    "InvalidAmountError",
    "InvalidValueError",
    "MalformedCodeError",
    "MissingColumnError",
    "NoTextLayerError",
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

    >>> import fiscalkit as fk
    >>> for text in ("12.345元", "5美金", "七十万元"):  # one clause catches the family
    ...     try:
    ...         fk.parse_amount(text)
    ...     except FiscalkitError as e:
    ...         print(type(e).__name__)
    InvalidAmountError
    UnitError
    ParseError
    >>> e = FiscalkitError("not a number", where="lines.csv, row 7, column 'amount'")
    >>> str(e), e.where
    ("lines.csv, row 7, column 'amount': not a number", "lines.csv, row 7, column 'amount'")
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ParseError(FiscalkitError, ValueError):
    """Text that could not be read as what it claims to be (an amount, a code, a sentence).

    >>> import fiscalkit as fk
    >>> fk.parse_amount("七十万元")
    Traceback (most recent call last):
    ...
    fiscalkit.errors.ParseError: not an amount: '七十万元'
    """


class CorruptFileError(ParseError):
    """A file that cannot be opened as what its suffix says: a damaged or truncated PDF or
    workbook, or another kind of file under that name.

    A :class:`ParseError`, so a corpus run that catches :class:`FiscalkitError` for each file
    records it and reads the next file.

    >>> import pathlib, tempfile
    >>> from fiscalkit.disclosure import read_pdf
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     cut = pathlib.Path(tmp, "budget.pdf")
    ...     _ = cut.write_bytes(b"%PDF-1.4\\n1 0 obj <</Type/Catalog")  # cut short
    ...     try:
    ...         read_pdf(cut)
    ...     except ParseError as e:
    ...         print(type(e).__name__, "|", str(e).split(": ", 1)[1].split(" (")[0])
    CorruptFileError | not a readable PDF, damaged or truncated
    """


class NoTextLayerError(ParseError):
    """A PDF none of whose pages has a text layer: a scan (images of the pages), which only
    OCR could read. fiscalkit does no OCR and never guesses a number from a picture.

    A document with only *some* scanned pages is read; each such page is reported as a
    problem instead.

    >>> import pathlib, tempfile
    >>> from fiscalkit.disclosure import read_pdf
    >>> one_blank_page = (b"%PDF-1.4\\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\\n"
    ...     b"2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\\n"
    ...     b"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>> endobj\\n"
    ...     b"trailer <</Root 1 0 R>>\\n%%EOF\\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     scan = pathlib.Path(tmp, "scan.pdf")
    ...     _ = scan.write_bytes(one_blank_page)
    ...     try:
    ...         read_pdf(scan)
    ...     except NoTextLayerError as e:
    ...         print(isinstance(e, ParseError), str(e).split(": ", 1)[1])
    ... # doctest: +NORMALIZE_WHITESPACE
    True no page of the PDF has a text layer (1 page(s), 0 of them images of a page): a
    scanned document needs OCR before it can be read
    """


class UnitError(FiscalkitError, ValueError):
    """An unknown unit, or a unit of the wrong dimension (a percentage where money is due).

    >>> from fiscalkit.units import Quantity, to_fen
    >>> to_fen(Quantity(5, "percent"))
    Traceback (most recent call last):
    ...
    fiscalkit.errors.UnitError: 5 percent is not an amount of money
    """


class CurrencyError(UnitError):
    """A conversion between currencies without an explicit exchange rate.

    >>> from fiscalkit.units import Quantity, to_fen
    >>> to_fen(Quantity(5, "USD"))
    Traceback (most recent call last):
    ...
    fiscalkit.errors.CurrencyError: 5 usd is not in yuan; convert with an explicit rate (exchange)
    """


class InvalidAmountError(FiscalkitError, ValueError):
    """An amount that is not a finite number exact to the 分 (fen).

    >>> import fiscalkit as fk
    >>> fk.parse_amount("0.001元")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.InvalidAmountError: '0.001元' is not exact to the 分 (0.01元); ...
    """


class InvalidValueError(FiscalkitError, ValueError):
    """A value outside its controlled vocabulary (an unknown phase, fund or kind).

    >>> import fiscalkit as fk
    >>> fk.Ledger.from_records([{"year": 2021, "phase": "draft", "amount": "1"}])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.InvalidValueError: records, row 0, column 'phase': phase 'draft' is not one ...
    """


class MissingColumnError(FiscalkitError, KeyError):
    """A table lacks a column its schema requires.

    >>> import fiscalkit as fk
    >>> fk.Ledger.from_records([{"year": 2021}])
    Traceback (most recent call last):
    ...
    fiscalkit.errors.MissingColumnError: records: missing required column 'amount'
    """

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class UnexpectedColumnError(MissingColumnError):
    """A table has a column its schema does not know: usually a misspelt (so missing) column.

    A subclass of :class:`MissingColumnError`, which schema checks raised for it before.

    >>> import fiscalkit as fk
    >>> fk.Ledger.from_records([{"year": 2021, "fucntion": "201", "amount": "1"}])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.UnexpectedColumnError: records: unexpected column(s) ['fucntion']; ...
    """


class DuplicateKeyError(FiscalkitError, ValueError):
    """Two ledger lines with the same key: their amounts would be counted twice.

    >>> import fiscalkit as fk
    >>> fk.Ledger.from_records([{"year": 2021, "function": "201", "amount": "1"},
    ...                         {"year": 2021, "function": "201", "amount": "2"}])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.DuplicateKeyError: records: lines with the same key (...): rows [0, 1]
    """


class MalformedCodeError(FiscalkitError, ValueError):
    """A classification code that is not of any scheme's shape (digits and length).

    >>> from fiscalkit import classification
    >>> classification.lookup("2010l01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.MalformedCodeError: '2010l01' is not a classification code (digits only) ...
    """


class UnknownCodeError(FiscalkitError, KeyError):
    """A well-formed code, or a name, that the classification edition does not contain.

    ``suggestions`` holds the nearest valid codes so a typo is one look away from its fix.

    >>> from fiscalkit import classification
    >>> try:
    ...     classification.lookup("2210209")
    ... except UnknownCodeError as e:
    ...     print(e.suggestions)
    ('2210201', '2210202', '2210203', '2210399', '2200199')
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
    """A well-formed code missing from the shipped edition: kept, as the edition is incomplete.

    >>> import warnings, fiscalkit as fk
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     led = fk.Ledger.from_records([{"year": 2021, "function": "2210209", "amount": "1"}])
    >>> len(led), [type(w.message).__name__ for w in caught]
    (1, ['UnknownCodeWarning'])
    """
