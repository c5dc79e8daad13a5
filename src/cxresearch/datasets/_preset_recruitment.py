"""The preset of the recruitment-agency example: every day counts for an open vacancy.

The story: employers (the agency's clients) wait for a shortlist; every day a vacancy
stays open costs them about EUR 350. Days to shortlist are exogenous (they depend on
the desk and the wave, not on the employer's mood), so a regression of satisfaction on
days recovers the causal slope: each extra day lowers the shortlist experience by 0.04
and the overall judgement by 0.025 on the latent scale. Shortlist quality follows how
well the intake call went and weighs more than speed (0.35 per quality point). Between
the waves the agency introduces weekly search updates (true effect +0.5 at
``search_updates``) and a sourcing pool that cuts days to shortlist by 25 %.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from ._people import Crowd
from ._spec import (
    ContactCategory, ContactSpec, DaysBefore, Derived, Driver, Likert, Multi, Number,
    NumberDriver, Ordered, Probs, Rating, StudySpec, TextRule, Wave,
)
from ._truth import within_slope

__all__ = ["RECRUITMENT", "recruitment_truth"]

_FREQ_BAD_FIRST = ("almost_always", "often", "sometimes", "never")
_DAYS_MEDIAN = 16.0
_COST_PER_DAY = 350.0
_OTHER = {"other": 0.03}

RECRUITMENT = StudySpec(
    name="recruitment-agency",
    seed=20260914,
    n_customers=500,
    n_employees=80,
    panel_share=0.35,
    effects={"search_updates": 0.5},
    touchpoint_means={
        "intake_call": 0.8, "job_profile": 0.6, "search_updates": 0.0, "shortlist": 0.5,
        "interview_scheduling": 0.5, "interviews": 0.7, "offer": 0.8, "contract_start": 0.7,
        "checkin_call": 1.0, "invoice": 0.3, "replacement_guarantee": 0.2,
    },
    teams={"ict": 0.3, "engineering": 0.25, "finance": 0.2, "care_logistics": 0.25},
    team_enablement={"ict": 0.3, "engineering": -0.3, "finance": 0.1, "care_logistics": -0.1},
    touchpoint_enablement={"intake_call": 0.2, "search_updates": -0.3, "shortlist": -0.2,
                           "interviews": 0.1, "offer": 0.0, "checkin_call": 0.3},
    enablement_slope=0.5,
    employee_teams={"ict": 0.3, "engineering": 0.25, "finance": 0.2, "care_logistics": 0.25},
    languages={"nl": 0.85, "en": 0.15},
    waves=(Wave("before", dt.date(2026, 1, 12), dt.date(2026, 2, 22)),
           Wave("after", dt.date(2026, 9, 14), dt.date(2026, 10, 25))),
    employee_wave=Wave("before", dt.date(2026, 2, 2), dt.date(2026, 2, 20)),
    rules={
        "respondent_role": Probs({"hiring_manager": 0.55, "hr": 0.35, "director": 0.1}),
        "sector": Probs(by="team", table={
            "ict": {"ict": 0.97, **_OTHER}, "engineering": {"engineering": 0.97, **_OTHER},
            "finance": {"finance": 0.97, **_OTHER},
            "care_logistics": {"healthcare": 0.45, "logistics": 0.4, "public": 0.12,
                               **_OTHER}}),
        "contract_type": Probs({"permanent": 0.6, "fixed_term": 0.25, "interim": 0.15}),
        "intake_date": DaysBefore(40, 200),
        "shortlist_received": Probs({"yes": 0.85, "no": 0.15}),
        "vacancy_status": Probs(by="shortlist_received", table={
            "yes": {"filled_agency": 0.58, "filled_other": 0.12, "still_open": 0.22,
                    "withdrawn": 0.08},
            "no": {"filled_other": 0.35, "still_open": 0.45, "withdrawn": 0.2}}),
        "intake_understood": Likert(),
        "update_frequency": Ordered(("only_asked", "rarely", "biweekly", "weekly"),
                                    (0.2, 0.25, 0.3, 0.25)),
        "days_to_shortlist": Number(_DAYS_MEDIAN, sigma=0.45, wave_factor={"after": 0.75},
                                    team_factor={"ict": 0.85, "engineering": 1.2,
                                                 "finance": 0.95, "care_logistics": 1.05}),
        "shortlist_size": Number(4.0, dist="count"),
        "shortlist_quality": Likert(latent="tp:intake_call", loading=0.8, shift=0.1),
        "shortlist_gaps": Multi({"skills": 0.3, "salary": 0.25, "availability": 0.2,
                                 "motivation": 0.15, "team_fit": 0.2, "other": 0.03},
                                exclusive={"nothing": 0.3}),
        "interview_hours": Number(6.0, sigma=0.5),
        "first_offer_accepted": Ordered(("no", "yes"), (0.25, 0.75)),
        "days_to_fill": Number(21.0, sigma=0.5, add="days_to_shortlist",
                               add_default=_DAYS_MEDIAN),
        "cost_per_day": Number(_COST_PER_DAY, sigma=90.0, dist="normal"),
        "followup_received": Multi({"checkin": 0.5, "invoice": 0.7, "replacement": 0.05},
                                   exclusive={"none": 0.1}),
        "invoice_correct": Ordered(("no", "yes"), (0.1, 0.9)),
        "experience": Likert(row_shifts={"exp_understood_need": 0.2, "exp_honest_market": 0.0,
                                         "exp_kept_informed": -0.4, "exp_promises": 0.0,
                                         "exp_speed": -0.3}),
        "peak_moment": Derived("peak"),
        "priorities": Probs({"speed": 1.2, "fit": 1.5, "honest_advice": 0.8,
                             "communication": 0.8, "fee": 0.5}),
        "nps": Rating(intercept=6.9, slope=2.0, noise=0.5, latent="overall"),
        "use_again": Ordered(("probably_not", "doubt", "probably", "certainly"),
                             (0.1, 0.2, 0.35, 0.35), latent="overall"),
        "open_intake_call": TextRule(rate=0.45),
        "open_shortlist": TextRule(rate=0.5),
        "nps_improve": TextRule(rate=0.55),
        "nps_best": TextRule(rate=0.5),
    },
    drivers=(
        NumberDriver("days_to_shortlist", "shortlist", slope=-0.04, center=_DAYS_MEDIAN),
        NumberDriver("days_to_shortlist", "overall", slope=-0.025, center=_DAYS_MEDIAN),
        Driver("shortlist_quality", {1: {"shortlist": -0.7}, 2: {"shortlist": -0.35},
                                     4: {"shortlist": 0.35}, 5: {"shortlist": 0.7}}),
        NumberDriver("days_to_fill", "overall", slope=-0.008, center=40.0),
    ),
    employee_rules={
        "role": Probs({"recruiter": 0.55, "sourcer": 0.2, "account_manager": 0.15,
                       "team_lead": 0.1}),
        "desk": Derived("team"),
        "tenure": Number(4.0, sigma=0.8),
        "open_vacancies": Number(14.0, dist="count"),
        "tasks": Multi(by="role", table={
            "recruiter": {"intake": 0.8, "updates": 0.9, "shortlist": 0.9, "interviews": 0.8,
                          "offer": 0.6, "checkin": 0.4},
            "sourcer": {"shortlist": 0.9, "updates": 0.3, "interviews": 0.2},
            "account_manager": {"intake": 0.9, "updates": 0.6, "offer": 0.7, "checkin": 0.8},
            "team_lead": {"intake": 0.5, "updates": 0.5, "shortlist": 0.5, "interviews": 0.5,
                          "offer": 0.5, "checkin": 0.5}}),
        "intake_time": Likert(latent="enable:intake_call"),
        "unrealistic_vacancy": Ordered(_FREQ_BAD_FIRST, (0.1, 0.3, 0.45, 0.15),
                                       latent="enable:intake_call"),
        "days_to_shortlist_own": Number(_DAYS_MEDIAN, sigma=0.35, slope=-0.35, center=0.6,
                                        latent="enable:shortlist"),
        "shortlist_delays": Probs({"vague_profile": 1.3, "scarce_market": 1.2, "database": 0.6,
                                   "approvals": 0.7, "workload": 0.9}),
        "shortlist_missing": TextRule(rate=0.7),
        "offer_declined": Ordered(_FREQ_BAD_FIRST, (0.05, 0.2, 0.55, 0.2),
                                  latent="enable:offer"),
        "workload": Likert(shift=-0.4),
        "targets_fit": Likert(shift=-0.1),
        "enps": Rating(intercept=6.2, slope=2.0, noise=0.6),
        "stay_why": TextRule(rate=0.5),
    },
    contacts=ContactSpec(
        first_day=dt.date(2026, 1, 12), weeks=6, per_day=25.0,
        channels={"phone": 0.5, "email": 0.4, "chat": 0.1},
        categories=(
            ContactCategory("vacancy_status", 0.35, "search_updates", 0.0, 5.0),
            ContactCategory("new_vacancy", 0.2, "intake_call", 0.3, 15.0),
            ContactCategory("candidate_feedback", 0.2, "interviews", 0.2, 8.0),
            ContactCategory("contract", 0.1, "offer", 0.4, 10.0),
            ContactCategory("invoice", 0.1, "offer", -0.2, 4.0),
            ContactCategory("complaint", 0.05, "shortlist", 1.0, 12.0),
        ),
        fcr_intercept=0.7, fcr_slope=0.9, channel_shift={"phone": 0.2, "email": -0.3},
    ),
    duration_median_s=600.0,
    employee_duration_median_s=420.0,
    id_prefix="E",
    phrases="recruitment-agency",
    extras={"cost_per_day_open_eur": _COST_PER_DAY,
            "latent_slope_shortlist_per_day": -0.04,
            "latent_slope_overall_per_day": -0.025,
            "days_to_shortlist_factor_after": 0.75},
)


def recruitment_truth(big: Crowd, spec: StudySpec,
                      rerun: Callable[[StudySpec], Crowd]) -> Mapping[str, Any]:
    """Observable slopes of satisfaction on days to shortlist (within waves), mean days
    to shortlist and to fill per wave, and what the open days cost."""
    data = big.data
    got = data[data["shortlist_received"] == "yes"]
    frame = got.assign(days=got["days_to_shortlist"].astype("float64"),
                       sat=got["overall_sat"].astype("float64"),
                       sat_short=got["sat_shortlist"].astype("float64"),
                       nps_num=got["nps"].astype("float64"),
                       wave_key=got["wave"].astype(str))
    out: dict[str, Any] = {
        "slope_overall_sat_per_day": within_slope(frame, "days", "sat", "wave_key"),
        "slope_sat_shortlist_per_day": within_slope(frame, "days", "sat_short", "wave_key"),
        "slope_nps_score_per_day": within_slope(frame, "days", "nps_num", "wave_key"),
    }
    for wave in (spec.waves[0].name, spec.waves[1].name):
        part = data[data["wave"] == wave]
        short = part["days_to_shortlist"].astype("float64").dropna()
        fill = part["days_to_fill"].astype("float64").dropna()
        out[f"mean_days_to_shortlist[{wave}]"] = float(short.mean())
        out[f"mean_days_to_fill[{wave}]"] = float(fill.mean())
        out[f"cost_of_open_days_eur[{wave}]"] = float(fill.mean() * _COST_PER_DAY)
    return out
