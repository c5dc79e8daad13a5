"""Translate parsed skip logic and constraints into LimeSurvey ExpressionScript.

Private helper of :mod:`cxresearch.instrument.limesurvey`: :class:`_Translator` turns a
:mod:`cxresearch.instrument.logic` tree (relevance or constraint) into an ExpressionScript
expression on the LimeSurvey codes of :func:`~cxresearch.instrument.limesurvey.limesurvey_codes`,
:func:`_bounds` turns a constraint of simple bounds into question attributes, and
:class:`_Unsupported` says what has no ExpressionScript equivalent and how to go on.

Notes
-----
ExpressionScript has ``== != < <= > >= and or ! + - * /`` but no modulo operator, and
single- or double-quoted strings that cannot escape their own quote
(``application/helpers/expressions/em_core_helper.php``); it gives dates as
``yyyy-mm-dd HH:MM:SS`` (https://manual.limesurvey.org/Question_type_-_Date).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Mapping

from ..errors import Code
from . import logic as lg
from .model import Instrument, Question

if TYPE_CHECKING:  # limesurvey imports this module; the codes are only annotations here
    from .limesurvey import LimeSurveyCodes

__all__ = [
    "OTHER_ANSWER_CODE",
    "_Translator",
    "_Unsupported",
    "_bounds",
    "_merge",
]

OTHER_ANSWER_CODE = "-oth-"
"""The value LimeSurvey stores for a list question when the respondent picks "Other"."""

_COMPARE = {"=", "!=", "<", "<=", ">", ">="}
_ORDER = {"<", "<=", ">", ">="}
_PREC = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
         "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}
_EM_OP = {"=": "==", "div": "/"}
_UNARY, _ATOM = 7, 9
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SIMPLE_CALLS = {"string-length": "strlen", "int": "intval", "round": "round", "if": "if"}


class _Unsupported(Exception):
    def __init__(self, message: str, fix: str, code: Code = Code.EXPORT_UNSUPPORTED) -> None:
        super().__init__(message)
        self.message, self.fix, self.code = message, fix, code


_HAND_FIX = "rewrite the expression without it, or add the logic by hand in LimeSurvey after import"


def _quote(s: str) -> str:
    """An ExpressionScript string literal; it cannot escape its own quote character."""
    if re.search(r"[\x00-\x1f]", s) is None and not s.endswith("\\"):
        if "'" not in s:
            return f"'{s}'"
        if '"' not in s:
            return f'"{s}"'
    raise _Unsupported(f"the text {s!r} cannot be written as a LimeSurvey string",
                       "avoid strings that contain both ' and \", a trailing \\ or control characters")


def _number(v: float) -> str:
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    return f"{v:.12f}".rstrip("0").rstrip(".")


class _Translator:
    """XLSForm-style logic (a :mod:`logic` tree) -> LimeSurvey ExpressionScript."""

    def __init__(self, instrument: Instrument, codes: LimeSurveyCodes) -> None:
        self.codes = codes
        self.questions = {q.id: q for q in instrument.questions()}
        self.item_of = {it.id: q for q in self.questions.values() for it in q.items}
        self.current: Question | None = None

    def __call__(self, node: lg.Expr, current: Question | None) -> str:
        self.current = current
        text, _ = self.expr(node)
        # LimeSurvey's importer strips one pair of quotes around a whole cell.
        return f"({text})" if text.startswith('"') and text.endswith('"') else text

    def target(self, node: lg.Expr) -> tuple[Question, str | None] | None:
        if isinstance(node, lg.Current):
            if self.current is None:
                raise _Unsupported("'.' (the current question) is only meaningful in a constraint",
                                   "name the question as ${id}")
            return self.current, None
        if isinstance(node, lg.Ref):
            if node.name in self.questions:
                return self.questions[node.name], None
            if node.name in self.item_of:
                return self.item_of[node.name], node.name
            raise _Unsupported(f"${{{node.name}}} is not a question of this instrument",
                               "refer to an existing question id", Code.LOGIC_UNKNOWN_QUESTION)
        return None

    def variable(self, q: Question, item: str | None = None) -> str:
        if item is not None:
            code, sub = self.codes.items[item]
            return f"{code}_{sub}.NAOK"
        if q.type in ("multiple_choice", "likert_matrix", "ranking", "note"):
            raise _Unsupported(
                f"${{{q.id}}} is a {q.type} question, which has no single value in LimeSurvey",
                "use selected() or count-selected() for multiple choice, or an item id for a matrix")
        return f"{self.codes.questions[q.id]}.NAOK"

    def subvariables(self, q: Question) -> list[str]:
        code = self.codes.questions[q.id]
        names = [f"{code}_{c}.NAOK" for (qid, _), c in self.codes.subquestions.items() if qid == q.id]
        return names + ([f"{code}_other.NAOK"] if q.other else [])

    def choice_literal(self, q: Question, item: str | None, value: object, op: str) -> str:
        if isinstance(value, bool):
            raise _Unsupported(f"${{{item or q.id}}} is compared with a boolean", "compare with a value")
        key = _number(value) if isinstance(value, (int, float)) else str(value)
        owner = q.id
        if op in _ORDER and isinstance(value, (int, float)) and all(
                v == c for (qid, v), c in self.codes.answers.items() if qid == owner):
            return key  # a numeric bound between scale points, and codes equal values
        code = self.codes.answers.get((owner, key))
        if code is None and q.type == "single_choice" and q.other and key == "other":
            code = OTHER_ANSWER_CODE
        if code is None:
            known = sorted(v for (qid, v) in self.codes.answers if qid == owner)
            raise _Unsupported(f"{key!r} is not a value of ${{{item or q.id}}}",
                               f"use one of: {', '.join(known)}")
        if op in _ORDER and code != key:
            raise _Unsupported(f"${{{item or q.id}}} is ordered with {op} but its values became "
                               f"LimeSurvey codes other than themselves ({key!r} -> {code!r})",
                               "use = and != for this question, or numeric choice values")
        return code if code.isdigit() else _quote(code)

    def expr(self, node: lg.Expr) -> tuple[str, int]:
        found = self.target(node)
        if found is not None:
            return self.variable(*found), _ATOM
        if isinstance(node, lg.Literal):
            v = node.value
            if isinstance(v, bool):
                return ("1" if v else "0"), _ATOM
            return (_quote(v) if isinstance(v, str) else _number(v)), _ATOM
        if isinstance(node, lg.Neg):
            text, p = self.expr(node.operand)
            return "-" + (text if p >= _UNARY else f"({text})"), _UNARY
        if isinstance(node, lg.Call):
            return self.call(node), _ATOM
        if isinstance(node, lg.BinOp):
            return self.binop(node)
        raise _Unsupported(f"{type(node).__name__} has no LimeSurvey equivalent", _HAND_FIX)

    def binop(self, node: lg.BinOp) -> tuple[str, int]:
        op, p = node.op, _PREC[node.op]
        if op == "mod":  # no % in ExpressionScript: a - intval(a / b) * b truncates like XPath
            a, b = (t if p_ >= _ATOM else f"({t})" for t, p_ in map(self.expr, (node.left, node.right)))
            return f"({a} - intval({a} / {b}) * {b})", _ATOM
        sides: list[str | None] = [None, None]
        if op in _COMPARE:
            for i, (ref, lit) in enumerate(((node.left, node.right), (node.right, node.left))):
                found = self.target(ref)
                if found is None or not isinstance(lit, lg.Literal):
                    continue
                q, item = found
                if lit.value == "" and op in ("=", "!="):
                    test = f"is_empty({self.variable(q, item)})"
                    return (test, _ATOM) if op == "=" else (f"!{test}", _UNARY)
                if item is not None or q.type in ("single_choice", "likert", "rating"):
                    sides[1 - i] = self.choice_literal(q, item, lit.value, op)
                elif q.type == "date" and isinstance(lit.value, str) and _DATE.fullmatch(lit.value):
                    sides[1 - i] = _quote(lit.value + " 00:00:00")  # how ExpressionScript sees dates
        left, lp = self.expr(node.left) if sides[0] is None else (sides[0], _ATOM)
        right, rp = self.expr(node.right) if sides[1] is None else (sides[1], _ATOM)
        if lp < p or (op in _COMPARE and lp == p):
            left = f"({left})"
        if rp <= p:
            right = f"({right})"
        return f"{left} {_EM_OP.get(op, op)} {right}", p

    def call(self, node: lg.Call) -> str:
        name, args = node.name, node.args
        if name in ("selected", "count-selected"):
            found = self.target(args[0]) if args else None
            if found is None or found[1] is not None:
                raise _Unsupported(f"{name}() needs a question as its first argument", "write ${id}")
            q = found[0]
            if name == "count-selected" and len(args) == 1 and q.type == "multiple_choice":
                return f"count({', '.join(self.subvariables(q))})"
            if name == "selected" and len(args) == 2 and isinstance(args[1], lg.Literal):
                value = str(args[1].value)
                if q.type == "multiple_choice":
                    code = self.codes.questions[q.id]
                    sub = self.codes.subquestions.get((q.id, value))
                    if sub is not None:
                        return f"({code}_{sub}.NAOK == 'Y')"
                    if q.other and value == "other":
                        return f"!is_empty({code}_other.NAOK)"
                    raise _Unsupported(f"{value!r} is not a choice of ${{{q.id}}}", "use a value of its choice list")
                if q.type in ("single_choice", "likert", "rating"):
                    return f"({self.variable(q)} == {self.choice_literal(q, None, value, '=')})"
            raise _Unsupported(f"{name}() on ${{{q.id}}} ({q.type}) has no LimeSurvey equivalent", _HAND_FIX)
        rendered = [self.expr(a)[0] for a in args]
        if name == "not" and len(args) == 1:
            return f"!({rendered[0]})"
        if name == "regex" and len(args) == 2 and isinstance(args[1], lg.Literal):
            pattern = str(args[1].value).replace("/", r"\/")
            return f"regexMatch({_quote('/' + pattern + '/')}, {rendered[0]})"
        if name == "coalesce" and len(args) == 2:
            return f"if(is_empty({rendered[0]}), {rendered[1]}, {rendered[0]})"
        if name == "concat":
            return "implode(" + ", ".join(["''", *rendered]) + ")"
        if name in _SIMPLE_CALLS:
            return f"{_SIMPLE_CALLS[name]}({', '.join(rendered)})"
        raise _Unsupported(f"the function {name}() has no LimeSurvey ExpressionScript equivalent", _HAND_FIX)


def _conjuncts(node: lg.Expr) -> list[lg.Expr]:
    if isinstance(node, lg.BinOp) and node.op == "and":
        return _conjuncts(node.left) + _conjuncts(node.right)
    return [node]


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def _bounds(q: Question, node: lg.Expr) -> dict[str, str] | None:
    """A constraint made only of simple bounds -> LimeSurvey attributes, else None."""
    out: dict[str, str] = {}
    for part in _conjuncts(node):
        if not isinstance(part, lg.BinOp) or part.op not in _ORDER:
            return None
        subject, lit, op = part.left, part.right, part.op
        if isinstance(subject, lg.Literal):
            subject, lit, op = lit, subject, _FLIP[op]
        if not isinstance(lit, lg.Literal) or isinstance(lit.value, bool):
            return None
        v = lit.value
        strict = op in ("<", ">")
        if isinstance(v, str):  # only dates are bounded by strings (ISO dates sort as text)
            if not (isinstance(subject, lg.Current) and q.type == "date" and _DATE.fullmatch(v)) or strict:
                return None
            key = "date_min" if op == ">=" else "date_max"
        elif isinstance(subject, lg.Current) and q.type == "number":
            if strict and (q.decimals or not float(v).is_integer()):
                return None
            key = "min_num_value_n" if op[0] == ">" else "max_num_value_n"
        elif isinstance(subject, lg.Call) and len(subject.args) == 1 and isinstance(subject.args[0], lg.Current):
            if not float(v).is_integer():
                return None
            kinds = {("string-length", "text", "<"): "maximum_chars",
                     ("count-selected", "multiple_choice", "<"): "max_answers",
                     ("count-selected", "multiple_choice", ">"): "min_answers"}
            key = kinds.get((subject.name, q.type, op[0]), "")
            if not key:
                return None
        else:
            return None
        if not isinstance(v, str):
            v = v + (1 if op == ">" else -1 if op == "<" else 0)
        _merge(out, {key: v})
    return out


def _merge(attrs: dict[str, str], extra: Mapping[str, float | str]) -> None:
    """Add bounds to ``attrs``, keeping the tighter one where both give a bound."""
    for key, v in extra.items():
        if key in attrs:
            old = attrs[key] if isinstance(v, str) else float(attrs[key])
            v = max(old, v) if "min" in key else min(old, v)
        attrs[key] = v if isinstance(v, str) else _number(v)
