"""The one result protocol every estimate and test in :mod:`cxresearch.stats` returns.

A :class:`Result` is frozen. Its attribute names are the same everywhere, and
:meth:`Result.to_frame` gives a tidy one-row DataFrame whose columns carry those same
names (see :data:`RESULT_COLUMNS`), so results of different functions stack with
``pandas.concat``. ``definition`` says in words what was estimated (was CSAT a mean or a
top-2-box share?), ``method`` how the interval and p-value were obtained.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import pandas as pd

__all__ = ["RESULT_COLUMNS", "Result"]

RESULT_COLUMNS: tuple[str, ...] = (
    "name", "estimate", "ci_low", "ci_high", "level", "p_value", "n", "se", "statistic",
    "df", "method", "definition",
)
"""Columns of :meth:`Result.to_frame`, in order. An effect size (``Result.effect``) adds
the same columns prefixed ``effect_``; entries of ``Result.extra`` follow."""


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Result:
    """An estimate with its interval, test and what it means.

    Attributes
    ----------
    name : str
        What was estimated, short: ``"NPS"``, ``"top-2-box"``, ``"difference in means"``.
    estimate : float
        The point estimate, in the unit the definition states (NPS in points).
    ci_low, ci_high : float
        The confidence interval at ``level``; NaN where no interval applies.
    p_value : float or None
        The test's p-value, where a test applies (None for a plain estimate).
    n : int
        Observations used (for weighted estimates: respondents, see ``extra``).
    method : str
        How the interval and the p-value were computed (e.g. ``"adjusted Wald"``).
    definition : str
        What the estimate is, in words, so a reader never guesses.
    level : float
        Confidence level of the interval (default 0.95).
    se : float or None
        Standard error of the estimate, where the method has one.
    statistic : float or None
        The test statistic (t, z, chi-square, ...), where a test applies.
    df : float or None
        Degrees of freedom of the statistic, where it has them.
    effect : Result or None
        A standardised effect size with its own interval (Hedges' g, rank-biserial ...).
    extra : mapping
        Further figures (group sizes, effective sample size, ...); read-only.
    """

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    n: int
    method: str
    definition: str
    p_value: float | None = None
    level: float = 0.95
    se: float | None = None
    statistic: float | None = None
    df: float | None = None
    effect: "Result | None" = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", _frozen(self.extra))
        for name in ("estimate", "ci_low", "ci_high"):
            object.__setattr__(self, name, float(getattr(self, name)))
        for name in ("p_value", "se", "statistic", "df"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, float(value))
        object.__setattr__(self, "n", int(self.n))

    # -- views --------------------------------------------------------------------------
    def _row(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in RESULT_COLUMNS}

    def to_dict(self) -> dict[str, Any]:
        """The columns of :meth:`to_frame` as a plain dict."""
        row = self._row()
        if self.effect is not None:
            row.update({f"effect_{k}": v for k, v in self.effect._row().items()})
        for key, value in self.extra.items():
            row.setdefault(key, value)
        return row

    def to_frame(self) -> pd.DataFrame:
        """A tidy one-row DataFrame: columns :data:`RESULT_COLUMNS`, then the effect
        size's (prefixed ``effect_``), then ``extra``."""
        row = self.to_dict()
        return pd.DataFrame({k: [v] for k, v in row.items()})

    @property
    def interval(self) -> tuple[float, float]:
        """``(ci_low, ci_high)``."""
        return self.ci_low, self.ci_high

    def __str__(self) -> str:
        text = f"{self.name} {_number(self.estimate)}"
        if not (math.isnan(self.ci_low) and math.isnan(self.ci_high)):
            text += (f" ({self.level:.0%} CI {_number(self.ci_low)} to "
                     f"{_number(self.ci_high)})")
        if self.p_value is not None:
            text += f", p {_p(self.p_value)}"
        text += f", n = {self.n:,}; {self.method}"
        if self.effect is not None:
            text += f"; effect: {self.effect.name} {_number(self.effect.estimate)}"
        return text

    def _repr_html_(self) -> str:
        rows = [("estimate", _number(self.estimate)),
                (f"{self.level:.0%} interval",
                 f"{_number(self.ci_low)} to {_number(self.ci_high)}")]
        if self.p_value is not None:
            rows.append(("p-value", _p(self.p_value)))
        rows.append(("n", f"{self.n:,}"))
        if self.effect is not None:
            e = self.effect
            rows.append((e.name, f"{_number(e.estimate)} ({_number(e.ci_low)} to "
                                 f"{_number(e.ci_high)})"))
        rows += [("method", self.method), ("definition", self.definition)]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
                       for k, v in rows)
        return (f"<table class='cx-result'><caption style='text-align:left'><b>"
                f"{html.escape(self.name)}</b></caption>{body}</table>")


def _number(value: float) -> str:
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:,.1f}"


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"
