"""Designs for "did the change make a difference": difference-in-differences and
interrupted time series.

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

__all__ = ["did", "its", "FEW_CLUSTERS", "SEASONAL"]

FEW_CLUSTERS = 30
"""Below this many clusters, :func:`did` flags its cluster-robust errors as unreliable
(Cameron & Miller 2015, "A practitioner's guide to cluster-robust inference")."""

SEASONAL = ("month", "week", "weekday")
"""Values of ``its(seasonal=...)``."""

_FEW_PERIODS = 12  # per segment; Wagner et al. (2002)


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
                  df=float(test.df_denom), **more)


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


# -- interrupted time series ------------------------------------------------------------
_CYCLE = {"month": 12, "week": 52, "weekday": 7}


@dataclass(frozen=True)
class _Clock:
    """A series' time on a regular grid: ``t`` counts periods from the first one."""

    kind: str                  # "date" or "integer"
    base: str                  # "day", "week", "month" or "period"
    step: int                  # periods are ``step`` base units apart
    origin: Any                # first label: a Timestamp or a number
    position: np.ndarray       # base units of each (sorted) row, from a fixed zero
    dates: pd.DatetimeIndex | None

    @property
    def t(self) -> np.ndarray:
        return (self.position - self.position[0]) / self.step

    @property
    def unit(self) -> str:
        names = {("month", 3): "quarter", ("month", 12): "year"}
        if (self.base, self.step) in names:
            return names[(self.base, self.step)]
        return self.base if self.step == 1 else f"{self.step} {self.base}s"

    def base_of(self, value: Any) -> float:
        """Base-unit position of a label (date or number) on this clock."""
        if self.kind == "integer":
            return float(value)
        stamp = value.start_time if isinstance(value, pd.Period) else pd.Timestamp(value)
        if self.base == "month":
            return float(stamp.year * 12 + stamp.month - 1)
        days = (stamp - pd.Timestamp(self.origin)) / pd.Timedelta(days=1)
        return self.position[0] + days / (7.0 if self.base == "week" else 1.0)

    def label(self, t: float) -> str:
        """The label of period ``t`` (counted from the first)."""
        if self.kind == "integer":
            return f"{self.origin + t * self.step:g}"
        origin = pd.Timestamp(self.origin)
        if self.base == "month":
            stamp = origin + pd.DateOffset(months=int(round(t * self.step)))
        else:
            days = t * self.step * (7 if self.base == "week" else 1)
            stamp = origin + pd.Timedelta(days=days)
        return f"{stamp:%Y-%m-%d}"

    def seasons(self, seasonal: str) -> np.ndarray:
        if self.dates is None:
            return np.mod(self.position, _CYCLE[seasonal]).astype(int)
        if seasonal == "month":
            return np.asarray(self.dates.month)
        if seasonal == "week":
            return np.asarray(self.dates.isocalendar().week, dtype=int)
        return np.asarray(self.dates.day_of_week)


def _clock(values: pd.Series, column: Hashable) -> tuple[np.ndarray, _Clock]:
    """Read a time column (dates, periods or whole numbers); return the sort order and
    the clock of the sorted values. An irregular spacing is an error."""
    arg = f"time (column {column!r})"
    dtype = values.dtype
    dates: pd.DatetimeIndex | None = None
    numbers = np.empty(0)
    if isinstance(dtype, pd.PeriodDtype):
        dates = pd.DatetimeIndex(values.dt.start_time)
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        dates = pd.DatetimeIndex(values)
    elif pd.api.types.is_bool_dtype(dtype):
        raise StatsInputError(f"{arg} holds True/False; it must hold dates or whole-number "
                              f"periods")
    else:
        converted = pd.to_numeric(values, errors="coerce")
        if converted.notna().all():
            numbers = converted.astype("float64").to_numpy()
            if not np.allclose(numbers, np.round(numbers)):
                bad = numbers[numbers != np.round(numbers)][0]
                raise StatsInputError(f"{arg} must hold whole-number periods (or dates); "
                                      f"got e.g. {bad!r}")
        else:
            try:
                dates = pd.DatetimeIndex(pd.to_datetime(values.astype("object")))
            except (ValueError, TypeError):
                bad = values[converted.isna()].iloc[0]
                raise StatsInputError(f"{arg} must hold dates or whole-number periods; "
                                      f"could not read {shown(bad)} as either") from None
    if dates is not None:
        if dates.tz is not None:
            dates = dates.tz_localize(None)
        order = np.argsort(dates.asi8, kind="stable")
        dates = dates[order]
    else:
        order = np.argsort(numbers, kind="stable")
        numbers = numbers[order]
    if len(order) < 2:
        raise StatsInputError(f"{arg}: the series has {len(order)} period; it needs more")
    if dates is not None:
        days = np.asarray((dates - dates[0]) / pd.Timedelta(days=1), dtype="float64")
        whole = bool(np.allclose(days, np.round(days)))
        gaps_days = np.diff(np.round(days))
        months = np.asarray(dates.year * 12 + dates.month - 1, dtype="float64")
        if whole and gaps_days.min() > 0 and np.all(np.mod(gaps_days, 7) == 0):
            base, position = "week", np.round(days) / 7
        elif np.diff(days).min() >= 28 and np.all(np.diff(months) > 0):
            base, position = "month", months
        elif whole:
            base, position = "day", np.round(days)
        else:
            raise StatsInputError(f"{arg}: cannot infer the frequency of the series (dates "
                                  f"with times of day that are not a whole number of days "
                                  f"apart); give one row per day, week or month")
        origin: Any = dates[0]
    else:
        base, position, origin = "period", numbers, float(numbers[0])
    diffs = np.diff(position)
    if (diffs == 0).any():
        first = (f"{dates[1:][diffs == 0][0]:%Y-%m-%d}" if dates is not None
                 else f"{position[1:][diffs == 0][0]:g}")
        raise StatsInputError(
            f"{arg} repeats a period ({first}): its() needs one row per period. "
            f"Aggregate first, e.g. data.groupby({column!r}, as_index=False).mean()")
    step = int(round(diffs.min()))
    if np.any(np.mod(np.round(diffs), step) != 0):
        spacings = sorted({int(round(d)) for d in diffs})[:6]
        raise StatsInputError(
            f"{arg}: cannot infer the frequency of the series: periods are {spacings} "
            f"{base}s apart, not multiples of one step; give a regular series (one row "
            f"per day, week, month or period)")
    return order, _Clock("date" if dates is not None else "integer", base, step, origin,
                         np.asarray(position, dtype="float64"), dates)


def its(data: pd.DataFrame, time: Hashable, outcome: Hashable, intervention: Any, *,
        seasonal: str | None = None, maxlags: int | None = None,
        level: float = 0.95) -> Result:
    r"""Interrupted time series: did the level or the trend of a series change when the
    improvement started?

    Parameters
    ----------
    data : DataFrame
        One row per period (aggregate responses first, e.g. monthly mean CSAT).
    time : column
        Dates (datetime, pandas periods, or strings that read as dates) or whole-number
        periods. The frequency (day, week, month, quarter, year, every k periods) is the
        smallest spacing between rows; every spacing must be a multiple of it.
    outcome : column
        Numeric value per period.
    intervention : date or number
        When the improvement started. The period that contains it is the first period
        after (labels are read as the start of their period); it must lie after the first
        period and no later than the last.
    seasonal : {"month", "week", "weekday"}, optional
        Adds one dummy per season present but the first: month of the year, ISO week of
        the year, or day of the week. For whole-number periods the season is
        ``period mod 12``, ``mod 52`` or ``mod 7``.
    maxlags : int, optional
        Newey-West lags; default :math:`\lfloor 4 (n/100)^{2/9} \rfloor` (Newey & West
        1994's rule of thumb; 3 for 48 monthly points).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    Result
        The level change :math:`b_2` (outcome units) with interval and p-value. ``extra``
        holds ``slope_change`` (:math:`b_3`, per period, a Result), ``pre_trend``
        (:math:`b_1`) and ``post_trend`` (:math:`b_1 + b_3`) as Results, ``n_before``,
        ``n_after``, ``unit`` (the period), ``intervention_period`` (label of the first
        period after), ``maxlags``, ``seasonal``, ``missing_periods`` and ``caveats``.

    Notes
    -----
    Segmented regression (Wagner et al. 2002, J Clin Pharm Ther 27:299-309) fitted by OLS
    (statsmodels): :math:`y_t = b_0 + b_1 t + b_2 P_t + b_3 (t - t_0) P_t
    (+\ \text{seasons}) + e_t`, with :math:`t` in periods since the first, :math:`t_0`
    the first period after and :math:`P_t = [t \ge t_0]`. :math:`b_2` is the jump at
    :math:`t_0` against the pre-intervention line, :math:`b_3` the change in slope per
    period.

    Standard errors are Newey-West (statsmodels ``cov_type="HAC"``: Bartlett kernel,
    ``maxlags`` lags, small-sample factor :math:`n/(n-k)`), with t on :math:`n-k` df.
    This equals R ``lmtest::coeftest(fit, vcov = sandwich::NeweyWest(fit, lag = L,
    prewhite = FALSE, adjust = TRUE))`` (checked in ``tests/r/designs.R``); R's
    ``NeweyWest`` defaults (prewhitening, automatic lag) differ and are not used.

    A series with missing periods keeps its true spacing in :math:`t` and gets a caveat
    (the HAC lags count rows, not periods, as in R). Fewer than 12 periods on either side
    also gets a caveat (Wagner et al. 2002). Rows with a missing time or outcome are left
    out.

    Examples
    --------
    >>> import pandas as pd
    >>> y = [10, 11, 10, 12, 11, 12, 16, 17, 17, 18, 19, 19]
    >>> s = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=12, freq="MS"),
    ...                   "csat": y})
    >>> r = its(s, "month", "csat", "2024-07-01")
    >>> round(r.estimate, 2), round(r.extra["slope_change"].estimate, 2)
    (3.9, 0.29)
    >>> r.extra["unit"], r.extra["n_before"], r.extra["n_after"]
    ('month', 6, 6)
    """
    level = check_level(level)
    data = _frame(data)
    _need_columns(data, {"time": time, "outcome": outcome})
    if seasonal is not None:
        check_choice("seasonal", seasonal, SEASONAL)
    rows, dropped = _complete(data, [time, outcome])
    if rows.empty:
        raise StatsInputError(f"no row of data has both a time ({time!r}) and an outcome "
                              f"({outcome!r})")
    y_raw = _outcome(rows, outcome)
    order, clock = _clock(rows[time], time)
    y, t = y_raw[order], clock.t
    n = len(y)
    first, last = clock.label(0), clock.label(t[-1])
    try:
        where = (clock.base_of(intervention) - clock.position[0]) / clock.step
    except (ValueError, TypeError, OverflowError):
        kind = "a date such as '2024-07-01'" if clock.kind == "date" else "a period number"
        raise StatsInputError(f"intervention must be {kind}, like the time column "
                              f"{time!r}; got {shown(intervention)}") from None
    t0 = math.floor(where + 1e-9)
    if not 0 < t0 <= t[-1]:
        raise StatsInputError(
            f"intervention {shown(intervention)} is outside the series' range: it must "
            f"fall after the first period ({first}) and no later than the last ({last})")
    post = (t >= t0).astype("float64")
    n_after = int(post.sum())
    n_before = n - n_after
    if min(n_before, n_after) < 2:
        raise StatsInputError(
            f"intervention {shown(intervention)} leaves {n_before} period(s) before and "
            f"{n_after} after; segmented regression needs at least 2 on each side "
            f"(series {first} to {last})")
    x = [np.ones(n), t, post, (t - t0) * post]
    names = ["const", "time", "post", "time after"]
    if seasonal is not None:
        season = clock.seasons(seasonal)
        present = sorted(set(season.tolist()))
        if len(present) < 2:
            raise StatsInputError(f"seasonal={seasonal!r} finds one season only in this "
                                  f"series ({present[0]}); leave seasonal out")
        x += [(season == s).astype("float64") for s in present[1:]]
        names += [f"{seasonal}={s}" for s in present[1:]]
    design = np.column_stack(x)
    if maxlags is None:
        lags = int(math.floor(4 * (n / 100) ** (2 / 9)))
    elif isinstance(maxlags, bool) or not isinstance(maxlags, (int, np.integer)) \
            or not 0 <= maxlags < n:
        raise StatsInputError(f"maxlags must be a whole number from 0 to {n - 1} (the "
                              f"series has {n} periods); got {shown(maxlags)}")
    else:
        lags = int(maxlags)
    res = _fit(y, design, names, cov_type="HAC",
               cov_kwds={"maxlags": lags, "use_correction": True})
    df = int(res.df_resid)
    missing = int(round(t[-1])) + 1 - n
    unit = clock.unit
    caveats = []
    if missing:
        gap = t[:-1][np.diff(t) > 1][0] + 1
        caveats.append(f"the series misses {missing} period(s) of one {unit} (the first: "
                       f"{clock.label(gap)}); the regression keeps the true spacing, but "
                       f"the Newey-West lags count rows, not {unit}s")
    if min(n_before, n_after) < _FEW_PERIODS:
        caveats.append(f"only {n_before} periods before and {n_after} after the "
                       f"intervention: segmented regression wants about {_FEW_PERIODS} on "
                       f"each side, and autocorrelation-robust errors are unreliable in "
                       f"short series")
    if dropped:
        caveats.append(f"{dropped} row(s) with a missing time or outcome were left out")
    starts = clock.label(t0)
    dummies = f" with {seasonal} dummies" if seasonal else ""
    method = (f"segmented OLS regression{dummies}; Newey-West standard errors (Bartlett "
              f"kernel, {lags} lag(s), n/(n-k) correction; as R sandwich::NeweyWest("
              f"prewhite = FALSE, adjust = TRUE)), t with {df} df")
    common: dict[str, Any] = {"n": n, "level": level, "method": method}
    extra = {
        "slope_change": _coefficient(
            res, 3, name="slope change", **common,
            definition=f"change in the trend of {outcome} per {unit} from the "
                       f"intervention ({starts}) on: trend after minus trend before"),
        "pre_trend": _coefficient(
            res, 1, name="trend before", **common,
            definition=f"change in {outcome} per {unit} before the intervention"),
        "post_trend": _coefficient(
            res, np.array([1, 3]), name="trend after", **common,
            definition=f"change in {outcome} per {unit} from the intervention on"),
        "n_before": n_before, "n_after": n_after, "unit": unit,
        "intervention_period": starts, "maxlags": lags, "seasonal": seasonal,
        "missing_periods": missing, "n_dropped": dropped, "caveats": tuple(caveats)}
    return _coefficient(
        res, 2, name="level change", **common, extra=extra,
        definition=f"jump in {outcome} at the intervention ({starts}, the first {unit} "
                   f"after): the level then minus what the trend before predicts for it, "
                   f"in units of {outcome}")
