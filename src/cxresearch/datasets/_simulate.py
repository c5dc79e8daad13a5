"""``simulate_study``: customers, a panel, employees, a contact log and the truth."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from ..data.responses import Responses
from ..instrument.model import Instrument
from ..journey.model import Journey
from ._answers import check_rules
from ._contacts import expected_fcr, simulate_contacts
from ._latent import enablement_matrix, touchpoint_order
from ._paths import StudyObjects, load_study_objects
from ._people import (
    Crowd, dataclass_replace, simulate_customers, simulate_employees, teams_of, weights,
)
from ._spec import NO_PROBLEMS, DatasetError, QualityRates, StudySpec
from ._text import phrase_book
from ._truth import (
    METHOD, TRUTH_N, TRUTH_SEED, Truth, expected_means, nps_of, team_table, touchpoint_table,
    wave_effect_table, within_slope,
)

__all__ = ["SimulatedStudy", "TruthHook", "simulate_study"]

Rerun = Callable[[StudySpec], Crowd]
TruthHook = Callable[[Crowd, StudySpec, Rerun], Mapping[str, Any]]
"""A study-specific function that adds truths computed on the clean large sample. It gets
that sample, the spec, and a function that reruns the same sample (same seed, so common
random numbers) under a changed spec: the way to compute a causal effect exactly."""

_TRUTH_CACHE: dict[str, tuple[Any, ...]] = {}


@dataclass(frozen=True, eq=False)
class SimulatedStudy:
    """Simulated data of one study, with the truth behind it.

    Attributes
    ----------
    name : str
        The study id.
    seed : int
        The seed everything was drawn from.
    customers : pandas.DataFrame
        One row per submission, waves "before" and "after": meta columns
        ``respondent_id, wave, team, start, end, duration_s, language``, then the customer
        survey's field ids typed as :class:`cxresearch.data.responses.Responses` types
        them. Duplicate submissions are included (same id and answers, later start).
    panel : pandas.Index
        Respondent ids that answered in both waves (the same ids in both).
    employees : pandas.DataFrame or None
        The employee survey's answers, one wave; ``team`` holds the employee's team.
    contacts : pandas.DataFrame or None
        The contact log (see :data:`cxresearch.datasets.CONTACT_COLUMNS`).
    truth : Truth
        Parameters set and the expectations they imply.
    customer_survey, employee_survey : Instrument
        The instruments answered.
    journey : Journey or None
        The journey the touchpoints belong to.
    spec : StudySpec
        Every parameter of the simulation.
    """

    name: str
    seed: int
    customers: pd.DataFrame
    panel: pd.Index
    employees: pd.DataFrame | None
    contacts: pd.DataFrame | None
    truth: Truth
    customer_survey: Instrument
    employee_survey: Instrument | None
    journey: Journey | None
    spec: StudySpec

    def responses(self, which: str = "customers") -> Responses:
        """The customer or employee data as :class:`~cxresearch.data.responses.Responses`."""
        if which == "customers":
            return Responses(self.customers.copy(), self.customer_survey, source="simulated",
                             meta_columns=[c for c in self.customers.columns
                                           if c not in self.customer_survey.field_ids()])
        if which == "employees" and self.employees is not None \
                and self.employee_survey is not None:
            return Responses(self.employees.copy(), self.employee_survey, source="simulated",
                             meta_columns=[c for c in self.employees.columns
                                           if c not in self.employee_survey.field_ids()])
        raise DatasetError(f"`which` must be 'customers' or 'employees' (when the study has "
                           f"an employee survey); got {which!r}")

    def __repr__(self) -> str:
        emp = len(self.employees) if self.employees is not None else 0
        con = len(self.contacts) if self.contacts is not None else 0
        return (f"<SimulatedStudy '{self.name}' seed={self.seed}: {len(self.customers)} "
                f"customer rows ({len(self.panel)} in the panel), {emp} employees, "
                f"{con} contacts>")


def _check_count(name: str, value: object, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < low:
        raise DatasetError(f"`{name}` must be a whole number of at least {low}; got {value!r}")
    return int(value)


def _check_share(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not 0.0 <= float(value) <= 1.0:
        raise DatasetError(f"`{name}` must be a share between 0 and 1; got {value!r}")
    return float(value)


def _team_touchpoints(spec: StudySpec, employee: Instrument | None,
                      touchpoints: list[str]) -> set[str]:
    if spec.team_touchpoints is not None:
        return set(spec.team_touchpoints)
    if employee is not None:
        found = {b.touchpoint for b in employee.blocks if b.touchpoint}
        if found:
            return {t for t in found if t is not None}
    return set(touchpoints)


def _truth_parts(objs: StudyObjects, spec: StudySpec, effects: Mapping[str, float],
                 setup: dict[str, Any], truth_n: int,
                 hook: TruthHook | None) -> tuple[Any, ...]:
    """Expectations from a clean large sample (cached on the parameters)."""
    key = repr((spec.name, objs.customer.id, objs.customer.version, objs.customer.sha256,
                sorted(effects.items()), truth_n, dataclass_replace(
                    spec, seed=0, n_customers=0, n_employees=0, panel_share=0.0,
                    quality=NO_PROBLEMS, effects={})))
    if key in _TRUTH_CACHE:
        return _TRUTH_CACHE[key]
    def rerun(changed: StudySpec) -> Crowd:
        crowd, _ = simulate_customers(
            changed, objs.customer, objs.journey, n=truth_n, effects=changed.effects,
            panel_share=0.0, teams=setup["customer_teams"],
            team_touchpoints=setup["team_touchpoints"], enablement=setup["enablement"],
            touchpoints=setup["touchpoints"], quality=NO_PROBLEMS,
            rng=np.random.default_rng(TRUTH_SEED), phrases=setup["phrases"],
            write_text=False)
        return crowd

    spec = dataclass_replace(spec, effects=effects)
    big = rerun(spec)
    expected = expected_means(big.data, objs.customer)
    waves = (spec.waves[0].name, spec.waves[1].name)
    nps_fields = [q.id for q in objs.customer.questions() if q.metric == "nps"]
    nps = {w: nps_of(big.data.loc[big.data["wave"] == w, nps_fields[0]])
           for w in waves} if nps_fields else {}
    handler = {tp: arr[big.order] for tp, arr in big.model.handler.items()}  # type: ignore[union-attr]
    sd = float(np.hypot(spec.employee_person_sd, spec.employee_item_sd))
    table = team_table(big.data, objs.customer, handler, setup["enablement"],
                       setup["team_touchpoints"], waves[0], sd)
    slope = within_slope(table, "item_mean", "customer_mean", "touchpoint") \
        if not table.empty else float("nan")
    extras = dict(hook(big, spec, rerun)) if hook else {}
    tps = touchpoint_table(table, big.data, objs.customer, handler, waves[0]) \
        if not table.empty else pd.DataFrame()
    parts = (expected, nps, wave_effect_table(expected, effects, waves), table, slope, tps,
             extras)
    if len(_TRUTH_CACHE) > 16:
        _TRUTH_CACHE.clear()
    _TRUTH_CACHE[key] = parts
    return parts


def simulate_study(study: str | Path | Mapping[str, Any] | StudyObjects, *,
                   seed: int, n_customers: int | None = None, n_employees: int | None = None,
                   effects: Mapping[str, float] | None = None,
                   panel_share: float | None = None, spec: StudySpec | None = None,
                   quality: QualityRates | None = None, truth_n: int = TRUTH_N,
                   truth_hook: TruthHook | None = None) -> SimulatedStudy:
    """Simulate a study's customers, panel, employees and contact log with known truth.

    Parameters
    ----------
    study : str, path, mapping or StudyObjects
        A study folder (with ``study.yaml`` or ``journey.yaml`` and ``instruments/``),
        the name of an example study, or a mapping with ``customer`` (a survey) and
        optionally ``journey``, ``employee`` and ``name``.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives identical data.
    n_customers : int, optional
        Respondents per wave (before duplicates). Default: the spec's.
    n_employees : int, optional
        Employee respondents (0 for none). Default: the spec's.
    effects : dict, optional
        Effect per touchpoint id on the latent experience scale, applied in wave
        "after" (e.g. ``{"first_call": 0.6}``). Default: the spec's.
    panel_share : float, optional
        Share of wave-1 respondents who answer again in wave 2. Default: the spec's.
    spec : StudySpec, optional
        All model parameters; default: the example preset for a known study, else
        plain defaults.
    quality : QualityRates, optional
        Data-quality problem rates; default: the spec's (missing 4 %, speeders 3 %,
        straight-liners 2 %, duplicates 0.5 %, PII in 3 % of long open answers).
    truth_n : int
        Customers per wave in the clean simulation behind the expected values; 0 skips
        it (``truth.expected``, ``nps``, ``wave_effects``, ``enablement`` and study
        extras are then empty).
    truth_hook : callable, optional
        Adds study-specific truths; default: the example preset's.

    Returns
    -------
    SimulatedStudy

    Notes
    -----
    The latent model is described in :class:`~cxresearch.datasets.StudySpec`; how the
    expected values in ``truth`` are computed in :data:`cxresearch.datasets.TRUTH_METHOD`.
    This simulator is our own code: no maintained library simulates survey answers from
    instruments with skip logic.

    Examples
    --------
    >>> sim = simulate_study("insurer-claims", seed=1, n_customers=40, n_employees=10,
    ...                      truth_n=2_000)
    >>> sorted(sim.customers["wave"].unique().tolist())
    ['after', 'before']
    >>> sim.panel.isin(sim.customers["respondent_id"]).all()
    np.True_
    """
    from ._presets import preset, truth_hook as preset_hook

    objs = load_study_objects(study)
    base = spec or preset(objs.name) or StudySpec(name=objs.name)
    n_c = _check_count("n_customers", base.n_customers if n_customers is None else n_customers, 1)
    n_e = _check_count("n_employees", base.n_employees if n_employees is None else n_employees)
    share = _check_share("panel_share", base.panel_share if panel_share is None else panel_share)
    _check_count("seed", seed)
    truth_n = _check_count("truth_n", truth_n)
    if 0 < truth_n < 100:
        raise DatasetError(f"`truth_n` must be 0 (no expectations) or at least 100; got {truth_n}")
    q = quality or base.quality
    touchpoints = touchpoint_order(objs.journey, objs.customer)
    effects = dict(base.effects if effects is None else effects)
    unknown = [k for k in effects if k not in touchpoints]
    if unknown:
        raise DatasetError(f"`effects` names unknown touchpoint(s) {', '.join(unknown)}; "
                           f"known: {', '.join(touchpoints)}")
    check_rules(objs.customer, base.rules, base.drivers, "customer")
    if objs.employee is not None:
        check_rules(objs.employee, base.employee_rules, (), "employee")
    teams = teams_of(objs.employee, base)
    team_tps = _team_touchpoints(base, objs.employee, touchpoints)
    customer_teams = weights(teams, base.teams)
    setup: dict[str, Any] = {"customer_teams": customer_teams, "team_touchpoints": team_tps,
             "enablement": enablement_matrix(base, teams, touchpoints),
             "touchpoints": touchpoints,
             "phrases": phrase_book(*([base.phrases] if base.phrases else []))}
    rng_c, rng_e, rng_k = np.random.default_rng(seed).spawn(3)
    crowd, panel = simulate_customers(
        base, objs.customer, objs.journey, n=n_c, effects=effects, panel_share=share,
        teams=customer_teams, team_touchpoints=team_tps, enablement=setup["enablement"],
        touchpoints=touchpoints, quality=q, rng=rng_c, phrases=setup["phrases"])
    staff: Crowd | None = None
    if objs.employee is not None and n_e > 0:
        staff = simulate_employees(
            base, objs.employee, n=n_e, teams=weights(teams, base.employee_teams),
            touchpoints=touchpoints, enablement=setup["enablement"], quality=q, rng=rng_e,
            phrases=setup["phrases"])
    contacts = simulate_contacts(base.contacts, setup["enablement"], customer_teams, rng_k) \
        if base.contacts is not None else None
    if truth_n:
        expected, nps, wave_fx, table, slope, tps, extras = _truth_parts(
            objs, base, effects, setup, truth_n, truth_hook or preset_hook(objs.name))
    else:  # no large-sample expectations (fast: for writing files, or quick looks)
        expected, wave_fx, table, tps = (pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                                         pd.DataFrame())
        nps, slope, extras = {}, float("nan"), {}
    flags = crowd.flags
    realised = {"customer_rows": len(crowd.data),
                "speeders": int(flags["speeder"].sum()),
                "straightliners": int(flags["straightliner"].sum()),
                "duplicates": int(flags["duplicate"].sum()),
                "rows_with_pii": int(flags["has_pii"].sum()),
                "optional_answers": crowd.stats["optional_asked"],
                "optional_dropped": crowd.stats["optional_dropped"]}
    fcr = expected_fcr(base.contacts, setup["enablement"], customer_teams) \
        if base.contacts is not None else {}
    truth = Truth(
        study=objs.name, seed=seed, effects=effects,
        touchpoint_means={tp: float(base.touchpoint_means.get(tp, base.default_mean))
                          for tp in touchpoints},
        peak_end=dict(base.peak_end), enablement_slope=base.enablement_slope,
        enablement=table, observed_slope=slope, expected=expected, nps=nps,
        wave_effects=wave_fx, fcr=fcr,
        fcr_slope=base.contacts.fcr_slope if base.contacts is not None else None,
        quality=q, realised=realised, flags=flags,
        employee_flags=staff.flags if staff is not None else pd.DataFrame(),
        touchpoints=tps, extras={**dict(base.extras), **extras},
        sizes={"customers": len(crowd.data), "per_wave": n_c, "panel": len(panel),
               "employees": len(staff.data) if staff is not None else 0,
               "contacts": len(contacts) if contacts is not None else 0},
        method=METHOD)
    return SimulatedStudy(objs.name, seed, crowd.data, panel,
                          staff.data if staff is not None else None, contacts, truth,
                          objs.customer, objs.employee, objs.journey,
                          dataclass_replace(base, seed=seed, n_customers=n_c, n_employees=n_e,
                                            panel_share=share, effects=effects, quality=q))
