"""An anonymous contact log: when contacts arrive, about what, and whether they were
resolved at once.

Arrivals: the number per day is Poisson with mean ``per_day * weekday_weight /
mean(weekday_weights[:5])``; hours follow :data:`OFFICE_HOURS` for phone, chat and
visits and :data:`ANYTIME_HOURS` for e-mail, web forms and app messages (mornings and
early afternoon peak, quiet nights). First-contact resolution follows the handling
team's enablement at the touchpoint the question is about (see
:class:`~cxresearch.datasets._spec.ContactSpec`); an unresolved contact comes back
once as a repeat contact 1-4 days later.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

import numpy as np
import pandas as pd

from ._latent import logistic
from ._spec import ContactSpec

__all__ = ["ANYTIME_HOURS", "CONTACT_COLUMNS", "OFFICE_HOURS", "expected_fcr",
           "simulate_contacts"]

OFFICE_HOURS: tuple[float, ...] = (
    0, 0, 0, 0, 0, 0, 0, 0.05,          # 0-7
    0.75, 1.45, 1.6, 1.4, 0.95, 1.3, 1.2, 0.95,  # 8-15
    0.8, 0.55, 0.15, 0.1, 0.05, 0, 0, 0,  # 16-23
)
"""Relative arrivals per hour of day for channels staffed in office hours."""

ANYTIME_HOURS: tuple[float, ...] = (
    0.08, 0.04, 0.02, 0.02, 0.02, 0.05, 0.15, 0.45,
    0.9, 1.3, 1.4, 1.3, 1.0, 1.2, 1.1, 0.95,
    0.85, 0.7, 0.6, 0.7, 0.75, 0.6, 0.4, 0.2,
)
"""Relative arrivals per hour of day for e-mail, web forms and app messages."""

CONTACT_COLUMNS: tuple[str, ...] = ("contact_id", "timestamp", "channel", "category", "team",
                                    "handling_minutes", "resolved_first_contact",
                                    "repeat_contact")
"""Columns of the contact log, in order."""


def _team_weights(spec: ContactSpec, teams: Mapping[str, float]) -> dict[str, float]:
    return dict(spec.teams) if spec.teams else dict(teams)


def _fcr_logit(spec: ContactSpec, enablement: Mapping[tuple[str, str], float], team: str,
               category: str, channel: str) -> float:
    cat = next(c for c in spec.categories if c.id == category)
    level = enablement.get((team, cat.touchpoint), None) if cat.touchpoint else None
    if level is None:
        values = [v for (t, _), v in enablement.items() if t == team]
        level = float(np.mean(values)) if values else 0.0
    return (spec.fcr_intercept + spec.fcr_slope * level - cat.difficulty
            + spec.channel_shift.get(channel, 0.0))


def expected_fcr(spec: ContactSpec, enablement: Mapping[tuple[str, str], float],
                 teams: Mapping[str, float]) -> dict[str, float]:
    """Expected first-contact resolution per team over the channel and category mix
    (first contacts only): an exact expectation, no simulation."""
    weights = _team_weights(spec, teams)
    mix = _channel_mix(spec)
    cat_total = sum(c.share for c in spec.categories)
    out = {}
    for team in weights:
        total = 0.0
        for channel, cw in mix.items():
            for cat in spec.categories:
                p = float(logistic(_fcr_logit(spec, enablement, team, cat.id, channel)))
                total += cw * (cat.share / cat_total) * p
        out[team] = total
    return out


def _channel_mix(spec: ContactSpec) -> dict[str, float]:
    """The channels' shares of first contacts as simulated: on weekends the office
    channels are closed and their contacts come in evenly through the other channels
    (as :func:`simulate_contacts` moves them), weighted by the weekend's share of
    arrivals."""
    ch_total = sum(spec.channels.values())
    base = {c: w / ch_total for c, w in spec.channels.items()}
    weekday = [float(w) for w in spec.weekday_weights]
    weekend = sum(weekday[5:7]) / sum(weekday)
    anytime = [c for c in base if c not in spec.office_channels] or list(base)
    closed = sum(w for c, w in base.items() if c in spec.office_channels and c not in anytime)
    on_weekend = {c: (0.0 if c in spec.office_channels and c not in anytime else w)
                  + (closed / len(anytime) if c in anytime else 0.0) for c, w in base.items()}
    return {c: (1 - weekend) * base[c] + weekend * on_weekend[c] for c in base}


def simulate_contacts(spec: ContactSpec, enablement: Mapping[tuple[str, str], float],
                      teams: Mapping[str, float], rng: np.random.Generator) -> pd.DataFrame:
    """The contact log (columns :data:`CONTACT_COLUMNS`), sorted by time."""
    days = [spec.first_day + dt.timedelta(days=d) for d in range(7 * spec.weeks)]
    weekday = np.asarray(spec.weekday_weights, dtype=float)
    scale = spec.per_day / weekday[:5].mean()
    counts = rng.poisson([scale * weekday[d.weekday()] for d in days])
    n = int(counts.sum())
    day = np.repeat(np.array(days, dtype="datetime64[D]"), counts)
    channels = list(spec.channels)
    cw = np.array([spec.channels[c] for c in channels], dtype=float)
    channel = np.array(channels, dtype=object)[
        np.searchsorted(np.cumsum(cw / cw.sum()), rng.random(n), side="right").clip(
            0, len(channels) - 1)]
    weekend = (day.astype(np.int64) + 3) % 7 >= 5  # 1970-01-01 was a Thursday (3)
    office = np.isin(channel, spec.office_channels)
    # On weekends the office channels are closed: those contacts come in online instead.
    anytime = [c for c in channels if c not in spec.office_channels] or channels
    moved = office & weekend
    if moved.any():
        channel[moved] = np.array(anytime, dtype=object)[rng.integers(len(anytime),
                                                                      size=int(moved.sum()))]
        office = np.isin(channel, spec.office_channels)
    hours = np.empty(n, dtype=np.int64)
    for mask, profile in ((office, OFFICE_HOURS), (~office, ANYTIME_HOURS)):
        p = np.asarray(profile, dtype=float)
        hours[mask] = rng.choice(24, size=int(mask.sum()), p=p / p.sum())
    seconds = rng.integers(0, 3600, size=n)
    stamp = day.astype("datetime64[s]") + (hours * 3600 + seconds).astype("timedelta64[s]")
    cats = spec.categories
    share = np.array([c.share for c in cats], dtype=float)
    cat_idx = np.searchsorted(np.cumsum(share / share.sum()), rng.random(n), side="right").clip(
        0, len(cats) - 1)
    weights = _team_weights(spec, teams)
    team_names = list(weights)
    tw = np.array([weights[t] for t in team_names], dtype=float)
    team = np.array(team_names, dtype=object)[
        np.searchsorted(np.cumsum(tw / tw.sum()), rng.random(n), side="right").clip(
            0, len(team_names) - 1)]
    logit = np.array([_fcr_logit(spec, enablement, str(t), cats[c].id, str(ch))
                      for t, c, ch in zip(team, cat_idx, channel)], dtype=float)
    resolved = rng.random(n) < logistic(logit)
    minutes = np.array([cats[c].minutes for c in cat_idx]) * np.exp(rng.normal(0, 0.45, n))
    minutes = np.where(resolved, minutes, minutes * 1.3)
    first = pd.DataFrame({
        "timestamp": stamp, "channel": channel, "category": [cats[c].id for c in cat_idx],
        "team": team, "handling_minutes": np.round(minutes, 1),
        "resolved_first_contact": resolved, "repeat_contact": np.zeros(n, dtype=bool),
    })
    # Repeats: an unresolved contact comes back once, 1-4 days later, at a usual hour.
    back = np.flatnonzero(~resolved & (rng.random(n) < spec.repeat_prob))
    m = len(back)
    later = rng.integers(1, 5, size=m).astype("timedelta64[D]")
    r_day = day[back] + later
    r_channel = channel[back].copy()
    r_office = np.isin(r_channel, spec.office_channels)
    r_weekday = (r_day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (3)
    push = np.where(r_office & (r_weekday == 5), 2, np.where(r_office & (r_weekday == 6), 1, 0))
    r_day = r_day + push.astype("timedelta64[D]")
    r_hours = np.empty(m, dtype=np.int64)
    for mask, profile in ((r_office, OFFICE_HOURS), (~r_office, ANYTIME_HOURS)):
        p = np.asarray(profile, dtype=float)
        r_hours[mask] = rng.choice(24, size=int(mask.sum()), p=p / p.sum())
    r_stamp = r_day.astype("datetime64[s]") + (
        r_hours * 3600 + rng.integers(0, 3600, size=m)).astype("timedelta64[s]")
    r_logit = logit[back] + 0.4  # the second try knows more
    repeats = pd.DataFrame({
        "timestamp": r_stamp, "channel": r_channel, "category": first["category"].to_numpy()[back],
        "team": team[back], "handling_minutes": np.round(minutes[back] * 0.8, 1),
        "resolved_first_contact": rng.random(m) < logistic(r_logit),
        "repeat_contact": np.ones(m, dtype=bool),
    })
    log = pd.concat([first, repeats], ignore_index=True)
    end = np.datetime64(spec.first_day + dt.timedelta(days=7 * spec.weeks), "s")
    log = log[log["timestamp"].to_numpy() < end]
    log = log.sort_values(["timestamp", "team", "category"], kind="mergesort").reset_index(
        drop=True)
    log.insert(0, "contact_id", [f"C{i:06d}" for i in range(1, len(log) + 1)])
    log["timestamp"] = log["timestamp"].astype("datetime64[ns]")
    for col in ("channel", "category", "team"):
        log[col] = pd.Categorical(log[col])
    log["contact_id"] = log["contact_id"].astype("string")
    log["handling_minutes"] = log["handling_minutes"].astype("Float64")
    return log[list(CONTACT_COLUMNS)]
