"""Difference-in-differences and interrupted time series, checked against R.

Every expected number below was printed by ``tests/r/designs.R`` (R 4.2.2, sandwich
3.0-2, lmtest) on the CSV files in ``tests/data/stats/``; the R call is beside each case.
OLS and sandwich estimators are closed forms, so the tolerance is 1e-8 relative (R printed
12 significant digits).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.stats import Result, StatsInputError, did, its

DATA = Path(__file__).resolve().parent / "data" / "stats"
TOL = 1e-8


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name)


def _close(result: Result, est: float, se: float, p: float | None, low: float | None,
           high: float | None) -> None:
    assert result.estimate == pytest.approx(est, rel=TOL)
    assert result.se == pytest.approx(se, rel=TOL)
    if p is not None:
        assert result.p_value == pytest.approx(p, rel=1e-7)
    if low is not None:
        assert result.ci_low == pytest.approx(low, rel=TOL)
        assert result.ci_high == pytest.approx(high, rel=TOL)


# -- difference-in-differences ----------------------------------------------------------
# (name, call, estimate, se, p, ci_low, ci_high), R value beside each case
DID_CASES = [
    # lm(score ~ treated*post, d); V <- vcovCL(fit, cluster = ~branch, type = "HC1")
    # coeftest(fit, vcov = V, df = G - 1); coefci(fit, vcov = V, df = G - 1)  (G = 12)
    ("branches, clustered",
     lambda: did(_read("did_branches.csv"), "score", "treated", "post", "branch"),
     0.668823960470, 0.284041068135, 0.0381711382524, 0.043653784649, 1.293994136292),
    # coeftest(fit, vcov = vcovHC(fit, type = "HC1")); coefci(fit, vcov = ...)
    ("branches, HC1",
     lambda: did(_read("did_branches.csv"), "score", "treated", "post"),
     0.668823960470, 0.280177904736, 0.0179663628327, 0.116146404316, 1.221501516624),
    # lm(score ~ treated*post + age + channel, d); vcovCL(~branch, "HC1"); df = G - 1
    ("branches, covariates",
     lambda: did(_read("did_branches.csv"), "score", "treated", "post", "branch",
                 covariates=["age", "channel"]),
     0.692816159176, 0.286214334342, 0.0339695556414, 0.062862656684, 1.322769661668),
    # T <- group == "new"; P <- wave == "after"; lm(score ~ T*P, d);
    # vcovCL(fit, cluster = ~team, type = "HC1"); coeftest(df = 39); coefci(df = 39)
    ("teams, named levels",
     lambda: did(_read("did_teams.csv"), "score", ("group", "new"), ("wave", "after"),
                 "team"),
     0.533725000000, 0.260944855178, 0.0476079319565, 0.005914210800, 1.061535789200),
]


@pytest.mark.parametrize("name, call, est, se, p, low, high", DID_CASES,
                         ids=[c[0] for c in DID_CASES])
def test_did_matches_r(name, call, est, se, p, low, high) -> None:
    result = call()
    _close(result, est, se, p, low, high)
    assert result.name == "difference-in-differences"
    assert result.statistic == pytest.approx(est / se, rel=TOL)


def test_did_cell_means_clusters_and_caveat() -> None:
    r = did(_read("did_branches.csv"), "score", "treated", "post", "branch")
    # with(d, tapply(score, list(treated, post), mean))
    assert [r.extra[k] for k in ("mean_treated_pre", "mean_treated_post",
                                 "mean_control_pre", "mean_control_post")] == pytest.approx(
        [3.50842222222, 4.45002272727, 3.21692156863, 3.48969811321], rel=1e-10)
    assert [r.extra[k] for k in ("n_treated_pre", "n_treated_post", "n_control_pre",
                                 "n_control_post")] == [45, 44, 51, 53]
    assert r.n == 193 and r.df == 11
    assert r.extra["n_clusters"] == 12 and r.extra["n_clusters_treated"] == 6
    assert r.extra["few_clusters"] is True
    assert any("only 12 clusters" in c for c in r.extra["caveats"])
    frame = r.to_frame()
    assert frame.loc[0, "estimate"] == r.estimate and "mean_treated_pre" in frame


def test_did_many_clusters_has_no_cluster_caveat() -> None:
    r = did(_read("did_teams.csv"), "score", ("group", "new"), ("wave", "after"), "team")
    assert r.extra["n_clusters"] == 40 and r.extra["few_clusters"] is False
    assert r.extra["caveats"] == ()
    assert (r.extra["treated_level"], r.extra["control_level"]) == ("new", "old")
    assert (r.extra["post_level"], r.extra["pre_level"]) == ("after", "before")


def test_did_reads_bool_and_ordered_categorical_indicators() -> None:
    d = _read("did_teams.csv")
    d["is_new"] = d["group"] == "new"
    d["wave"] = pd.Categorical(d["wave"], categories=["before", "after"], ordered=True)
    r = did(d, "score", "is_new", "wave", "team")
    assert r.estimate == pytest.approx(0.533725, rel=TOL)  # as above (R)
    assert r.extra["post_level"] == "after"


def test_did_leaves_out_rows_with_missing_values() -> None:
    d = _read("did_branches.csv")
    extra = pd.DataFrame({"branch": ["B00", "B01"], "treated": [1, None], "post": [0, 1],
                          "age": [40, 41], "channel": ["web", "web"],
                          "score": [None, 3.0]})
    r = did(pd.concat([d, extra], ignore_index=True), "score", "treated", "post", "branch")
    assert r.estimate == pytest.approx(0.668823960470, rel=TOL)  # as without the rows
    assert r.extra["n_dropped"] == 2
    assert any("2 row(s) with a missing value" in c for c in r.extra["caveats"])


@pytest.mark.parametrize("change, kwargs, message", [
    (lambda d: d.assign(treated=1), {},
     r"treated \(column 'treated'\) has only one level \(1\)"),
    (lambda d: d.assign(post=np.arange(len(d)) % 3), {},
     r"post \(column 'post'\) must have two levels .* it has 3"),
    (lambda d: d.assign(treated=np.where(d.treated == 1, "A", "B")), {},
     r"levels 'A' and 'B'; it is not clear which one is treated.*treated=\('treated', 'B'\)"),
    (lambda d: d, {"treated": ("channel", "mail")},
     r"treated: level 'mail' is not in column 'channel'"),
    (lambda d: d, {"outcome": "satisfaction", "cluster": "region"},
     r"no column for outcome='satisfaction', cluster='region'; its columns are 'branch'"),
    (lambda d: d.assign(score=d.score.astype(str).where(d.index != 3, "good")), {},
     r"outcome \(column 'score'\) must hold numbers; 1 value\(s\) are not, the first is "
     r"'good'"),
    (lambda d: d[~((d.treated == 0) & (d.post == 1))], {},
     r"no control rows after the change"),
    (lambda d: d.assign(branch="B00"), {},
     r"cluster \(column 'branch'\) has one level only \('B00'\)"),
    (lambda d: d.assign(age=40), {"covariates": ["age"]},
     r"covariates: column 'age' takes one value only"),
    (lambda d: d, {"covariates": ["treated"]},
     r"covariates: 'treated' is already the outcome"),
    (lambda d: d.iloc[0:0], {}, r"data is empty"),
    (lambda d: d, {"level": 95}, r"level must be a number between 0 and 1"),
])
def test_did_bad_input(change, kwargs, message) -> None:
    args = {"outcome": "score", "treated": "treated", "post": "post", "cluster": "branch"}
    args.update(kwargs)
    with pytest.raises(StatsInputError, match=message):
        did(change(_read("did_branches.csv")), **args)


def test_did_needs_a_dataframe() -> None:
    with pytest.raises(StatsInputError, match="data must be a pandas DataFrame"):
        did([[1, 2]], "score", "treated", "post")  # type: ignore[arg-type]


# -- interrupted time series -----------------------------------------------------------
def _gap() -> pd.DataFrame:
    return _read("its_monthly.csv").drop(index=[5, 6, 29])  # R: m[-c(6, 7, 30), ]


# (name, call, level (est, se, p, lo, hi), slope (...), pre-trend (...), post (est, se))
ITS_CASES = [
    # P <- t >= 24; fit <- lm(csat ~ t + P + I((t - 24) * P)); L = 3
    # coeftest(fit, vcov = NeweyWest(fit, lag = 3, prewhite = FALSE, adjust = TRUE))
    ("monthly", lambda: its(_read("its_monthly.csv"), "month", "csat", "2023-01-01"),
     (4.937131304348, 0.630346096695, 7.02946867204e-10, 3.666752220391, 6.207510388305),
     (0.272127391304, 0.054050478878, 8.59738599218e-06, 0.163195808790, 0.381058973819),
     (0.110188695652, 0.032558416345, 0.00150945615724, 0.044571519075, 0.175805872229),
     (0.382316086957, 0.042677708718)),
    # the same with NeweyWest(fit, lag = 6, prewhite = FALSE, adjust = TRUE)
    ("monthly, 6 lags",
     lambda: its(_read("its_monthly.csv"), "month", "csat", "2023-01-01", maxlags=6),
     (4.937131304348, 0.600420009961, 1.93532252217e-10, 3.727064285225, 6.147198323470),
     (0.272127391304, 0.048349250886, 1.18339299444e-06, 0.174685878819, 0.369568903789),
     (0.110188695652, 0.033144161580, 0.00179227988277, 0.043391027122, 0.176986364182),
     (0.382316086957, 0.034202612506)),
    # lm(csat ~ t + P + TP + factor(month of year)); NeweyWest(lag = 3, ...)
    ("monthly, seasonal",
     lambda: its(_read("its_monthly.csv"), "month", "csat", "2023-01-01",
                 seasonal="month"),
     (4.019772028986, 0.690819835334, 1.64473955462e-06, 2.614288506217, 5.425255551754),
     (0.272127391304, 0.041910085905, 2.27678414182e-07, 0.186860680413, 0.357394102195),
     (0.148411998792, 0.034132154614, 0.000124011472397, 0.078969608096, 0.217854389489),
     (0.420539390097, 0.029191697456)),
    # rows 6, 7, 30 dropped; t = true month index; NeweyWest(lag = 3, ...)
    ("monthly with a gap", lambda: its(_gap(), "month", "csat", "2023-01-01"),
     (5.040582347839, 0.623876762309, 5.15964395219e-10, 3.780637665850, 6.300527029828),
     (0.267630482289, 0.056008328220, 2.28112242944e-05, 0.154519368764, 0.380741595814),
     (0.109350961334, 0.036744021924, 0.00488044033862, 0.035144903641, 0.183557019028),
     (0.376981443623, 0.041829259973)),
    # weeks 1..60, t0 = week 31; NeweyWest(lag = 3, ...)
    ("weekly periods", lambda: its(_read("its_weekly.csv"), "week", "nps", 31),
     (-7.424001408973, 1.350964168892, 9.9073209101e-07, -10.130307841802,
      -4.717694976144),
     (0.074490767519, 0.059605479740, 0.216596011981, -0.044913356562, 0.193894891601),
     (0.064358398220, 0.039617183407, 0.109883523163, -0.015004356746, 0.143721153187),
     (0.138849165740, 0.051002582922)),
]


@pytest.mark.parametrize("name, call, level, slope, pre, post", ITS_CASES,
                         ids=[c[0] for c in ITS_CASES])
def test_its_matches_r(name, call, level, slope, pre, post) -> None:
    r = call()
    assert r.name == "level change"
    _close(r, *level)
    _close(r.extra["slope_change"], *slope)
    _close(r.extra["pre_trend"], *pre)
    _close(r.extra["post_trend"], *post, None, None, None)


# errors="ar1" against R arima(full, order = c(1, 0, 0), xreg = X, method = "ML")
# (tests/r/designs.R, its_ar1); (name, call, level (est, se, p, lo, hi), slope, pre, rho).
# The optimisers differ (R: BFGS to reltol 1e-12; ours: L-BFGS then Nelder-Mead), so the
# numbers agree to about 1e-6, not to the last digit.
ITS_AR1_CASES = [
    ("monthly", lambda: its(_read("its_monthly.csv"), "month", "csat", "2023-01-01",
                            errors="ar1"),
     (4.882905567824, 0.782834603571, 4.44710842754e-10, 3.348577938972, 6.417233196675),
     (0.299798629270, 0.070546460620, 2.14093103916e-05, 0.161530107218, 0.438067151321),
     (0.100687068923, 0.045672566119, 0.0274862824172, 0.011170484249, 0.190203653598),
     0.516382996235),
    ("monthly, seasonal",
     lambda: its(_read("its_monthly.csv"), "month", "csat", "2023-01-01",
                 seasonal="month", errors="ar1"),
     (4.122013317026, 0.593364012366, 3.73521213819e-12, 2.959041223066, 5.284985410985),
     (0.281099874953, 0.040561245871, 4.20075531415e-12, 0.201601293879, 0.360598456027),
     (0.141136183418, 0.030203115995, 2.96974337367e-06, 0.081939163846, 0.200333202990),
     0.308707295613),
    # the gap: R puts NA in the three missing months and runs the AR(1) through them
    ("monthly with a gap", lambda: its(_gap(), "month", "csat", "2023-01-01",
                                       errors="ar1"),
     (4.926326000215, 0.798684874382, 6.9138510183e-10, 3.360932411428, 6.491719589001),
     (0.292421160332, 0.072584367998, 5.60844360765e-05, 0.150158413215, 0.434683907449),
     (0.104832022225, 0.046980286709, 0.0256543483859, 0.012752352293, 0.196911692158),
     0.522538567399),
    ("weekly periods", lambda: its(_read("its_weekly.csv"), "week", "nps", 31,
                                   errors="ar1"),
     (-7.228447383865, 1.208016004815, 2.18078310753e-09, -9.596115246050,
      -4.860779521681),
     (0.076775685278, 0.068638343185, 0.263330507111, -0.057752995323, 0.211304365878),
     (0.058082341049, 0.049042571094, 0.236284452073, -0.038039332004, 0.154204014102),
     0.106429713951),
]


@pytest.mark.parametrize("name, call, level, slope, pre, rho", ITS_AR1_CASES,
                         ids=[c[0] for c in ITS_AR1_CASES])
def test_its_ar1_matches_r(name, call, level, slope, pre, rho) -> None:
    r = call()
    for result, (est, se, p, low, high) in ((r, level), (r.extra["slope_change"], slope),
                                           (r.extra["pre_trend"], pre)):
        assert result.estimate == pytest.approx(est, rel=1e-5, abs=1e-6)
        assert result.se == pytest.approx(se, rel=1e-4)
        assert result.p_value == pytest.approx(p, rel=1e-3)
        assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-4,
                                                                abs=1e-5)
        assert result.df is None  # z, as R's Wald intervals
    assert r.extra["rho"] == pytest.approx(rho, rel=1e-4)
    assert r.extra["errors"] == "ar1" and r.extra["maxlags"] is None
    assert "AR(1) errors" in r.method and not any("Newey-West" in c
                                                   for c in r.extra["caveats"])


def test_its_short_series_newey_west_caveat() -> None:
    r = its(_read("its_monthly.csv"), "month", "csat", "2023-01-01")
    assert r.extra["caveats"] == (
        "Newey-West intervals are too narrow in series as short as this (48 periods) "
        "when the errors are autocorrelated; errors='ar1' keeps closer to the stated "
        "level",)
    long = pd.DataFrame({"t": range(130), "y": np.sin(np.arange(130)) + (
        np.arange(130) >= 65)})
    assert its(long, "t", "y", 65).extra["caveats"] == ()


def test_its_default_lags_and_counts() -> None:
    r = its(_read("its_monthly.csv"), "month", "csat", "2023-01-01")
    assert r.extra["maxlags"] == 3  # floor(4 * (48 / 100)^(2/9)), R: floor(...) = 3
    assert (r.extra["n_before"], r.extra["n_after"]) == (24, 24)
    assert r.extra["unit"] == "month" and r.extra["intervention_period"] == "2023-01-01"
    assert r.df == 44 and r.extra["errors"] == "newey-west" and r.extra["rho"] is None


def test_its_gap_is_kept_and_flagged() -> None:
    r = its(_gap(), "month", "csat", "2023-01-01")
    assert r.extra["missing_periods"] == 3
    assert r.extra["caveats"][0].startswith("the series misses 3 period(s) of one month "
                                            "(the first: 2021-06-01)")


def test_its_reads_strings_periods_and_mid_period_interventions() -> None:
    m = _read("its_monthly.csv")
    expected = 4.937131304348  # R, as in the monthly case
    as_dates = m.assign(month=pd.to_datetime(m.month))
    as_periods = m.assign(month=pd.PeriodIndex(m.month, freq="M"))
    for data, when in ((m, "2023-01-01"), (as_dates, pd.Timestamp("2023-01-15")),
                       (as_periods, pd.Period("2023-01", "M")),
                       (m.sample(frac=1, random_state=1), "2023-01-31")):
        assert its(data, "month", "csat", when).estimate == pytest.approx(expected, rel=TOL)


def test_its_quarters_and_short_series_caveat() -> None:
    q = pd.DataFrame({"quarter": pd.date_range("2020-01-01", periods=10, freq="QS"),
                      "y": [5.0, 5.2, 5.1, 5.4, 5.3, 6.4, 6.3, 6.6, 6.5, 6.9]})
    r = its(q, "quarter", "y", "2021-04-01")
    assert r.extra["unit"] == "quarter" and r.extra["n_before"] == 5
    assert any("only 5 periods before and 5 after" in c for c in r.extra["caveats"])


def _weekly() -> pd.DataFrame:
    return _read("its_weekly.csv")


@pytest.mark.parametrize("data, kwargs, message", [
    (_weekly, {"intervention": 75},
     r"intervention 75 is outside the series' range: it must fall after the first "
     r"period \(1\) and no later than the last \(60\)"),
    (_weekly, {"intervention": 1}, r"intervention 1 is outside the series' range"),
    (lambda: _read("its_monthly.csv"), {"intervention": "2020-06-01", "time": "month",
                                        "outcome": "csat"},
     r"intervention '2020-06-01' is outside the series' range: it must fall after the "
     r"first period \(2021-01-01\) and no later than the last \(2024-12-01\)"),
    (lambda: _read("its_monthly.csv"), {"intervention": "soon", "time": "month",
                                        "outcome": "csat"},
     r"intervention must be a date such as '2024-07-01'"),
    (_weekly, {"intervention": 60}, r"leaves 59 period\(s\) before and 1 after"),
    (_weekly, {"time": "when"}, r"no column for time='when'; its columns are 'week', 'nps'"),
    (lambda: _weekly().assign(nps="high"), {},
     r"outcome \(column 'nps'\) must hold numbers"),
    (lambda: pd.concat([_weekly(), _weekly().iloc[[4]]]), {},
     r"time \(column 'week'\) repeats a period \(5\): its\(\) needs one row per period"),
    (lambda: _weekly().assign(week=_weekly().week * 2 + (_weekly().week > 40)), {},
     r"cannot infer the frequency of the series: periods are \[2, 3\] periods apart"),
    (lambda: _weekly().assign(week=_weekly().week + 0.5), {},
     r"time \(column 'week'\) must hold whole-number periods"),
    (lambda: _weekly().assign(week=["w"] * 60), {},
     r"time \(column 'week'\) must hold dates or whole-number periods; could not read 'w'"),
    (_weekly, {"seasonal": "year"}, r"seasonal must be one of 'month', 'week', 'weekday'"),
    (lambda: _weekly().assign(week=pd.date_range("2024-01-01", periods=60, freq="7D")),
     {"intervention": "2024-06-03", "seasonal": "weekday"},
     r"seasonal='weekday' finds one season only"),
    (_weekly, {"maxlags": -1}, r"maxlags must be a whole number from 0 to 59"),
    (_weekly, {"maxlags": 2.5}, r"maxlags must be a whole number"),
    (_weekly, {"errors": "gls"}, r"errors must be one of 'newey-west', 'ar1'"),
    (_weekly, {"errors": "ar1", "maxlags": 3},
     r"maxlags=3 sets Newey-West lags; it does not apply to errors='ar1'"),
])
def test_its_bad_input(data, kwargs, message) -> None:
    args = {"time": "week", "outcome": "nps", "intervention": 31}
    args.update(kwargs)
    with pytest.raises(StatsInputError, match=message):
        its(data(), **args)


def test_its_irregular_dates_cannot_be_read() -> None:
    days = pd.to_datetime(["2024-01-01", "2024-01-04", "2024-01-09", "2024-01-11",
                           "2024-01-18", "2024-01-20"])
    data = pd.DataFrame({"day": days, "y": [1.0, 2, 3, 5, 6, 7]})
    with pytest.raises(StatsInputError, match=r"cannot infer the frequency .* \[2, 3, 5, 7\] "
                                              r"days apart"):
        its(data, "day", "y", "2024-01-11")
