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


def test_a_duplicate_keeps_its_first_submission(tmp_path: Path) -> None:
    survey = cx.load_instrument(ROOT / "surveys/insurer-claims/instruments/customer-survey.yaml")
    path = tmp_path / "r.csv"
    path.write_text("respondent_id,duration_s,nps\n"
                    "a,600,9\nb,610,3\na,605,9\na,590,9\nc,600,7\n", encoding="utf-8")
    report = quality_report(read_responses(path, survey))
    dup = report.flags[report.flags["check"] == "duplicate_id"]
    assert list(dup["row"]) == [2, 3]  # positions of the later copies, not the first answer
    assert list(dup["detail"]) == ["a (submission 2)", "a (submission 3)"]
    kept = report.exclude(["duplicate_id"])
    assert list(kept.data["respondent_id"]) == ["a", "b", "c"]


def test_simulated_quality_rates_are_found() -> None:
    survey = cx.load_instrument(ROOT / "surveys/insurer-claims/instruments/customer-survey.yaml")
    r = read_responses(ROOT / "surveys/insurer-claims/data/raw/customers-wave1.csv", survey)
    summary = quality_report(r).summary().set_index("check")
    # the simulator adds about 3% speeders and 0.5% duplicates (surveys/insurer-claims/README.md)
    assert 0.01 < summary.loc["speeder", "share_of_rows"] < 0.06
    assert summary.loc["duplicate_id", "rows"] >= 2
    assert summary.loc["missing_required", "rows"] == 0


def test_stacked_waves_keep_unreadable_cells_on_their_rows(tmp_path: Path) -> None:
    from cxresearch.data import Responses

    study = ROOT / "surveys" / "insurer-claims"
    survey = cx.load_instrument(study / "instruments" / "customer-survey.yaml")
    lines = (study / "data/raw/customers-wave2.csv").read_text(encoding="utf-8-sig").splitlines()
    column = lines[0].split(";").index("sat_call")
    cells = lines[10].split(";")
    cells[column] = "9"
    lines[10] = ";".join(cells)
    wave2 = tmp_path / "data" / "raw" / "wave2.csv"
    wave2.parent.mkdir(parents=True)
    (tmp_path / "study.yaml").write_bytes((study / "study.yaml").read_bytes())
    wave2.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = read_responses(study / "data/raw/customers-wave1.csv", survey)
    two = read_responses(wave2, survey)
    both = Responses.concat([one, two])
    assert len(both) == len(one) + len(two) and both.sha256 is None
    flags = quality_report(both).flags
    bad = flags[flags["check"] == "unreadable"]
    assert list(bad["row"]) == [len(one) + 9]  # file row 11 of the second part
    assert list(bad["respondent_id"]) == [two.data["respondent_id"].iloc[9]]
    with pytest.raises(ValueError, match="at least one"):
        Responses.concat([])
