"""write_clean / read_clean: typed data to data/clean, atomically, raw data untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cxresearch as cx
from cxresearch.data import Responses, pseudonymise, quality_report, read_clean, read_responses, write_clean
from cxresearch.data.clean import sidecar_path
from cxresearch.datasets import example_path
from cxresearch.errors import DataError

KEY = "k" * 16  # a test key, passed explicitly: the user's real key is never read
RAW = Path("data") / "raw" / "customers-wave1.csv"
INSTRUMENT = Path("instruments") / "customer-survey.yaml"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A copy of the insurer-claims example study (the shipped folder is never written)."""
    return Path(shutil.copytree(example_path("insurer-claims"), tmp_path / "insurer-claims"))


@pytest.fixture
def responses(study: Path) -> Responses:
    return read_responses(study / RAW, study / INSTRUMENT)


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".") and p.suffix == ".tmp"]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_round_trip_to_data_clean_keeps_dtypes(study: Path, responses: Responses,
                                               fmt: str) -> None:
    before = sha256(study / RAW)
    out = write_clean(responses, format=fmt)
    assert out == study / "data" / "clean" / f"customers-wave1.{fmt}"
    assert sidecar_path(out).name == f"customers-wave1.{fmt}.json"
    back = read_clean(out)
    assert back.data.dtypes.to_dict() == responses.data.dtypes.to_dict()
    ordered = [c for c, d in back.data.dtypes.items()
               if isinstance(d, pd.CategoricalDtype) and d.ordered]
    assert "nps" in ordered  # ordered categoricals stay ordered, with their categories
    pd.testing.assert_frame_equal(back.data, responses.data)
    assert back.survey.id == responses.survey.id
    assert (back.source, back.sha256) == (str((study / RAW).resolve()), before)
    assert back.meta_columns == responses.meta_columns and back.study == str(study.resolve())
    side = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert side["raw"] == {"name": "customers-wave1.csv", "path": "../raw/customers-wave1.csv",
                           "sha256": before}
    assert side["rows"] == len(responses) and side["sha256"] == sha256(out)
    assert side["instrument"]["id"] == "insurer-claims-customer"
    assert side["instrument"]["path"] == "../../instruments/customer-survey.yaml"
    assert side["coercions"] == 0 and side["ids_pseudonymised"] is False
    assert side["cxresearch"] == cx.__version__ and side["written_utc"].endswith("+00:00")
    assert sha256(study / RAW) == before  # raw data are never written
    assert no_temp_files(out.parent)


def test_exclusions_pseudonyms_and_min_group_size_are_recorded(study: Path) -> None:
    text = (study / "study.yaml").read_text(encoding="utf-8")
    (study / "study.yaml").write_text(text.replace("min_group_size: 5", "min_group_size: 7"),
                                      encoding="utf-8")
    r = read_responses(study / RAW, study / INSTRUMENT)
    assert r.min_group_size == 7
    raw_ids = set(r.data["respondent_id"].dropna())
    kept = pseudonymise(quality_report(r).exclude(["duplicate_id"]), key=KEY)
    out = write_clean(kept, name="customers-wave1-clean")
    back = read_clean(out)
    assert back.min_group_size == 7 and len(back) == len(kept) < len(r)
    side = sidecar_path(out).read_text(encoding="utf-8")
    assert json.loads(side)["ids_pseudonymised"] is True
    record = back.exclusions[0]
    assert record["checks"] == ["duplicate_id"] and record["rows_removed"] > 0
    assert record["removed"] is None and record["removed_ids_omitted"] is True
    assert not any(i in side for i in raw_ids)  # excluded raw ids are not written either
    assert not set(back.data["respondent_id"]) & raw_ids


def test_pseudonyms_of_excluded_rows_are_kept(responses: Responses) -> None:
    p = pseudonymise(responses, key=KEY)
    kept = quality_report(p).exclude(["duplicate_id"])
    back = read_clean(write_clean(kept))
    assert back.exclusions[0]["removed"] == kept.exclusions[0]["removed"]


@pytest.mark.parametrize("where", ["data/raw", "data/raw/sub", "Data/Raw"])
def test_refuses_to_write_into_data_raw(study: Path, responses: Responses, where: str) -> None:
    before = {p.name: sha256(p) for p in (study / "data" / "raw").iterdir()}
    with pytest.raises(DataError, match="refuses to write into") as exc:
        write_clean(responses, study / where)
    assert exc.value.codes == ["CX213"] and "data/clean" in str(exc.value)
    assert {p.name: sha256(p) for p in (study / "data" / "raw").iterdir()} == before


def test_refuses_to_replace_the_raw_file(tmp_path: Path, responses: Responses) -> None:
    raw = tmp_path / "answers.csv"
    shutil.copy(responses.source or "", raw)
    r = read_responses(raw, responses.survey)
    before = raw.read_bytes()
    with pytest.raises(DataError, match="refuses to replace the raw file"):
        write_clean(r, tmp_path, format="csv")
    assert raw.read_bytes() == before and no_temp_files(tmp_path)
    out = write_clean(r, tmp_path, name="answers-clean", format="csv")  # another name is fine
    assert out.parent == tmp_path and raw.read_bytes() == before


def test_folder_is_needed_outside_a_study(tmp_path: Path, responses: Responses) -> None:
    raw = tmp_path / "answers.csv"
    shutil.copy(responses.source or "", raw)
    r = read_responses(raw, responses.survey)
    with pytest.raises(DataError, match="needs a folder") as exc:
        write_clean(r)
    assert exc.value.codes == ["CX213"]
    with pytest.raises(DataError, match="cannot write format 'xlsx'"):
        write_clean(r, tmp_path / "out", format="xlsx")


def test_read_clean_checks_the_sidecar(study: Path, responses: Responses) -> None:
    out = write_clean(responses)
    side = sidecar_path(out)
    meta = json.loads(side.read_text(encoding="utf-8"))
    meta["rows"] += 1  # a sidecar that does not describe the data
    side.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DataError, match="sidecar records") as exc:
        read_clean(out)
    assert exc.value.codes == ["CX214"]
    out = write_clean(responses)
    responses.data.head(3).to_parquet(out)  # the data changed behind the sidecar's back
    with pytest.raises(DataError, match="sha256 differs"):
        read_clean(out)
    side.unlink()
    with pytest.raises(DataError, match="no sidecar"):
        read_clean(out)


def test_read_clean_with_another_instrument_is_refused(study: Path, responses: Responses) -> None:
    out = write_clean(responses)
    other = cx.load_instrument(study / "instruments" / "employee-survey.yaml")
    with pytest.raises(DataError, match="insurer-claims-customer") as exc:
        read_clean(out, other)
    assert exc.value.codes == ["CX214"]
    assert read_clean(sidecar_path(out), responses.survey).survey is responses.survey


def test_rewriting_replaces_both_files_and_leaves_no_temp_files(study: Path,
                                                                responses: Responses) -> None:
    first = write_clean(responses)
    second = write_clean(responses.with_data(responses.data.head(10)))
    assert first == second and len(read_clean(second)) == 10
    assert sorted(p.name for p in second.parent.iterdir() if p.name != ".gitkeep") == [
        "customers-wave1.parquet", "customers-wave1.parquet.json"]
