"""Benchmark: validate and export a 2,000-question instrument; time ``import cxresearch``.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_instruments.py``).
Targets from the foundation issue: validate + export under 2 s, import under 0.5 s.
The peer is pyxform, the reference XLSForm converter: it converts the same form in the
same run, so the ratio says how our full path (read YAML, validate every reference and
expression, write the .xlsx) compares with pyxform's conversion of that .xlsx alone.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

N_QUESTIONS = 2000
REPEATS = 5


def make_instrument(n: int) -> dict[str, object]:
    """A realistic mix: every question type, skip logic on a third, 20 per block."""
    kinds = ["rating", "single_choice", "multiple_choice", "likert", "number", "text",
             "date", "ranking", "likert_matrix", "text"]
    blocks = []
    questions: list[dict[str, object]] = []
    for i in range(n):
        qtype = kinds[i % len(kinds)]
        q: dict[str, object] = {"id": f"q{i}", "type": qtype, "required": i % 3 == 0,
                                "label": {"nl": f"Vraag {i}: hoe was het contactmoment?",
                                          "en": f"Question {i}: how was the touchpoint?"}}
        if qtype in ("single_choice", "multiple_choice", "ranking"):
            q["choices"] = "channel"
        if qtype == "likert":
            q["scale"] = "agree5"
        if qtype == "likert_matrix":
            q["scale"] = "agree5"
            q["items"] = [{"id": f"q{i}_{k}", "label": {"nl": f"Stelling {k}",
                                                        "en": f"Statement {k}"}}
                          for k in range(3)]
        if qtype == "number":
            q["min"], q["max"] = 0, 365
        if i % 3 == 1 and i >= 10:
            ref = i - 9  # a rating question (i - 9 ≡ 0 mod 10 when i ≡ 9) or any earlier one
            prev = kinds[ref % len(kinds)]
            if prev == "rating":
                q["relevant"] = f"${{q{ref}}} <= 6"
            elif prev in ("single_choice", "multiple_choice"):
                q["relevant"] = f"selected(${{q{ref}}}, 'phone')"
            elif prev in ("number", "likert"):
                q["relevant"] = f"${{q{ref}}} >= 3"
            elif prev == "ranking":  # LimeSurvey has no test for "ranked at all": use the date
                q["relevant"] = f"${{q{ref - 1}}} != ''"
            elif prev == "likert_matrix":
                q["relevant"] = f"${{q{ref}_0}} >= 4"
            else:
                q["relevant"] = f"${{q{ref}}} != ''"
        questions.append(q)
        if len(questions) == 20:
            blocks.append({"id": f"b{len(blocks)}", "title": {"nl": "Blok", "en": "Block"},
                           "questions": questions})
            questions = []
    if questions:
        blocks.append({"id": f"b{len(blocks)}", "title": {"nl": "Blok", "en": "Block"},
                       "questions": questions})
    return {
        "kind": "survey", "id": "bench", "version": "1", "audience": "customer",
        "title": {"nl": "Benchmark", "en": "Benchmark"}, "languages": ["nl", "en"],
        "purpose": {"nl": "Meten", "en": "Measuring"},
        "choice_lists": {"channel": [
            {"value": v, "label": {"nl": v, "en": v}} for v in ("phone", "web", "shop", "app")]},
        "blocks": blocks,
    }


def best(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def import_time() -> tuple[float, float]:
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    base = [run("pass") for _ in range(REPEATS)]
    full = [run("import cxresearch") for _ in range(REPEATS)]
    return min(full) - min(base), statistics.median(full) - statistics.median(base)


def main() -> None:
    import cxresearch as cx
    from cxresearch.instrument.limesurvey import to_limesurvey
    from cxresearch.instrument.render import to_html
    from cxresearch.instrument.xlsform import xlsform_bytes, xlsform_sheets
    from pyxform.xls2xform import convert

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.yaml"
        src.write_text(yaml.safe_dump(make_instrument(N_QUESTIONS), allow_unicode=True),
                       encoding="utf-8")
        inst = cx.load_instrument(src)
        n_bytes = src.stat().st_size
        n_fields = len(inst.field_ids())
        xlsx = Path(tmp) / "bench.xlsx"

        def validate() -> object:
            return cx.load_instrument(src)

        def export_xlsform() -> object:
            return xlsx.write_bytes(xlsform_bytes(xlsform_sheets(inst)))

        def validate_and_export() -> object:
            i = cx.load_instrument(src)
            xlsx.write_bytes(xlsform_bytes(xlsform_sheets(i)))
            to_limesurvey(i)
            return to_html(i, "nl")

        export_xlsform()

        def peer() -> object:
            return convert(str(xlsx), validate=False)

        rows = [
            ("validate (read YAML + all checks)", best(validate)),
            ("export XLSForm (.xlsx)", best(export_xlsform)),
            ("export LimeSurvey (.txt)", best(lambda: to_limesurvey(inst))),
            ("export HTML (nl)", best(lambda: to_html(inst, "nl"))),
            ("validate + XLSForm + LimeSurvey + HTML", best(validate_and_export)),
            ("peer: pyxform converts the same .xlsx", best(peer)),
        ]
    print(f"instrument: {N_QUESTIONS} questions, {n_fields} answer fields, "
          f"{n_bytes:,} bytes of YAML; best and median of {REPEATS}")
    for name, (b, m) in rows:
        print(f"  {name:42} {b:7.3f} s  (median {m:.3f} s)")
    ours = rows[0][1][0] + rows[1][1][0]
    print(f"  ratio (validate + XLSForm export) / pyxform conversion: {ours / rows[-1][1][0]:.2f}")
    imp_best, imp_median = import_time()
    print(f"import cxresearch: {imp_best:.3f} s (median {imp_median:.3f} s), over a bare "
          "interpreter start")
    target_ok = rows[4][1][0] < 2.0 and imp_best < 0.5
    print("targets (< 2 s, < 0.5 s):", "met" if target_ok else "NOT met")


if __name__ == "__main__":
    main()
