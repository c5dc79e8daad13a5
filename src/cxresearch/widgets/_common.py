"""What the widgets share: importing ipywidgets, figures as PNG images, messages."""

from __future__ import annotations

import html
import io
from typing import Any, Iterable

from .._optional import import_optional

# The colours of messages: errors red, warnings amber, advice and success in the palette.
_TONES = {"error": "#b3261e", "warning": "#8a5a00", "info": "#1f4e79", "ok": "#1b6e3c"}


def ipywidgets() -> Any:
    """The ipywidgets module, or an error naming the ``widgets`` extra."""
    return import_optional("ipywidgets", "widgets", "the notebook designers")


def figure_png(fig: Any, dpi: int = 110) -> bytes:
    """``fig`` rendered as PNG bytes, then closed (so notebooks do not show it twice)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def message_html(lines: Iterable[tuple[str, str]]) -> str:
    """``(tone, text)`` pairs as small coloured lines of HTML (text escaped)."""
    parts = [f"<div style='color:{_TONES.get(tone, _TONES['info'])};margin:1px 0'>"
             f"{html.escape(text)}</div>" for tone, text in lines]
    return "".join(parts)


def with_class(widget: Any, *names: str) -> Any:
    """``widget`` with CSS classes added (tests and styles find it by them)."""
    for name in names:
        widget.add_class(name)
    return widget
