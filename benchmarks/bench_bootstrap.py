"""Benchmark: bootstraps of NPS and of a mean, ours against pingouin's ``compute_bootci``.

Run with ``.venv/bin/python benchmarks/bench_bootstrap.py [rows ...]`` (default 100,000
and 1,000,000 rows). pingouin is an optional peer: ``pip install "cxresearch[bench]"``.

Every measurement runs in a fresh process with its address space limited to 8 GB
(``RLIMIT_AS``), so an out-of-memory shows up as a line in the table instead of taking
the machine down, and the peak memory (max RSS) belongs to that step alone. The data are
the same in every process (fixed seed):

* ``ours: nps count``: ``nps(answers, method="bootstrap")``: tabulate the raw 0-10
  answers and resample the three category counts (issue target: 10,000 resamples of
  1,000,000 answers in under 0.5 s);
* ``ours: mean chunked``: ``chunked_bootstrap(values, np.mean)``: rows resampled in
  chunks of about 4 million numbers;
* ``pingouin: nps`` / ``pingouin: mean``: ``compute_bootci`` of the mean of the
  answers coded -1/0/+1 (that mean is the NPS), and of the values, with
  ``method="percentile"`` (like ours) and the same number of resamples.

The numbers are printed, not asserted.
"""

from __future__ import annotations

import json
import sys
import time

from _child import run_child

LIMIT_BYTES = 8 << 30
TASKS = ("ours: nps count", "ours: mean chunked", "pingouin: nps", "pingouin: mean")
PEERS = {"pingouin: nps": "ours: nps count", "pingouin: mean": "ours: mean chunked"}


def child(task: str, rows: int, n_boot: int) -> dict[str, object]:
    """Run one measurement in this (fresh, memory-limited) process."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    import numpy as np
    import scipy.stats  # noqa: F401  (imports are not part of any timing)

    import cxresearch.stats._nps  # noqa: F401

    rng = np.random.default_rng(2024)
    answers = rng.choice(11, size=rows, p=[.04, .02, .02, .03, .04, .06, .09, .15, .2,
                                           .17, .18])
    values = rng.gamma(2.0, 15.0, size=rows)
    try:
        if task == "ours: nps count":
            from cxresearch.stats import nps

            start = time.perf_counter()
            result = nps(answers, method="bootstrap", n_boot=n_boot, seed=1)
            interval = (result.ci_low, result.ci_high)
        elif task == "ours: mean chunked":
            from cxresearch.stats._bootstrap import chunked_bootstrap

            start = time.perf_counter()
            boot = chunked_bootstrap(values, np.mean, n_boot=n_boot, seed=1)
            interval = (boot.low, boot.high)
        else:
            try:
                import pingouin
            except ImportError:
                return {"status": 'pingouin not installed (pip install "cxresearch[bench]")'}
            data = (np.where(answers >= 9, 100.0, np.where(answers >= 7, 0.0, -100.0))
                    if task == "pingouin: nps" else values)
            start = time.perf_counter()
            ci = pingouin.compute_bootci(data, func="mean", n_boot=n_boot, seed=1,
                                         method="percentile", decimals=6)
            interval = (float(ci[0]), float(ci[1]))
        seconds = time.perf_counter() - start
    except MemoryError:
        status = "out of memory"
    else:
        status = "ok"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out: dict[str, object] = {"status": status, "peak_mb": round(peak_mb)}
    if status == "ok":
        out.update({"seconds": seconds, "interval": [round(v, 3) for v in interval]})
    return out


def measure(task: str, rows: int, n_boot: int) -> dict[str, object]:
    return run_child(__file__, task, rows, n_boot)


def main(argv: list[str]) -> None:
    rows_list = [int(a.replace(",", "").replace("_", "")) for a in argv] or \
        [100_000, 1_000_000]
    print(f"bootstrap benchmark: each line a fresh process, address space limited to "
          f"{LIMIT_BYTES >> 30} GB")
    print(f"{'rows':>10} {'resamples':>9}  {'task':<20} {'seconds':>8} {'peak MB':>8} "
          f"{'peer/ours':>9}  interval / status")
    for rows in rows_list:
        for n_boot in (2_000, 10_000):
            timings: dict[str, float] = {}
            for task in TASKS:
                r = measure(task, rows, n_boot)
                seconds = r.get("seconds")
                ratio = ""
                if isinstance(seconds, float):
                    timings[task] = seconds
                    ours = timings.get(PEERS.get(task, ""))
                    if ours:
                        ratio = f"{seconds / ours:,.1f}x"
                shown = f"{seconds:8.3f}" if isinstance(seconds, float) else f"{'-':>8}"
                peak = r.get("peak_mb", "-")
                detail = r["interval"] if r["status"] == "ok" else r["status"]
                print(f"{rows:>10,} {n_boot:>9,}  {task:<20} {shown} {peak!s:>8} "
                      f"{ratio:>9}  {detail}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        main(sys.argv[1:])
