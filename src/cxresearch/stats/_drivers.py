"""Key drivers: how much each touchpoint's score drives the overall judgement.

:func:`key_drivers` splits the R² of the linear regression of an overall judgement (NPS,
overall satisfaction) on touchpoint scores into one share per touchpoint, by one of two
methods that give every driver a fair part of the variation it shares with the others:

* ``"shapley"``: the LMG decomposition (Lindeman, Merenda & Gold 1980), the Shapley
  value of R² (Grömping 2006, R package ``relaimpo``, ``type = "lmg"``);
* ``"relative-weights"``: Johnson's (2000) relative weights (R package ``rwa``).

Sufficient statistics first: everything is computed from the weighted cross-product
matrix ``A'WA`` of the outcome and the drivers (``A = [1, y, X]``), so the R² of every
subset of drivers comes from the correlation matrix, never from refitting on rows. The
bootstrap resamples respondents as multinomial counts ``c`` and forms ``A' diag(c w) A``
for a chunk of resamples with one matrix product, so memory stays bounded whatever the
number of respondents and resamples. No Python library offers LMG from sufficient
statistics with a bootstrap of this kind; the code is ours (numpy), checked against R
(``tests/r/drivers.R``).

Importance-performance analysis and moments of truth build on this in
:mod:`cxresearch.stats._ipa`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ._bootstrap import check_n_boot, make_rng
from ._check import StatsInputError, check_choice, check_level, shown
from ._verdict_data import _frame_of

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

MAX_SHAPLEY_DRIVERS = 15
"""The Shapley decomposition needs the R² of all ``2**k`` subsets of ``k`` drivers;
above this many drivers (32,768 subsets) use ``method="relative-weights"``."""

_MAX_ELEMENTS = 1 << 22
"""Numbers per chunk of the bootstrap (4 Mi float64, about 32 MB per array)."""

_MAX_PRODUCTS = 1 << 24
"""The bootstrap keeps the pairwise products of all rows (``n x p(p+1)/2``) in memory
up to this many numbers (16 Mi, 128 MB: 100,000 respondents with 12 drivers); above,
it rebuilds them block by block for every chunk of resamples."""

_COLLINEAR_TOL = 1e-10
"""Smallest eigenvalue of the drivers' correlation matrix below which they count as
perfectly collinear."""

_SATISFACTION_ITEM = "touchpoint_satisfaction"
"""Item-bank id of the score a touchpoint id stands for when given as a driver."""


# -- reading the data -------------------------------------------------------------------
@dataclass(frozen=True)
class _Prepared:
    """Complete rows of the outcome and the drivers, checked, with what they are."""

    outcome: str
    drivers: list[str]
    given: list[str]  # the drivers as named by the caller (touchpoint ids kept)
    labels: list[str]
    user_labels: dict[str, str]
    outcome_label: str
    values: np.ndarray  # (n, 1 + k): outcome, then drivers
    weights: np.ndarray | None
    n_total: int
    responses: Any
    touchpoints: dict[str, str]


def _names(drivers: Any) -> list[str]:
    if isinstance(drivers, str):
        raise StatsInputError(f"drivers must be a list of column names, not one string "
                              f"({drivers!r}); write drivers=[{drivers!r}, ...]")
    if isinstance(drivers, (pd.Index, pd.Series, np.ndarray)):
        drivers = list(drivers)
    if not isinstance(drivers, (list, tuple)) or not all(isinstance(d, str)
                                                         for d in drivers):
        raise StatsInputError(f"drivers must be a list of column names (strings); got "
                              f"{shown(drivers)}")
    names = list(drivers)
    if len(names) < 2:
        raise StatsInputError(f"drivers needs at least two columns to weigh against each "
                              f"other; got {shown(names)} (the importance of one driver "
                              f"is simply its R²)")
    return names


def _duplicates(names: Sequence[str], argument: str, given: Sequence[str]) -> None:
    twice = [d for i, d in enumerate(names) if d in names[:i]]
    if twice:
        raise StatsInputError(f"{argument} names {twice[0]!r} more than once (given: "
                              f"{shown(list(given), 120)}); list each driver once")


def _touchpoint_field(survey: Any, touchpoint: str) -> str | None:
    """The touchpoint-satisfaction field of a touchpoint's block, if there is one."""
    for block in survey.blocks:
        if block.touchpoint != touchpoint:
            continue
        for q in block.questions:
            if q.item == _SATISFACTION_ITEM:
                return str(q.field_ids()[0])
    return None


def _resolve(frame: pd.DataFrame, responses: Any, name: str, argument: str) -> str:
    """A column of ``frame``; with Responses a touchpoint id stands for its score."""
    if name in frame.columns:
        return name
    if responses is not None:
        field = _touchpoint_field(responses.survey, name)
        if field is not None and field in frame.columns:
            return field
    columns = ", ".join(map(str, list(frame.columns)[:12]))
    more = ", ..." if frame.shape[1] > 12 else ""
    hint = ""
    if responses is not None:
        tps = [b.touchpoint for b in responses.survey.blocks if b.touchpoint]
        hint = (f"; a touchpoint id ({', '.join(tps[:8])}{', ...' if len(tps) > 8 else ''})"
                f" stands for its '{_SATISFACTION_ITEM}' question")
    raise StatsInputError(f"{argument}={name!r} is not a column of data; columns: "
                          f"{columns}{more}{hint}")


def _as_number(series: pd.Series, argument: str) -> np.ndarray:
    """A column as floats (NaN for missing); ordered scale answers by their values."""
    name = series.name
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = pd.to_numeric(pd.Series(series.cat.categories), errors="coerce")
        if categories.isna().any():
            raise StatsInputError(
                f"{argument} {name!r} is not numeric: it holds categories "
                f"{shown(list(series.cat.categories[:4]))}; a driver or outcome must be "
                f"a score (a rating, a Likert answer or a number): recode it or leave it "
                f"out")
        codes = series.cat.codes.to_numpy()
        values = categories.to_numpy(dtype="float64")[np.clip(codes, 0, None)]
        return np.where(codes < 0, np.nan, values)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64").to_numpy()
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        raise StatsInputError(f"{argument} {name!r} is not numeric: {int(bad.sum())} "
                              f"value(s) are not numbers, e.g. {shown(series[bad].iloc[0])}"
                              f"; a driver or outcome must be a score: recode it or leave "
                              f"it out")
    values = converted.astype("float64").to_numpy()
    if np.isinf(values).any():
        raise StatsInputError(f"{argument} {name!r} contains infinite values")
    return values


def _survey_label(responses: Any, field: str, lang: str) -> str | None:
    """A short label of a field: its touchpoint block's title, else the question."""
    if responses is None:
        return None
    try:
        q = responses.survey.question(field)
    except KeyError:
        return None
    block = responses.survey.block_of(q.id)

    def pick(text: Mapping[str, str]) -> str:
        return str(text.get(lang) or next(iter(text.values()), "")).strip()

    if block.touchpoint and q.item == _SATISFACTION_ITEM and block.title:
        return pick(block.title) or None
    for item in q.items:
        if item.id == field:
            return pick(item.label) or None
    return pick(q.label) or None


_METRIC_NAMES = {"nps": "NPS", "enps": "eNPS", "ces": "CES", "csat": "CSAT"}


def _outcome_label(responses: Any, outcome: str, labels: Mapping[str, str]) -> str:
    if outcome in labels:
        return labels[outcome]
    if responses is not None:
        try:
            q = responses.survey.question(outcome)
        except KeyError:
            return outcome
        if q.metric in _METRIC_NAMES:
            return _METRIC_NAMES[q.metric]
    return outcome


def _weights_of(frame: pd.DataFrame, weights: Any) -> np.ndarray | None:
    from ._weights import as_weights

    if weights is None:
        return None
    if isinstance(weights, str):
        if weights not in frame.columns:
            raise StatsInputError(f"weights={weights!r} is not a column of data; give a "
                                  f"column name or one weight per row")
        weights = frame[weights]
    return as_weights(weights, "weights", size=len(frame))


def _prepare(data: Any, outcome: Any, drivers: Any, weights: Any,
             labels: Mapping[str, str] | None, lang: str | None,
             method: str) -> _Prepared:
    frame, responses = _frame_of(data)
    given = _names(drivers)
    _duplicates(given, "drivers", given)
    if not isinstance(outcome, str):
        raise StatsInputError(f"outcome must be the name of one column (e.g. 'nps'), not "
                              f"{shown(outcome)}")
    outcome = _resolve(frame, responses, outcome, "outcome")
    names = [_resolve(frame, responses, d, "drivers") for d in given]
    _duplicates(names, "drivers (after touchpoint ids were read as their fields)", given)
    if outcome in names:
        raise StatsInputError(f"outcome {outcome!r} is also among the drivers; a judgement "
                              f"cannot drive itself: take it out of drivers")
    if method == "shapley" and len(names) > MAX_SHAPLEY_DRIVERS:
        raise StatsInputError(
            f"method 'shapley' needs the R² of all 2^k subsets of the drivers: "
            f"{len(names)} drivers make {2 ** len(names):,} subsets (at most "
            f"{MAX_SHAPLEY_DRIVERS} drivers, {2 ** MAX_SHAPLEY_DRIVERS:,} subsets); use "
            f"method='relative-weights', or group the drivers")
    labels = dict(labels or {})
    unknown = [key for key in labels if key not in {*given, *names, outcome}]
    if unknown:
        raise StatsInputError(f"labels has key {unknown[0]!r}, which is not a driver or the "
                              f"outcome; keys must be among {shown([*given, outcome], 120)}")
    language = lang or (responses.survey.language if responses is not None else "en")
    columns = [outcome, *names]
    values = np.column_stack([_as_number(frame[c], "outcome" if i == 0 else "drivers")
                              for i, c in enumerate(columns)])
    for j, column in enumerate(columns):
        if np.isnan(values[:, j]).all():
            argument = "outcome" if j == 0 else "drivers"
            raise StatsInputError(f"{argument} {column!r} has no answers: all {len(frame):,} "
                                  f"values are missing; leave it out")
    w = _weights_of(frame, weights)
    complete = ~np.isnan(values).any(axis=1)
    n = int(complete.sum())
    k = len(names)
    if n < k + 2:
        missing = np.isnan(values).sum(axis=0)
        worst = int(np.argmax(missing))
        raise StatsInputError(
            f"key drivers of {k} drivers need at least {k + 2} complete rows (drivers + "
            f"2); only {n} of {len(frame):,} rows have the outcome and every driver. "
            f"{'The outcome' if worst == 0 else 'Driver'} {columns[worst]!r} is missing "
            f"most often ({int(missing[worst]):,} rows): leave it out or pick drivers "
            f"that the same respondents answered")
    values = values[complete]
    w = None if w is None else w[complete]
    if w is not None and (w > 0).sum() < k + 2:
        raise StatsInputError(f"weights: only {int((w > 0).sum())} complete rows have a "
                              f"weight above 0; at least {k + 2} are needed")
    counted = values if w is None else values[w > 0]  # rows that carry weight
    for j, column in enumerate(columns):
        if np.ptp(counted[:, j]) == 0:
            argument = "outcome" if j == 0 else "drivers"
            raise StatsInputError(
                f"{argument} {column!r} has no variance in the {n:,} complete rows (every "
                f"value is {counted[0, j]:g}); a score that does not vary cannot explain "
                f"or be explained: leave it out")
    touchpoints: dict[str, str] = {}
    if responses is not None:
        for d in names:
            try:
                block = responses.survey.block_of(responses.survey.question(d).id)
            except KeyError:
                continue
            if block.touchpoint:
                touchpoints[d] = block.touchpoint
    shown_labels = []
    for g, d in zip(given, names):
        shown_labels.append(labels.get(g) or labels.get(d)
                            or _survey_label(responses, d, language) or d)
    return _Prepared(outcome=outcome, drivers=names, given=given, labels=shown_labels,
                     user_labels=labels,
                     outcome_label=_outcome_label(responses, outcome, labels),
                     values=values, weights=w, n_total=len(frame), responses=responses,
                     touchpoints=touchpoints)


# -- cross products and correlations ----------------------------------------------------
def _standardised(values: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    """``[1, (z - mean) / sd]`` with the (weighted) full-sample mean and sd, so sums of
    products in any resample lose no precision to large means."""
    weights = np.ones(values.shape[0]) if w is None else w
    mean = weights @ values / weights.sum()
    centred = values - mean
    sd = np.sqrt(weights @ centred ** 2 / weights.sum())
    return np.column_stack([np.ones(values.shape[0]), centred / sd])


@lru_cache(maxsize=None)
def _pairs(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the upper triangle (with diagonal) of a p x p matrix."""
    i, j = np.triu_indices(p)
    return i, j


def _products(a: np.ndarray, w: np.ndarray | None, start: int, stop: int) -> np.ndarray:
    """``w_i a_ir a_is`` for rows ``start:stop`` and every pair of columns r <= s (in
    the order of :func:`numpy.triu_indices`)."""
    part = a[start:stop]
    p = part.shape[1]
    out = np.empty((part.shape[0], p * (p + 1) // 2))
    at = 0
    for r in range(p):
        np.multiply(part[:, r:r + 1], part[:, r:], out=out[:, at:at + p - r])
        at += p - r
    if w is not None:
        out *= w[start:stop, None]
    return out


def _gram(a: np.ndarray, w: np.ndarray | None, counts: np.ndarray,
          max_elements: int = _MAX_ELEMENTS, products: np.ndarray | None = None
          ) -> np.ndarray:
    """``A' diag(c_b w) A`` for every row ``c_b`` of ``counts`` (b x n): (b, p, p).

    One matrix product per block of respondents: ``counts @ P`` with ``P`` the products
    ``w_i a_ir a_is`` of every pair of columns (r <= s); no row is ever copied. ``P`` is
    built block by block (at most ``max_elements`` numbers) unless it is given whole.
    """
    n, p = a.shape
    rows, cols = _pairs(p)
    if products is not None:
        flat = counts @ products
    else:
        block = max(1, max_elements // rows.size)
        flat = np.zeros((counts.shape[0], rows.size))
        for start in range(0, n, block):
            flat += counts[:, start:start + block] @ _products(a, w, start, start + block)
    gram = np.empty((counts.shape[0], p, p))
    gram[:, rows, cols] = flat
    gram[:, cols, rows] = flat
    return gram


def _correlations(gram: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Correlation matrices of ``[y, X]`` from cross products of ``[1, y, X]``, and a
    flag per matrix: True where a column has (next to) no variance."""
    total = gram[:, 0, 0]
    means = gram[:, 0, 1:] / total[:, None]
    cov = gram[:, 1:, 1:] / total[:, None, None] - means[:, :, None] * means[:, None, :]
    var = np.diagonal(cov, axis1=1, axis2=2)
    flat: np.ndarray = np.asarray((var <= 1e-12).any(axis=1))
    sd = np.sqrt(np.where(var > 1e-12, var, 1.0))
    corr = cov / sd[:, :, None] / sd[:, None, :]
    return corr, flat


# -- the two decompositions -------------------------------------------------------------
@lru_cache(maxsize=None)
def _subsets(k: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Every subset of size m of k drivers (C x m indices) and its bit mask."""
    combos = np.array(list(combinations(range(k), m)), dtype=np.intp).reshape(-1, m)
    masks = (np.left_shift(1, combos)).sum(axis=1)
    return combos, masks


@lru_cache(maxsize=None)
def _shapley_matrix(k: int) -> np.ndarray:
    """``M`` (2^k x k) with ``lmg = r2 @ M`` for ``r2`` the R² of every subset by mask:
    ``M[S | j, j] += w(|S|)``, ``M[S, j] -= w(|S|)`` for S without j, with the Shapley
    weight ``w(s) = s! (k - s - 1)! / k!``."""
    masks = np.arange(1 << k)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight = np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k)
                       for s in range(k)])
    matrix = np.zeros((1 << k, k))
    for j in range(k):
        without = masks[(masks >> j) & 1 == 0]
        matrix[without | (1 << j), j] += weight[sizes[without]]
        matrix[without, j] -= weight[sizes[without]]
    return matrix


def _per_resample_elements(k: int) -> int:
    return max(math.comb(k, m) * m * m for m in range(1, k + 1))


def _shapley(corr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LMG importances (b, k) and model R² (b,) from correlation matrices (b, 1+k, 1+k)
    of ``[y, X]``: the R² of every subset S is ``r_yS' R_SS^-1 r_yS``, solved for all
    subsets of one size at once."""
    b, k = corr.shape[0], corr.shape[1] - 1
    rxx, rxy = corr[:, 1:, 1:], corr[:, 1:, 0]
    r2 = np.zeros((b, 1 << k))
    for m in range(1, k + 1):
        combos, masks = _subsets(k, m)
        sub = rxx[:, combos[:, :, None], combos[:, None, :]]
        r = rxy[:, combos]
        solved = np.linalg.solve(sub, r[..., None])[..., 0]
        r2[:, masks] = np.einsum("bcm,bcm->bc", r, solved)
    return r2 @ _shapley_matrix(k), r2[:, -1]


def _relative_weights(corr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Johnson's relative weights (b, k) and R² (b,): with ``R_xx = Q diag(ev) Q'``,
    ``L = Q diag(sqrt(ev)) Q'``, ``beta = L^-1 r_xy`` and ``eps = (L ∘ L) beta²``."""
    rxx, rxy = corr[:, 1:, 1:], corr[:, 1:, 0]
    ev, q = np.linalg.eigh(rxx)
    ev = np.clip(ev, _COLLINEAR_TOL, None)
    lam = (q * np.sqrt(ev)[:, None, :]) @ np.swapaxes(q, 1, 2)
    beta = (q * (1 / np.sqrt(ev))[:, None, :]) @ np.einsum("bji,bj->bi", q, rxy)[..., None]
    beta2 = beta[..., 0] ** 2
    raw = np.einsum("bjk,bk->bj", lam ** 2, beta2)
    return raw, beta2.sum(axis=1)


def _importance(corr: np.ndarray, method: str,
                max_elements: int = _MAX_ELEMENTS) -> tuple[np.ndarray, np.ndarray]:
    """Importances and R² of a stack of correlation matrices, in chunks; matrices whose
    drivers are collinear give NaN."""
    k = corr.shape[1] - 1
    bad = np.linalg.eigvalsh(corr[:, 1:, 1:])[:, 0] < _COLLINEAR_TOL
    safe = corr.copy()
    safe[bad] = np.eye(k + 1)
    per = _per_resample_elements(k) if method == "shapley" else k * k
    chunk = max(1, max_elements // per)
    parts = [(_shapley if method == "shapley" else _relative_weights)(safe[s:s + chunk])
             for s in range(0, corr.shape[0], chunk)]
    estimate = np.concatenate([p[0] for p in parts])
    r2 = np.concatenate([p[1] for p in parts])
    estimate[bad], r2[bad] = np.nan, np.nan
    return estimate, r2


def _check_collinear(corr: np.ndarray, drivers: Sequence[str]) -> None:
    """An error naming the drivers that are perfectly collinear, if any are."""
    rxx = corr[1:, 1:]
    k = len(drivers)
    for i in range(k):
        for j in range(i + 1, k):
            if abs(rxx[i, j]) > 1 - 1e-10:
                raise StatsInputError(
                    f"drivers {drivers[i]!r} and {drivers[j]!r} are perfectly collinear "
                    f"(correlation {rxx[i, j]:+.3f} in the complete rows): one is a copy or "
                    f"a rescaling of the other, so their importance cannot be told apart; "
                    f"leave one of them out")
    ev, vec = np.linalg.eigh(rxx)
    if ev[0] < _COLLINEAR_TOL:
        weights = np.abs(vec[:, 0])
        involved = [drivers[int(i)]
                    for i in np.flatnonzero(weights > 0.05 * weights.max())]
        raise StatsInputError(
            f"drivers {', '.join(map(repr, involved))} are perfectly collinear: one is an "
            f"exact linear combination of the others (e.g. a total or an average of the "
            f"rest), so their importance cannot be told apart; leave one of them out")


# -- the bootstrap ----------------------------------------------------------------------
def _boot_counts(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """``size`` bootstrap resamples of ``n`` respondents as counts (size x n): each row
    is Multinomial(n, 1/n), drawn as n uniform picks tallied with ``bincount``."""
    picks = rng.integers(0, n, size=(size, n))
    picks += (np.arange(size) * n)[:, None]
    tally = np.bincount(picks.ravel(), minlength=size * n)
    del picks
    return tally.reshape(size, n).astype("float64")


def _bootstrap(a: np.ndarray, w: np.ndarray | None, method: str, n_boot: int,
               rng: np.random.Generator, max_elements: int = _MAX_ELEMENTS
               ) -> tuple[np.ndarray, np.ndarray]:
    """Importances (n_boot, k) and R² (n_boot,) of bootstrap resamples (NaN where a
    resample is degenerate)."""
    n, p = a.shape
    chunk = max(1, min(n_boot, max_elements // n))
    q = p * (p + 1) // 2
    products = _products(a, w, 0, n) if n * q <= _MAX_PRODUCTS else None
    estimates, r2s = [], []
    for start in range(0, n_boot, chunk):
        counts = _boot_counts(rng, n, min(chunk, n_boot - start))
        corr, flat = _correlations(_gram(a, w, counts, max_elements, products))
        corr[flat] = np.eye(a.shape[1] - 1)
        estimate, r2 = _importance(corr, method, max_elements)
        estimate[flat], r2[flat] = np.nan, np.nan
        estimates.append(estimate)
        r2s.append(r2)
    return np.concatenate(estimates), np.concatenate(r2s)


def _percentile(dist: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = (1 - level) / 2
    low, high = np.nanquantile(dist, [alpha, 1 - alpha], axis=0)
    return low, high


def _check_boot(n_boot: Any) -> int:
    if isinstance(n_boot, (int, np.integer)) and not isinstance(n_boot, bool) \
            and int(n_boot) == 0:
        return 0
    try:
        return check_n_boot(n_boot)
    except StatsInputError:
        raise StatsInputError(f"n_boot must be 0 (no intervals) or a whole number of at "
                              f"least 100 (1,000 is usual); got {n_boot!r}") from None


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
