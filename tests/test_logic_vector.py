"""Tests of evaluate_frame: the vectorised evaluator agrees with evaluate() row by row.

Expected truth values in the hand-written cases are worked out from the semantics that
:func:`cxresearch.instrument.logic.evaluate` documents (a missing answer is ``''``; a
number against ``''`` is never equal and never ordered; round() is half away from zero
on the printed decimal; ...), and every case is also checked against ``evaluate`` itself.
"""

from __future__ import annotations

import datetime
import math
import numbers

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxresearch.instrument.logic import (
    FUNCTIONS,
    BinOp,
    Call,
    Current,
    Expr,
    Literal,
    Neg,
    Ref,
    evaluate,
    evaluate_frame,
    parse,
)
from cxresearch.instrument.logic._vector import _frame_values

TODAY = datetime.date(2024, 6, 1)

# Typed as cxresearch.data.Responses types answers.
FRAME = pd.DataFrame({
    "nps": pd.Categorical([3, 9, None, 6, 10, 0], categories=range(11), ordered=True),
    "agree": pd.Categorical([1, 5, 3, None, 2, 4], categories=[1, 2, 3, 4, 5], ordered=True),
    "channel": pd.array(["phone web", "phone", None, "", "webphone", "email phone"],
                        dtype="string"),
    "segment": pd.Categorical(["b2b", "b2c", None, "b2c", "b2b", "b2c"]),
    "age": pd.array([34, None, 17, 0, 65, 18], dtype="Int64"),
    "score": pd.array([2.5, None, -2.5, 1.005, 7.25, 0.0], dtype="Float64"),
    "visited": pd.to_datetime(["2024-01-31 13:00", None, "1969-12-31 12:00",
                               "2024-02-01 00:00", "2024-05-31 23:59", None]),
    "comment": pd.array(["great", "7", None, "2024-01-31", "", "  "], dtype="string"),
    "consent": [True, False, True, False, True, True],
    "tags": pd.Series([["x", "z"], None, [], ["y"], "x y", 1.5], dtype=object,
                      index=range(10, 16)),
}, index=range(10, 16))

T, F = True, False
CASES = [
    # ordered categoricals compare by their integer categories; missing is ''
    ("${nps} <= 6", [T, F, F, T, F, T]),
    ("${nps} != 6", [T, T, T, F, T, T]),
    ("${nps} = ''", [F, F, T, F, F, F]),
    ("${nps}", [T, T, F, T, T, F]),
    ("${nps} >= 9 and ${agree} > 3", [F, T, F, F, F, F]),
    ("${nps} <= 6 and selected(${channel}, 'phone')", [T, F, F, F, F, T]),
    # multiple choice: space-separated strings; whole words only
    ("selected(${channel}, 'phone')", [T, T, F, F, F, T]),
    ("count-selected(${channel}) = 2", [T, F, F, F, F, T]),
    ("${channel}", [T, T, F, F, T, T]),
    ("string-length(${channel}) = 5", [F, T, F, F, F, F]),
    # single choice: categoricals of strings
    ("${segment} = 'b2b'", [T, F, F, F, T, F]),
    ("${segment} != 'b2b'", [F, T, T, T, F, T]),
    ("selected(${segment}, 'b2c')", [F, T, F, T, F, T]),
    ("${segment} = ''", [F, F, T, F, F, F]),
    # whole numbers (Int64) and arithmetic
    ("${age} >= 18", [T, F, F, F, T, T]),
    ("${age} = 0", [F, F, F, T, F, F]),
    ("${age} = ''", [F, T, F, F, F, F]),
    ("${age} + 1 > 18", [T, F, F, F, T, T]),
    ("${age} div 2 = 17", [T, F, F, F, F, F]),
    ("${age} mod 2 = 1", [F, F, T, F, T, F]),
    ("${age} div 0 = ${age} div 0", [F, F, F, F, F, F]),  # NaN is never equal
    ("${age} * 2 - 1 > 60", [T, F, F, F, T, F]),
    # decimals (Float64), unary minus, round half away from zero on the decimal
    ("-${score} > 0", [F, F, T, F, F, F]),
    ("round(${score}) = 3", [T, F, F, F, F, F]),
    ("round(${score}) = -3", [F, F, T, F, F, F]),
    ("round(${score}, 2) = 1.01", [F, F, F, T, F, F]),
    ("round(${score}, 1) = 7.3", [F, F, F, F, T, F]),
    ("int(${score}) = -2", [F, F, T, F, F, F]),
    ("number(${score}) = ${score}", [T, F, T, T, T, T]),
    # dates (datetime64 cut to the date)
    ("${visited} < date('2024-02-01')", [T, F, T, F, F, F]),
    ("today() - ${visited} > 30", [T, F, T, T, F, F]),
    ("${visited} = '2024-02-01'", [F, F, F, T, F, F]),
    ("${visited} = 19754", [F, F, F, T, F, F]),  # days since 1970-01-01
    ("${visited}", [T, F, T, T, T, F]),
    ("date(${visited} + 1) = date('2024-02-01')", [T, F, F, F, F, F]),
    # text (string)
    ("${comment} = 7", [F, T, F, F, F, F]),
    ("${comment} = ''", [F, F, T, F, T, F]),
    ("date(${comment}) = date('2024-01-31')", [F, F, F, T, F, F]),
    ("string-length(${comment}) > 1", [T, F, F, T, F, T]),
    ("regex(${comment}, '^[0-9]+$')", [F, T, F, F, F, F]),
    ("regex(${comment}, '[0-9]')", [F, T, F, T, F, F]),
    ("contains(${comment}, 'ea')", [T, F, F, F, F, F]),
    ("number(${comment}) + 1 = 8", [F, T, F, F, F, F]),
    ("coalesce(${comment}, 'none') = 'none'", [F, F, T, F, T, F]),
    ("concat(${segment}, '/', ${nps}) = 'b2b/3'", [T, F, F, F, F, F]),
    ("concat(${consent}, ${visited}) = 'true2024-01-31'", [T, F, F, F, F, F]),
    # booleans
    ("${consent}", [T, F, T, F, T, T]),
    ("not(${consent})", [F, T, F, T, F, F]),
    ("${consent} = 1", [T, F, T, F, T, T]),
    ("${consent} = true()", [T, F, T, F, T, T]),
    ("${consent} and false()", [F, F, F, F, F, F]),
    ("${consent} or true()", [T, T, T, T, T, T]),
    ("${consent} = ${comment}", [T, F, F, F, F, T]),  # truth values: '' is false
    ("if(${age} >= 18, ${nps} <= 6, ${consent})", [T, F, T, F, F, T]),
    # lists in an object column are multiple-choice answers
    ("selected(${tags}, 'x')", [T, F, F, F, T, F]),
    ("count-selected(${tags}) = 0", [F, T, T, F, F, F]),
    ("${tags} = 'x z'", [T, F, F, F, F, F]),
    ("${tags} = 1.5", [F, F, F, F, F, T]),
]


def _scalar_truth(tree: Expr, frame: pd.DataFrame, current: str | None = None) -> list[bool]:
    """evaluate() row by row, read as a truth value the way XPath boolean() does."""
    truth = Call("not", (Call("not", (tree,)),))
    rows = frame.to_dict("records")
    return [evaluate(truth, row, current=row[current] if current else None, today=TODAY)
            is True for row in rows]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_evaluate_frame(source: str, expected: list[bool]) -> None:
    tree = parse(source)
    result = evaluate_frame(tree, FRAME, today=TODAY)
    assert result.dtype == bool
    assert result.index.equals(FRAME.index)
    assert result.tolist() == expected
    assert _scalar_truth(tree, FRAME) == expected


VALUES = [
    ("count-selected(${channel})", [2, 1, 0, 0, 1, 2]),
    ("${nps} + 0", [3, 9, math.nan, 6, 10, 0]),
    ("round(${score}, 2)", [2.5, math.nan, -2.5, 1.01, 7.25, 0]),
    ("today() - ${visited}", [122, math.nan, 19876, 121, 1, math.nan]),
    ("date(${comment})", ["", "", "", datetime.date(2024, 1, 31), "", ""]),
    ("coalesce(${comment}, ${age})", ["great", "7", 17, "2024-01-31", 65, "  "]),
    ("if(${consent}, ${segment}, ${score})", ["b2b", "", "", 1.005, "b2b", "b2c"]),
    ("concat(${tags}, ':', ${age})", ["x z:34", ":", ":17", "y:0", "x y:65", "1.5:18"]),
    ("${consent} = 1", [True, False, True, False, True, True]),
]


@pytest.mark.parametrize(("source", "expected"), VALUES)
def test_values_match_evaluate(source: str, expected: list[object]) -> None:
    tree = parse(source)
    values = _frame_values(tree, FRAME, today=TODAY)
    scalar = [evaluate(tree, row, today=TODAY) for row in FRAME.to_dict("records")]
    for want, got, ref in zip(expected, values, scalar):
        assert _same(want, got)
        assert _same(ref, got)


def test_current_as_column_name_or_series() -> None:
    tree = parse(". >= 18 and . < 65")
    expected = [T, F, F, F, F, T]
    assert evaluate_frame(tree, FRAME, current="age").tolist() == expected
    assert evaluate_frame(tree, FRAME, current=FRAME["age"]).tolist() == expected
    assert _scalar_truth(tree, FRAME, current="age") == expected
    assert not evaluate_frame(parse(". != ''"), FRAME).any()  # no current: '' everywhere


def test_time_zone_aware_dates_use_the_local_date() -> None:
    stamps = pd.Series(pd.to_datetime(["2024-01-31 23:30", "2024-02-01 00:30"]))
    frame = pd.DataFrame({"when": stamps.dt.tz_localize("Europe/Amsterdam")})
    tree = parse("${when} = date('2024-01-31')")
    assert evaluate_frame(tree, frame).tolist() == [True, False]
    assert _scalar_truth(tree, frame) == [True, False]


def test_object_columns_of_strings_and_of_mixed_values() -> None:
    frame = pd.DataFrame({
        "s": pd.Series(["x y", None, "7", np.nan], dtype=object),
        "m": pd.Series([np.True_, np.int64(7), datetime.date(2024, 1, 31), pd.NA],
                       dtype=object),
    })
    for source, expected in [("selected(${s}, 'y')", [T, F, F, F]), ("${s} = 7", [F, F, T, F]),
                             ("${m} = true()", [T, T, T, F]), ("${m} = 7", [T, T, F, F]),
                             ("${m} < today()", [F, T, T, F])]:  # true() is 1
        tree = parse(source)
        assert evaluate_frame(tree, frame, today=TODAY).tolist() == expected, source
        assert _scalar_truth(tree, frame) == expected, source


def test_arrow_backed_columns() -> None:
    pa = pytest.importorskip("pyarrow")
    frame = pd.DataFrame({
        "s": pd.Series(["x y", None, "z"], dtype=pd.ArrowDtype(pa.string())),
        "n": pd.Series([3, None, 9], dtype=pd.ArrowDtype(pa.int64())),
    })
    tree = parse("selected(${s}, 'x') or ${n} > 6")
    assert evaluate_frame(tree, frame).tolist() == [True, False, True]
    assert _scalar_truth(tree, frame) == [True, False, True]


def test_empty_frame() -> None:
    empty = FRAME.iloc[:0]
    result = evaluate_frame(parse("${nps} <= 6 or regex(${comment}, '[')"), empty)
    assert result.dtype == bool and len(result) == 0


def test_missing_column_names_it_and_the_columns() -> None:
    with pytest.raises(KeyError, match=r"refers to 'nsp', which is not a column of frame; "
                                       r"columns: nps, agree, channel"):
        evaluate_frame(parse("${nps} > 1 or ${nsp} > 1"), FRAME)
    with pytest.raises(KeyError, match=r"refers to 'why'"):
        evaluate_frame(parse(". = 1"), FRAME, current="why")


def test_invalid_regex_raises_only_where_a_row_reaches_it() -> None:
    with pytest.raises(ValueError, match=r"'\[' is not a valid regular expression"):
        evaluate_frame(parse("regex(${comment}, '[')"), FRAME)
    tree = parse("${age} > 100 and regex(${comment}, '[')")
    assert not evaluate_frame(tree, FRAME).any()
    assert _scalar_truth(tree, FRAME) == [False] * len(FRAME)


def test_bad_arguments_teach() -> None:
    with pytest.raises(TypeError, match=r"needs a pandas DataFrame .* got dict"):
        evaluate_frame(parse("${a} = 1"), {"a": [1]})
    with pytest.raises(TypeError, match=r"expected an expression tree \(use parse\(text\)\)"):
        evaluate_frame("${a} = 1", FRAME)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"same index as frame; align it first"):
        evaluate_frame(parse(". = 1"), FRAME, current=FRAME["age"].reset_index(drop=True))
    with pytest.raises(TypeError, match=r"current must be a column name, a Series or None; "
                                        r"got int"):
        evaluate_frame(parse(". = 1"), FRAME, current=1)
    with pytest.raises(TypeError, match=r"today must be a datetime.date \(use .date\(\) on a "
                                        r"datetime\); got datetime"):
        evaluate_frame(parse("today() > 1"), FRAME, today=datetime.datetime(2024, 6, 1))
    twice = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(ValueError, match=r"frame has 2 columns named 'a'"):
        evaluate_frame(parse("${a} = 1"), twice)


# ----------------------------------------------------------------------------- properties

COLUMNS = ["rating", "choice", "multi", "whole", "real", "plain", "when", "zoned", "text",
           "pystr", "flag", "mixed"]
CHOICES = ["x", "y", "7", "2024-01-31", ""]
_STAMPS = st.datetimes(datetime.datetime(1960, 1, 1), datetime.datetime(2030, 12, 31))
_TEXTS = st.text(alphabet=" \t7x.y-0192", max_size=6) | st.sampled_from(
    ["2024-01-31", "2024-02-30", " 2024-02-01 ", "7", " 7 ", "7.0", "-3", ".5", "1e3", "x y"])
_MULTI = st.lists(st.sampled_from(["x", "y", "z", "7"]), max_size=3).map(" ".join) | \
    st.sampled_from(["x  y", "x\ty", " x"])
_MIXED = st.sampled_from([None, math.nan, pd.NA, 0, 1, -1, 2.5, "x", "x y", "", "7", True,
                          False, ["x", "z"], [], ("y",), {"b", "a"}, datetime.date(2024, 1, 31),
                          datetime.datetime(2024, 1, 31, 12)])


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    """A frame with one column of every answer type, each with missing values."""
    n = draw(st.integers(0, 6))

    def values(strategy: st.SearchStrategy[object]) -> list[object]:
        return draw(st.lists(st.none() | strategy, min_size=n, max_size=n))

    stamps = pd.Series(values(_STAMPS), dtype="datetime64[ns]")
    return pd.DataFrame({
        "rating": pd.Categorical(values(st.integers(0, 10)), categories=range(11),
                                 ordered=True),
        "choice": pd.Categorical(values(st.sampled_from(CHOICES)), categories=CHOICES),
        "multi": pd.array(values(_MULTI), dtype="string"),
        "whole": pd.array(values(st.integers(-20, 20) | st.just(10**6)), dtype="Int64"),
        "real": pd.array(values(st.sampled_from([2.5, -2.5, 1.005, 2.675, 0.001, -0.5, 7.0])
                                | st.floats(-1e6, 1e6)), dtype="Float64"),
        "plain": pd.Series(values(st.sampled_from([math.inf, -math.inf, 0.0, 3.0, 0.5])),
                           dtype="float64"),
        "when": stamps,
        "zoned": stamps.dt.tz_localize("Europe/Amsterdam", ambiguous="NaT",
                                       nonexistent="NaT"),
        "text": pd.array(values(_TEXTS), dtype="string"),
        "pystr": pd.Series(values(_TEXTS), dtype="str"),
        "flag": pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool),
        "mixed": pd.Series(values(_MIXED), dtype=object),
    })


_LEAVES = st.one_of(
    st.sampled_from(COLUMNS).map(Ref),
    st.just(Current()),
    st.sampled_from([0, 1, 2, 3, 6, 7, 10, 18, 19753]).map(Literal),
    st.sampled_from([0.5, 2.5, 1.005, 2.675, 0.001, 3.0, 7.25]).map(Literal),
    st.sampled_from(["", "x", "y", "7", " 7 ", "x y", "2024-01-31", "2024-02-30", "^x",
                     "[0-9]", "[", "true"]).map(Literal),
    st.booleans().map(Literal),
)
_OPS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
_CALLABLE = sorted(name for name in FUNCTIONS if name not in ("true", "false"))


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    def call(name: str) -> st.SearchStrategy[Expr]:
        lo, hi = FUNCTIONS[name]
        args = st.lists(children, min_size=lo, max_size=3 if hi is None else hi)
        return args.map(lambda a: Call(name, tuple(a)))
    return st.one_of(st.builds(BinOp, st.sampled_from(_OPS), children, children),
                     st.builds(Neg, children), st.sampled_from(_CALLABLE).flatmap(call))


TREES = st.recursive(_LEAVES, _extend, max_leaves=12)


def _same(scalar: object, vector: object) -> bool:
    """Equal values of the same sort; numbers compare as doubles, NaN equals NaN."""
    if isinstance(scalar, bool) or isinstance(vector, bool):
        return type(scalar) is type(vector) and scalar == vector
    if isinstance(scalar, numbers.Real):
        if not isinstance(vector, float):
            return False
        try:
            x = float(scalar)
        except OverflowError:
            x = math.copysign(math.inf, scalar)
        return x == vector or (math.isnan(x) and math.isnan(vector))
    return type(scalar) is type(vector) and scalar == vector


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(frames(), TREES, st.sampled_from([None, *COLUMNS]))
def test_evaluate_frame_agrees_with_evaluate(frame: pd.DataFrame, tree: Expr,
                                             current: str | None) -> None:
    rows = frame.to_dict("records")
    try:
        expected = [evaluate(tree, row, current=row[current] if current else None,
                             today=TODAY) for row in rows]
    except ValueError as exc:  # some row reaches an invalid regex pattern
        assert "regular expression" in str(exc)
        with pytest.raises(ValueError, match="regular expression"):
            evaluate_frame(tree, frame, current=current, today=TODAY)
        return
    values = _frame_values(tree, frame, current=current, today=TODAY)
    assert len(values) == len(expected)
    for i, (want, got) in enumerate(zip(expected, values)):
        assert _same(want, got), (i, want, got, rows[i])
    result = evaluate_frame(tree, frame, current=current, today=TODAY)
    assert result.dtype == bool
    assert result.tolist() == _scalar_truth(tree, frame, current)
