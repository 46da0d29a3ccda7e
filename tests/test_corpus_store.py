"""A corpus stored as Parquet: exact round trips, the layout, DuckDB and Dask over the files.

Expected values are computed apart from the code under test: the stored lines are compared
with the corpus's own frames, the partitions with a plain filter of those frames, and every
DuckDB answer with a pandas (or plain Python) computation on the in-memory corpus.
"""

from __future__ import annotations

import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscalkit import datasets
from fiscalkit.corpus import (
    FORMAT_VERSION,
    Corpus,
    connect,
    query,
    reconcile_corpus,
    spending_by,
    synthetic_corpus,
)
from fiscalkit.disclosure import parse_file
from fiscalkit.errors import InvalidValueError, MissingColumnError

TEXTS = Path(__file__).parent / "fixtures" / "texts"


def assert_same(a: Corpus, b: Corpus) -> None:
    pd.testing.assert_frame_equal(a.lines, b.lines)
    pd.testing.assert_frame_equal(a.figures, b.figures)
    pd.testing.assert_frame_equal(a.views, b.views)
    assert a.metadata == b.metadata
    assert a.docs == b.docs
    assert a.lines["amount"].dtype == np.int64


@pytest.fixture(scope="module")
def synthetic() -> Corpus:
    return synthetic_corpus(12, lines_per_doc=40, seed=3, error_rate=0.05).corpus


@pytest.fixture(scope="module")
def mixed() -> Corpus:
    """Synthetic documents, the bundled dataset (three views) and a parsed text (four)."""
    sc = synthetic_corpus(5, lines_per_doc=30, seed=11)
    disclosures = {d: sc.corpus.disclosure(d) for d in sc.corpus.docs}
    disclosures["dataset"] = datasets.load(datasets.available()[0])
    disclosures["text"] = parse_file(TEXTS / "county-education-2022-budget.txt").disclosure
    return Corpus.from_disclosures(disclosures)


# ---------------------------------------------------------------------- round trips
def test_synthetic_corpus_round_trips_exactly(synthetic: Corpus, tmp_path: Path) -> None:
    back = Corpus.from_parquet(synthetic.to_parquet(tmp_path / "c"))
    assert_same(synthetic, back)
    pd.testing.assert_frame_equal(reconcile_corpus(back), reconcile_corpus(synthetic))


def test_mixed_corpus_round_trips_exactly(mixed: Corpus, tmp_path: Path) -> None:
    back = Corpus.from_parquet(mixed.to_parquet(tmp_path / "c"))
    assert_same(mixed, back)
    # a document read back is the disclosure it was, view by view
    for doc in ("dataset", "text"):
        for name, ledger in mixed.disclosure(doc).views.items():
            pd.testing.assert_frame_equal(back.disclosure(doc).views[name].frame, ledger.frame)


_DIMS = {"fund": ["general", "special", None], "kind": ["basic", "project", None],
         "function": ["201", "2010350", "2080505", None], "economic": ["30101", "302", None],
         "entity": ["甲单位", "乙 单位", None], "project": ["p'1", "项目\"2", None]}


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    """Documents over several years (so several partitions, read back in another order),
    missing dimensions, quotes in names, amounts up to the int64 limits."""
    n_docs = draw(st.integers(1, 4))
    rows, views, figures, metadata = [], [], [], {}
    for i in range(n_docs):
        doc = f"doc {i}'"
        names = draw(st.lists(st.sampled_from(["main", "economic", "function", "空"]),
                              min_size=1, max_size=3, unique=True))
        views += [{"doc": doc, "view": v} for v in names]
        for j in range(draw(st.integers(0, 6))):
            row = {"doc": doc, "view": draw(st.sampled_from(names)),
                   "year": draw(st.sampled_from([2019, 2020, 2021])),
                   "phase": draw(st.sampled_from(["budget", "final", None])),
                   **{k: draw(st.sampled_from(v)) for k, v in _DIMS.items()},
                   "amount": draw(st.integers(-(2**62), 2**62))}
            row["project"] = f"{row['project']}{j}"  # keys stay unique
            rows.append(row)
        figures.append({"doc": doc, "id": "t", "year": "2021", "label_zh": "合计",
                        "label_en": "", "value": draw(st.sampled_from(["1.5", "0", "-7"])),
                        "unit": "万元", "precision": "0.1", "kind": "amount",
                        "selector": f"sum(view={names[0]})", "relation": "", "status": "stated",
                        "sentence": "合计1.5万元", "note": ""})
        metadata[doc] = {"year": 2021, "entity": {"name_zh": "甲", "region_zh": "浙江省杭州市"},
                         "list": [1, "二", None], "nested": {"a": {"b": 2.5}}}
    lines = pd.DataFrame(rows, columns=["doc", "view", "year", "phase", *_DIMS, "amount"])
    lines["amount"] = lines["amount"].astype("int64")
    lines["year"] = lines["year"].astype("int64")
    return Corpus(lines, pd.DataFrame(figures), views=pd.DataFrame(views), metadata=metadata)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus=corpora())
def test_generated_corpora_round_trip_exactly(corpus: Corpus, tmp_path: Path) -> None:
    folder = corpus.to_parquet(tmp_path / "c", overwrite=True)
    assert_same(corpus, Corpus.from_parquet(folder))


def test_an_empty_corpus_round_trips(tmp_path: Path) -> None:
    empty = Corpus.from_disclosures({})
    folder = empty.to_parquet(tmp_path / "c")
    assert_same(empty, Corpus.from_parquet(folder))
    assert query(folder, "SELECT count(*) AS n FROM lines")["n"].tolist() == [0]


# ---------------------------------------------------------------------- the layout
def test_lines_are_partitioned_by_year_and_carry_the_province(tmp_path: Path) -> None:
    sc = synthetic_corpus(3, lines_per_doc=10, seed=5)
    lines = sc.corpus.lines
    lines["year"] = np.where(lines["doc"] == "D00001", 2020, 2021)
    corpus = Corpus(lines, sc.corpus.figures, views=sc.corpus.views,
                    metadata=sc.corpus.metadata)
    folder = corpus.to_parquet(tmp_path / "c")
    assert sorted(p.name for p in (folder / "lines").iterdir()) == ["year=2020", "year=2021"]
    part = pq.read_table(folder / "lines" / "year=2020").to_pandas()
    assert set(part["doc"].astype(str)) == {"D00001"}
    assert len(part) == int((lines["doc"] == "D00001").sum())
    assert set(part["province"].astype(str)) == {sc.corpus.metadata["D00001"]["province"]}
    assert sorted(p.name for p in folder.iterdir()) == ["docs", "figures", "lines",
                                                        "manifest.json", "views"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == FORMAT_VERSION
    assert manifest["tables"]["lines"]["rows"] == len(lines)
    assert manifest["tables"]["lines"]["partitioning"] == ["year"]


def test_docs_table_flattens_the_metadata(mixed: Corpus, tmp_path: Path) -> None:
    docs = pq.read_table(mixed.to_parquet(tmp_path / "c") / "docs").to_pandas()
    row = docs.set_index("doc").loc["dataset"]
    meta = json.loads((datasets.root() / datasets.available()[0] / "metadata.json").read_text(
        encoding="utf-8"))
    assert row["entity"] == meta["entity"]["name_zh"]
    assert row["region"] == meta["entity"]["region_zh"]
    assert row["province"] == "河南省"  # the region starts 河南省…
    assert row["year"] == meta["year"]
    assert json.loads(row["metadata"]) == meta
    text = docs.set_index("doc").loc["text"]
    assert text["entity"] == "青溪县教育局"
    assert text["year"] == 2022
    assert text["province"] is None or pd.isna(text["province"])  # never guessed


# ---------------------------------------------------------------------- refusals
def test_a_damaged_store_is_refused(synthetic: Corpus, tmp_path: Path) -> None:
    folder = synthetic.to_parquet(tmp_path / "c")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = FORMAT_VERSION + 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InvalidValueError, match="version"):
        Corpus.from_parquet(folder)
    folder = synthetic.to_parquet(tmp_path / "d")
    shutil.copy(folder / "figures" / "part-0.parquet", folder / "figures" / "part-1.parquet")
    with pytest.raises(InvalidValueError, match="figures are not 0 to 1479 each once"):
        Corpus.from_parquet(folder)
    (folder / "figures" / "part-1.parquet").unlink()
    Corpus.from_parquet(folder)  # whole again
    (folder / "docs" / "part-0.parquet").unlink()
    (folder / "docs" / "part-0.parquet").write_bytes(b"")  # truncated to nothing
    with pytest.raises(InvalidValueError, match=r"/docs: not a readable Parquet table"):
        Corpus.from_parquet(folder)
    with pytest.raises(InvalidValueError, match=r"no manifest\.json"):
        Corpus.from_parquet(tmp_path)


def test_writing_never_deletes_what_is_not_a_stored_corpus(synthetic: Corpus,
                                                           tmp_path: Path) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    for overwrite in (False, True):
        with pytest.raises(FileExistsError):
            synthetic.to_parquet(other, overwrite=overwrite)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    folder = synthetic.to_parquet(tmp_path / "c")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        synthetic.to_parquet(folder)
    small = synthetic_corpus(1, lines_per_doc=5).corpus
    assert len(Corpus.from_parquet(small.to_parquet(folder, overwrite=True))) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "mine"]  # no temporary left


def test_metadata_that_is_not_json_is_refused_by_document(tmp_path: Path) -> None:
    sc = synthetic_corpus(2, lines_per_doc=5)
    meta = sc.corpus.metadata
    meta["D00001"]["budget"] = Decimal("1.5")
    corpus = Corpus(sc.corpus.lines, sc.corpus.figures, metadata=meta)
    with pytest.raises(InvalidValueError, match="D00001"):
        corpus.to_parquet(tmp_path / "c")
    assert list(tmp_path.iterdir()) == []  # nothing half-written


# ---------------------------------------------------------------------- DuckDB
def _expected_spending(corpus: Corpus, dim: str, width: int, by: str) -> dict[tuple, int]:
    """Plain Python over each document's disclosure: pick the view that classifies the
    most money by ``dim`` (first on ties), then add its lines by (by, code[:width])."""
    out: dict[tuple, int] = {}
    docs = corpus.documents.set_index("doc")
    for doc in corpus.docs:
        best, best_money = None, -1
        for ledger in corpus.disclosure(doc).views.values():
            frame = ledger.frame
            money = int(frame.loc[frame[dim].notna(), "amount"].abs().sum())
            if money > best_money:
                best, best_money = frame, money
        assert best is not None
        key = docs.loc[doc, by]
        key = None if pd.isna(key) else str(key)
        for code, amount in zip(best[dim], best["amount"], strict=True):
            k = (key, None if pd.isna(code) else str(code)[:width])
            out[k] = out.get(k, 0) + int(amount)
    return out


def _got(table: pd.DataFrame, by: str, dim: str) -> dict[tuple, int]:
    return {(None if pd.isna(b) else str(b), None if pd.isna(c) else str(c)): int(a)
            for b, c, a in zip(table[by], table[dim], table["amount"], strict=True)}


@pytest.mark.parametrize(("dim", "level", "width"),
                         [("function", 1, 3), ("function", 2, 5), ("economic", 1, 3)])
def test_spending_by_agrees_with_an_independent_computation(
        mixed: Corpus, tmp_path: Path, dim: str, level: int, width: int) -> None:
    folder = mixed.to_parquet(tmp_path / "c")
    for by in ("province", "region"):
        table = spending_by(folder, dim, level=level, by=by)
        assert table["amount"].dtype == np.int64
        assert _got(table, by, dim) == _expected_spending(mixed, dim, width, by)
    # the dataset's function view is chosen: its total is the published total, once
    table = spending_by(folder, dim, level=level, by="doc")
    got = int(table.loc[table["doc"] == "dataset", "amount"].sum())
    views = mixed.disclosure("dataset").views
    assert got == int(views[dim].frame["amount"].sum())


def test_spending_by_on_one_view_documents_is_a_plain_group_by(synthetic: Corpus,
                                                               tmp_path: Path) -> None:
    folder = synthetic.to_parquet(tmp_path / "c")
    table = spending_by(folder, "economic", level=2, by=["province", "kind"])
    lines = synthetic.lines
    province = lines["doc"].astype(str).map(
        {d: m["province"] for d, m in synthetic.metadata.items()})
    want = lines.groupby([province, lines["kind"].astype(str),
                          lines["economic"].astype(str).str[:5]])["amount"].sum()
    got = table.set_index(["province", "kind", "economic"])["amount"]
    assert got.to_dict() == want.to_dict()


def test_spending_by_names_the_codes_and_a_fixed_view(mixed: Corpus, tmp_path: Path) -> None:
    folder = mixed.to_parquet(tmp_path / "c")
    table = spending_by(folder, "function", level=1, by=[], view="function")
    names = dict(zip(table["function"], table["name_zh"], strict=True))
    assert names["201"] == "一般公共服务支出"  # the 2021 edition's name of 类 201
    lines = mixed.lines
    want = lines[lines["view"] == "function"].groupby(
        lines["function"].astype(str).str[:3])["amount"].sum()
    assert dict(zip(table["function"], table["amount"], strict=True)) == want.to_dict()


def test_spending_by_refuses_unknown_columns(mixed: Corpus, tmp_path: Path) -> None:
    folder = mixed.to_parquet(tmp_path / "c")
    with pytest.raises(MissingColumnError, match="cannot group by 'colour'"):
        spending_by(folder, by="colour")
    with pytest.raises(InvalidValueError, match="level"):
        spending_by(folder, level=4)
    with pytest.raises(InvalidValueError, match="dim"):
        spending_by(folder, "fund")


def test_sql_over_the_files_sees_every_table(mixed: Corpus, tmp_path: Path) -> None:
    folder = mixed.to_parquet(tmp_path / "c")
    con = connect(folder)
    try:
        per_doc = con.sql("SELECT doc, count(*) AS n FROM lines GROUP BY doc").df()
        figures = con.sql("SELECT count(*) FROM figures").fetchall()[0][0]
        views = con.sql("SELECT doc, view FROM views ORDER BY row").df()
        docs = con.sql("SELECT doc, province FROM docs ORDER BY row").df()
    finally:
        con.close()
    want = mixed.lines["doc"].astype(str).value_counts().to_dict()
    assert dict(zip(per_doc["doc"], per_doc["n"], strict=True)) == want
    assert figures == len(mixed.figures)
    assert list(zip(views["doc"], views["view"], strict=True)) == list(
        zip(mixed.views["doc"].astype(str), mixed.views["view"], strict=True))
    assert docs["doc"].tolist() == list(mixed.docs)
    fen = query(folder, "SELECT CAST(sum(amount) AS BIGINT) AS fen FROM lines WHERE year = ?",
                [2021])
    assert int(fen["fen"].iloc[0]) == int(mixed.lines.query("year == 2021")["amount"].sum())


def test_without_duckdb_the_error_names_the_extra(synthetic: Corpus, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = synthetic.to_parquet(tmp_path / "c")
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    with pytest.raises(ImportError, match=r"fiscalkit\[corpus\]"):
        query(folder, "SELECT 1")


# ---------------------------------------------------------------------- Dask
# (dask itself calls reset_index(inplace=True), which pandas 3.1 deprecates)
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_dask_reads_the_stored_lines_unchanged(tmp_path: Path) -> None:
    dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed")
    sc = synthetic_corpus(6, lines_per_doc=30, seed=9)
    lines = sc.corpus.lines
    lines["year"] = np.where(lines["doc"].isin(["D00002", "D00004"]), 2020, 2021)
    corpus = Corpus(lines, sc.corpus.figures, views=sc.corpus.views,
                    metadata=sc.corpus.metadata)
    folder = corpus.to_parquet(tmp_path / "c")
    frame = dd.read_parquet(folder / "lines")
    assert {*corpus.lines.columns, "province", "row"} == set(frame.columns)
    got = frame.compute().sort_values("row").reset_index(drop=True)
    assert got["amount"].dtype == np.int64
    assert got["amount"].tolist() == lines["amount"].tolist()
    assert got["year"].astype(int).tolist() == lines["year"].tolist()
    assert got["function"].astype(str).tolist() == lines["function"].astype(str).tolist()
    sums = frame.groupby(["year", "function"], observed=True)["amount"].sum().compute()
    want = lines.groupby(["year", lines["function"].astype(str)])["amount"].sum()
    assert {(int(y), str(f)): int(a) for (y, f), a in sums.items()} == {
        (int(y), f): int(a) for (y, f), a in want.items()}
