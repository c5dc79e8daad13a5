"""Agreement between coders: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.

Coded data come as one row per unit (an answer, a quote, a transcript segment) and one
column per coder. Labels may be numbers or text; for weighted kappa and for ordinal
Krippendorff's alpha the order of the categories matters, and is taken from
``categories``, from an ordered categorical, or from the numbers themselves.

Cohen's kappa and its standard errors come from ``statsmodels.stats.inter_rater
.cohens_kappa``, Fleiss' kappa from ``statsmodels.stats.inter_rater.fleiss_kappa``.
Krippendorff's alpha is our own code (the coincidence-matrix method of Krippendorff
2011): neither scipy nor statsmodels has it, and the library that does is not a
dependency of this package.

When every coder puts every unit in the same category, chance agreement is perfect and
kappa and alpha are undefined (0/0): the result then has ``estimate`` NaN and says why in
``extra["note"]``, so a loop over many codes keeps going.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ._check import StatsInputError, _shown, check_choice, check_level
from ._result import Result

__all__ = ["cohen_kappa", "fleiss_kappa", "krippendorff_alpha"]

WEIGHTS = (None, "linear", "quadratic")
"""Named weights of :func:`cohen_kappa` (a square array of disagreement weights also works)."""

LEVELS = ("nominal", "ordinal", "interval", "ratio")
"""Levels of measurement of :func:`krippendorff_alpha`."""

_DENSE_LIMIT = 20_000_000
"""Largest patterns x values^2 array the Krippendorff bootstrap builds at once."""

_UNDEFINED = ("undefined: every rating is in the same category, so chance agreement is "
              "perfect and the coefficient is 0/0")


# -- reading labels --------------------------------------------------------------------
def _as_labels(values: Any, name: str) -> pd.Series:
    """Labels as an object Series (missing as NaN); numbers when all of them are."""
    if isinstance(values, (str, bytes)) or values is None or np.isscalar(values):
        raise StatsInputError(f"{name} must be a sequence of codes (a list, array or "
                              f"column), not {_shown(values)}")
    if isinstance(values, pd.DataFrame) or getattr(values, "ndim", 1) != 1:
        raise StatsInputError(f"{name} must be one column of codes, not a table of shape "
                              f"{getattr(values, 'shape', '?')}")
    series = values if isinstance(values, pd.Series) else \
        pd.Series(values if isinstance(values, np.ndarray) else list(values))
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return series.astype(object).where(series.notna(), np.nan)


def _numeric_or_same(columns: list[pd.Series]) -> list[pd.Series]:
    """All columns as floats when every label is a number; otherwise unchanged."""
    converted = [pd.to_numeric(c, errors="coerce") for c in columns]
    if all(not (v.isna() & c.notna()).any() for v, c in zip(converted, columns)):
        return [v.astype("float64") for v in converted]
    return columns


def _domain(columns: list[pd.Series], originals: list[Any], categories: Any,
            need_order: bool, what: str) -> list[Any]:
    """The ordered list of categories: given, from a categorical, or sorted labels."""
    observed = pd.unique(pd.concat(columns, ignore_index=True).dropna().to_numpy()).tolist()
    if categories is not None:
        if isinstance(categories, (str, bytes)) or np.isscalar(categories):
            raise StatsInputError(f"categories must be a list of categories, not "
                                  f"{_shown(categories)}")
        domain = list(categories)
        numeric = pd.to_numeric(pd.Series(domain, dtype=object), errors="coerce")
        if numeric.notna().all() and all(pd.api.types.is_float_dtype(c) for c in columns):
            domain = [float(v) for v in numeric]
        if len(set(domain)) != len(domain):
            raise StatsInputError(f"categories has duplicates: {_shown(domain)}")
        unknown = [v for v in observed if v not in set(domain)]
        if unknown:
            raise StatsInputError(f"{what} holds {len(unknown)} code(s) not in categories, "
                                  f"e.g. {_shown(unknown[0])}; categories are "
                                  f"{_shown(domain)}")
        return domain
    for original in originals:
        dtype = getattr(original, "dtype", None)
        if isinstance(dtype, pd.CategoricalDtype):
            cats = list(original.cat.categories)
            if all(pd.api.types.is_float_dtype(c) for c in columns):
                cats = [float(v) for v in pd.to_numeric(pd.Series(cats, dtype=object))]
            extra = [v for v in observed if v not in set(cats)]
            if extra:
                raise StatsInputError(f"{what} holds codes outside the categories of its "
                                      f"categorical columns, e.g. {_shown(extra[0])}")
            if need_order and not original.cat.ordered:
                continue
            return cats
    if all(pd.api.types.is_float_dtype(c) for c in columns):
        return sorted(float(v) for v in observed)
    if need_order:
        raise StatsInputError(f"{what} holds text codes, whose order is unknown; pass "
                              f"categories=[...] in order (lowest first) or use an "
                              f"ordered categorical")
    try:
        return sorted(observed)
    except TypeError:
        return sorted(observed, key=str)


def _codes(column: pd.Series, domain: list[Any]) -> np.ndarray:
    """Positions of the labels in ``domain`` (-1 for missing)."""
    return np.asarray(pd.Categorical(column, categories=domain).codes, dtype=np.int64)


def _coders_table(data: Any, name: str = "data") -> pd.DataFrame:
    if isinstance(data, np.ndarray) and data.ndim == 2 or isinstance(data, list):
        data = pd.DataFrame(data)
    if not isinstance(data, pd.DataFrame):
        raise StatsInputError(f"{name} must be a table (DataFrame) with one row per unit "
                              f"and one column per coder, not {_shown(data)}")
    if data.shape[1] < 2:
        raise StatsInputError(f"{name} needs at least 2 coder columns; got "
                              f"{data.shape[1]} ({', '.join(map(repr, data.columns))})")
    if data.shape[0] < 1:
        raise StatsInputError(f"{name} has no units (rows)")
    return data


def _n_boot(n_boot: Any) -> int:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise StatsInputError(f"n_boot must be a whole number of at least 0; got "
                              f"{_shown(n_boot)}")
    return int(n_boot)


def _undefined(name: str, n: int, level: float, definition: str,
               extra: dict[str, Any]) -> Result:
    return Result(name=name, estimate=math.nan, ci_low=math.nan, ci_high=math.nan, n=n,
                  level=level, method="no estimate: " + _UNDEFINED, definition=definition,
                  extra={**extra, "note": _UNDEFINED})


def _resample(rng: np.random.Generator, n_units: int, size: int,
              groups: np.ndarray | None = None, n_groups: int = 0) -> np.ndarray:
    """How often each unit (or each group of units, ``groups[unit]``) is drawn in
    ``size`` bootstrap resamples of the units: a ``size`` x units (groups) array."""
    draws = rng.integers(0, n_units, (size, n_units))
    width = n_units
    if groups is not None:
        draws, width = groups[draws], n_groups
    draws = draws + (np.arange(size) * width)[:, None]
    return np.bincount(draws.ravel(), minlength=size * width).reshape(size, width)


def _percentile(values: np.ndarray, level: float) -> tuple[float, float, float | None]:
    values = values[np.isfinite(values)]
    if values.size < 2:
        return math.nan, math.nan, None
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high), float(np.std(values, ddof=1))


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
        col_a, col_b = _as_labels(a, "a"), _as_labels(b, "b")
        if len(col_a) != len(col_b):
            raise StatsInputError(f"a and b must code the same units: a has {len(col_a)} "
                                  f"codes and b has {len(col_b)}")
        col_a, col_b = (c.reset_index(drop=True) for c in _numeric_or_same([col_a, col_b]))
        both = col_a.notna() & col_b.notna()
        n_dropped = int((~both).sum())
        if not both.any():
            raise StatsInputError("a and b have no unit that both coders coded")
        col_a, col_b = col_a[both], col_b[both]
        domain = _domain([col_a, col_b], [a, b], categories,
                         need_order=weights is not None and not is_matrix, what="a and b")
        k = len(domain)
        table = np.zeros((k, k))
        np.add.at(table, (_codes(col_a, domain), _codes(col_b, domain)), 1)
    k = len(domain)
    n = int(round(table.sum()))
    if is_matrix:
        dis = np.asarray(weights, dtype="float64")
        if dis.shape != (k, k) or (dis < 0).any() or np.diag(dis).any() or dis.max() <= 0:
            raise StatsInputError(
                f"weights as an array must be a {k} x {k} matrix of disagreement weights "
                f"(at least 0, 0 on the diagonal, one per pair of the categories "
                f"{_shown(domain)}); got shape {dis.shape}")
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
        return _undefined(kind, n, level, definition, extra)
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
                f"order, as index and columns; got {_shown(list(table.index))} and "
                f"{_shown(list(table.columns))} (or pass b, the second coder's codes)")
        domain = list(table.index) if categories is None else list(categories)
        if categories is not None and list(categories) != list(table.index):
            raise StatsInputError("categories must match the table's index and columns")
        values = table.to_numpy()
    elif isinstance(table, np.ndarray) and table.ndim == 2:
        values = table
        domain = list(categories) if categories is not None else list(range(len(table)))
    else:
        raise StatsInputError(f"b is missing: pass both coders' codes as a and b, or a "
                              f"square table of counts as a; got a = {_shown(table)}")
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
    n_boot = _n_boot(n_boot)
    if counts:
        table, domain = _count_rows(data, categories)
    else:
        frame = _coders_table(data)
        columns = _numeric_or_same([_as_labels(frame[c], f"data[{c!r}]")
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
        domain = _domain(columns, [frame[c] for c in frame.columns], categories,
                         need_order=False, what="data")
        codes = np.column_stack([_codes(c, domain) for c in columns])
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
        return _undefined("Fleiss' kappa", n_units, level, definition, extra)
    kappa = float(sm_fleiss(table, method="fleiss"))
    pq = p * (1.0 - p)
    se0 = math.sqrt(2.0) / (pq.sum() * math.sqrt(n_units * raters * (raters - 1.0))) \
        * math.sqrt(pq.sum() ** 2 - (pq * ((1.0 - p) - p)).sum())
    z = kappa / se0
    low = high = math.nan
    se: float | None = None
    if n_boot:
        boot = _fleiss_boot(table, unit_agree, raters, n_boot, seed)
        low, high, se = _percentile(boot, level)
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
        weights = _resample(rng, n_units, size)
        p_bar = weights @ unit_agree / n_units
        p_cat = weights @ table / (n_units * raters)
        chance = (p_cat ** 2).sum(1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[done:done + size] = (p_bar - chance) / (1.0 - chance)
        done += size
    return out


# -- Krippendorff's alpha --------------------------------------------------------------
def krippendorff_alpha(data: Any,
                       level: Literal["nominal", "ordinal", "interval", "ratio"]
                       = "nominal", *, categories: Sequence[Any] | None = None,
                       conf_level: float = 0.95, n_boot: int = 1000,
                       seed: int = 0) -> Result:
    r"""Krippendorff's alpha: agreement among any number of coders, missing codes allowed.

    Parameters
    ----------
    data : DataFrame or 2-D array
        One row per unit, one column per coder, NaN where a coder did not code the unit.
        Units coded by fewer than 2 coders carry no information on agreement and are
        dropped (counted in ``extra["units_dropped"]``).
    level : {"nominal", "ordinal", "interval", "ratio"}
        The **level of measurement** of the codes (the issue's name for it). Because
        ``level`` is taken, the confidence level is ``conf_level`` here, unlike every
        other function in :mod:`cxresearch.stats`; ``Result.level`` still holds the
        confidence level. Interval and ratio need numbers (ratio: at least 0); ordinal
        needs an order (numbers, an ordered categorical, or ``categories``).
    categories : sequence, optional
        All categories, in order (nominal and ordinal). Unused ones do not change alpha.
    conf_level : float
        Confidence level of the interval.
    n_boot : int
        Bootstrap resamples of units for the interval (0: no interval).
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    Result
        ``estimate`` alpha; ``ci_low``, ``ci_high`` percentile bootstrap interval over
        units; ``se`` the bootstrap standard deviation; ``n`` units used; ``extra``:
        ``measurement_level``, ``n_coders``, ``n_values`` (pairable codes),
        ``units_dropped``, ``observed_disagreement``, ``expected_disagreement``,
        ``n_boot``, ``seed``. NaN with ``extra["note"]`` when all codes are the same.

    Notes
    -----
    Our own code: neither scipy nor statsmodels computes alpha. Following Krippendorff
    (2011), a unit :math:`u` with :math:`m_u \ge 2` codes adds
    :math:`(n_{uc} n_{uk} - [c = k]\, n_{uc}) / (m_u - 1)` to the coincidence matrix
    :math:`o_{ck}`; :math:`n_c = \sum_k o_{ck}`, :math:`n = \sum_c n_c`, and

    .. math::

        \alpha = 1 - (n - 1) \frac{\sum_{c,k} o_{ck}\, \delta^2_{ck}}
        {\sum_{c,k} n_c n_k\, \delta^2_{ck}},

    with :math:`\delta^2_{ck}` = :math:`[c \ne k]` (nominal),
    :math:`(\sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2` (ordinal),
    :math:`(c - k)^2` (interval), :math:`((c - k)/(c + k))^2` (ratio).
    Checked against Krippendorff (2011)'s worked example (4 coders x 12 units with
    missing codes: nominal .743, ordinal .815, interval .849, ratio .797) and the
    example of Wikipedia's "Krippendorff's alpha" article (nominal .691, interval .811).
    The interval resamples units (a plain bootstrap; Krippendorff's own bootstrap
    resamples pairs of values and can differ a little).

    References: Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
    Annenberg School for Communication, University of Pennsylvania.
    https://repository.upenn.edu/asc_papers/43. Hayes, A. F., & Krippendorff, K. (2007).
    Communication Methods and Measures, 1(1), 77-89.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> codes = pd.DataFrame({"ann": [1, 2, 3, 3, 2, 1], "bob": [1, 2, 3, 3, 2, 2],
    ...                       "cem": [np.nan, 3, 3, 3, 2, 3]})
    >>> res = krippendorff_alpha(codes, "ordinal", n_boot=200)
    >>> round(res.estimate, 3)
    0.593
    """
    conf_level = check_level(conf_level, "conf_level")
    check_choice("level", level, LEVELS)
    n_boot = _n_boot(n_boot)
    frame = _coders_table(data)
    columns = _numeric_or_same([_as_labels(frame[c], f"data[{c!r}]") for c in frame.columns])
    numeric = all(pd.api.types.is_float_dtype(c) for c in columns)
    if level in ("interval", "ratio") and not numeric:
        raise StatsInputError(f"data must hold numbers for level={level!r}; recode the "
                              f"labels or use level='nominal' or 'ordinal'")
    if numeric and any(np.isinf(c.to_numpy(float)).any() for c in columns):
        raise StatsInputError("data contains infinite values")
    if level == "ratio" and any((c.dropna() < 0).any() for c in columns):
        raise StatsInputError("data holds negative numbers, which a ratio scale (with a "
                              "true zero) does not have; use level='interval'")
    domain = _domain(columns, [frame[c] for c in frame.columns], categories,
                     need_order=level == "ordinal", what="data")
    codes = np.column_stack([_codes(c, domain) for c in columns])
    counts = np.zeros((len(frame), len(domain)))
    rows = np.repeat(np.arange(len(frame)), codes.shape[1])
    flat = codes.ravel()
    np.add.at(counts, (rows[flat >= 0], flat[flat >= 0]), 1)
    m = counts.sum(1)
    keep = m >= 2
    if not keep.any():
        raise StatsInputError("data: no unit was coded by at least 2 coders, so there is "
                              "no agreement to measure; alpha needs units that 2 or more "
                              "coders coded")
    counts, m = counts[keep], m[keep]
    values = np.asarray(domain, dtype=float) if numeric else np.arange(len(domain), dtype="float64")
    scaled = 1.0 / (m - 1.0)
    coincidence = (counts * scaled[:, None]).T @ counts - np.diag(scaled @ counts)
    alpha, observed, expected = _alpha_from(coincidence[None], values, level)
    extra: dict[str, Any] = {
        "measurement_level": level, "n_coders": frame.shape[1],
        "n_values": int(m.sum()), "units_dropped": int((~keep).sum()),
        "observed_disagreement": float(observed[0]),
        "expected_disagreement": float(expected[0])}
    name = f"Krippendorff's alpha ({level})"
    definition = (f"agreement among coders on {level} codes, 1 - observed / expected "
                  f"disagreement: 1 perfect, 0 as if codes were assigned at random")
    if not math.isfinite(float(alpha[0])):
        return _undefined(name, int(keep.sum()), conf_level, definition, extra)
    low = high = math.nan
    se: float | None = None
    if n_boot:
        boot = _krippendorff_boot(counts, scaled, values, level, n_boot, seed)
        low, high, se = _percentile(boot, conf_level)
    method = ("coincidence-matrix method of Krippendorff (2011), our own code; " +
              (f"percentile bootstrap interval over units ({n_boot} resamples, seed {seed})"
               if n_boot else "no interval (n_boot=0)"))
    return Result(name=name, estimate=float(alpha[0]), ci_low=low, ci_high=high,
                  n=int(keep.sum()), level=conf_level, se=se, method=method,
                  definition=definition, extra={**extra, "n_boot": n_boot, "seed": seed})


def _alpha_from(coincidence: np.ndarray, values: np.ndarray,
                level: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alpha, observed and expected disagreement for a stack of coincidence matrices."""
    n_c = coincidence.sum(2)                       # (b, V)
    n = n_c.sum(1)                                 # (b,)
    if level == "nominal":
        delta = (1.0 - np.eye(len(values)))[None]
    elif level == "ordinal":
        cum = np.cumsum(n_c, axis=1)
        low = np.minimum.outer(np.arange(len(values)), np.arange(len(values)))
        high = np.maximum.outer(np.arange(len(values)), np.arange(len(values)))
        between = cum[:, high] - cum[:, low] + n_c[:, low]
        delta = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2.0) ** 2
    elif level == "interval":
        delta = np.subtract.outer(values, values)[None] ** 2
    else:
        total = np.add.outer(values, values)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total == 0, 0.0, np.subtract.outer(values, values) / total)
        delta = (ratio ** 2)[None]
    observed = (coincidence * delta).sum((1, 2)) / n
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum((1, 2)) / (n * (n - 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(expected > 1e-15, 1.0 - observed / expected, np.nan)
    return alpha, observed, expected


def _krippendorff_boot(counts: np.ndarray, scaled: np.ndarray, values: np.ndarray,
                       level: str, n_boot: int, seed: int) -> np.ndarray:
    """Alpha of ``n_boot`` resamples of units, in chunks of bounded memory.

    Units with the same codes add the same to the coincidence matrix, so resamples are
    counted per distinct pattern of codes (few, for coded data) and the coincidence
    matrices of a chunk of resamples are one matrix product."""
    rng = np.random.default_rng(seed)
    n_units, n_values = counts.shape
    patterns, first, groups = np.unique(counts, axis=0, return_index=True,
                                        return_inverse=True)
    groups = np.asarray(groups).ravel()
    scale = scaled[first]
    idx = np.arange(n_values)
    dense = len(patterns) * n_values ** 2 <= _DENSE_LIMIT
    if dense:
        per_pattern = patterns[:, :, None] * patterns[:, None, :] * scale[:, None, None]
        per_pattern[:, idx, idx] -= patterns * scale[:, None]
        flat = per_pattern.reshape(len(patterns), -1)
    chunk = max(1, min(n_boot, 4_000_000 // max(n_units, n_values ** 2, 1)))
    out = np.empty(n_boot)
    done = 0
    while done < n_boot:
        size = min(chunk, n_boot - done)
        w = _resample(rng, n_units, size, groups, len(patterns)).astype("float64")
        if dense:
            coincidence = (w @ flat).reshape(size, n_values, n_values)
        else:  # many distinct values: one V x V product per resample
            coincidence = np.stack([(patterns * (row * scale)[:, None]).T @ patterns
                                    for row in w])
            coincidence[:, idx, idx] -= (w * scale) @ patterns
        out[done:done + size] = _alpha_from(coincidence, values, level)[0]
        done += size
    return out
