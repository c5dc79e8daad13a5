"""The journey map: stages, touchpoints, the customer lane, the emotion curve and the
employee lane, in one figure a consultant can put in front of a client.

Our own drawing code (no plotting library draws journey maps): matplotlib only, laid out
in inches so that every text is wrapped to the width of its column and every lane gets
the height its longest text needs. Nothing is drawn for a group smaller than the minimum
group size: such a touchpoint shows "n < 5" instead of a value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .._numbers import number
from ..stats._check import StatsInputError, shown
from ._common import GROUP_COLOURS, PALETTE, check_lang, first_sentence, pyplot, wrap
from ._words import _t

__all__ = ["journey_map"]

# sizes in inches and points
_LEFT, _RIGHT, _COL = 1.5, 1.2, 1.55  # margins, default column width
_PAD = 0.07  # padding inside a card
_GAP = 0.05  # between cards
_LANE_GAP = 0.12
_MAX_GROUPS = len(GROUP_COLOURS)
_ENABLE_COLOURS = ("#cf6a43", "#f3efe6", "#3f82b8")  # low .. neutral .. high


@dataclass
class _Part:
    """One paragraph of a card: its text (already wrapped) and its style."""

    text: str
    size: float
    weight: str = "normal"
    style: str = "normal"
    colour: str = PALETTE["ink"]
    gid: str | None = None

    @property
    def height(self) -> float:  # inches
        if not self.text:
            return 0.0
        return (self.text.count("\n") + 1) * self.size * 1.22 / 72


def _chars(width_in: float, size: float, bold: bool = False) -> int:
    """How many characters of ``size`` points fit on a line ``width_in`` inches wide."""
    return max(6, int(width_in * 72 / (size * (0.64 if bold else 0.58))))


def _stack_height(parts: Sequence[_Part]) -> float:
    shown_parts = [p for p in parts if p.text]
    return sum(p.height for p in shown_parts) + 0.045 * max(0, len(shown_parts) - 1)


def _draw_stack(ax: Any, x: float, y: float, parts: Sequence[_Part]) -> None:
    """Draw ``parts`` top-down from ``(x, y)`` (inches; the lane's y axis points down)."""
    for part in parts:
        if not part.text:
            continue
        ax.text(x, y, part.text, ha="left", va="top", fontsize=part.size,
                fontweight=part.weight, fontstyle=part.style, color=part.colour,
                linespacing=1.22, gid=part.gid)
        y += part.height + 0.045


def _check_inputs(journey: Any, responses: Any, employees: Any, by: Any,
                  figsize: Any) -> Any:
    from ..journey import Journey

    if isinstance(journey, (str, Path)):
        journey = Journey.load(journey)
    if not isinstance(journey, Journey):
        raise StatsInputError(f"journey must be a Journey (cxresearch.journey.Journey.load"
                              f"('journey.yaml')) or the path of journey.yaml, not "
                              f"{type(journey).__name__}")
    if not journey.touchpoints():
        raise StatsInputError(f"journey '{journey.id}' has no touchpoints: add touchpoints "
                              f"to its stages in journey.yaml before drawing the map")
    for name, value in (("responses", responses), ("employees", employees)):
        if value is not None and not (hasattr(value, "survey") and hasattr(value, "data")):
            raise StatsInputError(f"{name} must be Responses (read with cxresearch.data."
                                  f"read_responses) or None, not {type(value).__name__}")
    if by is not None and responses is None:
        raise StatsInputError(f"by={by!r} needs responses: pass the customer answers")
    if by is not None and not isinstance(by, str):
        raise StatsInputError(f"by must be one column name (e.g. 'wave'), not {shown(by)}")
    if figsize is not None:
        ok = isinstance(figsize, (tuple, list)) and len(figsize) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
            for v in figsize)
        if not ok:
            raise StatsInputError(f"figsize must be (width, height) in inches, not "
                                  f"{shown(figsize)}")
    return journey


def _scores(journey: Any, responses: Any, item: str, by: str | None) -> Any:
    from ..stats._touchpoints import touchpoint_scores

    table = touchpoint_scores(responses, item, by=by)
    known = set(journey.touchpoint_ids())
    if not known & set(table["touchpoint"]):
        raise StatsInputError(
            f"none of the touchpoints scored in survey '{table.attrs.get('survey')}' "
            f"({', '.join(dict.fromkeys(table['touchpoint']))}) is in journey "
            f"'{journey.id}' ({', '.join(journey.touchpoint_ids())}): draw the journey the "
            f"survey links to")
    if by is not None:
        table = table[table[by].notna()]
        groups = list(dict.fromkeys(table[by].tolist()))
        if len(groups) > _MAX_GROUPS:
            raise StatsInputError(
                f"by={by!r} has {len(groups)} groups ({', '.join(map(str, groups[:8]))}); "
                f"the emotion curve shows at most {_MAX_GROUPS}: filter the responses "
                f"first")
    return table


def journey_map(journey: Any, responses: Any = None, employees: Any = None, *,
                lang: str = "nl", item: str = "touchpoint_satisfaction",
                by: str | None = None,
                figsize: tuple[float, float] | None = None) -> Any:
    """Draw a journey map: stages, touchpoints, customer lane, emotion curve, employees.

    Parameters
    ----------
    journey : Journey or path
        The journey (``Journey.load("journey.yaml")``) or the path of its file.
    responses : Responses, optional
        Customer answers whose survey links blocks to the journey's touchpoints. The
        emotion curve is then the mean ``item`` per touchpoint with its interval and n;
        without them it is the journey's planned ``valence`` (dashed), so the map works
        as a planning canvas.
    employees : Responses, optional
        Employee answers with an enablement matrix per touchpoint; the employee cards are
        then coloured by the mean enablement (:func:`cxresearch.stats.enablement_scores`),
        with a colour bar.
    lang : {"nl", "en"}
        Language of every text on the map.
    item : str
        Item-bank id of the customer score (default ``"touchpoint_satisfaction"``).
    by : str, optional
        A column of ``responses`` (e.g. ``"wave"``): one curve per group (at most four),
        side by side per touchpoint.
    figsize : (float, float), optional
        Width and height in inches. Default: 1.55 in per touchpoint and the height the
        texts need. A given width sets the column width; a given height must leave at
        least 1.1 in for the emotion curve.

    Returns
    -------
    matplotlib.figure.Figure
        Artists carry ``gid`` s for tests and post-editing: ``touchpoint_card``,
        ``touchpoint_label``, ``moment_of_truth`` (one star per moment of truth),
        ``score:<touchpoint>`` (a drawn mean), ``suppressed:<touchpoint>`` (the "n < k"
        shown instead of a suppressed mean), ``employee_card:<touchpoint>``.

    Notes
    -----
    Groups with fewer answers than the minimum group size of the responses (default 5)
    are never drawn: :func:`cxresearch.stats.touchpoint_scores` leaves their estimate
    missing, and the map says "n < 5" there. Colours: the employee cards run from orange
    (low enablement) through the scale's neutral point to blue (high); grey is no data.
    """
    lang = check_lang(lang)
    journey = _check_inputs(journey, responses, employees, by, figsize)
    plt = pyplot("Drawing a journey map")
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Patch, Rectangle

    scores = _scores(journey, responses, item, by) if responses is not None else None
    enable = None
    if employees is not None:
        from ..stats._touchpoints import enablement_scores

        enable = enablement_scores(employees)
    tps = journey.touchpoints()
    n_tp = len(tps)
    min_k: int = 5
    for source in (responses, employees):
        if source is not None:
            min_k = int(getattr(source, "min_group_size", 5))
            break

    # -- geometry ----------------------------------------------------------------------
    col = _COL if figsize is None else (float(figsize[0]) - _LEFT - _RIGHT) / n_tp
    if col < 0.9:
        raise StatsInputError(
            f"figsize width {figsize[0] if figsize else ''} leaves {col:.2f} in per "
            f"touchpoint for {n_tp} touchpoints; give at least "
            f"{_LEFT + _RIGHT + 0.9 * n_tp:.1f} in (0.9 in per touchpoint)")
    inner = col - 2 * _GAP - 2 * _PAD
    width = _LEFT + n_tp * col + _RIGHT

    # -- texts, wrapped to the columns ------------------------------------------------
    lab = journey.label

    def card_parts(tp: Any) -> list[_Part]:
        channel = _t(f"channel_{tp.channel}", lang) if tp.channel else ""
        dept = (tp.department or "").replace("_", " ")
        meta = " · ".join(x for x in (channel, dept) if x)
        name = lab(tp, lang)
        longest = max((len(w) for w in name.split()), default=1)
        size = next((s for s in (8.5, 8.0, 7.5) if longest <= _chars(inner - 0.12, s, True)),
                    7.0)
        return [_Part(wrap(name, _chars(inner - 0.12, size, True), 3), size, "bold",
                      gid="touchpoint_label"),
                _Part(wrap(meta, _chars(inner, 7), 2), 7, colour=PALETTE["muted"])]

    def customer_parts(tp: Any) -> list[_Part]:
        lane = tp.customer
        does = wrap(first_sentence(lab(lane.does, lang)), _chars(inner, 7.3), 4)
        feels = wrap(lab(lane.feels, lang), _chars(inner, 7.3), 3)
        pains = [lab(p, lang) for p in lane.pain_points]
        pain = ""
        if pains:
            head = (_t("pain_point", lang) if len(pains) == 1 else
                    _t("pain_points", lang, n=len(pains)))
            pain = "▲ " + head + "\n" + wrap(pains[0], _chars(inner, 6.8), 3)
        return [_Part(does, 7.3), _Part(feels, 7.3, style="italic", colour=PALETTE["muted"]),
                _Part(pain, 6.8, colour=PALETTE["pain"], gid="pain_points")]

    def employee_parts(tp: Any, score_line: str) -> list[_Part]:
        lane = tp.employee
        parts = [_Part(wrap(lab(lane.role, lang), _chars(inner, 7.5, True), 2), 7.5, "bold")]
        for need in ("information", "tools", "authority", "training"):
            text = lab(lane.needs.get(need, {}), lang)
            if text:
                parts.append(_Part(wrap(f"{_t('need_' + need, lang)}: {text}",
                                        _chars(inner, 6.6), 3), 6.6))
        parts.append(_Part(score_line, 6.8, "bold", colour=PALETTE["ink"]))
        return parts

    enable_rows: dict[str, Any] = {}
    if enable is not None:
        enable_rows = {row.touchpoint: row for row in enable.itertuples(index=False)}

    def score_line(tp: Any) -> str:
        if enable is None:
            return ""
        row = enable_rows.get(tp.id)
        if row is None:
            return _t("no_data", lang)
        if row.suppressed or math.isnan(row.estimate):
            return _t("suppressed", lang, k=min_k)
        return _t("enablement", lang, value=_num(row.estimate, lang), n=row.n)

    cards = [card_parts(tp) for tp in tps]
    customers = [customer_parts(tp) for tp in tps]
    employees_ = [employee_parts(tp, score_line(tp)) for tp in tps]
    stage_texts = []
    for stage in journey.stages:
        span = max(1, len(stage.touchpoints)) * col - 2 * _GAP - 2 * _PAD
        stage_texts.append(wrap(lab(stage, lang), _chars(span, 9.5, True), 2))
    stage_h = max(t.count("\n") + 1 for t in stage_texts) * 9.5 * 1.22 / 72 + 2 * _PAD + 0.04
    card_h = max(_stack_height(p) for p in cards) + 2 * _PAD + 0.02
    cust_h = max(_stack_height(p) for p in customers) + 2 * _PAD
    emp_h = max(_stack_height(p) for p in employees_) + 2 * _PAD
    title_h, legend_h, note_h = 0.78, 0.42, 0.26
    fixed = title_h + stage_h + card_h + cust_h + emp_h + legend_h + note_h + 5 * _LANE_GAP
    curve_h = 2.15 if by is None else 2.4
    height = fixed + curve_h
    if figsize is not None:
        width, height = float(figsize[0]), float(figsize[1])
        curve_h = height - fixed
        if curve_h < 1.1:
            raise StatsInputError(
                f"figsize height {figsize[1]:g} in is too small for this journey: the "
                f"lanes' texts need {fixed:.1f} in and the emotion curve at least 1.1 in; "
                f"give a height of at least {fixed + 1.1:.1f} (or leave figsize out)")

    fig = plt.figure(figsize=(width, height), facecolor="white")
    lanes_w = n_tp * col

    def lane_label(top: float, h: float, label: str) -> None:
        fig.text(0.15 / width, 1 - (top + h / 2) / height, label, ha="left",
                 va="center", fontsize=8.5, fontweight="bold", color=PALETTE["muted"],
                 gid="lane_label")

    def lane_axes(top: float, h: float, label: str | None) -> Any:
        ax = fig.add_axes((_LEFT / width, 1 - (top + h) / height, lanes_w / width,
                           h / height))
        ax.set_xlim(0, lanes_w)
        ax.set_ylim(h, 0)
        ax.set_axis_off()
        if label:
            lane_label(top, h, label)
        return ax

    # -- title ---------------------------------------------------------------------------
    fig.text(_LEFT / width, 1 - 0.16 / height, lab(journey.title, lang) or journey.id,
             ha="left", va="top", fontsize=15, fontweight="bold", color=PALETTE["ink"],
             gid="title")
    if scores is not None:
        level = int(round(100 * float(scores.attrs.get("level", 0.95))))
        subtitle = _t("subtitle_data", lang, item=_item_word(item, lang), level=level,
                      n=f"{len(responses.data):,}".replace(",", "." if lang == "nl" else ","))
        if employees is not None:
            subtitle += _t("subtitle_employees", lang, n=len(employees.data))
    else:
        level = 95
        subtitle = _t("subtitle_plan", lang)
    fig.text(_LEFT / width, 1 - 0.48 / height, subtitle, ha="left", va="top", fontsize=9,
             color=PALETTE["muted"], gid="subtitle")

    # -- stages ----------------------------------------------------------------------------
    top = title_h
    ax = lane_axes(top, stage_h, _t("lane_stage", lang))
    start = 0
    for k, (stage, text) in enumerate(zip(journey.stages, stage_texts)):
        span = len(stage.touchpoints)
        if span == 0:
            continue
        x0 = start * col + _GAP
        ax.add_patch(FancyBboxPatch((x0, 0.02), span * col - 2 * _GAP, stage_h - 0.04,
                                    boxstyle="round,pad=0,rounding_size=0.05",
                                    facecolor=PALETTE["band"] if k % 2 == 0 else
                                    PALETTE["band_alt"], edgecolor="none", gid="stage_band"))
        ax.text(x0 + (span * col - 2 * _GAP) / 2, stage_h / 2, text, ha="center",
                va="center", fontsize=9.5, fontweight="bold", color="white",
                linespacing=1.22, gid="stage_label")
        start += span
    boundaries = [sum(len(s.touchpoints) for s in journey.stages[:i + 1]) * col
                  for i in range(len(journey.stages) - 1)]

    # -- touchpoint cards ------------------------------------------------------------------
    top += stage_h + _LANE_GAP
    ax = lane_axes(top, card_h, _t("lane_touchpoint", lang))
    for i, (tp, parts) in enumerate(zip(tps, cards)):
        x0 = i * col + _GAP
        mot = tp.moment_of_truth
        ax.add_patch(FancyBboxPatch(
            (x0, 0.01), col - 2 * _GAP, card_h - 0.02,
            boxstyle="round,pad=0,rounding_size=0.05", facecolor=PALETTE["card"],
            edgecolor=PALETTE["accent"] if mot else PALETTE["rule"],
            linewidth=2.0 if mot else 0.8, gid="touchpoint_card"))
        _draw_stack(ax, x0 + _PAD, _PAD + 0.01, parts)
        if mot:
            ax.plot([x0 + col - 2 * _GAP - 0.11], [0.12], marker="*", markersize=11,
                    color=PALETTE["accent"], markeredgecolor="white", markeredgewidth=0.5,
                    linestyle="none", gid="moment_of_truth")

    # -- customer lane ---------------------------------------------------------------------
    top += card_h + _LANE_GAP
    ax = lane_axes(top, cust_h, _t("lane_customer", lang))
    for i, parts in enumerate(customers):
        x0 = i * col + _GAP
        ax.add_patch(Rectangle((x0, 0.01), col - 2 * _GAP, cust_h - 0.02, facecolor="white",
                               edgecolor=PALETTE["rule"], linewidth=0.6))
        _draw_stack(ax, x0 + _PAD, _PAD, parts)

    # -- emotion curve ---------------------------------------------------------------------
    top += cust_h + _LANE_GAP
    ax = fig.add_axes((_LEFT / width, 1 - (top + curve_h) / height, lanes_w / width,
                       curve_h / height))
    lane_label(top, curve_h, _t("lane_emotion", lang))
    centres = [(i + 0.5) * col for i in range(n_tp)]
    ax.set_xlim(0, lanes_w)
    for i, tp in enumerate(tps):
        if tp.moment_of_truth:
            ax.axvspan(i * col + _GAP, (i + 1) * col - _GAP, color=PALETTE["accent"],
                       alpha=0.09, linewidth=0, zorder=0)
    for b in boundaries:
        ax.axvline(b, color=PALETTE["rule"], linewidth=0.8, linestyle=(0, (3, 3)), zorder=0)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(PALETTE["faint"])
    ax.tick_params(axis="y", colors=PALETTE["muted"], labelsize=7.5)
    handles: list[Any] = [Line2D([], [], marker="*", color=PALETTE["accent"], markersize=11,
                                 linestyle="none", label=_t("legend_mot", lang))]
    if scores is None:
        _planned_curve(ax, tps, centres, lang)
        handles.append(Line2D([], [], color=PALETTE["planned"], linestyle="--",
                              marker="o", markerfacecolor="white",
                              label=_t("legend_planned", lang)))
    else:
        handles += _measured_curve(ax, scores, tps, centres, col, by, lang, level, min_k)
    handles.append(Line2D([], [], marker="^", color=PALETTE["pain"], linestyle="none",
                          markersize=6, label=_t("legend_pain", lang)))

    # -- employee lane ---------------------------------------------------------------------
    top += curve_h + _LANE_GAP
    ax = lane_axes(top, emp_h, _t("lane_employee", lang))
    cmap = LinearSegmentedColormap.from_list("cx_enablement", _ENABLE_COLOURS)
    low, high = 1.0, 5.0
    if enable is not None and len(enable):
        low, high = float(enable["scale_low"].iloc[0]), float(enable["scale_high"].iloc[0])
        if not (math.isfinite(low) and math.isfinite(high) and high > low):
            low, high = float(enable["estimate"].min()), float(enable["estimate"].max())
    norm = Normalize(low, high)
    for i, (tp, parts) in enumerate(zip(tps, employees_)):
        x0 = i * col + _GAP
        face: Any = PALETTE["card"]
        hatch = None
        if enable is not None:
            row = enable_rows.get(tp.id)
            ok = row is not None and not row.suppressed and not math.isnan(row.estimate)
            face = cmap(norm(row.estimate)) if ok and row is not None else PALETTE["nodata"]
            hatch = None if ok else "////"
        ax.add_patch(FancyBboxPatch((x0, 0.01), col - 2 * _GAP, emp_h - 0.02,
                                    boxstyle="round,pad=0,rounding_size=0.05",
                                    facecolor=face, edgecolor=PALETTE["rule"], linewidth=0.6,
                                    hatch=hatch, gid=f"employee_card:{tp.id}"))
        _draw_stack(ax, x0 + _PAD, _PAD + 0.01, parts)
    if enable is not None:
        from matplotlib.cm import ScalarMappable

        bar_h = min(emp_h - 0.2, 1.8)
        cax = fig.add_axes(((_LEFT + lanes_w + 0.28) / width,
                            1 - (top + (emp_h + bar_h) / 2) / height, 0.13 / width,
                            bar_h / height))
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax)
        bar.outline.set_edgecolor(PALETTE["faint"])
        cax.tick_params(labelsize=7, colors=PALETTE["muted"])
        cax.set_ylabel(_t("colourbar", lang, low=low, high=high), fontsize=7,
                       color=PALETTE["muted"], labelpad=4)
        handles.append(Patch(facecolor=PALETTE["nodata"], edgecolor=PALETTE["faint"],
                             hatch="////", label=_t("legend_nodata", lang)))

    # -- legend and note -------------------------------------------------------------------
    fig.legend(handles=handles, loc="lower left", ncol=len(handles), frameon=False,
               fontsize=8, bbox_to_anchor=(_LEFT / width, (note_h + 0.02) / height),
               borderaxespad=0, handletextpad=0.5, columnspacing=1.6)
    if scores is not None or enable is not None:
        fig.text(_LEFT / width, 0.06 / height, _t("note_min_group", lang, k=min_k),
                 ha="left", va="bottom", fontsize=7.5, color=PALETTE["muted"], gid="note")
    return fig


_ITEM_KEYS = {"item_touchpoint_satisfaction", "item_touchpoint_effort"}


def _item_word(item: str, lang: str) -> str:
    return (_t(f"item_{item}", lang) if f"item_{item}" in _ITEM_KEYS
            else item.replace("_", " "))


def _corner(ax: Any, top: str, bottom: str) -> None:
    """Small words inside the curve's plot, top left and bottom left (what the axis
    means), so the curve needs no axis label beside the lane label."""
    ax.text(0.004, 0.97, top, transform=ax.transAxes, ha="left", va="top", fontsize=7,
            color=PALETTE["muted"])
    if bottom:
        ax.text(0.004, 0.03, bottom, transform=ax.transAxes, ha="left", va="bottom",
                fontsize=7, color=PALETTE["muted"])


def _num(value: float, lang: str, digits: int = 1) -> str:
    return number(value, lang, digits, grouping=False)


def _planned_curve(ax: Any, tps: Sequence[Any], centres: Sequence[float], lang: str) -> None:
    """The planned emotion curve: each touchpoint's ``valence`` (-2 .. 2), dashed."""
    xs = [c for c, tp in zip(centres, tps) if tp.customer.valence is not None]
    ys = [float(tp.customer.valence) for tp in tps if tp.customer.valence is not None]
    ax.set_ylim(-2.6, 2.5)
    ax.axhspan(0, 2.5, color=PALETTE["positive"], zorder=-1, linewidth=0)
    ax.axhspan(-2.6, 0, color=PALETTE["negative"], zorder=-1, linewidth=0)
    ax.axhline(0, color=PALETTE["faint"], linewidth=0.8, zorder=0)
    ax.set_yticks([-2, -1, 0, 1, 2], ["−2", "−1", "0", "+1", "+2"])
    _corner(ax, _t("valence_high", lang), _t("valence_low", lang))
    ax.plot(xs, ys, linestyle="--", color=PALETTE["planned"], linewidth=1.6, zorder=2,
            gid="planned_curve")
    ax.plot(xs, ys, linestyle="none", marker="o", markersize=7, markerfacecolor="white",
            markeredgecolor=PALETTE["planned"], markeredgewidth=1.6, zorder=3)
    for tp, x in zip(tps, centres):
        if tp.customer.valence is None:
            ax.text(x, -2.45, _t("not_measured", lang), ha="center", va="bottom",
                    fontsize=6.5, color=PALETTE["faint"])


def _measured_curve(ax: Any, scores: Any, tps: Sequence[Any], centres: Sequence[float],
                    col: float, by: str | None, lang: str, level: int,
                    min_k: int) -> list[Any]:
    """Per group: the mean per touchpoint with its interval and n; "n < k" where
    suppressed; a dotted line bridges touchpoints without a value."""
    from matplotlib.lines import Line2D

    low = float(scores["scale_low"].min())
    high = float(scores["scale_high"].max())
    if not (math.isfinite(low) and math.isfinite(high) and high > low):
        low, high = float(scores["ci_low"].min()), float(scores["ci_high"].max())
    span = high - low
    bottom, top_ = low - 0.16 * span, high + 0.06 * span
    ax.set_ylim(bottom, top_)
    mid = (low + high) / 2
    ax.axhspan(mid, top_, color=PALETTE["positive"], zorder=-1, linewidth=0)
    ax.axhspan(bottom, mid, color=PALETTE["negative"], zorder=-1, linewidth=0)
    ax.axhline(mid, color=PALETTE["faint"], linewidth=0.8, zorder=0)
    if span <= 10 and float(low).is_integer():
        ax.set_yticks([low + k for k in range(int(span) + 1)])
    _corner(ax, f"{_item_word(scores.attrs.get('item', ''), lang)} ({low:g}–{high:g})", "")
    groups: list[Any] = [None] if by is None else list(dict.fromkeys(scores[by].tolist()))
    offsets = [0.0] if len(groups) == 1 else [
        (g - (len(groups) - 1) / 2) * min(0.3, 0.6 / len(groups)) * col
        for g in range(len(groups))]
    handles = []
    tp_index = {tp.id: i for i, tp in enumerate(tps)}
    measured_any = set()
    for g, (group, dx) in enumerate(zip(groups, offsets)):
        colour = GROUP_COLOURS[g]
        rows = scores if group is None else scores[scores[by] == group]
        rows = {r.touchpoint: r for r in rows.itertuples(index=False)}
        xs, ys = [], []
        for tid, i in tp_index.items():
            row = rows.get(tid)
            x = centres[i] + dx
            if row is None:
                continue
            measured_any.add(tid)
            if row.suppressed or math.isnan(row.estimate):
                ax.text(x, bottom + 0.03 * span, _t("suppressed", lang, k=min_k),
                        ha="center", va="bottom", fontsize=6.5, color=PALETTE["muted"],
                        fontstyle="italic", gid=f"suppressed:{tid}")
                continue
            xs.append(x)
            ys.append(float(row.estimate))
            if not math.isnan(row.ci_low):
                ax.plot([x, x], [row.ci_low, row.ci_high], color=colour, linewidth=1.3,
                        solid_capstyle="butt", zorder=3)
                for yv in (row.ci_low, row.ci_high):
                    ax.plot([x - 0.04, x + 0.04], [yv, yv], color=colour, linewidth=1.1,
                            zorder=3)
            mot = tps[i].moment_of_truth
            ax.plot([x], [row.estimate], marker="o", markersize=8 if mot else 6.5,
                    color=colour, markeredgecolor=PALETTE["accent"] if mot else "white",
                    markeredgewidth=1.6 if mot else 0.8, zorder=4, gid=f"score:{tid}")
            below = row.ci_low if not math.isnan(row.ci_low) else row.estimate
            ax.annotate(f"n={row.n:,}".replace(",", "." if lang == "nl" else ","),
                        (x, below), xytext=(0, -3), textcoords="offset points",
                        ha="center", va="top", fontsize=6.2 if by else 6.8,
                        color=colour if by else PALETTE["muted"], gid=f"n:{tid}")
        # solid between neighbouring measured touchpoints, dotted across a gap
        positions = [round((x - dx) / col - 0.5) for x in xs]
        for (x1, y1, p1), (x2, y2, p2) in zip(zip(xs, ys, positions),
                                              zip(xs[1:], ys[1:], positions[1:])):
            ax.plot([x1, x2], [y1, y2], color=colour, linewidth=1.8 if p2 - p1 == 1 else 1.0,
                    linestyle="-" if p2 - p1 == 1 else (0, (1, 2)), zorder=2, alpha=0.9)
        label = (_t("legend_measured", lang, level=level) if group is None
                 else f"{group}")
        handles.append(Line2D([], [], color=colour, marker="o", linewidth=1.8, label=label))
    for tid, i in tp_index.items():
        if tid not in measured_any:
            ax.text(centres[i], bottom + 0.03 * span, _t("not_measured", lang),
                    ha="center", va="bottom", fontsize=6.5, color=PALETTE["faint"],
                    gid=f"not_measured:{tid}")
    if by is not None:
        handles.insert(0, Line2D([], [], color="none",
                                 label=_t("legend_measured", lang, level=level) + ":"))
    return handles
