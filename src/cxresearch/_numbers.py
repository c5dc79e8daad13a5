"""Numbers in sentences, tables and charts, written the way Dutch and English readers expect.

English: ``1,234.5`` and ``12%``. Dutch: ``1 234,5`` (a thin space groups thousands, a
comma marks the decimals) and ``12%``. Missing values are written as an en dash.
Verdicts, evidence sentences and chart labels all use these, so a Dutch report never
mixes ``0.45`` and ``0,45``.
"""

from __future__ import annotations

import math
from typing import Any

THIN_SPACE = "\u2009"
MISSING = "–"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def number(value: Any, lang: str, digits: int = 1, *, sign: bool = False,
           grouping: bool = True) -> str:
    """``value`` with ``digits`` decimals in ``lang`` ("nl" or "en"); ``sign`` adds "+"
    to positive numbers; ``grouping`` separates thousands."""
    if _missing(value):
        return MISSING
    spec = ("+" if sign else "") + ("," if grouping else "") + f".{digits}f"
    text = format(float(value), spec)
    if lang == "nl":
        text = text.replace(",", THIN_SPACE).replace(".", ",")
    return text


def percent(share: Any, lang: str, digits: int = 0) -> str:
    """A share (0.123) as a percentage ("12%"; Dutch "12,3%" with ``digits=1``)."""
    if _missing(share):
        return MISSING
    return f"{number(100 * float(share), lang, digits)}%"


def p_value(p: Any, lang: str) -> str:
    """"p < 0.001" or "p = 0.012" (Dutch "p < 0,001", "p = 0,012"); empty when missing."""
    if _missing(p):
        return ""
    if float(p) < 0.001:
        return f"p < {number(0.001, lang, 3)}"
    return f"p = {number(p, lang, 3)}"
