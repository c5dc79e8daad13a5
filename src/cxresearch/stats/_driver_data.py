"""How :func:`~cxresearch.stats._drivers.key_drivers` reads and prepares its data.

It checks the outcome, the drivers, the weights and the labels, reads the answers as
numbers, keeps the complete rows, and takes labels and touchpoints from the survey.
Private helpers of :mod:`cxresearch.stats._drivers` and :mod:`cxresearch.stats._ipa`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, shown
from ._verdict_data import _frame_of

__all__: list[str] = []

MAX_SHAPLEY_DRIVERS = 15
"""The Shapley decomposition needs the R² of all ``2**k`` subsets of ``k`` drivers;
above this many drivers (32,768 subsets) use ``method="relative-weights"``."""

_SATISFACTION_ITEM = "touchpoint_satisfaction"
"""Item-bank id of the score a touchpoint id stands for when given as a driver."""


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
