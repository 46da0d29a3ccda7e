"""Corpora: thousands of disclosures stored, queried and reconciled at once.

A province publishes thousands of departmental budgets a year. This package holds them as one
:class:`Corpus` (one long ledger frame, one long stated-figures frame, the views and each
document's metadata) and works on all of them at once:

- :func:`reconcile_corpus` checks every stated figure of every document in one vectorised
  pass (:mod:`fiscalkit.corpus.core`);
- :meth:`Corpus.to_parquet` / :meth:`Corpus.from_parquet` store it as a partitioned Parquet
  dataset that DuckDB, Dask and Spark read as it is (:mod:`fiscalkit.corpus.store`);
- :func:`connect`, :func:`query` and :func:`spending_by` run SQL over the stored files with
  DuckDB, without loading them whole (:mod:`fiscalkit.corpus.query`);
- :func:`build_corpus` (:meth:`Corpus.from_folder`) reads a folder of texts, PDFs,
  spreadsheets and dataset folders, reporting each bad file rather than stopping at it
  (:mod:`fiscalkit.corpus.build`);
- :func:`synthetic_corpus` generates corpora with planted errors for tests and benchmarks
  (:mod:`fiscalkit.corpus.synthetic`).

>>> import tempfile
>>> sc = synthetic_corpus(3, lines_per_doc=40, seed=1, error_rate=0.05)
>>> folder = sc.corpus.to_parquet(tempfile.mkdtemp() + "/corpus")
>>> found = reconcile_corpus(Corpus.from_parquet(folder))
>>> errors = found[found["severity"] == "error"]
>>> named = {(d, i) for d, ids in zip(errors["doc"], errors["figures"]) for i in ids.split(", ")}
>>> set(zip(sc.planted["doc"], sc.planted["id"])) <= named
True
"""

from fiscalkit.corpus.build import PROBLEM_COLUMNS, BuildReport, build_corpus
from fiscalkit.corpus.core import (
    DOCUMENT_COLUMNS,
    FINDING_COLUMNS,
    LINE_COLUMNS,
    PROVINCES,
    Corpus,
    reconcile_corpus,
)
from fiscalkit.corpus.query import connect, query, spending_by
from fiscalkit.corpus.store import FORMAT_VERSION, read_parquet, write_parquet
from fiscalkit.corpus.synthetic import SyntheticCorpus, synthetic_corpus

__all__ = [
    "DOCUMENT_COLUMNS",
    "FINDING_COLUMNS",
    "FORMAT_VERSION",
    "LINE_COLUMNS",
    "PROBLEM_COLUMNS",
    "PROVINCES",
    "BuildReport",
    "Corpus",
    "SyntheticCorpus",
    "build_corpus",
    "connect",
    "query",
    "read_parquet",
    "reconcile_corpus",
    "spending_by",
    "synthetic_corpus",
    "write_parquet",
]
