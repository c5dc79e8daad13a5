"""read_responses: shipped files, round trips through CSV/XLSX/Parquet/.sav, bad input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

import cxresearch as cx
from cxresearch.data import read_responses
from cxresearch.errors import DataError

SHIPPED = [
    ("insurer-claims", "customers-wave1.csv", "customer-survey"),
    ("insurer-claims", "customers-wave2.csv", "customer-survey"),
    ("insurer-claims", "employees.csv", "employee-survey"),
    ("webshop-delivery", "customers.xlsx", "customer-survey"),
    ("webshop-delivery", "employees.csv", "employee-survey"),
    ("recruitment-agency", "employers.csv", "customer-survey"),
    ("recruitment-agency", "employees.csv", "employee-survey"),
]


def survey(study: str, name: str) -> cx.Instrument:
    return cx.load_instrument(ROOT / "surveys" / study / "instruments" / f"{name}.yaml")


@pytest.mark.parametrize(("study", "file", "inst"), SHIPPED, ids=[f"{s}/{f}" for s, f, _ in SHIPPED])
def test_every_shipped_file_reads_cleanly(study: str, file: str, inst: str) -> None:
    path = ROOT / "surveys" / study / "data" / "raw" / file
    before = path.read_bytes()
    r = read_responses(path, survey(study, inst))
    assert len(r) > 50 and r.unmatched == [] and r.coercions.empty
    assert r.answer_columns == r.survey.field_ids()
    assert r.sha256 == hashlib.sha256(before).hexdigest()
    assert path.read_bytes() == before  # raw data is never written
    assert "respondent_id" in r.meta_columns


def test_dutch_excel_csv_gets_codes_and_ordered_scales() -> None:
    s = survey("insurer-claims", "customer-survey")
    r = read_responses(ROOT / "surveys/insurer-claims/data/raw/customers-wave1.csv", s)
    channel = r.data["report_channel"]
    assert set(channel.dropna().unique()) <= set(s.choice_list(s.question("report_channel")).values()) | {"other"}
    assert r.data["nps"].cat.ordered and list(r.data["nps"].cat.categories) == list(range(11))
    assert str(r.data["start"].dtype).startswith("datetime64")


def _simulated() -> tuple[cx.Instrument, pd.DataFrame]:
    from cxresearch.datasets import simulate_study

    sim = simulate_study("recruitment-agency", seed=7, n_customers=120, truth_n=0)
    return sim.customer_survey if hasattr(sim, "customer_survey") else survey(
        "recruitment-agency", "customer-survey"), sim.customers


def _same(read: pd.Series, original: pd.Series) -> bool:
    a = read.astype("string").fillna("<NA>").reset_index(drop=True)
    b = original.astype("string").fillna("<NA>").reset_index(drop=True)
    return bool((a == b).all())


@pytest.mark.parametrize("fmt", ["csv", "csv-nl", "xlsx", "parquet"])
def test_simulated_data_round_trips(fmt: str, tmp_path: Path) -> None:
    inst, data = _simulated()
    path = tmp_path / f"r.{fmt.split('-')[0]}"
    if fmt == "csv":
        data.to_csv(path, index=False)
    elif fmt == "csv-nl":
        data.to_csv(path, index=False, sep=";", decimal=",", encoding="utf-8-sig")
    elif fmt == "xlsx":
        data.to_excel(path, index=False)
    else:
        data.to_parquet(path, index=False)
    r = read_responses(path, inst)
    assert r.coercions.empty, r.coercions.head()
    for fid in inst.field_ids():
        if fid in data.columns and inst.question(fid).type != "date":
            assert _same(r.data[fid], data[fid]), fid


def test_sav_value_labels_become_codes_or_a_clear_error(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    s = survey("insurer-claims", "customer-survey")
    values = s.choice_list(s.question("report_channel")).choices
    frame = pd.DataFrame({"respondent_id": ["a", "b"], "report_channel": [1.0, 2.0]})
    labels = {1.0: values[0].label["nl"], 2.0: values[1].label["en"]}
    good = tmp_path / "good.sav"
    pyreadstat.write_sav(frame, str(good), variable_value_labels={"report_channel": labels})
    r = read_responses(good, s)
    assert list(r.data["report_channel"]) == [values[0].value, values[1].value]
    bad = tmp_path / "bad.sav"
    pyreadstat.write_sav(frame, str(bad),
                         variable_value_labels={"report_channel": {1.0: "Per fax", 2.0: "Per duif"}})
    with pytest.raises(DataError, match="SPSS value labels of 'report_channel' match no choice"):
        read_responses(bad, s)


@pytest.fixture
def mini() -> cx.Instrument:
    return survey("insurer-claims", "customer-survey")


@pytest.mark.parametrize(("text", "code", "message", "line"), [
    ("", "CX200", "the file is empty", None),
    ("respondent_id,nps\n", "CX201", "header", None),
    ("respondent_id,nps\na,7\nb,8,9\n", "CX202", "row has 3 fields", 3),
    ("respondent_id,nps,nps\na,7,7\n", "CX203", "column 'nps' appears twice", 1),
    ("foo,bar\n1,2\n", "CX212", "no column matches", 1),
])
def test_bad_files_name_file_and_row(tmp_path: Path, mini: cx.Instrument, text: str, code: str,
                                     message: str, line: int | None) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message) as exc:
        read_responses(path, mini)
    p = exc.value.problems[0]
    assert p.code.value == code and p.file == str(path) and p.line == line


def test_unknown_codes_and_bad_values_are_kept_aside(tmp_path: Path, mini: cx.Instrument) -> None:
    path = tmp_path / "x.csv"
    path.write_text("respondent_id,nps,report_channel,calls_count,burglary_date,extra\n"
                    "a,7,phone,2,2026-01-31,x\n"
                    "b,12,per duif,twee,31-01-2026,y\n"
                    "c,0,Telefonisch,3,31/01/2026,z\n", encoding="utf-8")
    r = read_responses(path, mini)
    assert r.unmatched == ["extra"]
    got = {(c.row, c.column): c.reason for c in r.coercions.itertuples()}
    assert got[(3, "nps")].startswith("out of range")
    assert got[(3, "report_channel")] == "unknown code"
    assert got[(3, "calls_count")] == "not a number"
    assert list(r.data["report_channel"].astype("string").fillna("-")) == ["phone", "-", "phone"]
    assert r.data["burglary_date"].nunique() == 1  # three ways of writing one date
    assert any("3 ways" in w.message for w in r.warnings)  # type: ignore[attr-defined]


def test_too_large_file_says_how_to_go_on(tmp_path: Path, mini: cx.Instrument,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from cxresearch.data import _raw

    path = tmp_path / "x.csv"
    path.write_text("respondent_id,nps\na,7\n", encoding="utf-8")
    monkeypatch.setattr(_raw, "MAX_BYTES", 10)
    with pytest.raises(DataError, match="reading it whole"):
        read_responses(path, mini)


def test_kobo_export_with_group_paths_and_choice_columns(tmp_path: Path, mini: cx.Instrument) -> None:
    path = tmp_path / "kobo.csv"
    path.write_text("start,end,brief/report_channel,brief/stolen_items/computer,"
                    "brief/stolen_items/jewellery,overall/nps,_uuid,_submission_time\n"
                    "2026-11-02T10:00:00.000+01:00,2026-11-02T10:09:00.000+01:00,phone,1,0,9,"
                    "u1,2026-11-02T09:10:00\n", encoding="utf-8")
    r = read_responses(path, mini)
    assert r.data.loc[0, "report_channel"] == "phone" and r.data.loc[0, "nps"] == 9
    assert r.data.loc[0, "stolen_items"] == "computer"
    assert r.data.loc[0, "respondent_id"] == "u1" and r.data.loc[0, "duration_s"] == 540
    assert r.unmatched == []
