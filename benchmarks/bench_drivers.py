"""Benchmark: key drivers with bootstrap intervals, both methods.

Run with ``.venv/bin/python benchmarks/bench_drivers.py [rows ...] [--drivers K]
[--boot B]`` (default 100,000 rows, 12 drivers, 1,000 resamples; target under 30 s).

Every measurement runs in a fresh process with its address space limited to 8 GB
(``RLIMIT_AS``), so an out-of-memory shows up as a line in the table instead of taking
the machine down. The data are the same in every process (fixed seed): ``K`` touchpoint
scores on 1-5 from a shared disposition plus noise, an NPS 0-10 outcome, and about 2%
of the rows with a missing answer (dropped listwise). Each process times one call of
``key_drivers(..., method, n_boot=B, seed=1)``, then repeats it under :mod:`tracemalloc`
for the peak of memory allocated by that call (numpy reports its arrays to
tracemalloc); ``peak RSS`` is the process's maximum resident size (Python, numpy,
pandas and the data included).

The numbers are printed, not asserted.
"""

from __future__ import annotations

import json
import sys
import time

from _child import run_child

LIMIT_BYTES = 8 << 30
METHODS = ("shapley", "relative-weights")


def child(method: str, rows: int, k: int, n_boot: int) -> dict[str, object]:
    """Run one measurement in this (fresh, memory-limited) process."""
    import resource
    import tracemalloc

    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    import numpy as np
    import pandas as pd
    import scipy.stats  # noqa: F401  (imports are not part of any timing)

    from cxresearch.stats._drivers import key_drivers

    rng = np.random.default_rng(2024)
    latent = rng.normal(0, 0.6, (rows, 1)) + rng.normal(0, 0.8, (rows, k))
    scores = 1.0 + (latent[..., None] > np.array([-1.3, -0.5, 0.3, 1.1])).sum(axis=-1)
    weights = np.linspace(0.2, 1.0, k)
    nps = np.clip(np.round(6.5 + latent @ weights * 0.8 + rng.normal(0, 1.2, rows)), 0, 10)
    frame = pd.DataFrame(scores, columns=[f"sat_{i + 1:02d}" for i in range(k)])
    frame["nps"] = nps
    frame = frame.mask(rng.random(frame.shape) < 0.02 / (k + 1))
    drivers = list(frame.columns[:k])
    del latent, scores
    try:
        start = time.perf_counter()
        table = key_drivers(frame, "nps", drivers, method, n_boot=n_boot, seed=1)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        key_drivers(frame, "nps", drivers, method, n_boot=n_boot, seed=1)
        traced_mb = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    except MemoryError:
        return {"status": "out of memory"}
    top = table.iloc[0]
    return {"status": "ok", "seconds": seconds, "traced_mb": round(traced_mb),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "n": int(table.attrs["n"]), "r2": round(float(table.attrs["r2"]), 3),
            "top": f"{top['driver']} {top['share']:.3f} "
                   f"[{top['share_low']:.3f}, {top['share_high']:.3f}]"}


def measure(method: str, rows: int, k: int, n_boot: int) -> dict[str, object]:
    return run_child(__file__, method, rows, k, n_boot)


def main(argv: list[str]) -> None:
    k, n_boot, rows_list = 12, 1000, []
    args = iter(argv)
    for arg in args:
        if arg == "--drivers":
            k = int(next(args))
        elif arg == "--boot":
            n_boot = int(next(args))
        else:
            rows_list.append(int(arg.replace(",", "").replace("_", "")))
    rows_list = rows_list or [100_000]
    print(f"key drivers benchmark: {k} drivers, {n_boot:,} bootstrap resamples; each line "
          f"a fresh process, address space limited to {LIMIT_BYTES >> 30} GB")
    print(f"{'rows':>10} {'method':<17} {'seconds':>8} {'traced MB':>9} {'peak RSS MB':>11}"
          f"  n used, R², top driver share [95% interval] / status")
    for rows in rows_list:
        for method in METHODS:
            r = measure(method, rows, k, n_boot)
            if r["status"] != "ok":
                print(f"{rows:>10,} {method:<17} {'-':>8} {'-':>9} {'-':>11}  {r['status']}")
                continue
            print(f"{rows:>10,} {method:<17} {r['seconds']:8.2f} {r['traced_mb']!s:>9} "
                  f"{r['peak_mb']!s:>11}  n {r['n']:,}, R² {r['r2']}, {r['top']}",
                  flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                               int(sys.argv[5]))))
    else:
        main(sys.argv[1:])
