"""Designs for "did the change make a difference": difference-in-differences (this
module) and interrupted time series (:mod:`._its`, which shares the readers below).

Both are ordinary least squares fits from statsmodels with robust standard errors; this
module reads the data, builds the design matrix, checks what can go wrong (a group column
with one level, an intervention outside the series, a series with a gap) and returns a
:class:`Result` whose ``extra`` holds the caveats a reader should know.

``did``
    ``outcome ~ treated + post + treated:post (+ covariates)``, cluster-robust standard
    errors (CR1) when a cluster column is given, HC1 otherwise.
``its``
    segmented regression ``y = b0 + b1 t + b2 post + b3 (t - t0) post (+ seasons)`` with
    Newey-West (HAC) standard errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Hashable, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, as_numbers, check_choice, check_level, shown
from ._result import Result

__all__ = ["did", "FEW_CLUSTERS"]

FEW_CLUSTERS = 30
"""Below this many clusters, :func:`did` flags its cluster-robust errors as unreliable
(Cameron & Miller 2015, "A practitioner's guide to cluster-robust inference")."""



# -- shared readers ---------------------------------------------------------------------
def _frame(data: Any) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise StatsInputError(f"data must be a pandas DataFrame with one row per "
                              f"observation; got {type(data).__name__}")
    if data.empty:
        raise StatsInputError("data is empty: it has no rows")
    return data


def _need_columns(data: pd.DataFrame, wanted: dict[str, Hashable]) -> None:
    missing = [f"{arg}={col!r}" for arg, col in wanted.items() if col not in data.columns]
    if missing:
        listed = ", ".join(map(repr, list(data.columns)[:12]))
        raise StatsInputError(f"data has no column for {', '.join(missing)}; its columns "
                              f"are {listed}")


def _complete(data: pd.DataFrame, columns: Sequence[Hashable]) -> tuple[pd.DataFrame, int]:
    """Rows with a value in every column used (listwise deletion), and how many went."""
    kept = data.loc[data[list(columns)].notna().all(axis=1)]
    return kept, len(data) - len(kept)


def _outcome(data: pd.DataFrame, outcome: Hashable) -> np.ndarray:
    return as_numbers(data[outcome], f"outcome (column {outcome!r})")


def _fit(y: np.ndarray, x: np.ndarray, names: list[str], **fit: Any) -> Any:
    import statsmodels.api as sm

    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        raise StatsInputError(
            f"the model cannot be estimated: its terms ({', '.join(names)}) are "
            f"collinear (rank {rank} of {x.shape[1]}); drop a covariate or a season that "
            f"repeats another term")
    if x.shape[0] <= x.shape[1]:
        raise StatsInputError(f"the model has {x.shape[1]} terms but only {x.shape[0]} "
                              f"observations; it needs more observations than terms")
    return sm.OLS(y, x).fit(use_t=True, **fit)


def _coefficient(res: Any, index: int | np.ndarray, *, name: str, n: int, level: float,
                 method: str, definition: str, **more: Any) -> Result:
    contrast = np.zeros(len(res.params))
    contrast[index] = 1.0
    test = res.t_test(contrast)
    low, high = np.asarray(test.conf_int(alpha=1 - level)).ravel()
    return Result(name=name, estimate=float(np.squeeze(test.effect)), ci_low=low,
                  ci_high=high, n=n, method=method, definition=definition,
                  p_value=float(np.squeeze(test.pvalue)), level=level,
                  se=float(np.squeeze(test.sd)), statistic=float(np.squeeze(test.tvalue)),
                  df=None if getattr(test, "df_denom", None) is None else float(test.df_denom),
                  **more)


# -- difference-in-differences ----------------------------------------------------------
def _indicator(data: pd.DataFrame, spec: Any, arg: str,
               words: tuple[str, str]) -> tuple[np.ndarray, Hashable, Any, Any]:
    """A 0/1 column from a two-level column; ``spec`` is a column or ``(column, level)``.

    Returns the indicator, the column, the level coded 1 and the level coded 0.
    """
    one, zero = words
    column, level = spec, None
    if isinstance(spec, tuple) and len(spec) == 2 and spec not in data.columns:
        column, level = spec
    values = data[column]
    levels = [v.item() if isinstance(v, np.generic) else v for v in pd.unique(values)]
    try:
        levels = sorted(levels)
    except TypeError:
        pass
    if len(levels) < 2:
        only = shown(levels[0]) if levels else "none"
        raise StatsInputError(f"{arg} (column {column!r}) has only one level ({only}); "
                              f"difference-in-differences needs {one} and {zero} rows")
    if len(levels) > 2:
        raise StatsInputError(
            f"{arg} (column {column!r}) must have two levels ({one} and {zero}); it has "
            f"{len(levels)}: {shown(levels)}")
    if level is not None:
        if level not in levels:
            raise StatsInputError(f"{arg}: level {level!r} is not in column {column!r}, "
                                  f"whose levels are {shown(levels)}")
        other = levels[1] if levels[0] == level else levels[0]
        return (values == level).to_numpy(dtype="float64"), column, level, other
    numeric = all(isinstance(v, (bool, int, float, np.bool_, np.integer, np.floating))
                  for v in levels)
    if numeric and {float(v) for v in levels} == {0.0, 1.0}:
        return values.astype("float64").to_numpy(), column, 1, 0
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        present = [c for c in dtype.categories if c in levels]
        last = (values == present[1]).to_numpy(dtype="float64")
        return last, column, present[1], present[0]
    raise StatsInputError(
        f"{arg} (column {column!r}) has levels {levels[0]!r} and {levels[1]!r}; it is not "
        f"clear which one is {one}. Code the column 0/1 (1 = {one}), or name the level: "
        f"{arg}=({column!r}, {levels[1]!r})")


def _covariates(data: pd.DataFrame, covariates: Any,
                used: Sequence[Hashable]) -> tuple[np.ndarray, list[str]]:
    if covariates is None:
        return np.empty((len(data), 0)), []
    columns = [covariates] if isinstance(covariates, str) else list(covariates)
    blocks, names = [], []
    for column in columns:
        if column in used:
            raise StatsInputError(f"covariates: {column!r} is already the outcome, "
                                  f"treated, post or cluster column")
        values = data[column]
        if pd.api.types.is_numeric_dtype(values.dtype):  # bool counts as numeric
            block = values.astype("float64").to_numpy()[:, None]
            label = [str(column)]
        else:
            dummies = pd.get_dummies(values.astype("object"), prefix=str(column),
                                     prefix_sep="=", drop_first=True, dtype="float64")
            block, label = dummies.to_numpy(), list(dummies.columns)
        if block.shape[1] == 0 or np.ptp(block, axis=0).min() == 0:
            raise StatsInputError(f"covariates: column {column!r} takes one value only in "
                                  f"the rows used; leave it out")
        blocks.append(block)
        names += label
    return np.column_stack(blocks), names


def did(data: pd.DataFrame, outcome: Hashable, treated: Any, post: Any,
        cluster: Hashable | None = None, *, covariates: Sequence[Hashable] | None = None,
        level: float = 0.95) -> Result:
    r"""Difference-in-differences: the change in the improved group minus the change in a
    group that did not change.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (or per unit and period).
    outcome : column
        Numeric outcome (a score, a 0/1 answer).
    treated, post : column or (column, level)
        Two-level columns: which rows are in the improved group, which were measured
        after the change. A column coded 0/1 (or bool) needs nothing more (1 or True is
        treated / after); an ordered categorical takes its last category; any other
        two-level column needs the level named, e.g. ``treated=("branch", "Utrecht")``,
        ``post=("wave", "after")``.
    cluster : column, optional
        The unit that was changed or sampled as a whole (branch, team, region): standard
        errors are cluster-robust. Without it, respondents count as independent (HC1).
    covariates : list of columns, optional
        Added to the model; a non-numeric covariate enters as dummies (first level left
        out).
    level : float
        Confidence level of the interval.

    Returns
    -------
    Result
        ``estimate`` is the interaction coefficient :math:`\beta_3` in outcome units,
        with interval, t statistic and p-value. ``extra`` holds the four cell means and
        sizes (``mean_treated_pre`` ... ``n_control_post``), the levels read as
        treated/control and after/before, ``n_clusters``, ``n_clusters_treated``,
        ``few_clusters`` (True below :data:`FEW_CLUSTERS`), ``n_dropped`` (rows left out
        for a missing value) and ``caveats`` (a tuple of sentences).

    Notes
    -----
    OLS of :math:`y = \beta_0 + \beta_1 T + \beta_2 P + \beta_3 T P + \gamma' x +
    \varepsilon` (statsmodels). Without covariates :math:`\hat\beta_3 = (\bar y_{T,post} -
    \bar y_{T,pre}) - (\bar y_{C,post} - \bar y_{C,pre})`. It is the effect of the change
    only if both groups would have changed alike without it (parallel trends).

    With ``cluster``: the CR1 sandwich :math:`\frac{G}{G-1}\frac{N-1}{N-K}(X'X)^{-1}
    \sum_g X_g'u_g u_g'X_g (X'X)^{-1}` (statsmodels ``cov_type="cluster"``), identical to
    R ``sandwich::vcovCL(fit, cluster = ~cl, type = "HC1")``; the t reference has
    :math:`G-1` degrees of freedom (as Stata; Cameron & Miller 2015), i.e. R
    ``lmtest::coeftest(fit, vcov = V, df = G - 1)``. R's ``coeftest`` without ``df`` uses
    :math:`N-K`, which is too optimistic with few clusters. Without ``cluster``: HC1 with
    :math:`N-K` degrees of freedom, as ``coeftest(fit, vcov = vcovHC(fit, type =
    "HC1"))``. Checked against both in ``tests/r/designs.R``.

    With fewer than about 30 clusters cluster-robust errors are too small (Cameron &
    Miller 2015); ``extra["few_clusters"]`` is then True and the caveat says so (a wild
    cluster bootstrap would be the next step). Rows with a missing value in a column
    used are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"treated": [0, 0, 0, 0, 1, 1, 1, 1] * 2,
    ...                    "post": [0, 0, 1, 1] * 4,
    ...                    "score": [3, 4, 3, 5, 3, 3, 5, 6, 4, 3, 4, 4, 2, 4, 5, 5]})
    >>> r = did(df, "score", "treated", "post")
    >>> round(r.estimate, 2), r.n
    (1.75, 16)
    >>> r.extra["mean_treated_post"], r.extra["mean_control_post"]
    (5.25, 4.0)
    """
    level = check_level(level)
    data = _frame(data)
    t_col = treated[0] if isinstance(treated, tuple) and treated not in data.columns \
        else treated
    p_col = post[0] if isinstance(post, tuple) and post not in data.columns else post
    wanted: dict[str, Hashable] = {"outcome": outcome, "treated": t_col, "post": p_col}
    if cluster is not None:
        wanted["cluster"] = cluster
    cov_cols = [] if covariates is None else (
        [covariates] if isinstance(covariates, str) else list(covariates))
    wanted.update({f"covariates[{i}]": c for i, c in enumerate(cov_cols)})
    _need_columns(data, wanted)
    rows, dropped = _complete(data, list(dict.fromkeys(wanted.values())))
    if rows.empty:
        raise StatsInputError("no row of data has a value in every column used "
                              f"({', '.join(map(repr, dict.fromkeys(wanted.values())))})")
    y = _outcome(rows, outcome)
    d_t, _, t_one, t_zero = _indicator(rows, treated, "treated", ("treated", "control"))
    d_p, _, p_one, p_zero = _indicator(rows, post, "post", ("after", "before"))
    cells = {}
    for tname, tv in (("treated", 1.0), ("control", 0.0)):
        for pname, pv in (("pre", 0.0), ("post", 1.0)):
            mask = (d_t == tv) & (d_p == pv)
            if not mask.any():
                raise StatsInputError(
                    f"no {tname} rows {'after' if pv else 'before'} the change "
                    f"({t_col!r} = {t_one if tv else t_zero!r}, {p_col!r} = "
                    f"{p_one if pv else p_zero!r}); all four groups need data")
            cells[f"mean_{tname}_{pname}"] = float(y[mask].mean())
            cells[f"n_{tname}_{pname}"] = int(mask.sum())
    z, z_names = _covariates(rows, covariates, [outcome, t_col, p_col, cluster])
    x = np.column_stack([np.ones_like(y), d_t, d_p, d_t * d_p, z])
    names = ["const", "treated", "post", "treated:post", *z_names]
    caveats: list[str] = []
    if cluster is not None:
        groups, uniques = pd.factorize(rows[cluster])
        g = len(uniques)
        if g < 2:
            raise StatsInputError(f"cluster (column {cluster!r}) has one level only "
                                  f"({shown(uniques[0])}); it needs at least two clusters")
        g_treated = int(pd.Series(d_t).groupby(groups).max().sum())
        res = _fit(y, x, names, cov_type="cluster", cov_kwds={"groups": groups})
        method = (f"OLS with cluster-robust standard errors (CR1, {g} clusters of "
                  f"{cluster!r}; as R sandwich::vcovCL type HC1), t with {g - 1} df")
        if g < FEW_CLUSTERS:
            caveats.append(
                f"only {g} clusters ({g_treated} treated): cluster-robust standard errors "
                f"are unreliable with fewer than about {FEW_CLUSTERS} clusters, so the "
                f"interval may be too narrow; a wild cluster bootstrap is safer")
    else:
        g, g_treated = 0, 0
        res = _fit(y, x, names, cov_type="HC1")
        method = "OLS with heteroskedasticity-robust standard errors (HC1), t with N-K df"
        caveats.append("no cluster given: respondents are treated as independent; if the "
                       "change was made per branch or team, pass cluster=")
    if dropped:
        caveats.append(f"{dropped} row(s) with a missing value were left out")
    text_cov = f", adjusted for {', '.join(map(str, cov_cols))}" if cov_cols else ""
    definition = (f"change in {outcome} in the treated group ({t_col} = {t_one!r}) from "
                  f"before ({p_col} = {p_zero!r}) to after ({p_one!r}), minus the same "
                  f"change in the control group ({t_zero!r}){text_cov}; in units of "
                  f"{outcome}; the effect of the change if both groups would otherwise "
                  f"have moved alike (parallel trends)")
    extra = {**cells, "treated_level": t_one, "control_level": t_zero,
             "post_level": p_one, "pre_level": p_zero, "covariates": tuple(cov_cols),
             "n_clusters": g, "n_clusters_treated": g_treated,
             "few_clusters": bool(cluster is not None and g < FEW_CLUSTERS),
             "n_dropped": dropped, "caveats": tuple(caveats)}
    return _coefficient(res, 3, name="difference-in-differences", n=len(y), level=level,
                        method=method, definition=definition, extra=extra)
