"""The preset of the webshop-delivery example: from failed installation to loyal customer.

The story: a webshop for large appliances delivers and installs. A failed installation
(about 15 % of booked installations; more often with the less enabled crew) is the
negative peak of the journey: it moves the installation experience by -2.2 on the
latent scale. A handwritten apology card afterwards is a strong positive touchpoint
that often becomes the end of the journey. Between the waves the webshop makes the card
standard after every failed installation (received by 15 % of those customers before,
75 % after) and sends a delivery notice with a 30-minute window (true effect +0.5 at
``delivery_notice``). The card's true effect on NPS among failed installations is
computed exactly (see ``webshop_truth``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Callable, Mapping

from ._people import Crowd
from ._spec import (
    ContactCategory, ContactSpec, DaysBefore, Derived, Driver, Likert, Multi, Number, Ordered,
    Probs, Rating, StudySpec, TextRule, Wave,
)
from ._truth import nps_of

__all__ = ["WEBSHOP", "webshop_truth"]

_FREQ = ("never", "sometimes", "often", "almost_always")
_CARD_BEFORE = {"yes": 0.15, "no": 0.8, "dont_remember": 0.05}
_CARD_AFTER = {"yes": 0.75, "no": 0.2, "dont_remember": 0.05}

WEBSHOP = StudySpec(
    name="webshop-delivery",
    seed=20261005,
    n_customers=650,
    n_employees=90,
    panel_share=0.25,
    effects={"delivery_notice": 0.5},
    touchpoint_means={
        "first_search": 0.7, "product_page": 0.8, "reviews": 0.7, "checkout": 0.9,
        "delivery_slot": 0.5, "delivery_notice": 0.3, "installation": 0.5,
        "apology_card": 1.5, "followup_call": 1.0, "return_repair": 0.45,
        "repeat_purchase": 0.6, "recommendation": 0.6,
    },
    teams={"crews_north": 0.5, "crews_south": 0.5},
    touchpoint_teams={"product_page": "service_desk", "delivery_slot": "planning",
                      "delivery_notice": "planning", "apology_card": "service_desk",
                      "followup_call": "service_desk", "return_repair": "service_desk"},
    team_enablement={"crews_north": 0.35, "crews_south": -0.35, "planning": 0.0,
                     "service_desk": 0.2},
    touchpoint_enablement={"installation": -0.45, "return_repair": -0.2, "apology_card": 0.3,
                           "delivery_notice": -0.1, "delivery_slot": 0.1,
                           "product_page": 0.2, "followup_call": 0.2},
    enablement_slope=0.5,
    employee_teams={"crews_north": 0.32, "crews_south": 0.32, "planning": 0.14,
                    "service_desk": 0.22},
    languages={"nl": 0.9, "en": 0.1},
    waves=(Wave("before", dt.date(2026, 3, 2), dt.date(2026, 4, 12)),
           Wave("after", dt.date(2026, 10, 5), dt.date(2026, 11, 15))),
    employee_wave=Wave("before", dt.date(2026, 4, 6), dt.date(2026, 4, 24)),
    rules={
        "product": Probs({"washing_machine": 0.3, "dryer": 0.12, "dishwasher": 0.2,
                          "fridge": 0.18, "freezer": 0.07, "cooker": 0.1, "other": 0.03}),
        "delivery_date": DaysBefore(5, 60),
        "orientation_sources": Multi({"search_engine": 0.7, "comparison_site": 0.4,
                                      "reviews": 0.45, "store": 0.15, "word_of_mouth": 0.25},
                                     exclusive={"none": 0.04}),
        "installation_booked": Probs({"yes": 0.75, "no": 0.25}),
        "installation_failed": Probs(by="team", table={
            "crews_north": {"no": 0.88, "yes": 0.12},
            "crews_south": {"no": 0.82, "yes": 0.18}}, p={"no": 0.85, "yes": 0.15}),
        "got_apology_card": Probs(by="wave", table={"before": _CARD_BEFORE,
                                                    "after": _CARD_AFTER}),
        "after_sales": Multi(by="installation_failed", table={
            "yes": {"followup_call": 0.55, "return_repair": 0.3, "none": 0.0},
            "no": {"followup_call": 0.25, "return_repair": 0.05, "none": 0.0}},
            p={"followup_call": 0.25, "return_repair": 0.06}, exclusive={"none": 0.0}),
        "search_decisive": Multi({"price": 0.5, "delivery_time": 0.3, "installation": 0.25,
                                  "rating": 0.35, "known_brand": 0.2, "other": 0.03}),
        "reviews_trust": Likert(shift=-0.2),
        "price_surprise": Ordered(("much_higher", "bit_higher", "as_expected"),
                                  (0.08, 0.22, 0.7)),
        "days_to_delivery": Number(4.0, sigma=0.5, slope=-0.3),
        "window_kept": Ordered(("late_unwarned", "late_warned", "early", "within"),
                               (0.12, 0.15, 0.08, 0.65)),
        "failure_cause": Probs({"connection": 0.3, "damaged": 0.2, "leak": 0.15,
                                "space": 0.2, "missing_parts": 0.12, "other": 0.03}),
        "days_until_working": Number(7.0, sigma=0.6),
        "repair_contacts": Number(3.0, dist="count", slope=-0.4, center=0.0),
        "experience": Likert(row_shifts={"exp_kept_informed": -0.2, "exp_promises": 0.0,
                                         "exp_careful": 0.2, "exp_problem_owned": -0.3,
                                         "exp_as_person": 0.2}),
        "peak_moment": Derived("peak"),
        "peak_valence": Derived("peak_valence"),
        "priorities": Probs({"price": 1.3, "fast_delivery": 0.9, "exact_time": 0.8,
                             "installed_first_time": 1.2, "old_removed": 0.4,
                             "personal_contact": 0.4}),
        "bought_before": Probs({"yes": 0.3, "no": 0.7}),
        "buy_again": Likert(latent="overall", shift=0.1),
        "nps": Rating(intercept=6.9, slope=2.0, noise=0.5, latent="overall"),
        "told_others": Ordered(("told_negative", "not_yet", "told_positive"),
                               (0.15, 0.45, 0.4), latent="overall"),
        "open_installation": TextRule(rate=0.5),
        "open_apology_card": TextRule(rate=0.5),
        "nps_improve": TextRule(rate=0.55),
        "nps_best": TextRule(rate=0.5),
        "one_change": TextRule(rate=0.4),
        "three_words": TextRule(rate=0.4),
    },
    drivers=(
        Driver("installation_failed", {"yes": {"installation": -2.2}}),
        Driver("price_surprise", {"much_higher": {"overall": -0.2}}),
    ),
    employee_rules={
        "role": Probs(by="team", table={
            "crews_north": {"technician": 0.9, "team_lead": 0.1},
            "crews_south": {"technician": 0.9, "team_lead": 0.1},
            "planning": {"planner": 0.88, "team_lead": 0.12},
            "service_desk": {"customer_service": 0.88, "team_lead": 0.12}}),
        "team": Derived("team"),
        "tenure": Number(4.0, sigma=0.8),
        "tasks": Multi(by="team", table={
            "crews_north": {"installation": 0.95, "apology_card": 0.5, "return_repair": 0.3,
                            "delivery_notice": 0.2},
            "crews_south": {"installation": 0.95, "apology_card": 0.5, "return_repair": 0.3,
                            "delivery_notice": 0.2},
            "planning": {"slot_planning": 0.95, "delivery_notice": 0.8},
            "service_desk": {"product_questions": 0.8, "followup_call": 0.7,
                             "apology_card": 0.5, "return_repair": 0.7}}),
        "checklist_useful": Likert(latent="enable:installation"),
        "failed_last_month": Number(3.0, dist="count", slope=-0.5, center=0.6,
                                    latent="enable:installation"),
        "failure_causes": Probs({"connection": 1.3, "space": 1.0, "damaged": 0.8,
                                 "missing_parts": 0.7, "access": 0.5}),
        "installation_missing": TextRule(rate=0.7),
        "card_sent": Ordered(_FREQ, (0.2, 0.35, 0.3, 0.15), latent="enable:apology_card"),
        "blame_discussion": Ordered(tuple(reversed(_FREQ)), (0.1, 0.3, 0.4, 0.2),
                                    latent="enable:return_repair"),
        "ftr_help": TextRule(rate=0.5),
        "workload": Likert(shift=-0.3),
        "enps": Rating(intercept=6.2, slope=2.0, noise=0.6),
        "enps_why": TextRule(rate=0.5),
        "stay": Likert(shift=0.3),
    },
    contacts=ContactSpec(
        first_day=dt.date(2026, 3, 2), weeks=8, per_day=45.0,
        channels={"phone": 0.45, "chat": 0.3, "email": 0.17, "online": 0.08},
        categories=(
            ContactCategory("delivery_time", 0.3, "delivery_notice", 0.0, 4.0),
            ContactCategory("installation_problem", 0.18, "installation", 0.8, 11.0),
            ContactCategory("order_change", 0.15, "checkout", -0.2, 5.0),
            ContactCategory("product_question", 0.15, "product_page", -0.4, 6.0),
            ContactCategory("return_repair", 0.1, "return_repair", 0.6, 9.0),
            ContactCategory("invoice", 0.07, "checkout", 0.1, 5.0),
            ContactCategory("complaint", 0.05, "installation", 1.1, 13.0),
        ),
        fcr_intercept=0.8, fcr_slope=0.9,
        channel_shift={"phone": 0.2, "chat": 0.1, "email": -0.4, "online": -0.5},
        teams={"service_desk": 0.7, "planning": 0.3},
    ),
    duration_median_s=480.0,
    employee_duration_median_s=400.0,
    id_prefix="W",
    phrases="webshop-delivery",
)


def _failed(crowd: Crowd) -> Any:
    return crowd.data[crowd.data["installation_failed"] == "yes"]


def webshop_truth(big: Crowd, spec: StudySpec,
                  rerun: Callable[[StudySpec], Crowd]) -> Mapping[str, Any]:
    """The card's causal effect among failed installations (the large sample rerun with
    every such customer getting the card, then none), and NPS by card in the sample as
    simulated."""
    rules = dict(spec.rules)
    with_card = rerun(dataclasses.replace(spec, rules={**rules,
                                                       "got_apology_card": Probs({"yes": 1.0})}))
    without = rerun(dataclasses.replace(spec, rules={**rules,
                                                     "got_apology_card": Probs({"no": 1.0})}))
    yes, no = _failed(with_card), _failed(without)
    out: dict[str, Any] = {
        "card_effect_nps_failed": nps_of(yes["nps"]) - nps_of(no["nps"]),
        "nps_failed_all_cards": nps_of(yes["nps"]),
        "nps_failed_no_cards": nps_of(no["nps"]),
        "card_effect_overall_sat_failed": float(yes["overall_sat"].astype(float).mean()
                                                - no["overall_sat"].astype(float).mean()),
        "card_effect_buy_again_failed": float(yes["buy_again"].astype(float).mean()
                                              - no["buy_again"].astype(float).mean()),
        "card_share_failed[before]": _CARD_BEFORE["yes"],
        "card_share_failed[after]": _CARD_AFTER["yes"],
    }
    data = big.data
    failed = data["installation_failed"] == "yes"
    out["nps_failed"] = nps_of(data.loc[failed, "nps"])
    out["nps_not_failed"] = nps_of(data.loc[data["installation_failed"] == "no", "nps"])
    for wave in (spec.waves[0].name, spec.waves[1].name):
        part = data[(data["wave"] == wave) & failed]
        out[f"nps_failed[{wave}]"] = nps_of(part["nps"])
    return out
