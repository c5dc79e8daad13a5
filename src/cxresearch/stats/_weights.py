"""Survey weights: post-stratification, raking to known margins, effective sample size.

A sample whose make-up differs from the population (too many young respondents, too few
from one region) is weighted so that it matches known population figures, and every
weighted estimate in :mod:`cxresearch.stats` reports the Kish effective sample size
that the weights leave. Our own code (numpy and pandas): statsmodels has no
post-stratification or raking; the results match R's ``survey::postStratify`` and
``survey::rake`` definitions and were checked against plain R (``stats::loglin`` does
the same iterative proportional fitting), see ``tests/r/metrics.R``.
"""

from __future__ import annotations

from typing import Any, Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, shown, to_array

__all__ = ["effective_n", "poststratify", "rake", "as_weights"]


def as_weights(weights: Any, name: str = "weights", *, size: int | None = None
               ) -> np.ndarray:
    """Weights as a float array: finite, at least 0, not all 0 (and ``size`` long)."""
    array = to_array(weights, name)
    if size is not None and array.size != size:
        raise StatsInputError(f"{name} must have one weight per answer ({size:,}); got "
                              f"{array.size:,}")
    if array.size == 0:
        raise StatsInputError(f"{name} is empty")
    bad = ~np.isfinite(array)
    if bad.any():
        raise StatsInputError(f"{name} must be finite numbers; {int(bad.sum())} are "
                              f"missing or infinite (the first at position "
                              f"{int(np.flatnonzero(bad)[0])}); give every answer a weight")
    if (array < 0).any():
        raise StatsInputError(f"{name} must be at least 0; got "
                              f"{shown(float(array[array < 0][0]))}")
    if array.sum() <= 0:
        raise StatsInputError(f"{name} are all 0; at least one answer needs a weight "
                              f"above 0")
    return array


def effective_n(weights: Any) -> float:
    """Kish's effective sample size of a set of weights.

    Parameters
    ----------
    weights : sequence of float
        One weight per respondent (at least 0, not all 0, no missing values).

    Returns
    -------
    float
        ``(sum w)^2 / sum w^2``: the number of unweighted respondents that would give
        a mean as precise as the weighted one. Equal weights give ``n``.

    Notes
    -----
    Kish, L. (1965). *Survey Sampling*, Wiley, section 11.7. Checked by hand and in R
    (``sum(w)^2 / sum(w^2)``, ``tests/r/metrics.R``).

    Examples
    --------
    >>> effective_n([1, 1, 1, 1])
    4.0
    >>> round(effective_n([0.5, 0.5, 1.5, 1.5]), 3)
    3.2
    """
    w = as_weights(weights)
    return float(w.sum() ** 2 / (w ** 2).sum())


# -- reading strata --------------------------------------------------------------------
def _columns(data: Any, columns: Any, name: str) -> list[Hashable]:
    if not isinstance(data, pd.DataFrame):
        raise StatsInputError(f"data must be a pandas DataFrame with one row per "
                              f"respondent, not {type(data).__name__}")
    if len(data) == 0:
        raise StatsInputError("data has no rows")
    cols: list[Hashable] = [columns] if isinstance(columns, (str, int)) \
        else list(columns)
    if not cols:
        raise StatsInputError(f"{name} must name at least one column of data")
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise StatsInputError(f"{name}: data has no column {missing[0]!r}; its columns "
                              f"are {', '.join(map(repr, list(data.columns)[:12]))}")
    for col in cols:
        blank = data[col].isna()
        if blank.any():
            raise StatsInputError(
                f"{name}: column {col!r} is missing for {int(blank.sum())} respondent(s) "
                f"(the first is row {data.index[blank.to_numpy()][0]!r}); weights need a "
                f"known stratum for everyone: fill it in or drop those rows")
    return cols


def _targets(values: Any, name: str) -> pd.Series:
    """Population counts or shares per category, as shares summing to 1."""
    if isinstance(values, pd.Series):
        series = values.copy()
    elif isinstance(values, Mapping):
        series = pd.Series(list(values.values()),
                           index=pd.Index(list(values.keys()), tupleize_cols=False),
                           dtype="object")
    else:
        raise StatsInputError(f"{name} must be a mapping {{category: count or share}} "
                              f"or a pandas Series, not {shown(values)}")
    if isinstance(series.index, pd.MultiIndex):
        series.index = pd.Index(list(series.index), tupleize_cols=False)
    numbers = pd.to_numeric(series, errors="coerce")
    if len(numbers) == 0 or numbers.isna().any() or (numbers < 0).any() \
            or not np.isfinite(numbers.to_numpy(dtype="float64")).all() \
            or float(numbers.sum()) <= 0:
        raise StatsInputError(f"{name} must give each category a count or share of at "
                              f"least 0 (not all 0); got {shown(dict(series))}")
    return numbers.astype("float64") / float(numbers.sum())


def _keys(data: pd.DataFrame, cols: Sequence[Hashable]) -> pd.Series:
    if len(cols) == 1:
        return data[cols[0]]
    return pd.Series(list(zip(*(data[c] for c in cols))), index=data.index,
                     dtype="object")


def _shown_key(key: Hashable) -> str:
    return repr(key)


def poststratify(data: pd.DataFrame, strata: str | Sequence[str],
                 population: Mapping[Any, float] | pd.Series) -> pd.Series:
    """Weights that make the sample's strata shares equal to the population's.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    strata : str or list of str
        The column(s) that define a stratum (e.g. ``"region"``, or ``["region",
        "age_group"]`` for their combinations).
    population : mapping or Series
        Population count or share of every stratum: ``{"north": 4_000, ...}``; with
        several columns, keys are tuples in the order of ``strata``. Counts and shares
        both work (they are divided by their total).

    Returns
    -------
    Series
        ``weight`` per row of ``data`` (same index), with mean 1.

    Raises
    ------
    StatsInputError
        When a stratum in the sample has no population figure, a stratum with a
        population share above 0 has no respondents, or a stratum value is missing.

    Notes
    -----
    For a respondent in stratum ``h``: ``w = P_h / (n_h / n)``, with ``P_h`` the
    population share and ``n_h`` of the ``n`` respondents in ``h``; then
    ``sum w = n`` and the weighted share of ``h`` is ``P_h`` (Kalton & Flores-Cervantes
    2003, "Weighting methods", *Journal of Official Statistics* 19(2), section 2.1;
    R ``survey::postStratify``). Checked against a hand computation in R
    (``tests/r/metrics.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"region": ["north"] * 3 + ["south"]})
    >>> poststratify(data, "region", {"north": 50, "south": 50}).round(3).tolist()
    [0.667, 0.667, 0.667, 2.0]
    """
    cols = _columns(data, strata, "strata")
    shares = _targets(population, "population")
    keys = _keys(data, cols)
    sample = keys.value_counts(sort=False)
    unknown = [k for k in sample.index if k not in shares.index]
    if unknown:
        raise StatsInputError(
            f"population has no figure for stratum {_shown_key(unknown[0])} "
            f"({int(sample[unknown[0]])} respondent(s)); give every stratum in the sample "
            f"a population count or share (strata given: "
            f"{', '.join(map(_shown_key, list(shares.index)[:8]))})")
    empty = [k for k in shares.index if k not in sample.index and shares[k] > 0]
    if empty:
        raise StatsInputError(
            f"stratum {_shown_key(empty[0])} has a population share of "
            f"{shares[empty[0]]:.3g} but no respondents; merge it with a neighbouring "
            f"stratum or rake to margins instead")
    n = len(data)
    factor = shares.reindex(sample.index) / (sample.astype("float64") / n)
    weights = keys.map(factor).astype("float64")
    return pd.Series(weights.to_numpy(), index=data.index, name="weight")


def rake(data: pd.DataFrame, margins: Mapping[Any, Mapping[Any, float] | pd.Series],
         max_iter: int = 100, tol: float = 1e-8) -> pd.Series:
    """Weights that match several known margins at once (iterative proportional fitting).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    margins : mapping
        ``{column: {category: population count or share}}``, e.g.
        ``{"region": {"north": .4, "south": .6}, "age": {"<40": .5, "40+": .5}}``.
    max_iter : int
        Most sweeps over all margins.
    tol : float
        Converged when every weighted share is within ``tol`` of its target.

    Returns
    -------
    Series
        ``weight`` per row of ``data`` (same index), with mean 1. ``.attrs`` holds
        ``iterations`` and ``effective_n``.

    Raises
    ------
    StatsInputError
        For a category without a target, a target category without respondents, a
        missing value in a margin column, or when the fit does not converge.

    Notes
    -----
    Raking (Deming & Stephan 1940, "On a least squares adjustment of a sampled frequency
    table when the expected marginal totals are known", *Ann. Math. Stat.* 11(4)):
    starting from ``w = 1``, each margin in turn multiplies the weights of category
    ``c`` by ``target_c / weighted share_c``; sweeps repeat until all margins hold.
    This is what R's ``survey::rake`` does; it was checked against ``stats::loglin``
    (the same fitting on the sample's cross-table) and a hand-written loop in R
    (``tests/r/metrics.R``).

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"sex": ["f", "f", "m", "m", "m"],
    ...                      "age": ["young", "old", "young", "old", "old"]})
    >>> w = rake(data, {"sex": {"f": .5, "m": .5}, "age": {"young": .5, "old": .5}})
    >>> w.groupby(data["sex"]).sum().round(6).tolist()
    [2.5, 2.5]
    """
    if not isinstance(margins, Mapping) or not margins:
        raise StatsInputError(f"margins must be a mapping {{column: {{category: count or "
                              f"share}}}} with at least one column, not {shown(margins)}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) \
            or max_iter < 1:
        raise StatsInputError(f"max_iter must be a whole number of at least 1, not "
                              f"{max_iter!r}")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not tol > 0:
        raise StatsInputError(f"tol must be a number above 0, not {tol!r}")
    cols = _columns(data, list(margins), "margins")
    n = len(data)
    fits: list[tuple[np.ndarray, np.ndarray]] = []
    for col in cols:
        shares = _targets(margins[col], f"margins[{col!r}]")
        codes, uniques = pd.factorize(data[col], sort=False)
        unknown = [u for u in uniques if u not in shares.index]
        if unknown:
            raise StatsInputError(
                f"margins[{col!r}] has no target for category {unknown[0]!r} "
                f"({int((data[col] == unknown[0]).sum())} respondent(s)); targets given: "
                f"{', '.join(map(repr, list(shares.index)[:8]))}")
        empty = [k for k in shares.index if k not in set(uniques) and shares[k] > 0]
        if empty:
            raise StatsInputError(
                f"margins[{col!r}]: category {empty[0]!r} has a target share of "
                f"{shares[empty[0]]:.3g} but no respondents; merge it with another "
                f"category")
        fits.append((codes, shares.reindex(uniques).to_numpy(dtype="float64")))
    w = np.ones(n)
    gap = np.inf
    for iteration in range(1, int(max_iter) + 1):
        for codes, target in fits:
            current = np.bincount(codes, weights=w, minlength=target.size) / w.sum()
            w = w * (target / current)[codes]
        gap = max(float(np.abs(np.bincount(codes, weights=w, minlength=target.size)
                               / w.sum() - target).max()) for codes, target in fits)
        if gap < tol:
            break
    else:
        raise StatsInputError(
            f"rake did not converge in {max_iter} sweeps (the largest gap between a "
            f"weighted share and its target is still {gap:.2g}, tol = {tol:g}); the "
            f"margins may not fit this sample (a combination they need may have no "
            f"respondents). Check the margins, merge sparse categories or raise max_iter")
    w = w * n / w.sum()
    out = pd.Series(w, index=data.index, name="weight")
    out.attrs.update({"iterations": iteration,
                      "effective_n": float(w.sum() ** 2 / (w ** 2).sum())})
    return out
