"""Benchmark: read and quality-check 1,000,000 responses to a 40-question survey.

Run with ``.venv/bin/python benchmarks/bench_responses.py [rows]``. Each measurement runs
in a fresh process so peak memory (max RSS) belongs to that step alone. Targets from the
responses issue: under 15 s and under 3 GB. Reading in parts (``iter_responses``) shows
the memory a file of any size needs. The peer is plain ``pandas.read_csv`` /
``pandas.read_parquet`` of the same file, measured in the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

N_ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def make_survey() -> dict[str, object]:
    qs: list[dict[str, object]] = [{"use": "nps"}]
    for i in range(1, 40):
        kind = ("likert", "single_choice", "number", "likert", "text")[i % 5]
        q: dict[str, object] = {"id": f"q{i}", "type": kind,
                                "label": {"nl": f"Vraag {i}", "en": f"Question {i}"}}
        if kind == "likert":
            q["scale"] = "agree5"
        elif kind == "single_choice":
            q["choices"] = "channel"
        elif kind == "number":
            q.update({"min": 0, "max": 365})
        if i % 7 == 0:
            q["relevant"] = "${nps} <= 6"
        qs.append(q)
    return {"kind": "survey", "id": "bench", "version": "1", "audience": "customer",
            "title": {"nl": "B", "en": "B"}, "languages": ["nl", "en"],
            "purpose": {"nl": "Meten", "en": "Measuring"},
            "choice_lists": {"channel": [{"value": v, "label": {"nl": v, "en": v}}
                                         for v in ("phone", "web", "shop", "app")]},
            "blocks": [{"id": "b", "title": {"nl": "B", "en": "B"}, "questions": qs}]}


def make_data(survey: dict[str, object], n: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    cols: dict[str, object] = {"respondent_id": np.char.add("r", np.arange(n).astype(str)),
                               "duration_s": rng.gamma(4, 60, n).round(1)}
    nps = rng.integers(0, 11, n)
    cols["nps"] = nps
    words = np.array(["snel geholpen", "te lang gewacht", "prima", "asdf", "vriendelijk"])
    for q in survey["blocks"][0]["questions"][1:]:  # type: ignore[index]
        kind = q["type"]
        if kind == "likert":
            v = rng.integers(1, 6, n).astype(float)
        elif kind == "single_choice":
            v = rng.choice(np.array(["phone", "web", "shop", "app"]), n).astype(object)
        elif kind == "number":
            v = rng.integers(0, 400, n).astype(float)
        else:
            v = rng.choice(words, n).astype(object)
        series = pd.Series(v)
        if "relevant" in q:
            series[nps > 6] = None
        cols[q["id"]] = series
    return pd.DataFrame(cols)


STEP = """
import json, resource, sys, time
t = time.perf_counter()
import cxresearch as cx
from cxresearch.data import read_responses, quality_report
import pandas as pd
survey = cx.load_instrument(sys.argv[2])
mode, path = sys.argv[1], sys.argv[3]
if mode == "peer-csv":
    n = len(pd.read_csv(path, dtype=str))
elif mode == "peer-parquet":
    n = len(pd.read_parquet(path))
elif mode == "parts":
    from cxresearch.data import iter_responses
    n = 0
    for part in iter_responses(path, survey, chunk_rows=100_000):
        report = quality_report(part, speeder_seconds=60)
        n += len(part)
else:
    r = read_responses(path, survey)
    t_read = time.perf_counter() - t
    report = quality_report(r)
    n = len(r)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, survey: Path, data: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", STEP, mode, str(survey), str(data)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    spec = make_survey()
    with tempfile.TemporaryDirectory() as tmp:
        survey = Path(tmp) / "bench.yaml"
        survey.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        start = time.perf_counter()
        frame = make_data(spec, N_ROWS)
        csv, parquet = Path(tmp) / "r.csv", Path(tmp) / "r.parquet"
        frame.to_csv(csv, index=False)
        frame.to_parquet(parquet, index=False)
        print(f"{N_ROWS:,} responses x 40 questions; CSV {csv.stat().st_size / 1e6:.0f} MB, "
              f"Parquet {parquet.stat().st_size / 1e6:.0f} MB "
              f"(made in {time.perf_counter() - start:.0f} s)")
        for label, mode, path in [("read_responses + quality_report, CSV", "ours", csv),
                                  ("peer: pandas.read_csv(dtype=str)", "peer-csv", csv),
                                  ("read_responses + quality_report, Parquet", "ours", parquet),
                                  ("peer: pandas.read_parquet", "peer-parquet", parquet),
                                  ("iter_responses (100,000 rows a part) + quality, CSV",
                                   "parts", csv),
                                  ("iter_responses (100,000 rows a part) + quality, Parquet",
                                   "parts", parquet)]:
            res = run(mode, survey, path)
            print(f"  {label:58} {res['seconds']:6.1f} s   peak {res['peak_mb'] / 1024:5.2f} GB")


if __name__ == "__main__":
    main()
