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

import html
import os
import re
from importlib import resources
from pathlib import Path

from .._atomic import atomic_write_text
from ._render_base import (
    _block_meta, _choices, _context, _Ctx, _date_notes, _meta, _number_notes, _scale_points,
    _selection,
)
from .model import Block, Instrument, Question, Text

__all__ = ["to_html", "to_markdown", "write_html", "write_markdown"]

_LONG_TEXT_LINES = 5


# --------------------------------------------------------------------------------- HTML

def _css_file(name: str) -> str:
    text = resources.files("cxresearch.instrument").joinpath(name).read_text("utf-8")
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


_STYLE = _css_file("render.css")


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

_PRINT_CSS = _css_file("render-print.css")


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
