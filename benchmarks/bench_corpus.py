"""Benchmark: generate, store, load, reconcile and query a corpus of 10,000 disclosures.

Run on demand (pytest does not collect this file)::

    .venv/bin/python benchmarks/bench_corpus.py [--docs 10000] [--lines-per-doc 200]
        [--error-rate 0.001] [--seed 2021] [--repeat 3] [--folder-docs 1000] [--work DIR]

Every step runs in a **fresh Python process**, started by this script, so that the peak
memory of a step is that process's maximum resident set (``resource.getrusage(RUSAGE_SELF)
.ru_maxrss``): honest, and including the interpreter, pandas, pyarrow and fiscalkit (the
``imports`` step measures that floor). For steps that must first hold data they do not
measure (the store step holds the generated corpus; the reconcile step loads it), the
resident set is also sampled every 5 ms from ``/proc/self/statm`` during the timed call
alone, and both figures are printed.

Steps:

1. ``generate``: :func:`fiscalkit.corpus.synthetic_corpus` builds and validates the corpus
   (``--docs`` × ``--lines-per-doc`` lines, planted errors at ``--error-rate``); then, in the
   same process, ``store``: :meth:`Corpus.to_parquet` writes it (hive-partitioned lines).
2. ``load``: :meth:`Corpus.from_parquet` reads it back and validates it again.
3. ``reconcile``: :func:`reconcile_corpus` on the loaded corpus, best of ``--repeat``. Recall
   and precision of the planted errors: the figures named by errors of the ``ledger`` rule
   against the planted figures; and the errors of other rules that name no planted figure
   (false alarms).
4. ``query``: :func:`fiscalkit.corpus.spending_by` — spending by functional 类 and province —
   with DuckDB over the Parquet files, best of ``--repeat`` (the first run is shown too).
5. ``pandas``: the same answer with pandas on frames already loaded from the same files
   (loading not timed): choose each document's view, then ``groupby([province,
   function.str[:3]])``. The answers must be equal; the ratio DuckDB / pandas is printed.
6. ``build``: ``--folder-docs`` documents of the corpus written as dataset folders, plus an
   unreadable PDF, a text in no supported encoding and a ledger with a non-numeric amount;
   :meth:`Corpus.from_folder` must read the documents and report exactly those three.

Targets (2-core machine): reconciliation under 30 s, peak memory under 2 GiB, the DuckDB
query under 1 s, recall and precision 1.0. The script exits non-zero if one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_RECONCILE_S = 30.0
TARGET_QUERY_S = 1.0
TARGET_PEAK_MIB = 2048.0
MARK = "RESULT "


# ---------------------------------------------------------------------- measuring
def max_rss_mib() -> float:
    """The process's peak resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def sampled(fn: Callable[[], Any]) -> tuple[float, float, float, Any]:
    """Seconds, resident set before, and its peak while ``fn()`` runs (5 ms samples)."""
    before, peak, done = rss_mib(), [rss_mib()], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss_mib())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        seconds = time.perf_counter() - start
        done.set()
        thread.join()
    return seconds, before, max(peak[0], rss_mib()), result


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        result = None  # the previous result is not held while the next is computed
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), times, result


def emit(**values: Any) -> None:
    print(MARK + json.dumps({**values, "max_rss_mib": max_rss_mib()}), flush=True)


# ---------------------------------------------------------------------- the steps (children)
def step_imports(args: argparse.Namespace) -> None:
    import fiscalkit.corpus  # noqa: F401

    emit(step="imports")


def step_generate(args: argparse.Namespace) -> None:
    import pandas as pd

    from fiscalkit.corpus import synthetic_corpus

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc = synthetic_corpus(args.docs, lines_per_doc=args.lines_per_doc, seed=args.seed,
                              error_rate=args.error_rate)
    generate = time.perf_counter() - start
    generate_peak = max_rss_mib()
    sc.planted.to_parquet(args.work / "planted.parquet")
    corpus = sc.corpus
    seconds, before, peak, _ = sampled(lambda: corpus.to_parquet(args.work / "corpus"))
    size = sum(p.stat().st_size for p in (args.work / "corpus").rglob("*") if p.is_file())
    emit(step="generate", seconds=generate, peak_mib=generate_peak, docs=len(corpus),
         lines=len(corpus.lines), figures=len(corpus.figures), planted=len(sc.planted),
         store_seconds=seconds, store_before_mib=before, store_peak_mib=peak,
         stored_mib=size / 2**20, pandas=pd.__version__)


def step_load(args: argparse.Namespace) -> None:
    from fiscalkit.corpus import Corpus

    start = time.perf_counter()
    corpus = Corpus.from_parquet(args.work / "corpus")
    emit(step="load", seconds=time.perf_counter() - start, docs=len(corpus))


def step_reconcile(args: argparse.Namespace) -> None:
    import pandas as pd

    from fiscalkit.corpus import Corpus, reconcile_corpus

    corpus = Corpus.from_parquet(args.work / "corpus")
    loaded = max_rss_mib()
    _, before, peak, first = sampled(lambda: reconcile_corpus(corpus))  # nothing else held
    del first  # not held while the timed runs compute theirs
    best, runs, found = best_of(args.repeat, lambda: reconcile_corpus(corpus))
    planted = pd.read_parquet(args.work / "planted.parquet")
    want = set(zip(planted["doc"], planted["id"], strict=True))
    errors = found[found["severity"] == "error"]
    ledger = errors[errors["rule"] == "ledger"]
    flagged = {(str(d), f) for d, f in zip(ledger["doc"], ledger["figures"], strict=True)}
    hit = len(want & flagged)
    other = errors[errors["rule"] != "ledger"]
    false_alarms = sum(not any((str(d), i) in want for i in ids.split(", "))
                       for d, ids in zip(other["doc"], other["figures"], strict=True))
    emit(step="reconcile", seconds=best, runs=runs, loaded_mib=loaded,
         sampled_before_mib=before, sampled_peak_mib=peak, checks=found.attrs.get("checks"),
         findings=len(found), errors=len(errors), ledger_errors=len(flagged),
         other_errors=len(other), false_alarms=false_alarms, planted=len(want),
         recall=hit / len(want) if want else 1.0,
         precision=hit / len(flagged) if flagged else 1.0)


def step_query(args: argparse.Namespace) -> None:
    from fiscalkit.corpus import spending_by

    folder = args.work / "corpus"
    first = time.perf_counter()
    table = spending_by(folder, "function", level=1, by="province")
    first = time.perf_counter() - first
    best, runs, table = best_of(args.repeat,
                                lambda: spending_by(folder, "function", level=1, by="province"))
    table.to_parquet(args.work / "duckdb-answer.parquet")
    emit(step="query", seconds=best, first=first, runs=runs, rows=len(table))


def step_pandas(args: argparse.Namespace) -> None:
    import numpy as np
    import pandas as pd

    folder = args.work / "corpus"
    lines = pd.read_parquet(folder / "lines", columns=["doc", "view", "province", "function",
                                                       "amount"])
    views = pd.read_parquet(folder / "views")
    loaded = max_rss_mib()

    def answer() -> pd.DataFrame:
        money = lines["amount"].abs().where(lines["function"].notna(), 0)
        per_view = money.groupby([lines["doc"], lines["view"]], observed=True).sum()
        per_view = per_view.rename("money").reset_index().astype({"doc": str, "view": str})
        ranked = per_view.merge(views, on=["doc", "view"]).sort_values(
            ["doc", "money", "row"], ascending=[True, False, True])
        chosen = ranked.drop_duplicates("doc")[["doc", "view"]]
        keep = pd.MultiIndex.from_frame(lines[["doc", "view"]].astype(str)).isin(
            pd.MultiIndex.from_frame(chosen))
        sel = lines[keep]
        out = sel.groupby([sel["province"], sel["function"].str[:3]], observed=True,
                          dropna=False)["amount"].sum()
        return out.reset_index()

    best, runs, table = best_of(args.repeat, answer)
    duck = pd.read_parquet(args.work / "duckdb-answer.parquet")
    got = {(str(p), str(f)): int(a) for p, f, a in
           zip(table["province"], table["function"], table["amount"], strict=True)}
    want = {(str(p), str(f)): int(a) for p, f, a in
            zip(duck["province"], duck["function"], duck["amount"], strict=True)}
    emit(step="pandas", seconds=best, runs=runs, loaded_mib=loaded, rows=len(table),
         same=got == want, total=int(np.int64(table["amount"].sum())))


def step_folder(args: argparse.Namespace) -> None:
    """Write ``--folder-docs`` documents as dataset folders, plus three bad files."""
    import numpy as np
    import pandas as pd

    from fiscalkit.corpus import Corpus
    from fiscalkit.ledger import COLUMNS, format_column

    corpus = Corpus.from_parquet(args.work / "corpus")
    docs = list(corpus.docs[:args.folder_docs])
    root = args.work / "folder"
    lines = corpus.lines
    lines = lines[lines["doc"].isin(docs)]
    figures = corpus.figures
    figures = figures[figures["doc"].isin(docs)]
    metadata = corpus.metadata
    by_doc = dict(iter(lines.groupby("doc", observed=True)))
    figs_by_doc = dict(iter(figures.groupby("doc", observed=True)))
    for doc in docs:
        folder = root / doc
        folder.mkdir(parents=True)
        frame = by_doc[doc][["view", *COLUMNS]].copy()
        frame["amount"] = format_column(frame["amount"].to_numpy(), "元").to_numpy()
        frame.to_csv(folder / "ledger.csv", index=False)
        figs_by_doc[doc].drop(columns="doc").to_csv(folder / "figures.csv", index=False)
        (folder / "metadata.json").write_text(json.dumps(metadata[doc], ensure_ascii=False),
                                              encoding="utf-8")
    (root / "scan.pdf").write_bytes(np.random.default_rng(0).bytes(4096))
    (root / "latin.txt").write_bytes(b"\x80\xff budget \xff\x80" * 20)
    bad = root / "zz-bad"
    shutil.copytree(root / docs[0], bad)
    ledger = pd.read_csv(bad / "ledger.csv", dtype=str, keep_default_na=False)
    ledger.loc[3, "amount"] = "12O.50"
    ledger.to_csv(bad / "ledger.csv", index=False)
    emit(step="folder", docs=len(docs))


def step_build(args: argparse.Namespace) -> None:
    from fiscalkit.corpus import Corpus

    seconds, _, _, report = sampled(lambda: Corpus.from_folder(args.work / "folder",
                                                               progress=False))
    emit(step="build", seconds=seconds, docs=len(report.corpus), failed=list(report.failed),
         warnings=int((report.problems["severity"] == "warning").sum()),
         lines=len(report.corpus.lines))


STEPS: dict[str, Callable[[argparse.Namespace], None]] = {
    "imports": step_imports, "generate": step_generate, "load": step_load,
    "reconcile": step_reconcile, "query": step_query, "pandas": step_pandas,
    "folder": step_folder, "build": step_build}


# ---------------------------------------------------------------------- the parent
def run(step: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", step, "--work", str(args.work),
               "--docs", str(args.docs), "--lines-per-doc", str(args.lines_per_doc),
               "--error-rate", str(args.error_rate), "--seed", str(args.seed),
               "--repeat", str(args.repeat), "--folder-docs", str(args.folder_docs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    results = [line[len(MARK):] for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode or not results:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"step {step} failed (exit status {done.returncode})")
    out: dict[str, Any] = json.loads(results[-1])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--lines-per-doc", type=int, default=200)
    parser.add_argument("--error-rate", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder-docs", type=int, default=1_000,
                        help="documents written as dataset folders for the build step (0: skip)")
    parser.add_argument("--work", type=Path, default=None,
                        help="working folder (default: a temporary one, removed at the end)")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        STEPS[args.step](args)
        return 0

    keep = args.work is not None
    args.work = Path(args.work or tempfile.mkdtemp(prefix="bench-corpus-"))
    args.work.mkdir(parents=True, exist_ok=True)
    try:
        return report(args)
    finally:
        if not keep:
            shutil.rmtree(args.work, ignore_errors=True)


def report(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    print(f"Python {platform.python_version()}, pandas {pd.__version__}, numpy "
          f"{np.__version__}, pyarrow {pa.__version__}, {os.cpu_count()} cores, "
          f"{platform.machine()}")
    print("Memory: each step runs in a fresh process; 'peak' is that process's max RSS "
          "(getrusage ru_maxrss), interpreter and libraries included.")
    failures: list[str] = []
    floor = run("imports", args)
    print(f"  imports alone (python, pandas, pyarrow, fiscalkit): peak "
          f"{floor['max_rss_mib']:,.0f} MiB")
    g = run("generate", args)
    print(f"generate: {g['docs']:,} documents, {g['lines']:,} lines, {g['figures']:,} figures, "
          f"{g['planted']:,} planted errors: {g['seconds']:.1f} s, peak {g['peak_mib']:,.0f} MiB")
    grew = g["store_peak_mib"] - g["store_before_mib"]
    print(f"store (to_parquet, same process): {g['store_seconds']:.2f} s; {g['stored_mib']:.0f} "
          f"MiB on disk; resident {g['store_before_mib']:,.0f} MiB before (the corpus), "
          f"{g['store_peak_mib']:,.0f} MiB at peak (+{grew:,.0f})")
    peaks = {"generate": g["peak_mib"], "store": g["max_rss_mib"]}
    load = run("load", args)
    peaks["load"] = load["max_rss_mib"]
    print(f"load (from_parquet, validated again): {load['seconds']:.2f} s, peak "
          f"{load['max_rss_mib']:,.0f} MiB")
    r = run("reconcile", args)
    peaks["reconcile"] = r["max_rss_mib"]
    print(f"reconcile (reconcile_corpus): {r['seconds']:.2f} s best of {args.repeat} "
          f"(runs: {', '.join(f'{t:.2f}' for t in r['runs'])}); peak {r['max_rss_mib']:,.0f} "
          f"MiB for load + reconcile; resident {r['sampled_before_mib']:,.0f} MiB before one "
          f"reconciliation, {r['sampled_peak_mib']:,.0f} MiB at its peak")
    print(f"  {r['checks']:,} checks, {r['findings']:,} findings, {r['errors']:,} errors "
          f"({r['ledger_errors']:,} of the ledger rule, {r['other_errors']:,} of other rules "
          f"that follow from them; {r['false_alarms']} naming no planted figure)")
    print(f"  planted errors: recall {r['recall']:.4f}, precision {r['precision']:.4f} "
          f"({r['planted']:,} planted, {r['ledger_errors']:,} flagged by the ledger rule)")
    q = run("query", args)
    peaks["query"] = q["max_rss_mib"]
    p = run("pandas", args)
    print(f"DuckDB query, spending by functional 类 and province (spending_by): "
          f"{q['seconds'] * 1000:.0f} ms best of {args.repeat} (first run "
          f"{q['first'] * 1000:.0f} ms); {q['rows']} rows; peak {q['max_rss_mib']:,.0f} MiB")
    print(f"pandas, same answer on frames already loaded: {p['seconds'] * 1000:.0f} ms best of "
          f"{args.repeat}; peak {p['max_rss_mib']:,.0f} MiB (frames loaded: "
          f"{p['loaded_mib']:,.0f} MiB); same answer: {p['same']}")
    print(f"ratio DuckDB (from the files) / pandas (in memory): {q['seconds'] / p['seconds']:.2f}")
    if args.folder_docs:
        run("folder", args)
        b = run("build", args)
        peaks["build"] = b["max_rss_mib"]
        per = b["seconds"] / max(b["docs"], 1)
        print(f"build (from_folder) of {args.folder_docs:,} dataset folders + 3 bad files: "
              f"{b['seconds']:.1f} s ({per * 1000:.1f} ms per document, about "
              f"{per * args.docs:,.0f} s for {args.docs:,}); peak {b['max_rss_mib']:,.0f} MiB; "
              f"{b['docs']:,} documents, {b['lines']:,} lines; failed: {b['failed']}; "
              f"{b['warnings']} warnings")
        if b["docs"] != args.folder_docs or sorted(b["failed"]) != ["latin.txt", "scan.pdf",
                                                                    "zz-bad"]:
            failures.append(f"build: expected {args.folder_docs} documents and the three bad "
                            f"files, got {b['docs']} and {b['failed']}")
    if r["seconds"] > TARGET_RECONCILE_S:
        failures.append(f"reconciliation took {r['seconds']:.1f} s (target {TARGET_RECONCILE_S} s)")
    if q["seconds"] > TARGET_QUERY_S:
        failures.append(f"the DuckDB query took {q['seconds']:.2f} s (target {TARGET_QUERY_S} s)")
    for step, mib in peaks.items():
        if mib > TARGET_PEAK_MIB:
            failures.append(f"{step}: peak {mib:,.0f} MiB (target {TARGET_PEAK_MIB:,.0f} MiB)")
    if (r["recall"], r["precision"], r["false_alarms"]) != (1.0, 1.0, 0):
        failures.append("the planted errors were not found exactly")
    if not p["same"]:
        failures.append("DuckDB and pandas disagree")
    print("peaks (MiB): " + ", ".join(f"{k} {v:,.0f}" for k, v in peaks.items()))
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
