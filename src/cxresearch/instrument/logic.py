"""Skip logic and constraints: a safe parser for XLSForm-style expressions.

A question's ``relevant`` expression decides whether it is asked, its ``constraint``
whether an answer is accepted. This module parses such expressions into a small tree
of frozen dataclasses -- without ``eval``, ``exec`` or the ``ast`` module -- writes
trees back as canonical XLSForm text, evaluates them on collected answers, and says
them in plain Dutch or English for printed questionnaires.

Grammar (lowest precedence first; binary operators are left-associative)::

    or       := and ("or" and)*
    and      := equal ("and" equal)*
    equal    := compare (("=" | "==" | "!=") compare)*
    compare  := sum (("<" | "<=" | ">" | ">=") sum)*
    sum      := product (("+" | "-") product)*
    product  := unary (("*" | "div" | "mod") unary)*
    unary    := "-" unary | primary
    primary  := "${" id "}" | "." | number | string | "(" or ")"
              | function "(" [or ("," or)*] ")"

- ``id`` is a letter or ``_`` followed by letters, digits or ``_``. ``.`` is the answer
  being checked, which only means something in a constraint.
- A number is ``7`` or ``3.5``: no sign (``-3`` is unary minus on ``3``), no exponent.
- A string sits in single or double quotes and has no escapes: write a string that
  holds ``'`` in double quotes and vice versa.
- ``==`` is read as ``=``. ``and``, ``or``, ``div`` and ``mod`` are lowercase only, as
  in XPath. Functions come from :data:`FUNCTIONS`; ``true()`` and ``false()`` become
  boolean :class:`Literal` nodes.

The parser is iterative (shunting-yard), sources are capped at :data:`MAX_LENGTH`
characters and trees at :data:`MAX_DEPTH` levels, so no input -- however hostile --
raises anything but :class:`LogicError`. Nodes check their fields when built, so every
tree (up to :data:`MAX_DEPTH` deep) can be written by :func:`to_xlsform` and parsed back
to an equal tree; equality ignores ``offset``.
"""

from __future__ import annotations

import datetime
import difflib
import math
import numbers
import operator
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Callable, Iterator, Mapping, TypeAlias

from ..errors import CxResearchError

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "BinOp",
    "Call",
    "Current",
    "Expr",
    "Literal",
    "LogicError",
    "Neg",
    "Ref",
    "describe",
    "evaluate",
    "parse",
    "references",
    "to_xlsform",
    "uses_current",
]

MAX_LENGTH = 10_000
"""Longest expression :func:`parse` accepts, in characters."""
MAX_DEPTH = 100
"""Deepest nesting of parentheses, and deepest tree, that :func:`parse` accepts."""

FUNCTIONS: Mapping[str, tuple[int, int | None]] = MappingProxyType({
    "selected": (2, 2), "count-selected": (1, 1), "not": (1, 1),
    "string-length": (1, 1), "regex": (2, 2), "today": (0, 0), "date": (1, 1),
    "if": (3, 3), "coalesce": (2, 2), "number": (1, 1), "int": (1, 1),
    "round": (1, 2), "contains": (2, 2), "concat": (1, None),
    "true": (0, 0), "false": (0, 0),
})
"""Known functions with their (least, most) number of arguments; None: no maximum."""

_USAGE = {
    "selected": "selected(${question}, 'choice')", "count-selected": "count-selected(${q})",
    "not": "not(${q} = 'yes')", "string-length": "string-length(.)",
    "regex": "regex(., '^[0-9]{4}$')", "today": "today()", "date": "date('2024-01-31')",
    "if": "if(${q} = 1, 'a', 'b')", "coalesce": "coalesce(${a}, ${b})",
    "number": "number(${q})", "int": "int(${q})", "round": "round(${q}, 1)",
    "contains": "contains(${q}, 'text')", "concat": "concat(${a}, ' ', ${b})",
    "true": "true()", "false": "false()",
}
_PREC = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
         "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}
_NEG_PREC, _ATOM_PREC = 7, 8
_KEYWORDS = ("and", "or", "div", "mod")
_KINDS = ("syntax", "unknown_function", "arity")
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_]*\})
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>!=|==|<=|>=|=|<|>|\+|-|\*)
  | (?P<punct>[(),.])
""", re.VERBOSE)
_CHAR_HINTS = {"&": "write 'and'", "|": "write 'or'", "/": "write 'div' to divide",
               "%": "write 'mod' for the remainder", "!": "write '!=' or not(...)",
               "{": "references look like ${question_id}",
               "}": "references look like ${question_id}"}


class LogicError(CxResearchError, ValueError):
    """An expression could not be parsed.

    Attributes
    ----------
    message : str
        What is wrong, where (``at column N``) and how to fix it.
    source : str
        The expression as given.
    offset : int
        0-based character offset of the problem in ``source``; see also ``column``.
    kind : str
        ``"syntax"``, ``"unknown_function"`` or ``"arity"``.
    """

    def __init__(self, message: str, source: str, offset: int, kind: str = "syntax") -> None:
        if kind not in _KINDS:
            raise ValueError(f"LogicError kind must be one of {', '.join(_KINDS)}; got {kind!r}")
        super().__init__(message, source, offset, kind)
        self.message, self.source, self.offset, self.kind = message, source, offset, kind

    @property
    def column(self) -> int:
        """1-based column of the problem (``offset + 1``)."""
        return self.offset + 1

    def __str__(self) -> str:
        start = self.source.rfind("\n", 0, self.offset) + 1
        end = self.source.find("\n", self.offset)
        line = self.source[start:] if end == -1 else self.source[start:end]
        col = self.offset - start
        if len(line) > 76:  # show a window around the problem
            lo = max(0, min(col - 38, len(line) - 76))
            tail = "..." if lo + 76 < len(line) else ""
            line = ("..." if lo else "") + line[lo:lo + 76] + tail
            col = col - lo + (3 if lo else 0)
        line = "".join(" " if c.isspace() else c for c in line)
        return f"{self.message}\n  {line}\n  {' ' * col}^"


# --------------------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Ref:
    """A reference ``${name}`` to the answer of another question."""

    name: str
    offset: int = field(default=0, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _ID.fullmatch(self.name):
            raise ValueError(f"Ref name must be a question id (a letter or '_', then "
                             f"letters, digits or '_'); got {self.name!r}")


@dataclass(frozen=True)
class Current:
    """``.``: the answer being checked by a constraint."""

    offset: int = field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True, eq=False)
class Literal:
    """A string, a non-negative number or a boolean (``true()``/``false()``).

    Literals are equal only when their values have the same type, so
    ``Literal(1) != Literal(1.0) != Literal(True)``.
    """

    value: str | int | float | bool
    offset: int = field(default=0, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        v = self.value
        if isinstance(v, str):
            if "'" in v and '"' in v:
                raise ValueError("a Literal string cannot hold both ' and \" (XLSForm has no "
                                 "escapes); build it with concat(\"'\", '\"')")
        elif isinstance(v, bool):
            pass
        elif isinstance(v, (int, float)):
            if v < 0 or isinstance(v, float) and (
                    not math.isfinite(v) or math.copysign(1.0, v) < 0):
                raise ValueError(f"a Literal number must be finite and not negative; got {v!r}"
                                 f" (write -3 as Neg(Literal(3)))")
        else:
            raise TypeError(f"Literal value must be str, int, float or bool; got "
                            f"{type(v).__name__}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Literal):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


@dataclass(frozen=True)
class Call:
    """A call of a function from :data:`FUNCTIONS` (not ``true``/``false``: see Literal)."""

    name: str
    args: tuple[Expr, ...]
    offset: int = field(default=0, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "args", tuple(self.args))
        for arg in self.args:
            _check(arg)
        if self.name in ("true", "false"):
            raise ValueError(f"write {self.name}() as Literal({self.name == 'true'})")
        if self.name not in FUNCTIONS:
            raise ValueError(f"unknown function {self.name!r}; known functions: "
                             f"{', '.join(sorted(FUNCTIONS))}")
        if not _arity_ok(self.name, len(self.args)):
            raise ValueError(f"{self.name}() takes {_arity_text(self.name)}; "
                             f"got {len(self.args)}")


@dataclass(frozen=True)
class BinOp:
    """A binary operation; ``op`` is one of ``or and = != < <= > >= + - * div mod``."""

    op: str
    left: Expr
    right: Expr
    offset: int = field(default=0, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.op not in _PREC:
            raise ValueError(f"BinOp op must be one of {' '.join(_PREC)}; got {self.op!r}")
        _check(self.left)
        _check(self.right)


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Expr
    offset: int = field(default=0, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        _check(self.operand)


Expr: TypeAlias = Ref | Current | Literal | Call | BinOp | Neg
"""Any node of an expression tree."""
_NODES = (Ref, Current, Literal, Call, BinOp, Neg)


def _check(expr: object) -> None:
    if not isinstance(expr, _NODES):
        raise TypeError(f"expected an expression tree (use parse(text)); got "
                        f"{type(expr).__name__}")


def _arity_ok(name: str, n: int) -> bool:
    lo, hi = FUNCTIONS[name]
    return lo <= n and (hi is None or n <= hi)


def _arity_text(name: str) -> str:
    lo, hi = FUNCTIONS[name]
    if hi is None:
        return f"at least {lo} argument{'s' * (lo != 1)}"
    if hi == 0:
        return "no arguments"
    return f"{lo} or {hi} arguments" if lo != hi else f"{lo} argument{'s' * (lo != 1)}"


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Token:
    kind: str  # ref num str name op ( ) , . end
    text: str
    offset: int


@dataclass
class _Frame:
    kind: str  # "op", "neg", "paren" or "call"
    token: _Token
    op: str = ""
    base: int = 0  # for calls: number of operands when the call opened


def _fail(source: str, offset: int, what: str, hint: str = "", kind: str = "syntax") -> LogicError:
    return LogicError(f"{what} at column {offset + 1}" + (f"; {hint}" if hint else ""),
                      source, offset, kind)


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            raise _bad_character(source, pos)
        kind = m.lastgroup or ""
        if kind == "num" and len(m.group().split(".")[0]) > 300:
            raise _fail(source, pos, "number too large", "use at most 300 digits before the point")
        if kind != "ws":
            tokens.append(_Token(m.group() if kind == "punct" else kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


def _bad_character(source: str, pos: int) -> LogicError:
    c = source[pos]
    if source.startswith("${", pos):
        m = _ID.match(source, pos + 2)
        if m is None and source.startswith("}", pos + 2):
            return _fail(source, pos, "empty reference '${}'",
                         "put a question id between the braces")
        if m is None:
            return _fail(source, pos + 2, "'${' is not followed by a question id",
                         "ids start with a letter or '_', then letters, digits or '_'")
        end = m.end()
        if end < len(source) and not source[end].isspace():
            return _fail(source, end, f"{source[end]!r} in a question id",
                         "ids hold only letters, digits and '_'")
        return _fail(source, end, f"unterminated reference '${{{m.group()}'",
                     f"close it: ${{{m.group()}}}")
    if c == "$":
        m = _ID.match(source, pos + 1)
        hint = f"write ${{{m.group()}}}" if m else "references look like ${question_id}"
        return _fail(source, pos, "unexpected character '$'", hint)
    if c in "'\"":
        return _fail(source, pos, "unterminated string", f"close it with {c}")
    return _fail(source, pos, f"unexpected character {c!r}", _CHAR_HINTS.get(
        c, "expressions use ${question_id}, numbers, 'text', operators and functions"))


def parse(source: str) -> Expr:
    """Parse an XLSForm expression into a tree.

    Parameters
    ----------
    source : str
        The expression, e.g. ``"${nps} <= 6 and selected(${why}, 'price')"``.

    Returns
    -------
    Expr
        The root node; every node's ``offset`` points into ``source``.

    Raises
    ------
    LogicError
        With ``kind`` ``"syntax"``, ``"unknown_function"`` (with a did-you-mean) or
        ``"arity"``, the offset of the problem, and how to fix it.

    Examples
    --------
    >>> parse("${age} >= 18")
    BinOp(op='>=', left=Ref(name='age', offset=0), right=Literal(value=18, offset=10), offset=7)
    """
    if not isinstance(source, str):
        raise TypeError(f"parse() needs the expression as str; got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise _fail(source, MAX_LENGTH, f"expression is {len(source):,} characters long",
                    f"the limit is {MAX_LENGTH:,}; split it over calculate questions")
    tokens = _tokenize(source)
    if tokens[0].kind == "end":
        raise _fail(source, 0, "empty expression", "write a condition such as ${q1} = 'yes'")
    return _Parser(source, tokens).run()


class _Parser:
    """Shunting-yard over the tokens: no recursion, so no RecursionError."""

    def __init__(self, source: str, tokens: list[_Token]) -> None:
        self.source, self.tokens, self.i = source, tokens, 0
        self.operands: list[tuple[Expr, int]] = []  # node and its depth
        self.frames: list[_Frame] = []
        self.groups = 0  # open parentheses and calls

    def run(self) -> Expr:
        expect_value = True
        while True:
            tok = self.tokens[self.i]
            self.i += 1
            if expect_value:
                expect_value = self._value(tok)
            elif tok.kind == "end":
                break
            else:
                expect_value = self._operator(tok)
        while self.frames:
            if self.frames[-1].kind in ("paren", "call"):
                tok = self.frames[-1].token
                what = "'('" if tok.kind == "(" else f"'{tok.text}('"
                raise self._fail(tok.offset, f"{what} is never closed", "add ')'")
            self._reduce()
        return self.operands[0][0]

    def _fail(self, offset: int, what: str, hint: str = "", kind: str = "syntax") -> LogicError:
        return _fail(self.source, offset, what, hint, kind)

    def _push(self, node: Expr, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self._fail(node.offset, "expression nested too deeply",
                             f"at most {MAX_DEPTH} levels; split it over calculate questions")
        self.operands.append((node, depth))

    def _open(self, frame: _Frame) -> None:
        self.groups += 1
        if self.groups > MAX_DEPTH:
            raise self._fail(frame.token.offset, "expression nested too deeply",
                             f"at most {MAX_DEPTH} levels of parentheses")
        self.frames.append(frame)

    def _value(self, tok: _Token) -> bool:
        """Handle a token where a value must come; return whether one still must."""
        k, text = tok.kind, tok.text
        if k == "num":
            self._push(Literal(float(text) if "." in text else int(text), offset=tok.offset), 1)
        elif k == "str":
            self._push(Literal(text[1:-1], offset=tok.offset), 1)
        elif k == "ref":
            self._push(Ref(text[2:-1], offset=tok.offset), 1)
        elif k == ".":
            self._push(Current(offset=tok.offset), 1)
        elif k == "(":
            self._open(_Frame("paren", tok))
            return True
        elif k == "op" and text == "-":
            self.frames.append(_Frame("neg", tok))
            return True
        elif k == "name" and text not in _KEYWORDS:
            return self._call_or_name(tok)
        elif k == "end":
            prev = self.tokens[self.i - 2]
            raise self._fail(tok.offset, "the expression ends too early",
                             f"a value must follow '{prev.text}'")
        else:
            raise self._fail(tok.offset, f"expected a value but found '{text}'",
                             "a value is a ${reference}, a number, 'text', . or a function call")
        return False

    def _call_or_name(self, tok: _Token) -> bool:
        name = tok.text
        if self.tokens[self.i].kind != "(":
            if name in FUNCTIONS:
                raise self._fail(tok.offset, f"function '{name}' without parentheses",
                                 f"write {_USAGE[name]}")
            hint = (f"to refer to a question write ${{{name}}}" if _ID.fullmatch(name)
                    else "references look like ${question_id}")
            raise self._fail(tok.offset, f"bare name '{name}'", hint)
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name.lower(), list(FUNCTIONS), n=1)
            raise self._fail(tok.offset, f"unknown function '{name}'",
                             f"known functions: {', '.join(sorted(FUNCTIONS))}"
                             + (f"; did you mean '{close[0]}'?" if close else ""),
                             "unknown_function")
        self.i += 1  # the "("
        if self.tokens[self.i].kind == ")":
            self.i += 1
            self._make_call(tok, [])
            return False
        self._open(_Frame("call", tok, base=len(self.operands)))
        return True

    def _make_call(self, tok: _Token, args: list[tuple[Expr, int]]) -> None:
        name = tok.text
        if not _arity_ok(name, len(args)):
            raise self._fail(tok.offset, f"{name}() takes {_arity_text(name)} but got "
                             f"{len(args)}", f"use it as {_USAGE[name]}", "arity")
        if name in ("true", "false"):
            self._push(Literal(name == "true", offset=tok.offset), 1)
        else:
            depth = 1 + max((d for _, d in args), default=0)
            self._push(Call(name, tuple(a for a, _ in args), offset=tok.offset), depth)

    def _operator(self, tok: _Token) -> bool:
        """Handle a token after a value; return whether a value must come next."""
        if tok.kind == "op" or (tok.kind == "name" and tok.text in _KEYWORDS):
            op = "=" if tok.text == "==" else tok.text
            while self.frames and (self.frames[-1].kind == "neg" or (
                    self.frames[-1].kind == "op" and _PREC[self.frames[-1].op] >= _PREC[op])):
                self._reduce()
            self.frames.append(_Frame("op", tok, op=op))
            return True
        if tok.kind in (")", ","):
            while self.frames and self.frames[-1].kind in ("op", "neg"):
                self._reduce()
            frame = self.frames[-1] if self.frames else None
            if tok.kind == ",":
                if frame is None or frame.kind != "call":
                    raise self._fail(tok.offset, "unexpected ','",
                                     "',' only separates the arguments of a function")
                return True
            if frame is None:
                raise self._fail(tok.offset, "unexpected ')'", "there is no open '(' to close")
            self.frames.pop()
            self.groups -= 1
            if frame.kind == "call":
                args = self.operands[frame.base:]
                del self.operands[frame.base:]
                self._make_call(frame.token, args)
            return False
        if tok.kind == "name" and tok.text.lower() in _KEYWORDS:
            raise self._fail(tok.offset, f"unknown operator '{tok.text}'",
                             f"operators are lowercase: write '{tok.text.lower()}'")
        raise self._fail(tok.offset, f"expected an operator but found '{tok.text}'",
                         "join values with or, and, =, !=, <, <=, >, >=, +, -, *, div or mod")

    def _reduce(self) -> None:
        frame = self.frames.pop()
        right, rdepth = self.operands.pop()
        if frame.kind == "neg":
            self._push(Neg(right, offset=frame.token.offset), rdepth + 1)
        else:
            left, ldepth = self.operands.pop()
            self._push(BinOp(frame.op, left, right, offset=frame.token.offset),
                       1 + max(ldepth, rdepth))


# --------------------------------------------------------------------------- walking


def _walk(expr: Expr) -> Iterator[Expr]:
    """Every node, parents before children, children in source order."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, BinOp):
            stack += (node.right, node.left)
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
        elif isinstance(node, Neg):
            stack.append(node.operand)


def references(expr: Expr) -> list[Ref]:
    """Every ``${...}`` reference in ``expr``, in source order (repeats included)."""
    _check(expr)
    return [node for node in _walk(expr) if isinstance(node, Ref)]


def uses_current(expr: Expr) -> bool:
    """Whether ``expr`` uses ``.`` (the answer being checked, for constraints)."""
    _check(expr)
    return any(isinstance(node, Current) for node in _walk(expr))


def _prec(expr: Expr) -> int:
    return _PREC[expr.op] if isinstance(expr, BinOp) else (
        _NEG_PREC if isinstance(expr, Neg) else _ATOM_PREC)


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")  # plain digits, no exponent
    return text if "." in text else text + ".0"


def _quote(text: str) -> str:
    return f'"{text}"' if "'" in text else f"'{text}'"


def _render(expr: Expr, leaf: Callable[[Expr], str | None], binop: Callable[[BinOp], str]
            ) -> str:
    """Shared layout of to_xlsform and describe: parentheses only where needed."""
    text = leaf(expr)
    if text is not None:
        return text
    if isinstance(expr, Neg):
        inner = _render(expr.operand, leaf, binop)
        return f"-({inner})" if _prec(expr.operand) < _NEG_PREC else f"-{inner}"
    if isinstance(expr, BinOp):
        p = _PREC[expr.op]
        left, right = _render(expr.left, leaf, binop), _render(expr.right, leaf, binop)
        left = f"({left})" if _prec(expr.left) < p else left
        right = f"({right})" if _prec(expr.right) <= p else right
        return f"{left} {binop(expr)} {right}"
    if isinstance(expr, Call):
        return f"{expr.name}({', '.join(_render(a, leaf, binop) for a in expr.args)})"
    raise TypeError(f"not an expression node: {type(expr).__name__}")


def _xlsform_leaf(expr: Expr) -> str | None:
    if isinstance(expr, Ref):
        return f"${{{expr.name}}}"
    if isinstance(expr, Current):
        return "."
    if isinstance(expr, Literal):
        v = expr.value
        if isinstance(v, bool):
            return "true()" if v else "false()"
        return _quote(v) if isinstance(v, str) else _number_text(v)
    return None


def to_xlsform(expr: Expr) -> str:
    """Canonical XLSForm text of ``expr``: ``parse(to_xlsform(e)) == e``.

    Operators get one space on each side, arguments are separated by ``", "``,
    strings use single quotes (double when they hold a single quote), and
    parentheses appear only where precedence needs them.

    Examples
    --------
    >>> to_xlsform(parse('(${a}<=6) and selected( ${b},"x")'))
    "${a} <= 6 and selected(${b}, 'x')"
    """
    _check(expr)
    return _render(expr, _xlsform_leaf, lambda b: b.op)


# --------------------------------------------------------------------------- evaluation

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


# --------------------------------------------------------------------------- words

_WORDS: dict[str, dict[str, str]] = {
    "en": {"=": "is", "!=": "is not", "<": "is less than", "<=": "is at most",
           ">": "is more than", ">=": "is at least", "and": "and", "or": "or",
           "not": "not", "answered": "is answered", "unanswered": "is not answered",
           "current": "the answer", "true": "true", "false": "false", "today": "today",
           "selected": "{q} includes {v}", "count": "number of answers to {q}"},
    "nl": {"=": "is", "!=": "is niet", "<": "is kleiner dan", "<=": "is hoogstens",
           ">": "is groter dan", ">=": "is minstens", "and": "en", "or": "of",
           "not": "niet", "answered": "beantwoord is", "unanswered": "niet beantwoord is",
           "current": "het antwoord", "true": "waar", "false": "onwaar", "today": "vandaag",
           "selected": "bij {q} {v} gekozen is", "count": "het aantal antwoorden op {q}"},
}
# Dutch puts the verb last in the clause that follows "als" ("Beantwoorden als V3
# hoogstens 6 is"), so its comparisons are templates rather than a word in the middle.
_NL_COMPARISONS = {"=": "{l} {r} is", "!=": "{l} niet {r} is", "<": "{l} kleiner dan {r} is",
                   "<=": "{l} hoogstens {r} is", ">": "{l} groter dan {r} is",
                   ">=": "{l} minstens {r} is"}
_SYMBOLS = {"+": "+", "-": "-", "*": "×", "div": "/", "mod": "mod"}


def describe(expr: Expr, lang: str, label: Callable[[str], str] | None = None) -> str:
    """Say ``expr`` in plain words, for printed questionnaires.

    Parameters
    ----------
    expr : Expr
        A tree from :func:`parse`.
    lang : {"en", "nl"}
        Language of the words.
    label : callable, optional
        Maps a question id to how it is printed (e.g. ``"Q3"``); default: the id.

    Returns
    -------
    str
        E.g. ``"Q3 is at most 6 and Q5 includes 'x'"`` (en) or
        ``"Q3 hoogstens 6 is en bij Q5 'x' gekozen is"`` (nl, in the word order of a
        clause after "als"). Comparing with ``''``
        reads "is (not) answered"; functions other than selected, count-selected,
        not, today and date keep their XLSForm form, with described arguments.

    Examples
    --------
    >>> describe(parse("${nps} <= 6"), "en", {"nps": "Q3"}.get)
    'Q3 is at most 6'
    """
    _check(expr)
    if lang not in _WORDS:
        raise ValueError(f"describe() speaks {', '.join(sorted(_WORDS))}; got lang={lang!r}")
    words, name = _WORDS[lang], label or (lambda qid: qid)

    def say(e: Expr) -> str:
        return _render(e, leaf, binop)

    def leaf(e: Expr) -> str | None:
        if isinstance(e, Ref):
            return name(e.name)
        if isinstance(e, Current):
            return words["current"]
        if isinstance(e, Literal):
            v = e.value
            if isinstance(v, bool):
                return words["true" if v else "false"]
            if isinstance(v, str):
                return _quote(v)
            return _number_text(v).replace(".", ",") if lang == "nl" else _number_text(v)
        if isinstance(e, BinOp) and e.op in ("=", "!="):
            empty = [s for s in (e.left, e.right) if isinstance(s, Literal) and s.value == ""
                     and isinstance(s.value, str)]
            if empty:
                other = e.right if empty[0] is e.left else e.left
                text = f"({say(other)})" if _prec(other) <= _PREC["="] else say(other)
                return f"{text} {words['answered' if e.op == '!=' else 'unanswered']}"
        if lang == "nl" and isinstance(e, BinOp) and e.op in _NL_COMPARISONS:
            def side(x: Expr) -> str:
                return f"({say(x)})" if _prec(x) <= _PREC["="] else say(x)

            return _NL_COMPARISONS[e.op].format(l=side(e.left), r=side(e.right))
        if isinstance(e, Call):
            if e.name == "selected":
                return words["selected"].format(q=say(e.args[0]), v=say(e.args[1]))
            if e.name == "count-selected":
                return words["count"].format(q=say(e.args[0]))
            if e.name == "not":
                return f"{words['not']} ({say(e.args[0])})"
            if e.name == "today":
                return words["today"]
            if e.name == "date" and isinstance(e.args[0], Literal):
                return str(e.args[0].value)
        return None

    def binop(e: BinOp) -> str:
        return words.get(e.op) or _SYMBOLS[e.op]

    return say(expr)
