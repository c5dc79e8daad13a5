"""Links between a journey and its instruments, checked both ways.

Instrument blocks name a journey stage (``stage:``) and touchpoint (``touchpoint:``).
From the instrument's side every name must exist in the journey (CX171, CX170: errors,
located in the instrument file; :func:`cxresearch.instrument.validate_instrument` reports
them through :func:`instrument_links`). From the journey's side every touchpoint should be
measured by some instrument (CX303), and every moment of truth asked about in an
instrument for the journey's own audience, usually customers (CX304): warnings, located
in ``journey.yaml``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..errors import Code, Problem, Severity
from .model import Journey

if TYPE_CHECKING:  # the instrument package imports this module, not the other way round
    from ..instrument.model import Instrument

__all__ = ["check_links", "instrument_links"]


def _close(word: str, options: list[str]) -> str | None:
    m = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{m[0]}'?" if m else None


def instrument_links(journey: Journey, instrument: Instrument,
                     journey_file: str | None = None) -> list[Problem]:
    """Blocks of ``instrument`` naming a stage or touchpoint that ``journey`` does not have.

    Parameters
    ----------
    journey : Journey
        The journey the instrument refers to.
    instrument : Instrument
        A survey or interview guide.
    journey_file : str, optional
        Name of the journey file, for the fix; default the name of ``journey.source``.

    Returns
    -------
    list of Problem
        Errors located in the instrument file: CX171 for an unknown stage, CX170 for an
        unknown touchpoint or one that belongs to another stage than the block says.
    """
    name = journey_file or (Path(journey.source).name if journey.source else "journey.yaml")
    file = instrument.source
    sheet = "survey" if (file or "").lower().endswith((".xlsx", ".xls")) else None
    stages, tps = journey.stage_ids(), journey.touchpoint_ids()
    problems: list[Problem] = []

    def add(code: Code, message: str, pos: object, qid: str, *, fix: str | None,
            allowed: str | None = None) -> None:
        problems.append(Problem(code, message, file=file, sheet=sheet,
                                line=getattr(pos, "line", None),
                                column=getattr(pos, "column", None),
                                question_id=qid, allowed=allowed, fix=fix))

    for b in instrument.blocks:
        if b.stage and b.stage not in stages:
            add(Code.UNKNOWN_STAGE, f"block '{b.id}' names stage '{b.stage}', which is not in "
                f"journey '{journey.id}'", b.where.get("stage", b.pos), b.id,
                allowed=", ".join(stages),
                fix=_close(b.stage, stages) or f"add the stage to {name} or correct the id")
        if b.touchpoint and b.touchpoint not in tps:
            add(Code.UNKNOWN_TOUCHPOINT, f"block '{b.id}' names touchpoint '{b.touchpoint}', "
                f"which is not in journey '{journey.id}'", b.where.get("touchpoint", b.pos),
                b.id, allowed=", ".join(tps), fix=_close(b.touchpoint, tps) or
                f"add the touchpoint to {name} or correct the id")
        elif b.touchpoint and b.stage and journey.touchpoint(b.touchpoint).stage != b.stage:
            add(Code.UNKNOWN_TOUCHPOINT, f"block '{b.id}': touchpoint '{b.touchpoint}' belongs "
                f"to stage '{journey.touchpoint(b.touchpoint).stage}', not '{b.stage}'",
                b.where.get("touchpoint", b.pos), b.id,
                fix="correct the stage, or leave it out (the touchpoint implies it)")
    return problems


def _team_codes(instruments: Iterable[Instrument]) -> list[str] | None:
    """The choice values of the employee survey's ``team`` question (None: no such question)."""
    for inst in instruments:
        if inst.audience != "employee":
            continue
        for q in inst.questions():
            if q.id == "team" and q.type in ("single_choice", "multiple_choice"):
                return inst.choice_list(q).values()
    return None


def check_links(journey: Journey, instruments: Iterable[Instrument]) -> list[Problem]:
    """Check the links between a journey and its instruments, both ways.

    Parameters
    ----------
    journey : Journey
        The study's journey.
    instruments : iterable of Instrument
        All the study's instruments (surveys and interview guides): a touchpoint is
        "measured" when any of them has a block about it with at least one question.

    Returns
    -------
    list of Problem
        Errors in the instrument files (CX171, CX170: see :func:`instrument_links`),
        then warnings in the journey file: a touchpoint no instrument asks about (CX303),
        a moment of truth no instrument for the journey's audience asks about (CX304), an
        employee lane's ``team`` that the employee survey's ``team`` question does not
        offer (CX305).

    Examples
    --------
    >>> from cxresearch.journey.model import _template
    >>> journey = Journey.load(_template())
    >>> [p.question_id for p in check_links(journey, [])][:2]
    ['first_search', 'compare_offers']
    """
    problems: list[Problem] = []
    asked: dict[str, set[str]] = {}
    instruments = list(instruments)
    teams = _team_codes(instruments)
    for inst in instruments:
        problems += instrument_links(journey, inst)
        for block in inst.blocks:
            if block.touchpoint and any(q.type != "note" for q in block.questions):
                asked.setdefault(block.touchpoint, set()).add(inst.audience)
    who = journey.audience or "customer"
    for tp in journey.touchpoints():
        what = "moment of truth" if tp.moment_of_truth else "touchpoint"
        if tp.id not in asked:
            problems.append(Problem(
                Code.JOURNEY_UNMEASURED, f"{what} '{tp.id}' is not measured: no instrument "
                "has a block about it", file=journey.source, line=tp.line, column=tp.column,
                question_id=tp.id, severity=Severity.WARNING,
                fix=f"add a block with 'touchpoint: {tp.id}' and questions to a survey or "
                "interview guide, or leave the touchpoint out of the journey if the study "
                "is not about it"))
        elif tp.moment_of_truth and who not in asked[tp.id]:
            problems.append(Problem(
                Code.JOURNEY_MOMENT_UNASKED, f"moment of truth '{tp.id}' has no {who} "
                f"question: only {' and '.join(sorted(asked[tp.id]))} instruments ask about "
                "it", file=journey.source, line=tp.line, column=tp.column, question_id=tp.id,
                severity=Severity.WARNING,
                fix=f"add a block with 'touchpoint: {tp.id}' to the {who} survey (e.g. "
                "'use: touchpoint_satisfaction'): moments of truth weigh on the overall "
                "judgement"))
        team = tp.employee.team
        if team and teams is not None and team not in teams:
            problems.append(Problem(
                Code.JOURNEY_UNKNOWN_TEAM, f"touchpoint '{tp.id}' is served by team "
                f"'{team}', which the employee survey's team question does not offer",
                file=journey.source, line=tp.line, column=tp.column, question_id=tp.id,
                severity=Severity.WARNING, allowed=", ".join(teams),
                fix=_close(team, teams) or "write one of the team codes of the employee "
                "survey, or add the team to its 'team' question: employees and customers "
                "are linked by it"))
    return problems
