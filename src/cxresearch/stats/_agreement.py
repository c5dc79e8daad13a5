"""Agreement between coders: Cohen's kappa and Fleiss' kappa (Krippendorff's alpha is
in :mod:`cxresearch.stats._krippendorff`).

Coded data come as one row per unit (an answer, a quote, a transcript segment) and one
column per coder (read by :mod:`cxresearch.stats._coding`). Labels may be numbers or
text; for weighted kappa and for ordinal Krippendorff's alpha the order of the
categories matters, and is taken from ``categories``, from an ordered categorical, or
from the numbers themselves.

Cohen's kappa and its standard errors come from ``statsmodels.stats.inter_rater
.cohens_kappa``, Fleiss' kappa from ``statsmodels.stats.inter_rater.fleiss_kappa``.

When every coder puts every unit in the same category, chance agreement is perfect and
kappa and alpha are undefined (0/0): the result then has ``estimate`` NaN and says why in
``extra["note"]``, so a loop over many codes keeps going.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, check_choice, check_level, shown
from ._coding import (as_labels, category_codes, category_order, check_n_boot,
                      coders_table, numeric_or_same, percentile_interval, resample_units,
                      undefined_result)
from ._result import Result

__all__ = ["cohen_kappa", "fleiss_kappa"]

WEIGHTS = (None, "linear", "quadratic")
"""Named weights of :func:`cohen_kappa` (a square array of disagreement weights also works)."""


# -- Cohen's kappa ---------------------------------------------------------------------
def cohen_kappa(a: Any, b: Any = None, *,
                weights: Literal["linear", "quadratic"] | Sequence[Sequence[float]] | None
                = None, categories: Sequence[Any] | None = None,
                level: float = 0.95) -> Result:
    r"""Cohen's kappa between two coders, unweighted or weighted, with its interval.

    Parameters
    ----------
    a, b : sequence
        The two coders' codes for the same units, in the same order (lists, arrays or
        columns; Series must have the same index). A unit either coder left missing is
        dropped. Alternatively pass the square table of counts as ``a`` (a DataFrame
        with coder a's categories as index and coder b's as columns, the same in the
        same order) and leave ``b`` out.
    weights : {None, "linear", "quadratic"} or square array
        None: every disagreement counts the same. ``"linear"``/``"quadratic"``:
        disagreement weight :math:`|i-j|/(k-1)` or :math:`(i-j)^2/(k-1)^2` between the
        positions :math:`i, j` of the categories (Cicchetti-Allison, Fleiss-Cohen). A
        :math:`k \times k` array gives disagreement weights directly (0 on the
        diagonal, rescaled to a maximum of 1; kappa does not change by rescaling).
    categories : sequence, optional
        All categories, in order. Categories that neither coder used still matter for
        weighted kappa (they set the spacing). Default: the categories of an ordered
        categorical, else the sorted codes either coder used (a category only one coder
        used counts). Text codes need ``categories`` for weighted kappa.
    level : float
        Confidence level of the interval.

    Returns
    -------
    Result
        ``estimate`` kappa; Wald interval from ``se`` (clipped to [-1, 1]);
        ``statistic`` and ``p_value``: z test of kappa = 0 with the standard error
        under that null; ``extra``: ``agreement`` (observed share of exact agreement),
        ``chance_agreement``, ``categories``, ``n_dropped``, ``se_null``, ``weights``.
        NaN with ``extra["note"]`` when chance agreement is 1 (one category for all).

    Notes
    -----
    With observed proportions :math:`p_{ij}`, margins :math:`p_{i\cdot}, p_{\cdot j}`
    and agreement weights :math:`w_{ij} = 1 - d_{ij}` (:math:`w = I` unweighted),

    .. math::

        \kappa_w = \frac{p_o - p_e}{1 - p_e}, \quad p_o = \sum_{ij} w_{ij} p_{ij},
        \quad p_e = \sum_{ij} w_{ij} p_{i\cdot} p_{\cdot j}.

    The standard error is the large-sample one of Fleiss, Cohen & Everitt (1969), as
    ``statsmodels.stats.inter_rater.cohens_kappa`` and SAS PROC FREQ compute it.
    Checked against the SAS example quoted in statsmodels' tests, Cohen (1968)
    (kappa .492, weighted .348), and R ``psych::cohen.kappa`` and a by-hand R formula
    (``tests/r/agreement.R``; psych's weighted-kappa variance differs when the coders'
    margins differ, and we follow SAS).

    References: Cohen, J. (1960). Educational and Psychological Measurement, 20, 37-46.
    Cohen, J. (1968). Weighted kappa. Psychological Bulletin, 70(4), 213-220. Fleiss,
    J. L., Cohen, J., & Everitt, B. S. (1969). Large sample standard errors of kappa and
    weighted kappa. Psychological Bulletin, 72(5), 323-327.

    Examples
    --------
    >>> a = ["yes", "yes", "no", "no", "yes", "no", "yes", "yes"]
    >>> b = ["yes", "no", "no", "no", "yes", "no", "yes", "yes"]
    >>> res = cohen_kappa(a, b)
    >>> round(res.estimate, 3), round(res.se, 3)
    (0.75, 0.226)
    """
    from scipy import stats
    from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa

    level = check_level(level)
    is_matrix = not (weights is None or isinstance(weights, str))
    if not is_matrix:
        check_choice("weights", weights, WEIGHTS)
    n_dropped = 0
    if b is None:
        table, domain = _square_table(a, categories)
    else:
        if isinstance(a, pd.Series) and isinstance(b, pd.Series) \
                and not a.index.equals(b.index):
            raise StatsInputError(
                "a and b must code the same units in the same order, but their indexes "
                "differ; align them first (e.g. b = b.reindex(a.index))")
        col_a, col_b = as_labels(a, "a"), as_labels(b, "b")
        if len(col_a) != len(col_b):
            raise StatsInputError(f"a and b must code the same units: a has {len(col_a)} "
                                  f"codes and b has {len(col_b)}")
        col_a, col_b = (c.reset_index(drop=True) for c in numeric_or_same([col_a, col_b]))
        both = col_a.notna() & col_b.notna()
        n_dropped = int((~both).sum())
        if not both.any():
            raise StatsInputError("a and b have no unit that both coders coded")
        col_a, col_b = col_a[both], col_b[both]
        domain = category_order([col_a, col_b], [a, b], categories,
                         need_order=weights is not None and not is_matrix, what="a and b")
        k = len(domain)
        table = np.zeros((k, k))
        np.add.at(table, (category_codes(col_a, domain), category_codes(col_b, domain)), 1)
    k = len(domain)
    n = int(round(table.sum()))
    if is_matrix:
        dis = np.asarray(weights, dtype="float64")
        if dis.shape != (k, k) or (dis < 0).any() or np.diag(dis).any() or dis.max() <= 0:
            raise StatsInputError(
                f"weights as an array must be a {k} x {k} matrix of disagreement weights "
                f"(at least 0, 0 on the diagonal, one per pair of the categories "
                f"{shown(domain)}); got shape {dis.shape}")
        dis = dis / dis.max()
    elif weights is None:
        dis = 1.0 - np.eye(k)
    else:
        pos = np.arange(k, dtype="float64")
        span = max(k - 1, 1)
        dis = np.abs(pos[:, None] - pos) / span
        if weights == "quadratic":
            dis = dis ** 2
    probs = table / table.sum()
    chance_dis = float((dis * np.outer(probs.sum(1), probs.sum(0))).sum())
    kind = "Cohen's kappa" if weights is None else "weighted Cohen's kappa"
    label = ("custom" if is_matrix else weights) if weights is not None else None
    definition = ("agreement between two coders beyond the agreement expected by chance "
                  "from each coder's own category frequencies, (p_o - p_e) / (1 - p_e): "
                  "1 perfect, 0 chance level")
    if label is not None:
        definition += (f"; {label} disagreement weights between category positions, so "
                       f"near misses count partly")
    extra: dict[str, Any] = {
        "agreement": float(np.trace(probs)),
        "chance_agreement": float((probs.sum(1) * probs.sum(0)).sum()),
        "categories": list(domain), "n_dropped": n_dropped, "weights": label}
    if k < 2 or chance_dis <= 1e-15:
        return undefined_result(kind, n, level, definition, extra)
    if weights is None:
        res = sm_kappa(table)
    else:
        res = sm_kappa(table, weights=dis)
    kappa, se, se0 = float(res.kappa), float(res.std_kappa), float(res.std_kappa0)
    z_crit = float(stats.norm.ppf(0.5 + level / 2.0))
    z = kappa / se0 if se0 > 0 else math.nan
    p = float(2.0 * stats.norm.sf(abs(z))) if math.isfinite(z) else None
    return Result(
        name=kind, estimate=kappa, ci_low=max(-1.0, kappa - z_crit * se),
        ci_high=min(1.0, kappa + z_crit * se), n=n, level=level, se=se,
        statistic=z if math.isfinite(z) else None, p_value=p,
        method=("large-sample standard error of Fleiss, Cohen & Everitt (1969) "
                "(statsmodels cohens_kappa); Wald interval clipped to [-1, 1]; z test of "
                "kappa = 0 with the standard error under that null"),
        definition=definition, extra={**extra, "se_null": se0})


def _square_table(table: Any, categories: Any) -> tuple[np.ndarray, list[Any]]:
    if isinstance(table, pd.DataFrame):
        if list(table.index) != list(table.columns):
            raise StatsInputError(
                "a as a table of counts must have the same categories, in the same "
                f"order, as index and columns; got {shown(list(table.index))} and "
                f"{shown(list(table.columns))} (or pass b, the second coder's codes)")
        domain = list(table.index) if categories is None else list(categories)
        if categories is not None and list(categories) != list(table.index):
            raise StatsInputError("categories must match the table's index and columns")
        values = table.to_numpy()
    elif isinstance(table, np.ndarray) and table.ndim == 2:
        values = table
        domain = list(categories) if categories is not None else list(range(len(table)))
    else:
        raise StatsInputError(f"b is missing: pass both coders' codes as a and b, or a "
                              f"square table of counts as a; got a = {shown(table)}")
    counts = pd.DataFrame(values).apply(pd.to_numeric, errors="coerce").to_numpy(float)
    if counts.shape[0] != counts.shape[1] or len(domain) != counts.shape[0]:
        raise StatsInputError(f"a as a table of counts must be square with one row per "
                              f"category; got shape {counts.shape}")
    if np.isnan(counts).any() or (counts < 0).any() or counts.sum() <= 0:
        raise StatsInputError("a as a table of counts must hold counts of at least 0, "
                              "not all 0")
    return counts, domain


# -- Fleiss' kappa ---------------------------------------------------------------------
def fleiss_kappa(data: Any, *, counts: bool = False, categories: Sequence[Any] | None = None,
                 level: float = 0.95, n_boot: int = 2000, seed: int = 0) -> Result:
    r"""Fleiss' kappa: agreement among a fixed number of coders per unit (nominal codes).

    Parameters
    ----------
    data : DataFrame or 2-D array
        By default raw codes: one row per unit, one column per coder (missing as NaN).
        Every unit must have the same number of codes (at least 2), though not
        necessarily from the same coders. With ``counts=True``: a units x categories
        table, each row holding how many coders put the unit in each category (as
        ``statsmodels.stats.inter_rater.aggregate_raters`` makes it).
    counts : bool
        How to read ``data`` (we do not guess: a table of small whole numbers can be
        either).
    categories : sequence, optional
        All categories (raw codes only). Unused categories do not change kappa.
    level : float
        Confidence level of the interval.
    n_boot : int
        Bootstrap resamples of units for the interval (0: no interval).
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    Result
        ``estimate`` kappa; ``ci_low``, ``ci_high`` percentile bootstrap interval over
        units; ``se`` the bootstrap standard deviation; ``statistic``/``p_value`` the z
        test of kappa = 0 with the null standard error of Fleiss, Nee & Landis (1979)
        (as R ``irr::kappam.fleiss``); ``n`` units; ``extra``: ``n_raters``,
        ``categories``, ``agreement`` (mean pairwise agreement per unit),
        ``chance_agreement``, ``se_null``, ``n_boot``, ``seed``.

    Notes
    -----
    With :math:`N` units, :math:`n` codes per unit, :math:`n_{ij}` codes of unit
    :math:`i` in category :math:`j` and :math:`p_j` the share of all codes in :math:`j`:

    .. math::

        P_i = \frac{\sum_j n_{ij}^2 - n}{n(n-1)}, \quad
        \kappa = \frac{\bar P - \sum_j p_j^2}{1 - \sum_j p_j^2}

    (Fleiss 1971; ``statsmodels.stats.inter_rater.fleiss_kappa``). Under kappa = 0,

    .. math::

        SE_0 = \frac{\sqrt 2}{\sum_j p_j q_j \sqrt{N n (n-1)}}
        \sqrt{\Big(\sum_j p_j q_j\Big)^2 - \sum_j p_j q_j (q_j - p_j)}, \quad q_j = 1-p_j

    (Fleiss, Nee & Landis 1979). That standard error holds only under the null, so the
    interval is a percentile bootstrap over units (our own code; statsmodels has none).
    Checked against Fleiss (1971), kappa .430 on 30 patients x 6 psychiatrists (R
    ``irr::kappam.fleiss``: 0.4302445, z 17.65183), and the worked example of
    Wikipedia's "Fleiss' kappa" article (0.210).

    References: Fleiss, J. L. (1971). Measuring nominal scale agreement among many
    raters. Psychological Bulletin, 76(5), 378-382. Fleiss, J. L., Nee, J. C. M., &
    Landis, J. R. (1979). Large sample variance of kappa in the case of different sets
    of raters. Psychological Bulletin, 86(5), 974-977.

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({"ann": ["a", "a", "b", "c", "b", "a"],
    ...                       "bob": ["a", "b", "b", "c", "b", "a"],
    ...                       "cem": ["a", "a", "b", "c", "c", "a"]})
    >>> res = fleiss_kappa(codes, n_boot=200)
    >>> round(res.estimate, 3), round(res.p_value, 4)
    (0.654, 0.0001)
    """
    from scipy import stats
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    if counts:
        table, domain = _count_rows(data, categories)
    else:
        frame = coders_table(data)
        columns = numeric_or_same([as_labels(frame[c], f"data[{c!r}]")
                                    for c in frame.columns])
        per_unit = pd.concat(columns, axis=1).notna().sum(axis=1).to_numpy()
        if per_unit.min() != per_unit.max() or per_unit.min() < 2:
            bad = int(np.flatnonzero(per_unit != per_unit.max())[0]) \
                if per_unit.min() != per_unit.max() else 0
            raise StatsInputError(
                f"data: Fleiss' kappa needs the same number of codes (at least 2) for "
                f"every unit; row {bad} has {int(per_unit[bad])} and others up to "
                f"{int(per_unit.max())}. Drop the incomplete units, or use "
                f"krippendorff_alpha, which allows missing codes")
        domain = category_order(columns, [frame[c] for c in frame.columns], categories,
                         need_order=False, what="data")
        codes = np.column_stack([category_codes(c, domain) for c in columns])
        rows = [r[r >= 0] for r in codes]
        table = np.asarray(aggregate_raters(np.array(rows), n_cat=len(domain))[0],
                           dtype="float64")
    n_units, n_cat = table.shape
    raters = float(table[0].sum())
    p = table.sum(0) / table.sum()
    chance = float((p ** 2).sum())
    unit_agree = ((table ** 2).sum(1) - raters) / (raters * (raters - 1.0))
    definition = ("agreement among coders beyond chance for nominal codes, (P - P_e) / "
                  "(1 - P_e), P the mean share of agreeing coder pairs per unit and P_e "
                  "the chance agreement from the pooled category shares")
    extra: dict[str, Any] = {"n_raters": int(raters), "categories": list(domain),
                             "agreement": float(unit_agree.mean()),
                             "chance_agreement": chance}
    if n_cat < 2 or chance >= 1.0 - 1e-15:
        return undefined_result("Fleiss' kappa", n_units, level, definition, extra)
    kappa = float(sm_fleiss(table, method="fleiss"))
    pq = p * (1.0 - p)
    se0 = math.sqrt(2.0) / (pq.sum() * math.sqrt(n_units * raters * (raters - 1.0))) \
        * math.sqrt(pq.sum() ** 2 - (pq * ((1.0 - p) - p)).sum())
    z = kappa / se0
    low = high = math.nan
    se: float | None = None
    if n_boot:
        boot = _fleiss_boot(table, unit_agree, raters, n_boot, seed)
        low, high, se = percentile_interval(boot, level)
    method = ("kappa by statsmodels fleiss_kappa; z test of kappa = 0 with the null "
              "standard error of Fleiss, Nee & Landis (1979); ")
    method += (f"percentile bootstrap interval over units ({n_boot} resamples, seed "
               f"{seed})" if n_boot else "no interval (n_boot=0)")
    return Result(name="Fleiss' kappa", estimate=kappa, ci_low=low, ci_high=high,
                  n=n_units, level=level, se=se, statistic=z,
                  p_value=float(2.0 * stats.norm.sf(abs(z))), method=method,
                  definition=definition,
                  extra={**extra, "se_null": se0, "n_boot": n_boot, "seed": seed})


def _count_rows(data: Any, categories: Any) -> tuple[np.ndarray, list[Any]]:
    frame = pd.DataFrame(data) if not isinstance(data, pd.DataFrame) else data
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(float)
    if values.ndim != 2 or values.shape[0] < 1 or values.shape[1] < 1:
        raise StatsInputError("data as counts must be a units x categories table")
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise StatsInputError("data as counts (counts=True) must hold whole numbers of at "
                              "least 0: how many coders put each unit in each category")
    totals = values.sum(1)
    if totals.min() != totals.max() or totals.min() < 2:
        raise StatsInputError(
            f"data as counts: every unit (row) must have the same number of codes, at "
            f"least 2; row totals run from {totals.min():g} to {totals.max():g}")
    domain = list(categories) if categories is not None else list(frame.columns)
    if len(domain) != values.shape[1]:
        raise StatsInputError(f"categories has {len(domain)} entries but data has "
                              f"{values.shape[1]} category columns")
    return values, domain


def _fleiss_boot(table: np.ndarray, unit_agree: np.ndarray, raters: float, n_boot: int,
                 seed: int) -> np.ndarray:
    """Fleiss' kappa of ``n_boot`` resamples of units, in chunks of bounded memory."""
    rng = np.random.default_rng(seed)
    n_units = table.shape[0]
    chunk = max(1, min(n_boot, 2_000_000 // max(n_units, 1)))
    out = np.empty(n_boot)
    done = 0
    while done < n_boot:
        size = min(chunk, n_boot - done)
        weights = resample_units(rng, n_units, size)
        p_bar = weights @ unit_agree / n_units
        p_cat = weights @ table / (n_units * raters)
        chance = (p_cat ** 2).sum(1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[done:done + size] = (p_bar - chance) / (1.0 - chance)
        done += size
    return out
