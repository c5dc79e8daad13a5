"""Expression trees: the node dataclasses, LogicError, known functions, limits, precedence.

Nodes check their fields when built; equality ignores ``offset``. See the package
docstring of :mod:`cxresearch.instrument.logic` for the grammar.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, TypeAlias

from ...errors import CxResearchError

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

_PREC = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
         "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}
_NEG_PREC, _ATOM_PREC = 7, 8
_KINDS = ("syntax", "unknown_function", "arity")
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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


def _prec(expr: Expr) -> int:
    return _PREC[expr.op] if isinstance(expr, BinOp) else (
        _NEG_PREC if isinstance(expr, Neg) else _ATOM_PREC)
