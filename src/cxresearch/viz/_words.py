"""The words of the charts in :mod:`cxresearch.viz`, in English and Dutch.

Each entry is ``(en, nl)``; :func:`_t` picks one and fills its placeholders (the same
style as :mod:`cxresearch.stats._verdict_text`, which holds the words of verdicts).
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

_TEXT: dict[str, tuple[str, str]] = {
    # journey map: lanes
    "lane_stage": ("Stage", "Fase"),
    "lane_touchpoint": ("Touchpoint", "Contactmoment"),
    "lane_customer": ("Customer", "Klant"),
    "lane_emotion": ("Emotion curve", "Emotiecurve"),
    "lane_employee": ("Employee", "Medewerker"),
    # journey map: titles
    "subtitle_data": ("Mean {item} per touchpoint ({level}% interval), customer survey "
                      "n = {n}", "Gemiddelde {item} per contactmoment ({level}%-interval), "
                      "klantenonderzoek n = {n}"),
    "subtitle_plan": ("Planning canvas: the expected emotion per touchpoint (no survey "
                      "data yet)", "Planningscanvas: de verwachte emotie per contactmoment "
                      "(nog geen meetgegevens)"),
    "subtitle_employees": ("; employee enablement n = {n}",
                           "; toerusting medewerkers n = {n}"),
    "item_touchpoint_satisfaction": ("satisfaction", "tevredenheid"),
    "item_touchpoint_effort": ("effort", "inspanning"),
    "item_other": ("score", "score"),
    # journey map: cards and lanes
    "channel_online": ("online", "online"), "channel_phone": ("phone", "telefoon"),
    "channel_email": ("e-mail", "e-mail"), "channel_chat": ("chat", "chat"),
    "channel_app": ("app", "app"), "channel_letter": ("letter", "brief"),
    "channel_visit": ("visit", "bezoek"), "channel_in_person": ("in person", "persoonlijk"),
    "channel_other": ("other", "anders"),
    "need_information": ("Info", "Info"), "need_tools": ("Tools", "Middelen"),
    "need_authority": ("Authority", "Mandaat"), "need_training": ("Training", "Training"),
    "pain_points": ("{n} pain points", "{n} pijnpunten"),
    "pain_point": ("1 pain point", "1 pijnpunt"),
    "not_measured": ("not measured", "niet gemeten"),
    "no_data": ("no data", "geen gegevens"),
    "suppressed": ("n < {k}", "n < {k}"),
    "enablement": ("enablement {value} (n = {n})", "toerusting {value} (n = {n})"),
    "colourbar": ("Employee enablement\n(mean, {low:g} to {high:g})",
                  "Toerusting medewerkers\n(gemiddelde, {low:g} tot {high:g})"),
    "valence_axis": ("expected\nfeeling", "verwacht\ngevoel"),
    "valence_low": ("very negative", "zeer negatief"),
    "valence_high": ("very positive", "zeer positief"),
    # journey map: legend
    "legend_mot": ("moment of truth", "moment van de waarheid"),
    "legend_measured": ("mean with {level}% interval", "gemiddelde met {level}%-interval"),
    "legend_planned": ("planned (expected) emotion", "gepland (verwacht) gevoel"),
    "legend_pain": ("pain points", "pijnpunten"),
    "legend_nodata": ("no or too few data", "geen of te weinig gegevens"),
    # every chart: privacy
    "note_min_group": ("Groups with fewer than {k} answers are not shown (minimum group "
                       "size {k}).", "Groepen met minder dan {k} antwoorden worden niet "
                       "getoond (minimale groepsgrootte {k})."),
    "note_hidden": ("Not shown (n < {k}): {names}.", "Niet getoond (n < {k}): {names}."),
    "note_cells": ("Cells with 1 to {k1} contacts are hidden (minimum group size {k}).",
                   "Cellen met 1 tot {k1} contacten zijn verborgen (minimale "
                   "groepsgrootte {k})."),
    # likert bars
    "likert_title": ("Distribution of answers", "Verdeling van de antwoorden"),
    "likert_axis": ("share of answers (%), centred on the neutral point",
                    "aandeel antwoorden (%), gecentreerd op het neutrale punt"),
    # nps
    "nps_title": ("Net Promoter Score {value} (n = {n})",
                  "Net Promoter Score {value} (n = {n})"),
    "nps_panel": ("{group}: NPS {value} (n = {n})", "{group}: NPS {value} (n = {n})"),
    "detractor": ("detractors (0-6)", "criticasters (0-6)"),
    "passive": ("passives (7-8)", "passief tevredenen (7-8)"),
    "promoter": ("promoters (9-10)", "promotors (9-10)"),
    "nps_x": ("likelihood to recommend (0-10)", "kans op aanbevelen (0-10)"),
    "nps_y": ("share of answers (%)", "aandeel antwoorden (%)"),
    # before / after
    "ba_title": ("{item} per touchpoint: {before} and {after}",
                 "{item} per contactmoment: {before} en {after}"),
    "ba_axis": ("mean ({low:g} to {high:g}) with {level}% interval",
                "gemiddelde ({low:g} tot {high:g}) met {level}%-interval"),
    # contact heatmap
    "heat_title": ("Contacts by hour and weekday (n = {n})",
                   "Contacten per uur en weekdag (n = {n})"),
    "heat_hour": ("hour of the day", "uur van de dag"),
    "heat_count": ("number of contacts", "aantal contacten"),
    # quadrant plot
    "ipa_title": ("Importance and performance of the drivers",
                  "Belang en prestatie van de drijfveren"),
    "ipa_x": ("importance (share of explained variance, %)",
              "belang (aandeel verklaarde variantie, %)"),
    "ipa_y_pct": ("performance (0-100)", "prestatie (0-100)"),
    "ipa_y": ("performance (mean)", "prestatie (gemiddelde)"),
    "q_concentrate": ("Concentrate here", "Hier op focussen"),
    "q_keep_up": ("Keep up the good work", "Zo doorgaan"),
    "q_low_priority": ("Low priority", "Lage prioriteit"),
    "q_possible_overkill": ("Possible overkill", "Mogelijk overinvestering"),
}

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` ("nl", else English), its placeholders filled."""
    en, nl = _TEXT[key]
    return (nl if lang == "nl" else en).format(**values)
