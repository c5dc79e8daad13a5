"""Effect sizes with intervals, for the comparisons in :mod:`cxresearch.stats._compare`.

Each helper works on sufficient statistics (means, SDs and sizes; counts; ranks) and
returns a :class:`~cxresearch.stats.Result`. Every difference is ``b - a`` ("after minus
before"), so a positive effect means that ``b`` is higher.

- :func:`hedges_g`, :func:`hedges_g_paired`: standardised mean differences; interval by
  inverting the noncentral t (Steiger & Fouladi 1997). Own code: scipy and statsmodels
  have no interval for them; the noncentral t is ``scipy.stats.nct``.
- :func:`cohen_h`: arcsine difference of proportions, interval ``h ± z sqrt(1/n_a +
  1/n_b)``. Own code (a one-line formula).
- :func:`risk_difference`: Newcombe's hybrid score interval, by statsmodels.
- :func:`risk_difference_paired`: Newcombe's paired method 10 (1998b). Own code:
  statsmodels has no interval for a difference of paired proportions.
- :func:`probability_of_superiority`, :func:`rank_biserial`: Brunner-Munzel interval.
  Own code: ``scipy.stats.brunnermunzel`` gives the test but not the interval.
- :func:`proportional_odds`: log odds ratio from statsmodels' ``OrderedModel``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_level
from ._result import Result

__all__ = ["cohen_h", "hedges_g", "hedges_g_paired", "probability_of_superiority",
           "proportional_odds", "rank_biserial", "risk_difference",
           "risk_difference_paired"]


# -- standardised mean differences --------------------------------------------------------
def _hedges_j(df: float) -> float:
    """Hedges' exact correction ``J(df) = G(df/2) / (sqrt(df/2) G((df-1)/2))``, through
    scipy's Pochhammer symbol, which keeps full precision at large df (lgamma does not)."""
    from scipy.special import poch

    return float(poch((df - 1) / 2, 0.5)) / math.sqrt(df / 2)


def _ncp_interval(t: float, df: float, level: float) -> tuple[float, float, str]:
    """Limits of the noncentrality parameter of a t statistic ``t`` with ``df``: the
    values whose noncentral t puts ``t`` at the ``(1 + level)/2`` and ``(1 - level)/2``
    quantiles. Falls back to the normal approximation where scipy's ``nct`` fails."""
    from scipy import optimize, stats

    z = float(stats.norm.ppf((1 + level) / 2))
    width = z * math.sqrt(1 + t * t / (2 * df))
    limits = []
    for q in ((1 + level) / 2, (1 - level) / 2):
        def f(x: float, q: float = q) -> float:
            return float(stats.nct.cdf(t, df, x)) - q
        root = math.nan
        for k in (3, 6, 12):
            lo, hi = t - k * width - 1, t + k * width + 1
            f_lo, f_hi = f(lo), f(hi)
            if np.isfinite(f_lo) and np.isfinite(f_hi) and f_lo * f_hi < 0:
                root = optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-12)
                break
        limits.append(root)
    if all(np.isfinite(limits)):
        return limits[0], limits[1], "noncentral t"
    return t - width, t + width, "normal approximation to the noncentral t"


def hedges_g(mean_a: float, sd_a: float, n_a: int, mean_b: float, sd_b: float, n_b: int,
             *, level: float = 0.95) -> Result:
    r"""Hedges' g for two independent groups, with an interval for the population
    standardised difference.

    Parameters
    ----------
    mean_a, sd_a, n_a, mean_b, sd_b, n_b : float, float, int
        Mean, standard deviation (``ddof=1``) and size of each group.
    level : float
        Confidence level of the interval.

    Returns
    -------
    Result
        ``estimate`` g, ``ci_low``/``ci_high`` the interval for :math:`\delta`,
        ``extra["d"]`` the uncorrected Cohen's d and ``extra["j"]`` the correction;
        ``se`` the large-sample SE :math:`\sqrt{1/n_a + 1/n_b + g^2/(2(n_a+n_b))}`
        (Hedges & Olkin 1985), for meta-analysis; the interval does not use it.

    Notes
    -----
    .. math::

        s_p = \sqrt{\frac{(n_a-1)s_a^2 + (n_b-1)s_b^2}{n_a+n_b-2}},\quad
        d = \frac{\bar b - \bar a}{s_p},\quad g = J(\nu)\,d,\quad
        J(\nu) = \frac{\Gamma(\nu/2)}{\sqrt{\nu/2}\,\Gamma((\nu-1)/2)}

    with :math:`\nu = n_a + n_b - 2` (Hedges 1981, exact correction). The interval
    inverts the noncentral t distribution of :math:`t = d / \sqrt{1/n_a + 1/n_b}`
    (Steiger & Fouladi 1997), as ``psych::cohen.d.ci`` and ``MBESS::ci.smd`` do; it is
    the interval for :math:`\delta` and is not shrunk by ``J``. It assumes normal data
    with equal variances. Checked against R by hand and ``psych::cohen.d.ci``
    (``tests/r/compare.R``).

    Examples
    --------
    >>> r = hedges_g(0.75, 1.789, 10, 2.33, 2.002, 10)
    >>> round(r.estimate, 2), round(r.ci_low, 2), round(r.ci_high, 2)
    (0.8, -0.1, 1.74)
    """
    level = check_level(level)
    df = n_a + n_b - 2
    if n_a < 2 or n_b < 2:
        raise StatsInputError(f"Hedges' g needs at least 2 answers per group; got n_a = "
                              f"{n_a} and n_b = {n_b}")
    sp = math.sqrt(((n_a - 1) * sd_a ** 2 + (n_b - 1) * sd_b ** 2) / df)
    if not sp > 0:
        raise StatsInputError("Hedges' g needs some spread: both groups hold one value "
                              "repeated (pooled SD 0)")
    d = (mean_b - mean_a) / sp
    j = _hedges_j(df)
    scale = math.sqrt(1 / n_a + 1 / n_b)
    lo, hi, how = _ncp_interval(d / scale, df, level)
    return Result(
        name="Hedges' g", estimate=j * d, ci_low=lo * scale, ci_high=hi * scale,
        n=n_a + n_b, level=level, method=f"pooled SD, exact J; interval: {how} inverted",
        definition="(mean b - mean a) / pooled SD, times Hedges' small-sample correction "
                   "J; the interval is for the population standardised difference",
        se=math.sqrt(1 / n_a + 1 / n_b + (j * d) ** 2 / (2 * (n_a + n_b))),
        extra={"d": d, "j": j, "pooled_sd": sp})


def hedges_g_paired(mean_diff: float, sd_diff: float, n: int, *,
                    level: float = 0.95) -> Result:
    r"""Hedges' g_z for paired answers: the mean difference over the SD of the
    differences, with Hedges' correction, and a noncentral-t interval.

    Parameters
    ----------
    mean_diff, sd_diff : float
        Mean and standard deviation (``ddof=1``) of ``b - a`` over complete pairs.
    n : int
        Number of complete pairs.
    level : float
        Confidence level.

    Notes
    -----
    .. math:: d_z = \bar D / s_D,\quad g_z = J(n-1)\,d_z

    The interval inverts the noncentral t of :math:`t = d_z\sqrt n` with ``n - 1`` df
    (Steiger & Fouladi 1997). g_z is standardised by the SD of the *differences*; it is
    larger than an independent-groups g when the two answers correlate, so do not set
    it beside one (Lakens 2013). Checked against R by hand (``tests/r/compare.R``).

    Examples
    --------
    >>> r = hedges_g_paired(1.58, 1.23, 10)
    >>> round(r.estimate, 2), round(r.ci_low, 2), round(r.ci_high, 2)
    (1.17, 0.41, 2.12)
    """
    level = check_level(level)
    if n < 3:
        raise StatsInputError(f"Hedges' g_z needs at least 3 complete pairs; got {n}")
    if not sd_diff > 0:
        raise StatsInputError("Hedges' g_z needs some spread in the differences b - a; "
                              "every pair differs by the same amount")
    dz = mean_diff / sd_diff
    j = _hedges_j(n - 1)
    lo, hi, how = _ncp_interval(dz * math.sqrt(n), n - 1, level)
    return Result(
        name="Hedges' g_z", estimate=j * dz, ci_low=lo / math.sqrt(n),
        ci_high=hi / math.sqrt(n), n=n, level=level,
        method=f"SD of the differences, exact J; interval: {how} inverted",
        definition="mean of the paired differences b - a / their SD (d_z), times "
                   "Hedges' correction J; the interval is for the population d_z",
        extra={"d_z": dz, "j": j})


# -- proportions --------------------------------------------------------------------------
def cohen_h(p_a: float, p_b: float, n_a: int | None = None, n_b: int | None = None, *,
            level: float = 0.95) -> Result:
    r"""Cohen's h, the difference of arcsine-transformed proportions.

    Notes
    -----
    :math:`h = 2\arcsin\sqrt{p_b} - 2\arcsin\sqrt{p_a}` (Cohen 1988, ch. 6). With both
    sizes given (independent groups) the interval is :math:`h \pm z\sqrt{1/n_a +
    1/n_b}`, since the transform makes each variance :math:`1/n`; without them it is
    NaN (paired answers: no closed form is used).

    Examples
    --------
    >>> r = cohen_h(48 / 80, 56 / 70, 80, 70)
    >>> round(r.estimate, 3), round(r.ci_low, 3), round(r.ci_high, 3)
    (0.442, 0.121, 0.763)
    """
    from scipy import stats

    level = check_level(level)
    h = 2 * math.asin(math.sqrt(p_b)) - 2 * math.asin(math.sqrt(p_a))
    lo = hi = math.nan
    if n_a is not None and n_b is not None:
        half = float(stats.norm.ppf((1 + level) / 2)) * math.sqrt(1 / n_a + 1 / n_b)
        lo, hi = h - half, h + half
    return Result(name="Cohen's h", estimate=h, ci_low=lo, ci_high=hi,
                  n=(n_a or 0) + (n_b or 0), level=level,
                  method="arcsine transform; interval h ± z sqrt(1/n_a + 1/n_b)"
                         if n_a is not None else "arcsine transform; no interval",
                  definition="2 asin(sqrt(p_b)) - 2 asin(sqrt(p_a))")


def risk_difference(x_a: int, n_a: int, x_b: int, n_b: int, *,
                    level: float = 0.95) -> Result:
    r"""Difference of two independent proportions ``x_b/n_b - x_a/n_a`` with Newcombe's
    hybrid score interval.

    Notes
    -----
    With Wilson limits :math:`(l_a, u_a)` and :math:`(l_b, u_b)`:
    :math:`\hat\theta - \sqrt{(p_b - l_b)^2 + (u_a - p_a)^2}` to
    :math:`\hat\theta + \sqrt{(u_b - p_b)^2 + (p_a - l_a)^2}` (Newcombe 1998a, method
    10), computed by ``statsmodels.stats.proportion.confint_proportions_2indep(
    method="newcomb")``. Checked against Newcombe's Table II (56/70 vs 48/80: 0.0524 to
    0.3339).

    Examples
    --------
    >>> r = risk_difference(48, 80, 56, 70)
    >>> round(r.estimate, 4), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.2, 0.0524, 0.3339)
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    level = check_level(level)
    lo, hi = confint_proportions_2indep(x_b, n_b, x_a, n_a, method="newcomb",
                                        compare="diff", alpha=1 - level)
    return Result(name="risk difference", estimate=x_b / n_b - x_a / n_a, ci_low=lo,
                  ci_high=hi, n=n_a + n_b, level=level,
                  method="Newcombe hybrid score (method 10)",
                  definition="share of successes in b minus share in a (proportion "
                             "points, -1 to 1)")


def _wilson(x: float, n: float, z: float) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def risk_difference_paired(n11: int, n10: int, n01: int, n00: int, *,
                           level: float = 0.95) -> Result:
    r"""Difference of two paired proportions, ``p_b - p_a``, with Newcombe's paired
    method 10 interval (our own code: no Python library has it).

    Parameters
    ----------
    n11, n10, n01, n00 : int
        Pairs with (a, b) = (1, 1), (1, 0), (0, 1) and (0, 0).
    level : float
        Confidence level.

    Notes
    -----
    With Wilson limits :math:`(l_a, u_a)`, :math:`(l_b, u_b)` of the two margins and
    :math:`\hat\theta = p_b - p_a = (n_{01} - n_{10})/N`:

    .. math::

        L = \hat\theta - \sqrt{d_l^2 - 2\hat\phi d_l e_u + e_u^2},\quad
        U = \hat\theta + \sqrt{d_u^2 - 2\hat\phi d_u e_l + e_l^2}

    with :math:`d_l = p_b - l_b`, :math:`d_u = u_b - p_b`, :math:`e_l = p_a - l_a`,
    :math:`e_u = u_a - p_a`, and :math:`\hat\phi` the phi coefficient of the 2x2 table
    with :math:`A = n_{11}n_{00} - n_{10}n_{01}` replaced by :math:`A - N/2` when
    :math:`A > N/2`, by 0 when :math:`0 \le A \le N/2` (Newcombe 1998b, Stat Med 17:
    2635-2650; Fagerland, Lydersen & Laake 2017, sec. 8.5). Checked against the Cavo
    et al. example of Fagerland et al. (-0.0621, 95% CI -0.1186 to -0.0046, sign
    flipped here because the estimate is b - a).

    Examples
    --------
    >>> r = risk_difference_paired(59, 6, 16, 80)
    >>> round(r.estimate, 4), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.0621, 0.0046, 0.1186)
    """
    from scipy import stats

    level = check_level(level)
    total = n11 + n10 + n01 + n00
    if total <= 0:
        raise StatsInputError("a paired comparison needs at least one complete pair; got 0")
    z = float(stats.norm.ppf((1 + level) / 2))
    x_a, x_b = n11 + n10, n11 + n01
    p_a, p_b = x_a / total, x_b / total
    l_a, u_a = _wilson(x_a, total, z)
    l_b, u_b = _wilson(x_b, total, z)
    margins = x_a * (total - x_a) * x_b * (total - x_b)
    a = n11 * n00 - n10 * n01
    if margins == 0:
        phi = 0.0
    elif a > total / 2:
        phi = (a - total / 2) / math.sqrt(margins)
    elif a >= 0:
        phi = 0.0
    else:
        phi = a / math.sqrt(margins)
    d_l, d_u, e_l, e_u = p_b - l_b, u_b - p_b, p_a - l_a, u_a - p_a
    theta = p_b - p_a
    low = theta - math.sqrt(max(d_l ** 2 - 2 * phi * d_l * e_u + e_u ** 2, 0.0))
    high = theta + math.sqrt(max(d_u ** 2 - 2 * phi * d_u * e_l + e_l ** 2, 0.0))
    return Result(name="risk difference", estimate=theta, ci_low=low, ci_high=high,
                  n=total, level=level, method="Newcombe paired score (method 10)",
                  definition="share of successes in b minus share in a, same respondents "
                             "(proportion points, -1 to 1)",
                  extra={"phi": phi})


# -- rank-based ---------------------------------------------------------------------------
def _brunner_munzel(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """PS = P(A < B) + P(A = B)/2 and its Brunner-Munzel standard error and df."""
    from scipy import stats

    n_a, n_b = a.size, b.size
    ranks = stats.rankdata(np.concatenate([a, b]))
    r_a, r_b = ranks[:n_a], ranks[n_a:]
    m_a, m_b = r_a.mean(), r_b.mean()
    ps = (m_b - (n_b + 1) / 2) / n_a
    v_a = float(np.sum((r_a - stats.rankdata(a) - m_a + (n_a + 1) / 2) ** 2) / (n_a - 1))
    v_b = float(np.sum((r_b - stats.rankdata(b) - m_b + (n_b + 1) / 2) ** 2) / (n_b - 1))
    se = math.sqrt(v_a / (n_a * n_b ** 2) + v_b / (n_b * n_a ** 2))
    spread = n_a * v_a + n_b * v_b
    if spread > 0:
        statistic = n_a * n_b * (m_b - m_a) / (n_a + n_b) / math.sqrt(spread)
        df = spread ** 2 / ((n_a * v_a) ** 2 / (n_a - 1) + (n_b * v_b) ** 2 / (n_b - 1))
        p = 2 * float(stats.t.sf(abs(statistic), df))
    else:
        statistic = df = p = math.nan
    return {"ps": ps, "se": se, "df": df, "statistic": statistic, "p": p}


def probability_of_superiority(a: Any, b: Any, *, level: float = 0.95) -> Result:
    r"""Probability of superiority ``PS = P(A < B) + P(A = B)/2`` with the
    Brunner-Munzel interval and test.

    Parameters
    ----------
    a, b : array-like of numbers
        The two groups' answers (NaN-free; at least 2 each).
    level : float
        Confidence level.

    Notes
    -----
    :math:`\widehat{PS} = (\bar R_b - (n_b + 1)/2)/n_a` from the mid-ranks
    :math:`R` of the pooled sample. With placements :math:`R_{ai} - R^{(a)}_{ai}`
    (pooled rank minus within-group rank) and their variances :math:`v_a, v_b`,
    :math:`SE = \sqrt{v_a/(n_a n_b^2) + v_b/(n_b n_a^2)}` and the interval is
    :math:`\widehat{PS} \pm t_{\nu}\,SE` with Satterthwaite-type :math:`\nu` (Brunner &
    Munzel 2000, as corrected in Neubert & Brunner 2007; ``lawstat::brunner.munzel.test``).
    The statistic and p-value equal ``scipy.stats.brunnermunzel``. Checked against the
    pain-score example of ``lawstat``: 0.788961, 95% CI 0.5952169 to 0.9827052.
    When every answer in each group has the same placement (complete separation, or all
    answers identical) the standard error is 0 and the interval is NaN.

    Examples
    --------
    >>> a = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    >>> b = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    >>> r = probability_of_superiority(a, b)
    >>> round(r.estimate, 4), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.789, 0.5952, 0.9827)
    """
    from scipy import stats

    level = check_level(level)
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.size < 2 or y.size < 2:
        raise StatsInputError(f"the probability of superiority needs at least 2 answers "
                              f"per group; got {x.size} and {y.size}")
    bm = _brunner_munzel(x, y)
    if bm["se"] > 0:
        half = float(stats.t.ppf((1 + level) / 2, bm["df"])) * bm["se"]
        lo, hi = bm["ps"] - half, bm["ps"] + half
        extra: dict[str, Any] = {}
    else:
        lo = hi = math.nan
        extra = {"note": "no interval: the Brunner-Munzel variance is 0 (complete "
                         "separation or identical answers)"}
    return Result(name="probability of superiority", estimate=bm["ps"], ci_low=lo,
                  ci_high=hi, n=x.size + y.size, level=level, p_value=bm["p"],
                  se=bm["se"], statistic=bm["statistic"], df=bm["df"],
                  method="Brunner-Munzel (t interval and test)",
                  definition="P(b > a) + 0.5 P(b = a) for a random answer from each "
                             "group; 0.5 means neither group tends higher",
                  extra=extra)


def rank_biserial(a: Any, b: Any, *, level: float = 0.95) -> Result:
    r"""Rank-biserial correlation ``r = 2 PS - 1 = P(B > A) - P(B < A)``, with the
    Brunner-Munzel interval of :func:`probability_of_superiority` mapped the same way.

    Notes
    -----
    :math:`r = (U_b - U_a)/(n_a n_b)` (Cureton 1956; Kerby 2014), from -1 (every ``a``
    above every ``b``) to 1.

    Examples
    --------
    >>> r = rank_biserial([1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1],
    ...                   [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4])
    >>> round(r.estimate, 4), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.5779, 0.1904, 0.9654)
    """
    ps = probability_of_superiority(a, b, level=level)
    return Result(name="rank-biserial correlation", estimate=2 * ps.estimate - 1,
                  ci_low=2 * ps.ci_low - 1, ci_high=2 * ps.ci_high - 1, n=ps.n,
                  level=ps.level, se=2 * ps.se if ps.se is not None else None,
                  method="2 PS - 1; interval: Brunner-Munzel, mapped",
                  definition="P(b > a) - P(b < a) for a random answer from each group "
                             "(-1 to 1; 0 means neither group tends higher)",
                  extra=dict(ps.extra))


# -- proportional odds --------------------------------------------------------------------
def _design(covariates: pd.DataFrame) -> pd.DataFrame:
    """Numeric covariates as they are; text, categorical and bool ones dummy-coded."""
    parts = []
    for column in covariates.columns:
        values = covariates[column]
        if pd.api.types.is_numeric_dtype(values.dtype) \
                and not pd.api.types.is_bool_dtype(values.dtype):
            part = values.astype(float).to_frame(column)
        else:
            part = pd.get_dummies(values.astype(str), prefix=column, drop_first=True,
                                  dtype=float)
        if part.shape[1] == 0 or part.nunique().min() < 2:
            raise StatsInputError(f"covariate {column!r} has one value only "
                                  f"({values.iloc[0]!r}); drop it")
        parts.append(part)
    return pd.concat(parts, axis=1)


def proportional_odds(y: pd.Series, is_b: pd.Series, covariates: pd.DataFrame, *,
                      level: float = 0.95) -> Result:
    r"""Log odds ratio of a higher answer for group ``b``, adjusted for covariates, from
    a proportional-odds (cumulative logit) model.

    Parameters
    ----------
    y : Series, ordered categorical
        The answers.
    is_b : Series of 0/1
        1 for group ``b``; its name labels the coefficient.
    covariates : DataFrame
        Adjusting columns (text, categorical or bool ones are dummy-coded, first level
        as reference), same index as ``y``.
    level : float
        Confidence level.

    Notes
    -----
    :math:`\mathrm{logit}\,P(Y \le j) = \theta_j - \beta x_b - \gamma' z`, fitted by
    ``statsmodels.miscmodels.ordinal_model.OrderedModel(distr="logit")`` (BFGS). This
    is the sign convention of ``MASS::polr`` and ``ordinal::clm``: positive
    :math:`\beta` means higher answers in ``b``. Wald interval
    :math:`\hat\beta \pm z\,SE`; ``effect`` is the odds ratio :math:`e^{\beta}`.

    Examples
    --------
    >>> y = pd.Series(pd.Categorical([1, 2, 3, 1, 2, 3, 3, 2, 3, 1, 1, 2], ordered=True))
    >>> is_b = pd.Series([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], dtype=float, name="b")
    >>> z = pd.DataFrame({"x": [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]})
    >>> r = proportional_odds(y, is_b, z)
    >>> r.name, r.effect.name, bool(r.effect.estimate > 0)
    ('log odds ratio', 'odds ratio', True)
    """
    from scipy import stats
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    level = check_level(level)
    exog = pd.concat([is_b, _design(covariates)], axis=1)
    fit = OrderedModel(y, exog, distr="logit").fit(method="bfgs", disp=False,
                                                   maxiter=2000, gtol=1e-8)
    name = is_b.name
    beta, se = float(fit.params[name]), float(fit.bse[name])
    half = float(stats.norm.ppf((1 + level) / 2)) * se
    p_value = float(fit.pvalues[name])
    method = "proportional-odds logit model (statsmodels OrderedModel); Wald"
    ratio = Result(name="odds ratio", estimate=math.exp(beta), ci_low=math.exp(beta - half),
                   ci_high=math.exp(beta + half), n=len(y), level=level, p_value=p_value,
                   method=method,
                   definition="odds of a higher answer in b relative to a, adjusted for "
                              "the covariates (1 means no difference)")
    return Result(name="log odds ratio", estimate=beta, ci_low=beta - half,
                  ci_high=beta + half, n=len(y), level=level, p_value=p_value, se=se,
                  statistic=beta / se, method=method,
                  definition="log odds of a higher answer in b than in a, adjusted for "
                             "the covariates; 0 means no difference",
                  effect=ratio,
                  extra={"converged": bool(fit.mle_retvals.get("converged", True))})
