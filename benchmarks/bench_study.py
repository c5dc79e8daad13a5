"""Time a whole study run: `cxresearch run` on a copy of an example study (default the
insurer), end to end and per notebook, in a fresh process. Target: under 90 s for the
insurer study on this project's 2-core machine.

    .venv/bin/python benchmarks/bench_study.py [study] [--lang nl|en] [--no-pdf]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _child import run_child

ROOT = Path(__file__).resolve().parents[1]


def measure(study: str, lang: str, pdf: bool) -> dict[str, object]:
    from cxresearch.study.runner import run_study

    work = Path(tempfile.mkdtemp(prefix="cx-bench-study-"))
    try:
        folder = work / study
        shutil.copytree(ROOT / "surveys" / study, folder,
                        ignore=shutil.ignore_patterns("clean", "findings-log.jsonl"))
        (folder / "data" / "clean").mkdir(exist_ok=True)
        started = time.perf_counter()
        result = run_study(folder, reports=work / "reports", lang=lang, progress=False, pdf=pdf)
        total = time.perf_counter() - started
        record = json.loads((result.output / "run.json").read_text(encoding="utf-8"))
        return {"total": total, "ok": result.ok,
                "notebooks": [(n["notebook"], n["seconds"], n["status"])
                              for n in record["notebooks"]]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # the measurement, in its own process
        study, lang, pdf = sys.argv[2], sys.argv[3], sys.argv[4] == "True"
        print(json.dumps(measure(study, lang, pdf)))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("study", nargs="?", default="insurer-claims")
    parser.add_argument("--lang", default="en", choices=["en", "nl"])
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    got = run_child(__file__, args.study, args.lang, not args.no_pdf)
    if "notebooks" not in got:
        sys.exit(f"the run did not finish: {got.get('status')}")
    print(f"study run benchmark: {args.study} ({args.lang}), a fresh process, "
          f"{'with' if not args.no_pdf else 'without'} the PDF")
    print(f"{'notebook':38} {'seconds':>8}  status")
    for name, seconds, status in got["notebooks"]:  # type: ignore[attr-defined]
        print(f"{name:38} {seconds:8.1f}  {status}")
    print(f"{'whole run (exports, notebooks, reports)':38} {got['total']:8.1f}  "
          f"{'ok' if got['ok'] else 'FAILED'}   target: under 90 s")
    sys.exit(0 if got["ok"] else 1)


if __name__ == "__main__":
    main()
