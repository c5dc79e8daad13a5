"""The notebook templates run on every example study, not only the one they were written for.

A template that claims to work on any study says so in its metadata
(``"cxresearch": {"any_study": true}``); its parameters cell names the study it was written
for (``study = "../surveys/<name>"``). Each such template runs here with papermill on the
other example studies (``study=...``, ``lang="en"``), and must finish without an error
output: it reads the study's own files and says what the study lacks (no second wave, no
transcripts, no contact log) instead of failing. nbval runs every template on its own
study, and tests/test_notebooks_nl.py in Dutch.

The runs are independent processes, started together (as many at a time as the machine
has cores), so the file takes about a minute on two cores.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STUDIES = ("insurer-claims", "webshop-delivery", "recruitment-agency")
TIMEOUT = 300  # seconds for one notebook run


def written_for(notebook: Path) -> str:
    """The study named by the ``study = ...`` line of the notebook's parameters cell."""
    nb = nbformat.read(str(notebook), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "study"
                                                for t in node.targets):
            return Path(ast.literal_eval(node.value)).name
    raise AssertionError(f"{notebook.name}: the parameters cell sets no study")


def any_study_templates() -> list[Path]:
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if ".present." in path.name:
            continue
        meta = nbformat.read(str(path), as_version=4).metadata.get("cxresearch", {})
        if meta.get("any_study"):
            found.append(path)
    return found


CASES = [(nb.name, study) for nb in any_study_templates() for study in STUDIES
         if study != written_for(nb)]


def test_templates_claim_any_study() -> None:
    names = {name for name, _ in CASES}
    assert {"02_prepare_responses.ipynb", "03_journey_map.ipynb", "03_peak_end.ipynb",
            "04_did_it_make_a_difference.ipynb", "05_interviews.ipynb"} <= names


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, object]]:
    """Every (template, study) run, started together; per run: output notebook, return
    code, stderr tail and seconds."""
    pytest.importorskip("papermill")
    out = tmp_path_factory.mktemp("notebooks-studies")

    def run(case: tuple[str, str]) -> dict[str, object]:
        name, study = case
        target = out / f"{Path(name).stem}.{study}.ipynb"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "papermill", str(NOTEBOOKS / name), str(target),
             "-p", "study", f"../surveys/{study}", "-p", "lang", "en",
             "--cwd", str(NOTEBOOKS), "--kernel", "python3", "--no-progress-bar",
             "--execution-timeout", str(TIMEOUT)],
            capture_output=True, text=True, timeout=TIMEOUT + 60, check=False,
            env={**os.environ, "MPLBACKEND": "Agg"})
        return {"output": target, "returncode": done.returncode,
                "stderr": done.stderr[-3000:], "seconds": time.perf_counter() - started}

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        return dict(zip(CASES, pool.map(run, CASES)))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "study"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_template_runs_on_another_study(runs: dict[tuple[str, str], dict[str, object]],
                                        name: str, study: str) -> None:
    result = runs[(name, study)]
    assert result["returncode"] == 0, result["stderr"]
    nb = json.loads(Path(str(result["output"])).read_text(encoding="utf-8"))
    errors = [o for c in nb["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and f"../surveys/{study}" in "".join(injected[0]["source"])
