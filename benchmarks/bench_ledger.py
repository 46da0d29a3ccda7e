"""Benchmark: roll-up of a two-million-line ledger against a plain pandas ``groupby``.

Run on demand (pytest does not collect this file)::

    .venv/bin/python benchmarks/bench_ledger.py [--lines 2000000] [--entities 10000] [--repeat 5]

A synthetic ledger of ``--lines`` budget lines over ``--entities`` entities, with functional
项 codes and department economic 款 codes drawn from the shipped 2021 edition and int64 分
amounts, is built directly as a frame (``unit="分"``) and validated into a :class:`Ledger`
(timed separately). Then, on the same data and in the same run, each roll-up is timed (best of
``--repeat``):

- ours: ``Ledger.by("entity", "function", level=1)`` (and ``"economic"``)
- baseline: a DataFrame of plain string columns,
  ``df.groupby(["entity", df["function"].str[:3]])["amount"].sum()``

Both must give the same numbers; the script prints both times and the ratio ours / baseline
(target: at most 1.5) and exits non-zero if the numbers differ or the target is missed.
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

TARGET_RATIO = 1.5


def synthetic_frame(lines: int, entities: int, seed: int = 2021) -> pd.DataFrame:
    """A frame in the ledger schema with unique keys, amounts int64 分."""
    rng = np.random.default_rng(seed)
    edition = classification.shipped()
    codes = edition.frame
    functions = codes[(codes["scheme"] == "function") & (codes["level"] == "3")]["code"]
    economics = codes[(codes["scheme"] == "economic_department") & (codes["level"] == "2")]["code"]
    fn = functions.to_numpy(dtype=object)
    ec = economics.to_numpy(dtype=object)
    funds = np.array(["general", "govfund", "special"], dtype=object)
    kinds = np.array(["basic.personnel", "basic.public", "project"], dtype=object)
    names = np.array([f"示范市第{i:05d}号预算单位" for i in range(entities)], dtype=object)
    space = entities * len(fn) * len(ec) * len(funds) * len(kinds)
    # Draw a few more keys than needed, keep the distinct ones: keys must be unique.
    keys = np.unique(rng.integers(0, space, size=int(lines * 1.05)))
    if len(keys) < lines:
        raise SystemExit("key space too small for that many unique lines")
    keys = rng.permutation(keys)[:lines]
    keys, k = np.divmod(keys, len(kinds))
    keys, f = np.divmod(keys, len(funds))
    keys, e = np.divmod(keys, len(ec))
    ent, fu = np.divmod(keys, len(fn))
    return pd.DataFrame({
        "year": np.full(lines, 2021, dtype=np.int64),
        "phase": "budget",
        "entity": names[ent],
        "fund": funds[f],
        "kind": kinds[k],
        "function": fn[fu],
        "economic": ec[e],
        "amount": rng.integers(-1_000_000, 10**10, size=lines, dtype=np.int64),
    })


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def as_dict(frame: pd.DataFrame, dim: str) -> dict[tuple[str, str], int]:
    return {
        (str(e), str(c)): int(a)
        for e, c, a in zip(frame["entity"], frame[dim], frame["amount"], strict=True)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"fiscalkit {fk.__version__}; {platform.machine()}")
    start = time.perf_counter()
    frame = synthetic_frame(args.lines, args.entities)
    print(f"synthetic frame: {len(frame):,} lines, {frame['entity'].nunique():,} entities, "
          f"{frame['function'].nunique()} 项 codes, {frame['economic'].nunique()} 款 codes "
          f"({time.perf_counter() - start:.2f} s)")

    # Baseline data: plain string columns (pandas' default string dtype), same lines.
    plain = pd.DataFrame({
        "entity": frame["entity"].astype(str),
        "function": frame["function"].astype(str),
        "economic": frame["economic"].astype(str),
        "amount": frame["amount"],
    })

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every code is in the edition: no warning expected
        start = time.perf_counter()
        ledger = fk.Ledger.from_frame(frame, unit="分")
        built = time.perf_counter() - start
    print(f"Ledger.from_frame (validation, categoricals): {built:.2f} s")

    ok = True
    for dim in ("function", "economic"):

        def ours(d: str = dim) -> pd.DataFrame:
            return ledger.by("entity", d, level=1)

        def baseline(d: str = dim) -> pd.Series:
            return plain.groupby(["entity", plain[d].str[:3]])["amount"].sum()

        sliced = plain.assign(cls=plain[dim].str[:3])

        def groupby_only(frame: pd.DataFrame = sliced) -> pd.Series:
            return frame.groupby(["entity", "cls"])["amount"].sum()

        ours_t, ours_out = best_of(args.repeat, ours)
        base_t, base_out = best_of(args.repeat, baseline)
        only_t, _ = best_of(args.repeat, groupby_only)
        base_frame = base_out.reset_index()
        same = (len(ours_out) == len(base_frame)
                and as_dict(ours_out, dim) == as_dict(base_frame, dim))
        ratio = ours_t / base_t
        ok &= same and ratio <= TARGET_RATIO
        print(f"entity × {dim} 类: {len(ours_out):,} groups; ours {ours_t * 1000:.0f} ms, "
              f"baseline {base_t * 1000:.0f} ms, ratio {ratio:.2f} "
              f"(target ≤ {TARGET_RATIO}); same numbers: {same}")
        print(f"    for reference, the baseline's groupby alone on a pre-sliced column: "
              f"{only_t * 1000:.0f} ms (ours / that {ours_t / only_t:.2f})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
