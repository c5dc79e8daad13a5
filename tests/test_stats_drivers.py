"""Key drivers (Shapley/LMG, relative weights), importance-performance, moments of truth.

Expected values come from R 4.2 in base R (script: tests/r/drivers.R, with the R call
beside each number): LMG by refitting ``lm`` on every subset of drivers and weighting
the increases in R² by ``|S|! (k - |S| - 1)! / k!``; relative weights by the eigen
formula of Johnson (2000) / ``rwa::rwa``. The Python code works from the correlation
matrix, so the two routes are independent. Data (tests/data/stats/): ``drivers_swiss.csv``
and ``drivers_mtcars.csv`` are R's ``datasets::swiss`` and ``datasets::mtcars``;
``drivers_touchpoints.csv`` holds 400 seeded survey answers with missing values and
weights (the recipe is in the R script). The relative weights of ``mtcars`` (``mpg ~
cyl + disp + hp + gear``) are also the published values of the ``rwa`` README
(github.com/martinctc/rwa), which our R code reproduces to every printed digit.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cxresearch.stats import StatsInputError, mean_score
from cxresearch.stats._driver_math import _boot_counts, _correlations, _gram, _standardised
from cxresearch.stats._drivers import (DRIVER_ATTRS, DRIVER_COLUMNS, MAX_SHAPLEY_DRIVERS,
                                       key_drivers)
from cxresearch.stats._ipa import (IPA_COLUMNS, MOT_COLUMNS, QUADRANTS,
                                   importance_performance, moments_of_truth)

DATA = Path(__file__).resolve().parent / "data" / "stats"
SWISS_X = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]
TP_X = ["sat_report", "sat_call", "sat_visit", "sat_documents", "sat_decision",
        "sat_payout"]
MTCARS_ALL = ["cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am", "gear", "carb"]


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"drivers_{name}.csv")


def estimates(table: pd.DataFrame, drivers: list[str]) -> np.ndarray:
    return table.set_index("driver").loc[drivers, "estimate"].to_numpy()


# -- reference values -------------------------------------------------------------------
REFERENCE = [
    # (data, outcome, drivers, method, weights, R², importances), from tests/r/drivers.R
    # swiss, Fertility on the other five: lmg(swiss, "Fertility", xs); R² is
    # summary(lm(Fertility ~ ., swiss))$r.squared. The same LMG example (swiss) is the
    # one of Grömping (2006, JSS 17(1), relaimpo); its printed table was not at hand
    # here, so these numbers are from our base-R refits, not copied from the paper.
    ("swiss", "Fertility", SWISS_X, "shapley", None, 0.7067350016,
     [0.05709122077, 0.17117302890, 0.26013467862, 0.10557015037, 0.11276592293]),
    # relweights(cor(swiss), "Fertility", xs)$raw; $r2
    ("swiss", "Fertility", SWISS_X, "relative-weights", None, 0.7067350016,
     [0.04841689581, 0.15470824981, 0.27196410465, 0.11468002995, 0.11696572138]),
    # lmg(mtcars, "mpg", c("cyl", "disp", "hp", "gear"))
    ("mtcars", "mpg", ["cyl", "disp", "hp", "gear"], "shapley", None, 0.779189639,
     [0.24705203324, 0.24349959480, 0.21091289954, 0.07772511141]),
    # relweights(cor(mtcars), "mpg", c("cyl", "disp", "hp", "gear"))$raw; the rwa README
    # prints rsquare 0.7791896 and Raw.RelWeight 0.2284797 0.2221469 0.2321744 0.0963886
    ("mtcars", "mpg", ["cyl", "disp", "hp", "gear"], "relative-weights", None, 0.779189639,
     [0.22847972593, 0.22214687054, 0.23217443930, 0.09638860322]),
    # lmg(mtcars, "mpg", setdiff(names(mtcars), "mpg")): 10 drivers, 1,024 subsets
    ("mtcars", "mpg", MTCARS_ALL, "shapley", None, 0.8690157645,
     [0.12134515464, 0.12023870213, 0.10698627193, 0.07327014307, 0.15828879625,
      0.03827072938, 0.06588051900, 0.07337622665, 0.04409331640, 0.06726590503]),
    # relweights(cor(mtcars), "mpg", setdiff(names(mtcars), "mpg"))$raw
    ("mtcars", "mpg", MTCARS_ALL, "relative-weights", None, 0.8690157645,
     [0.09124651084, 0.10263148055, 0.09955908025, 0.08107273060, 0.14452066517,
      0.05197727961, 0.06533586387, 0.08899382857, 0.06033475460, 0.08334357042]),
    # cc <- na.omit(tp); lmg(cc, "nps", xs)   (324 complete rows of 400)
    ("touchpoints", "nps", TP_X, "shapley", None, 0.675592694,
     [0.07399643057, 0.19798889469, 0.05541119401, 0.07924266608, 0.14087319476,
      0.12808031384]),
    # relweights(cor(cc[, c("nps", xs)]), "nps", xs)$raw
    ("touchpoints", "nps", TP_X, "relative-weights", None, 0.675592694,
     [0.07167372034, 0.19959391222, 0.05449037299, 0.07935476870, 0.14312028883,
      0.12735963089]),
    # lmg(cc, "nps", xs, cc$weight): lm(..., weights = weight) for every subset
    ("touchpoints", "nps", TP_X, "shapley", "weight", 0.6685945673,
     [0.08258564409, 0.19502156335, 0.05618039296, 0.08042341434, 0.13032131180,
      0.12406224071]),
    # relweights(cov.wt(cc[, c("nps", xs)], wt = cc$weight, cor = TRUE)$cor, "nps", xs)
    ("touchpoints", "nps", TP_X, "relative-weights", "weight", 0.6685945673,
     [0.08099433552, 0.19644222767, 0.05464989396, 0.08079516296, 0.13248588405,
      0.12322706310]),
]


@pytest.mark.parametrize("name, outcome, drivers, method, weights, r2, expected", REFERENCE,
                         ids=[f"{c[0]}-{len(c[2])}-{c[3]}{'-weighted' if c[4] else ''}"
                              for c in REFERENCE])
def test_importances_match_r(name: str, outcome: str, drivers: list[str], method: str,
                             weights: str | None, r2: float, expected: list[float]) -> None:
    table = key_drivers(load(name), outcome, drivers, method, n_boot=0, weights=weights)
    np.testing.assert_allclose(estimates(table, drivers), expected, rtol=0, atol=1e-9)
    assert table.attrs["r2"] == pytest.approx(r2, abs=1e-9)
    assert table["estimate"].sum() == pytest.approx(table.attrs["r2"], abs=1e-12)
    assert table["share"].sum() == pytest.approx(1.0, abs=1e-12)


def test_rwa_readme_rescaled_weights() -> None:
    # rwa README (mtcars, mpg ~ cyl + disp + hp + gear): Rescaled.RelWeight
    # 29.32274 28.50999 29.79691 12.37037; our R: raw / r2 * 100 gives the same
    drivers = ["cyl", "disp", "hp", "gear"]
    table = key_drivers(load("mtcars"), "mpg", drivers, "relative-weights", n_boot=0)
    shares = table.set_index("driver").loc[drivers, "share"].to_numpy() * 100
    np.testing.assert_allclose(shares, [29.32274, 28.50999, 29.79691, 12.37037], atol=5e-6)
    assert list(table["driver"]) == ["hp", "cyl", "disp", "gear"]  # sorted by rank
    assert list(table["rank"]) == [1, 2, 3, 4]


def test_listwise_deletion_is_counted() -> None:
    # R: nrow(na.omit(tp)) = 324, nrow(tp) - nrow(cc) = 76
    table = key_drivers(load("touchpoints"), "nps", TP_X, n_boot=0)
    assert table.attrs["n"] == 324 and table.attrs["n_dropped"] == 76
    assert table.attrs["n_total"] == 400
    assert (table["n"] == 324).all()
    assert "76 of 400 rows dropped" in table["method"].iloc[0]


def test_table_columns_and_attrs() -> None:
    table = key_drivers(load("touchpoints"), "nps", TP_X, n_boot=100, seed=1)
    assert tuple(table.columns) == DRIVER_COLUMNS
    assert set(DRIVER_ATTRS) <= set(table.attrs)
    assert table["label"].tolist() == table["driver"].tolist()  # no survey, no labels
    assert "LMG" in table["definition"].iloc[0] and "orders" in table["definition"].iloc[0]
    assert "percentile bootstrap" in table["method"].iloc[0]
    assert "seed 1" in table["method"].iloc[0]
    assert table.attrs["outcome"] == "nps" and table.attrs["method"] == "shapley"
    low, high = table.attrs["r2_ci"]
    assert low < table.attrs["r2"] < high


def test_frequency_weights_equal_repeated_rows() -> None:
    data = load("touchpoints").dropna().reset_index(drop=True)
    counts = np.resize([1, 2, 3], len(data))
    repeated = data.loc[data.index.repeat(counts)]
    for method in ("shapley", "relative-weights"):
        weighted = key_drivers(data, "nps", TP_X, method, n_boot=0, weights=counts)
        copied = key_drivers(repeated, "nps", TP_X, method, n_boot=0)
        np.testing.assert_allclose(estimates(weighted, TP_X), estimates(copied, TP_X),
                                   atol=1e-12)


def test_labels_and_numpy_input() -> None:
    data = load("swiss")
    table = key_drivers(data, "Fertility", pd.Index(SWISS_X), n_boot=0,
                        labels={"Education": "Schooling", "Fertility": "Fertility index"})
    assert table.set_index("driver").loc["Education", "label"] == "Schooling"
    assert table.attrs["outcome_label"] == "Fertility index"
    assert "Fertility index" in table["definition"].iloc[0]


# -- the bootstrap ----------------------------------------------------------------------
def test_resampled_cross_products_equal_copied_rows() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(60, 4)) * [1, 2, 3, 4] + 1000  # large means: no precision lost
    w = rng.uniform(0.5, 2, 60)
    counts = _boot_counts(rng, 60, 5)
    assert (counts.sum(axis=1) == 60).all()
    corr, flat = _correlations(_gram(_standardised(z, w), w, counts))
    assert not flat.any()
    for b in range(5):
        rows = np.repeat(np.arange(60), counts[b].astype(int))
        expected = np.cov(z[rows].T, aweights=w[rows])
        sd = np.sqrt(np.diag(expected))
        np.testing.assert_allclose(corr[b], expected / np.outer(sd, sd), atol=1e-12)


@pytest.mark.parametrize("method", ["shapley", "relative-weights"])
def test_bootstrap_is_seeded(method: str) -> None:
    data = load("touchpoints")
    a = key_drivers(data, "nps", TP_X, method, n_boot=200, seed=7)
    b = key_drivers(data, "nps", TP_X, method, n_boot=200, seed=7)
    c = key_drivers(data, "nps", TP_X, method, n_boot=200, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["r2_ci"] == b.attrs["r2_ci"]
    assert not np.allclose(a["ci_low"], c["ci_low"])
    gen = key_drivers(data, "nps", TP_X, method, n_boot=200,
                      seed=np.random.default_rng(7))
    np.testing.assert_allclose(gen["ci_low"], a["ci_low"])


@pytest.mark.parametrize("method", ["shapley", "relative-weights"])
def test_intervals_contain_the_estimates(method: str) -> None:
    table = key_drivers(load("touchpoints"), "nps", TP_X, method, n_boot=300, seed=2)
    assert (table["ci_low"] <= table["estimate"]).all()
    assert (table["estimate"] <= table["ci_high"]).all()
    assert (table["share_low"] <= table["share"]).all()
    assert (table["share"] <= table["share_high"]).all()
    assert table.attrs["n_boot_failed"] == 0


def _simulated(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    frame["y"] = x @ [1.0, 0.6, 0.3] + rng.normal(size=n)
    return frame


def test_intervals_narrow_with_n() -> None:
    small = key_drivers(_simulated(200, 1), "y", ["a", "b", "c"], n_boot=300, seed=1)
    large = key_drivers(_simulated(3200, 1), "y", ["a", "b", "c"], n_boot=300, seed=1)
    width_small = (small["share_high"] - small["share_low"]).to_numpy()
    width_large = (large["share_high"] - large["share_low"]).to_numpy()
    assert (width_large < width_small / 2.5).all()  # 16 x the rows: about 1/4 the width


def test_no_bootstrap() -> None:
    table = key_drivers(load("touchpoints"), "nps", TP_X, n_boot=0)
    assert table[["ci_low", "ci_high", "share_low", "share_high"]].isna().all().all()
    assert math.isnan(table.attrs["r2_ci"][0])
    assert "no interval" in table["method"].iloc[0]


def test_degenerate_resamples_are_left_out() -> None:
    # a 0/1 driver with two ones: some resamples miss both, and the driver is constant
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(size=30), "rare": [1.0, 1.0] + [0.0] * 28})
    frame["y"] = frame["a"] + frame["rare"] + rng.normal(size=30)
    table = key_drivers(frame, "y", ["a", "rare"], n_boot=500, seed=1)
    assert table.attrs["n_boot_failed"] > 0
    assert "degenerate resamples left out" in table["method"].iloc[0]
    assert table["ci_low"].notna().all()


# -- bad input --------------------------------------------------------------------------
def _bad_frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    frame["y"] = frame.sum(axis=1) + rng.normal(size=40)
    frame["flat"] = 3.0
    frame["twice_a"] = 2 * frame["a"] + 1
    frame["a_plus_b"] = frame["a"] + frame["b"]
    frame["text"] = ["good", "bad"] * 20
    frame["team"] = pd.Categorical(["north", "south"] * 20)
    frame["empty"] = np.nan
    frame["sparse"] = [1.0, 2.0, 3.0] + [np.nan] * 37
    return frame


BAD = [
    (dict(drivers=["a", "flat"]),
     "drivers 'flat' has no variance in the 40 complete rows (every value is 3); a score "
     "that does not vary cannot explain or be explained: leave it out"),
    (dict(drivers=["a", "b", "twice_a"]),
     "drivers 'a' and 'twice_a' are perfectly collinear (correlation +1.000 in the "
     "complete rows): one is a copy or a rescaling of the other"),
    (dict(drivers=["a", "b", "c", "a_plus_b"]),
     "drivers 'a', 'b', 'a_plus_b' are perfectly collinear: one is an exact linear "
     "combination of the others"),
    (dict(drivers=["a", "b", "sparse"]),
     "key drivers of 3 drivers need at least 5 complete rows (drivers + 2); only 3 of 40 "
     "rows have the outcome and every driver. Driver 'sparse' is missing most often "
     "(37 rows)"),
    (dict(drivers=["a", "text"]),
     "drivers 'text' is not numeric: 40 value(s) are not numbers, e.g. 'good'"),
    (dict(drivers=["a", "team"]),
     "drivers 'team' is not numeric: it holds categories ['north', 'south']"),
    (dict(drivers=["a", "y"]),
     "outcome 'y' is also among the drivers; a judgement cannot drive itself"),
    (dict(drivers=["a", "b", "a"]), "drivers names 'a' more than once"),
    (dict(drivers=["a", "empty"]),
     "drivers 'empty' has no answers: all 40 values are missing; leave it out"),
    (dict(drivers="a"), "drivers must be a list of column names, not one string ('a')"),
    (dict(drivers=["a"]), "drivers needs at least two columns"),
    (dict(drivers=["a", "nope"]), "drivers='nope' is not a column of data; columns: a, b"),
    (dict(outcome="nope"), "outcome='nope' is not a column of data"),
    (dict(method="lmg"), "method must be one of 'shapley', 'relative-weights'; got 'lmg'"),
    (dict(n_boot=50), "n_boot must be 0 (no intervals) or a whole number of at least 100"),
    (dict(level=95), "level must be a number between 0 and 1"),
    (dict(seed=-1), "seed must be None, a whole number of at least 0"),
    (dict(labels={"z": "Zed"}), "labels has key 'z', which is not a driver or the outcome"),
    (dict(weights=[1.0, 2.0]), "weights must have one weight per answer (40)"),
    (dict(weights="nope"), "weights='nope' is not a column of data"),
]


@pytest.mark.parametrize("change, message", BAD, ids=[m[:40] for _, m in BAD])
def test_bad_input_is_explained(change: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"outcome": "y", "drivers": ["a", "b"], "n_boot": 0,
                                 **change}
    with pytest.raises(StatsInputError, match=re.escape(message)):
        key_drivers(_bad_frame(), **arguments)


def test_too_many_drivers_for_shapley() -> None:
    rng = np.random.default_rng(6)
    frame = pd.DataFrame(rng.normal(size=(60, 17)), columns=[f"d{i}" for i in range(17)])
    drivers = [f"d{i}" for i in range(1, 17)]
    message = (f"method 'shapley' needs the R² of all 2^k subsets of the drivers: 16 "
               f"drivers make 65,536 subsets (at most {MAX_SHAPLEY_DRIVERS} drivers, "
               f"32,768 subsets); use method='relative-weights'")
    with pytest.raises(StatsInputError, match=re.escape(message)):
        key_drivers(frame, "d0", drivers, n_boot=0)
    table = key_drivers(frame, "d0", drivers, "relative-weights", n_boot=0)
    assert len(table) == 16


def test_data_must_be_a_table() -> None:
    with pytest.raises(StatsInputError, match="data must be a DataFrame or Responses, not "
                                              "dict"):
        key_drivers({"y": [1, 2]}, "y", ["a", "b"])


# -- importance-performance -------------------------------------------------------------
def _ipa_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    latent = rng.normal(size=(400, 4))
    frame = pd.DataFrame(np.clip(np.round(3.5 + latent - [1, 0, 0.5, -0.5]), 1, 5),
                         columns=["call", "visit", "decision", "payout"])
    frame["nps"] = np.clip(np.round(7 + latent @ [1.5, 0.2, 0.3, 1.0]), 0, 10)
    return frame


def test_importance_performance_columns_and_quadrants() -> None:
    frame = _ipa_frame()
    drivers = ["call", "visit", "decision", "payout"]
    ipa = importance_performance(frame, "nps", drivers, scale=(1, 5), n_boot=200, seed=3)
    assert tuple(ipa.columns) == IPA_COLUMNS
    assert dict(zip(ipa["driver"], ipa["quadrant"])) == {
        "call": "concentrate", "payout": "keep_up", "decision": "low_priority",
        "visit": "possible_overkill"}
    assert set(ipa["quadrant"]) <= set(QUADRANTS)
    assert ipa.attrs["importance_cut"] == pytest.approx(0.25)
    assert ipa.attrs["performance_cut_on"] == "performance_pct"
    assert ipa.attrs["performance_cut"] == pytest.approx(ipa["performance_pct"].mean())
    kd = key_drivers(frame, "nps", drivers, n_boot=200, seed=3)
    np.testing.assert_allclose(ipa["importance"], kd["share"])
    np.testing.assert_allclose(ipa["importance_low"], kd["share_low"])
    np.testing.assert_allclose(ipa["importance_high"], kd["share_high"])
    for _, row in ipa.iterrows():
        ref = mean_score(frame[row["driver"]], scale=(1, 5))  # t interval, as t.test
        assert row["performance"] == pytest.approx(ref.estimate)
        assert (row["performance_low"], row["performance_high"]) == pytest.approx(
            ref.interval)
        assert row["performance_pct"] == pytest.approx(100 * (ref.estimate - 1) / 4)
        assert row["n"] == 400


def test_weighted_performance_matches_mean_score() -> None:
    data = load("touchpoints").dropna()
    ipa = importance_performance(data, "nps", TP_X, weights="weight", n_boot=0,
                                 scale=(1, 5))
    row = ipa.set_index("driver").loc["sat_call"]
    ref = mean_score(data["sat_call"], weights=data["weight"])
    assert row["performance"] == pytest.approx(ref.estimate, abs=1e-12)
    assert (row["performance_low"], row["performance_high"]) == pytest.approx(ref.interval,
                                                                            abs=1e-9)


def test_performance_without_scale_and_mixed_scales() -> None:
    frame = _ipa_frame()
    drivers = ["call", "visit", "decision", "payout"]
    ipa = importance_performance(frame, "nps", drivers, n_boot=0)
    assert ipa["performance_pct"].isna().all()
    assert ipa.attrs["performance_cut_on"] == "performance"
    assert ipa.attrs["performance_cut"] == pytest.approx(ipa["performance"].mean())
    frame["visit"] = frame["visit"] * 2  # now on 2..10
    mixed = importance_performance(frame, "nps", drivers, n_boot=0,
                                   scale={"call": (1, 5), "visit": (0, 10),
                                          "decision": (1, 5), "payout": (1, 5)})
    assert mixed.attrs["performance_cut_on"] == "performance_pct"
    assert mixed.set_index("driver").loc["visit", "performance_pct"] == pytest.approx(
        10 * frame["visit"].mean())


@pytest.mark.parametrize("scale, message", [
    ((1, 4), "drivers 'call' holds 12 answer(s) outside the scale 1..4, e.g. 5; pass the "
             "right scale"),
    ((5, 1), "scale must be (lowest, highest), e.g. (1, 5) or (0, 10); got (5, 1)"),
    ({"nope": (1, 5)}, "scale has key 'nope', which is not a driver"),
])
def test_bad_scale(scale: Any, message: str) -> None:
    frame = _ipa_frame()
    with pytest.raises(StatsInputError, match=re.escape(message)):
        importance_performance(frame, "nps", ["call", "visit"], scale=scale, n_boot=0)


# -- moments of truth -------------------------------------------------------------------
def test_moments_of_truth_on_a_known_case() -> None:
    frame = _ipa_frame()
    drivers = ["call", "visit", "decision", "payout"]
    mot = moments_of_truth(frame, "nps", drivers, scale=(1, 5), n_boot=200, seed=3,
                           labels={"call": "First call"})
    assert tuple(mot.columns) == MOT_COLUMNS
    assert mot["driver"].tolist() == ["call"]
    row = mot.iloc[0]
    assert row["priority"] == 1 and row["strength"] == "clear"
    assert row["importance_clear"] and row["performance_clear"]
    assert pd.isna(row["touchpoint"]) and row["journey_moment_of_truth"] is pd.NA
    assert row["evidence_en"].startswith("First call: high importance, low performance")
    assert "fix this first" in row["evidence_en"]
    assert row["evidence_nl"].startswith("First call: belangrijk en onder het gemiddelde")
    assert re.search(r"scoort \d,\d\d op de schaal 1-5", row["evidence_nl"])
    assert "pak dit als eerste aan" in row["evidence_nl"]
    every = moments_of_truth(frame, "nps", drivers, scale=(1, 5), n_boot=200, seed=3,
                             all_drivers=True)
    assert every["priority"].tolist() == [1, 2, 3, 4]
    assert every["quadrant"].tolist() == ["concentrate", "keep_up", "low_priority",
                                          "possible_overkill"]
    assert every["strength"].iloc[1:].isna().all()
    assert "keep up the good work" in every.loc[1, "evidence_en"]


def test_suggestive_evidence_and_no_intervals() -> None:
    frame = _ipa_frame().iloc[:40]
    mot = moments_of_truth(frame, "nps", ["call", "visit", "decision", "payout"],
                           scale=(1, 5), n_boot=0)
    assert (mot["strength"] == "suggestive").all()
    assert "Without intervals (n_boot=0)" in mot.loc[0, "evidence_en"]


def test_moments_of_truth_touchpoints_given_directly() -> None:
    from cxresearch.journey import load_journey

    journey = load_journey(Path(__file__).resolve().parents[1] / "surveys" /
                           "insurer-claims" / "journey.yaml")
    frame = _ipa_frame().rename(columns={"call": "first_call"})
    drivers = ["first_call", "visit", "decision", "payout"]
    mot = moments_of_truth(frame, "nps", drivers, journey=journey, scale=(1, 5),
                           n_boot=0, touchpoints={"visit": "assessor_visit"},
                           all_drivers=True)
    links = dict(zip(mot["driver"], mot["touchpoint"]))
    assert links == {"first_call": "first_call", "visit": "assessor_visit",
                     "decision": "decision", "payout": "payout"}  # names are journey ids
    flags = dict(zip(mot["driver"], mot["journey_moment_of_truth"]))
    assert flags == {"first_call": True, "visit": False, "decision": True, "payout": True}
    assert "The journey marks it as a moment of truth." in mot.loc[0, "evidence_en"]
    assert "De klantreis markeert dit als moment van de waarheid." in \
        mot.loc[0, "evidence_nl"]
    with pytest.raises(StatsInputError, match=re.escape(
            "touchpoints links driver 'visit' to touchpoint 'visit', which journey "
            "'insurer-claims' does not have")):
        moments_of_truth(frame, "nps", drivers, journey=journey, n_boot=0,
                         touchpoints={"visit": "visit"})
    with pytest.raises(StatsInputError, match="journey must be a Journey"):
        moments_of_truth(frame, "nps", drivers, journey=42, n_boot=0)


# -- the example study (insurer-claims) -------------------------------------------------
# The study README's truth: a customer's experience at a touchpoint is latent; the
# overall judgement (NPS, overall satisfaction) is peak-end: 0.4 x the most extreme
# touchpoint + 0.4 x the last one + 0.2 x their mean. The first call is the weakest
# touchpoint (the likely negative peak) and improves by +0.6 in wave "after"; the payout
# (+0.4) is the last touchpoint of most claims. truth_n=0 gives the shipped data without
# recomputing the large-sample truth (the answers are the same).
CLAIM_DRIVERS = ["report_claim", "first_call", "decision", "payout"]  # touchpoint ids


@pytest.fixture(scope="module")
def claims() -> Any:
    from cxresearch.datasets import example_study

    return example_study("insurer-claims", truth_n=0)


def test_example_touchpoint_ids_read_from_the_survey(claims: Any) -> None:
    table = key_drivers(claims.responses(), "nps", CLAIM_DRIVERS, n_boot=0, lang="en")
    assert set(table["driver"]) == {"sat_report", "sat_call", "sat_decision", "sat_payout"}
    assert table.set_index("driver").loc["sat_call", "label"] == \
        "The phone call with the claims handler"
    assert table.attrs["touchpoints"]["sat_call"] == "first_call"
    assert table.attrs["outcome_label"] == "NPS"
    dutch = key_drivers(claims.responses(), "nps", ["sat_report", "sat_call"], n_boot=0)
    assert dutch.set_index("driver").loc["sat_call", "label"] == \
        "Het telefoongesprek met de schadebehandelaar"  # the survey's default language
    assert table.attrs["n"] + table.attrs["n_dropped"] == len(claims.customers)


@pytest.mark.parametrize("outcome", ["nps", "overall_sat"])
def test_example_first_call_and_payout_matter_most(claims: Any, outcome: str) -> None:
    table = key_drivers(claims.responses(), outcome, CLAIM_DRIVERS, n_boot=0)
    assert set(table["driver"].iloc[:2]) == {"sat_call", "sat_payout"}


def test_example_payout_matters_most_where_it_is_the_end(claims: Any) -> None:
    # peak-end: the payout weighs more for customers whose journey ends there than for
    # those who go on to the check-in call, prevention advice or renewal
    data = claims.customers
    later = data[["sat_checkin", "sat_prevention", "sat_renewal"]].notna().any(axis=1)
    responses = claims.responses()
    for outcome in ("nps", "overall_sat"):
        ends = key_drivers(responses.with_data(data[~later]), outcome, CLAIM_DRIVERS,
                           n_boot=0).set_index("driver")
        goes_on = key_drivers(responses.with_data(data[later]), outcome, CLAIM_DRIVERS,
                              n_boot=0).set_index("driver")
        assert ends.loc["sat_payout", "rank"] == 1
        assert ends.loc["sat_payout", "share"] > goes_on.loc["sat_payout", "share"] + 0.05


def test_example_improving_the_call_lowers_its_weight(claims: Any) -> None:
    # before the improvement the first call clearly matters more than the average
    # touchpoint; once it is better (+0.6) it is less often the negative peak, so under
    # peak-end its weight falls (under a judgement that averages, it would not)
    assert claims.truth.effects == {"first_call": 0.6, "payout": 0.4}
    data, responses = claims.customers, claims.responses()
    before = key_drivers(responses.with_data(data[data["wave"] == "before"]), "nps",
                         CLAIM_DRIVERS, n_boot=500, seed=1).set_index("driver")
    after = key_drivers(responses.with_data(data[data["wave"] == "after"]), "nps",
                        CLAIM_DRIVERS, n_boot=0).set_index("driver")
    assert before.loc["sat_call", "rank"] == 1
    assert before.loc["sat_call", "share_low"] > 0.25  # above the average share (1/4)
    assert after.loc["sat_call", "share"] < before.loc["sat_call", "share"] - 0.1


def test_example_moments_of_truth(claims: Any) -> None:
    mot = moments_of_truth(claims.responses(), "nps", CLAIM_DRIVERS,
                           journey=claims.journey, n_boot=500, seed=1, all_drivers=True)
    first = mot.iloc[0]
    assert (first["touchpoint"], first["quadrant"]) == ("first_call", "concentrate")
    assert bool(first["journey_moment_of_truth"]) is True
    assert first["performance_clear"]  # clearly below the drivers' average
    assert mot.attrs["scales"]["sat_call"] == (1.0, 5.0)  # read from the survey
    assert mot.attrs["journey_moments"] == {"first_call": "concentrate",
                                            "decision": "low_priority",
                                            "payout": "keep_up"}
    payout = mot.set_index("touchpoint").loc["payout"]
    assert "but the answers do not make it a priority now" in payout["evidence_en"]
    assert "Het telefoongesprek met de schadebehandelaar" in first["evidence_nl"]
    assert "The phone call with the claims handler" in first["evidence_en"]
