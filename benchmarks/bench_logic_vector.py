"""Benchmark: relevance for a million respondents with evaluate_frame vs a scalar loop.

Run with ``.venv/bin/python benchmarks/bench_logic_vector.py [rows]``. Evaluates
``${nps} <= 6 and selected(${channel}, 'phone')`` on a frame typed as
:class:`cxresearch.data.Responses` types answers (nps an ordered 0-10 categorical,
channel a multiple-choice ``string`` column, both with missing answers): once with
:func:`evaluate_frame` on all rows, once with :func:`evaluate` in a Python loop over
10,000 rows, extrapolated to all rows. Prints both timings (best of a few runs) and
checks that the two agree on the rows both saw.
"""

from __future__ import annotations

import sys
import time
from typing import Callable

import numpy as np
import pandas as pd

from cxresearch.instrument.logic import evaluate, evaluate_frame, parse

N_ROWS = 1_000_000
N_SCALAR = 10_000
REPEATS = 3
EXPRESSION = "${nps} <= 6 and selected(${channel}, 'phone')"


def make_frame(n: int, seed: int = 20240601) -> pd.DataFrame:
    """n respondents: a 0-10 rating and a multiple choice of up to 3 of 5 channels."""
    rng = np.random.default_rng(seed)
    nps = rng.integers(0, 11, n).astype("float64")
    nps[rng.random(n) < 0.05] = np.nan
    channels = np.array(["phone", "web", "email", "chat", "shop"])
    combos = [" ".join(channels[rng.permutation(5)[:k]]) for k in (1, 2, 3)
              for _ in range(40)]
    choice = np.array(combos, dtype=object)[rng.integers(0, len(combos), n)]
    choice[rng.random(n) < 0.1] = None
    return pd.DataFrame({
        "nps": pd.Categorical.from_codes(np.where(np.isnan(nps), -1, nps).astype(int),
                                         categories=range(11), ordered=True),
        "channel": pd.array(choice, dtype="string"),
    })


def best_of(f: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def main(n: int = N_ROWS) -> None:
    frame = make_frame(n)
    tree = parse(EXPRESSION)
    vector = best_of(lambda: evaluate_frame(tree, frame))
    rows = frame.iloc[:N_SCALAR].to_dict("records")
    scalar = best_of(lambda: [evaluate(tree, row) for row in rows]) * n / len(rows)
    result = evaluate_frame(tree, frame)
    assert result.iloc[:N_SCALAR].tolist() == [evaluate(tree, row) for row in rows]
    print(f"{EXPRESSION}  ({result.mean():.1%} true)")
    print(f"evaluate_frame, {n:,} rows:                 {vector:8.3f} s")
    print(f"evaluate loop, {N_SCALAR:,} rows x {n // N_SCALAR}:          {scalar:8.3f} s "
          f"(extrapolated; excludes building the row dicts)")
    print(f"speed-up: {scalar / vector:,.0f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N_ROWS)
