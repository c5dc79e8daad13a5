"""Argument checks shared by every function in :mod:`cxresearch.stats`.

One place decides how scores, counts, levels and choices are read, and every message
names the argument, what was passed, and what is allowed.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import CxResearchError

__all__ = ["StatsInputError", "as_answers", "as_count_table", "as_numbers", "as_pairs",
           "as_scores", "as_successes", "check_binary", "check_choice", "check_level",
           "is_count_table", "shown", "to_array", "COUNT_NAMES"]


class StatsInputError(CxResearchError, ValueError):
    """An argument of a statistics function cannot be used as given."""


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def check_level(level: Any, name: str = "level") -> float:
    """A confidence level strictly between 0 and 1."""
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) \
            or not 0 < float(level) < 1:
        raise StatsInputError(f"{name} must be a number between 0 and 1 (e.g. 0.95), "
                              f"not {shown(level)}")
    return float(level)


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """``value`` if it is one of ``allowed``; otherwise an error listing them."""
    options = list(allowed)
    if value not in options:
        raise StatsInputError(f"{name} must be one of {', '.join(map(repr, options))}; "
                              f"got {shown(value)}")
    return value


def to_array(values: Any, name: str) -> np.ndarray:
    """A float array from a list, array or column, missing values kept as NaN; strings
    that are numbers are accepted, other strings (and tables, scalars) are an error."""
    if isinstance(values, (str, bytes)) or values is None or np.isscalar(values):
        raise StatsInputError(f"{name} must be a sequence of numbers (a list, array or "
                              f"column), not {shown(values)}")
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
                f"{shown(first)} (position {int(np.flatnonzero(bad.to_numpy())[0])})")
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
    array = to_array(values, name)
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
        example = int(first) if float(first).is_integer() else first
        raise StatsInputError(
            f"{name} holds {int(outside.sum())} answer(s) outside the scale "
            f"{low:g}..{high:g}{' (whole numbers)' if whole else ''}, e.g. {example!r}; "
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
                              f"(scale points); got {shown(bad)}")
    counts = pd.to_numeric(pd.Series(series.to_numpy(), dtype="object"), errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        raise StatsInputError(f"{name}: counts must be numbers of at least 0; got "
                              f"{shown(list(series.to_numpy()[:6]))}")
    return pd.Series(counts.astype("float64").to_numpy(),
                     index=pd.Index(index.astype("float64").to_numpy(), name="value"),
                     name="count").groupby(level=0).sum()


# -- answers of comparisons ---------------------------------------------------------------
def as_answers(values: Any, name: str, min_n: int) -> tuple[np.ndarray, int]:
    """Finite numbers and how many answers were missing; a count table is expanded."""
    if is_count_table(values):
        table = as_count_table(values, name)
        if (table != np.round(table)).any():
            raise StatsInputError(f"{name}: a count table here needs whole counts; got "
                                  f"{shown(list(table.to_numpy()[:6]))}")
        array = np.repeat(table.index.to_numpy(), table.to_numpy().astype(np.int64))
        if array.size < min_n:
            raise StatsInputError(f"{name} needs at least {min_n} answer(s); the count "
                                  f"table holds {array.size}")
        return array, 0
    array = as_numbers(values, name, min_n=min_n)
    return array, len(values) - array.size


def as_pairs(a: Any, b: Any, min_n: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Complete pairs (a_i, b_i) by position, and how many pairs had a side missing."""
    for value, name in ((a, "a"), (b, "b")):
        if is_count_table(value):
            raise StatsInputError(f"{name}: a paired comparison needs each respondent's "
                                  f"answers in order, not a table of counts")
    x, y = to_array(a, "a"), to_array(b, "b")
    if x.size != y.size:
        raise StatsInputError(f"paired answers must line up one to one: a has {x.size} "
                              f"answers and b has {y.size}")
    if np.isinf(x).any() or np.isinf(y).any():
        raise StatsInputError("a and b must not contain infinite values")
    keep = ~(np.isnan(x) | np.isnan(y))
    if keep.sum() < min_n:
        raise StatsInputError(f"a paired comparison needs at least {min_n} complete "
                              f"pair(s); got {int(keep.sum())} of {x.size}")
    return x[keep], y[keep], int(x.size - keep.sum())


def check_binary(array: np.ndarray, name: str) -> None:
    """An error unless ``array`` holds only 0, 1 and NaN."""
    bad = ~np.isin(array, (0.0, 1.0)) & ~np.isnan(array)
    if bad.any():
        raise StatsInputError(f"{name} must hold 0/1 (or True/False) answers; "
                              f"{int(bad.sum())} are not, e.g. {shown(array[bad][0])}")


def as_successes(values: Any, name: str) -> tuple[int, int, int]:
    """``(successes, n, missing)`` from 0/1 answers, a count table or a tuple (x, n)."""
    if isinstance(values, tuple) and len(values) == 2:
        x, n = values
        ok = all(isinstance(v, (int, np.integer, float)) and not isinstance(v, bool)
                 and float(v).is_integer() for v in (x, n))
        if not ok or not 0 <= x <= n or n < 1:
            raise StatsInputError(f"{name} as a tuple must be (successes, n) with whole "
                                  f"numbers 0 <= successes <= n and n >= 1; got "
                                  f"{shown(values)}")
        return int(x), int(n), 0
    array, missing = as_answers(values, name, min_n=1)
    check_binary(array, name)
    return int(array.sum()), int(array.size), missing
