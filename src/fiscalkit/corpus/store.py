"""Storing a corpus as Parquet: one folder that DuckDB, Dask and Spark read as it is.

A stored corpus is a folder::

    manifest.json                     format and version, row counts, the edition
    lines/year=2021/part-0.parquet    the ledger lines, hive-partitioned by year
    figures/part-0.parquet            the stated figures
    views/part-0.parquet              each document's views, in order
    docs/part-0.parquet               one row per document: Corpus.documents + metadata

Why this shape. The lines are nearly all of the data, so they are the table that is
partitioned: by ``year``, which every line has, so a query for one year reads one folder.
Each line also carries its document's ``province``, so that "spending by province" is a plain
group-by in any engine, with no join. The province is not a partition key: a document whose
province is unknown would need a null partition, which Dask cannot read. Amounts are int64 分;
codes and other dimensions are dictionary-encoded strings. Every table has a ``row`` column,
its position in the corpus, because a partitioned dataset is read back in partition order
and the corpus's order is part of it (findings come in figure order). Metadata, which differ
from source to source, are kept whole as JSON text in ``docs.metadata``, beside the flat
columns of :data:`~fiscalkit.corpus.DOCUMENT_COLUMNS` that queries group by.

Nothing but Parquet and JSON is written, and nothing is executed or unpickled on reading:
:func:`read_parquet` rebuilds the :class:`~fiscalkit.corpus.Corpus` and validates it again.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from fiscalkit import classification
from fiscalkit.corpus.core import DOCUMENT_COLUMNS, LINE_COLUMNS, Corpus
from fiscalkit.disclosure.model import FIGURE_COLUMNS
from fiscalkit.errors import InvalidValueError

__all__ = ["FORMAT", "FORMAT_VERSION", "PARTITIONING", "read_manifest", "read_parquet",
           "write_parquet"]

#: The ``format`` a stored corpus's ``manifest.json`` names.
FORMAT: Final = "fiscalkit-corpus"
#: The version of the layout; :func:`read_parquet` refuses other versions.
FORMAT_VERSION: Final = 1
#: The hive partition keys of ``lines/``.
PARTITIONING: Final = ("year",)
_ROWS_PER_GROUP: Final = 1 << 18
_TABLES: Final = ("lines", "figures", "views", "docs")
_FILE: Final = "part-0.parquet"


def _schema_of_partitions() -> ds.Partitioning:
    return ds.partitioning(pa.schema([("year", pa.int64())]), flavor="hive")


# ---------------------------------------------------------------------- writing
def write_parquet(corpus: Corpus, path: str | Path, *, overwrite: bool = False) -> Path:
    """Store ``corpus`` in the folder ``path`` (created); return the folder.

    The folder is written beside its final place and renamed into it, so a failed write
    leaves no half corpus. An existing folder is replaced only with ``overwrite=True``, and
    only when it holds a stored corpus (its ``manifest.json``): anything else is refused
    rather than deleted.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> corpus = synthetic_corpus(2, lines_per_doc=20).corpus
    >>> folder = write_parquet(corpus, tempfile.mkdtemp() + "/c")
    >>> [p.name for p in sorted((folder / "lines").iterdir())]
    ['year=2021']
    >>> json.loads((folder / "manifest.json").read_text())["tables"]["docs"]["rows"]
    2
    """
    root = Path(path)
    _check_target(root, overwrite)
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
    try:
        documents = corpus.documents
        counts = {"lines": _write_lines(corpus, documents, tmp / "lines"),
                  "figures": _write_table(_figures_table(corpus), tmp / "figures"),
                  "views": _write_table(_views_table(corpus), tmp / "views"),
                  "docs": _write_table(_docs_table(corpus, documents), tmp / "docs")}
        (tmp / "manifest.json").write_text(
            json.dumps(_manifest(corpus, counts), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8")
        if root.exists():
            shutil.rmtree(root)
        os.replace(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root


def _check_target(root: Path, overwrite: bool) -> None:
    if not root.exists():
        return
    if not root.is_dir():
        raise FileExistsError(f"{root} exists and is not a folder")
    if not any(root.iterdir()):
        return
    if not overwrite:
        raise FileExistsError(f"{root} is not empty; pass overwrite=True to replace a stored "
                              "corpus")
    if not (root / "manifest.json").is_file():
        raise FileExistsError(f"{root} holds no manifest.json: it is not a stored corpus, "
                              "and is left alone")


def _write_lines(corpus: Corpus, documents: pd.DataFrame, folder: Path) -> int:
    lines = corpus._lines
    province = pd.Categorical(documents["province"])
    doc_codes = lines["doc"].cat.codes.to_numpy(dtype=np.int64)
    codes = province.codes.astype(np.int64)[doc_codes] if len(doc_codes) else \
        np.zeros(0, dtype=np.int64)
    frame = lines.assign(province=pd.Categorical.from_codes(codes, province.categories),
                         row=np.arange(len(lines), dtype=np.int64))
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    ds.write_dataset(table, folder, format="parquet", partitioning=_schema_of_partitions(),
                     basename_template="part-{i}.parquet", max_rows_per_group=_ROWS_PER_GROUP,
                     existing_data_behavior="error", preserve_order=True)
    if not len(lines):  # no rows, no partition: keep one empty file so readers see the schema
        (folder / "year=0").mkdir(parents=True)
        pq.write_table(table.drop_columns(list(PARTITIONING)), folder / "year=0" / _FILE)
    return len(lines)


def _write_table(table: pa.Table, folder: Path) -> int:
    folder.mkdir()
    pq.write_table(table, folder / _FILE, row_group_size=_ROWS_PER_GROUP)
    return int(table.num_rows)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    frame = frame.assign(row=np.arange(len(frame), dtype=np.int64))
    return pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)


def _figures_table(corpus: Corpus) -> pa.Table:
    return _arrow(corpus._figures)


def _views_table(corpus: Corpus) -> pa.Table:
    views = corpus._views
    return _arrow(pd.DataFrame({"doc": pd.Series(np.asarray(views["doc"], dtype=object),
                                                 dtype="str"),
                                "view": pd.Series(views["view"], dtype="str")}))


def _docs_table(corpus: Corpus, documents: pd.DataFrame) -> pa.Table:
    texts = []
    for doc, meta in corpus._metadata.items():
        try:
            texts.append(json.dumps(meta, ensure_ascii=False, default=_json_scalar))
        except (TypeError, ValueError) as e:
            raise InvalidValueError(f"metadata cannot be stored as JSON ({e})",
                                    where=f"metadata of document {doc!r}") from None
    return _arrow(documents.assign(metadata=pd.Series(texts, dtype="str")))


def _json_scalar(value: Any) -> Any:
    """numpy scalars as the Python values they hold (exactly); anything else is refused."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _manifest(corpus: Corpus, counts: Mapping[str, int]) -> dict[str, Any]:
    from fiscalkit import __version__

    tables: dict[str, Any] = {name: {"path": name, "rows": counts[name]} for name in _TABLES}
    tables["lines"]["partitioning"] = list(PARTITIONING)
    return {"format": FORMAT, "version": FORMAT_VERSION, "written_by": f"fiscalkit {__version__}",
            "unit": "分", "documents": len(corpus),
            "edition": {"year": corpus.edition.year, "source": corpus.edition.source},
            "tables": tables}


# ---------------------------------------------------------------------- reading
def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of a stored corpus, checked to be one this version can read.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> folder = write_parquet(synthetic_corpus(1, lines_per_doc=5).corpus,
    ...                        tempfile.mkdtemp() + "/c")
    >>> read_manifest(folder)["version"] == FORMAT_VERSION
    True
    >>> read_manifest(folder / "lines")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.InvalidValueError: .../lines: no manifest.json: not a corpus stored by ...
    """
    root = Path(path)
    where = str(root / "manifest.json")
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidValueError("no manifest.json: not a corpus stored by Corpus.to_parquet",
                                where=str(root)) from None
    except json.JSONDecodeError as e:
        raise InvalidValueError(f"not JSON ({e})", where=where) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidValueError(f"not a {FORMAT!r} manifest", where=where)
    if manifest.get("version") != FORMAT_VERSION:
        raise InvalidValueError(f"format version {manifest.get('version')!r}; this fiscalkit "
                                f"reads version {FORMAT_VERSION}", where=where)
    return manifest


def read_parquet(path: str | Path, *, edition: classification.Edition | None = None
                 ) -> Corpus:
    """Read a corpus stored by :func:`write_parquet`: the same frames, views and metadata.

    The lines come back in their stored order (by ``row``), amounts int64 分, and the corpus
    is validated again against ``edition`` (by default the shipped edition of the stored
    edition's year). Row counts that differ from the manifest's, or positions missing or
    repeated, raise :class:`~fiscalkit.errors.InvalidValueError`: a folder with a file lost
    or added is not read as if it were whole. Metadata come back from JSON, so a tuple comes
    back as a list.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> corpus = synthetic_corpus(2, lines_per_doc=20).corpus
    >>> back = read_parquet(write_parquet(corpus, tempfile.mkdtemp() + "/c"))
    >>> back.views.equals(corpus.views), back.metadata == corpus.metadata
    (True, True)
    """
    root = Path(path)
    manifest = read_manifest(root)
    lines = _table(root, "lines", [*LINE_COLUMNS, "row"])
    figures = _table(root, "figures", ["doc", *FIGURE_COLUMNS, "row"])
    views = _table(root, "views", ["doc", "view", "row"])
    docs = _table(root, "docs", [*DOCUMENT_COLUMNS, "metadata", "row"])
    for name, frame in (("lines", lines), ("figures", figures), ("views", views),
                        ("docs", docs)):
        expected = manifest["tables"][name]["rows"]
        if len(frame) != expected:
            raise InvalidValueError(f"{name} has {len(frame)} rows; the manifest says "
                                    f"{expected}", where=str(root))
    metadata: dict[str, Any] = {}
    for doc, text in zip(docs["doc"], docs["metadata"], strict=True):
        try:
            metadata[str(doc)] = json.loads(text)
        except json.JSONDecodeError as e:
            raise InvalidValueError(f"metadata is not JSON ({e})",
                                    where=f"{root / 'docs'}, document {doc!r}") from None
    if edition is None:
        edition = classification.shipped(int(manifest["edition"]["year"]))
    return Corpus(lines, figures, views=views, metadata=metadata, unit="分", edition=edition)


def _table(root: Path, name: str, columns: list[str]) -> pd.DataFrame:
    """One stored table, in corpus order; a file that is not Parquet names itself."""
    partitioning = _schema_of_partitions() if name == "lines" else None
    try:
        table = ds.dataset(root / name, format="parquet", partitioning=partitioning
                           ).to_table(columns=columns)
    except (pa.ArrowException, FileNotFoundError) as e:
        raise InvalidValueError(f"not a readable Parquet table ({e})",
                                where=str(root / name)) from None
    return _in_order(table, root, name)


def _in_order(table: pa.Table, root: Path, name: str) -> pd.DataFrame:
    """The table as a frame in corpus order (by ``row``), which must be 0, 1, …, n−1.

    Reordered in Arrow (only when the files were not already in order) and converted with
    ``self_destruct``, so that a large table is not held twice, or three times, at once.
    """
    row = table.column("row").to_numpy()
    n = len(row)
    if not (n == 0 or (row[0] == 0 and bool(np.all(np.diff(row) == 1)))):
        order = np.argsort(row, kind="stable")
        if not np.array_equal(row[order], np.arange(n)):
            raise InvalidValueError(f"the positions (column 'row') of {name} are not 0 to "
                                    f"{n - 1} each once: a file is missing or repeated",
                                    where=str(root / name))
        table = table.take(pa.array(order))
    table = table.drop_columns(["row"])
    out: pd.DataFrame = table.to_pandas(self_destruct=True, split_blocks=True)
    return out
