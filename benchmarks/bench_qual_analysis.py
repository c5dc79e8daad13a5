"""Benchmark: co-occurrence of codes, and Krippendorff's alpha ours against the
``krippendorff`` package.

Run with ``.venv/bin/python benchmarks/bench_qual_analysis.py [--segments N] [--codes K]
[--units U] [--coders C]`` (default 100,000 coded segments with 60 codes; alpha on
10,000 units x 5 coders). The ``krippendorff`` package is an optional peer:
``pip install "cxresearch[bench]"``.

Every measurement runs in a fresh process with its address space limited to 8 GB
(``RLIMIT_AS``), so an out-of-memory shows up as a line in the table instead of taking
the machine down. The data are the same in every process (fixed seed):

* ``cooccurrence``: ``cxresearch.qual.analysis.cooccurrence(codings, codebook)`` on N
  coded segments (one to three codes each, 1 to 4 per segment, codes drawn with
  unequal frequencies) in interviews of 200 segments, coded by one coder; building the
  Coding objects is not timed;
* ``ours: alpha``: ``cxresearch.stats.krippendorff_alpha(data, "nominal", n_boot=0)``
  on U units x C coders, 4 categories, about 15% of the codes missing;
* ``krippendorff: alpha``: ``krippendorff.alpha(reliability_data=data.T,
  level_of_measurement="nominal")`` on the same table.

The two alphas must agree to 1e-9 (printed as ``same alpha``). The numbers are printed,
not asserted.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from _child import run_child

LIMIT_BYTES = 8 << 30
TASKS = ("cooccurrence", "ours: alpha", "krippendorff: alpha")


def _alpha_data(units: int, coders: int) -> Any:
    import numpy as np

    rng = np.random.default_rng(2024)
    truth = rng.choice(4, size=units, p=[0.4, 0.3, 0.2, 0.1])
    codes = np.where(rng.random((units, coders)) < 0.8, truth[:, None],
                     rng.choice(4, size=(units, coders))).astype("float64")
    codes[rng.random((units, coders)) < 0.15] = np.nan
    return codes


def _codings(segments: int, k: int) -> tuple[Any, Any]:
    import numpy as np

    from cxresearch.qual.model import Code, Codebook, CodedSegment, Coding

    rng = np.random.default_rng(2024)
    ids = [f"code_{i:02d}" for i in range(k)]
    book = Codebook(tuple(Code(c, {"en": c}) for c in ids))
    weights = 1.0 / np.arange(1, k + 1)
    weights /= weights.sum()
    per = rng.integers(1, 4, size=segments)
    drawn = rng.choice(k, size=int(per.sum()), p=weights)
    codings, pos, per_file = [], 0, 200
    for start in range(0, segments, per_file):
        tid = f"t{start // per_file:05d}"
        applied = []
        for s in range(start, min(start + per_file, segments)):
            for c in drawn[pos:pos + per[s]]:
                applied.append(CodedSegment(f"{tid}:t{s - start + 1:04d}", ids[c]))
            pos += per[s]
        codings.append(Coding("ann", tid, "sha", tuple(applied)))
    return codings, book


def child(task: str, segments: int, k: int, units: int, coders: int) -> dict[str, object]:
    """Run one measurement in this (fresh, memory-limited) process."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    import numpy as np
    import pandas as pd
    import scipy.sparse  # noqa: F401  (imports are not part of any timing)

    out: dict[str, object] = {}
    try:
        if task == "cooccurrence":
            from cxresearch.qual.analysis import cooccurrence

            codings, book = _codings(segments, k)
            start = time.perf_counter()
            matrix = cooccurrence(codings, book)
            seconds = time.perf_counter() - start
            out["detail"] = (f"{matrix.attrs['n_applied']:,} codes applied, diagonal "
                             f"sum {int(np.trace(matrix.to_numpy())):,}")
        elif task == "ours: alpha":
            from cxresearch.stats import krippendorff_alpha

            data = pd.DataFrame(_alpha_data(units, coders))
            krippendorff_alpha(data.iloc[:50], "nominal", n_boot=0)  # warm-up
            start = time.perf_counter()
            result = krippendorff_alpha(data, "nominal", n_boot=0)
            seconds = time.perf_counter() - start
            out["alpha"] = result.estimate
        else:
            try:
                import krippendorff
            except ImportError:
                return {"status": 'krippendorff not installed (pip install '
                                  '"cxresearch[bench]")'}
            data = _alpha_data(units, coders)
            krippendorff.alpha(reliability_data=data[:50].T,
                               level_of_measurement="nominal")  # warm-up
            start = time.perf_counter()
            alpha = krippendorff.alpha(reliability_data=data.T,
                                       level_of_measurement="nominal")
            seconds = time.perf_counter() - start
            out["alpha"] = float(alpha)
    except MemoryError:
        return {"status": "out of memory"}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"status": "ok", "seconds": seconds, "peak_mb": round(peak_mb), **out}


def measure(task: str, segments: int, k: int, units: int, coders: int) -> dict[str, object]:
    return run_child(__file__, task, segments, k, units, coders)


def main(argv: list[str]) -> None:
    options = {"--segments": 100_000, "--codes": 60, "--units": 10_000, "--coders": 5}
    args = iter(argv)
    for arg in args:
        if arg not in options:
            raise SystemExit(f"unknown option {arg!r}; options: {', '.join(options)}")
        options[arg] = int(next(args).replace(",", "").replace("_", ""))
    segments, k = options["--segments"], options["--codes"]
    units, coders = options["--units"], options["--coders"]
    print(f"qual analysis benchmark: each line a fresh process, address space limited to "
          f"{LIMIT_BYTES >> 30} GB")
    print(f"{'task':<20} {'size':<28} {'seconds':>8} {'peak MB':>8} {'peer/ours':>9}  "
          f"result / status")
    results: dict[str, dict[str, object]] = {}
    for task in TASKS:
        r = results[task] = measure(task, segments, k, units, coders)
        size = (f"{segments:,} segments, {k} codes" if task == "cooccurrence"
                else f"{units:,} units x {coders} coders")
        seconds = r.get("seconds")
        shown = f"{seconds:8.3f}" if isinstance(seconds, float) else f"{'-':>8}"
        ratio = ""
        ours = results.get("ours: alpha", {}).get("seconds")
        if task == "krippendorff: alpha" and isinstance(seconds, float) \
                and isinstance(ours, float):
            ratio = f"{seconds / ours:,.1f}x"
        if r["status"] != "ok":
            detail = str(r["status"])
        elif "alpha" in r:
            detail = f"alpha {r['alpha']:.12f}"
        else:
            detail = str(r.get("detail", ""))
        print(f"{task:<20} {size:<28} {shown} {r.get('peak_mb', '-')!s:>8} {ratio:>9}  "
              f"{detail}", flush=True)
    a, b = results["ours: alpha"].get("alpha"), results["krippendorff: alpha"].get("alpha")
    if isinstance(a, float) and isinstance(b, float):
        same = abs(a - b) <= 1e-9
        print(f"same alpha (|difference| <= 1e-9): {'yes' if same else 'NO'} "
              f"(difference {abs(a - b):.1e})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], *map(int, sys.argv[3:7]))))
    else:
        main(sys.argv[1:])
