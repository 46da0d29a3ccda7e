"""Building a corpus from a folder: the bad files are reported by path, the rest are read.

The folder is assembled here from the bundled dataset and the text fixtures, with three
files broken on purpose (an unreadable PDF, a text in no supported encoding, a ledger with a
non-numeric amount). What the corpus must hold is known independently: each good document
as its own reader loads it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fiscalkit import datasets
from fiscalkit.corpus import PROBLEM_COLUMNS, BuildReport, Corpus, build_corpus
from fiscalkit.disclosure import parse_file

TEXTS = Path(__file__).parent / "fixtures" / "texts"
DATASET = datasets.root() / datasets.available()[0]
GOOD_TEXT = "county-education-2022-budget.txt"
GBK_TEXT = "township-2023-final-gbk.txt"


def _dataset(target: Path) -> Path:
    shutil.copytree(DATASET, target)
    return target


def _edit_csv(path: Path, column: str, row: int, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Four good documents, three bad files, and a file of no readable kind."""
    root = tmp_path / "disclosures"
    _dataset(root / "datasets" / "a")
    _dataset(root / "datasets" / "b")
    (root / "texts").mkdir(parents=True)
    shutil.copy(TEXTS / GOOD_TEXT, root / "texts" / GOOD_TEXT)
    shutil.copy(TEXTS / GBK_TEXT, root / "texts" / GBK_TEXT)
    # 1. unreadable: random bytes named .pdf
    (root / "pdf").mkdir()
    (root / "pdf" / "scan.pdf").write_bytes(np.random.default_rng(0).bytes(4096))
    # 2. wrong encoding: neither UTF-8 nor GB18030 (0x80 and 0xFF lead no character in either)
    (root / "texts" / "latin.txt").write_bytes(b"\x80\xff budget \xff\x80" * 20)
    # 3. malformed table: an amount that is not a number
    bad = _dataset(root / "datasets" / "c-bad-amount")
    _edit_csv(bad / "ledger.csv", "amount", 3, "12O.50")
    (root / "README.md").write_text("not a disclosure", encoding="utf-8")
    return root


def test_the_three_bad_files_are_reported_and_the_rest_read(folder: Path) -> None:
    report = build_corpus(folder, progress=False)
    assert report.failed == ("datasets/c-bad-amount", "pdf/scan.pdf", "texts/latin.txt")
    errors = report.problems[report.problems["severity"] == "error"]
    assert errors["path"].tolist() == list(report.failed)
    by_path = dict(zip(errors["path"], errors["message"], strict=True))
    assert "ledger.csv" in by_path["datasets/c-bad-amount"]  # the file and row are named
    assert "row 5" in by_path["datasets/c-bad-amount"]  # header is line 1; 4th line is row 5
    assert "12O.50" in by_path["datasets/c-bad-amount"]
    assert "byte 0" in by_path["texts/latin.txt"]
    assert set(errors["error"]) >= {"InvalidAmountError", "ParseError"}
    assert report.corpus.docs == ("datasets/a", "datasets/b", f"texts/{GOOD_TEXT}",
                                  f"texts/{GBK_TEXT}")
    assert report.skipped == ("README.md",)
    assert not (report.problems["severity"] == "warning").any()


def test_each_document_is_what_its_own_reader_makes_of_it(folder: Path) -> None:
    corpus = build_corpus(folder, progress=False).corpus
    want = {"datasets/a": datasets.load_folder(DATASET),
            f"texts/{GOOD_TEXT}": parse_file(folder / "texts" / GOOD_TEXT).disclosure,
            f"texts/{GBK_TEXT}": parse_file(folder / "texts" / GBK_TEXT).disclosure}
    for doc, d in want.items():
        got = corpus.disclosure(doc)
        assert list(got.views) == list(d.views)
        for name, ledger in d.views.items():
            # (an empty view's categoricals may list other categories: compare values)
            pd.testing.assert_frame_equal(got.views[name].frame.astype(object),
                                          ledger.frame.astype(object))
        assert [f.id for f in got.figures] == [f.id for f in d.figures]
        meta = corpus.metadata[doc]
        assert meta.pop("path") == doc
        assert meta == {**d.metadata, "name": d.metadata.get("name", doc)}
    assert corpus.documents.set_index("doc").loc["datasets/b", "path"] == "datasets/b"


def test_the_summary_names_every_failure(folder: Path) -> None:
    report = build_corpus(folder, progress=False)
    text = report.summary()
    assert text.startswith("Read 4 documents")
    assert "\nFailed, left out of the corpus: 3 files\n" in text
    for path in report.failed:
        assert f"\n  {path}: " in text
    assert text.endswith("\nSkipped, no reader for their kind: 1 file: README.md")
    assert str(report) == text
    assert repr(report) == "<BuildReport: 4 documents, 3 failed, 0 warnings>"


def test_what_a_reader_could_not_read_is_a_warning_of_its_document(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("一、主要职能\n负责全县教育工作。\n二、收入预算情况说明\n"
                                    "今年招收新生大约三百人，共3批。", encoding="utf-8")
    unknown = _dataset(tmp_path / "d")
    frame = pd.read_csv(unknown / "ledger.csv", dtype=str, keep_default_na=False)
    row = int(np.flatnonzero(frame["function"] != "")[0])
    _edit_csv(unknown / "ledger.csv", "function", row, "2210209")  # well formed, not shipped
    report = build_corpus(tmp_path, progress=False)
    assert report.failed == ()
    assert report.corpus.docs == ("d", "t.txt")
    problems = report.problems
    assert problems["severity"].tolist() == ["warning", "warning"]
    assert problems["path"].tolist() == ["d", "t.txt"]
    assert problems["doc"].tolist() == ["d", "t.txt"]
    assert problems["error"].tolist() == ["UnknownCodeWarning", "unparsed"]
    assert "2210209" in problems["message"].iloc[0]
    unparsed = "line 4, column 1: '今年招收新生大约三百人，共3批'"
    assert problems["message"].iloc[1].startswith(unparsed)
    assert "\nRead with warnings: 2 documents (2 warnings)\n" in report.summary()


def test_a_document_the_corpus_refuses_is_reported_and_the_others_kept(tmp_path: Path) -> None:
    _dataset(tmp_path / "good")
    odd = _dataset(tmp_path / "odd")
    figures = pd.read_csv(odd / "figures.csv", dtype=str, keep_default_na=False)
    row = int(np.flatnonzero(figures["selector"] != "")[0])
    # the dataset reader accepts a selector over an unknown dimension; the corpus does not
    _edit_csv(odd / "figures.csv", "selector", row, "sum(view=function colour=red)")
    report = build_corpus(tmp_path, progress=False)
    assert report.corpus.docs == ("good",)
    assert report.failed == ("odd",)
    assert report.problems["error"].tolist() == ["MissingColumnError"]
    assert "colour" in report.problems["message"].iloc[0]


@pytest.mark.parametrize(("broken", "error", "named"), [
    ("ledger.csv", "MissingColumnError", "amount"),
    ("metadata.json", "ParseError", "metadata.json"),
    ("figures.csv", "FileNotFoundError", "figures.csv"),
])
def test_other_malformed_dataset_folders(tmp_path: Path, broken: str, error: str,
                                         named: str) -> None:
    bad = _dataset(tmp_path / "bad")
    if broken == "ledger.csv":
        frame = pd.read_csv(bad / broken, dtype=str, keep_default_na=False)
        frame.drop(columns="amount").to_csv(bad / broken, index=False)
    elif broken == "metadata.json":
        (bad / broken).write_text("{not json", encoding="utf-8")
    else:
        (bad / broken).unlink()
    report = build_corpus(tmp_path, progress=False)
    assert report.failed == ("bad",)
    assert report.problems["error"].tolist() == [error]
    assert named in report.problems["message"].iloc[0]
    assert len(report.corpus) == 0


def test_a_dataset_folder_itself_is_one_document(tmp_path: Path) -> None:
    report = build_corpus(_dataset(tmp_path / "only"), progress=False)
    assert report.corpus.docs == ("only",)


def test_the_report_is_immutable_and_hands_out_copies(folder: Path) -> None:
    report = build_corpus(folder, progress=False)
    assert isinstance(report, BuildReport)
    assert list(report.problems.columns) == list(PROBLEM_COLUMNS)
    problems = report.problems
    problems.loc[0, "path"] = "changed"
    assert report.problems.loc[0, "path"] == "datasets/c-bad-amount"
    with pytest.raises(AttributeError):
        report.corpus = Corpus.from_disclosures({})  # type: ignore[misc]


def test_progress_bar_and_its_missing_dependency(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _dataset(tmp_path / "a")
    assert build_corpus(tmp_path, progress=True).corpus.docs == ("a",)  # no tty: no bar
    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(ImportError, match=r"fiscalkit\[corpus\]"):
        build_corpus(tmp_path, progress=True)
    assert build_corpus(tmp_path, progress=False).corpus.docs == ("a",)  # tqdm not needed


def test_a_built_corpus_round_trips_through_parquet(folder: Path, tmp_path: Path) -> None:
    corpus = Corpus.from_folder(folder, progress=False).corpus
    back = Corpus.from_parquet(corpus.to_parquet(tmp_path / "stored"))
    pd.testing.assert_frame_equal(back.lines, corpus.lines)
    pd.testing.assert_frame_equal(back.figures, corpus.figures)
    assert back.metadata == corpus.metadata
