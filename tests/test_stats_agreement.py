"""Agreement between coders: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.

Expected values are published ones (paper, printed software output) or R output (script:
tests/r/agreement.R, R 4.2, psych 2.2.9), with the source or the R call beside each.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cxresearch.stats import StatsInputError, cohen_kappa, fleiss_kappa, krippendorff_alpha


def table(rows: list[list[float]], categories: list[object] | None = None) -> pd.DataFrame:
    cats = categories or list(range(1, len(rows) + 1))
    return pd.DataFrame(rows, index=cats, columns=cats)


def expand(counts: pd.DataFrame) -> tuple[list[object], list[object]]:
    """The raw pairs of codes behind a square table of counts."""
    a: list[object] = []
    b: list[object] = []
    for row in counts.index:
        for col in counts.columns:
            a += [row] * int(counts.loc[row, col])
            b += [col] * int(counts.loc[row, col])
    return a, b


# The SAS PROC FREQ example quoted in statsmodels' tests (rows: coder a).
SAS = table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
# Cohen (1968), Table 1: proportions of 200 cases.
COHEN = table([[88, 14, 18], [10, 40, 10], [2, 6, 12]])
COHEN_WEIGHTS = [[0, 1, 3], [1, 0, 6], [3, 6, 0]]
# Fleiss, Cohen & Everitt (1969): 200 cases; similarity weights 4/9 and 2/3.
FCE = table([[106, 10, 4], [22, 28, 10], [2, 12, 6]])
FCE_WEIGHTS = 1 - np.array([[1, 0, 4 / 9], [0, 1, 2 / 3], [4 / 9, 2 / 3, 1]])
# psych::cohen.kappa's help page
RATER1 = [1, 2, 3, 4, 5, 6, 7, 8, 9]
RATER2 = [1, 3, 1, 6, 1, 5, 5, 6, 7]
NUMBERS1 = [6, 3, 7, 8, 7]
NUMBERS2 = [6, 1, 8, 5, 10]


# -- Cohen's kappa: published and R values ---------------------------------------------
SAS_PRINTOUT = [
    # SAS PROC FREQ (AGREE) printout as quoted in statsmodels' test_inter_rater.py:
    # kappa, ASE, 95% lower, 95% upper, ASE under H0, Z, two-sided p
    (None, [0.4842, 0.1380, 0.2137, 0.7547, 0.1484, 3.2626, 0.0011]),
    ("linear", [0.4701, 0.1457, 0.1845, 0.7558, 0.1426, 3.2971, 0.0010]),
]


@pytest.mark.parametrize("weights, printed", SAS_PRINTOUT)
def test_cohen_kappa_matches_sas_printout(weights, printed) -> None:  # type: ignore[no-untyped-def]
    res = cohen_kappa(SAS, weights=weights)
    got = [res.estimate, res.se, res.ci_low, res.ci_high, res.extra["se_null"],
           res.statistic, res.p_value]
    np.testing.assert_allclose(got, printed, atol=5e-5 + 1e-12)  # printed to 4 decimals


R_KAPPA = [
    # (counts, weights, kappa, se, se_null)
    # psych::cohen.kappa(sas)$kappa, sqrt($var.kappa); se_null: by hand, diag(3) weights
    (SAS, None, 0.4841628959, 0.1380135783, None),
    # wkappa_by_hand(sas, linear(3)) (= SAS; psych's var.weighted gives 0.14668)
    (SAS, "linear", 0.4701195219, 0.1457460451, 0.1425850776),
    # wkappa_by_hand(sas, quadratic(3))
    (SAS, "quadratic", 0.4501607717, 0.1922326634, 0.1879194683),
    # psych::cohen.kappa(cohen, w = agree(cohen_w))$kappa; Cohen (1968) reports .492
    (COHEN, None, 0.4915254237, 0.05100181558, None),
    # ... $weighted.kappa, Cohen (1968) reports .348; se: wkappa_by_hand(cohen, ...)
    (COHEN, COHEN_WEIGHTS, 0.347826087, 0.07550401525, 0.05971999356),
    # psych::cohen.kappa(fce, w = fce_w)$kappa, sqrt($var.kappa)
    (FCE, None, 0.4285714286, 0.05371100487, None),
    # ... $weighted.kappa; se: wkappa_by_hand(fce, fce_w)
    (FCE, FCE_WEIGHTS, 0.5070603338, 0.05699415015, 0.06533570302),
]


@pytest.mark.parametrize("counts, weights, kappa, se, se_null", R_KAPPA)
def test_cohen_kappa_matches_r(counts, weights, kappa, se, se_null) -> None:  # type: ignore[no-untyped-def]
    res = cohen_kappa(counts, weights=weights)
    assert res.estimate == pytest.approx(kappa, abs=1e-9)
    assert res.se == pytest.approx(se, abs=1e-9)
    if se_null is not None:
        assert res.extra["se_null"] == pytest.approx(se_null, abs=1e-9)
    assert res.n == counts.to_numpy().sum()
    # the same from the raw pairs of codes
    a, b = expand(counts)
    raw = cohen_kappa(a, b, weights=weights)
    assert raw.estimate == pytest.approx(kappa, abs=1e-9)
    assert raw.se == pytest.approx(se, abs=1e-9)


def test_cohen_1968_published_values() -> None:
    # Cohen (1968), Psychological Bulletin 70(4): kappa = .492, weighted kappa = .348
    assert round(cohen_kappa(COHEN).estimate, 3) == 0.492
    assert round(cohen_kappa(COHEN, weights=COHEN_WEIGHTS).estimate, 3) == 0.348


RAW_CASES = [
    # (a, b, weights, categories, kappa, se)
    # psych::cohen.kappa(cbind(rater1, rater2)): kappa 0, sqrt(var.kappa)
    (RATER1, RATER2, None, None, 0.0, 0.09419902754),
    # ... weighted.kappa (quadratic), sqrt(var.weighted)
    (RATER1, RATER2, "quadratic", None, 0.6779661017, 0.1266576079),
    # psych::cohen.kappa(cbind(rater1, rater2), w = linear(9)); se: wkappa_by_hand
    (RATER1, RATER2, "linear", None, 0.3949579832, 0.1354852154),
    # psych::cohen.kappa(numbers): categories 1 3 5 6 7 8 10, some used by one coder only
    (NUMBERS1, NUMBERS2, None, None, 0.1304347826, 0.14860676),
    (NUMBERS1, NUMBERS2, "quadratic", None, 0.5341614907, None),
    # psych::cohen.kappa(numbers, levels = 1:10); se: wkappa_by_hand(..., quadratic(10))
    (NUMBERS1, NUMBERS2, "quadratic", list(range(1, 11)), 0.6229508197, 0.2012405336),
]


@pytest.mark.parametrize("a, b, weights, categories, kappa, se", RAW_CASES)
def test_cohen_kappa_raw_codes_match_psych(a, b, weights, categories, kappa, se) -> None:  # type: ignore[no-untyped-def]
    res = cohen_kappa(a, b, weights=weights, categories=categories)
    assert res.estimate == pytest.approx(kappa, abs=1e-9)
    if se is not None:
        assert res.se == pytest.approx(se, abs=1e-9)


def test_category_used_by_one_coder_only_counts() -> None:
    res = cohen_kappa(NUMBERS1, NUMBERS2)
    assert res.extra["categories"] == [1.0, 3.0, 5.0, 6.0, 7.0, 8.0, 10.0]
    # Dropping the categories that only coder b used would change kappa.
    assert res.extra["agreement"] == pytest.approx(1 / 5)


def test_scale_points_of_an_ordered_categorical_count() -> None:
    # As cxresearch.data reads a 1..10 rating: every scale point is a category.
    scale = pd.CategoricalDtype(list(range(1, 11)), ordered=True)
    res = cohen_kappa(pd.Series(NUMBERS1, dtype=scale), pd.Series(NUMBERS2, dtype=scale),
                      weights="quadratic")
    # psych::cohen.kappa(numbers, levels = 1:10)$weighted.kappa
    assert res.estimate == pytest.approx(0.6229508197, abs=1e-9)
    assert len(res.extra["categories"]) == 10


def test_cohen_kappa_result_and_labels() -> None:
    a = ["pos", "neg", "neu", "pos", "neg", None, "pos"]
    b = ["pos", "neg", "pos", "pos", "neu", "neg", np.nan]
    res = cohen_kappa(a, b)
    assert res.n == 5 and res.extra["n_dropped"] == 2
    assert res.extra["categories"] == ["neg", "neu", "pos"]
    same = cohen_kappa(pd.Series(a, dtype="category"), pd.Series(b, dtype="category"))
    assert same.estimate == pytest.approx(res.estimate)
    ordered = cohen_kappa(a, b, weights="linear", categories=["neg", "neu", "pos"])
    assert ordered.name == "weighted Cohen's kappa" and "linear" in ordered.definition
    frame = res.to_frame()
    assert frame.loc[0, "estimate"] == res.estimate and "se_null" in frame.columns
    assert res.p_value is not None and 0 <= res.p_value <= 1


def test_cohen_kappa_interval_is_clipped() -> None:
    res = cohen_kappa([1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2])
    assert res.estimate == 1.0 and res.ci_high == 1.0


# -- Fleiss' kappa ---------------------------------------------------------------------
# Fleiss (1971): 30 patients x 6 psychiatrists, 5 diagnoses (irr's `diagnoses`)
DIAGNOSES = pd.DataFrame(np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5]]), columns=[f"rater{i}" for i in range(1, 7)])
# Wikipedia, "Fleiss' kappa", worked example: 10 subjects x 5 categories, 14 raters each
WIKI = pd.DataFrame([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
                     [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
                     [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]], columns=[1, 2, 3, 4, 5])


def test_fleiss_kappa_fleiss_1971() -> None:
    res = fleiss_kappa(DIAGNOSES, n_boot=500)
    assert round(res.estimate, 3) == 0.430                     # Fleiss (1971), p. 381
    assert res.estimate == pytest.approx(0.4302445, abs=5e-8)  # irr::kappam.fleiss(diagnoses)
    assert res.statistic == pytest.approx(17.65183, abs=5e-6)  # irr::kappam.fleiss: z
    # fleiss(counts) in tests/r/agreement.R: kappa, se0, z
    assert res.estimate == pytest.approx(0.4302445201, abs=1e-9)
    assert res.extra["se_null"] == pytest.approx(0.0243739321, abs=1e-9)
    assert res.statistic == pytest.approx(17.65183058, abs=1e-7)
    assert res.n == 30 and res.extra["n_raters"] == 6
    assert res.ci_low < res.estimate < res.ci_high


def test_fleiss_kappa_wikipedia_counts() -> None:
    res = fleiss_kappa(WIKI, counts=True, n_boot=0)
    assert round(res.estimate, 3) == 0.210                       # Wikipedia's worked example
    assert res.estimate == pytest.approx(0.2099307044, abs=1e-9)  # fleiss(wiki) in R
    assert res.statistic == pytest.approx(12.37429106, abs=1e-7)  # fleiss(wiki) in R: z
    assert res.extra["agreement"] == pytest.approx(0.378, abs=5e-4)   # Wikipedia: P-bar
    assert res.extra["chance_agreement"] == pytest.approx(0.213, abs=5e-4)  # P-bar_e
    assert np.isnan(res.ci_low) and "n_boot=0" in res.method


def test_fleiss_raw_labels_equal_counts_and_seed() -> None:
    labels = DIAGNOSES.replace({1: "depression", 2: "personality", 3: "schizophrenia",
                                4: "neurosis", 5: "other"})
    raw = fleiss_kappa(labels, n_boot=300, seed=7)
    counts = pd.DataFrame([np.bincount(r, minlength=6)[1:] for r in DIAGNOSES.to_numpy()])
    from_counts = fleiss_kappa(counts, counts=True, n_boot=300, seed=7)
    assert raw.estimate == pytest.approx(0.4302445201, abs=1e-9)
    assert from_counts.estimate == pytest.approx(raw.estimate, abs=1e-12)
    assert raw.interval == pytest.approx(from_counts.interval)
    assert fleiss_kappa(labels, n_boot=300, seed=8).interval != raw.interval


def test_fleiss_same_number_of_codes_from_different_coders() -> None:
    data = DIAGNOSES.astype(float).copy()
    data["rater7"] = np.nan
    data.loc[0, "rater7"], data.loc[0, "rater1"] = data.loc[0, "rater1"], np.nan
    assert fleiss_kappa(data, n_boot=0).estimate == pytest.approx(0.4302445201, abs=1e-9)


# -- Krippendorff's alpha --------------------------------------------------------------
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers x 12
# units, blanks missing (here one row per unit, one column per observer).
K2011 = pd.DataFrame({
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    "C": [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan]})
# Wikipedia, "Krippendorff's alpha", computational example: 3 coders x 15 units
WIKI_K = pd.DataFrame({
    "c1": [np.nan] * 5 + [3, 4, 1, 2, 1, 1, 3, 3, np.nan, 3],
    "c2": [1, np.nan, 2, 1, 3, 3, 4, 3] + [np.nan] * 7,
    "c3": [np.nan, np.nan, 2, 1, 3, 4, 4, np.nan, 2, 1, 1, 3, 3, np.nan, 4]})


@pytest.mark.parametrize("level, published", [
    # Krippendorff (2011): nominal .743, ordinal .815, interval .849, ratio .797
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011(level: str, published: float) -> None:
    res = krippendorff_alpha(K2011, level, n_boot=200)  # type: ignore[arg-type]
    assert round(res.estimate, 3) == published
    assert res.n == 11 and res.extra["units_dropped"] == 1  # unit 12: one observer only
    assert res.extra["n_values"] == 40
    assert res.extra["measurement_level"] == level and res.level == 0.95
    assert res.ci_low <= res.estimate <= res.ci_high


def test_krippendorff_2011_exact_nominal() -> None:
    # Krippendorff (2011), nominal: coincidence margins n_c = 9, 13, 10, 5, 3 (n = 40),
    # 32 pairable values on the diagonal, so
    # alpha = 1 - (n - 1) (n - 32) / (n^2 - sum n_c^2) = 1 - 39 * 8 / 1216 = 113/152
    res = krippendorff_alpha(K2011, n_boot=0)
    assert res.estimate == pytest.approx(113 / 152, abs=1e-12)


@pytest.mark.parametrize("level, expected", [
    # Wikipedia's example; six decimals as in the krippendorff package's tests
    ("nominal", 0.691358), ("interval", 0.810845)])
def test_krippendorff_wikipedia(level: str, expected: float) -> None:
    res = krippendorff_alpha(WIKI_K, level, n_boot=0)  # type: ignore[arg-type]
    assert round(res.estimate, 6) == expected
    assert res.extra["units_dropped"] == 3  # units 1, 2 and 14: fewer than 2 codes


def test_krippendorff_labels_and_order() -> None:
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    labels = K2011.apply(lambda c: c.map(names))
    order = ["very low", "low", "mid", "high", "very high"]
    assert krippendorff_alpha(labels, n_boot=0).estimate == pytest.approx(113 / 152)
    ordinal = krippendorff_alpha(labels, "ordinal", categories=order, n_boot=0)
    assert round(ordinal.estimate, 3) == 0.815  # Krippendorff (2011)
    as_cat = labels.apply(lambda c: pd.Categorical(c, categories=order, ordered=True))
    assert krippendorff_alpha(as_cat, "ordinal", n_boot=0).estimate == \
        pytest.approx(ordinal.estimate)
    with pytest.raises(StatsInputError, match="holds text codes, whose order is unknown"):
        krippendorff_alpha(labels, "ordinal")


def test_krippendorff_bootstrap_is_seeded() -> None:
    a = krippendorff_alpha(K2011, "interval", n_boot=300, seed=1)
    b = krippendorff_alpha(K2011, "interval", n_boot=300, seed=1)
    assert a.interval == b.interval and a.se == b.se
    assert "seed 1" in a.method and a.extra["n_boot"] == 300


def test_krippendorff_bootstrap_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many distinct values switch the bootstrap to one product per resample; same answer.
    from cxresearch.stats import _krippendorff

    dense = krippendorff_alpha(K2011, "ordinal", n_boot=50, seed=2)
    monkeypatch.setattr(_krippendorff, "_DENSE_LIMIT", 0)
    sparse = krippendorff_alpha(K2011, "ordinal", n_boot=50, seed=2)
    assert sparse.interval == pytest.approx(dense.interval, abs=1e-12)
    assert sparse.se == pytest.approx(dense.se, abs=1e-12)


# -- undefined coefficients: one category for everyone ---------------------------------
def test_one_category_for_everyone_gives_nan_with_reason() -> None:
    same = ["yes"] * 6
    kappa = cohen_kappa(same, same)
    fleiss = fleiss_kappa(pd.DataFrame({"a": same, "b": same, "c": same}))
    alpha = krippendorff_alpha(pd.DataFrame({"a": [2.0] * 5, "b": [2.0] * 5}), "interval")
    for res in (kappa, fleiss, alpha):
        assert np.isnan(res.estimate) and np.isnan(res.ci_low)
        assert "chance agreement is perfect" in res.extra["note"]
        assert res.method.startswith("no estimate")
    assert kappa.extra["agreement"] == 1.0
    weighted = cohen_kappa([1, 1, 1], [1, 1, 1], weights="linear", categories=[1, 2, 3])
    assert np.isnan(weighted.estimate)


# -- bad input -------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: cohen_kappa([1, 2, 3], [1, 2]),
     "a and b must code the same units: a has 3 codes and b has 2"),
    (lambda: cohen_kappa(pd.Series([1, 2, 3], index=[0, 1, 2]),
                         pd.Series([1, 2, 3], index=[1, 2, 3])),
     "a and b must code the same units in the same order, but their indexes differ"),
    (lambda: cohen_kappa([1, np.nan], [np.nan, 2]), "a and b have no unit that both"),
    (lambda: cohen_kappa([1, 2], [1, 2], weights="cubic"),  # type: ignore[arg-type]
     "weights must be one of None, 'linear', 'quadratic'; got 'cubic'"),
    (lambda: cohen_kappa(["a", "b"], ["a", "b"], weights="linear"),
     "holds text codes, whose order is unknown; pass categories=[...]"),
    (lambda: cohen_kappa([1, 2, 4], [1, 2, 3], categories=[1, 2, 3]),
     "a and b holds 1 code(s) not in categories, e.g. 4.0"),
    (lambda: cohen_kappa([1, 2], [1, 2], weights=[[0, 1], [1, 1]]),
     "weights as an array must be a 2 x 2 matrix of disagreement weights"),
    (lambda: cohen_kappa("ab", "ab"), "a must be a sequence of codes"),
    (lambda: cohen_kappa(np.ones((3, 2)), [1, 2, 3]),
     "a must be one column of codes, not a table of shape (3, 2)"),
    (lambda: cohen_kappa([1, 2, 3]), "b is missing: pass both coders' codes"),
    (lambda: cohen_kappa(pd.DataFrame([[1, 2], [3, 4]], index=["x", "y"],
                                      columns=["y", "x"])),
     "a as a table of counts must have the same categories, in the same order"),
    (lambda: cohen_kappa([1, 2], [1, 2], level=1.5), "level must be a number between 0"),
    (lambda: fleiss_kappa(pd.DataFrame({"a": [1, 2, 3], "b": [1, np.nan, 3],
                                        "c": [1, 2, 3]})),
     "needs the same number of codes (at least 2) for every unit; row 1 has 2"),
    (lambda: fleiss_kappa(pd.DataFrame({"a": [1, 2, 3]})),
     "data needs at least 2 coder columns; got 1 ('a')"),
    (lambda: fleiss_kappa(pd.DataFrame([[2, 1], [1, 1]]), counts=True),
     "every unit (row) must have the same number of codes, at least 2"),
    (lambda: fleiss_kappa(pd.DataFrame([[2, 0.5], [1, 1.5]]), counts=True),
     "must hold whole numbers of at least 0"),
    (lambda: fleiss_kappa("codes"), "data must be a table (DataFrame)"),
    (lambda: fleiss_kappa(DIAGNOSES, n_boot=1.5),  # type: ignore[arg-type]
     "n_boot must be a whole number"),
    (lambda: krippendorff_alpha(pd.DataFrame({"a": [1, np.nan], "b": [np.nan, 2]})),
     "no unit was coded by at least 2 coders"),
    (lambda: krippendorff_alpha(pd.DataFrame({"a": [1, 2, 3]})),
     "data needs at least 2 coder columns; got 1"),
    (lambda: krippendorff_alpha(K2011, "binary"),  # type: ignore[arg-type]
     "level must be one of 'nominal', 'ordinal', 'interval', 'ratio'; got 'binary'"),
    (lambda: krippendorff_alpha(K2011, conf_level=95), "conf_level must be a number"),
    (lambda: krippendorff_alpha(pd.DataFrame({"a": ["x", "y"], "b": ["x", "x"]}),
                                "interval"),
     "data must hold numbers for level='interval'"),
    (lambda: krippendorff_alpha(pd.DataFrame({"a": [-1, 2], "b": [1, 2]}), "ratio"),
     "data holds negative numbers, which a ratio scale"),
])
def test_bad_input(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatsInputError, match=re.escape(message)):
        call()
