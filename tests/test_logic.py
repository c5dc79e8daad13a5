"""Tests of cxresearch.instrument.logic: parsing, formatting, evaluation and words."""

from __future__ import annotations

import datetime
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxresearch.errors import CxResearchError
from cxresearch.instrument.logic import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    BinOp,
    Call,
    Current,
    Expr,
    Literal,
    LogicError,
    Neg,
    Ref,
    describe,
    evaluate,
    parse,
    references,
    to_xlsform,
    uses_current,
)

QUICK = settings(max_examples=60, deadline=None, derandomize=True, database=None)

# ----------------------------------------------------------------------------- parse/format

ROUND_TRIPS = [
    # (source, canonical text)
    ("${a}<=6 and selected(${b},'x')", "${a} <= 6 and selected(${b}, 'x')"),
    ("${a} == 1", "${a} = 1"),
    ("${a}=1and${b}=2", "${a} = 1 and ${b} = 2"),
    ("\n${a}\t=\u00a01 ", "${a} = 1"),
    ("(1 - 2) - 3", "1 - 2 - 3"),
    ("1 - (2 - 3)", "1 - (2 - 3)"),
    ("(${a} or ${b}) and ${c}", "(${a} or ${b}) and ${c}"),
    ("${a} or (${b} and ${c})", "${a} or ${b} and ${c}"),
    ("(${a} = ${b}) = ${c}", "${a} = ${b} = ${c}"),
    ("${a} = (${b} = ${c})", "${a} = (${b} = ${c})"),
    ("${a} < 1 = (${b} > 2)", "${a} < 1 = ${b} > 2"),
    ("-(1 + 2) * 3", "-(1 + 2) * 3"),
    ("- 2 * 3", "-2 * 3"),
    ("--3", "--3"),
    ("1 - -3", "1 - -3"),
    ("${a} div 2 mod 3", "${a} div 2 mod 3"),
    ("${a} * (${b} + 1)", "${a} * (${b} + 1)"),
    ('"it\'s"', '"it\'s"'),
    ("'say \"hi\"'", "'say \"hi\"'"),
    ('"plain"', "'plain'"),
    ("''", "''"),
    ("true() and not(false())", "true() and not(false())"),
    (". >= 18 and . <= 99", ". >= 18 and . <= 99"),
    ("3.50", "3.5"),
    (".5", "0.5"),
    ("007", "7"),
    ("count-selected(${q}) >= 2", "count-selected(${q}) >= 2"),
    ("concat(${a},' ',${b})", "concat(${a}, ' ', ${b})"),
    ("if(${a}=1,'x','y')", "if(${a} = 1, 'x', 'y')"),
    ("round(${a})", "round(${a})"),
    ("round(${a}, 2)", "round(${a}, 2)"),
    ("today() - date('2024-01-31') > 30", "today() - date('2024-01-31') > 30"),
    ("regex(., '^[0-9]{4}$')", "regex(., '^[0-9]{4}$')"),
    ("string-length(.) <= 200", "string-length(.) <= 200"),
    ("coalesce(${a}, ${b}) != ''", "coalesce(${a}, ${b}) != ''"),
    ("contains(${_x1}, 'y') or number(${b}) + int(${c}) > 1",
     "contains(${_x1}, 'y') or number(${b}) + int(${c}) > 1"),
]


@pytest.mark.parametrize(("source", "canonical"), ROUND_TRIPS)
def test_round_trip(source: str, canonical: str) -> None:
    tree = parse(source)
    assert to_xlsform(tree) == canonical
    assert parse(canonical) == tree
    assert to_xlsform(parse(canonical)) == canonical


def test_tree_shape_and_offsets() -> None:
    tree = parse("${a} <= 6 and selected(${b}, 'x')")
    assert tree == BinOp("and", BinOp("<=", Ref("a"), Literal(6)),
                         Call("selected", (Ref("b"), Literal("x"))))
    assert isinstance(tree, BinOp) and tree.offset == 10
    assert isinstance(tree.left, BinOp) and tree.left.offset == 5
    assert isinstance(tree.right, Call) and tree.right.offset == 14
    assert parse("-3") == Neg(Literal(3))
    assert parse("true()") == Literal(True)
    assert parse("1.0") == Literal(1.0) and parse("1") == Literal(1)
    assert parse(".") == Current()


def test_equality_ignores_offset_but_not_literal_type() -> None:
    assert Ref("a", offset=3) == Ref("a", offset=9)
    assert hash(Ref("a", offset=3)) == hash(Ref("a"))
    assert Literal(1) != Literal(1.0)
    assert Literal(1) != Literal(True)
    assert Literal("1") != Literal(1)
    assert Literal(2, offset=4) == Literal(2)
    assert isinstance(parse("${a}"), Expr)  # the alias is a real union


def test_references_and_current() -> None:
    tree = parse("selected(${b}, 'x') and ${a} > ${b}")
    assert [(r.name, r.offset) for r in references(tree)] == [("b", 9), ("a", 24), ("b", 31)]
    assert references(parse("1 + 2")) == []
    assert uses_current(parse("string-length(.) < 10"))
    assert not uses_current(parse("${a} = 1"))


def test_functions_table() -> None:
    assert FUNCTIONS["selected"] == (2, 2)
    assert FUNCTIONS["round"] == (1, 2)
    assert FUNCTIONS["concat"] == (1, None)
    assert FUNCTIONS["today"] == (0, 0)
    with pytest.raises(TypeError):
        FUNCTIONS["x"] = (0, 0)  # type: ignore[index]


@pytest.mark.parametrize(("make", "error", "match"), [
    (lambda: Literal(-1), ValueError, "not negative"),
    (lambda: Literal(float("nan")), ValueError, "finite"),
    (lambda: Literal(-0.0), ValueError, "not negative"),
    (lambda: Literal("both ' and \""), ValueError, "both"),
    (lambda: Literal([1]), TypeError, "str, int, float or bool"),  # type: ignore[arg-type]
    (lambda: Ref("my q"), ValueError, "question id"),
    (lambda: Call("foo", ()), ValueError, "unknown function 'foo'"),
    (lambda: Call("true", ()), ValueError, r"Literal\(True\)"),
    (lambda: Call("selected", (Ref("a"),)), ValueError, "takes 2 arguments; got 1"),
    (lambda: BinOp("==", Ref("a"), Literal(1)), ValueError, "op must be one of"),
    (lambda: BinOp("=", "${a}", Literal(1)),  # type: ignore[arg-type]
     TypeError, "expression tree"),
    (lambda: Neg(3), TypeError, "use parse"),  # type: ignore[arg-type]
])
def test_nodes_validate(make: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        make()  # type: ignore[operator]


# ----------------------------------------------------------------------------- errors

ERRORS = [
    # (source, kind, offset, message pattern)
    ("${nps} <== 6", "syntax", 9, r"expected a value but found '=' at column 10"),
    ("${nps", "syntax", 5, r"unterminated reference '\$\{nps' at column 6; close it: \$\{nps\}"),
    ("${nps = 1", "syntax", 5, r"unterminated reference"),
    ("$nps > 1", "syntax", 0, r"unexpected character '\$' at column 1; write \$\{nps\}"),
    ("${}", "syntax", 0, r"empty reference"),
    ("${1a}", "syntax", 2, r"not followed by a question id"),
    ("${my-q} = 1", "syntax", 4, r"'-' in a question id at column 5"),
    ("${a} = 'yes", "syntax", 7, r"unterminated string at column 8; close it with '"),
    ('${a} = "yes', "syntax", 7, r'close it with "'),
    ("", "syntax", 0, r"empty expression"),
    ("   ", "syntax", 0, r"empty expression"),
    ("${a} 6", "syntax", 5, r"expected an operator but found '6' at column 6"),
    ("${a} = 1 ${b}", "syntax", 9, r"expected an operator but found '\$\{b\}'"),
    ("(${a} = 1", "syntax", 0, r"'\(' is never closed at column 1; add '\)'"),
    ("not(${a} = 1", "syntax", 0, r"'not\(' is never closed"),
    ("${a} = 1)", "syntax", 8, r"unexpected '\)' at column 9"),
    ("${a} = 1, 2", "syntax", 8, r"unexpected ','"),
    ("(1, 2)", "syntax", 2, r"',' only separates the arguments"),
    ("${a} =", "syntax", 6, r"ends too early at column 7; a value must follow '='"),
    ("selected(${a}, )", "syntax", 15, r"expected a value but found '\)'"),
    ("()", "syntax", 1, r"expected a value but found '\)'"),
    ("nps > 3", "syntax", 0,
     r"bare name 'nps' at column 1; to refer to a question write \$\{nps\}"),
    ("${a} = yes", "syntax", 7, r"bare name 'yes'.*write \$\{yes\}"),
    ("${a} = true", "syntax", 7,
     r"function 'true' without parentheses at column 8; write true\(\)"),
    ("${a} AND ${b}", "syntax", 5, r"operators are lowercase: write 'and'"),
    ("${a} Or ${b}", "syntax", 5, r"write 'or'"),
    ("and ${a}", "syntax", 0, r"expected a value but found 'and'"),
    ("${a} && ${b}", "syntax", 5, r"unexpected character '&' at column 6; write 'and'"),
    ("${a} / 2", "syntax", 5, r"write 'div'"),
    ("${a} % 2", "syntax", 5, r"write 'mod'"),
    ("!${a}", "syntax", 0, r"write '!=' or not\(...\)"),
    ("${a} = 1 ; 2", "syntax", 9, r"unexpected character ';'"),
    ("+1", "syntax", 0, r"expected a value but found '\+'"),
    ("1" * 301, "syntax", 0, r"number too large"),
    ("selectd(${q1}, 'a')", "unknown_function", 0,
     r"unknown function 'selectd' at column 1; known functions: coalesce, concat, .*"
     r"did you mean 'selected'\?"),
    ("${a} = 1 and Selected(${q1}, 'a')", "unknown_function", 13, r"did you mean 'selected'"),
    ("foo(1)", "unknown_function", 0, r"unknown function 'foo'"),
    ("selected(${a})", "arity", 0,
     r"selected\(\) takes 2 arguments but got 1 at column 1; use it as selected\("),
    ("${x} or today(1)", "arity", 8, r"today\(\) takes no arguments but got 1"),
    ("round(1, 2, 3)", "arity", 0, r"takes 1 or 2 arguments but got 3"),
    ("if(1, 2)", "arity", 0, r"takes 3 arguments"),
    ("1 + concat()", "arity", 4, r"concat\(\) takes at least 1 argument but got 0"),
    ("true(1)", "arity", 0, r"true\(\) takes no arguments"),
]


@pytest.mark.parametrize(("source", "kind", "offset", "match"), ERRORS)
def test_errors(source: str, kind: str, offset: int, match: str) -> None:
    with pytest.raises(LogicError, match=match) as info:
        parse(source)
    err = info.value
    assert (err.kind, err.offset, err.column, err.source) == (kind, offset, offset + 1, source)
    assert f"at column {offset + 1}" in err.message
    assert isinstance(err, CxResearchError) and isinstance(err, ValueError)


def test_error_text_shows_source_and_caret() -> None:
    with pytest.raises(LogicError) as info:
        parse("selectd(${q1}, 'a')")
    lines = str(info.value).splitlines()
    assert lines[0].startswith("unknown function 'selectd' at column 1; known functions: ")
    assert lines[1:] == ["  selectd(${q1}, 'a')", "  ^"]
    with pytest.raises(LogicError) as info:
        parse("${a} = 1 and\n\t${b} = 2 )")
    assert str(info.value).splitlines()[1:] == ["   ${b} = 2 )", "            ^"]


def test_error_survives_pickle() -> None:
    with pytest.raises(LogicError) as info:
        parse("${a} 6")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.message, copy.offset, copy.kind, str(copy)) == (
        info.value.message, 5, "syntax", str(info.value))


def test_non_string_source() -> None:
    with pytest.raises(TypeError, match="as str"):
        parse(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="use parse"):
        to_xlsform("${a} = 1")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- limits


def test_hostile_nesting() -> None:
    with pytest.raises(LogicError, match="expression nested too deeply") as info:
        parse("(" * MAX_LENGTH)
    assert info.value.offset == MAX_DEPTH
    assert len(str(info.value).splitlines()[1]) < 100  # a window, not 10,000 characters
    with pytest.raises(LogicError, match="nested too deeply"):
        parse("not(" * 200 + "1" + ")" * 200)
    with pytest.raises(LogicError, match="nested too deeply"):
        parse("-" * 200 + "1")
    with pytest.raises(LogicError, match="nested too deeply"):
        parse(" + ".join(["1"] * (MAX_DEPTH + 2)))


def test_nesting_up_to_the_limit_is_fine() -> None:
    deep = "(" * MAX_DEPTH + "${a}" + ")" * MAX_DEPTH
    assert parse(deep) == Ref("a")
    chain = " or ".join(f"${{q}} = {i}" for i in range(MAX_DEPTH - 1))
    assert len(references(parse(chain))) == MAX_DEPTH - 1
    assert evaluate(parse(chain), {"q": MAX_DEPTH - 2}) is True


def test_long_input() -> None:
    with pytest.raises(LogicError, match="10,001 characters long.*limit is 10,000") as info:
        parse("1" * (MAX_LENGTH + 1))
    assert info.value.offset == MAX_LENGTH
    spaced = "${a} = 1" + " " * (MAX_LENGTH - 8)
    assert parse(spaced) == parse("${a} = 1")


# ----------------------------------------------------------------------------- evaluate

TODAY = datetime.date(2024, 6, 1)
ANSWERS: dict[str, object] = {
    "seven": "7", "num": 7, "float_int": 3.0, "multi": "x y", "list": ["x", "z"],
    "set": {"b", "a"}, "none": None, "nan": float("nan"), "empty": "",
    "day": datetime.date(2024, 1, 31), "stamp": datetime.datetime(2024, 1, 31, 13, 0),
    "iso": "2024-02-01", "zero": 0, "word": "abc",
}

EVALUATE = [
    # numbers and numeric strings
    ("${seven} > 5", True), ("${seven} = 7", True), ("${seven} = '7.0'", True),
    ("${num} = '7'", True), ("${float_int} = 3", True), ("selected(${float_int}, '3')", True),
    # empty answers: missing, None, NaN and '' are all ''
    ("${none} = ''", True), ("${nan} = ''", True), ("${missing} = ''", True),
    ("${empty} != ''", False), ("${none} = 0", False), ("${none} != 0", True),
    ("${none} < 3", False), ("${none} >= 3", False), ("${word} = 1", False),
    ("${word} != 1", True), ("${word} = 'abc'", True), ("'b' < 'c'", False),
    # multiple choice: space-separated strings, lists and sets
    ("selected(${multi}, 'y')", True), ("selected(${multi}, 'z')", False),
    ("selected(${list}, 'z')", True), ("count-selected(${list})", 2),
    ("count-selected(${set})", 2), ("${set}", "a b"), ("${list} = 'x z'", True),
    ("count-selected(${none})", 0), ("selected(${none}, 'x')", False),
    # arithmetic
    ("${seven} + 1", 8), ("7 div 2", 3.5), ("-7 mod 2", -1), ("7.5 mod 2", 1.5),
    ("2 + 3 * 4", 14), ("(2 + 3) * 4", 20), ("-2 * 3", -6), ("${none} + 1", math.nan),
    ("${seven} div 0", math.nan), ("${seven} mod 0", math.nan), ("1 div 0 > 1", False),
    # dates
    ("${day} < date('2024-02-01')", True), ("${day} < ${iso}", True),
    ("${stamp} = date('2024-01-31')", True), ("today() > ${day}", True),
    ("today() - ${day}", 122), ("date(${day} + 1)", datetime.date(2024, 2, 1)),
    ("date('2024-02-30')", ""), ("date(${none}) = ''", True), ("${none} < today()", False),
    # booleans and functions
    ("true() = 1", True), ("false() = ''", True), ("not(${empty})", True),
    ("if(${seven} > 5, 'big', 'small')", "big"), ("coalesce(${none}, 'none')", "none"),
    ("coalesce(${zero}, 'none')", 0), ("round(2.5)", 3), ("round(-2.5)", -3),
    ("round(3.14159, 2)", 3.14), ("int(-3.7)", -3), ("number('x')", math.nan),
    ("number('4.5')", 4.5), ("string-length(${multi})", 3), ("string-length(${none})", 0),
    ("regex(${seven}, '^[0-9]+$')", True), ("regex(${word}, '^[0-9]+$')", False),
    ("contains(${multi}, 'y')", True), ("concat(${seven}, '-', ${list}, ${none})", "7-x z"),
    # the current answer
    (". >= 18", True), ("string-length(.) = 2", True),
]


@pytest.mark.parametrize(("source", "expected"), EVALUATE)
def test_evaluate(source: str, expected: object) -> None:
    result = evaluate(parse(source), ANSWERS, current="21", today=TODAY)
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(result, float) and math.isnan(result)
    else:
        assert result == expected
        assert type(result) is type(expected)


class _Recorder(dict[str, object]):
    """Answers that remember which ids were looked up."""

    def __init__(self, **answers: object) -> None:
        super().__init__(answers)
        self.seen: list[str] = []

    def get(self, key: str, default: object = None) -> object:
        self.seen.append(key)
        return super().get(key, default)


@pytest.mark.parametrize(("source", "seen"), [
    ("${a} = 1 or ${b} = 1", ["a"]),
    ("${a} = 2 and ${b} = 1", ["a"]),
    ("${a} = 2 or ${b} = 1", ["a", "b"]),
    ("if(${a} = 1, ${b}, ${c})", ["a", "b"]),
    ("coalesce(${a}, ${b})", ["a"]),
])
def test_short_circuit(source: str, seen: list[str]) -> None:
    answers = _Recorder(a=1)
    evaluate(parse(source), answers)
    assert answers.seen == seen


def test_today_defaults_to_the_real_date() -> None:
    assert evaluate(parse("today()"), {}) == datetime.date.today()


def test_invalid_regex_pattern_teaches() -> None:
    with pytest.raises(ValueError, match=r"'\[' is not a valid regular expression"):
        evaluate(parse("regex(., '[')"), {}, current="x")


class NAType:
    """Stands in for pandas.NA (whose truth value raises) without importing pandas."""

    def __bool__(self) -> bool:
        raise TypeError("boolean value of NA is ambiguous")


def test_evaluate_on_a_data_frame_row() -> None:
    row = {"nps": NAType(), "age": 34, "when": datetime.datetime(2024, 3, 1, 9, 30)}
    assert evaluate(parse("${nps} = ''"), row) is True
    assert evaluate(parse("${age} >= 18 and ${when} < date('2024-04-01')"), row) is True


# ----------------------------------------------------------------------------- describe

LABELS = {"nps": "Q3", "why": "Q5", "age": "Q1"}

DESCRIBE = [
    ("${nps} <= 6", "Q3 is at most 6", "Q3 hoogstens 6 is"),
    ("${nps} < 6", "Q3 is less than 6", "Q3 kleiner dan 6 is"),
    ("${nps} > 6.5", "Q3 is more than 6.5", "Q3 groter dan 6,5 is"),
    ("${nps} >= 9", "Q3 is at least 9", "Q3 minstens 9 is"),
    ("${nps} = 10", "Q3 is 10", "Q3 10 is"),
    ("${nps} != 10", "Q3 is not 10", "Q3 niet 10 is"),
    ("selected(${why}, 'x')", "Q5 includes 'x'", "bij Q5 'x' gekozen is"),
    ("count-selected(${why}) >= 2", "number of answers to Q5 is at least 2",
     "het aantal antwoorden op Q5 minstens 2 is"),
    ("${nps} != ''", "Q3 is answered", "Q3 beantwoord is"),
    ("${nps} = ''", "Q3 is not answered", "Q3 niet beantwoord is"),
    ("${nps} <= 6 and selected(${why}, 'price')",
     "Q3 is at most 6 and Q5 includes 'price'", "Q3 hoogstens 6 is en bij Q5 'price' gekozen is"),
    ("(${nps} = 1 or ${nps} = 2) and ${age} > 17",
     "(Q3 is 1 or Q3 is 2) and Q1 is more than 17", "(Q3 1 is of Q3 2 is) en Q1 groter dan 17 is"),
    ("not(selected(${why}, 'x'))", "not (Q5 includes 'x')", "niet (bij Q5 'x' gekozen is)"),
    (". >= 18", "the answer is at least 18", "het antwoord minstens 18 is"),
    ("${age} = true()", "Q1 is true", "Q1 waar is"),
    ("${unknown} = 1", "unknown is 1", "unknown 1 is"),
    ("string-length(.) <= 20", "string-length(the answer) is at most 20",
     "string-length(het antwoord) hoogstens 20 is"),
    ("${age} * 2 div 3 > 1", "Q1 × 2 / 3 is more than 1", "Q1 × 2 / 3 groter dan 1 is"),
    ("today() > date('2024-01-31')", "today is more than 2024-01-31",
     "vandaag groter dan 2024-01-31 is"),
]


@pytest.mark.parametrize(("source", "en", "nl"), DESCRIBE)
def test_describe(source: str, en: str, nl: str) -> None:
    tree = parse(source)
    assert describe(tree, "en", lambda q: LABELS.get(q, q)) == en
    assert describe(tree, "nl", lambda q: LABELS.get(q, q)) == nl


def test_describe_defaults_to_ids_and_checks_language() -> None:
    assert describe(parse("${nps} <= 6"), "en") == "nps is at most 6"
    with pytest.raises(ValueError, match=r"describe\(\) speaks en, nl; got lang='de'"):
        describe(parse("${nps} <= 6"), "de")


# ----------------------------------------------------------------------------- properties

_IDS = st.sampled_from(["a", "b", "c"]) | st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}",
                                                         fullmatch=True)
_TEXT = st.text(max_size=6).filter(lambda s: not ("'" in s and '"' in s))
_OPS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
_CALLABLE = sorted(name for name in FUNCTIONS if name not in ("true", "false"))
_LEAVES = st.one_of(
    st.builds(Ref, _IDS),
    st.just(Current()),
    st.builds(Literal, st.integers(0, 10**12)),
    st.builds(Literal, st.floats(0, 1e9, allow_nan=False, allow_infinity=False)),
    st.builds(Literal, _TEXT),
    st.builds(Literal, st.booleans()),
)


def _calls(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    def build(name: str) -> st.SearchStrategy[Expr]:
        lo, hi = FUNCTIONS[name]
        size = st.lists(children, min_size=lo, max_size=3 if hi is None else hi)
        return size.map(lambda args: Call(name, tuple(args)))
    return st.sampled_from(_CALLABLE).flatmap(build)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(st.builds(BinOp, st.sampled_from(_OPS), children, children),
                     st.builds(Neg, children), _calls(children))


TREES = st.recursive(_LEAVES, _extend, max_leaves=20)
ANSWER_VALUES = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(), st.text(max_size=5),
                          st.lists(st.sampled_from("xyz"), max_size=3), st.dates())


@QUICK
@given(TREES)
def test_format_parse_round_trip(tree: Expr) -> None:
    text = to_xlsform(tree)
    assert parse(text) == tree
    assert to_xlsform(parse(text)) == text


@QUICK
@given(TREES, st.dictionaries(st.sampled_from(["a", "b", "c"]), ANSWER_VALUES), ANSWER_VALUES)
def test_evaluate_and_describe_any_tree(tree: Expr, answers: dict[str, object],
                                        current: object) -> None:
    try:
        evaluate(tree, answers, current=current, today=TODAY)
    except ValueError as exc:  # only an invalid regex pattern may stop evaluation
        assert "regular expression" in str(exc)
    for lang in ("en", "nl"):
        assert isinstance(describe(tree, lang), str)


_GRAMMAR_TEXT = st.text(alphabet="${}()'\",.=!<>+-* \tabdnorsvmx019_", max_size=40)
_WORDS = st.lists(st.sampled_from(["${a}", "${b}", ".", "1", "2.5", "'x'", "(", ")", ",", "=",
                                   "!=", "<=", "-", "*", "and", "or", "div", "mod", "not(",
                                   "selected(", "today()", "AND", "nps", "$", "'"]),
                  max_size=12).map(" ".join)


@QUICK
@given(st.text(max_size=60) | _GRAMMAR_TEXT | _WORDS)
def test_any_text_parses_or_raises_logic_error(source: str) -> None:
    try:
        tree = parse(source)
    except LogicError as err:
        assert 0 <= err.offset <= len(source)
        assert err.kind in ("syntax", "unknown_function", "arity")
        assert f"at column {err.column}" in str(err)
    else:
        assert parse(to_xlsform(tree)) == tree


@pytest.mark.parametrize(("answers", "source", "expected"), [
    # answers taken from a numpy array or a DataFrame row arrive as numpy scalars
    ({"ok": np.bool_(False)}, "${ok}", False),
    ({"ok": np.bool_(True)}, "${ok} and 1", True),
    ({"n": np.int64(7)}, "${n} > 6", True),
    ({"x": np.float64("nan")}, "${x} = ''", True),
    ({"d": np.datetime64("2026-03-01T00:00:00.000000000")},
     "${d} < date('2026-03-02')", True),
    ({"d": np.datetime64("NaT")}, "${d} = ''", True),
])
def test_numpy_scalars_read_as_their_python_values(answers: dict[str, object], source: str,
                                                   expected: bool) -> None:
    assert evaluate(parse(source), answers) is expected
