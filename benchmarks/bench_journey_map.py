"""Benchmark: the journey map with data for a million customer responses.

Run with ``.venv/bin/python benchmarks/bench_journey_map.py [rows] [--out PATH]``
(default 1,000,000 rows; target under 5 s for scoring plus drawing).

The insurer example's first wave (705 customers) is resampled with replacement (fixed
seed) to ``rows`` rows, all 67 columns, and wrapped as Responses with
``responses.with_data(...)``; the employees are the bundled 141. The benchmark times
separately

- scoring: ``touchpoint_scores`` (9 touchpoints, one group-by on n, sum and sum of
  squares each) plus ``enablement_scores``;
- drawing: ``journey_map(journey, responses, employees)`` minus that scoring, measured
  as the whole call and then the canvas draw (rendering to pixels);
- saving: ``save_figure`` to a PNG at 150 dpi.

The peak of memory allocated during the whole map call is traced with
:mod:`tracemalloc`, in a second run of the same call; ``peak RSS`` is the process's
maximum resident size (interpreter, libraries and the million rows included). The
numbers are printed, not asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "surveys" / "insurer-claims"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None, help="also keep the PNG here")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cxresearch.data import read_responses
    from cxresearch.journey import Journey
    from cxresearch.stats import enablement_scores, touchpoint_scores
    from cxresearch.viz import journey_map, save_figure

    journey = Journey.load(STUDY / "journey.yaml")
    wave = read_responses(STUDY / "data/raw/customers-wave1.csv",
                          STUDY / "instruments/customer-survey.yaml")
    employees = read_responses(STUDY / "data/raw/employees.csv",
                               STUDY / "instruments/employee-survey.yaml")
    t0 = time.perf_counter()
    big = wave.data.sample(n=args.rows, replace=True, random_state=1).reset_index(drop=True)
    responses = wave.with_data(big)
    build = time.perf_counter() - t0

    # warm up (not timed): scipy's import on the first interval, fonts and caches
    journey_map(journey, wave, employees).clear()
    plt.close("all")

    t0 = time.perf_counter()
    touchpoint_scores(responses)
    enablement_scores(employees)
    scoring = time.perf_counter() - t0

    t0 = time.perf_counter()
    fig = journey_map(journey, responses, employees)
    whole = time.perf_counter() - t0
    t0 = time.perf_counter()
    fig.canvas.draw()
    render = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        save_figure(fig, args.out or Path(tmp) / "map.png")
        saving = time.perf_counter() - t0
    plt.close(fig)

    tracemalloc.start()
    fig = journey_map(journey, responses, employees)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    plt.close(fig)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"journey map of '{journey.id}' with {args.rows:,} customer responses "
          f"({len(employees.data)} employees); building the rows took {build:.2f} s")
    print("| step | seconds |")
    print("|---|---:|")
    print(f"| scoring (touchpoint_scores + enablement_scores) | {scoring:.2f} |")
    print(f"| drawing (journey_map minus scoring) | {max(0.0, whole - scoring):.2f} |")
    print(f"| journey_map call, total | {whole:.2f} |")
    print(f"| rendering to pixels (canvas.draw) | {render:.2f} |")
    print(f"| scoring + drawing + rendering | {whole + render:.2f} |")
    print(f"| save_figure PNG 150 dpi (renders again) | {saving:.2f} |")
    print(f"peak traced during journey_map: {peak / 2**20:.0f} MB; "
          f"peak RSS: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
