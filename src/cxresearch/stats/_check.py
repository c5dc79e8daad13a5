"""Argument checks shared by every function in :mod:`cxresearch.stats`.

One place decides how scores, counts, levels and choices are read, and every message
names the argument, what was passed, and what is allowed.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import CxResearchError

__all__ = ["StatsInputError", "as_numbers", "as_scores", "check_choice", "check_level",
           "as_count_table", "is_count_table", "COUNT_NAMES"]


class StatsInputError(CxResearchError, ValueError):
    """An argument of a statistics function cannot be used as given."""


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def check_level(level: Any, name: str = "level") -> float:
    """A confidence level strictly between 0 and 1."""
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) \
            or not 0 < float(level) < 1:
        raise StatsInputError(f"{name} must be a number between 0 and 1 (e.g. 0.95), "
                              f"not {_shown(level)}")
    return float(level)


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """``value`` if it is one of ``allowed``; otherwise an error listing them."""
    options = list(allowed)
    if value not in options:
        raise StatsInputError(f"{name} must be one of {', '.join(map(repr, options))}; "
                              f"got {_shown(value)}")
    return value


def _to_array(values: Any, name: str) -> np.ndarray:
    if isinstance(values, (str, bytes)) or values is None or np.isscalar(values):
        raise StatsInputError(f"{name} must be a sequence of numbers (a list, array or "
                              f"column), not {_shown(values)}")
    if isinstance(values, pd.DataFrame):
        raise StatsInputError(f"{name} must be one column, not a table with columns "
                              f"{', '.join(map(str, values.columns[:6]))}")
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object).where(values.notna(), np.nan)
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        converted = pd.to_numeric(series, errors="coerce")
        bad = converted.isna() & series.notna()
        if bad.any():
            first = series[bad].iloc[0]
            raise StatsInputError(
                f"{name} must hold numbers; {int(bad.sum())} value(s) are not, the first is "
                f"{_shown(first)} (position {int(np.flatnonzero(bad.to_numpy())[0])})")
        series = converted
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("float64")
    try:
        return series.astype("float64").to_numpy()
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"{name} must hold numbers: {exc}") from None


def as_numbers(values: Any, name: str, *, min_n: int = 1) -> np.ndarray:
    """Finite numbers from a list, array or column; missing values (NaN, None, NA) are
    dropped. Strings that are numbers are accepted; other strings are an error."""
    array = _to_array(values, name)
    if np.isinf(array).any():
        raise StatsInputError(f"{name} contains infinite values")
    array = array[~np.isnan(array)]
    if array.size < min_n:
        raise StatsInputError(f"{name} needs at least {min_n} non-missing value(s); "
                              f"got {array.size}")
    return array


def as_scores(values: Any, name: str, scale: Sequence[float] | tuple[float, float], *,
              whole: bool = True, min_n: int = 1) -> np.ndarray:
    """Answers on a scale from ``scale[0]`` to ``scale[-1]``; an answer outside the scale
    (or not a whole number when ``whole``) is an error naming the first one."""
    array = as_numbers(values, name, min_n=min_n)
    low, high = float(scale[0]), float(scale[-1])
    outside = (array < low) | (array > high)
    if whole:
        outside |= array != np.round(array)
    if outside.any():
        first = array[outside][0]
        shown = int(first) if float(first).is_integer() else first
        raise StatsInputError(
            f"{name} holds {int(outside.sum())} answer(s) outside the scale "
            f"{low:g}..{high:g}{' (whole numbers)' if whole else ''}, e.g. {shown!r}; "
            f"recode them or pass the right scale")
    return array


COUNT_NAMES = ("count", "counts", "n")
"""A Series with one of these names is read as a table of category counts."""


def is_count_table(values: Any) -> bool:
    """True for a table of category counts: a ``dict`` ``{category: count}``, or a
    ``Series`` of counts indexed by category and named ``count``, ``counts`` or ``n``
    (as ``Series.value_counts()`` names it). Anything else is raw answers."""
    if isinstance(values, dict):
        return True
    return isinstance(values, pd.Series) and values.name in COUNT_NAMES


def as_count_table(values: Any, name: str) -> pd.Series:
    """Category counts (float, so weighted counts work) indexed by category value."""
    series = pd.Series(values, dtype="object") if isinstance(values, dict) else values
    index = pd.to_numeric(pd.Series(series.index, dtype="object"), errors="coerce")
    if index.isna().any():
        bad = series.index[index.isna().to_numpy()][0]
        raise StatsInputError(f"{name}: the categories of a count table must be numbers "
                              f"(scale points); got {_shown(bad)}")
    counts = pd.to_numeric(pd.Series(series.to_numpy(), dtype="object"), errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        raise StatsInputError(f"{name}: counts must be numbers of at least 0; got "
                              f"{_shown(list(series.to_numpy()[:6]))}")
    return pd.Series(counts.astype("float64").to_numpy(),
                     index=pd.Index(index.astype("float64").to_numpy(), name="value"),
                     name="count").groupby(level=0).sum()
