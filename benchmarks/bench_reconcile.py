"""Benchmark: reconcile a corpus of 10,000 disclosures in one vectorised pass.

Run on demand (pytest does not collect this file)::

    .venv/bin/python benchmarks/bench_reconcile.py [--docs 10000] [--lines-per-doc 200]
        [--repeat 3] [--error-rate 0.001] [--check 20] [--seed 2021]

It builds a synthetic corpus with :func:`fiscalkit.corpus.synthetic_corpus`: ``--docs``
departments of ``--lines-per-doc`` ledger lines each, about 2,000,000 lines and 1,000,000
stated figures at the defaults. Generation and validation (``Corpus(...)``) are timed on
their own. In the same run it then times, best of ``--repeat``:

- ours: ``reconcile_corpus(corpus)``: every check of every document, findings with messages;
- baseline: a plain pandas ``lines.groupby(["doc", "economic"])["amount"].sum()`` of the same
  lines: one aggregation, the floor below which no reconciliation of these lines can go.

It prints both times and the ratio (target for ours: under 30 s on a 2-core machine). It
reports peak memory: the process's maximum resident set, and for one extra, untimed
reconciliation the resident set before it and at its peak (sampled every 5 ms from
``/proc/self/statm``) with the peak of memory traced by :mod:`tracemalloc` (Python and numpy;
Arrow's pool is not traced). Then it checks the result, exiting
non-zero if a check fails. Every planted inconsistency must be an error naming its figure.
On ``--check`` sampled documents, the findings must equal the scalar
:func:`fiscalkit.reconcile.reconcile` rule for rule, severity and figures; those scalar
runs are timed too, for comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from fiscalkit.corpus import reconcile_corpus, synthetic_corpus
from fiscalkit.reconcile import reconcile

TARGET_SECONDS = 30.0
COVERED = {"ledger", "sum", "share", "diff", "pct_change", "same", "le"}


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), times, result


def rss() -> int | None:
    """The resident set now, in bytes (Linux), or None."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def peak_rss(fn: Callable[[], Any]) -> tuple[int | None, int | None, int]:
    """Resident set before ``fn()``, its peak while it runs, and the tracemalloc peak."""
    before, peak, done = rss(), [rss() or 0], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss() or 0)

    thread = threading.Thread(target=sample, daemon=True)
    tracemalloc.start()
    thread.start()
    try:
        fn()
    finally:
        done.set()
        thread.join()
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return before, (peak[0] if before is not None else None), traced


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--lines-per-doc", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--error-rate", type=float, default=0.001)
    parser.add_argument("--check", type=int, default=20, help="documents checked by the scalar")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    print(f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"pyarrow {pa.__version__}, {platform.machine()}")
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc = synthetic_corpus(args.docs, lines_per_doc=args.lines_per_doc, seed=args.seed,
                              error_rate=args.error_rate)
    corpus = sc.corpus
    build = time.perf_counter() - start
    lines, figures = corpus.lines, corpus.figures
    print(f"corpus: {len(corpus):,} documents, {len(lines):,} lines, {len(figures):,} figures, "
          f"{len(sc.planted):,} planted errors; generated and validated in {build:.2f} s")

    ours, ours_all, found = best_of(args.repeat, lambda: reconcile_corpus(corpus))
    base, base_all, grouped = best_of(
        args.repeat, lambda: lines.groupby(["doc", "economic"])["amount"].sum())
    print(f"reconcile_corpus: {ours:.2f} s (runs: {', '.join(f'{t:.2f}' for t in ours_all)}); "
          f"{found.attrs['checks']:,} checks, {len(found):,} findings "
          f"{found['severity'].value_counts().to_dict()}")
    print(f"baseline groupby(['doc', 'economic']).sum(): {base:.3f} s "
          f"(runs: {', '.join(f'{t:.3f}' for t in base_all)}); {len(grouped):,} groups")
    print(f"ratio ours / baseline: {ours / base:.1f}")

    before, peak, traced = peak_rss(lambda: reconcile_corpus(corpus))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    during = ("" if before is None or peak is None else
              f"resident {before / 2**20:,.0f} MiB before, {peak / 2**20:,.0f} MiB at peak "
              f"(+{(peak - before) / 2**20:,.0f} MiB); ")
    print(f"peak memory: process max RSS {max_rss:,.0f} MiB (generation included); one "
          f"reconciliation: {during}{traced / 2**20:,.0f} MiB traced by tracemalloc")

    failures = []
    errors = found[found["severity"] == "error"]
    named = {(str(d), i) for d, ids in zip(errors["doc"], errors["figures"], strict=True)
             for i in ids.split(", ")}
    missed = set(zip(sc.planted["doc"], sc.planted["id"], strict=True)) - named
    print(f"planted errors found: {len(sc.planted) - len(missed):,} of {len(sc.planted):,}")
    if missed:
        failures.append(f"planted errors not found: {sorted(missed)[:5]}")
    sample = np.random.default_rng(args.seed).choice(len(corpus), min(args.check, len(corpus)),
                                                     replace=False)
    scalar_time = 0.0
    for i in sample:
        doc = corpus.docs[int(i)]
        d = corpus.disclosure(doc)
        start = time.perf_counter()
        report = reconcile(d)
        scalar_time += time.perf_counter() - start
        want = [(f.rule, f.severity, ", ".join(r.id for r in f.figures))
                for f in report.findings if f.rule in COVERED]
        ours_doc = found[(found["doc"] == doc).to_numpy(dtype=bool)]
        got = list(zip(ours_doc["rule"].astype(str), ours_doc["severity"].astype(str),
                       ours_doc["figures"], strict=True))
        if got != want:
            failures.append(f"{doc}: findings differ from the scalar reconcile")
    if len(sample):
        per_doc = scalar_time / len(sample)
        print(f"scalar reconcile on {len(sample)} sampled documents: same findings "
              f"{'in all' if not failures else 'NOT in all'}; {per_doc * 1000:.0f} ms per "
              f"document, about {per_doc * len(corpus):,.0f} s for the corpus")
    if ours > TARGET_SECONDS:
        failures.append(f"reconcile_corpus took {ours:.1f} s, over the {TARGET_SECONDS:.0f} s "
                        "target")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
