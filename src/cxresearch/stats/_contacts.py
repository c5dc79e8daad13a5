"""Contact-log views: when contacts arrive, what they are about, and first time right.

Anonymous operational data (DOMAIN.md, practice 3): a contact log with one row per
contact (the simulator's ``contacts.csv``: ``contact_id, timestamp, channel, category,
team, handling_minutes, resolved_first_contact, repeat_contact``) tells when most calls
arrive, so staffing can follow demand; which questions come in most; and how often a
question is settled at the first contact.

Intervals of shares are Wilson score intervals from statsmodels
(``statsmodels.stats.proportion.proportion_confint(method="wilson")``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._numbers import number
from ._check import StatsInputError, check_choice, check_level, shown

__all__ = ["ARRIVAL_COLUMNS", "CATEGORY_COLUMNS", "FCR_COLUMNS", "WEEKDAYS",
           "ContactArrivals", "contact_arrivals", "contact_categories",
           "first_contact_resolution"]

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}
"""Weekday names per language, Monday first (ISO 8601)."""

ARRIVAL_COLUMNS = ("weekday", "weekday_name", "hour", "count", "share", "days",
                   "mean_per_day")
"""Columns of :attr:`ContactArrivals.table`."""
CATEGORY_COLUMNS = ("category", "count", "share", "ci_low", "ci_high", "cumulative_share")
"""Columns of :func:`contact_categories`."""
FCR_COLUMNS = ("n", "n_first", "fcr", "fcr_low", "fcr_high", "n_repeat", "repeat_rate",
               "repeat_low", "repeat_high", "suppressed")
"""Columns of :func:`first_contact_resolution` (after the group column)."""


# -- input --------------------------------------------------------------------------------
def _frame(contacts: Any) -> pd.DataFrame:
    if not isinstance(contacts, pd.DataFrame):
        raise StatsInputError(f"contacts must be a DataFrame (one row per contact, e.g. "
                              f"pandas.read_csv('contacts.csv')), not "
                              f"{type(contacts).__name__}")
    return contacts


def _column(frame: pd.DataFrame, name: Any, argument: str) -> pd.Series:
    if not isinstance(name, str) or name not in frame.columns:
        columns = ", ".join(map(str, list(frame.columns)[:12]))
        raise StatsInputError(f"{argument}={name!r} is not a column of contacts; columns: "
                              f"{columns}. Pass the name of the column with {argument}=...")
    return frame[name]


def _timestamps(series: pd.Series, argument: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
    else:
        parsed = pd.to_datetime(series, errors="coerce")
        retry = parsed.isna() & series.notna()
        if retry.any():
            parsed = parsed.where(~retry, pd.to_datetime(series[retry], errors="coerce",
                                                          format="mixed"))
    bad = parsed.isna()
    if bad.any():
        where = int(np.flatnonzero(bad.to_numpy())[0])
        raise StatsInputError(
            f"{argument} '{series.name}': {int(bad.sum())} value(s) are missing or cannot be "
            f"read as a date and time; the first is in row {_label(series.index[where])} "
            f"(position {where}): {shown(series.iloc[where])}. Use e.g. "
            f"'2026-02-02 09:15:00', or convert the column with pandas.to_datetime")
    return parsed


def _label(value: Any) -> str:
    """A row label as a reader writes it (``11``, not ``np.int64(11)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


_TRUE = {"true", "1", "yes", "ja", "waar", "t", "y", "j", "1.0"}
_FALSE = {"false", "0", "no", "nee", "onwaar", "f", "n", "0.0"}


def _flags(series: pd.Series, argument: str) -> pd.Series:
    """True/False per contact; booleans, 0/1 and the words true/false (yes/no, ja/nee)."""
    if pd.api.types.is_bool_dtype(series.dtype) and not series.isna().any():
        return series.astype(bool)
    text = series.astype("string").str.strip().str.lower()
    is_true, is_false = text.isin(_TRUE).fillna(False), text.isin(_FALSE).fillna(False)
    bad = ~(is_true | is_false)
    if bad.any():
        where = int(np.flatnonzero(bad.to_numpy())[0])
        raise StatsInputError(
            f"{argument} '{series.name}' must hold True/False (or 1/0, 'true'/'false'); "
            f"{int(bad.sum())} value(s) do not, the first in row {_label(series.index[where])} "
            f"(position {where}): {shown(series.iloc[where])}. Recode the column or name "
            f"the right one with {argument}=...")
    return pd.Series(is_true.to_numpy(dtype=bool), index=series.index, name=series.name)


def _wilson(count: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    from statsmodels.stats.proportion import proportion_confint

    count, n = np.asarray(count, dtype="float64"), np.asarray(n, dtype="float64")
    low, high = np.full(n.shape, np.nan), np.full(n.shape, np.nan)
    ok = n > 0
    if ok.any():
        lo, hi = proportion_confint(count[ok], n[ok], alpha=1 - level, method="wilson")
        low[ok], high[ok] = lo, hi
    return low, high


# -- arrivals -----------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ContactArrivals:
    """Contacts by weekday and hour.

    Attributes
    ----------
    table : DataFrame
        Tidy, 7 x 24 rows (every weekday and hour, zeros included), columns
        :data:`ARRIVAL_COLUMNS`: ``weekday`` (0 = Monday), ``weekday_name`` (in ``lang``),
        ``hour`` (0-23), ``count``, ``share`` of all contacts, ``days`` (how many such
        weekdays the log spans, first to last date) and ``mean_per_day`` (count / days).
    pivot : DataFrame
        Counts as a 7 x 24 table: weekday names (rows, Monday first) by hour (columns).
    n : int
        Contacts counted.
    peak_weekday, peak_hour : str, int
        The weekday (named in ``lang``) and the hour of day with the most contacts.
    lang : str
        Language of the weekday names.
    """

    table: pd.DataFrame
    pivot: pd.DataFrame
    n: int
    peak_weekday: str
    peak_hour: int
    lang: str = "en"
    by_weekday: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """The tidy table (a copy)."""
        return self.table.copy()

    def _repr_html_(self) -> str:
        n = number(self.n, self.lang, 0)
        title = {"en": f"Contacts by weekday and hour (n = {n}); busiest: "
                       f"{self.peak_weekday}, {self.peak_hour}:00-{self.peak_hour + 1}:00",
                 "nl": f"Contacten per weekdag en uur (n = {n}); drukst: "
                       f"{self.peak_weekday}, {self.peak_hour}:00-{self.peak_hour + 1}:00"}
        return (f"<div class='cx-arrivals'><b>{html.escape(title[self.lang])}</b>"
                f"{self.pivot.to_html()}</div>")


def contact_arrivals(contacts: pd.DataFrame, timestamp: str = "timestamp", *,
                     lang: str = "en") -> ContactArrivals:
    """When contacts arrive: counts by weekday and hour of day.

    Parameters
    ----------
    contacts : DataFrame
        One row per contact.
    timestamp : str
        The column with the contact's date and time (datetimes, or text pandas can
        read, e.g. ``2026-02-02 09:15:00``).
    lang : {"en", "nl"}
        Language of the weekday names.

    Returns
    -------
    ContactArrivals
        ``.table`` (tidy, :data:`ARRIVAL_COLUMNS`), ``.pivot`` (7 x 24), ``.n``,
        ``.peak_weekday``, ``.peak_hour``, ``.by_weekday`` (weekday, weekday_name,
        count, share, days, mean_per_day).

    Raises
    ------
    StatsInputError
        A missing column, or a timestamp that is missing or cannot be read (the message
        names the row).

    Notes
    -----
    ``mean_per_day`` divides the count by the number of such weekdays between the first
    and the last date of the log, so a log of 8 weeks gives contacts per Monday.
    Weekdays follow ISO 8601 (Monday first).

    Examples
    --------
    >>> log = pd.DataFrame({"timestamp": ["2026-02-02 09:10", "2026-02-02 09:40",
    ...                                   "2026-02-03 14:05"]})
    >>> a = contact_arrivals(log, lang="nl")
    >>> a.peak_weekday, a.peak_hour, int(a.pivot.loc["maandag", 9])
    ('maandag', 9, 2)
    """
    check_choice("lang", lang, WEEKDAYS)
    frame = _frame(contacts)
    stamps = _timestamps(_column(frame, timestamp, "timestamp"), "timestamp")
    names = WEEKDAYS[lang]
    wd = stamps.dt.day_of_week.to_numpy()
    hr = stamps.dt.hour.to_numpy()
    counts = np.zeros((7, 24), dtype="int64")
    np.add.at(counts, (wd, hr), 1)
    n = int(counts.sum())
    if n:
        dates = pd.date_range(stamps.min().normalize(), stamps.max().normalize(), freq="D")
        days = np.bincount(dates.day_of_week, minlength=7)
    else:
        days = np.zeros(7, dtype="int64")
    table = pd.DataFrame({
        "weekday": np.repeat(np.arange(7), 24),
        "weekday_name": np.repeat(np.array(names, dtype=object), 24),
        "hour": np.tile(np.arange(24), 7),
        "count": counts.ravel(),
    })
    table["share"] = table["count"] / n if n else np.nan
    table["days"] = np.repeat(days, 24)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["mean_per_day"] = np.where(table["days"] > 0,
                                         table["count"] / table["days"].clip(lower=1), np.nan)
    pivot = pd.DataFrame(counts, index=pd.Index(names, name="weekday"),
                         columns=pd.Index(range(24), name="hour"))
    per_day = counts.sum(axis=1)
    by_weekday = pd.DataFrame({"weekday": np.arange(7), "weekday_name": list(names),
                               "count": per_day,
                               "share": per_day / n if n else np.nan, "days": days})
    by_weekday["mean_per_day"] = np.where(days > 0, per_day / np.clip(days, 1, None),
                                          np.nan)
    return ContactArrivals(table=table, pivot=pivot, n=n,
                           peak_weekday=names[int(np.argmax(per_day))],
                           peak_hour=int(np.argmax(counts.sum(axis=0))), lang=lang,
                           by_weekday=by_weekday)


# -- categories ---------------------------------------------------------------------------
def contact_categories(contacts: pd.DataFrame, category: str = "category", *,
                       level: float = 0.95) -> pd.DataFrame:
    """What contacts are about, most frequent first (a Pareto table).

    Parameters
    ----------
    contacts : DataFrame
        One row per contact.
    category : str
        The column with the kind of question.
    level : float
        Confidence level of the Wilson interval of each share.

    Returns
    -------
    DataFrame
        Columns :data:`CATEGORY_COLUMNS`: ``category``, ``count``, ``share`` of all
        contacts with a category, its Wilson interval ``ci_low``/``ci_high``, and
        ``cumulative_share``, sorted by count (ties by name). Contacts without a category
        are left out; ``attrs["n_missing"]`` counts them.

    Examples
    --------
    >>> log = pd.DataFrame({"category": ["status", "status", "invoice", "status"]})
    >>> contact_categories(log)[["category", "count", "cumulative_share"]]
      category  count  cumulative_share
    0   status      3              0.75
    1  invoice      1              1.00
    """
    level = check_level(level)
    series = _column(_frame(contacts), category, "category")
    known = series.dropna().astype(str)
    counts = known.value_counts()
    table = pd.DataFrame({"category": counts.index.astype(str),
                          "count": counts.to_numpy(dtype="int64")})
    table = table.sort_values(["count", "category"], ascending=[False, True],
                              kind="mergesort").reset_index(drop=True)
    n = int(table["count"].sum())
    table["share"] = table["count"] / n if n else np.nan
    low, high = _wilson(table["count"].to_numpy(), np.full(len(table), n), level)
    table["ci_low"], table["ci_high"] = low, high
    table["cumulative_share"] = table["share"].cumsum()
    table.attrs.update({"n": n, "n_missing": int(series.isna().sum()), "level": level,
                        "method": "Wilson score interval (statsmodels proportion_confint)"})
    return table[list(CATEGORY_COLUMNS)]


# -- first contact resolution -------------------------------------------------------------
def first_contact_resolution(contacts: pd.DataFrame, by: str | None = "team", *,
                             resolved: str = "resolved_first_contact",
                             repeat: str = "repeat_contact", level: float = 0.95,
                             min_group_size: int = 5) -> pd.DataFrame:
    """First-contact resolution (first time right) and repeat contacts per group.

    Parameters
    ----------
    contacts : DataFrame
        One row per contact.
    by : str or None
        The group column (default ``"team"``); None for one row over all contacts.
    resolved : str
        True when the contact settled the question.
    repeat : str
        True when the customer came back about a question not yet settled.
    level : float
        Confidence level of the Wilson intervals.
    min_group_size : int
        Groups with fewer contacts are suppressed (default 5), also where they could be
        recovered by subtracting the shown groups from the total number of contacts
        (:func:`cxresearch.data.privacy.small_cell_mask`).

    Returns
    -------
    DataFrame
        One row per group: the group column, then :data:`FCR_COLUMNS`: ``n`` contacts,
        ``n_first`` first contacts (not repeats), ``fcr`` the share of first contacts
        resolved at once with ``fcr_low``/``fcr_high``, ``n_repeat`` and ``repeat_rate``
        (share of all contacts that are repeats) with ``repeat_low``/``repeat_high``, and
        ``suppressed`` (figures missing). Sorted by ``fcr``, highest first.

    Notes
    -----
    :math:`FCR = \\#\\{resolved \\wedge \\neg repeat\\} / \\#\\{\\neg repeat\\}`: only
    first contacts count, because a repeat contact is by definition not a first one.
    Intervals are Wilson score intervals (statsmodels ``proportion_confint``).

    Examples
    --------
    >>> log = pd.DataFrame({"team": ["a"] * 6,
    ...                     "resolved_first_contact": [True, True, True, False, False, True],
    ...                     "repeat_contact": [False, False, False, False, True, True]})
    >>> row = first_contact_resolution(log).iloc[0]
    >>> int(row["n_first"]), float(row["fcr"]), round(float(row["repeat_rate"]), 3)
    (4, 0.75, 0.333)
    """
    from ..data.privacy import small_cell_mask

    level = check_level(level)
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, (int, np.integer)) \
            or min_group_size < 1:
        raise StatsInputError(f"min_group_size must be a whole number of at least 1 (the "
                              f"study's minimum group size, e.g. 5); got "
                              f"{shown(min_group_size)}")
    frame = _frame(contacts)
    ok = _flags(_column(frame, resolved, "resolved"), "resolved").to_numpy()
    rep = _flags(_column(frame, repeat, "repeat"), "repeat").to_numpy()
    key = "group" if by is None else by
    groups = (pd.Series("all", index=frame.index) if by is None
              else _column(frame, by, "by").astype("object"))
    work = pd.DataFrame({key: groups.to_numpy(), "first": ~rep, "first_ok": ok & ~rep,
                         "rep": rep})
    stats = work.groupby(key, sort=True, dropna=False).agg(
        n=("rep", "size"), n_first=("first", "sum"), n_ok=("first_ok", "sum"),
        n_repeat=("rep", "sum")).reset_index()
    fl, fh = _wilson(stats["n_ok"].to_numpy(), stats["n_first"].to_numpy(), level)
    rl, rh = _wilson(stats["n_repeat"].to_numpy(), stats["n"].to_numpy(), level)
    with np.errstate(invalid="ignore", divide="ignore"):
        fcr = stats["n_ok"].to_numpy() / stats["n_first"].to_numpy()
    table = pd.DataFrame({
        key: stats[key], "n": stats["n"].astype("int64"),
        "n_first": stats["n_first"].astype("int64"), "fcr": fcr, "fcr_low": fl,
        "fcr_high": fh, "n_repeat": stats["n_repeat"].astype("int64"),
        "repeat_rate": stats["n_repeat"] / stats["n"], "repeat_low": rl, "repeat_high": rh})
    hidden = small_cell_mask(table[[key, "n"]], int(min_group_size), count="n",
                             groups=key, total=int(len(frame))).to_numpy(dtype=bool)
    values = [c for c in FCR_COLUMNS if c not in ("suppressed", key)]
    counts = ["n", "n_first", "n_repeat"]
    for column in values:  # hidden cells lose their figures; counts stay whole numbers
        kind = "Int64" if column in counts else "float64"
        table[column] = table[column].astype(kind).mask(hidden)
    table["suppressed"] = hidden
    table = table.sort_values("fcr", ascending=False, na_position="last",
                              kind="mergesort").reset_index(drop=True)
    table.attrs.update({"level": level, "min_group_size": int(min_group_size),
                        "n": int(len(frame)),
                        "method": "Wilson score interval (statsmodels proportion_confint)"})
    return table
