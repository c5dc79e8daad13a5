"""Interrupted time series: segmented regression with autocorrelation-robust errors.

``y = b0 + b1 t + b2 post + b3 (t - t0) post (+ seasons)``, fitted by OLS with Newey-West
(HAC) standard errors, or by maximum likelihood with AR(1) errors (statsmodels ARIMA).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Hashable

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_choice, check_level, shown
from ._designs import _coefficient, _complete, _fit, _frame, _need_columns, _outcome
from ._result import Result

__all__ = ["its", "SEASONAL", "ITS_ERRORS", "SHORT_SERIES"]

SEASONAL = ("month", "week", "weekday")
"""Values of ``its(seasonal=...)``."""

ITS_ERRORS = ("newey-west", "ar1")
"""Values of ``its(errors=...)``."""

SHORT_SERIES = 120
"""Below this many periods, Newey-West intervals are too narrow for autocorrelated
errors (``benchmarks/sim_coverage.py``: 83.5% coverage of a 95% interval for the level
change at 48 monthly points and 88.8% at 120, with AR(1) errors of 0.3, against 89.6% and
93.2% with ``errors="ar1"``); :func:`its` says so in a caveat and
:func:`cxresearch.stats.compare` uses ``errors="ar1"`` there."""

_FEW_PERIODS = 12  # per segment; Wagner et al. (2002)


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
        seasonal: str | None = None, errors: str = "newey-west",
        maxlags: int | None = None, level: float = 0.95) -> Result:
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
    errors : {"newey-west", "ar1"}
        ``"newey-west"``: OLS with Newey-West standard errors (robust to any short-range
        autocorrelation, but too narrow in short series). ``"ar1"``: regression with
        AR(1) errors by maximum likelihood (statsmodels ARIMA), which keeps close to its
        coverage in short series when the errors are AR(1); see Notes.
    maxlags : int, optional
        Newey-West lags (``errors="newey-west"`` only); default :math:`\lfloor 4 (n/100)^{2/9} \rfloor` (Newey & West
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
        period after), ``errors``, ``maxlags`` (None for AR(1)), ``rho`` (AR(1) only),
        ``seasonal``, ``missing_periods`` and ``caveats``.

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

    ``errors="ar1"`` fits the same terms with :math:`e_t = \rho e_{t-1} + u_t` by exact
    maximum likelihood (statsmodels ``ARIMA(order=(1, 0, 0), trend="c")`` with the terms
    as ``exog``; z-tests and intervals from the Hessian). This equals R ``arima(y, order
    = c(1, 0, 0), xreg = X, method = "ML")`` (``tests/r/designs.R``). A missing period is
    a missing observation of the state-space model, so the AR(1) structure spans gaps
    correctly. ``extra["rho"]`` holds the estimated autocorrelation.

    Which to use: with AR(1) errors of 0.3, 95% Newey-West intervals for the level change
    held the true value 83.5% of the time at 48 periods and 88.8% at 120; AR(1)
    intervals 89.6% and 93.2% (2,000 series each, ``benchmarks/sim_coverage.py``). Both
    fall short in short series (the Hessian ignores the uncertainty in rho); AR(1) falls
    less short. Newey-West results
    from fewer than ``SHORT_SERIES`` (120) periods carry a caveat saying so.

    A series with missing periods keeps its true spacing in :math:`t`; with Newey-West
    errors it gets a caveat (the HAC lags count rows, not periods, as in R). Fewer than 12 periods on either side
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
    check_choice("errors", errors, ITS_ERRORS)
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
    missing = int(round(t[-1])) + 1 - n
    unit = clock.unit
    dummies = f" with {seasonal} dummies" if seasonal else ""
    caveats = []
    if errors == "ar1":
        if maxlags is not None:
            raise StatsInputError(f"maxlags={shown(maxlags)} sets Newey-West lags; it "
                                  f"does not apply to errors='ar1' (leave it out)")
        res, rho = _fit_ar1(y, t, design, names)
        lags = None
        method = (f"segmented regression{dummies} with AR(1) errors (rho = {rho:.2f}) by "
                  f"maximum likelihood (as R arima(order = c(1, 0, 0), xreg)); z-tests")
    else:
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
        rho = None
        method = (f"segmented OLS regression{dummies}; Newey-West standard errors "
                  f"(Bartlett kernel, {lags} lag(s), n/(n-k) correction; as R "
                  f"sandwich::NeweyWest(prewhite = FALSE, adjust = TRUE)), t with "
                  f"{int(res.df_resid)} df")
        if missing:
            gap = t[:-1][np.diff(t) > 1][0] + 1
            caveats.append(f"the series misses {missing} period(s) of one {unit} (the "
                           f"first: {clock.label(gap)}); the regression keeps the true "
                           f"spacing, but the Newey-West lags count rows, not {unit}s")
        if n < SHORT_SERIES:
            caveats.append(f"Newey-West intervals are too narrow in series as short as "
                           f"this ({n} periods) when the errors are autocorrelated; "
                           f"errors='ar1' keeps closer to the stated level")
    if min(n_before, n_after) < _FEW_PERIODS:
        caveats.append(f"only {n_before} periods before and {n_after} after the "
                       f"intervention: segmented regression wants about {_FEW_PERIODS} on "
                       f"each side, and autocorrelation-robust errors are unreliable in "
                       f"short series")
    if dropped:
        caveats.append(f"{dropped} row(s) with a missing time or outcome were left out")
    starts = clock.label(t0)
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
        "intervention_period": starts, "errors": errors, "maxlags": lags, "rho": rho,
        "seasonal": seasonal,
        "missing_periods": missing, "n_dropped": dropped, "caveats": tuple(caveats)}
    return _coefficient(
        res, 2, name="level change", **common, extra=extra,
        definition=f"jump in {outcome} at the intervention ({starts}, the first {unit} "
                   f"after): the level then minus what the trend before predicts for it, "
                   f"in units of {outcome}")


def _fit_ar1(y: np.ndarray, t: np.ndarray, design: np.ndarray,
             names: list[str]) -> tuple[Any, float]:
    """Regression on ``design`` with AR(1) errors by exact maximum likelihood.

    Rows sit on the full grid of periods ``0 .. t[-1]``; a missing period is a missing
    observation (NaN outcome), which the Kalman filter skips while the AR(1) errors run
    on through it. The terms of a missing row do not enter the likelihood, so they are 0.
    """
    import warnings

    from statsmodels.tsa.arima.model import ARIMA

    _fit(y, design, names)  # the same rank and size checks as the OLS fit
    if design.shape[0] <= design.shape[1] + 1:
        raise StatsInputError(f"errors='ar1' needs more periods than terms plus one "
                              f"({design.shape[1] + 1}); the series has {design.shape[0]}")
    grid = np.rint(t).astype(int)
    full_y = np.full(grid[-1] + 1, np.nan)
    full_x = np.zeros((grid[-1] + 1, design.shape[1] - 1))
    full_y[grid], full_x[grid] = y, design[:, 1:]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = ARIMA(full_y, exog=full_x, order=(1, 0, 0), trend="c")
        # L-BFGS stops short of the optimum (log-likelihood off in the 5th digit, the
        # level change in the 3rd); a Nelder-Mead polish from there reaches R's optimum.
        start = model.fit().params
        res = model.fit(start_params=start, cov_type="approx",
                        method_kwargs={"method": "nm", "maxiter": 20_000,
                                       "xtol": 1e-10, "ftol": 1e-12})
    if not res.mle_retvals.get("converged", True) or not np.isfinite(res.bse).all():
        why = "; ".join(str(w.message) for w in caught)[:200]
        raise StatsInputError(f"the AR(1) model did not converge on this series "
                              f"({why or 'no finite standard errors'}); use "
                              f"errors='newey-west'")
    return res, float(res.params[design.shape[1]])
