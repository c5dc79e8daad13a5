"""Read instruments from YAML (keeping positions) and write them back.

The reader checks structure (types, known fields, required fields) and builds the model;
:mod:`cxresearch.instrument.validate` then checks content (ids, references, logic,
translations, the journey). Both collect every problem before raising.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import math
import re
from pathlib import Path
from typing import Any, Sequence


from .._yaml import YMap, YNode, YScalar, YSeq, describe_node, parse_yaml, read_source
from ..errors import Code, InstrumentError, Problem, Severity, raise_if_errors
from . import itembank
from .dump import dump_instrument, instrument_to_dict
from .model import (
    AUDIENCES, FIELDING_FREQUENCIES, FIELDING_MOMENTS, KINDS, PERSONAL_KINDS, QUESTION_TYPES,
    Block, Choice, ChoiceList, Fielding, Instrument, InterviewGuide, MatrixItem, Pos, Question,
    Scale, Survey, Text,
)

__all__ = ["dump_instrument", "instrument_to_dict", "loads_instrument", "read_yaml_instrument"]

_TOP_KEYS = {
    "format", "kind", "id", "title", "version", "audience", "languages", "default_language",
    "purpose", "min_group_size", "description", "journey", "metadata", "duration_minutes",
    "scales", "choice_lists", "blocks", "fielding",
}
_REQUIRED_TOP = ("kind", "id", "title", "version", "audience", "languages", "purpose", "blocks")
_BLOCK_KEYS = {"id", "title", "stage", "touchpoint", "relevant", "intro", "questions"}
_COMMON_Q = {
    "id", "type", "label", "hint", "required", "required_message", "relevant", "constraint",
    "constraint_message", "interviewer_note", "probes", "use", "subject", "metric", "item",
    "personal",
}
_TYPE_KEYS: dict[str, set[str]] = {
    "single_choice": {"choices", "randomize", "other"},
    "multiple_choice": {"choices", "randomize", "other", "min_selected", "max_selected"},
    "ranking": {"choices", "randomize"},
    "likert": {"scale"},
    "likert_matrix": {"scale", "items"},
    "rating": {"anchors"},
    "number": {"min", "max", "decimals", "unit"},
    "text": {"length", "max_length"},
    "date": {"min", "max"},
    "note": set(),
}
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _closest(word: str, options: Sequence[str]) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


class _Reader:
    """Turns position-keeping YAML nodes into model objects, collecting problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.languages: list[str] = []
        self.bank_scales: dict[str, Scale] = {}

    # -- problem helpers ------------------------------------------------------------
    def problem(self, code: Code, message: str, node: Any = None, *, qid: str | None = None,
                key: str | None = None, **extra: Any) -> None:
        line = column = None
        if isinstance(node, YMap) and key is not None and key in node.key_pos:
            line, column = node.key_pos[key]
        elif node is not None and hasattr(node, "line"):
            line, column = node.line, node.column
        self.problems.append(Problem(code, message, file=self.name, line=line, column=column,
                                     question_id=qid, **extra))

    def expect_map(self, node: YNode | None, what: str, qid: str | None = None) -> YMap | None:
        if isinstance(node, YMap):
            return node
        self.problem(Code.WRONG_TYPE, f"{what} must be a mapping of keys to values",
                     node, qid=qid, given=_kind(node),
                     fix=f"write {what} as 'key: value' lines indented under it")
        return None

    def expect_seq(self, node: YNode | None, what: str, qid: str | None = None) -> YSeq | None:
        if isinstance(node, YSeq):
            return node
        self.problem(Code.WRONG_TYPE, f"{what} must be a list", node, qid=qid,
                     given=_kind(node), fix=f"write each entry of {what} on a line starting with '- '")
        return None

    def check_keys(self, node: YMap, allowed: set[str], what: str, qid: str | None = None) -> None:
        for key in node:
            if key not in allowed:
                hint = _closest(key, sorted(allowed))
                self.problem(Code.UNKNOWN_FIELD, f"unknown field '{key}' in {what}", node, qid=qid,
                             key=key, allowed=", ".join(sorted(allowed)),
                             fix=hint or "remove it, or check the spelling")

    def trim(self, text: Text) -> Text:
        """Item bank words in the instrument's languages only."""
        if not self.languages:
            return dict(text)
        return {lang: words for lang, words in text.items() if lang in self.languages}

    # -- scalar readers --------------------------------------------------------------
    def string(self, node: YMap, key: str, what: str, qid: str | None = None,
               required: bool = False) -> str | None:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", node, qid=qid,
                             fix=f"add '{key}: ...'")
            return None
        if not isinstance(value, YScalar) or value.is_null:
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be text", value, qid=qid,
                         given=_kind(value))
            return None
        return value.raw

    def boolean(self, node: YMap, key: str, qid: str | None, default: bool = False) -> bool:
        value = node.get(key)
        if value is None:
            return default
        if isinstance(value, YScalar) and value.raw.strip().lower() in _TRUE | _FALSE:
            return value.raw.strip().lower() in _TRUE
        self.problem(Code.WRONG_TYPE, f"'{key}' must be true or false", value, qid=qid,
                     given=_given(value), allowed="true, false")
        return default

    def integer(self, node: YMap, key: str, qid: str | None, low: int | None = None,
                high: int | None = None) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, YScalar) and re.fullmatch(r"[+-]?\d{1,18}", value.raw.strip()):
            number = int(value.raw)
            if (low is not None and number < low) or (high is not None and number > high):
                self.problem(Code.INVALID_VALUE, f"'{key}' is out of range", value, qid=qid,
                             given=value.raw, allowed=f"{low} to {high}" if high is not None
                             else f"{low} or more")
                return None
            return number
        self.problem(Code.WRONG_TYPE, f"'{key}' must be a whole number", value, qid=qid,
                     given=_given(value), allowed="a whole number of at most 18 digits")
        return None

    def number(self, node: YMap, key: str, qid: str | None) -> float | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, YScalar):
            try:
                number = float(value.raw.replace("_", ""))
            except ValueError:
                pass
            else:
                if math.isfinite(number):
                    return number
        self.problem(Code.WRONG_TYPE, f"'{key}' must be a number", value, qid=qid,
                     given=_given(value), fix="use a point as decimal separator, e.g. 2.5")
        return None

    def choice_of(self, node: YMap, key: str, options: Sequence[str], qid: str | None,
                  default: str | None = None, required: bool = False) -> str | None:
        raw = self.string(node, key, f"'{qid}'" if qid else "the instrument", qid, required)
        if raw is None:
            return default
        if raw not in options:
            self.problem(Code.INVALID_VALUE, f"'{key}' has an unknown value", node.get(key),
                         qid=qid, given=raw, allowed=", ".join(options),
                         fix=_closest(raw, options) or None)
            return default
        return raw

    def text(self, node: YMap, key: str, what: str, qid: str | None = None,
             required: bool = False) -> Text:
        """Words per language: a mapping ``{nl: ..., en: ...}`` (plain text if one language)."""
        value = node.get(key)
        if value is None:
            if required:
                self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", node, qid=qid,
                             fix=f"add '{key}:' with a text per language ({', '.join(self.languages)})")
            return {}
        return self.text_value(value, f"'{key}' of {what}", qid)

    def text_value(self, value: YNode, what: str, qid: str | None) -> Text:
        if isinstance(value, YScalar) and not value.is_null:
            if len(self.languages) <= 1:
                return {self.languages[0] if self.languages else "en": value.raw}
            self.problem(Code.MISSING_TRANSLATION,
                         f"{what} is one text, but the instrument has {len(self.languages)} "
                         "languages", value, qid=qid, given=_given(value),
                         fix="give a text per language, e.g. {"
                         + ", ".join(f"{lang}: ..." for lang in self.languages) + "}")
            return {lang: value.raw for lang in self.languages[:1]}
        if isinstance(value, YMap):
            result: Text = {}
            for lang, words in value.items():
                if not isinstance(words, YScalar) or words.is_null:
                    self.problem(Code.WRONG_TYPE, f"the {lang} text of {what} must be text",
                                 words, qid=qid, given=_kind(words))
                    continue
                result[lang] = words.raw
            return result
        self.problem(Code.WRONG_TYPE, f"{what} must be text per language", value, qid=qid,
                     given=_kind(value))
        return {}

    # -- structures ---------------------------------------------------------------------
    def scale_value(self, value: YNode, qid: str | None, named: dict[str, Scale]) -> Scale | None:
        if isinstance(value, YScalar):
            if value.raw in named:
                scale = named[value.raw]
                if scale is itembank.scales().get(value.raw):  # bank words, in our languages
                    scale = dataclasses.replace(scale, labels=[self.trim(lab) for lab in scale.labels])
                return scale
            self.problem(Code.BAD_SCALE, f"unknown scale '{value.raw}'", value, qid=qid,
                         allowed=", ".join(sorted(named)),
                         fix=_closest(value.raw, sorted(named)) or
                         "define it under 'scales:' or write the scale out")
            return None
        node = self.expect_map(value, "a scale", qid)
        if node is None:
            return None
        self.check_keys(node, {"points", "labels", "start"}, "a scale", qid)
        points = self.integer(node, "points", qid)
        start = self.integer(node, "start", qid)
        labels: list[Text] = []
        seq = node.get("labels")
        if seq is None:
            self.problem(Code.BAD_SCALE, "a scale needs 'labels', one per point", node, qid=qid,
                         fix="add 'labels:' with a text per language for every point")
        elif (items := self.expect_seq(seq, "'labels' of a scale", qid)) is not None:
            labels = [self.text_value(item, "a scale label", qid) for item in items]
        if points is None:
            if "points" not in node:
                points = len(labels)
            else:
                return None
        return Scale(points=points, labels=labels, start=1 if start is None else start,
                     pos=Pos(node.line, node.column))

    def choices_value(self, value: YSeq, name: str) -> ChoiceList:
        choices: list[Choice] = []
        for item in value:
            entry = self.expect_map(item, f"a choice of list '{name}'", name)
            if entry is None:
                continue
            self.check_keys(entry, {"value", "label"}, f"a choice of list '{name}'", name)
            val = self.string(entry, "value", f"a choice of list '{name}'", name, required=True)
            label = self.text(entry, "label", f"choice '{val}' of list '{name}'", name, required=True)
            if val is not None:
                choices.append(Choice(val, label, Pos(entry.line, entry.column)))
        return ChoiceList(name, choices, Pos(value.line, value.column))

    def question(self, node: YMap, scales: dict[str, Scale], lists: dict[str, ChoiceList],
                 block_id: str) -> Question | None:
        qid_node = node.get("id")
        qid = qid_node.raw if isinstance(qid_node, YScalar) else None
        use = self.string(node, "use", "a question", qid)
        item: itembank.Item | None = None
        if use is not None:
            try:
                item = itembank.get_item(use)
            except KeyError:
                self.problem(Code.UNKNOWN_ITEM, f"unknown item bank item '{use}'", node, qid=qid,
                             key="use", allowed=", ".join(itembank.item_names()),
                             fix=_closest(use, itembank.item_names()) or
                             "list the items with 'cxresearch survey items'")
                return None
            qid = qid or item.name
        if qid is None:
            self.problem(Code.MISSING_FIELD, f"a question in block '{block_id}' has no 'id'",
                         node, fix="add 'id: ...' (letters, digits and _, starting with a letter)")
            return None
        qtype = self.choice_of(node, "type", QUESTION_TYPES, qid,
                               default=item.question["type"] if item else None,
                               required=item is None)
        if qtype is None:
            return None
        allowed = _COMMON_Q | _TYPE_KEYS[qtype]
        self.check_keys(node, allowed, f"question '{qid}' ({qtype})", qid)
        subject: Text = {}
        if "subject" in node:
            subject = self.text(node, "subject", f"question '{qid}'", qid)
        elif item is not None:
            subject = dict(item.subject)
        if "subject" in node and subject and self.languages:
            missing = [lang for lang in self.languages if not subject.get(lang, "").strip()]
            extra = [lang for lang in subject if lang not in self.languages]
            if missing:
                self.problem(Code.MISSING_TRANSLATION, f"the subject of question '{qid}' has no "
                             f"{' and '.join(missing)} text", node, qid=qid, key="subject",
                             fix="add " + ", ".join(f"{m}: ..." for m in missing))
            if extra:
                self.problem(Code.UNDECLARED_LANGUAGE, f"the subject of question '{qid}' has a "
                             f"text in {', '.join(extra)}, which is not one of the instrument's "
                             "languages", node, qid=qid, key="subject",
                             allowed=", ".join(self.languages))
        if item is not None and item.needs_subject and not subject:
            self.problem(Code.MISSING_FIELD, f"item '{item.name}' needs a 'subject' to fill "
                         "'{subject}' in its wording", node, qid=qid, key="use",
                         fix="add 'subject:' with a text per language, e.g. the touchpoint")

        def text_field(key: str, required: bool = False) -> Text:
            if key in node:
                return self.text(node, key, f"question '{qid}'", qid, required)
            if item is not None and key in item.question:
                return self.trim(itembank.fill(item.question[key], subject))
            if required:
                self.problem(Code.MISSING_FIELD, f"question '{qid}' has no '{key}'", node,
                             qid=qid, fix=f"add '{key}:' with a text per language")
            return {}

        q = Question(id=qid, type=qtype, label=text_field("label", True))
        q.pos = Pos(node.line, node.column)
        q.where = _value_positions(node)
        q.item = item.name if item else self.string(node, "item", f"question '{qid}'", qid)
        q.metric = self.string(node, "metric", f"question '{qid}'", qid) or (
            item.metric if item else None)
        q.personal = self.choice_of(node, "personal", PERSONAL_KINDS, qid)
        q.hint = text_field("hint")
        q.required = self.boolean(node, "required", qid,
                                  bool(item.question.get("required")) if item else False)
        q.required_message = text_field("required_message")
        q.relevant = self.string(node, "relevant", f"question '{qid}'", qid)
        q.constraint = self.string(node, "constraint", f"question '{qid}'", qid)
        q.constraint_message = text_field("constraint_message")
        q.interviewer_note = text_field("interviewer_note")
        if "probes" in node and (seq := self.expect_seq(node["probes"], "'probes'", qid)) is not None:
            q.probes = [self.text_value(p, "a probe", qid) for p in seq]
        bank = item.question if item else {}
        if qtype in ("single_choice", "multiple_choice", "ranking"):
            value = node.get("choices")
            if value is None and "choices" in bank:
                q.choices = str(bank["choices"])
            elif value is None:
                self.problem(Code.MISSING_FIELD, f"question '{qid}' has no 'choices'", node,
                             qid=qid, fix="add 'choices:' with the name of a list under "
                             "'choice_lists:', or a list of {value, label}")
            elif isinstance(value, YScalar):
                q.choices = value.raw
            elif isinstance(value, YSeq):
                if qid in lists:
                    self.problem(Code.DUPLICATE_ID, f"question '{qid}' has inline choices, but a "
                                 f"choice list is also called '{qid}'", value, qid=qid,
                                 fix="rename the choice list or refer to it by name")
                lists[qid] = self.choices_value(value, qid)
                q.choices = qid
            else:
                self.problem(Code.WRONG_TYPE, "'choices' must be a list name or a list",
                             value, qid=qid, given=_kind(value))
            q.randomize = self.boolean(node, "randomize", qid)
            q.other = self.boolean(node, "other", qid) if qtype != "ranking" else False
            q.min_selected = self.integer(node, "min_selected", qid, 0)
            q.max_selected = self.integer(node, "max_selected", qid, 1)
        if qtype in ("likert", "likert_matrix"):
            value = node.get("scale")
            if value is None and "scale" in bank:
                value = YScalar(str(bank["scale"]), "str", node.line, node.column, False)
            if value is None:
                self.problem(Code.BAD_SCALE, f"question '{qid}' has no 'scale'", node, qid=qid,
                             allowed=", ".join(sorted(scales)),
                             fix="add 'scale:' with a scale name or {points, labels}")
            else:
                q.scale = self.scale_value(value, qid, scales)
        if qtype == "likert_matrix":
            q.items = self.matrix_items(node, qid, bank, subject)
        if qtype == "rating":
            q.anchors = self.anchors(node, qid, bank)
        if qtype == "number":
            q.min_value = self.number(node, "min", qid)
            q.max_value = self.number(node, "max", qid)
            q.decimals = self.boolean(node, "decimals", qid)
            q.unit = text_field("unit")
        if qtype == "text":
            q.length = self.choice_of(node, "length", ("short", "long"), qid,
                                      default=str(bank.get("length", "short"))) or "short"
            q.max_length = self.integer(node, "max_length", qid, 1)
        if qtype == "date":
            for key in ("min", "max"):
                raw = self.string(node, key, f"question '{qid}'", qid)
                if raw is not None and not _is_date(raw):
                    self.problem(Code.INVALID_VALUE, f"'{key}' must be a date", node.get(key),
                                 qid=qid, given=raw, allowed="yyyy-mm-dd, e.g. 2026-01-31")
                    raw = None
                setattr(q, f"{key}_date", raw)
        return q

    def matrix_items(self, node: YMap, qid: str, bank: dict[str, Any],
                     subject: Text) -> list[MatrixItem]:
        value = node.get("items")
        if value is None and "items" in bank:
            return [MatrixItem(str(it["id"]).replace("{id}", qid),
                               self.trim(itembank.fill(it["label"], subject)))
                    for it in bank["items"]]
        if value is None:
            self.problem(Code.MISSING_FIELD, f"matrix '{qid}' has no 'items'", node, qid=qid,
                         fix="add 'items:' with an id and a label per row")
            return []
        seq = self.expect_seq(value, "'items'", qid)
        items: list[MatrixItem] = []
        for entry in seq or []:
            m = self.expect_map(entry, f"an item of matrix '{qid}'", qid)
            if m is None:
                continue
            self.check_keys(m, {"id", "label"}, f"an item of matrix '{qid}'", qid)
            iid = self.string(m, "id", f"an item of matrix '{qid}'", qid, required=True)
            label = self.text(m, "label", f"item '{iid}' of matrix '{qid}'", iid or qid, True)
            if iid is not None:
                items.append(MatrixItem(iid.replace("{id}", qid), label, Pos(m.line, m.column)))
        return items

    def anchors(self, node: YMap, qid: str, bank: dict[str, Any]) -> dict[str, Text]:
        value = node.get("anchors")
        if value is None:
            return {k: self.trim(v) for k, v in bank.get("anchors", {}).items()}
        m = self.expect_map(value, "'anchors'", qid)
        if m is None:
            return {}
        self.check_keys(m, {"low", "high"}, "'anchors'", qid)
        return {k: self.text(m, k, "'anchors'", qid) for k in ("low", "high") if k in m}

    def block(self, node: YMap, scales: dict[str, Scale], lists: dict[str, ChoiceList],
              index: int) -> Block:
        bid = self.string(node, "id", f"block {index}", None, required=True) or f"block{index}"
        self.check_keys(node, _BLOCK_KEYS, f"block '{bid}'", bid)
        block = Block(id=bid, title=self.text(node, "title", f"block '{bid}'", bid, True))
        block.pos = Pos(node.line, node.column)
        block.where = _value_positions(node)
        block.stage = self.string(node, "stage", f"block '{bid}'", bid)
        block.touchpoint = self.string(node, "touchpoint", f"block '{bid}'", bid)
        block.relevant = self.string(node, "relevant", f"block '{bid}'", bid)
        block.intro = self.text(node, "intro", f"block '{bid}'", bid)
        seq = node.get("questions")
        if seq is None:
            self.problem(Code.MISSING_FIELD, f"block '{bid}' has no 'questions'", node, qid=bid,
                         fix="add 'questions:' with at least one question")
        elif (items := self.expect_seq(seq, f"'questions' of block '{bid}'", bid)) is not None:
            for entry in items:
                m = self.expect_map(entry, f"a question in block '{bid}'", bid)
                if m is not None and (q := self.question(m, scales, lists, bid)) is not None:
                    block.questions.append(q)
        return block

    def instrument(self, root: YNode, base_dir: Path | None) -> Instrument | None:
        top = self.expect_map(root, "the instrument file")
        if top is None:
            return None
        self.check_keys(top, _TOP_KEYS, "the instrument")
        for key in _REQUIRED_TOP:
            if key not in top:
                self.problem(Code.MISSING_FIELD, f"the instrument has no '{key}'", top,
                             fix=f"add '{key}:' at the top level (see docs/instrument-format.md)")
        langs = top.get("languages")
        if isinstance(langs, YSeq) and all(isinstance(x, YScalar) for x in langs) and langs:
            self.languages = [x.raw for x in langs if isinstance(x, YScalar)]
        elif langs is not None:
            self.problem(Code.WRONG_TYPE, "'languages' must be a list of language codes",
                         langs, given=_given(langs), allowed="e.g. [nl, en]")
        kind = self.choice_of(top, "kind", KINDS, None, default="survey")
        cls = InterviewGuide if kind == "interview_guide" else Survey
        scales = dict(itembank.scales())
        if "scales" in top and (m := self.expect_map(top["scales"], "'scales'")) is not None:
            for name, value in m.items():
                scale = self.scale_value(value, name, scales)
                if scale is not None:  # a copy: an alias must not rename a shared scale
                    scales[name] = dataclasses.replace(scale, name=name)
        lists: dict[str, ChoiceList] = {}
        if "choice_lists" in top and (m := self.expect_map(top["choice_lists"], "'choice_lists'")):
            for name, value in m.items():
                if isinstance(value, YSeq):
                    lists[name] = self.choices_value(value, name)
                else:
                    self.problem(Code.WRONG_TYPE, f"choice list '{name}' must be a list of "
                                 "{value, label}", value, qid=name, given=_kind(value))
        blocks: list[Block] = []
        seq = top.get("blocks")
        if seq is not None and (items := self.expect_seq(seq, "'blocks'")) is not None:
            for i, entry in enumerate(items, 1):
                if (m := self.expect_map(entry, f"block {i}")) is not None:
                    blocks.append(self.block(m, scales, lists, i))
        used = {q.scale.name for b in blocks for q in b.questions if q.scale and q.scale.name}
        inst = cls(
            id=self.string(top, "id", "the instrument") or "",
            title=self.text(top, "title", "the instrument"),
            version=self.string(top, "version", "the instrument") or "",
            audience=self.choice_of(top, "audience", AUDIENCES, None, default="customer") or "",
            languages=self.languages,
            blocks=blocks,
            kind=kind or "survey",
            default_language=self.string(top, "default_language", "the instrument"),
            purpose=self.text(top, "purpose", "the instrument"),
            min_group_size=self.integer(top, "min_group_size", None, 1) or 5,
            description=self.text(top, "description", "the instrument"),
            journey=self.string(top, "journey", "the instrument"),
            choice_lists=lists,
            scales={k: v for k, v in scales.items() if k in used or k not in itembank.scales()},
            duration_minutes=self.integer(top, "duration_minutes", None, 1),
        )
        if "metadata" in top and (seq := self.expect_seq(top["metadata"], "'metadata'")):
            from .model import METADATA_FIELDS
            for entry in seq:
                if isinstance(entry, YScalar) and entry.raw in inst.metadata:
                    self.problem(Code.DUPLICATE_ID, f"metadata field '{entry.raw}' is listed "
                                 "twice", entry, fix="list each metadata field once")
                elif isinstance(entry, YScalar) and entry.raw in METADATA_FIELDS:
                    inst.metadata.append(entry.raw)
                else:
                    self.problem(Code.INVALID_VALUE, "unknown metadata field", entry,
                                 given=_given(entry), allowed=", ".join(METADATA_FIELDS))
        if "fielding" in top and (m := self.expect_map(top["fielding"], "'fielding'")):
            self.check_keys(m, {"moment", "frequency"}, "'fielding'")
            inst.fielding = Fielding(self.choice_of(m, "moment", FIELDING_MOMENTS, None),
                                     self.choice_of(m, "frequency", FIELDING_FREQUENCIES, None))
        if inst.journey is None and base_dir is not None:
            for candidate in ("../journey.yaml", "journey.yaml"):  # study/instruments/ or beside
                if (base_dir.resolve() / candidate).is_file():
                    inst.journey = candidate
                    break
        inst.where = {k: Pos(*top.key_pos[k]) for k in top.key_pos}
        return inst


def _is_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _value_positions(node: YMap) -> dict[str, Pos]:
    """Where each value starts (inside the quotes, for quoted text), else where its key is."""
    where: dict[str, Pos] = {}
    for key, value in node.items():
        if isinstance(value, YScalar) and value.multiline:  # offsets do not map to one line
            where[key] = Pos(value.line + (1 if value.block else 0), None)
        elif isinstance(value, YScalar):
            where[key] = Pos(value.line, value.column + (1 if value.quoted else 0))
        else:
            where[key] = Pos(*node.key_pos[key])
    return where


_kind = describe_node


def _given(node: Any) -> str:
    return _kind(node)


def _load(text: str, name: str, base_dir: str | Path | None,
          validate: bool) -> tuple[Instrument | None, list[Problem]]:
    root = parse_yaml(text, name)
    if root is None:
        raise InstrumentError.single(
            Code.EMPTY_FILE, "the file is empty", file=name,
            fix="start from 'cxresearch new STUDY' or an example in surveys/")
    reader = _Reader(name)
    inst = reader.instrument(root, Path(base_dir) if base_dir is not None else None)
    problems = list(reader.problems)
    if inst is not None:
        inst.source = name
        # content checks on a structurally broken file would repeat and confuse
        if validate and not any(p.severity == Severity.ERROR for p in problems):
            from .validate import validate_instrument
            problems += validate_instrument(inst, base_dir=base_dir)
    return inst, problems


def loads_instrument(text: str, name: str = "<text>", base_dir: str | Path | None = None,
                     *, validate: bool = True) -> Instrument:
    """Build an instrument from YAML text; raise :class:`InstrumentError` listing every problem.

    Examples
    --------
    >>> survey = loads_instrument('''
    ... kind: survey
    ... id: demo
    ... version: "1"
    ... title: Demo
    ... audience: customer
    ... languages: [en]
    ... purpose: Trying cxresearch
    ... blocks:
    ...   - id: main
    ...     title: Main
    ...     questions:
    ...       - use: nps
    ...       - {id: why, type: text, label: Why?, relevant: "${nps} <= 6"}
    ... ''')
    >>> survey.field_ids()
    ['nps', 'why']
    """
    inst, problems = _load(text, name, base_dir, validate)
    raise_if_errors(problems)
    if inst is None:  # pragma: no cover - a None instrument always comes with a problem
        raise InstrumentError(problems)
    return inst


def read_yaml_instrument(path: str | Path, *, validate: bool = True) -> tuple[Instrument, list[Problem]]:
    """Read a YAML instrument file; return it with its warnings (raise on errors)."""
    source = read_source(path)
    try:
        inst, problems = _load(source.text, source.name, Path(path).parent, validate)
    except InstrumentError as exc:
        raise InstrumentError(list(exc.problems) + list(source.warnings)) from None
    problems += source.warnings
    raise_if_errors(problems)
    if inst is None:  # pragma: no cover
        raise InstrumentError(problems)
    inst.sha256 = source.sha256
    return inst, [p for p in problems if p.severity == Severity.WARNING]
