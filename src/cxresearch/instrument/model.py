"""The instrument model: surveys and interview guides as plain dataclasses.

An instrument is a list of blocks, each block a list of questions. Text that a
respondent or client reads is a :data:`Text`: a mapping from language code (``nl``,
``en``) to the words in that language. Positions (``pos``) point back into the file the
instrument was read from, so later checks can say where a problem is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Literal

__all__ = [
    "AUDIENCES",
    "FIELDING_FREQUENCIES",
    "FIELDING_MOMENTS",
    "KINDS",
    "METADATA_FIELDS",
    "PERSONAL_KINDS",
    "QUESTION_TYPES",
    "Block",
    "Choice",
    "ChoiceList",
    "Fielding",
    "Instrument",
    "InterviewGuide",
    "MatrixItem",
    "Pos",
    "Question",
    "Scale",
    "Survey",
    "Text",
]

Text = dict[str, str]
"""Words per language, e.g. ``{"nl": "Hoe tevreden bent u?", "en": "How satisfied are you?"}``."""

QUESTION_TYPES: tuple[str, ...] = (
    "single_choice",
    "multiple_choice",
    "likert",
    "likert_matrix",
    "rating",
    "number",
    "text",
    "ranking",
    "date",
    "note",
)
"""Question types. ``rating`` is the 0-10 scale of NPS and eNPS; ``note`` shows text only."""

CHOICE_TYPES = ("single_choice", "multiple_choice", "ranking")
SCALE_TYPES = ("likert", "likert_matrix")

KINDS = ("survey", "interview_guide")
AUDIENCES = ("customer", "employee")
PERSONAL_KINDS = ("direct", "indirect")
"""Values of ``Question.personal``: how directly an answer identifies a person."""
METADATA_FIELDS = ("start", "end", "today", "deviceid", "username", "phonenumber", "audit")
"""Fields a fielding platform fills in by itself (XLSForm metadata types)."""
FIELDING_MOMENTS = ("post_contact", "post_journey", "periodic", "once")
"""Values of ``fielding.moment``: when the instrument is sent."""
FIELDING_FREQUENCIES = ("every_contact", "sample", "once_per_period")
"""Values of ``fielding.frequency``: how often a person may receive it."""

QuestionType = Literal[
    "single_choice", "multiple_choice", "likert", "likert_matrix", "rating",
    "number", "text", "ranking", "date", "note",
]


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column in a source file (column ``None`` when not exact)."""

    line: int
    column: int | None


@dataclass
class Choice:
    value: str
    label: Text
    pos: Pos | None = field(default=None, compare=False)


@dataclass
class ChoiceList:
    name: str
    choices: list[Choice]
    pos: Pos | None = field(default=None, compare=False)

    def values(self) -> list[str]:
        return [c.value for c in self.choices]


@dataclass
class Scale:
    """A labelled k-point scale; the answer codes are ``start .. start + points - 1``."""

    points: int
    labels: list[Text]
    name: str | None = None
    start: int = 1
    pos: Pos | None = field(default=None, compare=False)

    def values(self) -> list[int]:
        return list(range(self.start, self.start + self.points))


@dataclass
class MatrixItem:
    id: str
    label: Text
    pos: Pos | None = field(default=None, compare=False)


@dataclass
class Question:
    """One question (or note) of an instrument.

    Only the fields that apply to ``type`` are used; see ``docs/instrument-format.md``.
    """

    id: str
    type: str
    label: Text
    hint: Text = field(default_factory=dict)
    required: bool = False
    required_message: Text = field(default_factory=dict)
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: Text = field(default_factory=dict)
    # choice questions (single_choice, multiple_choice, ranking)
    choices: str | None = None
    randomize: bool = False
    other: bool = False
    min_selected: int | None = None
    max_selected: int | None = None
    # likert and likert_matrix
    scale: Scale | None = None
    items: list[MatrixItem] = field(default_factory=list)
    # rating 0-10
    anchors: dict[str, Text] = field(default_factory=dict)
    # number
    min_value: float | None = None
    max_value: float | None = None
    decimals: bool = False
    unit: Text = field(default_factory=dict)
    # text
    length: str = "short"
    max_length: int | None = None
    # date (ISO yyyy-mm-dd)
    min_date: str | None = None
    max_date: str | None = None
    # interview guides (also allowed in interviewer-led surveys)
    interviewer_note: Text = field(default_factory=dict)
    probes: list[Text] = field(default_factory=list)
    # privacy: "direct" (name, e-mail, phone, address: dropped before analysis) or
    # "indirect" (could identify in combination: postcode, exact age, team)
    personal: str | None = None
    # item bank provenance
    item: str | None = None
    metric: str | None = None
    pos: Pos | None = field(default=None, compare=False)
    where: dict[str, Pos] = field(default_factory=dict, repr=False, compare=False)

    def field_ids(self) -> list[str]:
        """The answer columns this question produces, in order."""
        if self.type == "note":
            return []
        if self.type == "likert_matrix":
            return [item.id for item in self.items]
        ids = [self.id]
        if self.other:
            ids.append(f"{self.id}_other")
        return ids

    def position(self, key: str | None = None) -> Pos | None:
        """Where ``key`` of this question was written (or the question itself)."""
        if key is not None and key in self.where:
            return self.where[key]
        return self.pos


@dataclass(frozen=True)
class Fielding:
    """When and how often an instrument is sent (the optional top-level ``fielding:``).

    ``moment`` is one of :data:`FIELDING_MOMENTS`, ``frequency`` one of
    :data:`FIELDING_FREQUENCIES`; either may be left out.
    """

    moment: str | None = None
    frequency: str | None = None


@dataclass
class Block:
    id: str
    title: Text
    questions: list[Question] = field(default_factory=list)
    stage: str | None = None
    touchpoint: str | None = None
    relevant: str | None = None
    intro: Text = field(default_factory=dict)
    pos: Pos | None = field(default=None, compare=False)
    where: dict[str, Pos] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Instrument:
    """What surveys and interview guides share."""

    id: str
    title: Text
    version: str
    audience: str
    languages: list[str]
    blocks: list[Block]
    kind: str = "survey"
    default_language: str | None = None
    purpose: Text = field(default_factory=dict)
    min_group_size: int = 5
    description: Text = field(default_factory=dict)
    journey: str | None = None
    choice_lists: dict[str, ChoiceList] = field(default_factory=dict)
    scales: dict[str, Scale] = field(default_factory=dict)
    metadata: list[str] = field(default_factory=list)
    duration_minutes: int | None = None
    fielding: Fielding | None = None
    where: dict[str, Pos] = field(default_factory=dict, repr=False, compare=False)
    source: str | None = field(default=None, compare=False)
    sha256: str | None = field(default=None, compare=False)

    @property
    def language(self) -> str:
        """The default language (the first declared one unless set)."""
        return self.default_language or self.languages[0]

    def questions(self) -> Iterator[Question]:
        """Every question, in the order a respondent meets them."""
        for block in self.blocks:
            yield from block.questions

    def question(self, qid: str) -> Question:
        """The question with id ``qid`` (a matrix row gives its matrix, ``<id>_other`` its
        question)."""
        for q in self.questions():
            if q.id == qid or any(item.id == qid for item in q.items) \
                    or (q.other and qid == f"{q.id}_other"):
                return q
        known = ", ".join(q.id for q in self.questions())
        raise KeyError(f"no question '{qid}' in instrument '{self.id}'; known: {known}")

    def field_ids(self) -> list[str]:
        """Every answer column, in order."""
        return [fid for q in self.questions() for fid in q.field_ids()]

    def block_of(self, qid: str) -> Block:
        for block in self.blocks:
            if any(q.id == qid for q in block.questions):
                return block
        raise KeyError(qid)

    def choice_list(self, q: Question) -> ChoiceList:
        if q.choices is None or q.choices not in self.choice_lists:
            raise KeyError(f"question '{q.id}' has no known choice list")
        return self.choice_lists[q.choices]

    def to_dict(self) -> dict[str, Any]:
        """A plain mapping in the YAML format, ready for ``yaml.safe_dump``."""
        from .dump import instrument_to_dict

        return instrument_to_dict(self)

    def _repr_html_(self) -> str:
        from .render import to_html

        return to_html(self, self.language, standalone=False)


@dataclass
class Survey(Instrument):
    kind: str = "survey"


@dataclass
class InterviewGuide(Instrument):
    kind: str = "interview_guide"
