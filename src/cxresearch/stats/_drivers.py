"""Key drivers: how much each touchpoint's score drives the overall judgement.

:func:`key_drivers` splits the R² of the linear regression of an overall judgement (NPS,
overall satisfaction) on touchpoint scores into one share per touchpoint, by one of two
methods that give every driver a fair part of the variation it shares with the others:

* ``"shapley"``: the LMG decomposition (Lindeman, Merenda & Gold 1980), the Shapley
  value of R² (Grömping 2006, R package ``relaimpo``, ``type = "lmg"``);
* ``"relative-weights"``: Johnson's (2000) relative weights (R package ``rwa``).

Sufficient statistics first: everything is computed from the weighted cross-product
matrix ``A'WA`` of the outcome and the drivers (``A = [1, y, X]``), so the R² of every
subset of drivers comes from the correlation matrix, never from refitting on rows, and
the bootstrap resamples respondents as counts, in chunks of bounded memory. No Python
library offers LMG from sufficient statistics with a bootstrap of this kind; the code is
ours (numpy), checked against R (``tests/r/drivers.R``). The arithmetic is in
:mod:`cxresearch.stats._driver_math`, the reading of the data in
:mod:`cxresearch.stats._driver_data`.

Importance-performance analysis and moments of truth build on this in
:mod:`cxresearch.stats._ipa`.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ._bootstrap import make_rng
from ._check import StatsInputError, check_choice, check_level
from ._driver_data import MAX_SHAPLEY_DRIVERS, _prepare, _Prepared
from ._driver_math import (_bootstrap, _check_boot, _check_collinear, _correlations, _gram,
                           _importance, _percentile, _standardised)

__all__ = ["DRIVER_ATTRS", "DRIVER_COLUMNS", "DRIVER_METHODS", "MAX_SHAPLEY_DRIVERS",
           "key_drivers"]

DRIVER_COLUMNS: tuple[str, ...] = (
    "driver", "label", "estimate", "share", "ci_low", "ci_high", "share_low",
    "share_high", "rank", "n", "method", "definition",
)
"""Columns of :func:`key_drivers`, in order:

``driver``
    The driver's column (for :class:`~cxresearch.data.Responses`: its field id).
``label``
    What the driver is, in words (from ``labels``, else the survey, else the column).
``estimate``
    Importance in R² units: the driver's part of the model R² (the parts sum to R²).
``share``
    ``estimate / R²``: the driver's share of the explained variation, 0 to 1 (the
    shares sum to 1).
``ci_low``, ``ci_high``
    Percentile bootstrap interval of ``estimate`` (NaN when ``n_boot=0``).
``share_low``, ``share_high``
    Percentile bootstrap interval of ``share``.
``rank``
    1 for the most important driver (ties share the lower rank).
``n``
    Respondents used (complete rows: the outcome and every driver answered).
``method``
    The decomposition, the interval and the missing-data rule, in words.
``definition``
    What ``estimate`` and ``share`` are, in words.

Rows are sorted by ``rank``. ``DataFrame.attrs`` holds :data:`DRIVER_ATTRS`."""

DRIVER_ATTRS: tuple[str, ...] = (
    "outcome", "outcome_label", "r2", "r2_ci", "n", "n_dropped", "n_total", "method",
    "level", "n_boot", "n_boot_failed", "seed", "weighted", "touchpoints",
)
"""Keys of ``key_drivers(...).attrs``: the outcome column and its label; ``r2``, the
model R², with ``r2_ci``, its percentile interval ``(low, high)``; ``n`` rows used,
``n_dropped`` rows left out for a missing outcome or driver, ``n_total`` rows given;
the ``method`` name; ``level``; ``n_boot``; ``n_boot_failed`` resamples in which a
driver did not vary or the drivers were collinear (left out of the intervals); the
``seed``; ``weighted`` (survey weights used); and ``touchpoints``, the touchpoint of
each driver where the survey links one (``{driver: touchpoint id}``)."""

DRIVER_METHODS: tuple[str, ...] = ("shapley", "relative-weights")
"""Values of ``method``."""


# -- the public function ----------------------------------------------------------------
_DEFINITIONS = {
    "shapley": ("LMG (Shapley) importance: the increase in R² when the driver joins the "
                "linear regression of {outcome} on the {k} drivers, averaged over all "
                "orders in which the drivers can enter (estimate in R² units; share of "
                "the model R², the shares sum to 1)"),
    "relative-weights": ("Johnson's relative weight: the part of R² the driver carries "
                         "through the orthogonal counterparts of the {k} drivers in the "
                         "linear regression of {outcome} (estimate in R² units; share of "
                         "the model R², the shares sum to 1)"),
}
_METHOD_NAMES = {"shapley": "Shapley (LMG) decomposition of R²",
                 "relative-weights": "relative weights (Johnson 2000)"}


def _fit(prep: _Prepared, method: str, n_boot: int, level: float, seed: Any
         ) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The key-driver table and the bootstrap distribution of the shares (or None)."""
    rng = make_rng(seed)
    a = _standardised(prep.values, prep.weights)
    n, k = a.shape[0], len(prep.drivers)
    ones = np.ones((1, n))
    corr, _ = _correlations(_gram(a, prep.weights, ones))
    _check_collinear(corr[0], prep.drivers)
    estimate, r2 = _importance(corr, method)
    estimate, model_r2 = estimate[0], float(r2[0])
    share = estimate / model_r2 if model_r2 > 0 else np.full(k, np.nan)
    nan = np.full(k, np.nan)
    ci_low, ci_high, share_low, share_high = nan, nan, nan, nan
    r2_ci = (math.nan, math.nan)
    failed = 0
    shares_b: np.ndarray | None = None
    if n_boot:
        est_b, r2_b = _bootstrap(a, prep.weights, method, n_boot, rng)
        ok = ~np.isnan(r2_b)
        failed = int((~ok).sum())
        if ok.sum() < 2:
            raise StatsInputError(
                f"the bootstrap failed: in {failed} of {n_boot} resamples a driver did not "
                f"vary or the drivers were collinear; with {n} rows the data are too few "
                f"for intervals (pass n_boot=0 for estimates only)")
        with np.errstate(invalid="ignore", divide="ignore"):
            shares_b = est_b / r2_b[:, None]
        ci_low, ci_high = _percentile(est_b, level)
        share_low, share_high = _percentile(shares_b, level)
        low, high = _percentile(r2_b[:, None], level)
        r2_ci = (float(low[0]), float(high[0]))
    weighted = prep.weights is not None
    dropped = prep.n_total - n
    how = (f"{_METHOD_NAMES[method]} from the {'weighted ' if weighted else ''}"
           f"correlation matrix; ")
    if n_boot:
        seeded = f", seed {seed}" if isinstance(seed, (int, np.integer)) else ""
        left_out = f"; {failed} degenerate resamples left out" if failed else ""
        how += (f"{100 * level:g}% percentile bootstrap interval ({n_boot:,} resamples of "
                f"respondents{seeded}{left_out})")
    else:
        how += "no interval (n_boot=0)"
    how += (f"; complete rows only: {dropped:,} of {prep.n_total:,} rows dropped for a "
            f"missing outcome or driver")
    definition = _DEFINITIONS[method].format(outcome=prep.outcome_label, k=k)
    table = pd.DataFrame({
        "driver": prep.drivers, "label": prep.labels, "estimate": estimate,
        "share": share, "ci_low": ci_low, "ci_high": ci_high, "share_low": share_low,
        "share_high": share_high,
        "rank": pd.Series(-estimate).rank(method="min").astype("int64").to_numpy(),
        "n": n, "method": how, "definition": definition,
    }, columns=list(DRIVER_COLUMNS))
    order = np.argsort(table["rank"].to_numpy(), kind="stable")
    table = table.iloc[order].reset_index(drop=True)
    if shares_b is not None:
        shares_b = shares_b[:, order]
    table.attrs.update({
        "outcome": prep.outcome, "outcome_label": prep.outcome_label, "r2": model_r2,
        "r2_ci": r2_ci, "n": n, "n_dropped": dropped, "n_total": prep.n_total,
        "method": method, "level": level, "n_boot": n_boot, "n_boot_failed": failed,
        "seed": int(seed) if isinstance(seed, (int, np.integer)) else None,
        "weighted": weighted, "touchpoints": dict(prep.touchpoints),
    })
    return table, shares_b


def key_drivers(data: Any, outcome: str, drivers: Sequence[str], method: str = "shapley",
                *, n_boot: int = 1000, level: float = 0.95, seed: Any = None,
                weights: Any = None, labels: Mapping[str, str] | None = None,
                lang: str | None = None) -> pd.DataFrame:
    r"""How much each driver (a touchpoint's score) drives the overall judgement.

    The R² of the linear regression of ``outcome`` on the ``drivers`` is split into one
    part per driver, so that the parts sum to R² and a driver that shares its variation
    with others gets a fair part of it.

    Parameters
    ----------
    data : DataFrame or Responses
        One row per respondent. With :class:`~cxresearch.data.Responses`, ordered scale
        answers are read by their values, labels come from the survey, and a touchpoint
        id may stand for its touchpoint-satisfaction question.
    outcome : str
        The overall judgement: an NPS 0-10 item, overall satisfaction, ...
    drivers : list of str
        Two or more scores (columns or field ids), e.g. one per touchpoint.
    method : {"shapley", "relative-weights"}
        ``"shapley"``: the LMG / Shapley decomposition (at most
        :data:`MAX_SHAPLEY_DRIVERS` drivers); ``"relative-weights"``: Johnson's
        relative weights (any number; fast).
    n_boot : int
        Bootstrap resamples for the intervals (at least 100; 0: no intervals).
    level : float
        Confidence level of the intervals.
    seed : int or numpy Generator, optional
        Seed of the bootstrap; the same seed gives the same intervals.
    weights : column name or sequence of float, optional
        Survey weights, one per row: correlations and resamples are weighted.
    labels : mapping, optional
        ``{driver: label}`` (the outcome may have one too), overriding the survey's.
    lang : {"nl", "en"}, optional
        Language of labels read from the survey (default: its default language).

    Returns
    -------
    DataFrame
        One row per driver, most important first, with the columns
        :data:`DRIVER_COLUMNS` (``driver``, ``label``, ``estimate``, ``share``,
        ``ci_low``, ``ci_high``, ``share_low``, ``share_high``, ``rank``, ``n``,
        ``method``, ``definition``). ``attrs`` holds :data:`DRIVER_ATTRS`, among them
        ``r2``, ``r2_ci``, ``n`` and ``n_dropped``.

    Raises
    ------
    StatsInputError
        For a driver that is not numeric, has no answers or no variance; perfectly
        collinear drivers (named); fewer complete rows than drivers + 2; the outcome
        among the drivers; a driver listed twice; more than 15 drivers for
        ``"shapley"``.

    Notes
    -----
    Rows with a missing outcome or driver are dropped (listwise; ``attrs["n_dropped"]``).
    In journey surveys that skip touchpoints a respondent did not meet, pick drivers
    the same respondents answered: only they enter the model.

    All figures come from the (weighted) correlation matrix ``R`` of ``[y, X]``. The R²
    of a subset ``S`` of drivers is

    .. math:: R^2(S) = r_{yS}^\top R_{SS}^{-1} r_{yS}.

    **Shapley / LMG** (Lindeman, Merenda & Gold 1980; Grömping 2006, JSS 17(1), as R
    ``relaimpo::calc.relimp(type = "lmg")``): driver ``j``'s importance is its increase
    in R² averaged over all ``k!`` orders of entry,

    .. math:: \mathrm{LMG}_j = \sum_{S \subseteq K \setminus \{j\}}
              \frac{|S|!\,(k - |S| - 1)!}{k!}\,\bigl(R^2(S \cup \{j\}) - R^2(S)\bigr),

    computed from the R² of all ``2^k`` subsets, one batched solve per subset size.

    **Relative weights** (Johnson 2000, as R ``rwa::rwa``): with the eigen-decomposition
    ``R_xx = Q \Lambda Q'``, ``L = Q \Lambda^{1/2} Q'`` (the correlations of the drivers
    with their closest orthogonal counterparts) and ``\beta = L^{-1} r_{xy}``, the weight
    of driver ``j`` is ``\epsilon_j = \sum_m L_{jm}^2 \beta_m^2``; ``\sum_j \epsilon_j =
    R^2``.

    **Intervals**: percentile bootstrap over respondents (Efron & Tibshirani 1993,
    ch. 13). A resample is a vector of multinomial counts ``c`` (n uniform picks tallied),
    and its correlation matrix comes from ``A' diag(c w) A``, ``A = [1, y, X]``: the
    same numbers as copying rows, without copying them, in chunks of about 4 million
    numbers. Resamples in which a driver does not vary or the drivers are collinear are
    left out (``attrs["n_boot_failed"]``).

    Checked against R 4.2: LMG from ``lm`` over every subset of drivers and relative
    weights by the eigen formula in base R, on ``swiss``, ``mtcars`` and seeded survey
    data; relative weights on ``mtcars`` also against the ``rwa`` README
    (``tests/r/drivers.R``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=(500, 3))
    >>> frame = pd.DataFrame(x, columns=["call", "visit", "payout"])
    >>> frame["nps"] = 2 * x[:, 0] + x[:, 2] + rng.normal(size=500)
    >>> table = key_drivers(frame, "nps", ["call", "visit", "payout"], n_boot=200, seed=1)
    >>> table[["driver", "share", "rank"]].round(2)
       driver  share  rank
    0    call   0.75     1
    1  payout   0.25     2
    2   visit   0.00     3
    >>> round(table.attrs["r2"], 2), table.attrs["n_dropped"]
    (0.85, 0)
    """
    check_choice("method", method, DRIVER_METHODS)
    level = check_level(level)
    n_boot = _check_boot(n_boot)
    make_rng(seed)  # checks the seed before any work
    prep = _prepare(data, outcome, drivers, weights, labels, lang, method)
    table, _ = _fit(prep, method, n_boot, level, seed)
    return table
