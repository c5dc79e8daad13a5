"""Survey weights: post-stratification, raking and Kish's effective sample size.

Expected values from R 4.2 (tests/r/metrics.R: a hand computation for
post-stratification, ``stats::loglin`` and a hand-written IPF loop for raking) and by
hand for the effective n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.stats import StatsInputError, effective_n, mean_score, nps, poststratify, rake


# -- effective n -------------------------------------------------------------------------
@pytest.mark.parametrize(("weights", "expected"), [
    ([1, 1, 1, 1], 4.0),                      # by hand: 16 / 4
    ([0.5, 0.5, 1.5, 1.5], 3.2),              # by hand: 16 / 5
    ([3, 0, 0], 1.0),                         # by hand: 9 / 9
    # R: wt <- c(1.2, 0.8, ...); sum(wt)^2 / sum(wt^2)  ("effective n (Kish)")
    ([1.2, 0.8, 1, 1.5, 0.5, 1, 2, 0.7, 1.1, 0.9, 1.3, 0.6], 10.4861294583884),
])
def test_effective_n(weights: list[float], expected: float) -> None:
    assert effective_n(weights) == pytest.approx(expected, abs=1e-9)
    assert effective_n(np.asarray(weights) * 7) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("weights", "message"), [
    ([], r"weights is empty"),
    ([1, np.nan], r"weights must be finite"),
    ([1, -2], r"weights must be at least 0"),
    ([0, 0], r"weights are all 0"),
    (["a", 1], r"weights must hold numbers"),
    (3, r"weights must be a sequence"),
])
def test_effective_n_bad_input(weights: object, message: str) -> None:
    with pytest.raises(StatsInputError, match=message):
        effective_n(weights)


# -- post-stratification ---------------------------------------------------------------
REGIONS = pd.DataFrame({"region": ["north"] * 30 + ["east"] * 50 + ["south"] * 20})


@pytest.mark.parametrize("population", [
    {"north": 4000, "east": 3500, "south": 2500},
    {"north": 0.40, "east": 0.35, "south": 0.25},
    pd.Series({"north": 40, "east": 35, "south": 25}),
])
def test_poststratify_matches_r(population: object) -> None:
    w = poststratify(REGIONS, "region", population)
    # R: share[region] / (table(region)[region] / length(region))  ("post-stratification")
    expected = {"north": 1.33333333333333, "east": 0.7, "south": 1.25}
    assert w.groupby(REGIONS["region"]).first().to_dict() == pytest.approx(expected,
                                                                           abs=1e-12)
    assert w.mean() == pytest.approx(1.0) and w.name == "weight"
    assert w.index.equals(REGIONS.index)
    shares = w.groupby(REGIONS["region"]).sum() / w.sum()
    assert shares["north"] == pytest.approx(0.40)


def test_poststratify_on_two_columns() -> None:
    data = pd.DataFrame({"r": ["n", "n", "s", "s", "s"], "a": [1, 2, 1, 1, 2]})
    w = poststratify(data, ["r", "a"], {("n", 1): 1, ("n", 2): 1, ("s", 1): 1, ("s", 2): 1})
    # by hand: each stratum 1/4 of the population; (s, 1) has 2 of 5 respondents
    assert w.tolist() == pytest.approx([1.25, 1.25, 0.625, 0.625, 1.25])


@pytest.mark.parametrize(("data", "strata", "population", "message"), [
    (REGIONS, "region", {"north": 1, "east": 1}, r"population has no figure for stratum "
                                                 r"'south' \(20 respondent"),
    (REGIONS, "region", {"north": 1, "east": 1, "south": 1, "west": 1},
     r"stratum 'west' has a population share of 0\.25 but no respondents"),
    (REGIONS, "area", {"north": 1}, r"strata: data has no column 'area'"),
    (pd.DataFrame({"region": ["north", None]}), "region", {"north": 1},
     r"column 'region' is missing for 1 respondent"),
    (REGIONS, "region", {"north": -1, "east": 1, "south": 1}, r"population must give each"),
    (REGIONS, "region", [0.4, 0.6], r"population must be a mapping"),
    (REGIONS["region"], "region", {"north": 1}, r"data must be a pandas DataFrame"),
    (REGIONS.iloc[:0], "region", {"north": 1}, r"data has no rows"),
])
def test_poststratify_bad_input(data: object, strata: str, population: object,
                                message: str) -> None:
    with pytest.raises(StatsInputError, match=message):
        poststratify(data, strata, population)  # type: ignore[arg-type]


def test_poststratify_allows_an_empty_stratum_with_zero_share() -> None:
    w = poststratify(REGIONS, "region", {"north": 4, "east": 3.5, "south": 2.5, "west": 0})
    assert w.mean() == pytest.approx(1.0)


# -- raking ------------------------------------------------------------------------------
def sample() -> pd.DataFrame:
    cells = {("f", "young"): 10, ("f", "mid"): 20, ("f", "old"): 15,
             ("m", "young"): 25, ("m", "mid"): 20, ("m", "old"): 10}
    rows = [key for key, count in cells.items() for _ in range(count)]
    return pd.DataFrame(rows, columns=["sex", "age"], index=range(100, 200))


MARGINS = {"sex": {"f": 0.52, "m": 0.48}, "age": {"young": 0.3, "mid": 0.4, "old": 0.3}}


def test_rake_matches_r_loglin() -> None:
    data = sample()
    w = rake(data, MARGINS)
    cells = w.groupby([data["sex"], data["age"]]).first()
    # R: loglin(target, margin = list(1, 2), start = sample_tab, fit = TRUE)$fit /
    # sample_tab (and the same from the hand-written loop). IPF stops at tol = 1e-8 on
    # the shares, so the weights agree to about 1e-7, not to machine precision.
    expected = {("f", "young"): 1.00607954646582, ("f", "mid"): 1.11560537117594,
                ("f", "old"): 1.30847314078821, ("m", "young"): 0.797568181413674,
                ("m", "mid"): 0.884394628824065, ("m", "old"): 1.03729028881769}
    for key, value in expected.items():
        assert cells[key] == pytest.approx(value, abs=1e-7), key
    tight = rake(data, MARGINS, tol=1e-13)
    assert tight.groupby([data["sex"], data["age"]]).first()[("f", "old")] == \
        pytest.approx(1.30847314078821, abs=1e-12)
    assert w.mean() == pytest.approx(1.0) and w.index.equals(data.index)
    # R: sum(w)^2 / sum(w^2) for the raked weights
    assert w.attrs["effective_n"] == pytest.approx(97.086756015622, abs=1e-6)
    assert w.attrs["iterations"] >= 2


def test_rake_with_counts_and_a_weighted_metric() -> None:
    data = sample()
    counts = {"sex": {"f": 5200, "m": 4800}, "age": pd.Series({"young": 3, "mid": 4,
                                                                 "old": 3})}
    w = rake(data, counts)
    shares = w.groupby(data["age"]).sum() / w.sum()
    assert shares.to_dict() == pytest.approx({"young": 0.3, "mid": 0.4, "old": 0.3},
                                             abs=1e-8)
    scores = pd.Series(np.where(data["sex"] == "f", 10, 6), index=data.index)
    r = nps(scores, weights=w)
    assert r.estimate == pytest.approx(52 - 48, abs=1e-6)
    assert r.extra["effective_n"] == pytest.approx(w.attrs["effective_n"])
    assert mean_score(scores, weights=w).estimate == pytest.approx(0.52 * 10 + 0.48 * 6)


def test_rake_reports_non_convergence() -> None:
    # every woman is young and every man old: no weights give 52% women but 30% young
    data = pd.DataFrame({"sex": ["f"] * 5 + ["m"] * 5, "age": ["young"] * 5 + ["old"] * 5})
    with pytest.raises(StatsInputError, match=r"rake did not converge in 50 sweeps"):
        rake(data, {"sex": {"f": 0.52, "m": 0.48}, "age": {"young": 0.3, "old": 0.7}},
             max_iter=50)


@pytest.mark.parametrize(("margins", "kwargs", "message"), [
    ({"sex": {"f": 0.5}}, {}, r"margins\['sex'\] has no target for category 'm'"),
    ({"sex": {"f": 0.5, "m": 0.4, "x": 0.1}}, {},
     r"margins\['sex'\]: category 'x' has a target share of 0\.1 but no respondents"),
    ({"region": {"n": 1}}, {}, r"margins: data has no column 'region'"),
    ({}, {}, r"margins must be a mapping"),
    ({"sex": "f"}, {}, r"margins\['sex'\] must be a mapping"),
    (MARGINS, {"max_iter": 0}, r"max_iter must be a whole number of at least 1"),
    (MARGINS, {"tol": -1}, r"tol must be a number above 0"),
])
def test_rake_bad_input(margins: dict, kwargs: dict, message: str) -> None:
    with pytest.raises(StatsInputError, match=message):
        rake(sample(), margins, **kwargs)


def test_rake_missing_margin_value() -> None:
    data = sample()
    data.loc[100, "sex"] = np.nan
    with pytest.raises(StatsInputError, match=r"column 'sex' is missing for 1 respondent"):
        rake(data, MARGINS)


def test_a_strata_column_with_one_level_gives_equal_weights() -> None:
    data = pd.DataFrame({"region": ["north"] * 4})
    assert poststratify(data, "region", {"north": 1}).tolist() == [1.0] * 4
    assert rake(data, {"region": {"north": 10}}).tolist() == [1.0] * 4
