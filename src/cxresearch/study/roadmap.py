"""The improvement roadmap: actions, the metric that will judge each, and its verdict.

``roadmap.yaml`` in a study folder lists improvement actions. Each is tied to a journey
touchpoint and to the answer field that will show whether it worked::

    actions:
      - id: delivery_window
        title:
          nl: Bezorgbericht met een tijdvak van 30 minuten
          en: Delivery message with a 30-minute window
        touchpoint: delivery_notice      # a touchpoint of journey.yaml
        owner: team planning
        kind: quick_win                  # quick_win | long_term
        status: done                     # planned | in_progress | done
        metric: touchpoint_satisfaction  # the item-bank metric of the outcome, or an own quantity
        outcome: sat_delivery_notice     # an answer field of one of the study's surveys
        among: ${installation_booked} = 'yes'   # optional: the respondents it is about
        success: [all]                   # optional: for a choice question, the answers that count
        expected_effect: {size: 0.5, direction: increase}
        origin:                          # whose complaints led to it, to tell them what changed
          quotes: [Q-c01-t0010]
          text: {nl: ..., en: ...}
        verdict:                         # written by write_verdicts after a later wave
          run_id: 20261123T101500Z
          date: '2026-11-23'
          conclusion: improvement
          estimate: 0.507
          interval: [0.391, 0.624]
          n: 1265
          method: Welch's t-test
          text: {nl: ..., en: ...}

``expected_effect`` is in the unit the verdict reports: NPS points for NPS, points on the
scale for a scale or a number's own unit (days), percentage points for shares
(``success``, top-box). It is the smallest effect that matters when the action is
judged (:func:`judge_roadmap`, by :func:`cxresearch.stats.compare`), and ``direction``
says which way is better. The stored verdict's numbers are in the same unit.

Our own code: no library knows roadmaps. Reading uses the position-keeping reader of
:mod:`cxresearch._yaml`, so every problem names file and line.
"""

from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import yaml

from .._atomic import atomic_write_text
from .._numbers import number
from .._yaml import YMap, YNode, YScalar, YSeq, parse_yaml, read_source
from ..errors import Code, InstrumentError, Problem, ProblemsError, Severity
from ..journey._read import _closest, _filled, _Reader
from .findings import _PERCENT, _check_lang, _estimate_text, _run_dir, _word, run_id_of

if TYPE_CHECKING:
    import pandas as pd

    from ..instrument.model import Instrument, Question
    from ..journey.model import Journey
    from ..stats import Verdict

__all__ = ["ACTION_KINDS", "DIRECTIONS", "NOT_JUDGED", "ROADMAP_FILE", "STATUSES", "Action",
           "ActionVerdict", "ExpectedEffect", "Origin", "Roadmap", "RoadmapError",
           "judge_roadmap", "load_roadmap", "roadmap_table", "write_verdicts"]

ROADMAP_FILE = "roadmap.yaml"
ACTION_KINDS = ("quick_win", "long_term")
STATUSES = ("planned", "in_progress", "done")
DIRECTIONS = ("increase", "decrease")
NOT_JUDGED = "not_judged_yet"
"""The conclusion of an action that was not judged (see :attr:`ActionVerdict.reason`)."""

_TOP_KEYS = ("actions",)
_ACTION_KEYS = ("id", "title", "touchpoint", "owner", "kind", "status", "metric", "outcome",
                "among", "success", "expected_effect", "origin", "verdict")
_EFFECT_KEYS = ("size", "direction")
_ORIGIN_KEYS = ("quotes", "text")
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_QUOTE_ID = re.compile(r"^Q-[A-Za-z0-9_.\-]+$")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_WAVE_PAIRS = (("before", "after"), ("voor", "na"), ("pre", "post"))
_EFFECT_EXAMPLE = "expected_effect: {size: 0.3, direction: increase}"


class RoadmapError(ProblemsError):
    """A roadmap could not be read, judged or written; ``problems`` say where and why."""


# -- the model -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ExpectedEffect:
    """How much an action should move its outcome, and which way is better.

    >>> ExpectedEffect(3.0, "decrease").signed
    -3.0
    """

    size: float
    direction: str

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "increase"

    @property
    def signed(self) -> float:
        """``size`` with the sign of ``direction``."""
        return self.size if self.higher_is_better else -self.size


@dataclass(frozen=True)
class Origin:
    """Whose complaints led to an action: quote ids and/or a text per language."""

    quotes: tuple[str, ...] = ()
    text: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    """One improvement action of ``roadmap.yaml`` (see the module docstring)."""

    id: str
    title: Mapping[str, str]
    touchpoint: str
    owner: str
    kind: str
    status: str
    metric: str
    outcome: str
    expected_effect: ExpectedEffect
    among: str | None = None
    success: tuple[str, ...] | None = None
    origin: Origin | None = None
    verdict: Mapping[str, Any] | None = None
    """The verdict stored in the file (from an earlier run), as written."""
    line: int | None = None

    def label(self, lang: str = "en") -> str:
        """The title in ``lang`` (any language when it lacks one)."""
        return self.title.get(lang) or next(iter(self.title.values()), self.id)


@dataclass(frozen=True)
class Roadmap:
    """The actions of a study's ``roadmap.yaml``, in file order."""

    path: Path
    actions: tuple[Action, ...] = ()
    problems: tuple[Problem, ...] = ()
    """Warnings met while reading (errors raise :class:`RoadmapError`)."""

    @property
    def study(self) -> Path:
        return self.path.parent

    def action(self, action_id: str) -> Action:
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(f"no action '{action_id}' in {self.path}; its actions: "
                       f"{', '.join(a.id for a in self.actions)}")

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def __len__(self) -> int:
        return len(self.actions)


# -- reading -------------------------------------------------------------------------------
def _roadmap_path(study: str | Path | Roadmap) -> Path:
    if isinstance(study, Roadmap):
        return study.path
    path = Path(study)
    return path / ROADMAP_FILE if path.is_dir() or path.suffix == "" else path


def _study_inputs(folder: Path) -> tuple[Path, list[Path]]:
    """The journey and instrument files: from ``study.yaml`` where it names them, else
    ``journey.yaml`` and ``instruments/*.yaml``."""
    journey, instruments = folder / "journey.yaml", sorted(folder.glob("instruments/*.yaml"))
    plan = folder / "study.yaml"
    if plan.is_file():
        root = parse_yaml(read_source(plan).text, str(plan))
        if isinstance(root, YMap):
            named = _filled(root.get("journey"))
            if named:
                journey = folder / named
            listed = root.get("instruments")
            if isinstance(listed, YSeq):
                instruments = [folder / n.raw for n in listed
                               if isinstance(n, YScalar) and _filled(n)]
    return journey, instruments


class _RoadmapReader(_Reader):
    """Turns the YAML nodes of ``roadmap.yaml`` into actions, collecting problems."""

    def __init__(self, name: str, journey: Journey | None,
                 surveys: Sequence[Instrument]) -> None:
        super().__init__(name)
        self.languages = list(journey.languages) if journey is not None else ["nl", "en"]
        self.languages_known = True
        self.touchpoints = journey.touchpoint_ids() if journey is not None else None
        self.fields: dict[str, tuple[Instrument, Question]] = {}
        for survey in surveys:
            for q in survey.questions():
                for fid in q.field_ids():
                    self.fields.setdefault(fid, (survey, q))
        from ..instrument.itembank import items

        self.metrics = sorted({item.metric for item in items().values()})

    def required(self, node: YMap, key: str, what: str, qid: str | None,
                 example: str) -> str | None:
        if key not in node:
            self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", node, question_id=qid,
                         fix=f"add '{key}: {example}'")
            return None
        return self.word(node, key, what, qid, example)

    def choice(self, node: YMap, key: str, what: str, qid: str | None,
               allowed: tuple[str, ...]) -> str | None:
        value = self.required(node, key, what, qid, allowed[0])
        if value is not None and value not in allowed:
            self.problem(Code.INVALID_VALUE, f"'{key}' of {what} is not allowed", node[key],
                         question_id=qid, given=value, allowed=", ".join(allowed),
                         fix=_closest(value, allowed) or f"write one of: {', '.join(allowed)}")
            return None
        return value

    def roadmap(self, root: YNode | None) -> list[Action]:
        if root is None:
            return []
        if not isinstance(root, YMap):
            self.problem(Code.WRONG_TYPE, "roadmap.yaml must be a mapping with 'actions'", root,
                         fix="start the file with 'actions:' and list the actions under it")
            return []
        self.check_keys(root, _TOP_KEYS, "the roadmap")
        actions = root.get("actions")
        if actions is None or (isinstance(actions, YScalar) and actions.is_null):
            self.problem(Code.MISSING_FIELD, "the roadmap has no 'actions'", root,
                         fix="add 'actions:' with one '- id: ...' per action, or "
                         "'actions: []' while there are none")
            return []
        if not isinstance(actions, YSeq):
            self.problem(Code.WRONG_TYPE, "'actions' must be a list", actions,
                         fix="write each action on a line starting with '- id: ...', "
                         "indented under 'actions:'")
            return []
        found = [self.action(node) for node in actions]
        return [a for a in found if a is not None]

    def action(self, node: YNode) -> Action | None:
        if not isinstance(node, YMap):
            self.problem(Code.WRONG_TYPE, "each action must be a mapping ('- id: ...')", node,
                         fix="write the action as '- id: ...' with its fields indented under it")
            return None
        aid = self.required(node, "id", "an action", None, "delivery_window")
        if aid is not None and not _ID.match(aid):
            self.problem(Code.INVALID_ID, f"action id '{aid}' is not an id", node, key="id",
                         given=aid, allowed="letters, digits, '_' and '-', starting with a "
                         "letter or '_'", fix="write e.g. 'id: delivery_window'")
        what = f"action '{aid}'" if aid else f"the action on line {node.line}"
        if "field" in node:  # the older name of 'outcome'
            self.problem(Code.UNKNOWN_FIELD, f"'field' of {what} is now called 'outcome'",
                         node, key="field", question_id=aid, fix="rename 'field:' to 'outcome:'")
        self.check_keys(node, _ACTION_KEYS + ("field",), what, aid)
        if aid is not None:
            self.register(aid, node)
        title = self.text(node, "title", what, aid)
        touchpoint = self.required(node, "touchpoint", what, aid, "first_call")
        if touchpoint is not None and self.touchpoints is not None \
                and touchpoint not in self.touchpoints:
            self.problem(Code.UNKNOWN_TOUCHPOINT, f"touchpoint '{touchpoint}' of {what} is not "
                         "in the journey", node["touchpoint"], question_id=aid, given=touchpoint,
                         allowed=", ".join(self.touchpoints),
                         fix=_closest(touchpoint, self.touchpoints) or
                         "use a touchpoint id of journey.yaml, or add the touchpoint there")
        owner = self.required(node, "owner", what, aid, "team planning")
        kind = self.choice(node, "kind", what, aid, ACTION_KINDS)
        status = self.choice(node, "status", what, aid, STATUSES)
        metric = self.required(node, "metric", what, aid, "touchpoint_satisfaction")
        outcome = self.required(node, "outcome", what, aid, "sat_delivery_notice")
        self.check_outcome(node, what, aid, metric, outcome)
        effect = self.effect(node, what, aid)
        origin = self.origin(node, what, aid)
        among = self.word(node, "among", what, aid, "${installation_failed} = 'yes'")
        if among is not None:
            self.check_among(node["among"], among, what, aid, outcome)
        success = self.success(node, what, aid)
        stored = node.get("verdict")
        if stored is not None and not isinstance(stored, YMap) and \
                not (isinstance(stored, YScalar) and stored.is_null):
            self.problem(Code.WRONG_TYPE, f"'verdict' of {what} must be a mapping (written by "
                         "write_verdicts)", stored, question_id=aid,
                         fix="remove it; the next run's write_verdicts writes it again")
        if aid is None or touchpoint is None or owner is None or kind is None or \
                status is None or metric is None or outcome is None or effect is None or \
                not title:
            return None
        return Action(aid, title, touchpoint, owner, kind, status, metric, outcome, effect,
                      among, success, origin, None, node.line)

    def check_outcome(self, node: YMap, what: str, aid: str | None, metric: str | None,
                      outcome: str | None) -> None:
        if outcome is None or not self.fields:
            return
        if outcome not in self.fields:
            self.problem(Code.INVALID_VALUE, f"outcome '{outcome}' of {what} is not an answer "
                         "field of the study's surveys", node["outcome"], question_id=aid,
                         given=outcome, fix=_closest(outcome, list(self.fields)) or
                         "use an answer field of instruments/*-survey.yaml (e.g. sat_<touchpoint>)")
            return
        fed = self.fields[outcome][1].metric
        if metric is None or metric == fed or (fed is None and metric not in self.metrics):
            return
        if fed is None:
            why = (f"'{outcome}' is an own question, not an item-bank '{metric}' item; name "
                   f"its own quantity, e.g. 'metric: {outcome}'")
        else:
            why = f"'{outcome}' feeds the metric '{fed}': write 'metric: {fed}'"
        self.problem(Code.INVALID_VALUE, f"metric '{metric}' of {what} does not match its "
                     "outcome", node["metric"], question_id=aid, given=metric,
                     allowed=fed or "an own quantity (not an item-bank metric)", fix=why)

    def check_among(self, node: YNode, among: str, what: str, aid: str | None,
                    outcome: str | None) -> None:
        from ..instrument.logic import LogicError, parse, references

        try:
            names = [ref.name for ref in references(parse(among))]
        except LogicError as exc:
            self.problem(Code.LOGIC_SYNTAX, f"'among' of {what} cannot be read: {exc}", node,
                         question_id=aid, given=among,
                         fix="write it as in the instruments' logic, e.g. "
                         "${installation_failed} = 'yes'")
            return
        if outcome not in self.fields:
            return
        survey = self.fields[outcome][0]
        known = set(survey.field_ids()) | set(survey.metadata)
        for name in names:
            if name not in known:
                self.problem(Code.LOGIC_UNKNOWN_QUESTION, f"'among' of {what} names '{name}', "
                             f"which is not a field of {survey.id}", node, question_id=aid,
                             given=name, fix=_closest(name, sorted(known)) or
                             "name a question of the survey that holds the outcome")

    def number(self, node: YMap, key: str, what: str, aid: str | None) -> float | None:
        value = node.get(key)
        raw = value.raw.strip() if isinstance(value, YScalar) and not value.quoted else ""
        if not _NUMBER.match(raw):
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a number", value or node,
                         question_id=aid, given=_describe(value),
                         fix=f"write e.g. '{key}: 0.3' (a decimal point, not a comma)")
            return None
        return float(raw)

    def effect(self, node: YMap, what: str, aid: str | None) -> ExpectedEffect | None:
        value = node.get("expected_effect")
        if value is None:
            self.problem(Code.MISSING_FIELD, f"{what} has no 'expected_effect'", node,
                         question_id=aid, fix=f"add '{_EFFECT_EXAMPLE}', in the unit the "
                         "verdict reports (NPS points, scale points, percentage points)")
            return None
        what = f"'expected_effect' of {what}"
        if not isinstance(value, YMap):
            self.problem(Code.WRONG_TYPE, f"{what} must be a mapping", value, question_id=aid,
                         given=_describe(value), fix=f"write '{_EFFECT_EXAMPLE}'")
            return None
        self.check_keys(value, _EFFECT_KEYS, what, aid)
        size = self.number(value, "size", what, aid) if "size" in value else None
        if "size" not in value:
            self.problem(Code.MISSING_FIELD, f"{what} has no 'size'", value, question_id=aid,
                         fix=f"write '{_EFFECT_EXAMPLE}'")
        elif size is not None and not size > 0:
            self.problem(Code.INVALID_VALUE, f"'size' of {what} must be more than 0",
                         value["size"], question_id=aid, given=str(size),
                         fix="give the size without sign; 'direction' says which way")
            size = None
        direction = self.choice(value, "direction", what, aid, DIRECTIONS)
        if size is None or direction is None:
            return None
        return ExpectedEffect(size, direction)

    def origin(self, node: YMap, what: str, aid: str | None) -> Origin | None:
        value = node.get("origin")
        if value is None:
            return None
        what = f"'origin' of {what}"
        if not isinstance(value, YMap) or not ("quotes" in value or "text" in value):
            self.problem(Code.WRONG_TYPE, f"{what} must be a mapping with 'quotes' and/or "
                         "'text'", value, question_id=aid, given=_describe(value),
                         fix="write 'origin: {quotes: [Q-c01-t0010], text: {nl: ..., en: ...}}'")
            return None
        self.check_keys(value, _ORIGIN_KEYS, what, aid)
        quotes: list[str] = []
        listed = value.get("quotes")
        if listed is not None and not isinstance(listed, YSeq):
            self.problem(Code.WRONG_TYPE, f"'quotes' of {what} must be a list of quote ids",
                         listed, question_id=aid, fix="write 'quotes: [Q-c01-t0010]'")
        for item in listed if isinstance(listed, YSeq) else []:
            qid = _filled(item)
            if qid is None or not _QUOTE_ID.match(qid):
                self.problem(Code.INVALID_VALUE, f"{_describe(item)} in {what} is not a quote "
                             "id", item, question_id=aid, given=_describe(item),
                             allowed="Q-<transcript>-<segment>, e.g. Q-c01-t0010",
                             fix="use the quote_id column of cxresearch.qual.quote_table")
            else:
                quotes.append(qid)
        text = self.text(value, "text", what, aid, required=False)
        return Origin(tuple(quotes), text)

    def success(self, node: YMap, what: str, aid: str | None) -> tuple[str, ...] | None:
        value = node.get("success")
        if value is None:
            return None
        items = list(value) if isinstance(value, YSeq) else [value]
        texts = [_filled(item) for item in items]
        if not texts or any(t is None for t in texts):
            self.problem(Code.WRONG_TYPE, f"'success' of {what} must be a choice value or a "
                         "list of them", value, question_id=aid, given=_describe(value),
                         fix="write e.g. 'success: [all]': the answers that count")
            return None
        return tuple(t for t in texts if t is not None)


def _describe(node: Any) -> str:
    from .._yaml import describe_node

    return describe_node(node)


def load_roadmap(study: str | Path, *, journey: Journey | None = None,
                 instruments: Sequence[Instrument] | None = None) -> Roadmap:
    """Read and check a study's ``roadmap.yaml``.

    Parameters
    ----------
    study : path
        The study folder (or the roadmap file itself).
    journey : Journey, optional
        The journey the touchpoints are checked against. Default: the study's
        (``journey:`` of ``study.yaml``, else ``journey.yaml``).
    instruments : list of Instrument, optional
        The instruments whose answer fields the outcomes must be. Default: the study's
        surveys (``instruments:`` of ``study.yaml``, else ``instruments/*.yaml``).

    Returns
    -------
    Roadmap

    Raises
    ------
    RoadmapError
        Every problem found at once, each with file, line and column, the action id,
        what is allowed and how to fix it: unknown or missing keys, a touchpoint not in
        the journey (CX170), an outcome that is no answer field of the study's surveys
        or a metric that does not fit it (CX113), a kind, status or direction that is
        not allowed (CX113), an ``among`` that does not parse (CX160) or names an unknown
        field (CX161), an id used twice (CX121). Problems of the journey or the
        instruments themselves are raised as theirs (:class:`InstrumentError`).
    """
    path = _roadmap_path(study)
    folder = path.parent
    if journey is None or instruments is None:
        journey_file, instrument_files = _study_inputs(folder)
        if journey is None and journey_file.is_file():
            from ..journey import load_journey

            journey = load_journey(journey_file)
        if instruments is None:
            from ..instrument import load_instrument

            instruments = [load_instrument(p) for p in instrument_files if p.is_file()]
    surveys = [inst for inst in instruments if inst.kind == "survey"]
    try:
        source = read_source(path)
        root = parse_yaml(source.text, str(path))
    except InstrumentError as exc:
        raise RoadmapError(exc.problems) from None
    reader = _RoadmapReader(str(path), journey, surveys)
    actions = reader.roadmap(root)
    problems = list(source.warnings) + reader.problems
    if journey is None:
        problems.append(Problem(Code.JOURNEY_NOT_FOUND, "no journey: the actions' touchpoints "
                                "were not checked", file=str(path), severity=Severity.WARNING,
                                fix="add journey.yaml to the study folder (or pass journey=)"))
    if not surveys:
        problems.append(Problem(Code.INVALID_VALUE, "no survey: the actions' outcomes and "
                                "metrics were not checked", file=str(path),
                                severity=Severity.WARNING,
                                fix="add the surveys under instruments/ (or pass instruments=)"))
    if any(p.severity == Severity.ERROR for p in problems):
        raise RoadmapError(problems)
    stored = _plain_actions(yaml.safe_load(source.text), root)
    actions = [replace(a, verdict=stored.get(a.id, {}).get("verdict") or None) for a in actions]
    return Roadmap(path, tuple(actions), tuple(problems))


def _action_ids(root: YNode | None) -> list[str | None]:
    """Each action's id as written (``no`` stays ``"no"``, which plain YAML reads as
    ``False``), in file order."""
    nodes = root.get("actions") if isinstance(root, YMap) else None
    return [_filled(n.get("id")) if isinstance(n, YMap) else None
            for n in (nodes if isinstance(nodes, YSeq) else [])]


def _plain_actions(data: Any, root: YNode | None) -> dict[str, dict[str, Any]]:
    """The actions of ``data`` (the file read as plain YAML) by their ids."""
    actions = data.get("actions") if isinstance(data, dict) else None
    if not isinstance(actions, list):
        return {}
    return {ident: action for ident, action in zip(_action_ids(root), actions)
            if ident is not None and isinstance(action, dict)}


# -- judging -------------------------------------------------------------------------------
_REASONS: dict[str, tuple[str, str]] = {  # (en, nl)
    "planned": ("Not judged yet: the action is planned; it is judged once its status is "
                "'done'.",
                "Nog niet beoordeeld: de actie is gepland; ze wordt beoordeeld zodra haar "
                "status 'done' is."),
    "in_progress": ("Not judged yet: the action is in progress; it is judged once its "
                    "status is 'done'.",
                    "Nog niet beoordeeld: de actie is in uitvoering; ze wordt beoordeeld "
                    "zodra haar status 'done' is."),
    "no_outcome": ("Not judged: none of the data given has answers to '{outcome}'.",
                   "Niet beoordeeld: geen van de gegeven data bevat antwoorden op "
                   "'{outcome}'."),
    "no_group": ("Not judged: the data with '{outcome}' have no column '{group}' to tell "
                 "before from after.",
                 "Niet beoordeeld: de data met '{outcome}' hebben geen kolom '{group}' die "
                 "voor en na onderscheidt."),
    "among": ("Not judged: 'among' ({among}) cannot be applied to the data: {message}.",
              "Niet beoordeeld: 'among' ({among}) past niet op de data: {message}."),
    "compare": ("Not judged: the comparison could not be made: {message}",
                "Niet beoordeeld: de vergelijking kon niet worden gemaakt: {message}"),
}


def _reason(key: str, **values: Any) -> dict[str, str]:
    en, nl = _REASONS[key]
    return {"nl": nl.format(**values), "en": en.format(**values)}


@dataclass(frozen=True)
class ActionVerdict:
    """An action judged (or why it was not), for the roadmap and the client report.

    Attributes
    ----------
    action : str
        The action's id.
    conclusion : str
        One of :data:`cxresearch.stats.CONCLUSIONS`, or :data:`NOT_JUDGED`.
    verdict : Verdict or None
        The comparison, with the expected effect as the smallest effect that matters.
    reason : dict or None
        Why the action was not judged, ``{"nl": ..., "en": ...}``.
    run_id, date : str or None
        The run that judged it and the day (ISO, UTC).
    lang : str
        The language of ``str()`` and the notebook view.
    title : dict
        The action's title per language.
    """

    action: str
    conclusion: str
    verdict: Verdict | None = None
    reason: Mapping[str, str] | None = None
    run_id: str | None = None
    date: str | None = None
    lang: str = "en"
    title: Mapping[str, str] = field(default_factory=dict)

    @property
    def judged(self) -> bool:
        return self.verdict is not None

    @property
    def _scale(self) -> float:
        return 100.0 if self.verdict is not None and self.verdict.metric in _PERCENT else 1.0

    @property
    def estimate(self) -> float | None:
        """The change after - before, in the unit of the expected effect."""
        return None if self.verdict is None else self.verdict.estimate * self._scale

    @property
    def ci_low(self) -> float | None:
        return None if self.verdict is None else self.verdict.ci_low * self._scale

    @property
    def ci_high(self) -> float | None:
        return None if self.verdict is None else self.verdict.ci_high * self._scale

    @property
    def n(self) -> int | None:
        return None if self.verdict is None else self.verdict.n

    def text(self, lang: str | None = None) -> str:
        """The verdict's sentences in ``lang`` (or why the action was not judged)."""
        lang = _check_lang(lang or self.lang)
        if self.verdict is not None:
            return self.verdict.verdict(lang)
        return (self.reason or {}).get(lang, "")

    def to_dict(self) -> dict[str, Any]:
        """The ``verdict:`` mapping :func:`write_verdicts` writes next to the action."""
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(float(value), 4)

        out: dict[str, Any] = {"run_id": self.run_id, "date": self.date,
                               "conclusion": self.conclusion}
        if self.verdict is not None:
            out.update({"estimate": rounded(self.estimate),
                        "interval": [rounded(self.ci_low), rounded(self.ci_high)],
                        "n": int(self.verdict.n), "method": self.verdict.method})
        out["text"] = {lang: self.text(lang) for lang in ("nl", "en")}
        return out

    def __str__(self) -> str:
        return f"{self.action}: {_word(self.conclusion, self.lang)}. " + \
            self.text()

    def _repr_html_(self) -> str:
        title = self.title.get(self.lang) or self.action
        return (f"<div class='cx-verdict'><p><b>{html.escape(title)}</b> – "
                f"{html.escape(_word(self.conclusion, self.lang))}</p>"
                f"<p>{html.escape(self.text())}</p></div>")


def _sources(responses: Any) -> list[Any]:
    if isinstance(responses, (list, tuple)):
        return list(responses)
    return [responses]


def _frame(source: Any) -> Any:
    data = getattr(source, "data", source)
    if not hasattr(data, "columns"):
        raise RoadmapError.single(Code.WRONG_TYPE, "responses must be Responses or a DataFrame "
                                  f"(or a list of them); got {type(source).__name__}")
    return data


def _waves(frame: Any, group: str, before: Any, after: Any) -> tuple[Any, Any]:
    """``before`` and ``after``: as given, else the usual names when the group has them,
    else ``None`` (``compare`` then takes the group's two values in order)."""
    if before is not None or after is not None:
        return before, after
    present = set(frame[group].dropna().astype(str))
    for pair in _WAVE_PAIRS:
        if present == set(pair):
            return pair
    return None, None


def judge_roadmap(roadmap: Roadmap, responses: Any, *, group: str = "wave",
                  before: Any = None, after: Any = None, lang: str = "en",
                  run_id: str | None = None) -> list[ActionVerdict]:
    """Judge every action that is done, on its outcome between two waves.

    Parameters
    ----------
    roadmap : Roadmap
        From :func:`load_roadmap`.
    responses : Responses or DataFrame, or a list of them
        The answers (quality exclusions applied). Each action is judged on the first
        one that has its outcome column; a customer and an employee survey can be given
        together.
    group : str
        The column that tells the waves apart.
    before, after : optional
        The two values of ``group``. Default: ``before``/``after`` (or ``voor``/``na``,
        ``pre``/``post``) when the group holds those, else its two values in order.
    lang : {"en", "nl"}
        The language of the verdicts' ``str()`` and notebook view (both languages are
        always kept).
    run_id : str, optional
        The run that judges (default: that of :data:`~cxresearch.study.findings.RUN_DIR_ENV`
        when set).

    Returns
    -------
    list of ActionVerdict
        One per action, in roadmap order.

    Notes
    -----
    An action with status ``done`` is judged with :func:`cxresearch.stats.compare` on
    its ``outcome`` between ``before`` and ``after``, among the respondents of its
    ``among`` (evaluated with the instruments' safe logic), counting its ``success``
    answers as a share when it names them. Its expected effect is the smallest effect
    that matters (``sesoi``; for shares converted from percentage points) and its
    direction says whether higher is better; the conclusion follows
    :func:`cxresearch.stats.conclude`. Other actions, and actions whose data are
    missing or too few, get :data:`NOT_JUDGED` with the reason in Dutch and English.

    Raises
    ------
    RoadmapError
        ``responses`` is not data. A ``before`` or ``after`` that is not a value of
        ``group`` does not raise: each action done says so as its reason, so that a run
        goes on.
    """
    from ..instrument.logic import evaluate_frame, parse
    from ..stats import compare
    from ..stats._check import StatsInputError
    from ..stats._verdict import conclude

    _check_lang(lang)
    if run_id is None:
        folder = _run_dir()
        run_id = run_id_of(folder) if folder is not None else None
    date = datetime.now(timezone.utc).date().isoformat()
    sources = [(source, _frame(source)) for source in _sources(responses)]
    out: list[ActionVerdict] = []
    for action in roadmap.actions:
        def not_judged(reason: dict[str, str]) -> ActionVerdict:
            return ActionVerdict(action.id, NOT_JUDGED, None, reason, run_id, date, lang,
                                 action.title)

        if action.status != "done":
            out.append(not_judged(_reason(action.status)))
            continue
        found = next(((s, f) for s, f in sources if action.outcome in f.columns), None)
        if found is None:
            out.append(not_judged(_reason("no_outcome", outcome=action.outcome)))
            continue
        source, frame = found
        if group not in frame.columns:
            out.append(not_judged(_reason("no_group", outcome=action.outcome, group=group)))
            continue
        first, second = _waves(frame, group, before, after)
        if action.among is not None:
            try:
                keep = evaluate_frame(parse(action.among), frame)
            except (KeyError, ValueError, TypeError) as exc:
                out.append(not_judged(_reason("among", among=action.among,
                                              message=str(exc).strip("'\""))))
                continue
            subset = frame.loc[keep.to_numpy()]
            source = source.with_data(subset) if hasattr(source, "with_data") else subset
        effect = action.expected_effect
        options: dict[str, Any] = {"success": list(action.success)} if action.success else {}
        try:
            verdict = compare(source, action.outcome, group, before=first, after=second,
                              sesoi=effect.size, higher_is_better=effect.higher_is_better,
                              **options)
        except StatsInputError as exc:
            out.append(not_judged(_reason("compare", message=str(exc))))
            continue
        if verdict.metric in _PERCENT:  # the expected effect is in percentage points
            sesoi = effect.size / 100
            verdict = replace(verdict, sesoi=sesoi, conclusion=conclude(
                verdict.ci_low, verdict.ci_high, sesoi, effect.higher_is_better))
        out.append(ActionVerdict(action.id, verdict.conclusion, verdict, None, run_id, date,
                                 lang, action.title))
    return out


# -- writing verdicts back -----------------------------------------------------------------
def _scalar(value: Any) -> str:
    """One YAML scalar on one line (quoted where plain text would read differently)."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=2 ** 20)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _text_lines(key: str, value: Any, pad: str) -> list[str]:
    """``key: value``; a long text folded (``>-``) over lines of about 88 characters when
    YAML reads the folded lines back as the same text, else on one line."""
    if isinstance(value, str) and len(value) + len(pad) + len(key) > 86:
        import textwrap

        wrapped = textwrap.wrap(value, width=max(40, 86 - len(pad)), break_long_words=False,
                                break_on_hyphens=False)
        if yaml.safe_load("k: >-\n" + "".join(f"  {w}\n" for w in wrapped)) == {"k": value}:
            return [f"{pad}{key}: >-"] + [f"{pad}  {w}" for w in wrapped]
    return [f"{pad}{key}: {_scalar(value)}"]


def _verdict_lines(mapping: Mapping[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}verdict:"]
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}  {key}:")
            for k, v in value.items():
                lines += _text_lines(k, v, pad + "    ")
        elif isinstance(value, list):
            lines.append(f"{pad}  {key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"{pad}  {key}: {_scalar(value)}")
    return lines


def _last_line(node: yaml.Node) -> int:
    """The 0-based last line that holds ``node``'s content (comments after it excluded)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    if isinstance(node, yaml.MappingNode) and node.value:
        return _last_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value:
        return _last_line(node.value[-1])
    return node.start_mark.line


def _splice(text: str, updates: Mapping[str, Mapping[str, Any]]) -> str | None:
    """``text`` with each action's ``verdict:`` written in place (or after its last
    line), every other line untouched; ``None`` where the layout does not allow it."""
    lines = text.split("\n")
    for action_id, mapping in updates.items():
        root = yaml.compose("\n".join(lines), Loader=yaml.SafeLoader)
        if not isinstance(root, yaml.MappingNode):
            return None
        actions = next((v for k, v in root.value if k.value == "actions"), None)
        if not isinstance(actions, yaml.SequenceNode) or actions.flow_style:
            return None
        node = next((a for a in actions.value if isinstance(a, yaml.MappingNode) and any(
            k.value == "id" and isinstance(v, yaml.ScalarNode) and v.value == action_id
            for k, v in a.value)), None)
        if node is None or node.flow_style or not node.value:
            return None
        indent = node.value[0][0].start_mark.column
        block = _verdict_lines(mapping, indent)
        pair = next(((k, v) for k, v in node.value if k.value == "verdict"), None)
        if pair is None:
            end = _last_line(node)
            lines[end + 1:end + 1] = block
            continue
        start = pair[0].start_mark.line
        if pair[0].start_mark.column != indent:
            return None
        block[0] = lines[start][:indent] + block[0][indent:]  # keeps a '- ' before it
        lines[start:_last_line(pair[1]) + 1] = block
    return "\n".join(lines)


def _dumped(text: str, data: Any) -> str:
    """``data`` as YAML, after the comment lines that head ``text``."""
    head = []
    for line in text.split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        head.append(line)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88,
                          default_flow_style=False)
    return "\n".join(head).rstrip("\n") + ("\n" if head else "") + body


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, default=str) == json.dumps(b, default=str)


def write_verdicts(study: str | Path | Roadmap, verdicts: Sequence[ActionVerdict]) -> Path:
    """Write each judged verdict next to its action in ``roadmap.yaml``, atomically.

    Parameters
    ----------
    study : path or Roadmap
        The study folder, the roadmap file, or the loaded roadmap.
    verdicts : list of ActionVerdict
        From :func:`judge_roadmap`. Actions that were not judged keep what the file
        holds (an earlier verdict stays).

    Returns
    -------
    Path
        The roadmap file.

    Notes
    -----
    An action's ``verdict:`` (run id, date, conclusion, estimate, interval, n, method,
    text in nl and en) replaces the one it had, in its place, or is added as its last
    key. The file is edited line by line: every other line, comments included, stays as
    it was, and the result is read back and checked to hold exactly the old data with
    the new verdicts. Where the layout does not allow that (an action written in flow
    style, ``{...}``), the whole file is written from its data instead: keys and their
    order are kept, but comments other than those heading the file are lost.

    Raises
    ------
    RoadmapError
        The file cannot be read, or a verdict's action is not in it (nothing is written).
    """
    path = _roadmap_path(study)
    try:
        text = read_source(path).text
        root = parse_yaml(text, str(path))
    except InstrumentError as exc:
        raise RoadmapError(exc.problems) from None
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("actions"), list):
        raise RoadmapError.single(Code.WRONG_TYPE, "roadmap.yaml has no list of 'actions'",
                                  file=str(path), fix="check the file with load_roadmap")
    expected = copy.deepcopy(data)
    by_id = _plain_actions(expected, root)
    updates: dict[str, dict[str, Any]] = {}
    for item in verdicts:
        if not item.judged:
            continue
        if item.action not in by_id:
            raise RoadmapError.single(
                Code.INVALID_VALUE, f"action '{item.action}' is not in the roadmap (nothing "
                "was written)", file=str(path), given=item.action,
                allowed=", ".join(by_id), fix="load the roadmap again and judge it anew")
        updates[item.action] = item.to_dict()
        by_id[item.action]["verdict"] = updates[item.action]
    if not updates:
        return path
    new_text = _splice(text, updates)
    if new_text is None or not _same(yaml.safe_load(new_text), expected):
        new_text = _dumped(text, expected)
    if not _same(yaml.safe_load(new_text), expected):  # pragma: no cover - a safety net
        raise RoadmapError.single(Code.DATA_WRITE, "the verdicts could not be written without "
                                  "changing other data (nothing was written)", file=str(path))
    atomic_write_text(path, new_text if new_text.endswith("\n") else new_text + "\n")
    return path


# -- for the client report -----------------------------------------------------------------
_HEADINGS = {
    "en": {"id": "id", "action": "action", "touchpoint": "touchpoint", "kind": "kind",
           "owner": "owner", "status": "status", "expected": "expected effect",
           "conclusion": "conclusion", "estimate": "change (interval)", "n": "n",
           "verdict": "verdict", "origin": "why", "run_id": "run"},
    "nl": {"id": "id", "action": "actie", "touchpoint": "contactmoment", "kind": "soort",
           "owner": "eigenaar", "status": "status", "expected": "verwacht effect",
           "conclusion": "conclusie", "estimate": "verandering (interval)", "n": "n",
           "verdict": "oordeel", "origin": "aanleiding", "run_id": "run"},
}


def _compact(value: float, lang: str) -> str:
    """A signed number with as few decimals as it needs (at most 2): ``+15``, ``+0,5``."""
    digits = next(d for d in (0, 1, 2) if round(value, d) == round(value, 2))
    return number(value, lang, digits, sign=True)


def roadmap_table(roadmap: Roadmap, verdicts: Sequence[ActionVerdict] | None = None,
                  lang: str = "en", *, journey: Journey | None = None) -> pd.DataFrame:
    """The roadmap for the client report: each action, what was expected and the verdict.

    Parameters
    ----------
    roadmap : Roadmap
    verdicts : list of ActionVerdict, optional
        This run's verdicts; an action without one shows the verdict stored in the file
        (from an earlier run), if any.
    lang : {"en", "nl"}
    journey : Journey, optional
        Names the touchpoints (else their ids are shown).

    Returns
    -------
    DataFrame
        One row per action, in roadmap order: ``id``, ``action`` (title), ``touchpoint``,
        ``kind``, ``owner``, ``status``, ``expected`` (signed, in the verdict's unit),
        ``conclusion`` (in words), ``estimate`` (the change with its interval), ``n``,
        ``verdict`` (the sentences, or why it was not judged), ``origin`` (whose
        complaints led to it: the text, else the quote ids) and ``run_id``.
        ``attrs["headings"]`` holds the column headings in ``lang``.
    """
    import pandas as pd

    _check_lang(lang)
    new = {v.action: v for v in verdicts or ()}
    rows = []
    for action in roadmap.actions:
        digits = 1 if action.metric in ("nps", "enps") or action.success else 2
        mine = new.get(action.id)
        stored: Mapping[str, Any] = action.verdict or {}
        if mine is not None and (mine.judged or not stored):
            shown = mine.to_dict()
        else:
            shown = dict(stored)
        interval = shown.get("interval") or [None, None]
        touchpoint = action.touchpoint
        if journey is not None and touchpoint in journey.touchpoint_ids():
            touchpoint = journey.label(touchpoint, lang)
        origin = action.origin
        why = ""
        if origin is not None:
            why = origin.text.get(lang) or ", ".join(origin.quotes)
        conclusion = shown.get("conclusion")
        rows.append({
            "id": action.id, "action": action.label(lang), "touchpoint": touchpoint,
            "kind": _word(action.kind, lang), "owner": action.owner,
            "status": _word(action.status, lang),
            "expected": _compact(action.expected_effect.signed, lang),
            "conclusion": _word(conclusion, lang),
            "estimate": _estimate_text(shown.get("estimate"), interval[0], interval[1],
                                       digits, lang),
            "n": shown.get("n"),
            "verdict": (shown.get("text") or {}).get(lang, ""),
            "origin": why, "run_id": shown.get("run_id"),
        })
    table = pd.DataFrame(rows, columns=list(_HEADINGS["en"]))
    table["n"] = table["n"].astype("Int64")
    table.attrs["headings"] = dict(_HEADINGS[lang])
    return table
