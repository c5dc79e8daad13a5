"""The latent model: from continuous experiences to answer codes.

Every closed answer comes from a latent value on one continuous scale (0 is neutral,
about 1 is a good experience, -1 a poor one). This module holds the mappings from
latent to codes, and the customer and employee models that say which latent drives
which question.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..instrument.model import Block, Instrument
from ..journey.model import Journey
from ._spec import StudySpec

__all__ = [
    "OVERALL_METRICS",
    "TOUCHPOINT_METRICS",
    "CustomerModel",
    "EmployeeModel",
    "enablement_matrix",
    "logistic",
    "ordered_choice",
    "scale_codes",
    "rating_codes",
    "scale_cuts",
    "touchpoint_order",
]

_LOW, _HIGH = -1.6, 1.0

OVERALL_METRICS: tuple[str, ...] = ("nps", "enps", "satisfaction", "ces", "intention_to_stay")
"""Metrics whose questions follow the overall judgement unless a rule says otherwise."""

TOUCHPOINT_METRICS: tuple[str, ...] = ("touchpoint_satisfaction", "touchpoint_effort",
                                       "emotion")
"""Metrics of the touchpoint items: asking one marks the block's touchpoint as
experienced (for peak-end); a touchpoint block without one follows the overall
judgement (e.g. a "recommendation" block holding the NPS question)."""


def scale_cuts(points: int) -> np.ndarray:
    """Thresholds of a ``points``-point scale: evenly spaced from -1.6 to 1.0.

    The cuts sit right of zero's mirror image on purpose: answers on customer scales
    lean positive, as they do in practice (a latent of 0.6 gives a mean of about 3.9 on
    a 5-point scale).
    """
    if points <= 2:
        return np.array([0.0])
    return np.linspace(_LOW, _HIGH, points - 1)


def scale_codes(y: np.ndarray, points: int, start: int = 1, reverse: bool = False) -> np.ndarray:
    """Codes ``start .. start + points - 1`` for latent values ``y`` (thresholds)."""
    idx = np.searchsorted(scale_cuts(points), y)
    if reverse:
        idx = points - 1 - idx
    return (idx + start).astype(np.int64)


def rating_codes(y: np.ndarray, intercept: float, slope: float) -> np.ndarray:
    """A 0-10 rating: ``floor(intercept + slope * y)`` clipped to 0..10."""
    return np.clip(np.floor(intercept + slope * y), 0, 10).astype(np.int64)


def logistic(x: np.ndarray | float) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def ordered_choice(latent: np.ndarray, base: Sequence[float], loading: float, center: float,
                   rng: np.random.Generator) -> np.ndarray:
    """Indices 0 (worst) .. k-1 (best) from an ordered-logit model.

    At ``latent == center`` the probabilities are ``base``; each latent unit adds
    ``loading`` to the index.
    """
    p = np.asarray(base, dtype=float)
    p = p / p.sum()
    cum = np.clip(np.cumsum(p)[:-1], 1e-9, 1 - 1e-9)
    cuts = np.log(cum / (1 - cum))
    u = rng.random(len(latent))
    noise = np.log(u / (1 - u))
    index = loading * (latent - center) + noise
    return np.searchsorted(cuts, index).astype(np.int64)


def touchpoint_order(journey: Journey | None, survey: Instrument) -> list[str]:
    """Touchpoint ids in journey order, then any only the survey names (block order)."""
    order = list(journey.touchpoint_ids()) if journey is not None else []
    for block in survey.blocks:
        if block.touchpoint and block.touchpoint not in order:
            order.append(block.touchpoint)
    return order


def enablement_matrix(spec: StudySpec, teams: Sequence[str],
                      touchpoints: Sequence[str]) -> dict[tuple[str, str], float]:
    """``enablement[team, touchpoint] = team_enablement[team] + touchpoint_enablement[tp]``.

    Teams without a set level get evenly spaced levels from -0.5 to 0.5 in the order
    given, so every study has a known spread of enablement across teams.
    """
    missing = [t for t in teams if t not in spec.team_enablement]
    spread = dict(zip(missing, np.linspace(-0.5, 0.5, len(missing)).tolist())) \
        if len(missing) > 1 else {t: 0.0 for t in missing}
    level = {**spread, **spec.team_enablement}
    return {(team, tp): float(level[team] + spec.touchpoint_enablement.get(tp, 0.0))
            for team in teams for tp in touchpoints}


class CustomerModel:
    """Customers: a disposition, an experience per touchpoint, a peak-end judgement.

    Parameters
    ----------
    spec : StudySpec
        The model's parameters.
    touchpoints : list of str
        Touchpoint ids in journey order.
    team_touchpoints : set of str
        Touchpoints where the handling team's enablement counts.
    enablement : dict
        ``(team, touchpoint) -> latent enablement``.
    disposition, team, wave : numpy.ndarray
        Per respondent.
    rng : numpy.random.Generator
        The one source of randomness.
    """

    def __init__(self, spec: StudySpec, touchpoints: list[str], team_touchpoints: set[str],
                 enablement: Mapping[tuple[str, str], float], disposition: np.ndarray,
                 team: np.ndarray, wave: np.ndarray, rng: np.random.Generator) -> None:
        self.spec = spec
        self.touchpoints = touchpoints
        self.n = len(disposition)
        self.team = team
        self.wave = wave
        self.disposition = disposition
        after = wave == spec.waves[1].name
        self.experience: dict[str, np.ndarray] = {}
        self.handler: dict[str, np.ndarray] = {}
        for tp in touchpoints:
            handler = np.full(self.n, spec.touchpoint_teams[tp], dtype=object) \
                if tp in spec.touchpoint_teams else team
            self.handler[tp] = handler
            x = disposition + spec.touchpoint_means.get(tp, spec.default_mean)
            if tp in team_touchpoints:
                x = x + spec.enablement_slope * np.array(
                    [enablement.get((str(h), tp), 0.0) for h in handler], dtype=float)
            x = x + spec.effects.get(tp, 0.0) * after
            self.experience[tp] = x + rng.normal(0.0, spec.experience_sd, self.n)
        self.experienced: dict[str, np.ndarray] = {tp: np.zeros(self.n, bool)
                                                   for tp in touchpoints}
        self.overall_shift = np.zeros(self.n)
        self.overall_noise = rng.normal(0.0, spec.overall_sd, self.n)

    # -- the hooks the answer generator calls ------------------------------------------
    def enter_block(self, block: Block, mask: np.ndarray) -> None:
        if block.touchpoint in self.experienced:
            self.experienced[block.touchpoint] |= mask

    def block_latent(self, block: Block) -> np.ndarray:
        if block.touchpoint in self.experience and any(
                q.metric in TOUCHPOINT_METRICS for q in block.questions):
            return self.experience[block.touchpoint]
        return self.overall()

    def latent(self, name: str) -> np.ndarray:
        if name == "overall":
            return self.overall()
        if name == "disposition":
            return self.disposition
        key = name.removeprefix("tp:")
        if key in self.experience:
            return self.experience[key]
        raise KeyError(f"unknown latent '{name}'; known: overall, disposition, "
                       + ", ".join(f"tp:{t}" for t in self.touchpoints))

    def shift(self, target: str, amount: np.ndarray) -> None:
        if target == "overall":
            self.overall_shift = self.overall_shift + amount
        elif target in self.experience:
            self.experience[target] = self.experience[target] + amount
        else:
            raise KeyError(f"a driver names unknown target '{target}'; known: overall, "
                           + ", ".join(self.touchpoints))

    # -- peak-end ----------------------------------------------------------------------
    def _stack(self) -> tuple[np.ndarray, np.ndarray]:
        x = np.column_stack([self.experience[t] for t in self.touchpoints]) \
            if self.touchpoints else np.zeros((self.n, 0))
        seen = np.column_stack([self.experienced[t] for t in self.touchpoints]) \
            if self.touchpoints else np.zeros((self.n, 0), bool)
        return x, seen

    def peak_index(self) -> np.ndarray:
        """Column of the most extreme experienced touchpoint (-1 when none)."""
        x, seen = self._stack()
        if x.shape[1] == 0:
            return np.full(self.n, -1)
        intensity = np.where(seen, np.abs(x), -np.inf)
        idx = np.argmax(intensity, axis=1)
        return np.where(seen.any(axis=1), idx, -1)

    def overall(self) -> np.ndarray:
        """Peak-end judgement over the touchpoints experienced so far.

        ``w_peak * x[peak] + w_end * x[last] + w_mean * mean(x)`` plus overall drivers
        and noise; customers who went through no touchpoint get their disposition.
        """
        x, seen = self._stack()
        w = self.spec.peak_end
        if x.shape[1] == 0:
            return self.disposition + self.overall_shift + self.overall_noise
        any_seen = seen.any(axis=1)
        rows = np.arange(self.n)
        peak = x[rows, np.maximum(self.peak_index(), 0)]
        last = np.where(any_seen, x.shape[1] - 1 - np.argmax(seen[:, ::-1], axis=1), 0)
        end = x[rows, last]
        count = np.maximum(seen.sum(axis=1), 1)
        mean = np.where(seen, x, 0.0).sum(axis=1) / count
        judged = w.get("peak", 0.0) * peak + w.get("end", 0.0) * end + w.get("mean", 0.0) * mean
        base = np.where(any_seen, judged, self.disposition)
        return base + self.overall_shift + self.overall_noise


class EmployeeModel:
    """Employees: enablement per touchpoint from their team, and an engagement latent.

    ``enable[j, t] = enablement[team_j, t] + person_j`` drives the enablement matrix at
    touchpoint *t* (rows add item noise); ``engagement_j = mean_t enablement[team_j, t] +
    person_j + Normal(0, 0.6)`` drives eNPS, intention to stay and other general items.
    """

    def __init__(self, spec: StudySpec, touchpoints: list[str],
                 enablement: Mapping[tuple[str, str], float], team: np.ndarray,
                 rng: np.random.Generator) -> None:
        self.n = len(team)
        self.team = team
        self.touchpoints = touchpoints
        self.person = rng.normal(0.0, spec.employee_person_sd, self.n)
        self.enable: dict[str, np.ndarray] = {}
        for tp in touchpoints:
            level = np.array([enablement.get((str(t), tp), 0.0) for t in team], dtype=float)
            self.enable[tp] = level + self.person
        team_mean = np.array([np.mean([enablement.get((str(t), tp), 0.0)
                                       for tp in touchpoints]) if touchpoints else 0.0
                              for t in team], dtype=float)
        self.engagement = 0.6 + team_mean + self.person + rng.normal(0.0, 0.6, self.n)

    def enter_block(self, block: Block, mask: np.ndarray) -> None:
        return None

    def block_latent(self, block: Block) -> np.ndarray:
        if block.touchpoint in self.enable:
            return self.enable[block.touchpoint] + 0.6
        return self.engagement

    def latent(self, name: str) -> np.ndarray:
        if name in ("engagement", "overall"):
            return self.engagement
        key = name.removeprefix("enable:").removeprefix("tp:")
        if key in self.enable:
            return self.enable[key] + 0.6
        raise KeyError(f"unknown employee latent '{name}'; known: engagement, "
                       + ", ".join(f"enable:{t}" for t in self.touchpoints))

    def shift(self, target: str, amount: np.ndarray) -> None:
        if target in ("engagement", "overall"):
            self.engagement = self.engagement + amount
        elif target in self.enable:
            self.enable[target] = self.enable[target] + amount
        else:
            raise KeyError(f"a driver names unknown target '{target}'")

    def peak_index(self) -> np.ndarray:
        return np.full(self.n, -1)
