"""The known truth behind simulated data: parameters set, and what they imply.

Parameters (effects, touchpoint means, peak-end weights, enablement levels and slope,
quality rates) are what the simulator was told. Observable expectations (mean answer
per field, NPS, top-2 box, per wave) are **large-sample expectations**: computed on a
separate clean simulation (no speeders, straight-liners, duplicates or missing items)
of :data:`TRUTH_N` customers per wave with the fixed seed :data:`TRUTH_SEED`, so they
depend on the model's parameters only, not on the seed of the data. Their Monte Carlo
error is about 0.005 on a 5-point mean and 0.4 points on NPS. Employee enablement item
means are exact expectations (normal model, no simulation).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..instrument.model import Instrument
from ._latent import TOUCHPOINT_METRICS, scale_cuts
from ._spec import QualityRates

__all__ = ["METHOD", "TRUTH_N", "TRUTH_SEED", "Truth", "enablement_item_mean", "expected_means",
           "nps_of", "team_table", "touchpoint_table", "wave_effect_table", "within_slope"]

TRUTH_N = 40_000
"""Customers per wave in the clean simulation behind the expected values."""

TRUTH_SEED = 20_261_123
"""Seed of that simulation (fixed: expectations depend on the parameters only)."""

_SCORED = ("likert", "likert_matrix", "rating")

METHOD = " ".join((__doc__ or "").split("\n\n")[1].split())
"""How expected values are computed (the second paragraph of this module's notes)."""


def nps_of(codes: pd.Series) -> float:
    """NPS of 0-10 answers: % 9-10 minus % 0-6 (missing answers left out)."""
    x = pd.to_numeric(pd.Series(codes).astype("float64"), errors="coerce").dropna()
    if x.empty:
        return float("nan")
    return float(100.0 * ((x >= 9).mean() - (x <= 6).mean()))


def expected_means(data: pd.DataFrame, survey: Instrument, wave_col: str = "wave"
                   ) -> pd.DataFrame:
    """Mean code, top-2 share (4-5 on 5 points, 6-7 on 7, 9-10 on 0-10) and n per wave
    and scored field, with the field's touchpoint and metric."""
    rows = []
    blocks = {q.id: b for b in survey.blocks for q in b.questions}
    for q in survey.questions():
        if q.type not in _SCORED:
            continue
        block = blocks[q.id]
        top = 9 if q.type == "rating" else (q.scale.values()[-2] if q.scale else 4)
        for fid in q.field_ids():
            for wave, part in data.groupby(wave_col, observed=True, sort=False):
                x = part[fid].astype("float64").dropna()
                rows.append({"wave": str(wave), "touchpoint": block.touchpoint,
                             "field": fid, "metric": q.metric or q.item,
                             "mean": float(x.mean()) if len(x) else float("nan"),
                             "top2": float((x >= top).mean()) if len(x) else float("nan"),
                             "nps": nps_of(x) if q.type == "rating" else float("nan"),
                             "n": int(len(x))})
    return pd.DataFrame(rows)


def _norm_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def enablement_item_mean(latent: float, points: int, sd: float) -> float:
    """Exact expected code of an enablement item (codes 1..points) when the item latent
    is ``latent + 0.6 + Normal(0, sd)``."""
    cuts = scale_cuts(points)
    cdf = [0.0] + [_norm_cdf((c - latent - 0.6) / sd) for c in cuts] + [1.0]
    return float(sum((k + 1) * (cdf[k + 1] - cdf[k]) for k in range(points)))


def within_slope(table: pd.DataFrame, x: str, y: str, group: str) -> float:
    """OLS slope of ``y`` on ``x`` within groups (group means removed)."""
    t = table.dropna(subset=[x, y])
    dx = t[x] - t.groupby(group)[x].transform("mean")
    dy = t[y] - t.groupby(group)[y].transform("mean")
    denom = float((dx * dx).sum())
    return float((dx * dy).sum() / denom) if denom > 0 else float("nan")


@dataclass(frozen=True, eq=False)
class Truth:
    """What was set, and what it implies, for one simulated study.

    Attributes
    ----------
    study, seed : str, int
        The study and the seed of the data.
    effects : dict
        Effect per touchpoint on the latent experience scale, applied in wave "after".
    touchpoint_means : dict
        Latent mean experience per touchpoint in wave "before" (before team effects).
    peak_end : dict
        Weights of the overall judgement: ``peak`` (most extreme experienced
        touchpoint, by absolute latent value), ``end`` (last experienced touchpoint in
        journey order) and ``mean`` (mean over experienced touchpoints).
    enablement_slope : float
        Latent customer experience per unit of the handling team's latent enablement
        at the same touchpoint.
    enablement : pandas.DataFrame
        Per team and touchpoint: ``latent`` enablement, ``item_mean`` (exact expected
        answer on the 5-point enablement items), ``customer_mean`` (expected touchpoint
        satisfaction, wave "before", of customers that team handled there).
    observed_slope : float
        Within-touchpoint OLS slope of ``customer_mean`` on ``item_mean`` over the rows
        of ``enablement`` (what a perfect team-level analysis would find).
    expected : pandas.DataFrame
        Large-sample expectations per wave and scored field: ``mean``, ``top2``,
        ``nps`` (ratings), with ``touchpoint`` and ``metric``.
    nps : dict
        Expected NPS per wave.
    wave_effects : pandas.DataFrame
        Per scored touchpoint field: expected mean before and after, difference, and
        the latent effect set.
    fcr : dict
        Expected first-contact resolution per team (exact expectation).
    quality : QualityRates
        The data-quality rates set.
    realised : dict
        Counts of the problems actually added to this data set.
    flags : pandas.DataFrame
        Per customer row: ``speeder``, ``straightliner``, ``has_pii``, ``duplicate``.
    employee_flags : pandas.DataFrame
        The same per employee row (plus ``team``).
    touchpoints : pandas.DataFrame
        Per team touchpoint: ``enablement_mean`` (expected enablement item mean of the
        teams handling it, weighted by the customers they handle) beside
        ``customer_mean`` (expected touchpoint satisfaction, wave "before"): the
        touchpoint-level alignment of employee and customer scores.
    extras : dict
        Study-specific truths (see the study's README).
    sizes : dict
        Rows per table.
    method : str
        How the expected values were computed.
    """

    study: str
    seed: int
    effects: Mapping[str, float]
    touchpoint_means: Mapping[str, float]
    peak_end: Mapping[str, float]
    enablement_slope: float
    enablement: pd.DataFrame
    observed_slope: float
    expected: pd.DataFrame
    nps: Mapping[str, float]
    wave_effects: pd.DataFrame
    fcr: Mapping[str, float]
    fcr_slope: float | None
    quality: QualityRates
    realised: Mapping[str, int]
    flags: pd.DataFrame
    employee_flags: pd.DataFrame
    touchpoints: pd.DataFrame = field(default_factory=pd.DataFrame)
    extras: Mapping[str, Any] = field(default_factory=dict)
    sizes: Mapping[str, int] = field(default_factory=dict)
    method: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The scalar truths as a tidy table with columns ``quantity`` and ``value``."""
        rows: list[tuple[str, Any]] = [("seed", self.seed)]
        rows += [(f"effect[{k}]", v) for k, v in self.effects.items()]
        rows += [(f"peak_end[{k}]", v) for k, v in self.peak_end.items()]
        rows += [("enablement_slope", self.enablement_slope),
                 ("observed_slope", self.observed_slope)]
        rows += [(f"nps[{k}]", v) for k, v in self.nps.items()]
        rows += [(f"fcr[{k}]", v) for k, v in self.fcr.items()]
        for name in ("missing", "speeders", "straightliners", "duplicates", "pii"):
            rows.append((f"rate[{name}]", getattr(self.quality, name)))
        rows += [(f"realised[{k}]", v) for k, v in self.realised.items()]
        rows += [(f"extra[{k}]", v) for k, v in self.extras.items()
                 if isinstance(v, (int, float, str))]
        return pd.DataFrame(rows, columns=["quantity", "value"])

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td>{html.escape(str(q))}</td><td>{html.escape(_fmt(v))}</td></tr>"
                       for q, v in self.to_frame().itertuples(index=False))
        return (f"<table><caption>Truth of '{html.escape(self.study)}'</caption>"
                f"<tr><th>quantity</th><th>value</th></tr>{body}</table>")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def wave_effect_table(expected: pd.DataFrame, effects: Mapping[str, float],
                      waves: tuple[str, str]) -> pd.DataFrame:
    """Expected before/after means of every touchpoint item (satisfaction, effort,
    feeling), with the latent effect set."""
    part = expected[expected["touchpoint"].notna()
                    & expected["metric"].isin(TOUCHPOINT_METRICS)]
    wide = part.pivot_table(index=["touchpoint", "field", "metric"], columns="wave",
                            values="mean", observed=True).reset_index()
    before, after = waves
    if before not in wide or after not in wide:
        return pd.DataFrame(columns=["touchpoint", "field", "metric", before, after,
                                     "difference", "latent_effect"])
    wide["difference"] = wide[after] - wide[before]
    wide["latent_effect"] = [float(effects.get(t, 0.0)) for t in wide["touchpoint"]]
    wide.columns.name = None
    return wide[["touchpoint", "field", "metric", before, after, "difference",
                 "latent_effect"]]


def team_table(big: pd.DataFrame, survey: Instrument, handler: Mapping[str, np.ndarray],
               enablement: Mapping[tuple[str, str], float], team_touchpoints: set[str],
               before: str, item_sd: float) -> pd.DataFrame:
    """Per team and team touchpoint: latent and expected enablement, and the expected
    touchpoint satisfaction of customers that team handled (wave ``before``)."""
    sat = {b.touchpoint: q.id for b in survey.blocks for q in b.questions
           if b.touchpoint and q.metric == "touchpoint_satisfaction"}
    is_before = (big["wave"] == before).to_numpy()
    rows = []
    for (team, tp), latent in enablement.items():
        if tp not in team_touchpoints:
            continue
        customer = float("nan")
        if tp in sat and tp in handler:
            mask = is_before & (handler[tp] == team)
            x = big.loc[mask, sat[tp]].astype("float64").dropna()
            customer = float(x.mean()) if len(x) >= 200 else float("nan")
        rows.append({"team": team, "touchpoint": tp, "latent": latent,
                     "item_mean": enablement_item_mean(latent, 5, item_sd),
                     "customer_mean": customer})
    return pd.DataFrame(rows)


def touchpoint_table(table: pd.DataFrame, big: pd.DataFrame, survey: Instrument,
                     handler: Mapping[str, np.ndarray], before: str) -> pd.DataFrame:
    """Touchpoint-level alignment: expected enablement (weighted by handled customers)
    beside expected touchpoint satisfaction (wave ``before``)."""
    sat = {b.touchpoint: q.id for b in survey.blocks for q in b.questions
           if b.touchpoint and q.metric == "touchpoint_satisfaction"}
    is_before = (big["wave"] == before).to_numpy()
    rows = []
    for tp, part in table.groupby("touchpoint", sort=False):
        if tp not in sat or tp not in handler:
            continue
        asked = is_before & big[sat[tp]].notna().to_numpy()
        if asked.sum() < 200:
            continue
        share = pd.Series(handler[tp][asked]).value_counts(normalize=True)
        weight = part["team"].map(share).fillna(0.0)
        rows.append({"touchpoint": tp,
                     "enablement_latent": float((weight * part["latent"]).sum()),
                     "enablement_mean": float((weight * part["item_mean"]).sum()),
                     "customer_mean": float(big.loc[asked, sat[tp]].astype("float64").mean())})
    return pd.DataFrame(rows)
