"""Importance-performance analysis and moments of truth, on top of key drivers.

:func:`importance_performance` puts each driver's importance (its share of R² from
:func:`cxresearch.stats._drivers.key_drivers`) beside its performance (the mean score)
and sorts the drivers into the four quadrants of Martilla & James (1977).
:func:`moments_of_truth` picks the touchpoints that matter most and perform worst, says
how firm the evidence is, whether the journey marks them as moments of truth, and why,
in English and Dutch. Our own code: no library offers these.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .._numbers import number, percent
from ._bootstrap import make_rng
from ._check import StatsInputError, check_choice, check_level, shown
from ._driver_data import _prepare, _Prepared, _survey_label
from ._driver_math import _check_boot
from ._drivers import DRIVER_METHODS, _fit

__all__ = ["IPA_COLUMNS", "MOT_COLUMNS", "QUADRANTS", "importance_performance",
           "moments_of_truth"]

IPA_COLUMNS: tuple[str, ...] = (
    "driver", "label", "importance", "importance_low", "importance_high", "performance",
    "performance_low", "performance_high", "performance_pct", "n", "quadrant",
)
"""Columns of :func:`importance_performance`, in order:

``driver``, ``label``
    As in :func:`~cxresearch.stats._drivers.key_drivers`.
``importance``, ``importance_low``, ``importance_high``
    The driver's share of the model R² (0 to 1; the shares sum to 1) and its
    percentile bootstrap interval (``share``, ``share_low``, ``share_high`` of
    ``key_drivers``).
``performance``, ``performance_low``, ``performance_high``
    The mean score with its Student t interval.
``performance_pct``
    The mean on a 0-100 scale: ``100 (mean - low) / (high - low)`` for the scale
    ``low..high`` (NaN where the scale is not known).
``n``
    Respondents in both the importance and the performance (complete rows).
``quadrant``
    One of :data:`QUADRANTS`, cut at the mean importance and the mean performance.

Rows are sorted by importance, highest first. ``attrs`` holds those of ``key_drivers``
plus ``importance_cut``, ``performance_cut``, ``performance_cut_on`` (``"performance_pct"``
when every driver's scale is known, else ``"performance"``) and ``scales``
(``{driver: (low, high)}``)."""

MOT_COLUMNS: tuple[str, ...] = (
    "priority", "driver", "label", "touchpoint", "quadrant", "strength", "importance",
    "importance_low", "importance_high", "performance", "performance_low",
    "performance_high", "performance_pct", "n", "importance_clear", "performance_clear",
    "journey_moment_of_truth", "evidence_en", "evidence_nl",
)
"""Columns of :func:`moments_of_truth`, in order: ``priority`` (1: fix first), the
columns of :data:`IPA_COLUMNS`, and

``touchpoint``
    The journey touchpoint the driver belongs to (missing where none is known).
``strength``
    For ``concentrate`` rows: ``"clear"`` when both ``importance_clear`` and
    ``performance_clear``, else ``"suggestive"``; None for the other quadrants.
``importance_clear``
    The importance interval lies wholly above the mean importance.
``performance_clear``
    The performance interval lies wholly below the mean performance.
``journey_moment_of_truth``
    Whether the journey marks the touchpoint as a moment of truth (``<NA>`` without a
    journey or a touchpoint).
``evidence_en``, ``evidence_nl``
    Why, in a sentence or three, in English and in Dutch."""

QUADRANTS: dict[str, tuple[str, str]] = {
    "concentrate": ("high importance, low performance: concentrate here",
                    "belangrijk en onder het gemiddelde: hier verbeteren"),
    "keep_up": ("high importance, high performance: keep up the good work",
                "belangrijk en boven het gemiddelde: zo vasthouden"),
    "low_priority": ("low importance, low performance: low priority",
                     "minder belangrijk en onder het gemiddelde: lage prioriteit"),
    "possible_overkill": ("low importance, high performance: possible overkill",
                          "minder belangrijk en boven het gemiddelde: mogelijk "
                          "overinvestering"),
}
"""The quadrants of importance-performance analysis (Martilla & James 1977), with what
each means in English and Dutch. A value on a cut counts as high."""

_ORDER = ("concentrate", "keep_up", "low_priority", "possible_overkill")


# -- scales and performance -------------------------------------------------------------
def _survey_scale(responses: Any, field: str) -> tuple[float, float] | None:
    if responses is None:
        return None
    try:
        q = responses.survey.question(field)
    except KeyError:
        return None
    if q.scale is not None:
        points = q.scale.values()
        return float(points[0]), float(points[-1])
    if q.type == "rating":
        return (float(q.min_value if q.min_value is not None else 0),
                float(q.max_value if q.max_value is not None else 10))
    if q.min_value is not None and q.max_value is not None:
        return float(q.min_value), float(q.max_value)
    return None


def _pair(value: Any, what: str) -> tuple[float, float]:
    ok = isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        for v in value)
    if not ok or not float(value[0]) < float(value[1]):
        raise StatsInputError(f"{what} must be (lowest, highest), e.g. (1, 5) or (0, 10); "
                              f"got {shown(value)}")
    return float(value[0]), float(value[1])


def _scales(prep: _Prepared, scale: Any) -> list[tuple[float, float] | None]:
    k = len(prep.drivers)
    if scale is None:
        found = [_survey_scale(prep.responses, d) for d in prep.drivers]
    elif isinstance(scale, Mapping):
        known = {*prep.given, *prep.drivers}
        unknown = [key for key in scale if key not in known]
        if unknown:
            raise StatsInputError(f"scale has key {unknown[0]!r}, which is not a driver; "
                                  f"keys must be among {shown(prep.given, 120)}")
        found = []
        for g, d in zip(prep.given, prep.drivers):
            value = scale.get(g, scale.get(d))
            found.append(_pair(value, f"scale[{g!r}]") if value is not None
                         else _survey_scale(prep.responses, d))
    else:
        found = [_pair(scale, "scale")] * k
    for j, (d, sc) in enumerate(zip(prep.drivers, found)):
        if sc is None:
            continue
        column = prep.values[:, 1 + j]
        outside = (column < sc[0]) | (column > sc[1])
        if outside.any():
            raise StatsInputError(
                f"drivers {d!r} holds {int(outside.sum())} answer(s) outside the scale "
                f"{sc[0]:g}..{sc[1]:g}, e.g. {column[outside][0]:g}; pass the right scale "
                f"(scale=(low, high) or {{driver: (low, high)}}) or recode the answers")
    return found


def _mean_t(x: np.ndarray, w: np.ndarray | None, level: float
            ) -> tuple[float, float, float]:
    """Mean and Student t interval (weighted: Kish effective n, as ``mean_score``)."""
    from scipy.stats import t as t_dist

    if w is None:
        n_eff, mean = float(x.size), float(x.mean())
        var = float(x.var(ddof=1))
    else:
        total = float(w.sum())
        mean = float(w @ x / total)
        n_eff = total ** 2 / float(w @ w)
        var = float(w @ (x - mean) ** 2 / total) * n_eff / (n_eff - 1)
    half = float(t_dist.ppf((1 + level) / 2, n_eff - 1)) * math.sqrt(var / n_eff)
    return mean, mean - half, mean + half


def _pct(value: float | np.ndarray, sc: tuple[float, float] | None) -> Any:
    if sc is None:
        return np.nan * np.asarray(value)
    return 100 * (np.asarray(value) - sc[0]) / (sc[1] - sc[0])


def _ipa(prep: _Prepared, method: str, n_boot: int, level: float, seed: Any,
         scale: Any) -> pd.DataFrame:
    scales = _scales(prep, scale)
    drivers, _ = _fit(prep, method, n_boot, level, seed)
    position = {d: j for j, d in enumerate(prep.drivers)}
    rows = []
    for _, row in drivers.iterrows():
        j = position[row["driver"]]
        mean, low, high = _mean_t(prep.values[:, 1 + j], prep.weights, level)
        rows.append({"driver": row["driver"], "label": row["label"],
                     "importance": row["share"], "importance_low": row["share_low"],
                     "importance_high": row["share_high"], "performance": mean,
                     "performance_low": low, "performance_high": high,
                     "performance_pct": float(_pct(mean, scales[j])), "n": row["n"]})
    table = pd.DataFrame(rows)
    importance_cut = float(table["importance"].mean())
    on = "performance_pct" if all(sc is not None for sc in scales) else "performance"
    performance_cut = float(table[on].mean())
    high_imp = table["importance"] >= importance_cut
    high_perf = table[on] >= performance_cut
    table["quadrant"] = np.select(
        [high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
        ["concentrate", "keep_up", "low_priority"], default="possible_overkill")
    table = table[list(IPA_COLUMNS)]
    table.attrs.update(drivers.attrs)
    table.attrs.update({"importance_cut": importance_cut, "performance_cut": performance_cut,
                        "performance_cut_on": on,
                        "scales": {d: sc for d, sc in zip(prep.drivers, scales)}})
    return table


def importance_performance(data: Any, outcome: str, drivers: Sequence[str], *,
                           method: str = "shapley", n_boot: int = 1000, seed: Any = None,
                           scale: Any = None, level: float = 0.95, weights: Any = None,
                           labels: Mapping[str, str] | None = None,
                           lang: str | None = None) -> pd.DataFrame:
    """Importance-performance analysis: how much each driver matters, how well it does.

    Parameters
    ----------
    data, outcome, drivers, method, n_boot, seed, level, weights, labels, lang
        As in :func:`~cxresearch.stats._drivers.key_drivers`.
    scale : (low, high) or mapping, optional
        The answer scale of the drivers, e.g. ``(1, 5)``, or ``{driver: (low, high)}``;
        default: read from the survey when ``data`` is Responses (a 0-10 rating is
        ``(0, 10)``). Without a scale ``performance_pct`` is NaN.

    Returns
    -------
    DataFrame
        One row per driver, most important first, with the columns :data:`IPA_COLUMNS`
        (``driver, label, importance, importance_low, importance_high, performance,
        performance_low, performance_high, performance_pct, n, quadrant``).

    Notes
    -----
    Importance is the driver's share of R² (``share`` of ``key_drivers``), so the mean
    importance is ``1 / k``. Performance is the (weighted) mean score of the same
    complete rows, with a Student t interval (weighted: Kish effective n). The quadrant
    follows Martilla & James (1977), with the cross-hairs at the mean importance and the
    mean performance (on the 0-100 scale when every driver's scale is known, so drivers
    on different scales compare; otherwise on the raw means): ``concentrate`` (high
    importance, low performance), ``keep_up`` (high, high), ``low_priority`` (low, low),
    ``possible_overkill`` (low importance, high performance). A value on a cut counts as
    high. The cuts are in ``attrs``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(7)
    >>> latent = rng.normal(size=(400, 4))
    >>> frame = pd.DataFrame(np.clip(np.round(3.5 + latent - [1, 0, 0.5, -0.5]), 1, 5),
    ...                      columns=["call", "visit", "decision", "payout"])
    >>> frame["nps"] = np.clip(np.round(7 + latent @ [1.5, 0.2, 0.3, 1.0]), 0, 10)
    >>> ipa = importance_performance(frame, "nps", list(frame.columns[:4]), scale=(1, 5),
    ...                              n_boot=200, seed=3)
    >>> ipa[["driver", "importance", "performance_pct", "quadrant"]].round(2)
         driver  importance  performance_pct           quadrant
    0      call        0.66            38.38        concentrate
    1    payout        0.28            70.38            keep_up
    2  decision        0.04            50.69       low_priority
    3     visit        0.02            59.75  possible_overkill
    """
    check_choice("method", method, DRIVER_METHODS)
    level = check_level(level)
    n_boot = _check_boot(n_boot)
    make_rng(seed)
    prep = _prepare(data, outcome, drivers, weights, labels, lang, method)
    return _ipa(prep, method, n_boot, level, seed, scale)


# -- moments of truth -------------------------------------------------------------------
_TEXT: dict[str, tuple[str, str]] = {
    "body": ("It accounts for {share} of the explained variation in {outcome}{share_ci}, "
             "where the average driver accounts for {share_cut}; it scores {perf}{scale}"
             "{perf_ci}, where the drivers average {perf_cut}.",
             "Het verklaart {share} van de verklaarde variatie in {outcome}{share_ci}, "
             "waar een gemiddelde factor {share_cut} verklaart; het scoort {perf}{scale}"
             "{perf_ci}, waar de factoren gemiddeld {perf_cut} scoren."),
    "ci": (" ({level}% interval {low} to {high})", " ({level}%-interval {low} tot {high})"),
    "scale": (" on the {low}-{high} scale", " op de schaal {low}-{high}"),
    "both": ("Both intervals lie beyond the averages: fix this first.",
             "Beide intervallen liggen voorbij het gemiddelde: pak dit als eerste aan."),
    "importance_only": ("It clearly matters more than the average driver; that it "
                        "performs below average is within the margin of error.",
                        "Het is duidelijk belangrijker dan een gemiddelde factor; dat het "
                        "onder het gemiddelde scoort, valt binnen de foutmarge."),
    "performance_only": ("It clearly performs below average; that it matters more than "
                         "the average driver is within the margin of error.",
                         "Het scoort duidelijk onder het gemiddelde; dat het belangrijker is "
                         "dan een gemiddelde factor, valt binnen de foutmarge."),
    "neither": ("Both differences from the average are within the margin of error: a "
                "lead to check (more answers, interviews), not yet a firm finding.",
                "Beide verschillen met het gemiddelde vallen binnen de foutmarge: een "
                "aanwijzing om na te gaan (meer antwoorden, interviews), nog geen "
                "vaststaande bevinding."),
    "no_interval": ("Without intervals (n_boot=0) the evidence cannot be judged.",
                    "Zonder intervallen (n_boot=0) is de bewijskracht niet te beoordelen."),
    "mot_confirmed": ("The {journey} marks it as a moment of truth.",
                      "De {journey_nl} markeert dit als moment van de waarheid."),
    "mot_missing": ("The {journey} does not mark it as a moment of truth: consider "
                    "marking it.",
                    "De {journey_nl} markeert dit niet als moment van de waarheid: "
                    "overweeg dat te doen."),
    "mot_not_now": ("The {journey} marks it as a moment of truth, but the answers do not "
                    "make it a priority now.",
                    "De {journey_nl} markeert dit als moment van de waarheid, maar de "
                    "antwoorden maken het nu geen prioriteit."),
}


def _num(value: float, lang: str, digits: int) -> str:
    return number(value, lang, digits)


def _percent(value: float, lang: str) -> str:
    return percent(value, lang)


def _sentence(row: Mapping[str, Any], label: str, lang: str, outcome: str, level: float,
              share_cut: float, perf_cut_raw: float, sc: tuple[float, float] | None,
              journey_words: tuple[str, str] | None) -> str:
    i = 0 if lang == "en" else 1
    lvl = f"{100 * level:g}"
    headline = f"{label}: {QUADRANTS[row['quadrant']][i]}."
    share_ci = "" if not np.isfinite(row["importance_low"]) else _TEXT["ci"][i].format(
        level=lvl, low=_percent(row["importance_low"], lang),
        high=_percent(row["importance_high"], lang))
    perf_ci = _TEXT["ci"][i].format(level=lvl, low=_num(row["performance_low"], lang, 2),
                                    high=_num(row["performance_high"], lang, 2))
    scale = "" if sc is None else _TEXT["scale"][i].format(low=f"{sc[0]:g}",
                                                           high=f"{sc[1]:g}")
    body = _TEXT["body"][i].format(
        share=_percent(row["importance"], lang), outcome=outcome, share_ci=share_ci,
        share_cut=_percent(share_cut, lang), perf=_num(row["performance"], lang, 2),
        scale=scale, perf_ci=perf_ci, perf_cut=_num(perf_cut_raw, lang, 2))
    parts = [headline, body]
    if row["quadrant"] == "concentrate":
        if not np.isfinite(row["importance_low"]):
            key = "no_interval"
        else:
            key = {(True, True): "both", (True, False): "importance_only",
                   (False, True): "performance_only", (False, False): "neither"}[
                (bool(row["importance_clear"]), bool(row["performance_clear"]))]
        parts.append(_TEXT[key][i])
    mot = row["journey_moment_of_truth"]
    if journey_words is not None and mot is not pd.NA:
        if row["quadrant"] == "concentrate":
            key = "mot_confirmed" if mot else "mot_missing"
        else:
            key = "mot_not_now" if mot else ""
        if key:
            parts.append(_TEXT[key][i].format(journey=journey_words[0],
                                              journey_nl=journey_words[1]))
    return " ".join(parts)


def _journey_of(journey: Any) -> Any:
    if journey is None:
        return None
    if isinstance(journey, (str, Path)):
        from ..journey import load_journey

        return load_journey(journey)
    if not hasattr(journey, "touchpoint_ids"):
        raise StatsInputError(f"journey must be a Journey (cxresearch.journey."
                              f"load_journey) or the path of a journey.yaml, not "
                              f"{type(journey).__name__}")
    return journey


def _touchpoints(prep: _Prepared, journey: Any, touchpoints: Mapping[str, str] | None
                 ) -> list[str | None]:
    known = set(journey.touchpoint_ids()) if journey is not None else None
    given = dict(touchpoints or {})
    unknown = [key for key in given if key not in {*prep.given, *prep.drivers}]
    if unknown:
        raise StatsInputError(f"touchpoints has key {unknown[0]!r}, which is not a driver; "
                              f"keys must be among {shown(prep.given, 120)}")
    found: list[str | None] = []
    for g, d in zip(prep.given, prep.drivers):
        tp = given.get(g, given.get(d))
        source = "touchpoints"
        if tp is None:
            tp, source = prep.touchpoints.get(d), "the survey"
        if tp is None and known is not None and g in known:
            tp = g
        if tp is not None and known is not None and tp not in known:
            ids = ", ".join(sorted(known)[:12])
            raise StatsInputError(
                f"{source} links driver {g!r} to touchpoint {tp!r}, which journey "
                f"{journey.id!r} does not have (its touchpoints: {ids}); pass the study's "
                f"journey or fix touchpoints={{driver: touchpoint id}}")
        found.append(tp)
    return found


def moments_of_truth(data: Any, outcome: str, drivers: Sequence[str], *,
                     journey: Any = None, touchpoints: Mapping[str, str] | None = None,
                     method: str = "shapley", n_boot: int = 1000, seed: Any = None,
                     scale: Any = None, level: float = 0.95, weights: Any = None,
                     labels: Mapping[str, str] | None = None, lang: str | None = None,
                     all_drivers: bool = False) -> pd.DataFrame:
    """The touchpoints to fix first: high importance, low performance, and why.

    Parameters
    ----------
    data, outcome, drivers, method, n_boot, seed, scale, level, weights, labels, lang
        As in :func:`importance_performance`.
    journey : Journey or path, optional
        The journey (``journey.yaml``); each row then says whether the journey marks
        the driver's touchpoint as a moment of truth.
    touchpoints : mapping, optional
        ``{driver: touchpoint id}``. Default: the survey's block of each driver
        (``block.touchpoint``) when ``data`` is Responses; a driver named like a
        journey touchpoint is that touchpoint.
    all_drivers : bool
        False (default): only the ``concentrate`` quadrant. True: every driver, with a
        sentence for each (e.g. a moment of truth the answers show doing well).

    Returns
    -------
    DataFrame
        Columns :data:`MOT_COLUMNS`, sorted by ``priority``: ``concentrate`` rows first,
        those with clear evidence (both intervals beyond the averages) before the
        others, then by importance; with ``all_drivers`` the other quadrants follow
        (``keep_up``, ``low_priority``, ``possible_overkill``). ``attrs`` as
        :func:`importance_performance`, plus ``journey_moments`` (``{touchpoint:
        quadrant}`` for every moment of truth of the journey among the drivers, None
        for those not among them).

    Notes
    -----
    A driver is a candidate when its importance (share of R²) is at least the mean
    importance and its performance is below the mean performance (the ``concentrate``
    quadrant of Martilla & James 1977). The evidence is ``clear`` when its importance
    interval lies wholly above the mean importance and its performance interval wholly
    below the mean performance, and ``suggestive`` otherwise: worth checking, not yet a
    finding. The cuts are estimates too; treating them as fixed is the usual reading of
    an importance-performance chart.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(7)
    >>> latent = rng.normal(size=(400, 4))
    >>> frame = pd.DataFrame(np.clip(np.round(3.5 + latent - [1, 0, 0.5, -0.5]), 1, 5),
    ...                      columns=["call", "visit", "decision", "payout"])
    >>> frame["nps"] = np.clip(np.round(7 + latent @ [1.5, 0.2, 0.3, 1.0]), 0, 10)
    >>> mot = moments_of_truth(frame, "nps", list(frame.columns[:4]), scale=(1, 5),
    ...                        n_boot=200, seed=3, labels={"call": "First call"})
    >>> mot[["priority", "driver", "strength"]]
       priority driver strength
    0         1   call    clear
    >>> print(mot.loc[0, "evidence_en"])  # doctest: +NORMALIZE_WHITESPACE
    First call: high importance, low performance: concentrate here. It accounts for 66%
    of the explained variation in nps (95% interval 60% to 71%), where the average
    driver accounts for 25%; it scores 2.54 on the 1-5 scale (95% interval 2.44 to
    2.63), where the drivers average 3.19. Both intervals lie beyond the averages: fix
    this first.
    """
    check_choice("method", method, DRIVER_METHODS)
    level = check_level(level)
    n_boot = _check_boot(n_boot)
    make_rng(seed)
    if not isinstance(all_drivers, bool):
        raise StatsInputError(f"all_drivers must be True or False, not {shown(all_drivers)}")
    journey = _journey_of(journey)
    prep = _prepare(data, outcome, drivers, weights, labels, lang, method)
    tps = _touchpoints(prep, journey, touchpoints)
    ipa = _ipa(prep, method, n_boot, level, seed, scale)
    attrs = dict(ipa.attrs)
    position = {d: j for j, d in enumerate(prep.drivers)}
    scales = attrs["scales"]
    share_cut, perf_cut, on = (attrs["importance_cut"], attrs["performance_cut"],
                               attrs["performance_cut_on"])
    table = ipa.copy()
    table["touchpoint"] = [tps[position[d]] for d in table["driver"]]
    table["importance_clear"] = (table["importance_low"] > share_cut).to_numpy()
    if on == "performance_pct":
        high_pct = np.array([float(_pct(h, scales[d])) for d, h in
                             zip(table["driver"], table["performance_high"])])
        table["performance_clear"] = high_pct < perf_cut
    else:
        table["performance_clear"] = (table["performance_high"] < perf_cut).to_numpy()
    both = table["importance_clear"] & table["performance_clear"]
    table["strength"] = [None if q != "concentrate" else ("clear" if b else "suggestive")
                         for q, b in zip(table["quadrant"], both)]
    if journey is not None:
        mot = {tp.id: bool(tp.moment_of_truth) for tp in journey.touchpoints()}
        table["journey_moment_of_truth"] = pd.array(
            [mot.get(tp) if tp is not None else None for tp in table["touchpoint"]],
            dtype="boolean")
    else:
        table["journey_moment_of_truth"] = pd.array([pd.NA] * len(table), dtype="boolean")
    words = None
    if journey is not None:
        employee = getattr(journey, "audience", "customer") == "employee"
        words = ("journey", "medewerkersreis" if employee else "klantreis")
    for lang_code in ("en", "nl"):
        sentences = []
        for _, row in table.iterrows():
            j = position[row["driver"]]
            label = (prep.user_labels.get(prep.given[j]) or prep.user_labels.get(row["driver"])
                     or _survey_label(prep.responses, row["driver"], lang_code)
                     or row["driver"])
            sc = scales[row["driver"]]
            cut_raw = (sc[0] + perf_cut / 100 * (sc[1] - sc[0])
                       if on == "performance_pct" and sc is not None else perf_cut)
            sentences.append(_sentence(row, label, lang_code, prep.outcome_label, level,
                                       share_cut, cut_raw, sc, words))
        table[f"evidence_{lang_code}"] = sentences
    rank_quadrant = table["quadrant"].map({q: i for i, q in enumerate(_ORDER)})
    table = table.assign(_q=rank_quadrant, _s=table["strength"] != "clear",
                         _i=-table["importance"])
    table = table.sort_values(["_q", "_s", "_i"], kind="stable")
    if not all_drivers:
        table = table[table["quadrant"] == "concentrate"]
    table = table.drop(columns=["_q", "_s", "_i"]).reset_index(drop=True)
    table["priority"] = np.arange(1, len(table) + 1)
    table = table[list(MOT_COLUMNS)]
    if journey is not None:
        quadrant_of = dict(zip(ipa["driver"], ipa["quadrant"]))
        by_tp = {tps[position[d]]: quadrant_of[d] for d in prep.drivers
                 if tps[position[d]] is not None}
        attrs["journey_moments"] = {tp.id: by_tp.get(tp.id) for tp in journey.touchpoints()
                                    if tp.moment_of_truth}
    else:
        attrs["journey_moments"] = {}
    table.attrs.update(attrs)
    return table
