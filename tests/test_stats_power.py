"""Sample size and minimum detectable effect, checked against R and a published example.

R values come from ``tests/r/power.R`` (R 4.2.2, stats, pwr 1.3.0); the call is beside
each number. Root-finding on both sides (statsmodels/scipy here, uniroot with
tol = 1e-12 in R) agrees to about 1e-9; we allow 1e-7 relative. pwr 1.3.0 has no
tolerance argument (its uniroot stops near 1e-4), so its values get 1e-5.
"""

from __future__ import annotations

import math

import pytest

from cxresearch.stats import StatsInputError, mde, sample_size

ROOT = 1e-7
CLOSED = 1e-9

# (id, kwargs, R value of the unrounded n, whole n, tolerance)
N_CASES = [
    # power.t.test(delta = .5, sd = 1, power = .8, strict = TRUE, tol = 1e-12)$n
    ("mean two-wave", dict(metric="mean", mde=0.5, sd=1), 63.7656101909, 64, ROOT),
    # pwr.t.test(d = .5, power = .8, type = "two.sample")$n   (pwr: tolerance ~1e-4)
    ("mean two-wave, pwr", dict(metric="mean", mde=0.5, sd=1), 63.7656104441, 64, 1e-5),
    # power.t.test(delta = .3, sd = 1.1, sig.level = .01, power = .9, strict = TRUE, ...)$n
    ("mean two-wave, alpha .01", dict(metric="mean", mde=0.3, sd=1.1, alpha=0.01, power=0.9),
     401.7524122684, 402, ROOT),
    # power.t.test(delta = .4, sd = 1.2 * sqrt(2 * (1 - .6)), power = .8, type = "paired",
    #              strict = TRUE, tol = 1e-12)$n
    ("mean paired", dict(metric="mean", mde=0.4, sd=1.2, design="paired", correlation=0.6),
     58.4616151816, 59, ROOT),
    # uniroot(function(n) qt(.975, n - 1) * 1.1 / sqrt(n) - .2, c(2, 1e6), tol = 1e-12)
    ("mean one-wave", dict(metric="mean", mde=0.2, sd=1.1, design="one-wave"),
     118.6323957956, 119, ROOT),
    # power.prop.test(p1 = .5, p2 = .65, power = .8, strict = TRUE, tol = 1e-12)$n
    ("proportion two-wave", dict(metric="proportion", mde=0.15, p=0.5), 169.3110441212,
     170, ROOT),
    # power.prop.test(p1 = .2, p2 = .25, sig.level = .1, power = .9, strict = TRUE, ...)$n
    ("proportion two-wave, alpha .1",
     dict(metric="proportion", mde=0.05, p=0.2, alpha=0.1, power=0.9), 1192.7696541175,
     1193, ROOT),
    # (qnorm(.975) * sqrt(.4 * .6) / .05)^2
    ("proportion one-wave", dict(metric="proportion", mde=0.05, p=0.4, design="one-wave"),
     368.780046787, 369, CLOSED),
    # uniroot(function(n) pp(n, .3, .4, .4) - .8, ...): normal approximation, tests/r/power.R
    ("proportion paired",
     dict(metric="proportion", mde=0.1, p=0.3, design="paired", correlation=0.4),
     212.2335377878, 213, ROOT),
    # uniroot(function(n) zp(n / 2, 5, nps_sd(.4, .2)) - .8, ...): z power, both tails
    ("nps two-wave", dict(metric="nps", mde=5), 3516.2895081781, 3517, ROOT),
    # uniroot(function(n) zp(n / 1.5, 5, nps_sd(.4, .2)) - .8, ...): second wave 2n
    ("nps two-wave, ratio 2", dict(metric="nps", mde=5, ratio=2), 2637.2171311336, 2638,
     ROOT),
    # uniroot(function(n) zp(n, 5, nps_sd(.5, .15) * sqrt(2 * (1 - .5))) - .8, ...)
    ("nps paired", dict(metric="nps", mde=5, shares=(0.5, 0.15), design="paired",
                        correlation=0.5), 1656.1095674678, 1657, ROOT),
    # (qnorm(.975) * nps_sd(.4, .2) / 5)^2
    ("nps one-wave", dict(metric="nps", mde=5, design="one-wave"), 860.486775835, 861,
     CLOSED),
]


@pytest.mark.parametrize("kwargs, expected, whole, tol", [c[1:] for c in N_CASES],
                         ids=[c[0] for c in N_CASES])
def test_sample_size_matches_r(kwargs, expected, whole, tol) -> None:
    result = sample_size(**kwargs)
    assert result.extra["n_exact"] == pytest.approx(expected, rel=tol)
    assert result.estimate == whole
    assert math.isnan(result.ci_low) and math.isnan(result.ci_high)
    assert result.name == "sample size"


# (id, kwargs, R or published value, tolerance)
MDE_CASES = [
    # power.t.test(n = 100, sd = 1, power = .8, strict = TRUE, tol = 1e-12)$delta
    ("mean two-wave", dict(metric="mean", n=100, sd=1), 0.398138137568, ROOT),
    # pwr.t2n.test(n1 = 50, n2 = 100, power = .8)$d   (pwr: tolerance ~1e-4)
    ("mean two-wave, ratio 2", dict(metric="mean", n=50, sd=1, ratio=2), 0.488425217736,
     1e-5),
    # power.t.test(n = 40, sd = 1.2 * sqrt(2 * (1 - .6)), power = .8, type = "paired",
    #              strict = TRUE, tol = 1e-12)$delta
    ("mean paired", dict(metric="mean", n=40, sd=1.2, design="paired", correlation=0.6),
     0.487559710264, ROOT),
    # qt(.975, 99) * 1.1 / sqrt(100)
    ("mean one-wave", dict(metric="mean", n=100, sd=1.1, design="one-wave"), 0.218263864675,
     CLOSED),
    # power.prop.test(n = 200, p1 = .3, power = .8, strict = TRUE, tol = 1e-12)$p2 - .3
    ("proportion two-wave", dict(metric="proportion", n=200, p=0.3), 0.134660313969, ROOT),
    # uniroot(function(d) pp(300, .3, .3 + d, .4) - .8, ...), tests/r/power.R
    ("proportion paired",
     dict(metric="proportion", n=300, p=0.3, design="paired", correlation=0.4),
     0.0837681867519, ROOT),
    # qnorm(.975) * sqrt(.4 * .6 / 500) = 0.0429; published: "40% +/- 4.3%" for the
    # promoters at n = 500 (Market Strategies International, "NPS Requires Much Larger
    # Sample Sizes Than Alternatives", Research Access blog)
    ("proportion one-wave", dict(metric="proportion", n=500, p=0.4, design="one-wave"),
     0.0429406594492, CLOSED),
    # uniroot(function(d) zp(500, d, nps_sd(.4, .2)) - .8, ...)
    ("nps two-wave", dict(metric="nps", n=1000), 9.37588596904, ROOT),
    # qnorm(.975) * nps_sd(.4, .2) / sqrt(500); published: "NPS of 20 is +/- 6.6" at
    # n = 500 with 40% promoters, 20% detractors (Market Strategies International, ibid.)
    ("nps one-wave", dict(metric="nps", n=500, design="one-wave"), 6.55929407724, CLOSED),
]


@pytest.mark.parametrize("kwargs, expected, tol", [c[1:] for c in MDE_CASES],
                         ids=[c[0] for c in MDE_CASES])
def test_mde_matches_r(kwargs, expected, tol) -> None:
    assert mde(**kwargs).estimate == pytest.approx(expected, rel=tol)


@pytest.mark.parametrize("kwargs, published", [
    (dict(metric="nps", n=500, design="one-wave"), 6.6),               # ± 6.6 NPS points
    (dict(metric="proportion", n=500, p=0.4, design="one-wave"), 0.043),  # ± 4.3 points
])
def test_published_nps_margins(kwargs, published) -> None:
    # Market Strategies International, "NPS Requires Much Larger Sample Sizes Than
    # Alternatives" (Research Access): 40% promoters, 40% passives, 20% detractors, n=500
    digits = 1 if published > 1 else 3
    assert round(mde(**kwargs).estimate, digits) == published


def test_arcsine_version_differs_as_documented() -> None:
    # pwr.2p.test(h = ES.h(.65, .5), power = .8)$n = 169.0879424733 (Cohen's h), while
    # power.prop.test(...) = 169.3110441212: we follow power.prop.test
    n = sample_size("proportion", 0.15, p=0.5).extra["n_exact"]
    assert n == pytest.approx(169.3110441212, rel=ROOT)
    assert n != pytest.approx(169.0879424733, rel=1e-4)


def test_sample_size_and_mde_are_inverse() -> None:
    for kwargs in (dict(metric="mean", sd=1.3), dict(metric="proportion", p=0.55),
                   dict(metric="nps", shares=(0.3, 0.3)),
                   dict(metric="nps", design="paired", correlation=0.3),
                   dict(metric="mean", sd=1, design="one-wave")):
        n = sample_size(mde=0.12 if kwargs["metric"] == "proportion" else 4.0
                        if kwargs["metric"] == "nps" else 0.25, **kwargs).extra["n_exact"]
        back = mde(n=n, **kwargs).estimate
        assert back == pytest.approx(0.12 if kwargs["metric"] == "proportion" else 4.0
                                     if kwargs["metric"] == "nps" else 0.25, rel=1e-6)


def test_result_says_what_was_assumed() -> None:
    r = sample_size("nps", 5, ratio=2)
    assert (r.extra["n_first"], r.extra["n_second"], r.extra["n_total"]) == (2638, 5276, 7914)
    assert r.n == 7914 and r.extra["shares"] == (0.4, 0.2)
    assert r.extra["sd_per_respondent"] == pytest.approx(74.8331477355, rel=CLOSED)  # R
    assert "40% promoters, 20% detractors" in r.definition
    assert "second wave needs 5276" in r.definition
    assert "NormalIndPower" in r.method
    assert r.to_frame().loc[0, "estimate"] == 2638
    one = mde("mean", 100, sd=1.1, design="one-wave")
    assert one.name == "margin of error" and one.extra["power"] is None


@pytest.mark.parametrize("call, message", [
    (lambda: sample_size("nps", 0), r"mde must be a number above 0 in NPS points; got 0"),
    (lambda: sample_size("mean", -0.2, sd=1), r"mde must be a number above 0"),
    (lambda: sample_size("mean", "big", sd=1), r"mde must be a number above 0.*'big'"),
    (lambda: sample_size("nps", 5, power=1.2),
     r"power must be a number above 0 and below 1 \(e.g. 0.8\); got 1.2"),
    (lambda: sample_size("nps", 5, power=0), r"power must be a number above 0"),
    (lambda: sample_size("nps", 5, alpha=1), r"alpha must be a number above 0 and below 1 "
                                             r"\(e.g. 0.05\); got 1"),
    (lambda: mde("nps", 300, alpha=-0.05), r"alpha must be a number above 0"),
    (lambda: sample_size("nps", 5, alpha=0.5, power=0.4),
     r"power \(0.4\) must be larger than alpha \(0.5\)"),
    (lambda: sample_size("csat", 5), r"metric must be one of 'mean', 'proportion', 'nps'; "
                                     r"got 'csat'"),
    (lambda: mde("median", 100), r"metric must be one of"),
    (lambda: sample_size("nps", 5, design="panel"),
     r"design must be one of 'two-wave', 'one-wave', 'paired'"),
    (lambda: sample_size("mean", 0.3), r"metric='mean' needs sd="),
    (lambda: sample_size("proportion", 0.05), r"metric='proportion' needs p="),
    (lambda: sample_size("proportion", 0.05, p=1.2), r"p must be a number above 0 and "
                                                     r"below 1; got 1.2"),
    (lambda: sample_size("proportion", 0.3, p=0.8), r"p \+ mde = 0.8 \+ 0.3 is not below 1"),
    (lambda: sample_size("nps", 5, p=0.4), r"p applies to metric='proportion', not "
                                           r"metric='nps'"),
    (lambda: sample_size("nps", 5, shares=(0.7, 0.5)),
     r"promoters and detractors add up to more than 1"),
    (lambda: sample_size("nps", 5, shares=(1.0, 0.0)), r"leave no variance"),
    (lambda: sample_size("nps", 5, shares=0.4), r"shares must be \(promoters, detractors\)"),
    (lambda: sample_size("nps", 5, design="paired"), r"design='paired' needs correlation="),
    (lambda: sample_size("nps", 5, correlation=0.5),
     r"correlation applies to design='paired' only"),
    (lambda: sample_size("nps", 5, design="paired", correlation=1.5),
     r"correlation must be a number above -1 and below 1"),
    (lambda: sample_size("nps", 5, design="one-wave", ratio=2),
     r"ratio applies to design='two-wave' only"),
    (lambda: sample_size("nps", 5, ratio=0), r"ratio must be a number above 0"),
    (lambda: mde("nps", 1), r"n must be a number at least 2 \(respondents\); got 1"),
    (lambda: mde("proportion", 3, p=0.9),
     r"with n=3 no change from p=0.9 up to 1 reaches power 0.8"),
])
def test_bad_input(call, message) -> None:
    with pytest.raises(StatsInputError, match=message):
        call()


def test_shares_as_mapping() -> None:
    a = sample_size("nps", 5, shares={"promoters": 0.5, "detractors": 0.1})
    b = sample_size("nps", 5, shares=(0.5, 0.1))
    assert a.estimate == b.estimate
    with pytest.raises(StatsInputError, match="keys 'promoters' and 'detractors'"):
        sample_size("nps", 5, shares={"pro": 0.5})


def test_mde_with_many_respondents_does_not_trip_over_a_nan_power() -> None:
    # statsmodels' TTestIndPower().power(1.0, 400, 0.05) is NaN (noncentral t underflow)
    # while the root lies near 0.2.
    # R: power.t.test(n = 400, sd = 1, power = 0.8, tol = 1e-12, strict = TRUE)$delta
    from cxresearch.stats import mde

    assert mde("mean", 400, sd=1.0).estimate == pytest.approx(0.1983405528, abs=1e-9)
