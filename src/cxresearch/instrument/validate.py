"""Content checks on an instrument: ids, translations, choice lists, scales, logic, journey.

:func:`validate_instrument` works on the model, so instruments read from YAML and from
XLSForm get the same checks. It returns every problem (errors and warnings) it finds.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Iterable

from ..errors import Code, InstrumentError, Problem, Severity
from .model import CHOICE_TYPES, METADATA_FIELDS, Block, Instrument, Pos, Question, Text

__all__ = ["ID_PATTERN", "validate_instrument"]

ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
"""Question, block and matrix-item ids: usable in XLSForm, SPSS, LimeSurvey and pandas."""
_INSTRUMENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_CHOICE_VALUE = re.compile(r"^[^\s]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PIPED = re.compile(r"\$\{([^}]*)\}")
_RESERVED = {"meta", "instanceID", "instanceName", "deprecatedID", *METADATA_FIELDS}


def _close(word: str, options: Iterable[str]) -> str | None:
    m = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{m[0]}'?" if m else None


class _Checker:
    def __init__(self, inst: Instrument) -> None:
        self.inst = inst
        self.file = inst.source
        self.sheet = "survey" if (inst.source or "").lower().endswith((".xlsx", ".xls")) else None
        self.problems: list[Problem] = []
        self.known = set(inst.field_ids())
        self.by_field: dict[str, Question] = {}
        for q in inst.questions():
            self.by_field[q.id] = q
            for item in q.items:
                self.by_field[item.id] = q
        self.earlier: set[str] = set()

    def add(self, code: Code, message: str, pos: Pos | None = None, qid: str | None = None,
            severity: Severity = Severity.ERROR, **extra: str | None) -> None:
        self.problems.append(Problem(
            code, message, file=self.file, sheet=self.sheet,
            line=pos.line if pos else None, column=pos.column if pos else None,
            question_id=qid, severity=severity, **extra))

    # -- texts ------------------------------------------------------------------------
    def text(self, text: Text, what: str, pos: Pos | None, qid: str | None,
             required: bool = False) -> None:
        langs = self.inst.languages
        for words in text.values():
            bad = _CONTROL.search(words)
            if bad:
                self.add(Code.INVALID_VALUE, f"{what} contains the control character "
                         f"U+{ord(bad.group()):04X}", pos, qid,
                         fix="remove it; write line breaks as real new lines")
            for ref in _PIPED.findall(words):
                if ref not in self.known:
                    self.add(Code.LOGIC_UNKNOWN_QUESTION, f"{what} shows the answer to "
                             f"'${{{ref}}}', but there is no such question", pos, qid,
                             fix=_close(ref, self.known) or "check the id, or remove the '$'")
        if not text:
            if required:
                self.add(Code.MISSING_TRANSLATION, f"{what} is missing", pos, qid,
                         fix=f"add a text per language ({', '.join(langs)})")
            return
        for lang in text:
            if lang not in langs:
                self.add(Code.UNDECLARED_LANGUAGE, f"{what} has a text in '{lang}', which is "
                         "not one of the instrument's languages", pos, qid, given=lang,
                         allowed=", ".join(langs),
                         fix=f"add '{lang}' to 'languages', or fix the language code")
        missing = [lang for lang in langs if not (text.get(lang) or "").strip()]
        if missing:
            self.add(Code.MISSING_TRANSLATION,
                     f"{what} has no {' and '.join(missing)} text", pos, qid,
                     allowed=", ".join(langs),
                     fix="add " + ", ".join(f"{m}: ..." for m in missing))

    # -- the whole instrument -------------------------------------------------------------
    def run(self, base_dir: Path | None) -> list[Problem]:
        inst = self.inst
        if not _INSTRUMENT_ID.match(inst.id or ""):
            self.add(Code.INVALID_ID, "the instrument id is not valid", inst.where.get("id"), None,
                     given=repr(inst.id), allowed="a letter, then letters, digits, '-' or '_'",
                     fix="e.g. 'claims-customer'")
        if not inst.languages:
            self.add(Code.MISSING_FIELD, "the instrument declares no languages",
                     inst.where.get("languages"), None,
                     fix="add 'languages: [nl, en]'")
        for lang in inst.languages:
            if not _LANG.match(lang):
                self.add(Code.INVALID_VALUE, f"'{lang}' is not a language code",
                         inst.where.get("languages"), None,
                         given=lang, allowed="ISO 639-1 codes such as nl, en, fr, de")
        if len(set(inst.languages)) != len(inst.languages):
            self.add(Code.DUPLICATE_ID, "a language is listed twice", inst.where.get("languages"),
                     None,
                     given=", ".join(inst.languages))
        if inst.default_language and inst.default_language not in inst.languages:
            self.add(Code.INVALID_VALUE, "'default_language' is not one of 'languages'",
                     inst.where.get("default_language"), None, given=inst.default_language, allowed=", ".join(inst.languages))
        if not inst.version:
            self.add(Code.MISSING_FIELD, "the instrument has no version", inst.where.get("version"),
                     None,
                     fix="add 'version: \"1.0\"' and raise it with every change in the field")
        self.text(inst.title, "the title", inst.where.get("title"), None, required=True)
        if not inst.purpose:
            self.add(Code.MISSING_FIELD, "no purpose of processing is recorded", None, None,
                     severity=Severity.WARNING,
                     fix="add 'purpose:' (GDPR: why these answers are collected) per language")
        else:
            self.text(inst.purpose, "the purpose of processing", inst.where.get("purpose"), None)
        self.text(inst.description, "the description", inst.where.get("description"), None)
        if not inst.blocks or not any(b.questions for b in inst.blocks):
            self.add(Code.MISSING_FIELD, "the instrument has no questions", None, None,
                     fix="add a block with at least one question")
        self.ids()
        self.choice_lists()
        fields: list[str] = []
        for block in inst.blocks:
            self.block(block, fields)
        self.journey(base_dir)
        return self.problems

    def ids(self) -> None:
        seen: dict[str, Pos | None] = {}

        def claim(name: str, pos: Pos | None, what: str) -> None:
            if not ID_PATTERN.match(name):
                self.add(Code.INVALID_ID, f"{what} id '{name}' is not valid", pos, name,
                         given=name, allowed="a letter or _, then letters, digits or _ "
                         "(at most 64); no spaces, dots or dashes",
                         fix=f"e.g. '{re.sub(r'[^A-Za-z0-9_]', '_', name) or 'q1'}'")
            elif name in _RESERVED:
                self.add(Code.INVALID_ID, f"'{name}' is reserved for metadata", pos, name,
                         fix=f"rename it, e.g. '{name}_q'")
            if name in seen:
                first = seen[name]
                where = f" (first on line {first.line})" if first else ""
                self.add(Code.DUPLICATE_ID, f"id '{name}' is used twice{where}", pos, name,
                         fix="give every question, matrix row and block its own id")
            else:
                seen[name] = pos

        for block in self.inst.blocks:
            claim(block.id, block.pos, "block")
            for q in block.questions:
                if q.type == "likert_matrix":
                    claim(q.id, q.pos, "matrix")
                    for item in q.items:
                        claim(item.id, item.pos or q.pos, "matrix row")
                else:
                    for fid in q.field_ids() or [q.id]:  # a note has no answer, but an id
                        claim(fid, q.pos, "question")

    def choice_lists(self) -> None:
        survey_sheet = self.sheet
        if survey_sheet:  # spreadsheets keep choices on their own sheet
            self.sheet = "choices"
        try:
            self._choice_lists()
        finally:
            self.sheet = survey_sheet

    def _choice_lists(self) -> None:
        used = {q.choices for q in self.inst.questions() if q.choices}
        for name, cl in self.inst.choice_lists.items():
            if not cl.choices:
                self.add(Code.EMPTY_CHOICE_LIST, f"choice list '{name}' has no choices", cl.pos,
                         name, fix="add at least two choices, each with a value and a label")
                continue
            seen: set[str] = set()
            for c in cl.choices:
                where = c.pos or cl.pos
                if c.value in seen:
                    self.add(Code.DUPLICATE_CHOICE, f"value '{c.value}' appears twice in "
                             f"choice list '{name}'", where, name,
                             fix="give every choice its own value")
                seen.add(c.value)
                if not _CHOICE_VALUE.match(c.value):
                    self.add(Code.INVALID_VALUE, f"choice value '{c.value}' in list '{name}' "
                             "contains a space", where, name, given=repr(c.value),
                             fix="use e.g. '" + re.sub(r"\s+", "_", c.value.strip()) + "'")
                self.text(c.label, f"the label of choice '{c.value}' in list '{name}'",
                          where, name, required=True)
            if name not in used:
                self.add(Code.UNKNOWN_CHOICE_LIST, f"choice list '{name}' is not used",
                         cl.pos, name, severity=Severity.WARNING,
                         fix="remove it, or use it in a question")

    def block(self, block: Block, fields: list[str]) -> None:
        self.text(block.title, f"the title of block '{block.id}'", block.pos, block.id,
                  required=True)
        self.text(block.intro, f"the intro of block '{block.id}'", block.pos, block.id)
        if not block.questions:
            self.add(Code.MISSING_FIELD, f"block '{block.id}' has no questions", block.pos,
                     block.id, fix="add questions or remove the block")
        if block.relevant:
            self.logic(block.relevant, "relevant", block.where.get("relevant", block.pos),
                       block.id, fields, None)
        for q in block.questions:
            self.question(q, fields)
            fields.extend(q.field_ids())
            self.earlier.update(q.field_ids())

    def question(self, q: Question, earlier: list[str]) -> None:
        what = f"question '{q.id}'"
        self.text(q.label, f"the label of {what}", q.position("label"), q.id, required=True)
        for key in ("hint", "required_message", "constraint_message", "interviewer_note", "unit"):
            self.text(getattr(q, key), f"the {key.replace('_', ' ')} of {what}",
                      q.position(key), q.id)
        for probe in q.probes:
            self.text(probe, f"a probe of {what}", q.position("probes"), q.id, required=True)
        if q.type in CHOICE_TYPES and q.choices is not None:
            if q.choices not in self.inst.choice_lists:
                self.add(Code.UNKNOWN_CHOICE_LIST, f"{what} uses choice list '{q.choices}', "
                         "which is not defined", q.position("choices"), q.id,
                         allowed=", ".join(self.inst.choice_lists) or "(none defined)",
                         fix=_close(q.choices, self.inst.choice_lists) or
                         "define it under 'choice_lists:'")
            else:
                cl = self.inst.choice_lists[q.choices]
                if q.other and q.randomize:
                    self.add(Code.INVALID_VALUE, f"{what} shuffles its choices and has "
                             "'other: true'; ODK and KoboToolbox shuffle 'other' along, so it "
                             "may not come last", q.position("randomize"), q.id,
                             severity=Severity.WARNING,
                             fix="accept it, or drop 'other' and ask for other answers in "
                             "a separate question")
                if q.other and "other" in cl.values():
                    self.add(Code.DUPLICATE_CHOICE, f"{what} has 'other: true' and its list "
                             f"'{q.choices}' also has a choice 'other'", q.position("other"),
                             q.id, fix="drop the 'other' choice; 'other: true' adds it with a "
                             "text field")
                n = len(cl.choices)
                lo, hi = q.min_selected, q.max_selected
                most = n + q.other
                if (lo is not None and hi is not None and lo > hi) \
                        or (hi is not None and hi > most) or (lo is not None and lo > most):
                    self.add(Code.BAD_BOUNDS, f"{what} asks for {lo if lo is not None else 0} "
                             f"to {hi if hi is not None else most} answers, but has {most} "
                             "choices",
                             q.position("max_selected"), q.id,
                             fix="make min_selected <= max_selected <= the number of choices")
        if q.type in ("likert", "likert_matrix") and q.scale is not None:
            s = q.scale
            if not 2 <= s.points <= 11:
                self.add(Code.BAD_SCALE, f"{what} has a {s.points}-point scale",
                         q.position("scale"), q.id, given=str(s.points), allowed="2 to 11 points")
            if len(s.labels) != s.points:
                self.add(Code.BAD_SCALE, f"the scale of {what} has {s.points} points but "
                         f"{len(s.labels)} labels", s.pos or q.position("scale"), q.id,
                         fix="give exactly one label per point, from the lowest to the highest")
            for i, lab in enumerate(s.labels):
                self.text(lab, f"label {i + s.start} of the scale of {what}",
                          s.pos or q.position("scale"), q.id, required=True)
        if q.type == "likert_matrix":
            if not q.items:
                self.add(Code.MISSING_FIELD, f"matrix '{q.id}' has no items", q.pos, q.id,
                         fix="add 'items:' with an id and a label per row")
            for item in q.items:
                self.text(item.label, f"the label of row '{item.id}' of matrix '{q.id}'",
                          item.pos or q.pos, item.id, required=True)
        if q.type == "rating":
            for side in ("low", "high"):
                if side in q.anchors:
                    self.text(q.anchors[side], f"the {side} anchor of {what}",
                              q.position("anchors"), q.id, required=True)
        if q.type == "number":
            if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
                self.add(Code.BAD_BOUNDS, f"{what} has min {q.min_value:g} above max "
                         f"{q.max_value:g}", q.position("min"), q.id, fix="swap min and max")
            for key, bound in (("min", q.min_value), ("max", q.max_value)):
                if bound is not None and not q.decimals and not float(bound).is_integer():
                    self.add(Code.BAD_BOUNDS, f"{what} takes whole numbers but its {key} is "
                             f"{bound:g}", q.position(key), q.id,
                             fix="set 'decimals: true' or use a whole number")
        if q.type == "date" and q.min_date and q.max_date and q.min_date > q.max_date:
            self.add(Code.BAD_BOUNDS, f"{what} has min date after max date", q.position("min"),
                     q.id, fix="swap min and max")
        if q.type == "note" and (q.required or q.constraint):
            self.add(Code.INVALID_VALUE, f"note '{q.id}' cannot be required or constrained",
                     q.pos, q.id, fix="remove 'required' and 'constraint' from the note")
        if q.relevant:
            self.logic(q.relevant, "relevant", q.position("relevant"), q.id, earlier, None)
        if q.constraint:
            self.logic(q.constraint, "constraint", q.position("constraint"), q.id, earlier, q)

    # -- logic --------------------------------------------------------------------------
    def logic(self, source: str, key: str, pos: Pos | None, owner: str, earlier: list[str],
              question: Question | None) -> None:
        from . import logic

        def at(offset: int) -> Pos | None:
            if pos is None:
                return None
            return Pos(pos.line, pos.column + offset if pos.column is not None else None)

        try:
            expr = logic.parse(source)
        except logic.LogicError as exc:
            code = {"unknown_function": Code.LOGIC_UNKNOWN_FUNCTION,
                    "arity": Code.LOGIC_BAD_ARGUMENT}.get(exc.kind, Code.LOGIC_SYNTAX)
            self.add(code, f"'{key}' of '{owner}': {exc.message}", at(exc.offset), owner,
                     given=source, fix=_logic_fix(exc.kind))
            return
        known = self.known
        own = question.field_ids() if question is not None else []
        if key == "relevant" and logic.uses_current(expr):
            self.add(Code.LOGIC_BAD_ARGUMENT, f"'relevant' of '{owner}' uses '.', which means "
                     "the current answer and only works in a constraint", pos, owner,
                     given=source, fix="refer to an earlier question as ${id}")
        for ref in logic.references(expr):
            name = ref.name
            if name in self.earlier or (name in own and key == "constraint"):
                continue
            if name in known:
                later = "itself" if name in own or name == owner else f"'{name}', which comes later"
                self.add(Code.LOGIC_LATER_QUESTION, f"'{key}' of '{owner}' refers to {later}",
                         at(ref.offset), owner, given=source,
                         fix="skip logic can only use answers given before this question; "
                         "move the question or change the condition")
            else:
                notes = {q.id for q in self.inst.questions() if q.type == "note"}
                matrices = {q.id: q for q in self.inst.questions() if q.type == "likert_matrix"}
                why = "a note, which has no answer" if name in notes else "no question"
                if name in matrices:
                    rows = ", ".join(item.id for item in matrices[name].items)
                    why = f"a matrix, which has an answer per row ({rows}); refer to a row"
                self.add(Code.LOGIC_UNKNOWN_QUESTION, f"'{key}' of '{owner}' refers to "
                         f"'${{{name}}}': {why}", at(ref.offset), owner, given=source,
                         allowed=_some(earlier) or "(no earlier questions)",
                         fix=_close(name, earlier) or "check the id")
        self.logic_values(expr, key, at, owner, source, question)

    def logic_values(self, expr: object, key: str, at: object, owner: str, source: str,
                     question: Question | None) -> None:
        """selected() and comparisons with text must use values the question can have."""
        from . import logic

        def values_of(name: str | None) -> tuple[Question | None, list[str] | None]:
            if name is None:
                if question is None:
                    return None, None
                q = question
            else:
                if name not in self.by_field:
                    return None, None
                q = self.by_field[name]
            if q.type in CHOICE_TYPES and q.choices in self.inst.choice_lists:
                vals = self.inst.choice_lists[q.choices].values() + (["other"] if q.other else [])
                return q, vals
            if q.scale is not None:
                return q, [str(v) for v in q.scale.values()]
            if q.type == "rating":
                return q, [str(v) for v in range(11)]
            return q, None

        def target(node: object) -> str | None | bool:
            if isinstance(node, logic.Ref):
                return node.name
            if isinstance(node, logic.Current):
                return None
            return False

        def visit(node: object) -> None:
            if isinstance(node, logic.Call):
                for arg in node.args:
                    visit(arg)
                if node.name in ("selected", "count-selected") and node.args:
                    t = target(node.args[0])
                    if t is False:
                        self.add(Code.LOGIC_BAD_ARGUMENT, f"{node.name}() in '{key}' of "
                                 f"'{owner}' needs a question as its first argument",
                                 at(node.offset), owner, given=source,  # type: ignore[operator]
                                 fix=f"write {node.name}(${{question_id}}, ...)")
                        return
                    q, vals = values_of(t)  # type: ignore[arg-type]
                    if q is None:
                        return
                    if node.name == "count-selected" and q.type != "multiple_choice":
                        self.add(Code.LOGIC_BAD_ARGUMENT, f"count-selected() in '{key}' of "
                                 f"'{owner}' needs a multiple-choice question; '{q.id}' is "
                                 f"{q.type}", at(node.offset), owner, given=source,  # type: ignore[operator]
                                 fix="use a comparison such as ${q} = 'value' instead")
                    if node.name == "selected" and len(node.args) == 2:
                        lit = node.args[1]
                        if isinstance(lit, logic.Literal) and vals is not None \
                                and str(lit.value) not in vals:
                            self.add(Code.LOGIC_BAD_ARGUMENT, f"selected() in '{key}' of "
                                     f"'{owner}' asks for '{lit.value}', which '{q.id}' cannot "
                                     "have", at(lit.offset), owner, given=source,  # type: ignore[operator]
                                     allowed=", ".join(vals),
                                     fix=_close(str(lit.value), vals) or "use one of the allowed values")
            elif isinstance(node, logic.BinOp):
                visit(node.left)
                visit(node.right)
                if node.op in ("=", "!="):
                    for side, other in ((node.left, node.right), (node.right, node.left)):
                        t = target(side)
                        if t is False or not isinstance(other, logic.Literal) \
                                or not isinstance(other.value, str) or other.value == "":
                            continue
                        q, vals = values_of(t)  # type: ignore[arg-type]
                        if q is not None and q.type == "multiple_choice":
                            self.add(Code.LOGIC_BAD_ARGUMENT, f"'{key}' of '{owner}' compares "
                                     f"multiple-choice question '{q.id}' with '{other.value}'; "
                                     "that is true only when it is the one answer chosen",
                                     at(other.offset), owner, severity=Severity.WARNING,  # type: ignore[operator]
                                     given=source, fix=f"write selected(${{{q.id}}}, "
                                     f"'{other.value}') to test whether it is among the answers")
                        if q is not None and q.type in ("single_choice",) and vals is not None \
                                and other.value not in vals:
                            self.add(Code.LOGIC_BAD_ARGUMENT, f"'{key}' of '{owner}' compares "
                                     f"'{q.id}' with '{other.value}', which it cannot have",
                                     at(other.offset), owner, given=source,  # type: ignore[operator]
                                     allowed=", ".join(vals),
                                     fix=_close(other.value, vals) or "use one of the allowed values")
            elif isinstance(node, logic.Neg):
                visit(node.operand)

        visit(expr)

    # -- the journey ----------------------------------------------------------------------
    def journey(self, base_dir: Path | None) -> None:
        named = [b for b in self.inst.blocks if b.stage or b.touchpoint]
        if not self.inst.journey:
            if named:
                self.add(Code.JOURNEY_NOT_FOUND, "blocks name journey stages or touchpoints, "
                         "but the instrument has no journey to check them against",
                         named[0].pos, named[0].id, severity=Severity.WARNING,
                         fix="add 'journey: ../journey.yaml' (the study's journey file)")
            return
        from ..journey import load_journey

        path = Path(self.inst.journey)
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        if not path.exists():
            self.add(Code.JOURNEY_NOT_FOUND, f"journey file '{self.inst.journey}' not found",
                     None, None, given=str(path),
                     fix="correct 'journey:' (relative to the instrument file) or remove it")
            return
        try:
            journey = load_journey(path)
        except InstrumentError as exc:
            self.problems.extend(exc.problems)
            return
        from ..journey.links import instrument_links

        self.problems.extend(instrument_links(journey, self.inst, path.name))


def _some(names: list[str], most: int = 12) -> str:
    """A readable list of names: all of a short list, the last few of a long one."""
    if len(names) <= most:
        return ", ".join(names)
    return f"{len(names)} earlier ids, the last being " + ", ".join(names[-most:])


def _logic_fix(kind: str) -> str:
    if kind == "unknown_function":
        return "use one of the functions listed, or compare answers with = != < <= > >="
    if kind == "arity":
        return "give the function the number of arguments it takes"
    return "write conditions like ${nps} <= 6 and selected(${channel}, 'phone')"


def validate_instrument(inst: Instrument, base_dir: str | Path | None = None) -> list[Problem]:
    """Check an instrument's content; return every problem found (errors and warnings).

    ``base_dir`` is the folder relative paths (the journey) start from; by default the
    folder of ``inst.source``.
    """
    if base_dir is None and inst.source:
        base_dir = Path(inst.source).parent
    return _Checker(inst).run(Path(base_dir) if base_dir is not None else None)
