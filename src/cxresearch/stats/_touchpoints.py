"""Scores per touchpoint: the customer's satisfaction and the employee's enablement.

Instrument blocks link to a journey's touchpoints by id (``block.touchpoint``); the
questions in them name their item-bank item (``question.item``: ``touchpoint_satisfaction``,
``touchpoint_effort``, ``enablement``, ...). This module turns answers into one small table
per touchpoint (and per group, e.g. team or wave), from sufficient statistics (count,
sum and sum of squares per group), so a million answers cost one group-by.

Groups smaller than the minimum group size are suppressed: their estimate and interval
are missing and ``suppressed`` is True, so no table or chart built on them can show them.
"""

from __future__ import annotations

from typing import Any, Hashable, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_level
from ._verdict_data import _frame_of, _numeric

__all__ = ["TOUCHPOINT_COLUMNS", "enablement_scores", "touchpoint_fields",
           "touchpoint_scores"]

TOUCHPOINT_COLUMNS = ("touchpoint", "field", "n", "estimate", "ci_low", "ci_high", "sd",
                      "scale_low", "scale_high", "suppressed")
"""Columns of :func:`touchpoint_scores` and :func:`enablement_scores` (after any ``by``
columns, which come right after ``touchpoint``)."""


def touchpoint_fields(survey: Any, item: str) -> dict[str, list[str]]:
    """Answer fields of the questions of item ``item``, per touchpoint.

    Parameters
    ----------
    survey : Instrument
        The survey whose blocks link to touchpoints (``block.touchpoint``).
    item : str
        Item-bank id of the questions wanted, e.g. ``"touchpoint_satisfaction"`` or
        ``"enablement"`` (a matrix: every row is a field).

    Returns
    -------
    dict
        Touchpoint id to its fields, touchpoints in survey order; touchpoints without
        such a question are left out.

    Examples
    --------
    >>> from cxresearch.instrument import load_instrument
    >>> s = load_instrument("surveys/insurer-claims/instruments/customer-survey.yaml")
    >>> touchpoint_fields(s, "touchpoint_satisfaction")["first_call"]
    ['sat_call']
    """
    found: dict[str, list[str]] = {}
    for block in survey.blocks:
        if block.touchpoint is None:
            continue
        for q in block.questions:
            if q.item == item:
                found.setdefault(block.touchpoint, []).extend(
                    f for f in q.field_ids() if not f.endswith("_other"))
    return found


def _scale_of(survey: Any, field: str) -> tuple[float, float]:
    q = survey.question(field)
    if q.scale is not None:
        points = q.scale.values()
        return float(points[0]), float(points[-1])
    if q.type == "rating":
        return float(q.min_value if q.min_value is not None else 0), \
            float(q.max_value if q.max_value is not None else 10)
    return float("nan"), float("nan")


def _summarise(values: pd.DataFrame, by: list[Hashable], level: float,
               min_n: int) -> pd.DataFrame:
    """n, mean, sd and t interval of column ``value`` per ``by`` group."""
    from scipy.stats import t as t_dist

    work = values.assign(_sq=values["value"] ** 2)
    if by:
        grouped = work.groupby(by, observed=True, sort=False, dropna=False)
        stats = grouped.agg(n=("value", "count"), s=("value", "sum"),
                            ss=("_sq", "sum")).reset_index()
    else:
        stats = pd.DataFrame({"n": [int(work["value"].count())],
                              "s": [float(work["value"].sum())],
                              "ss": [float(work["_sq"].sum())]})
    n = stats["n"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = stats["s"].to_numpy() / n
        var = (stats["ss"].to_numpy() - n * mean ** 2) / (n - 1)
        sd = np.sqrt(np.clip(var, 0, None))
        half = t_dist.ppf((1 + level) / 2, n - 1) * sd / np.sqrt(n)
    suppressed = n < min_n
    out = stats.drop(columns=["s", "ss"]).assign(
        n=stats["n"].astype("int64"),
        estimate=np.where(suppressed, np.nan, mean),
        ci_low=np.where(suppressed | (n < 2), np.nan, mean - half),
        ci_high=np.where(suppressed | (n < 2), np.nan, mean + half),
        sd=np.where(suppressed | (n < 2), np.nan, sd),
        suppressed=suppressed)
    return out


def _check_by(frame: pd.DataFrame, by: Any) -> list[Hashable]:
    if by is None:
        return []
    columns = [by] if isinstance(by, str) or not isinstance(by, Sequence) else list(by)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        shown = ", ".join(map(repr, list(frame.columns)[:12]))
        raise StatsInputError(f"by={by!r}: no column {missing[0]!r} in the responses; "
                              f"columns: {shown}")
    return columns


def _scores(data: Any, item: str, by: Any, level: float, min_group_size: int | None,
            average_rows: bool) -> pd.DataFrame:
    level = check_level(level)
    frame, responses = _frame_of(data)
    if responses is None:
        raise StatsInputError("data must be Responses (read with "
                              "cxresearch.data.read_responses): the survey tells which "
                              "questions belong to which touchpoint")
    columns = _check_by(frame, by)
    min_n = responses.min_group_size if min_group_size is None else int(min_group_size)
    fields = {tp: [f for f in fs if f in frame.columns]
              for tp, fs in touchpoint_fields(responses.survey, item).items()}
    fields = {tp: fs for tp, fs in fields.items() if fs}
    if not fields:
        raise StatsInputError(f"no question of item '{item}' in a block linked to a "
                              f"touchpoint is among the columns of these responses "
                              f"(survey '{responses.survey.id}')")
    parts = []
    for tp, fs in fields.items():
        numbers = pd.DataFrame({f: _numeric(frame[f], "field") for f in fs})
        value = numbers.mean(axis=1, skipna=True) if average_rows else numbers.iloc[:, 0]
        part = frame[columns].copy() if columns else pd.DataFrame(index=frame.index)
        part["value"] = value.to_numpy(dtype="float64")
        table = _summarise(part.dropna(subset=["value"]), columns, level, min_n)
        low, high = _scale_of(responses.survey, fs[0])
        table.insert(0, "touchpoint", tp)
        table.insert(1 + len(columns), "field", fs[0] if len(fs) == 1 else
                     "mean of " + ", ".join(fs))
        table["scale_low"], table["scale_high"] = low, high
        parts.append(table)
    order = [*["touchpoint"], *columns, *TOUCHPOINT_COLUMNS[1:]]
    result = pd.concat(parts, ignore_index=True)[order]
    result.attrs.update({"item": item, "level": level, "min_group_size": min_n,
                         "survey": responses.survey.id})
    return result


def touchpoint_scores(responses: Any, item: str = "touchpoint_satisfaction", *,
                      by: str | Sequence[str] | None = None, level: float = 0.95,
                      min_group_size: int | None = None) -> pd.DataFrame:
    """Mean score per touchpoint (and group), with a t interval and n.

    Parameters
    ----------
    responses : Responses
        Customer (or employee) answers with their survey.
    item : str
        Item-bank id of the score (default ``"touchpoint_satisfaction"``; also
        ``"touchpoint_effort"``, ...). A touchpoint with several such fields is scored by
        the first.
    by : column or list of columns, optional
        Groups, e.g. ``"wave"`` or ``["wave", "team"]``.
    level : float
        Confidence level.
    min_group_size : int, optional
        Groups with fewer answers are suppressed; default the study's (responses').

    Returns
    -------
    DataFrame
        One row per touchpoint (and group) with :data:`TOUCHPOINT_COLUMNS`: ``n``
        answers, ``estimate`` (mean), ``ci_low``/``ci_high`` (Student t), ``sd``, the
        scale's ends, and ``suppressed`` (n below the minimum group size: estimate and
        interval missing).

    Notes
    -----
    Computed from n, sum and sum of squares per group (one group-by), the interval is
    ``mean +- t(n-1) sd / sqrt(n)`` as :func:`cxresearch.stats.mean_score` gives.
    """
    return _scores(responses, item, by, level, min_group_size, average_rows=False)


def enablement_scores(responses: Any, item: str = "enablement", *,
                      by: str | Sequence[str] | None = None, level: float = 0.95,
                      min_group_size: int | None = None) -> pd.DataFrame:
    """Employee enablement per touchpoint (and group): the mean over a respondent's
    answered rows of the enablement matrix (information, tools, authority, training),
    then the mean over employees, with a t interval and n.

    Parameters and columns as :func:`touchpoint_scores`; ``field`` names the rows
    averaged. Use ``touchpoint_scores(..., item="enablement")`` for one row only.
    """
    return _scores(responses, item, by, level, min_group_size, average_rows=True)
