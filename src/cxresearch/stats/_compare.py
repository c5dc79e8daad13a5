"""Comparisons of two groups: proportions, means, ordinal answers and equivalence
(adjusting p-values for a family of tests is :mod:`cxresearch.stats._adjust`).

Every comparison estimates ``b - a`` ("after minus before", "new minus old"): a positive
estimate means ``b`` is higher. Each returns a :class:`~cxresearch.stats.Result` with the
difference, its interval and test, a standardised effect size with its own interval in
``effect`` (see :mod:`cxresearch.stats._effects`), and group sizes and missing answers
in ``extra``. Tests come from scipy and statsmodels; our own code is limited to what
they lack (named in each docstring).

Input: answers as a list, array or column (missing values are dropped and counted in
``extra["missing_a"]``/``["missing_b"]``), or, for unpaired comparisons, a table of
category counts (``value_counts()``, a ``{value: count}`` dict), which gives the same
result as the answers it counts. Paired comparisons take the two answers of the same
respondents in the same order; a pair with a missing side is dropped and counted in
``extra["dropped_pairs"]``. The readers are :func:`cxresearch.stats._check.as_answers`,
:func:`~cxresearch.stats._check.as_pairs` and
:func:`~cxresearch.stats._check.as_successes`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np
import pandas as pd

from . import _effects
from ._check import (StatsInputError, as_answers, as_pairs, as_successes, check_binary,
                     check_choice, check_level, shown)
from ._result import Result

__all__ = ["compare_means", "compare_ordinal", "compare_proportions", "equivalence"]


# -- proportions --------------------------------------------------------------------------
PROPORTION_METHODS = ("auto", "asymptotic", "exact")


def compare_proportions(a: Any, b: Any = None, *, paired: bool = False,
                        level: float = 0.95, method: str = "auto") -> Result:
    r"""Difference of two proportions, ``p_b - p_a``, with its interval and test.

    Parameters
    ----------
    a, b : array-like of 0/1 or bool, count table, or tuple ``(successes, n)``
        The two groups. A ``tuple`` of two whole numbers is read as ``(successes, n)``;
        a list or array is read as answers. For ``paired=True``: the two answers of the
        same respondents in the same order, or ``a`` alone as the 2x2 table
        ``pd.crosstab(a, b)`` (rows ``a`` = 0, 1; columns ``b`` = 0, 1) and ``b=None``.
    paired : bool
        Whether the same respondents answered twice.
    level : float
        Confidence level of the interval.
    method : {"auto", "asymptotic", "exact"}
        The test. Independent groups: ``"asymptotic"`` (and ``"auto"``) the pooled
        z-test, whose square is Pearson's chi-square (``prop.test(correct=FALSE)``);
        ``"exact"`` Fisher's exact test. Paired: ``"asymptotic"`` McNemar's chi-square
        without continuity correction, ``"exact"`` the binomial test on the discordant
        pairs, ``"auto"`` exact when there are fewer than 25 discordant pairs.

    Returns
    -------
    Result
        ``estimate`` :math:`p_b - p_a`; interval by Newcombe's method 10 (independent:
        hybrid Wilson score, via statsmodels; paired: Newcombe 1998b with the phi
        correction, our own code); ``statistic`` z (independent), chi-square (McNemar)
        or the smaller discordant count (exact McNemar); ``effect`` the risk difference
        as a Result; ``extra`` ``p_a``, ``p_b``, counts, ``cohen_h`` (with its interval
        for independent groups) and ``test``.

    Notes
    -----
    z-test: :math:`z = (p_b - p_a)/\sqrt{\bar p(1-\bar p)(1/n_a + 1/n_b)}` with the
    pooled :math:`\bar p` (``statsmodels.stats.proportion.proportions_ztest``). When
    every answer in both groups is the same (:math:`\bar p` 0 or 1) z is 0/0; we report
    ``statistic`` 0 and ``p_value`` 1, since the data show no difference. McNemar:
    :math:`\chi^2 = (n_{01} - n_{10})^2/(n_{01} + n_{10})`
    (``statsmodels.stats.contingency_tables.mcnemar``). Checked against R's
    ``prop.test``, ``mcnemar.test``, Newcombe (1998a) Table II and Agresti (2007, p.
    245): see ``tests/r/compare.R``.

    Examples
    --------
    >>> r = compare_proportions((48, 80), (56, 70))
    >>> round(r.estimate, 3), round(r.ci_low, 4), round(r.ci_high, 4), round(r.p_value, 4)
    (0.2, 0.0524, 0.3339, 0.008)
    >>> r = compare_proportions([[570, 86], [150, 794]], paired=True)
    >>> round(r.estimate, 3), round(r.statistic, 2)
    (-0.04, 17.36)
    """
    level = check_level(level)
    check_choice("method", method, PROPORTION_METHODS)
    if paired:
        return _paired_proportions(a, b, level, method)
    if b is None:
        raise StatsInputError("compare_proportions needs two groups, a and b; b is None")
    x_a, n_a, miss_a = as_successes(a, "a")
    x_b, n_b, miss_b = as_successes(b, "b")
    p_a, p_b = x_a / n_a, x_b / n_b
    rd = _effects.risk_difference(x_a, n_a, x_b, n_b, level=level)
    pooled = (x_a + x_b) / (n_a + n_b)
    df: float | None = None
    if method == "exact":
        from scipy import stats
        p_value = float(stats.fisher_exact([[x_b, n_b - x_b], [x_a, n_a - x_a]]).pvalue)
        statistic, test = math.nan, "Fisher's exact test"
    elif pooled in (0.0, 1.0):
        statistic, p_value, test = 0.0, 1.0, "z-test (no variation: every answer alike)"
    else:
        from statsmodels.stats.proportion import proportions_ztest
        z, p = proportions_ztest([x_b, x_a], [n_b, n_a])
        statistic, p_value, test = float(z), float(p), "z-test (pooled; = chi-square)"
    h = _effects.cohen_h(p_a, p_b, n_a, n_b, level=level)
    return Result(
        name="difference in proportions", estimate=rd.estimate, ci_low=rd.ci_low,
        ci_high=rd.ci_high, n=n_a + n_b, level=level, p_value=p_value,
        statistic=statistic, df=df, method=f"{rd.method}; {test}",
        definition="share of successes in b minus share in a (-1 to 1; 0.05 is 5 "
                   "percentage points), independent groups",
        effect=rd,
        extra={"p_a": p_a, "p_b": p_b, "successes_a": x_a, "n_a": n_a,
               "successes_b": x_b, "n_b": n_b, "missing_a": miss_a, "missing_b": miss_b,
               "cohen_h": h.estimate, "cohen_h_ci_low": h.ci_low,
               "cohen_h_ci_high": h.ci_high, "test": test})


def _paired_table(a: Any, b: Any) -> tuple[np.ndarray, int]:
    if b is None:
        table = np.asarray(a.to_numpy() if isinstance(a, pd.DataFrame) else a, dtype=float)
        if table.shape != (2, 2) or (table < 0).any() or (table != np.round(table)).any():
            raise StatsInputError(f"a paired comparison with b=None needs a as a 2x2 "
                                  f"table of counts (pd.crosstab(a, b)); got {shown(a)}")
        return table.astype(np.int64), 0
    x, y, dropped = as_pairs(a, b, min_n=1)
    check_binary(x, "a")
    check_binary(y, "b")
    table = np.array([[np.sum((x == i) & (y == j)) for j in (0, 1)] for i in (0, 1)])
    return table, dropped


def _paired_proportions(a: Any, b: Any, level: float, method: str) -> Result:
    from statsmodels.stats.contingency_tables import mcnemar

    table, dropped = _paired_table(a, b)
    n00, n01, n10, n11 = (int(v) for v in table.ravel())
    total = n00 + n01 + n10 + n11
    rd = _effects.risk_difference_paired(n11, n10, n01, n00, level=level)
    discordant = n01 + n10
    exact = method == "exact" or (method == "auto" and discordant < 25)
    df: float | None = None
    if discordant == 0:
        statistic, p_value = 0.0, 1.0
        test = "McNemar (no discordant pairs)"
    elif exact:
        res = mcnemar(table, exact=True)
        statistic, p_value = float(res.statistic), float(res.pvalue)
        test = "exact McNemar (binomial test on the discordant pairs)"
    else:
        res = mcnemar(table, exact=False, correction=False)
        statistic, p_value, df = float(res.statistic), float(res.pvalue), 1.0
        test = "McNemar chi-square (no continuity correction)"
    p_a, p_b = (n10 + n11) / total, (n01 + n11) / total
    return Result(
        name="difference in proportions", estimate=rd.estimate, ci_low=rd.ci_low,
        ci_high=rd.ci_high, n=total, level=level, p_value=p_value, statistic=statistic,
        df=df, method=f"{rd.method}; {test}",
        definition="share of successes in b minus share in a (-1 to 1), the same "
                   "respondents answering twice",
        effect=rd,
        extra={"p_a": p_a, "p_b": p_b, "n_pairs": total, "a1_b0": n10, "a0_b1": n01,
               "both_1": n11, "both_0": n00, "dropped_pairs": dropped,
               "cohen_h": _effects.cohen_h(p_a, p_b).estimate, "test": test})


# -- means --------------------------------------------------------------------------------
def compare_means(a: Any, b: Any, *, paired: bool = False, equal_var: bool = False,
                  level: float = 0.95) -> Result:
    r"""Difference of two means, ``mean(b) - mean(a)``, with a t interval and test.

    Parameters
    ----------
    a, b : array-like of numbers, or count tables (unpaired only)
        The two groups' answers; missing values are dropped and counted.
    paired : bool
        The same respondents answered twice: ``a[i]`` and ``b[i]`` belong together.
        Pairs with a missing side are dropped and counted in ``extra["dropped_pairs"]``.
    equal_var : bool
        Student's t with a pooled variance instead of Welch's t (independent only).
    level : float
        Confidence level.

    Returns
    -------
    Result
        ``estimate`` the difference, ``statistic`` t, ``df``, ``se``; ``effect`` Hedges'
        g (independent, pooled SD) or g_z (paired, SD of the differences), each with a
        noncentral-t interval (:mod:`cxresearch.stats._effects`); ``extra`` the group
        means, SDs, sizes and missing answers.

    Notes
    -----
    Welch: :math:`t = (\bar b - \bar a)/\sqrt{s_a^2/n_a + s_b^2/n_b}` with
    Welch-Satterthwaite df; Student: pooled variance, :math:`n_a + n_b - 2` df; paired:
    :math:`t = \bar D/(s_D/\sqrt n)` with :math:`n - 1` df. Computed by
    ``scipy.stats.ttest_ind`` / ``ttest_rel`` and their ``confidence_interval``. Checked
    against R's ``t.test`` on the ``sleep`` data (``tests/r/compare.R``). Each group
    needs at least 2 answers; when both groups hold one value repeated there is no
    variance and no t-test: that is an error.

    Examples
    --------
    >>> a = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> b = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = compare_means(a, b)
    >>> round(r.estimate, 2), round(r.ci_low, 3), round(r.ci_high, 3), round(r.p_value, 4)
    (1.58, -0.205, 3.365, 0.0794)
    >>> round(compare_means(a, b, paired=True).p_value, 5)
    0.00283
    """
    from scipy import stats

    level = check_level(level)
    if paired:
        x, y, dropped = as_pairs(a, b, min_n=2)
        diff = y - x
        if np.ptp(diff) == 0:
            raise StatsInputError(f"a and b: every pair differs by the same amount "
                                  f"({diff[0]:g}), so the differences have no variance "
                                  f"and a paired t-test cannot be computed")
        res = stats.ttest_rel(y, x)
        ci = res.confidence_interval(confidence_level=level)
        n = diff.size
        sd = float(np.std(diff, ddof=1))
        effect = _effects.hedges_g_paired(float(diff.mean()), sd, n, level=level) \
            if n >= 3 else None
        return Result(
            name="difference in means", estimate=float(diff.mean()), ci_low=ci.low,
            ci_high=ci.high, n=n, level=level, p_value=res.pvalue, se=sd / math.sqrt(n),
            statistic=res.statistic, df=res.df, method="paired t-test",
            definition="mean of b - a over respondents who answered both times",
            effect=effect,
            extra={"mean_a": float(x.mean()), "mean_b": float(y.mean()),
                   "sd_diff": sd, "n_pairs": n, "dropped_pairs": dropped})
    x, miss_a = as_answers(a, "a", min_n=2)
    y, miss_b = as_answers(b, "b", min_n=2)
    sd_a, sd_b = float(np.std(x, ddof=1)), float(np.std(y, ddof=1))
    if sd_a == 0 and sd_b == 0:
        raise StatsInputError(f"a and b each hold one value repeated ({x[0]:g} and "
                              f"{y[0]:g}): there is no variance, so a t-test cannot be "
                              f"computed; report the two values as they are")
    with warnings.catch_warnings():  # one constant group is fine for Welch; scipy warns
        warnings.filterwarnings("ignore", "Precision loss", RuntimeWarning)
        res = stats.ttest_ind(y, x, equal_var=equal_var)
    ci = res.confidence_interval(confidence_level=level)
    n_a, n_b = x.size, y.size
    if equal_var:
        sp2 = ((n_a - 1) * sd_a ** 2 + (n_b - 1) * sd_b ** 2) / (n_a + n_b - 2)
        se = math.sqrt(sp2 * (1 / n_a + 1 / n_b))
    else:
        se = math.sqrt(sd_a ** 2 / n_a + sd_b ** 2 / n_b)
    mean_a, mean_b = float(x.mean()), float(y.mean())
    return Result(
        name="difference in means", estimate=mean_b - mean_a, ci_low=ci.low,
        ci_high=ci.high, n=n_a + n_b, level=level, p_value=res.pvalue, se=se,
        statistic=res.statistic, df=res.df,
        method="Student's t-test (pooled variance)" if equal_var else "Welch's t-test",
        definition="mean of b minus mean of a, independent groups",
        effect=_effects.hedges_g(mean_a, sd_a, n_a, mean_b, sd_b, n_b, level=level),
        extra={"mean_a": mean_a, "mean_b": mean_b, "sd_a": sd_a, "sd_b": sd_b,
               "n_a": n_a, "n_b": n_b, "missing_a": miss_a, "missing_b": miss_b})


# -- ordinal ------------------------------------------------------------------------------
def _two_groups(data: pd.DataFrame, outcome: str, group: str,
                levels: Sequence[Any] | None) -> tuple[pd.DataFrame, Any, Any, int]:
    """Rows of ``data`` in the two groups, the two levels, rows dropped."""
    if not isinstance(data, pd.DataFrame):
        raise StatsInputError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    for arg, column in (("outcome", outcome), ("group", group)):
        if column not in data.columns:
            raise StatsInputError(f"{arg}={column!r} is not a column of data; columns: "
                                  f"{', '.join(map(str, data.columns[:12]))}")
    values = data[group].dropna()
    found = list(values.cat.categories[values.cat.categories.isin(values.unique())]) \
        if isinstance(values.dtype, pd.CategoricalDtype) else sorted(values.unique())
    if levels is None:
        if len(found) != 2:
            raise StatsInputError(f"group={group!r} must have exactly two levels (or pass "
                                  f"levels=(a, b)); it has {len(found)}: {shown(found)}")
        levels = found
    if len(levels) != 2 or any(level not in found for level in levels):
        raise StatsInputError(f"levels must name two levels of {group!r} (a first, then "
                              f"b); got {shown(levels)}, the column has {shown(found)}")
    rows = data[data[group].isin(levels)]
    return rows, levels[0], levels[1], len(data) - len(rows)


def compare_ordinal(a: Any = None, b: Any = None, *, data: pd.DataFrame | None = None,
                    outcome: str | None = None, group: str | None = None,
                    covariates: Sequence[str] | None = None,
                    levels: Sequence[Any] | None = None, level: float = 0.95) -> Result:
    r"""Compare ordinal answers (Likert, 0-10) of two groups without treating the scale
    as numbers: a rank-based test and effect, or a proportional-odds model.

    Call it with two groups, ``compare_ordinal(a, b)``, or with a table,
    ``compare_ordinal(data=df, outcome="sat", group="wave")``; add
    ``covariates=["channel", ...]`` (table form only) to adjust for them.

    Parameters
    ----------
    a, b : array-like of numbers, or count tables
        The two groups' answers (missing answers dropped and counted).
    data : DataFrame
        One row per respondent with the ``outcome``, ``group`` and ``covariates``.
    outcome, group : str
        Columns of ``data``: the ordinal answer (numbers, or an ordered categorical)
        and the group (two levels; ``a`` is the first in sorted or categorical order).
    covariates : list of str, optional
        Columns of ``data`` to adjust for; text or categorical columns are dummy-coded
        (first level as reference). Given: a proportional-odds model is fitted.
    levels : (a, b), optional
        Which two levels of ``group`` to compare, ``a`` first; others are dropped.
    level : float
        Confidence level.

    Returns
    -------
    Result
        Without covariates: ``estimate`` the rank-biserial correlation
        :math:`r = P(B > A) - P(B < A)` with the Brunner-Munzel interval mapped from PS;
        ``p_value`` and ``statistic`` (U of ``b``) from the Mann-Whitney test;
        ``effect`` the probability of superiority :math:`PS = P(B > A) + P(B = A)/2`
        with its Brunner-Munzel interval, test and df. With covariates: ``estimate``
        the log odds ratio for ``b`` against ``a`` (positive: ``b`` answers higher) with
        a Wald interval and test; ``effect`` the odds ratio.

    Notes
    -----
    Mann-Whitney: ``scipy.stats.mannwhitneyu(b, a, method="asymptotic",
    use_continuity=True)``, the normal approximation with a tie correction and a
    continuity correction, as R's ``wilcox.test(b, a, exact=FALSE)``. It tests for
    identical distributions; the Brunner-Munzel test in ``effect`` tests
    :math:`PS = 0.5` without assuming that and matches the interval. Survey answers are
    full of ties, so no exact p-value is used.

    Proportional odds: ``statsmodels.miscmodels.ordinal_model.OrderedModel`` with a
    logit link, :math:`\mathrm{logit}\,P(Y \le j) = \theta_j - \beta_b x_b -
    \gamma' z`, the same sign convention as ``MASS::polr`` and ``ordinal::clm``
    (checked against both on ``MASS::housing``; SAS's ``proc logistic`` uses
    :math:`+\beta` by default). The interval is :math:`\exp(\hat\beta \pm z\,SE)`. Rows
    with a missing outcome, group or covariate are dropped and counted.

    Examples
    --------
    >>> a = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    >>> b = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    >>> r = compare_ordinal(a, b)
    >>> round(r.estimate, 3), round(r.p_value, 4), round(r.effect.estimate, 3)
    (0.578, 0.0077, 0.789)
    """
    level = check_level(level)
    if data is None:
        if covariates:
            raise StatsInputError("covariates need the table form: compare_ordinal("
                                  "data=df, outcome=..., group=..., covariates=[...])")
        if a is None or b is None:
            raise StatsInputError("compare_ordinal needs two groups a and b, or data= "
                                  "with outcome= and group=")
        x, miss_a = as_answers(a, "a", min_n=2)
        y, miss_b = as_answers(b, "b", min_n=2)
        return _rank_compare(x, y, level, {"missing_a": miss_a, "missing_b": miss_b})
    if a is not None or b is not None:
        raise StatsInputError("pass either a and b, or data= with outcome= and group=, "
                              "not both")
    if outcome is None or group is None:
        raise StatsInputError("with data=, name the columns: outcome=... and group=...")
    rows, level_a, level_b, other = _two_groups(data, outcome, group, levels)
    if not covariates:
        x, miss_a = as_answers(rows.loc[rows[group] == level_a, outcome], outcome, min_n=2)
        y, miss_b = as_answers(rows.loc[rows[group] == level_b, outcome], outcome, min_n=2)
        return _rank_compare(x, y, level, {"missing_a": miss_a, "missing_b": miss_b,
                                           "a": level_a, "b": level_b,
                                           "other_groups_dropped": other})
    return _proportional_odds(rows, outcome, group, level_a, level_b, list(covariates),
                              level, other)


def _rank_compare(x: np.ndarray, y: np.ndarray, level: float,
                  extra: dict[str, Any]) -> Result:
    from scipy import stats

    if np.ptp(np.concatenate([x, y])) == 0:
        raise StatsInputError(f"a and b hold one and the same answer ({x[0]:g}): there "
                              f"is nothing to rank, so no rank test can be computed")
    mw = stats.mannwhitneyu(y, x, method="asymptotic", use_continuity=True)
    ps = _effects.probability_of_superiority(x, y, level=level)
    rb = _effects.rank_biserial(x, y, level=level)
    return Result(
        name="rank-biserial correlation", estimate=rb.estimate, ci_low=rb.ci_low,
        ci_high=rb.ci_high, n=x.size + y.size, level=level, p_value=mw.pvalue,
        statistic=mw.statistic, se=rb.se,
        method="Mann-Whitney U (normal approximation, tie and continuity corrections); "
               "interval: Brunner-Munzel",
        definition="P(b > a) - P(b < a) for a random answer from each group (-1 to 1; 0 "
                   "means neither group tends higher)",
        effect=ps,
        extra={"n_a": x.size, "n_b": y.size, "median_a": float(np.median(x)),
               "median_b": float(np.median(y)), "u_b": float(mw.statistic), **extra})


def _proportional_odds(rows: pd.DataFrame, outcome: str, group: str, level_a: Any,
                       level_b: Any, covariates: list[str], level: float,
                       other: int) -> Result:
    missing = [c for c in covariates if c not in rows.columns]
    if missing:
        raise StatsInputError(f"covariates {shown(missing)} are not columns of data; "
                              f"columns: {', '.join(map(str, rows.columns[:12]))}")
    if group in covariates or outcome in covariates:
        raise StatsInputError("covariates must not repeat the outcome or group column")
    used = rows[[outcome, group, *covariates]].dropna()
    y = used[outcome]
    if isinstance(y.dtype, pd.CategoricalDtype):
        if not y.cat.ordered:
            raise StatsInputError(f"outcome {outcome!r} is an unordered categorical; make "
                                  f"it ordered or numeric so the categories have an order")
        y = y.cat.remove_unused_categories()
    else:
        numbers = as_answers(y, outcome, min_n=2)[0]
        y = pd.Series(pd.Categorical(numbers, categories=np.unique(numbers), ordered=True),
                      index=used.index)
    if len(y.cat.categories) < 2:
        raise StatsInputError(f"outcome {outcome!r} has one category only; nothing to "
                              f"compare")
    is_b = (used[group] == level_b).astype(float).rename(f"{group}[{level_b}]")
    if is_b.nunique() < 2:
        raise StatsInputError(f"group {group!r} has one level left after dropping missing "
                              f"values; both {level_a!r} and {level_b!r} need answers")
    fit = _effects.proportional_odds(y, is_b, used[covariates], level=level)
    return Result(
        name="log odds ratio", estimate=fit.estimate, ci_low=fit.ci_low,
        ci_high=fit.ci_high, n=fit.n, level=level, p_value=fit.p_value, se=fit.se,
        statistic=fit.statistic, method=fit.method,
        definition=f"log odds of a higher answer in b ({level_b!r}) than in a "
                   f"({level_a!r}), adjusted for {', '.join(covariates)}; 0 means no "
                   f"difference",
        effect=fit.effect,
        extra={"a": level_a, "b": level_b, "n_a": int((is_b == 0).sum()),
               "n_b": int((is_b == 1).sum()), "dropped_rows": len(rows) - len(used),
               "other_groups_dropped": other, "covariates": ", ".join(covariates),
               **dict(fit.extra)})


# -- equivalence --------------------------------------------------------------------------
def _margins(margin: Any) -> tuple[float, float]:
    if isinstance(margin, (int, float, np.integer, np.floating)) \
            and not isinstance(margin, bool):
        if not float(margin) > 0:
            raise StatsInputError(f"margin must be a positive number (the smallest "
                                  f"difference that matters) or (low, high); got "
                                  f"{shown(margin)}")
        return -float(margin), float(margin)
    if isinstance(margin, (tuple, list)) and len(margin) == 2:
        low, high = (float(v) for v in margin)
        if low < high and low <= 0 <= high:
            return low, high
    raise StatsInputError(f"margin must be a positive number or (low, high) with low < 0 "
                          f"< high; got {shown(margin)}")


def equivalence(a: Any, b: Any, *, margin: float | tuple[float, float],
                kind: str = "means", paired: bool = False, equal_var: bool = False,
                level: float = 0.95) -> Result:
    r"""Is the difference ``b - a`` smaller than the smallest effect that matters?
    Two one-sided tests (TOST).

    Parameters
    ----------
    a, b
        The two groups, as for :func:`compare_means` (``kind="means"``) or
        :func:`compare_proportions` (``kind="proportions"``, independent only).
    margin : float or (low, high)
        The smallest difference that matters, in the unit of the estimate (scale
        points; proportion points for proportions, 0.05 = 5 points). A number ``m``
        means ``(-m, m)``.
    kind : {"means", "proportions"}
        What is compared.
    paired, equal_var : bool
        As for :func:`compare_means` (means only).
    level : float
        Confidence of the test: :math:`\alpha = 1 - level`.

    Returns
    -------
    Result
        ``estimate`` the difference; ``ci_low``/``ci_high`` the :math:`1 - 2\alpha`
        interval (90% for level 0.95, stored in ``Result.level``), the interval TOST
        inverts; ``p_value`` the larger of the two one-sided p-values; ``extra``
        ``equivalent`` (p < alpha), both one-sided tests, the margins and ``alpha``.

    Notes
    -----
    :math:`H_0: \Delta \le low` or :math:`\Delta \ge high`; equivalence is concluded
    when both one-sided tests reject at :math:`\alpha` (Schuirmann 1987). Means:
    ``statsmodels.stats.weightstats.ttost_ind`` (Welch, or pooled with
    ``equal_var``) and ``ttost_paired``; checked against two one-sided ``t.test`` calls
    in R. Proportions: ``statsmodels.stats.proportion.tost_proportions_2indep`` with
    the Miettinen-Nurminen score test, whose inverted interval
    (``confint_proportions_2indep(method="score")``) is reported.

    Examples
    --------
    >>> a = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> b = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = equivalence(a, b, margin=2)
    >>> round(r.p_value, 4), r.extra["equivalent"], round(r.ci_high, 3)
    (0.3135, False, 3.053)
    """
    level = check_level(level)
    check_choice("kind", kind, ("means", "proportions"))
    low, high = _margins(margin)
    alpha = round(1 - level, 12)
    inner = round(1 - 2 * alpha, 12)  # the level of the interval TOST inverts
    if 2 * alpha >= 1:
        raise StatsInputError(f"level must be above 0.5 for an equivalence test (the "
                              f"interval is 1 - 2 alpha); got {level}")
    if kind == "proportions":
        return _equivalence_proportions(a, b, low, high, alpha, paired)
    from statsmodels.stats.weightstats import ttost_ind, ttost_paired

    diff = compare_means(a, b, paired=paired, equal_var=equal_var, level=inner)
    if paired:
        x, y, _ = as_pairs(a, b, min_n=2)
        p, lower, upper = ttost_paired(y, x, low, high)
    else:
        x, _ = as_answers(a, "a", min_n=2)
        y, _ = as_answers(b, "b", min_n=2)
        p, lower, upper = ttost_ind(y, x, low, high,
                                    usevar="pooled" if equal_var else "unequal")
    worse = lower if lower[1] >= upper[1] else upper
    return Result(
        name="difference in means (equivalence)", estimate=diff.estimate,
        ci_low=diff.ci_low, ci_high=diff.ci_high, n=diff.n, level=inner,
        p_value=float(p), se=diff.se, statistic=float(worse[0]), df=float(worse[2]),
        method=f"TOST, two one-sided {diff.method.replace(' (pooled variance)', '')}s",
        definition=f"{diff.definition}; equivalent if it lies within {low:g} to {high:g}",
        effect=diff.effect,
        extra={**dict(diff.extra), **_tost_extra(p, lower, upper, low, high, alpha)})


def _tost_extra(p: float, lower: Sequence[float], upper: Sequence[float], low: float,
                high: float, alpha: float) -> dict[str, Any]:
    return {"equivalent": bool(p < alpha), "alpha": alpha, "margin_low": low,
            "margin_high": high, "statistic_lower": float(lower[0]),
            "p_lower": float(lower[1]), "statistic_upper": float(upper[0]),
            "p_upper": float(upper[1])}


def _equivalence_proportions(a: Any, b: Any, low: float, high: float, alpha: float,
                             paired: bool) -> Result:
    from statsmodels.stats.proportion import (confint_proportions_2indep,
                                              tost_proportions_2indep)

    if paired:
        raise StatsInputError("equivalence of paired proportions is not available; use "
                              "compare_proportions(paired=True) and compare its interval "
                              "with the margin")
    x_a, n_a, miss_a = as_successes(a, "a")
    x_b, n_b, miss_b = as_successes(b, "b")
    res = tost_proportions_2indep(x_b, n_b, x_a, n_a, low, high, method="score")
    interval = "Miettinen-Nurminen score interval"
    try:
        ci = confint_proportions_2indep(x_b, n_b, x_a, n_a, method="score", compare="diff",
                                        alpha=2 * alpha)
    except ValueError:  # statsmodels brackets the score root from the Wald limits, which
        # fails when a Wald limit is near 0 (about 1 in 10 tables at n = 30); Newcombe's
        # hybrid score interval has a closed form and performs alike
        interval = "Newcombe hybrid score interval (the score interval could not be found)"
        ci = confint_proportions_2indep(x_b, n_b, x_a, n_a, method="newcomb",
                                        compare="diff", alpha=2 * alpha)
    lower, upper = res.results_larger, res.results_smaller
    lower_t = (lower.statistic, lower.pvalue)
    upper_t = (upper.statistic, upper.pvalue)
    worse = lower_t if lower_t[1] >= upper_t[1] else upper_t
    return Result(
        name="difference in proportions (equivalence)", estimate=x_b / n_b - x_a / n_a,
        ci_low=ci[0], ci_high=ci[1], n=n_a + n_b, level=round(1 - 2 * alpha, 12),
        p_value=float(res.pvalue), statistic=float(worse[0]),
        method=f"TOST, two one-sided Miettinen-Nurminen score tests; {interval}",
        definition=f"share of successes in b minus share in a; equivalent if it lies "
                   f"within {low:g} to {high:g}",
        extra={"p_a": x_a / n_a, "p_b": x_b / n_b, "n_a": n_a, "n_b": n_b,
               "missing_a": miss_a, "missing_b": miss_b,
               **_tost_extra(float(res.pvalue), lower_t, upper_t, low, high, alpha)})
