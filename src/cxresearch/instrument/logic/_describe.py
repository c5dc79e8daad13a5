"""Saying expressions in plain Dutch or English, for printed questionnaires."""

from __future__ import annotations

from typing import Callable

from ._nodes import _PREC, BinOp, Call, Current, Expr, Literal, Ref, _check, _prec
from ._parse import _number_text, _quote, _render, parse  # parse: for describe's doctest

__all__ = ["describe"]

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
