"""Peak-end against the average (cxresearch.stats._peakend).

Reference values: R 4.2 on tests/data/stats/peak_end.csv, script tests/r/peak_end.R.
"""

from __future__ import annotations

import re

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch import load_instrument
from cxresearch.data import read_responses
from cxresearch.journey import Journey
from cxresearch.stats import touchpoint_fields
from cxresearch.stats._check import StatsInputError
from cxresearch.stats._peakend import MODEL_COLUMNS, peak_end
from cxresearch.stats._result import RESULT_COLUMNS

DATA = Path(__file__).parent / "data" / "stats" / "peak_end.csv"
TPS = ["tp1", "tp2", "tp3", "tp4"]
LN58 = np.log(58)


@pytest.fixture(scope="module")
def ref():
    return peak_end(pd.read_csv(DATA), TPS, "overall", midpoint=3, n_boot=200, seed=1)


def test_counts(ref):
    assert ref.n == 58  # R: nrow(d) after dropping < 2 answered
    assert ref.n_dropped == 2


# (model, R summary(lm)$r.squared, adj.r.squared, AIC(lm), BIC(lm))
@pytest.mark.parametrize("model, r2, adj, aic, bic", [
    ("mean", 0.3686153172, 0.3573405907, 171.30047435, 177.48180338),          # lm(overall ~ mean)
    ("peak_end", 0.8387757389, 0.8329130385, 94.12357263, 102.36534468),       # lm(overall ~ peak + end)
    ("peak_end_mean", 0.8496485926, 0.8412957366, 92.07395166, 102.37616671),  # lm(overall ~ peak + end + mean)
])
def test_models_match_r(ref, model, r2, adj, aic, bic):
    row = ref.models.set_index("model").loc[model]
    assert row["r2"] == pytest.approx(r2, abs=1e-9)
    assert row["adj_r2"] == pytest.approx(adj, abs=1e-9)
    # statsmodels leaves the residual variance out of the parameter count: AIC(lm) - 2,
    # BIC(lm) - ln(n); differences between models are the same
    assert row["aic"] == pytest.approx(aic - 2, abs=1e-6)
    assert row["bic"] == pytest.approx(bic - LN58, abs=1e-6)


def test_coefficients_match_r(ref):
    m = ref.models.set_index("model")
    # coef(lm(overall ~ peak + end + mean))
    assert m.loc["peak_end_mean", ["b_intercept", "b_peak", "b_end", "b_mean"]].tolist() == \
        pytest.approx([0.17978525, 0.37752452, 0.31177474, 0.22777496], abs=1e-7)
    # coef(lm(overall ~ mean))
    assert m.loc["mean", ["b_intercept", "b_mean"]].tolist() == \
        pytest.approx([-0.39750066, 1.07771895], abs=1e-7)


def test_f_test_matches_anova(ref):
    # anova(m_mean, m_full): F 86.38361727, Pr(>F) 1.49266831e-17, Df 2, Res.Df 54
    assert ref.statistic == pytest.approx(86.38361727, abs=1e-6)
    assert ref.p_value == pytest.approx(1.49266831e-17, rel=1e-6)
    assert ref.df == 2
    assert ref.tests["df2"].iloc[0] == 54
    # (deviance(m_mean) - deviance(m_full)) / deviance(m_mean)
    assert ref.estimate == pytest.approx(0.7618703597, abs=1e-9)
    assert ref.ci_low < ref.estimate < ref.ci_high


def test_j_tests_match_r(ref):
    t = ref.tests.set_index("test")
    # summary(lm(overall ~ mean + fitted(m_pe)))$coefficients[3, ]: t 13.25191400
    row = t.loc["J: peak-end explains what mean misses"]
    assert row["statistic"] == pytest.approx(13.25191400, abs=1e-6)
    assert row["p_value"] == pytest.approx(9.273654474e-19, rel=1e-5)
    # summary(lm(overall ~ peak + end + fitted(m_mean)))$coefficients[4, ]: t 1.97612723
    row = t.loc["J: mean explains what peak-end misses"]
    assert row["statistic"] == pytest.approx(1.97612723, abs=1e-6)
    assert row["p_value"] == pytest.approx(0.05325839929, rel=1e-6)


def test_peak_ties_go_to_later_and_sign():
    df = pd.DataFrame({"a": [1, 5, 3, 2], "b": [5, 1, np.nan, 4], "c": [3, 3, 4, np.nan],
                       "overall": [3, 2, 4, 3]})
    df = pd.concat([df] * 3, ignore_index=True)
    df["overall"] = df["overall"] + np.arange(12) % 3 * 0.1
    res = peak_end(df, ["a", "b", "c"], "overall", midpoint=3, n_boot=0, min_group_size=1)
    s = res.scores.iloc[:4]
    assert s["peak"].tolist() == [5, 1, 4, 4]  # row 0: |1-3| = |5-3|: the later (b)
    assert s["peak_touchpoint"].tolist() == ["b", "b", "c", "b"]
    assert s["negative_peak"].tolist() == [False, True, False, False]
    assert s["end"].tolist() == [3, 3, 4, 4]
    assert s["mean"].tolist() == pytest.approx([3, 3, 3.5, 3])


def test_negative_peaks_suppressed():
    rng = np.random.default_rng(3)
    rows = ([[1, 3, 3]] * 30 + [[3, 1, 3]] * 3 + [[3, 3, 1]] * 8
            + rng.choice([4, 5], size=(30, 3)).tolist())
    df = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=float)
    df["overall"] = df.mean(axis=1) + np.random.default_rng(3).normal(0, .3, len(df))
    res = peak_end(df, ["a", "b", "c"], "overall", n_boot=0)
    neg = res.negative_peaks.set_index("touchpoint")
    assert list(res.negative_peaks.columns) == ["touchpoint", "field", "count", "share",
                                                "suppressed"]
    assert res.negative_peaks["touchpoint"].iloc[0] == "a"
    assert neg.loc["a", "count"] == 30 and neg.loc["a", "share"] == pytest.approx(30 / 41)
    # b (3 < 5) is hidden; c (8) too, else b = 41 - 30 - 8 by subtraction
    assert neg.loc[["b", "c"], "suppressed"].all()
    assert neg.loc[["b", "c"], "count"].isna().all() and neg.loc[["b", "c"], "share"].isna().all()


def test_result_protocol(ref):
    frame = ref.to_frame()
    assert list(frame.columns[:len(RESULT_COLUMNS)]) == list(RESULT_COLUMNS)
    assert {"partial_r2", "adj_r2_mean", "adj_r2_peak_end", "n_dropped"} <= set(frame.columns)
    assert list(ref.models.columns[:len(MODEL_COLUMNS)]) == list(MODEL_COLUMNS)
    assert "<table" in ref._repr_html_()
    with pytest.raises(Exception):
        ref.estimate = 1  # frozen


def test_verdict_languages(ref):
    assert ref.better
    assert ref.verdict("en").startswith("Peak and end predict the overall judgement better")
    assert ref.verdict("nl").startswith("Piek en eind voorspellen het totaaloordeel beter")
    assert "2 respondent" in ref.verdict("en")
    # numbers in the reader's notation: "0,41" and "95%-interval" in Dutch, "0.41" in English
    en, nl = ref.verdict("en"), ref.verdict("nl")
    adj = ref.models.set_index("model").loc["peak_end", "adj_r2"]
    assert f"{adj:.3f}" in en and f"{adj:.3f}".replace(".", ",") in nl
    assert "95% interval" in en and "95%-interval" in nl
    assert not re.search(r"\d\.\d", nl), nl
    with pytest.raises(StatsInputError, match="lang must be one of 'en', 'nl'; got 'de'"):
        ref.verdict("de")


def test_verdict_names_the_touchpoint_from_the_journey():
    root = Path(__file__).parents[1] / "surveys" / "webshop-delivery"
    survey = load_instrument(root / "instruments" / "customer-survey.yaml")
    data = read_responses(root / "data" / "raw" / "customers.xlsx", survey)
    journey = Journey.load(root / "journey.yaml")
    fields = touchpoint_fields(survey, "touchpoint_satisfaction")
    res = peak_end(data, [fields[t][0] for t in journey.touchpoint_ids() if t in fields],
                   "overall_sat", n_boot=0)
    assert res.names["installation"] == journey.touchpoint("installation").name
    for lang in ("en", "nl"):
        assert f"negative peak: {journey.label('installation', lang)} (" in res.verdict(lang) \
            or f"negatieve piek: {journey.label('installation', lang)} (" in res.verdict(lang)


@pytest.mark.parametrize("kwargs, message", [
    ({"touchpoints": "tp1"}, "touchpoints must be a list of at least 2 score columns"),
    ({"touchpoints": ["tp1", "nope"]}, "touchpoints='nope' is not a column of data"),
    ({"overall": "tp1"}, "overall='tp1' is also one of the touchpoints"),
    ({"midpoint": "3"}, "midpoint must be a number"),
    ({"level": 95}, "level must be a number between 0 and 1"),
])
def test_bad_input(kwargs, message):
    args = {"touchpoints": TPS, "overall": "overall", **kwargs}
    with pytest.raises(StatsInputError, match=message):
        peak_end(pd.read_csv(DATA), args.pop("touchpoints"), args.pop("overall"), **args)


def test_webshop_example():
    """Failed installations are the negative peak; the apology card changes the end."""
    from cxresearch.data import read_responses
    from cxresearch.stats._touchpoints import touchpoint_fields

    root = Path(__file__).parents[1] / "surveys" / "webshop-delivery"
    r = read_responses(root / "data" / "raw" / "customers.xlsx",
                       root / "instruments" / "customer-survey.yaml")
    fields = [f[0] for f in touchpoint_fields(r.survey, "touchpoint_satisfaction").values()]
    res = peak_end(r, fields, "overall_sat", n_boot=200)
    assert res.negative_peaks["touchpoint"].iloc[0] == "installation"
    # peak and end add to the average (partial R² > 0, F-test), and the
    # Davidson-MacKinnon J-test rejects the mean-only model
    assert res.adds and res.ci_low > 0
    j = res.tests.set_index("test").loc["J: peak-end explains what mean misses"]
    assert j["p_value"] < 0.001
    # observed 1-5 answers: the mean of ~6 answered touchpoints carries the shared
    # disposition, so alone it fits better than peak + end (documented in the report)
    assert not res.beats_mean
