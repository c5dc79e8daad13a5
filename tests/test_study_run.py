"""`cxresearch run`: a study's notebooks executed into reports with a run record
(cxresearch.study.runner). The full run of the insurer example is shared (conftest)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from conftest import copy_study
from cxresearch.errors import CxResearchError
from cxresearch.study.runner import run_study

ROOT = Path(__file__).resolve().parents[1]


def record_of(result: Any) -> dict[str, Any]:
    return json.loads((result.output / "run.json").read_text(encoding="utf-8"))


def test_the_run_executes_every_notebook_and_writes_reports(insurer_run: Any) -> None:
    r = insurer_run
    assert r.ok, r.summary()
    assert [n.status for n in r.notebooks] == ["ok"] * len(r.notebooks)
    assert {n.name for n in r.notebooks} >= {"06_report.ipynb"}
    client = r.client_report.read_text(encoding="utf-8")
    researcher = r.researcher_report.read_text(encoding="utf-8")
    assert "hl-ipython3" not in client and "hl-ipython3" in researcher  # code only there
    assert "data:image/png;base64" in client  # figures embedded: it opens offline
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", client)  # nothing fetched
    assert (r.output / "index.html").exists() and (r.output / "findings.jsonl").exists()


def test_the_run_record(insurer_run: Any) -> None:
    record = record_of(insurer_run)
    for key in ("run_id", "study", "started", "finished", "parameters", "inputs", "versions",
                "python", "git_commit", "git_clean", "seed", "exclusions", "deviations",
                "notebooks", "changed_since_last_run"):
        assert key in record, key
    files = {i["file"]: i["sha256"] for i in record["inputs"]}
    assert "data/raw/customers-wave1.csv" in files and len(files["study.yaml"]) == 64
    assert record["parameters"]["lang"] == "en" and record["exclusions"]
    assert all(n["status"] == "ok" and n["seconds"] > 0 for n in record["notebooks"])
    assert record["versions"]["pandas"] and record["ok"] is True
    # the notebooks used the planned tests: no "test changed" deviation
    assert not [d for d in record["deviations"] if d["kind"] == "test_changed"], \
        record["deviations"]


def test_findings_are_logged_in_the_study(insurer_run: Any) -> None:
    from cxresearch.study.findings import read_findings

    mine = read_findings(insurer_run.output / "findings.jsonl")
    assert mine and all(f["run_id"] == "first" for f in mine)
    log = read_findings(insurer_run.study / "findings-log.jsonl")
    assert [f["evidence"] for f in log if f["run_id"] == "first"] == \
        [f["evidence"] for f in mine]
    for f in mine:
        assert {"nl", "en"} <= set(f["statement"]) and f["verdict"]["conclusion"]


def test_a_rerun_gives_the_same_numbers(insurer_run: Any) -> None:
    from cxresearch.study.findings import read_findings

    again = run_study(insurer_run.study, reports=insurer_run.output.parent.parent,
                      run_id="second", progress=False, pdf=False)
    assert again.ok, again.summary()
    first = read_findings(insurer_run.output / "findings.jsonl")
    second = read_findings(again.output / "findings.jsonl")
    assert [f["evidence"] for f in second] == [f["evidence"] for f in first]
    assert record_of(again)["changed_since_last_run"] == []  # the same inputs
    assert record_of(again)["previous_run"] == "first"


def test_a_report_folder_that_exists_is_not_overwritten(insurer_run: Any) -> None:
    with pytest.raises(CxResearchError, match="exists; nothing was overwritten"):
        run_study(insurer_run.study, reports=insurer_run.output.parent.parent,
                  run_id="first", progress=False)


def test_a_study_without_a_plan(tmp_path: Path) -> None:
    study = copy_study("insurer-claims", tmp_path)
    (study / "study.yaml").unlink()
    with pytest.raises(CxResearchError, match="has no study.yaml"):
        run_study(study, reports=tmp_path / "reports", progress=False)


def _notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('study = "."\nlang = "en"\nseed = 1\nrun_dir = None')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


def test_a_notebook_that_raises_stops_the_run_and_keeps_what_ran(tmp_path: Path) -> None:
    study = copy_study("webshop-delivery", tmp_path)
    books = tmp_path / "books"
    books.mkdir()
    _notebook(books / "a_fine.ipynb", "print('fine')")
    _notebook(books / "b_broken.ipynb", "x = 1", "raise ValueError('the data are odd')")
    _notebook(books / "c_later.ipynb", "print('never')")
    plan = (study / "study.yaml").read_text(encoding="utf-8")
    plan = re.sub(r"notebooks:\n(?:\s+- .*\n)+",
                  "notebooks:\n  - a_fine.ipynb\n  - b_broken.ipynb\n  - c_later.ipynb\n", plan)
    (study / "study.yaml").write_text(plan, encoding="utf-8")
    result = run_study(study, reports=tmp_path / "reports", notebooks_dir=books,
                       progress=False, pdf=False)
    assert not result.ok
    assert [n.status for n in result.notebooks] == ["ok", "failed", "not run"]
    failed = result.notebooks[1]
    # cells counted as in the kept notebook (the run's injected parameters are cell 2)
    assert "cell 4" in failed.error and "ValueError: the data are odd" in failed.error
    assert "raise ValueError(" in failed.error  # the cell's first line, to find it
    assert (result.output / "notebooks" / "b_broken.ipynb").exists()  # what ran is kept
    assert "the run stopped: notebook b_broken.ipynb" in result.summary()
    record = record_of(result)
    assert record["ok"] is False and record["notebooks"][2]["status"] == "not run"


def test_a_changed_data_file_is_said(insurer_run: Any, tmp_path: Path) -> None:
    study = copy_study("webshop-delivery", tmp_path)
    reports = tmp_path / "reports"
    books = tmp_path / "books"
    books.mkdir()
    _notebook(books / "only.ipynb", "print('ok')")
    plan = (study / "study.yaml").read_text(encoding="utf-8")
    plan = re.sub(r"notebooks:\n(?:\s+- .*\n)+", "notebooks:\n  - only.ipynb\n", plan)
    (study / "study.yaml").write_text(plan, encoding="utf-8")
    run_study(study, reports=reports, notebooks_dir=books, run_id="one", progress=False,
              pdf=False)
    employees = study / "data" / "raw" / "employees.csv"
    employees.write_bytes(employees.read_bytes() + b"\n")
    later = run_study(study, reports=reports, notebooks_dir=books, run_id="two",
                      progress=False, pdf=False)
    assert record_of(later)["changed_since_last_run"] == ["data/raw/employees.csv"]
    assert any("changed since the last run" in n for n in later.notes)


def test_a_notebook_without_the_parameters(tmp_path: Path) -> None:
    study = copy_study("webshop-delivery", tmp_path)
    books = tmp_path / "books"
    books.mkdir()
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('study = "."')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params]
    nbformat.write(nb, books / "only.ipynb")
    plan = (study / "study.yaml").read_text(encoding="utf-8")
    plan = re.sub(r"notebooks:\n(?:\s+- .*\n)+", "notebooks:\n  - only.ipynb\n", plan)
    (study / "study.yaml").write_text(plan, encoding="utf-8")
    with pytest.raises(CxResearchError, match="the parameters cell does not set lang"):
        run_study(study, reports=tmp_path / "reports", notebooks_dir=books, progress=False)
    assert not (tmp_path / "reports").exists()  # refused before anything was written
