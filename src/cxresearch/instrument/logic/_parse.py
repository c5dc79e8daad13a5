"""Reading and writing expressions: tokenizer, parser, to_xlsform, references, uses_current.

The parser is iterative (shunting-yard), so no input raises anything but LogicError.
:func:`_render` lays out a tree with parentheses only where needed; it is shared by
:func:`to_xlsform` and :func:`describe <cxresearch.instrument.logic.describe>`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator

from ._nodes import (
    _ID,
    _NEG_PREC,
    _PREC,
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
    _arity_ok,
    _arity_text,
    _check,
    _prec,
)

__all__ = ["parse", "references", "to_xlsform", "uses_current"]

_USAGE = {
    "selected": "selected(${question}, 'choice')", "count-selected": "count-selected(${q})",
    "not": "not(${q} = 'yes')", "string-length": "string-length(.)",
    "regex": "regex(., '^[0-9]{4}$')", "today": "today()", "date": "date('2024-01-31')",
    "if": "if(${q} = 1, 'a', 'b')", "coalesce": "coalesce(${a}, ${b})",
    "number": "number(${q})", "int": "int(${q})", "round": "round(${q}, 1)",
    "contains": "contains(${q}, 'text')", "concat": "concat(${a}, ' ', ${b})",
    "true": "true()", "false": "false()",
}
_KEYWORDS = ("and", "or", "div", "mod")
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

