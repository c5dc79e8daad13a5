"""Scores per touchpoint: fields found through the survey's blocks, sufficient statistics
equal to mean_score, and small groups suppressed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cxresearch.data import read_responses
from cxresearch.stats import StatsInputError, mean_score
from cxresearch.stats._touchpoints import (TOUCHPOINT_COLUMNS, enablement_scores,
                                           touchpoint_fields, touchpoint_scores)

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "surveys" / "insurer-claims"


@pytest.fixture(scope="module")
def customers():
    return read_responses(STUDY / "data/raw/customers-wave1.csv",
                          STUDY / "instruments/customer-survey.yaml")


@pytest.fixture(scope="module")
def employees():
    return read_responses(STUDY / "data/raw/employees.csv",
                          STUDY / "instruments/employee-survey.yaml")


def test_fields_follow_the_blocks(customers, employees) -> None:
    sat = touchpoint_fields(customers.survey, "touchpoint_satisfaction")
    assert sat["first_call"] == ["sat_call"] and sat["payout"] == ["sat_payout"]
    enable = touchpoint_fields(employees.survey, "enablement")
    assert enable["first_call"] == ["enable_call_information", "enable_call_tools",
                                    "enable_call_authority", "enable_call_training"]


def test_scores_equal_mean_score(customers) -> None:
    table = touchpoint_scores(customers)
    assert list(table.columns) == list(TOUCHPOINT_COLUMNS)
    row = table.set_index("touchpoint").loc["first_call"]
    expected = mean_score(customers.data["sat_call"].astype("float64").dropna())
    assert row["n"] == expected.n
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx(
        (expected.estimate, expected.ci_low, expected.ci_high), rel=1e-12)
    assert (row["scale_low"], row["scale_high"]) == (1.0, 5.0)


def test_groups_and_suppression(employees) -> None:
    table = enablement_scores(employees, by="team")
    assert list(table.columns) == ["touchpoint", "team", *TOUCHPOINT_COLUMNS[1:]]
    small = table[table["n"] < employees.min_group_size]
    assert len(small) > 0 and small["suppressed"].all()
    assert small[["estimate", "ci_low", "ci_high", "sd"]].isna().all().all()
    big = table[~table["suppressed"]]
    assert big["estimate"].notna().all() and (big["n"] >= 5).all()
    # the per-person mean of the four rows, then the mean over employees
    rows = [f"enable_call_{k}" for k in ("information", "tools", "authority", "training")]
    d = employees.data
    person = d[rows].apply(lambda c: c.astype("float64")).mean(axis=1)
    team = person[d["team"] == "desk_north"].dropna()
    got = table[(table.touchpoint == "first_call") & (table.team == "desk_north")]
    assert got["estimate"].item() == pytest.approx(float(np.mean(team)), rel=1e-12)
    assert got["n"].item() == len(team)


def test_bad_input(customers) -> None:
    with pytest.raises(StatsInputError, match=r"by='branch': no column 'branch'"):
        touchpoint_scores(customers, by="branch")
    with pytest.raises(StatsInputError, match=r"no question of item 'nope'"):
        touchpoint_scores(customers, item="nope")
    with pytest.raises(StatsInputError, match=r"data must be Responses"):
        touchpoint_scores(customers.data)
