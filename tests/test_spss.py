"""SPSS .sav out and back, and GNU PSPP reading the labels as SPSS would."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

import cxresearch as cx
from cxresearch.data import read_responses, write_sav

pytest.importorskip("pyreadstat")


@pytest.fixture(scope="module")
def responses() -> cx.data.Responses:
    survey = cx.load_instrument(ROOT / "surveys/insurer-claims/instruments/customer-survey.yaml")
    return read_responses(ROOT / "surveys/insurer-claims/data/raw/customers-wave1.csv", survey)


def test_sav_round_trip(responses: cx.data.Responses, tmp_path: Path) -> None:
    path = write_sav(responses, tmp_path / "clean.sav")
    again = read_responses(path, responses.survey)
    assert again.coercions.empty and again.unmatched == []
    for fid in responses.answer_columns:
        if responses.survey.question(fid).type == "date":
            continue
        a = responses.data[fid].astype("string").fillna("<NA>").str.removesuffix(".0")
        b = again.data[fid].astype("string").fillna("<NA>").str.removesuffix(".0")
        assert (a.reset_index(drop=True) == b.reset_index(drop=True)).all(), fid


@pytest.mark.skipif(shutil.which("pspp") is None, reason="GNU PSPP is not installed")
def test_pspp_reads_variable_and_value_labels(responses: cx.data.Responses,
                                              tmp_path: Path) -> None:
    path = write_sav(responses, tmp_path / "clean.sav", lang="nl")
    syntax = tmp_path / "show.sps"
    syntax.write_text(f'GET FILE="{path}".\nDISPLAY DICTIONARY.\n', encoding="utf-8")
    out = subprocess.run(["pspp", "-O", "format=txt", str(syntax)], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    survey = responses.survey
    channel = survey.question("report_channel")
    assert channel.label["nl"][:40] in out                       # variable label
    first = survey.choice_list(channel).choices[0].label["nl"]
    assert first in out                                           # value label
    assert "Zeer onwaarschijnlijk" in out or "Helemaal mee oneens" in out or "ontevreden" in out
