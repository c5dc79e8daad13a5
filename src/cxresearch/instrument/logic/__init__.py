"""Skip logic and constraints: a safe parser for XLSForm-style expressions.

A question's ``relevant`` expression decides whether it is asked, its ``constraint``
whether an answer is accepted. This module parses such expressions into a small tree
of frozen dataclasses -- without ``eval``, ``exec`` or the ``ast`` module -- writes
trees back as canonical XLSForm text, evaluates them on collected answers, and says
them in plain Dutch or English for printed questionnaires.

The package is split by job: :mod:`._nodes` (the tree, :class:`LogicError`,
:data:`FUNCTIONS`, limits and precedence), :mod:`._parse` (tokenizer, parser,
:func:`to_xlsform`, :func:`references`, :func:`uses_current`), :mod:`._evaluate`
(:func:`evaluate`) and :mod:`._describe` (:func:`describe`). Import from the
package, not from those private modules.

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

from ._describe import describe
from ._evaluate import evaluate
from ._nodes import (
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
)
from ._parse import parse, references, to_xlsform, uses_current
from ._vector import evaluate_frame

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
    "evaluate_frame",
    "parse",
    "references",
    "to_xlsform",
    "uses_current",
]
