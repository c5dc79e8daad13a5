"""``compare``: the entry point a notebook calls, and the :class:`Verdict` it returns.

Our own code (no library gives verdicts): it picks the design and the test from the data
by the rules in :func:`compare`'s docstring, runs the test from :mod:`cxresearch.stats`,
and says in Dutch or English what the effect is, how sure we are, whether it clears the
smallest effect that matters, and what to keep in mind.

A verdict puts the interval beside the smallest effect of interest (SESOI) ``s``, in
the direction that is better (``higher_is_better``):

==========================  ================================================
interval ``[lo, hi]``        conclusion
==========================  ================================================
``lo >= s``                  ``clear_improvement``: better, by at least s
``0 < lo < s <= hi``         ``improvement``: better, maybe by less than s
``0 < lo, hi < s``           ``small_improvement``: better, but by less than s
``-s <= lo <= 0 <= hi <= s``  ``no_meaningful_change``: equivalent within ±s
``lo <= 0 <= hi`` otherwise  ``inconclusive``
mirror images                ``clear_decline``, ``decline``, ``small_decline``
==========================  ================================================

Without ``s`` the conclusions are ``improvement``, ``decline`` or ``inconclusive``, and
the verdict says that it cannot tell whether the change matters.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .._numbers import number, p_value
from ._check import StatsInputError, check_choice, check_level
from ._result import Result
from ._verdict_data import (_column, _frame_of, _group_value, _label, _levels, _numeric,
                            _pick_metric, _question, _sesoi, _top_values)
from ._verdict_text import _PERIOD_NL, _SCALE, _UNIT, _t

__all__ = ["CONCLUSIONS", "METRICS", "Caveat", "Verdict", "compare", "compare_all", "conclude",
           "verdict_table"]

METRICS = ("auto", "nps", "mean", "proportion", "top_box", "ordinal")
"""Values of ``compare(metric=...)``."""

CONCLUSIONS = ("clear_improvement", "improvement", "small_improvement",
               "no_meaningful_change", "inconclusive", "small_decline", "decline",
               "clear_decline")
"""Every conclusion a :class:`Verdict` can reach, best first."""

def _fmt(value: float, lang: str, digits: int = 1) -> str:
    return number(value, lang, digits)


def _p_text(p: float | None, lang: str) -> str:
    text = p_value(p, lang)
    return f"; {text}" if text else ""


@dataclass(frozen=True)
class Caveat:
    """Something a reader should keep in mind, with the figures its sentence needs."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        values: dict[str, Any] = {}
        for k, v in self.values.items():
            if k.startswith("p_"):  # p-values: "= 0.032", "< 0.001"
                values[k] = _p_text(v, lang)[4:]
            elif isinstance(v, float):
                values[k] = _fmt(v, lang, 3)
            elif k == "unit" and lang == "nl":
                values[k] = _PERIOD_NL.get(v, v)
            else:
                values[k] = v
        return _t(self.key, lang, **values)


@dataclass(frozen=True)
class Verdict:
    """A comparison's result, what it means, and what to keep in mind.

    It follows the result protocol: ``estimate``, ``ci_low``, ``ci_high``, ``p_value``,
    ``n``, ``method``, ``definition`` come from :attr:`result`, ``to_frame()`` adds
    ``conclusion``, ``sesoi`` and the verdict in both languages.

    Attributes
    ----------
    result : Result
        The comparison (``after - before``, or the DiD interaction).
    metric : str
        ``nps``, ``mean``, ``proportion``, ``top_box``, ``ordinal`` or ``did``.
    label : str
        What was compared, as the reader knows it (question label or column); the Dutch
        label is ``label_nl`` (see :meth:`label_in`).
    groups : tuple
        ``(before, after)`` names with their own estimates, as ``(name, value)``.
    sesoi : float or None
        The smallest effect that matters, in the unit of ``estimate``.
    higher_is_better : bool
        Whether a positive difference is an improvement.
    conclusion : str
        One of :data:`CONCLUSIONS`.
    caveats : tuple of Caveat
        What to keep in mind.
    rule : str
        Which rule picked the design and the test.
    """

    result: Result
    metric: str
    label: str
    groups: tuple[tuple[str, float], tuple[str, float]] | None
    sesoi: float | None
    higher_is_better: bool
    conclusion: str
    caveats: tuple[Caveat, ...] = ()
    rule: str = ""
    p_adjusted: float | None = None
    label_nl: str | None = None

    def label_in(self, lang: str) -> str:
        """The outcome's name in ``lang`` (the question's Dutch label for ``"nl"``)."""
        return self.label_nl if lang == "nl" and self.label_nl else self.label

    # -- the result protocol, from the comparison --------------------------------------
    @property
    def estimate(self) -> float:
        return self.result.estimate

    @property
    def ci_low(self) -> float:
        return self.result.ci_low

    @property
    def ci_high(self) -> float:
        return self.result.ci_high

    @property
    def p_value(self) -> float | None:
        return self.result.p_value

    @property
    def n(self) -> int:
        return self.result.n

    @property
    def method(self) -> str:
        return self.result.method

    @property
    def definition(self) -> str:
        return self.result.definition

    @property
    def level(self) -> float:
        return self.result.level

    # -- words -------------------------------------------------------------------------
    def _shown(self, value: float) -> float:
        return value * _SCALE.get(self.metric, 1.0)

    def verdict(self, lang: str = "en") -> str:
        """The verdict in ``lang`` (``"en"`` or ``"nl"``): effect, interval, whether it
        clears the smallest effect that matters, and the caveats."""
        check_choice("lang", lang, ("en", "nl"))
        unit = _UNIT.get(self.metric, ("", ""))[1 if lang == "nl" else 0]
        digits = 2 if self.metric in ("mean", "did", "its", "ordinal") else 1
        common = {"label": self.label_in(lang), "unit": unit,
                  "level": round(self.level * 100),
                  "estimate": _fmt(self._shown(self.estimate), lang, digits),
                  "low": _fmt(self._shown(self.ci_low), lang, digits),
                  "high": _fmt(self._shown(self.ci_high), lang, digits),
                  "p": _p_text(self.p_value, lang)}
        if self.groups is None:
            parts = [_t("headline_its" if self.metric == "its" else "headline_did", lang,
                        **common)]
        else:
            (a_name, a_value), (b_name, b_value) = self.groups
            percent = "%" if self.metric in _SCALE else ""
            parts = [_t("headline", lang, a_name=a_name, b_name=b_name,
                        a_value=_fmt(self._shown(a_value), lang, digits) + percent,
                        b_value=_fmt(self._shown(b_value), lang, digits) + percent,
                        **common)]
        sesoi = _fmt(self._shown(self.sesoi), lang, digits) if self.sesoi is not None else ""
        key = self.conclusion
        if self.sesoi is None and key in ("improvement", "decline"):
            key += "_no_sesoi"
        elif key == "inconclusive" and self.sesoi is not None:
            key = "inconclusive_sesoi"
        parts.append(_t(key, lang, sesoi=sesoi, unit=unit))
        if self.caveats:
            parts.append(_t("caveats", lang, ) + " " +
                         "; ".join(c.text(lang) for c in self.caveats) + ".")
        return " ".join(parts)

    def __str__(self) -> str:
        return self.verdict("en")

    def to_frame(self) -> pd.DataFrame:
        """One tidy row: the result's columns, then ``conclusion``, ``sesoi``,
        ``p_adjusted``, ``verdict_en`` and ``verdict_nl``."""
        row = self.result.to_dict()
        row.update({"label": self.label, "label_nl": self.label_nl, "metric": self.metric,
                    "conclusion": self.conclusion, "sesoi": self.sesoi,
                    "p_adjusted": self.p_adjusted, "rule": self.rule,
                    "verdict_en": self.verdict("en"), "verdict_nl": self.verdict("nl")})
        return pd.DataFrame({k: [v] for k, v in row.items()})

    def _repr_html_(self) -> str:
        return (f"<div class='cx-verdict'><p><b>{html.escape(self.label)}</b> – "
                f"{html.escape(self.conclusion.replace('_', ' '))}</p>"
                f"<p>{html.escape(self.verdict('en'))}</p>"
                f"<p lang='nl'>{html.escape(self.verdict('nl'))}</p>"
                f"{self.result._repr_html_()}</div>")


# -- the decision -------------------------------------------------------------------------
def conclude(low: float, high: float, sesoi: float | None,
             higher_is_better: bool = True) -> str:
    """The conclusion for interval ``[low, high]`` (see the module docstring).

    >>> conclude(6.0, 14.0, 5.0)
    'clear_improvement'
    >>> conclude(-2.0, 3.0, 5.0)
    'no_meaningful_change'
    >>> conclude(-2.0, 9.0, 5.0)
    'inconclusive'
    >>> conclude(-0.4, -0.1, None, higher_is_better=False)
    'improvement'
    """
    if not higher_is_better:
        low, high = -high, -low
    if sesoi is not None and sesoi < 0:
        raise StatsInputError(f"sesoi must be at least 0 (a size, whatever the direction); "
                              f"got {sesoi!r}")
    if low > 0:
        if sesoi is None:
            return "improvement"
        return "clear_improvement" if low >= sesoi else \
            ("improvement" if high >= sesoi else "small_improvement")
    if high < 0:
        if sesoi is None:
            return "decline"
        return "clear_decline" if high <= -sesoi else \
            ("decline" if low <= -sesoi else "small_decline")
    if sesoi is not None and low >= -sesoi and high <= sesoi:
        return "no_meaningful_change"
    return "inconclusive"


def compare(data: Any, outcome: str, group: str | None = None, *,
            before: Any = None, after: Any = None, metric: str = "auto",
            paired: bool | str = "auto", id: str | None = None,
            treated: Any = None, cluster: str | None = None,
            sesoi: float | None = None, higher_is_better: bool = True,
            level: float = 0.95, top: int = 2, scale: Sequence[float] | None = None,
            success: Any = None, time: str | None = None, intervention: Any = None,
            seasonal: str | None = None, label: str | None = None) -> Verdict:
    """Did ``outcome`` change between two groups, by how much, and does it matter?

    Parameters
    ----------
    data : DataFrame or Responses
        One row per answer. With :class:`~cxresearch.data.Responses` the question behind
        ``outcome`` (its label, scale and item-bank metric) and the study's
        ``smallest_effects`` are used.
    outcome : str
        The column compared.
    group : str
        The column that tells the two groups apart (e.g. ``wave``); with ``treated`` the
        column that tells before from after.
    before, after : optional
        Which two values of ``group`` to compare (default: its two values, in order).
    metric : {"auto", "nps", "mean", "proportion", "top_box", "ordinal"}
        What is compared; see the rules below.
    paired : bool or "auto"
        Whether the same respondents answered in both groups.
    id : str, optional
        The respondent id column (default: the Responses' id column).
    treated, cluster : optional
        With ``treated`` (the column marking the improved branch, or ``(column, value)``
        naming its value), a difference-in-differences against the branch that did not
        change, with cluster-robust errors by ``cluster``; ``after`` then names the value
        of ``group`` that is "after" (see :func:`did`).
    sesoi : float, optional
        The smallest effect that matters, in the unit of the difference (NPS points,
        scale points, or a share for proportions). Default: ``smallest_effects`` in the
        study's ``study.yaml`` for the outcome, else for the metric.
    higher_is_better : bool
        Set False where lower is better (effort on CES version 1, waiting times).
    level : float
        Confidence level of the interval.
    top, scale
        For ``metric="top_box"``: how many top points count, and the scale.
    success : value or list of values, optional
        For a choice question (or any column): the answers that count as a success;
        the outcome becomes the share of answers that are one of them (a proportion).
    time, intervention, seasonal : optional
        An interrupted time series instead of two groups: ``data`` holds one row per
        period, ``time`` names the period column and ``intervention`` when the
        improvement started (see :func:`its`); ``group`` is then not used.
    label : str, optional
        How the verdict names the outcome (default: the question's label).

    Returns
    -------
    Verdict
        ``.verdict("nl" | "en")``, ``.conclusion``, ``.to_frame()``.

    Notes
    -----
    The rules, in order:

    0. ``time`` and ``intervention`` given: :func:`its` (the level change at the
       intervention; the slope change is named in the verdict), with AR(1) errors for
       series shorter than 120 periods (where Newey-West intervals are too narrow; see
       :func:`its`) and Newey-West errors from 120 periods on.
    1. ``treated`` given: :func:`did` (difference-in-differences, outcome as a number).
    2. The metric, when ``"auto"``: the item-bank metric of the question (``nps`` and
       ``enps`` items: NPS; ``csat``: top-2-box); else 0/1 answers: proportions; else a
       difference in means.
    3. Paired when every respondent id occurs in both groups (``paired="auto"``): the
       paired test of the metric. When only some do, the groups are compared as
       independent and a caveat says so.
    4. The test: NPS :func:`compare_nps`; means :func:`compare_means` (Welch), checked
       against :func:`compare_ordinal` on scales of up to 11 points (a caveat when the
       two disagree); proportions and top-box :func:`compare_proportions`; ordinal
       :func:`compare_ordinal` (the estimate is the rank-biserial correlation).
    5. The conclusion from the interval and ``sesoi``, see :func:`conclude`.

    Caveats: fewer than 30 answers in a group; groups differing more than threefold in
    size; more than 20% missing answers; respondents answering in both groups; the
    rank-based check disagreeing; for DiD fewer than 30 clusters and the
    parallel-trends assumption.
    """
    level = check_level(level)
    check_choice("metric", metric, METRICS)
    check_choice("paired", paired, (True, False, "auto"))
    frame, responses = _frame_of(data)
    raw = _column(frame, outcome, "outcome")
    question = _question(responses, outcome)
    if success is not None:
        wanted = list(success) if isinstance(success, (list, tuple, set)) else [success]
        present = set(raw.dropna().astype(str))
        unknown = [w for w in wanted if str(w) not in present]
        if len(unknown) == len(wanted):
            raise StatsInputError(
                f"success={success!r}: no answer to '{outcome}' is that; its answers: "
                f"{', '.join(sorted(present)[:10])}")
        hit = raw.astype("string").isin([str(w) for w in wanted])
        values = hit.astype("float64").where(raw.notna().to_numpy())
        if metric == "auto":
            metric = "proportion"
    else:
        values = _numeric(raw, "outcome")
    if time is not None or intervention is not None:
        return _compare_its(frame, responses, outcome, values, time, intervention, seasonal,
                            sesoi, higher_is_better, level, label)
    if group is None:
        raise StatsInputError("group is required: the column that tells the groups apart "
                              "(e.g. group='wave')")
    groups = _column(frame, group, "group")
    if treated is not None:
        post: Any = (group, after) if after is not None else group
        return _compare_did(frame, responses, outcome, values, post, treated, cluster,
                            sesoi, higher_is_better, level, label)
    first, second = _levels(groups, before, after, "group")
    chosen, rule = _pick_metric(metric, values, question)
    sesoi_value = _sesoi(sesoi, responses, outcome, chosen)
    in_a, in_b = (groups == first).to_numpy(), (groups == second).to_numpy()
    caveats: list[Caveat] = []
    answered = values.notna().to_numpy()
    asked = int((in_a | in_b).sum())
    missing_share = 1 - (answered & (in_a | in_b)).sum() / max(asked, 1)
    if missing_share > 0.2:
        caveats.append(Caveat("missing", {"share": round(100 * missing_share)}))

    id_name = id if id is not None else getattr(responses, "id_column", None)
    ids = frame[id_name] if id_name in frame.columns else None
    is_paired, overlap = False, 0
    if ids is not None:
        ids_a = set(ids[in_a & answered].dropna())
        ids_b = set(ids[in_b & answered].dropna())
        overlap = len(ids_a & ids_b)
        is_paired = paired is True or (paired == "auto" and overlap > 0
                                       and ids_a == ids_b)
    elif paired is True:
        raise StatsInputError("paired=True needs the respondent id column: pass id=...")

    if chosen == "top_box":
        tops = _top_values(question, scale, top)
        values = values.where(values.isna(), values.isin(tops).astype("float64"))
        rule += f"; top-{top}-box: {', '.join(f'{v:g}' for v in tops)}"
    if is_paired:
        assert ids is not None
        a_series = pd.Series(values[in_a].to_numpy(), index=ids[in_a].to_numpy())
        b_series = pd.Series(values[in_b].to_numpy(), index=ids[in_b].to_numpy())
        if a_series.index.duplicated().any() or b_series.index.duplicated().any():
            raise StatsInputError(f"paired comparison: respondent ids in '{id_name}' occur "
                                  "more than once within a group")
        common = a_series.index.intersection(b_series.index)
        a = a_series.loc[common].to_numpy(dtype="float64")
        b = b_series.loc[common].to_numpy(dtype="float64")
        keep = ~(np.isnan(a) | np.isnan(b))
        a, b = a[keep], b[keep]
        caveats.append(Caveat("paired", {"n": int(keep.sum())}))
        rule += "; paired: the same respondents answered in both groups"
    else:
        a = values[in_a].dropna().to_numpy(dtype="float64")
        b = values[in_b].dropna().to_numpy(dtype="float64")
        if overlap:
            caveats.append(Caveat("panel" if overlap != 1 else "panel_one",
                                  {"overlap": overlap}))
    for name, part in ((first, a), (second, b)):
        if part.size < 2:
            raise StatsInputError(f"group {name!r} of '{group}' has {part.size} answer(s) "
                                  f"to '{outcome}'; at least 2 are needed to compare")
    result = _run(chosen, a, b, is_paired, level)
    if chosen == "mean" and not is_paired and len(np.union1d(np.unique(a), np.unique(b))) <= 11:
        from . import compare_ordinal

        rank = compare_ordinal(a, b, level=level)
        alpha = 1 - level
        if rank.p_value is not None and result.p_value is not None and \
                (rank.p_value < alpha) != (result.p_value < alpha):
            caveats.append(Caveat("rank_disagrees", {"p_rank": rank.p_value}))
    n_a, n_b = int(a.size), int(b.size)
    if min(n_a, n_b) < 30:
        caveats.insert(0, Caveat("small_n", {"n_a": n_a, "n_b": n_b}))
    elif not is_paired and max(n_a, n_b) > 3 * min(n_a, n_b):
        caveats.insert(0, Caveat("unequal", {"n_a": n_a, "n_b": n_b}))
    shown_metric = chosen
    estimates = ((str(first), _group_value(chosen, a)), (str(second), _group_value(chosen, b)))
    conclusion = conclude(result.ci_low, result.ci_high, sesoi_value, higher_is_better)
    return Verdict(result, shown_metric, _label(responses, outcome, label), estimates,
                   sesoi_value, higher_is_better, conclusion, tuple(caveats), rule,
                   label_nl=_label(responses, outcome, label, "nl"))


def _run(metric: str, a: np.ndarray, b: np.ndarray, paired: bool, level: float) -> Result:
    if metric == "nps":
        from . import compare_nps

        return compare_nps(a, b, paired=paired, level=level)
    if metric in ("proportion", "top_box"):
        from . import compare_proportions

        return compare_proportions(a, b, paired=paired, level=level)
    if metric == "ordinal":
        from . import compare_ordinal

        if paired:
            raise StatsInputError("metric 'ordinal' compares independent groups; for the "
                                  "same respondents twice use metric='mean' (paired t) "
                                  "or paired=False")
        return compare_ordinal(a, b, level=level)
    from . import compare_means

    return compare_means(a, b, paired=paired, level=level)


def _compare_did(frame: pd.DataFrame, responses: Any, outcome: str, values: pd.Series,
                 post: Any, treated: Any, cluster: str | None, sesoi: float | None,
                 higher_is_better: bool, level: float, label: str | None) -> Verdict:
    from . import did

    work = frame.copy()
    work[outcome] = values
    result = did(work, outcome, treated, post, cluster=cluster, level=level)
    caveats = [Caveat("parallel_trends")]
    clusters = result.extra.get("n_clusters")
    if cluster is not None and clusters is not None and clusters < 30:
        caveats.insert(0, Caveat("few_clusters", {"clusters": int(clusters)}))
    sesoi_value = _sesoi(sesoi, responses, outcome, "mean")
    conclusion = conclude(result.ci_low, result.ci_high, sesoi_value, higher_is_better)
    return Verdict(result, "did", _label(responses, outcome, label), None, sesoi_value,
                   higher_is_better, conclusion, tuple(caveats),
                   "treated given: difference-in-differences",
                   label_nl=_label(responses, outcome, label, "nl"))


def _compare_its(frame: pd.DataFrame, responses: Any, outcome: str, values: pd.Series,
                 time: str | None, intervention: Any, seasonal: str | None,
                 sesoi: float | None, higher_is_better: bool, level: float,
                 label: str | None) -> Verdict:
    from . import its
    from ._its import SHORT_SERIES

    if time is None or intervention is None:
        raise StatsInputError("an interrupted time series needs both time= (the period "
                              "column) and intervention= (when the improvement started)")
    work = frame.copy()
    work[outcome] = values
    periods = int(work[[time, outcome]].notna().all(axis=1).sum())
    errors = "ar1" if periods < SHORT_SERIES else "newey-west"
    result = its(work, time, outcome, intervention, seasonal=seasonal, errors=errors,
                 level=level)
    caveats = [Caveat("its_slope", {"slope": result.extra["slope_change"].estimate,
                                    "unit": str(result.extra.get("unit", "period"))})]
    if errors == "ar1":
        caveats.append(Caveat("its_ar1", {"n": periods, "rho": result.extra["rho"]}))
    elif result.extra.get("missing_periods"):
        caveats.append(Caveat("its_gap", {"k": int(result.extra["missing_periods"])}))
    short = min(int(result.extra.get("n_before", 0)), int(result.extra.get("n_after", 0)))
    if short < 12:
        caveats.append(Caveat("its_short", {"k": short}))
    sesoi_value = _sesoi(sesoi, responses, outcome, "mean")
    conclusion = conclude(result.ci_low, result.ci_high, sesoi_value, higher_is_better)
    return Verdict(result, "its", _label(responses, outcome, label), None, sesoi_value,
                   higher_is_better, conclusion, tuple(caveats),
                   "time and intervention given: interrupted time series",
                   label_nl=_label(responses, outcome, label, "nl"))


def compare_all(data: Any, outcomes: Iterable[str], group: str, *,
                adjust_method: str = "holm", **options: Any) -> list[Verdict]:
    """:func:`compare` for several outcomes, with p-values adjusted for the family.

    Each verdict gets ``p_adjusted`` (by :func:`adjust`, default Holm) and, when there is
    more than one outcome, a caveat naming the family size and the adjusted p-value.
    ``options`` go to :func:`compare` for every outcome.
    """
    from . import adjust

    verdicts = [compare(data, outcome, group, **options) for outcome in outcomes]
    if not verdicts:
        raise StatsInputError("outcomes is empty: name at least one column to compare")
    p = [v.p_value if v.p_value is not None else float("nan") for v in verdicts]
    adjusted = list(np.asarray(adjust(p, method=adjust_method), dtype="float64"))
    out = []
    for verdict, p_adj in zip(verdicts, adjusted):
        caveats = verdict.caveats
        if len(verdicts) > 1 and not math.isnan(p_adj):
            caveats = caveats + (Caveat("many_tests", {
                "k": len(verdicts), "method": adjust_method,
                "p_adj": p_adj}),)
        out.append(replace(verdict, caveats=caveats,
                           p_adjusted=None if math.isnan(p_adj) else float(p_adj)))
    return out


def verdict_table(verdicts: Sequence[Verdict]) -> pd.DataFrame:
    """The verdicts stacked: one row each (see :meth:`Verdict.to_frame`)."""
    return pd.concat([v.to_frame() for v in verdicts], ignore_index=True)
