"""SQL over a stored corpus with DuckDB: the Parquet files are queried where they lie.

DuckDB is the embedded default engine: it runs in the Python process, reads only the columns
and row groups a query needs, and prunes the ``year=`` partitions of ``lines/``. So a
question about two million lines is answered in well under a second, without loading the
corpus. :func:`connect` opens a connection with these views over a folder written by
:meth:`Corpus.to_parquet <fiscalkit.corpus.Corpus.to_parquet>`:

- ``lines``: ``doc``, ``view``, the ledger schema (amounts BIGINT 分), ``province``, ``row``;
- ``figures``: ``doc`` and the stated-figure columns, as text, and ``row``;
- ``views``: ``doc``, ``view``, ``row`` (a document's first view has the lowest ``row``);
- ``docs``: :data:`~fiscalkit.corpus.DOCUMENT_COLUMNS`, ``metadata`` (JSON text), ``row``;
- ``codes``: the classification edition (``code``, ``scheme``, ``level``, ``name_zh`` …).

A document publishes the same money several times, once per view (by function, by economic
class, by project). Summing ``lines`` over all views counts it several times; pick one view
per document, as :func:`spending_by` does. DuckDB sums BIGINT into HUGEINT, which pandas
receives as float: cast a sum of amounts ``AS BIGINT`` to keep it exact (an overflow then
raises rather than rounds).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from fiscalkit import classification
from fiscalkit.corpus.core import DOCUMENT_COLUMNS, LINE_COLUMNS
from fiscalkit.corpus.store import read_manifest
from fiscalkit.errors import InvalidValueError, MissingColumnError
from fiscalkit.ledger import CODE_DIMENSIONS

if TYPE_CHECKING:
    import duckdb

__all__ = ["connect", "query", "spending_by"]

_WIDTH: Final = {1: 3, 2: 5, 3: 7}
_LINE_KEYS: Final = frozenset({*LINE_COLUMNS, "province"}) - {"amount"}
_DOC_KEYS: Final = frozenset(DOCUMENT_COLUMNS) - _LINE_KEYS


def _duckdb() -> ModuleType:
    try:
        import duckdb
    except ImportError as e:  # an optional dependency
        raise ImportError("querying a stored corpus needs DuckDB: install the extra "
                          "'fiscalkit[corpus]' (pip install 'fiscalkit[corpus]')") from e
    return duckdb


def _literal(text: str) -> str:
    """A SQL string literal (the only text spliced into SQL here is a folder path)."""
    return "'" + text.replace("'", "''") + "'"


def connect(path: str | Path, *, edition: classification.Edition | None = None
            ) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with views ``lines``, ``figures``, ``views``, ``docs``
    and ``codes`` over the corpus stored in ``path``. Close it when done.

    Creating the views reads no data; each query reads only what it needs.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> folder = synthetic_corpus(3, lines_per_doc=20).corpus.to_parquet(tempfile.mkdtemp() + "/c")
    >>> con = connect(folder)
    >>> con.sql("SELECT count(DISTINCT doc) AS docs, count(*) AS n FROM lines").fetchall()
    [(3, 60)]
    >>> con.close()
    """
    engine = _duckdb()
    root = Path(path).resolve()
    manifest = read_manifest(root)
    edition = edition or classification.shipped(int(manifest["edition"]["year"]))
    con: duckdb.DuckDBPyConnection = engine.connect()
    try:
        partitions = ", ".join(f"'{k}': BIGINT" for k in manifest["tables"]["lines"].get(
            "partitioning", ()))
        con.execute(f"CREATE VIEW lines AS SELECT * FROM read_parquet("
                    f"{_literal(str(root / 'lines' / '**' / '*.parquet'))}, "
                    f"hive_partitioning = true, hive_types = {{{partitions}}})")
        for name in ("figures", "views", "docs"):
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet("
                        f"{_literal(str(root / name / '*.parquet'))})")
        codes = edition.frame[["code", "scheme", "level", "name_zh", "name_en"]].astype("str")
        con.register("codes", codes.reset_index(drop=True))
    except BaseException:
        con.close()
        raise
    return con


def query(path: str | Path, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run one SQL query over the stored corpus (views as in :func:`connect`); a DataFrame.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> corpus = synthetic_corpus(3, lines_per_doc=20).corpus
    >>> folder = corpus.to_parquet(tempfile.mkdtemp() + "/c")
    >>> got = query(folder, "SELECT CAST(sum(amount) AS BIGINT) AS fen FROM lines WHERE doc = ?",
    ...             ["D00001"])
    >>> int(got["fen"].iloc[0]) == int(corpus.lines.query("doc == 'D00001'")["amount"].sum())
    True
    """
    con = connect(path)
    try:
        out: pd.DataFrame = con.execute(sql, params).df()
    finally:
        con.close()
    return out


def spending_by(path: str | Path, dim: str = "function", *, level: int = 1,
                by: str | Sequence[str] = "province", view: str | None = None) -> pd.DataFrame:
    """Spending by a classification at ``level`` (1 类, 2 款, 3 项) and by ``by``, in SQL.

    Each document's money is counted once, from one view: ``view`` when given (documents
    without it are left out), else the document's view that classifies the most money by
    ``dim`` (the sum of absolute amounts on lines with a ``dim`` code; ties go to the
    document's earlier view). Lines of that view without a code make the row whose ``dim``
    is missing, so nothing is dropped. ``by`` names columns of ``lines`` (``province``,
    ``year``, ``fund``, ``kind`` …) or of ``docs`` (``region``, ``name``, ``path``).

    Returns ``by``, the code, its Chinese name and ``amount`` in int64 分, sorted.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> corpus = synthetic_corpus(4, lines_per_doc=30).corpus
    >>> folder = corpus.to_parquet(tempfile.mkdtemp() + "/c")
    >>> table = spending_by(folder, "function", level=1, by="province")
    >>> list(table.columns)
    ['province', 'function', 'name_zh', 'amount']
    >>> int(table["amount"].sum()) == int(corpus.lines["amount"].sum())
    True
    """
    if dim not in CODE_DIMENSIONS:
        raise InvalidValueError(f"dim must be one of {CODE_DIMENSIONS}, not {dim!r}")
    if level not in _WIDTH:
        raise InvalidValueError(f"level must be 1 (类), 2 (款) or 3 (项), not {level!r}")
    keys = (by,) if isinstance(by, str) else tuple(by)
    for key in keys:
        if key == dim or (key not in _LINE_KEYS and key not in _DOC_KEYS):
            raise MissingColumnError(
                f"cannot group by {key!r}: use columns of lines ({sorted(_LINE_KEYS - {dim})}) "
                f"or of docs ({sorted(_DOC_KEYS)})")
    select = "".join(f"{'l' if k in _LINE_KEYS else 'd'}.{k} AS {k}, " for k in keys)
    join_docs = "JOIN docs d ON d.doc = l.doc" if any(k in _DOC_KEYS for k in keys) else ""
    order = ", ".join(f"{c} NULLS LAST" for c in (*keys, dim))
    con = connect(path)
    try:
        chosen, where, params = _view_choice(con, dim, view)
        sql = f"""
            {chosen}
            SELECT t.* EXCLUDE (amount), k.name_zh, t.amount FROM (
                SELECT {select}substr(l.{dim}, 1, {_WIDTH[level]}) AS {dim},
                       CAST(sum(l.amount) AS BIGINT) AS amount
                FROM lines l {join_docs} {where}
                GROUP BY ALL) t
            LEFT JOIN codes k ON k.code = t.{dim}
            ORDER BY {order}"""
        out: pd.DataFrame = con.execute(sql, params).df()
    finally:
        con.close()
    out["amount"] = out["amount"].astype("int64")
    return out


def _view_choice(con: duckdb.DuckDBPyConnection, dim: str, view: str | None
                 ) -> tuple[str, str, list[Any]]:
    """The CTE, the WHERE clause and the parameters that keep one view per document.

    When no document has a second view there is nothing to choose, and the query is a
    single scan of ``lines``: the common case of a corpus of one-view ledgers.
    """
    if view is not None:
        return "", "WHERE l.view = ?", [view]
    one_each = con.execute("SELECT count(*) = count(DISTINCT doc) FROM views").fetchone()
    if one_each is not None and one_each[0]:
        return "", "", []
    chosen = f"""
        WITH chosen AS (
            SELECT m.doc, m.view FROM (
                SELECT doc, view, sum(abs(amount)) FILTER (WHERE {dim} IS NOT NULL) AS money
                FROM lines GROUP BY doc, view) m
            JOIN views v ON v.doc = m.doc AND v.view = m.view
            QUALIFY row_number() OVER (PARTITION BY m.doc
                                       ORDER BY coalesce(m.money, 0) DESC, v.row) = 1)"""
    return chosen, "WHERE (l.doc, l.view) IN (SELECT (doc, view) FROM chosen)", []
