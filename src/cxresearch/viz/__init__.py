"""Charts for reports: forest plots of verdicts (more to come: journey maps, Likert bars).

matplotlib is imported by the functions that draw, so ``import cxresearch.viz`` is light.
Install the plotting extra with ``pip install "cxresearch[plot]"``.
"""

from .forest import forest_plot

__all__ = ["forest_plot"]
