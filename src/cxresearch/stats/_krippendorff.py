"""Krippendorff's alpha: agreement among any number of coders, missing codes allowed.

Our own code (the coincidence-matrix method of Krippendorff 2011): neither scipy nor
statsmodels has it, and the library that does is not a dependency of this package. The
coded data are read as for the kappas (:mod:`cxresearch.stats._coding`); Cohen's and
Fleiss' kappa are in :mod:`cxresearch.stats._agreement`.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_choice, check_level
from ._coding import (as_labels, category_codes, category_order, check_n_boot,
                      coders_table, numeric_or_same, percentile_interval, resample_units,
                      undefined_result)
from ._result import Result

__all__ = ["krippendorff_alpha", "LEVELS"]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
"""Levels of measurement of :func:`krippendorff_alpha`."""

_DENSE_LIMIT = 20_000_000
"""Largest patterns x values^2 array the Krippendorff bootstrap builds at once."""


def krippendorff_alpha(data: Any,
                       level: Literal["nominal", "ordinal", "interval", "ratio"]
                       = "nominal", *, categories: Sequence[Any] | None = None,
                       conf_level: float = 0.95, n_boot: int = 1000,
                       seed: int = 0) -> Result:
    r"""Krippendorff's alpha: agreement among any number of coders, missing codes allowed.

    Parameters
    ----------
    data : DataFrame or 2-D array
        One row per unit, one column per coder, NaN where a coder did not code the unit.
        Units coded by fewer than 2 coders carry no information on agreement and are
        dropped (counted in ``extra["units_dropped"]``).
    level : {"nominal", "ordinal", "interval", "ratio"}
        The **level of measurement** of the codes (the issue's name for it). Because
        ``level`` is taken, the confidence level is ``conf_level`` here, unlike every
        other function in :mod:`cxresearch.stats`; ``Result.level`` still holds the
        confidence level. Interval and ratio need numbers (ratio: at least 0); ordinal
        needs an order (numbers, an ordered categorical, or ``categories``).
    categories : sequence, optional
        All categories, in order (nominal and ordinal). Unused ones do not change alpha.
    conf_level : float
        Confidence level of the interval.
    n_boot : int
        Bootstrap resamples of units for the interval (0: no interval).
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    Result
        ``estimate`` alpha; ``ci_low``, ``ci_high`` percentile bootstrap interval over
        units; ``se`` the bootstrap standard deviation; ``n`` units used; ``extra``:
        ``measurement_level``, ``n_coders``, ``n_values`` (pairable codes),
        ``units_dropped``, ``observed_disagreement``, ``expected_disagreement``,
        ``n_boot``, ``seed``. NaN with ``extra["note"]`` when all codes are the same.

    Notes
    -----
    Our own code: neither scipy nor statsmodels computes alpha. Following Krippendorff
    (2011), a unit :math:`u` with :math:`m_u \ge 2` codes adds
    :math:`(n_{uc} n_{uk} - [c = k]\, n_{uc}) / (m_u - 1)` to the coincidence matrix
    :math:`o_{ck}`; :math:`n_c = \sum_k o_{ck}`, :math:`n = \sum_c n_c`, and

    .. math::

        \alpha = 1 - (n - 1) \frac{\sum_{c,k} o_{ck}\, \delta^2_{ck}}
        {\sum_{c,k} n_c n_k\, \delta^2_{ck}},

    with :math:`\delta^2_{ck}` = :math:`[c \ne k]` (nominal),
    :math:`(\sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2` (ordinal),
    :math:`(c - k)^2` (interval), :math:`((c - k)/(c + k))^2` (ratio).
    Checked against Krippendorff (2011)'s worked example (4 coders x 12 units with
    missing codes: nominal .743, ordinal .815, interval .849, ratio .797) and the
    example of Wikipedia's "Krippendorff's alpha" article (nominal .691, interval .811).
    The interval resamples units (a plain bootstrap; Krippendorff's own bootstrap
    resamples pairs of values and can differ a little).

    References: Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
    Annenberg School for Communication, University of Pennsylvania.
    https://repository.upenn.edu/asc_papers/43. Hayes, A. F., & Krippendorff, K. (2007).
    Communication Methods and Measures, 1(1), 77-89.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> codes = pd.DataFrame({"ann": [1, 2, 3, 3, 2, 1], "bob": [1, 2, 3, 3, 2, 2],
    ...                       "cem": [np.nan, 3, 3, 3, 2, 3]})
    >>> res = krippendorff_alpha(codes, "ordinal", n_boot=200)
    >>> round(res.estimate, 3)
    0.593
    """
    conf_level = check_level(conf_level, "conf_level")
    check_choice("level", level, LEVELS)
    n_boot = check_n_boot(n_boot)
    frame = coders_table(data)
    columns = numeric_or_same([as_labels(frame[c], f"data[{c!r}]") for c in frame.columns])
    numeric = all(pd.api.types.is_float_dtype(c) for c in columns)
    if level in ("interval", "ratio") and not numeric:
        raise StatsInputError(f"data must hold numbers for level={level!r}; recode the "
                              f"labels or use level='nominal' or 'ordinal'")
    if numeric and any(np.isinf(c.to_numpy(float)).any() for c in columns):
        raise StatsInputError("data contains infinite values")
    if level == "ratio" and any((c.dropna() < 0).any() for c in columns):
        raise StatsInputError("data holds negative numbers, which a ratio scale (with a "
                              "true zero) does not have; use level='interval'")
    domain = category_order(columns, [frame[c] for c in frame.columns], categories,
                     need_order=level == "ordinal", what="data")
    codes = np.column_stack([category_codes(c, domain) for c in columns])
    counts = np.zeros((len(frame), len(domain)))
    rows = np.repeat(np.arange(len(frame)), codes.shape[1])
    flat = codes.ravel()
    np.add.at(counts, (rows[flat >= 0], flat[flat >= 0]), 1)
    m = counts.sum(1)
    keep = m >= 2
    if not keep.any():
        raise StatsInputError("data: no unit was coded by at least 2 coders, so there is "
                              "no agreement to measure; alpha needs units that 2 or more "
                              "coders coded")
    counts, m = counts[keep], m[keep]
    values = np.asarray(domain, dtype=float) if numeric else np.arange(len(domain), dtype="float64")
    scaled = 1.0 / (m - 1.0)
    coincidence = (counts * scaled[:, None]).T @ counts - np.diag(scaled @ counts)
    alpha, observed, expected = _alpha_from(coincidence[None], values, level)
    extra: dict[str, Any] = {
        "measurement_level": level, "n_coders": frame.shape[1],
        "n_values": int(m.sum()), "units_dropped": int((~keep).sum()),
        "observed_disagreement": float(observed[0]),
        "expected_disagreement": float(expected[0])}
    name = f"Krippendorff's alpha ({level})"
    definition = (f"agreement among coders on {level} codes, 1 - observed / expected "
                  f"disagreement: 1 perfect, 0 as if codes were assigned at random")
    if not math.isfinite(float(alpha[0])):
        return undefined_result(name, int(keep.sum()), conf_level, definition, extra)
    low = high = math.nan
    se: float | None = None
    if n_boot:
        boot = _krippendorff_boot(counts, scaled, values, level, n_boot, seed)
        low, high, se = percentile_interval(boot, conf_level)
    method = ("coincidence-matrix method of Krippendorff (2011), our own code; " +
              (f"percentile bootstrap interval over units ({n_boot} resamples, seed {seed})"
               if n_boot else "no interval (n_boot=0)"))
    return Result(name=name, estimate=float(alpha[0]), ci_low=low, ci_high=high,
                  n=int(keep.sum()), level=conf_level, se=se, method=method,
                  definition=definition, extra={**extra, "n_boot": n_boot, "seed": seed})


def _alpha_from(coincidence: np.ndarray, values: np.ndarray,
                level: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alpha, observed and expected disagreement for a stack of coincidence matrices."""
    n_c = coincidence.sum(2)                       # (b, V)
    n = n_c.sum(1)                                 # (b,)
    if level == "nominal":
        delta = (1.0 - np.eye(len(values)))[None]
    elif level == "ordinal":
        cum = np.cumsum(n_c, axis=1)
        low = np.minimum.outer(np.arange(len(values)), np.arange(len(values)))
        high = np.maximum.outer(np.arange(len(values)), np.arange(len(values)))
        between = cum[:, high] - cum[:, low] + n_c[:, low]
        delta = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2.0) ** 2
    elif level == "interval":
        delta = np.subtract.outer(values, values)[None] ** 2
    else:
        total = np.add.outer(values, values)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total == 0, 0.0, np.subtract.outer(values, values) / total)
        delta = (ratio ** 2)[None]
    observed = (coincidence * delta).sum((1, 2)) / n
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum((1, 2)) / (n * (n - 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(expected > 1e-15, 1.0 - observed / expected, np.nan)
    return alpha, observed, expected


def _krippendorff_boot(counts: np.ndarray, scaled: np.ndarray, values: np.ndarray,
                       level: str, n_boot: int, seed: int) -> np.ndarray:
    """Alpha of ``n_boot`` resamples of units, in chunks of bounded memory.

    Units with the same codes add the same to the coincidence matrix, so resamples are
    counted per distinct pattern of codes (few, for coded data) and the coincidence
    matrices of a chunk of resamples are one matrix product."""
    rng = np.random.default_rng(seed)
    n_units, n_values = counts.shape
    patterns, first, groups = np.unique(counts, axis=0, return_index=True,
                                        return_inverse=True)
    groups = np.asarray(groups).ravel()
    scale = scaled[first]
    idx = np.arange(n_values)
    dense = len(patterns) * n_values ** 2 <= _DENSE_LIMIT
    if dense:
        per_pattern = patterns[:, :, None] * patterns[:, None, :] * scale[:, None, None]
        per_pattern[:, idx, idx] -= patterns * scale[:, None]
        flat = per_pattern.reshape(len(patterns), -1)
    chunk = max(1, min(n_boot, 4_000_000 // max(n_units, n_values ** 2, 1)))
    out = np.empty(n_boot)
    done = 0
    while done < n_boot:
        size = min(chunk, n_boot - done)
        w = resample_units(rng, n_units, size, groups, len(patterns)).astype("float64")
        if dense:
            coincidence = (w @ flat).reshape(size, n_values, n_values)
        else:  # many distinct values: one V x V product per resample
            coincidence = np.stack([(patterns * (row * scale)[:, None]).T @ patterns
                                    for row in w])
            coincidence[:, idx, idx] -= (w * scale) @ patterns
        out[done:done + size] = _alpha_from(coincidence, values, level)[0]
        done += size
    return out
