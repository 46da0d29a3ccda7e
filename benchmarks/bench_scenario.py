"""Benchmark: a sweep of 10,000 cut rates over a two-million-line ledger, against plain numpy.

Run on demand (pytest does not collect this file)::

    .venv/bin/python benchmarks/bench_scenario.py [--lines 2000000] [--rates 10000]
        [--like-for-like 200] [--repeat 3]

A synthetic ledger of ``--lines`` lines (entities × every department economic 款 of the
shipped 2021 edition, int64 分 amounts drawn log-normally between 1元 and about 1亿元) is
built directly as a frame and validated into a :class:`Ledger` (timed separately). The
rates are the grid ``k / (2 × rates)`` for ``k < rates`` (0% to just under 50%, steps of
0.005% by default); personnel (301) is protected.

For every rate both sides compute the same numbers — the total cut and the cut by economic
类 under exact Hamilton allocation (each line's quota ``rate × amount`` rounded down or up,
the total rounded half-up, leftover 分 to the largest remainders, ties to the earlier line):

- ours: ``fiscalkit.scenario.sweep(ledger, rates, protect=PERSONNEL, by="economic",
  level=1)``; the rates share the denominator Q = 2 × rates, so it runs over rates ×
  residue classes (amount mod Q) rather than rates × lines;
- plain numpy: the direct computation over rates × lines in chunks of two rates (int64
  divmod by a scalar, ``np.partition`` per rate for the largest remainders,
  ``np.add.reduceat`` by 类), never holding the rates × lines matrix at once. Two rows per
  chunk was the fastest of 1, 2, 4 and 8 on the machine of the recorded figures.

The script checks the numbers are identical, prints both times and the ratio ours / plain
(target: at most 2), and exits non-zero if the numbers differ or the target is missed. With
``--like-for-like N`` it also times fiscalkit's own rates × lines path
(``method="lines"``) against the plain computation on the first N rates, which measures the
library's overhead on the same algorithm.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import fiscalkit as fk
from fiscalkit import classification
from fiscalkit.scenario import PERSONNEL, sweep

TARGET_RATIO = 2.0
ROWS_PER_CHUNK = 2  # plain numpy: 2 rates × 2M lines × 8 bytes = 32 MB per array (fastest)


def synthetic_frame(lines: int, seed: int = 2021) -> pd.DataFrame:
    """Entities × economic 款 codes (unique keys), amounts int64 分, log-normal."""
    rng = np.random.default_rng(seed)
    codes = classification.shipped().frame
    economics = codes[(codes["scheme"] == "economic_department") & (codes["level"] == "2")]
    ec = economics["code"].to_numpy(dtype=object)
    entities = -(-lines // len(ec))
    names = np.array([f"示范市第{i:05d}号预算单位" for i in range(entities)], dtype=object)
    ent, code = np.divmod(np.arange(lines), len(ec))
    amounts = np.exp(rng.normal(13.0, 2.5, size=lines)).clip(100, 10**10).astype(np.int64)
    return pd.DataFrame({
        "year": np.full(lines, 2021, dtype=np.int64),
        "phase": "budget",
        "entity": names[ent],
        "fund": "general",
        "economic": ec[code],
        "amount": amounts,
    })


def plain_numpy(amounts: np.ndarray, protected: np.ndarray, classes: np.ndarray,
                n_classes: int, p: np.ndarray, q: int) -> np.ndarray:
    """The same cuts (rates × 类, 分) with nothing but numpy, over rates × lines."""
    keep = ~protected & (amounts > 0)
    x, g = amounts[keep], classes[keep]
    order = np.argsort(g, kind="stable")  # line positions, grouped by 类 for reduceat
    xs, gs = x[order], g[order]
    starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
    n, total = xs.size, int(x.sum())
    wanted = [(int(pk) * total * 2 + q) // (2 * q) for pk in p]  # round half up of p·X/q
    out = np.zeros((p.size, n_classes), dtype=np.int64)
    for lo in range(0, p.size, ROWS_PER_CHUNK):
        pc = p[lo:lo + ROWS_PER_CHUNK]
        base, rem = np.divmod(xs[None, :] * pc[:, None], q)
        extra = np.array(wanted[lo:lo + pc.size], dtype=np.int64) - base.sum(axis=1)
        for r in range(pc.size):
            k = int(extra[r])
            if k == 0:
                continue
            v = np.partition(rem[r], n - k)[n - k]  # the k-th largest remainder
            above = rem[r] > v
            ties = np.flatnonzero(rem[r] == v)
            m = k - int(above.sum())
            earliest = ties[np.argsort(order[ties], kind="stable")[:m]]
            base[r] += above
            base[r, earliest] += 1
        out[lo:lo + pc.size, gs[starts]] = np.add.reduceat(base, starts, axis=1)
    return out


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def ours_matrix(frame: pd.DataFrame, classes: list[str]) -> np.ndarray:
    """Our tidy sweep as rates × 类 cuts, columns in ``classes`` order."""
    wide = frame.pivot(index="rate_exact", columns="economic", values="delta")
    wide = wide.reindex(columns=classes, fill_value=0)
    return np.asarray(-wide.to_numpy(dtype=np.int64))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--rates", type=int, default=10_000)
    parser.add_argument("--like-for-like", type=int, default=200,
                        help="also time method='lines' against plain numpy on N rates (0: skip)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for fiscalkit's sweep")
    args = parser.parse_args(argv)

    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"fiscalkit {fk.__version__}; {platform.machine()}")
    t, frame = timed(lambda: synthetic_frame(args.lines))
    print(f"synthetic frame: {len(frame):,} lines ({t:.2f} s)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t, ledger = timed(lambda: fk.Ledger.from_frame(frame, unit="分"))
    print(f"Ledger.from_frame: {t:.2f} s")

    q = 2 * args.rates
    p = np.arange(args.rates, dtype=np.int64)
    rates = p / q  # floats; fiscalkit reads each as the exact fraction k/q
    amounts = frame["amount"].to_numpy()
    protected = frame["economic"].str.startswith("301").to_numpy()
    class_codes = frame["economic"].str[:3]
    classes = sorted(class_codes.unique())
    class_idx = class_codes.map({c: i for i, c in enumerate(classes)}).to_numpy(dtype=np.int64)

    def ours() -> pd.DataFrame:
        return sweep(ledger, rates, protect=PERSONNEL, by="economic", level=1)

    ours_t, ours_frame = timed(ours, args.repeat)
    print(f"fiscalkit sweep: {args.rates:,} rates × {len(ledger):,} lines → "
          f"{len(ours_frame):,} rows in {ours_t:.2f} s (best of {args.repeat})")
    plain_t, plain = timed(lambda: plain_numpy(amounts, protected, class_idx, len(classes), p, q))
    print(f"plain numpy, rates × lines in chunks of {ROWS_PER_CHUNK}: {plain_t:.2f} s")

    mine = ours_matrix(ours_frame, classes)
    same = mine.shape == plain.shape and bool((mine == plain).all())
    totals = mine.sum(axis=1)
    ratio = ours_t / plain_t
    last = fk.format_amount(int(totals[-1]), "亿元", 4)
    print(f"total cut at {float(rates[-1]):.4%}: {last}亿元; "
          f"same numbers (total and by 类, every rate): {same}")
    print(f"ratio fiscalkit / plain numpy: {ratio:.4f} (target ≤ {TARGET_RATIO})")
    ok = same and ratio <= TARGET_RATIO
    if args.like_for_like:
        ok &= like_for_like(ledger, amounts, protected, class_idx, classes,
                            p[:args.like_for_like], q)
    return 0 if ok else 1


def like_for_like(ledger: fk.Ledger, amounts: np.ndarray, protected: np.ndarray,
                  class_idx: np.ndarray, classes: list[str], p: np.ndarray, q: int) -> bool:
    """fiscalkit's rates × lines path against the plain computation, on the same rates."""
    rates = p / q
    lines_t, lines = timed(lambda: sweep(ledger, rates, protect=PERSONNEL, by="economic",
                                         level=1, method="lines"))
    plain_t, plain = timed(lambda: plain_numpy(amounts, protected, class_idx, len(classes), p, q))
    same = bool((ours_matrix(lines, classes) == plain).all())
    ratio = lines_t / plain_t
    print(f"like for like on {p.size} rates: fiscalkit method='lines' {lines_t:.2f} s, "
          f"plain numpy {plain_t:.2f} s, ratio {ratio:.2f} (target ≤ {TARGET_RATIO}); "
          f"same numbers: {same}")
    return same and ratio <= TARGET_RATIO


if __name__ == "__main__":
    sys.exit(main())
