"""What both renders (HTML and Markdown) share: the render context, numbering, texts.

The context holds the instrument, the language, the printed question numbers and the
journey's names of stages and touchpoints; helpers turn bounds, choices and scales into
the words and rows that both renders print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .._i18n import I18nError, t, ui_language
from .model import Block, Instrument, Question, Scale, Text

__all__ = ["_Ctx", "_context"]

# --------------------------------------------------------------------------- context


@dataclass
class _Ctx:
    """What every part of a render needs: the instrument, languages and numbering."""

    inst: Instrument
    lang: str
    ui: str
    numbers: dict[str, str] = field(default_factory=dict)
    journey_names: dict[str, Text] = field(default_factory=dict)

    @property
    def guide(self) -> bool:
        return self.inst.kind == "interview_guide"

    def w(self, key: str) -> str:
        """An interface word in the render's interface language."""
        return t(key, self.ui)

    def text(self, value: Text | None) -> tuple[str, str | None]:
        """The words of ``value`` and, when they are a fallback, their language."""
        if not value:
            return "", None
        words = value.get(self.lang)
        if words and words.strip():
            return self.piped(words), None
        for cand in (self.inst.language, *self.inst.languages, *value):
            words = value.get(cand)
            if words and words.strip():
                return self.piped(words), cand
        return "", None

    def piped(self, words: str) -> str:
        """``${id}`` in a text (the answer shown back) as the printed number: ``[Q3]``."""
        if "${" not in words:
            return words
        return re.sub(r"\$\{([^}]*)\}", lambda m: f"[{self.label(m.group(1))}]", words)

    def label(self, qid: str) -> str:
        """The printed number of a question (or matrix row), for logic in words."""
        if qid in self.numbers:
            return self.numbers[qid]
        if qid.endswith("_other") and qid[: -len("_other")] in self.numbers:
            return f"{self.numbers[qid[: -len('_other')]]} ({self.w('other_namely')})"
        return qid

    def logic(self, source: str) -> tuple[str, bool]:
        """Skip logic in words, and whether that worked (else the raw source)."""
        try:
            from .logic import describe, parse
        except ImportError:
            return source, False
        try:
            expr = parse(source)
            try:
                expr = self.with_labels(expr)
            except Exception:  # codes instead of labels is still a correct description
                pass
            words = describe(expr, self.ui, self.label)
        except Exception:  # any failure of the logic module: print the source instead
            return source, False
        if not isinstance(words, str) or not words.strip():
            return source, False
        return words, True


    def choice_label(self, qid: str, value: str) -> str | None:
        """The label a respondent sees for ``value`` of question ``qid`` (None if unknown)."""
        try:
            q = self.inst.question(qid)
        except KeyError:
            return None
        if q.other and value == "other":
            return self.w("other")
        for code, label in _choices(self, q):
            if code == value:
                return self.text(label)[0] or None
        return None

    def with_labels(self, expr: Any) -> Any:
        """``expr`` with choice codes replaced by the labels printed on the form."""
        from . import logic

        def swap(ref: Any, lit: Any) -> Any:
            if isinstance(ref, logic.Ref) and isinstance(lit, logic.Literal) \
                    and isinstance(lit.value, str) and lit.value:
                words = self.choice_label(ref.name, lit.value)
                if words and not ("'" in words and '"' in words):
                    return logic.Literal(words, offset=lit.offset)
            return lit

        def walk(e: Any) -> Any:
            if isinstance(e, logic.BinOp):
                left, right = walk(e.left), walk(e.right)
                if e.op in ("=", "!="):
                    right, left = swap(left, right), swap(right, left)
                return logic.BinOp(e.op, left, right, offset=e.offset)
            if isinstance(e, logic.Call):
                args = tuple(walk(a) for a in e.args)
                if e.name == "selected" and len(args) == 2:
                    args = (args[0], swap(args[0], args[1]))
                return logic.Call(e.name, args, offset=e.offset)
            if isinstance(e, logic.Neg):
                return logic.Neg(walk(e.operand), offset=e.offset)
            return e

        return walk(expr)


def _context(instrument: Instrument, lang: str | None) -> _Ctx:
    languages = list(instrument.languages)
    chosen = instrument.language if lang is None else lang
    if chosen not in languages:
        raise I18nError(
            f"lang={chosen!r} is not a language of instrument '{instrument.id}'; "
            f"allowed: {', '.join(languages)}. Pass one of these, or add {chosen!r} to "
            f"'languages' in the instrument file and translate its texts"
        )
    ctx = _Ctx(instrument, chosen, ui_language(chosen), journey_names=journey_names(instrument))
    prefix = ctx.w("question_prefix")
    n = 0
    for q in instrument.questions():
        if q.type == "note":
            continue
        n += 1
        ctx.numbers[q.id] = f"{prefix}{n}"
        for i, item in enumerate(q.items):
            ctx.numbers[item.id] = f"{prefix}{n}{_letter(i)}"
    return ctx


def _letter(i: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ..."""
    return _letter(i // 26 - 1) + chr(97 + i % 26) if i >= 26 else chr(97 + i)


def _number(value: float, lang: str) -> str:
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", ",") if lang == "nl" else text


def _date(iso: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    return f"{match[3]}-{match[2]}-{match[1]}" if match else iso


def _bounds(ctx: _Ctx, low: str | None, high: str | None, *, dates: bool = False) -> str:
    if low is not None and high is not None:
        return ctx.w("between").format(low=low, high=high)
    if low is not None:
        return ctx.w("date_from" if dates else "at_least").format(low=low)
    if high is not None:
        return ctx.w("date_until" if dates else "at_most").format(high=high)
    return ""


def _number_notes(ctx: _Ctx, q: Question) -> list[str]:
    low = None if q.min_value is None else _number(q.min_value, ctx.ui)
    high = None if q.max_value is None else _number(q.max_value, ctx.ui)
    notes = [_bounds(ctx, low, high), ctx.w("decimals_allowed" if q.decimals else "whole_number")]
    return [n for n in notes if n]


def _date_notes(ctx: _Ctx, q: Question) -> str:
    low = None if q.min_date is None else _date(q.min_date)
    high = None if q.max_date is None else _date(q.max_date)
    return _bounds(ctx, low, high, dates=True)


def _selection(ctx: _Ctx, q: Question) -> str:
    key = {"single_choice": "select_one", "multiple_choice": "select_all"}.get(q.type, "rank")
    words = [ctx.w(key)]
    if q.type == "ranking":
        words[0] += f" ({ctx.w('rank_hint')})"
    low, high = q.min_selected, q.max_selected
    if q.type != "single_choice" and (low is not None or high is not None):
        if low is not None and low == high:
            words.append(ctx.w("select_exactly").format(n=low))
        elif low is not None and high is not None:
            words.append(ctx.w("select_between").format(low=low, high=high))
        elif low is not None:
            words.append(ctx.w("select_at_least").format(n=low))
        else:
            words.append(ctx.w("select_at_most").format(n=high))
    return "; ".join(words)


def _meta(ctx: _Ctx) -> list[tuple[str, str | Text]]:
    """(interface word, value) rows of the header; a Text value is the author's words."""
    inst = ctx.inst
    audience = {"customer": "audience_customer", "employee": "audience_employee"}
    rows: list[tuple[str, str | Text]] = [
        ("version", inst.version),
        ("audience", ctx.w(audience[inst.audience]) if inst.audience in audience else inst.audience),
    ]
    if inst.duration_minutes is not None:
        rows.append(("duration", ctx.w("minutes").format(n=inst.duration_minutes)))
    if ctx.text(inst.purpose)[0]:
        rows.append(("purpose", inst.purpose))
    return rows + [("min_group_size", str(inst.min_group_size))]


def _block_meta(ctx: _Ctx, block: Block) -> list[tuple[str, str]]:
    """Stage and touchpoint of a block, by their journey names where the journey is known."""
    pairs = [("journey_stage", block.stage), ("touchpoint", block.touchpoint)]
    return [(key, ctx.text(ctx.journey_names.get(value, {}))[0] or value)
            for key, value in pairs if value]


def journey_names(instrument: Instrument) -> dict[str, Text]:
    """Names of the stages and touchpoints of the instrument's journey, per language, by
    id ({} without a journey link or when the journey cannot be read)."""
    if not instrument.journey:
        return {}
    from pathlib import Path as _Path

    from ..errors import CxResearchError
    from ..journey import load_journey

    path = _Path(instrument.journey)
    if not path.is_absolute() and instrument.source:
        path = _Path(instrument.source).parent / path
    try:
        journey = load_journey(path)
    except (CxResearchError, OSError):
        return {}
    names = {stage.id: stage.name for stage in journey.stages}
    names.update({tp.id: tp.name for tp in journey.touchpoints()})
    return names


def _choices(ctx: _Ctx, q: Question) -> list[tuple[str, Text]]:
    """(value, label) of the question's choices; an unknown list gives none."""
    clist = ctx.inst.choice_lists.get(q.choices or "")
    if clist is None:
        return []
    return [(c.value, c.label) for c in clist.choices]


def _scale_points(scale: Scale | None) -> list[tuple[int, Text]]:
    if scale is None:
        return []
    labels = list(scale.labels) + [{}] * max(0, scale.points - len(scale.labels))
    return list(zip(scale.values(), labels))
