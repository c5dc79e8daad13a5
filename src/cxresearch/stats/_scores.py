"""Reading scale answers for the metrics (:mod:`._metrics`, :mod:`._nps`).

Answers come raw (a list, array or column; missing answers are dropped; optionally one
survey weight per answer) or as a table of category counts (``{score: count}`` or
``value_counts()``; see :func:`cxresearch.stats._check.is_count_table`), and both are
read into the same :class:`Tally` of answers per scale point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._check import (StatsInputError, as_count_table, as_numbers, as_scores, is_count_table,
                     shown, to_array)
from ._weights import as_weights

__all__ = ["Tally", "checked_count_table", "raw_scores", "tally_scores", "whole_scale"]


@dataclass(frozen=True)
class Tally:
    """Answers per scale point: ``counts`` (weighted sums when weighted), respondents
    ``n``, Kish effective ``n_eff`` (``n`` unweighted)."""

    counts: np.ndarray
    n: int
    n_eff: float
    weighted: bool


def whole_scale(scale: Any, name: str = "scale") -> tuple[int, int]:
    """``(lowest, highest)`` of a scale given as two whole numbers, lowest first."""
    try:
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise StatsInputError(f"{name} must be two whole numbers (lowest, highest), e.g. "
                              f"(1, 5); got {shown(scale)}") from None
    if not (low.is_integer() and high.is_integer() and low < high):
        raise StatsInputError(f"{name} must be two whole numbers, lowest first, e.g. "
                              f"(1, 5); got {shown(scale)}")
    return int(low), int(high)


def raw_scores(scores: Any, name: str, weights: Any, scale: tuple[float, float] | None,
               *, whole: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Answers (missing ones dropped, checked against ``scale``) and their weights."""
    array = to_array(scores, name)
    if weights is not None:
        if isinstance(weights, pd.Series) and isinstance(scores, pd.Series) \
                and not weights.index.equals(scores.index):
            if not scores.index.isin(weights.index).all():
                raise StatsInputError(f"weights (a Series) has no weight for some rows of "
                                      f"{name}; their indexes must match")
            weights = weights.reindex(scores.index)
        all_weights = to_array(weights, "weights")
        if all_weights.size != array.size:
            raise StatsInputError(f"weights must have one weight per answer in {name} "
                                  f"({array.size:,}); got {all_weights.size:,}")
    keep = ~np.isnan(array)
    values = array[keep]
    if scale is None:
        values = as_numbers(values, name)
    else:
        values = as_scores(values, name, scale, whole=whole)
    # a weight may be missing where the answer is; elsewhere it must be usable
    w = None if weights is None else as_weights(all_weights[keep], "weights")
    return values, w


def checked_count_table(scores: Any, name: str, scale: tuple[float, float] | None
                        ) -> pd.Series:
    """A count table with whole counts, categories checked against ``scale``."""
    table = as_count_table(scores, name)
    counts = table.to_numpy()
    if (counts != np.round(counts)).any():
        raise StatsInputError(f"{name}: counts must be whole numbers; got "
                              f"{shown(list(counts[:6]))}. For weighted data pass the "
                              f"raw answers with weights=")
    table = table[table > 0]
    if table.sum() < 1:
        raise StatsInputError(f"{name}: the count table holds no answers")
    if scale is not None:
        as_scores(table.index.to_numpy(), f"{name} (categories of the count table)", scale,
                  whole=False)
    return table


def tally_scores(scores: Any, name: str, scale: tuple[int, int], weights: Any) -> Tally:
    """Answers per point of a whole-number scale, from raw answers or counts."""
    low, high = scale
    size = high - low + 1
    if is_count_table(scores):
        if weights is not None:
            raise StatsInputError("weights apply to raw answers (one weight per answer), "
                                  "not to a count table; pass the answers instead")
        table = checked_count_table(scores, name, scale)
        index = table.index.to_numpy()
        if (index != np.round(index)).any():
            raise StatsInputError(f"{name}: the categories of the count table must be "
                                  f"whole scale points; got {shown(list(index[:6]))}")
        counts = np.zeros(size)
        np.add.at(counts, (index - low).astype(np.int64), table.to_numpy())
        n = int(counts.sum())
        return Tally(counts, n, float(n), False)
    values, w = raw_scores(scores, name, weights, (low, high), whole=True)
    binned = np.bincount((values - low).astype(np.int64), weights=w, minlength=size)
    n_eff = float(values.size if w is None else w.sum() ** 2 / (w ** 2).sum())
    return Tally(binned.astype("float64"), int(values.size), n_eff, w is not None)
