"""A folder of published PDFs through the corpus tools (issue: "a folder of PDFs works with the
corpus tools"): every readable file becomes a document, a damaged one is reported, and the
vectorised reconciliation finds the slips the files really have.

The slips were checked in the files' text layer (``pdftotext -layout``), independently of
fiscalkit:

- 上海市财政局 2025, 一般公共预算基本支出表: 302 商品和服务支出 is printed 24,840,779元 but its
  items add to 24,840,778元 (and the 合计 row inherits the extra 元);
- 普陀区万里街道 2025: 21201 城乡社区管理事务 is printed 94,995,790元, its items add to
  94,995,789元;
- 普陀区财政局 2025: the text says 87.70万元 for 2080501 where the table prints 877,080.00元
  (87.708万元, cut rather than rounded), and 887.36万元 for 2080506 where the table prints
  873,617.00元.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fiscalkit.corpus import build_corpus, reconcile_corpus

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "shanghai-2025"
FINANCE = "上海市财政局25年预算.pdf"
PUTUO = "上海市普陀区财政局部门25年预算.pdf"
WANLI = "上海市普陀区万里街道办事处2025年部门预算.pdf"

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(not all((REAL / f).is_file() for f in (FINANCE, PUTUO, WANLI)),
                       reason=f"the Shanghai PDFs in {REAL} are absent"),
]


def test_a_folder_of_pdfs_builds_and_reconciles(tmp_path: Path) -> None:
    for name in (FINANCE, PUTUO, WANLI):
        shutil.copy(REAL / name, tmp_path / name)
    # a download cut short: the first 3 kB of a real file
    (tmp_path / "cut.pdf").write_bytes((REAL / FINANCE).read_bytes()[:3000])
    report = build_corpus(tmp_path, progress=False)
    assert report.failed == ("cut.pdf",)
    assert sorted(report.corpus.docs) == sorted((FINANCE, PUTUO, WANLI))
    errors = report.problems[report.problems["severity"] == "error"]
    assert errors["error"].tolist() == ["CorruptFileError"]

    findings = reconcile_corpus(report.corpus)
    bad = findings[findings["severity"] == "error"]
    named = {(r.doc, r.rule, r.figures) for r in bad.itertuples()}
    assert (FINANCE, "ledger", "table.gpb_basic.302") in named
    assert (WANLI, "ledger", "table.gpb.21201") in named
    putuo_same = {f for d, rule, f in named if d == PUTUO and rule == "same"}
    assert any("table.gpb.2080501" in f for f in putuo_same)
    assert any("table.gpb.2080506" in f for f in putuo_same)
