"""Reliability of a multi-item scale: Cronbach's alpha, McDonald's omega, item analysis.

``items`` is a table with one column per item and one row per respondent. Columns of
numbers are used as they are; ordered categoricals (as :mod:`cxresearch.data` reads
scale questions) are used by their category values when those are numbers, and by their
position (1, 2, ...) when they are labels; strings that are not numbers are an error.
Respondents who answered none of the items are left out. Items must be keyed in the same
direction (recode reversed items first): a reversed item lowers alpha and omega.

Cronbach's alpha and its Feldt interval are closed forms written here (scipy gives the F
quantiles); they were checked against R ``psych::alpha``. Omega fits a one-factor
maximum-likelihood model with ``statsmodels.multivariate.factor.Factor``, checked against
R ``factanal``; its interval is a seeded percentile bootstrap.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_choice, check_level, shown, to_array
from ._result import Result

__all__ = ["cronbach_alpha", "item_analysis", "mcdonald_omega"]

NAN_POLICIES = ("pairwise", "listwise")
"""Values of ``nan_policy``: covariances from every pair of answers, or complete rows."""


# -- reading items ---------------------------------------------------------------------
def _item_column(column: pd.Series, label: str) -> np.ndarray:
    """One item as floats (NaN for missing); ordered label categoricals by position."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = pd.Series(column.cat.categories)
        numeric = pd.to_numeric(categories, errors="coerce")
        if numeric.notna().all():
            return to_array(column, label)
        if column.cat.ordered:
            codes = column.cat.codes.to_numpy().astype("float64")
            codes[codes < 0] = np.nan
            return codes + 1.0
        raise StatsInputError(
            f"{label} is an unordered categorical with labels "
            f"{shown(list(categories[:4]))}; reliability needs scores: recode it to "
            f"numbers or make it an ordered categorical")
    return to_array(column, label)


def _read_items(items: Any, *, min_rows: int = 2) -> pd.DataFrame:
    """Items as a float DataFrame without respondents who answered nothing."""
    if isinstance(items, np.ndarray) and items.ndim == 2:
        items = pd.DataFrame(items, columns=[f"item{i + 1}" for i in range(items.shape[1])])
    if not isinstance(items, pd.DataFrame):
        raise StatsInputError(f"items must be a table (DataFrame) with one column per item "
                              f"and one row per respondent, not {shown(items)}")
    if items.shape[1] < 2:
        raise StatsInputError(
            f"items needs at least 2 item columns; got {items.shape[1]} "
            f"({', '.join(map(repr, items.columns)) or 'none'}): a scale of one item has "
            f"no internal consistency")
    columns = {}
    for name in items.columns:
        values = _item_column(items[name], f"items[{name!r}]")
        if np.isinf(values).any():
            raise StatsInputError(f"items[{name!r}] contains infinite values")
        columns[name] = values
    frame = pd.DataFrame(columns, index=items.index)
    frame = frame.loc[frame.notna().any(axis=1)]
    if len(frame) < min_rows:
        raise StatsInputError(f"items needs answers from at least {min_rows} respondents; "
                              f"got {len(frame)}")
    return frame


def _check_variance(frame: pd.DataFrame, what: str) -> None:
    for name in frame.columns:
        values = frame[name].dropna()
        if len(values) < 2:
            raise StatsInputError(f"items[{name!r}] has fewer than 2 answers{what}; "
                                  f"drop the item or collect more answers")
        if values.nunique() == 1:
            raise StatsInputError(
                f"items[{name!r}] has the same answer ({values.iloc[0]:g}) from every "
                f"respondent{what}, so it says nothing about differences between "
                f"respondents; drop it from the scale")


def _prepared(items: Any, nan_policy: str) -> pd.DataFrame:
    check_choice("nan_policy", nan_policy, NAN_POLICIES)
    frame = _read_items(items)
    what = ""
    if nan_policy == "listwise":
        complete = frame.dropna()
        if len(complete) < 2:
            raise StatsInputError(f"items has {len(complete)} respondent(s) who answered "
                                  f"every item; listwise deletion needs at least 2 (try "
                                  f"nan_policy='pairwise')")
        frame, what = complete, " who answered every item"
    _check_variance(frame, what)
    return frame


def _covariance(frame: pd.DataFrame) -> np.ndarray:
    cov = frame.cov(min_periods=2).to_numpy()
    if np.isnan(cov).any():
        i, j = np.argwhere(np.isnan(cov))[0]
        raise StatsInputError(
            f"items[{frame.columns[i]!r}] and items[{frame.columns[j]!r}] were answered "
            f"together by fewer than 2 respondents, so their covariance is unknown")
    return cov


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = float(cov.sum())
    if total <= 0:
        return math.nan
    return k / (k - 1) * (1.0 - float(np.trace(cov)) / total)


# -- public functions ------------------------------------------------------------------
def cronbach_alpha(items: Any, *, level: float = 0.95,
                   nan_policy: Literal["pairwise", "listwise"] = "pairwise") -> Result:
    r"""Cronbach's alpha of a scale, with Feldt's interval.

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per respondent (numbers, or ordered categoricals:
        see the module docstring). At least 2 items and 2 respondents.
    level : float
        Confidence level of the interval.
    nan_policy : {"pairwise", "listwise"}
        ``"pairwise"`` (default, as R ``psych::alpha``): each variance and covariance
        uses every respondent who answered the item(s) concerned, and ``n`` counts every
        respondent who answered at least one item. ``"listwise"``: only respondents who
        answered every item.

    Returns
    -------
    Result
        ``estimate`` alpha; ``ci_low``, ``ci_high`` Feldt's interval; ``se`` the
        asymptotic standard error of Duhachek & Iacobucci (2004); ``n`` respondents;
        ``extra``: ``n_items``, ``nan_policy``.

    Notes
    -----
    With :math:`C` the :math:`k \times k` covariance matrix of the items,

    .. math::

        \alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}{\mathbf 1' C \mathbf 1}
        \right).

    Feldt, Woodruff & Salih (1987): :math:`(1-\hat\alpha)/(1-\alpha)` follows an F
    distribution with :math:`n-1` and :math:`(n-1)(k-1)` degrees of freedom, so

    .. math::

        \left[1 - (1-\hat\alpha) F_{1-a/2},\; 1 - (1-\hat\alpha) F_{a/2}\right],
        \quad a = 1 - \text{level}.

    The standard error is :math:`\sqrt{Q/n}` with
    :math:`Q = \frac{2k^2}{(k-1)^2 (\mathbf 1'C\mathbf 1)^3}\left[\mathbf 1'C\mathbf 1
    \,(\operatorname{tr} C^2 + (\operatorname{tr} C)^2) - 2 \operatorname{tr} C \;
    \mathbf 1'C^2\mathbf 1\right]` (Duhachek & Iacobucci 2004; psych's ``ase``).
    Checked against R ``psych::alpha(x)`` (``total$raw_alpha``, ``total$ase``,
    ``feldt``) on seeded Likert data and the Real Statistics example
    (``tests/r/reliability.R``).

    References: Cronbach, L. J. (1951). Psychometrika, 16, 297-334. Feldt, L. S.,
    Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for coefficient alpha.
    Applied Psychological Measurement, 11(1), 93-103. Duhachek, A., & Iacobucci, D.
    (2004). Alpha's standard error (ASE). Journal of Applied Psychology, 89(5), 792-808.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5], "q2": [4, 4, 3, 5, 2, 4],
    ...                       "q3": [3, 5, 2, 4, 1, 5]})
    >>> res = cronbach_alpha(items)
    >>> round(res.estimate, 3), round(res.ci_low, 3), round(res.ci_high, 3)
    (0.928, 0.694, 0.989)
    """
    from scipy import stats

    level = check_level(level)
    frame = _prepared(items, nan_policy)
    cov = _covariance(frame)
    n, k = len(frame), frame.shape[1]
    alpha = _alpha(cov)
    a = 1.0 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    ci_low = 1.0 - (1.0 - alpha) * float(stats.f.ppf(1.0 - a / 2.0, df1, df2))
    ci_high = 1.0 - (1.0 - alpha) * float(stats.f.ppf(a / 2.0, df1, df2))
    total, trace = float(cov.sum()), float(np.trace(cov))
    cov2 = cov @ cov
    q = (2.0 * k ** 2 / ((k - 1) ** 2 * total ** 3)) * (
        total * (float(np.trace(cov2)) + trace ** 2) - 2.0 * trace * float(cov2.sum()))
    return Result(
        name="Cronbach's alpha", estimate=alpha, ci_low=ci_low, ci_high=ci_high, n=n,
        level=level, se=math.sqrt(q / n) if q >= 0 else math.nan,
        method=(f"Feldt F interval (Feldt, Woodruff & Salih 1987), df {df1} and {df2}; "
                f"standard error of Duhachek & Iacobucci (2004); {nan_policy} deletion "
                f"of missing answers"),
        definition=(f"internal consistency of the unweighted sum of {k} items: "
                    f"k/(k-1) x (1 - sum of item variances / variance of the sum)"),
        extra={"n_items": k, "nan_policy": nan_policy})


def item_analysis(items: Any, *,
                  nan_policy: Literal["pairwise", "listwise"] = "pairwise") -> pd.DataFrame:
    r"""Per-item statistics of a scale: mean, sd, item-rest correlation, alpha if deleted.

    Parameters
    ----------
    items : DataFrame
        As for :func:`cronbach_alpha`.
    nan_policy : {"pairwise", "listwise"}
        As for :func:`cronbach_alpha`; with ``"pairwise"``, means and standard
        deviations use every answer to the item.

    Returns
    -------
    DataFrame
        One row per item, columns ``item``, ``n`` (answers used), ``mean``, ``sd``,
        ``item_rest_r`` (corrected item-total correlation: the item against the sum of
        the other items) and ``alpha_if_deleted`` (Cronbach's alpha of the other items;
        NaN when only one item would be left).

    Notes
    -----
    From the covariance matrix :math:`C` (pairwise or listwise, as for alpha), item
    :math:`i` against the rest :math:`R_i = \sum_{j \ne i} X_j`:

    .. math::

        r_{i,R_i} = \frac{\sum_{j \ne i} C_{ij}}{\sqrt{C_{ii}
        \sum_{j \ne i}\sum_{l \ne i} C_{jl}}}.

    Checked against R ``psych::alpha(x)``: ``item.stats$r.drop``,
    ``alpha.drop$raw_alpha``, ``item.stats$mean`` and ``item.stats$sd``.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5], "q2": [4, 4, 3, 5, 2, 4],
    ...                       "q3": [3, 5, 2, 4, 1, 5]})
    >>> item_analysis(items).round(3)
      item  n   mean     sd  item_rest_r  alpha_if_deleted
    0   q1  6  3.833  1.169        0.947             0.833
    1   q2  6  3.667  1.033        0.788             0.961
    2   q3  6  3.333  1.633        0.945             0.868
    """
    frame = _prepared(items, nan_policy)
    cov = _covariance(frame)
    k = cov.shape[0]
    rest_r, alpha_drop = [], []
    for i in range(k):
        keep = np.arange(k) != i
        rest_var = float(cov[np.ix_(keep, keep)].sum())
        covar = float(cov[i, keep].sum())
        rest_r.append(covar / math.sqrt(cov[i, i] * rest_var) if rest_var > 0 else math.nan)
        alpha_drop.append(_alpha(cov[np.ix_(keep, keep)]) if k > 2 else math.nan)
    return pd.DataFrame({
        "item": list(frame.columns),
        "n": frame.notna().sum().to_numpy().astype("int64"),
        "mean": frame.mean().to_numpy(),
        "sd": frame.std(ddof=1).to_numpy(),
        "item_rest_r": rest_r,
        "alpha_if_deleted": alpha_drop,
    })


def _one_factor(data: np.ndarray | None, corr: np.ndarray | None, n: int,
                start: tuple[np.ndarray, np.ndarray] | None,
                seed: int) -> tuple[float, np.ndarray, np.ndarray, bool]:
    """Omega, loadings and uniquenesses of a one-factor ML fit (statsmodels)."""
    from statsmodels.multivariate.factor import Factor

    model = (Factor(data, n_factor=1, method="ml") if data is not None
             else Factor(corr=corr, n_factor=1, method="ml", nobs=n))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(start=start, rng=seed)
    converged = not any("converge" in str(w.message) for w in caught)
    loadings = np.asarray(model.loadings, dtype="float64")[:, 0]
    uniqueness = np.asarray(model.uniqueness, dtype="float64")
    if loadings.sum() < 0:
        loadings = -loadings
    common = float(loadings.sum()) ** 2
    return common / (common + float(uniqueness.sum())), loadings, uniqueness, converged


def mcdonald_omega(items: Any, *, level: float = 0.95, n_boot: int = 1000,
                   seed: int = 0) -> Result:
    r"""McDonald's omega (total) of a scale, from a one-factor model.

    Parameters
    ----------
    items : DataFrame
        As for :func:`cronbach_alpha`. The model is fit to respondents who answered
        every item (listwise deletion; the number left out is in ``extra``).
    level : float
        Confidence level of the bootstrap interval.
    n_boot : int
        Bootstrap resamples of respondents for the interval (0: no interval, NaN).
        Each refits the factor model, so 1,000 take a few seconds.
    seed : int
        Seed of the bootstrap and of the model's starting values: the same data and
        seed give the same result.

    Returns
    -------
    Result
        ``estimate`` omega; ``ci_low``, ``ci_high`` the percentile bootstrap interval;
        ``se`` the bootstrap standard deviation; ``n`` complete respondents; ``extra``:
        ``n_items``, ``n_dropped`` (respondents with a missing answer), ``loadings``
        (standardised, item name to loading), ``n_boot``, ``seed``, ``boot_failed``
        (resamples with a constant item or without a finite fit) and ``heywood`` (a uniqueness near 0, which
        makes omega unreliable).

    Raises
    ------
    StatsInputError
        Besides bad input: when the model does not converge on the full data (often a
        Heywood case with few respondents or near-duplicate items).

    Notes
    -----
    A one-factor model is fit by maximum likelihood to the items' correlation matrix
    (``statsmodels.multivariate.factor.Factor(method="ml")``), giving standardised
    loadings :math:`\lambda_i` and uniquenesses :math:`\psi_i = 1 - \lambda_i^2`.
    Omega total is the share of the variance of the sum of the standardised items that
    the common factor explains:

    .. math::

        \omega = \frac{(\sum_i \lambda_i)^2}{(\sum_i \lambda_i)^2 + \sum_i \psi_i}.

    Loadings are oriented so that their sum is positive. Checked against R
    ``factanal(x, factors = 1)`` with the same formula (``tests/r/reliability.R``;
    R ``psych::omega`` fits a hierarchical model by default and needs GPArotation, so it
    is not the reference). No well-kept library gives an interval for omega; the
    percentile bootstrap over respondents is the method Kelley & Pornprasertmanit (2016)
    recommend.

    References: McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum.
    Kelley, K., & Pornprasertmanit, S. (2016). Confidence intervals for population
    reliability coefficients. Psychological Methods, 21(1), 69-92.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> factor = rng.normal(size=200)
    >>> items = pd.DataFrame({f"q{i}": np.clip(np.round(3 + factor + rng.normal(size=200)),
    ...                                        1, 5) for i in range(1, 5)})
    >>> res = mcdonald_omega(items, n_boot=100)
    >>> round(res.estimate, 2)
    0.73
    """
    level = check_level(level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise StatsInputError(f"n_boot must be a whole number of at least 0; got "
                              f"{shown(n_boot)}")
    frame = _read_items(items)
    _check_variance(frame, "")
    complete = frame.dropna()
    k = frame.shape[1]
    if len(complete) <= k:
        raise StatsInputError(
            f"items has {len(complete)} respondent(s) who answered every item; a factor "
            f"model of {k} items needs more than {k}")
    _check_variance(complete, " who answered every item")
    data = complete.to_numpy()
    n = len(data)
    omega, loadings, uniqueness, converged = _one_factor(data, None, n, None, seed)
    if not converged:
        heywood = " (an item's uniqueness went to 0: a Heywood case)" \
            if uniqueness.min() < 1e-2 else ""
        raise StatsInputError(
            f"items: the one-factor model did not converge{heywood}; this happens with few "
            f"respondents ({n} here), near-duplicate items, or items that do not measure "
            f"one thing; report alpha instead, or collect more answers")
    boots: list[float] = []
    failed = 0
    if n_boot:
        rng = np.random.default_rng(seed)
        start = (loadings[:, None], uniqueness)
        for _ in range(int(n_boot)):
            sample = data[rng.integers(0, n, n)]
            sd = sample.std(axis=0)
            if (sd == 0).any():
                failed += 1
                continue
            value, _, _, _ = _one_factor(None, np.corrcoef(sample, rowvar=False), n,
                                         start, seed)
            if math.isfinite(value):
                boots.append(value)
            else:
                failed += 1
    if boots:
        tail = (1.0 - level) / 2.0
        ci_low, ci_high = (float(v) for v in np.quantile(boots, [tail, 1.0 - tail]))
        se: float | None = float(np.std(boots, ddof=1)) if len(boots) > 1 else None
        method = (f"one-factor maximum-likelihood model (statsmodels Factor); percentile "
                  f"bootstrap over respondents ({len(boots)} resamples, seed {seed})")
    else:
        ci_low = ci_high = math.nan
        se = None
        method = ("one-factor maximum-likelihood model (statsmodels Factor); no interval "
                  "(n_boot=0)" if not n_boot else
                  "one-factor maximum-likelihood model (statsmodels Factor); no "
                  "bootstrap resample could be fit, so no interval")
    return Result(
        name="McDonald's omega", estimate=omega, ci_low=ci_low, ci_high=ci_high, n=n,
        level=level, se=se, method=method,
        definition=(f"omega total: share of the variance of the sum of {k} standardised "
                    f"items explained by one common factor, (sum of loadings)^2 / "
                    f"((sum of loadings)^2 + sum of uniquenesses)"),
        extra={"n_items": k, "n_dropped": len(frame) - n,
               "loadings": dict(zip(map(str, frame.columns), map(float, loadings))),
               "n_boot": int(n_boot), "seed": seed, "boot_failed": failed,
               "heywood": bool(uniqueness.min() < 1e-3)})
