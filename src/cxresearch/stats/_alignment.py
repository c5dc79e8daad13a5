"""Customer and employee journeys side by side: satisfaction beside enablement.

Customer journey and employee journey cross at the touchpoints (DOMAIN.md, practice 1):
for each touchpoint and team, this module puts the customers' satisfaction beside the
enablement of the employees who serve them there (a gap table, with small-cell
suppression), and estimates how much customer satisfaction rises per point of a team's
enablement with a linear mixed model (statsmodels ``MixedLM``).
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .._numbers import number, p_value, percent
from ._check import StatsInputError, check_choice, check_level
from ._result import Result
from ._touchpoints import enablement_scores, touchpoint_fields, touchpoint_scores
from ._verdict_data import _frame_of, _numeric

__all__ = ["GAP_COLUMNS", "Alignment", "alignment"]

GAP_COLUMNS = ("touchpoint", "unit", "customer_n", "customer_mean", "customer_100",
               "employee_n", "employee_mean", "employee_100", "gap", "customer_suppressed",
               "employee_suppressed")
"""Columns of :attr:`Alignment.gaps` (``unit`` is named after the ``unit`` argument)."""

_RANDOM = ("cell", "team")


@dataclass(frozen=True, eq=False)
class Alignment:
    """Customer satisfaction beside employee enablement, per touchpoint and unit.

    Attributes
    ----------
    slope : Result
        Customer satisfaction (scale points) per point of the unit's mean enablement at
        the same touchpoint, from the mixed model; its protocol fields are also this
        object's (``estimate``, ``ci_low``, ...).
    gaps : DataFrame
        :data:`GAP_COLUMNS`, one row per touchpoint and unit: customers' n and mean, the
        employees' n and mean enablement, both rescaled 0-100 by their scales
        (``customer_100``, ``employee_100``), ``gap = customer_100 - employee_100``.
        A side below the minimum group size (or hidden so that it cannot be recovered by
        subtraction from the touchpoint total) has n and figures missing.
    per_touchpoint : DataFrame
        The same columns without ``unit`` and the flags: customers and employees of all
        units together, per touchpoint (suppressed where needed).
    notes : tuple of str
        What was suppressed, dropped or assumed.
    model : DataFrame
        The mixed model's fixed effects: ``term, coef, se, z, p_value, ci_low, ci_high``.
    names : dict
        Touchpoint id -> its name per language (from the journey, when given), for
        :meth:`verdict`.
    """

    slope: Result
    gaps: pd.DataFrame
    per_touchpoint: pd.DataFrame
    notes: tuple[str, ...]
    model: pd.DataFrame = field(default_factory=pd.DataFrame)
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name in ("estimate", "ci_low", "ci_high", "p_value", "n", "method",
                    "definition", "level", "se", "statistic", "df", "name", "extra"):
            return getattr(self.slope, name)
        raise AttributeError(name)

    def to_frame(self) -> pd.DataFrame:
        """The slope as one tidy row (:data:`~cxresearch.stats.RESULT_COLUMNS` and
        ``extra``)."""
        return self.slope.to_frame()

    def verdict(self, lang: str = "en") -> str:
        """A plain sentence in ``"en"`` or ``"nl"``: how customer satisfaction goes with
        the employees' enablement, with the interval, and the touchpoint where employees
        are least enabled."""
        check_choice("lang", lang, ("en", "nl"))
        t = _VERDICT[lang]
        s = self.slope
        key = "unclear" if not np.isfinite(s.ci_low) else \
            "positive" if s.ci_low > 0 else "negative" if s.ci_high < 0 else "unclear"
        text = t[key] + t["figures"].format(
            est=number(s.estimate, lang, 2, sign=True), level=percent(s.level, lang),
            low=number(s.ci_low, lang, 2), high=number(s.ci_high, lang, 2),
            p=p_value(s.p_value, lang) or "p –", n=number(s.n, lang, 0),
            cells=number(s.extra.get("n_cells", float("nan")), lang, 0))
        shown = self.per_touchpoint.dropna(subset=["employee_100", "customer_100"])
        if len(shown):
            low = shown.sort_values("employee_100").iloc[0]
            tp = str(low["touchpoint"])
            text += t["lowest"].format(tp=self.names.get(tp, {}).get(lang, tp),
                                       e=number(low["employee_100"], lang, 0),
                                       c=number(low["customer_100"], lang, 0))
        return text

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<div class='cx-alignment'><p>{html.escape(self.verdict())}</p>"
                f"{self.slope._repr_html_()}"
                f"<h4>Per touchpoint</h4>"
                f"{self.per_touchpoint.to_html(index=False, float_format='%.2f')}"
                f"<h4>Gaps</h4>{self.gaps.to_html(index=False, float_format='%.2f')}"
                f"<ul>{notes}</ul></div>")


_VERDICT = {
    "en": {
        "positive": "Where employees are better enabled, customers are more satisfied",
        "negative": "Where employees are better enabled, customers are less satisfied",
        "unclear": "The data show no clear link between the employees' enablement and "
                   "customer satisfaction",
        "figures": ": {est} points of satisfaction per point of the team's enablement at "
                   "the same touchpoint ({level} interval {low} to {high}; {p}; {n} answers "
                   "in {cells} team-touchpoint cells).",
        "lowest": " Employees are least enabled at {tp} ({e} of 100; customers {c} of 100).",
    },
    "nl": {
        "positive": "Waar medewerkers beter zijn toegerust, zijn klanten tevredener",
        "negative": "Waar medewerkers beter zijn toegerust, zijn klanten minder tevreden",
        "unclear": "De gegevens laten geen duidelijk verband zien tussen de toerusting van "
                   "medewerkers en de tevredenheid van klanten",
        "figures": ": {est} punt tevredenheid per punt toerusting van het team bij "
                   "hetzelfde contactmoment ({level}-interval {low} tot {high}; {p}; {n} "
                   "antwoorden in {cells} cellen van team en contactmoment).",
        "lowest": " Medewerkers zijn het minst toegerust bij {tp} ({e} van 100; klanten {c} "
                  "van 100).",
    },
}


def _responses(value: Any, argument: str) -> tuple[pd.DataFrame, Any]:
    frame, responses = _frame_of(value)
    if responses is None:
        raise StatsInputError(f"{argument} must be Responses (read with "
                              f"cxresearch.data.read_responses): the survey tells which "
                              f"questions belong to which touchpoint")
    return frame, responses


def _rescale(mean: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    return (mean - low) / (high - low) * 100


def _mask(table: pd.DataFrame, totals: pd.DataFrame, unit: str, m: int) -> np.ndarray:
    """Hidden cells of ``table`` (touchpoint x unit counts ``n``) with the per-touchpoint
    totals as margins: primary and complementary suppression."""
    from ..data.privacy import small_cell_mask

    margin = totals[["touchpoint", "n"]].assign(**{unit: "total"})
    both = pd.concat([table[["touchpoint", unit, "n"]].astype({unit: str}),
                      margin[["touchpoint", unit, "n"]]], ignore_index=True)
    hidden = small_cell_mask(both, m, count="n", groups=["touchpoint", unit])
    return hidden.to_numpy(dtype=bool)


def alignment(customer: Any, employee: Any, unit: str = "team", *,
              item: str = "touchpoint_satisfaction", enablement_item: str = "enablement",
              min_group_size: int | None = None,
              journey: Any = None, touchpoint_units: Mapping[str, str] | None = None,
              random: str = "cell", level: float = 0.95) -> Alignment:
    """Customer satisfaction beside employee enablement, and the slope that links them.

    Parameters
    ----------
    customer, employee : Responses
        Customers' and employees' answers of the same study.
    unit : str
        The column linking both: in the customer data a meta column (the team that
        handled the customer), in the employee data the answer (the employee's team).
    item, enablement_item : str
        Item-bank ids of the customer score and the employee enablement matrix.
    min_group_size : int, optional
        Cells (touchpoint x unit) with fewer answers are suppressed; default the
        customer responses' (the study's).
    journey : Journey, optional
        The study's journey: touchpoints whose employee lane names a ``team`` are served
        by that unit whatever the customer's unit (:meth:`Journey.serving_teams`), and
        their customers are linked to it.
    touchpoint_units : mapping, optional
        The same by hand, e.g. ``{"assessor_visit": "field_experts"}``; it overrides the
        journey's teams for the touchpoints it names.
    random : {"cell", "team"}
        Random intercepts per touchpoint x unit cell (default) or per unit.
    level : float
        Confidence level of the slope's interval.

    Returns
    -------
    Alignment
        ``.slope`` (a :class:`~cxresearch.stats.Result`), ``.gaps``,
        ``.per_touchpoint``, ``.notes``, ``.model``, ``.to_frame()``.

    Notes
    -----
    The model, on the customers' answers in long format (one row per customer and
    touchpoint answered):

    .. math:: y_{itu} = \\alpha_t + \\beta\\,\\bar e_{tu} + b_g + \\varepsilon_{itu}

    with :math:`\\bar e_{tu}` the mean enablement of unit *u*'s employees at touchpoint
    *t* (the mean over a respondent's answered matrix rows, then over employees, as
    :func:`~cxresearch.stats.enablement_scores`), touchpoint fixed effects
    :math:`\\alpha_t`, and random intercepts :math:`b_g \\sim N(0, \\tau^2)` per group
    *g*, fitted by REML (statsmodels ``MixedLM``; checked against R
    ``lme4::lmer(..., REML = TRUE)`` in ``tests/r/alignment.R``). The interval is Wald
    (normal). Only cells with at least ``min_group_size`` employees enter the model.

    Why per cell by default: enablement varies between cells, so customers in one cell
    share its error, and the slope's uncertainty is driven by the number of cells. With
    random intercepts per unit (``random="team"``), a unit's intercept competes with
    its enablement level; with few units, and enablement that is mostly a unit level
    plus a touchpoint level, the slope is then identified only by what is left (the
    unit-by-touchpoint interaction) and is biased towards 0. Customers answer several
    touchpoints; their own correlation is not modelled.

    Examples
    --------
    >>> from cxresearch.datasets import example_study
    >>> sim = example_study("insurer-claims", n_customers=300, n_employees=140,
    ...                     truth_n=500)
    >>> sim.journey.serving_teams()["assessor_visit"]
    'field_experts'
    >>> res = alignment(sim.responses("customers"), sim.responses("employees"),
    ...                 journey=sim.journey)
    >>> res.gaps.columns[:3].tolist()
    ['touchpoint', 'team', 'customer_n']
    >>> bool(res.slope.estimate > 0)
    True
    """
    level = check_level(level)
    check_choice("random", random, _RANDOM)
    cframe, cresp = _responses(customer, "customer")
    eframe, eresp = _responses(employee, "employee")
    for frame, argument in ((cframe, "customer"), (eframe, "employee")):
        if not isinstance(unit, str) or unit not in frame.columns:
            raise StatsInputError(f"unit={unit!r} is not a column of the {argument} "
                                  f"responses; columns: "
                                  f"{', '.join(map(str, list(frame.columns)[:12]))}")
    m = int(cresp.min_group_size if min_group_size is None else min_group_size)
    cfields = touchpoint_fields(cresp.survey, item)
    if journey is not None and not callable(getattr(journey, "serving_teams", None)):
        raise StatsInputError(f"journey must be a Journey (cxresearch.journey.Journey.load"
                              f"('journey.yaml')); got {type(journey).__name__}")
    served = journey.serving_teams() if journey is not None else {}
    mapped = {tp: team for tp, team in served.items() if tp in cfields}
    mapped.update(touchpoint_units or {})
    efields = touchpoint_fields(eresp.survey, enablement_item)
    tps = [tp for tp in cfields if tp in efields]
    if not tps:
        raise StatsInputError(f"no touchpoint has both a customer question of item "
                              f"'{item}' ({', '.join(cfields) or 'none'}) and an employee "
                              f"question of item '{enablement_item}' "
                              f"({', '.join(efields) or 'none'})")
    unknown = [tp for tp in touchpoint_units or {} if tp not in cfields]
    if unknown:
        raise StatsInputError(f"touchpoint_units names {unknown[0]!r}, which is not a "
                              f"touchpoint of the customer survey; touchpoints: "
                              f"{', '.join(cfields)}")
    notes: list[str] = []

    # -- cells: customers and employees per touchpoint x unit ---------------------------
    cs_all = touchpoint_scores(cresp, item, min_group_size=1)
    cs_by = touchpoint_scores(cresp, item, by=unit, min_group_size=1)
    es_all = enablement_scores(eresp, enablement_item, min_group_size=1)
    es_by = enablement_scores(eresp, enablement_item, by=unit, min_group_size=1)
    parts = []
    for tp in tps:
        if tp in mapped:
            part = cs_all[cs_all["touchpoint"] == tp].assign(**{unit: mapped[tp]})
        else:
            part = cs_by[cs_by["touchpoint"] == tp]
        parts.append(part)
    cust = pd.concat(parts, ignore_index=True)
    cust = cust[cust[unit].notna()]
    cust[unit] = cust[unit].astype(str)
    emp = es_by[es_by["touchpoint"].isin(tps) & es_by[unit].notna()].copy()
    emp[unit] = emp[unit].astype(str)
    c_tot = cs_all[cs_all["touchpoint"].isin(tps)]
    e_tot = es_all[es_all["touchpoint"].isin(tps)]
    c_hidden = _mask(cust, c_tot, unit, m)
    e_hidden = _mask(emp, e_tot, unit, m)
    cust = cust.assign(_hidden=c_hidden[:len(cust)])
    emp = emp.assign(_hidden=e_hidden[:len(emp)])
    c_tot = c_tot.assign(_hidden=c_hidden[len(cust):])
    e_tot = e_tot.assign(_hidden=e_hidden[len(emp):])
    for who, table, totals in (("customers", cust, c_tot), ("employees", emp, e_tot)):
        for row in table[table["_hidden"]].to_dict("records"):
            why = (f"fewer than {m} {who}" if 0 < row["n"] < m else
                   "hidden so that it cannot be worked out from the touchpoint total")
            notes.append(f"{who} at {row['touchpoint']}, {unit} {row[unit]}: {why}; "
                         f"not shown")
        for row in totals[totals["_hidden"]].to_dict("records"):
            notes.append(f"{who} at {row['touchpoint']}, all {unit}s together: hidden "
                         f"(fewer than {m}, or it would reveal a hidden {unit}); not shown")

    def side(table: pd.DataFrame, prefix: str, keys: list[str]) -> pd.DataFrame:
        hidden = table["_hidden"].to_numpy(dtype=bool)
        out = table[keys].copy()
        out[f"{prefix}_n"] = table["n"].astype("Int64").mask(hidden).to_numpy()
        out[f"{prefix}_mean"] = table["estimate"].mask(hidden).to_numpy()
        out[f"{prefix}_100"] = _rescale(table["estimate"], table["scale_low"],
                                        table["scale_high"]).mask(hidden).to_numpy()
        out[f"{prefix}_suppressed"] = hidden
        return out

    keys = ["touchpoint", unit]
    gaps = side(cust, "customer", keys).merge(side(emp, "employee", keys), on=keys,
                                              how="outer", indicator=True)
    for prefix, absent in (("customer", "right_only"), ("employee", "left_only")):
        # nobody of this side in the cell: n is 0; a hidden count stays missing
        none = (gaps["_merge"] == absent).to_numpy()
        gaps[f"{prefix}_n"] = gaps[f"{prefix}_n"].astype("Int64").mask(none, 0)
        gaps[f"{prefix}_suppressed"] = gaps[f"{prefix}_suppressed"].where(~none, False) \
            .astype(bool)
    gaps = gaps.drop(columns="_merge")
    gaps["gap"] = gaps["customer_100"] - gaps["employee_100"]
    order = {tp: i for i, tp in enumerate(tps)}
    gaps = gaps.sort_values(["touchpoint", unit], key=lambda s: s.map(order)
                            if s.name == "touchpoint" else s, kind="mergesort")
    columns = [c if c != "unit" else unit for c in GAP_COLUMNS]
    gaps = gaps[columns].reset_index(drop=True)
    per_tp = side(c_tot, "customer", ["touchpoint"]).merge(
        side(e_tot, "employee", ["touchpoint"]), on="touchpoint", how="outer")
    per_tp["gap"] = per_tp["customer_100"] - per_tp["employee_100"]
    per_tp = per_tp.sort_values("touchpoint", key=lambda s: s.map(order)).reset_index(
        drop=True)[[c for c in columns if c not in (unit,)]]

    # -- the mixed model ----------------------------------------------------------------
    usable = emp.loc[emp["n"] >= m, ["touchpoint", unit, "estimate"]].rename(
        columns={"estimate": "enablement"})
    long = _long(cframe, cresp, cfields, tps, unit, mapped).merge(
        usable, on=["touchpoint", unit])
    slope, model, model_notes = _fit(long, unit, random, level, m, item)
    notes += model_notes
    names = {tp: {lg: journey.label(tp, lg) for lg in ("en", "nl")}
             for tp in tps} if journey is not None else {}
    return Alignment(slope=slope, gaps=gaps, per_touchpoint=per_tp, notes=tuple(notes),
                     model=model, names=names)


def _long(frame: pd.DataFrame, responses: Any, fields: Mapping[str, list[str]],
          tps: list[str], unit: str, mapped: Mapping[str, str]) -> pd.DataFrame:
    parts = []
    for tp in tps:
        fs = [f for f in fields[tp] if f in frame.columns]
        if not fs:
            continue
        units = (pd.Series(mapped[tp], index=frame.index) if tp in mapped
                 else frame[unit].astype("object"))
        parts.append(pd.DataFrame({
            "respondent": np.arange(len(frame)), "touchpoint": tp,
            unit: units.where(units.notna(), None).to_numpy(),
            "y": _numeric(frame[fs[0]], "item").to_numpy(dtype="float64")}))
    long = pd.concat(parts, ignore_index=True).dropna(subset=["y", unit])
    long[unit] = long[unit].astype(str)
    return long


def _fit(long: pd.DataFrame, unit: str, random: str, level: float, m: int,
         item: str) -> tuple[Result, pd.DataFrame, list[str]]:
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    notes: list[str] = []
    group = (long["touchpoint"] + " | " + long[unit]) if random == "cell" else long[unit]
    cells = long.groupby("touchpoint")[unit].nunique()
    informative = cells[cells > 1]
    if long.empty or informative.empty or group.nunique() < 2:
        raise StatsInputError(
            f"the enablement slope needs at least one touchpoint where customers of two or "
            f"more {unit} values meet employees of those units (each with at least {m} "
            f"employees); here none does. Check unit={unit!r} and touchpoint_units")
    notes.append(f"The slope rests on {len(informative)} touchpoint(s) where {unit}s "
                 f"differ ({', '.join(informative.index)}); other touchpoints only set "
                 f"their own level.")
    data = long.assign(_group=group.to_numpy())
    formula = "y ~ enablement + C(touchpoint)" if long["touchpoint"].nunique() > 1 \
        else "y ~ enablement"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fit = smf.mixedlm(formula, data, groups=data["_group"]).fit(reml=True)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append("The mixed model reported a convergence warning (often a random "
                     "intercept variance near 0); check the slope against OLS.")
    alpha = 1 - level
    ci = fit.conf_int(alpha=alpha)
    fixed = [t for t in fit.fe_params.index]
    model = pd.DataFrame({"term": fixed, "coef": fit.fe_params.to_numpy(),
                          "se": fit.bse[fixed].to_numpy(), "z": fit.tvalues[fixed].to_numpy(),
                          "p_value": fit.pvalues[fixed].to_numpy(),
                          "ci_low": ci.loc[fixed, 0].to_numpy(),
                          "ci_high": ci.loc[fixed, 1].to_numpy()})
    level_word = "touchpoint x " + unit if random == "cell" else unit
    slope = Result(
        name="enablement slope", estimate=float(fit.fe_params["enablement"]),
        ci_low=float(ci.loc["enablement", 0]), ci_high=float(ci.loc["enablement", 1]),
        n=int(len(long)), p_value=float(fit.pvalues["enablement"]),
        se=float(fit.bse["enablement"]), statistic=float(fit.tvalues["enablement"]),
        level=level,
        method=(f"linear mixed model (statsmodels MixedLM, REML): {formula}, random "
                f"intercept per {level_word}; Wald z interval"),
        definition=(f"change in customers' '{item}' score (scale points) per point of the "
                    f"mean employee enablement of their {unit} at the same touchpoint, "
                    f"within touchpoints"),
        extra={"n_customers": int(long["respondent"].nunique()),
               "n_cells": int(long.groupby(["touchpoint", unit]).ngroups),
               "n_groups": int(data["_group"].nunique()),
               "group_var": float(fit.cov_re.iloc[0, 0]), "residual_var": float(fit.scale),
               "random": random})
    return slope, model, notes
