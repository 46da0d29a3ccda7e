"""The command line reads datasets, texts and published PDFs alike."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from fiscalkit.cli import main

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
FIXTURE_PDF = Path(__file__).parent / "fixtures" / "pdf" / "budget.pdf"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_parse_pdf_json_lists_tables_and_figures() -> None:
    code, out = run("parse", str(FIXTURE_PDF))
    assert code == 0
    data = json.loads(out)
    assert data["tables"], "the fixture's standard tables are found"
    assert data["figures"]
    assert {"metadata", "ledger", "problems", "unparsed"} <= set(data)


def test_reconcile_pdf_json_has_the_documented_shape() -> None:
    code, out = run("reconcile", str(FIXTURE_PDF), "--format", "json")
    assert code in (0, 1)
    data = json.loads(out)
    assert set(data) >= {"findings", "summary"}
    assert data["summary"]["checks"] > 0


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"\x00\x01")
    code, _ = run("reconcile", str(bad), "--tables", str(FIXTURE_PDF))
    assert code == 2


@pytest.mark.real
@pytest.mark.skipif(not REAL.is_dir(), reason="shared/real PDFs not present")
def test_reconcile_a_real_department_budget() -> None:
    pdf = REAL / "shanghai-2025" / "上海市普陀区财政局部门25年预算.pdf"
    code, out = run("reconcile", str(pdf), "--format", "json")
    data = json.loads(out)
    # the text states 行政单位离退休 as 87.70万元 where the table has 877,080.00元 (87.708万元):
    # a truncation, not a rounding, so reconcile calls it an error and exits 1
    assert code == 1
    assert any("2080501" in " ".join(f["id"] for f in e["figures"])
               for e in data["findings"] if e["severity"] == "error")


def test_audit_targets_finds_the_reverse_indicator() -> None:
    code, out = run("audit-targets", "yindu-zhengwu-2021", "--format", "json")
    assert code == 1  # "服务器等设备的维修死亡率100%" is a failure rate targeted at 100%
    data = json.loads(out)
    assert any(f["rule"] == "target.direction" and f["severity"] == "error"
               for f in data["findings"])


def test_score_from_illustrative_outturns() -> None:
    # Hand computation (national-2020: 预算执行率 10, 产出 50, 效益 30, 满意度 10):
    # execution 3.8/4 = 95% → 9.5; 产出 8 indicators × 6.25: 98/100 → 6.125, 95/100 → 5.9375,
    # the other six met → 37.5, so 49.5625; 效益 one qualitative 达成年度指标 at the band top → 30;
    # 满意度 2 × 5: 96% → 4.8, 92% → 4.6 = 9.4. Total 98.4625 → 优 (≥ 90).
    outturns = Path(__file__).parent / "fixtures" / "outturns" / "illustrative-2021.csv"
    code, out = run("score", "yindu-zhengwu-2021", "--outturns", str(outturns), "--format",
                    "json")
    assert code == 0
    (result,) = json.loads(out)
    assert result["total"] == pytest.approx(98.4625, abs=1e-9)
    assert result["grade"] == "优"
    assert result["by_level1"] == {"预算执行率": 9.5, "产出": 49.5625, "效益": 30.0, "满意度": 9.4}


FIXTURE_XLS = Path(__file__).parent / "fixtures" / "excel" / "budget.xls"


def test_a_workbook_goes_to_the_table_reader_not_the_text_parser() -> None:
    # budget.xls (written by tests/fixtures/excel/make_xls.py) holds 一般公共预算支出表 with
    # 201 = 5,000,123.45元 (basic 3,000,000.00 + project 2,000,123.45) and the basic table.
    code, out = run("parse", str(FIXTURE_XLS), "--format", "csv")
    assert code == 0
    rows = {line.split(",")[0]: line.split(",")[4] for line in out.splitlines()[1:]}
    assert rows["table.gpb.201"] == "5000123.45"
    assert rows["table.gpb.201.basic"] == "3000000.00"
    assert rows["table.gpb.201.project"] == "2000123.45"
    code, out = run("reconcile", str(FIXTURE_XLS))
    assert code == 0
    assert "0 errors" in out


def test_a_workbook_is_audited_as_tables_without_a_narrative() -> None:
    code, out = run("audit", str(FIXTURE_XLS))
    assert code == 0  # warnings only: no error
    assert "missing section: 部门职责" in out  # no narrative in a workbook
    assert "missing standard table: 一般公共预算支出表" not in out  # but its tables are found
    assert "missing standard table: 收支总表" in out


def test_corpus_jobs_build_store_reconcile_and_query(tmp_path: Path) -> None:
    import shutil

    from fiscalkit import datasets
    from fiscalkit.corpus import synthetic_corpus

    # build: one good dataset folder and one broken file -> exit 1, the good one stored
    src = tmp_path / "in"
    shutil.copytree(datasets.root() / datasets.available()[0], src / "good")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    problems = tmp_path / "problems.csv"
    code, out = run("corpus", "build", str(src), str(tmp_path / "store"), "--no-progress",
                    "--problems", str(problems))
    assert code == 1
    assert "broken.pdf" in out
    rows = problems.read_text(encoding="utf-8").splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["broken.pdf"]
    code, out = run("corpus", "query", str(tmp_path / "store"),
                    "SELECT DISTINCT doc FROM lines ORDER BY doc")
    assert (code, out.split()) == (0, ["doc", "good"])

    # reconcile: the ledger errors are exactly the planted figures (generator's own list)
    planted = synthetic_corpus(30, lines_per_doc=20, seed=3, error_rate=0.05)
    store = planted.corpus.to_parquet(tmp_path / "synthetic")
    code, out = run("corpus", "reconcile", str(store), "--format", "csv")
    assert code == (1 if len(planted.planted) else 0)
    rows = [line.split(",") for line in out.splitlines()]
    head = rows[0]
    ledger_errors = {(r[head.index("doc")], r[head.index("figures")]) for r in rows[1:]
                     if r[head.index("rule")] == "ledger" and r[head.index("severity")] == "error"}
    assert ledger_errors == set(zip(planted.planted["doc"], planted.planted["id"], strict=True))

    # spending by 类 and province: totals equal the lines' total of each document's one view
    code, out = run("corpus", "spending", str(store), "--by", "province")
    assert code == 0
    total = sum(int(line.rsplit(",", 1)[1]) for line in out.splitlines()[1:])
    assert total == int(planted.corpus.lines["amount"].sum())
