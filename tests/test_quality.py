"""quality_report: each check flags what it should, and nothing is dropped unless asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

import cxresearch as cx
from cxresearch.data import quality_report, read_responses


@pytest.fixture
def survey() -> cx.Instrument:
    return cx.load_instrument(ROOT / "surveys/insurer-claims/instruments/customer-survey.yaml")


def test_each_check_flags_its_row(tmp_path: Path, survey: cx.Instrument) -> None:
    # nps is required; nps_improve is asked only when nps <= 6 (see the instrument)
    relevant = survey.question("nps_improve").relevant
    assert relevant and "${nps}" in relevant
    path = tmp_path / "r.csv"
    path.write_text(
        "respondent_id,duration_s,nps,nps_improve,calls_count,three_words,report_channel\n"
        "a,600,9,should not be here,1,snel en goed,phone\n"      # not_asked
        "b,610,,,2,prima,phone\n"                                 # missing_required (nps)
        "c,20,3,beter bellen,1,ok,phone\n"                        # speeder
        "c,590,4,meer contact,1,asdfgh,phone\n"                   # duplicate_id, junk_text
        "e,605,8,,999,fijn,phone\n"                              # out_of_range (calls_count)
        "f,600,7,,1,goed,fax\n", encoding="utf-8")               # unreadable
    r = read_responses(path, survey)
    report = quality_report(r)
    got = {(row.respondent_id, row.check) for row in report.flags.itertuples()}
    assert ("a", "not_asked") in got and ("b", "missing_required") in got
    assert ("c", "speeder") in got and ("c", "duplicate_id") in got and ("c", "junk_text") in got
    assert ("f", "unreadable") in got
    assert survey.question("calls_count").max_value == 50
    assert ("e", "out_of_range") in got
    assert len(r.data) == 6  # flagged, not dropped
    kept = report.exclude(["speeder", "duplicate_id"])
    assert len(kept.data) == 4 and kept.exclusions[-1]["checks"] == ["speeder", "duplicate_id"]
    assert set(kept.exclusions[-1]["removed"]) == {"c"}
    with pytest.raises(ValueError, match="unknown check"):
        report.exclude(["speed"])


def test_simulated_quality_rates_are_found() -> None:
    survey = cx.load_instrument(ROOT / "surveys/insurer-claims/instruments/customer-survey.yaml")
    r = read_responses(ROOT / "surveys/insurer-claims/data/raw/customers-wave1.csv", survey)
    summary = quality_report(r).summary().set_index("check")
    # the simulator adds about 3% speeders and 0.5% duplicates (surveys/insurer-claims/README.md)
    assert 0.01 < summary.loc["speeder", "share_of_rows"] < 0.06
    assert summary.loc["duplicate_id", "rows"] >= 2
    assert summary.loc["missing_required", "rows"] == 0
