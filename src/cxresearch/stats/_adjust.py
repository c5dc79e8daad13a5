"""Adjusting a family of p-values for multiple testing (Holm, Benjamini-Hochberg, ...).

One comparison per question or per segment makes a family of tests; :func:`adjust`
corrects their p-values with ``statsmodels.stats.multitest.multipletests``, accepting
R's ``p.adjust`` method names and leaving missing p-values (tests not run) out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_choice, shown, to_array

__all__ = ["adjust", "ADJUST_METHODS"]

_ADJUST = {"holm": "holm", "bonferroni": "bonferroni", "hommel": "hommel",
           "fdr_bh": "fdr_bh", "bh": "fdr_bh", "fdr": "fdr_bh", "fdr_by": "fdr_by",
           "by": "fdr_by", "hochberg": "simes-hochberg", "simes-hochberg": "simes-hochberg",
           "sidak": "sidak", "holm-sidak": "holm-sidak", "none": "none"}
ADJUST_METHODS = tuple(_ADJUST)


def adjust(p_values: Any, method: str = "holm") -> Any:
    """Adjust a family of p-values for multiple testing.

    Parameters
    ----------
    p_values : list, tuple, array or Series of float
        The family. Missing values (NaN, None) stay missing and do not count in the
        family size: they are tests that were not run.
    method : str
        ``"holm"`` (default), ``"bonferroni"``, ``"hommel"``, ``"hochberg"``,
        ``"fdr_bh"`` (Benjamini-Hochberg; also ``"BH"``, ``"fdr"``), ``"fdr_by"``
        (Benjamini-Yekutieli; also ``"BY"``), ``"sidak"``, ``"holm-sidak"`` or
        ``"none"``; case does not matter, and R's ``p.adjust`` names work.

    Returns
    -------
    Same type and shape as ``p_values``
        A list for a list or tuple, an array for an array, a Series with the same
        index for a Series.

    Notes
    -----
    ``statsmodels.stats.multitest.multipletests`` on the non-missing p-values. Checked
    against R's ``p.adjust`` with an ``NA`` in the family, which R also leaves out of
    ``n`` (``tests/r/compare.R``).

    Examples
    --------
    >>> adjust([0.01, 0.04, None, 0.03, 0.005, 0.2], "holm")
    [0.04, 0.09, nan, 0.09, 0.025, 0.2]
    """
    from statsmodels.stats.multitest import multipletests

    if not isinstance(method, str):
        check_choice("method", method, ADJUST_METHODS)
    chosen = _ADJUST.get(method.lower())
    if chosen is None:
        check_choice("method", method, ADJUST_METHODS)
    if isinstance(p_values, (str, bytes, dict)) or np.isscalar(p_values) \
            or p_values is None:
        raise StatsInputError(f"p_values must be a list, array or Series of p-values; got "
                              f"{shown(p_values)}")
    shape = np.shape(p_values)
    flat = to_array(np.ravel(np.asarray(p_values, dtype=object)), "p_values")
    present = ~np.isnan(flat)
    if ((flat[present] < 0) | (flat[present] > 1)).any():
        bad = flat[present][(flat[present] < 0) | (flat[present] > 1)][0]
        raise StatsInputError(f"p_values must lie between 0 and 1; got {bad!r}")
    out = flat.copy()
    if present.any() and chosen != "none":
        out[present] = multipletests(flat[present], method=chosen)[1]
    if isinstance(p_values, pd.Series):
        return pd.Series(out, index=p_values.index, name=p_values.name)
    if isinstance(p_values, np.ndarray):
        return out.reshape(shape)
    return [float(v) for v in out]
