"""Editing ``journey.yaml`` step by step: the plain layer under the journey designer.

:class:`JourneyDraft` holds a journey file as plain data (the dicts and lists the file
holds) and changes it one request at a time: add, rename, move and delete stages and
touchpoints, fill in the customer and employee lanes, mark the moments of truth. Each
request is one undo step and is autosaved beside the file (see
:class:`cxresearch._draft.YamlDraft`); a request that cannot be done raises
:class:`DraftError` naming the id, what is allowed and how to fix it, and leaves the
document as it was. What can only be judged on the whole journey (a missing translation,
a stage without touchpoints, no stages at all) is allowed while editing and reported by
:meth:`JourneyDraft.problems`, exactly as ``validate_journey`` reports it for the saved
file; :meth:`JourneyDraft.save` refuses while there are errors.

Texts are given per language (``{"nl": "Betaling", "en": "Payout"}``); a plain string is
accepted only in a journey with one language. An empty text removes that language.

Examples
--------
>>> draft = JourneyDraft.new("webshop", {"nl": "Klantreis", "en": "Customer journey"})
>>> draft.stages()
['orientation', 'purchase_decision', 'use', 'evaluation', 'retention']
>>> draft.add_touchpoint("use", "service_call", {"nl": "Klantenservice", "en": "Service"},
...                      channel="phone", moment_of_truth=True)
>>> draft.set_customer("service_call", "valence", -1)
>>> draft.to_journey().touchpoint("service_call").customer.valence
-1
>>> draft.set_field("service_call", "channel", "fone")
Traceback (most recent call last):
...
cxresearch._draft.DraftError: unknown channel 'fone' for touchpoint 'service_call'; \
allowed: online, phone, email, chat, app, letter, visit, in_person, other; did you mean 'phone'?
>>> [p.code.value for p in draft.problems()][:1]  # four stages without touchpoints
['CX300']
>>> draft.undo(), draft.touchpoint("service_call").get("customer")
(True, None)
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, Self

from .._draft import ConflictError, DraftError, YamlDraft
from .._yaml import YMap, YNode, YSeq, describe_node, parse_yaml, read_source
from ..errors import InstrumentError, Problem, Severity
from ._read import (
    _CUSTOMER_KEYS, _EMPLOYEE_KEYS, _FALSE, _INTEGER, _LANG, _STAGE_KEYS, _TEAM, _TOP_KEYS,
    _TOUCHPOINT_KEYS, _TRUE, _VALENCES, _closest,
)
from .model import CHANNELS, DEFAULT_STAGES, NEEDS, VALENCE_RANGE, Journey, loads_journey

__all__ = ["ID_PATTERN", "ConflictError", "DraftError", "JourneyDraft"]

ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
"""Ids of new stages and touchpoints: the rule of question ids, since instruments and
data columns are named after them (``sat_first_call``)."""

_JOURNEY_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")  # as instrument ids
_ID_RULE = "a letter or _, then letters, digits or _ (at most 64); no spaces, dots or dashes"

TextLike = str | Mapping[str, str]

# what each field holds; see _convert
_FIELDS = {"name": "name", "channel": "channel", "department": "word",
           "moment_of_truth": "flag", "description": "text"}
_LANES: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "customer": ({"does": "text", "thinks": "text", "feels": "text", "valence": "valence",
                  "pain_points": "texts", "opportunities": "texts"}, _CUSTOMER_KEYS),
    "employee": ({"role": "text", "team": "team", "does": "text", "needs": "needs",
                  "systems": "systems", "processes": "texts"}, _EMPLOYEE_KEYS),
}


def _fail(message: str, where: str | None = None) -> NoReturn:
    raise DraftError(message, where=where)


def _hint(word: str, options: Iterable[str]) -> str:
    found = _closest(word, list(options))
    return f"; {found}" if found else ""


# -- the document as plain data ---------------------------------------------------------------
def _plain(node: YNode) -> Any:
    """Nodes to dicts, lists and the raw text of scalars (as the journey reader sees them)."""
    if isinstance(node, YMap):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, YSeq):
        return [_plain(value) for value in node]
    return None if node.is_null else node.raw


def _typed(doc: dict[str, Any]) -> dict[str, Any]:
    """``moment_of_truth`` as a bool and ``valence`` as an int where the text is one."""
    for stage in _stage_nodes(doc):
        for tp in _tp_nodes(stage):
            mot = tp.get("moment_of_truth")
            if isinstance(mot, str) and mot.lower() in _TRUE + _FALSE:
                tp["moment_of_truth"] = mot.lower() in _TRUE
            lane = tp.get("customer")
            if isinstance(lane, dict) and isinstance(lane.get("valence"), str) \
                    and _INTEGER.match(lane["valence"].strip()):
                lane["valence"] = int(lane["valence"])
    return doc


def _ident(node: Any) -> str | None:
    value = node.get("id") if isinstance(node, dict) else None
    return value if isinstance(value, str) and value else None


def _stage_nodes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    stages = doc.get("stages")
    return [s for s in stages if isinstance(s, dict)] if isinstance(stages, list) else []


def _tp_nodes(stage: dict[str, Any]) -> list[dict[str, Any]]:
    tps = stage.get("touchpoints")
    return [t for t in tps if isinstance(t, dict)] if isinstance(tps, list) else []


def _languages(doc: dict[str, Any]) -> list[str]:
    langs = doc.get("languages")
    return [x for x in langs if isinstance(x, str)] if isinstance(langs, list) else []


def _list(parent: dict[str, Any], key: str, what: str) -> list[Any]:
    """``parent[key]`` as a list to change (made when absent)."""
    items = parent.get(key)
    if items is None:
        items = parent[key] = []
    if not isinstance(items, list):
        _fail(f"{what} is not a list in the file; fix it in a text editor (problems() says "
              "where), then open the file again")
    return items


def _put(mapping: dict[str, Any], key: str, value: Any, order: Sequence[str]) -> None:
    """Set ``mapping[key]`` (remove it for ``None``), a new key at its place in ``order``."""
    if value is None:
        mapping.pop(key, None)
        return
    if key in mapping or key not in order:
        mapping[key] = value
        return
    later = set(order[order.index(key) + 1:])
    items = list(mapping.items())
    at = next((i for i, (k, _) in enumerate(items) if k in later), len(items))
    items.insert(at, (key, value))
    mapping.clear()
    mapping.update(items)


def _index(items: list[Any], node: dict[str, Any]) -> int:
    return next(i for i, x in enumerate(items) if x is node)


def _position(position: int | None, size: int, what: str) -> int:
    if position is None:
        return size
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= size:
        _fail(f"position {position!r} for {what} is outside the list; give 0 (first) to "
              f"{size} (last), or None for the end")
    return position


def _move(items: list[Any], node: dict[str, Any], offset: int, what: str, hint: str = "") -> None:
    if isinstance(offset, bool) or not isinstance(offset, int):
        _fail(f"the offset to move {what} by must be a whole number, e.g. -1 (up) or 1 (down)")
    i = _index(items, node)
    j = i + offset
    if not 0 <= j < len(items):
        _fail(f"{what} is number {i + 1} of {len(items)}: it can move by {-i} to "
              f"+{len(items) - 1 - i}, not by {offset:+d}{hint}")
    items.insert(j, items.pop(i))


# -- values ----------------------------------------------------------------------------------
def _example(langs: Sequence[str]) -> str:
    return "{" + ", ".join(f"'{lang}': '...'" for lang in langs or ["en"]) + "}"


def _text(value: Any, langs: Sequence[str], what: str, where: str | None) -> dict[str, str]:
    """A text per language, in the journey's order, without empty texts."""
    if value is None:
        return {}
    if isinstance(value, str):
        if len(langs) != 1:
            _fail(f"{what}: give the text per language, e.g. {_example(langs)}; a plain text "
                  "is only allowed in a journey with one language", where)
        value = {langs[0]: value}
    if not isinstance(value, Mapping):
        _fail(f"{what} must be a text per language, e.g. {_example(langs)}; got "
              f"{type(value).__name__}", where)
    out: dict[str, str] = {}
    for lang, text in value.items():
        known = lang in langs if langs else isinstance(lang, str) and bool(_LANG.match(lang))
        if not known:
            _fail(f"{what} has a text in '{lang}', which is not one of the journey's languages "
                  f"({', '.join(langs)}); correct the language code, or add the language "
                  "first with set_languages([...])", where)
        if text is not None and not isinstance(text, str):
            _fail(f"the {lang} text of {what} must be a string; got {type(text).__name__}",
                  where)
        if text and text.strip():
            out[lang] = text.strip()
    return dict(sorted(out.items(), key=lambda kv: langs.index(kv[0]) if kv[0] in langs else 0))


def _convert(kind: str, value: Any, langs: Sequence[str], what: str, where: str) -> Any:
    """``value`` checked for a field of ``kind``; ``None`` removes the field."""
    if kind in ("text", "name"):
        text = _text(value, langs, what, where)
        return text if text or kind == "name" else None
    if kind == "texts":
        if value is None:
            return None
        if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
            _fail(f"{what} must be a list of texts per language, e.g. [{_example(langs)}]",
                  where)
        texts = [t for t in (_text(v, langs, what, where) for v in value) if t]
        return texts or None
    if kind == "flag":
        if not isinstance(value, bool):
            _fail(f"{what} must be True or False; got {value!r}", where)
        return value
    if value is None or value == "":
        return None
    if kind == "valence":
        low, high = VALENCE_RANGE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            _fail(f"{what} must be a whole number from {low} to +{high}; got {value!r}; "
                  f"allowed: {_VALENCES} (None: not known yet)", where)
        return value
    if kind == "needs":
        if not isinstance(value, Mapping):
            _fail(f"{what} must map kinds of need to texts, e.g. {{'information': "
                  f"{_example(langs)}}}; allowed kinds: {', '.join(NEEDS)}", where)
        for need in value:
            if need not in NEEDS:
                _fail(f"unknown kind of need '{need}' for touchpoint '{where}'; allowed: "
                      f"{', '.join(NEEDS)}{_hint(str(need), NEEDS)}", where)
        needs = {n: _text(value[n], langs, f"the need '{n}' of touchpoint '{where}'", where)
                 for n in NEEDS if n in value}
        return {n: t for n, t in needs.items() if t} or None
    if kind == "systems":
        if isinstance(value, str) or not isinstance(value, Iterable) \
                or not all(isinstance(v, str) for v in value):
            _fail(f"{what} must be a list of system names, e.g. ['claims system', "
                  f"'telephony']; got {value!r}", where)
        return [v.strip() for v in value if v.strip()] or None
    if not isinstance(value, str):
        _fail(f"{what} must be a string; got {type(value).__name__}", where)
    value = value.strip()
    if kind == "channel" and value not in CHANNELS:
        _fail(f"unknown channel '{value}' for touchpoint '{where}'; allowed: "
              f"{', '.join(CHANNELS)}{_hint(value, CHANNELS)}", where)
    if kind == "team" and not _TEAM.fullmatch(value):
        _fail(f"{what} must be one team code as the employee survey's 'team' question codes "
              f"it, e.g. 'field_experts'; got {value!r}", where)
    if kind == "word" and "\n" in value:
        _fail(f"{what} must be one line, e.g. 'claims'", where)
    return value


# -- the draft --------------------------------------------------------------------------------
class JourneyDraft(YamlDraft):
    """A ``journey.yaml`` being edited: queries, one-step edits, problems, guarded saves.

    Make one with :meth:`new` or :meth:`open`. The document (:attr:`data`) holds what the
    file holds; every edit is one undo step (:meth:`undo`, :meth:`redo`) and is autosaved
    to ``.journey.draft.yaml`` beside the file, which :meth:`open` offers back after a
    crash (:attr:`recovered_draft`, :meth:`restore_draft`, :meth:`discard_draft`).
    :meth:`save` writes the file atomically, refusing while :meth:`problems` has errors
    and when the file changed on disk since it was opened (:class:`ConflictError`).

    Comments of an opened file are **not** kept: the saved file starts with
    :attr:`header` and then holds the data only (keys in their order, texts as written).
    Scalars are read as the journey reader reads them, as text (``no``, ``12:30`` and
    ``1.10`` stay text), so saving changes no value.
    """

    header = "# Written by cxresearch; the format is described in docs/journey-format.md\n"
    _parsed: tuple[tuple[str, str], Journey | None, list[Problem]] | None = None

    # -- making one -------------------------------------------------------------------------
    @classmethod
    def new(cls, id: str, title: TextLike, *, languages: Sequence[str] = ("nl", "en"),
            stages: Iterable[tuple[str, TextLike] | tuple[str, str, str]] | None = None,
            path: str | Path | None = None) -> Self:
        """A new journey with ``stages`` (each without touchpoints), by default
        :data:`~cxresearch.journey.DEFAULT_STAGES`. A stage is an ``(id, name)`` pair, or
        ``(id, nl, en)`` as in ``DEFAULT_STAGES`` (names in other languages are left
        out). ``path`` is where it will be saved; it must not exist yet."""
        if not isinstance(id, str) or not _JOURNEY_ID.match(id):
            _fail(f"journey id {id!r} is not valid: use a letter, then letters, digits, _ or "
                  "- (e.g. the study folder's name, 'insurer-claims')", "id")
        langs = _check_languages(languages)
        if path is not None and Path(path).exists():
            _fail(f"{path} already exists: open it with JourneyDraft.open({str(path)!r}), or "
                  "pick another path")
        doc: dict[str, Any] = {"id": id, "title": {}, "languages": langs,
                               "audience": "customer", "stages": []}
        doc["title"] = _text(title, langs, "the title of the journey", "title")
        for stage in DEFAULT_STAGES if stages is None else stages:
            if not isinstance(stage, tuple) or len(stage) not in (2, 3):
                _fail(f"a stage is an (id, name) pair, e.g. ('intake', {_example(langs)}); got "
                      f"{stage!r}")
            sid, name = stage[0], stage[1] if len(stage) == 2 else {
                lang: text for lang, text in zip(("nl", "en"), stage[1:]) if lang in langs}
            _check_new_id(doc, sid)
            text = _text(name, langs, f"the name of stage '{sid}'", sid)
            doc["stages"].append({"id": sid, "name": text, "touchpoints": []})
        return cls(doc, path)

    @classmethod
    def open(cls, path: str | Path) -> Self:
        """The journey in ``path``, to edit; :class:`DraftError` when it cannot be read."""
        return cls(cls.read_document(path), path)

    @staticmethod
    def read_document(path: str | Path) -> dict[str, Any]:
        """The journey file (or a draft of it) as plain data, scalars as text as the journey
        reader reads them, ``moment_of_truth`` as bool and ``valence`` as int."""
        try:
            src = read_source(path)
            root = parse_yaml(src.text, src.name)
        except InstrumentError as exc:
            first = exc.problems[0]
            raise DraftError(f"cannot open {path}: {first}", where=first.where(),
                             problems=exc.problems) from None
        if not isinstance(root, YMap):
            raise DraftError(f"cannot open {path}: a journey file holds a mapping ('id: ...', "
                             f"'title: ...', 'stages: ...'); this one holds "
                             f"{describe_node(root)}")
        return _typed(_plain(root))

    # -- queries -----------------------------------------------------------------------------
    def languages(self) -> list[str]:
        """The journey's languages."""
        return _languages(self.data)

    def stages(self) -> list[str]:
        """Ids of the stages, in order."""
        return [sid for sid in map(_ident, _stage_nodes(self.data)) if sid]

    def touchpoints(self, stage: str | None = None) -> list[str]:
        """Ids of the touchpoints of ``stage`` (default: all, stage by stage), in order."""
        stages = [_find_stage(self.data, stage)] if stage is not None \
            else _stage_nodes(self.data)
        return [tid for s in stages for tid in map(_ident, _tp_nodes(s)) if tid]

    def stage(self, sid: str) -> dict[str, Any]:
        """A copy of stage ``sid`` as the file holds it."""
        return copy.deepcopy(_find_stage(self.data, sid))

    def touchpoint(self, tid: str) -> dict[str, Any]:
        """A copy of touchpoint ``tid`` as the file holds it (edit it with the setters)."""
        return copy.deepcopy(_find_touchpoint(self.data, tid)[1])

    def stage_of(self, tid: str) -> str:
        """The id of the stage touchpoint ``tid`` is in."""
        return _ident(_find_touchpoint(self.data, tid)[0]) or ""

    def to_journey(self) -> Journey:
        """The :class:`~cxresearch.journey.Journey` of the current document (e.g. for
        ``cxresearch.viz.journey_map``); :class:`DraftError` listing the errors if the
        document has any."""
        journey, problems = self._read()
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors or journey is None:
            raise DraftError(f"the journey has {len(errors)} error(s) to fix first:\n"
                             + "\n".join(f"  {p}" for p in errors),
                             where=errors[0].question_id if errors else None, problems=errors)
        return copy.deepcopy(journey)

    def problems(self) -> list[Problem]:
        """Every problem of the current document, as ``validate_journey`` would report it for
        the saved file: errors first, each with code, line and the stage or touchpoint id."""
        return list(self._read()[1])

    def problems_for(self, ident: str) -> list[Problem]:
        """The problems of stage or touchpoint ``ident``."""
        return [p for p in self.problems() if p.question_id == ident]

    def _read(self) -> tuple[Journey | None, list[Problem]]:
        """The journey and problems of the text the file would hold (kept until it changes)."""
        key = (str(self.path) if self.path is not None else "journey.yaml", self.to_yaml())
        if self._parsed is None or self._parsed[0] != key:
            self._parsed = (key, *loads_journey(key[1], key[0]))
        return self._parsed[1], self._parsed[2]

    # -- the journey ---------------------------------------------------------------------------
    def set_title(self, title: TextLike) -> None:
        """Set the journey's title (a text per language)."""
        self.change(lambda doc: _put(doc, "title", _text(
            title, _languages(doc), "the title of the journey", "title"), _TOP_KEYS))

    def set_languages(self, languages: Sequence[str]) -> None:
        """Set the languages every text is given in; texts in other languages are kept (and
        reported as warnings until removed)."""
        langs = _check_languages(languages)
        self.change(lambda doc: _put(doc, "languages", langs, _TOP_KEYS))

    def set_text(self, path: Sequence[str | int], lang: str, text: str) -> None:
        """Set the ``lang`` text of one text field; an empty ``text`` removes it.

        ``path`` is ``("title",)`` or ``("description",)`` for the journey, else an id and
        the keys under it: ``(sid, "name")``, ``(tid, "description")``, ``(tid, "customer",
        "feels")``, ``(tid, "employee", "needs", "tools")``, ``(tid, "customer",
        "pain_points", 0)`` (an index one past the end adds an entry).
        """
        def edit(doc: dict[str, Any]) -> None:
            langs = _languages(doc)
            what = f"the text at {tuple(path)}"
            _text({lang: text}, langs, what, str(path[0]) if path else None)
            parent, key, order, required = _text_slot(doc, tuple(path))
            current = parent[key] if isinstance(parent, list) else parent.get(key)
            new = _text({**(current if isinstance(current, dict) else {}), lang: text}, langs,
                        what, str(path[0]))
            if isinstance(parent, dict):
                _put(parent, key, new or ({} if required else None), order)
            elif new:
                parent[key] = new
            else:
                del parent[key]
            _tidy(doc, tuple(path))

        self.change(edit)

    # -- stages --------------------------------------------------------------------------------
    def add_stage(self, sid: str, name: TextLike, *, position: int | None = None) -> None:
        """Add stage ``sid`` (without touchpoints) at ``position`` (default: last)."""
        def edit(doc: dict[str, Any]) -> None:
            _check_new_id(doc, sid)
            stages = _list(doc, "stages", "the journey's 'stages'")
            at = _position(position, len(stages), f"stage '{sid}'")
            stages.insert(at, {"id": sid, "name": _text(name, _languages(doc),
                                                        f"the name of stage '{sid}'", sid),
                               "touchpoints": []})

        self.change(edit)

    def set_stage_name(self, sid: str, name: TextLike) -> None:
        """Set the name of stage ``sid`` (a text per language)."""
        self.change(lambda doc: _put(_find_stage(doc, sid), "name", _text(
            name, _languages(doc), f"the name of stage '{sid}'", sid), _STAGE_KEYS))

    rename_stage = set_stage_name

    def change_id(self, old: str, new: str) -> None:
        """Give stage or touchpoint ``old`` the id ``new``. Instruments that refer to ``old``
        must be changed as well (``check_links`` reports those that were not)."""
        def edit(doc: dict[str, Any]) -> None:
            node = _find_any(doc, old)
            _check_new_id(doc, new)
            node["id"] = new

        self.change(edit)

    def move_stage(self, sid: str, offset: int) -> None:
        """Move stage ``sid`` by ``offset`` places (-1: one earlier, 1: one later)."""
        self.change(lambda doc: _move(_list(doc, "stages", "the journey's 'stages'"),
                                      _find_stage(doc, sid), offset, f"stage '{sid}'"))

    def delete_stage(self, sid: str, *, with_touchpoints: bool = False) -> None:
        """Delete stage ``sid``; one with touchpoints only ``with_touchpoints=True``."""
        def edit(doc: dict[str, Any]) -> None:
            stage = _find_stage(doc, sid)
            tids = [t for t in map(_ident, _tp_nodes(stage)) if t]
            if tids and not with_touchpoints:
                _fail(f"stage '{sid}' still has {len(tids)} touchpoint(s) ({', '.join(tids)}); "
                      "move them to another stage first (move_touchpoint_to), or delete them "
                      f"with it: delete_stage({sid!r}, with_touchpoints=True)", sid)
            stages = _list(doc, "stages", "the journey's 'stages'")
            del stages[_index(stages, stage)]

        self.change(edit)

    # -- touchpoints ---------------------------------------------------------------------------
    def add_touchpoint(self, stage: str, tid: str, name: TextLike, *,
                       channel: str | None = None, department: str | None = None,
                       moment_of_truth: bool = False, position: int | None = None) -> None:
        """Add touchpoint ``tid`` to ``stage`` at ``position`` (default: last)."""
        def edit(doc: dict[str, Any]) -> None:
            _check_new_id(doc, tid)
            tps = _list(_find_stage(doc, stage), "touchpoints", f"'touchpoints' of '{stage}'")
            at = _position(position, len(tps), f"touchpoint '{tid}'")
            tp: dict[str, Any] = {"id": tid}
            tps.insert(at, tp)
            for key, value in (("name", name), ("channel", channel),
                               ("moment_of_truth", moment_of_truth),
                               ("department", department)):
                _set_field(doc, tp, tid, key, value)

        self.change(edit)

    def move_touchpoint(self, tid: str, offset: int) -> None:
        """Move touchpoint ``tid`` by ``offset`` places within its stage."""
        def edit(doc: dict[str, Any]) -> None:
            stage, tp = _find_touchpoint(doc, tid)
            _move(_list(stage, "touchpoints", ""), tp, offset, f"touchpoint '{tid}'",
                  f"; to move it to another stage use move_touchpoint_to({tid!r}, stage)")

        self.change(edit)

    def move_touchpoint_to(self, tid: str, stage: str, *, position: int | None = None) -> None:
        """Move touchpoint ``tid`` to ``stage``, at ``position`` (default: last)."""
        def edit(doc: dict[str, Any]) -> None:
            old, tp = _find_touchpoint(doc, tid)
            target = _list(_find_stage(doc, stage), "touchpoints", f"'touchpoints' of '{stage}'")
            source = _list(old, "touchpoints", "")
            del source[_index(source, tp)]
            target.insert(_position(position, len(target), f"touchpoint '{tid}'"), tp)

        self.change(edit)

    def delete_touchpoint(self, tid: str) -> None:
        """Delete touchpoint ``tid`` with both its lanes."""
        def edit(doc: dict[str, Any]) -> None:
            stage, tp = _find_touchpoint(doc, tid)
            tps = _list(stage, "touchpoints", "")
            del tps[_index(tps, tp)]

        self.change(edit)

    def set_field(self, tid: str, key: str, value: Any) -> None:
        """Set a field of touchpoint ``tid``: ``name`` or ``description`` (texts per
        language), ``channel`` (one of :data:`CHANNELS`), ``department`` (an id) or
        ``moment_of_truth`` (bool). ``None`` removes an optional field."""
        self.change(lambda doc: _set_field(doc, _find_touchpoint(doc, tid)[1], tid, key, value))

    def set_moment_of_truth(self, tid: str, flag: bool) -> None:
        """Mark touchpoint ``tid`` as a moment of truth (or not)."""
        self.set_field(tid, "moment_of_truth", flag)

    def set_customer(self, tid: str, key: str, value: Any) -> None:
        """Set a field of the customer lane of ``tid``: ``does``, ``thinks``, ``feels`` (texts
        per language), ``valence`` (-2 .. 2, or None), ``pain_points``, ``opportunities``
        (lists of texts per language). ``None`` or empty removes the field."""
        self.change(lambda doc: _set_lane(doc, tid, "customer", key, value))

    def set_employee(self, tid: str, key: str, value: Any) -> None:
        """Set a field of the employee lane of ``tid``: ``role``, ``does`` (texts per
        language), ``team`` (a team code), ``needs`` (kind of need from :data:`NEEDS` to a
        text per language), ``systems`` (names), ``processes`` (list of texts)."""
        self.change(lambda doc: _set_lane(doc, tid, "employee", key, value))

    def set_need(self, tid: str, kind: str, text: TextLike | None) -> None:
        """Set what the employee at ``tid`` needs of one ``kind`` (:data:`NEEDS`)."""
        def edit(doc: dict[str, Any]) -> None:
            lane = _find_touchpoint(doc, tid)[1].get("employee")
            needs = lane.get("needs") if isinstance(lane, dict) else None
            _set_lane(doc, tid, "employee", "needs", {
                **(needs if isinstance(needs, dict) else {}), kind: text})

        self.change(edit)


# -- finding and checking, on the document being changed ---------------------------------------
def _check_languages(languages: Sequence[str]) -> list[str]:
    langs = list(languages) if not isinstance(languages, str) else [languages]
    bad = [x for x in langs if not (isinstance(x, str) and _LANG.match(x))]
    if not langs or bad or len(set(langs)) != len(langs):
        _fail(f"languages must be distinct language codes, e.g. ['nl', 'en']; got "
              f"{list(languages) if not isinstance(languages, str) else languages!r}",
              "languages")
    return langs


def _all_ids(doc: dict[str, Any]) -> dict[str, str]:
    """Every id in use, and what it is."""
    ids: dict[str, str] = {}
    for stage in _stage_nodes(doc):
        sid = _ident(stage)
        if sid:
            ids.setdefault(sid, "a stage")
        for tid in map(_ident, _tp_nodes(stage)):
            if tid:
                ids.setdefault(tid, f"a touchpoint of stage '{sid}'")
    return ids


def _check_new_id(doc: dict[str, Any], ident: str) -> None:
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        suggestion = re.sub(r"[^A-Za-z0-9_]", "_", str(ident)).lstrip("0123456789") or "tp1"
        _fail(f"{ident!r} is not a valid id: use {_ID_RULE}, e.g. '{suggestion}'", str(ident))
    used = _all_ids(doc)
    if ident in used:
        _fail(f"id '{ident}' is already used by {used[ident]}; stages and touchpoints share "
              f"one id space: pick another id, e.g. '{ident}_2'", ident)


def _find_stage(doc: dict[str, Any], sid: str) -> dict[str, Any]:
    for stage in _stage_nodes(doc):
        if _ident(stage) == sid:
            return stage
    known = [s for s in map(_ident, _stage_nodes(doc)) if s]
    also = " (that is a touchpoint)" if sid in _all_ids(doc) else _hint(sid, known)
    _fail(f"no stage '{sid}' in the journey{also}; its stages: {', '.join(known) or 'none'}",
          sid)


def _find_touchpoint(doc: dict[str, Any], tid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for stage in _stage_nodes(doc):
        for tp in _tp_nodes(stage):
            if _ident(tp) == tid:
                return stage, tp
    known = [t for s in _stage_nodes(doc) for t in map(_ident, _tp_nodes(s)) if t]
    also = " (that is a stage)" if tid in _all_ids(doc) else _hint(tid, known)
    _fail(f"no touchpoint '{tid}' in the journey{also}; its touchpoints: "
          f"{', '.join(known) or 'none'}", tid)


def _find_any(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    if ident in [_ident(s) for s in _stage_nodes(doc)]:
        return _find_stage(doc, ident)
    return _find_touchpoint(doc, ident)[1]


def _set_field(doc: dict[str, Any], tp: dict[str, Any], tid: str, key: str, value: Any) -> None:
    if key not in _FIELDS:
        _fail(f"unknown field '{key}' of touchpoint '{tid}'; allowed: "
              f"{', '.join(_FIELDS)}{_hint(key, _FIELDS)} (the lanes: set_customer, "
              "set_employee)", tid)
    _put(tp, key, _convert(_FIELDS[key], value, _languages(doc),
                           f"the {key} of touchpoint '{tid}'", tid), _TOUCHPOINT_KEYS)


def _lane(doc: dict[str, Any], tp: dict[str, Any], lane: str) -> dict[str, Any]:
    """The mapping of ``lane`` of ``tp`` (made when absent; a plain lane becomes ``does``)."""
    keys = _LANES[lane][1]
    node = tp.get(lane)
    langs = _languages(doc)
    if isinstance(node, str) and langs:
        node = {"does": {langs[0]: node}}
    elif isinstance(node, dict) and not any(k in keys for k in node) \
            and any(k in langs for k in node):
        node = {"does": node}
    elif node is None:
        node = {}
    elif not isinstance(node, dict):
        _fail(f"the {lane} lane of touchpoint '{_ident(tp)}' is not a mapping in the file; "
              "fix it in a text editor (problems() says where), then open it again",
              _ident(tp))
    _put(tp, lane, node, _TOUCHPOINT_KEYS)
    return node


def _set_lane(doc: dict[str, Any], tid: str, lane: str, key: str, value: Any) -> None:
    kinds, order = _LANES[lane]
    if key not in kinds:
        _fail(f"unknown field '{key}' of the {lane} lane of touchpoint '{tid}'; allowed: "
              f"{', '.join(kinds)}{_hint(key, kinds)}", tid)
    tp = _find_touchpoint(doc, tid)[1]
    converted = _convert(kinds[key], value, _languages(doc),
                         f"'{key}' of the {lane} lane of touchpoint '{tid}'", tid)
    _put(_lane(doc, tp, lane), key, converted, order)
    _tidy(doc, (tid, lane))


def _text_slot(doc: dict[str, Any], path: tuple[str | int, ...]
               ) -> tuple[dict[str, Any] | list[Any], Any, Sequence[str], bool]:
    """Where the text at ``path`` lives: (container, key or index, key order, required)."""
    if len(path) == 1 and path[0] in ("title", "description"):
        return doc, path[0], _TOP_KEYS, path[0] == "title"
    head, rest = (str(path[0]), path[1:]) if path else ("", ())
    stage_ids = [_ident(s) for s in _stage_nodes(doc)]
    if head in stage_ids:
        if rest in (("name",), ("description",)):
            return _find_stage(doc, head), rest[0], _STAGE_KEYS, rest[0] == "name"
    elif path and len(rest) >= 1:
        tp = _find_touchpoint(doc, head)[1]  # names the known ones when there is none
        lane, key = (str(rest[0]), str(rest[1])) if len(rest) >= 2 else ("", "")
        kind = _LANES[lane][0].get(key) if lane in _LANES else None
        if rest in (("name",), ("description",)):
            return tp, rest[0], _TOUCHPOINT_KEYS, rest[0] == "name"
        if len(rest) == 2 and kind == "text":
            return _lane(doc, tp, lane), key, _LANES[lane][1], False
        if len(rest) == 3 and kind == "needs" and rest[2] in NEEDS:
            employee = _lane(doc, tp, lane)
            needs = employee.get("needs")
            if not isinstance(needs, dict):
                needs = {}
                _put(employee, "needs", needs, _EMPLOYEE_KEYS)
            return needs, rest[2], NEEDS, False
        index = rest[2] if len(rest) == 3 else None
        if kind == "texts" and isinstance(index, int) and not isinstance(index, bool):
            entries = _list(_lane(doc, tp, lane), key, f"'{key}' of touchpoint '{head}'")
            if not 0 <= index <= len(entries):
                _fail(f"there is no entry {index} in '{key}' of touchpoint '{head}': give 0 to "
                      f"{len(entries)} (that one adds an entry)", head)
            if index == len(entries):
                entries.append({})
            return entries, index, (), False
    _fail(f"no text at {path}: give ('title',), ('description',), (stage, 'name' or "
          "'description'), (touchpoint, 'name' or 'description'), (touchpoint, 'customer', "
          "'does', 'thinks' or 'feels'), (touchpoint, 'employee', 'role' or 'does'), "
          "(touchpoint, 'employee', 'needs', kind), or (touchpoint, lane, 'pain_points', "
          "'opportunities' or 'processes', index)", head or None)


def _tidy(doc: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """Remove the empty needs, lists and lanes that an edit at ``path`` left behind."""
    if len(path) < 2 or path[1] not in _LANES:
        return
    tp = _find_touchpoint(doc, str(path[0]))[1]
    lane = tp.get(str(path[1]))
    if isinstance(lane, dict):
        for key in ("needs", "pain_points", "opportunities", "processes"):
            if key in lane and not lane[key]:
                del lane[key]
        if not lane:
            del tp[str(path[1])]
