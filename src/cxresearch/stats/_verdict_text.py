"""The words of verdicts and their plots, in English and Dutch.

Each entry is ``(en, nl)``; :func:`_t` picks one and fills its placeholders. Used by
:mod:`cxresearch.stats._verdict` and :mod:`cxresearch.viz.forest`. Units are per metric;
proportions are shown in percentage points (``_SCALE``).
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

_UNIT = {  # (en, nl) per metric
    "nps": ("points", "punten"),
    "mean": ("points on the scale", "punten op de schaal"),
    "proportion": ("percentage points", "procentpunten"),
    "top_box": ("percentage points", "procentpunten"),
    "ordinal": ("(rank-biserial correlation)", "(rangbiseriële correlatie)"),
    "did": ("points on the scale", "punten op de schaal"),
    "its": ("points", "punten"),
}
_SCALE = {"proportion": 100.0, "top_box": 100.0}

_TEXT: dict[str, tuple[str, str]] = {
    "headline": ("{label}: {a_name} {a_value}, {b_name} {b_value}. The difference is "
                 "{estimate} {unit} ({level}% interval {low} to {high}{p}).",
                 "{label}: {a_name} {a_value}, {b_name} {b_value}. Het verschil is "
                 "{estimate} {unit} ({level}%-interval {low} tot {high}{p})."),
    "headline_did": ("{label}: the change in the improved group minus the change in the "
                     "comparison group is {estimate} {unit} ({level}% interval {low} to "
                     "{high}{p}).",
                     "{label}: de verandering in de verbeterde groep min die in de "
                     "vergelijkingsgroep is {estimate} {unit} ({level}%-interval {low} tot "
                     "{high}{p})."),
    "headline_its": ("{label}: when the improvement started, the level changed by "
                     "{estimate} {unit} ({level}% interval {low} to {high}{p}).",
                     "{label}: toen de verbetering begon, veranderde het niveau met "
                     "{estimate} {unit} ({level}%-interval {low} tot {high}{p})."),
    "its_slope": ("the trend changed by {slope} per {unit} as well",
                  "de trend veranderde daarnaast met {slope} per {unit}"),
    "its_ar1": ("a short series ({n} periods): the errors are modelled as AR(1), with an "
                "autocorrelation of {rho}; if they follow another pattern the interval "
                "may be off",
                "een korte reeks ({n} perioden): de fouten zijn gemodelleerd als AR(1), met "
                "een autocorrelatie van {rho}; volgen ze een ander patroon, dan kan het "
                "interval afwijken"),
    "its_gap": ("the series misses {k} period(s); the estimate keeps the true spacing, "
                "but the robust errors count rows",
                "de reeks mist {k} periode(s); de schatting houdt de echte afstanden aan, "
                "maar de robuuste fouten tellen rijen"),
    "its_short": ("only {k} periods on one side of the intervention; segmented regression "
                  "wants about 12 on each side",
                  "maar {k} perioden aan één kant van de verbetering; gesegmenteerde "
                  "regressie vraagt er ongeveer 12 aan elke kant"),
    "clear_improvement": ("This is an improvement, and it clears the smallest change "
                          "that matters ({sesoi} {unit}).",
                          "Dit is een verbetering, en groter dan de kleinste verandering "
                          "die ertoe doet ({sesoi} {unit})."),
    "improvement": ("This is an improvement, but it may be smaller than the smallest "
                    "change that matters ({sesoi} {unit}).",
                    "Dit is een verbetering, maar mogelijk kleiner dan de kleinste "
                    "verandering die ertoe doet ({sesoi} {unit})."),
    "small_improvement": ("This is an improvement, but smaller than the smallest change "
                          "that matters ({sesoi} {unit}): real, yet too small to matter.",
                          "Dit is een verbetering, maar kleiner dan de kleinste "
                          "verandering die ertoe doet ({sesoi} {unit}): echt, maar te "
                          "klein om ertoe te doen."),
    "no_meaningful_change": ("No change that matters: the whole interval lies within "
                             "±{sesoi} {unit}.",
                             "Geen verandering die ertoe doet: het hele interval ligt "
                             "binnen ±{sesoi} {unit}."),
    "inconclusive": ("The data cannot tell whether it got better or worse: the interval "
                     "holds both.",
                     "De gegevens laten niet zien of het beter of slechter werd: het "
                     "interval bevat beide."),
    "inconclusive_sesoi": ("The data cannot tell yet: the interval holds no change as "
                           "well as a change that matters ({sesoi} {unit}).",
                           "De gegevens laten het nog niet zien: het interval bevat zowel "
                           "geen verandering als een verandering die ertoe doet "
                           "({sesoi} {unit})."),
    "small_decline": ("This is a decline, but smaller than the smallest change that "
                      "matters ({sesoi} {unit}).",
                      "Dit is een achteruitgang, maar kleiner dan de kleinste verandering "
                      "die ertoe doet ({sesoi} {unit})."),
    "decline": ("This is a decline; it may be smaller than the smallest change that "
                "matters ({sesoi} {unit}).",
                "Dit is een achteruitgang; mogelijk kleiner dan de kleinste verandering "
                "die ertoe doet ({sesoi} {unit})."),
    "clear_decline": ("This is a decline, at least as large as the smallest change that "
                      "matters ({sesoi} {unit}).",
                      "Dit is een achteruitgang, minstens zo groot als de kleinste "
                      "verandering die ertoe doet ({sesoi} {unit})."),
    "improvement_no_sesoi": ("This is an improvement. No smallest change that matters "
                             "was set, so this verdict does not say whether it matters.",
                             "Dit is een verbetering. Er is geen kleinste verandering "
                             "die ertoe doet vastgelegd, dus dit oordeel zegt niet of ze "
                             "ertoe doet."),
    "decline_no_sesoi": ("This is a decline. No smallest change that matters was set, so "
                         "this verdict does not say whether it matters.",
                         "Dit is een achteruitgang. Er is geen kleinste verandering die "
                         "ertoe doet vastgelegd, dus dit oordeel zegt niet of ze ertoe "
                         "doet."),
    "caveats": ("Keep in mind:", "Let op:"),
    "small_n": ("small groups (n = {n_a} and {n_b}): the interval is wide and rests more "
                "on the test's assumptions",
                "kleine groepen (n = {n_a} en {n_b}): het interval is breed en leunt meer "
                "op de aannames van de toets"),
    "unequal": ("the groups differ a lot in size ({n_a} and {n_b})",
                "de groepen verschillen sterk in grootte ({n_a} en {n_b})"),
    "missing": ("{share}% of respondents did not answer this question; if they differ "
                "from those who did, so may the result",
                "{share}% van de respondenten beantwoordde deze vraag niet; als zij "
                "verschillen van wie wel antwoordde, kan de uitkomst dat ook doen"),
    "panel": ("{overlap} respondents answered in both groups; they were treated as "
              "independent, which makes the interval somewhat wider than needed",
              "{overlap} respondenten antwoordden in beide groepen; ze zijn als "
              "onafhankelijk behandeld, waardoor het interval iets breder is dan nodig"),
    "panel_one": ("1 respondent answered in both groups; they were treated as "
                  "independent, which makes the interval somewhat wider than needed",
                  "1 respondent antwoordde in beide groepen; de antwoorden zijn als "
                  "onafhankelijk behandeld, waardoor het interval iets breder is dan nodig"),
    "paired": ("the same {n} respondents answered twice; the comparison is paired",
               "dezelfde {n} respondenten antwoordden twee keer; de vergelijking is "
               "gepaard"),
    "rank_disagrees": ("a rank-based test, which does not treat the scale as numbers, "
                       "comes to a different conclusion (p {p_rank})",
                       "een toets op rangordes, die de schaal niet als getallen "
                       "behandelt, komt tot een andere conclusie (p {p_rank})"),
    "many_tests": ("this is one of {k} comparisons; adjusted for that ({method}), "
                   "p {p_adj}",
                   "dit is een van {k} vergelijkingen; daarvoor gecorrigeerd ({method}) is "
                   "p {p_adj}"),
    "few_clusters": ("only {clusters} clusters: cluster-robust intervals are unreliable "
                     "with fewer than about 30",
                     "maar {clusters} clusters: clusterrobuuste intervallen zijn "
                     "onbetrouwbaar bij minder dan ongeveer 30"),
    "parallel_trends": ("the comparison assumes both groups would have changed alike "
                        "without the improvement (parallel trends)",
                        "de vergelijking neemt aan dat beide groepen zonder de verbetering "
                        "gelijk waren veranderd (parallelle trends)"),
}



_PERIOD_NL = {"day": "dag", "week": "week", "month": "maand", "quarter": "kwartaal",
              "year": "jaar", "period": "periode"}

_TEXT.update({  # short names of the conclusions and axis titles, for plots
    "short_clear_improvement": ("clear improvement", "duidelijke verbetering"),
    "short_improvement": ("improvement", "verbetering"),
    "short_small_improvement": ("improvement too small to matter", "te kleine verbetering"),
    "short_no_meaningful_change": ("no change that matters",
                                   "geen verandering die ertoe doet"),
    "short_inconclusive": ("inconclusive", "onbeslist"),
    "short_small_decline": ("decline too small to matter", "te kleine achteruitgang"),
    "short_decline": ("decline", "achteruitgang"),
    "short_clear_decline": ("clear decline", "duidelijke achteruitgang"),
    "axis_relative": ("difference, in units of the smallest change that matters",
                      "verschil, in eenheden van de kleinste verandering die ertoe doet"),
    "axis": ("difference ({unit})", "verschil ({unit})"),
})


def _t(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` ("nl", else English), its placeholders filled."""
    en, nl = _TEXT[key]
    return (nl if lang == "nl" else en).format(**values)
