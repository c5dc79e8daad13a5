"""Editing an instrument file step by step: the plain layer under the survey designer.

:class:`InstrumentDraft` holds an instrument YAML document as plain data and changes it
one request at a time (add a block, add an item bank item, set skip logic, move, rename,
delete, ...). Each request is one undo step and is autosaved beside the file (see
:class:`cxresearch._draft.YamlDraft`). A request that would make the instrument *wrong*
(an id used twice or not valid, an unknown question type, a 1-point scale, logic that
refers to a later question, ...) is refused with a :class:`~cxresearch._draft.DraftError`
that names the question or block and says how to fix it; the document stays as it was.
A request that leaves it *unfinished* (an empty label, a missing translation, a block
without questions yet) is kept, and :meth:`InstrumentDraft.problems` reports it until it
is done: :meth:`~cxresearch._draft.YamlDraft.save` refuses while there are errors.

There is no second validator here: every check runs the file reader and
:func:`~cxresearch.instrument.validate_instrument` on the document as it would be saved.
:meth:`InstrumentDraft.advice` adds guidance on wording and fielding for students
(double-barrelled and leading questions, scales without a neutral point, surveys that
are too long or sent too often), in Dutch or English.

Examples
--------
>>> draft = InstrumentDraft.new("service-check")
>>> draft.add_block("b1", {"nl": "Uw oordeel", "en": "Your opinion"})
>>> draft.add_from_bank("nps", "b1")
>>> draft.add_question("b1", "why", "text", {"nl": "Waarom?", "en": "Why?"})
>>> draft.set_logic("why", draft.condition("nps", "<=", 6))
>>> draft.questions(), draft.question("why")["relevant"]
(['nps', 'why'], '${nps} <= 6')
>>> draft.add_question("b1", "nps", "text", "Why?")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cxresearch._draft.DraftError: cannot add question 'nps' to block 'b1': id 'nps' is used twice; ...
>>> [a.code for a in draft.advice()]
['placeholder_purpose']
"""

from __future__ import annotations

import copy
import datetime
import difflib
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence, TypeVar

from .._draft import DraftError, YamlDraft, dump_yaml
from .._yaml import YMap, YNode, YSeq, describe_node, parse_yaml, read_source
from ..errors import Code, InstrumentError, Problem, Severity
from . import itembank, logic
from ._advice import _ADVICE, MOST_AFTER_CONTACT, PLACEHOLDER_PURPOSE, Advice, _advise
from .model import CHOICE_TYPES, Instrument, Question, Text
from .validate import validate_instrument
from .yamlio import _COMMON_Q, _TYPE_KEYS, loads_instrument
from .yamlio import _load as _load_text

if TYPE_CHECKING:
    from ..journey import Journey

__all__ = ["MOST_AFTER_CONTACT", "PLACEHOLDER_PURPOSE", "Advice", "InstrumentDraft"]

TextLike = Mapping[str, str] | str | None
"""A text per language; a plain string goes into the instrument's first language."""
_T = TypeVar("_T")

_INCOMPLETE = {Code.MISSING_TRANSLATION, Code.MISSING_FIELD}
"""Errors an edit may leave (text not written yet, a block without questions yet)."""
_TEXT_KEYS = {"label", "hint", "required_message", "constraint_message", "interviewer_note",
              "unit", "subject", "title", "intro", "purpose", "description"}
_LOGIC_KEYS = ("relevant", "constraint")
_OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "selected", "not selected")
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_REF = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")


class InstrumentDraft(YamlDraft):
    """An instrument YAML file being edited: requests, checks, advice, previews, exports.

    Open a file with :meth:`open` or start one with :meth:`new`. ``data`` is the document
    as plain data (the keys of ``docs/instrument-format.md``); change it only through the
    methods here (each is one undo step, autosaved beside the file), never by hand.

    Values are read as written (``no`` stays the text ``no``, ``1.10`` stays ``1.10``), as
    the instrument reader does. Comments in the file are **not kept**: saving writes the
    document anew, with a one-line header comment. Saving to another folder rewrites a
    relative ``journey:`` path so that it still points at the same journey file.
    """

    def __init__(self, data: dict[str, Any], path: str | Path | None = None) -> None:
        super().__init__(data, path)
        self._cache: dict[tuple[str, str, str, str],
                          tuple[Instrument | None, list[Problem]]] = {}
        self._saving_base: Path | None = None
        self._journey: tuple[tuple[str, int], Journey | None] | None = None

    # -- opening ----------------------------------------------------------------------
    @classmethod
    def new(cls, id: str, audience: str = "customer", *, kind: str = "survey",
            languages: Sequence[str] = ("nl", "en"), title: TextLike = None,
            journey: str | Path | None = None,
            path: str | Path | None = None) -> InstrumentDraft:
        """A new instrument: the required keys, a placeholder purpose and no blocks yet.

        ``title`` defaults to the id in every language; ``journey`` is the journey file
        relative to ``path``. The purpose is :data:`PLACEHOLDER_PURPOSE` (``advice()``
        reminds you to write the real one). It cannot be saved before it has a question.
        """
        if path is not None and Path(path).exists():
            raise DraftError(f"{path} already exists: open it with "
                             f"InstrumentDraft.open({str(path)!r}), or pick another name")
        langs = list(languages)
        doc: dict[str, Any] = {"format": "cxresearch-instrument/1", "kind": kind, "id": id,
                               "version": "0.1", "title": {}, "audience": audience,
                               "languages": langs}
        draft = cls(doc, path)
        doc["title"] = {lang: id for lang in langs} if title is None else draft._text(title)
        doc["purpose"] = {lang: PLACEHOLDER_PURPOSE.get(lang, PLACEHOLDER_PURPOSE["en"])
                          for lang in langs}
        if journey is not None:
            doc["journey"] = Path(journey).as_posix()
        doc["blocks"] = []
        wrong = draft._wrong(doc, set())
        if wrong:
            raise DraftError(draft._refusal(f"cannot start instrument '{id}'", wrong),
                             where=wrong[0].question_id, problems=wrong)
        return draft

    @classmethod
    def open(cls, path: str | Path) -> InstrumentDraft:
        """The instrument in ``path``; :attr:`recovered_draft` is set when an autosaved
        draft newer than the file exists (continue from it with :meth:`restore_draft`)."""
        return cls(cls.read_document(path), path)

    @staticmethod
    def read_document(path: str | Path) -> dict[str, Any]:
        """The instrument file (or a draft of it) as plain data, read as the instrument
        reader reads it: values as written (``no`` stays text, ``1.10`` stays ``1.10``,
        where :meth:`YamlDraft.read_document` would give ``False`` and ``1.1``), a key
        given twice refused (PyYAML keeps the last one silently)."""
        try:
            source = read_source(path)
            root = parse_yaml(source.text, source.name)
        except InstrumentError as exc:
            first = exc.problems[0]
            raise DraftError(f"cannot open {path}: {first}\nfix the file in a text editor, "
                             "then open it again", where=first.question_id,
                             problems=exc.problems) from None
        if not isinstance(root, YMap):
            raise DraftError(f"cannot open {path}: an instrument file holds a mapping "
                             f"('kind: ...', 'id: ...', 'blocks: ...'); this one holds "
                             f"{describe_node(root)}")
        document: dict[str, Any] = _plain(root)
        return document

    def to_yaml(self) -> str:
        """The document as saved: a header comment like :func:`dump_instrument`'s, then
        the keys in their order."""
        return _saved_text(self.data)

    # -- reading the document ---------------------------------------------------------
    def _name(self) -> str:
        return str(self.path) if self.path is not None else "<new instrument>"

    def _base(self) -> Path | None:
        if self._saving_base is not None:
            return self._saving_base
        return self.path.parent if self.path is not None else None

    def _read(self, data: dict[str, Any], mode: str = "model"
              ) -> tuple[Instrument | None, list[Problem]]:
        """Read ``data`` as saved: ``"model"`` reader only, ``"file"`` as a file is checked
        (content only when the reader found no errors), ``"all"`` reader and content
        always. Cached by text, so asking again is cheap."""
        text = _saved_text(data)  # so that lines are those of the file as saved
        key = (text, self._name(), str(self._base()), mode)
        if key not in self._cache:
            if len(self._cache) > 12:
                self._cache.clear()
            try:
                inst, found = _load_text(text, self._name(), self._base(), mode == "file")
            except InstrumentError as exc:
                inst, found = None, list(exc.problems)
            if mode == "all" and inst is not None:
                found = found + validate_instrument(inst, base_dir=self._base())
            self._cache[key] = inst, found
        return self._cache[key]

    def _model(self) -> Instrument:
        inst, problems = self._read(self.data)
        if inst is None:
            raise DraftError(f"the document cannot be read as an instrument: {problems[0]}",
                             problems=problems)
        return inst

    def _wrong(self, data: dict[str, Any], before: set[tuple[Any, ...]]) -> list[Problem]:
        """Errors of ``data`` that are not about unfinished work and not in ``before``."""
        return [p for p in self._read(data, "all")[1] if p.severity is Severity.ERROR
                and p.code not in _INCOMPLETE and _key(p) not in before]

    @staticmethod
    def _refusal(action: str, problems: Sequence[Problem], fix: str | None = None) -> str:
        first = problems[0]  # its line is one of the text as saved: not shown here
        text = f"{action}: {re.sub(r' [(]first on line [0-9]+[)]', '', first.message)}"
        if first.allowed and not fix:
            text += f"; allowed: {first.allowed}"
        if fix or first.fix:
            text += f"; {fix or first.fix}"
        if len(problems) > 1:
            text += f" (and {len(problems) - 1} more problem(s))"
        return text + "; nothing was changed"

    def _edit(self, action: str, edit: Callable[[dict[str, Any]], _T],
              fix: str | None = None) -> _T:
        """One undo step: apply ``edit``, refuse it when it makes the instrument wrong."""
        before = {_key(p) for p in self._read(self.data, "all")[1]}

        def checked(doc: dict[str, Any]) -> _T:
            result = edit(doc)
            wrong = self._wrong(doc, before) if doc != self.data else []  # no-op: no step
            if wrong:
                raise DraftError(self._refusal(action, wrong, fix),
                                 where=wrong[0].question_id, problems=wrong)
            return result

        result: _T = self.change(checked)
        return result

    def _languages(self, doc: Mapping[str, Any] | None = None) -> list[str]:
        langs = (self.data if doc is None else doc).get("languages")
        return [str(x) for x in langs] if isinstance(langs, list) else []

    def _text(self, value: TextLike) -> Text:
        """A text per declared language ('' where not given)."""
        langs = self._languages()
        if value is None or isinstance(value, str):
            words = value or ""
            return {lang: words if i == 0 else "" for i, lang in enumerate(langs)}
        text = {lang: "" for lang in langs}
        text.update({str(k): "" if v is None else str(v) for k, v in value.items()})
        return text

    # -- queries ----------------------------------------------------------------------
    def blocks(self) -> list[str]:
        """The block ids, in order."""
        return [str(b.get("id")) for b in _blocks(self.data)]

    def questions(self, block: str | None = None) -> list[str]:
        """The question ids, in order (of one block, or of all)."""
        blocks = [self._block(self.data, block)] if block is not None else _blocks(self.data)
        return [_qid(q) for b in blocks for q in _entries(b)]

    def question(self, qid: str) -> dict[str, Any]:
        """A copy of question ``qid`` as written (change it through the edit methods)."""
        block, i = self._locate(self.data, qid)
        return copy.deepcopy(_entries(block)[i])

    def block_of(self, qid: str) -> str:
        """The id of the block question ``qid`` is in."""
        return str(self._locate(self.data, qid)[0].get("id"))

    def _block(self, doc: dict[str, Any], bid: str) -> dict[str, Any]:
        for b in _blocks(doc):
            if str(b.get("id")) == bid:
                return b
        known = [str(b.get("id")) for b in _blocks(doc)]
        raise DraftError(f"no block '{bid}' in this instrument; {_hint(bid, known)}",
                         where=bid)

    def _locate(self, doc: dict[str, Any], qid: str) -> tuple[dict[str, Any], int]:
        for b in _blocks(doc):
            for i, q in enumerate(_entries(b)):
                if _qid(q) == qid:
                    return b, i
        known = [_qid(q) for b in _blocks(doc) for q in _entries(b)]
        raise DraftError(f"no question '{qid}' in this instrument; {_hint(qid, known)}",
                         where=qid)

    def _owner(self, doc: dict[str, Any], ident: str | None) -> dict[str, Any]:
        """The mapping that holds the keys of ``ident``: question, block or (None) the top."""
        if ident is None:
            return doc
        questions = [_qid(q) for b in _blocks(doc) for q in _entries(b)]
        if ident in [str(b.get("id")) for b in _blocks(doc)] and ident not in questions:
            return self._block(doc, ident)
        block, i = self._locate(doc, ident)
        return _entries(block)[i]

    # -- the journey ------------------------------------------------------------------
    def journey(self) -> Journey | None:
        """The journey the instrument links to (``journey:``, else ``../journey.yaml``
        as the reader finds it); ``None`` when there is none or it cannot be read (then
        :meth:`problems` says why)."""
        from ..journey import load_journey

        inst, _ = self._read(self.data)
        if inst is None or not inst.journey:
            return None
        path = Path(inst.journey)
        base = self._base()
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            return None
        key = (str(path.resolve()), path.stat().st_mtime_ns)
        if self._journey is None or self._journey[0] != key:
            try:
                self._journey = key, load_journey(path)
            except InstrumentError:
                self._journey = key, None
        return self._journey[1]

    def _lang(self, lang: str | None) -> str | None:
        return lang or self.data.get("default_language") or next(iter(self._languages()), None)

    def stages(self, lang: str | None = None) -> list[tuple[str, str]]:
        """(id, name) of the journey's stages in ``lang``; empty without a journey."""
        journey = self.journey()
        if journey is None:
            return []
        return [(s.id, journey.label(s, self._lang(lang))) for s in journey.stages]

    def touchpoints(self, stage: str | None = None,
                    lang: str | None = None) -> list[tuple[str, str]]:
        """(id, name) of the journey's touchpoints (of one stage) in ``lang``."""
        journey = self.journey()
        if journey is None:
            return []
        if stage is None:
            points = journey.touchpoints()
        elif stage in journey.stage_ids():
            points = journey.stage(stage).touchpoints
        else:
            raise DraftError(f"no stage '{stage}' in the journey; "
                             f"{_hint(stage, journey.stage_ids())}", where=stage)
        return [(tp.id, journey.label(tp, self._lang(lang))) for tp in points]

    # -- edits: blocks ----------------------------------------------------------------
    def add_block(self, bid: str, title: TextLike, *, stage: str | None = None,
                  touchpoint: str | None = None, position: int | None = None) -> None:
        """Add an empty block (at ``position`` among the blocks; default last)."""
        entry: dict[str, Any] = {"id": bid, "title": self._text(title)}
        entry.update({k: v for k, v in (("stage", stage), ("touchpoint", touchpoint)) if v})
        entry["questions"] = []

        def edit(doc: dict[str, Any]) -> None:
            if not isinstance(doc.get("blocks"), list):
                doc["blocks"] = []
            _insert(doc["blocks"], position, entry)

        self._edit(f"cannot add block '{bid}'", edit)

    def link(self, block: str, *, stage: str | None = None,
             touchpoint: str | None = None) -> None:
        """Tie ``block`` to a journey stage and/or touchpoint (``None`` removes the link);
        checked against the journey when there is one."""

        def edit(doc: dict[str, Any]) -> None:
            entry = self._block(doc, block)
            for key, value in (("stage", stage), ("touchpoint", touchpoint)):
                _put(entry, key, value)

        self._edit(f"cannot link block '{block}'", edit)

    def move_block(self, bid: str, offset: int) -> int:
        """Move a block ``offset`` places (negative: up), stopping at either end; returns
        its new position."""
        i = _index(self.data["blocks"], self._block(self.data, bid))
        j = min(max(i + offset, 0), len(self.data["blocks"]) - 1)
        if j != i:
            self._edit(f"cannot move block '{bid}'", lambda doc: _shift(doc["blocks"], i, j))
        return j

    def delete_block(self, bid: str) -> None:
        """Remove a block and its questions (undo brings them back)."""
        self._block(self.data, bid)
        self._edit(f"cannot delete block '{bid}'",
                   lambda doc: doc["blocks"].pop(_index(doc["blocks"], self._block(doc, bid))),
                   fix="change the logic or texts that refer to its questions first, then "
                   "delete the block")

    # -- edits: questions -------------------------------------------------------------
    def add_from_bank(self, item: str, block: str, *, qid: str | None = None,
                      subject: TextLike = None, position: int | None = None) -> None:
        """Add the item bank's ``item`` (``use: item``) to ``block``; ``qid`` defaults to
        the item's name, ``subject`` fills ``{subject}`` in its wording."""
        try:
            found = itembank.get_item(item)
        except KeyError:
            raise DraftError(f"no item '{item}' in the item bank; "
                             f"{_hint(item, itembank.item_names())}", where=qid) from None
        if found.needs_subject and not subject:
            raise DraftError(f"item '{item}' needs a subject to fill '{{subject}}' in its "
                             f"wording: pass subject={{'nl': ..., 'en': ...}}, usually the "
                             "touchpoint (e.g. 'het telefoongesprek' / 'the phone call')",
                             where=qid or item)
        entry: dict[str, Any] = {"id": qid or item, "use": item}
        if subject:
            entry["subject"] = self._text(subject)
        self._add(block, entry, position)

    def add_question(self, block: str, qid: str, type: str, label: TextLike, *,
                     choices: str | Sequence[Any] | None = None,
                     scale: str | Mapping[str, Any] | None = None, required: bool = False,
                     position: int | None = None) -> None:
        """Add a question of your own to ``block``.

        ``choices``: the name of a list under ``choice_lists``, or the choices as
        ``(value, label)`` pairs or ``{"value": ..., "label": ...}`` mappings. ``scale``: a
        scale name (``agree5``) or ``{"labels": [...], "points": ..., "start": ...}``.
        An empty label is kept (and reported by :meth:`problems`).
        """
        entry: dict[str, Any] = {"id": qid, "type": type, "label": self._text(label)}
        if required:
            entry["required"] = True
        if choices is not None:
            entry["choices"] = self._choices(choices)
        if scale is not None:
            entry["scale"] = self._scale(scale)
        self._add(block, entry, position)

    def _add(self, block: str, entry: dict[str, Any], position: int | None) -> None:
        self._block(self.data, block)
        self._edit(f"cannot add question '{entry['id']}' to block '{block}'",
                   lambda doc: _insert(_entries(self._block(doc, block), True), position, entry))

    def _choices(self, choices: str | Sequence[Any]) -> str | list[dict[str, Any]]:
        if isinstance(choices, str):
            return choices
        out = []
        for c in choices:
            if isinstance(c, Mapping) and "value" in c:
                out.append({"value": c["value"], "label": self._text(c.get("label"))})
            elif isinstance(c, (tuple, list)) and len(c) == 2:
                out.append({"value": c[0], "label": self._text(c[1])})
            else:
                raise DraftError(f"a choice must be (value, label) or {{'value': ..., "
                                 f"'label': ...}}; got {c!r}")
        return out

    def _scale(self, scale: str | Mapping[str, Any]) -> str | dict[str, Any]:
        if isinstance(scale, str):
            return scale
        if not isinstance(scale, Mapping) or not isinstance(scale.get("labels"), Sequence):
            raise DraftError(f"a scale is a name (e.g. 'agree5') or {{'labels': [...]}} with "
                             f"one label per point; got {scale!r}")
        out = {k: scale[k] for k in ("points", "start") if k in scale}
        out["labels"] = [self._text(lab) for lab in scale["labels"]]
        return out

    def set_field(self, qid: str | None, key: str, value: Any) -> None:
        """Set ``key`` of a question, a block or (``qid=None``) the instrument itself;
        ``None`` removes it. A text given as a string goes into the first language;
        ``id`` renames (:meth:`rename`), ``relevant``/``constraint`` go to
        :meth:`set_logic`."""
        if key == "id" and qid is not None:
            self.rename(qid, str(value))
        elif key in _LOGIC_KEYS and qid is not None:
            self.set_logic(qid, value or "", key)
        else:
            self.set_fields(qid, {key: value})

    def set_fields(self, qid: str | None, values: Mapping[str, Any]) -> None:
        """Set several keys in one step, e.g. ``{"type": "likert", "scale": "agree5"}``.
        Changing ``type`` drops the keys only the old type takes (undo brings them back).
        """
        for key in values:
            if key in ("blocks", "questions") or (key == "id" and qid is not None):
                raise DraftError(f"'{key}' cannot be set like this: use rename, add_block, "
                                 "add_question, move, delete and the other edits", where=qid)
        values = {k: self._text(v) if k in _TEXT_KEYS and isinstance(v, str) else v
                  for k, v in values.items()}

        def edit(doc: dict[str, Any]) -> None:
            owner = self._owner(doc, qid)
            new_type = values.get("type")
            if qid is not None and new_type in _TYPE_KEYS:
                old = _TYPE_KEYS.get(str(owner.get("type")), set())
                for gone in old - _TYPE_KEYS[new_type] - _COMMON_Q:
                    owner.pop(gone, None)
            for key, value in values.items():
                _put(owner, key, copy.deepcopy(value))

        keys = ", ".join(f"'{k}'" for k in values)
        self._edit(f"cannot set {keys} of '{qid or 'the instrument'}'", edit)

    def set_text(self, qid: str | None, key: str, lang: str, text: str) -> None:
        """Set the ``lang`` text of ``key`` (label, hint, title, purpose, ...) of a question,
        a block or (``qid=None``) the instrument. For an item bank question the bank's
        wording in the other languages is kept."""
        langs = self._languages()
        if lang not in langs:
            raise DraftError(f"'{lang}' is not a language of this instrument (languages: "
                             f"{', '.join(langs)}); add it to 'languages' first", where=qid)
        seed = self._current_text(qid, key)

        def edit(doc: dict[str, Any]) -> None:
            owner = self._owner(doc, qid)
            current = owner.get(key)
            words = dict(current) if isinstance(current, dict) else dict(seed)
            words[lang] = text
            _put(owner, key, words)

        self._edit(f"cannot set the {lang} {key} of '{qid or 'the instrument'}'", edit)

    def _current_text(self, qid: str | None, key: str) -> Text:
        """The text ``key`` of ``qid`` has now, also where the item bank gives it."""
        current = self._owner(self.data, qid).get(key)
        if isinstance(current, dict):
            return {str(k): str(v) for k, v in current.items()}
        if isinstance(current, str):
            return self._text(current)
        if qid is None or qid not in self.questions():
            return {}
        q = self._model().question(qid)
        if key == "subject" and q.item:
            return dict(itembank.get_item(q.item).subject)
        value = getattr(q, key, None)
        return dict(value) if isinstance(value, dict) else {}

    def move(self, qid: str, offset: int) -> int:
        """Move a question ``offset`` places within its block (negative: up), stopping at
        either end; returns its new position."""
        block, i = self._locate(self.data, qid)
        j = min(max(i + offset, 0), len(_entries(block)) - 1)
        if j != i:
            self._edit(f"cannot move '{qid}'",
                       lambda doc: _shift(_entries(self._locate(doc, qid)[0]), i, j))
        return j

    def duplicate(self, qid: str, new_id: str) -> None:
        """Copy question ``qid`` as ``new_id``, right after it (matrix rows get new ids)."""

        def edit(doc: dict[str, Any]) -> None:
            block, i = self._locate(doc, qid)
            entry = copy.deepcopy(_entries(block)[i])
            entry["id"] = new_id
            for row in entry.get("items") or []:
                rid = str(row.get("id", "")) if isinstance(row, dict) else "{id}"
                if "{id}" not in rid:
                    row["id"] = new_id + rid[len(qid):] if rid.startswith(qid) \
                        else f"{new_id}_{rid}"
            _entries(block).insert(i + 1, entry)

        self._edit(f"cannot duplicate '{qid}' as '{new_id}'", edit)

    def rename(self, qid: str, new_id: str) -> None:
        """Give a question or block a new id; logic and texts that refer to its answers
        (``${old}``, also matrix rows made from ``{id}``) follow."""
        self._owner(self.data, qid)  # a question or a block; else the known ids are named
        is_block = qid not in self.questions()
        old_fields = [] if is_block else [qid, *self._model().question(qid).field_ids()]

        def edit(doc: dict[str, Any]) -> None:
            self._owner(doc, qid)["id"] = new_id
            if is_block:
                return
            inst, _ = self._read(doc)
            new_fields = [new_id]
            if inst is not None and new_id in [q.id for q in inst.questions()]:
                new_fields += inst.question(new_id).field_ids()
            mapping = dict(zip(old_fields, new_fields)) if \
                len(old_fields) == len(new_fields) else {qid: new_id}
            _rewrite_refs(doc, {k: v for k, v in mapping.items() if k != v})

        self._edit(f"cannot rename '{qid}' to '{new_id}'", edit)

    def delete(self, qid: str) -> None:
        """Remove a question (undo brings it back). Refused while logic refers to it."""
        self._locate(self.data, qid)

        def edit(doc: dict[str, Any]) -> None:
            block, i = self._locate(doc, qid)
            _entries(block).pop(i)

        self._edit(f"cannot delete '{qid}'", edit, fix="change the logic or texts that refer "
                   f"to it first (set_logic(..., '') clears logic), then delete '{qid}'")

    # -- logic ------------------------------------------------------------------------
    def set_logic(self, qid: str, text: str, key: str = "relevant") -> None:
        """Set the ``relevant`` (skip logic; also of a block) or ``constraint`` of ``qid``;
        an empty text removes it. Checked as a file is: syntax (with the column), ids
        that do not exist, questions that come later, values a question cannot have."""
        if key not in _LOGIC_KEYS:
            raise DraftError(f"key must be 'relevant' or 'constraint'; got {key!r}", where=qid)
        text = (text or "").strip()
        if text:
            try:
                logic.parse(text)
            except logic.LogicError as exc:
                raise DraftError(f"the {key} of '{qid}' is not valid logic: {exc.message}",
                                 where=qid) from None

        def edit(doc: dict[str, Any]) -> None:
            _put(self._owner(doc, qid), key, text or None)

        self._edit(f"cannot set the {key} of '{qid}' to '{text}'", edit)

    def condition(self, question: str, operator: str, value: str | int | float) -> str:
        """The logic text that tests an answer, e.g. ``${nps} <= 6`` or
        ``selected(${channel}, 'phone')``, with the value checked against the question's
        choices or scale. Pass it to :meth:`set_logic`.

        ``operator``: ``= != < <= > >=``, and ``selected`` / ``not selected`` for choice
        questions.
        """
        inst = self._model()
        try:
            q = inst.question(question)
        except KeyError:
            raise DraftError(f"no answer '{question}' to test; "
                             f"{_hint(question, inst.field_ids())}", where=question) from None
        op = "=" if operator.strip() == "==" else " ".join(operator.split())
        if op not in _OPERATORS:
            raise DraftError(f"unknown operator {operator!r}; allowed: {', '.join(_OPERATORS)}",
                             where=question)
        what, values, ops = _answer_kind(inst, q, question)
        if op not in ops:
            raise DraftError(f"'{question}' is {what}: it can be tested with "
                             f"{', '.join(ops)}, not '{op}'", where=question)
        ref: logic.Expr = logic.Ref(question)
        lit = _literal(question, what, value, values, q)
        if op in ("selected", "not selected"):
            call = logic.Call("selected", (ref, lit))
            return logic.to_xlsform(call if op == "selected" else logic.Call("not", (call,)))
        return logic.to_xlsform(logic.BinOp(op, ref, lit))

    # -- checking ---------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        """Every problem of the document as saved, exactly as the file would be checked
        (with code, line and question id); errors first."""
        return _ordered(self._read(self.data, "file")[1])

    def problems_for(self, qid: str) -> list[Problem]:
        """The problems about question (or block) ``qid``, its matrix rows included."""
        ids = {qid}
        inst, _ = self._read(self.data)
        if inst is not None and qid in inst.field_ids() + [q.id for q in inst.questions()]:
            ids.update(inst.question(qid).field_ids())
        return [p for p in self.problems() if p.question_id in ids]

    def advice(self, lang: str = "en") -> list[Advice]:
        """Guidance on wording and fielding (not errors), in ``lang`` (nl or en)."""
        if lang not in _ADVICE["leading"]:
            raise DraftError(f"advice is written in nl and en; got lang={lang!r}")
        inst, _ = self._read(self.data)
        if inst is None:
            return []
        entries = [q for b in _blocks(self.data) for q in _entries(b) if isinstance(q, dict)]
        # the item bank's standard wording is not second-guessed; what you wrote is
        own = {_qid(q): {k for k in ("label", "items") if k in q or "use" not in q}
               for q in entries}
        return _advise(inst, own, lang)

    # -- output -----------------------------------------------------------------------
    def to_instrument(self) -> Instrument:
        """The instrument model of the document; :class:`DraftError` listing the problems
        while it has errors."""
        try:
            return loads_instrument(self.to_yaml(), name=self._name(), base_dir=self._base())
        except InstrumentError as exc:
            errors = [p for p in exc.problems if p.severity is Severity.ERROR]
            raise DraftError(f"the instrument has {len(errors)} error(s) to fix first; the "
                             f"first: {errors[0]}", where=errors[0].question_id,
                             problems=exc.problems) from None

    def preview_html(self, lang: str | None = None, *, standalone: bool = True) -> str:
        """The printable questionnaire in ``lang`` (HTML, as ``--to html`` writes it), also
        while texts are unfinished (missing ones show in the default language)."""
        from .render import to_html

        if lang is not None and lang not in self._languages():
            raise DraftError(f"'{lang}' is not a language of this instrument (languages: "
                             f"{', '.join(self._languages())})")
        return to_html(self._model(), lang, standalone=standalone)

    def export(self, to: str, out: str | Path, *, lang: str | None = None) -> Path:
        """Write the instrument as ``xlsform``, ``limesurvey``, ``html`` (or ``markdown``,
        ``yaml``) to ``out``; XLSForm is converted with pyxform first and not written
        when pyxform rejects it. Returns the file written; :class:`DraftError` with the
        problems otherwise."""
        from .io import export_instrument

        inst = self.to_instrument()
        try:
            return export_instrument(inst, to, out, lang=lang, check=to == "xlsform")
        except InstrumentError as exc:
            raise DraftError(f"not exported to {to}: {exc.problems[0]}",
                             where=exc.problems[0].question_id, problems=exc.problems) from None

    def save(self, path: str | Path | None = None, *, force: bool = False) -> Path:
        """Save as :meth:`YamlDraft.save` does (refusing errors and files changed on disk);
        saved elsewhere, a relative ``journey:`` is rewritten to point at the same file."""
        target = Path(path) if path is not None else self.path
        ref = self.data.get("journey")
        if target is None or self.path is None or not isinstance(ref, str) \
                or Path(ref).is_absolute() or not (self.path.parent / ref).exists():
            return super().save(path, force=force)
        moved = Path(os.path.relpath((self.path.parent / ref).resolve(),
                                     target.resolve().parent)).as_posix()
        kept, self.data = self.data, {**self.data, "journey": moved}
        self._saving_base = target.parent
        try:
            return super().save(path, force=force)
        except DraftError:
            self.data = kept
            raise
        finally:
            self._saving_base = None


# ------------------------------------------------------------------------------ helpers

def _plain(node: YNode) -> Any:
    """Plain data from position-keeping nodes, scalars read as written: only ``true`` and
    ``false`` are booleans, and numbers only when writing them back gives the same text."""
    if isinstance(node, YMap):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, YSeq):
        return [_plain(v) for v in node]
    if node.quoted:
        return node.raw
    if node.is_null:
        return None
    tag, raw = node.tag.rsplit(":", 1)[-1], node.raw
    if tag == "bool" and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if tag == "int" and _INT.fullmatch(raw):
        return int(raw)
    if tag == "float":
        try:
            number = float(raw)
        except ValueError:
            return raw
        return number if repr(number) == raw else raw
    return raw


def _saved_text(data: Mapping[str, Any]) -> str:
    kind = str(data.get("kind") or "instrument").replace("_", " ")
    return dump_yaml(data, f"# {kind} '{data.get('id', '')}', written by the cxresearch "
                     "designer\n")


def _key(p: Problem) -> tuple[Any, ...]:
    """What makes a problem the same one after an edit moved lines around."""
    return p.code, p.question_id, re.sub(r"\bline \d+", "line", p.message)


def _ordered(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.severity is not Severity.ERROR, p.line or 0,
                                           p.column or 0))


def _hint(word: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    head = f"did you mean '{close[0]}'? " if close else ""
    return head + f"known: {', '.join(known) or 'none yet'}"


def _blocks(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    blocks = doc.get("blocks")
    return [b for b in blocks if isinstance(b, dict)] if isinstance(blocks, list) else []


def _entries(block: dict[str, Any], create: bool = False) -> list[Any]:
    """The block's list of questions (made, with ``create``, when it has none)."""
    if not isinstance(block.get("questions"), list):
        if not create:
            return []
        block["questions"] = []
    entries: list[Any] = block["questions"]
    return entries


def _qid(entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    return str(entry.get("id") if entry.get("id") is not None else entry.get("use") or "")


def _insert(items: list[Any], position: int | None, entry: Any) -> None:
    if position is not None and not isinstance(position, int):
        raise DraftError(f"position must be a whole number or None; got {position!r}")
    items.insert(len(items) if position is None else position, entry)


def _index(items: list[Any], item: Any) -> int:
    return next(i for i, x in enumerate(items) if x is item)


def _shift(items: list[Any], i: int, j: int) -> None:
    items.insert(j, items.pop(i))


def _put(owner: dict[str, Any], key: str, value: Any) -> None:
    """Set (or, with None, remove) ``key``; a new key goes before the nested list
    (``blocks`` of the instrument, ``questions`` of a block), as files are written."""
    if value is None:
        owner.pop(key, None)
        return
    nested = next((k for k in ("blocks", "questions") if k in owner), None)
    if key in owner or nested is None:
        owner[key] = value
        return
    items = list(owner.items())
    at = [k for k, _ in items].index(nested)
    owner.clear()
    owner.update(items[:at] + [(key, value)] + items[at:])


def _rewrite_refs(data: Any, mapping: Mapping[str, str]) -> Any:
    """``${old}`` becomes ``${new}`` in every text of ``data`` (in place)."""
    if not mapping:
        return data
    if isinstance(data, dict):
        for k, v in data.items():
            data[k] = _rewrite_refs(v, mapping)
    elif isinstance(data, list):
        data[:] = [_rewrite_refs(v, mapping) for v in data]
    elif isinstance(data, str) and "${" in data:
        return _REF.sub(lambda m: "${" + mapping.get(m.group(1), m.group(1)) + "}", data)
    return data


def _answer_kind(inst: Instrument, q: Question, field: str
                 ) -> tuple[str, list[str] | None, tuple[str, ...]]:
    """What the answer in ``field`` is, the values it can have, and the operators that
    test it."""
    compare = ("=", "!=", "<", "<=", ">", ">=")
    if q.type == "note":
        raise DraftError(f"'{field}' is a note, which has no answer to test", where=field)
    if (q.other and field == f"{q.id}_other") or q.type == "text":
        return "a text", None, ("=", "!=")
    if q.type == "likert_matrix" and field == q.id:
        rows = ", ".join(item.id for item in q.items)
        raise DraftError(f"'{field}' is a matrix, which has an answer per row; test a row "
                         f"({rows})", where=field)
    if q.type in CHOICE_TYPES:
        values = inst.choice_list(q).values() if q.choices in inst.choice_lists else []
        values += ["other"] if q.other else []
        if q.type == "single_choice":
            return "a single choice", values, ("=", "!=", "selected", "not selected")
        return f"a {q.type.replace('_', ' ')}", values, ("selected", "not selected")
    if q.scale is not None:
        return "a scale answer", [str(v) for v in q.scale.values()], compare
    if q.type == "rating":
        return "a 0-10 rating", [str(v) for v in range(11)], compare
    if q.type == "date":
        return "a date", None, compare
    return "a number", None, compare


def _literal(field: str, what: str, value: str | int | float, values: list[str] | None,
             q: Question) -> logic.Expr:
    """The value as a logic literal, checked against what the answer can be."""
    if what in ("a scale answer", "a 0-10 rating") and values:
        text = str(value).strip()
        if text not in values:
            raise DraftError(f"'{field}' is {what} from {values[0]} to {values[-1]}; "
                             f"got {value!r}", where=field)
        return logic.Literal(int(text))
    if values is not None:
        if str(value) not in values:
            raise DraftError(f"'{field}' cannot have the value {value!r}; "
                             f"{_hint(str(value), values)}", where=field)
        return _text_literal(field, str(value))
    if what == "a date":
        try:
            datetime.date.fromisoformat(str(value))
        except ValueError:
            raise DraftError(f"'{field}' is a date: give it as yyyy-mm-dd, e.g. 2026-01-31; "
                             f"got {value!r}", where=field) from None
        return logic.Call("date", (logic.Literal(str(value)),))
    if what == "a number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise DraftError(f"'{field}' is a number; got {value!r}", where=field)
        low, high = q.min_value, q.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = ", ".join(f"{k} {b:g}" for k, b in (("min", low), ("max", high))
                               if b is not None)
            raise DraftError(f"'{field}' can never be {number:g} ({bounds}); pick a value "
                             "within its bounds", where=field)
        size = abs(number)
        lit = logic.Literal(int(size) if size.is_integer() else size)
        return logic.Neg(lit) if number < 0 else lit
    return _text_literal(field, str(value))


def _text_literal(field: str, value: str) -> logic.Literal:
    if "'" in value and '"' in value:
        raise DraftError(f"the value for '{field}' holds both ' and \", which logic cannot "
                         "write; leave one of them out", where=field)
    return logic.Literal(value)
