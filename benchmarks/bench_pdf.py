"""Benchmark: read a 30-page disclosure PDF with :func:`fiscalkit.disclosure.read_pdf`.

Run on demand (pytest does not collect this file)::

    .venv/bin/python benchmarks/bench_pdf.py [--pages 30] [--repeat 3] [--all-real]

1. Writes a realistic 30-page disclosure into a temporary folder with the drawing helpers of
   ``tests/fixtures/pdf/make_fixtures.py`` (matplotlib, Noto CJK): a cover, narrative pages
   whose sentences state the tables' figures in 万元, then the standard tables spread over
   pages — 收支总表, 支出总表 (header repeated on each page), 一般公共预算支出表 (header on
   its first page only, codes in 类/款/项 cells), 一般公共预算基本支出表 (万元) and “三公” —
   with running headers and page numbers. The amounts are drawn once from a seeded generator
   and add up exactly (分).
2. Times, best of ``--repeat`` runs of each, interleaved so both see the same load:
   - **ours**: ``read_pdf(path)``: narrative, furniture, tables, views, figures, links;
   - **baseline**: pdfplumber alone over the same pages: ``page.extract_text()`` and
     ``page.extract_tables()`` on every page, no interpretation at all.
   It prints both, the ratio ours / baseline and the time per page. The target is under 5 s.
3. Checks what was read: the five tables, the totals and every leaf row of
   一般公共预算支出表, and that the reconciliation finds no error (the document is
   consistent by construction). It exits 1 if a check fails or the target is missed.
4. Times ``read_pdf`` and the baseline once on the real PDFs of ``/work/shared/real``
   (``$FISCALKIT_REAL``): the one with the most pages and the largest file, or all of them
   with ``--all-real``. These are for the record; the target applies to the generated file.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "fixtures" / "pdf"))

import make_fixtures as mf  # type: ignore[import-not-found]  # noqa: E402

from fiscalkit import classification  # noqa: E402
from fiscalkit.disclosure import read_pdf  # noqa: E402
from fiscalkit.reconcile import reconcile  # noqa: E402

REAL = Path(os.environ.get("FISCALKIT_REAL", "/work/shared/real"))
TARGET_S = 5.0
CN_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
              "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三",
              "二十四", "二十五")
ROWS_PER_PAGE = 18
ENTITY = "测试局"
HEADER = f"{ENTITY}2025年部门预算"


# ---------------------------------------------------------------------- the numbers
def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}" if fen else ""


def _wan(fen: int) -> str:
    return f"{Decimal(fen) / 1_000_000:.2f}"  # 1万元 = 1,000,000分, rounded half-even


class Budget:
    """Function 项 codes with basic/project amounts, economic 款 codes with personnel/public
    amounts, in 分, and their 款/类 subtotals."""

    def __init__(self, seed: int = 2025) -> None:
        rng = np.random.default_rng(seed)
        frame = classification.shipped().frame
        items = frame[(frame["scheme"] == "function") & (frame["level"] == "3")]
        chosen = items.groupby(items["code"].str[:3]).head(4).head(60)
        self.names = dict(zip(frame["code"], frame["name_zh"], strict=True))
        self.leaves: dict[str, tuple[int, int]] = {}
        for code in chosen["code"]:
            basic = int(rng.integers(0, 2)) * int(rng.integers(10_000_00, 5_000_000_00))
            project = int(rng.integers(1_000_00, 3_000_000_00)) * int(rng.integers(0, 2) or
                                                                        not basic)
            self.leaves[str(code)] = (basic, project)
        econ = frame[(frame["scheme"] == "economic_department") & (frame["level"] == "2")
                     & frame["code"].str[:3].isin(["301", "302", "303"])].head(36)
        self.economic: dict[str, int] = {}
        basic_total = sum(b for b, _ in self.leaves.values())
        weights = rng.random(len(econ))
        shares = np.floor(weights / weights.sum() * basic_total).astype(np.int64)
        shares[0] += basic_total - int(shares.sum())  # the 分 left over by the floor
        for code, fen in zip(econ["code"], shares, strict=True):
            self.economic[str(code)] = int(fen)

    def function_rows(self) -> list[tuple[str, str, str, str, int, int]]:
        """(类, 款, 项, name, basic, project) for every 类, 款 and 项, in code order."""
        rows: dict[str, list[int]] = {}
        for code, (basic, project) in self.leaves.items():
            for prefix in (code[:3], code[:5], code):
                acc = rows.setdefault(prefix, [0, 0])
                acc[0] += basic
                acc[1] += project
        return [(c[:3], c[3:5], c[5:7], self.names[c], b, p)
                for c, (b, p) in sorted(rows.items())]

    def economic_rows(self) -> list[tuple[str, str, int]]:
        rows: dict[str, int] = {}
        for code, fen in self.economic.items():
            for prefix in (code[:3], code):
                rows[prefix] = rows.get(prefix, 0) + fen
        return [(c, self.names[c], fen) for c, fen in sorted(rows.items())]

    def totals(self) -> tuple[int, int]:
        return (sum(b for b, _ in self.leaves.values()), sum(p for _, p in self.leaves.values()))


# ---------------------------------------------------------------------- the document
LINES_PER_PAGE = 22
SECTIONS = (
    ("三、“三公”经费预算情况说明", False),
    ("2025年“三公”经费预算37.91万元，其中：因公出国（境）费0.00万元，公务接待费1.35万元，"
     "公务用车购置及运行费36.56万元。主要用于公务用车的日常运行维护和必要的公务接待。", True),
    ("四、机关运行经费预算", False),
    ("2025年机关运行经费预算464.64万元，主要用于办公费、印刷费、邮电费、差旅费、会议费、"
     "培训费、物业管理费等日常公用经费支出，以及车辆运行维护费用。", True),
    ("五、政府采购预算情况", False),
    ("2025年政府采购预算按照集中采购目录和采购限额标准编制，主要用于办公设备、信息化设备"
     "及软件服务的采购，严格执行政府采购有关规定，提高财政资金使用效益。", True),
    ("六、预算绩效情况", False),
    ("全面实施预算绩效管理，所有项目均编制了绩效目标，做到绩效目标与预算同步编制、同步审核、"
     "同步批复，并在执行中开展绩效运行监控，年度终了开展绩效自评。", True),
    ("七、名词解释", False),
)
GLOSSARY = (
    "财政拨款收入：指本级财政当年拨付的资金。",
    "事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
    "其他收入：指除上述“财政拨款收入”“事业收入”“经营收入”等以外的收入。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
    "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务"
    "的各项资金，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费等。",
)


def _narrative(budget: Budget, lines: int) -> list[tuple[str, bool]]:
    """The narrative laid out as printed lines, about ``lines`` of them."""
    basic, project = budget.totals()
    paras: list[tuple[str, bool]] = [
        ("一、收支预算总体情况", False),
        (f"2025年，{ENTITY}收入预算{_wan(basic + project)}万元，其中：财政拨款收入"
         f"{_wan(basic + project)}万元。支出预算{_wan(basic + project)}万元，其中：基本支出"
         f"{_wan(basic)}万元，项目支出{_wan(project)}万元。", True),
        ("二、财政拨款支出主要内容", False)]
    rows = budget.function_rows()
    for k, (lei, kuan, _, name, b, p) in enumerate(r for r in rows if r[2]):
        path = (f"“{budget.names[lei]}（类）{budget.names[lei + kuan]}（款）{name}（项）”")
        use = "机关的人员经费和公用经费等基本支出" if b else "专项业务工作等项目支出"
        paras.append((f"{k + 1}．{path}科目{_wan(b + p)}万元，主要用于{use}，保障机关正常运转"
                      "和各项业务工作顺利开展，推进预算管理一体化建设，提升财政管理水平，为全区"
                      "经济社会发展提供坚实的财力保障和服务。", True))
    paras += SECTIONS
    k = 0
    while len(mf.lay_out(paras)) < lines:
        paras.append((f"{k + 1}．{GLOSSARY[k % len(GLOSSARY)]}", True))
        k += 1
    laid: list[tuple[str, bool]] = mf.lay_out(paras)
    return laid


def _table(pages: mf.Pages, first_page: int, title: str, unit: str, header: list[mf.Cell],
           n_header: int, rows: Sequence[list[mf.Cell]], xs: Sequence[float],
           repeat_header: bool) -> int:
    """Draw a table over as many pages as it needs; return the next page number."""
    number = first_page
    chunks = [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
    for k, chunk in enumerate(chunks):
        fig = pages.new(number)
        with_header = k == 0 or repeat_header
        y = (pages.table_title(fig, 1 - 70 * mf.PT, title if k == 0 else f"{title}（续）", unit)
             if with_header else 1 - 60 * mf.PT)
        start = n_header if with_header else 0
        cells = list(header) if with_header else []
        for i, row in enumerate(chunk):
            cells += [(start + i, c, rs, cs, text, align) for (_, c, rs, cs, text, align) in row]
        pages.grid(fig, xs, y, cells, start + len(chunk), 22 * mf.PT)
        pages.save(fig)
        number += 1
    return number


def _coded_rows(rows: Sequence[tuple[str, str, str, str, int, int]], total: tuple[int, int]
                ) -> list[list[mf.Cell]]:
    out = []
    for lei, kuan, xiang, name, b, p in rows:
        out.append(mf.gpb_cells([(lei, kuan, xiang, name, _yuan(b + p), _yuan(b), _yuan(p))],
                                0))
    out.append(mf.total_cells(("合计", _yuan(sum(total)), _yuan(total[0]), _yuan(total[1])),
                              0, 4))
    return out


def write_document(out: Path, budget: Budget, n_pages: int) -> int:
    """Write the disclosure; return its number of pages."""
    basic, project = budget.totals()
    with mf.Pages(out, header=HEADER) as pages:
        fig = pages.new(None, header=False)  # the cover
        pages.text(fig, 0.5, 0.6, f"{ENTITY}2025年部门预算", ha="center", size=28)
        pages.save(fig)
        function_rows = budget.function_rows()
        per = -(-(len(function_rows) + 1) // ROWS_PER_PAGE)
        table_pages = 1 + 2 * per + -(-(len(budget.economic_rows()) + 1) // ROWS_PER_PAGE) + 1
        narrative_pages = max(1, n_pages - 1 - table_pages)
        laid = _narrative(budget, narrative_pages * LINES_PER_PAGE - 2)
        per_page = -(-len(laid) // narrative_pages)
        number = 1
        for k in range(narrative_pages):
            fig = pages.new(number)
            pages.narrative(fig, laid[k * per_page:(k + 1) * per_page], 1 - 70 * mf.PT)
            pages.save(fig)
            number += 1
        # 收支总表, one page
        fig = pages.new(number)
        y = pages.table_title(fig, 1 - 70 * mf.PT, "2025年部门收支总表", "元")
        xs = [mf.LEFT + d * mf.PTX for d in (0, 200, 330, 560)] + [mf.RIGHT]
        cells: list[mf.Cell] = [(0, 0, 1, 2, "收入", "center"), (0, 2, 1, 2, "支出", "center"),
                                (1, 0, 1, 1, "项目", "center"), (1, 1, 1, 1, "预算数", "center"),
                                (1, 2, 1, 1, "项目", "center"), (1, 3, 1, 1, "预算数", "center")]
        classes = [r for r in function_rows if not r[1]]
        income = [("一、一般公共预算拨款收入", basic + project)]
        for i in range(max(len(classes), 1)):
            r = 2 + i
            if i < len(income):
                cells += [(r, 0, 1, 1, income[i][0], "left"),
                          (r, 1, 1, 1, _yuan(income[i][1]), "right")]
            if i < len(classes):
                _, _, _, name, b, p = classes[i]
                cells += [(r, 2, 1, 1, f"{CN_NUMBERS[i]}、{name}", "left"),
                          (r, 3, 1, 1, _yuan(b + p), "right")]
        r = 2 + len(classes)
        cells += [(r, 0, 1, 1, "收入总计", "left"), (r, 1, 1, 1, _yuan(basic + project), "right"),
                  (r, 2, 1, 1, "支出总计", "left"), (r, 3, 1, 1, _yuan(basic + project), "right")]
        pages.grid(fig, xs, y, cells, r + 1, 20 * mf.PT)
        pages.save(fig)
        number += 1
        header = mf.gpb_header()
        spending = [(c[0], c[1], c[2], c[3], "本年支出" if c[4] == "一般公共预算支出" else c[4],
                     c[5]) for c in header]
        rows = _coded_rows(function_rows, (basic, project))
        number = _table(pages, number, "2025年部门支出预算总表", "元", spending, 2, rows,
                        mf.GPB_XS, repeat_header=True)
        number = _table(pages, number, "2025年部门一般公共预算支出功能分类预算表", "元", header,
                        2, rows, mf.GPB_XS, repeat_header=False)
        basic_header: list[mf.Cell] = [
            (0, 0, 1, 1, "科目编码", "center"), (0, 1, 1, 1, "科目名称", "center"),
            (0, 2, 1, 1, "合计", "center"), (0, 3, 1, 1, "人员经费", "center"),
            (0, 4, 1, 1, "公用经费", "center")]
        econ_rows = []
        for code, name, fen in budget.economic_rows():
            wan = _yuan(fen)
            personnel = code.startswith(("301", "303"))
            econ_rows.append([(0, 0, 1, 1, code, "left"), (0, 1, 1, 1, name, "left"),
                              (0, 2, 1, 1, wan, "right"),
                              (0, 3 if personnel else 4, 1, 1, wan, "right")])
        per_kind = [sum(f for c, f in budget.economic.items() if c.startswith(("301", "303"))),
                    sum(f for c, f in budget.economic.items() if c.startswith("302"))]
        econ_rows.append([(0, 0, 1, 2, "合计", "center"), (0, 2, 1, 1, _yuan(basic), "right"),
                          (0, 3, 1, 1, _yuan(per_kind[0]), "right"),
                          (0, 4, 1, 1, _yuan(per_kind[1]), "right")])
        number = _table(pages, number, "2025年部门一般公共预算基本支出部门预算经济分类预算表",
                        "元", basic_header, 1, econ_rows, mf.BASIC_XS, repeat_header=False)
        fig = pages.new(number)  # “三公”, one row in 万元
        y = pages.table_title(fig, 1 - 70 * mf.PT, "2025年部门“三公”经费和机关运行经费预算表",
                              "万元")
        xs = [mf.LEFT + d * mf.PTX for d in (0, 120, 240, 360, 480, 600)] + [mf.RIGHT]
        heads = ("“三公”经费合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费",
                 "机关运行经费")
        values = ("37.91", "0.00", "1.35", "36.56", "464.64")
        cells = [(0, j, 1, 1, h, "center") for j, h in enumerate(heads)]
        cells += [(1, j, 1, 1, v, "right") for j, v in enumerate(values)]
        pages.grid(fig, xs, y, cells, 2, 24 * mf.PT)
        pages.save(fig)
        number += 1
    return number  # the cover has no number, so the document has ``number`` pages


# ---------------------------------------------------------------------- timing
def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _baseline(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()


def _check(path: Path, budget: Budget) -> list[str]:
    """What the reader got wrong, if anything."""
    read = read_pdf(path)
    wrong = []
    names = [t.name for t in read.tables]
    expected = ["收支总表", "支出总表", "一般公共预算支出表", "一般公共预算基本支出表",
                "“三公”经费支出表"]
    if names != expected:
        wrong.append(f"tables {names}, expected {expected}")
        return wrong
    basic, project = budget.totals()
    gpb = read.table("gpb")
    got = {r.code: (r.values.get("basic", Decimal(0)), r.values.get("project", Decimal(0)))
           for r in gpb.rows if r.code}
    for code, (b, p) in budget.leaves.items():
        if got.get(code) != (Decimal(b) / 100, Decimal(p) / 100):
            wrong.append(f"row {code}: read {got.get(code)}, expected {b / 100}, {p / 100}")
    if gpb.total() != Decimal(basic + project) / 100:
        wrong.append(f"total {gpb.total()}")
    errors = [x.message for x in reconcile(read.disclosure).findings if x.severity == "error"]
    wrong += errors[:5]
    return wrong


def _pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=30, help="pages of the generated PDF")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls, best kept")
    parser.add_argument("--all-real", action="store_true", help="time every real PDF")
    args = parser.parse_args(argv)
    budget = Budget()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "disclosure.pdf"
        write_document(path, budget, args.pages)
        n = _pages(path)
        read_pdf(path)  # one-off costs: imports, regular expressions, the classification
        ours_all, base_all = [], []
        for _ in range(max(1, args.repeat)):  # interleaved: both see the same machine load
            ours_all.append(_seconds(lambda: read_pdf(path)))
            base_all.append(_seconds(lambda: _baseline(path)))
        ours, base = min(ours_all), min(base_all)
        wrong = _check(path, budget)
        size = path.stat().st_size
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"generated disclosure: {n} pages, {size / 1024:.0f} KiB, "
          f"{len(budget.function_rows())} function rows, {len(budget.economic_rows())} "
          "economic rows")
    print(f"ours     read_pdf               best {ours:.2f} s  ({ours / n * 1000:.0f} ms/page; "
          f"runs {', '.join(f'{t:.2f}' for t in ours_all)})")
    print(f"baseline pdfplumber text+tables best {base:.2f} s  ({base / n * 1000:.0f} ms/page; "
          f"runs {', '.join(f'{t:.2f}' for t in base_all)})")
    print(f"ratio ours / baseline: {ours / base:.2f}; target under {TARGET_S:.0f} s: "
          f"{'met' if ours < TARGET_S else 'MISSED'}")
    print("checks: " + ("all values read back exactly, no reconciliation error" if not wrong
                        else f"{len(wrong)} FAILED: " + "; ".join(wrong[:5])))
    _real(args.all_real)
    return 0 if not wrong and ours < TARGET_S else 1


def _real(every: bool) -> None:
    files = sorted(REAL.glob("*/*.pdf"))
    if not files:
        print(f"real PDFs: {REAL} is absent")
        return
    counted = {f: _pages(f) for f in files}
    if not every:
        most = max(files, key=lambda f: (counted[f], f.stat().st_size))
        largest = max(files, key=lambda f: f.stat().st_size)
        files = sorted({most, largest})
    for f in files:
        start = time.perf_counter()
        read = read_pdf(f)
        seconds = time.perf_counter() - start
        base = _seconds(partial(_baseline, f))
        print(f"real {f.parent.name}/{f.name}: {counted[f]} pages, "
              f"{f.stat().st_size / 1024:.0f} KiB, {len(read.tables)} tables: read_pdf "
              f"{seconds:.2f} s ({seconds / counted[f] * 1000:.0f} ms/page), pdfplumber "
              f"baseline {base:.2f} s, ratio {seconds / base:.2f}")


if __name__ == "__main__":
    sys.exit(main())
