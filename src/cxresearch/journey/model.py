"""The journey model: stages with touchpoints, each with a customer and an employee lane.

Instruments point at a journey's stages and touchpoints by id; this module reads
``journey.yaml`` so those references can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._yaml import YMap, YScalar, YSeq, parse_yaml, read_source
from ..errors import Code, InstrumentError, Problem, raise_if_errors

__all__ = ["CHANNELS", "Journey", "Stage", "Touchpoint", "load_journey"]

Text = dict[str, str]
_TOP_KEYS = {"format", "id", "title", "languages", "audience", "description", "stages"}
_STAGE_KEYS = {"id", "name", "description", "touchpoints"}
_TOUCHPOINT_KEYS = {"id", "name", "channel", "moment_of_truth", "customer", "employee",
                    "description"}
CHANNELS = ("online", "phone", "email", "chat", "app", "letter", "visit", "in_person", "other")


@dataclass
class Touchpoint:
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
    id: str
    name: Text
    touchpoints: list[Touchpoint] = field(default_factory=list)
    line: int | None = None


@dataclass
class Journey:
    id: str
    title: Text
    languages: list[str]
    stages: list[Stage]
    audience: str = "customer"
    source: str | None = None

    def touchpoints(self) -> list[Touchpoint]:
        return [tp for stage in self.stages for tp in stage.touchpoints]

    def touchpoint(self, tid: str) -> Touchpoint:
        for tp in self.touchpoints():
            if tp.id == tid:
                return tp
        raise KeyError(f"no touchpoint '{tid}' in journey '{self.id}'")

    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def touchpoint_ids(self) -> list[str]:
        return [tp.id for tp in self.touchpoints()]


def _text(node: object, languages: list[str], what: str, name: str,
          problems: list[Problem]) -> Text:
    if isinstance(node, YMap):
        out = {k: v.raw for k, v in node.items() if isinstance(v, YScalar)}
        missing = [lang for lang in languages if not out.get(lang)]
        if missing:
            problems.append(Problem(Code.MISSING_TRANSLATION,
                                    f"{what} has no text in {', '.join(missing)}", file=name,
                                    line=node.line, column=node.column,
                                    fix=f"add {', '.join(m + ': ...' for m in missing)}"))
        return out
    if isinstance(node, YScalar) and len(languages) <= 1:
        return {languages[0] if languages else "en": node.raw}
    problems.append(Problem(Code.WRONG_TYPE, f"{what} must be a text per language",
                            file=name, line=getattr(node, "line", None),
                            fix="write e.g. {nl: ..., en: ...}"))
    return {}


def _check_keys(node: YMap, allowed: set[str], what: str, name: str,
                problems: list[Problem]) -> None:
    import difflib

    for key in node:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
            line, column = node.key_pos[key]
            problems.append(Problem(Code.UNKNOWN_FIELD, f"unknown field '{key}' in {what}",
                                    file=name, line=line, column=column,
                                    allowed=", ".join(sorted(allowed)),
                                    fix=f"did you mean '{close[0]}'?" if close else
                                    "remove it, or check the spelling"))


def load_journey(path: str | Path) -> Journey:
    """Read ``journey.yaml``; raise :class:`InstrumentError` listing every problem."""
    src = read_source(path)
    root = parse_yaml(src.text, src.name)
    problems: list[Problem] = []
    if not isinstance(root, YMap):
        raise InstrumentError.single(Code.WRONG_TYPE, "a journey file must be a mapping with "
                                     "'id', 'title', 'languages' and 'stages'", file=src.name)
    _check_keys(root, _TOP_KEYS, "the journey", src.name, problems)
    langs_node = root.get("languages")
    languages = [x.raw for x in langs_node if isinstance(x, YScalar)] \
        if isinstance(langs_node, YSeq) else ["en"]
    jid = root.get("id")
    journey = Journey(id=jid.raw if isinstance(jid, YScalar) else Path(path).parent.name,
                      title=_text(root.get("title"), languages, "the journey title", src.name,
                                  problems),
                      languages=languages, stages=[], source=src.name)
    aud = root.get("audience")
    if isinstance(aud, YScalar):
        journey.audience = aud.raw
    seen: dict[str, int] = {}
    stages = root.get("stages")
    if not isinstance(stages, YSeq) or not stages:
        problems.append(Problem(Code.MISSING_FIELD, "the journey has no 'stages'", file=src.name,
                                line=root.line, fix="add 'stages:' with at least one stage"))
        stages = YSeq()
    for snode in stages:
        if not isinstance(snode, YMap) or not isinstance(snode.get("id"), YScalar):
            problems.append(Problem(Code.MISSING_FIELD, "a stage needs an 'id'", file=src.name,
                                    line=getattr(snode, "line", None)))
            continue
        sid = str(snode["id"])
        _check_keys(snode, _STAGE_KEYS, f"stage '{sid}'", src.name, problems)
        tps = snode.get("touchpoints")
        if tps is not None and not isinstance(tps, YSeq):
            problems.append(Problem(Code.WRONG_TYPE, f"'touchpoints' of stage '{sid}' must be "
                                    "a list", file=src.name, line=snode.line, question_id=sid))
        tnodes = tps if isinstance(tps, YSeq) else YSeq()
        stage = Stage(sid, _text(snode.get("name"), languages, f"stage '{sid}'", src.name,
                                 problems), line=snode.line)
        for key, node in [(sid, snode)] + [
                (str(t.get("id")), t) for t in tnodes
                if isinstance(t, YMap)]:
            if key in seen:
                problems.append(Problem(Code.DUPLICATE_ID, f"id '{key}' is used twice "
                                        f"(first on line {seen[key]})", file=src.name,
                                        line=node.line, question_id=key,
                                        fix="give every stage and touchpoint its own id"))
            seen.setdefault(key, node.line)
        for tnode in tnodes:
            if not isinstance(tnode, YMap) or not isinstance(tnode.get("id"), YScalar):
                problems.append(Problem(Code.MISSING_FIELD, "a touchpoint needs an 'id'",
                                        file=src.name, line=getattr(tnode, "line", None)))
                continue
            tid = str(tnode["id"])
            _check_keys(tnode, _TOUCHPOINT_KEYS, f"touchpoint '{tid}'", src.name, problems)
            channel = tnode.get("channel")
            mot = tnode.get("moment_of_truth")
            if mot is not None and not (isinstance(mot, YScalar) and mot.raw.lower() in
                                        ("true", "false", "yes", "no")):
                problems.append(Problem(Code.WRONG_TYPE, f"'moment_of_truth' of '{tid}' must "
                                        "be true or false", file=src.name,
                                        line=getattr(mot, "line", tnode.line), question_id=tid,
                                        given=str(mot), allowed="true, false"))
            tp = Touchpoint(
                tid, _text(tnode.get("name"), languages, f"touchpoint '{tid}'", src.name, problems),
                stage=sid, channel=channel.raw if isinstance(channel, YScalar) else None,
                moment_of_truth=isinstance(mot, YScalar) and mot.raw.lower() in ("true", "yes"),
                line=tnode.line)
            for lane in ("customer", "employee"):
                if lane in tnode:
                    setattr(tp, lane, _text(tnode[lane], languages,
                                            f"the {lane} lane of '{tid}'", src.name, problems))
            if tp.channel is not None and tp.channel not in CHANNELS:
                problems.append(Problem(Code.INVALID_VALUE, f"unknown channel of '{tid}'",
                                        file=src.name, line=tnode.line, question_id=tid,
                                        given=tp.channel, allowed=", ".join(CHANNELS)))
            stage.touchpoints.append(tp)
        journey.stages.append(stage)
    raise_if_errors(problems)
    return journey
