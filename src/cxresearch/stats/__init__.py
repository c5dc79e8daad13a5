"""Statistics: did it make a difference, by how much, how sure are we, does it matter.

Every estimate and test returns a :class:`Result` (see :mod:`cxresearch.stats._result`):
``estimate``, ``ci_low``, ``ci_high``, ``p_value``, ``n``, ``method``, ``definition``,
``.to_frame()`` and an HTML repr. Heavy libraries (scipy, statsmodels) are imported by
the functions that use them, and the families below are imported on first use, so
``import cxresearch.stats`` stays light.

Families: metrics (:mod:`._metrics`, NPS in :mod:`._nps`), comparisons
(:mod:`._compare`, multiple testing in :mod:`._adjust`), designs (:mod:`._designs`),
planning (:mod:`._power`), reliability (:mod:`._reliability`), agreement
(:mod:`._agreement`, :mod:`._krippendorff`), weights (:mod:`._weights`), and the entry
point :func:`compare` with its :class:`Verdict` (:mod:`._verdict`). Argument checks and
input readers shared by the families are in :mod:`._check`, :mod:`._scores` and
:mod:`._coding`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._check import StatsInputError
from ._result import RESULT_COLUMNS, Result

_FAMILIES: dict[str, tuple[str, ...]] = {
    "._nps": ("nps", "enps", "compare_nps"),
    "._metrics": ("top_box", "mean_score", "ces"),
    "._weights": ("poststratify", "rake", "effective_n"),
    "._compare": ("compare_proportions", "compare_means", "compare_ordinal", "equivalence"),
    "._adjust": ("adjust",),
    "._designs": ("did",),
    "._its": ("its",),
    "._drivers": ("key_drivers",),
    "._ipa": ("importance_performance", "moments_of_truth"),
    "._peakend": ("peak_end",),
    "._alignment": ("alignment",),
    "._contacts": ("contact_arrivals", "contact_categories", "first_contact_resolution"),
    "._touchpoints": ("touchpoint_scores", "enablement_scores", "touchpoint_fields"),
    "._power": ("sample_size", "mde"),
    "._reliability": ("cronbach_alpha", "mcdonald_omega", "item_analysis"),
    "._agreement": ("cohen_kappa", "fleiss_kappa"),
    "._krippendorff": ("krippendorff_alpha",),
    "._verdict": ("compare", "compare_all", "Verdict", "verdict_table"),
}
_WHERE = {name: module for module, names in _FAMILIES.items() for name in names}

__all__ = ["RESULT_COLUMNS", "Result", "StatsInputError", *sorted(_WHERE)]

if TYPE_CHECKING:  # pragma: no cover
    from ._adjust import adjust
    from ._agreement import cohen_kappa, fleiss_kappa
    from ._compare import compare_means, compare_ordinal, compare_proportions, equivalence
    from ._designs import did
    from ._its import its
    from ._drivers import key_drivers
    from ._ipa import importance_performance, moments_of_truth
    from ._peakend import peak_end
    from ._alignment import alignment
    from ._contacts import contact_arrivals, contact_categories, first_contact_resolution
    from ._touchpoints import enablement_scores, touchpoint_fields, touchpoint_scores
    from ._krippendorff import krippendorff_alpha
    from ._metrics import ces, mean_score, top_box
    from ._nps import compare_nps, enps, nps
    from ._power import mde, sample_size
    from ._reliability import cronbach_alpha, item_analysis, mcdonald_omega
    from ._verdict import Verdict, compare, compare_all, verdict_table
    from ._weights import effective_n, poststratify, rake


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cxresearch.stats' has no attribute '{name}'")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
