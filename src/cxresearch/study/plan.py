"""The study plan as code: ``study.yaml`` read and checked, locked before the data arrive,
and every later change listed as a deviation.

A study plan is a preregistration: the hypotheses (what is expected, measured by which
answer field, with which smallest effect that matters and which test), the design
(waves, groups, panel), the sample-size rationale, the exclusion rules, the seed and the
notebooks that make the report. :func:`load_plan` reads ``<study>/study.yaml`` and reports
every problem at once, each with file, line and a fix (:class:`PlanError`);
:func:`lock_plan` writes ``<study>/study.lock.json`` (the plan file's sha256 and a
canonical copy of its content); :func:`plan_status` compares the plan as it is now with
that copy and lists the :class:`Deviation` s in Dutch and English, for the report's
method appendix; :func:`test_deviations` adds the tests a run used that differ from the
plan. Every key of the file is described in ``docs/study-format.md``.

The plan is checked against the study's own files: outcomes, predictors and ``among``
against the answer fields of its instruments, touchpoints against its journey, exclusions
against :data:`cxresearch.data.quality.CHECKS`, and notebooks against the repository's
``notebooks/`` folder. The sample size each hypothesis needs is computed here, by
:func:`cxresearch.stats.sample_size`, never typed in.

Examples
--------
>>> plan = load_plan("surveys/insurer-claims")                  # doctest: +SKIP
>>> [h.id for h in plan.hypotheses]                             # doctest: +SKIP
['h1_first_call_sat', 'h2_nps', 'h3_call_settled', 'h4_report_unchanged']
>>> lock_plan("surveys/insurer-claims")                         # doctest: +SKIP
>>> plan_status("surveys/insurer-claims").describe("en")        # doctest: +SKIP
'The study plan (study.yaml) was locked on 2026-01-15 ... It has not been changed since.'
"""

from __future__ import annotations

import dataclasses
import difflib
import getpass
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

from .._atomic import atomic_write_text
from .._yaml import YMap, YNode, YScalar, YSeq, describe_node, parse_yaml, read_source
from ..errors import Code, CxResearchError, DataError, InstrumentError, Problem, \
    ProblemsError, Severity

__all__ = ["DEVIATION_KINDS", "DIRECTIONS", "LOCK_FILE", "PLAN_FILE", "Deviation", "Design",
           "Hypothesis", "Plan", "PlanError", "PlanStatus", "SampleSizeRationale",
           "load_plan", "lock_plan", "plan_status", "test_deviations"]

PLAN_FILE = "study.yaml"
LOCK_FILE = "study.lock.json"
LOCK_FORMAT = 1
DIRECTIONS = ("increase", "decrease", "no_change")
"""Values of a hypothesis' ``direction``."""
DEVIATION_KINDS = ("plan_edited", "hypothesis_added", "hypothesis_removed",
                   "hypothesis_changed", "exclusions_changed", "test_changed", "not_locked")
"""Values of :attr:`Deviation.kind`."""

Text = dict[str, str]

_TOP_KEYS = ("id", "title", "goal", "languages", "purpose", "min_group_size",
             "smallest_effects", "journey", "instruments", "hypotheses", "design",
             "sample_size", "exclusions", "notebooks", "seed")
_HYPOTHESIS_KEYS = ("id", "text", "metric", "outcome", "touchpoint", "direction", "sesoi",
                    "test", "predictor", "among", "level", "contrast", "success")
_DESIGN_KEYS = ("waves", "wave_column", "groups", "group_column", "panel", "description")
_SAMPLE_KEYS = ("hypothesis", "metric", "design", "sd", "p", "shares", "power", "alpha",
                "ratio", "correlation", "n_planned", "note")
_LEVELS = ("touchpoint",)
_SIZE_METRIC_OF_TEST = {"nps": "nps", "mean": "mean", "proportion": "proportion",
                        "top_box": "proportion"}
_STUDY_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_HYPOTHESIS_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_TRUE, _FALSE = ("true", "yes"), ("false", "no")
_MAX_SEED = 2**32 - 1


class PlanError(ProblemsError):
    """A study plan could not be read, checked, locked or compared; ``problems`` holds
    every problem found, each with file, line and a fix."""


# -- the model --------------------------------------------------------------------------
@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis, fixed before the data arrive.

    Attributes
    ----------
    id : str
        Unique within the plan, e.g. ``h1_first_call_sat``.
    text : dict of str to str
        The hypothesis in words, per language.
    metric : str
        What is measured: an item-bank metric (``nps``, ``satisfaction``,
        ``touchpoint_satisfaction``, ``enablement``, ...) or an own question's id.
    outcome : str
        The answer field that measures it (the first one when several are given).
    touchpoint : str or None
        The journey touchpoint it is about.
    direction : {"increase", "decrease", "no_change"}
        How the outcome is expected to move: in the second value of ``contrast`` against
        the first, or as the (first) predictor rises.
    sesoi : float or None
        The smallest effect that matters, in the metric's unit (NPS points, scale points,
        a share for proportions; per unit of the predictor for a slope): ``sesoi:`` of the
        hypothesis, else ``smallest_effects`` for the outcome, else for the test.
    test : str
        ``"auto"`` or the compare metric planned: ``nps``, ``mean``, ``proportion``,
        ``top_box`` or ``ordinal`` (see :func:`cxresearch.stats.compare`).
    predictor : str or None
        What the outcome depends on (the first one when several are given): an answer
        field, the design's wave or group column.
    among : str or None
        The respondents it is about, in the instruments' logic syntax.
    level : None or "touchpoint"
        ``"touchpoint"``: tested across touchpoints, with metrics as outcome and predictor.
    outcomes, predictors : tuple of str
        Every outcome and predictor given, in order.
    contrast : tuple of str
        The two values of the predictor compared, the reference first (``()`` when the
        predictor is not compared in two groups). Across waves it defaults to the first
        and last wave of the design.
    success : tuple of str
        For a proportion of a choice question: the answers that count as a success.
    sesoi_from : str or None
        Where ``sesoi`` came from: ``"hypothesis"`` or ``"smallest_effects: <key>"``.
    line : int or None
        Where the hypothesis starts in ``study.yaml``.
    """

    id: str
    text: Text
    metric: str
    outcome: str
    touchpoint: str | None
    direction: str
    sesoi: float | None
    test: str = "auto"
    predictor: str | None = None
    among: str | None = None
    level: str | None = None
    outcomes: tuple[str, ...] = ()
    predictors: tuple[str, ...] = ()
    contrast: tuple[str, ...] = ()
    success: tuple[str, ...] = ()
    sesoi_from: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The content that is locked and compared (not ``line`` or ``sesoi_from``)."""
        return {"id": self.id, "text": dict(self.text), "metric": self.metric,
                "outcomes": list(self.outcomes), "touchpoint": self.touchpoint,
                "direction": self.direction, "sesoi": self.sesoi, "test": self.test,
                "predictors": list(self.predictors), "among": self.among,
                "level": self.level, "contrast": list(self.contrast),
                "success": list(self.success)}


@dataclass(frozen=True)
class Design:
    """The waves and groups of the study.

    Attributes
    ----------
    waves : list of str
        Wave labels in the order fielded, as in the data's ``wave_column``.
    groups : list of str
        Groups compared besides the waves (e.g. a control and a treatment branch), as
        in the data's ``group_column``; empty when there are none.
    panel : bool
        Whether (some) respondents answer in more than one wave.
    wave_column, group_column : str, str or None
        The data columns holding the wave and the group.
    description : dict of str to str
        The design in words, per language (may be empty).
    """

    waves: list[str]
    groups: list[str] = field(default_factory=list)
    panel: bool = False
    wave_column: str = "wave"
    group_column: str | None = None
    description: Text = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"waves": list(self.waves), "groups": list(self.groups),
                "panel": self.panel, "wave_column": self.wave_column,
                "group_column": self.group_column, "description": dict(self.description)}


@dataclass(frozen=True)
class SampleSizeRationale:
    """How many respondents a hypothesis needs, computed by
    :func:`cxresearch.stats.sample_size`, beside how many are planned.

    Attributes
    ----------
    hypothesis : str
        The hypothesis' id; its ``sesoi`` is the change planned for.
    metric : {"mean", "proportion", "nps"}
        What :func:`~cxresearch.stats.sample_size` plans for.
    sesoi, power, alpha : float
        The smallest effect that matters, the power and the two-sided alpha.
    design : {"two-wave", "paired", "one-wave"}
        Two independent groups (waves or groups), the same respondents twice, or one
        group estimated within ± ``sesoi``.
    sd, p, shares, ratio, correlation
        What the metric and design need: the SD of one answer (mean), the proportion
        before (proportion), the promoter and detractor shares before (NPS; default 0.4
        and 0.2), the second group's size over the first, the correlation of a
        respondent's two answers (paired).
    n_needed : int
        Respondents needed per group (the first group, the pairs or the one group).
    n_planned : int
        Respondents planned per group.
    enough : bool
        ``n_planned >= n_needed``.
    mde_planned : float
        The smallest change ``n_planned`` per group detects with this power (for one
        group: its margin of error); NaN when no change up to the scale's end does.
    method, definition : str
        From :func:`~cxresearch.stats.sample_size`.
    note : dict of str to str
        Where the assumptions come from, per language (may be empty).
    """

    hypothesis: str
    metric: str
    sesoi: float
    power: float
    alpha: float
    design: str
    n_needed: int
    n_planned: int
    enough: bool
    mde_planned: float
    sd: float | None = None
    p: float | None = None
    shares: tuple[float, float] | None = None
    ratio: float = 1.0
    correlation: float | None = None
    method: str = ""
    definition: str = ""
    note: Text = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Inputs and numbers (not ``method`` and ``definition``, whose wording may change
        with the cxresearch version)."""
        out = dataclasses.asdict(self)
        del out["method"], out["definition"]
        out["shares"] = list(self.shares) if self.shares is not None else None
        out["mde_planned"] = None if math.isnan(self.mde_planned) else self.mde_planned
        return out


@dataclass(frozen=True)
class Plan:
    """A study plan as read from ``study.yaml``; see ``docs/study-format.md``.

    ``design``, ``sample_size`` and the other attributes are described there; ``source``
    is the file read, ``sha256`` its digest (of the bytes), ``journey`` and
    ``instruments`` the study's files as paths.
    """

    id: str
    title: Text
    goal: Text
    hypotheses: tuple[Hypothesis, ...]
    design: Design
    sample_size: tuple[SampleSizeRationale, ...]
    exclusions: tuple[str, ...]
    purpose: Text
    min_group_size: int
    notebooks: tuple[str, ...]
    languages: tuple[str, ...]
    seed: int
    source: Path
    smallest_effects: dict[str, float] = field(default_factory=dict)
    journey: Path | None = None
    instruments: tuple[Path, ...] = ()
    sha256: str = field(default="", compare=False)

    @property
    def folder(self) -> Path:
        """The study folder (the one holding ``study.yaml``)."""
        return self.source.parent

    def hypothesis(self, hid: str) -> Hypothesis:
        """The hypothesis with id ``hid``."""
        for h in self.hypotheses:
            if h.id == hid:
                return h
        raise KeyError(f"no hypothesis '{hid}' in the plan of '{self.id}'; known: "
                       f"{', '.join(h.id for h in self.hypotheses) or 'none'}")

    def to_dict(self) -> dict[str, Any]:
        """The canonical content: what :func:`lock_plan` stores and deviations compare."""
        return {"id": self.id, "title": dict(self.title), "goal": dict(self.goal),
                "languages": list(self.languages), "purpose": dict(self.purpose),
                "min_group_size": self.min_group_size,
                "smallest_effects": dict(self.smallest_effects),
                "journey": _relative(self.journey, self.folder),
                "instruments": [_relative(p, self.folder) for p in self.instruments],
                "design": self.design.to_dict(),
                "hypotheses": [h.to_dict() for h in self.hypotheses],
                "sample_size": [s.to_dict() for s in self.sample_size],
                "exclusions": list(self.exclusions), "notebooks": list(self.notebooks),
                "seed": self.seed}


@dataclass(frozen=True)
class Deviation:
    """A way the analysis departs from the plan fixed before the data.

    ``kind`` is one of :data:`DEVIATION_KINDS`; ``hypothesis`` the hypothesis it is about
    (``None`` for the plan as a whole); ``message`` says it in plain words per language
    (``nl``, ``en``), for the report's method appendix.
    """

    kind: str
    hypothesis: str | None
    message: Text


@dataclass(frozen=True)
class PlanStatus:
    """Whether the plan is locked, and how the plan of now differs from the lock.

    Attributes
    ----------
    locked : bool
        Whether ``study.lock.json`` exists.
    locked_at : str or None
        When it was (last) locked, UTC ISO 8601.
    plan_sha256 : str
        The sha256 of ``study.yaml`` now.
    locked_sha256 : str or None
        The sha256 of ``study.yaml`` when it was locked.
    edited_after_lock : bool
        Whether the file changed since (any byte, comments included).
    deviations : tuple of Deviation
        What changed, in plain words; one ``not_locked`` when there is no lock.
    lock_file : Path
        Where the lock is (or would be).
    earlier_locks : tuple of str
        When earlier locks, replaced with ``force=True``, were made (oldest first).
    """

    locked: bool
    locked_at: str | None
    plan_sha256: str
    locked_sha256: str | None
    edited_after_lock: bool
    deviations: tuple[Deviation, ...]
    lock_file: Path | None = None
    earlier_locks: tuple[str, ...] = ()

    def describe(self, lang: str = "en") -> str:
        """A paragraph for the report's method appendix, in ``lang`` (nl or en)."""
        nl = lang == "nl"
        if not self.locked:
            return " ".join(d.message[lang] for d in self.deviations)
        day = _day(self.locked_at)
        digest = (self.locked_sha256 or "")[:12]
        head = (f"Het studieplan (study.yaml) is vastgelegd op {day} (sha256 {digest}…)."
                if nl else
                f"The study plan (study.yaml) was locked on {day} (sha256 {digest}…).")
        if self.earlier_locks:
            first = _day(self.earlier_locks[0])
            head += (f" Het was eerder vastgelegd op {first} en is opnieuw vastgelegd."
                     if nl else f" It was first locked on {first} and locked again since.")
        if not self.deviations:
            return head + (" Het is sindsdien niet gewijzigd." if nl
                           else " It has not been changed since.")
        return " ".join([head, *(d.message[lang] for d in self.deviations)])


# -- reading ----------------------------------------------------------------------------
def _closest(word: str, options: Sequence[str]) -> str | None:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def _filled(node: YNode | None) -> str | None:
    if isinstance(node, YScalar) and not node.is_null and node.raw.strip():
        return node.raw.strip()
    return None


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _absent(node: YNode | None) -> bool:
    return node is None or (isinstance(node, YScalar) and node.is_null)


@dataclass
class _Context:
    """What the study's other files say, for checking the plan against them."""

    fields: set[str] = field(default_factory=set)
    metrics: set[str] = field(default_factory=set)
    choices: dict[str, list[str]] = field(default_factory=dict)
    touchpoints: list[str] | None = None
    instruments_ok: bool = True


class _Reader:
    """Turns the YAML nodes of a study plan into a :class:`Plan`, collecting problems."""

    def __init__(self, path: Path, notebooks_dir: Path | None) -> None:
        self.path = path
        self.folder = path.parent
        self.name = str(path)
        self.notebooks_dir = notebooks_dir
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ("nl", "en")
        self.hypothesis_ids: set[str] = set()  # every id written, valid hypothesis or not

    # -- primitives --------------------------------------------------------------------
    def problem(self, code: Code, message: str, node: Any, key: str | None = None,
                **extra: Any) -> None:
        line = column = None
        if isinstance(node, YMap) and key is not None and key in node.key_pos:
            line, column = node.key_pos[key]
        elif node is not None and hasattr(node, "line"):
            line, column = node.line, getattr(node, "column", None)
        self.problems.append(Problem(code, message, file=self.name, line=line,
                                     column=column, **extra))

    def keys(self, node: YMap, allowed: Sequence[str], what: str,
             qid: str | None = None) -> None:
        for key in node:
            if key not in allowed:
                self.problem(Code.UNKNOWN_FIELD, f"unknown key '{key}' in {what}", node, key,
                             question_id=qid, allowed=", ".join(allowed),
                             fix=_closest(key, allowed) or "remove it, or check the "
                             "spelling (docs/study-format.md lists every key)")

    def mapping(self, parent: YMap, key: str, what: str) -> YMap | None:
        node = parent.get(key)
        if _absent(node):
            return None
        if not isinstance(node, YMap):
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a mapping of keys",
                         parent, key, given=describe_node(node),
                         fix=f"write the keys of '{key}' indented on the lines below it")
            return None
        return node

    def seq(self, parent: YMap, key: str, what: str, example: str) -> list[YNode]:
        node = parent.get(key)
        if _absent(node):
            return []
        if not isinstance(node, YSeq):
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a list", parent, key,
                         given=describe_node(node), fix=f"write e.g. '{key}: {example}'")
            return []
        return list(node)

    def word(self, parent: YMap, key: str, what: str, *, qid: str | None = None,
             required: bool = False, allowed: Sequence[str] | None = None,
             example: str = "...") -> str | None:
        node = parent.get(key)
        if _absent(node):
            if required:
                self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", parent,
                             question_id=qid, fix=f"add '{key}: {example}'")
            return None
        text = _filled(node)
        if text is None:
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be text", parent, key,
                         question_id=qid, given=describe_node(node),
                         fix=f"write e.g. '{key}: {example}'")
            return None
        if allowed is not None and text not in allowed:
            self.problem(Code.INVALID_VALUE, f"'{key}' of {what} is not one of the allowed "
                         "values", parent, key, question_id=qid, given=text,
                         allowed=", ".join(allowed),
                         fix=_closest(text, allowed) or f"use one of: {', '.join(allowed)}")
            return None
        return text

    def words(self, parent: YMap, key: str, what: str, *, qid: str | None = None,
              required: bool = False, example: str = "...") -> tuple[str, ...]:
        """A text or a list of texts."""
        node = parent.get(key)
        if isinstance(node, YSeq):
            out = [_filled(item) for item in node]
            if None in out or not out:
                self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a text or a list "
                             "of texts", parent, key, question_id=qid,
                             given=describe_node(node), fix=f"write e.g. '{key}: {example}'")
            return tuple(w for w in out if w is not None)
        one = self.word(parent, key, what, qid=qid, required=required, example=example)
        return (one,) if one is not None else ()

    def number(self, parent: YMap, key: str, what: str, *, qid: str | None = None,
               low: float = 0.0, example: str = "0.3") -> float | None:
        node = parent.get(key)
        if _absent(node):
            return None
        text = _filled(node) or ""
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value >= low):
            self.problem(Code.INVALID_VALUE, f"'{key}' of {what} must be a number of "
                         f"{low:g} or more", parent, key, question_id=qid,
                         given=text or describe_node(node), fix=f"write e.g. '{key}: {example}'")
            return None
        return value

    def integer(self, parent: YMap, key: str, what: str, *, low: int, high: int | None = None,
                required: bool = False, example: str = "1") -> int | None:
        node = parent.get(key)
        if _absent(node):
            if required:
                self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", parent,
                             fix=f"add '{key}: {example}'")
            return None
        text = _filled(node) or ""
        if not (text.isdigit() and int(text) >= low and (high is None or int(text) <= high)):
            top = f" and at most {high}" if high is not None else ""
            self.problem(Code.INVALID_VALUE, f"'{key}' of {what} must be a whole number of "
                         f"{low} or more{top}", parent, key, given=text or describe_node(node),
                         fix=f"write e.g. '{key}: {example}'")
            return None
        return int(text)

    def flag(self, parent: YMap, key: str, what: str) -> bool:
        node = parent.get(key)
        if _absent(node):
            return False
        text = (_filled(node) or "").lower()
        if text not in _TRUE + _FALSE:
            self.problem(Code.INVALID_VALUE, f"'{key}' of {what} must be true or false",
                         parent, key, given=describe_node(node), allowed="true, false",
                         fix=f"write '{key}: true' or '{key}: false'")
            return False
        return text in _TRUE

    def text(self, parent: YMap, key: str, what: str, *, qid: str | None = None,
             required: bool = True) -> Text:
        """A text per language; every language of the plan must have one."""
        node = parent.get(key)
        example = ", ".join(f"{lang}: ..." for lang in self.languages)
        if _absent(node):
            if required:
                self.problem(Code.MISSING_FIELD, f"{what} has no '{key}'", parent,
                             question_id=qid, fix=f"add '{key}: {{{example}}}'")
            return {}
        if not isinstance(node, YMap):
            self.problem(Code.WRONG_TYPE, f"'{key}' of {what} must be a text per language",
                         parent, key, question_id=qid, given=describe_node(node),
                         fix=f"write e.g. '{key}: {{{example}}}'")
            return {}
        out = {lang: _filled(value) for lang, value in node.items()}
        missing = [lang for lang in self.languages if not out.get(lang)]
        if missing:
            self.problem(Code.MISSING_TRANSLATION, f"'{key}' of {what} has no text in "
                         f"{', '.join(missing)}", parent, key, question_id=qid,
                         allowed=", ".join(self.languages),
                         fix=f"add {', '.join(m + ': ...' for m in missing)}")
        extra = [lang for lang in out if lang not in self.languages]
        if extra:
            self.problem(Code.UNDECLARED_LANGUAGE, f"'{key}' of {what} has a text in "
                         f"{', '.join(extra)}, which is not a language of the plan", node,
                         extra[0], question_id=qid, allowed=", ".join(self.languages),
                         fix="add it to 'languages', or correct the language code")
        return {lang: text for lang, text in out.items() if text}

    # -- the plan ----------------------------------------------------------------------
    def plan(self, root: YMap, sha256: str) -> Plan:
        self.keys(root, _TOP_KEYS, "the study plan")
        self.languages = self.language_list(root)
        study_id = self.word(root, "id", "the study plan", required=True,
                             example=self.folder.name) or self.folder.name
        if not _STUDY_ID.match(study_id):
            self.problem(Code.INVALID_ID, "the study 'id' must be lowercase letters, digits, "
                         "'-' and '_', starting with a letter", root, "id", given=study_id,
                         fix="write e.g. 'id: insurer-claims'")
        title = self.text(root, "title", "the study plan")
        goal = self.text(root, "goal", "the study plan")
        purpose, min_group_size, effects = self.settings(root)
        journey, instruments, context = self.study_files(root)
        design = self.design(root)
        hypotheses = self.hypotheses(root, design, context, effects)
        sizes = self.sample_sizes(root, hypotheses)
        exclusions = self.exclusions(root)
        notebooks = self.notebooks(root)
        seed = self.integer(root, "seed", "the study plan", low=0, high=_MAX_SEED,
                            required=True, example="20260115")
        return Plan(id=study_id, title=title, goal=goal, hypotheses=hypotheses, design=design,
                    sample_size=sizes, exclusions=exclusions, purpose=purpose,
                    min_group_size=min_group_size, notebooks=notebooks,
                    languages=self.languages, seed=seed or 0, source=self.path,
                    smallest_effects=effects, journey=journey, instruments=instruments,
                    sha256=sha256)

    def language_list(self, root: YMap) -> tuple[str, ...]:
        nodes = self.seq(root, "languages", "the study plan", "[nl, en]")
        codes = tuple(c for c in (_filled(n) for n in nodes) if c)
        bad = [c for c in codes if not _LANG.match(c)]
        if bad or (nodes and len(codes) != len(nodes)):
            self.problem(Code.INVALID_VALUE, "'languages' must be language codes", root,
                         "languages", given=", ".join(bad) or describe_node(root["languages"]),
                         fix="write e.g. 'languages: [nl, en]'")
        return codes or ("nl", "en")

    def settings(self, root: YMap) -> tuple[Text, int, dict[str, float]]:
        """Purpose, minimum group size and smallest effects, read as data reading reads
        them (:func:`cxresearch.data._study.read_study_settings`)."""
        from ..data._study import DEFAULT_MIN_GROUP_SIZE, read_study_settings

        try:
            settings = read_study_settings(self.path)
        except DataError as exc:
            self.problems.extend(exc.problems)
            return {}, DEFAULT_MIN_GROUP_SIZE, {}
        if settings.purpose_problem is not None:
            self.problem(Code.MISSING_FIELD if "purpose" not in root else Code.INVALID_VALUE,
                         f"the purpose of processing: {settings.purpose_problem}", root,
                         "purpose", given=settings.purpose_problem,
                         fix="state per language why the answers are collected, who sees "
                         "them and how long they are kept (the GDPR register of "
                         "processing), e.g. 'purpose: {nl: ..., en: ...}'")
        purpose = dict(settings.purpose)
        if settings.purpose_problem is None and "*" not in purpose:
            self.text(root, "purpose", "the study plan")  # every language, none undeclared
        return purpose, settings.min_group_size, dict(settings.smallest_effects)

    def study_files(self, root: YMap) -> tuple[Path | None, tuple[Path, ...], _Context]:
        """The journey and instruments, read for what the plan is checked against."""
        from ..instrument.itembank import items

        context = _Context(metrics={item.metric for item in items().values()})
        journey = self.journey(root, context)
        names = self.seq(root, "instruments", "the study plan", "[instruments/survey.yaml]")
        paths: list[tuple[Path, YNode | None]] = []
        for node in names:
            name = _filled(node)
            if name is None:
                self.problem(Code.WRONG_TYPE, "each of 'instruments' must be a file path",
                             node, given=describe_node(node),
                             fix="write e.g. '- instruments/customer-survey.yaml'")
            else:
                paths.append((self.folder / name, node))
        if "instruments" not in root:
            paths = [(p, None) for p in sorted((self.folder / "instruments").glob("*.yaml"))]
        for path, where in paths:
            self.instrument(path, where if where is not None else root, context)
        return journey, tuple(p for p, _ in paths), context

    def journey(self, root: YMap, context: _Context) -> Path | None:
        from ..journey._read import read_journey

        name = self.word(root, "journey", "the study plan", example="journey.yaml")
        path = self.folder / (name or "journey.yaml")
        if not path.is_file():
            if name is not None:
                self.problem(Code.JOURNEY_NOT_FOUND, f"the journey file '{name}' does not "
                             "exist", root, "journey", given=str(path),
                             fix="give the path from the study folder, e.g. 'journey: "
                             "journey.yaml'")
            return None
        found, problems = read_journey(path)
        if found is None or any(p.severity == Severity.ERROR for p in problems):
            self.problem(Code.JOURNEY_NOT_FOUND, f"the journey '{path.name}' has problems, so "
                         "the plan's touchpoints cannot be checked", root,
                         "journey" if name else None,
                         fix=f"run 'cxresearch survey validate {self.folder}' and fix them")
        else:
            context.touchpoints = found.touchpoint_ids()
        return path

    def instrument(self, path: Path, node: YNode, context: _Context) -> None:
        from ..instrument import check_file

        inst = None
        if not path.is_file():
            self.problem(Code.UNREADABLE_FILE, f"instrument '{path.name}' does not exist", node,
                         given=str(path), fix="give the path from the study folder, e.g. "
                         "'instruments/customer-survey.yaml'")
        else:
            inst, _ = check_file(path)
            if inst is None:
                self.problem(Code.INVALID_VALUE, f"instrument '{path.name}' has problems, so "
                             "the plan's answer fields cannot be checked", node,
                             given=str(path),
                             fix=f"run 'cxresearch survey validate {path}' and fix them")
        if inst is None:
            context.instruments_ok = False
            return
        context.fields.update(inst.metadata)
        for q in inst.questions():
            context.fields.update([q.id, *q.field_ids()])
            context.metrics.update([q.id, *([q.metric] if q.metric else [])])
            if q.choices in inst.choice_lists:
                context.choices[q.id] = inst.choice_list(q).values()

    def design(self, root: YMap) -> Design:
        node = self.mapping(root, "design", "the study plan")
        if node is None:
            if "design" not in root or _absent(root.get("design")):
                self.problem(Code.MISSING_FIELD, "the study plan has no 'design'", root,
                             "design" if "design" in root else None,
                             fix="add e.g.\n  design:\n    waves: [before, after]\n"
                             "    panel: false")
            return Design(waves=[])
        what = "the design"
        self.keys(node, _DESIGN_KEYS, what)
        waves = self.labels(node, "waves", what, required=True)
        groups = self.labels(node, "groups", what)
        group_column = self.word(node, "group_column", what, example="branch")
        if groups and group_column is None:
            self.problem(Code.MISSING_FIELD, "the design has 'groups' but no 'group_column'",
                         node, "groups", fix="add 'group_column:', the data column that "
                         "holds the group of each respondent")
        panel = self.flag(node, "panel", what)
        if panel and len(waves) < 2:
            self.problem(Code.INVALID_VALUE, "a panel needs at least two waves", node,
                         "panel", given=", ".join(waves) or "no waves",
                         fix="list every wave under 'waves', or write 'panel: false'")
        return Design(waves=waves, groups=groups, panel=panel,
                      wave_column=self.word(node, "wave_column", what, example="wave")
                      or "wave", group_column=group_column,
                      description=self.text(node, "description", what, required=False))

    def labels(self, node: YMap, key: str, what: str, required: bool = False) -> list[str]:
        items = self.seq(node, key, what, "[before, after]")
        out: list[str] = []
        for item in items:
            label = _filled(item)
            if label is None:
                self.problem(Code.WRONG_TYPE, f"each of '{key}' of {what} must be a label",
                             item, given=describe_node(item), fix="write e.g. '[before, after]'")
            elif label in out:
                self.problem(Code.DUPLICATE_ID, f"'{label}' is listed twice in '{key}'", item,
                             fix="list each once")
            else:
                out.append(label)
        if required and not out:
            self.problem(Code.MISSING_FIELD, f"{what} lists no {key}", node,
                         key if key in node else None,
                         fix=f"add e.g. '{key}: [before, after]': the labels of the data's "
                         "wave column, in the order fielded (one wave: '[wave1]')")
        return out

    def hypotheses(self, root: YMap, design: Design, context: _Context,
                   effects: dict[str, float]) -> tuple[Hypothesis, ...]:
        out: list[Hypothesis] = []
        seen: dict[str, int] = {}
        for node in self.seq(root, "hypotheses", "the study plan", "[]"):
            if not isinstance(node, YMap):
                self.problem(Code.WRONG_TYPE, "each hypothesis must be a mapping of keys",
                             node, given=describe_node(node),
                             fix="start each with '- id: h1_...' and indent its keys")
                continue
            hid = _filled(node.get("id"))
            if hid is not None and hid in seen:
                self.problem(Code.DUPLICATE_ID, f"hypothesis id '{hid}' is used twice "
                             f"(first on line {seen[hid]})", node, "id", question_id=hid,
                             fix="give every hypothesis its own id")
                continue
            if hid is not None:
                seen[hid] = node.key_pos["id"][0]
                self.hypothesis_ids.add(hid)
            h = self.hypothesis(node, design, context, effects)
            if h is not None:
                out.append(h)
        return tuple(out)

    def hypothesis(self, node: YMap, design: Design, context: _Context,
                   effects: dict[str, float]) -> Hypothesis | None:
        hid = self.word(node, "id", "a hypothesis", required=True, example="h1_first_call")
        qid = hid
        what = f"hypothesis '{hid}'" if hid else "a hypothesis"
        self.keys(node, _HYPOTHESIS_KEYS, what, qid)
        if hid is not None and not _HYPOTHESIS_ID.match(hid):
            self.problem(Code.INVALID_ID, "a hypothesis id must be letters, digits and '_', "
                         "starting with a letter", node, "id", question_id=qid, given=hid,
                         fix="write e.g. 'id: h1_first_call_sat'")
        text = self.text(node, "text", what, qid=qid)
        level = self.word(node, "level", what, qid=qid, allowed=_LEVELS)
        metric = self.word(node, "metric", what, qid=qid, required=True, example="nps")
        outcomes = self.words(node, "outcome", what, qid=qid, required=True, example="sat_call")
        predictors = self.words(node, "predictor", what, qid=qid, example="wave")
        direction = self.word(node, "direction", what, qid=qid, required=True,
                              allowed=DIRECTIONS, example="increase")
        from ..stats._verdict import METRICS as tests

        test = self.word(node, "test", what, qid=qid, allowed=tests, example="mean") or "auto"
        touchpoint = self.word(node, "touchpoint", what, qid=qid, example="first_call")
        among = self.word(node, "among", what, qid=qid, example="${had_call} = 'yes'")
        columns = {design.wave_column, *([design.group_column] if design.group_column else [])}
        if context.instruments_ok:
            self.known(node, "metric", (metric,) if metric else (), context.metrics, qid,
                       "an item-bank metric or a question id of the study's instruments")
            if level == "touchpoint":
                for key, names in (("outcome", outcomes), ("predictor", predictors)):
                    self.known(node, key, names, context.metrics, qid, "a metric (with "
                               "'level: touchpoint', outcome and predictor name metrics)")
            else:
                self.known(node, "outcome", outcomes, context.fields, qid,
                           "an answer field of the study's instruments")
                self.known(node, "predictor", predictors, context.fields | columns, qid,
                           f"an answer field or a column of the design "
                           f"({', '.join(sorted(columns))})")
            if among is not None:
                self.logic(node, among, context.fields | columns, qid)
        if touchpoint is not None and context.touchpoints is not None \
                and touchpoint not in context.touchpoints:
            self.problem(Code.UNKNOWN_TOUCHPOINT, f"touchpoint '{touchpoint}' is not in the "
                         "journey", node, "touchpoint", question_id=qid, given=touchpoint,
                         allowed=", ".join(context.touchpoints),
                         fix=_closest(touchpoint, context.touchpoints) or
                         "use a touchpoint id of journey.yaml")
        contrast = self.contrast(node, predictors, design, context, qid)
        success = self.words(node, "success", what, qid=qid, example="[all]")
        if success:
            self.success(node, success, outcomes, test, context, qid)
        sesoi = self.number(node, "sesoi", what, qid=qid)
        sesoi_from: str | None = "hypothesis" if sesoi is not None else None
        if "sesoi" not in node:
            for key in ((outcomes[0] if outcomes else ""), test):
                if key in effects and key != "auto":
                    sesoi, sesoi_from = effects[key], f"smallest_effects: {key}"
                    break
        if direction == "no_change" and sesoi is None:
            self.problem(Code.MISSING_FIELD, "a hypothesis of no change needs a smallest "
                         "effect that matters: the margin within which a change counts as "
                         "none", node, "direction", question_id=qid,
                         fix="add e.g. 'sesoi: 0.2' (or 'smallest_effects:' for the outcome)")
        if hid is None or metric is None or not outcomes or direction is None:
            return None
        return Hypothesis(id=hid, text=text, metric=metric, outcome=outcomes[0],
                          touchpoint=touchpoint, direction=direction, sesoi=sesoi, test=test,
                          predictor=predictors[0] if predictors else None, among=among,
                          level=level, outcomes=outcomes, predictors=predictors,
                          contrast=contrast, success=success, sesoi_from=sesoi_from,
                          line=node.line)

    def known(self, node: YMap, key: str, names: Sequence[str], known: set[str],
              qid: str | None, what: str) -> None:
        for name in names:
            if name not in known:
                self.problem(Code.INVALID_VALUE, f"'{key}' names '{name}', which is not "
                             f"{what}", node, key, question_id=qid, given=name,
                             fix=_closest(name, sorted(known)) or "check the spelling "
                             "against the instruments (cxresearch survey validate lists them)")

    def logic(self, node: YMap, among: str, known: set[str], qid: str | None) -> None:
        from ..instrument.logic import LogicError, parse, references

        try:
            refs = references(parse(among))
        except LogicError as exc:
            self.problem(Code.LOGIC_SYNTAX, f"'among' is not a valid expression: {exc}", node,
                         "among", question_id=qid, given=among,
                         fix="write it as in skip logic, e.g. \"${had_call} = 'yes'\"")
            return
        for ref in refs:
            if ref.name not in known:
                self.problem(Code.LOGIC_UNKNOWN_QUESTION, f"'among' refers to "
                             f"'{ref.name}', which is not an answer field", node, "among",
                             question_id=qid, given=ref.name,
                             fix=_closest(ref.name, sorted(known)) or "check the spelling")

    def contrast(self, node: YMap, predictors: tuple[str, ...], design: Design,
                 context: _Context, qid: str | None) -> tuple[str, ...]:
        given = self.words(node, "contrast", f"hypothesis '{qid}'", qid=qid,
                           example="[before, after]")
        predictor = predictors[0] if len(predictors) == 1 else None
        across_waves = predictor == design.wave_column
        if not given:
            if not across_waves:
                return ()
            if len(design.waves) < 2:
                self.problem(Code.MISSING_FIELD, f"the hypothesis compares waves "
                             f"('{predictor}'), but the design has "
                             f"{'only ' + design.waves[0] if design.waves else 'no waves'}",
                             node, "predictor", question_id=qid,
                             fix="list both waves under 'design: waves:', e.g. "
                             "[before, after]")
                return ()
            return (design.waves[0], design.waves[-1])
        if len(given) != 2 or given[0] == given[1] or predictor is None:
            self.problem(Code.INVALID_VALUE, "'contrast' must be two different values of "
                         "the one predictor, the reference first", node, "contrast",
                         question_id=qid, given=", ".join(given),
                         fix="write e.g. 'contrast: [before, after]' with 'predictor: wave'")
            return ()
        if across_waves:
            allowed, where = design.waves, "the design's waves"
        elif predictor == design.group_column:
            allowed, where = design.groups, "the design's groups"
        else:
            allowed, where = context.choices.get(predictor, []), f"the choices of '{predictor}'"
            if predictor not in context.choices:
                return given
        for value in given:
            if value not in allowed:
                missing = "a wave missing from the design: " if across_waves else ""
                self.problem(Code.INVALID_VALUE, f"'contrast' names '{value}', {missing}it is "
                             f"not one of {where}", node, "contrast", question_id=qid,
                             given=value, allowed=", ".join(allowed),
                             fix=f"add '{value}' to 'design: waves:'" if across_waves else
                             _closest(value, allowed) or f"use one of {', '.join(allowed)}")
        return given

    def success(self, node: YMap, success: tuple[str, ...], outcomes: tuple[str, ...],
                test: str, context: _Context, qid: str | None) -> None:
        if test not in ("auto", "proportion"):
            self.problem(Code.INVALID_VALUE, f"'success' makes the outcome a proportion, but "
                         f"the test is '{test}'", node, "success", question_id=qid,
                         fix="write 'test: proportion', or remove 'success'")
        if not outcomes or outcomes[0] not in context.choices:
            return
        choices = context.choices[outcomes[0]]
        for value in success:
            if value not in choices:
                self.problem(Code.INVALID_VALUE, f"'success' names '{value}', which is not a "
                             f"choice of '{outcomes[0]}'", node, "success", question_id=qid,
                             given=value, allowed=", ".join(choices),
                             fix=_closest(value, choices) or "use a choice value")

    def sample_sizes(self, root: YMap, hypotheses: tuple[Hypothesis, ...]
                     ) -> tuple[SampleSizeRationale, ...]:
        by_id = {h.id: h for h in hypotheses}
        out: list[SampleSizeRationale] = []
        for node in self.seq(root, "sample_size", "the study plan", "[]"):
            if not isinstance(node, YMap):
                self.problem(Code.WRONG_TYPE, "each sample-size rationale must be a mapping "
                             "of keys", node, given=describe_node(node),
                             fix="start each with '- hypothesis: h1_...' and indent its keys")
                continue
            rationale = self.sample_size(node, by_id)
            if rationale is None:
                continue
            if any(r.hypothesis == rationale.hypothesis for r in out):
                self.problem(Code.DUPLICATE_ID, f"hypothesis '{rationale.hypothesis}' has two "
                             "sample-size rationales", node, "hypothesis",
                             question_id=rationale.hypothesis, fix="keep one")
                continue
            out.append(rationale)
        return tuple(out)

    def sample_size(self, node: YMap, by_id: dict[str, Hypothesis]
                    ) -> SampleSizeRationale | None:
        from ..stats import StatsInputError, mde, sample_size
        from ..stats._power import DESIGNS, METRICS

        hid = self.word(node, "hypothesis", "a sample-size rationale", required=True,
                        example="h1_first_call_sat")
        what = f"the sample size of '{hid}'" if hid else "a sample-size rationale"
        self.keys(node, _SAMPLE_KEYS, what, hid)
        h = by_id.get(hid or "")
        if hid is not None and h is None and hid not in self.hypothesis_ids:
            self.problem(Code.INVALID_VALUE, f"sample size for '{hid}', which is not a "
                         "hypothesis of the plan", node, "hypothesis", question_id=hid,
                         given=hid, allowed=", ".join(by_id),
                         fix=_closest(hid, list(by_id)) or "use a hypothesis id")
        metric = self.word(node, "metric", what, qid=hid, allowed=METRICS, example="mean")
        design = self.word(node, "design", what, qid=hid, allowed=DESIGNS) or "two-wave"
        n_planned = self.integer(node, "n_planned", what, low=2, required=True, example="400")
        kwargs: dict[str, Any] = {
            "sd": self.number(node, "sd", what, qid=hid, example="1.1"),
            "p": self.number(node, "p", what, qid=hid, example="0.3"),
            "shares": self.shares(node, what, hid),
            "correlation": self.number(node, "correlation", what, qid=hid, low=-1,
                                       example="0.5"),
            "alpha": _or(self.number(node, "alpha", what, qid=hid, example="0.05"), 0.05),
            "power": _or(self.number(node, "power", what, qid=hid, example="0.8"), 0.8),
            "ratio": _or(self.number(node, "ratio", what, qid=hid, example="1"), 1.0),
            "design": design}
        note = self.text(node, "note", what, qid=hid, required=False)
        if h is None or n_planned is None:
            return None
        planned_for = _SIZE_METRIC_OF_TEST.get(h.test)
        metric = metric or planned_for
        if metric is None:
            self.problem(Code.MISSING_FIELD, f"{what} has no 'metric', and test '{h.test}' "
                         "does not say it", node, question_id=hid, allowed=", ".join(METRICS),
                         fix="add 'metric: mean' (or proportion, nps)")
            return None
        if planned_for is not None and metric != planned_for:
            self.problem(Code.INVALID_VALUE, f"the sample size is planned for metric "
                         f"'{metric}', but the hypothesis' test is '{h.test}'", node, "metric",
                         question_id=hid, given=metric, allowed=planned_for,
                         fix=f"write 'metric: {planned_for}', or change the hypothesis' test")
            return None
        if h.sesoi is None:
            self.problem(Code.MISSING_FIELD, f"hypothesis '{hid}' has no smallest effect that "
                         "matters, which the sample size is planned for", node, "hypothesis",
                         question_id=hid, fix="add 'sesoi:' to the hypothesis (or "
                         "'smallest_effects:' for its outcome)")
            return None
        try:
            needed = sample_size(metric, h.sesoi, **kwargs)
        except StatsInputError as exc:
            self.problem(Code.INVALID_VALUE, f"the sample size cannot be computed: {exc}",
                         node, question_id=hid,
                         fix="see cxresearch.stats.sample_size for what each metric needs")
            return None
        try:
            detectable = float(mde(metric, n_planned, **kwargs).estimate)
        except StatsInputError:
            detectable = math.nan
        n_needed = int(needed.estimate)
        shares = kwargs["shares"] if metric == "nps" else None
        if metric == "nps" and shares is None:
            shares = tuple(needed.extra["shares"])
        return SampleSizeRationale(
            hypothesis=h.id, metric=metric, sesoi=h.sesoi, power=kwargs["power"],
            alpha=kwargs["alpha"], design=design, n_needed=n_needed, n_planned=n_planned,
            enough=n_planned >= n_needed, mde_planned=round(detectable, 4), sd=kwargs["sd"],
            p=kwargs["p"], shares=shares, ratio=kwargs["ratio"],
            correlation=kwargs["correlation"], method=needed.method,
            definition=needed.definition, note=note)

    def shares(self, node: YMap, what: str, hid: str | None) -> tuple[float, float] | None:
        items = self.seq(node, "shares", what, "[0.4, 0.2]")
        if not items:
            return None
        try:
            values = tuple(float(_filled(item) or "x") for item in items)
        except ValueError:
            values = ()
        if len(values) != 2:
            self.problem(Code.INVALID_VALUE, "'shares' must be the promoters' and the "
                         "detractors' share", node, "shares", question_id=hid,
                         given=describe_node(node["shares"]),
                         fix="write e.g. 'shares: [0.4, 0.2]'")
            return None
        return values[0], values[1]

    def exclusions(self, root: YMap) -> tuple[str, ...]:
        from ..data.quality import CHECKS

        out: list[str] = []
        for item in self.seq(root, "exclusions", "the study plan", "[speeder]"):
            check = _filled(item)
            if check is None or check not in CHECKS:
                self.problem(Code.INVALID_VALUE, "an exclusion must be the name of a quality "
                             "check", item, given=check or describe_node(item),
                             allowed=", ".join(CHECKS),
                             fix=_closest(check or "", list(CHECKS)) or
                             "use a check of cxresearch.data.quality (quality_report)")
            elif check in out:
                self.problem(Code.DUPLICATE_ID, f"exclusion '{check}' is listed twice", item,
                             fix="list each once")
            else:
                out.append(check)
        return tuple(out)

    def notebooks(self, root: YMap) -> tuple[str, ...]:
        items = self.seq(root, "notebooks", "the study plan", "[06_report.ipynb]")
        folder = self.notebooks_dir
        if items and folder is None:
            self.problem(Code.UNREADABLE_FILE, "no notebooks/ folder was found above the "
                         "study or the cxresearch package, so the notebooks cannot be checked",
                         root, "notebooks", fix="pass notebooks_dir= (the folder holding the "
                         "study's notebooks)")
        out: list[str] = []
        for item in items:
            name = _filled(item)
            if name is None or "/" in name or "\\" in name or not name.endswith(".ipynb"):
                self.problem(Code.INVALID_VALUE, "a notebook must be the file name of a "
                             "notebook in the notebooks/ folder", item,
                             given=name or describe_node(item),
                             fix="write e.g. '- 06_report.ipynb' (no folder)")
            elif name in out:
                self.problem(Code.DUPLICATE_ID, f"notebook '{name}' is listed twice", item,
                             fix="list each once, in run order")
            else:
                out.append(name)
                if folder is not None and not (folder / name).is_file():
                    present = sorted(p.name for p in folder.glob("*.ipynb"))
                    longer = [p for p in present if p.startswith(name[:-len(".ipynb")])]
                    self.problem(Code.UNREADABLE_FILE, f"notebook '{name}' does not exist in "
                                 f"{folder}", item, given=name, allowed=", ".join(present),
                                 fix=(f"did you mean '{longer[0]}'?" if longer else
                                      _closest(name, present)) or "check the name, or add "
                                 "the notebook (notebooks_dir= chooses the folder)")
        return tuple(out)


def _plan_file(study: str | Path) -> Path:
    path = Path(study).expanduser()
    if path.is_dir():
        path = path / PLAN_FILE
    if not path.is_file():
        where = path.parent if path.name == PLAN_FILE else path
        raise PlanError.single(
            Code.UNREADABLE_FILE, f"no study plan: {path} does not exist", file=str(path),
            given=str(where), fix="give a study folder holding study.yaml; 'cxresearch new "
            "FOLDER' creates one with a starter plan (see docs/study-format.md)")
    return path


def _default_notebooks_dir(folder: Path) -> Path | None:
    """The nearest ``notebooks/`` above the study folder, else above this package."""
    for start in (folder.resolve(), Path(__file__).resolve()):
        for parent in start.parents:
            if (parent / "notebooks").is_dir():
                return parent / "notebooks"
    return None


def load_plan(study: str | Path, *, notebooks_dir: str | Path | None = None) -> Plan:
    """Read and check a study plan.

    Parameters
    ----------
    study : path
        The study folder (or its ``study.yaml``).
    notebooks_dir : path, optional
        The folder the plan's ``notebooks`` must be in. Default: the nearest
        ``notebooks/`` above the study folder, else above the cxresearch package (the
        repository's ``notebooks/`` in a source checkout).

    Returns
    -------
    Plan

    Raises
    ------
    PlanError
        Listing every problem found, each with file, line (and column), the hypothesis
        it is about, what is allowed and how to fix it: no ``study.yaml``; invalid YAML;
        unknown keys; missing texts in a language of the plan; a hypothesis id used
        twice, an unknown metric, outcome, predictor, touchpoint or test; a contrast
        naming a wave the design lacks; a sample size that cannot be computed; an
        exclusion that is not a quality check; a notebook that is not in the notebooks
        folder; no seed.

    Notes
    -----
    Outcomes, predictors and ``among`` are checked against the study's instruments and
    touchpoints against its journey; when those files have problems of their own the
    plan says so (``cxresearch survey validate`` lists them) instead of guessing.
    """
    path = _plan_file(study)
    folder = Path(notebooks_dir) if notebooks_dir is not None else \
        _default_notebooks_dir(path.parent)
    try:
        source = read_source(path)
        root = parse_yaml(source.text, str(path))
    except InstrumentError as exc:  # the reader's codes fit any YAML file
        raise PlanError(exc.problems) from None
    if not isinstance(root, YMap):
        raise PlanError.single(Code.WRONG_TYPE, "study.yaml must be a mapping of keys (id, "
                               "title, goal, hypotheses, design, ...)", file=str(path),
                               line=getattr(root, "line", None),
                               given=describe_node(root),
                               fix="start from the study.yaml of an example in surveys/")
    reader = _Reader(path, folder)
    plan = reader.plan(root, source.sha256)
    if any(p.severity == Severity.ERROR for p in reader.problems):
        raise PlanError(reader.problems)
    return plan


# -- locking ----------------------------------------------------------------------------
def _relative(path: Path | None, folder: Path) -> str | None:
    if path is None:
        return None
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def _jsonable(content: dict[str, Any]) -> dict[str, Any]:
    """The content as it reads back from JSON (lists for tuples), for comparing."""
    return dict(json.loads(json.dumps(content, ensure_ascii=False)))


def _day(stamp: str | None) -> str:
    return (stamp or "")[:10]


def _read_lock(path: Path) -> dict[str, Any]:
    fix = ("restore study.lock.json from version control; if the plan was never used, "
           "lock it again with force=True")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PlanError.single(Code.YAML_SYNTAX, f"the lock is not valid JSON: {exc.msg}",
                               file=str(path), line=exc.lineno, column=exc.colno,
                               fix=fix) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError.single(Code.UNREADABLE_FILE, f"the lock cannot be read: {exc}",
                               file=str(path), fix=fix) from None
    wanted = ("plan_sha256", "locked_at", "plan")
    if not isinstance(record, dict) or any(k not in record for k in wanted) \
            or not isinstance(record["plan"], dict):
        raise PlanError.single(Code.MISSING_FIELD, "the lock is not one lock_plan wrote: it "
                               f"needs {', '.join(wanted)}", file=str(path), fix=fix)
    return record


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in some containers
        return None


def lock_plan(study: str | Path, *, force: bool = False, by: str | None = None,
              notebooks_dir: str | Path | None = None) -> Path:
    """Fix the plan before the data: write ``<study>/study.lock.json``.

    The lock holds the sha256 of ``study.yaml``, a canonical copy of the plan's content
    (:meth:`Plan.to_dict`, so later changes can be listed), when it was locked (UTC) and
    by whom and what (``by``, default the login name; the cxresearch version). Commit it
    with the plan.

    Parameters
    ----------
    study : path
        The study folder (or its ``study.yaml``).
    force : bool
        Lock again over an existing lock; the earlier lock is kept in the new lock's
        ``history`` (and :func:`plan_status` reports what changed between the locks).
    by : str, optional
        Who locks the plan (a name or role).
    notebooks_dir : path, optional
        As for :func:`load_plan`.

    Returns
    -------
    Path
        The lock file, written atomically.

    Raises
    ------
    PlanError
        The plan has problems (an invalid plan is not locked), or a lock exists and
        ``force`` is False.
    """
    from .. import __version__

    plan = load_plan(study, notebooks_dir=notebooks_dir)
    lock = plan.folder / LOCK_FILE
    history: list[dict[str, Any]] = []
    if lock.exists():
        previous = _read_lock(lock)
        if not force:
            raise PlanError.single(
                Code.INVALID_VALUE, f"the plan is already locked (on "
                f"{_day(previous['locked_at'])}); locking again would hide what changed",
                file=str(lock), fix="leave the lock as it is: plan_status() lists the "
                "changes since; lock again with force=True only for a new plan, which "
                "keeps this lock in the history")
        history = [*previous.get("history", []),
                   {k: v for k, v in previous.items() if k != "history"}]
    record = {
        "format": LOCK_FORMAT, "study": plan.id, "plan_file": plan.source.name,
        "plan_sha256": plan.sha256,
        "locked_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locked_by": {"user": by if by is not None else _login(), "tool": "cxresearch",
                      "version": __version__},
        "plan": plan.to_dict(), "history": history}
    return atomic_write_text(lock, json.dumps(record, indent=2, ensure_ascii=False) + "\n")


# -- status and deviations --------------------------------------------------------------
_WORDS: dict[str, tuple[str, str]] = {  # key: (en, nl)
    "text": ("the wording", "de formulering"), "metric": ("the metric", "de maat"),
    "outcomes": ("the outcome", "de uitkomst"), "touchpoint": ("the touchpoint",
                                                              "het contactmoment"),
    "direction": ("the expected direction", "de verwachte richting"),
    "sesoi": ("the smallest effect that matters", "het kleinste effect dat ertoe doet"),
    "test": ("the planned test", "de geplande toets"),
    "predictors": ("what it depends on", "waar het van afhangt"),
    "among": ("the respondents it is about", "de respondenten waarover het gaat"),
    "level": ("the level", "het niveau"), "contrast": ("the groups compared",
                                                       "de vergeleken groepen"),
    "success": ("the answers that count as a success", "de antwoorden die als succes tellen"),
    "id": ("the study id", "de id van de studie"), "title": ("the title", "de titel"),
    "goal": ("the goal", "het doel"), "languages": ("the languages", "de talen"),
    "purpose": ("the purpose of processing", "het doel van de verwerking"),
    "min_group_size": ("the minimum group size", "de minimale groepsgrootte"),
    "smallest_effects": ("the smallest effects that matter",
                         "de kleinste effecten die ertoe doen"),
    "journey": ("the journey file", "het klantreisbestand"),
    "instruments": ("the instruments", "de vragenlijsten"),
    "design": ("the design (waves, groups, panel)", "de opzet (metingen, groepen, panel)"),
    "sample_size": ("the sample-size rationale", "de onderbouwing van de steekproefomvang"),
    "notebooks": ("the notebooks that make the report", "de notebooks die het rapport maken"),
    "seed": ("the random seed", "de seed voor toevalsgetallen"),
}
_VALUES: dict[str, tuple[str, str]] = {
    "increase": ("an increase", "een stijging"), "decrease": ("a decrease", "een daling"),
    "no_change": ("no change", "geen verandering"), "auto": ("the automatic choice",
                                                              "de automatische keuze"),
    "nps": ("an NPS comparison", "een vergelijking van NPS"),
    "mean": ("a comparison of means", "een vergelijking van gemiddelden"),
    "proportion": ("a comparison of proportions", "een vergelijking van proporties"),
    "top_box": ("a top-box comparison", "een top-boxvergelijking"),
    "ordinal": ("a rank-based comparison", "een rangordevergelijking"),
    "did": ("a difference-in-differences", "een verschil-in-verschillen"),
    "its": ("an interrupted time series", "een onderbroken tijdreeks"),
}


def _value(value: Any, lang: str, words: bool = False) -> str:
    """``value`` in a sentence; ``words``: a direction or test said in words."""
    i = 1 if lang == "nl" else 0
    if value is None or value == [] or value == {}:
        return ("none", "geen")[i]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "nl" else text
    if isinstance(value, list):
        return ", ".join(_value(v, lang) for v in value)
    if words and value in _VALUES:
        return _VALUES[value][i]
    return f"'{value}'"


def _changed_fields(old: dict[str, Any], new: dict[str, Any], lang: str) -> str:
    i = 1 if lang == "nl" else 0
    parts = []
    for key in new:
        if old.get(key) == new[key]:
            continue
        word = _WORDS.get(key, (key, key))[i]
        if isinstance(new[key], dict):  # a text per language: too long to quote
            parts.append(word)
            continue
        words = key in ("direction", "test")
        was, now = _value(old.get(key), lang, words), _value(new[key], lang, words)
        parts.append(f"{word} " + ("van {a} naar {b}" if i else "from {a} to {b}")
                     .format(a=was, b=now))
    return "; ".join(parts)


def _deviation(kind: str, hid: str | None, en: str, nl: str) -> Deviation:
    return Deviation(kind, hid, {"nl": nl, "en": en})


def _diff(old: dict[str, Any], new: dict[str, Any], when: Text) -> list[Deviation]:
    """What changed from the plan content ``old`` to ``new``; ``when`` says since when."""
    out: list[Deviation] = []
    en_when, nl_when = when["en"], when["nl"]
    top = [k for k in new if k not in ("hypotheses", "exclusions") and old.get(k) != new[k]]
    if top:
        parts = [_WORDS.get(k, (k, k)) for k in top]
        out.append(_deviation(
            "plan_edited", None,
            f"The plan was changed {en_when}: {'; '.join(en for en, _ in parts)}.",
            f"Het plan is gewijzigd {nl_when}: {'; '.join(nl for _, nl in parts)}."))
    before = {h["id"]: h for h in old.get("hypotheses", [])}
    after = {h["id"]: h for h in new.get("hypotheses", [])}
    for hid in after:
        if hid not in before:
            out.append(_deviation(
                "hypothesis_added", hid,
                f"Hypothesis {hid} was added {en_when}; it was not part of the plan fixed "
                "before the data.",
                f"Hypothese {hid} is toegevoegd {nl_when}; ze hoorde niet bij het plan dat "
                "vóór de data vastlag."))
        elif before[hid] != after[hid]:
            out.append(_deviation(
                "hypothesis_changed", hid,
                f"Hypothesis {hid} was changed {en_when}: "
                f"{_changed_fields(before[hid], after[hid], 'en')}.",
                f"Hypothese {hid} is gewijzigd {nl_when}: "
                f"{_changed_fields(before[hid], after[hid], 'nl')}."))
    for hid in before:
        if hid not in after:
            out.append(_deviation(
                "hypothesis_removed", hid,
                f"Hypothesis {hid} was removed {en_when}; it was part of the plan fixed "
                "before the data, so its result should still be reported.",
                f"Hypothese {hid} is verwijderd {nl_when}; ze hoorde bij het plan dat vóór "
                "de data vastlag, dus de uitkomst hoort toch in het rapport."))
    was, now = list(old.get("exclusions", [])), list(new.get("exclusions", []))
    if was != now:
        added = [c for c in now if c not in was]
        dropped = [c for c in was if c not in now]
        en = [f"added {', '.join(added)}"] * bool(added) + \
            [f"dropped {', '.join(dropped)}"] * bool(dropped) or ["the order changed"]
        nl = [f"toegevoegd: {', '.join(added)}"] * bool(added) + \
            [f"vervallen: {', '.join(dropped)}"] * bool(dropped) or ["de volgorde is anders"]
        out.append(_deviation(
            "exclusions_changed", None,
            f"The exclusion rules were changed {en_when}: {'; '.join(en)} (planned: "
            f"{', '.join(was) or 'none'}).",
            f"De uitsluitingsregels zijn gewijzigd {nl_when}: {'; '.join(nl)} (gepland: "
            f"{', '.join(was) or 'geen'})."))
    return out


def _not_locked() -> Deviation:
    return _deviation(
        "not_locked", None,
        f"The study plan was not locked (there is no {LOCK_FILE}): its hypotheses, tests "
        "and exclusions were not demonstrably fixed before the data, so read the results "
        "as exploratory.",
        f"Het studieplan is niet vastgelegd (er is geen {LOCK_FILE}): de hypothesen, "
        "toetsen en uitsluitingen lagen niet aantoonbaar vast vóór de data, dus lees de "
        "uitkomsten als verkennend.")


def plan_status(study: str | Path, *, notebooks_dir: str | Path | None = None) -> PlanStatus:
    """Whether the plan is locked, and every way the plan of now departs from the lock.

    Deviations compare the lock's copy of the plan with the plan as it is now: a
    hypothesis added, removed or changed (its wording, metric, outcome, direction,
    smallest effect that matters, test, ...), changed exclusions, and other parts of the
    plan changed (``plan_edited``; also when only comments or layout changed). After a
    lock made again with ``force=True``, the changes between the first lock and the
    last are listed too. Without a lock: one ``not_locked`` deviation.

    Raises
    ------
    PlanError
        The plan has problems (as :func:`load_plan`), or the lock cannot be read.
    """
    plan = load_plan(study, notebooks_dir=notebooks_dir)
    lock = plan.folder / LOCK_FILE
    if not lock.exists():
        return PlanStatus(False, None, plan.sha256, None, False, (_not_locked(),), lock)
    record = _read_lock(lock)
    locked_at = str(record["locked_at"])
    history = [h for h in record.get("history", []) if isinstance(h, dict) and "plan" in h]
    deviations: list[Deviation] = []
    if history:
        first = str(history[0].get("locked_at"))
        deviations += _diff(history[0]["plan"], record["plan"], {
            "en": f"between the first lock on {_day(first)} and the new lock on "
                  f"{_day(locked_at)}",
            "nl": f"tussen de eerste vastlegging op {_day(first)} en de nieuwe op "
                  f"{_day(locked_at)}"})
    edited = record["plan_sha256"] != plan.sha256
    if edited:
        since = _diff(record["plan"], _jsonable(plan.to_dict()), {
            "en": f"after the lock on {_day(locked_at)}",
            "nl": f"na de vastlegging op {_day(locked_at)}"})
        deviations += since or [_deviation(
            "plan_edited", None,
            f"{PLAN_FILE} was edited after the plan was locked on {_day(locked_at)}, but "
            "only its comments or layout; the plan itself is unchanged.",
            f"{PLAN_FILE} is bewerkt nadat het plan op {_day(locked_at)} was vastgelegd, "
            "maar alleen de toelichting of opmaak; het plan zelf is niet gewijzigd.")]
    return PlanStatus(True, locked_at, plan.sha256, str(record["plan_sha256"]), edited,
                      tuple(deviations), lock,
                      tuple(str(h.get("locked_at")) for h in history))


def test_deviations(plan: Plan, tests_used: Mapping[str, str]) -> list[Deviation]:
    """The tests a run used that the plan did not foresee.

    Parameters
    ----------
    plan : Plan
    tests_used : mapping of str to str
        Hypothesis id -> the compare metric a run actually used (``Verdict.metric``:
        ``nps``, ``mean``, ``proportion``, ``top_box``, ``ordinal``, ``did``, ``its``).

    Returns
    -------
    list of Deviation
        ``test_changed`` for each hypothesis analysed with another test than planned (a
        planned ``auto`` accepts any), ``hypothesis_added`` for an id the plan does not
        hold (an exploratory analysis), in the order of ``tests_used``.
    """
    out: list[Deviation] = []
    for hid, used in tests_used.items():
        if not isinstance(used, str) or not used:
            raise CxResearchError(f"tests_used['{hid}'] must be the name of a compare "
                                  f"metric (e.g. 'mean'); got {used!r}")
        planned = next((h for h in plan.hypotheses if h.id == hid), None)
        if planned is None:
            out.append(_deviation(
                "hypothesis_added", hid,
                f"Hypothesis {hid} was analysed but is not in the plan; read its result as "
                "exploratory.",
                f"Hypothese {hid} is geanalyseerd maar staat niet in het plan; lees de "
                "uitkomst als verkennend."))
        elif planned.test != "auto" and used != planned.test:
            was = {lang: _value(planned.test, lang, True) for lang in ("en", "nl")}
            now = {lang: _value(used, lang, True) for lang in ("en", "nl")}
            out.append(_deviation(
                "test_changed", hid,
                f"Hypothesis {hid} was planned with {was['en']} but analysed with "
                f"{now['en']}.",
                f"Hypothese {hid} was gepland met {was['nl']} maar is geanalyseerd met "
                f"{now['nl']}."))
    return out


test_deviations.__test__ = False  # type: ignore[attr-defined]  # pytest: not a test
