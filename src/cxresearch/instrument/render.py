"""Printable renders of an instrument: HTML for review and paper fielding, and Markdown.

One render shows the instrument in one language. Questions are numbered Q1, Q2, ...
(V1, V2, ... in Dutch); notes are not numbered, and the rows of a matrix are lettered
(Q4a, Q4b, ...). Skip logic is printed in words through
:func:`cxresearch.instrument.logic.describe`, using those printed numbers, e.g.
"Answer if Q3 is at most 6". Text missing in the requested language is taken from the
instrument's default language and marked as not translated.

All text from the instrument is escaped: HTML renders never contain markup from an
instrument file, and Markdown renders escape the characters that would start markup.
"""

from __future__ import annotations

from typing import Any

import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .._atomic import atomic_write_text
from .._i18n import I18nError, t, ui_language
from .model import Block, Instrument, Question, Scale, Text

__all__ = ["to_html", "to_markdown", "write_html", "write_markdown"]

_LONG_TEXT_LINES = 5


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
            return words, None
        for cand in (self.inst.language, *self.inst.languages, *value):
            words = value.get(cand)
            if words and words.strip():
                return words, cand
        return "", None

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
    ctx = _Ctx(instrument, chosen, ui_language(chosen), journey_names=_journey_names(instrument))
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


def _journey_names(instrument: Instrument) -> dict[str, Text]:
    """Names of the stages and touchpoints of the instrument's journey ({} if unreadable)."""
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


# --------------------------------------------------------------------------------- HTML

_STYLE = """
&{font-family:"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;background:#fff;
 line-height:1.45;font-size:11pt;max-width:46rem;padding:1rem 1.25rem;box-sizing:border-box}
*{box-sizing:border-box} p{margin:.25em 0} h1{font-size:1.7em;margin:.1em 0 .4em;line-height:1.2}
h2{font-size:1.25em;margin:1.6em 0 .3em;padding-bottom:.2em;border-bottom:2px solid #2d5d8a;
 color:#1f3f5e}
.cxr-kind{text-transform:uppercase;letter-spacing:.08em;font-size:.8em;color:#2d5d8a;
 font-weight:600;margin:0}
.cxr-meta{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.5em 0 1em;
 font-size:.92em} .cxr-meta dt{font-weight:600;color:#444} .cxr-meta dd{margin:0}
.cxr-description,.cxr-intro{margin:.5em 0 .8em} .cxr-block-meta{font-size:.88em;color:#555}
.cxr-block-meta .cxr-sep{margin:0 .5em;color:#999}
.cxr-relevance{font-size:.88em;color:#7a4b00;font-style:italic}
.cxr-relevance::before{content:"\\2192\\00a0";font-style:normal}
.cxr-logic-raw{font-family:Consolas,"DejaVu Sans Mono",monospace;font-style:normal;font-size:.95em}
.cxr-question{margin:1.1em 0;break-inside:avoid;page-break-inside:avoid}
.cxr-qhead{display:flex;gap:.55em;align-items:baseline;font-weight:600}
.cxr-qnum{min-width:2.4em;color:#2d5d8a} .cxr-label{flex:1} .cxr-body{margin-left:2.95em}
.cxr-required{font-weight:400;font-size:.8em;color:#a11;white-space:nowrap}
.cxr-hint{font-size:.9em;color:#555;font-style:italic} .cxr-instruction{font-size:.85em;color:#555}
.cxr-note{margin:1em 0;padding:.5em .8em;border-left:3px solid #bbb;background:#f6f6f6;
 break-inside:avoid;page-break-inside:avoid}
ul.cxr-choices{list-style:none;padding:0;margin:.3em 0}
ul.cxr-choices li{margin:.2em 0;display:flex;gap:.5em;align-items:baseline}
.cxr-mark{font-size:1.35em;line-height:1}
.cxr-rankbox{display:inline-block;width:1.6em;height:1.3em;border:1px solid #333;flex:none;
 align-self:center}
.cxr-line{display:inline-block;border-bottom:1px solid #333;min-width:12em;height:1.2em;
 vertical-align:bottom}
.cxr-line.cxr-full{display:block;width:100%;margin:.2em 0 .4em} .cxr-line.cxr-short{min-width:7em}
.cxr-line.cxr-dd{min-width:2.2em} .cxr-line.cxr-yyyy{min-width:4em}
.cxr-textbox .cxr-line{display:block;width:100%;height:1.9em} .cxr-small{font-size:.8em;color:#666}
table{border-collapse:collapse;margin:.4em 0;font-size:.88em}
table.cxr-scale,table.cxr-rating{width:100%;table-layout:fixed}
table.cxr-scale th{font-weight:400;vertical-align:bottom;padding:.2em .3em;text-align:center;
 hyphens:auto;overflow-wrap:break-word}
table.cxr-scale td{text-align:center;padding:.25em .2em;border-top:1px solid #ddd}
table.cxr-scale .cxr-mark{font-size:1.5em}
table.cxr-scale .cxr-code{display:block;font-size:.75em;color:#777}
table.cxr-matrix .cxr-corner{width:36%;border-top:none} table.cxr-wide .cxr-corner{width:26%}
table.cxr-wide th[scope=col]{font-size:.82em}
table.cxr-matrix th[scope=row]{text-align:left;border-top:1px solid #ddd;vertical-align:middle;
 overflow-wrap:normal}
table.cxr-matrix tbody tr:nth-child(even){background:#f4f6f8}
.cxr-itemnum{color:#2d5d8a;margin-right:.3em} td.cxr-rating-box{text-align:center;padding:.1em}
td.cxr-rating-box .cxr-num{display:block;font-size:.85em} td.cxr-rating-box .cxr-mark{font-size:1.5em}
td.cxr-anchor-low{text-align:left;font-size:.85em;color:#444}
td.cxr-anchor-high{text-align:right;font-size:.85em;color:#444}
.cxr-interviewer{margin:.5em 0;padding:.35em .7em;border-left:3px solid #2d5d8a;
 background:#eef3f8;font-size:.92em}
.cxr-probes{margin:.4em 0;font-size:.92em} .cxr-probes ul{margin:.15em 0 .3em;padding-left:1.3em}
.untranslated{background:#fff1c9;border-bottom:1px dashed #b58900}
"""


def _scoped(style: str, root: str = ".cxr-instrument") -> str:
    """Prefix every selector of ``style`` (flat rules, no @-rules) with ``root``; ``&`` is root."""
    rules = []
    for rule in style.split("}"):
        if rule.strip():
            selectors, body = rule.split("{", 1)
            scoped = (root + s.strip()[1:] if s.strip().startswith("&") else f"{root} {s.strip()}"
                      for s in selectors.split(","))
            rules.append(",".join(scoped) + "{" + " ".join(body.split()) + "}")
    return "\n".join(rules)


_CSS = _scoped(_STYLE)

_PRINT_CSS = """
@page{size:A4;margin:16mm 15mm 18mm}
body{margin:0;background:#fff}
@media screen{body{background:#e9ecef;padding:1.5rem 0}
 .cxr-instrument{margin:0 auto;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:2rem 2.2rem}}
@media print{.cxr-instrument{max-width:none;padding:0;font-size:10.5pt}
 .cxr-instrument h2{break-after:avoid;page-break-after:avoid}
 .cxr-instrument .untranslated{background:none}
 .cxr-instrument table.cxr-matrix tbody tr:nth-child(even){background:none}}
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _esc_lines(words: str) -> str:
    return "<br>".join(_esc(line) for line in words.strip().splitlines())


def _paragraphs(words: str) -> str:
    paras = [p for p in re.split(r"\n\s*\n", words.strip()) if p.strip()]
    return "".join(f"<p>{_esc_lines(p)}</p>" for p in paras)


def _h(ctx: _Ctx, value: Text | None, *, block: bool = False) -> str:
    """Escaped words of ``value`` (paragraphs when ``block``), marked if a fallback."""
    words, fallback = ctx.text(value)
    body = _paragraphs(words) if block else _esc_lines(words)
    if fallback is None:
        return body
    tag = "div" if block else "span"
    title = f"{ctx.w('untranslated')} ({ctx.lang})"
    return f'<{tag} class="untranslated" lang="{_esc(fallback)}" title="{_esc(title)}">{body}</{tag}>'


def _relevance_html(ctx: _Ctx, source: str | None, key: str) -> str:
    if not source or not source.strip():
        return ""
    words, described = ctx.logic(source)
    body = _esc(words) if described else f'<code class="cxr-logic-raw">{_esc(words)}</code>'
    return f'<p class="cxr-relevance">{_esc(ctx.w(key))} {body}</p>'


def _header_html(ctx: _Ctx) -> list[str]:
    inst = ctx.inst
    kind = ctx.w("interview_guide" if ctx.guide else "questionnaire")
    out = ['<header class="cxr-header">', f'<p class="cxr-kind">{_esc(kind)}</p>',
           f'<h1 class="cxr-title">{_h(ctx, inst.title) or _esc(inst.id)}</h1>',
           '<dl class="cxr-meta">']
    out += [f"<dt>{_esc(ctx.w(key))}</dt><dd>{_esc(v) if isinstance(v, str) else _h(ctx, v)}</dd>"
            for key, v in _meta(ctx)]
    out.append("</dl>")
    if ctx.text(inst.description)[0]:
        out.append(f'<div class="cxr-description">{_h(ctx, inst.description, block=True)}</div>')
    out.append("</header>")
    return out


def _choices_html(ctx: _Ctx, q: Question) -> list[str]:
    if q.type == "ranking":
        mark = '<span class="cxr-rankbox" aria-hidden="true"></span>'
    else:
        mark = f'<span class="cxr-mark">{"○" if q.type == "single_choice" else "☐"}</span>'
    out = [f'<ul class="cxr-choices cxr-{_esc(q.type)}">']
    for value, label in _choices(ctx, q):
        words = _h(ctx, label) or _esc(value)
        out.append(f'<li data-value="{_esc(value)}">{mark}<span>{words}</span></li>')
    if q.other:
        out.append(f'<li class="cxr-other">{mark}<span>{_esc(ctx.w("other_namely"))} '
                   '<span class="cxr-line"></span></span></li>')
    out.append("</ul>")
    return out


def _scale_html(ctx: _Ctx, q: Question) -> list[str]:
    points = _scale_points(q.scale)
    if not points:
        return []
    matrix = q.type == "likert_matrix"
    heads = "".join(f'<th scope="col">{_h(ctx, label) or code}</th>' for code, label in points)
    cells = "".join(f'<td><span class="cxr-mark">○</span><span class="cxr-code">{code}</span></td>'
                    for code, _ in points)
    corner = '<td class="cxr-corner"></td>' if matrix else ""
    wide = " cxr-wide" if len(points) > 5 else ""
    out = [f'<table class="cxr-scale{" cxr-matrix" if matrix else ""}{wide}">',
           f"<thead><tr>{corner}{heads}</tr></thead>", "<tbody>"]
    if matrix:
        for item in q.items:
            num = ctx.numbers.get(item.id, "")[len(ctx.numbers.get(q.id, "")):]
            row = (f'<th scope="row"><span class="cxr-itemnum">{_esc(num)}.</span>'
                   f"{_h(ctx, item.label) or _esc(item.id)}</th>")
            out.append(f'<tr data-item="{_esc(item.id)}">{row}{cells}</tr>')
    else:
        out.append(f"<tr>{cells}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _rating_html(ctx: _Ctx, q: Question) -> list[str]:
    boxes = "".join(f'<td class="cxr-rating-box"><span class="cxr-num">{i}</span>'
                    '<span class="cxr-mark">☐</span></td>' for i in range(11))
    out = ['<table class="cxr-rating">', f"<tbody><tr>{boxes}</tr>"]
    low, high = _h(ctx, q.anchors.get("low")), _h(ctx, q.anchors.get("high"))
    if low or high:
        out.append(f'<tr class="cxr-anchors"><td colspan="4" class="cxr-anchor-low">{low}</td>'
                   f'<td colspan="3"></td><td colspan="4" class="cxr-anchor-high">{high}</td></tr>')
    out += ["</tbody>", "</table>"]
    return out


def _answer_html(ctx: _Ctx, q: Question) -> list[str]:
    if q.type in ("single_choice", "multiple_choice", "ranking"):
        return _choices_html(ctx, q)
    if q.type in ("likert", "likert_matrix"):
        return _scale_html(ctx, q)
    if q.type == "rating":
        return _rating_html(ctx, q)
    if q.type == "number":
        unit = _h(ctx, q.unit)
        notes = "; ".join(_number_notes(ctx, q))
        return [f'<p class="cxr-answer-number"><span class="cxr-line cxr-short"></span> {unit}</p>',
                f'<p class="cxr-small">{_esc(notes)}</p>']
    if q.type == "text":
        if ctx.guide:  # an interviewer does not write answers on the guide
            return []
        lines = _LONG_TEXT_LINES if q.length == "long" else 1
        out = ['<div class="cxr-textbox">' + '<span class="cxr-line cxr-full"></span>' * lines
               + "</div>"]
        if q.max_length is not None:
            limit = ctx.w("max_characters").format(n=q.max_length)
            out.append(f'<p class="cxr-small">{_esc(limit)}</p>')
        return out
    if q.type == "date":
        notes = _date_notes(ctx, q)
        out = ['<p class="cxr-answer-date"><span class="cxr-line cxr-dd"></span> - '
               '<span class="cxr-line cxr-dd"></span> - <span class="cxr-line cxr-yyyy"></span> '
               f'<span class="cxr-small">({_esc(ctx.w("date_format"))})</span></p>']
        return out + ([f'<p class="cxr-small">{_esc(notes)}</p>'] if notes else [])
    return []


def _guide_html(ctx: _Ctx, q: Question) -> list[str]:
    out = []
    if ctx.text(q.interviewer_note)[0]:
        out.append(f'<div class="cxr-interviewer"><strong>{_esc(ctx.w("interviewer"))}:</strong> '
                   f"{_h(ctx, q.interviewer_note)}</div>")
    probes = [p for p in q.probes if ctx.text(p)[0]]
    if probes:
        out.append(f'<div class="cxr-probes"><strong>{_esc(ctx.w("probes"))}</strong><ul>')
        out += [f"<li>{_h(ctx, p)}</li>" for p in probes]
        out.append("</ul></div>")
    return out


def _question_html(ctx: _Ctx, q: Question) -> list[str]:
    qid = _esc(q.id)
    if q.type == "note":
        return [f'<div class="cxr-note" id="cxr-q-{qid}">',
                _relevance_html(ctx, q.relevant, "answer_if"),
                f'<div class="cxr-note-text">{_h(ctx, q.label, block=True)}</div>',
                *_guide_html(ctx, q), "</div>"]
    required = (f' <span class="cxr-required">* {_esc(ctx.w("required"))}</span>'
                if q.required else "")
    out = [f'<div class="cxr-question cxr-type-{_esc(q.type)}" id="cxr-q-{qid}">',
           _relevance_html(ctx, q.relevant, "answer_if"),
           f'<div class="cxr-qhead"><span class="cxr-qnum">{_esc(ctx.numbers[q.id])}</span>'
           f'<span class="cxr-label">{_h(ctx, q.label) or qid}</span>{required}</div>',
           '<div class="cxr-body">']
    if ctx.text(q.hint)[0]:
        out.append(f'<p class="cxr-hint">{_h(ctx, q.hint)}</p>')
    if q.type in ("single_choice", "multiple_choice", "ranking"):
        randomised = (f' <span class="cxr-randomised">({_esc(ctx.w("order_randomised"))})</span>'
                      if q.randomize else "")
        out.append(f'<p class="cxr-instruction">{_esc(_selection(ctx, q))}{randomised}</p>')
    out += _answer_html(ctx, q)
    out += _guide_html(ctx, q)
    out += ["</div>", "</div>"]
    return out


def _block_html(ctx: _Ctx, block: Block) -> list[str]:
    out = [f'<section class="cxr-block" id="cxr-block-{_esc(block.id)}">',
           f"<h2>{_h(ctx, block.title) or _esc(block.id)}</h2>"]
    meta = [f'{_esc(ctx.w(key))}: <span class="cxr-{key}">{_esc(value)}</span>'
            for key, value in _block_meta(ctx, block)]
    if meta:
        sep = '<span class="cxr-sep">·</span>'
        out.append(f'<p class="cxr-block-meta">{sep.join(meta)}</p>')
    out.append(_relevance_html(ctx, block.relevant, "answer_section_if"))
    if ctx.text(block.intro)[0]:
        out.append(f'<div class="cxr-intro">{_h(ctx, block.intro, block=True)}</div>')
    for q in block.questions:
        out += _question_html(ctx, q)
    out.append("</section>")
    return out


def to_html(instrument: Instrument, lang: str | None = None, *, standalone: bool = True) -> str:
    """A printable questionnaire or interview guide in one language, as HTML.

    Parameters
    ----------
    instrument : Instrument
        A :class:`~cxresearch.instrument.model.Survey` or
        :class:`~cxresearch.instrument.model.InterviewGuide`.
    lang : str, optional
        One of ``instrument.languages``; default the instrument's default language.
    standalone : bool, default True
        A complete HTML5 document with embedded, print-ready CSS (A4) and no external
        assets. With ``False``, a fragment with scoped CSS for notebooks
        (``Instrument._repr_html_``).

    Returns
    -------
    str
        The HTML. Questions are numbered Q1, Q2, ... (V1, V2, ... in Dutch); skip logic
        is printed in words with those numbers. Text missing in ``lang`` is taken from
        the default language and wrapped in ``<span class="untranslated" lang="..">``.

    Raises
    ------
    I18nError
        A :class:`ValueError`, when ``lang`` is not one of ``instrument.languages``.
    """
    ctx = _context(instrument, lang)
    parts = [f'<article class="cxr-instrument" lang="{_esc(ctx.lang)}">', *_header_html(ctx)]
    for block in instrument.blocks:
        parts += _block_html(ctx, block)
    parts.append("</article>")
    body = "\n".join(p for p in parts if p)
    if not standalone:
        return f'<div class="cxr-instrument-wrap">\n<style>{_CSS}</style>\n{body}\n</div>\n'
    title = ctx.text(instrument.title)[0].strip() or instrument.id
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_esc(ctx.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="cxresearch">\n'
        f"<title>{_esc(' '.join(title.split()))}</title>\n"
        f"<style>{_CSS}{_PRINT_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# ----------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\*_`<>\[\]|])")


def _md_escape(words: str) -> str:
    """Escape the characters that would start Markdown markup (and ``#`` at line start)."""
    lines = []
    for line in _MD_SPECIAL.sub(r"\\\1", words).split("\n"):
        lines.append(re.sub(r"^(\s*)#", r"\1\\#", line))
    return "\n".join(lines)


def _m(ctx: _Ctx, value: Text | None, *, inline: bool = True, em: bool = False) -> str:
    """Escaped Markdown words of ``value`` (in italics if ``em``), marked if a fallback."""
    words, fallback = ctx.text(value)
    words = " ".join(words.split()) if inline else words.strip()
    out = _md_escape(words)
    if em and out:
        out = f"*{out}*"
    if fallback is not None and out:
        out += f" *({ctx.w('untranslated')}: {fallback})*"
    return out


def _relevance_md(ctx: _Ctx, source: str | None, key: str) -> list[str]:
    if not source or not source.strip():
        return []
    words, described = ctx.logic(source)
    return [f"*{ctx.w(key)} {_md_escape(' '.join(words.split()))}*", ""]


def _answer_md(ctx: _Ctx, q: Question) -> list[str]:
    if q.type in ("single_choice", "multiple_choice", "ranking"):
        mark = {"single_choice": "○", "multiple_choice": "☐"}.get(q.type, "___")
        randomised = f" ({ctx.w('order_randomised')})" if q.randomize else ""
        out = [f"{_selection(ctx, q)}{randomised}:", ""]
        out += [f"- {mark} {_m(ctx, label) or _md_escape(value)}"
                for value, label in _choices(ctx, q)]
        if q.other:
            out.append(f"- {mark} {ctx.w('other_namely')} ____________")
        return out + [""]
    if q.type == "likert":
        points = _scale_points(q.scale)
        return [f"- ○ {code} {_m(ctx, label)}".rstrip() for code, label in points] + [""]
    if q.type == "likert_matrix":
        points = _scale_points(q.scale)
        if not points:
            return []
        out = ["| | " + " | ".join(_m(ctx, lab) or str(code) for code, lab in points) + " |",
               "|---" * (len(points) + 1) + "|"]
        base = len(ctx.numbers.get(q.id, ""))
        for item in q.items:
            num = ctx.numbers.get(item.id, "")[base:]
            out.append(f"| {num}. {_m(ctx, item.label) or _md_escape(item.id)} | "
                       + " | ".join("○" for _ in points) + " |")
        return out + [""]
    if q.type == "rating":
        out = ["  ".join(f"☐ {i}" for i in range(11)), ""]
        low, high = _m(ctx, q.anchors.get("low")), _m(ctx, q.anchors.get("high"))
        if low or high:
            out += [f"0 = {low}; 10 = {high}", ""]
        return out
    if q.type == "number":
        notes = "; ".join(_number_notes(ctx, q))
        return [f"{ctx.w('your_answer')}: ________ {_m(ctx, q.unit)}".rstrip() + f" ({notes})", ""]
    if q.type == "text":
        if ctx.guide:
            return []
        limits = [ctx.w("several_lines")] if q.length == "long" else []
        if q.max_length is not None:
            limits.append(ctx.w("max_characters").format(n=q.max_length))
        extra = f" ({'; '.join(limits)})" if limits else ""
        return [f"{ctx.w('your_answer')}: ______________________________{extra}", ""]
    if q.type == "date":
        notes = "; ".join(n for n in (ctx.w("date_format"), _date_notes(ctx, q)) if n)
        return [f"{ctx.w('your_answer')}: __ - __ - ____ ({notes})", ""]
    return []


def _question_md(ctx: _Ctx, q: Question) -> list[str]:
    out = _relevance_md(ctx, q.relevant, "answer_if")
    if q.type == "note":
        out += [_m(ctx, q.label, inline=False), ""]
    else:
        required = f" *({ctx.w('required')})*" if q.required else ""
        out += [f"**{ctx.numbers[q.id]}.** {_m(ctx, q.label) or _md_escape(q.id)}{required}", ""]
        if ctx.text(q.hint)[0]:
            out += [_m(ctx, q.hint, em=True), ""]
        out += _answer_md(ctx, q)
    if ctx.text(q.interviewer_note)[0]:
        note = _m(ctx, q.interviewer_note, inline=False).split("\n")
        out += [f"> **{ctx.w('interviewer')}:** {note[0]}", *(f"> {line}" for line in note[1:]), ""]
    probes = [p for p in q.probes if ctx.text(p)[0]]
    if probes:
        out += [f"**{ctx.w('probes')}**", "", *(f"- {_m(ctx, p)}" for p in probes), ""]
    return out


def to_markdown(instrument: Instrument, lang: str | None = None) -> str:
    """The instrument as Markdown in one language: the same content as :func:`to_html`.

    Blocks become ``##`` headings, questions numbered bold paragraphs (``**Q1.**``),
    hints italics, interviewer notes blockquotes (``> **Interviewer:** ...``), probes and
    choices bullets, and skip logic a sentence in words. Text from the instrument is
    escaped so that ``*sale*`` or ``<b>`` stays literal; text missing in ``lang`` comes
    from the default language, followed by ``*(not translated: nl)*``.

    Parameters
    ----------
    instrument : Instrument
        A survey or interview guide.
    lang : str, optional
        One of ``instrument.languages``; default the instrument's default language.

    Returns
    -------
    str
        The Markdown, ending in a newline.

    Raises
    ------
    I18nError
        A :class:`ValueError`, when ``lang`` is not one of ``instrument.languages``.
    """
    ctx = _context(instrument, lang)
    inst = instrument
    kind = ctx.w("interview_guide" if ctx.guide else "questionnaire")
    out = [f"# {_m(ctx, inst.title) or _md_escape(inst.id)}", "", f"*{kind}*", ""]
    out += [f"- **{ctx.w(key)}:** {_md_escape(v) if isinstance(v, str) else _m(ctx, v)}"
            for key, v in _meta(ctx)]
    out.append("")
    if ctx.text(inst.description)[0]:
        out += [_m(ctx, inst.description, inline=False), ""]
    for block in inst.blocks:
        out += [f"## {_m(ctx, block.title) or _md_escape(block.id)}", ""]
        meta = [f"**{ctx.w(key)}:** {_md_escape(value)}" for key, value in _block_meta(ctx, block)]
        if meta:
            out += [" · ".join(meta), ""]
        out += _relevance_md(ctx, block.relevant, "answer_section_if")
        if ctx.text(block.intro)[0]:
            out += [_m(ctx, block.intro, inline=False), ""]
        for q in block.questions:
            out += _question_md(ctx, q)
    return "\n".join(out).rstrip("\n") + "\n"


# -------------------------------------------------------------------------------- files


def write_html(instrument: Instrument, path: str | os.PathLike[str], lang: str | None = None) -> Path:
    """Write :func:`to_html` (a standalone document) to ``path`` atomically; return the path."""
    return atomic_write_text(path, to_html(instrument, lang, standalone=True))


def write_markdown(instrument: Instrument, path: str | os.PathLike[str],
                   lang: str | None = None) -> Path:
    """Write :func:`to_markdown` to ``path`` atomically (UTF-8); return the path."""
    return atomic_write_text(path, to_markdown(instrument, lang))
