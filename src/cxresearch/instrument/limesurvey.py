"""Export an instrument to LimeSurvey's tab-separated survey structure (``.txt``).

LimeSurvey imports this file through *Create survey > Import*. After a header row come
rows of survey settings (class ``S``) and survey language settings (``SL``), then groups
(``G``), questions (``Q``), subquestions (``SQ``) and answer options (``A``): first all of
the base language, then a translated copy per further language, row for row. A question
belongs to the group above it, subquestions and answers to the question above them.
Blocks become groups; XLSForm-style logic (:mod:`cxresearch.instrument.logic`) becomes
ExpressionScript; :func:`limesurvey_codes` gives the codes, for readers of responses too.

Notes
-----
Format facts and where they were checked:

* Columns, row classes and row order: LimeSurvey manual, "Tab Separated Value survey
  structure" (https://manual.limesurvey.org/Tab_Separated_Value_survey_structure), and
  LimeSurvey's own ``tsvSurveyExport`` / ``TSVImportSurvey``
  (``application/helpers/export_helper.php``, ``admin/import_helper.php``).
* Question codes match ``^[A-Za-z][A-Za-z0-9]*$`` and are at most 20 characters;
  subquestion codes are alphanumeric, at most 20, never ``other`` or ``time``; answer
  codes are 1 to 5 characters (``application/models/Question.php``, ``Answer.php``).
* ExpressionScript has ``== != < <= > >= and or ! + - * /`` but no modulo operator, and
  single- or double-quoted strings that cannot escape their own quote
  (``application/helpers/expressions/em_core_helper.php``); it gives dates as
  ``yyyy-mm-dd HH:MM:SS`` (https://manual.limesurvey.org/Question_type_-_Date).
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Sequence

from .. import _i18n
from .._atomic import atomic_write_text
from ..errors import Code, InstrumentError, Problem
from . import logic as lg
# The ExpressionScript translator, and OTHER_ANSWER_CODE (which it writes), re-exported here.
from ._limesurvey_logic import OTHER_ANSWER_CODE, _bounds, _merge, _Translator, _Unsupported
from .model import Instrument, Question, Text

__all__ = [
    "ATTRIBUTE_COLUMNS",
    "BASE_COLUMNS",
    "COLUMNS",
    "OTHER_ANSWER_CODE",
    "QUESTION_TYPE_LETTERS",
    "LimeSurveyCodes",
    "limesurvey_codes",
    "to_limesurvey",
    "write_limesurvey",
]

BASE_COLUMNS: tuple[str, ...] = (
    "id", "related_id", "class", "type/scale", "name", "relevance", "text", "help",
    "language", "validation", "mandatory", "other", "default", "same_default",
)
"""The fixed leading columns of every LimeSurvey TSV file, in LimeSurvey's order."""

ATTRIBUTE_COLUMNS: tuple[str, ...] = (
    "answer_order", "assessment_value", "date_max", "date_min", "em_validation_q",
    "em_validation_q_tip", "max_answers", "max_num_value_n", "maximum_chars",
    "min_answers", "min_num_value_n", "num_value_int_only", "random_order", "suffix",
)
"""The attribute columns filled here, sorted as LimeSurvey sorts them. The importer reads
columns by name, so only those in use are listed. ``answer_order`` (LimeSurvey 6) and the
older ``random_order`` are both written for randomised answer options."""

COLUMNS: tuple[str, ...] = BASE_COLUMNS + ATTRIBUTE_COLUMNS
"""The header row written by :func:`to_limesurvey`."""

_I18N_ATTRIBUTES = frozenset({"em_validation_q_tip", "suffix"})

QUESTION_TYPE_LETTERS: Mapping[str, str] = MappingProxyType({
    "single_choice": "L",     # List (radio)
    "multiple_choice": "M",   # Multiple choice
    "likert": "L",            # List (radio), answer codes = scale values
    "likert_matrix": "F",     # Array (flexible labels)
    "rating": "L",            # List (radio), answer codes 0..10
    "number": "N",            # Numerical input
    "text": "S",              # Short free text (long: T)
    "ranking": "R",           # Ranking
    "date": "D",              # Date/time
    "note": "X",              # Text display (boilerplate)
})
"""LimeSurvey question type letter per cxresearch question type (long text is ``T``)."""


_ANSWER_CODE = re.compile(r"[A-Za-z0-9]{1,5}")
_RESERVED_QUESTION = {"lang", "sid", "savedid", "token", "qid", "gid", "sgq", "self", "that", "this"}
_RESERVED_SUB = {"other", "time"}


@dataclass(frozen=True)
class LimeSurveyCodes:
    """The LimeSurvey codes of an instrument, both ways.

    Made by :func:`limesurvey_codes`; a pure function of the instrument, so the same
    instrument always gets the same codes. ExpressionScript names a question's answer
    ``code``, a subquestion's ``code_subcode`` and the "Other" text ``code_other``.

    Attributes
    ----------
    questions : Mapping[str, str]
        Question id -> LimeSurvey question code (notes included).
    answers : Mapping[tuple[str, str], str]
        ``(question id, value)`` -> answer code, for single choice and ranking (value =
        choice value) and for likert, rating and likert matrix (value = ``str`` of the
        scale point). "Other" of a single-choice question is :data:`OTHER_ANSWER_CODE`.
    subquestions : Mapping[tuple[str, str], str]
        ``(question id, choice value)`` -> subquestion code, for multiple choice.
    items : Mapping[str, tuple[str, str]]
        Matrix item id -> ``(LimeSurvey question code, subquestion code)``.
    question_ids : Mapping[str, str]
        LimeSurvey question code -> question id.
    answer_values : Mapping[tuple[str, str], str]
        ``(question id, answer code)`` -> value.
    subquestion_values : Mapping[tuple[str, str], str]
        ``(question id, subquestion code)`` -> choice value.
    item_ids : Mapping[tuple[str, str], str]
        ``(LimeSurvey question code, subquestion code)`` -> matrix item id.
    """

    questions: Mapping[str, str]
    answers: Mapping[tuple[str, str], str]
    subquestions: Mapping[tuple[str, str], str]
    items: Mapping[str, tuple[str, str]]
    question_ids: Mapping[str, str]
    answer_values: Mapping[tuple[str, str], str]
    subquestion_values: Mapping[tuple[str, str], str]
    item_ids: Mapping[tuple[str, str], str]


def _camel(ident: str) -> str:
    """``sat_report`` -> ``satReport``; other non-alphanumerics also split words."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", ident) if p]
    if not parts:
        return ""
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def _claim(base: str, taken: set[str], limit: int) -> str:
    """``base`` cut to ``limit`` characters, with 2, 3, ... appended until unused."""
    code, n = base[:limit], 2
    while code.lower() in taken:
        suffix = str(n)
        code, n = base[: limit - len(suffix)] + suffix, n + 1
    taken.add(code.lower())
    return code


def _subcodes(names: Sequence[str], fallback: str) -> list[str]:
    taken = set(_RESERVED_SUB)
    return [_claim(_camel(n) or f"{fallback}{i}", taken, 20) for i, n in enumerate(names, 1)]


def _answer_codes(values: Sequence[str]) -> list[str]:
    """Values that are valid answer codes keep them; the rest get ``A<position>``."""
    own: dict[str, str] = {}  # lowercased code -> the value that keeps it
    for v in values:
        if _ANSWER_CODE.fullmatch(v):
            own.setdefault(v.lower(), v)
    taken, out = set(own), []
    for i, v in enumerate(values, 1):
        if own.get(v.lower()) == v:
            out.append(v)
            continue
        while f"a{i}" in taken:
            i += 1
        taken.add(f"a{i}")
        out.append(f"A{i}")
    return out


def limesurvey_codes(instrument: Instrument) -> LimeSurveyCodes:
    """Map question ids, choice values and matrix items to LimeSurvey codes.

    Parameters
    ----------
    instrument : Instrument
        The survey or interview guide.

    Returns
    -------
    LimeSurveyCodes
        Lookups both ways; see :class:`LimeSurveyCodes`.

    Notes
    -----
    Question codes: the id with underscores dropped and the next letter capitalised
    (``sat_report`` -> ``satReport``), ``Q`` in front if it would not start with a letter,
    at most 20 characters, and ``2``, ``3``, ... appended on a case-insensitive clash (so
    ``a_b`` and ``aB`` become ``aB`` and ``aB2``) or a reserved ExpressionScript word.
    Subquestion codes are made the same way from the choice value or item id (a digit
    may lead). Answer codes: the value itself if it has 1 to 5 letters or digits, else
    ``A1``, ``A2``, ... by position in the list, skipping codes already in use.

    Examples
    --------
    >>> from cxresearch.instrument.model import Block, Question, Survey
    >>> s = Survey("s", {"en": "S"}, "1", "customer", ["en"], [Block("b", {"en": "B"},
    ...     [Question("sat_report", "text", {"en": "?"}), Question("aB", "text", {"en": "?"})])])
    >>> dict(limesurvey_codes(s).questions)
    {'sat_report': 'satReport', 'aB': 'aB'}
    """
    taken = set(_RESERVED_QUESTION)
    questions: dict[str, str] = {}
    answers: dict[tuple[str, str], str] = {}
    subs: dict[tuple[str, str], str] = {}
    items: dict[str, tuple[str, str]] = {}
    for q in instrument.questions():
        base = _camel(q.id)
        code = questions[q.id] = _claim(base if base[:1].isalpha() else "Q" + base, taken, 20)
        values: list[str] = []
        if q.type in ("single_choice", "multiple_choice", "ranking"):
            if q.choices in instrument.choice_lists:
                values = instrument.choice_lists[q.choices].values()
        elif q.type in ("likert", "likert_matrix") and q.scale is not None:
            values = [str(v) for v in q.scale.values()]
        elif q.type == "rating":
            values = [str(v) for v in range(11)]
        if q.type == "multiple_choice":
            subs.update(((q.id, v), c) for v, c in zip(values, _subcodes(values, "SQ")))
        else:
            answers.update(((q.id, v), c) for v, c in zip(values, _answer_codes(values)))
        if q.type == "likert_matrix":
            item_codes = _subcodes([item.id for item in q.items], "SQ")
            items.update((item.id, (code, c)) for item, c in zip(q.items, item_codes))
    return LimeSurveyCodes(
        questions=MappingProxyType(questions),
        answers=MappingProxyType(answers),
        subquestions=MappingProxyType(subs),
        items=MappingProxyType(items),
        question_ids=MappingProxyType({c: qid for qid, c in questions.items()}),
        answer_values=MappingProxyType({(qid, c): v for (qid, v), c in answers.items()}),
        subquestion_values=MappingProxyType({(qid, c): v for (qid, v), c in subs.items()}),
        item_ids=MappingProxyType({pair: item for item, pair in items.items()}),
    )


@dataclass
class _Plan:  # what a question becomes, apart from its texts
    code: str
    letter: str
    relevance: str = "1"
    validation: str = ""
    attributes: dict[str, str] | None = None


def _text(text: Text, lang: str, base: str) -> str:
    raw = text.get(lang) or text.get(base) or next(iter(text.values()), "")
    escaped = html.escape(raw).replace("\t", " ")
    return re.sub(r"\r\n|\r|\n", "<br />", escaped)


class _Exporter:
    def __init__(self, instrument: Instrument, languages: list[str]) -> None:
        self.inst, self.langs, self.base = instrument, languages, languages[0]
        self.codes = limesurvey_codes(instrument)
        self.translate = _Translator(instrument, self.codes)
        self.problems: list[Problem] = []

    def problem(self, code: Code, message: str, qid: str, key: str, *, given: str | None = None,
                allowed: str | None = None, fix: str | None = None) -> None:
        pos = next((q.position(key) for q in self.inst.questions() if q.id == qid), None)
        pos = pos or next((b.where.get(key, b.pos) for b in self.inst.blocks if b.id == qid), None)
        self.problems.append(Problem(code, message, file=self.inst.source, question_id=qid,
                                     line=pos.line if pos else None, column=pos.column if pos else None,
                                     given=given, allowed=allowed, fix=fix))

    def logic(self, source: str | None, owner: str, key: str) -> lg.Expr | None:
        if not source or not source.strip():
            return None
        try:
            return lg.parse(source)
        except lg.LogicError as exc:
            self.problem(Code.LOGIC_SYNTAX, f"the {key} of '{owner}' cannot be parsed: {exc.message}", owner, key,
                         given=source, fix="correct the expression")
        return None

    def em(self, node: lg.Expr | None, source: str | None, owner: str, key: str,
           current: Question | None) -> str | None:
        try:
            return None if node is None else self.translate(node, current)
        except _Unsupported as exc:
            self.problem(exc.code, f"the {key} of '{owner}' cannot be exported to LimeSurvey: "
                         f"{exc.message}", owner, key, given=source or "", fix=exc.fix)
        return None

    def relevance(self, source: str | None, owner: str) -> str:
        node = self.logic(source, owner, "relevant")
        return self.em(node, source, owner, "relevant", None) or "1"

    def plan(self, q: Question) -> _Plan:
        letter = "T" if q.type == "text" and q.length == "long" else QUESTION_TYPE_LETTERS.get(q.type, "")
        plan = _Plan(self.codes.questions[q.id], letter, self.relevance(q.relevant, q.id))
        attrs: dict[str, str] = {}
        if not letter:
            self.problem(Code.EXPORT_UNSUPPORTED, f"question type {q.type!r} has no LimeSurvey equivalent",
                         q.id, "type", given=q.type, allowed=", ".join(QUESTION_TYPE_LETTERS),
                         fix="use one of the allowed question types")
        if q.type in ("single_choice", "multiple_choice", "ranking") and q.choices not in self.inst.choice_lists:
            self.problem(Code.UNKNOWN_CHOICE_LIST, f"question '{q.id}' uses an unknown choice list", q.id,
                         "choices", given=str(q.choices), allowed=", ".join(self.inst.choice_lists),
                         fix="define the choice list or name an existing one")
        if q.type in ("likert", "likert_matrix") and q.scale is None:
            self.problem(Code.BAD_SCALE, f"question '{q.id}' has no scale", q.id, "scale", fix="give it a scale")
        if q.other and q.type not in ("single_choice", "multiple_choice"):
            self.problem(Code.EXPORT_UNSUPPORTED, f"'other' on a {q.type} question has no LimeSurvey "
                         "equivalent", q.id, "other", allowed="single_choice, multiple_choice",
                         fix="remove 'other' or make it a choice")
        if q.randomize:
            attrs["random_order"] = "1"
            if q.type in ("single_choice", "ranking"):
                attrs["answer_order"] = "random"
        if q.type in ("multiple_choice", "ranking"):
            _merge(attrs, {k: v for k, v in (("min_answers", q.min_selected),
                                              ("max_answers", q.max_selected)) if v is not None})
        if q.type == "number":
            _merge(attrs, {k: v for k, v in (("min_num_value_n", q.min_value),
                                             ("max_num_value_n", q.max_value)) if v is not None})
            if not q.decimals:
                attrs["num_value_int_only"] = "1"
        if q.type == "text" and q.max_length is not None:
            attrs["maximum_chars"] = str(q.max_length)
        if q.type == "date":
            attrs.update({k: v for k, v in (("date_min", q.min_date), ("date_max", q.max_date)) if v})
        node = self.logic(q.constraint, q.id, "constraint")
        if node is not None:
            is_regex = (isinstance(node, lg.Call) and node.name == "regex" and len(node.args) == 2
                        and isinstance(node.args[0], lg.Current) and isinstance(node.args[1], lg.Literal)
                        and q.type == "text")
            bounds = None if is_regex else _bounds(q, node)
            if is_regex:
                plan.validation = "/" + str(node.args[1].value).replace("/", r"\/") + "/"  # type: ignore[union-attr]
            elif bounds is not None:
                _merge(attrs, bounds)
            elif q.type in ("likert_matrix", "note", "ranking"):
                self.problem(Code.EXPORT_UNSUPPORTED, f"a constraint on a {q.type} question cannot be "
                             "exported to LimeSurvey", q.id, "constraint", given=q.constraint,
                             fix="remove the constraint or set it by hand in LimeSurvey")
            else:
                test = self.em(node, q.constraint, q.id, "constraint", q)
                if test is not None:
                    empty = (f"count({', '.join(self.translate.subvariables(q))}) == 0"
                             if q.type == "multiple_choice" else f"is_empty({plan.code}.NAOK)")
                    attrs["em_validation_q"] = f"{empty} or ({test})"
        plan.attributes = attrs
        return plan

    def help(self, q: Question, lang: str) -> str:
        parts = [_text(q.hint, lang, self.base)] if q.hint else []
        if self.inst.kind == "interview_guide":
            words = _i18n.ui_language(lang)
            if q.interviewer_note:
                parts.append(f"{_i18n.t('interviewer', words)}: {_text(q.interviewer_note, lang, self.base)}")
            if q.probes:
                parts.append(f"{_i18n.t('probes', words)}:")
                parts.extend(f"- {_text(p, lang, self.base)}" for p in q.probes)
        return "<br />".join(parts)

    def options(self, q: Question, lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
        """Subquestions ``(code, text)`` and answers ``(code, text, assessment value)``."""
        subs: list[tuple[str, str]] = []
        answers: list[tuple[str, str, str]] = []
        if q.type in ("single_choice", "multiple_choice", "ranking") and q.choices in self.inst.choice_lists:
            for choice in self.inst.choice_lists[q.choices].choices:
                label = _text(choice.label, lang, self.base)
                if q.type == "multiple_choice":
                    subs.append((self.codes.subquestions[(q.id, choice.value)], label))
                else:
                    answers.append((self.codes.answers[(q.id, choice.value)], label, "0"))
        elif q.type in ("likert", "likert_matrix") and q.scale is not None:
            labels, values = q.scale.labels, q.scale.values()
            for i, v in enumerate(values):
                if len(labels) == len(values):
                    label = _text(labels[i], lang, self.base)
                elif len(labels) == 2 and i in (0, len(values) - 1):
                    label = f"{v} – {_text(labels[0 if i == 0 else 1], lang, self.base)}"
                else:
                    label = str(v)
                answers.append((self.codes.answers[(q.id, str(v))], label, str(v)))
            subs = [(self.codes.items[it.id][1], _text(it.label, lang, self.base)) for it in q.items]
        elif q.type == "rating":
            for v in range(11):
                anchor = q.anchors.get("low" if v == 0 else "high") if v in (0, 10) else None
                label = f"{v} – {_text(anchor, lang, self.base)}" if anchor else str(v)
                answers.append((self.codes.answers[(q.id, str(v))], label, str(v)))
        return subs, answers

    def rows(self) -> list[dict[str, str]]:
        inst = self.inst
        plans = {q.id: self.plan(q) for q in inst.questions()}
        groups = {b.id: self.relevance(b.relevant, b.id) for b in inst.blocks}
        if self.problems:
            raise InstrumentError(self.problems)
        rows = [{"class": "S", "name": "language", "text": self.base},
                {"class": "S", "name": "additional_languages", "text": " ".join(self.langs[1:])},
                {"class": "S", "name": "format", "text": "G"}]
        for lang in self.langs:
            rows += [{"class": "SL", "name": name, "text": text, "language": lang} for name, text in (
                ("surveyls_language", lang), ("surveyls_title", _text(inst.title, lang, self.base)),
                ("surveyls_description", _text(inst.description, lang, self.base)))]
        for lang in self.langs:
            next_id = 1
            for g, block in enumerate(inst.blocks, 1):
                rows.append({"id": str(g), "class": "G", "type/scale": str(g), "relevance": groups[block.id],
                             "name": _text(block.title, lang, self.base) or block.id, "language": lang,
                             "text": _text(block.intro, lang, self.base)})
                for q in block.questions:
                    plan, qid = plans[q.id], str(next_id)
                    attrs = {k: v for k, v in (plan.attributes or {}).items()
                             if lang == self.base and k not in _I18N_ATTRIBUTES}
                    if q.type == "number" and q.unit:
                        attrs["suffix"] = _text(q.unit, lang, self.base)
                    if q.constraint_message and "em_validation_q" in (plan.attributes or {}):
                        attrs["em_validation_q_tip"] = _text(q.constraint_message, lang, self.base)
                    rows.append({"id": qid, "class": "Q", "type/scale": plan.letter, "name": plan.code,
                                 "relevance": plan.relevance, "text": _text(q.label, lang, self.base),
                                 "help": self.help(q, lang), "language": lang, "validation": plan.validation,
                                 "mandatory": "Y" if q.required else "N", "other": "Y" if q.other else "N",
                                 "same_default": "0", **attrs})
                    next_id += 1
                    subs, answers = self.options(q, lang)
                    for code, label in subs:
                        rows.append({"id": str(next_id), "class": "SQ", "type/scale": "0", "name": code,
                                     "relevance": "1", "text": label, "language": lang})
                        next_id += 1
                    rows += [{"id": qid, "class": "A", "type/scale": "0", "name": code, "text": label,
                              "language": lang, "assessment_value": value} for code, label, value in answers]
        return rows


def _languages(instrument: Instrument, languages: Sequence[str] | None) -> list[str]:
    declared = list(instrument.languages)
    wanted = declared if languages is None else list(dict.fromkeys(languages))
    unknown = [lang for lang in wanted if lang not in declared]
    if unknown or not wanted:
        raise InstrumentError([Problem(
            Code.UNDECLARED_LANGUAGE, "LimeSurvey export asked for languages the instrument does not declare"
            if unknown else "LimeSurvey export needs at least one language", file=instrument.source,
            given=", ".join(unknown) or "none", allowed=", ".join(declared),
            fix="pass languages=None for all declared languages, or a subset of them")])
    base = instrument.language if instrument.language in wanted else wanted[0]
    return [base] + [lang for lang in wanted if lang != base]


def to_limesurvey(instrument: Instrument, *, languages: Sequence[str] | None = None) -> str:
    """The instrument as a LimeSurvey tab-separated survey structure.

    Parameters
    ----------
    instrument : Instrument
        The survey or interview guide. Interview guides also carry interviewer notes and
        probes, appended to each question's help text.
    languages : sequence of str, optional
        Languages to include; default all declared ones. The instrument's default
        language is LimeSurvey's base language when included, else the first given.

    Returns
    -------
    str
        The ``.txt`` content (UTF-8 text, ``\\n`` line ends, tab separated, quoted like
        CSV where needed) that LimeSurvey's "Import survey" reads.

    Raises
    ------
    InstrumentError
        With every problem found: ``CX192`` (export unsupported) for logic or settings
        LimeSurvey cannot express, e.g. ``today()``, naming the question and function;
        ``CX160``/``CX161`` for unparsable logic or unknown questions; ``CX131`` for a
        language the instrument does not declare.

    Notes
    -----
    Types map as in :data:`QUESTION_TYPE_LETTERS`: multiple choice gets a subquestion per
    choice, a likert matrix its items as subquestions and scale points as answers, likert
    and rating (0-10) the scale values as answer codes. Relevance becomes ExpressionScript
    on ``code.NAOK``: ``=`` -> ``==``, ``div`` -> ``/``, ``a mod b`` -> ``a - intval(a /
    b) * b``, ``selected(${m}, 'x')`` -> ``m_x.NAOK == 'Y'``, ``count-selected`` ->
    ``count(...)``, ``not`` -> ``!``, ``string-length`` -> ``strlen``, ``regex(x, p)`` ->
    ``regexMatch('/p/', x)``; choice values become answer codes and a date
    ``'yyyy-mm-dd'`` becomes ``'yyyy-mm-dd 00:00:00'``, the form ExpressionScript gives
    dates. A constraint of simple bounds becomes ``min_num_value_n`` / ``max_num_value_n``,
    ``maximum_chars``, ``min_answers`` / ``max_answers`` or ``date_min`` / ``date_max``;
    ``regex(., p)`` on text becomes the ``validation`` regular expression; any other
    constraint becomes ``em_validation_q`` (checked only when answered, as in XLSForm).
    User text is HTML-escaped and newlines become ``<br />``.

    Examples
    --------
    >>> from cxresearch.instrument.model import Block, Question, Survey
    >>> s = Survey("s", {"en": "S"}, "1", "customer", ["en"], [Block("b", {"en": "B"},
    ...     [Question("age", "number", {"en": "Age?"}, required=True)])])
    >>> [line.split("\\t")[2:5] for line in to_limesurvey(s).splitlines()][-1]
    ['Q', 'N', 'age']
    """
    exporter = _Exporter(instrument, _languages(instrument, languages))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(exporter.rows())
    return out.getvalue()


def write_limesurvey(instrument: Instrument, path: str | Path, *,
                     languages: Sequence[str] | None = None) -> Path:
    """Write :func:`to_limesurvey` output to ``path`` (UTF-8, atomically).

    Parameters
    ----------
    instrument : Instrument
        The survey or interview guide.
    path : str or Path
        The target file; LimeSurvey expects the extension ``.txt``.
    languages : sequence of str, optional
        As in :func:`to_limesurvey`.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    InstrumentError
        As in :func:`to_limesurvey`; nothing is written then.
    """
    return atomic_write_text(path, to_limesurvey(instrument, languages=languages))
