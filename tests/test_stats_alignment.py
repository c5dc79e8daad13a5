"""Customer satisfaction beside employee enablement (cxresearch.stats._alignment).

Reference values: R 4.2 + lme4 on tests/data/stats/alignment.csv, script
tests/r/alignment.R; example-data truths from surveys/*/README.md ("Enablement and
customers").
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.data import read_responses
from cxresearch.data.responses import Responses
from cxresearch.journey import Journey
from cxresearch.stats._alignment import GAP_COLUMNS, _fit, alignment
from cxresearch.stats._check import StatsInputError
from cxresearch.stats._result import RESULT_COLUMNS

DATA = Path(__file__).parent / "data" / "stats" / "alignment.csv"
SURVEYS = Path(__file__).parents[1] / "surveys"
INSURER_UNITS = {"assessor_visit": "field_experts", "checkin_call": "aftercare",
                 "prevention_advice": "aftercare"}  # README: visit by field_experts, ...
WEBSHOP_UNITS = {"product_page": "service_desk", "delivery_slot": "planning",
                 "delivery_notice": "planning", "apology_card": "service_desk",
                 "followup_call": "service_desk", "return_repair": "service_desk"}


# lmer(y ~ enablement + touchpoint + (1 | g), REML = TRUE): fixef, its SE, VarCorr
@pytest.mark.parametrize("random, slope, se, group_var, resid_var", [
    ("cell", 0.28290818, 0.16852151, 0.00871487, 0.45845670),
    ("team", 0.14845635, 0.18066349, 0.01607627, 0.45458833),
])
def test_mixed_model_matches_lme4(random, slope, se, group_var, resid_var):
    long = pd.read_csv(DATA)
    result, model, _ = _fit(long, "team", random, 0.95, 5, "y")
    assert result.estimate == pytest.approx(slope, abs=2e-4)
    assert result.extra["group_var"] == pytest.approx(group_var, abs=2e-5)
    assert result.extra["residual_var"] == pytest.approx(resid_var, abs=2e-5)
    if random == "cell":
        assert result.se == pytest.approx(se, rel=1e-3)
    else:
        # statsmodels' SE here is 0.196, lme4's 0.181 (same estimates): statsmodels
        # takes it from the Hessian over all parameters, lme4 conditional on the
        # variance components; with 4 groups that differs
        assert result.se == pytest.approx(se, rel=0.15)
    assert result.n == len(long)
    assert set(model["term"]) >= {"Intercept", "enablement"}


@pytest.fixture(scope="module")
def insurer():
    root = SURVEYS / "insurer-claims"
    customers = Responses.concat([
        read_responses(root / "data" / "raw" / f"customers-wave{i}.csv",
                       root / "instruments" / "customer-survey.yaml") for i in (1, 2)])
    employees = read_responses(root / "data" / "raw" / "employees.csv",
                               root / "instruments" / "employee-survey.yaml")
    return alignment(customers, employees, journey=Journey.load(root / "journey.yaml"))


@pytest.fixture(scope="module")
def webshop():
    root = SURVEYS / "webshop-delivery"
    customers = read_responses(root / "data" / "raw" / "customers.xlsx",
                               root / "instruments" / "customer-survey.yaml")
    employees = read_responses(root / "data" / "raw" / "employees.csv",
                               root / "instruments" / "employee-survey.yaml")
    return alignment(customers, employees, journey=Journey.load(root / "journey.yaml"))


@pytest.mark.parametrize("study, units", [("insurer-claims", INSURER_UNITS),
                                          ("webshop-delivery", WEBSHOP_UNITS)])
def test_journey_names_the_serving_teams(study, units):
    # the journey files say which team serves every customer where; the simulation that
    # made the data routes customers the same way (its preset's touchpoint_teams)
    from cxresearch.datasets._presets import preset

    journey = Journey.load(SURVEYS / study / "journey.yaml")
    assert journey.serving_teams() == units
    spec = preset(study)
    assert spec is not None and spec.touchpoint_teams == units


def test_touchpoint_units_override_the_journey(insurer):
    root = SURVEYS / "insurer-claims"
    customers = read_responses(root / "data" / "raw" / "customers-wave1.csv",
                               root / "instruments" / "customer-survey.yaml")
    employees = read_responses(root / "data" / "raw" / "employees.csv",
                               root / "instruments" / "employee-survey.yaml")
    journey = Journey.load(root / "journey.yaml")
    by_hand = alignment(customers, employees, touchpoint_units=INSURER_UNITS)
    both = alignment(customers, employees, journey=journey,
                     touchpoint_units={"assessor_visit": "field_experts"})
    assert both.estimate == pytest.approx(by_hand.estimate)
    # without the journey's teams the visit's customers count as their desk's
    plain = alignment(customers, employees)
    assert plain.estimate != pytest.approx(by_hand.estimate)
    with pytest.raises(StatsInputError, match="journey must be a Journey"):
        alignment(customers, employees, journey={"assessor_visit": "field_experts"})


def test_verdict_in_both_languages(insurer):
    en, nl = insurer.verdict("en"), insurer.verdict("nl")
    assert en.startswith("Where employees are better enabled, customers are more satisfied")
    assert nl.startswith("Waar medewerkers beter zijn toegerust, zijn klanten tevredener")
    est = f"{insurer.estimate:+.2f}"
    assert est in en and est.replace(".", ",") in nl
    assert "95% interval" in en and "95%-interval" in nl
    assert not re.search(r"\d\.\d", nl), nl
    lowest = insurer.per_touchpoint.dropna(subset=["employee_100"]).sort_values(
        "employee_100")["touchpoint"].iloc[0]
    journey = Journey.load(SURVEYS / "insurer-claims" / "journey.yaml")
    assert f"least enabled at {journey.label(lowest, 'en')}" in en
    assert f"minst toegerust bij {journey.label(lowest, 'nl')}" in nl
    assert insurer.verdict("en") in html.unescape(insurer._repr_html_())
    with pytest.raises(StatsInputError, match="lang must be one of"):
        insurer.verdict("de")


def test_insurer_recovers_the_slope(insurer):
    s = insurer.slope
    assert s.ci_low <= 0.47 <= s.ci_high  # README: 0.47 per point of team enablement
    assert s.estimate == pytest.approx(0.47, abs=0.15)
    assert s.p_value < 0.01
    assert s.extra["n_customers"] == 1406


def test_webshop_slope_interval(webshop):
    s = webshop.slope
    assert s.ci_low <= 0.60 <= s.ci_high  # README: 0.60 per point
    # only the installation has two crews: one comparison, so a wide interval
    assert any("1 touchpoint(s)" in n and "installation" in n for n in webshop.notes)


def test_webshop_installation_lowest(webshop):
    per = webshop.per_touchpoint.set_index("touchpoint")
    # README: the installation scores lowest on both sides (3.51 enablement, 3.29 sat.)
    assert per["customer_mean"].idxmin() == "installation"
    assert per["employee_mean"].idxmin() == "installation"


def test_gap_table(insurer):
    gaps = insurer.gaps
    assert list(gaps.columns) == [c if c != "unit" else "team" for c in GAP_COLUMNS]
    row = gaps.set_index(["touchpoint", "team"]).loc[("first_call", "desk_south")]
    assert row["customer_100"] == pytest.approx((row["customer_mean"] - 1) / 4 * 100)
    assert row["gap"] == pytest.approx(row["customer_100"] - row["employee_100"])


def test_small_teams_suppressed_with_notes(insurer):
    gaps = insurer.gaps.set_index(["touchpoint", "team"])
    # 2-3 desk employees answer for the assessor visit: hidden, and said so
    cell = gaps.loc[("assessor_visit", "desk_south")]
    assert cell["employee_suppressed"] and pd.isna(cell["employee_mean"])
    assert pd.isna(cell["employee_n"])
    assert any("assessor_visit, team desk_south: fewer than 5 employees" in n
               for n in insurer.notes)
    # shown cells all have at least 5 answers
    shown = insurer.gaps[~insurer.gaps["employee_suppressed"]]
    assert ((shown["employee_n"] == 0) | (shown["employee_n"] >= 5)).all()
    # complementary: a per-touchpoint total is shown, so a second cell goes too
    assert any("cannot be worked out from the touchpoint total" in n for n in insurer.notes)
    for tp, part in insurer.gaps.groupby("touchpoint"):
        hidden = part["employee_suppressed"] & part["employee_n"].isna()
        assert hidden.sum() != 1, tp


def test_result_protocol(insurer):
    frame = insurer.to_frame()
    assert list(frame.columns[:len(RESULT_COLUMNS)]) == list(RESULT_COLUMNS)
    assert insurer.estimate == insurer.slope.estimate
    assert "random intercept per touchpoint x team" in insurer.method
    assert "<table" in insurer._repr_html_()


def test_bad_input(insurer):
    frame = pd.DataFrame({"team": ["a"]})
    with pytest.raises(StatsInputError, match="customer must be Responses"):
        alignment(frame, frame)
    root = SURVEYS / "insurer-claims"
    employees = read_responses(root / "data" / "raw" / "employees.csv",
                               root / "instruments" / "employee-survey.yaml")
    with pytest.raises(StatsInputError, match="unit=.desk. is not a column of the customer responses"):
        alignment(employees, employees, unit="desk")
    with pytest.raises(StatsInputError, match="random must be one of 'cell', 'team'"):
        alignment(employees, employees, random="unit")
