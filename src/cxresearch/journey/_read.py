"""Reading ``journey.yaml`` into the model, collecting every problem on the way.

The YAML nodes keep line and column, so each problem says where it is. Nothing here
raises on a content problem: :func:`read_journey` returns the journey (when its shape
allows one) and the problems; :func:`~cxresearch.journey.load_journey` raises on errors.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Sequence

from .._yaml import YMap, YNode, YScalar, YSeq, describe_node, parse_yaml, read_source
from ..errors import Code, InstrumentError, Problem, Severity
from .model import (
    CHANNELS, NEEDS, VALENCE_RANGE, CustomerLane, EmployeeLane, Journey, Stage, Text,
    Touchpoint,
)

__all__ = ["read_journey", "read_journey_text"]

_TOP_KEYS = ("format", "id", "title", "languages", "audience", "description", "stages")
_STAGE_KEYS = ("id", "name", "description", "touchpoints")
_TOUCHPOINT_KEYS = ("id", "name", "channel", "moment_of_truth", "department", "description",
                    "customer", "employee")
_CUSTOMER_KEYS = ("does", "thinks", "feels", "valence", "pain_points", "opportunities")
_EMPLOYEE_KEYS = ("role", "team", "does", "needs", "systems", "processes")
_TRUE = ("true", "yes")
_FALSE = ("false", "no")
_DEFAULT_LANGUAGES = ["en"]
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_TEAM = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")  # a choice value of the team question
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_VALENCES = ", ".join(f"{v:+d}" if v else "0"
                      for v in range(VALENCE_RANGE[0], VALENCE_RANGE[1] + 1))


_kind = describe_node


def _closest(word: str, options: list[str] | tuple[str, ...]) -> str | None:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def _filled(node: YNode | None) -> str | None:
    """The text of a non-empty scalar, else ``None``."""
    if isinstance(node, YScalar) and not node.is_null and node.raw.strip():
        return node.raw
    return None


class _Reader:
    """Turns the YAML nodes of a journey file into the model, collecting problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.languages: list[str] = list(_DEFAULT_LANGUAGES)
        self.languages_known = False
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

    def check_keys(self, node: YMap, allowed: tuple[str, ...], what: str,
                   qid: str | None = None, fix: str | None = None) -> None:
        for key in node:
            if key not in allowed:
                self.problem(Code.UNKNOWN_FIELD, f"unknown field '{key}' in {what}", node,
                             key=key, question_id=qid, allowed=", ".join(sorted(allowed)),
                             fix=_closest(key, sorted(allowed)) or fix or
                             "remove it, or check the spelling")

    # -- texts --------------------------------------------------------------------------
    def text_of(self, node: YNode, key: str, what: str, qid: str | None) -> Text:
        """Read ``node`` as a text per language, reporting missing translations."""
        example = ", ".join(f"{lang}: ..." for lang in self.languages)
        if isinstance(node, YMap):
            out = {k: v.raw for k, v in node.items()
                   if isinstance(v, YScalar) and not v.is_null and _LANG.match(k)}
            for lang, value in node.items():
                if not _LANG.match(lang):
                    self.problem(Code.INVALID_VALUE, f"'{key}' of {what} has '{lang}' where a "
                                 "language code belongs", node, key=lang, question_id=qid,
                                 given=lang, allowed=", ".join(self.languages),
                                 fix="in '{nl: ..., en: ...}' a comma ends the text: put the "
                                 "text in quotes, or write each language on a line of its own")
                elif not isinstance(value, YScalar):
                    self.problem(Code.WRONG_TYPE, f"the {lang} text of '{key}' of {what} must "
                                 "be plain text", value, question_id=qid, given=_kind(value),
                                 fix="write the text on the same line, or as a block "
                                 "('>-' and the text indented below)")
            missing = [lang for lang in self.languages if not (out.get(lang) or "").strip()]
            if missing:
                self.problem(Code.MISSING_TRANSLATION,
                             f"'{key}' of {what} has no text in {', '.join(missing)}", node,
                             question_id=qid, allowed=", ".join(self.languages),
                             fix=f"add {', '.join(m + ': ...' for m in missing)}")
            extra = [lang for lang in out if lang not in self.languages]
            if extra and self.languages_known:
                self.problem(Code.UNDECLARED_LANGUAGE,
                             f"'{key}' of {what} has a text in {', '.join(extra)}, which is not "
                             "one of the journey's languages", node, key=extra[0],
                             question_id=qid, given=", ".join(extra),
                             allowed=", ".join(self.languages), severity=Severity.WARNING,
                             fix=f"add {', '.join(extra)} to 'languages', or correct the "
                             "language code")
            return out
        if _filled(node) is not None and len(self.languages) <= 1:
            return {self.languages[0] if self.languages else "en": _filled(node) or ""}
        self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a text per language", node,
                     question_id=qid, given=_kind(node), fix=f"write e.g. {{{example}}}")
        return {}

    def text(self, parent: YMap, key: str, what: str, qid: str | None = None,
             required: bool = True) -> Text:
        """Read ``parent[key]`` as a text per language (``{}`` when absent)."""
        node = parent.get(key)
        if node is None:
            if required:
                example = ", ".join(f"{lang}: ..." for lang in self.languages)
                self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", parent,
                             question_id=qid, fix=f"add '{key}: {{{example}}}'")
            return {}
        return self.text_of(node, key, what, qid)

    def texts(self, parent: YMap, key: str, what: str, qid: str | None) -> list[Text]:
        """Read ``parent[key]`` as a list of texts per language (``[]`` when absent)."""
        node = parent.get(key)
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return []
        if not isinstance(node, YSeq):
            example = ", ".join(f"{lang}: ..." for lang in self.languages)
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a list of texts", node,
                         question_id=qid, given=_kind(node),
                         fix=f"write each on a line of its own: '- {{{example}}}', indented "
                         f"under '{key}:'")
            return []
        out = [self.text_of(entry, key, what, qid) for entry in node]
        return [t for t in out if t]

    def word(self, parent: YMap, key: str, what: str, qid: str | None,
             example: str) -> str | None:
        """Read ``parent[key]`` as one plain (untranslated) text, e.g. an id or a name."""
        node = parent.get(key)
        if node is None:
            return None
        value = _filled(node)
        if value is None:
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be text", node,
                         question_id=qid, given=_kind(node), fix=f"write e.g. '{key}: {example}'")
        return value

    # -- the journey and its stages ---------------------------------------------------------
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
        else:
            self.languages_known = True
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
                          languages=self.languages, stages=[], source=self.name,
                          description=self.text(root, "description", "the journey",
                                                required=False))
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
                         fix="add 'stages:' with at least one stage ('- id: ...'); the usual "
                         "five are orientation, purchase_decision, use, evaluation and "
                         "retention")
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
        stage = Stage(sid or "", self.text(snode, "name", what, sid),
                      description=self.text(snode, "description", what, sid, required=False),
                      line=snode.line, column=snode.column)
        tps = snode.get("touchpoints")
        if tps is not None and not (isinstance(tps, YSeq) or
                                    (isinstance(tps, YScalar) and tps.is_null)):
            self.problem(Code.WRONG_TYPE, f"'touchpoints' of {what} must be a list", tps,
                         question_id=sid, given=_kind(tps),
                         fix="write each touchpoint on a line starting with '- id: ...', "
                         "indented under 'touchpoints:'")
        elif not tps and sid is not None:
            self.problem(Code.JOURNEY_EMPTY_STAGE, f"{what} has no touchpoints", snode,
                         key="touchpoints", question_id=sid, severity=Severity.WARNING,
                         fix="add the moments of contact of this stage under 'touchpoints:' "
                         "('- id: ...'), or remove the stage")
        for tnode in tps if isinstance(tps, YSeq) else []:
            tp = self.touchpoint(tnode, stage.id)
            if tp is not None:
                stage.touchpoints.append(tp)
        return stage if sid is not None else None

    # -- touchpoints ------------------------------------------------------------------------
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
                        line=tnode.line, column=tnode.column)
        tp.channel = self.channel(tnode, what, tid)
        tp.moment_of_truth = self.moment_of_truth(tnode, what, tid)
        tp.department = self.word(tnode, "department", what, tid, "claims")
        tp.description = self.text(tnode, "description", what, tid, required=False)
        tp.customer = self.customer(tnode, what, tid)
        tp.employee = self.employee(tnode, what, tid)
        return tp if tid is not None else None

    def channel(self, tnode: YMap, what: str, tid: str | None) -> str | None:
        channel = tnode.get("channel")
        if isinstance(channel, YScalar) and channel.raw in CHANNELS:
            return channel.raw
        if isinstance(channel, YScalar):
            self.problem(Code.INVALID_VALUE, f"unknown channel of {what}", channel,
                         question_id=tid, given=_kind(channel), allowed=", ".join(CHANNELS),
                         fix=_closest(channel.raw, CHANNELS) or
                         "pick one of the allowed channels, or 'other'")
        elif channel is not None:
            self.problem(Code.WRONG_TYPE, f"'channel' of {what} must be one channel", channel,
                         question_id=tid, given=_kind(channel), allowed=", ".join(CHANNELS),
                         fix="write e.g. 'channel: phone'; for a touchpoint in several "
                         "channels pick the main one, or 'other'")
        return None

    def moment_of_truth(self, tnode: YMap, what: str, tid: str | None) -> bool:
        mot = tnode.get("moment_of_truth")
        if isinstance(mot, YScalar) and mot.raw.lower() in _TRUE + _FALSE:
            return mot.raw.lower() in _TRUE
        if mot is not None:
            self.problem(Code.WRONG_TYPE, f"'moment_of_truth' of {what} must be true or false",
                         mot, question_id=tid, given=_kind(mot), allowed="true, false",
                         fix="write 'moment_of_truth: true' or 'moment_of_truth: false'")
        return False

    def plain_lane(self, node: YNode | None, keys: tuple[str, ...]) -> bool:
        """Whether a lane is written the old way, as one text per language."""
        if isinstance(node, YMap):
            return not any(k in keys for k in node) and any(k in self.languages for k in node)
        return isinstance(node, YScalar) and not node.is_null

    def lane(self, tnode: YMap, key: str, keys: tuple[str, ...], what: str,
             tid: str | None) -> YMap | Text | None:
        """The lane's mapping; its text when written as plain text (read as ``does``)."""
        node = tnode.get(key)
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        if self.plain_lane(node, keys):
            return self.text_of(node, key, what, tid)
        if not isinstance(node, YMap):
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a mapping with "
                         f"{', '.join(keys)}", node, question_id=tid, given=_kind(node),
                         allowed=", ".join(keys),
                         fix=f"write the lane as '{key}:' with e.g. 'does: {{nl: ..., en: "
                         "...}' indented under it")
            return None
        langs = [k for k in node if k in self.languages]
        self.check_keys(node, keys, f"the {key} lane of {what}", tid,
                        fix="put the text under 'does:'; a lane is either one text per "
                        "language or a mapping of its fields, not both" if langs else None)
        return node

    def customer(self, tnode: YMap, what: str, tid: str | None) -> CustomerLane:
        node = self.lane(tnode, "customer", _CUSTOMER_KEYS, what, tid)
        if not isinstance(node, YMap):
            return CustomerLane(does=node or {})
        lane_what = f"the customer lane of {what}"
        return CustomerLane(
            does=self.text(node, "does", lane_what, tid, required=False),
            thinks=self.text(node, "thinks", lane_what, tid, required=False),
            feels=self.text(node, "feels", lane_what, tid, required=False),
            pain_points=self.texts(node, "pain_points", lane_what, tid),
            opportunities=self.texts(node, "opportunities", lane_what, tid),
            valence=self.valence(node.get("valence"), what, tid))

    def valence(self, node: YNode | None, what: str, tid: str | None) -> int | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        low, high = VALENCE_RANGE
        if isinstance(node, YScalar) and _INTEGER.match(node.raw.strip()):
            value = int(node.raw)
            if low <= value <= high:
                return value
        self.problem(Code.JOURNEY_BAD_VALENCE, f"the valence of {what} must be a whole "
                     f"number from {low} to +{high}", node, question_id=tid, given=_kind(node),
                     allowed=_VALENCES,
                     fix="write the feeling you expect at this moment: -2 very negative, -1 "
                     "negative, 0 neutral, +1 positive, +2 very positive; leave 'valence' out "
                     "when you do not know yet")
        return None

    def employee(self, tnode: YMap, what: str, tid: str | None) -> EmployeeLane:
        node = self.lane(tnode, "employee", _EMPLOYEE_KEYS, what, tid)
        if not isinstance(node, YMap):
            return EmployeeLane(does=node or {})
        lane_what = f"the employee lane of {what}"
        return EmployeeLane(
            role=self.text(node, "role", lane_what, tid, required=False),
            does=self.text(node, "does", lane_what, tid, required=False),
            needs=self.needs(node.get("needs"), lane_what, tid),
            systems=self.systems(node.get("systems"), lane_what, tid),
            processes=self.texts(node, "processes", lane_what, tid),
            team=self.team(node.get("team"), lane_what, tid))

    def needs(self, node: YNode | None, what: str, tid: str | None) -> dict[str, Text]:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return {}
        if not isinstance(node, YMap):
            self.problem(Code.WRONG_TYPE, f"'needs' of {what} must be a mapping of "
                         f"{', '.join(NEEDS)}", node, question_id=tid, given=_kind(node),
                         allowed=", ".join(NEEDS),
                         fix="write e.g. 'information: {nl: ..., en: ...}' indented under "
                         "'needs:'")
            return {}
        for key in node:
            if key not in NEEDS:
                self.problem(Code.JOURNEY_UNKNOWN_NEED, f"unknown need '{key}' in {what}",
                             node, key=key, question_id=tid, given=key,
                             allowed=", ".join(NEEDS), fix=_closest(key, NEEDS) or
                             "use one of the four kinds of need; write anything else in the "
                             "lane's 'does' or 'processes'")
        out: dict[str, Text] = {}
        for kind in NEEDS:
            if kind in node:
                text = self.text_of(node[kind], kind, f"'needs' of {what}", tid)
                if text:
                    out[kind] = text
        return out

    def team(self, node: YNode | None, what: str, tid: str | None) -> str | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        code = node.raw.strip() if isinstance(node, YScalar) else ""
        if _TEAM.fullmatch(code):
            return code
        self.problem(Code.WRONG_TYPE, f"'team' of {what} must be one team code, as the "
                     "employee survey's team question codes it", node, question_id=tid,
                     given=_kind(node),
                     fix="write e.g. 'team: field_experts' (a choice value of the employee "
                     "survey's 'team' question); leave 'team' out when the team differs "
                     "per customer")
        return None

    def systems(self, node: YNode | None, what: str, tid: str | None) -> list[str]:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return []
        entries = list(node) if isinstance(node, YSeq) else None
        names = [_filled(e) for e in entries or []]
        if entries is None or not all(names):
            bad = node if entries is None else \
                next(e for e, n in zip(entries, names) if n is None)
            self.problem(Code.WRONG_TYPE, f"'systems' of {what} must be a list of system "
                         "names", bad, question_id=tid, given=_kind(bad),
                         fix="write e.g. 'systems: [claims system, telephony]' (names are "
                         "not translated)")
        return [n for n in names if n]


def read_journey(path: str | Path) -> tuple[Journey | None, list[Problem]]:
    """Read a journey file: the journey (``None`` when none could be read) and every problem."""
    try:
        src = read_source(path)
    except InstrumentError as exc:
        return None, list(exc.problems)
    return read_journey_text(src.text, src.name, src.warnings)


def read_journey_text(text: str, name: str = "journey.yaml",
                      warnings: Sequence[Problem] = ()) -> tuple[Journey | None, list[Problem]]:
    """Read the text of a journey file, as :func:`read_journey` reads the file ``name``.

    ``warnings`` are problems found while reading the file (its encoding), put first.
    """
    src_warnings = list(warnings)
    try:
        root = parse_yaml(text, name)
    except InstrumentError as exc:
        return None, list(exc.problems)
    if root is None:
        return None, [*src_warnings, Problem(
            Code.EMPTY_FILE, "the file is empty", file=name, line=1,
            fix="start from 'cxresearch new STUDY' or the example "
            "surveys/insurer-claims/journey.yaml")]
    if not isinstance(root, YMap):
        return None, [*src_warnings, Problem(
            Code.WRONG_TYPE, "a journey file must be a mapping with 'id', 'title', "
            "'languages' and 'stages'", file=name, line=root.line, column=root.column,
            given=_kind(root), fix="write 'id: ...', 'title: ...', 'languages: [nl, en]' and "
            "'stages:' as top-level lines, without a leading '- '")]
    reader = _Reader(name)
    journey = reader.journey(root, Path(name).parent.name or "journey")
    return journey, [*src_warnings, *reader.problems]
