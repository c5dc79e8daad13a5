"""Comparisons (cxresearch.stats._compare, ._effects) against R and published values.

Every expected number comes from outside: R 4.2.2 output (the call is beside it; the
script is tests/r/compare.R) or a published table (cited). Our estimates are b - a, so
the R calls put b first.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxresearch.stats import (StatsInputError, adjust, compare_means, compare_ordinal,
                              compare_proportions, equivalence)
from cxresearch.stats import _effects

# R datasets::sleep (Student 1908): extra sleep (hours), group 1 = a, group 2 = b.
SLEEP_A = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_B = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# Pain scores, Brunner & Munzel (2000); lawstat::brunner.munzel.test(Y, N) example.
PAIN_Y = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]  # a
PAIN_N = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]           # b

TIGHT = 1e-9   # closed forms, printed by R to 12 significant digits
ROOT = 1e-7    # noncentral-t roots (R's uniroot tol 1e-12 but pt(ncp) warns of precision)


# -- means --------------------------------------------------------------------------------
# (kwargs, t, df, p, ci_low, ci_high): R t.test(b, a, ...) on the sleep data
T_TESTS = [
    ({}, 1.8608134674869, 17.7764735161785, 0.0793941401874, -0.2054832307117,
     3.3654832307117),                                          # t.test(b, a)
    ({"equal_var": True}, 1.8608134674869, 18, 0.0791867142159, -0.2038740322876,
     3.3638740322876),                                          # var.equal = TRUE
    ({"paired": True}, 4.06212768338204, 9, 0.00283289019738, 0.70011423672302,
     2.45988576327698),                                         # paired = TRUE
]


@pytest.mark.parametrize("kwargs, t, df, p, low, high", T_TESTS)
def test_compare_means_matches_r_t_test(kwargs, t, df, p, low, high):
    r = compare_means(SLEEP_A, SLEEP_B, **kwargs)
    assert r.estimate == pytest.approx(1.58, abs=1e-12)
    assert r.statistic == pytest.approx(t, rel=TIGHT)
    assert r.df == pytest.approx(df, rel=TIGHT)
    assert r.p_value == pytest.approx(p, rel=TIGHT)
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), rel=TIGHT)
    assert r.name == "difference in means" and r.n == (10 if kwargs.get("paired") else 20)


def test_hedges_g_matches_r_by_hand_and_psych():
    g = compare_means(SLEEP_A, SLEEP_B).effect
    # tests/r/compare.R section 2: d, J, g = J*d, noncentral-t limits for delta
    assert g.extra["d"] == pytest.approx(0.8321810813495, rel=TIGHT)
    assert g.extra["j"] == pytest.approx(0.9576464270237, rel=TIGHT)
    assert g.estimate == pytest.approx(0.7969352391911, rel=TIGHT)
    assert g.ci_low == pytest.approx(-0.0954503982113, abs=ROOT)
    assert g.ci_high == pytest.approx(1.7388168991035, rel=ROOT)
    # psych::cohen.d.ci(d, n1 = 10, n2 = 10): -0.0954594816618, 1.73881714002 (uniroot
    # with its default tolerance 1e-4, hence the looser match)
    assert (g.ci_low, g.ci_high) == pytest.approx((-0.0954594816618, 1.73881714002),
                                                  abs=2e-5)


def test_hedges_g_paired_matches_r_by_hand():
    g = compare_means(SLEEP_A, SLEEP_B, paired=True).effect
    # tests/r/compare.R section 3: dz, Jz, gz, limits/sqrt(n)
    assert g.name == "Hedges' g_z"
    assert g.extra["d_z"] == pytest.approx(1.284557562591, rel=TIGHT)
    assert g.estimate == pytest.approx(1.173924903514, rel=TIGHT)
    assert (g.ci_low, g.ci_high) == pytest.approx((0.414627756380, 2.118016513977),
                                                  rel=ROOT)


def test_hedges_g_large_samples_fall_back_gracefully():
    # t = 50 with a million df: scipy's nct is NaN far out, the bracket stays close.
    r = _effects.hedges_g(0.0, 1.0, 500_000, 0.1, 1.0, 500_000)
    se = math.sqrt(2 / 500_000)
    assert r.estimate == pytest.approx(0.1, rel=1e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.1 - 1.96 * se, 0.1 + 1.96 * se),
                                                  rel=1e-3)


def test_means_count_table_equals_raw_answers():
    a = [1, 2, 2, 3, 3, 3, 4, 5]
    b = [2, 3, 4, 4, 5, 5, 5]
    raw = compare_means(a, b)
    counts = compare_means(pd.Series(a).value_counts(), {2: 1, 3: 1, 4: 2, 5: 3})
    for field in ("estimate", "ci_low", "ci_high", "p_value", "statistic", "df", "n"):
        assert getattr(counts, field) == pytest.approx(getattr(raw, field), rel=1e-12)


def test_means_missing_answers_are_dropped_and_counted():
    r = compare_means(SLEEP_A + [np.nan, None], pd.Series(SLEEP_B + [np.nan]))
    assert r.p_value == pytest.approx(0.0793941401874, rel=TIGHT)
    assert (r.extra["missing_a"], r.extra["missing_b"]) == (2, 1)


def test_paired_means_drop_incomplete_pairs():
    a = SLEEP_A + [1.0, np.nan]
    b = SLEEP_B + [np.nan, 2.0]
    r = compare_means(a, b, paired=True)
    assert r.p_value == pytest.approx(0.00283289019738, rel=TIGHT)
    assert r.extra["dropped_pairs"] == 2 and r.n == 10


@pytest.mark.parametrize("a, b, kwargs, match", [
    ([], [1, 2], {}, "a needs at least 2"),
    ([1.0], [1, 2], {}, "a needs at least 2"),
    ([3, 3, 3], [3, 3], {}, "no variance"),
    (["x", 2, 3], [1, 2], {}, "a must hold numbers"),
    ("12345", [1, 2], {}, "a must be a sequence"),
    ([1, 2, 3], [1, 2], {"paired": True}, "a has 3 answers and b has 2"),
    ([1, 2, 3], [2, 3, 4], {"paired": True}, "no variance"),
    ([1, np.nan, 3], [np.nan, 2, 4], {"paired": True}, "at least 2 complete"),
    ({1: 3, 2: 4}, [1, 2, 3], {"paired": True}, "not a table of counts"),
    ([1, 2], [1, np.inf], {}, "infinite"),
    ([1, 2], [1, 3], {"level": 95}, "level must be a number between 0 and 1"),
])
def test_compare_means_bad_input(a, b, kwargs, match):
    with pytest.raises(StatsInputError, match=match):
        compare_means(a, b, **kwargs)


def test_one_group_without_spread_is_fine_for_welch():
    r = compare_means([4, 4, 4, 4], [3, 4, 5, 5])
    # R: t.test(c(3, 4, 5, 5), rep(4, 4)): t 0.522232967867, df 3, p 0.637618091401
    assert r.statistic == pytest.approx(0.522232967867, rel=TIGHT)
    assert r.df == pytest.approx(3, rel=TIGHT)
    assert r.p_value == pytest.approx(0.637618091401, rel=TIGHT)


# -- proportions --------------------------------------------------------------------------
# Newcombe (1998a) Stat Med 17:873-890, Table II, method 10; R by hand from Wilson limits
# (tests/r/compare.R section 4). (a: successes, n), (b: successes, n), low, high
NEWCOMBE = [
    ((48, 80), (56, 70), 0.0524314724024, 0.3338726540369),   # example (a): 0.0524, 0.3339
    ((3, 10), (9, 10), 0.170522723935, 0.809017973535),       # example (b): 0.1705, 0.8090
    ((0, 29), (5, 56), -0.0381371479035, 0.1925600138551),    # example (d): -0.0381, 0.1926
]


@pytest.mark.parametrize("a, b, low, high", NEWCOMBE)
def test_newcombe_interval_matches_published_table(a, b, low, high):
    r = compare_proportions(a, b)
    assert r.estimate == pytest.approx(b[0] / b[1] - a[0] / a[1], abs=1e-15)
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), rel=TIGHT)
    assert r.effect.name == "risk difference"
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (round(low, 4), round(high, 4))


@pytest.mark.parametrize("a, b, p", [
    ((48, 80), (56, 70), 0.0080450813682),   # prop.test(c(56,48), c(70,80), correct=FALSE)
    ((3, 10), (9, 10), 0.00616989932054),    # prop.test(c(9,3), c(10,10), correct=FALSE)
])
def test_z_test_matches_r_prop_test(a, b, p):
    r = compare_proportions(a, b)
    assert r.p_value == pytest.approx(p, rel=TIGHT)


def test_z_squared_is_r_chi_square_and_cohen_h():
    r = compare_proportions([0] * 32 + [1] * 48, {0: 14, 1: 56})   # 48/80 and 56/70
    assert r.statistic ** 2 == pytest.approx(7.0234113712375, rel=TIGHT)  # X-squared
    # h by hand in R: 2*asin(sqrt(56/70)) - 2*asin(sqrt(48/80)), +- 1.96*sqrt(1/70+1/80)
    assert r.extra["cohen_h"] == pytest.approx(0.442143188003, rel=TIGHT)
    assert (r.extra["cohen_h_ci_low"], r.extra["cohen_h_ci_high"]) == pytest.approx(
        (0.121368783769, 0.762917592237), rel=TIGHT)


def test_proportions_raw_counts_and_tuples_agree():
    a = [True] * 48 + [False] * 32 + [None]
    r1 = compare_proportions(a, np.array([1] * 56 + [0] * 14))
    r2 = compare_proportions((48, 80), (56, 70))
    assert r1.to_dict()["p_value"] == r2.p_value and r1.extra["missing_a"] == 1


def test_mcnemar_matches_agresti():
    # Agresti (2007) An Introduction to Categorical Data Analysis, 2nd ed., p. 245:
    # presidential approval, first survey (rows) by second (columns), 794/150/86/570;
    # z^2 = 17.36. R: mcnemar.test(matrix(c(794, 86, 150, 570), 2), correct = FALSE)
    first = [1] * 944 + [0] * 656
    second = [1] * 794 + [0] * 150 + [1] * 86 + [0] * 570
    r = compare_proportions(first, second, paired=True)
    assert r.statistic == pytest.approx(17.3559322034, rel=TIGHT)
    assert round(r.statistic, 2) == 17.36
    assert r.p_value == pytest.approx(3.09929344105e-05, rel=1e-9)
    assert r.estimate == pytest.approx(-0.04)
    # Newcombe paired method 10, R by hand (tests/r/compare.R section 6)
    assert (r.ci_low, r.ci_high) == pytest.approx((-0.0587038728957, -0.0212304239829),
                                                  rel=TIGHT)
    table = compare_proportions(pd.crosstab(pd.Series(first), pd.Series(second)),
                                paired=True)
    assert table.statistic == r.statistic and table.ci_low == r.ci_low


def test_newcombe_paired_matches_fagerland_book():
    # Fagerland, Lydersen & Laake (2017) Statistical Analysis of Contingency Tables,
    # ch. 8, Cavo et al. (2012): 59/6/16/80, Newcombe square-and-add -0.0621 (-0.1186 to
    # -0.0046) for p1+ - p+1; ours is b - a = p+1 - p1+, so the signs flip.
    # R by hand (tests/r/compare.R section 6): 0.06211180124224, 0.00462511393305,
    # 0.11862119563871
    r = compare_proportions([[80, 16], [6, 59]], paired=True)
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx(
        (0.06211180124224, 0.00462511393305, 0.11862119563871), rel=TIGHT)
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (0.0046, 0.1186)
    assert r.extra["test"].startswith("exact McNemar")   # 22 discordant pairs < 25


def test_exact_mcnemar_matches_binom_test():
    a = [1, 1, 0, 0, 0, 0, 0, 1, 1, 0]
    b = [0, 1, 1, 1, 1, 1, 0, 1, 0, 1]   # discordant: 2 (1->0) and 5 (0->1)
    r = compare_proportions(a, b, paired=True)
    assert r.p_value == pytest.approx(0.453125, rel=TIGHT)   # binom.test(2, 7, 0.5)


def test_proportions_without_variation():
    r = compare_proportions([0, 0, 0], [0, 0, 0, 0])
    assert (r.estimate, r.statistic, r.p_value) == (0.0, 0.0, 1.0)
    assert r.ci_low < 0 < r.ci_high          # Wilson limits are never degenerate
    r = compare_proportions([0, 1, 0], [0, 1, 1], paired=True)
    assert r.p_value == 1.0 and r.statistic == 0.0


def test_fisher_exact_option():
    from scipy import stats
    r = compare_proportions((3, 10), (9, 10), method="exact")
    assert r.p_value == pytest.approx(stats.fisher_exact([[9, 1], [3, 7]]).pvalue)


@pytest.mark.parametrize("a, b, kwargs, match", [
    ([0, 1, 2], [0, 1], {}, "a must hold 0/1"),
    ((5, 3), (1, 2), {}, r"\(successes, n\)"),
    ((1.5, 3), (1, 2), {}, r"\(successes, n\)"),
    ([], [0, 1], {}, "a needs at least 1"),
    ([0, 1], None, {}, "b is None"),
    ([0, 1], [0, 1, 1], {"paired": True}, "a has 2 answers and b has 3"),
    ([[1, 2, 3]], None, {"paired": True}, "2x2 table"),
    ([0, 1], [1, 1], {"method": "wald"}, "method must be one of"),
    (["yes", "no"], [0, 1], {}, "a must hold numbers"),
])
def test_compare_proportions_bad_input(a, b, kwargs, match):
    with pytest.raises(StatsInputError, match=match):
        compare_proportions(a, b, **kwargs)


# -- ordinal ------------------------------------------------------------------------------
def test_mann_whitney_matches_r_wilcox_test():
    r = compare_ordinal(PAIN_Y, PAIN_N)
    # wilcox.test(N, Y, exact = FALSE, correct = TRUE): W = 121.5, p = 0.00774078670511
    assert r.statistic == pytest.approx(121.5)
    assert r.p_value == pytest.approx(7.74078670511e-03, rel=TIGHT)
    assert r.estimate == pytest.approx(2 * 121.5 / (14 * 11) - 1, rel=1e-12)


def test_probability_of_superiority_matches_lawstat():
    ps = compare_ordinal(PAIN_Y, PAIN_N).effect
    # lawstat::brunner.munzel.test(Y, N), documented output: P(X<Y)+.5*P(X=Y) 0.788961,
    # 95% CI 0.5952169 0.9827052, statistic 3.1375, df 17.683, p 0.005786; full
    # precision from the same formulas in R (tests/r/compare.R section 7)
    assert ps.estimate == pytest.approx(0.78896103896104, rel=TIGHT)
    assert (ps.ci_low, ps.ci_high) == pytest.approx((0.59521686425374, 0.98270521366834),
                                                    rel=TIGHT)
    assert ps.statistic == pytest.approx(3.13746748230295, rel=TIGHT)
    assert ps.df == pytest.approx(17.68284197948155, rel=TIGHT)
    assert ps.p_value == pytest.approx(0.00578620866615, rel=1e-9)
    assert (round(ps.ci_low, 7), round(ps.ci_high, 7)) == (0.5952169, 0.9827052)


def test_brunner_munzel_agrees_with_scipy():
    from scipy import stats
    ps = _effects.probability_of_superiority(PAIN_Y, PAIN_N)
    ref = stats.brunnermunzel(PAIN_Y, PAIN_N)
    assert ps.statistic == pytest.approx(ref.statistic) and ps.p_value == pytest.approx(
        ref.pvalue)


def test_ordinal_table_form_and_count_tables_agree():
    df = pd.DataFrame({"pain": PAIN_Y + PAIN_N + [np.nan],
                       "arm": ["Y"] * 14 + ["N"] * 11 + ["N"]})
    r = compare_ordinal(data=df, outcome="pain", group="arm", levels=("Y", "N"))
    ref = compare_ordinal(PAIN_Y, PAIN_N)
    assert (r.estimate, r.p_value) == (ref.estimate, ref.p_value)
    assert r.extra["missing_b"] == 1 and r.extra["a"] == "Y"
    counts = compare_ordinal(pd.Series(PAIN_Y).value_counts(),
                             pd.Series(PAIN_N).value_counts())
    assert counts.p_value == pytest.approx(ref.p_value, rel=1e-12)


def test_complete_separation_has_no_interval():
    r = compare_ordinal([1, 1, 2, 2], [3, 4, 4, 5])
    assert r.estimate == 1.0 and math.isnan(r.ci_low) and "note" in r.effect.extra


# MASS::housing (Madsen 1976), Freq in R's row order (Sat fastest, then Infl, Type, Cont)
HOUSING_FREQ = [21, 21, 28, 34, 22, 36, 10, 11, 36, 61, 23, 17, 43, 35, 40, 26, 18, 54,
                13, 9, 10, 8, 8, 12, 6, 7, 9, 18, 6, 7, 15, 13, 13, 7, 5, 11, 14, 19, 37,
                17, 23, 40, 3, 5, 23, 78, 46, 43, 48, 45, 86, 15, 25, 62, 20, 23, 20, 10,
                22, 24, 7, 10, 21, 57, 23, 13, 31, 21, 13, 5, 6, 13]


@pytest.fixture(scope="module")
def housing() -> pd.DataFrame:
    grid = pd.MultiIndex.from_product(
        [["Low", "High"], ["Tower", "Apartment", "Atrium", "Terrace"],
         ["Low", "Medium", "High"], ["Low", "Medium", "High"]],
        names=["cont", "type", "infl", "sat"]).to_frame(index=False)
    rows = grid.loc[np.repeat(grid.index, HOUSING_FREQ)].reset_index(drop=True)
    rows["sat"] = pd.Categorical(rows["sat"], ["Low", "Medium", "High"], ordered=True)
    rows["type"] = pd.Categorical(rows["type"], ["Tower", "Apartment", "Atrium", "Terrace"])
    return rows


def test_proportional_odds_matches_polr_and_clm(housing):
    r = compare_ordinal(data=housing, outcome="sat", group="cont", levels=("Low", "High"),
                        covariates=["type"])
    # MASS::polr(Sat ~ Cont + Type, Hess = TRUE): ContHigh 0.254013585952, SE
    # 0.0933986796256. ordinal::clm(Sat ~ Cont + Type): 0.254013721937, SE
    # 0.093398676887, p 6.53467939767e-03, confint.default 0.0709556790352 0.4370717648396.
    # Both use logit P(Y <= j) = theta_j - eta, as OrderedModel does, so the signs agree
    # (positive: higher satisfaction with high contact). Iterative fits: tolerance 1e-6.
    assert r.n == 1681 and (r.extra["n_a"], r.extra["n_b"]) == (713, 968)
    assert r.estimate == pytest.approx(0.254013721937, rel=1e-6)
    assert r.se == pytest.approx(0.093398676887, rel=1e-6)
    assert r.p_value == pytest.approx(6.53467939767e-03, rel=1e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.0709556790352, 0.4370717648396),
                                                  rel=1e-5)
    assert r.effect.estimate == pytest.approx(math.exp(0.254013721937), rel=1e-6)
    assert r.extra["converged"] is True


@pytest.mark.parametrize("kwargs, match", [
    ({"group": "infl"}, "exactly two levels"),
    ({"group": "cont", "levels": ("Low", "Huge")}, "levels must name two levels"),
    ({"group": "nope"}, "group='nope' is not a column"),
    ({"group": "cont", "covariates": ["nope"]}, "are not columns"),
    ({"group": "cont", "covariates": ["one"]}, "one value only"),
])
def test_compare_ordinal_table_bad_input(housing, kwargs, match):
    data = housing.assign(one="x")
    with pytest.raises(StatsInputError, match=match):
        compare_ordinal(data=data, outcome="sat", **kwargs)


@pytest.mark.parametrize("args, kwargs, match", [
    (([2, 2, 2], [2, 2]), {}, "nothing to rank"),
    (([1], [1, 2]), {}, "a needs at least 2"),
    (([1, 2], [1, 2]), {"covariates": ["x"]}, "covariates need the table form"),
    (([1, 2],), {}, "needs two groups"),
    (([1, "a"], [1, 2]), {}, "a must hold numbers"),
])
def test_compare_ordinal_bad_input(args, kwargs, match):
    with pytest.raises(StatsInputError, match=match):
        compare_ordinal(*args, **kwargs)


def test_group_column_with_one_level():
    df = pd.DataFrame({"y": [1, 2, 3], "g": ["x", "x", "x"]})
    with pytest.raises(StatsInputError, match="exactly two levels.*it has 1"):
        compare_ordinal(data=df, outcome="y", group="g")


# -- equivalence --------------------------------------------------------------------------
def test_tost_welch_matches_two_one_sided_t_tests():
    r = equivalence(SLEEP_A, SLEEP_B, margin=2)
    # t.test(b, a, mu = -2, alternative = "greater"): t 4.21627355291325, p 0.00026596733648
    # t.test(b, a, mu = 2, alternative = "less"): t -0.49464661793954, p 0.31345362597516
    # t.test(b, a, conf.level = 0.90)$conf.int: 0.10661850266839 3.05338149733161
    assert r.extra["statistic_lower"] == pytest.approx(4.21627355291325, rel=TIGHT)
    assert r.extra["p_lower"] == pytest.approx(0.00026596733648, rel=1e-9)
    assert r.extra["statistic_upper"] == pytest.approx(-0.49464661793954, rel=TIGHT)
    assert r.p_value == pytest.approx(0.31345362597516, rel=TIGHT)
    assert r.df == pytest.approx(17.7764735161785, rel=TIGHT)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.10661850266839, 3.05338149733161),
                                                  rel=TIGHT)
    assert r.level == 0.9 and r.extra["equivalent"] is False and r.extra["alpha"] == 0.05


def test_tost_paired_matches_r():
    r = equivalence(SLEEP_A, SLEEP_B, margin=(-2, 2), paired=True)
    # t.test(b, a, mu = -2, alternative = "greater", paired = TRUE): p 3.55234415925e-06
    # t.test(b, a, mu = 2, alternative = "less", paired = TRUE): p 0.154157235669
    # t.test(b, a, conf.level = 0.90, paired = TRUE)$conf.int: 0.866994732971 2.29300526703
    assert r.extra["p_lower"] == pytest.approx(3.55234415925e-06, rel=1e-9)
    assert r.p_value == pytest.approx(0.154157235669, rel=1e-9)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.866994732971, 2.29300526703),
                                                  rel=1e-9)


def test_tost_equivalent_when_interval_inside_margin():
    r = equivalence(SLEEP_A, SLEEP_B, margin=3.5)
    assert r.extra["equivalent"] is True
    assert -3.5 < r.ci_low and r.ci_high < 3.5 and r.p_value < 0.05


@pytest.mark.parametrize("margin", [0.1, 0.11, 0.13, 0.3])
def test_tost_proportions_is_dual_to_its_interval(margin):
    # The reported 90% interval is the one the two 5% score tests invert.
    r = equivalence((48, 80), (56, 70), margin=margin, kind="proportions")
    inside = -margin < r.ci_low and r.ci_high < margin
    assert r.extra["equivalent"] is inside
    assert r.estimate == pytest.approx(0.2)


@pytest.mark.parametrize("kwargs, match", [
    ({"margin": 0}, "margin must be a positive number"),
    ({"margin": -1}, "margin must be a positive number"),
    ({"margin": (1, 2)}, "low < 0 < high"),
    ({"margin": "1"}, "margin must be"),
    ({"margin": 1, "kind": "medians"}, "kind must be one of"),
    ({"margin": 1, "level": 0.4}, "level must be above 0.5"),
    ({"margin": 0.1, "kind": "proportions", "paired": True}, "paired proportions"),
])
def test_equivalence_bad_input(kwargs, match):
    a, b = ([0, 1, 1], [1, 1, 0]) if kwargs.get("kind") == "proportions" else \
        (SLEEP_A, SLEEP_B)
    with pytest.raises(StatsInputError, match=match):
        equivalence(a, b, **kwargs)


# -- adjust -------------------------------------------------------------------------------
P_FAMILY = [0.01, 0.04, None, 0.03, 0.005, 0.20]
ADJUSTED = {  # R: p.adjust(c(0.01, 0.04, NA, 0.03, 0.005, 0.20), method)
    "holm": [0.040, 0.090, np.nan, 0.090, 0.025, 0.200],
    "BH": [0.025, 0.050, np.nan, 0.050, 0.025, 0.200],
    "bonferroni": [0.050, 0.200, np.nan, 0.150, 0.025, 1.000],
    "hommel": [0.040, 0.080, np.nan, 0.060, 0.025, 0.200],
    "BY": [0.0570833333333, 0.1141666666667, np.nan, 0.1141666666667, 0.0570833333333,
           0.4566666666667],
}


@pytest.mark.parametrize("method", list(ADJUSTED))
def test_adjust_matches_r_p_adjust_with_na(method):
    out = adjust(P_FAMILY, method)
    assert isinstance(out, list)
    np.testing.assert_allclose(out, ADJUSTED[method], rtol=1e-10)


def test_adjust_keeps_type_shape_and_index():
    s = pd.Series([0.01, np.nan, 0.04, 0.03], index=["nps", "csat", "ces", "effort"],
                  name="p")
    out = adjust(s, "fdr_bh")
    assert list(out.index) == list(s.index) and out.name == "p" and np.isnan(out["csat"])
    arr = adjust(np.array([[0.01, 0.04], [0.03, np.nan]]), "holm")
    assert arr.shape == (2, 2)
    np.testing.assert_allclose(arr, [[0.03, 0.06], [0.06, np.nan]])
    assert adjust([], "holm") == [] and adjust([np.nan], "holm")[0] != 0


@pytest.mark.parametrize("p, method, match", [
    ([0.1, 1.2], "holm", "between 0 and 1"),
    ([0.1, "x"], "holm", "must hold numbers"),
    ([0.1, 0.2], "tukey", "method must be one of"),
    (0.05, "holm", "p_values must be a list"),
])
def test_adjust_bad_input(p, method, match):
    with pytest.raises(StatsInputError, match=match):
        adjust(p, method)


# -- the result protocol ------------------------------------------------------------------
@pytest.mark.parametrize("result", [
    lambda: compare_means(SLEEP_A, SLEEP_B),
    lambda: compare_proportions((48, 80), (56, 70)),
    lambda: compare_ordinal(PAIN_Y, PAIN_N),
    lambda: equivalence(SLEEP_A, SLEEP_B, margin=2),
])
def test_results_have_frame_html_and_effect(result):
    r = result()
    frame = r.to_frame()
    assert frame.shape[0] == 1 and {"estimate", "effect_estimate", "p_value"} <= set(frame)
    assert r.effect is not None and r.definition and "<table" in r._repr_html_()


def test_equivalence_of_proportions_where_the_score_interval_search_fails() -> None:
    # statsmodels' score-interval root search fails on this table (Wald limit near 0);
    # the interval falls back to Newcombe's hybrid score interval, whose values are
    # checked against Newcombe (1998) in test_newcombe_interval_matches_published_table
    from statsmodels.stats.proportion import confint_proportions_2indep

    from cxresearch.stats import equivalence

    r = equivalence((13, 30), (19, 30), margin=0.15, kind="proportions")
    expected = confint_proportions_2indep(19, 30, 13, 30, method="newcomb", compare="diff",
                                          alpha=0.10)
    assert (r.ci_low, r.ci_high) == pytest.approx(tuple(expected), abs=1e-12)
    assert "Newcombe" in r.method and r.p_value is not None and 0 < r.p_value < 1
