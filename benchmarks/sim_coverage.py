"""Simulation: how often do the intervals of :mod:`cxresearch.stats` cover the truth?

Run with ``.venv/bin/python benchmarks/sim_coverage.py`` (2,000 datasets per scenario
and sample size; 8 to 10 minutes on one slow core) or with ``--quick`` (200 datasets,
about a minute). ``--csv PATH`` also writes the table as CSV, ``--seed`` changes the
master seed, ``--only TEXT`` runs the scenarios whose name contains ``TEXT``.

Every dataset is drawn from a distribution whose true value is computed exactly from
the distribution itself (never estimated from a large sample), the function is called
through the public API of :mod:`cxresearch.stats`, and the row reports

* ``coverage``: the share of intervals with ``ci_low <= truth <= ci_high``;
* ``mc_se``: its Monte-Carlo standard error ``sqrt(p (1 - p) / reps)`` (0.49 points at
  2,000 reps and 95%, so a correct 95% interval lands outside 94-96% about 4% of the
  time; 1.5 points at 200 reps);
* ``mean_width``: the mean interval width, in the unit of the estimate (NPS in points,
  shares 0-1, scale points, alpha/kappa 0-1);
* ``fail``: datasets for which the function raised or gave a NaN interval (left out
  of ``reps``);
* ``flag``: ``LOW``/``HIGH`` when a row with ``n >= 200`` lies outside the nominal level
  plus or minus 1 point (94-96% for 95% intervals, 89-91% for the 90% TOST interval);
  ``(low)``/``(high)`` marks the same at smaller ``n``, where there is no target, to
  make the table easier to read. A ``~`` after a flag means the nominal level lies within
  2 Monte-Carlo standard errors of the observed coverage (the miss may be noise).

``n`` is the number of answers per group (two groups: both groups, unless the scenario
says otherwise), pairs for paired designs, units for agreement, respondents for
reliability, respondents per arm and period for ``did`` and months for ``its``.

Seeds: the master seed (printed) and a hash of the scenario name and ``n`` seed one
:class:`numpy.random.Generator` per scenario and ``n``
(``default_rng([seed, crc32(name), n])``), so a scenario's numbers do not depend on
which other scenarios ran. The bootstraps inside ``nps`` and ``krippendorff_alpha``
take a seed drawn from that generator.

The true values
---------------
* NPS, top-box, means, CES, proportions: from the category probabilities.
* Paired NPS: pairs are drawn from an 11 x 11 table, the discretised latent bivariate
  normal (correlation 0.6, the after-latent shifted by 0.3 SD) with each cell computed
  by one-dimensional quadrature; the true difference is computed from that table's
  margins (the table is what the pairs are drawn from, so truth and data agree exactly).
* Hedges' g: the interval of ``compare_means(...).effect`` is documented as an interval
  for the *population* standardised difference delta = (mu_b - mu_a) / sigma; the
  small-sample factor J shrinks the point estimate g = J d (nearly unbiased for delta)
  but not the interval. So the truth is delta itself, not J delta. With equal variances
  sigma is the common SD; with unequal variances the pooled SD estimates
  sqrt(((n_a - 1) sigma_a^2 + (n_b - 1) sigma_b^2) / (n_a + n_b - 2)) (the expectation of
  s_p^2), and delta uses that. Paired g_z: mu_D / sigma_D.
* compare_ordinal: PS = P(B > A) + P(B = A) / 2 and r = 2 PS - 1 from the two 1-5
  distributions.
* did: the interaction coefficient of the generating model (cluster intercepts and
  cluster-by-period shocks have mean 0). its: the level change b2 and slope change b3 of
  the generating segmented line (AR(1) errors, phi 0.3).
* Cronbach's alpha: k/(k-1) (1 - tr S / 1'S1) for the items' population covariance S:
  parallel normal items (where Feldt's interval is exact), congeneric normal items, and
  congeneric items cut into 1-5 Likert answers (S from bivariate-normal orthant
  probabilities, by quadrature).
* Cohen's kappa: (p_o - p_e) / (1 - p_e) from the joint table (unweighted and
  quadratic). Krippendorff's alpha: each unit has a true class c ~ pi, each of 3 coders
  reports c with probability q and otherwise a draw from pi, 10% of codes missing at
  random; the population alpha 1 - D_o / D_e (pairwise disagreement within units over
  that between values) is q^2 for nominal codes.

Bootstrap intervals (``nps`` bootstrap, ``krippendorff_alpha``) use 1,000 resamples
and, because both are fast (count and unit resampling), the same number of datasets as
every other scenario.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
import warnings
import zlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy import integrate, stats

from cxresearch.stats import (Result, ces, cohen_kappa, compare_means, compare_nps,
                              compare_ordinal, compare_proportions, cronbach_alpha, did,
                              equivalence, its, krippendorff_alpha, mean_score, nps,
                              top_box)

NS = (30, 200, 1000)
N_BOOT = 1000
COLUMNS = ("scenario", "method", "n", "reps", "level", "truth", "coverage", "mc_se",
           "mean_width", "fail", "flag")


# -- exact truths ---------------------------------------------------------------------------
def nps_of(p: np.ndarray) -> float:
    """NPS in points of a 0-10 distribution."""
    return 100.0 * (p[9:].sum() - p[:7].sum())


def mean_of(p: np.ndarray, low: int) -> float:
    """Mean of a distribution over low, low + 1, ..."""
    return float(np.dot(np.arange(low, low + len(p)), p))


def bvn_cdf(x: float, y: float, rho: float, mu_y: float = 0.0) -> float:
    """P(X <= x, Y <= y) for standard X and Y ~ N(mu_y, 1) with correlation rho, as
    the integral of phi(z) Phi((y - mu_y - rho z) / sqrt(1 - rho^2)) over z <= x."""
    if x == -np.inf or y == -np.inf:
        return 0.0
    if x == np.inf:
        return float(stats.norm.cdf(y - mu_y))
    if y == np.inf:
        return float(stats.norm.cdf(x))
    s = math.sqrt(1.0 - rho * rho)
    value, _ = integrate.quad(
        lambda z: stats.norm.pdf(z) * stats.norm.cdf((y - mu_y - rho * z) / s), -np.inf, x,
        epsabs=1e-13, epsrel=1e-12, limit=200)
    return float(value)


def discretised_bvn(cut_x: np.ndarray, cut_y: np.ndarray, rho: float,
                    mu_y: float = 0.0) -> np.ndarray:
    """Cell probabilities of (X, Y) cut at the thresholds ``cut_x`` and ``cut_y``."""
    bx = np.concatenate(([-np.inf], cut_x, [np.inf]))
    by = np.concatenate(([-np.inf], cut_y, [np.inf]))
    cdf = np.array([[bvn_cdf(x, y, rho, mu_y) for y in by] for x in bx])
    cells = np.diff(np.diff(cdf, axis=0), axis=1)
    return np.clip(cells, 0.0, None) / np.clip(cells, 0.0, None).sum()


def thresholds(p: np.ndarray) -> np.ndarray:
    """Standard-normal cut points that give the category probabilities ``p``."""
    return np.asarray(stats.norm.ppf(np.cumsum(p)[:-1]))


def alpha_of(cov: np.ndarray) -> float:
    """Population Cronbach's alpha of a covariance matrix."""
    k = cov.shape[0]
    return k / (k - 1) * (1.0 - np.trace(cov) / cov.sum())


def kappa_of(p: np.ndarray, weights: str | None) -> float:
    """Population (weighted) kappa of a joint table of proportions."""
    k = p.shape[0]
    i, j = np.indices((k, k))
    w = 1.0 - ((i - j) ** 2 / (k - 1) ** 2 if weights == "quadratic" else (i != j))
    p_o = (w * p).sum()
    p_e = (w * np.outer(p.sum(1), p.sum(0))).sum()
    return float((p_o - p_e) / (1.0 - p_e))


# -- distributions -------------------------------------------------------------------------
NPS_A = np.array([.03, .02, .02, .03, .04, .06, .08, .14, .20, .18, .20])  # NPS 10
NPS_B = np.array([.02, .01, .02, .02, .03, .05, .07, .13, .20, .20, .25])  # NPS 23
NPS_RHO, NPS_SHIFT = 0.6, 0.3
NPS_JOINT = discretised_bvn(thresholds(NPS_A), thresholds(NPS_A), NPS_RHO, NPS_SHIFT)
TOP5 = np.array([.05, .10, .20, .40, .25])  # top-2-box .65
SKEW5 = np.array([.03, .04, .08, .30, .55])  # mean 4.30
CES7 = np.array([.02, .03, .05, .10, .20, .30, .30])  # mean 5.53
P_A, P_B = 0.30, 0.40
PAIRED_2X2 = np.array([[.40, .20], [.10, .30]])  # rows a = 0, 1; columns b = 0, 1
ORD_A = np.array([.10, .15, .30, .30, .15])
ORD_B = np.array([.05, .10, .25, .35, .25])
WELCH = {"mu_a": 3.5, "sd_a": 1.0, "mu_b": 3.8, "sd_b": 2.0}  # n_b = n // 2
EQUAL = {"mu_a": 3.5, "mu_b": 4.1, "sd": 1.2}  # delta 0.5
PAIRED = {"mu_a": 3.5, "sd_a": 1.0, "mu_b": 3.7, "sd_b": 1.2, "rho": 0.6}  # sd_D 1.0
DID = {"effect": 0.3, "sd_cluster": 0.5, "sd_shock": 0.25, "sd": 1.0}
ITS = {"b0": 70.0, "b1": 0.1, "b2": 2.0, "b3": 0.05, "phi": 0.3, "sd": 1.0}
LOADINGS = np.array([.9, .8, .7, .6, .5])
LIKERT_CUTS = thresholds(np.array([.05, .10, .25, .35, .25]))
KAPPA_TABLE = np.array([[.25, .05, .02], [.06, .25, .05], [.02, .05, .25]])
KRIPP_PI, KRIPP_Q, KRIPP_CODERS, KRIPP_MISSING = np.array([.4, .3, .2, .1]), 0.7, 3, 0.1


def ps_of(pa: np.ndarray, pb: np.ndarray) -> float:
    """P(B > A) + P(B = A) / 2 for independent A ~ pa and B ~ pb on the same points."""
    i, j = np.indices((len(pa), len(pb)))
    return float((np.outer(pa, pb) * ((j > i) + 0.5 * (j == i))).sum())


def likert_cov() -> np.ndarray:
    """Population covariance of congeneric items cut into 1-5 answers.

    A 1-5 answer is ``1 + sum_a [Z > t_a]``, so ``Cov(Y_i, Y_j) = sum_a sum_b
    (P(Z_i > t_a, Z_j > t_b) - P(Z_i > t_a) P(Z_j > t_b))`` with latent correlation
    ``lambda_i lambda_j`` (and the Bernoulli variances on the diagonal)."""
    k, cuts = len(LOADINGS), LIKERT_CUTS
    up = 1.0 - stats.norm.cdf(cuts)
    cov = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            if i == j:
                lo = np.minimum.outer(up, up)  # P(Z > max(t_a, t_b))
            else:
                rho = LOADINGS[i] * LOADINGS[j]
                # P(Z_i > s, Z_j > t) = P(-Z_i <= -s, -Z_j <= -t)
                lo = np.array([[bvn_cdf(-s, -t, rho) for t in cuts] for s in cuts])
            cov[i, j] = (lo - np.outer(up, up)).sum()
    return cov


def kripp_truth(pi: np.ndarray, q: float) -> float:
    """Population nominal alpha of the 'true class plus random miscoding' model."""
    report = q * np.eye(len(pi)) + (1 - q) * pi[None, :]  # P(code k | class c)
    d_o = 1.0 - float((pi * (report ** 2).sum(1)).sum())
    d_e = 1.0 - float((pi ** 2).sum())
    return 1.0 - d_o / d_e


# -- scenarios -----------------------------------------------------------------------------
Truth = float | Callable[[int], float]


@dataclass
class Scenario:
    """One data-generating process: ``draw(rng, n)`` gives a dataset, ``fit(data, rng)``
    one callable per method label that returns its Result (called one by one, so one
    method's failure does not hide the others), ``truths`` the true value per label."""

    name: str
    draw: Callable[[np.random.Generator, int], Any]
    fit: Callable[[Any, np.random.Generator], dict[str, Callable[[], Result]]]
    truths: dict[str, Truth]
    ns: tuple[int, ...] = NS
    note: str = ""


def _choice(rng: np.random.Generator, p: np.ndarray, n: int, low: int) -> np.ndarray:
    return rng.choice(len(p), size=n, p=p) + low


def _g_unequal(n: int) -> float:
    n_a, n_b = n, n // 2
    sp2 = ((n_a - 1) * WELCH["sd_a"] ** 2 + (n_b - 1) * WELCH["sd_b"] ** 2) / (n_a + n_b - 2)
    return (WELCH["mu_b"] - WELCH["mu_a"]) / math.sqrt(sp2)


def _draw_did(clusters: int) -> Callable[[np.random.Generator, int], pd.DataFrame]:
    def draw(rng: np.random.Generator, n: int) -> pd.DataFrame:
        half = clusters // 2
        u = rng.normal(0, DID["sd_cluster"], clusters)
        v = rng.normal(0, DID["sd_shock"], (clusters, 2))
        treated = np.repeat([0, 0, 1, 1], n)
        post = np.repeat([0, 1, 0, 1], n)
        cluster = rng.integers(0, half, 4 * n) + half * treated
        y = (3.5 + 0.2 * treated + 0.1 * post + DID["effect"] * treated * post
             + u[cluster] + v[cluster, post] + rng.normal(0, DID["sd"], 4 * n))
        return pd.DataFrame({"score": y, "treated": treated, "post": post,
                             "cluster": cluster})
    return draw


def _draw_its(rng: np.random.Generator, n: int) -> pd.DataFrame:
    e = np.empty(n)
    e[0] = rng.normal(0, ITS["sd"] / math.sqrt(1 - ITS["phi"] ** 2))  # stationary start
    shocks = rng.normal(0, ITS["sd"], n)
    for i in range(1, n):
        e[i] = ITS["phi"] * e[i - 1] + shocks[i]
    t = np.arange(n)
    t0 = n // 2
    after = (t >= t0).astype(float)
    y = ITS["b0"] + ITS["b1"] * t + ITS["b2"] * after + ITS["b3"] * (t - t0) * after + e
    return pd.DataFrame({"month": pd.date_range("2020-01-01", periods=n, freq="MS"),
                         "y": y})


def _draw_items(kind: str) -> Callable[[np.random.Generator, int], pd.DataFrame]:
    def draw(rng: np.random.Generator, n: int) -> pd.DataFrame:
        common = rng.normal(size=(n, 1))
        if kind == "parallel":
            x = common + rng.normal(0, math.sqrt(1.5), (n, 5))
        else:
            x = common * LOADINGS + rng.normal(size=(n, 5)) * np.sqrt(1 - LOADINGS ** 2)
            if kind == "likert":
                x = 1 + (x[:, :, None] > LIKERT_CUTS).sum(2)
        return pd.DataFrame(x, columns=[f"q{i}" for i in range(1, 6)])
    return draw


def _draw_kappa(rng: np.random.Generator, n: int) -> pd.DataFrame:
    counts = rng.multinomial(n, KAPPA_TABLE.ravel()).reshape(3, 3)
    return pd.DataFrame(counts, index=[1, 2, 3], columns=[1, 2, 3])


def _draw_kripp(rng: np.random.Generator, n: int) -> np.ndarray:
    pi, q, m = KRIPP_PI, KRIPP_Q, KRIPP_CODERS
    cls = rng.choice(len(pi), size=n, p=pi)
    codes = np.where(rng.random((n, m)) < q, cls[:, None],
                     rng.choice(len(pi), size=(n, m), p=pi)).astype(float)
    codes[rng.random((n, m)) < KRIPP_MISSING] = np.nan
    return codes


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2 ** 31))


def once(call: Callable[[], Result]) -> Callable[[], Result]:
    """``call`` evaluated at most once (several methods read one Result)."""
    memo: list[Result] = []

    def get() -> Result:
        if not memo:
            memo.append(call())
        return memo[0]
    return get


def effect(r: Result) -> Result:
    """The effect-size Result attached to ``r``."""
    if r.effect is None:
        raise ValueError(f"{r.name} has no effect size")
    return r.effect


def scenarios() -> list[Scenario]:
    """Every scenario, in the order of the table."""
    mw_a, mw_b = WELCH["mu_a"], WELCH["mu_b"]
    pr, eq = PAIRED, EQUAL
    sd_d = math.sqrt(pr["sd_a"] ** 2 + pr["sd_b"] ** 2
                     - 2 * pr["rho"] * pr["sd_a"] * pr["sd_b"])
    cov_p = np.array([[pr["sd_a"] ** 2, pr["rho"] * pr["sd_a"] * pr["sd_b"]],
                      [pr["rho"] * pr["sd_a"] * pr["sd_b"], pr["sd_b"] ** 2]])
    ps = ps_of(ORD_A, ORD_B)
    nps_paired_truth = nps_of(NPS_JOINT.sum(0)) - nps_of(NPS_JOINT.sum(1))
    cov_parallel = np.ones((5, 5)) + 1.5 * np.eye(5)
    cov_congeneric = np.outer(LOADINGS, LOADINGS) + np.diag(1 - LOADINGS ** 2)
    boot = f"bootstrap percentile ({N_BOOT})"
    kboot = f"nominal, bootstrap ({N_BOOT})"
    Fits = dict[str, Callable[[], Result]]

    def paired_normal(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        x = rng.multivariate_normal([pr["mu_a"], pr["mu_b"]], cov_p, size=n)
        return x[:, 0], x[:, 1]

    def welch(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        return (rng.normal(mw_a, WELCH["sd_a"], n), rng.normal(mw_b, WELCH["sd_b"], n // 2))

    def proportions(rng: np.random.Generator, n: int) -> tuple[tuple[int, int], ...]:
        return (int(rng.binomial(n, P_A)), n), (int(rng.binomial(n, P_B)), n)

    def fit_nps(d: Any, rng: np.random.Generator) -> Fits:
        seed = _seed(rng)
        return {"adjusted Wald": lambda: nps(d), "Wald": lambda: nps(d, method="wald"),
                boot: lambda: nps(d, method="bootstrap", n_boot=N_BOOT, seed=seed)}

    def fit_compare_nps(paired: bool) -> Callable[[Any, np.random.Generator], Fits]:
        return lambda d, rng: {
            "adjusted Wald": lambda: compare_nps(d[0], d[1], paired=paired),
            "Wald": lambda: compare_nps(d[0], d[1], paired=paired, method="wald")}

    def fit_means(paired: bool) -> Callable[[Any, np.random.Generator], Fits]:
        def fit(d: Any, rng: np.random.Generator) -> Fits:
            r = once(lambda: compare_means(*d, paired=paired))
            if paired:
                return {"difference (paired t)": r, "Hedges' g_z": lambda: effect(r())}
            return {"difference (Welch t)": r, "Hedges' g (pooled SD)": lambda: effect(r())}
        return fit

    def fit_ordinal(d: Any, rng: np.random.Generator) -> Fits:
        r = once(lambda: compare_ordinal(*d))
        return {"rank-biserial r (Brunner-Munzel)": r, "PS (Brunner-Munzel)": lambda: effect(r())}

    def fit_equivalence(d: Any, rng: np.random.Generator) -> Fits:
        return {"means, Welch (90%)": lambda: equivalence(*d[0], margin=0.5),
                "means, paired (90%)": lambda: equivalence(*d[1], margin=0.3, paired=True),
                "proportions, MN score (90%)": lambda: equivalence(*d[2], margin=0.15,
                                                                   kind="proportions")}

    def fit_did(d: Any, rng: np.random.Generator) -> Fits:
        return {"CR1, t(G-1)": lambda: did(d, "score", "treated", "post", "cluster")}

    def fit_its(d: pd.DataFrame, rng: np.random.Generator) -> Fits:
        when = d["month"].iloc[len(d) // 2]
        r = once(lambda: its(d, "month", "y", when))
        a = once(lambda: its(d, "month", "y", when, errors="ar1"))
        return {"level change (HAC)": r,
                "slope change (HAC)": lambda: r().extra["slope_change"],
                "level change (AR(1) ML)": a,
                "slope change (AR(1) ML)": lambda: a().extra["slope_change"]}

    def fit_alpha(d: Any, rng: np.random.Generator) -> Fits:
        return {"Feldt": lambda: cronbach_alpha(d)}

    def fit_kappa(d: Any, rng: np.random.Generator) -> Fits:
        return {"unweighted": lambda: cohen_kappa(d),
                "quadratic": lambda: cohen_kappa(d, weights="quadratic")}

    def fit_kripp(d: Any, rng: np.random.Generator) -> Fits:
        seed = _seed(rng)
        return {kboot: lambda: krippendorff_alpha(d, n_boot=N_BOOT, seed=seed)}

    def nps_pairs(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        cell = rng.choice(121, size=n, p=NPS_JOINT.ravel())
        return cell // 11, cell % 11  # rows: a (before), columns: b (after)

    return [
        Scenario("nps", lambda rng, n: _choice(rng, NPS_A, n, 0), fit_nps,
                 dict.fromkeys(("adjusted Wald", "Wald", boot), nps_of(NPS_A)),
                 note="0-10 answers, 38% promoters, 28% detractors (NPS 10)"),
        Scenario("compare_nps independent",
                 lambda rng, n: (_choice(rng, NPS_A, n, 0), _choice(rng, NPS_B, n, 0)),
                 fit_compare_nps(False),
                 dict.fromkeys(("adjusted Wald", "Wald"), nps_of(NPS_B) - nps_of(NPS_A)),
                 note="n per group; NPS 10 -> 23"),
        Scenario("compare_nps paired", nps_pairs, fit_compare_nps(True),
                 dict.fromkeys(("adjusted Wald", "Wald"), nps_paired_truth),
                 note=f"pairs from a discretised latent bivariate normal, rho {NPS_RHO}, "
                      f"after-latent +{NPS_SHIFT} SD"),
        Scenario("top_box", lambda rng, n: _choice(rng, TOP5, n, 1),
                 lambda d, rng: {"Wilson": lambda: top_box(d),
                                 "Wald": lambda: top_box(d, method="wald")},
                 {"Wilson": TOP5[3:].sum(), "Wald": TOP5[3:].sum()},
                 note="1-5, top-2-box share .65"),
        Scenario("mean_score", lambda rng, n: _choice(rng, SKEW5, n, 1),
                 lambda d, rng: {"t": lambda: mean_score(d)}, {"t": mean_of(SKEW5, 1)},
                 note="left-skewed 1-5, mean 4.30"),
        Scenario("ces", lambda rng, n: _choice(rng, CES7, n, 1),
                 lambda d, rng: {"t (version 2)": lambda: ces(d, version=2)},
                 {"t (version 2)": mean_of(CES7, 1)}, note="1-7, mean 5.53"),
        Scenario("compare_proportions independent", proportions,
                 lambda d, rng: {"Newcombe hybrid score": lambda: compare_proportions(*d)},
                 {"Newcombe hybrid score": P_B - P_A}, note="n per group, .30 -> .40"),
        Scenario("compare_proportions paired",
                 lambda rng, n: rng.multinomial(n, PAIRED_2X2.ravel()).reshape(2, 2).tolist(),
                 lambda d, rng: {"Newcombe paired score":
                                 lambda: compare_proportions(d, paired=True)},
                 {"Newcombe paired score": PAIRED_2X2[:, 1].sum() - PAIRED_2X2[1].sum()},
                 note="pairs, .40 -> .50, 30% discordant"),
        Scenario("compare_means Welch", welch, fit_means(False),
                 {"difference (Welch t)": mw_b - mw_a, "Hedges' g (pooled SD)": _g_unequal},
                 note="n_a = n (SD 1), n_b = n/2 (SD 2), normal; g's interval assumes "
                      "equal SDs"),
        Scenario("compare_means equal SD",
                 lambda rng, n: (rng.normal(eq["mu_a"], eq["sd"], n),
                                 rng.normal(eq["mu_b"], eq["sd"], n)),
                 fit_means(False),
                 {"difference (Welch t)": eq["mu_b"] - eq["mu_a"],
                  "Hedges' g (pooled SD)": (eq["mu_b"] - eq["mu_a"]) / eq["sd"]},
                 note="n per group, normal, delta 0.5"),
        Scenario("compare_means paired", paired_normal, fit_means(True),
                 {"difference (paired t)": pr["mu_b"] - pr["mu_a"],
                  "Hedges' g_z": (pr["mu_b"] - pr["mu_a"]) / sd_d},
                 note="pairs, bivariate normal, rho 0.6, d_z 0.2"),
        Scenario("compare_ordinal",
                 lambda rng, n: (_choice(rng, ORD_A, n, 1), _choice(rng, ORD_B, n, 1)),
                 fit_ordinal,
                 {"rank-biserial r (Brunner-Munzel)": 2 * ps - 1, "PS (Brunner-Munzel)": ps},
                 note=f"n per group, 1-5, PS {ps:.4f}"),
        Scenario("equivalence",
                 lambda rng, n: (welch(rng, n), paired_normal(rng, n), proportions(rng, n)),
                 fit_equivalence,
                 {"means, Welch (90%)": mw_b - mw_a,
                  "means, paired (90%)": pr["mu_b"] - pr["mu_a"],
                  "proportions, MN score (90%)": P_B - P_A},
                 note="the 1 - 2 alpha interval TOST inverts; data as the Welch, paired "
                      "and independent-proportion scenarios"),
        Scenario("did 40 clusters", _draw_did(40), fit_did, {"CR1, t(G-1)": DID["effect"]},
                 note="n per arm and period; cluster intercept and cluster x period shock"),
        Scenario("did 10 clusters", _draw_did(10), fit_did, {"CR1, t(G-1)": DID["effect"]},
                 note="as above, 5 clusters per arm"),
        Scenario("its", _draw_its, fit_its,
                 {"level change (HAC)": ITS["b2"], "slope change (HAC)": ITS["b3"],
                  "level change (AR(1) ML)": ITS["b2"], "slope change (AR(1) ML)": ITS["b3"]},
                 ns=(24, 48, 120), note="n = months, AR(1) phi 0.3, intervention halfway"),
        Scenario("cronbach_alpha parallel", _draw_items("parallel"), fit_alpha,
                 {"Feldt": alpha_of(cov_parallel)}, note="5 parallel normal items"),
        Scenario("cronbach_alpha congeneric", _draw_items("congeneric"), fit_alpha,
                 {"Feldt": alpha_of(cov_congeneric)},
                 note="5 items, loadings .9 to .5, normal"),
        Scenario("cronbach_alpha Likert", _draw_items("likert"), fit_alpha,
                 {"Feldt": alpha_of(likert_cov())},
                 note="the congeneric items cut into 1-5 answers"),
        Scenario("cohen_kappa", _draw_kappa, fit_kappa,
                 {"unweighted": kappa_of(KAPPA_TABLE, None),
                  "quadratic": kappa_of(KAPPA_TABLE, "quadratic")},
                 note="3 x 3 joint table, n units"),
        Scenario("krippendorff_alpha", _draw_kripp, fit_kripp,
                 {kboot: kripp_truth(KRIPP_PI, KRIPP_Q)},
                 note="3 coders, 4 classes, q 0.7, 10% missing, n units"),
    ]


# -- the loop ------------------------------------------------------------------------------
def run(scenario: Scenario, n: int, reps: int, seed: int) -> list[dict[str, Any]]:
    """Draw ``reps`` datasets of size ``n`` and tally coverage per method."""
    rng = np.random.default_rng([seed, zlib.crc32(scenario.name.encode()), n])
    labels = list(scenario.truths)
    truth = {k: (v(n) if callable(v) else float(v)) for k, v in scenario.truths.items()}
    hit = dict.fromkeys(labels, 0)
    width = dict.fromkeys(labels, 0.0)
    ok = dict.fromkeys(labels, 0)
    level: dict[str, float] = {}
    errors: dict[str, str] = {}
    for _ in range(reps):
        data = scenario.draw(rng, n)
        for label, get in scenario.fit(data, rng).items():
            try:
                r = get()
            except Exception as exc:  # noqa: BLE001  (a failure is a finding: counted)
                errors.setdefault(label, f"{type(exc).__name__}: {exc}")
                continue
            if r is None or not (np.isfinite(r.ci_low) and np.isfinite(r.ci_high)):
                errors.setdefault(label, "NaN interval")
                continue
            ok[label] += 1
            level[label] = r.level
            hit[label] += int(r.ci_low <= truth[label] <= r.ci_high)
            width[label] += r.ci_high - r.ci_low
    rows = []
    for label in labels:
        m = ok[label]
        cover = hit[label] / m if m else math.nan
        nominal = level.get(label, math.nan)
        mc_se = math.sqrt(cover * (1 - cover) / m) if m else math.nan
        rows.append({"scenario": scenario.name, "method": label, "n": n, "reps": m,
                     "level": nominal, "truth": truth[label], "coverage": cover,
                     "mc_se": mc_se, "mean_width": width[label] / m if m else math.nan,
                     "fail": reps - m, "flag": flag(cover, nominal, mc_se, n),
                     "error": errors.get(label, "")})
    return rows


def flag(cover: float, nominal: float, mc_se: float, n: int) -> str:
    """``LOW``/``HIGH`` outside nominal +- 1 point at n >= 200, ``(low)``/``(high)`` below;
    ``~`` when the nominal level is within 2 Monte-Carlo SEs (may be noise)."""
    if not np.isfinite(cover) or abs(cover - nominal) <= 0.01 + 1e-12:
        return ""
    word = "low" if cover < nominal else "high"
    text = word.upper() if n >= 200 else f"({word})"
    return text + ("~" if abs(cover - nominal) <= 2 * mc_se else "")


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a fixed-width text table."""
    head = (f"{'scenario':<32} {'method':<34} {'n':>5} {'reps':>5} {'level':>5} "
            f"{'truth':>9} {'coverage':>8} {'mc_se':>6} {'width':>9} {'fail':>4}  flag")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['scenario']:<32} {r['method']:<34} {r['n']:>5} {r['reps']:>5} "
            f"{r['level']:>5.2f} {r['truth']:>9.4f} {100 * r['coverage']:>7.1f}% "
            f"{100 * r['mc_se']:>5.2f} {r['mean_width']:>9.4f} {r['fail']:>4}  {r['flag']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 datasets, not 2,000")
    parser.add_argument("--reps", type=int, default=None, help="datasets per row")
    parser.add_argument("--seed", type=int, default=20240611, help="master seed")
    parser.add_argument("--csv", default=None, help="also write the table to this CSV")
    parser.add_argument("--only", default=None, help="scenarios whose name contains this")
    args = parser.parse_args(argv)
    reps = args.reps or (200 if args.quick else 2000)
    print(f"master seed {args.seed}; {reps} datasets per scenario and n; bootstrap "
          f"intervals with {N_BOOT} resamples; generator per row: "
          f"default_rng([{args.seed}, crc32(scenario), n])", flush=True)
    warnings.simplefilter("ignore")  # caveats (few clusters, short series) are expected
    rows: list[dict[str, Any]] = []
    notes = []
    start = time.perf_counter()
    for sc in scenarios():
        if args.only and args.only not in sc.name:
            continue
        notes.append(f"  {sc.name}: {sc.note}")
        for n in sc.ns:
            t = time.perf_counter()
            new = run(sc, n, reps, args.seed)
            rows.extend(new)
            err = next((r["error"] for r in new if r["error"]), "")
            print(f"  done {sc.name:<32} n={n:<5} {time.perf_counter() - t:6.1f} s"
                  + (f"  first error: {err[:90]}" if err else ""), file=sys.stderr,
                  flush=True)
    print(f"\nTotal {time.perf_counter() - start:.0f} s\n")
    print("Scenarios:\n" + "\n".join(notes) + "\n")
    print(table(rows))
    print("\ncoverage and mc_se in %; width in the estimate's unit; flag: LOW/HIGH outside "
          "nominal +- 1 point at n >= 200, (low)/(high) the same at smaller n, ~ within "
          "2 MC se of nominal")
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=[*COLUMNS, "error"])
            writer.writeheader()
            writer.writerows(rows)
        print(f"CSV written to {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
