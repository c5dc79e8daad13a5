"""Charts of interviews: which codes occur together (a co-occurrence heatmap).

As every chart of :mod:`cxresearch.viz`: a matplotlib Figure, words in Dutch or English.
The counts are of segments or transcripts, not of groups of people by a case attribute,
so nothing is suppressed here; tables by case attribute are suppressed where they are
made (:func:`cxresearch.qual.analysis.code_frequencies`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._numbers import number
from ..stats._check import StatsInputError
from ._common import PALETTE, check_lang, pyplot, wrap

__all__ = ["cooccurrence_heatmap"]

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Codes that occur together", "Codes die samen voorkomen"),
    "sub_segment": ("Number of segments with both codes ({n} coded segments); in "
                    "brackets: segments with the code",
                    "Aantal fragmenten met beide codes ({n} gecodeerde fragmenten); "
                    "tussen haakjes: fragmenten met de code"),
    "sub_transcript": ("Number of interviews with both codes ({n} interviews); in "
                       "brackets: interviews with the code",
                       "Aantal interviews met beide codes ({n} interviews); tussen "
                       "haakjes: interviews met de code"),
    "bar_segment": ("segments with both codes", "fragmenten met beide codes"),
    "bar_transcript": ("interviews with both codes", "interviews met beide codes"),
}


def _w(key: str, lang: str, **values: Any) -> str:
    en, nl = _WORDS[key]
    return (nl if lang == "nl" else en).format(**values)


def _check_matrix(matrix: Any) -> pd.DataFrame:
    if not isinstance(matrix, pd.DataFrame):
        raise StatsInputError(f"matrix must be the square DataFrame of "
                              f"cxresearch.qual.analysis.cooccurrence(...), not "
                              f"{type(matrix).__name__}")
    if list(matrix.index) != list(matrix.columns):
        raise StatsInputError("matrix must have the same codes, in the same order, as "
                              "index and columns (as cooccurrence(...) returns it)")
    if matrix.empty:
        raise StatsInputError("matrix has no codes: there is nothing to draw")
    values = matrix.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")
    if np.isnan(values).any() or (values < 0).any():
        raise StatsInputError("matrix must hold counts (numbers of at least 0)")
    return pd.DataFrame(values, index=matrix.index, columns=matrix.columns)


def cooccurrence_heatmap(matrix: pd.DataFrame, *, lang: str, codebook: Any = None) -> Any:
    """A heatmap of how often two codes occur in the same segment (or transcript).

    Parameters
    ----------
    matrix : DataFrame
        From :func:`cxresearch.qual.analysis.cooccurrence` (square, symmetric; its
        ``attrs["unit"]`` words the title).
    lang : {"nl", "en"}
        Language of the words and of the code names.
    codebook : Codebook, optional
        Labels the codes by their names in ``lang`` (else by their ids).

    Returns
    -------
    matplotlib.figure.Figure
        The lower triangle: each cell the units with both codes; a code's own count is
        in brackets after its name (the diagonal would outshine every pair).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> m = pd.DataFrame([[3, 1], [1, 2]], index=["wait", "angry"],
    ...                  columns=["wait", "angry"])
    >>> fig = cooccurrence_heatmap(m, lang="en")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['angry (2)']
    """
    lang = check_lang(lang)
    counts = _check_matrix(matrix)
    unit = matrix.attrs.get("unit", "segment")
    if unit not in ("segment", "transcript"):
        unit = "segment"
    codes = [str(c) for c in counts.index]
    names = []
    for c in codes:
        name = c
        if codebook is not None and c in codebook:
            texts = codebook.code(c).name
            name = texts.get(lang) or next(iter(texts.values()), c)
        names.append(name)
    k = len(codes)
    diag = np.diag(counts.to_numpy())
    labels = [f"{wrap(n, 28, 2)} ({int(d)})" for n, d in zip(names, diag)]
    plt = pyplot("Drawing a co-occurrence heatmap")
    sns = __import__("seaborn")
    mask = np.triu(np.ones((k, k), dtype=bool))  # the diagonal and above
    shown_counts = counts.to_numpy()[1:, :-1] if k > 1 else counts.to_numpy()
    shown_mask = mask[1:, :-1] if k > 1 else np.zeros((1, 1), dtype=bool)
    side = min(0.42 * k + 3.2, 22.0)
    fig, ax = plt.subplots(figsize=(side + 1.5, side))
    pairs = shown_counts[~shown_mask]
    big = float(pairs.max()) if pairs.size and pairs.max() > 0 else 1.0
    sns.heatmap(pd.DataFrame(shown_counts), mask=shown_mask, ax=ax, cmap="Blues",
                vmin=0, vmax=big, linewidths=0.6, linecolor="white", square=True,
                annot=k <= 30, fmt=".0f", annot_kws={"fontsize": 7},
                cbar_kws={"label": _w(f"bar_{unit}", lang), "shrink": 0.7})
    rows = labels[1:] if k > 1 else labels
    cols = labels[:-1] if k > 1 else labels
    size = 8.5 if k <= 25 else 6.5
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows, rotation=0, fontsize=size)
    ax.set_xticks(np.arange(len(cols)) + 0.5, cols, rotation=60, ha="right",
                  rotation_mode="anchor", fontsize=size)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(length=0, colors=PALETTE["ink"])
    n_units = number(matrix.attrs.get("n_units", int(diag.sum())), lang, 0)
    fig.suptitle(_w("title", lang), x=0.01, ha="left", fontsize=12, fontweight="bold",
                 color=PALETTE["ink"])
    ax.set_title(wrap(_w(f"sub_{unit}", lang, n=n_units), 110, 2), loc="left",
                 fontsize=8.5, color=PALETTE["muted"])
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig
