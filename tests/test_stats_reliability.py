"""Reliability of scales: Cronbach's alpha, McDonald's omega, item analysis.

Expected values come from R (script: tests/r/reliability.R, R 4.2, psych 2.2.9), with the
R call beside each number. Data: tests/data/stats/ (likert_items.csv: seeded five-point
answers with missing values; realstats_alpha.csv: the Real Statistics Cronbach's alpha
example; attitude.csv: R's datasets::attitude).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.stats import (RESULT_COLUMNS, StatsInputError, cronbach_alpha, item_analysis,
                              mcdonald_omega)

DATA = Path(__file__).resolve().parent / "data" / "stats"


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv")


# -- Cronbach's alpha, Feldt interval, ASE ---------------------------------------------
ALPHA_CASES = [
    # psych::alpha(likert): total$raw_alpha, feldt$lower.ci, feldt$upper.ci, total$ase, n
    ("likert_items", "pairwise", 0.7446107705, 0.6910951522, 0.7915962508, 0.02549355496,
     240),
    # psych::alpha(na.omit(likert))
    ("likert_items", "listwise", 0.75317973, 0.6924486998, 0.8053856506, 0.02854210765,
     178),
    # psych::alpha(realstats); alpha 0.5917 as in pingouin's docs for the same data
    ("realstats_alpha", "pairwise", 0.5917188486, 0.1949213907, 0.8398208146,
     0.1545016877, 15),
    # psych::alpha(attitude)
    ("attitude", "pairwise", 0.8431427696, 0.7393756856, 0.9157730722, 0.04243569559, 30),
]


@pytest.mark.parametrize("name, policy, alpha, low, high, ase, n", ALPHA_CASES)
def test_cronbach_alpha_matches_psych(name: str, policy: str, alpha: float, low: float,
                                      high: float, ase: float, n: int) -> None:
    res = cronbach_alpha(load(name), nan_policy=policy)  # type: ignore[arg-type]
    assert res.estimate == pytest.approx(alpha, abs=1e-9)
    assert res.ci_low == pytest.approx(low, abs=1e-9)
    assert res.ci_high == pytest.approx(high, abs=1e-9)
    assert res.se == pytest.approx(ase, abs=1e-9)
    assert res.n == n
    assert res.extra["nan_policy"] == policy


def test_feldt_interval_at_other_level() -> None:
    # psych:::alpha.ci(0.7446107705, 240, 6, p.val = 0.10): lower.ci, upper.ci
    res = cronbach_alpha(load("likert_items"), level=0.90)
    assert res.interval == pytest.approx((0.7003474185, 0.7846141035), abs=1e-9)
    assert res.level == 0.90


def test_alpha_result_protocol() -> None:
    res = cronbach_alpha(load("likert_items"))
    frame = res.to_frame()
    assert list(frame.columns[:len(RESULT_COLUMNS)]) == list(RESULT_COLUMNS)
    assert frame.loc[0, "n_items"] == 6
    assert "Feldt" in res.method and "pairwise" in res.method
    assert "variance" in res.definition
    assert "<table" in res._repr_html_()


def test_ordered_categoricals_use_their_scale_values() -> None:
    data = load("likert_items")
    numeric = data.astype(pd.CategoricalDtype([1, 2, 3, 4, 5], ordered=True))
    labels = ["very bad", "bad", "neutral", "good", "very good"]
    labelled = data.apply(lambda c: pd.Categorical.from_codes(
        c.fillna(0).astype(int) - 1, categories=labels, ordered=True))
    expected = 0.7446107705  # psych::alpha(likert)$total$raw_alpha
    assert cronbach_alpha(numeric).estimate == pytest.approx(expected, abs=1e-9)
    assert cronbach_alpha(labelled).estimate == pytest.approx(expected, abs=1e-9)


def test_numpy_array_and_rows_without_answers() -> None:
    data = load("realstats_alpha")
    padded = pd.concat([data, pd.DataFrame([[np.nan] * 10], columns=data.columns)])
    res = cronbach_alpha(padded)
    assert res.n == 15  # the empty row is not a respondent
    assert res.estimate == pytest.approx(0.5917188486, abs=1e-9)  # psych::alpha(realstats)
    assert cronbach_alpha(data.to_numpy()).estimate == pytest.approx(0.5917188486, abs=1e-9)


# -- item analysis ---------------------------------------------------------------------
ITEM_CASES = [
    # psych::alpha(likert): item.stats$r.drop, alpha.drop$raw_alpha, item.stats$mean,
    # item.stats$sd
    ("likert_items", "pairwise",
     [0.5881585544, 0.5565682962, 0.5565318006, 0.4217822849, 0.542824823, 0.2549796092],
     [0.677518167, 0.6877545958, 0.6871977944, 0.7244967165, 0.6910798764, 0.77147152],
     [3.145374449, 3.147186147, 3.053097345, 3.072961373, 3.066079295, 3.070175439],
     [1.160185069, 1.117052938, 1.141855861, 1.125257933, 1.144453362, 1.207314698]),
    # psych::alpha(na.omit(likert))
    ("likert_items", "listwise",
     [0.6099370357, 0.5398482198, 0.6075725874, 0.4240887384, 0.5600238263, 0.2458357614],
     [0.6841540976, 0.7051258722, 0.6857671351, 0.7355009697, 0.6989121426, 0.7835414954],
     [3.129213483, 3.129213483, 2.983146067, 3.08988764, 2.97752809, 3.084269663],
     [1.183760383, 1.125031299, 1.152127578, 1.136358039, 1.164226938, 1.211377222]),
    # psych::alpha(realstats)
    ("realstats_alpha", "pairwise",
     [0.574766792, 0.5678028418, 0.5213910754, 0.4176058241, -0.1075830825, -0.1572365197,
      0.261007735, 0.09217320282, 0.443372746, 0.433688356],
     [0.4686903246, 0.5072805578, 0.5183498527, 0.53182917, 0.6684890656, 0.6711414791,
      0.5685063323, 0.6101190476, 0.5194256757, 0.5225907821],
     [4.266666667, 3.6, 4.733333333, 3.4, 3.8, 3.2, 2.466666667, 3.4, 4.8, 3.533333333],
     [1.709915063, 1.121223821, 1.099783528, 1.298350602, 1.698739028, 1.567527626,
      1.187233679, 1.502379066, 1.473576795, 1.457329587]),
    # psych::alpha(attitude)
    ("attitude", "pairwise",
     [0.6712620572, 0.7421097102, 0.5607111115, 0.7144454981, 0.7862755938, 0.2650343392,
      0.4608105495],
     [0.8097602063, 0.7969174573, 0.8278477659, 0.803030975, 0.7953865742, 0.8638723114,
      0.8404648683],
     [64.63333333, 66.6, 53.13333333, 56.36666667, 64.63333333, 74.76666667, 42.93333333],
     [12.17256195, 13.31475717, 12.23542999, 11.73701288, 10.39722554, 9.894907549,
      10.28870601]),
]


@pytest.mark.parametrize("name, policy, r_drop, alpha_drop, means, sds", ITEM_CASES)
def test_item_analysis_matches_psych(name: str, policy: str, r_drop: list[float],
                                     alpha_drop: list[float], means: list[float],
                                     sds: list[float]) -> None:
    data = load(name)
    table = item_analysis(data, nan_policy=policy)  # type: ignore[arg-type]
    assert list(table.columns) == ["item", "n", "mean", "sd", "item_rest_r",
                                   "alpha_if_deleted"]
    assert list(table["item"]) == list(data.columns)
    np.testing.assert_allclose(table["item_rest_r"], r_drop, atol=1e-9)
    np.testing.assert_allclose(table["alpha_if_deleted"], alpha_drop, atol=1e-9)
    np.testing.assert_allclose(table["mean"], means, atol=1e-8)
    np.testing.assert_allclose(table["sd"], sds, atol=1e-8)


def test_item_analysis_counts_answers_and_two_items() -> None:
    data = load("likert_items")
    table = item_analysis(data)
    assert list(table["n"]) == list(data.notna().sum())
    two = item_analysis(data[["q1", "q2"]])
    assert two["alpha_if_deleted"].isna().all()  # one item left: no alpha
    assert two["item_rest_r"].iloc[0] == pytest.approx(two["item_rest_r"].iloc[1])


# -- McDonald's omega ------------------------------------------------------------------
OMEGA_CASES = [
    # fa <- factanal(na.omit(likert), 1); l <- fa$loadings
    # sum(l)^2 / (sum(l)^2 + sum(fa$uniquenesses))
    ("likert_items", 0.7667904085,
     [0.7111170384, 0.6448092487, 0.7096389839, 0.5296757867, 0.6406274439, 0.2969236044],
     178),
    # the same with factanal(attitude, 1)
    ("attitude", 0.8405446727,
     [0.8524782367, 0.9022414444, 0.5927051538, 0.7306959451, 0.7649939014, 0.2460927934,
      0.3778440841], 30),
]


@pytest.mark.parametrize("name, omega, loadings, n", OMEGA_CASES)
def test_omega_matches_factanal(name: str, omega: float, loadings: list[float],
                                n: int) -> None:
    # Both fits are iterative maximum likelihood (R: optim L-BFGS-B; statsmodels: BFGS),
    # so they agree to about 1e-6, not to machine precision.
    res = mcdonald_omega(load(name), n_boot=0)
    assert res.estimate == pytest.approx(omega, abs=1e-6)
    np.testing.assert_allclose(list(res.extra["loadings"].values()), loadings, atol=2e-6)
    assert res.n == n
    assert np.isnan(res.ci_low) and np.isnan(res.ci_high)
    assert "n_boot=0" in res.method


def test_omega_bootstrap_is_seeded() -> None:
    data = load("likert_items")
    first = mcdonald_omega(data, n_boot=40, seed=3)
    again = mcdonald_omega(data, n_boot=40, seed=3)
    other = mcdonald_omega(data, n_boot=40, seed=4)
    assert first.interval == again.interval
    assert first.interval != other.interval
    assert first.ci_low < first.estimate < first.ci_high
    assert first.se is not None and 0 < first.se < 0.1
    assert first.extra["n_dropped"] == 62 and first.extra["n_boot"] == 40
    assert "percentile bootstrap" in first.method and "seed 3" in first.method


def test_omega_reversed_item_lowers_it() -> None:
    data = load("likert_items").dropna()
    reversed_ = data.assign(q1=6 - data["q1"])
    assert mcdonald_omega(reversed_, n_boot=0).estimate < 0.7667904085 - 0.1


# -- bad input -------------------------------------------------------------------------
LIKERT = pd.DataFrame({"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 2, 3, 5, 4, 3],
                       "q3": [1, 3, 3, 4, 5, 2]})


@pytest.mark.parametrize("func", [cronbach_alpha, item_analysis, mcdonald_omega])
@pytest.mark.parametrize("items, message", [
    (LIKERT[["q1"]], "items needs at least 2 item columns; got 1 ('q1')"),
    (LIKERT.iloc[:1], "items needs answers from at least 2 respondents; got 1"),
    (LIKERT.assign(q2=3), "items['q2'] has the same answer (3) from every respondent"),
    (LIKERT.assign(q3=["a", "b", "c", "d", "e", "f"]),
     "items['q3'] must hold numbers; 6 value(s) are not, the first is 'a'"),
    (LIKERT.assign(q3=pd.Categorical(list("abcabc"))),
     "items['q3'] is an unordered categorical with labels"),
    (LIKERT.assign(q3=[1, 2, np.inf, 3, 4, 5]), "items['q3'] contains infinite values"),
    (LIKERT.assign(q3=np.nan), "items['q3'] has fewer than 2 answers"),
    ([[1, 2], [3, 4]], "items must be a table (DataFrame)"),
])
def test_bad_items(func, items, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatsInputError, match=re.escape(message)):
        func(items)


def test_bad_arguments() -> None:
    with pytest.raises(StatsInputError, match="nan_policy must be one of 'pairwise', "
                                              "'listwise'; got 'drop'"):
        cronbach_alpha(LIKERT, nan_policy="drop")  # type: ignore[arg-type]
    with pytest.raises(StatsInputError, match="level must be a number between 0 and 1"):
        cronbach_alpha(LIKERT, level=95)
    with pytest.raises(StatsInputError, match="n_boot must be a whole number"):
        mcdonald_omega(LIKERT, n_boot=-1)


def test_missing_answers_that_leave_too_little() -> None:
    sparse = pd.DataFrame({"q1": [1, 2, np.nan, np.nan], "q2": [np.nan, np.nan, 3, 4],
                           "q3": [1, 3, 2, 4]})
    with pytest.raises(StatsInputError, match="answered every item; listwise deletion "
                                              "needs at least 2"):
        cronbach_alpha(sparse, nan_policy="listwise")
    with pytest.raises(StatsInputError, match=re.escape(
            "items['q1'] and items['q2'] were answered together by fewer than 2")):
        cronbach_alpha(sparse)
    with pytest.raises(StatsInputError, match="a factor model of 3 items needs more than 3"):
        mcdonald_omega(sparse)


def test_constant_after_listwise_deletion() -> None:
    data = pd.DataFrame({"q1": [1, 2, 3, 4], "q2": [2, 2, 2, 5], "q3": [1, 3, 2, np.nan]})
    with pytest.raises(StatsInputError, match=re.escape(
            "items['q2'] has the same answer (2) from every respondent who answered every "
            "item")):
        cronbach_alpha(data, nan_policy="listwise")


def test_negative_alpha_is_reported_not_hidden() -> None:
    # Two items that disagree: alpha is negative, and the Feldt interval still follows.
    data = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [5, 4, 3, 2, 2]})
    res = cronbach_alpha(data)
    assert res.estimate < 0 and res.ci_low < res.estimate < res.ci_high
