"""The arithmetic behind key drivers, on numpy arrays.

Cross products of the outcome and the drivers and their correlation matrices, the two
ways to split R² (Shapley/LMG and Johnson's relative weights), the check for collinear
drivers, and the bootstrap, which draws each resample as counts of respondents instead
of copying rows. Private helpers of :mod:`cxresearch.stats._drivers` and
:mod:`cxresearch.stats._ipa`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import combinations
from typing import Any, Sequence

import numpy as np

from ._bootstrap import check_n_boot
from ._check import StatsInputError

__all__: list[str] = []

_MAX_ELEMENTS = 1 << 22
"""Numbers per chunk of the bootstrap (4 Mi float64, about 32 MB per array)."""

_MAX_PRODUCTS = 1 << 24
"""The bootstrap keeps the pairwise products of all rows (``n x p(p+1)/2``) in memory
up to this many numbers (16 Mi, 128 MB: 100,000 respondents with 12 drivers); above,
it rebuilds them block by block for every chunk of resamples."""

_COLLINEAR_TOL = 1e-10
"""Smallest eigenvalue of the drivers' correlation matrix below which they count as
perfectly collinear."""


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
