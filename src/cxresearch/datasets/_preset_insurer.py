"""The preset of the insurer-claims example: burglary claims right the first time.

The story: the first call with the claims handler is the weak moment of truth (handlers
lack authority and one screen with the file). Between the waves the insurer gives
handlers authority to settle claims up to a set amount in the call and pays approved
claims the same day. So wave "after" has true effects at ``first_call`` (+0.6) and
``payout`` (+0.4) on the latent scale, and none elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

import numpy as np

from ._people import Crowd
from ._spec import (
    ContactCategory, ContactSpec, DaysBefore, Derived, Driver, Likert, Multi, Number, Ordered,
    Probs, Rating, StudySpec, TextRule, Wave,
)

__all__ = ["INSURER", "insurer_truth"]

_DESK = {"claims_handler": 0.88, "team_lead": 0.12}

INSURER = StudySpec(
    name="insurer-claims",
    seed=20261123,
    n_customers=700,
    n_employees=140,
    panel_share=0.3,
    effects={"first_call": 0.6, "payout": 0.4},
    touchpoint_means={
        "discover": -0.7, "police_report": 0.1, "report_claim": 0.7, "first_call": 0.2,
        "assessor_visit": 0.8, "documents": 0.1, "decision": 0.5, "payout": 0.6,
        "checkin_call": 1.0, "prevention_advice": 0.5, "renewal": 0.2,
    },
    teams={"desk_north": 0.42, "desk_south": 0.42, "complex_claims": 0.16},
    touchpoint_teams={"assessor_visit": "field_experts", "checkin_call": "aftercare",
                      "prevention_advice": "aftercare"},
    team_enablement={"desk_north": 0.4, "desk_south": -0.4, "complex_claims": 0.1,
                     "field_experts": 0.3, "aftercare": 0.0},
    touchpoint_enablement={"report_claim": 0.3, "first_call": -0.5, "assessor_visit": 0.2,
                           "documents": -0.2, "decision": 0.0, "checkin_call": 0.4,
                           "prevention_advice": 0.1},
    enablement_slope=0.5,
    employee_teams={"desk_north": 0.3, "desk_south": 0.3, "complex_claims": 0.15,
                    "field_experts": 0.12, "aftercare": 0.13},
    languages={"nl": 0.88, "en": 0.12},
    waves=(Wave("before", dt.date(2026, 2, 2), dt.date(2026, 3, 15)),
           Wave("after", dt.date(2026, 9, 7), dt.date(2026, 10, 18))),
    employee_wave=Wave("before", dt.date(2026, 3, 2), dt.date(2026, 3, 20)),
    rules={
        "burglary_date": DaysBefore(14, 200),
        "stolen_items": Multi({"computer": 0.4, "phone_tablet": 0.35, "jewellery": 0.4,
                               "cash": 0.2, "bicycle": 0.15, "audio_video": 0.15,
                               "art": 0.05, "documents_id": 0.1, "clothing_bags": 0.15,
                               "door_window": 0.45, "other": 0.04}),
        "report_channel": Probs({"online": 0.35, "app": 0.2, "phone": 0.3,
                                 "intermediary": 0.12, "other": 0.03}),
        "had_call": Probs({"yes": 0.85, "no": 0.15}),
        "assessment_how": Multi({"visit": 0.35, "documents": 0.7, "phone_only": 0.15},
                                exclusive={"dont_know": 0.04}),
        "decision_outcome": Probs({"full": 0.55, "partial": 0.25, "rejected": 0.08,
                                   "pending": 0.12}),
        "police_report_done": Probs({"yes": 0.75, "no": 0.1, "not_needed": 0.15}),
        "phone_wait": Ordered(("over_15", "min_5_15", "min_1_5", "under_1"),
                              (0.15, 0.3, 0.4, 0.15), others={"dont_remember": 0.05}),
        "call_settled": Ordered(("nothing", "partly", "all"), (0.25, 0.35, 0.4),
                                loading=1.8, center=0.4),
        "calls_count": Number(2.8, dist="count", slope=-0.5, center=0.4),
        "visit_knew_file": Ordered(("no", "partly", "yes"), (0.15, 0.3, 0.55)),
        "paid_yet": Probs({"yes": 0.9, "no": 0.1}),
        "days_to_payout": Number(14.0, sigma=0.5, slope=-0.3,
                                 wave_factor={"after": 0.55}),
        "payout_speed": Likert(reverse=True),
        "followup_received": Multi({"checkin": 0.35, "prevention": 0.4, "renewal": 0.5},
                                   exclusive={"none": 0.15}),
        "safety_now": Rating(intercept=6.4, slope=1.6, noise=0.8, latent="overall"),
        "prevention_action": Ordered(("not_planned", "planned", "done"), (0.2, 0.45, 0.35)),
        "renewal_intent": Ordered(("left", "leave", "doubt", "stay"), (0.03, 0.07, 0.2, 0.7),
                                  loading=1.2, latent="overall"),
        "experience": Likert(row_shifts={"exp_one_contact": -0.3, "exp_told_once": -0.5,
                                         "exp_next_step": -0.1, "exp_promises": 0.1,
                                         "exp_as_person": 0.3}),
        "peak_moment": Derived("peak"),
        "peak_valence": Derived("peak_valence"),
        "priorities": Probs({"speed": 1.0, "one_contact": 0.8, "fair_payout": 1.4,
                             "clear_communication": 0.7, "empathy": 0.5}),
        "nps": Rating(intercept=6.9, slope=2.0, noise=0.5, latent="overall"),
        "open_discover": TextRule(rate=0.45),
        "open_call": TextRule(rate=0.55),
        "open_decision": TextRule(rate=0.5),
        "open_payout": TextRule(rate=0.4),
        "nps_improve": TextRule(rate=0.6),
        "nps_best": TextRule(rate=0.5),
        "three_words": TextRule(rate=0.4),
        "online_missing": TextRule(rate=0.25),
    },
    drivers=(
        Driver("decision_outcome", {"full": {"decision": 0.4, "payout": 0.2},
                                    "partial": {"decision": -0.5},
                                    "rejected": {"decision": -1.8, "overall": -0.3}}),
        Driver("call_settled", {"nothing": {"overall": -0.2}}),
    ),
    employee_rules={
        "role": Probs(by="team", table={
            "desk_north": _DESK, "desk_south": _DESK,
            "complex_claims": {"claims_handler": 0.85, "team_lead": 0.15},
            "field_experts": {"assessor": 0.9, "team_lead": 0.1},
            "aftercare": {"claims_handler": 0.85, "team_lead": 0.15}}),
        "team": Derived("team"),
        "tenure": Number(6.0, sigma=0.8),
        "tasks": Multi(by="team", table={
            "desk_north": {"intake": 0.8, "call": 0.9, "documents": 0.6, "decision": 0.7,
                           "visit": 0.02, "checkin": 0.05, "prevention": 0.05},
            "desk_south": {"intake": 0.8, "call": 0.9, "documents": 0.6, "decision": 0.7,
                           "visit": 0.02, "checkin": 0.05, "prevention": 0.05},
            "complex_claims": {"intake": 0.4, "call": 0.9, "documents": 0.7, "decision": 0.9,
                               "visit": 0.15},
            "field_experts": {"visit": 0.95, "documents": 0.5, "decision": 0.3,
                              "prevention": 0.6},
            "aftercare": {"checkin": 0.9, "prevention": 0.8, "call": 0.3}}),
        "call_time": Likert(latent="enable:first_call", shift=-0.2),
        "visit_settle": Ordered(("never", "sometimes", "often", "almost_always"),
                                (0.1, 0.35, 0.4, 0.15), latent="enable:assessor_visit"),
        "rejection_call": Ordered(("never", "sometimes", "often", "almost_always"),
                                  (0.25, 0.4, 0.25, 0.1), latent="enable:decision"),
        "ftr_share": Number(65.0, sigma=14.0, dist="normal", slope=12.0, center=0.6,
                            latent="engagement"),
        "ftr_help": TextRule(rate=0.55),
        "lead_authority": TextRule(rate=0.7),
        "call_missing": TextRule(rate=0.7),
        "workload": Likert(shift=-0.3),
        "enps": Rating(intercept=6.2, slope=2.0, noise=0.6),
        "enps_why": TextRule(rate=0.5),
        "stay": Likert(shift=0.4),
        "stay_why": TextRule(rate=0.5),
    },
    contacts=ContactSpec(
        first_day=dt.date(2026, 2, 2), weeks=8, per_day=60.0,
        channels={"phone": 0.55, "email": 0.2, "chat": 0.12, "app": 0.13},
        categories=(
            ContactCategory("claim_status", 0.28, "first_call", -0.2, 5.0),
            ContactCategory("report_claim", 0.22, "report_claim", 0.0, 8.0),
            ContactCategory("documents", 0.15, "documents", 0.3, 7.0),
            ContactCategory("payout", 0.13, "payout", 0.1, 5.0),
            ContactCategory("coverage", 0.12, "decision", 0.5, 9.0),
            ContactCategory("complaint", 0.05, "decision", 1.0, 14.0),
            ContactCategory("prevention", 0.05, "prevention_advice", -0.3, 6.0),
        ),
        fcr_intercept=0.6, fcr_slope=0.9,
        channel_shift={"phone": 0.2, "email": -0.4, "app": -0.2},
    ),
    duration_median_s=540.0,
    employee_duration_median_s=420.0,
    id_prefix="K",
    phrases="insurer-claims",
)


def insurer_truth(big: Crowd, spec: StudySpec,
                  rerun: Callable[[StudySpec], Crowd]) -> Mapping[str, Any]:
    """Expected share of customers whose first call settled everything, per wave, and
    expected days to payout per wave (clean large sample)."""
    data = big.data
    out: dict[str, Any] = {}
    for wave in (spec.waves[0].name, spec.waves[1].name):
        part = data[data["wave"] == wave]
        settled = part["call_settled"].dropna()
        out[f"call_settled_all[{wave}]"] = float((settled == "all").mean())
        days = part["days_to_payout"].astype("float64").dropna()
        out[f"median_days_to_payout[{wave}]"] = float(np.median(days)) if len(days) else \
            float("nan")
    return out
