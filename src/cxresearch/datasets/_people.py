"""Customers (two waves, a panel) and employees (one wave), answering their surveys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..instrument.model import Instrument
from ..journey.model import Journey
from ._answers import Context, generate, typed_frame
from ._latent import CustomerModel, EmployeeModel
from ._spec import QualityRates, StudySpec, Wave
from ._text import PhraseBook

__all__ = ["CUSTOMER_META", "EMPLOYEE_META", "Crowd", "simulate_customers",
           "simulate_employees"]

CUSTOMER_META: tuple[str, ...] = ("respondent_id", "wave", "team", "start", "end",
                                  "duration_s", "language")
"""Meta columns of the customer data, before the answer fields."""

EMPLOYEE_META: tuple[str, ...] = ("respondent_id", "start", "end", "duration_s", "language")
"""Meta columns of the employee data (the team is the answer to the ``team`` question, or
a meta column after these when the survey does not ask it)."""

# Hour of day at which people fill in a survey (evenings and lunch are popular).
_SURVEY_HOURS = np.array([0.1, 0.05, 0.02, 0.02, 0.02, 0.05, 0.2, 0.5, 0.8, 1.0, 1.0, 1.0,
                          1.2, 1.1, 1.0, 0.9, 0.9, 0.9, 1.0, 1.4, 1.6, 1.5, 1.0, 0.4])
_WORK_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0.2, 1.0, 1.4, 1.3, 1.2, 0.9, 1.3, 1.3, 1.2,
                        1.0, 0.6, 0.1, 0.05, 0.05, 0, 0, 0])


@dataclass
class Crowd:
    """What a simulation of respondents returns besides the typed data."""

    data: pd.DataFrame
    flags: pd.DataFrame
    answers: dict[str, np.ndarray]
    model: CustomerModel | EmployeeModel
    order: np.ndarray
    stats: dict[str, int]


def _pick(weights: Mapping[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
    names = list(weights)
    p = np.array([weights[k] for k in names], dtype=float)
    idx = np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right")
    return np.array(names, dtype=object)[np.minimum(idx, len(names) - 1)]


def _ids(prefix: str, n: int, rng: np.random.Generator, digits: int = 6) -> np.ndarray:
    low = 10 ** (digits - 1)
    numbers = rng.choice(9 * low, size=n, replace=False) + low
    return np.array([f"{prefix}{k}" for k in numbers], dtype=object)


def _starts(wave: Wave, n: int, hours: np.ndarray, rng: np.random.Generator,
            weekdays_only: bool = False) -> np.ndarray:
    days = [wave.first + dt.timedelta(days=d) for d in range((wave.last - wave.first).days + 1)]
    if weekdays_only:
        days = [d for d in days if d.weekday() < 5] or days
    day = np.array(days, dtype="datetime64[D]")[rng.integers(len(days), size=n)]
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    second = rng.integers(0, 3600, size=n)
    return day.astype("datetime64[s]") + (hour * 3600 + second).astype("timedelta64[s]")


def _durations(median: float, asked: np.ndarray, speeder: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """Seconds (two decimals, as LimeSurvey's interview time): lognormal around
    ``median``, longer for more questions asked; speeders take 15-35 % of that."""
    scale = (asked / max(float(np.median(asked)), 1.0)) ** 0.7
    seconds = median * scale * np.exp(rng.normal(0.0, 0.4, len(asked)))
    seconds = np.where(speeder, seconds * rng.uniform(0.15, 0.35, len(asked)), seconds)
    return np.round(np.maximum(seconds, 30.0), 2)


def _asked(answers: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    count = np.zeros(n)
    for values in answers.values():
        count += np.array([v is not None for v in values])
    return count


def _flags(ids: np.ndarray, waves: np.ndarray | None, speeder: np.ndarray,
           straight: np.ndarray, pii: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame({"respondent_id": pd.array(ids, dtype="string")})
    if waves is not None:
        frame["wave"] = waves
    frame["speeder"] = speeder
    frame["straightliner"] = straight
    frame["has_pii"] = pii
    frame["duplicate"] = False
    return frame


def _duplicate(data: pd.DataFrame, flags: pd.DataFrame, share: float,
               rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Send a share of submissions twice: same id and answers, 2-30 minutes later."""
    if share <= 0 or data.empty:
        return data, flags
    pick = np.flatnonzero(rng.random(len(data)) < share)
    if len(pick) == 0:
        return data, flags
    copies = data.iloc[pick].copy()
    delay = pd.to_timedelta(rng.integers(120, 1800, size=len(pick)), unit="s")
    copies["start"] = copies["start"] + delay
    copies["end"] = copies["end"] + delay
    dup_flags = flags.iloc[pick].copy()
    dup_flags["duplicate"] = True
    return (pd.concat([data, copies], ignore_index=True),
            pd.concat([flags, dup_flags], ignore_index=True))


def _finish(data: pd.DataFrame, flags: pd.DataFrame, by: list[str]
            ) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Sort rows by ``by``; also return the positions the sorted rows came from."""
    order = data.sort_values(by, kind="mergesort").index
    return (data.loc[order].reset_index(drop=True), flags.loc[order].reset_index(drop=True),
            np.asarray(order))


def simulate_customers(spec: StudySpec, survey: Instrument, journey: Journey | None, *,
                       n: int, effects: Mapping[str, float], panel_share: float,
                       teams: Mapping[str, float], team_touchpoints: set[str],
                       enablement: Mapping[tuple[str, str], float], touchpoints: list[str],
                       quality: QualityRates, rng: np.random.Generator, phrases: PhraseBook,
                       write_text: bool = True) -> tuple[Crowd, pd.Index]:
    """Customers answering ``survey`` in two waves (``n`` per wave), a panel in both."""
    n_panel = int(round(panel_share * n))
    persons = 2 * n - n_panel
    ids = _ids(spec.id_prefix, persons, rng)
    disposition = rng.normal(0.0, spec.disposition_sd, persons)
    team = _pick(teams, persons, rng)
    language = _pick(spec.languages, persons, rng)
    panel = np.sort(rng.choice(n, size=n_panel, replace=False))
    second = np.concatenate([panel, np.arange(n, persons)])
    person = np.concatenate([np.arange(n), second])
    w1, w2 = spec.waves
    wave = np.array([w1.name] * n + [w2.name] * n, dtype=object)
    rows = len(person)
    speeder = rng.random(rows) < quality.speeders
    straight = rng.random(rows) < quality.straightliners
    start = np.concatenate([_starts(w1, n, _SURVEY_HOURS, rng),
                            _starts(w2, n, _SURVEY_HOURS, rng)])
    model = CustomerModel(dataclass_replace(spec, effects=effects), touchpoints,
                          team_touchpoints, enablement, disposition[person], team[person],
                          wave, rng)
    stage_of = {tp.id: stage.id for stage in journey.stages for tp in stage.touchpoints} \
        if journey is not None else {}
    ctx = Context(survey=survey, model=model, rules=spec.rules, drivers=spec.drivers,
                  quality=quality, rng=rng,
                  groups={"wave": wave, "team": team[person], "language": language[person]},
                  language=language[person], start=start, speeder=speeder,
                  straightliner=straight, phrases=phrases, item_sd=spec.item_sd,
                  touchpoint_stage=stage_of, today=w2.last, write_text=write_text,
                  pii=np.zeros(rows, dtype=bool))
    answers = generate(ctx)
    duration = _durations(spec.duration_median_s, _asked(answers, rows), speeder, rng)
    meta = pd.DataFrame({
        "respondent_id": pd.array(ids[person], dtype="string"),
        "wave": pd.Categorical(wave, categories=[w1.name, w2.name]),
        "team": pd.Categorical(team[person], categories=list(teams)),
        "start": start.astype("datetime64[ns]"),
        "end": (start + np.round(duration).astype("timedelta64[s]")).astype("datetime64[ns]"),
        "duration_s": pd.array(duration, dtype="Float64"),
        "language": pd.Categorical(language[person], categories=list(spec.languages)),
    })
    data = pd.concat([meta, typed_frame(survey, answers)], axis=1)
    assert ctx.pii is not None
    flags = _flags(ids[person], wave, speeder, straight, ctx.pii)
    data, flags = _duplicate(data, flags, quality.duplicates, rng)
    data, flags, order = _finish(data, flags, ["wave", "start"])
    panel_ids = pd.Index(sorted(ids[panel].tolist()), dtype="string", name="respondent_id")
    return Crowd(data, flags, answers, model, order, ctx.stats), panel_ids


def simulate_employees(spec: StudySpec, survey: Instrument, *, n: int,
                       teams: Mapping[str, float], touchpoints: list[str],
                       enablement: Mapping[tuple[str, str], float], quality: QualityRates,
                       rng: np.random.Generator, phrases: PhraseBook,
                       write_text: bool = True) -> Crowd:
    """Employees answering ``survey`` once; each belongs to a team of ``teams``."""
    ids = _ids("M", n, rng, digits=4)
    team = _pick(teams, n, rng)
    language = _pick(spec.languages, n, rng)
    speeder = rng.random(n) < quality.speeders
    straight = rng.random(n) < quality.straightliners
    start = _starts(spec.employee_wave, n, _WORK_HOURS, rng, weekdays_only=True)
    model = EmployeeModel(spec, touchpoints, enablement, team, rng)
    ctx = Context(survey=survey, model=model, rules=spec.employee_rules, drivers=(),
                  quality=quality, rng=rng, groups={"team": team, "language": language},
                  language=language, start=start, speeder=speeder, straightliner=straight,
                  phrases=phrases, item_sd=spec.employee_item_sd,
                  today=spec.employee_wave.last, write_text=write_text,
                  pii=np.zeros(n, dtype=bool))
    answers = generate(ctx)
    duration = _durations(spec.employee_duration_median_s, _asked(answers, n), speeder, rng)
    meta = pd.DataFrame({
        "respondent_id": pd.array(ids, dtype="string"),
        "start": start.astype("datetime64[ns]"),
        "end": (start + np.round(duration).astype("timedelta64[s]")).astype("datetime64[ns]"),
        "duration_s": pd.array(duration, dtype="Float64"),
        "language": pd.Categorical(language, categories=list(spec.languages)),
    })
    if "team" not in survey.field_ids():
        meta["team"] = pd.Categorical(team, categories=list(teams))
    data = pd.concat([meta, typed_frame(survey, answers)], axis=1)
    assert ctx.pii is not None
    flags = _flags(ids, None, speeder, straight, ctx.pii)
    flags["team"] = team
    data, flags = _duplicate(data, flags, quality.duplicates, rng)
    data, flags, order = _finish(data, flags, ["start"])
    return Crowd(data, flags, answers, model, order, ctx.stats)


def dataclass_replace(spec: StudySpec, **changes: object) -> StudySpec:
    """``dataclasses.replace`` for the spec (kept here so callers need not import it)."""
    import dataclasses

    return dataclasses.replace(spec, **changes)  # type: ignore[arg-type]


def teams_of(survey: Instrument | None, spec: StudySpec) -> list[str]:
    """Team codes: the spec's, else the choices of the employee survey's ``team``
    question, else three generic teams."""
    if spec.teams or spec.employee_teams:
        return list(dict.fromkeys([*spec.teams, *spec.employee_teams,
                                   *spec.touchpoint_teams.values()]))
    if survey is not None and "team" in survey.field_ids():
        q = survey.question("team")
        if q.choices in survey.choice_lists:
            return survey.choice_list(q).values()
    return ["team_a", "team_b", "team_c"]


def weights(names: Sequence[str], given: Mapping[str, float]) -> dict[str, float]:
    """``given`` when set, else equal weights over ``names``."""
    return dict(given) if given else {name: 1.0 for name in names}
