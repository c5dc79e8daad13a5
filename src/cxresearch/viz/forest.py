"""A forest plot: several verdicts side by side, each with its interval.

Each row shows a comparison's estimate and interval, coloured by its conclusion, with
zero and that row's smallest effect that matters (the band ``-sesoi .. +sesoi``) drawn
behind.
Verdicts in different units (NPS points beside scale points) share an axis only when
each has a smallest effect of interest: the axis is then "in units of the smallest
effect that matters", where 1 means "just matters".
"""

from __future__ import annotations

from typing import Any, Sequence

from .._optional import import_optional

__all__ = ["CONCLUSION_COLOURS", "forest_plot"]

CONCLUSION_COLOURS: dict[str, str] = {
    "clear_improvement": "#1a7f37", "improvement": "#4caf50", "small_improvement": "#8bc34a",
    "no_meaningful_change": "#607d8b", "inconclusive": "#9e9e9e",
    "small_decline": "#ff9800", "decline": "#e65100", "clear_decline": "#b71c1c",
}
"""Colour per conclusion (colour-blind safe enough with the labels beside the rows)."""

def forest_plot(verdicts: Sequence[Any], *, lang: str = "en", relative: bool | None = None,
                ax: Any = None, title: str | None = None) -> Any:
    """Draw ``verdicts`` (from :func:`cxresearch.stats.compare`) as a forest plot.

    Parameters
    ----------
    verdicts : sequence of Verdict
        One row each, top to bottom in the order given.
    lang : {"en", "nl"}
        Language of the axis and the conclusions.
    relative : bool, optional
        Divide each difference by its smallest effect of interest. Default: only when
        the verdicts are in different units (then each must have one).
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from ..stats._check import StatsInputError, check_choice
    from ..stats._verdict_text import _SCALE, _UNIT, _t

    check_choice("lang", lang, ("en", "nl"))
    if len(verdicts) == 0:
        raise StatsInputError("verdicts is empty: pass the verdicts of compare()")
    units = {_UNIT.get(v.metric, ("", ""))[0] for v in verdicts}
    if relative is None:
        relative = len(units) > 1
    if relative:
        missing = [v.label for v in verdicts if not v.sesoi]
        if missing:
            raise StatsInputError(
                "verdicts in different units share an axis only relative to their smallest "
                f"effect that matters, and these have none: {', '.join(missing[:5])}; give "
                "sesoi= to compare(), or plot one unit at a time")
    import textwrap

    plt = import_optional("matplotlib.pyplot", "plot", "Drawing a forest plot")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.6 * len(verdicts) + 1.4))
    rows = list(range(len(verdicts)))[::-1]
    for y, v in zip(rows, verdicts):
        factor = 1 / v.sesoi if relative else _SCALE.get(v.metric, 1.0)
        if v.sesoi:  # this row's smallest change that matters, as a band behind it
            ax.fill_between([-v.sesoi * factor, v.sesoi * factor], y - 0.32, y + 0.32,
                            color="#607d8b", alpha=0.13, linewidth=0)
        low, est, high = (v.ci_low * factor, v.estimate * factor, v.ci_high * factor)
        colour = CONCLUSION_COLOURS.get(v.conclusion, "#000000")
        ax.plot([low, high], [y, y], color=colour, linewidth=2.5, solid_capstyle="butt")
        ax.plot([est], [y], marker="o", color=colour, markersize=7)
        ax.annotate(_t(f"short_{v.conclusion}", lang), (1.02, y), xycoords=("axes fraction", "data"),
                    va="center", fontsize=8, color=colour, annotation_clip=False)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(rows, [textwrap.shorten(v.label_in(lang), 48, placeholder=" …")
                         for v in verdicts])
    unit = _UNIT.get(verdicts[0].metric, ("", ""))[1 if lang == "nl" else 0]
    ax.set_xlabel(_t("axis_relative", lang) if relative else _t("axis", lang, unit=unit))
    ax.set_ylim(-0.7, len(verdicts) - 0.3)
    ax.figure.subplots_adjust(left=0.36, right=0.76)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, loc="left")
    return ax
