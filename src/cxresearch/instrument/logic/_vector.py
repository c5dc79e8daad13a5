"""Evaluating an expression for every row of a DataFrame at once: :func:`evaluate_frame`.

This is a vectorised translation of :func:`evaluate <._evaluate.evaluate>`, made to agree
with it row by row. A sub-expression's value for all rows is a :class:`_Vec`: a kind per
row (text, number, boolean or date), a float64 array for numbers, booleans (0/1) and
dates (days since 1970-01-01), and, for text rows, codes into a table of the values the
scalar evaluator would hold (``str``, a ``tuple`` for a multiple-choice list, or another
object). Numbers, booleans and dates are computed with numpy. Functions of text --
comparisons of two texts, ``selected``, ``count-selected``, ``string-length``, ``regex``,
``contains``, ``concat``, ``date`` of a text, reading a text as a number -- run the
scalar helpers once per *distinct* value (or distinct pair of values) and spread the
results back by code, so their semantics are the scalar ones by construction while the
cost is one call per distinct answer, not per respondent.

numpy and pandas are imported inside the functions, so that importing the logic package
stays light (see ``tests/test_package.py``).
"""

from __future__ import annotations

import datetime
import math
import numbers
import operator
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from ._evaluate import (
    _EPOCH,
    _ORDER,
    _choices,
    _compare,
    _date_key,
    _normalise,
    _numeric,
    _round,
    _scalar,
    _string,
    _to_date,
    _truthy,
)
from ._nodes import BinOp, Call, Current, Expr, Literal, Neg, Ref, _check
from ._parse import references

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import NDArray

__all__ = ["evaluate_frame"]

_TEXT, _NUM, _BOOL, _DATE = 0, 1, 2, 3
_MIN_DAY = (datetime.date.min - _EPOCH).days
_MAX_DAY = (datetime.date.max - _EPOCH).days
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_Table = list[object]


class _Vec:
    """One sub-expression's values for all rows; see the module docstring."""

    __slots__ = ("codes", "kind", "num", "table")

    def __init__(self, kind: NDArray[Any], num: NDArray[Any], codes: NDArray[Any],
                 table: _Table) -> None:
        self.kind, self.num, self.codes, self.table = kind, num, codes, table

    def take(self, rows: NDArray[Any]) -> _Vec:
        return _Vec(self.kind[rows], self.num[rows], self.codes[rows], self.table)

    def with_empty_row(self) -> _Vec:
        """A copy with one more row at the end holding ''."""
        import numpy as np
        return _Vec(np.append(self.kind, np.int8(_TEXT)), np.append(self.num, np.nan),
                    np.append(self.codes, len(self.table)), self.table + [""])

    def objects(self) -> list[object]:
        """Each row's value as the scalar evaluator returns it (for tests)."""
        out: list[object] = []
        for kind, num, code in zip(self.kind.tolist(), self.num.tolist(), self.codes.tolist()):
            out.append(_scalar(self.table[code]) if kind == _TEXT else num if kind == _NUM
                       else bool(num) if kind == _BOOL else _day(num))
        return out


def _day(days: float) -> datetime.date:
    return _EPOCH + datetime.timedelta(days=int(days))


def _float(value: Any) -> float:
    try:
        return float(value)
    except OverflowError:  # an int past 1e308: numbers here are doubles
        return math.copysign(math.inf, value)


def _classify(value: object) -> tuple[int, float]:
    """Kind and number of a value as the scalar evaluator holds it (already normalised)."""
    if isinstance(value, bool):
        return _BOOL, float(value)
    if isinstance(value, numbers.Real):
        return _NUM, _float(value)
    if isinstance(value, datetime.date):
        return _DATE, float((value - _EPOCH).days)
    return _TEXT, math.nan


def _from_table(codes: NDArray[Any], table: _Table) -> _Vec:
    """Row i holds ``table[codes[i]]``."""
    import numpy as np
    types = set(map(type, table))
    if types <= {str}:  # the common cases without a Python loop over the table
        return _Vec(np.zeros(len(codes), np.int8), np.full(len(codes), np.nan), codes, table)
    if types <= {int, float}:
        try:
            nums = np.array(table, "float64")
        except OverflowError:  # an int past 1e308: see _float
            pass
        else:
            return _Vec(np.full(len(codes), _NUM, np.int8), nums[codes], codes, table)
    kinds = np.empty(len(table), np.int8)
    nums = np.empty(len(table), np.float64)
    for j, value in enumerate(table):
        kinds[j], nums[j] = _classify(value)
    return _Vec(kinds[codes], nums[codes], codes, table)


def _const(value: object, n: int) -> _Vec:
    import numpy as np
    return _from_table(np.zeros(n, np.intp), [value])


def _dense(kind: int, values: NDArray[Any], missing: NDArray[Any]) -> _Vec:
    """Numbers, booleans or dates from a float array; missing rows hold ''."""
    import numpy as np
    return _Vec(np.where(missing, _TEXT, kind).astype(np.int8), values,
                np.zeros(len(values), np.intp), [""])


def _bools(values: NDArray[Any]) -> _Vec:
    import numpy as np
    return _dense(_BOOL, values.astype("float64"), np.zeros(len(values), bool))


def _where(cond: NDArray[Any], a: _Vec, b: _Vec) -> _Vec:
    import numpy as np
    return _Vec(np.where(cond, a.kind, b.kind), np.where(cond, a.num, b.num),
                np.where(cond, a.codes, b.codes + len(a.table)), a.table + b.table)


# ------------------------------------------------------------------------------ columns

def _box(value: object) -> object:
    """A numpy scalar as the Python value ``DataFrame.to_dict("records")`` gives."""
    import numpy as np
    import pandas as pd
    if isinstance(value, np.generic):
        if isinstance(value, np.datetime64):
            return pd.Timestamp(value)
        if isinstance(value, np.timedelta64):
            return pd.Timedelta(value)
        if isinstance(value, (np.bool_, np.number)):
            return value.item()
    return value


def _column(series: pd.Series) -> _Vec:
    """A column's answers, read the way the scalar evaluator reads one row's answer."""
    import numpy as np
    import pandas as pd
    from pandas.api import types

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):  # the category values, not .cat.codes
        categories = _column(pd.Series(dtype.categories)).with_empty_row()
        codes = series.cat.codes.to_numpy()
        return categories.take(np.where(codes < 0, len(dtype.categories), codes))
    if types.is_bool_dtype(dtype):
        return _dense(_BOOL, series.to_numpy(dtype="float64", na_value=np.nan),
                      series.isna().to_numpy())
    if types.is_integer_dtype(dtype) or types.is_float_dtype(dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        return _dense(_NUM, values, np.isnan(values))  # NaN and NA are ''
    if isinstance(dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)  # the local date, as Timestamp.date() gives
        dtype = series.dtype
    if types.is_datetime64_dtype(dtype):
        stamps = series.to_numpy()
        days = stamps.astype("datetime64[D]").astype(np.int64).astype("float64")
        return _dense(_DATE, days, np.isnat(stamps))
    if isinstance(dtype, pd.StringDtype) or (
            isinstance(dtype, pd.ArrowDtype) and types.is_string_dtype(dtype)) or (
            dtype == object and types.infer_dtype(series, skipna=True) == "string"):
        codes, uniques = pd.factorize(series)
        table: _Table = uniques.to_numpy(dtype=object).tolist()
        table.append("")
        return _from_table(np.where(codes < 0, len(table) - 1, codes).astype(np.intp), table)
    # Anything else (mixed objects, lists, timedeltas, ...): value by value.
    values = [_normalise(_box(v)) for v in series.to_numpy(dtype=object)]
    return _from_table(np.arange(len(values), dtype=np.intp), values)


# ------------------------------------------------------------------------------ derived arrays

def _per_text(vec: _Vec, f: Callable[[object], Any], dtype: str) -> NDArray[Any]:
    """``f`` of each row's text value (only meaningful on text rows)."""
    import numpy as np
    return np.array([f(v) for v in vec.table], dtype=dtype)[vec.codes]


def _truth(vec: _Vec) -> NDArray[Any]:
    """XPath boolean(): a non-zero number, a non-empty text or selection, any date."""
    import numpy as np
    kind = vec.kind
    out = (kind == _DATE) | ((kind != _TEXT) & (vec.num != 0) & ~np.isnan(vec.num))
    text = kind == _TEXT
    if text.any():
        out |= text & _per_text(vec, _truthy, "bool")
    return out


def _keys(vec: _Vec, key: Callable[[object], int | float | None]
          ) -> tuple[NDArray[Any], NDArray[Any]]:
    """``key`` of each row's value (``_numeric`` or ``_date_key``) and where it is not None."""
    import numpy as np
    x, ok = vec.num, vec.kind != _TEXT
    text = ~ok
    if text.any():
        pairs = [key(_scalar(v)) for v in vec.table]
        tx = np.array([math.nan if k is None else _float(k) for k in pairs])[vec.codes]
        tok = np.array([k is not None for k in pairs], dtype=bool)[vec.codes]
        x, ok = np.where(text, tx, x), np.where(text, tok, ok)
    return x, ok


def _number(vec: _Vec) -> NDArray[Any]:
    """The scalar ``_number``: the number a value stands for, NaN when none."""
    import numpy as np
    x, ok = _keys(vec, _numeric)
    return np.where(ok, x, np.nan)


def _objects(vec: _Vec) -> tuple[NDArray[Any], _Table]:
    """Codes into a table of Python values for every row, numbers and dates included."""
    import numpy as np
    import pandas as pd
    kind = vec.kind
    codes, table = vec.codes.copy(), list(vec.table)
    convert: dict[int, Callable[[float], object]] = {_NUM: float, _BOOL: bool, _DATE: _day}
    for k, to_value in convert.items():
        rows = kind == k
        if rows.any():
            sub, uniques = pd.factorize(vec.num[rows], use_na_sentinel=False)
            codes[rows] = sub + len(table)
            table += [to_value(u) for u in uniques.tolist()]
    return codes, table


def _pairs(ca: NDArray[Any], ta: _Table, cb: NDArray[Any], tb: _Table,
           f: Callable[[Any, Any], object]) -> tuple[NDArray[Any], _Table]:
    """``f(ta[ca[i]], tb[cb[i]])`` for every row, called once per distinct pair."""
    import numpy as np
    import pandas as pd
    if len(tb) == 1:
        return ca, [f(x, tb[0]) for x in ta]
    if len(ta) == 1:
        return cb, [f(ta[0], y) for y in tb]
    codes, uniques = pd.factorize(ca.astype(np.int64) * len(tb) + cb)
    return codes.astype(np.intp), [f(ta[k // len(tb)], tb[k % len(tb)]) for k in uniques.tolist()]


def _apply(args: list[_Vec], f: Callable[..., object]) -> _Vec:
    """``f`` on the Python values of one or two vectors, once per distinct (pair of) values."""
    ca, ta = _objects(args[0])
    if len(args) == 1:
        return _from_table(ca, [f(x) for x in ta])
    cb, tb = _objects(args[1])
    return _from_table(*_pairs(ca, ta, cb, tb, f))


# ------------------------------------------------------------------------------ operators

def _compare_rows(op: str, a: _Vec, b: _Vec) -> NDArray[Any]:
    """The scalar ``_compare`` for every row, split by the kinds on both sides."""
    import numpy as np
    ka, kb = a.kind, b.kind
    out = np.zeros(len(ka), dtype=bool)
    boolean = (ka == _BOOL) | (kb == _BOOL)
    texts = (ka == _TEXT) & (kb == _TEXT)
    rest = ~boolean & ~texts
    if boolean.any():  # truth values; = and != compare them, the others order 0 and 1
        x, y = _truth(a), _truth(b)
        r = (x == y) == (op == "=") if op in ("=", "!=") else _ORDER[op](x.astype(int),
                                                                         y.astype(int))
        out[boolean] = r[boolean]
    if texts.any():  # two texts: the scalar rule, once per distinct pair
        rows = np.flatnonzero(texts)
        codes, table = _pairs(a.codes[rows], a.table, b.codes[rows], b.table,
                              lambda x, y: _compare(op, _scalar(x), _scalar(y)))
        out[rows] = np.array(table, dtype=bool)[codes]
    if rest.any():  # numbers, or days when a date is on either side
        dates = (ka == _DATE) | (kb == _DATE)
        (xa, oka), (xb, okb) = _keys(a, _numeric), _keys(b, _numeric)
        if (dates & rest).any():
            (da, dka), (db, dkb) = _keys(a, _date_key), _keys(b, _date_key)
            xa, oka = np.where(dates, da, xa), np.where(dates, dka, oka)
            xb, okb = np.where(dates, db, xb), np.where(dates, dkb, okb)
        with np.errstate(invalid="ignore"):
            r = np.where(oka & okb, _ORDER[op](xa, xb), op == "!=")
        out[rest] = r[rest]
    return out


def _arith_rows(op: str, x: NDArray[Any], y: NDArray[Any]) -> NDArray[Any]:
    import numpy as np
    with np.errstate(all="ignore"):
        if op in _ARITH:
            result: NDArray[Any] = _ARITH[op](x, y)
            return result
        undefined = (y == 0) | np.isnan(y)  # div and mod by zero give NaN
        return np.where(undefined, np.nan, x / y if op == "div" else np.fmod(x, y))


def _round_rows(x: NDArray[Any], digits: NDArray[Any]) -> NDArray[Any]:
    """round(): half away from zero on the decimal the float prints as, like the scalar.

    Rows whose scaled value is within 1e-6 of a half (where binary floats could round the
    other way than the decimal does), huge, or with odd digits go through the scalar
    ``_round``, once per distinct (value, digits) pair.
    """
    import numpy as np
    import pandas as pd
    with np.errstate(all="ignore"):
        n = np.trunc(digits)
        fine = np.isfinite(x) & (np.abs(n) <= 15)
        n = np.where(fine, n, 0)
        s = np.where(n >= 0, x * 10.0 ** n, x / 10.0 ** -n)
        fine &= np.abs(s) < 1e9
        mag = np.abs(s)
        fine &= np.abs(mag - np.floor(mag) - 0.5) > 1e-6
        r = np.copysign(np.floor(mag + 0.5), s)
        out = np.where(n > 0, r / 10.0 ** n, r * 10.0 ** -n)
    slow = np.flatnonzero(~fine)
    if len(slow):
        cx, ux = pd.factorize(x[slow], use_na_sentinel=False)
        cd, ud = pd.factorize(digits[slow], use_na_sentinel=False)
        codes, table = _pairs(cx, ux.tolist(), cd, ud.tolist(), _round)
        out[slow] = np.array(table, dtype="float64")[codes]
    result: NDArray[Any] = out
    return result


# ------------------------------------------------------------------------------ evaluation

@dataclass
class _Context:
    frame: pd.DataFrame
    current: str | pd.Series | None
    today: datetime.date
    columns: dict[str, _Vec]

    def column(self, name: str) -> _Vec:
        """A column of the frame, or ``current`` for the name "." (read once, then kept)."""
        if name not in self.columns:
            series = self.frame[name] if name != "." else self.current
            self.columns[name] = _column(series)
        return self.columns[name]


def _eval(expr: Expr, ctx: _Context, active: NDArray[Any]) -> _Vec:
    """The value of ``expr`` for every row; ``active`` marks the rows where the scalar
    evaluator would evaluate it (``and``, ``or``, ``if`` and ``coalesce`` skip the rest),
    which only matters for raising on an invalid regex pattern."""
    import numpy as np
    n = len(active)
    if isinstance(expr, Literal):
        return _const(expr.value, n)
    if isinstance(expr, Ref):
        return ctx.column(expr.name)
    if isinstance(expr, Current):
        if ctx.current is None:
            return _const("", n)
        return ctx.column(ctx.current if isinstance(ctx.current, str) else ".")
    if isinstance(expr, Neg):
        return _dense(_NUM, -_number(_eval(expr.operand, ctx, active)), np.zeros(n, bool))
    if isinstance(expr, BinOp):
        op = expr.op
        left = _eval(expr.left, ctx, active)
        if op in ("and", "or"):
            t = _truth(left)
            right = _truth(_eval(expr.right, ctx, active & (t if op == "and" else ~t)))
            return _bools(t & right if op == "and" else t | right)
        right_vec = _eval(expr.right, ctx, active)
        if op in _ORDER:
            return _bools(_compare_rows(op, left, right_vec))
        return _dense(_NUM, _arith_rows(op, _number(left), _number(right_vec)),
                      np.zeros(n, bool))
    return _call(expr, ctx, active)


def _call(expr: Call, ctx: _Context, active: NDArray[Any]) -> _Vec:
    import numpy as np
    name, n = expr.name, len(active)
    if name == "if":
        t = _truth(_eval(expr.args[0], ctx, active))
        return _where(t, _eval(expr.args[1], ctx, active & t),
                      _eval(expr.args[2], ctx, active & ~t))
    if name == "coalesce":
        first = _eval(expr.args[0], ctx, active)
        empty = (first.kind == _TEXT) & _per_text(first, lambda v: _string(v) == "", "bool")
        return _where(~empty, first, _eval(expr.args[1], ctx, active & empty))
    v = [_eval(a, ctx, active) for a in expr.args]
    no_missing = np.zeros(n, bool)
    if name == "selected":
        return _apply(v, lambda x, y: _string(y) in _choices(x))
    if name == "count-selected":
        return _apply(v, lambda x: len(_choices(x)))
    if name == "not":
        return _bools(~_truth(v[0]))
    if name == "string-length":
        return _apply(v, lambda x: len(_string(x)))
    if name == "regex":
        return _regex(v[0], v[1], active)
    if name == "today":
        return _const(ctx.today, n)
    if name == "date":
        a = v[0]
        with np.errstate(invalid="ignore"):
            days = np.trunc(a.num)
            ok = (a.kind == _DATE) | ((days >= _MIN_DAY) & (days <= _MAX_DAY))
        text = _from_table(a.codes, [_to_date(x) for x in a.table])
        return _where(a.kind == _TEXT, text, _dense(_DATE, np.where(ok, days, 0), ~ok))
    if name == "number":
        return _dense(_NUM, _number(v[0]), no_missing)
    if name == "int":
        return _dense(_NUM, np.trunc(_number(v[0])), no_missing)
    if name == "round":
        digits = _number(v[1]) if len(v) > 1 else np.zeros(n)
        return _dense(_NUM, _round_rows(_number(v[0]), digits), no_missing)
    if name == "contains":
        return _apply(v, lambda x, y: _string(y) in _string(x))
    codes, table = _objects(v[0])  # concat, the only name left
    joined: _Table = [_string(x) for x in table]
    for arg in v[1:]:
        cb, tb = _objects(arg)
        codes, joined = _pairs(codes, joined, cb, tb, lambda s, x: s + _string(x))
    return _from_table(codes, joined)


def _regex(a: _Vec, b: _Vec, active: NDArray[Any]) -> _Vec:
    """regex(): Python ``re.search`` as in the scalar evaluator, once per distinct pair."""
    import numpy as np
    ca, ta = _objects(a)
    cb, tb = _objects(b)
    patterns: list[re.Pattern[str] | None] = []
    for p in tb:
        try:
            patterns.append(re.compile(_string(p)))
        except re.error as exc:
            patterns.append(None)
            bad = active & (cb == len(patterns) - 1)
            if bad.any():
                raise ValueError(f"regex(): {_string(p)!r} is not a valid regular expression "
                                 f"({exc}); see https://docs.python.org/3/library/re.html"
                                 ) from None
    index: _Table = list(range(len(tb)))

    def search(x: object, j: Any) -> bool:
        pattern = patterns[j]
        return pattern is not None and pattern.search(_string(x)) is not None

    codes, table = _pairs(ca, ta, cb, index, search)
    return _bools(np.array(table, dtype=bool)[codes])


def _prepare(expr: Expr, frame: pd.DataFrame, current: str | pd.Series | None,
             today: datetime.date | None) -> tuple[_Context, NDArray[Any]]:
    import numpy as np
    import pandas as pd
    _check(expr)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"evaluate_frame() needs a pandas DataFrame with one column per "
                        f"question id as frame; got {type(frame).__name__}")
    if today is not None and (not isinstance(today, datetime.date)
                              or isinstance(today, datetime.datetime)):
        raise TypeError(f"evaluate_frame(): today must be a datetime.date (use .date() on a "
                        f"datetime); got {type(today).__name__}")
    available = ", ".join(map(str, frame.columns)) or "none"
    names = [r.name for r in references(expr)]
    if isinstance(current, str):
        names.append(current)
    elif isinstance(current, pd.Series):
        if not current.index.equals(frame.index):
            raise ValueError("evaluate_frame(): current must be a column name or a Series "
                             "with the same index as frame; align it first "
                             "(current.reindex(frame.index))")
    elif current is not None:
        raise TypeError(f"evaluate_frame(): current must be a column name, a Series or "
                        f"None; got {type(current).__name__}")
    for name in dict.fromkeys(names):
        if name not in frame.columns:
            raise KeyError(f"evaluate_frame(): the expression refers to {name!r}, which is "
                           f"not a column of frame; columns: {available}")
        if isinstance(frame[name], pd.DataFrame):
            raise ValueError(f"evaluate_frame(): frame has {frame[name].shape[1]} columns "
                             f"named {name!r}; give each question one column")
    ctx = _Context(frame, current, today if today is not None else datetime.date.today(), {})
    return ctx, np.ones(len(frame), dtype=bool)


def evaluate_frame(expr: Expr, frame: pd.DataFrame, *,
                   current: str | pd.Series | None = None,
                   today: datetime.date | None = None) -> pd.Series:
    """Evaluate ``expr`` for every row of ``frame`` at once: is it true for each respondent?

    The vectorised counterpart of :func:`evaluate`, for relevance and constraint checks
    on whole data sets: row ``i`` of the result is the truth value of
    ``evaluate(expr, frame.to_dict("records")[i], current=..., today=today)``.

    Parameters
    ----------
    expr : Expr
        A tree from :func:`parse`.
    frame : pandas.DataFrame
        One row per respondent, one column per question id, typed as
        :class:`~cxresearch.data.Responses` types them.
    current : str or pandas.Series, optional
        What ``.`` stands for: the name of a column of ``frame``, or a Series with the
        same index as ``frame``. None (the default) reads ``.`` as ``''``.
    today : datetime.date, optional
        What ``today()`` returns; defaults to ``datetime.date.today()``.

    Returns
    -------
    pandas.Series
        ``bool``, no missing values, indexed like ``frame``.

    Raises
    ------
    KeyError
        When ``expr`` (or ``current``) names a column that ``frame`` lacks.
    TypeError
        When ``frame`` is not a DataFrame, ``current`` not a name or Series, or ``today``
        not a ``datetime.date``.
    ValueError
        When a ``regex`` pattern that some row reaches is invalid (as :func:`evaluate`
        raises for that row), or ``current`` is not aligned with ``frame``.

    Notes
    -----
    - Truth values follow XPath ``boolean()``, as a relevance or constraint reads its
      result: a non-zero number, a non-empty text or selection, ``true()`` and any date
      are true; ``''`` (a missing answer) and NaN are false. A missing answer never makes
      the result missing: it is ``''``, exactly as in :func:`evaluate` (so
      ``${nps} <= 6`` is False and ``${nps} != 6`` True where nps is unanswered).
    - Columns are read as in a row of ``frame.to_dict("records")``: NA, NaN and NaT are
      ``''``; categoricals hold their category values (an ordered 0-10 rating compares
      by its integers, never by ``.cat.codes``); datetimes are cut to dates (the local
      date for time-zone aware columns); multiple choice is a space-separated string.
    - Numbers, booleans and dates are computed with numpy on float64. Integers beyond
      2**53 in magnitude, which the scalar evaluator keeps exact, may therefore differ in
      the last digits (or overflow to infinity where the scalar gives NaN).
    - Text is handled once per distinct value: comparing two texts, reading text as a
      number or date, and ``selected``, ``count-selected``, ``string-length``,
      ``regex``, ``contains``, ``concat`` and ``date`` of text call the scalar
      evaluator's helpers for each distinct value (or pair of values) and spread the
      results back. ``round`` uses numpy except within 1e-6 of a half or for huge
      values, where it calls the scalar ``round`` per distinct pair. Object columns of
      mixed values (lists, for instance) are read value by value in Python.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxresearch.instrument.logic import evaluate_frame, parse
    >>> frame = pd.DataFrame({
    ...     "nps": pd.Categorical([3, 9, None], categories=range(11), ordered=True),
    ...     "channel": pd.array(["phone web", "phone", None], dtype="string")})
    >>> evaluate_frame(parse("${nps} <= 6 and selected(${channel}, 'phone')"), frame)
    0     True
    1    False
    2    False
    dtype: bool
    """
    import pandas as pd
    ctx, active = _prepare(expr, frame, current, today)
    return pd.Series(_truth(_eval(expr, ctx, active)), index=frame.index, dtype=bool)


def _frame_values(expr: Expr, frame: pd.DataFrame, *, current: str | pd.Series | None = None,
                  today: datetime.date | None = None) -> list[object]:
    """Each row's value as :func:`evaluate` returns it (numbers as float); for tests."""
    ctx, active = _prepare(expr, frame, current, today)
    return _eval(expr, ctx, active).objects()
