"""Charts for reports: journey maps, Likert bars, NPS distributions, before/after per
touchpoint, contact heatmaps, importance-performance quadrants and forest plots.

Every chart says its words in Dutch or English (``lang``), returns a matplotlib Figure
(the forest plot: its Axes) and never draws a group smaller than the minimum group size.
The chart modules are imported on first use and matplotlib (seaborn for heatmaps) by
the functions that draw, so ``import cxresearch.viz`` is light. Install the plotting
extra with ``pip install "cxresearch[plot]"``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_MODULES: dict[str, tuple[str, ...]] = {
    ".forest": ("forest_plot",),
    ".journey_map": ("journey_map",),
    ".plots": ("likert_bars", "nps_distribution", "before_after"),
    ".operations": ("contact_heatmap", "quadrant_plot"),
    ".qual": ("cooccurrence_heatmap",),
    "._common": ("save_figure",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_WHERE)

if TYPE_CHECKING:  # pragma: no cover
    from ._common import save_figure
    from .forest import forest_plot
    from .journey_map import journey_map
    from .operations import contact_heatmap, quadrant_plot
    from .plots import before_after, likert_bars, nps_distribution
    from .qual import cooccurrence_heatmap


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cxresearch.viz' has no attribute '{name}'")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
