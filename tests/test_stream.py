"""iter_responses: a file read in parts types every cell as a whole read does."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

import cxresearch as cx
from cxresearch.data import iter_responses, quality_report, read_responses
from cxresearch.errors import Code, DataError

STUDY = ROOT / "surveys" / "insurer-claims"
WAVE1 = STUDY / "data" / "raw" / "customers-wave1.csv"


@pytest.fixture(scope="module")
def survey() -> cx.Instrument:
    return cx.load_instrument(STUDY / "instruments" / "customer-survey.yaml")


def _joined(parts: list[cx.data.Responses]) -> pd.DataFrame:
    return pd.concat([p.data for p in parts])


@pytest.mark.parametrize("chunk_rows", [97, 400, 10_000])
def test_parts_add_up_to_the_whole_csv(survey: cx.Instrument, chunk_rows: int) -> None:
    whole = read_responses(WAVE1, survey)
    parts = list(iter_responses(WAVE1, survey, chunk_rows=chunk_rows))
    assert all(len(p) <= chunk_rows for p in parts)
    pd.testing.assert_frame_equal(_joined(parts), whole.data)
    assert {p.sha256 for p in parts} == {hashlib.sha256(WAVE1.read_bytes()).hexdigest()}


def test_parts_of_a_parquet_file(survey: cx.Instrument, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    whole = read_responses(WAVE1, survey)
    target = tmp_path / "wave1.parquet"
    pd.read_csv(WAVE1, sep=";", dtype=str, encoding="utf-8-sig").to_parquet(target)
    parts = list(iter_responses(target, survey, chunk_rows=100))
    assert [len(p) for p in parts][:2] == [100, 100]
    joined = _joined(parts)
    for column in whole.answer_columns:  # same values and dtypes as the whole CSV
        pd.testing.assert_series_equal(joined[column], whole.data[column], check_names=False)


def test_bad_cells_keep_their_file_rows(survey: cx.Instrument, tmp_path: Path) -> None:
    lines = WAVE1.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    column = header.index("sat_call")
    cells = lines[150].split(";")
    cells[column] = "11"  # not on the 1-5 scale
    lines[150] = ";".join(cells)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = read_responses(bad, survey).coercions
    parts = pd.concat([p.coercions for p in iter_responses(bad, survey, chunk_rows=40)],
                      ignore_index=True)
    assert list(parts["row"]) == list(whole["row"]) == [151]  # file row: header is row 1
    assert list(parts["column"]) == ["sat_call"]
    # the quality report of the part holding that row flags the same respondent
    def unreadable(r: cx.data.Responses) -> list[str]:
        flags = quality_report(r).flags
        return list(flags.loc[flags["check"] == "unreadable", "respondent_id"])

    part = [p for p in iter_responses(bad, survey, chunk_rows=40) if 149 in p.data.index][0]
    assert unreadable(part) == unreadable(read_responses(bad, survey)) != []


def test_ragged_row_deep_in_the_file_names_its_line(survey: cx.Instrument,
                                                     tmp_path: Path) -> None:
    lines = WAVE1.read_text(encoding="utf-8-sig").splitlines()
    lines[180] = lines[180] + ";extra;cells"
    bad = tmp_path / "ragged.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        list(iter_responses(bad, survey, chunk_rows=50))
    problem = info.value.problems[0]
    assert problem.code is Code.DATA_RAGGED and problem.line == 181
    assert problem.file == str(bad)


def test_header_only_and_unreadable_formats(survey: cx.Instrument, tmp_path: Path) -> None:
    header_only = tmp_path / "header.csv"
    header_only.write_text(WAVE1.read_text(encoding="utf-8-sig").splitlines()[0] + "\n",
                           encoding="utf-8")
    with pytest.raises(DataError, match="no responses"):
        list(iter_responses(header_only, survey))
    workbook = ROOT / "surveys/webshop-delivery/data/raw/customers.xlsx"
    with pytest.raises(DataError, match="cannot be read in parts") as info:
        list(iter_responses(workbook, survey))
    assert "read_responses" in (info.value.problems[0].fix or "")
    with pytest.raises(DataError, match="file not found"):
        list(iter_responses(tmp_path / "missing.csv", survey))


@pytest.mark.parametrize("chunk_rows", [0, -5, 2.5, True])
def test_chunk_rows_must_be_a_positive_whole_number(survey: cx.Instrument,
                                                     chunk_rows: object) -> None:
    with pytest.raises(ValueError, match="chunk_rows"):
        next(iter_responses(WAVE1, survey, chunk_rows=chunk_rows))  # type: ignore[arg-type]
