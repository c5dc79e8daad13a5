"""Findings: recorded in a notebook, appended to the run, read back, logged per study."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch import stats
from cxresearch.journey import load_journey
from cxresearch.study import findings as fmod
from cxresearch.study.findings import (FINDINGS_FILE, FORMAT, LOG_FILE, RUN_DIR_ENV,
                                       FindingsError, append_to_log,
                                       clear_findings_in_memory, finding, findings_in_memory,
                                       findings_table, read_findings, run_id_of)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def verdict() -> stats.Verdict:
    """A clear rise of 0.6 on a 1-5 scale, 300 answers per wave (seeded)."""
    rng = np.random.default_rng(20261203)
    frame = pd.DataFrame({
        "wave": ["before"] * 300 + ["after"] * 300,
        "sat_call": np.concatenate([rng.normal(3.3, 1, 300), rng.normal(3.9, 1, 300)])})
    return stats.compare(frame, "sat_call", "wave", before="before", after="after",
                         sesoi=0.3)


@pytest.fixture(scope="module")
def share() -> stats.Verdict:
    """A share that rises from 30% to 48% (a proportion: shown in percentage points)."""
    frame = pd.DataFrame({"wave": ["before"] * 200 + ["after"] * 200,
                          "settled": [1] * 60 + [0] * 140 + [1] * 96 + [0] * 104})
    return stats.compare(frame, "settled", "wave", before="before", after="after",
                         sesoi=0.1)


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RUN_DIR_ENV, raising=False)
    clear_findings_in_memory()


def _run_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "run-1") -> Path:
    run = tmp_path / "reports" / name
    run.mkdir(parents=True)
    monkeypatch.setenv(RUN_DIR_ENV, str(run))
    return run


# -- recording ----------------------------------------------------------------------------
def test_a_finding_carries_the_verdict_and_its_evidence(verdict: stats.Verdict) -> None:
    record = finding(verdict, hypothesis="h1_first_call", touchpoint="first_call",
                     metric="touchpoint_satisfaction", quotes=["Q-c01-t0010"],
                     notebook="04_did_it_make_a_difference.ipynb")
    assert record["format"] == FORMAT and record["run_id"] is None
    assert record["statement"] == {"nl": verdict.verdict("nl"), "en": verdict.verdict("en")}
    assert record["verdict"] == {"conclusion": verdict.conclusion,
                                 "text": {"nl": verdict.verdict("nl"),
                                          "en": verdict.verdict("en")}}
    assert record["evidence"] == {
        "metric": "touchpoint_satisfaction", "outcome": "sat_call", "touchpoint": "first_call",
        "test": "mean", "estimate": verdict.estimate, "ci_low": verdict.ci_low,
        "ci_high": verdict.ci_high, "level": 0.95, "p_value": verdict.p_value,
        "n": verdict.n, "method": verdict.method, "sesoi": 0.3}
    assert record["quotes"] == ["Q-c01-t0010"] and record["hypothesis"] == "h1_first_call"
    assert record["notebook"] == "04_did_it_make_a_difference.ipynb"
    assert record["time"].endswith("+00:00") and record["id"].startswith("F-memory-")


def test_the_metric_defaults_to_the_test_and_a_statement_can_be_given(
        verdict: stats.Verdict) -> None:
    record = finding(verdict, statement={"nl": "Het gesprek werd beter gewaardeerd.",
                                         "en": "The call was rated higher."})
    assert record["evidence"]["metric"] == record["evidence"]["test"] == "mean"
    assert record["statement"]["nl"] == "Het gesprek werd beter gewaardeerd."


def test_without_a_run_folder_findings_stay_in_memory_and_it_says_so_once(
        verdict: stats.Verdict, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING, logger="cxresearch.study.findings"):
        first = finding(verdict)
        second = finding(verdict, touchpoint="first_call")
    assert [r.getMessage() for r in caplog.records] == [
        f"finding kept in memory only: {RUN_DIR_ENV} is not set (this notebook is not run by "
        "'cxresearch run'); findings_in_memory() lists them"]
    assert findings_in_memory() == [first, second]
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_in_a_run_each_finding_is_one_appended_json_line(
        verdict: stats.Verdict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    run = _run_dir(tmp_path, monkeypatch)
    with caplog.at_level(logging.WARNING):
        first = finding(verdict, hypothesis="h1")
    written = (run / FINDINGS_FILE).read_bytes()
    second = finding(verdict, hypothesis="h2")
    after = (run / FINDINGS_FILE).read_bytes()
    assert after.startswith(written)  # the earlier line is never rewritten
    lines = after.decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [first, second]
    assert first["run_id"] == "run-1" and first["id"].startswith("F-run-1-")
    assert first["id"] != second["id"]
    assert caplog.records == []  # nothing to say: the findings were written


def test_the_run_id_comes_from_run_json(verdict: stats.Verdict, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run_dir(tmp_path, monkeypatch, "20261123T101500Z-en")
    assert run_id_of(run) == "20261123T101500Z-en"
    (run / "run.json").write_text(json.dumps({"run_id": "first"}), encoding="utf-8")
    assert run_id_of(run) == "first"
    assert finding(verdict)["run_id"] == "first"
    (run / "run.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(FindingsError, match=r"run\.json: cannot be read as JSON"):
        run_id_of(run)


def test_a_finding_without_an_interval_or_p_value_writes_null(
        verdict: stats.Verdict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    run = _run_dir(tmp_path, monkeypatch)
    bare = replace(verdict, result=replace(verdict.result, ci_low=float("nan"),
                                           ci_high=float("nan"), p_value=None))
    finding(bare)
    line = (run / FINDINGS_FILE).read_text(encoding="utf-8")
    assert "NaN" not in line
    evidence = json.loads(line)["evidence"]
    assert evidence["ci_low"] is None and evidence["ci_high"] is None
    assert evidence["p_value"] is None


@pytest.mark.parametrize("kwargs, message", [
    ({"statement": "The call got better."},
     r"statement must be a text in Dutch and English, \{'nl': \.\.\., 'en': \.\.\.\}"),
    ({"statement": {"en": "The call got better."}}, r"statement has no text in nl"),
    ({"quotes": ["c01-t0010"]}, r"quotes: 'c01-t0010' is not a quote id; quote ids look "
                                r"like 'Q-c01-t0010'"),
    ({"touchpoint": 3}, r"touchpoint must be text \(an id\); got int"),
])
def test_bad_arguments_are_refused_with_the_fix(verdict: stats.Verdict,
                                                kwargs: dict[str, object],
                                                message: str) -> None:
    with pytest.raises(FindingsError, match=message):
        finding(verdict, **kwargs)  # type: ignore[arg-type]
    assert findings_in_memory() == []


def test_only_a_verdict_makes_a_finding() -> None:
    with pytest.raises(FindingsError, match=r"verdict must be a Verdict from "
                                            r"cxresearch\.stats\.compare; got dict"):
        finding({"estimate": 0.5})


# -- reading -----------------------------------------------------------------------------
def _write_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               verdict: stats.Verdict) -> Path:
    run = _run_dir(tmp_path, monkeypatch)
    finding(verdict, hypothesis="h1")
    finding(verdict, hypothesis="h2")
    return run / FINDINGS_FILE


def test_a_last_line_cut_off_by_a_crash_is_skipped_and_named(
        verdict: stats.Verdict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    path = _write_two(tmp_path, monkeypatch, verdict)
    whole = path.read_text(encoding="utf-8")
    path.write_text(whole + whole.splitlines()[0][:57], encoding="utf-8")  # a crash mid-write
    with caplog.at_level(logging.WARNING, logger="cxresearch.study.findings"):
        found = read_findings(path)
    assert [f["hypothesis"] for f in found] == ["h1", "h2"]
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith(
        f"{path}:3: skipped an incomplete line (cut off mid-write, e.g. by a crash)")


def test_appending_after_a_crash_keeps_the_new_line_whole(
        verdict: stats.Verdict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    path = _write_two(tmp_path, monkeypatch, verdict)
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"format": "cxresearch-finding/1", "id": "F-run-1-')
    finding(verdict, hypothesis="h3")
    assert path.read_bytes().startswith(whole + b'{"format"')  # nothing earlier rewritten
    with caplog.at_level(logging.WARNING, logger="cxresearch.study.findings"):
        found = read_findings(path)
    assert [f["hypothesis"] for f in found] == ["h1", "h2", "h3"]
    assert ":3: skipped an incomplete line" in caplog.records[0].getMessage()


def test_a_complete_line_that_is_not_a_finding_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / FINDINGS_FILE
    path.write_text('{"id": "F-1"}\nthis is not json\n', encoding="utf-8")
    with pytest.raises(FindingsError, match=rf"{FINDINGS_FILE}:2: not a JSON line"):
        read_findings(path)
    path.write_text('{"id": "F-1"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(FindingsError, match=r":2: a finding must be a JSON object; got list"):
        read_findings(path)


def test_no_file_holds_no_findings(tmp_path: Path) -> None:
    assert read_findings(tmp_path / FINDINGS_FILE) == []
    assert read_findings(tmp_path) == []


# -- the study's log -----------------------------------------------------------------------
def test_a_run_is_appended_to_the_log_once(verdict: stats.Verdict, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    study = tmp_path / "study"
    study.mkdir()
    run1 = _run_dir(tmp_path, monkeypatch, "first")
    finding(verdict, hypothesis="h1")
    finding(verdict, hypothesis="h2")
    log = append_to_log(study, run1)
    assert log == study / LOG_FILE
    logged = read_findings(log)
    assert [(f["run_id"], f["hypothesis"]) for f in logged] == [("first", "h1"),
                                                                ("first", "h2")]
    assert all(f["logged"] for f in logged)
    before = log.read_bytes()
    with pytest.raises(FindingsError, match=r"run 'first' was appended already .*a run goes "
                                            r"into the log once \(nothing was written\)"):
        append_to_log(study, run1)
    assert log.read_bytes() == before

    run2 = _run_dir(tmp_path, monkeypatch, "second")
    finding(verdict, hypothesis="h1")
    append_to_log(study, run2)
    assert log.read_bytes().startswith(before)  # earlier runs are never rewritten
    assert [f["run_id"] for f in read_findings(log)] == ["first", "first", "second"]


def test_a_run_without_findings_adds_nothing(tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    study, run = tmp_path / "study", tmp_path / "run"
    study.mkdir()
    run.mkdir()
    with caplog.at_level(logging.WARNING, logger="cxresearch.study.findings"):
        log = append_to_log(study, run)
    assert not log.exists()
    assert "recorded no findings; nothing appended" in caplog.records[0].getMessage()


def test_the_log_needs_a_study_folder(tmp_path: Path) -> None:
    with pytest.raises(FindingsError, match=r"is not a study folder; give the folder that "
                                            r"holds study\.yaml \(nothing was written\)"):
        append_to_log(tmp_path / "missing", tmp_path)


# -- for reports -----------------------------------------------------------------------------
def test_the_table_shows_each_finding_in_the_readers_language(
        verdict: stats.Verdict, share: stats.Verdict) -> None:
    records = [finding(verdict, touchpoint="first_call"),
               finding(share, touchpoint="first_call",
                       statement={"nl": "Vaker in één keer goed.", "en": "More often right "
                                  "the first time."})]
    journey = load_journey(ROOT / "surveys" / "insurer-claims" / "journey.yaml")
    en = findings_table(records, "en", journey=journey)
    nl = findings_table(records, "nl")
    assert list(en.columns) == ["statement", "conclusion", "estimate", "n", "touchpoint"]
    assert en["statement"].tolist() == [verdict.verdict("en"), "More often right the first time."]
    assert nl["statement"].tolist() == [verdict.verdict("nl"), "Vaker in één keer goed."]
    low, high = verdict.ci_low, verdict.ci_high
    assert en.loc[0, "estimate"] == f"+{verdict.estimate:.2f} ({low:.2f} to {high:.2f})"
    assert nl.loc[0, "estimate"] == (f"+{verdict.estimate:.2f} ({low:.2f} tot {high:.2f})"
                                     .replace(".", ","))
    # a share is shown in percentage points, as its verdict says it: 30% -> 48%
    assert en.loc[1, "estimate"].startswith("+18.0 (")
    assert en["conclusion"].tolist() == ["clear improvement", "improvement"]
    assert nl["conclusion"].tolist() == ["duidelijke verbetering", "verbetering"]
    assert en["n"].tolist() == [600, 400]
    assert en["touchpoint"].tolist() == [journey.label("first_call", "en")] * 2
    assert nl["touchpoint"].tolist() == ["first_call"] * 2
    assert nl.attrs["headings"]["statement"] == "bevinding"


def test_the_table_reads_a_file(verdict: stats.Verdict, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write_two(tmp_path, monkeypatch, verdict)
    table = findings_table(path, "en")
    assert len(table) == 2 and table["conclusion"].tolist() == ["clear improvement"] * 2
    assert findings_table([], "nl").empty
    with pytest.raises(FindingsError, match=r"lang must be 'nl' or 'en'; got 'de'"):
        findings_table(path, "de")


def test_the_module_keeps_no_state_between_tests() -> None:
    assert fmod.findings_in_memory() == []
