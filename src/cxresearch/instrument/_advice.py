"""The advice rules of :meth:`cxresearch.instrument.edit.InstrumentDraft.advice`.

Guidance for students on an instrument's wording and fielding, never errors: a purpose
that is still the placeholder, too many questions after a contact, a survey sent after
every contact, double-barrelled and leading questions, and agree or satisfied scales
without a neutral point. Each rule has its message and fix in Dutch and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from .model import Instrument, Question, Text

PLACEHOLDER_PURPOSE: Text = {
    "nl": "[Nog in te vullen] Waarom verzamelen we deze antwoorden, wie ziet ze en hoe lang "
          "bewaren we ze?",
    "en": "[To be written] Why do we collect these answers, who sees them, and how long do we "
          "keep them?",
}
"""The purpose of processing of a new instrument, until the real one is written."""


@dataclass(frozen=True)
class Advice:
    """A piece of guidance on the instrument's wording or fielding (never an error).

    Attributes
    ----------
    code : str
        Stable name of the rule: ``placeholder_purpose``, ``too_many_questions`` (more
        than :data:`MOST_AFTER_CONTACT` after a contact), ``survey_fatigue`` (sent after
        every contact), ``double_barrelled``, ``leading``, ``no_neutral_point`` (an even
        agree or satisfied scale).
    question_id : str or None
        The question (or matrix row) it is about; ``None`` for the instrument as a whole.
    message : str
        What may be wrong, in the language asked for.
    fix : str
        What to do about it, in the same language.
    """

    code: str
    question_id: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"[{self.question_id}] " if self.question_id else ""
        return f"{where}{self.message} {self.fix}"


_ADVICE: dict[str, dict[str, tuple[str, str]]] = {
    "placeholder_purpose": {
        "en": ("The purpose of processing is still the placeholder text, and respondents "
               "read it at the top of the questionnaire.",
               "Write why the answers are collected, who sees them and how long they are "
               "kept, in every language (the designer's Purpose fields, or 'purpose:' in the file)."),
        "nl": ("Het doel van de verwerking is nog de voorlopige tekst, en respondenten lezen "
               "die bovenaan de vragenlijst.",
               "Schrijf in elke taal waarom de antwoorden worden verzameld, wie ze ziet en hoe "
               "lang ze worden bewaard (de velden Doel in de ontwerper, of 'purpose:' in het bestand)."),
    },
    "too_many_questions": {
        "en": ("This survey is sent right after a contact and asks {n} questions (a matrix "
               "counts per row); after a contact, more than {most} make people stop or "
               "answer carelessly.",
               "Keep the {most} that matter most (for example CSAT or CES and one open "
               "question) and move the rest to a periodic or post-journey survey."),
        "nl": ("Deze vragenlijst gaat direct na een contact uit en stelt {n} vragen (een "
               "matrix telt per rij); na een contact haken mensen bij meer dan {most} vragen "
               "af of antwoorden ze slordig.",
               "Houd de {most} belangrijkste over (bijvoorbeeld CSAT of CES en één open "
               "vraag) en verplaats de rest naar een periodieke vragenlijst of een "
               "vragenlijst na afloop van de klantreis."),
    },
    "survey_fatigue": {
        "en": ("The survey is sent after every contact, so people with many contacts get it "
               "again and again and soon stop answering (survey fatigue).",
               "Send it to a sample of contacts instead (fielding: frequency: sample), and "
               "to each person at most once in a period."),
        "nl": ("De vragenlijst gaat na elk contact uit, dus wie vaak contact heeft, krijgt "
               "hem steeds opnieuw en haakt snel af (enquêtemoeheid).",
               "Stuur hem liever naar een steekproef van de contacten (fielding: frequency: "
               "sample), en naar iedereen hoogstens één keer per periode."),
    },
    "double_barrelled": {
        "en": ("'{qid}' may ask two things at once ({hit}); someone who feels differently "
               "about each part cannot give one honest answer.",
               "Split it into two questions, one for each thing you ask about."),
        "nl": ("'{qid}' vraagt misschien twee dingen tegelijk ({hit}); wie over elk deel "
               "anders denkt, kan geen eerlijk antwoord geven.",
               "Splits de vraag in twee vragen, één voor elk onderwerp."),
    },
    "leading": {
        "en": ("'{qid}' steers towards an answer ({hit}); people tend to go along with the "
               "wording rather than say what they think.",
               "Ask neutrally, e.g. 'How satisfied or dissatisfied are you with ...?', or "
               "use a statement with a balanced agree scale."),
        "nl": ("'{qid}' stuurt naar een antwoord ({hit}); mensen gaan dan eerder mee met de "
               "formulering dan dat ze zeggen wat ze vinden.",
               "Vraag neutraal, bijvoorbeeld 'Hoe tevreden of ontevreden bent u over ...?', "
               "of gebruik een stelling met een evenwichtige schaal (mee eens - mee oneens)."),
    },
    "no_neutral_point": {
        "en": ("'{qid}' uses a {points}-point {kind} scale, which has no middle point; "
               "people who feel neutral are pushed to one side.",
               "Use an odd scale with a neutral middle, such as {suggest}."),
        "nl": ("'{qid}' gebruikt een {kind}schaal met {points} punten, zonder middelste "
               "punt; wie neutraal is, wordt naar een kant geduwd.",
               "Gebruik een oneven schaal met een neutraal midden, zoals {suggest}."),
    },
}
"""Advice per rule and language: (message, fix), with {placeholders} filled in."""

MOST_AFTER_CONTACT = 5
"""Questions (notes not counted, matrix rows one by one) a post-contact survey may ask."""
_KINDS = {"agree": {"en": "agreement", "nl": "instemmings", "suggest": "agree5 or agree7"},
          "satisfied": {"en": "satisfaction", "nl": "tevredenheids",
                        "suggest": "satisfied5"}}
_BOTH = {"en": re.compile(r"\band/or\b"), "nl": re.compile(r"\ben/of\b")}
_AND = {"en": re.compile(r"\s(and|as well as)\s"), "nl": re.compile(r"\s(en|alsook|evenals)\s")}
_SPAN = {"en": re.compile(r"\bbetween\b"), "nl": re.compile(r"\btussen\b")}
_TWO_MARKS = {"en": "two question marks", "nl": "twee vraagtekens"}
_LEADING = {
    "en": re.compile(r"\b(?:don't you (?:agree|think)|do you not agree|do you agree that|"
                     r"wouldn't you|would you not|isn't it|aren't (?:you|they|we)|"
                     r"how (?:good|great|excellent|helpful|pleasant|friendly|easy) "
                     r"(?:was|were|is|are)|how much did you (?:enjoy|like|love)|surely)(?!\w)"),
    "nl": re.compile(r"\b(?:bent u het (?:er)?mee eens dat|bent u het met ons eens|"
                     r"vindt u (?:het )?(?:ook )?niet|vond u (?:het )?(?:ook )?niet|"
                     r"zou(?:den)? u (?:het )?niet|hoe goed|"
                     r"hoe (?:fijn|prettig|geweldig|handig|vriendelijk)|toch\s*\?)(?!\w)"),
}


def _plain_words(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def _two_things(text: str, lang: str) -> str | None:
    """Where a label seems to ask two things: and/or, two question marks, or an 'and'
    that joins two things (not the last of a list such as 'a, b and c')."""
    words = _plain_words(text)
    if m := _BOTH[lang].search(words):
        return f"'{m.group()}'"
    if len(re.findall(r"\?(?! *(?:if so|if not|zo ja|zo nee)\b)", words)) >= 2:
        return _TWO_MARKS[lang]
    for m in _AND[lang].finditer(words):
        clause = re.split(r"[.?!:;]", words[:m.start()])[-1]
        if "," in clause or _SPAN[lang].search(clause):  # a list, or 'between a and b'
            continue
        return "'" + " ".join(words[:m.start()].split()[-1:] + [m.group(1)]
                              + words[m.end():].split()[:2]).rstrip(".?!,;:") + "'"
    return None


def _leading(text: str, lang: str) -> str | None:
    m = _LEADING[lang].search(_plain_words(text))
    return f"'{m.group()}'" if m else None


def _scale_kind(q: Question) -> str | None:
    """'agree' or 'satisfied' for scales of those kinds (by name or by their labels)."""
    if q.scale is None:
        return None
    name = (q.scale.name or "").lower()
    words = " ".join(w for label in q.scale.labels for w in label.values()).lower()
    for kind, pattern in (("agree", r"agree|eens"), ("satisfied", r"satisf|tevreden")):
        if name.startswith(kind) or re.search(pattern, words):
            return kind
    return None


def _advise(inst: Instrument, own: Mapping[str, set[str]], lang: str) -> list[Advice]:
    out: list[Advice] = []

    def add(code: str, qid: str | None, **values: Any) -> None:
        message, fix = _ADVICE[code][lang]
        out.append(Advice(code, qid, message.format(qid=qid, **values), fix.format(**values)))

    if any(words.strip() in PLACEHOLDER_PURPOSE.values() for words in inst.purpose.values()):
        add("placeholder_purpose", None)
    fielding = inst.fielding
    questions = [q for q in inst.questions() if q.type != "note"]
    asked = sum(len(q.items) if q.type == "likert_matrix" else 1 for q in questions)
    if fielding is not None and fielding.moment == "post_contact" \
            and asked > MOST_AFTER_CONTACT:
        add("too_many_questions", None, n=asked, most=MOST_AFTER_CONTACT)
    if fielding is not None and fielding.frequency == "every_contact":
        add("survey_fatigue", None)
    order = [lang] + [x for x in _ADVICE["leading"] if x != lang]
    for q in questions:
        texts = [(q.id, q.label)] if "label" in own.get(q.id, ()) else []
        texts += [(row.id, row.label) for row in q.items if "items" in own.get(q.id, ())]
        rules = [("leading", _leading)]
        if q.type != "text":  # an open question may invite a story with several parts
            rules.insert(0, ("double_barrelled", _two_things))
        for fid, label in texts:
            for code, find in rules:
                hit = next((h for x in order if (h := find(label.get(x, ""), x))), None)
                if hit:
                    add(code, fid, hit=hit)
        kind = _scale_kind(q)
        if kind is not None and q.scale is not None and q.scale.points % 2 == 0:
            add("no_neutral_point", q.id, points=q.scale.points, kind=_KINDS[kind][lang],
                suggest=_KINDS[kind]["suggest"])
    return out
