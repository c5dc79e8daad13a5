"""Net Promoter Score with honest intervals: NPS, eNPS, and the difference of two NPS.

Every function takes raw answers (a list, array or column; missing answers are dropped)
or a table of category counts (``{score: count}`` or ``value_counts()``; see
:func:`cxresearch.stats._check.is_count_table`) and gives the same result either way,
so a million rows and a database's group-by feed the same function. Survey weights
(one per answer, e.g. from :func:`cxresearch.stats.rake`) give weighted estimates whose
intervals use the Kish effective sample size, reported as ``extra["effective_n"]``.

NPS inference is our own code (no well-kept Python library has it). Top-box, mean
score and CES are in :mod:`cxresearch.stats._metrics`.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ._bootstrap import count_bootstrap
from ._check import (StatsInputError, as_scores, check_choice, check_level, is_count_table,
                     shown, to_array)
from ._result import Result
from ._scores import Tally, tally_scores, whole_scale

__all__ = ["compare_nps", "enps", "nps", "NPS_METHODS"]

NPS_METHODS = ("adjusted-wald", "wald", "bootstrap", "bootstrap-bca")
"""Interval methods of :func:`nps` and :func:`enps`."""

_PSEUDO = np.array([0.75, 1.5, 0.75])
"""Rocks (2016) pseudo-answers added to detractors, passives and promoters (sum 3)."""


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf((1 + level) / 2))


# -- NPS -------------------------------------------------------------------------------
def _nps_groups(tally: Tally) -> np.ndarray:
    """(detractors, passives, promoters) from an 11-point tally."""
    c = tally.counts
    return np.array([c[:7].sum(), c[7:9].sum(), c[9:].sum()])


def _nps_scale(scale: Any) -> tuple[int, int]:
    low, high = whole_scale(scale)
    if high - low != 10:
        raise StatsInputError(f"scale of an NPS question must have 11 points (0 to 10, "
                              f"or e.g. 1 to 11); got {shown(scale)}")
    return low, high


def _wald_parts(groups: np.ndarray, n: float, pseudo: np.ndarray | None
                ) -> tuple[float, float]:
    """Centre and standard error of the NPS (as -1..1) from group sizes.

    ``groups`` are weighted or plain counts (det, pas, pro); ``n`` the (effective) n."""
    shares = groups / groups.sum()
    counts = shares * n
    if pseudo is not None:
        counts = counts + pseudo
        n = n + float(pseudo.sum())
    p_det, p_pro = counts[0] / n, counts[2] / n
    centre = p_pro - p_det
    variance = max(p_pro + p_det - centre ** 2, 0.0)
    return float(centre), math.sqrt(variance / n)


def _nps_score(counts: np.ndarray) -> np.ndarray:
    """NPS in points of each row of (det, pas, pro) counts."""
    return 100.0 * (counts[:, 2] - counts[:, 0]) / counts.sum(axis=1)


def _nps(scores: Any, method: str, level: float, weights: Any, scale: Any, seed: Any,
         n_boot: int, *, name: str, who: str) -> Result:
    level = check_level(level)
    check_choice("method", method, NPS_METHODS)
    low, high = _nps_scale(scale)
    tally = tally_scores(scores, "scores", (low, high), weights)
    groups = _nps_groups(tally)
    shares = groups / groups.sum()
    estimate = 100.0 * (shares[2] - shares[0])
    extra: dict[str, Any] = {
        "promoters": float(groups[2]) if tally.weighted else int(groups[2]),
        "passives": float(groups[1]) if tally.weighted else int(groups[1]),
        "detractors": float(groups[0]) if tally.weighted else int(groups[0]),
        "promoters_share": float(shares[2]), "passives_share": float(shares[1]),
        "detractors_share": float(shares[0])}
    weighted = "; weighted, variance from the Kish effective n" if tally.weighted else ""
    if tally.weighted:
        extra["effective_n"] = tally.n_eff
    if method in ("wald", "adjusted-wald"):
        pseudo = _PSEUDO if method == "adjusted-wald" else None
        centre, se = _wald_parts(groups, tally.n_eff, pseudo)
        z = _z(level)
        low_ci, high_ci = 100 * (centre - z * se), 100 * (centre + z * se)
        se *= 100
        label = ("adjusted Wald (Rocks 2016: 3/4 promoter, 3/2 passive and 3/4 detractor "
                 "pseudo-answers added)" if pseudo is not None else "Wald")
    else:
        n_resample = max(1, round(tally.n_eff)) if tally.weighted else None
        boot = count_bootstrap(groups, _nps_score, n=n_resample, n_boot=n_boot,
                               level=level, seed=seed,
                               method="bca" if method == "bootstrap-bca" else "percentile")
        low_ci, high_ci, se = boot.low, boot.high, boot.se
        label = (f"bootstrap ({'BCa' if boot.method == 'bca' else 'percentile'}, "
                 f"{n_boot:,} resamples of the category counts)")
        extra.update({"n_boot": n_boot, "seed": seed})
    top = f"{high - 1}-{high}"
    bottom = f"{low}-{low + 6}"
    definition = (f"{name}: share of {who}promoters ({top}) minus share of detractors "
                  f"({bottom}), in points (-100 to 100)")
    return Result(name=name, estimate=estimate, ci_low=max(low_ci, -100.0),
                  ci_high=min(high_ci, 100.0), n=tally.n, method=label + weighted,
                  definition=definition, level=level, se=se, extra=extra)


def nps(scores: Any, method: str = "adjusted-wald", level: float = 0.95,
        weights: Any = None, *, scale: Sequence[int] = (0, 10), seed: Any = None,
        n_boot: int = 10_000) -> Result:
    """Net Promoter Score with a confidence interval, in points (-100 to 100).

    Parameters
    ----------
    scores : sequence or count table
        Answers to "How likely are you to recommend ...?" on 0-10 (missing answers are
        dropped), or a count table ``{score: count}`` / ``value_counts()``.
    method : {"adjusted-wald", "wald", "bootstrap", "bootstrap-bca"}
        Interval method; adjusted Wald performed best in Rocks (2016).
    level : float
        Confidence level.
    weights : sequence of float, optional
        One survey weight per answer (raw answers only).
    scale : (int, int)
        Lowest and highest point; must span 11 points. The top two are promoters, the
        next two passives, the lowest seven detractors.
    seed, n_boot
        Seed and number of resamples for the bootstrap methods.

    Returns
    -------
    Result
        ``estimate`` in points; ``extra`` holds ``promoters``, ``passives``,
        ``detractors`` (counts; weighted sums with weights) and their ``*_share``
        (0 to 1), plus ``effective_n`` with weights.

    Notes
    -----
    With ``n`` answers, ``x+`` promoters and ``x-`` detractors, ``p = x / n``:

    * **Wald**: ``NPS = p+ - p-``, ``Var = (p+ + p- - (p+ - p-)^2) / n``, interval
      ``NPS ± z sqrt(Var)`` (the trinomial variance; Rocks's R package ``NPS``,
      ``npvar``).
    * **Adjusted Wald** (default): add pseudo-answers 3/4 detractor, 3/2 passive, 3/4
      promoter (``n* = n + 3``, ``p*+ = (x+ + 3/4) / n*``, ``p*- = (x- + 3/4) / n*``),
      then the Wald interval around ``p*+ - p*-`` with ``Var* = (p*+ + p*- - (p*+ -
      p*-)^2) / n*``. Rocks, B. (2016). Interval estimation for the 'Net Promoter
      Score'. *The American Statistician* 70(4) (arXiv:1601.07235); the pseudo-answers
      are the default ``pseudo_observations = c(0.75, 1.5, 0.75)`` of ``nps_test`` in
      his R package ``NPS`` (github.com/brendan-r/nps), and the recipe of Lewis &
      Sauro, "Confidence intervals for Net Promoter Scores" (MeasuringU,
      measuringu.com/nps-confidence-intervals): add 3 to n, 3/4 to the detractors
      and 3/4 to the promoters. The estimate itself stays the plain NPS.
    * **Bootstrap**: resample the three category counts (Multinomial), see
      :func:`cxresearch.stats._bootstrap.count_bootstrap`; percentile or BCa.

    Interval ends are clipped to -100..100. With weights, shares are weighted and
    ``n`` above is the Kish effective ``n = (sum w)^2 / sum w^2`` (the bootstrap draws
    that many answers from the weighted shares). When all answers fall in one group
    the Wald interval has width 0; the adjusted Wald interval does not.
    Checked against R (``tests/r/metrics.R``) and the worked variance on Cross
    Validated ("How can I calculate margin of error in a NPS result?": shares 1/2,
    1/3, 1/6 give NPS 1/3 and variance 5/9 per answer).

    Examples
    --------
    >>> r = nps({10: 40, 9: 10, 8: 20, 7: 10, 5: 15, 2: 5})
    >>> round(r.estimate, 1), round(r.ci_low, 1), round(r.ci_high, 1)
    (30.0, 14.1, 44.2)
    >>> r.extra["promoters"], r.extra["detractors"]
    (50, 20)
    """
    return _nps(scores, method, level, weights, scale, seed, n_boot, name="NPS", who="")


def enps(scores: Any, method: str = "adjusted-wald", level: float = 0.95,
         weights: Any = None, *, scale: Sequence[int] = (0, 10), seed: Any = None,
         n_boot: int = 10_000) -> Result:
    """Employee Net Promoter Score: :func:`nps` for "How likely are you to recommend
    this organisation as a place to work?".

    Same arguments, formulas and sources as :func:`nps`; the result is named
    ``"eNPS"``.

    Examples
    --------
    >>> r = enps([10, 9, 9, 8, 7, 6, 3, 10, 9, 5])
    >>> r.name, round(r.estimate, 1)
    ('eNPS', 20.0)
    """
    return _nps(scores, method, level, weights, scale, seed, n_boot, name="eNPS",
                who="employees who are ")


# -- comparing two NPS -----------------------------------------------------------------
def _nps_codes(values: np.ndarray, low: int) -> np.ndarray:
    """0 detractor, 1 passive, 2 promoter."""
    points = values - low
    return np.where(points >= 9, 2, np.where(points >= 7, 1, 0)).astype(np.int64)


def _paired_parts(table: np.ndarray, pseudo: bool) -> tuple[float, float]:
    """Centre and se (as -1..1) of NPS(b) - NPS(a) from the 3x3 table a x b."""
    t = table.astype("float64")
    if pseudo:
        share = _PSEUDO / _PSEUDO.sum()
        t = t + _PSEUDO.sum() * np.outer(share, share)
    n = t.sum()
    s = np.array([-1.0, 0.0, 1.0])
    d = s[None, :] - s[:, None]  # b's score minus a's score
    p = t / n
    mean = float((p * d).sum())
    variance = max(float((p * d ** 2).sum()) - mean ** 2, 0.0)
    return mean, math.sqrt(variance / n)


def compare_nps(a: Any, b: Any, paired: bool = False, level: float = 0.95,
                method: str = "adjusted-wald", *, scale: Sequence[int] = (0, 10)
                ) -> Result:
    """Difference between two Net Promoter Scores (b minus a), in points.

    Parameters
    ----------
    a, b : sequence or count table
        Answers (0-10) of the two groups or waves; count tables for independent groups.
    paired : bool
        True when the same respondents answered both (``a[i]`` and ``b[i]`` are one
        person, by position; pairs with a missing answer are dropped).
    level : float
        Confidence level.
    method : {"adjusted-wald", "wald"}
        Interval and test; see Notes.
    scale : (int, int)
        As in :func:`nps`.

    Returns
    -------
    Result
        ``estimate = NPS(b) - NPS(a)`` in points (-200 to 200), interval, two-sided
        z-test ``p_value`` and ``statistic``; ``extra``: ``nps_a``, ``nps_b``, ``n_a``,
        ``n_b``, ``paired``. The difference in points is the effect size itself, so
        ``effect`` is None.

    Notes
    -----
    **Independent groups**: ``Var = Var_a / n_a + Var_b / n_b`` with the per-answer
    variances of :func:`nps` (Rocks's R ``nps_test`` two-sample Wald); the adjusted
    version first adds the 3/4, 3/2, 3/4 pseudo-answers to each group, as for one
    group (``nps_test`` adds its pseudo-observations to the data before building the
    Wald interval).

    **Paired** (our own derivation): give each answer its NPS value ``s`` = +1
    (promoter), 0 (passive), -1 (detractor), and each respondent ``d_i = s(b_i) -
    s(a_i)`` in {-2, ..., 2}. Then ``NPS_b - NPS_a = mean(d)`` and, from the 3x3 table
    of proportions ``pi_jk`` (category j in a, k in b), ``Var(mean d) = (sum pi_jk
    (s_k - s_j)^2 - mean(d)^2) / n``: the variance of a mean, which accounts for the
    correlation between the two answers of one person. The adjusted version adds
    ``3 w_j w_k`` pseudo-respondents to cell (j, k), ``w = (1/4, 1/2, 1/4)``, so each
    margin gets exactly the 3/4, 3/2, 3/4 pseudo-answers of :func:`nps` (the 3x3 analogue
    of Agresti & Min's 2005 half an observation per cell of a paired 2x2 table).
    Without passives this Wald interval is exactly twice Agresti's (2013, section 11.1)
    interval for the difference of two dependent proportions, and is checked against
    his Table 11.1 example.

    The z-test uses the same centre and standard error as the interval, so
    ``p < 1 - level`` exactly when the interval excludes 0. Checked against R
    (``tests/r/metrics.R``).

    Examples
    --------
    >>> before = {10: 30, 9: 10, 8: 20, 7: 10, 5: 20, 2: 10}
    >>> after = {10: 45, 9: 10, 8: 20, 7: 10, 5: 10, 2: 5}
    >>> r = compare_nps(before, after)
    >>> round(r.estimate, 1), round(r.ci_low, 1), round(r.ci_high, 1), round(r.p_value, 3)
    (30.0, 7.7, 50.5, 0.008)
    """
    from scipy.stats import norm

    level = check_level(level)
    check_choice("method", method, ("adjusted-wald", "wald"))
    if not isinstance(paired, (bool, np.bool_)):
        raise StatsInputError(f"paired must be True or False, not {paired!r}")
    low, high = _nps_scale(scale)
    pseudo = method == "adjusted-wald"
    if paired:
        for arg, value in (("a", a), ("b", b)):
            if is_count_table(value):
                raise StatsInputError(f"{arg}: paired answers need one answer per "
                                      f"respondent, not a count table")
        xa, xb = to_array(a, "a"), to_array(b, "b")
        if xa.size != xb.size:
            raise StatsInputError(f"paired answers must have the same length (one pair per "
                                  f"respondent); a has {xa.size:,}, b has {xb.size:,}")
        both = ~np.isnan(xa) & ~np.isnan(xb)
        if not both.any():
            raise StatsInputError("a and b have no respondent who answered both")
        xa = as_scores(xa[both], "a", (low, high))
        xb = as_scores(xb[both], "b", (low, high))
        table = np.bincount(3 * _nps_codes(xa, low) + _nps_codes(xb, low),
                            minlength=9).reshape(3, 3)
        centre, se = _paired_parts(table, pseudo)
        n_a = n_b = n = int(both.sum())
        nps_a = 100 * float((table.sum(axis=1)[2] - table.sum(axis=1)[0]) / n)
        nps_b = 100 * float((table.sum(axis=0)[2] - table.sum(axis=0)[0]) / n)
    else:
        parts = []
        for arg, value in (("a", a), ("b", b)):
            tally = tally_scores(value, arg, (low, high), None)
            groups = _nps_groups(tally)
            shares = groups / groups.sum()
            parts.append((100 * float(shares[2] - shares[0]), tally.n,
                          *_wald_parts(groups, tally.n_eff, _PSEUDO if pseudo else None)))
        (nps_a, n_a, c_a, se_a), (nps_b, n_b, c_b, se_b) = parts
        centre, se = c_b - c_a, math.sqrt(se_a ** 2 + se_b ** 2)
        n = n_a + n_b
    z = _z(level)
    if se > 0:
        statistic = centre / se
        p_value = float(2 * norm.sf(abs(statistic)))
    else:  # no variation anywhere (Wald): a difference is certain, no difference is 1
        statistic = 0.0 if centre == 0 else math.copysign(math.inf, centre)
        p_value = 1.0 if centre == 0 else 0.0
    label = ("adjusted Wald (Rocks 2016 pseudo-answers)" if pseudo else "Wald") + \
        (", paired (same respondents)" if paired else ", independent groups") + "; z-test"
    return Result(
        name="difference in NPS", estimate=nps_b - nps_a,
        ci_low=max(100 * (centre - z * se), -200.0),
        ci_high=min(100 * (centre + z * se), 200.0), n=n, method=label,
        definition=("NPS of b minus NPS of a, in points (-200 to 200); NPS = share of "
                    f"promoters ({high - 1}-{high}) minus share of detractors "
                    f"({low}-{low + 6})"),
        p_value=p_value, level=level, se=100 * se, statistic=statistic,
        extra={"nps_a": nps_a, "nps_b": nps_b, "n_a": n_a, "n_b": n_b,
               "paired": bool(paired)})
