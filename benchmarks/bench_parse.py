"""Benchmark: read the 2021 Yindu disclosure text with :func:`fiscalkit.disclosure.parse_text`.

Run on demand (pytest does not collect this file)::

    .venv/bin/python benchmarks/bench_parse.py [--repeat 30]

The text (13 KB, 99 figures, six projects with 72 indicators) is the dataset's
``source.txt``. The script times the first call separately — it pays one-off costs: compiling
the regular expressions on first use, loading the classification lists, pandas' first
DataFrame — and then ``--repeat`` calls, printing the best and the median. It also parses the
fixture texts of ``tests/fixtures/texts/`` once each, for context. The target is a best time
well under 100 ms for the 2021 text; the script exits 1 if the best is 100 ms or more, or if
the parse does not read the 99 figures.

Where the time goes: building and validating the ledger (one :class:`~fiscalkit.Ledger` for
all views, cut with ``select``) is about half of it; reading the text — canonical form,
paragraphs, sentences, numbers — is the rest.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

from fiscalkit.disclosure import parse_file, parse_text

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "datasets" / "yindu-zhengwu-2021" / "source.txt"
FIXTURES = REPO / "tests" / "fixtures" / "texts"
TARGET_MS = 100.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed calls after the first")
    args = parser.parse_args(argv)
    text = SOURCE.read_text(encoding="utf-8")

    start = time.perf_counter()
    result = parse_text(text, source=str(SOURCE))
    first = time.perf_counter() - start
    times = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        result = parse_text(text, source=str(SOURCE))
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)

    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{len(text):,} characters, {len(result.figures)} figures, "
          f"{len(result.readings)} numbers read, {len(result.unparsed)} unparsed sentences")
    print(f"2021 text: first call {_ms(first)} (one-off warm-up included); "
          f"best {_ms(best)}, median {_ms(median)} of {len(times)} (target < {TARGET_MS:.0f} ms)")
    for path in sorted(FIXTURES.glob("*.txt")):
        start = time.perf_counter()
        fixture = parse_file(path)
        print(f"  {path.name:<42} {len(fixture.figures):>4} figures  "
              f"{_ms(time.perf_counter() - start):>9}")

    if len(result.figures) != 99:
        print(f"FAIL: expected the dataset's 99 figures, read {len(result.figures)}")
        return 1
    if best * 1000 >= TARGET_MS:
        print(f"FAIL: best {_ms(best)} is not under {TARGET_MS:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
