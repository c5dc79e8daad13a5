"""Widget-driven designers and helpers for notebooks (ipywidgets), thin over the modules
below them: every button calls a plain, tested function of :mod:`cxresearch.instrument`,
:mod:`cxresearch.journey` or :mod:`cxresearch.stats`, and the files stay the source of
truth.

* :class:`SurveyDesigner`: build or edit an instrument with a client in the room.
* :class:`JourneyDesigner`: edit stages, touchpoints, both lanes and moments of truth,
  with the journey map redrawn beside the form.
* :class:`CompareHelper`: pick a metric, a touchpoint and two waves; see the verdict, its
  plot and the code that made it.
* :func:`present`: serve a notebook as a Voila app without code (``cxresearch present``).

ipywidgets is imported on first use; install it with ``pip install "cxresearch[widgets]"``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_MODULES: dict[str, tuple[str, ...]] = {
    ".survey": ("SurveyDesigner",),
    ".journey": ("JourneyDesigner",),
    ".compare": ("CompareHelper",),
    ".coding": ("CodingWidget",),
    ".present": ("present", "present_command"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_WHERE)

if TYPE_CHECKING:  # pragma: no cover
    from .coding import CodingWidget
    from .compare import CompareHelper
    from .journey import JourneyDesigner
    from .present import present, present_command
    from .survey import SurveyDesigner


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cxresearch.widgets' has no attribute '{name}'")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
