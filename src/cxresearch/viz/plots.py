"""Report charts: Likert distributions, NPS distributions and before/after per touchpoint.

Every function returns a matplotlib Figure, draws its words in Dutch or English, and
never draws a group smaller than the minimum group size (that of the Responses, else 5):
such groups are left out and named in a note on the chart. Contact heatmaps and
importance-performance quadrants are in :mod:`cxresearch.viz.operations`.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .._numbers import number
from ..stats._check import StatsInputError, as_scores, shown
from ._common import (GROUP_COLOURS, PALETTE, add_note, check_lang, min_group_size_of,
                      pyplot, style_axes, wrap)
from ._words import _t

__all__ = ["before_after", "likert_bars", "nps_distribution"]


def _frame(data: Any, name: str = "data") -> tuple[pd.DataFrame, Any]:
    if isinstance(data, pd.DataFrame):
        return data, None
    frame = getattr(data, "data", None)
    if isinstance(frame, pd.DataFrame) and hasattr(data, "survey"):
        return frame, data
    raise StatsInputError(f"{name} must be Responses (cxresearch.data.read_responses) or a "
                          f"DataFrame, not {type(data).__name__}")


def _check_fields(frame: pd.DataFrame, fields: Any, argument: str = "fields") -> list[str]:
    if isinstance(fields, str):
        fields = [fields]
    if not isinstance(fields, Sequence) or len(fields) == 0:
        raise StatsInputError(f"{argument} must name one or more columns, not "
                              f"{shown(fields)}")
    missing = [f for f in fields if f not in frame.columns]
    if missing:
        cols = ", ".join(map(str, list(frame.columns)[:12]))
        raise StatsInputError(f"{argument}: no column {missing[0]!r} in the data; columns: "
                              f"{cols}{', ...' if frame.shape[1] > 12 else ''}")
    return list(fields)


def _numbers(series: pd.Series, argument: str) -> np.ndarray:
    from ..stats._verdict_data import _numeric

    return _numeric(series, argument).to_numpy(dtype="float64")


def _hidden_note(fig: Any, names: list[str], k: int, lang: str) -> None:
    text = _t("note_min_group", lang, k=k)
    if names:
        text += " " + _t("note_hidden", lang, k=k, names=", ".join(names))
    add_note(fig, wrap(text, 160, 2))


def _fmt(value: float, lang: str, digits: int = 0, sign: bool = False) -> str:
    return number(value, lang, digits, sign=sign, grouping=False)


# -- Likert bars ------------------------------------------------------------------------
def likert_bars(data: Any, fields: str | Sequence[str], *, lang: str = "nl",
                labels: Mapping[str, str] | None = None,
                min_group_size: int | None = None) -> Any:
    """Diverging stacked bars of Likert answers, centred on the neutral point.

    Parameters
    ----------
    data : Responses or DataFrame
        The answers. With Responses the scale's point labels and the questions' labels
        come from the survey; with a DataFrame the points are the values found.
    fields : str or list of str
        The answer columns, one bar each, top to bottom; all on the same scale.
    lang : {"nl", "en"}
    labels : dict of str to str, optional
        A bar label per field (default: the question label, else the field name).
    min_group_size : int, optional
        Default that of the Responses, else 5. A field with fewer answers is not drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per field drawn (``gid`` ``likert:<field>`` on its segments). Disagree
        runs left of zero, agree right; the neutral point's share is split over both
        sides (odd scales).
    """
    lang = check_lang(lang)
    frame, responses = _frame(data)
    fields = _check_fields(frame, fields)
    if len(frame) == 0:
        raise StatsInputError("data has no rows: there is nothing to draw")
    k = min_group_size_of(data, min_group_size)
    points, point_labels = _likert_scale(frame, responses, fields, lang)
    bar_labels = {f: (labels or {}).get(f) or _question_label(responses, f, lang)
                  for f in fields}
    shares, hidden = {}, []
    for f in fields:
        values = _numbers(frame[f], f"fields '{f}'")
        values = values[~np.isnan(values)]
        bad = values[~np.isin(values, points)]
        if bad.size:
            raise StatsInputError(f"fields: '{f}' holds {bad.size} answer(s) outside the "
                                  f"scale {points[0]:g}..{points[-1]:g}, e.g. {bad[0]:g}")
        if values.size < k:
            hidden.append(bar_labels[f])
            continue
        counts = np.array([(values == p).sum() for p in points], dtype="float64")
        shares[f] = (100 * counts / counts.sum(), int(values.size))
    if not shares:
        raise StatsInputError(f"every field has fewer than {k} answers (the minimum group "
                              f"size): no bar can be shown")
    plt = pyplot("Drawing Likert bars")
    from matplotlib.colors import LinearSegmentedColormap

    n_pts = len(points)
    cmap = LinearSegmentedColormap.from_list(
        "cx_likert", [PALETTE["detractor"], "#e9d9cf", "#d9dde2", "#cddbe8", PALETTE["band"]])
    colours: list[Any] = [cmap(i / (n_pts - 1)) for i in range(n_pts)]
    if n_pts % 2 == 1:
        colours[n_pts // 2] = "#d9dde2"
    drawn = [f for f in fields if f in shares]
    fig, ax = plt.subplots(figsize=(10.5, 1.3 + 0.52 * len(drawn)))
    half = n_pts // 2
    for row, f in enumerate(drawn):
        pct, n = shares[f]
        y = len(drawn) - 1 - row
        neutral = pct[half] if n_pts % 2 == 1 else 0.0
        left = -(pct[:half].sum() + neutral / 2)
        for i in range(n_pts):
            ax.barh(y, pct[i], left=left, height=0.62, color=colours[i], edgecolor="white",
                    linewidth=0.8, gid=f"likert:{f}")
            if pct[i] >= 6:
                dark = i < half * 0.5 or i >= n_pts - max(1, half // 2)
                ax.text(left + pct[i] / 2, y, f"{pct[i]:.0f}", ha="center", va="center",
                        fontsize=7.5, color="white" if dark else PALETTE["ink"])
            left += pct[i]
        ax.text(1.01, y, f"n = {n}", transform=ax.get_yaxis_transform(), va="center",
                fontsize=7.5, color=PALETTE["muted"])
    ax.set_yticks(range(len(drawn))[::-1],
                  [wrap(bar_labels[f], 46, 2) for f in drawn], fontsize=8.5)
    ax.axvline(0, color=PALETTE["ink"], linewidth=0.8)
    ax.set_xlim(-100, 100)
    ticks = [-100, -75, -50, -25, 0, 25, 50, 75, 100]
    ax.set_xticks(ticks, [str(abs(t)) for t in ticks])
    ax.set_xlabel(_t("likert_axis", lang), fontsize=8, color=PALETTE["muted"])
    style_axes(ax)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0, labelcolor=PALETTE["ink"])
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    ax.legend(handles, [wrap(lab, 22, 2) for lab in point_labels], loc="lower center",
              bbox_to_anchor=(0.5, 1.0), ncol=n_pts, frameon=False, fontsize=7.5)
    fig.suptitle(_t("likert_title", lang), x=0.01, ha="left", fontsize=12,
                 fontweight="bold", color=PALETTE["ink"])
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    _hidden_note(fig, hidden, k, lang)
    return fig


def _likert_scale(frame: pd.DataFrame, responses: Any, fields: list[str],
                  lang: str) -> tuple[np.ndarray, list[str]]:
    if responses is not None:
        scales = []
        for f in fields:
            try:
                q = responses.survey.question(f)
            except KeyError:
                q = None
            if q is None or q.scale is None:
                raise StatsInputError(f"fields: '{f}' is not a Likert question of survey "
                                      f"'{responses.survey.id}'; Likert bars need a scale "
                                      f"(likert or likert_matrix questions)")
            scales.append(q.scale)
        if len({tuple(s.values()) for s in scales}) > 1:
            raise StatsInputError("fields must share one scale; these have "
                                  + ", ".join(f"{f}: {s.points} points"
                                              for f, s in zip(fields, scales)))
        scale = scales[0]
        words = [_lang_text(lab, lang) or str(v)
                 for lab, v in zip(scale.labels, scale.values())]
        return np.array(scale.values(), dtype="float64"), words
    values = np.concatenate([_numbers(frame[f], f"fields '{f}'") for f in fields])
    found = np.unique(values[~np.isnan(values)])
    if found.size < 2:
        raise StatsInputError("fields hold fewer than two different answers: no scale to "
                              "draw (pass Responses to take the scale from the survey)")
    points = np.arange(found.min(), found.max() + 1) if np.all(found == np.round(found)) \
        else found
    return points.astype("float64"), [f"{p:g}" for p in points]


def _lang_text(text: Mapping[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or next((v for v in text.values() if v), "")


def _question_label(responses: Any, field: str, lang: str) -> str:
    if responses is None:
        return field
    try:
        q = responses.survey.question(field)
    except KeyError:
        return field
    for item in q.items:
        if item.id == field:
            return _lang_text(item.label, lang) or field
    return _lang_text(q.label, lang) or field


# -- NPS distribution -------------------------------------------------------------------
def nps_distribution(scores: Any, *, by: Any = None, lang: str = "nl", field: str = "nps",
                     min_group_size: int | None = None) -> Any:
    """Bars of the 0-10 answers, coloured detractor / passive / promoter, with the NPS.

    Parameters
    ----------
    scores : Responses, DataFrame or sequence
        Answers 0-10: the column ``field`` of Responses or a DataFrame, or the answers
        themselves (list, array, Series).
    by : str or sequence, optional
        A column of ``scores`` (or, for plain answers, one group label per answer): one
        panel per group, each with its own NPS in its title.
    lang : {"nl", "en"}
    field : str
        The NPS column of Responses or a DataFrame (default ``"nps"``).
    min_group_size : int, optional
        Default that of the Responses, else 5. Smaller groups are not drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per group shown; the NPS (with its interval, adjusted Wald, from
        :func:`cxresearch.stats.nps`) in the figure title or each panel's.
    """
    from ..stats import nps

    lang = check_lang(lang)
    k = min_group_size_of(scores, min_group_size)
    if isinstance(scores, pd.DataFrame) or hasattr(scores, "survey"):
        frame, _ = _frame(scores, "scores")
        _check_fields(frame, [field], "field")
        values = pd.Series(_numbers(frame[field], f"field '{field}'"), index=frame.index)
        if by is not None:
            if isinstance(by, str):
                _check_fields(frame, [by], "by")
                groups = frame[by]
            else:
                groups = pd.Series(list(by), index=frame.index) if len(by) == len(frame) \
                    else None
                if groups is None:
                    raise StatsInputError(f"by must be a column of scores or one label per "
                                          f"answer ({len(frame)}); got {len(by)} labels")
    else:
        if isinstance(scores, (str, bytes)) or np.isscalar(scores):
            raise StatsInputError(f"scores must be Responses, a DataFrame or a sequence of "
                                  f"answers 0-10, not {shown(scores)}")
        values = pd.Series(np.asarray(pd.to_numeric(pd.Series(list(scores)), errors="coerce"),
                                      dtype="float64"))
        if by is not None:
            if isinstance(by, str) or len(by) != len(values):
                raise StatsInputError(f"by must give one group label per answer "
                                      f"({len(values)}) when scores are plain answers")
            groups = pd.Series(list(by))
    if values.notna().sum() == 0:
        raise StatsInputError("scores hold no answers: there is nothing to draw")
    as_scores(values, "scores", (0, 10))  # an answer outside 0-10 is an error
    parts: list[tuple[Any, np.ndarray]]
    if by is None:
        parts = [(None, values.dropna().to_numpy())]
    else:
        keep = groups.notna().to_numpy()
        sub = values[keep]
        labels = groups[keep].astype(str)
        parts = [(g, sub[(labels == g).to_numpy()].dropna().to_numpy())
                 for g in dict.fromkeys(labels.tolist())]
    hidden = [str(g) for g, v in parts if v.size < k]
    parts = [(g, v) for g, v in parts if v.size >= k]
    if not parts:
        raise StatsInputError(f"every group has fewer than {k} answers (the minimum group "
                              f"size): nothing can be shown")
    plt = pyplot("Drawing an NPS distribution")
    ncols = min(3, len(parts))
    nrows = math.ceil(len(parts) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols + 0.6, 3.0 * nrows + 1.0),
                             sharey=True, squeeze=False)
    colours = [PALETTE["detractor"]] * 7 + [PALETTE["passive"]] * 2 + [PALETTE["promoter"]] * 2
    for ax, (group, v) in zip(axes.flat, parts):
        counts = np.array([(v == p).sum() for p in range(11)], dtype="float64")
        pct = 100 * counts / counts.sum()
        ax.bar(range(11), pct, color=colours, width=0.78, gid="nps_bar")
        result = nps(v)
        value = _fmt(result.estimate, lang, sign=True)
        ci = f" [{_fmt(result.ci_low, lang, sign=True)}; {_fmt(result.ci_high, lang, sign=True)}]"
        if group is not None:
            ax.set_title(_t("nps_panel", lang, group=group, value=value + ci, n=v.size),
                         fontsize=9.5, loc="left", color=PALETTE["ink"])
        else:
            fig.suptitle(_t("nps_title", lang, value=value + ci, n=v.size), x=0.01,
                         ha="left", fontsize=12, fontweight="bold", color=PALETTE["ink"])
        ax.set_xticks(range(11))
        style_axes(ax)
        ax.set_xlabel(_t("nps_x", lang), fontsize=8, color=PALETTE["muted"])
    for ax in axes.flat[len(parts):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(_t("nps_y", lang), fontsize=8, color=PALETTE["muted"])
    if by is not None:
        fig.suptitle("Net Promoter Score", x=0.01, ha="left", fontsize=12,
                     fontweight="bold", color=PALETTE["ink"])
    handles = [plt.Rectangle((0, 0), 1, 1, color=PALETTE[c])
               for c in ("detractor", "passive", "promoter")]
    fig.legend(handles, [_t(c, lang) for c in ("detractor", "passive", "promoter")],
               loc="lower right", ncol=3, frameon=False, fontsize=8,
               bbox_to_anchor=(0.99, 0.005))
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    _hidden_note(fig, hidden, k, lang)
    return fig


# -- before / after ---------------------------------------------------------------------
def before_after(responses: Any, *, group: str = "wave", before: Any = None,
                 after: Any = None, item: str = "touchpoint_satisfaction", lang: str = "nl",
                 journey: Any = None) -> Any:
    """Per touchpoint the mean before and after, with intervals (a dumbbell plot).

    Parameters
    ----------
    responses : Responses
        Answers of both groups (e.g. two waves stacked with ``Responses.concat``).
    group : str
        The column that tells the groups apart (default ``"wave"``).
    before, after : optional
        The two values of ``group`` to compare; default the first two found (there
        must then be exactly two).
    item : str
        Item-bank id of the score per touchpoint (default
        ``"touchpoint_satisfaction"``), as :func:`cxresearch.stats.touchpoint_scores`.
    lang : {"nl", "en"}
    journey : Journey, optional
        Names the touchpoints (default: the titles of the survey's blocks).

    Returns
    -------
    matplotlib.figure.Figure
        One row per touchpoint; a point (``gid`` ``before:<touchpoint>`` /
        ``after:<touchpoint>``) with its interval per group, joined by a line. A group
        below the minimum group size shows "n < k" instead of a point.
    """
    from ..stats._touchpoints import touchpoint_scores

    lang = check_lang(lang)
    _frame(responses, "responses")
    table = touchpoint_scores(responses, item, by=group)
    table = table[table[group].notna()]
    found = list(dict.fromkeys(table[group].tolist()))
    if before is None and after is None:
        if len(found) != 2:
            raise StatsInputError(f"group={group!r} has {len(found)} value(s) "
                                  f"({', '.join(map(str, found))}); name the two to compare "
                                  f"with before= and after=")
        before, after = found
    for name, value in (("before", before), ("after", after)):
        if value not in found:
            raise StatsInputError(f"{name}={value!r} is not a value of column {group!r}; "
                                  f"values: {', '.join(map(repr, found))}")
    k = int(table.attrs.get("min_group_size", 5))
    tps = list(dict.fromkeys(table["touchpoint"]))
    names = {tid: _touchpoint_name(responses, journey, tid, lang) for tid in tps}
    plt = pyplot("Drawing a before/after plot")
    fig, ax = plt.subplots(figsize=(10, 1.5 + 0.5 * len(tps)))
    low = float(table["scale_low"].min())
    high = float(table["scale_high"].max())
    hidden = []
    for row, tid in enumerate(tps):
        y = len(tps) - 1 - row
        ax.axhline(y, color=PALETTE["rule"], linewidth=0.5, zorder=0)
        means = []
        for g, (value, colour, dy) in enumerate(((before, GROUP_COLOURS[0], 0.12),
                                                 (after, GROUP_COLOURS[1], -0.12))):
            sel = table[(table["touchpoint"] == tid) & (table[group] == value)]
            if sel.empty:
                means.append(math.nan)
                continue
            r = sel.iloc[0]
            if bool(r["suppressed"]) or math.isnan(r["estimate"]):
                ax.text(high, y + dy, _t("suppressed", lang, k=k) + f" ({value})",
                        ha="right", va="center", fontsize=7, color=colour,
                        fontstyle="italic", gid=f"suppressed:{tid}")
                hidden.append(f"{names[tid]} ({value})")
                means.append(math.nan)
                continue
            means.append(float(r["estimate"]))
            if not math.isnan(r["ci_low"]):
                ax.plot([r["ci_low"], r["ci_high"]], [y + dy, y + dy], color=colour,
                        linewidth=1.6, solid_capstyle="butt", alpha=0.8)
            ax.plot([r["estimate"]], [y + dy], marker="o", markersize=7, color=colour,
                    markeredgecolor="white", zorder=3,
                    gid=f"{'before' if g == 0 else 'after'}:{tid}")
            ax.text(1.01, y + dy, f"n = {int(r['n'])}", transform=ax.get_yaxis_transform(),
                    va="center", fontsize=6.5, color=colour)
        if not any(math.isnan(m) for m in means):
            ax.annotate("", (means[1], y - 0.12), (means[0], y + 0.12),
                        arrowprops={"arrowstyle": "-|>", "color": PALETTE["faint"],
                                    "linewidth": 1.0, "shrinkA": 4, "shrinkB": 4})
    ax.set_yticks(range(len(tps))[::-1], [wrap(names[t], 40, 2) for t in tps], fontsize=8.5)
    if math.isfinite(low) and math.isfinite(high) and high > low:
        ax.set_xlim(low - 0.05 * (high - low), high + 0.05 * (high - low))
    style_axes(ax)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0, labelcolor=PALETTE["ink"])
    level = int(round(100 * float(table.attrs.get("level", 0.95))))
    ax.set_xlabel(_t("ba_axis", lang, low=low, high=high, level=level), fontsize=8,
                  color=PALETTE["muted"])
    word = (_t(f"item_{item}", lang) if item in ("touchpoint_satisfaction",
                                                 "touchpoint_effort") else item)
    fig.suptitle(_t("ba_title", lang, item=word[:1].upper() + word[1:], before=before,
                    after=after), x=0.01, ha="left", fontsize=12, fontweight="bold",
                 color=PALETTE["ink"])
    from matplotlib.lines import Line2D

    ax.legend([Line2D([], [], marker="o", color=c, linestyle="none") for c in GROUP_COLOURS[:2]],
              [str(before), str(after)], loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=2, frameon=False, fontsize=8.5)
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    _hidden_note(fig, hidden, k, lang)
    return fig


def _touchpoint_name(responses: Any, journey: Any, tid: str, lang: str) -> str:
    if journey is not None:
        return str(journey.label(tid, lang))
    for block in responses.survey.blocks:
        if block.touchpoint == tid and block.title:
            return _lang_text(block.title, lang) or tid
    return tid
