"""Published budget disclosures: the model, the standard tables, and readers.

A disclosure is two things: the **money**, as one or more ledger *views* (the marginal tables
a document publishes), and the **claims** the document makes about it, as stated figures
with their published precision. See :mod:`fiscalkit.disclosure.model` for the figures table
and its selector/relation languages, :mod:`fiscalkit.disclosure.tables` for rendering, and the
readers :mod:`fiscalkit.disclosure.text` (narrative text), :mod:`fiscalkit.disclosure.pdf`
(published PDFs with their standard tables) and :mod:`fiscalkit.disclosure.excel` (the tables
published as a workbook), the last two sharing :mod:`fiscalkit.disclosure.grid`.
"""

from fiscalkit.disclosure.excel import read_excel
from fiscalkit.disclosure.grid import PdfTable, Problem, TableRow
from fiscalkit.disclosure.model import (
    FIGURE_COLUMNS,
    FIGURE_KINDS,
    RELATIONS,
    Call,
    Disclosure,
    Selector,
    StatedFigure,
    evaluate,
    figures_from_frame,
    parse_relation,
    parse_selector,
)
from fiscalkit.disclosure.pdf import ReadResult, read_any, read_pdf
from fiscalkit.disclosure.tables import SANGONG, TABLES, TableSpec, narrate, render_tables
from fiscalkit.disclosure.text import ParseResult, parse_file, parse_text

__all__ = [
    "FIGURE_COLUMNS",
    "FIGURE_KINDS",
    "RELATIONS",
    "SANGONG",
    "TABLES",
    "Call",
    "Disclosure",
    "ParseResult",
    "PdfTable",
    "Problem",
    "ReadResult",
    "Selector",
    "StatedFigure",
    "TableRow",
    "TableSpec",
    "evaluate",
    "figures_from_frame",
    "narrate",
    "parse_file",
    "parse_relation",
    "parse_selector",
    "parse_text",
    "read_any",
    "read_excel",
    "read_pdf",
    "render_tables",
]
