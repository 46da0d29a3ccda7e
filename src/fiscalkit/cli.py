"""The ``fiscalkit`` command line: reproduce a disclosure, reconcile it, read a disclosure text.

Exit codes: 0 success (for ``reconcile``: no error finding), 1 error findings, 2 bad input
or usage. ``--format json`` prints one JSON document on standard output.

``reconcile`` takes a dataset (name or folder), a disclosure text file (read with
:func:`fiscalkit.disclosure.parse_file`) or a published PDF (read with
:func:`fiscalkit.disclosure.pdf.read_any`, its tables from ``--tables`` when they are a
separate PDF); ``parse`` prints what was read from a text or PDF — metadata, figures, ledger
views, projects and every sentence it could not read; ``audit`` runs every check on one
disclosure (:func:`fiscalkit.quality.audit_all`) and can write an HTML report.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from fiscalkit import datasets
from fiscalkit.disclosure import Disclosure, parse_file, render_tables
from fiscalkit.disclosure.excel import EXCEL_SUFFIXES
from fiscalkit.disclosure.pdf import read_any
from fiscalkit.errors import FiscalkitError
from fiscalkit.reconcile import reconcile

#: Suffixes read by :func:`read_any` (a PDF or a workbook); other files are texts.
_READ_ANY = (".pdf", *EXCEL_SUFFIXES)

__all__ = ["main"]


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if pd.isna(value):
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _load(path: str, tables: str | None = None) -> Disclosure:
    """A dataset by name or folder, a disclosure text file, or a PDF (with its tables PDF)."""
    p = Path(path)
    if p.is_file():
        if p.suffix.lower() in _READ_ANY or tables is not None:
            return read_any(p, tables).disclosure
        return parse_file(p).disclosure
    return datasets.load(path)


def _figures_records(d: Disclosure) -> list[dict[str, Any]]:
    frame = d.recompute()
    return [{
        "id": r["id"], "label": r["label_zh"], "label_en": r["label_en"], "unit": r["unit"],
        "published": r["published"], "recomputed": r["recomputed"], "rounded": r["rounded"],
        "basis": r["basis"], "differs": bool(r["differs"]), "status": r["status"],
        "source": r["sentence"]} for r in frame.to_dict("records")]


def _print_text(d: Disclosure) -> None:
    meta = d.metadata
    unit = str(meta.get("unit_of_account", "万元"))
    print(f"{d.entity} — {meta.get('year', '')} {meta.get('phase', '')} ({d.name}); "
          f"amounts in {unit}\n")
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.max_rows", 200, "display.unicode.east_asian_width", True):
        for name, table in render_tables(d, unit=unit).items():
            print(f"## {name}")
            print(table.to_string(index=False))
            print()
        print("## Stated figures: published vs recomputed (≠ marks a difference at the "
              "published precision)")
        for r in _figures_records(d):
            rec = "—" if r["rounded"] is None else f"{r['rounded']}"
            mark = "≠" if r["differs"] else " "
            print(f" {mark} {r['id']:<28} {r['label']:<18} {r['published']!s:>8} "
                  f"{rec:>8} {r['unit']:<4} {r['basis']}")
    print()
    print(reconcile(d).to_text())


def cmd_reproduce(args: argparse.Namespace) -> int:
    """``fiscalkit reproduce [DATASET] [--format text|json]``: the standard tables rendered from
    a dataset's ledger, every stated figure beside its recomputed value, the reconciliation.

    >>> import contextlib, io, json
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = cmd_reproduce(build_parser().parse_args(["reproduce", "--format", "json"]))
    >>> data = json.loads(out.getvalue())
    >>> code, sorted(data)
    (0, ['dataset', 'figures', 'metadata', 'reconciliation', 'tables'])
    >>> data["tables"]["收支总表"][-1]          # 296.9 + 23 + 20 + 23 by function
    {'收入项目': '收入总计', '收入预算数': '362.90', '支出项目': '支出总计', '支出预算数': '362.90'}
    >>> [f["id"] for f in data["figures"] if f["differs"]]    # -74/436.9 is -16.9%, not -15.6%
    ['gpb.change_pct', 'project.4.cost', 'project.6.cost']
    """
    bundled = datasets.available()
    if args.dataset is None and not bundled:
        raise FiscalkitError("no bundled dataset; name a dataset folder")
    d = _load(args.dataset or bundled[0])
    if args.format == "json":
        out = {
            "dataset": d.name, "metadata": dict(d.metadata),
            "tables": {k: v.to_dict("records") for k, v in render_tables(d).items()},
            "figures": _figures_records(d),
            "reconciliation": reconcile(d).to_dict(),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2, default=_json_default))
    else:
        _print_text(d)
    return 0


def cmd_reconcile(args: argparse.Namespace) -> int:
    """``fiscalkit reconcile PATH [--tables PDF] [--format text|json]``: check every stated
    figure (:func:`fiscalkit.reconcile.reconcile`); exit 1 when a finding is an error.

    >>> import contextlib, io, json
    >>> from fiscalkit import datasets
    >>> args = build_parser().parse_args(["reconcile", datasets.available()[0], "--format", "json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = cmd_reconcile(args)
    >>> code, json.loads(out.getvalue())["summary"]
    (1, {'checks': 82, 'findings': 7, 'error': 2, 'warning': 4, 'info': 1, 'passed': 75})
    """
    report = reconcile(_load(args.path, args.tables))
    print(report.to_json() if args.format == "json" else report.to_text())
    return 1 if report.errors else 0


def cmd_parse(args: argparse.Namespace) -> int:
    """``fiscalkit parse FILE [--tables PDF] [--format json|csv]``: what the text (or PDF)
    reader read — metadata, figures, ledger views, projects and every unread sentence — as
    JSON, or the stated figures as CSV.

    >>> import contextlib, io, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "budget.txt"
    ...     _ = path.write_text("某局2021年部门预算\\n一、收入预算总体情况说明\\n某局2021年收入合计"
    ...                         "400万元，其中：一般公共预算380万元，政府性基金20万元。", "gbk")
    ...     args = build_parser().parse_args(["parse", str(path), "--format", "csv"])
    ...     with contextlib.redirect_stdout(io.StringIO()) as out:
    ...         code = cmd_parse(args)
    >>> figures = pd.read_csv(io.StringIO(out.getvalue()))
    >>> code, figures[["id", "value", "unit"]].to_dict("list")
    (0, {'id': ['income.total', 'income.gpb', 'income.govfund'], 'value': [400, 380, 20], \
'unit': ['万元', '万元', '万元']})
    >>> figures["relation"][0]                 # "其中" made the parts a sum
    'sum(income.gpb, income.govfund)'
    """
    path = Path(args.file)
    if path.suffix.lower() in _READ_ANY or args.tables is not None:
        read = read_any(path, args.tables)
        if args.format == "csv":
            read.disclosure.figures_frame().to_csv(sys.stdout, index=False, lineterminator="\n")
            return 0
        out = {"metadata": dict(read.disclosure.metadata),
               "figures": read.disclosure.figures_frame().to_dict("records"),
               "ledger": {name: view.to_frame().to_dict("records")
                          for name, view in read.disclosure.views.items()},
               "tables": [{"name": t.name, "title": t.title, "unit": t.unit,
                           "pages": list(t.pages)} for t in read.tables],
               "problems": [str(pr) for pr in read.problems],
               "unparsed": [str(u) for u in read.unparsed]}
        print(json.dumps(out, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    result = parse_file(path)
    if args.format == "csv":
        result.disclosure.figures_frame().to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=_json_default))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``fiscalkit`` argument parser: one subcommand per job, each with its ``func``.

    The documentation's command-line reference is generated from this parser's help.
    ``audit`` passes its arguments through to :func:`fiscalkit.quality.cli_audit`, which
    owns its options.

    >>> parser = build_parser()
    >>> args = parser.parse_args(["reconcile", "budget.pdf", "--tables", "tables.pdf"])
    >>> args.command, args.path, args.tables, args.format, args.func.__name__
    ('reconcile', 'budget.pdf', 'tables.pdf', 'text', 'cmd_reconcile')
    >>> parser.parse_args(["audit", "budget.pdf", "--format", "html"]).args
    ['budget.pdf', '--format', 'html']
    """
    p = argparse.ArgumentParser(prog="fiscalkit", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("reproduce", help="render a dataset's tables, recompute every stated "
                       "figure and reconcile")
    r.add_argument("dataset", nargs="?", default=None,
                   help="dataset name or folder (default: the first bundled dataset)")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.set_defaults(func=cmd_reproduce)
    c = sub.add_parser("reconcile", help="check every stated figure; exit 1 on an error finding")
    c.add_argument("path", help="a dataset folder or name, a text file, a PDF or a workbook")
    c.add_argument("--tables", default=None,
                   help="the standard tables as a separate PDF or workbook")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.set_defaults(func=cmd_reconcile)
    t = sub.add_parser("parse", help="read a disclosure text: metadata, figures, ledger views, "
                       "projects and the sentences it could not read")
    t.add_argument("file", help="a text file (UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030) "
                   "or a PDF")
    t.add_argument("--tables", default=None,
                   help="the standard tables as a separate PDF or workbook")
    t.add_argument("--format", choices=("json", "csv"), default="json",
                   help="json: everything; csv: the stated-figures table")
    t.set_defaults(func=cmd_parse)
    at = sub.add_parser("audit-targets", help="audit the quality of the performance targets "
                        "(绩效目标); exit 1 on an error finding")
    at.add_argument("path", help="a dataset folder or name, a text file, a PDF or a workbook")
    at.add_argument("--tables", default=None,
                   help="the standard tables as a separate PDF or workbook")
    at.add_argument("--format", choices=("text", "json"), default="text")
    at.set_defaults(func=cmd_audit_targets)
    sc = sub.add_parser("score", help="score projects' self-evaluations (单位自评) by the national "
                        "method from an outturns CSV")
    sc.add_argument("path", help="the disclosure whose projects are scored (dataset, text or PDF)")
    sc.add_argument("--outturns", required=True,
                    help="CSV with columns project, indicator, actual (预算执行数 for spending)")
    sc.add_argument("--rules", default="national-2020",
                    help="scoring parameters: a shipped profile name or a JSON file")
    sc.add_argument("--format", choices=("text", "json"), default="text")
    sc.set_defaults(func=cmd_score)
    _corpus_parser(sub)
    a = sub.add_parser("audit", add_help=False,
                       help="reconciliation + target audit + completeness, explanations and "
                       "common slips in one report: audit PATH [--format text|json|html] "
                       "[--rules R] [--tables PDF] [-o FILE]")
    a.add_argument("args", nargs=argparse.REMAINDER)
    a.set_defaults(func=cmd_audit)
    return p


def _corpus_parser(sub: Any) -> None:
    """``fiscalkit corpus build|reconcile|spending|query``: many disclosures as one dataset."""
    co = sub.add_parser("corpus", help="many disclosures as one dataset: build a Parquet store "
                        "from a folder, reconcile it, query it with DuckDB")
    jobs = co.add_subparsers(dest="job", required=True)
    b = jobs.add_parser("build", help="read every dataset folder, text, PDF and workbook under "
                        "FOLDER into a Parquet store; exit 1 if a file failed")
    b.add_argument("folder")
    b.add_argument("store", help="the folder to write (refused if it exists, unless "
                   "--overwrite and it is a stored corpus)")
    b.add_argument("--overwrite", action="store_true")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--problems", default=None, help="also write the per-file problems as CSV")
    b.set_defaults(func=cmd_corpus_build)
    r = jobs.add_parser("reconcile", help="check every document of a store in one vectorised "
                        "pass; exit 1 on an error finding")
    r.add_argument("store")
    r.add_argument("--format", choices=("text", "csv"), default="text",
                   help="text: counts by rule and severity; csv: every finding")
    r.set_defaults(func=cmd_corpus_reconcile)
    sp = jobs.add_parser("spending", help="spending by a classification and a grouping (DuckDB)")
    sp.add_argument("store")
    sp.add_argument("--dim", default="function", help="function or economic (default: function)")
    sp.add_argument("--level", type=int, default=1, help="1 类, 2 款, 3 项 (default: 1)")
    sp.add_argument("--by", default="province", help="comma-separated columns (default: province)")
    sp.add_argument("--view", default=None, help="count each document from this view")
    sp.set_defaults(func=cmd_corpus_spending)
    q = jobs.add_parser("query", help="run one SQL query over the views lines, figures, docs, "
                        "codes; CSV on standard output")
    q.add_argument("store")
    q.add_argument("sql")
    q.set_defaults(func=cmd_corpus_query)


def cmd_corpus_build(args: argparse.Namespace) -> int:
    """``fiscalkit corpus build FOLDER STORE``: read a folder, store it, report each bad file.

    >>> import shutil, tempfile
    >>> from fiscalkit import datasets
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = shutil.copytree(datasets.root() / datasets.available()[0], folder / "in" / "good")
    >>> _ = (folder / "in" / "broken.pdf").write_bytes(b"not a PDF at all")
    >>> main(["corpus", "build", str(folder / "in"), str(folder / "store"),
    ...       "--no-progress"])   # doctest: +ELLIPSIS
    Read 1 document (24 lines, 99 figures) from 2 files and dataset folders in ...
    Failed, left out of the corpus: 1 file
      broken.pdf: CorruptFileError: ...
    Stored the corpus in .../store
    1
    >>> (folder / "store" / "manifest.json").is_file()
    True
    """
    from fiscalkit.corpus import build_corpus

    report = build_corpus(args.folder, progress=not args.no_progress)
    print(report.summary())
    if args.problems:
        report.problems.to_csv(args.problems, index=False)
    stored = report.corpus.to_parquet(args.store, overwrite=args.overwrite)
    print(f"Stored the corpus in {stored}")
    return 1 if report.failed else 0


def cmd_corpus_reconcile(args: argparse.Namespace) -> int:
    """``fiscalkit corpus reconcile STORE``: findings of every stored document at once.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> planted = synthetic_corpus(20, lines_per_doc=20, seed=1, error_rate=0.05)
    >>> store = planted.corpus.to_parquet(tempfile.mkdtemp() + "/c")
    >>> main(["corpus", "reconcile", str(store)])   # doctest: +ELLIPSIS
    Reconciliation of 20 documents: ... findings, ... errors in ... documents
    rule    severity
    ledger  error ...
    1
    """
    from fiscalkit.corpus import Corpus, reconcile_corpus

    corpus = Corpus.from_parquet(args.store)
    findings = reconcile_corpus(corpus)
    errors = int((findings["severity"] == "error").sum())
    if args.format == "csv":
        findings.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(f"Reconciliation of {len(corpus)} documents: {len(findings)} findings, "
              f"{errors} errors in {findings.loc[findings['severity'] == 'error', 'doc'].nunique()}"
              " documents")
        counts = findings.groupby(["rule", "severity"], observed=True).size()
        print(counts.rename("findings").to_string())
    return 1 if errors else 0


def cmd_corpus_spending(args: argparse.Namespace) -> int:
    """``fiscalkit corpus spending STORE``: spending by 类 and province (or other keys), CSV.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> store = synthetic_corpus(3, lines_per_doc=20).corpus.to_parquet(tempfile.mkdtemp() + "/c")
    >>> main(["corpus", "spending", str(store), "--level", "1"])   # doctest: +ELLIPSIS
    province,function,name_zh,amount
    ...
    0
    """
    from fiscalkit.corpus import spending_by

    by = [k.strip() for k in args.by.split(",") if k.strip()]
    table = spending_by(args.store, args.dim, level=args.level, by=by, view=args.view)
    table.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_corpus_query(args: argparse.Namespace) -> int:
    """``fiscalkit corpus query STORE SQL``: one SQL query over the store (DuckDB), as CSV.

    >>> import tempfile
    >>> from fiscalkit.corpus import synthetic_corpus
    >>> store = synthetic_corpus(3, lines_per_doc=20).corpus.to_parquet(tempfile.mkdtemp() + "/c")
    >>> main(["corpus", "query", str(store), "SELECT count(DISTINCT doc) AS docs FROM lines"])
    docs
    3
    0
    """
    from fiscalkit.corpus import query

    query(args.store, args.sql).to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_audit_targets(args: argparse.Namespace) -> int:
    """``fiscalkit audit-targets PATH [--tables PDF] [--format text|json]``: audit the
    performance targets (:func:`fiscalkit.performance.audit`); exit 1 on an error finding.

    >>> import contextlib, io, json
    >>> from fiscalkit import datasets
    >>> args = build_parser().parse_args(["audit-targets", datasets.available()[0],
    ...                                   "--format", "json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = cmd_audit_targets(args)
    >>> code, [f["message"] for f in json.loads(out.getvalue())["findings"]
    ...        if f["severity"] == "error"][0]       # a failure rate targeted at 100%
    (1, "政府网络维护费项目: reverse indicator '服务器等设备的维修死亡率' targeted at 100%")
    """
    from fiscalkit.performance import audit

    report = audit(_load(args.path, args.tables))
    print(report.to_json() if args.format == "json" else report.to_text())
    return 1 if report.errors else 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score projects' self-evaluations from an outturns CSV (project, indicator, actual).

    A row whose indicator is 预算执行数 gives the project's spending (with its unit); a
    non-numeric actual is a qualitative tier (达成年度指标 …). Every indicator of a scored
    project needs a row.

    Here every target of a 1.5万元 project is met exactly and 1.2万元 was spent: 80% of the
    10 points for execution, and all of 产出 50, 效益 30, 满意度 10 (national-2020).

    >>> import tempfile
    >>> from fiscalkit import datasets
    >>> name = "便民大厅公共服务设施租赁费项目"
    >>> targets = datasets.load(datasets.available()[0]).indicators.query("project == @name")
    >>> rows = [f"{name},{i},{t}" for i, t in zip(targets["name"], targets["target"])]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "outturns.csv"
    ...     _ = path.write_text("\\n".join(["project,indicator,actual",
    ...                                    f"{name},预算执行数,1.2万元", *rows]), "utf-8")
    ...     main(["score", datasets.available()[0], "--outturns", str(path)])
    便民大厅公共服务设施租赁费项目: 98.00/100 (优) — 预算执行率 8, 产出 50, 效益 30, 满意度 10
    0
    """
    from fiscalkit.performance import Qualitative, projects_from_disclosure, score

    outturns = pd.read_csv(args.outturns, dtype=str, keep_default_na=False)
    missing = {"project", "indicator", "actual"} - set(outturns.columns)
    if missing:
        raise FiscalkitError(f"missing column(s) {sorted(missing)}", where=args.outturns)
    projects = {p.name: p for p in projects_from_disclosure(_load(args.path))}
    results: list[dict[str, Any]] = []
    for name, rows in outturns.groupby("project", sort=False):
        if name not in projects:
            raise FiscalkitError(f"no project {name!r} in {args.path}", where=args.outturns)
        executed = rows.loc[rows["indicator"] == "预算执行数", "actual"]
        if executed.empty:
            raise FiscalkitError(f"no 预算执行数 row for {name!r}", where=args.outturns)
        actuals: dict[str, Any] = {}
        for r in rows[rows["indicator"] != "预算执行数"].itertuples(index=False):
            value = str(r.actual).strip()
            is_number = value.replace(".", "", 1).lstrip("-").isdigit()
            actuals[str(r.indicator)] = value if is_number else Qualitative(value)
        ev = score(projects[str(name)], actuals, executed=str(executed.iloc[0]), rules=args.rules)
        results.append({"project": ev.project, "rules": ev.rules, "total": float(ev.total),
                        "grade": ev.grade,
                        "by_level1": {k: float(v) for k, v in ev.by_level1().items()},
                        "indicators": [{"name": i.indicator.name, "weight": float(i.weight),
                                        "points": float(i.points), "basis": i.basis}
                                       for i in ev.indicators],
                        "notes": list(ev.notes)})
    if args.format == "json":
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for res in results:
            parts = ", ".join(f"{k} {v:g}" for k, v in res["by_level1"].items())
            print(f"{res['project']}: {res['total']:.2f}/100 ({res['grade']}) — {parts}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """``fiscalkit audit PATH [--format text|json|html] [--rules R] [--tables PDF] [-o FILE]``:
    the whole transparency audit (:func:`fiscalkit.quality.cli_audit`); exit 1 on an error.

    >>> import json, tempfile
    >>> from fiscalkit import datasets
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     report = Path(tmp) / "audit.json"
    ...     code = main(["audit", datasets.available()[0], "--format", "json", "-o", str(report)])
    ...     data = json.loads(report.read_text(encoding="utf-8"))
    >>> code, data["completeness"]["score_percent"], data["summary"]["error"]
    (1, 68.0, 4)
    """
    from fiscalkit.quality import cli_audit  # the audit owns its options

    return cli_audit(args.args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fiscalkit`` command line on ``argv`` (default: ``sys.argv[1:]``).

    Returns the exit code instead of exiting — 0 success, 1 error findings, 2 bad input or
    usage — so that it can be called from Python; messages about bad input go to standard
    error, naming the file.

    >>> from fiscalkit import datasets
    >>> main(["reconcile", datasets.available()[0]])     # doctest: +ELLIPSIS
    Reconciliation of ...: 82 checks, 2 errors, 4 warnings, 1 notes, 75 passed
    ...
    1
    >>> main(["reconcile", "no-such-dataset"]), main(["no-such-command"])
    (2, 2)
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors; keep that code
        return int(e.code or 0)
    try:
        return int(args.func(args))
    except FiscalkitError as e:
        print(f"fiscalkit: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"fiscalkit: {e}", file=sys.stderr)
        return 2
