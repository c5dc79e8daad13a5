"""Reading coded data for the agreement coefficients (:mod:`._agreement`,
:mod:`._krippendorff`), and what they share: the undefined result and the bootstrap over
units.

Coded data come as one row per unit (an answer, a quote, a transcript segment) and one
column per coder. Labels may be numbers or text; when the order of the categories
matters it is taken from ``categories``, from an ordered categorical, or from the
numbers themselves (:func:`category_order`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._check import StatsInputError, shown
from ._result import Result

__all__ = ["UNDEFINED", "as_labels", "category_codes", "category_order", "check_n_boot",
           "coders_table", "numeric_or_same", "percentile_interval", "resample_units",
           "undefined_result"]

UNDEFINED = ("undefined: every rating is in the same category, so chance agreement is "
             "perfect and the coefficient is 0/0")
"""The note of a coefficient that is 0/0 (``extra["note"]``)."""


def as_labels(values: Any, name: str) -> pd.Series:
    """Labels as an object Series (missing as NaN); numbers when all of them are."""
    if isinstance(values, (str, bytes)) or values is None or np.isscalar(values):
        raise StatsInputError(f"{name} must be a sequence of codes (a list, array or "
                              f"column), not {shown(values)}")
    if isinstance(values, pd.DataFrame) or getattr(values, "ndim", 1) != 1:
        raise StatsInputError(f"{name} must be one column of codes, not a table of shape "
                              f"{getattr(values, 'shape', '?')}")
    series = values if isinstance(values, pd.Series) else \
        pd.Series(values if isinstance(values, np.ndarray) else list(values))
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return series.astype(object).where(series.notna(), np.nan)


def numeric_or_same(columns: list[pd.Series]) -> list[pd.Series]:
    """All columns as floats when every label is a number; otherwise unchanged."""
    converted = [pd.to_numeric(c, errors="coerce") for c in columns]
    if all(not (v.isna() & c.notna()).any() for v, c in zip(converted, columns)):
        return [v.astype("float64") for v in converted]
    return columns


def category_order(columns: list[pd.Series], originals: list[Any], categories: Any,
                   need_order: bool, what: str) -> list[Any]:
    """The ordered list of categories: given, from a categorical, or sorted labels."""
    observed = pd.unique(pd.concat(columns, ignore_index=True).dropna().to_numpy()).tolist()
    if categories is not None:
        if isinstance(categories, (str, bytes)) or np.isscalar(categories):
            raise StatsInputError(f"categories must be a list of categories, not "
                                  f"{shown(categories)}")
        domain = list(categories)
        numeric = pd.to_numeric(pd.Series(domain, dtype=object), errors="coerce")
        if numeric.notna().all() and all(pd.api.types.is_float_dtype(c) for c in columns):
            domain = [float(v) for v in numeric]
        if len(set(domain)) != len(domain):
            raise StatsInputError(f"categories has duplicates: {shown(domain)}")
        unknown = [v for v in observed if v not in set(domain)]
        if unknown:
            raise StatsInputError(f"{what} holds {len(unknown)} code(s) not in categories, "
                                  f"e.g. {shown(unknown[0])}; categories are "
                                  f"{shown(domain)}")
        return domain
    for original in originals:
        dtype = getattr(original, "dtype", None)
        if isinstance(dtype, pd.CategoricalDtype):
            cats = list(original.cat.categories)
            if all(pd.api.types.is_float_dtype(c) for c in columns):
                cats = [float(v) for v in pd.to_numeric(pd.Series(cats, dtype=object))]
            extra = [v for v in observed if v not in set(cats)]
            if extra:
                raise StatsInputError(f"{what} holds codes outside the categories of its "
                                      f"categorical columns, e.g. {shown(extra[0])}")
            if need_order and not original.cat.ordered:
                continue
            return cats
    if all(pd.api.types.is_float_dtype(c) for c in columns):
        return sorted(float(v) for v in observed)
    if need_order:
        raise StatsInputError(f"{what} holds text codes, whose order is unknown; pass "
                              f"categories=[...] in order (lowest first) or use an "
                              f"ordered categorical")
    try:
        return sorted(observed)
    except TypeError:
        return sorted(observed, key=str)


def category_codes(column: pd.Series, domain: list[Any]) -> np.ndarray:
    """Positions of the labels in ``domain`` (-1 for missing)."""
    return np.asarray(pd.Categorical(column, categories=domain).codes, dtype=np.int64)


def coders_table(data: Any, name: str = "data") -> pd.DataFrame:
    """``data`` as a units x coders DataFrame (at least 2 coders, 1 unit)."""
    if isinstance(data, np.ndarray) and data.ndim == 2 or isinstance(data, list):
        data = pd.DataFrame(data)
    if not isinstance(data, pd.DataFrame):
        raise StatsInputError(f"{name} must be a table (DataFrame) with one row per unit "
                              f"and one column per coder, not {shown(data)}")
    if data.shape[1] < 2:
        raise StatsInputError(f"{name} needs at least 2 coder columns; got "
                              f"{data.shape[1]} ({', '.join(map(repr, data.columns))})")
    if data.shape[0] < 1:
        raise StatsInputError(f"{name} has no units (rows)")
    return data


def check_n_boot(n_boot: Any) -> int:
    """A number of bootstrap resamples: a whole number of at least 0."""
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise StatsInputError(f"n_boot must be a whole number of at least 0; got "
                              f"{shown(n_boot)}")
    return int(n_boot)


def undefined_result(name: str, n: int, level: float, definition: str,
                     extra: dict[str, Any]) -> Result:
    """A NaN result saying why: chance agreement is perfect (:data:`UNDEFINED`)."""
    return Result(name=name, estimate=math.nan, ci_low=math.nan, ci_high=math.nan, n=n,
                  level=level, method="no estimate: " + UNDEFINED, definition=definition,
                  extra={**extra, "note": UNDEFINED})


def resample_units(rng: np.random.Generator, n_units: int, size: int,
                   groups: np.ndarray | None = None, n_groups: int = 0) -> np.ndarray:
    """How often each unit (or each group of units, ``groups[unit]``) is drawn in
    ``size`` bootstrap resamples of the units: a ``size`` x units (groups) array."""
    draws = rng.integers(0, n_units, (size, n_units))
    width = n_units
    if groups is not None:
        draws, width = groups[draws], n_groups
    draws = draws + (np.arange(size) * width)[:, None]
    return np.bincount(draws.ravel(), minlength=size * width).reshape(size, width)


def percentile_interval(values: np.ndarray, level: float
                        ) -> tuple[float, float, float | None]:
    """Percentile interval and standard deviation of bootstrap estimates (NaN, NaN,
    None with fewer than 2 finite ones)."""
    values = values[np.isfinite(values)]
    if values.size < 2:
        return math.nan, math.nan, None
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high), float(np.std(values, ddof=1))
