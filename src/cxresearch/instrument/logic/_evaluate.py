"""Evaluating expressions on collected answers, with XPath-like semantics."""

from __future__ import annotations

import datetime
import math
import numbers
import operator
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from ._nodes import BinOp, Call, Current, Expr, Literal, Neg, Ref, _check

__all__ = ["evaluate"]

_EPOCH = datetime.date(1970, 1, 1)
_NUMERIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_ORDER = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
          ">": operator.gt, ">=": operator.ge}


def _normalise(value: object) -> object:
    """Missing -> '', datetime -> date, list/tuple/set -> tuple of str (a multi-choice)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        if type(value).__name__ == "datetime64":  # .item() of nanoseconds is an int
            text = str(value)
            return "" if text == "NaT" else datetime.date.fromisoformat(text[:10])
        value = value.item()  # numpy scalars (a numpy bool is not a bool) -> Python
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        if math.isnan(float(value)):
            return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [s for s in (_string(_normalise(x)) for x in value) if s]
        return tuple(sorted(items) if isinstance(value, (set, frozenset)) else items)
    return value


def _string(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return " ".join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isnan(f) or math.isinf(f):
            return "NaN" if math.isnan(f) else ("Infinity" if f > 0 else "-Infinity")
        return str(int(f)) if f.is_integer() else repr(f)
    return str(value)


def _numeric(value: object) -> int | float | None:
    """The number a value stands for, or None when it is not numeric ('' included)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, datetime.date):
        return (value - _EPOCH).days
    text = _string(value).strip()
    if _NUMERIC.fullmatch(text):
        return float(text) if "." in text or len(text) > 300 else int(text)
    return None


def _number(value: object) -> int | float:
    n = _numeric(value)
    return math.nan if n is None else n


def _truthy(value: object) -> bool:
    if isinstance(value, (bool, numbers.Integral)):
        return bool(value)
    if isinstance(value, numbers.Real):
        return not math.isnan(float(value)) and float(value) != 0
    if isinstance(value, (str, tuple)):
        return len(value) > 0
    return value is not None


def _to_date(value: object) -> object:
    """A date, or '' when ``value`` is empty or not a valid date."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value.strip()):
            return ""
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return ""
    n = _numeric(value)
    try:
        return _EPOCH + datetime.timedelta(days=int(n)) if n is not None else ""
    except (OverflowError, ValueError):
        return ""


def _compare(op: str, a: object, b: object) -> bool:
    x: int | float | None
    y: int | float | None
    if isinstance(a, bool) or isinstance(b, bool):
        if op in ("=", "!="):
            return (_truthy(a) == _truthy(b)) == (op == "=")
        x, y = int(_truthy(a)), int(_truthy(b))
    elif isinstance(a, datetime.date) or isinstance(b, datetime.date):
        x, y = _date_key(a), _date_key(b)
    else:
        x, y = _numeric(a), _numeric(b)
        if x is None and y is None:  # two non-numeric strings
            return (_string(a) == _string(b)) == (op == "=") if op in ("=", "!=") else False
    if x is None or y is None:  # a number against '' or text: never equal, never ordered
        return op == "!="
    return bool(_ORDER[op](x, y))


def _date_key(value: object) -> int | float | None:
    """Days since 1970-01-01 of a date or ISO date string; numbers stay numbers."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        value = _to_date(value)
    return _numeric(value)


def _arith(op: str, x: int | float, y: int | float) -> int | float:
    if op in _ARITH:
        return _bounded(_ARITH[op](x, y))
    if y == 0 or math.isnan(y):
        return math.nan
    if op == "div":
        return x / y
    r = math.fmod(x, y)  # XPath mod: the sign of the dividend
    return int(r) if isinstance(x, int) and isinstance(y, int) else r


def _bounded(r: int | float) -> int | float:
    """Ints past 2**53 become floats (inf past 1e308), as XPath numbers are doubles."""
    return float(r) if isinstance(r, int) and abs(r) > 2**53 else r


def _round(value: object, digits: object) -> int | float:
    x, n = _number(value), _number(digits)
    if isinstance(n, float):
        if not math.isfinite(n):
            return math.nan
        n = int(n)
    if isinstance(x, float) and not math.isfinite(x):
        return x
    try:
        q = Decimal(repr(x) if isinstance(x, float) else x).quantize(
            Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)
    except ArithmeticError:  # more digits than Decimal keeps: nothing to round
        return x
    return int(q) if n <= 0 else float(q)


def _choices(value: object) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else tuple(_string(value).split())


@dataclass(frozen=True)
class _Env:
    answers: Mapping[str, object]
    current: object
    today: datetime.date


def _eval(expr: Expr, env: _Env) -> object:
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Ref):
        return _normalise(env.answers.get(expr.name))
    if isinstance(expr, Current):
        return _normalise(env.current)
    if isinstance(expr, Neg):
        return -_number(_eval(expr.operand, env))
    if isinstance(expr, BinOp):
        if expr.op == "and":
            return _truthy(_eval(expr.left, env)) and _truthy(_eval(expr.right, env))
        if expr.op == "or":
            return _truthy(_eval(expr.left, env)) or _truthy(_eval(expr.right, env))
        a, b = _eval(expr.left, env), _eval(expr.right, env)
        if expr.op in _ORDER:
            return _compare(expr.op, _scalar(a), _scalar(b))
        try:
            return _arith(expr.op, _number(a), _number(b))
        except (OverflowError, ValueError):  # beyond the range of a double
            return math.nan
    return _call(expr, env)


def _scalar(value: object) -> object:
    return " ".join(value) if isinstance(value, tuple) else value


def _call(expr: Call, env: _Env) -> object:
    name, args = expr.name, expr.args
    if name == "if":
        return _eval(args[1] if _truthy(_eval(args[0], env)) else args[2], env)
    if name == "coalesce":
        first = _eval(args[0], env)
        return first if _string(first) != "" else _eval(args[1], env)
    v = [_eval(a, env) for a in args]
    if name == "selected":
        return _string(v[1]) in _choices(v[0])
    if name == "count-selected":
        return len(_choices(v[0]))
    if name == "not":
        return not _truthy(v[0])
    if name == "string-length":
        return len(_string(v[0]))
    if name == "regex":
        try:
            return re.search(_string(v[1]), _string(v[0])) is not None
        except re.error as exc:
            raise ValueError(f"regex(): {_string(v[1])!r} is not a valid regular expression "
                             f"({exc}); see https://docs.python.org/3/library/re.html") from None
    if name == "today":
        return env.today
    if name == "date":
        return _to_date(v[0])
    if name in ("number", "int"):
        n = _number(v[0])
        return int(n) if name == "int" and isinstance(n, float) and math.isfinite(n) else n
    if name == "round":
        return _round(v[0], v[1] if len(v) > 1 else 0)
    if name == "contains":
        return _string(v[1]) in _string(v[0])
    return "".join(_string(x) for x in v)  # concat; Call() admits no other names


def evaluate(expr: Expr, answers: Mapping[str, object], current: object = None,
             today: datetime.date | None = None) -> object:
    """Evaluate ``expr`` on one respondent's answers, with XPath-like semantics.

    Parameters
    ----------
    expr : Expr
        A tree from :func:`parse`.
    answers : Mapping
        Answers by question id; a ``pandas.Series`` row works too.
    current : object, optional
        The answer that ``.`` stands for (constraints).
    today : datetime.date, optional
        What ``today()`` returns; defaults to ``datetime.date.today()``.

    Returns
    -------
    object
        ``bool`` for comparisons, ``and``, ``or`` and ``not``; a number for
        arithmetic; otherwise the value (str, number, date).

    Notes
    -----
    - A missing id, ``None``, NaN, ``pd.NA`` or ``NaT`` is the empty string ``''``.
      Datetimes are cut to dates. A list, tuple or set is a multiple-choice answer
      (as is a space-separated string, the XLSForm convention); elsewhere it reads
      as its values joined by spaces.
    - Comparisons: two values that look numeric (numbers, or strings such as ``'7'``)
      compare as numbers. A number against ``''`` or non-numeric text is never equal
      and never ordered: ``=``, ``<``, ``<=``, ``>``, ``>=`` give False and ``!=``
      True. Two non-numeric strings compare as text for ``=``/``!=``; ordering them
      gives False (XPath turns both into NaN). A date compares with a date, an
      ISO ``yyyy-mm-dd`` string, or a number of days since 1970-01-01. With a
      boolean on either side, ``=``/``!=`` compare truth values.
    - Arithmetic turns ``''`` and text into NaN. ``div`` and ``mod`` by zero give
      NaN (XPath gives Infinity for ``div``); ``mod`` keeps the dividend's sign;
      ints stay ints except under ``div``.
    - ``and``/``or``/``if``/``coalesce`` evaluate only what they need. A value is
      true when it is a non-zero number, non-empty text or a non-empty selection.
    - ``date(x)`` of an empty or invalid value is ``''``; ``round`` rounds half away
      from zero; ``regex`` searches (anchor with ``^...$``) and raises ValueError
      for an invalid pattern.
    - Trees from :func:`parse` are at most :data:`MAX_DEPTH` deep; hand-built trees
      much deeper than that may exhaust Python's recursion limit.
    """
    _check(expr)
    env = _Env(answers, current, today if today is not None else datetime.date.today())
    return _scalar(_eval(expr, env))
