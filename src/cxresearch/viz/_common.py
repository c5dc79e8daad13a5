"""What every chart of :mod:`cxresearch.viz` shares: the palette, argument checks, text
wrapping, the small-group note and saving figures atomically."""

from __future__ import annotations

import io
import os
import textwrap
from pathlib import Path
from typing import Any

from .._optional import import_optional
from ..stats._check import StatsInputError, check_choice, shown

__all__ = ["PALETTE", "save_figure"]

PALETTE: dict[str, str] = {
    "ink": "#1f2a36", "muted": "#5b6775", "faint": "#9aa5b1", "rule": "#d5dbe1",
    "paper": "#ffffff", "band": "#24496b", "band_alt": "#2f5d86", "card": "#f4f6f8",
    "accent": "#c77d0a", "measured": "#24496b", "second": "#c8553d", "planned": "#7a8793",
    "pain": "#b3432b", "nodata": "#e3e6ea", "positive": "#e8f3ec", "negative": "#f8ebe8",
    "detractor": "#c8553d", "passive": "#c9cfd6", "promoter": "#2f7d5b",
}
"""The colours of every chart: dark blue ink and bands, one amber accent for moments of
truth, a muted red for pain points and detractors, green for promoters."""

GROUP_COLOURS = ("#24496b", "#c8553d", "#2f7d5b", "#8a5a9e")
"""Colours of the groups (waves) in one chart, first to fourth."""

SAVE_FORMATS = (".png", ".svg")


def check_lang(lang: Any) -> str:
    """``lang`` if it is "nl" or "en"; otherwise an error naming both."""
    return str(check_choice("lang", lang, ("nl", "en")))


def pyplot(feature: str) -> Any:
    """``matplotlib.pyplot``, or an error naming the ``plot`` extra."""
    return import_optional("matplotlib.pyplot", "plot", feature)


def wrap(text: str, width: int, max_lines: int) -> str:
    """``text`` wrapped at ``width`` characters on at most ``max_lines`` lines.

    A word longer than a line (Dutch compounds: "schadebehandelaar") is split with a
    hyphen; a text cut short ends in " …" after its last whole word.
    """
    width = max(4, int(width))
    words = []
    for word in " ".join(str(text or "").split()).split(" "):
        while len(word) > width:
            words.append(word[:width - 1] + "-")
            word = word[width - 1:]
        words.append(word)
    text = " ".join(w for w in words if w)
    if not text or max_lines < 1:
        return ""
    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1].split(" ")
        while len(last) > 1 and len(" ".join(last)) + 2 > width:
            last.pop()
        lines[-1] = " ".join(last).rstrip(",;:.-") + " …"
    return "\n".join(lines)


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to and including its full stop)."""
    text = " ".join(str(text or "").split())
    for stop in (". ", "? ", "! "):
        if stop in text:
            text = text.split(stop, 1)[0] + stop.strip()
    return text


def min_group_size_of(data: Any, given: int | None) -> int:
    """The minimum group size: ``given``, else that of Responses, else 5."""
    if given is not None:
        if isinstance(given, bool) or not isinstance(given, int) or given < 1:
            raise StatsInputError(f"min_group_size must be a whole number of at least 1, "
                                  f"not {shown(given)}")
        return given
    return int(getattr(data, "min_group_size", 5))


def add_note(fig: Any, text: str, *, y: float = 0.012) -> Any:
    """A small grey note at the bottom left of ``fig`` (the privacy note, sources)."""
    return fig.text(0.01, y, text, ha="left", va="bottom", fontsize=7.5,
                    color=PALETTE["muted"], gid="note")


def style_axes(ax: Any) -> None:
    """Light axes: no top/right spines, grey ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(PALETTE["faint"])
    ax.tick_params(colors=PALETTE["muted"], labelsize=8)


def save_figure(fig: Any, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
    """Save ``fig`` as PNG or SVG (by the suffix of ``path``), atomically.

    Parameters
    ----------
    fig : matplotlib Figure
        The figure, e.g. from :func:`journey_map`.
    path : str or Path
        Ends in ``.png`` or ``.svg``. The figure is rendered in memory and then written
        beside the target and renamed, so readers never see half a file.
    dpi : int
        Resolution of a PNG.

    Returns
    -------
    Path
        The file written.
    """
    from .._atomic import atomic_write_bytes

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SAVE_FORMATS:
        raise StatsInputError(f"save_figure writes {', '.join(SAVE_FORMATS)} files; "
                              f"{str(target)!r} ends in {suffix or 'no suffix'!r}: give "
                              f"the path a .png or .svg suffix")
    if not hasattr(fig, "savefig"):
        raise StatsInputError(f"fig must be a matplotlib Figure, not {type(fig).__name__}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=suffix[1:], dpi=dpi, facecolor="white")
    return atomic_write_bytes(target, buffer.getvalue())
