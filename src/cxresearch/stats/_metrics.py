"""Metrics with honest intervals: top-box (CSAT), mean score, CES.

Every metric takes raw answers (a list, array or column; missing answers are dropped)
or a table of category counts (``{score: count}`` or ``value_counts()``; see
:func:`cxresearch.stats._check.is_count_table`) and gives the same result either way,
so a million rows and a database's group-by feed the same function. Survey weights
(one per answer, e.g. from :func:`cxresearch.stats.rake`) give weighted estimates whose
intervals use the Kish effective sample size, reported as ``extra["effective_n"]``.

Proportions use :func:`statsmodels.stats.proportion.proportion_confint`, means
:mod:`scipy.stats` and :class:`statsmodels.stats.weightstats.DescrStatsW`. NPS and eNPS
are in :mod:`cxresearch.stats._nps`; the answers are read by
:mod:`cxresearch.stats._scores`.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ._bootstrap import chunked_bootstrap, count_bootstrap
from ._check import StatsInputError, check_choice, check_level, is_count_table, shown
from ._result import Result
from ._scores import checked_count_table, raw_scores, tally_scores, whole_scale

__all__ = ["ces", "mean_score", "top_box", "PROPORTION_METHODS"]

PROPORTION_METHODS = ("wilson", "wald", "agresti-coull", "clopper-pearson", "jeffreys",
                      "bootstrap")
"""Interval methods of :func:`top_box`."""

_STATSMODELS = {"wilson": "wilson", "wald": "normal", "agresti-coull": "agresti_coull",
                "clopper-pearson": "beta", "jeffreys": "jeffreys"}
_FEW_VALUES = 64
"""Raw answers with at most this many distinct values bootstrap through their counts."""


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
    low, high = whole_scale(scale)
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) \
            or not 1 <= top <= high - low:
        raise StatsInputError(f"top must be a whole number from 1 to {high - low} (the "
                              f"points of the {low}-{high} scale that count, fewer than "
                              f"all of them); got {top!r}")
    tally = tally_scores(scores, "scores", (low, high), weights)
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
                                  f"{shown(scale)}") from None
        if not lo < hi:
            raise StatsInputError(f"scale must be two numbers, lowest first; got "
                                  f"{shown(scale)}")
        bounds: tuple[float, float] | None = (lo, hi)
    else:
        bounds = None
    if is_count_table(scores):
        if weights is not None:
            raise StatsInputError("weights apply to raw answers (one weight per answer), "
                                  "not to a count table; pass the answers instead")
        table = checked_count_table(scores, "scores", bounds)
        values, freq, w = table.index.to_numpy(dtype="float64"), table.to_numpy(), None
        n = int(freq.sum())
    else:
        values, w = raw_scores(scores, "scores", weights, bounds, whole=False)
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
    tally = tally_scores(scores, "scores", scale, weights)
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
