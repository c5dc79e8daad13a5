"""A starter codebook from the study's interview guide and journey.

:func:`starter_codebook` gives every stage and touchpoint of the journey its codes (what
the customer or employee thinks, feels and needs there), with definitions in Dutch and
English that quote the journey and the guide's questions, ready to be edited in
``codebook.yaml``. :mod:`cxresearch.qual.codebook` re-exports it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .codebook import _TEXT_KEYS, _journey
from .model import Code, Codebook, QualError

if TYPE_CHECKING:  # pragma: no cover
    from ..instrument.model import Instrument
    from ..journey.model import Journey

__all__ = ["starter_codebook"]


# Our own words for the codes every touchpoint gets, and the sentences of the definitions,
# per language: (English, Dutch).
_WORDS: dict[str, tuple[str, str]] = {
    "thinks": ("Thinks", "Denkt"),
    "feels": ("Feels", "Voelt"),
    "positive": ("Positive feeling", "Positief gevoel"),
    "negative": ("Negative feeling", "Negatief gevoel"),
    "needs": ("Needs", "Heeft nodig"),
    "customer": ("the customer", "de klant"),
    "employee": ("the employee", "de medewerker"),
    "stage": ("What {who} tells about the stage '{stage}' as a whole, not about one moment "
              "in it.",
              "Wat {who} vertelt over de fase '{stage}' als geheel, niet over één moment "
              "daarin."),
    "stage_not": ("A passage about one moment of this stage: use that touchpoint's code "
                  "({tps}).",
                  "Een passage over één moment van deze fase: gebruik de code van dat "
                  "contactmoment ({tps})."),
    "asks": ("The interview guide asks: {questions}", "De interviewleidraad vraagt: "
             "{questions}"),
    "touchpoint": ("What {who} tells about '{tp}' (stage '{stage}'): what happened and how "
                   "it went.",
                   "Wat {who} vertelt over '{tp}' (fase '{stage}'): wat er gebeurde en hoe "
                   "het ging."),
    "in_journey": ("In the journey: {text}", "In de klantreis: {text}"),
    "moment": ("A moment of truth: listen for what decided the judgement.",
               "Een moment van de waarheid: let op wat het oordeel bepaalde."),
    "touchpoint_use": ("For the moment itself; thoughts, feelings and needs at it go in the "
                       "codes below.",
                       "Voor het moment zelf; gedachten, gevoelens en behoeften daarbij horen "
                       "in de codes eronder."),
    "touchpoint_not": ("About the stage as a whole: use '{stage}'.",
                       "Over de fase als geheel: gebruik '{stage}'."),
    "thinks_def": ("What {who} thinks at '{tp}': questions, expectations, doubts, "
                   "conclusions.",
                   "Wat {who} denkt bij '{tp}': vragen, verwachtingen, twijfels, conclusies."),
    "expects": ("The journey expects: {text}", "De klantreis verwacht: {text}"),
    "thinks_not": ("Feelings go under '{feels}', wishes and needs under '{needs}'.",
                   "Gevoelens horen onder '{feels}', wensen en behoeften onder '{needs}'."),
    "feels_def": ("What {who} feels at '{tp}'.", "Wat {who} voelt bij '{tp}'."),
    "feels_use": ("For a mixed or unclear feeling; a clearly positive or negative one goes "
                  "in the code below.",
                  "Voor een gemengd of onduidelijk gevoel; een duidelijk positief of negatief "
                  "gevoel hoort in de code eronder."),
    "positive_def": ("A positive feeling at '{tp}', such as relief, trust or being taken "
                     "seriously.",
                     "Een positief gevoel bij '{tp}', zoals opluchting, vertrouwen of "
                     "serieus genomen worden."),
    "negative_def": ("A negative feeling at '{tp}', such as worry, frustration, anger or "
                     "distrust.",
                     "Een negatief gevoel bij '{tp}', zoals zorgen, frustratie, boosheid of "
                     "wantrouwen."),
    "pain_points": ("Pain points the journey names: {text}",
                    "Pijnpunten uit de klantreis: {text}"),
    "needs_def": ("What {who} needs at '{tp}': the real need behind a wish or a complaint.",
                  "Wat {who} nodig heeft bij '{tp}': de echte behoefte achter een wens of "
                  "een klacht."),
    "needs_use": ("Also wishes and ideas for improvement; ask 'why does that matter?' to "
                  "find the need behind them.",
                  "Ook wensen en ideeën voor verbetering; vraag 'waarom is dat belangrijk?' "
                  "om de behoefte erachter te vinden."),
    "ideas": ("Ideas in the journey: {text}", "Ideeën uit de klantreis: {text}"),
    "employee_needs": ("What the journey says employees need here: {text}",
                       "Wat medewerkers hier volgens de klantreis nodig hebben: {text}"),
    "block": ("Passages from the part '{block}' of the interview guide that are not about "
              "one moment of the journey.",
              "Passages uit het deel '{block}' van de interviewleidraad die niet over één "
              "moment van de reis gaan."),
    "block_not": ("A passage about a stage or a touchpoint: use its code.",
                  "Een passage over een fase of een contactmoment: gebruik die code."),
    "question": ("The answer to: {label}", "Het antwoord op: {label}"),
    "question_use": ("Also the answers to the probes. When the answer is about a moment of "
                     "the journey, code that touchpoint as well.",
                     "Ook de antwoorden op de doorvragen. Gaat het antwoord over een moment "
                     "van de reis, codeer dan ook dat contactmoment."),
}


def _pick(text: Mapping[str, str], lang: str) -> str:
    """``text`` in ``lang``, else in any language it has ('' when empty)."""
    return (text.get(lang) or "").strip() or next(
        (v.strip() for v in text.values() if v and v.strip()), "")


class _Say:
    """The words of :data:`_WORDS` in one language, and texts of the journey and guide."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **fields: str) -> str:
        return _WORDS[key][0 if self.lang == "en" else 1].format(**fields)

    def pick(self, text: Mapping[str, str]) -> str:
        return _pick(text, self.lang)

    def join(self, texts: Iterable[Mapping[str, str]], sep: str = "; ") -> str:
        return sep.join(t for t in (self.pick(x) for x in texts) if t)

    def sentences(self, first: str, *more: tuple[str, str]) -> str:
        """``first``, then each ``(key, text)`` sentence whose text is not empty."""
        return " ".join([first] + [self(key, text=text) for key, text in more if text])


def _last_sentence(label: str) -> str:
    """The question of a label: its last sentence (labels often lead in first)."""
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", label.strip()) if s]
    return sentences[-1] if sentences else label.strip()


class _Starter:
    """Builds the starter codebook: codes added in tree order, with unique ids."""

    def __init__(self, languages: tuple[str, ...], employee: bool) -> None:
        self.languages = languages
        self.employee = employee
        self.codes: list[Code] = []

    def add(self, raw_id: str, parent: str | None, texts: Any, **link: Any) -> str:
        """Add a code; ``texts(say)`` gives its name and texts in the language of ``say``."""
        taken = {c.id for c in self.codes}
        base = re.sub(r"[^A-Za-z0-9_]", "_", raw_id) or "code"
        cid, n = base, 2
        while cid in taken:
            cid, n = f"{base}_{n}", n + 1
        per_lang = {lang: texts(_Say(lang)) for lang in self.languages}
        fields: dict[str, Any] = {
            key: {lang: t[key] for lang, t in per_lang.items() if t.get(key)}
            for key in ("name", *_TEXT_KEYS)}
        fields["name"] = {lang: fields["name"].get(lang) or cid for lang in self.languages}
        self.codes.append(Code(cid, parent=parent, **fields, **link))
        return cid

    def block(self, block: Any) -> None:
        bid = self.add(block.id, None, lambda say: {
            "name": say.pick(block.title), "definition": say("block", block=say.pick(
                block.title)), "when_not": say("block_not")})
        for q in block.questions:
            if q.type != "note":
                self.add(q.id, bid, lambda say, q=q: {
                    "name": _last_sentence(say.pick(q.label)),
                    "definition": say("question", label=say.pick(q.label)),
                    "when_to_use": say("question_use")})

    def stage(self, stage: Any, asked: Sequence[Any]) -> str:
        who = "employee" if self.employee else "customer"
        return self.add(stage.id, None, lambda say: {
            "name": say.pick(stage.name),
            "definition": say.sentences(say("stage", who=say(who), stage=say.pick(stage.name)),
                                        ("in_journey", say.pick(stage.description))),
            "when_to_use": say("asks", questions=say.join((q.label for q in asked), " / "))
            if asked else "",
            "when_not": say("stage_not", tps=say.join((tp.name for tp in stage.touchpoints),
                                                      ", ")) if stage.touchpoints else ""},
            stage=stage.id)

    def touchpoint(self, tp: Any, stage: Any, parent: str, asked: Sequence[Any]) -> None:
        """The code of one touchpoint, and its thinks, feels (positive, negative), needs."""
        who = "employee" if self.employee else "customer"
        link = {"stage": stage.id, "touchpoint": tp.id}
        lane, cust = tp.employee, tp.customer

        def main(say: _Say) -> dict[str, str]:
            does = " ".join(x for x in (say.pick(lane.role), say.pick(lane.does)) if x) \
                if self.employee else say.pick(cust.does)
            definition = say.sentences(say("touchpoint", who=say(who), tp=say.pick(tp.name),
                                           stage=say.pick(stage.name)), ("in_journey", does))
            if tp.moment_of_truth:
                definition += " " + say("moment")
            use = say.sentences(say("touchpoint_use"), (
                "asks", say.join((q.label for q in asked), " / ")))
            return {"name": say.pick(tp.name), "definition": definition, "when_to_use": use,
                    "when_not": say("touchpoint_not", stage=say.pick(stage.name))}

        tid = self.add(tp.id, parent, main, **link)
        thinks = {} if self.employee else cust.thinks
        feels = {} if self.employee else cust.feels
        self.add(f"{tp.id}_thinks", tid, lambda say: {
            "name": say("thinks"),
            "definition": say.sentences(say("thinks_def", who=say(who), tp=say.pick(tp.name)),
                                        ("expects", say.pick(thinks))),
            "when_not": say("thinks_not", feels=say("feels"), needs=say("needs")),
            "example": say.pick(thinks)}, **link)
        fid = self.add(f"{tp.id}_feels", tid, lambda say: {
            "name": say("feels"),
            "definition": say.sentences(say("feels_def", who=say(who), tp=say.pick(tp.name)),
                                        ("expects", say.pick(feels))),
            "when_to_use": say("feels_use")}, **link)
        self.add(f"{tp.id}_feels_positive", fid, lambda say: {
            "name": say("positive"), "definition": say("positive_def", tp=say.pick(tp.name))},
            **link, valence=1)
        pains = () if self.employee else cust.pain_points
        self.add(f"{tp.id}_feels_negative", fid, lambda say: {
            "name": say("negative"),
            "definition": say.sentences(say("negative_def", tp=say.pick(tp.name)),
                                        ("pain_points", say.join(pains)))}, **link, valence=-1)
        self.add(f"{tp.id}_needs", tid, lambda say: {
            "name": say("needs"),
            "definition": say.sentences(
                say("needs_def", who=say(who), tp=say.pick(tp.name)),
                ("employee_needs", say.join(lane.needs.values())) if self.employee else
                ("ideas", say.join(cust.opportunities))),
            "when_to_use": say("needs_use")}, **link)


def starter_codebook(guide: Instrument | str | Path, journey: Journey | str | Path, *,
                     languages: Sequence[str] = ("nl", "en")) -> Codebook:
    """The deductive start of a codebook, from the interview guide and the journey.

    Parameters
    ----------
    guide : Instrument or path
        An interview guide (``kind: interview_guide``), as :func:`cxresearch.load_instrument`
        reads it.
    journey : Journey or path
        The study's journey.
    languages : sequence of {"nl", "en"}
        The languages of the names and definitions.

    Returns
    -------
    Codebook
        In tree order:

        * a branch per stage (id: the stage id, ``stage`` set), defined from the stage and
          the guide's questions about it;
        * under it a code per touchpoint (id: the touchpoint id, ``stage`` and
          ``touchpoint`` set, name from the journey, defined from the customer lane for a
          customer guide and from the employee lane for an employee guide);
        * under each touchpoint ``<tp>_thinks``, ``<tp>_feels`` (with
          ``<tp>_feels_positive``, valence +1, and ``<tp>_feels_negative``, valence -1)
          and ``<tp>_needs``, their definitions quoting what the journey expects, its
          pain points and its ideas (linked to the same stage and touchpoint);
        * a branch per guide block tied to neither a stage nor a touchpoint that has a
          question to answer (blocks of notes only, such as a closing, get none), with a
          code per question (id: the question id, name: the question's last sentence).
          Such blocks before the first stage block come first, the others after the
          stages.

    Notes
    -----
    The guide's questions about a stage (or a touchpoint) go into that code's
    ``when_to_use``. An id that is taken gets ``_2``, ``_3``, ... Our own code: no library
    derives codes from a journey model.

    Examples
    --------
    >>> study = "surveys/insurer-claims/"
    >>> book = starter_codebook(study + "instruments/interview-guide.yaml",
    ...                         study + "journey.yaml")
    >>> book.path("first_call_feels_negative")
    'call > first_call > first_call_feels > first_call_feels_negative'
    >>> book.code("first_call_feels_negative").valence, book.code("first_call").name["en"]
    (-1, 'Call with the claims handler')
    """
    from .. import load_instrument

    langs = tuple(languages)
    if not langs or any(lang not in ("nl", "en") for lang in langs):
        raise QualError(f"starter_codebook writes its words in nl and en; languages={langs!r}"
                        " is not a selection of them", where="languages")
    if isinstance(guide, (str, Path)):
        guide = load_instrument(guide)
    if guide.kind != "interview_guide":
        raise QualError(f"starter_codebook needs an interview guide (kind: interview_guide); "
                        f"'{guide.id}' is a {guide.kind}", file=guide.source, where=guide.id)
    the_journey = _journey(journey)
    if the_journey is None:
        raise QualError("starter_codebook needs the study's journey", where="journey")
    build = _Starter(langs, guide.audience == "employee")
    untied = [b for b in guide.blocks if b.stage is None and b.touchpoint is None and
              any(q.type != "note" for q in b.questions)]
    tied = [i for i, b in enumerate(guide.blocks) if b.stage or b.touchpoint]
    first_tied = tied[0] if tied else len(guide.blocks)
    before = [b for b in untied if guide.blocks.index(b) < first_tied]

    def asked(test: Any) -> list[Any]:
        return [q for b in guide.blocks if test(b) for q in b.questions if q.type != "note"]

    for block in before:
        build.block(block)
    for stage in the_journey.stages:
        sid = build.stage(stage, asked(lambda b, s=stage.id: b.stage == s and not b.touchpoint))
        for tp in stage.touchpoints:
            build.touchpoint(tp, stage, sid, asked(lambda b, t=tp.id: b.touchpoint == t))
    for block in untied:
        if block not in before:
            build.block(block)
    return Codebook(tuple(build.codes), langs)
