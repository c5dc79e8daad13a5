"""Metrics with honest intervals: NPS, eNPS, top-box (CSAT), mean score, CES.

Every metric takes raw answers (a list, array or column; missing answers are dropped)
or a table of category counts (``{score: count}`` or ``value_counts()``; see
:func:`cxresearch.stats._check.is_count_table`) and gives the same result either way,
so a million rows and a database's group-by feed the same function. Survey weights
(one per answer, e.g. from :func:`cxresearch.stats.rake`) give weighted estimates whose
intervals use the Kish effective sample size, reported as ``extra["effective_n"]``.

NPS inference is our own code (no well-kept Python library has it); proportions use
:func:`statsmodels.stats.proportion.proportion_confint`, means :mod:`scipy.stats` and
:class:`statsmodels.stats.weightstats.DescrStatsW`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ._bootstrap import chunked_bootstrap, count_bootstrap
from ._check import (StatsInputError, _shown, _to_array, as_count_table, as_numbers,
                     as_scores, check_choice, check_level, is_count_table)
from ._result import Result
from ._weights import as_weights

__all__ = ["ces", "compare_nps", "enps", "mean_score", "nps", "top_box", "NPS_METHODS",
           "PROPORTION_METHODS"]

NPS_METHODS = ("adjusted-wald", "wald", "bootstrap", "bootstrap-bca")
"""Interval methods of :func:`nps` and :func:`enps`."""

PROPORTION_METHODS = ("wilson", "wald", "agresti-coull", "clopper-pearson", "jeffreys",
                      "bootstrap")
"""Interval methods of :func:`top_box`."""

_STATSMODELS = {"wilson": "wilson", "wald": "normal", "agresti-coull": "agresti_coull",
                "clopper-pearson": "beta", "jeffreys": "jeffreys"}
_PSEUDO = np.array([0.75, 1.5, 0.75])
"""Rocks (2016) pseudo-answers added to detractors, passives and promoters (sum 3)."""
_FEW_VALUES = 64
"""Raw answers with at most this many distinct values bootstrap through their counts."""


# -- reading answers -------------------------------------------------------------------
@dataclass(frozen=True)
class _Tally:
    """Answers per scale point: ``counts`` (weighted sums when weighted), respondents
    ``n``, Kish effective ``n_eff`` (``n`` unweighted)."""

    counts: np.ndarray
    n: int
    n_eff: float
    weighted: bool


def _whole_scale(scale: Any, name: str = "scale") -> tuple[int, int]:
    try:
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise StatsInputError(f"{name} must be two whole numbers (lowest, highest), e.g. "
                              f"(1, 5); got {_shown(scale)}") from None
    if not (low.is_integer() and high.is_integer() and low < high):
        raise StatsInputError(f"{name} must be two whole numbers, lowest first, e.g. "
                              f"(1, 5); got {_shown(scale)}")
    return int(low), int(high)


def _raw(scores: Any, name: str, weights: Any, scale: tuple[float, float] | None, *,
         whole: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Answers (missing ones dropped, checked against ``scale``) and their weights."""
    array = _to_array(scores, name)
    if weights is not None:
        if isinstance(weights, pd.Series) and isinstance(scores, pd.Series) \
                and not weights.index.equals(scores.index):
            if not scores.index.isin(weights.index).all():
                raise StatsInputError(f"weights (a Series) has no weight for some rows of "
                                      f"{name}; their indexes must match")
            weights = weights.reindex(scores.index)
        all_weights = _to_array(weights, "weights")
        if all_weights.size != array.size:
            raise StatsInputError(f"weights must have one weight per answer in {name} "
                                  f"({array.size:,}); got {all_weights.size:,}")
    keep = ~np.isnan(array)
    values = array[keep]
    if scale is None:
        values = as_numbers(values, name)
    else:
        values = as_scores(values, name, scale, whole=whole)
    # a weight may be missing where the answer is; elsewhere it must be usable
    w = None if weights is None else as_weights(all_weights[keep], "weights")
    return values, w


def _table(scores: Any, name: str, scale: tuple[float, float] | None) -> pd.Series:
    """A count table with whole counts, categories checked against ``scale``."""
    table = as_count_table(scores, name)
    counts = table.to_numpy()
    if (counts != np.round(counts)).any():
        raise StatsInputError(f"{name}: counts must be whole numbers; got "
                              f"{_shown(list(counts[:6]))}. For weighted data pass the "
                              f"raw answers with weights=")
    table = table[table > 0]
    if table.sum() < 1:
        raise StatsInputError(f"{name}: the count table holds no answers")
    if scale is not None:
        as_scores(table.index.to_numpy(), f"{name} (categories of the count table)", scale,
                  whole=False)
    return table


def _tally(scores: Any, name: str, scale: tuple[int, int], weights: Any) -> _Tally:
    """Answers per point of a whole-number scale, from raw answers or counts."""
    low, high = scale
    size = high - low + 1
    if is_count_table(scores):
        if weights is not None:
            raise StatsInputError("weights apply to raw answers (one weight per answer), "
                                  "not to a count table; pass the answers instead")
        table = _table(scores, name, scale)
        index = table.index.to_numpy()
        if (index != np.round(index)).any():
            raise StatsInputError(f"{name}: the categories of the count table must be "
                                  f"whole scale points; got {_shown(list(index[:6]))}")
        counts = np.zeros(size)
        np.add.at(counts, (index - low).astype(np.int64), table.to_numpy())
        n = int(counts.sum())
        return _Tally(counts, n, float(n), False)
    values, w = _raw(scores, name, weights, (low, high), whole=True)
    binned = np.bincount((values - low).astype(np.int64), weights=w, minlength=size)
    n_eff = float(values.size if w is None else w.sum() ** 2 / (w ** 2).sum())
    return _Tally(binned.astype("float64"), int(values.size), n_eff, w is not None)


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf((1 + level) / 2))


# -- NPS -------------------------------------------------------------------------------
def _nps_groups(tally: _Tally) -> np.ndarray:
    """(detractors, passives, promoters) from an 11-point tally."""
    c = tally.counts
    return np.array([c[:7].sum(), c[7:9].sum(), c[9:].sum()])


def _nps_scale(scale: Any) -> tuple[int, int]:
    low, high = _whole_scale(scale)
    if high - low != 10:
        raise StatsInputError(f"scale of an NPS question must have 11 points (0 to 10, "
                              f"or e.g. 1 to 11); got {_shown(scale)}")
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
    tally = _tally(scores, "scores", (low, high), weights)
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
        xa, xb = _to_array(a, "a"), _to_array(b, "b")
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
            tally = _tally(value, arg, (low, high), None)
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


# -- proportions and means -------------------------------------------------------------
def _share_interval(count: float, nobs: float, level: float, method: str
                    ) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(count, nobs, alpha=1 - level,
                                   method=_STATSMODELS[method])
    return max(float(low), 0.0), min(float(high), 1.0)


def top_box(scores: Any, top: int = 2, scale: Sequence[int] = (1, 5), level: float = 0.95,
            method: str = "wilson", weights: Any = None, *, seed: Any = None,
            n_boot: int = 10_000) -> Result:
    """Top-box share (CSAT as top-2-box): the share of answers in the top points.

    Parameters
    ----------
    scores : sequence or count table
        Answers on ``scale`` (missing answers dropped), or a count table.
    top : int
        How many of the highest points count (2: "satisfied" and "very satisfied" on
        1-5).
    scale : (int, int)
        Lowest and highest point.
    level : float
        Confidence level.
    method : {"wilson", "wald", "agresti-coull", "clopper-pearson", "jeffreys", "bootstrap"}
        Interval for a binomial proportion.
    weights : sequence of float, optional
        One survey weight per answer.
    seed, n_boot
        For ``method="bootstrap"`` (percentile, resampling the two counts).

    Returns
    -------
    Result
        ``estimate`` as a share from 0 to 1; ``extra``: ``top_count``, ``top_values``.

    Notes
    -----
    ``p = x / n``; the interval is :func:`statsmodels.stats.proportion.proportion_confint`
    (``wald`` = its ``normal``, ``clopper-pearson`` = its ``beta``). Wilson equals R's
    ``prop.test(x, n, correct = FALSE)$conf.int``, Clopper-Pearson R's
    ``binom.test(x, n)$conf.int`` (checked in ``tests/r/metrics.R``). With weights,
    ``p`` is the weighted share and ``x = p n_eff`` of ``n_eff`` (Kish) answers enter the
    interval. ``se = sqrt(p (1 - p) / n)``.

    Examples
    --------
    >>> r = top_box([5, 4, 4, 3, 2, 5, 4, 1, 5, 4])
    >>> round(r.estimate, 2), round(r.ci_low, 3), round(r.ci_high, 3)
    (0.7, 0.397, 0.892)
    """
    level = check_level(level)
    check_choice("method", method, PROPORTION_METHODS)
    low, high = _whole_scale(scale)
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) \
            or not 1 <= top <= high - low:
        raise StatsInputError(f"top must be a whole number from 1 to {high - low} (the "
                              f"points of the {low}-{high} scale that count, fewer than "
                              f"all of them); got {top!r}")
    tally = _tally(scores, "scores", (low, high), weights)
    total = float(tally.counts.sum())
    hits = float(tally.counts[-int(top):].sum())
    share = hits / total
    values = f"{high - top + 1}-{high}" if top > 1 else f"{high}"
    extra: dict[str, Any] = {"top_count": hits if tally.weighted else int(hits),
                             "top_values": values}
    if tally.weighted:
        extra["effective_n"] = tally.n_eff
    se = math.sqrt(share * (1 - share) / tally.n_eff)
    if method == "bootstrap":
        n_resample = max(1, round(tally.n_eff)) if tally.weighted else None
        pair = np.array([total - hits, hits])
        boot = count_bootstrap(pair, lambda c: c[:, 1] / c.sum(axis=1), n=n_resample,
                               n_boot=n_boot, level=level, seed=seed)
        ci, se = (boot.low, boot.high), boot.se
        label = f"bootstrap (percentile, {n_boot:,} resamples of the counts)"
        extra.update({"n_boot": n_boot, "seed": seed})
    else:
        ci = _share_interval(share * tally.n_eff, tally.n_eff, level, method)
        label = {"wilson": "Wilson score", "wald": "Wald", "agresti-coull": "Agresti-Coull",
                 "clopper-pearson": "Clopper-Pearson (exact)",
                 "jeffreys": "Jeffreys"}[method] + " interval"
    if tally.weighted:
        label += "; weighted, effective n (Kish)"
    return Result(name=f"top-{top}-box", estimate=share, ci_low=ci[0], ci_high=ci[1],
                  n=tally.n, method=label,
                  definition=(f"share of answers in the top {top} point(s) ({values}) of "
                              f"the {low}-{high} scale, from 0 to 1"),
                  level=level, se=se, extra=extra)


def _mean_parts(values: np.ndarray, freq: np.ndarray | None, level: float
                ) -> tuple[float, float, float, float, float, float]:
    """mean, se, df, ci_low, ci_high, sd from values with frequency weights summing to
    the (effective) n (statsmodels DescrStatsW, t interval)."""
    from statsmodels.stats.weightstats import DescrStatsW

    stats = DescrStatsW(values, weights=freq)
    nobs = float(stats.sum_weights)
    if nobs <= 1:
        raise StatsInputError(f"a mean with an interval needs more than 1 answer "
                              f"(effective n {nobs:.3g})")
    se = float(stats.std_mean)
    low, high = stats.tconfint_mean(alpha=1 - level)
    sd = float(stats.std) * math.sqrt(nobs / (nobs - 1))
    return float(stats.mean), se, nobs - 1, float(low), float(high), sd


def mean_score(scores: Any, level: float = 0.95, weights: Any = None,
               scale: Sequence[float] | None = None, *, method: str = "t", seed: Any = None,
               n_boot: int = 10_000) -> Result:
    """Mean score with a t interval (or a bootstrap interval).

    Parameters
    ----------
    scores : sequence or count table
        Answers (missing dropped) or a count table ``{value: count}``.
    level : float
        Confidence level.
    weights : sequence of float, optional
        One survey weight per answer (raw answers only).
    scale : (float, float), optional
        Lowest and highest possible answer; answers outside are an error.
    method : {"t", "bootstrap"}
        Student t interval, or a percentile bootstrap (category counts when there are
        at most 64 distinct values, else rows in chunks; see
        :mod:`cxresearch.stats._bootstrap`).
    seed, n_boot
        For the bootstrap.

    Returns
    -------
    Result
        ``estimate`` the mean; ``df``; ``extra``: ``sd`` (and ``effective_n`` with
        weights).

    Notes
    -----
    ``mean ± t_{n-1} s / sqrt(n)``, equal to R's ``t.test(x)$conf.int`` (checked in
    ``tests/r/metrics.R``); the t quantile is scipy's. With weights: weighted mean
    ``m = sum w x / sum w`` and ``se = sqrt(sum w (x - m)^2 / sum w / (n_eff - 1))``
    with ``n_eff`` Kish's effective n, ``df = n_eff - 1``: statsmodels'
    ``DescrStatsW`` with the weights rescaled to sum to ``n_eff`` (an approximation
    that ignores the design's strata and clusters). All answers equal: an interval of
    width 0.

    Examples
    --------
    >>> r = mean_score([4, 5, 3, 4, 2, 5, 4])
    >>> round(r.estimate, 3), round(r.ci_low, 3), round(r.ci_high, 3)
    (3.857, 2.868, 4.846)
    """
    level = check_level(level)
    check_choice("method", method, ("t", "bootstrap"))
    if scale is not None:
        try:
            lo, hi = (float(v) for v in scale)
        except (TypeError, ValueError):
            raise StatsInputError(f"scale must be two numbers (lowest, highest); got "
                                  f"{_shown(scale)}") from None
        if not lo < hi:
            raise StatsInputError(f"scale must be two numbers, lowest first; got "
                                  f"{_shown(scale)}")
        bounds: tuple[float, float] | None = (lo, hi)
    else:
        bounds = None
    if is_count_table(scores):
        if weights is not None:
            raise StatsInputError("weights apply to raw answers (one weight per answer), "
                                  "not to a count table; pass the answers instead")
        table = _table(scores, "scores", bounds)
        values, freq, w = table.index.to_numpy(dtype="float64"), table.to_numpy(), None
        n = int(freq.sum())
    else:
        values, w = _raw(scores, "scores", weights, bounds, whole=False)
        n = values.size
        freq = None if w is None else w * (w.sum() / (w ** 2).sum())
        if w is None and method == "bootstrap":
            distinct, counts = np.unique(values, return_counts=True)
            if distinct.size <= _FEW_VALUES:
                values, freq = distinct, counts.astype("float64")
    mean, se, df, low, high, sd = _mean_parts(values, freq, level)
    extra: dict[str, Any] = {"sd": sd}
    label = "t interval"
    if w is not None:
        extra["effective_n"] = df + 1
        label += "; weighted, effective n (Kish)"
    if method == "bootstrap":
        if w is None and freq is not None:  # few distinct values: resample the counts
            boot = count_bootstrap(freq, lambda c: c @ values / c.sum(axis=1),
                                   n_boot=n_boot, level=level, seed=seed)
            how = "category counts"
        elif w is None:
            boot = chunked_bootstrap(values, np.mean, n_boot=n_boot, level=level,
                                     seed=seed)
            how = "rows, in chunks"
        else:
            boot = chunked_bootstrap(
                (values, w), lambda x, v, axis=-1: (x * v).sum(axis) / v.sum(axis),
                n_boot=n_boot, level=level, seed=seed)
            how = "rows with their weights, in chunks"
        low, high, se = boot.low, boot.high, boot.se
        label = f"bootstrap (percentile, {n_boot:,} resamples of the {how})"
        extra.update({"n_boot": n_boot, "seed": seed})
        df_out: float | None = None
    else:
        df_out = df
    where = f" on the {bounds[0]:g}-{bounds[1]:g} scale" if bounds else ""
    return Result(name="mean", estimate=mean, ci_low=low, ci_high=high, n=n, method=label,
                  definition=f"mean of the answers{where}", level=level, se=se, df=df_out,
                  extra=extra)


_CES = {
    2: ((1, 7), "CES 2.0", "mean agreement, from 1 (strongly disagree) to 7 (strongly "
        "agree), with 'The company made it easy for me to handle my issue'; higher is "
        "better", "agree", (5, 7)),
    1: ((1, 5), "CES 1.0", "mean answer, from 1 (very low effort) to 5 (very high "
        "effort), to 'How much effort did you personally have to put forth to handle "
        "your request?'; lower is better", "low_effort", (1, 2)),
}


def ces(scores: Any, version: int = 2, level: float = 0.95, *, weights: Any = None
        ) -> Result:
    """Customer Effort Score: the mean answer with a t interval, and the share agreeing.

    Parameters
    ----------
    scores : sequence or count table
        Answers (missing dropped) or a count table.
    version : {2, 1}
        2 (default): CES 2.0, agreement 1-7 with "The company made it easy for me to
        handle my issue" (higher is better). 1: CES 1.0, effort 1-5 "How much effort did
        you personally have to put forth to handle your request?" (lower is better).
    level : float
        Confidence level.
    weights : sequence of float, optional
        One survey weight per answer.

    Returns
    -------
    Result
        ``estimate`` the mean on the version's scale (t interval as in
        :func:`mean_score`); ``extra``: ``agree_share`` (5-7, version 2) or
        ``low_effort_share`` (1-2, version 1) with its Wilson interval
        (``*_ci_low``, ``*_ci_high``) and count.

    Notes
    -----
    CES 1.0: Dixon, Freeman & Toman (2010), "Stop trying to delight your customers",
    *Harvard Business Review* 88(7/8). CES 2.0: Dixon, Toman & DeLisi (2013), *The
    Effortless Experience*, Portfolio/Penguin. Interval formulas as in
    :func:`mean_score` and :func:`top_box` (checked against R ``t.test`` and
    ``prop.test``).

    Examples
    --------
    >>> r = ces([7, 6, 5, 6, 3, 7, 2, 6])
    >>> round(r.estimate, 2), round(r.extra["agree_share"], 3)
    (5.25, 0.75)
    """
    if isinstance(version, bool) or version not in _CES:
        raise StatsInputError(f"version must be 2 (CES 2.0, 1-7 agreement) or 1 (CES "
                              f"1.0, 1-5 effort); got {version!r}")
    level = check_level(level)
    scale, name, definition, key, (lo, hi) = _CES[int(version)]
    tally = _tally(scores, "scores", scale, weights)
    points = np.arange(scale[0], scale[1] + 1, dtype="float64")
    freq = tally.counts * (tally.n_eff / tally.counts.sum())
    mean, se, df, low, high, sd = _mean_parts(points, freq, level)
    share = float(tally.counts[lo - scale[0]:hi - scale[0] + 1].sum() / tally.counts.sum())
    share_low, share_high = _share_interval(share * tally.n_eff, tally.n_eff, level,
                                            "wilson")
    count = float(tally.counts[lo - scale[0]:hi - scale[0] + 1].sum())
    extra: dict[str, Any] = {
        "sd": sd, f"{key}_count": count if tally.weighted else int(count),
        f"{key}_share": share, f"{key}_ci_low": share_low, f"{key}_ci_high": share_high,
        f"{key}_values": f"{lo}-{hi}"}
    label = "t interval (share: Wilson)"
    if tally.weighted:
        extra["effective_n"] = tally.n_eff
        label += "; weighted, effective n (Kish)"
    return Result(name=name, estimate=mean, ci_low=low, ci_high=high, n=tally.n,
                  method=label, definition=f"Customer Effort Score ({name}): {definition}",
                  level=level, se=se, df=df, extra=extra)
