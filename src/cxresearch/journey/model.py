"""The journey model: stages with touchpoints, each with a customer and an employee lane.

Instruments point at a journey's stages and touchpoints by id; this module reads
``journey.yaml`` so those references can be checked.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._yaml import YMap, YNode, YScalar, YSeq, parse_yaml, read_source
from ..errors import Code, InstrumentError, Problem, raise_if_errors

__all__ = ["CHANNELS", "Journey", "Stage", "Touchpoint", "load_journey"]

Text = dict[str, str]
_TOP_KEYS = {"format", "id", "title", "languages", "audience", "description", "stages"}
_STAGE_KEYS = {"id", "name", "description", "touchpoints"}
_TOUCHPOINT_KEYS = {"id", "name", "channel", "moment_of_truth", "customer", "employee",
                    "description"}
_TRUE = ("true", "yes")
_FALSE = ("false", "no")
_DEFAULT_LANGUAGES = ["en"]
CHANNELS = ("online", "phone", "email", "chat", "app", "letter", "visit", "in_person", "other")
"""Channels a touchpoint can take place in."""


@dataclass
class Touchpoint:
    """One moment of contact, with what the customer and the employee need at it.

    Attributes
    ----------
    id : str
        Unique id within the journey (stages and touchpoints share one id space).
    name : dict of str to str
        Name per language.
    stage : str
        Id of the stage the touchpoint belongs to.
    channel : str or None
        One of :data:`CHANNELS`.
    moment_of_truth : bool
        Whether this touchpoint decides how the customer judges the whole journey.
    customer, employee : dict of str to str
        The customer lane and the employee lane, per language.
    line : int or None
        Line in ``journey.yaml`` where the touchpoint starts.
    """

    id: str
    name: Text
    stage: str
    channel: str | None = None
    moment_of_truth: bool = False
    customer: Text = field(default_factory=dict)
    employee: Text = field(default_factory=dict)
    line: int | None = None


@dataclass
class Stage:
    """A stage of the journey and its touchpoints, in order.

    Attributes
    ----------
    id : str
        Unique id within the journey.
    name : dict of str to str
        Name per language.
    touchpoints : list of Touchpoint
        The stage's touchpoints, in the order of the file.
    line : int or None
        Line in ``journey.yaml`` where the stage starts.
    """

    id: str
    name: Text
    touchpoints: list[Touchpoint] = field(default_factory=list)
    line: int | None = None


@dataclass
class Journey:
    """A customer (or employee) journey: stages in order, each with touchpoints.

    Attributes
    ----------
    id : str
        The journey id.
    title : dict of str to str
        Title per language.
    languages : list of str
        Language codes every text must be given in.
    stages : list of Stage
        The stages, in order.
    audience : str
        Whose journey it is, e.g. ``"customer"``.
    source : str or None
        The file the journey was read from.
    """

    id: str
    title: Text
    languages: list[str]
    stages: list[Stage]
    audience: str = "customer"
    source: str | None = None

    def touchpoints(self) -> list[Touchpoint]:
        """Every touchpoint, stage by stage."""
        return [tp for stage in self.stages for tp in stage.touchpoints]

    def touchpoint(self, tid: str) -> Touchpoint:
        """The touchpoint with id ``tid``; raise :class:`KeyError` naming the known ids."""
        for tp in self.touchpoints():
            if tp.id == tid:
                return tp
        raise KeyError(f"no touchpoint '{tid}' in journey '{self.id}'; known touchpoints: "
                       f"{', '.join(self.touchpoint_ids()) or 'none'}")

    def stage_ids(self) -> list[str]:
        """Ids of the stages, in order."""
        return [s.id for s in self.stages]

    def touchpoint_ids(self) -> list[str]:
        """Ids of the touchpoints, stage by stage."""
        return [tp.id for tp in self.touchpoints()]


def _kind(node: object) -> str:
    """Describe a node for ``given=``: 'a list', 'a mapping', 'empty' or the quoted text."""
    if node is None:
        return "nothing"
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    if isinstance(node, YScalar):
        return "empty" if node.is_null or node.raw == "" else f"'{node.raw}'"
    return type(node).__name__  # pragma: no cover


def _closest(word: str, options: list[str] | tuple[str, ...]) -> str | None:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


class _Reader:
    """Turns the YAML nodes of a journey file into the model, collecting problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.languages: list[str] = list(_DEFAULT_LANGUAGES)
        self.seen: dict[str, int] = {}

    def problem(self, code: Code, message: str, node: Any, *, key: str | None = None,
                **extra: Any) -> None:
        """Record a problem at ``node`` (at ``key`` of ``node`` when given and present)."""
        line = column = None
        if isinstance(node, YMap) and key is not None and key in node.key_pos:
            line, column = node.key_pos[key]
        elif node is not None and hasattr(node, "line"):
            line, column = node.line, getattr(node, "column", None)
        self.problems.append(Problem(code, message, file=self.name, line=line, column=column,
                                     **extra))

    def check_keys(self, node: YMap, allowed: set[str], what: str,
                   qid: str | None = None) -> None:
        for key in node:
            if key not in allowed:
                self.problem(Code.UNKNOWN_FIELD, f"unknown field '{key}' in {what}", node,
                             key=key, question_id=qid, allowed=", ".join(sorted(allowed)),
                             fix=_closest(key, sorted(allowed)) or
                             "remove it, or check the spelling")

    def text(self, parent: YMap, key: str, what: str, qid: str | None = None,
             required: bool = True) -> Text:
        """Read ``parent[key]`` as a text per language, reporting missing translations."""
        node = parent.get(key)
        example = ", ".join(f"{lang}: ..." for lang in self.languages)
        if node is None:
            if required:
                self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", parent,
                             question_id=qid, fix=f"add '{key}: {{{example}}}'")
            return {}
        if isinstance(node, YMap):
            out = {k: v.raw for k, v in node.items() if isinstance(v, YScalar) and not v.is_null}
            missing = [lang for lang in self.languages if not out.get(lang)]
            if missing:
                self.problem(Code.MISSING_TRANSLATION,
                             f"'{key}' of {what} has no text in {', '.join(missing)}", node,
                             question_id=qid,
                             fix=f"add {', '.join(m + ': ...' for m in missing)}")
            return out
        if isinstance(node, YScalar) and not node.is_null and node.raw \
                and len(self.languages) <= 1:
            return {self.languages[0] if self.languages else "en": node.raw}
        self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a text per language", node,
                     question_id=qid, given=_kind(node), fix=f"write e.g. {{{example}}}")
        return {}

    def languages_of(self, root: YMap) -> None:
        node = root.get("languages")
        if node is None:
            self.problem(Code.MISSING_FIELD, "the journey has no 'languages'", root,
                         allowed="a list of language codes, e.g. [nl, en]",
                         fix="add 'languages: [nl, en]' (the languages every text is given "
                         "in) at the top level; 'en' is assumed until then")
            return
        codes = [x.raw for x in node if isinstance(x, YScalar) and not x.is_null and x.raw] \
            if isinstance(node, YSeq) else []
        if not isinstance(node, YSeq) or not node or len(codes) != len(node):
            self.problem(Code.WRONG_TYPE, "'languages' must be a list of language codes", node,
                         given=_kind(node), allowed="a list of language codes, e.g. [nl, en]",
                         fix="write languages: [nl, en]")
        if isinstance(node, YScalar) and not node.is_null and node.raw:
            codes = [node.raw]  # go on with what was meant, so the other checks still run
        self.languages = codes or list(_DEFAULT_LANGUAGES)

    def node_id(self, node: YMap, what: str, qid_hint: str) -> str | None:
        """The id of a stage or touchpoint, or ``None`` (after reporting why)."""
        value = node.get("id")
        if value is None:
            self.problem(Code.MISSING_FIELD, f"{what} has no 'id'", node,
                         fix=f"add an id, e.g. 'id: {qid_hint}'")
            return None
        if not isinstance(value, YScalar) or value.is_null or not value.raw:
            self.problem(Code.WRONG_TYPE, f"the 'id' of {what} must be text", value,
                         given=_kind(value), fix="write e.g. 'id: first_call'")
            return None
        return value.raw

    def register(self, ident: str | None, node: YMap) -> None:
        """Report an id used before (stages and touchpoints share one id space)."""
        if ident is None:
            return
        if ident in self.seen:
            self.problem(Code.DUPLICATE_ID, f"id '{ident}' is used twice (first on line "
                         f"{self.seen[ident]})", node, key="id", question_id=ident,
                         fix="give every stage and touchpoint its own id")
            return
        self.seen[ident] = node.key_pos.get("id", (node.line, node.column))[0]

    def journey(self, root: YMap, fallback_id: str) -> Journey:
        self.check_keys(root, _TOP_KEYS, "the journey")
        self.languages_of(root)
        jid_node = root.get("id")
        jid = fallback_id
        if isinstance(jid_node, YScalar) and not jid_node.is_null and jid_node.raw:
            jid = jid_node.raw
        elif jid_node is not None:
            self.problem(Code.WRONG_TYPE, "the journey 'id' must be text", jid_node,
                         given=_kind(jid_node), fix=f"write e.g. 'id: {fallback_id}'")
        journey = Journey(id=jid, title=self.text(root, "title", "the journey"),
                          languages=self.languages, stages=[], source=self.name)
        aud = root.get("audience")
        if isinstance(aud, YScalar) and not aud.is_null and aud.raw:
            journey.audience = aud.raw
        elif aud is not None:
            self.problem(Code.WRONG_TYPE, "the journey 'audience' must be text", aud,
                         given=_kind(aud), fix="write e.g. 'audience: customer'")
        stages = root.get("stages")
        if stages is None or (isinstance(stages, YSeq) and not stages):
            self.problem(Code.MISSING_FIELD, "the journey has no stages", root,
                         key="stages" if stages is not None else None,
                         fix="add 'stages:' with at least one stage ('- id: ...')")
            return journey
        if not isinstance(stages, YSeq):
            self.problem(Code.WRONG_TYPE, "'stages' must be a list", stages, given=_kind(stages),
                         fix="write each stage on a line starting with '- id: ...', indented "
                         "under 'stages:'")
            return journey
        for snode in stages:
            stage = self.stage(snode)
            if stage is not None:
                journey.stages.append(stage)
        return journey

    def stage(self, snode: YNode) -> Stage | None:
        if not isinstance(snode, YMap):
            self.problem(Code.WRONG_TYPE, "each stage must be a mapping with 'id', 'name' and "
                         "'touchpoints'", snode, given=_kind(snode),
                         fix="write the stage as '- id: ...' with 'name:' and 'touchpoints:' "
                         "indented under it")
            return None
        sid = self.node_id(snode, "a stage", "report")
        what = f"stage '{sid}'" if sid is not None else f"the stage on line {snode.line}"
        self.check_keys(snode, _STAGE_KEYS, what, sid)
        self.register(sid, snode)
        stage = Stage(sid or "", self.text(snode, "name", what, sid), line=snode.line)
        tps = snode.get("touchpoints")
        if tps is not None and not isinstance(tps, YSeq):
            self.problem(Code.WRONG_TYPE, f"'touchpoints' of {what} must be a list", tps,
                         question_id=sid, given=_kind(tps),
                         fix="write each touchpoint on a line starting with '- id: ...', "
                         "indented under 'touchpoints:'")
        for tnode in tps if isinstance(tps, YSeq) else []:
            tp = self.touchpoint(tnode, stage.id)
            if tp is not None:
                stage.touchpoints.append(tp)
        return stage if sid is not None else None

    def touchpoint(self, tnode: YNode, sid: str) -> Touchpoint | None:
        if not isinstance(tnode, YMap):
            self.problem(Code.WRONG_TYPE, "each touchpoint must be a mapping with 'id', 'name' "
                         "and 'channel'", tnode, given=_kind(tnode),
                         fix="write the touchpoint as '- id: ...' with 'name:' and the other "
                         "fields indented under it")
            return None
        tid = self.node_id(tnode, "a touchpoint", "first_call")
        what = f"touchpoint '{tid}'" if tid is not None else \
            f"the touchpoint on line {tnode.line}"
        self.check_keys(tnode, _TOUCHPOINT_KEYS, what, tid)
        self.register(tid, tnode)
        tp = Touchpoint(tid or "", self.text(tnode, "name", what, tid), stage=sid,
                        line=tnode.line)
        channel = tnode.get("channel")
        if isinstance(channel, YScalar) and channel.raw in CHANNELS:
            tp.channel = channel.raw
        elif isinstance(channel, YScalar):
            self.problem(Code.INVALID_VALUE, f"unknown channel of {what}", channel,
                         question_id=tid, given=_kind(channel), allowed=", ".join(CHANNELS),
                         fix=_closest(channel.raw, CHANNELS) or
                         "pick one of the allowed channels, or 'other'")
        elif channel is not None:
            self.problem(Code.WRONG_TYPE, f"'channel' of {what} must be one channel", channel,
                         question_id=tid, given=_kind(channel), allowed=", ".join(CHANNELS),
                         fix="write e.g. 'channel: phone'; for a touchpoint in several "
                         "channels pick the main one, or 'other'")
        mot = tnode.get("moment_of_truth")
        if isinstance(mot, YScalar) and mot.raw.lower() in _TRUE + _FALSE:
            tp.moment_of_truth = mot.raw.lower() in _TRUE
        elif mot is not None:
            self.problem(Code.WRONG_TYPE, f"'moment_of_truth' of {what} must be true or false",
                         mot, question_id=tid, given=_kind(mot), allowed="true, false",
                         fix="write 'moment_of_truth: true' or 'moment_of_truth: false'")
        tp.customer = self.text(tnode, "customer", what, tid, required=False)
        tp.employee = self.text(tnode, "employee", what, tid, required=False)
        return tp if tid is not None else None


def load_journey(path: str | Path) -> Journey:
    """Read ``journey.yaml`` into a :class:`Journey`.

    Parameters
    ----------
    path : str or Path
        The journey file.

    Returns
    -------
    Journey
        The stages and touchpoints, in the order of the file.

    Raises
    ------
    InstrumentError
        Listing every problem found, each with file, line and column, what is wrong,
        what is allowed and how to fix it (codes as for instruments, e.g. ``CX121`` for
        an id used twice).

    Examples
    --------
    >>> from pathlib import Path
    >>> import cxresearch
    >>> root = Path(cxresearch.__file__).parent / "study" / "templates"
    >>> journey = load_journey(root / "journey.yaml")
    >>> journey.stage_ids(), journey.touchpoint_ids()
    (['orientation', 'use'], ['first_search', 'service_call'])
    """
    src = read_source(path)
    root = parse_yaml(src.text, src.name)
    if root is None:
        raise InstrumentError.single(
            Code.EMPTY_FILE, "the file is empty", file=src.name, line=1,
            fix="start from 'cxresearch new STUDY' or the example "
            "surveys/insurer-claims/journey.yaml")
    if not isinstance(root, YMap):
        raise InstrumentError.single(
            Code.WRONG_TYPE, "a journey file must be a mapping with 'id', 'title', "
            "'languages' and 'stages'", file=src.name, line=root.line, column=root.column,
            given=_kind(root), fix="write 'id: ...', 'title: ...', 'languages: [nl, en]' and "
            "'stages:' as top-level lines, without a leading '- '")
    reader = _Reader(src.name)
    journey = reader.journey(root, Path(path).parent.name or "journey")
    raise_if_errors(reader.problems)
    return journey
