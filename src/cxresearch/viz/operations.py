"""Charts for steering: contact arrivals by hour and weekday, and the
importance-performance quadrant of the drivers.

As every chart of :mod:`cxresearch.viz`: a matplotlib Figure, words in Dutch or English,
and no group smaller than the minimum group size drawn (a note says so).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .._numbers import number
from ..stats._check import StatsInputError, shown
from ._common import PALETTE, add_note, check_lang, min_group_size_of, pyplot, style_axes, wrap
from ._words import WEEKDAYS, _t

__all__ = ["IPA_REQUIRED", "QUADRANT_COLOURS", "contact_heatmap", "quadrant_plot"]

IPA_REQUIRED = ("driver", "label", "importance", "importance_low", "importance_high",
                "performance", "performance_low", "performance_high", "performance_pct", "n",
                "quadrant")
"""Columns :func:`quadrant_plot` needs (those of
:func:`cxresearch.stats.importance_performance`)."""

QUADRANT_COLOURS = {"concentrate": "#c8553d", "keep_up": "#2f7d5b",
                    "low_priority": "#7a8793", "possible_overkill": "#c77d0a"}
"""Colour per quadrant."""


def contact_heatmap(contacts: pd.DataFrame, *, timestamp: str = "timestamp",
                    lang: str = "nl", min_group_size: int | None = None) -> Any:
    """Contacts (calls, chats, visits) by hour of day and day of week, as a heatmap.

    Parameters
    ----------
    contacts : DataFrame
        One row per contact (an anonymous contact log), e.g. the ``contacts.csv`` of
        the examples.
    timestamp : str
        The column with the moment of arrival (datetimes or text pandas can parse).
    lang : {"nl", "en"}
        Language of the weekday names and the words.
    min_group_size : int, optional
        Cells with 1 to ``min_group_size - 1`` contacts are hidden (hatched), default 5.

    Returns
    -------
    matplotlib.figure.Figure
        Rows Monday to Sunday, columns hours 0 to 23, each cell the number of contacts.
    """
    lang = check_lang(lang)
    if not isinstance(contacts, pd.DataFrame):
        raise StatsInputError(f"contacts must be a DataFrame with one row per contact, not "
                              f"{type(contacts).__name__}")
    if timestamp not in contacts.columns:
        cols = ", ".join(map(str, list(contacts.columns)[:12]))
        raise StatsInputError(f"timestamp={timestamp!r} is not a column of contacts; "
                              f"columns: {cols}")
    if len(contacts) == 0:
        raise StatsInputError("contacts has no rows: there is nothing to draw")
    k = min_group_size_of(contacts, min_group_size)
    moments = pd.to_datetime(contacts[timestamp], errors="coerce")
    bad = moments.isna() & contacts[timestamp].notna()
    if bad.any():
        raise StatsInputError(f"timestamp column {timestamp!r}: {int(bad.sum())} value(s) "
                              f"are not dates and times, e.g. "
                              f"{shown(contacts[timestamp][bad].iloc[0])}")
    moments = moments.dropna()
    if moments.empty:
        raise StatsInputError(f"timestamp column {timestamp!r} holds no moments")
    counts = pd.crosstab(moments.dt.day_of_week, moments.dt.hour)
    counts = counts.reindex(index=range(7), columns=range(24), fill_value=0)
    counts = counts.astype("float64")  # sns.heatmap fails on nullable Float64
    hidden = (counts > 0) & (counts < k)
    shown_counts = counts.mask(hidden)
    plt = pyplot("Drawing a contact heatmap")
    sns = __import__("seaborn")
    fig, ax = plt.subplots(figsize=(13, 4.6))
    ax.patch.set_facecolor(PALETTE["nodata"])
    ax.patch.set_hatch("////")
    ax.patch.set_edgecolor(PALETTE["faint"])
    big = float(np.nanmax(shown_counts.to_numpy())) if shown_counts.notna().any().any() else 1
    sns.heatmap(shown_counts, ax=ax, cmap="Blues", linewidths=0.6, linecolor="white",
                annot=True, fmt=".0f", annot_kws={"fontsize": 6.5}, vmin=0, vmax=big,
                cbar_kws={"label": _t("heat_count", lang), "shrink": 0.85})
    ax.set_yticks(np.arange(7) + 0.5, WEEKDAYS[lang], rotation=0, fontsize=8.5)
    ax.set_xticks(np.arange(24) + 0.5, [f"{h:02d}" for h in range(24)], fontsize=8)
    ax.set_xlabel(_t("heat_hour", lang), fontsize=8.5, color=PALETTE["muted"])
    ax.set_ylabel("")
    ax.tick_params(length=0, colors=PALETTE["ink"])
    total = number(len(moments), lang, 0)
    fig.suptitle(_t("heat_title", lang, n=total), x=0.01, ha="left", fontsize=12,
                 fontweight="bold", color=PALETTE["ink"])
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    note = _t("note_cells", lang, k=k, k1=k - 1) if k > 1 else ""
    add_note(fig, note)
    return fig


def quadrant_plot(table: pd.DataFrame, *, lang: str = "nl",
                  min_group_size: int | None = None) -> Any:
    """Importance-performance quadrant plot of the drivers (Martilla & James, 1977).

    Parameters
    ----------
    table : DataFrame
        The result of :func:`cxresearch.stats.importance_performance`: columns
        :data:`IPA_REQUIRED` (``driver, label, importance, importance_low,
        importance_high, performance, performance_low, performance_high,
        performance_pct, n, quadrant``); ``quadrant`` one of ``concentrate``,
        ``keep_up``, ``low_priority``, ``possible_overkill``. The cross-hairs are at
        ``attrs["importance_cut"]`` and ``attrs["performance_cut"]`` when given, else at
        the means.
    lang : {"nl", "en"}
    min_group_size : int, optional
        Drivers with fewer than this many respondents (``n``) are not drawn; default 5.

    Returns
    -------
    matplotlib.figure.Figure
        Importance (share of R², %) across, performance (0-100 when every
        ``performance_pct`` is known, else the mean) up; each driver a point with both
        intervals (``gid`` ``driver:<driver>``), coloured by quadrant.
    """
    lang = check_lang(lang)
    if not isinstance(table, pd.DataFrame):
        raise StatsInputError(f"table must be the DataFrame of importance_performance(), "
                              f"not {type(table).__name__}")
    missing = [c for c in IPA_REQUIRED if c not in table.columns]
    if missing:
        raise StatsInputError(f"table lacks the column(s) {', '.join(missing)}; a quadrant "
                              f"plot needs {', '.join(IPA_REQUIRED)} (as "
                              f"cxresearch.stats.importance_performance gives)")
    if len(table) == 0:
        raise StatsInputError("table has no rows: there is nothing to draw")
    unknown = sorted(set(table["quadrant"].dropna()) - set(QUADRANT_COLOURS))
    if unknown:
        raise StatsInputError(f"table: quadrant must be one of "
                              f"{', '.join(map(repr, QUADRANT_COLOURS))}; got "
                              f"{', '.join(map(repr, unknown))}")
    k = min_group_size_of(table, min_group_size)
    small = table["n"].astype("float64") < k
    hidden = [str(x) for x in table.loc[small, "label"]]
    rows = table.loc[~small]
    if rows.empty:
        raise StatsInputError(f"every driver has fewer than {k} respondents (the minimum "
                              f"group size): nothing can be shown")
    pct = bool(rows["performance_pct"].notna().all())
    scales = table.attrs.get("scales") or {}
    plt = pyplot("Drawing a quadrant plot")
    fig, ax = plt.subplots(figsize=(9.5, 7))
    xs, ys = [], []
    for r in rows.itertuples(index=False):
        x, x_lo, x_hi = 100 * r.importance, 100 * r.importance_low, 100 * r.importance_high
        if pct:
            y = float(r.performance_pct)
            lo_hi = scales.get(r.driver)
            if lo_hi and lo_hi[1] > lo_hi[0]:
                f = 100 / (lo_hi[1] - lo_hi[0])
                y_lo, y_hi = (r.performance_low - lo_hi[0]) * f, (r.performance_high - lo_hi[0]) * f
            else:
                y_lo = y_hi = math.nan
        else:
            y, y_lo, y_hi = r.performance, r.performance_low, r.performance_high
        colour = QUADRANT_COLOURS.get(r.quadrant, PALETTE["muted"])
        if not (math.isnan(x_lo) or math.isnan(x_hi)):
            ax.plot([x_lo, x_hi], [y, y], color=colour, alpha=0.45, linewidth=1.3)
        if not (math.isnan(y_lo) or math.isnan(y_hi)):
            ax.plot([x, x], [y_lo, y_hi], color=colour, alpha=0.45, linewidth=1.3)
        ax.plot([x], [y], marker="o", markersize=8, color=colour, markeredgecolor="white",
                zorder=3, gid=f"driver:{r.driver}")
        xs.append(x)
        ys.append(y)
    x_cut = 100 * float(table.attrs.get("importance_cut", table["importance"].mean()))
    on = "performance_pct" if pct else "performance"
    y_cut = float(table.attrs.get("performance_cut", rows[on].mean())) \
        if table.attrs.get("performance_cut_on", on) == on else float(rows[on].mean())
    ax.axvline(x_cut, color=PALETTE["faint"], linewidth=1, linestyle="--", zorder=0)
    ax.axhline(y_cut, color=PALETTE["faint"], linewidth=1, linestyle="--", zorder=0)
    labels = [ax.annotate(wrap(str(r.label), 28, 2), (x, y), xytext=(7, 4),
                          textcoords="offset points", fontsize=7.8, color=PALETTE["ink"],
                          gid="driver_label")
              for r, x, y in zip(rows.itertuples(index=False), xs, ys)]
    style_axes(ax)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ax.set_xlim(min(0, x0), x1 + 0.12 * (x1 - x0))
    x0, x1 = ax.get_xlim()
    corners = {"concentrate": (x1, y0, "right", "bottom"),
               "keep_up": (x1, y1, "right", "top"),
               "low_priority": (x0, y0, "left", "bottom"),
               "possible_overkill": (x0, y1, "left", "top")}
    for q, (cx, cy, ha, va) in corners.items():
        ax.text(cx, cy, _t(f"q_{q}", lang), ha=ha, va=va, fontsize=9, fontweight="bold",
                color=QUADRANT_COLOURS[q], alpha=0.9)
    ax.set_xlabel(_t("ipa_x", lang), fontsize=8.5, color=PALETTE["muted"])
    ax.set_ylabel(_t("ipa_y_pct" if pct else "ipa_y", lang), fontsize=8.5,
                  color=PALETTE["muted"])
    fig.suptitle(_t("ipa_title", lang), x=0.01, ha="left", fontsize=12, fontweight="bold",
                 color=PALETTE["ink"])
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    _separate(fig, labels)
    text = _t("note_min_group", lang, k=k)
    if hidden:
        text += " " + _t("note_hidden", lang, k=k, names=", ".join(hidden))
    add_note(fig, wrap(text, 150, 2))
    return fig


def _separate(fig: Any, labels: list[Any], rounds: int = 40) -> None:
    """Nudge overlapping labels apart vertically (a few passes in display space)."""
    if len(labels) < 2:
        return
    if not hasattr(fig.canvas, "get_renderer"):  # not an Agg canvas: leave them
        return
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for _ in range(rounds):
        moved = False
        boxes = [t.get_window_extent(renderer) for t in labels]
        for i in range(len(labels)):
            for j in range(i + 1, len(labels)):
                a, b = boxes[i], boxes[j]
                if a.overlaps(b):
                    upper, lower = (i, j) if a.y0 >= b.y0 else (j, i)
                    step = (min(a.y1, b.y1) - max(a.y0, b.y0)) / 2 + 1
                    for idx, sign in ((upper, 1), (lower, -1)):
                        ox, oy = labels[idx].xyann
                        labels[idx].xyann = (ox, oy + sign * step * 72 / fig.dpi)
                    moved = True
                    boxes = [t.get_window_extent(renderer) for t in labels]
        if not moved:
            break
