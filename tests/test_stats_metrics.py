"""Metrics with intervals (NPS, eNPS, top-box, mean, CES) and the fast bootstraps.

Expected values come from outside: published worked examples (cited beside each) and R
4.2 (the script is tests/r/metrics.R; the call that printed each number is beside it).
Closed forms are compared at 1e-9; bootstraps are random and are compared with a
seeded check against the closed form instead.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxresearch.stats import (StatsInputError, ces, compare_nps, enps, mean_score, nps,
                              top_box)
from cxresearch.stats._bootstrap import chunked_bootstrap, count_bootstrap

TOL = 1e-9


def groups(det: int, pas: int, pro: int) -> dict[int, int]:
    """A count table with ``det`` detractors, ``pas`` passives and ``pro`` promoters."""
    return {0: det, 7: pas, 10: pro}


# -- published worked examples ---------------------------------------------------------
def test_wald_variance_matches_cross_validated_worked_example() -> None:
    # Cross Validated, "How can I calculate margin of error in a NPS (Net Promoter
    # Score) result?" (answer by whuber): promoters 1/2, passives 1/3, detractors 1/6
    # give NPS 1/3 and a variance per answer of (1-1/3)^2/2 + (1/3)^2/3 + (4/3)^2/6 = 5/9.
    r = nps(groups(100, 200, 300), method="wald")
    assert r.estimate == pytest.approx(100 / 3, abs=TOL)
    assert r.se == pytest.approx(100 * math.sqrt(5 / 9 / 600), abs=TOL)


def test_wald_width_matches_cybaea_rule_of_thumb() -> None:
    # Engelhardt (2016), "Net Promoter Score confidence intervals 2: maths and stats",
    # CYBAEA / R-bloggers: with p = d = 1/3 the 95% interval spans about 320 / sqrt(n)
    # points (1.96 * sqrt(2/3) * 100 * 2 = 320.06; the rule is rounded, hence 1e-3).
    r = nps(groups(300, 300, 300), method="wald")
    assert r.ci_high - r.ci_low == pytest.approx(320 / math.sqrt(900), rel=1e-3)


# -- R: one-sample NPS -----------------------------------------------------------------
# (det, pas, pro), method, level -> estimate, ci_low, ci_high, se: tests/r/metrics.R,
# nps_wald(det, pas, pro, level) / nps_adjusted(det, pas, pro, level)
NPS_R = [
    ((20, 30, 50), "wald", 0.95, (30, 14.6921919249573, 45.3078080750427, 7.81024967590665)),
    ((20, 30, 50), "adjusted-wald", 0.95,
     (30, 14.0511301787616, 44.2012970057044, 7.69151042181476)),
    ((20, 30, 50), "adjusted-wald", 0.90,
     (30, 16.474804778176, 41.77762240629, 7.69151042181476)),
    ((395, 476, 291), "wald", 0.95,
     (-8.95008605851979, -13.3377914072638, -4.56238070977582, 2.23866631394946)),
    ((395, 476, 291), "adjusted-wald", 0.95,
     (-8.95008605851979, -13.3083704168525, -4.54570683636638, 2.23541443863379)),
    ((395, 476, 291), "wald", 0.90,
     (-8.95008605851979, -12.6323644645536, -5.26780765248594, 2.23866631394946)),
    ((2, 3, 7), "wald", 0.95,
     (41.6666666666667, -1.28848612253418, 84.6218194558675, 21.9162969973049)),
    ((2, 3, 7), "adjusted-wald", 0.95,
     (41.6666666666667, -5.50129396955177, 72.1679606362184, 19.8139494445856)),
    ((0, 0, 5), "wald", 0.95, (100, 100, 100, 0)),
    ((0, 0, 5), "adjusted-wald", 0.95, (100, 17.491453034169, 100, 22.9639663385923)),
    ((100, 200, 300), "adjusted-wald", 0.95,
     (33.3333333333333, 27.2169046692696, 39.1180870388564, 3.0360716991388)),
]


@pytest.mark.parametrize(("counts", "method", "level", "expected"), NPS_R)
def test_nps_matches_r(counts: tuple[int, int, int], method: str, level: float,
                       expected: tuple[float, float, float, float]) -> None:
    r = nps(groups(*counts), method=method, level=level)
    got = (r.estimate, r.ci_low, r.ci_high, r.se)
    assert got == pytest.approx(expected, abs=1e-9)
    assert r.n == sum(counts) and r.level == level


def test_weighted_nps_matches_r() -> None:
    x = [10, 9, 8, 7, 6, 5, 10, 9, 3, 8, 10, 7]
    w = [1.2, 0.8, 1, 1.5, 0.5, 1, 2, 0.7, 1.1, 0.9, 1.3, 0.6]
    wald = nps(x, method="wald", weights=w)
    adjusted = nps(x, weights=w)
    assert wald.extra["effective_n"] == pytest.approx(10.4861294583884, abs=1e-9)  # neff
    # R: "weighted NPS" block of tests/r/metrics.R (Kish effective n in the variance)
    assert (wald.estimate, wald.ci_low, wald.ci_high, wald.se) == pytest.approx(
        (26.984126984127, -20.277385610524, 74.245639578778, 24.113459720405), abs=1e-9)
    assert (adjusted.ci_low, adjusted.ci_high, adjusted.se) == pytest.approx(
        (-20.2874054271244, 62.2503792737304, 21.055944229563), abs=1e-9)
    assert wald.n == 12 and "Kish" in wald.method


# -- R: comparing two NPS --------------------------------------------------------------
def test_compare_independent_matches_r() -> None:
    a, b = groups(20, 30, 50), groups(395, 476, 291)
    # R: two(c(20,30,50), c(395,476,291), FALSE / TRUE) -> est, low, high, se, z, p
    expected = {
        "wald": (-38.9500860585198, -54.8743111979022, -23.0258609191374,
                 8.12475395721077, -4.79400191853827, 1.63486708941624e-06),
        "adjusted-wald": (-38.9500860585198, -53.7521123105598, -22.3543921271251,
                          8.00976967717159, -4.75085473772073, 2.02558609698297e-06)}
    for method, values in expected.items():
        r = compare_nps(a, b, method=method)
        got = (r.estimate, r.ci_low, r.ci_high, r.se, r.statistic, r.p_value)
        assert got == pytest.approx(values, rel=1e-9, abs=1e-12)
        assert r.extra["n_a"] == 100 and r.extra["n_b"] == 1162 and r.effect is None


PAIR_A = [10, 9, 8, 7, 6, 5, 10, 9, 3, 8, 10, 7, 2, 9, 10, 6, 8, 9, 10, 4, 7, 9, 10, 8, 5]
PAIR_B = [10, 10, 9, 8, 6, 7, 10, 9, 6, 9, 10, 9, 4, 10, 9, 8, 8, 10, 10, 6, 9, 9, 10, 9, 7]


@pytest.mark.parametrize(("method", "expected"), [
    # R: "paired NPS" block: mean(d), interval, se, z, p (d = s(b) - s(a) per person)
    ("wald", (32, 13.7144708648282, 50.2855291351718, 9.32952303175248, 3.42997170285018,
              0.000603644198133432)),
    ("adjusted-wald", (32, 7.90782995710752, 49.2350271857496, 10.5428460815162,
                       2.71002994357663, 0.00672771341295439)),
])
def test_compare_paired_matches_r(method: str, expected: tuple[float, ...]) -> None:
    r = compare_nps(PAIR_A, PAIR_B, paired=True, method=method)
    got = (r.estimate, r.ci_low, r.ci_high, r.se, r.statistic, r.p_value)
    assert got == pytest.approx(expected, rel=1e-9)
    assert r.n == 25 and r.extra["paired"] is True


def test_paired_wald_reduces_to_agrestis_matched_pairs_interval() -> None:
    # With no passives every answer is a promoter (+1) or a detractor (-1), so NPS =
    # 2p - 1 and the paired NPS difference is twice the difference of two dependent
    # proportions. Agresti (2013), Categorical Data Analysis, 3rd ed., section 11.1.1,
    # Table 11.1: approval of the Prime Minister in two surveys of the same 1,600 people
    # (approve/approve 794, approve/disapprove 150, disapprove/approve 86,
    # disapprove/disapprove 570). Published: p_1+ = 0.59, p_+1 = 0.55, difference
    # -0.04, estimated standard error 0.0095, 95% interval (-0.06, -0.02).
    cells = {(10, 10): 794, (10, 0): 150, (0, 10): 86, (0, 0): 570}
    a = np.repeat([k[0] for k in cells], list(cells.values()))
    b = np.repeat([k[1] for k in cells], list(cells.values()))
    r = compare_nps(a, b, paired=True, method="wald")
    assert r.extra["nps_a"] == pytest.approx(2 * 0.59 * 100 - 100)
    assert r.extra["nps_b"] == pytest.approx(2 * 0.55 * 100 - 100)
    assert r.estimate == pytest.approx(2 * -0.04 * 100)
    assert r.se / 200 == pytest.approx(0.0095, abs=5e-5)
    assert (round(r.ci_low / 200, 2), round(r.ci_high / 200, 2)) == (-0.06, -0.02)
    # and to the digit: Agresti's formula sqrt((p12 + p21 - (p12 - p21)^2) / n)
    p12, p21 = 150 / 1600, 86 / 1600
    assert r.se / 200 == pytest.approx(np.sqrt((p12 + p21 - (p12 - p21) ** 2) / 1600),
                                       rel=1e-12)


def test_paired_drops_incomplete_pairs_and_interval_agrees_with_test() -> None:
    a = PAIR_A + [np.nan, 9]
    b = PAIR_B + [10, np.nan]
    r = compare_nps(a, b, paired=True)
    assert r.n == 25
    assert (r.p_value < 0.05) == (r.ci_low > 0 or r.ci_high < 0)


# -- R: proportions ----------------------------------------------------------------------
# R: prop.test(x, n, correct = FALSE)$conf.int (wilson), binom.test(x, n)$conf.int
# (clopper-pearson), the Wald / Agresti-Coull formulas and qbeta(., x + .5, n - x + .5)
# (jeffreys) in tests/r/metrics.R
PROPORTIONS_R = [
    (7, 10, "wilson", (0.396778147461145, 0.892208732593699)),
    (7, 10, "clopper-pearson", (0.347547149940003, 0.933260488822266)),
    (7, 10, "wald", (0.415974234910675, 0.984025765089325)),
    (7, 10, "agresti-coull", (0.39232529797727, 0.896661582077575)),
    (7, 10, "jeffreys", (0.394181681851329, 0.907305406061847)),
    (45, 200, "wilson", (0.172623697150891, 0.287741232356605)),
    (45, 200, "clopper-pearson", (0.169102547129825, 0.289239605968765)),
    (45, 200, "agresti-coull", (0.17239523846436, 0.287969691043137)),
    (0, 20, "wilson", (0, 0.161125158052819)),
    (0, 20, "clopper-pearson", (0, 0.168433470983085)),
    (20, 20, "wilson", (0.838874841947181, 1)),
    (20, 20, "jeffreys", (0.883361017095125, 0.999975753521541)),
]


@pytest.mark.parametrize(("x", "n", "method", "expected"), PROPORTIONS_R)
def test_top_box_matches_r(x: int, n: int, method: str, expected: tuple[float, float]
                           ) -> None:
    r = top_box({5: x, 4: 0, 1: n - x}, top=2, method=method)
    assert r.estimate == pytest.approx(x / n, abs=TOL)
    assert r.interval == pytest.approx(expected, abs=1e-9)
    assert r.extra["top_count"] == x and r.extra["top_values"] == "4-5"


# -- R: means and CES ------------------------------------------------------------------
X3 = [12.5, 8.25, 30.1, 4.4, 18.9, 22.0, 9.75, 15.3, 11.1, 27.6]


@pytest.mark.parametrize(("scores", "level", "expected"), [
    # R: mean(x1); t.test(x1)$conf.int, x1 = c(4, 5, 3, 4, 2, 5, 4)
    ([4, 5, 3, 4, 2, 5, 4], 0.95, (3.85714285714286, 2.86844116405124, 4.84584455023448)),
    # R: x2 <- rep(1:5, c(12, 18, 40, 75, 55)); t.test(x2)$conf.int
    ({1: 12, 2: 18, 3: 40, 4: 75, 5: 55}, 0.95, (3.715, 3.55599888147686, 3.87400111852314)),
    # R: t.test(x2, conf.level = 0.99)$conf.int
    ({1: 12, 2: 18, 3: 40, 4: 75, 5: 55}, 0.99, (3.715, 3.50529772001356, 3.92470227998644)),
    # R: t.test(x3)$conf.int
    (X3, 0.95, (15.99, 9.91899315242489, 22.0610068475751)),
])
def test_mean_score_matches_r_t_test(scores: object, level: float,
                                     expected: tuple[float, float, float]) -> None:
    r = mean_score(scores, level=level)
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx(expected, abs=1e-9)


def test_weighted_mean_matches_r() -> None:
    w = [1, 2, 0.5, 1.5, 1, 0.8, 1.2, 2.5, 0.7, 1]
    r = mean_score(X3, weights=w)
    # R: weighted.mean(x3, wt3); m -/+ qt(.975, neff - 1) * se; se; neff ("weighted x3")
    assert (r.estimate, r.ci_low, r.ci_high, r.se, r.extra["effective_n"]) == pytest.approx(
        (14.1368852459016, 7.8035497716973, 20.470220720106, 2.68785766147848,
         8.12445414847161), abs=1e-9)


def test_ces_matches_r() -> None:
    answers = [7, 6, 5, 6, 3, 7, 2, 6, 5, 4, 7, 1, 6, 5]
    r = ces(answers)
    # R: mean(c2); t.test(c2)$conf.int
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx(
        (5, 3.91389680922521, 6.08610319077479), abs=1e-9)
    # R: sum(c2 >= 5); prop.test(sum(c2 >= 5), length(c2), correct = FALSE)$conf.int
    assert r.extra["agree_count"] == 10
    assert (r.extra["agree_ci_low"], r.extra["agree_ci_high"]) == pytest.approx(
        (0.453509156701068, 0.882786213554231), abs=1e-9)
    assert "easy" in r.definition and r.name == "CES 2.0"


def test_ces_version_1_is_effort_lower_is_better() -> None:
    r = ces([1, 2, 2, 3, 5, 1], version=1)
    assert r.name == "CES 1.0" and "lower is better" in r.definition
    assert r.extra["low_effort_count"] == 4
    with pytest.raises(StatsInputError, match=r"outside the scale 1\.\.5"):
        ces([6, 7], version=1)


# -- the same answers as raw values or counts ------------------------------------------
def test_counts_and_raw_answers_give_identical_results() -> None:
    rng = np.random.default_rng(3)
    raw = rng.integers(0, 11, size=2_000)
    series = pd.Series(raw)
    table = series.value_counts()
    as_dict = {int(k): int(v) for k, v in table.items()}
    for method in ("adjusted-wald", "wald", "bootstrap", "bootstrap-bca"):
        results = [nps(s, method=method, seed=7, n_boot=1_000).to_dict()
                   for s in (raw, list(raw), series, table, as_dict)]
        assert all(r == results[0] for r in results[1:]), method
    for func in (top_box, mean_score, ces):
        scores = raw % 5 + 1
        counts = pd.Series(scores).value_counts()
        one, two = func(scores).to_dict(), func(counts).to_dict()
        assert one.keys() == two.keys()
        for key, value in one.items():
            if isinstance(value, float):
                assert value == pytest.approx(two[key], rel=1e-12, abs=1e-12), key
            else:
                assert value == two[key], key
    one = mean_score(raw, method="bootstrap", seed=1, n_boot=500).to_dict()
    assert one == mean_score(table, method="bootstrap", seed=1, n_boot=500).to_dict()


def test_result_carries_counts_shares_and_definition() -> None:
    r = nps([10, 9, 8, 7, 6, 0, np.nan, 10])
    assert r.n == 7
    assert (r.extra["promoters"], r.extra["passives"], r.extra["detractors"]) == (3, 2, 2)
    assert r.extra["promoters_share"] == pytest.approx(3 / 7)
    assert "promoters (9-10) minus share of detractors (0-6)" in r.definition
    assert "points" in r.definition
    frame = r.to_frame()
    assert frame.loc[0, "promoters"] == 3 and frame.loc[0, "name"] == "NPS"
    e = enps([10, 9, 8, 7, 6, 0, 10])
    assert e.name == "eNPS" and "employees" in e.definition
    assert nps([1, 2, 11, 10], scale=(1, 11)).extra["promoters"] == 2


# -- bootstraps ------------------------------------------------------------------------
def test_bootstrap_agrees_with_adjusted_wald_at_large_n() -> None:
    counts = groups(30_000, 30_000, 40_000)
    boot = nps(counts, method="bootstrap", seed=11)
    bca = nps(counts, method="bootstrap-bca", seed=11)
    closed = nps(counts)
    for r in (boot, bca):
        assert r.ci_low == pytest.approx(closed.ci_low, abs=0.05)
        assert r.ci_high == pytest.approx(closed.ci_high, abs=0.05)
        assert r.se == pytest.approx(closed.se, rel=0.03)
    assert nps(counts, method="bootstrap", seed=11).to_dict() == boot.to_dict()


def test_count_bootstrap_bca_acceleration_equals_the_row_jackknife() -> None:
    from cxresearch.stats import _bootstrap

    counts = np.array([3, 5, 12])
    rows = np.repeat([-1.0, 0.0, 1.0], counts)
    jack = np.array([np.delete(rows, i).mean() for i in range(rows.size)])
    u = jack.mean() - jack
    row_accel = (u ** 3).sum() / (6 * ((u ** 2).sum()) ** 1.5)
    seen: dict[str, float] = {}
    original = _bootstrap._bca_levels

    def spy(theta_b, theta, jk, weights, alpha):  # type: ignore[no-untyped-def]
        mean = (weights * jk).sum() / weights.sum()
        uu = mean - jk
        seen["a"] = (weights * uu ** 3).sum() / (6 * (weights * uu ** 2).sum() ** 1.5)
        return original(theta_b, theta, jk, weights, alpha)

    _bootstrap._bca_levels = spy
    try:
        count_bootstrap(counts, lambda c: (c[:, 2] - c[:, 0]) / c.sum(axis=1), seed=1,
                        method="bca", n_boot=200)
    finally:
        _bootstrap._bca_levels = original
    assert seen["a"] == pytest.approx(row_accel, rel=1e-12)


def test_chunked_bootstrap_memory_does_not_change_the_answer() -> None:
    x = np.random.default_rng(5).exponential(size=3_000)
    small = chunked_bootstrap(x, np.mean, n_boot=400, seed=2, max_elements=7_000)
    large = chunked_bootstrap(x, np.mean, n_boot=400, seed=2)
    assert small.low == pytest.approx(large.low, rel=1e-12)
    assert small.high == pytest.approx(large.high, rel=1e-12)
    t = mean_score(x)
    assert small.low == pytest.approx(t.ci_low, abs=0.02)


def test_mean_score_bootstrap_continuous_and_weighted() -> None:
    x = np.random.default_rng(8).normal(50, 10, size=4_000)
    r = mean_score(x, method="bootstrap", seed=1, n_boot=1_000)
    t = mean_score(x)
    assert "chunks" in r.method and r.df is None
    assert r.interval == pytest.approx(t.interval, abs=0.1)
    w = np.random.default_rng(9).uniform(0.5, 2, size=x.size)
    rw = mean_score(x, weights=w, method="bootstrap", seed=1, n_boot=1_000)
    assert rw.interval == pytest.approx(mean_score(x, weights=w).interval, abs=0.15)


def test_top_box_and_weighted_nps_bootstrap() -> None:
    r = top_box({5: 300, 4: 200, 3: 500}, method="bootstrap", seed=4)
    assert r.interval == pytest.approx(top_box({5: 300, 4: 200, 3: 500}).interval,
                                       abs=0.01)
    x = np.tile(np.arange(11), 100)
    w = np.tile(np.linspace(0.5, 1.5, 11), 100)
    boot = nps(x, weights=w, method="bootstrap", seed=3)
    assert boot.interval == pytest.approx(nps(x, weights=w).interval, abs=1.0)


# -- documented edge cases -------------------------------------------------------------
def test_all_answers_identical() -> None:
    wald = nps([10] * 20, method="wald")
    assert wald.interval == (100.0, 100.0)
    adjusted = nps([10] * 20)
    assert adjusted.ci_low < 100 and adjusted.ci_high == 100
    m = mean_score([4] * 5)
    assert m.interval == (4.0, 4.0)
    same = compare_nps([10] * 5, [10] * 5, method="wald")
    assert same.p_value == 1.0 and same.estimate == 0


# -- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize(("call", "message"), [
    (lambda: nps([]), r"scores needs at least 1 non-missing"),
    (lambda: nps([np.nan, None]), r"scores needs at least 1 non-missing"),
    (lambda: nps([9, 11]), r"outside the scale 0\.\.10.*11"),
    (lambda: nps([9, 7.5]), r"outside the scale 0\.\.10 \(whole numbers\)"),
    (lambda: nps(["9", "ten"]), r"scores must hold numbers.*'ten'"),
    (lambda: nps("9"), r"scores must be a sequence"),
    (lambda: nps([9, 10], method="exact"), r"method must be one of 'adjusted-wald'"),
    (lambda: nps([9, 10], level=95), r"level must be a number between 0 and 1"),
    (lambda: nps([9, 10], scale=(1, 5)), r"scale of an NPS question must have 11 points"),
    (lambda: nps({12: 3, 9: 1}), r"outside the scale 0\.\.10"),
    (lambda: nps({9: -1}), r"counts must be numbers of at least 0"),
    (lambda: nps({9: 1.5}), r"counts must be whole numbers"),
    (lambda: nps({9: 0, 10: 0}), r"holds no answers"),
    (lambda: nps({"nine": 3}), r"categories of a count table must be numbers"),
    (lambda: nps({9: 3}, weights=[1]), r"weights apply to raw answers"),
    (lambda: nps([9, 10], weights=[1]), r"one weight per answer .*2.*got 1"),
    (lambda: nps([9, 10], weights=[1, -1]), r"weights must be at least 0"),
    (lambda: nps([9, 10], weights=[1, np.nan]), r"weights must be finite"),
    (lambda: nps([9, 10], weights=[0, 0]), r"weights are all 0"),
    (lambda: nps([9, 10], method="bootstrap", n_boot=10), r"n_boot must be a whole"),
    (lambda: nps([9, 10], method="bootstrap", seed="x"), r"seed must be None"),
    (lambda: compare_nps([9], [10, 9], paired=True), r"same length .*a has 1, b has 2"),
    (lambda: compare_nps({9: 1}, [10], paired=True), r"a: paired answers need one answer"),
    (lambda: compare_nps([np.nan], [10], paired=True), r"no respondent who answered both"),
    (lambda: compare_nps([], [10]), r"a needs at least 1 non-missing"),
    (lambda: compare_nps([9], [10], method="bootstrap"), r"method must be one of"),
    (lambda: compare_nps([9], [10], paired="yes"), r"paired must be True or False"),
    (lambda: top_box([1, 5], top=5), r"top must be a whole number from 1 to 4"),
    (lambda: top_box([1, 5], top=0), r"top must be a whole number from 1 to 4"),
    (lambda: top_box([1, 6]), r"outside the scale 1\.\.5"),
    (lambda: top_box([1, 5], scale=(5, 1)), r"scale must be two whole numbers"),
    (lambda: top_box([1, 5], scale="1-5"), r"scale must be two whole numbers"),
    (lambda: top_box([1, 5], method="exact"), r"method must be one of 'wilson'"),
    (lambda: mean_score([3.0]), r"needs more than 1 answer"),
    (lambda: mean_score([3, 9], scale=(1, 5)), r"outside the scale 1\.\.5"),
    (lambda: mean_score([3, 4], method="z"), r"method must be one of 't', 'bootstrap'"),
    (lambda: mean_score([3, 4], weights=[1, 0]), r"needs more than 1 answer"),
    (lambda: mean_score(pd.DataFrame({"a": [1]})), r"must be one column"),
    (lambda: ces([1, 8]), r"outside the scale 1\.\.7"),
    (lambda: ces([1, 2], version=3), r"version must be 2 .* or 1"),
])
def test_bad_input_is_named(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatsInputError, match=message):
        call()


def test_weights_series_are_aligned_by_index() -> None:
    scores = pd.Series([10, 0, 9], index=["a", "b", "c"])
    weights = pd.Series([1.0, 2.0, 3.0], index=["c", "b", "a"])
    r = nps(scores, weights=weights, method="wald")
    assert r.extra["promoters"] == pytest.approx(4.0)  # a: 3, c: 1
    missing = pd.Series([1.0], index=["a"])
    with pytest.raises(StatsInputError, match="no weight for some rows"):
        nps(scores, weights=missing)
    # a weight may be missing where the answer is missing
    r = nps([10, np.nan, 0], weights=[1, np.nan, 1])
    assert r.n == 2
