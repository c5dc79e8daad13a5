"""How :func:`cxresearch.stats.compare` reads its data: columns, groups, metric, SESOI.

Private helpers of :mod:`cxresearch.stats._verdict`; every message names the argument
and what was passed.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError

__all__: list[str] = []

_METRIC_OF_ITEM = {"nps": "nps", "enps": "nps", "csat": "top_box"}


def _frame_of(data: Any) -> tuple[pd.DataFrame, Any]:
    """The DataFrame and, for :class:`~cxresearch.data.Responses`, the responses."""
    if isinstance(data, pd.DataFrame):
        return data, None
    frame = getattr(data, "data", None)
    if isinstance(frame, pd.DataFrame) and hasattr(data, "survey"):
        return frame, data
    raise StatsInputError(f"data must be a DataFrame or Responses, not "
                          f"{type(data).__name__}")


def _column(frame: pd.DataFrame, name: Any, argument: str) -> pd.Series:
    if not isinstance(name, str) or name not in frame.columns:
        shown = ", ".join(map(str, list(frame.columns)[:12]))
        raise StatsInputError(f"{argument}={name!r} is not a column of data; columns: "
                              f"{shown}{', ...' if frame.shape[1] > 12 else ''}")
    return frame[name]


def _numeric(series: pd.Series, argument: str) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = pd.to_numeric(pd.Series(series.cat.categories), errors="coerce")
        if categories.isna().any():
            raise StatsInputError(
                f"{argument} '{series.name}' holds categories that are not numbers "
                f"({', '.join(map(str, series.cat.categories[:5]))}); compare a scale, a "
                "rating, a number or a 0/1 column, or name the answers that count with "
                "success=...")
        return pd.Series(categories.to_numpy(dtype="float64")[series.cat.codes.to_numpy()],
                         index=series.index).where(series.notna().to_numpy())
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64")
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        raise StatsInputError(f"{argument} '{series.name}' must hold numbers; e.g. "
                              f"{series[bad].iloc[0]!r} is not one")
    return converted.astype("float64")


def _question(responses: Any, outcome: str) -> Any:
    if responses is None:
        return None
    for q in responses.survey.questions():
        if outcome in q.field_ids():
            return q
    return None


def _label(responses: Any, outcome: str, label: str | None, lang: str = "en") -> str:
    if label:
        return label
    q = _question(responses, outcome)
    if q is not None and q.type != "likert_matrix":
        text = q.label.get(lang) or next(iter(q.label.values()), "")
        if text:
            return f"{text.strip()} ({outcome})"
    return outcome


def _pick_metric(metric: str, values: pd.Series, question: Any) -> tuple[str, str]:
    """The metric, and the rule that chose it."""
    if metric != "auto":
        return metric, f"metric '{metric}' as asked"
    item_metric = getattr(question, "metric", None)
    if item_metric in _METRIC_OF_ITEM:
        chosen = _METRIC_OF_ITEM[item_metric]
        return chosen, f"item bank metric '{item_metric}' is reported as {chosen}"
    distinct = set(values.dropna().unique())
    if distinct <= {0.0, 1.0}:
        return "proportion", "answers are 0/1: a difference in proportions"
    return "mean", "a scale or number: a difference in means (Welch)"


def _levels(series: pd.Series, before: Any, after: Any, argument: str) -> tuple[Any, Any]:
    present = list(pd.unique(series.dropna()))
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = [c for c in series.cat.categories if c in set(present)]
    else:
        try:
            present = sorted(present)
        except TypeError:
            pass
    if before is not None or after is not None:
        for name, value in (("before", before), ("after", after)):
            if value not in present:
                raise StatsInputError(f"{name}={value!r} is not a value of {argument} "
                                      f"'{series.name}'; its values: "
                                      f"{', '.join(map(repr, present[:10]))}")
        if before is None or after is None:
            raise StatsInputError("give both before= and after= (or neither)")
        return before, after
    if len(present) != 2:
        raise StatsInputError(
            f"{argument} '{series.name}' must have exactly two values to compare, or say "
            f"which two with before= and after=; it has {len(present)}: "
            f"{', '.join(map(repr, present[:10]))}")
    return present[0], present[1]


def _group_value(metric: str, values: np.ndarray) -> float:
    from . import nps

    if values.size == 0:
        return float("nan")
    if metric == "nps":
        return float(nps(values).estimate)
    if metric == "ordinal":
        return float(np.median(values))
    return float(np.mean(values))


def _sesoi(sesoi: float | None, responses: Any, outcome: str, metric: str) -> float | None:
    if sesoi is not None:
        if isinstance(sesoi, bool) or not isinstance(sesoi, (int, float)) or \
                not sesoi >= 0:
            raise StatsInputError(f"sesoi must be a number of 0 or more (the size of the "
                                  f"smallest change that matters); got {sesoi!r}")
        return float(sesoi)
    folder = getattr(responses, "study", None) if responses is not None else None
    if not folder:
        return None
    from pathlib import Path

    from ..data._study import read_study_settings

    path = Path(folder) / "study.yaml"
    if not path.is_file():
        return None
    effects = read_study_settings(path).smallest_effects
    return effects.get(outcome, effects.get(metric))


def _top_values(question: Any, scale: Sequence[float] | None, top: int) -> list[float]:
    if scale is None and question is not None and question.scale is not None:
        scale = question.scale.values()
    if scale is None:
        raise StatsInputError("metric 'top_box' needs the scale: pass scale=(1, 5) (or "
                              "read the data with read_responses, whose questions know it)")
    points = list(scale) if len(scale) != 2 else list(range(int(scale[0]), int(scale[1]) + 1))
    if not 1 <= top < len(points):
        raise StatsInputError(f"top must be between 1 and {len(points) - 1} for a "
                              f"{len(points)}-point scale; got {top!r}")
    return [float(v) for v in points[-top:]]


