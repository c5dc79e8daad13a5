"""Peak-end: do the most intense moment and the end predict the overall judgement
better than the average of all touchpoints?

People judge an experience by its most intense moment and its end rather than by the sum
or average of its moments (Kahneman, Fredrickson, Schreiber & Redelmeier 1993, "When more
pain is preferred to less: adding a better end", *Psychological Science* 4(6), 401-405;
Fredrickson & Kahneman 1993, "Duration neglect in retrospective evaluations of affective
episodes", *JPSP* 65(1), 45-55). No well-kept library does this test on journey survey
data, so it is written here; the fits, F-test and J-test are statsmodels'.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_choice, check_level
from .._numbers import number, p_value, percent
from ..instrument._render_base import journey_names
from ._result import Result
from ._verdict_data import _column, _frame_of, _numeric

__all__ = ["MODEL_COLUMNS", "PeakEnd", "peak_end"]

MODEL_COLUMNS = ("model", "formula", "n", "k", "r2", "adj_r2", "aic", "bic")
"""Columns of :attr:`PeakEnd.models`; ``k`` counts the predictors (not the intercept)."""

_MODELS = (("mean", ("mean",)), ("peak_end", ("peak", "end")),
           ("peak_end_mean", ("peak", "end", "mean")))


@dataclass(frozen=True, eq=False)
class PeakEnd:
    """Peak-end against the average: the models, the tests and the negative peaks.

    Attributes
    ----------
    estimate : float
        Partial R² of peak and end over the mean: :math:`(RSS_M - RSS_{PEM}) / RSS_M`,
        the share of what ``overall ~ mean`` leaves unexplained that adding peak and end
        explains (0: they add nothing).
    ci_low, ci_high : float
        Percentile bootstrap interval of ``estimate`` (respondents resampled).
    p_value, statistic, df : float
        Nested F-test of ``overall ~ peak + end + mean`` against ``overall ~ mean``:
        do peak and end add to the mean? ``df`` is the numerator df (2); ``extra`` holds
        the denominator df and the partial R².
    n : int
        Respondents used (at least 2 touchpoints answered and an overall judgement).
    n_dropped : int
        Respondents left out (fewer than 2 touchpoints answered, or no overall answer).
    models : DataFrame
        One row per model, :data:`MODEL_COLUMNS`, plus the coefficients
        (``b_intercept``, ``b_peak``, ``b_end``, ``b_mean``).
    tests : DataFrame
        ``test, statistic, df1, df2, p_value, note``: the F-test and the two directions
        of the Davidson-MacKinnon J-test.
    negative_peaks : DataFrame
        ``touchpoint, field, count, share, suppressed``: how often each touchpoint
        (its journey id for Responses, else the column) is the
        (negative) peak among respondents whose peak lies below the midpoint; counts
        below the minimum group size are hidden (also from subtraction).
    scores : DataFrame
        Per respondent used: ``peak``, ``peak_touchpoint`` (column), ``negative_peak``,
        ``end``, ``end_touchpoint`` (column), ``mean``, ``answered``, ``overall``.
    names : dict
        Touchpoint id -> its name per language, from the survey's journey (for
        :meth:`verdict`); empty for a plain DataFrame.
    """

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    n: int
    method: str
    definition: str
    p_value: float
    statistic: float
    df: float
    level: float
    n_dropped: int
    midpoint: float
    models: pd.DataFrame
    tests: pd.DataFrame
    negative_peaks: pd.DataFrame
    scores: pd.DataFrame
    min_group_size: int
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def result(self) -> Result:
        """The main estimate as a :class:`~cxresearch.stats.Result`."""
        m = self.models.set_index("model")
        return Result(
            name=self.name, estimate=self.estimate, ci_low=self.ci_low,
            ci_high=self.ci_high, n=self.n, method=self.method, definition=self.definition,
            p_value=self.p_value, level=self.level, statistic=self.statistic, df=self.df,
            extra={"df2": float(self.tests["df2"].iloc[0]),
                   "partial_r2": float(self.tests.attrs["partial_r2"]),
                   "adj_r2_mean": float(m.loc["mean", "adj_r2"]),
                   "adj_r2_peak_end": float(m.loc["peak_end", "adj_r2"]),
                   "n_dropped": self.n_dropped, "midpoint": self.midpoint})

    def to_frame(self) -> pd.DataFrame:
        """One tidy row: :data:`~cxresearch.stats.RESULT_COLUMNS`, then ``df2``,
        ``partial_r2``, ``adj_r2_mean``, ``adj_r2_peak_end``, ``n_dropped``,
        ``midpoint``."""
        return self.result.to_frame()

    @property
    def adds(self) -> bool:
        """Peak and end add to the mean: the F-test is significant at ``1 - level``."""
        return bool(self.p_value < 1 - self.level)

    @property
    def beats_mean(self) -> bool:
        """Peak and end alone fit better than the mean alone (higher adjusted R²)."""
        m = self.models.set_index("model")["adj_r2"]
        return bool(m["peak_end"] > m["mean"])

    @property
    def better(self) -> bool:
        """Peak-end predicts better than the average: peak and end add to the mean (F-test)
        and alone fit better than the mean alone (adjusted R²)."""
        return self.adds and self.beats_mean

    def verdict(self, lang: str = "en") -> str:
        """A plain sentence: does peak-end predict the overall judgement better than the
        average of the touchpoints? In ``"en"`` or ``"nl"``."""
        check_choice("lang", lang, ("en", "nl"))
        m = self.models.set_index("model")
        pe, mean = (number(m.loc[k, "adj_r2"], lang, 3) for k in ("peak_end", "mean"))
        est, low, high = (number(v, lang, 3) for v in (self.estimate, self.ci_low,
                                                       self.ci_high))
        p = p_value(self.p_value, lang) or "p –"
        top = self.negative_peaks.dropna(subset=["count"])
        top = top[top["count"] > 0]
        t = _TEXT[lang]
        key = "better" if self.better else "adds" if self.adds else "not"
        text = t[key].format(pe=pe, mean=mean) + t["figures"].format(
            est=est, low=low, high=high, level=percent(self.level, lang), p=p,
            n=number(self.n, lang, 0))
        if len(top):
            tp = str(top["touchpoint"].iloc[0])
            text += t["peak"].format(tp=self.names.get(tp, {}).get(lang, tp),
                                     share=percent(top["share"].iloc[0], lang))
        if self.n_dropped:
            text += t["dropped"].format(k=number(self.n_dropped, lang, 0))
        return text

    def _repr_html_(self) -> str:
        models = self.models[list(MODEL_COLUMNS)].to_html(index=False, float_format="%.3f")
        tests = self.tests.to_html(index=False, float_format="%.4g")
        peaks = self.negative_peaks.to_html(index=False, float_format="%.3f")
        return (f"<div class='cx-peak-end'><p>{html.escape(self.verdict())}</p>"
                f"{self.result._repr_html_()}<h4>Models</h4>{models}<h4>Tests</h4>{tests}"
                f"<h4>Negative peaks</h4>{peaks}</div>")


_TEXT = {
    "en": {
        "better": "Peak and end predict the overall judgement better than the average of the "
                  "touchpoints: alone they fit better (adjusted R² {pe} against {mean}) and "
                  "they add to the average",
        "adds": "The overall judgement follows both the average and the peak and end: peak "
                "and end add to the average, but alone they predict less well than the "
                "average (adjusted R² {pe} against {mean})",
        "not": "Peak and end do not clearly predict the overall judgement better than the "
               "average of the touchpoints (adjusted R² {pe} against {mean})",
        "figures": "; partial R² {est} ({level} interval {low} to {high}), F-test "
                   "{p}, n = {n}.",
        "peak": " The most frequent negative peak: {tp} ({share} of negative peaks).",
        "dropped": " {k} respondents with fewer than two answered touchpoints or no "
                   "overall judgement are left out.",
    },
    "nl": {
        "better": "Piek en eind voorspellen het totaaloordeel beter dan het gemiddelde van de "
                  "contactmomenten: alleen passen ze beter (aangepaste R² {pe} tegen {mean}) "
                  "en ze voegen iets toe aan het gemiddelde",
        "adds": "Het totaaloordeel volgt zowel het gemiddelde als de piek en het eind: piek "
                "en eind voegen iets toe aan het gemiddelde, maar alleen voorspellen ze "
                "minder goed dan het gemiddelde (aangepaste R² {pe} tegen {mean})",
        "not": "Piek en eind voorspellen het totaaloordeel niet aantoonbaar beter dan het "
               "gemiddelde van de contactmomenten (aangepaste R² {pe} tegen {mean})",
        "figures": "; partiële R² {est} ({level}-interval {low} tot {high}), F-toets "
                   "{p}, n = {n}.",
        "peak": " De vaakst voorkomende negatieve piek: {tp} ({share} van de negatieve "
                "pieken).",
        "dropped": " {k} respondenten met minder dan twee beantwoorde contactmomenten of "
                   "zonder totaaloordeel tellen niet mee.",
    },
}


def _midpoint(frame: pd.DataFrame, responses: Any, touchpoints: list[str],
              values: np.ndarray) -> float:
    if responses is not None:
        from ._touchpoints import _scale_of

        try:
            low, high = _scale_of(responses.survey, touchpoints[0])
        except Exception:  # not a question of the survey: fall back to the data
            low = high = float("nan")
        if np.isfinite(low) and np.isfinite(high):
            return (low + high) / 2
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        raise StatsInputError("the touchpoint columns hold no answers")
    return float((finite.min() + finite.max()) / 2)


def _per_respondent(values: np.ndarray, midpoint: float) -> dict[str, np.ndarray]:
    answered = np.isfinite(values)
    count = answered.sum(axis=1)
    k = values.shape[1]
    distance = np.where(answered, np.abs(values - midpoint), -np.inf)
    # ties go to the later touchpoint: argmax over the reversed columns
    peak_pos = k - 1 - np.argmax(distance[:, ::-1], axis=1)
    end_pos = k - 1 - np.argmax(answered[:, ::-1], axis=1)
    rows = np.arange(values.shape[0])
    with np.errstate(invalid="ignore"):
        mean = np.where(count > 0, np.nansum(np.where(answered, values, 0), axis=1)
                        / np.clip(count, 1, None), np.nan)
    return {"peak": values[rows, peak_pos], "peak_pos": peak_pos,
            "end": values[rows, end_pos], "end_pos": end_pos, "mean": mean,
            "answered": count}


def _ols(y: np.ndarray, columns: dict[str, np.ndarray], names: Sequence[str]) -> Any:
    import statsmodels.api as sm

    x = sm.add_constant(np.column_stack([columns[c] for c in names]), has_constant="add")
    return sm.OLS(y, x).fit()


def _bootstrap(y: np.ndarray, cols: dict[str, np.ndarray], n_boot: int, seed: int,
               level: float) -> tuple[float, float]:
    """Percentile interval of the partial R² of peak + end over the mean (respondents
    resampled), by least squares."""
    n = y.size
    rng = np.random.default_rng(seed)
    one = np.ones(n)
    x_mean = np.column_stack([one, cols["mean"]])
    x_full = np.column_stack([one, cols["peak"], cols["end"], cols["mean"]])
    out = np.empty(n_boot)
    for b in range(n_boot):
        idx = rng.integers(0, n, n)
        yb = y[idx]
        rss = []
        for x in (x_mean, x_full):
            xb = x[idx]
            beta, *_ = np.linalg.lstsq(xb, yb, rcond=None)
            rss.append(float(np.sum((yb - xb @ beta) ** 2)))
        out[b] = (rss[0] - rss[1]) / rss[0] if rss[0] > 0 else np.nan
    alpha = 1 - level
    low, high = np.nanquantile(out, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def peak_end(data: Any, touchpoints: Sequence[str], overall: str, *,
             midpoint: float | None = None, level: float = 0.95,
             min_group_size: int | None = None, n_boot: int = 1000,
             seed: int = 20261123) -> PeakEnd:
    """Test the peak-end rule against the average of the touchpoints.

    Parameters
    ----------
    data : DataFrame or Responses
        One row per respondent; scale answers (ordered categories) are read as numbers.
    touchpoints : list of str
        The per-touchpoint score columns, **in journey order** (the end is the last one
        answered).
    overall : str
        The overall judgement (overall satisfaction, NPS, ...).
    midpoint : float, optional
        The neutral point of the touchpoint scale, from which intensity is measured.
        Default: the middle of the first touchpoint question's scale (Responses), else
        the middle of the range of the answers.
    level : float
        Confidence level of the bootstrap interval; also the F-test's threshold in
        :meth:`PeakEnd.verdict` (``p < 1 - level``).
    min_group_size : int, optional
        Counts of negative peaks below this are hidden; default the study's (Responses)
        or 5.
    n_boot : int
        Bootstrap resamples for the interval of the main estimate (0: no interval).
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    PeakEnd
        The main estimate (partial R² of peak and end over the mean, with the F-test's
        p-value) with the protocol attributes, ``.adds``, ``.beats_mean``, ``.better``, ``.models``, ``.tests``, ``.negative_peaks``, ``.scores``,
        ``.verdict(lang)``, ``.to_frame()``.

    Notes
    -----
    Per respondent *i* with answered touchpoints :math:`x_{i1}, \\dots, x_{iJ}` (journey
    order, :math:`J \\ge 2`) and scale midpoint *c*:

    * peak :math:`P_i = x_{ij^*}`, :math:`j^* = \\arg\\max_j |x_{ij} - c|` (ties: the
      later touchpoint); a *negative peak* has :math:`P_i < c`;
    * end :math:`E_i = x_{iJ}`, the last answered touchpoint;
    * mean :math:`M_i = \\frac{1}{J} \\sum_j x_{ij}`.

    Three OLS fits (statsmodels): ``overall ~ M``, ``overall ~ P + E`` and
    ``overall ~ P + E + M``, with R², adjusted R², AIC and BIC (statsmodels' ``aic``,
    ``bic``: :math:`-2 \\ln L + 2(k+1)` and :math:`-2 \\ln L + \\ln(n)(k+1)`; R's
    ``AIC(lm)`` counts the residual variance too, so it is 2 higher, and BIC
    :math:`\\ln n` higher, which leaves every difference the same).
    The nested F-test (``P + E + M`` against ``M``, as R's ``anova(m_mean, m_full)``)
    tests whether peak and end add to the mean; its partial R² is
    :math:`(RSS_M - RSS_{full}) / RSS_M`. The non-nested comparison of ``M`` with
    ``P + E`` is the Davidson-MacKinnon (1981) J-test (statsmodels ``compare_j``): the
    fitted values of one model added to the other; a significant t says the added model
    explains what the other misses. Respondents with fewer than two answered
    touchpoints (no peak distinct from the end is possible) or without an overall
    answer are dropped and counted (``n_dropped``).

    Checked against R 4.2 (``lm``, ``AIC``, ``BIC``, ``anova``; ``tests/r/peak_end.R``).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.integers(1, 6, size=(200, 4)).astype(float)
    >>> df = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    >>> far = 3 - np.abs(x - 3)[:, ::-1].argmax(axis=1)  # ties: the later one
    >>> df["overall"] = 0.5 * x[np.arange(200), far] + 0.5 * x[:, 3] + rng.normal(0, .3, 200)
    >>> res = peak_end(df, ["a", "b", "c", "d"], "overall", n_boot=0)
    >>> bool(res.estimate > 0), res.better
    (True, True)
    >>> res.negative_peaks.columns.tolist()
    ['touchpoint', 'field', 'count', 'share', 'suppressed']
    """
    level = check_level(level)
    frame, responses = _frame_of(data)
    if isinstance(touchpoints, str) or not isinstance(touchpoints, Sequence) \
            or len(touchpoints) < 2:
        raise StatsInputError(f"touchpoints must be a list of at least 2 score columns in "
                              f"journey order, e.g. ['sat_report', 'sat_call', ...]; got "
                              f"{touchpoints!r}")
    tps = list(touchpoints)
    if len(set(tps)) != len(tps):
        raise StatsInputError(f"touchpoints lists a column twice: {tps!r}")
    if overall in tps:
        raise StatsInputError(f"overall={overall!r} is also one of the touchpoints; the "
                              "overall judgement must be a column of its own")
    values = np.column_stack([_numeric(_column(frame, c, "touchpoints"), "touchpoints")
                              .to_numpy(dtype="float64") for c in tps])
    y_all = _numeric(_column(frame, overall, "overall"), "overall").to_numpy(dtype="float64")
    if midpoint is None:
        mid = _midpoint(frame, responses, tps, values)
    elif isinstance(midpoint, bool) or not isinstance(midpoint, (int, float, np.number)) \
            or not np.isfinite(midpoint):
        raise StatsInputError(f"midpoint must be a number (the neutral point of the "
                              f"touchpoint scale, e.g. 3 on 1-5); got {midpoint!r}")
    else:
        mid = float(midpoint)
    if min_group_size is None:
        min_n = int(getattr(responses, "min_group_size", 5) or 5)
    else:
        min_n = int(min_group_size)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise StatsInputError(f"n_boot must be a whole number of 0 or more; got {n_boot!r}")

    per = _per_respondent(values, mid)
    keep = (per["answered"] >= 2) & np.isfinite(y_all)
    n = int(keep.sum())
    if n < 6:
        raise StatsInputError(f"peak-end needs at least 6 respondents with 2 or more "
                              f"answered touchpoints and an overall judgement; got {n} "
                              f"of {len(frame)}")
    y = y_all[keep]
    cols = {k: per[k][keep] for k in ("peak", "end", "mean")}

    fits = {name: _ols(y, cols, names) for name, names in _MODELS}
    rows = []
    for name, names in _MODELS:
        fit = fits[name]
        row = {"model": name, "formula": f"{overall} ~ " + " + ".join(names), "n": n,
               "k": len(names), "r2": float(fit.rsquared), "adj_r2": float(fit.rsquared_adj),
               "aic": float(fit.aic), "bic": float(fit.bic),
               "b_intercept": float(fit.params[0])}
        for term in ("peak", "end", "mean"):
            row[f"b_{term}"] = (float(fit.params[1 + list(names).index(term)])
                                if term in names else np.nan)
        rows.append(row)
    models = pd.DataFrame(rows)

    tests = _tests(fits, cols, y)
    f_row = tests.iloc[0]
    estimate = float(tests.attrs["partial_r2"])
    low, high = (_bootstrap(y, cols, int(n_boot), seed, level) if n_boot
                 else (float("nan"), float("nan")))

    tp_names = np.array(tps, dtype=object)
    scores = pd.DataFrame({
        "peak": cols["peak"], "peak_touchpoint": tp_names[per["peak_pos"][keep]],
        "negative_peak": cols["peak"] < mid, "end": cols["end"],
        "end_touchpoint": tp_names[per["end_pos"][keep]], "mean": cols["mean"],
        "answered": per["answered"][keep], "overall": y}, index=frame.index[keep])
    negative = _negative_peaks(scores, tps, _touchpoint_ids(responses, tps), min_n)
    tp_labels = journey_names(responses.survey) if responses is not None else {}
    return PeakEnd(names=tp_labels,
        name="peak-end over the mean (partial R²)", estimate=estimate,
        ci_low=low, ci_high=high, n=n,
        method=(f"OLS (statsmodels); nested F-test of peak + end + mean against mean; "
                f"Davidson-MacKinnon J-test for the non-nested comparison; "
                f"{'percentile bootstrap of respondents (' + str(n_boot) + ' resamples)' if n_boot else 'no interval'}"),
        definition=(f"partial R² of peak + end added to the mean: the share of the "
                    f"residual variance of '{overall} ~ mean' that '{overall} ~ peak + end "
                    f"+ mean' explains; peak = the answered touchpoint furthest from the "
                    f"scale midpoint {mid:g} (ties: the later), end = the last answered in "
                    f"journey order, mean = mean of the answered touchpoints"),
        p_value=float(f_row["p_value"]), statistic=float(f_row["statistic"]),
        df=float(f_row["df1"]), level=level, n_dropped=int(len(frame) - n), midpoint=mid,
        models=models, tests=tests, negative_peaks=negative, scores=scores,
        min_group_size=min_n)


def _tests(fits: dict[str, Any], cols: dict[str, np.ndarray], y: np.ndarray) -> pd.DataFrame:
    from statsmodels.stats.diagnostic import compare_j

    full, mean, pe = fits["peak_end_mean"], fits["mean"], fits["peak_end"]
    f_value, f_p, df_diff = full.compare_f_test(mean)
    partial = (mean.ssr - full.ssr) / mean.ssr if mean.ssr > 0 else float("nan")
    # compare_j(x, z) gives the t of fitted(x) added to model z (checked against R's
    # lm(overall ~ mean + fitted(m_pe)) in tests/r/peak_end.R)
    try:
        j_pe = compare_j(pe, mean, result_object=False)  # does peak-end add to the mean?
        j_mean = compare_j(mean, pe, result_object=False)  # does the mean add to peak-end?
    except ValueError:  # the predictors are collinear here: the models are nested
        j_pe = j_mean = (float("nan"), float("nan"))
    df_j = float(y.size - 3)
    table = pd.DataFrame([
        {"test": "F: peak + end add to mean", "statistic": float(f_value),
         "df1": float(df_diff), "df2": float(full.df_resid), "p_value": float(f_p),
         "note": "nested: overall ~ peak + end + mean against overall ~ mean"},
        {"test": "J: peak-end explains what mean misses", "statistic": float(j_pe[0]),
         "df1": 1.0, "df2": df_j, "p_value": float(j_pe[1]),
         "note": "Davidson-MacKinnon: overall ~ mean + fitted(peak + end), t of the fit"},
        {"test": "J: mean explains what peak-end misses", "statistic": float(j_mean[0]),
         "df1": 1.0, "df2": float(y.size - 4), "p_value": float(j_mean[1]),
         "note": "Davidson-MacKinnon: overall ~ peak + end + fitted(mean), t of the fit"},
    ])
    table.attrs["partial_r2"] = float(partial)
    return table


def _touchpoint_ids(responses: Any, fields: list[str]) -> list[str]:
    """The journey touchpoint of each field (Responses whose blocks name one), else the
    field itself."""
    if responses is None:
        return list(fields)
    owner: dict[str, str] = {}
    for block in responses.survey.blocks:
        if block.touchpoint is not None:
            for q in block.questions:
                for f in q.field_ids():
                    owner.setdefault(f, block.touchpoint)
    return [owner.get(f, f) for f in fields]


def _negative_peaks(scores: pd.DataFrame, fields: list[str], touchpoints: list[str],
                    min_n: int) -> pd.DataFrame:
    from ..data.privacy import small_cell_mask

    neg = scores.loc[scores["negative_peak"], "peak_touchpoint"]
    counts = neg.value_counts().reindex(fields, fill_value=0)
    table = pd.DataFrame({"touchpoint": touchpoints, "field": fields,
                          "count": counts.to_numpy(dtype="int64")})
    total = int(table["count"].sum())
    table["share"] = table["count"] / total if total else np.nan
    hidden = small_cell_mask(table[["touchpoint", "count"]], min_n, count="count",
                             groups="touchpoint", total=total).to_numpy(dtype=bool)
    table["count"] = table["count"].astype("Int64").mask(hidden)
    table["share"] = table["share"].mask(hidden)
    table["suppressed"] = hidden
    table = table.sort_values(["count", "touchpoint"], ascending=[False, True],
                              na_position="last", kind="mergesort").reset_index(drop=True)
    table.attrs.update({"n_negative": total, "min_group_size": min_n})
    return table
