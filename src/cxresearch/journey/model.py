"""The journey model: stages with touchpoints, each with a customer and an employee lane.

A journey is the map a journey researcher draws before any data: the stages in order, the
touchpoints in each stage, and at every touchpoint two lanes that cross there. The
**customer lane** says what the customer does, thinks and feels, their pain points, the
opportunities, and the feeling expected at that moment (``valence``, -2 .. +2: the
*planned* emotion curve, to draw before survey data exist). The **employee lane** says who
serves the customer there (``role``), what they do, what they need to meet the customer's
need (information, tools, authority, training: :data:`NEEDS`), the systems they work in
and the processes behind the moment.

Instruments point at a journey's stages and touchpoints by id; this module reads
``journey.yaml`` so those references can be checked. The file format is described in
``docs/journey-format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import InstrumentError, Problem, Severity, raise_if_errors

__all__ = [
    "CHANNELS",
    "DEFAULT_STAGES",
    "NEEDS",
    "VALENCE_RANGE",
    "CustomerLane",
    "EmployeeLane",
    "Journey",
    "Stage",
    "Text",
    "Touchpoint",
    "load_journey",
    "loads_journey",
    "validate_journey",
]

Text = dict[str, str]
"""A text per language: language code to text, e.g. ``{"nl": "Betaling", "en": "Payout"}``."""

CHANNELS = ("online", "phone", "email", "chat", "app", "letter", "visit", "in_person", "other")
"""Channels a touchpoint can take place in."""

NEEDS = ("information", "tools", "authority", "training")
"""What an employee can need at a touchpoint to meet the customer's need (the keys of
:attr:`EmployeeLane.needs`, and the rows of the item bank's enablement matrix)."""

VALENCE_RANGE = (-2, 2)
"""Lowest and highest :attr:`CustomerLane.valence`: -2 very negative .. +2 very positive."""

DEFAULT_STAGES: tuple[tuple[str, str, str], ...] = (
    ("orientation", "Oriëntatie", "Orientation"),
    ("purchase_decision", "Aankoopbeslissing", "Purchase decision"),
    ("use", "Gebruik", "Use"),
    ("evaluation", "Evaluatie", "Evaluation"),
    ("retention", "Binding", "Retention"),
)
"""The five stages of a customer journey, as ``(id, nl, en)``: from orientation via the
purchase decision to use, evaluation and retention (a long relationship). A journey file
may have any stages; these are the ones ``cxresearch new`` starts from."""


@dataclass
class CustomerLane:
    """What the customer does, thinks and feels at a touchpoint.

    Attributes
    ----------
    does, thinks, feels : dict of str to str
        Per language: what the customer does, thinks and feels at that moment.
    pain_points, opportunities : list of dict of str to str
        What goes wrong or hurts there, and ideas to make the moment better.
    valence : int or None
        The feeling expected at that moment, from -2 (very negative) to +2 (very
        positive); the planned emotion curve, drawn while there is no survey data yet.
    """

    does: Text = field(default_factory=dict)
    thinks: Text = field(default_factory=dict)
    feels: Text = field(default_factory=dict)
    pain_points: list[Text] = field(default_factory=list)
    opportunities: list[Text] = field(default_factory=list)
    valence: int | None = None


@dataclass
class EmployeeLane:
    """Who serves the customer at a touchpoint, and what they need to do it well.

    Attributes
    ----------
    role : dict of str to str
        Per language: the role, e.g. ``{"nl": "Schadebehandelaar", "en": "Claims handler"}``.
    does : dict of str to str
        What the employee does and needs there, in free text.
    needs : dict of str to dict of str to str
        Per kind of need (the keys are from :data:`NEEDS`): what is needed, per language.
    systems : list of str
        Names of the systems used there (not translated), e.g. ``["claims system"]``.
    processes : list of dict of str to str
        The processes behind the moment, per language.
    team : str or None
        The team that serves every customer here, as the employee survey codes it (the
        answer to its ``team`` question), e.g. ``"field_experts"``; ``None`` when the
        team differs per customer (then the customer data's ``team`` column says which).
        :func:`cxresearch.stats.alignment` links customers to employees by it.
    """

    role: Text = field(default_factory=dict)
    does: Text = field(default_factory=dict)
    needs: dict[str, Text] = field(default_factory=dict)
    systems: list[str] = field(default_factory=list)
    processes: list[Text] = field(default_factory=list)
    team: str | None = None


@dataclass
class Touchpoint:
    """One moment of contact, with what the customer and the employee need at it.

    Attributes
    ----------
    id : str
        Unique id within the journey (stages and touchpoints share one id space).
    name : dict of str to str
        Name per language (short: it labels the journey map).
    stage : str
        Id of the stage the touchpoint belongs to.
    channel : str or None
        One of :data:`CHANNELS`.
    moment_of_truth : bool
        Whether customers stop, evaluate and decide here (it weighs on their judgement of
        the whole journey).
    customer : CustomerLane
        The customer lane.
    employee : EmployeeLane
        The employee (backstage) lane.
    department : str or None
        Id of the department that owns the touchpoint, e.g. ``"claims"``.
    description : dict of str to str
        What happens at the touchpoint, per language.
    line, column : int or None
        Where the touchpoint starts in ``journey.yaml``.
    """

    id: str
    name: Text
    stage: str
    channel: str | None = None
    moment_of_truth: bool = False
    customer: CustomerLane = field(default_factory=CustomerLane)
    employee: EmployeeLane = field(default_factory=EmployeeLane)
    department: str | None = None
    description: Text = field(default_factory=dict)
    line: int | None = None
    column: int | None = None


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
    description : dict of str to str
        What the stage is about, per language.
    line, column : int or None
        Where the stage starts in ``journey.yaml``.
    """

    id: str
    name: Text
    touchpoints: list[Touchpoint] = field(default_factory=list)
    description: Text = field(default_factory=dict)
    line: int | None = None
    column: int | None = None


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
    description : dict of str to str
        What the journey is about, per language.

    Examples
    --------
    >>> journey = Journey.load(_template())
    >>> [tp.id for tp in journey.moments_of_truth()]
    ['first_search', 'service_call']
    >>> journey.stage_of("service_call").id
    'use'
    >>> journey.label("service_call", "en"), journey.label("use", "nl")
    ('Call to customer service', 'Gebruik')
    >>> journey.touchpoint("service_call").customer.valence
    -1
    """

    id: str
    title: Text
    languages: list[str]
    stages: list[Stage]
    audience: str = "customer"
    source: str | None = None
    description: Text = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> Journey:
        """Read ``journey.yaml``; the same as :func:`load_journey`."""
        return load_journey(path)

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

    def stage(self, sid: str) -> Stage:
        """The stage with id ``sid``; raise :class:`KeyError` naming the known ids."""
        for stage in self.stages:
            if stage.id == sid:
                return stage
        raise KeyError(f"no stage '{sid}' in journey '{self.id}'; known stages: "
                       f"{', '.join(self.stage_ids()) or 'none'}")

    def stage_of(self, tid: str) -> Stage:
        """The stage touchpoint ``tid`` belongs to; :class:`KeyError` if there is none."""
        return self.stage(self.touchpoint(tid).stage)

    def stage_ids(self) -> list[str]:
        """Ids of the stages, in order."""
        return [s.id for s in self.stages]

    def touchpoint_ids(self) -> list[str]:
        """Ids of the touchpoints, stage by stage."""
        return [tp.id for tp in self.touchpoints()]

    def moments_of_truth(self) -> list[Touchpoint]:
        """The touchpoints marked ``moment_of_truth: true``, in journey order."""
        return [tp for tp in self.touchpoints() if tp.moment_of_truth]

    def departments(self) -> list[str]:
        """The departments that own touchpoints, in the order they first appear."""
        return list(dict.fromkeys(tp.department for tp in self.touchpoints()
                                  if tp.department))

    def serving_teams(self) -> dict[str, str]:
        """Touchpoint id -> the team that serves every customer there (``employee.team``),
        for the touchpoints that name one, in journey order."""
        return {tp.id: tp.employee.team for tp in self.touchpoints() if tp.employee.team}

    def label(self, what: str | Stage | Touchpoint | Mapping[str, str],
              lang: str | None = None) -> str:
        """The name of a stage or touchpoint (or a text) in ``lang``, with fallback.

        Parameters
        ----------
        what : str, Stage, Touchpoint or dict of str to str
            A stage or touchpoint, its id, or a text per language.
        lang : str, optional
            The language wanted; default the journey's first language.

        Returns
        -------
        str
            The text in ``lang``; else in the first of the journey's languages that has
            it; else in any language; else the id (an id the journey does not know is
            returned as it is, so labels of unlinked data stay readable).
        """
        ident = ""
        if isinstance(what, (Stage, Touchpoint)):
            text: Mapping[str, str] = what.name
            ident = what.id
        elif isinstance(what, str):
            ident = what
            found = [s.name for s in self.stages if s.id == what] or \
                [tp.name for tp in self.touchpoints() if tp.id == what]
            text = found[0] if found else {}
        else:
            text = what
        order = [lang] if lang else []
        order += [x for x in self.languages if x != lang]
        for code in order + [k for k in text if k not in order]:
            if (text.get(code) or "").strip():
                return text[code]
        return ident


def _template() -> Path:
    """The journey of the study scaffold (used by the examples)."""
    return Path(__file__).resolve().parent.parent / "study" / "templates" / "journey.yaml"


def load_journey(path: str | Path) -> Journey:
    """Read ``journey.yaml`` into a :class:`Journey`.

    Parameters
    ----------
    path : str or Path
        The journey file.

    Returns
    -------
    Journey
        The stages and touchpoints, in the order of the file. Warnings (see
        :func:`validate_journey`) do not stop loading.

    Raises
    ------
    InstrumentError
        Listing every problem found, each with file, line and column, what is wrong,
        what is allowed and how to fix it (codes as for instruments, e.g. ``CX121`` for
        an id used twice; journey codes from ``CX300``).

    Examples
    --------
    >>> journey = load_journey(_template())
    >>> journey.stage_ids()
    ['orientation', 'purchase_decision', 'use', 'evaluation', 'retention']
    >>> journey.touchpoint("service_call").employee.needs["authority"]["en"]
    'Authority to settle the request in the call'
    """
    from ._read import read_journey

    journey, problems = read_journey(path)
    raise_if_errors(problems)
    if journey is None:  # pragma: no cover - no journey always comes with an error
        raise InstrumentError(problems)
    return journey


def validate_journey(path: str | Path) -> list[Problem]:
    """Check ``journey.yaml`` without raising: every problem found, errors and warnings.

    Parameters
    ----------
    path : str or Path
        The journey file.

    Returns
    -------
    list of Problem
        Errors first, then warnings, each with file, line and column where known, the
        stage or touchpoint id (``question_id``), what is wrong, what is allowed and how
        to fix it. Empty when the file is clean. The links to instruments are checked by
        :func:`cxresearch.journey.check_links`.

    Examples
    --------
    >>> validate_journey(_template())
    []
    """
    from ._read import read_journey

    return _ordered(read_journey(path)[1])


def loads_journey(text: str, name: str = "journey.yaml") -> tuple[Journey | None, list[Problem]]:
    """Read a journey from the text of a journey file, without raising.

    Parameters
    ----------
    text : str
        What ``journey.yaml`` would hold.
    name : str
        The file name that problems name; a journey without ``id`` takes the name of the
        folder in it, as :func:`load_journey` does.

    Returns
    -------
    journey : Journey or None
        The journey read (``None`` when the text holds none); with errors among the
        problems it may be incomplete.
    problems : list of Problem
        Every problem, as :func:`validate_journey` gives it for the file: errors first,
        then warnings, with code, line and column, and the stage or touchpoint id.

    Examples
    --------
    >>> journey, problems = loads_journey(_template().read_text(encoding="utf-8"))
    >>> journey.stage_ids()[:2], problems
    (['orientation', 'purchase_decision'], [])
    >>> problem = loads_journey("{id: j, languages: [en]}")[1][0]
    >>> problem.code.value, problem.line, problem.message
    ('CX111', 1, "the journey has no 'title'")
    """
    from ._read import read_journey_text

    journey, problems = read_journey_text(text, name)
    return journey, _ordered(problems)


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; each by file and place (as :class:`InstrumentError`)."""
    return sorted(problems, key=lambda p: (p.severity != Severity.ERROR, p.file or "",
                                           p.line or 0, p.column or 0))
